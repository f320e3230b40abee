#!/usr/bin/env bash
# code/scripts/build-chapter.sh CHAPTER.md: tangles one chapter, compiles its
# programs and runs its experiments when they changed. Whatever goes wrong
# is written to build/run/STEM/errors.txt for the chapter's page and for
# code/scripts/check-errors.sh; this script itself fails only on a broken setup,
# so that the other chapters go on building.
set -u
md=$1
stem=$(basename "$md" .md)
BUILD=${BUILD:-build}
BIN=$BUILD/bin
T=$BUILD/tangle/$stem
P=$BUILD/prog/$stem
R=$BUILD/run/$stem
MAKE=${MAKE:-make}
mkdir -p "$T" "$P" "$R"
errors=$(mktemp "$R/.errors.XXXXXX") || exit 1
trap 'rm -f "$errors" "$errors.log"' EXIT

# Replaces errors.txt only when its content changes.
finish() {
	if ! cmp -s "$errors" "$R/errors.txt" 2>/dev/null; then
		if [ -s "$errors" ]; then cp "$errors" "$R/errors.txt"; else rm -f "$R/errors.txt"; fi
	fi
	exit 0
}

# 1. tangle: on an error nothing can be compiled or run.
if ! "$BIN/tangle" -o "$T" "$md" 2>"$errors.log"; then
	cat "$errors.log" >&2
	cat "$errors.log" >>"$errors"
	finish
fi
cat "$errors.log" >&2

# 2. compile: every program, even after one failed (-k).
if ! $MAKE -s --no-print-directory -k -f code/scripts/programs.mk T="$T" P="$P" CC="${CC:-cc}"; then
	for e in "$P"/*.err; do [ -f "$e" ] && cat "$e" >>"$errors"; done
	[ -s "$errors" ] || echo "$md: error: compiling the chapter's programs failed" >>"$errors"
	finish
fi

# 3. run the experiments, unless nothing they depend on changed. What they
# depend on is fingerprinted: the tangled sources without their #line
# directives (a prose edit moves every line number below it, and must not
# re-run anything), the experiments, lab.h and the harness itself. The
# programs are still recompiled, so that warnings name the right lines.
stamp=$R/.ran
fingerprint=$( { for f in "$T"/*.c "$T"/*.h; do
		[ -f "$f" ] && { echo "== $(basename "$f")"; grep -v '^#line ' "$f"; }
	done
	grep -v '^line ' "$T/experiments"	# the block's chapter line moves too
	cat code/lab/lab.h "$BIN/harness"; } | sha256sum | cut -d' ' -f1)
rerun=1
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ] && rerun=0
if [ $rerun -eq 1 ]; then
	echo "  RUN     $md"
	rm -f "$stamp"
	cc_version=$(${CC:-cc} --version 2>/dev/null | head -n 1)
	if "$BIN/harness" -p "$P" -o "$R" -c "$md" -i "compiler=$cc_version" "$T/experiments" 2>"$errors.log"; then
		echo "$fingerprint" >"$stamp"
	else
		cat "$errors.log" >>"$errors"
	fi
	cat "$errors.log" >&2
	# A ladder diagram per experiment that ran.
	for d in "$R"/*/; do
		[ -f "$d/timeline.txt" ] || continue
		if ! { "$BIN/ladder" "$d/timeline.txt" >"$d/ladder.msc" &&
		       mscgen -T svg -o "$d/ladder.svg.tmp" "$d/ladder.msc" >/dev/null 2>"$errors.log" &&
		       mv "$d/ladder.svg.tmp" "$d/ladder.svg"; }; then
			echo "$md: warning: no ladder diagram for '$(basename "$d")': $(cat "$errors.log")" >&2
			rm -f "$d/ladder.svg.tmp" "$d/ladder.svg"
		fi
	done
fi

# 4. check the claims against the observations (cheap: on every build).
if [ -f "$T/claims" ] && ! "$BIN/claims" -c "$md" -o "$R" "$T/claims" 2>"$errors.log"; then
	cat "$errors.log" >>"$errors"
fi
[ -f "$errors.log" ] && cat "$errors.log" >&2
finish
