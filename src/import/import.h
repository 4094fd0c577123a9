/* import.h — imports from paper and Excel (issue 17, docs/imports.md): a
 * handout sheet (R9–R11's form, a row per card) or a venue's usage sheet
 * (R28's layout, a row per use), as CSV or XLSX, read by sheet.h, its
 * headings matched in Finnish, Swedish or English, every row turned into
 * the request a single handout or use would make, then recorded by
 * store_import: all rows or none.
 *
 * Who imports is the actor; the unit or venue the file is of must lie in
 * their scope (R32). The result says how many rows were recorded, or lists
 * the rows refused with the column and the reason, in plain words. */
#ifndef KAIKU_IMPORT_IMPORT_H
#define KAIKU_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/i18n.h"
#include "store/store.h"

#define IMPORT_PROBLEMS_MAX 200 /* problems kept; problems_total counts all */
#define IMPORT_HEADING_MAX  64

struct import_problem {
    int32_t row; /* the row's number in the file; 0: the file as a whole */
    /* The column: its heading as the file has it, or (a missing column) the
     * catalogue key of its heading; "" when no column is to blame. */
    char heading[IMPORT_HEADING_MAX + 1];
    const char *heading_key;
    int err;            /* ERR_x, positive */
    const char *reason; /* a catalogue key that says more, or NULL */
    struct error_details details;
};

struct import_result {
    size_t rows;     /* rows of data the file holds */
    size_t recorded; /* recorded by this import */
    size_t skipped;  /* recorded before, by an import of the same rows */
    struct import_problem problems[IMPORT_PROBLEMS_MAX];
    size_t nproblems, problems_total;
};

/* done of total rows decided; from the thread that runs the import. */
typedef void (*import_progress_fn)(void *ctx, size_t done, size_t total);

struct import_request {
    enum import_layout layout;
    const char *place; /* unit (handouts) or venue (uses) id */
    const uint8_t *data;
    size_t len;
    import_progress_fn progress; /* may be NULL */
    void *progress_ctx;
};

/* Reads and records the file. Returns 0 when every row was recorded (or
 * had been before); -ERR_INVALID_REQUEST when the file or any row was
 * refused, with out->problems saying why (nothing recorded); other errors
 * (-ERR_FORBIDDEN, -ERR_NOT_FOUND for the place, -ERR_UNAVAILABLE, …) as
 * any write. out is large: allocate it. */
int import_run(struct store *s, const struct actor *a, const struct import_request *r,
               struct import_result *out);

/* A problem in plain words, in lang: "Row 5, column “Birth year”: …". */
void import_problem_text(const struct import_problem *p, enum lang lang, char *buf, size_t cap);

/* The layout's name ("handouts", "uses") and back (-1: none). */
const char *import_layout_name(enum import_layout l);
int import_layout_lookup(const char *name);

/* Every catalogue key this module passes to i18n_text (test_i18n). */
extern const struct i18n_keys import_keys;

#endif
