/* report/table.c and report/xlsx.c: the seed's venue report as CSV (R28),
 * RFC 4180 quoting, CSV injection, and an XLSX workbook that leaves no
 * temporary file behind. */
#include "testutil.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/table.h"

/* The seed's Teatteri Hilla example (R28), with its headings. */
static void hilla(struct table *t)
{
    const struct cell rows[][5] = {
        {CELL_T("Kortin tunnus"), CELL_T("Lippu aikuiselle"), CELL_T("Lippu lapselle (alle 16 v.)"),
         CELL_T("Esityksen nimi"), CELL_T("Päivämäärä")},
        {CELL_T("E2251"), CELL_I(1), CELL_I(2), CELL_T("Taikuri Matti"), CELL_D(D(2020, 2, 3))},
        {CELL_T("50141"), CELL_I(1), CELL_I(2), CELL_T("Kesäyöntaika"), CELL_D(D(2020, 2, 9))},
        {CELL_T("Yhteensä"), CELL_I(2), CELL_I(4), CELL_NONE, CELL_NONE},
    };
    table_init(t, "venue-usage", 5, LANG_FI);
    for (size_t i = 0; i < ARRAY_LEN(rows); i++)
        assert_int_equal(table_add(t, rows[i]), 0);
}

static void test_csv_seed_example_R28(void **state)
{
    (void)state;
    struct table t;
    hilla(&t);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(table_csv(&t, &out, &len), 0);
    static const char want[] =
        "Kortin tunnus,Lippu aikuiselle,Lippu lapselle (alle 16 v.),Esityksen nimi,Päivämäärä\r\n"
        "E2251,1,2,Taikuri Matti,2020-02-03\r\n"
        "50141,1,2,Kesäyöntaika,2020-02-09\r\n"
        "Yhteensä,2,4,,\r\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(out, want, len);
    free(out);
    table_release(&t);
}

/* One cell per case, written as a one-row, two-column table after "x". */
static void test_csv_fields(void **state)
{
    (void)state;
    const struct {
        const char *why;
        struct cell cell;
        const char *csv;
    } cases[] = {
        {"plain text", CELL_T("Taikuri Matti"), "x,Taikuri Matti\r\n"},
        {"a comma is quoted", CELL_T("Hamlet, prinssi"), "x,\"Hamlet, prinssi\"\r\n"},
        {"quotes are doubled", CELL_T("\"Uusi\" Kalevala"), "x,\"\"\"Uusi\"\" Kalevala\"\r\n"},
        {"a line feed is quoted", CELL_T("a\nb"), "x,\"a\nb\"\r\n"},
        {"a carriage return is quoted", CELL_T("a\rb"), "x,\"a\rb\"\r\n"},
        {"an empty text", CELL_T(""), "x,\r\n"},
        {"UTF-8 as it is", CELL_T("Kesäyöntaika"), "x,Kesäyöntaika\r\n"},
        {"a formula is defused", CELL_T("=HYPERLINK(\"x\")"), "x,\"'=HYPERLINK(\"\"x\"\")\"\r\n"},
        {"plus", CELL_T("+358"), "x,'+358\r\n"},
        {"minus", CELL_T("-1"), "x,'-1\r\n"},
        {"at", CELL_T("@SUM(A1)"), "x,'@SUM(A1)\r\n"},
        {"a tab first", CELL_T("\tx"), "x,'\tx\r\n"},
        {"an equals sign later is fine", CELL_T("a=b"), "x,a=b\r\n"},
        {"a formula after ';' (Finnish Excel's separator)", CELL_T("Konsertti;=cmd|' /C calc'!A0"),
         "x,\"Konsertti;'=cmd|' /C calc'!A0\"\r\n"},
        {"a formula after ','", CELL_T("a,-1"), "x,\"a,'-1\"\r\n"},
        {"a semicolon alone is quoted", CELL_T("a;b"), "x,\"a;b\"\r\n"},
        {"small counts stay text", CELL_T("<5"), "x,<5\r\n"},
        {"an integer", CELL_I(-12), "x,-12\r\n"},
        {"a date", CELL_D(D(2020, 2, 29)), "x,2020-02-29\r\n"},
        {"a share", CELL_S(143), "x,0.143\r\n"},
        {"a whole share", CELL_S(1000), "x,1.000\r\n"},
        {"nothing", CELL_NONE, "x,\r\n"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct table t;
        table_init(&t, "t", 2, LANG_EN);
        const struct cell row[] = {CELL_T("x"), cases[i].cell};
        assert_int_equal(table_add(&t, row), 0);
        char *out = NULL;
        size_t len = 0;
        assert_int_equal(table_csv(&t, &out, &len), 0);
        if (len != strlen(cases[i].csv) || memcmp(out, cases[i].csv, len) != 0)
            fail_msg("%s: got [%.*s]", cases[i].why, (int)len, out);
        free(out);
        table_release(&t);
    }
}

/* The table keeps its own copies of texts; an empty table is no bytes. */
static void test_table_copies(void **state)
{
    (void)state;
    struct table t;
    table_init(&t, "t", 1, LANG_EN);
    char *out = NULL;
    size_t len = 99;
    assert_int_equal(table_csv(&t, &out, &len), 0);
    assert_int_equal(len, 0);
    free(out);
    char text[] = "first";
    for (int i = 0; i < 200; i++) { /* grows past the first allocation */
        const struct cell row[] = {CELL_T(text)};
        assert_int_equal(table_add(&t, row), 0);
    }
    memcpy(text, "XXXXX", 5);
    assert_int_equal(table_csv(&t, &out, &len), 0);
    assert_int_equal(len, 200 * strlen("first\r\n"));
    assert_memory_equal(out, "first\r\nfirst\r\n", 14);
    free(out);
    table_release(&t);
    table_release(&t); /* twice is harmless */
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* R28 as XLSX: a zip with the workbook's parts, written through a temporary
 * file in $TMPDIR that is gone afterwards. */
static void test_xlsx(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", tmpdir_make());
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", dir, 1);

    struct table t;
    hilla(&t);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(table_xlsx(&t, &out, &len), 0);
    assert_true(len > 1000);
    assert_memory_equal(out, "PK\x03\x04", 4);
    /* zip entries carry their names in the clear */
    assert_true(contains(out, len, "xl/worksheets/sheet1.xml"));
    assert_true(contains(out, len, "xl/sharedStrings.xml"));
    assert_int_equal(entries(dir), 0);
    free(out);

    /* A directory that does not exist: an error, and nothing returned. */
    setenv("TMPDIR", "/nonexistent-kaiku-dir", 1);
    out = (char *)1;
    assert_int_equal(table_xlsx(&t, &out, &len), -ERR_INTERNAL);
    assert_null(out);
    table_release(&t);

    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_seed_example_R28),
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_table_copies),
        cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
