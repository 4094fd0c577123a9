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
};

/* Serves `sites` (http/site.h; each request goes to the one whose prefix
 * fits its path best) until SIGINT or SIGTERM, then stops accepting, lets
 * requests in flight finish and returns 0. Returns -ERR_UNAVAILABLE when it
 * cannot listen (the reason is printed on stderr). The store and the sites
 * stay the caller's and must outlive the call. */
int http_serve(struct store *s, const struct site_list *sites, const struct http_config *cfg);

#endif
