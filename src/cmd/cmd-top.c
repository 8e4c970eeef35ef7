/*
 * memtrend top: every process on the system (or of one user) watched by
 * the one sampling loop as a ranked set (watch.c): stat and status of
 * every process every tick, smaps_rollup round-robin under the budget,
 * the neediest first; each process judged by its own verdict.  Contract:
 * DESIGN.md, "Wide views" (the long-format CSV).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "cmd/cmd.h"
#include "cmd/watch.h"
#include "sinks/rank.h"
#include "sinks/recap.h"
#include "sinks/term.h"
#include "util/output.h"
#include "util/root.h"
#include "util/units.h"
#include "util/xmalloc.h"

#define TOP_NAMED 5 /* growers named with their sentence in the summary */

enum {
	OPT_KIB = 256,
	OPT_BUDGET,
	OPT_USER,
	OPT_ROWS,
	OPT_METRIC,
	OPT_NO_DAILY_CYCLE,
	OPT_DAILY_CYCLE,
	OPT_ROOT,
};

static const struct option cmd_top_options[] = {
    {"every", required_argument, NULL, 'e'},
    {"count", required_argument, NULL, 'c'},
    {"duration", required_argument, NULL, 'd'},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"user", required_argument, NULL, OPT_USER},
    {"rows", required_argument, NULL, OPT_ROWS},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"kib", no_argument, NULL, OPT_KIB},
    {"root", required_argument, NULL, OPT_ROOT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct cmd_top {
	bool help;
	struct watch_opts watch;
	struct targets_spec set;
	uint64_t rows;
};

static void
cmd_top_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend top [OPTIONS]\n"
	    "\n"
	    "Which process grows?  Every process (or one user's), ranked "
	    "by the growth\n"
	    "rate of its USS (PSS, RSS until USS is read), each with its "
	    "verdict, size\n"
	    "and share of all growth.  stat and status are read for every "
	    "process every\n"
	    "tick; smaps_rollup (PSS, USS) in turn within the CPU budget, "
	    "biggest,\n"
	    "stalest and growing first.  Processes that come and go are "
	    "followed by\n"
	    "PID and start time.\n"
	    "\n"
	    "  -e, --every INTERVAL  time between samples (default 5s)\n"
	    "  -c, --count N         stop after N samples\n"
	    "  -d, --duration D      stop after D (e.g. 1h, 2d)\n"
	    "  -o, --output FILE     long-format CSV: the CSV columns, then "
	    "comm and\n"
	    "                        cmdline, one row per process per "
	    "sample\n"
	    "  -f, --force           overwrite FILE if it exists\n"
	    "  -q, --quiet           no live screen, only the summary\n"
	    "      --user USER       only USER's processes (a name or a "
	    "uid)\n"
	    "      --rows N          processes on the live screen (default: "
	    "what fits)\n"
	    "      --budget PCT      CPU budget, of one core (default 2%%)\n"
	    "      --metric M        judge uss, pss or rss (default: uss where "
	    "read,\n"
	    "                        else pss, else rss)\n"
	    "      --no-daily-cycle  do not wait out a daily cycle "
	    "(--daily-cycle: the\n"
	    "                        default)\n"
	    "      --kib             plain KiB instead of human units\n"
	    "      --root DIR        read /proc and /sys under DIR (tests)\n"
	    "  -h, --help\n"
	    "\n"
	    "analyze, plot and report read the CSV (--pid PID or --top N "
	    "to choose).\n"
	    "Exit status: 0 the run ended normally, 2 an error.\n");
}

static int
cmd_top_user(struct cmd_top *c, const char *text, struct error *err)
{
	const struct passwd *pw = getpwnam(text);
	uint64_t uid;

	if (c->set.by_uid)
		return error_set(err, EINVAL,
				 "--user: given twice: give one user");
	if (pw != NULL) {
		c->set.uid = pw->pw_uid;
	} else if (units_parse_whole(text, &uid) && uid < 0xffffffffu) {
		c->set.uid = (uid_t)uid;
	} else {
		return error_set(err, EINVAL,
				 "--user: no user '%s' (give a "
				 "name from /etc/passwd or a uid)",
				 text);
	}
	c->set.by_uid = true;
	return 0;
}

static int
cmd_top_option(struct cmd_top *c, int opt, struct error *err)
{
	struct watch_opts *w = &c->watch;

	switch (opt) {
	case 'e':
		return units_parse_duration(optarg, &w->interval_ns, err);
	case 'c':
		return units_parse_count(optarg, &w->count, err);
	case 'd':
		return cmd_parse_duration(optarg, &w->duration_ns, err);
	case 'o':
		w->csv_path = optarg;
		return 0;
	case 'f':
		w->force = true;
		return 0;
	case 'q':
		w->live = false;
		return 0;
	case OPT_USER:
		return cmd_top_user(c, optarg, err);
	case OPT_ROWS:
		return units_parse_count(optarg, &c->rows, err);
	case OPT_BUDGET:
		return units_parse_percent(optarg, &w->budget, err);
	case OPT_METRIC:
		return verdict_parse_metric(optarg, &w->metric, err);
	case OPT_NO_DAILY_CYCLE:
	case OPT_DAILY_CYCLE:
		w->daily_cycle = opt == OPT_DAILY_CYCLE;
		return 0;
	case OPT_KIB:
		w->raw_kib = true;
		return 0;
	case OPT_ROOT:
		w->root = optarg;
		c->set.root = optarg;
		return 0;
	}
	return error_set(err, EINVAL, "unknown option");
}

static int
cmd_top_parse(struct cmd_top *c, int argc, char **argv, struct error *err)
{
	int opt, rc;

	memset(c, 0, sizeof *c);
	c->watch.interval_ns = 5 * UNITS_NS_PER_S;
	c->watch.live = true;
	c->watch.metric = VERDICT_AUTO;
	c->watch.daily_cycle = true;
	c->watch.budget = 0.02;
	c->watch.root = c->set.root = root_default();
	c->watch.rank = true;
	c->watch.set = &c->set;
	c->set.kind = TARGETS_ALL;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":e:c:d:o:fqh", cmd_top_options,
				  NULL)) != -1) {
		if (opt == 'h') {
			c->help = true;
			return 0;
		}
		if (opt == ':')
			return error_set(err, EINVAL, "option %s needs a value",
					 argv[optind - 1]);
		if (opt == '?')
			return error_set(err, EINVAL,
					 "unknown option '%s' for top",
					 argv[optind - 1]);
		rc = cmd_top_option(c, opt, err);
		if (rc < 0 && opt == OPT_USER) /* its line names it */
			return rc;
		if (rc < 0)
			return cmd_option_error(err, cmd_top_options, opt);
	}
	if (optind < argc)
		return error_set(err, EINVAL,
				 "top takes no arguments, not '%s'",
				 argv[optind]);
	if (c->watch.interval_ns == 0)
		return error_set(err, EINVAL, "--every must be more than 0");
	if (c->watch.csv_path != NULL && strcmp(c->watch.csv_path, "-") == 0)
		c->watch.live = false; /* stdout carries the CSV */
	c->watch.top_regions = (size_t)c->rows;
	return 0;
}

/* The summary: how many processes, the growers with their sentences,
 * the ranking, the cost. */
static void
cmd_top_recap(const struct cmd_top *c, const struct watch_result *res,
	      FILE *out)
{
	struct rank_row *rows = xcalloc(res->nmembers + 1, sizeof *rows);
	size_t i, n = 0, growing = 0, named = 0;
	char sentence[1024], name[128];
	double span = 0;

	for (i = 0; i < res->nmembers; i++) {
		const struct watch_member *m = res->members[i];

		if (m->summary.samples == 0)
			continue;
		watch_member_row(m, &rows[n]);
		growing +=
		    verdict_evidence(&m->verdict)->verdict == TREND_GROWING;
		span = fmax(span, m->summary.last_s - m->summary.first_s);
		n++;
	}
	rank_sort(rows, n);
	fprintf(out, "\nprocesses: %zu watched, %zu growing\n", n, growing);
	rank_table(out, rows, n, c->rows ? c->rows : 15, c->watch.raw_kib, 80);
	for (i = 0; i < n && named < TOP_NAMED; i++) {
		if (verdict_evidence(rows[i].verdict)->verdict != TREND_GROWING)
			continue;
		verdict_sentence(rows[i].verdict, sentence, sizeof sentence);
		units_escape_text(name, sizeof name, rows[i].comm);
		fprintf(out, "pid %d (%s): %s\n", (int)rows[i].pid, name,
			sentence);
		named++;
	}
	if (growing == 0)
		fprintf(out, "verdict: no process was judged to grow steadily "
			     "(the rates above are first to last)\n");
	recap_tiers(out, &res->tiers, span, res->elapsed_s);
	if (c->watch.csv_path != NULL && strcmp(c->watch.csv_path, "-") != 0)
		fprintf(out, "CSV: %lu row%s in %s\n", res->csv_rows,
			res->csv_rows == 1 ? "" : "s", c->watch.csv_path);
	free(rows);
}

static int
cmd_top_run(int argc, char **argv)
{
	struct watch_result res;
	struct cmd_top c;
	struct error err;
	char every[32];
	int code = 0;

	if (cmd_top_parse(&c, argc, argv, &err) < 0)
		return cmd_usage_error("top", &err);
	if (c.help) {
		cmd_top_usage(stdout);
		return 0;
	}
	if (c.watch.csv_path != NULL &&
	    output_check(c.watch.csv_path, c.watch.force, &err) < 0)
		return cmd_fail(&err);
	units_format_duration(every, sizeof every,
			      (double)c.watch.interval_ns / 1e9);
	term_notice("watching every process%s every %s; Ctrl-C to stop",
		    c.set.by_uid ? " of the user" : "", every);
	watch_run(&c.watch, NULL, &res);
	if (res.end == WATCH_END_ERROR)
		code = cmd_fail(&res.why);
	if (res.nmembers > 0)
		cmd_top_recap(&c, &res,
			      c.watch.csv_path != NULL &&
				      strcmp(c.watch.csv_path, "-") == 0
				  ? stderr
				  : stdout);
	watch_result_free(&res);
	return code;
}

const struct cmd_entry cmd_top_entry = {
    .name = "top",
    .word = true,
    .options = cmd_top_options,
    .usage = cmd_top_usage,
    .run = cmd_top_run,
};
