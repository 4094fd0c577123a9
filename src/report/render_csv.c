/* A report as CSV (RFC 4180): the headings, then every section's rows. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "util/date.h"

/* A text cell, quoted when needed (RFC 4180). Nothing a spreadsheet might
 * take for the start of a cell begins a formula: not the text's start, and
 * not what follows a ';' (the separator Finnish and Swedish Excel split on)
 * or a ','), nor after spaces or tabs there. A "'" goes before such a
 * character (or the blanks before it). */
static void put_text(struct report_buf *b, const char *s)
{
    bool quote = strpbrk(s, ",;\"\r\n") != NULL;
    if (quote)
        report_buf_put(b, "\"", 1);
    bool cell_start = true;
    for (const char *p = s; *p; p++) {
        /* Spreadsheets skip blanks before a formula: " =1" is one too. */
        const char *first = p + strspn(p, " \t");
        if (cell_start && *p && (strchr("=+-@\t\r", *p) || (*first && strchr("=+-@", *first))))
            report_buf_put(b, "'", 1);
        if (*p == '"')
            report_buf_put(b, "\"\"", 2);
        else
            report_buf_put(b, p, 1);
        cell_start = *p == ';' || *p == ',';
    }
    if (quote)
        report_buf_put(b, "\"", 1);
}

static void put_cell(struct report_buf *b, const struct cell *c)
{
    char tmp[32];
    switch (c->kind) {
    case CELL_TEXT:
        put_text(b, c->text);
        break;
    case CELL_INT:
        report_buf_int(b, c->value);
        break;
    case CELL_DATE:
        date_format((int32_t)c->value, tmp);
        report_buf_puts(b, tmp);
        break;
    case CELL_SHARE:
        snprintf(tmp, sizeof tmp, "%lld.%03lld", (long long)(c->value / 1000),
                 (long long)(c->value % 1000));
        report_buf_puts(b, tmp);
        break;
    case CELL_HIDDEN:
        report_buf_puts(b, REPORT_SMALL_TEXT);
        break;
    case CELL_HIDDEN_LARGE:
        report_buf_puts(b, REPORT_LARGE_TEXT);
        break;
    case CELL_BOOL:
        report_buf_puts(b, c->value ? "true" : "false");
        break;
    case CELL_EMPTY:
        break;
    }
}

static int csv(const struct report *rep, char **out, size_t *len)
{
    struct report_buf b = {0};
    for (size_t c = 0; c < rep->ncols; c++) {
        if (c > 0)
            report_buf_put(&b, ",", 1);
        put_text(&b, report_heading(rep, c));
    }
    report_buf_put(&b, "\r\n", 2);
    for (size_t r = 0; r < rep->rows; r++) {
        for (size_t c = 0; c < rep->ncols; c++) {
            if (c > 0)
                report_buf_put(&b, ",", 1);
            put_cell(&b, report_cell(rep, r, c));
        }
        report_buf_put(&b, "\r\n", 2);
    }
    return report_buf_finish(&b, out, len);
}

const struct report_renderer render_csv = {
    .format = "csv",
    .media_type = "text/csv; charset=utf-8",
    .download = true,
    .render = csv,
};
