/* Sites and their routes: which site a path belongs to, which route of it
 * matches, and the JSON error rendering that the API uses. */
#include "http/site.h"

#include <string.h>

#include "http/json.h"

static const char *const method_names[HTTP_METHOD_COUNT] = {"GET", "POST", "PATCH", "DELETE",
                                                            "PUT"};

const char *http_method_name(enum http_method m)
{
    return (unsigned)m < HTTP_METHOD_COUNT ? method_names[m] : "";
}

int http_method_parse(const char *s)
{
    for (int i = 0; i < HTTP_METHOD_COUNT; i++)
        if (strcmp(method_names[i], s) == 0)
            return i;
    return -1;
}

/* Length of prefix when path lies under it (that path or one below), else 0. */
static size_t prefix_match(const char *prefix, const char *path)
{
    size_t n = strlen(prefix);
    if (n == 1 && prefix[0] == '/')
        return path[0] == '/' ? 1 : 0;
    if (n == 0 || strncmp(path, prefix, n) != 0)
        return 0;
    return path[n] == '\0' || path[n] == '/' ? n : 0;
}

const struct site *site_find(const struct site_list *l, const char *path)
{
    const struct site *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < l->count; i++) {
        size_t n = prefix_match(l->sites[i]->prefix, path);
        if (n > best_len) {
            best = l->sites[i];
            best_len = n;
        }
    }
    return best;
}

/* Matches path against pattern segment by segment; {x} takes one non-empty
 * segment, copied into r->params when r is not NULL. */
static bool pattern_match(const char *pattern, const char *path, struct request *r)
{
    const char *p = pattern, *s = path;
    size_t np = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            size_t n = strcspn(s, "/");
            if (!end || n == 0)
                return false;
            if (r) {
                if (np >= REQUEST_PARAMS_MAX)
                    return false;
                r->params[np] = arena_strndup(&r->arena, s, n);
                if (!r->params[np])
                    return false;
            }
            np++;
            p = end + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

bool site_takes_upload(const struct site_list *l, const char *method, const char *path)
{
    const struct site *s = site_find(l, path);
    int m = http_method_parse(method);
    for (size_t i = 0; s && m >= 0 && i < s->nroutes; i++) {
        const struct route *rt = &s->routes[i];
        if ((rt->flags & ROUTE_UPLOAD) && rt->method == (enum http_method)m &&
            strcmp(rt->pattern, path) == 0)
            return true;
    }
    return false;
}

const struct route *site_route(const struct site *s, struct request *r, enum http_method method,
                               const char *path, bool *path_known, char *allow, size_t cap)
{
    *path_known = false;
    if (cap)
        allow[0] = '\0';
    for (size_t i = 0; i < s->nroutes; i++) {
        const struct route *rt = &s->routes[i];
        if (!pattern_match(rt->pattern, path, NULL))
            continue;
        if (rt->method == method)
            return pattern_match(rt->pattern, path, r) ? rt : NULL;
        size_t used = strlen(allow);
        snprintf(allow + used, cap - used, "%s%s", *path_known ? ", " : "",
                 http_method_name(rt->method));
        *path_known = true;
    }
    return NULL;
}

const struct route_field *route_field_find(const struct route *rt, const char *name)
{
    for (const struct route_field *f = rt ? rt->body : NULL; f && f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

void http_render_error_json(struct request *r, int err)
{
    json_t *details = json_object();
    const struct error_details *d = &r->details;
    if (d->field)
        json_object_set_new(details, "field", json_string(d->field));
    if (d->key) {
        json_t *v = d->text[0]         ? json_string(d->text)
                    : d->value_is_time ? jw_datetime(d->value)
                                       : json_integer(d->value);
        json_object_set_new(details, d->key, v);
    }
    json_t *body = json_pack("{s:s, s:s, s:o}", "error", error_code(err), "message",
                             error_message(err, r->lang), "details", details);
    if (reply_json(r, error_status(err), body) != 0) {
        r->status = 500;
        r->reply = NULL;
    }
}
