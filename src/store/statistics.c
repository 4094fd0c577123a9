/* R31 for a year beside the previous one, with the uses split by domain
 * (issue 16): the national statistics' kept figures of two years and the
 * uses of each year's events by their venue's category, in one snapshot. */
#include <stdlib.h>
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

struct statistics {
    const struct actor *a;
    const char *region; /* "": all */
    int year;
    struct statistics_row *rows;
    size_t n;
};

/* The row of `region` ("": the pop-up venues), or NULL. */
static struct statistics_row *row_of(struct statistics *c, const char *region)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->rows[i].region, region) == 0)
            return &c->rows[i];
    return NULL;
}

struct domains {
    struct statistics *c;
    bool previous;
};

/* One (region, category, uses) of S_REPORT_DOMAINS_KEPT. */
static int domain_add(void *ctx, const struct bk_row *r)
{
    struct domains *d = ctx;
    char region[ID_MAX + 1] = "", category[32] = "";
    if (r->v[0].type == BK_TEXT && r->v[0].n <= ID_MAX)
        memcpy(region, r->v[0].p, r->v[0].n + 1);
    if (r->v[1].type == BK_TEXT && r->v[1].n < sizeof category)
        memcpy(category, r->v[1].p, r->v[1].n + 1);
    int cat = name_lookup(&venue_category_names, category);
    struct statistics_row *row = row_of(d->c, region);
    if (!row)
        return 0; /* another region than the one asked */
    if (cat < 0)
        return -ERR_INTERNAL; /* the schema's CHECK allows no other */
    struct stat_figures *f = d->previous ? &row->previous : &row->year;
    f->domain_uses[category_domain((enum venue_category)cat)] += r->v[2].i;
    return 0;
}

/* The kept figures of one year into each row's year or previous. */
static int figures_of(struct bk_tx *t, struct statistics *c, int year, bool previous)
{
    struct national_row *rows = NULL;
    size_t n = 0;
    int rc = report_national_rows(t, year, hki_day(c->a->now), &rows, &n);
    if (rc == 0 && !c->rows) { /* the first year read makes the rows */
        size_t keep = 0;
        c->rows = calloc(n ? n : 1, sizeof *c->rows);
        for (size_t i = 0; c->rows && i < n; i++) {
            if (c->region[0] && strcmp(rows[i].region, c->region) != 0)
                continue;
            memcpy(c->rows[keep].region, rows[i].region, sizeof rows[i].region);
            memcpy(c->rows[keep].name, rows[i].name, sizeof rows[i].name);
            keep++;
        }
        c->n = keep;
        if (!c->rows)
            rc = -ERR_UNAVAILABLE;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct statistics_row *row = row_of(c, rows[i].region);
        if (row)
            (previous ? &row->previous : &row->year)->f = rows[i].figures;
    }
    free(rows);
    struct domains d = {c, previous};
    if (rc == 0)
        rc = t->ops->run(t, S_REPORT_DOMAINS_KEPT,
                         BK_ARGS(bk_int(hki_from_local(date_from_ymd(year, 1, 1), 0)),
                                 bk_int(hki_from_local(date_from_ymd(year + 1, 1, 1), 0))),
                         domain_add, &d);
    return rc;
}

static int statistics_tx(struct bk_tx *t, void *ctx)
{
    struct statistics *c = ctx;
    struct place_buf place;
    /* R31, R32: a region for its coordinator and national; all for national. */
    int rc = c->region[0] ? place_in_scope(t, c->a, S_PLACE_REGION, c->region, &place, NULL, NULL)
                          : report_gate_national(c->a);
    if (rc == 0)
        rc = figures_of(t, c, c->year, false);
    if (rc == 0)
        rc = figures_of(t, c, c->year - 1, true);
    return rc;
}

int store_report_statistics(struct store *s, const struct actor *a, const char *region, int year,
                            store_statistics_fn fn, void *ctx)
{
    struct statistics c = {a, region ? region : "", year, NULL, 0};
    int rc = store_read(s, BK_SNAPSHOT, statistics_tx, &c);
    for (size_t i = 0; rc == 0 && i < c.n; i++)
        rc = fn(ctx, &c.rows[i]);
    free(c.rows);
    return rc;
}
