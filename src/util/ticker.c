/*
 * Absolute-clock ticks with clock_nanosleep(TIMER_ABSTIME).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "util/ticker.h"

uint64_t
ticker_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double
ticker_clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
ticker_start(struct ticker *t, uint64_t interval_ns)
{
	t->interval_ns = interval_ns;
	t->start_ns = ticker_now_ns();
	t->next = 1;
	t->overruns = 0;
	t->skipped = 0;
	t->last_ms = -1;
}

static uint64_t
ticker_due_ns(const struct ticker *t)
{
	return t->start_ns + t->next * t->interval_ns;
}

double
ticker_plan(struct ticker *t)
{
	uint64_t now = ticker_now_ns(), due = ticker_due_ns(t), behind;

	if (now >= due) {
		behind = (now - due) / t->interval_ns + 1;
		t->overruns++;
		t->skipped += behind;
		t->next += behind;
	}
	return (double)(t->next * t->interval_ns) / 1e9;
}

double
ticker_hold(struct ticker *t, double not_before_s)
{
	double k = ceil(not_before_s * 1e9 / (double)t->interval_ns);

	if (k > (double)t->next)
		t->next = (uint64_t)k;
	return (double)(t->next * t->interval_ns) / 1e9;
}

void
ticker_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

int
ticker_sleep(struct ticker *t, int wake_fd)
{
	uint64_t due = ticker_due_ns(t), until, now = ticker_now_ns();
	struct pollfd p = {.fd = wake_fd, .events = POLLIN};
	struct timespec ts;
	int n;

	if (wake_fd < 0) {
		until =
		    due > now + TICKER_SLICE_NS ? now + TICKER_SLICE_NS : due;
		ts.tv_sec = (time_t)(until / 1000000000ULL);
		ts.tv_nsec = (long)(until % 1000000000ULL);
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				    NULL) == EINTR)
			return -EINTR;
		if (until < due)
			return -EAGAIN;
		t->next++;
		return 0;
	}
	if (now < due) {
		ts.tv_sec = (time_t)((due - now) / 1000000000ULL);
		ts.tv_nsec = (long)((due - now) % 1000000000ULL);
		n = ppoll(&p, 1, &ts, NULL);
		/* A descriptor poll refuses would wake every sleep at once:
		 * sleep in slices instead. */
		if ((n < 0 && errno != EINTR) ||
		    (n > 0 && !(p.revents & POLLIN)))
			return ticker_sleep(t, -1);
		if (n != 0) {
			/* Readable, or a handler ran (and wrote to it). */
			ticker_drain(wake_fd);
			return -EINTR;
		}
		if (ticker_now_ns() < due)
			return -EAGAIN;
	}
	t->next++;
	return 0;
}

double
ticker_elapsed_s(const struct ticker *t)
{
	return (double)(ticker_now_ns() - t->start_ns) / 1e9;
}

double
ticker_sample_s(struct ticker *t, double elapsed_s)
{
	int64_t ms = llround(elapsed_s * 1000);

	if (ms <= t->last_ms)
		ms = t->last_ms + 1;
	t->last_ms = ms;
	return (double)ms / 1000;
}
