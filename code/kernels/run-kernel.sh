#!/usr/bin/env bash
# code/kernels/run-kernel.sh KERNEL: rebuilds the book's observations on one
# kernel, without rebooting: every chapter's experiments, with the same
# harness and programs as the host build ($BUILD/bin, $BUILD/prog,
# $BUILD/tangle), run inside a qemu guest booted on that kernel.
#
#   KERNEL    5.10, 6.1, 6.12, 7.x, an exact Debian release, or the path of
#             a bzImage or .deb of your own (see code/kernels/fetch.sh);
#             "host" runs the same on the running kernel, without a guest
#
# Writes $BUILD/kernels/LABEL/ (LABEL is KERNEL, or own-NAME for a path:
# code/kernels/fetch.sh --label):
#
#   run/STEM/EXP/   as $BUILD/run/STEM/EXP/ (observations.txt, trace.txt,
#                   ladder.msc and ladder.svg drawn on the host, ...); an
#                   experiment the kernel cannot run has only meta, with
#                   "status skipped" and what it needs
#   run/features    the guest's check of code/kernels/features
#   run/STEM/build-info, run/STEM/claims.txt (when the build has bin/claims)
#   summary         "kernel RELEASE", "accel kvm|tcg", "boot SECONDS",
#                   "seconds SECONDS", "status ok|failed", "error TEXT"
#   console.log, initramfs.cpio, payload.b64   the guest's, for diagnosis
#
# A kernel that cannot be fetched, booted or run leaves no run/ (an older
# one is removed, so it is never taken for this one's), a summary with
# "status failed" and the reason, one line on stderr naming the kernel,
# and exit status 1.
#
# Environment: BUILD (default build); KERNELS_TIMEOUT, seconds before the
# guest is killed (default 300); KERNELS_MEM, the guest's memory in MiB
# (default 4608: tcp_init() in net/ipv4/tcp.c caps tcp_rmem[2] at 1/128 of
# free memory, so reaching the 32 MB default of recent kernels takes more
# than 4 GiB; with less, the window scale would be a finding about the
# guest, not the kernel. qemu only gives the guest the pages it touches);
# KERNELS_ACCEL (see code/kernels/accel.sh);
# KERNELS_RUNS=N, each chapter run N times in the same boot and compared
# (the determinism check of code/check/determinism.sh, on this kernel:
# every run against the kernel's own first run, every claim on every run;
# `make KERNEL=6.1 RUNS=20 CH=13`); KERNELS_CHAPTERS, the chapters to run,
# as numbers or name prefixes ("13 16 21"; default every one);
# KERNELS_GUEST_JOBS, chapters run at once inside the guest (default 1,
# code/kernels/run-book.sh, JOBS: with 3, a matrix under TCG took 154 s
# instead of about 225 s, but the guest's one CPU then delays the wire's
# verdicts and the programs enough that timing claims (chapters 13, 18)
# and races (28) fail that hold one chapter at a time); KERNELS_START=I/N,
# where in the chapter list the guest begins (code/kernels/run-book.sh,
# START; matrix.sh staggers its guests so). The default
# KERNELS_TIMEOUT is 300 s times KERNELS_RUNS.
#
# Every failure is one line on stderr, "LABEL: STEM/EXP: cause" (report
# below); the same lines are in the summary, as "failure STEM/EXP: cause".
set -u
V=${1:?usage: code/kernels/run-kernel.sh KERNEL}
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${KERNELS_RUNS:-1}
GJOBS=${KERNELS_GUEST_JOBS:-1}
CHAPTERS=${KERNELS_CHAPTERS:-}
START=${KERNELS_START:-0/1}
case $RUNS in '' | *[!0-9]* | 0) echo "code/kernels/run-kernel.sh: KERNELS_RUNS (RUNS) must be a number of runs, not '$RUNS'" >&2; exit 2 ;; esac
case $GJOBS in '' | *[!0-9]* | 0) echo "code/kernels/run-kernel.sh: KERNELS_GUEST_JOBS must be a positive number, not '$GJOBS'" >&2; exit 2 ;; esac
case $START in 0/[1-9]* | [1-9]*/[1-9]*) case ${START%%/*}${START#*/} in *[!0-9]*) START=bad ;; esac ;; *) START=bad ;; esac
[ "$START" = bad ] && { echo "code/kernels/run-kernel.sh: KERNELS_START must be I/N (numbers, N > 0), not '${KERNELS_START:-}'" >&2; exit 2; }
case $CHAPTERS in *[!A-Za-z0-9_\ -]*) echo "code/kernels/run-kernel.sh: KERNELS_CHAPTERS (CH) must be chapter numbers or names, not '$CHAPTERS'" >&2; exit 2 ;; esac
TIMEOUT=${KERNELS_TIMEOUT:-$((300 * RUNS))}
MEM=${KERNELS_MEM:-4608}
progname="code/kernels/run-kernel.sh"
start=$(date +%s.%N)

case $V in
*/* | *.deb) ;;
*[!A-Za-z0-9.+_-]* | '' | .*) echo "$progname: '$V' is not a kernel (5.10, 6.1, 6.12, 7.x, host, a Debian release or the path of a bzImage or .deb)" >&2; exit 2 ;;
esac
L=$("$HERE/fetch.sh" --label "$V")
D=$BUILD/kernels/$L
mkdir -p "$D" || exit 1
rm -rf "$D/run" "$D/run.tmp" "$D/run.tmp.x" "$D/summary" "$D/failures" "$D/determinism" "$D/determinism-runs"
summary=$D/summary.tmp
: >"$summary"

elapsed() { echo "$(date +%s.%N) $start" | awk '{ printf "%.2f", $1 - $2 }'; }
fail() {
	echo "$progname: kernel '$V': $*" >&2
	{ echo "status failed"; echo "error $*"; echo "seconds $(elapsed)"; } >>"$summary"
	mv "$summary" "$D/summary"
	exit 1
}

# The programs' claims are judged on the host, from the observations, with
# the build's own tool when it has one: they do not depend on the kernel
# that ran the experiments.
judge_claims() {
	local run=$1 c stem
	[ -x "$BUILD/bin/claims" ] || return 0
	for c in "$BUILD"/tangle/*/claims; do
		[ -f "$c" ] || continue
		stem=$(basename "$(dirname "$c")")
		[ -d "$run/$stem" ] || continue
		"$BUILD/bin/claims" -c "${CHAPTER_DIR:-chapters}/$stem.md" -o "$run/$stem" "$c" 2>>"$run/$stem/claims.log"
	done
}

# Ladder diagrams of the guest's experiments, drawn on the host as the
# build draws them (code/scripts/step.sh, step draw), so that a reader can
# compare the pictures too.
draw_ladders() {
	local run=$1 d
	[ -x "$BUILD/bin/ladder" ] || return 0
	for d in "$run"/*/*/; do
		[ -f "$d/timeline.txt" ] || continue
		"$BUILD/bin/ladder" -o "$d/ladder.svg" "$d/timeline.txt" 2>/dev/null || rm -f "$d/ladder.svg"
	done
}

# report RUN: one line per thing that went wrong in RUN, on stdout, each
# "LABEL: STEM/EXP: cause" (issue 13: a failure on a guest names the
# chapter, the experiment and the cause in one line):
#   - an experiment that failed: its meta's first error, without the
#     "CHAPTER:LINE: error: experiment 'EXP': " the chapter is already
#     named by, and with the harness's own word from a role's stderr when
#     the role could not run its program (exit status 127);
#   - a chapter whose harness failed with no experiment to blame (killed,
#     a run directory it could not write): "LABEL: STEM: " its first error;
#   - an experiment the guest's watchdog stopped (run/watchdog, written by
#     code/kernels/init): "did not finish within N s";
#   - a claim that does not hold (differs, or cannot be checked) where the
#     experiment itself ran: "claim at LINE RESULT: SENTENCE".
# Skipped experiments are not failures (the summary counts them).
report() {
	local run=$1 m d stem exp cause role extra line
	if [ -f "$run/watchdog" ]; then
		while read -r what rest; do
			[ "$what" = running ] && echo "$L: $rest: did not finish within $(sed -n 's/^limit //p' "$run/watchdog") s (the guest's watchdog; KERNELS_TIMEOUT)"
		done <"$run/watchdog"
	fi
	for m in "$run"/*/*/meta; do
		[ -f "$m" ] || continue
		grep -qx 'status failed' "$m" || continue
		d=${m%/meta}; exp=${d##*/}; stem=${d%/*}; stem=${stem##*/}
		cause=$(sed -n '/^error /{s/^error //;p;q}' "$m")
		cause=${cause#*": error: experiment '$exp': "}
		[ -n "$cause" ] || cause="failed (no error recorded in $m)"
		extra=
		case $cause in
		"role '"*"': exited 127"*)
			role=${cause#role \'}; role=${role%%\'*}
			extra=$(grep -m 1 '^harness: ' "$d/$role.stderr" 2>/dev/null | sed 's/^harness: //')
			;;
		esac
		echo "$L: $stem/$exp: $cause${extra:+: $extra}"
	done
	while read -r stem rc _; do
		[ "$rc" = 0 ] && continue
		grep -lqx 'status failed' "$run/$stem"/*/meta 2>/dev/null && continue
		line=$(grep -m 1 . "$run/$stem/errors.txt" 2>/dev/null)
		exp=$(printf '%s\n' "$line" | sed -n "s/.*: error: experiment '\([^']*\)': .*/\1/p")
		cause=${line#*": error: experiment '$exp': "}
		[ -n "$line" ] || cause="the harness failed with exit status $rc and said nothing"
		echo "$L: $stem${exp:+/$exp}: $cause"
	done <"$run/status"
	for c in "$run"/*/claims.txt; do
		[ -f "$c" ] || continue
		stem=${c%/claims.txt}; stem=${stem##*/}
		awk -v L="$L" -v stem="$stem" -v run="$run" '
			$1 == "claim" { line = $2; res = $3; ex = ""; text = ""; obs = ""; next }
			$1 == "experiment" { ex = $2; next }
			$1 == "text" { text = substr($0, 6); next }
			$1 == "observed" && obs == "" { obs = substr($0, 10); next }
			$1 == "end" {
				if (res != "confirmed" && res != "varies" && res != "unchecked")
					print L ": " stem "/" ex ": claim at line " line " " res ": " text (obs != "" ? " (observed: " obs ")" : "")
			}' "$c"
	done
}

# determinism RUN: with KERNELS_RUNS=N, every chapter's runs 2..N
# (RUN/.runs/STEM/I/, code/kernels/run-book.sh) against its first (RUN/STEM):
# as code/check/determinism.sh does on the host, every experiment not
# marked "deterministic no" must observe the same every time and every
# claim not marked (varies) must hold on every run. One line per
# difference, "LABEL: STEM/EXP: run I of N: ..."; one line per chapter that
# held still, "LABEL: STEM: N runs, the same observations and every claim
# holds", on stdout; RUN/.runs goes once judged (it is not a result).
determinism() {
	local run=$1 stem i d o e racy c md bad kept=0
	[ -d "$run/.runs" ] || return 0
	for sd in "$run"/*/; do
		stem=$(basename "$sd")
		[ -d "$run/.runs/$stem" ] || continue
		md=${CHAPTER_DIR:-chapters}/$stem.md
		racy=$(awk '/^experiment /{e=$2} /^deterministic no$/{print e}' "$BUILD/tangle/$stem/experiments" 2>/dev/null)
		bad=0
		for i in $(seq 2 "$RUNS"); do
			d=$run/.runs/$stem/$i
			if [ -s "$d/errors.txt" ] && ! ls "$d"/*/meta >/dev/null 2>&1; then
				echo "$L: $stem: run $i of $RUNS: the harness failed: $(grep -m 1 . "$d/errors.txt")"; bad=1; continue
			fi
			for o in "$run/$stem"/*/observations.txt; do
				[ -f "$o" ] || continue
				e=$(basename "$(dirname "$o")")
				printf '%s\n' $racy | grep -qx "$e" && continue
				if [ ! -f "$d/$e/observations.txt" ]; then
					echo "$L: $stem/$e: run $i of $RUNS: no observations ($(sed -n '/^error /{s/^error //;p;q}' "$d/$e/meta" 2>/dev/null || echo 'it did not run'))"; bad=1
				elif ! cmp -s "$o" "$d/$e/observations.txt"; then
					echo "$L: $stem/$e: run $i of $RUNS observed otherwise: $(diff "$o" "$d/$e/observations.txt" | grep -m 4 '^[0-9<>]' | tr '\n' ' ' | sed 's/ *$//') (all in $D/determinism-runs/$stem/$i/$e)"; bad=1; kept=1
				fi
			done
			c=$BUILD/tangle/$stem/claims
			if [ -s "$c" ] && [ -x "$BUILD/bin/claims" ]; then
				"$BUILD/bin/claims" -c "$md" -o "$d" "$c" 2>/dev/null
				[ -f "$d/claims.txt" ] && awk -v P="$L: $stem" -v I="$i" -v N="$RUNS" '
					$1 == "claim" { line = $2; res = $3; ex = ""; text = ""; next }
					$1 == "experiment" { ex = $2; next }
					$1 == "text" { text = substr($0, 6); next }
					$1 == "end" && res != "confirmed" && res != "varies" {
						print P "/" ex ": run " I " of " N ": claim at line " line " " res ": " text; bad = 1
					}
					END { exit bad }' "$d/claims.txt" || { bad=1; kept=1; }
			fi
		done
		[ $bad -eq 0 ] && echo "$L: $stem: $RUNS runs, the same observations and every claim holds"
	done
	# The runs that differed are kept for a look, outside run/ (which holds
	# this kernel's results only).
	if [ "$kept" = 1 ]; then mv "$run/.runs" "$D/determinism-runs"; else rm -rf "$run/.runs"; fi
}

# check_config CONFIG: the options of code/kernels/features a kernel's
# .config lacks, as "config FEATURE CONFIG_X..." lines, before it boots.
check_config() {
	local feat cfg how needed o miss
	while IFS='|' read -r feat cfg how needed; do
		case $feat in '' | '#'*) continue ;; esac
		miss=
		for o in $cfg; do grep -Eq "^$o=(y|m)\$" "$1" || miss="$miss $o"; done
		[ -n "$miss" ] && echo "config $feat lacks$miss"
	done <"$HERE/features"
}

[ -x "$BUILD/bin/harness" ] || fail "'$BUILD/bin/harness' is missing: build the book first (make)"

if [ "$V" = host ]; then
	info=$D/info
	echo "compiler=$(${CC:-cc} --version 2>/dev/null | head -n 1)" >"$info"
	echo "kernel $(uname -r)" >>"$summary"
	echo "accel none" >>"$summary"
	RUNS=$RUNS JOBS=$GJOBS CHAPTERS=$CHAPTERS sh "$HERE/run-book.sh" "$BUILD" "$D/run.tmp" "$info" >"$D/run-book.log" 2>&1 ||
		fail "running the experiments failed (see $D/run-book.log)"
else
	command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 not found (Debian package qemu-system-x86)"
	K=$("$HERE/fetch.sh" "$V") || fail "cannot be fetched (the line above says why)"
	echo "kernel $(cat "$K/release")" >>"$summary"
	echo "package $(cat "$K/package")" >>"$summary"
	if [ -f "$K/config" ]; then
		check_config "$K/config" >"$D/config-check"
		sed "s|^|$progname: kernel '$L': |; s|\$| (its experiments that need it are skipped)|" "$D/config-check" >&2
		cat "$D/config-check" >>"$summary"
	fi
	BUILD=$BUILD "$HERE/mkinitramfs.sh" "$L" "$D/initramfs.cpio" || fail "cannot build its initramfs"
	accel=$(BUILD=$BUILD "$HERE/accel.sh" "$K/vmlinuz") || fail "no accelerator"
	echo "accel $accel" >>"$summary"
	echo "  BOOT    $L ($(cat "$K/release"), $accel)" >&2
	rm -f "$D/console.log" "$D/payload.b64"
	# What code/kernels/init reads from the command line: its watchdog's
	# limit (uptime), a little under ours, so that a hang is named and what
	# ran comes back; the runs, jobs and chapters for run-book.sh.
	if [ "$TIMEOUT" -ge 90 ]; then limit=$((TIMEOUT - 30)); else limit=$((TIMEOUT * 2 / 3)); fi
	book_args="tcpbook.limit=$limit tcpbook.runs=$RUNS tcpbook.jobs=$GJOBS tcpbook.start=$START"
	[ -n "$CHAPTERS" ] && book_args="$book_args tcpbook.chapters=$(echo $CHAPTERS | tr ' ' ,)"
	# ttyS0 is the console, ttyS1 brings the runs back (see code/kernels/init).
	# The guest needs no PCI device (both serial ports are ISA) and runs
	# nothing but the experiments: pci=off and mitigations=off make a
	# software-emulated boot and run about a second faster, and change
	# nothing TCP does. no_timer_check: on a loaded machine an emulated
	# guest can be too slow for the kernel's IO-APIC timer test, which then
	# panics ("IO-APIC + timer doesn't work", seen on 7.2 with four guests
	# at a load of 11). KERNELS_APPEND adds to the kernel's command line.
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel "$accel" -m "$MEM" -smp 1 \
		-nodefaults -display none -no-reboot \
		-kernel "$K/vmlinuz" -initrd "$D/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 quiet mitigations=off pci=off no_timer_check $book_args ${KERNELS_APPEND:-}" \
		-serial "file:$D/console.log" -serial "file:$D/payload.b64" \
		</dev/null >"$D/qemu.log" 2>&1
	rc=$?
	# Every failure is one line (issue 13): the console's last line and
	# where the rest is.
	last=$(tr -d '\r' <"$D/console.log" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -n 1)
	last=${last:-(none: the console is empty)}
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		# The guest's watchdog should have stopped the run first; if it
		# did not, the console's progress names the chapter.
		ch=$(tr -d '\r' <"$D/console.log" | sed -n 's/^tcpbook: chapter \([^ ]*\).*/\1/p' | tail -n 1)
		fail "${ch:+$ch: }the guest did not finish in ${TIMEOUT} s (KERNELS_TIMEOUT); last console line: $last (all in $D/console.log)"
	fi
	[ $rc -eq 0 ] || fail "qemu failed (exit status $rc): $(grep -m 1 . "$D/qemu.log") (all in $D/qemu.log)"
	grep -q '^tcpbook: booted' "$D/console.log" || fail "did not boot; last console line: $last (all in $D/console.log)"
	boot=$(sed -n 's/^tcpbook: booted .* in \([0-9.]*\) s.*/\1/p' "$D/console.log" | tr -d '\r')
	echo "boot $boot" >>"$summary"
	grep '^tcpbook: error' "$D/console.log" | tr -d '\r' | sed 's/^tcpbook: /guest /' >>"$summary"
	grep -q '^tcpbook-payload-end' "$D/payload.b64" ||
		fail "the guest sent back no complete result; last console line: $last (all in $D/console.log)"
	mkdir -p "$D/run.tmp.x"
	sed -n '/^tcpbook-payload-begin/,/^tcpbook-payload-end/p' "$D/payload.b64" | sed '1d;$d' | tr -d '\r' |
		base64 -d | tar xzmf - -C "$D/run.tmp.x" || fail "the guest's result is damaged ($D/payload.b64)"
	mv "$D/run.tmp.x/run" "$D/run.tmp" && mv "$D/run.tmp.x/run-book.log" "$D/run-book.log"
	rm -rf "$D/run.tmp.x"
	draw_ladders "$D/run.tmp"
fi

judge_claims "$D/run.tmp"
mv "$D/run.tmp" "$D/run"
report "$D/run" >"$D/failures"
if [ "$RUNS" -gt 1 ]; then
	determinism "$D/run" >"$D/determinism"
	grep -v ' runs, the same observations and every claim holds$' "$D/determinism" >>"$D/failures"
fi
bad=$(awk '$2 != 0 { printf "%s%s", sep, $1; sep = ", " }' "$D/run/status")
[ -f "$D/run/watchdog" ] && bad="${bad:+$bad, }$(sed -n 's/^running //p' "$D/run/watchdog" | tr '\n' ' ')(stopped by the watchdog)"
nskip=$(grep -l '^status skipped' "$D"/run/*/*/meta 2>/dev/null | wc -l)
nclaims=$(grep -v ': run [0-9]* of ' "$D/failures" | grep -c ': claim at line ')
ndet=$(grep -c ': run [0-9]* of ' "$D/failures")
[ "$ndet" -gt 0 ] && bad="${bad:+$bad, }the determinism check ($ndet differences over $RUNS runs)"
{
	[ "$nskip" -gt 0 ] && echo "skipped $nskip experiments: the kernel lacks what they need (run/features)"
	sed 's/^[^:]*: /failure /' "$D/failures"
	[ "$nclaims" -gt 0 ] && echo "claims $nclaims do not hold on this kernel"
	[ -f "$D/determinism" ] && sed 's/^[^:]*: /determinism /' "$D/determinism"
	if [ -n "$bad" ]; then echo "status failed"; echo "error experiments failed in: $bad"; else echo "status ok"; fi
	echo "seconds $(elapsed)"
} >>"$summary"
mv "$summary" "$D/summary"
cat "$D/failures" >&2
[ -f "$D/determinism" ] && grep ' runs, the same observations and every claim holds$' "$D/determinism" >&2
if [ -n "$bad" ]; then
	echo "$progname: kernel '$V': experiments failed in $bad (the lines above say why; $D/run/STEM/errors.txt)" >&2
	exit 1
fi
n=$(ls -d "$D"/run/*/*/ 2>/dev/null | wc -l)
[ "$nskip" -gt 0 ] && echo "$progname: kernel '$L': $nskip of the $n experiments skipped: $(grep ' missing ' "$D/run/features" | cut -d' ' -f1 | tr '\n' ' ')missing (see $D/summary)" >&2
[ "$nclaims" -gt 0 ] && echo "$progname: kernel '$L': $nclaims claims do not hold on this kernel (the lines above; the chapters' pages after make matrix)" >&2
echo "  KERNEL  $L ($(sed -n 's/^kernel //p' "$D/summary")): $n experiments in $(sed -n 's/^seconds //p' "$D/summary") s: $D/run/" >&2
exit 0
