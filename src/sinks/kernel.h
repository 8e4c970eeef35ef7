/*
 * What `memtrend kernel` writes: the kernel CSV (the contract in
 * DESIGN.md, "Wide views": timestamp,elapsed_s then the kernel field
 * table in order), the long-format caches CSV
 * (timestamp,elapsed_s,kind,name,kb,pages_kb,reclaimable), the live rows
 * and the summary naming the caches and callers that grow.
 */
#ifndef MEMTREND_SINKS_KERNEL_H
#define MEMTREND_SINKS_KERNEL_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/judge.h"
#include "core/kernel.h"
#include "sinks/csv.h"

void kernel_csv_header(struct csv_buf *b);
/* A sink for the kernel CSV, or with caches the caches CSV, its header
 * written; rows go in through csv_sink_put_rows(). */
int kernel_csv_open(struct csv_sink **out, const char *path, bool caches,
		    bool force, struct error *err);
void kernel_csv_row(struct csv_buf *b, const struct ksample *s);
void kernel_caches_header(struct csv_buf *b);
void kernel_caches_rows(struct csv_buf *b, const struct ksample *s);

struct kernel_term;

struct kernel_term *kernel_term_open(FILE *fp, bool raw_kib);
/* One live row: time, MemAvailable, unreclaimable slab, vmalloc, percpu,
 * kernel stacks, page tables, unaccounted. */
void kernel_term_row(struct kernel_term *t, const struct ksample *s);
void kernel_term_close(struct kernel_term *t);

/* The summary: each judged system series with its verdict sentence, then
 * up to top caches and callers (most growth first). */
void kernel_summary(FILE *fp, const struct judge *j, size_t top);

#endif
