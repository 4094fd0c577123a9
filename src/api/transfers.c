/* Transfers of card codes between units of a region (R3). */
#include "api/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/strutil.h"

static json_t *transfer_json(const struct transfer *t)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o}", "id", (json_int_t)t->id,
                     "from_unit", t->from_unit, "to_unit", t->to_unit, "region", t->region,
                     "status", name_of(&transfer_status_names, (int)t->status), "count",
                     (int)t->count, "requested_by", t->requested_by, "requested_at",
                     jw_datetime(t->requested_at), "decided_by",
                     t->decided_at ? json_string(t->decided_by) : json_null(), "decided_at",
                     jw_datetime(t->decided_at));
}

int api_transfers_create(struct request *r)
{
    const char *from, *to;
    char(*codes)[CODE_MAX + 1] = NULL;
    size_t n = 0;
    int rc;
    if ((rc = api_codes(r, "codes", &codes, &n)) < 0 ||
        (rc = field_slug(r, "from_unit", FIELD_REQUIRED, &from)) < 0 ||
        (rc = field_slug(r, "to_unit", FIELD_REQUIRED, &to)) < 0)
        return rc;
    int64_t id = 0;
    rc = store_transfer_request(r->store, &r->actor, (const char(*)[CODE_MAX + 1]) codes, n, from,
                                to, &id, &r->details);
    if (rc != 0)
        return rc;
    return reply_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "requested"));
}

static int add_transfer(void *ctx, const struct transfer *t)
{
    return json_array_append_new(ctx, transfer_json(t)) == 0 ? 0 : -ERR_INTERNAL;
}

int api_transfers_list(struct request *r)
{
    const char *s = req_query(r, "status");
    int status = -1;
    if (s && (status = name_lookup(&transfer_status_names, s)) < 0)
        return req_fail(r, ERR_INVALID_REQUEST, "status");
    json_t *list = json_array();
    int rc = store_transfer_list(r->store, &r->actor, status, add_transfer, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "transfers", list));
}

static int decide(struct request *r, bool approve)
{
    int64_t id;
    int rc = api_param_id(r, 0, &id);
    if (rc != 0)
        return rc;
    struct transfer t;
    if ((rc = store_transfer_decide(r->store, &r->actor, id, approve, &t, &r->details)) != 0)
        return rc;
    return reply_json(r, 200,
                      json_pack("{s:I, s:s}", "id", (json_int_t)t.id, "status",
                                name_of(&transfer_status_names, (int)t.status)));
}

int api_transfers_approve(struct request *r)
{
    return decide(r, true);
}

int api_transfers_reject(struct request *r)
{
    return decide(r, false);
}
