/*
 * memtrend kernel: the kernel's own memory over time -- the meminfo
 * series (sources/meminfo.c), every slab cache (sources/slabinfo.c) and
 * every vmalloc caller (sources/vmallocinfo.c) -- judged by the leak
 * detector, series by series (analysis/judge.c).  Contracts: DESIGN.md,
 * "Wide views".
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/judge.h"
#include "cmd/cmd.h"
#include "cmd/stop.h"
#include "core/kernel.h"
#include "sinks/csv.h"
#include "sinks/kernel.h"
#include "sinks/term.h"
#include "sources/meminfo.h"
#include "sources/slabinfo.h"
#include "sources/vmallocinfo.h"
#include "util/output.h"
#include "util/root.h"
#include "util/ticker.h"
#include "util/units.h"

#define KERNEL_DETECTORS 64 /* caches and callers judged at once */
#define KERNEL_TOP 10	    /* named in the summary */
#define KERNEL_SYSTEM (-1)  /* judge group of the meminfo series */

enum {
	OPT_CACHES_CSV = 256,
	OPT_NO_DAILY_CYCLE,
	OPT_KIB,
	OPT_ROOT,
	OPT_TOP,
	OPT_LIST_FIELDS,
};

struct cmd_kernel {
	bool help;
	const char *fields_format; /* --list-fields */
	uint64_t interval_ns, count, duration_ns;
	const char *csv_path, *caches_path;
	bool force, quiet, raw_kib, daily_cycle;
	bool csv_on_stdout; /* the summary goes to stderr */
	uint64_t top;
	const char *root;
};

static const struct option cmd_kernel_options[] = {
    {"every", required_argument, NULL, 'e'},
    {"count", required_argument, NULL, 'c'},
    {"duration", required_argument, NULL, 'd'},
    {"output", required_argument, NULL, 'o'},
    {"caches-csv", required_argument, NULL, OPT_CACHES_CSV},
    {"force", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"kib", no_argument, NULL, OPT_KIB},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"top", required_argument, NULL, OPT_TOP},
    {"root", required_argument, NULL, OPT_ROOT},
    {"list-fields", optional_argument, NULL, OPT_LIST_FIELDS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void
cmd_kernel_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend kernel [OPTIONS]\n"
	    "\n"
	    "Watch the kernel's own memory: MemAvailable, slab (reclaimable "
	    "and not),\n"
	    "vmalloc, percpu, kernel stacks, page tables and the memory no "
	    "counter\n"
	    "explains, from /proc/meminfo; with root, every slab cache\n"
	    "(/proc/slabinfo) and every vmalloc caller (/proc/vmallocinfo).  "
	    "The leak\n"
	    "detector judges unreclaimable slab, vmalloc, percpu, the "
	    "unaccounted\n"
	    "memory and the %d caches and callers that grow most; reclaimable "
	    "caches\n"
	    "are reported, never called a leak.\n"
	    "\n"
	    "  -e, --every INTERVAL  time between samples (default 1s; e.g. "
	    "10s, 5m)\n"
	    "  -c, --count N         stop after N samples\n"
	    "  -d, --duration D      stop after D (e.g. 1h, 2d)\n"
	    "  -o, --output FILE     the kernel series as CSV (\"-\": stdout); "
	    "header\n"
	    "                        "
	    "timestamp,elapsed_s,mem_available_kb,slab_kb,...\n"
	    "      --caches-csv FILE every cache and caller per sample, long "
	    "format:\n"
	    "                        "
	    "timestamp,elapsed_s,kind,name,kb,pages_kb,\n"
	    "                        reclaimable (kind slab or vmalloc)\n"
	    "  -f, --force           overwrite the files if they exist\n"
	    "  -q, --quiet           no live rows, only the summary\n"
	    "      --kib             plain KiB instead of human units\n"
	    "      --top N           caches and callers named in the summary "
	    "(default\n"
	    "                        %d)\n"
	    "      --no-daily-cycle  do not wait out a possible daily cycle "
	    "before\n"
	    "                        calling slow growth a leak\n"
	    "      --root DIR        read /proc and /sys under DIR (tests)\n"
	    "      --list-fields     list the CSV columns\n"
	    "  -h, --help\n"
	    "\n"
	    "Exit status: 0 the run ended normally, 2 an error.\n",
	    KERNEL_DETECTORS, KERNEL_TOP);
}

static int
cmd_kernel_option(struct cmd_kernel *c, int opt, struct error *err)
{
	switch (opt) {
	case 'e':
		return units_parse_duration(optarg, &c->interval_ns, err);
	case 'c':
		return units_parse_count(optarg, &c->count, err);
	case 'd':
		return cmd_parse_duration(optarg, &c->duration_ns, err);
	case 'o':
		c->csv_path = optarg;
		return 0;
	case OPT_CACHES_CSV:
		c->caches_path = optarg;
		return 0;
	case 'f':
		c->force = true;
		return 0;
	case 'q':
		c->quiet = true;
		return 0;
	case OPT_KIB:
		c->raw_kib = true;
		return 0;
	case OPT_NO_DAILY_CYCLE:
		c->daily_cycle = false;
		return 0;
	case OPT_TOP:
		return units_parse_count(optarg, &c->top, err);
	case OPT_ROOT:
		c->root = optarg;
		return 0;
	case OPT_LIST_FIELDS:
		c->fields_format = optarg != NULL ? optarg : "text";
		if (strcmp(c->fields_format, "text") != 0 &&
		    strcmp(c->fields_format, "man") != 0)
			return error_set(err, EINVAL,
					 "invalid format '%s' (use text, the "
					 "default, or man)",
					 c->fields_format);
		return 0;
	}
	return error_set(err, EINVAL, "unknown option");
}

static int
cmd_kernel_parse(struct cmd_kernel *c, int argc, char **argv, struct error *err)
{
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":e:c:d:o:fqh",
				  cmd_kernel_options, NULL)) != -1) {
		if (opt == 'h') {
			c->help = true;
			return 0;
		}
		if (opt == ':')
			return error_set(err, EINVAL, "option %s needs a value",
					 argv[optind - 1]);
		if (opt == '?')
			return error_set(err, EINVAL,
					 "unknown option '%s' for "
					 "kernel",
					 argv[optind - 1]);
		rc = cmd_kernel_option(c, opt, err);
		if (rc < 0)
			return cmd_option_error(err, cmd_kernel_options, opt);
	}
	if (optind < argc)
		return error_set(err, EINVAL,
				 "kernel takes no arguments, not "
				 "'%s'",
				 argv[optind]);
	if (c->interval_ns == 0)
		return error_set(err, EINVAL, "--every must be more than 0");
	if (c->csv_path != NULL && c->caches_path != NULL &&
	    strcmp(c->csv_path, c->caches_path) == 0)
		return error_set(err, EINVAL,
				 "-o and --caches-csv name the "
				 "same file '%s'",
				 c->csv_path);
	if ((c->csv_path != NULL && strcmp(c->csv_path, "-") == 0) ||
	    (c->caches_path != NULL && strcmp(c->caches_path, "-") == 0)) {
		c->quiet = true; /* stdout carries a CSV */
		c->csv_on_stdout = true;
	}
	return 0;
}

/* One run's sources, sinks and detectors. */
struct kernel_run {
	const struct cmd_kernel *c;
	struct meminfo *meminfo;
	struct slabinfo *slab;	     /* NULL: not readable */
	struct vmallocinfo *vmalloc; /* NULL: not readable */
	struct csv_sink *csv, *caches;
	struct csv_buf rows;
	struct kernel_term *term;
	struct judge judge;
	struct ticker tk;
	unsigned long samples;
	struct error err;
};

static int
cmd_kernel_open(struct kernel_run *r)
{
	const struct cmd_kernel *c = r->c;
	struct error e;

	if (c->csv_path != NULL &&
	    output_check(c->csv_path, c->force, &r->err) < 0)
		return -1;
	if (c->caches_path != NULL &&
	    output_check(c->caches_path, c->force, &r->err) < 0)
		return -1;
	if (meminfo_open(&r->meminfo, c->root, &r->err) < 0)
		return -1;
	if (slabinfo_open(&r->slab, c->root, &e) < 0)
		term_notice("%s", e.msg);
	if (vmallocinfo_open(&r->vmalloc, c->root, &e) < 0)
		term_notice("%s", e.msg);
	if (c->csv_path != NULL &&
	    kernel_csv_open(&r->csv, c->csv_path, false, c->force, &r->err) < 0)
		return -1;
	if (c->caches_path != NULL &&
	    kernel_csv_open(&r->caches, c->caches_path, true, c->force,
			    &r->err) < 0)
		return -1;
	if (!c->quiet)
		r->term = kernel_term_open(stdout, c->raw_kib);
	judge_init(&r->judge, KERNEL_DETECTORS + kfield_njudged,
		   c->daily_cycle);
	return 0;
}

/* Reads the per-cache sources; a failing one says so once and is
 * dropped, the rest go on. */
static void
cmd_kernel_caches(struct kernel_run *r, struct ksample *s)
{
	struct error e;
	const char *note;

	if (r->slab != NULL) {
		if (slabinfo_sample(r->slab, s, &e) < 0) {
			term_notice("%s", e.msg);
			slabinfo_close(r->slab);
			r->slab = NULL;
		} else if ((note = slabinfo_note(r->slab)) != NULL) {
			term_notice("%s", note);
		}
	}
	if (r->vmalloc != NULL) {
		if (vmallocinfo_sample(r->vmalloc, s, &e) < 0) {
			term_notice("%s", e.msg);
			vmallocinfo_close(r->vmalloc);
			r->vmalloc = NULL;
		} else if ((note = vmallocinfo_note(r->vmalloc)) != NULL) {
			term_notice("%s", note);
		}
	}
}

static int
cmd_kernel_take(struct kernel_run *r, struct ksample *s)
{
	ksample_clear(s);
	s->wall_s = ticker_clock_s(CLOCK_REALTIME);
	s->elapsed_s = ticker_sample_s(&r->tk, ticker_elapsed_s(&r->tk));
	if (meminfo_sample(r->meminfo, s, &r->err) < 0)
		return -1;
	cmd_kernel_caches(r, s);
	return 0;
}

static void
cmd_kernel_judge(struct kernel_run *r, const struct ksample *s)
{
	const struct kcache *k;
	size_t i;

	for (i = 0; i < kfield_njudged; i++)
		judge_add(&r->judge, KERNEL_SYSTEM,
			  kfields[kfield_judged[i]].name, JUDGE_PINNED,
			  s->elapsed_s, s->value[kfield_judged[i]]);
	for (i = 0; i < s->caches.n; i++) {
		k = &s->caches.v[i];
		judge_add(&r->judge, (int)k->kind, k->name,
			  k->reclaimable == 1 ? JUDGE_RECLAIMABLE : 0,
			  s->elapsed_s, k->kb);
	}
	judge_rebalance(&r->judge);
}

/* "verdict: kmalloc-256 growing ..." when a series is newly flagged. */
static void
cmd_kernel_flags(struct kernel_run *r)
{
	struct judge_series *js;
	char line[1024];
	size_t i;

	for (i = 0; i < r->judge.n; i++) {
		js = &r->judge.v[i];
		if (!judge_leaking(js) ||
		    judge_evidence(js)->raises <= js->raises_said)
			continue;
		js->raises_said = judge_evidence(js)->raises;
		if (r->term == NULL)
			continue;
		judge_sentence(js, line, sizeof line);
		printf("verdict: %s\n", line);
	}
}

static int
cmd_kernel_emit(struct kernel_run *r, const struct ksample *s)
{
	if (r->csv != NULL) {
		r->rows.len = 0;
		kernel_csv_row(&r->rows, s);
		if (csv_sink_put_rows(r->csv, &r->rows, &r->err) < 0)
			return -1;
	}
	if (r->caches != NULL) {
		r->rows.len = 0;
		kernel_caches_rows(&r->rows, s);
		if (csv_sink_put_rows(r->caches, &r->rows, &r->err) < 0)
			return -1;
	}
	if (r->term != NULL)
		kernel_term_row(r->term, s);
	cmd_kernel_judge(r, s);
	cmd_kernel_flags(r);
	r->samples++;
	return 0;
}

/* Sleeps to the next tick; false when the run is over (why in msg). */
static bool
cmd_kernel_sleep(struct kernel_run *r, char *msg, size_t len)
{
	double due;

	for (;;) {
		due = ticker_plan(&r->tk);
		if (r->c->duration_ns != 0 &&
		    due * 1e9 >= (double)r->c->duration_ns) {
			snprintf(msg, len, "duration reached");
			return false;
		}
		if (ticker_sleep(&r->tk, stop_wake_fd()) == 0 &&
		    stop_signal() == 0)
			return true;
		if (stop_signal() != 0) {
			snprintf(msg, len, "stopped by %s",
				 strsignal(stop_signal()));
			return false;
		}
	}
}

static int
cmd_kernel_loop(struct kernel_run *r, char *why, size_t len)
{
	struct ksample s = {0};
	int rc = 0;

	stop_install();
	ticker_start(&r->tk, r->c->interval_ns);
	for (;;) {
		if (cmd_kernel_take(r, &s) < 0 || cmd_kernel_emit(r, &s) < 0) {
			rc = -1;
			break;
		}
		if (r->c->count != 0 && r->samples >= r->c->count) {
			snprintf(why, len, "sample count reached");
			break;
		}
		if (!cmd_kernel_sleep(r, why, len))
			break;
	}
	ksample_free(&s);
	return rc;
}

static void
cmd_kernel_recap(struct kernel_run *r, const char *why)
{
	char span[32];

	FILE *out = r->c->csv_on_stdout ? stderr : stdout;

	units_format_duration(span, sizeof span, ticker_elapsed_s(&r->tk));
	fprintf(out, "%skernel: %lu sample%s over %s (%s)\n",
		r->term != NULL ? "\n" : "", r->samples,
		r->samples == 1 ? "" : "s", span, why);
	kernel_summary(out, &r->judge, r->c->top);
	if (r->slab == NULL && r->vmalloc == NULL)
		fprintf(out, "  (slab caches and vmalloc callers were not "
			     "read)\n");
}

/* Closes everything; returns -1 when a file could not be finished. */
static int
cmd_kernel_close(struct kernel_run *r)
{
	struct error e;
	int rc = 0;

	if (csv_sink_close(r->csv, &e) < 0) {
		cmd_fail(&e);
		rc = -1;
	}
	if (csv_sink_close(r->caches, &e) < 0) {
		cmd_fail(&e);
		rc = -1;
	}
	meminfo_close(r->meminfo);
	slabinfo_close(r->slab);
	vmallocinfo_close(r->vmalloc);
	if (r->term != NULL)
		kernel_term_close(r->term);
	judge_free(&r->judge);
	free(r->rows.text);
	return rc;
}

static int
cmd_kernel_go(const struct cmd_kernel *c)
{
	struct kernel_run r = {.c = c};
	char why[256] = "";
	int code = 0;

	if (cmd_kernel_open(&r) < 0) {
		code = cmd_fail(&r.err);
		cmd_kernel_close(&r);
		return code;
	}
	if (cmd_kernel_loop(&r, why, sizeof why) < 0)
		code = cmd_fail(&r.err);
	if (r.samples > 0)
		cmd_kernel_recap(&r, code == 0 ? why : "stopped by an error");
	if (cmd_kernel_close(&r) < 0)
		code = CMD_EXIT_ERROR;
	if (fflush(stdout) != 0)
		code = CMD_EXIT_ERROR;
	return code;
}

static int
cmd_kernel_run(int argc, char **argv)
{
	struct cmd_kernel c = {
	    .interval_ns = UNITS_NS_PER_S,
	    .daily_cycle = true,
	    .top = KERNEL_TOP,
	    .root = root_default(),
	};
	struct error err;

	if (cmd_kernel_parse(&c, argc, argv, &err) < 0)
		return cmd_usage_error("kernel", &err);
	if (c.help) {
		cmd_kernel_usage(stdout);
		return 0;
	}
	if (c.fields_format != NULL) {
		fields_print(stdout, kfields, KF_COUNT, c.fields_format);
		return 0;
	}
	return cmd_kernel_go(&c);
}

const struct cmd_entry cmd_kernel_entry = {
    .name = "kernel",
    .word = true,
    .options = cmd_kernel_options,
    .usage = cmd_kernel_usage,
    .run = cmd_kernel_run,
};
