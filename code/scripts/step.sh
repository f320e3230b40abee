#!/usr/bin/env bash
# code/scripts/step.sh STEP STEM CHAPTER.md: one step of one chapter's
# pipeline, as the Makefile's rules call it (the rules say what each step
# depends on; this script does the step and keeps its record honest).
#
#   tangle  CHAPTER.md -> BUILD/tangle/STEM/ (the programs, experiments, claims)
#   cc      BUILD/tangle/STEM/*.c -> BUILD/prog/STEM/ (code/scripts/programs.mk)
#   run     the experiments -> BUILD/run/STEM/ (harness), unless nothing they
#           depend on changed since the last complete run
#   draw    BUILD/run/STEM/EXP/timeline.txt -> EXP/ladder.svg (ladder)
#   claims  BUILD/tangle/STEM/claims -> BUILD/run/STEM/claims.txt
#
# The record of a step, in BUILD/stamp/STEM/ and BUILD/errors/STEM/:
#   stamp/STEM/STEP    written last, only when the step finished and its
#                      outputs are complete; removed when the step starts.
#                      A step that was killed, ran out of space or failed in
#                      any way has none, so the next make redoes it.
#   errors/STEM/STEP   why the step failed: its first line "STEP: REASON"
#                      (killed by SIGKILL, No space left on device, the first
#                      error message...), then everything the step printed.
#                      Shown on the chapter's page; named by verdict.sh.
#   stamp/STEM/run.out touched whenever the run step put this build's results
#                      in BUILD/run/STEM (complete or not): what draw and
#                      claims depend on, so that a run skipped because
#                      nothing changed redoes neither.
#   stamp/STEM/run.fp  the fingerprint of the last complete run; it and the
#                      run's stamp are removed when a claim could not be
#                      judged because the machine did not keep the run's
#                      time, so that the next make runs it again.
#   stamp/STEM/STEP.files  the files the step made, one a line, written
#                      before its stamp: the Makefile redoes a step one of
#                      whose files is gone (deleted by hand), and the run
#                      step runs again when one of its results is gone.
#   stamp/STEM/.STEP.log  scratch: what the step's program printed, last time.
#
# A failed step exits 0: make goes on with the other chapters, and with this
# chapter's later steps, which find this step's stamp missing, remove what
# they made in earlier builds (a failed chapter shows only what this build
# produced) and record nothing. The build's verdict names every failure.
# Exit status 1 only when the record itself cannot be written; a signal to
# this script (SIGINT, SIGTERM, SIGHUP) removes what it had half made and
# ends it by the same signal. V=1 prints every command it runs.
#
# It runs five times per chapter, so on the way to success it starts no
# process but the step's own program: no mkdir, rm, cat or mv unless there is
# something to make, remove, show or rename (a clean build starts 80 steps).
set -u
shopt -s nullglob
step=$1 stem=$2 md=$3
B=${BUILD:-build}
BIN=$B/bin
T=$B/tangle/$stem
P=$B/prog/$stem
R=$B/run/$stem
S=$B/stamp/$stem
E=$B/errors/$stem
stamp=$S/$step
errf=$E/$step
{ [ -d "$S" ] && [ -d "$E" ]; } || mkdir -p "$S" "$E" || exit 1
# rmf FILE...: rm -f of those that exist (none: no process)
rmf() {
	local f l=()
	for f in "$@"; do [ -e "$f" ] || [ -L "$f" ] && l+=("$f"); done
	[ ${#l[@]} -eq 0 ] || rm -f -- "${l[@]}"
}
rmf "$stamp" "$E/.$step".* "$S/.$step".new || exit 1
# The log is truncated by each run of the step: no file to remove after.
log=$S/.$step.log

# The files a step makes, removed when it fails or cannot run.
outputs() {
	case $step in
	tangle) rm -rf "$T"; rmf "$S/tangle.files" ;;
	cc) rm -rf "$P"; rmf "$S/cc.files" ;;
	run) rm -rf "$R" "$B/run/.$stem.new"; rm -f "$S/run.out" "$S/run.fp" "$S/run.files" ;;
	draw) rmf "$R"/*/ladder.msc "$R"/*/ladder.svg "$R"/*/ladder.*.tmp* "$S/draw.files" ;;
	claims) rmf "$R/claims.txt" "$R"/claims.txt.tmp* "$R"/.claims.txt.tmp* "$S/claims.files" ;;
	esac
}
partial() { # what a step interrupted now must not leave behind
	case $step in
	run) rm -rf "$B/run/.$stem.new" "$B/run/.$stem.experiments" ;;
	draw) rmf "$R"/*/ladder.*.tmp* ;;
	esac
}
on_signal() {
	partial
	rmf "$S/.$step".new
	trap - "$1"
	kill -s "$1" $$
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# x CMD...: runs CMD, shown first with V=1.
x() {
	[ "${V:-}" = 1 ] && printf '%s\n' "$*" >&2
	"$@"
}

# The steps before this one must have finished.
need() {
	for s in "$@"; do
		[ -f "$S/$s" ] && continue
		outputs
		rm -f "$errf"
		exit 0
	done
}

signame() { local n; n=$(kill -l "$1" 2>/dev/null) && echo "SIG$n"; }

# files DIR: every file under DIR, one a line, but those of later steps
files() {
	local f
	shopt -s globstar dotglob
	for f in "$1"/**; do
		[ -f "$f" ] || continue
		case ${f##*/} in ladder.svg | claims.txt) [ "$step" = run ] && continue ;; esac
		printf '%s\n' "$f"
	done
	shopt -u globstar dotglob
}

# all_there FILE: every file FILE names exists (FILE itself too)
all_there() {
	local f
	[ -f "$1" ] || return 1
	while IFS= read -r f; do [ -e "$f" ] || return 1; done <"$1"
}

# done_ok [FILE...]: the step finished, having made FILE...; errf goes, the
# list of the files is written, the stamp last (an empty file: created
# whole, no rename needed).
done_ok() {
	rmf "$errf"
	{ [ $# -eq 0 ] || printf '%s\n' "$@"; } >"$S/$step.files" || exit 1
	: >"$stamp" || exit 1
	exit 0
}

# failed RC: records why the step failed, from its exit status and log.
failed() {
	local rc=$1 reason sig=
	[ "$rc" -gt 128 ] && sig=$(signame $((rc - 128)))
	if [ -n "$sig" ]; then reason="killed by $sig"
	elif grep -q 'No space left on device' "$log" 2>/dev/null; then reason="No space left on device"
	else
		reason=$(grep -m 1 -E '(^|: )(fatal )?error: ' "$log" 2>/dev/null || true)
		[ -n "$reason" ] || reason=$(grep -m 1 . "$log" 2>/dev/null || true)
		[ -n "$reason" ] || reason="exit status $rc"
	fi
	case $step in run) partial ;; *) outputs ;; esac
	{ printf '%s: %s\n' "$step" "$reason"; cat "$log" 2>/dev/null; } >"$E/.$step.new" &&
		mv -f "$E/.$step.new" "$errf" || {
		rm -f "$E/.$step.new"
		echo "$md: $step: $reason (and the record of it could not be written)" >&2
		exit 1
	}
	exit 0
}

# run_logged CMD...: runs CMD with its standard error copied to the log.
run_logged() {
	local rc=0
	x "$@" 2>"$log" || rc=$?
	[ ! -s "$log" ] || cat "$log" >&2
	return $rc
}

case $step in
tangle)
	rmf "$T"/*.tmp??????
	rc=0; run_logged "$BIN/tangle" -o "$T" "$md" || rc=$?
	[ $rc -eq 0 ] && { mapfile -t made < <(files "$T"); done_ok "${made[@]}"; }
	failed $rc
	;;
cc)
	need tangle
	rc=0
	# its own make, not a share of the parent's jobs: the parent does not
	# know this script runs make, and would warn that no jobserver is there
	unset MAKEFLAGS MFLAGS
	# lab.h precompiled, when the Makefile could make it (not empty)
	pch=
	[ ! -s "$B/pch/lab.h.gch" ] || pch=$B/pch
	run_logged "${MAKE:-make}" -s --no-print-directory -k -f code/scripts/programs.mk \
		T="$T" P="$P" CC="${CC:-cc}" PROG_CFLAGS="$PROG_CFLAGS" FLAGS="$B/flags/prog" PCH="$pch" V="${V:-}" || rc=$?
	if [ $rc -ne 0 ]; then
		# the compilers' messages, without make's own lines
		grep -v -E '^make(\[[0-9]+\])?: ' "$log" >"$log.c" 2>/dev/null; mv -f "$log.c" "$log"
	fi
	[ $rc -eq 0 ] && done_ok "$P"/*
	failed $rc
	;;
run)
	need cc
	# What the run depends on is fingerprinted: the tangled sources without
	# their #line directives (a prose edit moves every line number below it
	# and must not re-run anything), the experiments without their chapter
	# lines, lab.h and the harness itself.
	# (grep names each source's file on its lines: one process for them all)
	# The host's feature check (code/kernels/host-features.sh; a rule of the
	# Makefile keeps its answer and passes its path as HOST_FEATURES,
	# made before this step): an experiment that
	# needs what the host lacks is skipped and marked
	# (code/kernels/skip-experiments.sh), the others run.
	features=${HOST_FEATURES:-}
	[ -n "$features" ] || features=$(BUILD=$B code/kernels/host-features.sh 2>/dev/null) || features=
	# (its "missing" lines read with builtins: no process per chapter)
	missing=
	if [ -n "$features" ] && [ -f "$features" ]; then
		while IFS= read -r hfl || [ -n "$hfl" ]; do
			case $hfl in *' missing '*) missing+=${missing:+$'\n'}$hfl ;; esac
		done <"$features"
	fi
	srcs=("$T"/*.c "$T"/*.h)
	fp=$( { [ ${#srcs[@]} -eq 0 ] || grep -H -v '^#line ' "${srcs[@]}"
		grep -v '^line ' "$T/experiments"
		cat code/lab/lab.h code/lab/labproto.h "$BIN/harness"
		# what the host lacks decides which experiments run
		[ -z "$missing" ] || printf '%s\n' "$missing"; } | sha256sum)
	fp=${fp%% *}
	old=
	[ -f "$S/run.fp" ] && IFS= read -r old <"$S/run.fp"
	# nothing changed, and every result of the last run is still there
	# (one deleted by hand is made again)
	if [ -d "$R" ] && [ -f "$S/run.out" ] && [ "$old" = "$fp" ] && all_there "$S/run.files"; then
		mapfile -t made <"$S/run.files"
		done_ok "${made[@]}"
	fi
	echo "  RUN     $md"
	rmf "$S/run.fp" "$S/run.out"
	new=$B/run/.$stem.new
	[ ! -e "$new" ] || rm -rf "$new"
	cc_version=$(${CC:-cc} --version 2>/dev/null)
	cc_version=${cc_version%%$'\n'*}
	rc=0
	if [ -n "$missing" ]; then
		xs=$B/run/.$stem.experiments
		mkdir -p "$B/run"
		if sh code/kernels/skip-experiments.sh "$features" "$T/experiments" "$new" >"$xs"; then
			run_logged "$BIN/harness" -p "$P" -o "$new" -c "$md" -i "compiler=$cc_version" "$xs" || rc=$?
		fi
		rm -f "$xs"
	else
		run_logged "$BIN/harness" -p "$P" -o "$new" -c "$md" -i "compiler=$cc_version" "$T/experiments" || rc=$?
	fi
	# This build's results replace the last ones, complete or not: a
	# failed chapter shows what this build produced, never an older run.
	# An experiment the harness did not finish (EXP.tmp) is no result.
	if [ -d "$new" ]; then
		unfinished=("$new"/*.tmp)
		[ ${#unfinished[@]} -eq 0 ] || rm -rf "${unfinished[@]}"
		{ [ ! -e "$R" ] || rm -rf "$R"; } && mv "$new" "$R" && : >"$S/run.out" || { rc=$?; [ $rc -gt 0 ] || rc=1; }
	else
		[ ! -e "$R" ] || rm -rf "$R"
	fi
	# run.fp written in place: one cut short by a kill never equals a
	# fingerprint, and the stamp comes after it
	if [ $rc -eq 0 ]; then
		printf '%s\n' "$fp" >"$S/run.fp" || rc=1
	fi
	[ $rc -eq 0 ] && { mapfile -t made < <(files "$R"); done_ok "${made[@]}"; }
	failed $rc
	;;
draw)
	[ -f "$S/run.out" ] || need run.out
	rc=0
	: >"$log"
	echo "  DRAW    $md"
	made=()
	for d in "$R"/*/; do
		[ -f "$d/timeline.txt" ] || continue
		d=${d%/}
		rmf "$d/ladder.msc"	# what the mscgen version left
		made+=("$d/ladder.svg")
		if ! x "$BIN/ladder" -o "$d/ladder.svg" "$d/timeline.txt" 2>>"$log"; then
			rc=$?
			[ $rc -gt 0 ] || rc=1
			echo "$md: error: no ladder diagram for experiment '${d##*/}'" >>"$log"
			break
		fi
	done
	[ ! -s "$log" ] || cat "$log" >&2
	[ $rc -eq 0 ] && done_ok "${made[@]}"
	failed $rc
	;;
claims)
	need tangle
	[ -f "$S/run.out" ] || need run.out
	if [ ! -f "$T/claims" ]; then
		rmf "$R/claims.txt"
		done_ok
	fi
	rc=0; run_logged "$BIN/claims" -c "$md" -o "$R" "$T/claims" || rc=$?
	[ $rc -eq 0 ] && [ ! -f "$R/claims.txt" ] && { echo "$md: error: claims: no claims.txt written" >"$log"; rc=1; }
	# A claim the checker could not judge because this machine did not
	# keep the experiment's time (a held packet let out late, a timer read
	# late: "claim not checked", code/check/claims.c) is a result this run
	# did not give: forget the run, so that the next make runs the
	# experiments again instead of showing the same gap. mapfile and case:
	# no process.
	if [ $rc -eq 0 ] && [ -s "$log" ]; then
		mapfile -t said <"$log"
		for line in "${said[@]}"; do
			case $line in *": warning: claim not checked: "*) rmf "$S/run" "$S/run.fp"; break ;; esac
		done
	fi
	[ $rc -eq 0 ] && done_ok "$R/claims.txt"
	failed $rc
	;;
*)
	echo "usage: step.sh tangle|cc|run|draw|claims STEM CHAPTER.md" >&2
	exit 2
	;;
esac
