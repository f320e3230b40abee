#!/usr/bin/env bash
# code/kernels/matrix.sh [KERNEL...]: runs the book's experiments on each kernel
# (default: host 5.10 6.1 6.12 7.x) with code/kernels/run-kernel.sh, then
# compares them with code/kernels/compare.sh into $BUILD/kernels/compare.txt
# and $BUILD/html/kernels.html.
#
# The kernels are fetched one after the other (downloads are cached), then
# run in parallel, at most KERNELS_JOBS guests at a time (default: all of
# them, see below): each guest has one virtual CPU. The host's own run is
# light and runs beside them. A kernel that fails is
# named on stderr and shown as failed on the page; the others still run.
# Exit status 1 when any kernel failed, after the comparison is written.
set -u
BUILD=${BUILD:-build}
export BUILD
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- host 5.10 6.1 6.12 7.x
# Most of a guest's time is the experiments' own timers (a lost SYN's
# second, a connect() timing out), not the CPU: every guest runs at once
# by default, so that their waits overlap (at most 8; KERNELS_JOBS).
nguests=0
for k in "$@"; do [ "$k" = host ] || nguests=$((nguests + 1)); done
[ "$nguests" -gt 8 ] && nguests=8
[ "$nguests" -gt 0 ] || nguests=1
JOBS=${KERNELS_JOBS:-$nguests}
start=$(date +%s.%N)
mkdir -p "$BUILD/kernels" || exit 1

# Fetch first: one at a time, so that apt-get's downloads do not race.
first_vmlinuz=
for k in "$@"; do
	[ "$k" = host ] && continue
	if c=$("$HERE/fetch.sh" "$k"); then
		[ -n "$first_vmlinuz" ] || first_vmlinuz=$c/vmlinuz
	fi
done
# Decide kvm or tcg once, before the guests start together.
[ -n "$first_vmlinuz" ] && "$HERE/accel.sh" "$first_vmlinuz" >/dev/null

failed=()
pids=()
names=()
# count_guests: sets running to how many guests still run; reaps the runs
# that ended. (Not in $(...): a subshell could not wait for them.)
count_guests() {
	local i
	running=0
	for i in "${!pids[@]}"; do
		[ -n "${pids[$i]}" ] || continue
		if kill -0 "${pids[$i]}" 2>/dev/null; then
			[ "${names[$i]}" = host ] || running=$((running + 1))
		else
			wait "${pids[$i]}" || failed+=("${names[$i]}")
			pids[$i]=""
		fi
	done
}
# Each guest begins its chapters elsewhere in the list (guest g of n at
# g/n of the way, KERNELS_START): run in the same order, every guest waited
# on its timer-bound chapters at the same time and then competed for the
# CPU together at the next; staggered, one guest's waits are another's
# turn at the CPU. The results do not depend on the order: each experiment
# has namespaces of its own.
g=0
for k in "$@"; do
	if [ "$k" != host ]; then
		count_guests
		while [ "$running" -ge "$JOBS" ]; do sleep 0.1; count_guests; done
		export KERNELS_START=$((g % nguests))/$nguests
		g=$((g + 1))
	fi
	"$HERE/run-kernel.sh" "$k" &
	pids+=($!)
	names+=("$k")
done
for i in "${!pids[@]}"; do
	[ -n "${pids[$i]}" ] || continue
	wait "${pids[$i]}" || failed+=("${names[$i]}")
done

"$HERE/compare.sh" "$@" || exit 1
total=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
for k in "$@"; do
	k=$("$HERE/fetch.sh" --label "$k")
	s=$BUILD/kernels/$k/summary
	printf '  %-6s %-32s %s, boot %s s, run %s s\n' "$k" "$(sed -n 's/^kernel //p' "$s" 2>/dev/null)" \
		"$(sed -n 's/^status //p' "$s" 2>/dev/null)" "$(sed -n 's/^boot //p' "$s" 2>/dev/null | grep . || echo -)" \
		"$(sed -n 's/^seconds //p' "$s" 2>/dev/null)"
done
echo "  matrix: $# kernels in $total s: $BUILD/html/kernels.html, $BUILD/kernels/compare.txt"
if [ ${#failed[@]} -gt 0 ]; then
	echo "code/kernels/matrix.sh: failed on: ${failed[*]} (the page shows why)" >&2
	exit 1
fi
exit 0
