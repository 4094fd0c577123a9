/* Sessions, stored only by the hash of their token. They are not changes
 * to the register: no audit row (login and logout are the HTTP layer's to
 * log). */
#include <string.h>

#include "store/tx.h"

struct session_add {
    const uint8_t *token_hash;
    const char *username;
    int64_t now, expires_at;
};

static int session_add_tx(struct bk_tx *t, void *ctx)
{
    struct session_add *c = ctx;
    /* The user's expired sessions go as a new one comes: the table holds
     * at most the sessions still alive plus those of users not back yet. */
    int rc = tx_exec(t, S_SESSIONS_PURGE, BK_ARGS(bk_text(c->username), bk_int(c->now)));
    if (rc == 0)
        rc = tx_exec(t, S_SESSION_ADD,
                     BK_ARGS(bk_hash(c->token_hash), bk_text(c->username), bk_int(c->now),
                             bk_int(c->expires_at)));
    return rc;
}

int store_session_add(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES],
                      const char *username, int64_t now, int64_t expires_at)
{
    struct session_add c = {token_hash, username, now, expires_at};
    return store_write(s, session_add_tx, &c);
}

struct session_get {
    const uint8_t *token_hash;
    int64_t now;
    struct session_row row;
};

static int session_get_tx(struct bk_tx *t, void *ctx)
{
    struct session_get *c = ctx;
    return tx_need(t, S_SESSION_GET, BK_ARGS(bk_hash(c->token_hash), bk_int(c->now)), ROW_SESSION,
                   &c->row, -ERR_UNAUTHENTICATED, NULL, NULL);
}

int store_session_get(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t now,
                      struct user *out, int64_t *expires_at)
{
    struct session_get c = {token_hash, now, {.expires_at = 0}};
    int rc = store_read(s, BK_READ, session_get_tx, &c);
    explicit_bzero(c.row.u.hash, sizeof c.row.u.hash);
    if (rc == 0)
        *out = c.row.u.user;
    if (rc == 0 && expires_at)
        *expires_at = c.row.expires_at;
    return rc;
}

static int session_delete_tx(struct bk_tx *t, void *ctx)
{
    const struct session_add *c = ctx;
    return tx_exec(t, S_SESSION_DELETE, BK_ARGS(bk_hash(c->token_hash)));
}

int store_session_delete(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES])
{
    struct session_add c = {token_hash, NULL, 0, 0};
    return store_write(s, session_delete_tx, &c);
}
