/* Cards: code (R1), validity (R4, R5), status (R6, R13), renewal (R14). */
#include <ctype.h>
#include <string.h>

#include "core/rules.h"
#include "util/date.h"

int card_code_normalize(const char *in, char out[CODE_MAX + 1])
{
    size_t start = 0, end = strlen(in);
    while (start < end && in[start] == ' ')
        start++;
    while (end > start && in[end - 1] == ' ')
        end--;
    size_t n = end - start;
    if (n == 0 || n > CODE_MAX)
        return -ERR_INVALID_CARD_CODE;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[start + i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return -ERR_INVALID_CARD_CODE;
        out[i] = (char)c;
    }
    out[n] = '\0';
    return 0;
}

int32_t card_valid_until(int32_t handed_out_on, int32_t pilot_ends_on)
{
    if (pilot_ends_on >= 0 && pilot_ends_on >= handed_out_on)
        return pilot_ends_on;                /* R5 */
    return date_add_years(handed_out_on, 1); /* R4 */
}

enum card_status card_status_on(const struct card *c, int32_t day)
{
    if (c->cancelled)
        return CARD_CANCELLED;
    if (!c->issued)
        return CARD_NOT_ISSUED;
    return day <= c->valid_until ? CARD_VALID : CARD_EXPIRED;
}

int card_check_renewal(const struct card *previous, int32_t today, struct error_details *d)
{
    enum card_status s = card_status_on(previous, today);
    if (previous->issued && (s == CARD_EXPIRED || s == CARD_CANCELLED))
        return 0;
    return error_field(d, ERR_RENEWS_INVALID, "renews");
}
