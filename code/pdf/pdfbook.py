#!/usr/bin/python3
"""code/pdf/pdfbook.py: the book as one PDF, joined from parts rendered apart.

usage: code/pdf/pdfbook.py [-j JOBS] -o BOOK.pdf FRONT.html PART.html... BACK.html

The parts are what `weave --print` writes: the front matter (title page and
contents), one page per chapter, the back matter (claims appendix and
colophon). Each part but the front is rendered by WeasyPrint to PART.pdf
beside its HTML, only when the HTML is newer than that PDF (weave rewrites
only the parts that changed), JOBS at a time (default: the CPUs this process
may use). Then the front is rendered with the page where each contents entry
lands, and everything is joined into BOOK.pdf with the book's page numbers,
its bookmarks and its links.

Why one process that forks, not a process per part: WeasyPrint takes ~0.6 s
to import and, per PDF, ~0.3 s to subset its fonts; a process per part would
add ~10 s of CPU to a clean build, more than the parallelism saves on two
cores. Here WeasyPrint is imported once, the workers are forked from this
process, and the parts embed their fonts whole (no subsetting) and are
compressed at zlib's fastest level; the assembly keeps one copy of each font
program, subsets it once and compresses the book at the usual level.

Why a library (pikepdf, on qpdf) for the assembly: copying pages with all
they refer to (fonts, images, annotations) from one PDF into another,
turning a page into a Form XObject to overlay it, and writing a correct,
compressed PDF (cross-reference table, object streams) are what qpdf is
for; doing them by hand would mean writing a PDF parser and writer.

What is done here by hand, on top of it:
  - the contents' page numbers: a part's named destinations (WeasyPrint makes
    one per HTML id) say on which of its pages an id is; the front gets a
    user style sheet setting the counter toc-page of each contents link to
    its target's page in the book (tangle/weave/book.css prints that counter);
  - the page numbers: a stamp PDF (rendered by WeasyPrint from the book's own
    @page rules, so it looks the same: pages with only their number) is
    overlaid page by page; the parts draw no number (PART_STYLE);
  - bookmarks: each part's outline is copied under the book's, pointing at
    the same spots of the joined pages;
  - links: the named destinations of all parts are merged into one name
    tree; a link to an id of another part, which WeasyPrint would drop,
    is kept as a URI "#ID" when rendering and made a link to the named
    destination ID here;
  - fonts: identical font programs are shared, and each is subset once to
    the glyphs the whole book uses (fontTools, with WeasyPrint's options);
  - tall diagrams: an image is never split across pages, so a ladder diagram
    (code/draw/svg.c) taller than a page is given to WeasyPrint as slices,
    cut between its rows where the SVG says it may be cut, each slice with
    the lifelines' heads drawn again on top (diagram_slices);
  - staleness: a part's PDF is stale when its HTML or any local image it
    shows (a diagram redrawn from a new run) is newer.

Exit status: 0 when BOOK.pdf was written, 1 on a failure (said on stderr),
2 on a usage error.
"""

import argparse
import base64
import concurrent.futures
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Array, Dictionary, Name, String

PROG = "pdfbook"

# A part's pages draw no number (the stamp puts the book's on them), and its
# first page keeps its running head (it is not the book's first page). A
# user style sheet, so !important; not a named page in tangle/weave/book.css:
# WeasyPrint 57 lays out every page of a named page as if after a forced
# break, keeping the top margins it truncates elsewhere.
PART_STYLE = """
@page { @bottom-center { content: none !important; } }
@page :first { @top-right { content: string(chapter) !important; } }
"""

# The stamp: only the page numbers, on a transparent page, a page for each
# .stamp (the first page is the title page's, which has no number).
STAMP_STYLE = ("<style>html, body { background: none; } "
               ".stamp { break-before: page; }</style>")


def err(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)


def pdf_of(html):
    return os.path.splitext(html)[0] + ".pdf"


def images_of(html):
    """The local files html's <img> elements show (paths as on disk)."""
    try:
        with open(html, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    base = os.path.dirname(html)
    out = []
    for src in re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', text):
        if re.match(r"[a-z][a-z0-9+.-]*:", src) or src.startswith("#"):
            continue            # data:, http:, ...
        path = os.path.normpath(os.path.join(base, urllib.parse.unquote(src)))
        if os.path.isfile(path):
            out.append(path)
    return out


def stale(html, pdf, *deps):
    """True when pdf is missing or older than html, the images it shows, or
    any of deps."""
    try:
        t = os.stat(pdf).st_mtime_ns
    except FileNotFoundError:
        return True
    return any(os.stat(d).st_mtime_ns > t for d in (html,) + deps + tuple(images_of(html)))


# ---- tall diagrams ------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# The page's content box (tangle/weave/book.css, @page: A4, margins 20mm
# 18mm 22mm) and the most of it one slice may take, leaving room for the
# figure's caption; CSS px are 1/96 in.
PAGE_WIDTH_MM = 210 - 2 * 18
SLICE_MM = 225
MM_PER_PX = 25.4 / 96


def cut_rows(rows, head, height, budget):
    """[(top, bottom), ...] of the slices: the first from 0, each taking
    whole rows while it stays within budget (a row taller than that gets a
    slice of its own), the last to height."""
    slices, start, top = [], 0.0, 0.0
    for r0, r1 in rows:
        extra = head if slices else 0.0
        if r1 - start + extra > budget and top > start:
            slices.append((start, top))
            start = top
        top = r1
    slices.append((start, height))
    # the first slice starts with the head itself
    return [(0.0 if i == 0 else a, b) for i, (a, b) in enumerate(slices)]


def svg_slices(path):
    """The slices of the diagram at path as SVG documents (bytes), or None
    when it fits on a page or is not a ladder diagram."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    try:
        root = ET.parse(path).getroot()
        meta = json.loads(root.find(f"{{{SVG_NS}}}metadata[@id='ladder-rows']").text)
        width, height, head = float(meta["width"]), float(meta["height"]), float(meta["head"])
        rows = [(float(a), float(b)) for a, b in meta["rows"]]
    except (OSError, ET.ParseError, AttributeError, TypeError, KeyError, ValueError):
        return None
    scale = min(1.0, PAGE_WIDTH_MM / (width * MM_PER_PX))
    budget = SLICE_MM / (MM_PER_PX * scale)
    if height <= budget:
        return None
    slices = cut_rows(rows, head, height, budget)
    out = []
    for k, (a, b) in enumerate(slices):
        doc = ET.fromstring(ET.tostring(root))
        for child in list(doc):
            cid = child.get("id") or ""
            if re.fullmatch(r"r\d+", cid):
                i = int(cid[1:])
                if not (a <= rows[i][0] and rows[i][1] <= b):
                    doc.remove(child)       # drawn in another slice
            elif child.tag == f"{{{SVG_NS}}}text" and k != len(slices) - 1:
                doc.remove(child)           # the closing note, on the last
        top = 0.0 if k == 0 else a - head
        if k > 0:
            use = ET.SubElement(doc, f"{{{SVG_NS}}}use")
            use.set("href", "#head")
            use.set(f"{{{XLINK_NS}}}href", "#head")
            use.set("transform", f"translate(0 {top:.1f})")
        h = b - top
        doc.set("height", f"{h:.0f}")
        doc.set("viewBox", f"0 {top:.1f} {width:.0f} {h:.1f}")
        out.append((ET.tostring(doc, encoding="utf-8", xml_declaration=True), width, h))
    return out


def diagram_slices(text, base):
    """text (a part's HTML, its images relative to base) with each tall
    ladder diagram's <img> replaced by <img>s of its slices."""
    def replace(m):
        src, rest = m.group(1), m.group(2)
        if not src.endswith("ladder.svg") or re.match(r"[a-z]+:", src):
            return m.group(0)
        parts = svg_slices(os.path.normpath(os.path.join(base, urllib.parse.unquote(src))))
        if not parts:
            return m.group(0)
        alt = re.search(r'\balt="([^"]*)"', rest)
        alt = alt.group(1) if alt else "ladder diagram"
        return "".join(
            f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}" '
            f'alt="{alt}, part {i + 1} of {len(parts)}" width="{w:.0f}" height="{h:.0f}">'
            for i, (svg, w, h) in enumerate(parts))
    return re.sub(r'<img\b[^>]*?\bsrc="([^"]+)"([^>]*)>', replace, text)


# ---- rendering (WeasyPrint) -------------------------------------------------

def render(html, pdf, stylesheets=None, html_string=None, base_url=None):
    """Renders html (a file, or html_string) to pdf; returns its page count.

    Links to ids that are not in this part (WeasyPrint would drop them, with
    an error) become URIs "#ID", which the assembly links to the named
    destination ID."""
    import weasyprint
    if html_string is not None:
        src = weasyprint.HTML(string=html_string, base_url=base_url)
    else:
        src = weasyprint.HTML(filename=html)
    doc = src.render(stylesheets=stylesheets or [], optimize_size=())
    ids = set()
    for page in doc.pages:
        ids.update(page.anchors)
    for page in doc.pages:
        page.links = [("external", "#" + target, rect, box)
                      if kind == "internal" and target not in ids
                      else (kind, target, rect, box)
                      for kind, target, rect, box in page.links]
    tmp = pdf + ".tmp"
    doc.write_pdf(tmp)
    os.replace(tmp, pdf)
    return len(doc.pages)


def fast_zlib():
    """The parts are compressed at zlib's fastest level: their whole fonts
    are a third of a clean build's compression time at the default level,
    and the assembly compresses the book again (recompress_flate)."""
    import types
    import zlib
    import pydyf
    if hasattr(pydyf, "zlib"):
        pydyf.zlib = types.SimpleNamespace(
            compressobj=lambda *a: zlib.compressobj(1))


def render_part(html):
    """A worker's job: html to its PDF. Returns None, or an error message."""
    import weasyprint
    try:
        with open(html, encoding="utf-8") as f:
            text = f.read()
        sliced = diagram_slices(text, os.path.dirname(html))
        if sliced == text:
            render(html, pdf_of(html), [weasyprint.CSS(string=PART_STYLE)])
        else:
            render(html, pdf_of(html), [weasyprint.CSS(string=PART_STYLE)],
                   html_string=sliced, base_url=html)
    except Exception as e:      # reported by the parent, for this part
        return f"{html}: {type(e).__name__}: {e}"
    return None


class Workers:
    """jobs processes forked from this one (WeasyPrint already imported), or
    with jobs 1 none: the work is done in this process."""

    def __init__(self, jobs):
        self.pool = None
        if jobs > 1:
            self.pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=jobs, mp_context=multiprocessing.get_context("fork"))

    def submit(self, fn, *args):
        if self.pool:
            return self.pool.submit(fn, *args)
        f = concurrent.futures.Future()
        try:
            f.set_result(fn(*args))
        except Exception as e:      # raised again by f.result()
            f.set_exception(e)
        return f

    def close(self):
        if self.pool:
            self.pool.shutdown()


def render_parts(parts, workers):
    """Renders the parts whose PDF is stale. Returns the number of failures
    (reported)."""
    todo = [h for h in parts if stale(h, pdf_of(h), __file__)]
    # Longest first, so that the workers finish together.
    todo.sort(key=lambda h: os.path.getsize(h), reverse=True)
    for h in todo:
        print(f"  PDF     {h}", flush=True)
    results = [f.result() for f in [workers.submit(render_part, h) for h in todo]]
    failures = [r for r in results if r]
    for r in failures:
        err(r)
    return len(failures)


# ---- reading the parts (pikepdf) --------------------------------------------

def named_dests(pdf):
    """{name: destination array} of pdf's /Names /Dests name tree."""
    out = {}
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return out
    for name, dest in pikepdf.NameTree(names.Dests).items():
        if isinstance(dest, Dictionary):
            dest = dest.D
        out[str(name)] = dest
    return out


class Part:
    def __init__(self, html, pdf):
        self.html = html
        self.pdf = pikepdf.open(pdf)
        self.npages = len(self.pdf.pages)
        self.index = {p.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.dests = named_dests(self.pdf)
        self.first = 0          # 0-based index of its first page in the book

    def page_of(self, dest):
        """0-based index in this part of the page a destination array is on."""
        return self.index[dest[0].objgen]


def css_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def contents_style(front_links, parts, front_pages):
    """The user style sheet giving each contents link the book page of its
    target (1-based, as printed). Links whose target is nowhere are left out."""
    first = front_pages
    where = {}
    for p in parts:
        for name, dest in p.dests.items():
            where.setdefault(name, first + p.page_of(dest) + 1)
        first += p.npages
    rules = []
    for target in front_links:
        if target in where:
            rules.append(f"nav.toc a[href={css_string('#' + target)}] "
                         f"{{ counter-reset: toc-page {where[target]}; }}")
    return "\n".join(rules)


def front_links(front_html):
    with open(front_html, encoding="utf-8") as f:
        toc = f.read()
    m = re.search(r'<nav class="toc">(.*?)</nav>', toc, re.S)
    return re.findall(r'<a href="#([^"]*)"', m.group(1)) if m else []


def render_front(front_html, parts):
    """Renders the front with its contents' page numbers; returns its PDF.
    The numbers depend on the front's own length: tried with the last
    length, again if it changed."""
    import weasyprint
    front_pdf = pdf_of(front_html)
    css_path = os.path.splitext(front_html)[0] + ".css"
    links = front_links(front_html)
    npages = pages_of(front_pdf, 2)
    for _ in range(3):
        css = contents_style(links, parts, npages)
        old = None
        if os.path.exists(css_path):
            with open(css_path, encoding="utf-8") as f:
                old = f.read()
        if old != css:
            with open(css_path, "w", encoding="utf-8") as f:
                f.write(css)
        if not stale(front_html, front_pdf, css_path, __file__):
            return front_pdf
        print(f"  PDF     {front_html}", flush=True)
        got = render(front_html, front_pdf,
                     [weasyprint.CSS(string=PART_STYLE + css)])
        if got == npages:
            return front_pdf
        npages = got
    raise RuntimeError(f"{front_html}: its length does not settle")


def render_stamp(front_html, npages):
    """A PDF of npages pages that show only the book's page number (none on
    the first, the title page), from the @page rules of the book's CSS."""
    stamp_pdf = os.path.join(os.path.dirname(front_html), "stamp.pdf")
    if not stale(front_html, stamp_pdf, __file__):
        with pikepdf.open(stamp_pdf) as s:
            if len(s.pages) == npages:
                return stamp_pdf
    with open(front_html, encoding="utf-8") as f:
        m = re.search(r"<style>.*?</style>", f.read(), re.S)
    style = m.group(0) if m else ""
    body = ('<section class="titlepage"></section>'
            + '<div class="stamp"></div>' * (npages - 1))
    html = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{style}"
            f"{STAMP_STYLE}</head><body>{body}</body></html>")
    got = render(None, stamp_pdf, html_string=html,
                 base_url=os.path.dirname(front_html) or ".")
    if got != npages:
        raise RuntimeError(f"{stamp_pdf}: {got} pages, not {npages}")
    return stamp_pdf


# ---- the assembly -----------------------------------------------------------

def copy_outline(src_items, part, book_pages, dst_items):
    """Copies a part's outline items (and their children) to dst_items,
    pointing at the same spots of the book's pages."""
    for item in src_items:
        dest = item.destination
        if isinstance(dest, (String, Name, str)):
            dest = part.dests.get(str(dest))
        new = pikepdf.OutlineItem(item.title)
        if isinstance(dest, Array) and len(dest) >= 2:
            page = book_pages[part.first + part.page_of(dest)]
            new.destination = Array([page.obj] + list(dest)[1:])
        new.is_closed = item.is_closed
        copy_outline(item.children, part, book_pages, new.children)
        dst_items.append(new)


def relink(book):
    """Cross-part links: URI "#ID" becomes a link to the named destination ID.
    Returns the ids that no part has."""
    dests = book.Root.Names.Dests
    known = set(str(k) for k in pikepdf.NameTree(dests).keys())
    missing = set()
    for page in book.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != Name.URI:
                continue
            uri = str(action.URI)
            if not uri.startswith("#"):
                continue
            if uri[1:] not in known:
                missing.add(uri[1:])
                continue
            del annot["/A"]
            annot.Dest = String(uri[1:])
    return missing


def font_files(book):
    """[stream, glyph ids used, [(font descriptor, key), ...]] for every font
    program, by the stream's objgen. The glyphs come from every CID font's
    /W widths: WeasyPrint lists every glyph it draws there, and its CIDs are
    glyph ids (CIDToGIDMap /Identity)."""
    files = {}
    for obj in book.objects:
        if not isinstance(obj, Dictionary) or obj.get("/Type") != Name.Font:
            continue
        if obj.get("/Subtype") not in (Name.CIDFontType2, Name.CIDFontType0):
            continue
        fd = obj.get("/FontDescriptor")
        if fd is None:
            continue
        key = "/FontFile2" if "/FontFile2" in fd else "/FontFile3"
        if key not in fd:
            continue
        gids = set()
        w = list(obj.get("/W", []))
        i = 0
        while i + 1 < len(w):   # W: c [w1 w2 ...] or c_first c_last w
            if isinstance(w[i + 1], Array):
                gids.update(range(int(w[i]), int(w[i]) + len(w[i + 1])))
                i += 2
            else:
                gids.update(range(int(w[i]), int(w[i + 1]) + 1))
                i += 3
        entry = files.setdefault(fd[key].objgen, [fd[key], set(), []])
        entry[1] |= gids
        entry[2].append((fd, key))
    return files


def subset_font(data, gids):
    """data (a TrueType font) cut down to the glyphs gids, keeping glyph ids,
    with WeasyPrint's own options (weasyprint/pdf/stream.py); None if
    fontTools cannot."""
    from fontTools import subset, ttLib
    font = ttLib.TTFont(io.BytesIO(data))
    options = subset.Options(retain_gids=True, passthrough_tables=True,
                             ignore_missing_glyphs=True, hinting=False,
                             desubroutinize=True)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    sub = subset.Subsetter(options)
    sub.populate(gids=sorted(gids))
    try:
        sub.subset(font)
    except ttLib.TTLibError:
        return None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def share_and_subset_fonts(book, cache):
    """Every font descriptor whose font program is the same as another's gets
    that one; then each program is subset to the glyphs the book uses.
    Subsets are kept in the directory cache, by font and glyphs: a prose
    edit seldom changes them. Entries this book no longer uses are removed."""
    by_hash = {}
    for stream, gids, users in font_files(book).values():
        h = hashlib.sha256(stream.read_raw_bytes()).hexdigest()
        entry = by_hash.setdefault(h, [stream, set(), []])
        entry[1] |= gids
        entry[2] += users
    os.makedirs(cache, exist_ok=True)
    used = set()
    for h, (stream, gids, users) in by_hash.items():
        for fd, key in users:
            fd[key] = stream
        if not gids or "/Subtype" in stream:    # OpenType (FontFile3): kept whole
            continue
        glyphs = ",".join(map(str, sorted(gids))).encode()
        name = h[:24] + "-" + hashlib.sha256(glyphs).hexdigest()[:24] + ".ttf"
        path = os.path.join(cache, name)
        used.add(name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            data = subset_font(stream.read_bytes(), gids)
            if data is None:
                used.discard(name)
                continue
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.replace(path + ".tmp", path)
        stream.write(data)      # compressed again by save()
        stream.Length1 = len(data)
    for name in os.listdir(cache):
        if name not in used:
            os.remove(os.path.join(cache, name))


def assemble(out, front_pdf, parts, stamp_pdf, font_cache):
    book = pikepdf.new()
    front = Part(None, front_pdf)
    everything = [front] + parts
    first = 0
    for p in everything:
        p.first = first
        first += p.npages
        book.pages.extend(p.pdf.pages)
    book_pages = list(book.pages)

    # The named destinations of every part, on the book's pages.
    names = {}
    for p in everything:
        for name, dest in p.dests.items():
            if name not in names:
                page = book_pages[p.first + p.page_of(dest)]
                names[name] = Array([page.obj] + list(dest)[1:])
    flat = Array()
    for name in sorted(names):
        flat.append(String(name))
        flat.append(names[name])
    book.Root.Names = Dictionary(Dests=book.make_indirect(Dictionary(Names=flat)))
    missing = relink(book)
    if missing:
        err("warning: links to ids no part has: " + ", ".join(sorted(missing)))

    with book.open_outline() as outline:
        for p in everything:
            with p.pdf.open_outline() as src:
                copy_outline(src.root, p, book_pages, outline.root)

    with pikepdf.open(stamp_pdf) as stamp:
        for i, page in enumerate(book_pages):
            page.add_overlay(stamp.pages[i])

    share_and_subset_fonts(book, font_cache)
    for key, value in front.pdf.docinfo.items():
        book.docinfo[key] = String(str(value))
    if "/Lang" in front.pdf.Root:
        book.Root.Lang = String(str(front.pdf.Root.Lang))
    tmp = out + ".tmp"
    book.save(tmp, compress_streams=True, recompress_flate=True,
              object_stream_mode=pikepdf.ObjectStreamMode.generate)
    os.replace(tmp, out)
    for p in everything:
        p.pdf.close()
    return len(book_pages)


def pages_of(pdf, default):
    """pdf's page count, or default if there is no such file."""
    if not os.path.exists(pdf):
        return default
    with pikepdf.open(pdf) as f:
        return len(f.pages)


def up_to_date(out, parts):
    """True when out is newer than every part, every part's PDF but the
    front's (which depends on them) and this script."""
    deps = [__file__] + parts + [pdf_of(h) for h in parts[1:]]
    deps += [i for h in parts for i in images_of(h)]
    try:
        t = os.stat(out).st_mtime_ns
        return all(os.stat(d).st_mtime_ns <= t for d in deps)
    except FileNotFoundError:
        return False


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("-o", dest="out", required=True, help="the book's PDF")
    ap.add_argument("-j", dest="jobs", type=int,
                    default=len(os.sched_getaffinity(0)),
                    help="parts rendered at once (default: the CPUs usable)")
    ap.add_argument("parts", nargs="+", metavar="PART.html",
                    help="the front, the chapters, the back, in book order")
    args = ap.parse_args()
    if len(args.parts) < 2:
        ap.error("need the front and at least one more part")
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    for h in args.parts:
        if not os.path.isfile(h):
            err(f"cannot open '{h}': No such file or directory")
            return 1
    if up_to_date(args.out, args.parts):
        os.utime(args.out)
        return 0
    import weasyprint   # noqa: F401: once, before the workers fork
    fast_zlib()
    front_html, rest = args.parts[0], args.parts[1:]
    workers = Workers(args.jobs)
    try:
        if render_parts(rest, workers):
            return 1
        parts = [Part(h, pdf_of(h)) for h in rest]
        body = sum(p.npages for p in parts)
        # The stamp, in a worker, while the front is rendered here; it is
        # made again if the front's length was not the one guessed.
        guess = pages_of(pdf_of(front_html), 2)
        stamp = workers.submit(render_stamp, front_html, guess + body)
        front_pdf = render_front(front_html, parts)
        stamp_pdf = stamp.result()
        npages = pages_of(front_pdf, 0)
        if npages != guess:
            stamp_pdf = render_stamp(front_html, npages + body)
        n = assemble(args.out, front_pdf, parts, stamp_pdf,
                     os.path.join(os.path.dirname(front_html), "fonts"))
    except (OSError, RuntimeError, pikepdf.PdfError) as e:
        err(str(e))
        return 1
    finally:
        workers.close()
    print(f"  BOOK    {args.out}: {n} pages", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
