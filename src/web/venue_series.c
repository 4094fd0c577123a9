/* Recurring admissions for walk-in venues (venue staff): one form creates
 * a day ticket — an event of kind `daily` with its own cap under R15's
 * `daily` line — for every opening day of a period (weekdays chosen,
 * exception dates left out), all in one transaction (store_series_add);
 * a series is then extended to a later last day, or closed: its days from
 * the chosen day on that have no uses are removed, the days with uses stay
 * (docs/decisions.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "core/series.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/state.h"
#include "web/venue.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_VENUE_SERIES_KEYS(X)           \
    X("page.venue.series.title")           \
    X("page.venue.series.lead")            \
    X("page.venue.series.new")             \
    X("page.venue.series.none")            \
    X("page.venue.series.col.name")        \
    X("page.venue.series.col.days")        \
    X("page.venue.series.col.period")      \
    X("page.venue.series.col.count")       \
    X("page.venue.series.col.state")       \
    X("page.venue.series.open")            \
    X("page.venue.series.closed")          \
    X("page.venue.series.new.title")       \
    X("page.venue.series.name")            \
    X("page.venue.series.name.hint")       \
    X("page.venue.series.first")           \
    X("page.venue.series.last")            \
    X("page.venue.series.date.hint")       \
    X("page.venue.series.weekdays")        \
    X("page.venue.series.day.mon")         \
    X("page.venue.series.day.tue")         \
    X("page.venue.series.day.wed")         \
    X("page.venue.series.day.thu")         \
    X("page.venue.series.day.fri")         \
    X("page.venue.series.day.sat")         \
    X("page.venue.series.day.sun")         \
    X("page.venue.series.time")            \
    X("page.venue.series.capacity")        \
    X("page.venue.series.cap")             \
    X("page.venue.series.cap.hint")        \
    X("page.venue.series.exceptions")      \
    X("page.venue.series.exceptions.hint") \
    X("page.venue.series.create")          \
    X("page.venue.series.created")         \
    X("page.venue.series.heading")         \
    X("page.venue.series.facts")           \
    X("page.venue.series.days")            \
    X("page.venue.series.extend")          \
    X("page.venue.series.extend.lead")     \
    X("page.venue.series.extend.submit")   \
    X("page.venue.series.extended")        \
    X("page.venue.series.close")           \
    X("page.venue.series.close.lead")      \
    X("page.venue.series.close.title")     \
    X("page.venue.series.close.from")      \
    X("page.venue.series.close.confirm")   \
    X("page.venue.series.close.cancel")    \
    X("page.venue.series.closed.done")     \
    X("page.venue.series.err.name")        \
    X("page.venue.series.err.date")        \
    X("page.venue.series.err.period")      \
    X("page.venue.series.err.weekdays")    \
    X("page.venue.series.err.exceptions")  \
    X("page.venue.series.err.no_days")     \
    X("page.venue.series.err.extend")

#define KEY(k) k,
static const char *const series_keys[] = {WEB_VENUE_SERIES_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_venue_series_keys = {series_keys, ARRAY_LEN(series_keys)};

#define INPUT_MAX      32
#define EXCEPTIONS_MAX 4000 /* bytes of the exception dates' field */
#define LIST_MAX       100

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_keys[7] = {"page.venue.series.day.mon", "page.venue.series.day.tue",
                                        "page.venue.series.day.wed", "page.venue.series.day.thu",
                                        "page.venue.series.day.fri", "page.venue.series.day.sat",
                                        "page.venue.series.day.sun"};

enum series_outcome { SO_QUIET, SO_CREATED, SO_EXTENDED, SO_CLOSED };

struct series_state {
    int outcome;
    int64_t id;
    int32_t count; /* days made or removed */
};

#define FAMILY "venue-series"

static void take_outcome(struct request *r, struct series_state *st)
{
    web_state_load(r, FAMILY, st, sizeof *st);
    if (st->outcome != SO_QUIET) {
        struct series_state quiet = {0};
        web_state_save(r, FAMILY, &quiet, sizeof quiet);
    }
}

static void put_outcome(struct request *r, int outcome, int64_t id, int32_t count)
{
    struct series_state st = {outcome, id, count};
    web_state_save(r, FAMILY, &st, sizeof st);
}

static const char *fmt_text(struct request *r, const char *key, const char *const *args, size_t n)
{
    char out[400];
    text_fill(out, sizeof out, i18n_text(r->lang, key), args, n);
    return arena_strdup(&r->arena, out);
}

static const char *fmt_int(struct request *r, const char *key, int64_t v)
{
    char n[I18N_NUMBER_LEN];
    i18n_number(r->lang, v, n);
    const char *args[] = {n};
    return fmt_text(r, key, args, 1);
}

/* A counted sentence: the catalogue's plural form for v. */
static const char *fmt_count(struct request *r, const char *key, int64_t v)
{
    char n[I18N_NUMBER_LEN], out[400];
    i18n_number(r->lang, v, n);
    const char *args[] = {n};
    text_fill(out, sizeof out, i18n_plural(r->lang, key, v), args, 1);
    return arena_strdup(&r->arena, out);
}

/* The weekdays of a series in words: "ti, to, su". */
static void weekdays_text(struct page *p, unsigned weekdays)
{
    bool first = true;
    for (int i = 0; i < 7; i++)
        if (weekdays & (1u << i)) {
            if (!first)
                html_raw(&p->h, ", ");
            html_text(&p->h, i18n_text(p->lang, day_keys[i]));
            first = false;
        }
}

/* A date typed as YYYY-MM-DD or D.M.YYYY. */
static bool parse_day(const char *s, int32_t *out)
{
    if (date_parse(s, out) == 0)
        return true;
    int d, m, y;
    char tail;
    if (sscanf(s, "%d.%d.%d%c", &d, &m, &y, &tail) != 3 || !date_ymd_valid(y, m, d))
        return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

/* The exception dates, separated by spaces, commas, semicolons or lines. */
static bool parse_exceptions(const char *s, int32_t *out, size_t *n)
{
    char buf[EXCEPTIONS_MAX + 1];
    str_copy(buf, sizeof buf, s);
    *n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ,;\t\r\n", &save); tok;
         tok = strtok_r(NULL, " ,;\t\r\n", &save)) {
        if (*n >= SERIES_EXCEPTIONS_MAX || strlen(tok) > INPUT_MAX || !parse_day(tok, &out[*n]))
            return false;
        (*n)++;
    }
    return true;
}

/* "HH:MM" or "HH.MM" into seconds of the day. */
static bool parse_clock(const char *s, int32_t *sec)
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

/* A series of the actor's venue; another venue's is not found. */
static int venue_series(struct request *r, struct series *out)
{
    int64_t id;
    if (str_to_i64(r->params[0], 1, INT64_MAX, &id) != 0)
        return -ERR_NOT_FOUND;
    int rc = store_series_get(r->store, &r->actor, id, out);
    if (rc == -ERR_FORBIDDEN || (rc == 0 && strcmp(out->venue, r->actor.scope) != 0))
        rc = -ERR_NOT_FOUND;
    return rc;
}

/* ---- the list ---- */

struct series_list {
    struct page *p;
    int n;
};

static int series_row(void *ctx, const struct series *s)
{
    struct series_list *l = ctx;
    struct page *p = l->p;
    if (l->n >= LIST_MAX)
        return 1;
    if (l->n++ == 0) {
        html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                        "aria-labelledby=\"series-heading\"><table id=\"series\"><thead><tr>");
        static const char *const cols[] = {
            "page.venue.series.col.name", "page.venue.series.col.days",
            "page.venue.series.col.period", "page.venue.series.col.count",
            "page.venue.series.col.state"};
        for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
            html_raw(&p->h, i == 3 ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
            html_text(&p->h, i18n_text(p->lang, cols[i]));
            html_raw(&p->h, "</th>");
        }
        html_raw(&p->h, "</tr></thead><tbody>");
    }
    char href[48];
    snprintf(href, sizeof href, "/venue/series/%lld", (long long)s->id);
    html_raw(&p->h, "<tr><th scope=\"row\"><a");
    html_href(&p->h, "href", href);
    html_raw(&p->h, ">");
    html_text(&p->h, s->name);
    html_raw(&p->h, "</a></th><td>");
    weekdays_text(p, s->weekdays);
    html_raw(&p->h, "</td><td>");
    html_date(&p->h, p->lang, s->first_day);
    html_raw(&p->h, "–");
    html_date(&p->h, p->lang, s->last_day);
    html_raw(&p->h, "</td><td class=\"num\">");
    html_int(&p->h, p->lang, s->days);
    html_raw(&p->h, "</td><td>");
    html_text(&p->h, i18n_text(p->lang, s->closed_at ? "page.venue.series.closed"
                                                     : "page.venue.series.open"));
    html_raw(&p->h, "</td></tr>");
    return 0;
}

/* GET /venue/series */
int web_venue_series_list(struct request *r)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.series.title"));
    venue_heading(&p, i18n_text(p.lang, "page.venue.series.title"), "/venue/series");
    html_raw(&p.h, "<p class=\"lead\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.lead"));
    html_raw(&p.h, "</p><p><a class=\"button\" id=\"new-series\" href=\"/venue/series/new\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.new"));
    html_raw(&p.h, "</a></p><h2 id=\"series-heading\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.title"));
    html_raw(&p.h, "</h2>");
    struct series_list l = {&p, 0};
    int rc = store_series_list(r->store, &r->actor, r->actor.scope, series_row, &l);
    if (rc < 0) {
        html_free(&p.h);
        return rc;
    }
    if (l.n)
        html_raw(&p.h, "</tbody></table></div>");
    else {
        html_raw(&p.h, "<p>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.none"));
        html_raw(&p.h, "</p>");
    }
    return page_end(&p, 200);
}

/* ---- the form of a new series ---- */

enum sf { SF_NAME, SF_FIRST, SF_LAST, SF_WEEKDAYS, SF_TIME, SF_CAPACITY, SF_CAP, SF_EXCEPT, SF_N };

static const char *const sf_ids[SF_N] = {"name", "first_day", "last_day", "weekday-mon",
                                         "time", "capacity",  "cap",      "exceptions"};
static const char *const sf_names[SF_N] = {"name", "first_day", "last_day", "weekday",
                                           "time", "capacity",  "cap",      "exceptions"};

struct series_form {
    const char *v[SF_N];
    unsigned weekdays;
    const char *err[SF_N];
    int32_t minimum; /* R15's daily line for the capacity; -1 unknown */
};

static void form_field(struct page *p, const struct series_form *f, enum sf i, const char *label,
                       const char *type, const char *hint)
{
    page_input(p,
               &(struct page_field){.id = sf_ids[i],
                                    .label = i18n_text(p->lang, label),
                                    .type = type,
                                    .value = f->v[i] ? f->v[i] : "",
                                    .hint = hint ? i18n_text(p->lang, hint) : NULL,
                                    .error = f->err[i],
                                    .inputmode = strcmp(type, "number") == 0 ? "numeric" : NULL});
}

static void weekday_boxes(struct page *p, const struct series_form *f)
{
    html_raw(&p->h, f->err[SF_WEEKDAYS] ? "<fieldset class=\"field-error\"" : "<fieldset");
    if (f->err[SF_WEEKDAYS])
        html_raw(&p->h, " aria-describedby=\"weekdays-error\"");
    html_raw(&p->h, "><legend>");
    html_text(&p->h, i18n_text(p->lang, "page.venue.series.weekdays"));
    html_raw(&p->h, "</legend>");
    if (f->err[SF_WEEKDAYS]) {
        html_raw(&p->h, "<p class=\"error-text\" id=\"weekdays-error\">");
        html_text(&p->h, f->err[SF_WEEKDAYS]);
        html_raw(&p->h, "</p>");
    }
    html_raw(&p->h, "<div class=\"choices\">");
    for (int i = 0; i < 7; i++) {
        char id[24];
        snprintf(id, sizeof id, "weekday-%s", day_names[i]);
        html_raw(&p->h, "<div class=\"choice\"><input type=\"checkbox\" name=\"weekday\"");
        html_attr(&p->h, "id", id);
        html_attr(&p->h, "value", day_names[i]);
        if (f->weekdays & (1u << i))
            html_raw(&p->h, " checked");
        html_raw(&p->h, "><label");
        html_attr(&p->h, "for", id);
        html_raw(&p->h, ">");
        html_text(&p->h, i18n_text(p->lang, day_keys[i]));
        html_raw(&p->h, "</label></div>");
    }
    html_raw(&p->h, "</div></fieldset>");
}

static int new_page(struct request *r, const struct series_form *f, int status)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.series.new.title"));
    venue_heading(&p, i18n_text(p.lang, "page.venue.series.new.title"), NULL);
    struct page_error errs[SF_N];
    size_t n = 0;
    for (int i = 0; i < SF_N; i++)
        if (f->err[i])
            errs[n++] = (struct page_error){sf_ids[i], f->err[i]};
    page_error_summary(&p, errs, n);
    html_raw(&p.h, "<form method=\"post\" action=\"/venue/series/new\" id=\"series-form\" "
                   "novalidate>");
    page_csrf_field(&p);
    venue_key_field(&p);
    form_field(&p, f, SF_NAME, "page.venue.series.name", "text", "page.venue.series.name.hint");
    html_raw(&p.h, "<div class=\"when-row\">");
    form_field(&p, f, SF_FIRST, "page.venue.series.first", "date", "page.venue.series.date.hint");
    form_field(&p, f, SF_LAST, "page.venue.series.last", "date", "page.venue.series.date.hint");
    html_raw(&p.h, "</div>");
    weekday_boxes(&p, f);
    form_field(&p, f, SF_TIME, "page.venue.series.time", "time", NULL);
    form_field(&p, f, SF_CAPACITY, "page.venue.series.capacity", "number", NULL);
    html_raw(&p.h, "<div class=\"cap-box\">");
    form_field(&p, f, SF_CAP, "page.venue.series.cap", "number", "page.venue.series.cap.hint");
    html_raw(&p.h, "<p class=\"minimum\" id=\"cap-minimum\" aria-live=\"polite\">");
    if (f->minimum >= 0) {
        char num[I18N_NUMBER_LEN];
        i18n_number(p.lang, f->minimum, num);
        const char *args[] = {num};
        html_textf(&p.h, i18n_text(p.lang, "page.venue.event.minimum"), args, 1);
    } else
        html_text(&p.h, i18n_text(p.lang, "page.venue.event.minimum.unknown"));
    html_raw(&p.h, "</p></div>");
    venue_textarea(&p, sf_ids[SF_EXCEPT], i18n_text(p.lang, "page.venue.series.exceptions"),
                   i18n_text(p.lang, "page.venue.series.exceptions.hint"), f->v[SF_EXCEPT],
                   f->err[SF_EXCEPT]);
    html_raw(&p.h, "<div class=\"buttons\"><button type=\"submit\" class=\"primary\" "
                   "id=\"series-create\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.create"));
    html_raw(&p.h, "</button> <button type=\"submit\" name=\"action\" value=\"minimum\" "
                   "id=\"recompute\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.event.recompute"));
    html_raw(&p.h, "</button></div></form>");
    return page_end(&p, status);
}

/* GET /venue/series/new */
int web_venue_series_new(struct request *r)
{
    struct series_form f = {.minimum = -1, .weekdays = SERIES_WEEKDAYS_ALL};
    f.v[SF_TIME] = "08:00";
    return new_page(r, &f, 200);
}

/* The posted form into f and sr, the days into days; the errors found. */
static int read_new(struct request *r, struct series_form *f, struct series *sr, int32_t *days,
                    int *ndays)
{
    for (int i = 0; i < SF_N; i++) {
        const char *s = venue_pair(r, sf_names[i]);
        size_t max = i == SF_NAME ? NAME_MAX_BYTES : i == SF_EXCEPT ? EXCEPTIONS_MAX : INPUT_MAX;
        f->v[i] = strlen(s) <= max ? s : "";
    }
    f->weekdays = 0;
    for (size_t i = 0; i < r->body.npairs; i++)
        if (strcmp(r->body.pairs[i].key, "weekday") == 0)
            for (int k = 0; k < 7; k++)
                if (strcmp(r->body.pairs[i].value, day_names[k]) == 0)
                    f->weekdays |= 1u << k;
    int n = 0;
    int64_t v;
    int32_t exceptions[SERIES_EXCEPTIONS_MAX];
    size_t nexc = 0;
    f->minimum = -1;
#define FAIL(field, key) (f->err[field] = i18n_text(r->lang, key), n++)
    str_copy(sr->venue, sizeof sr->venue, r->actor.scope);
    str_copy(sr->name, sizeof sr->name, f->v[SF_NAME]);
    if (!f->v[SF_NAME][0])
        FAIL(SF_NAME, "page.venue.series.err.name");
    if (!parse_day(f->v[SF_FIRST], &sr->first_day))
        FAIL(SF_FIRST, "page.venue.series.err.date");
    if (!parse_day(f->v[SF_LAST], &sr->last_day))
        FAIL(SF_LAST, "page.venue.series.err.date");
    sr->weekdays = f->weekdays;
    if (!f->weekdays)
        FAIL(SF_WEEKDAYS, "page.venue.series.err.weekdays");
    if (!parse_clock(f->v[SF_TIME], &sr->opens_at))
        FAIL(SF_TIME, "page.venue.err.time");
    if (str_to_i64(f->v[SF_CAPACITY], 1, CAPACITY_MAX, &v) != 0)
        FAIL(SF_CAPACITY, "page.venue.err.capacity");
    else {
        sr->capacity = (int32_t)v;
        f->minimum = caps_minimum(sr->capacity, EVENT_DAILY, false); /* R15's daily line */
    }
    sr->cap = -1;
    if (f->v[SF_CAP][0] && str_to_i64(f->v[SF_CAP], 0, CAPACITY_MAX, &v) != 0)
        FAIL(SF_CAP, "page.venue.err.cap");
    else if (f->v[SF_CAP][0]) {
        sr->cap = (int32_t)v;
        if (f->minimum >= 0 && sr->cap < f->minimum) {
            f->err[SF_CAP] = fmt_int(r, "page.venue.err.cap_low", f->minimum);
            n++;
        } else if (f->minimum >= 0 && sr->cap > sr->capacity)
            FAIL(SF_CAP, "page.venue.err.cap_above");
    }
    if (!parse_exceptions(f->v[SF_EXCEPT], exceptions, &nexc))
        FAIL(SF_EXCEPT, "page.venue.series.err.exceptions");
    if (n == 0) {
        struct error_details d = {0};
        int got =
            series_days(sr->first_day, sr->last_day, sr->weekdays, exceptions, nexc, days, &d);
        if (got < 0 && d.field && strcmp(d.field, "last_day") == 0)
            FAIL(SF_LAST, "page.venue.series.err.period");
        else if (got < 0)
            FAIL(SF_EXCEPT, "page.venue.series.err.no_days");
        else
            *ndays = got;
    }
#undef FAIL
    return n;
}

struct make_series {
    struct series *sr;
    const int32_t *days;
    int n;
};

static int make_series(struct request *r, void *ctx, int64_t *id)
{
    struct make_series *m = ctx;
    int rc = store_series_add(r->store, &r->actor, m->sr, m->days, (size_t)m->n, &r->details);
    *id = m->sr->id;
    return rc;
}

/* POST /venue/series/new: every day in one transaction, or the form again
 * with its errors (also when only the lowest cap was asked for). */
int web_venue_series_create(struct request *r)
{
    struct series_form *f = arena_alloc(&r->arena, sizeof *f);
    struct series *sr = arena_alloc(&r->arena, sizeof *sr);
    int32_t *days = arena_alloc(&r->arena, SERIES_DAYS_MAX * sizeof *days);
    if (!f || !sr || !days)
        return -ERR_INTERNAL;
    int ndays = 0;
    int errors = read_new(r, f, sr, days, &ndays);
    if (errors || strcmp(venue_pair(r, "action"), "minimum") == 0)
        return new_page(r, f, errors ? 422 : 200);
    struct make_series m = {sr, days, ndays};
    int64_t id = 0;
    bool replayed;
    r->details = (struct error_details){0};
    int rc = venue_once(r, venue_pair(r, "key"), make_series, &m, &id, &replayed);
    if (rc == -ERR_CAP_TOO_LOW || rc == -ERR_CAP_BELOW_USED || rc == -ERR_IDENTITY_DATA_REFUSED ||
        rc == -ERR_INVALID_REQUEST) {
        if (rc == -ERR_CAP_TOO_LOW)
            f->err[SF_CAP] = fmt_int(r, "page.venue.err.cap_low", r->details.value);
        else if (rc == -ERR_IDENTITY_DATA_REFUSED)
            f->err[SF_NAME] = i18n_text(r->lang, "page.venue.err.identity");
        else
            f->err[SF_CAPACITY] = i18n_text(r->lang, "page.venue.err.capacity");
        return new_page(r, f, 422);
    }
    if (rc != 0)
        return rc;
    put_outcome(r, SO_CREATED, id, ndays);
    char path[48];
    snprintf(path, sizeof path, "/venue/series/%lld", (long long)id);
    return web_redirect(r, path);
}

/* The R10 refusal of the form reader in a series form. */
bool web_venue_series_refused(struct request *r, int err)
{
    if (err != ERR_IDENTITY_DATA_REFUSED || !venue_refused_session(r))
        return false;
    struct series_form *f = arena_alloc(&r->arena, sizeof *f);
    struct series *sr = arena_alloc(&r->arena, sizeof *sr);
    int32_t *days = arena_alloc(&r->arena, SERIES_DAYS_MAX * sizeof *days);
    if (!f || !sr || !days)
        return false;
    int ndays;
    read_new(r, f, sr, days, &ndays);
    memset(f->err, 0, sizeof f->err);
    f->v[SF_NAME] = "";
    f->err[SF_NAME] = i18n_text(r->lang, "page.venue.err.identity");
    return new_page(r, f, 422) == 0;
}

/* ---- a series: its days, extend, close ---- */

struct day_list {
    struct page *p;
    int n;
};

static int day_row(void *ctx, const struct event *e)
{
    struct day_list *l = ctx;
    struct page *p = l->p;
    char href[48];
    snprintf(href, sizeof href, "/venue/events/%lld", (long long)e->id);
    html_raw(&p->h, "<tr><th scope=\"row\"><a");
    html_href(&p->h, "href", href);
    html_raw(&p->h, ">");
    html_date(&p->h, p->lang, hki_day(e->starts_at));
    html_raw(&p->h, " ");
    html_time(&p->h, p->lang, e->starts_at);
    html_raw(&p->h, "</a></th><td class=\"num\">");
    if (e->cap >= 0)
        html_int(&p->h, p->lang, e->cap);
    else
        html_text(&p->h, i18n_text(p->lang, "page.venue.events.no_cap"));
    html_raw(&p->h, "</td><td class=\"num\">");
    html_int(&p->h, p->lang, e->used);
    html_raw(&p->h, "</td></tr>");
    l->n++;
    return 0;
}

static int series_page(struct request *r, const struct series *s, const char *extend_value,
                       const char *extend_error, const char *exceptions, int status,
                       const struct series_state *st)
{
    struct page p;
    const char *args[] = {s->name};
    const char *title = fmt_text(r, "page.venue.series.heading", args, 1);
    page_begin(&p, r, title);
    venue_heading(&p, title, NULL);
    if (st && st->outcome == SO_CREATED)
        page_notice(&p, "ok", fmt_count(r, "page.venue.series.created", st->count), NULL);
    else if (st && st->outcome == SO_EXTENDED)
        page_notice(&p, "ok", fmt_count(r, "page.venue.series.extended", st->count), NULL);
    else if (st && st->outcome == SO_CLOSED)
        page_notice(&p, "ok", fmt_count(r, "page.venue.series.closed.done", st->count), NULL);
    if (extend_error)
        page_error_summary(&p, &(struct page_error){"extend_last", extend_error}, 1);
    html_raw(&p.h, "<p id=\"series-facts\">");
    char first[I18N_DATE_LEN], last[I18N_DATE_LEN], clock[8], cap[I18N_NUMBER_LEN],
        capacity[I18N_NUMBER_LEN];
    i18n_date(p.lang, s->first_day, first);
    i18n_date(p.lang, s->last_day, last);
    snprintf(clock, sizeof clock, p.lang == LANG_EN ? "%02d:%02d" : "%d.%02d", s->opens_at / 3600,
             s->opens_at / 60 % 60);
    i18n_number(p.lang, s->capacity, capacity);
    if (s->cap >= 0)
        i18n_number(p.lang, s->cap, cap);
    else
        str_copy(cap, sizeof cap, i18n_text(p.lang, "page.venue.events.no_cap"));
    const char *fargs[] = {first, last, clock, capacity, cap};
    html_textf(&p.h, i18n_text(p.lang, "page.venue.series.facts"), fargs, 5);
    html_raw(&p.h, " (");
    weekdays_text(&p, s->weekdays);
    html_raw(&p.h, ") · ");
    html_text(&p.h, i18n_text(p.lang, s->closed_at ? "page.venue.series.closed"
                                                   : "page.venue.series.open"));
    html_raw(&p.h, "</p>");
    if (!s->closed_at) {
        char action[64];
        html_raw(&p.h, "<h2>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.extend"));
        html_raw(&p.h, "</h2><p>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.extend.lead"));
        html_raw(&p.h, "</p><form method=\"post\" id=\"extend-form\" novalidate");
        snprintf(action, sizeof action, "/venue/series/%lld/extend", (long long)s->id);
        html_href(&p.h, "action", action);
        html_raw(&p.h, ">");
        page_csrf_field(&p);
        page_input(&p,
                   &(struct page_field){.id = "extend_last",
                                        .label = i18n_text(p.lang, "page.venue.series.last"),
                                        .type = "date",
                                        .hint = i18n_text(p.lang, "page.venue.series.date.hint"),
                                        .value = extend_value ? extend_value : "",
                                        .error = extend_error});
        venue_textarea(&p, "extend_exceptions", i18n_text(p.lang, "page.venue.series.exceptions"),
                       i18n_text(p.lang, "page.venue.series.exceptions.hint"),
                       exceptions ? exceptions : "", NULL);
        html_raw(&p.h, "<button type=\"submit\" class=\"primary\" id=\"extend\">");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.extend.submit"));
        html_raw(&p.h, "</button></form><h2>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.close"));
        html_raw(&p.h, "</h2><p>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.close.lead"));
        html_raw(&p.h, "</p><p><a class=\"button\" id=\"close-series\"");
        snprintf(action, sizeof action, "/venue/series/%lld/close", (long long)s->id);
        html_href(&p.h, "href", action);
        html_raw(&p.h, ">");
        html_text(&p.h, i18n_text(p.lang, "page.venue.series.close"));
        html_raw(&p.h, "</a></p>");
    }
    html_raw(&p.h, "<h2 id=\"days-heading\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.days"));
    html_raw(&p.h, "</h2><div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                   "aria-labelledby=\"days-heading\"><table id=\"series-days\"><thead><tr>"
                   "<th scope=\"col\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.events.col.when"));
    html_raw(&p.h, "</th><th scope=\"col\" class=\"num\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.cap"));
    html_raw(&p.h, "</th><th scope=\"col\" class=\"num\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.events.col.used"));
    html_raw(&p.h, "</th></tr></thead><tbody>");
    struct day_list l = {&p, 0};
    int rc = store_series_days(r->store, &r->actor, s->id, day_row, &l);
    if (rc < 0) {
        html_free(&p.h);
        return rc;
    }
    html_raw(&p.h, "</tbody></table></div>");
    return page_end(&p, status);
}

/* GET /venue/series/{id} */
int web_venue_series(struct request *r)
{
    struct series s;
    int rc = venue_series(r, &s);
    if (rc != 0)
        return rc;
    struct series_state st;
    take_outcome(r, &st);
    return series_page(r, &s, NULL, NULL, NULL, 200, st.id == s.id ? &st : NULL);
}

/* POST /venue/series/{id}/extend: the days after the last one up to the
 * new last day, on the series' weekdays, all or nothing. */
int web_venue_series_extend(struct request *r)
{
    struct series s;
    int rc = venue_series(r, &s);
    if (rc != 0)
        return rc;
    const char *last_s = venue_pair(r, "extend_last"), *exc_s = venue_pair(r, "extend_exceptions");
    int32_t last, exceptions[SERIES_EXCEPTIONS_MAX];
    size_t nexc = 0;
    int32_t *days = arena_alloc(&r->arena, SERIES_DAYS_MAX * sizeof *days);
    if (!days)
        return -ERR_INTERNAL;
    const char *err = NULL;
    int n = 0;
    if (strlen(last_s) > INPUT_MAX || !parse_day(last_s, &last))
        err = i18n_text(r->lang, "page.venue.series.err.date");
    else if (strlen(exc_s) > EXCEPTIONS_MAX || !parse_exceptions(exc_s, exceptions, &nexc))
        err = i18n_text(r->lang, "page.venue.series.err.exceptions");
    else if (last <= s.last_day)
        err = i18n_text(r->lang, "page.venue.series.err.extend");
    else if ((n = series_days(s.last_day + 1, last, s.weekdays, exceptions, nexc, days, NULL)) < 0)
        err = i18n_text(r->lang, n == -ERR_INVALID_REQUEST && last - s.last_day > SERIES_DAYS_MAX
                                     ? "page.venue.series.err.period"
                                     : "page.venue.series.err.no_days");
    if (!err) {
        r->details = (struct error_details){0};
        rc = store_series_extend(r->store, &r->actor, s.id, last, days, (size_t)n, &r->details);
        if (rc == -ERR_INVALID_REQUEST)
            err = i18n_text(r->lang, "page.venue.series.err.extend");
        else if (rc != 0)
            return rc;
    }
    if (err)
        return series_page(r, &s, strlen(last_s) <= INPUT_MAX ? last_s : "", err,
                           strlen(exc_s) <= EXCEPTIONS_MAX ? exc_s : "", 422, NULL);
    put_outcome(r, SO_EXTENDED, s.id, n);
    char path[48];
    snprintf(path, sizeof path, "/venue/series/%lld", (long long)s.id);
    return web_redirect(r, path);
}

/* GET /venue/series/{id}/close: what closing does, and the confirmation. */
int web_venue_series_close_form(struct request *r)
{
    struct series s;
    int rc = venue_series(r, &s);
    if (rc != 0)
        return rc;
    char path[64], today[DATE_STR_LEN];
    snprintf(path, sizeof path, "/venue/series/%lld", (long long)s.id);
    if (s.closed_at)
        return web_redirect(r, path);
    date_format(hki_day(r->actor.now), today);
    struct page p;
    const char *args[] = {s.name};
    const char *title = fmt_text(r, "page.venue.series.close.title", args, 1);
    page_begin(&p, r, title);
    page_heading(&p, title, i18n_text(p.lang, "page.venue.series.close.lead"));
    html_raw(&p.h, "<form method=\"post\" id=\"close-form\"");
    char action[64];
    snprintf(action, sizeof action, "/venue/series/%lld/close", (long long)s.id);
    html_href(&p.h, "action", action);
    html_raw(&p.h, ">");
    page_csrf_field(&p);
    page_input(&p, &(struct page_field){.id = "from",
                                        .label = i18n_text(p.lang, "page.venue.series.close.from"),
                                        .type = "date",
                                        .hint = i18n_text(p.lang, "page.venue.series.date.hint"),
                                        .value = today});
    html_raw(&p.h, "<button type=\"submit\" class=\"danger\" id=\"close-confirm\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.close.confirm"));
    html_raw(&p.h, "</button> <a class=\"button\" id=\"close-cancel\"");
    html_href(&p.h, "href", path);
    html_raw(&p.h, ">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.series.close.cancel"));
    html_raw(&p.h, "</a></form>");
    return page_end(&p, 200);
}

/* POST /venue/series/{id}/close: from the day given (today when empty or
 * before today: days already past stay as they are). */
int web_venue_series_close(struct request *r)
{
    struct series s;
    int rc = venue_series(r, &s);
    if (rc != 0)
        return rc;
    int32_t today = hki_day(r->actor.now), from = today;
    const char *from_s = venue_pair(r, "from");
    if (from_s[0] && (strlen(from_s) > INPUT_MAX || !parse_day(from_s, &from)))
        from = today;
    if (from < today)
        from = today;
    int32_t removed = 0;
    rc = store_series_close(r->store, &r->actor, s.id, from, &removed);
    if (rc != 0 && rc != -ERR_INVALID_REQUEST)
        return rc;
    put_outcome(r, SO_CLOSED, s.id, removed);
    char path[48];
    snprintf(path, sizeof path, "/venue/series/%lld", (long long)s.id);
    return web_redirect(r, path);
}
