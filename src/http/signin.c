#include "http/signin.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "store/store.h"
#include "util/keyslots.h"
#include "util/secret.h"

/* ---- the throttle: a fixed table of keys, the stalest forgotten ---- */

#define SLOTS   1024
#define KEY_MAX (USERNAME_MAX + ADDRESS_MAX + 4)
_Static_assert(KEY_MAX <= KEYSLOT_KEY_MAX, "a key fits its slot whole");

struct slot {
    struct keyslot k; /* k.last: the latest failure */
    uint32_t failures;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot of key, or NULL when absent and !create (util/keyslots.h); its
 * failures in a row forgotten once the latest is SIGNIN_FORGET old. */
static struct slot *find(const char *key, bool create, int64_t now)
{
    struct slot *s = (struct slot *)keyslot_find(slots, SLOTS, sizeof slots[0], key, create);
    if (s && now - s->k.last > SIGNIN_FORGET)
        s->failures = 0;
    return s;
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

/* The verdict over a key's failures in a row and its latest, wherever they
 * are kept: 0, or -ERR_RATE_LIMITED with *retry_after. */
static int verdict(uint32_t failures, int64_t last, unsigned free, int64_t now,
                   int64_t *retry_after)
{
    int64_t until = last + delay(failures, free);
    if (now >= until)
        return 0;
    *retry_after = until - now;
    return -ERR_RATE_LIMITED;
}

int signin_throttle_check(const char *key, unsigned free, int64_t now, int64_t *retry_after)
{
    int rc = 0;
    pthread_mutex_lock(&lock);
    const struct slot *s = find(key, false, now);
    if (s)
        rc = verdict(s->failures, s->k.last, free, now, retry_after);
    pthread_mutex_unlock(&lock);
    return rc;
}

void signin_throttle_fail(const char *key, int64_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, true, now);
    if (s->failures < UINT32_MAX)
        s->failures++;
    s->k.last = now;
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

/* ---- the throttle kept in the store, for servers sharing one database ----
 *
 * One count per key (period 0) in the store's failure counts, as "s|KEY":
 * a failure counted by one server holds up the key on all of them. */

_Static_assert(SIGNIN_FORGET <= FAILURES_KEPT, "the store keeps a count as long as it matters");

struct shared_count {
    bool found;
    int64_t n, last;
};

static int shared_row(void *ctx, const struct failure_count *c)
{
    struct shared_count *f = ctx;
    if (c->period == 0)
        *f = (struct shared_count){true, c->n, c->last_at};
    return 0;
}

static void shared_key(const char *key, char out[KEY_MAX + 2])
{
    snprintf(out, KEY_MAX + 2, "s|%s", key);
}

/* As signin_throttle_check, from the store; *seen: the key has a count
 * there. -ERR_UNAVAILABLE when the store cannot be read. */
static int shared_check(struct store *s, const char *key, unsigned free, int64_t now,
                        int64_t *retry_after, bool *seen)
{
    char k[KEY_MAX + 2];
    shared_key(key, k);
    struct shared_count f = {false, 0, 0};
    int rc = store_failures_list(s, k, 0, shared_row, &f);
    *seen = f.found;
    if (rc != 0 || !f.found || now - f.last > SIGNIN_FORGET)
        return rc;
    return verdict(f.n > UINT32_MAX ? UINT32_MAX : (uint32_t)f.n, f.last, free, now, retry_after);
}

/* ---- where the throttle is: this process, or the shared store ---- */

static int throttle_check(struct request *r, const char *key, unsigned free, int64_t *retry_after,
                          bool *seen)
{
    if (store_shared(r->store))
        return shared_check(r->store, key, free, r->actor.now, retry_after, seen);
    *seen = true;
    return signin_throttle_check(key, free, r->actor.now, retry_after);
}

static void throttle_fail(struct request *r, const char *user_key, const char *address_key)
{
    if (!store_shared(r->store)) {
        signin_throttle_fail(user_key, r->actor.now);
        signin_throttle_fail(address_key, r->actor.now);
        return;
    }
    char ku[KEY_MAX + 2], ka[KEY_MAX + 2];
    shared_key(user_key, ku);
    shared_key(address_key, ka);
    const char *keys[] = {ku, ka};
    /* A count whose latest failure is older than SIGNIN_FORGET starts
     * again, as the memory table's does. The reply is 401 either way; a
     * failure the store could not count is logged. */
    int rc = store_failures_add(r->store, keys, 2, 0, r->actor.now, r->actor.now - SIGNIN_FORGET);
    if (rc != 0)
        fprintf(stderr, "kaiku: sign-in throttle: a failure not counted: %s\n", error_code(rc));
}

/* A success clears the username's count: in the store only when the check
 * found one (a sign-in writes nothing more than its session otherwise). */
static void throttle_clear(struct request *r, const char *user_key, bool seen)
{
    if (!store_shared(r->store)) {
        signin_throttle_clear(user_key);
        return;
    }
    char k[KEY_MAX + 2];
    shared_key(user_key, k);
    int rc = seen ? store_failures_clear(r->store, k) : 0;
    if (rc != 0)
        fprintf(stderr, "kaiku: sign-in throttle: a count not cleared: %s\n", error_code(rc));
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

static int throttled(struct request *r, const char *user_key, const char *address_key,
                     bool *user_seen)
{
    int64_t by_user = 0, by_address = 0;
    bool address_seen;
    int rc_user = throttle_check(r, user_key, SIGNIN_FREE_PER_USER, &by_user, user_seen);
    int rc_address =
        throttle_check(r, address_key, SIGNIN_FREE_PER_ADDRESS, &by_address, &address_seen);
    if (rc_user != 0 && rc_user != -ERR_RATE_LIMITED)
        return rc_user; /* the shared store could not be read */
    if (rc_address != 0 && rc_address != -ERR_RATE_LIMITED)
        return rc_address;
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
    bool user_seen = false;
    int rc = throttled(r, user_key, address_key, &user_seen);
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
        throttle_fail(r, user_key, address_key);
        return -ERR_UNAUTHENTICATED;
    }
    throttle_clear(r, user_key, user_seen);
    return 0;
}
