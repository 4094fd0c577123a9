/* The slow routes' pool (slowpool.h): a ring of waiting jobs under one
 * mutex, and threads that take them in order. */
#include "http/slowpool.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.h"

struct job {
    void (*fn)(void *arg);
    void (*cancel)(void *arg);
    void *arg;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t threads[SLOWPOOL_THREADS_MAX];
    unsigned nthreads;
    struct job *ring;
    unsigned cap, head, count; /* waiting jobs: ring[head], … (count of them) */
    unsigned busy;             /* jobs running */
    bool running, stopping;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *worker(void *unused)
{
    (void)unused;
    /* Lower this thread's priority only (on Linux a thread has its own nice
     * value); failing to is harmless. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), SLOWPOOL_NICE);
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (pool.count == 0 && !pool.stopping)
            pthread_cond_wait(&pool.wake, &pool.lock);
        if (pool.count == 0)
            break; /* stopping, and nothing left to do */
        struct job j = pool.ring[pool.head];
        pool.head = (pool.head + 1) % pool.cap;
        pool.count--;
        pool.busy++;
        pthread_mutex_unlock(&pool.lock);
        j.fn(j.arg);
        pthread_mutex_lock(&pool.lock);
        pool.busy--;
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

int slowpool_start(unsigned threads, unsigned queue_max)
{
    if (threads < 1 || threads > SLOWPOOL_THREADS_MAX || queue_max < 1)
        return -ERR_INTERNAL; /* the caller's bug */
    int rc = 0;
    pthread_mutex_lock(&pool.lock);
    if (pool.running)
        rc = -ERR_INTERNAL; /* one pool per process */
    else if (!(pool.ring = calloc(queue_max, sizeof *pool.ring)))
        rc = -ERR_UNAVAILABLE;
    bool mine = rc == 0;
    if (mine) {
        pool.cap = queue_max;
        pool.head = pool.count = pool.busy = 0;
        pool.stopping = false;
        pool.running = true;
    }
    pthread_mutex_unlock(&pool.lock);
    for (unsigned i = 0; rc == 0 && i < threads; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker, NULL) != 0)
            rc = -ERR_UNAVAILABLE;
        else
            pool.nthreads = i + 1;
    }
    if (rc != 0 && mine)
        slowpool_stop(); /* the threads started so far */
    return rc;
}

void slowpool_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    bool was = pool.running;
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    if (!was)
        return;
    for (unsigned i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    pthread_mutex_lock(&pool.lock);
    free(pool.ring);
    pool.ring = NULL;
    pool.nthreads = pool.cap = pool.head = pool.count = 0;
    pool.running = pool.stopping = false;
    pthread_mutex_unlock(&pool.lock);
}

bool slowpool_running(void)
{
    pthread_mutex_lock(&pool.lock);
    bool running = pool.running && !pool.stopping;
    pthread_mutex_unlock(&pool.lock);
    return running;
}

int slowpool_submit(void (*fn)(void *arg), void (*cancel)(void *arg), void *arg)
{
    int rc = -ERR_UNAVAILABLE;
    pthread_mutex_lock(&pool.lock);
    if (pool.running && !pool.stopping && pool.count < pool.cap) {
        pool.ring[(pool.head + pool.count) % pool.cap] = (struct job){fn, cancel, arg};
        pool.count++;
        pthread_cond_signal(&pool.wake);
        rc = 0;
    }
    pthread_mutex_unlock(&pool.lock);
    return rc;
}

void slowpool_cancel_waiting(void)
{
    for (;;) {
        pthread_mutex_lock(&pool.lock);
        bool any = pool.count > 0;
        struct job j = {0};
        if (any) {
            j = pool.ring[pool.head];
            pool.head = (pool.head + 1) % pool.cap;
            pool.count--;
        }
        pthread_mutex_unlock(&pool.lock);
        if (!any)
            return;
        j.cancel(j.arg); /* outside the lock: it may resume a connection */
    }
}

unsigned slowpool_waiting(void)
{
    pthread_mutex_lock(&pool.lock);
    unsigned n = pool.count;
    pthread_mutex_unlock(&pool.lock);
    return n;
}

unsigned slowpool_running_jobs(void)
{
    pthread_mutex_lock(&pool.lock);
    unsigned n = pool.busy;
    pthread_mutex_unlock(&pool.lock);
    return n;
}
