/*
 * Running gnuplot on the chart templates in plots/.
 *
 * gnuplot is the one configure found (AC_PATH_PROG), checked again now,
 * else the first on $PATH; MEMTREND_GNUPLOT names another.  Templates
 * are looked up in a directory given by --templates or MEMTREND_PLOTS
 * first, then in the source tree when memtrend runs from its build tree,
 * else in $(pkgdatadir)/plots.  Data goes through a private temporary
 * directory under $TMPDIR that gnuplot_close() always removes; while a
 * job is open SIGINT, SIGTERM and SIGHUP only interrupt it, so the
 * caller can clean up.  gnuplot runs by fork/exec, no shell, with the
 * template's parameters as one -e of assignments.
 */
#ifndef MEMTREND_GNUPLOT_H
#define MEMTREND_GNUPLOT_H

#include <stdio.h>

#include "util/error.h"

struct gnuplot;

/* The Debian package that installs a gnuplot memtrend can use. */
#define GNUPLOT_PACKAGE "gnuplot-nox"

/* Finds gnuplot (into *path, allocated) without starting anything. */
int gnuplot_find(char **path, struct error *err);

/* Finds gnuplot and makes the temporary directory.  templates: a
 * directory searched first, or NULL. */
int gnuplot_open(struct gnuplot **out, const char *templates,
		 struct error *err);

/* Removes the temporary directory and everything in it, and puts the
 * signal handlers back. */
void gnuplot_close(struct gnuplot *g);

/* The path of a file named name in the temporary directory (owned by g). */
const char *gnuplot_tmp_path(struct gnuplot *g, const char *name);

/* Creates that file for writing. */
int gnuplot_tmp_create(struct gnuplot *g, const char *name, FILE **fp,
		       const char **path, struct error *err);

/* The path of a template (owned by g), or -ENOENT saying where it looked. */
int gnuplot_template(struct gnuplot *g, const char *name, const char **path,
		     struct error *err);

/* Parameters for the next gnuplot_run(), as gnuplot variables. */
void gnuplot_param_str(struct gnuplot *g, const char *name, const char *value);
void gnuplot_param_num(struct gnuplot *g, const char *name, double value);

/* Runs gnuplot on the template with the parameters set since the last
 * run; fails with gnuplot's own last message, or -EINTR when a signal
 * arrived. */
int gnuplot_run(struct gnuplot *g, const char *template, struct error *err);

/* -EINTR with a message when a signal arrived since gnuplot_open(). */
int gnuplot_interrupted(const struct gnuplot *g, struct error *err);

#endif
