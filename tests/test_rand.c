/*
 * The sampling random numbers and the reservoir (src/util/rand.c): the
 * stream is splitmix64's, rand_below stays in range, and the reservoir
 * keeps everything until full, then a uniform sample.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>

#include "util/rand.h"

/* splitmix64's published first outputs for the seed 1234567. */
Test(rand, the_stream_is_splitmix64)
{
	static const uint64_t want[] = {
	    6457827717110365317ULL,  3203168211198807973ULL,
	    9817491932198370423ULL,  4593380528125082431ULL,
	    16408922859458223821ULL,
	};
	uint64_t s = 1234567;
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert_eq(rand_next(&s), want[i], "value %zu", i);
}

Test(rand, below_stays_in_range_and_covers_it)
{
	uint64_t s = 42, x;
	unsigned int seen[7] = {0};
	int i;

	for (i = 0; i < 70000; i++) {
		x = rand_below(&s, 7);
		cr_assert_lt(x, 7);
		seen[x]++;
	}
	/* 10 000 each, sd 93: within 5 sd. */
	for (i = 0; i < 7; i++)
		cr_assert(seen[i] > 9535 && seen[i] < 10465, "%d: %u", i,
			  seen[i]);
	cr_assert_eq(rand_below(&s, 1), 0);
}

Test(reservoir, keeps_everything_until_full)
{
	struct reservoir r;
	uint64_t v[100];
	size_t i;

	for (i = 0; i < 100; i++)
		v[i] = i * 3;
	reservoir_init(&r, 256, 1);
	reservoir_add(&r, v, 60);
	reservoir_add(&r, v + 60, 40);
	cr_assert_eq(r.n, 100);
	cr_assert_eq(r.seen, 100);
	for (i = 0; i < 100; i++)
		cr_assert_eq(r.v[i], i * 3);
	reservoir_clear(&r);
	cr_assert_eq(r.n, 0);
	cr_assert_eq(r.seen, 0);
	reservoir_free(&r);
}

/* 40 960 values, 0 to 40 959, into 4 096 places, in uneven batches: the
 * sample holds cap distinct values from the whole stream, as many from
 * each quarter (1 024, sd 28) -- a sample of the first ones would hold
 * only the first quarter. */
Test(reservoir, past_the_cap_a_uniform_sample)
{
	enum { N = 40960, CAP = 4096 };
	static uint64_t v[N];
	static unsigned char hit[N];
	unsigned int quarter[4] = {0};
	struct reservoir r;
	size_t i, at = 0, step = 1;

	for (i = 0; i < N; i++)
		v[i] = i;
	reservoir_init(&r, CAP, 7);
	while (at < N) {
		size_t n = step < N - at ? step : N - at;

		reservoir_add(&r, v + at, n);
		at += n;
		step = step * 3 + 1;
	}
	cr_assert_eq(r.n, CAP);
	cr_assert_eq(r.seen, N);
	for (i = 0; i < CAP; i++) {
		cr_assert_lt(r.v[i], N);
		cr_assert_eq(hit[r.v[i]], 0, "%llu twice",
			     (unsigned long long)r.v[i]);
		hit[r.v[i]] = 1;
		quarter[r.v[i] / (N / 4)]++;
	}
	for (i = 0; i < 4; i++)
		cr_assert(quarter[i] > 1024 - 140 && quarter[i] < 1024 + 140,
			  "quarter %zu: %u", i, quarter[i]);
	reservoir_free(&r);
}
