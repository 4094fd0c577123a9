/* Who is calling: session tokens (from sign-in, sent as a Bearer token or the
 * kaiku_session cookie) and venue API keys (Bearer). Only digests of tokens
 * are ever stored (util/secret.h). */
#ifndef KAIKU_HTTP_SESSION_H
#define KAIKU_HTTP_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define SESSION_TTL    (12 * 3600) /* seconds a session lasts after sign-in */
#define SESSION_COOKIE "kaiku_session"
#define CSRF_HEADER    "X-CSRF-Token"

/* The CSRF value that goes with a session token: a keyed BLAKE2b of the
 * token, base64url. Cookie clients send it back on every POST, PATCH and
 * DELETE where the site takes it (struct site: the X-CSRF-Token header for
 * the API, a form field for pages); a page of another site can read
 * neither. */
void session_csrf(const char *token, char out[SECRET_TOKEN_LEN + 1]);

/* The Set-Cookie value of the session cookie holding token for max_age
 * seconds (0 and "" end it): HttpOnly, SameSite=Strict, Path=/, Secure when
 * r->secure. In r's arena; NULL when out of memory. */
const char *session_cookie(struct request *r, const char *token, int64_t max_age);

/* Sets r->actor from the Authorization header (Bearer session token or API
 * key) or else the session cookie. Cookie-authenticated unsafe requests must
 * carry the CSRF value `csrf` (from r->site's header or form field).
 * Returns 0, -ERR_UNAUTHENTICATED or -ERR_FORBIDDEN (CSRF, details.field
 * naming where it belongs). authorization, cookie and csrf may be NULL. */
int session_authenticate(struct request *r, const char *authorization, const char *cookie,
                         const char *csrf);

/* Who a token digest stands for is remembered for SESSION_CACHE_SECONDS, so
 * that a busy client costs no database read per request. A sign-out, a
 * disabled user, a changed password or a revoked key takes effect at once
 * (these forget what they change). A session is never remembered past its
 * own expiry. Only where the store is not shared (store_shared: SQLite, one
 * serving process): on a database that several servers serve (PostgreSQL),
 * one server cannot make another forget, so nothing is remembered and every
 * request reads its session or key from the database. */
#define SESSION_CACHE_SECONDS 5

/* Forgets one token digest (sign-out). */
void session_forget(const uint8_t digest[SECRET_DIGEST_BYTES]);
/* Forgets every token (a user disabled, a password changed, a key revoked). */
void session_forget_all(void);

#endif
