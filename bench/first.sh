#!/usr/bin/env bash
# The whole monitor's first minute on a big target (issue 16): memtrend
# with all sources (--regions --pages --idle --fault-addresses) at
# --every 1s for DURATION s on a target holding SIZE GiB that changes
# size (bench/churn ... breathe), for each memtrend binary given (default
# ./memtrend), one after the other on the same target, which is freed at
# the end.  Per binary: CPU by the kernel's accounting (/usr/bin/time:
# user + sys over wall), peak RSS (maxrss), rows with USS, the time of the
# first exact USS row, and the summary's per-tier lines.  Goal: <= 2 % of
# a core over the first minute.
#
#   bench/first.sh [SIZE_GIB [DURATION_S [MEMTREND...]]]   (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-8}
dur=${2:-60}
shift $(($# > 2 ? 2 : $#))
bins=("${@:-./memtrend}")
make -s memtrend bench/churn

. bench/common.sh

mkfifo "$work/cout"
bench/churn $((size << 10)) $(((dur + 10) * ${#bins[@]} + 60)) breathe \
	> "$work/cout" &
cpid=$!
exec 9< "$work/cout"
read -r _ _ <&9	# ready
for bin in "${bins[@]}"; do
	echo "== $bin: all sources, --every 1s, ${dur} s, ${size} GiB"
	rm -f "$work/s.csv"
	/usr/bin/time -o "$work/time" -f '%e %U %S %M' "$bin" -p "$cpid" \
		--regions --pages --idle --fault-addresses --every 1s \
		-d "${dur}s" -q -o "$work/s.csv" > "$work/sum" 2>&1 || true
	read -r wall user sys maxrss < "$work/time"
	awk -v w="$wall" -v u="$user" -v s="$sys" -v m="$maxrss" 'BEGIN {
		printf "monitor CPU (kernel): %.2f %% of a core (%.2f s in %.1f s)\n",
		    (u + s) / w * 100, u + s, w
		printf "peak RSS (maxrss): %.1f MiB\n", m / 1024 }'
	awk -F, '/^#/ { next }
		!h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		{ rows++; if ($c["uss_kb"] != "") have++
		  if ($c["uss_kb"] != "" && $c["uss_err_kb"] == "") {
			exact++; if (first == "") first = $c["elapsed_s"] } }
		END { printf "rows %d, with USS %d, exact USS %d, first exact at %s s\n",
		    rows, have, exact, first == "" ? "-" : first }' "$work/s.csv"
	grep -E '^  (stat|smaps_rollup|smaps|pagemap|estimate|monitor CPU)' \
		"$work/sum" || true
done
kill "$cpid"; wait "$cpid" 2>/dev/null || true
exec 9<&-
