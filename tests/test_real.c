/*
 * Recorded runs of real programs (tests/fixtures/analyze/real/, how each
 * was made in its LABELS file) replayed row by row through the code
 * `memtrend analyze` runs (replay_file_each, verdict_add).  Each pins
 * the labelled final verdict and, as a live watch would have alerted,
 * the flag: never raised on a run without a leak, never withdrawn on a
 * leak once raised (issue 9: a raised flag is an alert someone got).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/replay.h"
#include "analysis/trend.h"
#include "analysis/verdict.h"
#include "testutil.h"

/* What the flag may do during the replay. */
enum real_flag {
	REAL_FLAG_NEVER, /* never raised: no leak in this run */
	REAL_FLAG_STAYS, /* once raised, never withdrawn */
	REAL_FLAG_ANY,	 /* only the final verdict is pinned */
};

struct real_label {
	char file[128];
	unsigned finals; /* allowed final verdicts: 1 << verdict */
	enum real_flag flag;
	bool daily; /* context "server": a daily cycle is possible */
};

/* The flag's history over the replay. */
struct real_replay {
	const struct verdict *v;
	unsigned long rows, raises, withdrawals;
	double first_raise_s, first_withdrawal_s;
	bool flagged;
};

static void
real_path(char *buf, size_t len, const char *file)
{
	snprintf(buf, len, "%s/analyze/real/%s", tu_fixtures(), file);
}

static const char *const real_verdicts[] = {
    [TREND_INSUFFICIENT] = "insufficient",
    [TREND_STABLE] = "stable",
    [TREND_GROWING] = "growing",
};
#define REAL_NVERDICTS (sizeof real_verdicts / sizeof real_verdicts[0])

/* "stable,insufficient" -> a set of verdicts; false on an unknown name. */
static bool
real_parse_finals(char *text, unsigned *finals)
{
	char *name, *save = NULL;
	size_t i;

	*finals = 0;
	for (name = strtok_r(text, ",", &save); name != NULL;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < REAL_NVERDICTS; i++)
			if (strcmp(name, real_verdicts[i]) == 0)
				break;
		if (i == REAL_NVERDICTS)
			return false;
		*finals |= 1u << i;
	}
	return *finals != 0;
}

/* The set in words, for a failure message. */
static void
real_finals_text(unsigned finals, char *buf, size_t len)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < REAL_NVERDICTS; i++)
		if (finals & (1u << i))
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
					       at > 0 ? " or " : "",
					       real_verdicts[i]);
}

static bool
real_parse_flag(const char *text, enum real_flag *f)
{
	if (strcmp(text, "never") == 0)
		*f = REAL_FLAG_NEVER;
	else if (strcmp(text, "stays") == 0)
		*f = REAL_FLAG_STAYS;
	else if (strcmp(text, "any") == 0)
		*f = REAL_FLAG_ANY;
	else
		return false;
	return true;
}

/* One LABELS line: FILE VERDICT FLAG CONTEXT, tab-separated, then the
 * date, kernel and commands the test does not read.  Returns false for a
 * comment or blank line; fails the test on a malformed one. */
static bool
real_parse_label(char *line, struct real_label *l)
{
	char *cell[4], *save = NULL;
	int i;

	if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
		return false;
	for (i = 0; i < 4; i++) {
		cell[i] = strtok_r(i == 0 ? line : NULL, "\t\n", &save);
		cr_assert(cell[i] != NULL, "LABELS: short line for %s",
			  i > 0 ? cell[0] : "?");
	}
	snprintf(l->file, sizeof l->file, "%s", cell[0]);
	cr_assert(real_parse_finals(cell[1], &l->finals),
		  "LABELS: %s: verdicts '%s'", cell[0], cell[1]);
	cr_assert(real_parse_flag(cell[2], &l->flag),
		  "LABELS: %s: flag '%s' (never, stays or any)", cell[0],
		  cell[2]);
	cr_assert(strcmp(cell[3], "server") == 0 || strcmp(cell[3], "ci") == 0,
		  "LABELS: %s: context '%s' (server or ci)", cell[0], cell[3]);
	l->daily = strcmp(cell[3], "server") == 0;
	return true;
}

/* Calls fn on every label, in file order; returns how many there are. */
static size_t
real_labels(void (*fn)(const struct real_label *, void *), void *ctx)
{
	char path[512], line[4096];
	struct real_label l;
	size_t n = 0;
	FILE *fp;

	real_path(path, sizeof path, "LABELS");
	fp = fopen(path, "r");
	cr_assert(fp != NULL, "cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, fp) != NULL) {
		if (!real_parse_label(line, &l))
			continue;
		fn(&l, ctx);
		n++;
	}
	fclose(fp);
	return n;
}

struct real_find {
	const char *file;
	struct real_label label;
	bool found;
};

static void
real_find_one(const struct real_label *l, void *ctx)
{
	struct real_find *f = ctx;

	if (strcmp(l->file, f->file) == 0) {
		f->label = *l;
		f->found = true;
	}
}

static int
real_watch(void *ctx, const struct sample *s)
{
	struct real_replay *r = ctx;
	bool now = verdict_evidence(r->v)->verdict == TREND_GROWING;

	r->rows++;
	if (now && !r->flagged && r->raises++ == 0)
		r->first_raise_s = s->elapsed_s;
	if (!now && r->flagged && r->withdrawals++ == 0)
		r->first_withdrawal_s = s->elapsed_s;
	r->flagged = now;
	return 0;
}

/* Replays a labelled fixture and checks it against its label. */
static void
real_check(const char *file)
{
	struct real_find find = {.file = file};
	struct real_replay r = {.first_raise_s = NAN,
				.first_withdrawal_s = NAN};
	char path[512], sentence[2048], finals[64];
	const struct trend_evidence *ev;
	struct verdict v;
	struct error err;

	real_labels(real_find_one, &find);
	cr_assert(find.found, "%s has no line in LABELS", file);
	real_path(path, sizeof path, file);
	verdict_init(&v, VERDICT_AUTO);
	trend_set_daily_cycle(v.trend, find.label.daily);
	r.v = &v;
	cr_assert_eq(replay_file_each(path, &v, real_watch, &r, &err), 0, "%s",
		     err.msg);
	ev = verdict_evidence(&v);
	verdict_sentence(&v, sentence, sizeof sentence);
	real_finals_text(find.label.finals, finals, sizeof finals);
	if (r.raises == 0)
		cr_log_info("%s: %s at the end, never flagged: %s", file,
			    verdict_name(ev->verdict), sentence);
	else
		cr_log_info("%s: %s at the end; flagged %lu time%s, first at "
			    "%.0f s, withdrawn %lu time%s: %s",
			    file, verdict_name(ev->verdict), r.raises,
			    r.raises == 1 ? "" : "s", r.first_raise_s,
			    r.withdrawals, r.withdrawals == 1 ? "" : "s",
			    sentence);
	cr_expect(find.label.finals & (1u << ev->verdict),
		  "%s: final verdict %s, labelled %s: %s", file,
		  verdict_name(ev->verdict), finals, sentence);
	if (find.label.flag == REAL_FLAG_NEVER)
		cr_expect_eq(r.raises, 0,
			     "%s: no leak, yet flagged %lu "
			     "time%s, first at %.0f s of %lu rows",
			     file, r.raises, r.raises == 1 ? "" : "s",
			     r.first_raise_s, r.rows);
	if (find.label.flag == REAL_FLAG_STAYS)
		cr_expect_eq(
		    r.withdrawals, 0,
		    "%s: a leak, yet its flag "
		    "(first raised at %.0f s) was withdrawn %lu time%s, first "
		    "at %.0f s",
		    file, r.first_raise_s, r.withdrawals,
		    r.withdrawals == 1 ? "" : "s", r.first_withdrawal_s);
	verdict_free(&v);
}

TestSuite(real);

static void
real_exists(const struct real_label *l, void *ctx)
{
	char path[512];
	FILE *fp;

	(void)ctx;
	real_path(path, sizeof path, l->file);
	fp = fopen(path, "r");
	cr_expect(fp != NULL, "LABELS names %s, which is missing", l->file);
	if (fp != NULL)
		fclose(fp);
}

/* Every CSV in the directory has a label, and every label a CSV. */
Test(real, every_fixture_is_labelled)
{
	struct real_find find;
	struct dirent *e;
	char dir[512];
	DIR *d;

	real_labels(real_exists, NULL);
	real_path(dir, sizeof dir, "");
	d = opendir(dir);
	cr_assert(d != NULL, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
			continue;
		find = (struct real_find){.file = e->d_name};
		real_labels(real_find_one, &find);
		cr_expect(find.found, "%s has no line in LABELS", e->d_name);
	}
	closedir(d);
}

/* A test binary's shape: a 32 MiB working set at start, then 20 KiB/s. */
Test(real, leaky_startup_then_leak_is_growing)
{
	real_check("leaky-leak.csv");
}

Test(real, leaky_without_leak_is_never_flagged)
{
	real_check("leaky-noleak.csv");
}

/* The same set, flat for 4 min, then 20 KiB/s: judge the line after the
 * bend. */
Test(real, leaky_late_onset_is_growing)
{
	real_check("leaky-late.csv");
}

/* The same set, then 2 KiB/s: 0.37 % of the set a minute, 4.2 % in all. */
Test(real, leaky_slow_leak_is_growing)
{
	real_check("leaky-slow.csv");
}

/* 400 new keys a second: a straight line with a bump at each hash-table
 * resize (the old and new tables live side by side while rehashing). */
Test(real, redis_given_new_keys_is_growing)
{
	real_check("redis-newkeys.csv");
}

/* 1000 keys rewritten: a start-up step of 0.3 MiB, then flat. */
Test(real, redis_with_a_fixed_key_set_is_never_flagged)
{
	real_check("redis-fixedkeys.csv");
}

/* A cache filling to its maxmemory in ~75 s, then flat; a step of
 * 3.5 MiB at the end when a sibling process's shared pages became its
 * own. */
Test(real, redis_filling_to_maxmemory_is_never_flagged)
{
	real_check("redis-maxmemory.csv");
}

Test(real, nginx_worker_under_ab_is_never_flagged)
{
	real_check("nginx-worker.csv");
}

/* Every request path cached: a line with a step at each dict resize. */
Test(real, python_caching_every_request_is_growing)
{
	real_check("python-dict-cache.csv");
}

/* An LRU filling for 5 min, then full: judged by its end. */
Test(real, python_lru_filled_then_full_is_not_growing_at_the_end)
{
	real_check("python-lru-cache.csv");
}

/* An LRU full after ~90 s, then steps of a few hundred KiB when the
 * dict compacts its deleted entries. */
Test(real, python_small_lru_is_never_flagged)
{
	real_check("python-lru-small.csv");
}

/* 0 -> 100 MiB in 50 s, all freed, again: a flat floor. */
Test(real, python_sawtooth_is_never_flagged)
{
	real_check("python-sawtooth.csv");
}
