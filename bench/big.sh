#!/usr/bin/env bash
# Issue 16's figures on one big target (default 16 GiB resident; run from
# the build directory, as root, with SIZE GiB free), one target at a time
# and freed after:
#
#  1. a target holding SIZE GiB whose anonymous memory changes size
#     (bench/churn ... breathe: 1 MiB more every 10 ms up to 256 MiB,
#     freed, again):
#     a. CPU per sample of each source as a ratio to smaps_rollup in the
#        same run (bench/pages, N rounds); goal: the estimate (the default
#        region tier on a big target) <= 0.1x;
#     b. the estimates against exact walks taken just before and after
#        (bench/estimate, ROUNDS rounds); goal: within their bound in
#        >= 95 % of the sampled region-rounds;
#     c. the whole monitor with all sources (--regions --pages --idle
#        --fault-addresses) at --every 1s for DURATION s, writing both
#        CSVs: its CPU share and peak RSS by the kernel's accounting
#        (/usr/bin/time: user + system over wall, maxrss), how many rows
#        have USS, how many of them exact, the longest gap between exact
#        USS rows, and the summary's drift line; goals: <= 2 % of a core,
#        USS every row, exact at least once a minute, RSS <= 8 MiB;
#  2. bench/stall holding SIZE GiB: the target's mmap+munmap stall (p99,
#     max) with no monitor and under the default monitor (memtrend -p PID,
#     --every 1s) for DURATION s each; goal: p99 <= 1 ms.
#
#   bench/big.sh [SIZE_GIB [DURATION_S [N [ROUNDS]]]]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-16}
dur=${2:-60}
n=${3:-5}
rounds=${4:-50}
make -s memtrend bench/pages bench/stall bench/churn bench/estimate

. bench/common.sh

echo "== 1. ${size} GiB resident, changing size"
mkfifo "$work/cout"
bench/churn $((size << 10)) $((dur * 10)) breathe > "$work/cout" &
cpid=$!
exec 9< "$work/cout"
read -r _ _ <&9	# ready
echo "-- a. CPU per sample (ms), ratio to smaps_rollup"
bench/pages "$cpid" "$n" | awk '{ ms[NR] = $2; name[NR] = $1 }
	name[NR] == "rollup" { r = $2 }
	END { for (i = 1; i <= NR; i++)
		printf "%-11s %9.2f ms %7.3fx\n", name[i], ms[i], ms[i] / r }'
echo "-- b. estimates within their bound of the exact walks ($rounds rounds)"
bench/estimate "$cpid" "$rounds"
echo "-- c. memtrend --regions --pages --idle --fault-addresses --every 1s, ${dur} s"
/usr/bin/time -o "$work/time" -f '%e %U %S %M' ./memtrend -p "$cpid" \
	--regions --pages --idle --fault-addresses --every 1s -d "${dur}s" \
	-q -o "$work/s.csv" --regions-csv "$work/r.csv" > "$work/sum" 2>&1 ||
	true
read -r wall user sys maxrss < "$work/time"
awk -v w="$wall" -v u="$user" -v s="$sys" -v m="$maxrss" 'BEGIN {
	printf "monitor CPU (user+sys over wall, kernel): %.2f %% of a core\n",
	    (u + s) / w * 100
	printf "peak RSS (maxrss): %.1f MiB\n", m / 1024 }'
# USS per row: present, and exact (no uss_err_kb), and the longest time
# between exact rows.
awk -F, '/^#/ { next }
	!h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
	{ rows++; if ($c["uss_kb"] != "") have++
	  if ($c["uss_kb"] != "" && $c["uss_err_kb"] == "") {
		exact++; t = $c["elapsed_s"]
		if (last != "" && t - last > gap) gap = t - last
		last = t } }
	END { printf "rows %d, with USS %d, exact USS %d, longest gap between exact USS %.1f s\n",
	    rows, have, exact, gap }' "$work/s.csv"
grep -E '^  (stat|smaps_rollup|smaps|pagemap|estimate|monitor CPU)|estimates:' \
	"$work/sum" || true
kill "$cpid"; wait "$cpid" 2>/dev/null || true
exec 9<&-

echo "== 2. target stall: mmap+munmap of 64 KiB, ${size} GiB held"
stall_start $((size << 10))
stall_window none sleep "$dur"
stall_window memtrend ./memtrend -p "$SPID" -q -d "${dur}s"
stall_end
