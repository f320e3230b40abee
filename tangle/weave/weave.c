/*
 * weave.c: the weave program. Turns a chapter into a standalone HTML page
 * with the real output of its experiments, or writes the book's index.
 * See usage() for the command line; exit status 0 when the page was
 * written (a chapter with errors still gets a page that shows them), 1 when
 * a file cannot be read or written, 2 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calltable.h"
#include "chapter.h"
#include "claimfile.h"
#include "highlight.h"
#include "publish.h"
#include "render.h"
#include "render-kernels.h"
#include "util.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: weave [OPTIONS] -o OUT.html CHAPTER.md\n"
		"   or: weave --index [--run-root DIR] -o OUT/index.html CHAPTER.md...\n"
		"   or: weave --single --run-root DIR -o OUT/book.html CHAPTER.md...\n"
		"   or: weave --appendix --run-root DIR -o OUT/claims.html CHAPTER.md...\n"
		"   or: weave --print --run-root DIR -o OUTDIR CHAPTER.md...\n"
		"   or: weave --site BUILD CHAPTER.md...\n"
		"   or: weave --kernels KDIR -o OUT/kernels.html\n"
		"\n"
		"  -o FILE            the page to write (only if its content changed)\n"
		"  --run RUNDIR       the chapter's run directory (build/run/STEM): placeholders\n"
		"                     are filled from RUNDIR/EXP/, claims from RUNDIR/claims.txt,\n"
		"                     the page shows RUNDIR/errors.txt and RUNDIR/build-info;\n"
		"                     without it every placeholder says the experiment did not run\n"
		"  --errors DIR       the chapter's step records (build/errors/STEM, see\n"
		"                     code/scripts/step.sh): the page shows each, in the\n"
		"                     order of the steps, after RUNDIR/errors.txt\n"
		"  --errors-root DIR  with the book's modes: DIR/STEM for each chapter\n"
		"  --tangled DIR      where the chapter's tangled files are, for the links on\n"
		"                     file= blocks (default: OUTDIR/../tangle/STEM)\n"
		"  --prev X, --next X the neighbouring chapters: a chapter file (X ends in .md:\n"
		"                     the link is STEM.html, the title its first heading) or a URL\n"
		"  --prev-title TITLE, --next-title TITLE\n"
		"                     the links' text, instead of the chapter's heading or the URL\n"
		"  --contents URL     link to the index (default: index.html)\n"
		"  --index            write the index of the CHAPTERs instead, linking STEM.html\n"
		"  --single           write the whole book on one page: title page, contents,\n"
		"                     every chapter, the claims appendix\n"
		"  --appendix         write the list of every claim with its result on this build\n"
		"  --print            write the book of --single in parts, for the PDF (see\n"
		"                     code/pdf/pdfbook.py): OUTDIR/front.html (title page, contents),\n"
		"                     OUTDIR/STEM.html for each chapter, OUTDIR/back.html (claims\n"
		"                     appendix, colophon); each only if its content changed\n"
		"  --run-root DIR     with --index, --single, --appendix, --print: the chapters' run\n"
		"                     directories are DIR/STEM; the build line comes from the\n"
		"                     first DIR/STEM/build-info\n"
		"  --pdf URL          with --index: the PDF's link (default: ../book.pdf)\n"
		"  --site BUILD       the whole site in one run, from BUILD/run, BUILD/tangle and\n"
		"                     BUILD/errors: BUILD/html/ (every chapter's page with its\n"
		"                     neighbours' links, index.html, book.html, claims.html, and\n"
		"                     under run/ and tangle/ a copy of every file the pages\n"
		"                     link), BUILD/print/ (the parts of --print) and the call\n"
		"                     table BUILD/run/calls.tsv; each written only when it\n"
		"                     changes; then every other file of BUILD/html/ and\n"
		"                     BUILD/print/ is removed (but html/book.pdf, html/kernels.html)\n"
		"  --kernels KDIR     a `make matrix` run (build/kernels): alone, write the page\n"
		"                     \"What changed between kernels\"; with a chapter, its page\n"
		"                     shows its claims on each kernel (render-kernels.h)\n"
		"Without a build-info file the page says this machine's uname -r and the time.\n"
		"The environment variable WEAVE_HIGHLIGHTER names the highlighter to run instead\n"
		"of source-highlight.\n");
	exit(2);
}

/* Returns the chapter's stem ("05-send" for "chapters/05-send.md"); the
 * caller frees it. */
static char *stem_of(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 3 && !strcmp(b + n - 3, ".md"))
		n -= 3;
	return xstrndup(b, n);
}

static char *dir_of(const char *path)
{
	char *c = xstrdup(path);
	char *d = xstrdup(dirname(c));
	free(c);
	return d;
}

static struct chapter *load(const char *path)
{
	struct sb src = SB_INIT;
	if (read_file(path, &src) < 0) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, path, strerror(errno));
		return NULL;
	}
	struct chapter *ch = chapter_parse(path, src.buf, src.len);
	sb_release(&src);
	return ch;
}

static char *join3(const char *a, const char *b, const char *c)
{
	struct sb s = SB_INIT;
	sb_addf(&s, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
	return sb_detach(&s);
}

/* Appends to errs the records of the chapter's steps that failed, from
 * errdir (build/errors/STEM), in the order of the pipeline. */
static void read_step_errors(const char *errdir, struct sb *errs)
{
	static const char *const steps[] = { "tangle", "cc", "run", "draw", "claims" };
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		char *p = join3(errdir, steps[i], NULL);
		struct sb e = SB_INIT;
		if (read_file(p, &e) == 0 && e.len) {
			if (errs->len && errs->buf[errs->len - 1] != '\n')
				sb_addc(errs, '\n');
			sb_add(errs, e.buf, e.len);
		}
		sb_release(&e);
		free(p);
	}
}

/* --errors-root, for the book's modes */
static const char *errors_root;

/* --site says which files it wrote, as make's lines do ("  WEAVE   PATH"). */
static int say_written;

static int write_page(const char *out, struct sb *page)
{
	sb_add(page, "", 0);
	int rc = write_if_changed(out, page->buf, page->len);
	if (rc > 0 && say_written)
		printf("  WEAVE   %s\n", out);
	return rc < 0 ? 1 : 0;
}

static int weave_index(const char *out, const char *runroot, const char *pdf,
		       char **chapters, int n)
{
	struct index_entry *e = xcalloc((size_t)n, sizeof *e);
	char **titles = xcalloc((size_t)n, sizeof *titles);
	struct provenance prov = PROVENANCE_INIT;
	struct sb page = SB_INIT;
	int status = 0, have_prov = 0;

	for (int i = 0; i < n; i++) {
		struct chapter *ch = load(chapters[i]);
		char *stem = stem_of(chapters[i]);
		if (!ch) {
			status = 1;
			titles[i] = xstrdup(stem);
		} else {
			titles[i] = xstrdup(ch->title && *ch->title ? ch->title : stem);
			e[i].failed = ch->diags.errors > 0;
		}
		struct sb url = SB_INIT;
		sb_addf(&url, "%s.html", stem);
		e[i].url = sb_detach(&url);
		e[i].title = titles[i];
		if (runroot) {
			char *p = join3(runroot, stem, "errors.txt");
			struct sb err = SB_INIT;
			if (read_file(p, &err) < 0)
				sb_release(&err);
			free(p);
			if (errors_root) {
				p = join3(errors_root, stem, NULL);
				read_step_errors(p, &err);
				free(p);
			}
			if (err.len)
				e[i].failed = 1;
			sb_release(&err);
			p = join3(runroot, stem, "build-info");
			if (!have_prov && provenance_read(p, &prov) == 0)
				have_prov = 1;
			free(p);
		}
		free(stem);
		chapter_free(ch);
	}
	if (!have_prov)
		provenance_here(&prov);
	/* kernels.html is made by `make matrix`, which weaves the index again */
	char *dir = dir_of(out), *kpath = join3(dir, "kernels.html", NULL);
	struct index_links links = { "book.html", pdf, "claims.html",
				     access(kpath, F_OK) == 0 ? "kernels.html" : NULL };
	free(dir);
	free(kpath);
	render_index(e, (size_t)n, &prov, &links, &page);
	if (write_page(out, &page))
		status = 1;
	for (int i = 0; i < n; i++) {
		free((char *)e[i].url);
		free(titles[i]);
	}
	free(e);
	free(titles);
	provenance_release(&prov);
	sb_release(&page);
	return status;
}

/* Everything a chapter's page is made from, read from the run directory
 * and the chapter; released by chapter_inputs_release. */
struct chapter_inputs {
	struct chapter *ch;
	char *stem, *title, *rundir, *tangledir;
	struct provenance prov;
	int have_prov;
	struct sb errors;
	struct claims claims;
	int have_claims;
};

/* Reads what the page of chapter path needs from rundir (may be NULL).
 * Returns 0, or -1 if the chapter cannot be read (reported). */
static int chapter_inputs_read(struct chapter_inputs *in, const char *path,
			       const char *rundir, const char *errdir)
{
	memset(in, 0, sizeof *in);
	in->stem = stem_of(path);
	in->ch = load(path);
	in->title = xstrdup(in->ch && in->ch->title && *in->ch->title ? in->ch->title : in->stem);
	if (rundir) {
		in->rundir = xstrdup(rundir);
		char *p = join3(rundir, "build-info", NULL);
		in->have_prov = provenance_read(p, &in->prov) == 0;
		free(p);
		p = join3(rundir, "errors.txt", NULL);
		if (read_file(p, &in->errors) < 0)
			sb_release(&in->errors);
		free(p);
		p = join3(rundir, "claims.txt", NULL);
		in->have_claims = claims_read(p, &in->claims) == 0;
		free(p);
	}
	if (errdir)
		read_step_errors(errdir, &in->errors);
	else if (errors_root) {
		char *p = join3(errors_root, in->stem, NULL);
		read_step_errors(p, &in->errors);
		free(p);
	}
	return in->ch ? 0 : -1;
}

static void chapter_inputs_release(struct chapter_inputs *in)
{
	chapter_free(in->ch);
	free(in->stem);
	free(in->title);
	free(in->rundir);
	free(in->tangledir);
	provenance_release(&in->prov);
	sb_release(&in->errors);
	claims_release(&in->claims);
}

/* Fills o from in, for a page in outdir. */
static void opts_from(struct weave_opts *o, struct chapter_inputs *in, const char *outdir)
{
	o->rundir = in->rundir;
	o->outdir = outdir;
	if (!in->tangledir)
		in->tangledir = join3(outdir, "../tangle", in->stem);
	o->tangledir = in->tangledir;
	o->errors = in->errors.len ? in->errors.buf : NULL;
	o->claims = in->have_claims ? &in->claims : NULL;
	o->prov = &in->prov;
}

enum book_mode { BOOK_SINGLE, BOOK_APPENDIX, BOOK_PRINT };

/* --print: the parts of the book, each written to outdir/NAME.html only if
 * it changed. Returns 0, or 1 if one cannot be written. */
static int write_print_parts(const char *outdir, struct book_chapter *c, int n,
			     const struct provenance *prov)
{
	int status = 0;
	for (long part = PRINT_BACK; part < n; part++) {
		struct sb page = SB_INIT;
		char *name = part == PRINT_FRONT ? xstrdup("front") :
			     part == PRINT_BACK ? xstrdup("back") : xstrdup(c[part].stem);
		char *path = join3(outdir, name, NULL);
		struct sb file = SB_INIT;
		sb_addf(&file, "%s.html", path);
		sb_add(&file, "", 0);
		render_print_part(c, (size_t)n, prov, part, &page);
		if (write_page(file.buf, &page))
			status = 1;
		sb_release(&file);
		sb_release(&page);
		free(path);
		free(name);
	}
	return status;
}

/* --single, --appendix and --print: every chapter, from runroot/STEM. out
 * is the page to write, or with --print the directory. */
static int weave_book(const char *out, const char *runroot, char **chapters, int n,
		      enum book_mode mode)
{
	struct chapter_inputs *in = xcalloc((size_t)n, sizeof *in);
	struct book_chapter *c = xcalloc((size_t)n, sizeof *c);
	struct provenance here = PROVENANCE_INIT;
	const struct provenance *prov = NULL;
	struct sb page = SB_INIT;
	char *outdir = mode == BOOK_PRINT ? xstrdup(out) : dir_of(out);
	int status = 0;

	for (int i = 0; i < n; i++) {
		char *stem = stem_of(chapters[i]);
		if (mode == BOOK_PRINT && (!strcmp(stem, "front") || !strcmp(stem, "back"))) {
			fprintf(stderr, "%s: chapter '%s' is named like a part of the book "
				"(front, back): rename it\n", progname, chapters[i]);
			status = 1;
		}
		char *rundir = runroot ? join3(runroot, stem, NULL) : NULL;
		if (chapter_inputs_read(&in[i], chapters[i], rundir, NULL) < 0)
			status = 1;
		opts_from(&c[i].o, &in[i], outdir);
		c[i].o.index_url = NULL;
		c[i].ch = in[i].ch;
		c[i].stem = in[i].stem;
		c[i].title = in[i].title;
		c[i].failed = !in[i].ch || in[i].ch->diags.errors || in[i].errors.len;
		if (!prov && in[i].have_prov)
			prov = &in[i].prov;
		free(rundir);
		free(stem);
	}
	if (!prov) {
		provenance_here(&here);
		prov = &here;
	}
	for (int i = 0; i < n; i++)
		if (!in[i].have_prov)
			c[i].o.prov = prov;
	if (mode == BOOK_PRINT) {
		if (!status && write_print_parts(outdir, c, n, prov))
			status = 1;
	} else {
		if (mode == BOOK_SINGLE)
			render_single(c, (size_t)n, prov, &page);
		else
			render_appendix(c, (size_t)n, prov, &page);
		if (write_page(out, &page))
			status = 1;
	}
	for (int i = 0; i < n; i++)
		chapter_inputs_release(&in[i]);
	free(in);
	free(c);
	free(outdir);
	provenance_release(&here);
	sb_release(&page);
	return status;
}

/* --prev/--next: a chapter file gives STEM.html and its first heading;
 * anything else is a URL used as it is. *url and *title are set; *owned
 * collects what the caller frees. */
static void neighbour(const char *arg, const char **url, const char **title,
		      char **owned_url, char **owned_title)
{
	size_t n = strlen(arg);
	if (n < 4 || strcmp(arg + n - 3, ".md") != 0) {
		*url = arg;
		return;
	}
	char *stem = stem_of(arg);
	struct sb u = SB_INIT;
	sb_addf(&u, "%s.html", stem);
	*url = *owned_url = sb_detach(&u);
	if (!*title) {
		struct sb src = SB_INIT;
		char *t = NULL;
		if (read_file(arg, &src) == 0) {
			struct chapter *ch = chapter_parse(arg, src.buf, src.len);
			if (ch->title && *ch->title)
				t = xstrdup(ch->title);
			chapter_free(ch);
		} else {
			fprintf(stderr, "%s: warning: cannot open '%s': %s\n", progname, arg,
				strerror(errno));
		}
		sb_release(&src);
		*title = *owned_title = t ? t : xstrdup(stem);
	}
	free(stem);
}


/* ---- --site: the whole site in one run ------------------------------------ */

/* Files of BUILD/html/ that other rules make and the sweep leaves alone. */
static const char *const site_keep[] = { "book.pdf", "kernels.html", NULL };
/* And of BUILD/print/: what code/pdf/pdfbook.py keeps there besides the
 * parts' PDFs (the contents' page numbers, the page-number stamp, its font
 * cache). */
static const char *const print_keep[] = { "front.css", "stamp.pdf", "fonts", NULL };

static int site_write(const char *path, struct sb *page, struct outset *made)
{
	outset_add(made, path);
	return write_page(path, page);
}

static int weave_site(const char *build, char **chapters, int n)
{
	struct chapter_inputs *in = xcalloc((size_t)n + 1, sizeof *in);
	struct book_chapter *c = xcalloc((size_t)n + 1, sizeof *c);
	struct book_chapter *pc = xcalloc((size_t)n + 1, sizeof *pc);
	char **stems = xcalloc((size_t)n + 1, sizeof *stems);
	char **runs = xcalloc((size_t)n + 1, sizeof *runs);
	char **tangles = xcalloc((size_t)n + 1, sizeof *tangles);
	struct index_entry *ie = xcalloc((size_t)n + 1, sizeof *ie);
	char *html = join3(build, "html", NULL), *print = join3(build, "print", NULL);
	char *runroot = join3(build, "run", NULL), *tangleroot = join3(build, "tangle", NULL);
	struct provenance here = PROVENANCE_INIT;
	const struct provenance *prov = NULL;
	struct outset made = OUTSET_INIT, printed = OUTSET_INIT;
	struct sb page = SB_INIT, table = SB_INIT, path = SB_INIT;
	int status = 0;

	/* The call table, from the chapters given only: a deleted chapter's
	 * calls are in no table. */
	for (int i = 0; i < n; i++)
		stems[i] = stem_of(chapters[i]);
	calltable_make(runroot, tangleroot, stems, (size_t)n, &table);
	sb_addf(&path, "%s/calls.tsv", runroot);
	if (write_page(path.buf, &table))
		status = 1;

	/* The run and tangle directories, copied into the site (hard links),
	 * so that every file a page links lives under BUILD/html/. */
	for (int i = 0; i < n; i++) {
		char *src = join3(runroot, stems[i], NULL), *t = join3(tangleroot, stems[i], NULL);
		runs[i] = join3(html, "run", stems[i]);
		tangles[i] = join3(html, "tangle", stems[i]);
		if (publish_tree(src, runs[i], &made) < 0 || publish_tree(t, tangles[i], &made) < 0)
			status = 1;
		free(src);
		free(t);
	}
	char *calls = join3(runroot, "calls.tsv", NULL);
	sb_reset(&path);
	sb_addf(&path, "%s/run/calls.tsv", html);
	if (!status && publish_file(calls, path.buf, &made) < 0)
		status = 1;
	free(calls);
	/* A run or a tangled file that is gone is gone from the site before
	 * any page is made from it: a failed chapter shows only this build's. */
	{
		static const char *const keep_pages[] = { NULL };
		char *hr = join3(html, "run", NULL), *ht = join3(html, "tangle", NULL);
		if (!status && (sweep(hr, &made, keep_pages) < 0 || sweep(ht, &made, keep_pages) < 0))
			status = 1;
		free(hr);
		free(ht);
	}

	for (int i = 0; i < n; i++) {
		char *errdir = join3(build, "errors", stems[i]);
		if (chapter_inputs_read(&in[i], chapters[i], runs[i], errdir) < 0)
			status = 1;
		free(errdir);
		in[i].tangledir = xstrdup(tangles[i]);
		if (!prov && in[i].have_prov)
			prov = &in[i].prov;
	}
	if (!prov) {
		provenance_here(&here);
		prov = &here;
	}

	/* A `make matrix` run: kernels.html, and each page's claims per kernel. */
	char *kdir = join3(build, "kernels", NULL);
	sb_reset(&page);
	sb_reset(&path);
	sb_addf(&path, "%s/kernels.html", html);
	int kernels = kernels_site(kdir, html, &made, &page);
	if (kernels < 0 || (kernels > 0 && site_write(path.buf, &page, &made)))
		status = 1;

	/* Each chapter's page, its neighbours in the order given; the
	 * highlighting of every page started first, side by side. */
	for (int i = 0; i < n; i++)
		if (in[i].ch)
			render_highlight_start(in[i].ch);
	for (int i = 0; i < n; i++) {
		struct weave_opts o = { 0 };
		struct sb prev = SB_INIT, next = SB_INIT, out = SB_INIT;
		opts_from(&o, &in[i], html);
		o.kernels = kernels > 0 ? kdir : NULL;
		if (!in[i].have_prov)
			o.prov = prov;
		o.index_url = "index.html";
		if (i > 0) {
			sb_addf(&prev, "%s.html", stems[i - 1]);
			o.prev_url = prev.buf;
			o.prev_title = in[i - 1].title;
		}
		if (i + 1 < n) {
			sb_addf(&next, "%s.html", stems[i + 1]);
			o.next_url = next.buf;
			o.next_title = in[i + 1].title;
		}
		sb_addf(&out, "%s/%s.html", html, stems[i]);
		sb_reset(&page);
		if (in[i].ch) {
			render_chapter(in[i].ch, &o, &page);
			if (site_write(out.buf, &page, &made))
				status = 1;
		}
		sb_release(&prev);
		sb_release(&next);
		sb_release(&out);

		c[i].o = o;
		c[i].o.index_url = NULL;
		c[i].o.prev_url = c[i].o.next_url = NULL;
		c[i].ch = in[i].ch;
		c[i].stem = in[i].stem;
		c[i].title = in[i].title;
		c[i].failed = !in[i].ch || in[i].ch->diags.errors || in[i].errors.len;
		ie[i].title = in[i].title;
		ie[i].failed = c[i].failed;
		struct sb u = SB_INIT;
		sb_addf(&u, "%s.html", stems[i]);
		ie[i].url = sb_detach(&u);

		/* the print part reads the build's own directories */
		pc[i] = c[i];
		pc[i].o.outdir = print;
		pc[i].o.rundir = in[i].rundir ? join3(runroot, stems[i], NULL) : NULL;
		pc[i].o.tangledir = join3(tangleroot, stems[i], NULL);
	}

	/* The index, the book on one page, the claims appendix. */
	char *kpath = join3(html, "kernels.html", NULL);
	struct index_links links = { "book.html", "book.pdf", "claims.html",
				     access(kpath, F_OK) == 0 ? "kernels.html" : NULL };
	free(kpath);
	sb_reset(&page);
	render_index(ie, (size_t)n, prov, &links, &page);
	sb_reset(&path);
	sb_addf(&path, "%s/index.html", html);
	if (site_write(path.buf, &page, &made))
		status = 1;
	sb_reset(&page);
	render_single(c, (size_t)n, prov, &page);
	sb_reset(&path);
	sb_addf(&path, "%s/book.html", html);
	if (site_write(path.buf, &page, &made))
		status = 1;
	sb_reset(&page);
	render_appendix(c, (size_t)n, prov, &page);
	sb_reset(&path);
	sb_addf(&path, "%s/claims.html", html);
	if (site_write(path.buf, &page, &made))
		status = 1;

	/* The book for print, in parts. */
	if (write_print_parts(print, pc, n, prov))
		status = 1;
	/* Each part's PDF stays beside it too: code/pdf/pdfbook.py renders
	 * again only the parts that changed (swept, every weave made the next
	 * PDF a whole one again); a deleted chapter's goes with its part. */
	for (long part = PRINT_BACK; part < n; part++) {
		const char *name = part == PRINT_FRONT ? "front" : part == PRINT_BACK ? "back" : stems[part];
		sb_reset(&path);
		sb_addf(&path, "%s/%s.html", print, name);
		outset_add(&printed, path.buf);
		sb_reset(&path);
		sb_addf(&path, "%s/%s.pdf", print, name);
		outset_add(&printed, path.buf);
	}

	/* Nothing else: a deleted chapter's page and files, files its run no
	 * longer has, temporaries of a weave that was killed. */
	if (!status && (sweep(html, &made, site_keep) < 0 || sweep(print, &printed, print_keep) < 0))
		status = 1;
	highlight_wait_all();

	for (int i = 0; i < n; i++) {
		chapter_inputs_release(&in[i]);
		free(stems[i]);
		free(runs[i]);
		free(tangles[i]);
		free((char *)ie[i].url);
		free((char *)pc[i].o.rundir);
		free((char *)pc[i].o.tangledir);
	}
	free(in);
	free(c);
	free(pc);
	free(stems);
	free(runs);
	free(tangles);
	free(ie);
	free(html);
	free(kdir);
	free(print);
	free(runroot);
	free(tangleroot);
	provenance_release(&here);
	outset_release(&made);
	outset_release(&printed);
	sb_release(&page);
	sb_release(&table);
	sb_release(&path);
	return status;
}

int main(int argc, char **argv)
{
	enum { O_RUN = 256, O_PREV, O_PREV_TITLE, O_NEXT, O_NEXT_TITLE, O_INDEX,
	       O_RUN_ROOT, O_TANGLED, O_CONTENTS, O_SINGLE, O_APPENDIX, O_PDF, O_PRINT,
	       O_ERRORS, O_ERRORS_ROOT, O_SITE, O_KERNELS };
	static const struct option longopts[] = {
		{ "run", required_argument, NULL, O_RUN },
		{ "prev", required_argument, NULL, O_PREV },
		{ "prev-title", required_argument, NULL, O_PREV_TITLE },
		{ "next", required_argument, NULL, O_NEXT },
		{ "next-title", required_argument, NULL, O_NEXT_TITLE },
		{ "index", no_argument, NULL, O_INDEX },
		{ "single", no_argument, NULL, O_SINGLE },
		{ "appendix", no_argument, NULL, O_APPENDIX },
		{ "print", no_argument, NULL, O_PRINT },
		{ "run-root", required_argument, NULL, O_RUN_ROOT },
		{ "tangled", required_argument, NULL, O_TANGLED },
		{ "contents", required_argument, NULL, O_CONTENTS },
		{ "pdf", required_argument, NULL, O_PDF },
		{ "errors", required_argument, NULL, O_ERRORS },
		{ "errors-root", required_argument, NULL, O_ERRORS_ROOT },
		{ "site", required_argument, NULL, O_SITE },
		{ "kernels", required_argument, NULL, O_KERNELS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct weave_opts o = { 0 };
	const char *out = NULL, *runroot = NULL, *tangled = NULL, *rundir = NULL, *errdir = NULL;
	const char *site = NULL;
	const char *prev = NULL, *next = NULL, *pdf = "../book.pdf";
	int index = 0, single = 0, appendix = 0, print = 0, opt;

	progname = "weave";
	o.index_url = "index.html";
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case O_RUN: rundir = optarg; break;
		case O_PREV: prev = optarg; break;
		case O_PREV_TITLE: o.prev_title = optarg; break;
		case O_NEXT: next = optarg; break;
		case O_NEXT_TITLE: o.next_title = optarg; break;
		case O_INDEX: index = 1; break;
		case O_SINGLE: single = 1; break;
		case O_APPENDIX: appendix = 1; break;
		case O_PRINT: print = 1; break;
		case O_RUN_ROOT: runroot = optarg; break;
		case O_TANGLED: tangled = optarg; break;
		case O_CONTENTS: o.index_url = *optarg ? optarg : NULL; break;
		case O_PDF: pdf = *optarg ? optarg : NULL; break;
		case O_ERRORS: errdir = optarg; break;
		case O_ERRORS_ROOT: errors_root = optarg; break;
		case O_SITE: site = optarg; break;
		case O_KERNELS: o.kernels = optarg; break;
		default: usage();
		}
	}
	if (site) {
		if (out || index || single || appendix || print || optind >= argc)
			usage();
		say_written = 1;
		return weave_site(site, argv + optind, argc - optind);
	}
	int many = index + single + appendix + print;
	if (o.kernels && !many && optind == argc && out) {
		struct sb page = SB_INIT;
		char *dir = dir_of(out);
		int st = render_kernels(o.kernels, dir, &page) < 0 ? 1 : write_page(out, &page);
		free(dir);
		sb_release(&page);
		return st;
	}
	if (!out || optind >= argc || many > 1 || (!many && optind != argc - 1))
		usage();
	if (index)
		return weave_index(out, runroot, pdf, argv + optind, argc - optind);
	if (single || appendix || print)
		return weave_book(out, runroot, argv + optind, argc - optind,
				  single ? BOOK_SINGLE : print ? BOOK_PRINT : BOOK_APPENDIX);

	struct chapter_inputs in;
	char *outdir = dir_of(out), *owned[4] = { NULL, NULL, NULL, NULL };
	struct sb page = SB_INIT;
	int status = 0;

	if (chapter_inputs_read(&in, argv[optind], rundir, errdir) < 0) {
		chapter_inputs_release(&in);
		free(outdir);
		return 1;
	}
	if (tangled)
		in.tangledir = xstrdup(tangled);
	if (!in.have_prov)
		provenance_here(&in.prov);
	opts_from(&o, &in, outdir);
	if (prev)
		neighbour(prev, &o.prev_url, &o.prev_title, &owned[0], &owned[1]);
	if (next)
		neighbour(next, &o.next_url, &o.next_title, &owned[2], &owned[3]);
	render_chapter(in.ch, &o, &page);
	status = write_page(out, &page);

	sb_release(&page);
	for (int i = 0; i < 4; i++)
		free(owned[i]);
	free(outdir);
	chapter_inputs_release(&in);
	return status;
}
