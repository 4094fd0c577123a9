/* A request arena: many small allocations freed in one go at the end of a
 * request (h2o's memory pool, in small). Not thread-safe: one per request. */
#ifndef KAIKU_HTTP_ARENA_H
#define KAIKU_HTTP_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;
    size_t total; /* bytes handed out, for limits */
};

/* Zeroed memory of n bytes owned by the arena, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* A copy of the n bytes at s with a NUL appended. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Frees every allocation of the arena; the arena can be used again. */
void arena_release(struct arena *a);

#endif
