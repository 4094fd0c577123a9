/* Reports (R28–R31): totals, small counts, bands, the cardholder tally and
 * the national figures; the keys of their headings in the catalogues. */
#include "core/report.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"

#define TABLE(var, ...)                                    \
    static const char *const var##_list[] = {__VA_ARGS__}; \
    const struct name_table var = {var##_list, (int)(sizeof var##_list / sizeof var##_list[0])}

TABLE(report_dim_names, "total", "birth_year_band", "mother_tongue", "gender", "postal_code",
      "life_situation", "unit", "month");
TABLE(national_figure_names, "in_stock", "handed_out", "valid_now", "cancelled", "renewals", "uses",
      "adult", "child", "companion", "used_at_least_once", "venues", "units", "events");

/* ---- R28 ---- */

void usage_totals_add(struct usage_totals *t, int32_t adult, int32_t child)
{
    t->adult += adult;
    t->child += child;
}

/* ---- R30 ---- */

bool report_is_small(int64_t count, bool suppress)
{
    return suppress && count >= 1 && count <= REPORT_SMALL_MAX;
}

/* The breakdowns whose values are listed only when they occur. */
static bool dim_is_open(enum report_dim d)
{
    return d == DIM_BIRTH_YEAR_BAND || d == DIM_MOTHER_TONGUE || d == DIM_POSTAL_CODE;
}

/* Life situation: a holder counts under one or more, so its counts do not
 * sum to the total; they only add up to at least it, and each is at most
 * it. A "≥5" beside its "<5" cells could be worked out where the total is 5,
 * so it has none; its "<5" cells could be worked out only when the total
 * reaches the shown counts plus 4 for each hidden one (every hidden count 4,
 * every holder in one situation): then the breakdown is left out whole. */
static void suppress_life(int64_t total, const int64_t *counts, size_t n, enum report_show *show)
{
    int64_t shown = 0, hidden = 0;
    bool any_small = false;
    for (size_t i = 0; i < n; i++)
        any_small |= report_is_small(counts[i], true);
    for (size_t i = 0; any_small && i < n; i++) {
        bool under = counts[i] <= REPORT_SMALL_MAX;
        show[i] = under ? SHOW_SMALL : SHOW_COUNT;
        if (under)
            hidden++;
        else
            shown += counts[i];
    }
    bool withhold =
        any_small && total > REPORT_SMALL_MAX && total >= shown + REPORT_SMALL_MAX * hidden;
    for (size_t i = 0; withhold && i < n; i++)
        show[i] = SHOW_NONE;
}

void report_suppress(enum report_dim dim, int64_t total, const int64_t *counts, size_t n,
                     bool suppress, enum report_show *show)
{
    bool any_small = false, large_done = false;
    /* n counts under five summing to 4 × n are all 4: see report.h */
    bool withhold = suppress && dim != DIM_TOTAL && !dim_is_open(dim) && total > REPORT_SMALL_MAX &&
                    total == REPORT_SMALL_MAX * (int64_t)n;
    for (size_t i = 0; i < n; i++) {
        any_small |= report_is_small(counts[i], suppress);
        show[i] = SHOW_COUNT;
    }
    if (suppress && dim == DIM_LIFE_SITUATION) {
        suppress_life(total, counts, n, show);
        return;
    }
    for (size_t i = 0; suppress && i < n; i++) {
        bool under = counts[i] <= REPORT_SMALL_MAX;
        if (withhold)
            show[i] = SHOW_NONE;
        else if (dim == DIM_TOTAL)
            show[i] = report_is_small(counts[i], true) ? SHOW_SMALL : SHOW_COUNT;
        else if (dim_is_open(dim))
            show[i] = under ? SHOW_NONE : SHOW_COUNT;
        else if (any_small && under)
            show[i] = SHOW_SMALL;
        else if (any_small && !large_done) {
            show[i] = SHOW_LARGE;
            large_done = true;
        }
    }
}

bool report_closed_period(int year, int32_t today, struct report_period *p)
{
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    int32_t month_start = date_from_ymd(y, m, 1), year_end = date_from_ymd(year, 12, 31);
    int32_t first = date_from_ymd(year, 1, 1);
    p->year = year;
    p->recorded_before = month_start;
    p->through = month_start - 1 < year_end ? month_start - 1 : year_end;
    if (p->through >= first)
        return true;
    p->through = first - 1;
    return false;
}

static int band_of(int birth_year)
{
    return birth_year - birth_year % 10; /* birth years are >= 1900 (R11) */
}

void report_birth_band(int birth_year, char out[REPORT_KEY_MAX])
{
    int start = band_of(birth_year);
    snprintf(out, REPORT_KEY_MAX, "%d\xe2\x80\x93%d", start, start + 9);
}

void report_month(int year, int month, char out[REPORT_KEY_MAX])
{
    snprintf(out, REPORT_KEY_MAX, "%04d-%02d", year, month);
}

static void emit(struct cardholder_tally *t, enum report_dim dim, const char *key, int64_t count)
{
    if (t->rc != 0)
        return;
    const struct report_count c = {dim, key, count};
    t->rc = t->emit(t->ctx, &c);
}

/* Emits what the tally holds of breakdown `dim`, which is complete. */
static void flush(struct cardholder_tally *t, enum report_dim dim)
{
    switch (dim) {
    case DIM_TOTAL:
        emit(t, dim, "", t->total);
        break;
    case DIM_BIRTH_YEAR_BAND:
        if (t->band_start >= 0) {
            report_birth_band(t->band_start, t->key);
            emit(t, dim, t->key, t->band_count);
        }
        break;
    case DIM_GENDER:
        for (int g = 0; g < GENDER_COUNT; g++)
            emit(t, dim, name_of(&gender_names, g), t->gender[g]);
        break;
    case DIM_LIFE_SITUATION:
        for (int l = 0; l < LIFE_COUNT; l++)
            emit(t, dim, name_of(&life_situation_names, l), t->life[l]);
        break;
    case DIM_MONTH:
        for (int m = 0; m < t->months; m++) {
            report_month(t->year, m + 1, t->key);
            emit(t, dim, t->key, t->month[m]);
        }
        break;
    case DIM_MOTHER_TONGUE: /* passed on as they come */
    case DIM_POSTAL_CODE:
    case DIM_UNIT:
    case DIM_COUNT:
        break;
    }
}

/* Completes every breakdown before `dim`. */
static void advance(struct cardholder_tally *t, enum report_dim dim)
{
    while (t->dim < dim) {
        flush(t, t->dim);
        t->dim = (enum report_dim)(t->dim + 1);
    }
}

void cardholders_begin(struct cardholder_tally *t, const struct report_period *p,
                       report_count_fn fn, void *ctx)
{
    memset(t, 0, sizeof *t);
    t->year = p->year;
    int y, m, d;
    date_to_ymd(p->through, &y, &m, &d);
    t->months = y < p->year ? 0 : y > p->year ? 12 : m;
    t->emit = fn;
    t->ctx = ctx;
    t->dim = DIM_TOTAL;
    t->band_start = -1;
}

int cardholders_add(struct cardholder_tally *t, enum report_dim dim, int64_t key, const char *text,
                    int64_t count)
{
    if (t->rc != 0)
        return t->rc;
    if (dim < t->dim || dim >= DIM_COUNT)
        return -ERR_INTERNAL; /* out of order: the caller's bug */
    advance(t, dim);
    int y, m, d, g;
    switch (dim) {
    case DIM_TOTAL:
        t->total += count;
        break;
    case DIM_BIRTH_YEAR_BAND:
        if (key < 1900 || key > 9999 || band_of((int)key) < t->band_start)
            return -ERR_INTERNAL;
        if (band_of((int)key) != t->band_start) {
            flush(t, dim);
            t->band_start = band_of((int)key);
            t->band_count = 0;
        }
        t->band_count += count;
        break;
    case DIM_GENDER:
        if ((g = name_lookup(&gender_names, text ? text : "")) < 0)
            return -ERR_INTERNAL;
        t->gender[g] += count;
        break;
    case DIM_LIFE_SITUATION:
        for (int l = 0; l < LIFE_COUNT; l++)
            if (key & (1 << l))
                t->life[l] += count;
        break;
    case DIM_MONTH:
        if (key < INT32_MIN || key > INT32_MAX)
            return -ERR_INTERNAL;
        date_to_ymd((int32_t)key, &y, &m, &d);
        if (y != t->year || m > t->months)
            return -ERR_INTERNAL;
        t->month[m - 1] += count;
        break;
    case DIM_MOTHER_TONGUE:
    case DIM_POSTAL_CODE:
    case DIM_UNIT:
        emit(t, dim, text ? text : "", count);
        break;
    case DIM_COUNT:
        break;
    }
    return t->rc;
}

int cardholders_end(struct cardholder_tally *t)
{
    if (t->rc == 0)
        advance(t, DIM_COUNT);
    return t->rc;
}

/* ---- R31 ---- */

void national_figures_add(struct national_figures *sum, const struct national_figures *f)
{
    for (int i = 0; i < FIG_COUNT; i++)
        sum->v[i] += f->v[i];
}

int32_t national_used_permille(const struct national_figures *f)
{
    int64_t handed = f->v[FIG_HANDED_OUT], used = f->v[FIG_USED_ONCE];
    if (handed <= 0)
        return -1;
    return (int32_t)((used * 1000 + handed / 2) / handed);
}

/* ---- R31 by domain (issue 16) ---- */

TABLE(stat_figure_names, "in_stock", "handed_out", "valid_now", "cancelled", "renewals", "uses",
      "uses_culture", "uses_education", "uses_science", "uses_sports", "uses_other", "adult",
      "child", "companion", "used_at_least_once", "used_share", "venues", "units", "events");

enum use_domain category_domain(enum venue_category c)
{
    static const enum use_domain of[CAT_COUNT] = {
        [CAT_THEATRE] = DOMAIN_CULTURE,
        [CAT_MUSIC] = DOMAIN_CULTURE,
        [CAT_DANCE] = DOMAIN_CULTURE,
        [CAT_CIRCUS] = DOMAIN_CULTURE,
        [CAT_CINEMA] = DOMAIN_CULTURE,
        [CAT_FESTIVAL] = DOMAIN_CULTURE,
        [CAT_ADULT_EDUCATION] = DOMAIN_EDUCATION,
        [CAT_LIBRARY] = DOMAIN_EDUCATION,
        [CAT_MUSEUM] = DOMAIN_SCIENCE,
        [CAT_SPORTS] = DOMAIN_SPORTS,
        [CAT_SWIMMING] = DOMAIN_SPORTS,
        [CAT_OTHER] = DOMAIN_OTHER,
    };
    return (unsigned)c < CAT_COUNT ? of[c] : DOMAIN_OTHER;
}

bool stat_value(const struct stat_figures *y, enum stat_figure s, bool previous, int64_t *value,
                bool *share)
{
    /* The national figure of each stat (-1: none; the domains and the share
     * are apart). */
    static const int figure_of[STAT_COUNT] = {
        [STAT_IN_STOCK] = FIG_IN_STOCK,   [STAT_HANDED_OUT] = FIG_HANDED_OUT,
        [STAT_VALID_NOW] = FIG_VALID_NOW, [STAT_CANCELLED] = FIG_CANCELLED,
        [STAT_RENEWALS] = FIG_RENEWALS,   [STAT_USES] = FIG_USES,
        [STAT_USES_CULTURE] = -1,         [STAT_USES_CULTURE + 1] = -1,
        [STAT_USES_CULTURE + 2] = -1,     [STAT_USES_CULTURE + 3] = -1,
        [STAT_USES_OTHER] = -1,           [STAT_ADULT] = FIG_ADULT,
        [STAT_CHILD] = FIG_CHILD,         [STAT_COMPANION] = FIG_COMPANION,
        [STAT_USED_ONCE] = FIG_USED_ONCE, [STAT_USED_SHARE] = -1,
        [STAT_VENUES] = FIG_VENUES,       [STAT_UNITS] = FIG_UNITS,
        [STAT_EVENTS] = FIG_EVENTS,
    };
    *share = false;
    if (previous &&
        (s == STAT_IN_STOCK || s == STAT_VALID_NOW || s == STAT_VENUES || s == STAT_UNITS))
        return false;
    if (s >= STAT_USES_CULTURE && s <= STAT_USES_OTHER)
        *value = y->domain_uses[s - STAT_USES_CULTURE];
    else if ((*share = s == STAT_USED_SHARE))
        *value = national_used_permille(&y->f);
    else
        *value = y->f.v[figure_of[s]];
    return true;
}

/* ---- headings ---- */

static const char *const label_keys[REPORT_LABEL_COUNT] = {
#define X(id, key) [LABEL_##id] = "report.heading." key,
    REPORT_LABELS(X)
#undef X
};

const struct i18n_keys report_label_keys = {label_keys, REPORT_LABEL_COUNT};

const char *report_label(enum report_label l, enum lang lang)
{
    if ((unsigned)l >= REPORT_LABEL_COUNT)
        return "";
    return i18n_text(lang, label_keys[l]);
}

enum report_label report_dim_heading(enum report_dim d)
{
    static const enum report_label of[DIM_COUNT] = {
        [DIM_TOTAL] = LABEL_TOTAL,
        [DIM_BIRTH_YEAR_BAND] = LABEL_BIRTH_YEAR_BAND,
        [DIM_MOTHER_TONGUE] = LABEL_MOTHER_TONGUE,
        [DIM_GENDER] = LABEL_GENDER,
        [DIM_POSTAL_CODE] = LABEL_POSTAL_CODE,
        [DIM_LIFE_SITUATION] = LABEL_LIFE_SITUATION,
        [DIM_UNIT] = LABEL_UNIT,
        [DIM_MONTH] = LABEL_MONTH,
    };
    return (unsigned)d < DIM_COUNT ? of[d] : REPORT_LABEL_COUNT;
}

enum report_label national_figure_heading(enum national_figure f)
{
    static const enum report_label of[FIG_COUNT] = {
        [FIG_IN_STOCK] = LABEL_IN_STOCK,
        [FIG_HANDED_OUT] = LABEL_HANDED_OUT,
        [FIG_VALID_NOW] = LABEL_VALID_NOW,
        [FIG_CANCELLED] = LABEL_CANCELLED,
        [FIG_RENEWALS] = LABEL_RENEWALS,
        [FIG_USES] = LABEL_USES,
        [FIG_ADULT] = LABEL_ADULT_TICKETS,
        [FIG_CHILD] = LABEL_CHILD_TICKETS,
        [FIG_COMPANION] = LABEL_COMPANION_TICKETS,
        [FIG_USED_ONCE] = LABEL_USED_ONCE,
        [FIG_VENUES] = LABEL_VENUES,
        [FIG_UNITS] = LABEL_UNITS,
        [FIG_EVENTS] = LABEL_EVENTS,
    };
    return (unsigned)f < FIG_COUNT ? of[f] : REPORT_LABEL_COUNT;
}
