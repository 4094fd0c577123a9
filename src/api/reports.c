/* Reports (R28–R31): a venue's usage, the background of a region's
 * cardholders, and the national statistics. Each handler reads its query
 * parameters, has the report built once (report/build.h: the store's rows,
 * R30's hidden counts, the totals) and replies with the renderer of
 * ?format=: JSON in the shape of api.md, or CSV or XLSX as a download whose
 * headings follow Accept-Language (R36). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/json.h"
#include "report/build.h"
#include "util/strutil.h"

#define DISPOSITION_MAX (REPORT_NAME_MAX + 40)

static const char *const format_list[FORMAT_COUNT] = {"json", "csv", "xlsx"};
const struct name_table report_format_names = {format_list, FORMAT_COUNT};

static const struct report_renderer *const renderers[FORMAT_COUNT] = {
    [FORMAT_JSON] = &render_json,
    [FORMAT_CSV] = &render_csv,
    [FORMAT_XLSX] = &render_xlsx,
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

/* An optional date: *present tells whether it was given. */
static int query_day(struct request *r, const char *name, bool *present, int32_t *out)
{
    *present = req_query(r, name) != NULL;
    return query_date(r, name, out);
}

/* ---- the reply ---- */

static struct report_ctx build_ctx(struct request *r, const struct report_source *src)
{
    return (struct report_ctx){src, &r->actor, r->lang, &r->details};
}

/* Replies with the report built (rc 0) in format f, a download named after
 * the report where the format is one; or passes the builder's error on.
 * Releases the report. */
static int reply_report(struct request *r, struct report *rep, int rc, enum report_format f)
{
    const struct report_renderer *out = renderers[f];
    char *bytes = NULL;
    size_t len = 0;
    if (rc == 0)
        rc = out->render(rep, &bytes, &len);
    if (rc == 0 && out->download) {
        char disposition[DISPOSITION_MAX];
        snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", rep->name,
                 out->format);
        const char *header = arena_strdup(&r->arena, disposition);
        if (header)
            reply_header(r, "Content-Disposition", header);
        else
            rc = -ERR_INTERNAL;
    }
    report_release(rep);
    if (rc != 0) {
        free(bytes);
        return rc;
    }
    return reply_bytes(r, 200, out->media_type, bytes, len);
}

/* ---- R28, R29: a venue's usage ---- */

/* Venue staff may leave out ?venue=: their own venue. */
int api_reports_venue_usage(struct request *r)
{
    struct venue_usage_query q = {0};
    enum report_format f = FORMAT_JSON;
    int rc;
    if ((rc = query_slug(r, "venue", &q.venue)) != 0 || (rc = query_format(r, &f)) != 0 ||
        (rc = query_day(r, "from", &q.has_from, &q.from)) != 0 ||
        (rc = query_day(r, "to", &q.has_to, &q.to)) != 0)
        return rc;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = build_ctx(r, &src);
    struct report rep;
    rc = report_venue_usage(&ctx, &q, &rep);
    return reply_report(r, &rep, rc, f);
}

/* ---- R30: the cardholder background report ---- */

/* A coordinator may leave out ?region=: their own; national: the whole
 * country. Only national may turn suppression off (R30). */
int api_reports_cardholders(struct request *r)
{
    struct cardholders_query q = {0};
    enum report_format f = FORMAT_JSON;
    int rc;
    if ((rc = query_slug(r, "region", &q.region)) != 0 || (rc = query_year(r, &q.year)) != 0 ||
        (rc = query_format(r, &f)) != 0 || (rc = query_suppress(r, &q.suppress)) != 0)
        return rc;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = build_ctx(r, &src);
    struct report rep;
    rc = report_cardholders(&ctx, &q, &rep);
    return reply_report(r, &rep, rc, f);
}

/* ---- R31: national statistics ---- */

int api_reports_national(struct request *r)
{
    enum report_format f = FORMAT_JSON;
    int year = 0, rc;
    if ((rc = query_year(r, &year)) != 0 || (rc = query_format(r, &f)) != 0)
        return rc;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = build_ctx(r, &src);
    struct report rep;
    rc = report_national(&ctx, year, &rep);
    return reply_report(r, &rep, rc, f);
}

/* ---- R31: a year beside the previous one (issue 16) ---- */

/* A coordinator may leave out ?region=: their own; national: the whole
 * country. */
int api_reports_statistics(struct request *r)
{
    struct statistics_query q = {0};
    enum report_format f = FORMAT_JSON;
    int rc;
    if ((rc = query_slug(r, "region", &q.region)) != 0 || (rc = query_year(r, &q.year)) != 0 ||
        (rc = query_format(r, &f)) != 0)
        return rc;
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = build_ctx(r, &src);
    struct report rep;
    rc = report_statistics(&ctx, &q, &rep);
    return reply_report(r, &rep, rc, f);
}
