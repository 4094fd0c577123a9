/* libFuzzer target for the pages' escaping and redirect check (web/html.c,
 * web_path_safe). Besides "no crash, no sanitizer report" it checks what
 * they promise: escaped text and attributes hold no < > " ' and no & that
 * does not start an entity; a link kaiku writes is "#" or starts with "/",
 * "http://", "https://" or "mailto:"; a path web_path_safe accepts starts
 * with one "/", has no "//", no backslash and no byte outside printable
 * ASCII; text_fill never writes past its buffer. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/html.h"
#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void assert_escaped(const char *s)
{
    for (const char *p = s; *p; p++) {
        assert(*p != '<' && *p != '>' && *p != '"' && *p != '\'');
        if (*p == '&')
            assert(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 ||
                   strncmp(p, "&gt;", 4) == 0 || strncmp(p, "&quot;", 6) == 0 ||
                   strncmp(p, "&#39;", 5) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    struct html h = {0};
    html_text(&h, s);
    size_t n;
    char *out = html_take(&h, &n);
    assert(out);
    assert_escaped(out);
    free(out);

    const char *args[] = {s, "<&>"};
    html_textf(&h, s, args, 2);
    out = html_take(&h, &n);
    assert(out);
    assert_escaped(out);
    free(out);

    html_href(&h, "href", s);
    out = html_take(&h, &n);
    assert(out);
    assert(strncmp(out, " href=\"", 7) == 0);
    const char *v = out + 7;
    assert(strcmp(v, "#\"") == 0 || v[0] == '/' || strncasecmp(v, "http://", 7) == 0 ||
           strncasecmp(v, "https://", 8) == 0 || strncasecmp(v, "mailto:", 7) == 0);
    free(out);

    if (web_path_safe(s)) {
        assert(s[0] == '/' && !strstr(s, "//") && !strchr(s, '\\'));
        assert(strlen(s) <= WEB_PATH_MAX);
        for (const char *p = s; *p; p++)
            assert((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f);
    }

    char small[8];
    memset(small, 'x', sizeof small);
    text_fill(small, sizeof small - 1, s, args, 2);
    assert(small[sizeof small - 1] == 'x' && strlen(small) < sizeof small - 1);
    free(s);
    return 0;
}
