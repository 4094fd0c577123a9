/* The audit trail (R34): the row every change writes in its own
 * transaction, and the listing national and coordinators read. */
#include <stdio.h>
#include <string.h>

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

/* R30 against differencing (docs/privacy.md): the entries whose card code a
 * coordinator does not see. A handout's entry names its card and the moment
 * it was recorded; beside a cardholder report read before and after it, that
 * would tie the card to the background that moved. National sees them whole. */
static const char *const code_hidden_from_coordinators[] = {"handout.record"};

static int audit_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    struct audit_entry *e = row;
    for (size_t i = 0;
         l->a->role == ROLE_COORDINATOR &&
         i < sizeof code_hidden_from_coordinators / sizeof *code_hidden_from_coordinators;
         i++)
        if (strcmp(e->action, code_hidden_from_coordinators[i]) == 0) {
            char *colon = strchr(e->object, ':'); /* "card:E2251" → "card" */
            if (colon)
                *colon = '\0';
        }
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
