/* Reports (R28–R31): a venue's usage, the background of a region's
 * cardholders, and the national statistics. Each reads its parameters, asks
 * the store (one read transaction, which also checks the caller's scope,
 * R32) and replies in the format of ?format=: JSON in the shape of api.md,
 * or a table (report/table.h) as a CSV or XLSX download whose headings
 * follow Accept-Language (R36). Small counts are hidden here, as they are
 * shown (R30). */
#include <string.h>

#include "api/api.h"
#include "core/report.h"
#include "http/json.h"
#include "report/table.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

#define FILENAME_MAX_BYTES 200
#define COUNT_OF(a)        (sizeof(a) / sizeof((a)[0]))

static const char *const format_list[FORMAT_COUNT] = {"json", "csv", "xlsx"};
const struct name_table report_format_names = {format_list, FORMAT_COUNT};

static const char *const content_types[FORMAT_COUNT] = {
    [FORMAT_CSV] = MEDIA_CSV "; charset=utf-8",
    [FORMAT_XLSX] = MEDIA_XLSX,
};

/* ---- parameters ---- */

static int query_format(struct request *r, enum report_format *out)
{
    const char *s = req_query(r, "format");
    int f = s ? name_lookup(&report_format_names, s) : FORMAT_JSON;
    if (f < 0)
        return req_fail(r, ERR_INVALID_REQUEST, "format");
    *out = (enum report_format)f;
    return 0;
}

/* A calendar year; required. */
static int query_year(struct request *r, int *out)
{
    int64_t year;
    bool present;
    int rc = query_int(r, "year", 1900, 9999, &year, &present);
    if (rc != 0)
        return rc;
    if (!present)
        return req_fail(r, ERR_INVALID_REQUEST, "year");
    *out = (int)year;
    return 0;
}

/* An optional id of a region or venue. */
static int query_slug(struct request *r, const char *name, const char **out)
{
    *out = req_query(r, name);
    if (*out && !str_is_slug(*out, ID_MAX))
        return req_fail(r, ERR_INVALID_REQUEST, name);
    return 0;
}

/* ?suppress=true|false, true when absent (R30). */
static int query_suppress(struct request *r, bool *out)
{
    const char *s = req_query(r, "suppress");
    *out = true;
    if (s && strcmp(s, "false") == 0)
        *out = false;
    else if (s && strcmp(s, "true") != 0)
        return req_fail(r, ERR_INVALID_REQUEST, "suppress");
    return 0;
}

static json_t *date_json(bool present, int32_t day)
{
    char buf[DATE_STR_LEN];
    if (!present)
        return json_null();
    date_format(day, buf);
    return json_string(buf);
}

/* ---- replies ---- */

/* Replies with the table as a CSV or XLSX download named `name` plus the
 * format's extension. Releases the table. */
static int reply_table(struct request *r, struct table *t, enum report_format f, const char *name)
{
    char disposition[FILENAME_MAX_BYTES + 40];
    char *bytes = NULL;
    size_t len = 0;
    /* name is made of ids (a-z 0-9 -) and dates only: nothing to escape. */
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", name,
             format_list[f]);
    const char *header = arena_strdup(&r->arena, disposition);
    int rc = !header            ? -ERR_INTERNAL
             : f == FORMAT_XLSX ? table_xlsx(t, &bytes, &len)
                                : table_csv(t, &bytes, &len);
    table_release(t);
    if (rc != 0)
        return rc;
    reply_header(r, "Content-Disposition", header);
    return reply_bytes(r, 200, content_types[f], bytes, len);
}

/* The first row of a table: its headings in the caller's language. */
static int add_headings(struct table *t, const enum report_label *labels, size_t n, enum lang lang)
{
    struct cell row[TABLE_COLS_MAX];
    for (size_t i = 0; i < n && i < TABLE_COLS_MAX; i++)
        row[i] = CELL_T(report_label(labels[i], lang));
    return table_add(t, row);
}

/* ---- R28, R29: a venue's usage ---- */

/* A report holds its rows in memory: a period with more uses than this is
 * refused (ask for a shorter one), so that one request cannot take the
 * server's memory. A busy venue has some tens of thousands a year. */
#define USAGE_ROWS_MAX 100000

struct usage_report {
    struct request *r;
    size_t count;
    enum report_format format;
    json_t *rows;       /* JSON */
    struct table table; /* CSV, XLSX */
    struct usage_totals totals;
};

static int add_usage(void *ctx, const struct usage_row *u)
{
    struct usage_report *x = ctx;
    if (++x->count > USAGE_ROWS_MAX) {
        x->r->details.field = "to";
        return error_value(&x->r->details, ERR_INVALID_REQUEST, "max_rows", USAGE_ROWS_MAX, 0);
    }
    usage_totals_add(&x->totals, u->adult, u->child);
    if (x->format != FORMAT_JSON) {
        const struct cell row[] = {CELL_T(u->card), CELL_I(u->adult), CELL_I(u->child),
                                   CELL_T(u->event), CELL_D(u->date)};
        return table_add(&x->table, row);
    }
    json_t *o =
        json_pack("{s:s, s:i, s:i, s:s, s:o}", "card", u->card, "adult", (int)u->adult, "child",
                  (int)u->child, "event", u->event, "date", date_json(true, u->date));
    return o && json_array_append_new(x->rows, o) == 0 ? 0 : -ERR_INTERNAL;
}

/* Venue staff may leave out ?venue=: their own venue. */
int api_reports_venue_usage(struct request *r)
{
    static const enum report_label headings[] = {LABEL_CARD, LABEL_ADULT, LABEL_CHILD, LABEL_EVENT,
                                                 LABEL_DATE};
    struct usage_report x = {.r = r, .format = FORMAT_JSON};
    const char *venue;
    int32_t from, to;
    int rc;
    if ((rc = query_slug(r, "venue", &venue)) != 0 || (rc = query_format(r, &x.format)) != 0 ||
        (rc = query_date(r, "from", &from)) != 0 || (rc = query_date(r, "to", &to)) != 0)
        return rc;
    if (!venue && r->actor.role == ROLE_VENUE)
        venue = r->actor.scope;
    if (!venue)
        return req_fail(r, ERR_INVALID_REQUEST, "venue");
    /* Dates are Finnish event days, both inclusive; absent: open. */
    bool has_from = req_query(r, "from") != NULL, has_to = req_query(r, "to") != NULL;
    int32_t first = has_from ? from : date_from_ymd(1900, 1, 1);
    int32_t last = has_to ? to : date_from_ymd(9999, 12, 31);
    if (first > last)
        return req_fail(r, ERR_INVALID_REQUEST, "from");

    if (x.format == FORMAT_JSON && !(x.rows = json_array()))
        return -ERR_INTERNAL;
    if (x.format != FORMAT_JSON) {
        table_init(&x.table, "venue-usage", COUNT_OF(headings), r->lang);
        rc = add_headings(&x.table, headings, COUNT_OF(headings), r->lang);
    }
    if (rc == 0)
        rc = store_report_venue_usage(r->store, &r->actor, venue, first, last, add_usage, &x);
    if (rc != 0) {
        json_decref(x.rows);
        table_release(&x.table);
        return rc;
    }
    if (x.format == FORMAT_JSON)
        return reply_json(r, 200,
                          json_pack("{s:s, s:o, s:o, s:o, s:{s:I, s:I}}", "venue", venue, "from",
                                    date_json(has_from, from), "to", date_json(has_to, to), "rows",
                                    x.rows, "totals", "adult", (json_int_t)x.totals.adult, "child",
                                    (json_int_t)x.totals.child));

    /* R28: the totals row, as the seed's "Yhteensä 2 4". */
    const struct cell total[] = {CELL_T(report_label(LABEL_TOTAL, r->lang)), CELL_I(x.totals.adult),
                                 CELL_I(x.totals.child), CELL_NONE, CELL_NONE};
    if ((rc = table_add(&x.table, total)) != 0) {
        table_release(&x.table);
        return rc;
    }
    char name[FILENAME_MAX_BYTES], from_s[DATE_STR_LEN], to_s[DATE_STR_LEN];
    date_format(from, from_s);
    date_format(to, to_s);
    snprintf(name, sizeof name, "venue-usage-%s%s%s%s%s", venue, has_from ? "-from-" : "",
             has_from ? from_s : "", has_to ? "-to-" : "", has_to ? to_s : "");
    return reply_table(r, &x.table, x.format, name);
}

/* ---- R30: the cardholder background report ---- */

struct cardholder_report {
    enum report_format format;
    bool suppress;
    enum lang lang;
    json_t *doc;        /* JSON */
    struct table table; /* CSV, XLSX */
};

static int add_count(void *ctx, const struct report_count *c)
{
    struct cardholder_report *x = ctx;
    bool small = report_is_small(c->count, x->suppress); /* R30 */
    if (x->format != FORMAT_JSON) {
        const struct cell row[] = {
            CELL_T(report_label(report_dim_heading(c->dim), x->lang)),
            c->dim == DIM_TOTAL ? CELL_NONE : CELL_T(c->key),
            small ? CELL_T(REPORT_SMALL_TEXT) : CELL_I(c->count),
        };
        return table_add(&x->table, row);
    }
    json_t *v = small ? json_string(REPORT_SMALL_TEXT) : json_integer(c->count);
    const char *dim = name_of(&report_dim_names, (int)c->dim);
    if (c->dim == DIM_TOTAL)
        return jw_set(x->doc, dim, v);
    return jw_set(json_object_get(x->doc, dim), c->key, v);
}

/* A coordinator may leave out ?region=: their own; national: the whole
 * country. Only national may turn suppression off (R30). */
int api_reports_cardholders(struct request *r)
{
    static const enum report_label headings[] = {LABEL_BREAKDOWN, LABEL_VALUE, LABEL_COUNT};
    struct cardholder_report x = {.format = FORMAT_JSON, .lang = r->lang};
    const char *region;
    int year = 0, rc;
    if ((rc = query_slug(r, "region", &region)) != 0 || (rc = query_year(r, &year)) != 0 ||
        (rc = query_format(r, &x.format)) != 0 || (rc = query_suppress(r, &x.suppress)) != 0)
        return rc;
    if (!x.suppress && r->actor.role != ROLE_NATIONAL)
        return req_fail(r, ERR_FORBIDDEN, "suppress");
    if (!region)
        region = r->actor.role == ROLE_COORDINATOR ? r->actor.scope : "";

    if (x.format == FORMAT_JSON) {
        /* Every breakdown is there, in the report's order, even when empty. */
        x.doc =
            json_pack("{s:o, s:i, s:b}", "region", region[0] ? json_string(region) : json_null(),
                      "year", year, "suppressed", x.suppress);
        for (int d = 0; x.doc && rc == 0 && d < DIM_COUNT; d++)
            rc = jw_set(x.doc, name_of(&report_dim_names, d),
                        d == DIM_TOTAL ? json_integer(0) : json_object());
        if (!x.doc)
            rc = -ERR_INTERNAL;
    } else {
        table_init(&x.table, "cardholders", COUNT_OF(headings), r->lang);
        rc = add_headings(&x.table, headings, COUNT_OF(headings), r->lang);
    }
    if (rc == 0)
        rc = store_report_cardholders(r->store, &r->actor, region, year, add_count, &x);
    if (rc != 0) {
        json_decref(x.doc);
        table_release(&x.table);
        return rc;
    }
    if (x.format == FORMAT_JSON)
        return reply_json(r, 200, x.doc);
    char name[FILENAME_MAX_BYTES];
    snprintf(name, sizeof name, "cardholders-%s-%d", region[0] ? region : "all", year);
    return reply_table(r, &x.table, x.format, name);
}

/* ---- R31: national statistics ---- */

struct national_report {
    enum report_format format;
    enum lang lang;
    json_t *regions, *pop_up; /* JSON */
    struct table table;       /* CSV, XLSX */
    struct national_figures combined;
};

/* The figures, with the share used after the count used (null: no cards
 * handed out). */
static json_t *figures_json(json_t *o, const struct national_figures *f)
{
    int32_t share = national_used_permille(f);
    for (int i = 0; o && i < FIG_COUNT; i++) {
        if (jw_set(o, name_of(&national_figure_names, i), json_integer(f->v[i])) != 0 ||
            (i == FIG_USED_ONCE &&
             jw_set(o, "used_share", share >= 0 ? json_real(share / 1000.0) : json_null()) != 0)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static int figures_row(struct national_report *x, const char *region, const char *name,
                       const struct national_figures *f)
{
    struct cell row[2 + FIG_COUNT + 1];
    size_t n = 0;
    int32_t share = national_used_permille(f);
    row[n++] = CELL_T(region);
    row[n++] = CELL_T(name);
    for (int i = 0; i < FIG_COUNT; i++) {
        row[n++] = CELL_I(f->v[i]);
        if (i == FIG_USED_ONCE)
            row[n++] = share >= 0 ? CELL_S(share) : CELL_NONE;
    }
    return table_add(&x->table, row);
}

static int add_region(void *ctx, const struct national_row *row)
{
    struct national_report *x = ctx;
    national_figures_add(&x->combined, &row->figures);
    if (x->format != FORMAT_JSON)
        return figures_row(x, row->region,
                           row->region[0] ? row->name : report_label(LABEL_POP_UP, x->lang),
                           &row->figures);
    if (!row->region[0]) { /* R22: the venues outside every region */
        x->pop_up = figures_json(json_object(), &row->figures);
        return x->pop_up ? 0 : -ERR_INTERNAL;
    }
    json_t *o = figures_json(json_pack("{s:s, s:s}", "region", row->region, "name", row->name),
                             &row->figures);
    return o && json_array_append_new(x->regions, o) == 0 ? 0 : -ERR_INTERNAL;
}

int api_reports_national(struct request *r)
{
    struct national_report x = {.format = FORMAT_JSON, .lang = r->lang};
    int year = 0, rc;
    if ((rc = query_year(r, &year)) != 0 || (rc = query_format(r, &x.format)) != 0)
        return rc;
    if (x.format == FORMAT_JSON) {
        if (!(x.regions = json_array()))
            return -ERR_INTERNAL;
    } else {
        enum report_label headings[2 + FIG_COUNT + 1];
        size_t n = 0;
        headings[n++] = LABEL_REGION;
        headings[n++] = LABEL_NAME;
        for (int i = 0; i < FIG_COUNT; i++) {
            headings[n++] = national_figure_heading((enum national_figure)i);
            if (i == FIG_USED_ONCE)
                headings[n++] = LABEL_USED_SHARE;
        }
        table_init(&x.table, "national", n, r->lang);
        rc = add_headings(&x.table, headings, n, r->lang);
    }
    if (rc == 0)
        rc = store_report_national(r->store, &r->actor, year, add_region, &x);
    if (rc == 0 && x.format != FORMAT_JSON)
        rc = figures_row(&x, "", report_label(LABEL_TOTAL, r->lang), &x.combined);
    if (rc != 0) {
        json_decref(x.regions);
        json_decref(x.pop_up);
        table_release(&x.table);
        return rc;
    }
    if (x.format == FORMAT_JSON)
        return reply_json(r, 200,
                          json_pack("{s:i, s:o, s:o, s:o}", "year", year, "regions", x.regions,
                                    "pop_up", x.pop_up ? x.pop_up : json_object(), "combined",
                                    figures_json(json_object(), &x.combined)));
    char name[FILENAME_MAX_BYTES];
    snprintf(name, sizeof name, "national-%d", year);
    return reply_table(r, &x.table, x.format, name);
}
