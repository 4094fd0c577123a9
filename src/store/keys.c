/* API keys of venues (R32): stored by the hash of the key only. */
#include "store/tx.h"

struct key_change {
    const struct actor *a;
    const char *venue;
    const char *label;
    const uint8_t *key_hash;
    int64_t id;
};

static int count_key(void *ctx, void *row)
{
    (void)row;
    ++*(int64_t *)ctx;
    return 0;
}

static int api_key_add_tx(struct bk_tx *t, void *ctx)
{
    struct key_change *c = ctx;
    struct place_buf place;
    struct api_key k;
    int64_t held = 0;
    int rc = place_in_scope(t, c->a, S_PLACE_VENUE, c->venue, &place, NULL, NULL);
    if (rc == 0) /* the venue's keys not revoked: at most API_KEYS_PER_VENUE rows */
        rc = tx_each(t, S_API_KEY_LIST, BK_ARGS(bk_text(c->venue)), ROW_API_KEY, &k, count_key,
                     &held);
    if (rc == 0)
        rc = api_key_check_count(held);
    if (rc == 0)
        rc = tx_insert(t, S_API_KEY_ADD,
                       BK_ARGS(bk_text(c->venue), bk_text(c->label), bk_hash(c->key_hash),
                               bk_text(c->a->user), bk_int(c->a->now)),
                       &c->id);
    if (rc == 0)
        rc = audit_add_id(t, c->a, "api_key.add", "api_key", c->id, place.region);
    return rc;
}

int store_api_key_add(struct store *s, const struct actor *a, const char *venue, const char *label,
                      const uint8_t key_hash[TOKEN_HASH_BYTES], int64_t *id)
{
    struct key_change c = {a, venue, label, key_hash, 0};
    int rc = store_write(s, api_key_add_tx, &c);
    if (rc == 0 && id)
        *id = c.id;
    return rc;
}

struct key_list {
    struct list_to to;
    const char *venue;
};

static int api_key_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.api_key(l->ctx, row);
}

static int api_key_list_tx(struct bk_tx *t, void *ctx)
{
    struct key_list *c = ctx;
    struct place_buf place;
    struct api_key k;
    int rc = place_in_scope(t, c->to.a, S_PLACE_VENUE, c->venue, &place, NULL, NULL);
    if (rc == 0)
        rc = tx_each(t, S_API_KEY_LIST, BK_ARGS(bk_text(c->venue)), ROW_API_KEY, &k, api_key_row,
                     &c->to);
    return rc;
}

int store_api_key_list(struct store *s, const struct actor *a, const char *venue,
                       store_api_key_fn fn, void *ctx)
{
    struct key_list c = {{a, {.api_key = fn}, ctx}, venue};
    return store_read(s, BK_READ, api_key_list_tx, &c);
}

static int api_key_revoke_tx(struct bk_tx *t, void *ctx)
{
    struct key_change *c = ctx;
    struct place_buf place;
    int64_t revoked = 0;
    bool found = false;
    int rc = place_in_scope(t, c->a, S_PLACE_VENUE, c->venue, &place, NULL, NULL);
    if (rc == 0)
        rc = tx_get(t, S_API_KEY_REVOKE,
                    BK_ARGS(bk_int(c->a->now), bk_int(c->id), bk_text(c->venue)), ROW_ID, &revoked,
                    &found);
    if (rc == 0 && !found)
        rc = -ERR_NOT_FOUND;
    if (rc == 0)
        rc = audit_add_id(t, c->a, "api_key.revoke", "api_key", c->id, place.region);
    return rc;
}

int store_api_key_revoke(struct store *s, const struct actor *a, const char *venue, int64_t id)
{
    struct key_change c = {a, venue, NULL, NULL, id};
    return store_write(s, api_key_revoke_tx, &c);
}

int store_api_key_find(struct store *s, const uint8_t key_hash[TOKEN_HASH_BYTES],
                       struct api_key *out)
{
    return store_get_one(s, S_API_KEY_FIND, bk_hash(key_hash), ROW_API_KEY, out,
                         -ERR_UNAUTHENTICATED);
}
