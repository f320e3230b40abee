# tests/badbook.sh: a book with one chapter of each kind of mistake. Each
# bad chapter's page must show its error with the chapter's file and line,
# the good chapter must be complete, and make must exit non-zero. Then
# Ctrl-C during make must leave no process and no namespace behind.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
d=$(scratch)
C=$d/chapters
B=$d/build
mkdir -p "$C"
code/scripts/new-chapter.sh "$C" good >/dev/null

# bad NAME SCRIPT: a copy of the template with one mistake, made by sed.
bad() { sed "$2" code/scripts/chapter-template.md >"$C/$1.md"; }
bad 02-undefined-chunk 's/<<listen on port 9999>>/<<listen on port 9998>>/'
bad 03-compile-error 's/SHOW(close(fd));/SHOW(close(fd, 1));/'
bad 04-crash '/int fd = SHOW(accept/a\    *(volatile int *)0 = 1;
s/^client: client.c$/client: client.c\ntimeout: 2/'
bad 05-hang 's/^client: client.c$/client: client.c\ntimeout: 1/; s/lab_wait("listening");/lab_wait("never");/'
bad 06-big-output 's/int fd = SHOW(accept(lfd, NULL, NULL));/int fd = SHOW(accept(lfd, NULL, NULL)); for (int i = 0; i < 200000; i++) printf("%050d\\n", i);/'
bad 07-bad-filter 's/^capture: tcp port 9999$/capture: tcp port (9999/'

# Entries of chapters/ that are no chapter: each is named, none stops the
# others, no name reaches a shell (the PWNED file must not appear).
ln -s nowhere "$C/08-dangling.md"
mkdir "$C/09-directory.md"
cp "$C/01-good.md" "$C/10-with space.md"
cp "$C/01-good.md" "$C/"'11-x$(touch${IFS}PWNED).md'
cp "$C/01-good.md" "$C/"'12-x`touch${IFS}PWNED2`.md'
cp "$C/01-good.md" "$C/-13.md"

out=$(cd "$d" && make --no-print-directory -C "$TOP" -k BUILD="$B" CHAPTER_DIR="$C" 2>&1); rc=$?
if [ $rc -ne 0 ]; then pass "badbook: make exits non-zero"
else fail "badbook: make exits non-zero" "$out"; fi

# NAME|WHAT THE VERDICT SAYS
while IFS='|' read -r name want; do
	if printf '%s\n' "$out" | grep -qF -- "$C/$name: error: $want"; then pass "badbook: chapter file '$name' is named: $want"
	else fail "badbook: chapter file '$name' is named: $want" "$(printf '%s\n' "$out" | tail -n 20)"; fi
done <<'TABLE'
08-dangling.md|a symbolic link to nothing
09-directory.md|a directory, not a chapter
10-with space.md|a chapter's file name is made of
11-x$(touch${IFS}PWNED).md|a chapter's file name is made of
12-x`touch${IFS}PWNED2`.md|a chapter's file name is made of
-13.md|a chapter's file name is made of
TABLE
if [ -z "$(find "$TOP" "$d" -maxdepth 3 -name 'PWNED*' 2>/dev/null)" ]; then pass "badbook: no chapter name ran as a command"
else fail "badbook: no chapter name ran as a command" "$(find "$TOP" "$d" -maxdepth 3 -name 'PWNED*')"; fi

page() { cat "$B/html/$1.html" 2>/dev/null; }
has_error() { # STEM TEXT: the page shows the failure box with TEXT
	page "$1" | grep -q 'This chapter failed to build' && page "$1" | grep -qF -- "$2"
}
if [ -s "$B/html/01-good.html" ] && ! page 01-good | grep -q 'This chapter failed to build' &&
   page 01-good | grep -q 'Flags \[S\.\]'; then
	pass "badbook: the good chapter is complete"
else fail "badbook: the good chapter is complete" "$(ls "$B/html")"; fi

if has_error 02-undefined-chunk "$C/02-undefined-chunk.md:" && page 02-undefined-chunk | grep -q 'listen on port 9998'; then
	pass "badbook: undefined chunk shown with file and line"
else fail "badbook: undefined chunk shown with file and line" "$(cat "$B/run/02-undefined-chunk/errors.txt" 2>&1)"; fi

if has_error 03-compile-error "$C/03-compile-error.md:" && page 03-compile-error | grep -q 'too many arguments'; then
	pass "badbook: compile error shown with the chapter's file and line"
else fail "badbook: compile error shown with the chapter's file and line" "$(cat "$B/run/03-compile-error/errors.txt" 2>&1)"; fi

if has_error 04-crash "killed by SIGSEGV"; then pass "badbook: a crash is shown"
else fail "badbook: a crash is shown" "$(cat "$B/run/04-crash/errors.txt" 2>&1)"; fi

if has_error 05-hang "killed after the 1 s timeout"; then pass "badbook: a hang is killed and shown"
else fail "badbook: a hang is killed and shown" "$(cat "$B/run/05-hang/errors.txt" 2>&1)"; fi

# 10 MB of output: kept on disk, shown capped, the page stays small.
size=$(stat -c %s "$B/html/06-big-output.html" 2>/dev/null || echo 0)
if [ "$(stat -c %s "$B/run/06-big-output/ping/server.stdout" 2>/dev/null || echo 0)" -gt 10000000 ] &&
   [ "$size" -gt 0 ] && [ "$size" -lt 2000000 ]; then
	pass "badbook: 10 MB of output kept, the page capped ($size bytes)"
else fail "badbook: 10 MB of output kept, the page capped ($size bytes)"; fi

if has_error 07-bad-filter "tcp port (9999" && page 07-bad-filter | grep -q 'capture filter'; then pass "badbook: a bad capture filter is shown"
else fail "badbook: a bad capture filter is shown" "$(cat "$B/run/07-bad-filter/errors.txt" 2>&1)"; fi

if printf '%s\n' "$out" | grep -q "$C/02-undefined-chunk.md:[0-9]*:[0-9]*: error: "; then
	pass "badbook: make's output names file:line:col of the mistake"
else fail "badbook: make's output names file:line:col of the mistake" "$out"; fi

# --- Ctrl-C during make: nothing left behind ------------------------------------
rm -rf "$B/run/05-hang"
sed -i 's/^timeout: 1$/timeout: 60/' "$C/05-hang.md"
setsid make --no-print-directory BUILD="$B" CHAPTER_DIR="$C" "$B/stamp/05-hang/run" >/dev/null 2>&1 &
mk=$!
started=0
for i in $(seq 100); do [ -e "$B/run/.05-hang.new/ping.tmp/client.stdout" ] && { started=1; break; }; sleep 0.1; done
kill -INT -- -$mk 2>/dev/null
wait $mk 2>/dev/null
left=
for i in $(seq 30); do
	left=$(pgrep -f "$B/prog/05-hang/" || true)
	[ -z "$left" ] && break
	sleep 0.1
done
if [ $started -eq 1 ] && [ -z "$left" ] && [ -z "$(lsns -n -t net -o NS,COMMAND 2>/dev/null | grep -F "$B/")" ] &&
   [ -z "$(ls -d "$B"/run/05-hang/*.tmp "$B"/run/.05-hang.new 2>/dev/null)" ] && [ ! -e "$B/stamp/05-hang/run" ]; then
	pass "badbook: Ctrl-C during make leaves no process, namespace or partial run"
else fail "badbook: Ctrl-C during make leaves no process, namespace or partial run" "started=$started $left $(ls -a "$B/run/" "$B/stamp/05-hang" 2>&1)"; fi
