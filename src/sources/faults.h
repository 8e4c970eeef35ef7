/*
 * Page faults of every thread of the target from perf_event_open(2)
 * software events (PERF_COUNT_SW_PAGE_FAULTS_MIN / _MAJ), counting from
 * the moment memtrend attached; threads started later are counted
 * through inherit.  Optionally, sampled fault events with
 * PERF_SAMPLE_ADDR, read from each thread's mmap ring buffer, say where
 * new memory is being touched.
 */
#ifndef MEMTREND_SOURCES_FAULTS_H
#define MEMTREND_SOURCES_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sample.h"
#include "core/target.h"
#include "util/error.h"

struct faults;

struct faults_opts {
	bool addresses;	     /* --fault-addresses */
	unsigned int period; /* one address sample every N faults */
};

/* -EACCES / -EPERM / -ENOENT when perf is not permitted or not there,
 * with the reason; the caller then falls back to the stat counters. */
int faults_open(struct faults **out, const struct target *t,
		const struct faults_opts *o, struct error *err);

/* Number of threads whose events are open. */
size_t faults_threads(const struct faults *f);

/* Fills perf_minflt and perf_majflt (counts since attach), and appends
 * the fault addresses sampled since the last call to *addrs (growing it;
 * *n counts them).  Returns the number of samples the kernel dropped
 * since the last call. */
uint64_t faults_sample(struct faults *f, struct sample *s, uint64_t **addrs,
		       size_t *n, size_t *cap);

void faults_close(struct faults *f);

struct probe;
/* The perf page-fault row of memtrend --probe (perf_event_open(2)). */
void faults_probe(struct probe *p, const char *root);

#endif
