/* core/i18n_plural.c: plural forms (R36). The reader of the catalogues'
 * Plural-Forms formulas against gettext's documented formulas of other
 * languages, and the counted sentences of the real catalogues, a table per
 * language: "1 paikka" but "0 paikkaa", "2 paikkaa", "21 paikkaa". */
#include "testutil.h"

#include <string.h>

#include "core/error.h"
#include "core/i18n.h"

/* Formulas from the gettext manual ("Plural forms"), with the form each
 * count takes there, and headers that cannot be read. */
static void test_plural_formulas(void **state)
{
    (void)state;
#define H(x) "Language: xx\nPlural-Forms: " x "\nContent-Type: text/plain\n"
    static const char *const fi = H("nplurals=2; plural=(n != 1);");
    static const char *const fr = H("nplurals=2; plural=n>1;");
    static const char *const ja = H("nplurals=1; plural=0;");
    static const char *const lv =
        H("nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2;");
    static const char *const ga = H("nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;");
    static const char *const pl =
        H("nplurals=3; plural=n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;");
    static const char *const sl =
        H("nplurals=4; plural=n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3;");
    static const char *const ar =
        H("nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5;");
    static const struct {
        const char *header;
        uint64_t n;
        unsigned nplurals, form;
    } cases[] = {
        {fi, 0, 2, 1},
        {fi, 1, 2, 0},
        {fi, 2, 2, 1},
        {fi, 21, 2, 1},
        {fi, 1000000, 2, 1},
        {fr, 0, 2, 0},
        {fr, 1, 2, 0},
        {fr, 2, 2, 1},
        {ja, 1, 1, 0},
        {ja, 7, 1, 0},
        {lv, 0, 3, 2},
        {lv, 1, 3, 0},
        {lv, 11, 3, 1},
        {lv, 21, 3, 0},
        {lv, 5, 3, 1},
        {ga, 1, 3, 0},
        {ga, 2, 3, 1},
        {ga, 3, 3, 2},
        {pl, 1, 3, 0},
        {pl, 2, 3, 1},
        {pl, 4, 3, 1},
        {pl, 5, 3, 2},
        {pl, 12, 3, 2},
        {pl, 22, 3, 1},
        {pl, 112, 3, 2},
        {sl, 1, 4, 0},
        {sl, 101, 4, 0},
        {sl, 2, 4, 1},
        {sl, 3, 4, 2},
        {sl, 4, 4, 2},
        {sl, 5, 4, 3},
        {ar, 0, 6, 0},
        {ar, 1, 6, 1},
        {ar, 2, 6, 2},
        {ar, 3, 6, 3},
        {ar, 10, 6, 3},
        {ar, 11, 6, 4},
        {ar, 99, 6, 4},
        {ar, 100, 6, 5},
        {ar, 102, 6, 5},
        /* precedence and associativity as in C */
        {H("nplurals=3; plural=n - 1 - 1;"), 4, 3, 2},
        {H("nplurals=6; plural=1 + 2 * n % 4;"), 3, 6, 3},
        {H("nplurals=2; plural=!(n == 1);"), 1, 2, 0},
        {H("nplurals=2; plural=!!n;"), 5, 2, 1},
        {H("nplurals=3; plural=n ? n == 1 ? 0 : 1 : 2;"), 0, 3, 2},
        {H("nplurals=2;plural=n<=1?0:1"), 1, 2, 0},
        {H("nplurals= 2 ; plural= ( n >= 2 ) ;"), 2, 2, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        unsigned nplurals = 99, form = 99;
        print_message("%s n=%llu\n", cases[i].header, (unsigned long long)cases[i].n);
        assert_int_equal(i18n_plural_form(cases[i].header, cases[i].n, &nplurals, &form), 0);
        assert_int_equal(nplurals, cases[i].nplurals);
        assert_int_equal(form, cases[i].form);
    }
    static const char *const unreadable[] = {
        NULL,
        "Language: xx\n",                              /* no Plural-Forms */
        H("nplurals=2;"),                              /* no formula */
        H("plural=(n != 1);"),                         /* no count */
        H("nplurals=0; plural=0;"),                    /* no form at all */
        H("nplurals=7; plural=0;"),                    /* more than I18N_NPLURALS_MAX */
        H("nplurals=2; plural=n + 1;"),                /* form 2 of 2 for n = 1 */
        H("nplurals=2; plural=(n != 1;"),              /* a parenthesis left open */
        H("nplurals=2; plural=n != 1);"),              /* one closed too many */
        H("nplurals=2; plural=n / (n - 1);"),          /* division by zero for n = 1 */
        H("nplurals=2; plural=n % 0;"),                /* … by zero */
        H("nplurals=2; plural=n ? 1;"),                /* ?: without : */
        H("nplurals=2; plural=x;"),                    /* not n */
        H("nplurals=2; plural=n =! 1;"),               /* not an operator */
        H("nplurals=2; plural=;"),                     /* empty */
        H("nplurals=2x; plural=0;"),                   /* a count with a tail */
        H("nplurals=2; plural=99999999999999999999;"), /* a number too long */
        H("nplurals=2; "
          "plural=(((((((((((((((((((((((((((((((((n)))))))))))))))))))))))))))))))));"),
    };
    for (size_t i = 0; i < ARRAY_LEN(unreadable); i++) {
        unsigned nplurals, form;
        print_message("unreadable %zu\n", i);
        assert_int_equal(i18n_plural_form(unreadable[i], 1, &nplurals, &form), -ERR_INTERNAL);
    }
#undef H
}

/* The counted sentences of the real catalogues, one table per language: the
 * form for 1 differs from the form for every other count where the
 * language says so (Swedish "kort" and English "more" do not change). */
struct plural_case {
    const char *key;
    int64_t n;
    const char *text;
};

static void check_lang(enum lang lang, const struct plural_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        print_message("%s %s %lld\n", i18n_tag(lang), cases[i].key, (long long)cases[i].n);
        assert_string_equal(i18n_plural(lang, cases[i].key, cases[i].n), cases[i].text);
    }
}

static void test_plural_fi_R36(void **state)
{
    (void)state;
    static const struct plural_case cases[] = {
        {"page.boxoffice.event.left", 1, "{1} paikka jäljellä"},
        {"page.boxoffice.event.left", 0, "{1} paikkaa jäljellä"},
        {"page.boxoffice.event.left", 2, "{1} paikkaa jäljellä"},
        {"page.boxoffice.event.left", 21, "{1} paikkaa jäljellä"},
        {"page.boxoffice.event.left", -1, "{1} paikka jäljellä"},
        {"page.boxoffice.n.adult", 1, "{1} aikuinen"},
        {"page.boxoffice.n.adult", 3, "{1} aikuista"},
        {"page.boxoffice.n.child", 1, "{1} lapsi"},
        {"page.boxoffice.n.child", 2, "{1} lasta"},
        {"page.boxoffice.n.companion", 1, "{1} avustaja"},
        {"page.boxoffice.today.uses", 1, "{1} käyttö"},
        {"page.boxoffice.today.uses", 0, "{1} käyttöä"},
        {"page.desk.stock.count", 1, "{1} kortti jäljellä"},
        {"page.desk.stock.count", 50, "{1} korttia jäljellä"},
        {"page.desk.stock.more_codes", 1, "ja {1} muu"},
        {"page.desk.stock.more_codes", 9, "ja {1} muuta"},
        {"page.public.event.booking", 1, "Varaus avautuu {1} klo {2} ({3} päivä ennen alkua)."},
        {"page.public.event.booking", 7, "Varaus avautuu {1} klo {2} ({3} päivää ennen alkua)."},
        /* not plural: one text whatever the count */
        {"page.boxoffice.today", 1, "Tänään tässä kohteessa"},
        {"no.such.key", 1, "no.such.key"},
    };
    check_lang(LANG_FI, cases, ARRAY_LEN(cases));
}

static void test_plural_sv_R36(void **state)
{
    (void)state;
    static const struct plural_case cases[] = {
        {"page.boxoffice.event.left", 1, "{1} plats kvar"},
        {"page.boxoffice.event.left", 0, "{1} platser kvar"},
        {"page.boxoffice.event.left", 11, "{1} platser kvar"},
        {"page.boxoffice.n.adult", 1, "{1} vuxen"},
        {"page.boxoffice.n.adult", 2, "{1} vuxna"},
        {"page.boxoffice.n.child", 1, "{1} barn"},
        {"page.boxoffice.n.child", 2, "{1} barn"},
        {"page.boxoffice.today.uses", 1, "{1} användning"},
        {"page.boxoffice.today.uses", 4, "{1} användningar"},
        {"page.error.retry", 1, "Försök igen om {1} minut."},
        {"page.error.retry", 15, "Försök igen om {1} minuter."},
        {"page.desk.stock.count", 1, "{1} kort kvar"},
        {"page.desk.stock.count", 2, "{1} kort kvar"},
    };
    check_lang(LANG_SV, cases, ARRAY_LEN(cases));
}

static void test_plural_en_R36(void **state)
{
    (void)state;
    static const struct plural_case cases[] = {
        {"page.boxoffice.event.left", 1, "{1} place left"},
        {"page.boxoffice.event.left", 0, "{1} places left"},
        {"page.boxoffice.event.left", 1000, "{1} places left"},
        {"page.boxoffice.n.child", 1, "{1} child"},
        {"page.boxoffice.n.child", 2, "{1} children"},
        {"page.boxoffice.n.companion", 2, "{1} companions"},
        {"page.boxoffice.todo.cap_reached", 1,
         "{1} Kaikukortti place is left. Record fewer tickets or choose another event."},
        {"page.boxoffice.todo.cap_reached", 3,
         "{1} Kaikukortti places are left. Record fewer tickets or choose another event."},
        {"page.desk.transfer.done", 1,
         "The transfer request has been sent to the coordinator: {1} card to {2}."},
        {"page.public.events.none", 1, "No events in the next {1} day."},
        {"page.public.events.none", 60, "No events in the next {1} days."},
        {"page.public.event.collection", 1,
         "Tickets can be collected at the box office from {1} ({2} minute before the start)."},
        /* out of range: English */
        {"page.desk.stock.count", 1, "{1} card left"},
    };
    check_lang(LANG_EN, cases, ARRAY_LEN(cases));
    assert_string_equal(i18n_plural((enum lang)LANG_COUNT, "page.desk.stock.count", 2),
                        "{1} cards left");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plural_formulas),
        cmocka_unit_test(test_plural_fi_R36),
        cmocka_unit_test(test_plural_sv_R36),
        cmocka_unit_test(test_plural_en_R36),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
