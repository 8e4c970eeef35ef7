/*
 * Ticks on an absolute monotonic clock: tick k is due at start + k *
 * interval, so a day at 1 s is 86 400 ticks with no drift.  A tick that is
 * already late when its predecessor finishes is an overrun; the missed
 * ticks are skipped rather than bunched.
 */
#ifndef MEMTREND_TICKER_H
#define MEMTREND_TICKER_H

#include <stdint.h>
#include <time.h>

struct ticker {
	uint64_t interval_ns;
	uint64_t start_ns; /* CLOCK_MONOTONIC of tick 0 */
	uint64_t next;	   /* index of the next tick */
	uint64_t overruns; /* samples that took longer than the interval */
	uint64_t skipped;  /* ticks skipped because of them */
	int64_t last_ms;   /* ticker_sample_s()'s last; -1: none yet */
};

/* Monotonic time in nanoseconds. */
uint64_t ticker_now_ns(void);

/* A clock's time in seconds (CLOCK_REALTIME: since the epoch;
 * CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID: CPU spent). */
double ticker_clock_s(clockid_t clock);

/* Tick 0 is now. */
void ticker_start(struct ticker *t, uint64_t interval_ns);

/* Picks the next tick (skipping those already past, counting an overrun)
 * and returns when it is due, in seconds after tick 0. */
double ticker_plan(struct ticker *t);

/* Moves the planned tick on, skipping ticks (not counted as overruns),
 * so that it is not before not_before_s after tick 0; returns when it is
 * due, in seconds after tick 0. */
double ticker_hold(struct ticker *t, double not_before_s);

/* Without a wake descriptor a sleep lasts at most this long, so a stop
 * flag a signal handler set just before the sleep began is seen within
 * it. */
#define TICKER_SLICE_NS 50000000ULL

/* Sleeps until the planned tick, in one sleep, or until wake_fd (the
 * read end of a pipe signal handlers write to, see cmd/stop.h) becomes
 * readable: a signal that came before the sleep began wakes it too, and
 * an idle tick costs one wakeup, not one a slice.  It is drained.  With
 * wake_fd < 0, sleeps at most TICKER_SLICE_NS.  Returns 0 at the tick,
 * -EAGAIN short of it (a slice, or an early wakeup), or -EINTR when
 * woken first (the tick stays planned). */
int ticker_sleep(struct ticker *t, int wake_fd);

/* Reads a non-blocking wake pipe empty. */
void ticker_drain(int fd);

/* Seconds since tick 0. */
double ticker_elapsed_s(const struct ticker *t);

/* The time of a sample taken at elapsed_s (ticker_elapsed_s()) as the
 * CSVs and the archive keep it: in whole milliseconds, and at least one
 * after the previous sample's, since a late tick and the next one on
 * time can fall in one millisecond. */
double ticker_sample_s(struct ticker *t, double elapsed_s);

#endif
