/* Users (R32, R33): adding, listing, disabling and re-enabling, passwords. */
#include <string.h>

#include "store/tx.h"

/* The statement that loads the place a scope names (R32), by scope kind,
 * and the users column (of S_USER_ADD's ?4..?6) that holds the id. */
static const struct {
    enum stmt place;
    int column;
} scope_places[] = {
    [SCOPE_NONE] = {STMT_COUNT, 0},
    [SCOPE_REGION] = {S_PLACE_REGION, 4},
    [SCOPE_UNIT] = {S_PLACE_UNIT, 5},
    [SCOPE_VENUE] = {S_PLACE_VENUE, 6},
};

static bool hash_ok(const char *hash)
{
    size_t n = hash ? strlen(hash) : 0;
    return n > 0 && n <= PASSWORD_HASH_MAX;
}

struct user_change {
    const struct actor *a;
    const struct user *u;
    const char *username;
    const char *hash;
    const uint8_t *keep_session;
};

static int user_add_tx(struct bk_tx *t, void *ctx)
{
    struct user_change *c = ctx;
    const struct user *u = c->u;
    struct place_buf place = {"", "", ""};
    struct role_scope k;
    int rc = role_scope_of(u->role, u->scope, &k);
    if (rc == 0 && !hash_ok(c->hash))
        rc = -ERR_INVALID_REQUEST;
    if (rc != 0)
        return rc;
    if (k.kind != SCOPE_NONE) {
        rc = place_in_scope(t, c->a, scope_places[k.kind].place, u->scope, &place, NULL, NULL);
    } else {
        const struct place p = {"", "", ""};
        rc = scope_check(c->a, &p);
    }
    if (rc != 0)
        return rc;
    int col = scope_places[k.kind].column;
    rc = tx_exec(
        t, S_USER_ADD,
        BK_ARGS(bk_text(u->username), bk_text(c->hash), bk_text(name_of(&role_names, (int)u->role)),
                bk_opt_text(col == 4 ? u->scope : NULL), bk_opt_text(col == 5 ? u->scope : NULL),
                bk_opt_text(col == 6 ? u->scope : NULL), bk_int(c->a->now)));
    if (rc == 0)
        rc = audit_add(t, c->a, "user.add", "user", u->username, place.region);
    return rc;
}

int store_user_add(struct store *s, const struct actor *a, const struct user *u,
                   const char *password_hash)
{
    struct user_change c = {a, u, NULL, password_hash, NULL};
    return store_write(s, user_add_tx, &c);
}

int store_user_get(struct store *s, const char *username, struct user *out,
                   char hash[PASSWORD_HASH_MAX + 1])
{
    struct user_row row;
    int rc = store_get_one(s, S_USER_GET, bk_text(username), ROW_USER, &row, -ERR_NOT_FOUND);
    if (rc == 0) {
        *out = row.user;
        if (hash)
            memcpy(hash, row.hash, sizeof row.hash);
    }
    explicit_bzero(row.hash, sizeof row.hash);
    return rc;
}

static int user_in_scope_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    struct user_row *u = row;
    explicit_bzero(u->hash, sizeof u->hash);
    const struct place p = place_of(&u->place);
    return scope_allows(l->a, &p) ? l->fn.user(l->ctx, &u->user) : 0; /* R32 */
}

int store_user_list(struct store *s, const struct actor *a, store_user_fn fn, void *ctx)
{
    struct list_to l = {a, {.user = fn}, ctx};
    struct user_row row;
    return store_each(s, S_USER_LIST, BK_NO_ARGS, ROW_USER, &row, user_in_scope_row, &l);
}

/* Loads a user and checks that the actor may manage them (R32). */
static int user_in_scope(struct bk_tx *t, const struct actor *a, const char *username, bool self_ok,
                         struct user_row *row)
{
    int rc = tx_need(t, S_USER_GET, BK_ARGS(bk_text(username)), ROW_USER, row, -ERR_NOT_FOUND, NULL,
                     NULL);
    explicit_bzero(row->hash, sizeof row->hash);
    if (rc == 0) {
        const struct place p = place_of(&row->place);
        rc = scope_check_user(a, username, &p, self_ok);
    }
    return rc;
}

/* Nobody changes their own standing (disables or re-enables themselves): a
 * region, or the country, would be left without the one who could undo it. */
static int not_self(const struct actor *a, const char *username)
{
    return strcmp(a->user, username) == 0 ? -ERR_FORBIDDEN : 0;
}

/* A disabled user's API keys stop working (issue 15): every key the user
 * created and not yet revoked is revoked, each with its own audit row
 * (R34), one at a time in the disabling transaction. Re-enabling the user
 * does not bring them back (docs/decisions.md, "Accounts"). */
static int revoke_keys_of(struct bk_tx *t, const struct actor *a, const char *username)
{
    int rc = 0;
    for (;;) {
        struct api_key k;
        struct place_buf place = {"", "", ""};
        int64_t revoked = 0;
        bool found = false;
        rc = tx_get(t, S_API_KEY_OF_CREATOR, BK_ARGS(bk_text(username)), ROW_API_KEY, &k, &found);
        if (rc != 0 || !found)
            break;
        rc = tx_get(t, S_PLACE_VENUE, BK_ARGS(bk_text(k.venue)), ROW_PLACE, &place, &found);
        if (rc == 0)
            rc =
                tx_get(t, S_API_KEY_REVOKE, BK_ARGS(bk_int(a->now), bk_int(k.id), bk_text(k.venue)),
                       ROW_ID, &revoked, &found);
        if (rc == 0 && !found) /* it was just read not revoked: the loop would not end */
            rc = -ERR_INTERNAL;
        if (rc == 0)
            rc = audit_add_id(t, a, "api_key.revoke", "api_key", k.id, place.region);
        if (rc != 0)
            break;
    }
    return rc;
}

static int user_disable_tx(struct bk_tx *t, void *ctx)
{
    struct user_change *c = ctx;
    struct user_row row;
    int rc = not_self(c->a, c->username);
    if (rc == 0)
        rc = user_in_scope(t, c->a, c->username, false, &row);
    if (rc == 0)
        rc = tx_exec(t, S_USER_DISABLE, BK_ARGS(bk_text(c->username)));
    if (rc == 0)
        rc = tx_exec(t, S_SESSIONS_END, BK_ARGS(bk_text(c->username), bk_hash(NULL)));
    if (rc == 0)
        rc = revoke_keys_of(t, c->a, c->username);
    if (rc == 0)
        rc = audit_add(t, c->a, "user.disable", "user", c->username, row.place.region);
    return rc;
}

int store_user_disable(struct store *s, const struct actor *a, const char *username)
{
    struct user_change c = {a, NULL, username, NULL, NULL};
    return store_write(s, user_disable_tx, &c);
}

static int user_enable_tx(struct bk_tx *t, void *ctx)
{
    struct user_change *c = ctx;
    struct user_row row;
    int rc = not_self(c->a, c->username);
    if (rc == 0)
        rc = user_in_scope(t, c->a, c->username, false, &row);
    /* A name outside the rule stays as migration 004 left it: 'cli' and
     * 'key:…' would share an actor's idempotency keys and audit name. */
    if (rc == 0)
        rc = username_check(c->username, NULL);
    if (rc == 0)
        rc = tx_exec(t, S_USER_ENABLE, BK_ARGS(bk_text(c->username)));
    if (rc == 0)
        rc = audit_add(t, c->a, "user.enable", "user", c->username, row.place.region);
    return rc;
}

int store_user_enable(struct store *s, const struct actor *a, const char *username)
{
    struct user_change c = {a, NULL, username, NULL, NULL};
    return store_write(s, user_enable_tx, &c);
}

struct manageable {
    const struct actor *a;
    const char *username;
    struct user *out;
};

static int user_manageable_tx(struct bk_tx *t, void *ctx)
{
    struct manageable *c = ctx;
    struct user_row row;
    int rc = user_in_scope(t, c->a, c->username, false, &row);
    if (rc == 0)
        rc = not_self(c->a, c->username);
    if (rc == 0)
        *c->out = row.user;
    return rc;
}

int store_user_manageable(struct store *s, const struct actor *a, const char *username,
                          struct user *out)
{
    struct manageable c = {a, username, out};
    return store_read(s, BK_READ, user_manageable_tx, &c);
}

static int user_set_password_tx(struct bk_tx *t, void *ctx)
{
    struct user_change *c = ctx;
    struct user_row row;
    int rc = hash_ok(c->hash) ? 0 : -ERR_INVALID_REQUEST;
    if (rc == 0)
        rc = user_in_scope(t, c->a, c->username, true, &row);
    if (rc == 0)
        rc = tx_exec(t, S_USER_SET_HASH, BK_ARGS(bk_text(c->hash), bk_text(c->username)));
    if (rc == 0)
        rc = tx_exec(t, S_SESSIONS_END, BK_ARGS(bk_text(c->username), bk_hash(c->keep_session)));
    if (rc == 0)
        rc = audit_add(t, c->a, "user.password", "user", c->username, row.place.region);
    return rc;
}

int store_user_set_password(struct store *s, const struct actor *a, const char *username,
                            const char *password_hash, const uint8_t keep_session[TOKEN_HASH_BYTES])
{
    struct user_change c = {a, NULL, username, password_hash, keep_session};
    return store_write(s, user_set_password_tx, &c);
}
