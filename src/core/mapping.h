/*
 * A process's mappings, as /proc/PID/maps and smaps describe them (proc(5)):
 * the model the smaps parser fills and regions, the page walk and idle
 * tracking read.  It lives in core so readers and regions share it without
 * including each other.
 */
#ifndef MEMTREND_CORE_MAPPING_H
#define MEMTREND_CORE_MAPPING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The smaps per-mapping counters memtrend uses, in KiB. */
enum smaps_field {
	SMAPS_SIZE,
	SMAPS_RSS,
	SMAPS_PSS,
	SMAPS_SHARED_CLEAN,
	SMAPS_SHARED_DIRTY,
	SMAPS_PRIVATE_CLEAN,
	SMAPS_PRIVATE_DIRTY,
	SMAPS_REFERENCED,
	SMAPS_ANONYMOUS,
	SMAPS_KSM,
	SMAPS_ANON_HUGE,
	SMAPS_SHMEM_PMD,
	SMAPS_FILE_PMD,
	SMAPS_SHARED_HUGETLB,
	SMAPS_PRIVATE_HUGETLB,
	SMAPS_SWAP,
	SMAPS_SWAP_PSS,
	SMAPS_NFIELDS
};

/* VmFlags memtrend cares about (two-letter codes in proc(5)). */
#define SMAPS_VM_HUGETLB (1u << 0)   /* "ht" */
#define SMAPS_VM_SOFTDIRTY (1u << 1) /* "sd" */
#define SMAPS_VM_SHARED (1u << 2)    /* "sh" */
#define SMAPS_VM_GROWSDOWN (1u << 3) /* "gd" */

struct mapping {
	uint64_t start, end; /* [start, end) */
	uint64_t offset;
	uint64_t inode;
	unsigned int dev_major, dev_minor;
	char perms[5];	 /* "rw-p" */
	size_t path_off; /* into mapping_list.strings; "" if none */
	bool has_counts; /* parsed from smaps, kb[] filled */
	unsigned int vmflags;
	/* The smaps counters, NAN when not read (every one, for maps).  They
	 * live apart, in mapping_list.counts (mapping_no_counts without),
	 * so that a list read from maps stays small: 20 000 mappings are
	 * 1.3 MB rather than 4. */
	const double *kb;
};

struct mapping_list {
	struct mapping *v;
	size_t n, cap;
	char *strings; /* NUL-separated paths */
	size_t slen, scap;
	double *counts; /* SMAPS_NFIELDS per mapping with counts */
	size_t ncounts, counts_cap;
};

/* Every counter unknown: kb of a mapping without counts. */
extern const double mapping_no_counts[SMAPS_NFIELDS];

const char *mapping_path(const struct mapping_list *list,
			 const struct mapping *m);

void mapping_list_free(struct mapping_list *list);

#endif
