#!/bin/sh
# Soak: memtrend with every source on (--regions --pages --idle --faults
# --fault-addresses, both CSVs) against a target whose threads come and
# go (tests/helpers/memchild churn: a thread every 2 ms, each living
# 20 ms), for DURATION (default 1h).  A second memtrend watches the
# first and judges its RSS (`stable` expected); its open files and
# VmSize are read every 10 s.  Prints the figures; exits 1 when the
# monitor's RSS is judged growing, its open files grow by more than 16
# or its VmSize by more than 16 MiB.
#
#   bench/soak.sh [DURATION] [EVERY]    e.g. bench/soak.sh 10m 100ms
#
# Run from a built tree (make check builds the helper) as root, so that
# the page-level sources can run.
set -e
cd "$(dirname "$0")/.."
duration=${1:-1h}
every=${2:-100ms}
out=$(mktemp -d "${TMPDIR:-/tmp}/memtrend-soak-XXXXXX")
make -s memtrend tests/helpers/memchild >/dev/null

# The target, its stdin held open by a fifo until the end.
mkfifo "$out/in"
tests/helpers/memchild churn <"$out/in" >"$out/target.out" &
target=$!
exec 3>"$out/in"

./memtrend -p "$target" --every "$every" --duration "$duration" -q \
	--regions --pages --idle --faults --fault-addresses \
	-o "$out/soak.csv" --regions-csv "$out/soak-regions.csv" \
	>"$out/soak.out" 2>&1 &
mon=$!
sleep 1
./memtrend -p "$mon" --every 5s -q -o "$out/self.csv" >"$out/self.out" 2>&1 &
self=$!

echo "elapsed_s,fds,vmsize_kb,vmrss_kb" >"$out/res.csv"
start=$(date +%s)
while kill -0 "$mon" 2>/dev/null; do
	fds=$(ls "/proc/$mon/fd" 2>/dev/null | wc -l)
	vm=$(awk '/^VmSize:/ { print $2 }' "/proc/$mon/status" 2>/dev/null)
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$mon/status" 2>/dev/null)
	[ -n "$vm" ] && echo "$(($(date +%s) - start)),$fds,$vm,$rss" \
		>>"$out/res.csv"
	sleep 10
done
wait "$mon" || true
wait "$self" || true
exec 3>&-
kill "$target" 2>/dev/null || true
wait "$target" 2>/dev/null || true

verdict=$(./memtrend analyze --metric rss "$out/self.csv" || true)
summary() {	# column -> "first last min max"
	awk -F, -v c="$1" 'NR > 1 { if (n == 0) f = $c; l = $c;
		if (n == 0 || $c < mn) mn = $c; if (n == 0 || $c > mx) mx = $c;
		n++ } END { print f, l, mn, mx }' "$out/res.csv"
}
set -- $(summary 2)
fd_first=$1 fd_last=$2 fd_min=$3 fd_max=$4
set -- $(summary 3)
vm_first=$1 vm_last=$2 vm_min=$3 vm_max=$4
set -- $(summary 4)
rss_first=$1 rss_last=$2 rss_min=$3 rss_max=$4
rows=$(($(grep -vc '^#' "$out/soak.csv") - 1))	# rows: not the header, nor the '# ' line

echo "soak: $duration at --every $every, $rows rows; files in $out"
grep -E '^summary:|monitor CPU|^  (stat|smaps_rollup|pagemap|smaps) ' \
	"$out/soak.out" | sed 's/^/soak: monitor: /'
echo "soak: open files: first $fd_first, last $fd_last, min $fd_min, max $fd_max"
echo "soak: VmSize KiB: first $vm_first, last $vm_last, min $vm_min, max $vm_max"
echo "soak: VmRSS KiB: first $rss_first, last $rss_last, min $rss_min, max $rss_max"
echo "soak: the monitor's RSS, judged by memtrend: $verdict"
status=0
case $verdict in growing*) status=1 ;; esac
[ $((fd_max - fd_first)) -le 16 ] || status=1
[ $((vm_max - vm_first)) -le 16384 ] || status=1
[ $status -eq 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $status
