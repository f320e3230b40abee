/*
 * chapter.h: a chapter parsed into the model that tangle and weave share.
 *
 * chapter_parse reads a chapter's Markdown with cmark and walks cmark's tree
 * (never the raw text) to find the fenced code blocks that AUTHORING.md gives
 * a meaning: program code (`c file=NAME`, `c chunk=NAME`), experiments
 * (`experiment name=NAME`), placeholders (`trace EXP`, `output EXP ROLE`,
 * `timeline EXP`, `diagram EXP`) and claims (`claims EXP`).
 * The raw source lines are consulted only for what cmark does not expose:
 * the exact fence and whether it is ever closed.
 *
 * Every mistake found is recorded in `diags`, with the chapter line and
 * column; the model is still complete enough to render a page.
 *
 * Invariants after chapter_parse: every block of kind BLOCK_CODE has exactly
 * one of `file` or `chunk` set (>= 0); blocks of one file or chunk are linked
 * through `next` in document order; every chunk has at least one block.
 */
#ifndef TANGLE_CHAPTER_H
#define TANGLE_CHAPTER_H

#include <cmark.h>
#include <stddef.h>

#include "claims.h"
#include "diag.h"
#include "util.h"

enum block_kind {
	BLOCK_PLAIN,		/* any other code block: shown, not tangled */
	BLOCK_CODE,		/* file= or chunk= */
	BLOCK_EXPERIMENT,	/* experiment name=NAME */
	BLOCK_TRACE,		/* trace EXP */
	BLOCK_OUTPUT,		/* output EXP ROLE */
	BLOCK_TIMELINE,		/* timeline EXP */
	BLOCK_DIAGRAM,		/* diagram EXP */
	BLOCK_TABLE,		/* table NAME: a table the build makes for the
				 * whole book, RUNROOT/NAME.tsv; exp_name holds
				 * NAME */
	BLOCK_CLAIMS,		/* claims EXP: the chapter's expectations */
};

struct block {
	enum block_kind kind;
	cmark_node *node;	/* borrowed from the chapter's document */
	int line, col;		/* the opening fence (col of its first char) */
	int content_line;	/* chapter line of the first content line */
	const char *text;	/* content as cmark gives it; owned by node */
	size_t len;
	char *lang;		/* first word of the info string, "" if none */
	int file;		/* index in chapter.files, or -1 */
	int chunk;		/* index in chapter.chunks, or -1 */
	int next;		/* next block of the same file/chunk, or -1 */
	int nth;		/* 1 for the first block of its file/chunk */
	int experiment;		/* experiment defined or shown here, or -1 */
	char *exp_name;		/* placeholders, claims: experiment named, or NULL */
	char *role_name;	/* output: role named, or NULL */
	int unterminated;	/* the fence is never closed */
	struct claim_list claims;	/* claims: its items (claims.h) */
};

struct chunk {
	char *name;
	size_t namelen;
	int first, last, nblocks;	/* its blocks, linked by block.next */
	int *users;			/* blocks that include it, document order */
	size_t nusers, capusers;
};

struct target {
	char *name;		/* relative path of the tangled file */
	char *lang;
	int first, last, nblocks;
};

struct role {
	char *name;
	char *program;		/* a .c file target of the chapter */
	char *args;		/* the rest of the line, "" if none */
	int line, col;
};

/* A line of the wire (wirespec.h): a fault, the link, a sysctl. */
struct wire_line {
	char *key, *value;
	int line, col;		/* where the value starts */
};

struct experiment {
	char *name;
	int block;
	int line;
	char *capture;		/* NULL if missing (an error) */
	int timeout;		/* seconds */
	int racy;		/* "deterministic: no": runs may differ */
	struct role *roles;
	size_t nroles, caproles;
	struct wire_line *wire;	/* in the block's order */
	size_t nwire, capwire;
};

struct chapter {
	char *path;		/* as given by the caller; used in messages */
	char *src;		/* the raw bytes, NUL-terminated */
	size_t srclen;
	cmark_node *doc;	/* cmark's tree, owned */
	char *title;		/* text of the first heading, or NULL */

	struct block *blocks;
	size_t nblocks, capblocks;
	struct chunk *chunks;
	size_t nchunks, capchunks;
	struct map chunk_map;
	struct target *files;
	size_t nfiles, capfiles;
	struct map file_map;
	struct experiment *exps;
	size_t nexps, capexps;
	struct map exp_map;

	struct diags diags;

	/* The step names the programs announce, lab_step("NAME") in any code
	 * block; steps_known is 0 when some lab_step() computes its name. */
	char **steps;
	size_t nsteps, capsteps;
	int steps_known;

	/* raw line starts, private to chapter.c */
	size_t *line_start;
	size_t nlines;
};

#define EXPERIMENT_DEFAULT_TIMEOUT 5
#define EXPERIMENT_MAX_TIMEOUT 120

/*
 * Parses len bytes of Markdown (any bytes: invalid UTF-8, NULs, CR or CRLF
 * line ends and a BOM are accepted). path is used in messages only. Never
 * returns NULL; the caller frees the result with chapter_free.
 */
struct chapter *chapter_parse(const char *path, const char *buf, size_t len);
void chapter_free(struct chapter *ch);

/*
 * Returns 1 if the line (len bytes, no newline) holds only a chunk reference
 * `<<NAME>>` with optional surrounding blanks; then *indent is the number of
 * leading blank bytes and name/namelen the NAME. Returns 0 otherwise.
 */
int chapter_line_ref(const char *line, size_t len, size_t *indent,
		     const char **name, size_t *namelen);

/* Returns 1 if blocks of this kind name an experiment in exp_name. */
int block_names_experiment(enum block_kind kind);

/* Returns the chunk called name, or -1. */
int chapter_chunk(const struct chapter *ch, const char *name, size_t namelen);
/* Returns the experiment called name, or -1. */
int chapter_experiment(const struct chapter *ch, const char *name);
/* Returns the role of experiment e called name, or -1. */
int experiment_role(const struct experiment *e, const char *name);

#endif
