/* Stock (R1, R3): codes added to a unit's stock, all or none. */
#include <stdio.h>
#include <string.h>

#include "store/tx.h"

struct stock_add {
    const struct actor *a;
    const char *unit;
    enum card_kind kind;
    const char (*codes)[CODE_MAX + 1];
    size_t n;
    struct error_details *d;
};

/* One code: normalised as given (R1), and taken nowhere. Checked before
 * each insert, so a code twice in one request is taken too. A code taken
 * outside the actor's scope (R32) is not named: the reply says only that
 * one of the codes is taken, so that a list of guesses does not tell which
 * codes exist elsewhere in the country (the API spends a guess on it). */
static int stock_add_code(struct bk_tx *t, const struct stock_add *c, const struct unit *u,
                          const char *code)
{
    char norm[CODE_MAX + 1];
    struct card card;
    bool taken = false;
    if (card_code_normalize(code, norm) != 0 || strcmp(norm, code) != 0)
        return error_text(c->d, ERR_INVALID_CARD_CODE, "code", code); /* R1 */
    int rc = tx_get(t, S_CARD_GET, BK_ARGS(bk_text(code)), ROW_CARD, &card, &taken);
    if (rc == 0 && taken) {
        const struct place p = {card.region, card.unit, ""};
        rc = scope_allows(c->a, &p) ? error_text(c->d, ERR_CODE_TAKEN, "code", code)
                                    : error_field(c->d, ERR_CODE_TAKEN, "codes");
    }
    if (rc == 0)
        rc = tx_exec(t, S_CARD_ADD,
                     BK_ARGS(bk_text(code), bk_text(name_of(&card_kind_names, (int)c->kind)),
                             bk_text(u->id), bk_int(c->a->now)));
    return rc;
}

static int stock_add_tx(struct bk_tx *t, void *ctx)
{
    struct stock_add *c = ctx;
    struct unit u;
    if (c->n == 0 || (unsigned)c->kind >= CARD_KIND_COUNT)
        return error_field(c->d, ERR_INVALID_REQUEST, c->n == 0 ? "codes" : "kind");
    int rc = tx_need(t, S_UNIT_GET, BK_ARGS(bk_text(c->unit)), ROW_UNIT, &u, -ERR_NOT_FOUND, c->d,
                     "unit");
    if (rc == 0) {
        /* R3: stock is added by the region's coordinator or national. */
        const struct place p = {u.region, "", ""};
        rc = scope_check(c->a, &p);
    }
    for (size_t i = 0; i < c->n && rc == 0; i++)
        rc = stock_add_code(t, c, &u, c->codes[i]);
    if (rc == 0) /* the kept counts (issue 16) */
        rc = counts_stock_added(t, u.region, (int64_t)c->n);
    if (rc == 0)
        rc = audit_add(t, c->a, "stock.add", "unit", u.id, u.region);
    return rc;
}

int store_stock_add(struct store *s, const struct actor *a, const char *unit, enum card_kind kind,
                    const char (*codes)[CODE_MAX + 1], size_t n, struct error_details *d)
{
    struct stock_add c = {a, unit, kind, codes, n, d};
    return store_write(s, stock_add_tx, &c);
}

/* ---- what a unit holds, and asking for more (the handout desk) ---- */

struct unit_cards {
    const struct actor *a;
    const char *unit;
    enum stmt stmt;
    int64_t limit; /* S_HANDOUT_LIST only */
    struct list_to to;
};

static int card_to(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.card(l->ctx, row);
}

static int unit_cards_tx(struct bk_tx *t, void *ctx)
{
    struct unit_cards *c = ctx;
    struct place_buf p;
    struct card card;
    int rc = place_in_scope(t, c->a, S_PLACE_UNIT, c->unit, &p, NULL, NULL); /* R32 */
    if (rc != 0)
        return rc;
    if (c->stmt == S_HANDOUT_LIST)
        return tx_each(t, c->stmt, BK_ARGS(bk_text(c->unit), bk_int(c->limit)), ROW_CARD, &card,
                       card_to, &c->to);
    return tx_each(t, c->stmt, BK_ARGS(bk_text(c->unit)), ROW_CARD, &card, card_to, &c->to);
}

int store_stock_list(struct store *s, const struct actor *a, const char *unit, store_card_fn fn,
                     void *ctx)
{
    struct unit_cards c = {a, unit, S_STOCK_LIST, 0, {a, {.card = fn}, ctx}};
    return store_read(s, BK_READ, unit_cards_tx, &c);
}

int store_handout_list(struct store *s, const struct actor *a, const char *unit, int limit,
                       store_card_fn fn, void *ctx)
{
    struct unit_cards c = {a, unit, S_HANDOUT_LIST, limit > 0 ? limit : 0, {a, {.card = fn}, ctx}};
    return store_read(s, BK_READ, unit_cards_tx, &c);
}

struct stock_request {
    const struct actor *a;
    const char *unit;
    int32_t count;
};

static int stock_request_tx(struct bk_tx *t, void *ctx)
{
    struct stock_request *c = ctx;
    struct place_buf p;
    int rc = place_in_scope(t, c->a, S_PLACE_UNIT, c->unit, &p, NULL, NULL); /* R32 */
    if (rc == 0 && (c->count < 1 || c->count > STOCK_REQUEST_MAX))
        rc = -ERR_INVALID_REQUEST;
    if (rc == 0) {
        char object[ID_MAX + 16];
        snprintf(object, sizeof object, "%s:%d", c->unit, (int)c->count);
        rc = audit_add(t, c->a, "stock.request", "unit", object, p.region); /* R34 */
    }
    return rc;
}

int store_stock_request(struct store *s, const struct actor *a, const char *unit, int32_t count)
{
    struct stock_request c = {a, unit, count};
    return store_write(s, stock_request_tx, &c);
}
