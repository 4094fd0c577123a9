/* Field readers: one field of the request body at a time, with its type and
 * bounds, from a JSON object and from a form alike, so that the API and a
 * page share one parser per resource.
 *
 * Before the handler runs, the server has refused unknown fields and
 * identity data (R10) and checked the route's required fields are there.
 * A reader then takes one field: a wrong type, range or length is 400
 * invalid_request with details.field. Each returns 0 or -ERR_x; a number
 * or flag is written only when the field holds a value, so a caller presets
 * its default; a string is always written, NULL when absent (a preset ""
 * is overwritten: test for NULL). field_state tells absent
 * from null where that matters (PATCH).
 *
 * JSON and forms differ only where forms cannot say it: a form value is
 * text, so numbers and booleans ("true", "false", or "on" from a checkbox)
 * are parsed from it with the same ranges; an empty form value is null for
 * a nullable field, "" for FIELD_EMPTY_OK text, and otherwise absent; a key
 * given twice is refused except by field_texts, for which a form repeats
 * the key once per item. Strings point into the body or the arena (alive
 * for the request). */
#ifndef KAIKU_HTTP_FIELD_H
#define KAIKU_HTTP_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

enum field_flags {
    FIELD_REQUIRED = 1u << 0,
    FIELD_NULLABLE = 1u << 1,
    FIELD_EMPTY_OK = 1u << 2, /* text: "" allowed; lists: no item allowed */
};

enum field_state { FIELD_ABSENT, FIELD_NULL, FIELD_SET };

/* Whether field key is absent, null (JSON null, an empty form value) or set. */
enum field_state field_state(const struct request *r, const char *key);

/* Text of at most max bytes, clean UTF-8 (no control characters). */
int field_text(struct request *r, const char *key, unsigned flags, size_t max, const char **out);
/* An integer within [min, max]. */
int field_int(struct request *r, const char *key, unsigned flags, int64_t min, int64_t max,
              int64_t *out);
int field_bool(struct request *r, const char *key, unsigned flags, bool *out);
/* A date "YYYY-MM-DD" as a day number. */
int field_date(struct request *r, const char *key, unsigned flags, int32_t *out);
/* A date-time (util/date.h's datetime_parse). */
int field_datetime(struct request *r, const char *key, unsigned flags, int64_t *out);
/* An id of a region, unit or venue: 1–64 of a-z 0-9 -. */
int field_slug(struct request *r, const char *key, unsigned flags, const char **out);
/* One of a name table's names, as its enum value. */
int field_enum(struct request *r, const char *key, unsigned flags, const struct name_table *t,
               int *out);
/* A list of at most max strings (a JSON array, or the key repeated in a
 * form), non-empty unless FIELD_EMPTY_OK; *items lives in the arena. */
int field_texts(struct request *r, const char *key, unsigned flags, size_t max, const char ***items,
                size_t *n);

/* The pipeline's check before the handler: every body field is one the
 * route accepts (or the site's CSRF field), and every required one is
 * there. 400 invalid_request naming the field otherwise. */
int field_check_route(struct request *r);

/* Query parameters: a date "YYYY-MM-DD" (-1 when absent) and an integer. */
int query_date(struct request *r, const char *name, int32_t *out);
int query_int(struct request *r, const char *name, int64_t min, int64_t max, int64_t *out,
              bool *present);

#endif
