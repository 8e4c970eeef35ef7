/*
 * The loop's sleep (src/util/ticker.c) with the stop pipe (cmd/stop.c):
 * one sleep a tick, and a stop signal taken before the sleep began still
 * wakes it.  No timings are asserted, only what each sleep returned.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <signal.h>

#include "cmd/stop.h"
#include "util/ticker.h"

/* An idle tick is one sleep to the tick (it was slept in 50 ms slices,
 * twenty wakeups a second, most of an idle monitor's CPU). */
Test(ticker, a_tick_is_slept_in_one_sleep)
{
	struct ticker t;

	stop_install();
	cr_assert_geq(stop_wake_fd(), 0);
	ticker_start(&t, 200000000ULL);
	ticker_plan(&t);
	cr_assert_eq(ticker_sleep(&t, stop_wake_fd()), 0);
	cr_assert_eq(t.next, 2);
	cr_assert_eq(stop_signal(), 0);
}

/* Without the pipe the sleep comes in slices, so a flag set before it
 * began is still seen within one. */
Test(ticker, without_a_wake_pipe_the_sleep_comes_in_slices)
{
	struct ticker t;

	ticker_start(&t, 200000000ULL);
	ticker_plan(&t);
	cr_assert_eq(ticker_sleep(&t, -1), -EAGAIN);
	cr_assert_eq(t.next, 1);
}

/* SIGTERM taken while sampling, before the sleep: the sleep of a 60 s
 * tick returns at once, woken, the tick still planned; the pipe is
 * drained, so the next sleep goes on to its tick. */
Test(ticker, a_signal_before_the_sleep_wakes_it, .timeout = 10)
{
	struct ticker t;

	stop_install();
	ticker_start(&t, 60000000000ULL);
	ticker_plan(&t);
	cr_assert_eq(raise(SIGTERM), 0);
	cr_assert_eq(stop_signal(), SIGTERM);
	cr_assert_eq(ticker_sleep(&t, stop_wake_fd()), -EINTR);
	cr_assert_eq(t.next, 1);
	stop_install();
	ticker_start(&t, 100000000ULL);
	ticker_plan(&t);
	cr_assert_eq(ticker_sleep(&t, stop_wake_fd()), 0);
}

/* A signal left in the pipe from a run that ended between ticks does not
 * wake the next run's first sleep (stop_install drains it). */
Test(ticker, a_new_run_starts_with_an_empty_pipe)
{
	struct ticker t;

	stop_install();
	cr_assert_eq(raise(SIGHUP), 0);
	stop_install();
	cr_assert_eq(stop_signal(), 0);
	ticker_start(&t, 100000000ULL);
	ticker_plan(&t);
	cr_assert_eq(ticker_sleep(&t, stop_wake_fd()), 0);
}

/* A wake descriptor ppoll() refuses (here one never opened): the sleep
 * falls back to slices instead of returning at once, which the loop would
 * have retried without end, a busy loop. */
Test(ticker, a_bad_wake_descriptor_sleeps_in_slices)
{
	struct ticker t;

	ticker_start(&t, 200000000ULL);
	ticker_plan(&t);
	cr_assert_eq(ticker_sleep(&t, 1000000), -EAGAIN);
	cr_assert_eq(t.next, 1);
}

/* A sample's time is kept in whole milliseconds, and each is after the
 * one before: two samples within one millisecond (a late tick and the
 * next on time, at --every 1ms) got the same elapsed_s, which analyze
 * refuses in the CSV memtrend wrote. */
Test(ticker, sample_times_are_whole_ms_and_strictly_increasing)
{
	struct ticker t;
	double prev = -1, s;
	int k;

	ticker_start(&t, 1000000);
	for (k = 0; k < 1000; k++) {
		s = ticker_sample_s(&t, 0.0004 * k);
		cr_assert_gt(s, prev, "sample %d at %.6f after %.6f", k, s,
			     prev);
		cr_assert_float_eq(s * 1000, round(s * 1000), 1e-6, "%.9f", s);
		prev = s;
	}
	/* Samples 0.4 ms apart: each is a millisecond on, so the last is
	 * 0.999 s, not the 0.400 s of the clock. */
	cr_assert_float_eq(prev, 0.999, 1e-9);
	/* A sample after a pause is at its own time again. */
	s = ticker_sample_s(&t, 5.0004);
	cr_assert_float_eq(s, 5.0, 1e-9);
	s = ticker_sample_s(&t, 5.0016);
	cr_assert_float_eq(s, 5.002, 1e-9);
}
