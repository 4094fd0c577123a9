/* Events (R15–R17, R22): adding, changing (a parsed PATCH), listing. */
#include <stdlib.h>
#include <string.h>

#include "store/tx.h"
#include "util/strutil.h"

/* An event's own fields as EVENT_ADD's ?2..?11 and EVENT_SET's ?1..?10. */
#define EVENT_FIELDS(e)                                                      \
    bk_text((e)->name), bk_text(name_of(&event_kind_names, (int)(e)->kind)), \
        bk_int((e)->starts_at), bk_int((e)->capacity), bk_opt_int((e)->cap), \
        bk_int((e)->guest_producer), bk_opt_int((e)->booking_opens_days),    \
        bk_opt_int((e)->collection_opens_minutes), bk_int((e)->excluded),    \
        bk_text((e)->exclusion_reason)

struct event_add {
    const struct actor *a;
    struct event *e;
    struct error_details *d;
};

static int event_add_tx(struct bk_tx *t, void *ctx)
{
    struct event_add *c = ctx;
    struct event *e = c->e;
    struct place_buf place;
    int rc = place_in_scope(t, c->a, S_PLACE_VENUE, e->venue, &place, c->d, "venue");
    if (rc == 0) {
        str_copy(e->region, sizeof e->region, place.region);
        e->used = 0;
        rc = event_validate(e, c->d); /* R15–R17 */
    }
    if (rc == 0)
        rc = tx_insert(t, S_EVENT_ADD, BK_ARGS(bk_text(e->venue), EVENT_FIELDS(e)), &e->id);
    if (rc == 0)
        rc = audit_add_id(t, c->a, "event.add", "event", e->id, place.region);
    return rc;
}

int store_event_add(struct store *s, const struct actor *a, struct event *e,
                    struct error_details *d)
{
    struct event_add c = {a, e, d};
    return store_write(s, event_add_tx, &c);
}

int store_event_get(struct store *s, int64_t id, struct event *out)
{
    return store_get_one(s, S_EVENT_GET, bk_int(id), ROW_EVENT, out, -ERR_NOT_FOUND);
}

int event_in_scope(struct bk_tx *t, const struct actor *a, int64_t id, struct event *e,
                   struct error_details *d)
{
    /* Read for update: the row stays as read until the transaction ends (R16). */
    int rc =
        tx_need(t, S_EVENT_LOCK, BK_ARGS(bk_int(id)), ROW_EVENT, e, -ERR_NOT_FOUND, d, "event");
    if (rc == 0) {
        const struct place p = {e->region, "", e->venue};
        rc = scope_check(a, &p); /* R32 */
    }
    return rc;
}

struct event_update {
    const struct actor *a;
    int64_t id;
    const struct event_patch *p;
    struct event *e; /* the event as changed */
    struct error_details *d;
};

static int event_update_tx(struct bk_tx *t, void *ctx)
{
    struct event_update *c = ctx;
    struct event *e = c->e;
    int rc = event_in_scope(t, c->a, c->id, e, c->d);
    if (rc == 0)
        rc = event_patch_apply(c->p, e, c->d); /* the id, venue and `used` stay */
    if (rc == 0)
        rc = event_validate(e, c->d);
    if (rc == 0)
        rc = tx_exec(t, S_EVENT_SET, BK_ARGS(EVENT_FIELDS(e), bk_int(c->id)));
    if (rc == 0)
        rc = audit_add_id(t, c->a, "event.update", "event", c->id, e->region);
    return rc;
}

int store_event_update(struct store *s, const struct actor *a, int64_t id,
                       const struct event_patch *p, struct event *out, struct error_details *d)
{
    struct event *e = malloc(sizeof *e); /* 2 KiB: off the stack */
    struct event_update c = {a, id, p, e, d};
    int rc = e ? store_write(s, event_update_tx, &c) : -ERR_UNAVAILABLE;
    if (rc == 0 && out)
        *out = *e;
    free(e);
    return rc;
}

static int event_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.event(l->ctx, row);
}

int store_event_list(struct store *s, const struct event_filter *f, store_event_fn fn, void *ctx)
{
    struct list_to l = {NULL, {.event = fn}, ctx};
    struct event *e = malloc(sizeof *e);
    /* A venue's events are drawn from that venue's alone (its index). */
    enum stmt stmt = f && f->venue && f->venue[0] ? S_EVENT_LIST_VENUE : S_EVENT_LIST;
    int rc = e ? store_each(s, stmt,
                            BK_ARGS(bk_opt_text(f ? f->venue : NULL), bk_int(f ? f->from : 0),
                                    bk_int(f ? f->to : 0)),
                            ROW_EVENT, e, event_row, &l)
               : -ERR_UNAVAILABLE;
    free(e);
    return rc;
}
