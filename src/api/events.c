/* Events (R15–R17). Listings show the restrictions wherever an event is
 * listed (R17): excluded and why, and when booking and collection open. */
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/json.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

static json_t *event_json(const struct event *e)
{
    json_t *o = json_pack(
        "{s:I, s:s, s:o, s:s, s:s, s:o, s:i, s:o, s:b, s:o, s:o, s:b, s:s, s:i, s:i}", "id",
        (json_int_t)e->id, "venue", e->venue, "region",
        e->region[0] ? json_string(e->region) : json_null(), "name", e->name, "kind",
        name_of(&event_kind_names, (int)e->kind), "starts_at", jw_datetime(e->starts_at),
        "capacity", (int)e->capacity, "cap", jw_opt_int(e->cap, e->cap >= 0), "guest_producer",
        e->guest_producer, "booking_opens_days",
        jw_opt_int(e->booking_opens_days, e->booking_opens_days >= 0), "collection_opens_minutes",
        jw_opt_int(e->collection_opens_minutes, e->collection_opens_minutes >= 0), "excluded",
        e->excluded, "exclusion_reason", e->exclusion_reason, "used", (int)e->used, "remaining",
        (int)caps_remaining(e));
    if (o && e->booking_opens_days >= 0)
        json_object_set_new(o, "booking_opens_at", jw_datetime(window_booking_opens(e)));
    if (o && e->collection_opens_minutes >= 0)
        json_object_set_new(o, "collection_opens_at", jw_datetime(window_collection_opens(e)));
    return o;
}

/* The fields of an event as given in a POST or PATCH body, parsed into a
 * patch before any transaction; absent fields are left as they are, and a
 * nullable one given null is cleared (-1 or ""). */
static int parse_patch(struct request *r, struct event_patch *p)
{
    struct event *e = &p->v;
    const char *venue = NULL, *name = NULL, *reason = NULL;
    int64_t capacity = 0, cap = 0, booking = 0, collection = 0;
    int kind = 0, rc;

    *p = (struct event_patch){0};
    if ((rc = field_slug(r, "venue", 0, &venue)) < 0 ||
        (rc = field_text(r, "name", 0, NAME_MAX_BYTES, &name)) < 0 ||
        (rc = field_enum(r, "kind", 0, &event_kind_names, &kind)) < 0 ||
        (rc = field_datetime(r, "starts_at", 0, &e->starts_at)) < 0 ||
        (rc = field_int(r, "capacity", 0, 1, CAPACITY_MAX, &capacity)) < 0 ||
        (rc = field_int(r, "cap", FIELD_NULLABLE, 0, CAPACITY_MAX, &cap)) < 0 ||
        (rc = field_bool(r, "guest_producer", 0, &e->guest_producer)) < 0 ||
        (rc = field_int(r, "booking_opens_days", FIELD_NULLABLE, 0, BOOKING_OPENS_DAYS_MAX,
                        &booking)) < 0 ||
        (rc = field_int(r, "collection_opens_minutes", FIELD_NULLABLE, 0,
                        COLLECTION_OPENS_MINUTES_MAX, &collection)) < 0 ||
        (rc = field_bool(r, "excluded", 0, &e->excluded)) < 0 ||
        (rc = field_text(r, "exclusion_reason", FIELD_NULLABLE | FIELD_EMPTY_OK, TEXT_MAX_BYTES,
                         &reason)) < 0)
        return rc;

    /* Which fields the body names, and the bit each sets in the patch. */
    static const struct {
        const char *key;
        unsigned bit;
    } fields[] = {
        {"venue", EP_VENUE},
        {"name", EP_NAME},
        {"kind", EP_KIND},
        {"starts_at", EP_STARTS_AT},
        {"capacity", EP_CAPACITY},
        {"cap", EP_CAP},
        {"guest_producer", EP_GUEST_PRODUCER},
        {"booking_opens_days", EP_BOOKING_OPENS},
        {"collection_opens_minutes", EP_COLLECTION_OPENS},
        {"excluded", EP_EXCLUDED},
        {"exclusion_reason", EP_EXCLUSION_REASON},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (field_state(r, fields[i].key) != FIELD_ABSENT)
            p->set |= fields[i].bit;

    if (venue)
        str_copy(e->venue, sizeof e->venue, venue);
    if (name)
        str_copy(e->name, sizeof e->name, name);
    e->kind = (enum event_kind)kind;
    e->capacity = (int32_t)capacity;
    e->cap = field_state(r, "cap") == FIELD_NULL ? -1 : (int32_t)cap;
    e->booking_opens_days =
        field_state(r, "booking_opens_days") == FIELD_NULL ? -1 : (int32_t)booking;
    e->collection_opens_minutes =
        field_state(r, "collection_opens_minutes") == FIELD_NULL ? -1 : (int32_t)collection;
    str_copy(e->exclusion_reason, sizeof e->exclusion_reason, reason ? reason : "");
    return 0;
}

int api_events_create(struct request *r)
{
    /* The route's table (api/site.c) has made sure the required fields are there. */
    struct event_patch p;
    struct event e = {.cap = -1, .booking_opens_days = -1, .collection_opens_minutes = -1};
    int rc = parse_patch(r, &p);
    if (rc == 0)
        rc = event_patch_apply(&p, &e, &r->details);
    if (rc != 0)
        return rc;
    if ((rc = store_event_add(r->store, &r->actor, &e, &r->details)) != 0)
        return rc;
    return reply_json(r, 201, event_json(&e));
}

int api_events_update(struct request *r)
{
    int64_t id;
    int rc = api_param_id(r, 0, &id);
    if (rc != 0)
        return rc;
    struct event_patch p;
    struct event e;
    if ((rc = parse_patch(r, &p)) != 0)
        return rc;
    if ((rc = store_event_update(r->store, &r->actor, id, &p, &e, &r->details)) != 0)
        return rc;
    return reply_json(r, 200, event_json(&e));
}

int api_events_get(struct request *r)
{
    int64_t id;
    int rc = api_param_id(r, 0, &id);
    if (rc != 0)
        return rc;
    struct event e;
    if ((rc = store_event_get(r->store, id, &e)) != 0)
        return rc;
    return reply_json(r, 200, event_json(&e));
}

static int add_event(void *ctx, const struct event *e)
{
    return json_array_append_new(ctx, event_json(e)) == 0 ? 0 : -ERR_INTERNAL;
}

int api_events_list(struct request *r)
{
    const char *venue = req_query(r, "venue");
    int32_t from, to;
    int rc;
    if (venue && !str_is_slug(venue, ID_MAX))
        return req_fail(r, ERR_INVALID_REQUEST, "venue");
    if ((rc = query_date(r, "from", &from)) != 0 || (rc = query_date(r, "to", &to)) != 0)
        return rc;
    if (from >= 0 && to >= 0 && to < from)
        return req_fail(r, ERR_INVALID_REQUEST, "to");
    /* Dates are Finnish days, both inclusive. */
    struct event_filter f = {.venue = venue ? venue : "",
                             .from = from >= 0 ? hki_from_local(from, 0) : 0,
                             .to = to >= 0 ? hki_from_local(to + 1, 0) : 0};
    json_t *list = json_array();
    if ((rc = store_event_list(r->store, &f, add_event, list)) != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "events", list));
}
