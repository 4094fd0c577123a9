/* The web pages: a second site at "/" beside the API (web_site, served by
 * `kaiku serve`), server-rendered HTML that works without JavaScript.
 *
 * Each page family has its own file with its handlers and its catalogue
 * keys (an X-macro list exported as a struct i18n_keys that test_i18n
 * checks): layout.c (the one layout, the language switch, error pages),
 * auth.c (sign-in, sign-out, password, start pages), boxoffice.c (venue
 * staff). site.c holds the route table, the static files and the security
 * headers every reply carries. */
#ifndef KAIKU_WEB_WEB_H
#define KAIKU_WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/i18n.h"
#include "http/request.h"
#include "http/site.h"
#include "web/html.h"

extern const struct site web_site;

/* The cookies the site reads, by their index in r->cookies. */
enum web_cookie {
    WEB_COOKIE_SESSION, /* kaiku_session (http/session.h) */
    WEB_COOKIE_LANG,    /* kaiku_lang: "fi", "sv" or "en" */
    WEB_COOKIE_PRE,     /* kaiku_pre: the pre-session token of the sign-in form */
};
#define WEB_LANG_COOKIE "kaiku_lang"
#define WEB_PRE_COOKIE  "kaiku_pre"
#define WEB_CSRF_FIELD  "csrf" /* every form's CSRF token */

/* What a route of the site says about itself (struct route's doc): for a
 * POST, the page its form is on, where sign-in returns to when the session
 * had ended; and optionally the page family's own answer to a refusal made
 * before its handler ran (the form reader's R10 refusal shown next to the
 * field): true when it has made the reply. */
struct web_doc {
    const char *back;
    bool (*refused)(struct request *r, int err);
};

/* A same-site path to send someone to after sign-in or a language switch:
 * starts with one "/", at most WEB_PATH_MAX bytes of printable ASCII, no
 * backslash, no "//" anywhere, no percent-encoded "/", "\" or control
 * character, no scheme. */
#define WEB_PATH_MAX 200
bool web_path_safe(const char *path);

/* ---- a page being written ---- */

struct page {
    struct request *r;
    struct html h;
    enum lang lang;
    bool signed_in;
    char csrf[SECRET_TOKEN_LEN + 1]; /* the session's form token, "" when none */
};

/* The catalogue text of key in the request's language. */
const char *web_t(const struct request *r, const char *key);

/* Starts a page: the doctype, head (title " · Kaikukortti"), the header with
 * the language switch and who is signed in, then <main>. */
void page_begin(struct page *p, struct request *r, const char *title);
/* Ends <main>, writes the footer and makes it r's reply with status and
 * the security headers. Returns 0 or -ERR_INTERNAL. */
int page_end(struct page *p, int status);
/* <input type="hidden" name="csrf" value="…"> with the session's token. */
void page_csrf_field(struct page *p);
/* An <h1> with the text, and a paragraph of text when text is not NULL. */
void page_heading(struct page *p, const char *heading, const char *text);
/* A message box: kind "ok", "warn", "error" or "info", with an icon, a
 * heading and an optional text, all escaped. role="status" or "alert". */
void page_notice(struct page *p, const char *kind, const char *heading, const char *text);

/* A form's errors, summarised at the top with links to their fields
 * (GOV.UK and suomi.fi patterns) and shown again next to each field. */
struct page_error {
    const char *field; /* the input's id */
    const char *text;
};
void page_error_summary(struct page *p, const struct page_error *e, size_t n);

/* One labelled input: label, an optional hint and the field's error, the
 * input described by both. name is the id. */
struct page_field {
    const char *id, *label, *type, *value, *autocomplete, *hint;
    const char *error; /* NULL: none */
    bool autofocus, required;
    const char *inputmode; /* NULL: none */
};
void page_input(struct page *p, const struct page_field *f);

/* Whether the site has a GET page at exactly this path (the footer links,
 * the start pages: a page built later appears in them by itself). */
bool web_page_exists(const char *path);

/* Where a role lands after sign-in. */
const char *web_start_path(enum role role);

/* Signs r in from its session cookie on a public GET page (the layout then
 * says who is signed in). Nothing happens without a valid session. */
void web_identify(struct request *r);

/* 303 See Other to location (a same-site path), with the security headers. */
int web_redirect(struct request *r, const char *location);
/* The headers every reply of the site carries (CSP, Referrer-Policy,
 * Content-Language, Vary); added once per request. */
int web_security_headers(struct request *r);

/* The error page of the site (struct site's render_error): an HTML page in
 * r->lang. An ended session on a page leads to sign-in and back. */
void web_render_error(struct request *r, int err);

/* The embedded static files (src/web/static/, cmake/embed_static.cmake). */
struct web_asset {
    const char *name;       /* "kaiku.css" */
    const char *media_type; /* "text/css; charset=utf-8" */
    const unsigned char *data;
    size_t size;
    const char *version; /* a digest of the bytes, for the ?v= of the link */
};
extern const struct web_asset web_assets[];
extern const size_t web_nassets;
/* The asset called name, or NULL. */
const struct web_asset *web_asset(const char *name);

/* ---- handlers ---- */

int web_static(struct request *r);
int web_lang(struct request *r);
int web_signin_form(struct request *r);
int web_signin(struct request *r);
int web_signout(struct request *r);
int web_password_form(struct request *r);
int web_password(struct request *r);
int web_start(struct request *r);
int web_boxoffice(struct request *r);
int web_boxoffice_check(struct request *r);
int web_boxoffice_record(struct request *r);
int web_boxoffice_event(struct request *r);
int web_boxoffice_undo_form(struct request *r);
int web_boxoffice_undo(struct request *r);
int web_desk(struct request *r);
int web_desk_handout(struct request *r);
bool web_desk_refused(struct request *r, int err);
int web_desk_more(struct request *r);
int web_desk_transfer(struct request *r);
int web_desk_cancel(struct request *r);
int web_desk_cancel_form(struct request *r);
int web_desk_cancel_confirm(struct request *r);
/* the venue's own pages (venue.c, venue_events.c, venue_admin.c, venue_report.c) */
int web_venue_home(struct request *r);
int web_venue_events(struct request *r);
int web_venue_event_new(struct request *r);
int web_venue_event_create(struct request *r);
int web_venue_event(struct request *r);
int web_venue_event_save(struct request *r);
bool web_venue_event_refused(struct request *r, int err);
int web_venue_event_minimum(struct request *r);
int web_venue_undo_form(struct request *r);
int web_venue_undo(struct request *r);
int web_venue_keys_page(struct request *r);
int web_venue_key_create(struct request *r);
bool web_venue_key_refused(struct request *r, int err);
int web_venue_key_revoke_form(struct request *r);
int web_venue_key_revoke(struct request *r);
int web_venue_report(struct request *r);
int web_venue_series_list(struct request *r);
int web_venue_series_new(struct request *r);
int web_venue_series_create(struct request *r);
bool web_venue_series_refused(struct request *r, int err);
int web_venue_series(struct request *r);
int web_venue_series_extend(struct request *r);
int web_venue_series_close_form(struct request *r);
int web_venue_series_close(struct request *r);
int web_venue_details(struct request *r);
int web_venue_details_save(struct request *r);
bool web_venue_details_refused(struct request *r, int err);
int web_venue_report_download(struct request *r);

/* the coordinator's pages (coord.c, coord_users.c, coord_stock.c,
 * coord_reports.c, coord_glance.c) */
int web_coord_glance(struct request *r);
int web_coord_units(struct request *r);
int web_coord_unit_add(struct request *r);
int web_coord_unit_form(struct request *r);
int web_coord_unit_rename(struct request *r);
int web_coord_venues(struct request *r);
int web_coord_venue_add(struct request *r);
int web_coord_venue_form(struct request *r);
int web_coord_venue_save(struct request *r);
int web_coord_users(struct request *r);
int web_coord_user_add(struct request *r);
int web_coord_user_disable_form(struct request *r);
int web_coord_user_disable(struct request *r);
int web_coord_user_enable(struct request *r);
int web_coord_user_password_form(struct request *r);
int web_coord_user_password(struct request *r);
int web_coord_stock(struct request *r);
int web_coord_stock_add(struct request *r);
int web_coord_transfer_decide(struct request *r);
int web_coord_reports(struct request *r);
int web_coord_report_cardholders(struct request *r);
int web_coord_report_venue(struct request *r);
int web_coord_report_statistics(struct request *r);
/* the national pages (national.c, national_audit.c) */
int web_national(struct request *r);
int web_national_region_add(struct request *r);
int web_national_region_form(struct request *r);
int web_national_region_update(struct request *r);
int web_national_popups(struct request *r);
int web_national_popup_add(struct request *r);
int web_national_audit(struct request *r);
int web_national_stats(struct request *r);
int web_national_stats_download(struct request *r);
/* imports from paper and Excel (imports.c) */
int web_import_handouts_form(struct request *r);
int web_import_handouts(struct request *r);
int web_import_uses_form(struct request *r);
int web_import_uses(struct request *r);

/* The catalogue keys of each page family, for test_i18n. */
extern const struct i18n_keys web_layout_keys;
extern const struct i18n_keys web_auth_keys;
extern const struct i18n_keys web_boxoffice_keys;
extern const struct i18n_keys web_desk_keys;
/* Of all those, the keys of counted sentences, passed to i18n_plural(). */
extern const struct i18n_keys web_plural_keys;
extern const struct i18n_keys web_net_keys;
extern const struct i18n_keys web_coord_keys;
extern const struct i18n_keys web_coord_stock_keys;
extern const struct i18n_keys web_coord_reports_keys;
extern const struct i18n_keys web_coord_glance_keys;
extern const struct i18n_keys web_national_keys;
extern const struct i18n_keys web_venue_keys;
extern const struct i18n_keys web_venue_events_keys;
extern const struct i18n_keys web_venue_uses_keys;
extern const struct i18n_keys web_venue_admin_keys;
extern const struct i18n_keys web_venue_report_keys;
extern const struct i18n_keys web_venue_series_keys;
extern const struct i18n_keys web_import_keys;

#endif
