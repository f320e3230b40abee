/* render-single.c: the book on one page (see render.h). */
#include "render-parts.h"

/* ---- the book on one page ------------------------------------------------ */

/* The title page and the contents, linking #STEM for each chapter. */
void book_front(struct sb *out, const struct book_chapter *c, size_t n,
		       const struct provenance *prov)
{
	sb_adds(out, "<section class=\"titlepage\">\n<h1 class=\"book-title\">" BOOK_TITLE "</h1>\n"
		"<p class=\"subtitle\">How Linux TCP opens and closes connections: a book that "
		"runs its experiments</p>\n");
	built_line(out, prov);
	sb_adds(out, "</section>\n<nav class=\"toc\">\n<h2 class=\"toc-title\">Contents</h2>\n<ol>\n");
	for (size_t i = 0; i < n; i++)
		contents_item(out, NULL, c[i].stem, c[i].title, c[i].failed);
	sb_adds(out, "<li class=\"back\"><a href=\"#claims-appendix\">Claims on this build</a></li>\n"
		"<li class=\"back\"><a href=\"#provenance\">How this book was built</a></li>\n"
		"</ol>\n</nav>\n");
}

/* One chapter as an <article id="STEM">, its ids prefixed with "STEM.". */
void book_chapter(struct sb *out, struct book_chapter *c)
{
	struct sb prefix = SB_INIT;
	html_anchor(&prefix, "", c->stem, strlen(c->stem), 1);
	sb_add(&prefix, "", 0);
	sb_addf(out, "<article class=\"chapter%s\" id=\"%s\">\n",
		c->failed ? " build-failed" : "", prefix.buf);
	sb_addc(&prefix, '.');
	c->o.idprefix = prefix.buf;
	if (c->ch) {
		chapter_body(c->ch, &c->o, out);
	} else {
		sb_adds(out, "<h1>");
		html_escapes(out, c->title);
		sb_adds(out, "</h1>\n<div class=\"failed\"><h2>This chapter could not be read</h2></div>\n");
	}
	c->o.idprefix = NULL;
	sb_adds(out, "</article>\n");
	sb_release(&prefix);
}

/* The claims appendix and the colophon. */
void book_back(struct sb *out, const struct book_chapter *c, size_t n,
		      const struct provenance *prov)
{
	sb_adds(out, "<section class=\"appendix\" id=\"claims-appendix\">\n<h1>Claims on this build</h1>\n");
	appendix_body(out, c, n, 1);
	sb_adds(out, "</section>\n<section class=\"colophon\" id=\"provenance\">\n"
		"<h1>How this book was built</h1>\n");
	built_line(out, prov);
	provenance_table(out, prov);
	sb_adds(out, "</section>\n");
}

void render_single(struct book_chapter *c, size_t n, const struct provenance *prov,
		   struct sb *out)
{
	page_start(out, BOOK_TITLE, "single");
	book_front(out, c, n, prov);
	for (size_t i = 0; i < n; i++)
		book_chapter(out, &c[i]);
	book_back(out, c, n, prov);
	sb_adds(out, "</body>\n</html>\n");
}
