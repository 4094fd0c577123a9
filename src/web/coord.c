/* The coordinator's pages of the region's network: its units, venues and
 * users — lists, a form to add each, a unit's new name, a venue's name,
 * category and R20 facts, and a user disabled after a confirmation (nobody
 * disables themselves). A refused
 * form comes back at once with the words next to its fields (422); a
 * change done redirects to its list with a notice (post/redirect/get). */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "http/field.h"
#include "util/strutil.h"
#include "web/coord.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_COORD_KEYS(X)              \
    X("page.coord.col.name")           \
    X("page.coord.col.id")             \
    X("page.coord.col.actions")        \
    X("page.coord.edit")               \
    X("page.coord.save")               \
    X("page.coord.back")               \
    X("page.coord.yes")                \
    X("page.coord.no")                 \
    X("page.coord.field.id")           \
    X("page.coord.field.id.hint")      \
    X("page.coord.field.name")         \
    X("page.coord.err.id")             \
    X("page.coord.err.id_taken")       \
    X("page.coord.err.name")           \
    X("page.coord.err.category")       \
    X("page.coord.units.title")        \
    X("page.coord.units.lead")         \
    X("page.coord.units.caption")      \
    X("page.coord.units.stock")        \
    X("page.coord.unit.add")           \
    X("page.coord.unit.added")         \
    X("page.coord.unit.edit")          \
    X("page.coord.unit.renamed")       \
    X("page.coord.venues.title")       \
    X("page.coord.venues.lead")        \
    X("page.coord.venues.caption")     \
    X("page.coord.venues.category")    \
    X("page.coord.venues.cloakroom")   \
    X("page.coord.venue.add")          \
    X("page.coord.venue.added")        \
    X("page.coord.venue.edit")         \
    X("page.coord.venue.saved")        \
    X("page.coord.venue.access")       \
    X("page.coord.venue.access.hint")  \
    X("page.coord.venue.cloakroom")    \
    X("page.coord.users.title")        \
    X("page.coord.users.lead")         \
    X("page.coord.users.caption")      \
    X("page.coord.users.username")     \
    X("page.coord.users.role")         \
    X("page.coord.users.place")        \
    X("page.coord.users.status")       \
    X("page.coord.users.active")       \
    X("page.coord.users.disabled")     \
    X("page.coord.users.you")          \
    X("page.coord.users.disable")      \
    X("page.coord.users.disable_one")  \
    X("page.coord.user.add")           \
    X("page.coord.user.added")         \
    X("page.coord.user.username.hint") \
    X("page.coord.user.password")      \
    X("page.coord.user.password.hint") \
    X("page.coord.user.place")         \
    X("page.coord.user.place.choose")  \
    X("page.coord.user.place.region")  \
    X("page.coord.user.place.unit")    \
    X("page.coord.user.place.venue")   \
    X("page.coord.err.username")       \
    X("page.coord.err.username_taken") \
    X("page.coord.err.password")       \
    X("page.coord.err.place")          \
    X("page.coord.disable.title")      \
    X("page.coord.disable.question")   \
    X("page.coord.disable.confirm")    \
    X("page.coord.disable.keep")       \
    X("page.coord.disable.done")       \
    X("page.coord.users.enable")       \
    X("page.coord.users.enable_one")   \
    X("page.coord.users.password")     \
    X("page.coord.users.password_one") \
    X("page.coord.enable.done")        \
    X("page.coord.password.title")     \
    X("page.coord.password.lead")      \
    X("page.coord.password.again")     \
    X("page.coord.password.submit")    \
    X("page.coord.password.mismatch")  \
    X("page.coord.password.done")

#define KEY(k) k,
static const char *const coord_keys[] = {WEB_COORD_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_coord_keys = {coord_keys, ARRAY_LEN(coord_keys)};

#define UNITS_MAX  200
#define VENUES_MAX 400
#define USERS_MAX  1000

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

static const char *tr(const struct request *r, const char *key)
{
    return i18n_text(r->lang, key);
}

/* ---- what the region holds ---- */

int coord_units(struct request *r, struct coord_units *out)
{
    out->n = 0;
    return store_unit_list(r->store, &r->actor, r->actor.scope, coord_add_unit, out);
}

int coord_add_unit(void *ctx, const struct unit *u)
{
    struct coord_units *l = ctx;
    if (l->n < COORD_UNITS_MAX)
        l->list[l->n++] = *u;
    return 0;
}

int coord_add_venue(void *ctx, const struct venue *v)
{
    struct coord_venues *l = ctx;
    if (l->n < COORD_VENUES_MAX)
        l->list[l->n++] = *v;
    return 0;
}

int coord_venues(struct request *r, struct coord_venues *out)
{
    out->n = 0;
    return store_venue_list(r->store, r->actor.scope, coord_add_venue, out);
}

static int count_code(void *ctx, const struct card *c)
{
    (void)c;
    (*(int64_t *)ctx)++;
    return 0;
}

int64_t coord_stock_left(struct request *r, const char *unit)
{
    int64_t n = 0;
    if (store_stock_list(r->store, &r->actor, unit, count_code, &n) != 0)
        return -1;
    return n;
}

const char *coord_category(const struct page *p, enum venue_category c)
{
    char key[64];
    snprintf(key, sizeof key, "page.public.category.%s", name_of(&venue_category_names, (int)c));
    return i18n_text(p->lang, key);
}

/* ---- units ---- */

static size_t view_errors(const struct id_name_view *v, const char *extra_field,
                          const char *extra_error, struct page_error *e)
{
    size_t n = 0;
    if (v->id_error)
        e[n++] = (struct page_error){"id", v->id_error};
    if (v->name_error)
        e[n++] = (struct page_error){"name", v->name_error};
    if (extra_error)
        e[n++] = (struct page_error){extra_field, extra_error};
    return n;
}

static void id_name_fields(struct page *p, const struct id_name_view *v)
{
    page_input(p, &(struct page_field){.id = "id",
                                       .label = t(p, "page.coord.field.id"),
                                       .hint = t(p, "page.coord.field.id.hint"),
                                       .value = v->id,
                                       .autocomplete = "off",
                                       .required = true,
                                       .error = v->id_error});
    page_input(p, &(struct page_field){.id = "name",
                                       .label = t(p, "page.coord.field.name"),
                                       .value = v->name,
                                       .autocomplete = "off",
                                       .required = true,
                                       .error = v->name_error});
}

static int units_page(struct request *r, const struct id_name_view *v, int status)
{
    struct coord_units *units = arena_alloc(&r->arena, sizeof *units);
    if (!units)
        return -ERR_INTERNAL;
    int rc = coord_units(r, units);
    if (rc != 0)
        return rc;
    struct page p;
    page_begin(&p, r, tr(r, "page.coord.units.title"));
    net_nav(&p, "/region/units");
    page_heading(&p, t(&p, "page.coord.units.title"), t(&p, "page.coord.units.lead"));
    struct page_error e[3];
    page_error_summary(&p, e, view_errors(v, NULL, NULL, e));
    net_notice_show(&p);
    const char *cols[] = {t(&p, "page.coord.col.name"), t(&p, "page.coord.col.id"),
                          t(&p, "page.coord.units.stock"), t(&p, "page.coord.col.actions")};
    net_table(&p, "units", t(&p, "page.coord.units.caption"), cols, 4, 1u << 2);
    for (size_t i = 0; i < units->n; i++) {
        const struct unit *u = &units->list[i];
        html_raw(&p.h, "<tr>");
        net_th_row(&p, u->name);
        html_raw(&p.h, "<td class=\"code\">");
        html_text(&p.h, u->id);
        html_raw(&p.h, "</td>");
        net_td_int(&p, coord_stock_left(r, u->id));
        char href[96];
        snprintf(href, sizeof href, "/region/units/%s", u->id);
        net_td_edit(&p, href, "page.coord.unit.edit", u->name);
        html_raw(&p.h, "</tr>");
    }
    net_table_end(&p);
    net_section(&p, "unit-add", t(&p, "page.coord.unit.add"));
    net_form(&p, "unit-add-form", "/region/units", "narrow");
    id_name_fields(&p, v);
    net_form_end(&p, "unit-add-submit", "primary", t(&p, "page.coord.unit.add"));
    net_section_end(&p);
    return page_end(&p, status);
}

int web_coord_units(struct request *r)
{
    return units_page(r, &(struct id_name_view){"", "", NULL, NULL}, 200);
}

/* The id and name of a form, checked: the words of each fault. */
static int read_id_name(struct request *r, struct id_name_view *v, bool with_id)
{
    int rc;
    if ((with_id && (rc = net_field(r, "id", 200, &v->id)) != 0) ||
        (rc = net_field(r, "name", NAME_MAX_BYTES * 2, &v->name)) != 0)
        return rc;
    if (with_id && !str_is_slug(v->id, ID_MAX))
        v->id_error = tr(r, "page.coord.err.id");
    const char *trimmed = v->name + strspn(v->name, " \t");
    if (!trimmed[0] || strlen(v->name) > NAME_MAX_BYTES)
        v->name_error = tr(r, "page.coord.err.name");
    return 0;
}

static const char *taken(struct request *r, const char *id)
{
    char text[300];
    const char *args[] = {id};
    text_fill(text, sizeof text, tr(r, "page.coord.err.id_taken"), args, 1);
    return arena_strdup(&r->arena, text);
}

int web_coord_unit_add(struct request *r)
{
    struct id_name_view v = {0};
    int rc = read_id_name(r, &v, true);
    if (rc != 0)
        return rc;
    if (!v.id_error && !v.name_error) {
        struct unit u = {0};
        str_copy(u.id, sizeof u.id, v.id);
        str_copy(u.region, sizeof u.region, r->actor.scope);
        str_copy(u.name, sizeof u.name, v.name);
        rc = store_unit_add(r->store, &r->actor, &u);
        if (rc == 0) {
            const char *args[] = {u.name};
            return net_done(r, "/region/units", "page.coord.unit.added", args, 1);
        }
        if (rc != -ERR_ALREADY_EXISTS)
            return rc;
        v.id_error = taken(r, v.id);
    }
    return units_page(r, &v, 422);
}

static int unit_edit_page(struct request *r, const struct unit *u, const struct id_name_view *v,
                          int status)
{
    char title[300];
    const char *args[] = {u->name};
    text_fill(title, sizeof title, tr(r, "page.coord.unit.edit"), args, 1);
    struct page p;
    page_begin(&p, r, title);
    net_nav(&p, "/region/units");
    page_heading(&p, title, NULL);
    struct page_error e[3];
    page_error_summary(&p, e, view_errors(v, NULL, NULL, e));
    char action[96];
    snprintf(action, sizeof action, "/region/units/%s", u->id);
    net_form(&p, "unit-edit-form", action, "narrow");
    page_input(&p, &(struct page_field){.id = "name",
                                        .label = t(&p, "page.coord.field.name"),
                                        .value = v->name,
                                        .autocomplete = "off",
                                        .required = true,
                                        .autofocus = true,
                                        .error = v->name_error});
    net_form_end(&p, "unit-edit-submit", "primary", t(&p, "page.coord.save"));
    html_raw(&p.h, "<p class=\"back\"><a href=\"/region/units\">");
    html_text(&p.h, t(&p, "page.coord.back"));
    html_raw(&p.h, "</a></p>");
    return page_end(&p, status);
}

/* The unit of the path, in the coordinator's region; else not found. */
static int region_unit(struct request *r, struct unit *u)
{
    const char *id = r->params[0];
    if (!str_is_slug(id, ID_MAX) || store_unit_get(r->store, id, u) != 0 ||
        strcmp(u->region, r->actor.scope) != 0)
        return -ERR_NOT_FOUND;
    return 0;
}

int web_coord_unit_form(struct request *r)
{
    struct unit u;
    int rc = region_unit(r, &u);
    if (rc != 0)
        return rc;
    return unit_edit_page(r, &u, &(struct id_name_view){u.id, u.name, NULL, NULL}, 200);
}

int web_coord_unit_rename(struct request *r)
{
    struct unit u;
    struct id_name_view v = {0};
    int rc;
    if ((rc = region_unit(r, &u)) != 0 || (rc = read_id_name(r, &v, false)) != 0)
        return rc;
    v.id = u.id;
    if (v.name_error)
        return unit_edit_page(r, &u, &v, 422);
    if ((rc = store_unit_rename(r->store, &r->actor, u.id, v.name)) != 0)
        return rc;
    const char *args[] = {v.name};
    return net_done(r, "/region/units", "page.coord.unit.renamed", args, 1);
}

/* ---- venues ---- */

void coord_venue_fields(struct page *p, const struct venue_view *v)
{
    id_name_fields(p, &v->base);
    struct net_option cats[CAT_COUNT];
    for (int c = 0; c < CAT_COUNT; c++)
        cats[c] = (struct net_option){name_of(&venue_category_names, c),
                                      coord_category(p, (enum venue_category)c)};
    net_select(p, "category", t(p, "page.coord.venues.category"), cats, CAT_COUNT, v->category,
               v->category_error);
    net_textarea(p, "accessibility", t(p, "page.coord.venue.access"),
                 t(p, "page.coord.venue.access.hint"), v->access, NULL, 3);
    net_checkbox(p, "free_cloakroom", t(p, "page.coord.venue.cloakroom"), v->cloakroom);
}

size_t coord_venue_errors(const struct venue_view *v, struct page_error *e)
{
    return view_errors(&v->base, "category", v->category_error, e);
}

static int venues_page(struct request *r, const struct venue_view *v, int status)
{
    struct coord_venues *venues = arena_alloc(&r->arena, sizeof *venues);
    if (!venues)
        return -ERR_INTERNAL;
    int rc = coord_venues(r, venues);
    if (rc != 0)
        return rc;
    struct page p;
    page_begin(&p, r, tr(r, "page.coord.venues.title"));
    net_nav(&p, "/region/venues");
    page_heading(&p, t(&p, "page.coord.venues.title"), t(&p, "page.coord.venues.lead"));
    struct page_error e[3];
    page_error_summary(&p, e, coord_venue_errors(v, e));
    net_notice_show(&p);
    const char *cols[] = {t(&p, "page.coord.col.name"), t(&p, "page.coord.col.id"),
                          t(&p, "page.coord.venues.category"), t(&p, "page.coord.venues.cloakroom"),
                          t(&p, "page.coord.col.actions")};
    net_table(&p, "venues", t(&p, "page.coord.venues.caption"), cols, 5, 0);
    for (size_t i = 0; i < venues->n; i++) {
        const struct venue *ve = &venues->list[i];
        html_raw(&p.h, "<tr>");
        net_th_row(&p, ve->name);
        html_raw(&p.h, "<td class=\"code\">");
        html_text(&p.h, ve->id);
        html_raw(&p.h, "</td>");
        net_td(&p, coord_category(&p, ve->category));
        net_td(&p, t(&p, ve->free_cloakroom ? "page.coord.yes" : "page.coord.no"));
        char href[96];
        snprintf(href, sizeof href, "/region/venues/%s", ve->id);
        net_td_edit(&p, href, "page.coord.venue.edit", ve->name);
        html_raw(&p.h, "</tr>");
    }
    net_table_end(&p);
    net_section(&p, "venue-add", t(&p, "page.coord.venue.add"));
    net_form(&p, "venue-add-form", "/region/venues", "narrow");
    coord_venue_fields(&p, v);
    net_form_end(&p, "venue-add-submit", "primary", t(&p, "page.coord.venue.add"));
    net_section_end(&p);
    return page_end(&p, status);
}

int web_coord_venues(struct request *r)
{
    return venues_page(r, &(struct venue_view){{"", "", NULL, NULL}, "theatre", "", false, NULL},
                       200);
}

int coord_venue_add(struct request *r, const char *region, struct venue_view *v, struct venue *out)
{
    int rc;
    if ((rc = read_id_name(r, &v->base, true)) != 0 ||
        (rc = net_field(r, "category", 40, &v->category)) != 0 ||
        (rc = net_field(r, "accessibility", TEXT_MAX_BYTES, &v->access)) != 0 ||
        (rc = field_bool(r, "free_cloakroom", 0, &v->cloakroom)) < 0)
        return rc;
    int category = name_lookup(&venue_category_names, v->category);
    if (category < 0)
        v->category_error = tr(r, "page.coord.err.category");
    if (v->base.id_error || v->base.name_error || v->category_error)
        return 1;
    memset(out, 0, sizeof *out);
    str_copy(out->id, sizeof out->id, v->base.id);
    str_copy(out->region, sizeof out->region, region);
    str_copy(out->name, sizeof out->name, v->base.name);
    str_copy(out->accessibility, sizeof out->accessibility, v->access);
    out->category = (enum venue_category)category;
    out->free_cloakroom = v->cloakroom;
    rc = store_venue_add(r->store, &r->actor, out);
    if (rc == -ERR_ALREADY_EXISTS) {
        v->base.id_error = taken(r, v->base.id);
        return 1;
    }
    return rc;
}

int web_coord_venue_add(struct request *r)
{
    struct venue_view v = {0};
    struct venue ve;
    int rc = coord_venue_add(r, r->actor.scope, &v, &ve);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return venues_page(r, &v, 422);
    const char *args[] = {ve.name};
    return net_done(r, "/region/venues", "page.coord.venue.added", args, 1);
}

/* ---- a venue changed: its name and category (the coordinator's, not its
 * staff's) and its R20 facts, through the same store script as the API's
 * PATCH /api/v1/venues/{id} ---- */

enum { ACCESS_FI, ACCESS_SV, ACCESS_EN, ACCESS_COUNT };

static const char *const access_ids[ACCESS_COUNT] = {"accessibility", "accessibility_sv",
                                                     "accessibility_en"};
static const char *const access_labels[ACCESS_COUNT] = {
    "page.venue.details.access.fi", "page.venue.details.access.sv", "page.venue.details.access.en"};

/* The venue form as typed, with the words of each fault. */
struct venue_edit {
    const char *name, *category, *access[ACCESS_COUNT];
    bool cloakroom;
    const char *name_error, *category_error, *access_error[ACCESS_COUNT];
};

static int venue_edit_page(struct request *r, const struct venue *ve, const struct venue_edit *v,
                           int status)
{
    char title[300];
    const char *args[] = {ve->name};
    text_fill(title, sizeof title, tr(r, "page.coord.venue.edit"), args, 1);
    struct page p;
    page_begin(&p, r, title);
    net_nav(&p, "/region/venues");
    page_heading(&p, title, NULL);
    struct page_error e[2 + ACCESS_COUNT];
    size_t n = 0;
    if (v->name_error)
        e[n++] = (struct page_error){"name", v->name_error};
    if (v->category_error)
        e[n++] = (struct page_error){"category", v->category_error};
    for (int i = 0; i < ACCESS_COUNT; i++)
        if (v->access_error[i])
            e[n++] = (struct page_error){access_ids[i], v->access_error[i]};
    page_error_summary(&p, e, n);
    char action[96];
    snprintf(action, sizeof action, "/region/venues/%s", ve->id);
    net_form(&p, "venue-edit-form", action, "narrow");
    page_input(&p, &(struct page_field){.id = "name",
                                        .label = t(&p, "page.coord.field.name"),
                                        .value = v->name,
                                        .autocomplete = "off",
                                        .required = true,
                                        .error = v->name_error});
    struct net_option cats[CAT_COUNT];
    for (int c = 0; c < CAT_COUNT; c++)
        cats[c] = (struct net_option){name_of(&venue_category_names, c),
                                      coord_category(&p, (enum venue_category)c)};
    net_select(&p, "category", t(&p, "page.coord.venues.category"), cats, CAT_COUNT, v->category,
               v->category_error);
    html_raw(&p.h, "<fieldset><legend>");
    html_text(&p.h, t(&p, "page.venue.details.access"));
    html_raw(&p.h, "</legend>");
    for (int i = 0; i < ACCESS_COUNT; i++)
        net_textarea(&p, access_ids[i], t(&p, access_labels[i]),
                     i == ACCESS_FI ? t(&p, "page.coord.venue.access.hint") : NULL, v->access[i],
                     v->access_error[i], 3);
    html_raw(&p.h, "</fieldset>");
    net_checkbox(&p, "free_cloakroom", t(&p, "page.coord.venue.cloakroom"), v->cloakroom);
    net_form_end(&p, "venue-edit-submit", "primary", t(&p, "page.coord.save"));
    html_raw(&p.h, "<p class=\"back\"><a href=\"/region/venues\">");
    html_text(&p.h, t(&p, "page.coord.back"));
    html_raw(&p.h, "</a></p>");
    return page_end(&p, status);
}

/* The venue of the path, in the coordinator's region; else not found. */
static int region_venue(struct request *r, struct venue **out)
{
    const char *id = r->params[0];
    struct venue *v = arena_alloc(&r->arena, sizeof *v);
    if (!v)
        return -ERR_INTERNAL;
    if (!str_is_slug(id, ID_MAX) || store_venue_get(r->store, id, v) != 0 ||
        strcmp(v->region, r->actor.scope) != 0)
        return -ERR_NOT_FOUND;
    *out = v;
    return 0;
}

/* GET /region/venues/{id} */
int web_coord_venue_form(struct request *r)
{
    struct venue *ve;
    int rc = region_venue(r, &ve);
    if (rc != 0)
        return rc;
    const struct venue_edit v = {
        .name = ve->name,
        .category = name_of(&venue_category_names, (int)ve->category),
        .access = {ve->accessibility, ve->accessibility_sv, ve->accessibility_en},
        .cloakroom = ve->free_cloakroom,
    };
    return venue_edit_page(r, ve, &v, 200);
}

/* The form into v (as typed) and the patch; 0, 1 when a field is refused
 * (its words in v), or the reader's error. */
static int venue_edit_read(struct request *r, struct venue_edit *v, struct venue_patch *patch)
{
    int rc;
    if ((rc = net_field(r, "name", NAME_MAX_BYTES * 2, &v->name)) != 0 ||
        (rc = net_field(r, "category", 40, &v->category)) != 0 ||
        (rc = field_bool(r, "free_cloakroom", 0, &v->cloakroom)) < 0)
        return rc;
    for (int i = 0; i < ACCESS_COUNT; i++)
        if ((rc = net_field(r, access_ids[i], TEXT_MAX_BYTES * 2, &v->access[i])) != 0)
            return rc;
    const char *trimmed = v->name + strspn(v->name, " \t");
    if (!trimmed[0] || strlen(v->name) > NAME_MAX_BYTES)
        v->name_error = tr(r, "page.coord.err.name");
    int category = name_lookup(&venue_category_names, v->category);
    if (category < 0)
        v->category_error = tr(r, "page.coord.err.category");
    bool refused = v->name_error || v->category_error;
    for (int i = 0; i < ACCESS_COUNT; i++)
        if (strlen(v->access[i]) > TEXT_MAX_BYTES) {
            v->access_error[i] = tr(r, "page.venue.details.err.long");
            refused = true;
        }
    if (refused)
        return 1;
    memset(patch, 0, sizeof *patch);
    patch->set = VP_NAME | VP_CATEGORY | VP_ACCESSIBILITY | VP_ACCESSIBILITY_SV |
                 VP_ACCESSIBILITY_EN | VP_FREE_CLOAKROOM;
    str_copy(patch->v.name, sizeof patch->v.name, v->name);
    patch->v.category = (enum venue_category)category;
    str_copy(patch->v.accessibility, sizeof patch->v.accessibility, v->access[ACCESS_FI]);
    str_copy(patch->v.accessibility_sv, sizeof patch->v.accessibility_sv, v->access[ACCESS_SV]);
    str_copy(patch->v.accessibility_en, sizeof patch->v.accessibility_en, v->access[ACCESS_EN]);
    patch->v.free_cloakroom = v->cloakroom;
    return 0;
}

/* POST /region/venues/{id}: all or nothing (one write transaction). */
int web_coord_venue_save(struct request *r)
{
    struct venue *ve;
    struct venue_edit v = {0};
    struct venue_patch *patch = arena_alloc(&r->arena, sizeof *patch);
    if (!patch)
        return -ERR_INTERNAL;
    int rc = region_venue(r, &ve);
    if (rc != 0)
        return rc;
    if ((rc = venue_edit_read(r, &v, patch)) < 0)
        return rc;
    if (rc > 0)
        return venue_edit_page(r, ve, &v, 422);
    r->details = (struct error_details){0};
    rc = store_venue_update(r->store, &r->actor, ve->id, patch, NULL, &r->details);
    if (rc == -ERR_INVALID_REQUEST || rc == -ERR_IDENTITY_DATA_REFUSED) {
        /* the store's own check (R10, bounds): the words next to its field */
        const char *field = r->details.field ? r->details.field : "name";
        const char *words = tr(r, rc == -ERR_IDENTITY_DATA_REFUSED ? "page.venue.err.identity"
                                                                   : "page.coord.err.name");
        bool placed = false;
        for (int i = 0; i < ACCESS_COUNT; i++)
            if (strcmp(field, access_ids[i]) == 0) {
                v.access_error[i] =
                    rc == -ERR_IDENTITY_DATA_REFUSED ? words : tr(r, "page.venue.details.err.long");
                placed = true;
            }
        if (!placed)
            v.name_error = words;
        r->details = (struct error_details){0};
        return venue_edit_page(r, ve, &v, 422);
    }
    if (rc != 0)
        return rc;
    const char *args[] = {v.name};
    return net_done(r, "/region/venues", "page.coord.venue.saved", args, 1);
}
