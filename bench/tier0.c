/*
 * Tier 0's cost: one stat-only sample through libproc2 (what the full
 * build's rollup_sample does every tick: it opens and reads stat, status
 * twice and /proc/uptime) beside a C loop that preads stat and status
 * from offset 0 on descriptors kept open (what the capture-only build
 * does, and the floor of any reader), in CPU time (user + system) per
 * sample, medians of ROUNDS rounds of N samples, as a ratio in one run.
 * libproc2's API cannot parse a buffer it is given (procps_pids_get,
 * _reap and _select read /proc themselves), so the project's rule (no
 * hand-written stat parser) keeps the libproc2 read; this says what it
 * costs, and what libproc2 for stat's items alone (stat and
 * /proc/uptime) with status by pread would.
 *
 *   bench/tier0 PID [N [ROUNDS]]
 */
#include "config.h"

#include <fcntl.h>
#include <libproc2/pids.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/sample.h"
#include "core/target.h"
#include "sources/rollup.h"
#include "util/ticker.h"

static int
tier0_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 2000;
	int rounds = argc > 3 ? atoi(argv[3]) : 5, i, k;
	enum pids_item items[] = {PIDS_TICS_BEGAN, PIDS_STATE, PIDS_FLT_MIN,
				  PIDS_FLT_MAJ, PIDS_NLWP};
	double lib[64], loop[64], half[64], t0;
	struct pids_info *info;
	unsigned int pid;
	struct rollup *r;
	struct target t;
	struct sample s;
	struct error err;
	char buf[4096];
	int stat_fd, status_fd;

	if (argc < 2 || n < 1 || rounds < 1 || rounds > 64) {
		fprintf(stderr, "usage: bench/tier0 PID [N [ROUNDS]]\n");
		return 2;
	}
	if (target_from_pid(&t, "/", atoi(argv[1]), &err) < 0 ||
	    rollup_open(&r, &err) < 0) {
		fprintf(stderr, "bench/tier0: %s\n", err.msg);
		return 1;
	}
	stat_fd = openat(t.proc_fd, "stat", O_RDONLY | O_CLOEXEC);
	status_fd = openat(t.proc_fd, "status", O_RDONLY | O_CLOEXEC);
	pid = (unsigned int)t.pid;
	if (procps_pids_new(&info, items, 5) < 0 || stat_fd < 0 ||
	    status_fd < 0) {
		perror("bench/tier0: /proc/PID/stat");
		return 1;
	}
	for (k = 0; k < rounds; k++) {
		t0 = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
		for (i = 0; i < n; i++) {
			sample_clear(&s);
			if (rollup_sample(r, &t, false, &s, &err) < 0) {
				fprintf(stderr, "bench/tier0: %s\n", err.msg);
				return 1;
			}
		}
		lib[k] =
		    (ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0) / (double)n;
		t0 = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
		for (i = 0; i < n; i++)
			if (pread(stat_fd, buf, sizeof buf, 0) <= 0 ||
			    pread(status_fd, buf, sizeof buf, 0) <= 0) {
				perror("bench/tier0: pread");
				return 1;
			}
		loop[k] =
		    (ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0) / (double)n;
		/* libproc2 for stat's items only, status by pread */
		t0 = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
		for (i = 0; i < n; i++)
			if (procps_pids_select(info, &pid, 1,
					       PIDS_SELECT_PID) == NULL ||
			    pread(status_fd, buf, sizeof buf, 0) <= 0) {
				perror("bench/tier0: select");
				return 1;
			}
		half[k] =
		    (ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0) / (double)n;
	}
	qsort(lib, (size_t)rounds, sizeof *lib, tier0_cmp);
	qsort(loop, (size_t)rounds, sizeof *loop, tier0_cmp);
	qsort(half, (size_t)rounds, sizeof *half, tier0_cmp);
	printf("libproc2 %.1f us (%.2fx)  libproc2-stat+pread-status %.1f us "
	       "(%.2fx)  pread-loop %.1f us (1.00x)\n",
	       lib[rounds / 2] * 1e6, lib[rounds / 2] / loop[rounds / 2],
	       half[rounds / 2] * 1e6, half[rounds / 2] / loop[rounds / 2],
	       loop[rounds / 2] * 1e6);
	procps_pids_unref(&info);
	rollup_close(r);
	return 0;
}
