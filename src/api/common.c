/* Pieces shared by the handlers: the JSON shapes of cards and users, path
 * ids, the health check and the OpenAPI document. */
#include "api/api.h"

#include "core/rules.h"
#include "http/json.h"
#include "api/site.h"
#include "http/dispatch.h"
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

int api_health_get(struct request *r)
{
    return reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int api_openapi_get(struct request *r)
{
    return reply_json(r, 200, api_openapi());
}

int api_page_begin(struct request *r, struct page *p)
{
    bool present;
    *p = (struct page){.limit = PAGE_LIMIT_DEFAULT};
    int rc = query_int(r, "limit", 1, PAGE_LIMIT_MAX, &p->limit, &present);
    if (rc == 0)
        rc = query_int(r, "after", 1, INT64_MAX, &p->after_id, &present);
    if (rc != 0)
        return rc;
    p->rows = json_array();
    return p->rows ? 0 : -ERR_INTERNAL;
}

bool api_page_full(struct page *p)
{
    if ((int64_t)json_array_size(p->rows) < p->limit)
        return false;
    p->more = true;
    return true;
}

int api_page_add(struct page *p, json_t *row, int64_t id)
{
    if (!row || json_array_append_new(p->rows, row) != 0)
        return -ERR_INTERNAL;
    p->last_id = id;
    return 0;
}

int api_page_reply(struct request *r, struct page *p, const char *name, int rc)
{
    if (rc != 0 && rc != PAGE_FULL) {
        json_decref(p->rows);
        return rc < 0 ? rc : -ERR_INTERNAL;
    }
    json_t *o = json_pack("{s:o}", name, p->rows);
    if (o && p->more) {
        char next[24];
        snprintf(next, sizeof next, "%lld", (long long)p->last_id);
        json_object_set_new(o, "next", json_string(next));
    }
    return reply_json(r, 200, o);
}

int api_field_card(struct request *r, const char *key, unsigned flags, char out[CODE_MAX + 1])
{
    const char *text;
    out[0] = '\0';
    /* No bound of its own: the body's is enough, and a code is judged by
     * card_code_normalize alone, so the answer does not depend on length. */
    int rc = field_text(r, key, flags, HTTP_BODY_MAX, &text);
    if (rc != 0 || !text)
        return rc;
    if (card_code_normalize(text, out) != 0) {
        out[0] = '\0';
        return req_fail(r, ERR_INVALID_CARD_CODE, key);
    }
    return 0;
}
