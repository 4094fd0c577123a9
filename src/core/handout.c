/* Handouts: the anonymous background form (R9), no identity data (R10),
 * the age limit (R11). */
#include <string.h>

#include "core/rules.h"
#include "util/date.h"

/* R9: the ISO 639-1 codes (as in Debian's iso-codes, which keeps "bh"). */
static const char iso639_1[] =
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs "
    "cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha "
    "he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn "
    "ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb "
    "nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd "
    "se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw "
    "ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

static bool iso639_1_code(const char c[2])
{
    for (size_t i = 0; i + 1 < sizeof iso639_1; i += 3)
        if (iso639_1[i] == c[0] && iso639_1[i + 1] == c[1])
            return true;
    return false;
}

int handout_language_normalize(const char *in, char out[6])
{
    size_t n = strlen(in);
    if (n == 5) {
        static const char other[] = "other";
        for (size_t i = 0; i < 5; i++) {
            char c = in[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != other[i])
                return -ERR_INVALID_LANGUAGE;
        }
        memcpy(out, other, sizeof other);
        return 0;
    }
    if (n != 2)
        return -ERR_INVALID_LANGUAGE;
    for (size_t i = 0; i < 2; i++) {
        char c = in[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return -ERR_INVALID_LANGUAGE;
        out[i] = c;
    }
    out[2] = '\0';
    return iso639_1_code(out) ? 0 : -ERR_INVALID_LANGUAGE;
}

bool handout_postal_code_valid(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[5] == '\0';
}

int handout_validate(const struct handout *h, enum card_kind kind, int32_t today,
                     struct error_details *d)
{
    if (h->handed_out_on > today)
        return error_field(d, ERR_HANDOUT_IN_FUTURE, "handed_out_on");
    if (kind == CARD_COMMUNITY)
        return 0; /* R9: code and date only */
    int year = date_year(h->handed_out_on);
    /* R11: the birth year's own range is checked before the age. */
    if (h->birth_year < 1900 || h->birth_year > year)
        return error_field(d, ERR_INVALID_BIRTH_YEAR, "birth_year");
    if (year - h->birth_year < 16)
        return error_field(d, ERR_TOO_YOUNG, "birth_year");
    char lang[6];
    if (handout_language_normalize(h->mother_tongue, lang) != 0)
        return error_field(d, ERR_INVALID_LANGUAGE, "mother_tongue");
    if ((unsigned)h->gender >= GENDER_COUNT)
        return error_field(d, ERR_INVALID_GENDER, "gender");
    if (!handout_postal_code_valid(h->postal_code))
        return error_field(d, ERR_INVALID_POSTAL_CODE, "postal_code");
    if (h->life_situations == 0 || h->life_situations >= (1u << LIFE_COUNT))
        return error_field(d, ERR_INVALID_LIFE_SITUATION, "life_situation");
    return 0;
}

bool identity_field_name(const char *name)
{
    static const char *const refused[] = {
        "name",   "first_name",  "last_name",  "hetu",          "henkilotunnus",
        "ssn",    "personal_id", "birth_date", "date_of_birth", "address",
        "street", "phone",       "email",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *a = refused[i], *b = name;
        while (*a && *b) {
            char c = *b;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != *a)
                break;
            a++;
            b++;
        }
        if (!*a && !*b)
            return true;
    }
    return false;
}

static int two_digits(const char *p)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Century signs: '+' 1800s; '-' and Y X W V U 1900s; A B C D E F 2000s
 * (the extra letters are in use since 2023). */
static bool century_sign(char c)
{
    return c == '+' || c == '-' || c == 'A' || c == 'B' || c == 'C' || c == 'D' || c == 'E' ||
           c == 'F' || c == 'U' || c == 'V' || c == 'W' || c == 'X' || c == 'Y' || c == 'a' ||
           c == 'b' || c == 'c' || c == 'd' || c == 'e' || c == 'f' || c == 'u' || c == 'v' ||
           c == 'w' || c == 'x' || c == 'y';
}

static bool hetu_at(const char *p)
{
    static const char check_chars[] = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    int dd = two_digits(p), mm = two_digits(p + 2), yy = two_digits(p + 4);
    if (dd < 1 || dd > 31 || mm < 1 || mm > 12 || yy < 0 || !century_sign(p[6]))
        return false;
    long number = (long)dd * 10000000L + (long)mm * 100000L + (long)yy * 1000L;
    for (int i = 7; i < 10; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        number += (long)(p[i] - '0') * (i == 7 ? 100 : i == 8 ? 10 : 1);
    }
    char c = p[10];
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    return c == check_chars[number % 31];
}

bool identity_ascii_has_hetu(const char *s, size_t n)
{
    for (size_t i = 0; i + 11 <= n; i++)
        if (hetu_at(s + i))
            return true;
    return false;
}
