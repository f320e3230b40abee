/*
 * diag.h: diagnostics about a chapter, printed the way a compiler prints
 * them: "chapters/x.md:LINE:COL: error: message".
 *
 * A `struct diags` collects every diagnostic of a run, so that all of a
 * chapter's mistakes are reported at once; diags_print sorts them by
 * position. Messages follow git's wording: lowercase, no full stop, the
 * subject in quotes.
 */
#ifndef TANGLE_DIAG_H
#define TANGLE_DIAG_H

#include <stdio.h>

enum severity { DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum severity sev;
	int line, col;		/* 1-based; col 0 means "no column" */
	int seq;		/* order of discovery, to keep the sort stable */
	char *msg;		/* owned by the diags list */
};

struct diags {
	struct diag *v;
	size_t n, cap;
	int errors, warnings;
};
#define DIAGS_INIT { NULL, 0, 0, 0, 0 }

/* Adds a diagnostic; the message is formatted with printf rules. */
void diag_add(struct diags *d, enum severity sev, int line, int col,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sorts the diagnostics by position and prints them to f, each prefixed by
 * path. */
void diags_print(struct diags *d, const char *path, FILE *f);
/* Formats one diagnostic as printed by diags_print, without the newline;
 * the caller frees the result. */
char *diag_format(const struct diag *dg, const char *path);
void diags_sort(struct diags *d);
void diags_release(struct diags *d);

#endif
