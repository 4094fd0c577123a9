/* The one layout of every page (header with the language switch and who is
 * signed in, one <main>, a footer with the public pages), the language
 * switch itself and the site's error pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/session.h"
#include "util/strutil.h"
#include "web/web.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_LAYOUT_KEYS(X)     \
    X("page.site.name")        \
    X("page.skip")             \
    X("page.lang.nav")         \
    X("page.lang.fi")          \
    X("page.lang.sv")          \
    X("page.lang.en")          \
    X("page.signed_in")        \
    X("page.signed_in_all")    \
    X("page.signout")          \
    X("page.password.link")    \
    X("page.role.national")    \
    X("page.role.coordinator") \
    X("page.role.distributor") \
    X("page.role.venue")       \
    X("page.footer.nav")       \
    X("page.nav.front")        \
    X("page.nav.offer")        \
    X("page.nav.where")        \
    X("page.nav.privacy")      \
    X("page.nav.check")        \
    X("page.nav.signin")       \
    X("page.nav.start")        \
    X("page.error.back")       \
    X("page.error.csrf")       \
    X("page.error.retry")      \
    X("page.error.not_found")  \
    X("page.errors.summary")

#define KEY(k) k,
static const char *const layout_keys[] = {WEB_LAYOUT_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_layout_keys = {layout_keys, ARRAY_LEN(layout_keys)};

/* Every key that a page passes to i18n_plural() (a count in a sentence),
 * whichever family's list it is in: test_i18n checks that each is a plural
 * entry (msgid_plural) with every form of its language translated, and that
 * no other entry is plural. */
#define WEB_PLURAL_KEYS(X)                  \
    X("page.error.retry")                   \
    X("page.boxoffice.event.left")          \
    X("page.boxoffice.n.adult")             \
    X("page.boxoffice.n.child")             \
    X("page.boxoffice.n.companion")         \
    X("page.boxoffice.todo.cap_reached")    \
    X("page.boxoffice.today.uses")          \
    X("page.public.events.lead")            \
    X("page.public.events.none")            \
    X("page.public.event.booking")          \
    X("page.public.event.collection")       \
    X("page.desk.stock.count")              \
    X("page.desk.stock.more_codes")         \
    X("page.desk.more.done")                \
    X("page.desk.transfer.done")            \
    X("page.coord.stock.add.done")          \
    X("page.coord.stock.err.too_many")      \
    X("page.coord.stock.transfer.approved") \
    X("page.coord.reports.venue.more")      \
    X("page.national.audit.shown")          \
    X("page.venue.err.cap_used")            \
    X("page.venue.err.capacity_used")       \
    X("page.venue.series.created")          \
    X("page.venue.series.extended")         \
    X("page.venue.series.closed.done")      \
    X("page.venue.uses.n.uses")             \
    X("page.venue.uses.n.adult")            \
    X("page.venue.uses.n.child")            \
    X("page.venue.uses.n.companion")        \
    X("page.import.recorded.text")

#define KEY(k) k,
static const char *const plural_keys[] = {WEB_PLURAL_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_plural_keys = {plural_keys, ARRAY_LEN(plural_keys)};

/* The public pages in the footer, each shown once its page exists. */
static const struct {
    const char *path, *key;
} footer_links[] = {
    {"/", "page.nav.front"},          {"/offer", "page.nav.offer"}, {"/where", "page.nav.where"},
    {"/privacy", "page.nav.privacy"}, {"/check", "page.nav.check"},
};

static const char *const role_keys[ROLE_COUNT] = {
    [ROLE_NATIONAL] = "page.role.national",
    [ROLE_COORDINATOR] = "page.role.coordinator",
    [ROLE_DISTRIBUTOR] = "page.role.distributor",
    [ROLE_VENUE] = "page.role.venue",
};

/* path percent-encoded for a query value: unreserved bytes and "/" stay. */
static void query_encode(const char *path, char *out, size_t cap)
{
    static const char digits[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < cap; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            out[o++] = (char)*p;
        else {
            out[o++] = '%';
            out[o++] = digits[*p >> 4];
            out[o++] = digits[*p & 15];
        }
    }
    out[o] = '\0';
}

static void asset_link(struct html *h, const char *name, const char *before, const char *after)
{
    const struct web_asset *a = web_asset(name);
    if (!a)
        return;
    char url[96];
    snprintf(url, sizeof url, "/static/%s?v=%s", a->name, a->version);
    html_raw(h, before);
    html_attr(h, before[1] == 'l' ? "href" : "src", url);
    html_raw(h, after);
}

static void language_switch(struct page *p)
{
    static const enum lang langs[] = {LANG_FI, LANG_SV, LANG_EN};
    static const char *const names[] = {"page.lang.fi", "page.lang.sv", "page.lang.en"};
    const char *here = p->r->path && web_path_safe(p->r->path) ? p->r->path : "/";
    char next[WEB_PATH_MAX * 3 + 1];
    query_encode(here, next, sizeof next);
    html_raw(&p->h, "<nav class=\"langs\"");
    html_attr(&p->h, "aria-label", i18n_text(p->lang, "page.lang.nav"));
    html_raw(&p->h, "><ul>");
    for (size_t i = 0; i < ARRAY_LEN(langs); i++) {
        char url[sizeof next + 16];
        snprintf(url, sizeof url, "/lang/%s?next=%s", i18n_tag(langs[i]), next);
        html_raw(&p->h, "<li><a");
        html_href(&p->h, "href", url);
        html_attr(&p->h, "lang", i18n_tag(langs[i]));
        html_attr(&p->h, "hreflang", i18n_tag(langs[i]));
        html_attr(&p->h, "id",
                  langs[i] == LANG_FI   ? "lang-fi"
                  : langs[i] == LANG_SV ? "lang-sv"
                                        : "lang-en");
        if (langs[i] == p->lang)
            html_raw(&p->h, " aria-current=\"true\"");
        html_raw(&p->h, ">");
        html_text(&p->h, i18n_text(langs[i], names[i]));
        html_raw(&p->h, "</a></li>");
    }
    html_raw(&p->h, "</ul></nav>");
}

static void who(struct page *p)
{
    const struct actor *a = &p->r->actor;
    const char *args[] = {a->user, i18n_text(p->lang, role_keys[a->role]), a->scope};
    html_raw(&p->h, "<div class=\"who\"><p id=\"signed-in\">");
    html_textf(&p->h, i18n_text(p->lang, a->scope[0] ? "page.signed_in" : "page.signed_in_all"),
               args, 3);
    html_raw(&p->h, "</p><a id=\"password-link\" href=\"/password\">");
    html_text(&p->h, i18n_text(p->lang, "page.password.link"));
    html_raw(&p->h, "</a><form method=\"post\" action=\"/signout\" class=\"inline\">");
    page_csrf_field(p);
    html_raw(&p->h, "<button type=\"submit\" id=\"signout\" class=\"link\">");
    html_text(&p->h, i18n_text(p->lang, "page.signout"));
    html_raw(&p->h, "</button></form></div>");
}

void page_begin(struct page *p, struct request *r, const char *title)
{
    *p = (struct page){.r = r, .lang = r->lang};
    web_identify(r);
    p->signed_in = r->authenticated && r->has_session;
    if (p->signed_in && r->cookies[WEB_COOKIE_SESSION])
        session_csrf(r->cookies[WEB_COOKIE_SESSION], p->csrf);
    struct html *h = &p->h;
    html_raw(h, "<!doctype html>\n<html");
    html_attr(h, "lang", i18n_tag(p->lang));
    html_raw(h, "><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    html_text(h, title);
    html_raw(h, " · ");
    html_text(h, i18n_text(p->lang, "page.site.name"));
    html_raw(h, "</title>");
    asset_link(h, "icon.svg", "<link rel=\"icon\" type=\"image/svg+xml\"", ">");
    asset_link(h, "kaiku.css", "<link rel=\"stylesheet\"", ">");
    asset_link(h, "kaiku.js", "<script", " defer></script>");
    html_raw(h, "</head><body><a class=\"skip\" href=\"#main\">");
    html_text(h, i18n_text(p->lang, "page.skip"));
    html_raw(h, "</a><header class=\"top\"><div class=\"wrap\"><a class=\"brand\"");
    html_href(h, "href",
              p->signed_in           ? web_start_path(r->actor.role)
              : web_page_exists("/") ? "/"
                                     : "/signin");
    html_raw(h, ">");
    html_text(h, i18n_text(p->lang, "page.site.name"));
    html_raw(h, "</a>");
    language_switch(p);
    if (p->signed_in)
        who(p);
    html_raw(h, "</div></header><main id=\"main\" tabindex=\"-1\"><div class=\"wrap\">");
}

int page_end(struct page *p, int status)
{
    struct html *h = &p->h;
    html_raw(h, "</div></main><footer class=\"bottom\"><div class=\"wrap\"><nav");
    html_attr(h, "aria-label", i18n_text(p->lang, "page.footer.nav"));
    html_raw(h, "><ul>");
    for (size_t i = 0; i < ARRAY_LEN(footer_links); i++) {
        if (!web_page_exists(footer_links[i].path))
            continue;
        html_raw(h, "<li><a");
        html_href(h, "href", footer_links[i].path);
        html_raw(h, ">");
        html_text(h, i18n_text(p->lang, footer_links[i].key));
        html_raw(h, "</a></li>");
    }
    html_raw(h, "<li><a");
    html_href(h, "href", p->signed_in ? web_start_path(p->r->actor.role) : "/signin");
    html_raw(h, ">");
    html_text(h, i18n_text(p->lang, p->signed_in ? "page.nav.start" : "page.nav.signin"));
    html_raw(h, "</a></li></ul></nav></div></footer></body></html>\n");
    size_t len;
    char *buf = html_take(h, &len);
    if (!buf)
        return -ERR_INTERNAL;
    int rc = web_security_headers(p->r);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    return reply_bytes(p->r, status, "text/html; charset=utf-8", buf, len);
}

void page_csrf_field(struct page *p)
{
    html_raw(&p->h, "<input type=\"hidden\"");
    html_attr(&p->h, "name", WEB_CSRF_FIELD);
    html_attr(&p->h, "value", p->csrf);
    html_raw(&p->h, ">");
}

void page_heading(struct page *p, const char *heading, const char *text)
{
    html_raw(&p->h, "<h1>");
    html_text(&p->h, heading);
    html_raw(&p->h, "</h1>");
    if (text) {
        html_raw(&p->h, "<p class=\"lead\">");
        html_text(&p->h, text);
        html_raw(&p->h, "</p>");
    }
}

void page_notice(struct page *p, const char *kind, const char *heading, const char *text)
{
    const bool alert = strcmp(kind, "error") == 0 || strcmp(kind, "warn") == 0;
    const char *icon = strcmp(kind, "ok") == 0      ? "\xe2\x9c\x94" /* ✔ */
                       : strcmp(kind, "error") == 0 ? "\xe2\x9c\x96" /* ✖ */
                       : strcmp(kind, "warn") == 0  ? "!"
                                                    : "i";
    html_raw(&p->h, "<div");
    char cls[32];
    snprintf(cls, sizeof cls, "notice notice-%s", kind);
    html_attr(&p->h, "class", cls);
    html_attr(&p->h, "role", alert ? "alert" : "status");
    html_raw(&p->h, "><span class=\"icon\" aria-hidden=\"true\">");
    html_text(&p->h, icon);
    html_raw(&p->h, "</span><div><p class=\"notice-heading\">");
    html_text(&p->h, heading);
    html_raw(&p->h, "</p>");
    if (text) {
        html_raw(&p->h, "<p>");
        html_text(&p->h, text);
        html_raw(&p->h, "</p>");
    }
    html_raw(&p->h, "</div></div>");
}

void page_error_summary(struct page *p, const struct page_error *e, size_t n)
{
    if (n == 0)
        return;
    html_raw(&p->h, "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" "
                    "tabindex=\"-1\"><h2>");
    html_text(&p->h, i18n_text(p->lang, "page.errors.summary"));
    html_raw(&p->h, "</h2><ul>");
    for (size_t i = 0; i < n; i++) {
        char href[80];
        snprintf(href, sizeof href, "#%s", e[i].field);
        html_raw(&p->h, "<li><a");
        html_attr(&p->h, "href", href);
        html_raw(&p->h, ">");
        html_text(&p->h, e[i].text);
        html_raw(&p->h, "</a></li>");
    }
    html_raw(&p->h, "</ul></div>");
}

void page_input(struct page *p, const struct page_field *f)
{
    struct html *h = &p->h;
    char hint_id[80], error_id[80], described[170] = "";
    snprintf(hint_id, sizeof hint_id, "%s-hint", f->id);
    snprintf(error_id, sizeof error_id, "%s-error", f->id);
    html_raw(h,
             f->error ? "<div class=\"field field-error\"><label" : "<div class=\"field\"><label");
    html_attr(h, "for", f->id);
    html_raw(h, ">");
    html_text(h, f->label);
    html_raw(h, "</label>");
    if (f->hint) {
        html_raw(h, "<p class=\"hint\"");
        html_attr(h, "id", hint_id);
        html_raw(h, ">");
        html_text(h, f->hint);
        html_raw(h, "</p>");
        snprintf(described, sizeof described, "%s", hint_id);
    }
    if (f->error) {
        html_raw(h, "<p class=\"error-text\"");
        html_attr(h, "id", error_id);
        html_raw(h, ">");
        html_text(h, f->error);
        html_raw(h, "</p>");
        size_t used = strlen(described);
        snprintf(described + used, sizeof described - used, "%s%s", used ? " " : "", error_id);
    }
    html_raw(h, "<input");
    html_attr(h, "id", f->id);
    html_attr(h, "name", f->id);
    html_attr(h, "type", f->type ? f->type : "text");
    if (f->value)
        html_attr(h, "value", f->value);
    if (f->autocomplete)
        html_attr(h, "autocomplete", f->autocomplete);
    if (f->inputmode)
        html_attr(h, "inputmode", f->inputmode);
    if (described[0])
        html_attr(h, "aria-describedby", described);
    if (f->error)
        html_raw(h, " aria-invalid=\"true\"");
    if (f->required)
        html_raw(h, " required");
    if (f->autofocus)
        html_raw(h, " autofocus");
    html_raw(h, "></div>");
}

/* ---- the language switch ---- */

/* GET /lang/{tag}?next=/path: remembers the language in a cookie for a
 * year and goes back to the page (a same-site path only). */
int web_lang(struct request *r)
{
    const char *tag = r->params[0];
    int lang = -1;
    for (int l = 0; l < LANG_COUNT; l++)
        if (strcmp(tag, i18n_tag((enum lang)l)) == 0)
            lang = l;
    if (lang < 0)
        return -ERR_NOT_FOUND;
    r->lang = (enum lang)lang;
    char cookie[128];
    snprintf(cookie, sizeof cookie, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s",
             WEB_LANG_COOKIE, tag, 365 * 24 * 3600, r->secure ? "; Secure" : "");
    int rc = reply_header(r, "Set-Cookie", arena_strdup(&r->arena, cookie));
    if (rc != 0)
        return rc;
    const char *next = req_query(r, "next");
    return web_redirect(r, next && web_path_safe(next) ? next : "/signin");
}

/* ---- error pages ---- */

static void signin_redirect(struct request *r)
{
    const struct web_doc *doc = r->route ? r->route->doc : NULL;
    const char *back = r->method == HTTP_GET && r->path ? r->path : doc ? doc->back : "/";
    if (!web_path_safe(back))
        back = "/";
    char next[WEB_PATH_MAX * 3 + 1], url[sizeof next + 40];
    query_encode(back, next, sizeof next);
    snprintf(url, sizeof url, "/signin?next=%s%s", next,
             r->cookies[WEB_COOKIE_SESSION] ? "&ended=1" : "");
    r->headers = NULL; /* what the failed step added */
    r->headers_end = NULL;
    if (reply_header(r, "Set-Cookie", session_cookie(r, "", 0)) != 0 || web_redirect(r, url) != 0)
        r->status = 500;
}

void web_render_error(struct request *r, int err)
{
    const struct web_doc *doc = r->route ? r->route->doc : NULL;
    if (doc && doc->refused && doc->refused(r, err))
        return;
    if (err == ERR_UNAUTHENTICATED) {
        signin_redirect(r);
        return;
    }
    struct page p;
    page_begin(&p, r, error_message(err, r->lang));
    const char *text = NULL;
    char retry[I18N_NUMBER_LEN + 80];
    if (err == ERR_FORBIDDEN && r->details.field && strcmp(r->details.field, WEB_CSRF_FIELD) == 0)
        text = i18n_text(p.lang, "page.error.csrf");
    else if (err == ERR_NOT_FOUND)
        text = i18n_text(p.lang, "page.error.not_found");
    else if (err == ERR_RATE_LIMITED && r->details.key) {
        char minutes[I18N_NUMBER_LEN];
        i18n_number(p.lang, (r->details.value + 59) / 60, minutes);
        const char *args[] = {minutes};
        text_fill(retry, sizeof retry,
                  i18n_plural(p.lang, "page.error.retry", (r->details.value + 59) / 60), args, 1);
        text = retry;
    }
    page_heading(&p, error_message(err, p.lang), text);
    html_raw(&p.h, "<p><a");
    html_href(&p.h, "href",
              p.signed_in            ? web_start_path(r->actor.role)
              : web_page_exists("/") ? "/"
                                     : "/signin");
    html_raw(&p.h, ">");
    html_text(&p.h, i18n_text(p.lang, "page.error.back"));
    html_raw(&p.h, "</a></p>");
    if (page_end(&p, error_status(err)) != 0) {
        r->status = 500;
        r->reply = NULL;
    }
}
