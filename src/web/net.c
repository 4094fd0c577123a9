/* The shared parts of the coordinator's and the national pages: see net.h. */
#include "web/net.h"

#include <stdio.h>
#include <string.h>

#include "http/field.h"
#include "util/strutil.h"
#include "web/state.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_NET_KEYS(X)               \
    X("page.net.nav")                 \
    X("page.net.nav.region")          \
    X("page.net.nav.units")           \
    X("page.net.nav.venues")          \
    X("page.net.nav.users")           \
    X("page.net.nav.stock")           \
    X("page.net.nav.reports")         \
    X("page.net.nav.regions")         \
    X("page.net.nav.popups")          \
    X("page.net.nav.audit")           \
    X("page.net.nav.stats")           \
    X("page.net.nav.import_handouts") \
    X("page.net.nav.import_uses")     \
    X("page.net.chart.table")

#define KEY(k) k,
static const char *const net_keys[] = {WEB_NET_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_net_keys = {net_keys, ARRAY_LEN(net_keys)};

/* ---- a notice across the redirect ---- */

struct net_notice {
    char kind[8];
    char text[480];
};
_Static_assert(sizeof(struct net_notice) <= WEB_STATE_BYTES, "notice too large");

#define FAMILY "net"

void net_notice_keep(struct request *r, const char *kind, const char *text)
{
    struct net_notice n;
    memset(&n, 0, sizeof n);
    str_copy(n.kind, sizeof n.kind, kind);
    str_copy(n.text, sizeof n.text, text);
    web_state_save(r, FAMILY, &n, sizeof n);
}

void net_notice_show(struct page *p)
{
    struct net_notice n;
    if (!web_state_load(p->r, FAMILY, &n, sizeof n) || !n.kind[0])
        return;
    n.kind[sizeof n.kind - 1] = '\0';
    n.text[sizeof n.text - 1] = '\0';
    html_raw(&p->h, "<div id=\"outcome\">");
    page_notice(p, n.kind, n.text, NULL);
    html_raw(&p->h, "</div>");
    struct net_notice none;
    memset(&none, 0, sizeof none);
    web_state_save(p->r, FAMILY, &none, sizeof none);
}

int net_done(struct request *r, const char *path, const char *key, const char *const *args,
             size_t nargs)
{
    char text[480];
    text_fill(text, sizeof text, i18n_text(r->lang, key), args, nargs);
    net_notice_keep(r, "ok", text);
    return web_redirect(r, path);
}

int net_done_n(struct request *r, const char *path, const char *key, int64_t n,
               const char *const *args, size_t nargs)
{
    char text[480];
    text_fill(text, sizeof text, i18n_plural(r->lang, key, n), args, nargs);
    net_notice_keep(r, "ok", text);
    return web_redirect(r, path);
}

/* ---- navigation ---- */

static const struct {
    unsigned roles;
    const char *path, *key;
} nav_links[] = {
    {R_COORDINATOR, "/region", "page.net.nav.region"},
    {R_COORDINATOR, "/region/units", "page.net.nav.units"},
    {R_COORDINATOR, "/region/venues", "page.net.nav.venues"},
    {R_COORDINATOR, "/region/users", "page.net.nav.users"},
    {R_COORDINATOR, "/region/stock", "page.net.nav.stock"},
    {R_COORDINATOR, "/region/reports", "page.net.nav.reports"},
    {R_NATIONAL, "/national", "page.net.nav.regions"},
    {R_NATIONAL, "/national/popups", "page.net.nav.popups"},
    {R_NATIONAL, "/national/audit", "page.net.nav.audit"},
    {R_NATIONAL, "/national/stats", "page.net.nav.stats"},
    {R_COORDINATOR | R_NATIONAL, "/import/handouts", "page.net.nav.import_handouts"},
    {R_COORDINATOR | R_NATIONAL, "/import/uses", "page.net.nav.import_uses"},
};

void net_nav(struct page *p, const char *here)
{
    html_raw(&p->h, "<nav class=\"subnav\" id=\"net-nav\"");
    html_attr(&p->h, "aria-label", i18n_text(p->lang, "page.net.nav"));
    html_raw(&p->h, "><ul>");
    for (size_t i = 0; i < ARRAY_LEN(nav_links); i++) {
        if (!(nav_links[i].roles & ROLE_BIT(p->r->actor.role)) ||
            !web_page_exists(nav_links[i].path))
            continue;
        html_raw(&p->h, "<li><a");
        html_href(&p->h, "href", nav_links[i].path);
        if (strcmp(nav_links[i].path, here) == 0)
            html_raw(&p->h, " aria-current=\"page\"");
        html_raw(&p->h, ">");
        html_text(&p->h, i18n_text(p->lang, nav_links[i].key));
        html_raw(&p->h, "</a></li>");
    }
    html_raw(&p->h, "</ul></nav>");
}

/* ---- sections, paragraphs, tables ---- */

void net_section(struct page *p, const char *id, const char *heading)
{
    char hid[64];
    snprintf(hid, sizeof hid, "%s-heading", id);
    html_raw(&p->h, "<section");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "aria-labelledby", hid);
    html_raw(&p->h, "><h2");
    html_attr(&p->h, "id", hid);
    html_raw(&p->h, ">");
    html_text(&p->h, heading);
    html_raw(&p->h, "</h2>");
}

void net_section_end(struct page *p)
{
    html_raw(&p->h, "</section>");
}

void net_p(struct page *p, const char *text)
{
    html_raw(&p->h, "<p>");
    html_text(&p->h, text);
    html_raw(&p->h, "</p>");
}

void net_pf(struct page *p, const char *tmpl, const char *const *args, size_t nargs)
{
    html_raw(&p->h, "<p>");
    html_textf(&p->h, tmpl, args, nargs);
    html_raw(&p->h, "</p>");
}

void net_table(struct page *p, const char *id, const char *caption, const char *const *headings,
               size_t n, unsigned numeric)
{
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
    html_attr(&p->h, "aria-label", caption);
    html_raw(&p->h, "><table");
    html_attr(&p->h, "id", id);
    html_raw(&p->h, "><caption>");
    html_text(&p->h, caption);
    html_raw(&p->h, "</caption><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        html_raw(&p->h,
                 numeric & (1u << i) ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
        html_text(&p->h, headings[i]);
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead><tbody>");
}

void net_table_end(struct page *p)
{
    html_raw(&p->h, "</tbody></table></div>");
}

void net_td(struct page *p, const char *text)
{
    html_raw(&p->h, "<td>");
    html_text(&p->h, text);
    html_raw(&p->h, "</td>");
}

void net_td_int(struct page *p, int64_t n)
{
    html_raw(&p->h, "<td class=\"num\">");
    html_int(&p->h, p->lang, n);
    html_raw(&p->h, "</td>");
}

void net_td_edit(struct page *p, const char *href, const char *label_key, const char *name)
{
    char label[300];
    const char *args[] = {name};
    text_fill(label, sizeof label, i18n_text(p->lang, label_key), args, 1);
    html_raw(&p->h, "<td><a");
    html_href(&p->h, "href", href);
    html_attr(&p->h, "aria-label", label);
    html_raw(&p->h, ">");
    html_text(&p->h, i18n_text(p->lang, "page.coord.edit"));
    html_raw(&p->h, "</a></td>");
}

void net_td_date(struct page *p, int32_t day)
{
    html_raw(&p->h, "<td>");
    if (day < 0)
        html_raw(&p->h, "\xe2\x80\x93");
    else
        html_date(&p->h, p->lang, day);
    html_raw(&p->h, "</td>");
}

void net_th_row(struct page *p, const char *text)
{
    html_raw(&p->h, "<th scope=\"row\">");
    html_text(&p->h, text);
    html_raw(&p->h, "</th>");
}

/* ---- forms ---- */

void net_form(struct page *p, const char *id, const char *action, const char *cls)
{
    html_raw(&p->h, "<form method=\"post\"");
    html_attr(&p->h, "action", action);
    html_attr(&p->h, "id", id);
    if (cls)
        html_attr(&p->h, "class", cls);
    html_raw(&p->h, ">");
    page_csrf_field(p);
}

void net_form_end(struct page *p, const char *button_id, const char *button_class,
                  const char *button_text)
{
    html_raw(&p->h, "<button type=\"submit\"");
    html_attr(&p->h, "id", button_id);
    if (button_class)
        html_attr(&p->h, "class", button_class);
    html_raw(&p->h, ">");
    html_text(&p->h, button_text);
    html_raw(&p->h, "</button></form>");
}

static void field_open(struct page *p, const char *id, const char *label, const char *hint,
                       const char *error, char *described, size_t cap)
{
    html_raw(&p->h,
             error ? "<div class=\"field field-error\"><label" : "<div class=\"field\"><label");
    html_attr(&p->h, "for", id);
    html_raw(&p->h, ">");
    html_text(&p->h, label);
    html_raw(&p->h, "</label>");
    described[0] = '\0';
    if (hint) {
        char hid[80];
        snprintf(hid, sizeof hid, "%s-hint", id);
        html_raw(&p->h, "<p class=\"hint\"");
        html_attr(&p->h, "id", hid);
        html_raw(&p->h, ">");
        html_text(&p->h, hint);
        html_raw(&p->h, "</p>");
        snprintf(described, cap, "%s", hid);
    }
    if (error) {
        char eid[80];
        snprintf(eid, sizeof eid, "%s-error", id);
        html_raw(&p->h, "<p class=\"error-text\"");
        html_attr(&p->h, "id", eid);
        html_raw(&p->h, ">");
        html_text(&p->h, error);
        html_raw(&p->h, "</p>");
        size_t used = strlen(described);
        snprintf(described + used, cap - used, "%s%s", used ? " " : "", eid);
    }
}

void net_select(struct page *p, const char *id, const char *label, const struct net_option *o,
                size_t n, const char *selected, const char *error)
{
    char described[170];
    field_open(p, id, label, NULL, error, described, sizeof described);
    html_raw(&p->h, "<select");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "name", id);
    if (described[0])
        html_attr(&p->h, "aria-describedby", described);
    if (error)
        html_raw(&p->h, " aria-invalid=\"true\"");
    html_raw(&p->h, ">");
    for (size_t i = 0; i < n; i++) {
        html_raw(&p->h, "<option");
        html_attr(&p->h, "value", o[i].value);
        if (selected && strcmp(selected, o[i].value) == 0)
            html_raw(&p->h, " selected");
        html_raw(&p->h, ">");
        html_text(&p->h, o[i].label);
        html_raw(&p->h, "</option>");
    }
    html_raw(&p->h, "</select></div>");
}

void net_textarea(struct page *p, const char *id, const char *label, const char *hint,
                  const char *value, const char *error, int rows)
{
    char described[170];
    field_open(p, id, label, hint, error, described, sizeof described);
    html_raw(&p->h, "<textarea");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "name", id);
    html_attr_int(&p->h, "rows", rows);
    html_raw(&p->h, " autocomplete=\"off\"");
    if (described[0])
        html_attr(&p->h, "aria-describedby", described);
    if (error)
        html_raw(&p->h, " aria-invalid=\"true\"");
    html_raw(&p->h, ">");
    html_text(&p->h, value);
    html_raw(&p->h, "</textarea></div>");
}

void net_checkbox(struct page *p, const char *id, const char *label, bool checked)
{
    html_raw(&p->h, "<div class=\"field choice\"><input type=\"checkbox\" value=\"true\"");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "name", id);
    if (checked)
        html_raw(&p->h, " checked");
    html_raw(&p->h, "><label");
    html_attr(&p->h, "for", id);
    html_raw(&p->h, ">");
    html_text(&p->h, label);
    html_raw(&p->h, "</label></div>");
}

int net_field(struct request *r, const char *key, size_t max, const char **out)
{
    const char *v = NULL;
    int rc = field_text(r, key, FIELD_EMPTY_OK, max, &v);
    *out = rc == 0 && v ? v : "";
    return rc < 0 ? rc : 0;
}
