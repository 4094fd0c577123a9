/* The audit log (R34) for the national service: who changed what and
 * when, filtered by who (a username), what (the start of an action, such
 * as "user." or "stock.add") and when (a period of days), a page of
 * entries at a time in the order they were written. */
#include <stdio.h>
#include <string.h>

#include "http/field.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/net.h"

#define PAGE_ROWS    50
#define DEFAULT_DAYS 7 /* the period shown when none is asked for */

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

struct audit_view {
    const char *user, *action;
    int32_t from, to; /* days, inclusive */
    int64_t after;
    struct audit_entry rows[PAGE_ROWS];
    size_t n;
    bool more;
};

static int add_entry(void *ctx, const struct audit_entry *e)
{
    struct audit_view *v = ctx;
    if (v->user[0] && strcmp(e->user, v->user) != 0)
        return 0;
    if (v->action[0] && strncmp(e->action, v->action, strlen(v->action)) != 0)
        return 0;
    if (v->n == PAGE_ROWS) {
        v->more = true;
        return 1; /* a page is full: stop */
    }
    v->rows[v->n++] = *e;
    return 0;
}

/* The query of the next page: the same filters, after the last entry. */
static void next_href(const struct audit_view *v, char *out, size_t cap)
{
    char from[16], to[16];
    date_format(v->from, from);
    date_format(v->to, to);
    int n = snprintf(out, cap, "/national/audit?from=%s&to=%s&after=%lld", from, to,
                     (long long)v->rows[v->n - 1].id);
    /* user and action are checked to be of safe characters (below) */
    if (v->user[0] && n > 0 && (size_t)n < cap)
        n += snprintf(out + n, cap - (size_t)n, "&user=%s", v->user);
    if (v->action[0] && n > 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, "&action=%s", v->action);
}

/* Letters, digits and . _ @ - only: a username or an action's start. */
static bool plain(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("._@-:", *s)))
            return false;
    return true;
}

/* GET /national/audit?user=&action=&from=&to=&after= */
int web_national_audit(struct request *r)
{
    struct audit_view *v = arena_alloc(&r->arena, sizeof *v);
    if (!v)
        return -ERR_INTERNAL;
    memset(v, 0, sizeof *v);
    v->user = req_query(r, "user");
    v->action = req_query(r, "action");
    v->user = v->user ? v->user : "";
    v->action = v->action ? v->action : "";
    bool present;
    int rc;
    if (strlen(v->user) > USERNAME_MAX || !plain(v->user))
        return req_fail(r, ERR_INVALID_REQUEST, "user");
    if (strlen(v->action) > AUDIT_ACTION_MAX || !plain(v->action))
        return req_fail(r, ERR_INVALID_REQUEST, "action");
    if ((rc = query_date(r, "from", &v->from)) != 0 || (rc = query_date(r, "to", &v->to)) != 0 ||
        (rc = query_int(r, "after", 0, INT64_MAX, &v->after, &present)) != 0)
        return rc;
    int32_t today = hki_day(r->actor.now);
    if (v->to < 0)
        v->to = today;
    if (v->from < 0)
        v->from = v->to - DEFAULT_DAYS + 1;
    if (v->from > v->to)
        return req_fail(r, ERR_INVALID_REQUEST, "from");
    struct audit_filter f = {.from = hki_from_local(v->from, 0),
                             .to = hki_from_local(v->to + 1, 0),
                             .after_id = v->after};
    rc = store_audit_list(r->store, &r->actor, &f, add_entry, v);
    if (rc < 0)
        return rc;
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.national.audit.title"));
    net_nav(&p, "/national/audit");
    page_heading(&p, t(&p, "page.national.audit.title"), t(&p, "page.national.audit.lead"));
    html_raw(&p.h, "<form method=\"get\" action=\"/national/audit\" class=\"filters\" "
                   "id=\"audit-form\">");
    char from[16], to[16];
    date_format(v->from, from);
    date_format(v->to, to);
    page_input(&p, &(struct page_field){.id = "user",
                                        .label = t(&p, "page.national.audit.user"),
                                        .value = v->user,
                                        .autocomplete = "off"});
    page_input(&p, &(struct page_field){.id = "action",
                                        .label = t(&p, "page.national.audit.action"),
                                        .hint = t(&p, "page.national.audit.action.hint"),
                                        .value = v->action,
                                        .autocomplete = "off"});
    page_input(&p, &(struct page_field){.id = "from",
                                        .label = t(&p, "page.coord.reports.from"),
                                        .type = "date",
                                        .value = from});
    page_input(
        &p, &(struct page_field){
                .id = "to", .label = t(&p, "page.coord.reports.to"), .type = "date", .value = to});
    html_raw(&p.h, "<button type=\"submit\" id=\"audit-filter\">");
    html_text(&p.h, t(&p, "page.national.audit.filter"));
    html_raw(&p.h, "</button></form>");
    if (v->n == 0)
        net_p(&p, t(&p, "page.national.audit.none"));
    else {
        char n[I18N_NUMBER_LEN];
        i18n_number(p.lang, (int64_t)v->n, n);
        const char *args[] = {n};
        html_raw(&p.h, "<p id=\"audit-count\">");
        html_textf(&p.h, i18n_plural(p.lang, "page.national.audit.shown", (int64_t)v->n), args, 1);
        html_raw(&p.h, "</p>");
        const char *cols[] = {
            t(&p, "page.national.audit.when"),   t(&p, "page.national.audit.user"),
            t(&p, "page.national.audit.action"), t(&p, "page.national.audit.object"),
            t(&p, "page.national.audit.region"), t(&p, "page.national.audit.address")};
        net_table(&p, "audit", t(&p, "page.national.audit.caption"), cols, 6, 0);
        for (size_t i = 0; i < v->n; i++) {
            const struct audit_entry *e = &v->rows[i];
            html_raw(&p.h, "<tr><td>");
            html_date(&p.h, p.lang, hki_day(e->at));
            html_raw(&p.h, " ");
            html_time(&p.h, p.lang, e->at);
            html_raw(&p.h, "</td>");
            net_td(&p, e->user);
            html_raw(&p.h, "<td class=\"code\">");
            html_text(&p.h, e->action);
            html_raw(&p.h, "</td><td class=\"code\">");
            html_text(&p.h, e->object);
            html_raw(&p.h, "</td>");
            net_td(&p, e->region);
            net_td(&p, e->address);
            html_raw(&p.h, "</tr>");
        }
        net_table_end(&p);
    }
    html_raw(&p.h, "<ul class=\"links\" id=\"audit-pages\">");
    if (v->after > 0) {
        char href[200];
        snprintf(href, sizeof href, "/national/audit?from=%s&to=%s%s%s%s%s", from, to,
                 v->user[0] ? "&user=" : "", v->user, v->action[0] ? "&action=" : "", v->action);
        html_raw(&p.h, "<li><a id=\"audit-first\"");
        html_href(&p.h, "href", href);
        html_raw(&p.h, ">");
        html_text(&p.h, t(&p, "page.national.audit.first"));
        html_raw(&p.h, "</a></li>");
    }
    if (v->more) {
        char href[300];
        next_href(v, href, sizeof href);
        html_raw(&p.h, "<li><a id=\"audit-next\"");
        html_href(&p.h, "href", href);
        html_raw(&p.h, ">");
        html_text(&p.h, t(&p, "page.national.audit.next"));
        html_raw(&p.h, "</a></li>");
    }
    html_raw(&p.h, "</ul>");
    return page_end(&p, 200);
}
