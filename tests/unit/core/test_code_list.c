/* core/code_list.c: the codes a coordinator adds to a unit's stock, as a
 * list and as ranges (R1, R3). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "core/code_list.h"

#define CAP 8

/* R1, R3: each input → the fault, the codes (joined by spaces) or the piece
 * named back. */
static void test_code_list_R1_R3(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        enum code_list_fault fault;
        const char *codes; /* CL_OK: the codes, sorted; else the piece named */
    } cases[] = {
        {"E1001", CL_OK, "E1001"},
        {" e1001 , E1002;e1003\nE1004\r\n", CL_OK, "E1001 E1002 E1003 E1004"},
        {"E2000-E2003", CL_OK, "E2000 E2001 E2002 E2003"},
        {"E2000\xe2\x80\x93"
         "E2002",
         CL_OK, "E2000 E2001 E2002"},                       /* an en dash */
        {"E2000 \xe2\x80\x93 E2001", CL_OK, "E2000 E2001"}, /* spaces around it */
        {"E2000 - E2001", CL_OK, "E2000 E2001"},
        {"E2000- E2001", CL_OK, "E2000 E2001"},
        {"E2000 -E2001", CL_OK, "E2000 E2001"},
        {"XA0008-XA0010", CL_OK, "XA0008 XA0009 XA0010"},  /* zeros kept */
        {"50141-50142 50140", CL_OK, "50140 50141 50142"}, /* digits only */
        {"E5 E5 e5", CL_OK, "E5"},                         /* twice counts once */
        {"E1-E1", CL_OK, "E1"},
        {"", CL_EMPTY, ""},
        {" ,;\n ", CL_EMPTY, ""},
        {"E1001 E10*2", CL_CODE, "E10*2"},
        {"ABCDEFGHIJKLMNOPQ", CL_CODE, "ABCDEFGHIJKLMNOPQ"}, /* 17 characters */
        {"E2999-E2000", CL_RANGE, "E2999-E2000"},            /* backwards */
        {"E2000-K2001", CL_RANGE, "E2000-K2001"},            /* other letters */
        {"E200-E2001", CL_RANGE, "E200-E2001"},              /* other width */
        {"E2A0-E2A9", CL_RANGE, "E2A0-E2A9"},                /* no number at the end */
        {"E1-", CL_RANGE, "E1-"},
        {"E1-E9", CL_TOO_MANY, "E1-E9"}, /* 9 > CAP */
        {"E1-E5 E6 E7 E8 E9", CL_TOO_MANY, "E9"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].in);
        char out[CAP][CODE_MAX + 1], bad[CODE_LIST_TEXT];
        size_t n = 99;
        assert_int_equal(code_list_parse(cases[i].in, out, CAP, &n, bad), cases[i].fault);
        if (cases[i].fault != CL_OK) {
            assert_string_equal(bad, cases[i].codes);
            continue;
        }
        char joined[200] = "";
        size_t used = 0;
        for (size_t k = 0; k < n; k++)
            used +=
                (size_t)snprintf(joined + used, sizeof joined - used, "%s%s", k ? " " : "", out[k]);
        assert_string_equal(joined, cases[i].codes);
    }
}

/* R3: a range as large as an addition may be. */
static void test_code_list_large_range_R3(void **state)
{
    (void)state;
    static char out[CODE_LIST_MAX][CODE_MAX + 1];
    char bad[CODE_LIST_TEXT];
    size_t n = 0;
    assert_int_equal(code_list_parse("E10000-E19999", out, CODE_LIST_MAX, &n, bad), CL_OK);
    assert_int_equal(n, 10000);
    assert_string_equal(out[0], "E10000");
    assert_string_equal(out[9999], "E19999");
    assert_int_equal(code_list_parse("E10000-E20000", out, CODE_LIST_MAX, &n, bad), CL_TOO_MANY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_list_R1_R3),
        cmocka_unit_test(test_code_list_large_range_R3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
