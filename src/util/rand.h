/*
 * Random numbers for sampling, and a uniform sample of a stream of
 * values (a reservoir).  splitmix64: cheap, well mixed, and the same
 * sequence for the same seed, so a run's samples can be reproduced.
 */
#ifndef MEMTREND_RAND_H
#define MEMTREND_RAND_H

#include <stddef.h>
#include <stdint.h>

/* A well-mixed 64-bit value for x (splitmix64's output function applied
 * to x plus its increment): a hash, and one step of the stream. */
uint64_t rand_mix(uint64_t x);

/* The next value of the stream held in *state. */
uint64_t rand_next(uint64_t *state);

/* Uniform in [0, n), without modulo bias; n > 0. */
uint64_t rand_below(uint64_t *state, uint64_t n);

/* A uniform sample of at most cap of the values added since the last
 * reservoir_clear: every value added has the same chance, cap / seen,
 * to be in v (Vitter's algorithm R).  v grows as values come, to cap. */
struct reservoir {
	uint64_t *v;
	size_t n, cap, alloc;
	uint64_t seen; /* values added since the last clear */
	uint64_t rng;
};

void reservoir_init(struct reservoir *r, size_t cap, uint64_t seed);
void reservoir_add(struct reservoir *r, const uint64_t *v, size_t n);
void reservoir_clear(struct reservoir *r); /* keeps the memory */
void reservoir_free(struct reservoir *r);

#endif
