/* core/error.c and core/model.c: the one error table (api.md's codes and
 * statuses, messages in fi/sv/en for R36) and the name tables. */
#include "testutil.h"

#include <string.h>

#include "core/error.h"
#include "core/model.h"

/* api.md, "Error codes": every code with exactly this status. */
static void test_error_codes_of_api_md(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int status;
    } expected[] = {
        {"invalid_request", 400},
        {"invalid_card_code", 400},      /* R1 */
        {"invalid_birth_year", 400},     /* R11 */
        {"invalid_postal_code", 400},    /* R9 */
        {"invalid_language", 400},       /* R9 */
        {"invalid_gender", 400},         /* R9 */
        {"invalid_life_situation", 400}, /* R9 */
        {"identity_data_refused", 400},  /* R10 */
        {"unauthenticated", 401},
        {"forbidden", 403}, /* R32 */
        {"not_found", 404},
        {"card_unknown", 404},
        {"code_taken", 409},
        {"already_exists", 409},
        {"card_already_issued", 409},  /* R12 */
        {"idempotency_conflict", 409}, /* R27 */
        {"body_too_large", 413},
        {"unsupported_media_type", 415},
        {"too_young", 422},              /* R11 */
        {"handout_in_future", 422},      /* R9 */
        {"card_not_in_unit_stock", 422}, /* R3 */
        {"card_not_issued", 422},
        {"card_cancelled", 422},         /* R13 */
        {"card_expired", 422},           /* R4, R5 */
        {"event_excluded", 422},         /* R17 */
        {"community_card_course", 422},  /* R26 */
        {"course_child_ticket", 422},    /* R24 */
        {"duplicate_adult_ticket", 422}, /* R24, R26 */
        {"booking_not_open", 422},       /* R17 */
        {"collection_not_open", 422},    /* R17 */
        {"cap_too_low", 422},            /* R15 */
        {"cap_below_used", 422},         /* R15 */
        {"cap_reached", 422},            /* R15, R16 */
        {"rate_limited", 429},
        {"unavailable", 503},
    };
    for (size_t i = 0; i < ARRAY_LEN(expected); i++) {
        int found = 0;
        for (int err = 1; err < ERR_COUNT; err++) {
            if (strcmp(error_code(err), expected[i].code) == 0) {
                found++;
                assert_int_equal(error_status(err), expected[i].status);
                assert_int_equal(error_status(-err), expected[i].status);
                assert_string_equal(error_code(-err), expected[i].code);
            }
        }
        print_message("%s\n", expected[i].code);
        assert_int_equal(found, 1);
    }
}

/* Codes are unique, lower-case snake case, with a plausible status; R36:
 * every error reads in Finnish, Swedish and English, and the Finnish and
 * Swedish texts are real translations (not the English fallback). */
static void test_error_table_complete_R36(void **state)
{
    (void)state;
    for (int err = 1; err < ERR_COUNT; err++) {
        const char *code = error_code(err);
        assert_non_null(code);
        assert_true(code[0] != '\0');
        for (const char *p = code; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
        for (int other = err + 1; other < ERR_COUNT; other++)
            assert_string_not_equal(code, error_code(other));
        int status = error_status(err);
        assert_true(status >= 400 && status <= 599);
        for (int lang = 0; lang < LANG_COUNT; lang++) {
            const char *m = error_message(err, (enum lang)lang);
            assert_non_null(m);
            assert_true(strlen(m) > 0);
        }
        print_message("%s\n", code);
        assert_string_not_equal(error_message(err, LANG_FI), error_message(err, LANG_EN));
        assert_string_not_equal(error_message(err, LANG_SV), error_message(err, LANG_EN));
        assert_string_not_equal(error_message(err, LANG_FI), error_message(err, LANG_SV));
    }
    /* Out of range: the internal error, never a crash. */
    assert_string_equal(error_code(ERR_COUNT), "internal");
    assert_int_equal(error_status(-ERR_COUNT - 5), 500);
}

static void test_error_details(void **state)
{
    (void)state;
    struct error_details d = {0};
    assert_int_equal(error_field(&d, ERR_INVALID_REQUEST, "cap"), -ERR_INVALID_REQUEST);
    assert_string_equal(d.field, "cap");
    assert_int_equal(error_value(&d, ERR_CAP_REACHED, "remaining", 3, 0), -ERR_CAP_REACHED);
    assert_string_equal(d.key, "remaining");
    assert_int_equal(d.value, 3);
    assert_int_equal(d.value_is_time, 0);
    assert_int_equal(error_text(&d, ERR_RENEWS_INVALID, "status", "valid"), -ERR_RENEWS_INVALID);
    assert_string_equal(d.key, "status");
    assert_string_equal(d.text, "valid");
    /* text is bounded */
    char long_text[200];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    error_text(&d, ERR_INVALID_REQUEST, "k", long_text);
    assert_int_equal(strlen(d.text), sizeof d.text - 1);
    /* NULL details are allowed */
    assert_int_equal(error_field(NULL, ERR_FORBIDDEN, "x"), -ERR_FORBIDDEN);
    assert_int_equal(error_value(NULL, ERR_CAP_TOO_LOW, "minimum", 5, 0), -ERR_CAP_TOO_LOW);
    assert_int_equal(error_text(NULL, ERR_INVALID_REQUEST, "k", "v"), -ERR_INVALID_REQUEST);
}

/* The name tables of model.h hold exactly the stable strings of api.md and
 * operating-model.md, in enum order. */
static void test_name_tables(void **state)
{
    (void)state;
    static const char *const roles[] = {"national", "coordinator", "distributor", "venue"};
    static const char *const kinds[] = {"personal", "community"}; /* R2 */
    static const char *const statuses[] = {"not_issued", "valid", "expired", "cancelled"};
    static const char *const genders[] = {"female", "male", "other", "not_told"}; /* R9 */
    static const char *const lifes[] = {"unemployed",
                                        "retired",
                                        "student",
                                        "single_parent",
                                        "long_term_illness",
                                        "disability",
                                        "low_income_working",
                                        "debt",
                                        "other"}; /* R9 */
    static const char *const event_kinds[] = {"performance", "course", "day_ticket", "daily"};
    static const char *const channels[] = {"box_office", "phone", "ticket_agency",
                                           "paper"}; /* R19 */
    static const char *const categories[] = {"theatre",         "music",  "museum",   "cinema",
                                             "festival",        "dance",  "circus",   "library",
                                             "adult_education", "sports", "swimming", "other"};
    static const char *const transfers[] = {"requested", "approved", "rejected"}; /* R3 */
    static const struct {
        const struct name_table *table;
        int count;
        const char *const *names;
        size_t n;
    } cases[] = {
        {&role_names, ROLE_COUNT, roles, ARRAY_LEN(roles)},
        {&card_kind_names, CARD_KIND_COUNT, kinds, ARRAY_LEN(kinds)},
        {&card_status_names, CARD_STATUS_COUNT, statuses, ARRAY_LEN(statuses)},
        {&gender_names, GENDER_COUNT, genders, ARRAY_LEN(genders)},
        {&life_situation_names, LIFE_COUNT, lifes, ARRAY_LEN(lifes)},
        {&event_kind_names, EVENT_KIND_COUNT, event_kinds, ARRAY_LEN(event_kinds)},
        {&channel_names, CHANNEL_COUNT, channels, ARRAY_LEN(channels)},
        {&venue_category_names, CAT_COUNT, categories, ARRAY_LEN(categories)},
        {&transfer_status_names, TRANSFER_STATUS_COUNT, transfers, ARRAY_LEN(transfers)},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct name_table *t = cases[i].table;
        assert_int_equal(t->count, cases[i].count);
        assert_int_equal((size_t)t->count, cases[i].n);
        for (int v = 0; v < t->count; v++) {
            assert_string_equal(name_of(t, v), cases[i].names[v]);
            assert_int_equal(name_lookup(t, cases[i].names[v]), v);
            assert_int_equal(name_lookup(t, name_of(t, v)), v);
        }
        assert_string_equal(name_of(t, -1), "");
        assert_string_equal(name_of(t, t->count), "");
        assert_int_equal(name_lookup(t, ""), -1);
        assert_int_equal(name_lookup(t, "no_such_name"), -1);
    }
    /* A few spot checks against the enums. */
    assert_int_equal(name_lookup(&channel_names, "box_office"), CHANNEL_BOX_OFFICE);
    assert_int_equal(name_lookup(&life_situation_names, "debt"), LIFE_DEBT);
    assert_int_equal(name_lookup(&venue_category_names, "swimming"), CAT_SWIMMING);
    assert_int_equal(name_lookup(&card_status_names, "not_issued"), CARD_NOT_ISSUED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_codes_of_api_md),
        cmocka_unit_test(test_error_table_complete_R36),
        cmocka_unit_test(test_error_details),
        cmocka_unit_test(test_name_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
