# tests/harness.sh: the harness on programs that misbehave, its cleanup,
# its isolation from the host, and the determinism of its observations.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
H=$BIN/harness
S=$(scratch)
chmod 755 "$S"
mkdir -p "$S/prog"
for c in tests/harness/*.c; do
	cc -std=gnu11 -D_GNU_SOURCE -Icode/lab -o "$S/prog/$(basename "$c" .c)" "$c" 2>"$S/cc.log" ||
		fail "compile $c" "$(cat "$S/cc.log")"
done

# experiment NAME TIMEOUT CAPTURE ROLE=PROG[:ARG]...: an experiments file.
experiment() {
	local name=$1 timeout=$2 capture=$3 r
	shift 3
	printf 'experiment %s\nline 7\ncapture %s\ntimeout %s\n' "$name" "$capture" "$timeout"
	for r in "$@"; do printf 'role %s %s\n' "${r%%=*}" "$(echo "${r#*=}" | tr ':' ' ')"; done
	printf 'end\n'
}

# no_process PATTERN: true when no process's command line matches, waiting
# up to 2 s for the kernel to finish killing (SIGKILL is asynchronous).
no_process() {
	local i
	for i in $(seq 20); do
		pgrep -f "$1" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}

host_tw_before=$(ss -Htan state time-wait '( sport = :9999 or dport = :9999 )' 2>/dev/null | wc -l)

# --- a program that hangs is killed at the timeout ----------------------------
experiment hang 1 tcp a=hang.c >"$S/x-hang"
"$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-hang" 2>"$S/err"; rc=$?
if [ $rc -eq 1 ] && grep -qx 'killed after the 1 s timeout' "$S/run/hang/a.status" &&
   grep -qx 'waiting' "$S/run/hang/a.stdout" && grep -q '^status failed' "$S/run/hang/meta" &&
   grep -q "chapters/t.md:7: error: experiment 'hang': role 'a': killed after the 1 s timeout" "$S/err"; then
	pass "harness: a hung program is killed at the timeout and reported"
else fail "harness: a hung program is killed at the timeout and reported" "rc=$rc $(cat "$S/err")"; fi

# --- a crash is a failure, named -------------------------------------------------
experiment crash 2 tcp a=crash.c >"$S/x-crash"
"$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-crash" 2>"$S/err"; rc=$?
if [ $rc -eq 1 ] && grep -q '^killed by SIGSEGV' "$S/run/crash/a.status" &&
   grep -q 'about to crash' "$S/run/crash/a.stderr" && grep -q "role 'a': killed by SIGSEGV" "$S/err"; then
	pass "harness: a crash fails the experiment and names the signal"
else fail "harness: a crash fails the experiment and names the signal" "rc=$rc $(cat "$S/err")"; fi

# --- SIGPIPE at its default action kills, and that is an observation ---------
experiment pipe 2 tcp a=pipe.c >"$S/x-pipe"
(trap '' PIPE; "$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-pipe" 2>"$S/err"); rc=$?
if [ $rc -eq 0 ] && grep -qx 'killed by SIGPIPE' "$S/run/pipe/a.status" &&
   grep -qF 'send(sv[0], "x", 1, 0)' "$S/run/pipe/a.stdout" && ! grep -q 'not reached' "$S/run/pipe/a.stdout"; then
	pass "harness: SIGPIPE kills even when the harness ignores it, reported as such"
else fail "harness: SIGPIPE kills even when the harness ignores it, reported as such" "rc=$rc $(cat "$S/run/pipe/a.status" 2>/dev/null) $(cat "$S/err")"; fi

# --- stdout and stderr apart, arguments passed, exit status kept ------------
experiment streams 2 tcp a=streams.c:hello >"$S/x-streams"
"$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-streams" 2>"$S/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(cat "$S/run/streams/a.stdout")" = "out hello" ] &&
   [ "$(cat "$S/run/streams/a.stderr")" = "err <script>alert(1)</script>" ] &&
   grep -qx 'exited 3' "$S/run/streams/a.status"; then
	pass "harness: stdout and stderr kept apart, exit status recorded"
else fail "harness: stdout and stderr kept apart, exit status recorded" "rc=$rc $(cat "$S/err")"; fi

# --- a bad capture filter is reported with the chapter's line --------------------
experiment badfilter 2 'tcp port (' a=streams.c >"$S/x-bad"
"$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-bad" 2>"$S/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "^chapters/t.md:7: error: experiment 'badfilter': capture filter 'tcp port (': .*syntax error" "$S/err" &&
   [ "$(wc -l <"$S/err")" -eq 1 ] &&
   [ ! -s "$S/run/badfilter/a.stdout" ]; then
	pass "harness: a filter with a syntax error is named, nothing runs"
else fail "harness: a filter with a syntax error is named, nothing runs" "rc=$rc $(cat "$S/err")"; fi

# --- a grandchild dies with its experiment ---------------------------------------
experiment forker 2 tcp a=forker.c >"$S/x-fork"
"$H" -p "$S/prog" -o "$S/run" -c chapters/t.md "$S/x-fork" 2>"$S/err"
if no_process "$S/prog/forker"; then pass "harness: a program's children end with the experiment"
else fail "harness: a program's children end with the experiment" "$(pgrep -af "$S/prog/forker")"; fi

# --- interrupted: nothing left behind -------------------------------------------
for sig in INT KILL; do
	experiment int 30 tcp a=hang.c b=hang.c >"$S/x-int"
	rm -rf "$S/run-int"
	"$H" -p "$S/prog" -o "$S/run-int" -c chapters/t.md "$S/x-int" 2>/dev/null &
	hp=$!
	for i in $(seq 50); do [ -s "$S/run-int/int.tmp/b.stdout" ] && break; sleep 0.1; done
	kill -s $sig $hp
	wait $hp 2>/dev/null
	left=$(ls -d "$S"/run-int/*.tmp 2>/dev/null)
	if no_process "$S/prog/hang" && { [ $sig = KILL ] || [ -z "$left" ]; } && [ ! -e "$S/run-int/int" ]; then
		pass "harness: SIG$sig during a run leaves no process behind"
	else fail "harness: SIG$sig during a run leaves no process behind" "$(pgrep -af "$S/prog/hang") $left"; fi
done

# --- the host's network namespace is not touched ---------------------------------
if [ "$(ss -Htan state time-wait '( sport = :9999 or dport = :9999 )' 2>/dev/null | wc -l)" = "$host_tw_before" ]; then
	pass "harness: no connection of an experiment appears in the host's namespace"
else fail "harness: no connection of an experiment appears in the host's namespace"; fi
# Only this suite's namespaces count: others may be building at the time.
if [ -z "$(lsns -n -t net -o NS,COMMAND 2>/dev/null | grep -F "$S/")" ]; then
	pass "harness: no network namespace is left behind"
else fail "harness: no network namespace is left behind" "$(lsns -t net)"; fi

# --- without root, through a user namespace ----------------------------------------
if host_root && command -v setpriv >/dev/null && [ -x "$BUILD/prog/01-handshake/server" ]; then
	U=$(mktemp -d /tmp/tcpbook-user.XXXXXX)
	chmod 777 "$U"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$H" -p "$BUILD/prog/01-handshake" -o "$U/run" -c chapters/01-handshake.md \
		"$BUILD/tangle/01-handshake/experiments" 2>"$S/err"; rc=$?
	if [ $rc -eq 0 ] && [ "$(grep -c 'Flags' "$U/run/handshake/trace.txt" 2>/dev/null)" -ge 3 ]; then
		pass "harness: runs as an ordinary user through a user namespace"
	else fail "harness: runs as an ordinary user through a user namespace" "rc=$rc $(cat "$S/err")"; fi
	rm -rf "$U"
else
	skip "harness: runs as an ordinary user through a user namespace" "needs the host's root and setpriv, and a built book"
fi

# --- where the kernel forbids user namespaces, the message says what to do ----
# Simulated with an LD_PRELOAD shim that makes unshare(CLONE_NEWUSER) fail
# with EPERM, for a harness run by an ordinary user.
cc -shared -fPIC -o "$S/deny-userns.so" tests/harness/lib/deny-userns.c -ldl
U=$(mktemp -d /tmp/tcpbook-user.XXXXXX)
chmod 777 "$U"
as_user() { if host_root; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
as_user env LD_PRELOAD="$S/deny-userns.so" "$H" -p "$S/prog" -o "$U/run" -c chapters/t.md "$S/x-streams" 2>"$S/err"; rc=$?
if [ $rc -ne 0 ] && grep -q 'unshare(CLONE_NEWUSER): Operation not permitted' "$S/err" &&
   grep -q 'run the build as root' "$S/err" && grep -q 'max_user_namespaces' "$S/err" &&
   [ -z "$(ls "$U/run" 2>/dev/null)" ]; then
	pass "harness: without user namespaces, a message says what to do"
else fail "harness: without user namespaces, a message says what to do" "rc=$rc $(cat "$S/err")"; fi
rm -rf "$U"

# --- where the kernel refuses a step of the sandbox, the harness names it and stops --
# Simulated with an LD_PRELOAD shim (tests/harness/lib/deny-sandbox.c): no
# program of the experiment, or of any after it, may run.
cc -shared -fPIC -o "$S/deny-sandbox.so" tests/harness/lib/deny-sandbox.c -ldl
experiment first 2 tcp a=streams.c:hello >"$S/x-deny"
experiment second 2 tcp a=streams.c:hello >>"$S/x-deny"
while read -r deny msg; do
	rm -rf "$S/run-deny"
	DENY=$deny LD_PRELOAD="$S/deny-sandbox.so" "$H" -p "$S/prog" -o "$S/run-deny" -c chapters/t.md "$S/x-deny" 2>"$S/err"; rc=$?
	ran=$(cat "$S"/run-deny/*/a.stdout 2>/dev/null)
	if [ $rc -ne 0 ] && grep -qF "harness: sandbox: $msg" "$S/err" && [ -z "$ran" ] &&
	   [ -z "$(ls "$S/run-deny" 2>/dev/null)" ]; then
		pass "harness: sandbox refused ($deny): named, and nothing runs"
	else fail "harness: sandbox refused ($deny): named, and nothing runs" "rc=$rc ran='$ran' $(cat "$S/err") $(ls "$S/run-deny" 2>/dev/null)"; fi
done <<'EOF2'
CLONE_NEWNS unshare(CLONE_NEWNS): Invalid argument
CLONE_NEWIPC unshare(CLONE_NEWIPC): Invalid argument
CLONE_NEWUTS unshare(CLONE_NEWUTS): Invalid argument
CLONE_NEWCGROUP unshare(CLONE_NEWCGROUP): Invalid argument
mount_setattr+remount no mount_setattr, and remounting / read-only: Operation not permitted
proc mounting a fresh /proc: Operation not permitted
EOF2

# Before Linux 5.12 (no mount_setattr) each mount is remounted read-only:
# the experiment runs, and its programs still cannot write the host's files.
rm -rf "$S/run-deny"
DENY=mount_setattr LD_PRELOAD="$S/deny-sandbox.so" "$H" -p "$S/prog" -o "$S/run-deny" -c chapters/t.md "$S/x-deny" 2>"$S/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(cat "$S/run-deny/first/a.stdout")" = "out hello" ]; then
	pass "harness: without mount_setattr, each mount is remounted read-only and the run goes on"
else fail "harness: without mount_setattr, each mount is remounted read-only and the run goes on" "rc=$rc $(cat "$S/err")"; fi

# --- determinism: 20 runs of every experiment, the same observations ---------------
# And the same rows of the call table (chapter 90). An experiment that
# declares a race ("deterministic: no") is checked differently: every claim
# not marked (varies) must hold on every run. The runs go four at a time
# (repeated_runs, tests/lib.sh); a chapter with a wire waits for timers:
# tests/wire.sh runs its runs.
stems=()
for x in "$BUILD"/tangle/*/experiments; do
	[ -s "$x" ] || continue
	# (the experiments read by the harness's own reader: harness -l)
	list=$("$H" -l "$x") || { fail "harness: $x can be read" "$list"; continue; }
	printf '%s\n' "$list" | grep -q ' wire yes$' && continue
	stems+=("$(basename "$(dirname "$x")")")
done
if [ ${#stems[@]} -eq 0 ]; then
	fail "determinism: the book's experiments" "none in $BUILD/tangle: build the book first"
else
	repeated_runs "$S/det" 1 20 4 "${stems[@]}"
	for stem in "${stems[@]}"; do
		same_runs "$stem" "$S/det" 20
	done
fi
