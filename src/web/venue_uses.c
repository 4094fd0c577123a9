/* An event's uses on its page (venue staff), the latest first with the
 * totals of those not undone, and the undo of a use (R25): a confirmation
 * page naming the card, the event and the counts, then back to the event
 * with a notice (venue_event_outcome). Split from venue_events.c. */
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/venue.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_VENUE_USES_KEYS(X)         \
    X("page.venue.uses.title")         \
    X("page.venue.uses.none")          \
    X("page.venue.uses.n.uses")        \
    X("page.venue.uses.n.adult")       \
    X("page.venue.uses.n.child")       \
    X("page.venue.uses.n.companion")   \
    X("page.venue.uses.col.time")      \
    X("page.venue.uses.col.card")      \
    X("page.venue.uses.col.adult")     \
    X("page.venue.uses.col.child")     \
    X("page.venue.uses.col.companion") \
    X("page.venue.uses.col.action")    \
    X("page.venue.uses.undo")          \
    X("page.venue.uses.undone")        \
    X("page.venue.uses.undo.title")    \
    X("page.venue.uses.undo.question") \
    X("page.venue.uses.undo.confirm")  \
    X("page.venue.uses.undo.cancel")   \
    X("page.venue.uses.undo.done")     \
    X("page.venue.uses.undo.gone")

#define KEY(k) k,
static const char *const uses_keys[] = {WEB_VENUE_USES_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_venue_uses_keys = {uses_keys, ARRAY_LEN(uses_keys)};

#define USES_MAX 500 /* uses of an event listed, the latest */

struct venue_uses {
    struct arena *arena;
    struct use_row *rows[USES_MAX];
    size_t n, seen;
    int64_t uses, adult, child, companion;
};

static int add_use(void *ctx, const struct use_row *row)
{
    struct venue_uses *u = ctx;
    if (!row->use.undone_at) {
        u->uses++;
        u->adult += row->use.adult;
        u->child += row->use.child;
        u->companion += row->use.companion;
    }
    struct use_row **slot = &u->rows[u->seen % USES_MAX];
    if (!*slot && !(*slot = arena_alloc(u->arena, sizeof **slot)))
        return -ERR_INTERNAL;
    **slot = *row;
    u->seen++;
    if (u->n < USES_MAX)
        u->n++;
    return 0;
}

int venue_uses_load(struct request *r, int64_t event, struct venue_uses **out)
{
    struct venue_uses *u = arena_alloc(&r->arena, sizeof *u);
    if (!u)
        return -ERR_INTERNAL;
    u->arena = &r->arena;
    struct use_filter uf = {.venue = r->actor.scope, .event = event, .from = -1, .to = -1};
    int rc = store_use_list(r->store, &r->actor, &uf, add_use, u);
    if (rc < 0)
        return rc;
    *out = u;
    return 0;
}

void venue_uses_table(struct page *p, const struct venue_uses *u)
{
    html_raw(&p->h, "<section><h2 id=\"uses-heading\">");
    html_text(&p->h, i18n_text(p->lang, "page.venue.uses.title"));
    html_raw(&p->h, "</h2><p class=\"totals\" id=\"uses-totals\">");
    /* each count with its own plural form: "1 use · 2 adults" */
    static const char *const parts[] = {"page.venue.uses.n.uses", "page.venue.uses.n.adult",
                                        "page.venue.uses.n.child", "page.venue.uses.n.companion"};
    const int64_t totals[] = {u->uses, u->adult, u->child, u->companion};
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        char n[I18N_NUMBER_LEN];
        i18n_number(p->lang, totals[i], n);
        const char *args[] = {n};
        if (i)
            html_raw(&p->h, " · ");
        html_textf(&p->h, i18n_plural(p->lang, parts[i], totals[i]), args, 1);
    }
    html_raw(&p->h, "</p>");
    if (u->n == 0) {
        html_raw(&p->h, "<p>");
        html_text(&p->h, i18n_text(p->lang, "page.venue.uses.none"));
        html_raw(&p->h, "</p></section>");
        return;
    }
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                    "aria-labelledby=\"uses-heading\"><table id=\"event-uses\"><thead><tr>");
    static const char *const cols[] = {
        "page.venue.uses.col.time",  "page.venue.uses.col.card",      "page.venue.uses.col.adult",
        "page.venue.uses.col.child", "page.venue.uses.col.companion", "page.venue.uses.col.action"};
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        html_raw(&p->h,
                 i >= 2 && i <= 4 ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
        html_text(&p->h, i18n_text(p->lang, cols[i]));
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead><tbody>");
    for (size_t k = u->n; k-- > 0;) {
        const struct use_row *row = u->rows[(u->seen - u->n + k) % USES_MAX];
        char id[32];
        snprintf(id, sizeof id, "use-%lld", (long long)row->use.id);
        html_raw(&p->h, row->use.undone_at ? "<tr class=\"undone\"" : "<tr");
        html_attr(&p->h, "id", id);
        html_raw(&p->h, "><td>");
        html_date(&p->h, p->lang, hki_day(row->use.recorded_at));
        html_raw(&p->h, " ");
        html_time(&p->h, p->lang, row->use.recorded_at);
        html_raw(&p->h, "</td><td class=\"code\">");
        html_text(&p->h, row->use.card);
        const int32_t counts[] = {row->use.adult, row->use.child, row->use.companion};
        for (size_t c = 0; c < ARRAY_LEN(counts); c++) {
            html_raw(&p->h, "</td><td class=\"num\">");
            html_int(&p->h, p->lang, counts[c]);
        }
        html_raw(&p->h, "</td><td>");
        if (row->use.undone_at) {
            html_text(&p->h, i18n_text(p->lang, "page.venue.uses.undone"));
        } else {
            char href[48];
            snprintf(href, sizeof href, "/venue/uses/%lld/undo", (long long)row->use.id);
            html_raw(&p->h, "<a");
            html_href(&p->h, "href", href);
            html_raw(&p->h, ">");
            html_text(&p->h, i18n_text(p->lang, "page.venue.uses.undo"));
            html_raw(&p->h, "<span class=\"visually-hidden\"> ");
            html_text(&p->h, row->use.card);
            html_raw(&p->h, "</span></a>");
        }
        html_raw(&p->h, "</td></tr>");
    }
    html_raw(&p->h, "</tbody></table></div></section>");
}

/* ---- undo of a use (R25) ---- */

struct find_use {
    int64_t id;
    struct use_row row;
    bool found;
};

static int first_use(void *ctx, const struct use_row *row)
{
    struct find_use *f = ctx;
    if (row->use.id == f->id) {
        f->row = *row;
        f->found = true;
    }
    return 1; /* the first after id - 1 is the one, or there is none */
}

static int venue_use(struct request *r, struct use_row *out)
{
    int64_t id;
    if (str_to_i64(r->params[0], 1, INT64_MAX, &id) != 0)
        return -ERR_NOT_FOUND;
    struct find_use *f = arena_alloc(&r->arena, sizeof *f);
    if (!f)
        return -ERR_INTERNAL;
    f->id = id;
    struct use_filter uf = {.venue = r->actor.scope, .from = -1, .to = -1, .after_id = id - 1};
    int rc = store_use_list(r->store, &r->actor, &uf, first_use, f);
    if (rc < 0)
        return rc;
    if (!f->found)
        return -ERR_NOT_FOUND;
    *out = f->row;
    return 0;
}

/* GET /venue/uses/{id}/undo: what would be undone, and the confirmation. */
int web_venue_undo_form(struct request *r)
{
    struct use_row row;
    int rc = venue_use(r, &row);
    if (rc != 0)
        return rc;
    char back[48];
    snprintf(back, sizeof back, "/venue/events/%lld", (long long)row.use.event);
    if (row.use.undone_at) {
        venue_event_outcome(r, EO_UNDO_GONE, row.use.event);
        return web_redirect(r, back);
    }
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.uses.undo.title"));
    page_heading(&p, i18n_text(p.lang, "page.venue.uses.undo.title"), NULL);
    char a[I18N_NUMBER_LEN], c[I18N_NUMBER_LEN], m[I18N_NUMBER_LEN];
    i18n_number(p.lang, row.use.adult, a);
    i18n_number(p.lang, row.use.child, c);
    i18n_number(p.lang, row.use.companion, m);
    const char *args[] = {row.use.card, row.event_name, a, c, m};
    html_raw(&p.h, "<p class=\"lead\" id=\"undo-question\">");
    html_textf(&p.h, i18n_text(p.lang, "page.venue.uses.undo.question"), args, 5);
    html_raw(&p.h, "</p><form method=\"post\" id=\"undo-form\"");
    char action[48];
    snprintf(action, sizeof action, "/venue/uses/%lld/undo", (long long)row.use.id);
    html_href(&p.h, "action", action);
    html_raw(&p.h, ">");
    page_csrf_field(&p);
    html_raw(&p.h, "<button type=\"submit\" class=\"danger\" id=\"undo-confirm\" autofocus>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.uses.undo.confirm"));
    html_raw(&p.h, "</button> <a class=\"button\" id=\"undo-cancel\"");
    html_href(&p.h, "href", back);
    html_raw(&p.h, ">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.uses.undo.cancel"));
    html_raw(&p.h, "</a></form>");
    return page_end(&p, 200);
}

/* POST /venue/uses/{id}/undo: R25, then back to the event. */
int web_venue_undo(struct request *r)
{
    struct use_row row;
    int rc = venue_use(r, &row);
    if (rc != 0)
        return rc;
    rc = row.use.undone_at ? -ERR_NOT_FOUND : store_use_undo(r->store, &r->actor, row.use.id);
    if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE)
        return rc;
    venue_event_outcome(r, rc == 0 ? EO_UNDONE : EO_UNDO_GONE, row.use.event);
    char back[48];
    snprintf(back, sizeof back, "/venue/events/%lld", (long long)row.use.event);
    return web_redirect(r, back);
}
