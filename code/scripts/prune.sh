#!/usr/bin/env bash
# code/scripts/prune.sh BUILD STEM...: removes what the build made for any
# chapter not among STEM (a chapter deleted or renamed): its directories
# under BUILD/tangle, prog, run, stamp and errors. The pages and the files
# the site linked are weave --site's to remove. Called by the Makefile when
# the list of chapters changes.
set -u
B=$1; shift
declare -A keep=()
for s in "$@"; do keep[$s]=1; done
for top in tangle prog run stamp errors; do
	for d in "$B/$top"/*/ "$B/$top"/.*.new/; do
		[ -d "$d" ] || continue
		name=${d%/}; name=${name##*/}
		case $name in .*.new) name=${name#.}; name=${name%.new} ;; esac
		[ -n "${keep[$name]:-}" ] || rm -rf -- "${d%/}"
	done
done
exit 0
