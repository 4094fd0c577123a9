/* kaiku serve: parses the listen address, opens (and, like `kaiku init`,
 * migrates) the store and runs the HTTP server until SIGINT/SIGTERM.
 *
 * Decision: serve brings the schema up to date itself, so that a fresh path
 * or an upgraded binary starts without a separate step; the migration is
 * idempotent and runs before the first request is accepted. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/site.h"
#include "web/web.h"
#include "cli/cmd_common.h"
#include "http/proxy.h"
#include "http/server.h"
#include "store/store.h"
#include "util/strutil.h"

#define WHAT            "serve"
#define HOST_MAX        64 /* longest textual IPv6 address is 45 bytes */
#define THREADS_MAX     1024
#define CONNECTIONS_MAX 1000000
#define PEM_MAX         (256 * 1024) /* a certificate chain or a key, generously */

struct listen_addr {
    char host[HOST_MAX + 1];
    uint16_t port;
};

/* "HOST:PORT" where HOST is an IPv4 address or "localhost", or
 * "[IPv6]:PORT". Returns 0, or -1 after printing one line. */
static int parse_listen(const char *text, struct listen_addr *out)
{
    const char *host = text;
    size_t host_len;
    const char *port;
    bool ipv6 = false;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':') {
            cli_error(WHAT, "--listen '%.80s' is not [IPV6]:PORT", text);
            return -1;
        }
        host = text + 1;
        host_len = (size_t)(close - host);
        port = close + 2;
        ipv6 = true;
    } else {
        const char *colon = strrchr(text, ':');
        if (!colon) {
            cli_error(WHAT, "--listen '%.80s' has no port: use HOST:PORT, e.g. 127.0.0.1:8080",
                      text);
            return -1;
        }
        host_len = (size_t)(colon - text);
        port = colon + 1;
        if (memchr(text, ':', host_len)) {
            cli_error(WHAT, "--listen '%.80s': write an IPv6 address in brackets, e.g. [::1]:8080",
                      text);
            return -1;
        }
    }
    if (host_len == 0 || host_len > HOST_MAX) {
        cli_error(WHAT, "--listen '%.80s' has no valid host", text);
        return -1;
    }
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    if (!ipv6 && strcmp(out->host, "localhost") == 0)
        str_copy(out->host, sizeof out->host, "127.0.0.1");
    unsigned char addr[16];
    if (inet_pton(ipv6 ? AF_INET6 : AF_INET, out->host, addr) != 1) {
        cli_error(WHAT,
                  "--listen host '%s' must be an IPv4 address, localhost or an IPv6 address "
                  "in brackets",
                  out->host);
        return -1;
    }
    int64_t p;
    if (str_to_i64(port, 1, 65535, &p) != 0) {
        cli_error(WHAT, "--listen port '%.16s' must be a number from 1 to 65535", port);
        return -1;
    }
    out->port = (uint16_t)p;
    return 0;
}

/* "ADDR[,ADDR...]" into l. Returns 0, or -1 after printing one line. */
static int parse_proxies(const char *text, struct proxy_list *l)
{
    char one[HOST_MAX + 1];
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, ",");
        if (n == 0 || n > HOST_MAX) {
            cli_error(WHAT, "--trusted-proxy '%.80s' is not a list of addresses", text);
            return -1;
        }
        memcpy(one, p, n);
        one[n] = '\0';
        if (proxy_add(l, one) != 0) {
            cli_error(WHAT, "--trusted-proxy '%s' is not a numeric IP address (at most %d)", one,
                      PROXIES_MAX);
            return -1;
        }
        p += n + (p[n] == ',');
    }
    return 0;
}

/* The whole of a PEM file as a NUL-terminated string, or NULL after
 * printing one line. */
static char *read_pem(const char *option, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error(WHAT, "%s %.200s: %s", option, path, strerror(errno));
        return NULL;
    }
    char *text = malloc(PEM_MAX + 2);
    size_t n = text ? fread(text, 1, PEM_MAX + 1, f) : 0;
    bool failed = !text || ferror(f);
    fclose(f);
    if (text)
        text[n] = '\0';
    if (failed || n == 0 || n > PEM_MAX || strlen(text) != n || !strstr(text, "-----BEGIN ")) {
        cli_error(WHAT, "%s %.200s: not a PEM file of at most %d KiB", option, path,
                  PEM_MAX / 1024);
        free(text);
        return NULL;
    }
    return text;
}

int cmd_serve(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *listen = NULL, *threads = NULL, *cert_path = NULL, *key_path = NULL,
               *proxies = NULL, *connections = NULL, *per_address = NULL, *deadline = NULL;
    bool quiet = false, secure_cookies = false;
    const struct cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "listen", .value = &listen},
        {.name = "threads", .value = &threads},
        {.name = "quiet", .flag = &quiet},
        {.name = "tls-cert", .value = &cert_path},
        {.name = "tls-key", .value = &key_path},
        {.name = "secure-cookies", .flag = &secure_cookies},
        {.name = "trusted-proxy", .value = &proxies},
        {.name = "connections", .value = &connections},
        {.name = "connections-per-address", .value = &per_address},
        {.name = "request-deadline", .value = &deadline},
    };
    int status = CLI_EXIT_USAGE;
    struct store *s = NULL;
    int mark = -1; /* the file marked as served */
    char *cert = NULL, *key = NULL;
    const char *url =
        cli_begin(cmd, WHAT, argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        goto out;
    if (!listen) {
        cli_error(WHAT, "--listen HOST:PORT is required, e.g. --listen 127.0.0.1:8080");
        goto out;
    }
    struct listen_addr addr;
    if (parse_listen(listen, &addr) != 0)
        goto out;
    int64_t nthreads = 0;
    if (threads && str_to_i64(threads, 1, THREADS_MAX, &nthreads) != 0) {
        cli_error(WHAT, "--threads must be a number from 1 to %d", THREADS_MAX);
        goto out;
    }

    static struct proxy_list trusted; /* read by the server's threads until it stops */
    if (proxies && parse_proxies(proxies, &trusted) != 0)
        goto out;
    int64_t nconn = 0, nper = 0, ndeadline = 0;
    if (connections && str_to_i64(connections, 1, CONNECTIONS_MAX, &nconn) != 0) {
        cli_error(WHAT, "--connections must be a number from 1 to %d", CONNECTIONS_MAX);
        goto out;
    }
    if (per_address && str_to_i64(per_address, 0, CONNECTIONS_MAX, &nper) != 0) {
        cli_error(WHAT, "--connections-per-address must be a number from 0 (no limit) to %d",
                  CONNECTIONS_MAX);
        goto out;
    }
    if (deadline && str_to_i64(deadline, 1, 3600, &ndeadline) != 0) {
        cli_error(WHAT, "--request-deadline must be a number of seconds from 1 to 3600");
        goto out;
    }
    /* Behind a trusted proxy every client comes from its address: the
     * proxy limits connections per client, unless told otherwise here. */
    unsigned per_address_limit = (unsigned)nper;
    if ((per_address && nper == 0) || (!per_address && trusted.n > 0))
        per_address_limit = HTTP_PER_ADDRESS_UNLIMITED;

    if (!cert_path != !key_path) {
        cli_error(WHAT, "--tls-cert and --tls-key go together");
        goto out;
    }

    status = CLI_EXIT_FAILURE;
    if (cert_path &&
        (!(cert = read_pem("--tls-cert", cert_path)) || !(key = read_pem("--tls-key", key_path))))
        goto out;
    s = cli_open_store_as_is(WHAT, url, false);
    if (!s)
        goto out;
    /* Marked as served for as long as it is (kaiku copy refuses it). A
     * path the file system does not know (a file: URI) is not marked. */
    if (cli_db_is_file(url) && cli_serving_lock(url, false, &mark) == EWOULDBLOCK) {
        cli_error(WHAT, "'kaiku copy' is filling %s; serve it once the copy is done", url);
        goto out;
    }
    if (cli_migrate_store(WHAT, url, s, NULL) != 0)
        goto out;
    if (store_serve(s) != 0) { /* the writer and checkpointer threads */
        cli_error(WHAT, "cannot start the store's writer thread");
        goto out;
    }
    struct http_config cfg = {
        .host = addr.host,
        .port = addr.port,
        .threads = (unsigned)nthreads,
        .quiet = quiet,
        .tls_cert = cert,
        .tls_key = key,
        .secure_cookies = secure_cookies,
        .trusted_proxies = &trusted,
        .connections_max = (unsigned)nconn,
        .connections_per_address = per_address_limit,
        .request_deadline = (unsigned)ndeadline,
    };
    /* http_serve logs its own start and, when it cannot listen, the one line
     * that says why; nothing is added here so that a failure stays one line. */
    /* The API (/api/v1, /healthz) and the web pages at "/". */
    const struct site *served[] = {&api_health_site, &api_site, &web_site};
    const struct site_list sites = {served, sizeof served / sizeof served[0]};
    if (http_serve(s, &sites, &cfg) != 0)
        goto out;
    status = CLI_EXIT_OK;
out:
    if (s)
        store_close(s);
    if (mark >= 0)
        close(mark);
    free(cert);
    if (key) {
        explicit_bzero(key, strlen(key)); /* the private key leaves memory with us */
        free(key);
    }
    return status;
}
