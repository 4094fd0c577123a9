/* What the pages of the people who run the network share — the
 * coordinator's (coord.c, coord_stock.c, coord_reports.c, coord_glance.c)
 * and the national service's (national.c, national_audit.c): their
 * navigation, a notice kept for the page a post redirects to, sections,
 * tables, form fields beyond page_input, and the SVG charts (chart.c). */
#ifndef KAIKU_WEB_NET_H
#define KAIKU_WEB_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "store/store.h"
#include "web/web.h"

/* ---- a notice across the redirect ---- */

/* Keeps a notice (kind as page_notice's, text already in r->lang) for the
 * session's next page of the family; net_notice_show shows it once. */
void net_notice_keep(struct request *r, const char *kind, const char *text);
void net_notice_show(struct page *p);
/* net_notice_keep with a catalogue text filled with args, then 303 to path. */
int net_done(struct request *r, const char *path, const char *key, const char *const *args,
             size_t nargs);
/* The same with a counted sentence: the catalogue's plural form for n. */
int net_done_n(struct request *r, const char *path, const char *key, int64_t n,
               const char *const *args, size_t nargs);

/* ---- the page's parts ---- */

/* The links between the pages of the signed-in role, here marked current. */
void net_nav(struct page *p, const char *here);
/* <section id aria-labelledby><h2 id="ID-heading">text</h2> … </section> */
void net_section(struct page *p, const char *id, const char *heading);
void net_section_end(struct page *p);
/* <p>text</p>, and the same filled with args ({1}…). */
void net_p(struct page *p, const char *text);
void net_pf(struct page *p, const char *tmpl, const char *const *args, size_t nargs);

/* A table that scrolls sideways on a phone: caption, then a row of column
 * headings (a bit of numeric marks a column of numbers, right-aligned). */
void net_table(struct page *p, const char *id, const char *caption, const char *const *headings,
               size_t n, unsigned numeric);
void net_table_end(struct page *p);
void net_td(struct page *p, const char *text);
void net_td_int(struct page *p, int64_t n);
/* A row's last cell: a link "Edit" to href, its accessible name the
 * catalogue's label_key filled with the row's name ("Edit unit {1}"). */
void net_td_edit(struct page *p, const char *href, const char *label_key, const char *name);
void net_td_date(struct page *p, int32_t day); /* -1: "–" */
/* A row heading (<th scope="row">). */
void net_th_row(struct page *p, const char *text);

/* <form method="post" action> with its CSRF field; class may be NULL. */
void net_form(struct page *p, const char *id, const char *action, const char *cls);
void net_form_end(struct page *p, const char *button_id, const char *button_class,
                  const char *button_text);

struct net_option {
    const char *value, *label;
};
/* A labelled <select> with an error next to it, like page_input. */
void net_select(struct page *p, const char *id, const char *label, const struct net_option *o,
                size_t n, const char *selected, const char *error);
/* A labelled <textarea> with a hint and an error. */
void net_textarea(struct page *p, const char *id, const char *label, const char *hint,
                  const char *value, const char *error, int rows);
/* A checkbox with its label after it. */
void net_checkbox(struct page *p, const char *id, const char *label, bool checked);

/* A form field's text ("" when absent or empty); 0 or the reader's error
 * (too long, not clean UTF-8). */
int net_field(struct request *r, const char *key, size_t max, const char **out);

/* ---- reports (report_view.c) ---- */

/* A report as one HTML table of the columns in cols (bit 1 << column):
 * the rows of its sections (only that section when only >= 0; at most
 * max_rows), its totals as the table's foot. name, when not NULL, turns a text cell of a column
 * into words (a unit's id into its name, say). */
void net_report_table(struct page *p, const struct report *rep, int only, const char *id,
                      const char *caption, uint64_t cols, size_t max_rows,
                      const char *(*name)(void *ctx, size_t col, const char *text), void *ctx);
/* The report as a download in out's format (Content-Disposition: its
 * name), with the site's headers. Does not release the report. */
int net_report_download(struct request *r, struct report *rep, const struct report_renderer *out);
/* The download renderer called format ("csv", "xlsx"), or NULL. */
const struct report_renderer *net_renderer(const char *format);
/* R31's statistics report of `year` (the actor's scope: a coordinator's
 * region, national's country) as a download in out's format. */
int net_statistics_download(struct request *r, int year, const struct report_renderer *out);

/* R31's statistics report (report_statistics, issue 16): a figure's id
 * ("uses_culture") in words (the catalogue's "page.stats.fig.<id>"); the
 * same as a net_report_table name function for its figure column (ctx: the
 * page's enum lang); and figure (enum stat_figure) of its "combined"
 * section, the year's and the previous year's (0 when empty or absent:
 * returns false when absent). */
const char *net_figure_words(enum lang lang, const char *figure);
const char *net_figure_column(void *ctx, size_t col, const char *text);
bool net_stat_combined(const struct report *rep, int figure, int64_t *value, int64_t *previous);

/* ---- charts (chart.c) ---- */

/* A bar chart drawn on the server as SVG (role="img", its <title> and
 * <desc> named by aria-labelledby), followed by the same figures as a
 * table: labels[i] and values[i]. No inline style: classes of the
 * stylesheet and presentation attributes only (the CSP). */
void chart_bars(struct page *p, const char *id, const char *title, const char *desc,
                const char *label_heading, const char *value_heading, const char *const *labels,
                const int64_t *values, size_t n);
/* Two series side by side (this year and the previous, say). */
void chart_pairs(struct page *p, const char *id, const char *title, const char *desc,
                 const char *label_heading, const char *a_heading, const char *b_heading,
                 const char *const *labels, const int64_t *a, const int64_t *b, size_t n);

/* ---- the catalogue keys ---- */

extern const struct i18n_keys web_net_keys;

#endif
