# tests/claims.sh: the claims checker on fixed cases, then every claim of the
# book as this build observed it. A claim that does not hold fails the
# tests unless the chapter marked it "(varies)".
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

# --- the checker on fixed observations (tests/claims/run) -------------------
d=$(scratch)
cp -r tests/claims/run/. "$d"
"$BIN/claims" -c chapters/x.md -o "$d" tests/claims/cases.claims 2>"$d/err"; rc=$?
if [ $rc -eq 1 ]; then pass "claims: malformed claims make the exit status 1"
else fail "claims: malformed claims make the exit status 1" "rc=$rc"; fi
expect_same "claims: results of the fixed cases" tests/claims/expected.txt "$d/claims.txt"
expect_same "claims: messages name the chapter line" tests/claims/expected.err "$d/err"

# --- every claim of this build ---------------------------------------------------
n=0
for f in "$BUILD"/run/*/claims.txt; do
	[ -f "$f" ] || continue
	stem=$(basename "$(dirname "$f")")
	awk -v stem="$stem" '
		/^claim / { line = $2; result = $3; text = ""; obs = "" }
		/^text /  { text = substr($0, 6) }
		/^observed / { if (length(obs) < 1500) obs = obs "\\n     " substr($0, 10) }
		/^reason / { obs = obs "\\n     " substr($0, 8) }
		/^end$/   { printf "%s\t%s:%s %s\t%s\n", result, stem, line, text, obs }
	' "$f" >"$d/list"
	while IFS=$'\t' read -r result name detail; do
		n=$((n + 1))
		case $result in
		confirmed) pass "claim $name" ;;
		varies) pass "claim $name (differs on this kernel, marked as varying)" ;;
		*) fail "claim $name: $result" "$(printf '%b' "$detail")" ;;
		esac
	done <"$d/list"
done
[ $n -gt 0 ] || printf 'note: no claims in this build\n'
