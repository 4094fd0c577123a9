/* store_impl.h — what a storage backend provides behind store.h.
 *
 * A backend fills one const `struct store_ops` (one pointer per public
 * function of store.h, same arguments) and puts `struct store` first in its
 * own handle struct, so that store.c can dispatch without knowing the
 * backend. Callers never include this header: it is for store.c and the
 * backends (store_sqlite.c, and later store_pg.c). */
#ifndef KAIKU_STORE_STORE_IMPL_H
#define KAIKU_STORE_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
    void (*close)(struct store *s);
    int (*migrate)(struct store *s, int *from, int *to);

    int (*region_add)(struct store *s, const struct actor *a, const struct region *r);
    int (*region_get)(struct store *s, const char *id, struct region *out);
    int (*region_list)(struct store *s, store_region_fn fn, void *ctx);
    int (*unit_add)(struct store *s, const struct actor *a, const struct unit *u);
    int (*unit_get)(struct store *s, const char *id, struct unit *out);
    int (*unit_list)(struct store *s, const struct actor *a, const char *region, store_unit_fn fn,
                     void *ctx);
    int (*venue_add)(struct store *s, const struct actor *a, const struct venue *v);
    int (*venue_get)(struct store *s, const char *id, struct venue *out);
    int (*venue_list)(struct store *s, const char *region, store_venue_fn fn, void *ctx);

    int (*user_add)(struct store *s, const struct actor *a, const struct user *u,
                    const char *password_hash);
    int (*user_get)(struct store *s, const char *username, struct user *out,
                    char hash[PASSWORD_HASH_MAX + 1]);
    int (*user_list)(struct store *s, const struct actor *a, store_user_fn fn, void *ctx);
    int (*user_disable)(struct store *s, const struct actor *a, const char *username);
    int (*user_set_password)(struct store *s, const struct actor *a, const char *username,
                             const char *password_hash,
                             const uint8_t keep_session[TOKEN_HASH_BYTES]);
    int (*session_add)(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES],
                       const char *username, int64_t now, int64_t expires_at);
    int (*session_get)(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t now,
                       struct user *out, int64_t *expires_at);
    int (*session_delete)(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES]);
    int (*api_key_add)(struct store *s, const struct actor *a, const char *venue, const char *label,
                       const uint8_t key_hash[TOKEN_HASH_BYTES], int64_t *id);
    int (*api_key_list)(struct store *s, const struct actor *a, const char *venue,
                        store_api_key_fn fn, void *ctx);
    int (*api_key_revoke)(struct store *s, const struct actor *a, const char *venue, int64_t id);
    int (*api_key_find)(struct store *s, const uint8_t key_hash[TOKEN_HASH_BYTES],
                        struct api_key *out);

    int (*stock_add)(struct store *s, const struct actor *a, const char *unit, enum card_kind kind,
                     const char (*codes)[CODE_MAX + 1], size_t n, struct error_details *d);
    int (*transfer_request)(struct store *s, const struct actor *a,
                            const char (*codes)[CODE_MAX + 1], size_t n, const char *from_unit,
                            const char *to_unit, int64_t *id, struct error_details *d);
    int (*transfer_decide)(struct store *s, const struct actor *a, int64_t id, bool approve,
                           struct transfer *out, struct error_details *d);
    int (*transfer_list)(struct store *s, const struct actor *a, int status, store_transfer_fn fn,
                         void *ctx);
    int (*card_get)(struct store *s, const char *code, struct card *out);
    int (*handout_record)(struct store *s, const struct actor *a, const struct handout *h,
                          struct card *out, struct error_details *d);
    int (*card_cancel)(struct store *s, const struct actor *a, const char *code, const char *reason,
                       struct card *out);
    int (*stock_list)(struct store *s, const struct actor *a, const char *unit, store_card_fn fn,
                      void *ctx);
    int (*handout_list)(struct store *s, const struct actor *a, const char *unit, int limit,
                        store_card_fn fn, void *ctx);
    int (*stock_request)(struct store *s, const struct actor *a, const char *unit, int32_t count);

    int (*event_add)(struct store *s, const struct actor *a, struct event *e,
                     struct error_details *d);
    int (*event_get)(struct store *s, int64_t id, struct event *out);
    int (*event_update)(struct store *s, const struct actor *a, int64_t id,
                        int (*apply)(void *ctx, struct event *e), void *ctx, struct event *out,
                        struct error_details *d);
    int (*event_list)(struct store *s, const struct event_filter *f, store_event_fn fn, void *ctx);
    int (*use_record)(struct store *s, const struct actor *a, const struct use_request *r,
                      struct use *out, bool *replayed, struct error_details *d);
    /* May be NULL: store.c then runs use_record and calls done at once. */
    int (*use_record_async)(struct store *s, const struct actor *a, const struct use_request *r,
                            struct use *out, bool *replayed, struct error_details *d,
                            store_done_fn done, void *ctx);
    int (*use_undo)(struct store *s, const struct actor *a, int64_t id);
    int (*use_list)(struct store *s, const struct actor *a, const struct use_filter *f,
                    store_use_fn fn, void *ctx);

    int (*audit_list)(struct store *s, const struct actor *a, const struct audit_filter *f,
                      store_audit_fn fn, void *ctx);

    int (*report_venue_usage)(struct store *s, const struct actor *a, const char *venue,
                              int32_t from, int32_t to, store_usage_fn fn, void *ctx);
    int (*report_cardholders)(struct store *s, const struct actor *a, const char *region, int year,
                              report_count_fn fn, void *ctx);
    int (*report_national)(struct store *s, const struct actor *a, int year, store_national_fn fn,
                           void *ctx);
};

/* The first member of every backend's handle. */
struct store {
    const struct store_ops *ops;
};

/* Backends: open `url` (already known to be theirs). */
int store_sqlite_open(const char *path, struct store **out);

#endif
