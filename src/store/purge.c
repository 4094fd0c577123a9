/* R35 retention (issue 16, item 5): `kaiku purge --before DATE`. The use
 * records of the events that start before DATE are deleted and the
 * background of the handouts made before it cleared, in one write
 * transaction with an audit row. What they counted is first added to the
 * tables of migration 009 (purged_event_uses, purged_background,
 * cards.purged_uses), which hold no holder data and no card code, so that
 * the kept counts of 008 stay what they were and `kaiku counts rebuild`
 * recounts them as "what was purged" plus "what the records still say". */
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

struct purge {
    const struct actor *a;
    int32_t before;
    bool dry_run;
    struct purge_summary *out;
};

/* One row (year, n) of S_PURGE_COUNT_*, into the year's slot. */
static int count_year(int64_t *years, int64_t *total, const struct bk_row *r)
{
    int64_t y = r->v[0].i - PURGE_YEAR_FIRST;
    if (y < 0 || y >= PURGE_YEARS)
        return -ERR_INTERNAL; /* days are 1900 … 2155 (date.c), so is every record */
    years[y] += r->v[1].i;
    *total += r->v[1].i;
    return 0;
}

static int handouts_year(void *ctx, const struct bk_row *r)
{
    struct purge_summary *o = ctx;
    return count_year(o->handouts, &o->total_handouts, r);
}

static int uses_year(void *ctx, const struct bk_row *r)
{
    struct purge_summary *o = ctx;
    return count_year(o->uses, &o->total_uses, r);
}

static int purge_tx(struct bk_tx *t, void *ctx)
{
    struct purge *p = ctx;
    int32_t this_month = hki_day(p->a->now);
    int y, m, d;
    date_to_ymd(this_month, &y, &m, &d);
    this_month -= d - 1;
    int rc = report_gate_national(p->a); /* the whole country's records */
    if (rc == 0 && p->before > this_month)
        rc = -ERR_INVALID_REQUEST;
    /* Handouts dated before the day, but not one recorded this month: the
     * cardholder report still subtracts this month's late recordings with
     * their background (docs/privacy.md); the next purge takes them. */
    struct bk_value day[] = {bk_int(p->before), bk_int(hki_from_local(this_month, 0))};
    struct bk_value at[] = {bk_int(hki_from_local(p->before, 0))};
    if (rc == 0)
        rc = t->ops->run(t, S_PURGE_COUNT_HANDOUTS, day, 2, handouts_year, p->out);
    if (rc == 0)
        rc = t->ops->run(t, S_PURGE_COUNT_USES, at, 1, uses_year, p->out);
    if (rc != 0 || p->dry_run)
        return rc;
    /* What the records count is kept before they go. */
    static const enum stmt by_instant[] = {S_PURGE_KEEP_EVENTS, S_PURGE_KEEP_CARDS, S_PURGE_USES};
    for (size_t i = 0; rc == 0 && i < sizeof by_instant / sizeof by_instant[0]; i++)
        rc = tx_exec(t, by_instant[i], at, 1);
    if (rc == 0)
        rc = tx_exec(t, S_PURGE_KEEP_BACKGROUND, day, 2);
    if (rc == 0)
        rc = tx_exec(t, S_PURGE_HANDOUTS, day, 2);
    char object[DATE_STR_LEN];
    date_format(p->before, object);
    if (rc == 0)
        rc = audit_add(t, p->a, "records.purge", "before", object, NULL);
    return rc;
}

int store_purge(struct store *s, const struct actor *a, int32_t before, bool dry_run,
                struct purge_summary *out)
{
    memset(out, 0, sizeof *out);
    out->before = before;
    struct purge p = {a, before, dry_run, out};
    int rc = dry_run ? store_read(s, BK_SNAPSHOT, purge_tx, &p) : store_write(s, purge_tx, &p);
    if (rc != 0) {
        memset(out, 0, sizeof *out);
        out->before = before;
    }
    return rc;
}
