#!/usr/bin/env bash
# The estimate tier in memtrend's own loop (README, "Estimates" and
# "Cost"), each figure a ratio within one run (run from the build
# directory, as root):
#
#  1. per size (1, 4 and SIZE GiB resident): memtrend --regions at the
#     default budget, --every 1s for WINDOW seconds; the summary's CPU
#     per run of the estimate, the exact region tier and smaps_rollup (the
#     same run, so the ratio holds on a busy machine), how often each ran,
#     the monitor's share of a core, and how many exact values fell
#     outside the estimate's bound;
#  2. tier 0: a stat-only sample through libproc2 beside a C loop of
#     pread(stat) + pread(status) on kept descriptors (bench/tier0).
#
# (memtrend at 20 000 mappings with --estimate is in bench/sources.sh,
# section 2.)
#
#   bench/loop.sh [SIZE_GIB [WINDOW_S]]
set -euo pipefail
cd "$(dirname "$0")/.."
big=${1:-12}
win=${2:-60}
make -s memtrend tests/helpers/memchild bench/tier0

. bench/common.sh

# The CPU per run of a tier in a summary, in ms ("  estimate  5 runs, every
# 1.0 s, 7.56 ms CPU each").
each() {	# FILE TIER
	awk -v t="$2" '$1 == t && /CPU each/ {
		v = $(NF - 3); u = $(NF - 2)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		printf "%.3f %s\n", v, $2 }' "$1"
}

echo "== 1. memtrend --regions, default budget, --every 1s for ${win} s"
printf '%-7s %10s %10s %10s %9s %9s %7s %7s %6s  %s\n' target rollup_ms \
	region_ms est_ms est/roll est/regn est_n regn_n cpu% drift
for size in 1 4 "$big"; do
	start hold $((size << 30))
	./memtrend -p "$PID" --regions --every 1s -d "${win}s" -q \
		> "$work/sum" 2>&1 || true
	read -r ro _ < <(each "$work/sum" smaps_rollup)
	read -r rg rn < <(each "$work/sum" pagemap; each "$work/sum" smaps;
		echo nan 0)
	read -r es en < <(each "$work/sum" estimate)
	pct=$(awk '/monitor CPU/ { print $3 }' "$work/sum")
	drift=$(awk '/estimates:/ { print $7 " of " $2 " outside" }' "$work/sum")
	awk -v l="${size}GiB" -v ro="$ro" -v rg="$rg" -v es="$es" -v en="$en" \
	    -v rn="$rn" -v p="$pct" -v d="$drift" 'BEGIN {
		printf "%-7s %10.2f %10.2f %10.2f %9.3f %9.3f %7d %7d %6s  %s\n",
		    l, ro, rg, es, es / ro, es / rg, en, rn, p, d }'
	kill "$PID"; wait "$PID" 2>/dev/null || true
done

echo "== 2. tier 0: libproc2 beside pread on kept descriptors"
start maps 20000
bench/tier0 "$PID" 2000 5
kill "$PID"; wait "$PID" 2>/dev/null || true
