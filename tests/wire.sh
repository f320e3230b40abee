# tests/wire.sh: the wire (code/run/wire.c): each fault kind, the link and
# sysctls as golden observations; what the trace, the pcap and the clock
# show; the mistakes tangle reports; nothing left behind, root or not; and
# 20 runs of every wire experiment of the book giving the same observations.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
H=$BIN/harness
S=$(scratch)
chmod 755 "$S"
CH=tests/wire/faults.md

# The golden chapter, tangled, compiled and run once; the cases read its run.
prepare() {
	"$BIN/tangle" -o "$S/prog" "$CH" 2>"$S/tangle.err" || { fail "wire: tangle $CH" "$(cat "$S/tangle.err")"; return 1; }
	for c in "$S"/prog/*.c; do
		cc -std=gnu11 -D_GNU_SOURCE -Icode/lab -o "${c%.c}" "$c" 2>"$S/cc.err" ||
			{ fail "wire: compile $c" "$(cat "$S/cc.err")"; return 1; }
	done
	chmod -R a+rX "$S/prog"
}
iptables_before=$(iptables-nft-save 2>/dev/null | grep -v '^#')
prepare || exit 1
"$H" -p "$S/prog" -o "$S/run" -c "$CH" "$S/prog/experiments" 2>"$S/err"; rc=$?
if [ $rc -eq 0 ] && [ ! -s "$S/err" ]; then pass "wire: the golden chapter runs cleanly"
else fail "wire: the golden chapter runs cleanly" "rc=$rc $(cat "$S/err")"; fi

# --- golden observations, one case per fault kind (tests/TESTLIST) -----------------
# The experiment named like the case; EXPECTED is its observations.txt.
observed() {
	local name=$1 want=$3
	golden "wire: observations of $name" "$want" "$S/run/$name/observations.txt"
}
run_table wire observed

# --- what the trace shows ------------------------------------------------------------
# seconds LINE: the trace line's time stamp (" 00:00:01.005625 IP ...") in s.
seconds() { awk '{ split($1, t, ":"); printf "%.6f\n", t[1] * 3600 + t[2] * 60 + t[3] }' <<<"$1"; }
# gap_at_least A B MIN: B - A >= MIN seconds.
gap_at_least() { awk -v a="$1" -v b="$2" -v m="$3" 'BEGIN { exit !(b - a >= m) }'; }

t=$S/run/drop-nth/trace.txt
n_trace=$(wc -l <"$t")
n_pcap=$("$BIN/pcap2txt" "$S/run/drop-nth/trace.pcap" | wc -l)
if [ "$(grep -c ' \[dropped by the wire\]$' "$t")" -eq 1 ] && [ "$n_pcap" -eq $((n_trace - 1)) ] &&
   ! "$BIN/pcap2txt" "$S/run/drop-nth/trace.pcap" | grep -q 'dropped'; then
	pass "wire: a dropped packet is a marked line of trace.txt, and absent from trace.pcap"
else fail "wire: a dropped packet is a marked line of trace.txt, and absent from trace.pcap" "trace $n_trace pcap $n_pcap"; fi
if grep -q '^ *[0-9.]*  wire     IP .*Flags \[S\].* \[dropped by the wire\]$' "$S/run/drop-nth/timeline.txt"; then
	pass "wire: the timeline shows the dropped packet, marked"
else fail "wire: the timeline shows the dropped packet, marked"; fi
first=$(seconds "$(sed -n 1p "$t")") second=$(seconds "$(sed -n 2p "$t")")
if gap_at_least "$first" "$second" 0.9; then pass "wire: the retransmitted SYN comes at least 0.9 s after the dropped one"
else fail "wire: the retransmitted SYN comes at least 0.9 s after the dropped one" "$first $second"; fi

t=$S/run/delay/trace.txt
d=$(grep -n 'delayed 100 ms by the wire\]$' "$t" | cut -d: -f1)
if [ -n "$d" ] && gap_at_least "$(seconds "$(sed -n "$((d - 1))p" "$t")")" "$(seconds "$(sed -n "${d}p" "$t")")" 0.1; then
	pass "wire: a delayed packet is marked and comes at least its delay after the one before"
else fail "wire: a delayed packet is marked and comes at least its delay after the one before" "$(cat "$t")"; fi

t=$S/run/link/trace.txt
synack=$(grep -m1 'Flags \[S\.\]' "$t") ack=$(grep -m1 '192.0.2.2.[0-9]* > 192.0.2.1.9999: Flags \[\.\], ack 1,' "$t")
if [ -n "$synack" ] && [ -n "$ack" ] && gap_at_least "$(seconds "$synack")" "$(seconds "$ack")" 0.04 &&
   grep -q '^link 192.0.2.1 | 192.0.2.2$' "$S/run/link/wire" && grep -q '^rtt 40000 us$' "$S/run/link/wire"; then
	pass "wire: on the link the handshake's ACK comes one round trip (40 ms) after the SYN-ACK"
else fail "wire: on the link the handshake's ACK comes one round trip (40 ms) after the SYN-ACK" "$(cat "$t")"; fi
if grep -q '192.0.2.2:[0-9]* > 192.0.2.1:9999' "$S/run/link/timeline.txt" &&
   grep -q '192.0.2.1:9999 > 192.0.2.2:' "$S/run/link/timeline.txt"; then
	pass "wire: the sockets of both sides of the link are in the timeline"
else fail "wire: the sockets of both sides of the link are in the timeline"; fi
# The packets the right side receives are queued at PREROUTING, where the
# kernel stamps them: their holds count from that stamp, the others' not.
n_in=$(grep -c '^hold right-in ' "$S/run/link/wire")
if [ "$n_in" -gt 0 ] && grep -qx "stamped $n_in" "$S/run/link/wire"; then
	pass "wire: every hold of a packet arriving at the right side counts from the kernel's time stamp"
else fail "wire: every hold of a packet arriving at the right side counts from the kernel's time stamp" "$(cat "$S/run/link/wire")"; fi

host_fin=$(cat /proc/sys/net/ipv4/tcp_fin_timeout)
if grep -qx 'tcp_fin_timeout 7' "$S/run/sysctl/client.stdout" &&
   grep -qx 'sysctl net.ipv4.tcp_fin_timeout 60' "$S/run/sysctl/sysctl" &&
   grep -qx 'sysctl net.ipv4.tcp_fin_timeout 7' "$S/run/sysctl/wire" &&
   grep -qx 'sysctl net.ipv4.tcp_syn_retries 3' "$S/run/sysctl/wire" &&
   grep -qx 'experiment-sysctl sysctl net.ipv4.tcp_fin_timeout 7' "$S/run/build-info" &&
   grep -qx 'tcp_fin_timeout 60' "$S/run/drop-nth/client.stdout" && [ "$host_fin" != 7 ]; then
	pass "wire: a sysctl is set in its experiment's namespace only, and recorded"
else fail "wire: a sysctl is set in its experiment's namespace only, and recorded" "host $host_fin; $(cat "$S/run/sysctl/client.stdout")"; fi

# The page's provenance names a sysctl an experiment set, with the experiment.
page=$BUILD/html/18-lost-fin.html
if [ ! -s "$page" ]; then skip "wire: the page's provenance lists an experiment's sysctl" "no $page: build the book first"
elif grep -qF 'sysctl set by experiment <code>gives-up</code></th><td><code>net.ipv4.tcp_orphan_retries</code> = <code>2</code>' "$page"; then
	pass "wire: the page's provenance lists an experiment's sysctl"
else fail "wire: the page's provenance lists an experiment's sysctl"; fi

# --- the mistakes tangle reports (golden standard error) ---------------------------
"$BIN/tangle" -o "$S/bad" tests/wire/bad.md 2>"$S/bad.err"; rc=$?
if [ $rc -eq 1 ]; then golden "wire: tangle names every mistake in the wire's lines" tests/wire/bad.err "$S/bad.err"
else fail "wire: tangle names every mistake in the wire's lines" "status $rc"; fi

# --- unprivileged, and nothing left behind -----------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	U=$(mktemp -d /tmp/tcpbook-wire.XXXXXX)
	chmod 777 "$U"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$H" -p "$S/prog" -o "$U/run" -c "$CH" \
		"$S/prog/experiments" 2>"$S/err"; rc=$?
	bad=
	for o in "$S"/run/*/observations.txt; do
		e=$(basename "$(dirname "$o")")
		cmp -s "$o" "$U/run/$e/observations.txt" || bad="$bad $e"
	done
	if [ $rc -eq 0 ] && [ -z "$bad" ]; then pass "wire: every fault works the same for an ordinary user"
	else fail "wire: every fault works the same for an ordinary user" "rc=$rc differ:$bad $(cat "$S/err")"; fi
	rm -rf "$U"
	if [ "$(iptables-nft-save 2>/dev/null | grep -v '^#')" = "$iptables_before" ]; then
		pass "wire: the host's netfilter rules are unchanged"
	else fail "wire: the host's netfilter rules are unchanged"; fi
fi
if [ -z "$(lsns -n -t net -o NS,COMMAND 2>/dev/null | grep -F "$S/")" ] && ! ip link show 2>/dev/null | grep -q '192.0.2' &&
   ! pgrep -f "$S/prog/" >/dev/null; then
	pass "wire: no namespace, link or process is left behind"
else fail "wire: no namespace, link or process is left behind"; fi

# --- determinism: 20 runs of every wire experiment of the book ----------------------
# The same observations and the same rows of the call table every run
# (same_runs, tests/lib.sh). Wire experiments wait for timers (a
# retransmission, a keepalive), so their runs go JOBS at once: they sleep,
# they do not compute. An experiment whose one run takes more than SLOW
# seconds runs fewer times, and says so.
SLOW=8
RUNS=20
JOBS=6
for x in "$BUILD"/tangle/*/experiments; do
	[ -s "$x" ] || continue
	# (the experiments read by the harness's own reader: harness -l)
	list=$("$H" -l "$x") || { fail "wire: $x can be read" "$list"; continue; }
	printf '%s\n' "$list" | grep -q ' wire yes$' || continue
	stem=$(basename "$(dirname "$x")")
	mkdir -p "$S/det/$stem"
	start=$(date +%s.%N)
	repeated_runs "$S/det" 1 1 1 "$stem"
	took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
	n=$RUNS
	if [ "$took" -gt "$SLOW" ]; then
		n=$(( (SLOW * RUNS) / took ))
		[ $n -lt 5 ] && n=5
		printf '     note: %s runs %d times, not %d: one run takes %s s (its timers), and the suite must stay short\n' \
			"$stem" "$n" "$RUNS" "$took"
	fi
	repeated_runs "$S/det" 2 "$n" "$JOBS" "$stem"
	same_runs "$stem" "$S/det" "$n"
done
