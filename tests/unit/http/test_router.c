/* http/site.c with the API's tables (api/site.c), api/openapi.c and
 * http/json.c: the route tables are consistent, paths find their site and
 * match their patterns with parameters, the OpenAPI document lists every
 * route, and the R10 walk refuses identity keys and identity codes
 * anywhere. */
#include "testutil.h"

#include <string.h>

#include "api/site.h"
#include "http/json.h"

static void test_table_consistent(void **state)
{
    (void)state;
    for (size_t s = 0; s < api_sites.count; s++) {
        const struct site *site = api_sites.sites[s];
        for (size_t i = 0; i < site->nroutes; i++) {
            const struct route *r = &site->routes[i];
            const struct api_doc *doc = r->doc;
            assert_non_null(r->handler);
            assert_non_null(doc);
            assert_non_null(doc->summary);
            /* every route lies under its site's prefix */
            assert_ptr_equal(site_find(&api_sites, r->pattern), site);
            /* a route either is public or names who may call it */
            assert_true((r->flags & ROUTE_PUBLIC) || r->roles != 0);
            /* a reply schema exactly when the route replies with a body */
            assert_int_equal(doc->reply != NULL, doc->success != 204);
            for (size_t k = i + 1; k < site->nroutes; k++)
                assert_false(r->method == site->routes[k].method &&
                             strcmp(r->pattern, site->routes[k].pattern) == 0);
        }
    }
}

static size_t routes_count(void)
{
    size_t n = 0;
    for (size_t s = 0; s < api_sites.count; s++)
        n += api_sites.sites[s]->nroutes;
    return n;
}

static void test_match(void **state)
{
    (void)state;
    static const struct {
        const char *method, *path;
        const char *pattern; /* NULL: no route */
        bool known;          /* for NULL: another method matches (405) */
        const char *param0, *param1;
    } cases[] = {
        {"GET", "/healthz", "/healthz", true, NULL, NULL},
        {"GET", "/api/v1/cards/E2251", "/api/v1/cards/{code}", true, "E2251", NULL},
        {"GET", "/api/v1/reports/venue-usage", "/api/v1/reports/venue-usage", true, NULL, NULL},
        {"POST", "/api/v1/reports/national", NULL, true, NULL, NULL},
        {"POST", "/api/v1/cards/E2251/cancel", "/api/v1/cards/{code}/cancel", true, "E2251", NULL},
        {"DELETE", "/api/v1/venues/v1/api-keys/7", "/api/v1/venues/{id}/api-keys/{key_id}", true,
         "v1", "7"},
        {"PUT", "/api/v1/regions", NULL, true, NULL, NULL},
        {"DELETE", "/api/v1/cards/E2251", NULL, true, NULL, NULL},
        {"GET", "/api/v1/cards/", NULL, false, NULL, NULL}, /* empty parameter */
        {"GET", "/api/v1/cards/A/B", NULL, false, NULL, NULL},
        {"GET", "/api/v1/regions/", NULL, false, NULL, NULL},
        {"GET", "/nothing", NULL, false, NULL, NULL},         /* no site */
        {"GET", "/api/v1x/regions", NULL, false, NULL, NULL}, /* not under /api/v1 */
        {"GET", "/healthz/x", NULL, false, NULL, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct request r;
        memset(&r, 0, sizeof r);
        bool known = false;
        char allow[64];
        int m = http_method_parse(cases[i].method);
        assert_true(m >= 0);
        const struct site *site = site_find(&api_sites, cases[i].path);
        const struct route *rt = site ? site_route(site, &r, (enum http_method)m, cases[i].path,
                                                   &known, allow, sizeof allow)
                                      : NULL;
        if (cases[i].pattern) {
            assert_non_null(rt);
            assert_string_equal(rt->pattern, cases[i].pattern);
            if (cases[i].param0)
                assert_string_equal(r.params[0], cases[i].param0);
            if (cases[i].param1)
                assert_string_equal(r.params[1], cases[i].param1);
        } else {
            assert_null(rt);
            assert_int_equal(known, cases[i].known);
            if (known)
                assert_true(allow[0] != '\0');
        }
        arena_release(&r.arena);
    }
}

static void test_openapi_lists_every_route(void **state)
{
    (void)state;
    json_t *doc = api_openapi();
    assert_non_null(doc);
    json_t *paths = json_object_get(doc, "paths");
    size_t operations = 0;
    const char *key;
    json_t *item;
    json_object_foreach(paths, key, item)
    {
        operations += json_object_size(item);
    }
    assert_int_equal(operations, routes_count());
    for (size_t s = 0; s < api_sites.count; s++) {
        const struct site *site = api_sites.sites[s];
        for (size_t i = 0; i < site->nroutes; i++) {
            char lower[8] = {0};
            const char *m = http_method_name(site->routes[i].method);
            for (size_t k = 0; m[k] && k < 7; k++)
                lower[k] = (char)(m[k] - 'A' + 'a');
            assert_non_null(
                json_object_get(json_object_get(paths, site->routes[i].pattern), lower));
        }
    }
    json_decref(doc);
}

/* Every $ref under v names a schema of the document, and no schema is
 * missing (a typo in a reply's line of api/openapi.c leaves it out). */
static size_t refs_resolve(json_t *doc, json_t *v)
{
    size_t n = 0;
    const char *key;
    json_t *item;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, item)
        {
            if (strcmp(key, "$ref") == 0) {
                const char *name = strrchr(json_string_value(item), '/');
                assert_non_null(name);
                json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
                if (!json_object_get(schemas, name + 1))
                    fail_msg("no schema %s", json_string_value(item));
                n++;
            } else {
                n += refs_resolve(doc, item);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            n += refs_resolve(doc, item);
        }
    }
    return n;
}

static void test_openapi_replies(void **state)
{
    (void)state;
    json_t *doc = api_openapi();
    assert_non_null(doc);
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    for (size_t s = 0; s < api_sites.count; s++) {
        const struct site *site = api_sites.sites[s];
        for (size_t i = 0; i < site->nroutes; i++) {
            const struct api_doc *d = site->routes[i].doc;
            if (!d->reply)
                continue;
            json_t *schema = json_object_get(schemas, d->reply);
            if (!json_is_object(json_object_get(schema, "properties")))
                fail_msg("%s: no schema %s", site->routes[i].pattern, d->reply);
        }
    }
    assert_true(refs_resolve(doc, doc) > 50);
    json_decref(doc);
}

static json_t *operation_of(json_t *doc, const char *path, const char *method)
{
    return json_object_get(json_object_get(json_object_get(doc, "paths"), path), method);
}

/* The schema of a body field of an operation, or NULL. */
static json_t *body_field(json_t *op, const char *field)
{
    json_t *body = json_object_get(json_object_get(op, "requestBody"), "content");
    json_t *schema = json_object_get(json_object_get(body, "application/json"), "schema");
    return json_object_get(json_object_get(schema, "properties"), field);
}

/* Field types come from one table: a few of them, and who may use an API key. */
static void test_openapi_types(void **state)
{
    (void)state;
    json_t *doc = api_openapi();
    static const struct {
        const char *path, *method, *field, *type; /* field NULL: check x-api-keys */
        bool api_keys;
    } cases[] = {
        {"/api/v1/handouts", "post", "birth_year", "integer", false},
        {"/api/v1/handouts", "post", "gender", "string", false},
        {"/api/v1/handouts", "post", "life_situation", "array", false},
        {"/api/v1/uses", "post", "event", "integer", false},
        {"/api/v1/uses", "post", "card", "string", false},
        {"/api/v1/venues", "post", "free_cloakroom", "boolean", false},
        {"/api/v1/uses", "post", NULL, NULL, true},
        {"/api/v1/cards/{code}", "get", NULL, NULL, true},
        {"/api/v1/users", "post", NULL, NULL, false},
        {"/api/v1/venues/{id}/api-keys", "post", NULL, NULL, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        json_t *op = operation_of(doc, cases[i].path, cases[i].method);
        assert_non_null(op);
        if (!cases[i].field) {
            if (json_is_true(json_object_get(op, "x-api-keys")) != cases[i].api_keys)
                fail_msg("case %zu: x-api-keys of %s", i, cases[i].path);
            continue;
        }
        json_t *schema = body_field(op, cases[i].field);
        const char *type = json_string_value(json_object_get(schema, "type"));
        if (!type || strcmp(type, cases[i].type) != 0)
            fail_msg("case %zu: %s of %s is %s", i, cases[i].field, cases[i].path,
                     type ? type : "(none)");
    }
    json_t *gender = body_field(operation_of(doc, "/api/v1/handouts", "post"), "gender");
    assert_int_equal(json_array_size(json_object_get(gender, "enum")), GENDER_COUNT);
    json_decref(doc);
}

/* The query parameter `name` of an operation, or NULL. */
static json_t *query_param(json_t *op, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(op, "parameters"), i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "name")), name) == 0 &&
            strcmp(json_string_value(json_object_get(p, "in")), "query") == 0)
            return p;
    }
    return NULL;
}

/* R28–R31: the reports answer JSON, CSV or XLSX; their query parameters are
 * typed; venue staff's API keys may fetch their venue's usage report. */
static void test_openapi_reports(void **state)
{
    (void)state;
    json_t *doc = api_openapi();
    static const struct {
        const char *path, *param, *type;
        bool api_keys;
    } cases[] = {
        {"/api/v1/reports/venue-usage", "from", "string", true},
        {"/api/v1/reports/venue-usage", "format", "string", true},
        {"/api/v1/reports/cardholders", "year", "integer", false},
        {"/api/v1/reports/cardholders", "suppress", "boolean", false},
        {"/api/v1/reports/national", "year", "integer", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        json_t *op = operation_of(doc, cases[i].path, "get");
        assert_non_null(op);
        json_t *schema = json_object_get(query_param(op, cases[i].param), "schema");
        const char *type = json_string_value(json_object_get(schema, "type"));
        if (!type || strcmp(type, cases[i].type) != 0)
            fail_msg("case %zu: %s of %s is %s", i, cases[i].param, cases[i].path,
                     type ? type : "(none)");
        assert_int_equal(json_is_true(json_object_get(op, "x-api-keys")), cases[i].api_keys);
        json_t *content =
            json_object_get(json_object_get(json_object_get(op, "responses"), "200"), "content");
        assert_int_equal(json_object_size(content), 3);
        assert_non_null(json_object_get(content, "application/json"));
        assert_non_null(json_object_get(content, "text/csv"));
        assert_non_null(json_object_get(
            content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    }
    json_t *format = json_object_get(
        query_param(operation_of(doc, "/api/v1/reports/national", "get"), "format"), "schema");
    assert_int_equal(json_array_size(json_object_get(format, "enum")), 3);
    /* Other routes answer JSON only. */
    json_t *content = json_object_get(
        json_object_get(json_object_get(operation_of(doc, "/api/v1/uses", "get"), "responses"),
                        "200"),
        "content");
    assert_int_equal(json_object_size(content), 1);
    json_decref(doc);
}

/* R10: identity keys anywhere (but the route's own fields at the top) and
 * identity codes in any string. */
static void test_identity_walk(void **state)
{
    (void)state;
    static const struct route_field allowed[] = {{"name", 0}, {"codes", 0}, {NULL, 0}};
    static const struct {
        const char *json;
        bool refused;
    } cases[] = {
        {"{\"name\": \"Teatteri Hilla\"}", false},        /* the route's own field */
        {"{\"first_name\": \"Matti\"}", true},            /* R10 key */
        {"{\"Phone\": \"1\"}", true},                     /* case-insensitive */
        {"{\"codes\": [\"A1\", \"131052-308T\"]}", true}, /* identity code nested */
        {"{\"codes\": [{\"name\": \"x\"}]}", true},       /* nested keys never exempt */
        {"{\"name\": \"Alue 131052 308\"}", false},       /* ordinary numbers */
        {"{\"name\": \"owner 131052-308t here\"}", true}, /* inside text */
        {"{\"x\": {\"y\": [1, 2, {\"hetu\": 1}]}}", true},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        json_error_t err;
        json_t *v = json_loads(cases[i].json, 0, &err);
        assert_non_null(v);
        const char *where;
        assert_int_equal(json_has_identity_data(v, allowed, &where), cases[i].refused);
        json_decref(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_consistent),          cmocka_unit_test(test_match),
        cmocka_unit_test(test_openapi_lists_every_route), cmocka_unit_test(test_openapi_types),
        cmocka_unit_test(test_openapi_reports),           cmocka_unit_test(test_identity_walk),
        cmocka_unit_test(test_openapi_replies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
