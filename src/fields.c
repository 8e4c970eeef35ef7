/*
 * The field table (see fields.h).  Definitions of the smaps_rollup and
 * status fields: Documentation/filesystems/proc.rst.
 */
#include "config.h"

#include <string.h>

#include "fields.h"

const struct field fields[FIELD_COUNT] = {
	[FIELD_RSS_KB] = { "rss_kb", "rss", FIELD_KIB, "smaps_rollup Rss",
	    "resident set size: all pages of the process in RAM" },
	[FIELD_PSS_KB] = { "pss_kb", "pss", FIELD_KIB, "smaps_rollup Pss",
	    "proportional set size: each resident page divided by the "
	    "number of processes mapping it" },
	[FIELD_USS_KB] = { "uss_kb", "uss", FIELD_KIB,
	    "smaps_rollup Private_Clean + Private_Dirty + Private_Hugetlb",
	    "unique set size: pages mapped by this process alone, what "
	    "exiting would free" },
	[FIELD_ANON_KB] = { "anon_kb", "anon", FIELD_KIB,
	    "smaps_rollup Anonymous",
	    "resident anonymous memory (heap, stacks, private writes)" },
	[FIELD_FILE_KB] = { "file_kb", "file", FIELD_KIB,
	    "smaps_rollup Rss - Anonymous - status RssShmem",
	    "resident file-backed pages (code, libraries, mapped files)" },
	[FIELD_SHMEM_KB] = { "shmem_kb", "shmem", FIELD_KIB,
	    "status RssShmem",
	    "resident shared memory (tmpfs, SysV, MAP_SHARED anonymous)" },
	[FIELD_SWAP_KB] = { "swap_kb", "swap", FIELD_KIB, "smaps_rollup Swap",
	    "anonymous memory swapped out" },
	[FIELD_MINFLT] = { "minflt", "minflt", FIELD_COUNTER, "stat minflt",
	    "minor page faults since the process started" },
	[FIELD_MAJFLT] = { "majflt", "majflt", FIELD_COUNTER, "stat majflt",
	    "major page faults (needing I/O) since the process started" },
	[FIELD_SWAP_PSS_KB] = { "swap_pss_kb", "swappss", FIELD_KIB,
	    "smaps_rollup SwapPss",
	    "swapped memory divided among the processes sharing it" },
	[FIELD_PSS_ANON_KB] = { "pss_anon_kb", "pss_anon", FIELD_KIB,
	    "smaps_rollup Pss_Anon", "anonymous part of pss_kb" },
	[FIELD_PSS_FILE_KB] = { "pss_file_kb", "pss_file", FIELD_KIB,
	    "smaps_rollup Pss_File", "file-backed part of pss_kb" },
	[FIELD_PSS_SHMEM_KB] = { "pss_shmem_kb", "pss_shmem", FIELD_KIB,
	    "smaps_rollup Pss_Shmem", "shared-memory part of pss_kb" },
	[FIELD_ANON_THP_KB] = { "anon_thp_kb", "thp", FIELD_KIB,
	    "smaps_rollup AnonHugePages",
	    "anonymous memory backed by transparent huge pages" },
	[FIELD_THREADS] = { "threads", "threads", FIELD_GAUGE,
	    "stat num_threads", "number of threads" },
	[FIELD_MEM_AVAILABLE_KB] = { "mem_available_kb", "memavail",
	    FIELD_KIB, "/proc/meminfo MemAvailable (libproc2)",
	    "memory the system can still give without swapping (empty "
	    "when unknown)" },
	[FIELD_CGROUP_LIMIT_KB] = { "cgroup_limit_kb", "cglimit", FIELD_KIB,
	    "cgroup v2 memory.max or v1 memory.limit_in_bytes, the "
	    "tightest of the target's cgroup and its parents",
	    "memory limit of the target's cgroup (empty when none)" },
	[FIELD_CGROUP_USAGE_KB] = { "cgroup_usage_kb", "cgusage", FIELD_KIB,
	    "cgroup v2 memory.current or v1 memory.usage_in_bytes of that "
	    "cgroup", "memory the limited cgroup uses now (empty when no "
	    "limit)" },
};

int
fields_find(const char *name)
{
	int i;

	for (i = 0; i < FIELD_COUNT; i++) {
		if (strcmp(fields[i].name, name) == 0)
			return i;
	}
	return -1;
}

void
fields_print(FILE *fp, const char *format)
{
	int i;

	if (strcmp(format, "man") == 0) {
		for (i = 0; i < FIELD_COUNT; i++)
			fprintf(fp, ".TP\n.B %s\n%s%s.\nSource: %s.\n",
			    fields[i].name, fields[i].help,
			    fields[i].kind == FIELD_KIB ? ", in KiB" : "",
			    fields[i].source);
		return;
	}
	for (i = 0; i < FIELD_COUNT; i++)
		fprintf(fp, "  %-13s %s%s\n", fields[i].name, fields[i].help,
		    fields[i].kind == FIELD_KIB ? " (KiB)" : "");
}
