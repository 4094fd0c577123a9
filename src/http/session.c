#include "http/session.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "http/site.h"
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

const char *session_cookie(struct request *r, const char *token, int64_t max_age)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld%s",
             SESSION_COOKIE, token, (long long)max_age, r->secure ? "; Secure" : "");
    return arena_strdup(&r->arena, buf);
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

/* ---- the cache: direct-mapped by the digest's first bytes ---- */

#define CACHE_SLOTS 4096 /* a power of two */

struct cached {
    uint8_t digest[SECRET_DIGEST_BYTES];
    int64_t until; /* 0: empty */
    char user[USERNAME_MAX + 1];
    enum role role;
    char scope[ID_MAX + 1];
    int64_t api_key;
};

static struct cached cache[CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t cache_gen; /* bumped by every forget, under cache_mu */

static struct cached *slot_of(const uint8_t digest[SECRET_DIGEST_BYTES])
{
    uint32_t h;
    memcpy(&h, digest, sizeof h); /* a BLAKE2b digest: already uniform */
    return &cache[h & (CACHE_SLOTS - 1)];
}

/* True on a hit; on a miss *gen is the generation to hand to cache_put. */
static bool cache_get(struct request *r, uint64_t *gen)
{
    bool hit = false;
    pthread_mutex_lock(&cache_mu);
    *gen = cache_gen;
    const struct cached *c = slot_of(r->session_hash);
    if (c->until > r->actor.now &&
        sodium_memcmp(c->digest, r->session_hash, SECRET_DIGEST_BYTES) == 0) {
        memcpy(r->actor.user, c->user, sizeof r->actor.user);
        r->actor.role = c->role;
        memcpy(r->actor.scope, c->scope, sizeof r->actor.scope);
        r->actor.api_key = c->api_key;
        hit = true;
    }
    pthread_mutex_unlock(&cache_mu);
    return hit;
}

/* Remembers r's actor until SESSION_CACHE_SECONDS from now, or until
 * `expires` when that comes first (0: a key, which does not expire). */
static void cache_put(const struct request *r, uint64_t gen, int64_t expires)
{
    pthread_mutex_lock(&cache_mu);
    if (gen != cache_gen) { /* forgotten while we read: do not bring it back */
        pthread_mutex_unlock(&cache_mu);
        return;
    }
    struct cached *c = slot_of(r->session_hash);
    memcpy(c->digest, r->session_hash, SECRET_DIGEST_BYTES);
    c->until = r->actor.now + SESSION_CACHE_SECONDS;
    if (expires > 0 && expires < c->until)
        c->until = expires; /* a session is never honoured past its end */
    memcpy(c->user, r->actor.user, sizeof c->user);
    c->role = r->actor.role;
    memcpy(c->scope, r->actor.scope, sizeof c->scope);
    c->api_key = r->actor.api_key;
    pthread_mutex_unlock(&cache_mu);
}

void session_forget(const uint8_t digest[SECRET_DIGEST_BYTES])
{
    pthread_mutex_lock(&cache_mu);
    struct cached *c = slot_of(digest);
    cache_gen++;
    if (sodium_memcmp(c->digest, digest, SECRET_DIGEST_BYTES) == 0)
        c->until = 0;
    pthread_mutex_unlock(&cache_mu);
}

void session_forget_all(void)
{
    pthread_mutex_lock(&cache_mu);
    cache_gen++;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        cache[i].until = 0;
    pthread_mutex_unlock(&cache_mu);
}

/* ---- sessions and keys ---- */

static int from_session(struct request *r, int64_t *expires)
{
    struct user u;
    int rc = store_session_get(r->store, r->session_hash, r->actor.now, &u, expires);
    if (rc != 0)
        return rc;
    str_copy(r->actor.user, sizeof r->actor.user, u.username);
    r->actor.role = u.role;
    str_copy(r->actor.scope, sizeof r->actor.scope, u.scope);
    r->actor.api_key = 0;
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

/* Who the token is: a session, or (with a Bearer token) a venue API key. */
static int identify(struct request *r, const char *token, bool may_be_key)
{
    secret_digest(token, strlen(token), r->session_hash);
    /* On a database shared by several servers, another server may have
     * ended the session, disabled the user or revoked the key a moment ago,
     * and forgotten it only in its own cache: only the database knows, so
     * it is asked every time (one read, as the cache's miss costs). */
    const bool cached = !store_shared(r->store);
    int rc = 0;
    uint64_t gen = 0;
    if (!cached || !cache_get(r, &gen)) {
        int64_t expires = 0;
        rc = from_session(r, &expires);
        if (rc == -ERR_UNAUTHENTICATED && may_be_key) {
            expires = 0;
            rc = from_api_key(r); /* the same digest names an API key */
        }
        if (rc == 0 && cached)
            cache_put(r, gen, expires);
    }
    if (rc == 0)
        r->has_session = r->actor.api_key == 0;
    return rc;
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
        rc = identify(r, token, true);
        if (rc == 0)
            r->authenticated = true;
        return rc;
    }
    if (!cookie || !token_shaped(cookie))
        return -ERR_UNAUTHENTICATED;
    rc = identify(r, cookie, false);
    if (rc != 0)
        return rc;
    if (r->actor.api_key != 0) /* an API key is never a cookie */
        return -ERR_UNAUTHENTICATED;
    if (is_unsafe(r->method)) {
        char expected[SECRET_TOKEN_LEN + 1];
        session_csrf(cookie, expected);
        if (!csrf || strlen(csrf) != SECRET_TOKEN_LEN ||
            !secret_equal(csrf, expected, SECRET_TOKEN_LEN))
            return error_field(&r->details, ERR_FORBIDDEN,
                               r->site ? r->site->csrf_name : CSRF_HEADER);
    }
    r->authenticated = true;
    return 0;
}
