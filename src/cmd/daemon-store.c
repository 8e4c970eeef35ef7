/*
 * A daemon target's files (see daemon-store.h).  Rotated files are
 * compressed with zlib's gzip writer (gzopen(3)) to a temporary name and
 * renamed, so a crash leaves either the plain file or the whole .gz.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "analysis/replay.h"
#include "cmd/daemon-store.h"
#include "sinks/csv.h"
#include "sinks/term.h"
#include "util/csvread.h"

/* One of a target's files, to append to; a last row a kill -9 cut short
 * is cut off first, and said. */
static int
daemon_store_append(struct csv_sink **out, const char *dir, const char *name,
		    enum csv_kind kind, struct error *err)
{
	struct error e = {""};
	char path[4200];
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	rc = csv_sink_open_append(out, path, kind, NULL, &e);
	if (rc < 0 && err != NULL)
		*err = e;
	if (rc < 0)
		return rc;
	if (e.msg[0] != '\0')
		term_notice("%s", e.msg);
	return 0;
}

static int
daemon_store_open_files(struct daemon_store *st, struct error *err)
{
	if (daemon_store_append(&st->csv, st->dir, "samples.csv", CSV_DAEMON,
				err) < 0)
		return -1;
	if (!st->regions)
		return 0;
	return daemon_store_append(&st->regions_csv, st->dir, "regions.csv",
				   CSV_REGIONS, err);
}

int
daemon_store_open(struct daemon_store *st, const char *state_dir,
		  const char *name, bool regions, struct error *err)
{
	memset(st, 0, sizeof *st);
	st->regions = regions;
	st->day = (long)(time(NULL) / 86400);
	snprintf(st->dir, sizeof st->dir, "%s/%s", state_dir, name);
	if (mkdir(st->dir, 0755) < 0 && errno != EEXIST)
		return error_set(err, errno,
				 "cannot create %s: %s (check state_dir)",
				 st->dir, strerror(errno));
	return daemon_store_open_files(st, err);
}

void
daemon_store_close(struct daemon_store *st)
{
	if (st->csv != NULL)
		csv_sink_close(st->csv, NULL);
	if (st->regions_csv != NULL)
		csv_sink_close(st->regions_csv, NULL);
	st->csv = st->regions_csv = NULL;
}

/* base.csv to base-STAMP.csv.gz, then base.csv removed. */
static int
daemon_store_gzip(const char *dir, const char *base, const char *stamp,
		  struct error *err)
{
	char src[4200], dst[4300], tmp[4400], buf[65536];
	gzFile gz;
	ssize_t n;
	int fd;

	snprintf(src, sizeof src, "%s/%s.csv", dir, base);
	snprintf(dst, sizeof dst, "%s/%s-%s.csv.gz", dir, base, stamp);
	snprintf(tmp, sizeof tmp, "%s.tmp", dst);
	if ((fd = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT
			   ? 0
			   : error_set(err, errno, "cannot read %s: %s", src,
				       strerror(errno));
	if ((gz = gzopen(tmp, "wb6")) == NULL) {
		close(fd);
		return error_set(err, ENOSPC, "cannot write %s", tmp);
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (gzwrite(gz, buf, (unsigned)n) != (int)n)
			break;
	close(fd);
	if (gzclose(gz) != Z_OK || n != 0) {
		unlink(tmp);
		return error_set(err, ENOSPC,
				 "cannot compress %s (disk full?); kept as "
				 "it is",
				 src);
	}
	if (rename(tmp, dst) < 0)
		return error_set(err, errno, "cannot rename %s: %s", tmp,
				 strerror(errno));
	unlink(src);
	return 0;
}

struct daemon_store_old {
	char path[4400];
	time_t mtime;
	off_t size;
};

/* The stamp of PATH/KIND-STAMP.csv.gz: the samples and regions files of
 * one rotation sort together, oldest first. */
static const char *
daemon_store_old_stamp(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return strchr(base, '-') != NULL ? strchr(base, '-') : base;
}

static int
daemon_store_old_cmp(const void *a, const void *b)
{
	const char *x = ((const struct daemon_store_old *)a)->path;
	const char *y = ((const struct daemon_store_old *)b)->path;
	int c = strcmp(daemon_store_old_stamp(x), daemon_store_old_stamp(y));

	return c != 0 ? c : strcmp(x, y);
}

/* The rotated files, newest last by stamp; the oldest go first while
 * they are past keep_ns or the whole is past keep_size. */
static void
daemon_store_prune(struct daemon_store *st, double wall_s, uint64_t keep_ns,
		   uint64_t keep_size)
{
	struct daemon_store_old *old = NULL;
	size_t n = 0, i;
	uint64_t total = 0;
	struct dirent *e;
	struct stat sb;
	DIR *d = opendir(st->dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 8 || strcmp(e->d_name + len - 7, ".csv.gz") != 0)
			continue;
		old = realloc(old, (n + 1) * sizeof *old);
		if (old == NULL)
			break;
		snprintf(old[n].path, sizeof old[n].path, "%s/%s", st->dir,
			 e->d_name);
		if (stat(old[n].path, &sb) != 0)
			continue;
		old[n].mtime = sb.st_mtime;
		old[n].size = sb.st_size;
		total += (uint64_t)sb.st_size;
		n++;
	}
	closedir(d);
	if (old == NULL)
		return;
	qsort(old, n, sizeof *old, daemon_store_old_cmp);
	for (i = 0; i < n; i++) {
		bool aged = keep_ns > 0 && wall_s - (double)old[i].mtime >
					       (double)keep_ns / 1e9;
		bool big = keep_size > 0 && total > keep_size;

		if (!aged && !big)
			continue;
		if (unlink(old[i].path) == 0)
			total -= (uint64_t)old[i].size;
	}
	free(old);
}

/* "20261130T120000.123", a millisecond later while a rotated file of that
 * name exists (names must sort in time order and never collide). */
static void
daemon_store_stamp(const struct daemon_store *st, double wall_s, char *buf,
		   size_t len)
{
	char path[4300];
	long long ms = (long long)(wall_s * 1000);
	time_t secs;
	struct tm tm;
	int i;

	for (i = 0; i < 100000; i++, ms++) {
		secs = (time_t)(ms / 1000);
		gmtime_r(&secs, &tm);
		strftime(buf, len, "%Y%m%dT%H%M%S", &tm);
		snprintf(buf + strlen(buf), len - strlen(buf), ".%03lld",
			 ms % 1000);
		snprintf(path, sizeof path, "%s/samples-%s.csv.gz", st->dir,
			 buf);
		if (access(path, F_OK) != 0)
			return;
	}
}

int
daemon_store_rotate(struct daemon_store *st, double wall_s,
		    uint64_t rotate_size, uint64_t keep_ns, uint64_t keep_size,
		    struct error *err)
{
	long day = (long)(wall_s / 86400);
	struct error quiet;
	char stamp[48];
	int rc;

	/* Files that could not be opened again after a rotation (a full
	 * disk, no descriptor left) are retried each tick, quietly: the
	 * failure was told when it happened. */
	if (st->csv == NULL) {
		daemon_store_open_files(st, &quiet);
		return 0;
	}
	if (csv_sink_size(st->csv) == 0 ||
	    (day == st->day &&
	     (rotate_size == 0 ||
	      (uint64_t)csv_sink_size(st->csv) < rotate_size)))
		return 0;
	daemon_store_stamp(st, wall_s, stamp, sizeof stamp);
	daemon_store_close(st);
	rc = daemon_store_gzip(st->dir, "samples", stamp, err);
	if (rc == 0 && st->regions)
		rc = daemon_store_gzip(st->dir, "regions", stamp, err);
	st->day = day;
	daemon_store_prune(st, wall_s, keep_ns, keep_size);
	if (daemon_store_open_files(st, rc < 0 ? NULL : err) < 0 && rc == 0)
		rc = -1;
	return rc;
}

/* ---- resuming --------------------------------------------------------- */

struct daemon_store_replay {
	struct verdict *v;
	struct daemon_history *h;
	pid_t pending[8];
	size_t npending;
};

static struct verdict *
daemon_store_pick(void *ctx, long pid, const struct verdict *tmpl)
{
	struct daemon_store_replay *r = ctx;

	(void)tmpl;
	if (pid != 0) {
		if (r->npending < 8)
			r->pending[r->npending++] = (pid_t)pid;
		return NULL;
	}
	memcpy(r->h->pids, r->pending, sizeof r->pending);
	r->h->npids = r->npending;
	r->npending = 0;
	return r->v;
}

static int
daemon_store_row(void *ctx, const struct sample *s)
{
	struct daemon_store_replay *r = ctx;

	r->h->any = true;
	r->h->last_elapsed_s = s->elapsed_s;
	r->h->last_wall_s = s->wall_s;
	r->h->instance = s->instance;
	return 0;
}

struct daemon_store_last {
	long col;
	double elapsed_s;
	bool any;
};

static int
daemon_store_last_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct daemon_store_last *l = ctx;

	(void)line;
	if (l->col < 0) {
		l->col = csv_column(cells, n, "elapsed_s");
		return l->col < 0 ? -EINVAL : 0;
	}
	/* The largest number the column holds: a damaged row (a cell
	 * that is not one) does not set the clock back. */
	if ((size_t)l->col < n) {
		char *end;
		double e = strtod(cells[l->col], &end);

		if (end != cells[l->col] && isfinite(e) &&
		    (!l->any || e > l->elapsed_s)) {
			l->elapsed_s = e;
			l->any = true;
		}
	}
	return 0;
}

int
daemon_store_resume(const char *dir, struct verdict *v,
		    struct daemon_history *h, struct error *err)
{
	struct daemon_store_replay r = {.v = v, .h = h};
	struct daemon_store_last l = {.col = -1};
	char **paths;
	long n, i;
	int rc;

	memset(h, 0, sizeof *h);
	n = csv_dir_list(dir, false, &paths, err);
	if (n <= 0)
		return n < 0 && errno != ENOENT ? (int)n : 0;
	/* The elapsed_s the files hold, from the newest file with a row:
	 * the verdict is resumed on that clock (replay_file_pick_raw), so
	 * the live samples carry on without a gap when old files have been
	 * pruned. */
	for (i = n - 1; i >= 0 && !l.any; i--) {
		l.col = -1;
		csv_read(paths[i], daemon_store_last_row, &l, err);
	}
	csv_dir_free(paths, n);
	rc = replay_file_pick_raw(dir, v, daemon_store_pick, &r,
				  daemon_store_row, &r, err);
	h->last_elapsed_s = l.elapsed_s;
	/* A header and no row yet (stopped before its first tick). */
	if (rc == -EINVAL && !h->any)
		return 0;
	return rc;
}
