/* A report as a plain table of cells, and the sinks that write it: CSV
 * (RFC 4180) and XLSX (libxlsxwriter). The handlers of api/reports.c fill
 * one table per request from what the store returns; the first row is the
 * headings. JSON is not a sink here: each report has its own JSON shape
 * (api.md), built by its handler.
 *
 * Ownership: a table owns copies of the texts of its cells; the bytes a
 * sink returns are malloc'd and the caller's. */
#ifndef KAIKU_REPORT_TABLE_H
#define KAIKU_REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum cell_kind {
    CELL_EMPTY,
    CELL_TEXT,
    CELL_INT,
    CELL_DATE,  /* value: a day number */
    CELL_SHARE, /* value: thousandths, e.g. 250 for a quarter */
};

struct cell {
    enum cell_kind kind;
    const char *text; /* CELL_TEXT */
    int64_t value;
};

#define CELL_NONE     ((struct cell){CELL_EMPTY, NULL, 0})
#define CELL_T(s)     ((struct cell){CELL_TEXT, (s), 0})
#define CELL_I(n)     ((struct cell){CELL_INT, NULL, (int64_t)(n)})
#define CELL_D(day)   ((struct cell){CELL_DATE, NULL, (int64_t)(day)})
#define CELL_S(milli) ((struct cell){CELL_SHARE, NULL, (int64_t)(milli)})

#define TABLE_COLS_MAX 32

struct table {
    const char *sheet; /* the XLSX sheet's name: static, at most 31 bytes */
    enum lang lang;    /* decides how XLSX shows dates */
    size_t cols, rows;
    struct cell *cells; /* rows × cols; texts owned */
    size_t cap;         /* rows allocated */
};

/* cols: 1..TABLE_COLS_MAX. */
void table_init(struct table *t, const char *sheet, size_t cols, enum lang lang);
/* Appends a row of t->cols cells, copying their texts. Returns 0 or
 * -ERR_INTERNAL (out of memory). */
int table_add(struct table *t, const struct cell *row);
void table_release(struct table *t);

/* RFC 4180: rows end in CRLF; a field holding a comma, a double quote, CR or
 * LF is quoted, with each " doubled. A text that a spreadsheet would run as
 * a formula (first character = + - @, tab or CR) gets a ' in front (OWASP's
 * advice against CSV injection). Dates are YYYY-MM-DD, shares 0.250. No
 * byte order mark. Returns 0 or -ERR_INTERNAL; *out is malloc'd. */
int table_csv(const struct table *t, char **out, size_t *len);

/* An XLSX workbook of one sheet: the first row in bold, numbers as numbers,
 * dates as dates (d.m.yyyy in Finnish, yyyy-mm-dd otherwise), shares as
 * percentages. libxlsxwriter writes files only, so the workbook passes
 * through a temporary file in $TMPDIR (or /tmp) that is removed before this
 * returns. Returns 0 or -ERR_INTERNAL; *out is malloc'd. */
int table_xlsx(const struct table *t, char **out, size_t *len);

#endif
