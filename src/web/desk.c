/* The handout desk (distributor): the handout form of R9–R11 with the
 * holder's previous card (R14), and after a handout the validity, large,
 * to be written on the paper card (R4, R5). Each post redirects back to
 * /desk (post/redirect/get); what it found is kept for the session in
 * web/state.h, so card codes never travel in a URL.
 *
 * Nowhere to type a name (R7, R10): the form has no such field, and a
 * personal identity code typed into any field is refused by the form
 * reader before the handler runs (http/form.c); desk_refused turns that
 * refusal into the form again with the words next to the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "http/session.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/desk.h"
#include "web/languages.h"
#include "web/state.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_DESK_KEYS(X)                   \
    X("page.desk.import")                  \
    X("page.desk.heading")                 \
    X("page.desk.form")                    \
    X("page.desk.form.lead")               \
    X("page.desk.card")                    \
    X("page.desk.card.hint")               \
    X("page.desk.date")                    \
    X("page.desk.date.hint")               \
    X("page.desk.background")              \
    X("page.desk.background.hint")         \
    X("page.desk.birth")                   \
    X("page.desk.birth.hint")              \
    X("page.desk.lang")                    \
    X("page.desk.lang.hint")               \
    X("page.desk.lang.choose")             \
    X("page.desk.lang.common")             \
    X("page.desk.lang.all")                \
    X("page.desk.lang.other")              \
    X("page.desk.gender")                  \
    X("page.desk.gender.female")           \
    X("page.desk.gender.male")             \
    X("page.desk.gender.other")            \
    X("page.desk.gender.not_told")         \
    X("page.desk.postal")                  \
    X("page.desk.postal.hint")             \
    X("page.desk.life")                    \
    X("page.desk.life.hint")               \
    X("page.desk.life.unemployed")         \
    X("page.desk.life.retired")            \
    X("page.desk.life.student")            \
    X("page.desk.life.single_parent")      \
    X("page.desk.life.long_term_illness")  \
    X("page.desk.life.disability")         \
    X("page.desk.life.low_income_working") \
    X("page.desk.life.debt")               \
    X("page.desk.life.other")              \
    X("page.desk.renews")                  \
    X("page.desk.renews.hint")             \
    X("page.desk.no_name")                 \
    X("page.desk.submit")                  \
    X("page.desk.handed")                  \
    X("page.desk.handed.valid")            \
    X("page.desk.handed.write")            \
    X("page.desk.handed.community")        \
    X("page.desk.next")                    \
    X("page.desk.err.card_empty")          \
    X("page.desk.err.card_format")         \
    X("page.desk.err.card_unknown")        \
    X("page.desk.err.card_not_here")       \
    X("page.desk.err.card_issued")         \
    X("page.desk.err.card_cancelled")      \
    X("page.desk.err.date_format")         \
    X("page.desk.err.date_future")         \
    X("page.desk.err.birth_empty")         \
    X("page.desk.err.birth_invalid")       \
    X("page.desk.err.birth_young")         \
    X("page.desk.err.lang_empty")          \
    X("page.desk.err.gender_empty")        \
    X("page.desk.err.postal")              \
    X("page.desk.err.life_empty")          \
    X("page.desk.err.renews_format")       \
    X("page.desk.err.renews_invalid")      \
    X("page.desk.err.identity")            \
    X("page.desk.err.reason_empty")        \
    X("page.desk.err.codes_empty")         \
    X("page.desk.err.codes_format")        \
    X("page.desk.err.codes_not_here")      \
    X("page.desk.err.unit_empty")          \
    X("page.desk.err.count")               \
    X("page.desk.err.other")               \
    X("page.desk.stock")                   \
    X("page.desk.stock.count")             \
    X("page.desk.stock.none")              \
    X("page.desk.stock.low")               \
    X("page.desk.stock.codes")             \
    X("page.desk.stock.more_codes")        \
    X("page.desk.more")                    \
    X("page.desk.more.lead")               \
    X("page.desk.more.count")              \
    X("page.desk.more.submit")             \
    X("page.desk.more.done")               \
    X("page.desk.transfer")                \
    X("page.desk.transfer.lead")           \
    X("page.desk.transfer.codes")          \
    X("page.desk.transfer.codes.hint")     \
    X("page.desk.transfer.unit")           \
    X("page.desk.transfer.choose")         \
    X("page.desk.transfer.none")           \
    X("page.desk.transfer.submit")         \
    X("page.desk.transfer.done")           \
    X("page.desk.cancel")                  \
    X("page.desk.cancel.lead")             \
    X("page.desk.cancel.card")             \
    X("page.desk.cancel.reason")           \
    X("page.desk.cancel.reason.hint")      \
    X("page.desk.cancel.submit")           \
    X("page.desk.cancel.title")            \
    X("page.desk.cancel.question")         \
    X("page.desk.cancel.state.stock")      \
    X("page.desk.cancel.state.issued")     \
    X("page.desk.cancel.confirm")          \
    X("page.desk.cancel.keep")             \
    X("page.desk.cancel.done")             \
    X("page.desk.recent")                  \
    X("page.desk.recent.none")             \
    X("page.desk.col.card")                \
    X("page.desk.col.date")                \
    X("page.desk.col.valid")               \
    X("page.desk.col.status")              \
    X("page.desk.status.valid")            \
    X("page.desk.status.expired")          \
    X("page.desk.status.cancelled")

#define KEY(k) k,
static const char *const desk_keys[] = {WEB_DESK_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_desk_keys = {desk_keys, ARRAY_LEN(desk_keys)};

#define X(name, key) key,
const char *const desk_error_keys[DE_COUNT_] = {DESK_ERRORS(X)};
#undef X

const char *const desk_field_ids[DF_COUNT] = {
    [DF_CARD] = "card",
    [DF_DATE] = "handed_out_on",
    [DF_BIRTH] = "birth_year",
    [DF_LANG] = "mother_tongue",
    [DF_GENDER] = "gender-female",
    [DF_POSTAL] = "postal_code",
    [DF_LIFE] = "life-unemployed",
    [DF_RENEWS] = "renews",
    [DF_CANCEL_CARD] = "cancel_card",
    [DF_REASON] = "reason",
    [DF_CODES] = "codes",
    [DF_UNIT] = "to_unit",
    [DF_MORE] = "count",
};

/* The mother tongues offered first, as the seeds' forms name them. */
static const char *const common_languages[] = {"fi", "sv", "en", "ru", "et", "ar", "so",
                                               "fa", "ku", "uk", "zh", "th", "vi"};

static const char *const gender_keys[GENDER_COUNT] = {
    [GENDER_FEMALE] = "page.desk.gender.female",
    [GENDER_MALE] = "page.desk.gender.male",
    [GENDER_OTHER] = "page.desk.gender.other",
    [GENDER_NOT_TOLD] = "page.desk.gender.not_told",
};

static const char *const life_keys[LIFE_COUNT] = {
    [LIFE_UNEMPLOYED] = "page.desk.life.unemployed",
    [LIFE_RETIRED] = "page.desk.life.retired",
    [LIFE_STUDENT] = "page.desk.life.student",
    [LIFE_SINGLE_PARENT] = "page.desk.life.single_parent",
    [LIFE_LONG_TERM_ILLNESS] = "page.desk.life.long_term_illness",
    [LIFE_DISABILITY] = "page.desk.life.disability",
    [LIFE_LOW_INCOME_WORKING] = "page.desk.life.low_income_working",
    [LIFE_DEBT] = "page.desk.life.debt",
    [LIFE_OTHER] = "page.desk.life.other",
};

_Static_assert(sizeof(struct desk_state) <= WEB_STATE_BYTES, "desk state too large");

#define FAMILY "desk"

void desk_load(const struct request *r, struct desk_state *st)
{
    web_state_load(r, FAMILY, st, sizeof *st);
}

void desk_save(const struct request *r, const struct desk_state *st)
{
    web_state_save(r, FAMILY, st, sizeof *st);
}

const char *desk_error_text(const struct page *p, const struct desk_state *st, enum desk_field f)
{
    unsigned e = st->err[f];
    return e > DE_NONE && e < DE_COUNT_ ? i18n_text(p->lang, desk_error_keys[e]) : NULL;
}

/* ---- reading the form ---- */

/* A date as the form gives it: "2027-02-03" (a date input) or "3.2.2027"
 * (typed as Finns write it). */
static int parse_day(const char *s, int32_t *out)
{
    if (date_parse(s, out) == 0)
        return 0;
    int d, m, y, n = 0;
    if (sscanf(s, "%2d.%2d.%4d%n", &d, &m, &y, &n) == 3 && s[n] == '\0' &&
        date_ymd_valid(y, m, d)) {
        *out = date_from_ymd(y, m, d);
        return 0;
    }
    return -1;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The form's values, kept for the page after a refusal (cut to fit). */
static void keep_values(struct desk_state *st, const char *card, const char *date,
                        const char *birth, const char *lang, const char *gender, const char *postal,
                        unsigned life, const char *renews)
{
    str_copy(st->card, sizeof st->card, card);
    str_copy(st->date, sizeof st->date, date);
    str_copy(st->birth, sizeof st->birth, birth);
    str_copy(st->lang, sizeof st->lang, lang);
    str_copy(st->gender, sizeof st->gender, gender);
    str_copy(st->postal, sizeof st->postal, postal);
    str_copy(st->renews, sizeof st->renews, renews);
    st->life = life;
}

/* A refusal of the store, next to the field it names. */
static enum desk_field store_field(const char *field)
{
    static const struct {
        const char *name;
        enum desk_field f;
    } map[] = {{"card", DF_CARD},           {"handed_out_on", DF_DATE}, {"birth_year", DF_BIRTH},
               {"mother_tongue", DF_LANG},  {"gender", DF_GENDER},      {"postal_code", DF_POSTAL},
               {"life_situation", DF_LIFE}, {"renews", DF_RENEWS}};
    for (size_t i = 0; field && i < ARRAY_LEN(map); i++)
        if (strcmp(map[i].name, field) == 0)
            return map[i].f;
    return DF_CARD;
}

static enum desk_error store_error(int err)
{
    switch (err) {
    case ERR_CARD_UNKNOWN:
        return DE_CARD_UNKNOWN;
    case ERR_CARD_NOT_IN_UNIT_STOCK:
        return DE_CARD_NOT_HERE;
    case ERR_CARD_ALREADY_ISSUED:
        return DE_CARD_ISSUED;
    case ERR_CARD_CANCELLED:
        return DE_CARD_CANCELLED;
    case ERR_HANDOUT_IN_FUTURE:
        return DE_DATE_FUTURE;
    case ERR_INVALID_BIRTH_YEAR:
        return DE_BIRTH_INVALID;
    case ERR_TOO_YOUNG:
        return DE_BIRTH_YOUNG;
    case ERR_INVALID_LANGUAGE:
        return DE_LANG_EMPTY;
    case ERR_INVALID_GENDER:
        return DE_GENDER_EMPTY;
    case ERR_INVALID_POSTAL_CODE:
        return DE_POSTAL;
    case ERR_INVALID_LIFE_SITUATION:
        return DE_LIFE_EMPTY;
    case ERR_RENEWS_INVALID:
        return DE_RENEWS_INVALID;
    case ERR_INVALID_CARD_CODE:
        return DE_CARD_FORMAT;
    default:
        return DE_OTHER;
    }
}

/* Checks each field of the handout on its own, so that every refusal is
 * shown at once next to its field. The card decides whether the background
 * form is asked (R9: a community card needs only code and date). */
static bool check_fields(struct request *r, struct desk_state *st, struct handout *h,
                         const char *card, const char *date, const char *birth, const char *lang,
                         const char *gender, const char *postal, unsigned life, const char *renews,
                         bool *community)
{
    int32_t today = hki_day(r->actor.now);
    bool ok = true;
#define REFUSE(f, e) (st->err[f] = (uint8_t)(e), ok = false)
    struct card c = {0};
    if (!card[0])
        REFUSE(DF_CARD, DE_CARD_EMPTY);
    else if (card_code_normalize(card, h->card) != 0)
        REFUSE(DF_CARD, DE_CARD_FORMAT);
    else {
        int rc = store_card_get(r->store, h->card, &c);
        if (rc == -ERR_CARD_UNKNOWN) {
            http_card_guess_failed(r);
            REFUSE(DF_CARD, DE_CARD_UNKNOWN);
        } else if (rc != 0)
            REFUSE(DF_CARD, DE_OTHER);
        else if (strcmp(c.unit, r->actor.scope) != 0)
            REFUSE(DF_CARD, DE_CARD_NOT_HERE);
        else if (c.cancelled)
            REFUSE(DF_CARD, DE_CARD_CANCELLED);
        else if (c.issued)
            REFUSE(DF_CARD, DE_CARD_ISSUED);
    }
    *community = st->err[DF_CARD] == DE_NONE && c.kind == CARD_COMMUNITY;

    h->handed_out_on = today;
    if (date[0] && parse_day(date, &h->handed_out_on) != 0)
        REFUSE(DF_DATE, DE_DATE_FORMAT);
    else if (h->handed_out_on > today)
        REFUSE(DF_DATE, DE_DATE_FUTURE);

    if (!*community) {
        int64_t year = 0;
        if (!birth[0])
            REFUSE(DF_BIRTH, DE_BIRTH_EMPTY);
        else if (!all_digits(birth, 4, 4) || str_to_i64(birth, 1900, 9999, &year) != 0 ||
                 year > date_year(h->handed_out_on))
            REFUSE(DF_BIRTH, DE_BIRTH_INVALID);
        else if (date_year(h->handed_out_on) - year < 16)
            REFUSE(DF_BIRTH, DE_BIRTH_YOUNG); /* R11 */
        h->birth_year = (int)year;
        if (handout_language_normalize(lang, h->mother_tongue) != 0)
            REFUSE(DF_LANG, DE_LANG_EMPTY);
        int g = gender[0] ? name_lookup(&gender_names, gender) : -1;
        if (g < 0)
            REFUSE(DF_GENDER, DE_GENDER_EMPTY);
        h->gender = g >= 0 ? (enum gender)g : GENDER_COUNT;
        if (!handout_postal_code_valid(postal))
            REFUSE(DF_POSTAL, DE_POSTAL);
        else
            str_copy(h->postal_code, sizeof h->postal_code, postal);
        if (life == 0 || life >= (1u << LIFE_COUNT))
            REFUSE(DF_LIFE, DE_LIFE_EMPTY);
        h->life_situations = life;
    }
    if (renews[0] && card_code_normalize(renews, h->renews) != 0)
        REFUSE(DF_RENEWS, DE_RENEWS_FORMAT);
#undef REFUSE
    return ok;
}

/* POST /desk/handout: the handout through the store (R9–R12, R14). The
 * form's key makes a re-post of a recorded form show its first success. */
int web_desk_handout(struct request *r)
{
    const char *card = "", *date = "", *birth = "", *lang = "", *gender = "", *postal = "",
               *renews = "", *key = NULL;
    const char **life_items = NULL;
    size_t nlife = 0;
    int rc;
    if ((rc = field_text(r, "card", FIELD_EMPTY_OK, 64, &card)) < 0 ||
        (rc = field_text(r, "handed_out_on", FIELD_EMPTY_OK, 32, &date)) < 0 ||
        (rc = field_text(r, "birth_year", FIELD_EMPTY_OK, 16, &birth)) < 0 ||
        (rc = field_text(r, "mother_tongue", FIELD_EMPTY_OK, 16, &lang)) < 0 ||
        (rc = field_text(r, "gender", FIELD_EMPTY_OK, 16, &gender)) < 0 ||
        (rc = field_text(r, "postal_code", FIELD_EMPTY_OK, 16, &postal)) < 0 ||
        (rc = field_texts(r, "life_situation", FIELD_EMPTY_OK, LIFE_COUNT, &life_items, &nlife)) <
            0 ||
        (rc = field_text(r, "renews", FIELD_EMPTY_OK, 64, &renews)) < 0 ||
        (rc = field_text(r, "key", FIELD_REQUIRED, IDEMPOTENCY_KEY_MAX, &key)) < 0)
        return rc;
    card = card ? card : "";
    date = date ? date : "";
    birth = birth ? birth : "";
    lang = lang ? lang : "";
    gender = gender ? gender : "";
    postal = postal ? postal : "";
    renews = renews ? renews : "";
    unsigned life = 0;
    for (size_t i = 0; i < nlife; i++) {
        int v = name_lookup(&life_situation_names, life_items[i]);
        life |= v >= 0 ? 1u << v : 1u << LIFE_COUNT;
    }

    struct desk_state st;
    desk_load(r, &st);
    /* the same form posted again after it was recorded: its first success */
    if (st.done_key[0] && strcmp(st.done_key, key) == 0) {
        st.outcome = DO_HANDED;
        desk_save(r, &st);
        return web_redirect(r, "/desk");
    }
    memset(st.err, 0, sizeof st.err);
    struct handout h = {0};
    bool community = false;
    if (check_fields(r, &st, &h, card, date, birth, lang, gender, postal, life, renews,
                     &community)) {
        struct card out;
        r->details = (struct error_details){0};
        rc = store_handout_record(r->store, &r->actor, &h, &out, &r->details);
        if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE || rc == -ERR_FORBIDDEN)
            return rc;
        if (rc == -ERR_CARD_ALREADY_ISSUED) {
            /* a double submit whose twin has just been recorded */
            struct desk_state now;
            desk_load(r, &now);
            if (now.done_key[0] && strcmp(now.done_key, key) == 0) {
                now.outcome = DO_HANDED;
                desk_save(r, &now);
                return web_redirect(r, "/desk");
            }
        }
        if (rc == 0) {
            st = (struct desk_state){.outcome = DO_HANDED,
                                     .done_until = out.valid_until,
                                     .done_community = out.kind == CARD_COMMUNITY};
            str_copy(st.done_key, sizeof st.done_key, key);
            str_copy(st.done_card, sizeof st.done_card, out.code);
            desk_save(r, &st);
            return web_redirect(r, "/desk");
        }
        st.err[store_field(r->details.field)] = (uint8_t)store_error(-rc);
    }
    st.outcome = DO_HANDOUT_REFUSED;
    keep_values(&st, card, date, birth, lang, gender, postal, life, renews);
    desk_save(r, &st);
    return web_redirect(r, "/desk");
}

/* ---- identity data refused before the handler (R10) ---- */

static const char *pair(const struct request *r, const char *key)
{
    for (size_t i = 0; i < r->body.npairs; i++)
        if (strcmp(r->body.pairs[i].key, key) == 0)
            return r->body.pairs[i].value;
    return "";
}

/* The form reader refused a personal identity code (or a field named for
 * identity data) in a desk form: for a signed-in distributor whose form
 * carries its CSRF token, the form comes back with the words next to the
 * field and the other values kept; the refused value is dropped. */
bool web_desk_refused(struct request *r, int err)
{
    if (err != ERR_IDENTITY_DATA_REFUSED || !r->body.pairs || !r->cookies[WEB_COOKIE_SESSION])
        return false;
    const char *field = r->details.field ? r->details.field : "";
    struct error_details keep = r->details;
    int rc = session_authenticate(r, NULL, r->cookies[WEB_COOKIE_SESSION], pair(r, WEB_CSRF_FIELD));
    r->details = keep;
    if (rc != 0 || !r->has_session || r->actor.role != ROLE_DISTRIBUTOR)
        return false;
    struct desk_state st;
    desk_load(r, &st);
    memset(st.err, 0, sizeof st.err);
    const char *path = r->path ? r->path : "";
#define KEEP(name) (strcmp(field, name) == 0 ? "" : pair(r, name))
    if (strcmp(path, "/desk/handout") == 0) {
        unsigned life = 0;
        for (size_t i = 0; i < r->body.npairs; i++)
            if (strcmp(r->body.pairs[i].key, "life_situation") == 0) {
                int v = name_lookup(&life_situation_names, r->body.pairs[i].value);
                life |= v >= 0 ? 1u << v : 0;
            }
        keep_values(&st, KEEP("card"), KEEP("handed_out_on"), KEEP("birth_year"),
                    KEEP("mother_tongue"), KEEP("gender"), KEEP("postal_code"), life,
                    KEEP("renews"));
        enum desk_field f = store_field(field);
        st.err[f] = DE_IDENTITY;
        st.outcome = DO_HANDOUT_REFUSED;
    } else if (strcmp(path, "/desk/cancel") == 0) {
        str_copy(st.cancel_card, sizeof st.cancel_card, KEEP("cancel_card"));
        str_copy(st.reason, sizeof st.reason, KEEP("reason"));
        st.err[strcmp(field, "cancel_card") == 0 ? DF_CANCEL_CARD : DF_REASON] = DE_IDENTITY;
        st.outcome = DO_CANCEL_REFUSED;
    } else if (strcmp(path, "/desk/transfer") == 0) {
        st.err[strcmp(field, "to_unit") == 0 ? DF_UNIT : DF_CODES] = DE_IDENTITY;
        st.outcome = DO_TRANSFER_REFUSED;
    } else
        return false;
#undef KEEP
    desk_save(r, &st);
    r->headers = NULL;
    r->headers_end = NULL;
    r->status = 0;
    return web_redirect(r, "/desk") == 0;
}

/* ---- the page ---- */

static void option(struct page *p, const char *value, const char *text, bool selected)
{
    html_raw(&p->h, "<option");
    html_attr(&p->h, "value", value);
    if (selected)
        html_raw(&p->h, " selected");
    html_raw(&p->h, ">");
    html_text(&p->h, text);
    html_raw(&p->h, "</option>");
}

static bool common_language(const char *code)
{
    for (size_t i = 0; i < ARRAY_LEN(common_languages); i++)
        if (strcmp(common_languages[i], code) == 0)
            return true;
    return false;
}

static const char *language_name(enum lang lang, const char *code)
{
    for (size_t i = 0; i < desk_nlanguages; i++)
        if (strcmp(desk_languages[i].code, code) == 0)
            return desk_languages[i].name[lang];
    return code;
}

/* The wrapper of a field that is not a plain input. */
static void field_open(struct page *p, const char *error)
{
    html_raw(&p->h, error ? "<div class=\"field field-error\">" : "<div class=\"field\">");
}

static void error_line(struct page *p, const char *error, const char *error_id)
{
    if (!error)
        return;
    html_raw(&p->h, "<p class=\"error-text\"");
    html_attr(&p->h, "id", error_id);
    html_raw(&p->h, ">");
    html_text(&p->h, error);
    html_raw(&p->h, "</p>");
}

static void hint_line(struct page *p, const char *id, const char *key)
{
    html_raw(&p->h, "<p class=\"hint\"");
    html_attr(&p->h, "id", id);
    html_raw(&p->h, ">");
    html_text(&p->h, i18n_text(p->lang, key));
    html_raw(&p->h, "</p>");
}

/* The mother tongue: a plain select, the common languages first, then all
 * by their names in the page's language, then "other". The browser's
 * type-to-find searches it; nothing else is needed. */
static void language_select(struct page *p, const char *chosen, const char *error)
{
    field_open(p, error);
    html_raw(&p->h, "<label for=\"mother_tongue\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.lang"));
    html_raw(&p->h, "</label>");
    hint_line(p, "mother_tongue-hint", "page.desk.lang.hint");
    error_line(p, error, "mother_tongue-error");
    html_raw(&p->h, "<select id=\"mother_tongue\" name=\"mother_tongue\"");
    html_attr(&p->h, "aria-describedby",
              error ? "mother_tongue-hint mother_tongue-error" : "mother_tongue-hint");
    if (error)
        html_raw(&p->h, " aria-invalid=\"true\"");
    html_raw(&p->h, ">");
    option(p, "", i18n_text(p->lang, "page.desk.lang.choose"), !chosen[0]);
    html_raw(&p->h, "<optgroup");
    html_attr(&p->h, "label", i18n_text(p->lang, "page.desk.lang.common"));
    html_raw(&p->h, ">");
    for (size_t i = 0; i < ARRAY_LEN(common_languages); i++)
        option(p, common_languages[i], language_name(p->lang, common_languages[i]),
               strcmp(chosen, common_languages[i]) == 0);
    html_raw(&p->h, "</optgroup><optgroup");
    html_attr(&p->h, "label", i18n_text(p->lang, "page.desk.lang.all"));
    html_raw(&p->h, ">");
    for (size_t i = 0; i < desk_nlanguages; i++) {
        const struct desk_language *l = &desk_languages[desk_language_order[p->lang][i]];
        if (!common_language(l->code))
            option(p, l->code, l->name[p->lang], strcmp(chosen, l->code) == 0);
    }
    option(p, "other", i18n_text(p->lang, "page.desk.lang.other"), strcmp(chosen, "other") == 0);
    html_raw(&p->h, "</optgroup></select></div>");
}

/* A group of radios or checkboxes in a fieldset, ids "PREFIX-NAME". */
static void choice_group(struct page *p, const char *legend_key, const char *hint_key,
                         const char *type, const char *name, const char *prefix,
                         const struct name_table *names, const char *const *keys, int count,
                         unsigned checked, const char *error)
{
    char hint_id[40], error_id[40], described[90];
    snprintf(hint_id, sizeof hint_id, "%s-hint", prefix);
    snprintf(error_id, sizeof error_id, "%s-error", prefix);
    snprintf(described, sizeof described, "%s%s%s", hint_key ? hint_id : "",
             hint_key && error ? " " : "", error ? error_id : "");
    html_raw(&p->h, error ? "<div class=\"field field-error\"><fieldset"
                          : "<div class=\"field\"><fieldset");
    if (described[0])
        html_attr(&p->h, "aria-describedby", described);
    html_raw(&p->h, "><legend>");
    html_text(&p->h, i18n_text(p->lang, legend_key));
    html_raw(&p->h, "</legend>");
    if (hint_key)
        hint_line(p, hint_id, hint_key);
    error_line(p, error, error_id);
    html_raw(&p->h, "<div class=\"choices\">");
    for (int i = 0; i < count; i++) {
        char id[48];
        snprintf(id, sizeof id, "%s-%s", prefix, name_of(names, i));
        html_raw(&p->h, "<div class=\"choice\"><input");
        html_attr(&p->h, "type", type);
        html_attr(&p->h, "name", name);
        html_attr(&p->h, "id", id);
        html_attr(&p->h, "value", name_of(names, i));
        if (checked & (1u << i))
            html_raw(&p->h, " checked");
        html_raw(&p->h, "><label");
        html_attr(&p->h, "for", id);
        html_raw(&p->h, ">");
        html_text(&p->h, i18n_text(p->lang, keys[i]));
        html_raw(&p->h, "</label></div>");
    }
    html_raw(&p->h, "</div></fieldset></div>");
}

/* After a handout: the validity, large, for the paper card. */
static void handed(struct page *p, const struct desk_state *st)
{
    char date[I18N_DATE_LEN], heading[160];
    i18n_date(p->lang, st->done_until, date);
    const char *args[] = {st->done_card};
    text_fill(heading, sizeof heading, i18n_text(p->lang, "page.desk.handed"), args, 1);
    html_raw(&p->h, "<div class=\"notice notice-ok handed\" role=\"status\" id=\"handed\">"
                    "<span class=\"icon\" aria-hidden=\"true\">\xe2\x9c\x94</span><div>"
                    "<p class=\"notice-heading\">");
    html_text(&p->h, heading);
    html_raw(&p->h, "</p><p>");
    html_text(&p->h, i18n_text(p->lang, "page.desk.handed.valid"));
    html_raw(&p->h, "</p><p class=\"validity\" id=\"validity\">");
    html_text(&p->h, date);
    html_raw(&p->h, "</p><p>");
    html_text(&p->h, i18n_text(p->lang, st->done_community ? "page.desk.handed.community"
                                                           : "page.desk.handed.write"));
    html_raw(&p->h, "</p></div></div>");
}

static void handout_form(struct page *p, const struct desk_state *st)
{
    bool refused = st->outcome == DO_HANDOUT_REFUSED;
    html_raw(&p->h, "<section aria-labelledby=\"form-heading\"><h2 id=\"form-heading\">");
    html_text(&p->h,
              i18n_text(p->lang, st->outcome == DO_HANDED ? "page.desk.next" : "page.desk.form"));
    html_raw(&p->h, "</h2><p>");
    html_text(&p->h, i18n_text(p->lang, "page.desk.form.lead"));
    html_raw(&p->h, "</p><form method=\"post\" action=\"/desk/handout\" id=\"handout-form\" "
                    "autocomplete=\"off\" novalidate>");
    page_csrf_field(p);
    char key[SECRET_TOKEN_LEN + 1];
    secret_token(key); /* one per form: a re-post shows its first success */
    html_raw(&p->h, "<input type=\"hidden\" name=\"key\"");
    html_attr(&p->h, "value", key);
    html_raw(&p->h, ">");
    page_input(p, &(struct page_field){.id = "card",
                                       .label = i18n_text(p->lang, "page.desk.card"),
                                       .hint = i18n_text(p->lang, "page.desk.card.hint"),
                                       .value = refused ? st->card : "",
                                       .autocomplete = "off",
                                       .error = desk_error_text(p, st, DF_CARD),
                                       .autofocus = !refused});
    /* a text field with the date as the page's language writes it (today
     * by default, never later: R9), not a date input, whose format follows
     * the browser's language rather than the page's and which takes three
     * key presses of Tab to cross */
    char today[I18N_DATE_LEN];
    i18n_date(p->lang, hki_day(p->r->actor.now), today);
    page_input(p, &(struct page_field){.id = "handed_out_on",
                                       .label = i18n_text(p->lang, "page.desk.date"),
                                       .hint = i18n_text(p->lang, "page.desk.date.hint"),
                                       .value = refused && st->date[0] ? st->date : today,
                                       .autocomplete = "off",
                                       .error = desk_error_text(p, st, DF_DATE)});

    html_raw(&p->h, "<fieldset class=\"group\"><legend>");
    html_text(&p->h, i18n_text(p->lang, "page.desk.background"));
    html_raw(&p->h, "</legend><p class=\"hint\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.background.hint"));
    html_raw(&p->h, "</p>");
    page_input(p, &(struct page_field){.id = "birth_year",
                                       .label = i18n_text(p->lang, "page.desk.birth"),
                                       .hint = i18n_text(p->lang, "page.desk.birth.hint"),
                                       .value = refused ? st->birth : "",
                                       .autocomplete = "off",
                                       .inputmode = "numeric",
                                       .error = desk_error_text(p, st, DF_BIRTH)});
    language_select(p, refused ? st->lang : "", desk_error_text(p, st, DF_LANG));
    int g = refused && st->gender[0] ? name_lookup(&gender_names, st->gender) : -1;
    choice_group(p, "page.desk.gender", NULL, "radio", "gender", "gender", &gender_names,
                 gender_keys, GENDER_COUNT, g >= 0 ? 1u << g : 0,
                 desk_error_text(p, st, DF_GENDER));
    page_input(p, &(struct page_field){.id = "postal_code",
                                       .label = i18n_text(p->lang, "page.desk.postal"),
                                       .hint = i18n_text(p->lang, "page.desk.postal.hint"),
                                       .value = refused ? st->postal : "",
                                       .autocomplete = "off",
                                       .inputmode = "numeric",
                                       .error = desk_error_text(p, st, DF_POSTAL)});
    choice_group(p, "page.desk.life", "page.desk.life.hint", "checkbox", "life_situation", "life",
                 &life_situation_names, life_keys, LIFE_COUNT, refused ? st->life : 0,
                 desk_error_text(p, st, DF_LIFE));
    html_raw(&p->h, "</fieldset>");
    page_input(p, &(struct page_field){.id = "renews",
                                       .label = i18n_text(p->lang, "page.desk.renews"),
                                       .hint = i18n_text(p->lang, "page.desk.renews.hint"),
                                       .value = refused ? st->renews : "",
                                       .autocomplete = "off",
                                       .error = desk_error_text(p, st, DF_RENEWS)});
    html_raw(&p->h, "<p class=\"hint\" id=\"no-name\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.no_name"));
    html_raw(&p->h, "</p><button type=\"submit\" class=\"primary\" id=\"handout\">");
    html_text(&p->h, i18n_text(p->lang, "page.desk.submit"));
    html_raw(&p->h, "</button></form></section>");
}

/* GET /desk */
int web_desk(struct request *r)
{
    struct desk_state st;
    desk_load(r, &st);
    struct unit u;
    if (store_unit_get(r->store, r->actor.scope, &u) != 0)
        str_copy(u.name, sizeof u.name, r->actor.scope);
    struct page p;
    char title[300];
    const char *targs[] = {u.name};
    text_fill(title, sizeof title, i18n_text(r->lang, "page.desk.heading"), targs, 1);
    page_begin(&p, r, title);
    html_raw(&p.h, "<h1>");
    html_text(&p.h, title);
    html_raw(&p.h, "</h1>");
    if (web_page_exists("/import/handouts")) { /* paper forms in bulk (issue 17) */
        html_raw(&p.h, "<p class=\"links\" id=\"desk-links\"><a href=\"/import/handouts\">");
        html_text(&p.h, i18n_text(p.lang, "page.desk.import"));
        html_raw(&p.h, "</a></p>");
    }

    struct page_error errors[DF_COUNT];
    size_t n = 0;
    if (st.outcome == DO_HANDOUT_REFUSED)
        for (int f = DF_CARD; f <= DF_RENEWS; f++)
            if (desk_error_text(&p, &st, (enum desk_field)f))
                errors[n++] = (struct page_error){desk_field_ids[f],
                                                  desk_error_text(&p, &st, (enum desk_field)f)};
    n += desk_stock_errors(&p, &st, errors + n, ARRAY_LEN(errors) - n);
    page_error_summary(&p, errors, n);
    if (st.outcome == DO_HANDED)
        handed(&p, &st);
    desk_stock_outcome(&p, &st);

    html_raw(&p.h, "<div class=\"desk-grid\"><div>");
    handout_form(&p, &st);
    html_raw(&p.h, "</div><div>");
    int rc = desk_stock_sections(&p, &st);
    html_raw(&p.h, "</div></div>");
    if (rc != 0) {
        html_free(&p.h);
        return rc;
    }

    /* an outcome is shown once */
    if (st.outcome != DO_QUIET && st.outcome != DO_CANCEL_ASK) {
        st.outcome = DO_QUIET;
        memset(st.err, 0, sizeof st.err);
        desk_save(r, &st);
    }
    return page_end(&p, 200);
}
