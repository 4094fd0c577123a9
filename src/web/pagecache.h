/* A rendered page kept for the session that asked for it (issue 14, "Fast"):
 * the box office is reloaded after every post of a busy door, and the page
 * is the same bytes again until something it shows changes. Every input of
 * such a page is the memo's key:
 *
 *   - the session (its digest): who is signed in, the CSRF token;
 *   - the page family and the language;
 *   - the day in Helsinki ("today", dates, the events from today on);
 *   - the store's change generation (store_generation): any committed
 *     write — a use, an undo, an event or venue changed, a user changed —
 *     makes every kept page stale at once, whoever wrote it;
 *   - the bytes of the page's per-session state (web/state.h): the event
 *     chosen, the card checked, an outcome to show.
 *
 * A page may also carry one fresh random token (the record form's
 * idempotency key): a kept page is served with a new token written over
 * the old one, so no two replies share a key.
 *
 * A page is kept only when all of its inputs are in the key; a page that
 * shows anything else (the current time, a count read outside the store)
 * must not be kept. Memory is bounded: a direct-mapped table of
 * PAGE_CACHE_SLOTS pages of at most PAGE_CACHE_PAGE_MAX bytes (8 MiB at
 * most), chosen by session and family; a session's page replaces another's
 * in its slot. */
#ifndef KAIKU_WEB_PAGECACHE_H
#define KAIKU_WEB_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "http/request.h"
#include "util/secret.h"

#define PAGE_CACHE_SLOTS     128
#define PAGE_CACHE_PAGE_MAX  65536 /* a busy day's box office (200 uses): 42 kB */
#define PAGE_CACHE_STATE_MAX 512

/* The inputs of a page besides the session (taken from the request). */
struct page_memo {
    const char *family; /* a static name, e.g. "boxoffice" */
    enum lang lang;
    int32_t day;
    uint64_t generation; /* store_generation, read before the page's data */
    const void *state;   /* the page's per-session state, state_len bytes */
    size_t state_len;
};

/* When r's session has a page kept for exactly m, makes it r's reply (200,
 * HTML, the site's security headers) with a fresh token where the kept one
 * was, and returns true; false otherwise (nothing is changed then). */
bool page_cache_reply(struct request *r, const struct page_memo *m);

/* Keeps r's reply (a 200 page just rendered for m) for r's session, with
 * the token (SECRET_TOKEN_LEN bytes, found in the page) to be replaced on
 * each reuse; token NULL: none. A page too large, or without the token,
 * is not kept. */
void page_cache_keep(const struct request *r, const struct page_memo *m, const char *token);

/* Forgets every page (for tests). */
void page_cache_clear(void);

#endif
