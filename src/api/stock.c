/* Card stock of units (R1–R3). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/dispatch.h"
#include "http/json.h"
#include "store/store.h"
#include "util/strutil.h"

#define CODES_MAX 100000 /* per request; a 1 MiB body holds about this many */

static int compare_codes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int api_codes(struct request *r, const char *field, char (**codes)[CODE_MAX + 1], size_t *n)
{
    const char **items;
    int rc = field_texts(r, field, FIELD_REQUIRED, CODES_MAX, &items, n);
    if (rc < 0)
        return rc;
    char(*out)[CODE_MAX + 1] = arena_alloc(&r->arena, *n * sizeof *out);
    if (!out)
        return -ERR_INTERNAL;
    for (size_t i = 0; i < *n; i++) {
        if (card_code_normalize(items[i], out[i]) != 0)
            return error_text(&r->details, ERR_INVALID_CARD_CODE, "code",
                              strlen(items[i]) <= CODE_MAX + 8 ? items[i] : "");
    }
    /* A code given twice: sort pointers to the codes (qsort: n log n; a
     * shell sort took 1.5 s for 100,000 codes) and compare neighbours. */
    const char **sorted = arena_alloc(&r->arena, *n * sizeof *sorted);
    if (!sorted && *n > 0)
        return -ERR_INTERNAL;
    for (size_t i = 0; i < *n; i++)
        sorted[i] = out[i];
    if (*n > 1)
        qsort(sorted, *n, sizeof *sorted, compare_codes);
    for (size_t i = 1; i < *n; i++)
        if (strcmp(sorted[i - 1], sorted[i]) == 0) {
            error_text(&r->details, ERR_INVALID_REQUEST, "code", sorted[i]);
            r->details.field = field;
            return -ERR_INVALID_REQUEST;
        }
    *codes = out;
    return 0;
}

int api_stock_add(struct request *r)
{
    const char *unit;
    int kind = 0, rc;
    char(*codes)[CODE_MAX + 1] = NULL;
    size_t n = 0;
    if ((rc = field_slug(r, "unit", FIELD_REQUIRED, &unit)) < 0 ||
        (rc = field_enum(r, "kind", FIELD_REQUIRED, &card_kind_names, &kind)) < 0 ||
        (rc = api_codes(r, "codes", &codes, &n)) < 0)
        return rc;
    rc = store_stock_add(r->store, &r->actor, unit, (enum card_kind)kind,
                         (const char(*)[CODE_MAX + 1]) codes, n, &r->details);
    /* A code taken outside the caller's scope, not named: a guess spent. */
    if (rc == -ERR_CODE_TAKEN && r->details.text[0] == '\0')
        http_card_guess_failed(r);
    if (rc != 0)
        return rc;
    return reply_json(r, 201, json_pack("{s:I}", "added", (json_int_t)n));
}
