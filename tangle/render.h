/*
 * render.h: a chapter as a standalone HTML5 page (weave's work), and the
 * book's index page.
 *
 * The page needs no network and no JavaScript: CSS is inline, code blocks
 * scroll sideways on a phone, and it prints cleanly. Placeholders are filled
 * from the run directory of the chapter (see struct weave_opts); whatever is
 * missing there is shown as a box saying so, never as a failure. Every byte
 * of program output and code is HTML-escaped.
 */
#ifndef TANGLE_RENDER_H
#define TANGLE_RENDER_H

#include "chapter.h"
#include "util.h"

/* "key value" lines of RUNDIR/build-info, in file order. kernel and date are
 * the ones every page shows. */
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
};

/* Appends the whole page for ch to out. */
void render_chapter(const struct chapter *ch, const struct weave_opts *o,
		    struct sb *out);

struct index_entry {
	const char *title;	/* chapter title */
	const char *url;	/* its page, relative to the index */
	int failed;		/* its run directory has a non-empty errors.txt */
};

/* Appends the book's landing page to out. */
void render_index(const struct index_entry *e, size_t n,
		  const struct provenance *prov, struct sb *out);

#endif
