/* What a page keeps for a signed-in session between a form post and the
 * page it redirects to (post/redirect/get): the box office's chosen event,
 * the card code it checked and the outcome to show once. Card codes thus
 * never travel in a URL, nor back and forth in the page.
 *
 * Kept in this process's memory, keyed by the session token's digest and a
 * page family's name, for as long as a session lasts: a fixed table
 * (WEB_STATE_SLOTS), so a slot may be taken over by another session when
 * the table is full, which costs the other page its remembered event and
 * nothing else. Several servers behind one address need sticky sessions
 * for it (docs/decisions.md). */
#ifndef KAIKU_WEB_STATE_H
#define KAIKU_WEB_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define WEB_STATE_BYTES 512
#define WEB_STATE_SLOTS 2048

/* Copies the n bytes (n <= WEB_STATE_BYTES) family keeps for r's session
 * into out: true; false (out zeroed) when there are none. */
bool web_state_load(const struct request *r, const char *family, void *out, size_t n);
/* Keeps n bytes for r's session under family. */
void web_state_save(const struct request *r, const char *family, const void *in, size_t n);

#endif
