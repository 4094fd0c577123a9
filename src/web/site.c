/* The pages as a site at "/": the route table, the static files embedded in
 * the binary, the security headers and redirects, and the check of paths
 * that a redirect may lead to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/session.h"
#include "util/strutil.h"
#include "web/public.h"
#include "web/web.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const static_query[] = {"v", NULL};
static const char *const next_query[] = {"next", "ended", "out", NULL};

/* clang-format off */
#define FIELDS(...) ((const struct route_field[]){__VA_ARGS__, {NULL, 0}})
#define REQ(name)   {name, RF_REQUIRED}
#define OPT(name)   {name, 0}
#define BACK(path)  (&(const struct web_doc){path, NULL})
#define NO_FIELDS   ((const struct route_field[]){{NULL, 0}}) /* the CSRF field only */
#define DESK_BACK   (&(const struct web_doc){"/desk", web_desk_refused})
/* clang-format on */

static const struct route web_routes[] = {
    /* layout and static files (site.c, layout.c) */
    {HTTP_GET, "/static/{name}", web_static, 0, ROUTE_PUBLIC, NULL, static_query, NULL},
    {HTTP_GET, "/lang/{tag}", web_lang, 0, ROUTE_PUBLIC, NULL, next_query, NULL},
    /* sign-in, sign-out, password, start pages (auth.c) */
    {HTTP_GET, "/signin", web_signin_form, 0, ROUTE_PUBLIC, NULL, next_query, NULL},
    {HTTP_POST, "/signin", web_signin, 0, ROUTE_PUBLIC,
     FIELDS(OPT("username"), OPT("password"), OPT("next")), NULL, BACK("/signin")},
    {HTTP_POST, "/signout", web_signout, R_ANY, ROUTE_USERS_ONLY, FIELDS(OPT("next")), NULL,
     BACK("/signin")},
    {HTTP_GET, "/password", web_password_form, R_ANY, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/password", web_password, R_ANY, ROUTE_USERS_ONLY,
     FIELDS(OPT("old"), OPT("new"), OPT("again")), NULL, BACK("/password")},
    {HTTP_GET, "/start", web_start, R_ANY, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    /* the box office (boxoffice.c) */
    {HTTP_GET, "/box-office", web_boxoffice, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/box-office/check", web_boxoffice_check, R_VENUE,
     ROUTE_USERS_ONLY | ROUTE_CARD_CODES, FIELDS(OPT("card")), NULL, BACK("/box-office")},
    {HTTP_POST, "/box-office/event", web_boxoffice_event, R_VENUE, ROUTE_USERS_ONLY,
     FIELDS(REQ("event")), NULL, BACK("/box-office")},
    {HTTP_POST, "/box-office/record", web_boxoffice_record, R_VENUE,
     ROUTE_USERS_ONLY | ROUTE_CARD_CODES,
     FIELDS(OPT("card"), REQ("event"), OPT("adult"), OPT("child"), OPT("companion"), OPT("channel"),
            REQ("key")),
     NULL, BACK("/box-office")},
    {HTTP_GET, "/box-office/undo/{id}", web_boxoffice_undo_form, R_VENUE, ROUTE_USERS_ONLY, NULL,
     NULL, NULL},
    {HTTP_POST, "/box-office/undo/{id}", web_boxoffice_undo, R_VENUE, ROUTE_USERS_ONLY, NO_FIELDS,
     NULL, BACK("/box-office")},
    /* the handout desk (desk.c, desk_stock.c) */
    {HTTP_GET, "/desk", web_desk, R_DISTRIBUTOR, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/desk/handout", web_desk_handout, R_DISTRIBUTOR,
     ROUTE_USERS_ONLY | ROUTE_CARD_CODES,
     FIELDS(OPT("card"), OPT("handed_out_on"), OPT("birth_year"), OPT("mother_tongue"),
            OPT("gender"), OPT("postal_code"), OPT("life_situation"), OPT("renews"), REQ("key")),
     NULL, DESK_BACK},
    {HTTP_POST, "/desk/more", web_desk_more, R_DISTRIBUTOR, ROUTE_USERS_ONLY, FIELDS(OPT("count")),
     NULL, DESK_BACK},
    {HTTP_POST, "/desk/transfer", web_desk_transfer, R_DISTRIBUTOR, ROUTE_USERS_ONLY,
     FIELDS(OPT("codes"), OPT("to_unit")), NULL, DESK_BACK},
    {HTTP_POST, "/desk/cancel", web_desk_cancel, R_DISTRIBUTOR, ROUTE_USERS_ONLY | ROUTE_CARD_CODES,
     FIELDS(OPT("cancel_card"), OPT("reason")), NULL, DESK_BACK},
    {HTTP_GET, "/desk/cancel", web_desk_cancel_form, R_DISTRIBUTOR, ROUTE_USERS_ONLY, NULL, NULL,
     NULL},
    {HTTP_POST, "/desk/cancel/confirm", web_desk_cancel_confirm, R_DISTRIBUTOR, ROUTE_USERS_ONLY,
     NO_FIELDS, NULL, DESK_BACK},
    /* the public pages, no sign-in (public.c) */
    {HTTP_GET, "/", web_public_home, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
    {HTTP_GET, "/offer", web_public_offer, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
    {HTTP_GET, "/offer/{region}", web_public_region, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
    {HTTP_GET, "/where", web_public_where, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
    {HTTP_GET, "/privacy", web_public_privacy, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
    {HTTP_GET, "/check", web_public_check_form, 0, ROUTE_PUBLIC, NULL, NULL, NULL},
    {HTTP_POST, "/check", web_public_check, 0, ROUTE_PUBLIC | ROUTE_CARD_CODES, FIELDS(OPT("card")),
     NULL, BACK("/check")},
    /* imports from paper and Excel (imports.c): a file upload each */
    {HTTP_GET, "/import/handouts", web_import_handouts_form,
     R_DISTRIBUTOR | R_COORDINATOR | R_NATIONAL, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/import/handouts", web_import_handouts, R_DISTRIBUTOR | R_COORDINATOR | R_NATIONAL,
     ROUTE_USERS_ONLY | ROUTE_UPLOAD | ROUTE_CARD_CODES, FIELDS(OPT("unit")), NULL,
     BACK("/import/handouts")},
    {HTTP_GET, "/import/uses", web_import_uses_form, R_VENUE | R_COORDINATOR | R_NATIONAL,
     ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/import/uses", web_import_uses, R_VENUE | R_COORDINATOR | R_NATIONAL,
     ROUTE_USERS_ONLY | ROUTE_UPLOAD | ROUTE_CARD_CODES, FIELDS(OPT("venue")), NULL,
     BACK("/import/uses")},
};

static const char *const web_cookies[] = {SESSION_COOKIE, WEB_LANG_COOKIE, WEB_PRE_COOKIE,
                                          WEB_CHECK_COOKIE, NULL};

const struct site web_site = {
    .name = "web",
    .prefix = "/",
    .routes = web_routes,
    .nroutes = ARRAY_LEN(web_routes),
    .body = &body_form,
    .render_error = web_render_error,
    .csrf = CSRF_FROM_FIELD,
    .csrf_name = WEB_CSRF_FIELD,
    .cookies = web_cookies,
    .lang_from_cookie = true,
    .lang_cookie_index = WEB_COOKIE_LANG,
    .lang_fallback = LANG_FI,
};

bool web_page_exists(const char *path)
{
    for (size_t i = 0; i < ARRAY_LEN(web_routes); i++)
        if (web_routes[i].method == HTTP_GET && strcmp(web_routes[i].pattern, path) == 0)
            return true;
    return false;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool web_path_safe(const char *path)
{
    if (!path || path[0] != '/')
        return false;
    size_t n = strlen(path);
    if (n > WEB_PATH_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            return false;
        if (c == '/' && path[i + 1] == '/')
            return false;
        if (c == '%') {
            int hi = hex(path[i + 1]), lo = hi < 0 ? -1 : hex(path[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            int v = hi * 16 + lo;
            if (v < 0x20 || v == 0x7f || v == '/' || v == '\\' || v == '%')
                return false;
        }
    }
    /* a scheme before the first "/", "?" or "#" would make it absolute;
     * a path starting with "/" has none, but "/:" stays refused as odd */
    return path[1] != ':';
}

const char *web_start_path(enum role role)
{
    if (role == ROLE_VENUE)
        return "/box-office";
    if (role == ROLE_DISTRIBUTOR && web_page_exists("/desk"))
        return "/desk";
    return "/start";
}

const char *web_t(const struct request *r, const char *key)
{
    return i18n_text(r->lang, key);
}

void web_identify(struct request *r)
{
    if (r->authenticated || r->method != HTTP_GET || !r->cookies[WEB_COOKIE_SESSION])
        return;
    struct error_details keep = r->details;
    if (session_authenticate(r, NULL, r->cookies[WEB_COOKIE_SESSION], NULL) != 0 ||
        r->actor.api_key != 0) {
        r->authenticated = false;
        r->has_session = false;
    }
    r->details = keep;
}

/* ---- headers and redirects ---- */

#define CSP                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; " \
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

int web_security_headers(struct request *r)
{
    for (const struct http_header *h = r->headers; h; h = h->next)
        if (strcmp(h->name, "Content-Security-Policy") == 0)
            return 0;
    if (reply_header(r, "Content-Security-Policy", CSP) != 0 ||
        reply_header(r, "Referrer-Policy", "same-origin") != 0 ||
        reply_header(r, "X-Frame-Options", "DENY") != 0 ||
        reply_header(r, "Content-Language", i18n_tag(r->lang)) != 0 ||
        reply_header(r, "Vary", "Accept-Language, Cookie") != 0)
        return -ERR_INTERNAL;
    return 0;
}

int web_redirect(struct request *r, const char *location)
{
    int rc;
    if ((rc = reply_header(r, "Location", arena_strdup(&r->arena, location))) != 0 ||
        (rc = web_security_headers(r)) != 0)
        return rc;
    return reply_bytes(r, 303, "text/plain; charset=utf-8", NULL, 0);
}

/* ---- static files ---- */

const struct web_asset *web_asset(const char *name)
{
    for (size_t i = 0; i < web_nassets; i++)
        if (strcmp(web_assets[i].name, name) == 0)
            return &web_assets[i];
    return NULL;
}

/* The stylesheet and the script, from the binary. Their links carry the
 * digest of their bytes (?v=), so they may be kept for a year. */
int web_static(struct request *r)
{
    const struct web_asset *a = web_asset(r->params[0]);
    if (!a)
        return -ERR_NOT_FOUND;
    int rc;
    char quoted[80];
    snprintf(quoted, sizeof quoted, "\"%s\"", a->version);
    const char *etag = arena_strdup(&r->arena, quoted);
    const char *v = req_query(r, "v");
    const char *cache = v && strcmp(v, a->version) == 0 ? "public, max-age=31536000, immutable"
                                                        : "public, max-age=300";
    if ((rc = reply_header(r, "Cache-Control", cache)) != 0 ||
        (rc = reply_header(r, "ETag", etag)) != 0 || (rc = web_security_headers(r)) != 0)
        return rc;
    char *copy = malloc(a->size);
    if (!copy)
        return -ERR_INTERNAL;
    memcpy(copy, a->data, a->size);
    return reply_bytes(r, 200, a->media_type, copy, a->size);
}
