/* Recording a use: the ordered checks of api.md (R23–R27). */
#include <string.h>

#include "core/rules.h"
#include "util/date.h"

static int check_tickets(const struct use_facts *f, const struct use_request *r,
                         struct error_details *d)
{
    const struct event *e = f->event;
    if (f->card->kind == CARD_COMMUNITY && e->kind == EVENT_COURSE)
        return error_field(d, ERR_COMMUNITY_CARD_COURSE, "card"); /* R26 */
    if (e->kind == EVENT_COURSE && r->child > 0)
        return error_field(d, ERR_COURSE_CHILD_TICKET, "child"); /* R24 */
    if (r->adult > 1 || (r->adult > 0 && f->adult_already))
        return error_field(d, ERR_DUPLICATE_ADULT_TICKET, "adult"); /* R24, R26 */
    if (r->adult < 0)
        return error_field(d, ERR_INVALID_REQUEST, "adult");
    if (r->child < 0 || r->child > TICKETS_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "child");
    if (r->companion < 0 || r->companion > TICKETS_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "companion"); /* R21 */
    if (r->adult == 0 && r->child == 0 && r->companion == 0)
        return error_field(d, ERR_INVALID_REQUEST, "adult");
    return 0;
}

int use_check(const struct use_facts *f, const struct use_request *r, int64_t now,
              struct error_details *d)
{
    const struct card *c = f->card;
    const struct event *e = f->event;
    if (!c)
        return error_field(d, ERR_CARD_UNKNOWN, "card");
    if (!c->issued)
        return error_field(d, ERR_CARD_NOT_ISSUED, "card");
    if (c->cancelled)
        return error_field(d, ERR_CARD_CANCELLED, "card"); /* R13 */
    int32_t event_day = hki_day(e->starts_at);
    /* R4–R6: valid on the event's date. An event before the handout is
     * outside the card's validity too. */
    if (event_day > c->valid_until || event_day < c->handed_out_on)
        return error_field(d, ERR_CARD_EXPIRED, "card");
    if (e->excluded)
        return error_field(d, ERR_EVENT_EXCLUDED, "event"); /* R17 */
    int rc = check_tickets(f, r, d);
    if (rc != 0)
        return rc;
    rc = window_check(e, r->channel, now, d); /* R17 */
    if (rc != 0)
        return rc;
    /* R15/R16: companions (R21) count against neither cap nor capacity. */
    int32_t remaining = caps_remaining(e);
    if ((int64_t)r->adult + r->child > remaining)
        return error_value(d, ERR_CAP_REACHED, "remaining", remaining, 0);
    return 0;
}

bool use_same_request(const struct use *u, const struct use_request *r)
{
    return strcmp(u->card, r->card) == 0 && u->event == r->event && u->adult == r->adult &&
           u->child == r->child && u->companion == r->companion && u->channel == r->channel;
}
