/* The OpenAPI 3.1 document of the API, made from the route tables of
 * api/site.c: paths, parameters, request bodies with their required fields,
 * and the schema of every reply. */
#include <string.h>

#include "api/api.h"
#include "api/site.h"

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
    json_t *content = json_pack("{s:{s:{s:s}}}", "application/json", "schema", "type", "object");
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
