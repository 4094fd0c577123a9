/* The national service's pages: regions and their pilots (R5) — added,
 * renamed, a pilot changed or ended —, the pop-up venues outside every
 * region (R22), and the national statistics (R31) with the previous year
 * beside and charts drawn on the server. The audit log is in
 * national_audit.c. */
#include <stdio.h>
#include <string.h>

#include "http/field.h"
#include "report/build.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/coord.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_NATIONAL_KEYS(X)                 \
    X("page.national.regions.title")         \
    X("page.national.regions.lead")          \
    X("page.national.regions.caption")       \
    X("page.national.regions.pilot")         \
    X("page.national.regions.no_pilot")      \
    X("page.national.region.add")            \
    X("page.national.region.added")          \
    X("page.national.region.pilot")          \
    X("page.national.region.pilot.hint")     \
    X("page.national.region.edit")           \
    X("page.national.region.saved")          \
    X("page.national.region.end_pilot")      \
    X("page.national.region.end_pilot.lead") \
    X("page.national.region.ended")          \
    X("page.national.region.pilot_now")      \
    X("page.national.err.date")              \
    X("page.national.popups.title")          \
    X("page.national.popups.lead")           \
    X("page.national.popups.caption")        \
    X("page.national.popups.none")           \
    X("page.national.popup.add")             \
    X("page.national.stats.title")           \
    X("page.national.stats.lead")            \
    X("page.national.stats.table")           \
    X("page.national.stats.handed")          \
    X("page.national.stats.handed.desc")     \
    X("page.national.stats.uses")            \
    X("page.national.stats.uses.desc")       \
    X("page.national.stats.region")          \
    X("page.national.stats.year")            \
    X("page.national.stats.domains")         \
    X("page.national.stats.domains.desc")    \
    X("page.national.stats.domain")          \
    X("page.stats.fig.in_stock")             \
    X("page.stats.fig.handed_out")           \
    X("page.stats.fig.valid_now")            \
    X("page.stats.fig.cancelled")            \
    X("page.stats.fig.renewals")             \
    X("page.stats.fig.uses")                 \
    X("page.stats.fig.uses_culture")         \
    X("page.stats.fig.uses_education")       \
    X("page.stats.fig.uses_science")         \
    X("page.stats.fig.uses_sports")          \
    X("page.stats.fig.uses_other")           \
    X("page.stats.fig.adult")                \
    X("page.stats.fig.child")                \
    X("page.stats.fig.companion")            \
    X("page.stats.fig.used_at_least_once")   \
    X("page.stats.fig.used_share")           \
    X("page.stats.fig.venues")               \
    X("page.stats.fig.units")                \
    X("page.stats.fig.events")               \
    X("page.national.audit.title")           \
    X("page.national.audit.lead")            \
    X("page.national.audit.caption")         \
    X("page.national.audit.user")            \
    X("page.national.audit.action")          \
    X("page.national.audit.action.hint")     \
    X("page.national.audit.object")          \
    X("page.national.audit.address")         \
    X("page.national.audit.region")          \
    X("page.national.audit.when")            \
    X("page.national.audit.filter")          \
    X("page.national.audit.none")            \
    X("page.national.audit.next")            \
    X("page.national.audit.first")           \
    X("page.national.audit.shown")

#define KEY(k) k,
static const char *const national_keys[] = {WEB_NATIONAL_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_national_keys = {national_keys, ARRAY_LEN(national_keys)};

#define REGIONS_MAX 400

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

static const char *tr(const struct request *r, const char *key)
{
    return i18n_text(r->lang, key);
}

struct regions {
    struct region list[REGIONS_MAX];
    size_t n;
};

static int add_region(void *ctx, const struct region *g)
{
    struct regions *l = ctx;
    if (l->n < REGIONS_MAX)
        l->list[l->n++] = *g;
    return 0;
}

/* ---- regions and pilots ---- */

struct region_view {
    struct id_name_view base;
    const char *pilot, *pilot_error;
};

static void pilot_text(struct page *p, int32_t day)
{
    if (day < 0) {
        html_text(&p->h, t(p, "page.national.regions.no_pilot"));
        return;
    }
    char date[I18N_DATE_LEN];
    i18n_date(p->lang, day, date);
    const char *args[] = {date};
    html_textf(&p->h, t(p, "page.national.region.pilot_now"), args, 1);
}

static int regions_page(struct request *r, const struct region_view *v, int status)
{
    struct regions *l = arena_alloc(&r->arena, sizeof *l);
    if (!l)
        return -ERR_INTERNAL;
    l->n = 0;
    int rc = store_region_list(r->store, add_region, l);
    if (rc != 0)
        return rc;
    struct page p;
    page_begin(&p, r, tr(r, "page.national.regions.title"));
    net_nav(&p, "/national");
    page_heading(&p, t(&p, "page.national.regions.title"), t(&p, "page.national.regions.lead"));
    struct page_error e[3];
    size_t ne = 0;
    if (v->base.id_error)
        e[ne++] = (struct page_error){"id", v->base.id_error};
    if (v->base.name_error)
        e[ne++] = (struct page_error){"name", v->base.name_error};
    if (v->pilot_error)
        e[ne++] = (struct page_error){"pilot_ends_on", v->pilot_error};
    page_error_summary(&p, e, ne);
    net_notice_show(&p);
    const char *cols[] = {t(&p, "page.coord.col.name"), t(&p, "page.coord.col.id"),
                          t(&p, "page.national.regions.pilot"), t(&p, "page.coord.col.actions")};
    net_table(&p, "regions", t(&p, "page.national.regions.caption"), cols, 4, 0);
    for (size_t i = 0; i < l->n; i++) {
        const struct region *g = &l->list[i];
        html_raw(&p.h, "<tr>");
        net_th_row(&p, g->name);
        html_raw(&p.h, "<td class=\"code\">");
        html_text(&p.h, g->id);
        html_raw(&p.h, "</td><td>");
        pilot_text(&p, g->pilot_ends_on);
        html_raw(&p.h, "</td>");
        char href[96];
        snprintf(href, sizeof href, "/national/regions/%s", g->id);
        net_td_edit(&p, href, "page.national.region.edit", g->name);
        html_raw(&p.h, "</tr>");
    }
    net_table_end(&p);
    net_section(&p, "region-add", t(&p, "page.national.region.add"));
    net_form(&p, "region-add-form", "/national/regions", "narrow");
    page_input(&p, &(struct page_field){.id = "id",
                                        .label = t(&p, "page.coord.field.id"),
                                        .hint = t(&p, "page.coord.field.id.hint"),
                                        .value = v->base.id,
                                        .autocomplete = "off",
                                        .required = true,
                                        .error = v->base.id_error});
    page_input(&p, &(struct page_field){.id = "name",
                                        .label = t(&p, "page.coord.field.name"),
                                        .value = v->base.name,
                                        .autocomplete = "off",
                                        .required = true,
                                        .error = v->base.name_error});
    page_input(&p, &(struct page_field){.id = "pilot_ends_on",
                                        .label = t(&p, "page.national.region.pilot"),
                                        .hint = t(&p, "page.national.region.pilot.hint"),
                                        .type = "date",
                                        .value = v->pilot,
                                        .error = v->pilot_error});
    net_form_end(&p, "region-add-submit", "primary", t(&p, "page.national.region.add"));
    net_section_end(&p);
    return page_end(&p, status);
}

int web_national(struct request *r)
{
    return regions_page(r, &(struct region_view){{"", "", NULL, NULL}, "", NULL}, 200);
}

/* The name and the pilot's end of a region form, checked. */
static int read_region(struct request *r, struct region_view *v, bool with_id, int32_t *pilot)
{
    int rc;
    if ((with_id && (rc = net_field(r, "id", 200, &v->base.id)) != 0) ||
        (rc = net_field(r, "name", NAME_MAX_BYTES * 2, &v->base.name)) != 0 ||
        (rc = net_field(r, "pilot_ends_on", 40, &v->pilot)) != 0)
        return rc;
    if (with_id && !str_is_slug(v->base.id, ID_MAX))
        v->base.id_error = tr(r, "page.coord.err.id");
    const char *trimmed = v->base.name + strspn(v->base.name, " \t");
    if (!trimmed[0] || strlen(v->base.name) > NAME_MAX_BYTES)
        v->base.name_error = tr(r, "page.coord.err.name");
    *pilot = -1;
    if (v->pilot[0] && date_parse(v->pilot, pilot) != 0)
        v->pilot_error = tr(r, "page.national.err.date");
    return 0;
}

int web_national_region_add(struct request *r)
{
    struct region_view v = {0};
    struct region g = {0};
    int rc = read_region(r, &v, true, &g.pilot_ends_on);
    if (rc != 0)
        return rc;
    if (!v.base.id_error && !v.base.name_error && !v.pilot_error) {
        str_copy(g.id, sizeof g.id, v.base.id);
        str_copy(g.name, sizeof g.name, v.base.name);
        rc = store_region_add(r->store, &r->actor, &g);
        if (rc == 0) {
            const char *args[] = {g.name};
            return net_done(r, "/national", "page.national.region.added", args, 1);
        }
        if (rc != -ERR_ALREADY_EXISTS)
            return rc;
        char text[300];
        const char *args[] = {v.base.id};
        text_fill(text, sizeof text, tr(r, "page.coord.err.id_taken"), args, 1);
        v.base.id_error = arena_strdup(&r->arena, text);
    }
    return regions_page(r, &v, 422);
}

static int region_edit_page(struct request *r, const struct region *g, const struct region_view *v,
                            int status)
{
    char title[300];
    const char *args[] = {g->name};
    text_fill(title, sizeof title, tr(r, "page.national.region.edit"), args, 1);
    struct page p;
    page_begin(&p, r, title);
    net_nav(&p, "/national");
    page_heading(&p, title, NULL);
    struct page_error e[2];
    size_t ne = 0;
    if (v->base.name_error)
        e[ne++] = (struct page_error){"name", v->base.name_error};
    if (v->pilot_error)
        e[ne++] = (struct page_error){"pilot_ends_on", v->pilot_error};
    page_error_summary(&p, e, ne);
    html_raw(&p.h, "<p id=\"pilot-state\">");
    pilot_text(&p, g->pilot_ends_on);
    html_raw(&p.h, "</p>");
    char action[96];
    snprintf(action, sizeof action, "/national/regions/%s", g->id);
    net_form(&p, "region-edit-form", action, "narrow");
    page_input(&p, &(struct page_field){.id = "name",
                                        .label = t(&p, "page.coord.field.name"),
                                        .value = v->base.name,
                                        .autocomplete = "off",
                                        .required = true,
                                        .error = v->base.name_error});
    page_input(&p, &(struct page_field){.id = "pilot_ends_on",
                                        .label = t(&p, "page.national.region.pilot"),
                                        .hint = t(&p, "page.national.region.pilot.hint"),
                                        .type = "date",
                                        .value = v->pilot,
                                        .error = v->pilot_error});
    net_form_end(&p, "region-edit-submit", "primary", t(&p, "page.coord.save"));
    if (g->pilot_ends_on >= 0) {
        net_section(&p, "end-pilot", t(&p, "page.national.region.end_pilot"));
        net_p(&p, t(&p, "page.national.region.end_pilot.lead"));
        net_form(&p, "end-pilot-form", action, NULL);
        html_raw(&p.h, "<input type=\"hidden\" name=\"end_pilot\" value=\"true\">");
        net_form_end(&p, "end-pilot-submit", "danger", t(&p, "page.national.region.end_pilot"));
        net_section_end(&p);
    }
    html_raw(&p.h, "<p class=\"back\"><a href=\"/national\">");
    html_text(&p.h, t(&p, "page.coord.back"));
    html_raw(&p.h, "</a></p>");
    return page_end(&p, status);
}

static int path_region(struct request *r, struct region *g)
{
    const char *id = r->params[0];
    if (!str_is_slug(id, ID_MAX) || store_region_get(r->store, id, g) != 0)
        return -ERR_NOT_FOUND;
    return 0;
}

int web_national_region_form(struct request *r)
{
    struct region g;
    int rc = path_region(r, &g);
    if (rc != 0)
        return rc;
    char pilot[16] = "";
    if (g.pilot_ends_on >= 0)
        date_format(g.pilot_ends_on, pilot);
    struct region_view v = {{g.id, g.name, NULL, NULL}, arena_strdup(&r->arena, pilot), NULL};
    return region_edit_page(r, &g, &v, 200);
}

/* POST /national/regions/{id}: name and pilot, or end_pilot (R5). */
int web_national_region_update(struct request *r)
{
    struct region g;
    bool end = false;
    int rc;
    if ((rc = path_region(r, &g)) != 0 || (rc = field_bool(r, "end_pilot", 0, &end)) < 0)
        return rc;
    struct region_change c = {.set_pilot = true, .pilot_ends_on = -1};
    if (!end) {
        struct region_view v = {0};
        if ((rc = read_region(r, &v, false, &c.pilot_ends_on)) != 0)
            return rc;
        if (v.base.name_error || v.pilot_error)
            return region_edit_page(r, &g, &v, 422);
        c.name = v.base.name;
    }
    struct region out;
    if ((rc = store_region_update(r->store, &r->actor, g.id, &c, &out)) != 0)
        return rc;
    const char *args[] = {out.name};
    return net_done(r, "/national",
                    end ? "page.national.region.ended" : "page.national.region.saved", args, 1);
}

/* ---- pop-up venues (R22) ---- */

static int only_popups(void *ctx, const struct venue *v)
{
    return v->region[0] ? 0 : coord_add_venue(ctx, v);
}

static int popups_page(struct request *r, const struct venue_view *v, int status)
{
    struct coord_venues *l = arena_alloc(&r->arena, sizeof *l);
    if (!l)
        return -ERR_INTERNAL;
    l->n = 0;
    int rc = store_venue_list(r->store, "", only_popups, l);
    if (rc != 0)
        return rc;
    struct page p;
    page_begin(&p, r, tr(r, "page.national.popups.title"));
    net_nav(&p, "/national/popups");
    page_heading(&p, t(&p, "page.national.popups.title"), t(&p, "page.national.popups.lead"));
    struct page_error e[3];
    page_error_summary(&p, e, coord_venue_errors(v, e));
    net_notice_show(&p);
    if (l->n == 0)
        net_p(&p, t(&p, "page.national.popups.none"));
    else {
        const char *cols[] = {t(&p, "page.coord.col.name"), t(&p, "page.coord.col.id"),
                              t(&p, "page.coord.venues.category"),
                              t(&p, "page.coord.venues.cloakroom")};
        net_table(&p, "popups", t(&p, "page.national.popups.caption"), cols, 4, 0);
        for (size_t i = 0; i < l->n; i++) {
            html_raw(&p.h, "<tr>");
            net_th_row(&p, l->list[i].name);
            html_raw(&p.h, "<td class=\"code\">");
            html_text(&p.h, l->list[i].id);
            html_raw(&p.h, "</td>");
            net_td(&p, coord_category(&p, l->list[i].category));
            net_td(&p, t(&p, l->list[i].free_cloakroom ? "page.coord.yes" : "page.coord.no"));
            html_raw(&p.h, "</tr>");
        }
        net_table_end(&p);
    }
    net_section(&p, "popup-add", t(&p, "page.national.popup.add"));
    net_form(&p, "popup-add-form", "/national/popups", "narrow");
    coord_venue_fields(&p, v);
    net_form_end(&p, "popup-add-submit", "primary", t(&p, "page.national.popup.add"));
    net_section_end(&p);
    return page_end(&p, status);
}

int web_national_popups(struct request *r)
{
    return popups_page(r, &(struct venue_view){{"", "", NULL, NULL}, "festival", "", false, NULL},
                       200);
}

int web_national_popup_add(struct request *r)
{
    struct venue_view v = {0};
    struct venue ve;
    int rc = coord_venue_add(r, "", &v, &ve);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return popups_page(r, &v, 422);
    const char *args[] = {ve.name};
    return net_done(r, "/national/popups", "page.coord.venue.added", args, 1);
}

/* ---- national statistics (R31): the statistics report (issue 16) ---- */

#define STAT_ROWS 400

/* The charts' figures, read from the report's rows: handed out and uses by
 * region (the pop-up venues last), uses by domain for the whole country. */
struct stat_rows {
    const char *labels[STAT_ROWS];
    int64_t handed[2][STAT_ROWS], uses[2][STAT_ROWS];
    size_t n;
    const char *domain_labels[DOMAIN_COUNT];
    int64_t domains[2][DOMAIN_COUNT];
};

static int64_t cell_count(const struct cell *c)
{
    return c->kind == CELL_INT ? c->value : 0;
}

static void stat_rows_read(const struct report *rep, struct stat_rows *s)
{
    for (size_t k = 0; k < rep->nsections; k++) {
        const struct report_section *sec = &rep->sections[k];
        bool combined = strcmp(sec->name, "combined") == 0;
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct cell *row = &rep->cells[i * rep->ncols];
            const char *figure = row[2].text ? row[2].text : "";
            int f = name_lookup(&stat_figure_names, figure);
            if (combined)
                continue;
            if (f != STAT_HANDED_OUT && f != STAT_USES)
                continue;
            const char *name = row[1].text ? row[1].text : "";
            size_t j = 0;
            while (j < s->n && strcmp(s->labels[j], name) != 0)
                j++;
            if (j == s->n) {
                if (s->n >= STAT_ROWS)
                    continue;
                s->labels[s->n++] = name;
            }
            int64_t(*to)[STAT_ROWS] = f == STAT_HANDED_OUT ? s->handed : s->uses;
            to[0][j] = cell_count(&row[3]);
            to[1][j] = cell_count(&row[4]);
        }
    }
}

static int this_year(const struct request *r)
{
    int y, m, d;
    date_to_ymd(hki_day(r->actor.now), &y, &m, &d);
    return y;
}

static int stats_year(struct request *r, int *year)
{
    int64_t v = 0;
    bool present;
    int now = this_year(r);
    int rc = query_int(r, "year", 2000, now, &v, &present);
    *year = present ? (int)v : now;
    return rc;
}

/* One section of the statistics page: its heading and a chart of this year
 * (yargs[0]) beside the previous one (yargs[1]), by the catalogue's keys
 * "page.national.stats.NAME" and its ".desc"; ids "stats-NAME", "chart-NAME". */
static void stats_chart(struct page *p, const char *name, const char *label_key,
                        const char *const yargs[2], const char *const *labels,
                        const int64_t *this_year, const int64_t *last_year, size_t n)
{
    char key[64], id[40], title[200], desc[400];
    snprintf(key, sizeof key, "page.national.stats.%s", name);
    text_fill(title, sizeof title, t(p, key), yargs, 2);
    snprintf(id, sizeof id, "stats-%s", name);
    net_section(p, id, title);
    snprintf(key, sizeof key, "page.national.stats.%s.desc", name);
    text_fill(desc, sizeof desc, t(p, key), yargs, 2);
    snprintf(id, sizeof id, "chart-%s", name);
    chart_pairs(p, id, title, desc, t(p, label_key), yargs[0], yargs[1], labels, this_year,
                last_year, n);
    net_section_end(p);
}

int web_national_stats(struct request *r)
{
    int year, rc;
    if ((rc = stats_year(r, &year)) != 0)
        return rc;
    struct stat_rows *s = arena_alloc(&r->arena, sizeof *s);
    if (!s)
        return -ERR_INTERNAL;
    memset(s, 0, sizeof *s);
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, r->lang, &r->details};
    struct report rep;
    if ((rc = report_statistics(&ctx, &(struct statistics_query){NULL, year}, &rep)) != 0) {
        report_release(&rep);
        return rc;
    }
    stat_rows_read(&rep, s);
    for (int d = 0; d < DOMAIN_COUNT; d++) {
        s->domain_labels[d] =
            net_figure_words(r->lang, name_of(&stat_figure_names, STAT_USES_CULTURE + d));
        net_stat_combined(&rep, STAT_USES_CULTURE + d, &s->domains[0][d], &s->domains[1][d]);
    }
    struct page p;
    page_begin(&p, r, tr(r, "page.national.stats.title"));
    net_nav(&p, "/national/stats");
    page_heading(&p, t(&p, "page.national.stats.title"), t(&p, "page.national.stats.lead"));
    /* the year: this one and the four before */
    html_raw(&p.h, "<form method=\"get\" action=\"/national/stats\" class=\"filters\" "
                   "id=\"stats-form\">");
    char values[5][12], selected[12];
    struct net_option o[5];
    for (int i = 0; i < 5; i++) {
        snprintf(values[i], sizeof values[i], "%d", this_year(r) - i);
        o[i] = (struct net_option){values[i], values[i]};
    }
    snprintf(selected, sizeof selected, "%d", year);
    net_select(&p, "year", t(&p, "page.national.stats.year"), o, 5, selected, NULL);
    html_raw(&p.h, "<button type=\"submit\" id=\"stats-show\">");
    html_text(&p.h, t(&p, "page.coord.reports.show"));
    html_raw(&p.h, "</button></form><ul class=\"downloads\" id=\"stats-downloads\">");
    static const char *const formats[] = {"csv", "xlsx"};
    static const char *const fkeys[] = {"page.coord.reports.csv", "page.coord.reports.xlsx"};
    for (size_t i = 0; i < 2; i++) {
        char href[80];
        snprintf(href, sizeof href, "/national/stats/%s?year=%d", formats[i], year);
        html_raw(&p.h, "<li><a download");
        html_href(&p.h, "href", href);
        html_raw(&p.h, ">");
        html_text(&p.h, t(&p, fkeys[i]));
        html_raw(&p.h, "</a></li>");
    }
    html_raw(&p.h, "</ul>");
    char ys[12], ps[12];
    snprintf(ys, sizeof ys, "%d", year);
    snprintf(ps, sizeof ps, "%d", year - 1);
    const char *yargs[] = {ys, ps};
    stats_chart(&p, "handed", "page.national.stats.region", yargs, s->labels, s->handed[0],
                s->handed[1], s->n);
    stats_chart(&p, "uses", "page.national.stats.region", yargs, s->labels, s->uses[0], s->uses[1],
                s->n);
    stats_chart(&p, "domains", "page.national.stats.domain", yargs, s->domain_labels, s->domains[0],
                s->domains[1], DOMAIN_COUNT);
    net_section(&p, "stats-all", t(&p, "page.national.stats.table"));
    net_report_table(&p, &rep, -1, "stats-table", t(&p, "page.national.stats.table"),
                     ((UINT64_C(1) << rep.ncols) - 1) & ~UINT64_C(1), SIZE_MAX, net_figure_column,
                     &p.lang);
    net_section_end(&p);
    report_release(&rep);
    return page_end(&p, 200);
}

/* GET /national/stats/{format}?year= */
int web_national_stats_download(struct request *r)
{
    const struct report_renderer *out = net_renderer(r->params[0]);
    int year, rc;
    if (!out)
        return -ERR_NOT_FOUND;
    if ((rc = stats_year(r, &year)) != 0)
        return rc;
    return net_statistics_download(r, year, out);
}
