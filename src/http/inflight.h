/* Requests in flight per principal (a user; a venue with all its API keys):
 * one signed-in client cannot hold more than INFLIGHT_PER_PRINCIPAL of the
 * server's requests at once — answering, or parked waiting for the store.
 * More are refused (503 unavailable with Retry-After) until some finish.
 * Counts live in a fixed table shared by the server's threads, per server
 * also when several servers share one database: the bound protects this
 * process's threads and memory, and grants no right (docs/decisions.md,
 * "Several servers on one database"). */
#ifndef KAIKU_HTTP_INFLIGHT_H
#define KAIKU_HTTP_INFLIGHT_H

#define INFLIGHT_PER_PRINCIPAL 32
#define INFLIGHT_KEY_MAX       96

/* Counts one more request of key: 0, or -ERR_UNAVAILABLE when key already
 * has `max` (nothing counted then). Every 0 is followed by one
 * inflight_leave(key). */
int inflight_enter(const char *key, unsigned max);
void inflight_leave(const char *key);
/* key's requests now (for tests). */
unsigned inflight_count(const char *key);

#endif
