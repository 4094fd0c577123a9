/* Recurring admissions (core/series.h) through the API: a series of day
 * tickets made for a venue, listed, extended and closed — the same rules
 * and the same one transaction as the venue's pages (store/series.c). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/series.h"
#include "http/json.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

static json_t *series_json(const struct series *s, int32_t removed)
{
    json_t *days = json_array();
    for (int i = 0; i < 7; i++)
        if (s->weekdays & (1u << i))
            json_array_append_new(days, json_string(name_of(&weekday_names, i)));
    char opens[8];
    snprintf(opens, sizeof opens, "%02d:%02d", s->opens_at / 3600 % 24, s->opens_at / 60 % 60);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:i, s:o, s:o, s:i}", "id", (json_int_t)s->id, "venue",
        s->venue, "name", s->name, "weekdays", days, "opens_at", opens, "first_day",
        jw_date(s->first_day), "last_day", jw_date(s->last_day), "capacity", (int)s->capacity,
        "cap", jw_opt_int(s->cap, s->cap >= 0), "closed_at",
        s->closed_at ? jw_datetime(s->closed_at) : json_null(), "days", (int)s->days);
    if (o && removed >= 0)
        json_object_set_new(o, "removed", json_integer(removed));
    return o;
}

/* "HH:MM" into seconds of the day. */
static bool clock_parse(const char *s, int32_t *sec)
{
    if (strlen(s) != 5 || s[2] != ':')
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

/* The optional "exceptions": a list of dates. */
static int read_exceptions(struct request *r, int32_t *out, size_t *n)
{
    const char **items = NULL;
    size_t count = 0;
    int rc = field_texts(r, "exceptions", FIELD_EMPTY_OK, SERIES_EXCEPTIONS_MAX, &items, &count);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < count; i++)
        if (date_parse(items[i], &out[i]) != 0)
            return req_fail(r, ERR_INVALID_REQUEST, "exceptions");
    *n = count;
    return 0;
}

static int series_id(struct request *r, struct series *s)
{
    int64_t id;
    int rc = api_param_id(r, 0, &id);
    if (rc == 0)
        rc = store_series_get(r->store, &r->actor, id, s);
    return rc;
}

/* POST /api/v1/venues/{id}/series */
int api_series_create(struct request *r)
{
    struct series *s = arena_alloc(&r->arena, sizeof *s);
    int32_t *days = arena_alloc(&r->arena, SERIES_DAYS_MAX * sizeof *days);
    int32_t exceptions[SERIES_EXCEPTIONS_MAX];
    if (!s || !days)
        return -ERR_INTERNAL;
    const char *venue = r->params[0], *name = NULL, *opens = NULL, **weekdays = NULL;
    size_t nweek = 0, nexc = 0;
    int64_t capacity = 0, cap = -1;
    int rc;
    if (!venue || !str_is_slug(venue, ID_MAX))
        return -ERR_NOT_FOUND;
    if ((rc = field_text(r, "name", FIELD_REQUIRED, NAME_MAX_BYTES, &name)) < 0 ||
        (rc = field_date(r, "first_day", FIELD_REQUIRED, &s->first_day)) < 0 ||
        (rc = field_date(r, "last_day", FIELD_REQUIRED, &s->last_day)) < 0 ||
        (rc = field_texts(r, "weekdays", 0, 7, &weekdays, &nweek)) < 0 ||
        (rc = field_text(r, "opens_at", FIELD_REQUIRED, 5, &opens)) < 0 ||
        (rc = field_int(r, "capacity", FIELD_REQUIRED, 1, CAPACITY_MAX, &capacity)) < 0 ||
        (rc = field_int(r, "cap", FIELD_NULLABLE, 0, CAPACITY_MAX, &cap)) < 0 ||
        (rc = read_exceptions(r, exceptions, &nexc)) < 0)
        return rc;
    for (size_t i = 0; i < nweek; i++) {
        int d = name_lookup(&weekday_names, weekdays[i]);
        if (d < 0)
            return req_fail(r, ERR_INVALID_REQUEST, "weekdays");
        s->weekdays |= 1u << d;
    }
    if (!clock_parse(opens, &s->opens_at))
        return req_fail(r, ERR_INVALID_REQUEST, "opens_at");
    str_copy(s->venue, sizeof s->venue, venue);
    str_copy(s->name, sizeof s->name, name);
    s->capacity = (int32_t)capacity;
    s->cap = field_state(r, "cap") == FIELD_SET ? (int32_t)cap : -1;
    int n =
        series_days(s->first_day, s->last_day, s->weekdays, exceptions, nexc, days, &r->details);
    if (n < 0)
        return n;
    if ((rc = store_series_add(r->store, &r->actor, s, days, (size_t)n, &r->details)) != 0)
        return rc;
    s->days = n;
    return reply_json(r, 201, series_json(s, -1));
}

static int add_series(void *ctx, const struct series *s)
{
    return json_array_append_new(ctx, series_json(s, -1)) == 0 ? 0 : -ERR_INTERNAL;
}

/* GET /api/v1/venues/{id}/series */
int api_series_list(struct request *r)
{
    const char *venue = r->params[0];
    if (!venue || !str_is_slug(venue, ID_MAX))
        return -ERR_NOT_FOUND;
    json_t *list = json_array();
    int rc = store_series_list(r->store, &r->actor, venue, add_series, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "series", list));
}

/* POST /api/v1/series/{id}/extend {"last_day", "exceptions"?} */
int api_series_extend(struct request *r)
{
    struct series s;
    int32_t last = 0, exceptions[SERIES_EXCEPTIONS_MAX];
    int32_t *days = arena_alloc(&r->arena, SERIES_DAYS_MAX * sizeof *days);
    size_t nexc = 0;
    int rc;
    if (!days)
        return -ERR_INTERNAL;
    if ((rc = field_date(r, "last_day", FIELD_REQUIRED, &last)) < 0 ||
        (rc = read_exceptions(r, exceptions, &nexc)) < 0 || (rc = series_id(r, &s)) != 0)
        return rc;
    if (last <= s.last_day || s.closed_at)
        return req_fail(r, ERR_INVALID_REQUEST, "last_day");
    int n = series_days(s.last_day + 1, last, s.weekdays, exceptions, nexc, days, &r->details);
    if (n < 0)
        return n;
    if ((rc = store_series_extend(r->store, &r->actor, s.id, last, days, (size_t)n, &r->details)) !=
            0 ||
        (rc = store_series_get(r->store, &r->actor, s.id, &s)) != 0)
        return rc;
    return reply_json(r, 200, series_json(&s, -1));
}

/* POST /api/v1/series/{id}/close {"from"?}: from today when absent or past. */
int api_series_close(struct request *r)
{
    struct series s;
    int32_t today = hki_day(r->actor.now), from = today, removed = 0;
    int rc;
    if ((rc = field_date(r, "from", FIELD_NULLABLE, &from)) < 0 || (rc = series_id(r, &s)) != 0)
        return rc;
    if (from < today)
        from = today;
    if (s.closed_at)
        return req_fail(r, ERR_INVALID_REQUEST, "series");
    if ((rc = store_series_close(r->store, &r->actor, s.id, from, &removed)) != 0 ||
        (rc = store_series_get(r->store, &r->actor, s.id, &s)) != 0)
        return rc;
    return reply_json(r, 200, series_json(&s, removed));
}
