/* Booking and collection windows (R17), on Finnish clocks. */
#include "core/rules.h"
#include "util/date.h"

int64_t window_booking_opens(const struct event *e)
{
    int32_t day;
    int sec;
    hki_to_local(e->starts_at, &day, &sec);
    return hki_from_local(day - e->booking_opens_days, sec);
}

int64_t window_collection_opens(const struct event *e)
{
    return e->starts_at - (int64_t)e->collection_opens_minutes * 60;
}

int window_check(const struct event *e, enum channel channel, int64_t now, struct error_details *d)
{
    if (now >= e->starts_at)
        return 0; /* started or past: a back-entry from paper */
    if (e->booking_opens_days >= 0) {
        int64_t opens = window_booking_opens(e);
        if (now < opens)
            return error_value(d, ERR_BOOKING_NOT_OPEN, "opens_at", opens, 1);
    }
    if (e->collection_opens_minutes >= 0 && channel == CHANNEL_BOX_OFFICE) {
        int64_t opens = window_collection_opens(e);
        if (now < opens)
            return error_value(d, ERR_COLLECTION_NOT_OPEN, "opens_at", opens, 1);
    }
    return 0;
}
