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

