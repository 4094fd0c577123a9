/* The coordinator's reports, on screen with CSV and XLSX downloads, built
 * by the one report pipeline (src/report/): the background of the region's
 * cardholders (R30, counts 1–4 shown as "<5"), the usage report of any
 * venue of the region (R28, R29) and the region's statistics beside the
 * previous year (R31's statistics report, issue 16: charts and a table). */
#include <stdio.h>
#include <string.h>

#include "http/field.h"
#include "core/report.h"
#include "report/build.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/coord.h"
#include "web/languages.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_COORD_REPORTS_KEYS(X)              \
    X("page.coord.reports.title")              \
    X("page.coord.reports.lead")               \
    X("page.coord.reports.cardholders")        \
    X("page.coord.reports.cardholders.lead")   \
    X("page.coord.reports.year")               \
    X("page.coord.reports.show")               \
    X("page.coord.reports.download")           \
    X("page.coord.reports.csv")                \
    X("page.coord.reports.xlsx")               \
    X("page.coord.reports.venue")              \
    X("page.coord.reports.venue.lead")         \
    X("page.coord.reports.venue.choose")       \
    X("page.coord.reports.venue.field")        \
    X("page.coord.reports.from")               \
    X("page.coord.reports.to")                 \
    X("page.coord.reports.venue.caption")      \
    X("page.coord.reports.venue.none")         \
    X("page.coord.reports.venue.more")         \
    X("page.coord.reports.err.period")         \
    X("page.coord.reports.err.too_many")       \
    X("page.coord.reports.stats")              \
    X("page.coord.reports.stats.lead")         \
    X("page.coord.reports.stats.figures")      \
    X("page.coord.reports.stats.figures.desc") \
    X("page.coord.reports.stats.domains.desc") \
    X("page.coord.reports.stats.figure")       \
    X("page.coord.reports.stats.caption")

#define KEY(k) k,
static const char *const reports_keys[] = {WEB_COORD_REPORTS_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_coord_reports_keys = {reports_keys, ARRAY_LEN(reports_keys)};

#define YEARS_OFFERED 5   /* this year and the four before */
#define ROWS_SHOWN    500 /* uses listed on screen; the downloads have all */

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

static int this_year(const struct request *r)
{
    int y, m, d;
    date_to_ymd(hki_day(r->actor.now), &y, &m, &d);
    return y;
}

/* ?year=: one of the years offered; this year when absent. */
static int query_year(struct request *r, int *year)
{
    int64_t v = 0;
    bool present;
    int now = this_year(r);
    int rc = query_int(r, "year", now - YEARS_OFFERED + 1, now, &v, &present);
    *year = present ? (int)v : now;
    return rc;
}

/* The words of a cardholder report's values: a unit's name, a gender, a
 * life situation, a mother tongue in the page's language. */
struct names {
    const struct page *p;
    const struct coord_units *units;
};

static const char *value_name(void *ctx, size_t col, const char *text)
{
    struct names *n = ctx;
    (void)col;
    for (size_t i = 0; i < n->units->n; i++)
        if (strcmp(n->units->list[i].id, text) == 0)
            return n->units->list[i].name;
    char key[80];
    snprintf(key, sizeof key, "page.desk.gender.%s", text);
    if (name_lookup(&gender_names, text) >= 0)
        return i18n_text(n->p->lang, key);
    snprintf(key, sizeof key, "page.desk.life.%s", text);
    if (name_lookup(&life_situation_names, text) >= 0)
        return i18n_text(n->p->lang, key);
    if (strcmp(text, "other") == 0)
        return i18n_text(n->p->lang, "page.desk.lang.other");
    for (size_t i = 0; i < desk_nlanguages; i++)
        if (strcmp(desk_languages[i].code, text) == 0)
            return desk_languages[i].name[n->p->lang];
    return text;
}

static void downloads(struct page *p, const char *id, const char *base, const char *query)
{
    html_raw(&p->h, "<ul class=\"downloads\"");
    html_attr(&p->h, "id", id);
    html_raw(&p->h, ">");
    static const char *const formats[] = {"csv", "xlsx"};
    static const char *const keys[] = {"page.coord.reports.csv", "page.coord.reports.xlsx"};
    for (size_t i = 0; i < 2; i++) {
        char href[400];
        snprintf(href, sizeof href, "%s/%s?%s", base, formats[i], query);
        html_raw(&p->h, "<li><a download");
        html_href(&p->h, "href", href);
        html_raw(&p->h, ">");
        html_text(&p->h, t(p, keys[i]));
        html_raw(&p->h, "</a></li>");
    }
    html_raw(&p->h, "</ul>");
}

static void year_select(struct page *p, int year)
{
    char values[YEARS_OFFERED][12];
    struct net_option o[YEARS_OFFERED];
    int now = this_year(p->r);
    for (int i = 0; i < YEARS_OFFERED; i++) {
        snprintf(values[i], sizeof values[i], "%d", now - i);
        o[i] = (struct net_option){values[i], values[i]};
    }
    char selected[12];
    snprintf(selected, sizeof selected, "%d", year);
    net_select(p, "year", t(p, "page.coord.reports.year"), o, YEARS_OFFERED, selected, NULL);
}

static int cardholders_section(struct page *p, const struct coord_units *units, int year)
{
    struct request *r = p->r;
    net_section(p, "cardholders", t(p, "page.coord.reports.cardholders"));
    net_p(p, t(p, "page.coord.reports.cardholders.lead"));
    html_raw(&p->h, "<form method=\"get\" action=\"/region/reports\" class=\"filters\" "
                    "id=\"cardholders-form\">");
    year_select(p, year);
    html_raw(&p->h, "<button type=\"submit\" id=\"cardholders-show\">");
    html_text(&p->h, t(p, "page.coord.reports.show"));
    html_raw(&p->h, "</button></form>");
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, p->lang, &r->details};
    struct report rep;
    struct cardholders_query q = {.region = r->actor.scope, .year = year, .suppress = true};
    int rc = report_cardholders(&ctx, &q, &rep);
    if (rc == 0) {
        char query[40];
        snprintf(query, sizeof query, "year=%d", year);
        downloads(p, "cardholders-downloads", "/region/reports/cardholders", query);
        struct names n = {p, units};
        /* one table per breakdown: its heading, then value and count */
        html_raw(&p->h, "<div class=\"net-grid\">");
        for (size_t s = 0; s < rep.nsections; s++) {
            const struct report_section *sec = &rep.sections[s];
            if (sec->count == 0)
                continue;
            const struct cell *head = report_cell(&rep, sec->first, 0);
            char id[64];
            snprintf(id, sizeof id, "cardholders-%s", sec->name);
            uint64_t cols = s == 0 ? (UINT64_C(1) << 0) | (UINT64_C(1) << 2) : sec->json_cols;
            net_report_table(p, &rep, (int)s, id, head->text ? head->text : sec->name, cols,
                             SIZE_MAX, value_name, &n);
        }
        html_raw(&p->h, "</div>");
    }
    report_release(&rep);
    net_section_end(p);
    return rc;
}

/* R31's statistics of the region for the year beside the previous one: the
 * main figures and the uses by domain as charts, then every figure. */
static const int chart_figures[] = {STAT_HANDED_OUT, STAT_RENEWALS,  STAT_CANCELLED,
                                    STAT_USES,       STAT_USED_ONCE, STAT_EVENTS};

static int stats_section(struct page *p, int year)
{
    struct request *r = p->r;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, p->lang, &r->details};
    struct report rep;
    int rc = report_statistics(&ctx, &(struct statistics_query){NULL, year}, &rep);
    if (rc != 0) {
        report_release(&rep);
        return rc;
    }
    char ys[12], ps[12], title[200], desc[400], query[40];
    snprintf(ys, sizeof ys, "%d", year);
    snprintf(ps, sizeof ps, "%d", year - 1);
    const char *yargs[] = {ys, ps};
    text_fill(title, sizeof title, t(p, "page.coord.reports.stats"), yargs, 2);
    net_section(p, "stats", title);
    net_p(p, t(p, "page.coord.reports.stats.lead"));
    snprintf(query, sizeof query, "year=%d", year);
    downloads(p, "stats-downloads", "/region/reports/statistics", query);
#define NF ARRAY_LEN(chart_figures)
    _Static_assert(NF >= (size_t)DOMAIN_COUNT, "the arrays hold the domains too");
    const char *labels[NF];
    int64_t a[NF], b[NF];
    for (size_t i = 0; i < NF; i++) {
        labels[i] = net_figure_words(p->lang, name_of(&stat_figure_names, chart_figures[i]));
        net_stat_combined(&rep, chart_figures[i], &a[i], &b[i]);
    }
    text_fill(title, sizeof title, t(p, "page.coord.reports.stats.figures"), yargs, 2);
    text_fill(desc, sizeof desc, t(p, "page.coord.reports.stats.figures.desc"), yargs, 2);
    html_raw(&p->h, "<h3>");
    html_text(&p->h, title);
    html_raw(&p->h, "</h3>");
    chart_pairs(p, "chart-region-figures", title, desc, t(p, "page.coord.reports.stats.figure"), ys,
                ps, labels, a, b, NF);
    for (int d = 0; d < DOMAIN_COUNT; d++) {
        labels[d] = net_figure_words(p->lang, name_of(&stat_figure_names, STAT_USES_CULTURE + d));
        net_stat_combined(&rep, STAT_USES_CULTURE + d, &a[d], &b[d]);
    }
    text_fill(title, sizeof title, t(p, "page.national.stats.domains"), yargs, 2);
    text_fill(desc, sizeof desc, t(p, "page.coord.reports.stats.domains.desc"), yargs, 2);
    html_raw(&p->h, "<h3>");
    html_text(&p->h, title);
    html_raw(&p->h, "</h3>");
    chart_pairs(p, "chart-region-domains", title, desc, t(p, "page.national.stats.domain"), ys, ps,
                labels, a, b, DOMAIN_COUNT);
    /* every figure: the region's rows (its combined section is the same) */
    net_report_table(p, &rep, 0, "stats-table", t(p, "page.coord.reports.stats.caption"),
                     (UINT64_C(1) << 2) | (UINT64_C(1) << 3) | (UINT64_C(1) << 4), SIZE_MAX,
                     net_figure_column, &p->lang);
    report_release(&rep);
    net_section_end(p);
    return 0;
#undef NF
}

struct venue_query {
    const char *venue;
    int32_t from, to;
    const char *error;
};

static int venue_section(struct page *p, const struct coord_venues *venues,
                         const struct venue_query *q)
{
    struct request *r = p->r;
    net_section(p, "venue-usage", t(p, "page.coord.reports.venue"));
    net_p(p, t(p, "page.coord.reports.venue.lead"));
    html_raw(&p->h, "<form method=\"get\" action=\"/region/reports\" class=\"filters\" "
                    "id=\"venue-form\">");
    struct net_option *o = arena_alloc(&r->arena, (venues->n + 1) * sizeof *o);
    if (!o)
        return -ERR_INTERNAL;
    o[0] = (struct net_option){"", t(p, "page.coord.reports.venue.choose")};
    for (size_t i = 0; i < venues->n; i++)
        o[i + 1] = (struct net_option){venues->list[i].id, venues->list[i].name};
    net_select(p, "venue", t(p, "page.coord.reports.venue.field"), o, venues->n + 1, q->venue,
               NULL);
    char from[16] = "", to[16] = "";
    if (q->from >= 0)
        date_format(q->from, from);
    if (q->to >= 0)
        date_format(q->to, to);
    page_input(p, &(struct page_field){.id = "from",
                                       .label = t(p, "page.coord.reports.from"),
                                       .type = "date",
                                       .value = from,
                                       .error = q->error});
    page_input(
        p, &(struct page_field){
               .id = "to", .label = t(p, "page.coord.reports.to"), .type = "date", .value = to});
    html_raw(&p->h, "<button type=\"submit\" id=\"venue-show\">");
    html_text(&p->h, t(p, "page.coord.reports.show"));
    html_raw(&p->h, "</button></form>");
    int rc = 0;
    if (q->venue[0] && !q->error) {
        struct report_source src = report_source_store(r->store);
        struct report_ctx ctx = {&src, &r->actor, p->lang, &r->details};
        struct report rep;
        struct venue_usage_query vq = {.venue = q->venue,
                                       .has_from = q->from >= 0,
                                       .has_to = q->to >= 0,
                                       .from = q->from,
                                       .to = q->to};
        rc = report_venue_usage(&ctx, &vq, &rep);
        if (rc == 0) {
            char query[160];
            snprintf(query, sizeof query, "venue=%s%s%s%s%s", q->venue, from[0] ? "&from=" : "",
                     from, to[0] ? "&to=" : "", to);
            downloads(p, "venue-downloads", "/region/reports/venue", query);
            size_t rows = rep.sections[0].count;
            if (rows == 0)
                net_p(p, t(p, "page.coord.reports.venue.none"));
            else {
                net_report_table(p, &rep, -1, "venue-usage-table",
                                 t(p, "page.coord.reports.venue.caption"),
                                 (UINT64_C(1) << rep.ncols) - 1, ROWS_SHOWN, NULL, NULL);
                if (rows > ROWS_SHOWN) {
                    char n[I18N_NUMBER_LEN];
                    i18n_number(p->lang, ROWS_SHOWN, n);
                    const char *args[] = {n};
                    net_pf(p, i18n_plural(p->lang, "page.coord.reports.venue.more", ROWS_SHOWN),
                           args, 1);
                }
            }
        } else if (rc == -ERR_INVALID_REQUEST) {
            page_notice(p, "error", t(p, "page.coord.reports.err.too_many"), NULL);
            rc = 0;
        }
        report_release(&rep);
    }
    net_section_end(p);
    return rc;
}

/* GET /region/reports?year=&venue=&from=&to= */
int web_coord_reports(struct request *r)
{
    int year, rc;
    struct venue_query q = {.venue = req_query(r, "venue")};
    if ((rc = query_year(r, &year)) != 0)
        return rc;
    if (query_date(r, "from", &q.from) != 0 || query_date(r, "to", &q.to) != 0)
        q.error = i18n_text(r->lang, "page.coord.reports.err.period");
    r->details = (struct error_details){0};
    if (!q.venue)
        q.venue = "";
    if (q.from >= 0 && q.to >= 0 && q.from > q.to)
        q.error = i18n_text(r->lang, "page.coord.reports.err.period");
    struct {
        struct coord_units units;
        struct coord_venues venues;
    } *w = arena_alloc(&r->arena, sizeof *w);
    if (!w)
        return -ERR_INTERNAL;
    if ((rc = coord_units(r, &w->units)) != 0 || (rc = coord_venues(r, &w->venues)) != 0)
        return rc;
    bool known = !q.venue[0];
    for (size_t i = 0; !known && i < w->venues.n; i++)
        known = strcmp(w->venues.list[i].id, q.venue) == 0;
    if (!known)
        return -ERR_NOT_FOUND;
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.coord.reports.title"));
    net_nav(&p, "/region/reports");
    page_heading(&p, t(&p, "page.coord.reports.title"), t(&p, "page.coord.reports.lead"));
    if (q.error) {
        struct page_error e = {"from", q.error};
        page_error_summary(&p, &e, 1);
    }
    if ((rc = cardholders_section(&p, &w->units, year)) != 0 ||
        (rc = stats_section(&p, year)) != 0 || (rc = venue_section(&p, &w->venues, &q)) != 0) {
        html_free(&p.h);
        return rc;
    }
    return page_end(&p, q.error ? 422 : 200);
}

/* A yearly report's download: its format from the path, its year from the
 * query. */
static int yearly_download(struct request *r, const struct report_renderer **out, int *year)
{
    *out = net_renderer(r->params[0]);
    return *out ? query_year(r, year) : -ERR_NOT_FOUND;
}

/* GET /region/reports/cardholders/{format}?year= */
int web_coord_report_cardholders(struct request *r)
{
    const struct report_renderer *out;
    int year, rc;
    if ((rc = yearly_download(r, &out, &year)) != 0)
        return rc;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, r->lang, &r->details};
    struct report rep;
    struct cardholders_query q = {.region = r->actor.scope, .year = year, .suppress = true};
    rc = report_cardholders(&ctx, &q, &rep);
    if (rc == 0)
        rc = net_report_download(r, &rep, out);
    report_release(&rep);
    return rc;
}

/* GET /region/reports/statistics/{format}?year= */
int web_coord_report_statistics(struct request *r)
{
    const struct report_renderer *out;
    int year, rc = yearly_download(r, &out, &year);
    return rc != 0 ? rc : net_statistics_download(r, year, out);
}

/* GET /region/reports/venue/{format}?venue=&from=&to= */
int web_coord_report_venue(struct request *r)
{
    const struct report_renderer *out = net_renderer(r->params[0]);
    const char *venue = req_query(r, "venue");
    struct venue_usage_query q = {.venue = venue};
    int rc;
    if (!out || !venue || !str_is_slug(venue, ID_MAX))
        return -ERR_NOT_FOUND;
    if ((rc = query_date(r, "from", &q.from)) != 0 || (rc = query_date(r, "to", &q.to)) != 0)
        return rc;
    q.has_from = q.from >= 0;
    q.has_to = q.to >= 0;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, r->lang, &r->details};
    struct report rep;
    rc = report_venue_usage(&ctx, &q, &rep);
    if (rc == 0)
        rc = net_report_download(r, &rep, out);
    report_release(&rep);
    return rc;
}
