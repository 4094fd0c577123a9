/* Who holds a card and what may happen to it: transfers between units
 * (R3), handing out (R3, R12, R13) and cancelling (R13). Each check is
 * given the card as the store loaded it, inside the write transaction. */
#include <string.h>

#include "core/rules.h"

int transfer_check_route(const char *from_region, const char *from_unit, const char *to_region,
                         const char *to_unit, struct error_details *d)
{
    if (strcmp(from_region, to_region) != 0 || strcmp(from_unit, to_unit) == 0)
        return error_field(d, ERR_INVALID_REQUEST, "to_unit");
    return 0;
}

int card_check_movable(const struct card *card, const char *from_unit, struct error_details *d)
{
    if (strcmp(card->unit, from_unit) != 0)
        return error_text(d, ERR_CARD_NOT_IN_UNIT_STOCK, "code", card->code);
    if (card->issued)
        return error_text(d, ERR_CARD_ALREADY_ISSUED, "code", card->code);
    if (card->cancelled)
        return error_text(d, ERR_CARD_CANCELLED, "code", card->code);
    return 0;
}

int handout_check_card(const struct actor *a, const struct card *card, struct error_details *d)
{
    const struct place p = {card->region, card->unit, ""};
    if (!scope_allows(a, &p)) /* R3: a unit hands out only cards of its own stock */
        return a->role == ROLE_DISTRIBUTOR ? error_field(d, ERR_CARD_NOT_IN_UNIT_STOCK, "card")
                                           : -ERR_FORBIDDEN;
    if (card->issued)
        return error_field(d, ERR_CARD_ALREADY_ISSUED, "card"); /* R12 */
    if (card->cancelled)
        return error_field(d, ERR_CARD_CANCELLED, "card"); /* R13 */
    return 0;
}

int cancel_check(const struct actor *a, const struct card *card, const char *reason)
{
    const struct place p = {card->region, card->unit, ""};
    size_t n = reason ? strlen(reason) : 0;
    if (!scope_allows(a, &p))
        return -ERR_FORBIDDEN;
    if (card->cancelled)
        return -ERR_CARD_CANCELLED;
    if (n == 0 || n > TEXT_MAX_BYTES)
        return -ERR_INVALID_REQUEST;
    return identity_free_text_check(reason, "reason", NULL); /* R10 */
}
