/* One HTTP request as the handlers of src/api see it: what came in (method,
 * path parameters, query, JSON body, the acting user) and the reply being
 * built. All memory hangs off the request arena or is released with the
 * request (the JSON body and reply). */
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

#define REQUEST_PARAMS_MAX  4
#define REQUEST_HEADERS_MAX 4

enum http_method { HTTP_GET, HTTP_POST, HTTP_PATCH, HTTP_DELETE, HTTP_PUT, HTTP_METHOD_COUNT };

/* Called once when deferred work has finished (see req_defer). */
typedef void (*req_done_fn)(void *token, int rc);

/* Returned by a handler through req_defer: the reply comes later. */
#define REQ_DEFERRED 1

struct http_header {
    const char *name, *value; /* static or arena */
};

struct request {
    struct arena arena;
    struct store *store;
    enum http_method method;
    const char *path;
    const struct route *route;
    const char *params[REQUEST_PARAMS_MAX]; /* {…} of the route pattern, in order */
    const char *query[8];                   /* values of route->query, NULL when absent */
    json_t *body;                           /* an object ({} when the body was empty) */
    enum lang lang;
    bool secure;                    /* HTTPS (here or at a proxy): cookies are marked Secure */
    const char *idempotency_header; /* Idempotency-Key, or NULL */

    /* Who acts (valid when authenticated). */
    bool authenticated;
    struct actor actor;
    bool has_session; /* a session token (not an API key) was presented */
    uint8_t session_hash[SECRET_DIGEST_BYTES];

    /* Deferred work (req_defer): started once the connection is parked,
     * completed when done(token, rc) has been called. */
    int (*defer_start)(struct request *r, req_done_fn done, void *token);
    int (*defer_complete)(struct request *r, int rc);
    void *defer_ctx; /* the handler's own state, in the arena */

    /* The reply. */
    int status;
    char *reply; /* malloc'd body (JSON unless content_type says), or NULL for none */
    size_t reply_len;
    const char *content_type; /* NULL: JSON; else static or arena */
    struct http_header headers[REQUEST_HEADERS_MAX];
    int nheaders;
    struct error_details details;
};

/* Replies with `obj` (stolen, may be NULL for no body) and `status`. Returns 0,
 * or -ERR_INTERNAL when out of memory. */
int reply_json(struct request *r, int status, json_t *obj);
/* Replies with the len bytes at buf as content_type (static or arena), e.g.
 * a CSV or XLSX report. buf is malloc'd and taken over, also on failure.
 * Returns 0. A later reply_json (an error reply) replaces it, JSON again. */
int reply_bytes(struct request *r, int status, const char *content_type, char *buf, size_t len);
/* Adds a reply header; name and value must outlive the request (arena). */
void reply_header(struct request *r, const char *name, const char *value);

/* For a handler that waits on the store without holding a server thread:
 * `return req_defer(r, start, complete, ctx);`. The server parks the
 * connection, then calls start(r, done, token), which queues the work and
 * returns 0 (done(token, rc) must then follow exactly once, from any
 * thread) or an error (done must not be called). When done has been called
 * the server calls complete(r, rc) on one of its threads to build the reply,
 * like a handler. */
int req_defer(struct request *r, int (*start)(struct request *r, req_done_fn done, void *token),
              int (*complete)(struct request *r, int rc), void *ctx);

/* Fills r->details and returns -err: `return req_fail(r, ERR_X, "field")`. */
int req_fail(struct request *r, int err, const char *field);

/* The value of query parameter `name` (one of the route's query list), or
 * NULL when absent. */
const char *req_query(const struct request *r, const char *name);

#endif
