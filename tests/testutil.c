/*
 * Test helpers (see testutil.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "testutil.h"
#include "util/csvread.h"
#include "util/xmalloc.h"

const char *
tu_bin(const char *env, const char *fallback)
{
	const char *v = getenv(env);

	return v != NULL && *v != '\0' ? v : fallback;
}

const char *
tu_fixtures(void)
{
	return tu_bin("FIXTURES", "tests/fixtures");
}

pid_t
tu_spawn(char *const argv[], bool quiet)
{
	int exec[2], null, err = 0;
	pid_t pid;
	ssize_t got = 0;

	if (pipe2(exec, O_CLOEXEC) != 0) {
		fprintf(stderr, "cannot run %s: pipe: %s\n", argv[0],
			strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		fprintf(stderr, "cannot run %s: fork: %s\n", argv[0],
			strerror(errno));
		close(exec[0]);
		close(exec[1]);
		return -1;
	}
	if (pid == 0) {
		if (quiet && (null = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(null, 1);
			close(null);
		}
		execvp(argv[0], argv);
		/* The pipe is still open: say why, then go. */
		err = errno;
		got = write(exec[1], &err, sizeof err);
		(void)got;
		_exit(127);
	}
	close(exec[1]);
	while ((got = read(exec[0], &err, sizeof err)) < 0 && errno == EINTR)
		;
	close(exec[0]);
	if (got > 0) {
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(err));
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

void
tu_child_start(struct child *c, char *const argv[])
{
	int in[2], out[2];

	/* Close-on-exec: a child started later must not hold this one's
	 * pipes open (its stdin would never reach EOF). */
	cr_assert(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0);
	c->pid = fork();
	cr_assert(c->pid >= 0);
	if (c->pid == 0) {
		/* Never outlive a failed test. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = fdopen(in[1], "w");
	c->from = fdopen(out[0], "r");
	cr_assert(tu_child_line(c, c->first, sizeof c->first),
		  "%s did not start", argv[0]);
}

void
tu_unique_copy(const char *prog, const char *tag, char *path, size_t len,
	       char *name, size_t nlen)
{
	char cmd[1024];

	snprintf(name, nlen, "mt%s%d", tag, (int)getpid());
	snprintf(path, len, "%s/%s", tu_tmpdir(), name);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", prog, path);
	cr_assert_eq(system(cmd), 0);
}

void
tu_holder_start(struct child *c, const char *prog, const char *bytes)
{
	char line[64];

	tu_child_start(
	    c, (char *[]){(char *)prog, "private", (char *)bytes, NULL});
	tu_child_send(c, "go");
	cr_assert(tu_child_line(c, line, sizeof line));
	cr_assert_str_eq(line, "ready");
}

void
tu_child_send(struct child *c, const char *line)
{
	fprintf(c->to, "%s\n", line);
	fflush(c->to);
}

bool
tu_child_line(struct child *c, char *buf, size_t len)
{
	if (fgets(buf, (int)len, c->from) == NULL)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

int
tu_child_end(struct child *c)
{
	int st = 0;

	if (c->to != NULL)
		fclose(c->to);
	if (c->from != NULL)
		fclose(c->from);
	c->to = c->from = NULL;
	if (c->pid > 0)
		waitpid(c->pid, &st, 0);
	c->pid = 0;
	return st;
}

static void
tu_slurp(int fd, char *buf, size_t len)
{
	ssize_t n;
	size_t off = 0;

	lseek(fd, 0, SEEK_SET);
	while (off + 1 < len && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)n;
	buf[off] = '\0';
	close(fd);
}

void
tu_run(struct run *r, char *const argv[], int timeout_s)
{
	char outp[] = "/tmp/memtrend-out-XXXXXX",
	     errp[] = "/tmp/memtrend-err-XXXXXX";
	int out = mkstemp(outp), err = mkstemp(errp), st, i;
	pid_t pid, w = 0;

	cr_assert(out >= 0 && err >= 0);
	unlink(outp);
	unlink(errp);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	for (i = 0; i < timeout_s * 100; i++) {
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		usleep(10000);
	}
	if (w != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		cr_log_error("%s killed after %d s", argv[0], timeout_s);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	tu_slurp(out, r->out, sizeof r->out);
	tu_slurp(err, r->err, sizeof r->err);
}

bool
tu_as_nobody(bool (*fn)(void *), void *arg)
{
	pid_t p;
	int st;

	if (geteuid() != 0)
		cr_skip_test("needs root to switch to another user");
	p = fork();
	cr_assert(p >= 0);
	if (p == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(99);
		_exit(fn(arg) ? 0 : 1);
	}
	waitpid(p, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 99)
		cr_skip_test("cannot switch to user nobody here");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

double
tu_rollup_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	double v = NAN;
	FILE *fp;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	fp = fopen(path, "r");
	cr_assert(fp != NULL, "cannot open %s", path);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = strtod(line + n + 1, NULL);
	}
	fclose(fp);
	return v;
}

static char tu_dir[64];

const char *
tu_tmpdir(void)
{
	if (tu_dir[0] == '\0') {
		snprintf(tu_dir, sizeof tu_dir, "/tmp/memtrend-test-XXXXXX");
		cr_assert(mkdtemp(tu_dir) != NULL);
	}
	return tu_dir;
}

static int
tu_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
tu_tmp_cleanup(void)
{
	if (tu_dir[0] != '\0')
		nftw(tu_dir, tu_rm, 16, FTW_DEPTH | FTW_PHYS);
	tu_dir[0] = '\0';
}

static int
tu_table_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct table *t = ctx;
	char **copy;
	size_t i;

	(void)line;
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(cells[i]);
	if (t->header == NULL) {
		t->header = copy;
		t->ncols = n;
		return 0;
	}
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	t->rows[t->nrows++] = copy;
	return 0;
}

int
tu_table_load(struct table *t, const char *path)
{
	struct error err;
	int rc;

	memset(t, 0, sizeof *t);
	rc = csv_read(path, tu_table_row, t, &err);
	if (rc < 0)
		cr_log_error("%s", err.msg);
	return rc;
}

double
tu_table_num(const struct table *t, size_t row, const char *col)
{
	long i = csv_column(t->header, t->ncols, col);
	long j;

	cr_assert(row < t->nrows, "row %zu of %zu", row, t->nrows);
	cr_assert(i >= 0, "no column %s", col);
	for (j = 0; j <= i; j++)
		if (t->rows[row][j] == NULL)
			return NAN; /* short row */
	return t->rows[row][i][0] == '\0' ? NAN : strtod(t->rows[row][i], NULL);
}

void
tu_table_free(struct table *t)
{
	size_t i, j;

	for (i = 0; i < t->nrows; i++) {
		for (j = 0; t->rows[i][j] != NULL; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	for (j = 0; j < t->ncols; j++)
		free(t->header[j]);
	free(t->header);
	free(t->rows);
	memset(t, 0, sizeof *t);
}

double
tu_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *
tu_read_text(const char *path, size_t cap, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *buf = malloc(cap);

	cr_assert(fp != NULL, "cannot open %s", path);
	cr_assert(buf != NULL);
	*len = fread(buf, 1, cap - 1, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

size_t
tu_file_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	bool comment = false;
	size_t n = 0, at = 0;
	int c;

	if (fp == NULL)
		return 0;
	while ((c = getc(fp)) != EOF) {
		if (at == 0 && c == '#')
			comment = true;
		at++;
		n += c == '\n';
	}
	fclose(fp);
	/* A CSV's provenance line is not a row. */
	return comment && n > 0 ? n - 1 : n;
}

size_t
tu_count(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}
