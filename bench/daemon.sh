#!/usr/bin/env bash
# memtrend daemon watching many services: its CPU share and memory.
#
#   bench/daemon.sh [TARGETS] [SECONDS] [EVERY]   (from the build directory)
#
# TARGETS (default 50) processes, each a copy of memchild under its own
# name holding 4 MiB, are each one [target] of a config (name = ...,
# every = EVERY, default 10s, the default budget); the daemon runs for
# SECONDS (default 120).  Printed: the daemon's CPU time (user + system,
# /proc/PID/stat) as a share of one core over the run, its peak RSS
# (VmHWM), and, as the reference measured in the same run, top -b at the
# same interval over the same time.  Goals: <= 1 % of a core, <= 16 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${1:-50}
secs=${2:-120}
every=${3:-10}
make -s memtrend tests/helpers/memchild

dir=$(mktemp -d /tmp/memtrend-bench-daemon-XXXXXX)
pids=()
cleanup() {
	[ -n "${daemon:-}" ] && kill "$daemon" 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

{
	printf '[daemon]\nstate_dir = %s/state\nevery = %ss\n\n' "$dir" "$every"
	for i in $(seq -w "$targets"); do
		printf '[target svc%s]\nname = mtbench%s\n\n' "$i" "$i"
	done
} > "$dir/memtrend.conf"
for i in $(seq -w "$targets"); do
	cp tests/helpers/memchild "$dir/mtbench$i"
	sleep $((secs * 2 + 30)) | "$dir/mtbench$i" hold 4194304 >/dev/null &
	pids+=($!)
done
sleep 2

ticks=$(getconf CLK_TCK)
./memtrend daemon --config "$dir/memtrend.conf" 2>"$dir/daemon.err" &
daemon=$!
start=$(date +%s.%N)
sleep "$secs"
read -r ut st < <(awk '{ print $14, $15 }' "/proc/$daemon/stat")
end=$(date +%s.%N)
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$daemon/status")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$daemon/status")
kill "$daemon"
wait "$daemon" || true
daemon=
rows=$(cat "$dir"/state/svc*/samples.csv | grep -c ',(sum),')

TIMEFORMAT='%3U %3S %3R'
n=$((secs / every))
t=$( { time top -b -d "$every" -n "$n" >/dev/null 2>&1; } 2>&1 )

awk -v ut="$ut" -v st="$st" -v hz="$ticks" -v s0="$start" -v s1="$end" \
    -v hwm="$hwm" -v rss="$rss" -v t="$t" -v n="$targets" -v e="$every" \
    -v rows="$rows" 'BEGIN {
	cpu = (ut + st) / hz / (s1 - s0)
	split(t, a, " "); top = (a[1] + a[2]) / a[3]
	printf "%d targets, every %d s, %.0f s: %d sum rows written\n", n, e, s1 - s0, rows
	printf "memtrend daemon  CPU %6.3f %% of a core (goal <= 1 %%)\n", 100 * cpu
	printf "                 RSS %6.1f MiB, peak %.1f MiB (goal <= 16 MiB)\n", rss / 1024, hwm / 1024
	printf "top -b (same interval, whole system): CPU %6.3f %%  (daemon / top = %.2f)\n", 100 * top, (top > 0 ? cpu / top : 0)
}'
