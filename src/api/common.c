/* Pieces shared by the handlers: the JSON shapes of cards and users, path
 * ids, the health check and the OpenAPI document. */
#include "api/api.h"

#include "core/rules.h"
#include "http/json.h"
#include "http/router.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

json_t *api_card_json(const struct card *c, int64_t now)
{
    /* R33: nothing about the holder, nor where the card is. */
    enum card_status status = card_status_on(c, hki_day(now));
    return json_pack("{s:s, s:s, s:s, s:o}", "code", c->code, "kind",
                     name_of(&card_kind_names, (int)c->kind), "status",
                     name_of(&card_status_names, (int)status), "valid_until",
                     c->issued ? jw_date(c->valid_until) : json_null());
}

json_t *api_user_json(const struct user *u)
{
    static const char *const scope_key[ROLE_COUNT] = {[ROLE_NATIONAL] = NULL,
                                                      [ROLE_COORDINATOR] = "region",
                                                      [ROLE_DISTRIBUTOR] = "unit",
                                                      [ROLE_VENUE] = "venue"};
    json_t *o = json_pack("{s:s, s:s, s:b}", "username", u->username, "role",
                          name_of(&role_names, (int)u->role), "disabled", u->disabled);
    if (o && (unsigned)u->role < ROLE_COUNT && scope_key[u->role])
        json_object_set_new(o, scope_key[u->role], json_string(u->scope));
    return o;
}

int api_param_id(struct request *r, int i, int64_t *out)
{
    if (!r->params[i] || str_to_i64(r->params[i], 1, INT64_MAX, out) != 0)
        return -ERR_NOT_FOUND;
    return 0;
}

int health_get(struct request *r)
{
    return reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int openapi_get(struct request *r)
{
    return reply_json(r, 200, router_openapi());
}
