/* R30: the background of a region's cardholders — one section per breakdown
 * of enum report_dim, its counts hidden as "<5" (and "≥5" beside them) or
 * left out where R30 says so, decided here once a breakdown is complete. */
#include <stdio.h>
#include <stdlib.h>

#include "report/build.h"
#include "util/date.h"

enum { H_BREAKDOWN, H_VALUE, H_COUNT, H_COLS };

static const struct report_column columns[H_COLS] = {
    [H_BREAKDOWN] = {COL_TEXT, LABEL_BREAKDOWN, NULL}, /* in JSON: the section's key */
    [H_VALUE] = {COL_TEXT, LABEL_VALUE, "value"},
    [H_COUNT] = {COL_SMALL, LABEL_COUNT, "count"},
};

#define VALUE_COUNT ((UINT64_C(1) << H_VALUE) | (UINT64_C(1) << H_COUNT))
#define COUNT_ONLY  (UINT64_C(1) << H_COUNT)

struct cardholder_build {
    struct report *rep;
    bool suppress;
    int dim;       /* the breakdown being read; DIM_COUNT once all are complete */
    int64_t total; /* the exact total, which decides the breakdowns' hiding */
};

/* R30: decides how the counts of the breakdown just completed, the last
 * section, are shown (core's report_suppress), from all of its counts and
 * the total at once: hidden counts are forgotten, rows left out are dropped. */
static int suppress_section(struct cardholder_build *x)
{
    const struct report_section *s = &x->rep->sections[x->rep->nsections - 1];
    if (!x->suppress || s->count == 0)
        return 0;
    int64_t *counts = malloc(s->count * sizeof *counts);
    enum report_show *show = malloc(s->count * sizeof *show);
    bool *keep = malloc(s->count * sizeof *keep);
    int rc = counts && show && keep ? 0 : -ERR_INTERNAL;
    for (size_t i = 0; rc == 0 && i < s->count; i++)
        counts[i] = report_cell(x->rep, s->first + i, H_COUNT)->value;
    if (rc == 0)
        report_suppress((enum report_dim)x->dim, x->total, counts, s->count, x->suppress, show);
    for (size_t i = 0; rc == 0 && i < s->count; i++) {
        keep[i] = show[i] != SHOW_NONE;
        if (show[i] == SHOW_SMALL)
            report_hide(x->rep, s->first + i, H_COUNT);
        else if (show[i] == SHOW_LARGE)
            report_hide_large(x->rep, s->first + i, H_COUNT);
    }
    if (rc == 0)
        report_keep_rows(x->rep, keep);
    free(counts);
    free(show);
    free(keep);
    return rc;
}

/* Completes the breakdown being read and starts the next one. */
static int next_breakdown(struct cardholder_build *x)
{
    int rc = 0;
    if (x->dim == DIM_TOTAL && x->rep->sections[x->rep->nsections - 1].count == 0) {
        /* the report always has its total, even when no source gave one */
        const struct cell row[H_COLS] = {CELL_T(report_label(LABEL_TOTAL, x->rep->lang)), CELL_NONE,
                                         CELL_I(0)};
        rc = report_row(x->rep, row);
    }
    if (rc == 0)
        rc = suppress_section(x);
    if (rc == 0 && ++x->dim < DIM_COUNT)
        report_section(x->rep, name_of(&report_dim_names, x->dim), SHAPE_MAP, VALUE_COUNT, false);
    return rc;
}

static int add_count(void *ctx, const struct report_count *c)
{
    struct cardholder_build *x = ctx;
    int rc = 0;
    if ((int)c->dim < x->dim || c->dim >= DIM_COUNT)
        return -ERR_INTERNAL; /* out of order: the source's bug */
    while (rc == 0 && x->dim < (int)c->dim)
        rc = next_breakdown(x);
    if (c->dim == DIM_TOTAL)
        x->total += c->count;
    const struct cell row[H_COLS] = {
        CELL_T(report_label(report_dim_heading(c->dim), x->rep->lang)),
        c->dim == DIM_TOTAL ? CELL_NONE : CELL_T(c->key),
        CELL_I(c->count),
    };
    return rc != 0 ? rc : report_row(x->rep, row);
}

int report_cardholders(const struct report_ctx *ctx, const struct cardholders_query *q,
                       struct report *out)
{
    report_init(out, "cardholders", ctx->lang);
    report_columns(out, columns, H_COLS);
    if (!q->suppress && ctx->actor->role != ROLE_NATIONAL)
        return error_field(ctx->details, ERR_FORBIDDEN, "suppress");
    const char *region = q->region;
    if (!region)
        region = ctx->actor->role == ROLE_COORDINATOR ? ctx->actor->scope : "";
    snprintf(out->name, sizeof out->name, "cardholders-%s-%d", region[0] ? region : "all", q->year);

    /* R30 against differencing: closed months only (docs/privacy.md) */
    struct report_period period;
    bool covers = report_closed_period(q->year, hki_day(ctx->actor->now), &period);
    int rc;
    if ((rc = report_param(out, "region", region[0] ? CELL_T(region) : CELL_NONE)) != 0 ||
        (rc = report_param(out, "year", CELL_I(q->year))) != 0 ||
        (rc = report_param(out, "suppressed", CELL_B(q->suppress))) != 0 ||
        (rc = report_param(out, "through", covers ? CELL_D(period.through) : CELL_NONE)) != 0)
        return rc;
    /* The total is a value; every breakdown a map, there even when empty. */
    struct cardholder_build x = {.rep = out, .suppress = q->suppress, .dim = DIM_TOTAL};
    report_section(out, name_of(&report_dim_names, DIM_TOTAL), SHAPE_VALUE, COUNT_ONLY, true);
    rc = ctx->source->cardholders(ctx->source->ctx, ctx->actor, region, &period, add_count, &x);
    while (rc == 0 && x.dim < DIM_COUNT)
        rc = next_breakdown(&x);
    return rc;
}
