/* R36: which of fi, sv and en a reply speaks: a cookie, then Accept-Language
 * (RFC 9110 12.5.4 with its q-values, RFC 9110 12.4.2), then the site's
 * default. A header is untrusted input: it is read once, left to right, up
 * to I18N_ACCEPT_LANGUAGE_MAX bytes, with no allocation; a range that does
 * not follow the grammar is skipped, not guessed at. */
#include "core/i18n.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define Q_MAX 1000 /* q-values in thousandths: "0.8" is 800 */

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* One range of the header, parsed. */
struct range {
    bool star;    /* "*" */
    int lang;     /* the language its primary subtag names; -1 when none of ours */
    bool subtags; /* "sv-FI" rather than "sv" */
    int q;        /* 0 … Q_MAX */
};

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), the whole of
 * [s, end). */
static bool parse_q(const char *s, const char *end, int *q)
{
    if (s == end || (*s != '0' && *s != '1'))
        return false;
    int whole = *s++ - '0', frac = 0, digits = 0;
    if (s < end && *s == '.') {
        for (s++; s < end && is_digit(*s) && digits < 3; s++, digits++)
            frac = frac * 10 + (*s - '0');
    }
    for (int d = digits; d < 3; d++)
        frac *= 10;
    if (s != end || (whole == 1 && frac != 0))
        return false;
    *q = whole * Q_MAX + frac;
    return true;
}

/* language-range = 1*8ALPHA *( "-" 1*8alphanum ) / "*" (and "_" for "-",
 * as some clients write "sv_FI"), then an optional OWS ";" OWS "q=" qvalue,
 * in the element [s, end) with its surrounding blanks trimmed. */
static bool parse_range(const char *s, const char *end, struct range *r)
{
    static const char *const tags[LANG_COUNT] = {
        [LANG_FI] = "fi", [LANG_SV] = "sv", [LANG_EN] = "en"};
    const char *p = s;
    *r = (struct range){.lang = -1, .q = Q_MAX};
    if (p < end && *p == '*') {
        r->star = true;
        p++;
    } else {
        size_t n = 0;
        while (p + n < end && is_alpha(p[n]))
            n++;
        if (n < 1 || n > 8)
            return false;
        for (int l = 0; l < LANG_COUNT; l++)
            if (n == 2 && strncasecmp(p, tags[l], 2) == 0)
                r->lang = l;
        p += n;
        while (p < end && (*p == '-' || *p == '_')) {
            p++;
            n = 0;
            while (p + n < end && (is_alpha(p[n]) || is_digit(p[n])))
                n++;
            if (n < 1 || n > 8)
                return false;
            r->subtags = true;
            p += n;
        }
    }
    while (p < end && is_ows(*p))
        p++;
    if (p == end)
        return true;
    if (*p++ != ';')
        return false;
    while (p < end && is_ows(*p))
        p++;
    if (end - p < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
        return false;
    return parse_q(p + 2, end, &r->q);
}

static int cookie_language(const char *cookie)
{
    for (int l = 0; cookie && l < LANG_COUNT; l++)
        if (strcasecmp(cookie, i18n_tag((enum lang)l)) == 0)
            return l;
    return -1;
}

enum lang i18n_negotiate(const char *cookie, const char *accept_language, enum lang fallback)
{
    if ((unsigned)fallback >= LANG_COUNT)
        fallback = LANG_FI;
    int from_cookie = cookie_language(cookie);
    if (from_cookie >= 0)
        return (enum lang)from_cookie;
    if (!accept_language)
        return fallback;

    /* Per language: the highest q of a range naming it, and that range's
     * place (the earlier wins a tie); whether "xx;q=0" rules it out. */
    int q[LANG_COUNT], place[LANG_COUNT];
    bool ruled_out[LANG_COUNT] = {false};
    int star_q = -1, star_place = 0;
    for (int l = 0; l < LANG_COUNT; l++)
        q[l] = -1, place[l] = 0;

    size_t len = strnlen(accept_language, I18N_ACCEPT_LANGUAGE_MAX + 1);
    bool cut = len > I18N_ACCEPT_LANGUAGE_MAX;
    const char *p = accept_language,
               *stop = accept_language + (cut ? I18N_ACCEPT_LANGUAGE_MAX : len);
    for (int n = 0; p < stop; n++) {
        const char *comma = memchr(p, ',', (size_t)(stop - p));
        const char *end = comma ? comma : stop;
        const char *s = p, *e = end;
        p = comma ? comma + 1 : stop;
        if (!comma && cut)
            break; /* the range the limit cut in two */
        while (s < e && is_ows(*s))
            s++;
        while (e > s && is_ows(e[-1]))
            e--;
        struct range r;
        if (s == e || !parse_range(s, e, &r))
            continue;
        if (r.star) {
            if (star_q < 0)
                star_q = r.q, star_place = n;
        } else if (r.lang >= 0 && r.q == 0) {
            ruled_out[r.lang] |= !r.subtags; /* "sv-FI;q=0" leaves sv itself alone */
        } else if (r.lang >= 0 && r.q > q[r.lang]) {
            q[r.lang] = r.q;
            place[r.lang] = n;
        }
    }

    /* The fallback first, so that it wins a tie among languages that only
     * "*" stands for; when no language is acceptable, the first that is
     * not ruled out. */
    int best = -1, best_q = 0, best_place = 0, first_allowed = -1;
    for (int i = 0; i < LANG_COUNT; i++) {
        int l = i == 0 ? (int)fallback : (i <= (int)fallback ? i - 1 : i);
        int lq = q[l], lp = place[l];
        if (lq < 0)
            lq = star_q, lp = star_place;
        if (ruled_out[l])
            continue;
        if (first_allowed < 0)
            first_allowed = l;
        if (lq > best_q || (lq > 0 && lq == best_q && lp < best_place))
            best = l, best_q = lq, best_place = lp;
    }
    if (best < 0)
        best = first_allowed >= 0 ? first_allowed : (int)fallback;
    return (enum lang)best;
}
