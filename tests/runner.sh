#!/usr/bin/env bash
# tests/runner.sh: the test machinery itself (tests/lib.sh, tests/run,
# tests/regen), on made-up suites and tables in a scratch directory: a
# suite that reports nothing fails, a table with no line for its suite
# fails, bad quoting in a line fails, skips are counted apart, and regen
# writes an expectation that the next run then holds the tool to.
set -u
. "$(dirname "$0")/lib.sh"
S=$(scratch)
mkdir -p "$S/tests/data"
cp "$TOP/tests/lib.sh" "$TOP/tests/run" "$TOP/tests/regen" "$S/tests/"

# suite NAME BODY: a suite tests/NAME.sh of the scratch tree.
suite() { printf '. "$(dirname "$0")/lib.sh"\n%s\n' "$2" >"$S/tests/$1.sh"; }
# runs SUITE...: tests/run of the scratch tree; its output in $S/out.
runs() { local rc=0; env -u RESULTS BUILD="$S/build" bash "$S/tests/run" "$@" >"$S/out" 2>&1 || rc=$?; return $rc; }

suite empty 'echo nothing to do'
if ! runs empty && grep -qx 'FAIL empty: ran no case' "$S/out" && tail -n 1 "$S/out" | grep -qx '0 passed, 2 failed'; then
	pass "runner: a suite that reports no case fails"
else fail "runner: a suite that reports no case fails" "$(cat "$S/out")"; fi

suite piped 'echo x | while read -r l; do pass "in a pipeline"; done'
if runs piped && tail -n 1 "$S/out" | grep -qx '1 passed, 0 failed'; then
	pass "runner: a case reported from a subshell counts"
else fail "runner: a case reported from a subshell counts" "$(cat "$S/out")"; fi

suite skips 'skip "a case" "no such tool here" 3'
if ! runs skips && grep -qx 'skip a case: no such tool here' "$S/out" &&
   tail -n 1 "$S/out" | grep -qx '0 passed, 0 failed, 3 skipped'; then
	pass "runner: skips are counted apart, and skips alone pass nothing"
else fail "runner: skips are counted apart, and skips alone pass nothing" "$(cat "$S/out")"; fi

# A table: the "tool" is tr, upper-casing its input; the option is passed on.
printf 'hello\n' >"$S/tests/data/a.in"
cat >"$S/tests/TESTLIST" <<'T'
# comment
upper  a  data/a.in  data/a.out  'a-z' "A-Z"
T
suite upper 'up() { tr "$4" "$5" <"$2" >"$SCRATCH_ROOT/got"; golden "upper $1" "$3" "$SCRATCH_ROOT/got"; }
run_table upper up'
if ! runs upper && grep -q 'no expectation tests/data/a.out' "$S/out"; then
	pass "runner: a case without its expectation fails"
else fail "runner: a case without its expectation fails" "$(cat "$S/out")"; fi
if (cd "$S" && bash tests/regen upper >"$S/regen.out" 2>&1) && [ "$(cat "$S/tests/data/a.out")" = HELLO ] &&
   runs upper && tail -n 1 "$S/out" | grep -qx '1 passed, 0 failed'; then
	pass "runner: tests/regen writes the expectation, quoted options reach the case"
else fail "runner: tests/regen writes the expectation, quoted options reach the case" "$(cat "$S/regen.out" "$S/out")"; fi
echo WRONG >"$S/tests/data/a.out"
if ! runs upper && grep -qx 'FAIL upper a' "$S/out"; then
	pass "runner: an expectation that differs fails"
else fail "runner: an expectation that differs fails" "$(cat "$S/out")"; fi

printf 'upper  b  data/a.in  data/b.out  "A-Z\n' >>"$S/tests/TESTLIST"
if ! runs upper && grep -q 'bad quoting in the options' "$S/out"; then
	pass "runner: a line with bad quoting fails"
else fail "runner: a line with bad quoting fails" "$(cat "$S/out")"; fi

suite lower 'low() { pass "never"; }
run_table lower low'
if ! runs lower && grep -q "no case of suite 'lower'" "$S/out"; then
	pass "runner: a suite with no line in the table fails"
else fail "runner: a suite with no line in the table fails" "$(cat "$S/out")"; fi
exit 0
