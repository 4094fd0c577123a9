/* The router: one const table of every route of the API (method, path
 * pattern, handler, who may call it, the body fields and query parameters it
 * accepts, and a summary for the OpenAPI document generated from it). */
#ifndef KAIKU_HTTP_ROUTER_H
#define KAIKU_HTTP_ROUTER_H

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
    /* A report: replies JSON, CSV or XLSX by ?format= (api/reports.c). */
    ROUTE_FORMATS = 1u << 3,
};

struct route {
    enum http_method method;
    const char *pattern; /* "/api/v1/uses/{id}" */
    route_handler handler;
    unsigned roles; /* R_* bits that may call it (ignored when public) */
    unsigned flags;
    const char *const *body;  /* accepted JSON fields; NULL: no body */
    const char *const *query; /* accepted query parameters; NULL: none */
    int success;              /* status of success, for the OpenAPI document */
    const char *summary;
};

extern const struct route routes[];
extern const size_t routes_count;

/* Finds the route for method and path; fills r->params. Returns the route,
 * or NULL with *path_known telling whether another method would match (405)
 * and `allow` (capacity cap) listing those methods, e.g. "GET, POST". */
const struct route *router_match(struct request *r, enum http_method method, const char *path,
                                 bool *path_known, char *allow, size_t cap);

const char *http_method_name(enum http_method m);
int http_method_parse(const char *s); /* -1 when not one of ours */

/* The OpenAPI 3.1 document of the routes table (new reference). */
json_t *router_openapi(void);

#endif
