/* import/csv.c and import/xlsx.c: the rows of CSV and XLSX files as text,
 * and the bounds (size, rows, columns, cell length, a zip bomb). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "import/sheet.h"

/* Every row as "row:cell|cell|…" lines, numbers marked with '#'. */
struct seen {
    char text[4096];
    size_t rows;
};

static int collect(void *ctx, int32_t row, const struct sheet_cell *cells, size_t n)
{
    struct seen *s = ctx;
    size_t o = strlen(s->text);
    o += (size_t)snprintf(s->text + o, sizeof s->text - o, "%d:", (int)row);
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(s->text + o, sizeof s->text - o, "%s%s%s", i ? "|" : "",
                              cells[i].number ? "#" : "", cells[i].text);
    snprintf(s->text + o, sizeof s->text - o, "\n");
    s->rows++;
    return 0;
}

static void test_csv_table(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        const char *rows;
    } cases[] = {
        /* ';' as Finnish Excel writes it, with a BOM and CRLF */
        {"\xEF\xBB\xBF"
         "Kortin tunnus;Lippu aikuiselle\r\nE2251;1\r\n",
         0, "1:Kortin tunnus|Lippu aikuiselle\n2:E2251|1\n"},
        /* ',' as RFC 4180 and kaiku's own reports; quotes and a doubled quote */
        {"a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\n", 0, "1:a|b|c\n2:x, y|say \"hi\"|\n"},
        /* a line end inside quotes stays in the cell; no final line end */
        {"a;b\n\"one\ntwo\";3", 0, "1:a|b\n2:one\ntwo|3\n"},
        /* ';' wins a tie and when the heading holds more */
        {"a;b,c\n1;2,3\n", 0, "1:a|b,c\n2:1|2,3\n"},
        /* an empty line is a row of one empty cell */
        {"a\n\nb\n", 0, "1:a\n2:\n3:b\n"},
        /* refused: a quote never closed, text after a closing quote, bad UTF-8 */
        {"a\n\"open", -ERR_INVALID_REQUEST, "1:a\n"},
        {"\"a\"b;c\n", -ERR_INVALID_REQUEST, ""},
        {"a;\xC3\x28\n", -ERR_INVALID_REQUEST, ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct seen s = {0};
        struct error_details d = {0};
        int rc = sheet_read((const uint8_t *)cases[i].in, strlen(cases[i].in), collect, &s, &d);
        print_message("case %zu: %d %s", i, rc, s.text);
        assert_int_equal(rc, cases[i].rc);
        assert_string_equal(s.text, cases[i].rows);
        assert_int_equal(sheet_detect((const uint8_t *)cases[i].in, strlen(cases[i].in)),
                         SHEET_CSV);
    }
}

static int count_rows(void *ctx, int32_t row, const struct sheet_cell *cells, size_t n)
{
    (void)row, (void)cells, (void)n;
    (*(size_t *)ctx)++;
    return 0;
}

/* The bounds: a cell, a row's cells, the rows, the bytes. */
static void test_csv_bounds(void **state)
{
    (void)state;
    size_t big = SHEET_BYTES_MAX + 1;
    char *p = malloc(big);
    assert_non_null(p);
    struct error_details d = {0};
    size_t rows = 0;
    /* a cell one byte over */
    memset(p, 'x', SHEET_CELL_MAX + 1);
    assert_int_equal(sheet_read_csv((uint8_t *)p, SHEET_CELL_MAX + 1, count_rows, &rows, &d),
                     -ERR_BODY_TOO_LARGE);
    assert_string_equal(d.key, "max_cell_bytes");
    assert_int_equal(sheet_read_csv((uint8_t *)p, SHEET_CELL_MAX, count_rows, &rows, &d), 0);
    assert_int_equal(rows, 1);
    /* 33 cells in a row; 32 are fine */
    memset(p, ';', 32);
    assert_int_equal(sheet_read_csv((uint8_t *)p, 32, count_rows, &rows, &d), -ERR_BODY_TOO_LARGE);
    assert_string_equal(d.key, "max_columns");
    rows = 0;
    assert_int_equal(sheet_read_csv((uint8_t *)p, 31, count_rows, &rows, &d), 0);
    assert_int_equal(rows, 1);
    /* rows: a heading and 20,000 are fine, one more is not */
    for (size_t i = 0; i < SHEET_ROWS_MAX + 1; i++) {
        p[2 * i] = '1';
        p[2 * i + 1] = '\n';
    }
    rows = 0;
    assert_int_equal(sheet_read_csv((uint8_t *)p, 2 * SHEET_ROWS_MAX, count_rows, &rows, &d), 0);
    assert_int_equal(rows, SHEET_ROWS_MAX);
    assert_int_equal(sheet_read_csv((uint8_t *)p, 2 * (SHEET_ROWS_MAX + 1), count_rows, &rows, &d),
                     -ERR_BODY_TOO_LARGE);
    assert_string_equal(d.key, "max_rows");
    /* the whole file */
    memset(p, '\n', big);
    assert_int_equal(sheet_read((uint8_t *)p, big, count_rows, &rows, &d), -ERR_BODY_TOO_LARGE);
    assert_string_equal(d.key, "max_bytes");
    free(p);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc((size_t)n);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* A workbook as Excel would save one (libxlsxwriter: shared strings,
 * numbers, a date as a serial number with a date format, a gap between
 * cells and a blank row), read back; its second sheet is not read. */
static void test_xlsx_workbook(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[512];
    snprintf(path, sizeof path, "%s/t.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Käynnit");
    lxw_worksheet *other = workbook_add_worksheet(wb, "Muuta");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "d.m.yyyy");
    worksheet_write_string(ws, 0, 0, "Kortin tunnus", NULL);
    worksheet_write_string(ws, 0, 1, "Päivämäärä", NULL);
    worksheet_write_string(ws, 1, 0, "E2251", NULL);
    lxw_datetime dt = {.year = 2020, .month = 2, .day = 3};
    worksheet_write_datetime(ws, 1, 1, &dt, date);
    worksheet_write_number(ws, 3, 0, 50141, NULL);
    worksheet_write_string(ws, 3, 2, "Kesäyöntaika", NULL);
    worksheet_write_string(other, 0, 0, "not this", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    uint8_t *data = slurp(path, &len);
    assert_int_equal(sheet_detect(data, len), SHEET_XLSX);
    struct seen s = {0};
    assert_int_equal(sheet_read(data, len, collect, &s, NULL), 0);
    assert_string_equal(s.text, "1:Kortin tunnus|Päivämäärä\n2:E2251|#43864\n"
                                "4:#50141||Kesäyöntaika\n");
    int32_t day = 0;
    assert_int_equal(sheet_serial_day("43864", &day), 0);
    assert_int_equal(day, D(2020, 2, 3));
    assert_int_equal(sheet_serial_day("43864.75", &day), 0);
    assert_int_equal(day, D(2020, 2, 3));
    assert_int_equal(sheet_serial_day("-1", &day), -1);
    assert_int_equal(sheet_serial_day("E5", &day), -1);
    assert_int_equal(sheet_serial_day("3000000", &day), -1);
    free(data);
    /* not a workbook: a ZIP without xl/workbook.xml, and a broken ZIP */
    static const uint8_t broken[] = "PK\x03\x04garbage";
    assert_int_equal(sheet_read(broken, sizeof broken - 1, collect, &s, NULL),
                     -ERR_INVALID_REQUEST);
    tmpdir_remove(dir);
}

/* A zip whose member unpacks to more than SHEET_UNPACKED_MAX: refused by
 * the counter, whatever the member's header says. */
static void test_xlsx_zip_bomb(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[512];
    snprintf(path, sizeof path, "%s/bomb.xlsx", dir);
    size_t n = SHEET_UNPACKED_MAX + 1;
    char *spaces = malloc(n);
    assert_non_null(spaces);
    memset(spaces, ' ', n);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    zip_source_t *src = zip_source_buffer(z, spaces, n, 0);
    assert_true(zip_file_add(z, "xl/workbook.xml", src, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    free(spaces);
    size_t len;
    uint8_t *data = slurp(path, &len);
    assert_true(len < 1024 * 1024); /* small on disk */
    struct error_details d = {0};
    size_t rows = 0;
    assert_int_equal(sheet_read(data, len, count_rows, &rows, &d), -ERR_BODY_TOO_LARGE);
    assert_string_equal(d.key, "max_unpacked_bytes");
    free(data);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_table),
        cmocka_unit_test(test_csv_bounds),
        cmocka_unit_test(test_xlsx_workbook),
        cmocka_unit_test(test_xlsx_zip_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
