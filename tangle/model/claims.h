/*
 * claims.h: the claim syntax of AUTHORING.md section 4, parsed once.
 *
 * This is the only parser of a ```claims EXP``` block. chapter_parse runs it
 * on every claims block, so tangle reports a claim's mistakes with the
 * chapter's other mistakes, as `file:line:col: error: ...`, before anything
 * compiles; weave renders the items it found, in its order; tangle writes
 * them to OUTDIR/claims (claims_write) and code/check/claims.c reads that
 * file back (claims_load) and only evaluates. The checker parses each check
 * line again with claim_check_parse, the same function tangle used, so the
 * two cannot disagree.
 *
 * A block is a list of items. An item starts at a line whose first non-blank
 * characters are a bullet (`- `, `* ` or `+ `) and a sentence; the
 * sentence may go on over the next lines until its first check; every line
 * after that, up to the next item, must be a check. A check is
 *
 *     [no ]packet: P                 [no ]sockets at STEP: P
 *     [no ]ROLE: P                   ROLE ends: P
 *     [no ]ROLE output: P            [no ]ROLE stderr: P
 *     [no ]ROLE states: P
 *     count KIND: P OP N             (KIND any of the line kinds above)
 *     time EVENT -> EVENT OP D [±T]  EVENT: packet[K]: P, ROLE[K]: P,
 *                                    ROLE[K] returns: P, step: NAME
 *
 * where ROLE is a role of the experiment or a child of one (`client/1`),
 * OP one of = != < <= > >=, D a duration (`1 s`, `200 ms`, `50 us`) and T a
 * tolerance (`20%` or a duration); K is 1-based or `last`. A pattern P
 * matches a line containing it; `*` stands for any text and `{OP N}` for
 * an integer that compares so (`recv-q {>=1}`); `P1 ; P2` asks for lines in
 * that order.
 *
 * Invariant: every claim_item has a sentence and at least one check once
 * claims_parse reported no error for it.
 */
#ifndef TANGLE_CLAIMS_H
#define TANGLE_CLAIMS_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

enum check_kind {
	CHECK_LINES,		/* some line (or sequence) of a section matches */
	CHECK_FATE,		/* the last line of a role: how it ended */
	CHECK_COUNT,		/* how many lines of a section match */
	CHECK_TIME,		/* the time between two matched events */
};

enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

/* One end of a time check. */
struct claim_event {
	char *section;		/* "packets", "role client", "sockets at (x)", or
				 * NULL for a step */
	int nth;		/* 1-based; 0 means the last */
	int returns;		/* a call's return rather than its start; for a
				 * socket ("expires"), when its timer fires */
	int expires;		/* written "expires": a socket's timer */
	char *pattern;		/* for a step: its name */
};

struct claim_check {
	int line, col;		/* chapter position of the check */
	char *text;		/* as written, blanks trimmed */
	enum check_kind kind;
	int negated;		/* "no ...": only CHECK_LINES */
	char *section;		/* observations section, e.g. "sockets at (x)" */
	char *pattern;		/* CHECK_LINES, CHECK_FATE, CHECK_COUNT */
	enum cmp_op op;		/* CHECK_COUNT, CHECK_TIME */
	double value;		/* count: N; time: seconds */
	double tolerance;	/* time: seconds (absolute), 0 if none */
	struct claim_event from, to;	/* CHECK_TIME */
};

struct claim_item {
	int line, col;		/* chapter position of the bullet */
	int varies;		/* the sentence starts with "(varies)" */
	char *text;		/* the sentence, with "(varies)" as written */
	struct claim_check *checks;
	size_t nchecks, capchecks;
};

struct claim_list {
	struct claim_item *v;	/* owned, with everything they point to */
	size_t n, cap;
};
#define CLAIM_LIST_INIT { NULL, 0, 0 }

/* What the parser can know of the experiment a block is about. */
struct claim_scope {
	const char *experiment;		/* for messages; may be NULL */
	const char *const *roles;	/* NULL: any role name is accepted */
	size_t nroles;
	const char *const *steps;	/* the steps the programs announce */
	size_t nsteps;
	int steps_known;		/* 0: a program computes a step's name */
};

/*
 * Parses a block's content (len bytes, LF or CRLF lines), whose first line
 * is chapter line line0 and whose text starts at column col0, appending its
 * items to out. Mistakes go to d (which may be NULL) as errors; an item with
 * a mistake is still appended, without the bad check.
 */
void claims_parse(const char *text, size_t len, int line0, int col0,
		  const struct claim_scope *sc, struct claim_list *out, struct diags *d);

/*
 * Parses one check line (trimmed, no newline) into c. Returns 0, or -1 with
 * a message in why (c then holds nothing to free). sc may be NULL: then any
 * role and step is accepted.
 */
int claim_check_parse(const char *line, const struct claim_scope *sc,
		      struct claim_check *c, char *why, size_t whylen);

/* Does line contain a match for pattern (one pattern, no " ; ")? */
int claim_pattern_matches(const char *line, const char *pattern);

/* Splits a copy of "P1 ; P2 ; P3" into its patterns: *n gets the count;
 * the caller frees the array and its first element. */
char **claim_split_sequence(const char *pattern, int *n);

/* "=", "<=", ...; and whether a OP b holds. */
const char *claim_op_name(enum cmp_op op);
int claim_compare(double a, enum cmp_op op, double b);

/*
 * The file tangle writes for the checker, OUTDIR/claims: per block
 *
 *     claims EXP
 *     item LINE COL VARIES<TAB>SENTENCE
 *     check LINE COL<TAB>CHECK-TEXT        one or more per item
 *     end
 *
 * claims_write appends one block; claims_load reads a whole file into
 * blocks (each check parsed again with claim_check_parse and no scope).
 * claims_load returns 0, or -1 with errno set when the file cannot be read,
 * or -2 when it is not such a file (a message in why).
 */
void claims_write(const char *experiment, const struct claim_list *l, struct sb *out);

struct claim_block {
	char *experiment;
	struct claim_list items;
};
struct claim_file {
	struct claim_block *v;
	size_t n, cap;
};
#define CLAIM_FILE_INIT { NULL, 0, 0 }
int claims_load(const char *path, struct claim_file *f, char *why, size_t whylen);
void claim_file_release(struct claim_file *f);

void claim_check_release(struct claim_check *c);
void claim_list_release(struct claim_list *l);

#endif
