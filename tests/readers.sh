#!/usr/bin/env bash
# tests/readers.sh: the readers' dump modes, through which the tests and
# scripts read the files one stage hands the next (code/FORMATS.md), so that
# no test parses those files itself with awk or grep:
#   harness -l EXPERIMENTS     the experiments, deterministic or not, with a wire or not
#   claims -l CLAIMS.TXT       every claim of a claims.txt, one a line
#   claims -s SECTION EXPDIR   one section of a run's observations (or states)
#
# The table (tests/TESTLIST, suite readers): OPTIONS is the program and its
# options, INPUT the file or directory it reads last; EXPECTED its standard
# output, then "--- stderr" and its standard error, then "--- exit N" when
# N is not 0.
. "$(dirname "$0")/lib.sh"

# got NAME INPUT EXPECTED PROGRAM OPTIONS...: one case of the table.
got() {
	local name=$1 input=$2 expected=$3 prog=$4
	shift 4
	if [ ! -x "$BIN/$prog" ]; then fail "readers $name" "$BIN/$prog missing: run make tools"; return; fi
	golden_run "readers $name" "$expected" "$BIN/$prog" "$@" "$input"
}
run_table readers got
