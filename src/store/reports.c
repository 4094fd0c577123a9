/* Reports (R28–R31), each read in one snapshot so that it is one consistent
 * picture of the register while uses are being recorded. The role gates and
 * scopes are core's (access.c); the figures of R30 and R31 are the kept
 * counts (counts.c, issue 16), and the full recounts of before them stay
 * for the benchmark and the tests (the *_scan functions), where R31's
 * "cards used at least once" is counted here with a hash set (used_once). */
#include <stdlib.h>
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

/* R28: the venue's uses (the rows), or how many there are (count, up to
 * limit): from the events' kept counts, or counted from the uses as before
 * them (scan). */
struct venue_usage {
    struct list_to to;
    const char *venue;
    int32_t from, to_day;
    bool scan;
    int64_t limit, count;
};

static int usage_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.usage(l->ctx, row);
}

static int venue_usage_tx(struct bk_tx *t, void *ctx)
{
    struct venue_usage *c = ctx;
    struct place_buf place;
    struct usage_row row = {0}; /* read_usage keeps the last event's day in it */
    /* R29: the venue's staff, the coordinator of its region, national. */
    int rc = place_in_scope(t, c->to.a, S_PLACE_VENUE, c->venue, &place, NULL, NULL);
    /* Event days [from, to] on Finnish clocks as instants [from 00:00, to+1 00:00). */
    int64_t from = hki_from_local(c->from, 0), to = hki_from_local(c->to_day + 1, 0);
    if (rc == 0 && c->to.fn.usage)
        rc = tx_each(t, S_REPORT_VENUE_USAGE, BK_ARGS(bk_text(c->venue), bk_int(from), bk_int(to)),
                     ROW_USAGE, &row, usage_row, &c->to);
    else if (rc == 0)
        rc = tx_need(t, c->scan ? S_REPORT_VENUE_USAGE_COUNT_SCAN : S_REPORT_VENUE_USAGE_COUNT,
                     BK_ARGS(bk_text(c->venue), bk_int(from), bk_int(to), bk_int(c->limit)), ROW_ID,
                     &c->count, -ERR_INTERNAL, NULL, NULL);
    return rc;
}

int store_report_venue_usage(struct store *s, const struct actor *a, const char *venue,
                             int32_t from, int32_t to, store_usage_fn fn, void *ctx)
{
    struct venue_usage c = {{a, {.usage = fn}, ctx}, venue, from, to, false, 0, 0};
    return store_read(s, BK_SNAPSHOT, venue_usage_tx, &c);
}

static int venue_usage_count(struct store *s, const struct actor *a, const char *venue,
                             int32_t from, int32_t to, bool scan, int64_t limit, int64_t *count)
{
    struct venue_usage c = {{a, {.usage = NULL}, NULL}, venue, from, to, scan, limit, 0};
    int rc = store_read(s, BK_READ, venue_usage_tx, &c);
    if (rc == 0)
        *count = c.count;
    return rc;
}

int store_report_venue_usage_count(struct store *s, const struct actor *a, const char *venue,
                                   int32_t from, int32_t to, int64_t limit, int64_t *count)
{
    return venue_usage_count(s, a, venue, from, to, false, limit, count);
}

int store_report_venue_usage_count_scan(struct store *s, const struct actor *a, const char *venue,
                                        int32_t from, int32_t to, int64_t limit, int64_t *count)
{
    return venue_usage_count(s, a, venue, from, to, true, limit, count);
}

struct cardholders {
    const struct actor *a;
    const char *region;
    const struct report_period *p;
    enum stmt stmt; /* the kept counts, or the full recount */
    struct cardholder_tally tally;
    int cb; /* the caller's non-zero answer, which stops the report */
};

/* One group of S_REPORT_CARDHOLDERS: dim, key, text, count. */
static int cardholder_group(void *ctx, const struct bk_row *r)
{
    struct cardholders *c = ctx;
    char text[ID_MAX + 1] = "";
    if (r->v[2].type == BK_TEXT) {
        size_t n = r->v[2].n < ID_MAX ? r->v[2].n : ID_MAX;
        memcpy(text, r->v[2].p, n);
        text[n] = '\0';
    }
    c->cb = cardholders_add(&c->tally, (enum report_dim)r->v[0].i, r->v[1].i, text, r->v[3].i);
    return c->cb;
}

static int cardholders_tx(struct bk_tx *t, void *ctx)
{
    struct cardholders *c = ctx;
    struct place_buf place;
    int rc = c->region[0] ? place_in_scope(t, c->a, S_PLACE_REGION, c->region, &place, NULL, NULL)
                          : report_gate_national(c->a); /* the whole country */
    if (rc == 0)
        rc = t->ops->run(t, c->stmt,
                         BK_ARGS(bk_opt_text(c->region), bk_int(date_from_ymd(c->p->year, 1, 1)),
                                 bk_int(c->p->through),
                                 bk_int(hki_from_local(c->p->recorded_before, 0))),
                         cardholder_group, c);
    if (rc == 0 && c->cb == 0)
        rc = cardholders_end(&c->tally);
    return rc;
}

static int cardholders_read(struct store *s, const struct actor *a, const char *region,
                            const struct report_period *p, enum stmt stmt, report_count_fn fn,
                            void *ctx)
{
    struct cardholders c = {a, region, p, stmt, {0}, 0};
    cardholders_begin(&c.tally, p, fn, ctx);
    return store_read(s, BK_SNAPSHOT, cardholders_tx, &c);
}

/* The kept counts of whole months (issue 16): the closed months of the
 * period, less the handouts recorded since the period ended but dated in it
 * (a paper form typed in late), which the counts, kept by handout day,
 * already hold: those wait until the month of their recording closes, as in
 * the scan below (docs/privacy.md, "Late recordings"). */
int store_report_cardholders(struct store *s, const struct actor *a, const char *region,
                             const struct report_period *p, report_count_fn fn, void *ctx)
{
    return cardholders_read(s, a, region, p, S_REPORT_CARDHOLDERS_KEPT, fn, ctx);
}

int store_report_cardholders_scan(struct store *s, const struct actor *a, const char *region,
                                  const struct report_period *p, report_count_fn fn, void *ctx)
{
    return cardholders_read(s, a, region, p, S_REPORT_CARDHOLDERS, fn, ctx);
}

/* ---- R31: the national statistics ---- */

/* One handout of the year, for counting the cards used at least once. */
struct handed_card {
    char code[CODE_MAX]; /* zero-padded, not NUL-terminated when CODE_MAX long */
    uint32_t row;        /* index into the report's rows */
    bool used;
};

/* A code as the hash table's key: zero-padded to CODE_MAX bytes. */
static void code_key(char key[CODE_MAX], const struct bk_value *v)
{
    memset(key, 0, CODE_MAX);
    if (v->type == BK_TEXT)
        memcpy(key, v->p, v->n < CODE_MAX ? v->n : CODE_MAX);
}

/* MurmurHash3's finalizer: every input bit reaches every output bit. */
static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 33);
}

static uint64_t code_hash(const char key[CODE_MAX])
{
    uint64_t a, b;
    memcpy(&a, key, 8);
    memcpy(&b, key + 8, 8);
    return mix64(a ^ mix64(b));
}

/* Open addressing over `cards`: slots hold an index + 1, 0 is empty. */
struct card_set {
    struct handed_card *cards;
    size_t n, cap;
    uint32_t *slots;
    size_t mask;
    struct national_row *rows; /* by region, sorted */
    size_t nrows;
};

static struct handed_card *card_set_find(const struct card_set *set, const char key[CODE_MAX])
{
    for (size_t i = code_hash(key) & set->mask;; i = (i + 1) & set->mask) {
        uint32_t at = set->slots[i];
        if (at == 0)
            return NULL;
        if (memcmp(set->cards[at - 1].code, key, CODE_MAX) == 0)
            return &set->cards[at - 1];
    }
}

static int row_cmp(const void *key, const void *row)
{
    return strcmp(key, ((const struct national_row *)row)->region);
}

/* A handout of the year (code, region) into the set's list. */
static int handed_add(void *ctx, const struct bk_row *r)
{
    struct card_set *set = ctx;
    char region[ID_MAX + 1] = "";
    if (r->v[1].type == BK_TEXT && r->v[1].n <= ID_MAX)
        memcpy(region, r->v[1].p, r->v[1].n + 1);
    const struct national_row *row =
        region[0] ? bsearch(region, set->rows, set->nrows, sizeof *set->rows, row_cmp) : NULL;
    if (!row)
        return 0; /* a unit's region is NOT NULL, and every region has a row */
    if (set->n == set->cap) {
        size_t more = set->cap ? set->cap * 2 : 4096;
        struct handed_card *grown = more <= UINT32_MAX / 2 && more <= SIZE_MAX / sizeof *set->cards
                                        ? realloc(set->cards, more * sizeof *set->cards)
                                        : NULL;
        if (!grown)
            return -ERR_UNAVAILABLE;
        set->cards = grown;
        set->cap = more;
    }
    struct handed_card *h = &set->cards[set->n++];
    code_key(h->code, &r->v[0]);
    h->row = (uint32_t)(row - set->rows);
    h->used = false;
    return 0;
}

/* A use's card: marks the handout it finds. */
static int used_mark(void *ctx, const struct bk_row *r)
{
    char key[CODE_MAX];
    code_key(key, &r->v[0]);
    struct handed_card *hit = card_set_find(ctx, key);
    if (hit)
        hit->used = true;
    return 0;
}

/* FIG_USED_ONCE of each row: the cards handed out in the year with a use
 * not undone. The year's handouts go into a hash set; one pass over the
 * uses marks those it finds. The uses have no index by card (see migration
 * 002), and this is faster than one index probe per handout was. It is done
 * here, above the contract, so that every backend gives only two plain
 * statements; a backend that can count it in SQL as fast could fill the
 * figure in S_REPORT_NATIONAL instead (docs/decisions.md). Rows are by
 * region, sorted; the pop-up venues' row ("", no cards) is not among them. */
static int used_once(struct bk_tx *t, int64_t from_day, int64_t to_day, struct national_row *rows,
                     size_t nrows)
{
    struct card_set set = {.rows = rows, .nrows = nrows};
    int rc = t->ops->run(t, S_REPORT_HANDED_CARDS, BK_ARGS(bk_int(from_day), bk_int(to_day)),
                         handed_add, &set);
    size_t slots = 2;
    while (slots < 2 * set.n)
        slots *= 2;
    if (rc == 0 && set.n > 0 && !(set.slots = calloc(slots, sizeof *set.slots)))
        rc = -ERR_UNAVAILABLE;
    set.mask = slots - 1;
    for (size_t i = 0; set.slots && i < set.n; i++) {
        size_t at = code_hash(set.cards[i].code) & set.mask;
        while (set.slots[at] != 0)
            at = (at + 1) & set.mask;
        set.slots[at] = (uint32_t)(i + 1);
    }
    if (rc == 0 && set.slots)
        rc = t->ops->run(t, S_REPORT_USED_CARDS, BK_NO_ARGS, used_mark, &set);
    for (size_t i = 0; rc == 0 && i < set.n; i++)
        rows[set.cards[i].row].figures.v[FIG_USED_ONCE] += set.cards[i].used;
    free(set.slots);
    free(set.cards);
    return rc;
}

struct national {
    struct national_row *rows;
    size_t n, cap;
};

static int national_add(void *ctx, const struct bk_row *r)
{
    struct national *c = ctx;
    if (c->n == c->cap) {
        size_t more = c->cap ? c->cap * 2 : 32;
        struct national_row *grown = realloc(c->rows, more * sizeof *c->rows);
        if (!grown)
            return -ERR_UNAVAILABLE;
        c->rows = grown;
        c->cap = more;
    }
    struct national_row *row = &c->rows[c->n++];
    memset(row, 0, sizeof *row);
    for (size_t i = 0; i < 2; i++) {
        char *dst = i == 0 ? row->region : row->name;
        size_t cap = i == 0 ? sizeof row->region : sizeof row->name;
        size_t n = r->v[i].type == BK_TEXT ? r->v[i].n : 0;
        n = n < cap ? n : cap - 1;
        if (n)
            memcpy(dst, r->v[i].p, n);
    }
    for (size_t i = 0; i < FIG_COUNT && 2 + i < r->n; i++)
        row->figures.v[i] = r->v[2 + i].i;
    return 0;
}

struct national_read {
    const struct actor *a;
    int year;
    bool scan; /* the full recount of before the kept counts */
    struct national rows;
};

static int national_run(struct bk_tx *t, enum stmt stmt, int year, int32_t today,
                        struct national *rows)
{
    return t->ops->run(t, stmt,
                       BK_ARGS(bk_int(date_from_ymd(year, 1, 1)),
                               bk_int(date_from_ymd(year, 12, 31)), bk_int(today),
                               bk_int(hki_from_local(date_from_ymd(year, 1, 1), 0)),
                               bk_int(hki_from_local(date_from_ymd(year + 1, 1, 1), 0))),
                       national_add, rows);
}

int report_national_rows(struct bk_tx *t, int year, int32_t today, struct national_row **rows,
                         size_t *n)
{
    struct national c = {NULL, 0, 0};
    int rc = national_run(t, S_REPORT_NATIONAL_KEPT, year, today, &c);
    if (rc != 0) {
        free(c.rows);
        c = (struct national){NULL, 0, 0};
    }
    *rows = c.rows;
    *n = c.n;
    return rc;
}

static int national_tx(struct bk_tx *t, void *ctx)
{
    struct national_read *c = ctx;
    int64_t from_day = date_from_ymd(c->year, 1, 1), to_day = date_from_ymd(c->year, 12, 31);
    int rc = report_gate_national(c->a); /* R31: the national statistics */
    if (rc == 0)
        rc = national_run(t, c->scan ? S_REPORT_NATIONAL : S_REPORT_NATIONAL_KEPT, c->year,
                          hki_day(c->a->now), &c->rows);
    /* The pop-up row ("") comes last; the regions before it are sorted. */
    size_t n = c->rows.n;
    if (rc == 0 && c->scan)
        rc = used_once(t, from_day, to_day, c->rows.rows,
                       n > 0 && !c->rows.rows[n - 1].region[0] ? n - 1 : n);
    return rc;
}

static int national_read(struct store *s, const struct actor *a, int year, bool scan,
                         store_national_fn fn, void *ctx)
{
    struct national_read c = {a, year, scan, {NULL, 0, 0}};
    int rc = store_read(s, BK_SNAPSHOT, national_tx, &c);
    for (size_t i = 0; rc == 0 && i < c.rows.n; i++)
        rc = fn(ctx, &c.rows.rows[i]);
    free(c.rows.rows);
    return rc;
}

/* The kept counts (issue 16): a few hundred rows whatever the register's size. */
int store_report_national(struct store *s, const struct actor *a, int year, store_national_fn fn,
                          void *ctx)
{
    return national_read(s, a, year, false, fn, ctx);
}

int store_report_national_scan(struct store *s, const struct actor *a, int year,
                               store_national_fn fn, void *ctx)
{
    return national_read(s, a, year, true, fn, ctx);
}
