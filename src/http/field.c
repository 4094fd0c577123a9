#include "http/field.h"

#include <string.h>

#include "core/rules.h"
#include "http/site.h"
#include "util/date.h"
#include "util/strutil.h"

/* A field as found, before its type is checked. */
enum raw_kind { RAW_ABSENT, RAW_NULL, RAW_TEXT, RAW_JSON };

struct raw {
    enum raw_kind kind;
    const char *text; /* RAW_TEXT */
    size_t len;
    const json_t *json; /* RAW_JSON (and a JSON string) */
};

static bool is_form(const struct request *r)
{
    return r->body.pairs != NULL;
}

/* Finds key in the body. A form key given twice is refused here. */
static int find(struct request *r, const char *key, struct raw *v)
{
    *v = (struct raw){RAW_ABSENT, NULL, 0, NULL};
    if (is_form(r)) {
        const struct form_pair *hit = NULL;
        for (size_t i = 0; i < r->body.npairs; i++) {
            if (strcmp(r->body.pairs[i].key, key) != 0)
                continue;
            if (hit)
                return req_fail(r, ERR_INVALID_REQUEST, key);
            hit = &r->body.pairs[i];
        }
        if (hit)
            *v = (struct raw){hit->value_len ? RAW_TEXT : RAW_NULL, hit->value, hit->value_len,
                              NULL};
        return 0;
    }
    const json_t *j = r->body.json ? json_object_get(r->body.json, key) : NULL;
    if (!j)
        return 0;
    if (json_is_null(j))
        v->kind = RAW_NULL;
    else if (json_is_string(j))
        *v = (struct raw){RAW_TEXT, json_string_value(j), json_string_length(j), j};
    else
        *v = (struct raw){RAW_JSON, NULL, 0, j};
    return 0;
}

/* find, then the rules of absent and null: returns 0 with v->kind RAW_TEXT
 * or RAW_JSON when there is a value to read, RAW_ABSENT or RAW_NULL when
 * there is none (and that is allowed), or an error. */
static int take(struct request *r, const char *key, unsigned flags, struct raw *v)
{
    int rc = find(r, key, v);
    if (rc != 0)
        return rc;
    if (v->kind == RAW_NULL) {
        if (flags & FIELD_NULLABLE)
            return 0;
        if (!is_form(r)) /* JSON null where null is not allowed */
            return req_fail(r, ERR_INVALID_REQUEST, key);
        if (flags & FIELD_EMPTY_OK) {
            *v = (struct raw){RAW_TEXT, "", 0, NULL};
            return 0;
        }
        v->kind = RAW_ABSENT; /* an empty form input: not given */
    }
    if (v->kind == RAW_ABSENT && (flags & FIELD_REQUIRED))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    return 0;
}

static bool has_value(const struct raw *v)
{
    return v->kind == RAW_TEXT || v->kind == RAW_JSON;
}

enum field_state field_state(const struct request *r, const char *key)
{
    if (is_form(r)) {
        for (size_t i = 0; i < r->body.npairs; i++)
            if (strcmp(r->body.pairs[i].key, key) == 0)
                return r->body.pairs[i].value_len ? FIELD_SET : FIELD_NULL;
        return FIELD_ABSENT;
    }
    const json_t *j = r->body.json ? json_object_get(r->body.json, key) : NULL;
    return !j ? FIELD_ABSENT : json_is_null(j) ? FIELD_NULL : FIELD_SET;
}

static bool text_ok(const char *s, size_t n, size_t max, unsigned flags)
{
    return n <= max && (n > 0 || (flags & FIELD_EMPTY_OK)) && strlen(s) == n &&
           str_is_clean_utf8(s, n);
}

int field_text(struct request *r, const char *key, unsigned flags, size_t max, const char **out)
{
    struct raw v;
    int rc = take(r, key, flags, &v);
    *out = NULL;
    if (rc != 0 || !has_value(&v))
        return rc;
    if (v.kind != RAW_TEXT || !text_ok(v.text, v.len, max, flags))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = v.text;
    return 0;
}

int field_int(struct request *r, const char *key, unsigned flags, int64_t min, int64_t max,
              int64_t *out)
{
    struct raw v;
    int rc = take(r, key, flags, &v);
    if (rc != 0 || !has_value(&v))
        return rc;
    int64_t x;
    if (is_form(r)) {
        if (str_to_i64(v.text, min, max, &x) != 0)
            return req_fail(r, ERR_INVALID_REQUEST, key);
    } else {
        if (!json_is_integer(v.json))
            return req_fail(r, ERR_INVALID_REQUEST, key);
        x = json_integer_value(v.json);
        if (x < min || x > max)
            return req_fail(r, ERR_INVALID_REQUEST, key);
    }
    *out = x;
    return 0;
}

int field_bool(struct request *r, const char *key, unsigned flags, bool *out)
{
    struct raw v;
    int rc = take(r, key, flags, &v);
    if (rc != 0 || !has_value(&v))
        return rc;
    if (is_form(r)) {
        bool yes = strcmp(v.text, "true") == 0 || strcmp(v.text, "on") == 0;
        if (!yes && strcmp(v.text, "false") != 0)
            return req_fail(r, ERR_INVALID_REQUEST, key);
        *out = yes;
        return 0;
    }
    if (!json_is_boolean(v.json))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = json_is_true(v.json);
    return 0;
}

int field_date(struct request *r, const char *key, unsigned flags, int32_t *out)
{
    const char *s;
    int rc = field_text(r, key, flags, DATE_STR_LEN, &s);
    if (rc != 0 || !s)
        return rc;
    int32_t day;
    if (date_parse(s, &day) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = day;
    return 0;
}

int field_datetime(struct request *r, const char *key, unsigned flags, int64_t *out)
{
    const char *s;
    int rc = field_text(r, key, flags, DATETIME_STR_LEN + 8, &s);
    if (rc != 0 || !s)
        return rc;
    int64_t t;
    if (datetime_parse(s, &t) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = t;
    return 0;
}

int field_slug(struct request *r, const char *key, unsigned flags, const char **out)
{
    int rc = field_text(r, key, flags, ID_MAX, out);
    if (rc != 0 || !*out)
        return rc;
    if (!str_is_slug(*out, ID_MAX)) {
        *out = NULL;
        return req_fail(r, ERR_INVALID_REQUEST, key);
    }
    return 0;
}

int field_enum(struct request *r, const char *key, unsigned flags, const struct name_table *t,
               int *out)
{
    const char *s;
    int rc = field_text(r, key, flags, 64, &s);
    if (rc != 0 || !s)
        return rc;
    int v = name_lookup(t, s);
    if (v < 0)
        return req_fail(r, ERR_INVALID_REQUEST, key);
    *out = v;
    return 0;
}

/* A form's list: every pair with the key, in body order. */
static int form_texts(struct request *r, const char *key, const char ***items, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < r->body.npairs; i++)
        count += strcmp(r->body.pairs[i].key, key) == 0;
    if (count == 0)
        return 0;
    const char **list = arena_alloc(&r->arena, count * sizeof *list);
    if (!list)
        return -ERR_INTERNAL;
    size_t k = 0;
    for (size_t i = 0; i < r->body.npairs; i++) {
        const struct form_pair *p = &r->body.pairs[i];
        if (strcmp(p->key, key) != 0)
            continue;
        if (strlen(p->value) != p->value_len)
            return req_fail(r, ERR_INVALID_REQUEST, key);
        list[k++] = p->value;
    }
    *items = list;
    *n = count;
    return 0;
}

static int json_texts(struct request *r, const char *key, const json_t *v, const char ***items,
                      size_t *n)
{
    if (!json_is_array(v))
        return req_fail(r, ERR_INVALID_REQUEST, key);
    size_t count = json_array_size(v);
    if (count == 0)
        return 0;
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
    return 0;
}

int field_texts(struct request *r, const char *key, unsigned flags, size_t max, const char ***items,
                size_t *n)
{
    *items = NULL;
    *n = 0;
    int rc;
    if (is_form(r)) {
        rc = form_texts(r, key, items, n);
    } else {
        struct raw v;
        if ((rc = take(r, key, flags & ~FIELD_REQUIRED, &v)) != 0)
            return rc;
        if (v.kind == RAW_ABSENT || v.kind == RAW_NULL) {
            if (flags & FIELD_REQUIRED)
                return req_fail(r, ERR_INVALID_REQUEST, key);
            return 0;
        }
        rc = json_texts(r, key, v.json, items, n);
    }
    if (rc != 0)
        return rc;
    bool given = field_state(r, key) != FIELD_ABSENT;
    if ((*n == 0 && given && !(flags & FIELD_EMPTY_OK)) || *n > max ||
        (*n == 0 && (flags & FIELD_REQUIRED))) {
        *items = NULL;
        *n = 0;
        return req_fail(r, ERR_INVALID_REQUEST, key);
    }
    return 0;
}

static bool csrf_field(const struct request *r, const char *key)
{
    return r->site && r->site->csrf == CSRF_FROM_FIELD && strcmp(r->site->csrf_name, key) == 0;
}

int field_check_route(struct request *r)
{
    if (is_form(r)) {
        for (size_t i = 0; i < r->body.npairs; i++) {
            const char *key = r->body.pairs[i].key;
            if (!route_field_find(r->route, key) && !csrf_field(r, key))
                return req_fail(r, ERR_INVALID_REQUEST, key);
        }
    } else if (r->body.json) {
        const char *key;
        json_t *value;
        json_object_foreach(r->body.json, key, value)
        {
            if (!route_field_find(r->route, key))
                return req_fail(r, ERR_INVALID_REQUEST, arena_strdup(&r->arena, key));
        }
    }
    for (const struct route_field *f = r->route->body; f && f->name; f++)
        if ((f->flags & RF_REQUIRED) && field_state(r, f->name) == FIELD_ABSENT)
            return req_fail(r, ERR_INVALID_REQUEST, f->name);
    return 0;
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
