#!/bin/sh
# The capture build's cost on the device side: CPU per sample and peak RSS
# of `memtrend capture` against a target holding SIZE of private memory
# bytes (default 256 MiB), at --every EVERY (default 100ms: more samples, a finer
# CPU figure) for DURATION (default 30s), with and without --regions at
# --budget 100% (every tier every tick), and at the default budget; then
# the floor of a tick at the same interval (bench/tick: a C loop doing
# only the reads and the durable append a tick needs) and memtrend's
# ratio to it; then, beside it, a stand-in for smemcap in a shell loop at
# the same interval.  Debian does not ship smemcap (smem's capture tool,
# a tar of every process's smaps, cmdline and stat and /proc/meminfo per
# run): the stand-in reads those files of the target alone with cat and
# tars them, so it is a lower bound of what smemcap costs (smemcap reads
# every process).
#
#   bench/capture.sh [MEMTREND] [SIZE] [EVERY] [DURATION]
#
# MEMTREND: the binary to measure (default ./memtrend; give the
# capture-only static build's to measure that one).  Needs
# tests/helpers/memchild (make tests/helpers/memchild) and /usr/bin/time;
# builds bench/tick unless TICK names one (a cross-built one on a device).
# memtrend's figures count its start-up, the floor's only its loop: the
# ratio is an upper bound.
set -e
bin=${1:-./memtrend}
size=${2:-268435456}
every=${3:-100ms}
duration=${4:-30s}
child=${MEMCHILD:-tests/helpers/memchild}
tick=${TICK:-bench/tick}
[ -n "$TICK" ] || make -s bench/tick
work=$(mktemp -d "${TMPDIR:-/tmp}/memtrend-bench-XXXXXX")
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A duration as memtrend takes it (100ms, 1s, 2m), in seconds.
secs() {
	case $1 in
	*ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;;
	*s) echo "${1%s}" ;;
	*m) awk -v v="${1%m}" 'BEGIN { print v * 60 }' ;;
	*) echo "$1" ;;
	esac
}

mkfifo "$work/in"
"$child" hold "$size" <"$work/in" >"$work/out" &
pid=$!
exec 3>"$work/in"
while ! grep -q ready "$work/out" 2>/dev/null; do sleep 0.1; done

for mode in plain regions default; do
	opt="--budget 100%"
	[ $mode = regions ] && opt="--budget 100% --regions"
	[ $mode = default ] && opt=""
	/usr/bin/time -f "%U %S %M" -o "$work/time" "$bin" capture -p "$pid" \
		-e "$every" -d "$duration" $opt \
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
	[ $mode = plain ] && plain_ms=$(awk -v u="$user" -v s="$sys" \
		-v n="$n" 'BEGIN { print (u + s) * 1000 / n }')
done

# The floor of a tick (bench/tick): only the reads and the durable append
# each tick needs, in a C loop at the same interval -- with smaps_rollup
# (what --budget 100% reads), without it (the cheap fields alone), and
# without the fdatasync too.  memtrend's ratio is to the first.
ms=$(awk -v e="$(secs "$every")" 'BEGIN { printf "%d", e * 1000 }')
ticks=$(awk -v d="$(secs "$duration")" -v e="$(secs "$every")" \
	'BEGIN { printf "%d", d / e }')
for mode in "rollup" "" "nosync"; do
	t=$("$tick" "$pid" "$ms" "$ticks" "$work/tick.out" $mode)
	label=${mode:-sync}
	[ "$mode" = rollup ] && floor=$t
	awk -v t="$t" -v m="$label" -v size="$size" 'BEGIN {
		printf "tick floor %-7s %s target: %.3f ms CPU a tick " \
			"(stat, status, meminfo%s, a 16-byte append%s)\n", m,
			size, t * 1000, m == "rollup" ? ", smaps_rollup" : "",
			m == "nosync" ? "" : " and fdatasync" }'
done
awk -v a="$plain_ms" -v f="$floor" 'BEGIN {
	printf "capture --budget 100%% / tick floor with smaps_rollup: " \
		"%.2fx\n", a / (f * 1000) }'

# The smemcap stand-in: one tarball a sample, for as long and as often.
cat >"$work/loop.sh" <<'LOOP'
pid=$1 every=$2 count=$3 dir=$4 n=0
while [ "$n" -lt "$count" ]; do
	d=$dir/snap/$pid
	mkdir -p "$d"
	cat /proc/$pid/smaps >"$d/smaps"
	cat /proc/$pid/cmdline >"$d/cmdline"
	cat /proc/$pid/stat >"$d/stat"
	cat /proc/meminfo >"$dir/snap/meminfo"
	tar cf "$dir/$n.tar" -C "$dir/snap" .
	n=$((n + 1))
	sleep "$every"
done
LOOP
n=$ticks
/usr/bin/time -f "%U %S %M" -o "$work/time" sh "$work/loop.sh" "$pid" \
	"$(secs "$every")" "$n" "$work"
bytes=$(cat "$work"/[0-9]*.tar | wc -c)
read -r user sys rss <"$work/time"
awk -v u="$user" -v s="$sys" -v n="$n" -v r="$rss" -v b="$bytes" \
	-v size="$size" 'BEGIN {
	printf "smemcap-like shell loop, %s target: %d samples, %.3f ms CPU " \
		"a sample (user %.2f s, sys %.2f s), peak RSS %d KiB, " \
		"%.1f bytes a sample\n", size, n, (u + s) * 1000 / n, u, s, r,
		b / n }'
