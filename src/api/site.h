/* The API as a site of the HTTP transport (http/site.h): its route table
 * (api/site.c), JSON bodies, JSON errors and the X-CSRF-Token header, at
 * /api/v1; and /healthz beside it. The OpenAPI document (api/openapi.c) is
 * made from the same tables, so it cannot drift from what the server does. */
#ifndef KAIKU_API_SITE_H
#define KAIKU_API_SITE_H

#include <jansson.h>
#include <stdbool.h>

#include "http/site.h"

extern const struct site api_site;        /* /api/v1 */
extern const struct site api_health_site; /* /healthz */
extern const struct site_list api_sites;  /* both, for http_serve */

/* What the OpenAPI document says of a route (struct route's doc). */
struct api_doc {
    int success;       /* the status of success */
    int also;          /* another status of success with the same reply, or 0 */
    const char *reply; /* the schema of its reply (api/openapi.c); NULL: none (204) */
    bool formats;      /* a report: JSON, CSV or XLSX by ?format= (api/reports.c) */
    const char *summary;
};

/* The OpenAPI 3.1 document of api_sites (new reference). */
json_t *api_openapi(void);

#endif
