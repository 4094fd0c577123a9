/* report/report.c: a report keeps its own copies of texts (cells and
 * params), grows past its first allocations, counts each section's rows,
 * forgets a count it hides (R30), and is released twice harmlessly; the
 * renderers' buffer. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const struct report_column cols[] = {
    {COL_TEXT, LABEL_NAME, "name"},
    {COL_SMALL, LABEL_COUNT, "count"},
};

static void test_copies_and_growth(void **state)
{
    (void)state;
    struct report rep;
    report_init(&rep, "t", LANG_EN);
    report_columns(&rep, cols, ARRAY_LEN(cols));
    char text[] = "first";
    assert_int_equal(report_param(&rep, "p", CELL_T(text)), 0);
    report_section(&rep, "a", SHAPE_LIST, 0x3, false);
    /* past the first allocation of rows; texts past a block of 64 KiB */
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 200; i++) {
        const struct cell row[] = {CELL_T(i % 2 ? text : big), CELL_I(i)};
        assert_int_equal(report_row(&rep, row), 0);
    }
    report_section(&rep, "b", SHAPE_OBJECT, 0x2, true);
    const struct cell total[] = {CELL_T(NULL), CELL_I(7)};
    assert_int_equal(report_row(&rep, total), 0);
    memcpy(text, "XXXXX", 5);
    memset(big, 'y', 10);

    assert_int_equal(rep.rows, 201);
    assert_int_equal(rep.nsections, 2);
    assert_int_equal(rep.sections[0].first, 0);
    assert_int_equal(rep.sections[0].count, 200);
    assert_int_equal(rep.sections[1].first, 200);
    assert_int_equal(rep.sections[1].count, 1);
    assert_true(rep.sections[1].totals);
    assert_string_equal(rep.params[0].value.text, "first");
    for (size_t r = 0; r < 200; r++) {
        const struct cell *c = report_cell(&rep, r, 0);
        assert_int_equal(c->kind, CELL_TEXT);
        assert_int_equal(strlen(c->text), r % 2 ? 5 : 999);
        assert_int_equal(c->text[0], r % 2 ? 'f' : 'x');
        assert_int_equal(report_cell(&rep, r, 1)->value, (int64_t)r);
    }
    assert_string_equal(report_cell(&rep, 200, 0)->text, ""); /* a NULL text is "" */

    /* R30: a hidden count keeps no value */
    report_hide(&rep, 3, 1);
    assert_int_equal(report_cell(&rep, 3, 1)->kind, CELL_HIDDEN);
    assert_int_equal(report_cell(&rep, 3, 1)->value, 0);
    assert_string_equal(report_heading(&rep, 1), "Count");

    report_release(&rep);
    assert_int_equal(rep.rows, 0);
    assert_null(rep.cells);
    report_release(&rep); /* twice is harmless */
}

/* An empty report renders its headings only (CSV) and its empty sections
 * (JSON). */
static void test_empty(void **state)
{
    (void)state;
    struct report rep;
    report_init(&rep, "t", LANG_EN);
    report_columns(&rep, cols, ARRAY_LEN(cols));
    report_section(&rep, "rows", SHAPE_LIST, 0x3, false);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(render_csv.render(&rep, &out, &len), 0);
    assert_int_equal(len, strlen("Name,Count\r\n"));
    assert_memory_equal(out, "Name,Count\r\n", len);
    free(out);
    assert_int_equal(render_json.render(&rep, &out, &len), 0);
    assert_int_equal(len, strlen("{\"rows\":[]}"));
    assert_memory_equal(out, "{\"rows\":[]}", len);
    free(out);
    report_release(&rep);
}

static void test_buf(void **state)
{
    (void)state;
    struct report_buf b = {0};
    char *out = (char *)1;
    size_t len = 99;
    assert_int_equal(report_buf_finish(&b, &out, &len), 0); /* nothing: a buffer all the same */
    assert_non_null(out);
    assert_int_equal(len, 0);
    free(out);
    for (int i = 0; i < 3000; i++)
        report_buf_puts(&b, "abc");
    report_buf_put(&b, "", 0);
    assert_int_equal(report_buf_finish(&b, &out, &len), 0);
    assert_int_equal(len, 9000);
    assert_memory_equal(out + 8997, "abc", 3);
    free(out);
    b.failed = true; /* as after a failed allocation */
    report_buf_puts(&b, "abc");
    assert_int_equal(report_buf_finish(&b, &out, &len), -ERR_INTERNAL);
    assert_null(out);
    assert_int_equal(len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_and_growth),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
