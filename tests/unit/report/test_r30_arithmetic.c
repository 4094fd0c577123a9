/* R30 that cannot be undone by arithmetic (docs/privacy.md): thousands of
 * random regions go through the cardholder report's builder, and an
 * attacker who reads only the report tries to work out every hidden count
 * from what is shown: each breakdown of one value per holder (birth-year
 * band, mother tongue, gender, postal code, unit, month) sums to the total,
 * which all of them share; a life situation counts a holder at most once,
 * and every holder has at least one; "<5" is 0 to 4, "≥5" five or more, a
 * hidden total 1 to 4. The attacker narrows each hidden count to the range
 * those facts allow (for counts that share only the total this is exact);
 * the test fails when a range is a single number. It also checks that the
 * report tells no lie: shown counts exact, "<5" under five, "≥5" not, only
 * counts under five left out. And it shows that the attacker works: on the
 * report the old rule made for the example it finds the hidden 1. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "report/build.h"
#include "util/rng.h"

#define INF       INT64_MAX / 4
#define VALUES    16 /* at most, per breakdown */
#define REGIONS   5000
#define H_VALUE   1
#define H_COUNT   2
#define KEY_BYTES 24

/* The true counts of one region, by breakdown and value. */
struct fake_region {
    int64_t total;
    size_t n[DIM_COUNT];                    /* values of each breakdown */
    char key[DIM_COUNT][VALUES][KEY_BYTES]; /* their keys */
    int64_t count[DIM_COUNT][VALUES];
};

static bool dim_open(int d)
{
    return d == DIM_BIRTH_YEAR_BAND || d == DIM_MOTHER_TONGUE || d == DIM_POSTAL_CODE;
}

/* A fake source that emits the region's counts as the store's tally does:
 * open breakdowns only where a count is not 0, fixed ones whole. */
static int emit_region(void *ctx, const struct actor *a, const char *region,
                       const struct report_period *p, report_count_fn fn, void *fn_ctx)
{
    (void)a, (void)region, (void)p;
    const struct fake_region *r = ctx;
    struct report_count c = {DIM_TOTAL, "", r->total};
    int rc = fn(fn_ctx, &c);
    for (int d = 1; rc == 0 && d < DIM_COUNT; d++)
        for (size_t i = 0; rc == 0 && i < r->n[d]; i++) {
            if (dim_open(d) && r->count[d][i] == 0)
                continue;
            c = (struct report_count){(enum report_dim)d, r->key[d][i], r->count[d][i]};
            rc = fn(fn_ctx, &c);
        }
    return rc;
}

/* A random draw skewed towards the first of n values. */
static size_t skewed(struct rng *g, size_t n)
{
    size_t i = 0;
    while (i + 1 < n && rng_percent(g, 45))
        i++;
    return i;
}

static void region_random(struct rng *g, struct fake_region *r)
{
    static const size_t fixed_n[DIM_COUNT] = {
        [DIM_GENDER] = GENDER_COUNT, [DIM_LIFE_SITUATION] = LIFE_COUNT};
    static const size_t open_n[DIM_COUNT] = {
        [DIM_BIRTH_YEAR_BAND] = 8, [DIM_MOTHER_TONGUE] = 6, [DIM_POSTAL_CODE] = 12};
    memset(r, 0, sizeof *r);
    int size = (int)rng_below(g, 10);
    int64_t holders = size < 5   ? rng_between(g, 0, 12)
                      : size < 8 ? rng_between(g, 13, 60)
                                 : rng_between(g, 61, 300);
    for (int d = 1; d < DIM_COUNT; d++) {
        r->n[d] = fixed_n[d] ? fixed_n[d] : open_n[d];
        if (d == DIM_UNIT)
            r->n[d] = (size_t)rng_between(g, 1, 4);
        if (d == DIM_MONTH)
            r->n[d] = (size_t)rng_between(g, 1, 12); /* the closed months of the period */
        for (size_t i = 0; i < r->n[d]; i++)
            snprintf(r->key[d][i], KEY_BYTES, "v%zu", i);
    }
    r->total = holders;
    for (int64_t h = 0; h < holders; h++) {
        for (int d = 1; d < DIM_COUNT; d++) {
            if (d == DIM_LIFE_SITUATION) {
                unsigned set = 0;
                while (!set)
                    for (size_t l = 0; l < LIFE_COUNT; l++)
                        set |= rng_percent(g, l == 0 ? 40 : 8) ? 1u << l : 0;
                for (size_t l = 0; l < LIFE_COUNT; l++)
                    r->count[d][l] += (set >> l) & 1;
            } else {
                r->count[d][skewed(g, r->n[d])]++;
            }
        }
    }
}

/* What the attacker knows of one count: it lies in [lo, hi]. */
struct range {
    int64_t lo, hi;
};

static struct range cell_range(const struct cell *c, bool total)
{
    switch (c->kind) {
    case CELL_INT:
        return (struct range){c->value, c->value};
    case CELL_HIDDEN:
        return total ? (struct range){1, 4} : (struct range){0, 4};
    case CELL_HIDDEN_LARGE:
        return (struct range){5, INF};
    default:
        fail_msg("a count of kind %d", (int)c->kind);
    }
    return (struct range){0, INF};
}

static int64_t add(int64_t a, int64_t b)
{
    return a >= INF || b >= INF ? INF : a + b;
}

/* The attacker: returns how many hidden counts of rep it worked out, and
 * names the first in `what`. `domain[d]`: how many values the attacker
 * knows breakdown d has when it is fixed (0 for open ones). */
static int attack(const struct report *rep, const size_t domain[DIM_COUNT], char *what, size_t cap)
{
    struct range cells[DIM_COUNT][VALUES];
    size_t n[DIM_COUNT] = {0};
    assert_int_equal(rep->nsections, DIM_COUNT);
    for (int d = 0; d < DIM_COUNT; d++) {
        const struct report_section *s = &rep->sections[d];
        assert_true(s->count <= VALUES);
        for (size_t i = 0; i < s->count; i++)
            cells[d][i] = cell_range(report_cell(rep, s->first + i, H_COUNT), d == DIM_TOTAL);
        n[d] = s->count;
    }
    /* The total, from its own cell and from every breakdown. */
    struct range t = cells[DIM_TOTAL][0];
    for (int d = 1; d < DIM_COUNT; d++) {
        int64_t lo = 0, hi = 0, most = 0;
        for (size_t i = 0; i < n[d]; i++) {
            lo = add(lo, cells[d][i].lo);
            hi = add(hi, cells[d][i].hi);
            most = cells[d][i].lo > most ? cells[d][i].lo : most;
        }
        bool complete = dim_open(d) ? false : n[d] == domain[d];
        if (d == DIM_LIFE_SITUATION) { /* each at most the total; together at least it */
            t.lo = most > t.lo ? most : t.lo;
            if (complete && hi < t.hi)
                t.hi = hi;
        } else {
            t.lo = lo > t.lo ? lo : t.lo;
            if (complete && hi < t.hi)
                t.hi = hi;
        }
    }
    assert_true(t.lo <= t.hi); /* the report is consistent with some data */
    int found = 0;
    if (rep->cells[0 * rep->ncols + H_COUNT].kind == CELL_HIDDEN && t.lo == t.hi) {
        snprintf(what, cap, "the total is %lld", (long long)t.lo);
        found++;
    }
    for (int d = 1; d < DIM_COUNT; d++) {
        if (dim_open(d) || n[d] != domain[d])
            continue; /* an open or left-out breakdown: no equation to work with */
        for (size_t i = 0; i < n[d]; i++) {
            if (cells[d][i].lo == cells[d][i].hi)
                continue; /* shown */
            int64_t others_lo = 0, others_hi = 0;
            for (size_t j = 0; j < n[d]; j++)
                if (j != i) {
                    others_lo = add(others_lo, cells[d][j].lo);
                    others_hi = add(others_hi, cells[d][j].hi);
                }
            struct range x = cells[d][i];
            int64_t from_sum_lo = others_hi >= INF ? 0 : t.lo - others_hi;
            int64_t from_sum_hi = d == DIM_LIFE_SITUATION ? t.hi : t.hi - others_lo;
            x.lo = from_sum_lo > x.lo ? from_sum_lo : x.lo;
            x.hi = from_sum_hi < x.hi ? from_sum_hi : x.hi;
            assert_true(x.lo <= x.hi);
            if (x.lo == x.hi && found++ == 0)
                snprintf(what, cap, "%s %zu is %lld", name_of(&report_dim_names, d), i,
                         (long long)x.lo);
        }
    }
    return found;
}

/* The report tells no lie, and leaves out only counts under five. */
static void check_truth(const struct report *rep, const struct fake_region *r)
{
    const struct cell *total = report_cell(rep, 0, H_COUNT);
    if (total->kind == CELL_INT)
        assert_int_equal(total->value, r->total);
    else
        assert_true(total->kind == CELL_HIDDEN && r->total >= 1 && r->total <= 4);
    for (int d = 1; d < DIM_COUNT; d++) {
        const struct report_section *s = &rep->sections[d];
        size_t row = 0;
        for (size_t i = 0; i < r->n[d]; i++) {
            int64_t v = r->count[d][i];
            bool listed = row < s->count && strcmp(report_cell(rep, s->first + row, H_VALUE)->text,
                                                   r->key[d][i]) == 0;
            if (!listed) {
                /* left out: under five (open), or a whole fixed breakdown */
                assert_true(dim_open(d) ? v < 5 : s->count == 0);
                continue;
            }
            const struct cell *c = report_cell(rep, s->first + row++, H_COUNT);
            if (c->kind == CELL_INT)
                assert_int_equal(c->value, v);
            else if (c->kind == CELL_HIDDEN)
                assert_true(v < 5);
            else
                assert_true(c->kind == CELL_HIDDEN_LARGE && v >= 5);
        }
        assert_int_equal(row, s->count); /* nothing listed that the region has not */
        if (!dim_open(d) && s->count == 0 && r->n[d] > 0) { /* left out whole: when? */
            int64_t shown = 0, under = 0;
            for (size_t i = 0; i < r->n[d]; i++) {
                under += r->count[d][i] < 5;
                shown += r->count[d][i] >= 5 ? r->count[d][i] : 0;
            }
            if (d == DIM_LIFE_SITUATION)
                assert_true(r->total >= 5 && r->total >= shown + 4 * under);
            else
                assert_int_equal(r->total, 4 * (int64_t)r->n[d]);
        }
    }
}

static void build(struct fake_region *r, bool suppress, struct report *rep)
{
    struct report_source src = {.cardholders = emit_region, .ctx = r};
    struct actor a = {.role = ROLE_NATIONAL, .now = T("2022-06-15T12:00")};
    struct report_ctx ctx = {&src, &a, LANG_EN, NULL};
    const struct cardholders_query q = {"r1", 2021, suppress};
    assert_int_equal(report_cardholders(&ctx, &q, rep), 0);
}

/* R30: no hidden count of thousands of random regions can be worked out,
 * and the report tells no lie. */
static void test_random_regions_R30(void **state)
{
    (void)state;
    struct rng g;
    rng_init(&g, 30);
    static struct fake_region r;
    int hidden_small = 0, hidden_large = 0, left_out = 0;
    for (int k = 0; k < REGIONS; k++) {
        region_random(&g, &r);
        struct report rep;
        build(&r, true, &rep);
        check_truth(&rep, &r);
        char what[128] = "";
        int found = attack(&rep, r.n, what, sizeof what);
        if (found)
            fail_msg("R30 region %d (total %lld): %s", k, (long long)r.total, what);
        for (size_t i = 0; i < rep.rows; i++) {
            hidden_small += report_cell(&rep, i, H_COUNT)->kind == CELL_HIDDEN;
            hidden_large += report_cell(&rep, i, H_COUNT)->kind == CELL_HIDDEN_LARGE;
        }
        for (int d = 1; d < DIM_COUNT; d++)
            left_out += !dim_open(d) && rep.sections[d].count == 0;
        report_release(&rep);
    }
    print_message("R30 %d regions: %d counts <5, %d >=5, %d fixed breakdowns left out\n", REGIONS,
                  hidden_small, hidden_large, left_out);
    /* the draws reach every case the rule has */
    assert_true(hidden_small > REGIONS && hidden_large > REGIONS / 2 && left_out > 0);
}

/* The attacker works: without suppression every count is "worked out", and
 * the old rule's report of the example (female 24, male 19, other
 * 0, not told "<5", total 44) gives away the hidden 1. */
static void test_attacker_finds_R30(void **state)
{
    (void)state;
    static struct fake_region r;
    memset(&r, 0, sizeof r);
    r.total = 44;
    const int64_t gender[] = {24, 19, 0, 1};
    for (int d = 1; d < DIM_COUNT; d++) {
        r.n[d] = d == DIM_GENDER ? 4 : 1;
        for (size_t i = 0; i < r.n[d]; i++) {
            snprintf(r.key[d][i], KEY_BYTES, "v%zu", i);
            r.count[d][i] = d == DIM_GENDER ? gender[i] : 44;
        }
    }
    struct report rep;
    build(&r, false, &rep);
    report_hide(&rep, rep.sections[DIM_GENDER].first + 3, H_COUNT); /* the old rule: 1-4 only */
    char what[128] = "";
    assert_int_equal(attack(&rep, r.n, what, sizeof what), 1);
    assert_string_equal(what, "gender 3 is 1");
    report_release(&rep);

    build(&r, true, &rep); /* the rule of today */
    assert_int_equal(attack(&rep, r.n, what, sizeof what), 0);
    check_truth(&rep, &r);
    report_release(&rep);
}

/* The region of one handout: everything "<5" or left out; nothing
 * beside a zero. */
static void test_one_handout_R30(void **state)
{
    (void)state;
    static struct fake_region r;
    memset(&r, 0, sizeof r);
    r.total = 1;
    for (int d = 1; d < DIM_COUNT; d++) {
        r.n[d] = d == DIM_GENDER ? 4 : d == DIM_LIFE_SITUATION ? 9 : d == DIM_MONTH ? 12 : 3;
        for (size_t i = 0; i < r.n[d]; i++)
            snprintf(r.key[d][i], KEY_BYTES, "v%zu", i);
        r.count[d][1] = 1;
    }
    struct report rep;
    build(&r, true, &rep);
    check_truth(&rep, &r);
    for (size_t i = 0; i < rep.rows; i++)
        assert_int_equal(report_cell(&rep, i, H_COUNT)->kind, CELL_HIDDEN);
    for (int d = 1; d < DIM_COUNT; d++)
        assert_int_equal(rep.sections[d].count, dim_open(d) ? 0 : r.n[d]);
    report_release(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_regions_R30),
        cmocka_unit_test(test_attacker_finds_R30),
        cmocka_unit_test(test_one_handout_R30),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
