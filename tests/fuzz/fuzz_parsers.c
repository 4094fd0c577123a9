/* libFuzzer target for the small parsers every request goes through: dates
 * and date-times (util/date.c), card codes (R1), mother tongues (R9),
 * identity-code detection (R10) and the text fold before it (util/textfold.c),
 * phone numbers and e-mail addresses in free text, integers and UTF-8 (util/strutil.c),
 * Accept-Language and the language cookie (core/i18n_negotiate.c, R36).
 * Besides "no crash, no sanitizer report" it checks round trips: what parses
 * formats back to text that parses to the same value. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/rules.h"
#include "util/date.h"
#include "util/strutil.h"
#include "util/textfold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[256];
    if (size >= sizeof s)
        size = sizeof s - 1;
    memcpy(s, data, size);
    s[size] = '\0';

    int32_t day;
    if (date_parse(s, &day) == 0) {
        char out[DATE_STR_LEN];
        date_format(day, out);
        int32_t again;
        assert(date_parse(out, &again) == 0 && again == day);
    }

    int64_t t;
    if (datetime_parse(s, &t) == 0) {
        char out[DATETIME_STR_LEN];
        datetime_format(t, out);
        int64_t again;
        assert(datetime_parse(out, &again) == 0 && again == t);
    }

    char code[CODE_MAX + 1];
    if (card_code_normalize(s, code) == 0) {
        char again[CODE_MAX + 1];
        assert(card_code_normalize(code, again) == 0 && strcmp(code, again) == 0);
    }

    char lang[6];
    if (handout_language_normalize(s, lang) == 0)
        assert(strlen(lang) == 2 || strcmp(lang, "other") == 0);

    (void)identity_text_has_hetu(s, size);
    (void)identity_free_text_check(s, "text", NULL);
    /* The fold is ASCII or TEXT_FOLD_OTHER, one byte per character, and
     * folding it again changes nothing. */
    struct text_fold f, again;
    if (text_fold_init(&f, (const char *)data, size) == 0) {
        for (size_t i = 0; i < f.len; i++)
            assert((unsigned char)f.text[i] < 0x80 || f.text[i] == TEXT_FOLD_OTHER);
        if (text_fold_init(&again, f.text, f.len) == 0) {
            assert(again.len == f.len && memcmp(again.text, f.text, f.len) == 0);
            text_fold_release(&again);
        }
        text_fold_release(&f);
    }
    (void)identity_field_name(s);
    (void)str_is_clean_utf8((const char *)data, size);
    (void)str_is_slug(s, ID_MAX);

    for (int fallback = 0; fallback < LANG_COUNT; fallback++)
        assert((unsigned)i18n_negotiate(s, s, (enum lang)fallback) < LANG_COUNT &&
               (unsigned)i18n_negotiate(NULL, s, (enum lang)fallback) < LANG_COUNT);

    int64_t v;
    if (str_to_i64(s, -1000000, 1000000, &v) == 0)
        assert(v >= -1000000 && v <= 1000000);
    return 0;
}
