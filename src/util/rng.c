/* splitmix64 (Steele, Lea and Flood, 2014; the seeding generator of
 * xoshiro): one 64-bit state, a fixed increment and a mixing function. */
#include "util/rng.h"

#include <assert.h>

void rng_init(struct rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

int64_t rng_below(struct rng *r, int64_t n)
{
    assert(n > 0);
    return (int64_t)(rng_next(r) % (uint64_t)n);
}

int64_t rng_between(struct rng *r, int64_t lo, int64_t hi)
{
    assert(lo <= hi);
    return lo + rng_below(r, hi - lo + 1);
}

bool rng_percent(struct rng *r, int pct)
{
    return rng_below(r, 100) < pct;
}

static int weight_at(const int *weight, size_t i, size_t stride)
{
    return *(const int *)(const void *)((const char *)weight + i * stride);
}

size_t rng_weighted(struct rng *r, const int *weight, size_t n, size_t stride)
{
    assert(n > 0);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weight_at(weight, i, stride);
    int64_t x = rng_below(r, total);
    for (size_t i = 0; i < n; i++) {
        int w = weight_at(weight, i, stride);
        if (x < w)
            return i;
        x -= w;
    }
    return n - 1;
}
