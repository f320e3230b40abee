# tests/book.sh: the book as built by `make`, end to end. Asserts what the
# chapters' prose relies on, from this build's own captures and timelines,
# and that the pages show this build's output.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
RUN=$BUILD/run
HTML=$BUILD/html

# flags_of FILE: the Flags field of each trace line, one per line.
flags_of() { sed -n 's/.*Flags \[\([^]]*\)\].*/\1/p' "$1"; }

# --- chapter 1: the handshake -------------------------------------------
t=$RUN/01-handshake/handshake/trace.txt
if [ -s "$t" ]; then
	got=$(flags_of "$t" | head -n 3 | tr '\n' ' ')
	if [ "$got" = "S S. . " ]; then pass "handshake: first three segments are S, S., ."
	else fail "handshake: first three segments are S, S., ." "got: $got"; fi

	# The SYN-ACK acknowledges the SYN's sequence number plus one.
	syn=$(sed -n '1s/.*Flags \[S\], seq \([0-9]*\),.*/\1/p' "$t")
	ack=$(sed -n '2s/.*Flags \[S\.\], seq [0-9]*, ack \([0-9]*\),.*/\1/p' "$t")
	if [ -n "$syn" ] && [ "$ack" = $((syn + 1)) ]; then pass "handshake: SYN-ACK acks ISN+1"
	else fail "handshake: SYN-ACK acks ISN+1" "syn=$syn ack=$ack"; fi

	# SYN from the client's port to 9999, SYN-ACK back.
	if sed -n 1p "$t" | grep -q '> 127\.0\.0\.1\.9999: Flags \[S\]' &&
	   sed -n 2p "$t" | grep -q 'IP 127\.0\.0\.1\.9999 > .*Flags \[S\.\]'; then
		pass "handshake: directions of SYN and SYN-ACK"
	else fail "handshake: directions of SYN and SYN-ACK" "$(head -n 2 "$t")"; fi
else
	fail "handshake: trace exists" "$t missing or empty"
fi

# The handshake is done in the kernel before accept(): at the step
# 'connected' the server's side is ESTABLISHED and not yet accepted.
# (the socket snapshot read by the claims checker's reader: claims -s)
tl=$RUN/01-handshake/handshake
if "$BIN/claims" -s 'sockets at (connected)' "$tl" | grep -q '127\.0\.0\.1:9999 > .* ESTABLISHED (not accepted yet)'; then
	pass "handshake: connection established before accept()"
else fail "handshake: connection established before accept()" "$(head -n 30 "$tl/observations.txt" 2>&1)"; fi

# --- chapter 2: the server's close() --------------------------------------
t=$RUN/02-server-close/close/trace.txt
if [ -s "$t" ]; then
	if grep -q 'IP 127\.0\.0\.1\.9999 > [0-9.]*: Flags \[F\.\]' "$t"; then
		pass "server close: the server sends a FIN"
	else fail "server close: the server sends a FIN" "$(cat "$t")"; fi
	# The client's FIN to the orphan gets an ACK, not an RST.
	if ! grep -q 'Flags \[R' "$t" && tail -n 1 "$t" | grep -q 'IP 127\.0\.0\.1\.9999 > .*Flags \[\.\]'; then
		pass "server close: the orphan ACKs the client's FIN, no RST"
	else fail "server close: the orphan ACKs the client's FIN, no RST" "$(cat "$t")"; fi
else
	fail "server close: trace exists" "$t missing or empty"
fi
tl=$RUN/02-server-close/close
if "$BIN/claims" -s 'sockets at (client looks)' "$tl" 2>/dev/null | grep -q '127\.0\.0\.1:9999 > .* FIN_WAIT2 orphan'; then
	pass "server close: the server's socket is a FIN_WAIT2 orphan"
else fail "server close: the server's socket is a FIN_WAIT2 orphan" "$(head -n 40 "$tl/observations.txt" 2>&1)"; fi
if grep -q '^exited 0$' "$RUN/02-server-close/close/server.status" 2>/dev/null &&
   grep -q '^exited 0$' "$RUN/02-server-close/close/client.status" 2>/dev/null; then
	pass "server close: both programs exited 0"
else fail "server close: both programs exited 0"; fi

# --- the pages show this build's traces --------------------------------------
# html_escape: what weave must turn a trace line into.
html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
for pair in 01-handshake:handshake 02-server-close:close; do
	stem=${pair%%:*} exp=${pair#*:}
	page=$HTML/$stem.html
	t=$RUN/$stem/$exp/trace.txt
	if [ -s "$page" ] && [ -s "$t" ] && grep -qF "$(head -n 1 "$t" | html_escape)" "$page" &&
	   grep -qF "$(tail -n 1 "$t" | html_escape)" "$page"; then
		pass "$stem.html shows this build's trace"
	else fail "$stem.html shows this build's trace"; fi
	if grep -qF "$(uname -r)" "$page" 2>/dev/null; then pass "$stem.html names the kernel"
	else fail "$stem.html names the kernel"; fi
done
if [ -s "$HTML/index.html" ] && grep -q '01-handshake.html' "$HTML/index.html" &&
   grep -q '02-server-close.html' "$HTML/index.html"; then
	pass "index.html links every chapter"
else fail "index.html links every chapter"; fi

# --- the build is incremental ---------------------------------------------------
out=$(make --no-print-directory BUILD="$BUILD" 2>&1)
if ! printf '%s\n' "$out" | grep -qE '^  (CC|LD|RUN|WEAVE|INDEX) '; then
	pass "a second make does nothing"
else fail "a second make does nothing" "$out"; fi

# --- no result is missing ----------------------------------------------------------
# Every experiment a chapter declares has observations, every chapter with
# claims has its claims result, and no claim is left unchecked: a missing
# result is a failure, never a skip.
missing=
nexp=0
for t in "$BUILD"/tangle/*/; do
	stem=$(basename "$t")
	[ -f "$t/experiments" ] || continue
	# (the experiments and the claims read by their own readers: harness
	# -l, claims -l)
	for exp in $("$BIN/harness" -l "$t/experiments" | cut -d' ' -f1); do
		nexp=$((nexp + 1))
		[ -s "$RUN/$stem/$exp/observations.txt" ] || missing+="$stem/$exp: no observations.txt"$'\n'
	done
	if [ -s "$t/claims" ]; then
		if [ ! -s "$RUN/$stem/claims.txt" ]; then missing+="$stem: no claims.txt"$'\n'
		elif u=$("$BIN/claims" -l "$RUN/$stem/claims.txt" | cut -f1 | grep -cx unchecked); then
			missing+="$stem: claims not checked: $u"$'\n'
		fi
	fi
done
if [ $nexp -gt 0 ] && [ -z "$missing" ]; then pass "every experiment ($nexp) has observations and every claim was checked"
else fail "every experiment has observations and every claim was checked" "${missing:-no experiment found}"; fi

# --- the call table is a function of the observations -------------------------------
# Checked by `make soak` (code/scripts/soak.sh: each run's calls, program by
# program, against the first run's), not here: on this machine the calls of
# some experiments (the wire's, timer-driven retransmissions, threads) are
# still credited with different packets from run to run, and a case that
# fails by chance would only teach CI to be ignored. See the report of
# issue 16.

# --- every experiment's wire lines are on its page ------------------------------
# (the experiment box showed only the capture, "on lo" even for a link, and
# none of the faults, links or sysctls a reader needs to read the trace). The
# lines are read from tangle's experiments file ("wire LINE KEY VALUE"), not
# from the Markdown again.
n=0 missing=
for x in "$BUILD"/tangle/*/experiments; do
	stem=$(basename "$(dirname "$x")"); page=$HTML/$stem.html
	[ -f "$page" ] || continue
	while read -r tag _ key value; do
		[ "$tag" = wire ] || continue
		n=$((n + 1))
		esc=$(printf '%s' "$value" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
		grep -qF "<dt>$key</dt><dd><code>$esc</code></dd>" "$page" || missing+=" $stem:$key"
		[ "$key" != link ] || grep -qF "on <code>eth0</code>, the link's left end" "$page" || missing+=" $stem:eth0"
	done <"$x"
done
if [ "$n" -gt 0 ] && [ -z "$missing" ]; then pass "book: every experiment's wire lines ($n) are in its page's experiment box"
else fail "book: every experiment's wire lines ($n) are in its page's experiment box" "missing:$missing"; fi
