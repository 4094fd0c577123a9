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

/* The fields of an event as given in a POST or PATCH body; absent fields
 * are left as they are. */
struct event_patch {
    struct request *r;
};

static int apply_fields(void *ctx, struct event *e)
{
    struct request *r = ((struct event_patch *)ctx)->r;
    const char *s;
    int64_t v;
    int kind, rc;
    bool b;

    if ((rc = jf_slug(r, "venue", 0, &s)) < 0)
        return rc;
    if (rc == JF_SET)
        str_copy(e->venue, sizeof e->venue, s);
    if ((rc = jf_string(r, "name", 0, NAME_MAX_BYTES, &s)) < 0)
        return rc;
    if (rc == JF_SET)
        str_copy(e->name, sizeof e->name, s);
    if ((rc = jf_enum(r, "kind", 0, &event_kind_names, &kind)) < 0)
        return rc;
    if (rc == JF_SET)
        e->kind = (enum event_kind)kind;
    if ((rc = jf_datetime(r, "starts_at", 0, &e->starts_at)) < 0)
        return rc;
    if ((rc = jf_int(r, "capacity", 0, 1, CAPACITY_MAX, &v)) < 0)
        return rc;
    if (rc == JF_SET)
        e->capacity = (int32_t)v;
    if ((rc = jf_int(r, "cap", JF_NULLABLE, 0, CAPACITY_MAX, &v)) < 0)
        return rc;
    if (rc != JF_ABSENT)
        e->cap = rc == JF_SET ? (int32_t)v : -1;
    if ((rc = jf_bool(r, "guest_producer", 0, &b)) < 0)
        return rc;
    if (rc == JF_SET)
        e->guest_producer = b;
    if ((rc = jf_int(r, "booking_opens_days", JF_NULLABLE, 0, BOOKING_OPENS_DAYS_MAX, &v)) < 0)
        return rc;
    if (rc != JF_ABSENT)
        e->booking_opens_days = rc == JF_SET ? (int32_t)v : -1;
    if ((rc = jf_int(r, "collection_opens_minutes", JF_NULLABLE, 0, COLLECTION_OPENS_MINUTES_MAX,
                     &v)) < 0)
        return rc;
    if (rc != JF_ABSENT)
        e->collection_opens_minutes = rc == JF_SET ? (int32_t)v : -1;
    if ((rc = jf_bool(r, "excluded", 0, &b)) < 0)
        return rc;
    if (rc == JF_SET)
        e->excluded = b;
    if ((rc = jf_string(r, "exclusion_reason", JF_NULLABLE | JF_EMPTY_OK, TEXT_MAX_BYTES, &s)) < 0)
        return rc;
    if (rc != JF_ABSENT)
        str_copy(e->exclusion_reason, sizeof e->exclusion_reason, s ? s : "");
    return 0;
}

int events_create(struct request *r)
{
    static const char *const required[] = {"venue", "name", "kind", "starts_at", "capacity"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!json_object_get(r->body, required[i]))
            return req_fail(r, ERR_INVALID_REQUEST, required[i]);
    struct event e = {.cap = -1, .booking_opens_days = -1, .collection_opens_minutes = -1};
    struct event_patch p = {r};
    int rc = apply_fields(&p, &e);
    if (rc < 0)
        return rc;
    if ((rc = store_event_add(r->store, &r->actor, &e, &r->details)) != 0)
        return rc;
    return reply_json(r, 201, event_json(&e));
}

int events_update(struct request *r)
{
    int64_t id;
    int rc = api_param_id(r, 0, &id);
    if (rc != 0)
        return rc;
    struct event_patch p = {r};
    struct event e;
    if ((rc = store_event_update(r->store, &r->actor, id, apply_fields, &p, &e, &r->details)) != 0)
        return rc;
    return reply_json(r, 200, event_json(&e));
}

int events_get(struct request *r)
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

int events_list(struct request *r)
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
