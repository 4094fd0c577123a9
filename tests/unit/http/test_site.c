/* http/dispatch.c with a second site beside the API: a tiny page site at /
 * with form bodies, its CSRF value in a form field and errors as HTML
 * pages. Requests are driven through the whole pipeline (site by prefix,
 * route, media type, body, sign-in and CSRF, fields, handler) without a
 * socket, so the transport is shown to serve more than JSON; and a reply
 * carries every header it was given, in order. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/site.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "http/inflight.h"
#include "http/session.h"
#include "store/store.h"
#include "util/secret.h"
#include "util/strutil.h"

/* ---- the page site ---- */

#define HEADERS_MANY 12

static char *page_text(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s", a, b);
    return p;
}

static int page_reply(struct request *r, int status, const char *body)
{
    char *html = page_text("<!doctype html><main>", body);
    if (!html)
        return -ERR_INTERNAL;
    return reply_bytes(r, status, "text/html; charset=utf-8", html, strlen(html));
}

/* POST /notes: a form read with the same field readers as the API, then
 * post/redirect/get. */
static int notes_create(struct request *r)
{
    const char *title, **tags;
    int64_t count = 1;
    size_t ntags;
    int rc;
    if ((rc = field_text(r, "title", FIELD_REQUIRED, 20, &title)) < 0 ||
        (rc = field_int(r, "count", 0, 1, 9, &count)) < 0 ||
        (rc = field_texts(r, "tags", 0, 4, &tags, &ntags)) < 0)
        return rc;
    char location[64];
    snprintf(location, sizeof location, "/notes/%s/%lld/%zu", title, (long long)count, ntags);
    if ((rc = reply_header(r, "Location", arena_strdup(&r->arena, location))) != 0)
        return rc;
    return page_reply(r, 303, "moved");
}

/* GET /many: a page with many headers of its own. */
static int many_headers(struct request *r)
{
    for (int i = 0; i < HEADERS_MANY; i++) {
        char name[16], value[16];
        snprintf(name, sizeof name, "X-Many-%02d", i);
        snprintf(value, sizeof value, "v%d", i);
        int rc = reply_header(r, arena_strdup(&r->arena, name), arena_strdup(&r->arena, value));
        if (rc != 0)
            return rc;
    }
    static const char *const named[][2] = {
        {"Set-Cookie", "a=1; HttpOnly"},
        {"Set-Cookie", "b=2; HttpOnly"},
        {"Content-Security-Policy", "default-src 'self'"},
        {"Vary", "Accept-Language"},
        {"Content-Language", "fi"},
    };
    for (size_t i = 0; i < ARRAY_LEN(named); i++)
        if (reply_header(r, named[i][0], named[i][1]) != 0)
            return -ERR_INTERNAL;
    return page_reply(r, 200, "many");
}

static void render_html_error(struct request *r, int err)
{
    char *html = page_text("<!doctype html><title>", error_code(err));
    if (html)
        reply_bytes(r, error_status(err), "text/html; charset=utf-8", html, strlen(html));
}

static const struct route page_routes[] = {
    {HTTP_POST, "/notes", notes_create, R_ANY, 0,
     (const struct route_field[]){{"title", RF_REQUIRED}, {"count", 0}, {"tags", 0}, {NULL, 0}},
     NULL, NULL},
    {HTTP_GET, "/many", many_headers, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
};

static const struct site page_site = {
    .name = "pages",
    .prefix = "/",
    .routes = page_routes,
    .nroutes = ARRAY_LEN(page_routes),
    .body = &body_form,
    .render_error = render_html_error,
    .csrf = CSRF_FROM_FIELD,
    .csrf_name = "csrf",
};

/* ---- a transport made of strings ---- */

struct fake {
    const char *headers[8][2];
    const char *cookie; /* kaiku_session */
};

static const char *fake_header(void *ctx, const char *name)
{
    struct fake *f = ctx;
    for (size_t i = 0; i < ARRAY_LEN(f->headers) && f->headers[i][0]; i++)
        if (strcasecmp(f->headers[i][0], name) == 0)
            return f->headers[i][1];
    return NULL;
}

static const char *fake_cookie(void *ctx, const char *name)
{
    struct fake *f = ctx;
    return strcmp(name, SESSION_COOKIE) == 0 ? f->cookie : NULL;
}

static void fake_query(void *ctx, bool (*each)(void *arg, const char *key, const char *value),
                       void *arg)
{
    (void)ctx;
    (void)each;
    (void)arg;
}

struct fixture {
    char dir[256];
    struct store *s;
    char token[SECRET_TOKEN_LEN + 1];
    char csrf[SECRET_TOKEN_LEN + 1];
};

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    assert_int_equal(secret_init(), 0);
    str_copy(f.dir, sizeof f.dir, tmpdir_make());
    char path[300];
    snprintf(path, sizeof path, "%s/kaiku.db", f.dir);
    assert_int_equal(store_open(path, &f.s), 0);
    assert_int_equal(store_migrate(f.s, NULL, NULL), 0);
    struct actor nat = {.user = "nat", .role = ROLE_NATIONAL, .now = (int64_t)time(NULL)};
    const struct user pat = {"pat", ROLE_NATIONAL, "", false};
    assert_int_equal(store_user_add(f.s, &nat, &pat, "$h"), 0);
    uint8_t digest[SECRET_DIGEST_BYTES];
    secret_token(f.token);
    secret_digest(f.token, strlen(f.token), digest);
    assert_int_equal(store_session_add(f.s, digest, "pat", nat.now, nat.now + 3600), 0);
    session_csrf(f.token, f.csrf);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    tmpdir_remove(f->dir);
    return 0;
}

static const struct site *const both[] = {&api_health_site, &api_site, &page_site};
static const struct site_list sites = {both, ARRAY_LEN(both)};

/* Runs one request; the reply stays in *r (request_release after). */
static void run(struct fixture *fx, struct request *r, const char *method, const char *path,
                struct fake *f, const char *body)
{
    memset(r, 0, sizeof *r);
    r->store = fx->s;
    r->lang = LANG_EN;
    r->actor.now = (int64_t)time(NULL);
    str_copy(r->actor.address, sizeof r->actor.address, "192.0.2.1");
    const struct http_input in = {.method = method,
                                  .path = path,
                                  .body = body,
                                  .body_len = body ? strlen(body) : 0,
                                  .header = fake_header,
                                  .cookie = fake_cookie,
                                  .query = fake_query,
                                  .ctx = f};
    assert_true(http_handle(&sites, r, &in));
}

static const char *header_of(const struct request *r, const char *name)
{
    for (const struct http_header *h = r->headers; h; h = h->next)
        if (strcmp(h->name, name) == 0)
            return h->value;
    return NULL;
}

#define FORM "application/x-www-form-urlencoded"

static void test_form_site(void **state)
{
    struct fixture *fx = *state;
    char with_csrf[200], csrf_wrong[200];
    snprintf(with_csrf, sizeof with_csrf, "title=Hei+maailma&tags=a&tags=b&count=3&csrf=%s",
             fx->csrf);
    /* the right value but for its last character (1 in 64 tokens ends in "A") */
    snprintf(csrf_wrong, sizeof csrf_wrong, "title=x&csrf=%.*s%c", SECRET_TOKEN_LEN - 1, fx->csrf,
             fx->csrf[SECRET_TOKEN_LEN - 1] == 'A' ? 'B' : 'A');
    const char *cookie = fx->token;
    static char header_csrf[SECRET_TOKEN_LEN + 1];
    str_copy(header_csrf, sizeof header_csrf, fx->csrf);
    const struct {
        const char *method, *path, *content_type, *cookie, *csrf_header, *body;
        int status;
        const char *content_type_out; /* prefix */
        const char *body_out;         /* a part of the reply */
        const char *location;
    } cases[] = {
        /* the form, its CSRF field, post/redirect/get */
        {"POST", "/notes", FORM, cookie, NULL, with_csrf, 303, "text/html", "moved",
         "/notes/Hei maailma/3/2"},
        /* no CSRF field, a wrong one, or the API's header instead: refused */
        {"POST", "/notes", FORM, cookie, NULL, "title=x", 403, "text/html", "forbidden", NULL},
        {"POST", "/notes", FORM, cookie, NULL, csrf_wrong, 403, "text/html", "forbidden", NULL},
        {"POST", "/notes", FORM, cookie, header_csrf, "title=x", 403, "text/html", "forbidden",
         NULL},
        /* errors of every step rendered as the site's HTML */
        {"POST", "/notes", FORM, NULL, NULL, "title=x", 401, "text/html", "unauthenticated", NULL},
        {"POST", "/notes", "application/json", cookie, NULL, "{\"title\":\"x\"}", 415, "text/html",
         "unsupported_media_type", NULL},
        {"POST", "/notes", FORM, cookie, NULL, "title=x&hetu=1", 400, "text/html",
         "identity_data_refused", NULL},
        {"POST", "/notes", FORM, cookie, NULL, "title=%ZZ", 400, "text/html", "invalid_request",
         NULL},
        {"GET", "/notes", NULL, cookie, NULL, NULL, 405, "text/html", "method_not_allowed", NULL},
        {"GET", "/nothing", NULL, NULL, NULL, NULL, 404, "text/html", "not_found", NULL},
        /* the API beside it keeps its JSON, also for its own 404 */
        {"GET", "/api/v1/nothing", NULL, NULL, NULL, NULL, 404, NULL, "\"error\":\"not_found\"",
         NULL},
        {"GET", "/healthz", NULL, NULL, NULL, NULL, 200, NULL, "{\"status\":\"ok\"}", NULL},
        {"POST", "/api/v1/login", FORM, NULL, NULL, "username=pat&password=x", 415, NULL,
         "\"error\":\"unsupported_media_type\"", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fake f = {.cookie = cases[i].cookie};
        int k = 0;
        if (cases[i].content_type) {
            f.headers[k][0] = "Content-Type";
            f.headers[k++][1] = cases[i].content_type;
        }
        if (cases[i].csrf_header) {
            f.headers[k][0] = "X-CSRF-Token";
            f.headers[k++][1] = cases[i].csrf_header;
        }
        struct request r;
        run(fx, &r, cases[i].method, cases[i].path, &f, cases[i].body);
        if (r.status != cases[i].status)
            fail_msg("case %zu: status %d, want %d", i, r.status, cases[i].status);
        if (cases[i].content_type_out)
            assert_non_null(r.content_type);
        if (cases[i].content_type_out &&
            strncmp(r.content_type, cases[i].content_type_out, strlen(cases[i].content_type_out)))
            fail_msg("case %zu: %s", i, r.content_type);
        if (!cases[i].content_type_out)
            assert_null(r.content_type); /* JSON */
        char reply[512];
        snprintf(reply, sizeof reply, "%.*s", (int)r.reply_len, r.reply ? r.reply : "");
        if (!strstr(reply, cases[i].body_out))
            fail_msg("case %zu: %s", i, reply);
        const char *location = header_of(&r, "Location");
        if (cases[i].location)
            assert_string_equal(location, cases[i].location);
        else
            assert_null(location);
        request_release(&r);
    }
}

/* A reply keeps every header, in the order added, none dropped. */
static void test_many_headers(void **state)
{
    struct fixture *fx = *state;
    struct fake f = {0};
    struct request r;
    run(fx, &r, "GET", "/many", &f, NULL);
    assert_int_equal(r.status, 200);
    size_t n = 0, cookies = 0;
    for (const struct http_header *h = r.headers; h; h = h->next, n++) {
        if (n < HEADERS_MANY) {
            char name[16], value[16];
            snprintf(name, sizeof name, "X-Many-%02zu", n);
            snprintf(value, sizeof value, "v%zu", n);
            assert_string_equal(h->name, name);
            assert_string_equal(h->value, value);
        }
        cookies += strcmp(h->name, "Set-Cookie") == 0;
    }
    assert_int_equal(n, HEADERS_MANY + 5);
    assert_int_equal(cookies, 2);
    assert_string_equal(header_of(&r, "Content-Security-Policy"), "default-src 'self'");
    assert_string_equal(header_of(&r, "Vary"), "Accept-Language");
    assert_string_equal(header_of(&r, "Content-Language"), "fi");
    request_release(&r);
}

/* One principal holds at most INFLIGHT_PER_PRINCIPAL requests at once (a
 * request counts until it is released): the next is 503 with Retry-After;
 * a public route is not counted; one released makes room. */
static void test_in_flight_per_principal(void **state)
{
    struct fixture *fx = *state;
    char bearer[SECRET_TOKEN_LEN + 8];
    snprintf(bearer, sizeof bearer, "Bearer %s", fx->token);
    struct fake f = {.headers = {{"Authorization", bearer}}};
    static struct request held[INFLIGHT_PER_PRINCIPAL];
    for (size_t i = 0; i < INFLIGHT_PER_PRINCIPAL; i++) {
        run(fx, &held[i], "GET", "/api/v1/regions", &f, NULL);
        assert_int_equal(held[i].status, 200);
    }
    struct request r;
    run(fx, &r, "GET", "/api/v1/regions", &f, NULL);
    assert_int_equal(r.status, 503);
    assert_string_equal(header_of(&r, "Retry-After"), "1");
    request_release(&r);
    struct fake anonymous = {0};
    run(fx, &r, "GET", "/healthz", &anonymous, NULL);
    assert_int_equal(r.status, 200);
    request_release(&r);
    request_release(&held[0]);
    run(fx, &r, "GET", "/api/v1/regions", &f, NULL);
    assert_int_equal(r.status, 200);
    request_release(&r);
    for (size_t i = 1; i < INFLIGHT_PER_PRINCIPAL; i++)
        request_release(&held[i]);
}

/* The longest prefix wins; a prefix is a whole path segment. */
static void test_site_find(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const struct site *site;
    } cases[] = {
        {"/api/v1/uses", &api_site},
        {"/api/v1", &api_site},
        {"/api/v1x", &page_site},
        {"/api/v2/uses", &page_site},
        {"/healthz", &api_health_site},
        {"/healthzz", &page_site},
        {"/", &page_site},
        {"/notes", &page_site},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (site_find(&sites, cases[i].path) != cases[i].site)
            fail_msg("case %zu: %s", i, cases[i].path);
    assert_null(site_find(&api_sites, "/notes")); /* the API alone: no site, 404 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_site),
        cmocka_unit_test(test_many_headers),
        cmocka_unit_test(test_site_find),
        cmocka_unit_test(test_in_flight_per_principal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
