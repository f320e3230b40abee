/* render-page.c: one chapter's page (see render.h). */
#include "render-parts.h"
#include "render-kernels.h"

/* ---- the page --------------------------------------------------------- */

void nav(struct sb *out, const struct weave_opts *o, const char *cls)
{
	if (!o->prev_url && !o->next_url && !o->index_url)
		return;
	sb_addf(out, "<nav class=\"%s\">", cls);
	sb_adds(out, "<span class=\"prev\">");
	if (o->prev_url) {
		sb_adds(out, "\xe2\x86\x90 <a rel=\"prev\" href=\"");
		html_escapes(out, o->prev_url);
		sb_adds(out, "\">");
		html_escapes(out, o->prev_title ? o->prev_title : o->prev_url);
		sb_adds(out, "</a>");
	}
	sb_adds(out, "</span><span class=\"up\">");
	if (o->index_url) {
		sb_adds(out, "<a href=\"");
		html_escapes(out, o->index_url);
		sb_adds(out, "\">Contents</a>");
	}
	sb_adds(out, "</span><span class=\"next\">");
	if (o->next_url) {
		sb_adds(out, "<a rel=\"next\" href=\"");
		html_escapes(out, o->next_url);
		sb_adds(out, "\">");
		html_escapes(out, o->next_title ? o->next_title : o->next_url);
		sb_adds(out, "</a> \xe2\x86\x92");
	}
	sb_adds(out, "</span></nav>\n");
}

void problems(struct sb *out, const struct chapter *ch, const struct weave_opts *o)
{
	int failed = ch->diags.errors || (o->errors && *o->errors);
	struct diags sorted = ch->diags;	/* shallow: same messages */

	if (!failed && !ch->diags.n)
		return;
	sb_adds(out, failed ? "<div class=\"failed\" role=\"alert\">\n"
			      "<h2>This chapter failed to build</h2>\n"
			      "<p>What follows is the chapter as written; output that the "
			      "build could not produce is marked as missing.</p>\n"
			    : "<div class=\"warnings\">\n<p>Warnings from tangle:</p>\n");
	if (ch->diags.n) {
		struct diag *v = xmalloc(ch->diags.n * sizeof *v);
		memcpy(v, ch->diags.v, ch->diags.n * sizeof *v);
		sorted.v = v;
		diags_sort(&sorted);
		sb_adds(out, "<pre>");
		for (size_t i = 0; i < sorted.n; i++) {
			char *s = diag_format(&v[i], ch->path);
			html_escapes(out, s);
			sb_addc(out, '\n');
			free(s);
		}
		sb_adds(out, "</pre>\n");
		free(v);
	}
	if (o->errors && *o->errors) {
		sb_adds(out, "<pre>");
		html_escapes(out, o->errors);
		sb_adds(out, "</pre>\n");
	}
	sb_adds(out, "</div>\n");
}

/* Appends the chapter's body: its problems, then its Markdown with every
 * code block replaced by our HTML. */
void chapter_body(const struct chapter *ch, const struct weave_opts *o,
			 struct sb *out)
{
	cmark_node **old = xcalloc(ch->nblocks + 1, sizeof *old);
	cmark_node **made = xcalloc(ch->nblocks + 1, sizeof *made);
	struct sb html = SB_INIT;
	struct ctx x = { ch, o, xcalloc(ch->nblocks + 1, sizeof *x.hl) };

	problems(out, ch, o);
	highlight_blocks(&x);

	/* Each code block becomes a custom block holding our HTML; cmark
	 * renders the rest (raw HTML in the chapter stays suppressed). */
	for (size_t i = 0; i < ch->nblocks; i++) {
		const struct block *b = &ch->blocks[i];
		sb_reset(&html);
		switch (b->kind) {
		case BLOCK_CODE:
			code_block(&html, &x, (int)i);
			break;
		case BLOCK_EXPERIMENT:
			experiment_block(&html, &x, (int)i);
			break;
		case BLOCK_TRACE:
			trace_block(&html, &x, (int)i);
			break;
		case BLOCK_OUTPUT:
			output_block(&html, &x, (int)i);
			break;
		case BLOCK_TIMELINE:
			timeline_block(&html, &x, (int)i);
			break;
		case BLOCK_DIAGRAM:
			diagram_block(&html, &x, (int)i);
			break;
		case BLOCK_CLAIMS:
			claims_block(&html, &x, (int)i);
			break;
		case BLOCK_TABLE:
			table_block(&html, &x, (int)i);
			break;
		case BLOCK_PLAIN:
			render_code(&html, &x, b->lang, b->text, b->len, 0, &x.hl[i]);
			break;
		}
		diagram_auto(&html, &x, (int)i);
		cmark_node *n = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		sb_add(&html, "", 0);
		cmark_node_set_on_enter(n, html.buf);
		if (!cmark_node_replace(b->node, n))
			BUG("cannot replace a code block");
		old[i] = b->node;
		made[i] = n;
	}
	char *body = cmark_render_html(ch->doc, CMARK_OPT_DEFAULT);
	sb_adds(out, body);
	free(body);

	/* Put the code blocks back, so the chapter is as it was. */
	for (size_t i = 0; i < ch->nblocks; i++) {
		if (!cmark_node_replace(made[i], old[i]))
			BUG("cannot restore a code block");
		cmark_node_free(made[i]);
		sb_release(&x.hl[i]);
	}
	free(x.hl);
	free(made);
	free(old);
	sb_release(&html);
}

void render_chapter(const struct chapter *ch, const struct weave_opts *o,
		    struct sb *out)
{
	int failed = ch->diags.errors || (o->errors && *o->errors);
	page_start(out, ch->title && *ch->title ? ch->title : ch->path,
		   failed ? "chapter build-failed" : "chapter");
	sb_adds(out, "<header>\n");
	built_line(out, o->prov);
	nav(out, o, "top");
	sb_adds(out, "</header>\n<main>\n");
	chapter_body(ch, o, out);
	kernel_claims(out, ch, o);
	sb_adds(out, "</main>\n");
	nav(out, o, "bottom");
	footer(out, o->prov);
	sb_adds(out, "</body>\n</html>\n");
}
