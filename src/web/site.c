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
static const char *const report_query[] = {"year", "venue", "from", "to", NULL};
static const char *const audit_query[] = {"user", "action", "from", "to", "after", NULL};
static const char *const minimum_query[] = {"capacity", "kind", "guest_producer", NULL};
static const char *const period_query[] = {"from", "to", NULL};
static const char *const download_query[] = {"format", "from", "to", NULL};

/* clang-format off */
#define FIELDS(...) ((const struct route_field[]){__VA_ARGS__, {NULL, 0}})
#define REQ(name)   {name, RF_REQUIRED}
#define OPT(name)   {name, 0}
#define BACK(path)  (&(const struct web_doc){path, NULL})
#define NO_FIELDS   ((const struct route_field[]){{NULL, 0}}) /* the CSRF field only */
#define DESK_BACK   (&(const struct web_doc){"/desk", web_desk_refused})
#define EVENT_BACK(path) (&(const struct web_doc){path, web_venue_event_refused})
#define EVENT_FIELDS FIELDS(OPT("name"), OPT("kind"), OPT("date"), OPT("time"), OPT("capacity"), \
                            OPT("guest_producer"), OPT("cap"), OPT("booking_opens_days"),        \
                            OPT("collection_opens_minutes"), OPT("excluded"),                   \
                            OPT("exclusion_reason"), OPT("action"), OPT("key"))
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
    /* the coordinator's pages of the region (coord_glance.c, coord.c, coord_users.c) */
    {HTTP_GET, "/region", web_coord_glance, R_COORDINATOR, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_GET, "/region/units", web_coord_units, R_COORDINATOR, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/region/units", web_coord_unit_add, R_COORDINATOR, ROUTE_USERS_ONLY,
     FIELDS(OPT("id"), OPT("name")), NULL, BACK("/region/units")},
    {HTTP_GET, "/region/units/{id}", web_coord_unit_form, R_COORDINATOR, ROUTE_USERS_ONLY, NULL,
     NULL, NULL},
    {HTTP_POST, "/region/units/{id}", web_coord_unit_rename, R_COORDINATOR, ROUTE_USERS_ONLY,
     FIELDS(OPT("name")), NULL, BACK("/region/units")},
    {HTTP_GET, "/region/venues", web_coord_venues, R_COORDINATOR, ROUTE_USERS_ONLY, NULL, NULL,
     NULL},
    {HTTP_POST, "/region/venues", web_coord_venue_add, R_COORDINATOR, ROUTE_USERS_ONLY,
     FIELDS(OPT("id"), OPT("name"), OPT("category"), OPT("accessibility"), OPT("free_cloakroom")),
     NULL, BACK("/region/venues")},
    {HTTP_GET, "/region/venues/{id}", web_coord_venue_form, R_COORDINATOR, ROUTE_USERS_ONLY, NULL,
     NULL, NULL},
    {HTTP_POST, "/region/venues/{id}", web_coord_venue_save, R_COORDINATOR, ROUTE_USERS_ONLY,
     FIELDS(OPT("name"), OPT("category"), OPT("accessibility"), OPT("accessibility_sv"),
            OPT("accessibility_en"), OPT("free_cloakroom")),
     NULL, BACK("/region/venues")},
    {HTTP_GET, "/region/users", web_coord_users, R_COORDINATOR, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/region/users", web_coord_user_add, R_COORDINATOR, ROUTE_USERS_ONLY,
     FIELDS(OPT("username"), OPT("password"), OPT("place")), NULL, BACK("/region/users")},
    {HTTP_GET, "/region/users/{username}/disable", web_coord_user_disable_form, R_COORDINATOR,
     ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/region/users/{username}/disable", web_coord_user_disable, R_COORDINATOR,
     ROUTE_USERS_ONLY, NO_FIELDS, NULL, BACK("/region/users")},
    {HTTP_POST, "/region/users/{username}/enable", web_coord_user_enable, R_COORDINATOR,
     ROUTE_USERS_ONLY, NO_FIELDS, NULL, BACK("/region/users")},
    {HTTP_GET, "/region/users/{username}/password", web_coord_user_password_form, R_COORDINATOR,
     ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/region/users/{username}/password", web_coord_user_password, R_COORDINATOR,
     ROUTE_USERS_ONLY, FIELDS(OPT("new"), OPT("again")), NULL, BACK("/region/users")},
    /* the coordinator's card stock (coord_stock.c) */
    {HTTP_GET, "/region/stock", web_coord_stock, R_COORDINATOR, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/region/stock", web_coord_stock_add, R_COORDINATOR,
     ROUTE_USERS_ONLY | ROUTE_CARD_CODES, FIELDS(OPT("unit"), OPT("kind"), OPT("codes")), NULL,
     BACK("/region/stock")},
    {HTTP_POST, "/region/transfers/{id}/approve", web_coord_transfer_decide, R_COORDINATOR,
     ROUTE_USERS_ONLY, NO_FIELDS, NULL, BACK("/region/stock")},
    {HTTP_POST, "/region/transfers/{id}/reject", web_coord_transfer_decide, R_COORDINATOR,
     ROUTE_USERS_ONLY, NO_FIELDS, NULL, BACK("/region/stock")},
    /* the coordinator's reports (coord_reports.c) */
    {HTTP_GET, "/region/reports", web_coord_reports, R_COORDINATOR, ROUTE_USERS_ONLY, NULL,
     report_query, NULL},
    {HTTP_GET, "/region/reports/cardholders/{format}", web_coord_report_cardholders, R_COORDINATOR,
     ROUTE_USERS_ONLY, NULL, report_query, NULL},
    {HTTP_GET, "/region/reports/venue/{format}", web_coord_report_venue, R_COORDINATOR,
     ROUTE_USERS_ONLY, NULL, report_query, NULL},
    {HTTP_GET, "/region/reports/statistics/{format}", web_coord_report_statistics, R_COORDINATOR,
     ROUTE_USERS_ONLY, NULL, report_query, NULL},
    /* the national service's pages (national.c, national_audit.c) */
    {HTTP_GET, "/national", web_national, R_NATIONAL, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/national/regions", web_national_region_add, R_NATIONAL, ROUTE_USERS_ONLY,
     FIELDS(OPT("id"), OPT("name"), OPT("pilot_ends_on")), NULL, BACK("/national")},
    {HTTP_GET, "/national/regions/{id}", web_national_region_form, R_NATIONAL, ROUTE_USERS_ONLY,
     NULL, NULL, NULL},
    {HTTP_POST, "/national/regions/{id}", web_national_region_update, R_NATIONAL, ROUTE_USERS_ONLY,
     FIELDS(OPT("name"), OPT("pilot_ends_on"), OPT("end_pilot")), NULL, BACK("/national")},
    {HTTP_GET, "/national/popups", web_national_popups, R_NATIONAL, ROUTE_USERS_ONLY, NULL, NULL,
     NULL},
    {HTTP_POST, "/national/popups", web_national_popup_add, R_NATIONAL, ROUTE_USERS_ONLY,
     FIELDS(OPT("id"), OPT("name"), OPT("category"), OPT("accessibility"), OPT("free_cloakroom")),
     NULL, BACK("/national/popups")},
    {HTTP_GET, "/national/audit", web_national_audit, R_NATIONAL, ROUTE_USERS_ONLY, NULL,
     audit_query, NULL},
    {HTTP_GET, "/national/stats", web_national_stats, R_NATIONAL, ROUTE_USERS_ONLY, NULL,
     report_query, NULL},
    {HTTP_GET, "/national/stats/{format}", web_national_stats_download, R_NATIONAL,
     ROUTE_USERS_ONLY, NULL, report_query, NULL},
    /* the venue's own pages (venue.c, venue_events.c) */
    {HTTP_GET, "/venue", web_venue_home, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_GET, "/venue/events", web_venue_events, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_GET, "/venue/events/new", web_venue_event_new, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL,
     NULL},
    {HTTP_POST, "/venue/events/new", web_venue_event_create, R_VENUE, ROUTE_USERS_ONLY,
     EVENT_FIELDS, NULL, EVENT_BACK("/venue/events/new")},
    {HTTP_GET, "/venue/events/minimum", web_venue_event_minimum, R_VENUE, ROUTE_USERS_ONLY, NULL,
     minimum_query, NULL},
    {HTTP_GET, "/venue/events/{id}", web_venue_event, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/venue/events/{id}", web_venue_event_save, R_VENUE, ROUTE_USERS_ONLY, EVENT_FIELDS,
     NULL, EVENT_BACK("/venue/events")},
    {HTTP_GET, "/venue/uses/{id}/undo", web_venue_undo_form, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL,
     NULL},
    {HTTP_POST, "/venue/uses/{id}/undo", web_venue_undo, R_VENUE, ROUTE_USERS_ONLY, NO_FIELDS, NULL,
     BACK("/venue/events")},
    /* the venue's recurring admissions (venue_series.c) */
    {HTTP_GET, "/venue/series", web_venue_series_list, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_GET, "/venue/series/new", web_venue_series_new, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL,
     NULL},
    {HTTP_POST, "/venue/series/new", web_venue_series_create, R_VENUE, ROUTE_USERS_ONLY,
     FIELDS(OPT("name"), OPT("first_day"), OPT("last_day"), OPT("weekday"), OPT("time"),
            OPT("capacity"), OPT("cap"), OPT("exceptions"), OPT("action"), OPT("key")),
     NULL, (&(const struct web_doc){"/venue/series/new", web_venue_series_refused})},
    {HTTP_GET, "/venue/series/{id}", web_venue_series, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/venue/series/{id}/extend", web_venue_series_extend, R_VENUE, ROUTE_USERS_ONLY,
     FIELDS(OPT("extend_last"), OPT("extend_exceptions")), NULL, BACK("/venue/series")},
    {HTTP_GET, "/venue/series/{id}/close", web_venue_series_close_form, R_VENUE, ROUTE_USERS_ONLY,
     NULL, NULL, NULL},
    {HTTP_POST, "/venue/series/{id}/close", web_venue_series_close, R_VENUE, ROUTE_USERS_ONLY,
     FIELDS(OPT("from")), NULL, BACK("/venue/series")},
    /* the venue's usage report and API keys (venue_report.c, venue_admin.c) */
    {HTTP_GET, "/venue/report", web_venue_report, R_VENUE, ROUTE_USERS_ONLY, NULL, period_query,
     NULL},
    {HTTP_GET, "/venue/report/download", web_venue_report_download, R_VENUE, ROUTE_USERS_ONLY, NULL,
     download_query, NULL},
    {HTTP_GET, "/venue/details", web_venue_details, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/venue/details", web_venue_details_save, R_VENUE, ROUTE_USERS_ONLY,
     FIELDS(OPT("accessibility"), OPT("accessibility_sv"), OPT("accessibility_en"),
            OPT("free_cloakroom")),
     NULL, (&(const struct web_doc){"/venue/details", web_venue_details_refused})},
    {HTTP_GET, "/venue/keys", web_venue_keys_page, R_VENUE, ROUTE_USERS_ONLY, NULL, NULL, NULL},
    {HTTP_POST, "/venue/keys", web_venue_key_create, R_VENUE, ROUTE_USERS_ONLY,
     FIELDS(OPT("label"), OPT("key")), NULL,
     (&(const struct web_doc){"/venue/keys", web_venue_key_refused})},
    {HTTP_GET, "/venue/keys/{id}/revoke", web_venue_key_revoke_form, R_VENUE, ROUTE_USERS_ONLY,
     NULL, NULL, NULL},
    {HTTP_POST, "/venue/keys/{id}/revoke", web_venue_key_revoke, R_VENUE, ROUTE_USERS_ONLY,
     NO_FIELDS, NULL, BACK("/venue/keys")},
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
    if (role == ROLE_COORDINATOR && web_page_exists("/region"))
        return "/region";
    if (role == ROLE_NATIONAL && web_page_exists("/national"))
        return "/national";
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
