/* util/strutil.c: bounded strings, strict integers, ids (slugs) and clean
 * UTF-8 for free text (names, reasons; R36 text in fi/sv/en). */
#include "testutil.h"

#include <string.h>

#include "util/strutil.h"

static void test_str_copy(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        size_t cap;
        int rc;
        const char *out;
    } cases[] = {
        {"abc", 4, 0, "abc"},  /* just fits */
        {"abc", 10, 0, "abc"}, /* room to spare */
        {"abc", 3, -1, "ab"},  /* one short: truncated, NUL-terminated */
        {"abc", 1, -1, ""},    /* only the NUL fits */
        {"", 1, 0, ""},        {"Kesäyöntaika", 64, 0, "Kesäyöntaika"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char buf[64];
        memset(buf, 'z', sizeof buf);
        assert_int_equal(str_copy(buf, cases[i].cap, cases[i].src), cases[i].rc);
        assert_string_equal(buf, cases[i].out);
        /* nothing written past cap */
        for (size_t k = cases[i].cap; k < sizeof buf; k++)
            assert_int_equal(buf[k], 'z');
    }
}

static void test_str_to_i64(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t min, max;
        int rc;
        int64_t value;
    } cases[] = {
        {"0", 0, 10, 0, 0},
        {"42", 0, 100, 0, 42},
        {"007", 0, 100, 0, 7},
        {"-42", -100, 100, 0, -42},
        {"-0", 0, 10, 0, 0},
        {"100", 0, 100, 0, 100},    /* upper bound inclusive */
        {"101", 0, 100, -1, 0},     /* above max */
        {"-1", 0, 100, -1, 0},      /* below min */
        {"-100", -100, 0, 0, -100}, /* lower bound inclusive */
        {"", 0, 100, -1, 0},        /* empty */
        {" 42", 0, 100, -1, 0},     /* leading space */
        {"\t42", 0, 100, -1, 0},    /* leading tab */
        {"42 ", 0, 100, -1, 0},     /* trailing space */
        {"42\n", 0, 100, -1, 0},    /* trailing newline */
        {"+42", 0, 100, -1, 0},     /* '+' */
        {"-", -100, 100, -1, 0},    /* sign only */
        {"--1", -100, 100, -1, 0},
        {"-+1", -100, 100, -1, 0},
        {"- 1", -100, 100, -1, 0},
        {"4x", 0, 100, -1, 0},    /* trailing junk */
        {"0x10", 0, 100, -1, 0},  /* no hex */
        {"1e3", 0, 10000, -1, 0}, /* no exponent */
        {"1.0", 0, 100, -1, 0},
        {"9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX},
        {"9223372036854775808", INT64_MIN, INT64_MAX, -1, 0}, /* overflow */
        {"-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN},
        {"-9223372036854775809", INT64_MIN, INT64_MAX, -1, 0}, /* underflow */
        {"99999999999999999999999", INT64_MIN, INT64_MAX, -1, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int64_t v = 12345;
        print_message("\"%s\"\n", cases[i].s);
        assert_int_equal(str_to_i64(cases[i].s, cases[i].min, cases[i].max, &v), cases[i].rc);
        if (cases[i].rc == 0)
            assert_int_equal(v, cases[i].value);
    }
    int64_t v = 0;
    assert_int_equal(str_to_i64(NULL, 0, 10, &v), -1);
}

/* Ids of regions, units and venues: 1..max of a-z 0-9 - (api.md). */
static void test_str_is_slug(void **state)
{
    (void)state;
    char max64[65], over64[66];
    memset(max64, 'a', 64);
    max64[64] = '\0';
    memset(over64, 'a', 65);
    over64[65] = '\0';
    const struct {
        const char *s;
        size_t max;
        bool ok;
    } cases[] = {
        {"espoo", 64, true},
        {"teatteri-hilla", 64, true},
        {"kainuu-2", 64, true},
        {"a", 64, true},
        {"-", 64, true},
        {max64, 64, true},
        {over64, 64, false},
        {"abc", 3, true},
        {"abcd", 3, false},
        {"", 64, false},
        {"Espoo", 64, false},
        {"esp_oo", 64, false},
        {"espoo ", 64, false},
        {" espoo", 64, false},
        {"a/b", 64, false},
        {"a.b", 64, false},
        {"j\xc3\xa4rvenp\xc3\xa4\xc3\xa4", 64, false}, /* "järvenpää" */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(str_is_slug(cases[i].s, cases[i].max), cases[i].ok);
}

#define S(lit) lit, sizeof(lit) - 1

/* Free text: valid UTF-8, no control characters but tab, CR and LF. */
static void test_str_is_clean_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        const char *s;
        size_t n;
        bool ok;
    } cases[] = {
        {"ASCII", S("Taikuri Matti"), true},
        {"Finnish", S("Kes\xc3\xa4y\xc3\xb6ntaika"), true}, /* Kesäyöntaika */
        {"Swedish", S("Sommarnattens l\xc3\xa5ngsamhet"), true},
        {"empty", S(""), true},
        {"tab, CR, LF", S("a\tb\r\nc"), true},
        {"euro sign (3 bytes)", S("\xe2\x82\xac"), true},
        {"emoji (4 bytes)", S("\xf0\x9f\x8e\xad"), true},
        {"no-break space U+00A0", S("\xc2\xa0"), true},
        {"U+D7FF before the surrogates", S("\xed\x9f\xbf"), true},
        {"U+E000 after the surrogates", S("\xee\x80\x80"), true},
        {"U+10FFFF, the last", S("\xf4\x8f\xbf\xbf"), true},
        {"C0 control", S("a\x01"), false},
        {"ESC", S("\x1b[31m"), false},
        {"DEL", S("a\x7f"), false},
        {"NUL inside", S("a\0b"), false},
        {"C1 U+0080", S("\xc2\x80"), false},
        {"C1 U+009F", S("\xc2\x9f"), false},
        {"overlong '/' in 2 bytes", S("\xc0\xaf"), false},
        {"overlong U+007F in 2 bytes", S("\xc1\xbf"), false},
        {"overlong in 3 bytes", S("\xe0\x80\xaf"), false},
        {"overlong in 4 bytes", S("\xf0\x80\x80\xaf"), false},
        {"surrogate U+D800", S("\xed\xa0\x80"), false},
        {"surrogate U+DFFF", S("\xed\xbf\xbf"), false},
        {"past U+10FFFF", S("\xf4\x90\x80\x80"), false},
        {"5-byte form", S("\xf8\x88\x80\x80\x80"), false},
        {"0xFF", S("\xff"), false},
        {"lone continuation byte", S("\x80"), false},
        {"truncated 2-byte", S("K\xc3"), false},
        {"truncated 3-byte", S("\xe2\x82"), false},
        {"truncated 4-byte", S("\xf0\x9f\x8e"), false},
        {"bad continuation", S("\xc3\x28"), false},
        {"bad continuation in 3-byte", S("\xe2\x28\xa1"), false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        assert_int_equal(str_is_clean_utf8(cases[i].s, cases[i].n), cases[i].ok);
    }
    /* Only n bytes are looked at: a sequence cut by n is truncated. */
    assert_false(str_is_clean_utf8("\xc3\xa4", 1));
    assert_true(str_is_clean_utf8("ok\x01", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_copy),
        cmocka_unit_test(test_str_to_i64),
        cmocka_unit_test(test_str_is_slug),
        cmocka_unit_test(test_str_is_clean_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
