#!/usr/bin/env bash
# tests/tangle/regen.sh [NAME...]: regenerates the expectations of the tangle
# golden cases (tests/tangle/NAME.err, NAME.status and, when tangle succeeds,
# the tree NAME.out/) from the current build/bin/tangle. Run it deliberately,
# then read `git diff tests/tangle` before keeping the result.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
cd "$TOP"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in tests/tangle/*.md; do names+=("$(basename "$f" .md)"); done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in "${names[@]}"; do
	st=0
	"$BIN/tangle" -o "$tmp/$n" "tests/tangle/$n.md" 2>"tests/tangle/$n.err" || st=$?
	echo "$st" >"tests/tangle/$n.status"
	rm -rf "tests/tangle/$n.out"
	if [ -d "$tmp/$n" ]; then cp -R "$tmp/$n" "tests/tangle/$n.out"; fi
	printf '%-22s exit %s\n' "$n" "$st"
done
