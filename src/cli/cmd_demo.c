/* kaiku demo: fills a new database with a realistic Kaikukortti network.
 *
 * Everything goes through store.h, so every row passes the same rules (and
 * leaves the same audit rows) as the API. The network's history is replayed
 * day by day with back-dated actors: the seed's Teatteri Hilla example of
 * February 2020 first, then handouts from the start of last year up to
 * today, cancellations (R13) and renewals (R14) on their days, a transfer
 * (R3), and the uses of each past event of the current year recorded just
 * after it, as back-entries, so that no time window (R17) interferes. Uses
 * the rules refuse (cap_reached, …) are expected now and then and are
 * counted, not fatal. Deterministic for a given --seed and day: the only
 * randomness is the small generator below (no rand()).
 *
 * All or nothing: those are thousands of store calls, each its own
 * transaction, so the demo is built in a scratch file beside the target and
 * renamed onto it only when complete (see "building beside the target"). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd_common.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/date.h"
#include "util/secret.h"
#include "util/strutil.h"

#define WHAT          "demo"
#define DEMO_PASSWORD "kaikukortti-demo"
#define LIST(a)       a, (sizeof a / sizeof a[0])

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng {
    uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* 0 .. n-1; n > 0 */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(rng_next(r) % n);
}

/* lo .. hi inclusive */
static int rng_range(struct rng *r, int lo, int hi)
{
    return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static bool rng_percent(struct rng *r, unsigned pct)
{
    return rng_below(r, 100) < pct;
}

struct weighted {
    const char *value;
    unsigned weight;
};

static const char *rng_pick(struct rng *r, const struct weighted *w, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i].weight;
    unsigned x = rng_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i].weight)
            return w[i].value;
        x -= w[i].weight;
    }
    return w[n - 1].value;
}

/* ---- the network ---- */

enum { R_ESPOO, R_KAINUU, R_PIRKANMAA, R_KRONOBY, REGIONS };

static const char *const postal_espoo[] = {"02100", "02600", "02610", "02650", "02230",
                                           "02320", "02770", "02200", "02360", "02940"};
static const char *const postal_kainuu[] = {"87100", "87200", "87500", "88900",
                                            "88600", "89600", "88300", "87700"};
static const char *const postal_pirkanmaa[] = {"33100", "33200", "33500", "33720",
                                               "37100", "33470", "33400", "33710"};
static const char *const postal_kronoby[] = {"68500", "68550", "68555", "68560", "68600"};

static const struct weighted tongues_espoo[] = {{"fi", 58}, {"sv", 8}, {"ru", 9}, {"so", 6},
                                                {"ar", 6},  {"et", 6}, {"en", 4}, {"other", 3}};
static const struct weighted tongues_kainuu[] = {{"fi", 90}, {"ru", 4}, {"sv", 1},
                                                 {"ar", 2},  {"et", 1}, {"other", 2}};
static const struct weighted tongues_pirkanmaa[] = {{"fi", 80}, {"ru", 5}, {"ar", 4}, {"so", 3},
                                                    {"et", 3},  {"en", 2}, {"sv", 1}, {"other", 2}};
static const struct weighted tongues_kronoby[] = {
    {"sv", 78}, {"fi", 15}, {"en", 2}, {"ar", 2}, {"other", 3}};

struct region_def {
    const char *id;
    const char *name;
    bool pilot; /* R5: in a pilot that ends at the end of June next year */
    const char *coordinator;
    const char *const *postal;
    size_t npostal;
    const struct weighted *tongues;
    size_t ntongues;
    const char *const *cancel_reasons; /* R13, in the region's language */
};

static const char *const reasons_fi[] = {"Kortti kadonnut", "Kortti varastettu",
                                         "Kortti vahingoittunut", "Väärinkäyttö"};
static const char *const reasons_sv[] = {"Kortet har försvunnit", "Kortet har stulits",
                                         "Kortet är skadat", "Missbruk"};

static const struct region_def regions[REGIONS] = {
    [R_ESPOO] = {"espoo", "Espoo", false, "koord-espoo", LIST(postal_espoo), LIST(tongues_espoo),
                 reasons_fi},
    [R_KAINUU] = {"kainuu", "Kainuun maakunta", true, "koord-kainuu", LIST(postal_kainuu),
                  LIST(tongues_kainuu), reasons_fi},
    [R_PIRKANMAA] = {"pirkanmaa", "Pirkanmaa", false, "koord-pirkanmaa", LIST(postal_pirkanmaa),
                     LIST(tongues_pirkanmaa), reasons_fi},
    [R_KRONOBY] = {"kronoby", "Kruunupyy – Kronoby", false, "koord-kronoby", LIST(postal_kronoby),
                   LIST(tongues_kronoby), reasons_sv},
};

#define STOCK_PERSONAL       300
#define STOCK_COMMUNITY      8
#define STOCK_CARDS          (STOCK_PERSONAL + STOCK_COMMUNITY)
#define COMMUNITY_HANDED_OUT 3 /* per unit and year */

struct unit_def {
    const char *id;
    int region;
    const char *name;
    const char *distributor;
    const char *prefix; /* personal codes: prefix + number of `digits` digits */
    int first;
    int digits;
    const char *community_prefix; /* community codes: prefix + 4 digits */
    int community_first;
    unsigned rate; /* handouts per workday, in thousandths */
};

enum {
    U_LEPPAVAARA,
    U_TAPIOLA,
    U_MATINKYLA,
    U_KAJAANI,
    U_KUHMO,
    U_SOTKAMO,
    U_HERVANTA,
    U_AKLINIKKA,
    U_NOKIA,
    U_SOCIALBYRA,
    U_HALSOCENTRAL,
    UNITS
};

static const struct unit_def units[UNITS] = {
    [U_LEPPAVAARA] = {"espoo-leppavaara", R_ESPOO, "Leppävaaran aikuissosiaalityö",
                      "jakaja-leppavaara", "E", 1001, 4, "XA", 1, 170},
    [U_TAPIOLA] = {"espoo-tapiola", R_ESPOO, "Tapiolan mielenterveys- ja päihdepalvelut",
                   "jakaja-tapiola", "E", 2001, 4, "XA", 25, 150},
    [U_MATINKYLA] = {"espoo-matinkyla", R_ESPOO, "Matinkylän työllisyyspalvelut",
                     "jakaja-matinkyla", "E", 3001, 4, "XA", 41, 130},
    [U_KAJAANI] = {"kainuu-kajaani", R_KAINUU, "Kajaanin aikuissosiaalityö", "jakaja-kajaani", "K",
                   1001, 4, "XK", 1, 150},
    [U_KUHMO] = {"kainuu-kuhmo", R_KAINUU, "Kuhmon sosiaali- ja terveysasema", "jakaja-kuhmo", "K",
                 2001, 4, "XK", 21, 80},
    [U_SOTKAMO] = {"kainuu-sotkamo", R_KAINUU, "Sotkamon mielenterveys- ja päihdepalvelut",
                   "jakaja-sotkamo", "K", 3001, 4, "XK", 41, 80},
    [U_HERVANTA] = {"pirkanmaa-hervanta", R_PIRKANMAA, "Hervannan sosiaaliasema, Tampere",
                    "jakaja-hervanta", "", 50001, 5, "XP", 1, 160},
    [U_AKLINIKKA] = {"pirkanmaa-a-klinikka", R_PIRKANMAA, "Tampereen A-klinikka",
                     "jakaja-a-klinikka", "", 51001, 5, "XP", 21, 110},
    [U_NOKIA] = {"pirkanmaa-nokia", R_PIRKANMAA, "Nokian aikuissosiaalityö", "jakaja-nokia", "",
                 52001, 5, "XP", 41, 90},
    [U_SOCIALBYRA] = {"kronoby-socialbyra", R_KRONOBY, "Kronoby socialbyrå", "utdelare-socialbyra",
                      "KR", 1001, 4, "XR", 1, 70},
    [U_HALSOCENTRAL] = {"kronoby-halsocentral", R_KRONOBY, "Kronoby hälsocentral, mentalvården",
                        "utdelare-halsocentral", "KR", 2001, 4, "XR", 21, 50},
};

/* R3: the transfers. The codes are the tail of the source unit's personal
 * stock, kept out of its own handouts. */
#define TRANSFER_APPROVED_CODES 25 /* Leppävaara → Matinkylä, approved */
#define TRANSFER_PENDING_CODES  15 /* Hervanta → Nokia, still requested */

struct venue_def {
    const char *id;
    int region; /* -1: pop-up venue (R22) */
    const char *name;
    enum venue_category category;
    const char *accessibility;
    bool free_cloakroom;
    const char *staff;
};

enum {
    V_HILLA,
    V_KAMU,
    V_LEPPAVAARA_SWIM,
    V_TYOVAENOPISTO,
    V_KAJAANI_THEATRE,
    V_KAINUU_MUSEUM,
    V_KUHMO,
    V_NASINKALLIO,
    V_HERVANTA_SWIM,
    V_FOLK_FESTIVAL,
    V_KINO,
    V_FOLKHOGSKOLA,
    V_BIBLIOTEK,
    V_ATENEUM,
    VENUES
};

static const struct venue_def venues[VENUES] = {
    [V_HILLA] = {"teatteri-hilla", R_ESPOO, "Teatteri Hilla", CAT_THEATRE,
                 "Esteetön sisäänkäynti pihan puolelta, pyörätuolipaikat riveillä 1 ja 8, "
                 "induktiosilmukka.",
                 true, "kassa-hilla"},
    [V_KAMU] = {"kamu-espoo", R_ESPOO, "KAMU Espoon kaupunginmuseo", CAT_MUSEUM,
                "Esteetön, hissi kaikkiin kerroksiin.", true, "kassa-kamu"},
    [V_LEPPAVAARA_SWIM] = {"leppavaaran-uimahalli", R_ESPOO, "Leppävaaran uimahalli", CAT_SWIMMING,
                           "Invapukuhuone ja allasnostin.", false, "kassa-leppavaaran-uimahalli"},
    [V_TYOVAENOPISTO] = {"espoon-tyovaenopisto", R_ESPOO, "Espoon työväenopisto",
                         CAT_ADULT_EDUCATION, "Opetustilat esteettömiä, kysy tilakohtaisesti.",
                         false, "toimisto-tyovaenopisto"},
    [V_KAJAANI_THEATRE] = {"kajaanin-kaupunginteatteri", R_KAINUU, "Kajaanin kaupunginteatteri",
                           CAT_THEATRE, "Esteetön, pyörätuolipaikkoja 4.", true,
                           "kassa-kajaanin-teatteri"},
    [V_KAINUU_MUSEUM] = {"kainuun-museo", R_KAINUU, "Kainuun museo", CAT_MUSEUM,
                         "Näyttelytilat katutasossa.", true, "kassa-kainuun-museo"},
    [V_KUHMO] = {"kuhmon-kamarimusiikki", R_KAINUU, "Kuhmon Kamarimusiikki", CAT_FESTIVAL,
                 "Kuhmo-talo on esteetön; induktiosilmukka pääsalissa.", true, "kassa-kuhmo"},
    [V_NASINKALLIO] = {"nasinkallion-teatteri", R_PIRKANMAA, "Näsinkallion Teatteri", CAT_THEATRE,
                       "Hissi saliin, pyörätuolipaikkoja 6.", true, "kassa-nasinkallio"},
    [V_HERVANTA_SWIM] = {"hervannan-uimahalli", R_PIRKANMAA, "Hervannan uimahalli", CAT_SWIMMING,
                         "Allasnostin, esteetön pukuhuone.", false, "kassa-hervannan-uimahalli"},
    [V_FOLK_FESTIVAL] = {"pirkanmaan-kansanmusiikkijuhlat", R_PIRKANMAA,
                         "Pirkanmaan kansanmusiikkijuhlat", CAT_FESTIVAL,
                         "Festivaalialue esteetön, esteetön WC.", false, "kassa-kansanmusiikki"},
    [V_KINO] = {"kino-pispala", R_PIRKANMAA, "Kino Pispala", CAT_CINEMA,
                "Sali toisessa kerroksessa, ei hissiä.", true, "kassa-kino-pispala"},
    [V_FOLKHOGSKOLA] = {"kronoby-folkhogskola", R_KRONOBY, "Kronoby folkhögskola",
                        CAT_ADULT_EDUCATION, "Tillgänglig entré, hiss till andra våningen.", false,
                        "kansli-folkhogskola"},
    [V_BIBLIOTEK] = {"kronoby-bibliotek", R_KRONOBY, "Kronoby bibliotek", CAT_LIBRARY,
                     "Tillgängligt, hörslinga i sagorummet.", true, "personal-bibliotek"},
    [V_ATENEUM] = {"ateneum", -1, "Ateneumin taidemuseo (Kansallisgalleria)", CAT_MUSEUM,
                   "Esteetön sisäänkäynti Kaivokadun puolelta, pyörätuoleja lainaksi.", true,
                   "kassa-ateneum"},
};

#define MON 1u
#define TUE 2u
#define WED 4u
#define THU 8u
#define FRI 16u
#define SAT 32u
#define SUN 64u
#define ALL 127u

/* A run of events of one venue in the current year: every day in [from, to]
 * ("MM-DD") whose weekday is in `days`. */
struct production {
    int venue;
    const char *name;
    enum event_kind kind;
    const char *from, *to;
    unsigned days;
    int hour, minute;
    int32_t capacity;
    int32_t cap_extra; /* R15: cap = caps_minimum + cap_extra; -1: no cap */
    bool guest_producer;
    int32_t booking_days, collection_minutes; /* R17; -1: none */
    const char *excluded;                     /* R17: exclusion reason */
    int uses_lo, uses_hi;                     /* uses tried per past event */
    unsigned child_pct;                       /* uses with child tickets */
    unsigned community_pct;                   /* uses with a community card */
};

/* clang-format off */
static const struct production productions[] = {
    {V_HILLA, "Lumikuningatar", EVENT_PERFORMANCE, "01-10", "04-26", SAT | SUN, 13, 0, 120, 4, false, 30, 30, NULL, 1, 6, 70, 10},
    {V_HILLA, "Vanja-eno", EVENT_PERFORMANCE, "01-15", "05-16", THU | FRI, 19, 0, 120, 2, false, -1, -1, NULL, 1, 4, 5, 0},
    {V_HILLA, "Nummisuutarit (kesäteatteri)", EVENT_PERFORMANCE, "06-05", "08-15", WED | FRI | SAT, 19, 0, 260, 0, false, -1, -1, NULL, 2, 8, 20, 5},
    {V_HILLA, "Taikuri Matti", EVENT_PERFORMANCE, "09-06", "12-20", SUN, 15, 0, 120, 4, false, -1, -1, NULL, 2, 6, 85, 15},
    {V_HILLA, "Kesäyöntaika", EVENT_PERFORMANCE, "09-10", "12-19", FRI | SAT, 19, 0, 120, 2, false, -1, -1, NULL, 1, 5, 10, 0},
    {V_KAMU, "Päivälippu: Espoon tarina", EVENT_DAY_TICKET, "01-01", "12-31", WED | SAT | SUN, 11, 0, 250, -1, false, -1, -1, NULL, 0, 4, 40, 15},
    {V_LEPPAVAARA_SWIM, "Uinti ja kuntosali", EVENT_DAILY, "01-01", "06-30", ALL, 6, 0, 600, 0, false, -1, -1, NULL, 0, 5, 25, 5},
    {V_LEPPAVAARA_SWIM, "Uinti ja kuntosali", EVENT_DAILY, "08-01", "12-31", ALL, 6, 0, 600, 0, false, -1, -1, NULL, 0, 5, 25, 5},
    {V_TYOVAENOPISTO, "Akvarellimaalauksen alkeet", EVENT_COURSE, "01-12", "01-12", ALL, 17, 30, 16, 1, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_TYOVAENOPISTO, "Suomen kieli: alkeiskurssi A1", EVENT_COURSE, "01-14", "01-14", ALL, 18, 0, 20, 1, false, -1, -1, NULL, 1, 2, 0, 0},
    {V_TYOVAENOPISTO, "Kuntojooga", EVENT_COURSE, "01-13", "01-13", ALL, 18, 0, 24, 0, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_TYOVAENOPISTO, "Valokuvauksen perusteet", EVENT_COURSE, "09-07", "09-07", ALL, 17, 30, 14, 1, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_TYOVAENOPISTO, "Keramiikka", EVENT_COURSE, "09-08", "09-08", ALL, 17, 0, 10, 1, false, -1, -1, NULL, 0, 1, 0, 0},
    {V_TYOVAENOPISTO, "Suomen kieli: jatkokurssi A2", EVENT_COURSE, "09-09", "09-09", ALL, 18, 0, 20, 1, false, -1, -1, NULL, 1, 2, 0, 0},
    {V_KAJAANI_THEATRE, "Seitsemän veljestä", EVENT_PERFORMANCE, "01-20", "05-10", WED | FRI | SAT, 19, 0, 300, 5, false, -1, -1, NULL, 2, 8, 10, 0},
    {V_KAJAANI_THEATRE, "Peppi Pitkätossu", EVENT_PERFORMANCE, "09-15", "12-13", SAT, 13, 0, 300, 5, false, -1, -1, NULL, 2, 8, 80, 20},
    {V_KAINUU_MUSEUM, "Päivälippu: Tervaa ja tukinuittoa", EVENT_DAY_TICKET, "01-01", "12-31", SAT | SUN, 11, 0, 120, -1, false, -1, -1, NULL, 0, 3, 30, 10},
    {V_KUHMO, "Kuhmon Kamarimusiikki: iltakonsertti", EVENT_PERFORMANCE, "07-12", "07-25", ALL, 19, 0, 650, 0, false, 14, -1, NULL, 3, 10, 5, 0},
    {V_NASINKALLIO, "Tuntematon sotilas (ensi-ilta)", EVENT_PERFORMANCE, "09-05", "09-05", ALL, 18, 0, 200, 0, false, -1, -1, "Ensi-ilta on kutsuvierasnäytös; Kaikukortilla ei lippuja tähän esitykseen.", 0, 0, 0, 0},
    {V_NASINKALLIO, "Tuntematon sotilas", EVENT_PERFORMANCE, "09-06", "12-12", THU | FRI | SAT, 19, 0, 200, 2, false, -1, -1, NULL, 2, 7, 5, 0},
    {V_NASINKALLIO, "Vierailu: Kolme sisarta", EVENT_PERFORMANCE, "03-12", "03-14", ALL, 19, 0, 200, 0, true, -1, -1, NULL, 1, 4, 0, 0},
    {V_NASINKALLIO, "Muumipeikko ja pyrstötähti", EVENT_PERFORMANCE, "01-17", "05-30", SAT, 12, 0, 200, 4, false, -1, -1, NULL, 2, 6, 85, 20},
    {V_HERVANTA_SWIM, "Uinti", EVENT_DAILY, "01-01", "12-31", ALL, 6, 0, 450, 0, false, -1, -1, NULL, 0, 4, 20, 5},
    {V_FOLK_FESTIVAL, "Kansanmusiikkijuhlat: päivälippu", EVENT_DAY_TICKET, "07-02", "07-05", ALL, 12, 0, 3000, 0, false, -1, -1, NULL, 15, 28, 40, 20},
    {V_KINO, "Elokuvakerho: kotimaiset klassikot", EVENT_PERFORMANCE, "01-01", "05-31", TUE, 18, 0, 80, 0, false, -1, -1, NULL, 0, 3, 0, 0},
    {V_KINO, "Elokuvakerho: kotimaiset klassikot", EVENT_PERFORMANCE, "09-01", "12-31", TUE, 18, 0, 80, 0, false, -1, -1, NULL, 0, 3, 0, 0},
    {V_FOLKHOGSKOLA, "Akvarellmålning för nybörjare", EVENT_COURSE, "01-19", "01-19", ALL, 18, 0, 14, 0, false, -1, -1, NULL, 0, 1, 0, 0},
    {V_FOLKHOGSKOLA, "Svenska för inflyttade", EVENT_COURSE, "01-20", "01-20", ALL, 17, 0, 18, 1, false, -1, -1, NULL, 1, 2, 0, 0},
    {V_FOLKHOGSKOLA, "Körsång", EVENT_COURSE, "09-14", "09-14", ALL, 18, 30, 30, 0, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_FOLKHOGSKOLA, "Vävning och textilhantverk", EVENT_COURSE, "09-15", "09-15", ALL, 17, 0, 8, 1, false, -1, -1, NULL, 0, 1, 0, 0},
    {V_BIBLIOTEK, "Sagostund för barn", EVENT_PERFORMANCE, "01-10", "05-30", SAT, 11, 0, 30, 0, false, -1, -1, NULL, 0, 2, 90, 30},
    {V_BIBLIOTEK, "Författarkväll: österbottnisk litteratur", EVENT_PERFORMANCE, "10-08", "10-08", ALL, 18, 0, 60, 1, false, -1, -1, NULL, 1, 3, 0, 0},
    {V_ATENEUM, "Ateneum: pääsylippu", EVENT_DAY_TICKET, "01-01", "12-31", FRI | SAT | SUN, 10, 0, 800, -1, false, -1, -1, NULL, 0, 5, 25, 10},
};
/* clang-format on */
#define PRODUCTIONS (sizeof productions / sizeof productions[0])

/* The seed's report example (R28): Teatteri Hilla, February 2020. */
struct seed_use {
    const char *card;
    int unit;
    int handed_out[3]; /* y, m, d */
    const char *event;
    int date[3];
    int hour;
    int adult, child;
};

static const struct seed_use seed_uses[] = {
    {"E2251", U_TAPIOLA, {2020, 1, 14}, "Taikuri Matti", {2020, 2, 3}, 18, 1, 2},
    {"50141", U_HERVANTA, {2020, 1, 22}, "Kesäyöntaika", {2020, 2, 9}, 15, 1, 2},
};

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
    int prod;
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
    return regions[region].pilot ? date_from_ymd(dm->year + 1, 6, 30) : -1;
}

/* ---- the target must hold no data: the demo replaces it whole ---- */

static int found_region(void *ctx, const struct region *r)
{
    (void)r;
    *(bool *)ctx = true;
    return 1; /* one is enough */
}

static int found_user(void *ctx, const struct user *u)
{
    (void)u;
    *(bool *)ctx = true;
    return 1;
}

static int found_audit(void *ctx, const struct audit_entry *e)
{
    (void)e;
    *(bool *)ctx = true;
    return 1;
}

/* Prints one line and returns -1 when the database holds anything: regions,
 * users, or any audit row (every write leaves one, R34). */
static int check_empty(struct store *s, const char *url)
{
    struct actor a;
    cli_actor(&a);
    bool has_regions = false, users = false, audit = false;
    int rc = store_region_list(s, found_region, &has_regions);
    if (rc >= 0)
        rc = store_user_list(s, &a, found_user, &users);
    if (rc >= 0)
        rc = store_audit_list(s, &a, NULL, found_audit, &audit);
    if (rc < 0) {
        cli_error_code(WHAT, rc);
        return -1;
    }
    const char *has = has_regions ? "regions" : users ? "users" : audit ? "audit entries" : NULL;
    if (has) {
        cli_error(WHAT, "the database at %s already has %s; the demo fills only a new one", url,
                  has);
        return -1;
    }
    return 0;
}

/* ---- the network, its users and its stock ---- */

static int add_user(struct demo *dm, const char *username, enum role role, const char *scope,
                    int64_t now)
{
    struct actor a;
    actor_set(&a, "cli", ROLE_NATIONAL, "", now);
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
    actor_set(&national, "cli", ROLE_NATIONAL, "", now);
    if (add_user(dm, "tuki", ROLE_NATIONAL, "", now) != 0)
        return -1;
    for (int i = 0; i < REGIONS; i++) {
        struct region r = {.pilot_ends_on = pilot_end(dm, i)};
        str_copy(r.id, sizeof r.id, regions[i].id);
        str_copy(r.name, sizeof r.name, regions[i].name);
        int rc = store_region_add(dm->s, &national, &r);
        if (rc != 0)
            return fail(rc, "adding region %s", r.id);
        if (add_user(dm, regions[i].coordinator, ROLE_COORDINATOR, r.id, now) != 0)
            return -1;
    }
    for (int i = 0; i < UNITS; i++) {
        struct unit u;
        memset(&u, 0, sizeof u);
        str_copy(u.id, sizeof u.id, units[i].id);
        str_copy(u.region, sizeof u.region, regions[units[i].region].id);
        str_copy(u.name, sizeof u.name, units[i].name);
        int rc = store_unit_add(dm->s, &national, &u);
        if (rc != 0)
            return fail(rc, "adding unit %s", u.id);
        if (add_user(dm, units[i].distributor, ROLE_DISTRIBUTOR, u.id, now) != 0)
            return -1;
    }
    for (int i = 0; i < VENUES; i++) {
        struct venue v = {.category = venues[i].category,
                          .free_cloakroom = venues[i].free_cloakroom};
        str_copy(v.id, sizeof v.id, venues[i].id);
        str_copy(v.region, sizeof v.region,
                 venues[i].region >= 0 ? regions[venues[i].region].id : "");
        str_copy(v.name, sizeof v.name, venues[i].name);
        str_copy(v.accessibility, sizeof v.accessibility, venues[i].accessibility);
        int rc = store_venue_add(dm->s, &national, &v);
        if (rc != 0)
            return fail(rc, "adding venue %s", v.id);
        if (add_user(dm, venues[i].staff, ROLE_VENUE, v.id, now) != 0)
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
        const struct unit_def *ud = &units[u];
        struct actor coord;
        actor_set(&coord, regions[ud->region].coordinator, ROLE_COORDINATOR, regions[ud->region].id,
                  now);
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
    unsigned band = rng_below(r, 100);
    int age = band < 18   ? rng_range(r, 16, 24)
              : band < 40 ? rng_range(r, 25, 39)
              : band < 70 ? rng_range(r, 40, 62)
                          : rng_range(r, 63, 90);
    h->birth_year = year - age;
    const struct region_def *rd = &regions[region];
    str_copy(h->tongue, sizeof h->tongue, rng_pick(r, rd->tongues, rd->ntongues));
    static const struct weighted genders[] = {
        {"female", 54}, {"male", 41}, {"other", 2}, {"not_told", 3}};
    h->gender = (enum gender)name_lookup(&gender_names, rng_pick(r, LIST(genders)));
    str_copy(h->postal, sizeof h->postal, rd->postal[rng_below(r, (uint32_t)rd->npostal)]);
    static const struct weighted working_age[] = {{"unemployed", 34},    {"low_income_working", 15},
                                                  {"single_parent", 12}, {"long_term_illness", 12},
                                                  {"disability", 8},     {"debt", 10},
                                                  {"student", 5},        {"other", 4}};
    const char *first = age >= 63 && rng_percent(r, 85)  ? "retired"
                        : age < 30 && rng_percent(r, 35) ? "student"
                                                         : rng_pick(r, LIST(working_age));
    h->life = 1u << name_lookup(&life_situation_names, first);
    if (rng_percent(r, 30))
        h->life |= 1u << name_lookup(&life_situation_names, rng_pick(r, LIST(working_age)));
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
    const struct unit_def *ud = &units[c->unit];
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
        int32_t when = day + rng_range(r, 10, 250);
        if (when < c->valid_until && when <= dm->today &&
            schedule(dm->cancels, &dm->ncancels, when, c) != 0)
            return fail(-ERR_INTERNAL, "scheduling");
    } else if (c->valid_until < dm->today) {
        bool renew = c->kind == CARD_COMMUNITY || rng_percent(r, 35);
        int32_t when = c->valid_until + 1 +
                       (c->kind == CARD_COMMUNITY ? rng_range(r, 0, 6) : rng_range(r, 3, 60));
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
    random_holder(dm, units[unit].region, date_year(day), &h);
    unsigned x = rng_below(&dm->rng, 100);
    c->activity = x < 25 ? 0 : x < 80 ? 35 : 100;
    return hand_out(dm, c, day, minute, &h, NULL);
}

static int cancel_card(struct demo *dm, struct demo_card *c, int32_t day)
{
    const struct unit_def *ud = &units[c->unit];
    struct actor a;
    actor_set(&a, ud->distributor, ROLE_DISTRIBUTOR, ud->id, at(day, 13, 15));
    const char *reason = regions[ud->region].cancel_reasons[rng_below(&dm->rng, 4)];
    struct card out;
    int rc = store_card_cancel(dm->s, &a, c->code, reason, &out);
    if (rc != 0)
        return fail(rc, "cancelling %s", c->code);
    c->cancelled = true;
    dm->n.cancelled++;
    /* R13/R14: most holders come back for a new card with a new code. */
    if (rng_percent(&dm->rng, 80)) {
        int32_t when = day + rng_range(&dm->rng, 1, 14);
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
    actor_set(&a, units[from].distributor, ROLE_DISTRIBUTOR, units[from].id, at(day, 11, 0));
    int64_t id = 0;
    struct error_details d = {0};
    int rc = store_transfer_request(dm->s, &a, (const char(*)[CODE_MAX + 1]) codes, (size_t)count,
                                    units[from].id, units[to].id, &id, &d);
    if (rc != 0)
        return fail(rc, "requesting a transfer from %s", units[from].id);
    if (!approve) {
        dm->n.transfers_requested++;
        return 0;
    }
    int region = units[from].region;
    actor_set(&a, regions[region].coordinator, ROLE_COORDINATOR, regions[region].id,
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
    actor_set(&a, venues[venue].staff, ROLE_VENUE, venues[venue].id, starts_at - 45 * 86400);
    struct event e = {.kind = kind,
                      .starts_at = starts_at,
                      .capacity = capacity,
                      .cap = cap,
                      .guest_producer = guest,
                      .booking_opens_days = booking,
                      .collection_opens_minutes = collection,
                      .excluded = excluded != NULL};
    str_copy(e.venue, sizeof e.venue, venues[venue].id);
    str_copy(e.name, sizeof e.name, name);
    if (excluded)
        str_copy(e.exclusion_reason, sizeof e.exclusion_reason, excluded);
    struct error_details d = {0};
    int rc = store_event_add(dm->s, &a, &e, &d);
    if (rc != 0)
        return fail(rc, "adding event %s at %s", name, venues[venue].id);
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

/* The current year's programme, with caps that respect R15. */
static int add_programme(struct demo *dm)
{
    for (size_t p = 0; p < PRODUCTIONS; p++) {
        const struct production *pr = &productions[p];
        int32_t from = day_of(dm->year, pr->from), to = day_of(dm->year, pr->to);
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
            de->prod = (int)p;
            de->day = day;
            de->starts_at = at(day, pr->hour, pr->minute);
            if (add_event(dm, pr->venue, pr->name, pr->kind, de->starts_at, pr->capacity, cap,
                          pr->guest_producer, pr->booking_days, pr->collection_minutes,
                          pr->excluded, &de->id) != 0)
                return -1;
            dm->nevents++;
        }
    }
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
        struct demo_card *c = community ? dm->issued_community[region][rng_below(r, (uint32_t)len)]
                                        : dm->issued[region][rng_below(r, (uint32_t)len)];
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
    const struct production *pr = &productions[de->prod];
    const struct venue_def *vd = &venues[pr->venue];
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
            u.child = rng_range(r, 2, 6);
        } else if (pr->kind != EVENT_COURSE && rng_percent(r, pr->child_pct)) {
            u.child = rng_range(r, 1, 3); /* R24: own children and grandchildren */
        }
        if (rng_percent(r, 4))
            u.companion = 1; /* R21 */
        u.channel =
            (enum channel)name_lookup(&channel_names, ahead ? rng_pick(r, LIST(ahead_channels))
                                                            : rng_pick(r, LIST(channels)));
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
    for (size_t i = 0; i < sizeof seed_uses / sizeof seed_uses[0]; i++) {
        const struct seed_use *su = &seed_uses[i];
        struct demo_card *c = find_card(dm, su->card);
        if (!c)
            return fail(-ERR_INTERNAL, "seed card %s is not in the stock", su->card);
        int32_t day = date_from_ymd(su->handed_out[0], su->handed_out[1], su->handed_out[2]);
        struct holder h;
        random_holder(dm, units[c->unit].region, su->handed_out[0], &h);
        c->activity = 0; /* their only uses are the seed's */
        if (hand_out(dm, c, day, 0, &h, NULL) != 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof seed_uses / sizeof seed_uses[0]; i++) {
        const struct seed_use *su = &seed_uses[i];
        int32_t day = date_from_ymd(su->date[0], su->date[1], su->date[2]);
        int64_t starts = at(day, su->hour, 0);
        int64_t id = 0;
        int32_t cap = caps_minimum(120, EVENT_PERFORMANCE, false) + 2;
        if (add_event(dm, V_HILLA, su->event, EVENT_PERFORMANCE, starts, 120, cap, false, -1, -1,
                      NULL, &id) != 0)
            return -1;
        struct actor a;
        actor_set(&a, venues[V_HILLA].staff, ROLE_VENUE, venues[V_HILLA].id, starts + 7200);
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
                while (rng_below(&dm->rng, 1000) < units[u].rate && minute < 400) {
                    if (new_personal_handout(dm, u, day, minute) != 0)
                        return -1;
                    minute += rng_range(&dm->rng, 20, 90);
                }
            }
        for (; ev < dm->nevents && dm->events[ev].day == day; ev++) {
            const struct demo_event *de = &dm->events[ev];
            const struct production *pr = &productions[de->prod];
            int64_t after = de->starts_at + 2 * 3600;
            if (pr->excluded || after > dm->now)
                continue; /* R17: excluded; or still ahead (booked below) */
            int attempts = rng_range(&dm->rng, pr->uses_lo, pr->uses_hi);
            if (record_uses(dm, de, attempts, after, false) != 0)
                return -1;
        }
    }
    /* Bookings for the next four weeks, made now. */
    for (int i = 0; i < dm->nevents; i++) {
        const struct demo_event *de = &dm->events[i];
        const struct production *pr = &productions[de->prod];
        if (pr->excluded || de->starts_at + 2 * 3600 <= dm->now ||
            de->starts_at > dm->now + 28 * 86400)
            continue;
        int attempts = rng_range(&dm->rng, 0, pr->uses_hi / 2);
        if (record_uses(dm, de, attempts, dm->now, true) != 0)
            return -1;
    }
    return 0;
}

/* ---- building beside the target ----
 *
 * The demo is built in PATH.demo-XXXXXX, a new file in the target's own
 * directory, so that one rename() on one file system puts it in place. When
 * the whole demo is in it, the store is closed (SQLite checkpoints the WAL
 * and removes the scratch file's -wal and -shm), the file is synced, renamed
 * onto PATH and the directory synced. On any failure, and on SIGINT, SIGTERM
 * or SIGHUP, the scratch file and its -wal and -shm (and the -journal SQLite
 * keeps while it turns the new file to WAL) are removed and PATH is left as
 * it was. */

#define SCRATCH_MAX (CLI_VALUE_MAX + 32)

enum { SCRATCH_DB, SCRATCH_WAL, SCRATCH_SHM, SCRATCH_JOURNAL, SCRATCH_FILES };

/* What the target was before the demo: looked at again just before the
 * rename, so that a database created or changed meanwhile is not replaced. */
struct target {
    bool exists;
    struct stat st;
};

/* Static so that the signal handler, which may call only unlink() and
 * raise(), can reach them. An empty name: nothing to remove. */
static char scratch[SCRATCH_FILES][SCRATCH_MAX];
static volatile sig_atomic_t scratch_armed;
static const int scratch_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define SCRATCH_SIGNALS (sizeof scratch_signals / sizeof scratch_signals[0])
static struct sigaction scratch_saved[SCRATCH_SIGNALS];

static void scratch_unlink(void)
{
    for (int i = 0; i < SCRATCH_FILES; i++)
        if (scratch[i][0])
            unlink(scratch[i]);
}

static void scratch_on_signal(int sig)
{
    if (scratch_armed)
        scratch_unlink();
    raise(sig); /* SA_RESETHAND: delivered with the default action on return */
}

static void scratch_arm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = scratch_on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    scratch_armed = 1;
    for (size_t i = 0; i < SCRATCH_SIGNALS; i++) {
        sigaction(scratch_signals[i], NULL, &scratch_saved[i]);
        if (scratch_saved[i].sa_handler != SIG_IGN) /* nohup, a background job: left alone */
            sigaction(scratch_signals[i], &sa, NULL);
    }
}

/* Removes what is left of the scratch file (nothing after a rename) and
 * gives the signals back. */
static void scratch_discard(void)
{
    if (!scratch_armed)
        return;
    for (size_t i = 0; i < SCRATCH_SIGNALS; i++)
        sigaction(scratch_signals[i], &scratch_saved[i], NULL);
    scratch_armed = 0;
    scratch_unlink();
    for (int i = 0; i < SCRATCH_FILES; i++)
        scratch[i][0] = '\0';
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Whether url exists, and as what. Prints one line and returns -1 when it
 * cannot be told (a missing directory is found when the scratch file is
 * made). */
static int target_stat(const char *url, struct target *t)
{
    memset(t, 0, sizeof *t);
    if (stat(url, &t->st) == 0) {
        t->exists = true;
        return 0;
    }
    if (errno == ENOENT || errno == ENOTDIR)
        return 0;
    cli_error(WHAT, "cannot open database %s: %s", url, strerror(errno));
    return -1;
}

static bool target_same(const struct target *a, const struct target *b)
{
    if (a->exists != b->exists)
        return false;
    return !a->exists ||
           (a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino &&
            a->st.st_size == b->st.st_size && a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec &&
            a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec);
}

/* A -wal beside the target belongs to a connection still open on it (ours
 * are closed), or is left over from a crash or a deleted database; either
 * way, SQLite would read it into the file renamed there. */
static int target_not_in_use(const char *url)
{
    char wal[SCRATCH_MAX];
    if (snprintf(wal, sizeof wal, "%s-wal", url) >= (int)sizeof wal || !file_exists(wal))
        return 0;
    cli_error(WHAT,
              "the database at %s is in use by another program, or %s is left over; nothing "
              "was changed",
              url, wal);
    return -1;
}

/* Makes the empty scratch file beside url, with the target's permissions
 * and, as far as allowed, owner (a new target: 0666 less the umask, as
 * SQLite would create it). */
static int scratch_create(const char *url, const struct target *t)
{
    int fd = -1;
    int rc = -1;
    char name[SCRATCH_MAX - 16]; /* room for "-journal" */
    if (snprintf(name, sizeof name, "%s.demo-XXXXXX", url) >= (int)sizeof name) {
        cli_error(WHAT, "--db is too long");
        goto out;
    }
    fd = mkstemp(name);
    if (fd < 0) {
        int err = errno;
        char dir[CLI_VALUE_MAX + 1];
        if (cli_parent_dir(url, dir, sizeof dir) != 0)
            dir[0] = '\0';
        if (err == ENOENT || err == ENOTDIR)
            cli_error(WHAT, "cannot open database %s: no such directory", url);
        else
            cli_error(WHAT, "cannot create the demo database in %s: %s", dir, strerror(err));
        goto out;
    }
    static const char *const suffix[SCRATCH_FILES] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < SCRATCH_FILES; i++)
        snprintf(scratch[i], SCRATCH_MAX, "%s%s", name, suffix[i]); /* fits: see name */
    scratch_arm();
    mode_t mode;
    if (t->exists) {
        mode = t->st.st_mode & 07777;
        if ((t->st.st_uid != geteuid() || t->st.st_gid != getegid()) &&
            fchown(fd, t->st.st_uid, t->st.st_gid) != 0) {
            /* Not allowed (not root): the demo belongs to whoever made it. */
        }
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0) {
        cli_error(WHAT, "cannot set the permissions of %s: %s", scratch[SCRATCH_DB],
                  strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* fsync of a file or a directory opened read-only. Keeps errno. */
static int sync_path(const char *path, bool dir)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

/* Puts the finished, closed scratch file in the target's place. */
static int scratch_commit(const char *url, const struct target *before)
{
    if (file_exists(scratch[SCRATCH_WAL])) {
        cli_error(WHAT, "the demo database was not closed cleanly (%s remains)",
                  scratch[SCRATCH_WAL]);
        return -1;
    }
    if (sync_path(scratch[SCRATCH_DB], false) != 0) {
        cli_error(WHAT, "cannot sync %s: %s", scratch[SCRATCH_DB], strerror(errno));
        return -1;
    }
    struct target now;
    if (target_stat(url, &now) != 0)
        return -1;
    if (!target_same(before, &now)) {
        cli_error(WHAT, "the database at %s changed while the demo was built; nothing was changed",
                  url);
        return -1;
    }
    if (target_not_in_use(url) != 0)
        return -1;
    if (rename(scratch[SCRATCH_DB], url) != 0) {
        cli_error(WHAT, "cannot move the demo database to %s: %s", url, strerror(errno));
        return -1;
    }
    scratch[SCRATCH_DB][0] = '\0'; /* it is the target now */
    char dir[CLI_VALUE_MAX + 1];
    if (cli_parent_dir(url, dir, sizeof dir) != 0 || sync_path(dir, true) != 0) {
        cli_error(WHAT, "the demo is at %s, but its directory could not be synced: %s", url,
                  strerror(errno));
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

static void print_login(const char *username, const char *role, const char *kind, const char *scope)
{
    char where[ID_MAX + 16];
    if (kind[0])
        snprintf(where, sizeof where, "%s %s", kind, scope);
    else
        str_copy(where, sizeof where, "-");
    printf("  %-30s %-12s %s\n", username, role, where);
}

static void print_logins(void)
{
    printf("\nDemo logins (the password of every one: %s)\n", DEMO_PASSWORD);
    printf("  %-30s %-12s %s\n", "username", "role", "scope");
    print_login("tuki", "national", "", "");
    for (int i = 0; i < REGIONS; i++)
        print_login(regions[i].coordinator, "coordinator", "region", regions[i].id);
    for (int i = 0; i < UNITS; i++)
        print_login(units[i].distributor, "distributor", "unit", units[i].id);
    for (int i = 0; i < VENUES; i++)
        print_login(venues[i].staff, "venue", "venue", venues[i].id);
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
    struct store *s = NULL;
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
    if (!cli_db_is_file(url)) {
        s = cli_open_store(WHAT, url, false, NULL); /* says why it cannot be used */
        if (s)
            cli_error(WHAT, "the demo is built only into a database file, not PostgreSQL");
        goto out;
    }
    /* An existing target: refused if it holds data; with only the schema
     * (kaiku init), it is replaced by the demo. */
    struct target target;
    if (target_stat(url, &target) != 0)
        goto out;
    if (target.exists) {
        s = cli_open_store(WHAT, url, true, NULL);
        if (!s)
            goto out;
        int rc = check_empty(s, url);
        store_close(s);
        s = NULL;
        if (rc != 0 || target_stat(url, &target) != 0)
            goto out;
    }
    if (target_not_in_use(url) != 0 || scratch_create(url, &target) != 0)
        goto out;
    s = cli_open_store(WHAT, scratch[SCRATCH_DB], false, NULL);
    if (!s)
        goto out;
    dm = calloc(1, sizeof *dm);
    if (!dm) {
        cli_error(WHAT, "out of memory");
        goto out;
    }
    dm->s = s;
    dm->rng.state = (uint64_t)seed_value * 0x2545f4914f6cdd1dULL + 1;
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
    store_close(s); /* checkpoints: the scratch file is whole, its -wal gone */
    s = NULL;
    if (scratch_commit(url, &target) != 0)
        goto out;
    print_summary(dm, elapsed(&t0));
    print_logins();
    status = CLI_EXIT_OK;
out:
    free(dm);
    if (s)
        store_close(s);
    scratch_discard();
    return status;
}
