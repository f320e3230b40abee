#!/usr/bin/env bash
# tests/weave/regen.sh: regenerates tests/weave/NAME.html, the golden pages
# woven from tests/weave/NAME.md with the fake run directory
# tests/weave/run/NAME, from the current build/bin/weave. Run it
# deliberately and read the diff before keeping it.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
cd "$TOP/tests/weave"
for md in *.md; do
	n=${md%.md}
	"$BIN/weave" --run "run/$n" --tangled "../tangle/$n" --prev 00-prev.html \
		--prev-title 'Previous <chapter>' -o "$n.html.tmp" "$md"
	# The style sheet is tangle/weave/book.css's; tests/weave.sh leaves it out
	# of the comparison, so the golden page does not keep a copy.
	sed '/^<style>$/,/^<\/style>$/d' "$n.html.tmp" >"$n.html"
	rm -f "$n.html.tmp"
	echo "$n.html"
done
