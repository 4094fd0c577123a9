/* The region at a glance, the coordinator's start page: the stock left per
 * unit, handouts per month, uses per venue and month, the share of this
 * year's cards used at least once, and the venues that recorded nothing
 * this month — each chart drawn on the server (chart.c) with the same
 * figures as a table. Read from the store's listings, in the coordinator's
 * scope (R32). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/strutil.h"
#include "web/coord.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_COORD_GLANCE_KEYS(X)         \
    X("page.coord.glance.title")         \
    X("page.coord.glance.lead")          \
    X("page.coord.glance.stock")         \
    X("page.coord.glance.stock.desc")    \
    X("page.coord.glance.unit")          \
    X("page.coord.glance.codes")         \
    X("page.coord.glance.handouts")      \
    X("page.coord.glance.handouts.desc") \
    X("page.coord.glance.month")         \
    X("page.coord.glance.cards")         \
    X("page.coord.glance.uses")          \
    X("page.coord.glance.uses.desc")     \
    X("page.coord.glance.uses.count")    \
    X("page.coord.glance.uses.table")    \
    X("page.coord.glance.venue")         \
    X("page.coord.glance.share")         \
    X("page.coord.glance.share.text")    \
    X("page.coord.glance.share.none")    \
    X("page.coord.glance.quiet")         \
    X("page.coord.glance.quiet.lead")    \
    X("page.coord.glance.quiet.none")

#define KEY(k) k,
static const char *const glance_keys[] = {WEB_COORD_GLANCE_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_coord_glance_keys = {glance_keys, ARRAY_LEN(glance_keys)};

#define HANDOUTS_MAX 1000000 /* a unit's handouts read, at most */
#define CODES_MAX    200000  /* the year's handed-out codes kept for the share used */

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

struct glance {
    struct coord_units units;
    struct coord_venues venues;
    int year, month; /* today's, on Finnish clocks */
    int64_t stock[COORD_UNITS_MAX];
    int64_t handouts[12];
    int64_t uses[COORD_VENUES_MAX][12];
    /* the codes handed out this year, sorted, and which were used */
    char (*codes)[CODE_MAX + 1];
    bool *used;
    size_t ncodes;
    const char *venue; /* the venue of the uses being read */
};

static int add_handout(void *ctx, const struct card *c)
{
    struct glance *g = ctx;
    int y, m, d;
    date_to_ymd(c->handed_out_on, &y, &m, &d);
    if (y != g->year)
        return 0;
    g->handouts[m - 1]++;
    if (g->ncodes < CODES_MAX && c->kind == CARD_PERSONAL)
        str_copy(g->codes[g->ncodes++], CODE_MAX + 1, c->code);
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int add_use(void *ctx, const struct use_row *u)
{
    struct glance *g = ctx;
    if (u->use.undone_at)
        return 0;
    int y, m, d;
    date_to_ymd(hki_day(u->event_starts_at), &y, &m, &d);
    for (size_t i = 0; y == g->year && i < g->venues.n; i++)
        if (strcmp(g->venues.list[i].id, u->venue) == 0)
            g->uses[i][m - 1]++;
    char(*hit)[CODE_MAX + 1] = bsearch(u->use.card, g->codes, g->ncodes, sizeof *g->codes, by_code);
    if (hit)
        g->used[hit - g->codes] = true;
    return 0;
}

static int load(struct request *r, struct glance *g)
{
    int rc, d;
    date_to_ymd(hki_day(r->actor.now), &g->year, &g->month, &d);
    if ((rc = coord_units(r, &g->units)) != 0 || (rc = coord_venues(r, &g->venues)) != 0)
        return rc;
    g->codes = arena_alloc(&r->arena, CODES_MAX * sizeof *g->codes);
    g->used = arena_alloc(&r->arena, CODES_MAX * sizeof *g->used);
    if (!g->codes || !g->used)
        return -ERR_INTERNAL;
    for (size_t i = 0; i < g->units.n; i++) {
        g->stock[i] = coord_stock_left(r, g->units.list[i].id);
        if ((rc = store_handout_list(r->store, &r->actor, g->units.list[i].id, HANDOUTS_MAX,
                                     add_handout, g)) != 0)
            return rc;
    }
    qsort(g->codes, g->ncodes, sizeof *g->codes, by_code);
    memset(g->used, 0, g->ncodes * sizeof *g->used);
    struct use_filter f = {.from = date_from_ymd(g->year, 1, 1), .to = -1};
    return store_use_list(r->store, &r->actor, &f, add_use, g);
}

static const char **month_labels(struct request *r, int year, int months)
{
    const char **labels = arena_alloc(&r->arena, (size_t)months * sizeof *labels);
    for (int m = 0; labels && m < months; m++) {
        char key[16];
        snprintf(key, sizeof key, "%d-%02d", year, m + 1);
        if (!(labels[m] = arena_strdup(&r->arena, key)))
            return NULL;
    }
    return labels;
}

static void uses_table(struct page *p, const struct glance *g, const char **months)
{
    const char **cols = arena_alloc(&p->r->arena, (size_t)(g->month + 1) * sizeof *cols);
    if (!cols) {
        p->h.failed = true;
        return;
    }
    cols[0] = t(p, "page.coord.glance.venue");
    for (int m = 0; m < g->month; m++)
        cols[m + 1] = months[m];
    net_table(p, "uses-by-venue", t(p, "page.coord.glance.uses.table"), cols, (size_t)g->month + 1,
              ~1u);
    for (size_t i = 0; i < g->venues.n; i++) {
        html_raw(&p->h, "<tr>");
        net_th_row(p, g->venues.list[i].name);
        for (int m = 0; m < g->month; m++)
            net_td_int(p, g->uses[i][m]);
        html_raw(&p->h, "</tr>");
    }
    net_table_end(p);
}

int web_coord_glance(struct request *r)
{
    struct glance *g = arena_alloc(&r->arena, sizeof *g);
    if (!g)
        return -ERR_INTERNAL;
    memset(g, 0, sizeof *g);
    int rc = load(r, g);
    if (rc != 0)
        return rc;
    const char **months = month_labels(r, g->year, g->month);
    const char **unit_names = arena_alloc(&r->arena, (g->units.n + 1) * sizeof *unit_names);
    const char **venue_names = arena_alloc(&r->arena, (g->venues.n + 1) * sizeof *venue_names);
    int64_t *venue_uses = arena_alloc(&r->arena, (g->venues.n + 1) * sizeof *venue_uses);
    if (!months || !unit_names || !venue_names || !venue_uses)
        return -ERR_INTERNAL;
    for (size_t i = 0; i < g->units.n; i++)
        unit_names[i] = g->units.list[i].name;
    for (size_t i = 0; i < g->venues.n; i++) {
        venue_names[i] = g->venues.list[i].name;
        venue_uses[i] = 0;
        for (int m = 0; m < g->month; m++)
            venue_uses[i] += g->uses[i][m];
    }
    struct region region;
    if ((rc = store_region_get(r->store, r->actor.scope, &region)) != 0)
        return rc;
    char year[12];
    snprintf(year, sizeof year, "%d", g->year);
    const char *args[] = {region.name, year};
    char title[300], desc[400];
    struct page p;
    text_fill(title, sizeof title, i18n_text(r->lang, "page.coord.glance.title"), args, 2);
    page_begin(&p, r, title);
    net_nav(&p, "/region");
    text_fill(desc, sizeof desc, t(&p, "page.coord.glance.lead"), args, 2);
    page_heading(&p, title, desc);

    net_section(&p, "glance-stock", t(&p, "page.coord.glance.stock"));
    chart_bars(&p, "chart-stock", t(&p, "page.coord.glance.stock"),
               t(&p, "page.coord.glance.stock.desc"), t(&p, "page.coord.glance.unit"),
               t(&p, "page.coord.glance.codes"), unit_names, g->stock, g->units.n);
    net_section_end(&p);

    net_section(&p, "glance-handouts", t(&p, "page.coord.glance.handouts"));
    text_fill(desc, sizeof desc, t(&p, "page.coord.glance.handouts.desc"), args, 2);
    chart_bars(&p, "chart-handouts", t(&p, "page.coord.glance.handouts"), desc,
               t(&p, "page.coord.glance.month"), t(&p, "page.coord.glance.cards"), months,
               g->handouts, (size_t)g->month);
    net_section_end(&p);

    net_section(&p, "glance-share", t(&p, "page.coord.glance.share"));
    size_t used = 0;
    for (size_t i = 0; i < g->ncodes; i++)
        used += g->used[i];
    html_raw(&p.h, "<p class=\"totals\" id=\"share-used\">");
    if (g->ncodes == 0)
        html_text(&p.h, t(&p, "page.coord.glance.share.none"));
    else {
        char pct[16], n[I18N_NUMBER_LEN], total[I18N_NUMBER_LEN];
        snprintf(pct, sizeof pct, "%zu", (used * 100 + g->ncodes / 2) / g->ncodes);
        i18n_number(p.lang, (int64_t)used, n);
        i18n_number(p.lang, (int64_t)g->ncodes, total);
        const char *sargs[] = {pct, n, total, year};
        html_textf(&p.h, t(&p, "page.coord.glance.share.text"), sargs, 4);
    }
    html_raw(&p.h, "</p>");
    net_section_end(&p);

    net_section(&p, "glance-uses", t(&p, "page.coord.glance.uses"));
    text_fill(desc, sizeof desc, t(&p, "page.coord.glance.uses.desc"), args, 2);
    chart_bars(&p, "chart-uses", t(&p, "page.coord.glance.uses"), desc,
               t(&p, "page.coord.glance.venue"), t(&p, "page.coord.glance.uses.count"), venue_names,
               venue_uses, g->venues.n);
    uses_table(&p, g, months);
    net_section_end(&p);

    net_section(&p, "glance-quiet", t(&p, "page.coord.glance.quiet"));
    net_p(&p, t(&p, "page.coord.glance.quiet.lead"));
    size_t quiet = 0;
    html_raw(&p.h, "<ul class=\"bullets\" id=\"quiet-venues\">");
    for (size_t i = 0; i < g->venues.n; i++) {
        if (g->uses[i][g->month - 1] != 0)
            continue;
        quiet++;
        html_raw(&p.h, "<li>");
        html_text(&p.h, g->venues.list[i].name);
        html_raw(&p.h, "</li>");
    }
    html_raw(&p.h, "</ul>");
    if (quiet == 0)
        net_p(&p, t(&p, "page.coord.glance.quiet.none"));
    net_section_end(&p);
    return page_end(&p, 200);
}
