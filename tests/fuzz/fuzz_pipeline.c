/* libFuzzer target for the whole request pipeline (http/dispatch.c) through
 * the site tables of both sites — the API's (/healthz, /api/v1) and the
 * pages' (/) — on a real store: a temporary SQLite database with a small
 * network, its users signed in, and a venue's API key.
 *
 * An input is a request as text, close to HTTP/1.1:
 *
 *     AS METHOD TARGET            AS: - nat coord dist venue key
 *     Name: value                 any number of header lines
 *     <empty line>
 *     body
 *
 * TARGET is a path with an optional query string, split and unescaped as
 * the server does (http_unescape: %00 stays as written; '+' is a space in
 * the query). Headers reach the pipeline as the transport's lookups; a
 * Cookie header is split into cookies. "$TOKEN" and "$CSRF" anywhere are
 * replaced by the session token (or API key) of AS and its CSRF value, so
 * that seeds reach the handlers behind sign-in; Accept-Language chooses the
 * language (R36) and X-Forwarded-For the address (a trusted proxy's peer).
 * A deferred request (a use) is started and completed as the server would.
 *
 * Besides "no crash, no sanitizer report, no leak" it checks what the
 * pipeline promises for any request: a status from the table of replies;
 * never 500; a JSON reply that parses and, if an error, names a code of the
 * error table; every page with its Content-Security-Policy; a redirect
 * within the site; and the access log's
 * path without control characters. Between inputs the harness repairs what
 * an input may have ended (a session signed out, a user disabled, a key
 * revoked), so that every input meets the same actors. */
#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api/site.h"
#include "core/error.h"
#include "core/i18n.h"
#include "http/dispatch.h"
#include "http/proxy.h"
#include "http/ratelimit.h"
#include "http/server.h"
#include "http/session.h"
#include "http/signin.h"
#include "store/store.h"
#include "util/date.h"
#include "util/secret.h"
#include "util/strutil.h"
#include "web/web.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define INPUT_MAX    (64 * 1024)
#define HEADERS_MAX  24
#define QUERY_MAX    24
#define COOKIES_MAX  8
#define PASSWORD     "fuzzing-password-1"
#define PROXY        "192.0.2.1" /* the peer of every request: a trusted proxy */

static const struct site *const all[] = {&api_health_site, &api_site, &web_site};
static const struct site_list sites = {all, ARRAY_LEN(all)};

/* ---- the store and its actors ---- */

enum as { AS_NONE, AS_NAT, AS_COORD, AS_DIST, AS_VENUE, AS_KEY, AS_COUNT };

static const struct {
    const char *name; /* in the input */
    const char *user; /* NULL: none, or the API key */
    enum role role;
    const char *scope;
} actors[AS_COUNT] = {
    [AS_NONE] = {"-", NULL, ROLE_NATIONAL, ""},
    [AS_NAT] = {"nat", "fz-nat", ROLE_NATIONAL, ""},
    [AS_COORD] = {"coord", "fz-coord", ROLE_COORDINATOR, "r1"},
    [AS_DIST] = {"dist", "fz-dist", ROLE_DISTRIBUTOR, "u1"},
    [AS_VENUE] = {"venue", "fz-venue", ROLE_VENUE, "v1"},
    [AS_KEY] = {"key", NULL, ROLE_VENUE, "v1"},
};

static struct {
    char dir[128];
    struct store *s;
    struct proxy_list proxies;
    char token[AS_COUNT][SECRET_TOKEN_LEN + 1];
    char csrf[AS_COUNT][SECRET_TOKEN_LEN + 1];
} fz;

static struct actor cli(void)
{
    struct actor a = {.role = ROLE_NATIONAL, .now = (int64_t)time(NULL)};
    str_copy(a.user, sizeof a.user, USERNAME_CLI);
    str_copy(a.address, sizeof a.address, "local");
    return a;
}

/* A new session (or, for AS_KEY, a new API key of v1) for actor i. */
static void sign_in(enum as i)
{
    uint8_t digest[SECRET_DIGEST_BYTES];
    int64_t now = (int64_t)time(NULL);
    secret_token(fz.token[i]);
    secret_digest(fz.token[i], strlen(fz.token[i]), digest);
    session_csrf(fz.token[i], fz.csrf[i]);
    if (i == AS_KEY) {
        struct actor a = cli();
        int64_t id;
        (void)store_api_key_add(fz.s, &a, "v1", "fuzz", digest, &id);
    } else {
        (void)store_session_add(fz.s, digest, actors[i].user, now, now + 86400);
    }
}

/* What an input may have ended comes back: each actor's user enabled and
 * signed in, the key not revoked. */
static void repair(void)
{
    struct actor a = cli();
    for (enum as i = AS_NAT; i < AS_COUNT; i++) {
        uint8_t digest[SECRET_DIGEST_BYTES];
        secret_digest(fz.token[i], strlen(fz.token[i]), digest);
        struct user u;
        struct api_key k;
        bool alive = i == AS_KEY ? store_api_key_find(fz.s, digest, &k) == 0
                                 : store_session_get(fz.s, digest, a.now, &u, NULL) == 0;
        if (alive)
            continue;
        if (actors[i].user)
            (void)store_user_enable(fz.s, &a, actors[i].user);
        sign_in(i);
    }
    session_forget_all();
    ratelimit_reset();
    signin_throttle_reset();
}

static void cleanup(void)
{
    if (fz.s)
        store_close(fz.s);
    fz.s = NULL;
    if (!fz.dir[0])
        return;
    static const char *const files[] = {"kaiku.db", "kaiku.db-wal", "kaiku.db-shm",
                                        "kaiku.db-journal"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char path[200];
        snprintf(path, sizeof path, "%s/%s", fz.dir, files[i]);
        (void)remove(path);
    }
    (void)rmdir(fz.dir);
}

static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "fuzz_pipeline: setup: %s: %d\n", what, rc);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    must(secret_init(), "secret_init");
    /* On a RAM disk when there is one: every write syncs (synchronous=FULL). */
    snprintf(fz.dir, sizeof fz.dir, "%s/kaiku-fuzz-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(fz.dir))
        must(-1, "mkdtemp");
    atexit(cleanup);
    char path[200];
    snprintf(path, sizeof path, "%s/kaiku.db", fz.dir);
    must(store_open(path, &fz.s), "store_open");
    must(store_migrate(fz.s, NULL, NULL), "store_migrate");
    must(proxy_add(&fz.proxies, PROXY), "proxy_add");

    struct actor a = cli();
    const struct region r1 = {"r1", "Region 1", -1}, r2 = {"r2", "Region 2", -1};
    const struct unit u1 = {"u1", "r1", "Unit 1"}, u2 = {"u2", "r2", "Unit 2"},
                      u3 = {"u3", "r1", "Unit 3"};
    const struct venue v1 = {"v1", "r1", "Venue 1", CAT_THEATRE, "", false, "", ""},
                       v2 = {"v2", "r2", "Venue 2", CAT_MUSEUM, "", true, "", ""};
    must(store_region_add(fz.s, &a, &r1) || store_region_add(fz.s, &a, &r2), "regions");
    must(store_unit_add(fz.s, &a, &u1) || store_unit_add(fz.s, &a, &u2) ||
             store_unit_add(fz.s, &a, &u3),
         "units");
    must(store_venue_add(fz.s, &a, &v1) || store_venue_add(fz.s, &a, &v2), "venues");
    char hash[SECRET_HASH_MAX + 1];
    must(secret_hash_password(PASSWORD, hash), "hash");
    for (enum as i = AS_NAT; i < AS_COUNT; i++) {
        if (!actors[i].user)
            continue;
        struct user u = {.role = actors[i].role};
        str_copy(u.username, sizeof u.username, actors[i].user);
        str_copy(u.scope, sizeof u.scope, actors[i].scope);
        must(store_user_add(fz.s, &a, &u, hash), "user");
    }
    /* Cards A1..A9 in u1's stock (A1, A2 handed out), B1..B3 in u2's. */
    static const char a_codes[][CODE_MAX + 1] = {"A1", "A2", "A3", "A4", "A5",
                                                 "A6", "A7", "A8", "A9"};
    static const char b_codes[][CODE_MAX + 1] = {"B1", "B2", "B3"};
    must(store_stock_add(fz.s, &a, "u1", CARD_PERSONAL, a_codes, ARRAY_LEN(a_codes), NULL),
         "stock u1");
    must(store_stock_add(fz.s, &a, "u2", CARD_PERSONAL, b_codes, ARRAY_LEN(b_codes), NULL),
         "stock u2");
    struct actor dist = a;
    dist.role = ROLE_DISTRIBUTOR;
    str_copy(dist.user, sizeof dist.user, "fz-dist");
    str_copy(dist.scope, sizeof dist.scope, "u1");
    for (int i = 0; i < 2; i++) {
        struct handout h = {.handed_out_on = hki_day(a.now) - 1,
                            .birth_year = 1980,
                            .gender = GENDER_FEMALE,
                            .life_situations = 1u << LIFE_STUDENT};
        str_copy(h.card, sizeof h.card, a_codes[i]);
        str_copy(h.mother_tongue, sizeof h.mother_tongue, "fi");
        str_copy(h.postal_code, sizeof h.postal_code, "02100");
        struct card c;
        must(store_handout_record(fz.s, &dist, &h, &c, NULL), "handout");
    }
    /* An event tonight at v1 and one at v2 (ids 1 and 2). */
    for (int i = 0; i < 2; i++) {
        struct event e = {.kind = EVENT_PERFORMANCE,
                          .starts_at = a.now + 3600,
                          .capacity = 100,
                          .cap = -1,
                          .booking_opens_days = -1,
                          .collection_opens_minutes = -1};
        str_copy(e.venue, sizeof e.venue, i == 0 ? "v1" : "v2");
        str_copy(e.name, sizeof e.name, i == 0 ? "Ilta" : "Näyttely");
        must(store_event_add(fz.s, &a, &e, NULL), "event");
    }
    for (enum as i = AS_NAT; i < AS_COUNT; i++)
        sign_in(i);
    return 0;
}

/* ---- the request as text ---- */

struct input {
    enum as as;
    char *method, *path, *query;
    const char *headers[HEADERS_MAX][2];
    size_t nheaders;
    char *cookies[COOKIES_MAX][2];
    size_t ncookies;
    char *params[QUERY_MAX][2];
    size_t nparams;
    const char *body;
    size_t body_len;
};

static const char *in_header(void *ctx, const char *name)
{
    const struct input *in = ctx;
    for (size_t i = 0; i < in->nheaders; i++)
        if (strcasecmp(in->headers[i][0], name) == 0)
            return in->headers[i][1];
    return NULL;
}

static const char *in_cookie(void *ctx, const char *name)
{
    const struct input *in = ctx;
    for (size_t i = 0; i < in->ncookies; i++)
        if (strcmp(in->cookies[i][0], name) == 0)
            return in->cookies[i][1];
    return NULL;
}

static void in_query(void *ctx, bool (*each)(void *arg, const char *key, const char *value),
                     void *arg)
{
    const struct input *in = ctx;
    for (size_t i = 0; i < in->nparams; i++)
        if (!each(arg, in->params[i][0], in->params[i][1]))
            return;
}

/* "$TOKEN" and "$CSRF" become the actor's; the text is NUL-terminated and
 * may hold NULs of its own (the body keeps them, lines end there). */
static char *expand(const uint8_t *data, size_t size, enum as as, size_t *len)
{
    const char *token = fz.token[as], *csrf = fz.csrf[as];
    char *out = malloc(size * (SECRET_TOKEN_LEN + 1) / 5 + size + 1);
    size_t o = 0;
    for (size_t i = 0; i < size;) {
        if (size - i >= 6 && memcmp(data + i, "$TOKEN", 6) == 0) {
            memcpy(out + o, token, strlen(token));
            o += strlen(token);
            i += 6;
        } else if (size - i >= 5 && memcmp(data + i, "$CSRF", 5) == 0) {
            memcpy(out + o, csrf, strlen(csrf));
            o += strlen(csrf);
            i += 5;
        } else {
            out[o++] = (char)data[i++];
        }
    }
    out[o] = '\0';
    *len = o;
    return out;
}

/* The next line of text at *p (up to "\n", without a "\r" before it). */
static char *next_line(char **p, char *end)
{
    if (*p >= end)
        return NULL;
    char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
    char *stop = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    if (stop > line && stop[-1] == '\r')
        stop--;
    *stop = '\0';
    return line;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* name=value; name2=value2 (as libmicrohttpd splits a Cookie header). */
static void split_cookies(struct input *in, char *header)
{
    for (char *save = NULL, *c = strtok_r(header, ";", &save); c && in->ncookies < COOKIES_MAX;
         c = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(c, '=');
        if (!eq)
            continue;
        *eq = '\0';
        in->cookies[in->ncookies][0] = trim(c);
        in->cookies[in->ncookies][1] = trim(eq + 1);
        in->ncookies++;
    }
}

static void query_unescape(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '+')
            *p = ' ';
    size_t n = http_unescape(s);
    assert(n == strlen(s)); /* %00 stays as written: no NUL cuts a value */
}

/* key=value&key2 (a key without '=' has the value ""). */
static void split_query(struct input *in, char *query)
{
    for (char *save = NULL, *q = strtok_r(query, "&", &save); q && in->nparams < QUERY_MAX;
         q = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(q, '=');
        if (eq)
            *eq = '\0';
        in->params[in->nparams][0] = q;
        in->params[in->nparams][1] = eq ? eq + 1 : q + strlen(q);
        query_unescape(in->params[in->nparams][0]);
        query_unescape(in->params[in->nparams][1]);
        in->nparams++;
    }
}

/* Parses text into in; false when the request line is not there. */
static bool parse(char *text, size_t len, struct input *in)
{
    char *p = text, *end = text + len;
    char *line = next_line(&p, end);
    if (!line)
        return false;
    char *save = NULL;
    char *as = strtok_r(line, " ", &save), *method = strtok_r(NULL, " ", &save),
         *target = strtok_r(NULL, " ", &save);
    if (!as || !method || !target)
        return false;
    in->as = AS_NONE;
    for (enum as i = AS_NONE; i < AS_COUNT; i++)
        if (strcmp(as, actors[i].name) == 0)
            in->as = i;
    in->method = method;
    char *q = strchr(target, '?');
    if (q)
        *q++ = '\0';
    in->path = target;
    size_t n = http_unescape(in->path); /* the path as libmicrohttpd hands it over */
    assert(n == strlen(in->path));
    while ((line = next_line(&p, end)) && line[0] != '\0' && in->nheaders < HEADERS_MAX) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        in->headers[in->nheaders][0] = trim(line);
        in->headers[in->nheaders][1] = trim(colon + 1);
        if (strcasecmp(in->headers[in->nheaders][0], "Cookie") == 0)
            split_cookies(in, colon + 1);
        else
            in->nheaders++;
    }
    if (q)
        split_query(in, q);
    in->body = p < end ? p : NULL;
    in->body_len = p < end ? (size_t)(end - p) : 0;
    return true;
}

/* ---- running it, and what must hold of any reply ---- */

static void on_done(void *token, int rc)
{
    *(int *)token = rc;
}

static const char *reply_header_value(const struct request *r, const char *name)
{
    for (const struct http_header *h = r->headers; h; h = h->next)
        if (strcasecmp(h->name, name) == 0)
            return h->value;
    return NULL;
}

static bool known_code(const char *code)
{
    for (int e = 1; e < ERR_COUNT; e++)
        if (strcmp(error_code(e), code) == 0)
            return true;
    return false;
}

static void check_reply(const struct request *r, const char *path)
{
    static const int statuses[] = {200, 201, 204, 303, 400, 401, 403, 404,
                                   405, 409, 413, 415, 422, 429, 503};
    bool listed = false;
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
        listed = listed || r->status == statuses[i];
    if (!listed || r->status == 500) {
        fprintf(stderr, "fuzz_pipeline: status %d for %s: %.*s\n", r->status, path,
                (int)(r->reply_len < 400 ? r->reply_len : 400), r->reply ? r->reply : "");
        abort();
    }
    if (r->reply && !r->content_type) { /* JSON */
        json_error_t err;
        json_t *j = json_loadb(r->reply, r->reply_len, 0, &err);
        assert(j);
        if (r->status >= 400) {
            const char *code = json_string_value(json_object_get(j, "error"));
            assert(code && known_code(code));
        }
        json_decref(j);
    }
    if (r->content_type && strncmp(r->content_type, "text/html", 9) == 0) {
        assert(reply_header_value(r, "Content-Security-Policy")); /* nosniff: the transport's */
    }
    if (r->status == 303) {
        const char *to = reply_header_value(r, "Location");
        assert(to && to[0] == '/' && to[1] != '/' && to[1] != '\\');
    }
    char logged[512];
    http_log_path(path, logged, sizeof logged);
    for (const char *c = logged; *c; c++)
        assert((unsigned char)*c >= 0x20 && *c != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_MAX)
        return 0;
    repair();
    enum as as = AS_NONE;
    for (enum as i = AS_NONE; i < AS_COUNT; i++) /* the actor first: it shapes expand() */
        if (size > strlen(actors[i].name) &&
            memcmp(data, actors[i].name, strlen(actors[i].name)) == 0 &&
            data[strlen(actors[i].name)] == ' ')
            as = i;
    size_t len;
    char *text = expand(data, size, as, &len);
    struct input in = {0};
    if (!text || !parse(text, len, &in)) {
        free(text);
        return 0;
    }
    in.as = as;

    struct request r;
    memset(&r, 0, sizeof r);
    r.store = fz.s;
    r.actor.now = (int64_t)time(NULL);
    proxy_client_address(&fz.proxies, PROXY, in_header(&in, "X-Forwarded-For"), r.actor.address);
    r.lang = i18n_negotiate(NULL, in_header(&in, "Accept-Language"), LANG_EN);
    const struct http_input hin = {.method = in.method,
                                   .path = in.path,
                                   .body = in.body,
                                   .body_len = in.body_len,
                                   .body_too_large = in.body_len > HTTP_BODY_MAX,
                                   .header = in_header,
                                   .cookie = in_cookie,
                                   .query = in_query,
                                   .ctx = &in};
    if (!http_handle(&sites, &r, &hin)) {
        /* deferred: not serving, so the store answers before start returns */
        int rc = 1;
        int err = r.defer_start(&r, on_done, &rc);
        assert(err != 0 || rc != 1);
        http_complete(&r, err != 0 ? err : rc);
    }
    check_reply(&r, in.path);
    if (getenv("KAIKU_FUZZ_TRACE")) /* what each seed reached: run it on the corpus's files */
        fprintf(stderr, "%s %s %s -> %d %.*s\n", actors[as].name, in.method, in.path, r.status,
                r.status >= 400 && r.reply ? (int)r.reply_len : 0, r.reply ? r.reply : "");
    request_release(&r);
    free(text);
    return 0;
}
