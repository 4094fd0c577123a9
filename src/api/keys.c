/* Venue API keys for ticketing systems. The key is shown once, at creation;
 * only its digest is stored. A key acts as venue staff of its venue. */
#include <string.h>

#include "api/api.h"
#include "http/json.h"
#include "http/session.h"
#include "store/store.h"
#include "util/strutil.h"

static int venue_param(struct request *r, const char **venue)
{
    *venue = r->params[0];
    if (!*venue || !str_is_slug(*venue, ID_MAX))
        return -ERR_NOT_FOUND;
    return 0;
}

int api_keys_create(struct request *r)
{
    const char *venue, *label;
    int rc;
    if ((rc = venue_param(r, &venue)) != 0 ||
        (rc = field_text(r, "label", FIELD_REQUIRED, NAME_MAX_BYTES, &label)) < 0)
        return rc;
    char key[SECRET_TOKEN_LEN + 1];
    uint8_t digest[SECRET_DIGEST_BYTES];
    secret_token(key);
    secret_digest(key, strlen(key), digest);
    int64_t id = 0;
    if ((rc = store_api_key_add(r->store, &r->actor, venue, label, digest, &id)) != 0)
        return rc;
    return reply_json(r, 201,
                      json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "key", key, "venue",
                                venue, "label", label));
}

static int add_key(void *ctx, const struct api_key *k)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)k->id, "venue", k->venue,
                          "label", k->label, "created_at", jw_datetime(k->created_at));
    return json_array_append_new(ctx, o) == 0 ? 0 : -ERR_INTERNAL;
}

int api_keys_list(struct request *r)
{
    const char *venue;
    int rc;
    if ((rc = venue_param(r, &venue)) != 0)
        return rc;
    json_t *list = json_array();
    if ((rc = store_api_key_list(r->store, &r->actor, venue, add_key, list)) != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "api_keys", list));
}

int api_keys_revoke(struct request *r)
{
    const char *venue;
    int64_t id;
    int rc;
    if ((rc = venue_param(r, &venue)) != 0 || (rc = api_param_id(r, 1, &id)) != 0)
        return rc;
    if ((rc = store_api_key_revoke(r->store, &r->actor, venue, id)) != 0)
        return rc;
    session_forget_all();
    return reply_json(r, 204, NULL);
}
