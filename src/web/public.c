/* The public pages, no sign-in: the front page, the offer by region, where
 * to get a card, the privacy notice and "Check my card". Everything here is
 * public already (the API lists venues without sign-in); nothing about a
 * cardholder is shown (R33), and the card check shows a status and a date
 * only. A card code travels in a POST body, and the answer comes back by a
 * redirect with the result in a short-lived cookie, never in the URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/public.h"
#include "web/venue.h"
#include "web/web.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_PUBLIC_KEYS(X)                    \
    X("page.public.home.title")               \
    X("page.public.home.lead")                \
    X("page.public.home.what.heading")        \
    X("page.public.home.what.1")              \
    X("page.public.home.what.2")              \
    X("page.public.home.what.3")              \
    X("page.public.home.what.4")              \
    X("page.public.home.what.5")              \
    X("page.public.home.who.heading")         \
    X("page.public.home.who.lead")            \
    X("page.public.home.who.1")               \
    X("page.public.home.who.2")               \
    X("page.public.home.who.3")               \
    X("page.public.home.who.text")            \
    X("page.public.home.use.heading")         \
    X("page.public.home.use.text")            \
    X("page.public.home.use.id")              \
    X("page.public.home.more.heading")        \
    X("page.public.home.more.offer")          \
    X("page.public.home.more.where")          \
    X("page.public.home.more.check")          \
    X("page.public.home.more.privacy")        \
    X("page.public.offer.title")              \
    X("page.public.offer.lead")               \
    X("page.public.offer.regions")            \
    X("page.public.offer.no_regions")         \
    X("page.public.offer.pilot")              \
    X("page.public.popup.heading")            \
    X("page.public.popup.lead")               \
    X("page.public.popup.none")               \
    X("page.public.region.title")             \
    X("page.public.region.lead")              \
    X("page.public.region.back")              \
    X("page.public.venues.heading")           \
    X("page.public.venues.none")              \
    X("page.public.venue.accessibility")      \
    X("page.public.venue.accessibility_none") \
    X("page.public.venue.cloakroom")          \
    X("page.public.venue.cloakroom_free")     \
    X("page.public.venue.cloakroom_not_free") \
    X("page.public.events.heading")           \
    X("page.public.events.lead")              \
    X("page.public.events.none")              \
    X("page.public.event.time")               \
    X("page.public.event.excluded")           \
    X("page.public.event.booking")            \
    X("page.public.event.collection")         \
    X("page.public.event.course")             \
    X("page.public.kind.performance")         \
    X("page.public.kind.course")              \
    X("page.public.kind.day_ticket")          \
    X("page.public.kind.daily")               \
    X("page.public.category.theatre")         \
    X("page.public.category.music")           \
    X("page.public.category.museum")          \
    X("page.public.category.cinema")          \
    X("page.public.category.festival")        \
    X("page.public.category.dance")           \
    X("page.public.category.circus")          \
    X("page.public.category.library")         \
    X("page.public.category.adult_education") \
    X("page.public.category.sports")          \
    X("page.public.category.swimming")        \
    X("page.public.category.other")           \
    X("page.public.where.title")              \
    X("page.public.where.lead")               \
    X("page.public.where.text")               \
    X("page.public.where.none")               \
    X("page.public.privacy.title")            \
    X("page.public.privacy.lead")             \
    X("page.public.privacy.never.heading")    \
    X("page.public.privacy.never.lead")       \
    X("page.public.privacy.never.1")          \
    X("page.public.privacy.never.2")          \
    X("page.public.privacy.never.3")          \
    X("page.public.privacy.never.4")          \
    X("page.public.privacy.never.5")          \
    X("page.public.privacy.never.text")       \
    X("page.public.privacy.holds.heading")    \
    X("page.public.privacy.holds.1")          \
    X("page.public.privacy.holds.2")          \
    X("page.public.privacy.holds.3")          \
    X("page.public.privacy.holds.4")          \
    X("page.public.privacy.sees.heading")     \
    X("page.public.privacy.sees.1")           \
    X("page.public.privacy.sees.2")           \
    X("page.public.privacy.sees.3")           \
    X("page.public.privacy.sees.4")           \
    X("page.public.privacy.kept.heading")     \
    X("page.public.privacy.kept.text")        \
    X("page.public.check.title")              \
    X("page.public.check.lead")               \
    X("page.public.check.label")              \
    X("page.public.check.hint")               \
    X("page.public.check.submit")             \
    X("page.public.check.empty")              \
    X("page.public.check.valid")              \
    X("page.public.check.valid_text")         \
    X("page.public.check.expired")            \
    X("page.public.check.expired_text")       \
    X("page.public.check.cancelled")          \
    X("page.public.check.cancelled_text")     \
    X("page.public.check.not_issued")         \
    X("page.public.check.not_issued_text")    \
    X("page.public.check.unknown")            \
    X("page.public.check.unknown_text")       \
    X("page.public.check.again")              \
    X("page.public.check.privacy")

#define KEY(k) k,
static const char *const public_keys[] = {WEB_PUBLIC_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_public_keys = {public_keys, ARRAY_LEN(public_keys)};

static const char *const category_keys[CAT_COUNT] = {
    [CAT_THEATRE] = "page.public.category.theatre",
    [CAT_MUSIC] = "page.public.category.music",
    [CAT_MUSEUM] = "page.public.category.museum",
    [CAT_CINEMA] = "page.public.category.cinema",
    [CAT_FESTIVAL] = "page.public.category.festival",
    [CAT_DANCE] = "page.public.category.dance",
    [CAT_CIRCUS] = "page.public.category.circus",
    [CAT_LIBRARY] = "page.public.category.library",
    [CAT_ADULT_EDUCATION] = "page.public.category.adult_education",
    [CAT_SPORTS] = "page.public.category.sports",
    [CAT_SWIMMING] = "page.public.category.swimming",
    [CAT_OTHER] = "page.public.category.other",
};

static const char *const kind_keys[EVENT_KIND_COUNT] = {
    [EVENT_PERFORMANCE] = "page.public.kind.performance",
    [EVENT_COURSE] = "page.public.kind.course",
    [EVENT_DAY_TICKET] = "page.public.kind.day_ticket",
    [EVENT_DAILY] = "page.public.kind.daily",
};

/* ---- small pieces ---- */

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

/* <tag>text of key</tag>, or with attrs (the page's own markup) after tag. */
static void el(struct page *p, const char *open, const char *key, const char *close)
{
    html_raw(&p->h, open);
    html_text(&p->h, t(p, key));
    html_raw(&p->h, close);
}

/* A <ul> of the texts of keys prefix.1 … prefix.n. */
static void key_list(struct page *p, const char *prefix, int n)
{
    html_raw(&p->h, "<ul class=\"bullets\">");
    for (int i = 1; i <= n; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s.%d", prefix, i);
        el(p, "<li>", key, "</li>");
    }
    html_raw(&p->h, "</ul>");
}

/* A link to a same-site path with the text of key. */
static void link(struct page *p, const char *path, const char *key)
{
    html_raw(&p->h, "<a");
    html_href(&p->h, "href", path);
    html_raw(&p->h, ">");
    html_text(&p->h, t(p, key));
    html_raw(&p->h, "</a>");
}

/* <p>the form of key for the count n, filled with args (one: n as the
 * language writes it)</p>. */
static void para_counted(struct page *p, const char *key, int64_t n, const char *const *args)
{
    html_raw(&p->h, "<p>");
    html_textf(&p->h, i18n_plural(p->lang, key, n), args, 1);
    html_raw(&p->h, "</p>");
}

static void fmt_date(const struct page *p, int32_t day, char out[I18N_DATE_LEN])
{
    i18n_date(p->lang, day, out);
}

/* "6.00", "18.00" (fi, sv) or "06:00" (en) on Finnish clocks. */
static void fmt_time(const struct page *p, int64_t t_, char out[8])
{
    int32_t day;
    int sec;
    hki_to_local(t_, &day, &sec);
    snprintf(out, 8, p->lang == LANG_EN ? "%02d:%02d" : "%d.%02d", sec / 3600, sec / 60 % 60);
}

static int finish(struct page *p)
{
    return page_end(p, 200);
}

/* ---- the front page ---- */

int web_public_home(struct request *r)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.public.home.title"));
    page_heading(&p, t(&p, "page.public.home.title"), t(&p, "page.public.home.lead"));

    el(&p, "<h2>", "page.public.home.what.heading", "</h2>");
    key_list(&p, "page.public.home.what", 5);

    el(&p, "<h2>", "page.public.home.who.heading", "</h2>");
    el(&p, "<p>", "page.public.home.who.lead", "</p>");
    key_list(&p, "page.public.home.who", 3);
    el(&p, "<p>", "page.public.home.who.text", "</p>");

    el(&p, "<h2>", "page.public.home.use.heading", "</h2>");
    el(&p, "<p>", "page.public.home.use.text", "</p>");
    el(&p, "<p>", "page.public.home.use.id", "</p>");

    el(&p, "<h2>", "page.public.home.more.heading", "</h2>");
    static const struct {
        const char *path, *title, *text;
    } more[] = {
        {"/offer", "page.public.offer.title", "page.public.home.more.offer"},
        {"/where", "page.public.where.title", "page.public.home.more.where"},
        {"/check", "page.public.check.title", "page.public.home.more.check"},
        {"/privacy", "page.public.privacy.title", "page.public.home.more.privacy"},
    };
    html_raw(&p.h, "<ul class=\"cards\">");
    for (size_t i = 0; i < ARRAY_LEN(more); i++) {
        html_raw(&p.h, "<li><p class=\"card-title\">");
        link(&p, more[i].path, more[i].title);
        html_raw(&p.h, "</p>");
        el(&p, "<p>", more[i].text, "</p>");
        html_raw(&p.h, "</li>");
    }
    html_raw(&p.h, "</ul>");
    return finish(&p);
}

/* ---- venues (R20, R22) ---- */

struct venue_set {
    struct request *r;
    struct venue *items;
    size_t n, cap;
    const char *region; /* "": pop-up venues only */
};

static int collect_venue(void *ctx, const struct venue *v)
{
    struct venue_set *s = ctx;
    if (strcmp(v->region, s->region) != 0)
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct venue *items = arena_alloc(&s->r->arena, cap * sizeof *items);
        if (!items)
            return -ERR_INTERNAL;
        if (s->n)
            memcpy(items, s->items, s->n * sizeof *items);
        s->items = items;
        s->cap = cap;
    }
    s->items[s->n++] = *v;
    return 0;
}

/* The venues of region ("" for the national pop-up venues), in s. */
static int venues_of(struct request *r, const char *region, struct venue_set *s)
{
    *s = (struct venue_set){.r = r, .region = region};
    return store_venue_list(r->store, region, collect_venue, s);
}

static const struct venue *venue_find(const struct venue_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].id, id) == 0)
            return &s->items[i];
    return NULL;
}

static void venue_list(struct page *p, const struct venue_set *s, const char *none_key)
{
    if (s->n == 0) {
        el(p, "<p>", none_key, "</p>");
        return;
    }
    html_raw(&p->h, "<ul class=\"venues\">");
    for (size_t i = 0; i < s->n; i++) {
        const struct venue *v = &s->items[i];
        html_raw(&p->h, "<li class=\"venue\"><h3>");
        html_text(&p->h, v->name);
        html_raw(&p->h, "</h3><p class=\"meta\">");
        html_text(&p->h, t(p, category_keys[v->category]));
        html_raw(&p->h, "</p><dl class=\"facts\">");
        el(p, "<dt>", "page.public.venue.accessibility", "</dt><dd>");
        const char *access = venue_accessibility_text(v, p->lang);
        if (access[0])
            html_text(&p->h, access);
        else
            html_text(&p->h, t(p, "page.public.venue.accessibility_none"));
        html_raw(&p->h, "</dd>");
        el(p, "<dt>", "page.public.venue.cloakroom", "</dt>");
        el(p, "<dd>",
           v->free_cloakroom ? "page.public.venue.cloakroom_free"
                             : "page.public.venue.cloakroom_not_free",
           "</dd>");
        html_raw(&p->h, "</dl></li>");
    }
    html_raw(&p->h, "</ul>");
}

/* ---- the offer: regions, then one region ---- */

static int offer_region_item(void *ctx, const struct region *reg)
{
    struct page *p = ctx;
    char path[ID_MAX + 8];
    snprintf(path, sizeof path, "/offer/%s", reg->id);
    html_raw(&p->h, "<li><a");
    html_href(&p->h, "href", path);
    html_raw(&p->h, ">");
    html_text(&p->h, reg->name);
    html_raw(&p->h, "</a>");
    if (reg->pilot_ends_on >= 0) {
        char day[I18N_DATE_LEN];
        fmt_date(p, reg->pilot_ends_on, day);
        const char *args[] = {day};
        html_raw(&p->h, " <span class=\"meta\">");
        html_textf(&p->h, t(p, "page.public.offer.pilot"), args, 1);
        html_raw(&p->h, "</span>");
    }
    html_raw(&p->h, "</li>");
    return 0;
}

static int count_region(void *ctx, const struct region *reg)
{
    (void)reg;
    (*(size_t *)ctx)++;
    return 0;
}

int web_public_offer(struct request *r)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.public.offer.title"));
    page_heading(&p, t(&p, "page.public.offer.title"), t(&p, "page.public.offer.lead"));
    el(&p, "<h2>", "page.public.offer.regions", "</h2>");
    size_t regions = 0;
    int rc = store_region_list(r->store, count_region, &regions);
    if (rc != 0)
        goto fail;
    if (regions == 0) {
        el(&p, "<p>", "page.public.offer.no_regions", "</p>");
    } else {
        html_raw(&p.h, "<ul class=\"links regions\">");
        if ((rc = store_region_list(r->store, offer_region_item, &p)) != 0)
            goto fail;
        html_raw(&p.h, "</ul>");
    }
    struct venue_set popups;
    if ((rc = venues_of(r, "", &popups)) != 0)
        goto fail;
    html_raw(&p.h, "<h2 id=\"popup\">");
    html_text(&p.h, t(&p, "page.public.popup.heading"));
    html_raw(&p.h, "</h2>");
    el(&p, "<p>", "page.public.popup.lead", "</p>");
    venue_list(&p, &popups, "page.public.popup.none");
    return finish(&p);
fail:
    html_free(&p.h);
    return rc;
}

struct event_walk {
    struct page *p;
    const char *region;
    const struct venue_set *venues, *popups;
    int32_t day; /* of the last heading written, -1 before the first */
    size_t count;
};

/* The restrictions of R17 as the event's listing shows them. */
static void restrictions(struct page *p, const struct event *e)
{
    bool any = e->excluded || e->booking_opens_days >= 0 || e->collection_opens_minutes >= 0 ||
               e->kind == EVENT_COURSE;
    if (!any)
        return;
    html_raw(&p->h, "<ul class=\"restrictions\">");
    if (e->excluded) {
        const char *args[] = {e->exclusion_reason};
        html_raw(&p->h, "<li class=\"excluded\">");
        html_textf(&p->h, t(p, "page.public.event.excluded"), args, 1);
        html_raw(&p->h, "</li>");
    } else {
        if (e->booking_opens_days >= 0) {
            int64_t opens = window_booking_opens(e);
            char day[I18N_DATE_LEN], time[8], n[I18N_NUMBER_LEN];
            fmt_date(p, hki_day(opens), day);
            fmt_time(p, opens, time);
            i18n_number(p->lang, e->booking_opens_days, n);
            const char *args[] = {day, time, n};
            html_raw(&p->h, "<li>");
            html_textf(&p->h,
                       i18n_plural(p->lang, "page.public.event.booking", e->booking_opens_days),
                       args, 3);
            html_raw(&p->h, "</li>");
        }
        if (e->collection_opens_minutes >= 0) {
            char time[8], n[I18N_NUMBER_LEN];
            fmt_time(p, window_collection_opens(e), time);
            i18n_number(p->lang, e->collection_opens_minutes, n);
            const char *args[] = {time, n};
            html_raw(&p->h, "<li>");
            html_textf(
                &p->h,
                i18n_plural(p->lang, "page.public.event.collection", e->collection_opens_minutes),
                args, 2);
            html_raw(&p->h, "</li>");
        }
        if (e->kind == EVENT_COURSE)
            el(p, "<li>", "page.public.event.course", "</li>");
    }
    html_raw(&p->h, "</ul>");
}

static int event_item(void *ctx, const struct event *e)
{
    struct event_walk *w = ctx;
    struct page *p = w->p;
    if (strcmp(e->region, w->region) != 0 && e->region[0] != '\0')
        return 0;
    const struct venue *v = venue_find(e->region[0] ? w->venues : w->popups, e->venue);
    int32_t day = hki_day(e->starts_at);
    if (day != w->day) {
        char d[I18N_DATE_LEN];
        fmt_date(p, day, d);
        html_raw(&p->h, w->day < 0 ? "<h3>" : "</ul><h3>");
        html_text(&p->h, d);
        html_raw(&p->h, "</h3><ul class=\"events\">");
        w->day = day;
    }
    char time[8];
    fmt_time(p, e->starts_at, time);
    const char *args[] = {time};
    html_raw(&p->h, e->excluded ? "<li class=\"event is-excluded\"><p class=\"event-name\">"
                                : "<li class=\"event\"><p class=\"event-name\">");
    html_raw(&p->h, "<span class=\"time\">");
    html_textf(&p->h, t(p, "page.public.event.time"), args, 1);
    html_raw(&p->h, "</span> ");
    html_text(&p->h, e->name);
    html_raw(&p->h, "</p><p class=\"meta\">");
    html_text(&p->h, v ? v->name : e->venue);
    html_raw(&p->h, " · ");
    html_text(&p->h, t(p, kind_keys[e->kind]));
    html_raw(&p->h, "</p>");
    restrictions(p, e);
    html_raw(&p->h, "</li>");
    w->count++;
    return 0;
}

int web_public_region(struct request *r)
{
    struct region reg;
    int rc = store_region_get(r->store, r->params[0], &reg);
    if (rc != 0)
        return rc; /* -ERR_NOT_FOUND: the site's page says so */
    struct page p;
    const char *args[] = {reg.name};
    char title[NAME_MAX_BYTES + 100];
    text_fill(title, sizeof title, i18n_text(r->lang, "page.public.region.title"), args, 1);
    page_begin(&p, r, title);
    html_raw(&p.h, "<p class=\"back\">");
    link(&p, "/offer", "page.public.region.back");
    html_raw(&p.h, "</p><h1>");
    html_text(&p.h, title);
    html_raw(&p.h, "</h1>");
    el(&p, "<p class=\"lead\">", "page.public.region.lead", "</p>");

    struct venue_set venues, popups;
    if ((rc = venues_of(r, reg.id, &venues)) != 0 || (rc = venues_of(r, "", &popups)) != 0)
        goto fail;
    el(&p, "<h2>", "page.public.venues.heading", "</h2>");
    venue_list(&p, &venues, "page.public.venues.none");

    char days[I18N_NUMBER_LEN];
    i18n_number(p.lang, WEB_OFFER_DAYS, days);
    const char *dargs[] = {days};
    el(&p, "<h2>", "page.public.events.heading", "</h2>");
    para_counted(&p, "page.public.events.lead", WEB_OFFER_DAYS, dargs);
    struct event_walk w = {&p, reg.id, &venues, &popups, -1, 0};
    const int64_t now = r->actor.now;
    const struct event_filter f = {NULL, now, now + (int64_t)WEB_OFFER_DAYS * 86400};
    if ((rc = store_event_list(r->store, &f, event_item, &w)) != 0)
        goto fail;
    if (w.count)
        html_raw(&p.h, "</ul>");
    else
        para_counted(&p, "page.public.events.none", WEB_OFFER_DAYS, dargs);

    html_raw(&p.h, "<h2 id=\"popup\">");
    html_text(&p.h, t(&p, "page.public.popup.heading"));
    html_raw(&p.h, "</h2>");
    el(&p, "<p>", "page.public.popup.lead", "</p>");
    venue_list(&p, &popups, "page.public.popup.none");
    return finish(&p);
fail:
    html_free(&p.h);
    return rc;
}

/* ---- where to get a card ---- */

struct where_walk {
    struct page *p;
    struct request *r;
};

static int where_unit(void *ctx, const struct unit *u)
{
    struct page *p = ctx;
    html_raw(&p->h, "<li>");
    html_text(&p->h, u->name);
    html_raw(&p->h, "</li>");
    return 0;
}

static int count_unit(void *ctx, const struct unit *u)
{
    (void)u;
    (*(size_t *)ctx)++;
    return 0;
}

static int where_region(void *ctx, const struct region *reg)
{
    struct where_walk *w = ctx;
    size_t n = 0;
    int rc = store_unit_list(w->r->store, NULL, reg->id, count_unit, &n);
    if (rc != 0 || n == 0)
        return rc;
    html_raw(&w->p->h, "<h2>");
    html_text(&w->p->h, reg->name);
    html_raw(&w->p->h, "</h2><ul class=\"bullets\">");
    rc = store_unit_list(w->r->store, NULL, reg->id, where_unit, w->p);
    html_raw(&w->p->h, "</ul>");
    return rc;
}

int web_public_where(struct request *r)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.public.where.title"));
    page_heading(&p, t(&p, "page.public.where.title"), t(&p, "page.public.where.lead"));
    el(&p, "<p>", "page.public.where.text", "</p>");
    size_t units = 0;
    int rc = store_unit_list(r->store, NULL, "", count_unit, &units);
    if (rc == 0 && units == 0)
        el(&p, "<p>", "page.public.where.none", "</p>");
    struct where_walk w = {&p, r};
    if (rc == 0 && units > 0)
        rc = store_region_list(r->store, where_region, &w);
    if (rc != 0) {
        html_free(&p.h);
        return rc;
    }
    return finish(&p);
}

/* ---- the privacy notice (R10, R33–R35) ---- */

int web_public_privacy(struct request *r)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.public.privacy.title"));
    page_heading(&p, t(&p, "page.public.privacy.title"), t(&p, "page.public.privacy.lead"));
    el(&p, "<h2>", "page.public.privacy.never.heading", "</h2>");
    el(&p, "<p>", "page.public.privacy.never.lead", "</p>");
    key_list(&p, "page.public.privacy.never", 5);
    el(&p, "<p>", "page.public.privacy.never.text", "</p>");
    el(&p, "<h2>", "page.public.privacy.holds.heading", "</h2>");
    key_list(&p, "page.public.privacy.holds", 4);
    el(&p, "<h2>", "page.public.privacy.sees.heading", "</h2>");
    key_list(&p, "page.public.privacy.sees", 4);
    el(&p, "<h2>", "page.public.privacy.kept.heading", "</h2>");
    el(&p, "<p>", "page.public.privacy.kept.text", "</p>");
    return finish(&p);
}

/* ---- check my card (R33) ---- */

/* The index of the check cookie among the site's cookies, or -1. */
static int check_cookie_index(const struct request *r)
{
    const char *const *names = r->site ? r->site->cookies : NULL;
    for (int i = 0; names && names[i] && i < REQUEST_COOKIES_MAX; i++)
        if (strcmp(names[i], WEB_CHECK_COOKIE) == 0)
            return i;
    return -1;
}

static int set_check_cookie(struct request *r, const char *value, int max_age)
{
    char cookie[96];
    snprintf(cookie, sizeof cookie, "%s=%s; HttpOnly; SameSite=Strict; Path=/check; Max-Age=%d%s",
             WEB_CHECK_COOKIE, value, max_age, r->secure ? "; Secure" : "");
    return reply_header(r, "Set-Cookie", arena_strdup(&r->arena, cookie));
}

/* The result a check cookie carries: a status (or -1 for an unknown code)
 * and a day for valid and expired cards. False when it is none of those. */
static bool check_result(const char *v, int *status, int32_t *day)
{
    static const struct {
        const char *name;
        int status;
        bool dated;
    } results[] = {
        {"valid", CARD_VALID, true},
        {"expired", CARD_EXPIRED, true},
        {"cancelled", CARD_CANCELLED, false},
        {"not_issued", CARD_NOT_ISSUED, false},
        {"unknown", -1, false},
    };
    if (!v)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(results); i++) {
        size_t n = strlen(results[i].name);
        if (strncmp(v, results[i].name, n) != 0)
            continue;
        *status = results[i].status;
        *day = 0;
        if (!results[i].dated)
            return v[n] == '\0';
        int64_t d;
        if (v[n] != '-' || str_to_i64(v + n + 1, 0, INT32_MAX, &d) != 0)
            return false;
        *day = (int32_t)d;
        return true;
    }
    return false;
}

static void check_outcome(struct page *p, int status, int32_t day)
{
    char d[I18N_DATE_LEN] = "";
    if (status == CARD_VALID || status == CARD_EXPIRED)
        fmt_date(p, day, d);
    const char *args[] = {d};
    char text[512];
    const char *kind, *heading, *body;
    switch (status) {
    case CARD_VALID:
        kind = "ok", heading = "page.public.check.valid", body = "page.public.check.valid_text";
        break;
    case CARD_EXPIRED:
        kind = "warn", heading = "page.public.check.expired",
        body = "page.public.check.expired_text";
        break;
    case CARD_CANCELLED:
        kind = "error", heading = "page.public.check.cancelled",
        body = "page.public.check.cancelled_text";
        break;
    case CARD_NOT_ISSUED:
        kind = "warn", heading = "page.public.check.not_issued",
        body = "page.public.check.not_issued_text";
        break;
    default:
        kind = "error", heading = "page.public.check.unknown",
        body = "page.public.check.unknown_text";
        break;
    }
    text_fill(text, sizeof text, t(p, body), args, 1);
    char head[256];
    text_fill(head, sizeof head, t(p, heading), args, 1);
    html_raw(&p->h, "<div id=\"check-result\">");
    page_notice(p, kind, head, text);
    html_raw(&p->h, "</div>");
}

/* The form, with the result of the last check above it, or an error. */
static int check_page(struct request *r, int status, const char *value, const char *error,
                      bool has_result, int result, int32_t day)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.public.check.title"));
    if (error) {
        const struct page_error e = {"card", error};
        page_error_summary(&p, &e, 1);
    }
    page_heading(&p, t(&p, "page.public.check.title"), t(&p, "page.public.check.lead"));
    if (has_result)
        check_outcome(&p, result, day);
    html_raw(&p.h, "<form method=\"post\" action=\"/check\" class=\"stack\" novalidate>");
    page_csrf_field(&p);
    const struct page_field f = {
        .id = "card",
        .label = t(&p, "page.public.check.label"),
        .value = value,
        .autocomplete = "off",
        .hint = t(&p, "page.public.check.hint"),
        .error = error,
        .autofocus = !has_result,
        .required = true,
    };
    page_input(&p, &f);
    html_raw(&p.h, "<button type=\"submit\" class=\"primary\" id=\"check-submit\">");
    html_text(&p.h, t(&p, has_result ? "page.public.check.again" : "page.public.check.submit"));
    html_raw(&p.h, "</button></form><p class=\"meta\">");
    html_text(&p.h, t(&p, "page.public.check.privacy"));
    html_raw(&p.h, " ");
    link(&p, "/privacy", "page.public.privacy.title");
    html_raw(&p.h, "</p>");
    return page_end(&p, status);
}

/* GET /check: the form; after a check, its result once (the cookie is
 * cleared, so a reload or the next visitor at a shared computer sees the
 * empty form). */
int web_public_check_form(struct request *r)
{
    int i = check_cookie_index(r);
    const char *v = i >= 0 ? r->cookies[i] : NULL;
    int status = 0;
    int32_t day = 0;
    bool has = check_result(v, &status, &day);
    if (v) {
        int rc = set_check_cookie(r, "", 0);
        if (rc != 0)
            return rc;
    }
    return check_page(r, 200, NULL, NULL, has, status, day);
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

/* POST /check (card): the status of the card, through a redirect. An unknown
 * code spends one of the caller's guesses (ROUTE_CARD_CODES). */
int web_public_check(struct request *r)
{
    const char *raw = NULL;
    int rc = field_text(r, "card", FIELD_EMPTY_OK, CODE_MAX + 32, &raw);
    if (rc != 0 && rc != -ERR_INVALID_REQUEST)
        return rc;
    char code[CODE_MAX + 1];
    if (rc == 0 && blank(raw))
        return check_page(r, 400, NULL, i18n_text(r->lang, "page.public.check.empty"), false, 0, 0);
    if (rc != 0 || card_code_normalize(raw, code) != 0)
        return check_page(r, 400, rc == 0 ? raw : NULL,
                          error_message(ERR_INVALID_CARD_CODE, r->lang), false, 0, 0);
    struct card c;
    rc = store_card_get(r->store, code, &c);
    char value[40];
    if (rc == -ERR_CARD_UNKNOWN) {
        http_card_guess_failed(r);
        snprintf(value, sizeof value, "unknown");
    } else if (rc != 0) {
        return rc;
    } else {
        enum card_status s = card_status_on(&c, hki_day(r->actor.now));
        if (s == CARD_VALID || s == CARD_EXPIRED)
            snprintf(value, sizeof value, "%s-%ld", s == CARD_VALID ? "valid" : "expired",
                     (long)c.valid_until);
        else
            snprintf(value, sizeof value, "%s", s == CARD_CANCELLED ? "cancelled" : "not_issued");
    }
    if ((rc = set_check_cookie(r, value, 300)) != 0)
        return rc;
    return web_redirect(r, "/check");
}
