#include "util/textfold.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

/* NFKC's compatibility mapping, applied per character. Recomposing (NFKC's
 * C) would change nothing the detectors read: with combining marks dropped,
 * nothing is left to combine with an ASCII letter. */
#define FOLD_OPTIONS                                                              \
    ((utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_IGNORE | \
                         UTF8PROC_STRIPMARK | UTF8PROC_LUMP))

/* The longest decomposition of one code point is 18 (U+FDFA). */
#define FOLD_CHAR_MAX 32

/* Letters of other scripts drawn like Latin ones (Unicode's confusables for
 * the letters of identity codes and addresses), sorted by code point. utf8proc
 * knows dashes (LUMP) but not these; a few dash-like symbols outside the dash
 * category are here too. */
static const struct {
    int32_t from;
    char to;
} lookalikes[] = {
    {0x02D7, '-'}, /* modifier letter minus sign */
    {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'},
    {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'},
    {0x03A5, 'Y'}, {0x03A7, 'X'}, {0x03B1, 'a'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'},
    {0x03C1, 'p'}, {0x03C5, 'u'}, {0x03C7, 'x'}, {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'},
    {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'},
    {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'}, {0x0423, 'Y'}, {0x0425, 'X'},
    {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'},
    {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04AE, 'Y'}, {0x04AF, 'y'},
    {0x04BA, 'H'}, {0x04C0, 'I'}, {0x0501, 'd'}, {0x051A, 'Q'}, {0x051B, 'q'}, {0x051C, 'W'},
    {0x051D, 'w'}, {0x2043, '-'}, /* hyphen bullet */
    {0x2795, '+'},                /* heavy plus sign */
    {0x2796, '-'},                /* heavy minus sign */
};

static char fold_one(int32_t c)
{
    if (c >= 0 && c < 0x80)
        return (char)c;
    size_t lo = 0, hi = sizeof lookalikes / sizeof lookalikes[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lookalikes[mid].from == c)
            return lookalikes[mid].to;
        if (lookalikes[mid].from < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return TEXT_FOLD_OTHER;
}

/* Folds the text into out (NULL: only counts). Returns the folded length. */
static size_t fold_pass(const unsigned char *s, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c, parts[FOLD_CHAR_MAX];
        utf8proc_ssize_t used = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        if (used <= 0) {
            if (out)
                out[len] = TEXT_FOLD_OTHER;
            len++;
            i++;
            continue;
        }
        i += (size_t)used;
        if (c < 0x80) {
            if (out)
                out[len] = (char)c;
            len++;
            continue;
        }
        int boundclass = 0;
        utf8proc_ssize_t k =
            utf8proc_decompose_char(c, parts, FOLD_CHAR_MAX, FOLD_OPTIONS, &boundclass);
        if (k < 0 || k > FOLD_CHAR_MAX) {
            parts[0] = c;
            k = 1;
        }
        for (utf8proc_ssize_t j = 0; j < k; j++) {
            if (out)
                out[len] = fold_one(parts[j]);
            len++;
        }
    }
    return len;
}

int text_fold_init(struct text_fold *f, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    f->heap = NULL;
    f->text = s;
    f->len = n;
    size_t i = 0;
    while (i < n && u[i] < 0x80)
        i++;
    if (i == n)
        return 0; /* ASCII: its own fold */
    size_t len = fold_pass(u, n, NULL);
    char *out = f->inline_text;
    if (len > sizeof f->inline_text) {
        f->heap = malloc(len);
        if (!f->heap) {
            f->text = NULL;
            f->len = 0;
            return -1;
        }
        out = f->heap;
    }
    f->len = fold_pass(u, n, out);
    f->text = out;
    return 0;
}

void text_fold_release(struct text_fold *f)
{
    free(f->heap);
    f->heap = NULL;
    f->text = NULL;
    f->len = 0;
}
