/*
 * memtrend-demo: a small program with a known memory behaviour, for trying
 * memtrend and for its tests.  By default it leaks 256 KiB a second on top
 * of a steady 2 MiB working set and short-lived allocation bursts.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "util/units.h"

#define DEMO_TICK_NS (100 * 1000 * 1000ULL)
#define DEMO_CHUNK 4096

static volatile sig_atomic_t demo_done;

static void
demo_on_signal(int sig)
{
	(void)sig;
	demo_done = 1;
}

static void
demo_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend-demo [--leak RATE] [--flat] [--base SIZE] [--for "
	    "DURATION]\n"
	    "                     [--status N]\n"
	    "A demo target for memtrend with a known memory behaviour.\n"
	    "  --leak RATE     bytes leaked per second (default 256K; e.g. "
	    "1M)\n"
	    "  --flat          leak nothing: a steady working set only\n"
	    "  --base SIZE     steady working set kept in use (default 2M)\n"
	    "  --for DURATION  exit after DURATION (default: run until "
	    "killed)\n"
	    "  --status N      exit status at the end (default 0)\n");
}

/* The leaked chunks, chained through their first bytes: still reachable
 * (so leak checkers stay quiet), never used again -- like most leaks in
 * long-running programs, which keep what they forget in some list. */
static void *demo_leaked;

/* Allocates and touches n bytes in malloc-sized chunks (the heap grows as
 * a leaking program's would). */
static void
demo_allocate(uint64_t n, int keep)
{
	uint64_t done;
	char *p;

	for (done = 0; done < n; done += DEMO_CHUNK) {
		p = malloc(DEMO_CHUNK);
		if (p == NULL)
			return;
		memset(p, 0x5a, DEMO_CHUNK);
		if (!keep) {
			free(p);
			continue;
		}
		*(void **)p = demo_leaked;
		demo_leaked = p;
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"leak", required_argument, NULL, 'l'},
	    {"flat", no_argument, NULL, 'F'},
	    {"base", required_argument, NULL, 'b'},
	    {"for", required_argument, NULL, 't'},
	    {"status", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t leak = 256 * 1024, base = 2 << 20, stop_ns = 0, tick = 0;
	struct timespec start, due;
	struct error err;
	char *burst, *end;
	int opt, status = 0;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int rc = 0;

		switch (opt) {
		case 'l':
			rc = units_parse_size(optarg, &leak, &err);
			break;
		case 'F':
			leak = 0;
			break;
		case 'b':
			rc = units_parse_size(optarg, &base, &err);
			break;
		case 't':
			rc = units_parse_duration(optarg, &stop_ns, &err);
			break;
		case 's':
			status = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || status < 0 ||
			    status > 255)
				rc = error_set(&err, EINVAL,
					       "invalid exit "
					       "status '%s' (0 to 255)",
					       optarg);
			break;
		case 'h':
			demo_usage(stdout);
			return 0;
		default:
			demo_usage(stderr);
			return 2;
		}
		if (rc < 0) {
			fprintf(stderr, "memtrend-demo: %s\n", err.msg);
			return 2;
		}
	}
	signal(SIGINT, demo_on_signal);
	signal(SIGTERM, demo_on_signal);

	burst = malloc(base);
	if (burst == NULL)
		return 1;
	memset(burst, 1, base);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!demo_done) {
		uint64_t at = ++tick * DEMO_TICK_NS;

		if (stop_ns != 0 && at > stop_ns)
			break;
		/* The steady working set is touched, the bursts come and go. */
		memset(burst, (int)tick, base);
		demo_allocate(base / 8, 0);
		demo_allocate(leak / 10, 1);
		due.tv_sec = start.tv_sec + (time_t)(at / 1000000000ULL);
		due.tv_nsec = start.tv_nsec + (long)(at % 1000000000ULL);
		if (due.tv_nsec >= 1000000000L) {
			due.tv_sec++;
			due.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
	}
	free(burst);
	return status;
}
