/* A report as api.md's JSON: {"<param>": …, "<section>": …}, each section
 * in its shape. Written piece by piece, a row at a time, so that a long
 * report is never a tree of JSON values as well; jansson encodes each piece
 * with the flags of http's reply_json (compact, so the pieces join into
 * exactly the bytes the whole would dump to). */
#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/date.h"

/* As http/request.c's reply_json: shares such as 0.143 without binary noise. */
#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY)

static json_t *cell_json(const struct cell *c)
{
    char day[DATE_STR_LEN];
    switch (c->kind) {
    case CELL_TEXT:
        return json_string(c->text);
    case CELL_INT:
        return json_integer(c->value);
    case CELL_DATE:
        date_format((int32_t)c->value, day);
        return json_string(day);
    case CELL_SHARE:
        return json_real((double)c->value / 1000.0);
    case CELL_HIDDEN:
        return json_string(REPORT_SMALL_TEXT);
    case CELL_HIDDEN_LARGE:
        return json_string(REPORT_LARGE_TEXT);
    case CELL_BOOL:
        return json_boolean(c->value);
    case CELL_EMPTY:
        break;
    }
    return json_null();
}

static int put_cb(const char *s, size_t n, void *ctx)
{
    report_buf_put(ctx, s, n);
    return 0;
}

/* Appends v's JSON and releases v; a NULL v (out of memory, or a text that
 * is not UTF-8) fails the buffer. */
static void put_json(struct report_buf *b, json_t *v)
{
    if (!v || json_dump_callback(v, put_cb, b, DUMP_FLAGS) != 0)
        b->failed = true;
    json_decref(v);
}

/* "key": */
static void put_key(struct report_buf *b, const char *key)
{
    put_json(b, json_string(key));
    report_buf_put(b, ":", 1);
}

/* ---- a list's rows, written without jansson (issue 16) ----
 *
 * A list may hold a hundred thousand rows (a busy venue's year); a jansson
 * object made, dumped and freed per row cost more than the rest of the
 * report. Rows are written here instead, to exactly the bytes jansson
 * writes with DUMP_FLAGS (tests/unit/report/test_render.c compares the two
 * on hostile texts): the same escapes, text that is not UTF-8 refused. */

/* The length of the UTF-8 sequence at s, as jansson's utf8_check_full
 * accepts it (no overlong forms, no surrogates, nothing past U+10FFFF);
 * 0 when it is not one. */
static size_t utf8_length(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    uint32_t v = n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    return n;
}

/* A text as jansson dumps it: " \\ and the control characters escaped,
 * the rest as it is. */
static void put_text(struct report_buf *b, const char *text)
{
    const unsigned char *s = (const unsigned char *)text, *run = s;
    char u[8];
    report_buf_put(b, "\"", 1);
    while (*s && !b->failed) {
        if (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\') {
            s++; /* printable ASCII, as it is: most of every text */
            continue;
        }
        size_t n = utf8_length(s);
        const char *esc = NULL;
        if (n == 0) {
            b->failed = true; /* as json_string: not UTF-8 */
            break;
        }
        switch (*s) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            if (*s < 0x20) {
                snprintf(u, sizeof u, "\\u%04X", *s);
                esc = u;
            }
        }
        if (esc) {
            report_buf_put(b, (const char *)run, (size_t)(s - run));
            report_buf_puts(b, esc);
            run = s + 1;
        }
        s += n;
    }
    report_buf_put(b, (const char *)run, (size_t)(s - run));
    report_buf_put(b, "\"", 1);
}

/* A cell as jansson dumps cell_json's value; a share (a real) through
 * jansson itself, for its way of writing numbers. */
static void put_cell(struct report_buf *b, const struct cell *c)
{
    char text[32];
    switch (c->kind) {
    case CELL_TEXT:
        put_text(b, c->text);
        return;
    case CELL_INT:
        report_buf_int(b, c->value); /* as jansson's JSON_INTEGER_FORMAT, %lld */
        return;
    case CELL_DATE:
        date_format((int32_t)c->value, text);
        put_text(b, text);
        return;
    case CELL_HIDDEN:
        put_text(b, REPORT_SMALL_TEXT);
        return;
    case CELL_HIDDEN_LARGE:
        put_text(b, REPORT_LARGE_TEXT);
        return;
    case CELL_BOOL:
        report_buf_puts(b, c->value ? "true" : "false");
        return;
    case CELL_EMPTY:
        report_buf_puts(b, "null");
        return;
    case CELL_SHARE:
        break;
    }
    put_json(b, cell_json(c));
}

static bool in_json(const struct report_section *s, size_t col)
{
    return (s->json_cols >> col) & 1;
}

/* {"col": cell, …} of one row. */
static json_t *row_object(const struct report *rep, const struct report_section *s, size_t row)
{
    json_t *o = json_object();
    for (size_t c = 0; o && c < rep->ncols; c++) {
        if (!in_json(s, c))
            continue;
        assert(rep->cols[c].json);
        if (json_object_set_new(o, rep->cols[c].json, cell_json(report_cell(rep, row, c))) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

/* A column's key as written before its cell ("card":), made once for all
 * the rows of a list; n 0 when it did not fit (then made a row at a time). */
struct json_key {
    char text[64];
    size_t n;
};

static void make_keys(const struct report *rep, struct json_key *keys)
{
    for (size_t c = 0; c < rep->ncols; c++) {
        struct report_buf k = {0};
        keys[c].n = 0;
        if (!rep->cols[c].json)
            continue;
        put_text(&k, rep->cols[c].json);
        report_buf_put(&k, ":", 1);
        if (!k.failed && k.len <= sizeof keys[c].text) {
            memcpy(keys[c].text, k.p, k.len);
            keys[c].n = k.len;
        }
        free(k.p);
    }
}

/* {"col": cell, …} of one row, as json_dump of row_object writes it; keys
 * made by make_keys, or NULL. */
static void put_row(struct report_buf *b, const struct report *rep, const struct report_section *s,
                    size_t row, const struct json_key *keys)
{
    bool first = true;
    report_buf_put(b, "{", 1);
    for (size_t c = 0; c < rep->ncols; c++) {
        if (!in_json(s, c))
            continue;
        assert(rep->cols[c].json);
        if (!first)
            report_buf_put(b, ",", 1);
        first = false;
        if (keys && keys[c].n) {
            report_buf_put(b, keys[c].text, keys[c].n);
        } else {
            put_text(b, rep->cols[c].json);
            report_buf_put(b, ":", 1);
        }
        put_cell(b, report_cell(rep, row, c));
    }
    report_buf_put(b, "}", 1);
}

/* The first and second JSON columns of a section (SIZE_MAX: none). */
static void json_pair(const struct report *rep, const struct report_section *s, size_t *first,
                      size_t *second)
{
    *first = *second = SIZE_MAX;
    for (size_t c = 0; c < rep->ncols; c++) {
        if (!in_json(s, c))
            continue;
        if (*first == SIZE_MAX)
            *first = c;
        else if (*second == SIZE_MAX)
            *second = c;
    }
}

/* {"<key>": cell, …}: built whole, so that a key given twice is set once. */
static json_t *map_object(const struct report *rep, const struct report_section *s)
{
    size_t key, value;
    json_pair(rep, s, &key, &value);
    assert(key != SIZE_MAX && value != SIZE_MAX && rep->cols[key].type == COL_TEXT);
    json_t *o = json_object();
    for (size_t r = s->first; o && r < s->first + s->count; r++) {
        const struct cell *k = report_cell(rep, r, key);
        if (json_object_set_new(o, k->kind == CELL_TEXT ? k->text : "",
                                cell_json(report_cell(rep, r, value))) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

static void put_section(struct report_buf *b, const struct report *rep,
                        const struct report_section *s)
{
    size_t col, unused;
    struct json_key keys[REPORT_COLS_MAX];
    switch (s->shape) {
    case SHAPE_LIST:
        make_keys(rep, keys);
        report_buf_put(b, "[", 1);
        for (size_t r = s->first; r < s->first + s->count && !b->failed; r++) {
            if (r > s->first)
                report_buf_put(b, ",", 1);
            put_row(b, rep, s, r, keys);
        }
        report_buf_put(b, "]", 1);
        break;
    case SHAPE_OBJECT:
        assert(s->count <= 1);
        put_json(b, s->count ? row_object(rep, s, s->first) : json_object());
        break;
    case SHAPE_MAP:
        put_json(b, map_object(rep, s));
        break;
    case SHAPE_VALUE:
        assert(s->count <= 1);
        json_pair(rep, s, &col, &unused);
        assert(col != SIZE_MAX && unused == SIZE_MAX);
        put_json(b, s->count ? cell_json(report_cell(rep, s->first, col)) : json_null());
        break;
    }
}

static int json(const struct report *rep, char **out, size_t *len)
{
    struct report_buf b = {0};
    size_t n = 0;
    report_buf_put(&b, "{", 1);
    for (size_t i = 0; i < rep->nparams; i++, n++) {
        if (n > 0)
            report_buf_put(&b, ",", 1);
        put_key(&b, rep->params[i].name);
        put_json(&b, cell_json(&rep->params[i].value));
    }
    for (size_t i = 0; i < rep->nsections; i++, n++) {
        if (n > 0)
            report_buf_put(&b, ",", 1);
        put_key(&b, rep->sections[i].name);
        put_section(&b, rep, &rep->sections[i]);
    }
    report_buf_put(&b, "}", 1);
    return report_buf_finish(&b, out, len);
}

const struct report_renderer render_json = {
    .format = "json",
    .media_type = "application/json; charset=utf-8",
    .download = false,
    .render = json,
};
