#include "http/watchdog.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define SWEEP_MS 250

int64_t watchdog_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned watchdog_sweep(struct watchdog *w, int64_t now_ms)
{
    unsigned n = 0;
    pthread_mutex_lock(&w->mu);
    for (struct watch *e = w->head.next; e != &w->head; e = e->next) {
        if (!e->receiving || e->cut || now_ms - e->since_ms <= w->deadline_ms)
            continue;
        /* Under the lock: watchdog_remove comes before the fd is closed. */
        shutdown(e->fd, SHUT_RDWR);
        e->cut = true;
        n++;
    }
    w->cut_total += n;
    pthread_mutex_unlock(&w->mu);
    return n;
}

static void *watch_loop(void *arg)
{
    struct watchdog *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += SWEEP_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = 0;
        while (!w->stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (w->stop)
            break;
        pthread_mutex_unlock(&w->mu);
        watchdog_sweep(w, watchdog_now_ms());
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void init_ring(struct watchdog *w, int64_t deadline_ms)
{
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->head.next = w->head.prev = &w->head;
    w->deadline_ms = deadline_ms;
    w->stop = false;
    w->running = false;
    w->cut_total = 0;
}

int watchdog_start(struct watchdog *w, int64_t deadline_ms)
{
    init_ring(w, deadline_ms);
    if (pthread_create(&w->thread, NULL, watch_loop, w) != 0)
        return -1;
    w->running = true;
    return 0;
}

void watchdog_stop(struct watchdog *w)
{
    if (w->running) {
        pthread_mutex_lock(&w->mu);
        w->stop = true;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        w->running = false;
    }
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
}

struct watch *watchdog_add(struct watchdog *w, int fd)
{
    struct watch *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->fd = fd;
    e->receiving = true;
    e->since_ms = watchdog_now_ms();
    pthread_mutex_lock(&w->mu);
    e->next = &w->head;
    e->prev = w->head.prev;
    w->head.prev->next = e;
    w->head.prev = e;
    pthread_mutex_unlock(&w->mu);
    return e;
}

void watchdog_remove(struct watchdog *w, struct watch *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&w->mu);
    e->prev->next = e->next;
    e->next->prev = e->prev;
    pthread_mutex_unlock(&w->mu);
    free(e);
}

void watchdog_receiving(struct watchdog *w, struct watch *e, bool receiving)
{
    if (!e)
        return;
    int64_t now = watchdog_now_ms();
    pthread_mutex_lock(&w->mu);
    if (receiving && !e->receiving)
        e->since_ms = now;
    e->receiving = receiving;
    pthread_mutex_unlock(&w->mu);
}
