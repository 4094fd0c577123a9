/* store.c — picks a backend by URL and dispatches every store.h call to it.
 * Nothing here knows SQL; see store_impl.h for the backend contract. */
#include "store/store.h"

#include <assert.h>
#include <string.h>

#include "store/store_impl.h"

/* PostgreSQL is selected by its URL but not built yet: a later issue adds
 * store_pg.c and replaces this entry (and the CLI's "not supported by this
 * build" line in cli_open_store). Not -ERR_UNAVAILABLE: that says "retry",
 * and retrying cannot help. Prints nothing, like every backend. */
static int pg_unavailable(const char *url, struct store **out)
{
    (void)url;
    *out = NULL;
    return -ERR_INVALID_REQUEST;
}

/* First matching prefix wins; "" matches everything (a SQLite file path). */
static const struct backend {
    const char *prefix;
    int (*open)(const char *url, struct store **out);
} backends[] = {
    {"postgresql://", pg_unavailable},
    {"postgres://", pg_unavailable},
    {"", store_sqlite_open},
};

int store_open(const char *url, struct store **out)
{
    assert(url && out);
    *out = NULL;
    if (url[0] == '\0')
        return -ERR_INVALID_REQUEST;
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        size_t n = strlen(backends[i].prefix);
        if (strncmp(url, backends[i].prefix, n) == 0)
            return backends[i].open(url, out);
    }
    return -ERR_INVALID_REQUEST; /* unreachable: "" matches */
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

int store_migrate(struct store *s, int *from, int *to)
{
    return s->ops->migrate(s, from, to);
}

int store_region_add(struct store *s, const struct actor *a, const struct region *r)
{
    return s->ops->region_add(s, a, r);
}

int store_region_get(struct store *s, const char *id, struct region *out)
{
    return s->ops->region_get(s, id, out);
}

int store_region_list(struct store *s, store_region_fn fn, void *ctx)
{
    return s->ops->region_list(s, fn, ctx);
}

int store_unit_add(struct store *s, const struct actor *a, const struct unit *u)
{
    return s->ops->unit_add(s, a, u);
}

int store_unit_get(struct store *s, const char *id, struct unit *out)
{
    return s->ops->unit_get(s, id, out);
}

int store_unit_list(struct store *s, const struct actor *a, const char *region, store_unit_fn fn,
                    void *ctx)
{
    return s->ops->unit_list(s, a, region, fn, ctx);
}

int store_venue_add(struct store *s, const struct actor *a, const struct venue *v)
{
    return s->ops->venue_add(s, a, v);
}

int store_venue_get(struct store *s, const char *id, struct venue *out)
{
    return s->ops->venue_get(s, id, out);
}

int store_venue_list(struct store *s, const char *region, store_venue_fn fn, void *ctx)
{
    return s->ops->venue_list(s, region, fn, ctx);
}

int store_user_add(struct store *s, const struct actor *a, const struct user *u,
                   const char *password_hash)
{
    return s->ops->user_add(s, a, u, password_hash);
}

int store_user_get(struct store *s, const char *username, struct user *out,
                   char hash[PASSWORD_HASH_MAX + 1])
{
    return s->ops->user_get(s, username, out, hash);
}

int store_user_list(struct store *s, const struct actor *a, store_user_fn fn, void *ctx)
{
    return s->ops->user_list(s, a, fn, ctx);
}

int store_user_disable(struct store *s, const struct actor *a, const char *username)
{
    return s->ops->user_disable(s, a, username);
}

int store_user_set_password(struct store *s, const struct actor *a, const char *username,
                            const char *password_hash, const uint8_t keep_session[TOKEN_HASH_BYTES])
{
    return s->ops->user_set_password(s, a, username, password_hash, keep_session);
}

int store_session_add(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES],
                      const char *username, int64_t now, int64_t expires_at)
{
    return s->ops->session_add(s, token_hash, username, now, expires_at);
}

int store_session_get(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t now,
                      struct user *out, int64_t *expires_at)
{
    return s->ops->session_get(s, token_hash, now, out, expires_at);
}

int store_session_delete(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES])
{
    return s->ops->session_delete(s, token_hash);
}

int store_api_key_add(struct store *s, const struct actor *a, const char *venue, const char *label,
                      const uint8_t key_hash[TOKEN_HASH_BYTES], int64_t *id)
{
    return s->ops->api_key_add(s, a, venue, label, key_hash, id);
}

int store_api_key_list(struct store *s, const struct actor *a, const char *venue,
                       store_api_key_fn fn, void *ctx)
{
    return s->ops->api_key_list(s, a, venue, fn, ctx);
}

int store_api_key_revoke(struct store *s, const struct actor *a, const char *venue, int64_t id)
{
    return s->ops->api_key_revoke(s, a, venue, id);
}

int store_api_key_find(struct store *s, const uint8_t key_hash[TOKEN_HASH_BYTES],
                       struct api_key *out)
{
    return s->ops->api_key_find(s, key_hash, out);
}

int store_stock_add(struct store *s, const struct actor *a, const char *unit, enum card_kind kind,
                    const char (*codes)[CODE_MAX + 1], size_t n, struct error_details *d)
{
    return s->ops->stock_add(s, a, unit, kind, codes, n, d);
}

int store_transfer_request(struct store *s, const struct actor *a,
                           const char (*codes)[CODE_MAX + 1], size_t n, const char *from_unit,
                           const char *to_unit, int64_t *id, struct error_details *d)
{
    return s->ops->transfer_request(s, a, codes, n, from_unit, to_unit, id, d);
}

int store_transfer_decide(struct store *s, const struct actor *a, int64_t id, bool approve,
                          struct transfer *out, struct error_details *d)
{
    return s->ops->transfer_decide(s, a, id, approve, out, d);
}

int store_transfer_list(struct store *s, const struct actor *a, int status, store_transfer_fn fn,
                        void *ctx)
{
    return s->ops->transfer_list(s, a, status, fn, ctx);
}

int store_card_get(struct store *s, const char *code, struct card *out)
{
    return s->ops->card_get(s, code, out);
}

int store_handout_record(struct store *s, const struct actor *a, const struct handout *h,
                         struct card *out, struct error_details *d)
{
    return s->ops->handout_record(s, a, h, out, d);
}

int store_card_cancel(struct store *s, const struct actor *a, const char *code, const char *reason,
                      struct card *out)
{
    return s->ops->card_cancel(s, a, code, reason, out);
}

int store_stock_list(struct store *s, const struct actor *a, const char *unit, store_card_fn fn,
                     void *ctx)
{
    return s->ops->stock_list(s, a, unit, fn, ctx);
}

int store_handout_list(struct store *s, const struct actor *a, const char *unit, int limit,
                       store_card_fn fn, void *ctx)
{
    return s->ops->handout_list(s, a, unit, limit, fn, ctx);
}

int store_stock_request(struct store *s, const struct actor *a, const char *unit, int32_t count)
{
    return s->ops->stock_request(s, a, unit, count);
}

int store_event_add(struct store *s, const struct actor *a, struct event *e,
                    struct error_details *d)
{
    return s->ops->event_add(s, a, e, d);
}

int store_event_get(struct store *s, int64_t id, struct event *out)
{
    return s->ops->event_get(s, id, out);
}

int store_event_update(struct store *s, const struct actor *a, int64_t id,
                       int (*apply)(void *ctx, struct event *e), void *ctx, struct event *out,
                       struct error_details *d)
{
    return s->ops->event_update(s, a, id, apply, ctx, out, d);
}

int store_event_list(struct store *s, const struct event_filter *f, store_event_fn fn, void *ctx)
{
    return s->ops->event_list(s, f, fn, ctx);
}

int store_use_record(struct store *s, const struct actor *a, const struct use_request *r,
                     struct use *out, bool *replayed, struct error_details *d)
{
    return s->ops->use_record(s, a, r, out, replayed, d);
}

int store_use_record_async(struct store *s, const struct actor *a, const struct use_request *r,
                           struct use *out, bool *replayed, struct error_details *d,
                           store_done_fn done, void *ctx)
{
    if (s->ops->use_record_async)
        return s->ops->use_record_async(s, a, r, out, replayed, d, done, ctx);
    done(ctx, s->ops->use_record(s, a, r, out, replayed, d));
    return 0;
}

int store_use_undo(struct store *s, const struct actor *a, int64_t id)
{
    return s->ops->use_undo(s, a, id);
}

int store_use_list(struct store *s, const struct actor *a, const struct use_filter *f,
                   store_use_fn fn, void *ctx)
{
    return s->ops->use_list(s, a, f, fn, ctx);
}

int store_audit_list(struct store *s, const struct actor *a, const struct audit_filter *f,
                     store_audit_fn fn, void *ctx)
{
    return s->ops->audit_list(s, a, f, fn, ctx);
}

int store_report_venue_usage(struct store *s, const struct actor *a, const char *venue,
                             int32_t from, int32_t to, store_usage_fn fn, void *ctx)
{
    return s->ops->report_venue_usage(s, a, venue, from, to, fn, ctx);
}

int store_report_cardholders(struct store *s, const struct actor *a, const char *region, int year,
                             report_count_fn fn, void *ctx)
{
    return s->ops->report_cardholders(s, a, region, year, fn, ctx);
}

int store_report_national(struct store *s, const struct actor *a, int year, store_national_fn fn,
                          void *ctx)
{
    return s->ops->report_national(s, a, year, fn, ctx);
}
