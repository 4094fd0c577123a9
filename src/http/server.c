/* The HTTP server: libmicrohttpd with epoll and a thread pool. It reads a
 * request (refusing a body over HTTP_BODY_MAX from its Content-Length before
 * reading it), hands it to the pipeline of http/dispatch.h, which finds the
 * site and route and runs the steps and the handler, and sends the reply
 * with its headers. A handler that defers (req_defer) parks the connection
 * until its work is done. */
#include "http/server.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/rules.h"
#include "http/dispatch.h"
#include "http/multipart.h"
#include "http/proxy.h"
#include "http/slowpool.h"
#include "http/watchdog.h"
#include "util/date.h"
#include "util/secret.h"
#include "util/strutil.h"

#define BODY_MAX          HTTP_BODY_MAX
#define SHUTDOWN_GRACE_MS 10000
#define LOG_PATH_MAX      200

struct server {
    struct store *store;
    struct site_list sites;
    bool quiet;
    bool secure_cookies;
    bool tls;
    const struct proxy_list *proxies;
    struct watchdog watchdog;
    atomic_int inflight;
    atomic_int parked; /* connections suspended while deferred work runs */
    atomic_bool started;
    atomic_bool stopping; /* SIGTERM seen: no new deferrals, close keep-alive */
};

/* libmicrohttpd's own messages. While the daemon starts they are dropped:
 * http_serve prints the one line that says why it could not listen. Once it
 * runs, they go to stderr as kaiku's. */
static void on_mhd_message(void *cls, const char *fmt, va_list ap)
{
    struct server *srv = cls;
    if (!atomic_load(&srv->started))
        return;
    char line[512];
    /* The format comes from libmicrohttpd itself, never from a client. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(line, sizeof line, fmt, ap);
#pragma GCC diagnostic pop
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    fprintf(stderr, "kaiku: libmicrohttpd: %s\n", line);
}

struct connection_state {
    struct request req;
    struct server *srv;
    char *body;
    size_t body_len, body_cap;
    size_t body_max; /* HTTP_BODY_MAX, or HTTP_UPLOAD_MAX for an upload */
    bool too_large;
    /* A multipart/form-data upload (a ROUTE_UPLOAD route): its parts, by
     * libmicrohttpd's post processor once the body is in. */
    bool multipart, multipart_bad;
    struct http_part parts[MULTIPART_PARTS_MAX];
    size_t nparts;
    bool answered;
    /* Deferred work (req_defer): the connection is suspended until `done`. */
    struct MHD_Connection *conn;
    bool deferred;
    atomic_bool deferred_done;
    int deferred_rc;
    struct timespec start;
    char method[8];
    char log_path[LOG_PATH_MAX];
};

/* ---- small pieces ---- */

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* The path for the access log: no query string (MHD passes none); the
 * segment after "cards" masked, so that card codes never reach a log, and
 * any segment holding an identity code (R10) too; control characters and
 * '\\' written as \xHH, so that a path cannot forge a line or send escape
 * sequences to a terminal. */
static void log_path(const char *path, char *out, size_t cap)
{
    size_t o = 0;
    bool mask = false;
    const char *p = path;
    while (*p && o + 5 < cap) {
        size_t n = strcspn(p + 1, "/") + 1; /* "/segment" */
        if (mask || identity_text_has_hetu(p, n)) {
            out[o++] = '/';
            out[o++] = '*';
        } else {
            for (size_t i = 0; i < n && o + 5 < cap; i++) {
                unsigned char c = (unsigned char)p[i];
                if (c < 0x20 || c == 0x7f || c == '\\')
                    o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
                else
                    out[o++] = (char)c;
            }
        }
        mask = n == 6 && strncmp(p, "/cards", 6) == 0;
        p += n;
    }
    out[o] = '\0';
}

/* libmicrohttpd's unescaping of the path and the query, except that %00
 * stays as it is written: a NUL would cut the value short ("/cards/A1%00X"
 * would look A1 up); as "%00" it is refused as the text it is. Returns the
 * new length. */
static size_t unescape_keep_nul(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    static const char hex[] = "0123456789abcdef";
    char *w = s;
    for (const char *r = s; *r; r++) {
        const char *hi = r[0] == '%' && r[1] ? strchr(hex, r[1] | 0x20) : NULL;
        const char *lo = hi && r[2] ? strchr(hex, r[2] | 0x20) : NULL;
        if (hi && lo && (hi != hex || lo != hex)) {
            *w++ = (char)((hi - hex) * 16 + (lo - hex));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

size_t http_unescape(char *s)
{
    return unescape_keep_nul(NULL, NULL, s);
}

void http_log_path(const char *path, char *out, size_t cap)
{
    log_path(path, out, cap);
}

static void client_address(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    str_copy(out, cap, "");
    if (!ci || !ci->client_addr)
        return;
    socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in);
    if (getnameinfo(ci->client_addr, len, out, (socklen_t)cap, NULL, 0, NI_NUMERICHOST) != 0)
        str_copy(out, cap, "");
}

/* ---- the pipeline's view of an MHD connection ---- */

static const char *mhd_header(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

static const char *mhd_cookie(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_COOKIE_KIND, name);
}

struct query_each {
    bool (*each)(void *arg, const char *key, const char *value);
    void *arg;
};

static enum MHD_Result mhd_query_one(void *ctx, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct query_each *q = ctx;
    return q->each(q->arg, key, value) ? MHD_YES : MHD_NO;
}

static void mhd_query(void *ctx, bool (*each)(void *arg, const char *key, const char *value),
                      void *arg)
{
    struct query_each q = {each, arg};
    MHD_get_connection_values(ctx, MHD_GET_ARGUMENT_KIND, mhd_query_one, &q);
}

/* Sends r's reply with every header it carries. Should libmicrohttpd refuse
 * one (a name or value it cannot send), the reply becomes 500 internal
 * instead, rather than going out without it. */
static enum MHD_Result send_reply_once(struct connection_state *st, struct MHD_Connection *c,
                                       bool first)
{
    struct request *r = &st->req;
    struct MHD_Response *resp;
    if (r->reply)
        resp = MHD_create_response_from_buffer(r->reply_len, r->reply, MHD_RESPMEM_MUST_FREE);
    else
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    r->reply = NULL; /* the response owns it now */
    if (r->status != 204)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                r->content_type ? r->content_type
                                                : "application/json; charset=utf-8");
    bool cache_given = false;
    for (const struct http_header *h = r->headers; h; h = h->next)
        cache_given = cache_given || strcasecmp(h->name, "Cache-Control") == 0;
    if (!cache_given) /* a reply may say otherwise (the pages' stylesheet) */
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (atomic_load(&st->srv->stopping))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (st->srv->tls) /* browsers come back only over HTTPS for a year */
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    bool headers_ok = true;
    for (const struct http_header *h = r->headers; h; h = h->next)
        headers_ok = MHD_add_response_header(resp, h->name, h->value) == MHD_YES && headers_ok;
    if (!headers_ok) {
        MHD_destroy_response(resp);
        if (!first)
            return MHD_NO;
        r->headers = NULL;
        r->headers_end = NULL;
        http_fail(r, ERR_INTERNAL);
        return send_reply_once(st, c, false);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    st->answered = true;
    return ok;
}

static enum MHD_Result send_reply(struct connection_state *st, struct MHD_Connection *c)
{
    return send_reply_once(st, c, true);
}

/* The end of deferred work, on whichever thread finished it: note the
 * result, then let MHD call on_request again for the reply. */
static void on_deferred_done(void *token, int rc)
{
    struct connection_state *st = token;
    st->deferred_rc = rc;
    atomic_store(&st->deferred_done, true);
    struct server *srv = st->srv;
    MHD_resume_connection(st->conn);
    atomic_fetch_sub(&srv->parked, 1);
}

/* The pipeline's result: true when the reply is ready; false when the
 * handler deferred its work and the connection is parked until `done`. */
static bool park(struct connection_state *st, struct MHD_Connection *c)
{
    struct request *r = &st->req;
    st->deferred = true;
    st->conn = c;
    /* Stopping: http_serve no longer waits for it. Too many parked: each
     * holds a connection and its memory until the store answers. */
    if (atomic_fetch_add(&st->srv->parked, 1) >= HTTP_PARKED_MAX ||
        atomic_load(&st->srv->stopping)) {
        atomic_fetch_sub(&st->srv->parked, 1);
        r->defer_start = NULL;
        http_fail(r, ERR_UNAVAILABLE);
        return true;
    }
    /* Suspend first: `done` may come before start returns. */
    MHD_suspend_connection(c);
    int err = r->defer_start(r, on_deferred_done, st);
    if (err != 0)
        on_deferred_done(st, err);
    return false;
}

/* The watchdog's entry of c (on_connection), or NULL. */
static struct watch *watch_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding;
    struct connection_state *st = cls;
    return multipart_add(st->parts, &st->nparts, key, filename, data, (size_t)off, size) ? MHD_YES
                                                                                         : MHD_NO;
}

/* The whole upload through libmicrohttpd's post processor (multipart). */
static void parse_multipart(struct connection_state *st, struct MHD_Connection *c)
{
    struct MHD_PostProcessor *pp = MHD_create_post_processor(c, 64 * 1024, on_part, st);
    if (!pp || MHD_post_process(pp, st->body, st->body_len) != MHD_YES)
        st->multipart_bad = true;
    if (pp && MHD_destroy_post_processor(pp) != MHD_YES)
        st->multipart_bad = true;
}

static bool finish(struct connection_state *st, struct MHD_Connection *c, const char *method,
                   const char *url)
{
    struct request *r = &st->req;
    watchdog_receiving(&st->srv->watchdog, watch_of(c), false); /* the request is in */
    r->actor.now = (int64_t)time(NULL);
    char peer[ADDRESS_MAX + 1];
    client_address(c, peer, sizeof peer);
    proxy_client_address(st->srv->proxies, peer,
                         MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For"),
                         r->actor.address);
    /* R36: English when the header names none of ours (docs/api.md). */
    r->lang = i18n_negotiate(
        NULL, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
        LANG_EN);
    if (st->multipart && !st->too_large)
        parse_multipart(st, c);
    const struct http_input in = {.method = method,
                                  .path = url,
                                  .body = st->body,
                                  .body_len = st->body_len,
                                  .body_too_large = st->too_large,
                                  .multipart = st->multipart,
                                  .multipart_bad = st->multipart_bad,
                                  .parts = st->parts,
                                  .nparts = st->nparts,
                                  .header = mhd_header,
                                  .cookie = mhd_cookie,
                                  .query = mhd_query,
                                  .ctx = c};
    if (http_handle(&st->srv->sites, r, &in))
        return true;
    return park(st, c);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct connection_state *st = *con_cls;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        st->srv = srv;
        st->req.store = srv->store;
        st->req.secure = srv->secure_cookies;
        clock_gettime(CLOCK_MONOTONIC, &st->start);
        str_copy(st->method, sizeof st->method, method);
        log_path(url, st->log_path, sizeof st->log_path);
        atomic_fetch_add(&srv->inflight, 1);
        *con_cls = st;
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        /* A file upload may be larger, where a route takes one. */
        st->multipart = multipart_is(
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
        st->body_max = st->multipart && site_takes_upload(&srv->sites, method, url)
                           ? HTTP_UPLOAD_MAX
                           : BODY_MAX;
        int64_t declared;
        if (cl &&
            (str_to_i64(cl, 0, INT64_MAX, &declared) != 0 || declared > (int64_t)st->body_max)) {
            /* Refused before reading it; MHD closes the connection after. */
            st->too_large = true;
            finish(st, c, method, url); /* too_large: never deferred */
            return send_reply(st, c);
        }
        return MHD_YES;
    }
    if (st->answered) {
        *upload_data_size = 0; /* discard the rest of a refused body */
        return MHD_YES;
    }
    if (st->deferred) { /* resumed: the deferred work is done */
        if (!atomic_load(&st->deferred_done))
            return MHD_YES;
        http_complete(&st->req, st->deferred_rc);
        return send_reply(st, c);
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (st->too_large || n > st->body_max - st->body_len) {
            st->too_large = true;
            return MHD_YES;
        }
        if (st->body_len + n > st->body_cap) {
            size_t cap = st->body_cap ? st->body_cap : 4096;
            while (cap < st->body_len + n)
                cap *= 2;
            if (cap > st->body_max)
                cap = st->body_max;
            char *p = realloc(st->body, cap);
            if (!p)
                return MHD_NO;
            st->body = p;
            st->body_cap = cap;
        }
        memcpy(st->body + st->body_len, upload_data, n);
        st->body_len += n;
        return MHD_YES;
    }
    if (!finish(st, c, method, url))
        return MHD_YES; /* parked until the deferred work is done */
    return send_reply(st, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct server *srv = cls;
    struct connection_state *st = *con_cls;
    /* The next request on this connection has the whole deadline again. */
    watchdog_receiving(&srv->watchdog, watch_of(c), true);
    if (!st)
        return;
    if (!srv->quiet)
        fprintf(stderr, "%s %s %d %.1fms\n", st->method, st->log_path,
                st->answered ? st->req.status : 0, elapsed_ms(&st->start));
    request_release(&st->req);
    multipart_free(st->parts, st->nparts);
    free(st->body);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* A connection opens or closes: the watchdog times its requests. MHD
 * calls CLOSED before it closes the socket. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? watchdog_add(&srv->watchdog, ci->connect_fd) : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        watchdog_remove(&srv->watchdog, *socket_context);
        *socket_context = NULL;
    }
}

/* ---- start and stop ---- */

/* As many descriptors as the process may have (the soft limit raised to
 * the hard one), and how many connections that leaves room for: the store,
 * the log and libmicrohttpd's own need a reserve. */
static unsigned connection_room(unsigned wanted)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return wanted;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    const rlim_t reserve = 128;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)wanted + reserve)
        return wanted;
    return rl.rlim_cur > 2 * reserve ? (unsigned)(rl.rlim_cur - reserve)
                                     : (unsigned)rl.rlim_cur / 2;
}

/* The slow routes' threads: half the cores (the other half answer the
 * door), at least one. */
static unsigned slow_threads(const struct http_config *cfg)
{
    if (cfg->slow_threads)
        return cfg->slow_threads < SLOWPOOL_THREADS_MAX ? cfg->slow_threads : SLOWPOOL_THREADS_MAX;
    long n = sysconf(_SC_NPROCESSORS_ONLN) / 2;
    return n < 1 ? 1 : n > SLOWPOOL_THREADS_MAX ? SLOWPOOL_THREADS_MAX : (unsigned)n;
}

static unsigned pool_size(const struct http_config *cfg)
{
    if (cfg->threads)
        return cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int http_serve(struct store *s, const struct site_list *sites, const struct http_config *cfg)
{
    bool tls = cfg->tls_cert && cfg->tls_key;
    struct server srv = {.store = s,
                         .sites = *sites,
                         .quiet = cfg->quiet,
                         .secure_cookies = tls || cfg->secure_cookies,
                         .tls = tls,
                         .proxies = cfg->trusted_proxies};
    atomic_init(&srv.inflight, 0);
    atomic_init(&srv.parked, 0);
    atomic_init(&srv.started, false);
    atomic_init(&srv.stopping, false);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)cfg->port);
    int gai = getaddrinfo(cfg->host, port, &hints, &ai);
    if (gai != 0) {
        fprintf(stderr, "kaiku: cannot listen on %s: %s\n", cfg->host, gai_strerror(gai));
        return -ERR_UNAVAILABLE;
    }
    if (secret_init() != 0) {
        freeaddrinfo(ai);
        fprintf(stderr, "kaiku: libsodium failed to initialise\n");
        return -ERR_UNAVAILABLE;
    }

    /* Worker threads inherit this mask, so only sigwait below sees the
     * signals. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    unsigned deadline =
        cfg->request_deadline ? cfg->request_deadline : HTTP_REQUEST_DEADLINE_DEFAULT;
    if (watchdog_start(&srv.watchdog, (int64_t)deadline * 1000) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        freeaddrinfo(ai);
        fprintf(stderr, "kaiku: cannot start the request deadline's thread\n");
        return -ERR_UNAVAILABLE;
    }
    if (slowpool_start(slow_threads(cfg),
                       cfg->slow_queue ? cfg->slow_queue : SLOWPOOL_QUEUE_DEFAULT) != 0) {
        watchdog_stop(&srv.watchdog);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        freeaddrinfo(ai);
        fprintf(stderr, "kaiku: cannot start the reports' threads\n");
        return -ERR_UNAVAILABLE;
    }
    unsigned connections =
        connection_room(cfg->connections_max ? cfg->connections_max : HTTP_CONNECTIONS_DEFAULT);
    unsigned per_address =
        cfg->connections_per_address ? cfg->connections_per_address : HTTP_PER_ADDRESS_DEFAULT;
    if (per_address == HTTP_PER_ADDRESS_UNLIMITED)
        per_address = 0; /* libmicrohttpd's "no limit" */

    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (tls)
        flags |= MHD_USE_TLS;
    /* The PEM text is the caller's and outlives the daemon (http_config). */
    struct MHD_OptionItem tls_options[] = {
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)(uintptr_t)cfg->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)cfg->tls_key},
        /* TLS 1.2 and 1.3 only (GnuTLS priorities). */
        {MHD_OPTION_HTTPS_PRIORITIES, 0,
         (void *)(uintptr_t) "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
        {MHD_OPTION_END, 0, NULL},
    };
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, pool_size(cfg), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, &srv, MHD_OPTION_UNESCAPE_CALLBACK, unescape_keep_nul, NULL,
        MHD_OPTION_CONNECTION_LIMIT, connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_message, &srv, MHD_OPTION_ARRAY, tls_options,
        MHD_OPTION_END);
    int start_errno = errno;
    freeaddrinfo(ai);
    if (!d) {
        slowpool_stop();
        watchdog_stop(&srv.watchdog);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        fprintf(stderr, "kaiku: cannot listen on %s:%u: %s\n", cfg->host, (unsigned)cfg->port,
                start_errno ? strerror(start_errno) : "unknown error");
        return -ERR_UNAVAILABLE;
    }
    atomic_store(&srv.started, true);
    if (!cfg->quiet)
        fprintf(stderr, "kaiku: listening on %s://%s:%u with %u threads\n", tls ? "https" : "http",
                cfg->host, (unsigned)cfg->port, pool_size(cfg));

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    if (!cfg->quiet)
        fprintf(stderr, "kaiku: %s received, finishing requests in flight\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");

    atomic_store(&srv.stopping, true);
    slowpool_cancel_waiting(); /* reports not yet started: 503, not a wait */
    /* Stop accepting, let requests in flight finish, then stop. */
    MHD_socket listener = MHD_quiesce_daemon(d);
    for (int waited = 0; atomic_load(&srv.inflight) > 0 && waited < SHUTDOWN_GRACE_MS;
         waited += 10) {
        struct timespec ten_ms = {0, 10 * 1000 * 1000};
        nanosleep(&ten_ms, NULL);
    }
    /* A parked connection is resumed by the store, which always finishes
     * what it queued; MHD must not free the connection before that. */
    while (atomic_load(&srv.parked) > 0) {
        struct timespec one_ms = {0, 1000 * 1000};
        nanosleep(&one_ms, NULL);
    }
    MHD_stop_daemon(d);
    slowpool_stop(); /* nothing is queued: every parked connection has been resumed */
    watchdog_stop(&srv.watchdog);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!cfg->quiet)
        fprintf(stderr, "kaiku: stopped\n");
    return 0;
}
