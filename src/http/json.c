#include "http/json.h"

#include <string.h>

#include "core/rules.h"
#include "util/date.h"
#include "util/strutil.h"

#define JSON_DEPTH_MAX 32

static bool listed(const char *const *allowed, const char *key)
{
    for (; allowed && *allowed; allowed++)
        if (strcmp(*allowed, key) == 0)
            return true;
    return false;
}

static bool identity_walk(const json_t *v, const char *const *allowed, const char **where,
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

bool json_has_identity_data(const json_t *v, const char *const *allowed, const char **where)
{
    *where = NULL;
    return identity_walk(v, allowed, where, 0);
}

/* The field, or NULL when absent; JF_NULL / errors through *rc. */
static const json_t *field(struct request *r, const char *key, unsigned flags, int *rc)
{
    const json_t *v = r->body ? json_object_get(r->body, key) : NULL;
    *rc = JF_SET;
    if (!v) {
        *rc = (flags & JF_REQUIRED) ? req_fail(r, ERR_INVALID_REQUEST, key) : JF_ABSENT;
        return NULL;
    }
    if (json_is_null(v)) {
        *rc = (flags & JF_NULLABLE) ? JF_NULL : req_fail(r, ERR_INVALID_REQUEST, key);
        return NULL;
    }
    return v;
}

int jf_string(struct request *r, const char *key, unsigned flags, size_t max, const char **out)
{
    int rc;
    const json_t *v = field(r, key, flags, &rc);
    *out = NULL;
    if (!v)
        return rc;
    if (!json_is_string(v))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n > max || (n == 0 && !(flags & JF_EMPTY_OK)) || strlen(s) != n || !str_is_clean_utf8(s, n))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = s;
    return JF_SET;
}

int jf_int(struct request *r, const char *key, unsigned flags, int64_t min, int64_t max,
           int64_t *out)
{
    int rc;
    const json_t *v = field(r, key, flags, &rc);
    if (!v)
        return rc;
    if (!json_is_integer(v))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    json_int_t x = json_integer_value(v);
    if (x < min || x > max)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = x;
    return JF_SET;
}

int jf_bool(struct request *r, const char *key, unsigned flags, bool *out)
{
    int rc;
    const json_t *v = field(r, key, flags, &rc);
    if (!v)
        return rc;
    if (!json_is_boolean(v))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = json_is_true(v);
    return JF_SET;
}

int jf_date(struct request *r, const char *key, unsigned flags, int32_t *out)
{
    const char *s;
    int rc = jf_string(r, key, flags, DATE_STR_LEN, &s);
    if (rc != JF_SET)
        return rc;
    if (date_parse(s, out) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    return JF_SET;
}

int jf_datetime(struct request *r, const char *key, unsigned flags, int64_t *out)
{
    const char *s;
    int rc = jf_string(r, key, flags, DATETIME_STR_LEN + 8, &s);
    if (rc != JF_SET)
        return rc;
    if (datetime_parse(s, out) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    return JF_SET;
}

int jf_slug(struct request *r, const char *key, unsigned flags, const char **out)
{
    int rc = jf_string(r, key, flags, ID_MAX, out);
    if (rc != JF_SET)
        return rc;
    if (!str_is_slug(*out, ID_MAX))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    return JF_SET;
}

int jf_enum(struct request *r, const char *key, unsigned flags, const struct name_table *t,
            int *out)
{
    const char *s;
    int rc = jf_string(r, key, flags, 64, &s);
    if (rc != JF_SET)
        return rc;
    int v = name_lookup(t, s);
    if (v < 0)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = v;
    return JF_SET;
}

int jf_strings(struct request *r, const char *key, unsigned flags, size_t max, const char ***items,
               size_t *n)
{
    int rc;
    const json_t *v = field(r, key, flags, &rc);
    *items = NULL;
    *n = 0;
    if (!v)
        return rc;
    size_t count = json_is_array(v) ? json_array_size(v) : 0;
    if (count == 0 || count > max)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    const char **list = arena_alloc(&r->arena, count * sizeof *list);
    if (!list)
        return -ERR_INTERNAL;
    for (size_t i = 0; i < count; i++) {
        const json_t *item = json_array_get(v, i);
        if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item))
            return req_fail(r, ERR_INVALID_REQUEST, key);
        list[i] = json_string_value(item);
    }
    *items = list;
    *n = count;
    return JF_SET;
}

int query_date(struct request *r, const char *name, int32_t *out)
{
    const char *s = req_query(r, name);
    *out = -1;
    if (!s)
        return 0;
    if (date_parse(s, out) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, name);
    return 0;
}

int query_int(struct request *r, const char *name, int64_t min, int64_t max, int64_t *out,
              bool *present)
{
    const char *s = req_query(r, name);
    *present = false;
    if (!s)
        return 0;
    if (str_to_i64(s, min, max, out) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, name);
    *present = true;
    return 0;
}

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
