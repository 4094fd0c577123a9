/* The venue's own pages (venue staff), beside the box office: its events
 * with their caps (venue_events.c) and uses (venue_uses.c), its details and API keys
 * (venue_admin.c) and its usage report (venue_report.c). They share this:
 * the venue's navigation, a form's "once" guard, a form field's raw value
 * and the undo of a use.
 *
 * A form that is refused is shown again at once, in the reply to its post
 * (status 422), with the errors next to their fields and the values kept:
 * nothing was changed, so reloading it repeats nothing (docs/decisions.md).
 * A form that changed something ends in a redirect (post/redirect/get). */
#ifndef KAIKU_WEB_VENUE_H
#define KAIKU_WEB_VENUE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "web/web.h"

#define VENUE_HOME "/venue"

/* R20: a venue's accessibility text in lang, else in Finnish. */
const char *venue_accessibility_text(const struct venue *v, enum lang lang);

/* The venue's pages as a list of links (the start page's and each page's
 * own navigation); current is the path of the page being shown. */
void venue_nav(struct page *p, const char *current);

/* The value of a form field as posted, "" when absent. */
const char *venue_pair(const struct request *r, const char *key);

/* Runs make once per form: a form carries a fresh key (a hidden "key"
 * field); a post whose key this session has already used returns the id
 * that the first post made (*replayed = true) and runs nothing. Posts of
 * one process are serialised around the check, so a double click makes
 * one thing. make returns 0 with *id, or an error (nothing remembered). */
int venue_once(struct request *r, const char *key,
               int (*make)(struct request *r, void *ctx, int64_t *id), void *ctx, int64_t *id,
               bool *replayed);

/* A hidden "key" field with a fresh token, for venue_once. */
void venue_key_field(struct page *p);

/* A heading, then the page's navigation. */
void venue_heading(struct page *p, const char *title, const char *current);

/* A <textarea> with its label, hint and error, like page_input. */
void venue_textarea(struct page *p, const char *id, const char *label, const char *hint,
                    const char *value, const char *error);

/* A checkbox with its label; value "on". */
void venue_checkbox(struct page *p, const char *id, const char *label, bool checked);

/* A signed-in venue user's session for a form the form reader refused
 * before its handler ran (R10): true when r now acts as that user. */
bool venue_refused_session(struct request *r);

/* What the last post on an event did, shown once by the event's page after
 * its redirect (venue_events.c keeps it per session). */
enum venue_event_outcome { EO_QUIET, EO_CREATED, EO_SAVED, EO_UNDONE, EO_UNDO_GONE };
void venue_event_outcome(struct request *r, enum venue_event_outcome outcome, int64_t id);

/* An event's uses, the latest first (venue_uses.c): loaded before the page
 * begins, then shown as a table, each use with its undo (R25). */
struct venue_uses;
int venue_uses_load(struct request *r, int64_t event, struct venue_uses **out);
void venue_uses_table(struct page *p, const struct venue_uses *u);

#endif
