/* The domain's plain types: cards, handouts, events, uses, actors. No
 * behaviour here beyond the name tables that map enums to the stable strings
 * of api.md (and back). Sizes include the terminating NUL. */
#ifndef KAIKU_CORE_MODEL_H
#define KAIKU_CORE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define CODE_MAX            16 /* R1: card codes are 1..16 of A-Z 0-9 */
#define ID_MAX              64 /* ids of regions, units, venues: 1..64 of a-z 0-9 - */
#define NAME_MAX_BYTES      200
#define TEXT_MAX_BYTES      2000
#define USERNAME_MAX        64
#define USERNAME_CLI        "cli" /* the actor of the command line (R34) */
#define ADDRESS_MAX         64    /* textual IP address of a client */
#define IDEMPOTENCY_KEY_MAX 128
#define TICKETS_MAX         1000 /* largest count of one ticket type in one use */
#define CAPACITY_MAX        10000000

/* Returns the enum value for a name, or -1; and the name for a value. */
struct name_table {
    const char *const *names;
    int count;
};
int name_lookup(const struct name_table *t, const char *name);
const char *name_of(const struct name_table *t, int value);

enum role { ROLE_NATIONAL, ROLE_COORDINATOR, ROLE_DISTRIBUTOR, ROLE_VENUE, ROLE_COUNT };
extern const struct name_table role_names;

/* R2 */
enum card_kind { CARD_PERSONAL, CARD_COMMUNITY, CARD_KIND_COUNT };
extern const struct name_table card_kind_names;

enum card_status { CARD_NOT_ISSUED, CARD_VALID, CARD_EXPIRED, CARD_CANCELLED, CARD_STATUS_COUNT };
extern const struct name_table card_status_names;

/* R9 */
enum gender { GENDER_FEMALE, GENDER_MALE, GENDER_OTHER, GENDER_NOT_TOLD, GENDER_COUNT };
extern const struct name_table gender_names;

enum life_situation {
    LIFE_UNEMPLOYED,
    LIFE_RETIRED,
    LIFE_STUDENT,
    LIFE_SINGLE_PARENT,
    LIFE_LONG_TERM_ILLNESS,
    LIFE_DISABILITY,
    LIFE_LOW_INCOME_WORKING,
    LIFE_DEBT,
    LIFE_OTHER,
    LIFE_COUNT
};
extern const struct name_table life_situation_names;

enum event_kind {
    EVENT_PERFORMANCE,
    EVENT_COURSE,
    EVENT_DAY_TICKET,
    EVENT_DAILY,
    EVENT_KIND_COUNT
};
extern const struct name_table event_kind_names;

/* R19 */
enum channel {
    CHANNEL_BOX_OFFICE,
    CHANNEL_PHONE,
    CHANNEL_TICKET_AGENCY,
    CHANNEL_PAPER,
    CHANNEL_COUNT
};
extern const struct name_table channel_names;

enum venue_category {
    CAT_THEATRE,
    CAT_MUSIC,
    CAT_MUSEUM,
    CAT_CINEMA,
    CAT_FESTIVAL,
    CAT_DANCE,
    CAT_CIRCUS,
    CAT_LIBRARY,
    CAT_ADULT_EDUCATION,
    CAT_SPORTS,
    CAT_SWIMMING,
    CAT_OTHER,
    CAT_COUNT
};
extern const struct name_table venue_category_names;

/* R3 */
enum transfer_status {
    TRANSFER_REQUESTED,
    TRANSFER_APPROVED,
    TRANSFER_REJECTED,
    TRANSFER_STATUS_COUNT
};
extern const struct name_table transfer_status_names;

/* Who acts, from where and when: passed to every store operation, written
 * into the audit row (R34) and used for scope checks (R32). `scope` is the
 * region (coordinator), unit (distributor) or venue (venue staff) id; empty
 * for national. `now` is the clock of the request (tests pass fixed ones). */
struct actor {
    char user[USERNAME_MAX + 1];
    enum role role;
    char scope[ID_MAX + 1];
    char address[ADDRESS_MAX + 1];
    int64_t now;
    int64_t api_key; /* > 0 when a venue API key acts; user is then "key:ID" */
};

/* Where an object sits in the network, for scope checks. Empty strings for
 * levels that do not apply (a pop-up venue has no region, R22). */
struct place {
    const char *region;
    const char *unit;
    const char *venue;
};

struct card {
    char code[CODE_MAX + 1];
    enum card_kind kind;
    char unit[ID_MAX + 1];
    char region[ID_MAX + 1]; /* the unit's region */
    bool issued;
    int32_t handed_out_on; /* day number, when issued */
    int32_t valid_until;   /* day number, when issued */
    bool cancelled;
    int64_t live_uses; /* its uses not undone: a kept count (issue 16), never shown (R33) */
};

struct handout {
    char card[CODE_MAX + 1];
    int32_t handed_out_on;
    int birth_year;
    char mother_tongue[6]; /* ISO 639-1 "fi", or "other" */
    enum gender gender;
    char postal_code[6];
    unsigned life_situations;  /* bit (1u << enum life_situation) */
    char renews[CODE_MAX + 1]; /* R14: previous card, or "" */
};

struct event {
    int64_t id;
    char venue[ID_MAX + 1];
    char region[ID_MAX + 1]; /* the venue's region, "" for pop-up venues */
    char name[NAME_MAX_BYTES + 1];
    enum event_kind kind;
    int64_t starts_at;
    int32_t capacity;
    int32_t cap; /* -1: no cap (R15) */
    bool guest_producer;
    int32_t booking_opens_days;       /* -1: no restriction (R17) */
    int32_t collection_opens_minutes; /* -1: no restriction (R17) */
    bool excluded;
    char exclusion_reason[TEXT_MAX_BYTES + 1];
    int32_t used; /* adult + child tickets of uses not undone */
};

struct use {
    int64_t id;
    char card[CODE_MAX + 1];
    int64_t event;
    int32_t adult, child, companion;
    enum channel channel;
    char recorded_by[USERNAME_MAX + 1];
    int64_t recorded_at;
    char undone_by[USERNAME_MAX + 1];
    int64_t undone_at; /* 0 when not undone */
};

struct use_request {
    char card[CODE_MAX + 1]; /* normalised (R1) */
    int64_t event;
    int32_t adult, child, companion;
    enum channel channel;
    char idempotency_key[IDEMPOTENCY_KEY_MAX + 1]; /* "" when none */
};

#endif
