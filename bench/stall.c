/*
 * A target that measures how long it waits on its own mmap lock: it keeps
 * SIZE_MIB resident and a thread maps and unmaps 64 KiB in a loop, timing
 * each round (mmap and munmap take the lock for writing, so a monitor
 * walking the page tables under the lock for reading holds them up).
 * Each line read on stdin, "NAME", ends a window: it prints
 *
 *   NAME p99_us max_us rounds
 *
 * for the rounds since the previous line.  Prints "ready PID" first.
 *
 *   bench/stall SIZE_MIB
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define STALL_BUCKETS 100000 /* 1 us each, up to 100 ms */

static unsigned long stall_hist[STALL_BUCKETS];
static double stall_max_us;
static unsigned long stall_rounds;
static pthread_mutex_t stall_lock = PTHREAD_MUTEX_INITIALIZER;

static double
stall_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void *
stall_loop(void *arg)
{
	const size_t size = 64 << 10;
	double t0, us;
	size_t b;
	void *p;

	for (;;) {
		t0 = stall_now_us();
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			abort();
		munmap(p, size);
		us = stall_now_us() - t0;
		b = us < STALL_BUCKETS - 1 ? (size_t)us : STALL_BUCKETS - 1;
		pthread_mutex_lock(&stall_lock);
		stall_hist[b]++;
		stall_rounds++;
		if (us > stall_max_us)
			stall_max_us = us;
		pthread_mutex_unlock(&stall_lock);
	}
	return arg;
}

int
main(int argc, char **argv)
{
	char line[128], *keep;
	unsigned long want, seen;
	size_t hold, i, b;
	pthread_t th;

	if (argc != 2) {
		fprintf(stderr, "usage: stall SIZE_MIB\n");
		return 2;
	}
	hold = strtoul(argv[1], NULL, 10) << 20;
	keep = mmap(NULL, hold, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (keep == MAP_FAILED)
		return 1;
	madvise(keep, hold, MADV_NOHUGEPAGE);
	for (i = 0; i < hold; i += 4096)
		keep[i] = 1;
	if (pthread_create(&th, NULL, stall_loop, NULL) != 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		pthread_mutex_lock(&stall_lock);
		want = stall_rounds - stall_rounds / 100; /* the 99th % */
		for (b = 0, seen = 0; b < STALL_BUCKETS; b++) {
			seen += stall_hist[b];
			if (seen >= want && seen > 0)
				break;
		}
		printf("%s %zu %.0f %lu\n", line, b + 1, stall_max_us,
		       stall_rounds);
		fflush(stdout);
		memset(stall_hist, 0, sizeof stall_hist);
		stall_max_us = 0;
		stall_rounds = 0;
		pthread_mutex_unlock(&stall_lock);
	}
	return 0;
}
