/* The pipeline of dispatch.h, step by step in http_handle. */
#include "http/dispatch.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "http/field.h"
#include "http/inflight.h"
#include "http/multipart.h"
#include "http/ratelimit.h"
#include "http/session.h"
#include "http/slowpool.h"
#include "store/store.h"
#include "util/strutil.h"

/* ---- guessing card codes ---- */

/* Unknown card codes allowed per RATELIMIT_WINDOW and principal. A
 * principal is whoever answers for the guesses: a signed-in user, or a
 * venue together with all its API keys (a key carries no user, and a venue
 * may hold only API_KEYS_PER_VENUE of them), or — on a public route, where
 * nobody has signed in — the client's address. A principal's failures
 * never count against another's: many box offices behind one address (or
 * one reverse proxy) do not lock each other out. */
#define GUESSES_PER_PRINCIPAL 100
#define GUESS_KEY_MAX         INFLIGHT_KEY_MAX
_Static_assert(INFLIGHT_KEY_MAX >= USERNAME_MAX + 3 && INFLIGHT_KEY_MAX >= ID_MAX + 3 &&
                   INFLIGHT_KEY_MAX >= ADDRESS_MAX + 3,
               "a principal's key fits");

static void principal_key(const struct request *r, char key[GUESS_KEY_MAX])
{
    if (!r->authenticated)
        snprintf(key, GUESS_KEY_MAX, "a|%s", r->actor.address);
    else if (r->actor.api_key > 0)
        snprintf(key, GUESS_KEY_MAX, "v|%s", r->actor.scope);
    else
        snprintf(key, GUESS_KEY_MAX, "u|%s", r->actor.user);
}

/* A caller over its budget of unknown codes gets 429 with Retry-After. */
static int guess_check(struct request *r)
{
    char key[GUESS_KEY_MAX];
    principal_key(r, key);
    int64_t retry = 0;
    int rc =
        store_shared(r->store)
            ? ratelimit_check_shared(r->store, key, GUESSES_PER_PRINCIPAL, r->actor.now, &retry)
            : ratelimit_check(key, GUESSES_PER_PRINCIPAL, r->actor.now, &retry);
    if (rc != -ERR_RATE_LIMITED)
        return rc; /* 0, or the shared store could not be read */
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)retry);
    rc = reply_header(r, "Retry-After", arena_strdup(&r->arena, buf));
    if (rc != 0)
        return rc;
    return error_value(&r->details, ERR_RATE_LIMITED, "retry_after", retry, 0);
}

void http_card_guess_failed(const struct request *r)
{
    char key[GUESS_KEY_MAX];
    principal_key(r, key);
    if (!store_shared(r->store)) {
        ratelimit_fail(key, r->actor.now);
        return;
    }
    /* Kept where every server sees it. The reply is an error already; a
     * failure the store could not count (unreachable, its queue full) is
     * logged, and the next check of a store that cannot be read refuses. */
    int rc = ratelimit_fail_shared(r->store, key, r->actor.now);
    if (rc != 0)
        fprintf(stderr, "kaiku: guessing budget: a failure not counted: %s\n", error_code(rc));
}

void http_fail(struct request *r, int err)
{
    if (err < 0)
        err = -err;
    if (err <= ERR_NONE || err >= ERR_COUNT)
        err = ERR_INTERNAL;
    /* Busy, or the store's write queue full or past its deadline: every site
     * tells the client when to try again. */
    if (err == ERR_UNAVAILABLE)
        reply_header(r, "Retry-After", "1");
    if (r->site && r->site->render_error)
        r->site->render_error(r, err);
    else
        http_render_error_json(r, err);
}

/* ---- the steps ---- */

/* 2: the site and its route. */
/* The site's cookies, and its language when it picks one from a cookie. */
static void read_cookies(struct request *r, const struct http_input *in)
{
    const char *const *names = r->site->cookies;
    for (size_t i = 0; names && names[i] && i < REQUEST_COOKIES_MAX; i++) {
        const char *v = in->cookie(in->ctx, names[i]);
        r->cookies[i] = v ? arena_strdup(&r->arena, v) : NULL;
    }
    if (r->site->lang_from_cookie) {
        size_t k = r->site->lang_cookie_index;
        r->lang = i18n_negotiate(k < REQUEST_COOKIES_MAX ? r->cookies[k] : NULL,
                                 in->header(in->ctx, "Accept-Language"), r->site->lang_fallback);
    }
}

static int find_route(const struct site_list *sites, struct request *r, const struct http_input *in,
                      const char *method, const char *path)
{
    r->site = site_find(sites, path);
    if (!r->site)
        return -ERR_NOT_FOUND;
    read_cookies(r, in);
    /* HEAD is GET without the body (RFC 9110 9.3.2): the route, checks and
     * headers of GET; libmicrohttpd sends no body for HEAD. */
    int m = strcmp(method, "HEAD") == 0 ? (int)HTTP_GET : http_method_parse(method);
    bool known = false;
    char allow[64];
    r->route = site_route(r->site, r, m < 0 ? HTTP_PUT : (enum http_method)m, path, &known, allow,
                          sizeof allow);
    if (!r->route) {
        if (!known)
            return -ERR_NOT_FOUND;
        int rc = reply_header(r, "Allow", arena_strdup(&r->arena, allow));
        return rc != 0 ? rc : -ERR_METHOD_NOT_ALLOWED;
    }
    r->method = (enum http_method)m;
    r->path = path;
    return 0;
}

/* 3: "application/json; charset=utf-8" is application/json. No
 * Content-Type at all is taken as the site's. */
static int check_media_type(const struct request *r, const char *content_type)
{
    if (!content_type)
        return 0;
    while (*content_type == ' ')
        content_type++;
    size_t n = strcspn(content_type, "; \t");
    const char *want = r->site->body->media_type;
    if (n == strlen(want) && strncasecmp(content_type, want, n) == 0)
        return 0;
    return -ERR_UNSUPPORTED_MEDIA_TYPE;
}

/* 5: the CSRF value of a cookie session, where the site takes it from. */
static const char *csrf_value(const struct request *r, const struct http_input *in)
{
    if (r->site->csrf == CSRF_FROM_HEADER)
        return in->header(in->ctx, r->site->csrf_name);
    for (size_t i = 0; i < r->body.npairs; i++)
        if (strcmp(r->body.pairs[i].key, r->site->csrf_name) == 0)
            return r->body.pairs[i].value;
    return NULL;
}

static int authorize(struct request *r, const struct http_input *in)
{
    int rc = session_authenticate(r, in->header(in->ctx, "Authorization"),
                                  in->cookie(in->ctx, SESSION_COOKIE), csrf_value(r, in));
    if (rc != 0)
        return rc;
    if (!(r->route->roles & ROLE_BIT(r->actor.role)))
        return -ERR_FORBIDDEN;
    if ((r->route->flags & ROUTE_USERS_ONLY) && r->actor.api_key > 0)
        return -ERR_FORBIDDEN;
    return 0;
}

/* 5b: one principal's requests in flight are bounded (http/inflight.h). */
static int count_in_flight(struct request *r)
{
    char key[GUESS_KEY_MAX];
    principal_key(r, key);
    char *kept = arena_strdup(&r->arena, key);
    if (!kept)
        return -ERR_INTERNAL;
    int rc = inflight_enter(kept, INFLIGHT_PER_PRINCIPAL);
    if (rc == 0)
        r->inflight_key = kept; /* request_release leaves */
    return rc;
}

/* 6: query parameters, each one the route takes, at most once. */
struct query_walk {
    struct request *r;
    int err;
};

static bool query_one(void *ctx, const char *key, const char *value)
{
    struct query_walk *w = ctx;
    const char *const *names = w->r->route->query;
    for (int i = 0; names && names[i] && i < REQUEST_QUERY_MAX; i++) {
        if (strcmp(names[i], key) != 0)
            continue;
        if (w->r->query[i]) {
            w->err = req_fail(w->r, ERR_INVALID_REQUEST, names[i]); /* given twice */
            return false;
        }
        /* "?region=" is the same as leaving region out. */
        if (value && *value) {
            if (!str_is_clean_utf8(value, strlen(value))) {
                w->err = req_fail(w->r, ERR_INVALID_REQUEST, names[i]);
                return false;
            }
            w->r->query[i] = arena_strdup(&w->r->arena, value);
            if (!w->r->query[i]) {
                w->err = -ERR_INTERNAL;
                return false;
            }
        }
        return true;
    }
    w->err = req_fail(w->r, ERR_INVALID_REQUEST, arena_strdup(&w->r->arena, key));
    return false;
}

/* ---- 8, for a ROUTE_SLOW route: the handler on the slow routes' pool ---- */

struct slow_job {
    struct request *r;
    req_done_fn done;
    void *token;
};

static int slow_start(struct request *r, req_done_fn done, void *token);

/* On a pool thread, while the connection is parked: nothing else touches r. */
static void slow_run(void *arg)
{
    struct slow_job *j = arg;
    struct request *r = j->r;
    int rc = r->route->handler(r);
    if (rc == 0 && r->defer_start != slow_start) /* it deferred: not allowed here */
        rc = -ERR_INTERNAL;
    j->done(j->token, rc);
}

/* 503 with Retry-After: the queue is full, or the server stops. */
static int slow_refused(struct request *r)
{
    int rc = reply_header(r, "Retry-After", SLOWPOOL_RETRY_AFTER_TEXT);
    return rc != 0 ? rc
                   : error_value(&r->details, ERR_UNAVAILABLE, "retry_after",
                                 SLOWPOOL_RETRY_AFTER_S, 0);
}

/* A job taken off the queue before it ran (the server is stopping). */
static void slow_cancel(void *arg)
{
    struct slow_job *j = arg;
    j->done(j->token, slow_refused(j->r));
}

static int slow_start(struct request *r, req_done_fn done, void *token)
{
    struct slow_job *j = arena_alloc(&r->arena, sizeof *j);
    if (!j)
        return -ERR_INTERNAL;
    *j = (struct slow_job){r, done, token};
    if (slowpool_submit(slow_run, slow_cancel, j) == 0)
        return 0;
    return slow_refused(r);
}

/* The handler built the reply (or failed with rc) on the pool. */
static int slow_complete(struct request *r, int rc)
{
    (void)r;
    return rc;
}

static int pipeline(const struct site_list *sites, struct request *r, const struct http_input *in)
{
    int rc;
    if (in->body_too_large)
        return -ERR_BODY_TOO_LARGE;
    if ((rc = find_route(sites, r, in, in->method, in->path)) != 0)
        return rc;
    if (in->multipart) { /* a file upload: only where the route takes one */
        if (!(r->route->flags & ROUTE_UPLOAD))
            return -ERR_UNSUPPORTED_MEDIA_TYPE;
        if (in->multipart_bad)
            return req_fail(r, ERR_INVALID_REQUEST, "body");
        if ((rc = multipart_body(r, in->parts, in->nparts)) != 0)
            return rc;
    } else if (in->body_len > 0) {
        if ((rc = check_media_type(r, in->header(in->ctx, "Content-Type"))) != 0 ||
            (rc = r->site->body->parse(r, in->body, in->body_len)) != 0)
            return rc;
    }
    if (!(r->route->flags & ROUTE_PUBLIC) && (rc = authorize(r, in)) != 0)
        return rc;
    if (r->authenticated && (rc = count_in_flight(r)) != 0)
        return rc;
    struct query_walk w = {r, 0};
    in->query(in->ctx, query_one, &w);
    if (w.err)
        return w.err;
    if ((rc = field_check_route(r)) != 0)
        return rc;
    if ((r->route->flags & ROUTE_CARD_CODES) && (rc = guess_check(r)) != 0)
        return rc;
    r->idempotency_header = in->header(in->ctx, "Idempotency-Key");
    if ((r->route->flags & ROUTE_SLOW) && slowpool_running())
        return req_defer(r, slow_start, slow_complete, NULL);
    return r->route->handler(r);
}

/* A handler's (or a completion's) result: the reply, or an error's. */
static void settle(struct request *r, int rc)
{
    if (rc > 0) /* a positive code by mistake */
        rc = -ERR_INTERNAL;
    if (rc == -ERR_CARD_UNKNOWN && r->route && (r->route->flags & ROUTE_CARD_CODES))
        http_card_guess_failed(r);
    if (rc != 0)
        http_fail(r, rc);
    else if (r->status == 0)
        http_fail(r, ERR_INTERNAL);
}

bool http_handle(const struct site_list *sites, struct request *r, const struct http_input *in)
{
    int rc = pipeline(sites, r, in);
    if (rc == 0 && req_deferred(r))
        return false;
    if (rc != 0)
        r->defer_start = NULL; /* a handler that deferred and then failed */
    settle(r, rc);
    return true;
}

void http_complete(struct request *r, int rc)
{
    int (*complete)(struct request *, int) = r->defer_complete;
    r->defer_start = NULL;
    rc = complete ? complete(r, rc) : -ERR_INTERNAL;
    if (rc == 0 && req_deferred(r)) /* a completion may not defer again */
        rc = -ERR_INTERNAL;
    settle(r, rc);
}
