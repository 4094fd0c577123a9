/* kaiku demo: fills a new database with a realistic Kaikukortti network.
 *
 * The network and the year's programme are tables (cmd_demo_data.c); this
 * file replays them through store.h, so every row passes the same rules (and
 * leaves the same audit rows) as the API. The network's history is replayed
 * day by day with back-dated actors: the seed's Teatteri Hilla example of
 * February 2020 first, then handouts from the start of last year up to
 * today, cancellations (R13) and renewals (R14) on their days, a transfer
 * (R3), and the uses of each past event of the current year recorded just
 * after it, as back-entries, so that no time window (R17) interferes. Uses
 * the rules refuse (cap_reached, …) are expected now and then and are
 * counted, not fatal. Deterministic for a given --seed and day: the only
 * randomness is util/rng.h's generator (no rand()), which bench/gen.c shares.
 *
 * All or nothing: those are thousands of store calls, each its own
 * transaction, into one scratch store (`s` in cmd_demo, a SQLite file) that
 * cmd_demo_target.c makes beside the target (or in the temporary directory
 * for PostgreSQL) and copies into it, in one transaction of the target,
 * only when complete. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd_common.h"
#include "cli/cmd_demo_data.h"
#include "cli/cmd_demo_target.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/secret.h"
#include "util/strutil.h"

#define WHAT          "demo"
#define DEMO_PASSWORD "kaikukortti-demo"
#define LIST(a)       a, (sizeof a / sizeof a[0])

/* One of w's values, by weight. */
static const char *pick(struct rng *r, const struct weighted *w, size_t n)
{
    return w[rng_weighted(r, &w[0].weight, n, sizeof w[0])].value;
}

/* ---- the simulation's own memory of what it has done ---- */

struct holder { /* R9: the background form, kept for a renewal */
    int birth_year;
    char tongue[6];
    enum gender gender;
    char postal[6];
    unsigned life;
};

struct demo_card {
    char code[CODE_MAX + 1];
    int unit; /* the unit whose stock holds it */
    enum card_kind kind;
    bool issued, cancelled, reserved;
    int32_t handed_out_on, valid_until;
    unsigned activity; /* how often the holder goes out: % chance to be picked */
    struct holder holder;
};

struct demo_event {
    int64_t id;
    const struct production *prod; /* a row of demo_productions or demo_tonight */
    int32_t day;
    int64_t starts_at;
};

struct scheduled {
    int32_t day;
    struct demo_card *card;
};

#define MAX_EVENTS    2400
#define MAX_SCHEDULED 4000
#define POOL_MAX      (STOCK_PERSONAL + TRANSFER_APPROVED_CODES + TRANSFER_PENDING_CODES)
#define REGION_CARDS  (UNITS * STOCK_CARDS)
#define PICKED_MAX    32

struct counts {
    int users, stock, handouts, community, renewals, cancelled, events, excluded;
    int transfers_approved, transfers_requested;
    int uses, adult, child, companion;
    int refused[ERR_COUNT];
    int refused_total;
};

struct demo {
    struct store *s;
    struct rng rng;
    int32_t today;
    int64_t now;
    int year;
    char hash[SECRET_HASH_MAX + 1];
    struct demo_card cards[UNITS][STOCK_CARDS];
    /* per unit: personal cards still to hand out, in order */
    struct demo_card *pool[UNITS][POOL_MAX];
    int pool_len[UNITS], pool_next[UNITS];
    int community_next[UNITS];
    /* issued cards per region, for picking a card at a venue */
    struct demo_card *issued[REGIONS][REGION_CARDS];
    int issued_len[REGIONS];
    struct demo_card *issued_community[REGIONS][UNITS * STOCK_COMMUNITY];
    int issued_community_len[REGIONS];
    struct demo_event events[MAX_EVENTS];
    int nevents;
    struct scheduled cancels[MAX_SCHEDULED], renewals[MAX_SCHEDULED];
    int ncancels, nrenewals;
    struct counts n;
};

/* One line for an unexpected failure, with the store's message. */
static int fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int rc, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    cli_error(WHAT, "%s: %s (%s)", what, cli_error_message(rc), error_code(rc < 0 ? -rc : rc));
    return -1;
}

static void actor_set(struct actor *a, const char *user, enum role role, const char *scope,
                      int64_t now)
{
    memset(a, 0, sizeof *a);
    str_copy(a->user, sizeof a->user, user);
    a->role = role;
    str_copy(a->scope, sizeof a->scope, scope);
    str_copy(a->address, sizeof a->address, "local");
    a->now = now;
}

static int64_t at(int32_t day, int hour, int minute)
{
    return hki_from_local(day, hour * 3600 + minute * 60);
}

static int weekday(int32_t day) /* 0 Monday … 6 Sunday; day 0 was a Thursday */
{
    return (int)(((day % 7) + 7 + 3) % 7);
}

static int32_t day_of(int year, const char *mmdd)
{
    int m = (mmdd[0] - '0') * 10 + (mmdd[1] - '0');
    int d = (mmdd[3] - '0') * 10 + (mmdd[4] - '0');
    return date_from_ymd(year, m, d);
}

static int32_t pilot_end(const struct demo *dm, int region)
{
    return demo_regions[region].pilot ? date_from_ymd(dm->year + 1, 6, 30) : -1;
}

/* ---- the network, its users and its stock ---- */

static int add_user(struct demo *dm, const char *username, enum role role, const char *scope,
                    int64_t now)
{
    struct actor a;
    actor_set(&a, USERNAME_CLI, ROLE_NATIONAL, "", now);
    struct user u = {.role = role};
    str_copy(u.username, sizeof u.username, username);
    str_copy(u.scope, sizeof u.scope, scope);
    int rc = store_user_add(dm->s, &a, &u, dm->hash);
    if (rc != 0)
        return fail(rc, "adding user %s", username);
    dm->n.users++;
    return 0;
}

static int build_network(struct demo *dm)
{
    int64_t now = at(date_from_ymd(2019, 10, 1), 9, 0);
    struct actor national;
    actor_set(&national, USERNAME_CLI, ROLE_NATIONAL, "", now);
    if (add_user(dm, "tuki", ROLE_NATIONAL, "", now) != 0)
        return -1;
    for (int i = 0; i < REGIONS; i++) {
        struct region r = {.pilot_ends_on = pilot_end(dm, i)};
        str_copy(r.id, sizeof r.id, demo_regions[i].id);
        str_copy(r.name, sizeof r.name, demo_regions[i].name);
        int rc = store_region_add(dm->s, &national, &r);
        if (rc != 0)
            return fail(rc, "adding region %s", r.id);
        if (add_user(dm, demo_regions[i].coordinator, ROLE_COORDINATOR, r.id, now) != 0)
            return -1;
    }
    for (int i = 0; i < UNITS; i++) {
        struct unit u;
        memset(&u, 0, sizeof u);
        str_copy(u.id, sizeof u.id, demo_units[i].id);
        str_copy(u.region, sizeof u.region, demo_regions[demo_units[i].region].id);
        str_copy(u.name, sizeof u.name, demo_units[i].name);
        int rc = store_unit_add(dm->s, &national, &u);
        if (rc != 0)
            return fail(rc, "adding unit %s", u.id);
        if (add_user(dm, demo_units[i].distributor, ROLE_DISTRIBUTOR, u.id, now) != 0)
            return -1;
    }
    for (int i = 0; i < VENUES; i++) {
        struct venue v = {.category = demo_venues[i].category,
                          .free_cloakroom = demo_venues[i].free_cloakroom};
        str_copy(v.id, sizeof v.id, demo_venues[i].id);
        str_copy(v.region, sizeof v.region,
                 demo_venues[i].region >= 0 ? demo_regions[demo_venues[i].region].id : "");
        str_copy(v.name, sizeof v.name, demo_venues[i].name);
        str_copy(v.accessibility, sizeof v.accessibility, demo_venues[i].accessibility);
        int rc = store_venue_add(dm->s, &national, &v);
        if (rc != 0)
            return fail(rc, "adding venue %s", v.id);
        if (add_user(dm, demo_venues[i].staff, ROLE_VENUE, v.id, now) != 0)
            return -1;
    }
    return 0;
}

/* R1–R3: each unit's stock, added by the region's coordinator. */
static int add_stock(struct demo *dm)
{
    int64_t now = at(date_from_ymd(2019, 10, 2), 10, 0);
    static char codes[STOCK_PERSONAL][CODE_MAX + 1];
    for (int u = 0; u < UNITS; u++) {
        const struct unit_def *ud = &demo_units[u];
        struct actor coord;
        actor_set(&coord, demo_regions[ud->region].coordinator, ROLE_COORDINATOR,
                  demo_regions[ud->region].id, now);
        for (int i = 0; i < STOCK_CARDS; i++) {
            struct demo_card *c = &dm->cards[u][i];
            c->unit = u;
            if (i < STOCK_PERSONAL) {
                c->kind = CARD_PERSONAL;
                snprintf(c->code, sizeof c->code, "%s%0*d", ud->prefix, ud->digits, ud->first + i);
            } else {
                c->kind = CARD_COMMUNITY;
                snprintf(c->code, sizeof c->code, "%s%04d", ud->community_prefix,
                         ud->community_first + i - STOCK_PERSONAL);
            }
        }
        struct error_details d = {0};
        for (int i = 0; i < STOCK_PERSONAL; i++)
            str_copy(codes[i], sizeof codes[i], dm->cards[u][i].code);
        int rc = store_stock_add(dm->s, &coord, ud->id, CARD_PERSONAL,
                                 (const char(*)[CODE_MAX + 1]) codes, STOCK_PERSONAL, &d);
        if (rc != 0)
            return fail(rc, "adding stock to %s", ud->id);
        for (int i = 0; i < STOCK_COMMUNITY; i++)
            str_copy(codes[i], sizeof codes[i], dm->cards[u][STOCK_PERSONAL + i].code);
        rc = store_stock_add(dm->s, &coord, ud->id, CARD_COMMUNITY,
                             (const char(*)[CODE_MAX + 1]) codes, STOCK_COMMUNITY, &d);
        if (rc != 0)
            return fail(rc, "adding community cards to %s", ud->id);
        dm->n.stock += STOCK_CARDS;
    }
    /* The transfers' codes are the tail of their source units' stock. */
    for (int i = STOCK_PERSONAL - TRANSFER_APPROVED_CODES; i < STOCK_PERSONAL; i++)
        dm->cards[U_LEPPAVAARA][i].reserved = true;
    for (int i = STOCK_PERSONAL - TRANSFER_PENDING_CODES; i < STOCK_PERSONAL; i++)
        dm->cards[U_HERVANTA][i].reserved = true;
    return 0;
}

static struct demo_card *find_card(struct demo *dm, const char *code)
{
    for (int u = 0; u < UNITS; u++)
        for (int i = 0; i < STOCK_CARDS; i++)
            if (strcmp(dm->cards[u][i].code, code) == 0)
                return &dm->cards[u][i];
    return NULL;
}

/* Cards each unit hands out, in code order, after the seed's cards. */
static void build_pools(struct demo *dm)
{
    for (int u = 0; u < UNITS; u++) {
        dm->pool_len[u] = 0;
        for (int i = 0; i < STOCK_PERSONAL; i++) {
            struct demo_card *c = &dm->cards[u][i];
            if (!c->issued && !c->reserved)
                dm->pool[u][dm->pool_len[u]++] = c;
        }
    }
}

/* ---- handouts, cancellations and renewals (R4, R5, R9–R14) ---- */

static void random_holder(struct demo *dm, int region, int year, struct holder *h)
{
    struct rng *r = &dm->rng;
    int band = (int)rng_below(r, 100);
    int age = band < 18   ? (int)rng_between(r, 16, 24)
              : band < 40 ? (int)rng_between(r, 25, 39)
              : band < 70 ? (int)rng_between(r, 40, 62)
                          : (int)rng_between(r, 63, 90);
    h->birth_year = year - age;
    const struct region_def *rd = &demo_regions[region];
    str_copy(h->tongue, sizeof h->tongue, pick(r, rd->tongues, rd->ntongues));
    static const struct weighted genders[] = {
        {"female", 54}, {"male", 41}, {"other", 2}, {"not_told", 3}};
    h->gender = (enum gender)name_lookup(&gender_names, pick(r, LIST(genders)));
    str_copy(h->postal, sizeof h->postal, rd->postal[rng_below(r, (int64_t)rd->npostal)]);
    static const struct weighted working_age[] = {{"unemployed", 34},    {"low_income_working", 15},
                                                  {"single_parent", 12}, {"long_term_illness", 12},
                                                  {"disability", 8},     {"debt", 10},
                                                  {"student", 5},        {"other", 4}};
    const char *first = age >= 63 && rng_percent(r, 85)  ? "retired"
                        : age < 30 && rng_percent(r, 35) ? "student"
                                                         : pick(r, LIST(working_age));
    h->life = 1u << name_lookup(&life_situation_names, first);
    if (rng_percent(r, 30))
        h->life |= 1u << name_lookup(&life_situation_names, pick(r, LIST(working_age)));
}

static int schedule(struct scheduled *q, int *n, int32_t day, struct demo_card *c)
{
    if (*n >= MAX_SCHEDULED)
        return -1;
    q[*n].day = day;
    q[*n].card = c;
    (*n)++;
    return 0;
}

/* Hands out card c on day (renewing `previous` when set, R14). */
static int hand_out(struct demo *dm, struct demo_card *c, int32_t day, int minute,
                    const struct holder *h, struct demo_card *previous)
{
    const struct unit_def *ud = &demo_units[c->unit];
    struct actor a;
    actor_set(&a, ud->distributor, ROLE_DISTRIBUTOR, ud->id, at(day, 9, 0) + minute * 60);
    struct handout ho = {.handed_out_on = day};
    str_copy(ho.card, sizeof ho.card, c->code);
    if (c->kind == CARD_PERSONAL) {
        ho.birth_year = h->birth_year;
        str_copy(ho.mother_tongue, sizeof ho.mother_tongue, h->tongue);
        ho.gender = h->gender;
        str_copy(ho.postal_code, sizeof ho.postal_code, h->postal);
        ho.life_situations = h->life;
        c->holder = *h;
    }
    if (previous)
        str_copy(ho.renews, sizeof ho.renews, previous->code);
    struct card out;
    struct error_details d = {0};
    int rc = store_handout_record(dm->s, &a, &ho, &out, &d);
    if (rc != 0)
        return fail(rc, "handing out %s", c->code);
    c->issued = true;
    c->handed_out_on = out.handed_out_on;
    c->valid_until = out.valid_until;
    int region = ud->region;
    if (c->kind == CARD_PERSONAL)
        dm->issued[region][dm->issued_len[region]++] = c;
    else
        dm->issued_community[region][dm->issued_community_len[region]++] = c;
    dm->n.handouts++;
    if (c->kind == CARD_COMMUNITY)
        dm->n.community++;
    if (previous)
        dm->n.renewals++;

    /* What becomes of the card: R13 lost now and then, R14 renewed after. */
    struct rng *r = &dm->rng;
    if (c->kind == CARD_PERSONAL && rng_percent(r, 3)) {
        int32_t when = day + (int)rng_between(r, 10, 250);
        if (when < c->valid_until && when <= dm->today &&
            schedule(dm->cancels, &dm->ncancels, when, c) != 0)
            return fail(-ERR_INTERNAL, "scheduling");
    } else if (c->valid_until < dm->today) {
        bool renew = c->kind == CARD_COMMUNITY || rng_percent(r, 35);
        int32_t when =
            c->valid_until + 1 +
            (c->kind == CARD_COMMUNITY ? (int)rng_between(r, 0, 6) : (int)rng_between(r, 3, 60));
        if (renew && when <= dm->today && schedule(dm->renewals, &dm->nrenewals, when, c) != 0)
            return fail(-ERR_INTERNAL, "scheduling");
    }
    return 0;
}

static struct demo_card *next_personal(struct demo *dm, int unit)
{
    if (dm->pool_next[unit] >= dm->pool_len[unit])
        return NULL;
    return dm->pool[unit][dm->pool_next[unit]++];
}

static struct demo_card *next_community(struct demo *dm, int unit)
{
    if (dm->community_next[unit] >= STOCK_COMMUNITY)
        return NULL;
    return &dm->cards[unit][STOCK_PERSONAL + dm->community_next[unit]++];
}

static int new_personal_handout(struct demo *dm, int unit, int32_t day, int minute)
{
    struct demo_card *c = next_personal(dm, unit);
    if (!c)
        return 0; /* the unit's stock has run out: it waits for more */
    struct holder h;
    random_holder(dm, demo_units[unit].region, date_year(day), &h);
    int x = (int)rng_below(&dm->rng, 100);
    c->activity = x < 25 ? 0 : x < 80 ? 35 : 100;
    return hand_out(dm, c, day, minute, &h, NULL);
}

static int cancel_card(struct demo *dm, struct demo_card *c, int32_t day)
{
    const struct unit_def *ud = &demo_units[c->unit];
    struct actor a;
    actor_set(&a, ud->distributor, ROLE_DISTRIBUTOR, ud->id, at(day, 13, 15));
    const char *reason = demo_regions[ud->region].cancel_reasons[rng_below(&dm->rng, 4)];
    struct card out;
    int rc = store_card_cancel(dm->s, &a, c->code, reason, &out);
    if (rc != 0)
        return fail(rc, "cancelling %s", c->code);
    c->cancelled = true;
    dm->n.cancelled++;
    /* R13/R14: most holders come back for a new card with a new code. */
    if (rng_percent(&dm->rng, 80)) {
        int32_t when = day + (int)rng_between(&dm->rng, 1, 14);
        if (when <= dm->today && schedule(dm->renewals, &dm->nrenewals, when, c) != 0)
            return fail(-ERR_INTERNAL, "scheduling");
    }
    return 0;
}

static int renew_card(struct demo *dm, struct demo_card *old, int32_t day)
{
    struct demo_card *c =
        old->kind == CARD_PERSONAL ? next_personal(dm, old->unit) : next_community(dm, old->unit);
    if (!c)
        return 0;
    c->activity = old->activity;
    return hand_out(dm, c, day, 30, &old->holder, old);
}

/* R3: a transfer between two units of a region; approved when `approve`. */
static int transfer(struct demo *dm, int from, int to, int first, int count, int32_t day,
                    bool approve)
{
    static char codes[TRANSFER_APPROVED_CODES + TRANSFER_PENDING_CODES][CODE_MAX + 1];
    for (int i = 0; i < count; i++)
        str_copy(codes[i], sizeof codes[i], dm->cards[from][first + i].code);
    struct actor a;
    actor_set(&a, demo_units[from].distributor, ROLE_DISTRIBUTOR, demo_units[from].id,
              at(day, 11, 0));
    int64_t id = 0;
    struct error_details d = {0};
    int rc = store_transfer_request(dm->s, &a, (const char(*)[CODE_MAX + 1]) codes, (size_t)count,
                                    demo_units[from].id, demo_units[to].id, &id, &d);
    if (rc != 0)
        return fail(rc, "requesting a transfer from %s", demo_units[from].id);
    if (!approve) {
        dm->n.transfers_requested++;
        return 0;
    }
    int region = demo_units[from].region;
    actor_set(&a, demo_regions[region].coordinator, ROLE_COORDINATOR, demo_regions[region].id,
              at(day + 1, 14, 0));
    struct transfer t;
    rc = store_transfer_decide(dm->s, &a, id, true, &t, &d);
    if (rc != 0)
        return fail(rc, "approving transfer %lld", (long long)id);
    /* The receiving unit asked for cards because it needs them: it hands out
     * the transferred ones next. */
    int next = dm->pool_next[to];
    memmove(&dm->pool[to][next + count], &dm->pool[to][next],
            (size_t)(dm->pool_len[to] - next) * sizeof dm->pool[to][0]);
    for (int i = 0; i < count; i++) {
        struct demo_card *c = &dm->cards[from][first + i];
        c->unit = to;
        dm->pool[to][next + i] = c;
    }
    dm->pool_len[to] += count;
    dm->n.transfers_approved++;
    return 0;
}

/* ---- events and uses (R15–R27) ---- */

static int add_event(struct demo *dm, int venue, const char *name, enum event_kind kind,
                     int64_t starts_at, int32_t capacity, int32_t cap, bool guest, int32_t booking,
                     int32_t collection, const char *excluded, int64_t *id)
{
    struct actor a;
    actor_set(&a, demo_venues[venue].staff, ROLE_VENUE, demo_venues[venue].id,
              starts_at - 45 * 86400);
    struct event e = {.kind = kind,
                      .starts_at = starts_at,
                      .capacity = capacity,
                      .cap = cap,
                      .guest_producer = guest,
                      .booking_opens_days = booking,
                      .collection_opens_minutes = collection,
                      .excluded = excluded != NULL};
    str_copy(e.venue, sizeof e.venue, demo_venues[venue].id);
    str_copy(e.name, sizeof e.name, name);
    if (excluded)
        str_copy(e.exclusion_reason, sizeof e.exclusion_reason, excluded);
    struct error_details d = {0};
    int rc = store_event_add(dm->s, &a, &e, &d);
    if (rc != 0)
        return fail(rc, "adding event %s at %s", name, demo_venues[venue].id);
    *id = e.id;
    dm->n.events++;
    if (excluded)
        dm->n.excluded++;
    return 0;
}

static int cmp_event(const void *a, const void *b)
{
    const struct demo_event *x = a, *y = b;
    if (x->starts_at != y->starts_at)
        return x->starts_at < y->starts_at ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The events of production pr on the days from..to whose weekday it plays,
 * with a cap that respects R15. */
static int add_run(struct demo *dm, const struct production *pr, int32_t from, int32_t to)
{
    int32_t cap = -1;
    if (pr->cap_extra >= 0) {
        cap = caps_minimum(pr->capacity, pr->kind, pr->guest_producer) + pr->cap_extra;
        if (cap > pr->capacity)
            cap = pr->capacity;
    }
    for (int32_t day = from; day <= to; day++) {
        if (!(pr->days & (1u << weekday(day))))
            continue;
        if (dm->nevents >= MAX_EVENTS)
            return fail(-ERR_INTERNAL, "too many events");
        struct demo_event *de = &dm->events[dm->nevents];
        de->prod = pr;
        de->day = day;
        de->starts_at = at(day, pr->hour, pr->minute);
        if (add_event(dm, pr->venue, pr->name, pr->kind, de->starts_at, pr->capacity, cap,
                      pr->guest_producer, pr->booking_days, pr->collection_minutes, pr->excluded,
                      &de->id) != 0)
            return -1;
        dm->nevents++;
    }
    return 0;
}

/* The current year's programme, and tonight's event at every venue. */
static int add_programme(struct demo *dm)
{
    for (size_t p = 0; p < demo_productions_count; p++) {
        const struct production *pr = &demo_productions[p];
        if (add_run(dm, pr, day_of(dm->year, pr->from), day_of(dm->year, pr->to)) != 0)
            return -1;
    }
    for (int v = 0; v < VENUES; v++)
        if (add_run(dm, &demo_tonight[v], dm->today, dm->today) != 0)
            return -1;
    qsort(dm->events, (size_t)dm->nevents, sizeof dm->events[0], cmp_event);
    return 0;
}

static bool usable(const struct demo_card *c, int32_t day)
{
    return c->issued && !c->cancelled && c->handed_out_on <= day && day <= c->valid_until;
}

/* A card whose holder goes to this event: mostly from the venue's region. */
static struct demo_card *pick_card(struct demo *dm, int venue_region, int32_t day, bool community,
                                   struct demo_card *const *picked, int npicked)
{
    struct rng *r = &dm->rng;
    for (int attempt = 0; attempt < 16; attempt++) {
        int region =
            venue_region >= 0 && rng_percent(r, 85) ? venue_region : (int)rng_below(r, REGIONS);
        int len = community ? dm->issued_community_len[region] : dm->issued_len[region];
        if (len == 0)
            continue;
        struct demo_card *c = community ? dm->issued_community[region][rng_below(r, len)]
                                        : dm->issued[region][rng_below(r, len)];
        if (!usable(c, day) || (!community && !rng_percent(r, c->activity)))
            continue;
        bool again = false;
        for (int i = 0; i < npicked; i++)
            again = again || picked[i] == c;
        if (!again)
            return c;
    }
    return NULL;
}

/* R27: refusals the rules give to an honest box office now and then. */
static bool expected_refusal(int rc)
{
    switch (-rc) {
    case ERR_CAP_REACHED:
    case ERR_DUPLICATE_ADULT_TICKET:
    case ERR_CARD_EXPIRED:
    case ERR_CARD_CANCELLED:
    case ERR_BOOKING_NOT_OPEN:
    case ERR_COLLECTION_NOT_OPEN:
        return true;
    default:
        return false;
    }
}

/* Records the uses of one event. Past events are entered just after they
 * ended (back-entries skip R17's windows); events ahead are booked by phone
 * or through a ticket agency at the real time now, within their windows. */
static int record_uses(struct demo *dm, const struct demo_event *de, int attempts, int64_t now,
                       bool ahead)
{
    const struct production *pr = de->prod;
    const struct venue_def *vd = &demo_venues[pr->venue];
    struct rng *r = &dm->rng;
    struct demo_card *picked[PICKED_MAX];
    int npicked = 0;
    struct actor a;
    actor_set(&a, vd->staff, ROLE_VENUE, vd->id, now);
    static const struct weighted channels[] = {
        {"box_office", 70}, {"phone", 15}, {"ticket_agency", 10}, {"paper", 5}};
    static const struct weighted ahead_channels[] = {{"phone", 60}, {"ticket_agency", 40}};
    for (int i = 0; i < attempts && npicked < PICKED_MAX; i++) {
        /* R26: no community cards on courses. */
        bool community = pr->kind != EVENT_COURSE && rng_percent(r, pr->community_pct);
        struct demo_card *c = pick_card(dm, vd->region, de->day, community, picked, npicked);
        if (!c)
            continue;
        picked[npicked++] = c;
        struct use_request u = {.event = de->id, .adult = 1};
        str_copy(u.card, sizeof u.card, c->code);
        if (community) {
            /* R26: a worker with a group of children under 16 */
            u.adult = rng_percent(r, 80) ? 1 : 0;
            u.child = (int)rng_between(r, 2, 6);
        } else if (pr->kind != EVENT_COURSE && rng_percent(r, pr->child_pct)) {
            u.child = (int)rng_between(r, 1, 3); /* R24: own children and grandchildren */
        }
        if (rng_percent(r, 4))
            u.companion = 1; /* R21 */
        u.channel = (enum channel)name_lookup(&channel_names, ahead ? pick(r, LIST(ahead_channels))
                                                                    : pick(r, LIST(channels)));
        a.now = now + i * 37; /* a few seconds apart */
        struct use out;
        bool replayed = false;
        struct error_details d = {0};
        int rc = store_use_record(dm->s, &a, &u, &out, &replayed, &d);
        if (rc != 0) {
            if (!expected_refusal(rc))
                return fail(rc, "recording a use of %s at %s", c->code, vd->id);
            dm->n.refused[-rc]++;
            dm->n.refused_total++;
            continue;
        }
        dm->n.uses++;
        dm->n.adult += u.adult;
        dm->n.child += u.child;
        dm->n.companion += u.companion;
    }
    return 0;
}

/* R28: the seed's example, exactly: two handouts in January 2020 and two
 * uses at Teatteri Hilla in February 2020. */
static int seed_example(struct demo *dm)
{
    for (size_t i = 0; i < demo_seed_uses_count; i++) {
        const struct seed_use *su = &demo_seed_uses[i];
        struct demo_card *c = find_card(dm, su->card);
        if (!c)
            return fail(-ERR_INTERNAL, "seed card %s is not in the stock", su->card);
        int32_t day = date_from_ymd(su->handed_out[0], su->handed_out[1], su->handed_out[2]);
        struct holder h;
        random_holder(dm, demo_units[c->unit].region, su->handed_out[0], &h);
        c->activity = 0; /* their only uses are the seed's */
        if (hand_out(dm, c, day, 0, &h, NULL) != 0)
            return -1;
    }
    for (size_t i = 0; i < demo_seed_uses_count; i++) {
        const struct seed_use *su = &demo_seed_uses[i];
        int32_t day = date_from_ymd(su->date[0], su->date[1], su->date[2]);
        int64_t starts = at(day, su->hour, 0);
        int64_t id = 0;
        int32_t cap = caps_minimum(120, EVENT_PERFORMANCE, false) + 2;
        if (add_event(dm, V_HILLA, su->event, EVENT_PERFORMANCE, starts, 120, cap, false, -1, -1,
                      NULL, &id) != 0)
            return -1;
        struct actor a;
        actor_set(&a, demo_venues[V_HILLA].staff, ROLE_VENUE, demo_venues[V_HILLA].id,
                  starts + 7200);
        struct use_request u = {
            .event = id, .adult = su->adult, .child = su->child, .channel = CHANNEL_BOX_OFFICE};
        str_copy(u.card, sizeof u.card, su->card);
        struct use out;
        bool replayed = false;
        struct error_details d = {0};
        int rc = store_use_record(dm->s, &a, &u, &out, &replayed, &d);
        if (rc != 0)
            return fail(rc, "recording the seed's use of %s", su->card);
        dm->n.uses++;
        dm->n.adult += u.adult;
        dm->n.child += u.child;
    }
    return 0;
}

/* The history from the start of last year up to today, day by day. */
static int replay(struct demo *dm)
{
    int32_t start = date_from_ymd(dm->year - 1, 1, 1);
    int32_t community_day = date_from_ymd(dm->year - 1, 1, 12);
    int32_t transfer_day = date_from_ymd(dm->year - 1, 10, 30);
    int32_t pending_day = dm->today - 2;
    int ev = 0;
    while (ev < dm->nevents && dm->events[ev].day < start)
        ev++;
    for (int32_t day = start; day <= dm->today; day++) {
        for (int i = 0; i < dm->ncancels; i++)
            if (dm->cancels[i].day == day && cancel_card(dm, dm->cancels[i].card, day) != 0)
                return -1;
        for (int i = 0; i < dm->nrenewals; i++)
            if (dm->renewals[i].day == day && renew_card(dm, dm->renewals[i].card, day) != 0)
                return -1;
        if (day == community_day)
            for (int u = 0; u < UNITS; u++)
                for (int k = 0; k < COMMUNITY_HANDED_OUT; k++) {
                    struct demo_card *c = next_community(dm, u);
                    if (c && hand_out(dm, c, day, 5 * k, NULL, NULL) != 0)
                        return -1;
                }
        if (day == transfer_day &&
            transfer(dm, U_LEPPAVAARA, U_MATINKYLA, STOCK_PERSONAL - TRANSFER_APPROVED_CODES,
                     TRANSFER_APPROVED_CODES, day, true) != 0)
            return -1;
        if (day == pending_day &&
            transfer(dm, U_HERVANTA, U_NOKIA, STOCK_PERSONAL - TRANSFER_PENDING_CODES,
                     TRANSFER_PENDING_CODES, day, false) != 0)
            return -1;
        if (weekday(day) < 5) /* the units hand out cards on workdays */
            for (int u = 0; u < UNITS; u++) {
                int minute = 0;
                while (rng_below(&dm->rng, 1000) < demo_units[u].rate && minute < 400) {
                    if (new_personal_handout(dm, u, day, minute) != 0)
                        return -1;
                    minute += (int)rng_between(&dm->rng, 20, 90);
                }
            }
        for (; ev < dm->nevents && dm->events[ev].day == day; ev++) {
            const struct demo_event *de = &dm->events[ev];
            const struct production *pr = de->prod;
            int64_t after = de->starts_at + 2 * 3600;
            if (pr->excluded || after > dm->now)
                continue; /* R17: excluded; or still ahead (booked below) */
            int attempts = (int)rng_between(&dm->rng, pr->uses_lo, pr->uses_hi);
            if (record_uses(dm, de, attempts, after, false) != 0)
                return -1;
        }
    }
    /* Bookings for the next four weeks, made now. */
    for (int i = 0; i < dm->nevents; i++) {
        const struct demo_event *de = &dm->events[i];
        const struct production *pr = de->prod;
        if (pr->excluded || de->starts_at + 2 * 3600 <= dm->now ||
            de->starts_at > dm->now + 28 * 86400)
            continue;
        int attempts = (int)rng_between(&dm->rng, 0, pr->uses_hi / 2);
        if (record_uses(dm, de, attempts, dm->now, true) != 0)
            return -1;
    }
    return 0;
}

/* ---- output ---- */

static void print_summary(const struct demo *dm, double seconds)
{
    const struct counts *n = &dm->n;
    printf("demo: %d regions, %d units, %d venues, %d users, %d cards in stock, %d handouts "
           "(%d community, %d renewals), %d cancelled, %d transfer approved + %d requested, "
           "%d events (%d excluded), %d uses (%d adult, %d child, %d companion tickets), "
           "%d refused",
           REGIONS, UNITS, VENUES, n->users, n->stock, n->handouts, n->community, n->renewals,
           n->cancelled, n->transfers_approved, n->transfers_requested, n->events, n->excluded,
           n->uses, n->adult, n->child, n->companion, n->refused_total);
    if (n->refused_total > 0) {
        const char *sep = " (";
        for (int e = 0; e < ERR_COUNT; e++)
            if (n->refused[e] > 0) {
                printf("%s%s %d", sep, error_code(e), n->refused[e]);
                sep = ", ";
            }
        putchar(')');
    }
    printf(", in %.1f s\n", seconds);
}

static void print_login(const char *username, const char *role, const char *kind, const char *scope,
                        const char *works_at)
{
    char where[ID_MAX + 16];
    if (kind[0])
        snprintf(where, sizeof where, "%s %s", kind, scope);
    else
        str_copy(where, sizeof where, "-");
    printf("  %-28s %-12s %-38s %s\n", username, role, where, works_at);
}

/* The logins, from the network's tables: who works where, and at a box
 * office tonight's event (demo_tonight), so that a newcomer knows whom to
 * sign in as and what to sell. */
static void print_logins(void)
{
    printf("\nDemo logins (the password of every one: %s)\n", DEMO_PASSWORD);
    printf("  %-28s %-12s %-38s %s\n", "username", "role", "scope", "works at");
    print_login("tuki", "national", "", "", "national support");
    for (int i = 0; i < REGIONS; i++)
        print_login(demo_regions[i].coordinator, "coordinator", "region", demo_regions[i].id,
                    "the region's coordination");
    for (int i = 0; i < UNITS; i++)
        print_login(demo_units[i].distributor, "distributor", "unit", demo_units[i].id,
                    "a handout desk");
    for (int i = 0; i < VENUES; i++) {
        const struct production *t = &demo_tonight[i];
        char works_at[NAME_MAX_BYTES + 64];
        snprintf(works_at, sizeof works_at, "a box office; tonight %02d:%02d %s", t->hour,
                 t->minute, t->name);
        print_login(demo_venues[i].staff, "venue", "venue", demo_venues[i].id, works_at);
    }
}

static double elapsed(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_demo(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *seed = NULL;
    const struct cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "seed", .value = &seed},
    };
    int status = CLI_EXIT_USAGE;
    struct demo *dm = NULL;
    struct store *s = NULL; /* the one store the demo is written into */
    struct demo_target target = {0};
    const char *build = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *url =
        cli_begin(cmd, WHAT, argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        goto out;
    int64_t seed_value = 1;
    if (seed && str_to_i64(seed, 0, UINT32_MAX, &seed_value) != 0) {
        cli_error(WHAT, "--seed must be a number from 0 to %u", (unsigned)UINT32_MAX);
        goto out;
    }

    status = CLI_EXIT_FAILURE;
    if (demo_target_begin(&target, url, &build) != 0)
        goto out;
    s = cli_open_store(WHAT, build, false, NULL);
    if (!s)
        goto out;
    dm = calloc(1, sizeof *dm);
    if (!dm) {
        cli_error(WHAT, "out of memory");
        goto out;
    }
    dm->s = s;
    rng_init(&dm->rng, (uint64_t)seed_value * 0x2545f4914f6cdd1dULL + 1);
    dm->now = (int64_t)time(NULL);
    dm->today = hki_day(dm->now);
    dm->year = date_year(dm->today);
    /* One argon2id hash for all demo users: they share a published password. */
    if (secret_init() != 0 || secret_hash_password(DEMO_PASSWORD, dm->hash) != 0) {
        cli_error(WHAT, "cannot hash the demo password (out of memory?)");
        goto out;
    }
    if (build_network(dm) != 0 || add_stock(dm) != 0 || seed_example(dm) != 0)
        goto out;
    build_pools(dm);
    if (add_programme(dm) != 0 || replay(dm) != 0)
        goto out;
    if (demo_target_commit(&target, s, NULL) != 0)
        goto out;
    print_summary(dm, elapsed(&t0));
    print_logins();
    status = CLI_EXIT_OK;
out:
    free(dm);
    if (s)
        store_close(s);
    demo_target_discard(&target);
    return status;
}
