/* http/form.c and http/field.c: the form body reader (percent-decoding,
 * '+', duplicate keys, bad UTF-8, overlong keys and values, R10), and the
 * field readers, which must read a JSON body and a form alike. */
#include "testutil.h"

#include <string.h>

#include "http/field.h"
#include "http/form.h"
#include "http/site.h"

static const struct route_field note_fields[] = {
    {"title", RF_REQUIRED},
    {"count", 0},
    {"tags", 0},
    {"on", 0},
    {"when", 0},
    {"name", 0},
    {"note", 0},
    {NULL, 0},
};
static const struct route note_route = {HTTP_POST,    "/notes",    NULL, 0,
                                        ROUTE_PUBLIC, note_fields, NULL, NULL};
static const struct site form_site = {.name = "pages",
                                      .prefix = "/",
                                      .routes = &note_route,
                                      .nroutes = 1,
                                      .body = &body_form,
                                      .csrf = CSRF_FROM_FIELD,
                                      .csrf_name = "csrf"};

static void request_for(struct request *r, const struct site *site)
{
    memset(r, 0, sizeof *r);
    r->site = site;
    r->route = &note_route;
}

/* A form body: decoded pairs, or the error and details.field. */
static void test_form_parse(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int rc;            /* 0 or -ERR_x */
        const char *field; /* details.field on error */
        size_t npairs;
        const char *key0, *value0, *key1, *value1;
    } cases[] = {
        {"title=Hello", 0, NULL, 1, "title", "Hello", NULL, NULL},
        {"title=Hello+world%21", 0, NULL, 1, "title", "Hello world!", NULL, NULL},
        {"title=a%2Bb%26c%3Dd", 0, NULL, 1, "title", "a+b&c=d", NULL, NULL}, /* escaped syntax */
        {"title=%C3%A4iti", 0, NULL, 1, "title", "\xc3\xa4iti", NULL, NULL}, /* UTF-8 ä */
        {"title=%c3%a4", 0, NULL, 1, "title", "\xc3\xa4", NULL, NULL},       /* lower-case hex */
        {"title=&count=3", 0, NULL, 2, "title", "", "count", "3"},           /* empty value */
        {"tags=a&tags=b", 0, NULL, 2, "tags", "a", "tags", "b"},             /* a key twice: kept */
        {"t%69tle=x", 0, NULL, 1, "title", "x", NULL, NULL}, /* keys are decoded too */
        {"title=line%0D%0Anext", 0, NULL, 1, "title", "line\r\nnext", NULL, NULL},
        {"title", -ERR_INVALID_REQUEST, "body", 0, NULL, NULL, NULL, NULL},        /* no '=' */
        {"=x", -ERR_INVALID_REQUEST, "body", 0, NULL, NULL, NULL, NULL},           /* no key */
        {"title=a&", -ERR_INVALID_REQUEST, "body", 0, NULL, NULL, NULL, NULL},     /* empty pair */
        {"title=a&&b=c", -ERR_INVALID_REQUEST, "body", 0, NULL, NULL, NULL, NULL}, /* empty pair */
        {"title=%", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL},     /* cut %XX */
        {"title=%4", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL},
        {"title=%G1", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL},    /* not hex */
        {"title=%C3%28", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL}, /* bad UTF-8 */
        {"title=%FF", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL},
        {"title=%C0%AF", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL}, /* overlong */
        {"title=a%00b", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL},  /* NUL */
        {"title=%07", -ERR_INVALID_REQUEST, "title", 0, NULL, NULL, NULL, NULL},    /* control */
        {"%FF=x", -ERR_INVALID_REQUEST, "body", 0, NULL, NULL, NULL, NULL},         /* bad key */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x", /* 65-byte key */
         -ERR_INVALID_REQUEST, "body", 0, NULL, NULL, NULL, NULL},
        /* R10: identity data in a form, as in JSON */
        {"title=x&hetu=1", -ERR_IDENTITY_DATA_REFUSED, "hetu", 0, NULL, NULL, NULL, NULL},
        {"title=x&Phone=1", -ERR_IDENTITY_DATA_REFUSED, "Phone", 0, NULL, NULL, NULL, NULL},
        {"title=owner+131052-308T", -ERR_IDENTITY_DATA_REFUSED, "title", 0, NULL, NULL, NULL, NULL},
        {"title=131052%2D308t", -ERR_IDENTITY_DATA_REFUSED, "title", 0, NULL, NULL, NULL, NULL},
        {"name=Teatteri+Hilla", 0, NULL, 1, "name", "Teatteri Hilla", NULL, NULL}, /* own field */
        {"title=Alue+131052+308", 0, NULL, 1, "title", "Alue 131052 308", NULL, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct request r;
        request_for(&r, &form_site);
        int rc = form_parse(&r, cases[i].body, strlen(cases[i].body));
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): rc %d, want %d", i, cases[i].body, rc, cases[i].rc);
        if (rc != 0) {
            assert_non_null(r.details.field);
            assert_string_equal(r.details.field, cases[i].field);
        } else {
            assert_int_equal(r.body.npairs, cases[i].npairs);
            assert_string_equal(r.body.pairs[0].key, cases[i].key0);
            assert_string_equal(r.body.pairs[0].value, cases[i].value0);
            assert_int_equal(r.body.pairs[0].value_len, strlen(cases[i].value0));
            if (cases[i].key1) {
                assert_string_equal(r.body.pairs[1].key, cases[i].key1);
                assert_string_equal(r.body.pairs[1].value, cases[i].value1);
            }
        }
        request_release(&r);
    }
}

/* One body as JSON and as a form. */
static void load(struct request *r, bool form, const char *json, const char *urlencoded)
{
    request_for(r, &form_site);
    if (form) {
        assert_int_equal(form_parse(r, urlencoded, strlen(urlencoded)), 0);
    } else {
        json_error_t err;
        r->body.json = json_loads(json, JSON_REJECT_DUPLICATES, &err);
        assert_non_null(r->body.json);
    }
}

/* The field readers give the same answers for the same body in either
 * encoding: values, ranges, lengths, required, null and absent. */
static void test_fields_json_and_form(void **state)
{
    (void)state;
    enum reader { TEXT, INT, BOOL, DATE, TEXTS, STATE };
    static const struct {
        const char *json, *form; /* NULL: not in this encoding */
        enum reader reader;
        const char *key;
        unsigned flags;
        int rc;           /* 0 or -ERR_x */
        const char *text; /* TEXT: the value, NULL when none; TEXTS: items joined by ',' */
        int64_t number;   /* INT, BOOL, DATE (day), STATE (enum field_state) */
    } cases[] = {
        {"{\"title\":\"Hei\"}", "title=Hei", TEXT, "title", FIELD_REQUIRED, 0, "Hei", 0},
        {"{}", "count=1", TEXT, "title", FIELD_REQUIRED, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"title\":\"\"}", "title=", TEXT, "title", FIELD_REQUIRED, -ERR_INVALID_REQUEST, NULL,
         0},
        {"{\"note\":\"\"}", "note=", TEXT, "note", FIELD_EMPTY_OK, 0, "", 0},
        {"{\"note\":null}", "note=", TEXT, "note", FIELD_NULLABLE, 0, NULL, 0},
        {"{}", "title=x", TEXT, "note", 0, 0, NULL, 0},
        /* overlong: 5 bytes where 4 are allowed, also as multi-byte text */
        {"{\"title\":\"abcde\"}", "title=abcde", TEXT, "title", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"title\":\"abcd\"}", "title=abcd", TEXT, "title", 0, 0, "abcd", 0},
        {"{\"title\":\"\\u00e4\\u00e4\\u00e4\"}", "title=%C3%A4%C3%A4%C3%A4", TEXT, "title", 0,
         -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"count\":7}", "count=7", INT, "count", 0, 0, NULL, 7},
        {"{\"count\":-3}", "count=-3", INT, "count", 0, 0, NULL, -3},
        {"{\"count\":11}", "count=11", INT, "count", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"count\":-11}", "count=-11", INT, "count", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"count\":1.5}", "count=1.5", INT, "count", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"count\":\"x\"}", "count=x", INT, "count", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {NULL, "count=99999999999999999999", INT, "count", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"count\":null}", "count=", INT, "count", FIELD_NULLABLE, 0, NULL, 42}, /* untouched */
        {"{}", "title=x", INT, "count", 0, 0, NULL, 42},
        {"{\"on\":true}", "on=true", BOOL, "on", 0, 0, NULL, 1},
        {"{\"on\":false}", "on=false", BOOL, "on", 0, 0, NULL, 0},
        {"{\"on\":1}", "on=yes", BOOL, "on", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"when\":\"2026-02-03\"}", "when=2026-02-03", DATE, "when", 0, 0, NULL, 20487},
        {"{\"when\":\"2026-02-30\"}", "when=2026-02-30", DATE, "when", 0, -ERR_INVALID_REQUEST,
         NULL, 0},
        {"{\"tags\":[\"a\",\"b\"]}", "tags=a&tags=b", TEXTS, "tags", 0, 0, "a,b", 0},
        {"{\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", "tags=a&tags=b&tags=c&tags=d", TEXTS, "tags", 0,
         -ERR_INVALID_REQUEST, NULL, 0}, /* more than 3 */
        {"{}", "title=x", TEXTS, "tags", FIELD_REQUIRED, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"tags\":\"a\"}", NULL, TEXTS, "tags", 0, -ERR_INVALID_REQUEST, NULL, 0},
        /* a key given twice: refused by scalar readers (JSON: jansson refuses it) */
        {NULL, "title=a&title=b", TEXT, "title", 0, -ERR_INVALID_REQUEST, NULL, 0},
        {"{\"count\":null}", "count=", STATE, "count", 0, 0, NULL, FIELD_NULL},
        {"{\"count\":1}", "count=1", STATE, "count", 0, 0, NULL, FIELD_SET},
        {"{}", "title=x", STATE, "count", 0, 0, NULL, FIELD_ABSENT},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        for (int form = 0; form < 2; form++) {
            /* NULL: a body only one encoding can hold (jansson refuses a key
             * twice and a huge integer; a form cannot tell a list of one
             * from a string) */
            if (!(form ? cases[i].form : cases[i].json))
                continue;
            struct request r;
            load(&r, form, cases[i].json, cases[i].form);
            int rc = 0;
            const char *text = NULL;
            int64_t number = 42;
            char joined[64] = "";
            switch (cases[i].reader) {
            case TEXT:
                rc = field_text(&r, cases[i].key, cases[i].flags, 4, &text);
                break;
            case INT:
                rc = field_int(&r, cases[i].key, cases[i].flags, -10, 10, &number);
                break;
            case BOOL: {
                bool b = false;
                rc = field_bool(&r, cases[i].key, cases[i].flags, &b);
                number = b;
                break;
            }
            case DATE: {
                int32_t day = 0;
                rc = field_date(&r, cases[i].key, cases[i].flags, &day);
                number = day;
                break;
            }
            case TEXTS: {
                const char **items;
                size_t n;
                rc = field_texts(&r, cases[i].key, cases[i].flags, 3, &items, &n);
                for (size_t k = 0; rc == 0 && k < n; k++)
                    snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                             k ? "," : "", items[k]);
                text = joined;
                break;
            }
            case STATE:
                number = field_state(&r, cases[i].key);
                break;
            }
            if (rc != cases[i].rc)
                fail_msg("case %zu (%s): rc %d, want %d", i, form ? "form" : "JSON", rc,
                         cases[i].rc);
            if (rc == 0 && (cases[i].reader == TEXT || cases[i].reader == TEXTS)) {
                if (cases[i].text)
                    assert_non_null(text);
                if (cases[i].text && strcmp(text, cases[i].text) != 0)
                    fail_msg("case %zu (%s): \"%s\"", i, form ? "form" : "JSON", text);
                if (!cases[i].text && cases[i].reader == TEXT)
                    assert_null(text);
            } else if (rc == 0 && number != cases[i].number) {
                fail_msg("case %zu (%s): %lld", i, form ? "form" : "JSON", (long long)number);
            }
            if (rc != 0)
                assert_string_equal(r.details.field, cases[i].key);
            request_release(&r);
        }
    }
}

/* The pipeline's check of the route's fields: unknown ones (the site's CSRF
 * field is not one), and required ones missing. */
static void test_check_route(void **state)
{
    (void)state;
    static const struct {
        bool form;
        const char *body;
        int rc;
        const char *field;
    } cases[] = {
        {true, "title=x&csrf=abc", 0, NULL},
        {true, "title=x&colour=red", -ERR_INVALID_REQUEST, "colour"},
        {true, "count=1", -ERR_INVALID_REQUEST, "title"},
        {true, "title=&count=1", 0, NULL}, /* there, if empty: its reader decides */
        {false, "{\"title\":\"x\"}", 0, NULL},
        {false, "{\"title\":\"x\",\"csrf\":\"abc\"}", -ERR_INVALID_REQUEST, "csrf"},
        {false, "{\"count\":1}", -ERR_INVALID_REQUEST, "title"},
        {false, "{\"title\":null}", 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct request r;
        load(&r, cases[i].form, cases[i].body, cases[i].body);
        int rc = field_check_route(&r);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d", i, rc);
        if (rc != 0)
            assert_string_equal(r.details.field, cases[i].field);
        request_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_parse),
        cmocka_unit_test(test_fields_json_and_form),
        cmocka_unit_test(test_check_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
