/* render-print.c: the book for print, in parts (see render.h). */
#include "render-parts.h"

/* ---- the book for print, in parts ------------------------------------------ */

void render_print_part(struct book_chapter *c, size_t n, const struct provenance *prov,
		       long part, struct sb *out)
{
	page_start(out, BOOK_TITLE, "single print-part");
	if (part == PRINT_FRONT)
		book_front(out, c, n, prov);
	else if (part == PRINT_BACK)
		book_back(out, c, n, prov);
	else if (part >= 0 && (size_t)part < n)
		book_chapter(out, &c[part]);
	else
		BUG("render_print_part: no such part");
	sb_adds(out, "</body>\n</html>\n");
}
