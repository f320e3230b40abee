# tests/calls.sh: the rules of the book's closing table (chapter 90, "How
# the table is made") as golden cases: the chapter tests/calls/table.md is
# tangled, compiled and run once, and weave --site folds its calls into a
# table. Each case of tests/TESTLIST is one experiment's calls.txt (the
# lines sorted, as the tests and `make soak` compare them: two programs'
# calls interleave by timing), or the table. What each case pins down:
#   probes    keep-alive probes go by their send time (the server's poll()),
#             their answers with them; none with the client's connect()
#   dropped   an ACK the wire dropped is in no call of the side it never
#             reached
#   two       the state is that of the socket the call acts on ("-" for
#             socket()), not the list of the program's sockets; a printed
#             comparison "p.events == (...)" is named by its whole text in
#             the table, not cut at its "("
#   table     a SYN-only capture gives "not captured", not "none"; the
#             experiment declared deterministic: no gives no row
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
S=$(scratch)
chmod 755 "$S"
CH=tests/calls/table.md
B=$S/build

prepare() {
	mkdir -p "$B/run" "$B/tangle" "$B/html" || return 1
	"$BIN/tangle" -o "$B/tangle/table" "$CH" 2>"$S/tangle.err" ||
		{ fail "calls: tangle $CH" "$(cat "$S/tangle.err")"; return 1; }
	for c in "$B"/tangle/table/*.c; do
		cc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Icode/lab -o "${c%.c}" "$c" 2>"$S/cc.err" ||
			{ fail "calls: compile $c" "$(cat "$S/cc.err")"; return 1; }
	done
	chmod -R a+rX "$B/tangle"
	"$BIN/harness" -p "$B/tangle/table" -o "$B/run/table" -c "$CH" "$B/tangle/table/experiments" 2>"$S/err"
	local rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$S/err" ]; then pass "calls: the chapter runs cleanly"
	else fail "calls: the chapter runs cleanly" "rc=$rc $(cat "$S/err")"; return 1; fi
	(cd "$S" && "$BIN/weave" --site "$B" "$TOP/$CH") >/dev/null 2>"$S/weave.err" ||
		fail "calls: weave --site" "$(cat "$S/weave.err")"
}
prepare || exit 1

called() {
	local name=$1 want=$3 got=$S/$1.got
	if [ "$name" = table ]; then
		cp "$B/run/calls.tsv" "$got" 2>/dev/null || : >"$got"
	else
		LC_ALL=C sort "$B/run/table/$name/calls.txt" >"$got" 2>/dev/null || : >"$got"
	fi
	golden "calls: $name" "$want" "$got"
}
run_table calls called

# The racy experiment ran and wrote its calls; only the table leaves them out.
if grep -q '	getpeername(' "$B/run/table/racy/calls.txt" && ! grep -q '^getpeername' "$B/run/calls.tsv"; then
	pass "calls: a racy experiment's calls are recorded, and not in the table"
else fail "calls: a racy experiment's calls are recorded, and not in the table" "$(grep getpeername "$B/run/table/racy/calls.txt" "$B/run/calls.tsv")"; fi
exit 0
