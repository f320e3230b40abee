/* render-appendix.c: the claims appendix (see render.h). */
#include "render-parts.h"

/* ---- the claims appendix -------------------------------------------------- */

static const char *const results[] = { "confirmed", "differs", "varies",
				       "unchecked", "invalid", "notrun" };
enum { NRESULTS = sizeof results / sizeof *results };

/* Counts the claims of chapter c by result (indexes into results[]). */
void count_claims(const struct book_chapter *c, int *count)
{
	const struct chapter *ch = c->ch;
	if (!ch)
		return;
	for (size_t bi = 0; bi < ch->nblocks; bi++) {
		const struct block *b = &ch->blocks[bi];
		struct claims items = CLAIMS_INIT;
		if (b->kind != BLOCK_CLAIMS)
			continue;
		claims_from_block(ch, b, &items);
		for (size_t i = 0; i < items.n; i++) {
			const struct claim *r = c->o.claims ? claims_find(c->o.claims, items.v[i].line) : NULL;
			const char *cls = verdict_class(r ? r : &items.v[i]);
			for (int k = 0; k < NRESULTS; k++)
				if (!strcmp(cls, results[k]))
					count[k]++;
		}
		claims_release(&items);
	}
}

/* One line of the appendix per claim, linking to the claim: href is
 * "PAGE#" (PAGE may be empty) followed by the chapter's id prefix. */
void appendix_chapter(struct sb *out, const struct book_chapter *c,
			     const char *page, const char *prefix)
{
	const struct chapter *ch = c->ch;
	int any = 0;

	sb_adds(out, "<section class=\"appendix-chapter\">\n<h2>");
	sb_adds(out, "<a href=\"");
	if (*page)
		html_url_path(out, page);
	else {
		sb_addc(out, '#');
		html_anchor(out, "", c->stem, strlen(c->stem), 1);
	}
	sb_adds(out, "\">");
	html_escapes(out, c->title);
	sb_adds(out, "</a></h2>\n");
	if (c->failed)
		sb_adds(out, "<p class=\"badge\">This chapter failed to build.</p>\n");
	if (!c->o.claims && ch)
		sb_adds(out, "<p class=\"note\">No claims were checked for this chapter in "
			"this build (no claims.txt).</p>\n");
	for (size_t bi = 0; ch && bi < ch->nblocks; bi++) {
		const struct block *b = &ch->blocks[bi];
		struct claims items = CLAIMS_INIT;
		if (b->kind != BLOCK_CLAIMS)
			continue;
		claims_from_block(ch, b, &items);
		if (!any++)
			sb_adds(out, "<ul class=\"claims appendix\">\n");
		for (size_t i = 0; i < items.n; i++) {
			const struct claim *r = c->o.claims ? claims_find(c->o.claims, items.v[i].line) : NULL;
			const struct claim *k = r ? r : &items.v[i];
			const char *label = verdict_label(k);
			sb_addf(out, "<li class=\"claim %s\"><span class=\"verdict\">", verdict_class(k));
			if (label)
				sb_adds(out, label);
			else
				html_escapes(out, k->result);
			sb_adds(out, "</span>\n<a class=\"sentence\" href=\"");
			html_url_path(out, page);
			sb_addf(out, "#%sclaim-%d\">", prefix, k->line);
			sentence(out, k->text);
			sb_adds(out, "</a> <span class=\"where\">experiment ");
			html_escapes(out, b->exp_name ? b->exp_name : "?");
			sb_addf(out, ", line %d</span>\n", k->line);
			if (k->nobserved && r && strcmp(verdict_class(k), "confirmed"))
				pre_lines(out, "observed", k->observed, k->nobserved);
			sb_adds(out, "</li>\n");
		}
		claims_release(&items);
	}
	if (any)
		sb_adds(out, "</ul>\n");
	else
		sb_adds(out, "<p class=\"note\">This chapter makes no claims.</p>\n");
	sb_adds(out, "</section>\n");
}

/* The appendix's body; single: the links stay on the page. */
void appendix_body(struct sb *out, const struct book_chapter *c, size_t n,
			  int single)
{
	int total[NRESULTS] = { 0 };
	static const char *const heads[NRESULTS] = { "confirmed", "differ", "differ (expected to vary)",
						     "not checked", "invalid", "not run" };

	sb_adds(out, "<p class=\"lead\">Every claim the book makes, with what this build "
		"found. This is the page to compare when the book is rebuilt on another "
		"kernel.</p>\n<table class=\"summary\">\n<thead><tr><th>chapter</th>");
	for (int k = 0; k < NRESULTS; k++)
		sb_addf(out, "<th>%s</th>", heads[k]);
	sb_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		int count[NRESULTS] = { 0 };
		count_claims(&c[i], count);
		sb_adds(out, "<tr><td>");
		html_escapes(out, c[i].title);
		sb_adds(out, "</td>");
		for (int k = 0; k < NRESULTS; k++) {
			total[k] += count[k];
			sb_addf(out, "<td class=\"n %s%s\">%d</td>", results[k],
				count[k] ? "" : " zero", count[k]);
		}
		sb_adds(out, "</tr>\n");
	}
	sb_adds(out, "</tbody>\n<tfoot><tr><th>the book</th>");
	for (int k = 0; k < NRESULTS; k++)
		sb_addf(out, "<td class=\"n %s%s\">%d</td>", results[k], total[k] ? "" : " zero",
			total[k]);
	sb_adds(out, "</tr></tfoot>\n</table>\n");
	for (size_t i = 0; i < n; i++) {
		struct sb page = SB_INIT, prefix = SB_INIT;
		if (single) {
			html_anchor(&prefix, "", c[i].stem, strlen(c[i].stem), 1);
			sb_addc(&prefix, '.');
		} else {
			sb_addf(&page, "%s.html", c[i].stem);
		}
		sb_add(&page, "", 0);
		sb_add(&prefix, "", 0);
		appendix_chapter(out, &c[i], page.buf, prefix.buf);
		sb_release(&page);
		sb_release(&prefix);
	}
}

void render_appendix(const struct book_chapter *c, size_t n,
		     const struct provenance *prov, struct sb *out)
{
	page_start(out, "Claims on this build \xe2\x80\x94 " BOOK_TITLE, "appendix");
	sb_adds(out, "<header>\n");
	built_line(out, prov);
	sb_adds(out, "<nav class=\"top\"><span></span><span class=\"up\"><a href=\"index.html\">"
		"Contents</a></span><span></span></nav>\n</header>\n<main>\n"
		"<h1>Claims on this build</h1>\n");
	appendix_body(out, c, n, 0);
	sb_adds(out, "</main>\n");
	footer(out, prov);
	sb_adds(out, "</body>\n</html>\n");
}
