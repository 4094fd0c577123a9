/* Sign-in, once for every site (the API's POST /login and the pages'
 * sign-in form): throttled per username and per client address with
 * growing delays, with at most SIGNIN_HASHES_MAX password hashes running
 * at a time (argon2id takes 19 MiB each), and the same work — one hash —
 * for an unknown user, a wrong password and a disabled user, so that the
 * reply's time tells none of them apart. The throttle's counts live in
 * this process's memory, or, when several servers share the database
 * (store_shared), in the database (store_failures_*), so that a username
 * held up on one server is held up on all. The hash slots stay per server:
 * they bound this process's memory. */
#ifndef KAIKU_HTTP_SIGNIN_H
#define KAIKU_HTTP_SIGNIN_H

#include <stdint.h>

#include "http/request.h"

struct user;

/* Failures in a row without delay: per username, and (higher, since
 * several people may sign in from one address) per address. After the last
 * of them the key waits 2 s, and each further failure doubles it, at most
 * SIGNIN_DELAY_MAX; a key is forgotten SIGNIN_FORGET seconds after its
 * latest failure, and a username's on its successful sign-in. */
#define SIGNIN_FREE_PER_USER    5
#define SIGNIN_FREE_PER_ADDRESS 30
#define SIGNIN_DELAY_MAX        900
#define SIGNIN_FORGET           3600

#define SIGNIN_HASHES_MAX   3    /* password hashes at once, in the whole server */
#define SIGNIN_HASH_WAIT_MS 2000 /* longest wait for one; then 503 with Retry-After */

/* Checks username and password for r (r->actor.address and .now set).
 * Returns 0 and *out on success; -ERR_UNAUTHENTICATED for an unknown user,
 * a wrong password or a disabled user alike; -ERR_RATE_LIMITED while the
 * username or the address must wait (Retry-After added to r's reply,
 * details.retry_after); -ERR_UNAVAILABLE when no hash slot came free in
 * time, or the store failed. */
int signin_check(struct request *r, const char *username, const char *password, struct user *out);

/* A slot to hash or verify a password in, for a change of password or a
 * new user: 0, or -ERR_UNAVAILABLE after SIGNIN_HASH_WAIT_MS. Every 0 is
 * followed by one signin_hash_end(). */
int signin_hash_begin(void);
void signin_hash_end(void);

/* The throttle of this process's memory itself, for tests: 0 when key may
 * try at now, else
 * -ERR_RATE_LIMITED and *retry_after (>= 1). */
int signin_throttle_check(const char *key, unsigned free, int64_t now, int64_t *retry_after);
void signin_throttle_fail(const char *key, int64_t now);
void signin_throttle_clear(const char *key);
void signin_throttle_reset(void);

#endif
