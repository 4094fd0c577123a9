/* The builders of the reports (R28–R31): each reads its rows from a source
 * (the store, or a test's fake of it), decides everything that is decided
 * once — the caller's defaults, R30's hidden counts, the totals, the words
 * of totals rows, the download's name — and fills a struct report
 * (report/report.h) that any renderer can show.
 *
 * Every builder initialises *out, also when it fails: the caller releases
 * it in any case. A builder returns 0, or -ERR_x with ctx->details filled
 * (the field or limit at fault), or the source's error. */
#ifndef KAIKU_REPORT_BUILD_H
#define KAIKU_REPORT_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "report/report.h"
#include "store/store.h"

/* Where the rows come from: report_source_store() reads store.h's report
 * functions, which also check the actor's scope (R32); a test passes fakes
 * that call fn with rows of its own. Each has its store function's
 * contract, with ctx in place of the store. */
struct report_source {
    int (*venue_usage)(void *ctx, const struct actor *a, const char *venue, int32_t from,
                       int32_t to, store_usage_fn fn, void *fn_ctx);
    /* store_report_venue_usage_count: asked before venue_usage */
    int (*venue_usage_count)(void *ctx, const struct actor *a, const char *venue, int32_t from,
                             int32_t to, int64_t limit, int64_t *count);
    int (*cardholders)(void *ctx, const struct actor *a, const char *region,
                       const struct report_period *p, report_count_fn fn, void *fn_ctx);
    int (*national)(void *ctx, const struct actor *a, int year, store_national_fn fn, void *fn_ctx);
    void *ctx;
    /* issue 16 */
    int (*statistics)(void *ctx, const struct actor *a, const char *region, int year,
                      store_statistics_fn fn, void *fn_ctx);
};

/* A source that reads store s. */
struct report_source report_source_store(struct store *s);

/* What every builder is given. */
struct report_ctx {
    const struct report_source *source;
    const struct actor *actor;     /* who asks; the store checks their scope */
    enum lang lang;                /* of headings and labels (R36) */
    struct error_details *details; /* filled when the request is refused */
};

/* ---- R28, R29: a venue's usage ---- */

/* A report holds its rows in memory: a period with more uses than this is
 * refused (400 invalid_request, details {"field": "to", "max_rows": …}: ask
 * for a shorter one), so that one request cannot take the server's memory.
 * The rows are counted first, and a period over the bound is refused before
 * any row is read.
 * A busy venue has some tens of thousands a year. */
#define USAGE_ROWS_MAX 100000

struct venue_usage_query {
    const char *venue; /* NULL: the caller's own venue (venue staff only) */
    bool has_from, has_to;
    int32_t from, to; /* Finnish event days, both inclusive; absent: open */
};

/* Columns card, adult, child, event, date; sections "rows" (a list, one row
 * per use not undone) and "totals" ({"adult", "child"}; in CSV and XLSX the
 * row "Total, 2, 4" of the seed); params venue, from, to (null when open).
 * Refused: no venue (400, field venue), from after to (400, field from),
 * too many rows (above). */
int report_venue_usage(const struct report_ctx *ctx, const struct venue_usage_query *q,
                       struct report *out);

/* ---- R30: the background of a region's cardholders ---- */

struct cardholders_query {
    const char *region; /* NULL: a coordinator's own region, national's whole country */
    int year;
    bool suppress; /* R30: hide counts 1–4; only national may turn it off */
};

/* Columns breakdown, value, count (a count R30 may hide); sections "total"
 * (a value) then one map per breakdown of enum report_dim, each there even
 * when empty; params region (null: the whole country), year, suppressed,
 * through (the last day covered: core's report_closed_period on the actor's
 * today, Helsinki; null when no month of the year has ended).
 * R30 is decided here, one breakdown at a time (core's report_suppress):
 * the exact count of a hidden cell never reaches a renderer. Refused: a
 * caller other than national turning suppression off (403, field suppress). */
int report_cardholders(const struct report_ctx *ctx, const struct cardholders_query *q,
                       struct report *out);

/* ---- R31: national statistics ---- */

/* Columns region, name, the figures of enum national_figure with the share
 * used after the count used; sections "regions" (a list), "pop_up" (the
 * venues outside every region, R22, as one object of figures) and
 * "combined" (the sum, core's national_figures_add); param year. */
int report_national(const struct report_ctx *ctx, int year, struct report *out);

/* ---- R31: a year's statistics beside the previous year's (issue 16) ---- */

struct statistics_query {
    const char *region; /* NULL: a coordinator's own region, national's whole country */
    int year;           /* 1901..9999: its previous year is one too */
};

/* Columns region, name, figure (enum stat_figure's names), value (the
 * year's), previous_year (null for the figures of now: stock, valid now,
 * venues, units); sections "regions" (a list: one row per region and
 * figure), "pop_up" (the venues outside every region, R22, national's whole
 * country only: figure, value, previous_year) and "combined" (their sum,
 * the share used computed from the sums); params year, previous_year,
 * region (null: the whole country). Refused: a year outside 1901..9999
 * (400, field year). */
int report_statistics(const struct report_ctx *ctx, const struct statistics_query *q,
                      struct report *out);

#endif
