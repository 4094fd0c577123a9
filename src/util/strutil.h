/* Small bounded string helpers. Nothing here allocates. */
#ifndef KAIKU_UTIL_STRUTIL_H
#define KAIKU_UTIL_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (capacity cap, cap >= 1), always NUL-terminating.
 * Returns 0, or -1 when src did not fit (dst then holds a truncated copy). */
int str_copy(char *dst, size_t cap, const char *src);

/* Parses all of s (no sign for unsigned use, no spaces, no trailing bytes) as
 * a base-10 integer within [min, max]. Returns 0 or -1. */
int str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* True when s is 1..max_len bytes of [a-z0-9-] (ids of regions, units,
 * venues chosen by clients). */
bool str_is_slug(const char *s, size_t max_len);

/* True when the n bytes at s are valid UTF-8 with no control characters
 * other than tab, CR and LF (for free text such as names and reasons). */
bool str_is_clean_utf8(const char *s, size_t n);

#endif
