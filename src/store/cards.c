/* Cards: where one is (lookup), handing out (R3–R5, R9–R14) and cancelling
 * (R13). */
#include "store/tx.h"
#include "util/date.h"

int store_card_get(struct store *s, const char *code, struct card *out)
{
    return store_get_one(s, S_CARD_GET, bk_text(code), ROW_CARD, out, -ERR_CARD_UNKNOWN);
}

struct handout_record {
    const struct actor *a;
    const struct handout *h;
    struct card *out;
    struct error_details *d;
};

/* R9: a community handout stores code, date and unit only. */
static int handout_add(struct bk_tx *t, const struct actor *a, const struct handout *h,
                       const struct card *card)
{
    bool personal = card->kind == CARD_PERSONAL;
    char lang[6] = "";
    if (personal && handout_language_normalize(h->mother_tongue, lang) != 0)
        lang[0] = '\0'; /* validated before: unreachable */
    return tx_exec(t, S_HANDOUT_ADD,
                   BK_ARGS(bk_text(card->code), bk_text(card->unit), bk_int(card->handed_out_on),
                           bk_int(card->valid_until), bk_opt_int(personal ? h->birth_year : -1),
                           bk_opt_text(personal ? lang : NULL),
                           bk_opt_text(personal ? name_of(&gender_names, (int)h->gender) : NULL),
                           bk_opt_text(personal ? h->postal_code : NULL),
                           bk_opt_int(personal ? (int64_t)h->life_situations : -1),
                           bk_opt_text(h->renews), bk_text(a->user), bk_int(a->now)));
}

static int handout_counts(struct bk_tx *t, const struct handout *h, const struct card *card)
{
    char lang[6] = "";
    if (card->kind == CARD_PERSONAL && handout_language_normalize(h->mother_tongue, lang) != 0)
        lang[0] = '\0'; /* validated before: unreachable */
    return counts_handout(t, card, h, card->unit, lang);
}

static int handout_record_tx(struct bk_tx *t, void *ctx)
{
    struct handout_record *c = ctx;
    const struct handout *h = c->h;
    struct error_details *d = c->d;
    struct card card, previous;
    struct region region;
    int32_t today = hki_day(c->a->now);
    int rc = tx_need(t, S_CARD_GET, BK_ARGS(bk_text(h->card)), ROW_CARD, &card, -ERR_CARD_UNKNOWN,
                     d, "card");
    if (rc == 0)
        rc = handout_check_card(c->a, &card, d); /* R3, R12, R13 */
    if (rc == 0)
        rc = handout_validate(h, card.kind, today, d); /* R9–R11 */
    if (rc == 0 && h->renews[0]) {                     /* R14 */
        rc = tx_need(t, S_CARD_GET, BK_ARGS(bk_text(h->renews)), ROW_CARD, &previous,
                     -ERR_RENEWS_INVALID, d, "renews");
        if (rc == 0)
            rc = card_check_renewal(&previous, today, d);
    }
    if (rc == 0)
        rc = tx_need(t, S_REGION_GET, BK_ARGS(bk_text(card.region)), ROW_REGION, &region,
                     -ERR_NOT_FOUND, d, "region");
    if (rc != 0)
        return rc;
    card.issued = true;
    card.handed_out_on = h->handed_out_on;
    card.valid_until = card_valid_until(h->handed_out_on, region.pilot_ends_on); /* R4, R5 */
    rc = handout_add(t, c->a, h, &card);
    if (rc == 0) /* the kept counts (issue 16) */
        rc = handout_counts(t, h, &card);
    if (rc == 0)
        rc = audit_add(t, c->a, "handout.record", "card", card.code, card.region);
    if (rc == 0 && c->out)
        *c->out = card;
    return rc;
}

int handout_record_in(struct bk_tx *t, const struct actor *a, const struct handout *h,
                      struct card *out, struct error_details *d)
{
    struct handout_record c = {a, h, out, d};
    return handout_record_tx(t, &c);
}

int store_handout_record(struct store *s, const struct actor *a, const struct handout *h,
                         struct card *out, struct error_details *d)
{
    struct handout_record c = {a, h, out, d};
    return store_write(s, handout_record_tx, &c);
}

struct card_cancel {
    const struct actor *a;
    const char *code, *reason;
    struct card *out;
};

static int card_cancel_tx(struct bk_tx *t, void *ctx)
{
    struct card_cancel *c = ctx;
    struct card card;
    int rc = tx_need(t, S_CARD_GET, BK_ARGS(bk_text(c->code)), ROW_CARD, &card, -ERR_CARD_UNKNOWN,
                     NULL, NULL);
    if (rc == 0)
        rc = cancel_check(c->a, &card, c->reason); /* R13 */
    if (rc == 0)
        rc = tx_exec(t, S_CARD_CANCEL,
                     BK_ARGS(bk_int(c->a->now), bk_text(c->reason), bk_text(card.code)));
    if (rc == 0) /* the kept counts (issue 16) */
        rc = counts_cancel(t, &card, c->a->now);
    if (rc == 0)
        rc = audit_add(t, c->a, "card.cancel", "card", card.code, card.region);
    if (rc == 0 && c->out) {
        *c->out = card;
        c->out->cancelled = true;
    }
    return rc;
}

int store_card_cancel(struct store *s, const struct actor *a, const char *code, const char *reason,
                      struct card *out)
{
    struct card_cancel c = {a, code, reason, out};
    return store_write(s, card_cancel_tx, &c);
}
