/* The HTML writer of html.h. */
#include "web/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/date.h"
#include "web/web.h"

static bool grow(struct html *h, size_t more)
{
    if (h->failed)
        return false;
    if (h->len + more + 1 <= h->cap)
        return true;
    size_t cap = h->cap ? h->cap : 8192;
    while (cap < h->len + more + 1)
        cap *= 2;
    char *p = realloc(h->buf, cap);
    if (!p) {
        h->failed = true;
        return false;
    }
    h->buf = p;
    h->cap = cap;
    return true;
}

void html_rawn(struct html *h, const char *markup, size_t n)
{
    if (!markup || !grow(h, n))
        return;
    memcpy(h->buf + h->len, markup, n);
    h->len += n;
    h->buf[h->len] = '\0';
}

void html_raw(struct html *h, const char *markup)
{
    if (markup)
        html_rawn(h, markup, strlen(markup));
}

void html_textn(struct html *h, const char *s, size_t n)
{
    if (!s)
        return;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '&':
            esc = "&amp;";
            break;
        case '<':
            esc = "&lt;";
            break;
        case '>':
            esc = "&gt;";
            break;
        case '"':
            esc = "&quot;";
            break;
        case '\'':
            esc = "&#39;";
            break;
        default:
            continue;
        }
        html_rawn(h, s + start, i - start);
        html_raw(h, esc);
        start = i + 1;
    }
    html_rawn(h, s + start, n - start);
}

void html_text(struct html *h, const char *s)
{
    if (s)
        html_textn(h, s, strlen(s));
}

void html_attr(struct html *h, const char *name, const char *value)
{
    html_raw(h, " ");
    html_raw(h, name);
    html_raw(h, "=\"");
    html_text(h, value ? value : "");
    html_raw(h, "\"");
}

void html_attr_int(struct html *h, const char *name, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    html_attr(h, name, buf);
}

bool html_url_allowed(const char *url)
{
    if (!url || !*url)
        return false;
    if (url[0] == '/')
        return web_path_safe(url);
    static const char *const schemes[] = {"https://", "http://", "mailto:"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(url, schemes[i], n) != 0)
            continue;
        for (const char *p = url; *p; p++)
            if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '\\')
                return false;
        return true;
    }
    return false;
}

void html_href(struct html *h, const char *name, const char *url)
{
    html_attr(h, name, html_url_allowed(url) ? url : "#");
}

void html_textf(struct html *h, const char *tmpl, const char *const *args, size_t nargs)
{
    if (!tmpl)
        return;
    const char *p = tmpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open) {
            html_text(h, p);
            return;
        }
        if (open[1] >= '1' && open[1] <= '9' && open[2] == '}' && (size_t)(open[1] - '1') < nargs &&
            args[open[1] - '1']) {
            html_textn(h, p, (size_t)(open - p));
            html_text(h, args[open[1] - '1']);
            p = open + 3;
        } else {
            html_textn(h, p, (size_t)(open - p) + 1);
            p = open + 1;
        }
    }
}

void text_fill(char *out, size_t cap, const char *tmpl, const char *const *args, size_t nargs)
{
    size_t o = 0;
    if (cap == 0)
        return;
    for (const char *p = tmpl ? tmpl : ""; *p && o + 1 < cap;) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
            (size_t)(p[1] - '1') < nargs && args[p[1] - '1']) {
            for (const char *a = args[p[1] - '1']; *a && o + 1 < cap; a++)
                out[o++] = *a;
            p += 3;
        } else
            out[o++] = *p++;
    }
    out[o] = '\0';
}

void html_int(struct html *h, enum lang lang, int64_t n)
{
    char buf[I18N_NUMBER_LEN];
    i18n_number(lang, n, buf);
    html_text(h, buf);
}

void html_date(struct html *h, enum lang lang, int32_t day)
{
    char buf[I18N_DATE_LEN];
    i18n_date(lang, day, buf);
    html_text(h, buf);
}

void html_time(struct html *h, enum lang lang, int64_t t)
{
    int32_t day;
    int sec;
    hki_to_local(t, &day, &sec);
    char buf[8];
    snprintf(buf, sizeof buf, lang == LANG_EN ? "%02d:%02d" : "%d.%02d", sec / 3600, sec / 60 % 60);
    html_text(h, buf);
}

char *html_take(struct html *h, size_t *len)
{
    char *out = h->failed ? NULL : h->buf;
    *len = h->failed ? 0 : h->len;
    if (h->failed)
        free(h->buf);
    else if (!out) { /* nothing written: an empty page is still a page */
        out = calloc(1, 1);
    }
    *h = (struct html){0};
    return out;
}

void html_free(struct html *h)
{
    free(h->buf);
    *h = (struct html){0};
}
