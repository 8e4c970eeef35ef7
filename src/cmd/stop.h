/*
 * How a sampling run is stopped: SIGINT, SIGTERM and SIGHUP set a flag
 * the loop checks after each (interrupted) sleep, so the run ends
 * between ticks, its files whole and its summary printed.  They also
 * write a byte to a pipe the loop's sleep waits on (ticker_sleep), so
 * one that comes just before the sleep begins still ends it.  SIGPIPE and
 * SIGXFSZ are ignored so a closed pipe or a full file is an error a sink
 * reports, not a death.  Shared by watch and kernel.
 */
#ifndef MEMTREND_CMD_STOP_H
#define MEMTREND_CMD_STOP_H

/* Clears the flag and installs the handlers. */
void stop_install(void);

/* The signal that asked the run to stop, or 0. */
int stop_signal(void);

/* The read end of the wake pipe, for ticker_sleep(); -1 when the pipe
 * could not be made (the sleep then comes in slices). */
int stop_wake_fd(void);

#endif
