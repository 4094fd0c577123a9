/* R10 over free text: identity codes however written, phone numbers and
 * e-mail addresses. Every detector reads the text's fold (util/textfold.h),
 * one ASCII byte per character, so a full-width digit, an en dash or a
 * zero-width space changes nothing. */
#include <stdbool.h>
#include <stddef.h>

#include "core/rules.h"
#include "util/textfold.h"

/* E.164 allows 15 digits; Finnish national numbers have 7–11 with the 0. */
#define PHONE_DIGITS_MAX     15
#define PHONE_NATIONAL_MIN   7
#define PHONE_NATIONAL_MAX   11
#define PHONE_INTL_MIN       7
#define PHONE_SEPARATORS_MAX 3 /* " - ", ") " between two groups */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}

static bool phone_separator(char c)
{
    return c == ' ' || c == '-' || c == '(' || c == ')' || c == '/';
}

/* A Finnish number written with its leading 0 (not 00, the international
 * prefix): area codes 02–09 and 013–019, the 010 of companies, the 04x and
 * 050 of mobiles. Excludes 011 and 012, which no number starts with, so that
 * lists such as "01 02 03" pass. */
static bool phone_national(const char *digits, size_t n)
{
    if (n < PHONE_NATIONAL_MIN || n > PHONE_NATIONAL_MAX || digits[0] != '0')
        return false;
    if (digits[1] == '0')
        return false;
    return !(digits[1] == '1' && (digits[2] == '1' || digits[2] == '2'));
}

/* A number with its country code: "+358 40 1234567" or "00358 40 1234567". */
static bool phone_international(const char *digits, size_t n, bool plus)
{
    size_t skip = plus ? 0 : 2;
    if (!plus && (n < 2 || digits[0] != '0' || digits[1] != '0'))
        return false;
    return n - skip >= PHONE_INTL_MIN && n - skip <= PHONE_DIGITS_MAX;
}

/* Reads groups of digits from s[i] on, separated by at most three of
 * " -()/", and says whether the digits read up to the end of some group form
 * a phone number. At most one group may be a single digit, so that counts
 * such as "0 1 2 3 4 5" are no number. */
static bool phone_at(const char *s, size_t n, size_t i)
{
    char digits[PHONE_DIGITS_MAX + 2];
    size_t nd = 0, single = 0;
    bool plus = false;
    if (s[i] == '+') {
        plus = true;
        i++;
    }
    if (i < n && s[i] == '(')
        i++;
    while (i < n && is_digit(s[i])) {
        size_t group = 0;
        while (i < n && is_digit(s[i])) {
            if (nd > PHONE_DIGITS_MAX)
                return false;
            digits[nd++] = s[i++];
            group++;
        }
        if (group == 1 && ++single > 1)
            return false;
        bool ends = i == n || !is_alnum(s[i]);
        bool intl = plus || (nd >= 2 && digits[0] == '0' && digits[1] == '0');
        if (ends && (intl ? phone_international(digits, nd, plus) : phone_national(digits, nd)))
            return true;
        size_t sep = 0;
        while (i < n && phone_separator(s[i]) && sep < PHONE_SEPARATORS_MAX) {
            i++;
            sep++;
        }
        if (sep == 0)
            return false;
    }
    return false;
}

static bool has_phone(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool starts = is_digit(s[i]) || ((s[i] == '+' || s[i] == '(') && i + 1 < n &&
                                         (is_digit(s[i + 1]) || s[i + 1] == '('));
        if (starts && (i == 0 || (!is_alnum(s[i - 1]) && s[i - 1] != '+')) && phone_at(s, n, i))
            return true;
    }
    return false;
}

static bool email_local(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The length of an "@" at s[i]: '@' itself, or "(at)" / "[at]" as people
 * write it to fool harvesters, with a space either side allowed. 0: none. */
static size_t email_at_sign(const char *s, size_t n, size_t i, size_t *before)
{
    *before = i;
    if (s[i] == '@')
        return 1;
    if (i + 4 > n || (s[i] != '(' && s[i] != '[') || lower(s[i + 1]) != 'a' ||
        lower(s[i + 2]) != 't' || s[i + 3] != (s[i] == '(' ? ')' : ']'))
        return 0;
    if (i > 0 && s[i - 1] == ' ')
        *before = i - 1;
    return i + 4 < n && s[i + 4] == ' ' ? 5 : 4;
}

/* local@label.label…tld: a local part, then labels of letters, digits and
 * '-', at least two, the last of two or more letters. */
static bool email_domain(const char *s, size_t n, size_t i)
{
    size_t labels = 0, label_len = 0, letters = 0;
    for (; i < n; i++) {
        if (is_alnum(s[i]) || s[i] == '-') {
            label_len++;
            letters = is_alpha(s[i]) ? letters + 1 : 0;
        } else if (s[i] == '.' && label_len > 0 && i + 1 < n && is_alnum(s[i + 1])) {
            labels++;
            label_len = 0;
            letters = 0;
        } else {
            break;
        }
    }
    if (label_len > 0)
        labels++;
    return labels >= 2 && label_len == letters && letters >= 2;
}

static bool has_email(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t before, len = email_at_sign(s, n, i, &before);
        if (len == 0)
            continue;
        if (before > 0 && email_local(s[before - 1]) && email_domain(s, n, i + len))
            return true;
    }
    return false;
}

bool identity_text_has_hetu(const char *s, size_t n)
{
    struct text_fold f;
    if (text_fold_init(&f, s, n) != 0)
        return true; /* no memory to look: refuse rather than store unseen */
    bool found = identity_ascii_has_hetu(f.text, f.len);
    text_fold_release(&f);
    return found;
}

int identity_free_text_check(const char *text, const char *field, struct error_details *d)
{
    if (!text)
        return 0;
    struct text_fold f;
    size_t n = 0;
    while (text[n])
        n++;
    if (text_fold_init(&f, text, n) != 0)
        return error_field(d, ERR_IDENTITY_DATA_REFUSED, field);
    bool refused = identity_ascii_has_hetu(f.text, f.len) || has_phone(f.text, f.len) ||
                   has_email(f.text, f.len);
    text_fold_release(&f);
    return refused ? error_field(d, ERR_IDENTITY_DATA_REFUSED, field) : 0;
}
