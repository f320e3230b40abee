/*
 * html.h: small HTML helpers for weave: escaping, anchor ids and relative
 * links. Everything appends to a `struct sb`; nothing here allocates memory
 * the caller must free, except html_relative_path.
 */
#ifndef TANGLE_HTML_H
#define TANGLE_HTML_H

#include <stddef.h>

#include "util.h"

/* Appends s (n bytes) with &, <, >, " and ' escaped, as valid UTF-8 with no
 * control character but newline and tab, whatever s holds: a program's
 * output reaches the page as text. Control bytes are shown as C writes
 * them (\e for ESC, \a, \b, \f, \r, \v, \0, else \xNN), C1 controls as
 * \u0080 to \u009f, and each byte that is not part of valid UTF-8 as \xNN.
 * Safe both as text and inside a quoted attribute. */
void html_escape(struct sb *out, const char *s, size_t n);
void html_escapes(struct sb *out, const char *s);

/* Appends an id usable in id="" and href="#": prefix, then name with every
 * byte outside [A-Za-z0-9-] written as _XX (hex), so distinct names give
 * distinct ids, for any bytes; then "-N" if nth > 1. */
void html_anchor(struct sb *out, const char *prefix, const char *name,
		 size_t n, int nth);

/* Appends a URL path with bytes outside the unreserved set and '/'
 * percent-encoded. */
void html_url_path(struct sb *out, const char *path);

/*
 * Returns the path of `target` relative to the directory `fromdir`, both
 * taken relative to the current directory unless absolute; computed
 * lexically (no symlinks resolved, the files need not exist). The caller
 * frees the result. Returns NULL only if the current directory is unknown.
 */
char *html_relative_path(const char *fromdir, const char *target);

#endif
