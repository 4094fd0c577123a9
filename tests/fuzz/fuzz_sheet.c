/* libFuzzer target for the spreadsheet readers (import/csv.c, xlsx.c):
 * CSV and, behind a ZIP signature, XLSX through libzip and expat. Besides
 * "no crash, no sanitizer report" it checks what a row promises: numbered
 * upwards, at most SHEET_COLS_MAX cells, each clean UTF-8 of at most
 * SHEET_CELL_MAX bytes; and a refusal is one of the two errors. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "import/sheet.h"
#include "util/strutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_row(void *ctx, int32_t row, const struct sheet_cell *cells, size_t n)
{
    int32_t *last = ctx;
    assert(row > *last && row <= SHEET_ROWS_MAX);
    *last = row;
    assert(n <= SHEET_COLS_MAX);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(cells[i].text);
        assert(len <= SHEET_CELL_MAX);
        assert(str_is_clean_utf8(cells[i].text, len));
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int32_t last = 0;
    struct error_details d = {0};
    int rc = sheet_read(data, size, check_row, &last, &d);
    assert(rc == 0 || rc == -ERR_INVALID_REQUEST || rc == -ERR_BODY_TOO_LARGE);
    last = 0;
    rc = sheet_read_csv(data, size, check_row, &last, &d);
    assert(rc == 0 || rc == -ERR_INVALID_REQUEST || rc == -ERR_BODY_TOO_LARGE);
    return 0;
}
