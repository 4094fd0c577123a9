/* The pool of slow routes (ROUTE_SLOW in http/site.h): threads of their own
 * and a bounded queue, so that long work — the reports — never holds the
 * HTTP worker threads that answer card lookups at the door. A slow route's
 * handler is run here while its connection is parked (the deferral of
 * http/request.h); when the queue is full the request is answered at once
 * with 503 unavailable and Retry-After. The pool's threads run at a lower
 * CPU priority (nice), so that on a busy machine the door's requests come
 * first.
 *
 * One pool per process, started by the server (http_serve) and stopped
 * after it; while it is not running, slow routes run on the caller's thread
 * (unit tests through http_handle). */
#ifndef KAIKU_HTTP_SLOWPOOL_H
#define KAIKU_HTTP_SLOWPOOL_H

#include <stdbool.h>

#define SLOWPOOL_THREADS_MAX      16
#define SLOWPOOL_QUEUE_DEFAULT    16 /* jobs waiting (not counting those running) */
#define SLOWPOOL_NICE             10 /* added to the threads' nice value */
#define SLOWPOOL_RETRY_AFTER_S    2  /* Retry-After of a request refused when full */
#define SLOWPOOL_RETRY_AFTER_TEXT "2"

/* Starts `threads` threads (1..SLOWPOOL_THREADS_MAX) with a queue of
 * `queue_max` waiting jobs (>= 1). Returns 0, or -ERR_UNAVAILABLE when a
 * thread could not be started (none is left running then). */
int slowpool_start(unsigned threads, unsigned queue_max);
/* Lets the threads finish every job queued, then joins them. */
void slowpool_stop(void);
bool slowpool_running(void);

/* Queues fn(arg) for a pool thread. Returns 0 — then exactly one of fn(arg)
 * and cancel(arg) will be called — or -ERR_UNAVAILABLE when the queue is
 * full or the pool is not running (neither is called). */
int slowpool_submit(void (*fn)(void *arg), void (*cancel)(void *arg), void *arg);
/* Calls cancel(arg) for every job still waiting, on this thread, and takes
 * them off the queue; jobs running go on. For a server that is stopping:
 * its shutdown need not wait for reports nobody has started. */
void slowpool_cancel_waiting(void);

/* Jobs waiting and jobs running now (for tests and logs). */
unsigned slowpool_waiting(void);
unsigned slowpool_running_jobs(void);

#endif
