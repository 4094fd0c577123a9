/* The handlers of the JSON API, one file per resource. Each parses its input
 * (strictly, through http/json.h), calls the store and replies; the router
 * (src/http/router.c) has already checked the caller's role. Each returns 0
 * with the reply set, or -ERR_x with r->details. */
#ifndef KAIKU_API_API_H
#define KAIKU_API_API_H

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

int health_get(struct request *r);
int openapi_get(struct request *r);

int auth_login(struct request *r);
int auth_logout(struct request *r);
int auth_password(struct request *r);

int regions_create(struct request *r);
int regions_list(struct request *r);
int units_create(struct request *r);
int units_list(struct request *r);
int venues_create(struct request *r);
int venues_list(struct request *r);

int users_create(struct request *r);
int users_list(struct request *r);
int users_disable(struct request *r);

int keys_create(struct request *r);
int keys_list(struct request *r);
int keys_revoke(struct request *r);

int stock_add(struct request *r);
int transfers_create(struct request *r);
int transfers_list(struct request *r);
int transfers_approve(struct request *r);
int transfers_reject(struct request *r);
int handouts_create(struct request *r);
int cards_get(struct request *r);
int cards_cancel(struct request *r);

int events_create(struct request *r);
int events_update(struct request *r);
int events_list(struct request *r);
int events_get(struct request *r);
int uses_create(struct request *r);
int uses_undo(struct request *r);
int uses_list(struct request *r);

int audit_list(struct request *r);

#endif
