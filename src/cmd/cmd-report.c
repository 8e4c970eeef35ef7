/*
 * memtrend report [OPTIONS] FILE.csv -o REPORT.html (memtrend(1)): one
 * self-contained HTML file about a run (charts/report.c); the options are
 * plot's (cmd-plot.c) but --chart.
 */
#include "config.h"

#include <stdio.h>

#include "charts/gnuplot.h"
#include "charts/plot.h"
#include "charts/report.h"
#include "cmd/cmd-plot.h"
#include "cmd/cmd.h"

static void
cmd_report_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "Usage: memtrend report [OPTIONS] FILE.csv -o REPORT.html\n"
	    "\n"
	    "Writes one self-contained HTML file about a run: the verdict and "
	    "its\n"
	    "evidence, the growth chart (and the regions and idle charts with\n"
	    "--regions), and tables of each size's first, last, minimum, "
	    "maximum,\n"
	    "change and rate, and of the regions that grew most.  The charts "
	    "are\n"
	    "inline SVG: the file has no external references and reads offline "
	    "in\n"
	    "any browser.  Needs gnuplot (Debian package %s).\n"
	    "\n"
	    "  -o, --output FILE     the HTML file to write\n"
	    "  -f, --force           overwrite FILE if it exists\n"
	    "      --regions FILE    the run's regions CSV (from "
	    "--regions-csv)\n"
	    "      --metric M        judge uss, pss or rss (default: as "
	    "analyze)\n"
	    "      --no-daily-cycle  judge as a test run: no daily cycle to "
	    "wait for\n"
	    "                        (--daily-cycle, the default: as a "
	    "server)\n"
	    "      --pid PID         one process of a long-format CSV (a set's "
	    "or top's;\n"
	    "                        default: a set's sum, pid 0)\n"
	    "      --top N           regions shown by name (default %d)\n"
	    "      --size WxH        chart size in pixels (default %dx%d)\n"
	    "      --time AXIS       auto (wall clock for runs of 2 h or "
	    "more),\n"
	    "                        elapsed or wall\n"
	    "      --templates DIR   chart templates to use before the "
	    "installed\n"
	    "                        ones (also MEMTREND_PLOTS)\n"
	    "  -h, --help            this help\n"
	    "\n"
	    "Exit status: 0 written; 2 error (nothing written).\n",
	    GNUPLOT_PACKAGE, PLOT_TOP, PLOT_WIDTH, PLOT_HEIGHT - 100);
}

static int
cmd_report_run(int argc, char **argv)
{
	struct plot_opts o;
	struct error err;
	bool help;

	if (cmd_plot_parse(&o, argc, argv, &help, &err) < 0)
		return cmd_usage_error("report", &err);
	if (help) {
		cmd_report_usage(stdout);
		return 0;
	}
	err.msg[0] = '\0';
	return cmd_done(report_run(&o, &err), &err);
}

const struct cmd_entry cmd_report_entry = {
    .name = "report",
    .word = true,
    .options = cmd_plot_options,
    .usage = cmd_report_usage,
    .run = cmd_report_run,
};
