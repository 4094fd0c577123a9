/* store/: events and uses through store.h (R15–R17, R24–R27), R16 under
 * concurrent writers, and the write queue of a server. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "store/tx.h" /* WRITE_QUEUE_MAX, WRITE_DEADLINE_MS */
#include "util/date.h"
#include "util/strutil.h"

/* A PATCH that renames the event and sets its cap (and, as a client might
 * try, `used`, which is not a field of a patch and so never applied). */
static struct event_patch rename_event(int32_t cap)
{
    struct event_patch p = {.set = EP_NAME | EP_CAP};
    str_copy(p.v.name, sizeof p.v.name, "Kesäyöntaika");
    p.v.cap = cap;
    p.v.used = 99;
    return p;
}

static int collect_event(void *ctx, const struct event *e)
{
    int64_t *ids = ctx;
    for (int i = 0; i < 8; i++)
        if (ids[i] == 0) {
            ids[i] = e->id;
            break;
        }
    return 0;
}

static void test_events(void **state)
{
    struct fixture *f = *state;
    struct actor hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, ce = COORD_ESPOO, ck = COORD_KAINUU,
                 nat = NATIONAL;
    const struct {
        const char *what;
        const struct actor *a;
        struct event e;
        int rc;
        int64_t minimum;
    } cases[] = {
        {"venue staff adds", &hilla, event_of("hilla", "A", "2020-02-05T18:00", 100, 5), 0, 0},
        {"R32 other venue", &kajaani, event_of("hilla", "B", "2020-02-05T18:00", 100, 5),
         -ERR_FORBIDDEN, 0},
        {"R32 coordinator of another region", &ck,
         event_of("hilla", "B", "2020-02-05T18:00", 100, 5), -ERR_FORBIDDEN, 0},
        {"R15 cap too low", &ce, event_of("hilla", "C", "2020-02-04T18:00", 100, 4),
         -ERR_CAP_TOO_LOW, 5},
        {"unknown venue", &nat, event_of("nope", "D", "2020-02-05T18:00", 100, 5), -ERR_NOT_FOUND,
         0},
        {"R22 pop-up by coordinator", &ce, event_of("ateneum", "E", "2020-02-05T18:00", 50, -1),
         -ERR_FORBIDDEN, 0},
        {"R22 pop-up by national", &nat, event_of("ateneum", "F", "2020-02-02T10:00", 50, -1), 0,
         0},
        {"coordinator adds", &ce, event_of("hilla", "G", "2020-02-03T18:00", 10, 0), 0, 0},
    };
    int64_t first = 0;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct event e = cases[i].e;
        struct error_details d = {0};
        int rc = store_event_add(f->s, cases[i].a, &e, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].minimum)
            assert_int_equal(d.value, cases[i].minimum);
        if (rc == 0 && first == 0)
            first = e.id;
        if (rc == 0)
            assert_string_equal(e.region, strcmp(e.venue, "hilla") == 0 ? "espoo" : "");
    }
    struct event e;
    assert_int_equal(store_event_get(f->s, first, &e), 0);
    assert_string_equal(e.name, "A");
    assert_int_equal(e.cap, 5);
    assert_int_equal(e.used, 0);
    assert_int_equal(e.booking_opens_days, -1);
    assert_int_equal(store_event_get(f->s, 9999, &e), -ERR_NOT_FOUND);

    /* Listing: ordered by start; filtered by venue and [from, to). */
    int64_t ids[8] = {0};
    const struct event_filter all = {NULL, 0, 0};
    assert_int_equal(store_event_list(f->s, &all, collect_event, ids), 0);
    assert_string_equal(cases[6].e.name, "F");
    struct event ev;
    assert_int_equal(store_event_get(f->s, ids[0], &ev), 0);
    assert_string_equal(ev.name, "F");
    assert_int_equal(store_event_get(f->s, ids[1], &ev), 0);
    assert_string_equal(ev.name, "G");
    assert_int_equal(ids[2], first);
    assert_int_equal(ids[3], 0);
    memset(ids, 0, sizeof ids);
    const struct event_filter window = {"hilla", T("2020-02-04T00:00"), T("2020-02-06T00:00")};
    assert_int_equal(store_event_list(f->s, &window, collect_event, ids), 0);
    assert_int_equal(ids[0], first);
    assert_int_equal(ids[1], 0);

    /* Update (PATCH): used never changes; cap below used refused. */
    struct actor ds = DIST_SOTE;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 1, 2)), 0);
    assert_int_equal(record(f->s, &hilla, "E0", first, 1, 3), 0);
    struct event_patch p = rename_event(20);
    struct error_details d = {0};
    assert_int_equal(store_event_update(f->s, &hilla, first, &p, &e, &d), 0);
    assert_string_equal(e.name, "Kesäyöntaika");
    assert_int_equal(e.cap, 20);
    assert_int_equal(e.used, 4);
    assert_int_equal(store_event_get(f->s, first, &e), 0);
    assert_int_equal(e.used, 4);
    assert_int_equal(e.cap, 20);
    p = rename_event(3); /* below the 5 % minimum */
    assert_int_equal(store_event_update(f->s, &hilla, first, &p, &e, &d), -ERR_CAP_TOO_LOW);
    int64_t small = 0;
    {
        struct event s10 = event_of("hilla", "Pieni", "2020-02-03T18:00", 10, -1);
        assert_int_equal(store_event_add(f->s, &hilla, &s10, NULL), 0);
        small = s10.id;
    }
    assert_int_equal(record(f->s, &hilla, "E1", small, 1, 2), 0);
    p = rename_event(2); /* R15: allowed for capacity 10, but below the 3 used */
    assert_int_equal(store_event_update(f->s, &hilla, small, &p, &e, &d), -ERR_CAP_BELOW_USED);
    memset(&d, 0, sizeof d);
    struct event_patch move = {.set = EP_VENUE};
    str_copy(move.v.venue, sizeof move.v.venue, "kajaani");
    assert_int_equal(store_event_update(f->s, &hilla, first, &move, &e, &d), -ERR_INVALID_REQUEST);
    assert_string_equal(d.field, "venue");
    assert_int_equal(store_event_update(f->s, &kajaani, first, &p, &e, &d), -ERR_FORBIDDEN);
    assert_int_equal(store_event_update(f->s, &hilla, 9999, &p, &e, &d), -ERR_NOT_FOUND);
    struct event_patch nameless = {.set = EP_NAME}; /* "" fails event_validate */
    assert_int_equal(store_event_update(f->s, &hilla, first, &nameless, &e, &d),
                     -ERR_INVALID_REQUEST);
    assert_int_equal(store_event_get(f->s, first, &e), 0);
    assert_string_equal(e.venue, "hilla");
    assert_int_equal(e.cap, 20);
}

static void test_use_record_R24_R27(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, ce = COORD_ESPOO;
    for (int i = 0; i < 4; i++) {
        char code[8];
        snprintf(code, sizeof code, "E%d", i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 2)), 0);
    }
    int64_t ev = add_event(f->s, "hilla", 10, 4);
    const struct {
        const char *what;
        const struct actor *a;
        const char *card;
        int64_t event;
        int adult, child;
        int rc;
        const char *field;
    } cases[] = {
        {"first use", &hilla, "E0", ev, 1, 1, 0, NULL},
        {"R24 one adult ticket per event", &hilla, "E0", ev, 1, 0, -ERR_DUPLICATE_ADULT_TICKET,
         "adult"},
        {"R24 more children are fine", &ce, "E0", ev, 0, 1, 0, NULL},
        {"R27 unknown card", &hilla, "QQ", ev, 1, 0, -ERR_CARD_UNKNOWN, "card"},
        {"R27 card not issued", &hilla, "E9", ev, 1, 0, -ERR_CARD_NOT_ISSUED, "card"},
        {"R32 another venue", &kajaani, "E1", ev, 1, 0, -ERR_FORBIDDEN, NULL},
        {"unknown event", &hilla, "E1", 9999, 1, 0, -ERR_NOT_FOUND, "event"},
        {"R16 cap reached", &hilla, "E1", ev, 1, 1, -ERR_CAP_REACHED, NULL},
        {"last place", &hilla, "E1", ev, 1, 0, 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct use_request r =
            use_req(cases[i].card, cases[i].event, cases[i].adult, cases[i].child, "");
        struct use u;
        bool replayed = true;
        struct error_details d = {0};
        int rc = store_use_record(f->s, cases[i].a, &r, &u, &replayed, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        assert_false(replayed);
        if (rc == 0) {
            assert_true(u.id > 0);
            assert_string_equal(u.card, cases[i].card);
            assert_string_equal(u.recorded_by, cases[i].a->user);
        }
    }
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 4);
    assert_int_equal(count_uses(f->s, 0), 3);
}

static void test_use_idempotency_R27(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, hilla = VENUE_HILLA, ce = COORD_ESPOO, nat = NATIONAL;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    int64_t ev = add_event(f->s, "hilla", 100, -1);
    struct use_request r = use_req("E0", ev, 1, 2, "key-1");
    struct use first, again;
    bool replayed = true;
    assert_int_equal(store_use_record(f->s, &hilla, &r, &first, &replayed, NULL), 0);
    assert_false(replayed);
    int audit_rows = audit_of(f->s, &nat).count;
    /* R27: the same key and body → the first use, nothing written. */
    assert_int_equal(store_use_record(f->s, &hilla, &r, &again, &replayed, NULL), 0);
    assert_true(replayed);
    assert_int_equal(again.id, first.id);
    assert_int_equal(again.child, 2);
    assert_int_equal(audit_of(f->s, &nat).count, audit_rows);
    /* Another body with the key → conflict. */
    struct use_request other = use_req("E0", ev, 1, 3, "key-1");
    struct error_details d = {0};
    assert_int_equal(store_use_record(f->s, &hilla, &other, &again, &replayed, &d),
                     -ERR_IDEMPOTENCY_CONFLICT);
    /* The key belongs to whoever used it: another user's key is their own. */
    assert_int_equal(store_use_record(f->s, &ce, &other, &again, &replayed, NULL),
                     -ERR_DUPLICATE_ADULT_TICKET);
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 3);
    assert_int_equal(count_uses(f->s, 0), 1);
}

struct use_seen {
    int count;
    int undone;
    struct use_row first, last, last_undone;
};

static int collect_use(void *ctx, const struct use_row *u)
{
    struct use_seen *seen = ctx;
    if (seen->count++ == 0)
        seen->first = *u;
    if (u->use.undone_at != 0) {
        seen->undone++;
        seen->last_undone = *u;
    }
    seen->last = *u;
    return 0;
}

static void test_use_undo_R25(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, ce = COORD_ESPOO,
                 ck = COORD_KAINUU;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 1, 2)), 0);
    int64_t ev = add_event(f->s, "hilla", 10, 2);
    struct use_request r = use_req("E0", ev, 1, 1, "");
    struct use u;
    bool replayed;
    assert_int_equal(store_use_record(f->s, &hilla, &r, &u, &replayed, NULL), 0);
    assert_int_equal(record(f->s, &hilla, "E1", ev, 1, 0), -ERR_CAP_REACHED);

    assert_int_equal(store_use_undo(f->s, &kajaani, u.id), -ERR_FORBIDDEN);
    assert_int_equal(store_use_undo(f->s, &ck, u.id), -ERR_FORBIDDEN);
    assert_int_equal(store_use_undo(f->s, &hilla, 9999), -ERR_NOT_FOUND);
    assert_int_equal(store_use_undo(f->s, &hilla, u.id), 0);
    assert_int_equal(store_use_undo(f->s, &hilla, u.id), -ERR_NOT_FOUND); /* R25: twice */
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 0);
    /* R25: the undone use frees its place, and the same card may again. */
    assert_int_equal(record(f->s, &hilla, "E1", ev, 1, 0), 0);
    assert_int_equal(record(f->s, &hilla, "E0", ev, 1, 0), 0);

    /* The row stays, with who undid it and when. */
    struct use_seen seen = {0};
    const struct use_filter all = {NULL, 0, -1, -1, 0};
    assert_int_equal(store_use_list(f->s, &hilla, &all, collect_use, &seen), 0);
    assert_int_equal(seen.count, 3);
    assert_int_equal(seen.undone, 1);
    assert_string_equal(seen.last_undone.use.undone_by, "hilla-staff");
    assert_int_equal(seen.last_undone.use.undone_at, T(NOW));
    assert_string_equal(seen.last.venue, "hilla");
    assert_string_equal(seen.last.event_name, "Taikuri Matti");
    /* R32: listings follow the scope; the day filter is on the event's day. */
    const struct {
        const struct actor *a;
        struct use_filter f;
        int count;
    } lists[] = {
        {&kajaani, {NULL, 0, -1, -1, 0}, 0},
        {&ce, {"hilla", 0, -1, -1, 0}, 3},
        {&ck, {NULL, 0, -1, -1, 0}, 0},
        {&hilla, {NULL, ev, D(2020, 2, 3), D(2020, 2, 3), 0}, 3},
        {&hilla, {NULL, 0, D(2020, 2, 4), -1, 0}, 0},
        {&hilla, {NULL, 0, -1, D(2020, 2, 2), 0}, 0},
        /* a venue and a first day: drawn from the venue's events (USE_LIST_VENUE) */
        {&hilla, {NULL, 0, D(2020, 2, 3), D(2020, 2, 3), 0}, 3},
        {&hilla, {NULL, 0, D(2020, 2, 3), -1, 0}, 3},
        {&hilla, {NULL, 0, D(2020, 2, 4), D(2020, 2, 9), 0}, 0},
        {&ce, {"hilla", 0, D(2020, 2, 1), D(2020, 2, 3), 0}, 3},
        {&ce, {"hilla", ev + 1000, D(2020, 2, 1), D(2020, 2, 3), 0}, 0},
        {&kajaani, {NULL, 0, D(2020, 2, 3), D(2020, 2, 3), 0}, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        struct use_seen s = {0};
        assert_int_equal(store_use_list(f->s, lists[i].a, &lists[i].f, collect_use, &s), 0);
        if (s.count != lists[i].count)
            fail_msg("use list %zu: %d, expected %d", i, s.count, lists[i].count);
    }
    /* R32: another region's coordinator asking for the venue is refused
     * before a use is read (issue 15: no scan to return nothing). */
    const struct use_filter other = {"hilla", 0, D(2020, 2, 3), D(2020, 2, 3), 0};
    struct use_seen none_seen = {0};
    assert_int_equal(store_use_list(f->s, &ck, &other, collect_use, &none_seen), -ERR_FORBIDDEN);
    assert_int_equal(none_seen.count, 0);
    /* Paging by id: after the first use come the other two; after the last, none. */
    const struct use_filter after_first = {NULL, 0, -1, -1, seen.first.use.id};
    const struct use_filter after_last = {NULL, 0, -1, -1, seen.last.use.id};
    struct use_seen rest = {0}, none = {0};
    assert_int_equal(store_use_list(f->s, &hilla, &after_first, collect_use, &rest), 0);
    assert_int_equal(rest.count, 2);
    assert_int_equal(store_use_list(f->s, &hilla, &after_last, collect_use, &none), 0);
    assert_int_equal(none.count, 0);
    /* The same from the venue's events of a day on: by id, paged alike. */
    const struct use_filter day_after_first = {NULL, 0, D(2020, 2, 3), D(2020, 2, 3),
                                               seen.first.use.id};
    struct use_seen day_rest = {0};
    assert_int_equal(store_use_list(f->s, &hilla, &day_after_first, collect_use, &day_rest), 0);
    assert_int_equal(day_rest.count, 2);
    assert_int_equal(day_rest.first.use.id, rest.first.use.id);
    assert_int_equal(day_rest.last.use.id, seen.last.use.id);
    assert_int_equal(day_rest.undone, rest.undone);
}

#define RACE_THREADS 8

#define RACE_CARDS 4 /* per thread */

struct racer {
    struct store *s;
    int64_t event;
    int index;
    pthread_barrier_t *start;
    int ok, cap_reached, other;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct actor a = VENUE_HILLA;
    pthread_barrier_wait(r->start);
    for (int i = 0; i < RACE_CARDS; i++) {
        char code[CODE_MAX + 1];
        snprintf(code, sizeof code, "R%d", r->index * RACE_CARDS + i);
        int rc = record(r->s, &a, code, r->event, 1, 0);
        if (rc == 0)
            r->ok++;
        else if (rc == -ERR_CAP_REACHED)
            r->cap_reached++;
        else
            r->other++;
    }
    return NULL;
}

static void race_cap(struct fixture *f)
{
    struct actor ds = DIST_SOTE;
    stock(f->s, "espoo-sote", CARD_PERSONAL, "R", RACE_THREADS * RACE_CARDS);
    for (int i = 0; i < RACE_THREADS * RACE_CARDS; i++) {
        char code[CODE_MAX + 1];
        snprintf(code, sizeof code, "R%d", i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 2)), 0);
    }
    int64_t ev = add_event(f->s, "hilla", 100, 5);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACE_THREADS);
    pthread_t threads[RACE_THREADS];
    struct racer racers[RACE_THREADS];
    for (int i = 0; i < RACE_THREADS; i++) {
        racers[i] = (struct racer){f->s, ev, i, &start, 0, 0, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    int ok = 0, cap_reached = 0, other = 0;
    for (int i = 0; i < RACE_THREADS; i++) {
        pthread_join(threads[i], NULL);
        ok += racers[i].ok;
        cap_reached += racers[i].cap_reached;
        other += racers[i].other;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 5);
    assert_int_equal(cap_reached, RACE_THREADS * RACE_CARDS - 5);
    assert_int_equal(other, 0);
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 5);
    assert_int_equal(count_uses(f->s, ev), 5);
}

/* R16 with each caller's transaction on its own thread (a command)… */
static void test_race_cap_R16(void **state)
{
    race_cap(*state);
}

/* … and through the write queue of a server. */
static void test_race_cap_R16_serving(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_serve(f->s), 0);
    race_cap(f);
}

/* R16 through store_use_record_async: uses queued without waiting are
 * recorded one by one against the cap, each caller hears back exactly once,
 * and whatever is queued when the store closes is still recorded. */
static void test_use_async_R16(void **state)
{
    struct fixture *f = *state;
    static struct async_use uses[ASYNC_USES];
    struct actor hilla = VENUE_HILLA;
    int64_t ev = async_uses_ready(f, "A", 5, uses);
    async_uses_queue(f, &hilla, uses);
    store_close(f->s); /* waits for the queue */
    assert_int_equal(store_open(f->path, &f->s), 0);

    int ok = 0, cap_reached = 0;
    for (int i = 0; i < ASYNC_USES; i++) {
        if (uses[i].calls != 1)
            fail_msg("use %d: done called %d times", i, uses[i].calls);
        if (uses[i].rc == 0) {
            ok++;
            assert_true(uses[i].out.id > 0);
            assert_string_equal(uses[i].out.card, uses[i].r.card);
        } else if (uses[i].rc == -ERR_CAP_REACHED) {
            cap_reached++;
        } else {
            fail_msg("use %d: rc %d", i, uses[i].rc);
        }
    }
    assert_int_equal(ok, 5);
    assert_int_equal(cap_reached, ASYNC_USES - 5);
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 5);
    assert_int_equal(count_uses(f->s, 0), 5);
    assert_int_equal(count_audit(f->s, "use.record"), 5);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

#define FLOOD (3 * WRITE_QUEUE_MAX)

/* While another process holds the database's write lock, a server's writes
 * answer -ERR_UNAVAILABLE (503 with Retry-After) within about two deadlines,
 * not after SQLite's five seconds; the queue has a bound, past which a
 * write is refused at once; and every write queued is answered exactly once
 * when the lock comes back. */
static void test_write_queue_bounded(void **state)
{
    struct fixture *f = *state;
    static struct async_use uses[FLOOD];
    struct actor nat = NATIONAL, hilla = VENUE_HILLA;
    assert_int_equal(store_serve(f->s), 0);
    struct write_lock *hold = write_lock_hold(f->path);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const struct region r = {"uusimaa", "Uusimaa", -1};
    assert_int_equal(store_region_add(f->s, &nat, &r), -ERR_UNAVAILABLE);
    double waited = seconds_since(&t0);
    if (waited > 2.5 * WRITE_DEADLINE_MS / 1000.0)
        fail_msg("a write waited %.2f s for another process's lock", waited);

    size_t accepted = 0, refused = 0;
    for (size_t i = 0; i < FLOOD; i++) {
        uses[i] = (struct async_use){.r = use_req("E0", 9999, 1, 0, ""), .rc = 1};
        int rc = store_use_record_async(f->s, &hilla, &uses[i].r, &uses[i].out, &uses[i].replayed,
                                        &uses[i].d, async_done, &uses[i]);
        if (rc == 0)
            accepted++;
        else if (rc == -ERR_UNAVAILABLE)
            refused++;
        else
            fail_msg("use %zu: rc %d", i, rc);
    }
    if (refused == 0)
        fail_msg("%zu writes queued while the writer was blocked: the queue has no bound",
                 accepted);
    write_lock_release(hold);
    store_close(f->s); /* answers everything queued */
    assert_int_equal(store_open(f->path, &f->s), 0);
    size_t answered = 0;
    for (size_t i = 0; i < FLOOD; i++) {
        if (uses[i].calls > 1)
            fail_msg("use %zu: done called %d times", i, uses[i].calls);
        answered += (size_t)uses[i].calls;
        if (uses[i].calls && uses[i].rc != -ERR_UNAVAILABLE && uses[i].rc != -ERR_NOT_FOUND)
            fail_msg("use %zu: rc %d", i, uses[i].rc);
    }
    assert_int_equal(answered, accepted);
    assert_int_equal(count_uses(f->s, 0), 0);
    assert_int_equal(store_region_add(f->s, &nat, &r), 0); /* and writes go on */
}

#define LATE_WRITERS 4

struct late_writer {
    struct store *s;
    int i;
    int rc;
    double waited;
};

static void *late_write(void *arg)
{
    struct late_writer *w = arg;
    struct actor nat = NATIONAL;
    struct region r = {"", "Late", -1};
    snprintf(r.id, sizeof r.id, "late-%d", w->i);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    w->rc = store_region_add(w->s, &nat, &r);
    w->waited = seconds_since(&t0);
    return NULL;
}

/* Writes queued behind one that waits for another process's lock are each
 * judged by the clock when their turn comes: every caller has its answer
 * within about two deadlines of asking, not one busy wait per write ahead of
 * it (the writer once judged a whole take of the queue by the time it took
 * it, so the last of n writes waited n seconds). */
static void test_write_queue_deadline_per_turn(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL;
    assert_int_equal(store_serve(f->s), 0);
    struct write_lock *hold = write_lock_hold(f->path);

    /* The first write occupies the writer with a busy wait of its own … */
    struct late_writer first = {f->s, 0, 1, 0};
    pthread_t t_first;
    assert_int_equal(pthread_create(&t_first, NULL, late_write, &first), 0);
    /* … and the others arrive halfway through it, so that their deadlines
     * are still ahead when the writer takes them. */
    struct timespec half = {0, (long)WRITE_DEADLINE_MS * 1000000L / 2};
    nanosleep(&half, NULL);
    struct late_writer late[LATE_WRITERS];
    pthread_t t_late[LATE_WRITERS];
    for (int i = 0; i < LATE_WRITERS; i++) {
        late[i] = (struct late_writer){f->s, i + 1, 1, 0};
        assert_int_equal(pthread_create(&t_late[i], NULL, late_write, &late[i]), 0);
    }
    pthread_join(t_first, NULL);
    for (int i = 0; i < LATE_WRITERS; i++)
        pthread_join(t_late[i], NULL);
    write_lock_release(hold);

    assert_int_equal(first.rc, -ERR_UNAVAILABLE);
    for (int i = 0; i < LATE_WRITERS; i++) {
        assert_int_equal(late[i].rc, -ERR_UNAVAILABLE);
        if (late[i].waited > 2.5 * WRITE_DEADLINE_MS / 1000.0)
            fail_msg("write %d behind a slow one waited %.2f s", i + 1, late[i].waited);
    }
    const struct region r = {"uusimaa", "Uusimaa", -1};
    assert_int_equal(store_region_add(f->s, &nat, &r), 0); /* and writes go on */
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_events),
        T_(test_use_record_R24_R27),
        T_(test_use_idempotency_R27),
        T_(test_use_undo_R25),
        T_(test_race_cap_R16),
        T_(test_race_cap_R16_serving),
        T_(test_use_async_R16),
        T_(test_write_queue_bounded),
        T_(test_write_queue_deadline_per_turn),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
