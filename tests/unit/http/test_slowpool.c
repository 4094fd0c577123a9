/* http/slowpool.c and ROUTE_SLOW in http/dispatch.c (issue 16: reports
 * never starve the door): the pool runs jobs on threads of its own at a
 * lower priority, in order; its queue is bounded; a slow route's handler is
 * deferred to it and its reply built there; a full queue is 503 with
 * Retry-After; without a running pool the handler runs where it is called. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "http/dispatch.h"
#include "http/slowpool.h"

/* ---- a latch the tests hold jobs at ---- */

static pthread_mutex_t latch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t latch_cond = PTHREAD_COND_INITIALIZER;
static bool latch_open;

static void latch_set(bool open)
{
    pthread_mutex_lock(&latch_lock);
    latch_open = open;
    pthread_cond_broadcast(&latch_cond);
    pthread_mutex_unlock(&latch_lock);
}

static void latch_wait(void)
{
    pthread_mutex_lock(&latch_lock);
    while (!latch_open)
        pthread_cond_wait(&latch_cond, &latch_lock);
    pthread_mutex_unlock(&latch_lock);
}

static void wait_until(unsigned (*what)(void), unsigned want)
{
    for (int i = 0; i < 5000 && what() != want; i++)
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    assert_int_equal(what(), want);
}

/* ---- jobs ---- */

struct record {
    atomic_int order[8];
    atomic_int n;
    atomic_int cancelled;
    pthread_t thread[8];
    int nice[8];
};

struct job {
    struct record *rec;
    int id;
    bool hold; /* wait at the latch */
};

static void job_run(void *arg)
{
    struct job *j = arg;
    if (j->hold)
        latch_wait();
    int at = atomic_fetch_add(&j->rec->n, 1);
    j->rec->order[at] = j->id;
    j->rec->thread[at] = pthread_self();
    j->rec->nice[at] = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
}

static void job_cancel(void *arg)
{
    struct job *j = arg;
    j->rec->cancelled++;
}

/* One thread, two waiting jobs at most: the third waiting is refused; the
 * jobs run in order, off the caller's thread, at a lower priority. */
static void test_pool_bounded(void **state)
{
    (void)state;
    struct record rec = {0};
    struct job jobs[5] = {
        {&rec, 0, true}, {&rec, 1, false}, {&rec, 2, false}, {&rec, 3, false}, {&rec, 4, false}};
    assert_false(slowpool_running());
    assert_int_equal(slowpool_submit(job_run, job_cancel, &jobs[0]),
                     -ERR_UNAVAILABLE); /* not running */
    assert_int_equal(slowpool_start(0, 2), -ERR_INTERNAL);
    latch_set(false);
    assert_int_equal(slowpool_start(1, 2), 0);
    assert_true(slowpool_running());
    assert_int_equal(slowpool_start(1, 2), -ERR_INTERNAL); /* one pool */
    assert_int_equal(slowpool_submit(job_run, job_cancel, &jobs[0]), 0);
    wait_until(slowpool_running_jobs, 1); /* job 0 holds the one thread */
    assert_int_equal(slowpool_submit(job_run, job_cancel, &jobs[1]), 0);
    assert_int_equal(slowpool_submit(job_run, job_cancel, &jobs[2]), 0);
    assert_int_equal(slowpool_waiting(), 2);
    assert_int_equal(slowpool_submit(job_run, job_cancel, &jobs[3]), -ERR_UNAVAILABLE); /* full */
    latch_set(true);
    wait_until(slowpool_waiting, 0);
    assert_int_equal(slowpool_submit(job_run, job_cancel, &jobs[4]), 0); /* room again */
    slowpool_stop(); /* runs what is queued first */
    assert_false(slowpool_running());
    assert_int_equal(rec.n, 4);
    int mine = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    static const int order[] = {0, 1, 2, 4};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rec.order[i], order[i]);
        assert_false(pthread_equal(rec.thread[i], pthread_self()));
        assert_true(rec.nice[i] >= (mine < 19 ? mine + 1 : 19)); /* lowered (19 at most) */
    }
    assert_int_equal(rec.cancelled, 0);
    slowpool_stop(); /* twice is harmless */

    /* Stopping: jobs still waiting are cancelled, the one running goes on. */
    struct record again = {0};
    struct job more[3] = {{&again, 0, true}, {&again, 1, false}, {&again, 2, false}};
    latch_set(false);
    assert_int_equal(slowpool_start(1, 4), 0);
    assert_int_equal(slowpool_submit(job_run, job_cancel, &more[0]), 0);
    wait_until(slowpool_running_jobs, 1);
    assert_int_equal(slowpool_submit(job_run, job_cancel, &more[1]), 0);
    assert_int_equal(slowpool_submit(job_run, job_cancel, &more[2]), 0);
    slowpool_cancel_waiting();
    assert_int_equal(again.cancelled, 2);
    assert_int_equal(slowpool_waiting(), 0);
    latch_set(true);
    slowpool_stop();
    assert_int_equal(again.n, 1);
    assert_int_equal(again.order[0], 0);
}

/* ---- a slow route through the pipeline ---- */

static _Atomic(pthread_t) handler_thread;

static int slow_handler(struct request *r)
{
    handler_thread = pthread_self();
    if (r->path && strcmp(r->path, "/slow/hold") == 0)
        latch_wait();
    char *body = strdup("done");
    return body ? reply_bytes(r, 200, "text/plain", body, 4) : -ERR_INTERNAL;
}

static int deferring_handler(struct request *r);

static int deferring_start(struct request *r, req_done_fn done, void *token)
{
    (void)r, (void)done, (void)token;
    return -ERR_INTERNAL;
}

static int deferring_handler(struct request *r)
{
    return req_defer(r, deferring_start, NULL, NULL);
}

static const struct route slow_routes[] = {
    {HTTP_GET, "/slow", slow_handler, 0, ROUTE_PUBLIC | ROUTE_SLOW, NULL, NULL, NULL},
    {HTTP_GET, "/slow/hold", slow_handler, 0, ROUTE_PUBLIC | ROUTE_SLOW, NULL, NULL, NULL},
    {HTTP_GET, "/slow/defers", deferring_handler, 0, ROUTE_PUBLIC | ROUTE_SLOW, NULL, NULL, NULL},
};

static const struct site slow_site = {
    .name = "slow",
    .prefix = "/",
    .routes = slow_routes,
    .nroutes = ARRAY_LEN(slow_routes),
    .body = &body_json,
    .render_error = http_render_error_json,
    .csrf = CSRF_FROM_HEADER,
    .csrf_name = "X-CSRF-Token",
};

static const struct site *const only[] = {&slow_site};
static const struct site_list sites = {only, ARRAY_LEN(only)};

static const char *no_header(void *ctx, const char *name)
{
    (void)ctx, (void)name;
    return NULL;
}

static void no_query(void *ctx, bool (*each)(void *arg, const char *key, const char *value),
                     void *arg)
{
    (void)ctx, (void)each, (void)arg;
}

/* What the server does with a parked connection, in small. */
struct parked {
    atomic_bool done;
    int rc;
};

static void parked_done(void *token, int rc)
{
    struct parked *p = token;
    p->rc = rc;
    atomic_store(&p->done, true);
}

/* Runs `path`; returns whether it was deferred, and completes it. */
static bool run(struct request *r, const char *path, struct parked *p)
{
    memset(r, 0, sizeof *r);
    memset(p, 0, sizeof *p);
    r->lang = LANG_EN;
    r->actor.now = (int64_t)time(NULL);
    const struct http_input in = {
        .method = "GET", .path = path, .header = no_header, .cookie = no_header, .query = no_query};
    if (http_handle(&sites, r, &in))
        return false;
    int err = r->defer_start(r, parked_done, p);
    if (err != 0)
        parked_done(p, err);
    return true;
}

static void complete(struct request *r, struct parked *p)
{
    for (int i = 0; i < 5000 && !atomic_load(&p->done); i++)
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    assert_true(atomic_load(&p->done));
    http_complete(r, p->rc);
}

static const char *header_of(const struct request *r, const char *name)
{
    for (const struct http_header *h = r->headers; h; h = h->next)
        if (strcasecmp(h->name, name) == 0)
            return h->value;
    return NULL;
}

static void test_slow_route(void **state)
{
    (void)state;
    struct request r, held, refused;
    struct parked p, ph, pr;

    /* No pool: the handler runs right here. */
    handler_thread = (pthread_t)0;
    assert_false(run(&r, "/slow", &p));
    assert_int_equal(r.status, 200);
    assert_true(pthread_equal(handler_thread, pthread_self()));
    request_release(&r);

    /* A pool of one thread and one waiting job. */
    latch_set(false);
    assert_int_equal(slowpool_start(1, 1), 0);
    assert_true(run(&held, "/slow/hold", &ph)); /* takes the thread */
    wait_until(slowpool_running_jobs, 1);
    assert_true(run(&r, "/slow", &p)); /* waits */
    assert_true(run(&refused, "/slow", &pr));
    complete(&refused, &pr); /* the queue is full */
    assert_int_equal(refused.status, 503);
    assert_string_equal(header_of(&refused, "Retry-After"), SLOWPOOL_RETRY_AFTER_TEXT);
    assert_non_null(strstr(refused.reply, "\"unavailable\""));
    request_release(&refused);
    latch_set(true);
    complete(&held, &ph);
    complete(&r, &p);
    assert_int_equal(held.status, 200);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.reply_len, 4);
    assert_memory_equal(r.reply, "done", 4);
    assert_false(pthread_equal(handler_thread, pthread_self())); /* on the pool */
    request_release(&held);
    request_release(&r);

    /* Stopping: a request still waiting is answered 503 with Retry-After. */
    latch_set(false);
    assert_true(run(&held, "/slow/hold", &ph));
    wait_until(slowpool_running_jobs, 1);
    assert_true(run(&r, "/slow", &p));
    slowpool_cancel_waiting();
    complete(&r, &p);
    assert_int_equal(r.status, 503);
    assert_string_equal(header_of(&r, "Retry-After"), SLOWPOOL_RETRY_AFTER_TEXT);
    request_release(&r);
    latch_set(true);
    complete(&held, &ph);
    assert_int_equal(held.status, 200);
    request_release(&held);

    /* A slow handler may not defer: 500. */
    assert_true(run(&r, "/slow/defers", &p));
    complete(&r, &p);
    assert_int_equal(r.status, 500);
    request_release(&r);
    slowpool_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_bounded),
        cmocka_unit_test(test_slow_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
