/* R31 for a year beside the previous one (issue 16): one row per region and
 * figure, the uses split by domain, the pop-up venues (R22) and the
 * combined figures. Long rather than wide, so that a sheet shows each
 * figure's two years side by side. */
#include <stdio.h>

#include "report/build.h"

enum { S_REGION, S_NAME, S_FIGURE, S_VALUE, S_PREVIOUS, S_COLS };

static const struct report_column columns[S_COLS] = {
    [S_REGION] = {COL_TEXT, LABEL_REGION, "region"},
    [S_NAME] = {COL_TEXT, LABEL_NAME, "name"},
    [S_FIGURE] = {COL_TEXT, LABEL_FIGURE, "figure"},
    [S_VALUE] = {COL_FIGURE, LABEL_VALUE, "value"},
    [S_PREVIOUS] = {COL_FIGURE, LABEL_PREVIOUS_YEAR, "previous_year"},
};

#define ALL_COLUMNS  ((UINT64_C(1) << S_COLS) - 1)
#define FIGURES_ONLY (ALL_COLUMNS & ~((UINT64_C(1) << S_REGION) | (UINT64_C(1) << S_NAME)))

/* A figure as a cell: a count, a share (empty when nothing was handed
 * out), or empty for a figure of now asked of the previous year. */
static struct cell stat_cell(const struct stat_figures *f, enum stat_figure s, bool previous)
{
    int64_t v = 0;
    bool share = false;
    if (!stat_value(f, s, previous, &v, &share))
        return CELL_NONE;
    if (share)
        return v >= 0 ? CELL_S((int32_t)v) : CELL_NONE;
    return CELL_I(v);
}

/* The rows of one region (or the pop-up venues, or all): one per figure. */
static int stat_rows(struct report *rep, const char *region, const char *name,
                     const struct stat_figures *year, const struct stat_figures *previous)
{
    int rc = 0;
    for (int s = 0; rc == 0 && s < STAT_COUNT; s++) {
        const struct cell row[S_COLS] = {
            CELL_T(region),
            CELL_T(name),
            CELL_T(name_of(&stat_figure_names, s)),
            stat_cell(year, (enum stat_figure)s, false),
            stat_cell(previous, (enum stat_figure)s, true),
        };
        rc = report_row(rep, row);
    }
    return rc;
}

static void stat_add(struct stat_figures *sum, const struct stat_figures *f)
{
    national_figures_add(&sum->f, &f->f);
    for (int d = 0; d < DOMAIN_COUNT; d++)
        sum->domain_uses[d] += f->domain_uses[d];
}

struct stat_build {
    struct report *rep;
    struct stat_figures year, previous;       /* combined */
    struct stat_figures pop_year, pop_before; /* the pop-up venues */
    bool has_pop_up;
};

static int add_region(void *ctx, const struct statistics_row *row)
{
    struct stat_build *x = ctx;
    stat_add(&x->year, &row->year);
    stat_add(&x->previous, &row->previous);
    if (row->region[0])
        return stat_rows(x->rep, row->region, row->name, &row->year, &row->previous);
    if (x->has_pop_up) /* R22: the venues outside every region are one row */
        return -ERR_INTERNAL;
    x->pop_year = row->year;
    x->pop_before = row->previous;
    x->has_pop_up = true;
    return 0;
}

int report_statistics(const struct report_ctx *ctx, const struct statistics_query *q,
                      struct report *out)
{
    report_init(out, "statistics", ctx->lang);
    report_columns(out, columns, S_COLS);
    if (q->year < 1901 || q->year > 9999)
        return error_field(ctx->details, ERR_INVALID_REQUEST, "year");
    const char *region = q->region;
    if (!region)
        region = ctx->actor->role == ROLE_COORDINATOR ? ctx->actor->scope : "";
    snprintf(out->name, sizeof out->name, "statistics-%s-%d", region[0] ? region : "all", q->year);
    int rc;
    if ((rc = report_param(out, "year", CELL_I(q->year))) != 0 ||
        (rc = report_param(out, "previous_year", CELL_I(q->year - 1))) != 0 ||
        (rc = report_param(out, "region", region[0] ? CELL_T(region) : CELL_NONE)) != 0)
        return rc;
    struct stat_build x = {.rep = out};
    report_section(out, "regions", SHAPE_LIST, ALL_COLUMNS, false);
    rc = ctx->source->statistics(ctx->source->ctx, ctx->actor, region, q->year, add_region, &x);
    if (rc != 0)
        return rc;
    report_section(out, "pop_up", SHAPE_LIST, FIGURES_ONLY, false);
    if (x.has_pop_up && (rc = stat_rows(out, "", report_label(LABEL_POP_UP, ctx->lang), &x.pop_year,
                                        &x.pop_before)) != 0)
        return rc;
    report_section(out, "combined", SHAPE_LIST, FIGURES_ONLY, true);
    return stat_rows(out, "", report_label(LABEL_TOTAL, ctx->lang), &x.year, &x.previous);
}
