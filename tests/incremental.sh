# tests/incremental.sh: what `make` redoes after each kind of edit, on a copy
# of two chapters built in a scratch directory. A prose edit re-weaves that
# chapter and runs no experiment; a code edit re-tangles, recompiles and
# re-runs that chapter only; a newer harness re-runs every chapter; nothing
# changed, nothing done. Judged from make's own lines (CC, RUN, WEAVE).
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
d=$(scratch)
C=$d/chapters
B=$d/build
mkdir -p "$C"
cp chapters/01-handshake.md chapters/02-server-close.md "$C/"
mk() { make --no-print-directory BUILD="$B" CHAPTER_DIR="$C" html 2>&1; }
lines() { printf '%s\n' "$1" | grep -E "^  $2 " | sed "s|$C/||" | awk '{ print $2 }' | sort | tr '\n' ' '; }

out=$(mk)
if [ "$(lines "$out" RUN)" = "01-handshake.md 02-server-close.md " ]; then pass "incremental: a clean build runs both chapters"
else fail "incremental: a clean build runs both chapters" "$out"; fi

out=$(mk)
if ! printf '%s\n' "$out" | grep -qE '^  (CC|LD|RUN|WEAVE|INDEX|SINGLE|CLAIMS) '; then pass "incremental: nothing changed, nothing done"
else fail "incremental: nothing changed, nothing done" "$out"; fi

# prose: a sentence added after the title
sed -i '0,/^$/s//\nA sentence added by the test.\n/' "$C/02-server-close.md"
out=$(mk)
# (its programs are recompiled, since every #line below the edit moved, but
# they are the same programs and nothing runs)
if [ -z "$(lines "$out" RUN)" ] && ! printf '%s\n' "$out" | grep -q "^  CC .*tangle/01-handshake/" &&
   [ "$(lines "$out" WEAVE)" = "02-server-close.md " ] && grep -q 'A sentence added by the test' "$B/html/02-server-close.html"; then
	pass "incremental: a prose edit re-weaves that chapter and runs nothing"
else fail "incremental: a prose edit re-weaves that chapter and runs nothing" "$out"; fi

# code: a comment inside the first program block of chapter 1
awk '!done && /^```c file=/ { print; print "/* edited by the test */"; done = 1; next } { print }' \
	"$C/01-handshake.md" >"$d/x.md" && mv "$d/x.md" "$C/01-handshake.md"
out=$(mk)
if [ "$(lines "$out" RUN)" = "01-handshake.md " ] && printf '%s\n' "$out" | grep -q "^  CC .*tangle/01-handshake/" &&
   ! printf '%s\n' "$out" | grep -q "^  CC .*tangle/02-server-close/"; then
	pass "incremental: a code edit re-tangles, recompiles and re-runs that chapter only"
else fail "incremental: a code edit re-tangles, recompiles and re-runs that chapter only" "$out"; fi

# the harness: a different binary re-runs every chapter (bytes appended to
# an ELF file leave it runnable; an identical rebuild would rightly re-run
# nothing)
printf 'changed' >>"$B/bin/harness"
out=$(mk)
if [ "$(lines "$out" RUN)" = "01-handshake.md 02-server-close.md " ]; then pass "incremental: a changed harness re-runs every chapter"
else fail "incremental: a changed harness re-runs every chapter" "$out"; fi
