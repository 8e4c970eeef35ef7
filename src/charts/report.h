/*
 * memtrend report: one self-contained HTML file about a run -- the
 * verdict and its evidence, the charts as inline SVG, and summary tables
 * -- with no external references, readable offline in any browser.
 */
#ifndef MEMTREND_REPORT_H
#define MEMTREND_REPORT_H

#include "charts/plot.h"
#include "util/error.h"

/* Reads o->csv (and o->regions_csv) and writes the report to o->out. */
int report_run(const struct plot_opts *o, struct error *err);

#endif
