/* The coordinator's card stock: the units' requests for more cards (kept
 * in the audit as "stock.request", R34), codes added to a unit as a list
 * or as ranges — all or nothing (R3), which fulfils the unit's requests —
 * and the transfers between units to approve or reject (R3). */
#include <stdio.h>
#include <string.h>

#include "core/code_list.h"
#include "core/rules.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "util/date.h"
#include "util/strutil.h"
#include "web/coord.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_COORD_STOCK_KEYS(X)                \
    X("page.coord.stock.title")                \
    X("page.coord.stock.lead")                 \
    X("page.coord.stock.requests")             \
    X("page.coord.stock.requests.none")        \
    X("page.coord.stock.requests.caption")     \
    X("page.coord.stock.col.when")             \
    X("page.coord.stock.col.unit")             \
    X("page.coord.stock.col.count")            \
    X("page.coord.stock.col.by")               \
    X("page.coord.stock.col.state")            \
    X("page.coord.stock.request.open")         \
    X("page.coord.stock.request.fulfilled")    \
    X("page.coord.stock.add")                  \
    X("page.coord.stock.add.lead")             \
    X("page.coord.stock.add.unit")             \
    X("page.coord.stock.add.kind")             \
    X("page.coord.stock.add.personal")         \
    X("page.coord.stock.add.community")        \
    X("page.coord.stock.add.codes")            \
    X("page.coord.stock.add.codes.hint")       \
    X("page.coord.stock.add.submit")           \
    X("page.coord.stock.add.done")             \
    X("page.coord.stock.err.unit")             \
    X("page.coord.stock.err.kind")             \
    X("page.coord.stock.err.empty")            \
    X("page.coord.stock.err.code")             \
    X("page.coord.stock.err.range")            \
    X("page.coord.stock.err.too_many")         \
    X("page.coord.stock.err.taken")            \
    X("page.coord.stock.err.taken_elsewhere")  \
    X("page.coord.stock.transfers")            \
    X("page.coord.stock.transfers.none")       \
    X("page.coord.stock.transfers.caption")    \
    X("page.coord.stock.transfers.decided")    \
    X("page.coord.stock.col.from")             \
    X("page.coord.stock.col.to")               \
    X("page.coord.stock.col.codes")            \
    X("page.coord.stock.transfer.approve")     \
    X("page.coord.stock.transfer.reject")      \
    X("page.coord.stock.transfer.approve_one") \
    X("page.coord.stock.transfer.reject_one")  \
    X("page.coord.stock.transfer.approved")    \
    X("page.coord.stock.transfer.rejected")    \
    X("page.coord.stock.transfer.refused")     \
    X("page.coord.stock.status.requested")     \
    X("page.coord.stock.status.approved")      \
    X("page.coord.stock.status.rejected")

#define KEY(k) k,
static const char *const stock_keys[] = {WEB_COORD_STOCK_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_coord_stock_keys = {stock_keys, ARRAY_LEN(stock_keys)};

#define REQUESTS_SHOWN 30
#define DECIDED_SHOWN  20
#define TRANSFERS_MAX  200
#define CODES_INPUT    200000 /* bytes of the codes' field */
#define AUDIT_DAYS     366    /* how far back requests are read */

static const char *t(const struct page *p, const char *key)
{
    return i18n_text(p->lang, key);
}

static const char *tr(const struct request *r, const char *key)
{
    return i18n_text(r->lang, key);
}

/* ---- the units' requests, from the audit (R34) ---- */

struct stock_request {
    int64_t id, at;
    char unit[ID_MAX + 1];
    int32_t count;
    char by[USERNAME_MAX + 1];
    bool fulfilled;
};

struct requests {
    struct stock_request list[REQUESTS_SHOWN]; /* a ring of the latest */
    size_t n, next;
};

/* "unit:ID:COUNT" → the unit and the count. */
static bool parse_request(const char *object, struct stock_request *out)
{
    if (strncmp(object, "unit:", 5) != 0)
        return false;
    const char *id = object + 5, *colon = strchr(id, ':');
    int64_t count;
    if (!colon || (size_t)(colon - id) > ID_MAX || str_to_i64(colon + 1, 1, INT32_MAX, &count) != 0)
        return false;
    snprintf(out->unit, sizeof out->unit, "%.*s", (int)(colon - id), id);
    out->count = (int32_t)count;
    return true;
}

static int add_audit(void *ctx, const struct audit_entry *e)
{
    struct requests *l = ctx;
    if (strcmp(e->action, "stock.request") == 0) {
        struct stock_request q = {.id = e->id, .at = e->at};
        if (!parse_request(e->object, &q))
            return 0;
        str_copy(q.by, sizeof q.by, e->user);
        l->list[l->next] = q;
        l->next = (l->next + 1) % REQUESTS_SHOWN;
        if (l->n < REQUESTS_SHOWN)
            l->n++;
    } else if (strcmp(e->action, "stock.add") == 0 && strncmp(e->object, "unit:", 5) == 0) {
        /* codes added to a unit fulfil its requests made before */
        for (size_t i = 0; i < l->n; i++)
            if (strcmp(l->list[i].unit, e->object + 5) == 0)
                l->list[i].fulfilled = true;
    }
    return 0;
}

/* ---- transfers ---- */

struct transfers {
    struct transfer list[TRANSFERS_MAX];
    size_t n;
};

static int add_transfer(void *ctx, const struct transfer *tf)
{
    struct transfers *l = ctx;
    if (l->n < TRANSFERS_MAX)
        l->list[l->n++] = *tf;
    return 0;
}

/* ---- the page ---- */

struct stock_view {
    const char *unit, *kind, *codes;
    const char *unit_error, *kind_error, *codes_error;
};

struct stock_page {
    struct coord_units units;
    struct requests requests;
    struct transfers open, decided;
};

static const char *unit_name(const struct coord_units *u, const char *id)
{
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->list[i].id, id) == 0)
            return u->list[i].name;
    return id;
}

static void when(struct page *p, int64_t at)
{
    html_raw(&p->h, "<td>");
    html_date(&p->h, p->lang, hki_day(at));
    html_raw(&p->h, " ");
    html_time(&p->h, p->lang, at);
    html_raw(&p->h, "</td>");
}

static void requests_section(struct page *p, const struct stock_page *sp)
{
    net_section(p, "requests", t(p, "page.coord.stock.requests"));
    if (sp->requests.n == 0) {
        net_p(p, t(p, "page.coord.stock.requests.none"));
        net_section_end(p);
        return;
    }
    const char *cols[] = {t(p, "page.coord.stock.col.when"), t(p, "page.coord.stock.col.unit"),
                          t(p, "page.coord.stock.col.count"), t(p, "page.coord.stock.col.by"),
                          t(p, "page.coord.stock.col.state")};
    net_table(p, "stock-requests", t(p, "page.coord.stock.requests.caption"), cols, 5, 1u << 2);
    /* the latest first */
    const struct requests *l = &sp->requests;
    for (size_t k = 0; k < l->n; k++) {
        const struct stock_request *q =
            &l->list[(l->next + REQUESTS_SHOWN - 1 - k) % REQUESTS_SHOWN];
        html_raw(&p->h, "<tr>");
        when(p, q->at);
        net_td(p, unit_name(&sp->units, q->unit));
        net_td_int(p, q->count);
        net_td(p, q->by);
        net_td(p, t(p, q->fulfilled ? "page.coord.stock.request.fulfilled"
                                    : "page.coord.stock.request.open"));
        html_raw(&p->h, "</tr>");
    }
    net_table_end(p);
    net_section_end(p);
}

static void add_section(struct page *p, const struct stock_page *sp, const struct stock_view *v)
{
    net_section(p, "stock-add", t(p, "page.coord.stock.add"));
    net_p(p, t(p, "page.coord.stock.add.lead"));
    net_form(p, "stock-add-form", "/region/stock", "narrow");
    struct net_option *o = arena_alloc(&p->r->arena, (sp->units.n + 1) * sizeof *o);
    if (!o) {
        p->h.failed = true;
        return;
    }
    o[0] = (struct net_option){"", t(p, "page.coord.user.place.choose")};
    for (size_t i = 0; i < sp->units.n; i++)
        o[i + 1] = (struct net_option){sp->units.list[i].id, sp->units.list[i].name};
    net_select(p, "unit", t(p, "page.coord.stock.add.unit"), o, sp->units.n + 1, v->unit,
               v->unit_error);
    const struct net_option kinds[] = {{"personal", t(p, "page.coord.stock.add.personal")},
                                       {"community", t(p, "page.coord.stock.add.community")}};
    net_select(p, "kind", t(p, "page.coord.stock.add.kind"), kinds, 2, v->kind, v->kind_error);
    net_textarea(p, "codes", t(p, "page.coord.stock.add.codes"),
                 t(p, "page.coord.stock.add.codes.hint"), v->codes, v->codes_error, 4);
    net_form_end(p, "stock-add-submit", "primary", t(p, "page.coord.stock.add.submit"));
    net_section_end(p);
}

static void decide_button(struct page *p, const struct transfer *tf, const char *decision,
                          const char *key, const char *label_key, const char *cls)
{
    char action[80], id[40], label[200], n[24];
    snprintf(action, sizeof action, "/region/transfers/%lld/%s", (long long)tf->id, decision);
    snprintf(id, sizeof id, "%s-%lld", decision, (long long)tf->id);
    snprintf(n, sizeof n, "%lld", (long long)tf->id);
    const char *args[] = {n};
    text_fill(label, sizeof label, t(p, label_key), args, 1);
    html_raw(&p->h, "<form method=\"post\" class=\"inline\"");
    html_attr(&p->h, "action", action);
    html_raw(&p->h, ">");
    page_csrf_field(p);
    html_raw(&p->h, "<button type=\"submit\"");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "class", cls);
    html_attr(&p->h, "aria-label", label);
    html_raw(&p->h, ">");
    html_text(&p->h, t(p, key));
    html_raw(&p->h, "</button></form>");
}

static void transfer_rows(struct page *p, const struct stock_page *sp, const struct transfers *l,
                          bool open)
{
    static const char *const status_keys[] = {"page.coord.stock.status.requested",
                                              "page.coord.stock.status.approved",
                                              "page.coord.stock.status.rejected"};
    size_t shown = 0;
    for (size_t k = l->n; k > 0 && shown < (open ? TRANSFERS_MAX : DECIDED_SHOWN); k--) {
        const struct transfer *tf = &l->list[k - 1];
        shown++;
        html_raw(&p->h, "<tr>");
        when(p, tf->requested_at);
        net_td(p, unit_name(&sp->units, tf->from_unit));
        net_td(p, unit_name(&sp->units, tf->to_unit));
        net_td_int(p, tf->count);
        net_td(p, tf->requested_by);
        html_raw(&p->h, "<td>");
        if (open) {
            html_raw(&p->h, "<div class=\"row-actions\">");
            decide_button(p, tf, "approve", "page.coord.stock.transfer.approve",
                          "page.coord.stock.transfer.approve_one", "primary");
            decide_button(p, tf, "reject", "page.coord.stock.transfer.reject",
                          "page.coord.stock.transfer.reject_one", "secondary");
            html_raw(&p->h, "</div>");
        } else
            html_text(&p->h, t(p, status_keys[tf->status]));
        html_raw(&p->h, "</td></tr>");
    }
}

static void transfers_section(struct page *p, const struct stock_page *sp)
{
    net_section(p, "transfers", t(p, "page.coord.stock.transfers"));
    const char *cols[] = {t(p, "page.coord.stock.col.when"), t(p, "page.coord.stock.col.from"),
                          t(p, "page.coord.stock.col.to"),   t(p, "page.coord.stock.col.codes"),
                          t(p, "page.coord.stock.col.by"),   t(p, "page.coord.col.actions")};
    if (sp->open.n == 0)
        net_p(p, t(p, "page.coord.stock.transfers.none"));
    else {
        net_table(p, "transfers-open", t(p, "page.coord.stock.transfers.caption"), cols, 6,
                  1u << 3);
        transfer_rows(p, sp, &sp->open, true);
        net_table_end(p);
    }
    if (sp->decided.n > 0) {
        cols[5] = t(p, "page.coord.stock.col.state");
        net_table(p, "transfers-decided", t(p, "page.coord.stock.transfers.decided"), cols, 6,
                  1u << 3);
        transfer_rows(p, sp, &sp->decided, false);
        net_table_end(p);
    }
    net_section_end(p);
}

static int stock_page(struct request *r, const struct stock_view *v, int status)
{
    struct stock_page *sp = arena_alloc(&r->arena, sizeof *sp);
    if (!sp)
        return -ERR_INTERNAL;
    memset(sp, 0, sizeof *sp);
    struct audit_filter f = {.from = r->actor.now - (int64_t)AUDIT_DAYS * 86400};
    int rc;
    if ((rc = coord_units(r, &sp->units)) != 0 ||
        (rc = store_audit_list(r->store, &r->actor, &f, add_audit, &sp->requests)) != 0 ||
        (rc = store_transfer_list(r->store, &r->actor, TRANSFER_REQUESTED, add_transfer,
                                  &sp->open)) != 0 ||
        (rc = store_transfer_list(r->store, &r->actor, TRANSFER_APPROVED, add_transfer,
                                  &sp->decided)) != 0 ||
        (rc = store_transfer_list(r->store, &r->actor, TRANSFER_REJECTED, add_transfer,
                                  &sp->decided)) != 0)
        return rc;
    struct page p;
    page_begin(&p, r, tr(r, "page.coord.stock.title"));
    net_nav(&p, "/region/stock");
    page_heading(&p, t(&p, "page.coord.stock.title"), t(&p, "page.coord.stock.lead"));
    struct page_error e[3];
    size_t ne = 0;
    if (v->unit_error)
        e[ne++] = (struct page_error){"unit", v->unit_error};
    if (v->kind_error)
        e[ne++] = (struct page_error){"kind", v->kind_error};
    if (v->codes_error)
        e[ne++] = (struct page_error){"codes", v->codes_error};
    page_error_summary(&p, e, ne);
    net_notice_show(&p);
    requests_section(&p, sp);
    add_section(&p, sp, v);
    transfers_section(&p, sp);
    return page_end(&p, status);
}

int web_coord_stock(struct request *r)
{
    return stock_page(r, &(struct stock_view){"", "personal", "", NULL, NULL, NULL}, 200);
}

/* The words of a list's fault, naming the piece at fault. */
static const char *codes_fault(struct request *r, enum code_list_fault f, const char *bad)
{
    static const char *const keys[] = {
        [CL_EMPTY] = "page.coord.stock.err.empty",
        [CL_CODE] = "page.coord.stock.err.code",
        [CL_RANGE] = "page.coord.stock.err.range",
        [CL_TOO_MANY] = "page.coord.stock.err.too_many",
    };
    char text[400], max[I18N_NUMBER_LEN];
    i18n_number(r->lang, CODE_LIST_MAX, max);
    const char *args[] = {bad, max};
    text_fill(text, sizeof text,
              f == CL_TOO_MANY ? i18n_plural(r->lang, keys[f], CODE_LIST_MAX) : tr(r, keys[f]),
              args, 2);
    return arena_strdup(&r->arena, text);
}

/* POST /region/stock: codes added to a unit, all or nothing (R3). */
int web_coord_stock_add(struct request *r)
{
    struct stock_view v = {0};
    int rc;
    if ((rc = net_field(r, "unit", 200, &v.unit)) != 0 ||
        (rc = net_field(r, "kind", 40, &v.kind)) != 0 ||
        (rc = net_field(r, "codes", CODES_INPUT, &v.codes)) != 0)
        return rc;
    struct unit u;
    if (!str_is_slug(v.unit, ID_MAX) || store_unit_get(r->store, v.unit, &u) != 0 ||
        strcmp(u.region, r->actor.scope) != 0)
        v.unit_error = tr(r, "page.coord.stock.err.unit");
    int kind = name_lookup(&card_kind_names, v.kind);
    if (kind < 0)
        v.kind_error = tr(r, "page.coord.stock.err.kind");
    char(*codes)[CODE_MAX + 1] = arena_alloc(&r->arena, CODE_LIST_MAX * sizeof *codes);
    if (!codes)
        return -ERR_INTERNAL;
    char bad[CODE_LIST_TEXT];
    size_t n = 0;
    enum code_list_fault f = code_list_parse(v.codes, codes, CODE_LIST_MAX, &n, bad);
    if (f != CL_OK)
        v.codes_error = codes_fault(r, f, bad);
    if (v.unit_error || v.kind_error || v.codes_error)
        return stock_page(r, &v, 422);
    struct error_details d = {0};
    rc = store_stock_add(r->store, &r->actor, u.id, (enum card_kind)kind,
                         (const char(*)[CODE_MAX + 1]) codes, n, &d);
    if (rc == -ERR_CODE_TAKEN) {
        char text[400];
        const char *args[] = {d.text};
        if (!d.text[0])
            http_card_guess_failed(r); /* taken outside the region: not named (R32) */
        text_fill(text, sizeof text,
                  tr(r, d.text[0] ? "page.coord.stock.err.taken"
                                  : "page.coord.stock.err.taken_elsewhere"),
                  args, 1);
        v.codes_error = arena_strdup(&r->arena, text);
        return stock_page(r, &v, 422);
    }
    if (rc != 0)
        return rc;
    char count[I18N_NUMBER_LEN];
    i18n_number(r->lang, (int64_t)n, count);
    const char *args[] = {count, u.name};
    return net_done_n(r, "/region/stock", "page.coord.stock.add.done", (int64_t)n, args, 2);
}

/* POST /region/transfers/{id}/approve and …/reject (R3). */
int web_coord_transfer_decide(struct request *r)
{
    int64_t id;
    if (str_to_i64(r->params[0], 1, INT64_MAX, &id) != 0)
        return -ERR_NOT_FOUND;
    size_t len = strlen(r->path);
    bool approve = len > 8 && strcmp(r->path + len - 8, "/approve") == 0;
    struct transfer out;
    struct error_details d = {0};
    int rc = store_transfer_decide(r->store, &r->actor, id, approve, &out, &d);
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)id);
    if (rc == 0) {
        char count[I18N_NUMBER_LEN];
        i18n_number(r->lang, out.count, count);
        const char *args[] = {n, count};
        if (approve)
            return net_done_n(r, "/region/stock", "page.coord.stock.transfer.approved", out.count,
                              args, 2);
        return net_done(r, "/region/stock", "page.coord.stock.transfer.rejected", args, 2);
    }
    if (rc == -ERR_INTERNAL || rc == -ERR_UNAVAILABLE || rc == -ERR_FORBIDDEN ||
        rc == -ERR_NOT_FOUND)
        return rc;
    /* a code of it moved or was handed out meanwhile: said in words */
    char text[480];
    const char *args[] = {n, error_message(-rc, r->lang), d.text};
    text_fill(text, sizeof text, tr(r, "page.coord.stock.transfer.refused"), args, 3);
    net_notice_keep(r, "error", text);
    return web_redirect(r, "/region/stock");
}
