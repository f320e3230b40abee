#!/usr/bin/env bash
# code/scripts/soak.sh [RUNS]: the determinism soak of `make soak` (not in
# CI: it takes about RUNS times a clean run of every experiment). Runs the
# whole book's experiments RUNS times (default 100) in a scratch build with
# this build's tools, and compares each run's observations, experiment by
# experiment, with the first run's; also the rows each experiment gives
# the call table (calls.txt) and the table (calls.tsv). Prints one line
# per run and a summary; exit status 1 if any run differed or failed.
# SOAK_LOAD=N keeps N busy loops running meanwhile (both cores busy: 2).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${BUILD:-build}
runs=${1:-${SOAK_RUNS:-100}}
MAKE=${MAKE:-make}
work=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-soak.XXXXXX") || exit 1
loads=()
cleanup() { for p in "${loads[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# The busy loops are not this shell's children (started from a subshell
# that exits at once): with them as its background jobs, bash 5.2 once
# waited for ever after a run's command substitution had ended (run 38 of
# a SOAK_LOAD=2 soak, in do_wait with no other child). Each loop ends
# within 10 hours whatever happens; cleanup kills them by pid.
for ((i = 0; i < ${SOAK_LOAD:-0}; i++)); do
	loads+=("$( ( end=$((SECONDS + 36000)); while [ $SECONDS -lt $end ]; do :; done ) >/dev/null 2>&1 </dev/null & echo $!)")
done
bad=0 ref=
for ((i = 1; i <= runs; i++)); do
	b=$work/b$i
	mkdir -p "$b"
	cp -a "$B/bin" "$B/obj" "$B/.deps" "$b/" 2>/dev/null
	if ! $MAKE --no-print-directory BUILD="$b" pages >"$work/make.log" 2>&1 ||
	   ! BUILD=$b code/scripts/verdict.sh chapters $(code/scripts/chapters.sh chapters) >>"$work/make.log" 2>&1; then
		echo "run $i: the build failed:"; tail -n 8 "$work/make.log"
		bad=$((bad + 1)); rm -rf "$b"; continue
	fi
	if [ -z "$ref" ]; then
		ref=$b
		# An experiment its chapter declares `deterministic: no` is
		# expected to differ (the tests skip it too); the harness's own
		# reader says which they are.
		racy=" "
		for x in "$ref"/tangle/*/experiments; do
			stem=${x%/experiments}; stem=${stem##*/}
			while read -r name _ det _; do
				[ "$det" = no ] && racy+="$stem/$name "
			done < <("$ref/bin/harness" -l "$x" 2>/dev/null)
		done
		echo "run $i: reference ($(ls "$b"/run/*/*/observations.txt | wc -l) experiments;${racy% } not compared, declared not deterministic)"
		continue
	fi
	differ=
	for f in "$ref"/run/*/*/observations.txt; do
		rel=${f#"$ref"/run/}
		case $racy in *" ${rel%/observations.txt} "*) continue ;; esac
		cmp -s "$f" "$b/run/$rel" || differ+=" ${rel%/observations.txt}"
	done
	# the rows each experiment gives the call table (all it reads of
	# calls.txt), and the table itself
	for f in "$ref"/run/*/*/calls.txt; do
		rel=${f#"$ref"/run/}
		case $racy in *" ${rel%/calls.txt} "*) continue ;; esac
		cmp -s <(LC_ALL=C sort "$f") <(LC_ALL=C sort "$b/run/$rel" 2>/dev/null) || differ+=" ${rel%/calls.txt}(calls)"
	done
	cmp -s "$ref/run/calls.tsv" "$b/run/calls.tsv" || differ+=" calls.tsv"
	if [ -n "$differ" ]; then
		echo "run $i: differs:$differ"
		for x in $differ; do
			case $x in
			*"(calls)") x=${x%"(calls)"}; diff <(LC_ALL=C sort "$ref/run/$x/calls.txt") <(LC_ALL=C sort "$b/run/$x/calls.txt" 2>/dev/null) | head -n 6 ;;
			calls.tsv) ;;
			*) [ -f "$b/run/$x/observations.txt" ] && diff "$ref/run/$x/observations.txt" "$b/run/$x/observations.txt" | head -n 6 ;;
			esac
		done
		bad=$((bad + 1))
	else
		echo "run $i: identical"
	fi
	rm -rf "$b"
done
echo "soak: $runs runs, $((runs - bad)) identical to the first, $bad differed or failed (load: ${SOAK_LOAD:-0} busy loops)"
[ $bad -eq 0 ]
