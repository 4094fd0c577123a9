/* Uses: the tickets a card gets (R19–R27). Recording is idempotent with a
 * key from the body or the Idempotency-Key header: the same request again
 * gets the first use back with 200; another request with the same key is
 * 409 idempotency_conflict (the store compares them). */
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/json.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

static json_t *use_json(const struct use *u)
{
    return json_pack("{s:I, s:s, s:I, s:i, s:i, s:i, s:s, s:s, s:o}", "id", (json_int_t)u->id,
                     "card", u->card, "event", (json_int_t)u->event, "adult", (int)u->adult,
                     "child", (int)u->child, "companion", (int)u->companion, "channel",
                     name_of(&channel_names, (int)u->channel), "recorded_by", u->recorded_by,
                     "recorded_at", jw_datetime(u->recorded_at));
}

static bool key_valid(const char *k)
{
    size_t n = strlen(k);
    return n >= 1 && n <= IDEMPOTENCY_KEY_MAX && str_is_clean_utf8(k, n) && !strpbrk(k, "\t\r\n");
}

/* What a POST /uses keeps while the store records it (in the arena). */
struct use_call {
    struct use_request u;
    struct use out;
    bool replayed;
};

static int uses_start(struct request *r, req_done_fn done, void *token)
{
    struct use_call *call = r->defer_ctx;
    return store_use_record_async(r->store, &r->actor, &call->u, &call->out, &call->replayed,
                                  &r->details, done, token);
}

static int uses_complete(struct request *r, int rc)
{
    struct use_call *call = r->defer_ctx;
    if (rc != 0)
        return rc;
    return reply_json(r, call->replayed ? 200 : 201, use_json(&call->out));
}

/* The use is recorded by the store's group commit without holding a server
 * thread (req_defer), so that many requests share one transaction. */
int api_uses_create(struct request *r)
{
    struct use_call *call = arena_alloc(&r->arena, sizeof *call);
    if (!call)
        return -ERR_INTERNAL;
    *call = (struct use_call){.u = {.channel = CHANNEL_BOX_OFFICE}};
    struct use_request *u = &call->u;
    const char *key = NULL;
    int64_t event = 0, adult = 0, child = 0, companion = 0;
    int channel = CHANNEL_BOX_OFFICE, rc;
    /* Counts are range-checked by core in the order of R27 (a negative
     * count on an unknown card is card_unknown); here only their type and
     * a bound that keeps them in int32. */
    if ((rc = api_field_card(r, "card", FIELD_REQUIRED, u->card)) < 0 ||
        (rc = field_int(r, "event", FIELD_REQUIRED, 1, INT64_MAX, &event)) < 0 ||
        (rc = field_int(r, "adult", FIELD_REQUIRED, -CAPACITY_MAX, CAPACITY_MAX, &adult)) < 0 ||
        (rc = field_int(r, "child", FIELD_REQUIRED, -CAPACITY_MAX, CAPACITY_MAX, &child)) < 0 ||
        (rc = field_int(r, "companion", 0, -CAPACITY_MAX, CAPACITY_MAX, &companion)) < 0 ||
        (rc = field_enum(r, "channel", 0, &channel_names, &channel)) < 0 ||
        (rc = field_text(r, "idempotency_key", 0, IDEMPOTENCY_KEY_MAX, &key)) < 0)
        return rc;
    const char *header = r->idempotency_header;
    /* R10: the header is stored like the body's key, so it is held to the
     * body's rule (the body itself was checked before the handler ran). */
    if (header && identity_text_has_hetu(header, strlen(header)))
        return req_fail(r, ERR_IDENTITY_DATA_REFUSED, "Idempotency-Key");
    if (header && !key_valid(header))
        return req_fail(r, ERR_INVALID_REQUEST, "Idempotency-Key");
    if (key && header && strcmp(key, header) != 0)
        return req_fail(r, ERR_INVALID_REQUEST, "idempotency_key");
    str_copy(u->idempotency_key, sizeof u->idempotency_key, key ? key : header ? header : "");
    u->event = event;
    u->adult = (int32_t)adult;
    u->child = (int32_t)child;
    u->companion = (int32_t)companion;
    u->channel = (enum channel)channel;
    return req_defer(r, uses_start, uses_complete, call);
}

int api_uses_undo(struct request *r)
{
    int64_t id;
    int rc = api_param_id(r, 0, &id);
    if (rc != 0)
        return rc;
    if ((rc = store_use_undo(r->store, &r->actor, id)) != 0)
        return rc;
    return reply_json(r, 204, NULL);
}

static int add_use(void *ctx, const struct use_row *row)
{
    struct page *p = ctx;
    if (api_page_full(p))
        return PAGE_FULL;
    json_t *o = use_json(&row->use);
    if (!o)
        return -ERR_INTERNAL;
    json_object_set_new(o, "venue", json_string(row->venue));
    json_object_set_new(o, "event_name", json_string(row->event_name));
    json_object_set_new(o, "event_starts_at", jw_datetime(row->event_starts_at));
    json_object_set_new(o, "undone_at", jw_datetime(row->use.undone_at));
    json_object_set_new(o, "undone_by",
                        row->use.undone_at ? json_string(row->use.undone_by) : json_null());
    return api_page_add(p, o, row->use.id);
}

int api_uses_list(struct request *r)
{
    const char *venue = req_query(r, "venue");
    struct use_filter f = {.venue = "", .event = 0};
    struct page p;
    bool has_event;
    int rc;
    if (venue && !str_is_slug(venue, ID_MAX))
        return req_fail(r, ERR_INVALID_REQUEST, "venue");
    if ((rc = query_int(r, "event", 1, INT64_MAX, &f.event, &has_event)) != 0 ||
        (rc = query_date(r, "from", &f.from)) != 0 || (rc = query_date(r, "to", &f.to)) != 0 ||
        (rc = api_page_begin(r, &p)) != 0)
        return rc;
    f.venue = venue ? venue : "";
    f.after_id = p.after_id;
    rc = store_use_list(r->store, &r->actor, &f, add_use, &p);
    return api_page_reply(r, &p, "uses", rc);
}
