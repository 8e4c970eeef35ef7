/*
 * The field table (see fields.h).  Definitions of the smaps_rollup and
 * status fields: Documentation/filesystems/proc.rst.
 */
#include "config.h"

#include <string.h>

#include "core/fields.h"

const struct field fields[FIELD_COUNT] = {
    [FIELD_RSS_KB] = {"rss_kb", "rss", FIELD_KIB, "status VmRSS",
		      "resident set size: all pages of the process in RAM"},
    [FIELD_PSS_KB] =
	{"pss_kb", "pss", FIELD_KIB,
	 "smaps_rollup Pss, or the sum over regions",
	 "proportional set size: each resident page divided by the "
	 "number of processes mapping it"},
    [FIELD_USS_KB] =
	{"uss_kb", "uss", FIELD_KIB,
	 "smaps_rollup Private_Clean + Private_Dirty + Private_Hugetlb, "
	 "or the sum over regions",
	 "unique set size: pages mapped by this process alone, what "
	 "exiting would free"},
    [FIELD_ANON_KB] =
	{"anon_kb", "anon", FIELD_KIB, "status RssAnon",
	 "resident anonymous memory (heap, stacks, private writes)"},
    [FIELD_FILE_KB] =
	{"file_kb", "file", FIELD_KIB, "status RssFile",
	 "resident file-backed pages (code, libraries, mapped files)"},
    [FIELD_SHMEM_KB] =
	{"shmem_kb", "shmem", FIELD_KIB, "status RssShmem",
	 "resident shared memory (tmpfs, SysV, MAP_SHARED anonymous)"},
    [FIELD_SWAP_KB] = {"swap_kb", "swap", FIELD_KIB, "status VmSwap",
		       "anonymous memory swapped out"},
    [FIELD_MINFLT] = {"minflt", "minflt", FIELD_COUNTER, "stat minflt",
		      "minor page faults since the process started"},
    [FIELD_MAJFLT] =
	{"majflt", "majflt", FIELD_COUNTER, "stat majflt",
	 "major page faults (needing I/O) since the process started"},
    [FIELD_SWAP_PSS_KB] =
	{"swap_pss_kb", "swappss", FIELD_KIB, "smaps_rollup SwapPss",
	 "swapped memory divided among the processes sharing it"},
    [FIELD_PSS_ANON_KB] = {"pss_anon_kb", "pss_anon", FIELD_KIB,
			   "smaps_rollup Pss_Anon", "anonymous part of pss_kb"},
    [FIELD_PSS_FILE_KB] = {"pss_file_kb", "pss_file", FIELD_KIB,
			   "smaps_rollup Pss_File",
			   "file-backed part of pss_kb"},
    [FIELD_PSS_SHMEM_KB] = {"pss_shmem_kb", "pss_shmem", FIELD_KIB,
			    "smaps_rollup Pss_Shmem",
			    "shared-memory part of pss_kb"},
    [FIELD_ANON_THP_KB] = {"anon_thp_kb", "thp", FIELD_KIB,
			   "smaps_rollup AnonHugePages",
			   "anonymous memory backed by transparent huge pages"},
    [FIELD_PSS_ERR_KB] =
	{"pss_err_kb", "pss+-", FIELD_KIB,
	 "the estimate tier: the regions' pss_err_kb in quadrature",
	 "95 % error bound of pss_kb when this row's pss_kb is an estimate "
	 "from a sample of pages; empty when it is exact"},
    [FIELD_USS_ERR_KB] = {"uss_err_kb", "uss+-", FIELD_KIB,
			  "the estimate tier: the regions' uss_err_kb in "
			  "quadrature",
			  "95 % error bound of uss_kb, as pss_err_kb"},
    [FIELD_THREADS] = {"threads", "threads", FIELD_GAUGE, "stat num_threads",
		       "number of threads"},
    [FIELD_MEM_AVAILABLE_KB] =
	{"mem_available_kb", "memavail", FIELD_KIB,
	 "/proc/meminfo MemAvailable (libproc2)",
	 "memory the system can still give without swapping (empty "
	 "when unknown)"},
    [FIELD_CGROUP_LIMIT_KB] =
	{"cgroup_limit_kb", "cglimit", FIELD_KIB,
	 "cgroup v2 memory.max or v1 memory.limit_in_bytes, the "
	 "tightest of the target's cgroup and its parents",
	 "memory limit of the target's cgroup (empty when none)"},
    [FIELD_CGROUP_USAGE_KB] =
	{"cgroup_usage_kb", "cgusage", FIELD_KIB,
	 "cgroup v2 memory.current or v1 memory.usage_in_bytes of that "
	 "cgroup",
	 "memory the limited cgroup uses now (empty when no "
	 "limit)"},
    [FIELD_PERF_MINFLT] =
	{"perf_minflt", "minflt", FIELD_COUNTER,
	 "perf_event_open PERF_COUNT_SW_PAGE_FAULTS_MIN, every thread",
	 "minor page faults since memtrend attached (--faults; empty "
	 "when perf is not permitted)"},
    [FIELD_PERF_MAJFLT] =
	{"perf_majflt", "majflt", FIELD_COUNTER,
	 "perf_event_open PERF_COUNT_SW_PAGE_FAULTS_MAJ, every thread",
	 "major page faults since memtrend attached (--faults)"},
    [FIELD_PARTIAL] =
	{"partial", "partial", FIELD_GAUGE, "memtrend",
	 "1 when the target exited while the sample was taken, so part "
	 "of it is missing"},
};

const struct field field_keys[KEY_COUNT] = {
    [KEY_TIMESTAMP] = {"timestamp", "time", FIELD_GAUGE, "the clock",
		       "ISO 8601 UTC time of the sample"},
    [KEY_ELAPSED_S] = {"elapsed_s", "elapsed", FIELD_GAUGE,
		       "the monotonic clock", "seconds since the first sample"},
    [KEY_PID] = {"pid", "pid", FIELD_GAUGE, "the target", "process ID"},
    [KEY_REGION] = {"region", "region", FIELD_GAUGE, "regions.c",
		    "the region's name"},
    [KEY_KIND] = {"kind", "kind", FIELD_GAUGE, "regions.c",
		  "the region's kind (heap, stack, anon, code...)"},
    [KEY_SOURCE] = {"source", "source", FIELD_GAUGE, "memtrend",
		    "smaps, pagemap, pagemap+smaps (PSS from smaps) or "
		    "estimate (from a sample of pages: see the *_err_kb "
		    "columns)"},
    [KEY_PARTIAL] = {"partial", "partial", FIELD_GAUGE, "memtrend",
		     "1 when the target exited during the sample"},
    [KEY_IDLE_METHOD] = {"idle_method", "idle_method", FIELD_GAUGE, "idle.c",
			 "page_idle, soft-dirty or referenced, with --idle"},
    [KEY_COMM] = {"comm", "comm", FIELD_GAUGE, "stat",
		  "the process's command name (long format: a set, top)"},
    [KEY_CMDLINE] = {"cmdline", "cmdline", FIELD_GAUGE, "cmdline",
		     "its arguments, space-separated (long format)"},
    [KEY_INSTANCE] = {"instance", "instance", FIELD_GAUGE, "memtrend daemon",
		      "which instance of a daemon's target the row is of: 1, "
		      "then one more each time the target restarted"},
};

const struct field region_fields[REGION_FIELD_COUNT] = {
    [RF_SIZE_KB] = {"size_kb", "size", FIELD_KIB, "smaps Size",
		    "virtual size of the region's mappings"},
    [RF_RSS_KB] = {"rss_kb", "rss", FIELD_KIB, "smaps Rss or pagemap",
		   "resident pages (the zero page excluded)"},
    [RF_PSS_KB] = {"pss_kb", "pss", FIELD_KIB,
		   "smaps Pss or pagemap + kpagecount",
		   "resident pages divided by the number of their mappers"},
    [RF_USS_KB] = {"uss_kb", "uss", FIELD_KIB,
		   "smaps Private_* or pagemap exclusive bit",
		   "pages mapped by this process alone"},
    [RF_SWAP_KB] = {"swap_kb", "swap", FIELD_KIB, "smaps Swap or pagemap",
		    "swapped-out pages"},
    [RF_ANON_KB] = {"anon_kb", "anon", FIELD_KIB, "smaps Anonymous or pagemap",
		    "resident anonymous pages"},
    [RF_FILE_KB] = {"file_kb", "file", FIELD_KIB,
		    "smaps Rss - Anonymous or pagemap",
		    "resident file-backed and shared-memory pages"},
    [RF_REFERENCED_KB] = {"referenced_kb", "ref", FIELD_KIB,
			  "smaps Referenced or kpageflags",
			  "resident pages marked accessed"},
    [RF_THP_KB] = {"thp_kb", "thp", FIELD_KIB,
		   "smaps *HugePages/PmdMapped or kpageflags",
		   "resident pages in transparent huge pages"},
    [RF_KSM_KB] = {"ksm_kb", "ksm", FIELD_KIB, "smaps KSM or kpageflags",
		   "pages merged by KSM"},
    [RF_DIRTY_KB] = {"dirty_kb", "dirty", FIELD_KIB,
		     "smaps *_Dirty or kpageflags",
		     "resident pages modified since "
		     "they were read or written back"},
    [RF_HUGETLB_KB] = {"hugetlb_kb", "hugetlb", FIELD_KIB, "smaps *_Hugetlb",
		       "hugetlbfs pages (not counted in rss_kb)"},
    [RF_ZERO_KB] = {"zero_kb", "zero", FIELD_KIB, "pagemap PFN",
		    "pages mapped to the shared zero page (page level only)"},
    [RF_ACTIVE_KB] =
	{"active_kb", "active", FIELD_KIB, "kpageflags",
	 "resident pages on the kernel's active LRU (page level only)"},
    [RF_FLAGS_ERR_PCT] =
	{"flags_err_pct", "err%", FIELD_GAUGE, "memtrend",
	 "95 % error bound, in percentage points of rss_kb, of "
	 "the kpageflags-based columns when they come from a page sample; "
	 "0 when every page was read"},
    [RF_MAPPINGS] = {"mappings", "maps", FIELD_GAUGE, "maps",
		     "number of mappings in the region"},
    [RF_IDLE_PCT] =
	{"idle_pct", "idle%", FIELD_GAUGE,
	 "page_idle, soft-dirty or smaps Referenced (idle_method)",
	 "percent of the resident pages not accessed since the previous "
	 "scan (with soft-dirty: not written)"},
    [RF_IDLE_ERR_PCT] =
	{"idle_err_pct", "err%", FIELD_GAUGE, "memtrend",
	 "95 % bound of idle_pct, in percentage points, when it comes from "
	 "a page sample; 0 when every page was seen"},
    [RF_IDLE_1_KB] = {"idle_age_1_kb", "idle1", FIELD_KIB, "idle scans",
		      "resident pages idle for 1 scan"},
    [RF_IDLE_2_4_KB] = {"idle_age_2_4_kb", "idle2-4", FIELD_KIB, "idle scans",
			"resident pages idle for 2 to 4 consecutive scans"},
    [RF_IDLE_5_16_KB] = {"idle_age_5_16_kb", "idle5-16", FIELD_KIB,
			 "idle scans",
			 "resident pages idle for 5 to 16 consecutive scans"},
    [RF_IDLE_17_64_KB] = {"idle_age_17_64_kb", "idle17-64", FIELD_KIB,
			  "idle scans",
			  "resident pages idle for 17 to 64 consecutive "
			  "scans"},
    [RF_IDLE_GT64_KB] = {"idle_age_gt64_kb", "idle>64", FIELD_KIB, "idle scans",
			 "resident pages idle for more than 64 consecutive "
			 "scans"},
    [RF_STALE_NEW_PCT] =
	{"stale_new_pct", "stale%", FIELD_GAUGE, "idle scans",
	 "percent of the memory that appeared during the "
	 "run never accessed again after it appeared (with the referenced "
	 "method: added over the last 64 scans at most, a lower bound)"},
    [RF_IDLE_SCAN_S] =
	{"idle_scan_s", "scan_s", FIELD_GAUGE, "clock",
	 "seconds since the previous idle scan: what one scan of age "
	 "means"},
    [RF_HINT_REFERENCED_PCT] =
	{"hint_referenced_pct", "kref%", FIELD_GAUGE,
	 "kpageflags KPF_REFERENCED of the idle sample",
	 "percent of the followed pages the kernel itself marks referenced "
	 "(its LRU flag; a passive hint, with --idle as root)"},
    [RF_HINT_ACTIVE_PCT] =
	{"hint_active_pct", "kact%", FIELD_GAUGE,
	 "kpageflags KPF_ACTIVE of the idle sample",
	 "percent of the followed pages on the kernel's active LRU list "
	 "(a passive hint, with --idle as root)"},
    [RF_FAULTS_PER_S] = {"faults_per_s", "flt/s", FIELD_GAUGE,
			 "perf page-fault samples (PERF_SAMPLE_ADDR)",
			 "page faults per second at addresses in the region"},
    [RF_RSS_ERR_KB] =
	{"rss_err_kb", "rss+-", FIELD_KIB, "memtrend",
	 "95 % error bound of rss_kb when it is estimated from a sample of "
	 "the region's pages (source estimate; 0 when it had few enough pages "
	 "to read them all); empty when rss_kb is exact"},
    [RF_PSS_ERR_KB] = {"pss_err_kb", "pss+-", FIELD_KIB, "memtrend",
		       "95 % error bound of pss_kb, as rss_err_kb"},
    [RF_USS_ERR_KB] = {"uss_err_kb", "uss+-", FIELD_KIB, "memtrend",
		       "95 % error bound of uss_kb, as rss_err_kb"},
    [RF_USS_DRIFT_KB] =
	{"uss_drift_kb", "drift", FIELD_KIB, "memtrend",
	 "on an exact row whose tick also took an estimate: the exact uss_kb "
	 "minus the estimated one (empty otherwise)"},
    [RF_USS_DRIFT_BOUND_KB] =
	{"uss_drift_bound_kb", "drift+-", FIELD_KIB, "memtrend",
	 "the 95 % bound of that estimate: a drift beyond it is counted "
	 "outside in the summary"},
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
fields_print(FILE *fp, const struct field *table, int n, const char *format)
{
	int i;

	if (strcmp(format, "man") == 0) {
		for (i = 0; i < n; i++)
			fprintf(fp, ".TP\n.B %s\n%s%s.\nSource: %s.\n",
				table[i].name, table[i].help,
				table[i].kind == FIELD_KIB ? ", in KiB" : "",
				table[i].source);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(fp, "  %-13s %s%s\n", table[i].name, table[i].help,
			table[i].kind == FIELD_KIB ? " (KiB)" : "");
}

const unsigned int field_idle_age_scans[FIELD_IDLE_AGES] = {
    1, 2, 5, 17, 65,
};
const char *const field_idle_age_labels[FIELD_IDLE_AGES] = {
    "1 scan", "2-4 scans", "5-16 scans", "17-64 scans", "over 64 scans",
};
