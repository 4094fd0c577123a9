/* CSV as RFC 4180 writes it, and as Excel saves "CSV UTF-8": a BOM or none,
 * CRLF or LF line ends, cells quoted with '"' when they hold the separator,
 * a quote or a line end. The separator is ';' (Finnish and Swedish Excel)
 * or ',' (RFC 4180, kaiku's own reports), whichever the heading row holds
 * more of outside quotes. */
#include <stdlib.h>
#include <string.h>

#include "import/sheet.h"
#include "util/date.h"
#include "util/strutil.h"

/* The cells of the row being read, each with room for its text. */
struct csv_row {
    char text[SHEET_COLS_MAX + 1][SHEET_CELL_MAX + 1];
    size_t len[SHEET_COLS_MAX + 1];
    struct sheet_cell cells[SHEET_COLS_MAX];
    size_t n;
};

static int too_large(struct error_details *d, const char *key, int64_t limit)
{
    if (d) {
        *d = (struct error_details){0};
        error_value(d, ERR_BODY_TOO_LARGE, key, limit, 0);
        d->field = "file";
    }
    return -ERR_BODY_TOO_LARGE;
}

static int invalid(struct error_details *d, int32_t row)
{
    if (d) {
        *d = (struct error_details){0};
        error_value(d, ERR_INVALID_REQUEST, "row", row, 0);
        d->field = "file";
    }
    return -ERR_INVALID_REQUEST;
}

/* The separator: the one of ';' and ',' that the first record holds more
 * of outside quotes (';' on a tie, as Finnish Excel writes). */
static char separator(const char *p, const char *end)
{
    size_t semi = 0, comma = 0;
    bool quoted = false;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ';')
            semi++;
        else if (!quoted && *p == ',')
            comma++;
    }
    return comma > semi ? ',' : ';';
}

/* r->n is at most SHEET_COLS_MAX here (end_cell refuses beyond), and the
 * arrays have room for that one cell more. */
static int add_byte(struct csv_row *r, char c, struct error_details *d)
{
    size_t i = r->n;
    if (r->len[i] >= SHEET_CELL_MAX)
        return too_large(d, "max_cell_bytes", SHEET_CELL_MAX);
    r->text[i][r->len[i]++] = c;
    return 0;
}

static int end_cell(struct csv_row *r, int32_t row, struct error_details *d)
{
    size_t i = r->n;
    if (i >= SHEET_COLS_MAX)
        return too_large(d, "max_columns", SHEET_COLS_MAX);
    r->text[i][r->len[i]] = '\0';
    if (!str_is_clean_utf8(r->text[i], r->len[i]))
        return invalid(d, row);
    r->cells[i] = (struct sheet_cell){r->text[i], false};
    r->len[++r->n] = 0;
    return 0;
}

int sheet_read_csv(const uint8_t *data, size_t len, sheet_row_fn fn, void *ctx,
                   struct error_details *d)
{
    if (len > SHEET_BYTES_MAX)
        return too_large(d, "max_bytes", SHEET_BYTES_MAX);
    const char *p = (const char *)data, *end = p + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* the BOM Excel writes before "CSV UTF-8" */
    char sep = separator(p, end);
    struct csv_row *r = malloc(sizeof *r);
    if (!r)
        return -ERR_INTERNAL;
    int rc = 0;
    int32_t row = 1;
    r->n = 0;
    r->len[0] = 0;
    while (p < end && rc == 0) {
        /* One cell: quoted or plain, up to the separator or the line end. */
        if (*p == '"') {
            for (p++;; p++) {
                if (p >= end) {
                    rc = invalid(d, row); /* a quote never closed */
                    break;
                }
                if (*p == '"' && p + 1 < end && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                if ((rc = add_byte(r, *p, d)) != 0)
                    break;
            }
            if (rc != 0)
                break;
            p++; /* the closing quote */
            if (p < end && *p != sep && *p != '\r' && *p != '\n') {
                rc = invalid(d, row); /* text after a closing quote */
                break;
            }
        } else {
            for (; p < end && *p != sep && *p != '\r' && *p != '\n'; p++)
                if ((rc = add_byte(r, *p, d)) != 0)
                    break;
            if (rc != 0)
                break;
        }
        if ((rc = end_cell(r, row, d)) != 0)
            break;
        if (p < end && *p == sep) {
            p++;
            if (p < end)
                continue;
            if ((rc = end_cell(r, row, d)) != 0) /* "a;b;" ends with an empty cell */
                break;
        }
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        if (row > SHEET_ROWS_MAX) {
            rc = too_large(d, "max_rows", SHEET_ROWS_MAX - 1);
            break;
        }
        rc = fn(ctx, row, r->cells, r->n);
        row++;
        r->n = 0;
        r->len[0] = 0;
    }
    free(r);
    return rc;
}

enum sheet_format sheet_detect(const uint8_t *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0 ? SHEET_XLSX : SHEET_CSV;
}

int sheet_read(const uint8_t *data, size_t len, sheet_row_fn fn, void *ctx, struct error_details *d)
{
    if (sheet_detect(data, len) == SHEET_XLSX)
        return sheet_read_xlsx(data, len, fn, ctx, d);
    return sheet_read_csv(data, len, fn, ctx, d);
}

int sheet_serial_day(const char *text, int32_t *day)
{
    /* Whole days only: "43864" or "43864.5" (noon); no sign, no exponent. */
    int64_t whole = 0;
    const char *dot = strchr(text, '.');
    size_t n = dot ? (size_t)(dot - text) : strlen(text);
    char buf[16];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    if (dot && (dot[1] == '\0' || strspn(dot + 1, "0123456789") != strlen(dot + 1)))
        return -1;
    /* 1 = 1900-01-01 … 2958465 = 9999-12-31; Excel's phantom 29 Feb 1900
     * (serial 60) makes every serial from 61 on one day late, so the epoch
     * is 1899-12-30 for them; serials before 61 are refused. */
    if (str_to_i64(buf, 61, 2958465, &whole) != 0)
        return -1;
    *day = date_from_ymd(1899, 12, 30) + (int32_t)whole;
    return 0;
}
