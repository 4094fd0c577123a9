/* The routes of the API in one table, and the OpenAPI document made from it,
 * so that the description can never drift from what the server does. */
#include "http/router.h"

#include <string.h>

#include "api/api.h"

#define FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE        NULL

static const char *const event_fields[] = {"venue",
                                           "name",
                                           "kind",
                                           "starts_at",
                                           "capacity",
                                           "cap",
                                           "guest_producer",
                                           "booking_opens_days",
                                           "collection_opens_minutes",
                                           "excluded",
                                           "exclusion_reason",
                                           NULL};

/* method, pattern, handler, roles, flags, body fields, query parameters,
 * success status, summary */
const struct route routes[] = {
    {HTTP_GET, "/healthz", health_get, 0, ROUTE_PUBLIC, NONE, NONE, 200, "Liveness check"},
    {HTTP_GET, "/api/v1/openapi.json", openapi_get, 0, ROUTE_PUBLIC, NONE, NONE, 200,
     "This description (OpenAPI 3.1)"},

    {HTTP_POST, "/api/v1/login", auth_login, 0, ROUTE_PUBLIC, FIELDS("username", "password"), NONE,
     200, "Sign in: a session token, the role, and the CSRF value for cookie clients"},
    {HTTP_POST, "/api/v1/logout", auth_logout, R_ANY, 0, NONE, NONE, 204, "End the session"},
    {HTTP_POST, "/api/v1/me/password", auth_password, R_ANY, ROUTE_USERS_ONLY, FIELDS("old", "new"),
     NONE, 204, "Change one's own password"},

    {HTTP_POST, "/api/v1/regions", regions_create, R_NATIONAL, 0,
     FIELDS("id", "name", "pilot_ends_on"), NONE, 201, "Add a region"},
    {HTTP_GET, "/api/v1/regions", regions_list, R_ANY, 0, NONE, NONE, 200, "List regions"},
    {HTTP_POST, "/api/v1/units", units_create, R_NATIONAL | R_COORDINATOR, 0,
     FIELDS("id", "region", "name"), NONE, 201, "Add a distributing unit"},
    {HTTP_GET, "/api/v1/units", units_list, R_ANY, 0, NONE, FIELDS("region"), 200,
     "List units in the caller's scope (R32)"},
    {HTTP_POST, "/api/v1/venues", venues_create, R_NATIONAL | R_COORDINATOR, 0,
     FIELDS("id", "region", "name", "category", "accessibility", "free_cloakroom"), NONE, 201,
     "Add a venue (region null: a pop-up venue, R22)"},
    {HTTP_GET, "/api/v1/venues", venues_list, 0, ROUTE_PUBLIC, NONE, FIELDS("region"), 200,
     "List venues' public facts (R20); no sign-in needed"},

    {HTTP_POST, "/api/v1/venues/{id}/api-keys", keys_create, R_NATIONAL | R_COORDINATOR | R_VENUE,
     ROUTE_USERS_ONLY, FIELDS("label"), NONE, 201,
     "Create an API key for a venue's ticketing system (shown once)"},
    {HTTP_GET, "/api/v1/venues/{id}/api-keys", keys_list, R_NATIONAL | R_COORDINATOR | R_VENUE,
     ROUTE_USERS_ONLY, NONE, NONE, 200, "List a venue's API keys (ids and labels)"},
    {HTTP_DELETE, "/api/v1/venues/{id}/api-keys/{key_id}", keys_revoke,
     R_NATIONAL | R_COORDINATOR | R_VENUE, ROUTE_USERS_ONLY, NONE, NONE, 204,
     "Revoke a venue API key"},

    {HTTP_POST, "/api/v1/users", users_create, R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY,
     FIELDS("username", "password", "role", "region", "unit", "venue"), NONE, 201, "Add a user"},
    {HTTP_GET, "/api/v1/users", users_list, R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY, NONE,
     NONE, 200, "List users in the caller's scope"},
    {HTTP_POST, "/api/v1/users/{username}/disable", users_disable, R_NATIONAL | R_COORDINATOR,
     ROUTE_USERS_ONLY, NONE, NONE, 200, "Disable a user and end their sessions"},

    {HTTP_POST, "/api/v1/stock", stock_add, R_NATIONAL | R_COORDINATOR, 0,
     FIELDS("unit", "kind", "codes"), NONE, 201, "Add card codes to a unit's stock (R3)"},
    {HTTP_POST, "/api/v1/transfers", transfers_create, R_COORDINATOR | R_DISTRIBUTOR,
     ROUTE_CARD_CODES, FIELDS("codes", "from_unit", "to_unit"), NONE, 201,
     "Request a transfer of codes (R3)"},
    {HTTP_GET, "/api/v1/transfers", transfers_list, R_NATIONAL | R_COORDINATOR | R_DISTRIBUTOR, 0,
     NONE, FIELDS("status"), 200, "List transfers in the caller's scope"},
    {HTTP_POST, "/api/v1/transfers/{id}/approve", transfers_approve, R_COORDINATOR, 0, NONE, NONE,
     200, "Approve a transfer: the codes move"},
    {HTTP_POST, "/api/v1/transfers/{id}/reject", transfers_reject, R_COORDINATOR, 0, NONE, NONE,
     200, "Reject a transfer"},
    {HTTP_POST, "/api/v1/handouts", handouts_create, R_DISTRIBUTOR, ROUTE_CARD_CODES,
     FIELDS("card", "handed_out_on", "birth_year", "mother_tongue", "gender", "postal_code",
            "life_situation", "renews"),
     NONE, 201, "Hand out a card (R9-R14)"},
    {HTTP_GET, "/api/v1/cards/{code}", cards_get, R_ANY, ROUTE_CARD_CODES, NONE, NONE, 200,
     "Look up a card: code, kind, status, valid_until only (R33)"},
    {HTTP_POST, "/api/v1/cards/{code}/cancel", cards_cancel, R_COORDINATOR | R_DISTRIBUTOR,
     ROUTE_CARD_CODES, FIELDS("reason"), NONE, 200, "Cancel a card (R13)"},

    {HTTP_POST, "/api/v1/events", events_create, R_NATIONAL | R_COORDINATOR | R_VENUE, 0,
     event_fields, NONE, 201, "Add an event (R15-R17)"},
    {HTTP_GET, "/api/v1/events", events_list, R_ANY, 0, NONE, FIELDS("venue", "from", "to"), 200,
     "List events with their restrictions (R17)"},
    {HTTP_GET, "/api/v1/events/{id}", events_get, R_ANY, 0, NONE, NONE, 200, "One event"},
    {HTTP_PATCH, "/api/v1/events/{id}", events_update, R_NATIONAL | R_COORDINATOR | R_VENUE, 0,
     event_fields, NONE, 200, "Change fields of an event under the same rules"},
    {HTTP_POST, "/api/v1/uses", uses_create, R_COORDINATOR | R_VENUE, ROUTE_CARD_CODES,
     FIELDS("card", "event", "adult", "child", "companion", "channel", "idempotency_key"), NONE,
     201, "Record a use (R23-R27); idempotent with a key"},
    {HTTP_GET, "/api/v1/uses", uses_list, R_NATIONAL | R_COORDINATOR | R_VENUE, 0, NONE,
     FIELDS("venue", "event", "from", "to", "limit", "after"), 200,
     "List uses, undone ones included (R25); paged"},
    {HTTP_DELETE, "/api/v1/uses/{id}", uses_undo, R_COORDINATOR | R_VENUE, 0, NONE, NONE, 204,
     "Undo a use (R25)"},

    {HTTP_GET, "/api/v1/audit", audit_list, R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY, NONE,
     FIELDS("from", "to", "limit", "after"), 200, "The audit log (R34); paged"},

    {HTTP_GET, "/api/v1/reports/venue-usage", reports_venue_usage,
     R_NATIONAL | R_COORDINATOR | R_VENUE, ROUTE_FORMATS, NONE,
     FIELDS("venue", "from", "to", "format"), 200,
     "A venue's usage report: one row per use not undone, and totals (R28, R29)"},
    {HTTP_GET, "/api/v1/reports/cardholders", reports_cardholders, R_NATIONAL | R_COORDINATOR,
     ROUTE_FORMATS, NONE, FIELDS("region", "year", "format", "suppress"), 200,
     "Background of the cardholders of a region's handouts in a year; counts 1-4 as \"<5\" "
     "(R30)"},
    {HTTP_GET, "/api/v1/reports/national", reports_national, R_NATIONAL, ROUTE_FORMATS, NONE,
     FIELDS("year", "format"), 200, "National statistics per region and combined (R31)"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];

static const char *const method_names[HTTP_METHOD_COUNT] = {"GET", "POST", "PATCH", "DELETE",
                                                            "PUT"};

const char *http_method_name(enum http_method m)
{
    return (unsigned)m < HTTP_METHOD_COUNT ? method_names[m] : "";
}

int http_method_parse(const char *s)
{
    for (int i = 0; i < HTTP_METHOD_COUNT; i++)
        if (strcmp(method_names[i], s) == 0)
            return i;
    return -1;
}

/* Matches path against pattern segment by segment; {x} takes one non-empty
 * segment, copied into params when params is not NULL. */
static bool pattern_match(const char *pattern, const char *path, struct request *r)
{
    const char *p = pattern, *s = path;
    size_t np = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            size_t n = strcspn(s, "/");
            if (!end || n == 0)
                return false;
            if (r) {
                if (np >= REQUEST_PARAMS_MAX)
                    return false;
                r->params[np] = arena_strndup(&r->arena, s, n);
                if (!r->params[np])
                    return false;
            }
            np++;
            p = end + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

const struct route *router_match(struct request *r, enum http_method method, const char *path,
                                 bool *path_known, char *allow, size_t cap)
{
    *path_known = false;
    if (cap)
        allow[0] = '\0';
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        if (!pattern_match(rt->pattern, path, NULL))
            continue;
        if (rt->method == method) {
            if (!pattern_match(rt->pattern, path, r))
                return NULL;
            return rt;
        }
        size_t used = strlen(allow);
        snprintf(allow + used, cap - used, "%s%s", *path_known ? ", " : "",
                 http_method_name(rt->method));
        *path_known = true;
    }
    return NULL;
}

/* ---- OpenAPI 3.1 ---- */

static json_t *error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description, "content",
                     "application/json", "schema", "$ref", "#/components/schemas/Error");
}

/* The JSON type of each field and query parameter name the routes use. A
 * name means the same everywhere in the API, so one table serves all
 * routes; the handlers stay the judges of ranges and formats. */
enum field_type { F_STRING, F_INTEGER, F_BOOLEAN, F_DATE, F_DATETIME, F_CODES, F_ENUM, F_ENUMS };

static const struct field_schema {
    const char *name;
    enum field_type type;
    const struct name_table *values; /* F_ENUM, F_ENUMS */
} field_schemas[] = {
    {"adult", F_INTEGER, NULL},
    {"birth_year", F_INTEGER, NULL},
    {"booking_opens_days", F_INTEGER, NULL},
    {"cap", F_INTEGER, NULL},
    {"capacity", F_INTEGER, NULL},
    {"category", F_ENUM, &venue_category_names},
    {"channel", F_ENUM, &channel_names},
    {"child", F_INTEGER, NULL},
    {"codes", F_CODES, NULL},
    {"collection_opens_minutes", F_INTEGER, NULL},
    {"companion", F_INTEGER, NULL},
    {"event", F_INTEGER, NULL},
    {"excluded", F_BOOLEAN, NULL},
    {"format", F_ENUM, &report_format_names},
    {"free_cloakroom", F_BOOLEAN, NULL},
    {"from", F_DATE, NULL},
    {"gender", F_ENUM, &gender_names},
    {"guest_producer", F_BOOLEAN, NULL},
    {"handed_out_on", F_DATE, NULL},
    {"life_situation", F_ENUMS, &life_situation_names},
    {"limit", F_INTEGER, NULL},
    {"pilot_ends_on", F_DATE, NULL},
    {"role", F_ENUM, &role_names},
    {"starts_at", F_DATETIME, NULL},
    {"status", F_ENUM, &transfer_status_names},
    {"suppress", F_BOOLEAN, NULL},
    {"to", F_DATE, NULL},
    {"year", F_INTEGER, NULL},
};

static json_t *enum_of(const struct name_table *t)
{
    json_t *values = json_array();
    for (int i = 0; i < t->count; i++)
        json_array_append_new(values, json_string(t->names[i]));
    return json_pack("{s:s, s:o}", "type", "string", "enum", values);
}

/* Anything not in field_schemas is a string. */
static json_t *schema_of(const char *name)
{
    for (size_t i = 0; i < sizeof field_schemas / sizeof field_schemas[0]; i++) {
        const struct field_schema *f = &field_schemas[i];
        if (strcmp(f->name, name) != 0)
            continue;
        switch (f->type) {
        case F_INTEGER:
            return json_pack("{s:s}", "type", "integer");
        case F_BOOLEAN:
            return json_pack("{s:s}", "type", "boolean");
        case F_DATE:
            return json_pack("{s:s, s:s}", "type", "string", "format", "date");
        case F_DATETIME:
            return json_pack("{s:s, s:s}", "type", "string", "description",
                             "YYYY-MM-DDTHH:MM[:SS] with an optional offset; without one, "
                             "Finnish local time");
        case F_CODES:
            return json_pack("{s:s, s:{s:s}, s:i}", "type", "array", "items", "type", "string",
                             "minItems", 1);
        case F_ENUM:
            return enum_of(f->values);
        case F_ENUMS:
            return json_pack("{s:s, s:o, s:i}", "type", "array", "items", enum_of(f->values),
                             "minItems", 1);
        case F_STRING:
            break;
        }
    }
    return json_pack("{s:s}", "type", "string");
}

static json_t *operation(const struct route *rt)
{
    json_t *op = json_object();
    json_t *params = json_array();
    json_t *tags = json_array();
    json_t *responses = json_object();
    char success[8];
    snprintf(success, sizeof success, "%d", rt->success);

    /* Tag: the resource, the segment after /api/v1/. */
    const char *res = rt->pattern + (strncmp(rt->pattern, "/api/v1/", 8) == 0 ? 8 : 1);
    char tag[32];
    snprintf(tag, sizeof tag, "%.*s", (int)strcspn(res, "/."), res);
    json_array_append_new(tags, json_string(tag));

    json_object_set_new(op, "summary", json_string(rt->summary));
    json_object_set_new(op, "tags", tags);

    for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = strcspn(p + 1, "}");
        json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, n, "in",
                                                "path", "required", 1, "schema", "type", "string"));
    }
    for (const char *const *q = rt->query; q && *q; q++)
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:o}", "name", *q, "in", "query",
                                                "required", 0, "schema", schema_of(*q)));
    json_object_set_new(op, "parameters", params);

    if (rt->body) {
        json_t *props = json_object();
        for (const char *const *f = rt->body; *f; f++)
            json_object_set_new(props, *f, schema_of(*f));
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s, s:o, s:b}}}}", "required", 1, "content",
                                      "application/json", "schema", "type", "object", "properties",
                                      props, "additionalProperties", 0));
    }
    if (rt->flags & ROUTE_PUBLIC)
        json_object_set_new(op, "security", json_array());
    else {
        json_t *roles = json_array();
        for (int i = 0; i < ROLE_COUNT; i++)
            if (rt->roles & ROLE_BIT(i))
                json_array_append_new(roles, json_string(name_of(&role_names, i)));
        json_object_set_new(op, "x-roles", roles);
        /* A venue API key acts as venue staff, where people-only routes allow. */
        json_object_set_new(op, "x-api-keys",
                            json_boolean((rt->roles & R_VENUE) && !(rt->flags & ROUTE_USERS_ONLY)));
    }
    json_t *content = json_pack("{s:{s:{s:s}}}", "application/json", "schema", "type", "object");
    if (rt->flags & ROUTE_FORMATS) {
        json_object_set_new(content, MEDIA_CSV, json_pack("{s:{s:s}}", "schema", "type", "string"));
        json_object_set_new(content, MEDIA_XLSX,
                            json_pack("{s:{s:s, s:s}}", "schema", "type", "string",
                                      "contentMediaType", MEDIA_XLSX));
    }
    if (rt->success == 204) {
        json_decref(content);
        json_object_set_new(responses, success, json_pack("{s:s}", "description", "Done"));
    } else {
        json_object_set_new(responses, success,
                            json_pack("{s:s, s:o}", "description", "Success", "content", content));
    }
    json_object_set_new(responses, "default", error_response("An error (see the error table)"));
    json_object_set_new(op, "responses", responses);
    return op;
}

json_t *router_openapi(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char lower[8];
        const char *m = http_method_name(rt->method);
        size_t k = 0;
        for (; m[k] && k + 1 < sizeof lower; k++)
            lower[k] = (char)(m[k] - 'A' + 'a');
        lower[k] = '\0';
        json_object_set_new(item, lower, operation(rt));
    }
    json_t *codes = json_array();
    for (int e = 1; e < ERR_COUNT; e++)
        json_array_append_new(codes, json_string(error_code(e)));
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:[s,s], s:{s:{s:s, s:o}, s:{s:s}, "
        "s:{s:s}}}}, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
        "openapi", "3.1.0", "info", "title", "kaiku API", "version", "1", "description",
        "The JSON API of kaiku, the register of Kaikukortti. Errors are "
        "{\"error\", \"message\", \"details\"}; x-roles lists who may call an operation.",
        "paths", paths, "components", "schemas", "Error", "type", "object", "required", "error",
        "message", "properties", "error", "type", "string", "enum", codes, "message", "type",
        "string", "details", "type", "object", "securitySchemes", "bearer", "type", "http",
        "scheme", "bearer", "cookie", "type", "apiKey", "in", "cookie", "name", "kaiku_session",
        "security", "bearer", "cookie");
}
