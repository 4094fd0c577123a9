/* The handout desk's other tasks: the unit's stock (how many codes are
 * left, and which), a request to the coordinator for more cards, a
 * transfer request to another unit of the region (R3), cancelling a card
 * with a reason and a confirmation (R13), and the unit's recent handouts —
 * codes, dates and validity only, nothing of the background form. */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/desk.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define STOCK_SHOWN    200 /* codes listed; the count tells the rest */
#define RECENT_SHOWN   20  /* recent handouts listed */
#define UNITS_MAX      100 /* units offered as a transfer's target */
#define TRANSFER_CODES 200 /* codes in one transfer request from the page */
#define MORE_DEFAULT   50  /* the request's count offered */

/* ---- the posts ---- */

/* POST /desk/more: a request to the coordinator for more cards, kept in
 * the audit (store_stock_request). */
int web_desk_more(struct request *r)
{
    const char *text = "";
    int rc;
    if ((rc = field_text(r, "count", FIELD_EMPTY_OK, 16, &text)) < 0)
        return rc;
    struct desk_state st;
    desk_load(r, &st);
    memset(st.err, 0, sizeof st.err);
    int64_t count = 0;
    if (!text || str_to_i64(text, 1, STOCK_REQUEST_MAX, &count) != 0) {
        st.err[DF_MORE] = DE_COUNT;
        st.outcome = DO_MORE_REFUSED;
    } else {
        rc = store_stock_request(r->store, &r->actor, r->actor.scope, (int32_t)count);
        if (rc != 0)
            return rc;
        st.outcome = DO_MORE_ASKED;
        st.count = (int32_t)count;
    }
    desk_save(r, &st);
    return web_redirect(r, "/desk");
}

/* The codes of a transfer as typed: separated by spaces, commas, semicolons
 * or lines, each normalised (R1). Returns the count, or -1 with the
 * offending text in bad. */
static int split_codes(const char *in, char (*out)[CODE_MAX + 1], size_t cap, char *bad,
                       size_t bad_cap)
{
    size_t n = 0;
    const char *p = in;
    while (*p) {
        size_t skip = strspn(p, " \t\r\n,;");
        p += skip;
        if (!*p)
            break;
        size_t len = strcspn(p, " \t\r\n,;");
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
        if (len >= sizeof one || n >= cap || card_code_normalize(one, out[n]) != 0) {
            snprintf(bad, bad_cap, "%.*s", (int)(len < 24 ? len : 24), p);
            return -1;
        }
        bool seen = false;
        for (size_t i = 0; i < n; i++)
            seen |= strcmp(out[i], out[n]) == 0;
        n += !seen;
        p += len;
    }
    return (int)n;
}

/* POST /desk/transfer: a transfer request to another unit of the region,
 * which its coordinator approves (R3). */
int web_desk_transfer(struct request *r)
{
    const char *codes = "", *to = "";
    int rc;
    if ((rc = field_text(r, "codes", FIELD_EMPTY_OK, DESK_CODES_INPUT, &codes)) < 0 ||
        (rc = field_text(r, "to_unit", FIELD_EMPTY_OK, ID_MAX, &to)) < 0)
        return rc;
    codes = codes ? codes : "";
    to = to ? to : "";
    struct desk_state st;
    desk_load(r, &st);
    memset(st.err, 0, sizeof st.err);
    st.err_code[0] = '\0';
    char(*list)[CODE_MAX + 1] = arena_alloc(&r->arena, TRANSFER_CODES * sizeof *list);
    if (!list)
        return -ERR_INTERNAL;
    char bad[32] = "";
    int n = split_codes(codes, list, TRANSFER_CODES, bad, sizeof bad);
    if (n < 0) {
        st.err[DF_CODES] = DE_CODES_FORMAT;
        str_copy(st.err_code, sizeof st.err_code, bad);
    } else if (n == 0)
        st.err[DF_CODES] = DE_CODES_EMPTY;
    if (!to[0])
        st.err[DF_UNIT] = DE_UNIT_EMPTY;
    if (st.err[DF_CODES] == DE_NONE && st.err[DF_UNIT] == DE_NONE) {
        int64_t id = 0;
        r->details = (struct error_details){0};
        rc = store_transfer_request(r->store, &r->actor, (const char(*)[CODE_MAX + 1]) list,
                                    (size_t)n, r->actor.scope, to, &id, &r->details);
        if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE || rc == -ERR_FORBIDDEN)
            return rc;
        if (rc == 0) {
            st.outcome = DO_TRANSFERRED;
            st.count = n;
            str_copy(st.unit, sizeof st.unit, to);
            desk_save(r, &st);
            return web_redirect(r, "/desk");
        }
        const char *field = r->details.field ? r->details.field : "";
        if (strcmp(field, "to_unit") == 0)
            st.err[DF_UNIT] = DE_UNIT_EMPTY;
        else {
            st.err[DF_CODES] = rc == -ERR_CARD_UNKNOWN ? DE_CARD_UNKNOWN : DE_CODES_NOT_HERE;
            str_copy(st.err_code, sizeof st.err_code, r->details.text);
        }
    }
    st.outcome = DO_TRANSFER_REFUSED;
    desk_save(r, &st);
    return web_redirect(r, "/desk");
}

/* POST /desk/cancel: the card and the reason, checked and kept for the
 * confirmation page (GET /desk/cancel). */
int web_desk_cancel(struct request *r)
{
    const char *card = "", *reason = "";
    int rc;
    if ((rc = field_text(r, "cancel_card", FIELD_EMPTY_OK, 64, &card)) < 0 ||
        (rc = field_text(r, "reason", FIELD_EMPTY_OK, DESK_REASON_MAX, &reason)) < 0)
        return rc;
    card = card ? card : "";
    reason = reason ? reason : "";
    struct desk_state st;
    desk_load(r, &st);
    memset(st.err, 0, sizeof st.err);
    char code[CODE_MAX + 1] = "";
    if (!card[0])
        st.err[DF_CANCEL_CARD] = DE_CARD_EMPTY;
    else if (card_code_normalize(card, code) != 0)
        st.err[DF_CANCEL_CARD] = DE_CARD_FORMAT;
    else {
        struct card c;
        rc = store_card_get(r->store, code, &c);
        if (rc == -ERR_CARD_UNKNOWN) {
            http_card_guess_failed(r);
            st.err[DF_CANCEL_CARD] = DE_CARD_UNKNOWN;
        } else if (rc != 0)
            return rc;
        else if (strcmp(c.unit, r->actor.scope) != 0)
            st.err[DF_CANCEL_CARD] = DE_CARD_NOT_HERE;
        else if (c.cancelled)
            st.err[DF_CANCEL_CARD] = DE_CARD_CANCELLED;
    }
    const char *trimmed = reason + strspn(reason, " \t\r\n");
    if (!trimmed[0])
        st.err[DF_REASON] = DE_REASON_EMPTY;
    str_copy(st.reason, sizeof st.reason, reason);
    if (st.err[DF_CANCEL_CARD] == DE_NONE && st.err[DF_REASON] == DE_NONE) {
        str_copy(st.cancel_card, sizeof st.cancel_card, code);
        st.outcome = DO_CANCEL_ASK;
        desk_save(r, &st);
        return web_redirect(r, "/desk/cancel");
    }
    str_copy(st.cancel_card, sizeof st.cancel_card, card);
    st.outcome = DO_CANCEL_REFUSED;
    desk_save(r, &st);
    return web_redirect(r, "/desk");
}

/* GET /desk/cancel: what would be cancelled, and the confirmation. */
int web_desk_cancel_form(struct request *r)
{
    struct desk_state st;
    desk_load(r, &st);
    struct card c;
    if (st.outcome != DO_CANCEL_ASK || store_card_get(r->store, st.cancel_card, &c) != 0)
        return web_redirect(r, "/desk");
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.desk.cancel.title"));
    page_heading(&p, i18n_text(p.lang, "page.desk.cancel.title"), NULL);
    char state[200], date[I18N_DATE_LEN], until[I18N_DATE_LEN];
    if (c.issued) {
        i18n_date(p.lang, c.handed_out_on, date);
        i18n_date(p.lang, c.valid_until, until);
        const char *args[] = {date, until};
        text_fill(state, sizeof state, i18n_text(p.lang, "page.desk.cancel.state.issued"), args, 2);
    } else
        str_copy(state, sizeof state, i18n_text(p.lang, "page.desk.cancel.state.stock"));
    const char *args[] = {c.code, state, st.reason};
    html_raw(&p.h, "<p class=\"lead\" id=\"cancel-question\">");
    html_textf(&p.h, i18n_text(p.lang, "page.desk.cancel.question"), args, 3);
    html_raw(
        &p.h,
        "</p><form method=\"post\" action=\"/desk/cancel/confirm\" id=\"cancel-confirm-form\">");
    page_csrf_field(&p);
    html_raw(&p.h, "<button type=\"submit\" class=\"danger\" id=\"cancel-confirm\" autofocus>");
    html_text(&p.h, i18n_text(p.lang, "page.desk.cancel.confirm"));
    html_raw(&p.h, "</button> <a class=\"button\" href=\"/desk\" id=\"cancel-keep\">");
    html_text(&p.h, i18n_text(p.lang, "page.desk.cancel.keep"));
    html_raw(&p.h, "</a></form>");
    return page_end(&p, 200);
}

/* POST /desk/cancel/confirm: cancels the card asked about (R13). */
int web_desk_cancel_confirm(struct request *r)
{
    struct desk_state st;
    desk_load(r, &st);
    if (st.outcome != DO_CANCEL_ASK)
        return web_redirect(r, "/desk"); /* confirmed twice: done already */
    struct card out;
    int rc = store_card_cancel(r->store, &r->actor, st.cancel_card, st.reason, &out);
    memset(st.err, 0, sizeof st.err);
    if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE)
        return rc;
    if (rc == 0)
        st.outcome = DO_CANCELLED;
    else {
        st.outcome = DO_CANCEL_REFUSED;
        st.err[DF_CANCEL_CARD] = rc == -ERR_CARD_CANCELLED ? DE_CARD_CANCELLED
                                 : rc == -ERR_FORBIDDEN    ? DE_CARD_NOT_HERE
                                                           : DE_OTHER;
    }
    desk_save(r, &st);
    return web_redirect(r, "/desk");
}

/* ---- the page's parts ---- */

size_t desk_stock_errors(struct page *p, const struct desk_state *st, struct page_error *e,
                         size_t cap)
{
    static const enum desk_field fields[] = {DF_MORE, DF_CODES, DF_UNIT, DF_CANCEL_CARD, DF_REASON};
    size_t n = 0;
    bool shown = st->outcome == DO_MORE_REFUSED || st->outcome == DO_TRANSFER_REFUSED ||
                 st->outcome == DO_CANCEL_REFUSED;
    for (size_t i = 0; shown && i < ARRAY_LEN(fields) && n < cap; i++) {
        const char *text = desk_error_text(p, st, fields[i]);
        if (text)
            e[n++] = (struct page_error){desk_field_ids[fields[i]], text};
    }
    return n;
}

void desk_stock_outcome(struct page *p, const struct desk_state *st)
{
    char text[300], n[I18N_NUMBER_LEN];
    switch (st->outcome) {
    case DO_MORE_ASKED: {
        i18n_number(p->lang, st->count, n);
        const char *args[] = {n};
        text_fill(text, sizeof text, i18n_plural(p->lang, "page.desk.more.done", st->count), args,
                  1);
        page_notice(p, "ok", text, NULL);
        break;
    }
    case DO_TRANSFERRED: {
        struct unit u;
        if (store_unit_get(p->r->store, st->unit, &u) != 0)
            str_copy(u.name, sizeof u.name, st->unit);
        i18n_number(p->lang, st->count, n);
        const char *args[] = {n, u.name};
        text_fill(text, sizeof text, i18n_plural(p->lang, "page.desk.transfer.done", st->count),
                  args, 2);
        page_notice(p, "ok", text, NULL);
        break;
    }
    case DO_CANCELLED: {
        const char *args[] = {st->cancel_card};
        text_fill(text, sizeof text, i18n_text(p->lang, "page.desk.cancel.done"), args, 1);
        page_notice(p, "ok", text, NULL);
        break;
    }
    default:
        break;
    }
}

/* An error line of a stock form's field, with the code it names. */
static const char *stock_error(struct page *p, const struct desk_state *st, enum desk_field f,
                               char *buf, size_t cap)
{
    const char *text = desk_error_text(p, st, f);
    if (!text)
        return NULL;
    if (f == DF_CODES && st->err_code[0]) {
        snprintf(buf, cap, "%s (%s)", text, st->err_code);
        return buf;
    }
    return text;
}

struct stock {
    struct card list[STOCK_SHOWN];
    size_t n, total;
};

static int add_stock(void *ctx, const struct card *c)
{
    struct stock *s = ctx;
    if (s->n < STOCK_SHOWN)
        s->list[s->n++] = *c;
    s->total++;
    return 0;
}

struct recent {
    struct card list[RECENT_SHOWN];
    size_t n;
};

static int add_recent(void *ctx, const struct card *c)
{
    struct recent *s = ctx;
    if (s->n < RECENT_SHOWN)
        s->list[s->n++] = *c;
    return 0;
}

struct units {
    struct unit list[UNITS_MAX];
    size_t n;
    const char *own;
};

static int add_unit(void *ctx, const struct unit *u)
{
    struct units *s = ctx;
    if (s->n < UNITS_MAX && strcmp(u->id, s->own) != 0)
        s->list[s->n++] = *u;
    return 0;
}

static void section_open(struct page *p, const char *id, const char *key)
{
    char hid[48];
    snprintf(hid, sizeof hid, "%s-heading", id);
    html_raw(&p->h, "<section");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "aria-labelledby", hid);
    html_raw(&p->h, "><h2");
    html_attr(&p->h, "id", hid);
    html_raw(&p->h, ">");
    html_text(&p->h, i18n_text(p->lang, key));
    html_raw(&p->h, "</h2>");
}

static void lead(struct page *p, const char *key)
{
    html_raw(&p->h, "<p>");
    html_text(&p->h, i18n_text(p->lang, key));
    html_raw(&p->h, "</p>");
}

static void stock_section(struct page *p, const struct desk_state *st, const struct stock *s)
{
    section_open(p, "stock", "page.desk.stock");
    char n[I18N_NUMBER_LEN];
    i18n_number(p->lang, (int64_t)s->total, n);
    const char *args[] = {n};
    html_raw(&p->h, "<p class=\"totals\" id=\"stock-count\">");
    html_textf(&p->h, i18n_plural(p->lang, "page.desk.stock.count", (int64_t)s->total), args, 1);
    html_raw(&p->h, "</p>");
    if (s->total <= DESK_LOW_STOCK)
        page_notice(p, "warn",
                    i18n_text(p->lang, s->total ? "page.desk.stock.low" : "page.desk.stock.none"),
                    NULL);
    if (s->n > 0) {
        /* the codes folded away: a compact list the distributor opens */
        html_raw(&p->h, "<details class=\"codes-box\"><summary id=\"stock-codes-heading\">");
        html_text(&p->h, i18n_text(p->lang, "page.desk.stock.codes"));
        html_raw(&p->h, "</summary><ul class=\"codes\" id=\"stock-codes\" "
                        "aria-labelledby=\"stock-codes-heading\">");
        for (size_t i = 0; i < s->n; i++) {
            html_raw(&p->h, "<li class=\"code\">");
            html_text(&p->h, s->list[i].code);
            html_raw(&p->h, "</li>");
        }
        html_raw(&p->h, "</ul>");
        if (s->total > s->n) {
            char more[I18N_NUMBER_LEN];
            i18n_number(p->lang, (int64_t)(s->total - s->n), more);
            const char *margs[] = {more};
            html_raw(&p->h, "<p>");
            html_textf(
                &p->h,
                i18n_plural(p->lang, "page.desk.stock.more_codes", (int64_t)(s->total - s->n)),
                margs, 1);
            html_raw(&p->h, "</p>");
        }
        html_raw(&p->h, "</details>");
    }
    /* "Kun tarvitsette lisää Kaikukortteja": the request to the coordinator */
    html_raw(&p->h, "<h3 id=\"more-heading\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.more"));
    html_raw(&p->h, "</h3>");
    lead(p, "page.desk.more.lead");
    html_raw(&p->h, "<form method=\"post\" action=\"/desk/more\" id=\"more-form\">");
    page_csrf_field(p);
    char value[16];
    snprintf(value, sizeof value, "%d", MORE_DEFAULT);
    page_input(p, &(struct page_field){.id = "count",
                                       .label = i18n_text(p->lang, "page.desk.more.count"),
                                       .type = "number",
                                       .value = value,
                                       .inputmode = "numeric",
                                       .error = desk_error_text(p, st, DF_MORE)});
    html_raw(&p->h, "<button type=\"submit\" id=\"more\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.more.submit"));
    html_raw(&p->h, "</button></form></section>");
}

static void transfer_section(struct page *p, const struct desk_state *st, const struct units *u)
{
    section_open(p, "transfer", "page.desk.transfer");
    if (u->n == 0) {
        lead(p, "page.desk.transfer.none");
        html_raw(&p->h, "</section>");
        return;
    }
    lead(p, "page.desk.transfer.lead");
    html_raw(&p->h, "<form method=\"post\" action=\"/desk/transfer\" id=\"transfer-form\">");
    page_csrf_field(p);
    char buf[200];
    const char *codes_error = stock_error(p, st, DF_CODES, buf, sizeof buf);
    html_raw(&p->h, codes_error ? "<div class=\"field field-error\">" : "<div class=\"field\">");
    html_raw(&p->h, "<label for=\"codes\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.transfer.codes"));
    html_raw(&p->h, "</label><p class=\"hint\" id=\"codes-hint\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.transfer.codes.hint"));
    html_raw(&p->h, "</p>");
    if (codes_error) {
        html_raw(&p->h, "<p class=\"error-text\" id=\"codes-error\">");
        html_text(&p->h, codes_error);
        html_raw(&p->h, "</p>");
    }
    html_raw(&p->h, "<textarea id=\"codes\" name=\"codes\" rows=\"3\" autocomplete=\"off\"");
    html_attr(&p->h, "aria-describedby", codes_error ? "codes-hint codes-error" : "codes-hint");
    if (codes_error)
        html_raw(&p->h, " aria-invalid=\"true\"");
    html_raw(&p->h, "></textarea></div>");
    const char *unit_error = desk_error_text(p, st, DF_UNIT);
    html_raw(&p->h, unit_error ? "<div class=\"field field-error\">" : "<div class=\"field\">");
    html_raw(&p->h, "<label for=\"to_unit\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.transfer.unit"));
    html_raw(&p->h, "</label>");
    if (unit_error) {
        html_raw(&p->h, "<p class=\"error-text\" id=\"to_unit-error\">");
        html_text(&p->h, unit_error);
        html_raw(&p->h, "</p>");
    }
    html_raw(&p->h, "<select id=\"to_unit\" name=\"to_unit\"");
    if (unit_error)
        html_raw(&p->h, " aria-describedby=\"to_unit-error\" aria-invalid=\"true\"");
    html_raw(&p->h, "><option value=\"\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.transfer.choose"));
    html_raw(&p->h, "</option>");
    for (size_t i = 0; i < u->n; i++) {
        html_raw(&p->h, "<option");
        html_attr(&p->h, "value", u->list[i].id);
        html_raw(&p->h, ">");
        html_text(&p->h, u->list[i].name);
        html_raw(&p->h, "</option>");
    }
    html_raw(&p->h, "</select></div><button type=\"submit\" id=\"transfer\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.transfer.submit"));
    html_raw(&p->h, "</button></form></section>");
}

static void cancel_section(struct page *p, const struct desk_state *st)
{
    section_open(p, "cancel", "page.desk.cancel");
    lead(p, "page.desk.cancel.lead");
    bool refused = st->outcome == DO_CANCEL_REFUSED;
    html_raw(&p->h, "<form method=\"post\" action=\"/desk/cancel\" id=\"cancel-form\" "
                    "autocomplete=\"off\">");
    page_csrf_field(p);
    page_input(p, &(struct page_field){.id = "cancel_card",
                                       .label = i18n_text(p->lang, "page.desk.cancel.card"),
                                       .value = refused ? st->cancel_card : "",
                                       .autocomplete = "off",
                                       .error = desk_error_text(p, st, DF_CANCEL_CARD)});
    page_input(p, &(struct page_field){.id = "reason",
                                       .label = i18n_text(p->lang, "page.desk.cancel.reason"),
                                       .hint = i18n_text(p->lang, "page.desk.cancel.reason.hint"),
                                       .value = refused ? st->reason : "",
                                       .autocomplete = "off",
                                       .error = desk_error_text(p, st, DF_REASON)});
    html_raw(&p->h, "<button type=\"submit\" id=\"cancel-card\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.cancel.submit"));
    html_raw(&p->h, "</button></form></section>");
}

static void recent_section(struct page *p, const struct recent *s)
{
    section_open(p, "recent", "page.desk.recent");
    if (s->n == 0) {
        lead(p, "page.desk.recent.none");
        html_raw(&p->h, "</section>");
        return;
    }
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
    html_attr(&p->h, "aria-label", i18n_text(p->lang, "page.desk.recent"));
    html_raw(&p->h, "><table id=\"recent-handouts\"><thead><tr>");
    static const char *const cols[] = {"page.desk.col.card", "page.desk.col.date",
                                       "page.desk.col.valid", "page.desk.col.status"};
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        html_raw(&p->h, "<th scope=\"col\">");
        html_text(&p->h, i18n_text(p->lang, cols[i]));
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead><tbody>");
    int32_t today = hki_day(p->r->actor.now);
    for (size_t i = 0; i < s->n; i++) {
        const struct card *c = &s->list[i];
        html_raw(&p->h, "<tr><td class=\"code\">");
        html_text(&p->h, c->code);
        html_raw(&p->h, "</td><td>");
        html_date(&p->h, p->lang, c->handed_out_on);
        html_raw(&p->h, "</td><td>");
        html_date(&p->h, p->lang, c->valid_until);
        html_raw(&p->h, "</td><td>");
        html_text(&p->h, i18n_text(p->lang, c->cancelled             ? "page.desk.status.cancelled"
                                            : c->valid_until < today ? "page.desk.status.expired"
                                                                     : "page.desk.status.valid"));
        html_raw(&p->h, "</td></tr>");
    }
    html_raw(&p->h, "</tbody></table></div></section>");
}

/* The page's large parts live outside the stack of a server thread. */
struct stock_page {
    struct stock stock;
    struct recent recent;
    struct units units;
};

int desk_stock_sections(struct page *p, const struct desk_state *st)
{
    struct request *r = p->r;
    struct stock_page *sp = arena_alloc(&r->arena, sizeof *sp);
    if (!sp)
        return -ERR_INTERNAL;
    memset(sp, 0, sizeof *sp);
    sp->units.own = r->actor.scope;
    struct unit own;
    int rc;
    if ((rc = store_stock_list(r->store, &r->actor, r->actor.scope, add_stock, &sp->stock)) != 0 ||
        (rc = store_handout_list(r->store, &r->actor, r->actor.scope, RECENT_SHOWN, add_recent,
                                 &sp->recent)) != 0 ||
        (rc = store_unit_get(r->store, r->actor.scope, &own)) != 0 ||
        (rc = store_unit_list(r->store, NULL, own.region, add_unit, &sp->units)) != 0)
        return rc;
    stock_section(p, st, &sp->stock);
    recent_section(p, &sp->recent);
    transfer_section(p, st, &sp->units);
    cancel_section(p, st);
    return 0;
}
