/* util/rng.c: the demo's and the benchmark generator's splitmix64, its
 * ranges and its weighted pick. */
#include "testutil.h"

#include <string.h>

#include "util/rng.h"

/* splitmix64's first outputs for seed 1234567, as the reference algorithm
 * (Steele, Lea and Flood; Vigna's splitmix64.c) gives them, computed apart
 * from this code (in Python, with 64-bit wrap-around). */
static void test_rng_reference_sequence(void **state)
{
    (void)state;
    static const uint64_t expected[] = {
        6457827717110365317u, 3203168211198807973u,  9817491932198370423u,
        4593380528125082431u, 16408922859458223821u,
    };
    struct rng r;
    rng_init(&r, 1234567);
    for (size_t i = 0; i < ARRAY_LEN(expected); i++)
        assert_true(rng_next(&r) == expected[i]);
}

/* The same seed gives the same sequence; another seed another one. */
static void test_rng_deterministic(void **state)
{
    (void)state;
    struct rng a, b, c;
    rng_init(&a, 42);
    rng_init(&b, 42);
    rng_init(&c, 43);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_next(&a);
        assert_true(x == rng_next(&b));
        differ += x != rng_next(&c);
    }
    assert_true(differ > 90);
}

/* Every value of a range comes up, and none outside it. */
static void test_rng_ranges(void **state)
{
    (void)state;
    static const struct {
        int64_t lo, hi;
    } cases[] = {
        {0, 0}, {0, 1}, {1, 6}, {-3, 3}, {16, 24}, {1000, 1009},
    };
    struct rng r;
    rng_init(&r, 7);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int seen[16];
        memset(seen, 0, sizeof seen);
        int64_t width = cases[i].hi - cases[i].lo + 1;
        for (int k = 0; k < 2000; k++) {
            int64_t v = rng_between(&r, cases[i].lo, cases[i].hi);
            assert_true(v >= cases[i].lo && v <= cases[i].hi);
            seen[v - cases[i].lo]++;
            int64_t b = rng_below(&r, width);
            assert_true(b >= 0 && b < width);
        }
        for (int64_t k = 0; k < width; k++)
            assert_true(seen[k] > 0);
    }
}

static void test_rng_percent(void **state)
{
    (void)state;
    static const struct {
        int pct, min_hits, max_hits; /* of 10,000 draws */
    } cases[] = {
        {0, 0, 0}, {100, 10000, 10000}, {3, 200, 400}, {50, 4700, 5300}, {85, 8300, 8700},
    };
    struct rng r;
    rng_init(&r, 99);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int hits = 0;
        for (int k = 0; k < 10000; k++)
            hits += rng_percent(&r, cases[i].pct);
        assert_in_range(hits, cases[i].min_hits, cases[i].max_hits);
    }
}

/* Weights as an int array and as a field of a table of structs; a zero
 * weight is never picked, and the shares follow the weights. */
static void test_rng_weighted(void **state)
{
    (void)state;
    static const int w[] = {1, 0, 3, 6};
    static const struct {
        const char *value;
        int weight;
    } table[] = {{"fi", 6}, {"sv", 0}, {"ru", 3}, {"other", 1}};
    struct rng r;
    rng_init(&r, 5);
    int from_array[4] = {0}, from_table[4] = {0};
    for (int k = 0; k < 10000; k++) {
        from_array[rng_weighted(&r, w, ARRAY_LEN(w), sizeof w[0])]++;
        from_table[rng_weighted(&r, &table[0].weight, ARRAY_LEN(table), sizeof table[0])]++;
    }
    assert_int_equal(from_array[1], 0);
    assert_int_equal(from_table[1], 0);
    assert_in_range(from_array[0], 800, 1200);
    assert_in_range(from_array[2], 2700, 3300);
    assert_in_range(from_array[3], 5700, 6300);
    assert_in_range(from_table[0], 5700, 6300);
    assert_in_range(from_table[2], 2700, 3300);
    assert_in_range(from_table[3], 800, 1200);
    /* One weight: always that index. */
    static const int one[] = {0, 0, 5};
    for (int k = 0; k < 100; k++)
        assert_int_equal(rng_weighted(&r, one, ARRAY_LEN(one), sizeof one[0]), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_reference_sequence),
        cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_rng_ranges),
        cmocka_unit_test(test_rng_percent),
        cmocka_unit_test(test_rng_weighted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
