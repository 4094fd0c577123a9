#include "http/json.h"

#include <string.h>

#include "core/rules.h"
#include "http/site.h"
#include "util/date.h"
#include "util/strutil.h"

#define JSON_DEPTH_MAX 32

static bool listed(const struct route_field *allowed, const char *key)
{
    for (; allowed && allowed->name; allowed++)
        if (strcmp(allowed->name, key) == 0)
            return true;
    return false;
}

static bool identity_walk(const json_t *v, const struct route_field *allowed, const char **where,
                          int depth)
{
    if (depth > JSON_DEPTH_MAX)
        return false; /* jansson refuses deeper documents when parsing */
    if (json_is_string(v))
        return identity_text_has_hetu(json_string_value(v), json_string_length(v));
    if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item)
        {
            if (identity_walk(item, NULL, where, depth + 1))
                return true;
        }
        return false;
    }
    if (json_is_object(v)) {
        const char *key;
        const json_t *item;
        json_object_foreach((json_t *)(uintptr_t)v, key, item)
        {
            if ((identity_field_name(key) && !listed(allowed, key)) ||
                identity_text_has_hetu(key, strlen(key))) {
                *where = key;
                return true;
            }
            if (identity_walk(item, NULL, where, depth + 1)) {
                if (!*where)
                    *where = key;
                return true;
            }
        }
    }
    return false;
}

bool json_has_identity_data(const json_t *v, const struct route_field *allowed, const char **where)
{
    *where = NULL;
    return identity_walk(v, allowed, where, 0);
}

/* The body reader of application/json: an object, no key twice, nothing
 * that identifies a person (R10, before anything else reads it). */
static int json_parse(struct request *r, const char *data, size_t len)
{
    json_error_t jerr;
    r->body.json = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!r->body.json || !json_is_object(r->body.json))
        return req_fail(r, ERR_INVALID_REQUEST, "body");
    const char *where = NULL;
    if (json_has_identity_data(r->body.json, r->route->body, &where))
        return req_fail(r, ERR_IDENTITY_DATA_REFUSED,
                        where ? arena_strdup(&r->arena, where) : NULL);
    return 0;
}

const struct body_reader body_json = {"application/json", json_parse};

json_t *jw_date(int32_t day)
{
    if (day < 0)
        return json_null();
    char buf[DATE_STR_LEN];
    date_format(day, buf);
    return json_string(buf);
}

json_t *jw_datetime(int64_t t)
{
    if (t == 0)
        return json_null();
    char buf[DATETIME_STR_LEN];
    datetime_format(t, buf);
    return json_string(buf);
}

json_t *jw_opt_int(int64_t v, bool present)
{
    return present ? json_integer(v) : json_null();
}

int jw_set(json_t *obj, const char *key, json_t *value)
{
    return json_object_set_new(obj, key, value) == 0 ? 0 : -ERR_INTERNAL;
}
