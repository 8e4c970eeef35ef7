/*
 * Evidence to words and JSON (see verdict.h).  Sizes keep the unit that
 * suits the slope (KiB/MiB/GiB per hour), its interval uses the same unit
 * so the three numbers compare at a glance.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "util/units.h"

static const struct {
	const char *name;  /* --metric and JSON */
	const char *label; /* in sentences */
	enum field_id field;
} verdict_metrics[] = {
    {"uss", "USS", FIELD_USS_KB},
    {"pss", "PSS", FIELD_PSS_KB},
    {"rss", "RSS", FIELD_RSS_KB},
};
#define VERDICT_NMETRICS (sizeof verdict_metrics / sizeof verdict_metrics[0])

void
verdict_init(struct verdict *v, int metric)
{
	memset(v, 0, sizeof *v);
	v->metric = metric;
	v->trend = trend_new();
	v->daily_cycle = true;
	v->exact_s = v->exact_kb = NAN;
	v->mem_available_kb = v->cgroup_limit_kb = v->cgroup_usage_kb = NAN;
}

void
verdict_set_daily_cycle(struct verdict *v, bool possible)
{
	v->daily_cycle = possible;
	trend_set_daily_cycle(v->trend, possible);
	if (v->mixed != NULL)
		trend_set_daily_cycle(v->mixed, possible);
}

void
verdict_new_instance(struct verdict *v)
{
	/* The series the instance was judged on: its estimates when its
	 * exact reads were too few. */
	const struct trend_evidence *ev = verdict_evidence(v);
	struct verdict_instance *in;
	bool fit = ev->points > 0;

	if (ev->samples == 0 && v->mixed == NULL)
		return;
	if (v->ninstances >= VERDICT_INSTANCES)
		memmove(v->past, v->past + 1,
			(VERDICT_INSTANCES - 1) * sizeof *v->past);
	in =
	    &v->past[v->ninstances < VERDICT_INSTANCES ? v->ninstances
						       : VERDICT_INSTANCES - 1];
	in->verdict = ev->verdict;
	in->slope = fit ? ev->slope : NAN;
	in->slope_lo = fit ? ev->slope_lo : NAN;
	in->p_value = fit ? ev->p_value : NAN;
	in->span_s = ev->last_s - ev->first_s;
	v->ninstances++;
	trend_free(v->trend);
	v->trend = trend_new();
	trend_set_daily_cycle(v->trend, v->daily_cycle);
	/* The estimates start afresh with the instance too. */
	trend_free(v->mixed);
	v->mixed = NULL;
	v->estimated = 0;
	v->exact_s = v->exact_kb = NAN;
}

static int
verdict_double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* An instance that grew: flagged, or a fit whose whole 95 % interval is
 * above zero (an instance restarted before the gates' span). */
static bool
verdict_instance_grew(const struct verdict_instance *in)
{
	return in->verdict == TREND_GROWING ||
	       (in->slope_lo > 0 && in->p_value < 0.05);
}

unsigned long
verdict_instances_alike(const struct verdict *v, double *slope)
{
	size_t kept = v->ninstances < VERDICT_INSTANCES ? v->ninstances
							: VERDICT_INSTANCES;
	double rate[VERDICT_INSTANCES], lo = INFINITY, hi = 0;
	size_t n = 0;

	*slope = NAN;
	while (n < kept) {
		const struct verdict_instance *in = &v->past[kept - 1 - n];

		if (!verdict_instance_grew(in) ||
		    fmax(hi, in->slope) > 2 * fmin(lo, in->slope))
			break;
		lo = fmin(lo, in->slope);
		hi = fmax(hi, in->slope);
		rate[n++] = in->slope;
	}
	if (n < 3)
		return 0;
	qsort(rate, n, sizeof *rate, verdict_double_cmp);
	*slope = n % 2 ? rate[n / 2] : (rate[n / 2 - 1] + rate[n / 2]) / 2;
	return n;
}

void
verdict_free(struct verdict *v)
{
	trend_free(v->trend);
	trend_free(v->mixed);
	v->trend = v->mixed = NULL;
}

int
verdict_err_field(int metric)
{
	switch (metric) {
	case FIELD_USS_KB:
		return FIELD_USS_ERR_KB;
	case FIELD_PSS_KB:
		return FIELD_PSS_ERR_KB;
	default:
		return -1;
	}
}

int
verdict_add(struct verdict *v, const struct sample *s)
{
	double value;
	size_t i;
	int err, rc;

	if (v->metric == VERDICT_AUTO) {
		for (i = 0; i < VERDICT_NMETRICS; i++)
			if (!isnan(s->value[verdict_metrics[i].field]))
				break;
		if (i == VERDICT_NMETRICS)
			return 0; /* nothing to judge yet */
		v->metric = (int)verdict_metrics[i].field;
	}
	if (!isnan(s->value[FIELD_MEM_AVAILABLE_KB]))
		v->mem_available_kb = s->value[FIELD_MEM_AVAILABLE_KB];
	if (s->instance != 0 && s->instance != v->instance) {
		if (v->instance != 0)
			verdict_new_instance(v);
		v->instance = s->instance;
	}
	v->cgroup_limit_kb = s->value[FIELD_CGROUP_LIMIT_KB];
	v->cgroup_usage_kb = s->value[FIELD_CGROUP_USAGE_KB];
	value = s->value[v->metric];
	err = verdict_err_field(v->metric);
	if (err >= 0 && !isnan(value) && !isnan(s->value[err])) {
		/* An estimate: the mixed series only, from the first on. */
		if (v->mixed == NULL) {
			v->mixed = trend_new();
			trend_set_daily_cycle(v->mixed, v->daily_cycle);
			trend_add(v->mixed, v->exact_s, v->exact_kb);
		}
		v->estimated++;
		return trend_add(v->mixed, s->elapsed_s, value);
	}
	if (v->mixed != NULL &&
	    (rc = trend_add(v->mixed, s->elapsed_s, value)) < 0)
		return rc;
	if ((rc = trend_add(v->trend, s->elapsed_s, value)) == 0 &&
	    !isnan(value)) {
		v->exact_s = s->elapsed_s;
		v->exact_kb = value;
	}
	return rc;
}

void
verdict_clear_regions(struct verdict *v)
{
	v->nregions = 0;
}

int
verdict_add_region(struct verdict *v, const char *name, double growth_share,
		   double idle_share, double idle_s)
{
	struct verdict_region *r;
	size_t at;

	if (v->nregions == VERDICT_REGIONS)
		return -ENOSPC;
	for (at = v->nregions; at > 0; at--) {
		if (v->region[at - 1].growth_share >= growth_share)
			break;
		v->region[at] = v->region[at - 1];
	}
	r = &v->region[at];
	snprintf(r->name, sizeof r->name, "%s", name);
	r->growth_share = growth_share;
	r->idle_share = idle_share;
	r->idle_s = idle_s;
	v->nregions++;
	return 0;
}

const struct trend_evidence *
verdict_evidence(const struct verdict *v)
{
	return trend_evidence(verdict_estimated(v) ? v->mixed : v->trend);
}

bool
verdict_estimated(const struct verdict *v)
{
	return v->mixed != NULL &&
	       trend_evidence(v->trend)->verdict == TREND_INSUFFICIENT &&
	       trend_evidence(v->mixed)->verdict != TREND_INSUFFICIENT;
}

const char *
verdict_name(enum trend_verdict verdict)
{
	switch (verdict) {
	case TREND_GROWING:
		return "growing";
	case TREND_STABLE:
		return "stable";
	case TREND_INSUFFICIENT:
		break;
	}
	return "insufficient";
}

static size_t
verdict_metric_index(const struct verdict *v)
{
	size_t i;

	for (i = 0; i < VERDICT_NMETRICS; i++)
		if ((int)verdict_metrics[i].field == v->metric)
			return i;
	return 0;
}

const char *
verdict_metric_name(const struct verdict *v)
{
	return v->metric == VERDICT_AUTO
		   ? ""
		   : verdict_metrics[verdict_metric_index(v)].name;
}

static const char *
verdict_metric_label(const struct verdict *v)
{
	return v->metric == VERDICT_AUTO
		   ? "Memory"
		   : verdict_metrics[verdict_metric_index(v)].label;
}

int
verdict_parse_metric(const char *text, int *metric, struct error *err)
{
	size_t i;

	for (i = 0; i < VERDICT_NMETRICS; i++) {
		if (strcmp(text, verdict_metrics[i].name) == 0) {
			*metric = (int)verdict_metrics[i].field;
			return 0;
		}
	}
	return error_set(err, EINVAL,
			 "invalid metric '%s' (use uss, pss or "
			 "rss)",
			 text);
}

double
verdict_hours_to_mem(const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);

	if (ev->verdict != TREND_GROWING || !(ev->slope > 0) ||
	    isnan(v->mem_available_kb))
		return NAN;
	return v->mem_available_kb / ev->slope;
}

double
verdict_hours_to_limit(const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	double used = v->cgroup_usage_kb;

	if (ev->verdict != TREND_GROWING || !(ev->slope > 0) ||
	    isnan(v->cgroup_limit_kb))
		return NAN;
	if (isnan(used))
		used = ev->floor_end_kb;
	return fmax(0, v->cgroup_limit_kb - used) / ev->slope;
}

/* ---- the sentence ----------------------------------------------------- */

static void verdict_cat(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
verdict_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* Three significant figures or so. */
static void
verdict_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (isnan(v))
		snprintf(buf, len, "?");
	else if (a >= 100 || a == 0)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

/* "12.3 MiB/h (95% CI 11.8–12.9)" */
static void
verdict_rate(char *buf, size_t len, const struct trend_evidence *ev)
{
	char b[32], lo[32], hi[32];
	const char *unit;
	double div = units_kib_scale(ev->slope, 1, &unit);

	verdict_num(b, sizeof b, ev->slope / div);
	verdict_num(lo, sizeof lo, ev->slope_lo / div);
	verdict_num(hi, sizeof hi, ev->slope_hi / div);
	verdict_cat(buf, len, "%s %s/h (95%% CI %s–%s)", b, unit, lo, hi);
}

static void
verdict_p(char *buf, size_t len, double p)
{
	if (p < 1e-9)
		verdict_cat(buf, len, "p < 1e-9");
	else if (p < 0.001)
		verdict_cat(buf, len, "p = %.1e", p);
	else
		verdict_cat(buf, len, "p = %.2g", p);
}

static void
verdict_kib(char *buf, size_t len, double kb)
{
	char b[32];

	units_format_kib(b, sizeof b, kb, false, false);
	verdict_cat(buf, len, "%s", b);
}

static void
verdict_duration(char *buf, size_t len, double s)
{
	char b[32];

	units_format_duration(b, sizeof b, s);
	verdict_cat(buf, len, "%s", b);
}

/* " under a 3 h 0 min cycle of +-40 MiB" */
static void
verdict_cycle(const struct trend_evidence *ev, char *buf, size_t len)
{
	verdict_cat(buf, len, " under a ");
	verdict_duration(buf, len, ev->cycle_period_s);
	verdict_cat(buf, len, " cycle of ±");
	verdict_kib(buf, len, ev->cycle_kb);
}

/* An explanation in words: "a warm-up levelling off at 310 MiB". */
static void
verdict_explanation(const struct trend_evidence *ev, enum models_kind kind,
		    char *buf, size_t len)
{
	switch (kind) {
	case MODELS_FLAT:
		verdict_cat(buf, len, "a flat floor");
		break;
	case MODELS_STEP:
		verdict_cat(buf, len, "one step");
		break;
	case MODELS_WARMUP:
		/* A warm-up fitted to a line ends below the data: then its
		 * level says nothing. */
		if (ev->plateau_kb > ev->floor_end_kb) {
			verdict_cat(buf, len, "a warm-up levelling off at ");
			verdict_kib(buf, len, ev->plateau_kb);
		} else {
			verdict_cat(buf, len, "a warm-up levelling off");
		}
		break;
	case MODELS_DAILY:
		verdict_cat(buf, len, "a daily cycle");
		break;
	case MODELS_WANDER:
		verdict_cat(buf, len, "a wander about a level");
		break;
	case MODELS_EPISODE:
		verdict_cat(buf, len, "one episode up and back down");
		break;
	case MODELS_ALIAS:
		verdict_cat(buf, len,
			    "a flat floor under teeth sampled near their "
			    "period (the least sample drifts along them)");
		break;
	case MODELS_LINEAR:
		verdict_cat(buf, len, "a steady rise from the start");
		break;
	case MODELS_STARTUP_LINEAR:
		verdict_cat(buf, len, "a start-up, then a steady rise from ");
		verdict_duration(buf, len, ev->start_s - ev->first_s);
		break;
	case MODELS_ONSET:
		verdict_cat(buf, len,
			    "a level floor, then a steady rise from ");
		verdict_duration(buf, len, ev->start_s - ev->first_s);
		break;
	case MODELS_LINEAR_EPISODE:
		verdict_cat(buf, len, "a steady rise under one episode");
		break;
	case MODELS_KINDS:
		verdict_cat(buf, len, "none");
		break;
	}
}

/* " Best explanation: X; next best: Y (BIC N worse)." */
static void
verdict_explained(const struct trend_evidence *ev, char *buf, size_t len)
{
	if (ev->explanation == MODELS_KINDS)
		return;
	verdict_cat(buf, len, " Best explanation: ");
	verdict_explanation(ev, ev->explanation, buf, len);
	if (ev->deseasonalized && ev->cycle_period_s > 0)
		verdict_cycle(ev, buf, len);
	if (ev->runner_up != MODELS_KINDS && isfinite(ev->delta_bic)) {
		verdict_cat(buf, len, "; next best: ");
		verdict_explanation(ev, ev->runner_up, buf, len);
		verdict_cat(buf, len, " (BIC %.0f worse)", fabs(ev->delta_bic));
	}
	verdict_cat(buf, len, ".");
}

static void
verdict_growing(const struct verdict *v, const struct trend_evidence *ev,
		char *buf, size_t len)
{
	verdict_cat(buf, len, "%s growing ", verdict_metric_label(v));
	verdict_rate(buf, len, ev);
	verdict_cat(buf, len, " for ");
	verdict_duration(buf, len, ev->end_s - ev->start_s);
	verdict_cat(buf, len,
		    ", steady (Mann–Kendall, autocorrelation-"
		    "corrected ");
	verdict_p(buf, len, ev->p_value);
	verdict_cat(buf, len, "). Floor rose with it: ");
	verdict_kib(buf, len, ev->floor_start_kb);
	verdict_cat(buf, len, " to ");
	verdict_kib(buf, len, ev->floor_end_kb);
	verdict_cat(buf, len, ". First flagged at ");
	verdict_duration(buf, len, ev->detected_at_s - ev->first_s);
	verdict_cat(buf, len, ".");
	verdict_explained(ev, buf, len);
}

static void
verdict_regions(const struct verdict *v, char *buf, size_t len)
{
	const struct verdict_region *r;
	size_t i;

	for (i = 0; i < v->nregions; i++) {
		r = &v->region[i];
		if (i == 0) {
			verdict_cat(buf, len,
				    " %s accounts for %.0f %% of the "
				    "growth",
				    r->name, r->growth_share * 100);
			if (!isnan(r->idle_share)) {
				verdict_cat(
				    buf, len,
				    "; %.0f %% of its new "
				    "pages were never touched again after they "
				    "appeared (followed for ",
				    r->idle_share * 100);
				verdict_duration(buf, len, r->idle_s);
				verdict_cat(buf, len, ")");
			}
		} else {
			verdict_cat(buf, len, "%s %s %.0f %%",
				    i == 1 ? "; then" : ",", r->name,
				    r->growth_share * 100);
		}
	}
	if (v->nregions > 0)
		verdict_cat(buf, len, ".");
}

static void
verdict_exhaustion(const struct verdict *v, char *buf, size_t len)
{
	double mem = verdict_hours_to_mem(v), lim = verdict_hours_to_limit(v);

	if (isnan(mem) && isnan(lim))
		return;
	verdict_cat(buf, len, " At this rate ");
	if (!isnan(mem)) {
		verdict_cat(buf, len, "MemAvailable runs out in ");
		verdict_duration(buf, len, mem * 3600);
	}
	if (!isnan(lim)) {
		verdict_cat(buf, len, "%sthe cgroup limit in ",
			    isnan(mem) ? "" : "; ");
		verdict_duration(buf, len, lim * 3600);
	}
	verdict_cat(buf, len, ".");
}

/* "rising 1.2 MiB/h (95% CI 0.9–1.5) over 5 h 0 min" */
static void
verdict_over(const struct trend_evidence *ev, const char *how, char *buf,
	     size_t len)
{
	verdict_cat(buf, len, " %s ", how);
	verdict_rate(buf, len, ev);
	verdict_cat(buf, len, " over ");
	verdict_duration(buf, len, ev->end_s - ev->start_s);
}

/* "USS <how> <KIB> over <the window>" */
static void
verdict_amount_over(const struct trend_evidence *ev, const char *m,
		    const char *how, double kib, char *buf, size_t len)
{
	verdict_cat(buf, len, "%s %s ", m, how);
	verdict_kib(buf, len, kib);
	verdict_cat(buf, len, " over ");
	verdict_duration(buf, len, ev->end_s - ev->start_s);
}

/* "USS rising R over D, but <why>; needs N more<or> to tell." */
static void
verdict_needs_more(const struct trend_evidence *ev, const char *m,
		   const char *why, const char * or, char *buf, size_t len)
{
	verdict_cat(buf, len, "%s", m);
	verdict_over(ev, "rising", buf, len);
	verdict_cat(buf, len, ", but %s; needs ", why);
	verdict_duration(buf, len, ev->need_s);
	verdict_cat(buf, len, " more%s to tell.", or);
}

/* "slope 12.3 MiB/h (95% CI 11.8-12.9), Mann-Kendall p = 0.02" */
static void
verdict_slope_mk(const struct trend_evidence *ev, char *buf, size_t len)
{
	verdict_cat(buf, len, "slope ");
	verdict_rate(buf, len, ev);
	verdict_cat(buf, len, ", Mann–Kendall ");
	verdict_p(buf, len, ev->p_value);
}

/* How long a rise that goes on as it has needs (ev->need_s) before it
 * tells, then tail; without an estimate, none. */
static void
verdict_projected(const struct trend_evidence *ev, const char *tail,
		  const char *none, char *buf, size_t len)
{
	if (!(ev->need_s > 0)) {
		verdict_cat(buf, len, "%s", none);
		return;
	}
	verdict_cat(buf, len, "if it goes on rising like this, about ");
	verdict_duration(buf, len, ev->need_s);
	verdict_cat(buf, len, "%s", tail);
}

static void
verdict_not_growing(const struct verdict *v, const struct trend_evidence *ev,
		    char *buf, size_t len)
{
	const char *m = verdict_metric_label(v);

	switch (ev->why) {
	case TREND_WHY_GROWING:
	case TREND_WHY_FEW:
		verdict_cat(buf, len,
			    "%s: not enough data yet (%lu sample%s "
			    "over ",
			    m, ev->samples, ev->samples == 1 ? "" : "s");
		verdict_duration(
		    buf, len, ev->samples > 0 ? ev->last_s - ev->first_s : 0);
		verdict_cat(buf, len, "); needs at least %lu more sample%s.",
			    ev->need_samples, ev->need_samples == 1 ? "" : "s");
		return;
	case TREND_WHY_CONFIRMING:
		verdict_cat(buf, len, "%s", m);
		verdict_over(ev, "rising", buf, len);
		verdict_cat(buf, len, " (");
		verdict_p(buf, len, ev->p_value);
		verdict_cat(buf, len,
			    "); confirming that it keeps on before "
			    "calling it a leak.");
		return;
	case TREND_WHY_CYCLE:
		verdict_needs_more(ev, m, "a daily cycle could rise that much",
				   "", buf, len);
		return;
	case TREND_WHY_SHORT:
		verdict_needs_more(
		    ev, m,
		    "a warm-up, a filling cache or the "
		    "first tooth of a sawtooth rises like that for a while",
		    "", buf, len);
		return;
	case TREND_WHY_FLAT:
		verdict_amount_over(ev, m, "stable at", ev->level_kb, buf, len);
		if (ev->p_value < TREND_ALPHA) {
			/* A rise that a bounded explanation decisively
			 * explains better than growth. */
			verdict_cat(buf, len, ": ");
			verdict_explanation(ev, ev->explanation, buf, len);
			verdict_cat(buf, len,
				    " explains its rise better than growth ");
			if (isfinite(ev->delta_bic))
				verdict_cat(buf, len, "(BIC %.0f ahead; ",
					    fabs(ev->delta_bic));
			else
				verdict_cat(buf, len, "(no rising line fits; ");
			verdict_slope_mk(ev, buf, len);
			verdict_cat(buf, len, ").");
			return;
		}
		verdict_cat(buf, len, ": no significant trend in the floor, ");
		verdict_slope_mk(ev, buf, len);
		verdict_cat(buf, len, ".");
		return;
	case TREND_WHY_FALLING:
		verdict_cat(buf, len, "%s", m);
		verdict_over(ev, "falling", buf, len);
		verdict_cat(buf, len, ": not a leak.");
		return;
	case TREND_WHY_SLOW:
		verdict_cat(buf, len, "%s", m);
		verdict_over(ev, "rising", buf, len);
		verdict_cat(buf, len,
			    ", too slow to call a leak (under 0.2 %% "
			    "of the floor per hour, or under 64 KiB in all).");
		return;
	case TREND_WHY_SATURATING:
		verdict_cat(buf, len,
			    "%s growing, slowing: likely a cache "
			    "filling toward ~",
			    m);
		verdict_kib(buf, len, ev->plateau_kb);
		verdict_cat(buf, len, " (a warm-up, time constant ");
		verdict_duration(buf, len, ev->tau_s);
		verdict_cat(buf, len, "), not a steady leak.");
		return;
	case TREND_WHY_PERIODIC:
		verdict_amount_over(ev, m, "stable at", ev->level_kb, buf, len);
		verdict_cat(buf, len, ":");
		verdict_cycle(ev, buf, len);
		verdict_cat(buf, len,
			    ev->p_value < TREND_ALPHA
				? " on a flat floor explains its rise "
				  "better than growth (slope "
				: " on a flat floor, no trend beyond it "
				  "(slope ");
		verdict_rate(buf, len, ev);
		verdict_cat(buf, len, ").");
		return;
	case TREND_WHY_WANDER:
		verdict_amount_over(ev, m, "stable at", ev->level_kb, buf, len);
		verdict_cat(buf, len,
			    ev->p_value < TREND_ALPHA
				? ": a wander about that level explains "
				  "its rise better than growth (slope "
				: ": it wanders about that level and comes "
				  "back, no trend (slope ");
		verdict_rate(buf, len, ev);
		verdict_cat(buf, len, ").");
		return;
	case TREND_WHY_AMBIGUOUS:
		verdict_cat(buf, len, "%s", m);
		verdict_over(ev, "rising", buf, len);
		verdict_cat(buf, len, ", but ");
		if (models_is_growth(ev->explanation)) {
			verdict_explanation(ev, ev->runner_up, buf, len);
			verdict_cat(buf, len,
				    " still explains it nearly as well; ");
		} else {
			/* A bounded explanation leads, not decisively. */
			verdict_explanation(ev, ev->explanation, buf, len);
			verdict_cat(buf, len,
				    " explains it as well or better; ");
		}
		verdict_projected(ev, " more tells them apart.",
				  "watching until one wins.", buf, len);
		return;
	case TREND_WHY_UNSURE:
		verdict_cat(buf, len, "%s", m);
		verdict_over(ev, "rising", buf, len);
		verdict_cat(buf, len, ", not yet significant (");
		verdict_p(buf, len, ev->p_value);
		verdict_cat(buf, len, "; a leak needs p < %g): ", TREND_ALPHA);
		verdict_projected(ev, " more tells.", "watching.", buf, len);
		return;
	case TREND_WHY_STEP:
		verdict_cat(buf, len, "%s stepped up ", m);
		verdict_kib(buf, len, ev->step_kb);
		verdict_cat(buf, len, " at ");
		verdict_duration(buf, len, ev->step_at_s - ev->first_s);
		verdict_cat(buf, len,
			    " and stayed flat on both sides: a step, "
			    "not a leak.");
		return;
	case TREND_WHY_RECEDED:
		verdict_cat(buf, len,
			    "%s rose, then its floor fell back: not a "
			    "leak.",
			    m);
		return;
	}
}

/* Which series was judged, when some values were estimates. */
static void
verdict_series(const struct verdict *v, char *buf, size_t len)
{
	const char *m = verdict_metric_label(v);

	if (v->estimated == 0)
		return;
	if (verdict_estimated(v))
		verdict_cat(buf, len,
			    " Judged on the estimated %s (%lu of %lu values "
			    "from a sample of pages): the exact reads %s.",
			    m, v->estimated, trend_evidence(v->mixed)->samples,
			    trend_evidence(v->trend)->why == TREND_WHY_FEW
				? "are too few to decide yet"
				: "alone do not decide yet");
	else
		verdict_cat(buf, len,
			    " Judged on the exact %s reads (%lu value%s "
			    "estimated between them left out).",
			    m, v->estimated, v->estimated == 1 ? "" : "s");
}

/* "Each of the last 4 instances grew ~12 MiB/h until restarted: a leak
 * the restarts hide.  " */
static void
verdict_restarts(const struct verdict *v, char *buf, size_t len)
{
	double slope, div;
	unsigned long n = verdict_instances_alike(v, &slope);
	const char *unit;
	char b[32];

	if (n == 0)
		return;
	div = units_kib_scale(slope, 1, &unit);
	verdict_num(b, sizeof b, slope / div);
	verdict_cat(buf, len,
		    "Each of the last %lu instances grew ~%s %s/h until "
		    "restarted: a leak the restarts hide. This instance: ",
		    n, b, unit);
}

void
verdict_sentence(const struct verdict *v, char *buf, size_t len)
{
	const struct trend_evidence *ev = verdict_evidence(v);

	if (len == 0)
		return;
	buf[0] = '\0';
	verdict_restarts(v, buf, len);
	if (ev->verdict == TREND_GROWING) {
		verdict_growing(v, ev, buf, len);
		verdict_regions(v, buf, len);
		verdict_exhaustion(v, buf, len);
	} else {
		verdict_not_growing(v, ev, buf, len);
	}
	if (ev->gaps > 0) {
		verdict_cat(buf, len, " The data has %lu gap%s (", ev->gaps,
			    ev->gaps == 1 ? "" : "s");
		verdict_duration(buf, len, ev->gap_s);
		verdict_cat(buf, len, " in all), not filled in.");
	}
	verdict_series(v, buf, len);
}

/* ---- JSON ------------------------------------------------------------- */

void
verdict_json_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* ,"key":value with that many decimals (negative: significant digits),
 * or null when the value is unknown. */
static void
verdict_json_num(FILE *fp, const char *key, double v, int decimals)
{
	fprintf(fp, ",\"%s\":", key);
	if (!isfinite(v))
		fputs("null", fp);
	else if (decimals < 0)
		fprintf(fp, "%.*g", -decimals, v);
	else
		fprintf(fp, "%.*f", decimals, v);
}

static const char *
verdict_why_name(enum trend_why why)
{
	static const char *names[] = {
	    [TREND_WHY_GROWING] = "growing",
	    [TREND_WHY_FEW] = "few_samples",
	    [TREND_WHY_FLAT] = "no_trend",
	    [TREND_WHY_FALLING] = "falling",
	    [TREND_WHY_SLOW] = "too_slow",
	    [TREND_WHY_CYCLE] = "daily_cycle_possible",
	    [TREND_WHY_SHORT] = "too_short",
	    [TREND_WHY_SATURATING] = "levelling_off",
	    [TREND_WHY_STEP] = "single_step",
	    [TREND_WHY_RECEDED] = "floor_receded",
	    [TREND_WHY_CONFIRMING] = "confirming",
	    [TREND_WHY_PERIODIC] = "periodic",
	    [TREND_WHY_AMBIGUOUS] = "undecided",
	    [TREND_WHY_WANDER] = "wander",
	    [TREND_WHY_UNSURE] = "not_significant",
	};

	return names[why];
}

/* "instances": how many the series had (restarts + 1), and how many of
 * the last grew alike, at what rate. */
static void
verdict_json_instances(FILE *fp, const struct verdict *v)
{
	double slope;
	unsigned long n = verdict_instances_alike(v, &slope);

	fprintf(fp, ",\"instances\":%lu,\"instances_grew_alike\":%lu",
		v->ninstances + 1, n);
	verdict_json_num(fp, "instances_slope_kb_per_hour", slope, 1);
}

void
verdict_json(FILE *fp, const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	bool growing = ev->verdict == TREND_GROWING;
	const struct verdict_region *r;
	char sentence[2048];
	size_t i;

	fprintf(fp,
		"{\"verdict\":\"%s\",\"metric\":", verdict_name(ev->verdict));
	verdict_json_string(fp, verdict_metric_name(v));
	verdict_json_num(fp, "slope_kb_per_hour",
			 ev->points > 0 ? ev->slope : NAN, 1);
	verdict_json_num(fp, "detected_at_s",
			 growing ? ev->detected_at_s - ev->first_s : NAN, 3);
	fprintf(fp, ",\"reason\":\"%s\"", verdict_why_name(ev->why));
	verdict_json_num(fp, "slope_ci95_low_kb_per_hour",
			 ev->points > 0 ? ev->slope_lo : NAN, 1);
	verdict_json_num(fp, "slope_ci95_high_kb_per_hour",
			 ev->points > 0 ? ev->slope_hi : NAN, 1);
	verdict_json_num(fp, "p_value", ev->points > 0 ? ev->p_value : NAN, -3);
	fprintf(fp, ",\"samples\":%lu,\"points\":%zu", ev->samples, ev->points);
	verdict_json_num(fp, "span_s",
			 ev->samples > 0 ? ev->last_s - ev->first_s : 0, 3);
	verdict_json_num(fp, "window_start_s", ev->start_s - ev->first_s, 3);
	verdict_json_num(fp, "window_end_s", ev->end_s - ev->first_s, 3);
	verdict_json_num(fp, "bucket_s", ev->points > 0 ? ev->bucket_s : NAN,
			 -6);
	verdict_json_num(fp, "floor_kb", ev->points > 0 ? ev->level_kb : NAN,
			 0);
	verdict_json_num(fp, "floor_start_kb",
			 ev->points > 0 ? ev->floor_start_kb : NAN, 0);
	verdict_json_num(fp, "floor_end_kb",
			 ev->points > 0 ? ev->floor_end_kb : NAN, 0);
	fprintf(fp, ",\"gaps\":%lu", ev->gaps);
	verdict_json_num(fp, "gap_s", ev->gap_s, 3);
	fprintf(fp, ",\"need_samples\":%lu", ev->need_samples);
	verdict_json_num(fp, "need_s", ev->need_s, 0);
	verdict_json_num(fp, "mem_available_kb", v->mem_available_kb, 0);
	verdict_json_num(fp, "hours_to_mem_available", verdict_hours_to_mem(v),
			 2);
	verdict_json_num(fp, "cgroup_limit_kb", v->cgroup_limit_kb, 0);
	verdict_json_num(fp, "cgroup_usage_kb", v->cgroup_usage_kb, 0);
	verdict_json_num(fp, "hours_to_cgroup_limit", verdict_hours_to_limit(v),
			 2);
	verdict_json_num(fp, "regime_start_s",
			 ev->points > 0 ? ev->start_s - ev->first_s : NAN, 3);
	fputs(",\"explanation\":", fp);
	verdict_json_string(fp, models_name(ev->explanation));
	fputs(",\"runner_up\":", fp);
	verdict_json_string(fp, models_name(ev->runner_up));
	verdict_json_num(fp, "delta_bic", ev->delta_bic, 1);
	fprintf(fp,
		",\"context\":{\"daily_cycle\":%s,\"series\":\"%s\","
		"\"estimated_samples\":%lu}",
		ev->daily_cycle ? "true" : "false",
		verdict_estimated(v) ? "estimated" : "exact", v->estimated);
	fputs(",\"cycles\":[", fp);
	if (ev->cycle_period_s > 0) {
		fputs("{", fp);
		fprintf(fp, "\"period_s\":%.0f", ev->cycle_period_s);
		verdict_json_num(fp, "amplitude_kb", ev->cycle_kb, 0);
		fputs("}", fp);
	}
	fputs("],\"flags\":[", fp);
	for (i = ev->nflags > TREND_FLAGS ? ev->nflags - TREND_FLAGS : 0;
	     i < ev->nflags; i++) {
		const struct trend_flag *fl = &ev->flags[i % TREND_FLAGS];

		fprintf(fp, "%s{\"raised_s\":%.3f",
			i > 0 && i != (ev->nflags > TREND_FLAGS
					   ? ev->nflags - TREND_FLAGS
					   : 0)
			    ? ","
			    : "",
			fl->raised_s - ev->first_s);
		verdict_json_num(fp, "withdrawn_s",
				 fl->withdrawn_s - ev->first_s, 3);
		fputs("}", fp);
	}
	fputs("]", fp);
	fputs(",\"regions\":[", fp);
	for (i = 0; i < v->nregions; i++) {
		r = &v->region[i];
		fprintf(fp, "%s{\"name\":", i > 0 ? "," : "");
		verdict_json_string(fp, r->name);
		verdict_json_num(fp, "growth_share", r->growth_share, 4);
		verdict_json_num(fp, "idle_share", r->idle_share, 4);
		verdict_json_num(fp, "idle_s", r->idle_s, 0);
		fputc('}', fp);
	}
	fputs("]", fp);
	verdict_json_instances(fp, v);
	fputs(",\"sentence\":", fp);
	verdict_sentence(v, sentence, sizeof sentence);
	verdict_json_string(fp, sentence);
	fputs("}\n", fp);
}
