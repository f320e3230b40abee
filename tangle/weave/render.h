/*
 * render.h: a chapter as a standalone HTML5 page (weave's work), the whole
 * book on one page (for reading offline and for the PDF), the appendix of
 * claims, and the book's index page.
 *
 * Pages need no network and no JavaScript: the CSS (tangle/weave/book.css) is
 * inline, code blocks scroll sideways on a phone, and they print cleanly.
 * Placeholders are filled from the run directory of the chapter (see struct
 * weave_opts); whatever is missing there is shown as a box saying so, never
 * as a failure. Every byte of program output, trace and code is
 * HTML-escaped.
 */
#ifndef TANGLE_RENDER_H
#define TANGLE_RENDER_H

#include "chapter.h"
#include "claimfile.h"
#include "util.h"

/* "key value" lines of RUNDIR/build-info, in file order: kernel, date,
 * machine, libpcap, distribution, compiler, and `sysctl NAME VALUE`. */
struct provenance {
	char **keys, **vals;	/* owned */
	size_t n, cap;
};
#define PROVENANCE_INIT { NULL, NULL, 0, 0 }

/* Reads path into p. Returns 0, or -1 if it cannot be read (p untouched). */
int provenance_read(const char *path, struct provenance *p);
/* Fills p from this machine: uname -r and the current time (UTC). */
void provenance_here(struct provenance *p);
/* Returns the value of key, or NULL. */
const char *provenance_get(const struct provenance *p, const char *key);
void provenance_release(struct provenance *p);

struct weave_opts {
	const char *rundir;	/* the chapter's run directory, or NULL */
	const char *outdir;	/* directory of the page; links are relative to it */
	const char *tangledir;	/* directory holding the tangled files */
	const char *prev_url, *prev_title;	/* may be NULL */
	const char *next_url, *next_title;
	const char *index_url;	/* may be NULL */
	const struct provenance *prov;
	const char *errors;	/* content of RUNDIR/errors.txt, or NULL */
	const struct claims *claims;	/* RUNDIR/claims.txt, or NULL if absent */
	/* Put in front of every id and in-page link ("" or NULL on a page of
	 * the chapter's own; "STEM." on the single page). */
	const char *idprefix;
	/* build/kernels of a `make matrix` run: the page shows the chapter's
	 * claims on each kernel (render-kernels.h); NULL for none. */
	const char *kernels;
};

/* Appends the whole page for ch to out. */
void render_chapter(const struct chapter *ch, const struct weave_opts *o,
		    struct sb *out);

/* Starts highlighting ch's code in the background, for render_chapter()
 * (and the single page, the print part) to take; weave --site starts every
 * chapter's before it renders the first, so that the highlighters run side
 * by side (highlight.h). The pages are the same either way. */
void render_highlight_start(const struct chapter *ch);

/* One chapter of the book, for the single page and the appendix. */
struct book_chapter {
	const struct chapter *ch;	/* NULL if it could not be read */
	const char *stem;		/* "02-server-close" */
	const char *title;
	int failed;			/* errors in the chapter or its build */
	struct weave_opts o;		/* idprefix is set by render_single */
};

/* Appends the whole book as one page: a title page, the contents, every
 * chapter, and the claims appendix. Ids are prefixed with each chapter's
 * stem, so they stay unique. */
void render_single(struct book_chapter *c, size_t n, const struct provenance *prov,
		   struct sb *out);

/* The book for print, in parts that code/pdf/pdfbook.py renders to PDF one by
 * one (in parallel, and again only when a part changes) and joins into the
 * book: the front matter (title page and contents), one part per chapter,
 * and the back matter (claims appendix and colophon). Together they hold
 * exactly what render_single writes, with the same ids; each part is a
 * page of its own, whose body has the classes "single print-part" (the
 * print CSS leaves the page numbers to the assembly). Links between parts
 * point at ids in other parts ("#STEM"): the assembly resolves them. */
enum { PRINT_FRONT = -1, PRINT_BACK = -2 };

/* Appends part `part` of the book: PRINT_FRONT, PRINT_BACK, or the index
 * of a chapter in c (0..n-1; anything else is a programmer error). */
void render_print_part(struct book_chapter *c, size_t n, const struct provenance *prov,
		       long part, struct sb *out);

/* Appends the page listing every claim of the book with its result on this
 * build, each linking to the claim in its chapter's page. */
void render_appendix(const struct book_chapter *c, size_t n,
		     const struct provenance *prov, struct sb *out);

struct index_entry {
	const char *title;	/* chapter title */
	const char *url;	/* its page, relative to the index */
	int failed;		/* its run directory has a non-empty errors.txt */
};

/* Links on the index page to the other editions; NULL leaves one out. */
struct index_links {
	const char *single;	/* the book on one page (book.html) */
	const char *pdf;	/* the PDF */
	const char *claims;	/* the claims appendix (claims.html) */
	const char *kernels;	/* the kernel comparison (kernels.html, made by
				 * make matrix), or NULL when it was not made */
};

/* Appends the book's landing page to out. */
void render_index(const struct index_entry *e, size_t n,
		  const struct provenance *prov, const struct index_links *links,
		  struct sb *out);

#endif
