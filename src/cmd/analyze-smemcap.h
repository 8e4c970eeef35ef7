/*
 * memtrend analyze DIR/: a directory of smemcap tarballs taken over time
 * (sources/smemcap.h), one series per process, each judged by the
 * verdict a CSV gets.
 */
#ifndef MEMTREND_CMD_ANALYZE_SMEMCAP_H
#define MEMTREND_CMD_ANALYZE_SMEMCAP_H

#include <stdbool.h>

/* Prints a verdict per process ("pid N (name): sentence", or one JSON
 * object a line); returns the exit status: 1 when one is growing. */
int analyze_smemcap(const char *dir, int metric, bool daily_cycle, bool json);

#endif
