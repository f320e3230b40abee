/*
 * expand.h: tangling, i.e. building a program file from its blocks by
 * expanding chunk references.
 *
 * Blocks of a file are joined in document order. A line holding only
 * `<<NAME>>` is replaced by the blocks of chunk NAME, each of their lines
 * prefixed by the reference's indentation (blank lines stay blank). For C
 * files (.c, .h) the output carries `#line N "PATH"` directives wherever the
 * next output line does not follow the previous one in the chapter, so the
 * compiler and gdb name the chapter's line. Output lines end in LF.
 */
#ifndef TANGLE_EXPAND_H
#define TANGLE_EXPAND_H

#include "chapter.h"

/* Returns 1 if a file of that name gets #line directives. */
int expand_wants_line_directives(const char *name);

/*
 * Appends the tangled text of file target f to out. Chunks that are missing
 * or that would include themselves are skipped (chapter_parse reports them
 * as errors, so a careful caller never tangles such a chapter).
 */
void expand_file(const struct chapter *ch, size_t f, struct sb *out);

/*
 * Appends the experiment list read by the harness (code/run/experiments.c),
 * one record per experiment in document order; its grammar is in
 * code/FORMATS.md, section "build/tangle/STEM/experiments":
 *
 *     experiment NAME
 *     line N
 *     capture FILTER
 *     timeout SECONDS
 *     deterministic no          (only for an experiment marked racy)
 *     role ROLE PROGRAM.c [ARGS]
 *     end
 */
void expand_experiments(const struct chapter *ch, struct sb *out);

/*
 * Appends the claims read by code/check/claims.c: every `claims` block's
 * items as chapter_parse found them, in document order, in the format of
 * claims_write (claims.h; code/FORMATS.md, section
 * "build/tangle/STEM/claims"):
 *
 *     claims close
 *     item 12 1 0	The server's close() sends a FIN.
 *     check 13 3	packet: 127.0.0.1.9999 > * Flags [F.]
 *     end
 */
void expand_claims(const struct chapter *ch, struct sb *out);

#endif
