#!/usr/bin/env bash
# code/check/determinism.sh CHAPTER.md RUNS: runs one chapter's experiments
# RUNS times more and says whether they hold still: every experiment not
# marked "deterministic: no" must give the observations of the build's own
# run (BUILD/run/STEM) every time, and every claim not marked (varies) must
# hold on every run (time checks among them, which the observations do not
# cover). `make chapter CH=NN RUNS=20` runs it after the build; the tests
# run the same check on every chapter (tests/harness.sh).
#
# Prints one line per run that differed, naming the experiment and the
# first difference, or the claim and its verdict; exit status 1 if any did.
set -u
md=$1 runs=$2
stem=$(basename "$md" .md)
B=${BUILD:-build}
BIN=$B/bin
T=$B/tangle/$stem
case $runs in ''|*[!0-9]*) echo "RUNS must be a number, not '$runs'" >&2; exit 2 ;; esac
if [ ! -f "$T/experiments" ] || [ ! -d "$B/run/$stem" ]; then
	echo "$md: the chapter has not been built" >&2
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/determinism.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# the racy experiments, as the harness's own reader lists them
racy=$("$BIN/harness" -l "$T/experiments" | sed -n 's/^\([^ ]*\) deterministic no .*/\1/p')
bad=0
echo "  RUNS    $md: $runs runs"
for i in $(seq "$runs"); do
	d=$tmp/$i
	"$BIN/harness" -p "$B/prog/$stem" -o "$d" -c "$md" "$T/experiments" 2>"$tmp/err" ||
		{ echo "$md: run $i: the harness failed: $(head -n 3 "$tmp/err")"; bad=1; }
	for o in "$B/run/$stem"/*/observations.txt; do
		e=$(basename "$(dirname "$o")")
		printf '%s\n' $racy | grep -qx "$e" && continue
		if ! cmp -s "$o" "$d/$e/observations.txt"; then
			echo "$md: run $i: experiment '$e' observed otherwise:"
			diff "$o" "$d/$e/observations.txt" | head -n 6 | sed 's/^/    /'
			bad=1
		fi
	done
	if [ -s "$T/claims" ]; then
		"$BIN/claims" -c "$md" -o "$d" "$T/claims" 2>/dev/null
		"$BIN/claims" -c "$md" -o "$d" -r | sed "s/^/run $i: /"
		"$BIN/claims" -c "$md" -o "$d" -r >/dev/null || bad=1
	fi
	rm -rf "$d"
done
if [ $bad -eq 0 ]; then
	echo "$md: $runs runs, the same observations and every claim holds"
fi
exit $bad
