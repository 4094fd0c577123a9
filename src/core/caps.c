/* Event caps (R15), capacity (R16) and the event's own fields. */
#include <string.h>

#include "core/rules.h"

/* ⌈5 % of capacity⌉ */
static int32_t five_percent(int32_t capacity)
{
    return (int32_t)(((int64_t)capacity * 5 + 99) / 100);
}

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

int32_t caps_minimum(int32_t capacity, enum event_kind kind, bool guest_producer)
{
    /* R15: every line that applies gives a minimum; the lowest wins. */
    int32_t p = five_percent(capacity);
    int32_t lowest = p; /* "otherwise" */
    if (capacity <= 10)
        lowest = 0;
    if (guest_producer || kind == EVENT_COURSE || capacity <= 50)
        lowest = min32(lowest, min32(p, 2));
    if (kind == EVENT_DAILY || capacity > 1000)
        lowest = min32(lowest, min32(p, 20));
    return lowest;
}

int32_t caps_remaining(const struct event *e)
{
    int32_t limit = e->cap >= 0 ? min32(e->cap, e->capacity) : e->capacity;
    return limit > e->used ? limit - e->used : 0;
}

int event_validate(const struct event *e, struct error_details *d)
{
    size_t name_len = strlen(e->name);
    if (name_len == 0 || name_len > NAME_MAX_BYTES)
        return error_field(d, ERR_INVALID_REQUEST, "name");
    if ((unsigned)e->kind >= EVENT_KIND_COUNT)
        return error_field(d, ERR_INVALID_REQUEST, "kind");
    if (e->capacity < 1 || e->capacity > CAPACITY_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "capacity");
    if (e->booking_opens_days < -1 || e->booking_opens_days > BOOKING_OPENS_DAYS_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "booking_opens_days");
    if (e->collection_opens_minutes < -1 ||
        e->collection_opens_minutes > COLLECTION_OPENS_MINUTES_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "collection_opens_minutes");
    if (e->excluded && e->exclusion_reason[0] == '\0')
        return error_field(d, ERR_INVALID_REQUEST, "exclusion_reason");
    int rc;
    if ((rc = identity_free_text_check(e->name, "name", d)) != 0 || /* R10 */
        (rc = identity_free_text_check(e->exclusion_reason, "exclusion_reason", d)) != 0)
        return rc;
    if (e->cap >= 0) {
        int32_t minimum = caps_minimum(e->capacity, e->kind, e->guest_producer);
        if (e->cap < minimum)
            return error_value(d, ERR_CAP_TOO_LOW, "minimum", minimum, 0);
        if (e->cap > e->capacity)
            return error_field(d, ERR_INVALID_REQUEST, "cap");
        if (e->cap < e->used)
            return error_value(d, ERR_CAP_BELOW_USED, "used", e->used, 0);
    } else if (e->cap < -1) {
        return error_field(d, ERR_INVALID_REQUEST, "cap");
    }
    if (e->capacity < e->used)
        return error_value(d, ERR_CAP_BELOW_USED, "used", e->used, 0);
    return 0;
}
