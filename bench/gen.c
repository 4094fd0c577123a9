/* kaiku-bench-gen: builds a large, realistic kaiku database quickly, for the
 * benchmark (bench/run.sh, docs/performance.md).
 *
 * The schema comes from the real migrations (store_open + store_migrate);
 * the rows are then bulk-loaded with the sqlite3 C API directly, which only a
 * benchmark tool may do: the rows obey every CHECK and index of the schema
 * and the rules the store enforces (cards valid on the days they are used,
 * one adult ticket per card and event, events.used equal to the tickets of
 * their uses not undone, caps within R15), but the generator writes no users
 * and no audit rows (R34) but the one of its rebuild of the kept counts
 * (issue 16), which it makes at the end through the store: it is test data,
 * not history.
 *
 * Shape: 20 regions, social/health units and venues in each (and a few
 * pop-up venues), N personal and community cards all handed out within the
 * last 11 months (so all are valid today) plus a small unissued stock,
 * events over the last 11 months and the next month, and uses spread over
 * them in proportion to how many cards existed on the event's day. One
 * "Bench event" per venue (yesterday 18:00 Finnish time, capacity 10,000,000,
 * no cap, no restrictions) takes the POST /api/v1/uses load of bench/run.sh.
 *
 * Card i (1-based) has the code "K" followed by i in 8 digits (K00000001);
 * codes K00000001..K<cards> are handed out, the next <cards>/20 are stock.
 *
 * Speed: journal and syncs off, one transaction, prepared statements, the
 * secondary indexes of cards, handouts and uses dropped during the load and
 * recreated from their own definitions afterwards; WAL and ANALYZE at the end. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/model.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/strutil.h"

#define MAX_CARDS       50000000 /* codes are K + 8 digits */
#define MAX_EVENTS      1000000
#define MAX_USES        500000000
#define HANDOUT_SPAN    334 /* days: cards handed out from today-334 to yesterday */
#define EVENT_PAST_DAYS 334
#define EVENT_NEXT_DAYS 30
#define BENCH_CAPACITY  10000000
#define MAX_INDEXES     32
#define CODE_BUF        24 /* room for "K" and any int64 (codes stay <= 9 bytes) */

struct options {
    const char *db;
    int64_t cards, events, uses;
    uint64_t seed;
};

/* Random numbers: util/rng.h (splitmix64, shared with kaiku demo), reproducible
 * from --seed. */
static struct rng gen_rng;

/* ---- the network ---- */

struct region_def {
    const char *id, *name, *postal_prefix;
    int weight;      /* relative population of cardholders */
    int pilot_month; /* > 0: in a pilot that ends this many days from today */
};

static const struct region_def regions[] = {
    {"helsinki", "Helsinki", "00", 30, 0},  {"espoo", "Espoo", "02", 14, 0},
    {"vantaa", "Vantaa", "01", 12, 0},      {"tampere", "Tampere", "33", 12, 0},
    {"turku", "Turku", "20", 10, 0},        {"oulu", "Oulu", "90", 10, 0},
    {"jyvaskyla", "Jyväskylä", "40", 8, 0}, {"kuopio", "Kuopio", "70", 7, 0},
    {"lahti", "Lahti", "15", 7, 0},         {"pori", "Pori", "28", 5, 0},
    {"kainuu", "Kainuu", "87", 4, 120},     {"lappi", "Lappi", "99", 3, 0},
    {"joensuu", "Joensuu", "80", 5, 0},     {"vaasa", "Vaasa", "65", 4, 0},
    {"seinajoki", "Seinäjoki", "60", 4, 0}, {"kotka", "Kotka", "48", 3, 0},
    {"mikkeli", "Mikkeli", "50", 3, 200},   {"hameenlinna", "Hämeenlinna", "13", 4, 0},
    {"rovaniemi", "Rovaniemi", "96", 3, 0}, {"porvoo", "Porvoo", "06", 3, 0},
};
#define REGION_COUNT ((int)(sizeof regions / sizeof regions[0]))

static const char *const unit_kinds[] = {
    "aikuissosiaalityö",
    "mielenterveyspalvelut",
    "päihdepalvelut",
    "työllisyyspalvelut",
    "vammaispalvelut",
    "nuorten palvelut",
    "seurakunnan diakonia",
    "kotihoito",
    "maahanmuuttopalvelut",
    "TE-palvelut",
    "järjestön kohtaamispaikka",
};
#define UNIT_KIND_COUNT ((int)(sizeof unit_kinds / sizeof unit_kinds[0]))

/* Venue category (the schema's names), a Finnish word for names, its weight,
 * and which event kinds it holds. */
struct category_def {
    const char *id, *word;
    int weight;
    enum event_kind kind, kind2; /* most events kind, some kind2 */
};

static const struct category_def categories[] = {
    {"theatre", "teatteri", 14, EVENT_PERFORMANCE, EVENT_PERFORMANCE},
    {"music", "konserttitalo", 10, EVENT_PERFORMANCE, EVENT_PERFORMANCE},
    {"museum", "museo", 14, EVENT_DAY_TICKET, EVENT_PERFORMANCE},
    {"cinema", "elokuvateatteri", 6, EVENT_PERFORMANCE, EVENT_PERFORMANCE},
    {"festival", "festivaali", 4, EVENT_DAY_TICKET, EVENT_PERFORMANCE},
    {"dance", "tanssiteatteri", 4, EVENT_PERFORMANCE, EVENT_COURSE},
    {"circus", "sirkus", 2, EVENT_PERFORMANCE, EVENT_PERFORMANCE},
    {"library", "kirjasto", 8, EVENT_PERFORMANCE, EVENT_COURSE},
    {"adult_education", "kansalaisopisto", 8, EVENT_COURSE, EVENT_COURSE},
    {"sports", "urheiluseura", 8, EVENT_PERFORMANCE, EVENT_DAILY},
    {"swimming", "uimahalli", 6, EVENT_DAILY, EVENT_DAILY},
    {"other", "kulttuuritalo", 6, EVENT_PERFORMANCE, EVENT_COURSE},
};
#define CATEGORY_COUNT ((int)(sizeof categories / sizeof categories[0]))

static const char *const event_names[EVENT_KIND_COUNT][8] = {
    [EVENT_PERFORMANCE] = {"Taikuri Matti", "Kesäyöntaika", "Sinfoniakonsertti", "Kevätkonsertti",
                           "Lasten satutunti", "Ensi-ilta: Seitsemän veljestä", "Jazz-ilta",
                           "Kotimaisen elokuvan ilta"},
    [EVENT_COURSE] = {"Akvarellimaalauksen kurssi", "Ruotsin alkeet", "Keramiikka", "Kuorolaulu",
                      "Valokuvauksen perusteet", "Nykytanssi aikuisille", "Tietokoneen käyttö",
                      "Puutyöt"},
    [EVENT_DAY_TICKET] = {"Päivälippu", "Näyttely: Suomen taiteen tarina", "Festivaalipäivä",
                          "Museon perusnäyttely", "Erikoisnäyttely", "Päivälippu (lauantai)",
                          "Päivälippu (sunnuntai)", "Tiedekeskus"},
    [EVENT_DAILY] = {"Uinti", "Uimahalli ja kuntosali", "Kuntosali", "Ottelu", "Yleisöluistelu",
                     "Keilaus", "Sisäliikunta", "Uinti ja sauna"},
};

static const char *const popup_venues[][2] = {
    {"kansallisgalleria", "Kansallisgalleria"},
    {"kansallismuseo", "Kansallismuseo"},
    {"kansallisooppera", "Kansallisooppera ja -baletti"},
    {"tiedekeskus-heureka", "Tiedekeskus Heureka"},
};
#define POPUP_COUNT ((int)(sizeof popup_venues / sizeof popup_venues[0]))

struct gen_unit {
    char id[ID_MAX + 1];
    int region;
};

struct gen_venue {
    char id[ID_MAX + 1];
    int region; /* -1: pop-up */
    int category;
};

struct gen_event {
    int32_t day;
    int64_t starts_at;
    int venue;
    enum event_kind kind;
    bool excluded;
    int32_t booking_days, collection_minutes; /* -1: none */
    int64_t uses_wanted;
    int64_t used;
};

struct gen {
    struct options opt;
    sqlite3 *db;
    int32_t today;
    int64_t now;
    struct gen_unit *units;
    int unit_count;
    int region_units[REGION_COUNT][2]; /* first unit, count */
    struct gen_venue *venues;
    int venue_count;
    uint8_t *card_region;   /* per issued card */
    uint8_t *card_personal; /* per issued card */
    int64_t *issued_by_day; /* cards handed out on or before first_day + d */
    int32_t first_day;      /* first handout day */
    struct gen_event *events;
};

/* ---- small helpers ---- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "kaiku-bench-gen: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        fprintf(stderr, "kaiku-bench-gen: %s: %s\n", sql, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* Runs a bound statement to completion and resets it. */
static int step_reset(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "kaiku-bench-gen: insert failed: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void card_code(int64_t i, char out[CODE_BUF])
{
    snprintf(out, CODE_BUF, "K%08" PRId64, i);
}

/* ---- the network: regions, units, venues ---- */

static int32_t region_pilot_end(const struct gen *g, int r)
{
    return regions[r].pilot_month > 0 ? g->today + regions[r].pilot_month : -1;
}

static int load_network(struct gen *g)
{
    sqlite3_stmt *reg = NULL, *unit = NULL, *venue = NULL;
    int rc = -1;
    char name[NAME_MAX_BYTES + 1];

    if (prepare(g->db, "INSERT INTO regions (id, name, pilot_ends_on) VALUES (?, ?, ?)", &reg) ||
        prepare(g->db, "INSERT INTO units (id, region, name) VALUES (?, ?, ?)", &unit) ||
        prepare(g->db,
                "INSERT INTO venues (id, region, name, category, accessibility, free_cloakroom) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                &venue))
        goto out;

    g->units = calloc(REGION_COUNT * 32, sizeof *g->units);
    g->venues = calloc(REGION_COUNT * 64 + POPUP_COUNT, sizeof *g->venues);
    if (!g->units || !g->venues)
        goto out;

    for (int r = 0; r < REGION_COUNT; r++) {
        bind_text(reg, 1, regions[r].id);
        bind_text(reg, 2, regions[r].name);
        if (regions[r].pilot_month > 0)
            sqlite3_bind_int(reg, 3, region_pilot_end(g, r));
        else
            sqlite3_bind_null(reg, 3);
        if (step_reset(g->db, reg))
            goto out;

        /* Bigger regions have more units and venues. */
        int nunits = 4 + regions[r].weight * 2 / 3;
        if (nunits > 28)
            nunits = 28;
        g->region_units[r][0] = g->unit_count;
        g->region_units[r][1] = nunits;
        for (int u = 0; u < nunits; u++) {
            struct gen_unit *gu = &g->units[g->unit_count++];
            snprintf(gu->id, sizeof gu->id, "%s-sote-%d", regions[r].id, u + 1);
            gu->region = r;
            snprintf(name, sizeof name, "%s, %s %d", regions[r].name,
                     unit_kinds[u % UNIT_KIND_COUNT], u / UNIT_KIND_COUNT + 1);
            bind_text(unit, 1, gu->id);
            bind_text(unit, 2, regions[r].id);
            bind_text(unit, 3, name);
            if (step_reset(g->db, unit))
                goto out;
        }

        int nvenues = 10 + regions[r].weight * 3 / 2;
        if (nvenues > 60)
            nvenues = 60;
        int cat_weights[CATEGORY_COUNT];
        for (int c = 0; c < CATEGORY_COUNT; c++)
            cat_weights[c] = categories[c].weight;
        for (int v = 0; v < nvenues; v++) {
            struct gen_venue *gv = &g->venues[g->venue_count++];
            gv->region = r;
            gv->category = v < CATEGORY_COUNT
                               ? v
                               : (int)rng_weighted(&gen_rng, cat_weights, CATEGORY_COUNT,
                                                   sizeof cat_weights[0]);
            snprintf(gv->id, sizeof gv->id, "%s-%s-%d", regions[r].id, categories[gv->category].id,
                     v + 1);
            for (char *p = gv->id; *p; p++)
                if (*p == '_')
                    *p = '-';
            snprintf(name, sizeof name, "%s %s %d", regions[r].name, categories[gv->category].word,
                     v + 1);
            bind_text(venue, 1, gv->id);
            bind_text(venue, 2, regions[r].id);
            bind_text(venue, 3, name);
            bind_text(venue, 4, categories[gv->category].id);
            bind_text(venue, 5,
                      rng_below(&gen_rng, 3) ? "Esteetön sisäänkäynti, induktiosilmukka."
                                             : "Sisäänkäynti portaiden kautta; kysy avustusta.");
            sqlite3_bind_int(venue, 6, rng_below(&gen_rng, 2) ? 1 : 0);
            if (step_reset(g->db, venue))
                goto out;
        }
    }
    for (int p = 0; p < POPUP_COUNT; p++) {
        struct gen_venue *gv = &g->venues[g->venue_count++];
        gv->region = -1;
        gv->category = 2; /* museum */
        str_copy(gv->id, sizeof gv->id, popup_venues[p][0]);
        bind_text(venue, 1, gv->id);
        sqlite3_bind_null(venue, 2);
        bind_text(venue, 3, popup_venues[p][1]);
        bind_text(venue, 4, "museum");
        bind_text(venue, 5, "Esteetön.");
        sqlite3_bind_int(venue, 6, 1);
        if (step_reset(g->db, venue))
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(reg);
    sqlite3_finalize(unit);
    sqlite3_finalize(venue);
    return rc;
}

/* ---- cards and handouts ---- */

static const char *const languages[] = {"fi", "sv", "ru", "et", "ar",
                                        "so", "en", "fa", "ku", "other"};
static const int language_weights[] = {790, 52, 40, 20, 22, 14, 12, 10, 8, 32};
static const char *const genders[] = {"female", "male", "other", "not_told"};
static const int gender_weights[] = {570, 390, 15, 25};
static const int life_weights[LIFE_COUNT] = {28, 20, 10, 8, 10, 7, 9, 5, 3};

static int load_cards(struct gen *g)
{
    sqlite3_stmt *card = NULL, *handout = NULL;
    int rc = -1;
    char code[CODE_BUF], unit_by[ID_MAX + 8], postal[8];
    int region_weights[REGION_COUNT];
    int64_t n = g->opt.cards;

    for (int r = 0; r < REGION_COUNT; r++)
        region_weights[r] = regions[r].weight;
    g->card_region = malloc((size_t)n + 1);
    g->card_personal = malloc((size_t)n + 1);
    g->issued_by_day = calloc(HANDOUT_SPAN + 1, sizeof *g->issued_by_day);
    if (!g->card_region || !g->card_personal || !g->issued_by_day)
        goto out;

    if (prepare(g->db, "INSERT INTO cards (code, kind, unit, added_at) VALUES (?, ?, ?, ?)",
                &card) ||
        prepare(g->db,
                "INSERT INTO handouts (card, unit, handed_out_on, valid_until, birth_year, "
                "mother_tongue, gender, postal_code, life_situations, recorded_by, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &handout))
        goto out;

    /* Cards are numbered in handout order, so the cards that existed on a
     * given day are a prefix of the numbering (used to pick valid cards). */
    g->first_day = g->today - HANDOUT_SPAN;
    int64_t stock = n / 20;
    for (int64_t i = 1; i <= n + stock; i++) {
        bool issued = i <= n;
        int r = (int)rng_weighted(&gen_rng, region_weights, REGION_COUNT, sizeof region_weights[0]);
        const struct gen_unit *u =
            &g->units[g->region_units[r][0] + rng_below(&gen_rng, g->region_units[r][1])];
        bool personal = rng_below(&gen_rng, 100) >= 4; /* ~4 % community cards (R2) */
        int32_t day = g->today;                        /* stock cards arrive recently */
        if (issued) {
            day = g->first_day + (int32_t)((i - 1) * HANDOUT_SPAN / n);
            g->card_region[i - 1] = (uint8_t)r;
            g->card_personal[i - 1] = personal;
            g->issued_by_day[day - g->first_day] = i;
        }
        int64_t handed_at = hki_from_local(day, (int)rng_between(&gen_rng, 8 * 3600, 16 * 3600));
        card_code(i, code);
        bind_text(card, 1, code);
        bind_text(card, 2, personal ? "personal" : "community");
        bind_text(card, 3, u->id);
        sqlite3_bind_int64(card, 4, handed_at - rng_between(&gen_rng, 1, 60) * 86400);
        if (step_reset(g->db, card))
            goto out;
        if (!issued)
            continue;

        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        bind_text(handout, 1, code);
        bind_text(handout, 2, u->id);
        sqlite3_bind_int(handout, 3, day);
        sqlite3_bind_int(handout, 4, card_valid_until(day, region_pilot_end(g, r)));
        if (personal) {
            /* Ages 16..88, most between 30 and 65. */
            int age = (int)(16 + rng_below(&gen_rng, 30) + rng_below(&gen_rng, 30) +
                            rng_below(&gen_rng, 2) * rng_below(&gen_rng, 15));
            sqlite3_bind_int(handout, 5, y - age);
            bind_text(handout, 6,
                      languages[(int)rng_weighted(&gen_rng, language_weights, 10,
                                                  sizeof language_weights[0])]);
            bind_text(
                handout, 7,
                genders[(int)rng_weighted(&gen_rng, gender_weights, 4, sizeof gender_weights[0])]);
            snprintf(postal, sizeof postal, "%s%02d%d", regions[r].postal_prefix,
                     (int)rng_below(&gen_rng, 100), rng_below(&gen_rng, 4) ? 0 : 5);
            bind_text(handout, 8, postal);
            unsigned life =
                1u << (int)rng_weighted(&gen_rng, life_weights, LIFE_COUNT, sizeof life_weights[0]);
            if (rng_below(&gen_rng, 3) == 0)
                life |= 1u << (int)rng_weighted(&gen_rng, life_weights, LIFE_COUNT,
                                                sizeof life_weights[0]);
            sqlite3_bind_int(handout, 9, (int)life);
        } else {
            for (int c = 5; c <= 9; c++)
                sqlite3_bind_null(handout, c);
        }
        snprintf(unit_by, sizeof unit_by, "dist-%s", u->id);
        bind_text(handout, 10, unit_by);
        sqlite3_bind_int64(handout, 11, handed_at);
        if (step_reset(g->db, handout))
            goto out;
    }
    /* Days on which nobody got a card inherit the previous day's count. */
    for (int d = 1; d <= HANDOUT_SPAN; d++)
        if (g->issued_by_day[d] < g->issued_by_day[d - 1])
            g->issued_by_day[d] = g->issued_by_day[d - 1];
    rc = 0;
out:
    sqlite3_finalize(card);
    sqlite3_finalize(handout);
    return rc;
}

/* Cards handed out on or before `day` (all of them valid on that day: the
 * oldest is valid for 12 months, through today + 30 at least). */
static int64_t cards_by_day(const struct gen *g, int32_t day)
{
    if (day < g->first_day)
        return 0;
    if (day - g->first_day > HANDOUT_SPAN)
        return g->opt.cards;
    return g->issued_by_day[day - g->first_day];
}

/* ---- events and uses ---- */

static const char *const channels[] = {"box_office", "phone", "ticket_agency", "paper"};
static const int channel_weights[] = {68, 10, 15, 7};

/* Decides the events and how many uses each gets, before writing anything:
 * uses follow the cards in existence on the event's day, so the first weeks
 * get few, and an event never gets more uses than there are cards. */
static int plan_events(struct gen *g)
{
    int64_t ne = g->opt.events;
    double *weight = calloc((size_t)ne, sizeof *weight);
    g->events = calloc((size_t)ne, sizeof *g->events);
    if (!weight || !g->events) {
        free(weight);
        return -1;
    }
    int32_t first = g->today - EVENT_PAST_DAYS;
    int32_t span = EVENT_PAST_DAYS + EVENT_NEXT_DAYS + 1;
    double total = 0;
    for (int64_t i = 0; i < ne; i++) {
        struct gen_event *e = &g->events[i];
        e->day = first + (int32_t)(i * span / ne);
        e->venue = (int)rng_below(&gen_rng, g->venue_count);
        const struct category_def *c = &categories[g->venues[e->venue].category];
        e->kind = rng_below(&gen_rng, 4) ? c->kind : c->kind2;
        int hour = e->kind == EVENT_DAILY || e->kind == EVENT_DAY_TICKET
                       ? 9
                       : (int)rng_between(&gen_rng, 10, 19);
        e->starts_at = hki_from_local(e->day, hour * 3600 + (rng_below(&gen_rng, 2) ? 1800 : 0));
        e->excluded = rng_below(&gen_rng, 100) == 0;
        e->booking_days = rng_below(&gen_rng, 20) == 0 ? 30 : -1;
        e->collection_minutes = rng_below(&gen_rng, 20) == 0 ? 30 : -1;
        e->used = 0;
        double kind_factor = e->kind == EVENT_DAILY        ? 3.0
                             : e->kind == EVENT_DAY_TICKET ? 1.5
                             : e->kind == EVENT_COURSE     ? 0.05
                                                           : 1.0;
        double ahead = e->day > g->today ? 0.3 : 1.0; /* advance bookings only */
        weight[i] = e->excluded ? 0
                                : (double)cards_by_day(g, e->day) * kind_factor * ahead *
                                      (0.2 + (double)rng_below(&gen_rng, 1600) / 1000.0);
        total += weight[i];
    }
    int64_t planned = 0;
    for (int64_t i = 0; i < ne && total > 0; i++) {
        struct gen_event *e = &g->events[i];
        e->uses_wanted = (int64_t)((double)g->opt.uses * weight[i] / total);
        int64_t pool = cards_by_day(g, e->day);
        if (e->uses_wanted > pool)
            e->uses_wanted = pool;
        planned += e->uses_wanted;
    }
    /* Rounding leaves a remainder: hand it out, newest events first, up to
     * each event's pool (bounded: one pass over the events per round). */
    for (int round = 0; round < 1000 && planned < g->opt.uses; round++) {
        int64_t before = planned;
        for (int64_t i = ne - 1; i >= 0 && planned < g->opt.uses; i--) {
            struct gen_event *e = &g->events[i];
            if (weight[i] > 0 && e->uses_wanted < cards_by_day(g, e->day)) {
                e->uses_wanted++;
                planned++;
            }
        }
        if (planned == before)
            break;
    }
    if (planned < g->opt.uses)
        fprintf(stderr, "kaiku-bench-gen: only %" PRId64 " uses fit the cards and events\n",
                planned);
    free(weight);
    return 0;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Writes the uses of every event. An event's cards are distinct (a random
 * walk with a stride coprime to the pool), so there is never a second adult
 * ticket of one card for one event (R24, index uses_one_adult on (event, card)). */
static int load_uses(struct gen *g, int64_t *written)
{
    sqlite3_stmt *use = NULL;
    int rc = -1;
    char code[CODE_BUF], by[ID_MAX + 8], key[40];
    int64_t id = 0;

    if (prepare(g->db,
                "INSERT INTO uses (id, card, event, adult, child, companion, channel, "
                "recorded_by, recorded_at, undone_by, undone_at, idempotency_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &use))
        goto out;

    for (int64_t i = 0; i < g->opt.events; i++) {
        struct gen_event *e = &g->events[i];
        int64_t pool = cards_by_day(g, e->day);
        if (e->uses_wanted == 0 || pool == 0)
            continue;
        int64_t pos = rng_below(&gen_rng, pool), stride = 1;
        if (pool > 1) {
            do
                stride = rng_between(&gen_rng, 1, pool - 1);
            while (gcd64(stride, pool) != 1);
        }
        snprintf(by, sizeof by, "staff-%s", g->venues[e->venue].id);
        int64_t placed = 0;
        for (int64_t step = 0; step < pool && placed < e->uses_wanted; step++) {
            pos = (pos + stride) % pool;
            bool personal = g->card_personal[pos];
            if (e->kind == EVENT_COURSE && !personal)
                continue; /* R26: community cards never for courses */
            int adult = 1, child = 0, companion = rng_below(&gen_rng, 100) < 3 ? 1 : 0;
            if (e->kind != EVENT_COURSE) { /* R24: no child tickets for courses */
                int64_t r = rng_below(&gen_rng, 100);
                if (!personal) { /* R26: a worker with a group of children */
                    adult = (int)rng_below(&gen_rng, 2);
                    child = (int)rng_between(&gen_rng, adult ? 0 : 1, 6);
                } else if (r < 12) {
                    adult = 0;
                    child = (int)rng_between(&gen_rng, 1, 3);
                } else {
                    child = r < 65 ? 0 : r < 85 ? 1 : r < 96 ? 2 : 3;
                }
            }
            int ch = (int)rng_weighted(&gen_rng, channel_weights, 4, sizeof channel_weights[0]);
            int64_t at;
            if (ch == 0 && e->collection_minutes >= 0)
                at = e->starts_at - rng_between(&gen_rng, 0, e->collection_minutes * 60);
            else
                at = e->starts_at - rng_between(&gen_rng, 0, 7 * 86400);
            /* Not before the card was handed out, not in the future. */
            int64_t card_day = g->first_day + (int32_t)(pos * HANDOUT_SPAN / g->opt.cards);
            int64_t earliest = hki_from_local((int32_t)card_day, 17 * 3600);
            if (at < earliest)
                at = earliest;
            if (at > g->now)
                at = g->now - rng_between(&gen_rng, 60, 86400);
            bool undone = rng_below(&gen_rng, 100) == 0; /* R25 */

            card_code(pos + 1, code);
            sqlite3_bind_int64(use, 1, ++id);
            bind_text(use, 2, code);
            sqlite3_bind_int64(use, 3, i + 1);
            sqlite3_bind_int(use, 4, adult);
            sqlite3_bind_int(use, 5, child);
            sqlite3_bind_int(use, 6, companion);
            bind_text(use, 7, channels[ch]);
            bind_text(use, 8, by);
            sqlite3_bind_int64(use, 9, at);
            if (undone) {
                bind_text(use, 10, by);
                sqlite3_bind_int64(use, 11, at + rng_between(&gen_rng, 10, 600));
            } else {
                sqlite3_bind_null(use, 10);
                sqlite3_bind_null(use, 11);
                e->used += adult + child;
            }
            if (ch == 2) { /* ticketing systems retry with idempotency keys */
                snprintf(key, sizeof key, "ta-%016" PRIx64, rng_next(&gen_rng));
                bind_text(use, 12, key);
            } else {
                sqlite3_bind_null(use, 12);
            }
            if (step_reset(g->db, use))
                goto out;
            placed++;
        }
    }
    *written = id;
    rc = 0;
out:
    sqlite3_finalize(use);
    return rc;
}

/* Events are written after their uses, when `used` is known: capacity and
 * cap are then chosen to hold what was used (R15, R16). */
static int load_events(struct gen *g)
{
    sqlite3_stmt *ev = NULL;
    int rc = -1;
    char name[NAME_MAX_BYTES + 1];

    if (prepare(g->db,
                "INSERT INTO events (id, venue, name, kind, starts_at, capacity, cap, "
                "guest_producer, booking_opens_days, collection_opens_minutes, excluded, "
                "exclusion_reason, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &ev))
        goto out;

    for (int64_t i = 0; i < g->opt.events + g->venue_count; i++) {
        bool bench = i >= g->opt.events;
        struct gen_event be = {0}, *e = bench ? &be : &g->events[i];
        const struct gen_venue *v;
        int64_t capacity, cap = -1;
        bool guest = false;
        if (bench) {
            e->venue = (int)(i - g->opt.events);
            e->kind = EVENT_PERFORMANCE;
            e->starts_at = hki_from_local(g->today - 1, 18 * 3600);
            e->booking_days = e->collection_minutes = -1;
            str_copy(name, sizeof name, "Bench event");
            capacity = BENCH_CAPACITY;
        } else {
            const char *base = event_names[e->kind][rng_below(&gen_rng, 8)];
            if (e->kind == EVENT_COURSE || e->kind == EVENT_DAILY)
                str_copy(name, sizeof name, base);
            else
                snprintf(name, sizeof name, "%s %d", base, (int)rng_between(&gen_rng, 1, 40));
            int64_t base_capacity = e->kind == EVENT_COURSE  ? rng_between(&gen_rng, 10, 30)
                                    : e->kind == EVENT_DAILY ? rng_between(&gen_rng, 300, 3000)
                                                             : rng_between(&gen_rng, 50, 1500);
            capacity = e->used + e->used / 5 + 1;
            if (capacity < base_capacity)
                capacity = base_capacity;
            if (capacity > BENCH_CAPACITY)
                capacity = BENCH_CAPACITY;
            guest = rng_below(&gen_rng, 10) == 0;
            if (rng_below(&gen_rng, 4) == 0) { /* R15: a cap at or above the minimum and the used */
                cap = caps_minimum((int32_t)capacity, e->kind, guest);
                if (cap < e->used)
                    cap = e->used + rng_below(&gen_rng, e->used / 10 + 1);
                if (cap > capacity)
                    cap = capacity;
            }
        }
        v = &g->venues[e->venue];
        sqlite3_bind_int64(ev, 1, i + 1);
        bind_text(ev, 2, v->id);
        bind_text(ev, 3, name);
        bind_text(ev, 4, name_of(&event_kind_names, (int)e->kind));
        sqlite3_bind_int64(ev, 5, e->starts_at);
        sqlite3_bind_int64(ev, 6, capacity);
        if (cap >= 0)
            sqlite3_bind_int64(ev, 7, cap);
        else
            sqlite3_bind_null(ev, 7);
        sqlite3_bind_int(ev, 8, guest);
        if (e->booking_days >= 0)
            sqlite3_bind_int(ev, 9, e->booking_days);
        else
            sqlite3_bind_null(ev, 9);
        if (e->collection_minutes >= 0)
            sqlite3_bind_int(ev, 10, e->collection_minutes);
        else
            sqlite3_bind_null(ev, 10);
        sqlite3_bind_int(ev, 11, e->excluded);
        bind_text(ev, 12, e->excluded ? "Ensi-ilta: ei Kaikukortti-lippuja." : "");
        sqlite3_bind_int64(ev, 13, e->used);
        if (step_reset(g->db, ev))
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(ev);
    return rc;
}

/* ---- indexes dropped during the load ---- */

struct saved_indexes {
    int count;
    char *sql[MAX_INDEXES];
};

/* Drops the secondary indexes of the bulk-loaded tables, keeping their own
 * CREATE statements (so they come back exactly as the migrations made them). */
static int drop_indexes(sqlite3 *db, struct saved_indexes *saved)
{
    sqlite3_stmt *st = NULL;
    char drop[200];
    char names[MAX_INDEXES][128];
    int rc = -1;

    if (prepare(db,
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('cards', 'handouts', 'uses') ORDER BY name",
                &st))
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW && saved->count < MAX_INDEXES) {
        const char *sql = (const char *)sqlite3_column_text(st, 1);
        size_t len = strlen(sql);
        saved->sql[saved->count] = malloc(len + 1);
        if (!saved->sql[saved->count])
            goto out;
        memcpy(saved->sql[saved->count], sql, len + 1);
        str_copy(names[saved->count], sizeof names[0], (const char *)sqlite3_column_text(st, 0));
        saved->count++;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (int i = 0; i < saved->count; i++) {
        snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", names[i]);
        if (exec_sql(db, drop))
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

static void free_indexes(struct saved_indexes *saved)
{
    for (int i = 0; i < saved->count; i++)
        free(saved->sql[i]);
    saved->count = 0;
}

static int recreate_indexes(sqlite3 *db, struct saved_indexes *saved)
{
    for (int i = 0; i < saved->count; i++)
        if (exec_sql(db, saved->sql[i]))
            return -1;
    free_indexes(saved);
    return 0;
}

/* ---- the schema ---- */

static int create_schema(const char *path, struct store **store)
{
    int err = store_open(path, store);
    if (err == 0)
        err = store_migrate(*store, NULL, NULL);
    store_close(*store);
    *store = NULL;
    return err;
}

static int rebuild_counts(const char *path, int64_t now)
{
    struct store *store = NULL;
    struct actor nat = {.role = ROLE_NATIONAL, .now = now};
    str_copy(nat.user, sizeof nat.user, "bench-gen");
    str_copy(nat.address, sizeof nat.address, "local");
    int err = store_open(path, &store);
    if (err == 0)
        err = store_counts_rebuild(store, &nat);
    if (store)
        store_close(store);
    if (err)
        fprintf(stderr, "kaiku-bench-gen: cannot rebuild the kept counts (%d)\n", err);
    return err;
}

/* ---- main ---- */

static void usage(void)
{
    fprintf(stderr, "usage: kaiku-bench-gen --db PATH [--cards N] [--events N] [--uses N] "
                    "[--seed N]\n"
                    "  defaults: 1000000 cards, 10000 events, 10000000 uses, seed 1.\n"
                    "  PATH must not exist yet.\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){NULL, 1000000, 10000, 10000000, 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int64_t v = 0;
        if (i + 1 >= argc) {
            usage();
            return -1;
        }
        const char *val = argv[++i];
        if (strcmp(a, "--db") == 0) {
            o->db = val;
            continue;
        }
        if (strcmp(a, "--cards") == 0 && str_to_i64(val, 1, MAX_CARDS, &v) == 0)
            o->cards = v;
        else if (strcmp(a, "--events") == 0 && str_to_i64(val, 1, MAX_EVENTS, &v) == 0)
            o->events = v;
        else if (strcmp(a, "--uses") == 0 && str_to_i64(val, 0, MAX_USES, &v) == 0)
            o->uses = v;
        else if (strcmp(a, "--seed") == 0 && str_to_i64(val, 0, INT64_MAX, &v) == 0)
            o->seed = (uint64_t)v;
        else {
            fprintf(stderr, "kaiku-bench-gen: bad option or value: %s %s\n", a, val);
            usage();
            return -1;
        }
    }
    if (!o->db) {
        usage();
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct gen g = {0};
    struct saved_indexes saved = {0};
    struct store *store = NULL;
    struct timespec t0;
    int rc = 1;
    int64_t uses_written = 0;

    if (parse_options(argc, argv, &g.opt))
        return 2;
    FILE *exists = fopen(g.opt.db, "rb");
    if (exists) {
        fclose(exists);
        fprintf(stderr, "kaiku-bench-gen: %s exists; remove it first\n", g.opt.db);
        return 1;
    }
    rng_init(&gen_rng, g.opt.seed);
    g.now = (int64_t)time(NULL);
    g.today = hki_day(g.now);
    clock_gettime(CLOCK_MONOTONIC, &t0);

    /* The schema, exactly as `kaiku init` makes it. */
    int err = create_schema(g.opt.db, &store);
    if (err) {
        fprintf(stderr, "kaiku-bench-gen: cannot create the schema in %s (%d)\n", g.opt.db, err);
        return 1;
    }

    if (sqlite3_open_v2(g.opt.db, &g.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "kaiku-bench-gen: %s: %s\n", g.opt.db, sqlite3_errmsg(g.db));
        goto out;
    }
    if (exec_sql(g.db, "PRAGMA journal_mode = OFF") || exec_sql(g.db, "PRAGMA synchronous = OFF") ||
        exec_sql(g.db, "PRAGMA cache_size = -1048576") || /* 1 GiB */
        exec_sql(g.db, "PRAGMA temp_store = MEMORY") || exec_sql(g.db, "PRAGMA threads = 2") ||
        exec_sql(g.db, "PRAGMA foreign_keys = OFF") || exec_sql(g.db, "BEGIN") ||
        drop_indexes(g.db, &saved))
        goto out;

    if (load_network(&g) || load_cards(&g))
        goto out;
    printf("kaiku-bench-gen: %d regions, %d units, %d venues, %" PRId64
           " cards handed out (+%" PRId64 " in stock) (%.1f s)\n",
           REGION_COUNT, g.unit_count, g.venue_count, g.opt.cards, g.opt.cards / 20,
           seconds_since(&t0));
    fflush(stdout);
    if (plan_events(&g) || load_uses(&g, &uses_written) || load_events(&g))
        goto out;
    printf("kaiku-bench-gen: %" PRId64 " events (+%d bench events), %" PRId64 " uses (%.1f s)\n",
           g.opt.events, g.venue_count, uses_written, seconds_since(&t0));
    fflush(stdout);
    if (recreate_indexes(g.db, &saved) || exec_sql(g.db, "COMMIT"))
        goto out;
    printf("kaiku-bench-gen: indexes rebuilt (%.1f s)\n", seconds_since(&t0));
    fflush(stdout);
    /* The kept counts (issue 16) from the rows just loaded, as `kaiku counts
     * rebuild` makes them (its one audit row is the only one). */
    sqlite3_close(g.db);
    g.db = NULL;
    if (rebuild_counts(g.opt.db, g.now))
        goto out;
    printf("kaiku-bench-gen: kept counts rebuilt (%.1f s)\n", seconds_since(&t0));
    fflush(stdout);
    if (sqlite3_open_v2(g.opt.db, &g.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        exec_sql(g.db, "ANALYZE") || exec_sql(g.db, "PRAGMA journal_mode = WAL"))
        goto out;
    rc = 0;
out:
    if (rc && g.db)
        fprintf(stderr, "kaiku-bench-gen: failed; %s is incomplete\n", g.opt.db);
    free_indexes(&saved);
    sqlite3_close(g.db);
    free(g.units);
    free(g.venues);
    free(g.card_region);
    free(g.card_personal);
    free(g.issued_by_day);
    free(g.events);
    if (rc == 0)
        printf("kaiku-bench-gen: done in %.1f s: %s\n", seconds_since(&t0), g.opt.db);
    return rc;
}
