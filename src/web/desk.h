/* The handout desk's two files (desk.c: the page and the handout form;
 * desk_stock.c: the unit's stock, the request for more cards, transfers,
 * cancelling) share this: what a post keeps for the page after it
 * (web/state.h, post/redirect/get), and the messages a refusal names. */
#ifndef KAIKU_WEB_DESK_H
#define KAIKU_WEB_DESK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"
#include "util/secret.h"
#include "web/web.h"

#define DESK_REASON_MAX  200 /* bytes of a cancelling reason the form takes */
#define DESK_CODES_INPUT 2000
#define DESK_LOW_STOCK   10 /* at or below this many codes the page says so */

/* The messages of a refusal, next to its field (page.desk.err.*). */
#define DESK_ERRORS(X)                                   \
    X(DE_NONE, "")                                       \
    X(DE_CARD_EMPTY, "page.desk.err.card_empty")         \
    X(DE_CARD_FORMAT, "page.desk.err.card_format")       \
    X(DE_CARD_UNKNOWN, "page.desk.err.card_unknown")     \
    X(DE_CARD_NOT_HERE, "page.desk.err.card_not_here")   \
    X(DE_CARD_ISSUED, "page.desk.err.card_issued")       \
    X(DE_CARD_CANCELLED, "page.desk.err.card_cancelled") \
    X(DE_DATE_FORMAT, "page.desk.err.date_format")       \
    X(DE_DATE_FUTURE, "page.desk.err.date_future")       \
    X(DE_BIRTH_EMPTY, "page.desk.err.birth_empty")       \
    X(DE_BIRTH_INVALID, "page.desk.err.birth_invalid")   \
    X(DE_BIRTH_YOUNG, "page.desk.err.birth_young")       \
    X(DE_LANG_EMPTY, "page.desk.err.lang_empty")         \
    X(DE_GENDER_EMPTY, "page.desk.err.gender_empty")     \
    X(DE_POSTAL, "page.desk.err.postal")                 \
    X(DE_LIFE_EMPTY, "page.desk.err.life_empty")         \
    X(DE_RENEWS_FORMAT, "page.desk.err.renews_format")   \
    X(DE_RENEWS_INVALID, "page.desk.err.renews_invalid") \
    X(DE_IDENTITY, "page.desk.err.identity")             \
    X(DE_REASON_EMPTY, "page.desk.err.reason_empty")     \
    X(DE_CODES_EMPTY, "page.desk.err.codes_empty")       \
    X(DE_CODES_FORMAT, "page.desk.err.codes_format")     \
    X(DE_CODES_NOT_HERE, "page.desk.err.codes_not_here") \
    X(DE_UNIT_EMPTY, "page.desk.err.unit_empty")         \
    X(DE_COUNT, "page.desk.err.count")                   \
    X(DE_OTHER, "page.desk.err.other")

#define X(name, key) name,
enum desk_error { DESK_ERRORS(X) DE_COUNT_ };
#undef X
extern const char *const desk_error_keys[DE_COUNT_];

/* The handout form's fields, in the page's order (the error summary's). */
enum desk_field {
    DF_CARD,
    DF_DATE,
    DF_BIRTH,
    DF_LANG,
    DF_GENDER,
    DF_POSTAL,
    DF_LIFE,
    DF_RENEWS,
    DF_CANCEL_CARD, /* the cancel form */
    DF_REASON,
    DF_CODES, /* the transfer form */
    DF_UNIT,
    DF_MORE, /* the request for more cards */
    DF_COUNT
};
/* The id of each field's input (where the error summary links). */
extern const char *const desk_field_ids[DF_COUNT];

/* What the last post did, shown once. */
enum desk_outcome {
    DO_QUIET,
    DO_HANDED,          /* the validity, large */
    DO_HANDOUT_REFUSED, /* the form again with its errors */
    DO_CANCEL_ASK,      /* the confirmation step (GET /desk/cancel) */
    DO_CANCELLED,
    DO_CANCEL_REFUSED,
    DO_TRANSFERRED,
    DO_TRANSFER_REFUSED,
    DO_MORE_ASKED,
    DO_MORE_REFUSED,
};

struct desk_state {
    int outcome; /* enum desk_outcome */
    uint8_t err[DF_COUNT];
    char err_code[CODE_MAX + 1]; /* the code a transfer refusal names */
    /* the last handout recorded: its form's key, so a re-post shows it again */
    char done_key[SECRET_TOKEN_LEN + 1];
    char done_card[CODE_MAX + 1];
    int32_t done_until;
    bool done_community;
    /* the handout form's values after a refusal */
    char card[24], date[16], birth[8], lang[6], gender[10], postal[8], renews[24];
    unsigned life;
    /* the cancel form: the card and reason asked about, or refused */
    char cancel_card[24];
    char reason[DESK_REASON_MAX + 1];
    /* transfers and requests for more cards */
    int32_t count;
    char unit[ID_MAX + 1];
};

void desk_load(const struct request *r, struct desk_state *st);
void desk_save(const struct request *r, const struct desk_state *st);

/* The page's parts from desk_stock.c: the stock with the request for more
 * cards, the transfer form, the cancel form and the recent handouts. */
int desk_stock_sections(struct page *p, const struct desk_state *st);
/* The outcome of desk_stock.c's posts, at the top of the page. */
void desk_stock_outcome(struct page *p, const struct desk_state *st);
/* The error summary's lines for desk_stock.c's forms. */
size_t desk_stock_errors(struct page *p, const struct desk_state *st, struct page_error *e,
                         size_t cap);

/* An error of a field, in words, or NULL. */
const char *desk_error_text(const struct page *p, const struct desk_state *st, enum desk_field f);

#endif
