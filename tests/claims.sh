# tests/claims.sh: the claims checker on fixed cases, then every claim of the
# book as this build observed it. A claim that does not hold fails the
# tests unless the chapter marked it "(varies)".
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

# --- the checker on fixed observations (tests/claims/run) -------------------
# cases.md goes through tangle as a chapter does; the checker evaluates what
# tangle wrote, and weave shows the same items in the same order.
d=$(scratch)
cp -r tests/claims/run/. "$d"
"$BIN/tangle" -o "$d/t" tests/claims/cases.md 2>"$d/tangle.err" || fail "claims: cases.md tangles" "$(cat "$d/tangle.err")"
"$BIN/claims" -c tests/claims/cases.md -o "$d" "$d/t/claims" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ]; then pass "claims: a check that cannot be evaluated makes the exit status 1"
else fail "claims: a check that cannot be evaluated makes the exit status 1" "rc=$rc"; fi
expect_same "claims: results of the fixed cases" tests/claims/expected.txt "$d/claims.txt"
expect_same "claims: messages name the chapter line" tests/claims/expected.err "$d/err"
n=$("$BIN/claims" -l "$d/claims.txt" | wc -l)
if [ "$n" -ge 20 ]; then pass "claims: $n fixed cases"; else fail "claims: fixed cases" "only $n"; fi

# the verdicts, as make chapter prints them
"$BIN/claims" -c tests/claims/cases.md -o "$d" -r >"$d/report" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^tests/claims/cases.md:34: differs: The FIN comes before the handshake (false).$' "$d/report" &&
   grep -q '^tests/claims/cases.md:97: unchecked: ' "$d/report" && ! grep -q ': confirmed: ' "$d/report"; then
	pass "claims -r: failed claims by chapter and line, exit 1"
else fail "claims -r: failed claims by chapter and line, exit 1" "rc=$rc $(cat "$d/report")"; fi
"$BIN/claims" -c tests/claims/cases.md -o "$d" -r -a >"$d/report" 2>&1
if [ "$(grep -c '^tests/claims/cases.md:[0-9]*: [a-z]*: ' "$d/report")" = "$n" ]; then
	pass "claims -r -a: every claim's verdict"
else fail "claims -r -a: every claim's verdict" "$(head "$d/report")"; fi
mkdir -p "$d/none"
if "$BIN/claims" -c x.md -o "$d/none" -r >"$d/report" 2>&1 && [ ! -s "$d/report" ]; then
	pass "claims -r: a chapter without claims has nothing to report"
else fail "claims -r: a chapter without claims has nothing to report" "$(cat "$d/report")"; fi

# weave shows the items the checker checked, in the same order
if "$BIN/weave" --run "$d" -o "$d/page.html" tests/claims/cases.md 2>"$d/weave.err"; then
	grep -o 'id="claim-[0-9]*"' "$d/page.html" | sed 's/[^0-9]//g' >"$d/woven"
	"$BIN/claims" -l "$d/claims.txt" | cut -f2 >"$d/checked"
	expect_same "claims: weave shows the checked items in the checker's order" "$d/checked" "$d/woven"
else fail "claims: weave shows the checked items in the checker's order" "$(cat "$d/weave.err")"; fi

# a file not written by tangle is refused, not half-read
printf 'claims close 10\n\t- The old format.\nend\n' >"$d/old"
"$BIN/claims" -c x.md -o "$d" "$d/old" 2>"$d/err"; rc=$?
if [ $rc -eq 2 ] && grep -q 'not a claims file written by tangle' "$d/err"; then
	pass "claims: a file tangle did not write is refused"
else fail "claims: a file tangle did not write is refused" "rc=$rc $(cat "$d/err")"; fi

# --- every claim of this build ---------------------------------------------------
n=0
for f in "$BUILD"/run/*/claims.txt; do
	[ -f "$f" ] || continue
	stem=$(basename "$(dirname "$f")")
	# (read through the checker's own reader: claims -l)
	"$BIN/claims" -l "$f" >"$d/list" || fail "claims: $f can be read" "$(cat "$d/list")"
	while IFS=$'\t' read -r result line exp text detail; do
		n=$((n + 1))
		name="$stem:$line $text"
		case $result in
		confirmed) pass "claim $name" ;;
		varies) pass "claim $name (differs on this kernel, marked as varying)" ;;
		*) fail "claim $name: $result" "$exp: ${detail:0:1500}" ;;
		esac
	done <"$d/list"
done
[ $n -gt 0 ] || printf 'note: no claims in this build\n'
