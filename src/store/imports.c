/* Imports from paper and Excel: every row of a file through the
 * transaction script of a single request (cards.c, uses.c), all in one
 * write transaction, rolled back as a whole when any row is refused.
 *
 * kaiku's rules refuse a row by reads before it writes, so the transaction
 * goes on after it. A row that fails after writing (a CHECK of the schema)
 * ends a PostgreSQL transaction, which refuses every statement after an
 * error: then the import is rolled back and run again with a savepoint
 * around each row, as the use writer does (uses.c), so that the row is
 * refused alone and the others are decided, as on SQLite. Savepoints are
 * not taken from the start: on SQLite each costs the pages it changes in a
 * statement journal. */
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

#define PROGRESS_EVERY 500

static const char *const layout_names[IMPORT_LAYOUT_COUNT] = {"handouts", "uses"};

struct event_match {
    const char *name;
    struct event buf;
    int64_t id;
    int count;
};

static int match_event(void *ctx, void *row)
{
    struct event_match *m = ctx;
    const struct event *e = row;
    if (strcmp(e->name, m->name) == 0 && m->count++ == 0)
        m->id = e->id;
    return 0;
}

/* The venue's one event of this name on this Finnish day: none is
 * not_found, two or more invalid_request (details.matches), both on the
 * field "event". */
static int find_event(struct bk_tx *t, const char *venue, const struct import_use *u, int64_t *id,
                      struct error_details *d)
{
    struct event_match m = {.name = u->event};
    int rc = tx_each(t, S_EVENT_LIST_VENUE,
                     BK_ARGS(bk_text(venue), bk_int(hki_from_local(u->date, 0)),
                             bk_int(hki_from_local(u->date + 1, 0))),
                     ROW_EVENT, &m.buf, match_event, &m);
    if (rc == 0 && m.count == 0)
        rc = error_field(d, ERR_NOT_FOUND, "event");
    if (rc == 0 && m.count > 1) {
        rc = error_value(d, ERR_INVALID_REQUEST, "matches", m.count, 0);
        d->field = "event";
    }
    *id = m.id;
    return rc;
}

static int use_row(struct bk_tx *t, const struct actor *a, const char *venue,
                   const struct import_use *u, struct use_job *job, struct error_details *d)
{
    struct use_request r = {.adult = u->adult, .child = u->child, .channel = CHANNEL_PAPER};
    struct use out;
    bool wrote = false;
    memcpy(r.card, u->card, sizeof r.card);
    int rc = find_event(t, venue, u, &r.event, d);
    if (rc != 0)
        return rc;
    *job = (struct use_job){.a = a, .r = &r, .out = &out, .d = d};
    return use_record_tx(t, job, &wrote);
}

struct import_tx {
    const struct actor *a;
    struct store_import *im;
    struct error_details *d;
    struct use_job job; /* scratch for a use's checks (holds an event) */
    bool savepoints;    /* a savepoint around each row */
    bool again;         /* a row's failure ended the transaction: run again with savepoints */
};

static int import_tx(struct bk_tx *t, void *ctx)
{
    struct import_tx *c = ctx;
    struct store_import *im = c->im;
    struct place_buf place;
    bool uses = im->layout == IMPORT_USES;
    size_t refused = 0;
    int rc = place_in_scope(t, c->a, uses ? S_PLACE_VENUE : S_PLACE_UNIT, im->place, &place, c->d,
                            uses ? "venue" : "unit");
    if (rc != 0)
        return rc;
    /* Each row acts as the place's own desk or box office (R3: a unit hands
     * out only its own stock; a venue records uses of its own events),
     * named as the actor (R34). */
    struct actor as = *c->a;
    as.role = uses ? ROLE_VENUE : ROLE_DISTRIBUTOR;
    memcpy(as.scope, uses ? place.venue : place.unit, sizeof as.scope);
    im->recorded = im->skipped = 0;
    for (size_t i = 0; i < im->n && rc == 0; i++) {
        const uint8_t *key = uses ? im->uses[i].key : im->handouts[i].key;
        struct error_details d = {0};
        int64_t one = 0;
        bool found = false;
        if (im->progress && i > 0 && i % PROGRESS_EVERY == 0)
            im->progress(im->ctx, i, im->n);
        if ((rc = tx_get(t, S_IMPORT_ROW_GET, BK_ARGS(bk_hash(key)), ROW_ID, &one, &found)) != 0)
            break;
        if (found) {
            im->skipped++;
            continue;
        }
        if (c->savepoints && (rc = t->ops->savepoint(t, BK_SAVEPOINT)) != 0)
            break;
        int row_rc = uses ? use_row(t, &as, place.venue, &im->uses[i], &c->job, &d)
                          : handout_record_in(t, &as, &im->handouts[i].h, NULL, &d);
        if (row_rc == 0)
            row_rc = tx_exec(t, S_IMPORT_ROW_ADD,
                             BK_ARGS(bk_hash(key), bk_text(layout_names[im->layout]),
                                     bk_text(im->place), bk_text(c->a->user), bk_int(c->a->now)));
        if (c->savepoints) {
            if (row_rc != 0)
                rc = t->ops->savepoint(t, BK_ROLLBACK_TO);
            if (rc == 0)
                rc = t->ops->savepoint(t, BK_RELEASE);
            if (rc != 0)
                break; /* the transaction itself failed: nothing more to decide */
        } else if (row_rc != 0 && !t->ops->alive(t)) {
            c->again = true;
            rc = row_rc;
            break;
        }
        if (row_rc != 0) {
            refused++;
            if (im->refused)
                im->refused(im->ctx, i, -row_rc, &d);
        } else {
            im->recorded++;
        }
    }
    if (rc == 0 && im->progress)
        im->progress(im->ctx, im->n, im->n);
    if (rc == 0 && (refused > 0 || im->check_only))
        rc = -ERR_INVALID_REQUEST; /* all or nothing: the transaction is rolled back */
    if (rc == 0 && im->recorded > 0)
        rc = audit_add(t, c->a, uses ? "import.uses" : "import.handouts", uses ? "venue" : "unit",
                       im->place, place.region);
    return rc;
}

int store_import(struct store *s, const struct actor *a, struct store_import *im,
                 struct error_details *d)
{
    struct import_tx c = {.a = a, .im = im, .d = d};
    int rc = store_write(s, import_tx, &c);
    if (rc != 0 && c.again) {
        if (im->restart)
            im->restart(im->ctx);
        c.again = false;
        c.savepoints = true;
        rc = store_write(s, import_tx, &c);
    }
    if (rc != 0)
        im->recorded = 0;
    return rc;
}
