#!/usr/bin/env bash
# tests/printer.sh: pcap2txt (code/print/tcpprint.c) against the real tcpdump.
#
# The oracle is `tcpdump -n` itself, run now on the same file: for every
# capture in tests/printer/*.pcap (made by tests/printer/make-pcaps.sh) and
# every capture the book's experiments left under $BUILD/run/, and for each
# time format, pcap2txt's output must equal tcpdump's byte for byte. TZ is
# fixed so the absolute times agree. Then the failure cases: a file that is
# not a pcap, a missing file, and a pcap of random packets (must not crash).
#
#   mode     pcap2txt   tcpdump
#   abs      (none)     -n
#   t        -t         -n -t
#   ttttt    -ttttt     -n -ttttt
#   nano     --nano     -n --nano          (captures with "nano" in the name)
. "$(dirname "$0")/lib.sh"
export TZ=UTC

tmp=$(scratch)
if [ -z "$tmp" ] || [ ! -d "$tmp" ]; then
	fail "printer: scratch" "no scratch directory"
	exit 1
fi
if [ ! -x "$BIN/pcap2txt" ]; then
	fail "printer: build" "$BIN/pcap2txt missing: run make build/bin/pcap2txt"
	exit 0
fi
if ! command -v tcpdump >/dev/null; then
	fail "printer: tcpdump" "tcpdump not installed: it is the oracle"
	exit 0
fi

# same NAME FILE OPTIONS...: pcap2txt and tcpdump agree on FILE
same() {
	local name=$1 file=$2
	shift 2
	tcpdump -n "$@" -r "$file" >"$tmp/expected" 2>/dev/null
	if ! "$BIN/pcap2txt" "$@" "$file" >"$tmp/actual" 2>"$tmp/stderr"; then
		fail "$name" "pcap2txt exited $?: $(cat "$tmp/stderr")"
		return
	fi
	if [ ! -s "$tmp/expected" ]; then
		fail "$name" "tcpdump printed nothing for $file"
		return
	fi
	expect_same "$name" "$tmp/expected" "$tmp/actual"
}

pcaps=("$TOP"/tests/printer/*.pcap)
if [ -d "$BUILD/run" ]; then
	while IFS= read -r f; do pcaps+=("$f"); done \
		< <(find "$BUILD/run" -name '*.pcap' -size +24c | sort)
fi
for f in "${pcaps[@]}"; do
	name=${f#"$TOP"/}
	same "printer: $name abs" "$f"
	same "printer: $name -t" "$f" -t
	same "printer: $name -ttttt" "$f" -ttttt
	case $name in
	*nano*) same "printer: $name --nano" "$f" --nano ;;
	esac
done

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
