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
mk() { make --no-print-directory BUILD="$B" CHAPTER_DIR="$C" "$@" html 2>&1; }
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
   [ "$(printf '%s\n' "$out" | grep -E '^  WEAVE .*/html/[0-9]' | sed 's|.*/||')" = "02-server-close.html" ] &&
   grep -q 'A sentence added by the test' "$B/html/02-server-close.html"; then
	pass "incremental: a prose edit re-weaves that chapter and runs nothing"
else fail "incremental: a prose edit re-weaves that chapter and runs nothing" "$out"; fi

# code: a comment inside the first program block of chapter 1
awk '!done && /^```c file=/ { print; print "/* edited by the test */"; done = 1; next } { print }' \
	"$C/01-handshake.md" >"$d/x.md" && mv "$d/x.md" "$C/01-handshake.md"
out=$(mk V=1); vout=$out
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

# V=1 shows every command of the pipeline, down to a chapter program's cc
# (the output of the code edit above)
while IFS='|' read -r what re; do
	re=${re//@B/$B}; re=${re//@C/$C}
	if printf '%s\n' "$vout" | grep -qE -- "$re"; then pass "incremental: V=1 shows the $what command"
	else fail "incremental: V=1 shows the $what command" "$(printf '%s\n' "$vout" | head -n 30)"; fi
done <<'TABLE'
tangle|^@B/bin/tangle -o @B/tangle/01-handshake @C/01-handshake.md$
program cc|^cc .* -o @B/prog/01-handshake/[a-z]+\.tmp @B/tangle/01-handshake/[a-z]+\.c$
harness|^@B/bin/harness -p @B/prog/01-handshake -o
ladder|^@B/bin/ladder -o @B/run/01-handshake/handshake/ladder.svg @B/run/01-handshake/handshake/timeline.txt$
claims|^@B/bin/claims -c @C/01-handshake.md -o @B/run/01-handshake
weave|^@B/bin/weave
TABLE

# a new ladder redraws every diagram and runs nothing
printf 'changed' >>"$B/bin/ladder"
out=$(mk)
if [ "$(lines "$out" DRAW)" = "01-handshake.md 02-server-close.md " ] && [ -z "$(lines "$out" RUN)" ]; then
	pass "incremental: a changed ladder redraws every diagram and runs nothing"
else fail "incremental: a changed ladder redraws every diagram and runs nothing" "$out"; fi

# other flags for the chapters' programs recompile them all
out=$(mk PROG_CFLAGS="-std=gnu11 -O2 -g -Wall -Wextra -D_GNU_SOURCE")
if printf '%s\n' "$out" | grep -q "^  CC .*tangle/01-handshake/" && printf '%s\n' "$out" | grep -q "^  CC .*tangle/02-server-close/"; then
	pass "incremental: new PROG_CFLAGS recompile every program"
else fail "incremental: new PROG_CFLAGS recompile every program" "$out"; fi

# a deleted build file is made again
while IFS='|' read -r file want; do
	rm -f "$B/$file"
	out=$(mk)
	if [ -e "$B/$file" ] && printf '%s\n' "$out" | grep -qE -- "$want"; then pass "incremental: deleted $file is made again"
	else fail "incremental: deleted $file is made again" "$out"; fi
done <<'TABLE'
html/02-server-close.html|^  WEAVE .*/html/02-server-close.html
stamp/02-server-close/cc|
stamp/01-handshake/draw|^  DRAW .*01-handshake.md
TABLE

# A deleted output of a step is made again by that step of that chapter
# alone, and is what it was (a run's trace has new ports and sequence
# numbers, and which call a packet goes with may vary, so a re-run is
# judged by its observations). Judged with V=1 from
# the commands make runs.
# FILE (deleted);COMMAND THAT MUST RUN;COMMAND THAT MUST NOT;FILE THE SAME AS BEFORE
# (and no step of chapter 2 does anything: make shows none of them)
while IFS=';' read -r file want nowant same; do
	cp "$B/$same" "$d/before"
	rm -f "$B/$file"
	out=$(mk V=1)
	if [ -e "$B/$file" ] && printf '%s\n' "$out" | grep -qE -- "${want//@B/$B}" &&
	   ! printf '%s\n' "$out" | grep -qE -- "${nowant//@B/$B}" &&
	   ! printf '%s\n' "$out" | grep -qE -- "step\.sh [a-z]+ '02-server-close'" &&
	   cmp -s "$d/before" "$B/$same"; then
		pass "incremental: deleted $file is made again by its step alone, the same"
	else fail "incremental: deleted $file is made again by its step alone, the same" \
		"$(printf '%s\n' "$out" | grep -v '^  \(PDF\|WEAVE\)' | head -n 20; ls "$B/$file" 2>&1; diff "$d/before" "$B/$same" | head -n 5)"; fi
done <<'TABLE'
run/01-handshake/handshake/observations.txt;^@B/bin/harness -p @B/prog/01-handshake ;^@B/bin/tangle ;run/01-handshake/handshake/observations.txt
run/01-handshake/handshake/trace.txt;^@B/bin/harness -p @B/prog/01-handshake ;^@B/bin/tangle ;run/01-handshake/handshake/observations.txt
run/01-handshake/handshake/calls.txt;^@B/bin/harness -p @B/prog/01-handshake ;^@B/bin/tangle ;run/01-handshake/handshake/observations.txt
run/01-handshake/handshake/timeline.txt;^@B/bin/harness -p @B/prog/01-handshake ;^@B/bin/tangle ;run/01-handshake/handshake/observations.txt
run/01-handshake/handshake/ladder.svg;^@B/bin/ladder -o @B/run/01-handshake/handshake/ladder.svg ;^@B/bin/(harness|tangle) ;run/01-handshake/handshake/ladder.svg
run/01-handshake/claims.txt;^@B/bin/claims -c .*01-handshake.md -o @B/run/01-handshake @B/tangle;^@B/bin/(harness|tangle|ladder) ;run/01-handshake/claims.txt
tangle/01-handshake/server.c;^@B/bin/tangle -o @B/tangle/01-handshake ;^@B/bin/(harness|ladder) ;tangle/01-handshake/server.c
tangle/01-handshake/experiments;^@B/bin/tangle -o @B/tangle/01-handshake ;^@B/bin/(harness|ladder) ;tangle/01-handshake/experiments
prog/01-handshake/server;^cc .* -o @B/prog/01-handshake/server\.tmp ;^@B/bin/(harness|tangle|ladder) ;prog/01-handshake/server
TABLE

# --- a chapter that fails shows only what this build produced -----------------
# CASE|THE MISTAKE (sed on chapter 2)
while IFS='|' read -r name script; do
	cp "$C/02-server-close.md" "$d/good.md"
	sed -i "$script" "$C/02-server-close.md"
	out=$(mk); rc=$?
	p=$B/html/02-server-close.html
	if [ $rc -ne 0 ] && grep -q 'This chapter failed to build' "$p" && ! grep -q 'Flags \[S\.\]' "$p" &&
	   ! grep -q 'class="claim confirmed"' "$p" && [ ! -e "$B/run/02-server-close/claims.txt" ]; then
		pass "incremental: after a $name the page shows no result of an earlier build"
	else fail "incremental: after a $name the page shows no result of an earlier build" \
		"exit $rc; $(grep -c 'Flags \[S\.\]' "$p") trace lines, $(grep -c 'class="claim confirmed"' "$p") confirmed claims; $(ls "$B/run/02-server-close" 2>&1)"; fi
	cp "$d/good.md" "$C/02-server-close.md"
	out=$(mk); rc=$?
	if [ $rc -eq 0 ] && grep -q 'Flags \[S\.\]' "$p"; then pass "incremental: fixing the $name builds the chapter again"
	else fail "incremental: fixing the $name builds the chapter again" "$out"; fi
done <<'TABLE'
tangle error|s/^```c file=server.c$/```c file=server.c\n<<no such chunk>>/
compile error|s/SHOW(close(fd));/SHOW(close(fd, 1));/
TABLE

# --- make chapter in a build that has never woven a page ---------------------------
# (it ran weave without making it, so a fresh checkout's first `make chapter`
# failed with "bin/weave: not found")
rm -f "$B/bin/weave"
out=$(make --no-print-directory BUILD="$B" CHAPTER_DIR="$C" chapter CH=01 2>&1); rc=$?
if [ $rc -eq 0 ] && [ -x "$B/bin/weave" ] && printf '%s\n' "$out" | grep -qx "$B/html/01-handshake.html"; then
	pass "incremental: make chapter builds the weave it needs"
else fail "incremental: make chapter builds the weave it needs" "exit $rc: $out"; fi
