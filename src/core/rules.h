/* The rules of the operating model (R1–R36) as pure functions. Nothing here
 * does I/O or reads a clock: today's date or the current instant is passed
 * in. Functions that validate return 0 or -ERR_x (core/error.h) and may fill
 * `struct error_details` (NULL allowed). Rule ids are in each comment. */
#ifndef KAIKU_CORE_RULES_H
#define KAIKU_CORE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/model.h"

/* ---- cards (R1, R4–R6, R12–R14) ---- */

/* R1: trims surrounding spaces, upper-cases, and checks 1..16 of A-Z 0-9.
 * Returns 0 or -ERR_INVALID_CARD_CODE. */
int card_code_normalize(const char *in, char out[CODE_MAX + 1]);

/* R4/R5: the last valid day of a card handed out on `handed_out_on`. A region
 * pilot that ends on or after the handout date (pilot_ends_on >= 0) decides
 * instead of the 12 months. pilot_ends_on < 0: no pilot. */
int32_t card_valid_until(int32_t handed_out_on, int32_t pilot_ends_on);

/* R6/R13: status of a card on `day`. A cancelled card is cancelled whether
 * or not it was handed out. */
enum card_status card_status_on(const struct card *c, int32_t day);

/* R14: a handout may renew a previous card that is issued and, on `today`,
 * expired or cancelled. Returns 0 or -ERR_RENEWS_INVALID. */
int card_check_renewal(const struct card *previous, int32_t today, struct error_details *d);

/* ---- handouts (R9–R11) ---- */

/* R9: an ISO 639-1 code such as "fi", "sv" (two letters, input
 * case-insensitive, written in lower case; codes not in ISO 639-1 such as "xx"
 * are refused) or "other". Writes the normalised form. Returns 0 or
 * -ERR_INVALID_LANGUAGE. */
int handout_language_normalize(const char *in, char out[6]);
/* R9: exactly five digits. */
bool handout_postal_code_valid(const char *s);

/* R9–R11 for a handout of a card of `kind` on `today`: date not in the
 * future, then (personal cards) birth year, age 16+, language, postal code,
 * at least one life situation. */
int handout_validate(const struct handout *h, enum card_kind kind, int32_t today,
                     struct error_details *d);

/* R10: true for a request field name that would carry identity data (name,
 * hetu, ssn, birth_date, address, phone, …), compared case-insensitively. */
bool identity_field_name(const char *name);
/* R10: true when the n bytes at s contain a Finnish personal identity code:
 * DDMMYY, a century sign, three digits and the matching check character,
 * however written: the text is folded first (util/textfold.h: NFKC's
 * compatibility forms, invisible characters dropped, dashes and Cyrillic or
 * Greek look-alikes mapped to ASCII). Fails closed (true) when memory runs
 * out. */
bool identity_text_has_hetu(const char *s, size_t n);
/* R10: the same over text already folded (or plain ASCII), byte for byte. */
bool identity_ascii_has_hetu(const char *s, size_t n);
/* R10: free text about a card or its holder (a cancel reason, an event's
 * name or exclusion reason) may hold no identity code, no phone number
 * (Finnish forms: 040 123 4567, 09 123 4567, +358 40 1234567, spaces or
 * dashes between groups) and no e-mail address (also "name(at)host.fi").
 * text NULL passes. Returns 0 or -ERR_IDENTITY_DATA_REFUSED with
 * details.field `field`. */
int identity_free_text_check(const char *text, const char *field, struct error_details *d);

/* ---- events: caps (R15, R16) and restrictions (R17) ---- */

/* R17: the longest restrictions an event may carry, checked by
 * event_validate and by the API's field parser alike: booking may open at
 * most a year (366 days, as a leap year has) before the start, collection at
 * most a week. The operating model names no bound (its examples are 30 days
 * and 30 minutes); see docs/decisions.md. */
#define BOOKING_OPENS_DAYS_MAX       366
#define COLLECTION_OPENS_MINUTES_MAX (7 * 24 * 60)

/* R15: the lowest cap allowed for an event. */
int32_t caps_minimum(int32_t capacity, enum event_kind kind, bool guest_producer);

/* Validates an event's own fields: name, capacity, R15 cap (cap_too_low
 * with details.minimum, never above capacity, cap_below_used against
 * e->used), R17 restrictions (an excluded event needs its reason). */
int event_validate(const struct event *e, struct error_details *d);

/* R15/R16: Kaikukortti tickets still available (cap and capacity). */
int32_t caps_remaining(const struct event *e);

/* R17: instants at which booking and collection open. Booking opens at the
 * same Finnish wall-clock time N calendar days before the start; collection
 * M minutes before it. Call only when the restriction is set (>= 0). */
int64_t window_booking_opens(const struct event *e);
int64_t window_collection_opens(const struct event *e);

/* R17 for a use at `now` through `channel`: only for events still ahead.
 * The booking window holds for every channel; the collection window for
 * tickets handed over at the box office. */
int window_check(const struct event *e, enum channel channel, int64_t now, struct error_details *d);

/* ---- uses (R19, R21, R23–R27) ---- */

/* What the store knows when it records a use, loaded inside its write
 * transaction. card is NULL when the code is unknown. */
struct use_facts {
    const struct card *card;
    const struct event *event;
    bool adult_already; /* a use not undone with an adult ticket, same card and event */
};

/* R27: the checks of api.md in their order; the first failure wins. */
int use_check(const struct use_facts *f, const struct use_request *r, int64_t now,
              struct error_details *d);

/* R27: a retry carries the same request as the use it first recorded (card,
 * event, tickets and channel; the key itself is how it was found). */
bool use_same_request(const struct use *u, const struct use_request *r);

/* ---- event changes (R15–R17): a POST or PATCH parsed before its transaction ---- */

enum event_patch_field {
    EP_VENUE = 1u << 0,
    EP_NAME = 1u << 1,
    EP_KIND = 1u << 2,
    EP_STARTS_AT = 1u << 3,
    EP_CAPACITY = 1u << 4,
    EP_CAP = 1u << 5,
    EP_GUEST_PRODUCER = 1u << 6,
    EP_BOOKING_OPENS = 1u << 7,
    EP_COLLECTION_OPENS = 1u << 8,
    EP_EXCLUDED = 1u << 9,
    EP_EXCLUSION_REASON = 1u << 10,
};

/* The fields a request gives (`set`, bits of enum event_patch_field) and
 * their values in `v` (other members of v are unused). */
struct event_patch {
    unsigned set;
    struct event v;
};

/* Copies the given fields into e. An event never moves to another venue:
 * a venue given that differs from e's (when e has one) is -ERR_INVALID_REQUEST
 * with details.field "venue". id, region and used are never changed. The
 * result is not validated: event_validate does that. */
int event_patch_apply(const struct event_patch *p, struct event *e, struct error_details *d);

/* ---- users (R27, R34) ---- */

/* R27/R34: a username is 1..USERNAME_MAX bytes of A-Z a-z 0-9 . _ @ - and
 * not a name kaiku gives its own actors: "key:ID" (a venue API key, ruled
 * out by the ':') or USERNAME_CLI. So no user shares an API key's or the
 * command line's idempotency keys (R27) or audit name (R34). Returns 0 or
 * -ERR_INVALID_REQUEST with details.field "username". */
int username_check(const char *name, struct error_details *d);

/* A venue holds at most API_KEYS_PER_VENUE keys not revoked: each key is
 * a way in, and a ticketing system needs one or two (a spare while one is
 * rotated). Returns 0 while `held` is below it, else -ERR_API_KEY_LIMIT. */
#define API_KEYS_PER_VENUE 20
int api_key_check_count(int64_t held);

/* ---- transfers (R3) and scopes (R32) ---- */

/* R3: requested → approved | rejected; anything else is
 * -ERR_TRANSFER_NOT_PENDING. */
int transfer_decide(enum transfer_status current, bool approve, enum transfer_status *next);

/* R32: national sees all; a coordinator their region; a distributor their
 * unit; venue staff their venue. */
bool scope_allows(const struct actor *a, const struct place *p);

/* R32: scope_allows as an answer: 0, or -ERR_FORBIDDEN. */
int scope_check(const struct actor *a, const struct place *p);
/* R32: may the actor manage the user `username`, whose scope lies at p?
 * With self_ok (a password change) acting on oneself is always allowed. */
int scope_check_user(const struct actor *a, const char *username, const struct place *p,
                     bool self_ok);

/* R32: which place a user's scope names, by role, and the request field to
 * blame when that place does not exist. */
enum scope_kind { SCOPE_NONE, SCOPE_REGION, SCOPE_UNIT, SCOPE_VENUE };
struct role_scope {
    enum scope_kind kind;
    const char *field; /* NULL for SCOPE_NONE */
};
/* Fills *out for `role`; -ERR_INVALID_REQUEST for an unknown role, a scope
 * missing for a role that needs one, or one given for national. */
int role_scope_of(enum role role, const char *scope, struct role_scope *out);
/* R32: the name of the place a user of `role` is scoped to ("region",
 * "unit" or "venue": the field of POST /users and the option of `kaiku user
 * add`), or "" for national and for a role out of range. */
const char *role_scope_field(enum role role);

/* R34: who reads the audit trail: national every row (*region NULL), a
 * coordinator the rows of their region (*region their scope); anyone else
 * -ERR_FORBIDDEN. */
int audit_gate(const struct actor *a, const char **region);
/* R30 (the whole country), R31: national only; else -ERR_FORBIDDEN. */
int report_gate_national(const struct actor *a);
/* R32 narrowing a listing of uses: the venue to list (the filter's, else a
 * venue's staff their own; NULL: every venue) and the region (a
 * coordinator's; NULL: every region). scope_allows stays the rule. */
const char *use_list_venue(const struct actor *a, const char *venue);
const char *use_list_region(const struct actor *a);

/* ---- custody of cards (R3, R12, R13) ---- */

/* R3: a transfer stays within one region and goes to another unit; else
 * -ERR_INVALID_REQUEST with details.field "to_unit". */
int transfer_check_route(const char *from_region, const char *from_unit, const char *to_region,
                         const char *to_unit, struct error_details *d);
/* R3: a code moves only from its unit's stock, not handed out, not
 * cancelled (-ERR_CARD_NOT_IN_UNIT_STOCK / _ALREADY_ISSUED / _CANCELLED with
 * details.code). */
int card_check_movable(const struct card *card, const char *from_unit, struct error_details *d);
/* R3, R12, R13: the actor may hand out this card: it lies in their scope (a
 * distributor: their unit's stock, else -ERR_CARD_NOT_IN_UNIT_STOCK; others
 * -ERR_FORBIDDEN), was not handed out before and is not cancelled (details.field
 * "card"). */
int handout_check_card(const struct actor *a, const struct card *card, struct error_details *d);
/* R13: the actor may cancel this card: in scope (-ERR_FORBIDDEN), not
 * cancelled already (-ERR_CARD_CANCELLED), with a reason of 1..TEXT_MAX_BYTES
 * bytes (-ERR_INVALID_REQUEST) that holds no identity data, phone number or
 * e-mail address (R10: -ERR_IDENTITY_DATA_REFUSED; the caller names the
 * field). */
int cancel_check(const struct actor *a, const struct card *card, const char *reason);

#endif
