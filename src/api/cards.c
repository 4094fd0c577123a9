/* Card lookup (R33: code, kind, status and validity only) and cancel (R13).
 * Failed lookups are rate-limited per user and address (429). */
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/json.h"
#include "http/ratelimit.h"
#include "store/store.h"
#include "util/strutil.h"

static void limiter_key(const struct request *r, char *out, size_t cap)
{
    snprintf(out, cap, "%s|%s", r->actor.user, r->actor.address);
}

int cards_get(struct request *r)
{
    char key[USERNAME_MAX + ADDRESS_MAX + 2];
    limiter_key(r, key, sizeof key);
    int64_t retry = 0;
    int rc = ratelimit_check(key, r->actor.now, &retry);
    if (rc != 0) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)retry);
        reply_header(r, "Retry-After", arena_strdup(&r->arena, buf));
        return error_value(&r->details, ERR_RATE_LIMITED, "retry_after", retry, 0);
    }
    char code[CODE_MAX + 1];
    if (card_code_normalize(r->params[0], code) != 0)
        return -ERR_INVALID_CARD_CODE;
    struct card c;
    rc = store_card_get(r->store, code, &c);
    if (rc == -ERR_CARD_UNKNOWN)
        ratelimit_fail(key, r->actor.now);
    if (rc != 0)
        return rc;
    return reply_json(r, 200, api_card_json(&c, r->actor.now));
}

int cards_cancel(struct request *r)
{
    char code[CODE_MAX + 1];
    const char *reason;
    int rc;
    if (card_code_normalize(r->params[0], code) != 0)
        return -ERR_INVALID_CARD_CODE;
    if ((rc = jf_string(r, "reason", JF_REQUIRED, TEXT_MAX_BYTES, &reason)) < 0)
        return rc;
    struct card c;
    if ((rc = store_card_cancel(r->store, &r->actor, code, reason, &c)) != 0)
        return rc;
    return reply_json(r, 200, api_card_json(&c, r->actor.now));
}
