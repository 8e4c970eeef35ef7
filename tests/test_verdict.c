/*
 * Evidence to words and JSON (src/analysis/verdict.c), and the system
 * context it measures time to exhaustion against (src/sources/system.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "sources/system.h"
#include "testutil.h"

/* A steady 36 MiB/h USS leak from 100 MiB, sampled every 10 s for 4 h,
 * with MemAvailable 1 GiB and a cgroup limit 512 MiB above usage. */
static void
feed_leak(struct verdict *v, double hours)
{
	struct sample s;
	double t;

	for (t = 0; t <= hours * 3600; t += 10) {
		sample_clear(&s);
		s.elapsed_s = t;
		s.value[FIELD_USS_KB] = 102400 + 10 * t + fmod(t * 13, 64);
		s.value[FIELD_PSS_KB] = s.value[FIELD_USS_KB] + 500;
		s.value[FIELD_MEM_AVAILABLE_KB] = 1048576;
		s.value[FIELD_CGROUP_LIMIT_KB] = 1048576;
		s.value[FIELD_CGROUP_USAGE_KB] = 524288;
		cr_assert_eq(verdict_add(v, &s), 0);
	}
}

static void
feed_flat(struct verdict *v, double hours)
{
	struct sample s;
	double t;

	for (t = 0; t <= hours * 3600; t += 10) {
		sample_clear(&s);
		s.elapsed_s = t;
		s.value[FIELD_USS_KB] = 102400 + fmod(t * 13, 64);
		cr_assert_eq(verdict_add(v, &s), 0);
	}
}

static char *
json_of(const struct verdict *v)
{
	static char buf[8192];
	FILE *fp = fmemopen(buf, sizeof buf, "w");

	cr_assert(fp != NULL);
	verdict_json(fp, v);
	fclose(fp);
	return buf;
}

Test(verdict, growing_sentence_gives_the_evidence)
{
	struct verdict v;
	char s[2048];

	verdict_init(&v, VERDICT_AUTO);
	feed_leak(&v, 4);
	cr_assert_eq(verdict_evidence(&v)->verdict, TREND_GROWING);
	cr_assert_str_eq(verdict_metric_name(&v), "uss");
	verdict_sentence(&v, s, sizeof s);
	cr_assert(strncmp(s, "USS growing 35.", 15) == 0, "%s", s);
	cr_assert(strstr(s, "MiB/h (95% CI 3") != NULL, "%s", s);
	cr_assert(strstr(s, "Mann–Kendall, autocorrelation-corrected p < "
			    "1e-9") != NULL,
		  "%s", s);
	cr_assert(strstr(s, "Floor rose with it") != NULL, "%s", s);
	/* 1 GiB at 35.2 MiB/h: 29 h; (1 GiB - 512 MiB): 14.5 h. */
	cr_assert(strstr(s, "At this rate MemAvailable runs out in 1 d 5 h; "
			    "the cgroup limit in 14 h") != NULL,
		  "%s", s);
	cr_assert(strstr(s, "accounts for") == NULL, "%s", s);
	verdict_free(&v);
}

Test(verdict, regions_when_the_region_work_provides_them)
{
	struct verdict v;
	char s[2048];

	verdict_init(&v, VERDICT_AUTO);
	feed_leak(&v, 4);
	cr_assert_eq(verdict_add_region(&v, "anon", 0.04, NAN, NAN), 0);
	cr_assert_eq(verdict_add_region(&v, "[heap]", 0.94, 0.97, 600), 0);
	cr_assert_eq(v.nregions, 2);
	cr_assert_str_eq(v.region[0].name, "[heap]");
	verdict_sentence(&v, s, sizeof s);
	cr_assert(
	    strstr(s,
		   " [heap] accounts for 94 % of the growth; 97 % of "
		   "its new pages were never touched again after they appeared "
		   "(followed for 10 min 0 s); then anon 4 %.") != NULL,
	    "%s", s);
	cr_assert(
	    strstr(
		json_of(&v),
		"\"regions\":[{\"name\":\"[heap]\","
		"\"growth_share\":0.9400,\"idle_share\":0.9700,\"idle_s\":600},"
		"{\"name\":\"anon\",\"growth_share\":0.0400,\"idle_share\":"
		"null") != NULL,
	    "%s", json_of(&v));
	verdict_free(&v);
}

Test(verdict, region_list_is_bounded)
{
	struct verdict v;
	int i;

	verdict_init(&v, VERDICT_AUTO);
	for (i = 0; i < VERDICT_REGIONS; i++)
		cr_assert_eq(verdict_add_region(&v, "r", 0.1, NAN, NAN), 0);
	cr_assert_eq(verdict_add_region(&v, "r", 0.1, NAN, NAN), -ENOSPC);
	verdict_free(&v);
}

Test(verdict, json_contract_when_growing)
{
	struct verdict v;
	char *j;

	verdict_init(&v, VERDICT_AUTO);
	feed_leak(&v, 4);
	j = json_of(&v);
	cr_assert(strncmp(j,
			  "{\"verdict\":\"growing\",\"metric\":\"uss\","
			  "\"slope_kb_per_hour\":3",
			  52) == 0,
		  "%s", j);
	cr_assert(strstr(j, "\"detected_at_s\":null") == NULL, "%s", j);
	cr_assert(strstr(j, "\"detected_at_s\":") != NULL, "%s", j);
	cr_assert(strstr(j, "\"p_value\":") &&
		      strstr(j, "\"span_s\":14400.000") &&
		      strstr(j, "\"hours_to_mem_available\":2") &&
		      strstr(j, "\"cgroup_limit_kb\":1048576"),
		  "%s", j);
	cr_assert_eq(j[strlen(j) - 2], '}', "%s", j);
	cr_assert_eq(j[strlen(j) - 1], '\n');
	verdict_free(&v);
}

Test(verdict, json_contract_when_stable)
{
	struct verdict v;
	char *j;

	verdict_init(&v, VERDICT_AUTO);
	feed_flat(&v, 4);
	j = json_of(&v);
	cr_assert(
	    strncmp(j, "{\"verdict\":\"stable\",\"metric\":\"uss\"", 34) == 0,
	    "%s", j);
	cr_assert(strstr(j, "\"detected_at_s\":null") != NULL, "%s", j);
	cr_assert(strstr(j, "\"hours_to_mem_available\":null") != NULL, "%s",
		  j);
	cr_assert(strstr(j, "\"sentence\":\"USS stable at 100 MiB") != NULL,
		  "%s", j);
	verdict_free(&v);
}

Test(verdict, json_strings_are_escaped)
{
	struct verdict v;
	char *j;

	verdict_init(&v, VERDICT_AUTO);
	feed_flat(&v, 1);
	verdict_add_region(&v, "/opt/a \"b\"\\c\n", 1, NAN, NAN);
	j = json_of(&v);
	cr_assert(strstr(j, "\"name\":\"/opt/a \\\"b\\\"\\\\c\\n\"") != NULL,
		  "%s", j);
	verdict_free(&v);
}

Test(verdict, insufficient_says_how_much_more)
{
	struct verdict v;
	struct sample s;
	char buf[1024];
	int i;

	verdict_init(&v, VERDICT_AUTO);
	for (i = 0; i < 12; i++) {
		sample_clear(&s);
		s.elapsed_s = i;
		s.value[FIELD_RSS_KB] = 5000;
		verdict_add(&v, &s);
	}
	cr_assert_str_eq(verdict_metric_name(&v), "rss");
	cr_assert_eq(verdict_evidence(&v)->verdict, TREND_INSUFFICIENT);
	verdict_sentence(&v, buf, sizeof buf);
	cr_assert(strstr(buf, "needs at least 18 more samples") != NULL, "%s",
		  buf);
	cr_assert(strstr(json_of(&v), "\"verdict\":\"insufficient\"") != NULL);
	verdict_free(&v);
}

/* A rise watched for 15 min: the sentence says what it could still be
 * and how long it needs; the JSON names the gate.  The leak is 10 KiB/s
 * (35.16 MiB/h); the regime judged is the floor's 0-890 s (8 s buckets),
 * and a server's rise must last 30 min, so 15 min 10 s more. */
Test(verdict, short_rise_says_how_long_it_needs)
{
	struct verdict v;
	const struct trend_evidence *ev;
	char buf[1024];

	verdict_init(&v, VERDICT_AUTO);
	feed_leak(&v, 0.25);
	ev = verdict_evidence(&v);
	cr_assert_eq(ev->verdict, TREND_INSUFFICIENT);
	cr_assert_eq(ev->why, TREND_WHY_SHORT);
	cr_assert_float_eq(ev->start_s, 0, 1e-9);
	cr_assert_float_eq(ev->end_s, 890, 1e-9);
	cr_assert_float_eq(ev->need_s, 30 * 60 - 890, 1e-9);
	cr_assert_eq(ev->explanation, MODELS_LINEAR);
	verdict_sentence(&v, buf, sizeof buf);
	/* 10 KiB/s is 35.16 MiB/h: within half a percent. */
	cr_assert(fabs(ev->slope - 36000) < 180, "%.0f", ev->slope);
	cr_assert(strncmp(buf, "USS rising 35.", 14) == 0, "%s", buf);
	cr_assert(
	    strstr(
		buf,
		", but a warm-up, a filling cache or the first "
		"tooth of a sawtooth rises like that for a while; needs 15 min "
		"10 s more to tell.") != NULL,
	    "%s", buf);
	cr_assert(strstr(json_of(&v), "\"reason\":\"too_short\"") != NULL, "%s",
		  json_of(&v));
	cr_assert(strstr(json_of(&v), "\"need_s\":910,") != NULL, "%s",
		  json_of(&v));
	cr_assert(strstr(json_of(&v), "\"flags\":[]") != NULL, "%s",
		  json_of(&v));
	verdict_free(&v);
}

/* The JSON names the regime judged, the explanation and its runner-up,
 * the context, the cycles found and every raise and withdrawal of the
 * flag: a 20 min cycle of +-5000 KiB over a flat floor; a leak of
 * 5000 KiB/h for 6 h that is then freed. */
static void
add_uss(struct verdict *v, double t, double kb)
{
	struct sample s;

	sample_clear(&s);
	s.elapsed_s = t;
	s.value[FIELD_USS_KB] = kb;
	cr_assert_eq(verdict_add(v, &s), 0);
}

Test(verdict, json_has_the_regime_explanation_cycles_and_flags)
{
	const struct trend_evidence *ev;
	struct verdict v;
	const char *json, *p;
	double t, period_s;

	verdict_init(&v, VERDICT_AUTO);
	for (t = 0; t <= 6 * 3600; t += 10)
		add_uss(&v, t,
			102400 + 5000 * sin(2 * M_PI * t / 1200) +
			    fmod(t * 13, 64));
	ev = verdict_evidence(&v);
	cr_assert_eq(ev->verdict, TREND_STABLE);
	json = json_of(&v);
	cr_assert(strstr(json, ",\"regime_start_s\":") != NULL, "%s", json);
	cr_assert(strstr(json, ",\"explanation\":\"flat\",") != NULL, "%s",
		  json);
	cr_assert(strstr(json, ",\"runner_up\":\"") != NULL, "%s", json);
	cr_assert(strstr(json,
			 ",\"context\":{\"daily_cycle\":true,"
			 "\"series\":\"exact\",\"estimated_samples\":0},") !=
		      NULL,
		  "%s", json);
	p = strstr(json, ",\"cycles\":[{\"period_s\":");
	cr_assert(p != NULL, "%s", json);
	period_s = strtod(p + strlen(",\"cycles\":[{\"period_s\":"), NULL);
	cr_assert(fabs(period_s - 1200) <= 60, "period %.0f s", period_s);
	cr_assert(strstr(json, ",\"amplitude_kb\":") != NULL, "%s", json);
	cr_assert(strstr(json, ",\"flags\":[],") != NULL, "%s", json);
	verdict_free(&v);

	verdict_init(&v, VERDICT_AUTO);
	for (t = 0; t < 6 * 3600; t += 10)
		add_uss(&v, t, 100000 + 5000 * t / 3600 + fmod(t * 7, 40));
	ev = verdict_evidence(&v);
	cr_assert_eq(ev->verdict, TREND_GROWING);
	json = json_of(&v);
	cr_assert(strstr(json, ",\"explanation\":\"linear\",") != NULL, "%s",
		  json);
	cr_assert(strstr(json, ",\"flags\":[{\"raised_s\":2020.000,"
			       "\"withdrawn_s\":null}],") != NULL,
		  "%s", json);
	for (; t <= 12 * 3600; t += 10)
		add_uss(&v, t, 100000 + fmod(t * 7, 40));
	cr_assert_neq(ev->verdict, TREND_GROWING);
	json = json_of(&v);
	/* Withdrawn once a bounded explanation other than the daily cycle
	 * wins decisively over the points since the fall at 6 h too, which
	 * must span the half hour a rise must last (the points since the
	 * raise, rise and fall, bounded it at 23560 s: a job's end under a
	 * leak bounds them as well), and on evidence as persistent as what
	 * raised the flag. */
	cr_assert(strstr(json, ",\"flags\":[{\"raised_s\":2020.000,"
			       "\"withdrawn_s\":24580.000}],") != NULL,
		  "%s", json);
	verdict_free(&v);
}

Test(verdict, metric_names)
{
	struct error err;
	int m;

	cr_assert_eq(verdict_parse_metric("pss", &m, &err), 0);
	cr_assert_eq(m, FIELD_PSS_KB);
	cr_assert_eq(verdict_parse_metric("vsz", &m, &err), -EINVAL);
	cr_assert(strstr(err.msg, "use uss, pss or rss") != NULL, "%s",
		  err.msg);
}

/* ---- system context ---------------------------------------------------- */

Test(verdict, cgroup_paths_v1_and_v2)
{
	char v2[256], v1[256];

	system_parse_cgroup("12:pids:/a\n4:memory:/user/app\n0::/user/app\n",
			    v2, sizeof v2, v1, sizeof v1);
	cr_assert_str_eq(v2, "/user/app");
	cr_assert_str_eq(v1, "/user/app");
	system_parse_cgroup("0::/system.slice/web.service\n", v2, sizeof v2, v1,
			    sizeof v1);
	cr_assert_str_eq(v2, "/system.slice/web.service");
	cr_assert_str_eq(v1, "");
	system_parse_cgroup("3:cpu,memory:/x", v2, sizeof v2, v1, sizeof v1);
	cr_assert_str_eq(v1, "/x");
}

Test(verdict, limit_values)
{
	cr_assert_eq(system_parse_kb("1073741824\n"), 1048576);
	cr_assert(isnan(system_parse_kb("max\n")));
	cr_assert(isnan(system_parse_kb("9223372036854771712\n")));
	cr_assert(isnan(system_parse_kb("junk")));
}

static void
system_fixture(const char *name, struct sample *s)
{
	char root[512];
	struct system *sy;

	snprintf(root, sizeof root, "%s/system/%s", tu_fixtures(), name);
	sy = system_open(root, 4242);
	sample_clear(s);
	system_sample(sy, s);
	system_close(sy);
}

/* The service has no limit of its own; its slice's 1 GiB binds it. */
Test(verdict, cgroup_v2_limit_from_a_parent)
{
	struct sample s;

	system_fixture("v2", &s);
	cr_assert_eq(s.value[FIELD_CGROUP_LIMIT_KB], 1048576);
	cr_assert_eq(s.value[FIELD_CGROUP_USAGE_KB], 204800);
	/* libproc2 reads the live /proc/meminfo. */
	cr_assert_gt(s.value[FIELD_MEM_AVAILABLE_KB], 0);
}

Test(verdict, cgroup_v1_limit)
{
	struct sample s;

	system_fixture("v1", &s);
	cr_assert_eq(s.value[FIELD_CGROUP_LIMIT_KB], 524288);
	cr_assert_eq(s.value[FIELD_CGROUP_USAGE_KB], 102400);
}

Test(verdict, no_cgroup_limit_is_unknown)
{
	struct sample s;

	system_fixture("none", &s);
	cr_assert(isnan(s.value[FIELD_CGROUP_LIMIT_KB]));
	cr_assert(isnan(s.value[FIELD_CGROUP_USAGE_KB]));
}

/* ---- estimates ---------------------------------------------------------- */

/* A USS value estimated from a sample of pages, with its 95 % bound. */
static void
add_uss_estimate(struct verdict *v, double t, double kb, double err)
{
	struct sample s;

	sample_clear(&s);
	s.elapsed_s = t;
	s.value[FIELD_USS_KB] = kb;
	s.value[FIELD_USS_ERR_KB] = err;
	cr_assert_eq(verdict_add(v, &s), 0);
}

/* Exact reads twice in 6 h (the budget cannot afford more on a huge
 * target), estimates every 10 s between: the exact series cannot
 * decide, so the estimated one is judged, and the verdict says so. */
Test(verdict, judges_the_estimates_where_exact_reads_are_too_few)
{
	const struct trend_evidence *ev;
	struct verdict v;
	char sentence[2048];
	const char *json;
	double t;

	verdict_init(&v, VERDICT_AUTO);
	for (t = 0; t <= 6 * 3600; t += 10) {
		double kb = 100000 + 5000 * t / 3600 + fmod(t * 7, 40);

		if (t == 0 || t == 6 * 3600)
			add_uss(&v, t, kb);
		else
			add_uss_estimate(&v, t, kb, 300);
	}
	cr_assert(verdict_estimated(&v));
	ev = verdict_evidence(&v);
	cr_assert_eq(ev->verdict, TREND_GROWING);
	cr_assert(fabs(ev->slope - 5000) < 250, "slope %.0f", ev->slope);
	cr_assert_eq(v.estimated, 6 * 360 - 1);
	verdict_sentence(&v, sentence, sizeof sentence);
	cr_assert(strstr(sentence,
			 "Judged on the estimated USS (2159 of "
			 "2161 values from a sample of pages)") != NULL,
		  "%s", sentence);
	json = json_of(&v);
	cr_assert(strstr(json, "\"series\":\"estimated\","
			       "\"estimated_samples\":2159}") != NULL,
		  "%s", json);
	verdict_free(&v);
}

/* The same memory, its noise +-25 % of the level, read exactly every
 * 10 min and estimated every 10 s between: over 6 h the 37 exact reads
 * rise, their interval above zero, but not yet significantly (p 0.0014,
 * not_significant), while the 2 161 values together decide.  An exact
 * series that is undecided, not only one with too few reads, defers to
 * the estimates that decide, and the sentence says the exact reads alone
 * do not decide yet (not that they are too few). */
Test(verdict, defers_to_the_estimates_where_the_exact_rise_is_not_significant)
{
	const struct trend_evidence *exact, *ev;
	struct verdict v;
	char sentence[2048];
	unsigned int seed = 1;
	double t;

	verdict_init(&v, VERDICT_AUTO);
	for (t = 0; t <= 6 * 3600; t += 10) {
		double kb = 100000 + 5000 * t / 3600;

		seed = seed * 1103515245 + 12345;
		kb += 25000 * ((double)((seed >> 16) % 1000) / 500 - 1);
		if (fmod(t, 600) == 0)
			add_uss(&v, t, kb);
		else
			add_uss_estimate(&v, t, kb, 300);
	}
	exact = trend_evidence(v.trend);
	cr_assert_eq(exact->verdict, TREND_INSUFFICIENT);
	cr_assert_eq(exact->why, TREND_WHY_UNSURE, "why %d", exact->why);
	cr_assert(exact->p_value >= TREND_ALPHA && exact->slope_lo > 0,
		  "p %g, slope from %.0f", exact->p_value, exact->slope_lo);
	cr_assert(verdict_estimated(&v));
	ev = verdict_evidence(&v);
	cr_assert_eq(ev->verdict, TREND_GROWING);
	cr_assert(fabs(ev->slope - 5000) < 500, "slope %.0f", ev->slope);
	verdict_sentence(&v, sentence, sizeof sentence);
	cr_assert(strstr(sentence, "Judged on the estimated USS (2124 of 2161 "
				   "values from a sample of pages): the exact "
				   "reads alone do not decide yet.") != NULL,
		  "%s", sentence);
	verdict_free(&v);
}

/* Exact reads every minute are enough to decide: they are judged, and
 * estimates 20 MiB off (a bad bound would show) change nothing. */
Test(verdict, judges_the_exact_reads_where_they_are_dense_enough)
{
	const struct trend_evidence *ev;
	struct verdict v;
	char sentence[2048];
	double t;

	verdict_init(&v, VERDICT_AUTO);
	for (t = 0; t <= 6 * 3600; t += 10) {
		double kb = 100000 + 5000 * t / 3600 + fmod(t * 7, 40);

		if (fmod(t, 60) == 0)
			add_uss(&v, t, kb);
		else
			add_uss_estimate(&v, t, kb + 20480, 300);
	}
	cr_assert(!verdict_estimated(&v));
	ev = verdict_evidence(&v);
	cr_assert_eq(ev->verdict, TREND_GROWING);
	cr_assert_eq(ev->samples, 6 * 60 + 1);
	cr_assert(ev->floor_end_kb < 100000 + 5000 * 6 + 1000, "floor %.0f",
		  ev->floor_end_kb);
	verdict_sentence(&v, sentence, sizeof sentence);
	cr_assert(strstr(sentence,
			 "Judged on the exact USS reads (1800 "
			 "values estimated between them left out)") != NULL,
		  "%s", sentence);
	verdict_free(&v);
}

/* Instances of a restarted service: each grows 12 MiB/h for 6 h from
 * 100 MiB and drops back at its restart. */
static void
feed_instances(struct verdict *v, int n, double rise_kb_h)
{
	struct sample s;
	double t, t0;
	int i;

	for (i = 0; i < n; i++) {
		t0 = i * 6 * 3600.0;
		for (t = 0; t < 6 * 3600; t += 10) {
			sample_clear(&s);
			s.elapsed_s = t0 + t;
			s.instance = (unsigned long)i + 1;
			s.value[FIELD_USS_KB] =
			    102400 + rise_kb_h * t / 3600 + fmod(t * 13, 64);
			cr_assert_eq(verdict_add(v, &s), 0);
		}
	}
}

Test(verdict, each_instance_judged_from_its_own_start)
{
	struct verdict v;
	char sentence[2048];
	double slope;

	verdict_init(&v, VERDICT_AUTO);
	feed_instances(&v, 5, 12 * 1024);
	/* Four done, the fifth judged alone: 6 h of its own samples. */
	cr_assert_eq(v.ninstances, 4);
	cr_assert_eq(verdict_evidence(&v)->samples, 6 * 360);
	cr_assert_eq(verdict_instances_alike(&v, &slope), 4);
	cr_assert_float_eq(slope, 12 * 1024, 12 * 1024 * 0.05, "%g", slope);
	verdict_sentence(&v, sentence, sizeof sentence);
	cr_assert(strstr(sentence, "Each of the last 4 instances grew ~12.0 "
				   "MiB/h until restarted") == sentence,
		  "%s", sentence);
	cr_assert(strstr(json_of(&v), "\"instances\":5,"
				      "\"instances_grew_alike\":4") != NULL,
		  "%s", json_of(&v));
	verdict_free(&v);
}

Test(verdict, flat_instances_are_not_a_hidden_leak)
{
	struct verdict v;
	char sentence[2048];
	double slope;

	verdict_init(&v, VERDICT_AUTO);
	feed_instances(&v, 5, 0);
	cr_assert_eq(verdict_instances_alike(&v, &slope), 0);
	cr_assert(isnan(slope));
	verdict_sentence(&v, sentence, sizeof sentence);
	cr_assert(strstr(sentence, "instances") == NULL, "%s", sentence);
	cr_assert_neq(verdict_evidence(&v)->verdict, TREND_GROWING);
	verdict_free(&v);
}

/* Instances whose USS was only ever estimated (a crash-looping target on
 * a tight budget): each is judged and remembered on its estimates, and
 * the restarts' hidden leak is still seen. */
Test(verdict, instances_judged_on_their_estimates)
{
	struct verdict v;
	struct sample s;
	double t, slope;
	int i;

	verdict_init(&v, VERDICT_AUTO);
	for (i = 0; i < 5; i++) {
		for (t = 0; t < 6 * 3600; t += 10) {
			sample_clear(&s);
			s.elapsed_s = i * 6 * 3600.0 + t;
			s.instance = (unsigned long)i + 1;
			s.value[FIELD_USS_KB] =
			    102400 + 12 * 1024 * t / 3600 + fmod(t * 13, 64);
			s.value[FIELD_USS_ERR_KB] = 200;
			cr_assert_eq(verdict_add(&v, &s), 0);
		}
	}
	cr_assert_eq(v.ninstances, 4);
	/* The fifth instance's own estimates only, not the fourth's. */
	cr_assert_eq(v.estimated, 6 * 360);
	cr_assert_eq(verdict_instances_alike(&v, &slope), 4);
	cr_assert_float_eq(slope, 12 * 1024, 12 * 1024 * 0.05, "%g", slope);
	verdict_free(&v);
}
