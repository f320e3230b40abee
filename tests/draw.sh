#!/usr/bin/env bash
# tests/draw.sh: the ladder (code/draw/) on recorded timelines, then
# properties of every diagram this build drew.
#
# The table (tests/TESTLIST, suite draw): INPUT a timeline.txt under
# tests/draw/cases/, EXPECTED what `ladder OPTIONS INPUT` printed, then its
# standard error and exit status when there are any (see got() below). With
# -t the ladder prints its model (which program each packet is drawn on);
# without, the SVG itself. The cases: timelines recorded by
# tests/draw/record.sh from tests/draw/multi.md (three clients of one
# server; one client with two connections), copies of chapter runs
# (handshake, refused6 on IPv6, together, reuseaddr with three programs,
# sigpipe), waits (chapter 1 as the instruments' harness records it, with
# lab.h's waits, a LISTEN socket's queue and a "; while" on the snapshots,
# plus a harness line added by hand), lost-syn, keepalive and crossing (the
# wire's chapters 16, 19 and 13 as its harness records them: a SYN and
# keepalives dropped by the wire, a 200 ms link between two namespaces),
# and hand-made ones: markers (refused6 with a dropped SYN sent
# again 1 s later, an injected RST and a failure marked expected),
# weird (markup, a control byte and broken UTF-8 in a call; a line that is
# not TCP; a 3.5 s gap), malformed (a line that is not a timeline's).
. "$(dirname "$0")/lib.sh"

if [ ! -x "$BIN/ladder" ]; then
	fail "draw: build" "$BIN/ladder missing: run make tools"
	exit 0
fi

# got NAME INPUT EXPECTED OPTIONS...: one case of the table.
got() {
	local name=$1 input=$2 expected=$3
	shift 3
	golden_run "draw $name" "$expected" "$BIN/ladder" "$@" "$input"
}
run_table draw got

# well_formed FILE...: each parses as XML and has its cut points (svg.h).
well_formed() {
	/usr/bin/python3 - "$@" <<'PY'
import json, sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
        meta = json.loads(root.find(NS + "metadata").text)
        rows = meta["rows"]
        ids = [g.get("id") for g in root.iter(NS + "g") if (g.get("id") or "").startswith("r")]
        assert root.find(".//" + NS + "g[@id='head']") is not None, "no head"
        assert ids == ["r%d" % i for i in range(len(rows))], "rows and groups disagree"
        assert all(a <= b for a, b in rows), "a row ends before it begins"
        assert all(rows[i][1] <= rows[i + 1][0] for i in range(len(rows) - 1)), "rows overlap"
        assert rows == [] or rows[-1][1] <= meta["height"], "a row below the picture"
    except Exception as e:
        print(f"{path}: {e}")
PY
}

s=$(scratch)
out=$(well_formed tests/draw/golden/*.svg)
if [ -z "$out" ]; then pass "draw: every golden SVG is well-formed, with cut points between whole rows"
else fail "draw: every golden SVG is well-formed, with cut points between whole rows" "$out"; fi

# -o writes the file only when it changes, and nothing on an error.
"$BIN/ladder" -o "$s/l.svg" tests/draw/cases/two.timeline && touch -d '2000-01-01' "$s/l.svg" &&
	"$BIN/ladder" -o "$s/l.svg" tests/draw/cases/two.timeline
if [ "$(stat -c %Y "$s/l.svg")" = "$(date -d 2000-01-01 +%s)" ]; then pass "draw: -o leaves an unchanged diagram alone"
else fail "draw: -o leaves an unchanged diagram alone" "rewritten"; fi
"$BIN/ladder" -o "$s/bad.svg" tests/draw/cases/malformed.timeline 2>/dev/null
if [ $? -eq 1 ] && [ ! -e "$s/bad.svg" ]; then pass "draw: a malformed timeline writes no diagram"
else fail "draw: a malformed timeline writes no diagram" "$(ls "$s")"; fi
"$BIN/ladder" -o "$s/x.svg" 2>"$s/usage"
if [ $? -eq 2 ] && grep -q '^usage: ladder' "$s/usage"; then pass "draw: usage"
else fail "draw: usage" "$(cat "$s/usage")"; fi

# -d draws every experiment of a run directory (the guests' runs too).
mkdir -p "$s/run/a" "$s/run/b" "$s/run/c"
cp tests/draw/cases/two.timeline "$s/run/a/timeline.txt"
cp tests/draw/cases/three.timeline "$s/run/b/timeline.txt"
"$BIN/ladder" -d "$s/run" 2>"$s/d.err"; rc=$?
"$BIN/ladder" tests/draw/cases/three.timeline >"$s/three.svg" 2>/dev/null
if [ $rc -eq 0 ] && [ -s "$s/run/a/ladder.svg" ] && cmp -s "$s/three.svg" "$s/run/b/ladder.svg" && [ ! -e "$s/run/c/ladder.svg" ]; then
	pass "draw: -d draws each experiment of a run directory"
else fail "draw: -d draws each experiment of a run directory" "exit $rc: $(cat "$s/d.err")"; fi
cp tests/draw/cases/malformed.timeline "$s/run/c/timeline.txt"
"$BIN/ladder" -d "$s/run" 2>"$s/d.err"; rc=$?
if [ $rc -eq 1 ] && grep -q "c/timeline.txt:3:1: error:" "$s/d.err" && [ -s "$s/run/a/ladder.svg" ]; then
	pass "draw: -d says which timeline failed and draws the others"
else fail "draw: -d says which timeline failed and draws the others" "exit $rc: $(cat "$s/d.err")"; fi

# Every diagram of this build: well-formed, and one per experiment that ran.
svgs=() missing=()
for t in "$BUILD"/run/*/*/timeline.txt; do
	[ -f "$t" ] || continue
	d=$(dirname "$t")
	if [ -f "$d/ladder.svg" ]; then svgs+=("$d/ladder.svg"); else missing+=("${d#"$BUILD"/run/}"); fi
done
if [ ${#svgs[@]} -eq 0 ] && [ ${#missing[@]} -eq 0 ]; then
	skip "draw: the book's diagrams" "no experiment has run in $BUILD"
else
	if [ ${#missing[@]} -eq 0 ]; then pass "draw: a diagram for each of the ${#svgs[@]} experiments that ran"
	else fail "draw: a diagram for each experiment that ran" "none for: ${missing[*]}"; fi
	# on its chapter's page and in its print part, placeholder or not
	absent=()
	for t in "$BUILD"/run/*/*/timeline.txt; do
		d=$(dirname "$t"); exp=$(basename "$d"); stem=$(basename "$(dirname "$d")")
		for page in "$BUILD/html/$stem.html" "$BUILD/print/$stem.html"; do
			[ -f "$page" ] || continue
			grep -qF "alt=\"ladder diagram of $exp\"" "$page" || absent+=("${page#"$BUILD"/}:$exp")
		done
	done
	if [ ${#absent[@]} -eq 0 ]; then pass "draw: every experiment's diagram is on its page and in the PDF's part"
	else fail "draw: every experiment's diagram is on its page and in the PDF's part" "missing: ${absent[*]}"; fi
	out=$(well_formed "${svgs[@]}")
	if [ -z "$out" ]; then pass "draw: the book's diagrams are well-formed"
	else fail "draw: the book's diagrams are well-formed" "$out"; fi
fi

# A diagram taller than a page goes to the PDF in slices (code/pdf/pdfbook.py):
# cut between whole rows, every row in exactly one slice, each slice within
# a page, the heads drawn again on every slice after the first.
out=$(cd code/pdf && /usr/bin/python3 - "$TOP/tests/draw/golden/three.svg" "$TOP/tests/draw/golden/weird.svg" <<'PY' 2>&1
import re, sys, xml.etree.ElementTree as ET
import pdfbook
NS = "{http://www.w3.org/2000/svg}"
tall, short = sys.argv[1:3]
parts = pdfbook.svg_slices(tall)
assert parts and len(parts) > 1, "the tall diagram is not sliced"
assert pdfbook.svg_slices(short) is None, "a diagram that fits a page is sliced"
seen = []
for k, (svg, w, h) in enumerate(parts):
    root = ET.fromstring(svg)
    scale = min(1.0, pdfbook.PAGE_WIDTH_MM / (w * pdfbook.MM_PER_PX))
    mm = h * pdfbook.MM_PER_PX * scale
    assert mm <= pdfbook.SLICE_MM + 0.5, f"slice {k + 1} is {mm:.0f} mm tall"
    seen += [g.get("id") for g in root if re.fullmatch(r"r\d+", g.get("id") or "")]
    uses = root.findall(NS + "use")
    assert (len(uses) == 1) == (k > 0), f"slice {k + 1}: {len(uses)} heads drawn again"
rows = [g.get("id") for g in ET.parse(tall).getroot() if re.fullmatch(r"r\d+", g.get("id") or "")]
assert seen == rows, "rows lost or drawn twice"
print("ok", len(parts))
PY
)
case $out in
ok*) pass "draw: a tall diagram is sliced for the PDF between whole rows (${out#ok } slices)" ;;
*) fail "draw: a tall diagram is sliced for the PDF between whole rows" "$out" ;;
esac
