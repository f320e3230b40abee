# tests/site.sh: build/html/ is the site on its own. A copy of the folder
# alone, anywhere, has every file its pages link (diagrams, captures,
# tangled sources, the call table, the PDF): every local href and src of
# every page resolves inside the copy. Also: the site is woven as a whole,
# so each page's neighbours are right after a title changes or a chapter is
# added, and a deleted chapter leaves nothing behind.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
d=$(scratch)

# links_ok DIR: every local link of DIR/**/*.html resolves under DIR
links_ok() {
	local dir=$1 bad=0 n=0 page link target
	while IFS= read -r page; do
		while IFS= read -r link; do
			link=${link//&amp;/&}
			case $link in '' | '#'* | http:* | https:* | mailto:* | data:*) continue ;; esac
			link=${link%%#*}
			link=$(printf '%b' "${link//%/\\x}")
			target=$(cd "$(dirname "$page")" && realpath -m -- "$link")
			n=$((n + 1))
			case $target in "$dir"/*) ;; *) echo "$page: $link leaves the site"; bad=1; continue ;; esac
			[ -e "$target" ] || { echo "$page: $link: no such file"; bad=1; }
		done < <(grep -oE '(href|src)="[^"]*"' "$page" | sed -E 's/^(href|src)="(.*)"$/\2/')
	done < <(find "$dir" -name '*.html')
	echo "$n links"
	return $bad
}

if [ -s "$BUILD/html/index.html" ]; then
	cp -r "$BUILD/html" "$d/site"
	out=$(links_ok "$(realpath "$d/site")")
	if [ $? -eq 0 ] && ! printf '%s\n' "$out" | grep -q '^0 links$'; then pass "site: build/html/ copied alone resolves every local link ($(printf '%s\n' "$out" | tail -n 1))"
	else fail "site: build/html/ copied alone resolves every local link" "$(printf '%s\n' "$out" | head -n 20)"; fi
	for k in run/01-handshake/handshake/trace.pcap run/01-handshake/handshake/ladder.svg tangle/01-handshake/server.c book.pdf; do
		if [ -s "$d/site/$k" ]; then pass "site: the copy holds $k"
		else fail "site: the copy holds $k" "$(ls "$d/site" | head)"; fi
	done
else
	fail "site: the book is built" "$BUILD/html/index.html missing"
fi

# --- neighbours and deleted chapters, on a small book ----------------------------
C=$d/chapters B=$d/build
mkdir -p "$C"
cp chapters/01-handshake.md chapters/02-server-close.md chapters/03-server-send-after-close.md "$C/"
mk() { make --no-print-directory BUILD="$B" CHAPTER_DIR="$C" html 2>&1; }
next_of() { grep -o '<a rel="next" href="[^"]*">[^<]*</a>' "$B/html/$1.html" | head -n 1; }
prev_of() { grep -o '<a rel="prev" href="[^"]*">[^<]*</a>' "$B/html/$1.html" | head -n 1; }
mk >/dev/null
# a title renamed: the neighbours' links say the new title
sed -i '1s/.*/# 2. A title renamed by the test/' "$C/02-server-close.md"
mk >/dev/null
if [ "$(next_of 01-handshake)" = '<a rel="next" href="02-server-close.html">2. A title renamed by the test</a>' ] &&
   [ "$(prev_of 03-server-send-after-close)" = '<a rel="prev" href="02-server-close.html">2. A title renamed by the test</a>' ]; then
	pass "site: a renamed title is in both neighbours' links"
else fail "site: a renamed title is in both neighbours' links" "$(next_of 01-handshake) / $(prev_of 03-server-send-after-close)"; fi
# a chapter inserted: its neighbours link it
sed '1s/.*/# 2b. Inserted by the test/' chapters/01-handshake.md >"$C/02b-inserted.md"
mk >/dev/null
if [ "$(next_of 02-server-close)" = '<a rel="next" href="02b-inserted.html">2b. Inserted by the test</a>' ] &&
   [ "$(prev_of 03-server-send-after-close)" = '<a rel="prev" href="02b-inserted.html">2b. Inserted by the test</a>' ]; then
	pass "site: an inserted chapter is linked by both neighbours"
else fail "site: an inserted chapter is linked by both neighbours" "$(next_of 02-server-close) / $(prev_of 03-server-send-after-close)"; fi
# a chapter deleted: nothing of it anywhere in the build's outputs. The
# PDF's files beside the parts (code/pdf/pdfbook.py's, made here by hand:
# the test builds no PDF) stay through the weave, so that the next PDF
# renders only the parts that changed; the deleted chapter's goes with it.
mkdir -p "$B/print/fonts"
for f in 02-server-close.pdf 02b-inserted.pdf front.pdf back.pdf front.css stamp.pdf fonts/f.ttf; do : >"$B/print/$f"; done
rm "$C/02b-inserted.md"
mk >/dev/null
gone=
for f in 02-server-close.pdf front.pdf back.pdf front.css stamp.pdf fonts/f.ttf; do [ -e "$B/print/$f" ] || gone="$gone $f"; done
if [ -z "$gone" ]; then pass "site: the parts' PDFs and the PDF's own files stay beside the parts through a weave"
else fail "site: the parts' PDFs and the PDF's own files stay beside the parts through a weave" "removed:$gone"; fi
left=$(cd "$B" && { find . -path ./obj -prune -o -path ./bin -prune -o -name '*02b-inserted*' -print;
	grep -rl '02b-inserted' html print run 2>/dev/null; })
if [ -z "$left" ] && next_of 02-server-close | grep -q '^<a rel="next" href="03-server-send-after-close.html">3\. '; then
	pass "site: a deleted chapter leaves nothing behind"
else fail "site: a deleted chapter leaves nothing behind" "$left $(next_of 02-server-close)"; fi
# a prose edit runs nothing and rewrites only that chapter's files (its page,
# its part of the single page and of the PDF, and the claims appendix, which
# links its claims by line)
sed -i '0,/^$/s//\nA sentence added by the test.\n/' "$C/03-server-send-after-close.md"
out=$(mk)
if ! printf '%s\n' "$out" | grep -qE '^  (RUN|DRAW) ' &&
   [ "$(printf '%s\n' "$out" | grep '^  WEAVE ' | grep -v '03-server-send-after-close.html$' | grep -vE '/(book|claims|print/03-server-send-after-close|print/back)\.html$')" = "" ]; then
	pass "site: a prose edit runs nothing and rewrites that chapter's pages only"
else fail "site: a prose edit runs nothing and rewrites that chapter's pages only" "$out"; fi
