/* Sign-in, sign-out and one's own password. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "http/json.h"
#include "http/session.h"
#include "http/signin.h"
#include "store/store.h"
#include "util/strutil.h"

int api_auth_login(struct request *r)
{
    const char *username, *password;
    int rc;
    if ((rc = field_text(r, "username", FIELD_REQUIRED, USERNAME_MAX, &username)) < 0 ||
        (rc = field_text(r, "password", FIELD_REQUIRED, PASSWORD_MAX_LEN, &password)) < 0)
        return rc;

    struct user u;
    if ((rc = signin_check(r, username, password, &u)) != 0)
        return rc;

    char token[SECRET_TOKEN_LEN + 1], csrf[SECRET_TOKEN_LEN + 1];
    uint8_t digest[SECRET_DIGEST_BYTES];
    secret_token(token);
    secret_digest(token, strlen(token), digest);
    int64_t expires = r->actor.now + SESSION_TTL;
    if ((rc = store_session_add(r->store, digest, u.username, r->actor.now, expires)) != 0)
        return rc;
    session_csrf(token, csrf);
    reply_header(r, "Set-Cookie", session_cookie(r, token, SESSION_TTL));
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "token", token, "role",
                          name_of(&role_names, (int)u.role), "username", u.username, "csrf", csrf,
                          "expires_at", jw_datetime(expires));
    sodium_memzero(token, sizeof token);
    return reply_json(r, 200, o);
}

int api_auth_logout(struct request *r)
{
    if (r->has_session) {
        int rc = store_session_delete(r->store, r->session_hash);
        session_forget(r->session_hash);
        if (rc != 0 && rc != -ERR_NOT_FOUND)
            return rc;
    }
    reply_header(r, "Set-Cookie", session_cookie(r, "", 0));
    return reply_json(r, 204, NULL);
}

int api_auth_password(struct request *r)
{
    const char *old_pw, *new_pw;
    int rc;
    if ((rc = field_text(r, "old", FIELD_REQUIRED, PASSWORD_MAX_LEN, &old_pw)) < 0 ||
        (rc = field_text(r, "new", FIELD_REQUIRED, PASSWORD_MAX_LEN, &new_pw)) < 0)
        return rc;
    if (!secret_password_acceptable(new_pw))
        return req_fail(r, ERR_INVALID_REQUEST, "new");

    struct user u;
    char hash[PASSWORD_HASH_MAX + 1];
    if ((rc = store_user_get(r->store, r->actor.user, &u, hash)) != 0)
        return rc;
    if ((rc = signin_hash_begin()) != 0) {
        sodium_memzero(hash, sizeof hash);
        return rc;
    }
    bool ok = secret_verify_password(hash, old_pw);
    sodium_memzero(hash, sizeof hash);
    int hashed = ok ? secret_hash_password(new_pw, hash) : 0;
    signin_hash_end();
    if (!ok)
        return req_fail(r, ERR_FORBIDDEN, "old");
    if (hashed != 0)
        return -ERR_INTERNAL;
    rc = store_user_set_password(r->store, &r->actor, r->actor.user, hash,
                                 r->has_session ? r->session_hash : NULL);
    sodium_memzero(hash, sizeof hash);
    if (rc != 0)
        return rc;
    session_forget_all(); /* the user's other sessions have ended */
    return reply_json(r, 204, NULL);
}
