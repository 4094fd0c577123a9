/* Users: national, coordinators (a region), distributors (a unit), venue
 * staff (a venue). */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/json.h"
#include "http/session.h"
#include "http/signin.h"
#include "store/store.h"
#include "util/strutil.h"

int api_users_create(struct request *r)
{
    struct user u = {0};
    const char *username, *password, *scope[3] = {NULL, NULL, NULL};
    static const char *const scope_names[3] = {"region", "unit", "venue"};
    int role = 0, rc;
    if ((rc = field_text(r, "username", FIELD_REQUIRED, USERNAME_MAX, &username)) < 0 ||
        (rc = field_text(r, "password", FIELD_REQUIRED, PASSWORD_MAX_LEN, &password)) < 0 ||
        (rc = field_enum(r, "role", FIELD_REQUIRED, &role_names, &role)) < 0)
        return rc;
    if ((rc = username_check(username, &r->details)) != 0)
        return rc;
    if (!secret_password_acceptable(password))
        return req_fail(r, ERR_INVALID_REQUEST, "password");
    /* Exactly the scope field the role needs, and no other. */
    for (int i = 0; i < 3; i++) {
        if ((rc = field_slug(r, scope_names[i], FIELD_NULLABLE, &scope[i])) < 0)
            return rc;
        bool wanted = strcmp(role_scope_field((enum role)role), scope_names[i]) == 0; /* R32 */
        if (wanted != (scope[i] != NULL))
            return req_fail(r, ERR_INVALID_REQUEST, scope_names[i]);
        if (wanted)
            str_copy(u.scope, sizeof u.scope, scope[i]);
    }
    str_copy(u.username, sizeof u.username, username);
    u.role = (enum role)role;

    char hash[PASSWORD_HASH_MAX + 1];
    if ((rc = signin_hash_begin()) != 0)
        return rc;
    rc = secret_hash_password(password, hash);
    signin_hash_end();
    if (rc != 0)
        return -ERR_INTERNAL;
    if ((rc = store_user_add(r->store, &r->actor, &u, hash)) != 0)
        return rc;
    return reply_json(r, 201, api_user_json(&u));
}

static int add_user(void *ctx, const struct user *u)
{
    return json_array_append_new(ctx, api_user_json(u)) == 0 ? 0 : -ERR_INTERNAL;
}

int api_users_list(struct request *r)
{
    json_t *list = json_array();
    int rc = store_user_list(r->store, &r->actor, add_user, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "users", list));
}

/* The user named in the path, as one the caller may disable, re-enable or
 * give a password (R32; nobody themselves: a region, or the country, would
 * be left without the one who could undo it). */
static int managed_user(struct request *r, struct user *u)
{
    const char *username = r->params[0];
    if (!username || username_check(username, NULL) != 0)
        return -ERR_NOT_FOUND;
    if (strcmp(username, r->actor.user) == 0)
        return req_fail(r, ERR_FORBIDDEN, "username");
    return store_user_manageable(r->store, &r->actor, username, u);
}

/* Disabling ends the user's sessions and revokes the API keys they made;
 * enabling brings back neither (docs/decisions.md, "Accounts"). The cache
 * of tokens is emptied, so that this server refuses them at once. */
static int set_disabled(struct request *r, bool disabled)
{
    struct user u;
    int rc = managed_user(r, &u);
    if (rc == 0)
        rc = disabled ? store_user_disable(r->store, &r->actor, u.username)
                      : store_user_enable(r->store, &r->actor, u.username);
    if (rc != 0)
        return rc;
    session_forget_all();
    u.disabled = disabled;
    return reply_json(r, 200, api_user_json(&u));
}

int api_users_disable(struct request *r)
{
    return set_disabled(r, true);
}

int api_users_enable(struct request *r)
{
    return set_disabled(r, false);
}

/* National, or a coordinator for users inside the region, sets a user's
 * password (one who forgot theirs, or whose account was taken over): the
 * user's sessions end. One's own goes through POST /me/password, which asks
 * for the old one. The body's field is "new" (api.md); "password", its
 * name before, is still read. */
int api_users_set_password(struct request *r)
{
    const char *password = NULL, *alias = NULL, *field = "new";
    int rc;
    if ((rc = field_text(r, "new", 0, PASSWORD_MAX_LEN, &password)) < 0 ||
        (rc = field_text(r, "password", 0, PASSWORD_MAX_LEN, &alias)) < 0)
        return rc;
    if (password && alias) /* two passwords: which one was meant? */
        return req_fail(r, ERR_INVALID_REQUEST, "password");
    if (!password) {
        field = "password";
        password = alias;
    }
    if (!password)
        return req_fail(r, ERR_INVALID_REQUEST, "new");
    if (!secret_password_acceptable(password))
        return req_fail(r, ERR_INVALID_REQUEST, field);
    struct user u;
    if ((rc = managed_user(r, &u)) != 0)
        return rc;
    char hash[PASSWORD_HASH_MAX + 1];
    if ((rc = signin_hash_begin()) != 0)
        return rc;
    rc = secret_hash_password(password, hash);
    signin_hash_end();
    if (rc != 0)
        return -ERR_INTERNAL;
    rc = store_user_set_password(r->store, &r->actor, u.username, hash, NULL);
    sodium_memzero(hash, sizeof hash);
    if (rc != 0)
        return rc;
    session_forget_all();
    return reply_json(r, 200, api_user_json(&u));
}
