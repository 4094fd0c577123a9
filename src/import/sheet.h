/* sheet.h — reading a spreadsheet a row at a time: CSV (RFC 4180, UTF-8
 * with or without a BOM, ';' or ',' between cells) and XLSX (its first
 * worksheet, through libzip and expat). Nothing here knows kaiku's layouts
 * (import.h does); a row is its cells as text, numbers marked as such so
 * that a date typed into Excel (a serial number) can be told from text.
 *
 * Bounded: a file over SHEET_BYTES_MAX, an XLSX member that unpacks to over
 * SHEET_UNPACKED_MAX (a zip bomb), more than SHEET_ROWS_MAX rows or
 * SHEET_COLS_MAX cells in a row, or a cell over SHEET_CELL_MAX bytes is
 * refused with -ERR_BODY_TOO_LARGE (details: the limit that was passed,
 * and the row); a file that is neither readable CSV nor XLSX, or whose text
 * is not UTF-8, with -ERR_INVALID_REQUEST (details.value: the row when
 * one is to blame). */
#ifndef KAIKU_IMPORT_SHEET_H
#define KAIKU_IMPORT_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define SHEET_BYTES_MAX    (8 * 1024 * 1024)  /* the file as uploaded */
#define SHEET_UNPACKED_MAX (64 * 1024 * 1024) /* an XLSX member, unpacked */
#define SHEET_ROWS_MAX     20001              /* a heading row and 20,000 rows */
#define SHEET_COLS_MAX     32
#define SHEET_CELL_MAX     1024 /* bytes of one cell's text */

enum sheet_format { SHEET_CSV, SHEET_XLSX };

struct sheet_cell {
    const char *text; /* UTF-8, NUL-terminated; "" for an empty cell */
    bool number;      /* an XLSX number cell (dates are serial numbers) */
};

/* One row: `row` is its number as a spreadsheet shows it (1 = the first);
 * cells[0..n) are its cells from column A on, empty ones included. The cells
 * live only for the call. Non-zero stops the reading and is returned. */
typedef int (*sheet_row_fn)(void *ctx, int32_t row, const struct sheet_cell *cells, size_t n);

/* XLSX when the data starts as a ZIP archive does, CSV otherwise. */
enum sheet_format sheet_detect(const uint8_t *data, size_t len);

/* Reads every row of the file in data[0..len) to fn, in order. Returns 0,
 * fn's non-zero value, or -ERR_INVALID_REQUEST / -ERR_BODY_TOO_LARGE
 * (with d, which may be NULL). */
int sheet_read(const uint8_t *data, size_t len, sheet_row_fn fn, void *ctx,
               struct error_details *d);
int sheet_read_csv(const uint8_t *data, size_t len, sheet_row_fn fn, void *ctx,
                   struct error_details *d);
int sheet_read_xlsx(const uint8_t *data, size_t len, sheet_row_fn fn, void *ctx,
                    struct error_details *d);

/* The day of an Excel serial number (1900 date system: 25569 is
 * 1970-01-01; a fraction is the time of day and is dropped). Returns 0, or
 * -1 when it is not a number of a day between 1900 and 9999. */
int sheet_serial_day(const char *text, int32_t *day);

#endif
