/* A PATCH (or POST) of an event, parsed before its transaction: the fields
 * given and their values, applied to the event the store loaded. */
#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

int event_patch_apply(const struct event_patch *p, struct event *e, struct error_details *d)
{
    const struct event *v = &p->v;
    unsigned set = p->set;
    if ((set & EP_VENUE) && e->venue[0] && strcmp(e->venue, v->venue) != 0)
        return error_field(d, ERR_INVALID_REQUEST, "venue"); /* an event stays at its venue */
    if (set & EP_VENUE)
        memcpy(e->venue, v->venue, sizeof e->venue);
    if (set & EP_NAME)
        memcpy(e->name, v->name, sizeof e->name);
    if (set & EP_KIND)
        e->kind = v->kind;
    if (set & EP_STARTS_AT)
        e->starts_at = v->starts_at;
    if (set & EP_CAPACITY)
        e->capacity = v->capacity;
    if (set & EP_CAP)
        e->cap = v->cap;
    if (set & EP_GUEST_PRODUCER)
        e->guest_producer = v->guest_producer;
    if (set & EP_BOOKING_OPENS)
        e->booking_opens_days = v->booking_opens_days;
    if (set & EP_COLLECTION_OPENS)
        e->collection_opens_minutes = v->collection_opens_minutes;
    if (set & EP_EXCLUDED)
        e->excluded = v->excluded;
    if (set & EP_EXCLUSION_REASON)
        memcpy(e->exclusion_reason, v->exclusion_reason, sizeof e->exclusion_reason);
    return 0;
}
