/*
 * leaky: the CI-gate target of issue 9 -- a program with a start-up
 * working set and then a steady leak, as a test binary under
 * `memtrend --fail-on-growth -- ./leaky` would look.
 *
 *   leaky [--set MIB] [--rate KIBPS] [--seconds N] [--after S] [--no-leak]
 *
 * At start it fills and touches a working set of MIB MiB (default 32) in
 * 64 KiB heap blocks.  Then, every 100 ms for N seconds (default 200), it
 * rewrites a slice of that set, allocates and frees a few temporaries, and
 * leaks: allocates, writes and never frees 1 KiB blocks at KIBPS KiB a
 * second (default 20: 3.5 MiB, 11 % of the default set, in 3 min).  The
 * leaked blocks stay reachable through a chain, as most long-running
 * programs' leaks do.  --after S holds off the leak for the first S
 * seconds (a late onset).  --no-leak keeps the set and the churn, leaks
 * nothing.  It exits 0 at the end (and at SIGTERM or SIGINT).
 *
 * Every allocated byte is written, so the memory is really resident: the
 * leak shows in RSS and USS at the rate asked, page by page.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LEAKY_TICK_NS (100 * 1000 * 1000LL)
#define LEAKY_SET_BLOCK (64 * 1024)
#define LEAKY_LEAK_BLOCK 1024
#define LEAKY_CHURN_BLOCK 4096
#define LEAKY_CHURN_BLOCKS 16

static volatile sig_atomic_t leaky_done;
static void *leaky_leaked; /* chain of leaked blocks: reachable, unused */

static void
leaky_on_signal(int sig)
{
	(void)sig;
	leaky_done = 1;
}

static void
leaky_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: leaky [--set MIB] [--rate KIBPS] [--seconds N] [--after "
	    "S]\n"
	    "             [--no-leak]\n"
	    "A start-up working set, then a steady leak (a CI-gate test "
	    "target).\n"
	    "  --set MIB      working set filled at start, in MiB (default "
	    "32)\n"
	    "  --rate KIBPS   leak rate in KiB a second (default 20)\n"
	    "  --seconds N    run N seconds after the start-up, then exit 0 "
	    "(default 200)\n"
	    "  --after S      leak only after the first S of those seconds "
	    "(default 0)\n"
	    "  --no-leak      keep the working set and churn, leak nothing\n");
}

static int
leaky_parse(const char *text, double min, double *out)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text || *end != '\0' || !(v >= min)) {
		fprintf(stderr, "leaky: bad value '%s' (a number >= %g)\n",
			text, min);
		return -1;
	}
	*out = v;
	return 0;
}

static char **
leaky_fill_set(size_t blocks)
{
	char **set = calloc(blocks, sizeof *set);
	size_t i;

	if (set == NULL)
		return NULL;
	for (i = 0; i < blocks; i++) {
		set[i] = malloc(LEAKY_SET_BLOCK);
		if (set[i] == NULL)
			return NULL;
		memset(set[i], 0x11, LEAKY_SET_BLOCK);
	}
	return set;
}

/* Temporaries that come and go within a tick: the heap's free lists take
 * them back, so they never add to the resident set for long. */
static void
leaky_churn(unsigned tick)
{
	char *tmp[LEAKY_CHURN_BLOCKS];
	int i;

	for (i = 0; i < LEAKY_CHURN_BLOCKS; i++) {
		tmp[i] = malloc(LEAKY_CHURN_BLOCK + (tick % 7) * 64);
		if (tmp[i] != NULL)
			memset(tmp[i], (int)tick, LEAKY_CHURN_BLOCK);
	}
	for (i = 0; i < LEAKY_CHURN_BLOCKS; i++)
		free(tmp[i]);
}

static int
leaky_leak_block(void)
{
	char *p = malloc(LEAKY_LEAK_BLOCK);

	if (p == NULL)
		return -1;
	memset(p, 0x5a, LEAKY_LEAK_BLOCK);
	*(void **)p = leaky_leaked;
	leaky_leaked = p;
	return 0;
}

static void
leaky_sleep_until(const struct timespec *start, long long at_ns)
{
	struct timespec due;

	due.tv_sec = start->tv_sec + (time_t)(at_ns / 1000000000LL);
	due.tv_nsec = start->tv_nsec + (long)(at_ns % 1000000000LL);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) !=
		   0 &&
	       !leaky_done)
		;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"set", required_argument, NULL, 's'},
	    {"rate", required_argument, NULL, 'r'},
	    {"seconds", required_argument, NULL, 't'},
	    {"after", required_argument, NULL, 'a'},
	    {"no-leak", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	double set_mib = 32, rate_kib = 20, seconds = 200, after_s = 0;
	long long leaked_kib = 0, ticks, tick;
	size_t blocks, slice, i;
	struct timespec start;
	char **set;
	int opt, rc = 0;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			rc = leaky_parse(optarg, 0, &set_mib);
			break;
		case 'r':
			rc = leaky_parse(optarg, 0, &rate_kib);
			break;
		case 't':
			rc = leaky_parse(optarg, 0, &seconds);
			break;
		case 'a':
			rc = leaky_parse(optarg, 0, &after_s);
			break;
		case 'n':
			rate_kib = 0;
			break;
		case 'h':
			leaky_usage(stdout);
			return 0;
		default:
			leaky_usage(stderr);
			return 2;
		}
		if (rc < 0)
			return 2;
	}
	signal(SIGINT, leaky_on_signal);
	signal(SIGTERM, leaky_on_signal);

	blocks = (size_t)(set_mib * 1024 * 1024 / LEAKY_SET_BLOCK);
	set = leaky_fill_set(blocks);
	if (set == NULL) {
		fprintf(stderr, "leaky: cannot allocate a %g MiB working set\n",
			set_mib);
		return 1;
	}
	/* A sixteenth of the set is rewritten each tick: all of it in 1.6 s. */
	slice = blocks / 16 + 1;
	ticks = (long long)(seconds * 1e9 / LEAKY_TICK_NS);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (tick = 1; tick <= ticks && !leaky_done; tick++) {
		double leak_s = (double)tick * LEAKY_TICK_NS / 1e9 - after_s;
		long long due_kib =
		    leak_s > 0 ? (long long)(rate_kib * leak_s) : 0;

		for (i = 0; i < slice && blocks > 0; i++)
			memset(set[((size_t)tick * slice + i) % blocks],
			       (int)tick, LEAKY_SET_BLOCK);
		leaky_churn((unsigned)tick);
		for (; leaked_kib < due_kib; leaked_kib++)
			if (leaky_leak_block() < 0) {
				fprintf(stderr,
					"leaky: out of memory after "
					"leaking %lld KiB\n",
					leaked_kib);
				return 1;
			}
		leaky_sleep_until(&start, tick * LEAKY_TICK_NS);
	}
	return 0;
}
