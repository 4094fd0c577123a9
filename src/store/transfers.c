/* Transfers of stock between the units of one region (R3). */
#include "store/tx.h"
#include "util/strutil.h"

struct transfer_request {
    const struct actor *a;
    const char (*codes)[CODE_MAX + 1];
    size_t n;
    const char *from_unit, *to_unit;
    int64_t id;
    struct error_details *d;
};

static int transfer_request_tx(struct bk_tx *t, void *ctx)
{
    struct transfer_request *c = ctx;
    struct error_details *d = c->d;
    struct unit from, to;
    int rc = c->n == 0 ? error_field(d, ERR_INVALID_REQUEST, "codes") : 0;
    if (rc == 0)
        rc = tx_need(t, S_UNIT_GET, BK_ARGS(bk_text(c->from_unit)), ROW_UNIT, &from, -ERR_NOT_FOUND,
                     d, "from_unit");
    if (rc == 0)
        rc = tx_need(t, S_UNIT_GET, BK_ARGS(bk_text(c->to_unit)), ROW_UNIT, &to, -ERR_NOT_FOUND, d,
                     "to_unit");
    if (rc == 0) {
        const struct place p = {from.region, from.id, ""};
        rc = scope_check(c->a, &p);
    }
    if (rc == 0)
        rc = transfer_check_route(from.region, from.id, to.region, to.id, d); /* R3 */
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        struct card card;
        rc = tx_need(t, S_CARD_GET, BK_ARGS(bk_text(c->codes[i])), ROW_CARD, &card,
                     -ERR_CARD_UNKNOWN, NULL, NULL);
        if (rc == -ERR_CARD_UNKNOWN)
            rc = error_text(d, ERR_CARD_UNKNOWN, "code", c->codes[i]);
        if (rc == 0 && !scope_allows(c->a, &(const struct place){card.region, card.unit, ""}))
            rc = error_text(d, ERR_CARD_UNKNOWN, "code", c->codes[i]); /* R32: as if unknown */
        if (rc == 0)
            rc = card_check_movable(&card, from.id, d); /* R3 */
    }
    if (rc == 0)
        rc = tx_insert(
            t, S_TRANSFER_ADD,
            BK_ARGS(bk_text(from.id), bk_text(to.id), bk_text(c->a->user), bk_int(c->a->now)),
            &c->id);
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        rc = tx_exec(t, S_TRANSFER_CARD_ADD, BK_ARGS(bk_int(c->id), bk_text(c->codes[i])));
        if (rc == -ERR_ALREADY_EXISTS) /* the same code twice in one request */
            rc = error_text(d, ERR_INVALID_REQUEST, "code", c->codes[i]);
    }
    if (rc == 0)
        rc = audit_add_id(t, c->a, "transfer.request", "transfer", c->id, from.region);
    return rc;
}

int store_transfer_request(struct store *s, const struct actor *a,
                           const char (*codes)[CODE_MAX + 1], size_t n, const char *from_unit,
                           const char *to_unit, int64_t *id, struct error_details *d)
{
    struct transfer_request c = {a, codes, n, from_unit, to_unit, 0, d};
    int rc = store_write(s, transfer_request_tx, &c);
    if (rc == 0 && id)
        *id = c.id;
    return rc;
}

struct movable {
    const char *from_unit;
    struct error_details *d;
};

static int check_one(void *ctx, void *row)
{
    const struct movable *m = ctx;
    return card_check_movable(row, m->from_unit, m->d); /* R3 */
}

struct transfer_decide {
    const struct actor *a;
    int64_t id;
    bool approve;
    struct transfer *out;
    struct error_details *d;
};

static int transfer_decide_tx(struct bk_tx *t, void *ctx)
{
    struct transfer_decide *c = ctx;
    struct transfer_row row;
    enum transfer_status next = TRANSFER_REQUESTED;
    int rc = tx_need(t, S_TRANSFER_GET, BK_ARGS(bk_int(c->id)), ROW_TRANSFER, &row, -ERR_NOT_FOUND,
                     c->d, "transfer");
    if (rc == 0) /* a unit may have moved to another region since */
        rc =
            transfer_check_route(row.t.region, row.t.from_unit, row.to_region, row.t.to_unit, c->d);
    if (rc == 0) {
        const struct place p = {row.t.region, "", ""}; /* the region's coordinator */
        rc = scope_check(c->a, &p);
    }
    if (rc == 0)
        rc = transfer_decide(row.t.status, c->approve, &next);
    if (rc == 0 && next == TRANSFER_APPROVED) {
        /* R3: approval re-checks every code, then moves them all. */
        struct movable m = {row.t.from_unit, c->d};
        struct card card;
        rc = tx_each(t, S_TRANSFER_CARDS, BK_ARGS(bk_int(c->id)), ROW_CARD, &card, check_one, &m);
        if (rc == 0)
            rc = tx_exec(t, S_TRANSFER_MOVE, BK_ARGS(bk_text(row.t.to_unit), bk_int(c->id)));
    }
    if (rc == 0)
        rc = tx_exec(t, S_TRANSFER_SET,
                     BK_ARGS(bk_text(name_of(&transfer_status_names, (int)next)),
                             bk_text(c->a->user), bk_int(c->a->now), bk_int(c->id)));
    if (rc == 0)
        rc = audit_add_id(t, c->a, c->approve ? "transfer.approve" : "transfer.reject", "transfer",
                          c->id, row.t.region);
    if (rc == 0 && c->out) {
        *c->out = row.t;
        c->out->status = next;
        str_copy(c->out->decided_by, sizeof c->out->decided_by, c->a->user);
        c->out->decided_at = c->a->now;
    }
    return rc;
}

int store_transfer_decide(struct store *s, const struct actor *a, int64_t id, bool approve,
                          struct transfer *out, struct error_details *d)
{
    struct transfer_decide c = {a, id, approve, out, d};
    return store_write(s, transfer_decide_tx, &c);
}

static int transfer_in_scope(void *ctx, void *r)
{
    const struct list_to *l = ctx;
    const struct transfer_row *row = r;
    const struct place from = {row->t.region, row->t.from_unit, ""};
    const struct place to = {row->to_region, row->t.to_unit, ""};
    if (scope_allows(l->a, &from) || scope_allows(l->a, &to)) /* R32: either unit */
        return l->fn.transfer(l->ctx, &row->t);
    return 0;
}

int store_transfer_list(struct store *s, const struct actor *a, int status, store_transfer_fn fn,
                        void *ctx)
{
    struct list_to l = {a, {.transfer = fn}, ctx};
    struct transfer_row row;
    return store_each(
        s, S_TRANSFER_LIST,
        BK_ARGS(bk_opt_text(status >= 0 ? name_of(&transfer_status_names, status) : NULL)),
        ROW_TRANSFER, &row, transfer_in_scope, &l);
}
