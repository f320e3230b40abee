/*
 * highlight.h: syntax highlighting of code blocks with GNU source-highlight
 * (Debian package source-highlight), run once per page for all its blocks.
 *
 * The blocks are joined with a sentinel line between them, highlighted in
 * one run of `source-highlight -s LANG -f xhtml --css=... --no-doc`, and
 * split again. Its spans are renamed `hl-CLASS` (hl-keyword, hl-comment,
 * hl-string, ...) so they cannot clash with the page's own classes; its
 * "normal" spans are dropped. Line i of the output is line i of the input,
 * every line self-contained (source-highlight closes its spans at each line
 * end). The environment variable WEAVE_HIGHLIGHTER names another command
 * to run instead (the tests use it to simulate a missing highlighter).
 */
#ifndef TANGLE_HIGHLIGHT_H
#define TANGLE_HIGHLIGHT_H

#include <stddef.h>

#include "util.h"

/* Returns 1 if weave can highlight code in lang ("c"). */
int highlight_supports(const char *lang);

/*
 * Highlights n texts (texts[i] of lens[i] bytes, lines ending in LF) of
 * language lang. out[i] (n buffers, initialised with SB_INIT) receives the
 * HTML of text i, one LF-terminated line per input line; it stays empty
 * (len 0) if that text could not be highlighted, and the caller shows it
 * plain. Returns 0 if the highlighter ran, -1 if it could not be run (a
 * warning is printed to stderr the first time).
 */
int highlight(const char *lang, const char *const *texts, const size_t *lens,
	      size_t n, struct sb *out);

/*
 * Starts highlighting the same n texts in the background, for a later
 * highlight() of them to take (it waits for this run instead of starting
 * one); weave --site starts every page's so, and the highlighters run side
 * by side, a few at a time. Warnings are printed by the highlight() that
 * takes the result, as if it had run the highlighter itself.
 */
void highlight_start(const char *lang, const char *const *texts, const size_t *lens, size_t n);

/* Waits for every highlighter highlight_start() started (before exiting). */
void highlight_wait_all(void);

#endif
