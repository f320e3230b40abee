#!/usr/bin/env bash
# tests/printer.sh: pcap2txt (code/print/tcpprint.c) against tcpdump.
#
# 1. Golden cases: the printer lines of tests/TESTLIST, one per capture in
#    tests/printer/*.pcap (made by tests/printer/make-pcaps.sh) and time
#    format. The expectation is what `tcpdump -n OPTIONS -r CAPTURE`
#    printed, committed in tests/printer/golden/, made with the tcpdump
#    named in tests/printer/golden/VERSION (4.99.3, Debian 12's);
#    pcap2txt with the same options must print it byte for byte. These run
#    without tcpdump. `tests/regen printer` remakes them with tcpdump, and
#    only with that version: the goldens are one version's output.
# 2. The live comparison: the same captures, and every capture the book's
#    experiments left under $BUILD/run/, printed now by the installed
#    tcpdump and by pcap2txt. Reported as skipped when tcpdump is absent or
#    is not the version of the goldens (other versions print some packets
#    differently; the goldens then still hold the printer to 4.99.3).
# 3. The failure cases: a file that is not a pcap, a missing file, and
#    captures of random packets (must not crash).
# TZ is fixed so the absolute times agree.
#
#   options   pcap2txt   tcpdump
#   (none)    (none)     -n
#   -t        -t         -n -t
#   -ttttt    -ttttt     -n -ttttt
#   --nano    --nano     -n --nano          (captures with "nano" in the name)
set -u
. "$(dirname "$0")/lib.sh"
export TZ=UTC
cd "$TOP" || exit 1

tmp=$(scratch)
if [ -z "$tmp" ] || [ ! -d "$tmp" ]; then
	fail "printer: scratch" "no scratch directory"
	exit 1
fi
if [ ! -x "$BIN/pcap2txt" ]; then
	fail "printer: build" "$BIN/pcap2txt missing: run make build/bin/pcap2txt"
	exit 0
fi

# The tcpdump the goldens were made with, and whether this machine's is it.
golden_version=$(head -n 1 tests/printer/golden/VERSION 2>/dev/null)
if ! command -v tcpdump >/dev/null; then
	live=0 why="tcpdump is not installed"
else
	have_version=$(tcpdump --version 2>&1 | head -n 1)
	if [ "$have_version" = "$golden_version" ]; then live=1
	else live=0 why="this machine has '$have_version', the goldens were made with '$golden_version'"; fi
fi
live_skipped=0

# live NAME FILE OPTIONS...: pcap2txt and the installed tcpdump agree on FILE
# ($tmp/actual already holds pcap2txt's output when $tmp/have is FILE).
live() {
	local name=$1 file=$2
	shift 2
	if [ $live = 0 ]; then live_skipped=$((live_skipped + 1)); return; fi
	tcpdump -n "$@" -r "$file" >"$tmp/expected" 2>/dev/null
	if [ ! -s "$tmp/expected" ]; then fail "$name" "tcpdump printed nothing for $file"; return; fi
	expect_same "$name" "$tmp/expected" "$tmp/actual"
}

# ---- 1. golden cases, then the live comparison of the same ----------------------
if [ "${TEST_REGEN:-}" = 1 ] && [ $live = 0 ]; then
	echo "tests/regen printer: $why" >&2
	echo "(to move them to another version, write its 'tcpdump --version' first line to tests/printer/golden/VERSION)" >&2
	exit 1
fi
# printer_case NAME CAPTURE EXPECTED [OPTIONS...]: see tests/TESTLIST.
printer_case() {
	local n=$1 pcap=$2 want=$3
	shift 3
	if [ "${TEST_REGEN:-}" = 1 ]; then
		tcpdump -n "$@" -r "$pcap" >"$tmp/expected" 2>/dev/null
		if [ ! -s "$tmp/expected" ]; then echo "tcpdump printed nothing for $pcap" >&2; exit 1; fi
		golden "printer: $n" "$want" "$tmp/expected"
		return
	fi
	if ! "$BIN/pcap2txt" "$@" "$pcap" >"$tmp/actual" 2>"$tmp/stderr"; then
		fail "printer: $n" "pcap2txt exited $?: $(cat "$tmp/stderr")"
		return
	fi
	golden "printer: $n" "$want" "$tmp/actual"
	live "printer: $n, live tcpdump" "$pcap" "$@"
}
run_table printer printer_case

# every capture in tests/printer/ has golden cases
missing=
for f in tests/printer/*.pcap; do
	grep -qE "^printer +[^ ]+ +${f#tests/} " tests/TESTLIST || missing="$missing${f#tests/} "
done
if [ -z "$missing" ]; then pass "printer: every tests/printer/*.pcap is in tests/TESTLIST"
else fail "printer: every tests/printer/*.pcap is in tests/TESTLIST" "not listed: $missing"; fi

# ---- 2. the live comparison on the book's own captures ----------------------------
if [ -d "$BUILD/run" ]; then
	while IFS= read -r f; do
		name=${f#"$BUILD"/}
		for opt in "" -t -ttttt; do
			if [ $live = 1 ] && ! "$BIN/pcap2txt" $opt "$f" >"$tmp/actual" 2>"$tmp/stderr"; then
				fail "printer: $name ${opt:-abs}" "pcap2txt exited $?: $(cat "$tmp/stderr")"
				continue
			fi
			live "printer: $name ${opt:-abs}, live tcpdump" "$f" $opt
		done
	done < <(find "$BUILD/run" -name '*.pcap' -size +24c | sort)
fi
if [ $live_skipped -gt 0 ]; then
	skip "printer: $live_skipped comparisons with the live tcpdump" "$why" $live_skipped
fi

# Not a pcap: exit 1 and a message that names the file.
printf 'this is not a capture file, just text\n' >"$tmp/garbage.pcap"
for f in "$tmp/garbage.pcap" "$tmp/missing.pcap"; do
	"$BIN/pcap2txt" "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "^pcap2txt: cannot open '$f': " "$tmp/err" &&
	   [ ! -s "$tmp/out" ]; then
		pass "printer: bad file $(basename "$f") exits 1"
	else
		fail "printer: bad file $(basename "$f") exits 1" \
			"exit $rc, stderr: $(cat "$tmp/err")"
	fi
done

# A valid pcap header and 500 packets of random bytes (fixed seed): every
# link type the printer knows, any caplen/len. It must not crash and must
# print exactly one line per packet.
python3 - "$tmp" <<'EOF'
import random, struct, sys
rnd = random.Random(20240611)
for lt in (1, 276, 113, 101, 228, 229, 0, 147):
    with open('%s/random-%d.pcap' % (sys.argv[1], lt), 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, lt))
        for i in range(500):
            n = rnd.choice([0, 1, 14, 20, 34, 40, 54, 60, 80, 200])
            n = rnd.randint(0, n)
            body = bytes(rnd.randrange(256) for _ in range(n))
            wire = rnd.choice([n, n + rnd.randint(0, 100), rnd.randint(0, n)])
            f.write(struct.pack('<IIII', rnd.randrange(2**32),
                                rnd.randrange(2**32), n, wire))
            f.write(body)
EOF
for f in "$tmp"/random-*.pcap; do
	name="printer: $(basename "$f") does not crash"
	"$BIN/pcap2txt" "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/out")
	if [ $rc -eq 0 ] && [ "$lines" -eq 500 ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, $lines lines: $(head -3 "$tmp/err")"
	fi
done
exit 0
