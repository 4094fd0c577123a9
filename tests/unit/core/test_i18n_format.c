/* core/i18n_format.c: dates and numbers as each language writes them (R36;
 * issue 14's pages): 3.2.2020 and 1 234 in Finnish and Swedish, 2020-02-03
 * and 1,234 in English. */
#include "testutil.h"

#include <stdint.h>
#include <string.h>

#include "core/i18n.h"

#define NBSP  "\xc2\xa0"     /* U+00A0 NO-BREAK SPACE in UTF-8 */
#define MINUS "\xe2\x88\x92" /* U+2212 MINUS SIGN */

static void test_date_R36(void **state)
{
    (void)state;
    static const struct {
        enum lang lang;
        int y, m, d;
        const char *text;
    } cases[] = {
        {LANG_FI, 2020, 2, 3, "3.2.2020"},        {LANG_SV, 2020, 2, 3, "3.2.2020"},
        {LANG_EN, 2020, 2, 3, "2020-02-03"},      {LANG_FI, 2027, 12, 31, "31.12.2027"},
        {LANG_SV, 2024, 2, 29, "29.2.2024"},      {LANG_EN, 2024, 2, 29, "2024-02-29"},
        {LANG_FI, 1970, 1, 1, "1.1.1970"},        {LANG_EN, 1970, 1, 1, "1970-01-01"},
        {LANG_FI, 1969, 12, 31, "31.12.1969"},    {LANG_EN, 1900, 3, 1, "1900-03-01"},
        {(enum lang)9, 2020, 2, 3, "2020-02-03"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[I18N_DATE_LEN];
        memset(out, '#', sizeof out);
        i18n_date(cases[i].lang, D(cases[i].y, cases[i].m, cases[i].d), out);
        print_message("%s\n", cases[i].text);
        assert_string_equal(out, cases[i].text);
    }
}

static void test_number_R36(void **state)
{
    (void)state;
    static const struct {
        enum lang lang;
        int64_t n;
        const char *text;
    } cases[] = {
        {LANG_FI, 0, "0"},
        {LANG_FI, 7, "7"},
        {LANG_FI, 999, "999"},
        {LANG_FI, 1234, "1" NBSP "234"},
        {LANG_SV, 1234, "1" NBSP "234"},
        {LANG_EN, 1234, "1,234"},
        {LANG_FI, 12345, "12" NBSP "345"},
        {LANG_EN, 123456, "123,456"},
        {LANG_SV, 1000000, "1" NBSP "000" NBSP "000"},
        {LANG_EN, 1000000, "1,000,000"},
        {LANG_FI, -5, MINUS "5"},
        {LANG_SV, -1234, MINUS "1" NBSP "234"},
        {LANG_EN, -1234, "-1,234"},
        {LANG_EN, -999, "-999"},
        {LANG_EN, INT64_MAX, "9,223,372,036,854,775,807"},
        {LANG_EN, INT64_MIN, "-9,223,372,036,854,775,808"},
        {LANG_FI, INT64_MIN,
         MINUS "9" NBSP "223" NBSP "372" NBSP "036" NBSP "854" NBSP "775" NBSP "808"},
        {(enum lang)LANG_COUNT, 1234, "1,234"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[I18N_NUMBER_LEN];
        memset(out, '#', sizeof out);
        i18n_number(cases[i].lang, cases[i].n, out);
        print_message("%lld\n", (long long)cases[i].n);
        assert_string_equal(out, cases[i].text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_R36),
        cmocka_unit_test(test_number_R36),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
