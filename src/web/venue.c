/* The venue's start page and what its page files share (web/venue.h): the
 * navigation, the once guard of a form, fields the layout has no helper
 * for, and the session of a form refused before its handler. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http/session.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/state.h"
#include "web/venue.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_VENUE_KEYS(X)         \
    X("page.venue.title")         \
    X("page.venue.heading")       \
    X("page.venue.lead")          \
    X("page.venue.nav")           \
    X("page.venue.nav.boxoffice") \
    X("page.venue.nav.events")    \
    X("page.venue.nav.series")    \
    X("page.venue.nav.details")   \
    X("page.venue.nav.keys")      \
    X("page.venue.nav.import")    \
    X("page.venue.nav.report")    \
    X("page.venue.nav.home")      \
    X("page.venue.upcoming")      \
    X("page.venue.upcoming.none")

#define KEY(k) k,
static const char *const venue_keys[] = {WEB_VENUE_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_venue_keys = {venue_keys, ARRAY_LEN(venue_keys)};

/* The venue's pages, in the navigation's order; each shown once its page
 * exists. */
static const struct {
    const char *path, *key;
} pages[] = {
    {VENUE_HOME, "page.venue.nav.home"},        {"/box-office", "page.venue.nav.boxoffice"},
    {"/venue/events", "page.venue.nav.events"}, {"/venue/series", "page.venue.nav.series"},
    {"/venue/report", "page.venue.nav.report"}, {"/venue/details", "page.venue.nav.details"},
    {"/venue/keys", "page.venue.nav.keys"},     {"/import/uses", "page.venue.nav.import"},
};

const char *venue_accessibility_text(const struct venue *v, enum lang lang)
{
    if (lang == LANG_SV && v->accessibility_sv[0])
        return v->accessibility_sv;
    if (lang == LANG_EN && v->accessibility_en[0])
        return v->accessibility_en;
    return v->accessibility;
}

void venue_nav(struct page *p, const char *current)
{
    html_raw(&p->h, "<nav class=\"venue-nav\"");
    html_attr(&p->h, "aria-label", i18n_text(p->lang, "page.venue.nav"));
    html_raw(&p->h, "><ul class=\"links\">");
    for (size_t i = 0; i < ARRAY_LEN(pages); i++) {
        if (!web_page_exists(pages[i].path))
            continue;
        html_raw(&p->h, "<li><a");
        html_href(&p->h, "href", pages[i].path);
        if (current && strcmp(current, pages[i].path) == 0)
            html_raw(&p->h, " aria-current=\"page\"");
        html_raw(&p->h, ">");
        html_text(&p->h, i18n_text(p->lang, pages[i].key));
        html_raw(&p->h, "</a></li>");
    }
    html_raw(&p->h, "</ul></nav>");
}

void venue_heading(struct page *p, const char *title, const char *current)
{
    venue_nav(p, current);
    html_raw(&p->h, "<h1>");
    html_text(&p->h, title);
    html_raw(&p->h, "</h1>");
}

const char *venue_pair(const struct request *r, const char *key)
{
    for (size_t i = 0; i < r->body.npairs; i++)
        if (strcmp(r->body.pairs[i].key, key) == 0)
            return r->body.pairs[i].value;
    return "";
}

/* ---- once per form ---- */

struct once_state {
    char key[SECRET_TOKEN_LEN + 1];
    int64_t id;
};

static pthread_mutex_t once_mu = PTHREAD_MUTEX_INITIALIZER;

int venue_once(struct request *r, const char *key,
               int (*make)(struct request *r, void *ctx, int64_t *id), void *ctx, int64_t *id,
               bool *replayed)
{
    *replayed = false;
    struct once_state st;
    pthread_mutex_lock(&once_mu);
    web_state_load(r, "venue-once", &st, sizeof st);
    int rc = 0;
    if (key && key[0] && strcmp(st.key, key) == 0) {
        *id = st.id;
        *replayed = true;
    } else if ((rc = make(r, ctx, id)) == 0 && key) {
        str_copy(st.key, sizeof st.key, key);
        st.id = *id;
        web_state_save(r, "venue-once", &st, sizeof st);
    }
    pthread_mutex_unlock(&once_mu);
    return rc;
}

void venue_key_field(struct page *p)
{
    char key[SECRET_TOKEN_LEN + 1];
    secret_token(key);
    html_raw(&p->h, "<input type=\"hidden\" name=\"key\"");
    html_attr(&p->h, "value", key);
    html_raw(&p->h, ">");
}

/* ---- fields ---- */

void venue_textarea(struct page *p, const char *id, const char *label, const char *hint,
                    const char *value, const char *error)
{
    struct html *h = &p->h;
    char hint_id[80], error_id[80], described[170] = "";
    snprintf(hint_id, sizeof hint_id, "%s-hint", id);
    snprintf(error_id, sizeof error_id, "%s-error", id);
    html_raw(h, error ? "<div class=\"field field-error\"><label" : "<div class=\"field\"><label");
    html_attr(h, "for", id);
    html_raw(h, ">");
    html_text(h, label);
    html_raw(h, "</label>");
    if (hint) {
        html_raw(h, "<p class=\"hint\"");
        html_attr(h, "id", hint_id);
        html_raw(h, ">");
        html_text(h, hint);
        html_raw(h, "</p>");
        snprintf(described, sizeof described, "%s", hint_id);
    }
    if (error) {
        html_raw(h, "<p class=\"error-text\"");
        html_attr(h, "id", error_id);
        html_raw(h, ">");
        html_text(h, error);
        html_raw(h, "</p>");
        size_t used = strlen(described);
        snprintf(described + used, sizeof described - used, "%s%s", used ? " " : "", error_id);
    }
    html_raw(h, "<textarea rows=\"4\"");
    html_attr(h, "id", id);
    html_attr(h, "name", id);
    if (described[0])
        html_attr(h, "aria-describedby", described);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    html_raw(h, ">");
    html_text(h, value ? value : "");
    html_raw(h, "</textarea></div>");
}

void venue_checkbox(struct page *p, const char *id, const char *label, bool checked)
{
    html_raw(&p->h, "<div class=\"choice field\"><input type=\"checkbox\" value=\"on\"");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "name", id);
    if (checked)
        html_raw(&p->h, " checked");
    html_raw(&p->h, "><label");
    html_attr(&p->h, "for", id);
    html_raw(&p->h, ">");
    html_text(&p->h, label);
    html_raw(&p->h, "</label></div>");
}

bool venue_refused_session(struct request *r)
{
    if (!r->body.pairs || !r->cookies[WEB_COOKIE_SESSION])
        return false;
    struct error_details keep = r->details;
    int rc = session_authenticate(r, NULL, r->cookies[WEB_COOKIE_SESSION],
                                  venue_pair(r, WEB_CSRF_FIELD));
    r->details = keep;
    if (rc != 0 || !r->has_session || r->actor.role != ROLE_VENUE)
        return false;
    r->headers = NULL;
    r->headers_end = NULL;
    r->status = 0;
    return true;
}

/* ---- the start page ---- */

struct upcoming {
    struct page *p;
    int n;
};

static int upcoming_row(void *ctx, const struct event *e)
{
    struct upcoming *u = ctx;
    if (u->n >= 5)
        return 1;
    char href[48];
    snprintf(href, sizeof href, "/venue/events/%lld", (long long)e->id);
    html_raw(&u->p->h, "<li><a");
    html_href(&u->p->h, "href", href);
    html_raw(&u->p->h, ">");
    html_text(&u->p->h, e->name);
    html_raw(&u->p->h, "</a> · ");
    html_date(&u->p->h, u->p->lang, hki_day(e->starts_at));
    html_raw(&u->p->h, " ");
    html_time(&u->p->h, u->p->lang, e->starts_at);
    html_raw(&u->p->h, "</li>");
    u->n++;
    return 0;
}

/* GET /venue: the venue's pages and its next events. */
int web_venue_home(struct request *r)
{
    struct venue v;
    if (store_venue_get(r->store, r->actor.scope, &v) != 0)
        str_copy(v.name, sizeof v.name, r->actor.scope);
    struct page p;
    char title[300];
    const char *args[] = {v.name};
    text_fill(title, sizeof title, i18n_text(r->lang, "page.venue.heading"), args, 1);
    page_begin(&p, r, title);
    venue_heading(&p, title, VENUE_HOME);
    html_raw(&p.h, "<p class=\"lead\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.lead"));
    html_raw(&p.h, "</p><h2>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.upcoming"));
    html_raw(&p.h, "</h2><ul id=\"upcoming\">");
    struct upcoming u = {&p, 0};
    struct event_filter f = {.venue = r->actor.scope, .from = r->actor.now, .to = 0};
    int rc = store_event_list(r->store, &f, upcoming_row, &u);
    if (rc < 0) {
        html_free(&p.h);
        return rc;
    }
    html_raw(&p.h, "</ul>");
    if (u.n == 0) {
        html_raw(&p.h, "<p>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.upcoming.none"));
        html_raw(&p.h, "</p>");
    }
    return page_end(&p, 200);
}
