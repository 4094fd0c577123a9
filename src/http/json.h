/* Strict JSON in and out for the API handlers.
 *
 * Reading: the server has already checked that the body is an object whose
 * keys are all in the route's list, and that it carries no identity data
 * (R10). The jf_* readers then take one field each with its type and range;
 * a wrong type or range fails with 400 invalid_request and details.field.
 * They return JF_ABSENT, JF_SET or JF_NULL (only with JF_NULLABLE), or
 * -ERR_x. Strings come out pointing into the body (alive for the request).
 *
 * Writing: jw_* make jansson values for the API's shapes (dates, date-times,
 * optional numbers). */
#ifndef KAIKU_HTTP_JSON_H
#define KAIKU_HTTP_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

enum { JF_ABSENT = 0, JF_SET = 1, JF_NULL = 2 };

enum jf_flags {
    JF_REQUIRED = 1u << 0,
    JF_NULLABLE = 1u << 1,
    JF_EMPTY_OK = 1u << 2, /* strings: "" allowed */
};

/* R10: true when any string anywhere in v holds a personal identity code, or
 * any key is an identity field name (name, hetu, phone, …). Top-level keys in
 * `allowed` are exempt: the API's own fields such as a venue's or an event's
 * "name" name organisations and events, never persons. *where is the key. */
bool json_has_identity_data(const json_t *v, const char *const *allowed, const char **where);

/* A string of at most max bytes, clean UTF-8 (no control characters). */
int jf_string(struct request *r, const char *key, unsigned flags, size_t max, const char **out);
/* An integer within [min, max]. */
int jf_int(struct request *r, const char *key, unsigned flags, int64_t min, int64_t max,
           int64_t *out);
int jf_bool(struct request *r, const char *key, unsigned flags, bool *out);
/* A date "YYYY-MM-DD" as a day number. */
int jf_date(struct request *r, const char *key, unsigned flags, int32_t *out);
/* A date-time (util/date.h's datetime_parse). */
int jf_datetime(struct request *r, const char *key, unsigned flags, int64_t *out);
/* An id of a region, unit or venue: 1–64 of a-z 0-9 -. */
int jf_slug(struct request *r, const char *key, unsigned flags, const char **out);
/* One of a name table's names, as its enum value. */
int jf_enum(struct request *r, const char *key, unsigned flags, const struct name_table *t,
            int *out);
/* A non-empty array of at most max strings; *items lives in the arena. */
int jf_strings(struct request *r, const char *key, unsigned flags, size_t max, const char ***items,
               size_t *n);

/* Query parameters: a date "YYYY-MM-DD" (-1 when absent) and an integer. */
int query_date(struct request *r, const char *name, int32_t *out);
int query_int(struct request *r, const char *name, int64_t min, int64_t max, int64_t *out,
              bool *present);

/* Writers. A day < 0 or an instant 0 is null. */
json_t *jw_date(int32_t day);
json_t *jw_datetime(int64_t t);
json_t *jw_opt_int(int64_t v, bool present);
/* Sets obj[key] = value, stealing value; returns -ERR_INTERNAL on failure. */
int jw_set(json_t *obj, const char *key, json_t *value);

#endif
