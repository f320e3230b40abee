#!/usr/bin/env bash
# code/scripts/check-errors.sh STEM...: the build's verdict. Lists every chapter whose
# build/run/STEM/errors.txt is not empty and exits 1 if there is one.
BUILD=${BUILD:-build}
bad=0
for stem in "$@"; do
	f=$BUILD/run/$stem/errors.txt
	if [ -s "$f" ]; then
		[ $bad -eq 0 ] && echo "these chapters failed (their pages show why):" >&2
		echo "  chapters/$stem.md (see $BUILD/html/$stem.html)" >&2
		bad=1
	fi
done
exit $bad
