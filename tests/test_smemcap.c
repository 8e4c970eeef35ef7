/*
 * memtrend analyze DIR/ on smemcap tarballs (src/sources/smemcap.c,
 * src/cmd/analyze-smemcap.c).  Debian's smem package does not ship
 * smemcap, so the tests write its layout themselves -- PID/smaps,
 * PID/cmdline, PID/stat and meminfo in a tar, as smemcap.c does -- from
 * the live /proc of a leaking child and from fixtures.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sources/smemcap.h"
#include "testutil.h"

TestSuite(smemcap, .fini = tu_tmp_cleanup);

static void
copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "r"), *out = fopen(to, "w");
	size_t n;

	cr_assert(in != NULL && out != NULL, "%s -> %s", from, to);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

/* One smemcap-like tarball of the processes pids, at dir/cap-i.tar. */
static void
snapshot(const char *dir, int i, const pid_t *pids, int n)
{
	static const char *const files[] = {"smaps", "cmdline", "stat"};
	char snap[512], path[600], from[64], tarball[600], name[32];
	char *argv[16];
	struct run r;
	int k, f, a = 0;

	snprintf(snap, sizeof snap, "%s/snap", dir);
	mkdir(snap, 0755);
	argv[a++] = "/bin/tar";
	argv[a++] = "--format=posix";
	argv[a++] = "-C";
	argv[a++] = snap;
	argv[a++] = "-cf";
	snprintf(tarball, sizeof tarball, "%s/caps/cap-%03d.tar", dir, i);
	argv[a++] = tarball;
	for (k = 0; k < n; k++) {
		snprintf(name, sizeof name, "%d", (int)pids[k]);
		snprintf(path, sizeof path, "%s/%s", snap, name);
		mkdir(path, 0755);
		for (f = 0; f < 3; f++) {
			snprintf(from, sizeof from, "/proc/%d/%s", (int)pids[k],
				 files[f]);
			snprintf(path, sizeof path, "%s/%s/%s", snap, name,
				 files[f]);
			copy_file(from, path);
		}
		argv[a++] = strdup(name);
	}
	argv[a] = NULL;
	tu_run(&r, argv, 30);
	cr_assert_eq(r.status, 0, "tar: %s", r.err);
	for (k = 0; k < n; k++)
		free(argv[6 + k]);
}

/* "slope_kb_per_hour" of the JSON line of pid in out, which must hold
 * all n samples. */
static double
slope_of(const char *out, pid_t pid, int n)
{
	char key[32], samples[32];
	const char *line, *s, *end;

	snprintf(key, sizeof key, "{\"pid\":%d,", (int)pid);
	line = strstr(out, key);
	cr_assert(line != NULL, "no line for pid %d in %s", (int)pid, out);
	end = strchr(line, '\n');
	snprintf(samples, sizeof samples, "\"samples\":%d,", n);
	s = strstr(line, samples);
	cr_assert(s != NULL && (end == NULL || s < end), "pid %d: %s", (int)pid,
		  out);
	s = strstr(line, "\"slope_kb_per_hour\":");
	cr_assert(s != NULL);
	return atof(s + strlen("\"slope_kb_per_hour\":"));
}

Test(smemcap, a_leak_is_one_series_among_others, .timeout = 120)
{
	const char *bin = tu_bin("MEMTREND_BIN", "./memtrend");
	const char *leaky = tu_bin("LEAKY", "tests/helpers/leaky");
	char caps[512], still[4096], name[64];
	pid_t pids[2], other;
	struct run r;
	double leak, self;
	int i, status;

	if (!smemcap_available())
		cr_skip_test("built without libarchive");
	snprintf(caps, sizeof caps, "%s/caps", tu_tmpdir());
	mkdir(caps, 0755);
	/* Started once exec'd: a tarball taken before holds the child as
	 * this test process, under this test's name -- another series of
	 * the same pid, which slope_of() would read (an exec delayed 700 ms
	 * gave "leak slope 0"). */
	pids[0] = tu_spawn((char *[]){(char *)leaky, "--set", "2", "--rate",
				      "400", "--seconds", "60", NULL},
			   false);
	/* The one holding still: sleep, not this test process, which
	 * grows under the sanitizers' allocator as it writes the tarballs
	 * (CI's asan job saw it rise 1 GiB/h); a copy of its own, whose
	 * pages no other process maps, in the C locale, so that it maps
	 * no locale files another process may share or not. */
	tu_unique_copy("/bin/sleep", "ss", still, sizeof still, name,
		       sizeof name);
	setenv("LC_ALL", "C", 1);
	pids[1] = tu_spawn((char *[]){still, "60", NULL}, false);
	/* Another sleep, gone half-way, as a parallel `make -j4 check`
	 * starts and ends them: were the one holding still the same
	 * program, their pages would be shared while both run and
	 * private after, and its USS step up 44 KiB (CI's j4 job saw
	 * it "grow" 152 117 KiB/h). */
	other = tu_spawn((char *[]){"sleep", "60", NULL}, false);
	cr_assert(pids[0] > 0 && pids[1] > 0 && other > 0);
	usleep(500 * 1000);
	for (i = 0; i < 40; i++) {
		if (i == 20) {
			kill(other, SIGTERM);
			waitpid(other, &status, 0);
		}
		snapshot(tu_tmpdir(), i, pids, 2);
		usleep(200 * 1000);
	}
	kill(pids[0], SIGTERM);
	waitpid(pids[0], &status, 0);
	kill(pids[1], SIGTERM);
	waitpid(pids[1], &status, 0);

	tu_run(&r,
	       (char *const[]){(char *)bin, "analyze", "--json",
			       "--no-daily-cycle", caps, NULL},
	       60);
	cr_assert(r.status == 0 || r.status == 1, "%d: %s", r.status, r.err);
	/* leaky leaks 400 KiB/s: 1 406 MiB/h; sleep holds still. */
	leak = slope_of(r.out, pids[0], 40);
	self = slope_of(r.out, pids[1], 40);
	cr_assert(leak > 0.7 * 1440000 && leak < 1.3 * 1440000,
		  "leak slope %.0f KiB/h", leak);
	/* Its USS does not change at all: no slope, either way. */
	cr_assert(fabs(self) < 0.01 * leak, "sleep's slope %.0f KiB/h", self);
}

Test(smemcap, hostile_names_and_foreign_files)
{
	const char *bin = tu_bin("MEMTREND_BIN", "./memtrend");
	char snap[512], caps[512], path[700], tarball[700];
	struct run r;
	FILE *f;
	int i;

	if (!smemcap_available())
		cr_skip_test("built without libarchive");
	snprintf(snap, sizeof snap, "%s/snap/77", tu_tmpdir());
	snprintf(caps, sizeof caps, "%s/caps", tu_tmpdir());
	snprintf(path, sizeof path, "%s/snap", tu_tmpdir());
	mkdir(path, 0755);
	mkdir(snap, 0755);
	mkdir(caps, 0755);
	for (i = 0; i < 3; i++) {
		char from[700];

		snprintf(from, sizeof from, "%s/smaps/zoo.smaps",
			 tu_fixtures());
		snprintf(path, sizeof path, "%s/smaps", snap);
		copy_file(from, path);
		snprintf(path, sizeof path, "%s/cmdline", snap);
		f = fopen(path, "w");
		fputs("\x1b]0;pwned\x07\x1b[31mevil", f);
		fputc('\0', f);
		fclose(f);
		snprintf(tarball, sizeof tarball, "%s/c%d.tar", caps, i);
		snprintf(path, sizeof path, "%s/snap", tu_tmpdir());
		tu_run(&r,
		       (char *const[]){"/bin/tar", "--format=posix", "-C", path,
				       "-cf", tarball, "77", NULL},
		       30);
		cr_assert_eq(r.status, 0, "%s", r.err);
		usleep(20 * 1000);
	}
	tu_run(&r, (char *const[]){(char *)bin, "analyze", caps, NULL}, 60);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "pid 77 (") != NULL, "%s", r.out);
	cr_assert(strchr(r.out, '\x1b') == NULL, "raw escape: %s", r.out);
	cr_assert(strchr(r.out, '\x07') == NULL);
	/* A file that is no tarball: one line naming it, exit 2. */
	snprintf(path, sizeof path, "%s/notes.txt", caps);
	f = fopen(path, "w");
	fputs("not a tar\n", f);
	fclose(f);
	tu_run(&r, (char *const[]){(char *)bin, "analyze", caps, NULL}, 60);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "notes.txt is not a readable smemcap") != NULL,
		  "%s", r.err);
}
