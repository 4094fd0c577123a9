/* The venue's details (R20: accessibility in fi, sv and en, the free
 * cloakroom) and its API keys for its ticketing system (venue staff): create a
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
    X("page.venue.keys.err.limit")       \
    X("page.venue.details.title")        \
    X("page.venue.details.lead")         \
    X("page.venue.details.name")         \
    X("page.venue.details.category")     \
    X("page.venue.details.coordinator")  \
    X("page.venue.details.access")       \
    X("page.venue.details.access.hint")  \
    X("page.venue.details.access.fi")    \
    X("page.venue.details.access.sv")    \
    X("page.venue.details.access.en")    \
    X("page.venue.details.cloakroom")    \
    X("page.venue.details.save")         \
    X("page.venue.details.saved")        \
    X("page.venue.details.err.long")

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

/* ---- the venue's details (R20) ---- */

/* The venue's facts that its staff keep (R20): accessibility in fi, sv and
 * en, and whether the cloakroom is free for cardholders. The name and the
 * category are the coordinator's: shown, not editable here. */
enum detail_field { DT_ACCESS, DT_ACCESS_SV, DT_ACCESS_EN, DT_COUNT };

static const char *const detail_ids[DT_COUNT] = {"accessibility", "accessibility_sv",
                                                 "accessibility_en"};
static const char *const detail_labels[DT_COUNT] = {
    "page.venue.details.access.fi", "page.venue.details.access.sv", "page.venue.details.access.en"};

static int details_page(struct request *r, const struct venue *v, const char *const *errors,
                        int status, bool saved)
{
    static const char *const category_keys[CAT_COUNT] = {
        [CAT_THEATRE] = "page.public.category.theatre",
        [CAT_MUSIC] = "page.public.category.music",
        [CAT_MUSEUM] = "page.public.category.museum",
        [CAT_CINEMA] = "page.public.category.cinema",
        [CAT_FESTIVAL] = "page.public.category.festival",
        [CAT_DANCE] = "page.public.category.dance",
        [CAT_CIRCUS] = "page.public.category.circus",
        [CAT_LIBRARY] = "page.public.category.library",
        [CAT_ADULT_EDUCATION] = "page.public.category.adult_education",
        [CAT_SPORTS] = "page.public.category.sports",
        [CAT_SWIMMING] = "page.public.category.swimming",
        [CAT_OTHER] = "page.public.category.other",
    };
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.venue.details.title"));
    venue_heading(&p, i18n_text(p.lang, "page.venue.details.title"), "/venue/details");
    if (saved)
        page_notice(&p, "ok", i18n_text(p.lang, "page.venue.details.saved"), NULL);
    struct page_error errs[DT_COUNT];
    size_t n = 0;
    for (int i = 0; i < DT_COUNT; i++)
        if (errors && errors[i])
            errs[n++] = (struct page_error){detail_ids[i], errors[i]};
    page_error_summary(&p, errs, n);
    html_raw(&p.h, "<p class=\"lead\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.details.lead"));
    html_raw(&p.h, "</p><dl class=\"facts\" id=\"venue-facts\"><dt>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.details.name"));
    html_raw(&p.h, "</dt><dd>");
    html_text(&p.h, v->name);
    html_raw(&p.h, "</dd><dt>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.details.category"));
    html_raw(&p.h, "</dt><dd>");
    html_text(&p.h, i18n_text(p.lang, category_keys[v->category]));
    html_raw(&p.h, "</dd></dl><p>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.details.coordinator"));
    html_raw(&p.h, "</p><form method=\"post\" action=\"/venue/details\" id=\"details-form\" "
                   "novalidate>");
    page_csrf_field(&p);
    const char *values[DT_COUNT] = {v->accessibility, v->accessibility_sv, v->accessibility_en};
    html_raw(&p.h, "<fieldset><legend>");
    html_text(&p.h, i18n_text(p.lang, "page.venue.details.access"));
    html_raw(&p.h, "</legend>");
    for (int i = 0; i < DT_COUNT; i++)
        venue_textarea(&p, detail_ids[i], i18n_text(p.lang, detail_labels[i]),
                       i == 0 ? i18n_text(p.lang, "page.venue.details.access.hint") : NULL,
                       values[i], errors ? errors[i] : NULL);
    html_raw(&p.h, "</fieldset>");
    venue_checkbox(&p, "free_cloakroom", i18n_text(p.lang, "page.venue.details.cloakroom"),
                   v->free_cloakroom);
    html_raw(&p.h, "<button type=\"submit\" class=\"primary\" id=\"details-save\">");
    html_text(&p.h, i18n_text(p.lang, "page.venue.details.save"));
    html_raw(&p.h, "</button></form>");
    return page_end(&p, status);
}

#define DETAILS_FAMILY "venue-details"

/* GET /venue/details */
int web_venue_details(struct request *r)
{
    struct venue *v = arena_alloc(&r->arena, sizeof *v);
    if (!v)
        return -ERR_INTERNAL;
    int rc = store_venue_get(r->store, r->actor.scope, v);
    if (rc != 0)
        return rc;
    int saved = 0;
    web_state_load(r, DETAILS_FAMILY, &saved, sizeof saved);
    if (saved) {
        int quiet = 0;
        web_state_save(r, DETAILS_FAMILY, &quiet, sizeof quiet);
    }
    return details_page(r, v, NULL, 200, saved != 0);
}

/* The form's values into v (as typed, for the form shown again) and into
 * the patch; too long a text is an error next to its field. */
static int details_from_post(struct request *r, struct venue *v, struct venue_patch *patch,
                             const char **errors)
{
    char *dst[DT_COUNT] = {v->accessibility, v->accessibility_sv, v->accessibility_en};
    char *pdst[DT_COUNT] = {patch->v.accessibility, patch->v.accessibility_sv,
                            patch->v.accessibility_en};
    int n = 0;
    for (int i = 0; i < DT_COUNT; i++) {
        const char *s = venue_pair(r, detail_ids[i]);
        if (strlen(s) > TEXT_MAX_BYTES) {
            errors[i] = i18n_text(r->lang, "page.venue.details.err.long");
            dst[i][0] = '\0';
            n++;
            continue;
        }
        str_copy(dst[i], TEXT_MAX_BYTES + 1, s);
        str_copy(pdst[i], TEXT_MAX_BYTES + 1, s);
    }
    v->free_cloakroom = patch->v.free_cloakroom =
        strcmp(venue_pair(r, "free_cloakroom"), "on") == 0;
    patch->set = VP_ACCESSIBILITY | VP_ACCESSIBILITY_SV | VP_ACCESSIBILITY_EN | VP_FREE_CLOAKROOM;
    return n;
}

/* POST /venue/details */
int web_venue_details_save(struct request *r)
{
    struct venue *v = arena_alloc(&r->arena, sizeof *v);
    struct venue_patch *patch = arena_alloc(&r->arena, sizeof *patch);
    if (!v || !patch)
        return -ERR_INTERNAL;
    int rc = store_venue_get(r->store, r->actor.scope, v);
    if (rc != 0)
        return rc;
    const char *errors[DT_COUNT] = {0};
    if (details_from_post(r, v, patch, errors))
        return details_page(r, v, errors, 422, false);
    r->details = (struct error_details){0};
    rc = store_venue_update(r->store, &r->actor, v->id, patch, NULL, &r->details);
    if (rc == -ERR_IDENTITY_DATA_REFUSED || rc == -ERR_INVALID_REQUEST) {
        const char *field = r->details.field ? r->details.field : "";
        for (int i = 0; i < DT_COUNT; i++)
            if (strcmp(field, detail_ids[i]) == 0)
                errors[i] = i18n_text(r->lang, rc == -ERR_IDENTITY_DATA_REFUSED
                                                   ? "page.venue.err.identity"
                                                   : "page.venue.details.err.long");
        if (!errors[0] && !errors[1] && !errors[2])
            errors[0] = i18n_text(r->lang, "page.venue.err.identity");
        return details_page(r, v, errors, 422, false);
    }
    if (rc != 0)
        return rc;
    int saved = 1;
    web_state_save(r, DETAILS_FAMILY, &saved, sizeof saved);
    return web_redirect(r, "/venue/details");
}

/* The form reader refused identity data (R10) in the details form: the
 * form again, the refused text dropped, the words next to its field. */
bool web_venue_details_refused(struct request *r, int err)
{
    if (err != ERR_IDENTITY_DATA_REFUSED || !venue_refused_session(r))
        return false;
    const char *field = r->details.field ? r->details.field : "";
    struct venue *v = arena_alloc(&r->arena, sizeof *v);
    struct venue_patch *patch = arena_alloc(&r->arena, sizeof *patch);
    if (!v || !patch || store_venue_get(r->store, r->actor.scope, v) != 0)
        return false;
    const char *errors[DT_COUNT] = {0};
    details_from_post(r, v, patch, errors);
    memset(errors, 0, sizeof errors);
    char *dst[DT_COUNT] = {v->accessibility, v->accessibility_sv, v->accessibility_en};
    bool named = false;
    for (int i = 0; i < DT_COUNT; i++)
        if (strcmp(field, detail_ids[i]) == 0) {
            dst[i][0] = '\0';
            errors[i] = i18n_text(r->lang, "page.venue.err.identity");
            named = true;
        }
    if (!named)
        errors[0] = i18n_text(r->lang, "page.venue.err.identity");
    return details_page(r, v, errors, 422, false) == 0;
}
