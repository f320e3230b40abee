# tests/lib.sh: what every test suite sources. A suite is a bash script
# tests/NAME.sh; it reports each case with pass/fail, and tests/run counts.
# RESULTS is the file the runner collects; TOP the repository root.
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}"
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac	# suites cd elsewhere
export BUILD
: "${RESULTS:=/dev/null}"
BIN=$BUILD/bin

pass() { printf 'ok   %s\n' "$1"; echo pass >>"$RESULTS"; }
fail() { printf 'FAIL %s\n' "$1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /' | head -40; echo fail >>"$RESULTS"; }

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
trap 'rm -rf "$SCRATCH_ROOT"' EXIT

# scratch: prints the path of a fresh directory inside the suite's one.
scratch() { mktemp -d "$SCRATCH_ROOT/s.XXXXXX"; }
