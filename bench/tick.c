/*
 * The floor for one capture tick: what any tool must do each tick to
 * keep the capture archive's values, and nothing else.  Every EVERY_MS
 * for N ticks: wake, pread PID's stat and status and /proc/meminfo from
 * descriptors kept open (and smaps_rollup with "rollup"), append a
 * 16-byte record to FILE and fdatasync it (not with "nosync").  Prints
 * the CPU seconds (user + system) per tick.
 *
 *   bench/tick PID EVERY_MS N FILE [rollup] [nosync]
 */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The process's CPU time (user + system), in seconds. */
static double
tick_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
tick_open(const char *pid, const char *name)
{
	char path[64];
	int fd;

	if (pid != NULL)
		snprintf(path, sizeof path, "/proc/%s/%s", pid, name);
	else
		snprintf(path, sizeof path, "/proc/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static char buf[16384];
	bool rollup = false, sync = true;
	int fd[4], nfd = 3, out, i, k, n, every_ms;
	off_t off = 0;
	double t0;

	if (argc < 5) {
		fprintf(stderr,
			"usage: bench/tick PID EVERY_MS N FILE [rollup] "
			"[nosync]\n");
		return 2;
	}
	every_ms = atoi(argv[2]);
	n = atoi(argv[3]);
	if (every_ms < 1 || n < 1) {
		fprintf(stderr, "bench/tick: EVERY_MS and N must be 1 or more "
				"(a tick of under a millisecond would spin)\n");
		return 2;
	}
	for (i = 5; i < argc; i++) {
		rollup |= strcmp(argv[i], "rollup") == 0;
		sync &= strcmp(argv[i], "nosync") != 0;
	}
	fd[0] = tick_open(argv[1], "stat");
	fd[1] = tick_open(argv[1], "status");
	fd[2] = tick_open(NULL, "meminfo");
	if (rollup)
		fd[nfd++] = tick_open(argv[1], "smaps_rollup");
	out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		perror(argv[4]);
		return 1;
	}
	memset(buf, 0, sizeof buf);
	t0 = tick_cpu_s();
	for (k = 0; k < n; k++) {
		poll(NULL, 0, every_ms);
		for (i = 0; i < nfd; i++)
			if (pread(fd[i], buf, sizeof buf, 0) < 0) {
				perror("pread");
				return 1;
			}
		if (pwrite(out, buf, 16, off) != 16 ||
		    (sync && fdatasync(out) != 0)) {
			perror(argv[4]);
			return 1;
		}
		off += 16;
	}
	printf("%.9f\n", (tick_cpu_s() - t0) / n);
	return 0;
}
