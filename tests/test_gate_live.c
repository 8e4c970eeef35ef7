/*
 * The CI gate of issue 9, end to end: `memtrend --fail-on-growth` over a
 * real child that fills a 32 MiB working set at start and then leaks
 * 20 KiB/s (3.9 MiB, 12 % of the set, in 200 s) must exit 1 and say
 * `growing`; the same child without the leak must exit 0 and say
 * `stable`.  Each run takes the child's 200 s; Criterion runs the two
 * side by side.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* The child's run, and how long memtrend may take beyond it. */
#define GATE_SECONDS "200"
#define GATE_TIMEOUT_S 300

static char *mt, *leaky;

static void
gate_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	leaky = (char *)tu_bin("LEAKY", "tests/helpers/leaky");
}

TestSuite(gate_live, .init = gate_setup);

/* The summary's verdict line, for the failure message and the checks. */
static const char *
gate_verdict(const struct run *r)
{
	const char *v = strstr(r->out, "verdict: ");

	return v != NULL ? v : "(no verdict line)";
}

Test(gate_live, startup_set_then_steady_leak_fails_the_gate,
     .timeout = GATE_TIMEOUT_S + 30)
{
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "--fail-on-growth", "--every", "1s", "-q", "--",
			  leaky, "--seconds", GATE_SECONDS, NULL},
	       GATE_TIMEOUT_S);
	cr_assert(strstr(r.out, "verdict: growing: ") != NULL,
		  "want growing, got %s%s", gate_verdict(&r), r.err);
	cr_assert_eq(r.status, 1, "status %d: %s%s", r.status, r.out, r.err);
}

Test(gate_live, startup_set_without_leak_passes_the_gate,
     .timeout = GATE_TIMEOUT_S + 30)
{
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "--fail-on-growth", "--every", "1s", "-q", "--",
			  leaky, "--seconds", GATE_SECONDS, "--no-leak", NULL},
	       GATE_TIMEOUT_S);
	cr_assert(strstr(r.out, "verdict: stable: ") != NULL,
		  "want stable, got %s%s", gate_verdict(&r), r.err);
	cr_assert_eq(r.status, 0, "status %d: %s%s", r.status, r.out, r.err);
}
