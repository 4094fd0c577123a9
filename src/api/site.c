/* The routes of the API in one table: method, path, handler, who may call
 * it, the body fields (required or not) and query parameters it accepts, and
 * what the OpenAPI document says of it. */
#include "api/site.h"

#include "api/api.h"
#include "http/site.h"

#define REQ(name)         \
    {                     \
        name, RF_REQUIRED \
    }
#define OPT(name) \
    {             \
        name, 0   \
    }
#define BODY(...)  ((const struct route_field[]){__VA_ARGS__, {NULL, 0}})
#define QUERY(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE       NULL
/* status of success, schema of its reply (api/openapi.c), summary */
#define DOC(st, reply, summary)    (&(const struct api_doc){st, 0, reply, false, summary})
#define REPORT(st, reply, summary) (&(const struct api_doc){st, 0, reply, true, summary})

#define EVENT_FIELDS(R)                                                                    \
    R("venue"), R("name"), R("kind"), R("starts_at"), R("capacity"), OPT("cap"),           \
        OPT("guest_producer"), OPT("booking_opens_days"), OPT("collection_opens_minutes"), \
        OPT("excluded"), OPT("exclusion_reason")

/* method, pattern, handler, roles, flags, body fields, query parameters, doc */
static const struct route api_routes[] = {
    {HTTP_GET, "/api/v1/openapi.json", api_openapi_get, 0, ROUTE_PUBLIC, NONE, NONE,
     DOC(200, "OpenApi", "This description (OpenAPI 3.1)")},

    {HTTP_POST, "/api/v1/login", api_auth_login, 0, ROUTE_PUBLIC,
     BODY(REQ("username"), REQ("password")), NONE,
     DOC(200, "Login",
         "Sign in: a session token, the role, and the CSRF value for cookie clients")},
    {HTTP_POST, "/api/v1/logout", api_auth_logout, R_ANY, 0, NONE, NONE,
     DOC(204, NULL, "End the session")},
    {HTTP_POST, "/api/v1/me/password", api_auth_password, R_ANY, ROUTE_USERS_ONLY,
     BODY(REQ("old"), REQ("new")), NONE, DOC(204, NULL, "Change one's own password")},

    {HTTP_POST, "/api/v1/regions", api_regions_create, R_NATIONAL, 0,
     BODY(REQ("id"), REQ("name"), OPT("pilot_ends_on")), NONE, DOC(201, "Region", "Add a region")},
    {HTTP_GET, "/api/v1/regions", api_regions_list, R_ANY, 0, NONE, NONE,
     DOC(200, "Regions", "List regions")},
    {HTTP_PATCH, "/api/v1/regions/{id}", api_regions_update, R_NATIONAL, 0,
     BODY(OPT("name"), OPT("pilot_ends_on")), NONE,
     DOC(200, "Region", "Change a region's name or pilot (null ends the pilot, R5)")},
    {HTTP_POST, "/api/v1/units", api_units_create, R_NATIONAL | R_COORDINATOR, 0,
     BODY(REQ("id"), REQ("region"), REQ("name")), NONE,
     DOC(201, "Unit", "Add a distributing unit")},
    {HTTP_GET, "/api/v1/units", api_units_list, R_ANY, 0, NONE, QUERY("region"),
     DOC(200, "Units", "List units in the caller's scope (R32)")},
    {HTTP_POST, "/api/v1/venues", api_venues_create, R_NATIONAL | R_COORDINATOR, 0,
     BODY(REQ("id"), REQ("region"), REQ("name"), REQ("category"), OPT("accessibility"),
          OPT("free_cloakroom")),
     NONE, DOC(201, "Venue", "Add a venue (region null: a pop-up venue, R22)")},
    {HTTP_GET, "/api/v1/venues", api_venues_list, 0, ROUTE_PUBLIC, NONE, QUERY("region"),
     DOC(200, "Venues", "List venues' public facts (R20); no sign-in needed")},
    {HTTP_PATCH, "/api/v1/venues/{id}", api_venues_update, R_NATIONAL | R_COORDINATOR | R_VENUE,
     ROUTE_USERS_ONLY,
     BODY(OPT("name"), OPT("category"), OPT("accessibility"), OPT("accessibility_sv"),
          OPT("accessibility_en"), OPT("free_cloakroom")),
     NONE,
     DOC(200, "Venue",
         "Change a venue: accessibility in fi, sv and en and the free cloakroom (R20) by its "
         "staff, coordinator or national; name and category by the coordinator or national")},
    {HTTP_POST, "/api/v1/venues/{id}/series", api_series_create,
     R_NATIONAL | R_COORDINATOR | R_VENUE, 0,
     BODY(REQ("name"), REQ("first_day"), REQ("last_day"), REQ("weekdays"), REQ("opens_at"),
          REQ("capacity"), OPT("cap"), OPT("exceptions")),
     NONE,
     DOC(201, "Series",
         "Add a series of day tickets: an event of kind daily for every opening day of a "
         "period, all or nothing (R15's daily line per day)")},
    {HTTP_GET, "/api/v1/venues/{id}/series", api_series_list, R_NATIONAL | R_COORDINATOR | R_VENUE,
     0, NONE, NONE, DOC(200, "SeriesList", "List a venue's series of day tickets")},
    {HTTP_POST, "/api/v1/series/{id}/extend", api_series_extend,
     R_NATIONAL | R_COORDINATOR | R_VENUE, 0, BODY(REQ("last_day"), OPT("exceptions")), NONE,
     DOC(200, "Series", "Extend an open series to a later last day")},
    {HTTP_POST, "/api/v1/series/{id}/close", api_series_close, R_NATIONAL | R_COORDINATOR | R_VENUE,
     0, BODY(OPT("from")), NONE,
     DOC(200, "Series",
         "Close a series: its days from `from` (today at the earliest) without uses are removed")},

    {HTTP_POST, "/api/v1/venues/{id}/api-keys", api_keys_create,
     R_NATIONAL | R_COORDINATOR | R_VENUE, ROUTE_USERS_ONLY, BODY(REQ("label")), NONE,
     DOC(201, "ApiKeyCreated", "Create an API key for a venue's ticketing system (shown once)")},
    {HTTP_GET, "/api/v1/venues/{id}/api-keys", api_keys_list, R_NATIONAL | R_COORDINATOR | R_VENUE,
     ROUTE_USERS_ONLY, NONE, NONE, DOC(200, "ApiKeys", "List a venue's API keys (ids and labels)")},
    {HTTP_DELETE, "/api/v1/venues/{id}/api-keys/{key_id}", api_keys_revoke,
     R_NATIONAL | R_COORDINATOR | R_VENUE, ROUTE_USERS_ONLY, NONE, NONE,
     DOC(204, NULL, "Revoke a venue API key")},

    {HTTP_POST, "/api/v1/users", api_users_create, R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY,
     BODY(REQ("username"), REQ("password"), REQ("role"), OPT("region"), OPT("unit"), OPT("venue")),
     NONE, DOC(201, "User", "Add a user")},
    {HTTP_GET, "/api/v1/users", api_users_list, R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY, NONE,
     NONE, DOC(200, "Users", "List users in the caller's scope")},
    {HTTP_POST, "/api/v1/users/{username}/disable", api_users_disable, R_NATIONAL | R_COORDINATOR,
     ROUTE_USERS_ONLY, NONE, NONE,
     DOC(200, "User", "Disable a user: their sessions end and their API keys are revoked")},
    {HTTP_POST, "/api/v1/users/{username}/enable", api_users_enable, R_NATIONAL | R_COORDINATOR,
     ROUTE_USERS_ONLY, NONE, NONE,
     DOC(200, "User", "Re-enable a disabled user (their revoked API keys stay revoked)")},
    {HTTP_POST, "/api/v1/users/{username}/password", api_users_set_password,
     R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY, BODY(OPT("new"), OPT("password")), NONE,
     DOC(200, "User",
         "Set another user's password (\"password\": the field's former name); their "
         "sessions end")},

    {HTTP_POST, "/api/v1/stock", api_stock_add, R_NATIONAL | R_COORDINATOR, ROUTE_CARD_CODES,
     BODY(REQ("unit"), REQ("kind"), REQ("codes")), NONE,
     DOC(201, "StockAdded", "Add card codes to a unit's stock (R3)")},
    {HTTP_POST, "/api/v1/transfers", api_transfers_create, R_COORDINATOR | R_DISTRIBUTOR,
     ROUTE_CARD_CODES, BODY(REQ("codes"), REQ("from_unit"), REQ("to_unit")), NONE,
     DOC(201, "TransferDecision", "Request a transfer of codes (R3)")},
    {HTTP_GET, "/api/v1/transfers", api_transfers_list, R_NATIONAL | R_COORDINATOR | R_DISTRIBUTOR,
     0, NONE, QUERY("status"), DOC(200, "Transfers", "List transfers in the caller's scope")},
    {HTTP_POST, "/api/v1/transfers/{id}/approve", api_transfers_approve, R_COORDINATOR, 0, NONE,
     NONE, DOC(200, "TransferDecision", "Approve a transfer: the codes move")},
    {HTTP_POST, "/api/v1/transfers/{id}/reject", api_transfers_reject, R_COORDINATOR, 0, NONE, NONE,
     DOC(200, "TransferDecision", "Reject a transfer")},
    {HTTP_POST, "/api/v1/handouts", api_handouts_create, R_DISTRIBUTOR, ROUTE_CARD_CODES,
     BODY(REQ("card"), OPT("handed_out_on"), OPT("birth_year"), OPT("mother_tongue"), OPT("gender"),
          OPT("postal_code"), OPT("life_situation"), OPT("renews")),
     NONE, DOC(201, "Handout", "Hand out a card (R9-R14)")},
    {HTTP_GET, "/api/v1/cards/{code}", api_cards_get, R_ANY, ROUTE_CARD_CODES, NONE, NONE,
     DOC(200, "Card", "Look up a card: code, kind, status, valid_until only (R33)")},
    {HTTP_POST, "/api/v1/cards/{code}/cancel", api_cards_cancel, R_COORDINATOR | R_DISTRIBUTOR,
     ROUTE_CARD_CODES, BODY(REQ("reason")), NONE, DOC(200, "Card", "Cancel a card (R13)")},

    {HTTP_POST, "/api/v1/events", api_events_create, R_NATIONAL | R_COORDINATOR | R_VENUE, 0,
     BODY(EVENT_FIELDS(REQ)), NONE, DOC(201, "Event", "Add an event (R15-R17)")},
    {HTTP_GET, "/api/v1/events", api_events_list, R_ANY, 0, NONE, QUERY("venue", "from", "to"),
     DOC(200, "Events", "List events with their restrictions (R17)")},
    {HTTP_GET, "/api/v1/events/{id}", api_events_get, R_ANY, 0, NONE, NONE,
     DOC(200, "Event", "One event")},
    {HTTP_PATCH, "/api/v1/events/{id}", api_events_update, R_NATIONAL | R_COORDINATOR | R_VENUE, 0,
     BODY(EVENT_FIELDS(OPT)), NONE,
     DOC(200, "Event", "Change fields of an event under the same rules")},
    {HTTP_POST, "/api/v1/uses", api_uses_create, R_COORDINATOR | R_VENUE, ROUTE_CARD_CODES,
     BODY(REQ("card"), REQ("event"), REQ("adult"), REQ("child"), OPT("companion"), OPT("channel"),
          OPT("idempotency_key")),
     NONE,
     (&(const struct api_doc){
         201, 200, "Use", false,
         "Record a use (R23-R27); idempotent with a key (200: the same request again)"})},
    {HTTP_GET, "/api/v1/uses", api_uses_list, R_NATIONAL | R_COORDINATOR | R_VENUE, 0, NONE,
     QUERY("venue", "event", "from", "to", "limit", "after"),
     DOC(200, "UsesPage", "List uses, undone ones included (R25); paged")},
    {HTTP_DELETE, "/api/v1/uses/{id}", api_uses_undo, R_COORDINATOR | R_VENUE, 0, NONE, NONE,
     DOC(204, NULL, "Undo a use (R25)")},

    {HTTP_GET, "/api/v1/audit", api_audit_list, R_NATIONAL | R_COORDINATOR, ROUTE_USERS_ONLY, NONE,
     QUERY("from", "to", "limit", "after"), DOC(200, "AuditPage", "The audit log (R34); paged")},

    {HTTP_GET, "/api/v1/reports/venue-usage", api_reports_venue_usage,
     R_NATIONAL | R_COORDINATOR | R_VENUE, ROUTE_SLOW, NONE, QUERY("venue", "from", "to", "format"),
     REPORT(200, "VenueUsageReport",
            "A venue's usage report: one row per use not undone, and totals (R28, R29)")},
    {HTTP_GET, "/api/v1/reports/cardholders", api_reports_cardholders, R_NATIONAL | R_COORDINATOR,
     ROUTE_SLOW, NONE, QUERY("region", "year", "format", "suppress"),
     REPORT(200, "CardholdersReport",
            "Background of the cardholders of a region's handouts in a year's closed months; no "
            "count 1-4 shown or to be worked out (R30)")},
    {HTTP_GET, "/api/v1/reports/national", api_reports_national, R_NATIONAL, ROUTE_SLOW, NONE,
     QUERY("year", "format"),
     REPORT(200, "NationalReport", "National statistics per region and combined (R31)")},
    {HTTP_GET, "/api/v1/reports/statistics", api_reports_statistics, R_NATIONAL | R_COORDINATOR, 0,
     NONE, QUERY("region", "year", "format"),
     REPORT(200, "StatisticsReport",
            "R31 of a year beside the previous year, uses by domain: per region and combined "
            "(national), or a coordinator's own region")},
};

static const struct route health_routes[] = {
    {HTTP_GET, "/healthz", api_health_get, 0, ROUTE_PUBLIC, NONE, NONE,
     DOC(200, "Health", "Liveness check")},
};

const struct site api_site = {
    .name = "api",
    .prefix = "/api/v1",
    .routes = api_routes,
    .nroutes = sizeof api_routes / sizeof api_routes[0],
    .body = &body_json,
    .render_error = http_render_error_json,
    .csrf = CSRF_FROM_HEADER,
    .csrf_name = "X-CSRF-Token",
};

const struct site api_health_site = {
    .name = "health",
    .prefix = "/healthz",
    .routes = health_routes,
    .nroutes = sizeof health_routes / sizeof health_routes[0],
    .body = &body_json,
    .render_error = http_render_error_json,
    .csrf = CSRF_FROM_HEADER,
    .csrf_name = "X-CSRF-Token",
};

static const struct site *const both[] = {&api_health_site, &api_site};
const struct site_list api_sites = {both, sizeof both / sizeof both[0]};
