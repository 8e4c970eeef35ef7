#!/bin/sh
# The capture build's cost on the device side: CPU per sample and peak RSS
# of `memtrend capture` against a target holding SIZE of private memory
# bytes (default 256 MiB), at --every EVERY (default 100ms: more samples, a finer
# CPU figure) for DURATION (default 30s), with and without --regions.
#
#   bench/capture.sh [MEMTREND] [SIZE] [EVERY] [DURATION]
#
# MEMTREND: the binary to measure (default ./memtrend; give the
# capture-only static build's to measure that one).  Needs
# tests/helpers/memchild (make tests/helpers/memchild) and /usr/bin/time.
set -e
bin=${1:-./memtrend}
size=${2:-268435456}
every=${3:-100ms}
duration=${4:-30s}
child=${MEMCHILD:-tests/helpers/memchild}
work=$(mktemp -d "${TMPDIR:-/tmp}/memtrend-bench-XXXXXX")
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

mkfifo "$work/in"
"$child" hold "$size" <"$work/in" >"$work/out" &
pid=$!
exec 3>"$work/in"
while ! grep -q ready "$work/out" 2>/dev/null; do sleep 0.1; done

for mode in plain regions; do
	opt=""
	[ $mode = regions ] && opt=--regions
	/usr/bin/time -f "%U %S %M" -o "$work/time" "$bin" capture -p "$pid" \
		-e "$every" -d "$duration" --budget 100% $opt \
		-o "$work/$mode.mtc" 2>"$work/log"
	n=$(sed -n 's/.* \([0-9]*\) samples*, \([0-9]*\) bytes.*/\1/p' \
		"$work/log")
	bytes=$(sed -n 's/.* samples*, \([0-9]*\) bytes.*/\1/p' "$work/log")
	read -r user sys rss <"$work/time"
	awk -v u="$user" -v s="$sys" -v n="$n" -v r="$rss" -v b="$bytes" \
		-v m="$mode" -v size="$size" 'BEGIN {
		printf "capture %-7s %s target: %d samples, %.3f ms CPU a " \
			"sample (user %.2f s, sys %.2f s), peak RSS %d KiB, " \
			"%.1f bytes a sample\n", m, size, n, \
			(u + s) * 1000 / n, u, s, r, b / n }'
done
