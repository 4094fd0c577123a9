/* A report's storage: columns, params, sections and rows of cells, with the
 * texts copied into blocks the report owns; and the byte buffer of the
 * renderers. */
#include "report/report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Texts are copied into blocks of this size (or of the text's, if larger):
 * a venue report of 100,000 rows holds two texts a row. */
#define TEXT_BLOCK 65536

struct report_text {
    struct report_text *next;
    size_t used, size;
    char data[];
};

/* Which cell kinds a column of each type may hold (bit 1 << kind). */
#define KIND(k) (1u << (k))
static const unsigned fits[COL_TYPE_COUNT] = {
    [COL_TEXT] = KIND(CELL_EMPTY) | KIND(CELL_TEXT),
    [COL_COUNT] = KIND(CELL_EMPTY) | KIND(CELL_INT),
    [COL_SMALL] = KIND(CELL_EMPTY) | KIND(CELL_INT) | KIND(CELL_HIDDEN) | KIND(CELL_HIDDEN_LARGE),
    [COL_DATE] = KIND(CELL_EMPTY) | KIND(CELL_DATE),
    [COL_SHARE] = KIND(CELL_EMPTY) | KIND(CELL_SHARE),
    [COL_FIGURE] = KIND(CELL_EMPTY) | KIND(CELL_INT) | KIND(CELL_SHARE),
};

void report_init(struct report *rep, const char *sheet, enum lang lang)
{
    assert(strlen(sheet) <= REPORT_SHEET_MAX);
    memset(rep, 0, sizeof *rep);
    rep->sheet = sheet;
    rep->lang = lang;
}

void report_release(struct report *rep)
{
    for (struct report_text *t = rep->texts, *next; t; t = next) {
        next = t->next;
        free(t);
    }
    free(rep->cells);
    rep->texts = NULL;
    rep->cells = NULL;
    rep->rows = rep->cap = 0;
    rep->nparams = rep->nsections = 0;
}

void report_columns(struct report *rep, const struct report_column *cols, size_t n)
{
    assert(n >= 1 && n <= REPORT_COLS_MAX && rep->rows == 0);
    memcpy(rep->cols, cols, n * sizeof *cols);
    rep->ncols = n;
}

/* A copy of s in the report's blocks, or NULL when out of memory. */
static const char *copy_text(struct report *rep, const char *s)
{
    size_t n = strlen(s) + 1;
    struct report_text *t = rep->texts;
    if (!t || t->size - t->used < n) {
        size_t size = n > TEXT_BLOCK ? n : TEXT_BLOCK;
        if (!(t = malloc(sizeof *t + size)))
            return NULL;
        *t = (struct report_text){.next = rep->texts, .size = size};
        rep->texts = t;
    }
    char *p = t->data + t->used;
    memcpy(p, s, n);
    t->used += n;
    return p;
}

/* The cell, its text copied into the report. */
static int copy_cell(struct report *rep, struct cell *dst, const struct cell *src)
{
    *dst = *src;
    if (src->kind == CELL_TEXT && !(dst->text = copy_text(rep, src->text ? src->text : "")))
        return -ERR_INTERNAL;
    return 0;
}

int report_param(struct report *rep, const char *name, struct cell value)
{
    assert(rep->nparams < REPORT_PARAMS_MAX);
    struct report_param *p = &rep->params[rep->nparams];
    p->name = name;
    if (copy_cell(rep, &p->value, &value) != 0)
        return -ERR_INTERNAL;
    rep->nparams++;
    return 0;
}

void report_section(struct report *rep, const char *name, enum section_shape shape,
                    uint64_t json_cols, bool totals)
{
    assert(rep->nsections < REPORT_SECTIONS_MAX);
    assert(rep->ncols == REPORT_COLS_MAX || json_cols >> rep->ncols == 0);
    rep->sections[rep->nsections++] = (struct report_section){
        .name = name, .shape = shape, .totals = totals, .json_cols = json_cols, .first = rep->rows};
}

int report_row(struct report *rep, const struct cell *row)
{
    assert(rep->nsections > 0 && rep->ncols > 0);
    if (rep->rows == rep->cap) {
        size_t cap = rep->cap ? rep->cap * 2 : 64;
        struct cell *p = realloc(rep->cells, cap * rep->ncols * sizeof *p);
        if (!p)
            return -ERR_INTERNAL;
        rep->cells = p;
        rep->cap = cap;
    }
    struct cell *dst = rep->cells + rep->rows * rep->ncols;
    for (size_t c = 0; c < rep->ncols; c++) {
        bool fit = fits[rep->cols[c].type] & KIND(row[c].kind);
        assert(fit); /* the builder's bug; in a release build, an error */
        if (!fit)
            return -ERR_INTERNAL;
        if (copy_cell(rep, &dst[c], &row[c]) != 0)
            return -ERR_INTERNAL; /* copies made so far stay in the blocks until release */
    }
    rep->rows++;
    rep->sections[rep->nsections - 1].count++;
    return 0;
}

void report_hide(struct report *rep, size_t row, size_t col)
{
    assert(row < rep->rows && col < rep->ncols && rep->cols[col].type == COL_SMALL);
    rep->cells[row * rep->ncols + col] = (struct cell){CELL_HIDDEN, NULL, 0};
}

void report_hide_large(struct report *rep, size_t row, size_t col)
{
    assert(row < rep->rows && col < rep->ncols && rep->cols[col].type == COL_SMALL);
    rep->cells[row * rep->ncols + col] = (struct cell){CELL_HIDDEN_LARGE, NULL, 0};
}

void report_keep_rows(struct report *rep, const bool *keep)
{
    assert(rep->nsections > 0);
    struct report_section *s = &rep->sections[rep->nsections - 1];
    assert(s->first + s->count == rep->rows); /* the last section holds the last rows */
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (!keep[i])
            continue;
        if (kept != i)
            memmove(rep->cells + (s->first + kept) * rep->ncols,
                    rep->cells + (s->first + i) * rep->ncols, rep->ncols * sizeof *rep->cells);
        kept++;
    }
    rep->rows -= s->count - kept;
    s->count = kept;
}

const struct cell *report_cell(const struct report *rep, size_t row, size_t col)
{
    assert(row < rep->rows && col < rep->ncols);
    return &rep->cells[row * rep->ncols + col];
}

const char *report_heading(const struct report *rep, size_t col)
{
    assert(col < rep->ncols);
    return report_label(rep->cols[col].heading, rep->lang);
}

/* ---- the renderers' buffer ---- */

void report_buf_put(struct report_buf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void report_buf_puts(struct report_buf *b, const char *s)
{
    report_buf_put(b, s, strlen(s));
}

void report_buf_int(struct report_buf *b, int64_t v)
{
    char d[24];
    size_t i = sizeof d;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--i] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        d[--i] = '-';
    report_buf_put(b, d + i, sizeof d - i);
}

int report_buf_finish(struct report_buf *b, char **out, size_t *len)
{
    if (!b->failed && !b->p && !(b->p = malloc(1))) /* no bytes, but a buffer */
        b->failed = true;
    if (b->failed) {
        free(b->p);
        *b = (struct report_buf){0};
        *out = NULL;
        *len = 0;
        return -ERR_INTERNAL;
    }
    *out = b->p;
    *len = b->len;
    *b = (struct report_buf){0};
    return 0;
}
