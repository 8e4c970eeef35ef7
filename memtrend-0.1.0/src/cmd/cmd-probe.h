/*
 * memtrend --probe (see cmd-probe.c).
 */
#ifndef MEMTREND_CMD_CMD_PROBE_H
#define MEMTREND_CMD_CMD_PROBE_H

#include <sys/types.h>

#include "core/probe.h"

/* Asks every source about its interface for pid (0: memtrend itself). */
void cmd_probe_collect(struct probe *p, const char *root, pid_t pid);
/* Prints the table for pid; returns the exit status. */
int cmd_probe_run(const char *root, pid_t pid);

#endif
