/* store/counts.c: the kept counts (issue 16, R30, R31). Random histories of
 * stock, handouts (R14 renewals among them), cancellations (R13), events
 * and their moves, transfers (R3), uses and undos (R25), each through the
 * store's own calls, after which every kept count must equal a full
 * recount (store_counts_check), the reports read from the kept counts
 * must equal the full-scan reports of before, figure by figure, and every
 * figure of R31's statistics must equal the test's own count of what it
 * saw succeed (issue 16, item 7). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/strutil.h"

#define SEEDS     40
#define SEEDS_PG  12 /* the same histories, fewer: each seed is ~5 times slower there */
#define STEPS     400
#define MAX_CODES 400
#define MAX_ITEMS 400

static const char *const units[] = {"espoo-sote", "espoo-nuoriso", "kainuu-sote", "vantaa-sote"};
static const char *const venues[] = {"hilla", "kajaani", "ateneum"};

/* What the history did, as the test itself saw it succeed: the R31
 * figures are counted again from this, another way than the store does. */
struct ledger_card {
    const char *region;
    bool issued, cancelled, renews;
    int32_t handed_out_on, valid_until;
    int64_t cancelled_at;
};

struct ledger_event {
    int venue; /* into venues[] */
    int64_t starts_at;
};

struct ledger_use {
    int card;  /* into codes[] */
    int event; /* into events[] */
    int adult, child, companion;
    bool undone;
};

struct history {
    struct store *s;
    struct rng rng;
    int64_t now;
    code_t codes[MAX_CODES];
    int ncodes;
    int64_t events[MAX_ITEMS];
    int nevents;
    int64_t uses[MAX_ITEMS];
    int nuses;
    int done[8]; /* successful steps by kind */
    int next_code;
    struct ledger_card card[MAX_CODES];
    struct ledger_event event[MAX_ITEMS];
    struct ledger_use use[MAX_ITEMS];
};

static int code_index(const struct history *h, const char *code)
{
    for (int i = 0; i < h->ncodes; i++)
        if (strcmp(h->codes[i], code) == 0)
            return i;
    return -1;
}

static int event_index(const struct history *h, int64_t id)
{
    for (int i = 0; i < h->nevents; i++)
        if (h->events[i] == id)
            return i;
    return -1;
}

/* An instant in 2019-12 … 2021-06; a third of them in the last hours of a
 * month's last day (UTC), when Finnish clocks already show the next month,
 * and across the changes of summer time. */
static int64_t random_instant(struct rng *r)
{
    int32_t day = D(2019, 12, 1) + (int32_t)rng_below(r, 578);
    if (rng_percent(r, 33)) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        day = (m == 12 ? D(y + 1, 1, 1) : D(y, m + 1, 1)) - 1;
        return (int64_t)day * 86400 + 75600 + rng_below(r, 10800); /* 21:00–24:00 UTC */
    }
    return (int64_t)day * 86400 + rng_below(r, 86400);
}

static struct actor as(const struct history *h, const char *user, enum role role, const char *scope)
{
    struct actor a = actor(user, role, scope);
    a.now = h->now;
    return a;
}

static const char *unit_region(const char *unit)
{
    return strncmp(unit, "espoo", 5) == 0    ? "espoo"
           : strncmp(unit, "kainuu", 6) == 0 ? "kainuu"
                                             : "vantaa";
}

static void step_stock(struct history *h)
{
    code_t codes[4];
    int n = 1 + (int)rng_below(&h->rng, 4);
    if (h->ncodes + n > MAX_CODES)
        return;
    for (int i = 0; i < n; i++)
        snprintf(codes[i], sizeof codes[i], "R%d", h->next_code++);
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    const char *unit = units[rng_below(&h->rng, 4)];
    enum card_kind kind = rng_percent(&h->rng, 80) ? CARD_PERSONAL : CARD_COMMUNITY;
    if (store_stock_add(h->s, &nat, unit, kind, (const code_t *)codes, (size_t)n, NULL) != 0)
        return;
    for (int i = 0; i < n; i++) {
        h->card[h->ncodes] = (struct ledger_card){.region = unit_region(unit)};
        memcpy(h->codes[h->ncodes++], codes[i], sizeof codes[i]);
    }
    h->done[0]++;
}

static const char *random_code(struct history *h)
{
    return h->ncodes ? h->codes[rng_below(&h->rng, h->ncodes)] : "R0";
}

static void step_handout(struct history *h)
{
    static const char *const tongues[] = {"fi", "sv", "en", "so", "other"};
    static const char *const postal[] = {"02100", "02200", "87100", "01300", "00100"};
    struct card card;
    const char *code = random_code(h);
    if (store_card_get(h->s, code, &card) != 0 || card.issued || card.cancelled)
        return;
    struct handout f = form(code, hki_day(h->now) - (int32_t)rng_below(&h->rng, 40));
    f.birth_year = 1920 + (int)rng_below(&h->rng, 80);
    str_copy(f.mother_tongue, sizeof f.mother_tongue, tongues[rng_below(&h->rng, 5)]);
    f.gender = (enum gender)rng_below(&h->rng, GENDER_COUNT);
    str_copy(f.postal_code, sizeof f.postal_code, postal[rng_below(&h->rng, 5)]);
    f.life_situations = 1u + (unsigned)rng_below(&h->rng, 511);
    if (rng_percent(&h->rng, 30))
        str_copy(f.renews, sizeof f.renews, random_code(h)); /* R14, if it has expired */
    struct actor d = as(h, "dist", ROLE_DISTRIBUTOR, card.unit);
    struct card out;
    if (store_handout_record(h->s, &d, &f, &out, NULL) == 0) {
        struct ledger_card *c = &h->card[code_index(h, code)];
        c->issued = true;
        c->renews = f.renews[0] != '\0';
        c->handed_out_on = f.handed_out_on;
        c->valid_until = out.valid_until; /* R4, R5: the rule's, not a count */
        h->done[1 + c->renews]++;
    }
}

static void step_cancel(struct history *h)
{
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    struct card out;
    const char *code = random_code(h);
    if (store_card_cancel(h->s, &nat, code, "lost", &out) == 0) {
        h->card[code_index(h, code)].cancelled = true;
        h->card[code_index(h, code)].cancelled_at = h->now;
        h->done[3]++;
    }
}

static void step_event(struct history *h)
{
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    if (h->nevents == MAX_ITEMS)
        return;
    int venue = (int)rng_below(&h->rng, 3);
    struct event e = event_of(venues[venue], "Iltanäytös", NOW, 1000, -1);
    e.starts_at = random_instant(&h->rng);
    if (store_event_add(h->s, &nat, &e, NULL) == 0) {
        h->event[h->nevents] = (struct ledger_event){venue, e.starts_at};
        h->events[h->nevents++] = e.id;
    }
}

/* An event moved to another time, perhaps another month or year: its
 * kept counts go with it. */
static void step_move(struct history *h)
{
    if (!h->nevents)
        return;
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    struct event_patch p = {.set = EP_STARTS_AT};
    p.v.starts_at = random_instant(&h->rng);
    struct event out;
    int i = (int)rng_below(&h->rng, h->nevents);
    if (store_event_update(h->s, &nat, h->events[i], &p, &out, NULL) == 0) {
        h->event[i].starts_at = p.v.starts_at;
        h->done[4]++;
    }
}

static void step_use(struct history *h)
{
    struct event e;
    if (!h->nevents || h->nuses == MAX_ITEMS ||
        store_event_get(h->s, h->events[rng_below(&h->rng, h->nevents)], &e) != 0)
        return;
    struct actor v = as(h, "staff", ROLE_VENUE, e.venue);
    struct use_request r =
        use_req(random_code(h), e.id, (int)rng_below(&h->rng, 2), (int)rng_below(&h->rng, 3), "");
    r.companion = (int)rng_below(&h->rng, 2);
    if (r.adult + r.child + r.companion == 0)
        r.adult = 1;
    struct use u;
    bool replayed;
    if (store_use_record(h->s, &v, &r, &u, &replayed, NULL) == 0) {
        h->use[h->nuses] = (struct ledger_use){
            code_index(h, r.card), event_index(h, e.id), r.adult, r.child, r.companion, false};
        h->uses[h->nuses++] = u.id;
        h->done[5]++;
    }
}

static void step_undo(struct history *h)
{
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    int i = h->nuses ? (int)rng_below(&h->rng, h->nuses) : -1;
    if (i >= 0 && store_use_undo(h->s, &nat, h->uses[i]) == 0) {
        h->use[i].undone = true;
        h->done[6]++;
    }
}

static void step_transfer(struct history *h)
{
    static const char *const pairs[][2] = {{"espoo-sote", "espoo-nuoriso"},
                                           {"espoo-nuoriso", "espoo-sote"}};
    const char *const *pair = pairs[rng_below(&h->rng, 2)];
    code_t code[1];
    str_copy(code[0], sizeof code[0], random_code(h));
    struct actor c = as(h, "coord", ROLE_COORDINATOR, unit_region(pair[0]));
    struct transfer out;
    int64_t id = 0;
    if (store_transfer_request(h->s, &c, (const code_t *)code, 1, pair[0], pair[1], &id, NULL) ==
            0 &&
        store_transfer_decide(h->s, &c, id, true, &out, NULL) == 0)
        h->done[7]++;
}

static void (*const steps[])(struct history *) = {
    step_stock,  step_stock, step_handout, step_handout, step_handout,
    step_cancel, step_event, step_move,    step_use,     step_use,
    step_use,    step_use,   step_use,     step_undo,    step_transfer,
};

/* ---- the reports, as text ---- */

struct text {
    char s[16384];
    size_t n;
};

static int count_line(void *ctx, const struct report_count *c)
{
    struct text *t = ctx;
    t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "%d %s=%lld\n", (int)c->dim, c->key,
                             (long long)c->count);
    assert_true(t->n < sizeof t->s);
    return 0;
}

static int national_line(void *ctx, const struct national_row *row)
{
    struct text *t = ctx;
    t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "[%s]", row->region);
    for (int i = 0; i < FIG_COUNT; i++)
        t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, " %lld",
                                 (long long)row->figures.v[i]);
    t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "\n");
    assert_true(t->n < sizeof t->s);
    return 0;
}

/* Every year's national statistics and every region's (and the
 * country's) cardholder report: kept counts and full scans the same. */
static void reports_agree(struct history *h, uint64_t seed)
{
    static const char *const regions[] = {"espoo", "kainuu", "vantaa", ""};
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    for (int year = 2019; year <= 2021; year++) {
        struct text kept = {.n = 0}, scan = {.n = 0};
        assert_int_equal(store_report_national(h->s, &nat, year, national_line, &kept), 0);
        assert_int_equal(store_report_national_scan(h->s, &nat, year, national_line, &scan), 0);
        if (strcmp(kept.s, scan.s) != 0)
            fail_msg("seed %llu, national %d:\nkept\n%sscan\n%s", (unsigned long long)seed, year,
                     kept.s, scan.s);
        /* The whole year, every recording: the kept counts and the scan
         * must agree on any period; the closed one is the API's. */
        const struct report_period whole = {year, date_from_ymd(year, 12, 31),
                                            date_from_ymd(9999, 12, 31)};
        for (size_t i = 0; i < ARRAY_LEN(regions); i++) {
            kept.n = scan.n = 0;
            kept.s[0] = scan.s[0] = '\0';
            assert_int_equal(
                store_report_cardholders(h->s, &nat, regions[i], &whole, count_line, &kept), 0);
            assert_int_equal(
                store_report_cardholders_scan(h->s, &nat, regions[i], &whole, count_line, &scan),
                0);
            if (strcmp(kept.s, scan.s) != 0)
                fail_msg("seed %llu, cardholders %s %d:\nkept\n%sscan\n%s",
                         (unsigned long long)seed, regions[i], year, kept.s, scan.s);
            /* As the API reads it in each month m + 1 of the year: the months
             * through m, recorded before m + 1 began (R30, "Late recordings"
             * in docs/privacy.md: a handout dated in a closed month but
             * recorded after it waits). */
            for (int m = 1; m < 12; m++) {
                const struct report_period closed = {year, date_from_ymd(year, m + 1, 1) - 1,
                                                     date_from_ymd(year, m + 1, 1)};
                kept.n = scan.n = 0;
                kept.s[0] = scan.s[0] = '\0';
                assert_int_equal(
                    store_report_cardholders(h->s, &nat, regions[i], &closed, count_line, &kept),
                    0);
                assert_int_equal(store_report_cardholders_scan(h->s, &nat, regions[i], &closed,
                                                               count_line, &scan),
                                 0);
                if (strcmp(kept.s, scan.s) != 0)
                    fail_msg("seed %llu, cardholders %s %d through month %d:\nkept\n%sscan\n%s",
                             (unsigned long long)seed, regions[i], year, m, kept.s, scan.s);
            }
        }
    }
}

/* ---- R31 counted again from the ledger (item 7) ---- */

static const char *const venue_region[] = {"espoo", "kainuu", ""}; /* of venues[] */
static const enum use_domain venue_domain[] = {DOMAIN_CULTURE, DOMAIN_CULTURE,
                                               DOMAIN_SCIENCE}; /* theatre, theatre, museum */

static bool in_year(int32_t day, int year)
{
    return date_year(day) == year;
}

/* The figures of `region` ("": the pop-up venues) in `year`. */
static void ledger_figures(const struct history *h, const char *region, int year, int32_t today,
                           struct stat_figures *out)
{
    static const struct {
        const char *region;
        int venues, units;
    } network[] = {{"espoo", 1, 2}, {"kainuu", 1, 1}, {"vantaa", 0, 1}, {"", 1, 0}};
    int64_t *v = out->f.v;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < ARRAY_LEN(network); i++)
        if (strcmp(network[i].region, region) == 0) {
            v[FIG_VENUES] = network[i].venues;
            v[FIG_UNITS] = network[i].units;
        }
    for (int i = 0; i < h->ncodes; i++) {
        const struct ledger_card *c = &h->card[i];
        if (strcmp(c->region, region) != 0)
            continue;
        v[FIG_IN_STOCK] += !c->issued && !c->cancelled;
        v[FIG_VALID_NOW] +=
            c->issued && !c->cancelled && c->handed_out_on <= today && today <= c->valid_until;
        v[FIG_CANCELLED] += c->cancelled && in_year(hki_day(c->cancelled_at), year);
        if (!c->issued || !in_year(c->handed_out_on, year))
            continue;
        v[FIG_HANDED_OUT]++;
        v[FIG_RENEWALS] += c->renews;
        bool used = false;
        for (int u = 0; u < h->nuses; u++)
            used = used || (h->use[u].card == i && !h->use[u].undone);
        v[FIG_USED_ONCE] += used;
    }
    for (int e = 0; e < h->nevents; e++)
        if (strcmp(venue_region[h->event[e].venue], region) == 0 &&
            in_year(hki_day(h->event[e].starts_at), year))
            v[FIG_EVENTS]++;
    for (int u = 0; u < h->nuses; u++) {
        const struct ledger_use *x = &h->use[u];
        const struct ledger_event *e = &h->event[x->event];
        if (x->undone || strcmp(venue_region[e->venue], region) != 0 ||
            !in_year(hki_day(e->starts_at), year))
            continue;
        v[FIG_USES]++;
        v[FIG_ADULT] += x->adult;
        v[FIG_CHILD] += x->child;
        v[FIG_COMPANION] += x->companion;
        out->domain_uses[venue_domain[e->venue]]++;
    }
}

struct seen {
    struct statistics_row rows[8];
    int n;
};

static int keep_row(void *ctx, const struct statistics_row *row)
{
    struct seen *s = ctx;
    assert_true(s->n < 8);
    s->rows[s->n++] = *row;
    return 0;
}

static void same_figures(const struct stat_figures *got, const struct stat_figures *want,
                         bool previous, const char *what, uint64_t seed)
{
    for (int f = 0; f < STAT_COUNT; f++) {
        int64_t a = 0, b = 0;
        bool sa, sb;
        bool has_a = stat_value(got, (enum stat_figure)f, previous, &a, &sa);
        bool has_b = stat_value(want, (enum stat_figure)f, previous, &b, &sb);
        if (has_a != has_b || a != b)
            fail_msg("seed %llu, %s: %s is %lld, counted again %lld", (unsigned long long)seed,
                     what, name_of(&stat_figure_names, f), (long long)a, (long long)b);
    }
}

/* R31 (issue 16, item 7): every figure of the statistics, for every region
 * and the pop-up venues, each year beside the previous one, as national
 * and as each region's coordinator sees it, against the ledger's. */
static void statistics_agree(struct history *h, uint64_t seed)
{
    static const char *const regions[] = {"espoo", "kainuu", "vantaa", ""};
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    int32_t today = hki_day(nat.now);
    for (int year = 2020; year <= 2021; year++) {
        struct seen all = {.n = 0};
        assert_int_equal(store_report_statistics(h->s, &nat, NULL, year, keep_row, &all), 0);
        assert_int_equal(all.n, 4); /* three regions by id, then the pop-up venues */
        for (int i = 0; i < all.n; i++) {
            struct stat_figures want, before;
            char what[64];
            assert_string_equal(all.rows[i].region, regions[i]);
            ledger_figures(h, regions[i], year, today, &want);
            ledger_figures(h, regions[i], year - 1, today, &before);
            snprintf(what, sizeof what, "[%s] %d", regions[i], year);
            same_figures(&all.rows[i].year, &want, false, what, seed);
            same_figures(&all.rows[i].previous, &before, true, what, seed);
            if (!regions[i][0])
                continue;
            struct seen own = {.n = 0};
            struct actor coord = as(h, "coord", ROLE_COORDINATOR, regions[i]);
            assert_int_equal(
                store_report_statistics(h->s, &coord, regions[i], year, keep_row, &own), 0);
            assert_int_equal(own.n, 1);
            same_figures(&own.rows[0].year, &want, false, what, seed);
        }
    }
}

static void counts_agree(struct store *s, uint64_t seed)
{
    struct counts_check c;
    assert_int_equal(store_counts_check(s, &c), 0);
    for (int i = 0; i < COUNTS_TABLES; i++)
        if (c.differs[i])
            fail_msg("seed %llu: kept %s differ from a recount (%lld rows kept, %lld recounted)",
                     (unsigned long long)seed, counts_table_names[i], (long long)c.kept[i],
                     (long long)c.recounted[i]);
    assert_int_equal(c.differing, 0);
}

/* ---- R35: a purge keeps every figure ---- */

static int usage_sum(void *ctx, const struct usage_row *u)
{
    int64_t *sum = ctx;
    sum[0] += u->adult;
    sum[1] += u->child;
    return 0;
}

/* Every report of every year 2019–2021 as text: national statistics (R31),
 * the statistics with the previous year (R31), each region's and the
 * country's cardholder report (R30) and each venue's usage totals per event
 * day (R28, R29). */
static void all_reports(struct history *h, struct actor *nat, struct text *out)
{
    static const char *const regions[] = {"espoo", "kainuu", "vantaa", ""};
    out->n = 0;
    for (int year = 2019; year <= 2021; year++) {
        assert_int_equal(store_report_national(h->s, nat, year, national_line, out), 0);
        struct seen all = {.n = 0};
        assert_int_equal(store_report_statistics(h->s, nat, NULL, year, keep_row, &all), 0);
        for (int i = 0; i < all.n; i++)
            for (int f = 0; f < FIG_COUNT; f++)
                out->n += (size_t)snprintf(out->s + out->n, sizeof out->s - out->n, "%lld %lld ",
                                           (long long)all.rows[i].year.f.v[f],
                                           (long long)all.rows[i].previous.f.v[f]);
        const struct report_period whole = {year, date_from_ymd(year, 12, 31),
                                            date_from_ymd(9999, 12, 31)};
        for (size_t i = 0; i < ARRAY_LEN(regions); i++)
            assert_int_equal(
                store_report_cardholders(h->s, nat, regions[i], &whole, count_line, out), 0);
        for (size_t v = 0; v < ARRAY_LEN(venues); v++)
            for (int32_t day = D(year, 1, 1); day <= D(year, 12, 31); day += 31) {
                int64_t sum[2] = {0, 0};
                assert_int_equal(
                    store_report_venue_usage(h->s, nat, venues[v], day, day + 30, usage_sum, sum),
                    0);
                out->n += (size_t)snprintf(out->s + out->n, sizeof out->s - out->n, "%lld+%lld ",
                                           (long long)sum[0], (long long)sum[1]);
            }
        assert_true(out->n < sizeof out->s);
    }
}

/* R35: purges the history's records before 2021-01-01 (a dry run first),
 * then every report of every year must read as before, the purged rows
 * must be gone, and the kept counts must still equal a recount. */
static void purge_keeps_figures(struct history *h, const char *path, uint64_t seed)
{
    static struct text before, after, dry;
    struct actor nat = as(h, "nat", ROLE_NATIONAL, "");
    nat.now = (int64_t)D(2021, 7, 1) * 86400 + 43200;
    int32_t cut = D(2021, 1, 1);
    all_reports(h, &nat, &before);
    int64_t uses = sql_int(path, "SELECT count(*) FROM uses"), audit = count_audit(h->s, NULL);
    static struct purge_summary p, q;
    assert_int_equal(store_purge(h->s, &nat, cut, true, &p), 0);
    all_reports(h, &nat, &dry); /* the dry run changed nothing */
    assert_string_equal(dry.s, before.s);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM uses"), uses);
    assert_int_equal(count_audit(h->s, NULL), audit);
    assert_int_equal(store_purge(h->s, &nat, cut, false, &q), 0);
    assert_memory_equal(&p, &q, sizeof p); /* it said what would go */
    assert_int_equal(count_audit(h->s, "records.purge"), 1);
    int64_t gone = sql_int(path, "SELECT count(*) FROM uses");
    assert_int_equal(uses - gone, q.total_uses);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM uses s JOIN events e ON e.id = s.event "
                                   "WHERE e.starts_at < 1609452000"), /* 2021-01-01 Finnish */
                     0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM handouts WHERE handed_out_on < 18628 "
                                   "AND (birth_year IS NOT NULL OR mother_tongue IS NOT NULL OR "
                                   "gender IS NOT NULL OR postal_code IS NOT NULL OR "
                                   "life_situations IS NOT NULL)"),
                     0);
    all_reports(h, &nat, &after);
    if (strcmp(after.s, before.s) != 0)
        fail_msg("seed %llu: the reports moved with the purge:\nbefore %s\nafter  %s",
                 (unsigned long long)seed, before.s, after.s);
    counts_agree(h->s, seed); /* check recounts records + what was purged */
    assert_int_equal(store_counts_rebuild(h->s, &nat), 0);
    all_reports(h, &nat, &after);
    assert_string_equal(after.s, before.s);
    /* A second purge finds nothing more to take. */
    assert_int_equal(store_purge(h->s, &nat, cut, false, &q), 0);
    assert_int_equal(q.total_uses + q.total_handouts, 0);
    all_reports(h, &nat, &after);
    assert_string_equal(after.s, before.s);
}

static void test_random_histories_R14_R25_R30_R31_R35(void **state)
{
    (void)state;
    int total[8] = {0};
    const uint64_t seeds = on_pg() ? SEEDS_PG : SEEDS;
    for (uint64_t seed = 1; seed <= seeds; seed++) {
        void *fx = NULL;
        assert_int_equal(setup(&fx), 0);
        struct fixture *f = fx;
        struct history *h = calloc(1, sizeof *h);
        assert_non_null(h);
        h->s = f->s;
        rng_init(&h->rng, seed);
        /* The fixture's stock (fixture.c's setup) is in the ledger too. */
        static const struct {
            const char *prefix, *region;
            int n;
        } fixture_stock[] = {
            {"E", "espoo", 10}, {"C", "espoo", 2}, {"N", "espoo", 3}, {"K", "kainuu", 3}};
        for (size_t k = 0; k < ARRAY_LEN(fixture_stock); k++)
            for (int i = 0; i < fixture_stock[k].n; i++) {
                snprintf(h->codes[h->ncodes], sizeof h->codes[0], "%s%d", fixture_stock[k].prefix,
                         i);
                h->card[h->ncodes++] = (struct ledger_card){.region = fixture_stock[k].region};
            }
        for (int i = 0; i < STEPS; i++) {
            h->now = random_instant(&h->rng);
            steps[rng_below(&h->rng, ARRAY_LEN(steps))](h);
        }
        counts_agree(h->s, seed);
        reports_agree(h, seed);
        statistics_agree(h, seed);
        if (seed % 4 == 0)
            purge_keeps_figures(h, f->path, seed);
        for (int k = 0; k < 8; k++)
            total[k] += h->done[k];
        free(h);
        teardown(&fx);
    }
    /* The histories did what they are for: every kind of change happened,
     * many times over. */
    static const char *const kinds[] = {"stock", "handouts", "renewals", "cancellations",
                                        "moves", "uses",     "undos",    "transfers"};
    for (int k = 0; k < 8; k++) {
        print_message("%s: %d\n", kinds[k], total[k]);
        assert_true(total[k] >= (k == 2 ? 5 : 50));
    }
}

/* A count planted wrong is found, and a rebuild (national only, audited)
 * puts it right. */
static void test_check_and_rebuild(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, coord = COORD_ESPOO, dist = DIST_SOTE;
    int64_t ev = add_event(f->s, "hilla", 100, -1);
    assert_int_equal(hand_out(f->s, &dist, "E1", D(2020, 1, 20)), 0);
    assert_int_equal(record(f->s, &nat, "E1", ev, 1, 2), 0);
    counts_agree(f->s, 0);

    assert_int_equal(sql_exec(f->path, "UPDATE counts_stock SET n = n + 1 WHERE region = 'espoo'"),
                     0);
    assert_int_equal(sql_exec(f->path, "UPDATE events SET n_child = 5"), 0);
    struct counts_check c;
    assert_int_equal(store_counts_check(f->s, &c), 0);
    assert_int_equal(c.differing, 2);
    assert_true(c.differs[0]); /* events */
    assert_true(c.differs[3]); /* counts_stock */
    /* The check changed nothing. */
    assert_int_equal(sql_int(f->path, "SELECT n_child FROM events"), 5);

    assert_int_equal(store_counts_rebuild(f->s, &coord), -ERR_FORBIDDEN);
    assert_int_equal(store_counts_rebuild(f->s, &nat), 0);
    assert_int_equal(count_audit(f->s, "counts.rebuild"), 1);
    counts_agree(f->s, 0);
    assert_int_equal(sql_int(f->path, "SELECT n_child FROM events"), 2);
    assert_int_equal(sql_int(f->path, "SELECT n FROM counts_stock WHERE region = 'espoo'"), 14);
}

/* R35: a purge is national's, never cuts into the month still open, and
 * is all or nothing: a failure at its last write (a trigger planted on the
 * handouts) leaves every use and every count where it was. Handouts stay
 * as recorded but for the purge's one clearing. */
static void test_purge_refusals_and_one_transaction_R35(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, coord = COORD_ESPOO, dist = DIST_SOTE;
    int64_t ev = add_event(f->s, "hilla", 100, -1);
    assert_int_equal(hand_out(f->s, &dist, "E1", D(2020, 1, 20)), 0);
    assert_int_equal(record(f->s, &nat, "E1", ev, 1, 2), 0);
    nat.now = coord.now = (int64_t)D(2021, 3, 15) * 86400;
    struct purge_summary p;
    assert_int_equal(store_purge(f->s, &coord, D(2021, 1, 1), false, &p), -ERR_FORBIDDEN);
    assert_int_equal(store_purge(f->s, &nat, D(2021, 3, 2), true, &p), -ERR_INVALID_REQUEST);
    assert_int_equal(store_purge(f->s, &nat, D(2021, 3, 1), true, &p), 0);
    assert_int_equal(p.total_uses, 1);
    assert_int_equal(p.total_handouts, 1);
    assert_int_equal(p.uses[2020 - PURGE_YEAR_FIRST], 1);
    assert_int_equal(p.handouts[2020 - PURGE_YEAR_FIRST], 1);

    /* The fault, in each backend's dialect. */
    const char *plant = on_pg() ? "CREATE FUNCTION fail_purge() RETURNS trigger LANGUAGE plpgsql "
                                  "AS $$BEGIN RAISE EXCEPTION 'planted'; END$$; "
                                  "CREATE TRIGGER fail_purge BEFORE UPDATE ON handouts "
                                  "FOR EACH ROW EXECUTE FUNCTION fail_purge()"
                                : "CREATE TRIGGER fail_purge BEFORE UPDATE ON handouts "
                                  "BEGIN SELECT RAISE(ABORT, 'planted'); END";
    assert_int_equal(sql_exec(f->path, plant), 0);
    assert_int_not_equal(store_purge(f->s, &nat, D(2021, 1, 1), false, &p), 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM purged_event_uses"), 0);
    assert_int_equal(sql_int(f->path, "SELECT sum(purged_uses) FROM cards"), 0);
    assert_int_equal(count_audit(f->s, "records.purge"), 0);
    counts_agree(f->s, 0);

    assert_int_equal(sql_exec(f->path, on_pg() ? "DROP TRIGGER fail_purge ON handouts"
                                               : "DROP TRIGGER fail_purge"),
                     0);
    assert_int_equal(store_purge(f->s, &nat, D(2021, 1, 1), false, &p), 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), 0);
    assert_int_equal(sql_int(f->path, "SELECT n_adult + n_child FROM purged_event_uses"), 3);
    assert_int_equal(sql_int(f->path, "SELECT purged FROM handouts WHERE card = 'E1'"), 1);
    assert_int_equal(count_audit(f->s, "records.purge"), 1);
    counts_agree(f->s, 0);
    /* Nothing else of a handout may change, purged or not. */
    assert_int_not_equal(sql_exec(f->path, "UPDATE handouts SET unit = unit"), 0);
    assert_int_not_equal(sql_exec(f->path, "UPDATE handouts SET purged = 0"), 0);
    assert_int_not_equal(sql_exec(f->path, "DELETE FROM handouts"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_histories_R14_R25_R30_R31_R35),
        cmocka_unit_test_setup_teardown(test_check_and_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_refusals_and_one_transaction_R35, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
