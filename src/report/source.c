/* The rows of the reports from the store: store.h's report functions, each
 * one read transaction that also checks the actor's scope (R32). */
#include "report/build.h"

static int venue_usage(void *ctx, const struct actor *a, const char *venue, int32_t from,
                       int32_t to, store_usage_fn fn, void *fn_ctx)
{
    return store_report_venue_usage(ctx, a, venue, from, to, fn, fn_ctx);
}

static int venue_usage_count(void *ctx, const struct actor *a, const char *venue, int32_t from,
                             int32_t to, int64_t limit, int64_t *count)
{
    return store_report_venue_usage_count(ctx, a, venue, from, to, limit, count);
}

static int cardholders(void *ctx, const struct actor *a, const char *region,
                       const struct report_period *p, report_count_fn fn, void *fn_ctx)
{
    return store_report_cardholders(ctx, a, region, p, fn, fn_ctx);
}

static int national(void *ctx, const struct actor *a, int year, store_national_fn fn, void *fn_ctx)
{
    return store_report_national(ctx, a, year, fn, fn_ctx);
}

static int statistics(void *ctx, const struct actor *a, const char *region, int year,
                      store_statistics_fn fn, void *fn_ctx)
{
    return store_report_statistics(ctx, a, region, year, fn, fn_ctx);
}

struct report_source report_source_store(struct store *s)
{
    return (struct report_source){.venue_usage = venue_usage,
                                  .venue_usage_count = venue_usage_count,
                                  .cardholders = cardholders,
                                  .national = national,
                                  .statistics = statistics,
                                  .ctx = s};
}
