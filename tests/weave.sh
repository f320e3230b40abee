#!/usr/bin/env bash
# tests/weave.sh: tests of build/bin/weave (or $BUILD/bin/weave).
#
# 1. Golden pages: the weave lines of tests/TESTLIST. tests/weave/NAME.md,
#    woven with its options (the fake run directory tests/weave/run/NAME)
#    in a copy of tests/weave, must give tests/weave/NAME.html
#    (`tests/regen weave` rewrites them). The inline style sheet is left
#    out, so that tuning tangle/weave/book.css does not touch the goldens.
# 2. Properties, in a scratch copy of the build layout (build/html,
#    build/run/STEM): placeholders filled and escaped, relative links,
#    the missing-output box, the error box, cross-references, output caps,
#    write-only-if-changed, the index page.
set -u
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
W=$BIN/weave
S=$(scratch)

if [ ! -x "$W" ]; then fail "weave is built" "$W is missing; run make $W"; exit 1; fi

# has NAME FILE FIXED-STRING: pass if FILE contains the string.
has() {
	if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "'$3' not found in $2"; fi
}
# anchors_ok NAME FILE: pass if FILE's ids are unique and every in-page
# link (href="#...") lands on one of them.
anchors_ok() {
	local ids dups dangling
	ids=$(grep -o ' id="[^"]*"' "$2" | sed 's/ id="//; s/"$//' | sort)
	dups=$(printf '%s\n' "$ids" | uniq -d)
	dangling=$(grep -o 'href="#[^"]*"' "$2" | sed 's/href="#//; s/"$//' | sort -u | while read -r a; do
		printf '%s\n' "$ids" | grep -qxF -- "$a" || echo "$a"; done)
	if [ -z "$dups" ] && [ -z "$dangling" ]; then pass "$1"
	else fail "$1" "duplicates: $dups; dangling: $dangling"; fi
}
# hasnt NAME FILE FIXED-STRING: pass if FILE does not contain the string.
hasnt() {
	if grep -qF -- "$3" "$2"; then fail "$1" "$(grep -nF -- "$3" "$2" | head -5)"; else pass "$1"; fi
}

# ---- 1. golden pages -------------------------------------------------------
mkdir -p "$S/g" && cp -R tests/weave/*.md tests/weave/run "$S/g/"
# weave_case NAME CHAPTER EXPECTED OPTIONS...: see tests/TESTLIST.
weave_case() {
	local n=$1 md=$2 want=$3
	shift 3
	if ! (cd "$S/g" && "$W" "$@" -o "$n.html" "${md##*/}") 2>"$S/g/$n.err"; then
		fail "golden page $n.html" "weave failed: $(cat "$S/g/$n.err")"
		return
	fi
	sed '/^<style>$/,/^<\/style>$/d' "$S/g/$n.html" >"$S/g/$n.got"
	golden "golden page $n.html" "$want" "$S/g/$n.got"
}
run_table weave weave_case

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
has "<script> in code shown as text" $P '&lt;script&gt;alert(1)&lt;/script&gt;'
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
has "kernel, date, distribution, compiler, libpcap at the top" $P '<p class="built">Built on Linux 6.18.44 on 2026-11-25 15:40 UTC · Debian GNU/Linux 12 (bookworm) · gcc 12.2.0 · libpcap 1.10.3</p>'
has "provenance table: sysctls" $P '<td><code>net.ipv4.tcp_rmem</code> = <code>4096 131072 6291456</code></td>'
has "provenance table: distribution" $P '<tr><th>distribution</th><td>Debian GNU/Linux 12 (bookworm)</td></tr>'
has "provenance table" $P '<tr><th>compiler</th><td>gcc 12.2.0</td></tr>'
has "viewport meta" $P '<meta name="viewport" content="width=device-width, initial-scale=1">'
has "print CSS" $P '@media print'
has "title is the first heading's text" $P '<title>What does connect() do?</title>'
hasnt "warnings alone do not fail the page" $P 'This chapter failed to build'
hasnt "no external resources" $P '<link'

# every in-page link has a target, and ids are unique
anchors_ok "anchors unique and no link dangles" $P

# timeline and diagram placeholders
has "timeline: a <pre class=timeline>" $P '<pre class="timeline">'
has "timeline: a program's line, role in bold" $P '<span class="l prog">  <span class="t">0.000900</span>  <span class="who">client</span>   <span class="what">socket(AF_INET, SOCK_STREAM, 0) = 3</span>'
has "timeline: a packet line" $P '<span class="l wire">  <span class="t">0.001100</span>'
has "timeline: socket states" $P '<span class="l sock">'
has "timeline: the step's socket header" $P '<span class="l sock step">'
has "timeline: a reset is red" $P '<span class="l wire bad">  <span class="t">0.001200</span>'
has "timeline: a failed call is red" $P '<span class="l prog bad">  <span class="t">0.001300</span>'
has "timeline: a death by signal is red" $P '<span class="l prog bad">  <span class="t">0.003000</span>'
has "timeline: <script> shown as text" $P 'connect(fd, &quot;&lt;script&gt;alert(3)&lt;/script&gt;&quot;, 16)'
has "timeline: & and <> escaped" $P 'LISTEN &amp; &lt;more&gt;'
has "timeline: missing file, the did-not-run box" $P "no output: experiment 'never-ran' did not run in this build"
has "diagram: an image, link relative to the page" $P '<img src="../run/demo/handshake/ladder.svg" alt="ladder diagram of handshake"'
# Without a diagram placeholder, the experiment's diagram follows its first
# trace, timeline or output placeholder, once.
sed '/^```diagram handshake$/,/^```$/d' chapters/demo.md >chapters/nodiagram.md
"$W" --run build/run/demo -o build/html/nodiagram.html chapters/nodiagram.md
n=$(grep -c '<figure class="diagram">' build/html/nodiagram.html)
first=$(grep -n -m1 '<div class="run trace">\|<div class="run timeline">\|<div class="run output">' build/html/nodiagram.html | cut -d: -f1)
fig=$(grep -n -m1 '<figure class="diagram">' build/html/nodiagram.html | cut -d: -f1)
next=$(awk -v f="${fig:-0}" 'NR > f && /<div class="run /{ print NR; exit }' build/html/nodiagram.html)
if [ "$n" = 1 ] && [ -n "$first" ] && [ "${fig:-0}" -gt "$first" ] && [ -n "$next" ] && [ "$next" -gt "$fig" ]; then
	pass "diagram: an experiment without a placeholder gets one, after its first output"
else
	fail "diagram: an experiment without a placeholder gets one, after its first output" "figures: $n, first output line ${first:-none}, figure line ${fig:-none}, next output line ${next:-none}"
fi
has "diagram: in a figure with a caption" $P '<figcaption>Ladder diagram of experiment <a href="#experiment-handshake">handshake</a>'
n=$(grep -c "no output: experiment 'never-ran' did not run in this build" $P)
if [ "$n" = 4 ]; then pass "diagram and timeline of an experiment that did not run: missing boxes"
else fail "diagram and timeline of an experiment that did not run: missing boxes" "$n boxes"; fi
trace_bad=$(grep -c '<span class="l bad">00:00.000010 IP 127.0.0.1.9 &gt;' $P)
if [ "$trace_bad" = 1 ]; then pass "trace: the reset is marked"; else fail "trace: the reset is marked"; fi

# claims, one per result
has "claims: confirmed" $P '<li class="claim confirmed" id="claim-72"><span class="verdict">✓ confirmed on this kernel</span>'
has "claims: sentence as inline Markdown, joined over lines" $P '<span class="sentence">The SYN is answered with a reset, and <code>connect()</code> fails.</span>'
has "claims: checks of a confirmed claim in <details>" $P '<details class="checks"><summary>how it is checked</summary>'
has "claims: differs, in a box" $P '<li class="claim differs" id="claim-76"><span class="verdict">✗ this kernel differs</span>'
has "claims: differs shows the checks" $P '<pre class="checks">packet: 127.0.0.1.10 &gt; * Flags [R.]'
has "claims: differs shows what was observed, escaped" $P '<pre class="observed">IP 127.0.0.1.9 &gt; 127.0.0.1.&lt;p1&gt;: Flags [R.], seq 0, ack 2 &lt;script&gt;alert(4)&lt;/script&gt;'
has "claims: varies, labelled" $P '<li class="claim varies" id="claim-78"><span class="verdict">≈ differs on this kernel — the chapter expects this to vary between kernels</span>'
has "claims: (varies) not shown in the sentence" $P '<span class="sentence">The SYN offers window scaling.</span>'
has "claims: unchecked, with the reason, escaped" $P '<li class="claim unchecked" id="claim-80"><span class="verdict">not checked: no step &#39;done&#39; &amp; no &lt;sockets&gt; recorded</span>'
has "claims: raw HTML in a sentence is not passed through" $P "The client's sockets are"
has "claims: invalid, with the reason" $P '<li class="claim invalid" id="claim-82"><span class="verdict">✗ this claim cannot be checked</span>'
has "claims: invalid reason shown" $P "<p class=\"reason\">line 83: expected &#39;packet:&#39;"
has "claims: an item claims.txt does not report" $P '<li class="claim notrun" id="claim-84"><span class="verdict">not checked in this build</span>'
has "claims: the experiment links to its box" $P 'What the chapter expects of experiment <a href="#experiment-handshake">handshake</a>, checked on this build'
hasnt "claims: no <script> from claims.txt" $P '<script>alert(4)'
"$W" --run build/run/broken -o "$S/noclaims.html" chapters/demo.md
has "claims: without claims.txt, listed as not checked" "$S/noclaims.html" '<li class="claim notrun" id="claim-72"><span class="verdict">not checked in this build</span>'
has "claims: without claims.txt, the block says so" "$S/noclaims.html" 'handshake</a> — not checked in this build'

# syntax highlighting, and the <<ref>> links kept
has "highlighting: source-highlight spans in C code" $P '<span class="hl-keyword">return</span>'
has "highlighting: the block is marked" $P '<code class="language-c highlighted">'
has "highlighting: <<ref>> links kept in highlighted code" $P '    <a class="ref" href="#chunk-connect_20it">&lt;&lt;connect it&gt;&gt;</a>'
hasnt "highlighting: no span class=normal" $P 'class="normal"'
hasnt "highlighting: the sentinel never shows" $P 'WEAVE_SPLIT'
hasnt "highlighting: a sh block is not highlighted as C" $P '<code class="language-sh highlighted">'
WEAVE_HIGHLIGHTER=/nonexistent/source-highlight "$W" --run build/run/demo -o "$S/plain.html" chapters/demo.md 2>"$S/plain.err"
has "no highlighter: a warning" "$S/plain.err" "weave: warning: cannot run '/nonexistent/source-highlight'; code is shown without highlighting"
hasnt "no highlighter: plain code" "$S/plain.html" '<span class="hl-'
has "no highlighter: code escaped" "$S/plain.html" 'puts(&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;);'
has "no highlighter: <<ref>> links" "$S/plain.html" '<a class="ref" href="#chunk-connect_20it">&lt;&lt;connect it&gt;&gt;</a>'
WEAVE_HIGHLIGHTER=false "$W" --run build/run/demo -o "$S/false.html" chapters/demo.md 2>"$S/false.err"
has "a failing highlighter: a warning" "$S/false.err" "weave: warning: 'false' failed"
hasnt "a failing highlighter: plain code" "$S/false.html" '<span class="hl-'
# one highlighter per page, and a page is quick to weave
printf '#!/bin/sh\necho run >>"%s/hl.log"\nexec source-highlight "$@"\n' "$S" >"$S/hl.sh" && chmod +x "$S/hl.sh"
WEAVE_HIGHLIGHTER=$S/hl.sh "$W" --run build/run/demo -o "$S/x1.html" chapters/demo.md
count=$(wc -l <"$S/hl.log")
if [ "$count" = 1 ]; then pass "one highlighter run per page"; else fail "one highlighter run per page" "$count runs"; fi
t0=$(date +%s%N); "$W" --run build/run/demo -o "$S/x2.html" chapters/demo.md; t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
if [ $ms -lt 500 ]; then pass "a page is woven in ${ms} ms"; else fail "a page is woven in under 500 ms" "${ms} ms"; fi

# prev/next from chapter paths
"$W" --run build/run/demo --prev chapters/broken.md --next chapters/nonesuch.md -o "$S/nav.html" chapters/demo.md 2>"$S/nav.err"
has "prev from a .md path: STEM.html" "$S/nav.html" '<a rel="prev" href="broken.html">A chapter whose build failed</a>'
has "next from a missing .md path: STEM.html, the stem as title" "$S/nav.html" '<a rel="next" href="nonesuch.html">nonesuch</a>'
has "a missing neighbour is a warning" "$S/nav.err" "weave: warning: cannot open 'chapters/nonesuch.md'"
"$W" --run build/run/demo --prev 00-x.html --next 02-y.html -o "$S/nav2.html" chapters/demo.md
has "prev as a URL still works" "$S/nav2.html" '<a rel="prev" href="00-x.html">00-x.html</a>'

# the error box
"$W" --run build/run/broken -o build/html/broken.html chapters/broken.md
has "error box shown" build/html/broken.html '<h2>This chapter failed to build</h2>'
has "failed page: the body is marked" build/html/broken.html '<body class="chapter build-failed">'
has "failed page: the rest still renders" build/html/broken.html '<h1>A chapter whose build failed</h1>'
n=$(grep -c "no output: experiment 'never' did not run in this build" build/html/broken.html)
if [ "$n" = 3 ]; then pass "failed page: trace, timeline and diagram did not run"
else fail "failed page: trace, timeline and diagram did not run" "$n boxes"; fi
has "failed page: its claims are listed as not checked" build/html/broken.html '<li class="claim notrun" id="claim-23">'
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
has "index links to the claims appendix" $I '<a href="claims.html">Claims on this build</a>'
has "index links to the single page" $I '<a href="book.html">The whole book on one page</a>'
has "index links to the PDF" $I '<a href="../book.pdf">The book as a PDF</a>'
"$W" --index --pdf book.pdf -o "$S/index2.html" chapters/demo.md
has "index: --pdf sets the PDF's link" "$S/index2.html" '<a href="book.pdf">The book as a PDF</a>'

# the single page: every chapter, ids prefixed and unique, links resolve
"$W" --single --run-root build/run -o build/html/book.html chapters/demo.md chapters/broken.md
B1=build/html/book.html
has "single: title page" $B1 '<h1 class="book-title">'
has "single: contents link to each chapter" $B1 '<li><a href="#demo">What does connect() do?</a></li>'
has "single: failed chapter marked in the contents" $B1 '<a href="#broken">A chapter whose build failed</a> <span class="badge">failed to build</span>'
has "single: chapter sections" $B1 '<article class="chapter" id="demo">'
has "single: ids prefixed with the stem" $B1 'id="demo.chunk-connect_20it"'
has "single: in-chapter links prefixed" $B1 '<a class="ref" href="#demo.chunk-connect_20it">'
has "single: claims prefixed" $B1 '<li class="claim confirmed" id="demo.claim-72">'
has "single: placeholders filled" $B1 '<pre class="timeline">'
has "single: the failed chapter's error box" $B1 '<h2>This chapter failed to build</h2>'
has "single: the claims appendix" $B1 '<section class="appendix" id="claims-appendix">'
has "single: the appendix links in the page" $B1 'href="#demo.claim-76">The reset comes from port 10.</a>'
has "single: provenance" $B1 '<section class="colophon" id="provenance">'
has "single: highlighted code" $B1 '<span class="hl-keyword">return</span>'
anchors_ok "single: ids unique and no link dangles" $B1
cp chapters/demo.md chapters/demo2.md
cp -R build/run/demo build/run/demo2
"$W" --single --run-root build/run -o "$S/book2.html" chapters/demo.md chapters/demo2.md
dups=$(grep -o ' id="[^"]*"' "$S/book2.html" | sort | uniq -d)
if [ -z "$dups" ] && grep -qF 'id="demo2.chunk-connect_20it"' "$S/book2.html"; then
	pass "single: two chapters with the same chunks and claims keep ids unique"
else fail "single: two chapters with the same chunks and claims keep ids unique" "$dups"; fi
rm -rf chapters/demo2.md build/run/demo2
has "single: A4 pages with numbers" $B1 '@bottom-center { content: counter(page)'
has "single: contents with page numbers" $B1 "target-counter(attr(href), page)"

# the book for print, in parts (code/pdf/pdfbook.py joins their PDFs): together
# the parts hold exactly the single page's body, each part a page of its own
"$W" --print --run-root build/run -o build/print chapters/demo.md chapters/broken.md
for f in front demo broken back; do
	if [ -s build/print/$f.html ]; then pass "print: part $f.html written"
	else fail "print: part $f.html written" "$(ls build/print 2>&1)"; fi
done
body() { sed -n '/^<body/,/^<\/body>/p' "$1" | sed '1d;$d'; }
for f in front demo broken back; do body build/print/$f.html; done >"$S/parts.body"
body $B1 >"$S/single.body"
expect_same "print: the parts together are the single page's body" "$S/single.body" "$S/parts.body"
has "print: a part is marked for the print CSS" build/print/demo.html '<body class="single print-part">'
has "print: the contents count on the assembly for page numbers" build/print/front.html 'counter(toc-page)'
touch -d '2000-01-01' build/print/demo.html
"$W" --print --run-root build/run -o build/print chapters/demo.md chapters/broken.md
if [ "$(stat -c %Y build/print/demo.html)" = "$(date -d 2000-01-01 +%s)" ]; then
	pass "print: an unchanged part is not rewritten"
else fail "print: an unchanged part is not rewritten" "build/print/demo.html was rewritten"; fi
cp chapters/demo.md chapters/front.md
if "$W" --print --run-root build/run -o "$S/print2" chapters/front.md 2>"$S/front.err"; then
	fail "print: a chapter named like a part is refused" "exit 0"
else has "print: a chapter named like a part is refused" "$S/front.err" "chapter 'chapters/front.md' is named like a part"; fi
rm -f chapters/front.md

# the claims appendix
printf '# A chapter without claims\n\nProse only.\n' >chapters/plain.md
"$W" --appendix --run-root build/run -o build/html/claims.html chapters/demo.md chapters/broken.md chapters/plain.md
A=build/html/claims.html
has "appendix: a claim links to its chapter page" $A '<a class="sentence" href="demo.html#claim-72">The SYN is answered with a reset, and <code>connect()</code> fails.</a>'
has "appendix: result shown" $A '<li class="claim differs"><span class="verdict">✗ this kernel differs</span>'
has "appendix: observed lines of a differing claim, escaped" $A '&lt;script&gt;alert(4)&lt;/script&gt;'
has "appendix: summary counts" $A '<td class="n confirmed">1</td><td class="n differs">1</td><td class="n varies">1</td><td class="n unchecked">1</td><td class="n invalid">1</td><td class="n notrun">2</td>'
has "appendix: a chapter without claims" $A 'This chapter makes no claims.'
has "appendix: a chapter not checked" $A 'No claims were checked for this chapter in this build'
hasnt "appendix: no <script>" $A '<script'
n=$(grep -c '<li class="claim ' $A)
if [ "$n" = 8 ]; then pass "appendix: lists every claim (8)"; else fail "appendix: lists every claim (8)" "$n"; fi
dangling=$(grep -o 'href="demo.html#[^"]*"' $A | sed 's/href="demo.html#//; s/"$//' | while read -r a; do
	grep -qF " id=\"$a\"" $P || echo "$a"; done)
if [ -z "$dangling" ]; then pass "appendix: every link lands on a claim of the chapter page"
else fail "appendix: every link lands on a claim of the chapter page" "$dangling"; fi

# command line
st=0; "$W" -o "$S/x.html" chapters/nonexistent.md 2>"$S/e" || st=$?
if [ $st = 1 ] && grep -q "^weave: cannot open 'chapters/nonexistent.md': No such file or directory$" "$S/e"
then pass "a missing chapter is reported"; else fail "a missing chapter is reported" "status $st: $(cat "$S/e")"; fi
st=0; "$W" chapters/demo.md 2>/dev/null || st=$?
if [ $st = 2 ]; then pass "usage error exits 2"; else fail "usage error exits 2" "status $st"; fi

# ---- the book-wide table (table NAME: RUNROOT/NAME.tsv) ----------------------
T=$S/table
mkdir -p "$T/chapters" "$T/build/html" "$T/build/run/14-table"
cat >"$T/chapters/14-table.md" <<'MD'
# A table

```table calls
```

```table nothing
```
MD
printf 'call\tstate before\tresult\tpackets while it ran\tseen in\n' >"$T/build/run/calls.tsv"
printf 'send <script>\tCLOSE_WAIT\t> 0\t> [P.] < [R]\t05-client-send/send, 05-client-send/again, 07-sigpipe/default\n' >>"$T/build/run/calls.tsv"
(cd "$T" && "$W" --run build/run/14-table -o build/html/14-table.html chapters/14-table.md) 2>"$T/err"
P=$T/build/html/14-table.html
has "table: header row" "$P" '<th>packets while it ran</th>'
has "table: cells escaped" "$P" '<td>send &lt;script&gt;</td>'
hasnt "table: no raw <script>" "$P" '<script>'
has "table: packets escaped" "$P" '&gt; [P.] &lt; [R]'
has "table: a chapter linked once, by its number" "$P" '<a href="05-client-send.html" title="05-client-send">05</a>, <a href="07-sigpipe.html"'
has "table: a table the build did not make is a missing box" "$P" 'the build made no such table'
printf '# Bad tables\n\n```table\n```\n\n```table ../x\n```\n' >"$T/chapters/15-bad.md"
"$BIN/tangle" -o "$T/out" "$T/chapters/15-bad.md" 2>"$T/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "15-bad.md:3:1: error: 'table' placeholder takes 1 argument" "$T/err" &&
   grep -q "15-bad.md:6:1: error: bad table name '../x'" "$T/err"; then
	pass "table: tangle names a table without a name, or with a bad one"
else fail "table: tangle names a table without a name, or with a bad one" "rc=$rc $(cat "$T/err")"; fi
exit 0
