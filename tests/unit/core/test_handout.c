/* core/handout.c: the handout form (R9), no identity data (R10) and the age
 * limit (R11). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/date.h"
#include "util/strutil.h"

/* R9: mother tongue is an ISO 639-1 two-letter code or "other", input
 * case-insensitive, stored in lower case. */
static void test_handout_language_R9(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out; /* NULL: invalid_language */
    } cases[] = {
        {"fi", "fi"},
        {"FI", "fi"},
        {"Sv", "sv"},
        {"en", "en"},
        {"other", "other"}, /* R9: other */
        {"OTHER", "other"},
        {"Other", "other"},
        {"fin", NULL}, /* ISO 639-2, three letters */
        {"f1", NULL},  /* digit */
        {"", NULL},    /* empty */
        {"f", NULL},   /* one letter */
        {"fi ", NULL}, /* trailing space */
        {"others", NULL},
        {"othe", NULL},
        {"\xc3\xa4", NULL}, /* "ä": two bytes, not a-z */
        {"f-", NULL},
        /* R9: ISO 639-1 codes only */
        {"so", "so"},
        {"AR", "ar"},
        {"ru", "ru"},
        {"et", "et"},
        {"se", "se"}, /* Northern Sami */
        {"aa", "aa"}, /* first in the list */
        {"zu", "zu"}, /* last in the list */
        {"xx", NULL},
        {"zz", NULL},
        {"qq", NULL},
        {"ab", "ab"},
        {"ac", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[6] = "";
        int rc = handout_language_normalize(cases[i].in, out);
        if (cases[i].out) {
            assert_int_equal(rc, 0);
            assert_string_equal(out, cases[i].out);
        } else {
            assert_int_equal(rc, -ERR_INVALID_LANGUAGE);
        }
    }
}

/* R9: a Finnish postal code is exactly five digits. */
static void test_handout_postal_code_R9(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
    } cases[] = {
        {"00100", true},   {"99999", true},  {"90100", true},   {"0010", false},
        {"001000", false}, {"", false},      {"0010a", false},  {" 0100", false},
        {"00 10", false},  {"-0100", false}, {"00100 ", false}, {"FI-00100", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(handout_postal_code_valid(cases[i].in), cases[i].ok);
}

#define LIFE(x) (1u << (x))

/* R9–R11 in handout_validate's order: date not in the future, then for
 * personal cards birth year (R11, checked before the age), age 16+,
 * language, gender, postal code, life situations. */
static void test_handout_validate_R9_R11(void **state)
{
    (void)state;
    const int32_t today = D(2020, 12, 31);
    const struct {
        enum card_kind kind;
        int32_t handed_out_on;
        int birth_year;
        const char *lang;
        int gender;
        const char *postal;
        unsigned life;
        int rc;
        const char *field;
    } cases[] = {
        /* a valid personal handout (R9) */
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_UNEMPLOYED), 0,
         NULL},
        /* R9: paper forms may be dated in the past */
        {CARD_PERSONAL, D(2019, 5, 1), 1980, "sv", GENDER_MALE, "65100", LIFE(LIFE_RETIRED), 0,
         NULL},
        /* R9: never in the future, checked before everything else */
        {CARD_PERSONAL, D(2021, 1, 1), 2030, "xyz", 99, "", 0, -ERR_HANDOUT_IN_FUTURE,
         "handed_out_on"},
        /* R9: a community handout records code and date only */
        {CARD_COMMUNITY, D(2020, 2, 3), 0, "", 99, "", 0, 0, NULL},
        {CARD_COMMUNITY, D(2021, 1, 1), 0, "", 0, "", 0, -ERR_HANDOUT_IN_FUTURE, "handed_out_on"},
        /* R11: birth year after the handout year: invalid_birth_year, not too_young */
        {CARD_PERSONAL, D(2020, 2, 3), 2021, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_DEBT),
         -ERR_INVALID_BIRTH_YEAR, "birth_year"},
        /* R11: before 1900 */
        {CARD_PERSONAL, D(2020, 2, 3), 1899, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_DEBT),
         -ERR_INVALID_BIRTH_YEAR, "birth_year"},
        {CARD_PERSONAL, D(2020, 2, 3), 1900, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_DEBT), 0,
         NULL},
        /* R11: born in the handout year is a valid year but too young */
        {CARD_PERSONAL, D(2020, 2, 3), 2020, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_DEBT),
         -ERR_TOO_YOUNG, "birth_year"},
        /* R11: exactly 16 by years is enough, even on 1 January */
        {CARD_PERSONAL, D(2020, 1, 1), 2004, "fi", GENDER_OTHER, "00100", LIFE(LIFE_STUDENT), 0,
         NULL},
        {CARD_PERSONAL, D(2020, 12, 31), 2004, "fi", GENDER_OTHER, "00100", LIFE(LIFE_STUDENT), 0,
         NULL},
        /* R11: 15 by years */
        {CARD_PERSONAL, D(2020, 12, 31), 2005, "fi", GENDER_OTHER, "00100", LIFE(LIFE_STUDENT),
         -ERR_TOO_YOUNG, "birth_year"},
        /* R11: too_young wins over the later fields */
        {CARD_PERSONAL, D(2020, 2, 3), 2010, "xyz", 99, "", 0, -ERR_TOO_YOUNG, "birth_year"},
        /* R9: language */
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "FI", GENDER_NOT_TOLD, "00100", LIFE(LIFE_OTHER), 0,
         NULL},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "OTHER", GENDER_NOT_TOLD, "00100", LIFE(LIFE_OTHER), 0,
         NULL},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fin", 99, "", 0, -ERR_INVALID_LANGUAGE,
         "mother_tongue"},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "", GENDER_FEMALE, "00100", LIFE(LIFE_OTHER),
         -ERR_INVALID_LANGUAGE, "mother_tongue"},
        /* R9: gender outside the four values */
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", 99, "", 0, -ERR_INVALID_GENDER, "gender"},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_COUNT, "00100", LIFE(LIFE_OTHER),
         -ERR_INVALID_GENDER, "gender"},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", -1, "00100", LIFE(LIFE_OTHER),
         -ERR_INVALID_GENDER, "gender"},
        /* R9: postal code */
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "0010", 0,
         -ERR_INVALID_POSTAL_CODE, "postal_code"},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "0010a", LIFE(LIFE_OTHER),
         -ERR_INVALID_POSTAL_CODE, "postal_code"},
        /* R9: one or more life situations, none outside the list */
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "00100", 0,
         -ERR_INVALID_LIFE_SITUATION, "life_situation"},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_COUNT),
         -ERR_INVALID_LIFE_SITUATION, "life_situation"},
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "00100", LIFE(LIFE_COUNT) - 1u, 0,
         NULL}, /* all nine */
        {CARD_PERSONAL, D(2020, 2, 3), 1980, "fi", GENDER_FEMALE, "00100",
         LIFE(LIFE_SINGLE_PARENT) | LIFE(LIFE_LOW_INCOME_WORKING), 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct handout h = {.card = "E1234"};
        h.handed_out_on = cases[i].handed_out_on;
        h.birth_year = cases[i].birth_year;
        assert_int_equal(str_copy(h.mother_tongue, sizeof h.mother_tongue, cases[i].lang), 0);
        h.gender = (enum gender)cases[i].gender;
        assert_int_equal(str_copy(h.postal_code, sizeof h.postal_code, cases[i].postal), 0);
        h.life_situations = cases[i].life;
        struct error_details d = {0};
        int rc = handout_validate(&h, cases[i].kind, today, &d);
        print_message("case %zu\n", i);
        assert_int_equal(rc, cases[i].rc);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        assert_int_equal(handout_validate(&h, cases[i].kind, today, NULL), cases[i].rc);
    }
}

/* R10: field names that would carry identity data, case-insensitively. */
static void test_identity_field_name_R10(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool refused;
    } cases[] = {
        /* the list of R10 */
        {"name", true},
        {"first_name", true},
        {"last_name", true},
        {"hetu", true},
        {"henkilotunnus", true},
        {"ssn", true},
        {"personal_id", true},
        {"birth_date", true},
        {"date_of_birth", true},
        {"address", true},
        {"street", true},
        {"phone", true},
        {"email", true},
        /* case variants */
        {"NAME", true},
        {"First_Name", true},
        {"HETU", true},
        {"HenkiloTunnus", true},
        {"SSN", true},
        {"Date_Of_Birth", true},
        {"eMail", true},
        /* the handout's own fields and near misses */
        {"card", false},
        {"birth_year", false},
        {"postal_code", false},
        {"mother_tongue", false},
        {"gender", false},
        {"life_situation", false},
        {"handed_out_on", false},
        {"renews", false},
        {"names", false},
        {"nam", false},
        {"name ", false},
        {"e-mail", false},
        {"", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("field %s\n", cases[i].name);
        assert_int_equal(identity_field_name(cases[i].name), cases[i].refused);
    }
}

/* R10: text containing a personal identity code (DDMMYY, century sign, three
 * digits, check character = the nine digits mod 31 in
 * "0123456789ABCDEFHJKLMNPRSTUVWXY"). The remainders are in the comments. */
static void test_identity_text_has_hetu_R10(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool found;
    } cases[] = {
        {"131052-308T", true},  /* 131052308 mod 31 = 25 → T, the standard example */
        {"131052-308t", true},  /* lower-case check character */
        {"131052-308U", false}, /* wrong check character */
        {"131052-308", false},  /* no check character */
        {"010101+123N", true},  /* '+' 1800s; 010101123 mod 31 = 21 → N */
        {"150320A1237", true},  /* 'A' 2000s; 150320123 mod 31 = 7 → 7 */
        {"010105B050B", true},  /* 'B' (since 2023); 010105050 mod 31 = 11 → B */
        {"010150Y001C", true},  /* 'Y' (since 2023); 010150001 mod 31 = 12 → C */
        {"010594W123W", true},  /* 'W' (since 2023); 010594123 mod 31 = 28 → W */
        {"011352-308F", false}, /* month 13; 011352308 mod 31 = 15 → F would match */
        {"000152-3085", false}, /* day 00; 000152308 mod 31 = 5 */
        {"320152-308T", false}, /* day 32; 320152308 mod 31 = 25 → T */
        {"131052G308T", false}, /* G is no century sign */
        {"131052 308T", false}, /* space is no century sign */
        {"131052-3O8T", false}, /* letter O among the digits */
        {"Asiakas 131052-308T soitti", true}, /* embedded in text */
        {"hetu:131052-308T", true},
        {"9131052-308Tx", true},
        {"E2251 1 2 Taikuri Matti 3.2.2020", false}, /* R28 seed row */
        {"12345678901234567890", false},
        {"", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("text %s\n", cases[i].text);
        assert_int_equal(identity_text_has_hetu(cases[i].text, strlen(cases[i].text)),
                         cases[i].found);
    }
    /* Only the n bytes given are looked at. */
    assert_false(identity_text_has_hetu("131052-308T", 10));
    assert_true(identity_text_has_hetu("131052-308T", 11));
    assert_false(identity_text_has_hetu("xx131052-308T", 12));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handout_language_R9),
        cmocka_unit_test(test_handout_postal_code_R9),
        cmocka_unit_test(test_handout_validate_R9_R11),
        cmocka_unit_test(test_identity_field_name_R10),
        cmocka_unit_test(test_identity_text_has_hetu_R10),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
