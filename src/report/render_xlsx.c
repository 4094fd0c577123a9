/* A report as an XLSX workbook, on libxlsxwriter: the headings in bold,
 * then every section's rows. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "report/report.h"
#include "util/date.h"
#include "util/strutil.h"

#define TMP_PATH_MAX   512
#define XLSX_BYTES_MAX (256 * 1024 * 1024) /* far above any report; a guard for read_all */
#define COLUMN_WIDTH   18.0

/* The whole file at fd into a malloc'd buffer. */
static int read_all(int fd, char **out, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > XLSX_BYTES_MAX)
        return -ERR_INTERNAL;
    size_t n = (size_t)st.st_size, got = 0;
    char *p = malloc(n);
    if (!p)
        return -ERR_INTERNAL;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r <= 0) {
            free(p);
            return -ERR_INTERNAL;
        }
        got += (size_t)r;
    }
    *out = p;
    *len = n;
    return 0;
}

/* A cell of a row (the headings are written in bold, before the rows). */
static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const struct cell *c,
                            lxw_format *date, lxw_format *share)
{
    int y, m, d;
    switch (c->kind) {
    case CELL_TEXT: /* a string cell: never run as a formula */
        return worksheet_write_string(ws, row, col, c->text, NULL);
    case CELL_INT:
        return worksheet_write_number(ws, row, col, (double)c->value, NULL);
    case CELL_DATE: {
        date_to_ymd((int32_t)c->value, &y, &m, &d);
        lxw_datetime dt = {.year = y, .month = m, .day = d};
        return worksheet_write_datetime(ws, row, col, &dt, date);
    }
    case CELL_SHARE:
        return worksheet_write_number(ws, row, col, (double)c->value / 1000.0, share);
    case CELL_HIDDEN: /* R30: a string, as in CSV and JSON */
        return worksheet_write_string(ws, row, col, REPORT_SMALL_TEXT, NULL);
    case CELL_HIDDEN_LARGE:
        return worksheet_write_string(ws, row, col, REPORT_LARGE_TEXT, NULL);
    case CELL_BOOL:
        return worksheet_write_boolean(ws, row, col, (int)c->value, NULL);
    case CELL_EMPTY:
        break;
    }
    return LXW_NO_ERROR;
}

/* Writes the workbook to path; the file is complete when this returns 0. */
static int write_workbook(const struct report *rep, const char *path, const char *dir)
{
    char tmpdir[TMP_PATH_MAX];
    if (str_copy(tmpdir, sizeof tmpdir, dir) != 0)
        return -ERR_INTERNAL;
    /* Row by row to the file, its strings inline: a report of a hundred
     * thousand rows is neither held twice in memory nor hashed string by
     * string into a shared table (issue 16). Its scratch files go where the
     * file itself does ($TMPDIR). */
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &options);
    if (!wb)
        return -ERR_INTERNAL;
    lxw_worksheet *ws = workbook_add_worksheet(wb, rep->sheet);
    lxw_format *bold = workbook_add_format(wb);
    lxw_format *date = workbook_add_format(wb);
    lxw_format *share = workbook_add_format(wb);
    bool ok = ws && bold && date && share;
    if (ok) {
        format_set_bold(bold);
        format_set_num_format(date, rep->lang == LANG_FI ? "d.m.yyyy" : "yyyy-mm-dd");
        format_set_num_format(share, "0.0%");
        ok = worksheet_set_column(ws, 0, (lxw_col_t)(rep->ncols - 1), COLUMN_WIDTH, NULL) ==
             LXW_NO_ERROR;
    }
    for (size_t c = 0; ok && c < rep->ncols; c++)
        ok = worksheet_write_string(ws, 0, (lxw_col_t)c, report_heading(rep, c), bold) ==
             LXW_NO_ERROR;
    for (size_t r = 0; ok && r < rep->rows; r++)
        for (size_t c = 0; ok && c < rep->ncols; c++)
            ok = write_cell(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, report_cell(rep, r, c), date,
                            share) == LXW_NO_ERROR;
    /* Closing writes the file and frees the workbook, also after a failure. */
    lxw_error closed = workbook_close(wb);
    return ok && closed == LXW_NO_ERROR ? 0 : -ERR_INTERNAL;
}

static int xlsx(const struct report *rep, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    const char *dir = getenv("TMPDIR");
    char path[TMP_PATH_MAX];
    if (!dir || !*dir)
        dir = "/tmp";
    int n = snprintf(path, sizeof path, "%s/kaiku-report-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof path)
        return -ERR_INTERNAL;
    /* mkstemp makes the name ours (O_EXCL); libxlsxwriter then writes over it. */
    int fd = mkstemp(path);
    if (fd < 0)
        return -ERR_INTERNAL;
    close(fd);
    int rc = write_workbook(rep, path, dir);
    if (rc == 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        rc = fd >= 0 ? read_all(fd, out, len) : -ERR_INTERNAL;
        if (fd >= 0)
            close(fd);
    }
    unlink(path);
    return rc;
}

const struct report_renderer render_xlsx = {
    .format = "xlsx",
    .media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    .download = true,
    .render = xlsx,
};
