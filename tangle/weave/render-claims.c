/* render-claims.c: claims and their results on a page (see render.h). */
#include "render-parts.h"

/* ---- claims ------------------------------------------------------------- */

/* A claim's sentence as inline Markdown (`code`, *emphasis*), without the
 * "(varies)" the author starts it with; raw HTML stays suppressed. */
void sentence(struct sb *out, const char *text)
{
	if (!text)
		text = "";
	if (!strncmp(text, "(varies)", 8)) {
		text += 8;
		while (*text == ' ')
			text++;
	}
	/* Only inline Markdown: a sentence starting with "1." or "#" must not
	 * become a list or a heading. */
	struct sb src = SB_INIT;
	if (*text == '#' || *text == '>' || *text == '-' || *text == '+' || *text == '*' ||
	    (*text >= '0' && *text <= '9'))
		sb_addc(&src, '\\');
	sb_adds(&src, text);
	char *h = cmark_markdown_to_html(src.buf ? src.buf : "", src.len, CMARK_OPT_DEFAULT);
	size_t n = strlen(h);
	const char *s = h;
	if (n >= 8 && !strncmp(s, "<p>", 3) && !strcmp(s + n - 5, "</p>\n")) {
		s += 3;
		n -= 8;
	}
	sb_add(out, s, n);
	free(h);
	sb_release(&src);
}

const char *verdict_label(const struct claim *k)
{
	const char *r = k->result;
	if (!r)
		return "not checked in this build";
	if (!strcmp(r, "confirmed"))
		return "\xe2\x9c\x93 confirmed on this kernel";
	if (!strcmp(r, "differs"))
		return "\xe2\x9c\x97 this kernel differs";
	if (!strcmp(r, "varies"))
		return "\xe2\x89\x88 differs on this kernel \xe2\x80\x94 the chapter expects this to "
		       "vary between kernels";
	if (!strcmp(r, "unchecked"))
		return "not checked";
	if (!strcmp(r, "invalid"))
		return "\xe2\x9c\x97 this claim cannot be checked";
	return NULL;
}

/* The CSS class of a result: one of the five, or "unknown". */
const char *verdict_class(const struct claim *k)
{
	static const char *const known[] = { "confirmed", "differs", "varies",
					     "unchecked", "invalid" };
	if (!k->result)
		return "notrun";
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (!strcmp(k->result, known[i]))
			return known[i];
	return "unknown";
}

void pre_lines(struct sb *out, const char *cls, char **v, size_t n)
{
	sb_addf(out, "<pre class=\"%s\">", cls);
	for (size_t i = 0; i < n; i++) {
		html_escapes(out, v[i]);
		sb_addc(out, '\n');
	}
	sb_adds(out, "</pre>\n");
}

void claim_item(struct sb *out, const struct weave_opts *o, const struct claim *k)
{
	const char *cls = verdict_class(k), *label = verdict_label(k);
	int boxed = !strcmp(cls, "differs") || !strcmp(cls, "varies") ||
		    !strcmp(cls, "invalid") || !strcmp(cls, "unknown");

	sb_addf(out, "<li class=\"claim %s\" id=\"%sclaim-%d\">", cls,
		o->idprefix ? o->idprefix : "", k->line);
	sb_adds(out, "<span class=\"verdict\">");
	if (label) {
		sb_adds(out, label);
	} else {
		sb_adds(out, "result '");
		html_escapes(out, k->result);
		sb_adds(out, "'");
	}
	if (!strcmp(cls, "unchecked") && k->reason) {
		sb_adds(out, ": ");
		html_escapes(out, k->reason);
	}
	sb_adds(out, "</span>\n<span class=\"sentence\">");
	sentence(out, k->text);
	sb_adds(out, "</span>");
	if (k->varies && strcmp(cls, "varies"))
		sb_adds(out, " <span class=\"tag\">may vary between kernels</span>");
	sb_addc(out, '\n');
	if (boxed) {
		if (k->reason && strcmp(cls, "unchecked")) {
			sb_adds(out, "<p class=\"reason\">");
			html_escapes(out, k->reason);
			sb_adds(out, "</p>\n");
		}
		if (k->ncheck) {
			sb_adds(out, "<div class=\"sub\">the chapter expects</div>\n");
			pre_lines(out, "checks", k->checks, k->ncheck);
		}
		if (k->nobserved) {
			sb_adds(out, "<div class=\"sub\">observed on this kernel instead</div>\n");
			pre_lines(out, "observed", k->observed, k->nobserved);
		}
	} else if (k->ncheck) {
		sb_adds(out, "<details class=\"checks\"><summary>how it is checked</summary>\n");
		pre_lines(out, "checks", k->checks, k->ncheck);
		sb_adds(out, "</details>\n");
	}
	sb_adds(out, "</li>\n");
}

/* The claims of block b, each with its result from claims.txt: the items
 * chapter_parse found (claims.h), in their order, as the checker saw them. */
void claims_list(struct sb *out, const struct chapter *ch, const struct block *b,
			const struct weave_opts *o)
{
	struct claims items = CLAIMS_INIT;

	claims_from_block(ch, b, &items);
	sb_adds(out, "<ul class=\"claims\">\n");
	for (size_t i = 0; i < items.n; i++) {
		const struct claim *r = o->claims ? claims_find(o->claims, items.v[i].line) : NULL;
		claim_item(out, o, r ? r : &items.v[i]);
	}
	sb_adds(out, "</ul>\n");
	claims_release(&items);
}

void claims_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct block *b = &x->ch->blocks[bi];
	sb_addf(out, "<div class=\"claims-block\" id=\"%sblock-%d\">\n<div class=\"head\">",
		x->o->idprefix ? x->o->idprefix : "", bi + 1);
	if (b->exp_name && b->experiment >= 0) {
		sb_adds(out, "What the chapter expects of experiment ");
		experiment_link(out, x->o, b->exp_name);
		sb_adds(out, x->o->claims ? ", checked on this build"
					  : " \xe2\x80\x94 not checked in this build");
	} else {
		sb_adds(out, "Claims about no experiment of the chapter");
	}
	sb_adds(out, "</div>\n");
	claims_list(out, x->ch, b, x->o);
	sb_adds(out, "</div>\n");
}
