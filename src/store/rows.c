/* Rows into structs: one table of row readers, one per column list of
 * stmt.h, and the helpers every script uses to run statements through the
 * backend contract. */
#include <assert.h>
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

/* ---- columns ---- */

static void col_text(const struct bk_row *r, size_t i, char *dst, size_t cap)
{
    const struct bk_value *v = &r->v[i];
    size_t n = v->type == BK_TEXT ? v->n : 0;
    if (n >= cap)
        n = cap - 1; /* the schema's CHECKs keep every text within its struct */
    if (n)
        memcpy(dst, v->p, n);
    dst[n] = '\0';
}

static int64_t col_int(const struct bk_row *r, size_t i)
{
    return r->v[i].type == BK_INT ? r->v[i].i : 0;
}

static int32_t col_i32(const struct bk_row *r, size_t i)
{
    return (int32_t)col_int(r, i);
}

static bool col_bool(const struct bk_row *r, size_t i)
{
    return col_int(r, i) != 0;
}

static int col_name(const struct bk_row *r, size_t i, const struct name_table *t)
{
    char text[40];
    col_text(r, i, text, sizeof text);
    int v = name_lookup(t, text);
    return v >= 0 ? v : 0; /* the schema's CHECKs allow only known names */
}

/* ---- the row readers ---- */

static void read_id(const struct bk_row *r, void *out)
{
    *(int64_t *)out = col_int(r, 0);
}

static void read_place(const struct bk_row *r, void *out)
{
    struct place_buf *p = out;
    col_text(r, 0, p->region, sizeof p->region);
    col_text(r, 1, p->unit, sizeof p->unit);
    col_text(r, 2, p->venue, sizeof p->venue);
}

static void read_region(const struct bk_row *r, void *out)
{
    struct region *g = out;
    col_text(r, 0, g->id, sizeof g->id);
    col_text(r, 1, g->name, sizeof g->name);
    g->pilot_ends_on = col_i32(r, 2);
}

static void read_unit(const struct bk_row *r, void *out)
{
    struct unit *u = out;
    col_text(r, 0, u->id, sizeof u->id);
    col_text(r, 1, u->region, sizeof u->region);
    col_text(r, 2, u->name, sizeof u->name);
}

static void read_venue(const struct bk_row *r, void *out)
{
    struct venue *v = out;
    col_text(r, 0, v->id, sizeof v->id);
    col_text(r, 1, v->region, sizeof v->region);
    col_text(r, 2, v->name, sizeof v->name);
    v->category = (enum venue_category)col_name(r, 3, &venue_category_names);
    col_text(r, 4, v->accessibility, sizeof v->accessibility);
    v->free_cloakroom = col_bool(r, 5);
    col_text(r, 6, v->accessibility_sv, sizeof v->accessibility_sv);
    col_text(r, 7, v->accessibility_en, sizeof v->accessibility_en);
}

static void read_user(const struct bk_row *r, void *out)
{
    struct user_row *u = out;
    col_text(r, 0, u->user.username, sizeof u->user.username);
    u->user.role = (enum role)col_name(r, 1, &role_names);
    col_text(r, 2, u->user.scope, sizeof u->user.scope);
    u->user.disabled = col_bool(r, 3);
    read_place(&(struct bk_row){r->v + 4, 3}, &u->place);
    col_text(r, 7, u->hash, sizeof u->hash);
}

static void read_session(const struct bk_row *r, void *out)
{
    struct session_row *s = out;
    read_user(r, &s->u);
    s->expires_at = col_int(r, 8); /* after USER */
}

static void read_api_key(const struct bk_row *r, void *out)
{
    struct api_key *k = out;
    k->id = col_int(r, 0);
    col_text(r, 1, k->venue, sizeof k->venue);
    col_text(r, 2, k->label, sizeof k->label);
    k->created_at = col_int(r, 3);
}

static void read_card(const struct bk_row *r, void *out)
{
    struct card *c = out;
    col_text(r, 0, c->code, sizeof c->code);
    c->kind = (enum card_kind)col_name(r, 1, &card_kind_names);
    col_text(r, 2, c->unit, sizeof c->unit);
    col_text(r, 3, c->region, sizeof c->region);
    c->issued = r->v[4].type != BK_NULL;
    c->handed_out_on = c->issued ? col_i32(r, 4) : 0;
    c->valid_until = c->issued ? col_i32(r, 5) : 0;
    c->cancelled = col_bool(r, 6);
    c->live_uses = col_int(r, 7);
}

static void read_transfer(const struct bk_row *r, void *out)
{
    struct transfer_row *row = out;
    struct transfer *t = &row->t;
    t->id = col_int(r, 0);
    col_text(r, 1, t->from_unit, sizeof t->from_unit);
    col_text(r, 2, t->to_unit, sizeof t->to_unit);
    col_text(r, 3, t->region, sizeof t->region);
    t->status = (enum transfer_status)col_name(r, 4, &transfer_status_names);
    t->count = col_i32(r, 5);
    col_text(r, 6, t->requested_by, sizeof t->requested_by);
    t->requested_at = col_int(r, 7);
    col_text(r, 8, t->decided_by, sizeof t->decided_by);
    t->decided_at = col_int(r, 9);
    col_text(r, 10, row->to_region, sizeof row->to_region);
}

static void read_event(const struct bk_row *r, void *out)
{
    struct event *e = out;
    e->id = col_int(r, 0);
    col_text(r, 1, e->venue, sizeof e->venue);
    col_text(r, 2, e->region, sizeof e->region);
    col_text(r, 3, e->name, sizeof e->name);
    e->kind = (enum event_kind)col_name(r, 4, &event_kind_names);
    e->starts_at = col_int(r, 5);
    e->capacity = col_i32(r, 6);
    e->cap = col_i32(r, 7);
    e->guest_producer = col_bool(r, 8);
    e->booking_opens_days = col_i32(r, 9);
    e->collection_opens_minutes = col_i32(r, 10);
    e->excluded = col_bool(r, 11);
    col_text(r, 12, e->exclusion_reason, sizeof e->exclusion_reason);
    e->used = col_i32(r, 13);
}

static void read_series(const struct bk_row *r, void *out)
{
    struct series *s = out;
    s->id = col_int(r, 0);
    col_text(r, 1, s->venue, sizeof s->venue);
    col_text(r, 2, s->name, sizeof s->name);
    s->weekdays = (unsigned)col_int(r, 3);
    s->opens_at = col_i32(r, 4);
    s->first_day = col_i32(r, 5);
    s->last_day = col_i32(r, 6);
    s->capacity = col_i32(r, 7);
    s->cap = col_i32(r, 8);
    s->closed_at = col_int(r, 9);
    s->days = col_i32(r, 10);
}

static void read_use(const struct bk_row *r, void *out)
{
    struct use *u = out;
    u->id = col_int(r, 0);
    col_text(r, 1, u->card, sizeof u->card);
    u->event = col_int(r, 2);
    u->adult = col_i32(r, 3);
    u->child = col_i32(r, 4);
    u->companion = col_i32(r, 5);
    u->channel = (enum channel)col_name(r, 6, &channel_names);
    col_text(r, 7, u->recorded_by, sizeof u->recorded_by);
    u->recorded_at = col_int(r, 8);
    col_text(r, 9, u->undone_by, sizeof u->undone_by);
    u->undone_at = col_int(r, 10);
}

static void read_use_list(const struct bk_row *r, void *out)
{
    struct use_list_row *u = out;
    read_use(r, &u->row.use);
    col_text(r, 11, u->row.venue, sizeof u->row.venue); /* after USE */
    col_text(r, 12, u->row.event_name, sizeof u->row.event_name);
    u->row.event_starts_at = col_int(r, 13);
    col_text(r, 14, u->region, sizeof u->region);
}

static void read_audit(const struct bk_row *r, void *out)
{
    struct audit_entry *e = out;
    e->id = col_int(r, 0);
    e->at = col_int(r, 1);
    col_text(r, 2, e->user, sizeof e->user);
    col_text(r, 3, e->action, sizeof e->action);
    col_text(r, 4, e->object, sizeof e->object);
    col_text(r, 5, e->address, sizeof e->address);
    col_text(r, 6, e->region, sizeof e->region);
}

static void read_usage(const struct bk_row *r, void *out)
{
    struct usage_row *u = out;
    col_text(r, 0, u->card, sizeof u->card);
    u->adult = col_i32(r, 1);
    u->child = col_i32(r, 2);
    col_text(r, 3, u->event, sizeof u->event);
    /* The rows come event by event into the same struct (zeroed before the
     * first): an event's day is worked out once, not once a use. */
    int64_t at = col_int(r, 4);
    if (at != u->starts_at || u->date == 0) {
        u->starts_at = at;
        u->date = hki_day(at);
    }
}

/* The readers and the columns each needs at least (stmt.h's lists). */
static const struct row_reader {
    void (*read)(const struct bk_row *r, void *out);
    size_t columns;
} row_readers[ROW_KIND_COUNT] = {
    [ROW_ID] = {read_id, 1},
    [ROW_PLACE] = {read_place, 3},
    [ROW_REGION] = {read_region, 3},
    [ROW_UNIT] = {read_unit, 3},
    [ROW_VENUE] = {read_venue, 8},
    [ROW_USER] = {read_user, 8},
    [ROW_SESSION] = {read_session, 9},
    [ROW_API_KEY] = {read_api_key, 4},
    [ROW_CARD] = {read_card, 8},
    [ROW_TRANSFER] = {read_transfer, 11},
    [ROW_EVENT] = {read_event, 14},
    [ROW_USE] = {read_use, 11},
    [ROW_USE_LIST] = {read_use_list, 15},
    [ROW_AUDIT] = {read_audit, 7},
    [ROW_USAGE] = {read_usage, 5},
    [ROW_SERIES] = {read_series, 11},
};

static void read_row(enum row_kind kind, const struct bk_row *r, void *out)
{
    assert(r->n >= row_readers[kind].columns);
    row_readers[kind].read(r, out);
}

/* ---- statements ---- */

int tx_exec(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n)
{
    return t->ops->run(t, id, args, n, NULL, NULL);
}

struct get_ctx {
    enum row_kind kind;
    void *out;
    bool found;
};

static int get_first(void *ctx, const struct bk_row *r)
{
    struct get_ctx *g = ctx;
    if (!g->found)
        read_row(g->kind, r, g->out);
    g->found = true;
    return 0; /* the statement runs to its end: a RETURNING writes every row */
}

int tx_get(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n, enum row_kind kind,
           void *out, bool *found)
{
    struct get_ctx g = {kind, out, false};
    int rc = t->ops->run(t, id, args, n, get_first, &g);
    *found = rc == 0 && g.found;
    return rc;
}

int tx_insert(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n, int64_t *out)
{
    bool found = false;
    int rc = tx_get(t, id, args, n, ROW_ID, out, &found);
    return rc == 0 && !found ? -ERR_INTERNAL : rc; /* RETURNING always gives the id */
}

int tx_need(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n,
            enum row_kind kind, void *out, int missing, struct error_details *d, const char *field)
{
    bool found = false;
    int rc = tx_get(t, id, args, n, kind, out, &found);
    if (rc == 0 && !found)
        rc = field ? error_field(d, -missing, field) : missing;
    return rc;
}

struct each_ctx {
    enum row_kind kind;
    void *buf;
    tx_each_fn each;
    void *ctx;
};

static int each_row(void *ctx, const struct bk_row *r)
{
    struct each_ctx *e = ctx;
    read_row(e->kind, r, e->buf);
    return e->each(e->ctx, e->buf);
}

int tx_each(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n,
            enum row_kind kind, void *buf, tx_each_fn each, void *ctx)
{
    struct each_ctx e = {kind, buf, each, ctx};
    return t->ops->run(t, id, args, n, each_row, &e);
}

int place_in_scope(struct bk_tx *t, const struct actor *a, enum stmt id, const char *key,
                   struct place_buf *out, struct error_details *d, const char *field)
{
    int rc = tx_need(t, id, BK_ARGS(bk_text(key)), ROW_PLACE, out, -ERR_NOT_FOUND, d, field);
    if (rc == 0) {
        const struct place p = place_of(out);
        rc = scope_check(a, &p); /* R32 */
    }
    return rc;
}

/* ---- whole reads ---- */

struct get_one {
    enum stmt id;
    struct bk_value key;
    enum row_kind kind;
    void *out;
    int missing;
};

static int get_one_tx(struct bk_tx *t, void *ctx)
{
    struct get_one *g = ctx;
    return tx_need(t, g->id, &g->key, 1, g->kind, g->out, g->missing, NULL, NULL);
}

int store_get_one(struct store *s, enum stmt id, struct bk_value key, enum row_kind kind, void *out,
                  int missing)
{
    struct get_one g = {id, key, kind, out, missing};
    return store_read(s, BK_READ, get_one_tx, &g);
}

struct each_all {
    enum stmt id;
    const struct bk_value *args;
    size_t n;
    enum row_kind kind;
    void *buf;
    tx_each_fn each;
    void *ctx;
};

static int each_all_tx(struct bk_tx *t, void *ctx)
{
    struct each_all *e = ctx;
    return tx_each(t, e->id, e->args, e->n, e->kind, e->buf, e->each, e->ctx);
}

int store_each(struct store *s, enum stmt id, const struct bk_value *args, size_t n,
               enum row_kind kind, void *buf, tx_each_fn each, void *ctx)
{
    struct each_all e = {id, args, n, kind, buf, each, ctx};
    return store_read(s, BK_READ, each_all_tx, &e);
}
