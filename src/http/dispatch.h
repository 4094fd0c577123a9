/* The request pipeline, apart from the socket: a transport (server.c on
 * libmicrohttpd, or a unit test) hands in what came (struct http_input) and
 * gets back the reply in the request. Every request takes the same steps,
 * in this order, and the first that fails answers with the site's error
 * rendering:
 *
 *   1. size: a body over the limit                          413
 *   2. site by path prefix, then its route                  404, 405 (Allow)
 *   3. a body's Content-Type is the site's media type       415
 *   4. the site's body reader: syntax, then identity data   400 (R10)
 *   5. sign-in (session or API key), CSRF for cookies, role 401, 403
 *      and the principal's requests in flight (inflight.h) 503 (Retry-After)
 *   6. query parameters, then body fields: unknown ones,
 *      given twice, required ones missing                   400
 *   7. the guessing budget of routes taking card codes      429 (Retry-After)
 *   8. the route's handler (which may defer: req_defer); a ROUTE_SLOW
 *      route's on the slow routes' pool (slowpool.h), when it is running;
 *      its queue full                                      503 (Retry-After)
 *
 * So an unauthenticated caller learns nothing about the fields a route
 * takes, but identity data is refused from anyone. */
#ifndef KAIKU_HTTP_DISPATCH_H
#define KAIKU_HTTP_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "http/site.h"

#define HTTP_BODY_MAX (1024 * 1024)

struct http_input {
    const char *method; /* "GET" */
    const char *path;   /* without the query string */
    const char *body;   /* the bytes read (the transport's) */
    size_t body_len;
    bool body_too_large; /* more than HTTP_BODY_MAX came or was declared */
    /* A multipart/form-data body (only a ROUTE_UPLOAD route takes one), as
     * the transport parsed it into parts (http/multipart.h); multipart_bad
     * when it could not be parsed. */
    bool multipart, multipart_bad;
    const struct http_part *parts;
    size_t nparts;
    /* The transport's lookups, NULL when absent: a request header, a cookie. */
    const char *(*header)(void *ctx, const char *name);
    const char *(*cookie)(void *ctx, const char *name);
    /* Calls each(arg, key, value) for every query parameter (decoded), in
     * order, until each returns false. */
    void (*query)(void *ctx, bool (*each)(void *arg, const char *key, const char *value),
                  void *arg);
    void *ctx;
};

/* Runs the pipeline for r, whose store, secure, lang, actor.now and
 * actor.address the transport has set. Returns true when r's reply is
 * ready, false when the handler deferred its work (req_deferred): the
 * transport then parks the connection, runs r->defer_start and, once done,
 * calls http_complete. */
bool http_handle(const struct site_list *sites, struct request *r, const struct http_input *in);

/* Builds the reply of deferred work that finished with rc, through the
 * handler's completion. */
void http_complete(struct request *r, int rc);

/* Makes r's reply the error err (> 0 or < 0), rendered as r's site does
 * (as JSON when the path belongs to no site). */
void http_fail(struct request *r, int err);

/* Counts one unknown card code against r's guessing budget (step 7), for a
 * handler of a ROUTE_CARD_CODES route that answers an unknown code with a
 * reply of its own instead of -ERR_CARD_UNKNOWN (a page that redirects). */
void http_card_guess_failed(const struct request *r);

#endif
