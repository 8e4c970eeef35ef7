#!/usr/bin/env bash
# memtrend top on a system of many processes, beside top -b and smem run
# at the same interval, all measured in this run.
#
#   bench/top.sh [PROCS] [SECONDS] [EVERY]   (from the build directory, as root)
#
# PROCS (default 500) small processes are spawned (each holds 256 KiB of
# its own memory), then memtrend top, top -b and smem each sample the whole
# system every EVERY seconds (default 5) for SECONDS (default 60).  Printed:
# each one's CPU time (user + system, from its rusage) as a share of one
# core over its own wall time, and the ratios to memtrend top.  memtrend
# top holds its --budget (default 2 %) by slowing its tick when one stat
# pass over every process costs more than half of it: its tick count is
# fixed, so it may run longer than SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
procs=${1:-500}
secs=${2:-60}
every=${3:-5}
TIMEFORMAT='%3U %3S %3R'

command -v smem >/dev/null || apt-get install -y --no-install-recommends smem >/dev/null
make -s memtrend tests/helpers/memchild

pids=()
for _ in $(seq "$procs"); do
	sleep $((secs * 4)) | tests/helpers/memchild hold 262144 >/dev/null &
	pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; pkill -f "^sleep $((secs * 4))" 2>/dev/null || true' EXIT
sleep 2
total=$(ls /proc | grep -c '^[0-9]')

cpu() {
	local t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.6f", (a[1] + a[2]) / a[3] }'
}

n=$((secs / every))
mt=$(cpu ./memtrend top -q --every "${every}s" --count "$n")
tp=$(cpu top -b -d "$every" -n "$n")
sm=$(cpu bash -c "for i in \$(seq $n); do smem -c 'pid uss pss rss' >/dev/null; sleep $every; done")
awk -v p="$total" -v s="$secs" -v e="$every" -v mt="$mt" -v tp="$tp" -v sm="$sm" 'BEGIN {
	printf "%d processes, every %d s, %d samples (CPU share of one core)\n", p, e, s / e
	printf "%-14s %8.2f %%\n", "memtrend top", 100 * mt
	printf "%-14s %8.2f %%   %.2fx memtrend top\n", "top -b", 100 * tp, tp / mt
	printf "%-14s %8.2f %%   %.2fx memtrend top\n", "smem", 100 * sm, sm / mt
}'
