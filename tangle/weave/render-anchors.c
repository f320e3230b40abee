/* render-anchors.c: anchors, ids and file names on a page (see render.h). */
#include "render-parts.h"

/* ---- anchors and names ------------------------------------------------ */

/* Appends an id: the page's prefix, then html_anchor's id. */
void anchor(struct sb *out, const struct weave_opts *o, const char *prefix,
		   const char *name, size_t n, int nth)
{
	if (o->idprefix)
		sb_adds(out, o->idprefix);
	html_anchor(out, prefix, name, n, nth);
}

void block_anchor(struct sb *out, const struct ctx *x, int bi)
{
	const struct chapter *ch = x->ch;
	const struct block *b = &ch->blocks[bi];
	if (b->chunk >= 0)
		anchor(out, x->o, "chunk-", ch->chunks[b->chunk].name,
		       ch->chunks[b->chunk].namelen, b->nth);
	else if (b->file >= 0)
		anchor(out, x->o, "file-", ch->files[b->file].name,
		       strlen(ch->files[b->file].name), b->nth);
	else if (b->kind == BLOCK_EXPERIMENT && b->experiment >= 0)
		anchor(out, x->o, "experiment-", ch->exps[b->experiment].name,
		       strlen(ch->exps[b->experiment].name), 1);
	else
		sb_addf(out, "%sblock-%d", x->o->idprefix ? x->o->idprefix : "", bi + 1);
}

/* "⟨name⟩" for a chunk block, the file name for a file block. */
void block_label(struct sb *out, const struct chapter *ch, int bi)
{
	const struct block *b = &ch->blocks[bi];
	if (b->chunk >= 0) {
		sb_adds(out, "\xe2\x9f\xa8");
		html_escapes(out, ch->chunks[b->chunk].name);
		sb_adds(out, "\xe2\x9f\xa9");
	} else if (b->file >= 0) {
		html_escapes(out, ch->files[b->file].name);
	}
	if (b->nth > 1)
		sb_addf(out, " (%d)", b->nth);
}

void block_link(struct sb *out, const struct ctx *x, int bi)
{
	sb_adds(out, "<a href=\"#");
	block_anchor(out, x, bi);
	sb_adds(out, "\">");
	block_label(out, x->ch, bi);
	sb_adds(out, "</a>");
}

void experiment_link(struct sb *out, const struct weave_opts *o, const char *exp)
{
	sb_adds(out, "<a href=\"#");
	anchor(out, o, "experiment-", exp, strlen(exp), 1);
	sb_adds(out, "\">");
	html_escapes(out, exp);
	sb_adds(out, "</a>");
}
