/*
 * Options of `memtrend plot` and `memtrend report` (memtrend(1)), parsed
 * into the same struct cli as the rest.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "cmd/cmd.h"
#include "util/units.h"

enum {
	OPT_REGIONS = 256,
	OPT_CHART,
	OPT_METRIC,
	OPT_TOP,
	OPT_SIZE,
	OPT_TIME,
	OPT_TEMPLATES,
};

static const struct option cli_plot_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "regions", required_argument, NULL, OPT_REGIONS },
	{ "chart", required_argument, NULL, OPT_CHART },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void
cli_plot_usage(FILE *fp, enum cli_mode mode)
{
	if (mode == CLI_REPORT) {
		fprintf(fp,
"Usage: memtrend report [OPTIONS] FILE.csv -o REPORT.html\n"
"\n"
"Writes one self-contained HTML file about a run: the verdict and its\n"
"evidence, the growth chart (and the regions and idle charts with\n"
"--regions), and tables of each size's first, last, minimum, maximum,\n"
"change and rate, and of the regions that grew most.  The charts are\n"
"inline SVG: the file has no external references and reads offline in\n"
"any browser.  Needs gnuplot (Debian package %s).\n"
"\n"
"  -o, --output FILE     the HTML file to write\n"
"  -f, --force           overwrite FILE if it exists\n"
"      --regions FILE    the run's regions CSV (from --regions-csv)\n"
"      --metric M        judge uss, pss or rss (default: as analyze)\n"
"      --top N           regions shown by name (default %d)\n"
"      --size WxH        chart size in pixels (default %dx%d)\n"
"      --time AXIS       auto (wall clock for runs of 2 h or more),\n"
"                        elapsed or wall\n"
"      --templates DIR   chart templates to use before the installed\n"
"                        ones (also MEMTREND_PLOTS)\n"
"  -h, --help            this help\n"
"\n"
"Exit status: 0 written; 2 error (nothing written).\n",
		    GNUPLOT_PACKAGE, PLOT_TOP, PLOT_WIDTH, PLOT_HEIGHT - 100);
		return;
	}
	fprintf(fp,
"Usage: memtrend plot [OPTIONS] FILE.csv -o CHART.png|.svg|.pdf\n"
"\n"
"Draws a chart of a run from its CSV (any CSV memtrend analyze reads):\n"
"  growth   RSS, PSS and USS over time, the trend the verdict fitted to\n"
"           the floor of the judged metric with its 95%% band, the floor\n"
"           points, a marker where growth was first flagged, the verdict\n"
"           as the caption, and page faults per second below (default)\n"
"  regions  stacked areas of the regions that grew most, the rest as\n"
"           \"other\" (default with --regions)\n"
"  idle     per region, idle %% over time and the idle ages at the end\n"
"           (a regions CSV with idle columns)\n"
"The format follows the output's extension.  Needs gnuplot (Debian\n"
"package %s); the templates are gnuplot scripts in plots/.\n"
"\n"
"  -o, --output FILE     the chart to write: .png, .svg or .pdf\n"
"  -f, --force           overwrite FILE if it exists\n"
"      --regions FILE    the run's regions CSV (from --regions-csv)\n"
"      --chart KIND      growth, regions or idle\n"
"      --metric M        judge uss, pss or rss (default: as analyze)\n"
"      --top N           regions shown by name (default %d)\n"
"      --size WxH        size in pixels (default %dx%d; PDF: 1/100 in)\n"
"      --time AXIS       auto (wall clock for runs of 2 h or more),\n"
"                        elapsed or wall\n"
"      --templates DIR   templates to use before the installed ones\n"
"                        (also MEMTREND_PLOTS)\n"
"  -h, --help            this help\n"
"\n"
"Environment: MEMTREND_GNUPLOT, the gnuplot to run; TMPDIR, where the\n"
"data for gnuplot goes (always removed).\n"
"Exit status: 0 written; 2 error (nothing written).\n",
	    GNUPLOT_PACKAGE, PLOT_TOP, PLOT_WIDTH, PLOT_HEIGHT);
}

static int
cli_plot_option(struct cli *c, int opt, struct error *err)
{
	struct plot_opts *p = &c->plot;
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
		if ((rc = units_parse_count(optarg, &n, err)) == 0 && n > 64)
			rc = error_set(err, EINVAL, "--top %s is too many "
			    "(at most 64)", optarg);
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
	}
	return rc;
}

/* memtrend plot|report [OPTIONS] FILE; argv[0] is the subcommand. */
int
cli_parse_plot(struct cli *c, int argc, char **argv, struct error *err)
{
	const char *what = argv[0];
	int opt, rc = 0;

	c->mode = strcmp(what, "report") == 0 ? CLI_REPORT : CLI_PLOT;
	plot_opts_init(&c->plot);
	if (c->mode == CLI_REPORT)
		c->plot.style.height = PLOT_HEIGHT - 100;
	optind = 0;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, ":o:fh",
	    cli_plot_options, NULL)) != -1) {
		if (opt == 'h') {
			c->help = c->mode;
			c->mode = CLI_HELP;
			return 0;
		}
		if (opt == ':')
			return error_set(err, EINVAL, "option %s needs a value",
			    argv[optind - 1]);
		if (opt == '?' || (c->mode == CLI_REPORT && opt == OPT_CHART))
			return error_set(err, EINVAL, "unknown option '%s' for "
			    "%s", argv[optind - 1], what);
		rc = cli_plot_option(c, opt, err);
	}
	if (rc < 0)
		return rc;
	if (optind >= argc)
		return error_set(err, EINVAL, "%s needs a CSV file (from "
		    "memtrend -o FILE, or any CSV analyze reads)", what);
	if (optind + 1 < argc)
		return error_set(err, EINVAL, "%s takes one CSV file, not "
		    "'%s' too (a regions CSV goes with --regions)", what,
		    argv[optind + 1]);
	c->plot.csv = argv[optind];
	if (c->plot.out == NULL)
		return error_set(err, EINVAL, "%s needs -o FILE%s", what,
		    c->mode == CLI_REPORT ? ".html" : " (.png, .svg or .pdf)");
	if (c->plot.regions_csv != NULL &&
	    strcmp(c->plot.regions_csv, c->plot.csv) == 0)
		return error_set(err, EINVAL, "--regions names the same file "
		    "as the CSV, '%s'", c->plot.csv);
	return 0;
}
