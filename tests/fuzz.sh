#!/usr/bin/env bash
# tests/fuzz.sh: a short run of the libFuzzer target tests/fuzz/fuzz_chapter.c
# (the chapter model, tangle's expander, weave's page renderer, under ASan
# and UBSan), built by `make fuzz`. Where clang or its libFuzzer runtime is
# missing, the cases are reported as skipped.
#
# 1. Every seed runs clean: the chapters of tests/tangle, tests/weave and
#    chapters/, each run once through the target.
# 2. FUZZ_TIME seconds (default 5) of fuzzing from those seeds find nothing.
#    A crashing input is kept as $BUILD/fuzz/crash-* and named; rerun it
#    with `$BUILD/fuzz/fuzz_chapter FILE`.
# The highlighter is off (WEAVE_HIGHLIGHTER names no program): one process
# per input would make the run a fifth as long, and it is not our code.
set -u
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
S=$(scratch)
F=$BUILD/fuzz/fuzz_chapter
secs=${FUZZ_TIME:-5}
FUZZ_CC=${FUZZ_CC:-clang}

if ! command -v "$FUZZ_CC" >/dev/null; then
	skip "fuzz: the chapter target" "$FUZZ_CC is not installed (Debian: clang libclang-rt-14-dev)" 2
	exit 0
fi
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (void)d, (int)(n & 0); }\n' >"$S/probe.c"
if ! "$FUZZ_CC" -fsanitize=fuzzer -o "$S/probe" "$S/probe.c" 2>"$S/probe.err"; then
	skip "fuzz: the chapter target" "$FUZZ_CC cannot link a libFuzzer program (Debian: libclang-rt-14-dev): $(head -n 1 "$S/probe.err")" 2
	exit 0
fi

if ! ${MAKE:-make} --no-print-directory BUILD="$BUILD" FUZZ_CC="$FUZZ_CC" fuzz >"$S/make.out" 2>&1; then
	fail "fuzz: make fuzz builds the target" "$(tail -n 20 "$S/make.out")"
	exit 0
fi

mkdir -p "$S/seeds" "$S/corpus" "$S/art"
n=0
for f in tests/tangle/*.md tests/weave/*.md chapters/*.md; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	cp "$f" "$S/seeds/$n.md"
done
export WEAVE_HIGHLIGHTER=/nonexistent/highlighter
# The target is bounded per input (-timeout) and in all (-max_total_time,
# and timeout(1) above it in case the fuzzer itself hangs).
fuzz() {
	(cd "$S" && timeout -k 5 $((secs + 120)) "$F" -artifact_prefix="$S/art/" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 "$@") >"$S/log" 2>&1
}
report() { # report NAME STATUS
	local crash
	crash=$(find "$S/art" -type f | head -n 1)
	if [ "$2" -eq 0 ] && [ -z "$crash" ]; then pass "$1"; return; fi
	if [ -n "$crash" ]; then
		cp "$crash" "$BUILD/fuzz/" && crash=$BUILD/fuzz/$(basename "$crash")
	fi
	fail "$1" "exit $2${crash:+, input kept as $crash}
$(grep -E 'ERROR|SUMMARY|runtime error|^    #[0-9]' "$S/log" | head -n 25)"
}

st=0; fuzz -runs=0 "$S/seeds" || st=$?
report "fuzz: each of the $n seed chapters runs clean" $st

rm -rf "$S/art" && mkdir "$S/art"
st=0; fuzz -max_total_time="$secs" -max_len=8192 "$S/corpus" "$S/seeds" || st=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$S/log")
report "fuzz: ${secs} s of fuzzing (${runs:-?} inputs) find no crash, leak or undefined behaviour" $st
exit 0
