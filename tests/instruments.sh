#!/usr/bin/env bash
# tests/instruments.sh: the author's instruments (issue 13's traps), each a
# case that failed before: a hang names the wait it hung in; waits are in
# the timeline; SHOW prints strings, errno names and flag sets, and marks
# an expected failure; a forked child is a role of its own with its own
# output; a listener shows its accept queue and backlog; a failing claim
# fails the build's verdict by chapter and line; the determinism check of
# one chapter finds a chapter that differs between runs.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
H=$BIN/harness
S=$(scratch)
chmod 755 "$S"
mkdir -p "$S/prog"
for c in tests/instruments/*.c; do
	cc -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Icode/lab -o "$S/prog/$(basename "$c" .c)" "$c" 2>"$S/cc.log" ||
		fail "compile $c" "$(cat "$S/cc.log")"
done

# experiment NAME TIMEOUT ROLE=PROG[:ARG]...: an experiments file.
experiment() {
	local name=$1 timeout=$2 r
	shift 2
	printf 'experiment %s\nline 7\ncapture tcp\ntimeout %s\n' "$name" "$timeout"
	for r in "$@"; do printf 'role %s %s\n' "${r%%=*}" "$(echo "${r#*=}" | tr ':' ' ')"; done
	printf 'end\n'
}
run() { # NAME TIMEOUT ROLE=PROG...: runs it into $S/run/NAME
	experiment "$@" >"$S/x-$1"
	"$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-$1" 2>"$S/err-$1"
}
# has CASE FILE LINE: FILE holds LINE whole
has() {
	if grep -qxF -- "$3" "$2"; then pass "$1"; else fail "$1" "no line '$3' in $2:
$(head -n 40 "$2")"; fi
}

# --- a hang names its wait, and waits are in the timeline ----------------------------
run hang 1 a=hangwait.c; rc=$?
if [ $rc -eq 1 ] && grep -qF "chapters/t.md:7: error: experiment 'hang': role 'a' was waiting for packet 'Flags [never]' since " "$S/err-hang" &&
   grep -qF "at the 1 s timeout; its last event: wait for packet 'Flags [never]'" "$S/err-hang"; then
	pass "instruments: a timeout names the pending wait and the last event"
else fail "instruments: a timeout names the pending wait and the last event" "rc=$rc $(cat "$S/err-hang")"; fi
T=$S/run/hang/timeline.txt
if grep -qE "^ *[0-9.]+  a +wait for packet 'Flags \[never\]'$" "$T" &&
   grep -qE "^ *[0-9.]+  a +waiting for packet 'Flags \[never\]' since [0-9.]+ s at the timeout$" "$T"; then
	pass "instruments: the timeline shows the wait and that it was pending at the timeout"
else fail "instruments: the timeline shows the wait and that it was pending at the timeout" "$(cat "$T")"; fi
if ! grep -q "wait for" "$S/run/hang/observations.txt"; then
	pass "instruments: waits stay out of the observations"
else fail "instruments: waits stay out of the observations" "$(cat "$S/run/hang/observations.txt")"; fi
run waits 2 server=backlog.c:server client=backlog.c:client
T=$S/run/waits/timeline.txt
if grep -qE "client +wait for step 'listening'$" "$T" && grep -qE "client +wait for step 'listening' satisfied$" "$T" &&
   grep -qE "client +wait for packet 'Flags \[.\], ack 1,' satisfied$" "$T"; then
	pass "instruments: every wait is in the timeline, begun and satisfied"
else fail "instruments: every wait is in the timeline, begun and satisfied" "$(cat "$T")"; fi

# --- lab_wait_packets: a count of matching packets ------------------------------------
# The client's three one-byte segments, each sent once the one before is
# acknowledged; the server waits for the second, then the third, then a
# fourth that never comes.
run count 2 server=waitcount.c:server client=waitcount.c:client; rc=$?
T=$S/run/count/timeline.txt
# order EVENT...: the timeline holds lines matching each ERE, in this order
order() {
	awk -v n=$# 'BEGIN { for (i = 1; i < ARGC; i++) p[i] = ARGV[i]; ARGC = 1; k = 1 }
		k <= n && $0 ~ p[k] { k++ } END { exit k <= n }' "$@" <"$T"
}
P='127[.]0[.]0[.]1[.][0-9]+ > 127[.]0[.]0[.]1[.]9999: Flags \[P[.]\]'
if order "$P, seq 1:2" "$P, seq 2:3" "server +wait for 2 packets '> 127.0.0.1.9999: Flags \[P.\]' satisfied" \
	"step 'two'" "$P, seq 3:4" "server +wait for 3 packets '> 127.0.0.1.9999: Flags \[P.\]' satisfied" &&
   ! order "$P, seq 1:2" "server +wait for 2 packets .* satisfied" "$P, seq 2:3" &&
   ! order "$P, seq 2:3" "server +wait for 3 packets .* satisfied" "$P, seq 3:4"; then
	pass "instruments: lab_wait_packets(TEXT, N) is answered at the Nth matching packet, not before"
else fail "instruments: lab_wait_packets(TEXT, N) is answered at the Nth matching packet, not before" "$(cat "$T")"; fi
if [ $rc -eq 1 ] && grep -qF "role 'server' was waiting for 4 packets '> 127.0.0.1.9999: Flags [P.]' since " "$S/err-count"; then
	pass "instruments: a timeout names the count a lab_wait_packets() still waits for"
else fail "instruments: a timeout names the count a lab_wait_packets() still waits for" "rc=$rc $(cat "$S/err-count")"; fi
run badcount 1 a=waitcount.c:badcount
if grep -qF "lab_wait_packets: the count must be 1 to 1000, not '0 Flags [S]'; waiting for one" "$S/run/badcount/timeline.txt"; then
	pass "instruments: a count out of range is said in the timeline"
else fail "instruments: a count out of range is said in the timeline" "$(cat "$S/run/badcount/timeline.txt")"; fi

# --- the socket lines: a listener's accept queue and backlog -------------------------
O=$S/run/waits/observations.txt
has "instruments: a listener shows its empty accept queue and its backlog" "$O" "  127.0.0.1:9999 LISTEN accept-q 0 backlog 1"
has "instruments: a connection nobody accepted is counted in the accept queue" "$O" "  127.0.0.1:9999 LISTEN accept-q 1 backlog 1"
if [ "$(grep -c '^-\|^[0-9]' "$S/run/waits/times.txt")" = "$(wc -l <"$O")" ]; then
	pass "instruments: times.txt has a line for every line of observations.txt"
else fail "instruments: times.txt has a line for every line of observations.txt" "$(paste "$S/run/waits/times.txt" "$O" | head)"; fi

# --- a socket's timer: its line in times.txt ends with when the timer is due -----------
# The server closes first; at "closed" its side is in TIME_WAIT, whose timer
# (TCP_TIMEWAIT_LEN) is due 60 s after it began: END - START of its line is
# a little under 60 s. A line without a timer has no END.
run timer 3 server=timewait.c:server client=timewait.c:client
O=$S/run/timer/observations.txt
n=$(paste -d'|' "$S/run/timer/times.txt" "$O" |
	awk -F'|' '/TIME_WAIT timer time-wait 60 s/ { split($1, t, " "); d = t[2] - t[1]; if (d > 59.5 && d <= 60.001) n++ }
		   /LISTEN/ { split($1, t, " "); if (t[2] != "-") bad++ } END { print (bad ? -1 : n + 0) }')
if [ "$n" -ge 1 ]; then
	pass "instruments: a TIME_WAIT line's END in times.txt is when its timer is due, 60 s on ($n lines)"
else fail "instruments: a TIME_WAIT line's END in times.txt is when its timer is due, 60 s on" "$(paste "$S/run/timer/times.txt" "$O" | grep -i 'socket\|TIME_WAIT\|LISTEN')"; fi

# --- SHOW's forms, and an expected failure ---------------------------------------------
run show 2 a=showforms.c
O=$S/run/show/observations.txt
# What the kernel answers may differ between kernels (POLLERR with the
# reset or not, ECONNREFUSED or ECONNABORTED for a second connect()); the
# forms may not: each line is an extended regular expression.
while IFS= read -r re; do
	if grep -qxE -- "  $re" "$O"; then pass "instruments: SHOW form: $re"
	else fail "instruments: SHOW form: $re" "$(cat "$O")"; fi
done <<'TABLE'
connect\(fd, \(struct sockaddr \*\)&a, sizeof a\) = -1 EINPROGRESS \(Operation now in progress\) \[expected\]
p\.revents = POLL[A-Z]+(\|POLL[A-Z]+)*
e = ECONNREFUSED \(Connection refused\)
strerror\(e\) = "Connection refused"
connect\(fd, \(struct sockaddr \*\)&a, sizeof a\) = -1 E[A-Z]+ \([A-Za-z ]+\)
fcntl\(fd, F_GETFL\) = O_RDWR\|O_NONBLOCK
ti\.tcpi_state = CLOSE
\(unsigned\)\(EPOLLIN \| EPOLLRDHUP\) = EPOLLIN\|EPOLLRDHUP
"a \\"q\\"\\n" = "a \\"q\\"\\n"
TABLE
has "instruments: states.txt: the state as each call was entered" "$S/run/show/states.txt" \
	"  fd3=CLOSE | poll(&p, 1, 1000) = 1"

# --- forked children: roles of their own, their own output ---------------------------
run fork 2 p=forker.c
O=$S/run/fork/observations.txt
has "instruments: a child is a role: p/1" "$O" "role p/1"
has "instruments: a child named with lab_name is p/worker" "$O" "role p/worker"
# (the sections read by the claims checker's reader: claims -s)
if "$BIN/claims" -s 'role p/1' "${O%/*}" | grep -qxF 'getppid() > 0 = 1' &&
   ! "$BIN/claims" -s 'role p' "${O%/*}" | grep -qF 'getppid()'; then
	pass "instruments: a child's calls are in its section, not its parent's"
else fail "instruments: a child's calls are in its section, not its parent's" "$(cat "$O")"; fi
if grep -qx 'first child' "$S/run/fork/p.1.stdout" && grep -qx 'second child' "$S/run/fork/p.worker.stdout" &&
   ! grep -q 'first child\|second child' "$S/run/fork/p.stdout" && [ "$(grep -c 'parent before the forks' "$S/run/fork/p.stdout")" = 1 ] &&
   ! grep -q 'parent' "$S/run/fork/p.1.stdout"; then
	pass "instruments: each child has its own output, the parent's is printed once"
else fail "instruments: each child has its own output, the parent's is printed once" "$(head "$S"/run/fork/p*.stdout)"; fi
has "instruments: a child's output is in the observations" "$O" "output p/worker"
if ! grep -q 'p/2' "$O" && [ ! -e "$S/run/fork/p.2.stdout" ]; then
	pass "instruments: a child renamed by lab_name leaves no trace of its first name"
else fail "instruments: a child renamed by lab_name leaves no trace of its first name" "$(ls "$S/run/fork"; grep -n 'p/2' "$O")"; fi
has "instruments: a child's step is its own" "$O" "sockets at (worker ran)"

# --- a failing claim fails the verdict, by chapter and line ---------------------------
B=$S/b
mkdir -p "$B/stamp/01-x" "$B/run/01-x" "$S/chapters"
ln -s "$BIN" "$B/bin"
cp -r tests/claims/run/close "$B/run/01-x/close"
cp tests/claims/cases.md "$S/chapters/01-x.md"
"$BIN/tangle" -o "$B/tangle/01-x" "$S/chapters/01-x.md" 2>/dev/null
"$BIN/claims" -c "$S/chapters/01-x.md" -o "$B/run/01-x" "$B/tangle/01-x/claims" 2>/dev/null
for step in tangle cc run draw claims; do : >"$B/stamp/01-x/$step"; done
out=$(BUILD=$B code/scripts/verdict.sh "$S/chapters" 01-x 2>&1); rc=$?
if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -qF "  $S/chapters/01-x.md:34: differs: The FIN comes before the handshake (false)." &&
   ! printf '%s\n' "$out" | grep -q ': confirmed: '; then
	pass "instruments: the build's verdict lists a failed claim by chapter and line"
else fail "instruments: the build's verdict lists a failed claim by chapter and line" "rc=$rc $out"; fi
out=$(BUILD=$B ALL_CLAIMS=1 code/scripts/verdict.sh "$S/chapters" 01-x 2>/dev/null)
if printf '%s\n' "$out" | grep -qF "$S/chapters/01-x.md:23: confirmed: The server sends a FIN."; then
	pass "instruments: make chapter's verdict (ALL_CLAIMS) shows every claim"
else fail "instruments: make chapter's verdict (ALL_CLAIMS) shows every claim" "$out"; fi

# --- the determinism check of one chapter ------------------------------------------------
# check STEM PROG: a built chapter of one experiment, then 3 more runs
check() {
	local stem=$1 prog=$2
	mkdir -p "$B/tangle/$stem" "$B/prog/$stem"
	cp "$S/prog/$prog" "$B/prog/$stem/$prog"
	experiment x 2 "a=$prog.c" >"$B/tangle/$stem/experiments"
	: >"$B/tangle/$stem/claims"
	"$H" -p "$B/prog/$stem" -o "$B/run/$stem" -c "chapters/$stem.md" "$B/tangle/$stem/experiments" 2>/dev/null
	BUILD=$B code/check/determinism.sh "chapters/$stem.md" 3 >"$S/det-$stem" 2>&1
}
check 02-random random; rc=$?
if [ $rc -eq 1 ] && grep -qF "chapters/02-random.md: run 1: experiment 'x' observed otherwise:" "$S/det-02-random"; then
	pass "instruments: RUNS finds a chapter whose runs differ, and names the experiment"
else fail "instruments: RUNS finds a chapter whose runs differ, and names the experiment" "rc=$rc $(cat "$S/det-02-random")"; fi
check 03-show showforms; rc=$?
if [ $rc -eq 0 ] && grep -qF "chapters/03-show.md: 3 runs, the same observations and every claim holds" "$S/det-03-show"; then
	pass "instruments: RUNS passes a chapter whose runs agree"
else fail "instruments: RUNS passes a chapter whose runs agree" "rc=$rc $(cat "$S/det-03-show")"; fi
