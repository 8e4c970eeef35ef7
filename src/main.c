/*
 * memtrend: a non-invasive memory-growth monitor for Linux processes.
 * Parses the command line, picks the mode, runs it, and is the only place
 * that prints errors and chooses the exit status.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "analysis/replay.h"
#include "cmd/cmd.h"
#include "cmd/cmd-probe.h"
#include "core/fields.h"
#include "charts/plot.h"
#include "charts/report.h"
#include "sinks/csv.h"
#include "sinks/term.h"
#include "core/target.h"
#include "util/units.h"
#include "cmd/watch.h"

#define EXIT_GROWING 1
#define EXIT_ERROR 2

static int
main_fail(const struct error *err)
{
	fprintf(stderr, "memtrend: %s\n", err->msg);
	return EXIT_ERROR;
}

static int
main_find_target(const struct cli *c, struct target *t, struct error *err)
{
	if (c->pid > 0)
		return target_from_pid(t, c->watch.root, c->pid, err);
	if (c->name != NULL)
		return target_from_name(t, c->watch.root, c->name, err);
	return target_launch(t, c->watch.root, c->command, err);
}

static void
main_announce(const struct cli *c, const struct target *t)
{
	char every[32];

	units_format_duration(every, sizeof every,
	    (double)c->watch.interval_ns / 1e9);
	fprintf(stderr, "memtrend: watching pid %d (%s) every %s%s%s; "
	    "Ctrl-C to stop\n", (int)t->pid, t->comm, every,
	    c->watch.csv_path != NULL ? ", CSV to " : "",
	    c->watch.csv_path != NULL ? c->watch.csv_path : "");
}

/* --plot: the growth chart of the run's own CSV. */
static int
main_plot_run(const struct cli *c, FILE *out)
{
	struct plot_opts o = c->plot;
	struct error err;

	o.csv = c->watch.csv_path;
	o.out = c->plot_out;
	o.force = c->watch.force;
	o.metric = c->watch.metric;
	o.chart = PLOT_GROWTH;
	if (plot_run(&o, &err) < 0)
		return main_fail(&err);
	fprintf(out, "chart: %s\n", o.out);
	return 0;
}

static int
main_watch(const struct cli *c)
{
	struct watch_result res;
	struct target t;
	struct error err;
	FILE *out;
	int code = 0;

	if (c->watch.csv_path != NULL &&
	    csv_sink_check(c->watch.csv_path, c->watch.force, &err) < 0)
		return main_fail(&err);
	if (c->watch.regions_csv_path != NULL &&
	    csv_sink_check(c->watch.regions_csv_path, c->watch.force, &err) < 0)
		return main_fail(&err);
	if (c->plot_out != NULL &&
	    plot_check(c->plot_out, c->watch.force, &err) < 0)
		return main_fail(&err);
	if (main_find_target(c, &t, &err) < 0)
		return main_fail(&err);
	main_announce(c, &t);
	watch_run(&c->watch, &t, &res);
	if (t.launched && !t.reaped)
		target_stop(&t);

	/* stdout may be carrying a CSV ("-o -"). */
	out = c->watch.live || c->watch.csv_path == NULL ||
	    strcmp(c->watch.csv_path, "-") != 0 ? stdout : stderr;
	if (c->watch.regions_csv_path != NULL &&
	    strcmp(c->watch.regions_csv_path, "-") == 0)
		out = stderr;
	if (res.end == WATCH_END_ERROR) {
		code = main_fail(&res.why);
	} else if (res.end == WATCH_END_TARGET_EXIT) {
		fprintf(stderr, "memtrend: %s\n", res.why.msg);
		if (t.launched)
			code = target_exit_code(&t);
	}
	if (res.summary.samples > 0 || res.end != WATCH_END_ERROR) {
		term_summary(out, &res.summary, c->watch.raw_kib,
		    (double)c->watch.interval_ns / 1e9, res.overruns);
		term_regions_summary(out, &res.regions, c->watch.raw_kib,
		    c->watch.top_regions);
		term_idle_summary(out, &res.regions, c->watch.raw_kib,
		    c->watch.top_regions);
		/* A run of N samples spans N intervals, even when it
		 * ended at the last one. */
		term_tiers(out, &res.tiers, res.summary.last_s -
		    res.summary.first_s, fmax(res.elapsed_s,
		    (double)res.summary.samples *
		    (double)c->watch.interval_ns / 1e9));
		if (c->watch.csv_path != NULL &&
		    strcmp(c->watch.csv_path, "-") != 0)
			fprintf(out, "CSV: %lu row%s in %s\n", res.csv_rows,
			    res.csv_rows == 1 ? "" : "s", c->watch.csv_path);
		if (c->watch.regions_csv_path != NULL &&
		    strcmp(c->watch.regions_csv_path, "-") != 0)
			fprintf(out, "regions CSV: %lu region sample%s in "
			    "%s\n", res.regions.samples,
			    res.regions.samples == 1 ? "" : "s",
			    c->watch.regions_csv_path);
		if (res.faults_lost > 0)
			fprintf(out, "  %llu fault-address samples were lost "
			    "(ring buffer full): the per-region fault rates "
			    "share out the counted faults in proportion; "
			    "--fault-period N samples fewer\n",
			    (unsigned long long)res.faults_lost);
		term_verdict_summary(out, &res.verdict);
		if (c->plot_out != NULL && res.csv_rows > 0 &&
		    main_plot_run(c, out) != 0 && code == 0)
			code = EXIT_ERROR;
		/* An error, then the command's own failure, win over
		 * growth. */
		if (code == 0 && c->fail_on_growth &&
		    verdict_evidence(&res.verdict)->verdict == TREND_GROWING)
			code = EXIT_GROWING;
	}
	watch_result_free(&res);
	target_close(&t);
	return code;
}

static int
main_analyze(const struct cli *c)
{
	char sentence[2048];
	struct verdict v;
	struct error err;
	int code;

	verdict_init(&v, c->watch.metric);
	if (analyze_file(c->file, &v, &err) < 0) {
		verdict_free(&v);
		return main_fail(&err);
	}
	if (c->json) {
		verdict_json(stdout, &v);
	} else {
		verdict_sentence(&v, sentence, sizeof sentence);
		printf("%s\n", sentence);
	}
	code = verdict_evidence(&v)->verdict == TREND_GROWING ?
	    EXIT_GROWING : 0;
	verdict_free(&v);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "memtrend: cannot write the verdict to "
		    "standard output\n");
		return EXIT_ERROR;
	}
	return code;
}

static int
main_plot(const struct cli *c)
{
	struct error err;
	int rc;

	if (c->mode == CLI_REPORT)
		rc = report_run(&c->plot, &err);
	else
		rc = plot_run(&c->plot, &err);
	return rc < 0 ? main_fail(&err) : 0;
}

int
main(int argc, char **argv)
{
	struct error err;
	struct cli c;

	if (cli_parse(&c, argc, argv, &err) < 0) {
		fprintf(stderr, "memtrend: %s\nTry 'memtrend --help'.\n",
		    err.msg);
		return EXIT_ERROR;
	}
	switch (c.mode) {
	case CLI_HELP:
		if (c.help == CLI_PLOT || c.help == CLI_REPORT)
			cli_plot_usage(stdout, c.help);
		else
			cli_usage(stdout);
		return 0;
	case CLI_VERSION:
		printf("memtrend %s\n", PACKAGE_VERSION);
		return 0;
	case CLI_FIELDS:
		if (strcmp(c.fields_format, "man-regions") == 0)
			fields_print(stdout, region_fields, REGION_FIELD_COUNT,
			    "man");
		else
			fields_print(stdout, fields, FIELD_COUNT,
			    c.fields_format);
		return 0;
	case CLI_PROBE:
		return cmd_probe_run(c.watch.root, c.pid);
	case CLI_ANALYZE:
		return main_analyze(&c);
	case CLI_PLOT:
	case CLI_REPORT:
		return main_plot(&c);
	case CLI_WATCH:
		break;
	}
	return main_watch(&c);
}
