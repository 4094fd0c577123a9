/* The venue usage report (R28) for venue staff: any period on screen, one
 * row per use — card code, adult and child tickets, event, date — with the
 * totals in the table's foot, and the same report as CSV and XLSX
 * downloads. The report is built once by src/report (report_venue_usage,
 * the store's one read transaction, the actor's scope) and shown here by
 * walking its columns and sections, as every renderer does; the downloads
 * are the report pipeline's own renderers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/build.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/venue.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_VENUE_REPORT_KEYS(X)     \
    X("page.venue.report.title")     \
    X("page.venue.report.lead")      \
    X("page.venue.report.period")    \
    X("page.venue.report.from")      \
    X("page.venue.report.to")        \
    X("page.venue.report.date.hint") \
    X("page.venue.report.show")      \
    X("page.venue.report.caption")   \
    X("page.venue.report.none")      \
    X("page.venue.report.downloads") \
    X("page.venue.report.csv")       \
    X("page.venue.report.xlsx")      \
    X("page.venue.report.err.date")  \
    X("page.venue.report.err.order") \
    X("page.venue.report.err.rows")

#define KEY(k) k,
static const char *const report_keys[] = {WEB_VENUE_REPORT_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_venue_report_keys = {report_keys, ARRAY_LEN(report_keys)};

#define DATE_INPUT_MAX 16

/* The period asked for: from and to as typed ("" when absent) and as days;
 * without either, the month so far. */
struct period {
    const char *from_s, *to_s;
    int32_t from, to;
    const char *err_from, *err_to;
};

static void read_period(struct request *r, struct period *q)
{
    int32_t today = hki_day(r->actor.now);
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    q->from_s = from ? from : "";
    q->to_s = to ? to : "";
    q->from = from ? -1 : date_from_ymd(y, m, 1);
    q->to = to ? -1 : today;
    if (from && from[0] && (strlen(from) > DATE_INPUT_MAX || date_parse(from, &q->from) != 0))
        q->err_from = i18n_text(r->lang, "page.venue.report.err.date");
    if (to && to[0] && (strlen(to) > DATE_INPUT_MAX || date_parse(to, &q->to) != 0))
        q->err_to = i18n_text(r->lang, "page.venue.report.err.date");
    if (!q->err_from && !q->err_to && q->from >= 0 && q->to >= 0 && q->from > q->to)
        q->err_from = i18n_text(r->lang, "page.venue.report.err.order");
    char buf[DATE_STR_LEN];
    if (!from) {
        date_format(q->from, buf);
        q->from_s = arena_strdup(&r->arena, buf);
    }
    if (!to) {
        date_format(q->to, buf);
        q->to_s = arena_strdup(&r->arena, buf);
    }
}

static int build(struct request *r, const struct period *q, struct report *rep)
{
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, r->lang, &r->details};
    struct venue_usage_query vq = {.venue = NULL,
                                   .has_from = q->from >= 0,
                                   .has_to = q->to >= 0,
                                   .from = q->from,
                                   .to = q->to};
    return report_venue_usage(&ctx, &vq, rep);
}

static void cell(struct page *p, const struct report *rep, size_t row, size_t col, bool head)
{
    const struct cell *c = report_cell(rep, row, col);
    bool num = c->kind == CELL_INT;
    html_raw(&p->h, head ? "<th scope=\"row\"" : "<td");
    if (num)
        html_raw(&p->h, " class=\"num\"");
    html_raw(&p->h, ">");
    switch (c->kind) {
    case CELL_TEXT:
        html_text(&p->h, c->text);
        break;
    case CELL_INT:
        html_int(&p->h, p->lang, c->value);
        break;
    case CELL_DATE:
        html_date(&p->h, p->lang, (int32_t)c->value);
        break;
    default:
        break;
    }
    html_raw(&p->h, head ? "</th>" : "</td>");
}

static void table(struct page *p, const struct report *rep)
{
    size_t body_rows = 0;
    for (size_t s = 0; s < rep->nsections; s++)
        if (!rep->sections[s].totals)
            body_rows += rep->sections[s].count;
    if (body_rows == 0) {
        html_raw(&p->h, "<p id=\"report-none\">");
        html_text(&p->h, i18n_text(p->lang, "page.venue.report.none"));
        html_raw(&p->h, "</p>");
        return;
    }
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                    "aria-labelledby=\"report-caption\"><table id=\"report\"><caption "
                    "id=\"report-caption\">");
    html_text(&p->h, i18n_text(p->lang, "page.venue.report.caption"));
    html_raw(&p->h, "</caption><thead><tr>");
    for (size_t c = 0; c < rep->ncols; c++) {
        bool num = rep->cols[c].type == COL_COUNT || rep->cols[c].type == COL_SMALL;
        html_raw(&p->h, num ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
        html_text(&p->h, report_heading(rep, c));
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead>");
    for (size_t s = 0; s < rep->nsections; s++) {
        const struct report_section *sec = &rep->sections[s];
        html_raw(&p->h, sec->totals ? "<tfoot>" : "<tbody>");
        for (size_t i = 0; i < sec->count; i++) {
            html_raw(&p->h, "<tr>");
            for (size_t c = 0; c < rep->ncols; c++)
                cell(p, rep, sec->first + i, c, sec->totals && c == 0);
            html_raw(&p->h, "</tr>");
        }
        html_raw(&p->h, sec->totals ? "</tfoot>" : "</tbody>");
    }
    html_raw(&p->h, "</table></div>");
}

static void download_link(struct page *p, const struct period *q, const char *format,
                          const char *id, const char *key)
{
    char href[120];
    snprintf(href, sizeof href, "/venue/report/download?format=%s&from=%s&to=%s", format, q->from_s,
             q->to_s);
    html_raw(&p->h, "<li><a");
    html_attr(&p->h, "id", id);
    html_href(&p->h, "href", href);
    html_raw(&p->h, ">");
    html_text(&p->h, i18n_text(p->lang, key));
    html_raw(&p->h, "</a></li>");
}

/* GET /venue/report?from=&to= */
int web_venue_report(struct request *r)
{
    struct period q = {0};
    read_period(r, &q);
    struct report rep;
    report_init(&rep, "venue-usage", r->lang);
    const char *err_rows = NULL;
    int rc = 0;
    if (!q.err_from && !q.err_to) {
        r->details = (struct error_details){0};
        rc = build(r, &q, &rep);
        if (rc == -ERR_INVALID_REQUEST) {
            err_rows = i18n_text(r->lang, "page.venue.report.err.rows");
            rc = 0;
        } else if (rc != 0) {
            report_release(&rep);
            return rc;
        }
    }
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.report.title"));
    venue_heading(&p, i18n_text(p.lang, "page.venue.report.title"), "/venue/report");
    struct page_error errs[2];
    size_t n = 0;
    if (q.err_from || err_rows)
        errs[n++] = (struct page_error){"from", q.err_from ? q.err_from : err_rows};
    if (q.err_to)
        errs[n++] = (struct page_error){"to", q.err_to};
    page_error_summary(&p, errs, n);
    html_raw(&p.h, "<p class=\"lead\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.report.lead"));
    html_raw(&p.h, "</p><form method=\"get\" action=\"/venue/report\" id=\"report-form\">"
                   "<fieldset><legend>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.report.period"));
    html_raw(&p.h, "</legend><div class=\"when-row\">");
    page_input(&p, &(struct page_field){.id = "from",
                                        .label = i18n_text(p.lang, "page.venue.report.from"),
                                        .type = "date",
                                        .hint = i18n_text(p.lang, "page.venue.report.date.hint"),
                                        .value = q.from_s,
                                        .error = q.err_from ? q.err_from : err_rows});
    page_input(&p, &(struct page_field){.id = "to",
                                        .label = i18n_text(p.lang, "page.venue.report.to"),
                                        .type = "date",
                                        .hint = i18n_text(p.lang, "page.venue.report.date.hint"),
                                        .value = q.to_s,
                                        .error = q.err_to});
    html_raw(&p.h,
             "</div></fieldset><button type=\"submit\" class=\"primary\" id=\"report-show\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.report.show"));
    html_raw(&p.h, "</button></form>");
    if (n == 0) {
        html_raw(&p.h, "<h2>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.report.downloads"));
        html_raw(&p.h, "</h2><ul class=\"links\" id=\"report-downloads\">");
        download_link(&p, &q, "csv", "download-csv", "page.venue.report.csv");
        download_link(&p, &q, "xlsx", "download-xlsx", "page.venue.report.xlsx");
        html_raw(&p.h, "</ul>");
        table(&p, &rep);
    }
    report_release(&rep);
    return page_end(&p, n ? 422 : 200);
}

/* GET /venue/report/download?format=csv|xlsx&from=&to=: the same report
 * as a download, its headings in the page's language (R36). */
int web_venue_report_download(struct request *r)
{
    const char *format = req_query(r, "format");
    const struct report_renderer *out = NULL;
    if (format && strcmp(format, "csv") == 0)
        out = &render_csv;
    else if (format && strcmp(format, "xlsx") == 0)
        out = &render_xlsx;
    if (!out)
        return req_fail(r, ERR_INVALID_REQUEST, "format");
    struct period q = {0};
    read_period(r, &q);
    if (q.err_from || q.err_to)
        return req_fail(r, ERR_INVALID_REQUEST, q.err_from ? "from" : "to");
    struct report rep;
    report_init(&rep, "venue-usage", r->lang);
    int rc = build(r, &q, &rep);
    char *bytes = NULL;
    size_t len = 0;
    if (rc == 0)
        rc = out->render(&rep, &bytes, &len);
    char disposition[REPORT_NAME_MAX + 40];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", rep.name,
             out->format);
    report_release(&rep);
    const char *header = rc == 0 ? arena_strdup(&r->arena, disposition) : NULL;
    if (rc == 0 && (!header || reply_header(r, "Content-Disposition", header) != 0 ||
                    web_security_headers(r) != 0))
        rc = -ERR_INTERNAL;
    if (rc != 0) {
        free(bytes);
        return rc;
    }
    return reply_bytes(r, 200, out->media_type, bytes, len);
}
