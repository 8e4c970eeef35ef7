/*
 * A target that keeps SIZE resident and, in a loop, maps, faults and
 * unmaps 16 MiB: the work that contends with a monitor for the mmap
 * lock.  Prints the loops per second over DURATION seconds.  With
 * "breathe", it grows a second mapping instead, 1 MiB every 10 ms up to
 * 256 MiB, then frees it (MADV_DONTNEED) and grows it again: memory that
 * changes size steadily, for checking estimates against exact reads.
 *
 *   bench/churn SIZE_MIB DURATION_S [breathe]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double
churn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
churn_breathe(double secs)
{
	const size_t most = 256 << 20, step = 1 << 20;
	struct timespec ts = {0, 10000000};
	double t0 = churn_now();
	size_t used = 0, i;
	char *p;

	p = mmap(NULL, most, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, most, MADV_NOHUGEPAGE);
	while (churn_now() - t0 < secs) {
		if (used == most) {
			madvise(p, most, MADV_DONTNEED);
			used = 0;
		}
		for (i = 0; i < step; i += 4096)
			p[used + i] = 1;
		used += step;
		nanosleep(&ts, NULL);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const size_t chunk = 16 << 20;
	size_t hold, i;
	double secs, t0, t;
	unsigned long loops = 0;
	char *keep, *p;

	if (argc != 3 && !(argc == 4 && strcmp(argv[3], "breathe") == 0)) {
		fprintf(stderr, "usage: churn SIZE_MIB DURATION_S [breathe]\n");
		return 2;
	}
	hold = strtoul(argv[1], NULL, 10) << 20;
	secs = atof(argv[2]);
	keep = mmap(NULL, hold, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (keep == MAP_FAILED)
		return 1;
	memset(keep, 1, hold);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	t0 = churn_now();
	if (argc == 4)
		return churn_breathe(secs);
	while ((t = churn_now()) - t0 < secs) {
		p = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < chunk; i += 4096)
			p[i] = 1;
		munmap(p, chunk);
		loops++;
	}
	printf("%.1f\n", (double)loops / (t - t0));
	return 0;
}
