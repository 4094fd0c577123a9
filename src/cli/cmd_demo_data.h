/* The demo's data (kaiku demo): the network of the seed and the year's
 * programme, as tables. cmd_demo.c replays them through store.h; nothing
 * here touches a store. The network: four regions (Espoo, Kainuu in a pilot,
 * Pirkanmaa, Swedish-speaking Kronoby), their units and venues, a pop-up
 * venue (R22), and the seed's Teatteri Hilla example of February 2020 (R28). */
#ifndef KAIKU_CLI_CMD_DEMO_DATA_H
#define KAIKU_CLI_CMD_DEMO_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* A value and its weight, for util/rng.h's rng_weighted. */
struct weighted {
    const char *value;
    int weight;
};

enum { R_ESPOO, R_KAINUU, R_PIRKANMAA, R_KRONOBY, REGIONS };

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

extern const struct region_def demo_regions[REGIONS];

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

extern const struct unit_def demo_units[UNITS];

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

extern const struct venue_def demo_venues[VENUES];

/* Weekdays of a production (bit 0 Monday … bit 6 Sunday). */
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

extern const struct production demo_productions[];
extern const size_t demo_productions_count;

/* Tonight: one evening event on the demo's own day at every venue, so that
 * its clerk, signing in with the venue's demo login, has something to sell
 * (the design sketch of the box office). `from`, `to` and `days` are unused.
 * Bookable now: no collection window (R17 would close the box office until
 * just before the start), a booking window, when any, opened days ago; and
 * a cap the uses made for it always leave room under (each use takes at
 * most 7 places, so cap > 7 * uses_hi; tests/cli/test_cli.sh checks the
 * places left). */
extern const struct production demo_tonight[VENUES];

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

extern const struct seed_use demo_seed_uses[];
extern const size_t demo_seed_uses_count;

#endif
