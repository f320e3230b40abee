# tests/kernels.sh: the book's experiments on other kernels (code/kernels/).
#
# First what needs no guest: the drift grouping (golden cases: observation
# sets made up here and the causes they must give), the private apt
# sources derived from the machine's (on fixtures), the comparison page,
# the feature check's skipping, the failure paths. Then the guest path:
# Debian's 5.10 and newest 7.x cloud kernels (KERNELS_TEST_KERNELS) are
# fetched (cached in $BUILD/kernels/cache), booted in qemu side by side,
# and the handshake chapter's claims must hold there. Without qemu or the
# kernel packages the guest cases are skipped with a line saying why,
# counted neither passed nor failed; under CI (CI=true) they must run, so
# a skip fails.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
GUESTS=${KERNELS_TEST_KERNELS:-5.10 7.x}

# skip REASON: the guest cases cannot run here.
skip() {
	if [ "${CI:-}" = true ]; then
		fail "kernels: guest path on $GUESTS" "$1 (CI must run the guest path)"
	else
		printf 'skip kernels: guest path on %s: %s\n' "$GUESTS" "$1"
	fi
}

# flags OBSERVATIONS: the flags of every packet, one per line ("S", "S.").
flags() { sed -n '/^packets$/,/^[^ ]/s/.*Flags \[\([^]]*\)\].*/\1/p' "$1"; }

if [ ! -x "$BIN/drift" ] || [ ! -x "$BIN/weave" ]; then
	fail "kernels: the tools" "$BIN/drift or $BIN/weave is missing: make $BIN/drift tools"
	exit 0
fi

# --- drift by cause: golden cases --------------------------------------------------
# A made-up observations.txt: obs RUN EXP WSCALE WIN [FLAGS2 [ACK3 [CALL [END]]]]
obs() {
	local d=$1/x-chap/$2
	mkdir -p "$d"
	cat >"$d/observations.txt" <<EOF
packets
  IP 127.0.0.1.<p1> > 127.0.0.1.9999: Flags [S], seq <isn1>, win 65495, options [mss 65495,nop,wscale $3], length 0
  IP 127.0.0.1.9999 > 127.0.0.1.<p1>: Flags [${5:-S.}], seq <isn2>, ack <isn1>+1, win 65483, options [mss 65495,nop,wscale $3], length 0
  IP 127.0.0.1.<p1> > 127.0.0.1.9999: Flags [.], ack ${6:-1}, win $4, length 0
role client
  connect(fd, &a, sizeof a) = ${7:-0}
  ${8:-exited 0}
sockets at (connected)
  127.0.0.1:<p1> > 127.0.0.1:9999 ESTABLISHED
EOF
	echo "status ok" >"$d/meta"
}
# sysctls RUN LINE...: the run's sysctls file
sysctls() { local r=$1; shift; printf '%s\n' "$@" >"$r/sysctls"; }

# drift_case NAME EXPECTED: runs drift on $D/ka and $D/kb; the text must be
# EXPECTED exactly.
drift_case() {
	"$BIN/drift" ka="$D/ka" kb="$D/kb" >"$D/out" 2>"$D/err"
	printf '%s\n' "$2" >"$D/want"
	expect_same "kernels: drift: $1" "$D/want" "$D/out"
}

D=$(scratch)
obs "$D/ka" e1 10 64; obs "$D/kb" e1 7 512
obs "$D/ka" e2 10 64; obs "$D/kb" e2 7 512
sysctls "$D/ka" "net.ipv4.tcp_rmem 4096 131072 33554432" "net.ipv4.tcp_sack 1"
sysctls "$D/kb" "net.ipv4.tcp_rmem 4096 131072 6291456" "net.ipv4.tcp_sack 1"
drift_case "only the window scale differs, because tcp_rmem does: one cause line" "what changed between kernels, by cause (ka kb)
settings
  * net.ipv4.tcp_rmem: ka: 4096 131072 33554432 | kb: 4096 131072 6291456
      known: tcp_init() (net/ipv4/tcp.c) sets tcp_rmem[2] to the smaller of a cap and 1/128 of free memory; the cap was 6 MB and is 32 MB since \"tcp: increase tcp_rmem[2] to 32 MB\" (Eric Dumazet, net-next, May 2025; Linux 6.16). A guest needs more than 4 GiB to reach 32 MB (KERNELS_MEM)
    - wscale option, 2 experiments: ka: 10 | kb: 7
        because the scale is the smallest that fits the largest receive buffer (tcp_rmem[2], or rmem_max if larger) into 16 bits: tcp_select_initial_window() in net/ipv4/tcp_output.c
      - win, 2 experiments: ka: 64 | kb: 512
          because the window field of a segment after the SYN is the window shifted right by the scale (RFC 7323, section 2.2)
same on every kernel: 0 experiments"
if [ "$(grep -c '^  \* ' "$D/out")" -eq 1 ]; then pass "kernels: drift: window scale alone is one root cause"; else
	fail "kernels: drift: window scale alone is one root cause" "$(cat "$D/out")"; fi

# The same without a setting that explains it: wscale is the cause shown.
D=$(scratch)
obs "$D/ka" e1 10 64; obs "$D/kb" e1 7 512
drift_case "only the window scale differs, no setting recorded: wscale is the cause" "what changed between kernels, by cause (ka kb)
values
  * wscale option, 1 experiment: ka: 10 | kb: 7
    - win, 1 experiment: ka: 64 | kb: 512
        because the window field of a segment after the SYN is the window shifted right by the scale (RFC 7323, section 2.2)
same on every kernel: 0 experiments"

# Semantic differences come first, each named by what it is.
# case: NAME | obs args for kb | expected first root line
while IFS='|' read -r name args want; do
	D=$(scratch)
	obs "$D/ka" e1 10 64
	# shellcheck disable=SC2086
	eval "obs \"\$D/kb\" e1 $args"
	"$BIN/drift" ka="$D/ka" kb="$D/kb" >"$D/out" 2>"$D/err"
	first=$(grep -m1 '^  \* ' "$D/out")
	if [ "$(sed -n 2p "$D/out")" = "semantic differences" ] && [ "$first" = "$want" ]; then
		pass "kernels: drift: $name"
	else
		fail "kernels: drift: $name" "want: $want
$(cat "$D/out" "$D/err")"
	fi
done <<'EOF'
packet flags |10 64 R.|  * packet flags and order, 1 experiment: ka | kb
sequence arithmetic |10 64 S. 2|  * sequence arithmetic, 1 experiment: ka | kb
call results |10 64 S. 1 '-1 ECONNREFUSED'|  * call results, 1 experiment: ka | kb
how programs end |10 64 S. 1 0 'killed by signal 13'|  * how programs end, 1 experiment: ka | kb
EOF

# A semantic difference ranks before a value one in the same run.
D=$(scratch)
obs "$D/ka" e1 10 64; obs "$D/kb" e1 7 512
obs "$D/ka" e2 10 64; obs "$D/kb" e2 10 64 R.
"$BIN/drift" ka="$D/ka" kb="$D/kb" >"$D/out"
if [ "$(grep '^[a-z]' "$D/out" | sed -n 2,3p | tr '\n' ' ')" = "semantic differences values " ]; then
	pass "kernels: drift: semantic differences before values"
else
	fail "kernels: drift: semantic differences before values" "$(cat "$D/out")"
fi

# A sysctl new in a later kernel is named with the change that made it.
D=$(scratch)
obs "$D/ka" e1 10 64; obs "$D/kb" e1 10 64
sysctls "$D/ka" "net.ipv4.tcp_syn_linear_timeouts 4" "net.ipv4.tcp_sack 1"
sysctls "$D/kb" "net.ipv4.tcp_sack 1"
"$BIN/drift" ka="$D/ka" kb="$D/kb" >"$D/out"
if grep -qx '  \* net.ipv4.tcp_syn_linear_timeouts: ka: 4 | kb: (absent)' "$D/out" && grep -q 'known: new in Linux 6.5' "$D/out" &&
	grep -qx 'same on every kernel: 1 experiment' "$D/out"; then
	pass "kernels: drift: a sysctl a kernel lacks is named with its kernel change"
else
	fail "kernels: drift: a sysctl a kernel lacks is named with its kernel change" "$(cat "$D/out")"
fi

# Identical runs: no differences; a kernel without observations is named.
D=$(scratch)
obs "$D/ka" e1 10 64; obs "$D/kb" e1 10 64; mkdir -p "$D/kb/x-chap/e2" "$D/ka/x-chap/e2"
obs "$D/ka" e2 10 64
printf 'status skipped\nskipped needs veth (CONFIG_VETH)\n' >"$D/kb/x-chap/e2/meta"
"$BIN/drift" -o "$D/rec" -t - ka="$D/ka" kb="$D/kb" >"$D/out"
if grep -qx 'no differences' "$D/out" && grep -qx 'no observations: x-chap/e2 on kb: skipped needs veth (CONFIG_VETH)' "$D/out" &&
	grep -qx 'same	x-chap/e1' "$D/rec" && ! grep -q '^item' "$D/rec"; then
	pass "kernels: drift: identical runs, and a skipped experiment named"
else
	fail "kernels: drift: identical runs, and a skipped experiment named" "$(cat "$D/out" "$D/rec")"
fi
"$BIN/drift" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then pass "kernels: drift: no kernel is a usage error"; else fail "kernels: drift: no kernel is a usage error" "rc $rc"; fi

# --- the private apt sources, from the machine's ----------------------------------
A=$(scratch)
mkdir -p "$A/etc/sources.list.d"
cat >"$A/etc/sources.list" <<'EOF'
# a comment
deb [arch=amd64] file:///srv/mirror/debian bookworm main contrib
deb file:///srv/mirror/debian bookworm-backports main
deb file:///srv/other stable-proposed-updates main
EOF
cat >"$A/etc/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: file:///srv/mirror/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: file:///srv/somewhere-else
Suites: nodistro
Components: main
EOF
echo 'deb file:///srv/ignored bookworm main' >"$A/etc/sources.list.d/off.list.disabled"
APT_SOURCES_DIR=$A/etc BUILD=$A/b code/kernels/apt.sh sources >"$A/out" 2>"$A/err"
cat >"$A/want" <<'EOF'
deb [arch=amd64] file:///srv/mirror/debian bullseye main contrib
deb [arch=amd64] file:///srv/mirror/debian bookworm main contrib
deb [arch=amd64] file:///srv/mirror/debian trixie main contrib
deb [arch=amd64] file:///srv/mirror/debian sid main contrib
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] file:///srv/mirror/debian-security bullseye-security main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] file:///srv/mirror/debian-security bookworm-security main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] file:///srv/mirror/debian-security trixie-security main
EOF
expect_same "kernels: apt: the machine's Debian sources, for bullseye, bookworm, trixie and sid" "$A/want" "$A/out"
mkdir -p "$A/none/sources.list.d"
APT_SOURCES_DIR=$A/none BUILD=$A/b code/kernels/apt.sh update >/dev/null 2>"$A/err"; rc=$?
if [ $rc -eq 1 ] && grep -q 'no Debian archive in' "$A/err"; then pass "kernels: apt: no Debian source is a clear error"; else
	fail "kernels: apt: no Debian source is a clear error" "rc $rc: $(cat "$A/err")"; fi
if [ "$(code/kernels/fetch.sh --label /x/my\ kernel/bzImage)" = own-bzImage ] &&
	[ "$(code/kernels/fetch.sh --label ../linux-image-7.2_1_amd64.deb)" = own-linux-image-7.2_1_amd64 ] &&
	[ "$(code/kernels/fetch.sh --label 6.12)" = 6.12 ]; then
	pass "kernels: a kernel of one's own is labelled by its file name"
else
	fail "kernels: a kernel of one's own is labelled by its file name" "$(code/kernels/fetch.sh --label /x/bzImage)"
fi
printf 'not a kernel' >"$A/bzImage"
BUILD=$A/b code/kernels/fetch.sh "$A/bzImage" >/dev/null 2>"$A/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "kernel '$A/bzImage': not a bzImage" "$A/err"; then pass "kernels: a file that is no kernel is named"; else
	fail "kernels: a file that is no kernel is named" "rc $rc: $(cat "$A/err")"; fi

# --- the comparison and its page, on made-up runs -------------------------------------
C=$(scratch)
mkrun() { # mkrun KERNEL WSCALE RESULT
	local r=$C/kernels/$1/run
	obs "$r" same 10 64
	obs "$r" diff "$2" "$([ "$2" = 10 ] && echo 64 || echo 512)"
	obs "$r" "a<b&c" 10 64
	printf 'kernel %s-release\nsysctl net.ipv4.tcp_rmem 4096 131072 %s\n' "$1" "$2" >"$r/x-chap/build-info"
	printf 'kernel %s-release\naccel tcg\nstatus ok\nseconds 1.00\n' "$1" >"$C/kernels/$1/summary"
	printf 'claim 12 %s\nexperiment diff\ntext The SYN <b>is</b> sent & answered.\nvaries 0\ncheck packet: Flags [S]\nend\n' \
		"$3" >"$r/x-chap/claims.txt"
}
mkrun ka 10 confirmed; mkrun kb 7 differs
mkdir -p "$C/kernels/kc" "$C/bin" "$C/chapters"
printf 'kernel kc-release\nstatus failed\nerror did not boot; last console lines: Kernel panic\n' >"$C/kernels/kc/summary"
ln -s "$BIN/drift" "$C/bin/drift"; ln -s "$BIN/weave" "$C/bin/weave"
printf '# X\n' >"$C/chapters/x-chap.md"
BUILD=$C CHAPTER_DIR=$C/chapters code/kernels/compare.sh ka kb kc 2>"$C/err"; rc=$?
t=$C/kernels/compare.txt
h=$C/html/kernels.html
if [ $rc -eq 0 ] && [ -s "$t" ] && [ -s "$h" ] && [ -s "$C/kernels/drift" ]; then pass "kernels: compare writes compare.txt, drift and kernels.html"; else
	fail "kernels: compare writes compare.txt, drift and kernels.html" "rc $rc: $(cat "$C/err")"; fi
if grep -q '^  \* net.ipv4.tcp_rmem: ka: 4096 131072 10 | kb: 4096 131072 7' "$t" && grep -q '^    - wscale option, 1 experiment: ka: 10 | kb: 7' "$t" &&
	grep -q 'x-chap:12 | ka: confirmed | kb: differs   The SYN <b>is</b> sent & answered.' "$t"; then
	pass "kernels: compare.txt has the causes and the claims per kernel"
else
	fail "kernels: compare.txt has the causes and the claims per kernel" "$(cat "$t")"
fi
if grep -q 'kc.*failed: did not boot' "$t" && ! grep -q '| kc:' "$t" && grep -q '<td>kc</td><td>kc-release</td><td></td><td></td><td></td><td class="kfailed">failed<br>error did not boot' "$h"; then
	pass "kernels: a kernel that failed is named and left out of the comparison"
else
	fail "kernels: a kernel that failed is named and left out of the comparison" "$(grep -n kc "$t" "$h" | head)"
fi
# weave's page: the book's CSS, no script, everything escaped, linked by anchors.
if ! grep -qi '<script\|<link\|src=' "$h" && grep -q '<style>' "$h" && grep -q 'table.kernels' "$h" &&
	grep -q 'The SYN &lt;b&gt;is&lt;/b&gt; sent &amp; answered.' "$h" && grep -q '<code>x-chap/a&lt;b&amp;c</code>' "$h" &&
	! grep -q '<p1>\|<b>' "$h" && grep -q 'id="exp-x-chap_2Fdiff"' "$h" && grep -q 'href="#exp-x-chap_2Fdiff"' "$h" &&
	grep -q '<h1>What changed between kernels</h1>' "$h"; then
	pass "kernels: the page is weave's: book CSS, escaped, experiments linked"
else
	fail "kernels: the page is weave's: book CSS, escaped, experiments linked" "$(grep -n 'script\|<p1>\|<b>\|SYN\|exp-' "$h" | head)"
fi
# The chapter page's table: current, or a note that the matrix ran another version.
printf '# X\n\nText.\n' >"$C/x-chap.md"
cp "$C/x-chap.md" "$C/chapters/x-chap.md"
BUILD=$C CHAPTER_DIR=$C/chapters code/kernels/compare.sh ka kb kc 2>/dev/null
"$BIN/weave" --kernels "$C/kernels" -o "$C/html/x-chap.html" "$C/x-chap.md" 2>/dev/null
if grep -q '<td class="kres differs">differs</td>' "$C/html/x-chap.html" && grep -q 'href="kernels.html#exp-x-chap_2Fdiff"' "$C/html/x-chap.html"; then
	pass "kernels: a chapter page shows its claims on each kernel, linked to the differences"
else
	fail "kernels: a chapter page shows its claims on each kernel, linked to the differences" "$(grep -n 'kres\|kernel' "$C/html/x-chap.html" | head)"
fi
printf '# X\n\nText changed.\n' >"$C/x-chap.md"
"$BIN/weave" --kernels "$C/kernels" -o "$C/html/x-chap.html" "$C/x-chap.md" 2>/dev/null
if grep -q 'ran an earlier version of this chapter' "$C/html/x-chap.html" && ! grep -q 'class="kres' "$C/html/x-chap.html"; then
	pass "kernels: a chapter changed since the matrix shows no stale results"
else
	fail "kernels: a chapter changed since the matrix shows no stale results" "$(grep -n 'kres\|matrix' "$C/html/x-chap.html" | head)"
fi
"$BIN/weave" --kernels "$C/nothing" -o "$C/html/k.html" 2>"$C/err"; rc=$?
if [ $rc -eq 1 ] && [ ! -e "$C/html/k.html" ] && grep -q "matrix' is missing" "$C/err"; then
	pass "kernels: weave --kernels without a matrix fails and writes nothing"
else
	fail "kernels: weave --kernels without a matrix fails and writes nothing" "rc $rc: $(cat "$C/err")"
fi

# --- a kernel that cannot be had -------------------------------------------------
F=$(scratch)
mkdir -p "$F/kernels"
ln -s "$BUILD/bin" "$F/bin"
BUILD=$F code/kernels/run-kernel.sh 0.0 >"$F/out" 2>"$F/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "kernel '0.0'" "$F/err" && grep -qx 'status failed' "$F/kernels/0.0/summary" &&
	[ ! -e "$F/kernels/0.0/run" ]; then
	pass "kernels: a kernel that cannot be fetched fails with a message naming it"
else
	fail "kernels: a kernel that cannot be fetched fails with a message naming it" "rc $rc: $(cat "$F/err")"
fi

# --- the feature check: what needs a missing feature is skipped, the rest runs ----
host_obs=$BUILD/run/01-handshake/handshake/observations.txt
if [ ! -x "$BIN/harness" ] || [ ! -f "$host_obs" ]; then
	fail "kernels: guest path" "the book is not built ($host_obs is missing): make first"
	exit 0
fi
S=$(scratch)
stem=12-connection-refused
mkdir -p "$S/book/tangle/$stem" "$S/book/prog"
ln -s "$BUILD/bin" "$S/book/bin"; ln -s "$BUILD/prog/$stem" "$S/book/prog/$stem"
# refused6 gets a directive of the wire's that needs nfqueue
awk '{ print } $1 == "experiment" && $2 == "refused6" { print "drop 1 packet" }' "$BUILD/tangle/$stem/experiments" >"$S/book/tangle/$stem/experiments"
printf 'netns ok\nnfqueue missing CONFIG_NETFILTER_NETLINK_QUEUE|drop delay\n' >"$S/features"
sh code/kernels/run-book.sh "$S/book" "$S/out" /dev/null "$S/features" >"$S/log" 2>&1
if grep -qx 'status skipped' "$S/out/$stem/refused6/meta" 2>/dev/null && grep -qx 'skipped needs nfqueue (CONFIG_NETFILTER_NETLINK_QUEUE)' "$S/out/$stem/refused6/meta" &&
	[ ! -e "$S/out/$stem/refused6/observations.txt" ] && [ -s "$S/out/$stem/refused/observations.txt" ] && grep -q "^$stem 0 " "$S/out/status"; then
	pass "kernels: an experiment needing a missing feature is skipped and marked, the other runs"
else
	fail "kernels: an experiment needing a missing feature is skipped and marked, the other runs" "$(cat "$S/log" "$S/out/status"; ls -R "$S/out" | head)"
fi
if grep -q '^net.ipv4.tcp_rmem [0-9]' "$S/out/sysctls"; then pass "kernels: a run records its TCP sysctls"; else
	fail "kernels: a run records its TCP sysctls" "$(head -3 "$S/out/sysctls")"; fi

# --- the guest path ------------------------------------------------------------------
if ! command -v qemu-system-x86_64 >/dev/null; then skip "qemu-system-x86_64 is not installed"; exit 0; fi
if ! command -v busybox >/dev/null || ldd "$(command -v busybox)" >/dev/null 2>&1; then
	skip "no static busybox (Debian package busybox-static)"; exit 0
fi
mkdir -p "$BUILD/kernels/cache"
for g in $GUESTS; do
	if ! BUILD=$BUILD code/kernels/fetch.sh "$g" >/dev/null 2>"$F/fetch.err"; then
		skip "$(cat "$F/fetch.err")"; exit 0
	fi
done

# The guests run in a build directory of their own that shares the book's
# programs and the kernel cache, so the tests leave $BUILD/kernels alone.
G=$(scratch)
mkdir -p "$G/kernels"
for x in bin prog tangle; do ln -s "$BUILD/$x" "$G/$x"; done
ln -s "$BUILD/kernels/cache" "$G/kernels/cache"
[ -f "$BUILD/kernels/accel" ] && cp "$BUILD/kernels/accel" "$G/kernels/accel"
# shellcheck disable=SC2086
BUILD=$G code/kernels/matrix.sh host $GUESTS >"$G/out" 2>"$G/err"; rc=$?
[ -f "$G/kernels/accel" ] && [ ! -f "$BUILD/kernels/accel" ] && cp "$G/kernels/accel" "$BUILD/kernels/accel"
for g in $GUESTS; do
	R=$G/kernels/$g/run
	if grep -qx 'status ok' "$G/kernels/$g/summary" 2>/dev/null; then
		pass "kernels: guest $g boots and runs every chapter"
	else
		fail "kernels: guest $g boots and runs every chapter" "rc $rc: $(cat "$G/err"; tail -n 5 "$G/kernels/$g/console.log" 2>/dev/null)"
		continue
	fi
	guest_kernel=$(sed -n 's/^kernel //p' "$R/01-handshake/build-info")
	want=$(cat "$BUILD/kernels/cache/$g/release")
	if [ "$guest_kernel" = "$want" ] && [ "$guest_kernel" != "$(uname -r)" ] &&
		grep -q '^sysctl net.ipv4.tcp_rmem ' "$R/01-handshake/build-info" && grep -q '^net.ipv4.tcp_rmem ' "$R/sysctls"; then
		pass "kernels: guest $g reports its own uname -r and sysctls"
	else
		fail "kernels: guest $g reports its own uname -r and sysctls" "guest '$guest_kernel', package '$want', host '$(uname -r)'"
	fi
	# Same programs, same layout: every experiment of the host build is in
	# the guest's run, with the same files (claims and ladders included).
	layout_diff=""
	for d in "$BUILD"/run/*/*/; do
		[ -f "$d/observations.txt" ] || continue
		rel=${d#"$BUILD/run/"}
		a=$(cd "$d" && ls | grep -v '^claims' | sort)
		b=$(cd "$R/$rel" 2>/dev/null && ls | grep -v '^claims' | sort)
		[ "$a" = "$b" ] || layout_diff="$layout_diff$rel: host [$(echo $a)] guest [$(echo $b)]
"
	done
	if [ -z "$layout_diff" ]; then pass "kernels: guest $g's runs have the host's layout, ladder diagrams included"; else
		fail "kernels: guest $g's runs have the host's layout, ladder diagrams included" "$layout_diff"; fi
	gf=$(flags "$R/01-handshake/handshake/observations.txt")
	hf=$(flags "$host_obs")
	if [ "$(echo "$gf" | head -n 3 | tr '\n' ' ')" = "S S. . " ] && [ "$hf" = "$gf" ]; then
		pass "kernels: the handshake has the host's shape on $g (S, S., . and the same flags after)"
	else
		fail "kernels: the handshake has the host's shape on $g (S, S., . and the same flags after)" "host: $(echo $hf)
guest: $(echo $gf)"
	fi
	# The handshake chapter's claims, judged on the guest's observations:
	# none may differ or be invalid there (a claim the author marked as
	# varying between kernels may vary).
	c=$R/01-handshake/claims.txt
	# (read by the checker's own reader: claims -l)
	bad=$("$BIN/claims" -l "$c" 2>/dev/null | cut -f1,2 | grep -vE '^(confirmed|varies)'$'\t')
	nconf=$("$BIN/claims" -l "$c" 2>/dev/null | cut -f1 | grep -cx confirmed)
	if [ -f "$c" ] && [ -z "$bad" ] && [ "${nconf:-0}" -gt 0 ]; then
		pass "kernels: the handshake chapter's claims hold on $g ($nconf confirmed)"
	else
		fail "kernels: the handshake chapter's claims hold on $g" "${bad:-no claims.txt or none confirmed}"
	fi
done
t=$G/kernels/compare.txt
if grep -q '^what changed between kernels, by cause (host' "$t" && grep -q '<h1>What changed between kernels</h1>' "$G/html/kernels.html" &&
	for g in $GUESTS; do grep -q "$(cat "$BUILD/kernels/cache/$g/release")" "$G/html/kernels.html" || exit 1; done; then
	pass "kernels: the matrix of host and $GUESTS is compared by cause"
else
	fail "kernels: the matrix of host and $GUESTS is compared by cause" "$(head -30 "$t")"
fi
