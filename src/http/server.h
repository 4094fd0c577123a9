/* The HTTP server: libmicrohttpd with epoll and a thread pool, serving the
 * sites it is given (the JSON API of api.md, later the web pages) over a
 * store. */
#ifndef KAIKU_HTTP_SERVER_H
#define KAIKU_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct site_list;
struct proxy_list;

struct http_config {
    const char *host; /* address to bind, e.g. "127.0.0.1", "::1", "0.0.0.0" */
    uint16_t port;
    unsigned threads; /* 0: one per core */
    bool quiet;       /* no access log lines */
    /* HTTPS: PEM text of the certificate (chain) and its private key, both
     * or neither (NULL: plain HTTP). */
    const char *tls_cert, *tls_key;
    /* The session cookie is marked Secure: always with TLS, and with this
     * flag behind an HTTPS proxy. */
    bool secure_cookies;
    /* Reverse proxies whose X-Forwarded-For names the client (http/proxy.h);
     * NULL or empty: the socket's peer is the client. */
    const struct proxy_list *trusted_proxies;
    /* Limits, 0 for the defaults below: connections at once (at most what
     * the process may open, less a reserve), connections at once from one
     * address (HTTP_PER_ADDRESS_UNLIMITED: none, for a server behind a
     * trusted proxy), and seconds to send a whole request, head and body. */
    unsigned connections_max, connections_per_address, request_deadline;
    /* The slow routes' pool (http/slowpool.h), 0 for the defaults: its
     * threads (half the cores, at least one) and its queue. */
    unsigned slow_threads, slow_queue;
};

#define HTTP_CONNECTIONS_DEFAULT      10000
#define HTTP_PER_ADDRESS_DEFAULT      64
#define HTTP_PER_ADDRESS_UNLIMITED    UINT32_MAX
#define HTTP_REQUEST_DEADLINE_DEFAULT 30
#define HTTP_PARKED_MAX               2048 /* requests parked at once: more are 503 */

/* Serves `sites` (http/site.h; each request goes to the one whose prefix
 * fits its path best) until SIGINT or SIGTERM, then stops accepting, lets
 * requests in flight finish and returns 0. Returns -ERR_UNAVAILABLE when it
 * cannot listen (the reason is printed on stderr). The store and the sites
 * stay the caller's and must outlive the call. */
int http_serve(struct store *s, const struct site_list *sites, const struct http_config *cfg);

/* What the server does to a request before the pipeline, for tests and the
 * fuzz targets: unescapes a path or a query key or value in place (as
 * libmicrohttpd would, except that %00 stays as written; returns the new
 * length), and writes the path as the access log shows it (card codes and
 * identity codes masked, control characters as \xHH; cap >= 6). */
size_t http_unescape(char *s);
void http_log_path(const char *path, char *out, size_t cap);

#endif
