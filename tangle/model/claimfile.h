/*
 * claimfile.h: the claims of a chapter, as weave shows them.
 *
 * Two sources: the chapter's ```claims EXP``` blocks (the sentences, as the
 * author wrote them; enough to list them when nothing was checked), and
 * RUNDIR/claims.txt, written by code/check/claims.c on every build, holding each
 * claim's result:
 *
 *     claim LINE RESULT          RESULT: confirmed, differs, varies,
 *     experiment EXP                     unchecked or invalid
 *     text SENTENCE
 *     varies 0|1
 *     check CHECK-LINE           one or more
 *     observed LINE              zero or more
 *     reason TEXT                zero or one
 *     end
 *
 * LINE is the chapter line of the claim's sentence; that is how a result is
 * matched with its block and its item.
 */
#ifndef TANGLE_CLAIMFILE_H
#define TANGLE_CLAIMFILE_H

#include <stddef.h>

#include "chapter.h"

struct claim {
	int line;		/* chapter line of the sentence */
	char *result;		/* NULL for an item not checked in this build */
	char *experiment;	/* may be NULL */
	char *text;		/* the sentence */
	int varies;
	char **checks;		/* ncheck strings */
	size_t ncheck, capcheck;
	char **observed;
	size_t nobserved, capobserved;
	char *reason;		/* may be NULL */
};

struct claims {
	struct claim *v;	/* owned, with everything they point to */
	size_t n, cap;
};
#define CLAIMS_INIT { NULL, 0, 0 }

/*
 * Reads RUNDIR/claims.txt (path) into c, appending records in file order.
 * Malformed lines are skipped. Returns 0, or -1 if the file cannot be read
 * (c untouched).
 */
int claims_read(const char *path, struct claims *c);

/*
 * Appends the items of claims block b of ch to c, as chapter_parse found
 * them (claims.h: the one parser of the syntax), in their order; result is
 * left NULL.
 */
void claims_from_block(const struct chapter *ch, const struct block *b,
		       struct claims *c);

/* Returns the record for line, or NULL. */
const struct claim *claims_find(const struct claims *c, int line);

/* Number of chapter lines block b's content spans. */
int block_content_lines(const struct block *b);

void claims_release(struct claims *c);

#endif
