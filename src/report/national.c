/* R31: national statistics — a row of figures per region, the pop-up
 * venues (R22) and the combined figures. A row per region: a few dozen rows,
 * whatever the size of the register. */
#include <stdio.h>

#include "report/build.h"

/* Region, name, the figures, and the share used after the count used. */
enum {
    N_REGION,
    N_NAME,
    N_FIGURES,
    N_SHARE = N_FIGURES + FIG_USED_ONCE + 1,
    N_COLS = 3 + FIG_COUNT
};

#define ALL_COLUMNS ((UINT64_C(1) << N_COLS) - 1)
#define FIGURES     (ALL_COLUMNS & ~((UINT64_C(1) << N_REGION) | (UINT64_C(1) << N_NAME)))

/* The column of figure f. */
static size_t figure_column(int f)
{
    return (size_t)(N_FIGURES + f + (f > FIG_USED_ONCE));
}

static void add_columns(struct report *rep)
{
    struct report_column cols[N_COLS];
    cols[N_REGION] = (struct report_column){COL_TEXT, LABEL_REGION, "region"};
    cols[N_NAME] = (struct report_column){COL_TEXT, LABEL_NAME, "name"};
    for (int f = 0; f < FIG_COUNT; f++)
        cols[figure_column(f)] =
            (struct report_column){COL_COUNT, national_figure_heading((enum national_figure)f),
                                   name_of(&national_figure_names, f)};
    cols[N_SHARE] = (struct report_column){COL_SHARE, LABEL_USED_SHARE, "used_share"};
    report_columns(rep, cols, N_COLS);
}

/* R31: a row of figures; the share used is empty when no card was handed
 * out. */
static int figures_row(struct report *rep, const char *region, const char *name,
                       const struct national_figures *f)
{
    struct cell row[N_COLS];
    int32_t share = national_used_permille(f);
    row[N_REGION] = CELL_T(region);
    row[N_NAME] = CELL_T(name);
    for (int i = 0; i < FIG_COUNT; i++)
        row[figure_column(i)] = CELL_I(f->v[i]);
    row[N_SHARE] = share >= 0 ? CELL_S(share) : CELL_NONE;
    return report_row(rep, row);
}

struct national_build {
    struct report *rep;
    struct national_figures combined, pop_up;
    bool has_pop_up;
};

static int add_region(void *ctx, const struct national_row *row)
{
    struct national_build *x = ctx;
    national_figures_add(&x->combined, &row->figures);
    if (row->region[0])
        return figures_row(x->rep, row->region, row->name, &row->figures);
    if (x->has_pop_up) /* R22: the venues outside every region are one row */
        return -ERR_INTERNAL;
    x->pop_up = row->figures;
    x->has_pop_up = true;
    return 0;
}

int report_national(const struct report_ctx *ctx, int year, struct report *out)
{
    report_init(out, "national", ctx->lang);
    add_columns(out);
    snprintf(out->name, sizeof out->name, "national-%d", year);
    struct national_build x = {.rep = out};
    int rc = report_param(out, "year", CELL_I(year));
    if (rc != 0)
        return rc;
    report_section(out, "regions", SHAPE_LIST, ALL_COLUMNS, false);
    rc = ctx->source->national(ctx->source->ctx, ctx->actor, year, add_region, &x);
    if (rc != 0)
        return rc;
    report_section(out, "pop_up", SHAPE_OBJECT, FIGURES, false);
    if (x.has_pop_up &&
        (rc = figures_row(out, "", report_label(LABEL_POP_UP, ctx->lang), &x.pop_up)) != 0)
        return rc;
    report_section(out, "combined", SHAPE_OBJECT, FIGURES, true);
    return figures_row(out, "", report_label(LABEL_TOTAL, ctx->lang), &x.combined);
}
