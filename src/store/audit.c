/* The audit trail (R34): the row every change writes in its own
 * transaction, and the listing national and coordinators read. */
#include <stdio.h>

#include "store/tx.h"

int audit_add(struct bk_tx *t, const struct actor *a, const char *action, const char *kind,
              const char *id, const char *region)
{
    char object[AUDIT_OBJECT_MAX + 1];
    snprintf(object, sizeof object, "%s:%s", kind, id);
    return tx_exec(t, S_AUDIT_ADD,
                   BK_ARGS(bk_int(a->now), bk_text(a->user), bk_text(action), bk_text(object),
                           bk_text(a->address), bk_opt_text(region)));
}

int audit_add_id(struct bk_tx *t, const struct actor *a, const char *action, const char *kind,
                 int64_t id, const char *region)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    return audit_add(t, a, action, kind, text, region);
}

static int audit_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.audit(l->ctx, row);
}

int store_audit_list(struct store *s, const struct actor *a, const struct audit_filter *f,
                     store_audit_fn fn, void *ctx)
{
    const char *region = NULL;
    int rc = audit_gate(a, &region); /* R34: national all, a coordinator their region */
    if (rc != 0)
        return rc;
    struct list_to l = {a, {.audit = fn}, ctx};
    struct audit_entry e;
    return store_each(s, S_AUDIT_LIST,
                      BK_ARGS(bk_int(f ? f->from : 0), bk_int(f ? f->to : 0), bk_opt_text(region),
                              bk_int(f ? f->after_id : 0)),
                      ROW_AUDIT, &e, audit_row, &l);
}
