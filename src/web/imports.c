/* The import pages (issue 17 item 4, docs/imports.md): a handout desk, its
 * coordinator or the national service uploads a handout sheet; a venue,
 * its coordinator or the national service a usage sheet in R28's layout.
 * The upload is multipart/form-data (http/multipart.h); the import is
 * src/import's, all or nothing. It is fast enough to answer directly
 * (10,000 rows in well under a second, docs/performance.md): a refused
 * file is answered at once with its problems listed (nothing was recorded,
 * so sending it again changes nothing), a recorded one redirects to the
 * page, which says how many rows were recorded (post/redirect/get; and a
 * repeated upload records nothing twice). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "http/dispatch.h"
#include "http/field.h"
#include "import/import.h"
#include "store/store.h"
#include "util/strutil.h"
#include "web/state.h"
#include "web/net.h"
#include "web/venue.h"
#include "web/web.h"

/* clang-format off */
#define IMPORT_PAGE_KEYS(X)                 \
    X("page.import.handouts.title")         \
    X("page.import.handouts.lead")          \
    X("page.import.uses.title")             \
    X("page.import.uses.lead")              \
    X("page.import.unit")                   \
    X("page.import.venue")                  \
    X("page.import.file")                   \
    X("page.import.file.hint")              \
    X("page.import.file.missing")           \
    X("page.import.wait")                   \
    X("page.import.submit")                 \
    X("page.import.columns")                \
    X("page.import.refused")                \
    X("page.import.refused.field")          \
    X("page.import.more")                   \
    X("page.import.recorded")               \
    X("page.import.recorded.text")
/* clang-format on */

static const char *const page_keys[] = {
#define X(k) k,
    IMPORT_PAGE_KEYS(X)
#undef X
};
const struct i18n_keys web_import_keys = {page_keys, sizeof page_keys / sizeof page_keys[0]};

#define PLACES_MAX   200
#define PROBLEM_TEXT 1024

/* What the page shows once after a recorded import. */
struct import_state {
    bool recorded;
    uint32_t rows, skipped;
};

struct places {
    struct {
        char id[ID_MAX + 1];
        char name[NAME_MAX_BYTES + 1];
    } list[PLACES_MAX];
    size_t n;
    const struct actor *a;
};

static int add_unit(void *ctx, const struct unit *u)
{
    struct places *p = ctx;
    if (p->n < PLACES_MAX) {
        str_copy(p->list[p->n].id, sizeof p->list[p->n].id, u->id);
        str_copy(p->list[p->n].name, sizeof p->list[p->n].name, u->name);
        p->n++;
    }
    return 0;
}

static int add_venue(void *ctx, const struct venue *v)
{
    struct places *p = ctx;
    const struct place where = {v->region, "", v->id};
    if (p->n < PLACES_MAX && scope_allows(p->a, &where)) { /* R32 */
        str_copy(p->list[p->n].id, sizeof p->list[p->n].id, v->id);
        str_copy(p->list[p->n].name, sizeof p->list[p->n].name, v->name);
        p->n++;
    }
    return 0;
}

/* The units or venues the actor may import for: their own, or those of
 * their region, or all. */
static int places_of(struct request *r, enum import_layout layout, struct places *out)
{
    out->n = 0;
    out->a = &r->actor;
    if (layout == IMPORT_USES)
        return store_venue_list(r->store, r->actor.role == ROLE_COORDINATOR ? r->actor.scope : "",
                                add_venue, out);
    return store_unit_list(r->store, &r->actor, "", add_unit, out);
}

static const char *family(enum import_layout layout)
{
    return layout == IMPORT_USES ? "import-uses" : "import-handouts";
}

static bool own_place(const struct request *r, enum import_layout layout)
{
    return (layout == IMPORT_USES && r->actor.role == ROLE_VENUE) ||
           (layout == IMPORT_HANDOUTS && r->actor.role == ROLE_DISTRIBUTOR);
}

/* The form, with the result of an import above it: `res` refused, or the
 * state of one recorded. */
static int render(struct request *r, enum import_layout layout, const struct import_result *res,
                  const char *chosen, const char *file_error, int status)
{
    bool uses = layout == IMPORT_USES;
    struct places *pl = calloc(1, sizeof *pl);
    if (!pl)
        return -ERR_INTERNAL;
    int rc = own_place(r, layout) ? 0 : places_of(r, layout, pl);
    if (rc != 0) {
        free(pl);
        return rc;
    }
    struct page p;
    const char *title =
        i18n_text(r->lang, uses ? "page.import.uses.title" : "page.import.handouts.title");
    page_begin(&p, r, title);
    const char *here = uses ? "/import/uses" : "/import/handouts";
    if (r->actor.role == ROLE_VENUE)
        venue_nav(&p, here);
    else if (r->actor.role == ROLE_COORDINATOR || r->actor.role == ROLE_NATIONAL)
        net_nav(&p, here);
    page_heading(&p, title,
                 i18n_text(p.lang, uses ? "page.import.uses.lead" : "page.import.handouts.lead"));

    struct import_state st;
    if (!res && web_state_load(r, family(layout), &st, sizeof st) && st.recorded) {
        char rows[I18N_NUMBER_LEN], skipped[I18N_NUMBER_LEN], text[300];
        i18n_number(p.lang, st.rows, rows);
        i18n_number(p.lang, st.skipped, skipped);
        const char *args[] = {rows, skipped};
        text_fill(text, sizeof text, i18n_plural(p.lang, "page.import.recorded.text", st.rows),
                  args, 2);
        page_notice(&p, "ok", i18n_text(p.lang, "page.import.recorded"), text);
        st.recorded = false; /* once */
        web_state_save(r, family(layout), &st, sizeof st);
    }
    if (res && res->problems_total > 0) {
        /* Every problem in plain words, summarised at the top and leading
         * to the file field. */
        char count[I18N_NUMBER_LEN], heading[300];
        i18n_number(p.lang, (int64_t)res->problems_total, count);
        const char *args[] = {count};
        text_fill(heading, sizeof heading, i18n_text(p.lang, "page.import.refused"), args, 1);
        html_raw(&p.h, "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" "
                       "tabindex=\"-1\"><h2>");
        html_text(&p.h, heading);
        html_raw(&p.h, "</h2><ul id=\"import-problems\">");
        for (size_t i = 0; i < res->nproblems; i++) {
            char text[PROBLEM_TEXT];
            import_problem_text(&res->problems[i], p.lang, text, sizeof text);
            html_raw(&p.h, "<li><a href=\"#file\">");
            html_text(&p.h, text);
            html_raw(&p.h, "</a></li>");
        }
        if (res->problems_total > res->nproblems) {
            char more[I18N_NUMBER_LEN];
            i18n_number(p.lang, (int64_t)(res->problems_total - res->nproblems), more);
            const char *margs[] = {more};
            html_raw(&p.h, "<li>");
            html_textf(&p.h, i18n_text(p.lang, "page.import.more"), margs, 1);
            html_raw(&p.h, "</li>");
        }
        html_raw(&p.h, "</ul></div>");
        file_error = i18n_text(p.lang, "page.import.refused.field");
    } else if (file_error) {
        const struct page_error e = {"file", file_error};
        page_error_summary(&p, &e, 1);
    }

    html_raw(&p.h, "<form method=\"post\" enctype=\"multipart/form-data\" id=\"import-form\"");
    html_attr(&p.h, "action", uses ? "/import/uses" : "/import/handouts");
    html_raw(&p.h, ">");
    page_csrf_field(&p);
    if (!own_place(r, layout)) {
        const char *field = uses ? "venue" : "unit";
        html_raw(&p.h, "<div class=\"field\"><label");
        html_attr(&p.h, "for", field);
        html_raw(&p.h, ">");
        html_text(&p.h, i18n_text(p.lang, uses ? "page.import.venue" : "page.import.unit"));
        html_raw(&p.h, "</label><select");
        html_attr(&p.h, "id", field);
        html_attr(&p.h, "name", field);
        html_raw(&p.h, ">");
        for (size_t i = 0; i < pl->n; i++) {
            html_raw(&p.h, "<option");
            html_attr(&p.h, "value", pl->list[i].id);
            if (chosen && strcmp(chosen, pl->list[i].id) == 0)
                html_raw(&p.h, " selected");
            html_raw(&p.h, ">");
            html_text(&p.h, pl->list[i].name);
            html_raw(&p.h, "</option>");
        }
        html_raw(&p.h, "</select></div>");
    }
    const struct page_field f = {.id = "file",
                                 .label = i18n_text(p.lang, "page.import.file"),
                                 .type = "file",
                                 .hint = i18n_text(p.lang, "page.import.file.hint"),
                                 .error = file_error,
                                 .required = true};
    page_input(&p, &f);
    html_raw(&p.h, "<p class=\"hint\" id=\"import-wait\">");
    html_text(&p.h, i18n_text(p.lang, "page.import.wait"));
    html_raw(&p.h, "</p><button type=\"submit\" id=\"import-submit\">");
    html_text(&p.h, i18n_text(p.lang, "page.import.submit"));
    html_raw(&p.h, "</button></form>");

    /* The columns the sheet may have, in the page's language. */
    static const char *const handout_cols[] = {"page.desk.card",
                                               "page.desk.date",
                                               "page.desk.birth",
                                               "report.heading.mother_tongue",
                                               "page.desk.gender",
                                               "page.desk.postal",
                                               "report.heading.life_situation",
                                               "import.heading.renews"};
    static const char *const use_cols[] = {"report.heading.card", "report.heading.adult",
                                           "report.heading.child", "report.heading.event",
                                           "report.heading.date"};
    html_raw(&p.h, "<h2>");
    html_text(&p.h, i18n_text(p.lang, "page.import.columns"));
    html_raw(&p.h, "</h2><ul id=\"import-columns\">");
    size_t ncols =
        uses ? sizeof use_cols / sizeof use_cols[0] : sizeof handout_cols / sizeof handout_cols[0];
    for (size_t i = 0; i < ncols; i++) {
        html_raw(&p.h, "<li>");
        html_text(&p.h, i18n_text(p.lang, uses ? use_cols[i] : handout_cols[i]));
        html_raw(&p.h, "</li>");
    }
    html_raw(&p.h, "</ul>");
    free(pl);
    return page_end(&p, status);
}

static int show(struct request *r, enum import_layout layout)
{
    return render(r, layout, NULL, NULL, NULL, 200);
}

int web_import_handouts_form(struct request *r)
{
    return show(r, IMPORT_HANDOUTS);
}

int web_import_uses_form(struct request *r)
{
    return show(r, IMPORT_USES);
}

static int upload(struct request *r, enum import_layout layout)
{
    bool uses = layout == IMPORT_USES;
    const char *place = NULL;
    int rc;
    if ((rc = field_text(r, uses ? "venue" : "unit", FIELD_EMPTY_OK, ID_MAX, &place)) < 0)
        return rc;
    if (own_place(r, layout))
        place = r->actor.scope;
    if (!place || !place[0])
        return req_fail(r, ERR_INVALID_REQUEST, uses ? "venue" : "unit");
    if (!r->upload.field || strcmp(r->upload.field, "file") != 0 || r->upload.len == 0)
        return render(r, layout, NULL, place, i18n_text(r->lang, "page.import.file.missing"), 422);
    struct import_result *res = calloc(1, sizeof *res);
    if (!res)
        return -ERR_INTERNAL;
    const struct import_request req = {layout, place, r->upload.data, r->upload.len, NULL, NULL};
    rc = import_run(r->store, &r->actor, &req, res);
    if (rc == -ERR_INVALID_REQUEST) {
        /* Unknown codes spend the guessing budget, as at the box office. */
        for (size_t i = 0; i < res->nproblems; i++)
            if (res->problems[i].err == ERR_CARD_UNKNOWN)
                http_card_guess_failed(r);
        rc = render(r, layout, res, place, NULL, 422);
    } else if (rc == 0) {
        struct import_state st = {true, (uint32_t)res->recorded, (uint32_t)res->skipped};
        web_state_save(r, family(layout), &st, sizeof st);
        rc = web_redirect(r, uses ? "/import/uses" : "/import/handouts");
    }
    free(res);
    return rc;
}

int web_import_handouts(struct request *r)
{
    return upload(r, IMPORT_HANDOUTS);
}

int web_import_uses(struct request *r)
{
    return upload(r, IMPORT_USES);
}
