/* application/x-www-form-urlencoded: the body reader of sites whose pages
 * post forms (body_form in http/site.h). */
#ifndef KAIKU_HTTP_FORM_H
#define KAIKU_HTTP_FORM_H

#include <stddef.h>

#include "http/request.h"

#define FORM_KEY_MAX 64 /* bytes of a decoded key; a longer one is refused */

/* Decodes the len bytes at data ("a=1&b=x+y%21") into r->body.pairs in the
 * arena, in order: '+' is a space and %XX a byte; keys and values must be
 * clean UTF-8 once decoded (no %00, no control characters). Every pair needs '=' and a non-empty
 * key of at most FORM_KEY_MAX bytes; a key may come more than once (lists; the field readers refuse
 * it elsewhere). Then R10: no identity field name as a key outside the route's fields, and no
 * identity code in any key or value. Returns 0, -ERR_INVALID_REQUEST (details.field "body", or the
 * key), -ERR_IDENTITY_DATA_REFUSED (details.field the key) or -ERR_INTERNAL. */
int form_parse(struct request *r, const char *data, size_t len);

#endif
