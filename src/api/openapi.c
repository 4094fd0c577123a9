/* The OpenAPI 3.1 document of the API, made from the route tables of
 * api/site.c: paths, parameters, request bodies with their required fields,
 * and the schema of every reply, so that a ticketing system can generate a
 * client from it. tests/api/test_schema.py holds real replies of every
 * route against these schemas. */
#include <ctype.h>
#include <string.h>

#include "api/api.h"
#include "api/site.h"
#include "core/series.h"

static json_t *error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description, "content",
                     "application/json", "schema", "$ref", "#/components/schemas/Error");
}

/* The JSON type of each field and query parameter name the routes use. A
 * name means the same everywhere in the API, so one table serves all
 * routes; the handlers stay the judges of ranges and formats. */
enum field_type {
    F_STRING,
    F_INTEGER,
    F_BOOLEAN,
    F_DATE,
    F_DATETIME,
    F_CODES,
    F_ENUM,
    F_ENUMS,
    F_DATES
};

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
    {"exceptions", F_DATES, NULL},
    {"excluded", F_BOOLEAN, NULL},
    {"first_day", F_DATE, NULL},
    {"last_day", F_DATE, NULL},
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
    {"weekdays", F_ENUMS, &weekday_names},
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
        case F_DATES:
            return json_pack("{s:s, s:{s:s, s:s}}", "type", "array", "items", "type", "string",
                             "format", "date");
        case F_STRING:
            break;
        }
    }
    return json_pack("{s:s}", "type", "string");
}

/* ---- the schemas of replies ----
 *
 * Each reply shape is one line: "name:type" entries, separated by spaces.
 * A name with "~" before it may be left out (else it is required); "*Other"
 * takes in every entry of component Other. Types: string, integer, number,
 * boolean, date, datetime, object (anything), @enum (a name table below),
 * Component (a $ref), [type] (an array), {type} (an object of any keys with
 * values of type), a/b (one of), and "?" after a type: or null. Objects are
 * closed (additionalProperties false): a reply has exactly these keys. */
static const struct component {
    const char *name, *spec;
} components[] = {
    {"Health", "status:string"},
    {"OpenApi", "openapi:string info:object paths:object components:object security:[object]"},
    {"Login", "token:string role:@role username:string csrf:string expires_at:datetime"},
    {"Region", "id:string name:string pilot_ends_on:date?"},
    {"Regions", "regions:[Region]"},
    {"Unit", "id:string region:string name:string"},
    {"Units", "units:[Unit]"},
    {"Venue", "id:string region:string? name:string category:@venue_category "
              "accessibility:string free_cloakroom:boolean accessibility_sv:string "
              "accessibility_en:string"},
    {"Venues", "venues:[Venue]"},
    {"ApiKeyCreated", "id:integer key:string venue:string label:string"},
    {"ApiKey", "id:integer venue:string label:string created_at:datetime"},
    {"ApiKeys", "api_keys:[ApiKey]"},
    {"User", "username:string role:@role disabled:boolean ~region:string ~unit:string "
             "~venue:string"},
    {"Users", "users:[User]"},
    {"StockAdded", "added:integer"},
    {"TransferDecision", "id:integer status:@transfer_status"},
    {"Transfer", "id:integer from_unit:string to_unit:string region:string "
                 "status:@transfer_status count:integer requested_by:string "
                 "requested_at:datetime decided_by:string? decided_at:datetime?"},
    {"Transfers", "transfers:[Transfer]"},
    {"Handout", "card:string kind:@card_kind handed_out_on:date valid_until:date"},
    {"Card", "code:string kind:@card_kind status:@card_status valid_until:date?"},
    {"Event", "id:integer venue:string region:string? name:string kind:@event_kind "
              "starts_at:datetime capacity:integer cap:integer? guest_producer:boolean "
              "booking_opens_days:integer? collection_opens_minutes:integer? excluded:boolean "
              "exclusion_reason:string used:integer remaining:integer ~booking_opens_at:datetime "
              "~collection_opens_at:datetime"},
    {"Events", "events:[Event]"},
    {"Use", "id:integer card:string event:integer adult:integer child:integer "
            "companion:integer channel:@channel recorded_by:string recorded_at:datetime"},
    {"UseRow", "*Use venue:string event_name:string event_starts_at:datetime "
               "undone_at:datetime? undone_by:string?"},
    {"UsesPage", "uses:[UseRow] ~next:string"},
    {"AuditEntry", "id:integer at:datetime user:string action:string object:string "
                   "address:string"},
    {"AuditPage", "audit:[AuditEntry] ~next:string"},
    /* R28 */
    {"VenueUsageRow", "card:string adult:integer child:integer event:string date:date"},
    {"VenueUsageReport", "venue:string from:date? to:date? rows:[VenueUsageRow] "
                         "totals:VenueUsageTotals"},
    {"VenueUsageTotals", "adult:integer child:integer"},
    /* R30: when suppressed a count under 5 is "<5", one beside it "≥5" (docs/privacy.md) */
    {"CardholdersReport", "region:string? year:integer suppressed:boolean through:date? "
                          "total:integer/@small birth_year_band:{integer/@small} "
                          "mother_tongue:{integer/@small} gender:{integer/@small} "
                          "postal_code:{integer/@small} life_situation:{integer/@small} "
                          "unit:{integer/@small} month:{integer/@small}"},
    /* R31 */
    {"NationalFigures", "in_stock:integer handed_out:integer valid_now:integer "
                        "cancelled:integer renewals:integer uses:integer adult:integer "
                        "child:integer companion:integer used_at_least_once:integer "
                        "used_share:number? venues:integer units:integer events:integer"},
    {"NationalRegion", "region:string name:string *NationalFigures"},
    {"NationalReport", "year:integer regions:[NationalRegion] pop_up:NationalFigures/Empty "
                       "combined:NationalFigures"},
    /* R31 beside the previous year (issue 16); value and previous_year are
     * counts, or the share used (a number); null where none applies */
    {"StatisticsRow", "region:string name:string figure:string value:number? "
                      "previous_year:number?"},
    {"StatisticsFigure", "figure:string value:number? previous_year:number?"},
    {"StatisticsReport", "year:integer previous_year:integer region:string? "
                         "regions:[StatisticsRow] pop_up:[StatisticsFigure] "
                         "combined:[StatisticsFigure]"},
    {"Empty", ""},
    /* recurring admissions (core/series.h) */
    {"Series", "id:integer venue:string name:string weekdays:[@weekday] opens_at:string "
               "first_day:date last_day:date capacity:integer cap:integer? closed_at:datetime? "
               "days:integer ~removed:integer"},
    {"SeriesList", "series:[Series]"},
};

/* R30, core/report.h's REPORT_SMALL_TEXT and REPORT_LARGE_TEXT */
static const char *const small_list[] = {"<5", "\xe2\x89\xa5"
                                               "5"};
static const struct name_table small_names = {small_list, 2};

static const struct {
    const char *name;
    const struct name_table *table;
} enums[] = {
    {"role", &role_names},
    {"card_kind", &card_kind_names},
    {"card_status", &card_status_names},
    {"event_kind", &event_kind_names},
    {"channel", &channel_names},
    {"transfer_status", &transfer_status_names},
    {"venue_category", &venue_category_names},
    {"small", &small_names},
    {"weekday", &weekday_names},
};

static const struct component *component_find(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof components / sizeof components[0]; i++)
        if (strlen(components[i].name) == n && strncmp(components[i].name, name, n) == 0)
            return &components[i];
    return NULL;
}

static json_t *type_of(const char *t, size_t n);

/* One alternative of a type: [x], {x}, @enum, Component or a primitive. */
static json_t *one_type(const char *t, size_t n)
{
    static const struct {
        const char *name, *type, *format;
    } primitives[] = {
        {"string", "string", NULL}, {"integer", "integer", NULL},
        {"number", "number", NULL}, {"boolean", "boolean", NULL},
        {"date", "string", "date"}, {"datetime", "string", "date-time"},
        {"object", "object", NULL},
    };
    if (n >= 2 && t[0] == '[' && t[n - 1] == ']')
        return json_pack("{s:s, s:o}", "type", "array", "items", type_of(t + 1, n - 2));
    if (n >= 2 && t[0] == '{' && t[n - 1] == '}')
        return json_pack("{s:s, s:o}", "type", "object", "additionalProperties",
                         type_of(t + 1, n - 2));
    if (n >= 1 && t[0] == '@') {
        for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++)
            if (strlen(enums[i].name) == n - 1 && strncmp(enums[i].name, t + 1, n - 1) == 0)
                return enum_of(enums[i].table);
        return NULL;
    }
    if (n >= 1 && isupper((unsigned char)t[0])) {
        if (!component_find(t, n))
            return NULL;
        char ref[80];
        snprintf(ref, sizeof ref, "#/components/schemas/%.*s", (int)n, t);
        return json_pack("{s:s}", "$ref", ref);
    }
    for (size_t i = 0; i < sizeof primitives / sizeof primitives[0]; i++) {
        if (strlen(primitives[i].name) != n || strncmp(primitives[i].name, t, n) != 0)
            continue;
        json_t *o = json_pack("{s:s}", "type", primitives[i].type);
        if (o && primitives[i].format)
            json_object_set_new(o, "format", json_string(primitives[i].format));
        return o;
    }
    return NULL;
}

/* A type: alternatives a/b (one of), and "?" at the end for null too. */
static json_t *type_of(const char *t, size_t n)
{
    bool nullable = n > 0 && t[n - 1] == '?';
    if (nullable)
        n--;
    json_t *alternatives = json_array();
    size_t depth = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && (t[i] == '[' || t[i] == '{'))
            depth++;
        else if (i < n && (t[i] == ']' || t[i] == '}'))
            depth--;
        else if (i == n || (t[i] == '/' && depth == 0)) {
            json_array_append_new(alternatives, one_type(t + start, i - start));
            start = i + 1;
        }
    }
    if (nullable)
        json_array_append_new(alternatives, json_pack("{s:s}", "type", "null"));
    json_t *schema;
    if (json_array_size(alternatives) == 1)
        schema = json_incref(json_array_get(alternatives, 0));
    else if (nullable && json_array_size(alternatives) == 2 &&
             json_is_string(json_object_get(json_array_get(alternatives, 0), "type")) &&
             !json_object_get(json_array_get(alternatives, 0), "enum")) {
        /* a primitive or null: "type": ["string", "null"] */
        schema = json_deep_copy(json_array_get(alternatives, 0));
        const char *type = json_string_value(json_object_get(schema, "type"));
        json_object_set_new(schema, "type", json_pack("[s, s]", type, "null"));
    } else {
        schema = json_pack("{s:O}", "oneOf", alternatives);
    }
    json_decref(alternatives);
    return schema;
}

/* Adds the entries of spec to props and required (recursively for "*X"). */
static void add_entries(const char *spec, json_t *props, json_t *required)
{
    for (const char *p = spec; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        if (*p == '*') {
            const struct component *c = component_find(p + 1, n - 1);
            if (c)
                add_entries(c->spec, props, required);
        } else {
            bool optional = *p == '~';
            const char *name = p + optional;
            const char *colon = memchr(name, ':', n - optional);
            if (colon) {
                char key[64];
                snprintf(key, sizeof key, "%.*s", (int)(colon - name), name);
                json_object_set_new(props, key, type_of(colon + 1, (size_t)(p + n - colon - 1)));
                if (!optional)
                    json_array_append_new(required, json_string(key));
            }
        }
        p += n;
    }
}

static json_t *component_schema(const struct component *c)
{
    json_t *props = json_object(), *required = json_array();
    add_entries(c->spec, props, required);
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required",
                     required, "additionalProperties", 0);
}

static json_t *operation(const struct route *rt)
{
    const struct api_doc *doc = rt->doc;
    json_t *op = json_object();
    json_t *params = json_array();
    json_t *tags = json_array();
    json_t *responses = json_object();
    char success[8];
    snprintf(success, sizeof success, "%d", doc->success);

    /* Tag: the resource, the segment after /api/v1/. */
    const char *res = rt->pattern + (strncmp(rt->pattern, "/api/v1/", 8) == 0 ? 8 : 1);
    char tag[32];
    snprintf(tag, sizeof tag, "%.*s", (int)strcspn(res, "/."), res);
    json_array_append_new(tags, json_string(tag));

    json_object_set_new(op, "summary", json_string(doc->summary));
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
        json_t *required = json_array();
        for (const struct route_field *f = rt->body; f->name; f++) {
            json_object_set_new(props, f->name, schema_of(f->name));
            if (f->flags & RF_REQUIRED)
                json_array_append_new(required, json_string(f->name));
        }
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s, s:o, s:o, s:b}}}}", "required", 1,
                                      "content", "application/json", "schema", "type", "object",
                                      "properties", props, "required", required,
                                      "additionalProperties", 0));
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
    char ref[80];
    snprintf(ref, sizeof ref, "#/components/schemas/%s", doc->reply ? doc->reply : "Empty");
    json_t *content = json_pack("{s:{s:{s:s}}}", "application/json", "schema", "$ref", ref);
    if (doc->formats) {
        json_object_set_new(content, MEDIA_CSV, json_pack("{s:{s:s}}", "schema", "type", "string"));
        json_object_set_new(content, MEDIA_XLSX,
                            json_pack("{s:{s:s, s:s}}", "schema", "type", "string",
                                      "contentMediaType", MEDIA_XLSX));
    }
    if (doc->success == 204) {
        json_decref(content);
        json_object_set_new(responses, success, json_pack("{s:s}", "description", "Done"));
    } else {
        if (doc->also) { /* another success with the same reply */
            char also[8];
            snprintf(also, sizeof also, "%d", doc->also);
            json_object_set_new(
                responses, also,
                json_pack("{s:s, s:O}", "description", "Success", "content", content));
        }
        json_object_set_new(responses, success,
                            json_pack("{s:s, s:o}", "description", "Success", "content", content));
    }
    json_object_set_new(responses, "default", error_response("An error (see the error table)"));
    json_object_set_new(op, "responses", responses);
    return op;
}

static void add_paths(json_t *paths, const struct site *site)
{
    for (size_t i = 0; i < site->nroutes; i++) {
        const struct route *rt = &site->routes[i];
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
}

json_t *api_openapi(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < api_sites.count; i++)
        add_paths(paths, api_sites.sites[i]);
    json_t *codes = json_array();
    for (int e = 1; e < ERR_COUNT; e++)
        json_array_append_new(codes, json_string(error_code(e)));
    json_t *doc =
        json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:[s,s], s:{s:{s:s, s:o}, s:{s:s}, "
                  "s:{s:s}}}}, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
                  "openapi", "3.1.0", "info", "title", "kaiku API", "version", "1", "description",
                  "The JSON API of kaiku, the register of Kaikukortti. Errors are "
                  "{\"error\", \"message\", \"details\"}; x-roles lists who may call an operation.",
                  "paths", paths, "components", "schemas", "Error", "type", "object", "required",
                  "error", "message", "properties", "error", "type", "string", "enum", codes,
                  "message", "type", "string", "details", "type", "object", "securitySchemes",
                  "bearer", "type", "http", "scheme", "bearer", "cookie", "type", "apiKey", "in",
                  "cookie", "name", "kaiku_session", "security", "bearer", "cookie");
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    for (size_t i = 0; schemas && i < sizeof components / sizeof components[0]; i++)
        json_object_set_new(schemas, components[i].name, component_schema(&components[i]));
    return doc;
}
