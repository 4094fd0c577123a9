/* The one error table of kaiku. Every layer returns these codes: core and
 * store functions return 0 or -ERR_x; the HTTP layer maps ERR_x to its status
 * and stable code string (api.md's table), the CLI prints the message.
 * Messages in Finnish, Swedish and English live in the catalogues
 * po/fi.po, sv.po and en.po, under the key "error." and the code string
 * (e.g. "error.cap_reached"); core/i18n.h reads them. */
#ifndef KAIKU_CORE_ERROR_H
#define KAIKU_CORE_ERROR_H

#include <stdint.h>

#include "core/i18n.h"

/* X(name, code string, HTTP status) */
#define KAIKU_ERRORS(X)                                      \
    X(INVALID_REQUEST, "invalid_request", 400)               \
    X(INVALID_CARD_CODE, "invalid_card_code", 400)           \
    X(INVALID_BIRTH_YEAR, "invalid_birth_year", 400)         \
    X(INVALID_POSTAL_CODE, "invalid_postal_code", 400)       \
    X(INVALID_LANGUAGE, "invalid_language", 400)             \
    X(INVALID_GENDER, "invalid_gender", 400)                 \
    X(INVALID_LIFE_SITUATION, "invalid_life_situation", 400) \
    X(IDENTITY_DATA_REFUSED, "identity_data_refused", 400)   \
    X(UNAUTHENTICATED, "unauthenticated", 401)               \
    X(FORBIDDEN, "forbidden", 403)                           \
    X(NOT_FOUND, "not_found", 404)                           \
    X(CARD_UNKNOWN, "card_unknown", 404)                     \
    X(METHOD_NOT_ALLOWED, "method_not_allowed", 405)         \
    X(CODE_TAKEN, "code_taken", 409)                         \
    X(ALREADY_EXISTS, "already_exists", 409)                 \
    X(CARD_ALREADY_ISSUED, "card_already_issued", 409)       \
    X(IDEMPOTENCY_CONFLICT, "idempotency_conflict", 409)     \
    X(TRANSFER_NOT_PENDING, "transfer_not_pending", 409)     \
    X(API_KEY_LIMIT, "api_key_limit", 409)                   \
    X(BODY_TOO_LARGE, "body_too_large", 413)                 \
    X(UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415) \
    X(TOO_YOUNG, "too_young", 422)                           \
    X(HANDOUT_IN_FUTURE, "handout_in_future", 422)           \
    X(CARD_NOT_IN_UNIT_STOCK, "card_not_in_unit_stock", 422) \
    X(CARD_NOT_ISSUED, "card_not_issued", 422)               \
    X(CARD_CANCELLED, "card_cancelled", 422)                 \
    X(CARD_EXPIRED, "card_expired", 422)                     \
    X(EVENT_EXCLUDED, "event_excluded", 422)                 \
    X(COMMUNITY_CARD_COURSE, "community_card_course", 422)   \
    X(COURSE_CHILD_TICKET, "course_child_ticket", 422)       \
    X(DUPLICATE_ADULT_TICKET, "duplicate_adult_ticket", 422) \
    X(BOOKING_NOT_OPEN, "booking_not_open", 422)             \
    X(COLLECTION_NOT_OPEN, "collection_not_open", 422)       \
    X(CAP_TOO_LOW, "cap_too_low", 422)                       \
    X(CAP_BELOW_USED, "cap_below_used", 422)                 \
    X(CAP_REACHED, "cap_reached", 422)                       \
    X(RENEWS_INVALID, "renews_invalid", 422)                 \
    X(RATE_LIMITED, "rate_limited", 429)                     \
    X(INTERNAL, "internal", 500)                             \
    X(UNAVAILABLE, "unavailable", 503)

enum kaiku_error {
    ERR_NONE = 0,
#define X(name, code, status) ERR_##name,
    KAIKU_ERRORS(X)
#undef X
        ERR_COUNT
};

/* Extra facts an error carries to the client as `details`. `field` names the
 * offending input; `key`/`value` carry one number such as
 * details.minimum (cap_too_low) or details.remaining (cap_reached); when
 * `value_is_time` the value is an instant, shown as a date-time
 * (details.opens_at). Strings are static. */
struct error_details {
    const char *field;
    const char *key;
    int64_t value;
    int value_is_time;
    char text[72]; /* when set, details[key] is this string instead of value */
};

/* Stable code string, e.g. "cap_reached". err may be negative. */
const char *error_code(int err);
int error_status(int err);
/* The message in lang, from its catalogue (static). */
const char *error_message(int err, enum lang lang);
/* Every catalogue key error_message() may ask for ("error.ok" …). */
extern const struct i18n_keys error_keys;

/* Sets details; returns -err so that `return error_set(d, ERR_X, ...)` reads
 * naturally. d may be NULL. */
int error_field(struct error_details *d, int err, const char *field);
int error_value(struct error_details *d, int err, const char *key, int64_t value, int is_time);
int error_text(struct error_details *d, int err, const char *key, const char *text);

#endif
