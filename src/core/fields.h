/*
 * The one table of per-sample fields.  It drives the CSV header, the
 * --help field list and the man page's FIELDS section, so a field is
 * added here and nowhere else.
 */
#ifndef MEMTREND_FIELDS_H
#define MEMTREND_FIELDS_H

#include <stdio.h>

enum field_id {
	/* The CSV contract: these first, in this order. */
	FIELD_RSS_KB,
	FIELD_PSS_KB,
	FIELD_USS_KB,
	FIELD_ANON_KB,
	FIELD_FILE_KB,
	FIELD_SHMEM_KB,
	FIELD_SWAP_KB,
	FIELD_MINFLT,
	FIELD_MAJFLT,
	/* Beyond the contract. */
	FIELD_SWAP_PSS_KB,
	FIELD_PSS_ANON_KB,
	FIELD_PSS_FILE_KB,
	FIELD_PSS_SHMEM_KB,
	FIELD_ANON_THP_KB,
	/* 95 % bounds when pss_kb / uss_kb are estimates; empty when exact. */
	FIELD_PSS_ERR_KB,
	FIELD_USS_ERR_KB,
	FIELD_THREADS,
	FIELD_PERF_MINFLT,
	FIELD_PERF_MAJFLT,
	/* System context, for the time until memory runs out. */
	FIELD_MEM_AVAILABLE_KB,
	FIELD_CGROUP_LIMIT_KB,
	FIELD_CGROUP_USAGE_KB,
	FIELD_PARTIAL,
	FIELD_COUNT
};

enum field_kind {
	FIELD_KIB,     /* a size in KiB */
	FIELD_COUNTER, /* a cumulative count; rates are its differences */
	FIELD_GAUGE,   /* a plain number */
};

struct field {
	const char *name;  /* CSV column */
	const char *label; /* live view column */
	enum field_kind kind;
	const char *source; /* the kernel file it comes from */
	const char *help;
};

extern const struct field fields[FIELD_COUNT];

/* Per-region values: the columns of the long-format regions CSV after
 * timestamp,elapsed_s,pid,region,kind. */
enum region_field {
	RF_SIZE_KB,
	RF_RSS_KB,
	RF_PSS_KB,
	RF_USS_KB,
	RF_SWAP_KB,
	RF_ANON_KB,
	RF_FILE_KB,
	RF_REFERENCED_KB,
	RF_THP_KB,
	RF_KSM_KB,
	RF_DIRTY_KB,
	RF_HUGETLB_KB,
	RF_ZERO_KB,
	RF_ACTIVE_KB,
	RF_FLAGS_ERR_PCT,
	RF_MAPPINGS,
	/* Access tracking (--idle); NAN when not measured. */
	RF_IDLE_PCT,
	RF_IDLE_ERR_PCT,
	RF_IDLE_1_KB,
	RF_IDLE_2_4_KB,
	RF_IDLE_5_16_KB,
	RF_IDLE_17_64_KB,
	RF_IDLE_GT64_KB,
	RF_STALE_NEW_PCT,
	RF_IDLE_SCAN_S,
	RF_HINT_REFERENCED_PCT,
	RF_HINT_ACTIVE_PCT,
	/* Page-fault addresses (--fault-addresses); NAN when not measured. */
	RF_FAULTS_PER_S,
	/* 95 % bounds of rss_kb, pss_kb and uss_kb: 0 when exact. */
	RF_RSS_ERR_KB,
	RF_PSS_ERR_KB,
	RF_USS_ERR_KB,
	/* On an exact row of a tick that also took an estimate (the one
	 * that anchors it): exact uss_kb minus the estimate's, and the
	 * estimate's 95 % bound; NAN otherwise. */
	RF_USS_DRIFT_KB,
	RF_USS_DRIFT_BOUND_KB,
	REGION_FIELD_COUNT
};

/* The regions CSV writes the fields before this one, then the keys
 * source,partial,idle_method, then the rest: columns added after the
 * contract was set go at the end of the row. */
#define REGION_FIELDS_BEFORE_KEYS RF_USS_DRIFT_KB

extern const struct field region_fields[REGION_FIELD_COUNT];

/* The columns that say when, whose and which region a row is about rather
 * than measure anything (the CSV contract in DESIGN.md): every CSV starts
 * timestamp,elapsed_s,pid; the regions CSV goes on region,kind, its
 * fields, then source,partial,idle_method. */
enum field_key {
	KEY_TIMESTAMP,
	KEY_ELAPSED_S,
	KEY_PID,
	KEY_REGION,
	KEY_KIND,
	KEY_SOURCE,
	KEY_PARTIAL,
	KEY_IDLE_METHOD,
	KEY_COMM,
	KEY_CMDLINE,
	KEY_INSTANCE,
	KEY_COUNT
};

extern const struct field field_keys[KEY_COUNT];

/* The idle-age histogram, RF_IDLE_1_KB to RF_IDLE_GT64_KB: bin b holds
 * the pages idle for at least field_idle_age_scans[b] consecutive scans
 * (and fewer than the next bin's).  The one table of those edges. */
#define FIELD_IDLE_AGES 5
extern const unsigned int field_idle_age_scans[FIELD_IDLE_AGES];
extern const char *const field_idle_age_labels[FIELD_IDLE_AGES];

/* The field whose CSV column is name, or -1. */
int fields_find(const char *name);

/* Lists a table's fields for --help ("text") or as man page roff ("man"). */
void fields_print(FILE *fp, const struct field *table, int n,
		  const char *format);

#endif
