/* Text as R10's detectors read it: one byte per character, every way of
 * writing a digit, a dash or a letter folded to its ASCII form. */
#ifndef KAIKU_UTIL_TEXTFOLD_H
#define KAIKU_UTIL_TEXTFOLD_H

#include <stddef.h>

/* Folded texts up to this many bytes live inside the struct; longer ones on
 * the heap. */
#define TEXT_FOLD_INLINE 256

/* The fold of a text: `text` holds `len` bytes (not NUL-terminated), each
 * either an ASCII character or TEXT_FOLD_OTHER for a character with no
 * ASCII form. Owns what `text` points to until text_fold_release. */
struct text_fold {
    const char *text;
    size_t len;
    char *heap;
    char inline_text[TEXT_FOLD_INLINE];
};

#define TEXT_FOLD_OTHER ((char)0x80)

/* Folds the n bytes of UTF-8 at s, character by character, with utf8proc:
 * compatibility decomposition (NFKC's K: full-width digits, the full-width
 * '@', superscripts → ASCII), default-ignorable characters dropped (zero-width
 * space and joiners, soft hyphen, word joiner, byte order mark…), combining
 * marks dropped ("ä" → "a"), every dash and the minus sign lumped to '-' and
 * every space to ' '; then Cyrillic and Greek letters that look like Latin
 * ones become those Latin letters. Pure ASCII is its own fold (no copy); a
 * byte that is not UTF-8 folds to TEXT_FOLD_OTHER. Returns 0, or -1 when
 * memory ran out (f is then empty). */
int text_fold_init(struct text_fold *f, const char *s, size_t n);
void text_fold_release(struct text_fold *f);

#endif
