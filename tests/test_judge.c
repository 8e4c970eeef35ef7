/*
 * Many named series on the one detector (src/analysis/judge.c): the
 * number of detectors stays bounded, the fastest-growing series earns
 * one, and a reclaimable series is never called a leak.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "analysis/judge.h"

static const struct judge_series *
judge_get(const struct judge *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->v[i].name, name) == 0)
			return &j->v[i];
	return NULL;
}

Test(judge, detectors_stay_bounded_and_go_to_the_fastest_growth)
{
	struct judge j;
	char name[32];
	int t, i;

	judge_init(&j, 4, false);
	for (t = 0; t < 50; t++) {
		for (i = 0; i < 20; i++) {
			snprintf(name, sizeof name, "flat-%d", i);
			/* The big flat ones get the detectors first. */
			judge_add(&j, 0, name, 0, t, 100000.0 + i);
		}
		judge_add(&j, 0, "late-grower", 0, t,
			  t < 10 ? 10 : 10 + (t - 10) * 1024.0);
		judge_rebalance(&j);
		cr_assert_leq(j.detectors, 4);
	}
	cr_assert_eq(j.n, 21);
	cr_assert_not_null(judge_get(&j, "late-grower")->trend,
			   "the growing series took a detector");
	judge_free(&j);
}

Test(judge, reclaimable_growth_is_never_a_leak)
{
	struct judge j;
	int t;
	char s[1024];

	judge_init(&j, 4, false);
	for (t = 0; t < 3600; t += 5) {
		judge_add(&j, 0, "leaky", 0, t, 10240 + t * 10.0);
		judge_add(&j, 0, "dentry", JUDGE_RECLAIMABLE, t,
			  10240 + t * 10.0);
		judge_rebalance(&j);
	}
	cr_assert(judge_leaking(judge_get(&j, "leaky")));
	cr_assert_not(judge_leaking(judge_get(&j, "dentry")));
	judge_sentence(judge_get(&j, "leaky"), s, sizeof s);
	cr_assert(strstr(s, "leaky growing") != NULL, "%s", s);
	cr_assert(strstr(s, "/day") != NULL, "%s", s);
	judge_sentence(judge_get(&j, "dentry"), s, sizeof s);
	cr_assert(strstr(s, "not called a leak") != NULL, "%s", s);
	judge_free(&j);
}
