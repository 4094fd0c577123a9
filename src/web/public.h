/* The public pages, no sign-in (issue 14, item 5; public.c): the front
 * page, the offer by region (R17, R20, R22), where to get a card, the
 * privacy notice (R10, R33–R35) and "Check my card" (R33). */
#ifndef KAIKU_WEB_PUBLIC_H
#define KAIKU_WEB_PUBLIC_H

#include "core/i18n.h"
#include "http/request.h"

/* The cookie that carries the result of a card check from the POST to the
 * page it redirects to (never the code): "valid-DAY", "expired-DAY",
 * "cancelled", "not_issued" or "unknown". The site lists it among the
 * cookies it reads. */
#define WEB_CHECK_COOKIE "kaiku_check"

/* How many days ahead the offer pages list events. */
#define WEB_OFFER_DAYS 14

int web_public_home(struct request *r);
int web_public_offer(struct request *r);
int web_public_region(struct request *r);
int web_public_where(struct request *r);
int web_public_privacy(struct request *r);
int web_public_check_form(struct request *r);
int web_public_check(struct request *r);

extern const struct i18n_keys web_public_keys;

#endif
