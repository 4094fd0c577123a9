/* One HTTP request as the handlers of a site see it: what came in (method,
 * path parameters, query, body, the acting user) and the reply being built.
 * All memory hangs off the request arena or is released with the request
 * (the JSON body and the reply). */
#ifndef KAIKU_HTTP_REQUEST_H
#define KAIKU_HTTP_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/model.h"
#include "http/arena.h"
#include "util/secret.h"

struct store;
struct route;
struct site;

#define REQUEST_PARAMS_MAX  4
#define REQUEST_QUERY_MAX   8
#define REQUEST_COOKIES_MAX 4

enum http_method { HTTP_GET, HTTP_POST, HTTP_PATCH, HTTP_DELETE, HTTP_PUT, HTTP_METHOD_COUNT };

/* Called once when deferred work has finished (see req_defer). */
typedef void (*req_done_fn)(void *token, int rc);

/* A reply header, in the order added; name and value static or arena. */
struct http_header {
    const char *name, *value;
    struct http_header *next;
};

/* One name=value of a form body, decoded (http/form.c), in the arena. */
struct form_pair {
    const char *key, *value;
    size_t value_len;
};

/* The request body as the site's body reader left it: a JSON object, or the
 * pairs of a form. Both empty when the request had no body. The field
 * readers (http/field.h) read either alike. */
struct request_body {
    json_t *json;                  /* JSON: an object, released with the request */
    const struct form_pair *pairs; /* a form: in the arena, in body order */
    size_t npairs;
};

/* The file of a multipart/form-data upload (a ROUTE_UPLOAD route,
 * http/multipart.h): its field, its file name as the browser sent it, and
 * its bytes, which the transport owns until the request is released.
 * field NULL: no file came. */
struct request_upload {
    const char *field, *filename;
    const uint8_t *data;
    size_t len;
};

struct request {
    struct arena arena;
    struct store *store;
    const struct site *site;
    enum http_method method;
    const char *path;
    const struct route *route;
    const char *params[REQUEST_PARAMS_MAX]; /* {…} of the route pattern, in order */
    const char *query[REQUEST_QUERY_MAX];   /* values of route->query, NULL when absent */
    struct request_body body;
    struct request_upload upload;
    const char *cookies[REQUEST_COOKIES_MAX]; /* r->site->cookies' values, NULL when absent */
    enum lang lang;
    bool secure;                    /* HTTPS (here or at a proxy): cookies are marked Secure */
    const char *idempotency_header; /* Idempotency-Key, or NULL */

    /* Who acts (valid when authenticated). */
    bool authenticated;
    struct actor actor;
    bool has_session;         /* a session token (not an API key) was presented */
    const char *inflight_key; /* counted in http/inflight.h until released */
    uint8_t session_hash[SECRET_DIGEST_BYTES];

    /* Deferred work (req_defer): set when the handler has deferred its
     * reply; started once the connection is parked, completed when
     * done(token, rc) has been called. */
    int (*defer_start)(struct request *r, req_done_fn done, void *token);
    int (*defer_complete)(struct request *r, int rc);
    void *defer_ctx; /* the handler's own state, in the arena */

    /* The reply. */
    int status;
    char *reply; /* malloc'd body (JSON unless content_type says), or NULL for none */
    size_t reply_len;
    const char *content_type;    /* NULL: JSON; else static or arena */
    struct http_header *headers; /* in the arena, in the order added */
    struct http_header **headers_end;
    struct error_details details;
};

/* Replies with `obj` (stolen, may be NULL for no body) and `status`. Returns 0,
 * or -ERR_INTERNAL when out of memory. */
int reply_json(struct request *r, int status, json_t *obj);
/* Replies with the len bytes at buf as content_type (static or arena), e.g.
 * a CSV or XLSX report or a page. buf is malloc'd and taken over, also on
 * failure. Returns 0. A later reply_json (an error reply) replaces it. */
int reply_bytes(struct request *r, int status, const char *content_type, char *buf, size_t len);
/* Adds a reply header (any number: Set-Cookie, Location, Vary, …, in the
 * order added); name and value must outlive the request (static or arena).
 * Returns 0, or -ERR_INTERNAL when out of memory. */
int reply_header(struct request *r, const char *name, const char *value);

/* For a handler that waits on the store without holding a server thread:
 * `return req_defer(r, start, complete, ctx);`. It returns 0 and marks the
 * request deferred (req_deferred). The server parks the connection, then
 * calls start(r, done, token), which queues the work and returns 0
 * (done(token, rc) must then follow exactly once, from any thread) or an
 * error (done must not be called). When done has been called the server
 * calls complete(r, rc) on one of its threads to build the reply, like a
 * handler (a completion may not defer again). */
int req_defer(struct request *r, int (*start)(struct request *r, req_done_fn done, void *token),
              int (*complete)(struct request *r, int rc), void *ctx);
bool req_deferred(const struct request *r);

/* Fills r->details and returns -err: `return req_fail(r, ERR_X, "field")`. */
int req_fail(struct request *r, int err, const char *field);

/* The value of query parameter `name` (one of the route's query list), or
 * NULL when absent. */
const char *req_query(const struct request *r, const char *name);

/* Releases what the request holds outside its arena (body, reply) and the
 * arena; the request can then be reused from zero. */
void request_release(struct request *r);

#endif
