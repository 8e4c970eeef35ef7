/*
 * The floor for one sample: read /proc/PID/smaps_rollup N times, the
 * least any tool must do for PSS/USS totals.  Prints the CPU seconds
 * (user + system) per read.
 *
 *   bench/floor PID N
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	char path[64], buf[4096];
	double t0;
	int i, n, fd;

	if (argc != 3) {
		fprintf(stderr, "usage: floor PID N\n");
		return 2;
	}
	snprintf(path, sizeof path, "/proc/%s/smaps_rollup", argv[1]);
	n = atoi(argv[2]);
	t0 = cpu_s();
	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		while (read(fd, buf, sizeof buf) > 0)
			;
		close(fd);
	}
	printf("%.9f\n", (cpu_s() - t0) / n);
	return 0;
}
