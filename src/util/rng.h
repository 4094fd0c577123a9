/* A small deterministic random generator (splitmix64) for test data: the
 * demo (kaiku demo) and the benchmark's generator (bench/gen.c). The same
 * seed gives the same numbers on every machine, so both can be rebuilt
 * exactly. Not for secrets: util/secret.h draws those from libsodium. */
#ifndef KAIKU_UTIL_RNG_H
#define KAIKU_UTIL_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
    uint64_t state;
};

/* Starts the sequence of `seed`. */
void rng_init(struct rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* Uniform in [0, n), n > 0 (the modulo bias is far below what test data
 * notices). */
int64_t rng_below(struct rng *r, int64_t n);

/* Uniform in [lo, hi], lo <= hi. */
int64_t rng_between(struct rng *r, int64_t lo, int64_t hi);

/* True with a chance of pct in 100. */
bool rng_percent(struct rng *r, int pct);

/* An index 0..n-1 (n > 0), picked with a chance of its weight in the sum of
 * all weights (each >= 0, the sum > 0). The weights lie `stride` bytes
 * apart, as qsort's elements do, so that an int array (w, n, sizeof w[0])
 * and a table of structs (&t[0].weight, n, sizeof t[0]) both fit. */
size_t rng_weighted(struct rng *r, const int *weight, size_t n, size_t stride);

#endif
