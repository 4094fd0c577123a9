/* Recurring admissions (core/series.h): a series of day tickets written in
 * one transaction — the series row, then one event of kind `daily` per
 * day, each validated as any event is (R15–R17) — extended, closed, read. */
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "core/series.h"
#include "store/tx.h"
#include "util/date.h"
#include "util/strutil.h"

/* The days given, each an event of the series; e is scratch. */
static int add_days(struct bk_tx *t, const struct series *sr, const char *region,
                    const int32_t *days, size_t n, struct event *e, struct error_details *d)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (days[i] < sr->first_day || days[i] > sr->last_day || (i > 0 && days[i] <= days[i - 1]))
            return error_field(d, ERR_INVALID_REQUEST, "days");
        *e = (struct event){.kind = EVENT_DAILY,
                            .starts_at = hki_from_local(days[i], sr->opens_at),
                            .capacity = sr->capacity,
                            .cap = sr->cap,
                            .booking_opens_days = -1,
                            .collection_opens_minutes = -1};
        str_copy(e->venue, sizeof e->venue, sr->venue);
        str_copy(e->region, sizeof e->region, region);
        str_copy(e->name, sizeof e->name, sr->name);
        if ((rc = event_validate(e, d)) == 0) /* R15 (the daily line), R16, R10 */
            rc = tx_insert(t, S_EVENT_ADD,
                           BK_ARGS(bk_text(e->venue), bk_text(e->name),
                                   bk_text(name_of(&event_kind_names, EVENT_DAILY)),
                                   bk_int(e->starts_at), bk_int(e->capacity), bk_opt_int(e->cap),
                                   bk_int(0), bk_opt_int(-1), bk_opt_int(-1), bk_int(0),
                                   bk_text("")),
                           &e->id);
        if (rc == 0)
            rc = tx_exec(t, S_EVENT_SET_SERIES, BK_ARGS(bk_int(sr->id), bk_int(e->id)));
    }
    return rc;
}

struct series_write {
    const struct actor *a;
    struct series *sr; /* add: the new series; else loaded */
    int64_t id;
    int32_t day; /* extend: the new last day; close: from */
    const int32_t *days;
    size_t n;
    int32_t removed;
    struct event *e;
    struct error_details *d;
};

static int series_add_tx(struct bk_tx *t, void *ctx)
{
    struct series_write *c = ctx;
    struct series *sr = c->sr;
    struct place_buf place;
    int rc = place_in_scope(t, c->a, S_PLACE_VENUE, sr->venue, &place, c->d, "venue");
    if (rc == 0 && (sr->weekdays == 0 || (sr->weekdays & ~SERIES_WEEKDAYS_ALL) != 0))
        rc = error_field(c->d, ERR_INVALID_REQUEST, "weekdays");
    if (rc == 0 && (sr->opens_at < 0 || sr->opens_at >= 86400))
        rc = error_field(c->d, ERR_INVALID_REQUEST, "opens_at");
    if (rc == 0 && (c->n == 0 || sr->last_day < sr->first_day))
        rc = error_field(c->d, ERR_INVALID_REQUEST, "last_day");
    if (rc == 0)
        rc = tx_insert(t, S_SERIES_ADD,
                       BK_ARGS(bk_text(sr->venue), bk_text(sr->name), bk_int(sr->weekdays),
                               bk_int(sr->opens_at), bk_int(sr->first_day), bk_int(sr->last_day),
                               bk_int(sr->capacity), bk_opt_int(sr->cap), bk_text(c->a->user),
                               bk_int(c->a->now)),
                       &sr->id);
    if (rc == 0)
        rc = add_days(t, sr, place.region, c->days, c->n, c->e, c->d);
    if (rc == 0)
        rc = audit_add_id(t, c->a, "series.add", "series", sr->id, place.region);
    return rc;
}

static int run_write(struct store *s, tx_fn fn, struct series_write *c)
{
    c->e = malloc(sizeof *c->e); /* 2 KiB: off the stack */
    struct series *own = NULL;
    if (!c->sr)
        c->sr = own = malloc(sizeof *own);
    int rc = c->e && c->sr ? store_write(s, fn, c) : -ERR_UNAVAILABLE;
    free(c->e);
    free(own);
    return rc;
}

int store_series_add(struct store *s, const struct actor *a, struct series *sr, const int32_t *days,
                     size_t n, struct error_details *d)
{
    struct series_write c = {.a = a, .sr = sr, .days = days, .n = n, .d = d};
    return run_write(s, series_add_tx, &c);
}

/* The series for a change, in the actor's scope (R32); its region. */
static int series_in_scope(struct bk_tx *t, const struct series_write *c, struct place_buf *place)
{
    int rc = tx_need(t, S_SERIES_GET, BK_ARGS(bk_int(c->id)), ROW_SERIES, c->sr, -ERR_NOT_FOUND,
                     c->d, NULL);
    if (rc == 0)
        rc = place_in_scope(t, c->a, S_PLACE_VENUE, c->sr->venue, place, c->d, NULL);
    return rc;
}

static int series_extend_tx(struct bk_tx *t, void *ctx)
{
    struct series_write *c = ctx;
    struct place_buf place;
    int rc = series_in_scope(t, c, &place);
    if (rc == 0 && (c->sr->closed_at || c->day <= c->sr->last_day || c->n == 0 ||
                    c->days[0] <= c->sr->last_day))
        rc = error_field(c->d, ERR_INVALID_REQUEST, "last_day");
    if (rc == 0) {
        int32_t old_last = c->sr->last_day;
        c->sr->last_day = c->day;
        c->sr->first_day = old_last + 1; /* the new days only */
        rc = add_days(t, c->sr, place.region, c->days, c->n, c->e, c->d);
    }
    if (rc == 0)
        rc = tx_exec(t, S_SERIES_SET_LAST, BK_ARGS(bk_int(c->day), bk_int(c->id)));
    if (rc == 0)
        rc = audit_add_id(t, c->a, "series.extend", "series", c->id, place.region);
    return rc;
}

int store_series_extend(struct store *s, const struct actor *a, int64_t id, int32_t last_day,
                        const int32_t *days, size_t n, struct error_details *d)
{
    struct series_write c = {.a = a, .id = id, .day = last_day, .days = days, .n = n, .d = d};
    return run_write(s, series_extend_tx, &c);
}

static int count_removed(void *ctx, void *row)
{
    (void)row;
    ((struct series_write *)ctx)->removed++;
    return 0;
}

static int series_close_tx(struct bk_tx *t, void *ctx)
{
    struct series_write *c = ctx;
    struct place_buf place;
    int64_t id_row;
    c->removed = 0;
    int rc = series_in_scope(t, c, &place);
    if (rc == 0 && c->sr->closed_at)
        rc = error_field(c->d, ERR_INVALID_REQUEST, "series");
    if (rc == 0)
        rc = tx_each(t, S_SERIES_DROP_DAYS,
                     BK_ARGS(bk_int(c->id), bk_int(hki_from_local(c->day, 0))), ROW_ID, &id_row,
                     count_removed, c);
    if (rc == 0)
        rc = tx_exec(t, S_SERIES_CLOSE,
                     BK_ARGS(bk_int(c->a->now), bk_int(c->day - 1), bk_int(c->id)));
    if (rc == 0)
        rc = audit_add_id(t, c->a, "series.close", "series", c->id, place.region);
    return rc;
}

int store_series_close(struct store *s, const struct actor *a, int64_t id, int32_t from,
                       int32_t *removed)
{
    struct error_details d = {0};
    struct series_write c = {.a = a, .id = id, .day = from, .d = &d};
    int rc = run_write(s, series_close_tx, &c);
    if (rc == 0 && removed)
        *removed = c.removed;
    return rc;
}

/* ---- reads ---- */

struct series_read {
    const struct actor *a;
    int64_t id;
    const char *venue;
    struct series *sr;
    store_series_fn fn;
    store_event_fn day_fn;
    void *ctx;
    struct event *e;
};

static int series_get_tx(struct bk_tx *t, void *ctx)
{
    struct series_read *c = ctx;
    struct place_buf place;
    int rc = tx_need(t, S_SERIES_GET, BK_ARGS(bk_int(c->id)), ROW_SERIES, c->sr, -ERR_NOT_FOUND,
                     NULL, NULL);
    if (rc == 0)
        rc = place_in_scope(t, c->a, S_PLACE_VENUE, c->sr->venue, &place, NULL, NULL);
    return rc;
}

int store_series_get(struct store *s, const struct actor *a, int64_t id, struct series *out)
{
    struct series_read c = {.a = a, .id = id, .sr = out};
    return store_read(s, BK_READ, series_get_tx, &c);
}

static int series_row(void *ctx, void *row)
{
    const struct series_read *c = ctx;
    return c->fn(c->ctx, row);
}

static int series_list_tx(struct bk_tx *t, void *ctx)
{
    struct series_read *c = ctx;
    struct place_buf place;
    int rc = place_in_scope(t, c->a, S_PLACE_VENUE, c->venue, &place, NULL, NULL);
    if (rc == 0)
        rc =
            tx_each(t, S_SERIES_LIST, BK_ARGS(bk_text(c->venue)), ROW_SERIES, c->sr, series_row, c);
    return rc;
}

int store_series_list(struct store *s, const struct actor *a, const char *venue, store_series_fn fn,
                      void *ctx)
{
    struct series sr;
    struct series_read c = {.a = a, .venue = venue, .sr = &sr, .fn = fn, .ctx = ctx};
    return store_read(s, BK_READ, series_list_tx, &c);
}

static int day_row(void *ctx, void *row)
{
    const struct series_read *c = ctx;
    return c->day_fn(c->ctx, row);
}

static int series_days_tx(struct bk_tx *t, void *ctx)
{
    struct series_read *c = ctx;
    int rc = series_get_tx(t, c);
    if (rc == 0)
        rc = tx_each(t, S_EVENT_LIST_SERIES, BK_ARGS(bk_int(c->id)), ROW_EVENT, c->e, day_row, c);
    return rc;
}

int store_series_days(struct store *s, const struct actor *a, int64_t id, store_event_fn fn,
                      void *ctx)
{
    struct series sr;
    struct series_read c = {.a = a, .id = id, .sr = &sr, .day_fn = fn, .ctx = ctx};
    c.e = malloc(sizeof *c.e);
    int rc = c.e ? store_read(s, BK_READ, series_days_tx, &c) : -ERR_UNAVAILABLE;
    free(c.e);
    return rc;
}
