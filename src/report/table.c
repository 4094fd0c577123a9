/* The table of a report and its CSV sink (RFC 4180). */
#include "report/table.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"

void table_init(struct table *t, const char *sheet, size_t cols, enum lang lang)
{
    assert(cols >= 1 && cols <= TABLE_COLS_MAX);
    *t = (struct table){.sheet = sheet, .lang = lang, .cols = cols};
}

void table_release(struct table *t)
{
    for (size_t i = 0; i < t->rows * t->cols; i++)
        if (t->cells[i].kind == CELL_TEXT)
            free((char *)(uintptr_t)t->cells[i].text); /* our own copy */
    free(t->cells);
    t->cells = NULL;
    t->rows = t->cap = 0;
}

static char *copy_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int table_add(struct table *t, const struct cell *row)
{
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct cell *p = realloc(t->cells, cap * t->cols * sizeof *p);
        if (!p)
            return -ERR_INTERNAL;
        t->cells = p;
        t->cap = cap;
    }
    struct cell *dst = t->cells + t->rows * t->cols;
    for (size_t c = 0; c < t->cols; c++) {
        dst[c] = row[c];
        if (row[c].kind != CELL_TEXT)
            continue;
        if (!(dst[c].text = copy_text(row[c].text ? row[c].text : ""))) {
            while (c-- > 0) /* the row is not added: free its copies */
                if (dst[c].kind == CELL_TEXT)
                    free((char *)(uintptr_t)dst[c].text);
            return -ERR_INTERNAL;
        }
    }
    t->rows++;
    return 0;
}

/* ---- CSV ---- */

struct buf {
    char *p;
    size_t len, cap;
    bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
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

static void put_str(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A text cell, quoted when needed (RFC 4180). Nothing a spreadsheet might
 * take for the start of a cell begins a formula: not the text's start, and
 * not what follows a ';' (the separator Finnish and Swedish Excel split on)
 * or a ','. A "'" goes before such a character. */
static void put_text(struct buf *b, const char *s)
{
    bool quote = strpbrk(s, ",;\"\r\n") != NULL;
    if (quote)
        put(b, "\"", 1);
    bool cell_start = true;
    for (const char *p = s; *p; p++) {
        if (cell_start && strchr("=+-@\t\r", *p))
            put(b, "'", 1);
        if (*p == '"')
            put(b, "\"\"", 2);
        else
            put(b, p, 1);
        cell_start = *p == ';' || *p == ',';
    }
    if (quote)
        put(b, "\"", 1);
}

static void put_cell(struct buf *b, const struct cell *c)
{
    char tmp[32];
    switch (c->kind) {
    case CELL_TEXT:
        put_text(b, c->text);
        break;
    case CELL_INT:
        snprintf(tmp, sizeof tmp, "%lld", (long long)c->value);
        put_str(b, tmp);
        break;
    case CELL_DATE:
        date_format((int32_t)c->value, tmp);
        put_str(b, tmp);
        break;
    case CELL_SHARE:
        snprintf(tmp, sizeof tmp, "%lld.%03lld", (long long)(c->value / 1000),
                 (long long)(c->value % 1000));
        put_str(b, tmp);
        break;
    case CELL_EMPTY:
        break;
    }
}

int table_csv(const struct table *t, char **out, size_t *len)
{
    struct buf b = {0};
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->cols; c++) {
            if (c > 0)
                put(&b, ",", 1);
            put_cell(&b, &t->cells[r * t->cols + c]);
        }
        put(&b, "\r\n", 2);
    }
    if (!b.failed && !b.p && !(b.p = malloc(1))) /* no rows: no bytes, but a buffer */
        b.failed = true;
    if (b.failed) {
        free(b.p);
        *out = NULL;
        *len = 0;
        return -ERR_INTERNAL;
    }
    *out = b.p;
    *len = b.len;
    return 0;
}
