/* core/identity.c: R10 for every way of writing an identity code, and free
 * text about a card or its holder (a cancel reason, an event's name or
 * exclusion reason) kept free of phone numbers and e-mail addresses. */
#include <stdbool.h>
#include <string.h>

#include "core/error.h"
#include "core/rules.h"
#include "util/strutil.h"
#include "testutil.h"

/* R10: 131052-308T (131052308 mod 31 = 25 → T) as a person might type,
 * paste or disguise it. Each must be found; the century sign does not enter
 * the check character, so every sign gives a valid code with the same T. */
static void test_identity_hetu_variants_R10(void **state)
{
    (void)state;
    static const struct {
        const char *text, *what;
    } cases[] = {
        {"131052-308T", "hyphen-minus"},
        {"131052\u2013308T", "en dash"},
        {"131052\u2014308T", "em dash"},
        {"131052\u2212308T", "minus sign"},
        {"131052\u2011308T", "non-breaking hyphen"},
        {"131052\u2010308T", "hyphen"},
        {"131052\u2012308T", "figure dash"},
        {"131052\u2015308T", "horizontal bar"},
        {"131052\uFE63308T", "small hyphen-minus"},
        {"131052\uFF0D308T", "full-width hyphen-minus"},
        {"\uFF11\uFF13\uFF11\uFF10\uFF15\uFF12-\uFF13\uFF10\uFF18\uFF34", "full-width"},
        {"131052-308\uFF34", "full-width check letter"},
        {"13\u200B1052-308T", "zero-width space inside"},
        {"131052\u00AD-308T", "soft hyphen inside"},
        {"1310\u206052-308T", "word joiner inside"},
        {"131\uFEFF052-308T", "byte order mark inside"},
        {"131052-3\u200C08\u200DT", "zero-width non-joiner and joiner"},
        {"131052-308\u0422", "Cyrillic capital TE"},
        {"131052-308\u03A4", "Greek capital TAU"},
        {"131052\u0410308T", "Cyrillic A as century sign"},
        {"131052\u0391308T", "Greek ALPHA as century sign"},
        {"131052\u0412308T", "Cyrillic VE as century sign B"},
        {"131052\u0421308T", "Cyrillic ES as century sign C"},
        {"131052\u0415308T", "Cyrillic IE as century sign E"},
        {"131052\u0425308T", "Cyrillic HA as century sign X"},
        {"131052\u0423308T", "Cyrillic U as century sign Y"},
        {"131052\u0445308T", "Cyrillic small ha as century sign x"},
        {"1\u03013\u03001052-308T", "combining marks inside"},
        {"131052+308T", "century sign +"},
        {"131052A308T", "century sign A"},
        {"131052B308T", "century sign B"},
        {"131052C308T", "century sign C"},
        {"131052D308T", "century sign D"},
        {"131052E308T", "century sign E"},
        {"131052F308T", "century sign F"},
        {"131052Y308T", "century sign Y"},
        {"131052X308T", "century sign X"},
        {"131052W308T", "century sign W"},
        {"131052V308T", "century sign V"},
        {"131052U308T", "century sign U"},
        {"131052b308t", "lower-case century sign and check"},
        {"nimi: 131052\u2013308T, puh.", "en dash in a sentence"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("found: %s\n", cases[i].what);
        assert_true(identity_text_has_hetu(cases[i].text, strlen(cases[i].text)));
    }
}

/* R10: what looks like an identity code but is none stays allowed, however
 * it is written: a wrong check character stays wrong after folding. */
static void test_identity_hetu_not_found_R10(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "131052\u2013308U",      /* en dash, wrong check character */
        "131052\u2013308",       /* no check character */
        "131052\u2013308\u0424", /* Cyrillic EF: no Latin look-alike */
        "131052G308T",           /* G is no century sign */
        "131052 308T",           /* a space is no century sign */
        "Konsertti 2027",
        "18.00\u201320.00",
        "Ovet 17.30, alku 18.00",
        "Näytös 13.10.2052 klo 18",
        "\u00C4\u00E4ni ja \u00F6\u00F6 — ilta", /* letters with marks, an em dash */
        "",
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("not found: %s\n", cases[i]);
        assert_false(identity_text_has_hetu(cases[i], strlen(cases[i])));
    }
}

/* R10: free text about a card or its holder is refused when it holds an
 * identity code, a phone number (Finnish forms) or an e-mail address; the
 * ordinary text of event names and reasons passes. */
static void test_identity_free_text_R10(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool refused;
    } cases[] = {
        /* phone numbers */
        {"lost by Matti Meik\u00E4l\u00E4inen, puh 0401234567", true},
        {"puh. 040 123 4567", true},
        {"040-123 4567", true},
        {"040-1234567", true},
        {"+358 40 1234567", true},
        {"+358401234567", true},
        {"+358 40 123 4567", true},
        {"00358 40 1234567", true},
        {"soita 050 987 65 43", true},
        {"09 123 4567", true},
        {"(09) 123 4567", true},
        {"\uFF10\uFF14\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17", true}, /* full-width */
        {"040\u2013123\u20134567", true},                                       /* en dashes */
        {"040\u00A0123\u00A04567", true}, /* no-break spaces */
        {"+46 8 123 456 78", true},
        /* e-mail addresses */
        {"matti.meikalainen@example.fi", true},
        {"kadonnut, ilmoitti matti@example.com", true},
        {"MATTI@EXAMPLE.FI", true},
        {"matti\uFF20example.fi", true}, /* full-width @ */
        {"matti(at)example.fi", true},
        {"matti [at] example.fi", true},
        /* identity codes */
        {"kortti l\u00F6ytyi, 131052\u2013308T", true},
        /* ordinary text that must pass (few false positives) */
        {"Konsertti 2027", false},
        {"18.00\u201320.00", false},
        {"klo 18.00-20.00", false},
        {"Lapset 0\u20136 v. ja 7\u201312 v.", false},
        {"Sali 2, rivi 10, paikat 1-24", false},
        {"Kausi 2026\u20132027", false},
        {"Tapahtuma 12.3.2027", false},
        {"2027-05-12", false},
        {"Kesto 120 min, hinta 0 \u20AC", false},
        {"Sinfonia nro 5, op. 82", false},
        {"ISBN 978-951-0-12345-6", false},
        {"Peli 3-2", false},
        {"Sali 01 02 03", false},
        {"Ryhm\u00E4 0 1 2 3 4 5", false},
        {"lost", false},
        {"damaged", false},
        {"kortti rikki @ kassalla", false},
        {"user@", false},
        {"@example.fi", false},
        {"matti@localhost", false},
        {"K\u00E4ytt\u00E4j\u00E4 matti kadotti kortin", false},
        {"+18 vuotta", false},
        {"Yli 1000 katsojaa", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("free text %s\n", cases[i].text);
        struct error_details d = {0};
        int rc = identity_free_text_check(cases[i].text, "reason", &d);
        assert_int_equal(rc, cases[i].refused ? -ERR_IDENTITY_DATA_REFUSED : 0);
        if (cases[i].refused)
            assert_string_equal(d.field, "reason");
    }
    struct error_details d = {0};
    assert_int_equal(identity_free_text_check(NULL, "reason", &d), 0);
    assert_int_equal(identity_free_text_check("040 123 4567", "reason", NULL),
                     -ERR_IDENTITY_DATA_REFUSED);
}

/* R10, R13: a cancel reason with a phone number or an e-mail address is
 * refused by the core, which every way of cancelling passes. */
static void test_cancel_reason_R10_R13(void **state)
{
    (void)state;
    struct actor a = {.role = ROLE_NATIONAL};
    struct card c = {.issued = true};
    static const struct {
        const char *reason;
        int rc;
    } cases[] = {
        {"lost", 0},
        {"lost by Matti Meik\u00E4l\u00E4inen, puh 0401234567", -ERR_IDENTITY_DATA_REFUSED},
        {"holder matti@example.fi", -ERR_IDENTITY_DATA_REFUSED},
        {"holder 131052\u2011308T", -ERR_IDENTITY_DATA_REFUSED},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("reason %s\n", cases[i].reason);
        assert_int_equal(cancel_check(&a, &c, cases[i].reason), cases[i].rc);
    }
}

/* R10, R17: an event's name and exclusion reason are free text too. */
static void test_event_free_text_R10_R17(void **state)
{
    (void)state;
    static const struct {
        const char *name, *reason, *field;
    } cases[] = {
        {"Konsertti 2027", "", NULL},
        {"Konsertti 18.00\u201320.00", "", NULL},
        {"Varaukset 040 123 4567", "", "name"},
        {"Konsertti", "kysy matti@example.fi", "exclusion_reason"},
        {"Konsertti", "asiakas 131052\u2013308T", "exclusion_reason"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("event %s / %s\n", cases[i].name, cases[i].reason);
        struct event e = {.kind = EVENT_PERFORMANCE,
                          .capacity = 100,
                          .cap = -1,
                          .booking_opens_days = -1,
                          .collection_opens_minutes = -1,
                          .excluded = cases[i].reason[0] != '\0'};
        str_copy(e.name, sizeof e.name, cases[i].name);
        str_copy(e.exclusion_reason, sizeof e.exclusion_reason, cases[i].reason);
        struct error_details d = {0};
        int rc = event_validate(&e, &d);
        if (!cases[i].field) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, -ERR_IDENTITY_DATA_REFUSED);
            assert_string_equal(d.field, cases[i].field);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_hetu_variants_R10),
        cmocka_unit_test(test_identity_hetu_not_found_R10),
        cmocka_unit_test(test_identity_free_text_R10),
        cmocka_unit_test(test_cancel_reason_R10_R13),
        cmocka_unit_test(test_event_free_text_R10_R17),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
