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
    const char *idempotency_header; /* Idempotency-Key, or NULL */

    /* Who acts (valid when authenticated). */
    bool authenticated;
    struct actor actor;
    bool has_session; /* a session token (not an API key) was presented */
    uint8_t session_hash[SECRET_DIGEST_BYTES];

    /* The reply. */
    int status;
    char *reply; /* malloc'd JSON text, or NULL for no body */
    size_t reply_len;
    struct http_header headers[REQUEST_HEADERS_MAX];
    int nheaders;
    struct error_details details;
};

/* Replies with `obj` (stolen, may be NULL for no body) and `status`. Returns 0,
 * or -ERR_INTERNAL when out of memory. */
int reply_json(struct request *r, int status, json_t *obj);
/* Adds a reply header; name and value must outlive the request (arena). */
void reply_header(struct request *r, const char *name, const char *value);

/* Fills r->details and returns -err: `return req_fail(r, ERR_X, "field")`. */
int req_fail(struct request *r, int err, const char *field);

/* The value of query parameter `name` (one of the route's query list), or
 * NULL when absent. */
const char *req_query(const struct request *r, const char *name);

#endif
