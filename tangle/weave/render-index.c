/* render-index.c: the index (see render.h). */
#include "render-parts.h"

/* ---- the index ---------------------------------------------------------- */

void contents_item(struct sb *out, const char *url, const char *stem, const char *title, int failed)
{
	sb_adds(out, "<li><a href=\"");
	if (url) {
		html_url_path(out, url);
	} else {
		sb_addc(out, '#');
		html_anchor(out, "", stem, strlen(stem), 1);
	}
	sb_adds(out, "\">");
	html_escapes(out, title);
	sb_adds(out, "</a>");
	if (failed)
		sb_adds(out, " <span class=\"badge\">failed to build</span>");
	sb_adds(out, "</li>\n");
}

void render_index(const struct index_entry *e, size_t n,
		  const struct provenance *prov, const struct index_links *links,
		  struct sb *out)
{
	page_start(out, BOOK_TITLE, "index");
	sb_adds(out, "<header>\n");
	built_line(out, prov);
	sb_adds(out, "</header>\n<main>\n<h1>" BOOK_TITLE "</h1>\n"
		"<p class=\"lead\">How Linux TCP opens and closes connections. Every fact in "
		"this book is observed, not asserted: each chapter's programs ran, on the "
		"kernel named above, while their traffic was captured.</p>\n"
		"<ol class=\"chapters\">\n");
	for (size_t i = 0; i < n; i++)
		contents_item(out, e[i].url, NULL, e[i].title, e[i].failed);
	sb_adds(out, "</ol>\n");
	if (links && (links->claims || links->single || links->pdf)) {
		sb_adds(out, "<ul class=\"editions\">\n");
		if (links->claims) {
			sb_adds(out, "<li><a href=\"");
			html_url_path(out, links->claims);
			sb_adds(out, "\">Claims on this build</a>: every claim of the book and "
				"whether this kernel confirms it</li>\n");
		}
		if (links->single) {
			sb_adds(out, "<li><a href=\"");
			html_url_path(out, links->single);
			sb_adds(out, "\">The whole book on one page</a></li>\n");
		}
		if (links->pdf) {
			sb_adds(out, "<li><a href=\"");
			html_url_path(out, links->pdf);
			sb_adds(out, "\">The book as a PDF</a></li>\n");
		}
		if (links->kernels) {
			sb_adds(out, "<li><a href=\"");
			html_url_path(out, links->kernels);
			sb_adds(out, "\">The book on other kernels</a>: every experiment and "
				"claim on each kernel of <code>make matrix</code>, side by side</li>\n");
		}
		sb_adds(out, "</ul>\n");
	}
	sb_adds(out, "</main>\n");
	footer(out, prov);
	sb_adds(out, "</body>\n</html>\n");
}
