#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/rand.h"
#include "util/xmalloc.h"

#define RAND_GOLDEN 0x9e3779b97f4a7c15ULL

uint64_t
rand_mix(uint64_t x)
{
	x += RAND_GOLDEN;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t
rand_next(uint64_t *state)
{
	uint64_t x = rand_mix(*state);

	*state += RAND_GOLDEN;
	return x;
}

uint64_t
rand_below(uint64_t *state, uint64_t n)
{
	/* Values below 2^64 mod n would make the low residues likelier. */
	uint64_t reject = -n % n, x;

	do
		x = rand_next(state);
	while (x < reject);
	return x % n;
}

void
reservoir_init(struct reservoir *r, size_t cap, uint64_t seed)
{
	memset(r, 0, sizeof *r);
	r->cap = cap;
	r->rng = seed;
}

void
reservoir_add(struct reservoir *r, const uint64_t *v, size_t n)
{
	size_t i, take;
	uint64_t j;

	/* While there is room, every value is kept. */
	take = r->n < r->cap ? r->cap - r->n : 0;
	if (take > n)
		take = n;
	if (take > 0) {
		if (r->n + take > r->alloc) {
			r->alloc = r->n + take + 4096;
			if (r->alloc > r->cap)
				r->alloc = r->cap;
			r->v = xreallocarray(r->v, r->alloc, sizeof *r->v);
		}
		memcpy(r->v + r->n, v, take * sizeof *v);
		r->n += take;
		r->seen += take;
	}
	/* Then the value seen k-th takes a random place with chance
	 * cap / k. */
	for (i = take; i < n; i++) {
		j = rand_below(&r->rng, ++r->seen);
		if (j < r->cap)
			r->v[j] = v[i];
	}
}

void
reservoir_clear(struct reservoir *r)
{
	r->n = 0;
	r->seen = 0;
}

void
reservoir_free(struct reservoir *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->alloc = 0;
	r->seen = 0;
}
