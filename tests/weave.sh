#!/usr/bin/env bash
# tests/weave.sh: tests of build/bin/weave (or $BUILD/bin/weave).
#
# 1. Golden pages: tests/weave/NAME.md woven with the fake run directory
#    tests/weave/run/NAME must give tests/weave/NAME.html (regenerate with
#    tests/weave/regen.sh).
# 2. Properties, in a scratch copy of the build layout (build/html,
#    build/run/STEM): placeholders filled and escaped, relative links,
#    the missing-output box, the error box, cross-references, output caps,
#    write-only-if-changed, the index page.
set -u
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
W=$BIN/weave
# Not S=$(scratch): its EXIT trap would fire when the subshell exits.
S=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-test.XXXXXX") || exit 1
trap 'rm -rf "$S"' EXIT

if [ ! -x "$W" ]; then fail "weave is built" "$W is missing; run make $W"; exit 1; fi

# has NAME FILE FIXED-STRING: pass if FILE contains the string.
has() {
	if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "'$3' not found in $2"; fi
}
# hasnt NAME FILE FIXED-STRING: pass if FILE does not contain the string.
hasnt() {
	if grep -qF -- "$3" "$2"; then fail "$1" "$(grep -nF -- "$3" "$2" | head -5)"; else pass "$1"; fi
}

# ---- 1. golden pages -------------------------------------------------------
mkdir -p "$S/g" && cp -R tests/weave/*.md tests/weave/run "$S/g/"
for md in tests/weave/*.md; do
	n=$(basename "$md" .md)
	(cd "$S/g" && "$W" --run "run/$n" --tangled "../tangle/$n" --prev 00-prev.html \
		--prev-title 'Previous <chapter>' -o "$n.html" "$n.md")
	expect_same "golden page $n.html" "tests/weave/$n.html" "$S/g/$n.html"
done

# ---- 2. the build layout -----------------------------------------------------
B=$S/b
mkdir -p "$B/chapters" "$B/build/html" "$B/build/run"
cp tests/weave/demo.md tests/weave/broken.md "$B/chapters/"
cp -R tests/weave/run/demo tests/weave/run/broken "$B/build/run/"
cd "$B" || exit 1
"$W" --run build/run/demo -o build/html/demo.html chapters/demo.md
P=build/html/demo.html

has "trace placeholder filled" $P '00:00.000010 IP 127.0.0.1.9 &gt; 127.0.0.1.40000: Flags [R.]'
has "output placeholder: stdout" $P 'ECONNREFUSED (Connection refused)'
has "output placeholder: stderr, marked" $P '<div class="label">standard error</div>'
has "output placeholder: stderr escaped" $P 'client: warning &amp; &lt;stderr&gt;'
has "output placeholder: status" $P '<p class="status">exited 0</p>'
hasnt "the author's sample is replaced" $P "sample from the author"
hasnt "no <script> survives from output or code" $P '<script'
has "<script> in program output shown as text" $P '&lt;script&gt;document.write(&quot;x&quot;)&lt;/script&gt;'
has "<script> in code shown as text" $P 'puts(&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;);'
hasnt "raw HTML in prose is not passed through" $P '<b>raw html</b>'
has "pcap link relative to the page" $P 'href="../run/demo/handshake/trace.pcap"'
has "file= header links the tangled file" $P 'href="../tangle/demo/client.c">client.c</a>'
has "missing-output box" $P "no output: experiment 'never-ran' did not run in this build"
has "the author's sample kept in a details box" $P 'a sample &lt;b&gt;shown&lt;/b&gt; only'
has "reference line links to its chunk" $P '<a class="ref" href="#chunk-connect_20it">&lt;&lt;connect it&gt;&gt;</a>'
has "chunk says where it is used" $P 'Used in <a href="#file-client_2Ec">client.c</a>'
has "chunk links its continuation" $P 'Continued in <a href="#chunk-connect_20it-2">'
has "continuation links back" $P 'Continues <a href="#chunk-connect_20it">'
has "non-ASCII chunk name gets an ASCII id" $P 'id="chunk-_C3_A9crire"'
has "experiment box" $P '<dt>capture</dt><dd><code>tcp port 9</code>'
has "plain block not linked" $P 'no links: &lt;&lt;not a ref&gt;&gt;'
has "kernel and date line" $P '<p class="built">Built on Linux 6.18.44 on 2026-11-25 15:40 UTC</p>'
has "provenance table" $P '<tr><th>compiler</th><td>gcc 12.2.0</td></tr>'
has "viewport meta" $P '<meta name="viewport" content="width=device-width, initial-scale=1">'
has "print CSS" $P '@media print'
has "title is the first heading's text" $P '<title>What does connect() do?</title>'
hasnt "warnings alone do not fail the page" $P 'This chapter failed to build'
hasnt "no external resources" $P '<link'

# every in-page link has a target, and ids are unique
ids=$(grep -o ' id="[^"]*"' $P | sed 's/ id="//; s/"$//' | sort)
dups=$(printf '%s\n' "$ids" | uniq -d)
dangling=$(grep -o 'href="#[^"]*"' $P | sed 's/href="#//; s/"$//' | sort -u | while read -r a; do
	printf '%s\n' "$ids" | grep -qxF -- "$a" || echo "$a"; done)
if [ -z "$dups" ] && [ -z "$dangling" ]; then pass "anchors unique and no link dangles"
else fail "anchors unique and no link dangles" "duplicates: $dups; dangling: $dangling"; fi

# the error box
"$W" --run build/run/broken -o build/html/broken.html chapters/broken.md
has "error box shown" build/html/broken.html '<h2>This chapter failed to build</h2>'
has "error box holds errors.txt, escaped" build/html/broken.html 'harness: b.c: compilation failed &lt;see above&gt;'
has "error box holds tangle's diagnostics" build/html/broken.html "chapters/broken.md:5:5: error: chunk &#39;missing piece&#39; is used but never defined"
has "undefined reference marked in code" build/html/broken.html '<span class="undefined" title="undefined chunk">&lt;&lt;missing piece&gt;&gt;</span>'
printf '' >build/run/demo/errors.txt
"$W" --run build/run/demo -o "$S/empty-errors.html" chapters/demo.md
hasnt "an empty errors.txt is no failure" "$S/empty-errors.html" 'This chapter failed to build'

# no run directory at all
"$W" -o "$S/norun/demo.html" chapters/demo.md
has "no run: missing box for the trace" "$S/norun/demo.html" "no output: experiment 'handshake' did not run in this build"
has "no run: this machine's kernel" "$S/norun/demo.html" "Built on Linux $(uname -r) on "

# output caps
mkdir -p build/run/big/handshake
cp chapters/demo.md chapters/big.md
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "line %05d of a long output <&>\n", i }' >build/run/big/handshake/client.stdout
"$W" --run build/run/big -o build/html/big.html chapters/big.md
size=$(wc -c <build/run/big/handshake/client.stdout)
shown=$(sed -n '/<pre class="stdout">/,/<\/pre>/p' build/html/big.html | grep -c '^line ')
if [ "$shown" -gt 1000 ] && [ "$shown" -lt 3000 ]; then pass "long output capped ($shown of 3000 lines)"
else fail "long output capped" "$shown lines shown"; fi
has "cap says how much more and where" build/html/big.html 'bytes more, see <a href="../run/big/handshake/client.stdout">client.stdout</a>)'
has "a role that did not finish still shows its output" build/html/big.html '<pre class="stdout">line 00000'
hasnt "capped output still escaped" build/html/big.html '<&>'

# write only if changed
touch -d '2001-01-01 00:00' $P
"$W" --run build/run/demo -o $P chapters/demo.md
if [ "$(stat -c %Y $P)" = "$(date -d '2001-01-01 00:00' +%s)" ]; then pass "unchanged page keeps its mtime"
else fail "unchanged page keeps its mtime"; fi

# the index
"$W" --index --run-root build/run -o build/html/index.html chapters/demo.md chapters/broken.md
I=build/html/index.html
has "index lists the first chapter" $I '<li><a href="demo.html">What does connect() do?</a></li>'
has "index marks the failed chapter" $I '<a href="broken.html">A chapter whose build failed</a> <span class="badge">failed to build</span>'
has "index build line from the first build-info" $I 'Built on Linux 6.18.44 on 2026-11-25 15:40 UTC'

# command line
st=0; "$W" -o "$S/x.html" chapters/nonexistent.md 2>"$S/e" || st=$?
if [ $st = 1 ] && grep -q "^weave: cannot open 'chapters/nonexistent.md': No such file or directory$" "$S/e"
then pass "a missing chapter is reported"; else fail "a missing chapter is reported" "status $st: $(cat "$S/e")"; fi
st=0; "$W" chapters/demo.md 2>/dev/null || st=$?
if [ $st = 2 ]; then pass "usage error exits 2"; else fail "usage error exits 2" "status $st"; fi
exit 0
