/* Sites: what a module registers with the HTTP transport. A site owns a part
 * of the URL space (a path prefix) and brings its route table, the media type
 * of its request bodies with the reader for it, its error rendering and
 * where its CSRF value comes from. The API registers one at /api/v1
 * (api/site.c); the web pages will register theirs at /.
 *
 * src/http names no handler and includes nothing of a site's module: the
 * tables come in through http_serve (server.h) or http_handle (dispatch.h). */
#ifndef KAIKU_HTTP_SITE_H
#define KAIKU_HTTP_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

typedef int (*route_handler)(struct request *r);

#define ROLE_BIT(role) (1u << (role))
#define R_NATIONAL     ROLE_BIT(ROLE_NATIONAL)
#define R_COORDINATOR  ROLE_BIT(ROLE_COORDINATOR)
#define R_DISTRIBUTOR  ROLE_BIT(ROLE_DISTRIBUTOR)
#define R_VENUE        ROLE_BIT(ROLE_VENUE)
#define R_ANY          (R_NATIONAL | R_COORDINATOR | R_DISTRIBUTOR | R_VENUE)

enum route_flags {
    ROUTE_PUBLIC = 1u << 0,     /* no sign-in needed */
    ROUTE_USERS_ONLY = 1u << 1, /* people only: venue API keys are forbidden */
    /* Takes card codes: an answer card_unknown counts against the caller's
     * guessing budget, and a caller over it gets 429 (http/ratelimit.h). */
    ROUTE_CARD_CODES = 1u << 2,
    /* Takes multipart/form-data (a file upload, http/multipart.h) besides
     * the site's media type, up to HTTP_UPLOAD_MAX bytes. Only for a route
     * whose pattern has no {parameters}: the transport checks the path
     * before the body is read. */
    ROUTE_UPLOAD = 1u << 3,
    /* Long work (the reports): the handler runs on the slow routes' pool
     * (http/slowpool.h), not on an HTTP worker thread; a full queue is 503
     * with Retry-After. The handler may not defer (req_defer) itself. */
    ROUTE_SLOW = 1u << 4,
};

/* A body field a route accepts. A required one missing is 400
 * invalid_request (details.field) before the handler runs. */
enum route_field_flags {
    RF_REQUIRED = 1u << 0,
};

struct route_field {
    const char *name;
    unsigned flags; /* RF_* */
};

#define ROUTE_QUERY_MAX 8

struct route {
    enum http_method method;
    const char *pattern; /* the whole path: "/api/v1/uses/{id}" */
    route_handler handler;
    unsigned roles;                 /* R_* bits that may call it (ignored when public) */
    unsigned flags;                 /* ROUTE_* */
    const struct route_field *body; /* accepted body fields, {NULL} ends; NULL: no body */
    const char *const *query;       /* accepted query parameters (at most ROUTE_QUERY_MAX) */
    /* The site's own description of the route (the API: struct api_doc for
     * its OpenAPI document). The transport never reads it. */
    const void *doc;
};

/* How a site's request bodies are read. parse turns the len bytes at data
 * (len > 0) into r->body, refusing malformed bodies (400 invalid_request,
 * details.field "body") and identity data anywhere in them (R10, 400
 * identity_data_refused; the route's own field names are exempt at the top
 * level). Returns 0 or -ERR_x. */
struct body_reader {
    const char *media_type; /* a body with another Content-Type is 415 */
    int (*parse)(struct request *r, const char *data, size_t len);
};

extern const struct body_reader body_json; /* application/json (http/json.c) */
extern const struct body_reader body_form; /* application/x-www-form-urlencoded (http/form.c) */

/* Where cookie sessions send the CSRF value (http/session.h) on unsafe
 * methods: a header for scripts, a form field for pages without script. */
enum csrf_source { CSRF_FROM_HEADER, CSRF_FROM_FIELD };

struct site {
    const char *name;   /* for logs and tests: "api" */
    const char *prefix; /* "/api/v1": that path and those under it; "/": every path */
    const struct route *routes;
    size_t nroutes;
    const struct body_reader *body;
    /* Builds r's reply for error err (> 0) with r->details, in r->lang. */
    void (*render_error)(struct request *r, int err);
    enum csrf_source csrf;
    const char *csrf_name; /* the header or the form field */
    /* The cookies the site's handlers read, NULL-ended, at most
     * REQUEST_COOKIES_MAX: their values land in r->cookies[i] (NULL when
     * absent) before the route is looked for, so error pages see them too.
     * NULL: none. */
    const char *const *cookies;
    /* When set, r->lang is chosen again for this site as
     * i18n_negotiate(r->cookies[lang_cookie_index], Accept-Language,
     * lang_fallback) (the pages: their language cookie, then Finnish). */
    bool lang_from_cookie;
    size_t lang_cookie_index;
    enum lang lang_fallback;
};

/* The sites a server serves, matched by the longest prefix. */
struct site_list {
    const struct site *const *sites;
    size_t count;
};

/* The site whose prefix is the longest that path lies under, or NULL. */
const struct site *site_find(const struct site_list *l, const char *path);

/* The route of site s for method and path; fills r->params. Returns the
 * route, or NULL with *path_known telling whether another method would match
 * (405) and `allow` (capacity cap) listing those methods, e.g. "GET, POST". */
const struct route *site_route(const struct site *s, struct request *r, enum http_method method,
                               const char *path, bool *path_known, char *allow, size_t cap);

/* The body field `name` of route rt, or NULL when it takes none such. */
const struct route_field *route_field_find(const struct route *rt, const char *name);

/* Whether method and path are those of a ROUTE_UPLOAD route (the transport
 * allows such a request's multipart body up to HTTP_UPLOAD_MAX). */
bool site_takes_upload(const struct site_list *l, const char *method, const char *path);

const char *http_method_name(enum http_method m);
int http_method_parse(const char *s); /* -1 when not one of ours */

/* The error rendering of the API and the default: {"error", "message",
 * "details"} as JSON with the status of the error table. */
void http_render_error_json(struct request *r, int err);

#endif
