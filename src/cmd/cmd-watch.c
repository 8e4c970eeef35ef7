/*
 * memtrend [OPTIONS] -p PID | -n NAME | [--] COMMAND (memtrend(1)): the
 * options, the main usage, and the run: find the target, run the sampling
 * loop (watch.c), print the recap, draw --plot.  Every option has a long
 * form; values use the human units of units.h.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "charts/plot.h"
#include "cmd/cmd-probe.h"
#include "cmd/cmd-watch.h"
#include "cmd/cmd.h"
#include "core/fields.h"
#include "core/target.h"
#include "sinks/rank.h"
#include "sinks/recap.h"
#include "sinks/term.h"
#include "util/output.h"
#include "util/root.h"
#include "util/units.h"
#include "util/xmalloc.h"

enum {
	OPT_KIB = 256,
	OPT_PROBE,
	OPT_ROOT,
	OPT_LIST_FIELDS,
	OPT_REGIONS,
	OPT_REGIONS_CSV,
	OPT_PAGES,
	OPT_BUDGET,
	OPT_GROUP_BY,
	OPT_IDLE,
	OPT_NO_CLEAR_REFS,
	OPT_IDLE_SAMPLE,
	OPT_FAULTS,
	OPT_FAULT_ADDRESSES,
	OPT_FAULT_PERIOD,
	OPT_METRIC,
	OPT_FAIL_ON_GROWTH,
	OPT_NO_DAILY_CYCLE,
	OPT_DAILY_CYCLE,
	OPT_PLOT,
	OPT_ALL_MATCHING,
	OPT_TREE,
	OPT_CGROUP,
};

static const struct option cmd_watch_options[] = {
    {"pid", required_argument, NULL, 'p'},
    {"name", required_argument, NULL, 'n'},
    {"all-matching", no_argument, NULL, OPT_ALL_MATCHING},
    {"tree", no_argument, NULL, OPT_TREE},
    {"cgroup", required_argument, NULL, OPT_CGROUP},
    {"every", required_argument, NULL, 'e'},
    {"count", required_argument, NULL, 'c'},
    {"duration", required_argument, NULL, 'd'},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"kib", no_argument, NULL, OPT_KIB},
    {"regions", optional_argument, NULL, OPT_REGIONS},
    {"regions-csv", required_argument, NULL, OPT_REGIONS_CSV},
    {"pages", no_argument, NULL, OPT_PAGES},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"group-by", required_argument, NULL, OPT_GROUP_BY},
    {"idle", no_argument, NULL, OPT_IDLE},
    {"no-clear-refs", no_argument, NULL, OPT_NO_CLEAR_REFS},
    {"idle-sample", required_argument, NULL, OPT_IDLE_SAMPLE},
    {"faults", no_argument, NULL, OPT_FAULTS},
    {"fault-addresses", no_argument, NULL, OPT_FAULT_ADDRESSES},
    {"fault-period", required_argument, NULL, OPT_FAULT_PERIOD},
    {"probe", no_argument, NULL, OPT_PROBE},
    {"root", required_argument, NULL, OPT_ROOT},
    {"list-fields", optional_argument, NULL, OPT_LIST_FIELDS},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"fail-on-growth", no_argument, NULL, OPT_FAIL_ON_GROWTH},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"plot", required_argument, NULL, OPT_PLOT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void
cmd_watch_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend [OPTIONS] -p PID | -n NAME | [--] COMMAND "
	    "[ARGS...]\n"
	    "       memtrend analyze [--json] [--metric uss|pss|rss] FILE.csv\n"
	    "       memtrend plot FILE.csv -o CHART.png|.svg|.pdf   (see plot "
	    "--help)\n"
	    "       memtrend report FILE.csv -o REPORT.html         (see "
	    "report --help)\n"
	    "       memtrend kernel [--every I] [-o FILE.csv] [--caches-csv "
	    "FILE]\n"
	    "                                                       (see "
	    "kernel --help)\n"
	    "       memtrend --probe [-p PID]\n"
	    "\n"
	    "Watch a process's memory (RSS, PSS, USS and more) without "
	    "stopping it:\n"
	    "one row per sample, an optional CSV log, and a summary at the end "
	    "that\n"
	    "says, with evidence, whether memory is growing steadily (a "
	    "leak).\n"
	    "\n"
	    "Target (one of):\n"
	    "  -p, --pid PID         watch the process with this PID\n"
	    "  -n, --name NAME       watch the one process with this command "
	    "name\n"
	    "  [--] COMMAND [ARGS]   start COMMAND and watch it until it "
	    "exits;\n"
	    "                        memtrend then exits with its status\n"
	    "      --all-matching    with -n: every process so named, and "
	    "their sum\n"
	    "      --tree            with -p or COMMAND: the process and its "
	    "descendants\n"
	    "      --cgroup DIR      every process in a cgroup directory "
	    "(absolute,\n"
	    "                        or under /sys/fs/cgroup)\n"
	    "  A set is judged by its sum; the CSV is long format: a row per "
	    "process\n"
	    "  per sample, then the sum's (pid 0), with comm and cmdline "
	    "columns.\n"
	    "\n"
	    "Sampling:\n"
	    "  -e, --every INTERVAL  time between samples (default 1s; e.g. "
	    "250ms, 5m)\n"
	    "  -c, --count N         stop after N samples\n"
	    "  -d, --duration D      stop after D (e.g. 30s, 1h, 2d)\n"
	    "\n"
	    "Where (per region):\n"
	    "      --regions[=N]     sample each region (heap, stacks, "
	    "anonymous\n"
	    "                        memory, each file's code and data, "
	    "shared\n"
	    "                        memory...) from smaps and list the N "
	    "(default 5)\n"
	    "                        that grew most\n"
	    "      --pages           exact page-level accounting per region "
	    "from\n"
	    "                        pagemap (+ kpagecount/kpageflags as "
	    "root)\n"
	    "      --regions-csv FILE  log every region sample to FILE (long "
	    "format)\n"
	    "      --group-by HOW    kind (default), path, or mapping\n"
	    "      --idle            per region: share of pages not accessed "
	    "since the\n"
	    "                        previous region sample, and how long they "
	    "stayed\n"
	    "                        idle (page_idle, else soft-dirty, else "
	    "clear_refs\n"
	    "                        + Referenced)\n"
	    "      --no-clear-refs   never clear the target's accessed bits\n"
	    "      --idle-sample N   pages followed per region (default 256)\n"
	    "      --faults          count page faults of every thread with "
	    "perf\n"
	    "                        events (else the stat counters)\n"
	    "      --fault-addresses also sample where faults happen: faults "
	    "per\n"
	    "                        second per region (implies --regions)\n"
	    "      --fault-period N  one address sample every N faults "
	    "(default 1)\n"
	    "      --budget PCT      CPU budget for sampling, of one core "
	    "(default\n"
	    "                        2%%); heavy sources are spaced out to "
	    "stay\n"
	    "                        within it; 100%% samples everything every "
	    "tick\n"
	    "\n"
	    "Output:\n"
	    "  -o, --output FILE     log every sample to FILE as CSV (\"-\": "
	    "stdout)\n"
	    "  -f, --force           overwrite FILE if it exists\n"
	    "  -q, --quiet           no live rows, only the summary\n"
	    "      --plot CHART      at the end, draw the growth chart of the "
	    "-o CSV\n"
	    "                        (.png, .svg or .pdf; needs gnuplot)\n"
	    "      --kib             print sizes as plain KiB instead of human "
	    "units\n"
	    "\n"
	    "Verdict:\n"
	    "      --metric M        judge uss (default), pss or rss\n"
	    "      --fail-on-growth  exit 1 when the verdict at the end is "
	    "'growing'\n"
	    "      --no-daily-cycle  no daily cycle to wait for (the default "
	    "with a\n"
	    "                        COMMAND: a test run); --daily-cycle: wait "
	    "for\n"
	    "                        one (the default with -p and -n: a "
	    "server)\n"
	    "\n"
	    "Analyze (memtrend analyze FILE.csv; \"-\" reads standard input):\n"
	    "      --json            print the verdict as one JSON object\n"
	    "      --metric M        judge uss, pss or rss (default: uss if "
	    "the file\n"
	    "                        has it, else pss, else rss)\n"
	    "      --no-daily-cycle  judge as a test run: no daily cycle to "
	    "wait for\n"
	    "\n"
	    "Other:\n"
	    "      --probe           show what this kernel and these "
	    "privileges allow\n"
	    "      --root DIR        read /proc and /sys under DIR (tests; "
	    "also\n"
	    "                        MEMTREND_ROOT)\n"
	    "      --list-fields     list the CSV columns\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         version\n"
	    "\n"
	    "Exit status: 0 done; 1 growing (analyze, or --fail-on-growth); 2 "
	    "error\n"
	    "(bad input, unreadable target, write failure); with COMMAND, the\n"
	    "command's own non-zero status, which wins over 1.\n"
	    "\n"
	    "CSV columns (sizes in KiB):\n");
	fields_print(fp, field_keys, KEY_PID + 1, "text");
	fields_print(fp, fields, FIELD_COUNT, "text");
	fprintf(fp, "\nRegions CSV columns (after timestamp,elapsed_s,pid,"
		    "region,kind):\n");
	fields_print(fp, region_fields, REGION_FIELD_COUNT, "text");
	fields_print(fp, field_keys + KEY_SOURCE, KEY_COUNT - KEY_SOURCE,
		     "text");
	fprintf(fp, "\nSee memtrend(1) for details.\n");
}

static int
cmd_watch_parse_pid(const char *text, pid_t *pid, struct error *err)
{
	uint64_t n;

	if (units_parse_count(text, &n, NULL) < 0 || n > 4194304)
		return error_set(err, EINVAL,
				 "invalid pid '%s' (use a "
				 "process ID from ps or pgrep)",
				 text);
	*pid = (pid_t)n;
	return 0;
}

static int
cmd_watch_parse_group(const char *text, enum region_group *group,
		      struct error *err)
{
	if (strcmp(text, "kind") == 0)
		*group = REGION_GROUP_KIND;
	else if (strcmp(text, "path") == 0)
		*group = REGION_GROUP_PATH;
	else if (strcmp(text, "mapping") == 0)
		*group = REGION_GROUP_MAPPING;
	else
		return error_set(err, EINVAL,
				 "invalid --group-by '%s' (use "
				 "kind, path or mapping)",
				 text);
	return 0;
}

/* A set of targets (--all-matching, --tree, --cgroup): judged by its
 * sum, found again every tick. */
static int
cmd_watch_set(struct cmd_watch *c)
{
	struct targets_spec *sp = &c->set;

	memset(sp, 0, sizeof *sp);
	sp->root = c->watch.root;
	if (c->all_matching) {
		sp->kind = TARGETS_NAME;
		sp->name = c->name;
	} else if (c->tree) {
		sp->kind = TARGETS_TREE;
	} else if (c->cgroup != NULL) {
		sp->kind = TARGETS_CGROUP;
		sp->cgroup = c->cgroup;
	} else {
		return 0;
	}
	c->watch.set = sp;
	return 0;
}

static int
cmd_watch_check(struct cmd_watch *c, int argc, char **argv, struct error *err)
{
	int targets;

	if (optind < argc)
		c->command = argv + optind;
	/* A command memtrend starts is a test run: no daily cycle. */
	c->watch.daily_cycle =
	    c->daily_cycle >= 0 ? c->daily_cycle == 1 : c->command == NULL;
	if (c->action != CMD_WATCH_RUN)
		return 0;
	if (c->plot_out != NULL &&
	    (c->watch.csv_path == NULL || strcmp(c->watch.csv_path, "-") == 0))
		return error_set(err, EINVAL,
				 "--plot draws the chart from the "
				 "run's CSV: give -o FILE.csv too");
	targets = (c->pid > 0) + (c->name != NULL) + (c->command != NULL) +
		  (c->cgroup != NULL);
	if (targets == 0)
		return error_set(err, EINVAL,
				 "nothing to watch: give -p PID, "
				 "-n NAME, --cgroup DIR or a command");
	if (targets > 1)
		return error_set(err, EINVAL,
				 "give only one of -p PID, "
				 "-n NAME, --cgroup DIR or a command");
	if (c->all_matching && c->name == NULL)
		return error_set(err, EINVAL,
				 "--all-matching goes with -n NAME");
	if (c->tree && c->pid <= 0 && c->command == NULL)
		return error_set(err, EINVAL,
				 "--tree goes with -p PID or a command");
	return cmd_watch_set(c);
}

/* The defaults of every option (memtrend(1)). */
static void
cmd_watch_defaults(struct cmd_watch *c)
{
	memset(c, 0, sizeof *c);
	c->action = CMD_WATCH_RUN;
	c->watch.interval_ns = UNITS_NS_PER_S;
	c->watch.live = true;
	c->watch.metric = VERDICT_AUTO;
	c->daily_cycle = -1;
	c->watch.root = root_default();
	c->watch.budget = 0.02;
	c->watch.top_regions = 5;
	c->watch.allow_clear_refs = true;
	c->watch.idle_sample = 256;
	c->watch.fault_period = 1;
	plot_opts_init(&c->plot);
}

/* Target, sampling, output and verdict options; 1: not one of them. */
static int
cmd_watch_option(struct cmd_watch *c, int opt, struct error *err)
{
	struct watch_opts *w = &c->watch;
	uint64_t n;
	int rc = 0;

	switch (opt) {
	case 'p':
		rc = cmd_watch_parse_pid(optarg, &c->pid, err);
		break;

	case 'n':
		if (*optarg == '\0')
			rc = error_set(err, EINVAL, "empty name for -n");
		c->name = optarg;
		break;

	case 'e':
		rc = units_parse_duration(optarg, &w->interval_ns, err);
		break;

	case 'c':
		rc = units_parse_count(optarg, &w->count, err);
		break;

	case 'd':
		rc = units_parse_duration(optarg, &n, err);
		w->duration_ns = n;
		break;

	case 'o':
		w->csv_path = optarg;
		break;

	case 'f':
		w->force = true;
		break;

	case 'q':
		w->live = false;
		break;

	case OPT_BUDGET:
		rc = units_parse_percent(optarg, &w->budget, err);
		break;

	case OPT_KIB:
		w->raw_kib = true;
		break;

	case OPT_METRIC:
		rc = verdict_parse_metric(optarg, &w->metric, err);
		break;

	case OPT_FAIL_ON_GROWTH:
		c->fail_on_growth = true;
		break;

	case OPT_NO_DAILY_CYCLE:
	case OPT_DAILY_CYCLE:
		c->daily_cycle = opt == OPT_DAILY_CYCLE ? 1 : 0;
		break;

	case OPT_PLOT:
		c->plot_out = optarg;
		break;

	case OPT_ALL_MATCHING:
		c->all_matching = true;
		break;

	case OPT_TREE:
		c->tree = true;
		break;

	case OPT_CGROUP:
		if (*optarg == '\0')
			rc = error_set(err, EINVAL,
				       "empty directory for "
				       "--cgroup");
		c->cgroup = optarg;
		break;
	default:
		return 1;
	}
	return rc;
}

/* Per-region options (--regions, --pages, --idle, --faults...); 1: not
 * one of them. */
static int
cmd_watch_region_option(struct cmd_watch *c, int opt, struct error *err)
{
	struct watch_opts *w = &c->watch;
	uint64_t n;
	int rc = 0;

	switch (opt) {
	case OPT_REGIONS:
		w->regions = true;
		if (optarg != NULL) {
			rc = units_parse_count(optarg, &n, err);
			w->top_regions = (size_t)n;
		}
		break;

	case OPT_REGIONS_CSV:
		w->regions = true;
		w->regions_csv_path = optarg;
		break;

	case OPT_PAGES:
		w->regions = true;
		w->pages = true;
		break;

	case OPT_GROUP_BY:
		rc = cmd_watch_parse_group(optarg, &w->group, err);
		break;

	case OPT_IDLE:
		w->regions = true;
		w->idle = true;
		break;

	case OPT_NO_CLEAR_REFS:
		w->allow_clear_refs = false;
		break;

	case OPT_FAULTS:
		w->faults = true;
		break;

	case OPT_FAULT_ADDRESSES:
		w->faults = true;
		w->fault_addresses = true;
		w->regions = true;
		break;

	case OPT_FAULT_PERIOD:
		rc = units_parse_count(optarg, &n, err);
		w->fault_period = (unsigned int)(n > 1000000 ? 1000000 : n);
		break;

	case OPT_IDLE_SAMPLE:
		rc = units_parse_count(optarg, &n, err);
		w->idle_sample = (unsigned int)(n > 1u << 20 ? 1u << 20 : n);
		break;
	default:
		return 1;
	}
	return rc;
}

int
cmd_watch_parse(struct cmd_watch *c, int argc, char **argv, struct error *err)
{
	int opt, rc = 0;

	cmd_watch_defaults(c);
	optind = 0;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, "+:p:n:e:c:d:o:fqhV",
					     cmd_watch_options, NULL)) != -1) {
		if ((rc = cmd_watch_option(c, opt, err)) != 1 ||
		    (rc = cmd_watch_region_option(c, opt, err)) != 1)
			continue;
		rc = 0;
		switch (opt) {
		case OPT_PROBE:
			c->action = CMD_WATCH_PROBE;
			break;
		case OPT_ROOT:
			c->watch.root = optarg;
			break;
		case OPT_LIST_FIELDS:
			c->action = CMD_WATCH_FIELDS;
			c->fields_format = optarg != NULL ? optarg : "text";
			break;
		case 'h':
			c->action = CMD_WATCH_HELP;
			return 0;
		case 'V':
			c->action = CMD_WATCH_VERSION;
			return 0;
		case ':':
			return error_set(err, EINVAL, "option %s needs a value",
					 argv[optind - 1]);
		default:
			return error_set(err, EINVAL, "unknown option '%s'",
					 argv[optind - 1]);
		}
	}
	if (rc < 0)
		return rc;
	if ((c->watch.csv_path != NULL &&
	     strcmp(c->watch.csv_path, "-") == 0) ||
	    (c->watch.regions_csv_path != NULL &&
	     strcmp(c->watch.regions_csv_path, "-") == 0))
		c->watch.live = false; /* stdout carries the CSV */
	if (c->watch.csv_path != NULL && c->watch.regions_csv_path != NULL &&
	    strcmp(c->watch.csv_path, c->watch.regions_csv_path) == 0)
		return error_set(err, EINVAL,
				 "-o and --regions-csv name the "
				 "same file '%s'",
				 c->watch.csv_path);
	return cmd_watch_check(c, argc, argv, err);
}

/* A set found by name or cgroup must have someone in it at the start;
 * it has no anchor process (t is left empty). */
static int
cmd_watch_set_present(const struct cmd_watch *c, struct target *t,
		      struct error *err)
{
	const struct targets_found *found;
	struct targets *ts;
	char what[300];
	long n;

	memset(t, 0, sizeof *t);
	t->proc_fd = -1;
	if (targets_open(&ts, c->watch.set, err) < 0)
		return -1;
	n = targets_scan(ts, &found, err);
	targets_close(ts);
	if (n < 0)
		return (int)n;
	targets_describe(c->watch.set, what, sizeof what);
	if (n == 0)
		return error_set(err, ESRCH,
				 "nothing to watch: no process is in the set "
				 "(%s); check with ps",
				 what);
	return 0;
}

static int
cmd_watch_find_target(const struct cmd_watch *c, struct target *t,
		      struct error *err)
{
	if (c->watch.set != NULL && c->watch.set->kind != TARGETS_TREE)
		return cmd_watch_set_present(c, t, err);
	if (c->pid > 0)
		return target_from_pid(t, c->watch.root, c->pid, err);
	if (c->name != NULL)
		return target_from_name(t, c->watch.root, c->name, err);
	return target_launch(t, c->watch.root, c->command, err);
}

static void
cmd_watch_announce(const struct cmd_watch *c, const struct target *t)
{
	char every[32], what[300];

	units_format_duration(every, sizeof every,
			      (double)c->watch.interval_ns / 1e9);
	if (c->watch.set != NULL) {
		struct targets_spec sp = *c->watch.set;

		sp.pid = t->pid; /* --tree: the process found or started */
		targets_describe(&sp, what, sizeof what);
		term_notice("watching %s every %s%s%s; Ctrl-C to stop", what,
			    every, c->watch.csv_path != NULL ? ", CSV to " : "",
			    c->watch.csv_path != NULL ? c->watch.csv_path : "");
		return;
	}
	term_notice("watching pid %d (%s) every %s%s%s; Ctrl-C to stop",
		    (int)t->pid, t->comm, every,
		    c->watch.csv_path != NULL ? ", CSV to " : "",
		    c->watch.csv_path != NULL ? c->watch.csv_path : "");
}

/* --plot: the growth chart of the run's own CSV. */
static int
cmd_watch_plot(const struct cmd_watch *c, FILE *out)
{
	struct plot_opts o = c->plot;
	struct error err;

	o.csv = c->watch.csv_path;
	o.out = c->plot_out;
	o.force = c->watch.force;
	o.metric = c->watch.metric;
	o.daily_cycle = c->watch.daily_cycle;
	o.chart = PLOT_GROWTH;
	if (plot_run(&o, &err) < 0)
		return cmd_fail(&err);
	fprintf(out, "chart: %s\n", o.out);
	return 0;
}

/* Checks every output before the target is found or started. */
static int
cmd_watch_check_outputs(const struct cmd_watch *c, struct error *err)
{
	int rc = 0;

	if (c->watch.csv_path != NULL)
		rc = output_check(c->watch.csv_path, c->watch.force, err);
	if (rc == 0 && c->watch.regions_csv_path != NULL)
		rc = output_check(c->watch.regions_csv_path, c->watch.force,
				  err);
	if (rc == 0 && c->plot_out != NULL)
		rc = plot_check(c->plot_out, c->watch.force, err);
	return rc;
}

/* A set's recap: each process watched, fastest growth first. */
static void
cmd_watch_members(FILE *out, const struct watch_result *res, bool raw_kib)
{
	struct rank_row *rows = xcalloc(res->nmembers + 1, sizeof *rows);
	size_t i, n = 0, gone = 0;

	for (i = 0; i < res->nmembers; i++) {
		const struct watch_member *m = res->members[i];

		if (m == res->judged || m->summary.samples == 0)
			continue;
		gone += !isnan(m->left_s);
		rows[n].pid = m->t.pid;
		rows[n].comm = m->t.comm;
		rows[n].cmdline = m->cmdline;
		rows[n].summary = &m->summary;
		rows[n].verdict = &m->verdict;
		rows[n].rate_kb_h = watch_member_rate(m);
		n++;
	}
	rank_sort(rows, n);
	fprintf(out,
		"\nprocesses: %zu watched, %zu of them gone before the end\n",
		n, gone);
	rank_table(out, rows, n, n, raw_kib, 80);
	free(rows);
}

/* The recap of a run that took samples or ended cleanly, the files
 * written, --plot, and the exit status growth asks for. */
static int
cmd_watch_recap(const struct cmd_watch *c, const struct watch_result *res,
		FILE *out, int code)
{
	const struct watch_member *j = res->judged;

	recap_table(out, &j->summary, c->watch.raw_kib,
		    (double)c->watch.interval_ns / 1e9, res->overruns);
	recap_regions(out, &j->regions, c->watch.raw_kib, c->watch.top_regions);
	recap_idle(out, &j->regions, c->watch.raw_kib, c->watch.top_regions);
	/* A run of N samples spans N intervals, even when it ended at the
	 * last one. */
	recap_tiers(out, &res->tiers, j->summary.last_s - j->summary.first_s,
		    fmax(res->elapsed_s, (double)j->summary.samples *
					     (double)c->watch.interval_ns /
					     1e9));
	if (c->watch.csv_path != NULL && strcmp(c->watch.csv_path, "-") != 0)
		fprintf(out, "CSV: %lu row%s in %s\n", res->csv_rows,
			res->csv_rows == 1 ? "" : "s", c->watch.csv_path);
	if (c->watch.regions_csv_path != NULL &&
	    strcmp(c->watch.regions_csv_path, "-") != 0)
		fprintf(out, "regions CSV: %lu region sample%s in %s\n",
			res->regions_csv_samples,
			res->regions_csv_samples == 1 ? "" : "s",
			c->watch.regions_csv_path);
	if (res->faults_lost > 0)
		fprintf(
		    out,
		    "  %llu fault-address samples were lost (ring "
		    "buffer full): the per-region fault rates share out the "
		    "counted faults in proportion; --fault-period N samples "
		    "fewer\n",
		    (unsigned long long)res->faults_lost);
	recap_verdict(out, &j->verdict);
	if (c->watch.set != NULL)
		cmd_watch_members(out, res, c->watch.raw_kib);
	if (c->plot_out != NULL && res->csv_rows > 0 &&
	    cmd_watch_plot(c, out) != 0 && code == 0)
		code = CMD_EXIT_ERROR;
	/* An error, then the command's own failure, win over growth. */
	if (code == 0 && c->fail_on_growth &&
	    verdict_evidence(&j->verdict)->verdict == TREND_GROWING)
		code = CMD_EXIT_GROWING;
	return code;
}

static int
cmd_watch_loop(const struct cmd_watch *c)
{
	struct watch_result res;
	struct target t;
	struct error err;
	FILE *out;
	int code = 0;

	if (cmd_watch_check_outputs(c, &err) < 0 ||
	    cmd_watch_find_target(c, &t, &err) < 0)
		return cmd_fail(&err);
	cmd_watch_announce(c, &t);
	watch_run(&c->watch,
		  c->watch.set == NULL || c->watch.set->kind == TARGETS_TREE
		      ? &t
		      : NULL,
		  &res);
	if (t.launched && !t.reaped)
		target_stop(&t);

	/* stdout may be carrying a CSV ("-o -"). */
	out = c->watch.live || c->watch.csv_path == NULL ||
		      strcmp(c->watch.csv_path, "-") != 0
		  ? stdout
		  : stderr;
	if (c->watch.regions_csv_path != NULL &&
	    strcmp(c->watch.regions_csv_path, "-") == 0)
		out = stderr;
	if (res.end == WATCH_END_ERROR) {
		code = cmd_fail(&res.why);
	} else if (res.end == WATCH_END_TARGET_EXIT) {
		term_notice("%s", res.why.msg);
		if (t.launched)
			code = target_exit_code(&t);
	}
	if (res.judged != NULL &&
	    (res.judged->summary.samples > 0 || res.end != WATCH_END_ERROR))
		code = cmd_watch_recap(c, &res, out, code);
	watch_result_free(&res);
	target_close(&t);
	return code;
}

static int
cmd_watch_run(int argc, char **argv)
{
	struct cmd_watch c;
	struct error err;

	if (cmd_watch_parse(&c, argc, argv, &err) < 0)
		return cmd_usage_error(&err);
	switch (c.action) {
	case CMD_WATCH_HELP:
		cmd_watch_usage(stdout);
		return 0;
	case CMD_WATCH_VERSION:
		printf("memtrend %s\n", PACKAGE_VERSION);
		return 0;
	case CMD_WATCH_FIELDS:
		if (strcmp(c.fields_format, "man-regions") == 0)
			fields_print(stdout, region_fields, REGION_FIELD_COUNT,
				     "man");
		else
			fields_print(stdout, fields, FIELD_COUNT,
				     c.fields_format);
		return 0;
	case CMD_WATCH_PROBE:
		return cmd_probe_run(c.watch.root, c.pid);
	case CMD_WATCH_RUN:
		break;
	}
	return cmd_watch_loop(&c);
}

const struct cmd_entry cmd_watch_entry = {
    .name = "watch",
    .word = false,
    .options = cmd_watch_options,
    .usage = cmd_watch_usage,
    .run = cmd_watch_run,
};
