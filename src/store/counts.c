/* Kept counts (issue 16): the figures the reports read (R30, R31), moved by
 * the transaction script of every change that moves them, in the same
 * transaction — a use and its undo (uses.c), a handout and a cancellation
 * (cards.c), stock added (stock.c) — and rebuilt from the records by
 * store_counts_rebuild. Their tables and what each row counts: migration
 * 008_counts.sql. They hold no holder data and no card code. */
#include <assert.h>
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

/* The first day of the month of `day`: the key "month" of the counts. */
static int32_t month_of(int32_t day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    return day - (d - 1);
}

int counts_use(struct bk_tx *t, const struct card *card, int64_t event, int32_t adult,
               int32_t child, int32_t companion, int sign)
{
    assert(sign == 1 || sign == -1);
    int rc = tx_exec(t, S_COUNT_EVENT_USE,
                     BK_ARGS(bk_int((int64_t)sign * adult), bk_int((int64_t)sign * child),
                             bk_int((int64_t)sign * companion), bk_int(sign), bk_int(event)));
    if (rc == 0)
        rc = tx_exec(t, S_COUNT_CARD_USE, BK_ARGS(bk_int(sign), bk_text(card->code)));
    /* R31: the card's first use not undone, or its last one undone. The
     * card was read in this transaction, after any use of it before. */
    if (rc == 0 && card->issued && card->live_uses == (sign > 0 ? 0 : 1))
        rc = tx_exec(
            t, S_COUNT_USED_ONCE,
            BK_ARGS(bk_int(sign), bk_text(card->region), bk_int(month_of(card->handed_out_on))));
    return rc;
}

int counts_handout(struct bk_tx *t, const struct card *card, const struct handout *h,
                   const char *unit_of_handout, const char *lang)
{
    int32_t month = month_of(card->handed_out_on);
    int rc = tx_exec(t, S_COUNT_CARDS_ADD,
                     BK_ARGS(bk_text(card->region), bk_int(month), bk_int(1),
                             bk_int(h->renews[0] ? 1 : 0), bk_int(0)));
    if (rc == 0)
        rc = tx_exec(t, S_COUNT_STOCK_ADD, BK_ARGS(bk_text(card->region), bk_int(-1)));
    if (rc == 0)
        rc = tx_exec(t, S_COUNT_VALID_ADD,
                     BK_ARGS(bk_text(card->region), bk_int(card->handed_out_on),
                             bk_int(card->valid_until), bk_int(1)));
    if (rc == 0 && card->kind == CARD_PERSONAL) /* R30 counts personal cards only */
        rc = tx_exec(t, S_COUNT_HANDOUTS_ADD, BK_ARGS(bk_text(unit_of_handout), bk_int(month)));
    if (rc == 0 && card->kind == CARD_PERSONAL)
        rc = tx_exec(t, S_COUNT_BACKGROUND_ADD,
                     BK_ARGS(bk_text(card->region), bk_int(month), bk_int(h->birth_year),
                             bk_text(lang), bk_text(name_of(&gender_names, (int)h->gender)),
                             bk_text(h->postal_code), bk_int((int64_t)h->life_situations)));
    return rc;
}

int counts_cancel(struct bk_tx *t, const struct card *card, int64_t now)
{
    int rc = tx_exec(t, S_COUNT_CARDS_ADD,
                     BK_ARGS(bk_text(card->region), bk_int(month_of(hki_day(now))), bk_int(0),
                             bk_int(0), bk_int(1)));
    if (rc == 0 && card->issued)
        rc = tx_exec(t, S_COUNT_VALID_ADD,
                     BK_ARGS(bk_text(card->region), bk_int(card->handed_out_on),
                             bk_int(card->valid_until), bk_int(-1)));
    else if (rc == 0)
        rc = tx_exec(t, S_COUNT_STOCK_ADD, BK_ARGS(bk_text(card->region), bk_int(-1)));
    return rc;
}

int counts_stock_added(struct bk_tx *t, const char *region, int64_t n)
{
    return tx_exec(t, S_COUNT_STOCK_ADD, BK_ARGS(bk_text(region), bk_int(n)));
}

/* ---- rebuilding and checking ---- */

/* Each kept table: how it is emptied, recounted and read whole. */
static const struct counts_table {
    enum stmt clear, fill, dump;
} tables[COUNTS_TABLES] = {
    {S_COUNTS_CLEAR_EVENTS, S_COUNTS_FILL_EVENTS, S_COUNTS_DUMP_EVENTS},
    /* before MONTHS, whose used_once reads the cards' live uses */
    {S_COUNTS_CLEAR_CARDS, S_COUNTS_FILL_CARDS, S_COUNTS_DUMP_CARDS},
    {S_COUNTS_CLEAR_MONTHS, S_COUNTS_FILL_MONTHS, S_COUNTS_DUMP_MONTHS},
    {S_COUNTS_CLEAR_STOCK, S_COUNTS_FILL_STOCK, S_COUNTS_DUMP_STOCK},
    {S_COUNTS_CLEAR_VALID, S_COUNTS_FILL_VALID, S_COUNTS_DUMP_VALID},
    {S_COUNTS_CLEAR_HANDOUTS, S_COUNTS_FILL_HANDOUTS, S_COUNTS_DUMP_HANDOUTS},
    {S_COUNTS_CLEAR_BACKGROUND, S_COUNTS_FILL_BACKGROUND, S_COUNTS_DUMP_BACKGROUND},
};

const char *const counts_table_names[COUNTS_TABLES] = {
    "events",       "cards",           "counts_cards",      "counts_stock",
    "counts_valid", "counts_handouts", "counts_background",
};

int counts_rebuild(struct bk_tx *t)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < COUNTS_TABLES; i++)
        rc = tx_exec(t, tables[i].clear, BK_NO_ARGS);
    for (size_t i = 0; rc == 0 && i < COUNTS_TABLES; i++)
        rc = tx_exec(t, tables[i].fill, BK_NO_ARGS);
    return rc;
}

static int rebuild_tx(struct bk_tx *t, void *ctx)
{
    const struct actor *a = *(const struct actor **)ctx;
    int rc = report_gate_national(a); /* the whole country's figures */
    if (rc == 0)
        rc = counts_rebuild(t);
    if (rc == 0)
        rc = audit_add(t, a, "counts.rebuild", "counts", "all", NULL);
    return rc;
}

int store_counts_rebuild(struct store *s, const struct actor *a)
{
    return store_write(s, rebuild_tx, &a);
}

/* A table read whole: its rows and a digest of them (FNV-1a over each
 * value's type, length and bytes). */
struct digest {
    int64_t rows;
    uint64_t h;
};

static void digest_bytes(struct digest *d, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        d->h ^= b[i];
        d->h *= 0x100000001B3ULL;
    }
}

static int digest_row(void *ctx, const struct bk_row *r)
{
    struct digest *d = ctx;
    d->rows++;
    for (size_t i = 0; i < r->n; i++) {
        const struct bk_value *v = &r->v[i];
        uint64_t head[2] = {(uint64_t)v->type, v->type == BK_INT ? (uint64_t)v->i : v->n};
        digest_bytes(d, head, sizeof head);
        if (v->type == BK_TEXT || v->type == BK_BLOB)
            digest_bytes(d, v->p, v->n);
    }
    return 0;
}

static int digest_all(struct bk_tx *t, struct digest out[COUNTS_TABLES])
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < COUNTS_TABLES; i++) {
        out[i] = (struct digest){0, 0xCBF29CE484222325ULL};
        rc = t->ops->run(t, tables[i].dump, BK_NO_ARGS, digest_row, &out[i]);
    }
    return rc;
}

/* Not an error: what check_tx returns so that its transaction is rolled
 * back. */
#define CHECK_DONE 1

/* Reads the kept counts, recounts them in the same transaction, reads them
 * again, and rolls everything back (the check changes nothing). */
static int check_tx(struct bk_tx *t, void *ctx)
{
    struct counts_check *c = ctx;
    struct digest kept[COUNTS_TABLES], recounted[COUNTS_TABLES];
    int rc = digest_all(t, kept);
    if (rc == 0)
        rc = counts_rebuild(t);
    if (rc == 0)
        rc = digest_all(t, recounted);
    for (size_t i = 0; rc == 0 && i < COUNTS_TABLES; i++) {
        c->kept[i] = kept[i].rows;
        c->recounted[i] = recounted[i].rows;
        c->differs[i] = kept[i].rows != recounted[i].rows || kept[i].h != recounted[i].h;
        c->differing += c->differs[i];
    }
    return rc == 0 ? CHECK_DONE : rc; /* roll back */
}

int store_counts_check(struct store *s, struct counts_check *out)
{
    memset(out, 0, sizeof *out);
    int rc = store_write(s, check_tx, out);
    return rc == CHECK_DONE ? 0 : rc;
}
