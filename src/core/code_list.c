/* core/code_list.h: card codes as a list and as ranges (R1, R3). */
#include "core/code_list.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

#define PIECE_MAX 80 /* bytes of one piece: two codes, a dash and spaces */

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* The length of a dash at p: "-" 1, "–" (U+2013) 3, else 0. */
static size_t dash_at(const char *p)
{
    if (*p == '-')
        return 1;
    if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x93)
        return 3;
    return 0;
}

static void name_bad(char bad[CODE_LIST_TEXT], const char *p, size_t len)
{
    size_t keep = len < CODE_LIST_TEXT - 1 ? len : CODE_LIST_TEXT - 1;
    /* never cut a UTF-8 character in two */
    while (keep > 0 && keep < len && ((unsigned char)p[keep] & 0xc0) == 0x80)
        keep--;
    memcpy(bad, p, keep);
    bad[keep] = '\0';
}

/* A code's letters in front and the number after them. */
struct split {
    size_t letters, digits;
    uint64_t number;
};

static int split_code(const char *code, struct split *s)
{
    size_t i = 0;
    while (code[i] >= 'A' && code[i] <= 'Z')
        i++;
    s->letters = i;
    s->number = 0;
    size_t j = i;
    for (; code[j] >= '0' && code[j] <= '9'; j++)
        s->number = s->number * 10 + (uint64_t)(code[j] - '0');
    s->digits = j - i;
    return code[j] == '\0' && s->digits > 0 && s->digits <= 9 ? 0 : -1;
}

static int add(char (*out)[CODE_MAX + 1], size_t cap, size_t *n, const char *code)
{
    if (*n >= cap)
        return -1;
    str_copy(out[*n], CODE_MAX + 1, code);
    (*n)++;
    return 0;
}

/* One piece: a code, or a range of them. */
static enum code_list_fault piece(const char *p, size_t len, char (*out)[CODE_MAX + 1], size_t cap,
                                  size_t *n)
{
    char text[PIECE_MAX + 1];
    if (len > PIECE_MAX)
        return CL_CODE;
    memcpy(text, p, len);
    text[len] = '\0';
    size_t at = 0, dash = 0;
    for (size_t i = 0; i < len && !dash; i++)
        if ((dash = dash_at(text + i)) != 0)
            at = i;
    char first[CODE_MAX + 1], last[CODE_MAX + 1];
    if (!dash)
        return card_code_normalize(text, first) == 0 && add(out, cap, n, first) == 0 ? CL_OK
               : card_code_normalize(text, first) == 0                               ? CL_TOO_MANY
                                                                                     : CL_CODE;
    text[at] = '\0';
    if (card_code_normalize(text, first) != 0 || card_code_normalize(text + at + dash, last) != 0)
        return CL_RANGE;
    struct split a, b;
    if (split_code(first, &a) != 0 || split_code(last, &b) != 0 || a.letters != b.letters ||
        a.digits != b.digits || memcmp(first, last, a.letters) != 0 || a.number > b.number)
        return CL_RANGE;
    if (b.number - a.number >= cap - *n)
        return CL_TOO_MANY;
    for (uint64_t v = a.number; v <= b.number; v++) {
        char code[CODE_MAX + 1];
        memcpy(code, first, a.letters);
        uint64_t rest = v;
        for (size_t d = a.digits; d > 0; d--) {
            code[a.letters + d - 1] = (char)('0' + rest % 10);
            rest /= 10;
        }
        code[a.letters + a.digits] = '\0';
        add(out, cap, n, code);
    }
    return CL_OK;
}

static int by_code(const void *x, const void *y)
{
    return strcmp(x, y);
}

enum code_list_fault code_list_parse(const char *in, char (*out)[CODE_MAX + 1], size_t cap,
                                     size_t *n, char bad[CODE_LIST_TEXT])
{
    *n = 0;
    bad[0] = '\0';
    const char *p = in;
    while (*p) {
        while (*p && is_sep(*p))
            p++;
        if (!*p)
            break;
        /* a piece runs to the next separator, but a dash with spaces around
         * it ("E1 – E9") joins the codes on both sides */
        const char *start = p, *end = p;
        while (*end && !is_sep(*end))
            end++;
        const char *q = end;
        while (*q && is_space(*q))
            q++;
        bool ends_in_dash = end[-1] == '-' || (end - start >= 3 && dash_at(end - 3) == 3);
        size_t d = ends_in_dash ? 0 : dash_at(q);
        if (d || (ends_in_dash && q > end)) {
            q += d;
            while (*q && is_space(*q))
                q++;
            end = q;
            while (*end && !is_sep(*end))
                end++;
        }
        enum code_list_fault f = piece(start, (size_t)(end - start), out, cap, n);
        if (f != CL_OK) {
            name_bad(bad, start, (size_t)(end - start));
            return f;
        }
        p = end;
    }
    if (*n == 0)
        return CL_EMPTY;
    qsort(out, *n, sizeof *out, by_code);
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (kept == 0 || strcmp(out[kept - 1], out[i]) != 0)
            memmove(out[kept++], out[i], sizeof *out);
    *n = kept;
    return CL_OK;
}
