/* The pages' HTML writer: a growing buffer into which a page is written
 * piece by piece. Every value goes through an escaping function; only the
 * page's own literal markup is written raw. Modelled on cgit's html.c:
 * html_text for element content, html_attr for attribute values, html_href
 * for links (a same-site path, or http(s)/mailto; javascript:, data: and
 * the rest become "#").
 *
 * Out of memory is remembered (h->failed) and every later write is
 * skipped, so a page is written without checking each call; html_take
 * reports it once at the end. */
#ifndef KAIKU_WEB_HTML_H
#define KAIKU_WEB_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"

struct html {
    char *buf;
    size_t len, cap;
    bool failed;
};

/* The page's own markup, written as it is. Never a value from a request,
 * the store or the catalogue. */
void html_raw(struct html *h, const char *markup);
void html_rawn(struct html *h, const char *markup, size_t n);

/* Text as element content: & < > " ' escaped. NULL writes nothing. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);
/* ` name="value"` with the value escaped as text (quotes included). */
void html_attr(struct html *h, const char *name, const char *value);
/* ` name="123"`. */
void html_attr_int(struct html *h, const char *name, int64_t v);
/* ` href="url"` (or another name): url escaped when html_url_allowed()
 * says yes, else "#". */
void html_href(struct html *h, const char *name, const char *url);

/* A text with placeholders {1} … {9} (a catalogue string such as "Booking
 * opens on {1} at {2}."), the template and each argument escaped alike; an
 * argument missing or a malformed placeholder is written as it stands. */
void html_textf(struct html *h, const char *tmpl, const char *const *args, size_t nargs);

/* The same substitution into plain text (to be escaped when written),
 * cut at cap. */
void text_fill(char *out, size_t cap, const char *tmpl, const char *const *args, size_t nargs);

/* A number and a date as lang writes them (i18n_number, i18n_date), and a
 * Finnish clock time "18.00" / "18:00". */
void html_int(struct html *h, enum lang lang, int64_t n);
void html_date(struct html *h, enum lang lang, int32_t day);
void html_time(struct html *h, enum lang lang, int64_t t);

/* True for a link kaiku writes: a same-site path ("/", "/box-office?x=1";
 * web_path_safe's rules), or an absolute http:, https: or mailto: URL.
 * javascript:, data:, vbscript:, protocol-relative "//host" and anything
 * with control characters or a backslash are refused. */
bool html_url_allowed(const char *url);

/* The page (NUL-terminated, malloc'd) and its length, or NULL when a
 * write failed; the writer is then empty again. */
char *html_take(struct html *h, size_t *len);
void html_free(struct html *h);

#endif
