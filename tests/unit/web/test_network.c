/* The coordinator's and the national pages through the whole pipeline
 * (http_handle) on a real store, without a socket: every page in each
 * language with hostile names inert and no inline style; who may see
 * which; units, users, stock as ranges all or nothing (R3), transfers
 * approved (R3), a user disabled after a confirmation and nobody
 * disabling themselves; the reports as downloads (R29, R30); a pilot ended
 * (R5); the audit log filtered (R34); charts with a title and a table. */
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
#include "util/secret.h"
#include "util/strutil.h"
#include "web/web.h"

#define PASSWORD       "network-pages-password"
#define HOSTILE_UNIT   "Sote <script>alert(1)</script>"
#define HOSTILE_VENUE  "\"><img src=x onerror=alert(2)> 'Hilla'"
#define HOSTILE_REGION "Espoo <svg onload=alert(3)>"

static const struct site *const all[] = {&api_health_site, &api_site, &web_site};
static const struct site_list sites = {all, ARRAY_LEN(all)};

struct fixture {
    char dir[256];
    struct store *s;
    char coord[SECRET_TOKEN_LEN + 1], coord_csrf[SECRET_TOKEN_LEN + 1];
    char nat[SECRET_TOKEN_LEN + 1], nat_csrf[SECRET_TOKEN_LEN + 1];
    char dist[SECRET_TOKEN_LEN + 1];
};

/* ---- a transport made of strings ---- */

struct fake {
    const char *headers[4][2];
    const char *cookies[2][2];
    const char *query[6][2];
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
    struct fake *f = ctx;
    for (size_t i = 0; i < ARRAY_LEN(f->query) && f->query[i][0]; i++)
        if (!each(arg, f->query[i][0], f->query[i][1]))
            return;
}

/* A request with the session's cookie; a body carries csrf first. The path
 * may hold a query "?a=1&b=2" (plain values only). */
static void run(struct fixture *fx, struct request *r, const char *session, const char *csrf,
                const char *method, const char *target, const char *fields, enum lang lang)
{
    static char path[300], query[300];
    struct fake f = {.cookies = {{SESSION_COOKIE, session}}};
    str_copy(path, sizeof path, target);
    char *q = strchr(path, '?');
    if (q) {
        *q = '\0';
        str_copy(query, sizeof query, q + 1);
        char *save = NULL;
        size_t n = 0;
        for (char *kv = strtok_r(query, "&", &save); kv && n < ARRAY_LEN(f.query);
             kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            if (eq)
                *eq = '\0';
            f.query[n][0] = kv;
            f.query[n++][1] = eq ? eq + 1 : "";
        }
    }
    static char body[4000];
    if (fields)
        snprintf(body, sizeof body, "csrf=%s%s%s", csrf, fields[0] ? "&" : "", fields);
    memset(r, 0, sizeof *r);
    r->store = fx->s;
    r->lang = lang;
    r->actor.now = (int64_t)time(NULL);
    str_copy(r->actor.address, sizeof r->actor.address, "192.0.2.9");
    const char *tags[] = {"fi", "sv", "en"};
    f.headers[0][0] = "Accept-Language";
    f.headers[0][1] = tags[lang];
    if (fields) {
        f.headers[1][0] = "Content-Type";
        f.headers[1][1] = "application/x-www-form-urlencoded";
    }
    const struct http_input in = {.method = method,
                                  .path = path,
                                  .body = fields ? body : NULL,
                                  .body_len = fields ? strlen(body) : 0,
                                  .header = fake_header,
                                  .cookie = fake_cookie,
                                  .query = fake_query,
                                  .ctx = &f};
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
    static char buf[600000];
    snprintf(buf, sizeof buf, "%.*s", (int)r->reply_len, r->reply ? r->reply : "");
    return buf;
}

/* A GET that must answer status; the page, in a static buffer. */
static const char *get(struct fixture *fx, const char *session, const char *path, int status,
                       enum lang lang)
{
    struct request r;
    run(fx, &r, session, NULL, "GET", path, NULL, lang);
    if (r.status != status)
        fail_msg("GET %s: %d, not %d", path, r.status, status);
    const char *page = body_of(&r);
    request_release(&r);
    return page;
}

/* A post as the coordinator (or national) that must answer status. */
static const char *post(struct fixture *fx, bool national, const char *path, const char *fields,
                        int status)
{
    struct request r;
    run(fx, &r, national ? fx->nat : fx->coord, national ? fx->nat_csrf : fx->coord_csrf, "POST",
        path, fields, LANG_FI);
    if (r.status != status)
        fail_msg("POST %s: %d, not %d: %.300s", path, r.status, status, body_of(&r));
    const char *page = body_of(&r);
    request_release(&r);
    return page;
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
    const struct region espoo = {"espoo", HOSTILE_REGION, -1};
    const struct region kainuu = {"kainuu", "Kainuu", 21000};
    assert_int_equal(store_region_add(f.s, &nat, &espoo), 0);
    assert_int_equal(store_region_add(f.s, &nat, &kainuu), 0);
    const struct unit sote = {"espoo-sote", "espoo", HOSTILE_UNIT};
    const struct unit nuoriso = {"espoo-nuoriso", "espoo", "Nuoriso"};
    const struct unit kajaani = {"kainuu-kajaani", "kainuu", "Kajaani"};
    assert_int_equal(store_unit_add(f.s, &nat, &sote), 0);
    assert_int_equal(store_unit_add(f.s, &nat, &nuoriso), 0);
    assert_int_equal(store_unit_add(f.s, &nat, &kajaani), 0);
    struct venue hilla = {"hilla", "espoo", HOSTILE_VENUE, CAT_THEATRE, "<b>ramp</b>", true,
                          "",      ""};
    assert_int_equal(store_venue_add(f.s, &nat, &hilla), 0);
    char hash[SECRET_HASH_MAX + 1];
    assert_int_equal(secret_hash_password(PASSWORD, hash), 0);
    const struct user users[] = {{"nat", ROLE_NATIONAL, "", false},
                                 {"koord", ROLE_COORDINATOR, "espoo", false},
                                 {"jakaja", ROLE_DISTRIBUTOR, "espoo-sote", false},
                                 {"kassa", ROLE_VENUE, "hilla", false},
                                 {"koord-kainuu", ROLE_COORDINATOR, "kainuu", false}};
    for (size_t i = 0; i < ARRAY_LEN(users); i++)
        assert_int_equal(store_user_add(f.s, &nat, &users[i], hash), 0);
    char codes[3][CODE_MAX + 1] = {"S1", "S2", "S3"};
    assert_int_equal(store_stock_add(f.s, &nat, "espoo-sote", CARD_PERSONAL,
                                     (const char(*)[CODE_MAX + 1]) codes, 3, NULL),
                     0);
    char elsewhere[1][CODE_MAX + 1] = {"K7"};
    assert_int_equal(store_stock_add(f.s, &nat, "kainuu-kajaani", CARD_PERSONAL,
                                     (const char(*)[CODE_MAX + 1]) elsewhere, 1, NULL),
                     0);
    session_for(&f, "koord", f.coord);
    session_csrf(f.coord, f.coord_csrf);
    session_for(&f, "nat", f.nat);
    session_csrf(f.nat, f.nat_csrf);
    session_for(&f, "jakaja", f.dist);
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

static int count_card(void *ctx, const struct card *c)
{
    (void)c;
    (*(int *)ctx)++;
    return 0;
}

static int stock_of(struct fixture *fx, const char *unit)
{
    struct actor nat = actor("nat", ROLE_NATIONAL, "");
    int n = 0;
    assert_int_equal(store_stock_list(fx->s, &nat, unit, count_card, &n), 0);
    return n;
}

/* Nothing of the hostile names as markup, and no inline style. */
static void inert(const char *page)
{
    assert_null(strstr(page, "<script>alert"));
    assert_null(strstr(page, "<img src=x"));
    assert_null(strstr(page, "<svg onload"));
    assert_null(strstr(page, "<b>ramp"));
    assert_null(strstr(page, " style="));
    assert_null(strstr(page, "<style"));
}

/* ---- the tests ---- */

/* Every page in each language, for its role only (R32). */
static void test_pages_and_roles(void **state)
{
    struct fixture *fx = *state;
    static const char *const coord_pages[] = {
        "/region",       "/region/units",   "/region/venues",          "/region/users",
        "/region/stock", "/region/reports", "/region/units/espoo-sote"};
    static const char *const national_pages[] = {"/national", "/national/popups", "/national/audit",
                                                 "/national/stats", "/national/regions/espoo"};
    static const char *const langs[] = {"lang=\"fi\"", "lang=\"sv\"", "lang=\"en\""};
    for (int l = 0; l < LANG_COUNT; l++) {
        for (size_t i = 0; i < ARRAY_LEN(coord_pages); i++) {
            const char *page = get(fx, fx->coord, coord_pages[i], 200, (enum lang)l);
            assert_non_null(strstr(page, langs[l]));
            assert_non_null(strstr(page, "id=\"net-nav\""));
            inert(page);
            get(fx, fx->nat, coord_pages[i], 403, (enum lang)l);
            get(fx, fx->dist, coord_pages[i], 403, (enum lang)l);
        }
        for (size_t i = 0; i < ARRAY_LEN(national_pages); i++) {
            const char *page = get(fx, fx->nat, national_pages[i], 200, (enum lang)l);
            assert_non_null(strstr(page, langs[l]));
            inert(page);
            get(fx, fx->coord, national_pages[i], 403, (enum lang)l);
        }
    }
    /* the hostile names are there, escaped */
    const char *page = get(fx, fx->coord, "/region/units", 200, LANG_FI);
    assert_non_null(strstr(page, "Sote &lt;script&gt;alert(1)&lt;/script&gt;"));
    page = get(fx, fx->coord, "/region/venues", 200, LANG_FI);
    assert_non_null(strstr(page, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    /* a unit of another region is not found from this one */
    get(fx, fx->coord, "/region/units/kainuu-kajaani", 404, LANG_FI);
    /* each role lands on its own start page */
    struct request r;
    run(fx, &r, fx->coord, NULL, "GET", "/start", NULL, LANG_FI);
    request_release(&r);
    assert_string_equal(web_start_path(ROLE_COORDINATOR), "/region");
    assert_string_equal(web_start_path(ROLE_NATIONAL), "/national");
}

/* The region at a glance: each chart an image with its title and
 * description, and the same figures as a table. */
static void test_glance_charts(void **state)
{
    struct fixture *fx = *state;
    const char *page = get(fx, fx->coord, "/region", 200, LANG_EN);
    assert_non_null(strstr(page, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
    assert_non_null(strstr(page, "aria-labelledby=\"chart-stock-title chart-stock-desc\""));
    assert_non_null(strstr(page, "<title id=\"chart-stock-title\">Codes left per unit</title>"));
    assert_non_null(strstr(page, "id=\"chart-stock-table\""));
    /* the figures: Sote holds 3 codes, Nuoriso none */
    assert_non_null(strstr(page, "<th scope=\"row\">Sote &lt;script&gt;alert(1)&lt;/script&gt;"
                                 "</th><td class=\"num\">3</td>"));
    assert_non_null(strstr(page, "<th scope=\"row\">Nuoriso</th><td class=\"num\">0</td>"));
    /* no use anywhere: the venue is listed as quiet this month */
    assert_non_null(strstr(page, "id=\"quiet-venues\"><li>&quot;&gt;&lt;img"));
}

/* Units: refusals in words next to the field, added, renamed. */
static void test_units(void **state)
{
    struct fixture *fx = *state;
    const char *page = post(fx, false, "/region/units", "id=Bad+Id&name=", 422);
    assert_non_null(strstr(page, "<a href=\"#id\">"));
    assert_non_null(strstr(page, "<a href=\"#name\">"));
    assert_non_null(strstr(page, "id=\"id-error\""));
    post(fx, false, "/region/units", "id=espoo-kirjasto&name=Kirjasto", 303);
    struct unit u;
    assert_int_equal(store_unit_get(fx->s, "espoo-kirjasto", &u), 0);
    assert_string_equal(u.region, "espoo"); /* the coordinator's own region */
    page = get(fx, fx->coord, "/region/units", 200, LANG_FI);
    assert_non_null(strstr(page, "Yksikkö Kirjasto on lisätty."));
    page = post(fx, false, "/region/units", "id=espoo-kirjasto&name=Toinen", 422);
    assert_non_null(strstr(page, "espoo-kirjasto on jo käytössä"));
    post(fx, false, "/region/units/espoo-kirjasto", "name=Kirjasto+ja+nuoriso", 303);
    assert_int_equal(store_unit_get(fx->s, "espoo-kirjasto", &u), 0);
    assert_string_equal(u.name, "Kirjasto ja nuoriso");
    post(fx, false, "/region/units/kainuu-kajaani", "name=X", 404);
    assert_int_equal(store_unit_get(fx->s, "kainuu-kajaani", &u), 0);
    assert_string_equal(u.name, "Kajaani");
}

/* A venue's name, category and R20 facts changed by its coordinator: each
 * refusal in words next to its field and nothing written; a venue of
 * another region not found. */
static void test_venue_edit_R20(void **state)
{
    struct fixture *fx = *state;
    const char *page = get(fx, fx->coord, "/region/venues", 200, LANG_EN);
    assert_non_null(strstr(page, "href=\"/region/venues/hilla\""));
    page = get(fx, fx->coord, "/region/venues/hilla", 200, LANG_EN);
    assert_non_null(strstr(page, "id=\"venue-edit-form\""));
    inert(page);
    /* an empty name and an unknown category: both named, nothing saved */
    page = post(fx, false, "/region/venues/hilla", "name=+&category=opera", 422);
    assert_non_null(strstr(page, "<a href=\"#name\">"));
    assert_non_null(strstr(page, "<a href=\"#category\">"));
    assert_non_null(strstr(page, "id=\"category-error\""));
    struct venue v;
    assert_int_equal(store_venue_get(fx->s, "hilla", &v), 0);
    assert_string_equal(v.name, HOSTILE_VENUE);
    post(fx, false, "/region/venues/hilla",
         "name=Teatteri+Hilla&category=music&accessibility=Luiska&accessibility_sv=Ramp"
         "&accessibility_en=&free_cloakroom=true",
         303);
    assert_int_equal(store_venue_get(fx->s, "hilla", &v), 0);
    assert_string_equal(v.name, "Teatteri Hilla");
    assert_int_equal(v.category, CAT_MUSIC);
    assert_string_equal(v.accessibility, "Luiska");
    assert_string_equal(v.accessibility_sv, "Ramp");
    assert_true(v.free_cloakroom);
    page = get(fx, fx->coord, "/region/venues", 200, LANG_FI);
    assert_non_null(strstr(page, "Kohteen Teatteri Hilla tiedot on tallennettu."));
    /* another region's venue is not found, and not changed */
    get(fx, fx->coord, "/region/venues/kainuu-nope", 404, LANG_FI);
    post(fx, false, "/region/venues/kainuu-nope", "name=X&category=music", 404);
    /* back as it was, for the tests after */
    post(fx, false, "/region/venues/hilla",
         "name=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(2)%3E+%27Hilla%27&category=theatre"
         "&accessibility=%3Cb%3Eramp%3C%2Fb%3E&free_cloakroom=true",
         303);
    assert_int_equal(store_venue_get(fx->s, "hilla", &v), 0);
    assert_string_equal(v.name, HOSTILE_VENUE);
    assert_int_equal(v.category, CAT_THEATRE);
}

/* R3: codes as ranges, all or nothing; a code of another region not named. */
static void test_stock_ranges_R3(void **state)
{
    struct fixture *fx = *state;
    post(fx, false, "/region/stock",
         "unit=espoo-nuoriso&kind=personal&codes=E100%E2%80%93E104%2C+e200", 303);
    assert_int_equal(stock_of(fx, "espoo-nuoriso"), 6);
    const char *page = get(fx, fx->coord, "/region/stock", 200, LANG_FI);
    assert_non_null(strstr(page, "6 koodia lisättiin yksikön Nuoriso varastoon."));
    /* E104 taken: nothing of the list is added */
    page =
        post(fx, false, "/region/stock", "unit=espoo-nuoriso&kind=personal&codes=E105-E110", 303);
    assert_int_equal(stock_of(fx, "espoo-nuoriso"), 12);
    page =
        post(fx, false, "/region/stock", "unit=espoo-nuoriso&kind=personal&codes=E111+E104", 422);
    assert_non_null(strstr(page, "E104"));
    assert_int_equal(stock_of(fx, "espoo-nuoriso"), 12);
    /* taken in another region: refused without naming it */
    page = post(fx, false, "/region/stock", "unit=espoo-nuoriso&kind=personal&codes=E112+K7", 422);
    assert_null(strstr(page, "K7 "));
    assert_non_null(strstr(page, "id=\"codes-error\""));
    assert_int_equal(stock_of(fx, "espoo-nuoriso"), 12);
    /* bad ranges and units in words */
    page = post(fx, false, "/region/stock", "unit=kainuu-kajaani&kind=personal&codes=E9-E1", 422);
    assert_non_null(strstr(page, "<a href=\"#unit\">"));
    assert_non_null(strstr(page, "<a href=\"#codes\">"));
    assert_non_null(strstr(page, "E9-E1"));
}

/* R3: a transfer requested by a distributor, approved on the page. */
static void test_transfer_approved_R3(void **state)
{
    struct fixture *fx = *state;
    struct actor dist = actor("jakaja", ROLE_DISTRIBUTOR, "espoo-sote");
    char codes[1][CODE_MAX + 1] = {"S3"};
    int64_t id = 0;
    assert_int_equal(store_transfer_request(fx->s, &dist, (const char(*)[CODE_MAX + 1]) codes, 1,
                                            "espoo-sote", "espoo-nuoriso", &id, NULL),
                     0);
    const char *page = get(fx, fx->coord, "/region/stock", 200, LANG_FI);
    char button[40];
    snprintf(button, sizeof button, "id=\"approve-%lld\"", (long long)id);
    assert_non_null(strstr(page, button));
    int before = stock_of(fx, "espoo-nuoriso");
    char path[80];
    snprintf(path, sizeof path, "/region/transfers/%lld/approve", (long long)id);
    post(fx, false, path, "", 303);
    assert_int_equal(stock_of(fx, "espoo-nuoriso"), before + 1);
    /* decided once: a second approval is refused in words */
    post(fx, false, path, "", 303);
    page = get(fx, fx->coord, "/region/stock", 200, LANG_FI);
    assert_non_null(strstr(page, "notice-error"));
}

/* Users: added with the role of where they work; disabled after a
 * confirmation; nobody disables themselves. */
static void test_users(void **state)
{
    struct fixture *fx = *state;
    const char *page = post(fx, false, "/region/users", "username=&password=short&place=", 422);
    assert_non_null(strstr(page, "<a href=\"#username\">"));
    assert_non_null(strstr(page, "<a href=\"#password\">"));
    assert_non_null(strstr(page, "<a href=\"#place\">"));
    /* a place of another region is no place of this one */
    page = post(fx, false, "/region/users",
                "username=uusi&password=long-enough-password&place=unit%3Akainuu-kajaani", 422);
    assert_non_null(strstr(page, "<a href=\"#place\">"));
    post(fx, false, "/region/users",
         "username=uusi&password=long-enough-password&place=unit%3Aespoo-nuoriso", 303);
    struct user u;
    assert_int_equal(store_user_get(fx->s, "uusi", &u, NULL), 0);
    assert_int_equal(u.role, ROLE_DISTRIBUTOR);
    assert_string_equal(u.scope, "espoo-nuoriso");
    page = get(fx, fx->coord, "/region/users/uusi/disable", 200, LANG_FI);
    assert_non_null(strstr(page, "id=\"disable-confirm\""));
    assert_int_equal(store_user_get(fx->s, "uusi", &u, NULL), 0);
    assert_false(u.disabled); /* asking is not doing */
    post(fx, false, "/region/users/uusi/disable", "", 303);
    assert_int_equal(store_user_get(fx->s, "uusi", &u, NULL), 0);
    assert_true(u.disabled);
    /* re-enabled, then a new password: the old one no longer works */
    page = get(fx, fx->coord, "/region/users", 200, LANG_FI);
    assert_non_null(strstr(page, "id=\"enable-uusi\""));
    post(fx, false, "/region/users/uusi/enable", "", 303);
    assert_int_equal(store_user_get(fx->s, "uusi", &u, NULL), 0);
    assert_false(u.disabled);
    page = post(fx, false, "/region/users/uusi/password", "new=another-password-1&again=x", 422);
    assert_non_null(strstr(page, "<a href=\"#again\">"));
    char before[SECRET_HASH_MAX + 1], after[SECRET_HASH_MAX + 1];
    assert_int_equal(store_user_get(fx->s, "uusi", &u, before), 0);
    post(fx, false, "/region/users/uusi/password",
         "new=another-password-1&again=another-password-1", 303);
    assert_int_equal(store_user_get(fx->s, "uusi", &u, after), 0);
    assert_string_not_equal(before, after);
    assert_true(secret_verify_password(after, "another-password-1"));
    get(fx, fx->coord, "/region/users/koord/password", 403, LANG_FI);
    get(fx, fx->coord, "/region/users/koord-kainuu/password", 404, LANG_FI);
    get(fx, fx->coord, "/region/users/koord/disable", 403, LANG_FI);
    post(fx, false, "/region/users/koord/disable", "", 403);
    post(fx, false, "/region/users/koord-kainuu/disable", "", 404);
    assert_int_equal(store_user_get(fx->s, "koord-kainuu", &u, NULL), 0);
    assert_false(u.disabled);
}

/* R29, R30: the reports as downloads of the pipeline. */
static void test_report_downloads_R29_R30(void **state)
{
    struct fixture *fx = *state;
    struct request r;
    run(fx, &r, fx->coord, NULL, "GET", "/region/reports/venue/csv?venue=hilla", NULL, LANG_EN);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(header_of(&r, "Content-Disposition"), "attachment; filename=\"venue"));
    assert_non_null(strstr(body_of(&r), "Total"));
    request_release(&r);
    run(fx, &r, fx->coord, NULL, "GET", "/region/reports/cardholders/xlsx", NULL, LANG_FI);
    assert_int_equal(r.status, 200);
    assert_true(r.reply_len > 4 && memcmp(r.reply, "PK", 2) == 0); /* a ZIP: XLSX */
    request_release(&r);
    /* R31's statistics of the region (issue 16): its own only */
    run(fx, &r, fx->coord, NULL, "GET", "/region/reports/statistics/csv", NULL, LANG_EN);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(header_of(&r, "Content-Disposition"), "filename=\"statistics-"));
    assert_non_null(strstr(body_of(&r), "uses_sports"));
    request_release(&r);
    get(fx, fx->coord, "/region/reports/statistics/pdf", 404, LANG_FI);
    get(fx, fx->coord, "/region/reports/cardholders/pdf", 404, LANG_FI);
    get(fx, fx->coord, "/region/reports?venue=nowhere", 404, LANG_FI);
    const char *page = get(fx, fx->coord, "/region/reports?venue=hilla", 200, LANG_FI);
    assert_non_null(strstr(page, "id=\"cardholders-downloads\""));
    assert_non_null(strstr(page, "id=\"venue-downloads\""));
    assert_non_null(strstr(page, "id=\"chart-region-domains-table\""));
    assert_non_null(strstr(page, "id=\"stats-downloads\""));
    assert_non_null(strstr(page, "Käynnit: kulttuuri"));
}

/* R5: a pilot changed, then ended; R34: the change in the audit log. */
static void test_pilot_and_audit_R5_R34(void **state)
{
    struct fixture *fx = *state;
    const char *page =
        post(fx, true, "/national/regions/kainuu", "name=Kainuu&pilot_ends_on=31.12.2030", 422);
    assert_non_null(strstr(page, "id=\"pilot_ends_on-error\""));
    post(fx, true, "/national/regions/kainuu", "name=Kainuun+maakunta&pilot_ends_on=2030-12-31",
         303);
    struct region g;
    assert_int_equal(store_region_get(fx->s, "kainuu", &g), 0);
    assert_string_equal(g.name, "Kainuun maakunta");
    assert_int_equal(g.pilot_ends_on, 22279); /* 2030-12-31 */
    post(fx, true, "/national/regions/kainuu", "end_pilot=true", 303);
    assert_int_equal(store_region_get(fx->s, "kainuu", &g), 0);
    assert_int_equal(g.pilot_ends_on, -1);
    assert_string_equal(g.name, "Kainuun maakunta");
    page = get(fx, fx->nat, "/national/audit?action=region.pilot", 200, LANG_EN);
    assert_non_null(strstr(page, "region:kainuu"));
    assert_null(strstr(page, "unit.add"));
    page = get(fx, fx->nat, "/national/audit?user=koord&action=unit.", 200, LANG_EN);
    assert_non_null(strstr(page, "unit:espoo-kirjasto"));
    assert_null(strstr(page, "region:kainuu"));
    get(fx, fx->nat, "/national/audit?user=%3Cx%3E", 400, LANG_EN);
    /* R22: a pop-up venue belongs to no region */
    post(fx, true, "/national/popups", "id=kiertue&name=Kiert%C3%A4v%C3%A4&category=festival", 303);
    struct venue v;
    assert_int_equal(store_venue_get(fx->s, "kiertue", &v), 0);
    assert_string_equal(v.region, "");
    page = get(fx, fx->nat, "/national/stats", 200, LANG_FI);
    assert_non_null(strstr(page, "id=\"chart-handed-table\""));
    assert_non_null(strstr(page, "id=\"stats-table\""));
    /* R31's statistics report: the uses by domain, the figures in words */
    assert_non_null(strstr(page, "id=\"chart-domains-table\""));
    assert_non_null(strstr(page, "Käynnit: liikunta"));
    assert_null(strstr(page, "uses_sports"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_and_roles),
        cmocka_unit_test(test_glance_charts),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_venue_edit_R20),
        cmocka_unit_test(test_stock_ranges_R3),
        cmocka_unit_test(test_transfer_approved_R3),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_report_downloads_R29_R30),
        cmocka_unit_test(test_pilot_and_audit_R5_R34),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
