#include "http/session.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "store/store.h"
#include "util/strutil.h"

#define TOKEN_INPUT_MAX 128

void session_csrf(const char *token, char out[SECRET_TOKEN_LEN + 1])
{
    static const unsigned char key[] = "kaiku csrf token, v1";
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)token, strlen(token), key,
                       sizeof key - 1);
    sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static bool is_unsafe(enum http_method m)
{
    return m != HTTP_GET;
}

/* A token is base64url text of bounded length; anything else is refused
 * before it reaches the store. */
static bool token_shaped(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > TOKEN_INPUT_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static int from_session(struct request *r, const char *token)
{
    struct user u;
    secret_digest(token, strlen(token), r->session_hash);
    int rc = store_session_get(r->store, r->session_hash, r->actor.now, &u);
    if (rc != 0)
        return rc;
    str_copy(r->actor.user, sizeof r->actor.user, u.username);
    r->actor.role = u.role;
    str_copy(r->actor.scope, sizeof r->actor.scope, u.scope);
    r->actor.api_key = 0;
    r->has_session = true;
    return 0;
}

static int from_api_key(struct request *r)
{
    struct api_key k;
    int rc = store_api_key_find(r->store, r->session_hash, &k);
    if (rc != 0)
        return rc;
    snprintf(r->actor.user, sizeof r->actor.user, "key:%lld", (long long)k.id);
    r->actor.role = ROLE_VENUE;
    str_copy(r->actor.scope, sizeof r->actor.scope, k.venue);
    r->actor.api_key = k.id;
    return 0;
}

int session_authenticate(struct request *r, const char *authorization, const char *cookie,
                         const char *csrf)
{
    int rc;
    if (authorization) {
        if (strncasecmp(authorization, "Bearer ", 7) != 0)
            return -ERR_UNAUTHENTICATED;
        const char *token = authorization + 7;
        while (*token == ' ')
            token++;
        if (!token_shaped(token))
            return -ERR_UNAUTHENTICATED;
        rc = from_session(r, token);
        if (rc == -ERR_UNAUTHENTICATED)
            rc = from_api_key(r); /* the same digest names an API key */
        if (rc == 0)
            r->authenticated = true;
        return rc;
    }
    if (!cookie || !token_shaped(cookie))
        return -ERR_UNAUTHENTICATED;
    rc = from_session(r, cookie);
    if (rc != 0)
        return rc;
    if (is_unsafe(r->method)) {
        char expected[SECRET_TOKEN_LEN + 1];
        session_csrf(cookie, expected);
        if (!csrf || strlen(csrf) != SECRET_TOKEN_LEN ||
            !secret_equal(csrf, expected, SECRET_TOKEN_LEN))
            return error_field(&r->details, ERR_FORBIDDEN, CSRF_HEADER);
    }
    r->authenticated = true;
    return 0;
}
