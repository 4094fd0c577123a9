/* report/venue_usage.c, cardholders.c, national.c: each builder fed by a
 * fake source (no database), as tables of cases. A report is checked as
 * text: its name, its params, then each section ("[name shape: its JSON
 * columns]") and its rows, cells joined by "|" — "<5" for a count the
 * builder hid (R30), "s143" for a share, nothing for an empty cell. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "report/build.h"
#include "util/date.h"

static const char *const shapes[] = {"list", "object", "map", "value"};

static void put(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%s", s);
}

static void put_cell(char *out, size_t cap, const struct cell *c)
{
    char tmp[64] = "";
    switch (c->kind) {
    case CELL_TEXT:
        put(out, cap, c->text);
        break;
    case CELL_INT:
        snprintf(tmp, sizeof tmp, "%lld", (long long)c->value);
        break;
    case CELL_DATE:
        date_format((int32_t)c->value, tmp);
        break;
    case CELL_SHARE:
        snprintf(tmp, sizeof tmp, "s%lld", (long long)c->value);
        break;
    case CELL_HIDDEN:
        assert_int_equal(c->value, 0); /* R30: the exact count is not kept */
        put(out, cap, "<5");
        break;
    case CELL_HIDDEN_LARGE:
        assert_int_equal(c->value, 0);
        put(out, cap, ">=5");
        break;
    case CELL_BOOL:
        put(out, cap, c->value ? "true" : "false");
        break;
    case CELL_EMPTY:
        break;
    }
    put(out, cap, tmp);
}

/* The report as text (see the top of this file). */
static void describe(const struct report *rep, char *out, size_t cap)
{
    out[0] = '\0';
    put(out, cap, rep->name);
    for (size_t i = 0; i < rep->nparams; i++) {
        put(out, cap, i ? " " : "\n");
        put(out, cap, rep->params[i].name);
        put(out, cap, "=");
        put_cell(out, cap, &rep->params[i].value);
    }
    put(out, cap, "\n");
    for (size_t s = 0; s < rep->nsections; s++) {
        const struct report_section *sec = &rep->sections[s];
        put(out, cap, "[");
        put(out, cap, sec->name);
        put(out, cap, " ");
        put(out, cap, shapes[sec->shape]);
        put(out, cap, ":");
        for (size_t c = 0; c < rep->ncols; c++) {
            if (!((sec->json_cols >> c) & 1))
                continue;
            put(out, cap, " ");
            put(out, cap, rep->cols[c].json);
        }
        put(out, cap, sec->totals ? "; totals]\n" : "]\n");
        for (size_t r = sec->first; r < sec->first + sec->count; r++) {
            for (size_t c = 0; c < rep->ncols; c++) {
                if (c > 0)
                    put(out, cap, "|");
                put_cell(out, cap, report_cell(rep, r, c));
            }
            put(out, cap, "\n");
        }
    }
}

/* The headings of a report, "|"-joined. */
static void headings(const struct report *rep, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t c = 0; c < rep->ncols; c++) {
        if (c > 0)
            put(out, cap, "|");
        put(out, cap, report_heading(rep, c));
    }
}

static struct actor actor(enum role role, const char *scope)
{
    struct actor a = {.role = role, .now = T("2021-06-01T12:00")};
    snprintf(a.user, sizeof a.user, "%s", "tester");
    snprintf(a.scope, sizeof a.scope, "%s", scope);
    return a;
}

/* What a fake source was asked, and what it answers. */
struct fake {
    bool called;
    char asked[80];   /* its arguments: "venue first last", "region year", "year" */
    int rc;           /* its answer after the rows */
    size_t repeat;    /* venue usage: rows[0] this many times instead */
    int64_t count;    /* venue usage: the count it answers (-1: the rows it has) */
    int64_t limit;    /* venue usage: the limit the count was asked with */
    const void *rows; /* struct usage_row, report_count or national_row */
    size_t n;
};

/* ---- R28, R29: venue usage ---- */

static int fake_usage(void *ctx, const struct actor *a, const char *venue, int32_t from, int32_t to,
                      store_usage_fn fn, void *fn_ctx)
{
    (void)a;
    struct fake *f = ctx;
    char first[DATE_STR_LEN], last[DATE_STR_LEN];
    date_format(from, first);
    date_format(to, last);
    f->called = true;
    snprintf(f->asked, sizeof f->asked, "%s %s %s", venue, first, last);
    const struct usage_row *rows = f->rows;
    size_t n = f->repeat ? f->repeat : f->n;
    for (size_t i = 0; i < n; i++) {
        int rc = fn(fn_ctx, &rows[f->repeat ? 0 : i]);
        if (rc != 0)
            return rc;
    }
    return f->rc;
}

static int fake_usage_count(void *ctx, const struct actor *a, const char *venue, int32_t from,
                            int32_t to, int64_t limit, int64_t *count)
{
    (void)a, (void)venue, (void)from, (void)to;
    struct fake *f = ctx;
    f->limit = limit;
    int64_t rows = f->repeat ? (int64_t)f->repeat : (int64_t)f->n;
    *count = f->count >= 0 ? f->count : rows < limit ? rows : limit;
    return 0;
}

static const struct usage_row hilla_rows[] = {
    {"E2251", 1, 2, "Taikuri Matti", 18295, 0}, /* 2020-02-03 */
    {"50141", 1, 2, "Kesäyöntaika", 18301, 0},  /* 2020-02-09 */
};

/* R28: the seed's Teatteri Hilla report and its totals "Yhteensä 2 4"; R29:
 * who may leave out the venue; the period's open ends; refusals. */
static void test_venue_usage_R28_R29(void **state)
{
    (void)state;
    const struct {
        const char *why;
        enum role role;
        const char *scope;
        struct venue_usage_query q;
        enum lang lang;
        size_t rows;
        int source_rc;
        int rc;
        const char *field;
        const char *asked; /* "" when the source must not be asked */
        const char *report;
    } cases[] = {
        {"R28 the seed's report; R29 venue staff leave out their venue",
         ROLE_VENUE,
         "hilla",
         {NULL, true, true, D(2020, 2, 1), D(2020, 2, 29)},
         LANG_FI,
         2,
         0,
         0,
         NULL,
         "hilla 2020-02-01 2020-02-29",
         "venue-usage-hilla-from-2020-02-01-to-2020-02-29\n"
         "venue=hilla from=2020-02-01 to=2020-02-29\n"
         "[rows list: card adult child event date]\n"
         "E2251|1|2|Taikuri Matti|2020-02-03\n"
         "50141|1|2|Kesäyöntaika|2020-02-09\n"
         "[totals object: adult child; totals]\n"
         "Yhteensä|2|4||\n"},
        {"R29 a coordinator names the venue; open ends are 1900 and 9999",
         ROLE_COORDINATOR,
         "espoo",
         {"hilla", false, false, -1, -1},
         LANG_SV,
         2,
         0,
         0,
         NULL,
         "hilla 1900-01-01 9999-12-31",
         "venue-usage-hilla\n"
         "venue=hilla from= to=\n"
         "[rows list: card adult child event date]\n"
         "E2251|1|2|Taikuri Matti|2020-02-03\n"
         "50141|1|2|Kesäyöntaika|2020-02-09\n"
         "[totals object: adult child; totals]\n"
         "Sammanlagt|2|4||\n"},
        {"from alone; an empty report totals zero",
         ROLE_NATIONAL,
         "",
         {"v1", true, false, D(2020, 3, 1), -1},
         LANG_EN,
         0,
         0,
         0,
         NULL,
         "v1 2020-03-01 9999-12-31",
         "venue-usage-v1-from-2020-03-01\n"
         "venue=v1 from=2020-03-01 to=\n"
         "[rows list: card adult child event date]\n"
         "[totals object: adult child; totals]\n"
         "Total|0|0||\n"},
        {"to alone",
         ROLE_NATIONAL,
         "",
         {"v1", false, true, -1, D(2020, 3, 1)},
         LANG_EN,
         0,
         0,
         0,
         NULL,
         "v1 1900-01-01 2020-03-01",
         NULL},
        {"one day",
         ROLE_NATIONAL,
         "",
         {"v1", true, true, D(2020, 3, 1), D(2020, 3, 1)},
         LANG_EN,
         0,
         0,
         0,
         NULL,
         "v1 2020-03-01 2020-03-01",
         NULL},
        {"national must name the venue",
         ROLE_NATIONAL,
         "",
         {NULL, false, false, -1, -1},
         LANG_EN,
         0,
         0,
         -ERR_INVALID_REQUEST,
         "venue",
         "",
         NULL},
        {"from after to",
         ROLE_VENUE,
         "hilla",
         {NULL, true, true, D(2020, 3, 1), D(2020, 2, 29)},
         LANG_EN,
         0,
         0,
         -ERR_INVALID_REQUEST,
         "from",
         "",
         NULL},
        {"R32 the store's refusal is passed on",
         ROLE_VENUE,
         "kajaani",
         {"hilla", false, false, -1, -1},
         LANG_EN,
         0,
         -ERR_FORBIDDEN,
         -ERR_FORBIDDEN,
         NULL,
         "hilla 1900-01-01 9999-12-31",
         NULL},
        {"a failure after some rows is passed on",
         ROLE_NATIONAL,
         "",
         {"hilla", false, false, -1, -1},
         LANG_EN,
         2,
         -ERR_INTERNAL,
         -ERR_INTERNAL,
         NULL,
         "hilla 1900-01-01 9999-12-31",
         NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct fake f = {
            .rc = cases[i].source_rc, .rows = hilla_rows, .n = cases[i].rows, .count = -1};
        struct report_source src = {
            .venue_usage = fake_usage, .venue_usage_count = fake_usage_count, .ctx = &f};
        struct actor a = actor(cases[i].role, cases[i].scope);
        struct error_details d = {0};
        struct report_ctx ctx = {&src, &a, cases[i].lang, &d};
        struct report rep;
        assert_int_equal(report_venue_usage(&ctx, &cases[i].q, &rep), cases[i].rc);
        assert_int_equal(f.called, cases[i].asked[0] != '\0');
        assert_string_equal(f.asked, cases[i].asked);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        else
            assert_null(d.field);
        char text[2048];
        if (cases[i].report) {
            describe(&rep, text, sizeof text);
            assert_string_equal(text, cases[i].report);
        }
        report_release(&rep);
    }
}

/* R28 headings in the seed's words, per language (R36). */
static void test_venue_usage_headings_R28(void **state)
{
    (void)state;
    const struct {
        enum lang lang;
        const char *headings;
    } cases[] = {
        {LANG_FI, "Kortin tunnus|Lippu aikuiselle|Lippu lapselle (alle 16 v.)|Esityksen nimi|"
                  "Päivämäärä"},
        {LANG_SV, "Kortets kod|Biljett för vuxna|Biljett för barn (under 16 år)|"
                  "Föreställningens namn|Datum"},
        {LANG_EN, "Card code|Adult tickets|Child tickets (under 16)|Event|Date"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fake f = {.count = -1};
        struct report_source src = {
            .venue_usage = fake_usage, .venue_usage_count = fake_usage_count, .ctx = &f};
        struct actor a = actor(ROLE_VENUE, "hilla");
        struct report_ctx ctx = {&src, &a, cases[i].lang, NULL};
        const struct venue_usage_query q = {NULL, false, false, -1, -1};
        struct report rep;
        assert_int_equal(report_venue_usage(&ctx, &q, &rep), 0);
        char text[512];
        headings(&rep, text, sizeof text);
        assert_string_equal(text, cases[i].headings);
        assert_string_equal(rep.sheet, "venue-usage");
        report_release(&rep);
    }
}

/* A report holds its rows in memory: USAGE_ROWS_MAX rows are built; a
 * period with one more is refused (400, details field "to" and max_rows)
 * after the count, before the source is asked for a row; should more rows
 * come than were counted (recorded meanwhile), the source is stopped at the
 * bound. */
static void test_venue_usage_bound(void **state)
{
    (void)state;
    const struct {
        const char *why;
        size_t rows;   /* that the source gives */
        int64_t count; /* that the count answers (-1: the rows) */
        int rc;
        bool rows_read;
    } cases[] = {
        {"at the bound: built", USAGE_ROWS_MAX, -1, 0, true},
        {"one more: refused after the count, no row read", USAGE_ROWS_MAX + 1, -1,
         -ERR_INVALID_REQUEST, false},
        {"a million: the count stops at the bound + 1", 1000000, -1, -ERR_INVALID_REQUEST, false},
        {"more rows than counted: stopped at the bound", USAGE_ROWS_MAX + 1, USAGE_ROWS_MAX,
         -ERR_INVALID_REQUEST, true},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct fake f = {.rows = hilla_rows, .repeat = cases[i].rows, .count = cases[i].count};
        struct report_source src = {
            .venue_usage = fake_usage, .venue_usage_count = fake_usage_count, .ctx = &f};
        struct actor a = actor(ROLE_VENUE, "hilla");
        struct error_details d = {0};
        struct report_ctx ctx = {&src, &a, LANG_EN, &d};
        const struct venue_usage_query q = {NULL, false, false, -1, -1};
        struct report rep;
        assert_int_equal(report_venue_usage(&ctx, &q, &rep), cases[i].rc);
        assert_int_equal(f.limit, USAGE_ROWS_MAX + 1);
        assert_int_equal(f.called, cases[i].rows_read);
        if (cases[i].rc == 0) {
            assert_int_equal(rep.rows, USAGE_ROWS_MAX + 1); /* and the totals */
            const struct cell *adult = report_cell(&rep, USAGE_ROWS_MAX, 1);
            assert_int_equal(adult->value, USAGE_ROWS_MAX);
        } else {
            assert_string_equal(d.field, "to");
            assert_string_equal(d.key, "max_rows");
            assert_int_equal(d.value, 100000);
            assert_int_equal(rep.rows, cases[i].rows_read ? USAGE_ROWS_MAX : 0);
        }
        report_release(&rep);
    }
}

/* ---- R30: cardholders ---- */

static int fake_counts(void *ctx, const struct actor *a, const char *region,
                       const struct report_period *p, report_count_fn fn, void *fn_ctx)
{
    (void)a;
    struct fake *f = ctx;
    char last[DATE_STR_LEN], before[DATE_STR_LEN];
    date_format(p->through, last);
    date_format(p->recorded_before, before);
    f->called = true;
    snprintf(f->asked, sizeof f->asked, "%s %d %s %s", region, p->year, last, before);
    const struct report_count *counts = f->rows;
    for (size_t i = 0; i < f->n; i++) {
        int rc = fn(fn_ctx, &counts[i]);
        if (rc != 0)
            return rc;
    }
    return f->rc;
}

/* Region r1 in 2021 as the store's tally gives it: 6 cardholders, 5 alike. */
static const struct report_count r1_counts[] = {
    {DIM_TOTAL, "", 6},
    {DIM_BIRTH_YEAR_BAND,
     "1980\xe2\x80\x93"
     "1989",
     5},
    {DIM_BIRTH_YEAR_BAND,
     "1990\xe2\x80\x93"
     "1999",
     1},
    {DIM_MOTHER_TONGUE, "fi", 5},
    {DIM_MOTHER_TONGUE, "sv", 1},
    {DIM_GENDER, "female", 5},
    {DIM_GENDER, "male", 1},
    {DIM_GENDER, "other", 0},
    {DIM_GENDER, "not_told", 0},
    {DIM_POSTAL_CODE, "02100", 6},
    {DIM_LIFE_SITUATION, "unemployed", 6},
    {DIM_LIFE_SITUATION, "debt", 2},
    {DIM_UNIT, "u1", 6},
    {DIM_UNIT, "u2", 0},
    {DIM_MONTH, "2021-01", 5},
    {DIM_MONTH, "2021-03", 1},
};

/* R30: the 1990s and sv are left out (fewer than five, in open breakdowns); beside each "<5" of a
 * fixed breakdown, zeros are "<5" too and the first count of five or more is ">=5". */
#define R1_SUPPRESSED                                                          \
    "[total value: count; totals]\n"                                           \
    "Total||6\n"                                                               \
    "[birth_year_band map: value count]\n"                                     \
    "Birth year|1980\xe2\x80\x93"                                              \
    "1989|5\n"                                                                 \
    "[mother_tongue map: value count]\n"                                       \
    "Mother tongue|fi|5\n"                                                     \
    "[gender map: value count]\n"                                              \
    "Gender|female|>=5\nGender|male|<5\nGender|other|<5\nGender|not_told|<5\n" \
    "[postal_code map: value count]\n"                                         \
    "Postal code|02100|6\n"                                                    \
    "[life_situation map: value count]\n"                                      \
    "Life situation|unemployed|6\nLife situation|debt|<5\n"                    \
    "[unit map: value count]\n"                                                \
    "Distributing unit|u1|6\nDistributing unit|u2|0\n"                         \
    "[month map: value count]\n"                                               \
    "Month|2021-01|>=5\nMonth|2021-03|<5\n"

#define EMPTY_BREAKDOWNS                   \
    "[birth_year_band map: value count]\n" \
    "[mother_tongue map: value count]\n"   \
    "[gender map: value count]\n"          \
    "[postal_code map: value count]\n"     \
    "[life_situation map: value count]\n"  \
    "[unit map: value count]\n"            \
    "[month map: value count]\n"

static const struct report_count small_total[] = {{DIM_TOTAL, "", 3}, {DIM_GENDER, "male", 3}};
static const struct report_count out_of_order[] = {{DIM_GENDER, "male", 3}, {DIM_TOTAL, "", 3}};

/* R30: counts 1–4 are "<5" unless national turns suppression off; 0 and 5+
 * are shown; every breakdown is there, in order, even when empty; the
 * coordinator's own region by default, the whole country for national. */
static void test_cardholders_R30(void **state)
{
    (void)state;
    const struct {
        const char *why;
        enum role role;
        const char *scope;
        struct cardholders_query q;
        const struct report_count *counts;
        size_t n;
        int source_rc;
        int rc;
        const char *field;
        const char *asked;
        const char *report;
    } cases[] = {
        {"R30 complementary suppression; a coordinator's own region",
         ROLE_COORDINATOR,
         "r1",
         {NULL, 2021, true},
         r1_counts,
         ARRAY_LEN(r1_counts),
         0,
         0,
         NULL,
         "r1 2021 2021-05-31 2021-06-01",
         "cardholders-r1-2021\nregion=r1 year=2021 suppressed=true "
         "through=2021-05-31\n" R1_SUPPRESSED},
        {"R30 national, suppressed",
         ROLE_NATIONAL,
         "",
         {"r1", 2021, true},
         r1_counts,
         ARRAY_LEN(r1_counts),
         0,
         0,
         NULL,
         "r1 2021 2021-05-31 2021-06-01",
         "cardholders-r1-2021\nregion=r1 year=2021 suppressed=true "
         "through=2021-05-31\n" R1_SUPPRESSED},
        {"R30 national may see exact counts; the whole country",
         ROLE_NATIONAL,
         "",
         {NULL, 2021, false},
         small_total,
         ARRAY_LEN(small_total),
         0,
         0,
         NULL,
         " 2021 2021-05-31 2021-06-01",
         "cardholders-all-2021\nregion= year=2021 suppressed=false through=2021-05-31\n"
         "[total value: count; totals]\nTotal||3\n"
         "[birth_year_band map: value count]\n[mother_tongue map: value count]\n"
         "[gender map: value count]\nGender|male|3\n"
         "[postal_code map: value count]\n[life_situation map: value count]\n"
         "[unit map: value count]\n[month map: value count]\n"},
        {"R30 a small total is hidden too",
         ROLE_COORDINATOR,
         "r1",
         {"r1", 2020, true},
         small_total,
         1,
         0,
         0,
         NULL,
         "r1 2020 2020-12-31 2021-06-01",
         "cardholders-r1-2020\nregion=r1 year=2020 suppressed=true through=2020-12-31\n"
         "[total value: count; totals]\nTotal||<5\n" EMPTY_BREAKDOWNS},
        {"a source that gives no total: the total is 0",
         ROLE_NATIONAL,
         "",
         {"r1", 2020, true},
         NULL,
         0,
         0,
         0,
         NULL,
         "r1 2020 2020-12-31 2021-06-01",
         "cardholders-r1-2020\nregion=r1 year=2020 suppressed=true through=2020-12-31\n"
         "[total value: count; totals]\nTotal||0\n" EMPTY_BREAKDOWNS},
        {"R30 suppression stays on for coordinators",
         ROLE_COORDINATOR,
         "r1",
         {NULL, 2021, false},
         r1_counts,
         ARRAY_LEN(r1_counts),
         0,
         -ERR_FORBIDDEN,
         "suppress",
         "",
         NULL},
        {"R32 the store's refusal is passed on",
         ROLE_COORDINATOR,
         "r2",
         {"r1", 2021, true},
         NULL,
         0,
         -ERR_FORBIDDEN,
         -ERR_FORBIDDEN,
         NULL,
         "r1 2021 2021-05-31 2021-06-01",
         NULL},
        {"counts out of order: the source's bug",
         ROLE_NATIONAL,
         "",
         {"r1", 2021, true},
         out_of_order,
         ARRAY_LEN(out_of_order),
         0,
         -ERR_INTERNAL,
         NULL,
         "r1 2021 2021-05-31 2021-06-01",
         NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct fake f = {.rc = cases[i].source_rc, .rows = cases[i].counts, .n = cases[i].n};
        struct report_source src = {.cardholders = fake_counts, .ctx = &f};
        struct actor a = actor(cases[i].role, cases[i].scope);
        struct error_details d = {0};
        struct report_ctx ctx = {&src, &a, LANG_EN, &d};
        struct report rep;
        assert_int_equal(report_cardholders(&ctx, &cases[i].q, &rep), cases[i].rc);
        assert_int_equal(f.called, cases[i].asked[0] != '\0');
        assert_string_equal(f.asked, cases[i].asked);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        else
            assert_null(d.field);
        char text[4096];
        if (cases[i].report) {
            describe(&rep, text, sizeof text);
            assert_string_equal(text, cases[i].report);
        }
        report_release(&rep);
    }
}

/* R30 in Finnish: the headings and the words of each breakdown (R36). */
static void test_cardholders_headings_R30(void **state)
{
    (void)state;
    struct fake f = {.rows = r1_counts, .n = 3};
    struct report_source src = {.cardholders = fake_counts, .ctx = &f};
    struct actor a = actor(ROLE_COORDINATOR, "r1");
    struct report_ctx ctx = {&src, &a, LANG_FI, NULL};
    const struct cardholders_query q = {NULL, 2021, true};
    struct report rep;
    assert_int_equal(report_cardholders(&ctx, &q, &rep), 0);
    char text[4096];
    headings(&rep, text, sizeof text);
    assert_string_equal(text, "Peruste|Arvo|Määrä");
    describe(&rep, text, sizeof text);
    assert_non_null(strstr(text, "Yhteensä||6\n"));
    assert_non_null(strstr(text, "Syntymävuosi|1980\xe2\x80\x93"
                                 "1989|5\n"));
    assert_null(strstr(text, "1990\xe2\x80\x93")); /* R30: fewer than five, left out */
    assert_string_equal(rep.sheet, "cardholders");
    report_release(&rep);
}

/* ---- R31: national statistics ---- */

static int fake_national(void *ctx, const struct actor *a, int year, store_national_fn fn,
                         void *fn_ctx)
{
    (void)a;
    struct fake *f = ctx;
    f->called = true;
    snprintf(f->asked, sizeof f->asked, "%d", year);
    const struct national_row *rows = f->rows;
    for (size_t i = 0; i < f->n; i++) {
        int rc = fn(fn_ctx, &rows[i]);
        if (rc != 0)
            return rc;
    }
    return f->rc;
}

/* Figures in the order of enum national_figure: in stock, handed out, valid
 * now, cancelled, renewals, uses, adult, child, companion, used at least
 * once, venues, units, events. */
static const struct national_row regions_2021[] = {
    {"r1", "Espoo", {{3, 7, 2, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0}}},
    {"r2", "Kainuu", {{2, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1}}},
    {"", "", {{0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1}}}, /* R22: the pop-up venues */
};
static const struct national_row two_pop_ups[] = {
    {"", "", {{0}}},
    {"", "", {{0}}},
};

#define NATIONAL_SECTIONS(pop_up_row, total_row)                                           \
    "[pop_up object: in_stock handed_out valid_now cancelled renewals uses adult child "   \
    "companion used_at_least_once used_share venues units events]\n" pop_up_row            \
    "[combined object: in_stock handed_out valid_now cancelled renewals uses adult child " \
    "companion used_at_least_once used_share venues units events; totals]\n" total_row

#define REGIONS                                                                               \
    "[regions list: region name in_stock handed_out valid_now cancelled renewals uses adult " \
    "child companion used_at_least_once used_share venues units events]\n"

/* R31: a row per region with the share used (1 of 7 is 0.143; none handed
 * out: empty), the pop-up venues (R22) after them, the combined figures
 * summed here. */
static void test_national_R31(void **state)
{
    (void)state;
    const struct {
        const char *why;
        const struct national_row *rows;
        size_t n;
        int source_rc;
        int rc;
        const char *report;
    } cases[] = {
        {"R31 2021: two regions and the pop-up venues", regions_2021, 3, 0, 0,
         "national-2021\nyear=2021\n" REGIONS "r1|Espoo|3|7|2|0|0|0|0|0|0|1|s143|1|2|0\n"
         "r2|Kainuu|2|1|0|0|0|1|1|0|0|1|s1000|1|1|1\n" NATIONAL_SECTIONS(
             "|Pop-up venues|0|0|0|0|0|1|1|1|0|0||1|0|1\n",
             "|Total|5|8|2|0|0|2|2|1|0|2|s250|3|3|2\n")},
        {"R31 no pop-up row: an empty object", regions_2021, 1, 0, 0,
         "national-2021\nyear=2021\n" REGIONS
         "r1|Espoo|3|7|2|0|0|0|0|0|0|1|s143|1|2|0\n" NATIONAL_SECTIONS(
             "", "|Total|3|7|2|0|0|0|0|0|0|1|s143|1|2|0\n")},
        {"R31 nothing at all", NULL, 0, 0, 0,
         "national-2021\nyear=2021\n" REGIONS NATIONAL_SECTIONS(
             "", "|Total|0|0|0|0|0|0|0|0|0|0||0|0|0\n")},
        {"R22 the pop-up venues are one row", two_pop_ups, 2, 0, -ERR_INTERNAL, NULL},
        {"R32 the store's refusal is passed on", NULL, 0, -ERR_FORBIDDEN, -ERR_FORBIDDEN, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct fake f = {.rc = cases[i].source_rc, .rows = cases[i].rows, .n = cases[i].n};
        struct report_source src = {.national = fake_national, .ctx = &f};
        struct actor a = actor(ROLE_NATIONAL, "");
        struct report_ctx ctx = {&src, &a, LANG_EN, NULL};
        struct report rep;
        assert_int_equal(report_national(&ctx, 2021, &rep), cases[i].rc);
        assert_string_equal(f.asked, "2021");
        char text[4096];
        if (cases[i].report) {
            describe(&rep, text, sizeof text);
            assert_string_equal(text, cases[i].report);
        }
        report_release(&rep);
    }
}

/* R31's headings: the share used right after the count used. */
static void test_national_headings_R31(void **state)
{
    (void)state;
    struct fake f = {0};
    struct report_source src = {.national = fake_national, .ctx = &f};
    struct actor a = actor(ROLE_NATIONAL, "");
    struct report_ctx ctx = {&src, &a, LANG_EN, NULL};
    struct report rep;
    assert_int_equal(report_national(&ctx, 2020, &rep), 0);
    char text[1024];
    headings(&rep, text, sizeof text);
    assert_string_equal(text, "Region|Name|Cards in stock|Cards handed out|Valid now|Cancelled|"
                              "Renewals|Uses|Adult tickets|Child tickets|Companion tickets|"
                              "Cards used at least once|Share used|Venues|Distributing units|"
                              "Events");
    assert_string_equal(rep.sheet, "national");
    assert_string_equal(rep.name, "national-2020");
    report_release(&rep);
}

/* ---- R31 beside the previous year (issue 16) ---- */

static int fake_statistics(void *ctx, const struct actor *a, const char *region, int year,
                           store_statistics_fn fn, void *fn_ctx)
{
    (void)a;
    struct fake *f = ctx;
    f->called = true;
    snprintf(f->asked, sizeof f->asked, "%s %d", region, year);
    const struct statistics_row *rows = f->rows;
    for (size_t i = 0; i < f->n; i++) {
        int rc = fn(fn_ctx, &rows[i]);
        if (rc != 0)
            return rc;
    }
    return f->rc;
}

/* 2021 beside 2020: r1 handed out 7 (3 before), 1 used (1 before); its
 * uses by domain culture 2, science 1; the pop-up venues' 1 use (science). */
static const struct statistics_row stats_2021[] = {
    {"r1",
     "Espoo",
     {{{3, 7, 2, 1, 1, 3, 3, 1, 0, 1, 1, 2, 4}}, {2, 0, 1, 0, 0}},
     {{{9, 3, 9, 0, 0, 5, 5, 0, 0, 1, 9, 9, 6}}, {4, 1, 0, 0, 0}}},
    {"", "", {{{0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1}}, {0, 0, 1, 0, 0}}, {{{0}}, {0}}},
};

/* Each case: the lines its report must hold, "|"-joined as describe() writes them. */
static void test_statistics_R31(void **state)
{
    (void)state;
    const struct {
        const char *why;
        enum role role;
        const char *scope, *region;
        int year;
        int rc;
        const char *asked;
        const char *lines[8];
    } cases[] = {
        {"R31 national: every region, a figure per row, the previous year beside",
         ROLE_NATIONAL,
         "",
         NULL,
         2021,
         0,
         " 2021",
         {"statistics-all-2021\nyear=2021 previous_year=2020 region=\n",
          "\nr1|Espoo|handed_out|7|3\n", "\nr1|Espoo|in_stock|3|\n", "\nr1|Espoo|uses|3|5\n",
          "\nr1|Espoo|uses_culture|2|4\nr1|Espoo|uses_education|0|1\nr1|Espoo|uses_science|1|0\n",
          "\nr1|Espoo|used_share|s143|s333\n", "\n|Pop-up venues|uses_science|1|0\n",
          "\n|Total|uses|4|5\n"}},
        {"R31 a coordinator: their own region by default",
         ROLE_COORDINATOR,
         "r2",
         NULL,
         2021,
         0,
         "r2 2021",
         {"statistics-r2-2021\nyear=2021 previous_year=2020 region=r2\n"}},
        {"R31 a region asked",
         ROLE_NATIONAL,
         "",
         "r1",
         2021,
         0,
         "r1 2021",
         {"statistics-r1-2021\n"}},
        {"R31 a year without a previous one",
         ROLE_NATIONAL,
         "",
         NULL,
         1900,
         -ERR_INVALID_REQUEST,
         "",
         {NULL}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct fake f = {.rows = stats_2021, .n = ARRAY_LEN(stats_2021)};
        struct report_source src = {.statistics = fake_statistics, .ctx = &f};
        struct actor a = actor(cases[i].role, cases[i].scope);
        struct error_details d = {0};
        struct report_ctx ctx = {&src, &a, LANG_EN, &d};
        struct statistics_query q = {cases[i].region, cases[i].year};
        struct report rep;
        assert_int_equal(report_statistics(&ctx, &q, &rep), cases[i].rc);
        assert_string_equal(f.asked, cases[i].asked);
        if (cases[i].rc != 0)
            assert_string_equal(d.field, "year");
        static char text[16384];
        describe(&rep, text, sizeof text);
        for (size_t k = 0; k < ARRAY_LEN(cases[i].lines) && cases[i].lines[k]; k++)
            if (!strstr(text, cases[i].lines[k]))
                fail_msg("%s: no [%s] in\n%s", cases[i].why, cases[i].lines[k], text);
        report_release(&rep);
    }
    /* The headings; every figure, in order, once per region. */
    struct fake f = {.rows = stats_2021, .n = 1};
    struct report_source src = {.statistics = fake_statistics, .ctx = &f};
    struct actor a = actor(ROLE_NATIONAL, "");
    struct report_ctx ctx = {&src, &a, LANG_EN, NULL};
    struct report rep;
    assert_int_equal(report_statistics(&ctx, &(struct statistics_query){NULL, 2021}, &rep), 0);
    char text[256];
    headings(&rep, text, sizeof text);
    assert_string_equal(text, "Region|Name|Figure|Value|Previous year");
    assert_int_equal(rep.sections[0].count, STAT_COUNT);
    for (int s = 0; s < STAT_COUNT; s++)
        assert_string_equal(report_cell(&rep, (size_t)s, 2)->text, name_of(&stat_figure_names, s));
    report_release(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_venue_usage_R28_R29),
        cmocka_unit_test(test_venue_usage_headings_R28),
        cmocka_unit_test(test_venue_usage_bound),
        cmocka_unit_test(test_cardholders_R30),
        cmocka_unit_test(test_cardholders_headings_R30),
        cmocka_unit_test(test_national_R31),
        cmocka_unit_test(test_national_headings_R31),
        cmocka_unit_test(test_statistics_R31),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
