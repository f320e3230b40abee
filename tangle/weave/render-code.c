/* render-code.c: code blocks, highlighted, with their chunk links (see render.h). */
#include "render-parts.h"

/* ---- code ------------------------------------------------------------- */

/* The highlighter's input for ch: the texts of its highlighted blocks
 * (in[k], texts[k], lens[k]; which[k] the block's index), as many as it
 * returns. Lines that hold only <<NAME>> are given to the highlighter blank
 * and put back by render_code. The arrays hold ch->nblocks + 1. */
static size_t highlight_inputs(const struct chapter *ch, struct sb *in, const char **texts,
			       size_t *lens, int *which)
{
	size_t n = 0;

	for (size_t i = 0; i < ch->nblocks; i++) {
		const struct block *b = &ch->blocks[i];
		if ((b->kind != BLOCK_CODE && b->kind != BLOCK_PLAIN) || !highlight_supports(b->lang))
			continue;
		struct sb *s = &in[n];
		for (const char *p = b->text, *end = b->text + b->len; p < end;) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p), indent, nl;
			const char *name;
			size_t keep = len;
			while (keep && p[keep - 1] == '\r')
				keep--;
			if (!(b->kind == BLOCK_CODE && chapter_line_ref(p, len, &indent, &name, &nl)))
				sb_add(s, p, keep);
			sb_addc(s, '\n');
			p += len + 1;
		}
		texts[n] = s->buf ? s->buf : "";
		lens[n] = s->len;
		which[n++] = (int)i;
	}
	return n;
}

/* Highlights every block of a highlighted language in one run of the
 * highlighter; x->hl[i] gets block i's lines. */
void highlight_blocks(struct ctx *x)
{
	const struct chapter *ch = x->ch;
	const char **texts = xcalloc(ch->nblocks + 1, sizeof *texts);
	size_t *lens = xcalloc(ch->nblocks + 1, sizeof *lens);
	int *which = xcalloc(ch->nblocks + 1, sizeof *which);
	struct sb *in = xcalloc(ch->nblocks + 1, sizeof *in);
	struct sb *res = xcalloc(ch->nblocks + 1, sizeof *res);
	size_t n = highlight_inputs(ch, in, texts, lens, which);

	if (n && highlight("c", texts, lens, n, res) == 0)
		for (size_t k = 0; k < n; k++) {
			x->hl[which[k]] = res[k];
			res[k] = (struct sb)SB_INIT;
		}
	for (size_t k = 0; k < n; k++) {
		sb_release(&in[k]);
		sb_release(&res[k]);
	}
	free(texts);
	free(lens);
	free(which);
	free(in);
	free(res);
}

void render_highlight_start(const struct chapter *ch)
{
	const char **texts = xcalloc(ch->nblocks + 1, sizeof *texts);
	size_t *lens = xcalloc(ch->nblocks + 1, sizeof *lens);
	int *which = xcalloc(ch->nblocks + 1, sizeof *which);
	struct sb *in = xcalloc(ch->nblocks + 1, sizeof *in);
	size_t n = highlight_inputs(ch, in, texts, lens, which);

	if (n)
		highlight_start("c", texts, lens, n);
	for (size_t k = 0; k < n; k++)
		sb_release(&in[k]);
	free(texts);
	free(lens);
	free(which);
	free(in);
}

/*
 * The one function that turns code into HTML: highlighted lines when the
 * highlighter gave them (hl, else NULL), escaped text otherwise. With links
 * set, lines that hold only <<NAME>> become links to the chunk's first
 * block.
 */
void render_code(struct sb *out, const struct ctx *x, const char *lang,
			const char *text, size_t len, int links, const struct sb *hl)
{
	const char *h = hl && hl->len ? hl->buf : NULL, *hend = h ? h + hl->len : NULL;

	sb_adds(out, "<pre class=\"code\"><code");
	if (lang && *lang) {
		sb_adds(out, " class=\"language-");
		html_escapes(out, lang);
		sb_adds(out, h ? " highlighted\"" : "\"");
	}
	sb_adds(out, ">");
	for (const char *p = text, *end = text + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		const char *hl_line = h;
		size_t hl_len = 0;
		size_t indent, nl;
		const char *name;
		int c;

		if (h) {
			const char *he = memchr(h, '\n', (size_t)(hend - h));
			hl_len = he ? (size_t)(he - h) : (size_t)(hend - h);
			h = he ? he + 1 : hend;
		}
		if (links && chapter_line_ref(p, n, &indent, &name, &nl)) {
			html_escape(out, p, indent);
			c = chapter_chunk(x->ch, name, nl);
			if (c >= 0) {
				sb_adds(out, "<a class=\"ref\" href=\"#");
				anchor(out, x->o, "chunk-", name, nl, 1);
				sb_adds(out, "\">&lt;&lt;");
				html_escape(out, name, nl);
				sb_adds(out, "&gt;&gt;</a>");
			} else {
				sb_adds(out, "<span class=\"undefined\" title=\"undefined chunk\">&lt;&lt;");
				html_escape(out, name, nl);
				sb_adds(out, "&gt;&gt;</span>");
			}
			size_t after = (size_t)(name - p) + nl + 2;
			html_escape(out, p + after, n - after);
		} else if (hl_line) {
			sb_add(out, hl_line, hl_len);
		} else {
			html_escape(out, p, n);
		}
		sb_addc(out, '\n');
		p += n + 1;
	}
	sb_adds(out, "</code></pre>\n");
}

void code_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct chapter *ch = x->ch;
	const struct weave_opts *o = x->o;
	const struct block *b = &ch->blocks[bi];
	sb_adds(out, "<div class=\"block\" id=\"");
	block_anchor(out, x, bi);
	sb_adds(out, "\">\n<div class=\"head\">");
	if (b->chunk >= 0) {
		sb_adds(out, "<span class=\"name\">");
		block_label(out, ch, bi);
		sb_adds(out, b->nth > 1 ? "</span> +\xe2\x89\xa1" : "</span> \xe2\x89\xa1");
	} else {
		const struct target *t = &ch->files[b->file];
		struct sb p = SB_INIT;
		sb_addf(&p, "%s/%s", o->tangledir, t->name);
		char *rel = html_relative_path(o->outdir, p.buf);
		sb_adds(out, "file <a class=\"name\" href=\"");
		html_url_path(out, rel ? rel : p.buf);
		sb_adds(out, "\">");
		html_escapes(out, t->name);
		sb_adds(out, "</a>");
		if (b->nth > 1)
			sb_addf(out, " (%d) +\xe2\x89\xa1", b->nth);
		free(rel);
		sb_release(&p);
	}
	sb_adds(out, "</div>\n");
	render_code(out, x, b->lang, b->text, b->len, 1, &x->hl[bi]);

	/* Cross-references, as noweb prints them under a chunk. */
	int first = b->chunk >= 0 ? ch->chunks[b->chunk].first : ch->files[b->file].first;
	struct sb xr = SB_INIT;
	if (b->nth == 1) {
		if (b->chunk >= 0) {
			const struct chunk *k = &ch->chunks[b->chunk];
			if (!k->nusers)
				sb_adds(&xr, "Not used anywhere.");
			else
				sb_adds(&xr, "Used in ");
			for (size_t i = 0; i < k->nusers; i++) {
				if (i)
					sb_adds(&xr, ", ");
				block_link(&xr, x, k->users[i]);
			}
			if (k->nusers)
				sb_adds(&xr, ".");
		}
		if (b->next >= 0) {
			sb_adds(&xr, b->chunk >= 0 ? " Continued in " : "Continued in ");
			for (int n = b->next; n >= 0; n = ch->blocks[n].next) {
				if (n != b->next)
					sb_adds(&xr, ", ");
				block_link(&xr, x, n);
			}
			sb_adds(&xr, ".");
		}
	} else {
		sb_adds(&xr, "Continues ");
		block_link(&xr, x, first);
		sb_adds(&xr, ".");
	}
	if (xr.len)
		sb_addf(out, "<div class=\"xref\">%s</div>\n", xr.buf);
	sb_release(&xr);
	sb_adds(out, "</div>\n");
}

void experiment_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct chapter *ch = x->ch;
	const struct block *b = &ch->blocks[bi];
	if (b->experiment < 0) {
		render_code(out, x, "", b->text, b->len, 0, NULL);
		return;
	}
	const struct experiment *e = &ch->exps[b->experiment];
	sb_adds(out, "<div class=\"experiment\" id=\"");
	block_anchor(out, x, bi);
	sb_adds(out, "\">\n<strong>Experiment ");
	html_escapes(out, e->name);
	sb_adds(out, "</strong>\n<dl>\n<dt>capture</dt><dd><code>");
	html_escapes(out, e->capture ? e->capture : "");
	/* with a link the capture is on its left end (AUTHORING.md, link:) */
	int linked = 0;
	for (size_t w = 0; w < e->nwire; w++)
		linked |= !strcmp(e->wire[w].key, "link");
	sb_adds(out, linked ? "</code> on <code>eth0</code>, the link's left end</dd>\n"
			    : "</code> on <code>lo</code></dd>\n");
	/* the wire's lines, as written: a reader must see the faults */
	for (size_t w = 0; w < e->nwire; w++) {
		sb_adds(out, "<dt>");
		html_escapes(out, e->wire[w].key);
		sb_adds(out, "</dt><dd><code>");
		html_escapes(out, e->wire[w].value);
		sb_adds(out, "</code></dd>\n");
	}
	sb_addf(out, "<dt>timeout</dt><dd>%d s</dd>\n", e->timeout);
	if (e->racy)
		sb_adds(out, "<dt>deterministic</dt><dd>no: its runs may differ</dd>\n");
	for (size_t r = 0; r < e->nroles; r++) {
		const struct role *ro = &e->roles[r];
		int f = map_get(&ch->file_map, ro->program, strlen(ro->program));
		sb_adds(out, "<dt>");
		html_escapes(out, ro->name);
		sb_adds(out, "</dt><dd><code>");
		if (f >= 0) {
			sb_adds(out, "<a href=\"#");
			anchor(out, x->o, "file-", ro->program, strlen(ro->program), 1);
			sb_adds(out, "\">");
		}
		html_escapes(out, ro->program);
		if (f >= 0)
			sb_adds(out, "</a>");
		if (*ro->args) {
			sb_adds(out, " ");
			html_escapes(out, ro->args);
		}
		sb_adds(out, "</code></dd>\n");
	}
	sb_adds(out, "</dl>\n</div>\n");
}
