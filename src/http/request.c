#include "http/request.h"

#include <string.h>

#include "http/inflight.h"
#include "http/site.h"

int reply_json(struct request *r, int status, json_t *obj)
{
    r->status = status;
    free(r->reply);
    r->reply = NULL;
    r->reply_len = 0;
    r->content_type = NULL;
    if (!obj)
        return 0;
    /* Reals (report shares such as 0.143) with no binary noise in the digits. */
    r->reply = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(obj);
    if (!r->reply)
        return -ERR_INTERNAL;
    r->reply_len = strlen(r->reply);
    return 0;
}

int reply_bytes(struct request *r, int status, const char *content_type, char *buf, size_t len)
{
    r->status = status;
    free(r->reply);
    r->reply = len > 0 ? buf : NULL;
    r->reply_len = len > 0 ? len : 0;
    if (len == 0)
        free(buf);
    r->content_type = content_type;
    return 0;
}

int reply_header(struct request *r, const char *name, const char *value)
{
    if (!name || !value)
        return -ERR_INTERNAL; /* an arena copy that failed */
    struct http_header *h = arena_alloc(&r->arena, sizeof *h);
    if (!h)
        return -ERR_INTERNAL;
    h->name = name;
    h->value = value;
    if (!r->headers_end)
        r->headers_end = &r->headers;
    *r->headers_end = h;
    r->headers_end = &h->next;
    return 0;
}

int req_defer(struct request *r, int (*start)(struct request *r, req_done_fn done, void *token),
              int (*complete)(struct request *r, int rc), void *ctx)
{
    r->defer_start = start;
    r->defer_complete = complete;
    r->defer_ctx = ctx;
    return 0;
}

bool req_deferred(const struct request *r)
{
    return r->defer_start != NULL;
}

int req_fail(struct request *r, int err, const char *field)
{
    return error_field(&r->details, err, field);
}

const char *req_query(const struct request *r, const char *name)
{
    if (!r->route || !r->route->query)
        return NULL;
    for (int i = 0; i < REQUEST_QUERY_MAX && r->route->query[i]; i++)
        if (strcmp(r->route->query[i], name) == 0)
            return r->query[i];
    return NULL;
}

void request_release(struct request *r)
{
    if (r->inflight_key)
        inflight_leave(r->inflight_key);
    json_decref(r->body.json);
    free(r->reply);
    arena_release(&r->arena);
    memset(r, 0, sizeof *r);
}
