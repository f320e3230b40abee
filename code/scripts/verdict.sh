#!/usr/bin/env bash
# code/scripts/verdict.sh CHAPTER_DIR STEM...: the build's verdict, printed
# after everything else. Names every chapter file that is no chapter
# (code/scripts/chapters.sh --bad), and every step of the chapters STEM that
# did not complete, with its reason: the first line of
# BUILD/errors/STEM/STEP (see code/scripts/step.sh), or "did not complete"
# for a step with neither a stamp nor a record (the build was stopped);
# then every claim that does not hold (claims -r: CHAPTER:LINE: RESULT:
# SENTENCE), and with ALL_CLAIMS=1 (make chapter) every claim's verdict.
# Exit status 1 if anything is named.
set -u
B=${BUILD:-build}
dir=$1; shift
out=$(code/scripts/chapters.sh --bad "$dir")
for stem in "$@"; do
	seen=0
	for step in tangle cc run draw claims; do
		[ -f "$B/stamp/$stem/$step" ] && continue
		if [ -f "$B/errors/$stem/$step" ]; then
			out+=$'\n'"$dir/$stem.md: $(head -n 1 "$B/errors/$stem/$step") (see $B/html/$stem.html)"
			seen=1
		elif [ $seen -eq 0 ]; then
			# no stamp and no record: the build was stopped (a step with
			# nothing to work on after a failed one has none either)
			out+=$'\n'"$dir/$stem.md: $step: did not complete"
			seen=1
		fi
	done
	# every claim that does not hold, by chapter and line (claims -r);
	# with ALL_CLAIMS set (make chapter), every claim's verdict first
	if [ -f "$B/stamp/$stem/claims" ] && [ -f "$B/run/$stem/claims.txt" ]; then
		[ -n "${ALL_CLAIMS:-}" ] && "$B/bin/claims" -c "$dir/$stem.md" -o "$B/run/$stem" -r -a | grep -v '^    '
		failed=$("$B/bin/claims" -c "$dir/$stem.md" -o "$B/run/$stem" -r)
		[ -n "$failed" ] && out+=$'\n'"$failed"
	fi
done
out=${out#$'\n'}
[ -z "$out" ] && exit 0
echo "these chapters failed (their pages show why):" >&2
printf '%s\n' "$out" | sed 's/^/  /' >&2
exit 1
