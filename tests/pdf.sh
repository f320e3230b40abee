#!/usr/bin/env bash
# tests/pdf.sh: the book's PDF, $BUILD/book.pdf, as code/pdf/pdfbook.py joins it
# from parts: its pages, its bookmarks, its contents' page numbers against
# the pages where the chapters really start, and the number in every page's
# footer. The chapters are the ones $BUILD/html/index.html lists. Needs the
# book built (make); a missing PDF is a failure, not a skip.
set -u
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
PDF=$BUILD/book.pdf
INDEX=$BUILD/html/index.html
S=$(scratch)

if [ ! -s "$PDF" ]; then fail "the PDF exists" "$PDF is missing; run make"; exit 1; fi
pass "the PDF exists"
if [ ! -s "$INDEX" ]; then fail "the index exists" "$INDEX is missing; run make"; exit 1; fi

# The chapters' titles, in book order, from the index (HTML unescaped).
/usr/bin/python3 - "$INDEX" >"$S/titles" <<'EOF'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
ol = re.search(r'<ol class="chapters">(.*?)</ol>', page, re.S).group(1)
for t in re.findall(r'<li><a href="[^"]*">(.*?)</a>', ol):
    print(html.unescape(re.sub(r"<[^>]*>", "", t)))
EOF
nch=$(wc -l <"$S/titles")
if [ "$nch" -gt 0 ]; then pass "the index lists chapters ($nch)"
else fail "the index lists chapters" "none in $INDEX"; exit 1; fi

pages=$(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages:/ { print $2 }')
if [ -n "$pages" ] && [ "$pages" -gt "$nch" ]; then pass "more pages ($pages) than chapters ($nch)"
else fail "more pages than chapters" "pdfinfo says '${pages:-nothing}' pages for $nch chapters"; fi

# The text of every page, pages separated by form feeds.
pdftotext -layout "$PDF" "$S/text" 2>"$S/pdftotext.err"
if [ -s "$S/text" ]; then pass "pdftotext reads the PDF"
else fail "pdftotext reads the PDF" "$(head -5 "$S/pdftotext.err")"; exit 1; fi

# The rest is checked in one go; each line printed is "pass<TAB>NAME" or
# "fail<TAB>NAME<TAB>DETAIL".
/usr/bin/python3 - "$PDF" "$S/titles" "$S/text" >"$S/verdicts" 2>&1 <<'EOF'
import re, sys
import pikepdf

pdf_path, titles_path, text_path = sys.argv[1:4]
titles = open(titles_path, encoding="utf-8").read().splitlines()
pages = open(text_path, encoding="utf-8").read().split("\f")
if pages and not pages[-1].strip():
    pages.pop()                         # after the last form feed
flat = [" ".join(p.split()) for p in pages]

def verdict(ok, name, detail=""):
    print(f"pass\t{name}" if ok else f"fail\t{name}\t{detail}")

# Bookmarks: every chapter at the top level, with its sections under it,
# pointing at the page it starts on; the appendix too.
pdf = pikepdf.open(pdf_path)
verdict(len(pdf.pages) == len(pages), "pdftotext sees every page",
        f"{len(pages)} pages of text for {len(pdf.pages)} pages")
index = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
top = {}
with pdf.open_outline() as outline:
    for item in outline.root:
        dest = item.destination
        page = index.get(dest[0].objgen) if isinstance(dest, pikepdf.Array) else None
        top[" ".join(item.title.split())] = (page, len(item.children))
for t in titles:
    page, nsec = top.get(t, (None, 0))
    verdict(page is not None, f"bookmark for '{t}'",
            "not among the top-level bookmarks: " + "; ".join(top))
    verdict(nsec > 0, f"bookmarks for the sections of '{t}'", "none under it")
verdict("Claims on this build" in top, "bookmark for the claims appendix",
        "; ".join(top))

# The contents: the page number printed after each title (after the dot
# leader) is the page the chapter starts on: its running head (the page's
# first line) and its heading both give the title, and the previous page's
# running head does not (it belongs to the chapter before, or to the
# contents).
# The contents may run over several pages; only the first starts with
# "Contents", the next ones go on with dot leaders.
toc = [i for i, p in enumerate(flat) if p.startswith("Contents")][:1]
while toc and toc[-1] + 1 < len(flat) and re.match(r"\S.*? ?\.{3,} ?\d+", flat[toc[-1] + 1]):
    toc.append(toc[-1] + 1)
verdict(bool(toc), "a contents page", "no page starts with 'Contents'")
toc_text = " ".join(flat[i] for i in toc)
for t in titles:
    m = re.search(re.escape(t) + r" ?\.{3,} ?(\d+)", toc_text)
    if not m:
        verdict(False, f"contents entry for '{t}'", "no 'TITLE .... N' in: " + toc_text[:300])
        continue
    n = int(m.group(1))
    here = 1 <= n <= len(flat) and flat[n - 1].startswith(t) and flat[n - 1].count(t) >= 2
    before = n >= 2 and flat[n - 2].startswith(t)
    verdict(here and not before, f"contents: '{t}' starts on page {n}",
            f"page {n} has the title as head and heading: {here}; page {n - 1} has it "
            f"as head: {before}; page {n} begins '{flat[n - 1][:120] if n <= len(flat) else ''}'")
    b = top.get(t, (None,))[0]
    verdict(b == n, f"bookmark and contents agree for '{t}'", f"bookmark {b}, contents {n}")

# Footers: every page but the title page ends with its own number; the
# title page has none.
bad = []
for i, p in enumerate(pages, 1):
    lines = [l.strip() for l in p.splitlines() if l.strip()]
    last = lines[-1] if lines else ""
    if i == 1:
        if last == "1":
            bad.append("page 1 (the title page) has a number")
    elif last != str(i):
        bad.append(f"page {i} ends with '{last[-40:]}'")
verdict(not bad, f"footer page numbers on pages 2..{len(pages)}",
        "; ".join(bad[:10]))
EOF
while IFS=$'\t' read -r v name detail; do
	case $v in
	pass) pass "$name" ;;
	fail) fail "$name" "$detail" ;;
	*) fail "the PDF checks ran" "$v $name $detail" ;;
	esac
done <"$S/verdicts"
