/* web/html.c and web_path_safe: every value written to a page is escaped
 * (hostile text comes out inert), links kaiku writes refuse javascript:
 * and friends, and the paths a redirect may lead to (sign-in's next, the
 * language switch) are same-site only — each as a table. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "web/html.h"
#include "web/web.h"

static char *take(struct html *h)
{
    size_t n;
    char *s = html_take(h, &n);
    assert_non_null(s);
    assert_int_equal(strlen(s), n);
    return s;
}

static void test_text_escaped(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"Taikuri Matti", "Taikuri Matti"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
        {"O'Brien & \"Sons\"", "O&#39;Brien &amp; &quot;Sons&quot;"},
        {"&lt;already&gt;", "&amp;lt;already&amp;gt;"},
        {"javascript:alert(1)", "javascript:alert(1)"}, /* text, never a link */
        {"Åbo ä ö – “quotes”", "Åbo ä ö – “quotes”"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct html h = {0};
        html_text(&h, cases[i].in);
        char *s = take(&h);
        if (strcmp(s, cases[i].out) != 0)
            fail_msg("case %zu: %s", i, s);
        free(s);
        /* an attribute value: the same escaping, inside quotes */
        html_attr(&h, "value", cases[i].in);
        s = take(&h);
        char want[200];
        snprintf(want, sizeof want, " value=\"%s\"", cases[i].out);
        if (strcmp(s, want) != 0)
            fail_msg("attr case %zu: %s", i, s);
        free(s);
    }
}

static void test_links(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        bool allowed;
    } cases[] = {
        {"/", true},
        {"/box-office", true},
        {"/lang/sv?next=/box-office", true},
        {"https://kaikukortti.fi/", true},
        {"http://example.org/a?b=c", true},
        {"mailto:info@example.org", true},
        {"javascript:alert(1)", false},
        {"JavaScript:alert(1)", false},
        {" javascript:alert(1)", false},
        {"java\tscript:alert(1)", false},
        {"vbscript:msgbox(1)", false},
        {"data:text/html,<script>alert(1)</script>", false},
        {"//evil.example/", false},
        {"/\\evil.example", false},
        {"https://evil.example/\\x", false},
        {"https://a b", false},
        {"", false},
        {NULL, false},
        {"box-office", false}, /* relative: kaiku writes none */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        if (html_url_allowed(cases[i].url) != cases[i].allowed)
            fail_msg("case %zu: %s", i, cases[i].url ? cases[i].url : "(null)");
        struct html h = {0};
        html_href(&h, "href", cases[i].url);
        char *s = take(&h);
        if (!cases[i].allowed && strcmp(s, " href=\"#\"") != 0)
            fail_msg("case %zu written as %s", i, s);
        free(s);
    }
    /* an allowed link is still escaped */
    struct html h = {0};
    html_href(&h, "href", "https://example.org/?a=1&b=\"2\"");
    char *s = take(&h);
    assert_string_equal(s, " href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\"");
    free(s);
}

/* Sign-in's next and the language switch's next: same-site paths only. */
static void test_redirect_paths(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        bool safe;
    } cases[] = {
        {"/", true},
        {"/box-office", true},
        {"/box-office/undo/12", true},
        {"/offer?region=espoo", true},
        {"/a%20b", true},
        {"//evil.example", false},
        {"///evil.example", false},
        {"/\\evil.example", false},
        {"/\\/evil.example", false},
        {"\\\\evil.example", false},
        {"/%2F%2Fevil.example", false},
        {"/%2f%2fevil.example", false},
        {"/%5Cevil.example", false},
        {"/%5cevil.example", false},
        {"/%252F%252Fevil.example", false}, /* encoded twice */
        {"/%0d%0aSet-Cookie:x=1", false},
        {"/%09/evil.example", false},
        {"/%zz", false},
        {"/%2", false},
        {"/ok\r\nLocation: //evil", false},
        {"/a b", false},
        {"https://evil.example", false},
        {"http:/evil.example", false},
        {"javascript:alert(1)", false},
        {"evil.example", false},
        {"", false},
        {NULL, false},
        {"/:evil", false},
        {"/a//b", false},
        {"/\x7f", false},
        {"/\xc3\xa4", false}, /* non-ASCII: only percent-encoded */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (web_path_safe(cases[i].path) != cases[i].safe)
            fail_msg("case %zu: %s", i, cases[i].path ? cases[i].path : "(null)");
    char long_path[WEB_PATH_MAX + 2];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = '\0';
    assert_false(web_path_safe(long_path));
    long_path[WEB_PATH_MAX] = '\0';
    assert_true(web_path_safe(long_path));
}

static void test_placeholders(void **state)
{
    (void)state;
    const char *args[] = {"<b>", "1.3.2027", NULL};
    static const struct {
        const char *tmpl, *html, *text;
    } cases[] = {
        {"Booking opens on {2} at {1}.", "Booking opens on 1.3.2027 at &lt;b&gt;.",
         "Booking opens on 1.3.2027 at <b>."},
        {"{3} {4} {0} {x} {", "{3} {4} {0} {x} {", "{3} {4} {0} {x} {"},
        {"<i>{1}</i>", "&lt;i&gt;&lt;b&gt;&lt;/i&gt;", "<i><b></i>"},
        {"", "", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct html h = {0};
        html_textf(&h, cases[i].tmpl, args, 3);
        char *s = take(&h);
        if (strcmp(s, cases[i].html) != 0)
            fail_msg("case %zu: %s", i, s);
        free(s);
        char out[100];
        text_fill(out, sizeof out, cases[i].tmpl, args, 3);
        if (strcmp(out, cases[i].text) != 0)
            fail_msg("text case %zu: %s", i, out);
    }
    char small[6];
    text_fill(small, sizeof small, "{2} and more", args, 2);
    assert_string_equal(small, "1.3.2");
}

static void test_numbers_and_dates(void **state)
{
    (void)state;
    struct html h = {0};
    html_int(&h, LANG_FI, 1234);
    html_raw(&h, "|");
    html_int(&h, LANG_EN, 1234);
    html_raw(&h, "|");
    html_date(&h, LANG_FI, D(2027, 2, 3));
    html_raw(&h, "|");
    html_date(&h, LANG_EN, D(2027, 2, 3));
    html_raw(&h, "|");
    html_time(&h, LANG_FI, T("2027-03-01T18:00"));
    html_raw(&h, "|");
    html_time(&h, LANG_EN, T("2027-03-01T08:05"));
    char *s = take(&h);
    assert_string_equal(s, "1\xc2\xa0"
                           "234|1,234|3.2.2027|2027-02-03|18.00|08:05");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_escaped),      cmocka_unit_test(test_links),
        cmocka_unit_test(test_redirect_paths),    cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_numbers_and_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
