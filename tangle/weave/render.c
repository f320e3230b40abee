/* render.c: HTML pages for chapters, the single-page book, the claims
 * appendix and the index (see render.h). */
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

/* ---- provenance ------------------------------------------------------- */

static void prov_add(struct provenance *p, const char *k, size_t kn,
		     const char *v, size_t vn)
{
	size_t cap = p->cap;
	grow(&p->keys, &cap, p->n + 1, sizeof *p->keys);
	grow(&p->vals, &p->cap, p->n + 1, sizeof *p->vals);
	p->keys[p->n] = xstrndup(k, kn);
	p->vals[p->n++] = xstrndup(v, vn);
}

int provenance_read(const char *path, struct provenance *p)
{
	struct sb s = SB_INIT;
	if (read_file(path, &s) < 0)
		return -1;
	for (char *l = s.buf, *nl; l && *l; l = nl) {
		nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (nl)
			nl++;
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		size_t k = strcspn(l, " \t\n");
		if (k == 0 || k > n)
			continue;
		size_t v = k;
		while (v < n && (l[v] == ' ' || l[v] == '\t'))
			v++;
		prov_add(p, l, k, l + v, n - v);
	}
	sb_release(&s);
	return 0;
}

void provenance_here(struct provenance *p)
{
	struct utsname u;
	char date[64];
	time_t t = time(NULL);
	struct tm tm;

	if (uname(&u) == 0)
		prov_add(p, "kernel", 6, u.release, strlen(u.release));
	gmtime_r(&t, &tm);
	size_t n = strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm);
	prov_add(p, "date", 4, date, n);
}

const char *provenance_get(const struct provenance *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->keys[i], key))
			return p->vals[i];
	return NULL;
}

void provenance_release(struct provenance *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->vals[i]);
	}
	free(p->keys);
	free(p->vals);
	*p = (struct provenance)PROVENANCE_INIT;
}

/* "gcc 12.2.0" from "cc (Debian 12.2.0-14+deb12u1) 12.2.0"; "libpcap 1.10.3"
 * from "libpcap version 1.10.3 (with TPACKET_V3)": the compact forms of the
 * line at the top. Appends the value unchanged when it has another shape. */
static void short_version(struct sb *out, const char *key, const char *v)
{
	if (!strcmp(key, "compiler") && (!strncmp(v, "cc ", 3) || !strncmp(v, "gcc ", 4))) {
		const char *last = strrchr(v, ' ');
		sb_adds(out, "gcc");
		html_escapes(out, last);
	} else if (!strcmp(key, "libpcap") && !strncmp(v, "libpcap version ", 16)) {
		size_t n = strcspn(v + 16, " ");
		sb_adds(out, "libpcap ");
		html_escape(out, v + 16, n);
	} else {
		html_escapes(out, v);
	}
}

static void built_line(struct sb *out, const struct provenance *p)
{
	static const char *const extra[] = { "distribution", "compiler", "libpcap" };
	const char *k = provenance_get(p, "kernel"), *d = provenance_get(p, "date");
	sb_adds(out, "<p class=\"built\">Built on Linux ");
	html_escapes(out, k ? k : "(unknown kernel)");
	sb_adds(out, " on ");
	html_escapes(out, d ? d : "(unknown date)");
	for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
		const char *v = provenance_get(p, extra[i]);
		if (!v)
			continue;
		sb_adds(out, " \xc2\xb7 ");
		short_version(out, extra[i], v);
	}
	sb_adds(out, "</p>\n");
}

static void provenance_table(struct sb *out, const struct provenance *p)
{
	int sysctls = 0;
	if (!p->n)
		return;
	sb_adds(out, "<table class=\"provenance\">\n<caption>How this page was built</caption>\n");
	for (size_t i = 0; i < p->n; i++) {
		if (!strcmp(p->keys[i], "sysctl")) {
			sysctls++;
			continue;
		}
		sb_adds(out, "<tr><th>");
		html_escapes(out, p->keys[i]);
		sb_adds(out, "</th><td>");
		html_escapes(out, p->vals[i]);
		sb_adds(out, "</td></tr>\n");
	}
	if (sysctls) {
		sb_addf(out, "<tr><th rowspan=\"%d\">sysctl</th>", sysctls);
		for (size_t i = 0, k = 0; i < p->n; i++) {
			if (strcmp(p->keys[i], "sysctl"))
				continue;
			const char *v = p->vals[i];
			size_t nl = strcspn(v, " \t");
			const char *val = v + nl;
			while (*val == ' ' || *val == '\t')
				val++;
			sb_adds(out, k++ ? "<tr><td>" : "<td>");
			sb_adds(out, "<code>");
			html_escape(out, v, nl);
			sb_adds(out, "</code> = <code>");
			html_escapes(out, val);
			sb_adds(out, "</code></td></tr>\n");
		}
	}
	sb_adds(out, "</table>\n");
}

static void footer(struct sb *out, const struct provenance *p)
{
	sb_adds(out, "<footer>\n");
	built_line(out, p);
	provenance_table(out, p);
	sb_adds(out, "</footer>\n");
}

static void page_start(struct sb *out, const char *title, const char *bodyclass)
{
	sb_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>");
	html_escapes(out, title);
	sb_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body class=\"%s\">\n",
		book_css, bodyclass);
}

/* ---- anchors and names ------------------------------------------------ */

/* Appends an id: the page's prefix, then html_anchor's id. */
static void anchor(struct sb *out, const struct weave_opts *o, const char *prefix,
		   const char *name, size_t n, int nth)
{
	if (o->idprefix)
		sb_adds(out, o->idprefix);
	html_anchor(out, prefix, name, n, nth);
}

static void block_anchor(struct sb *out, const struct ctx *x, int bi)
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
static void block_label(struct sb *out, const struct chapter *ch, int bi)
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

static void block_link(struct sb *out, const struct ctx *x, int bi)
{
	sb_adds(out, "<a href=\"#");
	block_anchor(out, x, bi);
	sb_adds(out, "\">");
	block_label(out, x->ch, bi);
	sb_adds(out, "</a>");
}

static void experiment_link(struct sb *out, const struct weave_opts *o, const char *exp)
{
	sb_adds(out, "<a href=\"#");
	anchor(out, o, "experiment-", exp, strlen(exp), 1);
	sb_adds(out, "\">");
	html_escapes(out, exp);
	sb_adds(out, "</a>");
}

/* ---- code ------------------------------------------------------------- */

/* Highlights every block of a highlighted language in one run of the
 * highlighter; x->hl[i] gets block i's lines. Lines that hold only <<NAME>>
 * are given to the highlighter blank and put back by render_code. */
static void highlight_blocks(struct ctx *x)
{
	const struct chapter *ch = x->ch;
	const char **texts = xcalloc(ch->nblocks + 1, sizeof *texts);
	size_t *lens = xcalloc(ch->nblocks + 1, sizeof *lens);
	int *which = xcalloc(ch->nblocks + 1, sizeof *which);
	struct sb *in = xcalloc(ch->nblocks + 1, sizeof *in);
	struct sb *res = xcalloc(ch->nblocks + 1, sizeof *res);
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

/*
 * The one function that turns code into HTML: highlighted lines when the
 * highlighter gave them (hl, else NULL), escaped text otherwise. With links
 * set, lines that hold only <<NAME>> become links to the chunk's first
 * block.
 */
static void render_code(struct sb *out, const struct ctx *x, const char *lang,
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

static void code_block(struct sb *out, const struct ctx *x, int bi)
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

static void experiment_block(struct sb *out, const struct ctx *x, int bi)
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
	sb_addf(out, "</code> on <code>lo</code></dd>\n<dt>timeout</dt><dd>%d s</dd>\n", e->timeout);
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

/* ---- run output ------------------------------------------------------- */

/* Reads at most SHOW_MAX bytes of path into s; *total is the file's size.
 * Returns 0 or -1 if the file cannot be read. */
static int read_capped(const char *path, struct sb *s, long long *total)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f)
		return -1;
	*total = fstat(fileno(f), &st) == 0 ? (long long)st.st_size : 0;
	grow(&s->buf, &s->cap, SHOW_MAX + 1, 1);
	s->len = fread(s->buf, 1, SHOW_MAX, f);
	s->buf[s->len] = '\0';
	if (*total < (long long)s->len)
		*total = (long long)s->len;
	/* cut at a line end when one is near, not inside a line */
	if (*total > (long long)s->len) {
		char *nl = memrchr(s->buf, '\n', s->len);
		if (nl && (size_t)(nl - s->buf) + 4096 >= s->len)
			s->len = (size_t)(nl - s->buf) + 1;
	}
	fclose(f);
	return 0;
}

static void run_path(struct sb *p, const struct weave_opts *o, const char *exp,
		     const char *file)
{
	sb_reset(p);
	sb_addf(p, "%s/%s/%s", o->rundir, exp, file);
}

static void file_url(struct sb *out, const struct weave_opts *o, const char *path)
{
	char *rel = html_relative_path(o->outdir, path);
	html_url_path(out, rel ? rel : path);
	free(rel);
}

static void file_link(struct sb *out, const struct weave_opts *o, const char *path,
		      const char *label)
{
	sb_adds(out, "<a href=\"");
	file_url(out, o, path);
	sb_adds(out, "\">");
	html_escapes(out, label);
	sb_adds(out, "</a>");
}

/* How one line of a trace or timeline is shown: class of the line, and
 * whether it marks a failure (a reset, a failed call, a death). */
static int is_bad_line(const char *s, size_t n)
{
	static const char *const bad[] = { " = -1 ", "killed by", "Flags [R" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t k = strlen(bad[i]);
		for (size_t j = 0; j + k <= n; j++)
			if (!memcmp(s + j, bad[i], k))
				return 1;
	}
	return 0;
}

/* Appends lines of text as <span class="l ...">line\n</span>: each line
 * its own box, so that a long line wraps under itself. */
static void trace_lines(struct sb *out, const char *s, size_t len)
{
	for (const char *p = s, *end = s + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		sb_adds(out, is_bad_line(p, n) ? "<span class=\"l bad\">" : "<span class=\"l\">");
		html_escape(out, p, n);
		sb_adds(out, "\n</span>");
		p += n + 1;
	}
}

/* One line of timeline.txt: "  TIME  WHO  WHAT". WHO is wire (a packet),
 * socket or sockets (the kernel's socket states at a step), or the role
 * of a program. */
static void timeline_line(struct sb *out, const char *p, size_t n)
{
	size_t i = 0, t0, t1, w0, w1, r0;
	while (i < n && p[i] == ' ')
		i++;
	t0 = i;
	while (i < n && p[i] != ' ')
		i++;
	t1 = i;
	while (i < n && p[i] == ' ')
		i++;
	w0 = i;
	while (i < n && p[i] != ' ')
		i++;
	w1 = i;
	while (i < n && p[i] == ' ')
		i++;
	r0 = i;
	const char *who = p + w0;
	size_t wl = w1 - w0;
	const char *kind = "prog";
	if (wl == 4 && !memcmp(who, "wire", 4))
		kind = "wire";
	else if (wl == 6 && !memcmp(who, "socket", 6))
		kind = "sock";
	else if (wl == 7 && !memcmp(who, "sockets", 7))
		kind = "sock step";
	if (w0 == w1) {
		sb_adds(out, "<span class=\"l\">");
		html_escape(out, p, n);
		sb_adds(out, "\n</span>");
		return;
	}
	sb_addf(out, "<span class=\"l %s%s\">", kind, is_bad_line(p, n) ? " bad" : "");
	html_escape(out, p, t0);
	sb_adds(out, "<span class=\"t\">");
	html_escape(out, p + t0, t1 - t0);
	sb_adds(out, "</span>");
	html_escape(out, p + t1, w0 - t1);
	sb_addf(out, "<span class=\"who\">");
	html_escape(out, who, wl);
	sb_adds(out, "</span>");
	html_escape(out, p + w1, r0 - w1);
	sb_adds(out, "<span class=\"what\">");
	html_escape(out, p + r0, n - r0);
	sb_adds(out, "</span>\n</span>");
}

static void more_note(struct sb *out, const struct weave_opts *o, const char *path,
		      long long more)
{
	const char *base = strrchr(path, '/');
	sb_addf(out, "<p class=\"more\">(%lld bytes more, see ", more);
	file_link(out, o, path, base ? base + 1 : path);
	sb_adds(out, ")</p>\n");
}

/* Shows one output file; returns 0, or -1 if it does not exist. */
static int show_file(struct sb *out, const struct weave_opts *o, const char *path,
		     const char *cls, const char *label, int skip_empty)
{
	struct sb s = SB_INIT;
	long long total;
	if (read_capped(path, &s, &total) < 0) {
		sb_release(&s);
		return -1;
	}
	if (!(skip_empty && s.len == 0)) {
		if (label)
			sb_addf(out, "<div class=\"label\">%s</div>\n", label);
		sb_addf(out, "<pre class=\"%s\">", cls);
		if (s.len == 0)
			sb_adds(out, "<i>(nothing)</i>");
		if (!strcmp(cls, "trace"))
			trace_lines(out, s.buf, s.len);
		else
			html_escape(out, s.buf, s.len);
		sb_adds(out, "</pre>\n");
		if (total > (long long)s.len)
			more_note(out, o, path, total - (long long)s.len);
	}
	sb_release(&s);
	return 0;
}

static void missing(struct sb *out, const struct block *b, const char *exp,
		    const char *why)
{
	sb_adds(out, "<div class=\"missing\">no output: ");
	if (why) {
		html_escapes(out, why);
	} else {
		sb_adds(out, "experiment '");
		html_escapes(out, exp);
		sb_adds(out, "' did not run in this build");
	}
	if (b->len) {
		sb_adds(out, "<details><summary>sample written by the author</summary><pre>");
		html_escape(out, b->text, b->len);
		sb_adds(out, "</pre></details>");
	}
	sb_adds(out, "</div>\n");
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Returns 1 if the placeholder b can be filled: it names an experiment of
 * the chapter and there is a run directory; else shows why not. */
static int placeholder_ok(struct sb *out, const struct ctx *x, const struct block *b)
{
	if (!b->exp_name || b->experiment < 0) {
		missing(out, b, NULL, "this placeholder names no experiment of the chapter");
		return 0;
	}
	if (!x->o->rundir) {
		missing(out, b, b->exp_name, NULL);
		return 0;
	}
	return 1;
}

static void run_head(struct sb *out, const struct ctx *x, const char *cls,
		     const char *what, const char *exp)
{
	sb_addf(out, "<div class=\"run %s\">\n<div class=\"head\">%s ", cls, what);
	experiment_link(out, x->o, exp);
}

static void trace_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct weave_opts *o = x->o;
	const struct block *b = &x->ch->blocks[bi];
	struct sb p = SB_INIT, body = SB_INIT;

	if (!placeholder_ok(out, x, b))
		return;
	run_path(&p, o, b->exp_name, "trace.txt");
	if (show_file(&body, o, p.buf, "trace", NULL, 0) < 0) {
		missing(out, b, b->exp_name, NULL);
	} else {
		run_head(out, x, "trace", "packet trace of experiment", b->exp_name);
		run_path(&p, o, b->exp_name, "trace.pcap");
		if (exists(p.buf)) {
			sb_adds(out, " \xc2\xb7 ");
			file_link(out, o, p.buf, "trace.pcap");
		}
		sb_adds(out, "</div>\n");
		sb_add(out, body.buf, body.len);
		sb_adds(out, "</div>\n");
	}
	sb_release(&body);
	sb_release(&p);
}

static void timeline_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct weave_opts *o = x->o;
	const struct block *b = &x->ch->blocks[bi];
	struct sb p = SB_INIT, s = SB_INIT;
	long long total;

	if (!placeholder_ok(out, x, b))
		return;
	run_path(&p, o, b->exp_name, "timeline.txt");
	if (read_capped(p.buf, &s, &total) < 0) {
		missing(out, b, b->exp_name, NULL);
	} else {
		run_head(out, x, "timeline", "timeline of experiment", b->exp_name);
		sb_adds(out, " \xc2\xb7 seconds since the first program started</div>\n"
			"<pre class=\"timeline\">");
		for (const char *l = s.buf, *end = s.buf + s.len; l < end;) {
			const char *eol = memchr(l, '\n', (size_t)(end - l));
			size_t n = eol ? (size_t)(eol - l) : (size_t)(end - l);
			timeline_line(out, l, n);
			l += n + 1;
		}
		sb_adds(out, "</pre>\n");
		if (total > (long long)s.len)
			more_note(out, o, p.buf, total - (long long)s.len);
		sb_adds(out, "</div>\n");
	}
	sb_release(&s);
	sb_release(&p);
}

/* A book-wide table (code/scripts/calltable.sh): RUNROOT/NAME.tsv, its first line
 * the header. A "seen in" cell holds STEM/EXP items, linked to their
 * chapter. */
static void table_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct weave_opts *o = x->o;
	const struct block *b = &x->ch->blocks[bi];
	struct sb p = SB_INIT, s = SB_INIT;
	long long total;
	const char *slash;
	int row = 0, seen_col = -1;

	if (!b->exp_name || !o->rundir) {
		missing(out, b, NULL, "the build made no such table");
		return;
	}
	slash = strrchr(o->rundir, '/');
	if (slash)
		sb_add(&p, o->rundir, (size_t)(slash - o->rundir));
	else
		sb_adds(&p, ".");
	sb_addf(&p, "/%s.tsv", b->exp_name);
	if (read_capped(p.buf, &s, &total) < 0 || !s.len) {
		missing(out, b, NULL, "the build made no such table");
		goto done;
	}
	sb_adds(out, "<div class=\"run booktable\">\n<table class=\"booktable\">\n");
	for (const char *l = s.buf, *end = s.buf + s.len; l < end; row++) {
		const char *eol = memchr(l, '\n', (size_t)(end - l));
		size_t n = eol ? (size_t)(eol - l) : (size_t)(end - l);
		int col = 0;
		sb_adds(out, row ? "<tr>" : "<thead><tr>");
		for (const char *c = l, *le = l + n; c <= le; col++) {
			const char *tab = memchr(c, '\t', (size_t)(le - c));
			size_t cn = tab ? (size_t)(tab - c) : (size_t)(le - c);
			if (!row && cn == 7 && !memcmp(c, "seen in", 7))
				seen_col = col;
			sb_adds(out, row ? "<td>" : "<th>");
			if (row && col == seen_col) {
				/* "01-handshake/handshake, 01-handshake/x, 02-server-close/close":
				 * each chapter once, by its number, linked */
				const char *last = NULL;
				size_t lastn = 0;
				int first = 1;
				for (const char *it = c, *ce = c + cn; it < ce;) {
					const char *comma = memchr(it, ',', (size_t)(ce - it));
					size_t in = comma ? (size_t)(comma - it) : (size_t)(ce - it);
					const char *sl = memchr(it, '/', in);
					size_t stemn = sl ? (size_t)(sl - it) : in;
					if (!(last && lastn == stemn && !memcmp(last, it, stemn))) {
						const char *dash = memchr(it, '-', stemn);
						size_t shown = dash && dash > it ? (size_t)(dash - it) : stemn;
						if (!first)
							sb_adds(out, ", ");
						first = 0;
						sb_adds(out, "<a href=\"");
						if (o->idprefix && *o->idprefix)
							sb_adds(out, "#");
						html_escape(out, it, stemn);
						if (!(o->idprefix && *o->idprefix))
							sb_adds(out, ".html");
						sb_adds(out, "\" title=\"");
						html_escape(out, it, stemn);
						sb_adds(out, "\">");
						html_escape(out, it, shown);
						sb_adds(out, "</a>");
						last = it;
						lastn = stemn;
					}
					it += in;
					if (comma) {
						it++;
						while (it < ce && *it == ' ')
							it++;
					}
				}
			} else {
				html_escape(out, c, cn);
			}
			sb_adds(out, row ? "</td>" : "</th>");
			if (!tab)
				break;
			c = tab + 1;
		}
		sb_adds(out, row ? "</tr>\n" : "</tr></thead>\n<tbody>\n");
		l += n + 1;
	}
	sb_adds(out, "</tbody></table>\n");
	if (total > (long long)s.len)
		more_note(out, o, p.buf, total - (long long)s.len);
	sb_adds(out, "</div>\n");
done:
	sb_release(&s);
	sb_release(&p);
}

static void diagram_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct weave_opts *o = x->o;
	const struct block *b = &x->ch->blocks[bi];
	struct sb p = SB_INIT;

	if (!placeholder_ok(out, x, b))
		return;
	run_path(&p, o, b->exp_name, "ladder.svg");
	if (!exists(p.buf)) {
		missing(out, b, b->exp_name, NULL);
	} else {
		sb_adds(out, "<figure class=\"diagram\">\n<img src=\"");
		file_url(out, o, p.buf);
		sb_adds(out, "\" alt=\"ladder diagram of ");
		html_escapes(out, b->exp_name);
		sb_adds(out, "\">\n<figcaption>Ladder diagram of experiment ");
		experiment_link(out, o, b->exp_name);
		sb_adds(out, ": one lifeline per program, each packet an arrow, each call "
			"a box where it happened; resets, failed calls and deaths by signal "
			"in red.</figcaption>\n</figure>\n");
	}
	sb_release(&p);
}

static void output_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct weave_opts *o = x->o;
	const struct chapter *ch = x->ch;
	const struct block *b = &ch->blocks[bi];
	struct sb p = SB_INIT, body = SB_INIT, st = SB_INIT;
	int found = 0;

	if (!b->exp_name || !b->role_name || b->experiment < 0 ||
	    experiment_role(&ch->exps[b->experiment], b->role_name) < 0) {
		missing(out, b, NULL, "this placeholder names no experiment and role of the chapter");
		return;
	}
	if (!o->rundir) {
		missing(out, b, b->exp_name, NULL);
		return;
	}
	sb_addf(&st, "%s.stdout", b->role_name);
	run_path(&p, o, b->exp_name, st.buf);
	found += show_file(&body, o, p.buf, "stdout", NULL, 0) == 0;
	sb_reset(&st);
	sb_addf(&st, "%s.stderr", b->role_name);
	run_path(&p, o, b->exp_name, st.buf);
	found += show_file(&body, o, p.buf, "stderr", "standard error", 1) == 0;
	sb_reset(&st);
	sb_addf(&st, "%s.status", b->role_name);
	run_path(&p, o, b->exp_name, st.buf);
	sb_reset(&st);
	if (read_file(p.buf, &st) == 0) {
		found++;
		size_t n = strcspn(st.buf, "\n");
		sb_addf(&body, "<p class=\"status%s\">", is_bad_line(st.buf, n) ? " bad" : "");
		html_escape(&body, st.buf, n);
		sb_adds(&body, "</p>\n");
	}
	if (!found) {
		missing(out, b, b->exp_name, NULL);
	} else {
		sb_adds(out, "<div class=\"run output\">\n<div class=\"head\">output of <b>");
		html_escapes(out, b->role_name);
		sb_adds(out, "</b> in experiment ");
		experiment_link(out, o, b->exp_name);
		sb_adds(out, "</div>\n");
		sb_add(out, body.buf, body.len);
		sb_adds(out, "</div>\n");
	}
	sb_release(&p);
	sb_release(&body);
	sb_release(&st);
}

/* ---- claims ------------------------------------------------------------- */

/* A claim's sentence as inline Markdown (`code`, *emphasis*), without the
 * "(varies)" the author starts it with; raw HTML stays suppressed. */
static void sentence(struct sb *out, const char *text)
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

static const char *verdict_label(const struct claim *k)
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
static const char *verdict_class(const struct claim *k)
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

static void pre_lines(struct sb *out, const char *cls, char **v, size_t n)
{
	sb_addf(out, "<pre class=\"%s\">", cls);
	for (size_t i = 0; i < n; i++) {
		html_escapes(out, v[i]);
		sb_addc(out, '\n');
	}
	sb_adds(out, "</pre>\n");
}

static void claim_item(struct sb *out, const struct weave_opts *o, const struct claim *k)
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
 * of the block in order, then any record of the block's lines that matches
 * no item (code/check/claims.c reads the block its own way). */
static void claims_list(struct sb *out, const struct chapter *ch, const struct block *b,
			const struct weave_opts *o)
{
	struct claims items = CLAIMS_INIT;
	int first = b->content_line, last = first + block_content_lines(b);

	claims_from_block(ch, b, &items);
	sb_adds(out, "<ul class=\"claims\">\n");
	for (size_t i = 0; i < items.n; i++) {
		const struct claim *r = o->claims ? claims_find(o->claims, items.v[i].line) : NULL;
		claim_item(out, o, r ? r : &items.v[i]);
	}
	if (o->claims)
		for (size_t i = 0; i < o->claims->n; i++) {
			const struct claim *r = &o->claims->v[i];
			if (r->line >= first && r->line < last && !claims_find(&items, r->line))
				claim_item(out, o, r);
		}
	sb_adds(out, "</ul>\n");
	claims_release(&items);
}

static void claims_block(struct sb *out, const struct ctx *x, int bi)
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

/* ---- the page --------------------------------------------------------- */

static void nav(struct sb *out, const struct weave_opts *o, const char *cls)
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

static void problems(struct sb *out, const struct chapter *ch, const struct weave_opts *o)
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
static void chapter_body(const struct chapter *ch, const struct weave_opts *o,
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
	sb_adds(out, "</main>\n");
	nav(out, o, "bottom");
	footer(out, o->prov);
	sb_adds(out, "</body>\n</html>\n");
}

/* ---- the claims appendix -------------------------------------------------- */

static const char *const results[] = { "confirmed", "differs", "varies",
				       "unchecked", "invalid", "notrun" };
enum { NRESULTS = sizeof results / sizeof *results };

/* Counts the claims of chapter c by result (indexes into results[]). */
static void count_claims(const struct book_chapter *c, int *count)
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
static void appendix_chapter(struct sb *out, const struct book_chapter *c,
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
static void appendix_body(struct sb *out, const struct book_chapter *c, size_t n,
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

/* ---- the book on one page ------------------------------------------------ */

/* The title page and the contents, linking #STEM for each chapter. */
static void book_front(struct sb *out, const struct book_chapter *c, size_t n,
		       const struct provenance *prov)
{
	sb_adds(out, "<section class=\"titlepage\">\n<h1 class=\"book-title\">" BOOK_TITLE "</h1>\n"
		"<p class=\"subtitle\">How Linux TCP opens and closes connections: a book that "
		"runs its experiments</p>\n");
	built_line(out, prov);
	sb_adds(out, "</section>\n<nav class=\"toc\">\n<h2 class=\"toc-title\">Contents</h2>\n<ol>\n");
	for (size_t i = 0; i < n; i++) {
		sb_adds(out, "<li><a href=\"#");
		html_anchor(out, "", c[i].stem, strlen(c[i].stem), 1);
		sb_adds(out, "\">");
		html_escapes(out, c[i].title);
		sb_adds(out, "</a>");
		if (c[i].failed)
			sb_adds(out, " <span class=\"badge\">failed to build</span>");
		sb_adds(out, "</li>\n");
	}
	sb_adds(out, "<li class=\"back\"><a href=\"#claims-appendix\">Claims on this build</a></li>\n"
		"<li class=\"back\"><a href=\"#provenance\">How this book was built</a></li>\n"
		"</ol>\n</nav>\n");
}

/* One chapter as an <article id="STEM">, its ids prefixed with "STEM.". */
static void book_chapter(struct sb *out, struct book_chapter *c)
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
static void book_back(struct sb *out, const struct book_chapter *c, size_t n,
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

/* ---- the index ---------------------------------------------------------- */

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
	for (size_t i = 0; i < n; i++) {
		sb_adds(out, "<li><a href=\"");
		html_url_path(out, e[i].url);
		sb_adds(out, "\">");
		html_escapes(out, e[i].title);
		sb_adds(out, "</a>");
		if (e[i].failed)
			sb_adds(out, " <span class=\"badge\">failed to build</span>");
		sb_adds(out, "</li>\n");
	}
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
