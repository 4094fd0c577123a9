/* The audit log (R34): national sees all, a coordinator their region. */
#include "api/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/date.h"

static int add_entry(void *ctx, const struct audit_entry *e)
{
    struct page *p = ctx;
    if (api_page_full(p))
        return PAGE_FULL;
    json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at",
                          jw_datetime(e->at), "user", e->user, "action", e->action, "object",
                          e->object, "address", e->address);
    return api_page_add(p, o, e->id);
}

/* Paged (api_page_begin): the audit of a whole country does not fit one reply. */
int api_audit_list(struct request *r)
{
    int32_t from, to;
    struct page p;
    int rc;
    if ((rc = query_date(r, "from", &from)) != 0 || (rc = query_date(r, "to", &to)) != 0 ||
        (rc = api_page_begin(r, &p)) != 0)
        return rc;
    /* Finnish days, both inclusive. */
    const struct audit_filter f = {
        .from = from >= 0 ? hki_from_local(from, 0) : 0,
        .to = to >= 0 ? hki_from_local(to + 1, 0) : 0,
        .after_id = p.after_id,
    };
    rc = store_audit_list(r->store, &r->actor, &f, add_entry, &p);
    return api_page_reply(r, &p, "audit", rc);
}
