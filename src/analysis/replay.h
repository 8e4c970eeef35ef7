/*
 * The CSV replay behind memtrend analyze, plot and report: a CSV time
 * series replayed through the same streaming verdict the live monitor
 * runs.  Any CSV with a header that has
 * elapsed_s (or an ISO 8601 timestamp) and at least one of rss_kb,
 * pss_kb, uss_kb will do; other columns are ignored (DESIGN.md).
 */
#ifndef MEMTREND_ANALYSIS_REPLAY_H
#define MEMTREND_ANALYSIS_REPLAY_H

#include "analysis/verdict.h"
#include "core/provenance.h"
#include "util/error.h"

/* Reads path ("-": standard input) into v, whose metric is
 * VERDICT_AUTO (USS if the file has it, else PSS, else RSS) or a field
 * id.  Bad input fails with -EINVAL and a message naming the line.  A
 * capture archive (known by its first bytes, analysis/archread.h) is read
 * too: damage after its good records is no failure, but on success
 * err->msg then says what was skipped (else it is ""). */
int replay_file(const char *path, struct verdict *v, struct error *err);

/* The same, and each row's sample goes to fn after the verdict took it:
 * elapsed_s counted from the first row, wall_s from the timestamp column
 * (NAN without one), every column of the field table the header has
 * (checked as strictly as the metric).  A non-zero return from fn stops
 * the read and is returned.  Charts and the report read CSVs this way. */
typedef int (*replay_sample_fn)(void *ctx, const struct sample *s);
int replay_file_each(const char *path, struct verdict *v, replay_sample_fn fn,
		     void *ctx, struct error *err);

/* A long-format CSV (a set's or memtrend top's: DESIGN.md): each row goes
 * to the verdict pick returns for its pid, or is skipped when it returns
 * NULL (then fn does not see it either; the samples fn sees carry the
 * pid).  tmpl resolves the metric from the header (VERDICT_AUTO as
 * above); pick gets it to set up the verdicts it makes.  Rows of one time
 * may repeat across processes; each process's must be in time order. */
typedef struct verdict *(*replay_pick_fn)(void *ctx, long pid,
					  const struct verdict *tmpl);
int replay_file_pick(const char *path, struct verdict *tmpl,
		     replay_pick_fn pick, void *ctx, replay_sample_fn fn,
		     void *fn_ctx, struct error *err);

/* The same, on the elapsed_s the rows hold rather than counted from the
 * first row's: the daemon resumes a target's verdict on the clock its
 * files carry on, whichever rotated files have been pruned. */
int replay_file_pick_raw(const char *path, struct verdict *tmpl,
			 replay_pick_fn pick, void *ctx, replay_sample_fn fn,
			 void *fn_ctx, struct error *err);

/* replay_file_pick() when the header is long format (it has a comm
 * column), else replay_file() into tmpl. */
int replay_file_auto(const char *path, struct verdict *tmpl,
		     replay_pick_fn pick, void *ctx, replay_sample_fn fn,
		     void *fn_ctx, struct error *err);

/* replay_file_pick() (pick_auto false) or replay_file_auto() (true),
 * for an fn that reads of each sample only its pid, elapsed_s and the
 * judged metric (analyze ranks processes by it): the columns the
 * verdict does not judge are checked as every replay checks them (bad
 * input is refused the same way) but not converted, their fields NAN in
 * the samples, and a cell of them that no check could refuse is not
 * copied out of the parser.  analyze's time is mostly reading. */
int replay_file_metric(const char *path, struct verdict *tmpl,
		       replay_pick_fn pick, void *ctx, bool pick_auto,
		       replay_sample_fn fn, void *fn_ctx, struct error *err);

/*
 * Reads a long-format regions CSV (--regions-csv: one row per region per
 * region sample, a header with elapsed_s or timestamp, region, and
 * uss_kb or rss_kb; kind, the other region fields and idle_method when
 * there) and hands each region sample to fn: elapsed_s (or seconds since
 * the first timestamp), wall_s (NAN without timestamps) and regions,
 * every value NAN where its cell is empty or its column absent.  Bad
 * input fails with -EINVAL naming the line; a non-zero return from fn
 * stops the read and is returned.
 */
int replay_regions_file(const char *path, replay_sample_fn fn, void *ctx,
			struct error *err);

/* The run's regions CSV as v's region evidence ("[heap] accounts for
 * 95 % of the growth"), as the live run gives it (regtrack_evidence). */
int replay_regions_evidence(const char *path, struct verdict *v,
			    struct error *err);

/* replay_file_auto(), and about gets the file's provenance line (known
 * stays false without one). */
int replay_file_auto_about(const char *path, struct verdict *tmpl,
			   replay_pick_fn pick, void *ctx, replay_sample_fn fn,
			   void *fn_ctx, struct provenance *about,
			   struct error *err);
/* NULL when v is a value a run can produce for the column name (by its
 * unit: _kb, _s, else a count), else what the column should hold. */
const char *replay_out_of_range(const char *name, double v);

/* An ISO 8601 date and time ("2026-11-18T11:06:40.125Z", a space for
 * the T, an offset or none for UTC) as seconds since the epoch. */
int replay_parse_time(const char *text, double *seconds);

#endif
