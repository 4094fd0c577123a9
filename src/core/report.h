/* Reports (R28–R31) as pure functions: the totals of a venue's usage report,
 * the suppression of small counts and the tally that turns a store's groups
 * of handouts into the counts of the cardholder report, the figures of the
 * national statistics, and the words of report headings in Finnish, Swedish
 * and English (R36). No I/O, no clock, no allocation. */
#ifndef KAIKU_CORE_REPORT_H
#define KAIKU_CORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/model.h"

/* R30: a count from 1 to REPORT_SMALL_MAX is shown as REPORT_SMALL_TEXT. */
#define REPORT_SMALL_MAX  4
#define REPORT_SMALL_TEXT "<5"
/* Keys the core makes: "1980–1989" (the dash is 3 bytes), "2020-02". */
#define REPORT_KEY_MAX 32

/* ---- R28: the venue usage report ---- */

struct usage_totals {
    int64_t adult, child;
};

/* Adds one row (one use) to the totals row. */
void usage_totals_add(struct usage_totals *t, int32_t adult, int32_t child);

/* ---- R30: the cardholder background report ---- */

/* The breakdowns, in the order of the report. */
enum report_dim {
    DIM_TOTAL,
    DIM_BIRTH_YEAR_BAND,
    DIM_MOTHER_TONGUE,
    DIM_GENDER,
    DIM_POSTAL_CODE,
    DIM_LIFE_SITUATION,
    DIM_UNIT,
    DIM_MONTH,
    DIM_COUNT
};
/* "total", "birth_year_band", … : the keys of the report's JSON. */
extern const struct name_table report_dim_names;

/* One count of the report: key is "" for DIM_TOTAL, else e.g. "1980–1989",
 * "fi", "female", "02100", "unemployed", a unit id, "2020-02". */
struct report_count {
    enum report_dim dim;
    const char *key;
    int64_t count;
};

/* Returns 0 to go on; anything else stops and is passed back. */
typedef int (*report_count_fn)(void *ctx, const struct report_count *c);

/* R30: true when `count` is shown as "<5": suppression on and 1 <= count <= 4.
 * Zero is shown where nothing else is hidden: it singles nobody out. */
bool report_is_small(int64_t count, bool suppress);

/* R30: "≥5", a count hidden beside "<5" cells so that they cannot be worked
 * out from the total (complementary suppression, docs/privacy.md). */
#define REPORT_LARGE_TEXT \
    "\xe2\x89\xa5"        \
    "5"

/* How one count of the cardholder report is shown. */
enum report_show {
    SHOW_COUNT, /* the count itself */
    SHOW_SMALL, /* REPORT_SMALL_TEXT: fewer than five, zero included */
    SHOW_LARGE, /* REPORT_LARGE_TEXT: five or more */
    SHOW_NONE,  /* left out of the report (its row is not there) */
};

/* R30: how each of the n counts of breakdown `dim` is shown, decided from
 * the whole breakdown and the report's total, so that no hidden count can be
 * worked out by arithmetic from what is shown (docs/privacy.md):
 *   DIM_TOTAL (n = 1): "<5" for 1–4.
 *   Open breakdowns (birth-year band, mother tongue, postal code: listed
 *   when they occur): a value fewer than five share is left out, since
 *   naming it would tell that someone has it; the rest is total − shown,
 *   which names no value.
 *   Fixed breakdowns (gender, unit, month: every value listed, each holder
 *   under one): when one count is 1–4, every count under five is "<5",
 *   zeros too (a zero beside a "<5" would give it away), and the first count
 *   of five or more in the breakdown's order is "≥5" (by position, not by
 *   size, so that which one is hidden says nothing about the counts). When
 *   the total is shown and is exactly 4 × n, the breakdown is left out
 *   whole: n counts under five that sum to 4 × n are all 4, and whether they
 *   are under five must not show. These choices see only what is shown.
 *   Life situation (every value listed, a holder under one or more): when
 *   one count is 1–4, every count under five is "<5"; no "≥5" (with a total
 *   of 5 it would be worked out); left out whole when the total reaches the
 *   shown counts plus 4 for each "<5" (then every "<5" would be 4).
 * Without suppression (national's choice) everything is shown. */
void report_suppress(enum report_dim dim, int64_t total, const int64_t *counts, size_t n,
                     bool suppress, enum report_show *show);

/* R30 against differencing (docs/privacy.md): what the cardholder report of
 * a year covers when read on a day. It moves only when a month ends: it
 * counts the handouts recorded before today's month began (a handout
 * recorded today with an earlier date waits for the month's end too), whose
 * handout day lies in the year, up to `through`. */
struct report_period {
    int year;
    int32_t through;         /* the last handout day: the end of the month before
                                today's, at most the year's last day */
    int32_t recorded_before; /* only handouts recorded before this day began
                                (Helsinki): the first of today's month */
};

/* Fills *p for `year` read on `today`. Returns false when no month of the
 * year has ended (a year to come, or this year in January): p->through is
 * then the day before the year and the report covers nothing. */
bool report_closed_period(int year, int32_t today, struct report_period *p);

/* R30: the ten-year band of a birth year, "1980–1989" (an en dash). */
void report_birth_band(int birth_year, char out[REPORT_KEY_MAX]);
/* "YYYY-MM" */
void report_month(int year, int month, char out[REPORT_KEY_MAX]);

/* Turns groups of personal handouts, as a store reads them, into the
 * report's counts (cardholders_begin, cardholders_add…, cardholders_end).
 * Every breakdown whose values are known in advance is emitted whole, with
 * its zeros: gender (4), life situation (9), the months of the period's
 * year up to its `through` (0 to 12 of them), and the total. */
struct cardholder_tally {
    int year;
    int months; /* of the year covered, 0..12 */
    report_count_fn emit;
    void *ctx;
    int rc;              /* the first non-zero of emit */
    enum report_dim dim; /* the breakdown being read */
    int band_start;      /* of the band being summed; -1: none yet */
    int64_t band_count;
    int64_t total;
    int64_t gender[GENDER_COUNT];
    int64_t life[LIFE_COUNT];
    int64_t month[12];
    char key[REPORT_KEY_MAX];
};

void cardholders_begin(struct cardholder_tally *t, const struct report_period *p,
                       report_count_fn emit, void *ctx);
/* One group of `count` handouts, in the order of enum report_dim and, within
 * a breakdown, by ascending key:
 *   DIM_TOTAL            all of them (key, text ignored);
 *   DIM_BIRTH_YEAR_BAND  key: a birth year (summed into bands here);
 *   DIM_GENDER           text: the gender's name;
 *   DIM_LIFE_SITUATION   key: a set of life situations (bit 1 << enum life_situation);
 *   DIM_MONTH            key: a handout day of the year (summed into months);
 *   DIM_MOTHER_TONGUE, DIM_POSTAL_CODE, DIM_UNIT  text: the value, passed on.
 * Returns 0, emit's non-zero, or -ERR_INTERNAL for a group out of order, an
 * unknown gender or a day outside the months covered. */
int cardholders_add(struct cardholder_tally *t, enum report_dim dim, int64_t key, const char *text,
                    int64_t count);
/* Emits what is still held. Returns 0 or the first error. */
int cardholders_end(struct cardholder_tally *t);

/* ---- R31: national statistics ---- */

enum national_figure {
    FIG_IN_STOCK,   /* codes in stock: neither handed out nor cancelled (now) */
    FIG_HANDED_OUT, /* handouts in the year */
    FIG_VALID_NOW,  /* cards valid today */
    FIG_CANCELLED,  /* cards cancelled in the year */
    FIG_RENEWALS,   /* handouts in the year that name a previous card (R14) */
    FIG_USES,       /* uses not undone of events in the year */
    FIG_ADULT,      /* their adult, child and companion tickets */
    FIG_CHILD,
    FIG_COMPANION,
    FIG_USED_ONCE, /* cards handed out in the year with at least one use */
    FIG_VENUES,    /* now */
    FIG_UNITS,     /* now */
    FIG_EVENTS,    /* events in the year */
    FIG_COUNT
};
/* "in_stock", "handed_out", … : the keys of the report's JSON. */
extern const struct name_table national_figure_names;

struct national_figures {
    int64_t v[FIG_COUNT];
};

/* Adds f to sum, figure by figure (every figure is a count of things that
 * lie in exactly one region, or at a pop-up venue). */
void national_figures_add(struct national_figures *sum, const struct national_figures *f);
/* R31: the share of the year's handed-out cards used at least once, in
 * thousandths rounded half up; -1 when none were handed out. */
int32_t national_used_permille(const struct national_figures *f);

/* ---- R31: the statistics of a year beside the previous one (issue 16) ---- */

/* The domains of the published national table: a venue's category belongs
 * to one (docs/api.md, "Statistics"). `other` is a domain of its own. */
enum use_domain {
    DOMAIN_CULTURE,
    DOMAIN_EDUCATION,
    DOMAIN_SCIENCE,
    DOMAIN_SPORTS,
    DOMAIN_OTHER,
    DOMAIN_COUNT
};
enum use_domain category_domain(enum venue_category c);

/* The rows of the statistics report, in its order: the figures of enum
 * national_figure with the uses split by domain after the uses and the
 * share used after the count used. */
enum stat_figure {
    STAT_IN_STOCK,
    STAT_HANDED_OUT,
    STAT_VALID_NOW,
    STAT_CANCELLED,
    STAT_RENEWALS,
    STAT_USES,
    STAT_USES_CULTURE, /* + enum use_domain */
    STAT_USES_OTHER = STAT_USES_CULTURE + DOMAIN_OTHER,
    STAT_ADULT,
    STAT_CHILD,
    STAT_COMPANION,
    STAT_USED_ONCE,
    STAT_USED_SHARE,
    STAT_VENUES,
    STAT_UNITS,
    STAT_EVENTS,
    STAT_COUNT
};
/* "in_stock", …, "uses_culture", …, "used_share", …: the figure column's values. */
extern const struct name_table stat_figure_names;

/* A region's (or the pop-up venues', or all) figures of one year, with its
 * uses by domain. */
struct stat_figures {
    struct national_figures f;
    int64_t domain_uses[DOMAIN_COUNT];
};

/* R31: figure `s` of `y` as a cell value: *share is set for the share used
 * (thousandths; -1 when none were handed out). Returns false for a figure of
 * "now" (stock, valid now, venues, units) asked of the previous year: those
 * are kept as of today only. */
bool stat_value(const struct stat_figures *y, enum stat_figure s, bool previous, int64_t *value,
                bool *share);

/* ---- headings (R36): the texts are in po/LANG.po, under the key
 * "report.heading." and the second column (e.g. "report.heading.total") ---- */

#define REPORT_LABELS(X)                      \
    X(CARD, "card")                           \
    X(ADULT, "adult")                         \
    X(CHILD, "child")                         \
    X(EVENT, "event")                         \
    X(DATE, "date")                           \
    X(TOTAL, "total")                         \
    X(BREAKDOWN, "breakdown")                 \
    X(VALUE, "value")                         \
    X(COUNT, "count")                         \
    X(BIRTH_YEAR_BAND, "birth_year_band")     \
    X(MOTHER_TONGUE, "mother_tongue")         \
    X(GENDER, "gender")                       \
    X(POSTAL_CODE, "postal_code")             \
    X(LIFE_SITUATION, "life_situation")       \
    X(UNIT, "unit")                           \
    X(MONTH, "month")                         \
    X(REGION, "region")                       \
    X(NAME, "name")                           \
    X(POP_UP, "pop_up")                       \
    X(IN_STOCK, "in_stock")                   \
    X(HANDED_OUT, "handed_out")               \
    X(VALID_NOW, "valid_now")                 \
    X(CANCELLED, "cancelled")                 \
    X(RENEWALS, "renewals")                   \
    X(USES, "uses")                           \
    X(ADULT_TICKETS, "adult_tickets")         \
    X(CHILD_TICKETS, "child_tickets")         \
    X(COMPANION_TICKETS, "companion_tickets") \
    X(USED_ONCE, "used_once")                 \
    X(USED_SHARE, "used_share")               \
    X(VENUES, "venues")                       \
    X(UNITS, "units")                         \
    X(EVENTS, "events")                       \
    X(FIGURE, "figure")                       \
    X(PREVIOUS_YEAR, "previous_year")

enum report_label {
#define X(id, key) LABEL_##id,
    REPORT_LABELS(X)
#undef X
        REPORT_LABEL_COUNT
};

/* The heading in lang, from its catalogue (static); "" for no label. */
const char *report_label(enum report_label l, enum lang lang);
/* Every catalogue key report_label() may ask for. */
extern const struct i18n_keys report_label_keys;
/* The heading of a breakdown of the cardholder report, and of a figure. */
enum report_label report_dim_heading(enum report_dim d);
enum report_label national_figure_heading(enum national_figure f);

#endif
