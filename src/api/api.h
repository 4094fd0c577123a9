/* The handlers of the JSON API, one file per resource. Each parses its input
 * (strictly, through the field readers of http/field.h), calls the store and
 * replies (JSON through http/json.h's writers); the pipeline (http/dispatch.h)
 * has already checked the caller's role against the route table of
 * api/site.c. Each returns 0 with the reply set (or deferred, req_defer), or
 * -ERR_x with r->details. */
#ifndef KAIKU_API_API_H
#define KAIKU_API_API_H

#include "http/field.h"
#include "http/json.h"
#include "http/request.h"

struct user;

/* Small shared pieces of the handlers (api/common.c). */
json_t *api_card_json(const struct card *c, int64_t now);
json_t *api_user_json(const struct user *u);
/* A path parameter that is a positive integer id; 404 not_found otherwise. */
int api_param_id(struct request *r, int i, int64_t *out);
/* The array of card codes in body field `field`, normalised (R1) into the
 * arena: an invalid code is 400 invalid_card_code (details.code), a code given
 * twice 400 invalid_request (details.field and details.code). */
int api_codes(struct request *r, const char *field, char (**codes)[CODE_MAX + 1], size_t *n);
/* One card code in body field `key`, normalised (R1) into out: a value that
 * is not a code, however long, is 400 invalid_card_code (details.field), as
 * on every route that takes codes. Absent (not FIELD_REQUIRED) or null
 * (FIELD_NULLABLE): 0 and out "". */
int api_field_card(struct request *r, const char *key, unsigned flags, char out[CODE_MAX + 1]);

/* Paging of long listings (uses, audit): `?limit=` rows per page (1 to
 * PAGE_LIMIT_MAX, default PAGE_LIMIT_DEFAULT) and `?after=` the `next` value
 * of the previous page. A page is {"<name>":[…]} plus "next" when more rows
 * follow. Rows are ordered by id, which grows in commit order (one writer),
 * so pages never skip or repeat a row; the cursor is the last id. */
#define PAGE_LIMIT_DEFAULT 1000
#define PAGE_LIMIT_MAX     10000
/* A row callback's "stop": the page is full. The store's listings stop at a
 * non-zero return and pass it on; api_page_reply takes it for success. */
#define PAGE_FULL 1

struct page {
    json_t *rows;
    int64_t limit;
    int64_t after_id; /* from ?after=; 0: the first page */
    int64_t last_id;  /* of the last row on the page */
    bool more;
};

/* Reads ?limit= and ?after= (400 invalid_request when malformed). */
int api_page_begin(struct request *r, struct page *p);
/* Before adding a row: true when the page is full (the callback then returns
 * PAGE_FULL, which stops the listing). */
bool api_page_full(struct page *p);
/* Adds a row (stolen) with its id. */
int api_page_add(struct page *p, json_t *row, int64_t id);
/* Replies 200 with the page (rc 0 or PAGE_FULL), or passes on the listing's
 * error (rc < 0). */
int api_page_reply(struct request *r, struct page *p, const char *name, int rc);

int api_health_get(struct request *r);
int api_openapi_get(struct request *r);

int api_auth_login(struct request *r);
int api_auth_logout(struct request *r);
int api_auth_password(struct request *r);

int api_regions_create(struct request *r);
int api_regions_list(struct request *r);
int api_regions_update(struct request *r);
int api_units_create(struct request *r);
int api_units_list(struct request *r);
int api_venues_create(struct request *r);
int api_venues_list(struct request *r);
int api_venues_update(struct request *r);
int api_series_create(struct request *r);
int api_series_list(struct request *r);
int api_series_extend(struct request *r);
int api_series_close(struct request *r);

int api_users_create(struct request *r);
int api_users_list(struct request *r);
int api_users_disable(struct request *r);
int api_users_enable(struct request *r);
int api_users_set_password(struct request *r);

int api_keys_create(struct request *r);
int api_keys_list(struct request *r);
int api_keys_revoke(struct request *r);

int api_stock_add(struct request *r);
int api_transfers_create(struct request *r);
int api_transfers_list(struct request *r);
int api_transfers_approve(struct request *r);
int api_transfers_reject(struct request *r);
int api_handouts_create(struct request *r);
int api_cards_get(struct request *r);
int api_cards_cancel(struct request *r);

int api_events_create(struct request *r);
int api_events_update(struct request *r);
int api_events_list(struct request *r);
int api_events_get(struct request *r);
int api_uses_create(struct request *r);
int api_uses_undo(struct request *r);
int api_uses_list(struct request *r);

int api_audit_list(struct request *r);

/* Reports (R28–R31) reply in the format of ?format=: json (the default), or
 * csv or xlsx as a download (api/reports.c). */
enum report_format { FORMAT_JSON, FORMAT_CSV, FORMAT_XLSX, FORMAT_COUNT };
extern const struct name_table report_format_names;
#define MEDIA_CSV  "text/csv"
#define MEDIA_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int api_reports_venue_usage(struct request *r);
int api_reports_cardholders(struct request *r);
int api_reports_national(struct request *r);
int api_reports_statistics(struct request *r);

#endif
