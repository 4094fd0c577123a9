/* A report (R28–R31) as data: typed columns, its parameters, and rows in
 * sections (the body, the totals). A builder (report/build.h) makes each
 * report once; renderers turn any report into bytes (JSON, CSV, XLSX; next
 * HTML and SVG) by walking its columns, parameters and sections. Every
 * decision — which counts R30 hides, the totals, the words of a totals row —
 * is the builder's: a renderer only shows what the report holds.
 *
 *   columns   type (what its cells may hold) + heading (report_label) + JSON key
 *   params    what the report was asked for: {"venue", "from", "to"}; JSON only
 *   sections  runs of rows, each with its JSON key and shape: venue usage is
 *             "rows" (a list) then "totals" (one object); the cardholder
 *             report "total" (a value) then one map per breakdown
 *
 * CSV and XLSX show the headings, then every section's rows in order; JSON
 * shows the params, then each section in its shape (api.md's "Reports").
 *
 * Ownership: a report owns copies of the texts of its cells and params; the
 * bytes a renderer returns are malloc'd and the caller's. */
#ifndef KAIKU_REPORT_REPORT_H
#define KAIKU_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/report.h"

enum cell_kind {
    CELL_EMPTY, /* nothing; JSON null */
    CELL_TEXT,
    CELL_INT,
    CELL_DATE,         /* value: a day number */
    CELL_SHARE,        /* value: thousandths, e.g. 250 for a quarter */
    CELL_HIDDEN,       /* a count R30 hides, shown as REPORT_SMALL_TEXT; the count is not kept */
    CELL_BOOL,         /* value: 0 or 1; parameters only */
    CELL_HIDDEN_LARGE, /* a count of 5 or more hidden beside "<5" cells (R30), shown as
                          REPORT_LARGE_TEXT; the count is not kept */
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
#define CELL_B(b)     ((struct cell){CELL_BOOL, NULL, (b) ? 1 : 0})

/* What a column's cells may hold (any column may hold an empty cell). A
 * renderer may use it for layout: numbers right-aligned, which columns a
 * chart can draw. */
enum column_type {
    COL_TEXT,   /* texts */
    COL_COUNT,  /* integer counts */
    COL_SMALL,  /* counts that R30 may hide: integers or hidden cells (either kind) */
    COL_DATE,   /* days */
    COL_SHARE,  /* shares; empty where undefined */
    COL_FIGURE, /* a count or a share, row by row (the statistics, issue 16); or empty */
    COL_TYPE_COUNT
};

struct report_column {
    enum column_type type;
    enum report_label heading;
    const char *json; /* its key in a JSON object; static */
};

/* How a section is written in JSON, under its key. The columns it writes
 * are those of its json_cols (bit 1 << column), in column order. */
enum section_shape {
    SHAPE_LIST,   /* [{"col": cell, …}, …]: an object per row */
    SHAPE_OBJECT, /* {"col": cell, …}: its one row; {} when it has none */
    SHAPE_MAP,    /* {"<first column's text>": second column's cell, …}: a pair per row */
    SHAPE_VALUE,  /* the cell of its one column of its one row; null when none */
};

struct report_section {
    const char *name; /* its JSON key; static */
    enum section_shape shape;
    bool totals;         /* totals of the report (HTML: the table's foot) */
    uint64_t json_cols;  /* the columns JSON writes */
    size_t first, count; /* its rows */
};

struct report_param {
    const char *name;  /* its JSON key; static */
    struct cell value; /* text owned by the report */
};

#define REPORT_COLS_MAX     64
#define REPORT_PARAMS_MAX   8
#define REPORT_SECTIONS_MAX 16
#define REPORT_NAME_MAX     200 /* of a download's file name */
#define REPORT_SHEET_MAX    31  /* of an XLSX sheet's name */

struct report_text; /* a block of copied texts */

struct report {
    const char *sheet;          /* "venue-usage": static, at most REPORT_SHEET_MAX bytes */
    char name[REPORT_NAME_MAX]; /* the file name of a download, without its extension:
                                   ids (a-z 0-9 -) and dates only, nothing to escape */
    enum lang lang;             /* of every heading and label (R36); how XLSX shows dates */
    size_t ncols, nparams, nsections;
    struct report_column cols[REPORT_COLS_MAX];
    struct report_param params[REPORT_PARAMS_MAX];
    struct report_section sections[REPORT_SECTIONS_MAX];
    size_t rows, cap;   /* rows held and allocated */
    struct cell *cells; /* rows × ncols */
    struct report_text *texts;
};

/* ---- building (for builders) ---- */

void report_init(struct report *rep, const char *sheet, enum lang lang);
/* Frees what the report holds; it is empty afterwards (twice is harmless). */
void report_release(struct report *rep);
/* The columns, before any row: 1..REPORT_COLS_MAX of them. */
void report_columns(struct report *rep, const struct report_column *cols, size_t n);
/* A parameter, copying its text. Returns 0 or -ERR_INTERNAL (out of memory). */
int report_param(struct report *rep, const char *name, struct cell value);
/* Starts a section: the rows added from now on are its. */
void report_section(struct report *rep, const char *name, enum section_shape shape,
                    uint64_t json_cols, bool totals);
/* Appends a row of ncols cells to the last section, copying their texts;
 * each cell must fit its column's type (asserted). Returns 0 or
 * -ERR_INTERNAL (out of memory). */
int report_row(struct report *rep, const struct cell *row);
/* R30: the builder hides a count; its value is forgotten. */
void report_hide(struct report *rep, size_t row, size_t col);
/* R30: the same, for a count of five or more hidden beside "<5" cells. */
void report_hide_large(struct report *rep, size_t row, size_t col);
/* R30: keeps only the rows i of the last section with keep[i] (one per row,
 * in order); the others are gone, as if never added. */
void report_keep_rows(struct report *rep, const bool *keep);

/* ---- reading (for renderers) ---- */

const struct cell *report_cell(const struct report *rep, size_t row, size_t col);
/* A column's heading in the report's language. */
const char *report_heading(const struct report *rep, size_t col);

/* A growing byte buffer for renderers: a failed allocation is remembered
 * and reported once, by report_buf_finish. */
struct report_buf {
    char *p;
    size_t len, cap;
    bool failed;
};

void report_buf_put(struct report_buf *b, const char *s, size_t n);
void report_buf_puts(struct report_buf *b, const char *s);
/* An integer in decimal, as printf's %lld writes it (without printf: a
 * venue's year has hundreds of thousands). */
void report_buf_int(struct report_buf *b, int64_t v);
/* Hands the bytes over (*out malloc'd, also when empty) and returns 0, or
 * frees them and returns -ERR_INTERNAL. */
int report_buf_finish(struct report_buf *b, char **out, size_t *len);

/* ---- renderers: one file each (render_*.c) ---- */

struct report_renderer {
    const char *format;     /* "csv": also the extension of a download */
    const char *media_type; /* its Content-Type */
    bool download;          /* served as an attachment named report.name */
    /* Returns 0 with *out malloc'd, or -ERR_INTERNAL (*out NULL). */
    int (*render)(const struct report *rep, char **out, size_t *len);
};

/* api.md's JSON of each report: its params, then its sections by shape. */
extern const struct report_renderer render_json;
/* RFC 4180: headings, then every row; rows end in CRLF; a field holding a
 * comma, semicolon, double quote, CR or LF is quoted, with each " doubled.
 * A text that a spreadsheet would run as a formula (first character, or the
 * one after a ',' or ';', is = + - @, tab or CR) gets a ' in front (OWASP's
 * advice against CSV injection). Dates are YYYY-MM-DD, shares 0.250. No
 * byte order mark. */
extern const struct report_renderer render_csv;
/* An XLSX workbook of one sheet: the headings in bold, numbers as numbers,
 * dates as dates (d.m.yyyy in Finnish, yyyy-mm-dd otherwise), shares as
 * percentages. Made in memory, no file (render_xlsx.c); the same report
 * gives the same bytes. */
extern const struct report_renderer render_xlsx;

#endif
