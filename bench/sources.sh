#!/usr/bin/env bash
# The cost of each source per sample, and the target's stall under it, all
# as ratios to reading smaps_rollup in the same run (run from the build
# directory, as root):
#
#  1. CPU time (user + system) per sample of each source (bench/pages:
#     rollup, the exact walk, walk + kpagecount, walk + kpageflags sample,
#     smaps, the estimate), of pmap -X and smem -P, on targets of 1, 4 and
#     SIZE GiB resident (default 8; 16 needs 16 GiB free) and on one with
#     20 000 mappings; the growth: ns per resident page (the slope from
#     1 GiB to the largest) and us per mapping (the cost at 20 000
#     mappings, 156 MiB resident, over 20 000);
#  2. memtrend itself at 20 000 mappings: CPU per sample with --budget 100%
#     (default, --regions, --regions --pages, --regions --estimate) and
#     peak RSS (VmHWM);
#  3. the target's stall (bench/stall: a thread timing mmap + munmap of
#     64 KiB in a loop) while each source samples every 100 ms for
#     WINDOW seconds: p99 and max per source, and with none;
#  4. the estimates against the exact walk on a target whose anonymous
#     memory changes size as it runs (bench/churn ... breathe, holding
#     1 GiB and SIZE GiB and growing 1 MiB every 10 ms up to 256 MiB,
#     then freeing it): how often each sampled region's estimate lies
#     within its stated bound (bench/estimate, 50 rounds), and its cost
#     beside the walk's;
#  5. bench/loop.sh: the estimate tier in memtrend's own loop beside the
#     exact tiers (for 12 x WINDOW seconds), tier 0 through libproc2
#     beside a pread loop.
#
#   bench/sources.sh [SIZE_GIB [N [WINDOW_S]]]
set -euo pipefail
cd "$(dirname "$0")/.."
big=${1:-8}
n=${2:-10}
win=${3:-5}
make -s memtrend tests/helpers/memchild bench/pages bench/stall \
	bench/churn bench/estimate
command -v smem >/dev/null ||
	apt-get install -y --no-install-recommends smem >/dev/null 2>&1 || true

. bench/common.sh

# One target: bench/pages, then pmap -X and smem per sample, as ratios.
row() {	# LABEL
	local label=$1 rollup pm sm
	bench/pages "$PID" "$n" > "$work/pages"
	rollup=$(awk '$1 == "rollup" { print $2 }' "$work/pages")
	pm=$(cpu bash -c "for i in \$(seq $n); do pmap -X $PID; done")
	if command -v smem >/dev/null; then
		sm=$(cpu bash -c "for i in 1 2 3; do smem -P '^tests/helpers/memchild' ; done")
		sm=$(awk -v s="$sm" 'BEGIN { print s / 3 }')
	else
		sm=nan
	fi
	awk -v l="$label" -v r="$rollup" -v pm="$pm" -v n="$n" -v sm="$sm" '
		{ ms[$1] = $2 }
		END {
			printf "%-10s %8.2f", l, r
			split("walk walk+pss walk+flags smaps estimate", k, " ")
			for (i = 1; i <= 5; i++)
				printf " %8.3f", ms[k[i]] / r
			printf " %8.3f", pm / n * 1000 / r
			printf " %8.3f\n", sm == "nan" ? -1 : sm * 1000 / r
		}' "$work/pages"
	cp "$work/pages" "$work/pages.$label"
}

echo "== 1. CPU per sample, ratio to smaps_rollup (ms) in the same run"
printf '%-10s %8s %8s %8s %8s %8s %8s %8s %8s\n' target rollup_ms walk \
	walk+pss walk+flg smaps estimate pmap-X smem
for size in 1 4 "$big"; do
	start hold $((size << 30))
	row "${size}GiB"
	kill "$PID"; wait "$PID" 2>/dev/null || true
done
start maps 20000
row "20k-maps"

echo "== growth"
awk -v big="$big" 'BEGIN {
	split("rollup walk walk+pss smaps estimate", k, " ")
	for (i = 1; i <= 5; i++) {
		f = "'"$work"'/pages.1GiB"; g = "'"$work"'/pages." big "GiB"
		h = "'"$work"'/pages.20k-maps"
		while ((getline l < f) > 0) { split(l, a, " "); if (a[1] == k[i]) one = a[2] }
		while ((getline l < g) > 0) { split(l, a, " "); if (a[1] == k[i]) top = a[2] }
		while ((getline l < h) > 0) { split(l, a, " "); if (a[1] == k[i]) many = a[2] }
		close(f); close(g); close(h)
		pages = (big - 1) * 262144
		printf "%-10s %7.2f ns per resident page  %6.2f us per mapping\n",
		    k[i], (top - one) * 1e6 / pages, many * 1000 / 20000
	}
}'

echo "== 2. memtrend at 20 000 mappings (--budget 100%, CPU per sample, peak RSS)"
for args in "" "--regions" "--regions --pages" "--regions --estimate"; do
	one=$(cpu ./memtrend -p "$PID" -c 1 -q --every 1ms --budget 100% $args)
	many=$(cpu ./memtrend -p "$PID" -c $((n + 1)) -q --every 1ms --budget 100% $args)
	/usr/bin/time -o "$work/hwm" -f %M ./memtrend -p "$PID" -c 5 -q \
		--every 1ms --budget 100% $args >/dev/null 2>&1
	hwm=$(tail -1 "$work/hwm")
	awk -v a="${args:-default}" -v one="$one" -v many="$many" -v n="$n" \
	    -v h="$hwm" 'BEGIN {
		ms = (many - one) / n * 1000
		printf "%-22s %8.2f ms %6.2f us per mapping  peak RSS %5.1f MiB\n",
		    a, ms, ms * 1000 / 20000, h / 1024 }'
done
kill "$PID"; wait "$PID" 2>/dev/null || true

echo "== 3. target stall: mmap+munmap of 64 KiB while a source samples every 100 ms"
pmap_loop() {	# PID TICKS: pmap -X every 100 ms
	for i in $(seq "$2"); do pmap -X "$1"; sleep 0.1; done
}
stall_run() {	# SIZE_GIB
	local ticks=$((win * 10)) src
	stall_start $(($1 << 10))
	for src in none rollup smaps walk+pss estimate pmap-X memtrend; do
		case $src in
		none) stall_window none sleep "$win" ;;
		pmap-X) stall_window pmap-X pmap_loop "$SPID" "$ticks" ;;
		memtrend) stall_window memtrend ./memtrend -p "$SPID" -q \
			--every 100ms -d "${win}s" ;;
		*) stall_window "$src" bench/pages "$SPID" "$ticks" "$src" 100 ;;
		esac
	done
	stall_end
}
for size in 1 "$big"; do
	echo "-- ${size} GiB resident"
	stall_run "$size"
done

echo "== 4. estimates within their bound of the exact walk, target changing size"
for size in 1 "$big"; do
	echo "-- ${size} GiB resident, 1 MiB more every 10 ms up to 256 MiB, freed, again"
	rm -f "$work/cout"
	mkfifo "$work/cout"
	bench/churn $((size << 10)) 3600 breathe > "$work/cout" &
	cpid=$!
	exec 9< "$work/cout"
	read -r _ _ <&9	# ready
	bench/estimate "$cpid" 50
	kill "$cpid"; wait "$cpid" 2>/dev/null || true
	exec 9<&-
done

echo "== 5. the estimate tier in memtrend's loop, and tier 0 (bench/loop.sh)"
bench/loop.sh "$big" $((win * 12))
