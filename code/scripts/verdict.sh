#!/bin/sh
# code/scripts/verdict.sh CHAPTER_DIR STEM...: the build's verdict, printed
# after everything else. Names every chapter file that is no chapter
# (code/scripts/chapters.sh --bad), and every step of the chapters STEM that
# did not complete, with its reason: the first line of
# BUILD/errors/STEM/STEP (see code/scripts/step.sh), or "did not complete"
# for a step with neither a stamp nor a record (the build was stopped);
# then every claim that does not hold (claims -r: CHAPTER:LINE: RESULT:
# SENTENCE), and with ALL_CLAIMS=1 (make chapter) every claim's verdict.
# Exit status 1 if anything is named. Experiments skipped because the
# kernel lacks what they need are said in one line per missing feature,
# which is no failure.
# A POSIX sh script that starts one claims process for the whole book: it
# runs after every make, a no-op one too, and must cost little.
set -u
B=${BUILD:-build}
nl='
'
dir=$1; shift
out=$(code/scripts/chapters.sh --bad "$dir")
pairs=0
for stem in "$@"; do
	seen=0
	for step in tangle cc run draw claims; do
		[ -f "$B/stamp/$stem/$step" ] && continue
		if [ -f "$B/errors/$stem/$step" ]; then
			IFS= read -r first <"$B/errors/$stem/$step" || :
			out="$out$nl$dir/$stem.md: $first (see $B/html/$stem.html)"
			seen=1
		elif [ $seen -eq 0 ]; then
			# no stamp and no record: the build was stopped (a step with
			# nothing to work on after a failed one has none either)
			out="$out$nl$dir/$stem.md: $step: did not complete"
			seen=1
		fi
	done
	# the chapters whose claims were checked, for one claims -r below
	if [ -f "$B/stamp/$stem/claims" ] && [ -f "$B/run/$stem/claims.txt" ]; then
		[ $pairs -eq 0 ] && set --
		set -- "$@" "$dir/$stem.md" "$B/run/$stem"
		pairs=1
	fi
done
# every claim that does not hold, by chapter and line (claims -r); with
# ALL_CLAIMS set (make chapter), every claim's verdict first
if [ $pairs -eq 1 ]; then
	[ -n "${ALL_CLAIMS:-}" ] && "$B/bin/claims" -r -a "$@" | grep -v '^    '
	failed=$("$B/bin/claims" -r "$@")
	[ -n "$failed" ] && out="$out$nl$failed"
fi
out=${out#"$nl"}
# Experiments skipped because the kernel lacks a feature they need
# (code/kernels/skip-experiments.sh wrote "skipped needs ..." in their
# meta): one line per missing feature, which is no failure; their pages
# and claims say "skipped", never confirmed. One grep for the book.
grep -H '^skipped needs ' "$B"/run/*/*/meta 2>/dev/null | awk '
	{ f = $0; sub(/^[^:]*:skipped needs /, "", f); p = $0; sub(/:skipped needs .*/, "", p)
	  n = split(p, a, "/"); stem = a[n - 2]
	  c[f]++; if (!seen[f SUBSEP stem]++) ch[f] = ch[f] (ch[f] == "" ? "" : ", ") stem }
	END { for (f in c) printf "skipped: %d experiment%s of %s: this kernel lacks %s (their pages say so)\n", c[f], c[f] == 1 ? "" : "s", ch[f], f }' >&2
[ -z "$out" ] && exit 0
echo "these chapters failed (their pages show why):" >&2
printf '%s\n' "$out" | sed 's/^/  /' >&2
exit 1
