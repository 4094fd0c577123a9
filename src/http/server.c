/* The HTTP server: libmicrohttpd with epoll and a thread pool. Each request
 * goes through one pipeline (handle_request): size limit → route (404/405)
 * → query → JSON body → identity data (R10) → sign-in and role → body fields
 * → the handler of src/api. Errors become replies from the one error table. */
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/json.h"
#include "http/ratelimit.h"
#include "http/router.h"
#include "http/session.h"
#include "util/date.h"
#include "util/secret.h"
#include "util/strutil.h"

#define BODY_MAX          (1024 * 1024)
#define SHUTDOWN_GRACE_MS 10000
#define LOG_PATH_MAX      200
/* Unknown card codes allowed per RATELIMIT_WINDOW: per user, and (higher,
 * for the many box offices that may share one address) per address. */
#define GUESSES_PER_USER    100
#define GUESSES_PER_ADDRESS 1000

struct server {
    struct store *store;
    bool quiet;
    bool secure_cookies;
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
    bool too_large;
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

/* The path for the access log: no query string (MHD passes none) and the
 * segment after "cards" masked, so that card codes never reach a log. */
static void log_path(const char *path, char *out, size_t cap)
{
    size_t o = 0;
    bool mask = false;
    const char *p = path;
    while (*p && o + 2 < cap) {
        size_t n = strcspn(p + 1, "/") + 1; /* "/segment" */
        if (mask) {
            out[o++] = '/';
            out[o++] = '*';
        } else {
            size_t k = n < cap - o - 1 ? n : cap - o - 1;
            memcpy(out + o, p, k);
            o += k;
        }
        mask = n == 6 && strncmp(p, "/cards", 6) == 0;
        p += n;
    }
    out[o] = '\0';
}

/* The best of fi, sv and en in Accept-Language by q-value; en when none. */
static enum lang pick_language(const char *header)
{
    static const char *const tags[LANG_COUNT] = {
        [LANG_FI] = "fi", [LANG_SV] = "sv", [LANG_EN] = "en"};
    enum lang best = LANG_EN;
    double best_q = 0.0;
    if (!header)
        return best;
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        const char *semi = memchr(p, ';', n);
        size_t tag_len = semi ? (size_t)(semi - p) : n;
        while (tag_len && p[tag_len - 1] == ' ')
            tag_len--;
        double q = 1.0;
        if (semi) {
            const char *qs = strstr(semi, "q=");
            if (qs && qs < p + n) {
                char *end = NULL;
                q = strtod(qs + 2, &end);
                if (end == qs + 2 || q < 0.0 || q > 1.0)
                    q = 0.0;
            }
        }
        for (int l = 0; l < LANG_COUNT; l++) {
            if (tag_len >= 2 && strncasecmp(p, tags[l], 2) == 0 &&
                (tag_len == 2 || p[2] == '-' || p[2] == '_') && q > best_q) {
                best = (enum lang)l;
                best_q = q;
            }
        }
        p += n;
    }
    return best;
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

/* {"error","message","details"} for err, with r->details. */
static void reply_error(struct request *r, int err)
{
    if (err < 0)
        err = -err;
    if (err <= ERR_NONE || err >= ERR_COUNT)
        err = ERR_INTERNAL;
    if (err == ERR_UNAVAILABLE) /* busy, or the store's write queue full: retry shortly */
        reply_header(r, "Retry-After", "1");
    json_t *details = json_object();
    const struct error_details *d = &r->details;
    if (d->field)
        json_object_set_new(details, "field", json_string(d->field));
    if (d->key) {
        json_t *v = d->text[0]         ? json_string(d->text)
                    : d->value_is_time ? jw_datetime(d->value)
                                       : json_integer(d->value);
        json_object_set_new(details, d->key, v);
    }
    json_t *body = json_pack("{s:s, s:s, s:o}", "error", error_code(err), "message",
                             error_message(err, r->lang), "details", details);
    if (reply_json(r, error_status(err), body) != 0) {
        r->status = 500;
        r->reply = NULL;
    }
}

/* ---- guessing card codes ---- */

static void guess_keys(const struct request *r, char user[USERNAME_MAX + 3],
                       char address[ADDRESS_MAX + 3])
{
    snprintf(user, USERNAME_MAX + 3, "u|%s", r->actor.user);
    snprintf(address, ADDRESS_MAX + 3, "a|%s", r->actor.address);
}

/* A caller over its budget of unknown codes gets 429 with Retry-After. */
static int guess_check(struct request *r)
{
    char user[USERNAME_MAX + 3], address[ADDRESS_MAX + 3];
    guess_keys(r, user, address);
    int64_t by_user = 0, by_address = 0;
    int rc_user = ratelimit_check(user, GUESSES_PER_USER, r->actor.now, &by_user);
    int rc_address = ratelimit_check(address, GUESSES_PER_ADDRESS, r->actor.now, &by_address);
    if (rc_user == 0 && rc_address == 0)
        return 0;
    int64_t retry = by_user > by_address ? by_user : by_address;
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)retry);
    reply_header(r, "Retry-After", arena_strdup(&r->arena, buf));
    return error_value(&r->details, ERR_RATE_LIMITED, "retry_after", retry, 0);
}

static void guess_failed(const struct request *r)
{
    char user[USERNAME_MAX + 3], address[ADDRESS_MAX + 3];
    guess_keys(r, user, address);
    ratelimit_fail(user, r->actor.now);
    ratelimit_fail(address, r->actor.now);
}

/* ---- the pipeline ---- */

struct query_walk {
    struct request *r;
    int err;
};

static enum MHD_Result query_one(void *ctx, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    struct query_walk *w = ctx;
    const char *const *names = w->r->route->query;
    for (int i = 0; names && names[i] && i < 8; i++) {
        if (strcmp(names[i], key) != 0)
            continue;
        if (w->r->query[i]) {
            w->err = req_fail(w->r, ERR_INVALID_REQUEST, names[i]); /* given twice */
            return MHD_NO;
        }
        /* "?region=" is the same as leaving region out. */
        w->r->query[i] = value && *value ? arena_strdup(&w->r->arena, value) : NULL;
        if (value && *value && !str_is_clean_utf8(value, strlen(value))) {
            w->err = req_fail(w->r, ERR_INVALID_REQUEST, names[i]);
            return MHD_NO;
        }
        return MHD_YES;
    }
    w->err = req_fail(w->r, ERR_INVALID_REQUEST, arena_strdup(&w->r->arena, key));
    return MHD_NO;
}

static bool field_allowed(const char *const *fields, const char *key)
{
    for (; fields && *fields; fields++)
        if (strcmp(*fields, key) == 0)
            return true;
    return false;
}

static int parse_body(struct connection_state *st)
{
    struct request *r = &st->req;
    if (st->body_len == 0) {
        r->body = json_object();
        return r->body ? 0 : -ERR_INTERNAL;
    }
    json_error_t jerr;
    r->body = json_loadb(st->body, st->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!r->body || !json_is_object(r->body))
        return req_fail(r, ERR_INVALID_REQUEST, "body");
    const char *where = NULL;
    if (json_has_identity_data(r->body, r->route->body, &where)) /* R10, before anything else */
        return req_fail(r, ERR_IDENTITY_DATA_REFUSED,
                        where ? arena_strdup(&r->arena, where) : NULL);
    return 0;
}

static int check_fields(struct request *r)
{
    const char *key;
    json_t *value;
    json_object_foreach(r->body, key, value)
    {
        if (!field_allowed(r->route->body, key))
            return req_fail(r, ERR_INVALID_REQUEST, arena_strdup(&r->arena, key));
    }
    return 0;
}

static int handle_request(struct connection_state *st, struct MHD_Connection *c, const char *method,
                          const char *url)
{
    struct request *r = &st->req;
    int rc = 0;

    if (st->too_large)
        return -ERR_BODY_TOO_LARGE;

    int m = http_method_parse(method);
    bool known = false;
    char allow[64];
    r->route =
        router_match(r, m < 0 ? HTTP_PUT : (enum http_method)m, url, &known, allow, sizeof allow);
    if (!r->route) {
        if (!known)
            return -ERR_NOT_FOUND;
        reply_header(r, MHD_HTTP_HEADER_ALLOW, arena_strdup(&r->arena, allow));
        return -ERR_METHOD_NOT_ALLOWED;
    }
    r->method = (enum http_method)m;
    r->path = url;

    if ((rc = parse_body(st)) != 0)
        return rc;

    if (!(r->route->flags & ROUTE_PUBLIC)) {
        rc = session_authenticate(
            r, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
            MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE),
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, CSRF_HEADER));
        if (rc != 0)
            return rc;
        if (!(r->route->roles & ROLE_BIT(r->actor.role)))
            return -ERR_FORBIDDEN;
        if ((r->route->flags & ROUTE_USERS_ONLY) && r->actor.api_key > 0)
            return -ERR_FORBIDDEN;
    }

    struct query_walk w = {r, 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_one, &w);
    if (w.err)
        return w.err;
    if ((rc = check_fields(r)) != 0)
        return rc;

    if ((r->route->flags & ROUTE_CARD_CODES) && (rc = guess_check(r)) != 0)
        return rc;
    r->idempotency_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
    return r->route->handler(r);
}

static enum MHD_Result send_reply(struct connection_state *st, struct MHD_Connection *c)
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
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (atomic_load(&st->srv->stopping))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    st->answered = true;
    return ok;
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

/* A handler's result: an error reply, or (REQ_DEFERRED) park the connection
 * and start the deferred work. Returns true when the reply is ready. */
static bool settle(struct connection_state *st, struct MHD_Connection *c, int rc)
{
    struct request *r = &st->req;
    if (rc == REQ_DEFERRED && !r->defer_start) /* a positive code by mistake */
        rc = -ERR_INTERNAL;
    if (rc == REQ_DEFERRED && !st->deferred) {
        st->deferred = true;
        st->conn = c;
        atomic_fetch_add(&st->srv->parked, 1);
        if (atomic_load(&st->srv->stopping)) { /* http_serve no longer waits for it */
            atomic_fetch_sub(&st->srv->parked, 1);
            reply_error(r, ERR_UNAVAILABLE);
            return true;
        }
        /* Suspend first: `done` may come before start returns. */
        MHD_suspend_connection(c);
        int err = r->defer_start(r, on_deferred_done, st);
        if (err != 0)
            on_deferred_done(st, err);
        return false;
    }
    if (rc == REQ_DEFERRED) /* a completion may not defer again */
        rc = -ERR_INTERNAL;
    if (rc == -ERR_CARD_UNKNOWN && r->route && (r->route->flags & ROUTE_CARD_CODES))
        guess_failed(r);
    if (rc != 0)
        reply_error(r, rc);
    else if (r->status == 0)
        reply_error(r, ERR_INTERNAL);
    return true;
}

static bool finish(struct connection_state *st, struct MHD_Connection *c, const char *method,
                   const char *url)
{
    struct request *r = &st->req;
    r->actor.now = (int64_t)time(NULL);
    client_address(c, r->actor.address, sizeof r->actor.address);
    r->lang = pick_language(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
    return settle(st, c, handle_request(st, c, method, url));
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
        int64_t declared;
        if (cl && (str_to_i64(cl, 0, INT64_MAX, &declared) != 0 || declared > BODY_MAX)) {
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
        settle(st, c, st->req.defer_complete(&st->req, st->deferred_rc));
        return send_reply(st, c);
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (st->too_large || n > BODY_MAX - st->body_len) {
            st->too_large = true;
            return MHD_YES;
        }
        if (st->body_len + n > st->body_cap) {
            size_t cap = st->body_cap ? st->body_cap : 4096;
            while (cap < st->body_len + n)
                cap *= 2;
            if (cap > BODY_MAX)
                cap = BODY_MAX;
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
    (void)c;
    (void)toe;
    struct server *srv = cls;
    struct connection_state *st = *con_cls;
    if (!st)
        return;
    if (!srv->quiet)
        fprintf(stderr, "%s %s %d %.1fms\n", st->method, st->log_path,
                st->answered ? st->req.status : 0, elapsed_ms(&st->start));
    json_decref(st->req.body);
    free(st->req.reply);
    free(st->body);
    arena_release(&st->req.arena);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* ---- start and stop ---- */

static unsigned pool_size(const struct http_config *cfg)
{
    if (cfg->threads)
        return cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int http_serve(struct store *s, const struct http_config *cfg)
{
    bool tls = cfg->tls_cert && cfg->tls_key;
    struct server srv = {
        .store = s, .quiet = cfg->quiet, .secure_cookies = tls || cfg->secure_cookies};
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

    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (tls)
        flags |= MHD_USE_TLS;
    /* The PEM text is the caller's and outlives the daemon (http_config). */
    struct MHD_OptionItem tls_options[] = {
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)(uintptr_t)cfg->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)cfg->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, pool_size(cfg), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_message,
        &srv, MHD_OPTION_ARRAY, tls_options, MHD_OPTION_END);
    int start_errno = errno;
    freeaddrinfo(ai);
    if (!d) {
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
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!cfg->quiet)
        fprintf(stderr, "kaiku: stopped\n");
    return 0;
}
