/* The handout desk through the whole pipeline (http_handle) on a real
 * store, without a socket: the page in each language, a handout by form
 * with its validity after the redirect, a re-posted form recorded once,
 * every refusal next to its field, identity data refused in words and
 * never stored, the CSRF field, a cancel with its confirmation, a request
 * for more cards and a transfer, and hostile names rendered inert. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/site.h"
#include "core/i18n.h"
#include "http/dispatch.h"
#include "http/session.h"
#include "store/store.h"
#include "util/date.h"
#include "util/secret.h"
#include "util/strutil.h"
#include "web/web.h"

#define PASSWORD      "handout-desk-password"
#define HOSTILE_UNIT  "Sote <script>alert(1)</script>"
#define HOSTILE_OTHER "\"><img src=x onerror=alert(2)> 'nuoriso'"
#define A_HETU        "131052-308T"

static const struct site *const all[] = {&api_health_site, &api_site, &web_site};
static const struct site_list sites = {all, ARRAY_LEN(all)};

struct fixture {
    char dir[256];
    struct store *s;
    char session[SECRET_TOKEN_LEN + 1]; /* jakaja's session cookie */
    char csrf[SECRET_TOKEN_LEN + 1];
    char venue_session[SECRET_TOKEN_LEN + 1];
};

/* ---- a transport made of strings ---- */

struct fake {
    const char *headers[4][2];
    const char *cookies[4][2];
};

static const char *fake_header(void *ctx, const char *name)
{
    struct fake *f = ctx;
    for (size_t i = 0; i < ARRAY_LEN(f->headers) && f->headers[i][0]; i++)
        if (strcasecmp(f->headers[i][0], name) == 0)
            return f->headers[i][1];
    return NULL;
}

static const char *fake_cookie(void *ctx, const char *name)
{
    struct fake *f = ctx;
    for (size_t i = 0; i < ARRAY_LEN(f->cookies) && f->cookies[i][0]; i++)
        if (strcmp(f->cookies[i][0], name) == 0)
            return f->cookies[i][1];
    return NULL;
}

static void fake_query(void *ctx, bool (*each)(void *arg, const char *key, const char *value),
                       void *arg)
{
    (void)ctx;
    (void)each;
    (void)arg;
}

static void run(struct fixture *fx, struct request *r, const char *method, const char *path,
                struct fake *f, const char *body, enum lang lang)
{
    memset(r, 0, sizeof *r);
    r->store = fx->s;
    r->lang = lang;
    r->actor.now = (int64_t)time(NULL);
    str_copy(r->actor.address, sizeof r->actor.address, "192.0.2.8");
    if (body)
        for (size_t i = 0; i < ARRAY_LEN(f->headers); i++)
            if (!f->headers[i][0]) {
                f->headers[i][0] = "Content-Type";
                f->headers[i][1] = "application/x-www-form-urlencoded";
                break;
            }
    const char *tags[] = {"fi", "sv", "en"};
    for (size_t i = 0; i < ARRAY_LEN(f->headers); i++)
        if (!f->headers[i][0]) {
            f->headers[i][0] = "Accept-Language";
            f->headers[i][1] = tags[lang];
            break;
        }
    const struct http_input in = {.method = method,
                                  .path = path,
                                  .body = body,
                                  .body_len = body ? strlen(body) : 0,
                                  .header = fake_header,
                                  .cookie = fake_cookie,
                                  .query = fake_query,
                                  .ctx = f};
    assert_true(http_handle(&sites, r, &in));
}

static const char *header_of(const struct request *r, const char *name)
{
    for (const struct http_header *h = r->headers; h; h = h->next)
        if (strcasecmp(h->name, name) == 0)
            return h->value;
    return NULL;
}

static const char *body_of(const struct request *r)
{
    static char buf[400000];
    snprintf(buf, sizeof buf, "%.*s", (int)r->reply_len, r->reply ? r->reply : "");
    return buf;
}

static bool form_value(const char *page, const char *name, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, "name=\"%s\" value=\"", name);
    const char *p = strstr(page, pat);
    if (!p)
        return false;
    p += strlen(pat);
    size_t n = strcspn(p, "\"");
    snprintf(out, cap, "%.*s", (int)n, p);
    return true;
}

/* A request as jakaja; a POST carries the form token unless csrf is false. */
static void as_jakaja(struct fixture *fx, struct request *r, const char *method, const char *path,
                      const char *fields, enum lang lang)
{
    struct fake f = {.cookies = {{SESSION_COOKIE, fx->session}}};
    char body[2000];
    if (fields)
        snprintf(body, sizeof body, "csrf=%s%s%s", fx->csrf, fields[0] ? "&" : "", fields);
    run(fx, r, method, path, &f, fields ? body : NULL, lang);
}

/* GET /desk as jakaja, into a static buffer. */
static const char *desk_page(struct fixture *fx, enum lang lang)
{
    struct request r;
    as_jakaja(fx, &r, "GET", "/desk", NULL, lang);
    assert_int_equal(r.status, 200);
    const char *csp = header_of(&r, "Content-Security-Policy");
    assert_non_null(csp);
    assert_null(strstr(csp, "unsafe-inline"));
    const char *page = body_of(&r);
    request_release(&r);
    return page;
}

/* A post that must redirect to where. */
static void post_to(struct fixture *fx, const char *path, const char *fields, const char *where)
{
    struct request r;
    as_jakaja(fx, &r, "POST", path, fields, LANG_FI);
    if (r.status != 303)
        fail_msg("POST %s: %d %s", path, r.status, body_of(&r));
    assert_string_equal(header_of(&r, "Location"), where);
    request_release(&r);
}

/* The form key of the handout form now on the page. */
static void handout_key(struct fixture *fx, char *key, size_t cap)
{
    assert_true(form_value(desk_page(fx, LANG_FI), "key", key, cap));
}

/* ---- the fixture ---- */

static struct actor actor(const char *user, enum role role, const char *scope)
{
    struct actor a = {.role = role, .now = (int64_t)time(NULL)};
    str_copy(a.user, sizeof a.user, user);
    str_copy(a.scope, sizeof a.scope, scope);
    return a;
}

static void session_for(struct fixture *f, const char *user, char token[SECRET_TOKEN_LEN + 1])
{
    uint8_t digest[SECRET_DIGEST_BYTES];
    int64_t now = (int64_t)time(NULL);
    secret_token(token);
    secret_digest(token, strlen(token), digest);
    assert_int_equal(store_session_add(f->s, digest, user, now, now + 3600), 0);
}

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    assert_int_equal(secret_init(), 0);
    str_copy(f.dir, sizeof f.dir, tmpdir_make());
    char path[300];
    snprintf(path, sizeof path, "%s/kaiku.db", f.dir);
    assert_int_equal(store_open(path, &f.s), 0);
    assert_int_equal(store_migrate(f.s, NULL, NULL), 0);
    struct actor nat = actor("nat", ROLE_NATIONAL, "");
    const struct region espoo = {"espoo", "Espoo", -1};
    assert_int_equal(store_region_add(f.s, &nat, &espoo), 0);
    const struct unit sote = {"espoo-sote", "espoo", HOSTILE_UNIT};
    const struct unit nuoriso = {"espoo-nuoriso", "espoo", HOSTILE_OTHER};
    assert_int_equal(store_unit_add(f.s, &nat, &sote), 0);
    assert_int_equal(store_unit_add(f.s, &nat, &nuoriso), 0);
    struct venue hilla = {"hilla", "espoo", "Hilla", CAT_THEATRE, "", true, "", ""};
    assert_int_equal(store_venue_add(f.s, &nat, &hilla), 0);
    char hash[SECRET_HASH_MAX + 1];
    assert_int_equal(secret_hash_password(PASSWORD, hash), 0);
    const struct user jakaja = {"jakaja", ROLE_DISTRIBUTOR, "espoo-sote", false};
    const struct user kassa = {"kassa", ROLE_VENUE, "hilla", false};
    assert_int_equal(store_user_add(f.s, &nat, &jakaja, hash), 0);
    assert_int_equal(store_user_add(f.s, &nat, &kassa, hash), 0);
    char codes[8][CODE_MAX + 1] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"};
    assert_int_equal(store_stock_add(f.s, &nat, "espoo-sote", CARD_PERSONAL,
                                     (const char(*)[CODE_MAX + 1]) codes, 8, NULL),
                     0);
    char community[1][CODE_MAX + 1] = {"YHT1"};
    assert_int_equal(store_stock_add(f.s, &nat, "espoo-sote", CARD_COMMUNITY,
                                     (const char(*)[CODE_MAX + 1]) community, 1, NULL),
                     0);
    char other[1][CODE_MAX + 1] = {"N1"};
    assert_int_equal(store_stock_add(f.s, &nat, "espoo-nuoriso", CARD_PERSONAL,
                                     (const char(*)[CODE_MAX + 1]) other, 1, NULL),
                     0);
    session_for(&f, "jakaja", f.session);
    session_for(&f, "kassa", f.venue_session);
    session_csrf(f.session, f.csrf);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    tmpdir_remove(f->dir);
    return 0;
}

#define GOOD_FORM                                                                                \
    "birth_year=1980&mother_tongue=so&gender=female&postal_code=00940&life_situation=unemployed" \
    "&life_situation=student"

/* ---- the tests ---- */

/* The page in each language: its forms, the stock, the mother tongues in
 * the page's language with the common ones first, hostile names inert; a
 * distributor's start page is the desk; venue staff may not see it. */
static void test_desk_page(void **state)
{
    struct fixture *fx = *state;
    const struct {
        enum lang lang;
        const char *html_lang, *somali, *finnish;
    } cases[] = {{LANG_FI, "<html lang=\"fi\"", "somali", "suomi"},
                 {LANG_SV, "<html lang=\"sv\"", "somali", "finska"},
                 {LANG_EN, "<html lang=\"en\"", "Somali", "Finnish"}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *page = desk_page(fx, cases[i].lang);
        assert_non_null(strstr(page, cases[i].html_lang));
        assert_non_null(strstr(page, "id=\"handout-form\""));
        assert_non_null(strstr(page, "name=\"csrf\""));
        assert_non_null(strstr(page, "id=\"handed_out_on\" name=\"handed_out_on\" type=\"text\""));
        /* no field for a name or an identity code */
        assert_null(strstr(page, "name=\"name\""));
        assert_null(strstr(page, "name=\"hetu\""));
        char opt[80];
        snprintf(opt, sizeof opt, "<option value=\"fi\">%s</option>", cases[i].finnish);
        const char *fi = strstr(page, opt);
        assert_non_null(fi);
        snprintf(opt, sizeof opt, "<option value=\"so\">%s</option>", cases[i].somali);
        const char *so = strstr(page, opt);
        const char *ab = strstr(page, "<option value=\"ab\">");
        assert_non_null(so);
        assert_non_null(ab);
        assert_true(fi < so && so < ab); /* the common ones first */
        assert_non_null(strstr(page, "<option value=\"other\">"));
        assert_non_null(strstr(page, "id=\"stock-count\""));
        assert_non_null(strstr(page, "<li class=\"code\">D1</li>"));
        assert_non_null(strstr(page, "<li class=\"code\">YHT1</li>"));
        assert_null(strstr(page, ">N1<")); /* another unit's stock */
        /* the other unit is offered for a transfer; both names inert */
        assert_non_null(strstr(page, "<option value=\"espoo-nuoriso\">"));
        assert_null(strstr(page, "<script>alert"));
        assert_null(strstr(page, "<img src=x"));
        assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
    struct request r;
    struct fake f = {.cookies = {{SESSION_COOKIE, fx->venue_session}}};
    run(fx, &r, "GET", "/desk", &f, NULL, LANG_FI);
    assert_int_equal(r.status, 403);
    request_release(&r);
    assert_string_equal(web_start_path(ROLE_DISTRIBUTOR), "/desk");
}

/* A handout by form: the validity large after the redirect, the next empty
 * form; the same form posted again records nothing and shows the first
 * success; another form with the same code is refused in words. */
static void test_handout_flow(void **state)
{
    struct fixture *fx = *state;
    char key[SECRET_TOKEN_LEN + 1], fields[600];
    handout_key(fx, key, sizeof key);
    snprintf(fields, sizeof fields, "card=d2&handed_out_on=&renews=&key=%s&" GOOD_FORM, key);
    post_to(fx, "/desk/handout", fields, "/desk");
    struct card c;
    assert_int_equal(store_card_get(fx->s, "D2", &c), 0);
    assert_true(c.issued);
    int32_t today = hki_day((int64_t)time(NULL));
    assert_int_equal(c.handed_out_on, today);
    char until[I18N_DATE_LEN], want[80];
    i18n_date(LANG_FI, c.valid_until, until);
    snprintf(want, sizeof want, "<p class=\"validity\" id=\"validity\">%s</p>", until);
    const char *page = desk_page(fx, LANG_FI);
    assert_non_null(strstr(page, want));
    assert_non_null(strstr(page, "Kortti D2 on annettu."));
    char next[SECRET_TOKEN_LEN + 1];
    assert_true(form_value(page, "key", next, sizeof next));
    assert_string_not_equal(next, key); /* the next form is a new one */
    assert_non_null(strstr(page, "id=\"card\" name=\"card\" type=\"text\" value=\"\""));
    /* shown once */
    assert_null(strstr(desk_page(fx, LANG_FI), "id=\"validity\""));

    /* the same form again: its first success, nothing recorded twice */
    post_to(fx, "/desk/handout", fields, "/desk");
    page = desk_page(fx, LANG_FI);
    assert_non_null(strstr(page, want));
    assert_null(strstr(page, "error-summary"));

    /* a new form with the same code: refused next to the card field */
    snprintf(fields, sizeof fields, "card=D2&key=%s&" GOOD_FORM, next);
    post_to(fx, "/desk/handout", fields, "/desk");
    page = desk_page(fx, LANG_EN);
    assert_non_null(strstr(page, "id=\"error-summary\""));
    assert_non_null(strstr(page, "<a href=\"#card\">"));
    assert_non_null(strstr(page, i18n_text(LANG_EN, "page.desk.err.card_issued")));
    assert_non_null(strstr(page, "aria-invalid=\"true\""));

    /* a paper form of last week, and a community card with code and date only */
    char date[I18N_DATE_LEN]; /* as Finns write it: 29.11.2026 */
    i18n_date(LANG_FI, today - 7, date);
    handout_key(fx, key, sizeof key);
    snprintf(fields, sizeof fields, "card=D3&handed_out_on=%s&key=%s&" GOOD_FORM, date, key);
    post_to(fx, "/desk/handout", fields, "/desk");
    assert_int_equal(store_card_get(fx->s, "D3", &c), 0);
    assert_int_equal(c.handed_out_on, today - 7);
    handout_key(fx, key, sizeof key);
    snprintf(fields, sizeof fields, "card=yht1&key=%s", key);
    post_to(fx, "/desk/handout", fields, "/desk");
    assert_int_equal(store_card_get(fx->s, "YHT1", &c), 0);
    assert_true(c.issued);
    page = desk_page(fx, LANG_FI);
    assert_non_null(strstr(page, i18n_text(LANG_FI, "page.desk.handed.community")));
    /* recent handouts: codes, dates and validity only */
    assert_non_null(strstr(page, "id=\"recent-handouts\""));
    assert_non_null(strstr(page, "<td class=\"code\">D3</td>"));
    assert_null(strstr(page, "00940")); /* nothing of the background form */
}

/* Every refusal next to its field, the summary linking to each, the values
 * kept; nothing stored. */
static void test_handout_refusals(void **state)
{
    struct fixture *fx = *state;
    char key[SECRET_TOKEN_LEN + 1], fields[600], future[DATE_STR_LEN];
    int32_t today = hki_day((int64_t)time(NULL));
    date_format(today + 1, future);
    const struct {
        const char *fields;
        const char *field_ids[6];
        const char *keys[6];
    } cases[] = {
        {"card=",
         {"card", "birth_year", "mother_tongue", "gender-female", "postal_code", "life-unemployed"},
         {"page.desk.err.card_empty", "page.desk.err.birth_empty", "page.desk.err.lang_empty",
          "page.desk.err.gender_empty", "page.desk.err.postal", "page.desk.err.life_empty"}},
        {"card=D-4!&" GOOD_FORM, {"card"}, {"page.desk.err.card_format"}},
        {"card=ZZ9&" GOOD_FORM, {"card"}, {"page.desk.err.card_unknown"}},
        {"card=N1&" GOOD_FORM, {"card"}, {"page.desk.err.card_not_here"}},
        {"card=D4&handed_out_on=FUTURE&" GOOD_FORM,
         {"handed_out_on"},
         {"page.desk.err.date_future"}},
        {"card=D4&handed_out_on=31.2.2020&" GOOD_FORM,
         {"handed_out_on"},
         {"page.desk.err.date_format"}},
        {"card=D4&birth_year=2019&mother_tongue=xx&gender=female&postal_code=2100&life_situation="
         "student",
         {"birth_year", "mother_tongue", "postal_code"},
         {"page.desk.err.birth_young", "page.desk.err.lang_empty", "page.desk.err.postal"}},
        {"card=D4&birth_year=19x0&mother_tongue=fi&gender=female&postal_code=02100&life_situation="
         "student",
         {"birth_year"},
         {"page.desk.err.birth_invalid"}},
        {"card=D4&renews=D1&" GOOD_FORM, {"renews"}, {"page.desk.err.renews_invalid"}},
        {"card=D4&renews=no-such!&" GOOD_FORM, {"renews"}, {"page.desk.err.renews_format"}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        handout_key(fx, key, sizeof key);
        char body[500];
        str_copy(body, sizeof body, cases[i].fields);
        char *f = strstr(body, "FUTURE");
        if (f) {
            memcpy(f, future, 6); /* "YYYY-M" */
            memmove(f + 10, f + 6, strlen(f + 6) + 1);
            memcpy(f, future, 10);
        }
        snprintf(fields, sizeof fields, "%s&key=%s", body, key);
        post_to(fx, "/desk/handout", fields, "/desk");
        const char *page = desk_page(fx, LANG_SV);
        assert_non_null(strstr(page, "id=\"error-summary\""));
        for (size_t k = 0; k < 6 && cases[i].field_ids[k]; k++) {
            char link[80];
            snprintf(link, sizeof link, "<a href=\"#%s\">%s</a>", cases[i].field_ids[k],
                     i18n_text(LANG_SV, cases[i].keys[k]));
            if (!strstr(page, link))
                fail_msg("case %zu: no %s", i, link);
            char error_id[80];
            snprintf(error_id, sizeof error_id, "id=\"%s-error\"",
                     strcmp(cases[i].field_ids[k], "gender-female") == 0 ? "gender"
                     : strcmp(cases[i].field_ids[k], "life-unemployed") == 0
                         ? "life"
                         : cases[i].field_ids[k]);
            if (!strstr(page, error_id))
                fail_msg("case %zu: no %s", i, error_id);
        }
    }
    struct card c;
    assert_int_equal(store_card_get(fx->s, "D4", &c), 0);
    assert_false(c.issued);
    /* a refused form keeps its values */
    handout_key(fx, key, sizeof key);
    snprintf(fields, sizeof fields,
             "card=D4&birth_year=1975&mother_tongue=ar&gender=male&postal_code=0210"
             "&life_situation=debt&key=%s",
             key);
    post_to(fx, "/desk/handout", fields, "/desk");
    const char *page = desk_page(fx, LANG_FI);
    assert_non_null(strstr(page, "name=\"card\" type=\"text\" value=\"D4\""));
    assert_non_null(strstr(page, "name=\"birth_year\" type=\"text\" value=\"1975\""));
    assert_non_null(strstr(page, "<option value=\"ar\" selected>"));
    assert_non_null(strstr(page, "id=\"gender-male\" value=\"male\" checked"));
    assert_non_null(strstr(page, "id=\"life-debt\" value=\"debt\" checked"));
}

/* R10: a personal identity code in any field, or a field named for identity
 * data, is refused in words next to the field and never stored; a form
 * without its token records nothing. */
static void test_identity_refused(void **state)
{
    struct fixture *fx = *state;
    char key[SECRET_TOKEN_LEN + 1], fields[600];
    const struct {
        const char *extra, *field_id;
    } cases[] = {
        {"&renews=" A_HETU, "renews"},
        {"&postal_code=" A_HETU, "postal_code"},
        {"&name=Maija", "card"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        handout_key(fx, key, sizeof key);
        snprintf(fields, sizeof fields,
                 "card=D5&birth_year=1960&mother_tongue=fi&gender=female&life_situation=retired"
                 "&key=%s%s",
                 key, cases[i].extra);
        post_to(fx, "/desk/handout", fields, "/desk");
        const char *page = desk_page(fx, LANG_FI);
        char link[400];
        snprintf(link, sizeof link, "<a href=\"#%s\">%s</a>", cases[i].field_id,
                 i18n_text(LANG_FI, "page.desk.err.identity"));
        if (!strstr(page, link))
            fail_msg("case %zu: no %s", i, link);
        assert_null(strstr(page, "131052"));
        assert_null(strstr(page, "Maija"));
        /* the other values are kept */
        assert_non_null(strstr(page, "name=\"birth_year\" type=\"text\" value=\"1960\""));
        struct card c;
        assert_int_equal(store_card_get(fx->s, "D5", &c), 0);
        assert_false(c.issued);
    }
    /* the cancel form's reason */
    post_to(fx, "/desk/cancel", "cancel_card=D6&reason=lost+" A_HETU, "/desk");
    const char *page = desk_page(fx, LANG_EN);
    assert_non_null(strstr(page, "<a href=\"#reason\">"));
    assert_non_null(strstr(page, i18n_text(LANG_EN, "page.desk.err.identity")));

    /* without the form's token: refused, nothing stored, not even the refusal */
    struct fake f = {.cookies = {{SESSION_COOKIE, fx->session}}};
    struct request r;
    handout_key(fx, key, sizeof key);
    snprintf(fields, sizeof fields, "card=D5&key=%s&" GOOD_FORM, key);
    run(fx, &r, "POST", "/desk/handout", &f, fields, LANG_FI);
    assert_int_equal(r.status, 403);
    request_release(&r);
    snprintf(fields, sizeof fields, "card=D5&renews=" A_HETU "&key=%s&" GOOD_FORM, key);
    run(fx, &r, "POST", "/desk/handout", &f, fields, LANG_FI);
    assert_int_equal(r.status, 400);
    assert_null(header_of(&r, "Location"));
    request_release(&r);
    struct card c;
    assert_int_equal(store_card_get(fx->s, "D5", &c), 0);
    assert_false(c.issued);
}

struct audit_last {
    struct audit_entry e;
    int n;
};

static int last_audit(void *ctx, const struct audit_entry *e)
{
    struct audit_last *l = ctx;
    l->e = *e;
    l->n++;
    return 0;
}

static int count_transfer(void *ctx, const struct transfer *t)
{
    *(struct transfer *)ctx = *t;
    return 0;
}

/* Cancel with its confirmation (R13), a request for more cards, a
 * transfer request (R3), each refusal in words. */
static void test_stock_tasks(void **state)
{
    struct fixture *fx = *state;
    post_to(fx, "/desk/cancel", "cancel_card=&reason=", "/desk");
    const char *page = desk_page(fx, LANG_FI);
    assert_non_null(strstr(page, "<a href=\"#cancel_card\">"));
    assert_non_null(strstr(page, "<a href=\"#reason\">"));

    post_to(fx, "/desk/cancel", "cancel_card=d7&reason=kadonnut", "/desk/cancel");
    struct request r;
    as_jakaja(fx, &r, "GET", "/desk/cancel", NULL, LANG_FI);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(body_of(&r), "D7"));
    assert_non_null(strstr(body_of(&r), "kadonnut"));
    assert_non_null(strstr(body_of(&r), "action=\"/desk/cancel/confirm\""));
    request_release(&r);
    struct card c;
    assert_int_equal(store_card_get(fx->s, "D7", &c), 0);
    assert_false(c.cancelled); /* not before the confirmation */
    post_to(fx, "/desk/cancel/confirm", "", "/desk");
    assert_int_equal(store_card_get(fx->s, "D7", &c), 0);
    assert_true(c.cancelled);
    assert_non_null(strstr(desk_page(fx, LANG_FI), "Kortti D7 on peruttu."));
    post_to(fx, "/desk/cancel/confirm", "", "/desk"); /* twice: nothing more */
    as_jakaja(fx, &r, "GET", "/desk/cancel", NULL, LANG_FI);
    assert_int_equal(r.status, 303);
    request_release(&r);
    post_to(fx, "/desk/cancel", "cancel_card=D7&reason=again", "/desk");
    assert_non_null(
        strstr(desk_page(fx, LANG_FI), i18n_text(LANG_FI, "page.desk.err.card_cancelled")));
    post_to(fx, "/desk/cancel", "cancel_card=N1&reason=x", "/desk");
    assert_non_null(
        strstr(desk_page(fx, LANG_FI), i18n_text(LANG_FI, "page.desk.err.card_not_here")));

    /* more cards: an audit entry the coordinator reads */
    post_to(fx, "/desk/more", "count=0", "/desk");
    assert_non_null(strstr(desk_page(fx, LANG_FI), "<a href=\"#count\">"));
    post_to(fx, "/desk/more", "count=40", "/desk");
    assert_non_null(strstr(desk_page(fx, LANG_FI), "Pyyntö 40 kortista"));
    struct actor nat = actor("nat", ROLE_NATIONAL, "");
    struct audit_last last = {0};
    assert_int_equal(store_audit_list(fx->s, &nat, NULL, last_audit, &last), 0);
    assert_string_equal(last.e.action, "stock.request");
    assert_string_equal(last.e.object, "unit:espoo-sote:40");

    /* a transfer request */
    post_to(fx, "/desk/transfer", "codes=D8+N1&to_unit=espoo-nuoriso", "/desk");
    page = desk_page(fx, LANG_EN);
    assert_non_null(strstr(page, "<a href=\"#codes\">"));
    assert_non_null(strstr(page, "(N1)"));
    post_to(fx, "/desk/transfer", "codes=&to_unit=", "/desk");
    page = desk_page(fx, LANG_EN);
    assert_non_null(strstr(page, "<a href=\"#codes\">"));
    assert_non_null(strstr(page, "<a href=\"#to_unit\">"));
    post_to(fx, "/desk/transfer", "codes=d8%2C+D6&to_unit=espoo-nuoriso", "/desk");
    page = desk_page(fx, LANG_EN);
    assert_non_null(strstr(page, "The transfer request has been sent to the coordinator: 2 cards"));
    assert_null(strstr(page, "<img src=x"));
    struct transfer t = {0};
    assert_int_equal(store_transfer_list(fx->s, &nat, TRANSFER_REQUESTED, count_transfer, &t), 0);
    assert_int_equal(t.count, 2);
    assert_string_equal(t.to_unit, "espoo-nuoriso");
    assert_string_equal(t.requested_by, "jakaja");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_desk_page),        cmocka_unit_test(test_handout_flow),
        cmocka_unit_test(test_handout_refusals), cmocka_unit_test(test_identity_refused),
        cmocka_unit_test(test_stock_tasks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
