/*
 * render-parts.h: what the modules of weave's renderer share (render.h is
 * the renderer's public face; render.c was one file, split along its own
 * banners). Not for use outside tangle/weave/.
 */
#ifndef TANGLE_RENDER_PARTS_H
#define TANGLE_RENDER_PARTS_H

#include "render.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include "highlight.h"
#include "html.h"
/* At most this much of one output file is shown on a page. */
#define SHOW_MAX (64 * 1024)

/* tangle/weave/book.css, embedded by css.c. */
extern const char book_css[];

#define BOOK_TITLE "Linux TCP, by experiment"

/* What rendering one chapter needs, passed down instead of globals. */
struct ctx {
	const struct chapter *ch;
	const struct weave_opts *o;
	struct sb *hl;		/* per block: highlighted lines, or empty */
};

/* render-provenance.c: provenance: where and with what a page was built */
void prov_add(struct provenance *p, const char *k, size_t kn, const char *v, size_t vn);
void short_version(struct sb *out, const char *key, const char *v);
void built_line(struct sb *out, const struct provenance *p);
/* One chapter's line of a contents list (the index's, the single page's):
 * <li> with a link to url, or to #STEM when url is NULL, the title and a
 * "failed to build" badge (render-index.c). */
void contents_item(struct sb *out, const char *url, const char *stem, const char *title, int failed);
void provenance_table(struct sb *out, const struct provenance *p);
void footer(struct sb *out, const struct provenance *p);
void page_start(struct sb *out, const char *title, const char *bodyclass);

/* render-anchors.c: anchors, ids and file names on a page */
void anchor(struct sb *out, const struct weave_opts *o, const char *prefix, const char *name, size_t n, int nth);
void block_anchor(struct sb *out, const struct ctx *x, int bi);
void block_label(struct sb *out, const struct chapter *ch, int bi);
void block_link(struct sb *out, const struct ctx *x, int bi);
void experiment_link(struct sb *out, const struct weave_opts *o, const char *exp);

/* render-code.c: code blocks, highlighted, with their chunk links */
void highlight_blocks(struct ctx *x);
void render_code(struct sb *out, const struct ctx *x, const char *lang, const char *text, size_t len, int links, const struct sb *hl);
void code_block(struct sb *out, const struct ctx *x, int bi);
void experiment_block(struct sb *out, const struct ctx *x, int bi);

/* render-output.c: the run's output: traces, timelines, outputs, diagrams, tables */
int read_capped(const char *path, struct sb *s, long long *total);
void run_path(struct sb *p, const struct weave_opts *o, const char *exp, const char *file);
void file_url(struct sb *out, const struct weave_opts *o, const char *path);
void file_link(struct sb *out, const struct weave_opts *o, const char *path, const char *label);
int is_bad_line(const char *s, size_t n);
void trace_lines(struct sb *out, const char *s, size_t len);
void timeline_line(struct sb *out, const char *p, size_t n);
void more_note(struct sb *out, const struct weave_opts *o, const char *path, long long more);
int show_file(struct sb *out, const struct weave_opts *o, const char *path, const char *cls, const char *label, int skip_empty);
void missing(struct sb *out, const struct block *b, const char *exp, const char *why);
int exists(const char *path);
int placeholder_ok(struct sb *out, const struct ctx *x, const struct block *b);
void run_head(struct sb *out, const struct ctx *x, const char *cls, const char *what, const char *exp);
void trace_block(struct sb *out, const struct ctx *x, int bi);
void timeline_block(struct sb *out, const struct ctx *x, int bi);
void table_block(struct sb *out, const struct ctx *x, int bi);
void diagram_block(struct sb *out, const struct ctx *x, int bi);
/* After the first trace, timeline or output placeholder of an experiment
 * whose chapter has no diagram placeholder for it: its diagram, so that
 * every experiment that ran has one on its page and in the PDF. */
void diagram_auto(struct sb *out, const struct ctx *x, int bi);
void output_block(struct sb *out, const struct ctx *x, int bi);

/* render-claims.c: claims and their results on a page */
void sentence(struct sb *out, const char *text);
const char *verdict_label(const struct claim *k);
const char *verdict_class(const struct claim *k);
void pre_lines(struct sb *out, const char *cls, char **v, size_t n);
void claim_item(struct sb *out, const struct weave_opts *o, const struct claim *k);
void claims_list(struct sb *out, const struct chapter *ch, const struct block *b, const struct weave_opts *o);
void claims_block(struct sb *out, const struct ctx *x, int bi);

/* render-page.c: one chapter's page */
void nav(struct sb *out, const struct weave_opts *o, const char *cls);
void problems(struct sb *out, const struct chapter *ch, const struct weave_opts *o);
void chapter_body(const struct chapter *ch, const struct weave_opts *o, struct sb *out);

/* render-appendix.c: the claims appendix */
void count_claims(const struct book_chapter *c, int *count);
void appendix_chapter(struct sb *out, const struct book_chapter *c, const char *page, const char *prefix);
void appendix_body(struct sb *out, const struct book_chapter *c, size_t n, int single);

/* render-single.c: the book on one page */
void book_front(struct sb *out, const struct book_chapter *c, size_t n, const struct provenance *prov);
void book_chapter(struct sb *out, struct book_chapter *c);
void book_back(struct sb *out, const struct book_chapter *c, size_t n, const struct provenance *prov);

#endif
