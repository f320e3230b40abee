# tests/lib.sh: what every test suite sources. A suite is a bash script
# tests/NAME.sh; it reports each case with pass/fail, and tests/run counts.
# RESULTS is the file the runner collects; TOP the repository root.
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}"
: "${RESULTS:=/dev/null}"
BIN=$BUILD/bin

pass() { printf 'ok   %s\n' "$1"; echo pass >>"$RESULTS"; }
fail() { printf 'FAIL %s\n' "$1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /' | head -40; echo fail >>"$RESULTS"; }

# expect_same NAME EXPECTED_FILE ACTUAL_FILE: pass when the files are equal,
# fail with a diff otherwise.
expect_same() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff -u "$2" "$3" | head -40)"; fi
}

# scratch: a fresh temporary directory removed when the suite exits.
scratch() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-test.XXXXXX") || exit 1
	_SCRATCH+=("$d")
	trap 'rm -rf "${_SCRATCH[@]}"' EXIT
	printf '%s\n' "$d"
}
