/* Card lookup (R33: code, kind, status and validity only) and cancel (R13). */
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/json.h"
#include "store/store.h"
#include "util/strutil.h"

/* Failed lookups count against the caller's guessing budget in the server
 * (ROUTE_CARD_CODES in the route table, api/site.c). */
int api_cards_get(struct request *r)
{
    char code[CODE_MAX + 1];
    if (card_code_normalize(r->params[0], code) != 0)
        return -ERR_INVALID_CARD_CODE;
    struct card c;
    int rc = store_card_get(r->store, code, &c);
    if (rc != 0)
        return rc;
    return reply_json(r, 200, api_card_json(&c, r->actor.now));
}

int api_cards_cancel(struct request *r)
{
    char code[CODE_MAX + 1];
    const char *reason;
    int rc;
    if (card_code_normalize(r->params[0], code) != 0)
        return -ERR_INVALID_CARD_CODE;
    if ((rc = field_text(r, "reason", FIELD_REQUIRED, TEXT_MAX_BYTES, &reason)) < 0)
        return rc;
    struct card c;
    rc = store_card_cancel(r->store, &r->actor, code, reason, &c);
    if (rc == -ERR_IDENTITY_DATA_REFUSED) /* R10, decided by the core's cancel_check */
        return req_fail(r, ERR_IDENTITY_DATA_REFUSED, "reason");
    if (rc != 0)
        return rc;
    return reply_json(r, 200, api_card_json(&c, r->actor.now));
}
