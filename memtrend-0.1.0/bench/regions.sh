#!/usr/bin/env bash
# Per-region accounting: cost, overhead and effect on the target, all
# measured in this run (run from the build directory, as root):
#
#  1. cost of each per-region source beside the floor (a plain read of
#     smaps_rollup, totals only) on 1 GiB and 4 GiB resident targets
#     (bench/pages); goals: walk <= 1.0x, walk+pss <= 1.5x;
#  2. the whole monitor at --every 1s --regions --pages on 4 GiB for
#     DURATION: its CPU share (goal <= 2 % of one core with the default
#     budget) and its peak RSS (goal <= 8 MiB);
#  3. the throughput of a target that maps, faults and unmaps memory in a
#     loop while holding 4 GiB (bench/churn), alone and under that
#     monitor, alternated five times; goal: >= 99 %.
#
#   bench/regions.sh [DURATION_S]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-60}
make -s memtrend tests/helpers/memchild bench/pages bench/churn

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
# memchild holds its memory until its standard input closes: give it a
# FIFO kept open here.
mkfifo "$work/in"
exec 6<> "$work/in"

hold() {	# starts a child holding $1 bytes; sets HOLD_PID
	rm -f "$work/hold"
	mkfifo "$work/hold"
	tests/helpers/memchild hold "$1" < "$work/in" > "$work/hold" &
	HOLD_PID=$!
	exec 3< "$work/hold"
	read -r _ <&3	# started
	read -r _ <&3	# ready
}

echo "== 1. cost per sample (CPU time), ratio to reading smaps_rollup"
for size in 1 4; do
	hold $((size << 30))
	echo "-- ${size} GiB resident"
	bench/pages "$HOLD_PID" 10
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null || true
done

echo "== 2. whole monitor: --every 1s --regions --pages, 4 GiB, ${dur} s"
hold $((4 << 30))
TIMEFORMAT='%3R %3U %3S'
out=$work/monitor
{ time ./memtrend -p "$HOLD_PID" --every 1s --regions --pages -q \
	-d "${dur}s" > "$out" 2>&1; } 2> "$out.time" &
job=$!
sleep $((dur - 3))
mt=$(pgrep -n -x memtrend)
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$mt/status")
wait "$job"
read -r real user sys < "$out.time"
grep -E "^  (stat|smaps_rollup|pagemap|monitor CPU)" "$out"
awk -v r="$real" -v u="$user" -v s="$sys" -v h="$hwm" 'BEGIN {
	printf "process CPU (user+sys over wall, start-up included): %.2f %%\n", (u + s) / r * 100
	printf "peak RSS (VmHWM): %.1f MiB (goal <= 8 MiB)\n", h / 1024
}'
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null || true

echo "== 3. target throughput (loops/s of map+fault+unmap 16 MiB, 4 GiB held)"
churn() {	# $1: "alone" or "watched"; prints loops/s
	local line pid cpid
	rm -f "$work/churn"
	mkfifo "$work/churn"
	bench/churn 4096 20 > "$work/churn" &
	cpid=$!
	exec 4< "$work/churn"
	read -r line <&4
	pid=${line#ready }
	if [ "$1" = watched ]; then
		./memtrend -p "$pid" --every 1s --regions --pages -q \
			> /dev/null 2>&1 &
	fi
	read -r line <&4
	wait "$cpid" 2>/dev/null || true
	exec 4<&-
	echo "$line"
}
ratios=()
for i in 1 2 3 4 5; do
	a=$(churn alone)
	w=$(churn watched)
	r=$(awk -v a="$a" -v w="$w" 'BEGIN { printf "%.4f", w / a }')
	ratios+=("$r")
	echo "round $i: alone $a/s, watched $w/s, ratio $r"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
	printf "median ratio: %.1f %% of alone (goal >= 99 %%)\n", v[3] * 100 }'
