/* The audit log (R34): national sees all, a coordinator their region. */
#include "api/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/date.h"

static int add_entry(void *ctx, const struct audit_entry *e)
{
    json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at",
                          jw_datetime(e->at), "user", e->user, "action", e->action, "object",
                          e->object, "address", e->address);
    return json_array_append_new(ctx, o) == 0 ? 0 : -ERR_INTERNAL;
}

int audit_list(struct request *r)
{
    int32_t from, to;
    int rc;
    if ((rc = query_date(r, "from", &from)) != 0 || (rc = query_date(r, "to", &to)) != 0)
        return rc;
    /* Finnish days, both inclusive. */
    int64_t at_from = from >= 0 ? hki_from_local(from, 0) : 0;
    int64_t at_to = to >= 0 ? hki_from_local(to + 1, 0) : 0;
    json_t *list = json_array();
    if ((rc = store_audit_list(r->store, &r->actor, at_from, at_to, add_entry, list)) != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "audit", list));
}
