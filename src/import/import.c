/* Imports: a sheet's headings matched to a layout's columns, its rows
 * turned into the requests of single handouts or uses, their keys, and the
 * rows recorded all together by store_import (docs/imports.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "import/import.h"
#include "import/sheet.h"
#include "util/date.h"
#include "util/secret.h"
#include "util/strutil.h"

/* clang-format off */
#define IMPORT_KEYS(X)                     \
    X("import.problem.row_column")         \
    X("import.problem.row")                \
    X("import.file_invalid")               \
    X("import.too_large")                  \
    X("import.empty")                      \
    X("import.column_unknown")             \
    X("import.column_missing")             \
    X("import.column_twice")               \
    X("import.date_invalid")               \
    X("import.number_invalid")             \
    X("import.event_unknown")              \
    X("import.event_ambiguous")            \
    X("import.heading.renews")
/* clang-format on */

static const char *const keys[] = {
#define X(k) k,
    IMPORT_KEYS(X)
#undef X
};
const struct i18n_keys import_keys = {keys, sizeof keys / sizeof keys[0]};

#define ROWS_MAX (SHEET_ROWS_MAX - 1)
#define CELL_NUM 32

/* ---- the layouts' columns: the API's name, then catalogue keys whose
 * text in any language is accepted as the heading (the first is the one
 * shown) ---- */

enum col {
    C_CARD,
    C_DATE,
    C_BIRTH,
    C_LANG,
    C_GENDER,
    C_POSTAL,
    C_LIFE,
    C_RENEWS, /* handouts */
    C_ADULT,
    C_CHILD,
    C_EVENT,
    C_EVENT_DATE, /* uses */
    C_COUNT
};

struct column {
    const char *name;
    const char *labels[3];
    bool required;
};

static const struct column columns[C_COUNT] = {
    [C_CARD] = {"card", {"page.desk.card", "report.heading.card"}, true},
    [C_DATE] = {"handed_out_on", {"page.desk.date"}, true},
    [C_BIRTH] = {"birth_year", {"page.desk.birth", "report.heading.birth_year_band"}, false},
    [C_LANG] = {"mother_tongue", {"report.heading.mother_tongue", "page.desk.lang"}, false},
    [C_GENDER] = {"gender", {"page.desk.gender", "report.heading.gender"}, false},
    [C_POSTAL] = {"postal_code", {"page.desk.postal", "report.heading.postal_code"}, false},
    [C_LIFE] = {"life_situations", {"report.heading.life_situation", "page.desk.life"}, false},
    [C_RENEWS] = {"renews", {"import.heading.renews", "page.desk.renews"}, false},
    [C_ADULT] = {"adult", {"report.heading.adult"}, true},
    [C_CHILD] = {"child", {"report.heading.child"}, true},
    [C_EVENT] = {"event", {"report.heading.event"}, true},
    [C_EVENT_DATE] = {"date", {"report.heading.date"}, true},
};

/* Which columns a layout has; a use's card column is C_CARD as well. */
static const enum col handout_cols[] = {C_CARD,   C_DATE,   C_BIRTH, C_LANG,
                                        C_GENDER, C_POSTAL, C_LIFE,  C_RENEWS};
static const enum col use_cols[] = {C_CARD, C_ADULT, C_CHILD, C_EVENT, C_EVENT_DATE};

/* The value names a cell may hold besides the API's own: the labels of the
 * handout form in every language. */
static const char *const gender_labels[GENDER_COUNT] = {
    "page.desk.gender.female", "page.desk.gender.male", "page.desk.gender.other",
    "page.desk.gender.not_told"};
static const char *const life_labels[LIFE_COUNT] = {"page.desk.life.unemployed",
                                                    "page.desk.life.retired",
                                                    "page.desk.life.student",
                                                    "page.desk.life.single_parent",
                                                    "page.desk.life.long_term_illness",
                                                    "page.desk.life.disability",
                                                    "page.desk.life.low_income_working",
                                                    "page.desk.life.debt",
                                                    "page.desk.life.other"};

const char *import_layout_name(enum import_layout l)
{
    return l == IMPORT_USES ? "uses" : "handouts";
}

int import_layout_lookup(const char *name)
{
    if (strcmp(name, "handouts") == 0)
        return IMPORT_HANDOUTS;
    if (strcmp(name, "uses") == 0)
        return IMPORT_USES;
    return -1;
}

/* s equals the text of key in any language, or the name, ignoring ASCII
 * case and blanks around it (s is already trimmed). */
static bool names(const char *s, const char *name, const char *key)
{
    if (name && strcasecmp(s, name) == 0)
        return true;
    for (int l = 0; key && l < LANG_COUNT; l++)
        if (strcasecmp(s, i18n_text((enum lang)l, key)) == 0)
            return true;
    return false;
}

/* ---- the import under way ---- */

struct import {
    const struct import_request *req;
    struct import_result *out;
    enum col map[SHEET_COLS_MAX]; /* the file's column → ours; C_COUNT: none */
    char headings[C_COUNT][IMPORT_HEADING_MAX + 1];
    bool have[C_COUNT];
    bool header_done;
    struct import_handout *handouts;
    struct import_use *uses;
    size_t n, cap;
    size_t read_problems, read_total; /* the problems of reading, before the store's */
};

static struct import_problem *problem(struct import *im, int32_t row, enum col c, int err,
                                      const char *reason)
{
    struct import_result *out = im->out;
    out->problems_total++;
    if (out->nproblems >= IMPORT_PROBLEMS_MAX)
        return NULL;
    struct import_problem *p = &out->problems[out->nproblems++];
    *p = (struct import_problem){.row = row, .err = err, .reason = reason};
    if (c < C_COUNT && im->have[c])
        str_copy(p->heading, sizeof p->heading, im->headings[c]);
    else if (c < C_COUNT)
        p->heading_key = columns[c].labels[0];
    return p;
}

/* A copy of s without blanks around it, bounded. */
static void trimmed(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static int headings(struct import *im, int32_t row, const struct sheet_cell *cells, size_t n)
{
    const enum col *cols = im->req->layout == IMPORT_USES ? use_cols : handout_cols;
    size_t ncols = im->req->layout == IMPORT_USES ? sizeof use_cols / sizeof use_cols[0]
                                                  : sizeof handout_cols / sizeof handout_cols[0];
    for (size_t i = 0; i < n; i++) {
        char h[IMPORT_HEADING_MAX + 1];
        trimmed(cells[i].text, h, sizeof h);
        im->map[i] = C_COUNT;
        if (!h[0])
            continue;
        enum col found = C_COUNT;
        for (size_t k = 0; k < ncols && found == C_COUNT; k++)
            for (size_t l = 0; l < 3 && found == C_COUNT; l++)
                if (names(h, l == 0 ? columns[cols[k]].name : NULL, columns[cols[k]].labels[l]))
                    found = cols[k];
        struct import_problem *p = NULL;
        if (found == C_COUNT && identity_field_name(h)) /* R10: "name", "hetu", … */
            p = problem(im, row, C_COUNT, ERR_IDENTITY_DATA_REFUSED, NULL);
        else if (found == C_COUNT)
            p = problem(im, row, C_COUNT, ERR_INVALID_REQUEST, "import.column_unknown");
        else if (im->have[found])
            p = problem(im, row, C_COUNT, ERR_INVALID_REQUEST, "import.column_twice");
        if (p)
            str_copy(p->heading, sizeof p->heading, h);
        if (found == C_COUNT || im->have[found])
            continue;
        im->map[i] = found;
        im->have[found] = true;
        str_copy(im->headings[found], sizeof im->headings[found], h);
    }
    for (size_t k = 0; k < ncols; k++)
        if (columns[cols[k]].required && !im->have[cols[k]])
            problem(im, row, cols[k], ERR_INVALID_REQUEST, "import.column_missing");
    im->header_done = true;
    return 0;
}

/* ---- cells ---- */

static int parse_date(const struct sheet_cell *c, const char *v, int32_t *day)
{
    int y, m, d;
    char tail;
    if (c->number)
        return sheet_serial_day(v, day);
    if (date_parse(v, day) == 0)
        return 0;
    /* Finnish and Swedish writing: 3.2.2020 */
    if (sscanf(v, "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3 && y >= 1900 &&
        date_ymd_valid(y, m, d)) {
        *day = date_from_ymd(y, m, d);
        return 0;
    }
    return -1;
}

/* A whole number; Excel writes 1 as "1" (and may as "1.0"). */
static int parse_int(const char *v, int64_t min, int64_t max, int64_t *out)
{
    char buf[CELL_NUM];
    size_t n = strlen(v);
    if (n >= 2 && n < sizeof buf && strcmp(v + n - 2, ".0") == 0) {
        memcpy(buf, v, n - 2);
        buf[n - 2] = '\0';
        v = buf;
    }
    return str_to_i64(v, min, max, out);
}

static void card_cell(const char *v, char out[CODE_MAX + 1], bool *ok)
{
    char buf[CELL_NUM];
    size_t n = strlen(v);
    /* A numeric code such as 50141 comes from Excel as a number. */
    if (n >= 2 && n < sizeof buf && strcmp(v + n - 2, ".0") == 0) {
        memcpy(buf, v, n - 2);
        buf[n - 2] = '\0';
        v = buf;
    }
    *ok = card_code_normalize(v, out) == 0;
}

static int lookup(const char *v, const struct name_table *t, const char *const *labels, int count)
{
    int i = name_lookup(t, v);
    for (int k = 0; i < 0 && k < count; k++)
        if (names(v, NULL, labels[k]))
            i = k;
    return i;
}

static unsigned life_cell(const char *v)
{
    unsigned bits = 0;
    char buf[SHEET_CELL_MAX + 1];
    str_copy(buf, sizeof buf, v);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",;|/\n", &save); tok; tok = strtok_r(NULL, ",;|/\n", &save)) {
        char item[IMPORT_HEADING_MAX + 1];
        trimmed(tok, item, sizeof item);
        if (!item[0])
            continue;
        int i = lookup(item, &life_situation_names, life_labels, LIFE_COUNT);
        bits |= i >= 0 ? 1u << i : 1u << LIFE_COUNT;
    }
    return bits;
}

/* The cells of one data row by our columns (empty where the file has
 * none); false when the row is empty or the totals row of R28's layout. */
static bool row_cells(struct import *im, const struct sheet_cell *cells, size_t n,
                      const struct sheet_cell *by[C_COUNT], char vals[C_COUNT][SHEET_CELL_MAX + 1])
{
    static const struct sheet_cell empty = {"", false};
    bool any = false;
    for (size_t c = 0; c < C_COUNT; c++) {
        by[c] = &empty;
        vals[c][0] = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        if (im->map[i] == C_COUNT && cells[i].text[0])
            any = true; /* a value under no heading: still a row */
        if (i >= SHEET_COLS_MAX || im->map[i] == C_COUNT)
            continue;
        by[im->map[i]] = &cells[i];
        trimmed(cells[i].text, vals[im->map[i]], SHEET_CELL_MAX + 1);
        any = any || vals[im->map[i]][0];
    }
    /* R28: "Yhteensä 2 4" closes the report; it is no use. */
    if (im->req->layout == IMPORT_USES && names(vals[C_CARD], NULL, "report.heading.total") &&
        !vals[C_EVENT][0])
        return false;
    return any;
}

static int grow(struct import *im)
{
    if (im->n < im->cap)
        return 0;
    size_t cap = im->cap ? im->cap * 2 : 256;
    if (im->req->layout == IMPORT_USES) {
        struct import_use *p = realloc(im->uses, cap * sizeof *p);
        if (!p)
            return -ERR_INTERNAL;
        im->uses = p;
    } else {
        struct import_handout *p = realloc(im->handouts, cap * sizeof *p);
        if (!p)
            return -ERR_INTERNAL;
        im->handouts = p;
    }
    im->cap = cap;
    return 0;
}

static void handout_row(struct import *im, int32_t row, const struct sheet_cell *by[C_COUNT],
                        char v[C_COUNT][SHEET_CELL_MAX + 1], bool *bad)
{
    struct import_handout *x = &im->handouts[im->n];
    struct handout *h = &x->h;
    bool ok;
    int64_t year = 0;
    *x = (struct import_handout){.row = row};
    card_cell(v[C_CARD], h->card, &ok);
    if (!ok && (*bad = true))
        problem(im, row, C_CARD, ERR_INVALID_CARD_CODE, NULL);
    if (parse_date(by[C_DATE], v[C_DATE], &h->handed_out_on) != 0 && (*bad = true))
        problem(im, row, C_DATE, ERR_INVALID_REQUEST, "import.date_invalid");
    /* As the API: values carried as given, core decides in its order. */
    if (v[C_BIRTH][0] && parse_int(v[C_BIRTH], INT32_MIN, INT32_MAX, &year) != 0 && (*bad = true))
        problem(im, row, C_BIRTH, ERR_INVALID_BIRTH_YEAR, NULL);
    h->birth_year = (int)year;
    str_copy(h->mother_tongue, sizeof h->mother_tongue,
             strlen(v[C_LANG]) < sizeof h->mother_tongue ? v[C_LANG] : "?");
    int g = lookup(v[C_GENDER], &gender_names, gender_labels, GENDER_COUNT);
    h->gender = g >= 0 ? (enum gender)g : GENDER_COUNT;
    /* Excel drops a postal code's leading zeros: 00100 becomes 100. */
    int64_t postal = 0;
    if (by[C_POSTAL]->number && parse_int(v[C_POSTAL], 0, 99999, &postal) == 0)
        snprintf(h->postal_code, sizeof h->postal_code, "%05d", (int)postal);
    else
        str_copy(h->postal_code, sizeof h->postal_code,
                 strlen(v[C_POSTAL]) < sizeof h->postal_code ? v[C_POSTAL] : "?");
    h->life_situations = life_cell(v[C_LIFE]);
    if (v[C_RENEWS][0]) {
        card_cell(v[C_RENEWS], h->renews, &ok);
        if (!ok && (*bad = true))
            problem(im, row, C_RENEWS, ERR_INVALID_CARD_CODE, NULL);
    }
}

static void use_row(struct import *im, int32_t row, const struct sheet_cell *by[C_COUNT],
                    char v[C_COUNT][SHEET_CELL_MAX + 1], bool *bad)
{
    struct import_use *x = &im->uses[im->n];
    bool ok;
    int64_t n = 0;
    *x = (struct import_use){.row = row};
    card_cell(v[C_CARD], x->card, &ok);
    if (!ok && (*bad = true))
        problem(im, row, C_CARD, ERR_INVALID_CARD_CODE, NULL);
    static const enum col counts[] = {C_ADULT, C_CHILD};
    for (size_t i = 0; i < 2; i++) {
        n = 0;
        if (v[counts[i]][0] && parse_int(v[counts[i]], 0, CAPACITY_MAX, &n) != 0 && (*bad = true))
            problem(im, row, counts[i], ERR_INVALID_REQUEST, "import.number_invalid");
        *(counts[i] == C_ADULT ? &x->adult : &x->child) = (int32_t)n;
    }
    if ((!v[C_EVENT][0] || str_copy(x->event, sizeof x->event, v[C_EVENT]) != 0) && (*bad = true))
        problem(im, row, C_EVENT, ERR_INVALID_REQUEST, "import.event_unknown");
    if (parse_date(by[C_EVENT_DATE], v[C_EVENT_DATE], &x->date) != 0 && (*bad = true))
        problem(im, row, C_EVENT_DATE, ERR_INVALID_REQUEST, "import.date_invalid");
}

static int on_row(void *ctx, int32_t row, const struct sheet_cell *cells, size_t n)
{
    struct import *im = ctx;
    if (!im->header_done) {
        bool any = false;
        for (size_t i = 0; i < n; i++)
            any = any || cells[i].text[0];
        return any ? headings(im, row, cells, n) : 0; /* blank rows above the headings */
    }
    /* R10: no cell holds a personal identity code. */
    for (size_t i = 0; i < n; i++)
        if (identity_text_has_hetu(cells[i].text, strlen(cells[i].text))) {
            struct import_problem *p = problem(im, row, i < SHEET_COLS_MAX ? im->map[i] : C_COUNT,
                                               ERR_IDENTITY_DATA_REFUSED, NULL);
            (void)p;
            return 0;
        }
    const struct sheet_cell *by[C_COUNT];
    static _Thread_local char vals[C_COUNT][SHEET_CELL_MAX + 1];
    if (!row_cells(im, cells, n, by, vals))
        return 0;
    im->out->rows++;
    int rc = grow(im);
    if (rc != 0)
        return rc;
    bool bad = false;
    if (im->req->layout == IMPORT_USES)
        use_row(im, row, by, vals, &bad);
    else
        handout_row(im, row, by, vals, &bad);
    if (!bad)
        im->n++;
    return 0;
}

/* ---- keys: a digest of the layout, the place and the row's values, then
 * of that and which occurrence of the same values in the file it is (two
 * identical rows are two uses: a child ticket twice) ---- */

struct key_order {
    uint8_t digest[SECRET_DIGEST_BYTES];
    size_t index;
};

static int by_digest(const void *a, const void *b)
{
    const struct key_order *x = a, *y = b;
    int c = memcmp(x->digest, y->digest, sizeof x->digest);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static void row_content(const struct import *im, size_t i, char *buf, size_t cap)
{
    const char *layout = import_layout_name(im->req->layout);
    if (im->req->layout == IMPORT_USES) {
        const struct import_use *u = &im->uses[i];
        snprintf(buf, cap, "%s|%s|%s|%d|%d|%d|%s", layout, im->req->place, u->card, (int)u->date,
                 (int)u->adult, (int)u->child, u->event);
    } else {
        const struct handout *h = &im->handouts[i].h;
        snprintf(buf, cap, "%s|%s|%s|%d|%d|%s|%d|%s|%u|%s", layout, im->req->place, h->card,
                 (int)h->handed_out_on, h->birth_year, h->mother_tongue, (int)h->gender,
                 h->postal_code, h->life_situations, h->renews);
    }
}

static int make_keys(struct import *im)
{
    struct key_order *order = calloc(im->n ? im->n : 1, sizeof *order);
    if (!order)
        return -ERR_INTERNAL;
    char content[NAME_MAX_BYTES + 200];
    for (size_t i = 0; i < im->n; i++) {
        row_content(im, i, content, sizeof content);
        secret_digest(content, strlen(content), order[i].digest);
        order[i].index = i;
    }
    qsort(order, im->n, sizeof *order, by_digest);
    size_t occurrence = 0;
    for (size_t i = 0; i < im->n; i++) {
        if (i > 0 && memcmp(order[i].digest, order[i - 1].digest, SECRET_DIGEST_BYTES) == 0)
            occurrence++;
        else
            occurrence = 0;
        char both[2 * SECRET_DIGEST_BYTES + 24];
        for (size_t b = 0; b < SECRET_DIGEST_BYTES; b++)
            snprintf(both + 2 * b, 3, "%02x", order[i].digest[b]);
        snprintf(both + 2 * SECRET_DIGEST_BYTES, 24, "#%zu", occurrence);
        size_t at = order[i].index;
        uint8_t *key = im->req->layout == IMPORT_USES ? im->uses[at].key : im->handouts[at].key;
        secret_digest(both, strlen(both), key);
    }
    free(order);
    return 0;
}

/* ---- the store's verdict on each row ---- */

static const char *const field_of_col[C_COUNT] = {
    [C_CARD] = "card",           [C_DATE] = "handed_out_on", [C_BIRTH] = "birth_year",
    [C_LANG] = "mother_tongue",  [C_GENDER] = "gender",      [C_POSTAL] = "postal_code",
    [C_LIFE] = "life_situation", [C_RENEWS] = "renews",      [C_ADULT] = "adult",
    [C_CHILD] = "child",         [C_EVENT] = "event",        [C_EVENT_DATE] = "date",
};

/* The column an error names (details.field, else the error's own). */
static enum col column_of_error(const struct import *im, int err, const char *field)
{
    static const struct {
        int err;
        enum col handouts, uses;
    } own[] = {
        {ERR_INVALID_BIRTH_YEAR, C_BIRTH, C_COUNT},
        {ERR_TOO_YOUNG, C_BIRTH, C_COUNT},
        {ERR_INVALID_LANGUAGE, C_LANG, C_COUNT},
        {ERR_INVALID_GENDER, C_GENDER, C_COUNT},
        {ERR_INVALID_POSTAL_CODE, C_POSTAL, C_COUNT},
        {ERR_INVALID_LIFE_SITUATION, C_LIFE, C_COUNT},
        {ERR_HANDOUT_IN_FUTURE, C_DATE, C_COUNT},
        {ERR_RENEWS_INVALID, C_RENEWS, C_COUNT},
        {ERR_CARD_EXPIRED, C_CARD, C_EVENT_DATE},
        {ERR_DUPLICATE_ADULT_TICKET, C_COUNT, C_ADULT},
        {ERR_COURSE_CHILD_TICKET, C_COUNT, C_CHILD},
        {ERR_CAP_REACHED, C_COUNT, C_EVENT},
        {ERR_EVENT_EXCLUDED, C_COUNT, C_EVENT},
    };
    bool uses = im->req->layout == IMPORT_USES;
    if (field)
        for (size_t c = 0; c < C_COUNT; c++)
            if (strcmp(field, field_of_col[c]) == 0 && (c != C_DATE || !uses))
                return (enum col)c;
    if (field && uses && strcmp(field, "handed_out_on") != 0 && strcmp(field, "date") == 0)
        return C_EVENT_DATE;
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (own[i].err == err)
            return uses ? own[i].uses : own[i].handouts;
    return C_CARD; /* the card is what the rules speak of */
}

/* The rows are decided again: the store's problems so far are dropped. */
static void on_restart(void *ctx)
{
    struct import *im = ctx;
    im->out->nproblems = im->read_problems;
    im->out->problems_total = im->read_total;
}

static void on_refused(void *ctx, size_t i, int err, const struct error_details *d)
{
    struct import *im = ctx;
    bool uses = im->req->layout == IMPORT_USES;
    int32_t row = uses ? im->uses[i].row : im->handouts[i].row;
    const char *reason = NULL;
    if (uses && d->field && strcmp(d->field, "event") == 0)
        reason = err == ERR_NOT_FOUND ? "import.event_unknown" : "import.event_ambiguous";
    struct import_problem *p = problem(im, row, column_of_error(im, err, d->field), err, reason);
    if (p)
        p->details = *d;
}

static void on_progress(void *ctx, size_t done, size_t n)
{
    struct import *im = ctx;
    if (im->req->progress)
        im->req->progress(im->req->progress_ctx, done, n);
}

int import_run(struct store *s, const struct actor *a, const struct import_request *r,
               struct import_result *out)
{
    struct import im = {.req = r, .out = out};
    struct error_details d = {0};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < SHEET_COLS_MAX; i++)
        im.map[i] = C_COUNT;
    int rc = sheet_read(r->data, r->len, on_row, &im, &d);
    if (rc == -ERR_INVALID_REQUEST || rc == -ERR_BODY_TOO_LARGE) { /* the file itself */
        struct import_problem *p =
            problem(&im, (int32_t)(d.key && strcmp(d.key, "row") == 0 ? d.value : 0), C_COUNT,
                    rc == -ERR_BODY_TOO_LARGE ? ERR_BODY_TOO_LARGE : ERR_INVALID_REQUEST,
                    rc == -ERR_BODY_TOO_LARGE ? "import.too_large" : "import.file_invalid");
        (void)p;
        rc = -ERR_INVALID_REQUEST;
        goto out;
    }
    if (rc != 0)
        goto out;
    if (!im.header_done || out->rows == 0)
        problem(&im, 0, C_COUNT, ERR_INVALID_REQUEST, "import.empty");
    if (out->problems_total > 0 && (!im.header_done || out->rows == 0 || im.n == 0)) {
        rc = -ERR_INVALID_REQUEST;
        goto out;
    }
    if ((rc = make_keys(&im)) != 0)
        goto out;
    struct store_import si = {.layout = r->layout,
                              .place = r->place,
                              .handouts = im.handouts,
                              .uses = im.uses,
                              .n = im.n,
                              .check_only = out->problems_total > 0,
                              .refused = on_refused,
                              .restart = on_restart,
                              .progress = on_progress,
                              .ctx = &im};
    im.read_problems = out->nproblems;
    im.read_total = out->problems_total;
    rc = store_import(s, a, &si, &d);
    if (rc == 0) {
        out->recorded = si.recorded;
        out->skipped = si.skipped;
    } else if (rc == -ERR_INVALID_REQUEST && out->problems_total == 0) {
        problem(&im, 0, C_COUNT, ERR_INVALID_REQUEST, NULL); /* not expected: said plainly */
    }
    if (rc == -ERR_INVALID_REQUEST)
        out->recorded = 0;
out:
    free(im.handouts);
    free(im.uses);
    return rc;
}

/* "{1}" … "{3}" of a catalogue text replaced by args. */
static void fill(const char *text, const char *const *args, size_t nargs, char *buf, size_t cap)
{
    size_t o = 0;
    for (const char *p = text; *p && o + 1 < cap; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
            (size_t)(p[1] - '1') < nargs) {
            const char *a = args[p[1] - '1'];
            size_t n = strlen(a);
            if (n > cap - 1 - o)
                n = cap - 1 - o;
            memcpy(buf + o, a, n);
            o += n;
            p += 2;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o] = '\0';
}

void import_problem_text(const struct import_problem *p, enum lang lang, char *buf, size_t cap)
{
    char row[I18N_NUMBER_LEN], message[512];
    const char *msg = p->reason ? i18n_text(lang, p->reason) : error_message(p->err, lang);
    str_copy(message, sizeof message, msg);
    const char *heading = p->heading_key ? i18n_text(lang, p->heading_key) : p->heading;
    snprintf(row, sizeof row, "%ld", (long)p->row);
    if (p->row == 0) {
        str_copy(buf, cap, message);
    } else if (heading[0]) {
        const char *args[] = {row, heading, message};
        fill(i18n_text(lang, "import.problem.row_column"), args, 3, buf, cap);
    } else {
        const char *args[] = {row, message};
        fill(i18n_text(lang, "import.problem.row"), args, 2, buf, cap);
    }
}
