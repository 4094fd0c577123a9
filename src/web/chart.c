/* Bar charts drawn on the server as SVG, each followed by the same figures
 * as a table (net.h). A chart is an image with a title and a description
 * for a screen reader (role="img", aria-labelledby); the table carries the
 * figures themselves. Colours come from the stylesheet's classes (the CSP
 * forbids inline style); sizes are presentation attributes. */
#include <stdio.h>
#include <string.h>

#include "web/net.h"

#define WIDTH     640
#define LABEL_W   250 /* the labels' column */
#define VALUE_W   80  /* room for the figure after the longest bar */
#define ROW_H     30
#define BAR_H     20
#define PAIR_H    15 /* each bar of a pair */
#define LABEL_MAX 26 /* characters of a label in the chart; the table has all */

/* A label cut to LABEL_MAX characters (UTF-8), with "…" when cut. */
static void short_label(const char *in, char *out, size_t cap)
{
    size_t chars = 0, i = 0;
    for (; in[i]; i++) {
        if (((unsigned char)in[i] & 0xc0) != 0x80 && ++chars > LABEL_MAX)
            break;
    }
    if (!in[i] || i + 4 > cap) {
        snprintf(out, cap, "%.*s", (int)(i < cap ? i : cap - 1), in);
        return;
    }
    snprintf(out, cap, "%.*s\xe2\x80\xa6", (int)i, in);
}

static int64_t largest(const int64_t *v, size_t n)
{
    int64_t m = 0;
    for (size_t i = 0; v && i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

static void svg_open(struct page *p, const char *id, const char *title, const char *desc,
                     int height)
{
    char tid[80], did[80], both[170];
    snprintf(tid, sizeof tid, "%s-title", id);
    snprintf(did, sizeof did, "%s-desc", id);
    snprintf(both, sizeof both, "%s %s", tid, did);
    html_raw(&p->h, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                    "role=\"img\" class=\"chart-svg\"");
    html_attr(&p->h, "id", id);
    html_attr(&p->h, "aria-labelledby", both);
    char box[40];
    snprintf(box, sizeof box, "0 0 %d %d", WIDTH, height);
    html_attr(&p->h, "viewBox", box);
    html_attr_int(&p->h, "width", WIDTH);
    html_attr_int(&p->h, "height", height);
    html_raw(&p->h, "><title");
    html_attr(&p->h, "id", tid);
    html_raw(&p->h, ">");
    html_text(&p->h, title);
    html_raw(&p->h, "</title><desc");
    html_attr(&p->h, "id", did);
    html_raw(&p->h, ">");
    html_text(&p->h, desc);
    html_raw(&p->h, "</desc>");
}

static void svg_label(struct page *p, int y, const char *label)
{
    char text[LABEL_MAX * 4 + 8];
    short_label(label, text, sizeof text);
    html_raw(&p->h, "<text class=\"chart-label\" text-anchor=\"end\"");
    html_attr_int(&p->h, "x", LABEL_W - 8);
    html_attr_int(&p->h, "y", y);
    html_raw(&p->h, ">");
    html_text(&p->h, text);
    html_raw(&p->h, "</text>");
}

static void svg_bar(struct page *p, const char *cls, int y, int h, int64_t v, int64_t max)
{
    const int room = WIDTH - LABEL_W - VALUE_W;
    int w = max > 0 ? (int)(v * room / max) : 0;
    if (v > 0 && w < 2)
        w = 2; /* a figure above zero is seen */
    html_raw(&p->h, "<rect");
    html_attr(&p->h, "class", cls);
    html_attr_int(&p->h, "x", LABEL_W);
    html_attr_int(&p->h, "y", y);
    html_attr_int(&p->h, "width", w);
    html_attr_int(&p->h, "height", h);
    html_raw(&p->h, "></rect><text class=\"chart-value\"");
    html_attr_int(&p->h, "x", LABEL_W + w + 6);
    html_attr_int(&p->h, "y", y + h - 3);
    html_raw(&p->h, ">");
    html_int(&p->h, p->lang, v);
    html_raw(&p->h, "</text>");
}

static void figures_table(struct page *p, const char *id, const char *title,
                          const char *label_heading, const char *a_heading, const char *b_heading,
                          const char *const *labels, const int64_t *a, const int64_t *b, size_t n)
{
    char tid[80], caption[300];
    snprintf(tid, sizeof tid, "%s-table", id);
    const char *args[] = {title};
    text_fill(caption, sizeof caption, i18n_text(p->lang, "page.net.chart.table"), args, 1);
    const char *headings[] = {label_heading, a_heading, b_heading};
    net_table(p, tid, caption, headings, b ? 3 : 2, b ? 6u : 2u);
    for (size_t i = 0; i < n; i++) {
        html_raw(&p->h, "<tr>");
        net_th_row(p, labels[i]);
        net_td_int(p, a[i]);
        if (b)
            net_td_int(p, b[i]);
        html_raw(&p->h, "</tr>");
    }
    net_table_end(p);
}

void chart_bars(struct page *p, const char *id, const char *title, const char *desc,
                const char *label_heading, const char *value_heading, const char *const *labels,
                const int64_t *values, size_t n)
{
    int height = (int)n * ROW_H + 10;
    svg_open(p, id, title, desc, height);
    int64_t max = largest(values, n);
    for (size_t i = 0; i < n; i++) {
        int y = 5 + (int)i * ROW_H;
        svg_label(p, y + BAR_H - 5, labels[i]);
        svg_bar(p, "chart-bar", y, BAR_H, values[i], max);
    }
    html_raw(&p->h, "</svg></figure>");
    figures_table(p, id, title, label_heading, value_heading, NULL, labels, values, NULL, n);
}

void chart_pairs(struct page *p, const char *id, const char *title, const char *desc,
                 const char *label_heading, const char *a_heading, const char *b_heading,
                 const char *const *labels, const int64_t *a, const int64_t *b, size_t n)
{
    int height = (int)n * (2 * PAIR_H + 12) + 40;
    svg_open(p, id, title, desc, height);
    int64_t max = largest(a, n) > largest(b, n) ? largest(a, n) : largest(b, n);
    for (size_t i = 0; i < n; i++) {
        int y = 5 + (int)i * (2 * PAIR_H + 12);
        svg_label(p, y + PAIR_H + 4, labels[i]);
        svg_bar(p, "chart-bar", y, PAIR_H, a[i], max);
        svg_bar(p, "chart-bar-b", y + PAIR_H, PAIR_H, b[i], max);
    }
    /* the key of the two colours */
    int y = height - 26;
    html_raw(&p->h, "<rect class=\"chart-bar\" width=\"14\" height=\"14\"");
    html_attr_int(&p->h, "x", LABEL_W);
    html_attr_int(&p->h, "y", y);
    html_raw(&p->h, "></rect><text class=\"chart-label\"");
    html_attr_int(&p->h, "x", LABEL_W + 20);
    html_attr_int(&p->h, "y", y + 12);
    html_raw(&p->h, ">");
    html_text(&p->h, a_heading);
    html_raw(&p->h, "</text><rect class=\"chart-bar-b\" width=\"14\" height=\"14\"");
    html_attr_int(&p->h, "x", LABEL_W + 180);
    html_attr_int(&p->h, "y", y);
    html_raw(&p->h, "></rect><text class=\"chart-label\"");
    html_attr_int(&p->h, "x", LABEL_W + 200);
    html_attr_int(&p->h, "y", y + 12);
    html_raw(&p->h, ">");
    html_text(&p->h, b_heading);
    html_raw(&p->h, "</text></svg></figure>");
    figures_table(p, id, title, label_heading, a_heading, b_heading, labels, a, b, n);
}
