/* The coordinator's users of the region: the list, a new user whose role
 * follows from where they work (a unit: distributor; a venue: venue staff;
 * the region: coordinator, R32), and disabling one after a confirmation —
 * nobody disables themselves. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "http/field.h"
#include "http/session.h"
#include "http/signin.h"
#include "util/strutil.h"
#include "web/coord.h"

#define USERS_MAX 2000

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

static const char *tr(const struct request *r, const char *key)
{
    return i18n_text(r->lang, key);
}

static const char *const role_keys[ROLE_COUNT] = {
    [ROLE_NATIONAL] = "page.role.national",
    [ROLE_COORDINATOR] = "page.role.coordinator",
    [ROLE_DISTRIBUTOR] = "page.role.distributor",
    [ROLE_VENUE] = "page.role.venue",
};

struct users {
    struct user list[USERS_MAX];
    size_t n;
};

static int add_user(void *ctx, const struct user *u)
{
    struct users *l = ctx;
    if (l->n < USERS_MAX)
        l->list[l->n++] = *u;
    return 0;
}

/* What the region holds, to name a user's place. */
struct places {
    struct coord_units units;
    struct coord_venues venues;
    struct region region;
};

static const char *place_name(const struct places *pl, const struct user *u)
{
    if (u->role == ROLE_COORDINATOR)
        return pl->region.name;
    for (size_t i = 0; u->role == ROLE_DISTRIBUTOR && i < pl->units.n; i++)
        if (strcmp(pl->units.list[i].id, u->scope) == 0)
            return pl->units.list[i].name;
    for (size_t i = 0; u->role == ROLE_VENUE && i < pl->venues.n; i++)
        if (strcmp(pl->venues.list[i].id, u->scope) == 0)
            return pl->venues.list[i].name;
    return u->scope;
}

static int load_places(struct request *r, struct places *pl)
{
    int rc;
    if ((rc = coord_units(r, &pl->units)) != 0 || (rc = coord_venues(r, &pl->venues)) != 0 ||
        (rc = store_region_get(r->store, r->actor.scope, &pl->region)) != 0)
        return rc;
    return 0;
}

struct user_view {
    const char *username, *place;
    const char *username_error, *password_error, *place_error;
};

static void user_row(struct page *p, const struct places *pl, const struct user *u)
{
    html_raw(&p->h, "<tr>");
    html_raw(&p->h, "<th scope=\"row\" class=\"code\">");
    html_text(&p->h, u->username);
    html_raw(&p->h, "</th>");
    net_td(p, t(p, role_keys[u->role]));
    net_td(p, place_name(pl, u));
    net_td(p, t(p, u->disabled ? "page.coord.users.disabled" : "page.coord.users.active"));
    html_raw(&p->h, "<td>");
    if (strcmp(u->username, p->r->actor.user) == 0) {
        html_text(&p->h, t(p, "page.coord.users.you"));
        html_raw(&p->h, "</td></tr>");
        return;
    }
    char href[120], label[300], id[120];
    const char *args[] = {u->username};
    html_raw(&p->h, "<div class=\"row-actions\">");
    if (!u->disabled) {
        snprintf(href, sizeof href, "/region/users/%s/disable", u->username);
        text_fill(label, sizeof label, t(p, "page.coord.users.disable_one"), args, 1);
        html_raw(&p->h, "<a");
        html_href(&p->h, "href", href);
        html_attr(&p->h, "aria-label", label);
        html_raw(&p->h, ">");
        html_text(&p->h, t(p, "page.coord.users.disable"));
        html_raw(&p->h, "</a>");
    } else {
        /* re-enabling takes nothing away: one button, no confirmation */
        snprintf(href, sizeof href, "/region/users/%s/enable", u->username);
        snprintf(id, sizeof id, "enable-%s", u->username);
        text_fill(label, sizeof label, t(p, "page.coord.users.enable_one"), args, 1);
        html_raw(&p->h, "<form method=\"post\" class=\"inline\"");
        html_attr(&p->h, "action", href);
        html_raw(&p->h, ">");
        page_csrf_field(p);
        html_raw(&p->h, "<button type=\"submit\"");
        html_attr(&p->h, "id", id);
        html_attr(&p->h, "aria-label", label);
        html_raw(&p->h, ">");
        html_text(&p->h, t(p, "page.coord.users.enable"));
        html_raw(&p->h, "</button></form>");
    }
    snprintf(href, sizeof href, "/region/users/%s/password", u->username);
    text_fill(label, sizeof label, t(p, "page.coord.users.password_one"), args, 1);
    html_raw(&p->h, "<a");
    html_href(&p->h, "href", href);
    html_attr(&p->h, "aria-label", label);
    html_raw(&p->h, ">");
    html_text(&p->h, t(p, "page.coord.users.password"));
    html_raw(&p->h, "</a></div>");
    html_raw(&p->h, "</td></tr>");
}

static int users_page(struct request *r, const struct user_view *v, int status)
{
    struct users *users = arena_alloc(&r->arena, sizeof *users);
    struct places *pl = arena_alloc(&r->arena, sizeof *pl);
    if (!users || !pl)
        return -ERR_INTERNAL;
    users->n = 0;
    int rc;
    if ((rc = load_places(r, pl)) != 0 ||
        (rc = store_user_list(r->store, &r->actor, add_user, users)) != 0)
        return rc;
    struct page p;
    page_begin(&p, r, tr(r, "page.coord.users.title"));
    net_nav(&p, "/region/users");
    page_heading(&p, t(&p, "page.coord.users.title"), t(&p, "page.coord.users.lead"));
    struct page_error e[3];
    size_t ne = 0;
    if (v->username_error)
        e[ne++] = (struct page_error){"username", v->username_error};
    if (v->password_error)
        e[ne++] = (struct page_error){"password", v->password_error};
    if (v->place_error)
        e[ne++] = (struct page_error){"place", v->place_error};
    page_error_summary(&p, e, ne);
    net_notice_show(&p);
    const char *cols[] = {t(&p, "page.coord.users.username"), t(&p, "page.coord.users.role"),
                          t(&p, "page.coord.users.place"), t(&p, "page.coord.users.status"),
                          t(&p, "page.coord.col.actions")};
    net_table(&p, "users", t(&p, "page.coord.users.caption"), cols, 5, 0);
    for (size_t i = 0; i < users->n; i++)
        user_row(&p, pl, &users->list[i]);
    net_table_end(&p);

    net_section(&p, "user-add", t(&p, "page.coord.user.add"));
    net_form(&p, "user-add-form", "/region/users", "narrow");
    page_input(&p, &(struct page_field){.id = "username",
                                        .label = t(&p, "page.coord.users.username"),
                                        .hint = t(&p, "page.coord.user.username.hint"),
                                        .value = v->username,
                                        .autocomplete = "off",
                                        .required = true,
                                        .error = v->username_error});
    page_input(&p, &(struct page_field){.id = "password",
                                        .label = t(&p, "page.coord.user.password"),
                                        .hint = t(&p, "page.coord.user.password.hint"),
                                        .type = "password",
                                        .autocomplete = "new-password",
                                        .required = true,
                                        .error = v->password_error});
    /* where they work decides the role (R32): one list of the region's places */
    size_t n = 0, cap = 2 + pl->units.n + pl->venues.n;
    struct net_option *o = arena_alloc(&r->arena, cap * sizeof *o);
    if (!o)
        return -ERR_INTERNAL;
    o[n++] = (struct net_option){"", t(&p, "page.coord.user.place.choose")};
    char text[400];
    const char *args[] = {pl->region.name};
    text_fill(text, sizeof text, t(&p, "page.coord.user.place.region"), args, 1);
    char value[ID_MAX + 16];
    snprintf(value, sizeof value, "region:%s", pl->region.id);
    o[n++] = (struct net_option){arena_strdup(&r->arena, value), arena_strdup(&r->arena, text)};
    for (size_t i = 0; i < pl->units.n; i++) {
        const char *ua[] = {pl->units.list[i].name};
        text_fill(text, sizeof text, t(&p, "page.coord.user.place.unit"), ua, 1);
        snprintf(value, sizeof value, "unit:%s", pl->units.list[i].id);
        o[n++] = (struct net_option){arena_strdup(&r->arena, value), arena_strdup(&r->arena, text)};
    }
    for (size_t i = 0; i < pl->venues.n; i++) {
        const char *va[] = {pl->venues.list[i].name};
        text_fill(text, sizeof text, t(&p, "page.coord.user.place.venue"), va, 1);
        snprintf(value, sizeof value, "venue:%s", pl->venues.list[i].id);
        o[n++] = (struct net_option){arena_strdup(&r->arena, value), arena_strdup(&r->arena, text)};
    }
    for (size_t i = 0; i < n; i++)
        if (!o[i].value || !o[i].label)
            return -ERR_INTERNAL;
    net_select(&p, "place", t(&p, "page.coord.user.place"), o, n, v->place, v->place_error);
    net_form_end(&p, "user-add-submit", "primary", t(&p, "page.coord.user.add"));
    net_section_end(&p);
    return page_end(&p, status);
}

int web_coord_users(struct request *r)
{
    return users_page(r, &(struct user_view){"", "", NULL, NULL, NULL}, 200);
}

/* "unit:ID" → distributor of unit ID, and so on, within the region. */
static bool read_place(struct request *r, const char *place, struct user *u)
{
    static const struct {
        const char *prefix;
        enum role role;
    } kinds[] = {
        {"region:", ROLE_COORDINATOR}, {"unit:", ROLE_DISTRIBUTOR}, {"venue:", ROLE_VENUE}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t len = strlen(kinds[i].prefix);
        if (strncmp(place, kinds[i].prefix, len) != 0 || !str_is_slug(place + len, ID_MAX))
            continue;
        const char *id = place + len;
        u->role = kinds[i].role;
        str_copy(u->scope, sizeof u->scope, id);
        if (u->role == ROLE_COORDINATOR)
            return strcmp(id, r->actor.scope) == 0;
        if (u->role == ROLE_DISTRIBUTOR) {
            struct unit un;
            return store_unit_get(r->store, id, &un) == 0 && strcmp(un.region, r->actor.scope) == 0;
        }
        struct venue ve;
        return store_venue_get(r->store, id, &ve) == 0 && strcmp(ve.region, r->actor.scope) == 0;
    }
    return false;
}

int web_coord_user_add(struct request *r)
{
    struct user_view v = {0};
    const char *password = "";
    int rc;
    if ((rc = net_field(r, "username", 200, &v.username)) != 0 ||
        (rc = net_field(r, "password", PASSWORD_MAX_LEN, &password)) != 0 ||
        (rc = net_field(r, "place", 200, &v.place)) != 0)
        return rc;
    struct user u = {0};
    if (username_check(v.username, NULL) != 0)
        v.username_error = tr(r, "page.coord.err.username");
    if (!secret_password_acceptable(password))
        v.password_error = tr(r, "page.coord.err.password");
    if (!read_place(r, v.place, &u))
        v.place_error = tr(r, "page.coord.err.place");
    if (v.username_error || v.password_error || v.place_error)
        return users_page(r, &v, 422);
    str_copy(u.username, sizeof u.username, v.username);
    char hash[PASSWORD_HASH_MAX + 1];
    if ((rc = signin_hash_begin()) != 0)
        return rc;
    rc = secret_hash_password(password, hash);
    signin_hash_end();
    if (rc != 0)
        return -ERR_INTERNAL;
    rc = store_user_add(r->store, &r->actor, &u, hash);
    sodium_memzero(hash, sizeof hash);
    if (rc == -ERR_ALREADY_EXISTS) {
        char text[300];
        const char *args[] = {v.username};
        text_fill(text, sizeof text, tr(r, "page.coord.err.username_taken"), args, 1);
        v.username_error = arena_strdup(&r->arena, text);
        return users_page(r, &v, 422);
    }
    if (rc != 0)
        return rc;
    const char *args[] = {u.username, tr(r, role_keys[u.role])};
    return net_done(r, "/region/users", "page.coord.user.added", args, 2);
}

/* The user of the path, in the coordinator's region, not themselves. */
static int region_user(struct request *r, struct user *u, struct places *pl)
{
    const char *name = r->params[0];
    int rc;
    if (username_check(name, NULL) != 0 || store_user_get(r->store, name, u, NULL) != 0)
        return -ERR_NOT_FOUND;
    if ((rc = load_places(r, pl)) != 0)
        return rc;
    bool mine = (u->role == ROLE_COORDINATOR && strcmp(u->scope, r->actor.scope) == 0);
    for (size_t i = 0; !mine && u->role == ROLE_DISTRIBUTOR && i < pl->units.n; i++)
        mine = strcmp(pl->units.list[i].id, u->scope) == 0;
    for (size_t i = 0; !mine && u->role == ROLE_VENUE && i < pl->venues.n; i++)
        mine = strcmp(pl->venues.list[i].id, u->scope) == 0;
    if (!mine)
        return -ERR_NOT_FOUND;
    if (strcmp(u->username, r->actor.user) == 0)
        return req_fail(r, ERR_FORBIDDEN, "username"); /* nobody disables themselves */
    return 0;
}

int web_coord_user_disable_form(struct request *r)
{
    struct user u;
    struct places *pl = arena_alloc(&r->arena, sizeof *pl);
    if (!pl)
        return -ERR_INTERNAL;
    int rc = region_user(r, &u, pl);
    if (rc != 0)
        return rc;
    if (u.disabled)
        return web_redirect(r, "/region/users");
    struct page p;
    page_begin(&p, r, tr(r, "page.coord.disable.title"));
    net_nav(&p, "/region/users");
    page_heading(&p, t(&p, "page.coord.disable.title"), NULL);
    const char *args[] = {u.username, t(&p, role_keys[u.role]), place_name(pl, &u)};
    html_raw(&p.h, "<p class=\"lead\" id=\"disable-question\">");
    html_textf(&p.h, t(&p, "page.coord.disable.question"), args, 3);
    html_raw(&p.h, "</p>");
    char action[120];
    snprintf(action, sizeof action, "/region/users/%s/disable", u.username);
    net_form(&p, "disable-form", action, "confirm-form");
    html_raw(&p.h, "<button type=\"submit\" class=\"danger\" id=\"disable-confirm\" autofocus>");
    html_text(&p.h, t(&p, "page.coord.disable.confirm"));
    html_raw(&p.h, "</button> <a class=\"button\" href=\"/region/users\" id=\"disable-keep\">");
    html_text(&p.h, t(&p, "page.coord.disable.keep"));
    html_raw(&p.h, "</a></form>");
    return page_end(&p, 200);
}

int web_coord_user_disable(struct request *r)
{
    struct user u;
    struct places *pl = arena_alloc(&r->arena, sizeof *pl);
    if (!pl)
        return -ERR_INTERNAL;
    int rc = region_user(r, &u, pl);
    if (rc != 0)
        return rc;
    if ((rc = store_user_disable(r->store, &r->actor, u.username)) != 0)
        return rc;
    session_forget_all();
    const char *args[] = {u.username};
    return net_done(r, "/region/users", "page.coord.disable.done", args, 1);
}

/* ---- re-enabling and a new password (store_user_enable, store_user_set_password) ---- */

/* The user of the path, when the coordinator may manage them: in the
 * region (R32) and not themselves. */
static int manageable(struct request *r, struct user *u)
{
    const char *name = r->params[0];
    if (username_check(name, NULL) != 0)
        return -ERR_NOT_FOUND;
    int rc = store_user_manageable(r->store, &r->actor, name, u);
    if (rc == -ERR_FORBIDDEN && strcmp(name, r->actor.user) != 0)
        return -ERR_NOT_FOUND; /* another region's user: not there for this one */
    return rc;
}

int web_coord_user_enable(struct request *r)
{
    struct user u;
    int rc;
    if ((rc = manageable(r, &u)) != 0 ||
        (rc = store_user_enable(r->store, &r->actor, u.username)) != 0)
        return rc;
    session_forget_all();
    const char *args[] = {u.username};
    return net_done(r, "/region/users", "page.coord.enable.done", args, 1);
}

struct password_view {
    const char *new_error, *again_error;
};

static int password_page(struct request *r, const struct user *u, const struct password_view *v,
                         int status)
{
    char title[300];
    const char *args[] = {u->username};
    text_fill(title, sizeof title, tr(r, "page.coord.password.title"), args, 1);
    struct page p;
    page_begin(&p, r, title);
    net_nav(&p, "/region/users");
    page_heading(&p, title, t(&p, "page.coord.password.lead"));
    struct page_error e[2];
    size_t ne = 0;
    if (v->new_error)
        e[ne++] = (struct page_error){"new", v->new_error};
    if (v->again_error)
        e[ne++] = (struct page_error){"again", v->again_error};
    page_error_summary(&p, e, ne);
    char action[120];
    snprintf(action, sizeof action, "/region/users/%s/password", u->username);
    net_form(&p, "user-password-form", action, "narrow");
    page_input(&p, &(struct page_field){.id = "new",
                                        .label = t(&p, "page.coord.user.password"),
                                        .hint = t(&p, "page.coord.user.password.hint"),
                                        .type = "password",
                                        .autocomplete = "new-password",
                                        .required = true,
                                        .autofocus = true,
                                        .error = v->new_error});
    page_input(&p, &(struct page_field){.id = "again",
                                        .label = t(&p, "page.coord.password.again"),
                                        .type = "password",
                                        .autocomplete = "new-password",
                                        .required = true,
                                        .error = v->again_error});
    net_form_end(&p, "user-password-submit", "primary", t(&p, "page.coord.password.submit"));
    html_raw(&p.h, "<p class=\"back\"><a href=\"/region/users\">");
    html_text(&p.h, t(&p, "page.coord.back"));
    html_raw(&p.h, "</a></p>");
    return page_end(&p, status);
}

int web_coord_user_password_form(struct request *r)
{
    struct user u;
    int rc = manageable(r, &u);
    if (rc != 0)
        return rc;
    return password_page(r, &u, &(struct password_view){0}, 200);
}

/* POST /region/users/{username}/password: the user's sessions end. */
int web_coord_user_password(struct request *r)
{
    struct user u;
    const char *new_pw = "", *again = "";
    int rc;
    if ((rc = manageable(r, &u)) != 0 ||
        (rc = net_field(r, "new", PASSWORD_MAX_LEN, &new_pw)) != 0 ||
        (rc = net_field(r, "again", PASSWORD_MAX_LEN, &again)) != 0)
        return rc;
    struct password_view v = {0};
    if (!secret_password_acceptable(new_pw))
        v.new_error = tr(r, "page.coord.err.password");
    else if (strcmp(new_pw, again) != 0)
        v.again_error = tr(r, "page.coord.password.mismatch");
    if (v.new_error || v.again_error)
        return password_page(r, &u, &v, 422);
    char hash[PASSWORD_HASH_MAX + 1];
    if ((rc = signin_hash_begin()) != 0)
        return rc;
    rc = secret_hash_password(new_pw, hash);
    signin_hash_end();
    if (rc != 0)
        return -ERR_INTERNAL;
    rc = store_user_set_password(r->store, &r->actor, u.username, hash, NULL);
    sodium_memzero(hash, sizeof hash);
    if (rc != 0)
        return rc;
    session_forget_all();
    const char *args[] = {u.username};
    return net_done(r, "/region/users", "page.coord.password.done", args, 1);
}
