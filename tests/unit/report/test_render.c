/* report/render_*.c: small reports, made here cell by cell, rendered to
 * JSON, CSV and XLSX. The seed's venue report (R28) byte for byte in JSON
 * and CSV; every JSON shape with R30's hidden counts; RFC 4180 quoting and
 * CSV injection; an XLSX workbook read back by Python's zipfile (CRCs
 * checked) with the expected cells, that leaves no temporary file behind. */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const struct report_column usage_cols[] = {
    {COL_TEXT, LABEL_CARD, "card"},    {COL_COUNT, LABEL_ADULT, "adult"},
    {COL_COUNT, LABEL_CHILD, "child"}, {COL_TEXT, LABEL_EVENT, "event"},
    {COL_DATE, LABEL_DATE, "date"},
};

/* The seed's Teatteri Hilla example (R28), as the venue usage builder lays
 * it out: params, the rows, and the totals (adult and child in JSON). */
static void hilla(struct report *rep, enum lang lang)
{
    const struct cell rows[][5] = {
        {CELL_T("E2251"), CELL_I(1), CELL_I(2), CELL_T("Taikuri Matti"), CELL_D(D(2020, 2, 3))},
        {CELL_T("50141"), CELL_I(1), CELL_I(2), CELL_T("Kesäyöntaika"), CELL_D(D(2020, 2, 9))},
    };
    const struct cell total[5] = {CELL_T(report_label(LABEL_TOTAL, lang)), CELL_I(2), CELL_I(4),
                                  CELL_NONE, CELL_NONE};
    report_init(rep, "venue-usage", lang);
    report_columns(rep, usage_cols, ARRAY_LEN(usage_cols));
    assert_int_equal(report_param(rep, "venue", CELL_T("v1")), 0);
    assert_int_equal(report_param(rep, "from", CELL_D(D(2020, 2, 1))), 0);
    assert_int_equal(report_param(rep, "to", CELL_NONE), 0);
    report_section(rep, "rows", SHAPE_LIST, 0x1f, false);
    for (size_t i = 0; i < ARRAY_LEN(rows); i++)
        assert_int_equal(report_row(rep, rows[i]), 0);
    report_section(rep, "totals", SHAPE_OBJECT, 0x06, true);
    assert_int_equal(report_row(rep, total), 0);
}

/* Renders rep and compares the bytes with want. */
static void expect_bytes(const struct report_renderer *how, const struct report *rep,
                         const char *want)
{
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(how->render(rep, &out, &len), 0);
    assert_non_null(out);
    if (len != strlen(want) || memcmp(out, want, len) != 0)
        fail_msg("%s: got [%.*s]\nwant [%s]", how->format, (int)len, out, want);
    free(out);
}

/* ---- JSON ---- */

static void test_json_seed_example_R28(void **state)
{
    (void)state;
    struct report rep;
    hilla(&rep, LANG_FI);
    expect_bytes(&render_json, &rep,
                 "{\"venue\":\"v1\",\"from\":\"2020-02-01\",\"to\":null,\"rows\":["
                 "{\"card\":\"E2251\",\"adult\":1,\"child\":2,\"event\":\"Taikuri Matti\","
                 "\"date\":\"2020-02-03\"},"
                 "{\"card\":\"50141\",\"adult\":1,\"child\":2,\"event\":\"Kesäyöntaika\","
                 "\"date\":\"2020-02-09\"}],"
                 "\"totals\":{\"adult\":2,\"child\":4}}");
    assert_string_equal(render_json.media_type, "application/json; charset=utf-8");
    assert_false(render_json.download);
    report_release(&rep);
}

/* Every shape: a value, maps (R30: "<5" where the builder hid a count; an
 * empty map), an object with and without its row, a list with a share and
 * an empty share; params null, integer and boolean; texts escaped. */
static void test_json_shapes_R30_R31(void **state)
{
    (void)state;
    static const struct report_column cols[] = {
        {COL_TEXT, LABEL_BREAKDOWN, NULL},
        {COL_TEXT, LABEL_VALUE, "value"},
        {COL_SMALL, LABEL_COUNT, "count"},
        {COL_SHARE, LABEL_USED_SHARE, "used_share"},
    };
    struct report rep;
    report_init(&rep, "shapes", LANG_EN);
    report_columns(&rep, cols, ARRAY_LEN(cols));
    assert_int_equal(report_param(&rep, "region", CELL_NONE), 0);
    assert_int_equal(report_param(&rep, "year", CELL_I(2021)), 0);
    assert_int_equal(report_param(&rep, "suppressed", CELL_B(true)), 0);
    const struct cell total[] = {CELL_T("Total"), CELL_NONE, CELL_I(7), CELL_NONE};
    report_section(&rep, "total", SHAPE_VALUE, 0x4, true);
    assert_int_equal(report_row(&rep, total), 0);
    const struct cell gender[][4] = {
        {CELL_T("Gender"), CELL_T("female"), CELL_I(5), CELL_NONE},
        {CELL_T("Gender"), CELL_T("male"), CELL_I(2), CELL_NONE},
        {CELL_T("Gender"), CELL_T("\"quoted\" \xe2\x80\x93 \\"), CELL_I(0), CELL_NONE},
    };
    report_section(&rep, "gender", SHAPE_MAP, 0x6, false);
    for (size_t i = 0; i < ARRAY_LEN(gender); i++)
        assert_int_equal(report_row(&rep, gender[i]), 0);
    report_hide(&rep, 2, 2);       /* male: 2 */
    report_hide_large(&rep, 1, 2); /* female: 5, hidden beside it */
    report_section(&rep, "postal_code", SHAPE_MAP, 0x6, false);
    const struct cell shares[][4] = {
        {CELL_T("r1"), CELL_T("Espoo"), CELL_I(3), CELL_S(143)},
        {CELL_T("r2"), CELL_T("Kainuu"), CELL_I(0), CELL_NONE},
    };
    report_section(&rep, "regions", SHAPE_LIST, 0xe, false);
    for (size_t i = 0; i < ARRAY_LEN(shares); i++)
        assert_int_equal(report_row(&rep, shares[i]), 0);
    report_section(&rep, "pop_up", SHAPE_OBJECT, 0xc, false);
    report_section(&rep, "combined", SHAPE_OBJECT, 0xc, true);
    const struct cell combined[] = {CELL_T(""), CELL_T("Total"), CELL_I(3), CELL_S(1000)};
    assert_int_equal(report_row(&rep, combined), 0);
    report_section(&rep, "nothing", SHAPE_VALUE, 0x4, false);
    expect_bytes(&render_json, &rep,
                 "{\"region\":null,\"year\":2021,\"suppressed\":true,\"total\":7,"
                 "\"gender\":{\"female\":\"\xe2\x89\xa5"
                 "5\",\"male\":\"<5\",\"\\\"quoted\\\" \xe2\x80\x93 "
                 "\\\\\":0},"
                 "\"postal_code\":{},"
                 "\"regions\":[{\"value\":\"Espoo\",\"count\":3,\"used_share\":0.143},"
                 "{\"value\":\"Kainuu\",\"count\":0,\"used_share\":null}],"
                 "\"pop_up\":{},\"combined\":{\"count\":3,\"used_share\":1.0},\"nothing\":null}");
    report_release(&rep);
}

/* A list's rows are written without jansson (issue 16), to the bytes
 * jansson writes: each text here, with a share and a hidden count beside
 * it, against json_dumps of the same row made with jansson. A text that is
 * not UTF-8 fails the render, as json_string refuses it. */
static void test_json_rows_as_jansson_R28(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",          "E2251",       "Kesäyöntaika", "\"quoted\"", "back\\slash",
        "tab\there", "nl\nand\rcr", "\b\f\x01\x1f", "slash / ok", "\x7f del",
        "€ 𝄞 ✓",     "<5",          "\xe2\x80\xa8", "a\"\\\"b",
    };
    static const struct report_column cols[] = {
        {COL_TEXT, LABEL_CARD, "card"},         {COL_COUNT, LABEL_ADULT, "adult"},
        {COL_DATE, LABEL_DATE, "date"},         {COL_SHARE, LABEL_USED_SHARE, "share"},
        {COL_SMALL, LABEL_COUNT, "count\"key"},
    };
    for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
        struct report rep;
        report_init(&rep, "t", LANG_EN);
        report_columns(&rep, cols, ARRAY_LEN(cols));
        report_section(&rep, "rows", SHAPE_LIST, 0x1f, false);
        const struct cell row[5] = {CELL_T(texts[i]), CELL_I(-42), CELL_D(D(2020, 2, 29)),
                                    CELL_S(143), CELL_I(3)};
        assert_int_equal(report_row(&rep, row), 0);
        assert_int_equal(report_row(&rep, row), 0);
        report_hide(&rep, 1, 4);
        json_t *one = json_pack("{s:s, s:i, s:s, s:f, s:i}", "card", texts[i], "adult", -42, "date",
                                "2020-02-29", "share", 0.143, "count\"key", 3);
        json_t *two = json_pack("{s:s, s:i, s:s, s:f, s:s}", "card", texts[i], "adult", -42, "date",
                                "2020-02-29", "share", 0.143, "count\"key", "<5");
        json_t *want = json_pack("{s:[o,o]}", "rows", one, two);
        assert_non_null(want);
        char *text = json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10) |
                                          JSON_ENCODE_ANY);
        expect_bytes(&render_json, &rep, text);
        free(text);
        json_decref(want);
        report_release(&rep);
    }
    /* Not UTF-8: an overlong '/', a lone continuation byte, a surrogate. */
    static const char *const bad[] = {"\xc0\xaf", "a\x80", "\xed\xa0\x80"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct report rep;
        char *out = NULL;
        size_t len = 0;
        report_init(&rep, "t", LANG_EN);
        report_columns(&rep, cols, 1);
        report_section(&rep, "rows", SHAPE_LIST, 0x1, false);
        assert_int_equal(report_row(&rep, (const struct cell[]){CELL_T(bad[i])}), 0);
        assert_int_equal(render_json.render(&rep, &out, &len), -ERR_INTERNAL);
        assert_null(out);
        report_release(&rep);
    }
}

/* ---- CSV ---- */

static void test_csv_seed_example_R28(void **state)
{
    (void)state;
    struct report rep;
    hilla(&rep, LANG_FI);
    expect_bytes(&render_csv, &rep,
                 "Kortin tunnus,Lippu aikuiselle,Lippu lapselle (alle 16 v.),Esityksen nimi,"
                 "Päivämäärä\r\n"
                 "E2251,1,2,Taikuri Matti,2020-02-03\r\n"
                 "50141,1,2,Kesäyöntaika,2020-02-09\r\n"
                 "Yhteensä,2,4,,\r\n");
    report_release(&rep);
    hilla(&rep, LANG_SV); /* R36: the seed's Swedish headings (003) */
    expect_bytes(&render_csv, &rep,
                 "Kortets kod,Biljett för vuxna,Biljett för barn (under 16 år),"
                 "Föreställningens namn,Datum\r\n"
                 "E2251,1,2,Taikuri Matti,2020-02-03\r\n"
                 "50141,1,2,Kesäyöntaika,2020-02-09\r\n"
                 "Sammanlagt,2,4,,\r\n");
    assert_string_equal(render_csv.media_type, "text/csv; charset=utf-8");
    assert_true(render_csv.download);
    report_release(&rep);
}

/* One cell per case, in a one-row report of two columns after "x". */
static void test_csv_fields(void **state)
{
    (void)state;
    const struct {
        const char *why;
        enum column_type type;
        struct cell cell;
        int hide; /* 1: "<5", 2: "≥5" */
        const char *csv;
    } cases[] = {
        {"plain text", COL_TEXT, CELL_T("Taikuri Matti"), false, "x,Taikuri Matti\r\n"},
        {"a comma is quoted", COL_TEXT, CELL_T("Hamlet, prinssi"), false,
         "x,\"Hamlet, prinssi\"\r\n"},
        {"quotes are doubled", COL_TEXT, CELL_T("\"Uusi\" Kalevala"), false,
         "x,\"\"\"Uusi\"\" Kalevala\"\r\n"},
        {"a line feed is quoted", COL_TEXT, CELL_T("a\nb"), false, "x,\"a\nb\"\r\n"},
        {"a carriage return is quoted", COL_TEXT, CELL_T("a\rb"), false, "x,\"a\rb\"\r\n"},
        {"an empty text", COL_TEXT, CELL_T(""), false, "x,\r\n"},
        {"UTF-8 as it is", COL_TEXT, CELL_T("Kesäyöntaika"), false, "x,Kesäyöntaika\r\n"},
        {"a formula is defused", COL_TEXT, CELL_T("=HYPERLINK(\"x\")"), false,
         "x,\"'=HYPERLINK(\"\"x\"\")\"\r\n"},
        {"plus", COL_TEXT, CELL_T("+358"), false, "x,'+358\r\n"},
        {"minus", COL_TEXT, CELL_T("-1"), false, "x,'-1\r\n"},
        {"at", COL_TEXT, CELL_T("@SUM(A1)"), false, "x,'@SUM(A1)\r\n"},
        {"a tab first", COL_TEXT, CELL_T("\tx"), false, "x,'\tx\r\n"},
        {"an equals sign later is fine", COL_TEXT, CELL_T("a=b"), false, "x,a=b\r\n"},
        {"spaces before a formula", COL_TEXT, CELL_T("  =1+1"), false, "x,'  =1+1\r\n"},
        {"a space and a tab before a formula", COL_TEXT, CELL_T(" \t@SUM(A1)"), false,
         "x,' \t@SUM(A1)\r\n"},
        {"spaces before a formula after ';'", COL_TEXT, CELL_T("a; -1"), false, "x,\"a;' -1\"\r\n"},
        {"spaces before plain text are fine", COL_TEXT, CELL_T("  Hamlet"), false,
         "x,  Hamlet\r\n"},
        {"a formula after ';' (Finnish Excel's separator)", COL_TEXT,
         CELL_T("Konsertti;=cmd|' /C calc'!A0"), false, "x,\"Konsertti;'=cmd|' /C calc'!A0\"\r\n"},
        {"a formula after ','", COL_TEXT, CELL_T("a,-1"), false, "x,\"a,'-1\"\r\n"},
        {"a semicolon alone is quoted", COL_TEXT, CELL_T("a;b"), false, "x,\"a;b\"\r\n"},
        {"R30: a count the builder hid is <5", COL_SMALL, CELL_I(3), true, "x,<5\r\n"},
        {"R30: a count not hidden is shown", COL_SMALL, CELL_I(3), false, "x,3\r\n"},
        {"R30: a count hidden beside a <5 is >=5", COL_SMALL, CELL_I(7), 2,
         "x,\xe2\x89\xa5"
         "5\r\n"},
        {"an integer", COL_COUNT, CELL_I(-12), false, "x,-12\r\n"},
        {"a date", COL_DATE, CELL_D(D(2020, 2, 29)), false, "x,2020-02-29\r\n"},
        {"a share", COL_SHARE, CELL_S(143), false, "x,0.143\r\n"},
        {"a whole share", COL_SHARE, CELL_S(1000), false, "x,1.000\r\n"},
        {"nothing", COL_SHARE, CELL_NONE, false, "x,\r\n"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        const struct report_column cols[] = {{COL_TEXT, LABEL_NAME, "x"},
                                             {cases[i].type, LABEL_VALUE, "y"}};
        struct report rep;
        report_init(&rep, "t", LANG_EN);
        report_columns(&rep, cols, 2);
        report_section(&rep, "rows", SHAPE_LIST, 0x3, false);
        const struct cell row[] = {CELL_T("x"), cases[i].cell};
        assert_int_equal(report_row(&rep, row), 0);
        if (cases[i].hide == 1)
            report_hide(&rep, 0, 1);
        else if (cases[i].hide == 2)
            report_hide_large(&rep, 0, 1);
        char want[128];
        snprintf(want, sizeof want, "Name,Value\r\n%s", cases[i].csv);
        expect_bytes(&render_csv, &rep, want);
        report_release(&rep);
    }
}

/* ---- XLSX ---- */

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

/* Reads an XLSX back with Python's zipfile (which checks every member's
 * CRC): one line per cell of the first sheet, "A1=text" for a string (shared
 * or inline, as a workbook written row by row holds them) and
 * "B2=1" for a number, with " *" when the cell has a style; a cell without
 * a reference is the one after the previous cell of its row. */
static const char read_cells_py[] =
    "import sys, zipfile, xml.etree.ElementTree as ET\n"
    "m = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "assert z.testzip() is None\n"
    "names = z.namelist()\n"
    "strings = [si.find(m + 't').text for si in ET.fromstring(z.read("
    "'xl/sharedStrings.xml')).iter(m + 'si')] if 'xl/sharedStrings.xml' in names else []\n"
    "def refs(sheet):\n"
    "    for row in sheet.iter(m + 'row'):\n"
    "        col = 0\n"
    "        for c in row.iter(m + 'c'):\n"
    "            r = c.get('r')\n"
    "            if r:\n"
    "                col = 0\n"
    "                for ch in r.rstrip('0123456789'):\n"
    "                    col = col * 26 + ord(ch) - 64\n"
    "                col -= 1\n"
    "            name = ''\n"
    "            n = col + 1\n"
    "            while n:\n"
    "                n, k = divmod(n - 1, 26)\n"
    "                name = chr(65 + k) + name\n"
    "            yield name + row.get('r'), c\n"
    "            col += 1\n"
    "for ref, c in refs(ET.fromstring(z.read('xl/worksheets/sheet1.xml'))):\n"
    "    if c.get('t') == 'inlineStr':\n"
    "        v = c.find(m + 'is').find(m + 't').text\n"
    "    else:\n"
    "        v = c.find(m + 'v').text\n"
    "        v = strings[int(v)] if c.get('t') == 's' else v\n"
    "    print(ref + '=' + v + (' *' if c.get('s') else ''))\n";

/* The cells of the XLSX bytes, as read_cells_py prints them. */
static void xlsx_cells(const char *dir, const char *bytes, size_t len, char *out, size_t cap)
{
    char xlsx[300], script[300], cmd[700];
    snprintf(xlsx, sizeof xlsx, "%s/read.xlsx", dir);
    snprintf(script, sizeof script, "%s/read.py", dir);
    FILE *f = fopen(xlsx, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
    assert_non_null(f = fopen(script, "w"));
    fputs(read_cells_py, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s'", script, xlsx);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    remove(xlsx);
    remove(script);
}

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* R28 as XLSX: the seed's table, the headings bold, numbers as numbers,
 * the days as dates (43864 is 3.2.2020) shown d.m.yyyy in Finnish; R30's
 * hidden count a string. No file is left in $TMPDIR. */
static void test_xlsx_R28_R30(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", tmpdir_make());
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", dir, 1);

    struct report rep;
    hilla(&rep, LANG_FI);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(render_xlsx.render(&rep, &out, &len), 0);
    assert_memory_equal(out, "PK\x03\x04", 4);
    assert_int_equal(entries(dir), 0);
    assert_true(contains(out, len, "xl/styles.xml"));
    char cells[2048];
    xlsx_cells(dir, out, len, cells, sizeof cells);
    assert_string_equal(cells, "A1=Kortin tunnus *\n"
                               "B1=Lippu aikuiselle *\n"
                               "C1=Lippu lapselle (alle 16 v.) *\n"
                               "D1=Esityksen nimi *\n"
                               "E1=Päivämäärä *\n"
                               "A2=E2251\nB2=1\nC2=2\nD2=Taikuri Matti\nE2=43864 *\n"
                               "A3=50141\nB3=1\nC3=2\nD3=Kesäyöntaika\nE3=43870 *\n"
                               "A4=Yhteensä\nB4=2\nC4=4\n");
    free(out);

    report_release(&rep);

    /* R30: a hidden count is the string "<5"; a share a styled number; an
     * empty cell is no cell, and the next one says where it is. */
    static const struct report_column cols[] = {{COL_TEXT, LABEL_BREAKDOWN, NULL},
                                                {COL_SMALL, LABEL_COUNT, "count"},
                                                {COL_SHARE, LABEL_USED_SHARE, "used_share"}};
    const struct cell rows[][3] = {{CELL_T("Gender"), CELL_I(3), CELL_S(143)},
                                   {CELL_T("Total"), CELL_I(7), CELL_NONE},
                                   {CELL_NONE, CELL_I(4), CELL_S(500)}};
    report_init(&rep, "cardholders", LANG_EN);
    report_columns(&rep, cols, ARRAY_LEN(cols));
    report_section(&rep, "rows", SHAPE_LIST, 0x6, false);
    for (size_t i = 0; i < ARRAY_LEN(rows); i++)
        assert_int_equal(report_row(&rep, rows[i]), 0);
    report_hide(&rep, 0, 1);
    report_hide_large(&rep, 1, 1);
    assert_int_equal(render_xlsx.render(&rep, &out, &len), 0);
    xlsx_cells(dir, out, len, cells, sizeof cells);
    assert_string_equal(cells, "A1=Breakdown *\nB1=Count *\nC1=Share used *\n"
                               "A2=Gender\nB2=<5\nC2=0.143 *\n"
                               "A3=Total\nB3=\xe2\x89\xa5"
                               "5\n"
                               "B4=4\nC4=0.5 *\n");

    /* Made in memory (issue 16): no temporary file, whatever $TMPDIR is;
     * and no time stamp, so the same report gives the same bytes. */
    char *again = NULL;
    size_t again_len = 0;
    setenv("TMPDIR", "/nonexistent-kaiku-dir", 1);
    assert_int_equal(render_xlsx.render(&rep, &again, &again_len), 0);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, out, len);
    free(again);
    free(out);
    report_release(&rep);

    /* Texts as XML: markup characters, a control character (Excel's
     * _xHHHH_), a literal "_x0041_" that Excel must not decode, spaces kept
     * at the ends. A text longer than a cell holds: an error, nothing
     * returned. */
    static const struct report_column one[] = {{COL_TEXT, LABEL_BREAKDOWN, NULL}};
    const struct cell texts[][1] = {
        {CELL_T("a<&>\"b")}, {CELL_T("x\x01y")}, {CELL_T("_x0041_")}, {CELL_T(" lead")}};
    report_init(&rep, "texts", LANG_EN);
    report_columns(&rep, one, 1);
    report_section(&rep, "rows", SHAPE_LIST, 0x1, false);
    for (size_t i = 0; i < ARRAY_LEN(texts); i++)
        assert_int_equal(report_row(&rep, texts[i]), 0);
    assert_int_equal(render_xlsx.render(&rep, &out, &len), 0);
    xlsx_cells(dir, out, len, cells, sizeof cells);
    assert_string_equal(cells, "A1=Breakdown *\nA2=a<&>\"b\nA3=x_x0001_y\nA4=_x005F_x0041_\n"
                               "A5= lead\n");
    free(out);
    char *longer = malloc(32769);
    assert_non_null(longer);
    memset(longer, 'a', 32768);
    longer[32768] = '\0';
    assert_int_equal(report_row(&rep, (const struct cell[]){CELL_T(longer)}), 0);
    free(longer);
    out = (char *)1;
    assert_int_equal(render_xlsx.render(&rep, &out, &len), -ERR_INTERNAL);
    assert_null(out);
    report_release(&rep);

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
        cmocka_unit_test(test_json_seed_example_R28),
        cmocka_unit_test(test_json_shapes_R30_R31),
        cmocka_unit_test(test_csv_seed_example_R28),
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_xlsx_R28_R30),
        cmocka_unit_test(test_json_rows_as_jansson_R28),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
