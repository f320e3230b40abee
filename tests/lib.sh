# tests/lib.sh: what every test suite sources. A suite is a bash script
# tests/NAME.sh; it reports each case with pass/fail (or skip), and tests/run
# counts. RESULTS is the file the runner collects; TOP the repository root.
#
#   pass NAME                 the case held
#   fail NAME [DETAIL]        it did not; DETAIL (a diff, a message) is shown
#   skip NAME REASON [COUNT]  it could not run here; counted as neither
#   expect_same NAME WANT GOT pass when the files are equal, else a diff
#   scratch                   a fresh directory, removed when the suite ends
#   run_table SUITE FUNCTION  the suite's golden cases from tests/TESTLIST
#   golden NAME WANT GOT      compare GOT with the expectation WANT, or, under
#                             tests/regen, make GOT the new expectation
#
# A suite that reports nothing at all (no pass, no fail, no skip) fails:
# when it ends, lib.sh adds "FAIL SUITE: ran no case". A suite that could
# only skip (the fuzz suite without clang) says so and passes nothing.
# This check and the removal of the scratch directory are lib.sh's EXIT
# trap, _suite_end; a suite that sets a trap of its own calls _suite_end
# last in it, with $? still the suite's status (tests/attack.sh does).
#
# The table runner. tests/TESTLIST holds golden cases, one a line, as
# tcpdump's tests/TESTLIST does:
#
#   SUITE  NAME  INPUT  EXPECTED  [OPTIONS...]
#
# INPUT and EXPECTED are paths below tests/; OPTIONS are quoted as in the
# shell (xargs rules: '...', "...", backslash; nothing is expanded). A suite
# adopts the table by defining a function and calling
#
#   run_table SUITE FUNCTION
#
# which calls "FUNCTION NAME INPUT EXPECTED OPTIONS..." for each of SUITE's
# lines, from $TOP (run_table cd's there), with INPUT and EXPECTED as
# tests/INPUT and tests/EXPECTED (relative, so that the file names a tool
# prints in its output stay the same on every machine), and fails the suite
# when it has no line. FUNCTION runs the tool, writes what it got to a scratch file
# or directory, and hands it to `golden` (files) or `golden_tree`
# (directories), which compare it with EXPECTED. `tests/regen SUITE [NAME...]`
# runs the same functions with TEST_REGEN=1: `golden` then writes the
# expectation instead of comparing, and run_table ends the suite after the
# table (the suite's other cases are properties, not expectations).
# TEST_ONLY="NAME..." limits run_table to those cases.
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}"
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac	# suites cd elsewhere
export BUILD
: "${RESULTS:=/dev/null}"
BIN=$BUILD/bin

pass() { printf 'ok   %s\n' "$1"; echo pass >>"$RESULTS"; _counted; }
fail() { printf 'FAIL %s\n' "$1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /' | head -40; echo fail >>"$RESULTS"; _counted; }
# skip NAME REASON [COUNT]: the case (or COUNT cases, reported on one line)
# cannot run on this machine: a missing tool, another version of an oracle.
# tests/run counts skips apart; a skip is neither a pass nor a case run.
skip() {
	local i
	printf 'skip %s: %s\n' "$1" "${2:-}"
	for ((i = 0; i < ${3:-1}; i++)); do echo skip >>"$RESULTS"; done
	printf . >>"$_SKIPS"
}

# expect_same NAME EXPECTED_FILE ACTUAL_FILE: pass when the files are equal,
# fail with a diff otherwise.
expect_same() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff -u "$2" "$3" | head -40)"; fi
}

# One temporary directory per suite, removed when the suite exits. The trap
# is set here, in the suite's own shell: set inside $(...) it would fire as
# soon as the command substitution ended.
SCRATCH_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-test.XXXXXX") || exit 1
chmod 755 "$SCRATCH_ROOT"
SUITE_NAME=$(basename "$0" .sh)
# The cases reported so far, one byte each, in a file (pass and fail may run
# in a subshell, e.g. at the end of a pipeline).
_CASES=$SCRATCH_ROOT/.cases _SKIPS=$SCRATCH_ROOT/.skips
: >"$_CASES"
: >"$_SKIPS"
_counted() { printf . >>"$_CASES"; }
_suite_end() {
	local rc=$?
	if [ ! -s "$_CASES" ] && [ ! -s "$_SKIPS" ] && [ "${TEST_REGEN:-}" != 1 ]; then
		printf 'FAIL %s: ran no case\n' "$SUITE_NAME"; echo fail >>"$RESULTS"; rc=1
	fi
	rm -rf "$SCRATCH_ROOT"
	exit $rc
}
trap _suite_end EXIT

# scratch: prints the path of a fresh directory inside the suite's one.
scratch() { mktemp -d "$SCRATCH_ROOT/s.XXXXXX"; }

# host_root: true for the host's root, false for root of a user namespace
# (unshare --user --map-root-user, as an ordinary user runs the tests),
# which can neither mount nor become another user.
host_root() { [ "$(id -u)" -eq 0 ] && grep -qE '^ +0 +0 +4294967295$' /proc/self/uid_map; }

# ---- the table runner (see the header) ----------------------------------------
TESTLIST=${TESTLIST:-$TOP/tests/TESTLIST}

# run_table SUITE FUNCTION: runs SUITE's lines of $TESTLIST through FUNCTION.
run_table() {
	local suite=$1 fn=$2 line n=0 lineno=0 s name input expected rest
	local -a opts
	cd "$TOP" || { fail "$suite: table" "cannot cd to '$TOP'"; return 1; }
	if [ ! -r "$TESTLIST" ]; then fail "$suite: table" "cannot read '$TESTLIST'"; return 1; fi
	while IFS= read -r -u 3 line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case $line in '' | '#'*) continue ;; esac
		read -r s name input expected rest <<<"$line"
		[ "$s" = "$suite" ] || continue
		if [ -z "$expected" ]; then
			fail "$suite: table" "$TESTLIST:$lineno: expected SUITE NAME INPUT EXPECTED [OPTIONS...]"
			continue
		fi
		if [ -n "${TEST_ONLY:-}" ] && ! printf ' %s ' "$TEST_ONLY" | grep -qF " $name "; then continue; fi
		opts=()
		if [ -n "$rest" ]; then
			if ! printf '%s\n' "$rest" | xargs printf '%s\0' >"$SCRATCH_ROOT/.opts" 2>/dev/null; then
				fail "$suite $name" "$TESTLIST:$lineno: bad quoting in the options: $rest"
				continue
			fi
			mapfile -d '' opts <"$SCRATCH_ROOT/.opts"
		fi
		n=$((n + 1))
		"$fn" "$name" "tests/$input" "tests/$expected" "${opts[@]}"
	done 3<"$TESTLIST"
	if [ $n -eq 0 ]; then
		fail "$suite: table" "no case of suite '$suite' in $TESTLIST${TEST_ONLY:+ named $TEST_ONLY}"
	fi
	if [ "${TEST_REGEN:-}" = 1 ]; then
		printf '%s: %d cases regenerated; read git diff tests/ before committing\n' "$suite" "$n"
		exit 0
	fi
}

# golden NAME EXPECTED GOT: compares the file GOT with EXPECTED; under
# tests/regen, copies GOT to EXPECTED when they differ (or EXPECTED is new).
golden() {
	if [ "${TEST_REGEN:-}" = 1 ]; then
		if ! cmp -s "$3" "$2"; then mkdir -p "$(dirname "$2")" && cp "$3" "$2" && printf 'wrote %s\n' "$2"; fi
		return
	fi
	if [ ! -e "$2" ]; then fail "$1" "no expectation $2: tests/regen makes it"; return; fi
	expect_same "$1" "$2" "$3"
}

# golden_run NAME EXPECTED COMMAND...: runs COMMAND and compares what it
# wrote (stdout, then "--- stderr" and stderr if any, then "--- exit N" if
# it failed) with EXPECTED through golden.
golden_run() {
	local name=$1 expected=$2 s rc
	shift 2
	s=$(scratch)
	"$@" >"$s/out" 2>"$s/err"
	rc=$?
	if [ -s "$s/err" ]; then printf -- '--- stderr\n' >>"$s/out"; cat "$s/err" >>"$s/out"; fi
	[ $rc -eq 0 ] || printf -- '--- exit %d\n' "$rc" >>"$s/out"
	golden "$name" "$expected" "$s/out"
}

# golden_tree NAME EXPECTED GOT: the same for directories. A GOT that does
# not exist expects EXPECTED not to exist either ("nothing written").
golden_tree() {
	local d
	if [ "${TEST_REGEN:-}" = 1 ]; then
		if [ -d "$3" ]; then
			if ! diff -r "$2" "$3" >/dev/null 2>&1; then
				rm -rf "$2" && cp -R "$3" "$2" && printf 'wrote %s/\n' "$2"
			fi
		elif [ -e "$2" ]; then rm -rf "$2" && printf 'removed %s/\n' "$2"; fi
		return
	fi
	if [ -d "$2" ]; then
		if [ ! -d "$3" ]; then fail "$1" "nothing was written; expected $2/"
		elif d=$(diff -r "$2" "$3" 2>&1); then pass "$1"
		else fail "$1" "$d"; fi
	elif [ -e "$3" ]; then
		fail "$1" "expected nothing written, got: $(cd "$3" && find . | head)"
	else
		pass "$1"
	fi
}

# ---- repeated runs of the book's experiments (tests/harness.sh, wire.sh) ------
#   repeated_runs DIR FROM TO JOBS STEM...
#       runs every experiment of each chapter again, run I (FROM to TO) into
#       DIR/STEM/I, JOBS runs at once. An experiment has namespaces of its
#       own and spends its time waiting (on the other program, a timer), so
#       runs side by side do not disturb each other; that they observe the
#       same all the same is what the runs check.
#   same_runs STEM DIR RUNS
#       the cases of one chapter's runs 1 to RUNS in DIR/STEM: each
#       experiment not marked "deterministic: no" observed the same in every
#       run, and gave the same rows to the call table (calls.txt, whose lines
#       are all the table reads); each that is, every claim of it not
#       marked (varies) held in every run. Removes DIR/STEM.
repeated_runs() {
	local dir=$1 from=$2 to=$3 jobs=$4 s i
	shift 4
	for s in "$@"; do
		mkdir -p "$dir/$s"
		for i in $(seq "$from" "$to"); do printf '%s %s\n' "$s" "$i"; done
	done | xargs -P "$jobs" -n 2 sh -c \
		'"$1" -p "$2/prog/$4" -o "$3/$4/$5" -c "chapters/$4.md" "$2/tangle/$4/experiments" 2>"$3/$4/$5.err"' \
		sh "$BIN/harness" "$BUILD" "$dir"
}

same_runs() {
	local stem=$1 d=$2/$1 runs=$3 x=$BUILD/tangle/$1/experiments
	local racy bad= callbad= racebad= compared=0 i o e n
	racy=$("$BIN/harness" -l "$x" | sed -n 's/^\([^ ]*\) deterministic no .*/\1/p')
	for i in $(seq "$runs"); do
		for o in "$d"/1/*/observations.txt; do
			e=$(basename "$(dirname "$o")")
			printf '%s\n' $racy | grep -qx "$e" && continue
			[ "$i" -eq 1 ] && continue
			compared=$((compared + 1))
			cmp -s "$o" "$d/$i/$e/observations.txt" ||
				bad="$bad run $i of $e: $(diff "$o" "$d/$i/$e/observations.txt" | head -5) $(head -c 300 "$d/$i.err")"
			cmp -s <(LC_ALL=C sort "$d/1/$e/calls.txt") <(LC_ALL=C sort "$d/$i/$e/calls.txt" 2>/dev/null) ||
				callbad="$callbad run $i of $e: $(diff <(LC_ALL=C sort "$d/1/$e/calls.txt") <(LC_ALL=C sort "$d/$i/$e/calls.txt" 2>/dev/null) | head -4)"
		done
		if [ -n "$racy" ] && [ -f "$BUILD/tangle/$stem/claims" ]; then
			"$BIN/claims" -c "chapters/$stem.md" -o "$d/$i" "$BUILD/tangle/$stem/claims" 2>/dev/null
			for e in $racy; do
				n=$("$BIN/claims" -l "$d/$i/claims.txt" | cut -f1,3 | grep -vE '^(confirmed|varies)'$'\t' | cut -f2 | grep -cxF -- "$e")
				[ "$n" -eq 0 ] || racebad="$racebad run $i of $e: $n claims not (varies) failed;"
			done
		fi
	done
	if [ $compared -gt 0 ]; then
		if [ -z "$bad" ]; then pass "determinism: $stem, $runs runs, identical observations"
		else fail "determinism: $stem, $runs runs, identical observations" "$bad"; fi
		if [ -z "$callbad" ]; then pass "call table: $stem, $runs runs, the same rows"
		else fail "call table: $stem, $runs runs, the same rows" "$callbad"; fi
	fi
	for e in $racy; do
		if [ -z "$racebad" ]; then pass "race: $stem/$e, $runs runs, every claim not marked (varies) holds"
		else fail "race: $stem/$e, $runs runs, every claim not marked (varies) holds" "$racebad"; fi
	done
	rm -rf "$d"
}
