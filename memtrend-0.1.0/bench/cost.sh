#!/usr/bin/env bash
# Cost per sample: memtrend beside the floor (a plain read of
# /proc/PID/smaps_rollup, bench/floor) and beside smem -P, for targets of
# 1 GiB and 4 GiB resident, all measured in this run.
#
#   bench/cost.sh [SAMPLES]          (run from the build directory, as root)
#
# memtrend's cost is its CPU time (user + system) for 1 + SAMPLES samples
# minus its CPU time for 1 sample, divided by SAMPLES: start-up excluded.
# --budget 100% makes every sample read smaps_rollup, as the floor does.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40}
TIMEFORMAT='%3U %3S'

command -v smem >/dev/null || apt-get install -y --no-install-recommends smem >/dev/null
make -s memtrend tests/helpers/memchild bench/floor

# CPU seconds (user + system) a command took.
cpu() {
	local t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.6f", a[1] + a[2] }'
}

printf '%-8s %14s %14s %14s %10s %10s\n' target floor_ms memtrend_ms smem_ms \
	mt/floor smem/floor
for size in 1G 4G; do
	bytes=$(( ${size%G} * 1024 * 1024 * 1024 ))
	coproc HOLD { exec tests/helpers/memchild hold "$bytes"; }
	pid=$HOLD_PID
	read -r line <&"${HOLD[0]}"	# started
	read -r line <&"${HOLD[0]}"	# ready
	floor=$(bench/floor "$pid" "$n")
	one=$(cpu ./memtrend -p "$pid" -c 1 -q --every 1ms --budget 100%)
	many=$(cpu ./memtrend -p "$pid" -c $((n + 1)) -q --every 1ms --budget 100%)
	runs=5
	smem_total=$(cpu bash -c "for i in \$(seq $runs); do smem -P '^tests/helpers/memchild hold' >/dev/null; done")
	kill "$pid"; wait "$pid" 2>/dev/null || true
	awk -v s="$size" -v f="$floor" -v one="$one" -v many="$many" -v n="$n" \
	    -v sm="$smem_total" -v runs="$runs" 'BEGIN {
		mt = (many - one) / n; smem = sm / runs
		printf "%-8s %14.3f %14.3f %14.1f %10.2f %10.1f\n", s, f * 1000,
		    mt * 1000, smem * 1000, mt / f, smem / f
	}'
done
echo "goal: mt/floor <= 1.2"
