/* core/report.c: totals of the venue report (R28), small counts, bands and
 * the cardholder tally (R30), national figures (R31), headings (R36). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "core/report.h"

/* R28: the seed's Teatteri Hilla report totals "Yhteensä 2 4". */
static void test_usage_totals_R28(void **state)
{
    (void)state;
    static const struct {
        int32_t adult, child;
    } rows[] = {{1, 2}, {1, 2}}; /* E2251 Taikuri Matti; 50141 Kesäyöntaika */
    struct usage_totals t = {0};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++)
        usage_totals_add(&t, rows[i].adult, rows[i].child);
    assert_int_equal(t.adult, 2);
    assert_int_equal(t.child, 4);
}

/* R30: 1..4 are "<5" with suppression; 0 and 5+ are shown; nothing without. */
static void test_small_counts_R30(void **state)
{
    (void)state;
    static const struct {
        int64_t count;
        bool suppress, small;
    } cases[] = {
        {0, true, false},  {1, true, true},   {2, true, true},     {4, true, true},
        {5, true, false},  {6, true, false},  {1000, true, false}, {-1, true, false},
        {0, false, false}, {1, false, false}, {4, false, false},   {5, false, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("R30 count %lld suppress %d\n", (long long)cases[i].count, cases[i].suppress);
        assert_int_equal(report_is_small(cases[i].count, cases[i].suppress), cases[i].small);
    }
    assert_string_equal(REPORT_SMALL_TEXT, "<5");
}

/* R30: a breakdown is decided whole, with the total: "<5" (S), ">=5" (L),
 * left out (-) or shown (.). */
static void test_suppress_breakdown_R30(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        enum report_dim dim;
        int64_t total;
        int64_t counts[12];
        size_t n;
        bool suppress;
        const char *show;
    } cases[] = {
        {"the issue's gender: the 1 beside 24, 19, 0 and a total of 44; the zero is <5, the "
         "first count of 5+ is hidden too",
         DIM_GENDER,
         44,
         {24, 19, 0, 1},
         4,
         true,
         "L.SS"},
        {"the same, suppression off (national)", DIM_GENDER, 44, {24, 19, 0, 1}, 4, false, "...."},
        {"no count 1-4: zeros shown", DIM_GENDER, 44, {24, 20, 0, 0}, 4, true, "...."},
        {"the first 5+ in order is hidden, not the smallest",
         DIM_UNIT,
         60,
         {50, 7, 3},
         3,
         true,
         "L.S"},
        {"two small counts still hide a 5+ one (whether they could be worked out must not "
         "show)",
         DIM_GENDER,
         30,
         {22, 0, 4, 4},
         4,
         true,
         "LSSS"},
        {"a region of one handout: every gender <5", DIM_GENDER, 1, {1, 0, 0, 0}, 4, true, "SSSS"},
        {"a region of one handout: every life situation <5",
         DIM_LIFE_SITUATION,
         1,
         {1, 0, 0, 0, 0, 0, 0, 0, 0},
         9,
         true,
         "SSSSSSSSS"},
        {"life situation: no >=5 beside its <5",
         DIM_LIFE_SITUATION,
         10,
         {6, 4, 0, 0, 0, 0, 0, 0, 0},
         9,
         true,
         ".SSSSSSSS"},
        {"life situation: left out when the total reaches shown + 4 per <5",
         DIM_LIFE_SITUATION,
         43,
         {5, 5, 5, 5, 5, 5, 5, 4, 4},
         9,
         true,
         "---------"},
        {"life situation: one short of it, shown",
         DIM_LIFE_SITUATION,
         42,
         {5, 5, 5, 5, 5, 5, 5, 4, 4},
         9,
         true,
         ".......SS"},
        {"every month under five, total 20 of 12 months: all <5",
         DIM_MONTH,
         20,
         {4, 0, 1, 2, 3, 4, 0, 0, 2, 1, 3, 0},
         12,
         true,
         "SSSSSSSSSSSS"},
        {"total 4 x n: the breakdown is left out, whatever its counts",
         DIM_GENDER,
         16,
         {4, 4, 4, 4},
         4,
         true,
         "----"},
        {"total 4 x n, counts that could not be worked out: left out all the same",
         DIM_GENDER,
         16,
         {10, 6, 0, 0},
         4,
         true,
         "----"},
        {"total 4 x n without suppression: shown", DIM_GENDER, 16, {4, 4, 4, 4}, 4, false, "...."},
        {"open breakdown: values under five left out",
         DIM_POSTAL_CODE,
         12,
         {6, 1, 5},
         3,
         true,
         ".-."},
        {"open breakdown of one handout: nothing listed",
         DIM_BIRTH_YEAR_BAND,
         1,
         {1},
         1,
         true,
         "-"},
        {"open breakdown, suppression off", DIM_MOTHER_TONGUE, 12, {6, 1, 5}, 3, false, "..."},
        {"the total: 1-4 hidden", DIM_TOTAL, 3, {3}, 1, true, "S"},
        {"the total: 0 shown", DIM_TOTAL, 0, {0}, 1, true, "."},
        {"the total: 5 shown", DIM_TOTAL, 5, {5}, 1, true, "."},
        {"one unit, total 4: hidden", DIM_UNIT, 4, {4}, 1, true, "S"},
        {"an empty breakdown", DIM_UNIT, 0, {0}, 0, true, ""},
    };
    static const char marks[] = {
        [SHOW_COUNT] = '.', [SHOW_SMALL] = 'S', [SHOW_LARGE] = 'L', [SHOW_NONE] = '-'};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("R30 %s\n", cases[i].why);
        enum report_show show[13];
        for (size_t k = 0; k < 13; k++)
            show[k] = (enum report_show)99;
        report_suppress(cases[i].dim, cases[i].total, cases[i].counts, cases[i].n,
                        cases[i].suppress, show);
        char got[13] = "";
        for (size_t k = 0; k < cases[i].n; k++)
            got[k] = marks[show[k]];
        assert_string_equal(got, cases[i].show);
        assert_int_equal(show[cases[i].n], 99); /* nothing written past n */
    }
    assert_string_equal(REPORT_LARGE_TEXT, "\xe2\x89\xa5"
                                           "5");
}

/* R30: ten-year bands of birth years, with an en dash. */
static void test_birth_band_R30(void **state)
{
    (void)state;
    static const struct {
        int year;
        const char *band;
    } cases[] = {
        {1980, "1980–1989"}, {1989, "1980–1989"}, {1990, "1990–1999"},
        {1900, "1900–1909"}, {2009, "2000–2009"}, {9999, "9990–9999"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[REPORT_KEY_MAX];
        report_birth_band(cases[i].year, out);
        assert_string_equal(out, cases[i].band);
    }
    char month[REPORT_KEY_MAX];
    report_month(2020, 2, month);
    assert_string_equal(month, "2020-02");
}

/* What the tally emits, as "dim key=count" lines. */
struct emitted {
    char text[4096];
    int calls, stop_at;
};

static int collect(void *ctx, const struct report_count *c)
{
    struct emitted *e = ctx;
    size_t n = strlen(e->text);
    snprintf(e->text + n, sizeof e->text - n, "%s %s=%lld\n", name_of(&report_dim_names, c->dim),
             c->key, (long long)c->count);
    return ++e->calls == e->stop_at ? 42 : 0;
}

struct group {
    enum report_dim dim;
    int64_t key;
    const char *text;
    int64_t count;
};

/* R30: the tally sums years into bands and days into months, expands sets of
 * life situations, passes the rest on, and lists gender, life situations and
 * months whole, with zeros. */
static void test_cardholder_tally_R30(void **state)
{
    (void)state;
    const struct group groups[] = {
        {DIM_TOTAL, 0, "", 7},
        {DIM_BIRTH_YEAR_BAND, 1980, "", 2},
        {DIM_BIRTH_YEAR_BAND, 1985, "", 3},
        {DIM_BIRTH_YEAR_BAND, 1991, "", 2},
        {DIM_MOTHER_TONGUE, 0, "fi", 6},
        {DIM_MOTHER_TONGUE, 0, "sv", 1},
        {DIM_GENDER, 0, "female", 5},
        {DIM_GENDER, 0, "male", 2},
        {DIM_POSTAL_CODE, 0, "02100", 7},
        {DIM_LIFE_SITUATION, 1 << LIFE_UNEMPLOYED, "", 4},
        {DIM_LIFE_SITUATION, (1 << LIFE_UNEMPLOYED) | (1 << LIFE_DEBT), "", 3},
        {DIM_UNIT, 0, "espoo-sote", 7},
        {DIM_UNIT, 0, "espoo-nuoriso", 0},
        {DIM_MONTH, D(2021, 1, 4), "", 4},
        {DIM_MONTH, D(2021, 1, 30), "", 1},
        {DIM_MONTH, D(2021, 3, 1), "", 2},
    };
    struct emitted e = {0};
    struct cardholder_tally t;
    cardholders_begin(&t, &(struct report_period){2021, D(2021, 12, 31), D(2021, 12, 31) + 1},
                      collect, &e);
    for (size_t i = 0; i < ARRAY_LEN(groups); i++)
        assert_int_equal(
            cardholders_add(&t, groups[i].dim, groups[i].key, groups[i].text, groups[i].count), 0);
    assert_int_equal(cardholders_end(&t), 0);
    assert_string_equal(e.text, "total =7\n"
                                "birth_year_band 1980–1989=5\n"
                                "birth_year_band 1990–1999=2\n"
                                "mother_tongue fi=6\n"
                                "mother_tongue sv=1\n"
                                "gender female=5\ngender male=2\ngender other=0\n"
                                "gender not_told=0\n"
                                "postal_code 02100=7\n"
                                "life_situation unemployed=7\nlife_situation retired=0\n"
                                "life_situation student=0\nlife_situation single_parent=0\n"
                                "life_situation long_term_illness=0\n"
                                "life_situation disability=0\n"
                                "life_situation low_income_working=0\nlife_situation debt=3\n"
                                "life_situation other=0\n"
                                "unit espoo-sote=7\nunit espoo-nuoriso=0\n"
                                "month 2021-01=5\nmonth 2021-02=0\nmonth 2021-03=2\n"
                                "month 2021-04=0\nmonth 2021-05=0\nmonth 2021-06=0\n"
                                "month 2021-07=0\nmonth 2021-08=0\nmonth 2021-09=0\n"
                                "month 2021-10=0\nmonth 2021-11=0\nmonth 2021-12=0\n");
}

/* R30: no handouts at all still gives the total, and every fixed breakdown. */
static void test_cardholder_tally_empty_R30(void **state)
{
    (void)state;
    struct emitted e = {0};
    struct cardholder_tally t;
    cardholders_begin(&t, &(struct report_period){2020, D(2020, 12, 31), D(2020, 12, 31) + 1},
                      collect, &e);
    assert_int_equal(cardholders_add(&t, DIM_GENDER, 0, "male", 1), 0);
    assert_int_equal(cardholders_end(&t), 0);
    /* total, 4 genders, 9 life situations, 12 months */
    assert_int_equal(e.calls, 1 + GENDER_COUNT + LIFE_COUNT + 12);
    assert_non_null(strstr(e.text, "total =0\n"));
    assert_non_null(strstr(e.text, "gender male=1\n"));
    assert_null(strstr(e.text, "birth_year_band"));
    assert_non_null(strstr(e.text, "month 2020-12=0\n"));
}

/* R30 against differencing: the months a report covers on a day, and the
 * tally's months up to the last of them. */
static void test_closed_through_R30(void **state)
{
    (void)state;
    const struct {
        int year;
        int32_t today, through, recorded_before;
        bool covers;
    } cases[] = {
        /* this year: up to last month, recorded before this month */
        {2026, D(2026, 12, 6), D(2026, 11, 30), D(2026, 12, 1), true},
        {2026, D(2026, 12, 1), D(2026, 11, 30), D(2026, 12, 1), true},  /* a month's first day */
        {2026, D(2026, 11, 30), D(2026, 10, 31), D(2026, 11, 1), true}, /* its last: open */
        {2026, D(2026, 3, 15), D(2026, 2, 28), D(2026, 3, 1), true},
        {2024, D(2024, 3, 15), D(2024, 2, 29), D(2024, 3, 1), true}, /* a leap year */
        {2026, D(2026, 2, 1), D(2026, 1, 31), D(2026, 2, 1), true},
        {2026, D(2026, 1, 31), D(2025, 12, 31), D(2026, 1, 1), false}, /* January: nothing */
        /* last year, whole; late recordings join when the month they came in ends */
        {2025, D(2026, 1, 1), D(2025, 12, 31), D(2026, 1, 1), true},
        {2020, D(2026, 12, 6), D(2020, 12, 31), D(2026, 12, 1), true},
        {2027, D(2026, 12, 6), D(2026, 12, 31), D(2026, 12, 1), false}, /* a year to come */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct report_period p = {0};
        print_message("R30 year %d\n", cases[i].year);
        assert_int_equal(report_closed_period(cases[i].year, cases[i].today, &p), cases[i].covers);
        assert_int_equal(p.year, cases[i].year);
        assert_int_equal(p.through, cases[i].through);
        assert_int_equal(p.recorded_before, cases[i].recorded_before);
    }
    const struct {
        int32_t through;
        int months;
    } tallies[] = {{D(2020, 12, 31), 12}, {D(2020, 3, 31), 3}, {D(2019, 12, 31), 0}};
    for (size_t i = 0; i < ARRAY_LEN(tallies); i++) {
        struct emitted e = {0};
        struct cardholder_tally t;
        cardholders_begin(&t, &(struct report_period){2020, tallies[i].through, 0}, collect, &e);
        assert_int_equal(cardholders_end(&t), 0);
        assert_int_equal(e.calls, 1 + GENDER_COUNT + LIFE_COUNT + tallies[i].months);
    }
}

/* Groups out of order or unknown values are the caller's bug; emit's "stop"
 * is passed back and nothing more is emitted. */
static void test_cardholder_tally_errors(void **state)
{
    (void)state;
    const struct {
        const char *why;
        struct group first, second;
        int rc;
    } cases[] = {
        {"breakdowns out of order",
         {DIM_GENDER, 0, "male", 1},
         {DIM_TOTAL, 0, "", 1},
         -ERR_INTERNAL},
        {"years out of order",
         {DIM_BIRTH_YEAR_BAND, 1990, "", 1},
         {DIM_BIRTH_YEAR_BAND, 1980, "", 1},
         -ERR_INTERNAL},
        {"a birth year before 1900",
         {DIM_TOTAL, 0, "", 1},
         {DIM_BIRTH_YEAR_BAND, 1899, "", 1},
         -ERR_INTERNAL},
        {"an unknown gender", {DIM_TOTAL, 0, "", 1}, {DIM_GENDER, 0, "robot", 1}, -ERR_INTERNAL},
        {"a day of another year",
         {DIM_TOTAL, 0, "", 1},
         {DIM_MONTH, D(2019, 12, 31), "", 1},
         -ERR_INTERNAL},
        {"no such breakdown", {DIM_TOTAL, 0, "", 1}, {DIM_COUNT, 0, "", 1}, -ERR_INTERNAL},
        {"R30 a day after the months covered (through 2020-06-30)",
         {DIM_TOTAL, 0, "", 1},
         {DIM_MONTH, D(2020, 7, 1), "", 1},
         -ERR_INTERNAL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct emitted e = {0};
        struct cardholder_tally t;
        cardholders_begin(&t, &(struct report_period){2020, D(2020, 6, 30), D(2020, 6, 30) + 1},
                          collect, &e);
        const struct group *a = &cases[i].first, *b = &cases[i].second;
        assert_int_equal(cardholders_add(&t, a->dim, a->key, a->text, a->count), 0);
        assert_int_equal(cardholders_add(&t, b->dim, b->key, b->text, b->count), cases[i].rc);
    }
    /* A callback's stop is returned at once and sticks. */
    struct emitted e = {.stop_at = 2};
    struct cardholder_tally t;
    cardholders_begin(&t, &(struct report_period){2020, D(2020, 12, 31), D(2020, 12, 31) + 1},
                      collect, &e);
    assert_int_equal(cardholders_add(&t, DIM_TOTAL, 0, "", 3), 0);
    /* emits the total (1), then fi (2), which stops */
    assert_int_equal(cardholders_add(&t, DIM_MOTHER_TONGUE, 0, "fi", 3), 42);
    assert_int_equal(cardholders_add(&t, DIM_MOTHER_TONGUE, 0, "sv", 3), 42);
    assert_int_equal(cardholders_end(&t), 42);
    assert_int_equal(e.calls, 2);
}

/* R31: combined figures are sums; the share used is in thousandths. */
static void test_national_figures_R31(void **state)
{
    (void)state;
    struct national_figures espoo = {{0}}, kainuu = {{0}}, sum = {{0}};
    for (int i = 0; i < FIG_COUNT; i++) {
        espoo.v[i] = i + 1;
        kainuu.v[i] = 10 * (i + 1);
    }
    national_figures_add(&sum, &espoo);
    national_figures_add(&sum, &kainuu);
    for (int i = 0; i < FIG_COUNT; i++)
        assert_int_equal(sum.v[i], 11 * (i + 1));

    static const struct {
        int64_t handed_out, used;
        int32_t permille;
    } cases[] = {
        {0, 0, -1},  {1, 0, 0},   {1, 1, 1000}, {4, 1, 250},  {3, 1, 333},
        {3, 2, 667}, {7, 1, 143}, {2000, 1, 1}, {2001, 1, 0}, /* 0.4998 ‰ rounds down, 0.5 ‰ up */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct national_figures f = {{0}};
        f.v[FIG_HANDED_OUT] = cases[i].handed_out;
        f.v[FIG_USED_ONCE] = cases[i].used;
        assert_int_equal(national_used_permille(&f), cases[i].permille);
    }
    assert_string_equal(name_of(&national_figure_names, FIG_USED_ONCE), "used_at_least_once");
    assert_int_equal(national_figure_names.count, FIG_COUNT);
    assert_int_equal(report_dim_names.count, DIM_COUNT);
}

/* R36: every heading in all three languages; the venue report's are the
 * seed's (000 in Finnish, 003 in Swedish). */
static void test_labels_R36(void **state)
{
    (void)state;
    for (int l = 0; l < REPORT_LABEL_COUNT; l++)
        for (int lang = 0; lang < LANG_COUNT; lang++) {
            const char *s = report_label((enum report_label)l, (enum lang)lang);
            if (!s || !s[0])
                fail_msg("label %d has no text in language %d", l, lang);
        }
    assert_string_equal(report_label(LABEL_CARD, LANG_FI), "Kortin tunnus");
    assert_string_equal(report_label(LABEL_TOTAL, LANG_FI), "Yhteensä");
    assert_string_equal(report_label(LABEL_TOTAL, LANG_SV), "Sammanlagt");
    assert_string_equal(report_label(LABEL_CHILD, LANG_SV), "Biljett för barn (under 16 år)");
    assert_string_equal(report_label(REPORT_LABEL_COUNT, LANG_EN), "");
    for (int d = 0; d < DIM_COUNT; d++)
        assert_true(report_dim_heading((enum report_dim)d) < REPORT_LABEL_COUNT);
    for (int f = 0; f < FIG_COUNT; f++)
        assert_true(national_figure_heading((enum national_figure)f) < REPORT_LABEL_COUNT);
    assert_int_equal(report_dim_heading(DIM_TOTAL), LABEL_TOTAL);
    assert_int_equal(national_figure_heading(FIG_IN_STOCK), LABEL_IN_STOCK);
    assert_int_equal(national_figure_heading(FIG_EVENTS), LABEL_EVENTS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_totals_R28),
        cmocka_unit_test(test_small_counts_R30),
        cmocka_unit_test(test_suppress_breakdown_R30),
        cmocka_unit_test(test_birth_band_R30),
        cmocka_unit_test(test_cardholder_tally_R30),
        cmocka_unit_test(test_cardholder_tally_empty_R30),
        cmocka_unit_test(test_cardholder_tally_errors),
        cmocka_unit_test(test_closed_through_R30),
        cmocka_unit_test(test_national_figures_R31),
        cmocka_unit_test(test_labels_R36),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
