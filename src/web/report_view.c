/* A report of the pipeline (src/report/) shown on a page as HTML tables,
 * and sent as a download in another of its formats (net.h). The report
 * decides everything — R30's hidden counts, the totals —; this only walks
 * its columns and sections, as the renderers do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "report/build.h"
#include "web/net.h"

static void cell(struct page *p, const struct report *rep, size_t row, size_t col,
                 const char *(*name)(void *, size_t, const char *), void *ctx)
{
    const struct cell *c = report_cell(rep, row, col);
    bool num = rep->cols[col].type == COL_COUNT || rep->cols[col].type == COL_SMALL ||
               rep->cols[col].type == COL_SHARE || rep->cols[col].type == COL_FIGURE;
    html_raw(&p->h, num ? "<td class=\"num\">" : "<td>");
    switch (c->kind) {
    case CELL_TEXT:
        html_text(&p->h, name ? name(ctx, col, c->text) : c->text);
        break;
    case CELL_INT:
    case CELL_BOOL:
        html_int(&p->h, p->lang, c->value);
        break;
    case CELL_DATE:
        html_date(&p->h, p->lang, (int32_t)c->value);
        break;
    case CELL_SHARE: {
        /* thousandths as a percentage with one decimal: 25,0 % / 25.0 % */
        char text[32];
        snprintf(text, sizeof text, "%lld%s%lld\xc2\xa0%%", (long long)(c->value / 10),
                 p->lang == LANG_EN ? "." : ",", (long long)(c->value % 10));
        html_text(&p->h, text);
        break;
    }
    case CELL_HIDDEN:
        html_text(&p->h, REPORT_SMALL_TEXT);
        break;
    case CELL_HIDDEN_LARGE:
        html_text(&p->h, REPORT_LARGE_TEXT);
        break;
    case CELL_EMPTY:
        html_raw(&p->h, "\xe2\x80\x93");
        break;
    }
    html_raw(&p->h, "</td>");
}

void net_report_table(struct page *p, const struct report *rep, int only, const char *id,
                      const char *caption, uint64_t cols, size_t max_rows,
                      const char *(*name)(void *, size_t, const char *), void *ctx)
{
    html_raw(&p->h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
    html_attr(&p->h, "aria-label", caption);
    html_raw(&p->h, "><table");
    html_attr(&p->h, "id", id);
    html_raw(&p->h, "><caption>");
    html_text(&p->h, caption);
    html_raw(&p->h, "</caption><thead><tr>");
    for (size_t c = 0; c < rep->ncols; c++) {
        if (!(cols & (UINT64_C(1) << c)))
            continue;
        bool num = rep->cols[c].type == COL_COUNT || rep->cols[c].type == COL_SMALL ||
                   rep->cols[c].type == COL_SHARE;
        html_raw(&p->h, num ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
        html_text(&p->h, report_heading(rep, c));
        html_raw(&p->h, "</th>");
    }
    html_raw(&p->h, "</tr></thead>");
    /* the body's sections, then the totals' as the table's foot */
    for (int foot = 0; foot < 2; foot++) {
        bool opened = false;
        size_t shown = 0;
        for (size_t s = 0; s < rep->nsections; s++) {
            const struct report_section *sec = &rep->sections[s];
            if (sec->totals != (foot == 1) || (only >= 0 && (size_t)only != s))
                continue;
            for (size_t i = 0; i < sec->count && (foot || shown < max_rows); i++, shown++) {
                if (!opened)
                    html_raw(&p->h, foot ? "<tfoot>" : "<tbody>");
                opened = true;
                html_raw(&p->h, "<tr>");
                for (size_t c = 0; c < rep->ncols; c++)
                    if (cols & (UINT64_C(1) << c))
                        cell(p, rep, sec->first + i, c, name, ctx);
                html_raw(&p->h, "</tr>");
            }
        }
        if (opened)
            html_raw(&p->h, foot ? "</tfoot>" : "</tbody>");
    }
    html_raw(&p->h, "</table></div>");
}

int net_report_download(struct request *r, struct report *rep, const struct report_renderer *out)
{
    char *bytes = NULL;
    size_t len = 0;
    int rc = out->render(rep, &bytes, &len);
    if (rc == 0) {
        char disposition[REPORT_NAME_MAX + 40];
        snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", rep->name,
                 out->format);
        const char *header = arena_strdup(&r->arena, disposition);
        if (!header || reply_header(r, "Content-Disposition", header) != 0 ||
            web_security_headers(r) != 0)
            rc = -ERR_INTERNAL;
    }
    if (rc != 0) {
        free(bytes);
        return rc;
    }
    return reply_bytes(r, 200, out->media_type, bytes, len);
}

const struct report_renderer *net_renderer(const char *format)
{
    static const struct report_renderer *const downloads[] = {&render_csv, &render_xlsx};
    for (size_t i = 0; i < sizeof downloads / sizeof downloads[0]; i++)
        if (strcmp(downloads[i]->format, format) == 0)
            return downloads[i];
    return NULL;
}

int net_statistics_download(struct request *r, int year, const struct report_renderer *out)
{
    struct report_source src = report_source_store(r->store);
    struct report_ctx ctx = {&src, &r->actor, r->lang, &r->details};
    struct report rep;
    int rc = report_statistics(&ctx, &(struct statistics_query){NULL, year}, &rep);
    if (rc == 0)
        rc = net_report_download(r, &rep, out);
    report_release(&rep);
    return rc;
}

/* ---- R31's statistics report (report_statistics) ---- */

const char *net_figure_words(enum lang lang, const char *figure)
{
    char key[64];
    snprintf(key, sizeof key, "page.stats.fig.%s", figure ? figure : "");
    return i18n_text(lang, key);
}

const char *net_figure_column(void *ctx, size_t col, const char *text)
{
    const enum lang *lang = ctx;
    return col == 2 ? net_figure_words(*lang, text) : text;
}

bool net_stat_combined(const struct report *rep, int figure, int64_t *value, int64_t *previous)
{
    *value = *previous = 0;
    for (size_t k = 0; k < rep->nsections; k++) {
        const struct report_section *sec = &rep->sections[k];
        if (strcmp(sec->name, "combined") != 0)
            continue;
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct cell *row = report_cell(rep, i, 0);
            if (!row[2].text || name_lookup(&stat_figure_names, row[2].text) != figure)
                continue;
            *value = row[3].kind == CELL_INT ? row[3].value : 0;
            *previous = row[4].kind == CELL_INT ? row[4].value : 0;
            return true;
        }
    }
    return false;
}
