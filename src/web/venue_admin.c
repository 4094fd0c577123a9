/* The venue's API keys for its ticketing system (venue staff): create a
 * key, shown once, clearly, with a warning that it cannot be shown again;
 * the list of keys by label and date; revoke with a confirmation. Only a
 * key's digest is stored (store_api_key_add); between the post that makes
 * a key and the page that shows it, the key is kept in the session's page
 * state (web/state.h) and wiped there once shown. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "http/session.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/state.h"
#include "web/venue.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_VENUE_ADMIN_KEYS(X)          \
    X("page.venue.keys.title")           \
    X("page.venue.keys.lead")            \
    X("page.venue.keys.list")            \
    X("page.venue.keys.none")            \
    X("page.venue.keys.col.label")       \
    X("page.venue.keys.col.created")     \
    X("page.venue.keys.col.action")      \
    X("page.venue.keys.new")             \
    X("page.venue.keys.label")           \
    X("page.venue.keys.label.hint")      \
    X("page.venue.keys.create")          \
    X("page.venue.keys.made")            \
    X("page.venue.keys.made.once")       \
    X("page.venue.keys.made.use")        \
    X("page.venue.keys.revoke")          \
    X("page.venue.keys.revoke.title")    \
    X("page.venue.keys.revoke.question") \
    X("page.venue.keys.revoke.confirm")  \
    X("page.venue.keys.revoke.cancel")   \
    X("page.venue.keys.revoked")         \
    X("page.venue.keys.err.label")       \
    X("page.venue.keys.err.limit")

#define KEY(k) k,
static const char *const admin_keys[] = {WEB_VENUE_ADMIN_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_venue_admin_keys = {admin_keys, ARRAY_LEN(admin_keys)};

enum key_outcome { KO_QUIET, KO_MADE, KO_REVOKED };

struct key_state {
    int outcome;
    char secret[SECRET_TOKEN_LEN + 1]; /* the key made, until shown */
    char label[NAME_MAX_BYTES + 1];
};

_Static_assert(sizeof(struct key_state) <= WEB_STATE_BYTES, "key state too large");

#define FAMILY "venue-keys"

/* ---- the list ---- */

struct key_list {
    struct page *p;
    int n;
};

static int key_row(void *ctx, const struct api_key *k)
{
    struct key_list *l = ctx;
    struct page *p = l->p;
    if (l->n++ == 0) {
        html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                        "aria-labelledby=\"keys-heading\"><table id=\"keys\"><thead><tr>");
        static const char *const cols[] = {"page.venue.keys.col.label",
                                           "page.venue.keys.col.created",
                                           "page.venue.keys.col.action"};
        for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
            html_raw(&p->h, "<th scope=\"col\">");
            html_text(&p->h, i18n_text(p->lang, cols[i]));
            html_raw(&p->h, "</th>");
        }
        html_raw(&p->h, "</tr></thead><tbody>");
    }
    char id[32], href[64];
    snprintf(id, sizeof id, "key-%lld", (long long)k->id);
    snprintf(href, sizeof href, "/venue/keys/%lld/revoke", (long long)k->id);
    html_raw(&p->h, "<tr");
    html_attr(&p->h, "id", id);
    html_raw(&p->h, "><td>");
    html_text(&p->h, k->label);
    html_raw(&p->h, "</td><td>");
    html_date(&p->h, p->lang, hki_day(k->created_at));
    html_raw(&p->h, "</td><td><a");
    html_href(&p->h, "href", href);
    html_raw(&p->h, ">");
    html_text(&p->h, i18n_text(p->lang, "page.venue.keys.revoke"));
    html_raw(&p->h, "<span class=\"visually-hidden\"> ");
    html_text(&p->h, k->label);
    html_raw(&p->h, "</span></a></td></tr>");
    return 0;
}

static int keys_page(struct request *r, const char *label, const char *error, int status)
{
    struct key_state st;
    web_state_load(r, FAMILY, &st, sizeof st);
    if (st.outcome != KO_QUIET) {
        struct key_state quiet = {0};
        web_state_save(r, FAMILY, &quiet, sizeof quiet);
    }
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.keys.title"));
    venue_heading(&p, i18n_text(p.lang, "page.venue.keys.title"), "/venue/keys");
    if (st.outcome == KO_MADE) {
        const char *args[] = {st.label};
        char heading[300];
        text_fill(heading, sizeof heading, i18n_text(p.lang, "page.venue.keys.made"), args, 1);
        html_raw(&p.h, "<div class=\"notice notice-warn key-once\" id=\"key-made\" role=\"status\">"
                       "<span class=\"icon\" aria-hidden=\"true\">!</span><div><p "
                       "class=\"notice-heading\">");
        html_text(&p.h, heading);
        html_raw(&p.h, "</p><p>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.keys.made.once"));
        html_raw(&p.h, "</p><p class=\"secret\"><code id=\"key-secret\">");
        html_text(&p.h, st.secret);
        html_raw(&p.h, "</code></p><p>");
        html_text(&p.h, i18n_text(p.lang, "page.venue.keys.made.use"));
        html_raw(&p.h, "</p></div></div>");
        sodium_memzero(st.secret, sizeof st.secret);
    } else if (st.outcome == KO_REVOKED)
        page_notice(&p, "ok", i18n_text(p.lang, "page.venue.keys.revoked"), NULL);
    if (error)
        page_error_summary(&p, &(struct page_error){"label", error}, 1);
    html_raw(&p.h, "<p class=\"lead\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.keys.lead"));
    html_raw(&p.h, "</p><h2 id=\"keys-heading\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.keys.list"));
    html_raw(&p.h, "</h2>");
    struct key_list l = {&p, 0};
    int rc = store_api_key_list(r->store, &r->actor, r->actor.scope, key_row, &l);
    if (rc < 0) {
        html_free(&p.h);
        return rc;
    }
    if (l.n)
        html_raw(&p.h, "</tbody></table></div>");
    else {
        html_raw(&p.h, "<p id=\"keys-none\">");
        html_text(&p.h, i18n_text(p.lang, "page.venue.keys.none"));
        html_raw(&p.h, "</p>");
    }
    html_raw(&p.h, "<h2>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.keys.new"));
    html_raw(&p.h, "</h2><form method=\"post\" action=\"/venue/keys\" id=\"key-form\" novalidate>");
    page_csrf_field(&p);
    venue_key_field(&p);
    page_input(&p, &(struct page_field){.id = "label",
                                        .label = i18n_text(p.lang, "page.venue.keys.label"),
                                        .hint = i18n_text(p.lang, "page.venue.keys.label.hint"),
                                        .value = label ? label : "",
                                        .error = error,
                                        .autocomplete = "off"});
    html_raw(&p.h, "<button type=\"submit\" class=\"primary\" id=\"key-create\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.keys.create"));
    html_raw(&p.h, "</button></form>");
    return page_end(&p, status);
}

/* GET /venue/keys */
int web_venue_keys_page(struct request *r)
{
    return keys_page(r, NULL, NULL, 200);
}

struct make_key {
    const char *label;
    char secret[SECRET_TOKEN_LEN + 1];
};

static int make_key(struct request *r, void *ctx, int64_t *id)
{
    struct make_key *m = ctx;
    uint8_t digest[SECRET_DIGEST_BYTES];
    secret_token(m->secret);
    secret_digest(m->secret, strlen(m->secret), digest);
    return store_api_key_add(r->store, &r->actor, r->actor.scope, m->label, digest, id);
}

/* POST /venue/keys: a new key, shown once on the page after. A form posted
 * twice makes one key (venue_once); the second post shows the list. */
int web_venue_key_create(struct request *r)
{
    const char *label = venue_pair(r, "label");
    if (!label[0] || strlen(label) > NAME_MAX_BYTES)
        return keys_page(r, strlen(label) > NAME_MAX_BYTES ? "" : label,
                         i18n_text(r->lang, "page.venue.keys.err.label"), 422);
    struct make_key m = {.label = label};
    int64_t id;
    bool replayed;
    int rc = venue_once(r, venue_pair(r, "key"), make_key, &m, &id, &replayed);
    if (rc == -ERR_API_KEY_LIMIT)
        return keys_page(r, label, i18n_text(r->lang, "page.venue.keys.err.limit"), 422);
    if (rc != 0)
        return rc;
    if (!replayed) {
        struct key_state st = {.outcome = KO_MADE};
        str_copy(st.secret, sizeof st.secret, m.secret);
        str_copy(st.label, sizeof st.label, label);
        web_state_save(r, FAMILY, &st, sizeof st);
        sodium_memzero(&st, sizeof st);
    }
    sodium_memzero(m.secret, sizeof m.secret);
    return web_redirect(r, "/venue/keys");
}

/* The R10 refusal of the form reader (a personal identity code typed as
 * a label): the form again with the words next to the field. */
bool web_venue_key_refused(struct request *r, int err)
{
    if (err != ERR_IDENTITY_DATA_REFUSED || !venue_refused_session(r))
        return false;
    return keys_page(r, "", i18n_text(r->lang, "page.venue.err.identity"), 422) == 0;
}

/* ---- revoke ---- */

struct find_key {
    int64_t id;
    struct api_key key;
    bool found;
};

static int match_key(void *ctx, const struct api_key *k)
{
    struct find_key *f = ctx;
    if (k->id == f->id) {
        f->key = *k;
        f->found = true;
        return 1;
    }
    return 0;
}

static int venue_key(struct request *r, struct api_key *out)
{
    struct find_key f = {0};
    if (str_to_i64(r->params[0], 1, INT64_MAX, &f.id) != 0)
        return -ERR_NOT_FOUND;
    int rc = store_api_key_list(r->store, &r->actor, r->actor.scope, match_key, &f);
    if (rc < 0)
        return rc;
    if (!f.found)
        return -ERR_NOT_FOUND;
    *out = f.key;
    return 0;
}

/* GET /venue/keys/{id}/revoke: the confirmation. */
int web_venue_key_revoke_form(struct request *r)
{
    struct api_key k;
    int rc = venue_key(r, &k);
    if (rc != 0)
        return rc;
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.keys.revoke.title"));
    page_heading(&p, i18n_text(p.lang, "page.venue.keys.revoke.title"), NULL);
    const char *args[] = {k.label};
    html_raw(&p.h, "<p class=\"lead\" id=\"revoke-question\">");
    html_textf(&p.h, i18n_text(p.lang, "page.venue.keys.revoke.question"), args, 1);
    html_raw(&p.h, "</p><form method=\"post\" id=\"revoke-form\"");
    char action[64];
    snprintf(action, sizeof action, "/venue/keys/%lld/revoke", (long long)k.id);
    html_href(&p.h, "action", action);
    html_raw(&p.h, ">");
    page_csrf_field(&p);
    html_raw(&p.h, "<button type=\"submit\" class=\"danger\" id=\"revoke-confirm\" autofocus>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.keys.revoke.confirm"));
    html_raw(&p.h, "</button> <a class=\"button\" id=\"revoke-cancel\" href=\"/venue/keys\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.keys.revoke.cancel"));
    html_raw(&p.h, "</a></form>");
    return page_end(&p, 200);
}

/* POST /venue/keys/{id}/revoke */
int web_venue_key_revoke(struct request *r)
{
    struct api_key k;
    int rc = venue_key(r, &k);
    if (rc != 0)
        return rc;
    if ((rc = store_api_key_revoke(r->store, &r->actor, r->actor.scope, k.id)) != 0)
        return rc;
    session_forget_all(); /* a cached key stops at once */
    struct key_state st = {.outcome = KO_REVOKED};
    web_state_save(r, FAMILY, &st, sizeof st);
    return web_redirect(r, "/venue/keys");
}
