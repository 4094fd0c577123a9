/* JSON for the transport: the body reader of application/json (body_json
 * in http/site.h), R10's walk over a JSON value, and writers (jw_*) that make
 * jansson values for the API's shapes (dates, date-times, optional numbers).
 * Fields of a body are read with http/field.h, for JSON and forms alike. */
#ifndef KAIKU_HTTP_JSON_H
#define KAIKU_HTTP_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

struct route_field;

/* R10: true when any string anywhere in v holds a personal identity code, or
 * any key is an identity field name (name, hetu, phone, …). Top-level keys in
 * `allowed` (a route's body fields, NULL-named end) are exempt: the API's own
 * fields such as a venue's or an event's "name" name organisations and
 * events, never persons. *where is the key. */
bool json_has_identity_data(const json_t *v, const struct route_field *allowed, const char **where);

/* Writers. A day < 0 or an instant 0 is null. */
json_t *jw_date(int32_t day);
json_t *jw_datetime(int64_t t);
json_t *jw_opt_int(int64_t v, bool present);
/* Sets obj[key] = value, stealing value; returns -ERR_INTERNAL on failure. */
int jw_set(json_t *obj, const char *key, json_t *value);

#endif
