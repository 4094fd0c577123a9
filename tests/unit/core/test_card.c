/* core/card.c: card codes (R1), validity (R4, R5), status (R6, R13) and
 * renewal (R14). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/date.h"

/* R1: 1–16 of A–Z 0–9, case-insensitive, surrounding spaces ignored, stored
 * in upper case; anything else is invalid_card_code. */
static void test_card_code_normalize_R1(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out; /* NULL: invalid_card_code */
    } cases[] = {
        {"E1234", "E1234"},                           /* R1 seed examples */
        {"50142", "50142"},                           /* digits only */
        {"XA0032", "XA0032"},                         /* letters and digits */
        {"e2251", "E2251"},                           /* lower case → upper */
        {"xA0032", "XA0032"},                         /* mixed case */
        {"  E1234  ", "E1234"},                       /* surrounding spaces */
        {" e1234", "E1234"},                          /* leading space only */
        {"A", "A"},                                   /* 1 character */
        {"ABCDEFGHIJ123456", "ABCDEFGHIJ123456"},     /* 16 characters */
        {"  abcdefghij123456  ", "ABCDEFGHIJ123456"}, /* 16 after trimming */
        {"ABCDEFGHIJ1234567", NULL},                  /* 17 characters */
        {"", NULL},                                   /* empty */
        {"   ", NULL},                                /* only spaces */
        {"E 1234", NULL},                             /* inner space */
        {"E-1234", NULL},                             /* punctuation */
        {"E1234.", NULL},                             /* punctuation at the end */
        {"E_1", NULL},                                /* underscore */
        {"\xc3\x84"
         "1234",
         NULL},                    /* non-ASCII "Ä1234" */
        {"E12\xe2\x82\xac", NULL}, /* non-ASCII euro sign */
        {"E1234\n", NULL},         /* only spaces are trimmed */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[CODE_MAX + 1] = "";
        int rc = card_code_normalize(cases[i].in, out);
        if (cases[i].out) {
            assert_int_equal(rc, 0);
            assert_string_equal(out, cases[i].out);
        } else {
            assert_int_equal(rc, -ERR_INVALID_CARD_CODE);
        }
    }
}

/* R4: 12 months, through the same calendar date a year later (29 Feb →
 * 28 Feb). R5: a pilot that ends on or after the handout date decides. */
static void test_card_valid_until_R4_R5(void **state)
{
    (void)state;
    const struct {
        int32_t handed_out_on, pilot_ends_on, valid_until;
    } cases[] = {
        {D(2020, 2, 3), -1, D(2021, 2, 3)},                /* R4: no pilot */
        {D(2020, 2, 29), -1, D(2021, 2, 28)},              /* R4: 29 Feb → 28 Feb */
        {D(2019, 3, 1), -1, D(2020, 3, 1)},                /* R4: across a leap day */
        {D(2019, 12, 31), -1, D(2020, 12, 31)},            /* R4: year end */
        {D(2020, 2, 3), D(2020, 12, 31), D(2020, 12, 31)}, /* R5: pilot ends after */
        {D(2020, 2, 3), D(2020, 2, 3), D(2020, 2, 3)},     /* R5: pilot ends on the day */
        {D(2020, 2, 3), D(2022, 6, 30), D(2022, 6, 30)},   /* R5: later than 12 months */
        {D(2020, 2, 3), D(2020, 2, 2), D(2021, 2, 3)},     /* R5: pilot ended before → R4 */
        {D(2020, 2, 29), D(2019, 12, 31), D(2021, 2, 28)}, /* R5 not, R4 leap day */
        {D(2020, 2, 3), 0, D(2021, 2, 3)},                 /* day 0 (1970) is before */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(card_valid_until(cases[i].handed_out_on, cases[i].pilot_ends_on),
                         cases[i].valid_until);
}

/* R6/R13: valid through valid_until inclusive, expired the day after;
 * cancelled wins over everything; a card never handed out is not_issued. */
static void test_card_status_on_R6_R13(void **state)
{
    (void)state;
    const struct {
        bool issued, cancelled;
        int32_t day;
        enum card_status status;
    } cases[] = {
        {true, false, D(2020, 2, 3), CARD_VALID},    /* R6: the handout day */
        {true, false, D(2020, 8, 1), CARD_VALID},    /* R6: in the middle */
        {true, false, D(2021, 2, 3), CARD_VALID},    /* R4: last day inclusive */
        {true, false, D(2021, 2, 4), CARD_EXPIRED},  /* R4: the day after */
        {true, false, D(2030, 1, 1), CARD_EXPIRED},  /* long after */
        {true, true, D(2020, 8, 1), CARD_CANCELLED}, /* R13: cancelled while valid */
        {true, true, D(2021, 2, 4), CARD_CANCELLED}, /* R13: cancelled wins over expired */
        {false, false, D(2020, 8, 1), CARD_NOT_ISSUED},
        {false, true, D(2020, 8, 1), CARD_CANCELLED}, /* header: cancelled, issued or not */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct card c = {.code = "E1234", .kind = CARD_PERSONAL};
        c.issued = cases[i].issued;
        c.cancelled = cases[i].cancelled;
        if (c.issued) {
            c.handed_out_on = D(2020, 2, 3);
            c.valid_until = D(2021, 2, 3);
        }
        assert_int_equal(card_status_on(&c, cases[i].day), cases[i].status);
    }
}

/* R14: a handout may renew a previous card that is issued and expired or
 * cancelled today; otherwise renews_invalid on the field "renews". */
static void test_card_check_renewal_R14(void **state)
{
    (void)state;
    const struct {
        bool issued, cancelled;
        int32_t today;
        int rc;
    } cases[] = {
        {true, false, D(2021, 2, 4), 0},                    /* R14: expired */
        {true, false, D(2023, 1, 1), 0},                    /* R14: long expired */
        {true, true, D(2020, 6, 1), 0},                     /* R14, R13: cancelled */
        {true, false, D(2021, 2, 3), -ERR_RENEWS_INVALID},  /* still valid, last day */
        {true, false, D(2020, 6, 1), -ERR_RENEWS_INVALID},  /* still valid */
        {false, false, D(2021, 6, 1), -ERR_RENEWS_INVALID}, /* never handed out */
        {false, true, D(2021, 6, 1), -ERR_RENEWS_INVALID},  /* cancelled in stock */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct card c = {.code = "E1234", .kind = CARD_PERSONAL};
        c.issued = cases[i].issued;
        c.cancelled = cases[i].cancelled;
        if (c.issued) {
            c.handed_out_on = D(2020, 2, 3);
            c.valid_until = D(2021, 2, 3);
        }
        struct error_details d = {0};
        assert_int_equal(card_check_renewal(&c, cases[i].today, &d), cases[i].rc);
        if (cases[i].rc != 0)
            assert_string_equal(d.field, "renews");
        /* NULL details are allowed. */
        assert_int_equal(card_check_renewal(&c, cases[i].today, NULL), cases[i].rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_code_normalize_R1),
        cmocka_unit_test(test_card_valid_until_R4_R5),
        cmocka_unit_test(test_card_status_on_R6_R13),
        cmocka_unit_test(test_card_check_renewal_R14),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
