/*
 * memtrend plot [OPTIONS] FILE.csv -o CHART (memtrend(1)): its options,
 * shared with memtrend report (cmd-report.c), its usage and its run.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "charts/plot.h"
#include "cmd/cmd-plot.h"
#include "cmd/cmd.h"
#include "util/csvread.h"

enum {
	OPT_REGIONS = 256,
	OPT_CHART,
	OPT_METRIC,
	OPT_TOP,
	OPT_SIZE,
	OPT_TIME,
	OPT_TEMPLATES,
	OPT_NO_DAILY_CYCLE,
	OPT_DAILY_CYCLE,
	OPT_PID,
	OPT_CACHES,
};

const struct option cmd_plot_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, 'f'},
    {"regions", required_argument, NULL, OPT_REGIONS},
    {"chart", required_argument, NULL, OPT_CHART},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"top", required_argument, NULL, OPT_TOP},
    {"size", required_argument, NULL, OPT_SIZE},
    {"time", required_argument, NULL, OPT_TIME},
    {"templates", required_argument, NULL, OPT_TEMPLATES},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"pid", required_argument, NULL, OPT_PID},
    {"caches", required_argument, NULL, OPT_CACHES},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void
cmd_plot_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend plot [OPTIONS] FILE.csv -o CHART.png|.svg|.pdf\n"
	    "\n"
	    "Draws a chart of a run from its CSV (any CSV memtrend analyze "
	    "reads):\n"
	    "  growth   RSS, PSS and USS over time, the trend the verdict "
	    "fitted to\n"
	    "           the floor of the judged metric with its 95%% band, the "
	    "floor\n"
	    "           points, a marker where growth was first flagged, the "
	    "verdict\n"
	    "           as the caption, and page faults per second below "
	    "(default)\n"
	    "  regions  stacked areas of the regions that grew most, the rest "
	    "as\n"
	    "           \"other\" (default with --regions)\n"
	    "  idle     per region, idle %% over time and the idle ages at the "
	    "end\n"
	    "           (a regions CSV with idle columns)\n"
	    "The format follows the output's extension.  Needs gnuplot "
	    "(Debian\n"
	    "package %s); the templates are gnuplot scripts in plots/.\n"
	    "\n"
	    "  -o, --output FILE     the chart to write: .png, .svg or .pdf\n"
	    "  -f, --force           overwrite FILE if it exists\n"
	    "      --regions FILE    the run's regions CSV (from "
	    "--regions-csv)\n"
	    "      --chart KIND      growth, regions or idle\n"
	    "      --metric M        judge uss, pss or rss (default: as "
	    "analyze)\n"
	    "      --no-daily-cycle  judge as a test run: no daily cycle to "
	    "wait for\n"
	    "                        (--daily-cycle, the default: as a "
	    "server)\n"
	    "      --pid PID         one process of a long-format CSV (a set's "
	    "or top's;\n"
	    "                        default: a set's sum, pid 0)\n"
	    "      --caches FILE     memtrend kernel --caches-csv: the caches "
	    "and\n"
	    "                        callers that grew most, stacked (FILE.csv "
	    "may go)\n"
	    "      --top N           regions (caches) shown by name (default "
	    "%d)\n"
	    "      --size WxH        size in pixels (default %dx%d; PDF: 1/100 "
	    "in)\n"
	    "      --time AXIS       auto (wall clock for runs of 2 h or "
	    "more),\n"
	    "                        elapsed or wall\n"
	    "      --templates DIR   templates to use before the installed "
	    "ones\n"
	    "                        (also MEMTREND_PLOTS)\n"
	    "  -h, --help            this help\n"
	    "\n"
	    "Environment: MEMTREND_GNUPLOT, the gnuplot to run; TMPDIR, where "
	    "the\n"
	    "data for gnuplot goes (always removed).\n"
	    "Exit status: 0 written; 2 error (nothing written).\n",
	    GNUPLOT_PACKAGE, PLOT_TOP, PLOT_WIDTH, PLOT_HEIGHT);
}

static int
cmd_plot_option(struct plot_opts *p, int opt, struct error *err)
{
	uint64_t n;
	int rc = 0;

	switch (opt) {
	case 'o':
		p->out = optarg;
		break;
	case 'f':
		p->force = true;
		break;
	case OPT_REGIONS:
		p->regions_csv = optarg;
		break;
	case OPT_CHART:
		rc = plot_parse_chart(optarg, &p->chart, err);
		break;
	case OPT_METRIC:
		rc = verdict_parse_metric(optarg, &p->metric, err);
		break;
	case OPT_TOP:
		rc = cmd_parse_count(optarg, 64, &n, err);
		p->style.top = (size_t)n;
		break;
	case OPT_SIZE:
		rc = plot_parse_size(optarg, &p->style, err);
		break;
	case OPT_TIME:
		rc = plot_parse_time(optarg, &p->style.time, err);
		break;
	case OPT_TEMPLATES:
		p->templates = optarg;
		break;
	case OPT_NO_DAILY_CYCLE:
	case OPT_DAILY_CYCLE:
		p->daily_cycle = opt == OPT_DAILY_CYCLE;
		break;
	case OPT_PID:
		rc = cmd_parse_pid(optarg, &p->pid, err);
		break;
	case OPT_CACHES:
		p->caches_csv = optarg;
		break;
	}
	return rc;
}

int
cmd_plot_parse(struct plot_opts *o, int argc, char **argv, bool *help,
	       struct error *err)
{
	const char *what = argv[0];
	bool report = strcmp(what, "report") == 0;
	char name[64];
	int opt;

	*help = false;
	plot_opts_init(o);
	if (report)
		o->style.height = PLOT_HEIGHT - 100;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:fh", cmd_plot_options,
				  NULL)) != -1) {
		if (opt == 'h') {
			*help = true;
			return 0;
		}
		if (opt == ':')
			return error_set(err, EINVAL, "option %s needs a value",
					 argv[optind - 1]);
		if (opt == '?')
			return error_set(err, EINVAL,
					 "unknown option '%s' for "
					 "%s",
					 argv[optind - 1], what);
		if (report && (opt == OPT_CHART || opt == OPT_CACHES))
			return error_set(
			    err, EINVAL,
			    "report has no option %s: it draws every chart "
			    "the CSV allows (memtrend plot --chart draws one)",
			    cmd_option_name(name, sizeof name, cmd_plot_options,
					    opt));
		if (cmd_plot_option(o, opt, err) < 0)
			return cmd_option_error(err, cmd_plot_options, opt);
	}
	if (optind >= argc && o->caches_csv == NULL)
		return error_set(err, EINVAL,
				 "%s needs a CSV file (from "
				 "memtrend -o FILE, or any CSV analyze reads)",
				 what);
	if (optind + 1 < argc)
		return error_set(err, EINVAL,
				 "%s takes one CSV file, not "
				 "'%s' too (a regions CSV goes with --regions)",
				 what, argv[optind + 1]);
	o->csv = optind < argc ? argv[optind] : NULL;
	if (o->out == NULL)
		return error_set(err, EINVAL, "%s needs -o FILE%s", what,
				 report ? ".html" : " (.png, .svg or .pdf)");
	/* A daemon target's directory holds both. */
	if (o->regions_csv != NULL && o->csv != NULL &&
	    strcmp(o->regions_csv, o->csv) == 0 && !csv_is_dir(o->csv))
		return error_set(err, EINVAL,
				 "--regions names the same file "
				 "as the CSV, '%s'",
				 o->csv);
	return 0;
}

static int
cmd_plot_run(int argc, char **argv)
{
	struct plot_opts o;
	struct error err;
	bool help;

	if (cmd_plot_parse(&o, argc, argv, &help, &err) < 0)
		return cmd_usage_error("plot", &err);
	if (help) {
		cmd_plot_usage(stdout);
		return 0;
	}
	err.msg[0] = '\0';
	return cmd_done(plot_run(&o, &err), &err);
}

const struct cmd_entry cmd_plot_entry = {
    .name = "plot",
    .word = true,
    .options = cmd_plot_options,
    .usage = cmd_plot_usage,
    .run = cmd_plot_run,
};
