/* A deadline for receiving a request: libmicrohttpd times out only silence,
 * so a client sending one header line every 25 s would hold a connection
 * for ever. The server registers each connection here; while a connection
 * is receiving (from its start, and again after each reply while it waits
 * for the next request on keep-alive) it must have sent a whole request
 * within the deadline, or a thread of the watchdog shuts its socket down
 * (libmicrohttpd then sees the connection end and cleans it up). A
 * connection whose request has been read (being answered, or parked) is
 * not timed here. */
#ifndef KAIKU_HTTP_WATCHDOG_H
#define KAIKU_HTTP_WATCHDOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct watch {
    struct watch *prev, *next;
    int fd;
    bool receiving;
    bool cut;         /* shut down once already */
    int64_t since_ms; /* when it began receiving (CLOCK_MONOTONIC) */
};

struct watchdog {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool running, stop;
    int64_t deadline_ms;
    struct watch head; /* a ring; head itself is no connection */
    uint64_t cut_total;
};

/* Starts the watchdog's thread, checking every 250 ms. Returns 0 or -1. */
int watchdog_start(struct watchdog *w, int64_t deadline_ms);
/* Stops the thread; connections still registered are left alone. */
void watchdog_stop(struct watchdog *w);

/* A new connection on fd, receiving from now. NULL when out of memory (the
 * connection is then not timed). */
struct watch *watchdog_add(struct watchdog *w, int fd);
/* The connection is closing: forget it, before its socket is closed (so the
 * watchdog never shuts down a descriptor that has been reused). */
void watchdog_remove(struct watchdog *w, struct watch *e);
/* The request has been read (receiving false), or its reply has gone and the
 * next one may come (receiving true: the deadline starts again). */
void watchdog_receiving(struct watchdog *w, struct watch *e, bool receiving);

/* One pass at now_ms: shuts down every connection receiving for longer than
 * the deadline; returns how many (the thread calls it; tests too). */
unsigned watchdog_sweep(struct watchdog *w, int64_t now_ms);
int64_t watchdog_now_ms(void);

#endif
