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
#include "sinks/jsonl.h"
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
	OPT_JSON_LINES,
	OPT_ESTIMATE,
	OPT_NO_ESTIMATE,
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
    {"estimate", no_argument, NULL, OPT_ESTIMATE},
    {"no-estimate", no_argument, NULL, OPT_NO_ESTIMATE},
    {"probe", no_argument, NULL, OPT_PROBE},
    {"root", required_argument, NULL, OPT_ROOT},
    {"list-fields", optional_argument, NULL, OPT_LIST_FIELDS},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"fail-on-growth", no_argument, NULL, OPT_FAIL_ON_GROWTH},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"plot", required_argument, NULL, OPT_PLOT},
    {"json-lines", no_argument, NULL, OPT_JSON_LINES},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static const struct cmd_help cmd_watch_help[] = {
    {"Target (one of):", NULL},
    {"  -p, --pid PID", "watch the process with this PID"},
    {"  -n, --name NAME", "watch the one process with this command name"},
    {"  [--] COMMAND [ARGS]",
     "start COMMAND and watch it until it exits (see Exit status)"},
    {"      --all-matching", "with -n: every process so named, and their sum"},
    {"      --tree", "with -p or COMMAND: the process and its descendants"},
    {"      --cgroup DIR",
     "every process in a cgroup directory (absolute, or under "
     "/sys/fs/cgroup)"},
    {"", "a set is judged by its sum; its CSV is long format: a row per "
	 "process per sample, then the sum's (pid 0), with comm and cmdline "
	 "columns"},
    {"", NULL},
    {"Sampling:", NULL},
    {"  -e, --every INTERVAL",
     "time between samples (default 1s; e.g. 250ms, 5m)"},
    {"  -c, --count N", "stop after N samples"},
    {"  -d, --duration D", "stop after D (e.g. 30s, 1h, 2d)"},
    {"      --budget PCT",
     "CPU budget for sampling, of one core (default 2%); heavy sources are "
     "spaced out to stay within it; 100% samples everything every tick"},
    {"", NULL},
    {"Where (per region):", NULL},
    {"      --regions[=N]",
     "sample each region (heap, stacks, anonymous memory, each file's code "
     "and data, shared memory...) from smaps and list the N (default 5) "
     "that grew most; the value needs '=': --regions=3"},
    {"      --pages",
     "exact page-level accounting per region from pagemap (+ kpagecount "
     "and kpageflags as root)"},
    {"      --regions-csv FILE",
     "log every region sample to FILE (long format)"},
    {"      --group-by HOW", "kind (default), path, or mapping"},
    {"      --idle",
     "per region: share of pages not accessed since the previous region "
     "sample, and how long they stayed idle (page_idle, else soft-dirty, "
     "else clear_refs + Referenced)"},
    {"      --no-clear-refs", "never clear the target's accessed bits"},
    {"      --idle-sample N", "pages followed per region (default 256)"},
    {"      --estimate",
     "estimate USS and PSS (and each region) from a sample of pages every "
     "tick the budget allows, beside the exact reads (default: only when "
     "the budget cannot read them exactly every tick)"},
    {"      --no-estimate", "exact reads only, however rare the budget "
			    "makes them"},
    {"      --faults",
     "count page faults of every thread with perf events (else the stat "
     "counters)"},
    {"      --fault-addresses",
     "also sample where faults happen: faults per second per region; "
     "" CMD_HELP_FAULT_ADDRESSES},
    {"      --fault-period N", "one address sample every N faults (default 1)"},
    {"", NULL},
    {"Output:", NULL},
    {"  -o, --output FILE",
     "log every sample to FILE as CSV (\"-\": standard output), or as JSON "
     "lines when FILE ends in .ndjson or .jsonl"},
    {"      --json-lines",
     "-o writes JSON lines, one object per sample; without -o, to standard "
     "output"},
    {"  -f, --force", "overwrite FILE if it exists"},
    {"  -q, --quiet", "no live rows, only the summary"},
    {"      --plot CHART",
     "at the end, draw the growth chart of the -o CSV (.png, .svg or .pdf; "
     "needs gnuplot)"},
    {"      --kib", "print sizes as plain KiB instead of human units"},
    {"", NULL},
    {"Verdict:", NULL},
    {"      --metric M", "judge uss, pss or rss (" CMD_HELP_METRIC_DEFAULT ")"},
    {"      --fail-on-growth",
     "exit 1 when the verdict at the end is 'growing'"},
    {"      --no-daily-cycle",
     "no daily cycle to wait for (the default with a COMMAND: a test run); "
     "--daily-cycle: wait for one (the default with -p and -n: a server)"},
    {"", NULL},
    {"Other:", NULL},
    {"      --probe",
     "show what this kernel and these privileges allow (with -p PID: for "
     "that process; exit status 2 when it cannot be watched)"},
    {"      --root DIR",
     "read /proc and /sys under DIR (tests; also MEMTREND_ROOT)"},
    {"      --list-fields", CMD_HELP_LIST_FIELDS},
    {"  -h, --help", "this help"},
    {"  -V, --version", "version"},
    {NULL, NULL},
};

void
cmd_watch_usage(FILE *fp)
{
	fputs("Usage: memtrend [OPTIONS] -p PID | -n NAME | [--] COMMAND "
	      "[ARGS...]\n"
	      "       memtrend analyze [OPTIONS] FILE.csv   (see analyze "
	      "--help)\n"
	      "       memtrend plot FILE.csv -o CHART      (see plot --help)\n"
	      "       memtrend report FILE.csv -o REPORT.html (see report "
	      "--help)\n"
	      "       memtrend kernel [OPTIONS]            (see kernel "
	      "--help)\n"
	      "       memtrend daemon [--config FILE]      (see daemon "
	      "--help)\n"
	      "       memtrend --probe [-p PID]\n"
	      "\n",
	      fp);
	cmd_help_wrap(fp,
		      "Watch a process's memory (RSS, PSS, USS and more) "
		      "without stopping it: one row per sample, an optional "
		      "CSV or JSON lines log, and a summary at the end that "
		      "says, with evidence, whether memory is growing "
		      "steadily (a leak).",
		      0, 0);
	fputc('\n', fp);
	cmd_help_print(fp, cmd_watch_help);
	fputc('\n', fp);
	cmd_help_wrap(fp,
		      "Exit status: 0 done; 1 growing (with "
		      "--fail-on-growth); 2 error (bad input, unreadable "
		      "target, write failure); " CMD_HELP_EXIT_COMMAND
		      ". An error (2) wins over the command's status, which "
		      "wins over 1.",
		      0, 0);
	fputs("\nSee memtrend(1) for details.\n", fp);
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
				 "invalid grouping '%s' (use "
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

/* --list-fields[=FORMAT]: text (the default), man, man-regions. */
static int
cmd_watch_fields_format(const char *format, struct error *err)
{
	if (strcmp(format, "text") == 0 || strcmp(format, "man") == 0 ||
	    strcmp(format, "man-regions") == 0)
		return 0;
	return error_set(err, EINVAL,
			 "invalid format '%s' (use text, the default, or "
			 "man or man-regions for the man page's tables)",
			 format);
}

static int
cmd_watch_check(struct cmd_watch *c, int argc, char **argv, struct error *err)
{
	int targets;

	if (optind < argc)
		c->command = argv + optind;
	if (c->command != NULL &&
	    cmd_optional_value_error(cmd_watch_options, argc, argv, err) < 0)
		return -EINVAL;
	/* A command memtrend starts is a test run: no daily cycle. */
	c->watch.daily_cycle =
	    c->daily_cycle >= 0 ? c->daily_cycle == 1 : c->command == NULL;
	if (c->action != CMD_WATCH_RUN)
		return 0;
	if (c->plot_out != NULL &&
	    (c->watch.csv_path == NULL || strcmp(c->watch.csv_path, "-") == 0 ||
	     c->watch.json_lines))
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
		if (c->pid > 0)
			return error_set(err, EINVAL,
					 "given twice: give one -p (capture "
					 "-p A -p B keeps several; --cgroup "
					 "DIR watches a set)");
		rc = cmd_watch_parse_pid(optarg, &c->pid, err);
		break;

	case 'n':
		if (c->name != NULL)
			return error_set(err, EINVAL,
					 "given twice: watch one name, or "
					 "every process so named with "
					 "--all-matching (capture takes "
					 "several -n)");
		if (*optarg == '\0')
			rc = error_set(err, EINVAL,
				       "empty name (give a command name, as "
				       "pgrep -l shows it)");
		c->name = optarg;
		break;

	case 'e':
		rc = units_parse_duration(optarg, &w->interval_ns, err);
		break;

	case 'c':
		rc = units_parse_count(optarg, &w->count, err);
		break;

	case 'd':
		rc = cmd_parse_duration(optarg, &n, err);
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
		if (units_parse_percent(optarg, &w->budget, NULL) < 0)
			rc = error_set(err, EINVAL,
				       "invalid percentage '%s' (of one core: "
				       "above 0%% and at most 100%%, e.g. 2%%, "
				       "0.5%%)",
				       optarg);
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
		if (c->cgroup != NULL)
			return error_set(err, EINVAL,
					 "given twice: give one cgroup "
					 "directory (its descendants are in "
					 "it)");
		if (*optarg == '\0')
			rc = error_set(err, EINVAL,
				       "empty directory for "
				       "--cgroup");
		c->cgroup = optarg;
		break;

	case OPT_JSON_LINES:
		w->json_lines = true;
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
			rc = cmd_parse_count(optarg, 1000, &n, err);
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
		rc = cmd_parse_count(optarg, 1000000, &n, err);
		w->fault_period = (unsigned int)n;
		break;

	case OPT_IDLE_SAMPLE:
		rc = cmd_parse_count(optarg, 1u << 20, &n, err);
		w->idle_sample = (unsigned int)n;
		break;

	case OPT_ESTIMATE:
		w->estimate = WATCH_ESTIMATE_ALWAYS;
		break;

	case OPT_NO_ESTIMATE:
		w->estimate = WATCH_ESTIMATE_NEVER;
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
	while ((opt = getopt_long(argc, argv, "+:p:n:e:c:d:o:fqhV",
				  cmd_watch_options, NULL)) != -1) {
		rc = cmd_watch_option(c, opt, err);
		if (rc == 1)
			rc = cmd_watch_region_option(c, opt, err);
		if (rc < 0)
			return cmd_option_error(err, cmd_watch_options, opt);
		if (rc == 0)
			continue;
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
			if (cmd_watch_fields_format(c->fields_format, err) < 0)
				return cmd_option_error(err, cmd_watch_options,
							opt);
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
	/* --json-lines alone: to standard output; -o x.ndjson: by name. */
	if (c->watch.json_lines && c->watch.csv_path == NULL)
		c->watch.csv_path = "-";
	if (c->watch.csv_path != NULL && jsonl_path(c->watch.csv_path))
		c->watch.json_lines = true;
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
	const char *to = c->watch.csv_path;
	char every[32], what[300];

	units_format_duration(every, sizeof every,
			      (double)c->watch.interval_ns / 1e9);
	if (to != NULL && strcmp(to, "-") == 0)
		to = "standard output";
	if (c->watch.set != NULL) {
		struct targets_spec sp = *c->watch.set;

		sp.pid = t->pid; /* --tree: the process found or started */
		targets_describe(&sp, what, sizeof what);
		term_notice("watching %s every %s%s%s; Ctrl-C to stop", what,
			    every,
			    to == NULL		  ? ""
			    : c->watch.json_lines ? ", JSON lines to "
						  : ", CSV to ",
			    to != NULL ? to : "");
		return;
	}
	term_notice("watching pid %d (%s) every %s%s%s; Ctrl-C to stop",
		    (int)t->pid, t->comm, every,
		    to == NULL		  ? ""
		    : c->watch.json_lines ? ", JSON lines to "
					  : ", CSV to ",
		    to != NULL ? to : "");
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
		watch_member_row(m, &rows[n]);
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
	recap_estimates(out, res->estimates_compared, res->estimates_outside);
	if (c->watch.csv_path != NULL && strcmp(c->watch.csv_path, "-") != 0)
		fprintf(out, "%s: %lu %s%s in %s\n",
			c->watch.json_lines ? "JSON lines" : "CSV",
			res->csv_rows, c->watch.json_lines ? "line" : "row",
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

/* Standard output, unless it carries a CSV ("-o -", "--regions-csv -"). */
static FILE *
cmd_watch_out(const struct cmd_watch *c)
{
	const char *csv = c->watch.csv_path, *rcsv = c->watch.regions_csv_path;

	if ((csv != NULL && strcmp(csv, "-") == 0) ||
	    (rcsv != NULL && strcmp(rcsv, "-") == 0))
		return stderr;
	return stdout;
}

/* A launched command that ended before memtrend could identify it (a
 * zombie already): no sample, its own exit status. */
static int
cmd_watch_ended_early(const struct cmd_watch *c, struct target *t)
{
	char how[128];

	target_describe_exit(t, how, sizeof how);
	term_notice("command %s (pid %d) %s before the first sample",
		    c->command[0], (int)t->pid, how);
	fprintf(cmd_watch_out(c), "summary: 0 samples\n");
	target_close(t);
	return target_exit_code(t);
}

static int
cmd_watch_loop(const struct cmd_watch *c)
{
	struct watch_result res;
	struct target t;
	struct error err;
	FILE *out;
	int code = 0, rc;

	if (cmd_watch_check_outputs(c, &err) < 0)
		return cmd_fail(&err);
	rc = cmd_watch_find_target(c, &t, &err);
	if (rc == -ESRCH && t.launched && t.reaped)
		return cmd_watch_ended_early(c, &t);
	if (rc < 0)
		return cmd_fail(&err);
	cmd_watch_announce(c, &t);
	watch_run(&c->watch,
		  c->watch.set == NULL || c->watch.set->kind == TARGETS_TREE
		      ? &t
		      : NULL,
		  &res);
	if (t.launched && !t.reaped)
		target_stop(&t);

	out = cmd_watch_out(c);
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
		return cmd_usage_error(NULL, &err);
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
