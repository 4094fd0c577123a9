/* kaiku serve: parses the listen address, opens (and, like `kaiku init`,
 * migrates) the store and runs the HTTP server until SIGINT/SIGTERM.
 *
 * Decision: serve brings the schema up to date itself, so that a fresh path
 * or an upgraded binary starts without a separate step; the migration is
 * idempotent and runs before the first request is accepted. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "http/server.h"
#include "store/store.h"
#include "util/strutil.h"

#define WHAT        "serve"
#define HOST_MAX    64 /* longest textual IPv6 address is 45 bytes */
#define THREADS_MAX 1024

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

int cmd_serve(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *listen = NULL, *threads = NULL;
    bool quiet = false;
    const struct cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "listen", .value = &listen},
        {.name = "threads", .value = &threads},
        {.name = "quiet", .flag = &quiet},
    };
    int status = CLI_EXIT_USAGE;
    struct store *s = NULL;
    switch (cli_parse(WHAT, argc, argv, opts, sizeof opts / sizeof opts[0])) {
    case CLI_HELP:
        fputs(cmd->help, stdout);
        status = CLI_EXIT_OK;
        goto out;
    case CLI_BAD:
        goto out;
    case CLI_PARSED:
        break;
    }
    const char *url = cli_db_url(WHAT, db);
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

    status = CLI_EXIT_FAILURE;
    s = cli_open_store(WHAT, url, false, NULL);
    if (!s)
        goto out;
    struct http_config cfg = {
        .host = addr.host,
        .port = addr.port,
        .threads = (unsigned)nthreads,
        .quiet = quiet,
    };
    /* http_serve logs its own start and, when it cannot listen, the one line
     * that says why; nothing is added here so that a failure stays one line. */
    if (http_serve(s, &cfg) != 0)
        goto out;
    status = CLI_EXIT_OK;
out:
    if (s)
        store_close(s);
    return status;
}
