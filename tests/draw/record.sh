#!/usr/bin/env bash
# tests/draw/record.sh: records, deliberately, the timelines the ladder's
# golden cases draw. Runs tests/draw/multi.md through tangle, the compiler
# and the harness (as `make` would), and copies each experiment's
# timeline.txt to tests/draw/cases/NAME.timeline. Then run
# tests/draw/regen.sh to redraw the expectations, and read the diff.
# Needs the tools built (make tools) and what the harness needs (root, or
# unshare --user --map-root-user).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
BIN=$BUILD/bin
W=$(mktemp -d "${TMPDIR:-/tmp}/draw-record.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$TOP"
"$BIN/tangle" -o "$W/t" tests/draw/multi.md
make -s --no-print-directory -f code/scripts/programs.mk T="$W/t" P="$W/p"
"$BIN/harness" -p "$W/p" -o "$W/r" -c tests/draw/multi.md "$W/t/experiments"
for d in "$W"/r/*/; do
	name=$(basename "$d")
	cp "$d/timeline.txt" "tests/draw/cases/$name.timeline"
	echo "recorded tests/draw/cases/$name.timeline"
done
