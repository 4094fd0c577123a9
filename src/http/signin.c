#include "http/signin.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "store/store.h"
#include "util/secret.h"
#include "util/strutil.h"

/* ---- the throttle: a fixed table of keys, the stalest forgotten ---- */

#define SLOTS   1024
#define KEY_MAX (USERNAME_MAX + ADDRESS_MAX + 4)

struct slot {
    char key[KEY_MAX];
    bool used;
    uint32_t failures;
    int64_t last; /* the latest failure */
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static struct slot *find(const char *key, bool create, int64_t now)
{
    uint32_t h = hash(key);
    struct slot *victim = NULL;
    for (unsigned i = 0; i < 16; i++) {
        struct slot *s = &slots[(h + i) % SLOTS];
        if (s->used && strcmp(s->key, key) == 0) {
            if (now - s->last > SIGNIN_FORGET)
                s->failures = 0;
            return s;
        }
        int64_t age = s->used ? s->last : INT64_MIN;
        if (!victim || age < (victim->used ? victim->last : INT64_MIN))
            victim = s;
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    str_copy(victim->key, sizeof victim->key, key);
    victim->used = true;
    return victim;
}

/* Seconds a key with `failures` must wait after its latest one. */
static int64_t delay(uint32_t failures, unsigned free)
{
    if (failures < free)
        return 0;
    /* 2 s for the first failure past the free ones, then doubling: clocks
     * count whole seconds, so a delay of d waits at least d - 1 s. */
    uint32_t n = failures - free;
    int64_t d = n >= 16 ? SIGNIN_DELAY_MAX : (int64_t)2 << n;
    return d < SIGNIN_DELAY_MAX ? d : SIGNIN_DELAY_MAX;
}

int signin_throttle_check(const char *key, unsigned free, int64_t now, int64_t *retry_after)
{
    int rc = 0;
    pthread_mutex_lock(&lock);
    const struct slot *s = find(key, false, now);
    if (s) {
        int64_t until = s->last + delay(s->failures, free);
        if (now < until) {
            *retry_after = until - now;
            rc = -ERR_RATE_LIMITED;
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

void signin_throttle_fail(const char *key, int64_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, true, now);
    if (s->failures < UINT32_MAX)
        s->failures++;
    s->last = now;
    pthread_mutex_unlock(&lock);
}

void signin_throttle_clear(const char *key)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, false, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&lock);
}

void signin_throttle_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(slots, 0, sizeof slots);
    pthread_mutex_unlock(&lock);
}

/* ---- the hash slots: a counting semaphore with a deadline ---- */

static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_cv = PTHREAD_COND_INITIALIZER;
static unsigned hashing;

int signin_hash_begin(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SIGNIN_HASH_WAIT_MS / 1000;
    until.tv_nsec += (long)(SIGNIN_HASH_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int rc = 0;
    pthread_mutex_lock(&hash_mu);
    while (hashing >= SIGNIN_HASHES_MAX && rc == 0)
        if (pthread_cond_timedwait(&hash_cv, &hash_mu, &until) == ETIMEDOUT &&
            hashing >= SIGNIN_HASHES_MAX)
            rc = -ERR_UNAVAILABLE;
    if (rc == 0)
        hashing++;
    pthread_mutex_unlock(&hash_mu);
    return rc;
}

void signin_hash_end(void)
{
    pthread_mutex_lock(&hash_mu);
    hashing--;
    pthread_cond_signal(&hash_cv);
    pthread_mutex_unlock(&hash_mu);
}

/* ---- sign-in ---- */

/* A hash to verify against when the user does not exist, so that a wrong
 * username takes as long as a wrong password. */
static char dummy_hash[SECRET_HASH_MAX + 1];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    char password[SECRET_TOKEN_LEN + 1];
    secret_token(password);
    if (secret_hash_password(password, dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

static int throttled(struct request *r, const char *user_key, const char *address_key)
{
    int64_t by_user = 0, by_address = 0;
    int rc_user = signin_throttle_check(user_key, SIGNIN_FREE_PER_USER, r->actor.now, &by_user);
    int rc_address =
        signin_throttle_check(address_key, SIGNIN_FREE_PER_ADDRESS, r->actor.now, &by_address);
    if (rc_user == 0 && rc_address == 0)
        return 0;
    int64_t retry = by_user > by_address ? by_user : by_address;
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)retry);
    int rc = reply_header(r, "Retry-After", arena_strdup(&r->arena, buf));
    if (rc != 0)
        return rc;
    return error_value(&r->details, ERR_RATE_LIMITED, "retry_after", retry, 0);
}

int signin_check(struct request *r, const char *username, const char *password, struct user *out)
{
    char user_key[KEY_MAX], address_key[KEY_MAX];
    snprintf(user_key, sizeof user_key, "u|%s", username);
    snprintf(address_key, sizeof address_key, "a|%s", r->actor.address);
    int rc = throttled(r, user_key, address_key);
    if (rc != 0)
        return rc;
    pthread_once(&dummy_once, make_dummy_hash);
    char hash[PASSWORD_HASH_MAX + 1];
    rc = username[0] && password[0] ? store_user_get(r->store, username, out, hash)
                                    : -ERR_UNAUTHENTICATED;
    if (rc == -ERR_UNAVAILABLE || rc == -ERR_INTERNAL)
        return rc;
    bool known = rc == 0;
    if ((rc = signin_hash_begin()) != 0) {
        sodium_memzero(hash, sizeof hash);
        return rc;
    }
    /* Always one verification: unknown, wrong and disabled take as long. */
    bool ok =
        secret_verify_password(known ? hash : dummy_hash, password) && known && !out->disabled;
    signin_hash_end();
    sodium_memzero(hash, sizeof hash);
    if (!ok) {
        signin_throttle_fail(user_key, r->actor.now);
        signin_throttle_fail(address_key, r->actor.now);
        return -ERR_UNAUTHENTICATED;
    }
    signin_throttle_clear(user_key);
    return 0;
}
