/* The venue's events (venue staff): the list of upcoming and past events,
 * an event's form for adding and changing it, with the event's uses
 * below it (venue_uses.c, as is their undo, R25).
 *
 * Beside the cap field the form shows R15's lowest allowed cap for the
 * capacity, kind and guest producer in the form (core caps_minimum, the
 * rule the store applies): recomputed by the "recompute" button of the
 * form without JavaScript, and as the fields change with the site's script
 * (GET /venue/events/minimum, the same rule). Exclusion with its reason and
 * the booking and collection windows (R17) are fields of the same form; a
 * cap or capacity below the tickets already used is refused in words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "http/field.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/state.h"
#include "web/venue.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_VENUE_EVENTS_KEYS(X)             \
    X("page.venue.events.title")             \
    X("page.venue.events.lead")              \
    X("page.venue.events.new")               \
    X("page.venue.events.upcoming")          \
    X("page.venue.events.past")              \
    X("page.venue.events.none")              \
    X("page.venue.events.col.name")          \
    X("page.venue.events.col.when")          \
    X("page.venue.events.col.kind")          \
    X("page.venue.events.col.cap")           \
    X("page.venue.events.col.used")          \
    X("page.venue.events.col.restrictions")  \
    X("page.venue.events.no_cap")            \
    X("page.venue.events.excluded")          \
    X("page.venue.events.booking")           \
    X("page.venue.events.collection")        \
    X("page.venue.events.none_restrictions") \
    X("page.venue.event.new.title")          \
    X("page.venue.event.edit.title")         \
    X("page.venue.event.name")               \
    X("page.venue.event.kind")               \
    X("page.venue.event.kind.performance")   \
    X("page.venue.event.kind.course")        \
    X("page.venue.event.kind.day_ticket")    \
    X("page.venue.event.kind.daily")         \
    X("page.venue.event.date")               \
    X("page.venue.event.date.hint")          \
    X("page.venue.event.time")               \
    X("page.venue.event.time.hint")          \
    X("page.venue.event.capacity")           \
    X("page.venue.event.guest")              \
    X("page.venue.event.cap")                \
    X("page.venue.event.cap.hint")           \
    X("page.venue.event.minimum")            \
    X("page.venue.event.minimum.unknown")    \
    X("page.venue.event.used")               \
    X("page.venue.event.restrictions")       \
    X("page.venue.event.booking")            \
    X("page.venue.event.booking.hint")       \
    X("page.venue.event.collection")         \
    X("page.venue.event.collection.hint")    \
    X("page.venue.event.excluded")           \
    X("page.venue.event.reason")             \
    X("page.venue.event.reason.hint")        \
    X("page.venue.event.save")               \
    X("page.venue.event.create")             \
    X("page.venue.event.recompute")          \
    X("page.venue.event.created")            \
    X("page.venue.event.saved")              \
    X("page.venue.event.back")               \
    X("page.venue.err.name")                 \
    X("page.venue.err.kind")                 \
    X("page.venue.err.date")                 \
    X("page.venue.err.time")                 \
    X("page.venue.err.capacity")             \
    X("page.venue.err.cap")                  \
    X("page.venue.err.cap_low")              \
    X("page.venue.err.cap_above")            \
    X("page.venue.err.cap_used")             \
    X("page.venue.err.capacity_used")        \
    X("page.venue.err.booking")              \
    X("page.venue.err.collection")           \
    X("page.venue.err.reason")               \
    X("page.venue.err.identity")

#define KEY(k) k,
static const char *const events_keys[] = {WEB_VENUE_EVENTS_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_venue_events_keys = {events_keys, ARRAY_LEN(events_keys)};

#define LIST_MAX  200 /* upcoming events listed */
#define PAST_MAX  50  /* past events listed, the latest */
#define INPUT_MAX 32  /* bytes of a number, date or time field */

static const char *const kind_keys[EVENT_KIND_COUNT] = {
    [EVENT_PERFORMANCE] = "page.venue.event.kind.performance",
    [EVENT_COURSE] = "page.venue.event.kind.course",
    [EVENT_DAY_TICKET] = "page.venue.event.kind.day_ticket",
    [EVENT_DAILY] = "page.venue.event.kind.daily",
};

struct ev_state {
    int outcome;
    int64_t id; /* the event or use it concerns */
};

#define FAMILY "venue-events"

static void take_outcome(struct request *r, struct ev_state *st)
{
    web_state_load(r, FAMILY, st, sizeof *st);
    if (st->outcome != EO_QUIET) {
        struct ev_state quiet = {0};
        web_state_save(r, FAMILY, &quiet, sizeof quiet);
    }
}

void venue_event_outcome(struct request *r, enum venue_event_outcome outcome, int64_t id)
{
    struct ev_state st = {outcome, id};
    web_state_save(r, FAMILY, &st, sizeof st);
}

/* An event of the actor's venue; another venue's is not found. */
static int venue_event(struct request *r, const char *param, struct event *e)
{
    int64_t id;
    if (str_to_i64(param, 1, INT64_MAX, &id) != 0)
        return -ERR_NOT_FOUND;
    int rc = store_event_get(r->store, id, e);
    if (rc == 0 && strcmp(e->venue, r->actor.scope) != 0)
        rc = -ERR_NOT_FOUND;
    return rc;
}

/* "18.00" or "18:00" */
static void clock_text(enum lang lang, int64_t t, char out[8])
{
    int32_t d;
    int sec;
    hki_to_local(t, &d, &sec);
    snprintf(out, 8, lang == LANG_EN ? "%02d:%02d" : "%d.%02d", sec / 3600 % 24, sec / 60 % 60);
}

/* The restrictions of an event in words (R17), each its own paragraph. */
static void restrictions(struct page *p, const struct event *e)
{
    bool any = false;
    if (e->excluded) {
        const char *args[] = {e->exclusion_reason};
        html_raw(&p->h, "<p>");
        html_textf(&p->h, i18n_text(p->lang, "page.venue.events.excluded"), args, 1);
        html_raw(&p->h, "</p>");
        any = true;
    }
    static const struct {
        int64_t (*opens)(const struct event *);
        const char *key;
    } windows[] = {{window_booking_opens, "page.venue.events.booking"},
                   {window_collection_opens, "page.venue.events.collection"}};
    for (size_t i = 0; i < ARRAY_LEN(windows); i++) {
        if ((i == 0 ? e->booking_opens_days : e->collection_opens_minutes) < 0)
            continue;
        int64_t t = windows[i].opens(e);
        char date[I18N_DATE_LEN], clock[8];
        i18n_date(p->lang, hki_day(t), date);
        clock_text(p->lang, t, clock);
        const char *args[] = {date, clock};
        html_raw(&p->h, "<p>");
        html_textf(&p->h, i18n_text(p->lang, windows[i].key), args, 2);
        html_raw(&p->h, "</p>");
        any = true;
    }
    if (!any)
        html_text(&p->h, i18n_text(p->lang, "page.venue.events.none_restrictions"));
}

/* ---- the list ---- */

struct ev_list {
    struct arena *arena;
    struct event *rows[LIST_MAX];
    size_t n, seen; /* past events: a ring of the latest PAST_MAX */
    size_t max;
};

static int add_row(void *ctx, const struct event *e)
{
    struct ev_list *l = ctx;
    struct event **slot = &l->rows[l->seen % l->max];
    if (l->max == LIST_MAX && l->n >= LIST_MAX)
        return 1;
    if (!*slot && !(*slot = arena_alloc(l->arena, sizeof **slot)))
        return -ERR_INTERNAL;
    **slot = *e;
    l->seen++;
    if (l->n < l->max)
        l->n++;
    return 0;
}

static const struct event *list_row(const struct ev_list *l, size_t k)
{
    return l->rows[(l->seen - l->n + k) % l->max];
}

static void events_table(struct page *p, const char *id, const char *heading,
                         const struct ev_list *l, bool latest_first)
{
    html_raw(&p->h, "<section><h2");
    char hid[48];
    snprintf(hid, sizeof hid, "%s-heading", id);
    html_attr(&p->h, "id", hid);
    html_raw(&p->h, ">");
    html_text(&p->h, heading);
    html_raw(&p->h, "</h2>");
    if (l->n == 0) {
        html_raw(&p->h, "<p>");
        html_text(&p->h, i18n_text(p->lang, "page.venue.events.none"));
        html_raw(&p->h, "</p></section>");
        return;
    }
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
    html_attr(&p->h, "aria-labelledby", hid);
    html_raw(&p->h, "><table");
    html_attr(&p->h, "id", id);
    html_raw(&p->h, "><thead><tr>");
    static const char *const cols[] = {
        "page.venue.events.col.name", "page.venue.events.col.when",
        "page.venue.events.col.kind", "page.venue.events.col.cap",
        "page.venue.events.col.used", "page.venue.events.col.restrictions"};
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        html_raw(&p->h,
                 i == 3 || i == 4 ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
        html_text(&p->h, i18n_text(p->lang, cols[i]));
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead><tbody>");
    for (size_t i = 0; i < l->n; i++) {
        const struct event *e = list_row(l, latest_first ? l->n - 1 - i : i);
        char href[48];
        snprintf(href, sizeof href, "/venue/events/%lld", (long long)e->id);
        html_raw(&p->h, "<tr><th scope=\"row\"><a");
        html_href(&p->h, "href", href);
        html_raw(&p->h, ">");
        html_text(&p->h, e->name);
        html_raw(&p->h, "</a></th><td>");
        html_date(&p->h, p->lang, hki_day(e->starts_at));
        html_raw(&p->h, " ");
        html_time(&p->h, p->lang, e->starts_at);
        html_raw(&p->h, "</td><td>");
        html_text(&p->h, i18n_text(p->lang, kind_keys[e->kind]));
        html_raw(&p->h, "</td><td class=\"num\">");
        if (e->cap >= 0)
            html_int(&p->h, p->lang, e->cap);
        else
            html_text(&p->h, i18n_text(p->lang, "page.venue.events.no_cap"));
        html_raw(&p->h, " / ");
        html_int(&p->h, p->lang, e->capacity);
        html_raw(&p->h, "</td><td class=\"num\">");
        html_int(&p->h, p->lang, e->used);
        html_raw(&p->h, "</td><td>");
        restrictions(p, e);
        html_raw(&p->h, "</td></tr>");
    }
    html_raw(&p->h, "</tbody></table></div></section>");
}

/* GET /venue/events: upcoming events, then the latest past ones. */
int web_venue_events(struct request *r)
{
    struct ev_list *up = arena_alloc(&r->arena, sizeof *up);
    struct ev_list *past = arena_alloc(&r->arena, sizeof *past);
    if (!up || !past)
        return -ERR_INTERNAL;
    *up = (struct ev_list){.arena = &r->arena, .max = LIST_MAX};
    *past = (struct ev_list){.arena = &r->arena, .max = PAST_MAX};
    int64_t today = hki_from_local(hki_day(r->actor.now), 0);
    struct event_filter fu = {.venue = r->actor.scope, .from = today, .to = 0};
    struct event_filter fp = {.venue = r->actor.scope, .from = 0, .to = today};
    int rc;
    if ((rc = store_event_list(r->store, &fu, add_row, up)) < 0 ||
        (rc = store_event_list(r->store, &fp, add_row, past)) < 0)
        return rc;
    struct ev_state st;
    take_outcome(r, &st);
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.events.title"));
    venue_heading(&p, i18n_text(p.lang, "page.venue.events.title"), "/venue/events");
    html_raw(&p.h, "<p class=\"lead\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.events.lead"));
    html_raw(&p.h, "</p><p><a class=\"button\" id=\"new-event\" href=\"/venue/events/new\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.events.new"));
    html_raw(&p.h, "</a></p>");
    events_table(&p, "events-upcoming", i18n_text(p.lang, "page.venue.events.upcoming"), up, false);
    events_table(&p, "events-past", i18n_text(p.lang, "page.venue.events.past"), past, true);
    return page_end(&p, 200);
}

/* ---- the form ---- */

enum ev_field {
    EF_NAME,
    EF_KIND,
    EF_DATE,
    EF_TIME,
    EF_CAPACITY,
    EF_GUEST,
    EF_CAP,
    EF_BOOKING,
    EF_COLLECTION,
    EF_EXCLUDED,
    EF_REASON,
    EF_COUNT
};

static const char *const ef_ids[EF_COUNT] = {
    [EF_NAME] = "name",
    [EF_KIND] = "kind",
    [EF_DATE] = "date",
    [EF_TIME] = "time",
    [EF_CAPACITY] = "capacity",
    [EF_GUEST] = "guest_producer",
    [EF_CAP] = "cap",
    [EF_BOOKING] = "booking_opens_days",
    [EF_COLLECTION] = "collection_opens_minutes",
    [EF_EXCLUDED] = "excluded",
    [EF_REASON] = "exclusion_reason",
};

/* The form as typed (or as the event stands) and its errors in words. */
struct ev_form {
    int64_t id; /* 0: a new event */
    int32_t used;
    const char *v[EF_COUNT];
    const char *err[EF_COUNT];
    int32_t minimum; /* R15 for the form's values; -1 when they do not say */
};

static const char *arena_int(struct request *r, int64_t n)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)n);
    return arena_strdup(&r->arena, buf);
}

static void form_from_event(struct request *r, const struct event *e, struct ev_form *f)
{
    char date[DATE_STR_LEN], clock[8];
    int32_t day;
    int sec;
    hki_to_local(e->starts_at, &day, &sec);
    date_format(day, date);
    snprintf(clock, sizeof clock, "%02d:%02d", sec / 3600 % 24, sec / 60 % 60);
    f->id = e->id;
    f->used = e->used;
    f->v[EF_NAME] = arena_strdup(&r->arena, e->name);
    f->v[EF_KIND] = name_of(&event_kind_names, (int)e->kind);
    f->v[EF_DATE] = arena_strdup(&r->arena, date);
    f->v[EF_TIME] = arena_strdup(&r->arena, clock);
    f->v[EF_CAPACITY] = arena_int(r, e->capacity);
    f->v[EF_GUEST] = e->guest_producer ? "on" : "";
    f->v[EF_CAP] = e->cap >= 0 ? arena_int(r, e->cap) : "";
    f->v[EF_BOOKING] = e->booking_opens_days >= 0 ? arena_int(r, e->booking_opens_days) : "";
    f->v[EF_COLLECTION] =
        e->collection_opens_minutes >= 0 ? arena_int(r, e->collection_opens_minutes) : "";
    f->v[EF_EXCLUDED] = e->excluded ? "on" : "";
    f->v[EF_REASON] = arena_strdup(&r->arena, e->exclusion_reason);
    f->minimum = caps_minimum(e->capacity, e->kind, e->guest_producer);
}

/* An optional whole number in [min, max]: "" is -1. */
static bool optional_int(const char *s, int64_t min, int64_t max, int32_t *out)
{
    int64_t v;
    if (!s[0]) {
        *out = -1;
        return true;
    }
    if (str_to_i64(s, min, max, &v) != 0)
        return false;
    *out = (int32_t)v;
    return true;
}

/* "HH:MM" (or "HH.MM", as Finns write it) into seconds of the day. */
static bool parse_clock(const char *s, int *sec)
{
    if (strlen(s) != 5 || (s[2] != ':' && s[2] != '.'))
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return false;
    *sec = h * 3600 + m * 60;
    return true;
}

/* A refusal naming a number; counted (plural forms) when it counts things. */
static const char *err_text(struct request *r, const char *key, int64_t n, bool counted)
{
    char num[I18N_NUMBER_LEN], out[300];
    i18n_number(r->lang, n, num);
    const char *args[] = {num};
    text_fill(out, sizeof out, counted ? i18n_plural(r->lang, key, n) : i18n_text(r->lang, key),
              args, 1);
    return arena_strdup(&r->arena, out);
}

/* Reads the posted form into f and, where its fields say, into e. Returns
 * the number of errors found. */
static int form_from_post(struct request *r, struct ev_form *f, struct event *e)
{
    for (int i = 0; i < EF_COUNT; i++) {
        const char *s = venue_pair(r, ef_ids[i]);
        size_t max = i == EF_NAME ? NAME_MAX_BYTES : i == EF_REASON ? TEXT_MAX_BYTES : INPUT_MAX;
        f->v[i] = strlen(s) <= max ? s : "";
    }
    int n = 0, sec = 0;
    int32_t day = 0, capacity = -1;
    int64_t v;
    f->minimum = -1;
#define FAIL(field, key) (f->err[field] = i18n_text(r->lang, key), n++)
    str_copy(e->name, sizeof e->name, f->v[EF_NAME]);
    if (!f->v[EF_NAME][0])
        FAIL(EF_NAME, "page.venue.err.name");
    int kind = name_lookup(&event_kind_names, f->v[EF_KIND]);
    if (kind < 0)
        FAIL(EF_KIND, "page.venue.err.kind");
    else
        e->kind = (enum event_kind)kind;
    if (date_parse(f->v[EF_DATE], &day) != 0)
        FAIL(EF_DATE, "page.venue.err.date");
    if (!parse_clock(f->v[EF_TIME], &sec))
        FAIL(EF_TIME, "page.venue.err.time");
    e->starts_at = hki_from_local(day, sec);
    if (str_to_i64(f->v[EF_CAPACITY], 1, CAPACITY_MAX, &v) != 0)
        FAIL(EF_CAPACITY, "page.venue.err.capacity");
    else
        capacity = (int32_t)v;
    e->capacity = capacity;
    e->guest_producer = strcmp(f->v[EF_GUEST], "on") == 0;
    if (!optional_int(f->v[EF_CAP], 0, CAPACITY_MAX, &e->cap))
        FAIL(EF_CAP, "page.venue.err.cap");
    if (!optional_int(f->v[EF_BOOKING], 0, BOOKING_OPENS_DAYS_MAX, &e->booking_opens_days))
        FAIL(EF_BOOKING, "page.venue.err.booking");
    if (!optional_int(f->v[EF_COLLECTION], 0, COLLECTION_OPENS_MINUTES_MAX,
                      &e->collection_opens_minutes))
        FAIL(EF_COLLECTION, "page.venue.err.collection");
    e->excluded = strcmp(f->v[EF_EXCLUDED], "on") == 0;
    str_copy(e->exclusion_reason, sizeof e->exclusion_reason, f->v[EF_REASON]);
    if (e->excluded && !f->v[EF_REASON][0])
        FAIL(EF_REASON, "page.venue.err.reason");
#undef FAIL
    if (capacity > 0 && kind >= 0) {
        f->minimum = caps_minimum(capacity, e->kind, e->guest_producer);
        if (!f->err[EF_CAP] && e->cap >= 0 && e->cap < f->minimum) {
            f->err[EF_CAP] = err_text(r, "page.venue.err.cap_low", f->minimum, false);
            n++;
        } else if (!f->err[EF_CAP] && e->cap > capacity) {
            f->err[EF_CAP] = i18n_text(r->lang, "page.venue.err.cap_above");
            n++;
        }
    }
    return n;
}

/* A refusal of the store (core event_validate) next to its field. */
static int store_refusal(struct request *r, int rc, const struct event *e, struct ev_form *f)
{
    const char *field = r->details.field ? r->details.field : "";
    switch (-rc) {
    case ERR_CAP_TOO_LOW:
        f->err[EF_CAP] = err_text(r, "page.venue.err.cap_low", r->details.value, false);
        return 0;
    case ERR_CAP_BELOW_USED:
        if (e->cap >= 0 && e->cap < r->details.value)
            f->err[EF_CAP] = err_text(r, "page.venue.err.cap_used", r->details.value, true);
        else
            f->err[EF_CAPACITY] =
                err_text(r, "page.venue.err.capacity_used", r->details.value, true);
        return 0;
    case ERR_IDENTITY_DATA_REFUSED:
        f->err[strcmp(field, "exclusion_reason") == 0 ? EF_REASON : EF_NAME] =
            i18n_text(r->lang, "page.venue.err.identity");
        return 0;
    case ERR_INVALID_REQUEST:
        for (int i = 0; i < EF_COUNT; i++)
            if (strcmp(field, ef_ids[i]) == 0) {
                static const char *const keys[EF_COUNT] = {
                    [EF_NAME] = "page.venue.err.name",
                    [EF_KIND] = "page.venue.err.kind",
                    [EF_DATE] = "page.venue.err.date",
                    [EF_TIME] = "page.venue.err.time",
                    [EF_CAPACITY] = "page.venue.err.capacity",
                    [EF_GUEST] = "page.venue.err.kind",
                    [EF_CAP] = "page.venue.err.cap_above",
                    [EF_BOOKING] = "page.venue.err.booking",
                    [EF_COLLECTION] = "page.venue.err.collection",
                    [EF_EXCLUDED] = "page.venue.err.reason",
                    [EF_REASON] = "page.venue.err.reason",
                };
                f->err[i] = i18n_text(r->lang, keys[i]);
                return 0;
            }
        if (strcmp(field, "starts_at") == 0) {
            f->err[EF_DATE] = i18n_text(r->lang, "page.venue.err.date");
            return 0;
        }
        return rc;
    default:
        return rc;
    }
}

static void field(struct page *p, const struct ev_form *f, enum ev_field i, const char *label_key,
                  const char *type, const char *hint_key, const char *inputmode)
{
    page_input(p, &(struct page_field){.id = ef_ids[i],
                                       .label = i18n_text(p->lang, label_key),
                                       .type = type,
                                       .value = f->v[i] ? f->v[i] : "",
                                       .hint = hint_key ? i18n_text(p->lang, hint_key) : NULL,
                                       .error = f->err[i],
                                       .inputmode = inputmode});
}

static void minimum_text(struct page *p, const struct ev_form *f)
{
    html_raw(&p->h, "<p class=\"minimum\" id=\"cap-minimum\" aria-live=\"polite\">");
    if (f->minimum >= 0) {
        char n[I18N_NUMBER_LEN];
        i18n_number(p->lang, f->minimum, n);
        const char *args[] = {n};
        html_textf(&p->h, i18n_text(p->lang, "page.venue.event.minimum"), args, 1);
    } else
        html_text(&p->h, i18n_text(p->lang, "page.venue.event.minimum.unknown"));
    html_raw(&p->h, "</p>");
}

static void form_body(struct page *p, const struct ev_form *f)
{
    field(p, f, EF_NAME, "page.venue.event.name", "text", NULL, NULL);
    html_raw(&p->h,
             f->err[EF_KIND] ? "<div class=\"field field-error\">" : "<div class=\"field\">");
    html_raw(&p->h, "<label for=\"kind\">");
    html_text(&p->h, i18n_text(p->lang, "page.venue.event.kind"));
    html_raw(&p->h, "</label>");
    if (f->err[EF_KIND]) {
        html_raw(&p->h, "<p class=\"error-text\" id=\"kind-error\">");
        html_text(&p->h, f->err[EF_KIND]);
        html_raw(&p->h, "</p>");
    }
    html_raw(&p->h, "<select id=\"kind\" name=\"kind\" data-minimum");
    if (f->err[EF_KIND])
        html_raw(&p->h, " aria-describedby=\"kind-error\" aria-invalid=\"true\"");
    html_raw(&p->h, ">");
    for (int k = 0; k < EVENT_KIND_COUNT; k++) {
        html_raw(&p->h, "<option");
        html_attr(&p->h, "value", name_of(&event_kind_names, k));
        if (f->v[EF_KIND] && strcmp(f->v[EF_KIND], name_of(&event_kind_names, k)) == 0)
            html_raw(&p->h, " selected");
        html_raw(&p->h, ">");
        html_text(&p->h, i18n_text(p->lang, kind_keys[k]));
        html_raw(&p->h, "</option>");
    }
    html_raw(&p->h, "</select></div><div class=\"when-row\">");
    field(p, f, EF_DATE, "page.venue.event.date", "date", "page.venue.event.date.hint", NULL);
    field(p, f, EF_TIME, "page.venue.event.time", "time", "page.venue.event.time.hint", NULL);
    html_raw(&p->h, "</div>");
    field(p, f, EF_CAPACITY, "page.venue.event.capacity", "number", NULL, "numeric");
    venue_checkbox(p, ef_ids[EF_GUEST], i18n_text(p->lang, "page.venue.event.guest"),
                   f->v[EF_GUEST] && strcmp(f->v[EF_GUEST], "on") == 0);
    html_raw(&p->h, "<div class=\"cap-box\">");
    field(p, f, EF_CAP, "page.venue.event.cap", "number", "page.venue.event.cap.hint", "numeric");
    minimum_text(p, f);
    if (f->id) {
        html_raw(&p->h, "<p id=\"cap-used\">");
        char n[I18N_NUMBER_LEN];
        i18n_number(p->lang, f->used, n);
        const char *args[] = {n};
        html_textf(&p->h, i18n_text(p->lang, "page.venue.event.used"), args, 1);
        html_raw(&p->h, "</p>");
    }
    html_raw(&p->h, "</div><fieldset><legend>");
    html_text(&p->h, i18n_text(p->lang, "page.venue.event.restrictions"));
    html_raw(&p->h, "</legend>");
    field(p, f, EF_BOOKING, "page.venue.event.booking", "number", "page.venue.event.booking.hint",
          "numeric");
    field(p, f, EF_COLLECTION, "page.venue.event.collection", "number",
          "page.venue.event.collection.hint", "numeric");
    venue_checkbox(p, ef_ids[EF_EXCLUDED], i18n_text(p->lang, "page.venue.event.excluded"),
                   f->v[EF_EXCLUDED] && strcmp(f->v[EF_EXCLUDED], "on") == 0);
    venue_textarea(p, ef_ids[EF_REASON], i18n_text(p->lang, "page.venue.event.reason"),
                   i18n_text(p->lang, "page.venue.event.reason.hint"), f->v[EF_REASON],
                   f->err[EF_REASON]);
    html_raw(&p->h, "</fieldset>");
}

/* The form page: new (f->id 0) or an event's, with its uses. */
static int form_page(struct request *r, const struct ev_form *f, const struct event *e, int status,
                     int outcome)
{
    struct venue_uses *u = NULL;
    if (f->id) {
        int rc = venue_uses_load(r, f->id, &u);
        if (rc < 0)
            return rc;
    }
    const char *title =
        i18n_text(r->lang, f->id ? "page.venue.event.edit.title" : "page.venue.event.new.title");
    char heading[300];
    const char *args[] = {e ? e->name : ""};
    text_fill(heading, sizeof heading, title, args, 1);
    struct page p;
    page_begin(&p, r, heading);
    venue_heading(&p, heading, NULL);
    if (outcome == EO_CREATED || outcome == EO_SAVED)
        page_notice(&p, "ok",
                    i18n_text(p.lang, outcome == EO_CREATED ? "page.venue.event.created"
                                                            : "page.venue.event.saved"),
                    NULL);
    else if (outcome == EO_UNDONE)
        page_notice(&p, "ok", i18n_text(p.lang, "page.venue.uses.undo.done"), NULL);
    else if (outcome == EO_UNDO_GONE)
        page_notice(&p, "error", i18n_text(p.lang, "page.venue.uses.undo.gone"), NULL);
    struct page_error errs[EF_COUNT];
    size_t n = 0;
    for (int i = 0; i < EF_COUNT; i++)
        if (f->err[i])
            errs[n++] = (struct page_error){ef_ids[i], f->err[i]};
    page_error_summary(&p, errs, n);
    char action[48];
    if (f->id)
        snprintf(action, sizeof action, "/venue/events/%lld", (long long)f->id);
    else
        snprintf(action, sizeof action, "/venue/events/new");
    html_raw(&p.h, "<form method=\"post\" id=\"event-form\" novalidate");
    html_href(&p.h, "action", action);
    html_raw(&p.h, ">");
    page_csrf_field(&p);
    if (!f->id)
        venue_key_field(&p);
    form_body(&p, f);
    html_raw(&p.h, "<div class=\"buttons\"><button type=\"submit\" class=\"primary\" id=\"save\">");
    html_text(&p.h, i18n_text(p.lang, f->id ? "page.venue.event.save" : "page.venue.event.create"));
    html_raw(&p.h, "</button> <button type=\"submit\" name=\"action\" value=\"minimum\" "
                   "id=\"recompute\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.event.recompute"));
    html_raw(&p.h, "</button> <a href=\"/venue/events\" class=\"button\" id=\"back\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.event.back"));
    html_raw(&p.h, "</a></div></form>");
    if (u)
        venue_uses_table(&p, u);
    const struct web_asset *js = web_asset("venue.js");
    if (js) { /* the lowest cap kept up to date as the fields change */
        char src[80];
        snprintf(src, sizeof src, "/static/venue.js?v=%s", js->version);
        html_raw(&p.h, "<script");
        html_href(&p.h, "src", src);
        html_raw(&p.h, " defer></script>");
    }
    return page_end(&p, status);
}

/* GET /venue/events/new */
int web_venue_event_new(struct request *r)
{
    struct ev_form f = {.minimum = -1};
    f.v[EF_KIND] = "performance";
    f.v[EF_TIME] = "18:00";
    return form_page(r, &f, NULL, 200, EO_QUIET);
}

/* GET /venue/events/{id} */
int web_venue_event(struct request *r)
{
    struct event e;
    int rc = venue_event(r, r->params[0], &e);
    if (rc != 0)
        return rc;
    struct ev_form f = {0};
    form_from_event(r, &e, &f);
    struct ev_state st;
    take_outcome(r, &st);
    return form_page(r, &f, &e, 200, st.id == e.id ? st.outcome : EO_QUIET);
}

static int add_event(struct request *r, void *ctx, int64_t *id)
{
    struct event *e = ctx;
    int rc = store_event_add(r->store, &r->actor, e, &r->details);
    *id = e->id;
    return rc;
}

/* POST /venue/events/new: the event, or the form again with its errors
 * (also when only the lowest cap was asked for). */
int web_venue_event_create(struct request *r)
{
    struct ev_form f = {0};
    struct event e = {0};
    str_copy(e.venue, sizeof e.venue, r->actor.scope);
    int errors = form_from_post(r, &f, &e);
    bool recompute = strcmp(venue_pair(r, "action"), "minimum") == 0;
    if (errors || recompute)
        return form_page(r, &f, NULL, errors ? 422 : 200, EO_QUIET);
    int64_t id = 0;
    bool replayed;
    r->details = (struct error_details){0};
    int rc = venue_once(r, venue_pair(r, "key"), add_event, &e, &id, &replayed);
    if (rc != 0) {
        if ((rc = store_refusal(r, rc, &e, &f)) != 0)
            return rc;
        return form_page(r, &f, NULL, 422, EO_QUIET);
    }
    venue_event_outcome(r, EO_CREATED, id);
    char path[48];
    snprintf(path, sizeof path, "/venue/events/%lld", (long long)id);
    return web_redirect(r, path);
}

/* POST /venue/events/{id}: every field of the form saved at once (a whole
 * patch, core event_patch_apply), or the form again with its errors. */
int web_venue_event_save(struct request *r)
{
    struct event old;
    int rc = venue_event(r, r->params[0], &old);
    if (rc != 0)
        return rc;
    struct ev_form f = {.id = old.id, .used = old.used};
    struct event e = old;
    int errors = form_from_post(r, &f, &e);
    bool recompute = strcmp(venue_pair(r, "action"), "minimum") == 0;
    if (errors || recompute)
        return form_page(r, &f, &old, errors ? 422 : 200, EO_QUIET);
    struct event_patch patch = {.set = EP_NAME | EP_KIND | EP_STARTS_AT | EP_CAPACITY | EP_CAP |
                                       EP_GUEST_PRODUCER | EP_BOOKING_OPENS | EP_COLLECTION_OPENS |
                                       EP_EXCLUDED | EP_EXCLUSION_REASON,
                                .v = e};
    r->details = (struct error_details){0};
    rc = store_event_update(r->store, &r->actor, old.id, &patch, NULL, &r->details);
    if (rc != 0) {
        if ((rc = store_refusal(r, rc, &e, &f)) != 0)
            return rc;
        return form_page(r, &f, &old, 422, EO_QUIET);
    }
    venue_event_outcome(r, EO_SAVED, old.id);
    char path[48];
    snprintf(path, sizeof path, "/venue/events/%lld", (long long)old.id);
    return web_redirect(r, path);
}

/* The form reader refused identity data (R10) in an event form: the form
 * again, the words next to the field, the refused value dropped. */
bool web_venue_event_refused(struct request *r, int err)
{
    if (err != ERR_IDENTITY_DATA_REFUSED || !venue_refused_session(r))
        return false;
    const char *field = r->details.field ? r->details.field : "";
    struct ev_form f = {0};
    struct event e = {0}, old;
    bool edit = r->params[0] && venue_event(r, r->params[0], &old) == 0;
    if (edit) {
        f.id = old.id;
        f.used = old.used;
    }
    form_from_post(r, &f, &e);
    memset(f.err, 0, sizeof f.err);
    for (int i = 0; i < EF_COUNT; i++)
        if (strcmp(field, ef_ids[i]) == 0) {
            f.v[i] = "";
            f.err[i] = i18n_text(r->lang, "page.venue.err.identity");
        }
    if (!f.err[EF_NAME] && !f.err[EF_REASON])
        f.err[EF_NAME] = i18n_text(r->lang, "page.venue.err.identity");
    return form_page(r, &f, edit ? &old : NULL, 422, EO_QUIET) == 0;
}

/* GET /venue/events/minimum?capacity=&kind=&guest_producer=: R15's lowest
 * cap for the site's script, as the words the form shows. */
int web_venue_event_minimum(struct request *r)
{
    const char *cap = req_query(r, "capacity"), *kind = req_query(r, "kind");
    const char *guest = req_query(r, "guest_producer");
    int64_t capacity;
    int k = kind ? name_lookup(&event_kind_names, kind) : -1;
    struct ev_form f = {.minimum = -1};
    if (cap && str_to_i64(cap, 1, CAPACITY_MAX, &capacity) == 0 && k >= 0)
        f.minimum =
            caps_minimum((int32_t)capacity, (enum event_kind)k, guest && strcmp(guest, "on") == 0);
    struct html h = {0};
    struct page p = {.r = r, .lang = r->lang};
    p.h = h;
    minimum_text(&p, &f);
    size_t len;
    char *buf = html_take(&p.h, &len);
    if (!buf)
        return -ERR_INTERNAL;
    int rc = web_security_headers(r);
    if (rc == 0)
        rc = reply_header(r, "Cache-Control", "no-store");
    if (rc != 0) {
        free(buf);
        return rc;
    }
    return reply_bytes(r, 200, "text/html; charset=utf-8", buf, len);
}
