#!/bin/sh
# code/kernels/run-book.sh BOOK OUT [INFO [FEATURES]]: runs every chapter's
# experiments with the book's own harness and programs, as the build does,
# and writes OUT/STEM/ exactly as the build writes build/run/STEM/.
#
# BOOK is laid out as the build directory: BOOK/bin/harness,
# BOOK/prog/STEM/ (the compiled programs), BOOK/tangle/STEM/experiments.
# A chapter without compiled programs is skipped, as the build skips it.
# Each line KEY=VALUE of the file INFO goes to the harness as
# `-i KEY=VALUE` (into build-info).
# FEATURES is the guest's feature check (code/kernels/init): its lines
# "FEATURE missing CONFIG...|DIRECTIVES" name what the kernel lacks and
# which experiments need it; code/kernels/skip-experiments.sh (beside this
# script) leaves those out: OUT/STEM/EXP/meta says "status skipped" and
# "skipped needs FEATURE (CONFIG...)"; the others run.
# Writes OUT/status: one line "STEM EXIT-STATUS SECONDS" per chapter run,
# in the chapters' order.
#
# Environment (all optional; the guest's init sets them from its kernel
# command line):
#   RUNS=N      run each chapter N times (the determinism check on a guest,
#               code/kernels/run-kernel.sh compares them): the first run is
#               OUT/STEM/ as always, run I (2..N) goes to OUT/.runs/STEM/I/
#               with only what the comparison and the claims read (meta,
#               observations.txt, times.txt, states.txt, and wire, whose
#               hold lines say whether the wire kept time); a failed harness
#               run leaves OUT/.runs/STEM/I/errors.txt
#   JOBS=N      run up to N chapters at once (default 1): each experiment
#               has its own namespaces, and most of a chapter's time is its
#               experiments' timers, which overlap; the host's `make -j`
#               runs chapters side by side in the same way
#   CHAPTERS="13 16 ..."  only the chapters whose names start with one of
#               these (default every one)
#   START=I/N   begin with the chapter I/N of the way through the list and
#               wrap around (default 0/1, the first): the matrix starts each
#               of its N guests elsewhere, so that one guest's timers (a
#               lost SYN's second, connect() timing out) overlap another's
#               CPU-bound chapters instead of all guests waiting, then all
#               computing, at the same time. OUT/status keeps the
#               chapters' order.
#   PROGRESS=F  write "tcpbook: chapter STEM at UPTIME s" to F as each
#               chapter starts
#               (the guest's console), so that a run killed from outside
#               still names where it was
#
# The same script runs on the host and as the guest's /init's work: it is
# POSIX sh so that busybox runs it.
BOOK=${1:?usage: run-book.sh BOOK OUT [INFO]}
OUT=${2:?usage: run-book.sh BOOK OUT [INFO]}
INFO=${3:-}
FEATURES=${4:-}
HERE=$(dirname "$0")
RUNS=${RUNS:-1}
JOBS=${JOBS:-1}
START=${START:-0/1}
case $RUNS$JOBS in *[!0-9]*) echo "run-book.sh: RUNS and JOBS must be numbers" >&2; exit 2 ;; esac
case $START in 0/[1-9]* | [1-9]*/[1-9]*) case ${START%%/*}${START#*/} in *[!0-9]*) START=bad ;; esac ;; *) START=bad ;; esac
[ "$START" = bad ] && { echo "run-book.sh: START must be I/N (numbers, N > 0)" >&2; exit 2; }
[ "$JOBS" -ge 1 ] || JOBS=1
mkdir -p "$OUT" || exit 1
: >"$OUT/status"

# OUT/sysctls: the kernel's TCP sysctls ("NAME VALUE"), as a fresh network
# namespace sees them (the experiments' view; as root, or through a user
# namespace otherwise; the current namespace if neither works), for the
# comparison of kernels. Keys are left out: they differ on every boot.
# One grep and one sed, not a few processes per sysctl: under software
# emulation every process costs the guest milliseconds.
dump='grep -H . /proc/sys/net/ipv4/tcp_* /proc/sys/net/core/rmem_max /proc/sys/net/core/wmem_max /proc/sys/net/core/rmem_default /proc/sys/net/core/wmem_default /proc/sys/net/core/somaxconn 2>/dev/null |
	sed -n "/_key:/d; s|^/proc/sys/||; h; s|:.*||; y|/|.|; G; s|\n[^:]*:| |; s|	| |g; p"'
unshare -n sh -c "$dump" >"$OUT/sysctls" 2>/dev/null || unshare -rn sh -c "$dump" >"$OUT/sysctls" 2>/dev/null ||
	sh -c "$dump" >"$OUT/sysctls"
# run_chapter STEM EXPERIMENTS: the chapter's harness run(s); its status
# line into OUT/STEM/.status.
run_chapter() {
	local stem=$1 x=$2 t0 t1 rc i d e
	[ -n "${PROGRESS:-}" ] && echo "tcpbook: chapter $stem at $(cut -d' ' -f1 /proc/uptime) s" >"$PROGRESS"
	set -- -p "$BOOK/prog/$stem" -c "chapters/$stem.md"
	if [ -n "$INFO" ]; then
		while IFS= read -r kv; do
			[ -n "$kv" ] && set -- "$@" -i "$kv"
		done <"$INFO"
	fi
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$BOOK/bin/harness" "$@" -o "$OUT/$stem" "$x" 2>"$OUT/$stem/errors.txt"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	[ -s "$OUT/$stem/errors.txt" ] || rm -f "$OUT/$stem/errors.txt"
	i=2
	while [ "$i" -le "$RUNS" ]; do
		d=$OUT/.runs/$stem/$i
		mkdir -p "$d"
		"$BOOK/bin/harness" "$@" -o "$d" "$x" 2>"$d/errors.txt"
		[ -s "$d/errors.txt" ] || rm -f "$d/errors.txt"
		for e in "$d"/*/; do
			[ -d "$e" ] || continue
			find "$e" -type f ! -name meta ! -name observations.txt ! -name times.txt ! -name states.txt ! -name wire -exec rm -f {} \;
		done
		rm -f "$d/build-info"
		i=$((i + 1))
	done
	rm -f "$OUT/$stem/.experiments"
	echo "$stem $rc $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')" >"$OUT/$stem/.status"
}

# The chapters to run, in their order; then the same list rotated by START.
list=
for x in "$BOOK"/tangle/*/experiments; do
	[ -f "$x" ] || continue
	stem=$(basename "$(dirname "$x")")
	[ -d "$BOOK/prog/$stem" ] || continue
	if [ -n "${CHAPTERS:-}" ]; then
		want=0
		for c in $CHAPTERS; do case $stem in "$c"*) want=1 ;; esac; done
		[ $want = 1 ] || continue
	fi
	list="$list $stem"
done
set -- $list
skip=$(( $# * ${START%/*} / ${START#*/} ))
[ "$skip" -lt "$#" ] || skip=0
rotated= tail=
i=0
for stem in "$@"; do
	if [ "$i" -lt "$skip" ]; then tail="$tail $stem"; else rotated="$rotated $stem"; fi
	i=$((i + 1))
done
rotated="$rotated ${tail:-}"

pids=
for stem in $rotated; do
	x=$BOOK/tangle/$stem/experiments
	mkdir -p "$OUT/$stem"
	if [ -n "$FEATURES" ] && grep -q '^[^ ]* missing ' "$FEATURES"; then
		# Leave out the experiments that need what the kernel lacks.
		if ! sh "$HERE/skip-experiments.sh" "$FEATURES" "$x" "$OUT/$stem" >"$OUT/$stem/.experiments"; then
			rm -f "$OUT/$stem/.experiments"
			echo "$stem 0 0.00 skipped" >"$OUT/$stem/.status"
			continue
		fi
		x=$OUT/$stem/.experiments
	fi
	if [ "$JOBS" -gt 1 ]; then
		# at most JOBS chapters at once: wait for one of them to end
		while :; do
			n=0 alive=
			for p in $pids; do kill -0 "$p" 2>/dev/null && { n=$((n + 1)); alive="$alive $p"; }; done
			pids=$alive
			[ "$n" -lt "$JOBS" ] && break
			sleep 0.2
		done
		run_chapter "$stem" "$x" &
		pids="$pids $!"
	else
		run_chapter "$stem" "$x"
	fi
done
wait
for stem in $list; do
	cat "$OUT/$stem/.status" >>"$OUT/status" 2>/dev/null || echo "$stem 1 0.00" >>"$OUT/status"
	rm -f "$OUT/$stem/.status"
done
