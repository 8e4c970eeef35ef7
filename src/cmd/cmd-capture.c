/*
 * memtrend capture -p PID | -n NAME | -- COMMAND -o FILE.mtc: the
 * embedded mode's device side.  The sampling loop (watch.c) runs with
 * the capture archive as its one sink (sinks/archive.c; the format:
 * docs/archive.md) and no live rows; analyze, plot, report and export
 * read the archive later, on another machine.  This file is the whole
 * command line of the capture-only build.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/watch.h"
#include "sinks/term.h"
#include "util/root.h"
#include "util/units.h"

enum {
	OPT_REGIONS = 256,
	OPT_SYSTEM,
	OPT_MAX_SIZE,
	OPT_NO_SYNC,
	OPT_BUDGET,
	OPT_ROOT,
	OPT_ESTIMATE,
	OPT_NO_ESTIMATE,
};

static const struct option cmd_capture_options[] = {
    {"pid", required_argument, NULL, 'p'},
    {"name", required_argument, NULL, 'n'},
    {"every", required_argument, NULL, 'e'},
    {"count", required_argument, NULL, 'c'},
    {"duration", required_argument, NULL, 'd'},
    {"output", required_argument, NULL, 'o'},
    {"regions", no_argument, NULL, OPT_REGIONS},
    {"system", no_argument, NULL, OPT_SYSTEM},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"no-sync", no_argument, NULL, OPT_NO_SYNC},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"root", required_argument, NULL, OPT_ROOT},
    {"estimate", no_argument, NULL, OPT_ESTIMATE},
    {"no-estimate", no_argument, NULL, OPT_NO_ESTIMATE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* -n NAME and -p PID given at most this often in one capture. */
#define CMD_CAPTURE_SETS 16

struct cmd_capture {
	struct watch_opts watch;
	struct archive_opts archive;
	pid_t pid; /* the one -p PID, captured alone */
	/* Each -n NAME and -p PID; when there is one -p alone, pid. */
	struct targets_spec sets[CMD_CAPTURE_SETS];
	size_t nsets, nnames;
	char **command;
	bool help;
};

static void
cmd_capture_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend capture [-p PID]... [-n NAME]... | -- COMMAND "
	    "[ARGS]\n"
	    "                        -o FILE.mtc\n"
	    "\n"
	    "Capture processes' memory to a compact, crash-safe archive, "
	    "to analyse\n"
	    "later elsewhere: memtrend analyze|plot|report FILE.mtc, "
	    "memtrend export\n"
	    "FILE.mtc -o FILE.csv.  An existing archive is appended to.\n"
	    "\n"
	    "  -p, --pid PID         capture the process with this PID, "
	    "until it exits;\n"
	    "                        repeat, or add -n, for several\n"
	    "  -n, --name NAME       capture every process with this command "
	    "name, and\n"
	    "                        the new ones when it restarts, until "
	    "stopped;\n"
	    "                        repeat for several names (each process "
	    "is a\n"
	    "                        target of its own in the archive)\n"
	    "  -- COMMAND [ARGS]     start COMMAND and capture it until it "
	    "exits\n"
	    "  -o, --output FILE     the archive (required)\n"
	    "  -e, --every INTERVAL  time between samples (default 1s)\n"
	    "  -c, --count N         stop after N samples\n"
	    "  -d, --duration D      stop after D (e.g. 30s, 1h, 2d)\n"
	    "      --regions         per-region samples from smaps too\n"
	    "      --system          the system's /proc/meminfo each sample "
	    "too (export\n"
	    "                        --system-csv writes them as memtrend "
	    "kernel's CSV)\n"
	    "      --max-size SIZE   keep the archive under SIZE (e.g. 8M): "
	    "a ring of\n"
	    "                        FILE.1 and FILE, the oldest records "
	    "dropped first\n"
	    "      --no-sync         do not fdatasync() after each sample "
	    "(a power\n"
	    "                        cut may then lose the last seconds)\n"
	    "      --budget PCT      CPU budget of one core (default 2%%)\n"
	    "      --estimate        estimate USS and PSS from a sample of "
	    "pages every tick\n"
	    "                        the budget allows, beside the exact "
	    "reads (default:\n"
	    "                        only when the budget cannot read them "
	    "every tick)\n"
	    "      --no-estimate     exact reads only, however rare the "
	    "budget makes them\n"
	    "      --root DIR        read /proc under DIR (tests)\n"
	    "  -h, --help            this help\n"
	    "\n"
	    "Exit status: 0 done; 2 error; with COMMAND, its own non-zero "
	    "status.\n");
}

/* Room for one more -n or -p. */
static int
cmd_capture_add(struct cmd_capture *c, int opt, struct error *err)
{
	if (c->nsets == CMD_CAPTURE_SETS)
		return error_set(err, EINVAL,
				 "-%c: more than %d -n and -p in one capture: "
				 "capture fewer processes in one archive",
				 opt, CMD_CAPTURE_SETS);
	memset(&c->sets[c->nsets++], 0, sizeof c->sets[0]);
	return 0;
}

static int
cmd_capture_option(struct cmd_capture *c, int opt, char **argv,
		   struct error *err)
{
	struct watch_opts *w = &c->watch;
	char *end;
	long pid;

	switch (opt) {
	case 'p':
		errno = 0;
		pid = strtol(optarg, &end, 10);
		if (errno != 0 || *end != '\0' || pid <= 0 || pid > 1 << 22)
			return error_set(err, EINVAL,
					 "-p needs a process ID, not '%s'",
					 optarg);
		if (cmd_capture_add(c, opt, err) < 0)
			return -EINVAL;
		c->sets[c->nsets - 1].kind = TARGETS_PID;
		c->sets[c->nsets - 1].pid = (pid_t)pid;
		return 0;
	case 'n':
		if (*optarg == '\0')
			return error_set(err, EINVAL, "empty name for -n");
		if (cmd_capture_add(c, opt, err) < 0)
			return -EINVAL;
		c->sets[c->nsets - 1].kind = TARGETS_NAME;
		c->sets[c->nsets - 1].name = optarg;
		c->nnames++;
		return 0;
	case 'e':
		return units_parse_duration(optarg, &w->interval_ns, err);
	case 'c':
		return units_parse_count(optarg, &w->count, err);
	case 'd':
		return cmd_parse_duration(optarg, &w->duration_ns, err);
	case 'o':
		c->archive.path = optarg;
		return 0;
	case OPT_REGIONS:
		w->regions = true;
		return 0;
	case OPT_SYSTEM:
		w->system_samples = true;
		return 0;
	case OPT_MAX_SIZE:
		return units_parse_size(optarg, &c->archive.max_bytes, err);
	case OPT_NO_SYNC:
		c->archive.sync = false;
		return 0;
	case OPT_BUDGET:
		return units_parse_percent(optarg, &w->budget, err);
	case OPT_ROOT:
		w->root = optarg;
		return 0;
	case OPT_ESTIMATE:
		w->estimate = WATCH_ESTIMATE_ALWAYS;
		return 0;
	case OPT_NO_ESTIMATE:
		w->estimate = WATCH_ESTIMATE_NEVER;
		return 0;
	case 'h':
		c->help = true;
		return 0;
	case ':':
		return error_set(err, EINVAL, "option %s needs a value",
				 argv[optind - 1]);
	default:
		return error_set(err, EINVAL, "unknown option '%s' for capture",
				 argv[optind - 1]);
	}
}

static int
cmd_capture_parse(struct cmd_capture *c, int argc, char **argv,
		  struct error *err)
{
	int opt, rc = 0, targets;

	optind = 0;
	opterr = 0;
	while (rc == 0 && !c->help &&
	       (opt = getopt_long(argc, argv, "+:p:n:e:c:d:o:h",
				  cmd_capture_options, NULL)) != -1)
		rc = cmd_capture_option(c, opt, argv, err);
	/* A bad value names its option, as the main command's do. */
	if (rc < 0 && (opt == 'e' || opt == 'c' || opt == 'd' ||
		       opt == OPT_BUDGET || opt == OPT_MAX_SIZE))
		rc = cmd_option_error(err, cmd_capture_options, opt);
	if (rc < 0 || c->help)
		return rc;
	if (optind < argc)
		c->command = argv + optind;
	targets = (c->nsets > 0) + (c->command != NULL);
	if (targets != 1)
		return error_set(err, EINVAL,
				 targets == 0 ? "nothing to capture: give -p "
						"PID, -n NAME or -- COMMAND"
					      : "give -p PID and -n NAME "
						"(each repeatable), or a "
						"command, not both");
	/* One -p alone: one target, as ever. */
	if (c->nsets == 1 && c->nnames == 0) {
		c->pid = c->sets[0].pid;
		c->nsets = 0;
	}
	if (c->archive.path == NULL)
		return error_set(err, EINVAL,
				 "capture needs -o FILE.mtc, the archive to "
				 "write");
	if (c->archive.max_bytes != 0 && c->archive.max_bytes < 4096)
		return error_set(err, EINVAL,
				 "--max-size %llu bytes is too small to hold "
				 "a sample: give at least 4K",
				 (unsigned long long)c->archive.max_bytes);
	return 0;
}

/* Where and when this capture runs: the session record's facts. */
static void
cmd_capture_session(struct cmd_capture *c)
{
	struct archive_session *s = &c->archive.session;
	struct timespec now;
	struct utsname u;
	char *nl;

	snprintf(s->version, sizeof s->version, "%s", PACKAGE_VERSION);
	if (uname(&u) == 0) {
		snprintf(s->kernel, sizeof s->kernel, "%s", u.release);
		snprintf(s->arch, sizeof s->arch, "%s", u.machine);
		snprintf(s->hostname, sizeof s->hostname, "%s", u.nodename);
	}
	if (root_read_file(c->watch.root, "/proc/sys/kernel/random/boot_id",
			   s->boot_id, sizeof s->boot_id) < 0)
		s->boot_id[0] = '\0';
	if ((nl = strchr(s->boot_id, '\n')) != NULL)
		*nl = '\0';
	s->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	clock_gettime(CLOCK_REALTIME, &now);
	s->origin_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	s->interval_ms = c->watch.interval_ns / 1000000;
}

static int
cmd_capture_find(const struct cmd_capture *c, struct target *t,
		 struct error *err)
{
	if (c->pid > 0)
		return target_from_pid(t, c->watch.root, c->pid, err);
	return target_launch(t, c->watch.root, c->command, err);
}

/* The sets: each -p's process must be there now (its start time names
 * it from then on); "pid 42 (web), pid 43 (db) and every process named
 * 'web' or 'audiod'" goes to buf (escaped for the terminal by
 * term_notice). */
static int
cmd_capture_sets(struct cmd_capture *c, char *buf, size_t len,
		 struct error *err)
{
	struct targets_spec *sp;
	struct target t;
	char names[256] = "";
	size_t i, used, named = 0;
	int rc;

	buf[0] = '\0';
	for (i = 0; i < c->nsets; i++) {
		sp = &c->sets[i];
		sp->root = c->watch.root;
		if (sp->kind == TARGETS_NAME) {
			used = strlen(names);
			snprintf(names + used, sizeof names - used, "%s'%s'",
				 named == 0		  ? ""
				 : named + 1 == c->nnames ? " or "
							  : ", ",
				 sp->name);
			named++;
			continue;
		}
		if ((rc = target_from_pid(&t, c->watch.root, sp->pid, err)) < 0)
			return rc;
		sp->start_ticks = t.start_ticks;
		used = strlen(buf);
		snprintf(buf + used, len - used, "%spid %d (%s)",
			 used > 0 ? ", " : "", (int)t.pid, t.comm);
		target_close(&t);
	}
	if (named > 0) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%severy process named %s",
			 used > 0 ? " and " : "", names);
	}
	return 0;
}

static int
cmd_capture_loop(struct cmd_capture *c)
{
	struct watch_result res;
	struct target t;
	struct error err;
	char every[32], who[512];
	int code = 0;

	target_reset(&t);
	if (c->nsets > 0 ? cmd_capture_sets(c, who, sizeof who, &err) < 0
			 : cmd_capture_find(c, &t, &err) < 0)
		return cmd_fail(&err);
	if (c->nsets == 0)
		snprintf(who, sizeof who, "pid %d (%s)", (int)t.pid, t.comm);
	cmd_capture_session(c);
	c->watch.archive = &c->archive;
	c->watch.sets = c->sets;
	c->watch.nsets = c->nsets;
	units_format_duration(every, sizeof every,
			      (double)c->watch.interval_ns / 1e9);
	term_notice("capturing %s every %s to %s; Ctrl-C to stop", who, every,
		    c->archive.path);
	watch_run(&c->watch, c->nsets > 0 ? NULL : &t, &res);
	if (t.launched && !t.reaped)
		target_stop(&t);
	if (res.end == WATCH_END_ERROR) {
		code = cmd_fail(&res.why);
	} else {
		if (res.why.msg[0] != '\0')
			term_notice("%s", res.why.msg);
		if (res.end == WATCH_END_TARGET_EXIT && t.launched)
			code = target_exit_code(&t);
	}
	term_notice("%llu sample%s, %llu bytes (%.1f bytes a sample) to %s%s",
		    (unsigned long long)res.archive.samples,
		    res.archive.samples == 1 ? "" : "s",
		    (unsigned long long)res.archive.bytes,
		    res.archive.samples > 0 ? (double)res.archive.bytes /
						  (double)res.archive.samples
					    : 0.0,
		    c->archive.path,
		    res.archive.rotations > 0 ? " (ring: older records "
						"dropped)"
					      : "");
	watch_result_free(&res);
	target_close(&t);
	return code;
}

static int
cmd_capture_run(int argc, char **argv)
{
	struct cmd_capture c;
	struct error err;

	memset(&c, 0, sizeof c);
	c.watch.interval_ns = UNITS_NS_PER_S;
	c.watch.metric = VERDICT_AUTO;
	c.watch.root = root_default();
	c.watch.budget = 0.02;
	c.watch.no_verdict = true;
	c.watch.idle_sample = 256;
	c.watch.fault_period = 1;
	c.archive.sync = true;
	if (cmd_capture_parse(&c, argc, argv, &err) < 0)
		return cmd_usage_error("capture", &err);
	if (c.help) {
		cmd_capture_usage(stdout);
		return 0;
	}
	c.watch.daily_cycle = c.command == NULL;
	return cmd_capture_loop(&c);
}

const struct cmd_entry cmd_capture_entry = {
    .name = "capture",
    .word = true,
    .options = cmd_capture_options,
    .usage = cmd_capture_usage,
    .run = cmd_capture_run,
};
