# Shared by bench/sources.sh and bench/loop.sh (sourced from the build
# directory): a scratch directory removed at exit, memchild targets that
# hold their memory until the script ends, and CPU time of a command.
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkfifo "$work/in"
exec 6<> "$work/in"	# memchild holds its memory until stdin closes

start() {	# memchild ARGS...; sets PID
	rm -f "$work/out"
	mkfifo "$work/out"
	tests/helpers/memchild "$@" < "$work/in" > "$work/out" &
	PID=$!
	exec 3< "$work/out"
	read -r _ <&3	# started
	read -r _ <&3	# ready
}

TIMEFORMAT='%3U %3S'
cpu() {	# CPU seconds (user + system) of a command
	local t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.6f", a[1] + a[2] }'
}


# The target's stall (bench/stall): stall_start SIZE_MIB starts one
# holding SIZE_MIB (its pid in SPID) and prints the table's head;
# stall_window NAME CMD... prints the p99 and max stall while CMD runs;
# stall_end stops it.
stall_start() {	# SIZE_MIB
	rm -f "$work/sin" "$work/sout"
	mkfifo "$work/sin" "$work/sout"
	bench/stall "$1" < "$work/sin" > "$work/sout" &
	STALL_JOB=$!
	exec 7> "$work/sin" 8< "$work/sout"
	read -r _ SPID <&8
	printf '%-10s %10s %10s %10s\n' source p99_us max_us rounds
}

stall_window() {	# NAME CMD...
	local name=$1 p99 max rounds
	shift
	echo reset >&7; read -r _ <&8
	"$@" >/dev/null 2>&1 || true
	echo "$name" >&7
	read -r name p99 max rounds <&8
	printf '%-10s %10s %10s %10s\n' "$name" "$p99" "$max" "$rounds"
}

stall_end() {
	exec 7>&- 8<&-
	wait "$STALL_JOB" 2>/dev/null || true
	rm -f "$work/sin" "$work/sout"
}
