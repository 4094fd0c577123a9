/* core/i18n_negotiate.c: the language of a reply (R36): a cookie, then
 * Accept-Language (RFC 9110 q-values, "sv-FI", "*", q=0, malformed and
 * overlong headers), then the site's default. */
#include "testutil.h"

#include <string.h>

#include "core/i18n.h"

#define FI LANG_FI
#define SV LANG_SV
#define EN LANG_EN

static void test_negotiate_R36(void **state)
{
    (void)state;
    static const struct {
        const char *cookie;
        const char *header;
        enum lang fallback;
        enum lang expected;
    } cases[] = {
        /* nothing asked: the site's default (pages fi, the API en) */
        {NULL, NULL, FI, FI},
        {NULL, NULL, EN, EN},
        {NULL, "", FI, FI},
        {NULL, "   ", SV, SV},
        {NULL, ",, ,", EN, EN},
        /* one language, any case, with a region or the "_" some clients send */
        {NULL, "sv", FI, SV},
        {NULL, "SV", FI, SV},
        {NULL, "sv-FI", EN, SV},
        {NULL, "sv-fi", EN, SV},
        {NULL, "sv_FI", EN, SV},
        {NULL, "en-GB-oxendict", FI, EN},
        {NULL, ",,,sv,,,", EN, SV},
        /* browsers' headers */
        {NULL, "fi-FI,fi;q=0.9,en-US;q=0.8,en;q=0.7", EN, FI},
        {NULL, "en-US,en;q=0.9,fi;q=0.8", FI, EN},
        {NULL, "sv-FI,sv;q=0.9,fi;q=0.8,en;q=0.7", EN, SV},
        /* q-values decide, not the order */
        {NULL, "de, sv-FI;q=0.8, fi;q=0.5", EN, SV},
        {NULL, "en;q=0.1, fi", EN, FI},
        {NULL, "fi;q=0.3, sv;q=0.301", EN, SV},
        {NULL, "sv;q=0.2, sv-FI;q=0.9, fi;q=0.5", EN, SV},
        /* a tie: the earlier range */
        {NULL, "sv;q=0.5, en;q=0.5", FI, SV},
        {NULL, "en;q=0.5, sv;q=0.5", FI, EN},
        {NULL, "en, fi", SV, EN},
        /* none of ours: the default */
        {NULL, "de", EN, EN},
        {NULL, "de", FI, FI},
        {NULL, "de-DE, fr;q=0.9", SV, SV},
        {NULL, "fin, swe", EN, EN}, /* three letters: not our tags */
        /* "*": every language no other range names; the default wins its tie */
        {NULL, "*", SV, SV},
        {NULL, "de-DE, *;q=0.5", EN, EN},
        {NULL, "de-DE, *;q=0.5", FI, FI},
        {NULL, "*;q=0.5, sv;q=0.6", FI, SV},
        {NULL, "*;q=0.5, sv;q=0.4", FI, FI},
        {NULL, "*;q=0.5, fi;q=0.4", FI, SV}, /* fi named lower; sv and en by "*" */
        {NULL, "*, fi;q=0", FI, SV},
        {NULL, "*, en;q=0", EN, FI},
        {NULL, "*;q=0", EN, EN},
        /* q=0 rules a language out, also against "*" and the default */
        {NULL, "fi;q=0", FI, SV},
        {NULL, "en;q=0", EN, FI},
        {NULL, "sv, sv;q=0", FI, FI},
        {NULL, "fi;q=0, sv;q=0, en;q=0", SV, SV}, /* all ruled out: the default */
        {NULL, "fi;q=0, en;q=0.2", FI, EN},
        {NULL, "fi;q=0.0", FI, SV},
        {NULL, "fi;q=0.000", FI, SV},
        /* … but "sv-FI;q=0" leaves plain sv alone */
        {NULL, "sv-FI;q=0, en;q=0.3", FI, EN},
        {NULL, "sv-FI;q=0, sv;q=0.5", EN, SV},
        {NULL, "sv-FI;q=0, *;q=0.3", EN, EN},
        /* weights as RFC 9110 writes them */
        {NULL, "fi;q=1, sv;q=0.9", EN, FI},
        {NULL, "fi;q=1.0, sv;q=0.9", EN, FI},
        {NULL, "fi;q=1.000, sv;q=0.9", EN, FI},
        {NULL, "fi;Q=0.5, sv;q=0.4", EN, FI},
        {NULL, "sv ; q=0.5, en;q=0.1", FI, SV},
        {NULL, "sv;q=0.5 , en;q=0.1", FI, SV},
        {NULL, "sv\t;\tq=0.5,\ten;q=0.1", FI, SV},
        /* malformed ranges are skipped, the rest still counts */
        {NULL, "sv;q=1.001, en;q=0.1", FI, EN},
        {NULL, "sv;q=0.5555, en;q=0.1", FI, EN},
        {NULL, "sv;q=2, en;q=0.1", FI, EN},
        {NULL, "sv;q=-1, en;q=0.1", FI, EN},
        {NULL, "sv;q=, en;q=0.1", FI, EN},
        {NULL, "sv;q=.5, en;q=0.1", FI, EN},
        {NULL, "sv;q=0.5x, en;q=0.1", FI, EN},
        {NULL, "sv;q=0.5;x=1, en;q=0.1", FI, EN},
        {NULL, "sv;level=1, en;q=0.1", FI, EN},
        {NULL, "sv;, en;q=0.1", FI, EN},
        {NULL, "sv;q, en;q=0.1", FI, EN},
        {NULL, "s1, en;q=0.1", FI, EN},
        {NULL, "svenskaaa, en;q=0.1", FI, EN}, /* nine letters */
        {NULL, "sv-, en;q=0.1", FI, EN},
        {NULL, "-sv, en;q=0.1", FI, EN},
        {NULL, "sv--FI, en;q=0.1", FI, EN},
        {NULL, "sv-abcdefghi, en;q=0.1", FI, EN},
        {NULL, "sv FI, en;q=0.1", FI, EN},
        {NULL, "\xc3\xa4sv, en;q=0.1", FI, EN},
        {NULL, "sv*, en;q=0.1", FI, EN},
        {NULL, "**, en;q=0.1", FI, EN},
        {NULL, "q=1;sv", SV, SV},
        {NULL, ";;;", FI, FI},
        /* the cookie comes first when it names one of ours exactly */
        {"sv", "fi", EN, SV},
        {"SV", "fi", EN, SV},
        {"en", NULL, FI, EN},
        {"fi", "*;q=0", EN, FI},
        {"de", "sv", FI, SV},
        {"", "sv", FI, SV},
        {"sv ", "en", FI, EN},
        {"sv-FI", "en", FI, EN},
        {"s", NULL, EN, EN},
        {"fisv", NULL, EN, EN},
        /* a default out of range: Finnish */
        {NULL, NULL, (enum lang)LANG_COUNT, FI},
        {NULL, "de", (enum lang) - 1, FI},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        enum lang got = i18n_negotiate(cases[i].cookie, cases[i].header, cases[i].fallback);
        print_message(
            "cookie %s, \"%s\", default %d: %d\n", cases[i].cookie ? cases[i].cookie : "(none)",
            cases[i].header ? cases[i].header : "(none)", (int)cases[i].fallback, (int)got);
        assert_int_equal(got, cases[i].expected);
    }
}

/* A header longer than I18N_ACCEPT_LANGUAGE_MAX: read up to the limit, the
 * range the limit cuts ignored, the rest never looked at. */
static void test_negotiate_overlong(void **state)
{
    (void)state;
    enum { MAX = I18N_ACCEPT_LANGUAGE_MAX };
    static char h[4 * MAX];
    static const struct {
        const char *head;   /* written first */
        size_t pad_to;      /* then "x," up to this length */
        const char *tail;   /* then this */
        enum lang expected; /* with default en */
    } cases[] = {
        {"sv, ", 3 * MAX, "fi", SV},             /* within the limit: read */
        {"", 3 * MAX, "sv", EN},                 /* beyond it: never read */
        {"", MAX - 2, "sv;q=0.9", EN},           /* cut in two by the limit */
        {"", MAX - 2, "sv", SV},                 /* exactly the limit: whole */
        {"", MAX - 3, "sv,fi", SV},              /* the limit falls after it */
        {"fi;q=0.1, ", MAX - 2, "sv;q=0.9", FI}, /* the cut range does not count */
        {"fi;q=0.1, ", MAX - 2, "eng", FI},      /* "eng" cut to "en" is not en */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t n = strlen(cases[i].head);
        memcpy(h, cases[i].head, n);
        while (n + 2 <= cases[i].pad_to) {
            h[n++] = 'x';
            h[n++] = ',';
        }
        if (n < cases[i].pad_to)
            h[n++] = ' ';
        size_t t = strlen(cases[i].tail);
        memcpy(h + n, cases[i].tail, t);
        h[n + t] = '\0';
        print_message("case %zu: %zu bytes\n", i, n + t);
        assert_int_equal(i18n_negotiate(NULL, h, EN), cases[i].expected);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiate_R36),
        cmocka_unit_test(test_negotiate_overlong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
