/* Dates and numbers as each language writes them (R36; issue 14's pages):
 * Finnish and Swedish in Finland write 3.2.2020 and 1 234 (a no-break space
 * between groups, a real minus sign), as the Institute for the Languages of
 * Finland and CLDR do; English uses ISO 8601 dates, unambiguous to readers on
 * both sides of the Atlantic and the API's own format, and 1,234. */
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"

struct number_style {
    const char *group; /* between groups of three digits */
    const char *minus;
};

static const struct number_style number_styles[LANG_COUNT] = {
    [LANG_FI] = {"\u00a0", "\u2212"},
    [LANG_SV] = {"\u00a0", "\u2212"},
    [LANG_EN] = {",", "-"},
};

void i18n_date(enum lang lang, int32_t day, char out[I18N_DATE_LEN])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (lang == LANG_EN || (unsigned)lang >= LANG_COUNT)
        snprintf(out, I18N_DATE_LEN, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, I18N_DATE_LEN, "%d.%d.%d", d, m, y);
}

void i18n_number(enum lang lang, int64_t n, char out[I18N_NUMBER_LEN])
{
    const struct number_style *s = &number_styles[(unsigned)lang < LANG_COUNT ? lang : LANG_EN];
    /* The magnitude as unsigned, so that INT64_MIN has one too. */
    uint64_t v = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    char digits[24];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0, glen = strlen(s->group);
    if (n < 0) {
        memcpy(out, s->minus, strlen(s->minus));
        o += strlen(s->minus);
    }
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) {
            memcpy(out + o, s->group, glen);
            o += glen;
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
}
