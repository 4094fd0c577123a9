/* R28, R29: a venue's usage report, the seed's table: one row per use, then
 * the totals row ("Yhteensä 2 4"). */
#include <stdio.h>

#include "report/build.h"
#include "util/date.h"

enum { U_CARD, U_ADULT, U_CHILD, U_EVENT, U_DATE, U_COLS };

static const struct report_column columns[U_COLS] = {
    [U_CARD] = {COL_TEXT, LABEL_CARD, "card"},     [U_ADULT] = {COL_COUNT, LABEL_ADULT, "adult"},
    [U_CHILD] = {COL_COUNT, LABEL_CHILD, "child"}, [U_EVENT] = {COL_TEXT, LABEL_EVENT, "event"},
    [U_DATE] = {COL_DATE, LABEL_DATE, "date"},
};

#define ALL_COLUMNS ((UINT64_C(1) << U_COLS) - 1)
#define TOTALS      ((UINT64_C(1) << U_ADULT) | (UINT64_C(1) << U_CHILD))

struct usage_build {
    struct report *rep;
    struct error_details *details;
    size_t count;
    struct usage_totals totals;
};

/* 400 invalid_request, details {"field": "to", "max_rows": …}. */
static int too_many_rows(struct error_details *d)
{
    if (d)
        d->field = "to";
    return error_value(d, ERR_INVALID_REQUEST, "max_rows", USAGE_ROWS_MAX, 0);
}

static int add_use(void *ctx, const struct usage_row *u)
{
    struct usage_build *x = ctx;
    if (++x->count > USAGE_ROWS_MAX) /* more than were counted: recorded meanwhile */
        return too_many_rows(x->details);
    usage_totals_add(&x->totals, u->adult, u->child);
    const struct cell row[U_COLS] = {CELL_T(u->card), CELL_I(u->adult), CELL_I(u->child),
                                     CELL_T(u->event), CELL_D(u->date)};
    return report_row(x->rep, row);
}

/* "venue-usage-v1-from-2020-02-01-to-2020-02-29": the period's open ends
 * are left out. */
static void file_name(struct report *rep, const char *venue, const struct venue_usage_query *q)
{
    char from[DATE_STR_LEN] = "", to[DATE_STR_LEN] = "";
    if (q->has_from)
        date_format(q->from, from);
    if (q->has_to)
        date_format(q->to, to);
    snprintf(rep->name, sizeof rep->name, "venue-usage-%s%s%s%s%s", venue,
             q->has_from ? "-from-" : "", from, q->has_to ? "-to-" : "", to);
}

int report_venue_usage(const struct report_ctx *ctx, const struct venue_usage_query *q,
                       struct report *out)
{
    report_init(out, "venue-usage", ctx->lang);
    report_columns(out, columns, U_COLS);
    const char *venue = q->venue;
    if (!venue && ctx->actor->role == ROLE_VENUE)
        venue = ctx->actor->scope;
    if (!venue)
        return error_field(ctx->details, ERR_INVALID_REQUEST, "venue");
    /* Dates are Finnish event days, both inclusive; absent: open. */
    int32_t first = q->has_from ? q->from : date_from_ymd(1900, 1, 1);
    int32_t last = q->has_to ? q->to : date_from_ymd(9999, 12, 31);
    if (first > last)
        return error_field(ctx->details, ERR_INVALID_REQUEST, "from");
    file_name(out, venue, q);

    struct usage_build x = {.rep = out, .details = ctx->details};
    int rc;
    if ((rc = report_param(out, "venue", CELL_T(venue))) != 0 ||
        (rc = report_param(out, "from", q->has_from ? CELL_D(q->from) : CELL_NONE)) != 0 ||
        (rc = report_param(out, "to", q->has_to ? CELL_D(q->to) : CELL_NONE)) != 0)
        return rc;
    /* Counted first (counting stops past the bound): a period too long is
     * refused before any row is read. */
    int64_t rows = 0;
    rc = ctx->source->venue_usage_count(ctx->source->ctx, ctx->actor, venue, first, last,
                                        USAGE_ROWS_MAX + 1, &rows);
    if (rc == 0 && rows > USAGE_ROWS_MAX)
        rc = too_many_rows(ctx->details);
    if (rc != 0)
        return rc;
    report_section(out, "rows", SHAPE_LIST, ALL_COLUMNS, false);
    rc = ctx->source->venue_usage(ctx->source->ctx, ctx->actor, venue, first, last, add_use, &x);
    if (rc != 0)
        return rc;
    /* R28: the totals row, as the seed's "Yhteensä 2 4". */
    report_section(out, "totals", SHAPE_OBJECT, TOTALS, true);
    const struct cell total[U_COLS] = {CELL_T(report_label(LABEL_TOTAL, ctx->lang)),
                                       CELL_I(x.totals.adult), CELL_I(x.totals.child), CELL_NONE,
                                       CELL_NONE};
    return report_row(out, total);
}
