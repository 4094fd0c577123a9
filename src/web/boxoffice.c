/* The box office (venue staff): the screen used most, measured in key
 * presses — code, Enter (the card's status), Enter (record with the
 * defaults). Each step is a form post and a redirect back to /box-office;
 * what the step found (the checked code, the outcome of a recording) is
 * kept for the session in web/state.h, so card codes never travel in a
 * URL. With the small script the same posts run in the background and the
 * page's <main> is swapped in place.
 *
 * Nothing about a cardholder is ever shown (R33): a card's status and
 * validity, and the uses' codes and counts. */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/pagecache.h"
#include "web/state.h"
#include "web/venue.h"
#include "web/web.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_BOXOFFICE_KEYS(X)                       \
    X("page.boxoffice.heading")                     \
    X("page.boxoffice.event")                       \
    X("page.boxoffice.event.choose")                \
    X("page.boxoffice.event.none")                  \
    X("page.boxoffice.event.today")                 \
    X("page.boxoffice.event.left")                  \
    X("page.boxoffice.event.no_cap")                \
    X("page.boxoffice.fact.left")                   \
    X("page.boxoffice.fact.capacity")               \
    X("page.boxoffice.fact.kind")                   \
    X("page.boxoffice.fact.course")                 \
    X("page.boxoffice.fact.not_course")             \
    X("page.boxoffice.fact.restrictions")           \
    X("page.boxoffice.fact.none")                   \
    X("page.boxoffice.fact.booking")                \
    X("page.boxoffice.fact.collection")             \
    X("page.boxoffice.fact.excluded")               \
    X("page.boxoffice.card")                        \
    X("page.boxoffice.card.hint")                   \
    X("page.boxoffice.check")                       \
    X("page.boxoffice.status.valid")                \
    X("page.boxoffice.status.valid.todo")           \
    X("page.boxoffice.status.expired")              \
    X("page.boxoffice.status.cancelled")            \
    X("page.boxoffice.status.not_issued")           \
    X("page.boxoffice.status.unknown")              \
    X("page.boxoffice.status.invalid")              \
    X("page.boxoffice.tickets")                     \
    X("page.boxoffice.adult")                       \
    X("page.boxoffice.child")                       \
    X("page.boxoffice.companion")                   \
    X("page.boxoffice.less")                        \
    X("page.boxoffice.more")                        \
    X("page.boxoffice.channel")                     \
    X("page.boxoffice.channel.box_office")          \
    X("page.boxoffice.channel.phone")               \
    X("page.boxoffice.channel.ticket_agency")       \
    X("page.boxoffice.channel.paper")               \
    X("page.boxoffice.record")                      \
    X("page.boxoffice.record.for")                  \
    X("page.boxoffice.recorded")                    \
    X("page.boxoffice.n.adult")                     \
    X("page.boxoffice.n.child")                     \
    X("page.boxoffice.n.companion")                 \
    X("page.boxoffice.refused")                     \
    X("page.boxoffice.check_first")                 \
    X("page.boxoffice.todo.card_unknown")           \
    X("page.boxoffice.todo.card_not_issued")        \
    X("page.boxoffice.todo.card_cancelled")         \
    X("page.boxoffice.todo.card_expired")           \
    X("page.boxoffice.todo.event_excluded")         \
    X("page.boxoffice.todo.community_card_course")  \
    X("page.boxoffice.todo.course_child_ticket")    \
    X("page.boxoffice.todo.duplicate_adult_ticket") \
    X("page.boxoffice.todo.booking_not_open")       \
    X("page.boxoffice.todo.collection_not_open")    \
    X("page.boxoffice.todo.cap_reached")            \
    X("page.boxoffice.todo.no_tickets")             \
    X("page.boxoffice.todo.other")                  \
    X("page.boxoffice.today")                       \
    X("page.boxoffice.today.uses")                  \
    X("page.boxoffice.today.none")                  \
    X("page.boxoffice.col.time")                    \
    X("page.boxoffice.col.card")                    \
    X("page.boxoffice.col.tickets")                 \
    X("page.boxoffice.col.event")                   \
    X("page.boxoffice.col.action")                  \
    X("page.boxoffice.undo")                        \
    X("page.boxoffice.undone")                      \
    X("page.boxoffice.undo.title")                  \
    X("page.boxoffice.undo.question")               \
    X("page.boxoffice.undo.confirm")                \
    X("page.boxoffice.undo.cancel")                 \
    X("page.boxoffice.undo.done")                   \
    X("page.boxoffice.undo.gone")

#define KEY(k) k,
static const char *const boxoffice_keys[] = {WEB_BOXOFFICE_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_boxoffice_keys = {boxoffice_keys, ARRAY_LEN(boxoffice_keys)};

#define EVENTS_MAX     40  /* events offered in the choice, today's first */
#define USES_MAX       200 /* today's uses listed */
#define COUNT_MAX      99  /* the largest count the form takes */
#define CARD_INPUT_MAX 64

/* What was found when the card was checked. */
enum bo_status {
    BO_NONE,
    BO_VALID,
    BO_EXPIRED,
    BO_CANCELLED,
    BO_NOT_ISSUED,
    BO_UNKNOWN,
    BO_INVALID,
};

/* What the last post did, shown once by the page after it. */
enum bo_outcome { BO_QUIET, BO_RECORDED, BO_REFUSED, BO_UNDONE, BO_UNDO_REFUSED, BO_CHECK_FIRST };

struct bo_state {
    int64_t event; /* the event chosen, 0: none yet */
    char card[CODE_MAX + 1];
    int status; /* enum bo_status of card */
    int32_t valid_until;
    int outcome; /* enum bo_outcome */
    int err;     /* a refusal: its error and details */
    char err_key[24];
    int64_t err_value;
    struct use recorded;
    int32_t adult, child, companion; /* the form's values after a refusal */
    int channel;
    bool keep_counts;
};

_Static_assert(sizeof(struct bo_state) <= WEB_STATE_BYTES, "box office state too large");

#define FAMILY "boxoffice"

static void load(const struct request *r, struct bo_state *st)
{
    web_state_load(r, FAMILY, st, sizeof *st);
}

static void save(const struct request *r, const struct bo_state *st)
{
    web_state_save(r, FAMILY, st, sizeof *st);
}

/* ---- the posts ---- */

/* POST /box-office/check: the card's status, kept for the page. */
int web_boxoffice_check(struct request *r)
{
    const char *input = "";
    int rc;
    if ((rc = field_text(r, "card", FIELD_EMPTY_OK, CARD_INPUT_MAX, &input)) < 0)
        return rc;
    input = input ? input : ""; /* absent: NULL */
    struct bo_state st;
    load(r, &st);
    st.outcome = BO_QUIET;
    st.keep_counts = false;
    st.card[0] = '\0';
    st.valid_until = 0;
    char code[CODE_MAX + 1];
    if (card_code_normalize(input, code) != 0) {
        st.status = BO_INVALID;
    } else {
        str_copy(st.card, sizeof st.card, code);
        struct card c;
        rc = store_card_get(r->store, code, &c);
        if (rc == -ERR_CARD_UNKNOWN) {
            http_card_guess_failed(r);
            st.status = BO_UNKNOWN;
        } else if (rc != 0) {
            return rc;
        } else {
            switch (card_status_on(&c, hki_day(r->actor.now))) {
            case CARD_VALID:
                st.status = BO_VALID;
                break;
            case CARD_EXPIRED:
                st.status = BO_EXPIRED;
                break;
            case CARD_CANCELLED:
                st.status = BO_CANCELLED;
                break;
            default:
                st.status = BO_NOT_ISSUED;
                break;
            }
            st.valid_until = c.valid_until;
        }
    }
    save(r, &st);
    return web_redirect(r, "/box-office");
}

/* The event, when it is one of the actor's venue. */
static int venue_event(struct request *r, int64_t id, struct event *e)
{
    int rc = store_event_get(r->store, id, e);
    if (rc == -ERR_NOT_FOUND || (rc == 0 && strcmp(e->venue, r->actor.scope) != 0))
        return req_fail(r, ERR_NOT_FOUND, "event");
    return rc;
}

/* POST /box-office/event: the event chosen, remembered for the session. */
int web_boxoffice_event(struct request *r)
{
    int64_t id = 0;
    int rc;
    struct event e;
    if ((rc = field_int(r, "event", FIELD_REQUIRED, 1, INT64_MAX, &id)) < 0 ||
        (rc = venue_event(r, id, &e)) < 0)
        return rc;
    struct bo_state st;
    load(r, &st);
    st.event = id;
    st.outcome = BO_QUIET;
    save(r, &st);
    return web_redirect(r, "/box-office");
}

/* POST /box-office/record: a use of the checked card (R23–R27) through
 * the store, with the form's idempotency key: a retried or double-clicked
 * form shows the first recording again and records nothing twice. */
int web_boxoffice_record(struct request *r)
{
    const char *card = "", *key = NULL;
    int64_t event = 0, adult = 0, child = 0, companion = 0;
    int channel = CHANNEL_BOX_OFFICE, rc;
    if ((rc = field_text(r, "card", FIELD_EMPTY_OK, CARD_INPUT_MAX, &card)) < 0 ||
        (rc = field_int(r, "event", FIELD_REQUIRED, 1, INT64_MAX, &event)) < 0 ||
        (rc = field_int(r, "adult", 0, 0, COUNT_MAX, &adult)) < 0 ||
        (rc = field_int(r, "child", 0, 0, COUNT_MAX, &child)) < 0 ||
        (rc = field_int(r, "companion", 0, 0, COUNT_MAX, &companion)) < 0 ||
        (rc = field_enum(r, "channel", 0, &channel_names, &channel)) < 0 ||
        (rc = field_text(r, "key", FIELD_REQUIRED, IDEMPOTENCY_KEY_MAX, &key)) < 0)
        return rc;
    card = card ? card : ""; /* absent: NULL */
    struct bo_state st;
    load(r, &st);
    st.event = event;
    st.adult = (int32_t)adult;
    st.child = (int32_t)child;
    st.companion = (int32_t)companion;
    st.channel = channel;
    struct use_request u = {.event = event,
                            .adult = (int32_t)adult,
                            .child = (int32_t)child,
                            .companion = (int32_t)companion,
                            .channel = (enum channel)channel};
    if (!card[0] || card_code_normalize(card, u.card) != 0) {
        st.outcome = BO_CHECK_FIRST;
        st.keep_counts = true;
        save(r, &st);
        return web_redirect(r, "/box-office");
    }
    str_copy(u.idempotency_key, sizeof u.idempotency_key, key);
    struct use out;
    bool replayed = false;
    r->details = (struct error_details){0};
    rc = store_use_record(r->store, &r->actor, &u, &out, &replayed, &r->details);
    if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE || rc == -ERR_FORBIDDEN)
        return rc;
    if (rc == -ERR_NOT_FOUND)
        return req_fail(r, ERR_NOT_FOUND, "event");
    if (rc == 0) {
        st.outcome = BO_RECORDED;
        st.recorded = out;
        st.card[0] = '\0'; /* the next person's card */
        st.status = BO_NONE;
        st.keep_counts = false;
    } else {
        if (rc == -ERR_CARD_UNKNOWN)
            http_card_guess_failed(r);
        st.outcome = BO_REFUSED;
        st.err = -rc;
        str_copy(st.err_key, sizeof st.err_key, r->details.key ? r->details.key : "");
        st.err_value = r->details.value;
        st.keep_counts = true;
        str_copy(st.card, sizeof st.card, u.card);
    }
    save(r, &st);
    return web_redirect(r, "/box-office");
}

/* ---- today's uses ---- */

/* The latest USES_MAX of today's uses, in a ring: row k of n (0 the
 * earliest kept) is rows[(seen - n + k) % USES_MAX]. A busy day's
 * thousands of uses cost one copy each, not a shift of all kept rows; a
 * row is taken from the request's arena when its slot is first used, so a
 * quiet day's page zeroes little. */
struct today {
    struct arena *arena;
    struct use_row *rows[USES_MAX];
    size_t n;                              /* kept: min(seen, USES_MAX) */
    size_t seen;                           /* listed by the store */
    int64_t uses, adult, child, companion; /* of those not undone */
};

static const struct use_row *today_row(const struct today *t, size_t k)
{
    return t->rows[(t->seen - t->n + k) % USES_MAX];
}

static int add_today(void *ctx, const struct use_row *row)
{
    struct today *t = ctx;
    if (!row->use.undone_at) {
        t->uses++;
        t->adult += row->use.adult;
        t->child += row->use.child;
        t->companion += row->use.companion;
    }
    struct use_row **slot = &t->rows[t->seen % USES_MAX];
    if (!*slot && !(*slot = arena_alloc(t->arena, sizeof **slot)))
        return -ERR_INTERNAL;
    **slot = *row;
    t->seen++;
    if (t->n < USES_MAX)
        t->n++;
    return 0;
}

static int load_today(struct request *r, struct today *t)
{
    t->arena = &r->arena;
    int32_t today = hki_day(r->actor.now);
    struct use_filter f = {.venue = r->actor.scope, .event = 0, .from = today, .to = today};
    return store_use_list(r->store, &r->actor, &f, add_today, t);
}

/* The tickets of a use in words, the counts that are not zero only
 * ("1 aikuinen, 2 lasta"), into out. */
static void tickets_text(enum lang lang, const struct use *u, char *out, size_t cap)
{
    const struct {
        int32_t n;
        const char *key;
    } parts[] = {{u->adult, "page.boxoffice.n.adult"},
                 {u->child, "page.boxoffice.n.child"},
                 {u->companion, "page.boxoffice.n.companion"}};
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        if (parts[i].n == 0)
            continue;
        char n[I18N_NUMBER_LEN], part[80];
        i18n_number(lang, parts[i].n, n);
        const char *args[] = {n};
        text_fill(part, sizeof part, i18n_plural(lang, parts[i].key, parts[i].n), args, 1);
        int w = snprintf(out + o, cap - o, "%s%s", o ? ", " : "", part);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

/* ---- undo (R25) ---- */

static int find_today(struct request *r, int64_t id, struct use_row *out)
{
    struct today *t = arena_alloc(&r->arena, sizeof *t); /* zeroed */
    if (!t)
        return -ERR_INTERNAL;
    int rc = load_today(r, t);
    if (rc != 0)
        return rc;
    for (size_t k = 0; k < t->n; k++)
        if (today_row(t, k)->use.id == id && !today_row(t, k)->use.undone_at) {
            *out = *today_row(t, k);
            return 0;
        }
    return -ERR_NOT_FOUND;
}

static int use_id(struct request *r, int64_t *id)
{
    if (str_to_i64(r->params[0], 1, INT64_MAX, id) != 0)
        return -ERR_NOT_FOUND;
    return 0;
}

/* GET /box-office/undo/{id}: what would be undone, and the confirmation. */
int web_boxoffice_undo_form(struct request *r)
{
    int64_t id;
    struct use_row row;
    int rc;
    if ((rc = use_id(r, &id)) != 0 || (rc = find_today(r, id, &row)) != 0)
        return rc;
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.boxoffice.undo.title"));
    page_heading(&p, i18n_text(p.lang, "page.boxoffice.undo.title"), NULL);
    char tickets[160];
    tickets_text(p.lang, &row.use, tickets, sizeof tickets);
    const char *args[] = {row.use.card, tickets, row.event_name};
    html_raw(&p.h, "<p class=\"lead\" id=\"undo-question\">");
    html_textf(&p.h, i18n_text(p.lang, "page.boxoffice.undo.question"), args, 3);
    html_raw(&p.h, "</p><form method=\"post\" id=\"undo-form\"");
    char action[64];
    snprintf(action, sizeof action, "/box-office/undo/%lld", (long long)id);
    html_href(&p.h, "action", action);
    html_raw(&p.h, ">");
    page_csrf_field(&p);
    html_raw(&p.h, "<button type=\"submit\" class=\"danger\" id=\"undo-confirm\" autofocus>");
    html_text(&p.h, i18n_text(p.lang, "page.boxoffice.undo.confirm"));
    html_raw(&p.h, "</button> <a href=\"/box-office\" class=\"button\" id=\"undo-cancel\">");
    html_text(&p.h, i18n_text(p.lang, "page.boxoffice.undo.cancel"));
    html_raw(&p.h, "</a></form>");
    return page_end(&p, 200);
}

/* POST /box-office/undo/{id}: R25, then back to the box office. */
int web_boxoffice_undo(struct request *r)
{
    int64_t id;
    int rc = use_id(r, &id);
    if (rc != 0)
        return rc;
    struct bo_state st;
    load(r, &st);
    rc = store_use_undo(r->store, &r->actor, id);
    if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE)
        return rc;
    st.outcome = rc == 0 ? BO_UNDONE : BO_UNDO_REFUSED;
    st.recorded.id = id;
    save(r, &st);
    return web_redirect(r, "/box-office");
}

/* ---- the page ---- */

/* The events offered, each taken from the request's arena as it comes. */
struct events {
    struct arena *arena;
    struct event *list[EVENTS_MAX];
    size_t n;
};

static int add_event(void *ctx, const struct event *e)
{
    struct events *ev = ctx;
    if (ev->n >= EVENTS_MAX)
        return 1; /* enough: stop */
    if (!(ev->list[ev->n] = arena_alloc(ev->arena, sizeof *e)))
        return -ERR_INTERNAL;
    *ev->list[ev->n++] = *e;
    return 0;
}

static void when(struct page *p, int64_t t, int32_t today)
{
    int32_t day = hki_day(t);
    if (day == today)
        html_text(&p->h, i18n_text(p->lang, "page.boxoffice.event.today"));
    else
        html_date(&p->h, p->lang, day);
    html_raw(&p->h, " ");
    html_time(&p->h, p->lang, t);
}

static void event_option(struct page *p, const struct event *e, bool selected, int32_t today)
{
    html_raw(&p->h, "<option");
    html_attr_int(&p->h, "value", e->id);
    if (selected)
        html_raw(&p->h, " selected");
    html_raw(&p->h, ">");
    html_text(&p->h, e->name);
    html_raw(&p->h, " · ");
    when(p, e->starts_at, today);
    html_raw(&p->h, " · ");
    char left[I18N_NUMBER_LEN];
    i18n_number(p->lang, caps_remaining(e), left);
    const char *args[] = {left};
    html_textf(&p->h, i18n_plural(p->lang, "page.boxoffice.event.left", caps_remaining(e)), args,
               1);
    html_raw(&p->h, "</option>");
}

static void fact(struct page *p, const char *key)
{
    html_raw(&p->h, "<dt>");
    html_text(&p->h, i18n_text(p->lang, key));
    html_raw(&p->h, "</dt><dd>");
}

static void event_facts(struct page *p, const struct event *e, int32_t today)
{
    html_raw(&p->h, "<div class=\"event-facts\" id=\"event-facts\"><dl>");
    fact(p, "page.boxoffice.fact.left");
    html_int(&p->h, p->lang, caps_remaining(e));
    if (e->cap < 0) {
        html_raw(&p->h, " (");
        html_text(&p->h, i18n_text(p->lang, "page.boxoffice.event.no_cap"));
        html_raw(&p->h, ")");
    }
    html_raw(&p->h, "</dd>");
    fact(p, "page.boxoffice.fact.capacity");
    html_int(&p->h, p->lang, e->capacity);
    html_raw(&p->h, "</dd>");
    fact(p, "page.boxoffice.fact.kind");
    html_text(&p->h,
              i18n_text(p->lang, e->kind == EVENT_COURSE ? "page.boxoffice.fact.course"
                                                         : "page.boxoffice.fact.not_course"));
    html_raw(&p->h, "</dd>");
    fact(p, "page.boxoffice.fact.restrictions");
    bool any = false;
    if (e->excluded) {
        const char *args[] = {e->exclusion_reason};
        html_raw(&p->h, "<p>");
        html_textf(&p->h, i18n_text(p->lang, "page.boxoffice.fact.excluded"), args, 1);
        html_raw(&p->h, "</p>");
        any = true;
    }
    static const struct {
        int64_t (*opens)(const struct event *);
        const char *key;
    } windows[] = {{window_booking_opens, "page.boxoffice.fact.booking"},
                   {window_collection_opens, "page.boxoffice.fact.collection"}};
    for (size_t i = 0; i < ARRAY_LEN(windows); i++) {
        if ((i == 0 ? e->booking_opens_days : e->collection_opens_minutes) < 0)
            continue;
        int64_t t = windows[i].opens(e);
        char date[I18N_DATE_LEN], clock[8];
        i18n_date(p->lang, hki_day(t), date);
        int32_t d;
        int sec;
        hki_to_local(t, &d, &sec);
        snprintf(clock, sizeof clock, p->lang == LANG_EN ? "%02d:%02d" : "%d.%02d", sec / 3600,
                 sec / 60 % 60);
        const char *args[] = {date, clock};
        html_raw(&p->h, "<p>");
        html_textf(&p->h, i18n_text(p->lang, windows[i].key), args, 2);
        html_raw(&p->h, "</p>");
        any = true;
    }
    if (!any)
        html_text(&p->h, i18n_text(p->lang, "page.boxoffice.fact.none"));
    (void)today;
    html_raw(&p->h, "</dd></dl></div>");
}

static const char *const channel_keys[CHANNEL_COUNT] = {
    [CHANNEL_BOX_OFFICE] = "page.boxoffice.channel.box_office",
    [CHANNEL_PHONE] = "page.boxoffice.channel.phone",
    [CHANNEL_TICKET_AGENCY] = "page.boxoffice.channel.ticket_agency",
    [CHANNEL_PAPER] = "page.boxoffice.channel.paper",
};

static void count_input(struct page *p, const char *id, const char *key, int32_t value)
{
    html_raw(&p->h, "<div class=\"count\"><label");
    html_attr(&p->h, "for", id);
    html_raw(&p->h, ">");
    html_text(&p->h, i18n_text(p->lang, key));
    html_raw(&p->h, "</label><input type=\"number\" min=\"0\" inputmode=\"numeric\"");
    html_attr_int(&p->h, "max", COUNT_MAX);
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "name", id);
    html_attr_int(&p->h, "value", value);
    char label[120];
    const char *args[] = {i18n_text(p->lang, key)};
    text_fill(label, sizeof label, i18n_text(p->lang, "page.boxoffice.less"), args, 1);
    html_attr(&p->h, "data-dec", label);
    text_fill(label, sizeof label, i18n_text(p->lang, "page.boxoffice.more"), args, 1);
    html_attr(&p->h, "data-inc", label);
    html_raw(&p->h, "></div>");
}

/* The refusal of a recording in words, with what to do. */
static void refusal(struct page *p, const struct bo_state *st)
{
    char todo_key[64], text[300];
    const char *code = error_code(st->err);
    snprintf(todo_key, sizeof todo_key, "page.boxoffice.todo.%s", code);
    const char *tmpl = NULL;
    const bool counted = strcmp(st->err_key, "remaining") == 0; /* "1 place is left" */
    for (size_t i = 0; i < ARRAY_LEN(boxoffice_keys); i++)
        if (strcmp(boxoffice_keys[i], todo_key) == 0)
            tmpl = counted ? i18n_plural(p->lang, todo_key, st->err_value)
                           : i18n_text(p->lang, todo_key);
    if (!tmpl && st->err == ERR_INVALID_REQUEST)
        tmpl = i18n_text(p->lang, "page.boxoffice.todo.no_tickets");
    if (!tmpl)
        tmpl = i18n_text(p->lang, "page.boxoffice.todo.other");
    char a[I18N_NUMBER_LEN + I18N_DATE_LEN] = "", b[16] = "";
    if (strcmp(st->err_key, "opens_at") == 0) {
        i18n_date(p->lang, hki_day(st->err_value), a);
        int32_t d;
        int sec;
        hki_to_local(st->err_value, &d, &sec);
        snprintf(b, sizeof b, p->lang == LANG_EN ? "%02d:%02d" : "%d.%02d", sec / 3600,
                 sec / 60 % 60);
    } else if (counted)
        i18n_number(p->lang, st->err_value, a);
    const char *args[] = {a, b};
    text_fill(text, sizeof text, tmpl, args, 2);
    char heading[200], body[500];
    const char *hargs[] = {st->card};
    text_fill(heading, sizeof heading, i18n_text(p->lang, "page.boxoffice.refused"), hargs, 1);
    snprintf(body, sizeof body, "%s %s", error_message(st->err, p->lang), text);
    html_raw(&p->h, "<div id=\"outcome\">");
    page_notice(p, "error", heading, body);
    html_raw(&p->h, "</div>");
}

static void outcome(struct page *p, const struct bo_state *st, const char *event_name)
{
    char text[300];
    switch (st->outcome) {
    case BO_RECORDED: {
        char tickets[160];
        tickets_text(p->lang, &st->recorded, tickets, sizeof tickets);
        const char *args[] = {st->recorded.card, tickets, event_name};
        text_fill(text, sizeof text, i18n_text(p->lang, "page.boxoffice.recorded"), args, 3);
        html_raw(&p->h, "<div id=\"outcome\">");
        page_notice(p, "ok", text, NULL);
        html_raw(&p->h, "</div>");
        break;
    }
    case BO_REFUSED:
        refusal(p, st);
        break;
    case BO_UNDONE:
        html_raw(&p->h, "<div id=\"outcome\">");
        page_notice(p, "ok", i18n_text(p->lang, "page.boxoffice.undo.done"), NULL);
        html_raw(&p->h, "</div>");
        break;
    case BO_UNDO_REFUSED:
        html_raw(&p->h, "<div id=\"outcome\">");
        page_notice(p, "error", i18n_text(p->lang, "page.boxoffice.undo.gone"), NULL);
        html_raw(&p->h, "</div>");
        break;
    case BO_CHECK_FIRST:
        html_raw(&p->h, "<div id=\"outcome\">");
        page_notice(p, "warn", i18n_text(p->lang, "page.boxoffice.check_first"), NULL);
        html_raw(&p->h, "</div>");
        break;
    default:
        break;
    }
}

static void card_status(struct page *p, const struct bo_state *st)
{
    if (st->status == BO_NONE)
        return;
    static const struct {
        const char *kind, *heading, *todo;
    } looks[] = {
        [BO_VALID] = {"ok", "page.boxoffice.status.valid", "page.boxoffice.status.valid.todo"},
        [BO_EXPIRED] = {"error", "page.boxoffice.status.expired",
                        "page.boxoffice.todo.card_expired"},
        [BO_CANCELLED] = {"error", "page.boxoffice.status.cancelled",
                          "page.boxoffice.todo.card_cancelled"},
        [BO_NOT_ISSUED] = {"warn", "page.boxoffice.status.not_issued",
                           "page.boxoffice.todo.card_not_issued"},
        [BO_UNKNOWN] = {"error", "page.boxoffice.status.unknown",
                        "page.boxoffice.todo.card_unknown"},
        [BO_INVALID] = {"error", "page.boxoffice.status.invalid",
                        "page.boxoffice.todo.card_unknown"},
    };
    char date[I18N_DATE_LEN] = "", heading[200];
    if (st->valid_until)
        i18n_date(p->lang, st->valid_until, date);
    const char *args[] = {st->card, date};
    text_fill(heading, sizeof heading, i18n_text(p->lang, looks[st->status].heading), args, 2);
    html_raw(&p->h, "<div id=\"card-status\"");
    html_attr(&p->h, "data-status",
              st->status == BO_VALID        ? "valid"
              : st->status == BO_EXPIRED    ? "expired"
              : st->status == BO_CANCELLED  ? "cancelled"
              : st->status == BO_NOT_ISSUED ? "not_issued"
              : st->status == BO_UNKNOWN    ? "unknown"
                                            : "invalid");
    html_raw(&p->h, ">");
    page_notice(p, looks[st->status].kind, heading, i18n_text(p->lang, looks[st->status].todo));
    html_raw(&p->h, "</div>");
}

static void today_table(struct page *p, const struct today *t)
{
    html_raw(&p->h, "<section><h2 id=\"today-heading\">");
    html_text(&p->h, i18n_text(p->lang, "page.boxoffice.today"));
    html_raw(&p->h, "</h2><p class=\"totals\" id=\"today-totals\">");
    const struct {
        int64_t n;
        const char *key;
    } totals[] = {{t->uses, "page.boxoffice.today.uses"},
                  {t->adult, "page.boxoffice.n.adult"},
                  {t->child, "page.boxoffice.n.child"},
                  {t->companion, "page.boxoffice.n.companion"}};
    for (size_t i = 0; i < ARRAY_LEN(totals); i++) { /* "5 uses · 3 adults · 2 children …" */
        char n[I18N_NUMBER_LEN];
        i18n_number(p->lang, totals[i].n, n);
        const char *args[] = {n};
        if (i > 0)
            html_raw(&p->h, " · ");
        html_textf(&p->h, i18n_plural(p->lang, totals[i].key, totals[i].n), args, 1);
    }
    html_raw(&p->h, "</p>");
    if (t->n == 0) {
        html_raw(&p->h, "<p>");
        html_text(&p->h, i18n_text(p->lang, "page.boxoffice.today.none"));
        html_raw(&p->h, "</p></section>");
        return;
    }
    /* a narrow screen scrolls the table, not the page */
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
    html_attr(&p->h, "aria-label", i18n_text(p->lang, "page.boxoffice.today"));
    html_raw(&p->h, "><table id=\"today-uses\"><thead><tr>");
    static const char *const cols[] = {"page.boxoffice.col.time", "page.boxoffice.col.card",
                                       "page.boxoffice.col.tickets", "page.boxoffice.col.event",
                                       "page.boxoffice.col.action"};
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        html_raw(&p->h, "<th scope=\"col\">");
        html_text(&p->h, i18n_text(p->lang, cols[i]));
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead><tbody>");
    for (size_t k = t->n; k-- > 0;) { /* the latest first */
        const struct use_row *u = today_row(t, k);
        html_raw(&p->h, u->use.undone_at ? "<tr class=\"undone\"" : "<tr");
        char id[32];
        snprintf(id, sizeof id, "use-%lld", (long long)u->use.id);
        html_attr(&p->h, "id", id);
        html_raw(&p->h, "><td>");
        html_time(&p->h, p->lang, u->use.recorded_at);
        html_raw(&p->h, "</td><td class=\"code\">");
        html_text(&p->h, u->use.card);
        html_raw(&p->h, "</td><td>");
        char tickets[160];
        tickets_text(p->lang, &u->use, tickets, sizeof tickets);
        html_text(&p->h, tickets);
        html_raw(&p->h, "</td><td>");
        html_text(&p->h, u->event_name);
        html_raw(&p->h, " ");
        html_time(&p->h, p->lang, u->event_starts_at);
        html_raw(&p->h, "</td><td>");
        if (u->use.undone_at) {
            html_text(&p->h, i18n_text(p->lang, "page.boxoffice.undone"));
        } else {
            char href[48];
            snprintf(href, sizeof href, "/box-office/undo/%lld", (long long)u->use.id);
            html_raw(&p->h, "<a");
            html_href(&p->h, "href", href);
            html_raw(&p->h, ">");
            html_text(&p->h, i18n_text(p->lang, "page.boxoffice.undo"));
            html_raw(&p->h, "<span class=\"visually-hidden\"> ");
            html_text(&p->h, u->use.card);
            html_raw(&p->h, "</span></a>");
        }
        html_raw(&p->h, "</td></tr>");
    }
    html_raw(&p->h, "</tbody></table></div></section>");
}

/* The page's large parts live outside the stack of a server thread. */
struct bo_page {
    struct events ev;
    struct today today;
};

/* GET /box-office. The page is the same bytes (but for the record form's
 * fresh idempotency key) until the store changes, the day turns or the
 * session's state moves: kept for the session (web/pagecache.h) and served
 * again without a read or a render. A page that shows an outcome is shown
 * once, so it is never kept. */
int web_boxoffice(struct request *r)
{
    struct bo_state st;
    load(r, &st);
    int32_t today = hki_day(r->actor.now);
    const struct page_memo memo = {.family = FAMILY,
                                   .lang = r->lang,
                                   .day = today,
                                   .generation = store_generation(r->store), /* before the reads */
                                   .state = &st,
                                   .state_len = sizeof st};
    const bool keep = st.outcome == BO_QUIET;
    if (keep && page_cache_reply(r, &memo))
        return 0;
    struct bo_page *bp = arena_alloc(&r->arena, sizeof *bp); /* zeroed */
    if (!bp)
        return -ERR_INTERNAL;
    struct event_filter f = {.venue = r->actor.scope, .from = hki_from_local(today, 0), .to = 0};
    bp->ev.arena = &r->arena;
    int rc = store_event_list(r->store, &f, add_event, &bp->ev);
    if (rc < 0)
        return rc;
    if ((rc = load_today(r, &bp->today)) != 0)
        return rc;
    struct venue v;
    if (store_venue_get(r->store, r->actor.scope, &v) != 0)
        str_copy(v.name, sizeof v.name, r->actor.scope);

    const struct event *chosen = NULL;
    for (size_t i = 0; i < bp->ev.n; i++)
        if (bp->ev.list[i]->id == st.event)
            chosen = bp->ev.list[i];
    if (!chosen && bp->ev.n > 0)
        chosen = bp->ev.list[0];
    const char *recorded_event = "";
    for (size_t i = 0; i < bp->ev.n; i++)
        if (bp->ev.list[i]->id == st.recorded.event)
            recorded_event = bp->ev.list[i]->name;
    struct event past;
    if (st.outcome == BO_RECORDED && !recorded_event[0] &&
        store_event_get(r->store, st.recorded.event, &past) == 0)
        recorded_event = past.name;

    struct page p;
    char title[300];
    const char *targs[] = {v.name};
    text_fill(title, sizeof title, i18n_text(r->lang, "page.boxoffice.heading"), targs, 1);
    page_begin(&p, r, title);
    venue_heading(&p, title, "/box-office"); /* the venue's pages, then the <h1> */
    outcome(&p, &st, recorded_event);

    html_raw(&p.h, "<div class=\"bo-grid\"><div>");
    /* the event */
    html_raw(&p.h,
             "<form method=\"post\" action=\"/box-office/event\" id=\"event-form\" data-swap>");
    page_csrf_field(&p);
    html_raw(&p.h, "<div class=\"field\"><label for=\"event\">");
    html_text(&p.h, i18n_text(p.lang, "page.boxoffice.event"));
    html_raw(&p.h, "</label>");
    if (bp->ev.n == 0) {
        html_raw(&p.h, "<p id=\"event\">");
        html_text(&p.h, i18n_text(p.lang, "page.boxoffice.event.none"));
        html_raw(&p.h, "</p></div></form>");
    } else {
        html_raw(&p.h, "<div class=\"code-row\"><select id=\"event\" name=\"event\">");
        for (size_t i = 0; i < bp->ev.n; i++)
            event_option(&p, bp->ev.list[i], bp->ev.list[i] == chosen, today);
        html_raw(&p.h, "</select><button type=\"submit\" id=\"event-choose\">");
        html_text(&p.h, i18n_text(p.lang, "page.boxoffice.event.choose"));
        html_raw(&p.h, "</button></div></div></form>");
        event_facts(&p, chosen, today);
    }

    /* the card */
    char key[SECRET_TOKEN_LEN + 1] = "";
    bool valid = st.status == BO_VALID && st.card[0];
    bool focus_record = valid && st.outcome == BO_QUIET && chosen;
    html_raw(&p.h, "<form method=\"post\" action=\"/box-office/check\" id=\"check-form\" "
                   "data-swap autocomplete=\"off\">");
    page_csrf_field(&p);
    html_raw(&p.h, "<div class=\"code-row\">");
    page_input(&p, &(struct page_field){.id = "card",
                                        .label = i18n_text(p.lang, "page.boxoffice.card"),
                                        .hint = i18n_text(p.lang, "page.boxoffice.card.hint"),
                                        .value = "",
                                        .autocomplete = "off",
                                        .autofocus = !focus_record});
    html_raw(&p.h, "<button type=\"submit\" id=\"check\">");
    html_text(&p.h, i18n_text(p.lang, "page.boxoffice.check"));
    html_raw(&p.h, "</button></div></form>");
    if (st.outcome != BO_RECORDED)
        card_status(&p, &st);

    /* the recording */
    if (chosen) {
        html_raw(&p.h, "<form method=\"post\" action=\"/box-office/record\" id=\"record-form\" "
                       "data-swap>");
        page_csrf_field(&p);
        html_raw(&p.h, "<input type=\"hidden\" name=\"event\"");
        html_attr_int(&p.h, "value", chosen->id);
        html_raw(&p.h, "><input type=\"hidden\" name=\"card\"");
        html_attr(&p.h, "value", valid || st.outcome == BO_REFUSED ? st.card : "");
        html_raw(&p.h, "><input type=\"hidden\" name=\"key\"");
        secret_token(key); /* one per form: a retried post records nothing twice */
        html_attr(&p.h, "value", key);
        html_raw(&p.h, "><fieldset><legend>");
        html_text(&p.h, i18n_text(p.lang, "page.boxoffice.tickets"));
        html_raw(&p.h, "</legend><div class=\"counts\">");
        count_input(&p, "adult", "page.boxoffice.adult", st.keep_counts ? st.adult : 1);
        count_input(&p, "child", "page.boxoffice.child", st.keep_counts ? st.child : 0);
        count_input(&p, "companion", "page.boxoffice.companion", st.keep_counts ? st.companion : 0);
        html_raw(&p.h, "</div></fieldset><fieldset><legend>");
        html_text(&p.h, i18n_text(p.lang, "page.boxoffice.channel"));
        html_raw(&p.h, "</legend><div class=\"choices\">");
        int channel = st.keep_counts ? st.channel : CHANNEL_BOX_OFFICE;
        for (int c = 0; c < CHANNEL_COUNT; c++) {
            char id[40];
            snprintf(id, sizeof id, "channel-%s", name_of(&channel_names, c));
            html_raw(&p.h, "<div class=\"choice\"><input type=\"radio\" name=\"channel\"");
            html_attr(&p.h, "id", id);
            html_attr(&p.h, "value", name_of(&channel_names, c));
            if (c == channel)
                html_raw(&p.h, " checked");
            html_raw(&p.h, "><label");
            html_attr(&p.h, "for", id);
            html_raw(&p.h, ">");
            html_text(&p.h, i18n_text(p.lang, channel_keys[c]));
            html_raw(&p.h, "</label></div>");
        }
        html_raw(&p.h, "</div></fieldset><button type=\"submit\" class=\"primary\" id=\"record\"");
        if (focus_record)
            html_raw(&p.h, " autofocus");
        html_raw(&p.h, ">");
        if (valid || st.outcome == BO_REFUSED) {
            const char *args[] = {st.card};
            html_textf(&p.h, i18n_text(p.lang, "page.boxoffice.record.for"), args, 1);
        } else
            html_text(&p.h, i18n_text(p.lang, "page.boxoffice.record"));
        html_raw(&p.h, "</button></form>");
    }
    html_raw(&p.h, "</div><div>");
    today_table(&p, &bp->today);
    html_raw(&p.h, "</div></div>");

    /* an outcome is shown once */
    if (st.outcome != BO_QUIET) {
        st.outcome = BO_QUIET;
        save(r, &st);
    }
    if ((rc = page_end(&p, 200)) == 0 && keep)
        page_cache_keep(r, &memo, key[0] ? key : NULL);
    return rc;
}
