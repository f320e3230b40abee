/* render.c: HTML pages for chapters and the index (see render.h). */
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "html.h"

/* At most this much of one output file is shown on a page. */
#define SHOW_MAX (64 * 1024)

static const char CSS[] =
	":root{--fg:#1d1d1f;--bg:#fff;--muted:#666;--line:#ddd;--code:#f6f6f4;"
	"--accent:#0b5cad;--bad:#b00020;--badbg:#fdecee;--warn:#8a5a00;--warnbg:#fff6e0}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0 auto;max-width:46rem;padding:1rem;font:17px/1.55 Georgia,'DejaVu Serif',serif;"
	"color:var(--fg);background:var(--bg)}\n"
	"h1,h2,h3{font-family:system-ui,sans-serif;line-height:1.25}\n"
	"a{color:var(--accent)}\n"
	"code,pre{font:14px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace}\n"
	"pre{background:var(--code);padding:.6rem .8rem;overflow-x:auto;border-radius:4px;"
	"margin:.2rem 0 1rem;tab-size:8}\n"
	"img{max-width:100%}\n"
	"table{border-collapse:collapse;display:block;overflow-x:auto}\n"
	"td,th{border:1px solid var(--line);padding:.2rem .5rem;text-align:left}\n"
	".built{font:13px system-ui,sans-serif;color:var(--muted);margin:0 0 .5rem}\n"
	"nav{font:14px system-ui,sans-serif;display:flex;justify-content:space-between;gap:1rem;"
	"flex-wrap:wrap;margin:.5rem 0}\n"
	".block{margin:1rem 0}\n"
	".block>.head{font:13px system-ui,sans-serif;color:var(--muted)}\n"
	".block>.head .name{color:var(--fg);font-weight:600}\n"
	".block>pre{margin-bottom:.2rem}\n"
	".xref{font:12px system-ui,sans-serif;color:var(--muted);margin-bottom:1rem}\n"
	"a.ref{text-decoration:none;border-bottom:1px dotted}\n"
	".undefined{color:var(--bad);font-weight:bold}\n"
	".experiment{border:1px solid var(--line);border-left:4px solid var(--accent);"
	"padding:.4rem .8rem;margin:1rem 0;font:14px system-ui,sans-serif}\n"
	".experiment dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem;margin:.3rem 0}\n"
	".experiment dt{color:var(--muted)}.experiment dd{margin:0}\n"
	".run .head{font:13px system-ui,sans-serif;color:var(--muted)}\n"
	"pre.trace{background:#f3f6fa}\n"
	"pre.stderr{background:var(--warnbg);border-left:4px solid var(--warn)}\n"
	".label{font:12px system-ui,sans-serif;color:var(--warn);font-weight:600}\n"
	".status{font:13px system-ui,sans-serif;margin:-.6rem 0 1rem}\n"
	".more{font:12px system-ui,sans-serif;color:var(--muted)}\n"
	".missing{border:1px dashed var(--warn);background:var(--warnbg);padding:.5rem .8rem;"
	"margin:1rem 0;font:14px system-ui,sans-serif}\n"
	".failed{border:2px solid var(--bad);background:var(--badbg);padding:.5rem 1rem;margin:1rem 0}\n"
	".failed h2{color:var(--bad);margin:.2rem 0}\n"
	".failed pre{background:#fff}\n"
	".warnings{border:1px solid var(--warn);background:var(--warnbg);padding:.3rem .8rem;"
	"font:13px system-ui,sans-serif}\n"
	"footer{border-top:1px solid var(--line);margin-top:2rem;font:13px system-ui,sans-serif;"
	"color:var(--muted)}\n"
	"footer table{font-size:12px}\n"
	"ol.chapters li{margin:.3rem 0}\n"
	".badge{font:12px system-ui,sans-serif;color:var(--bad)}\n"
	"@media print{body{max-width:none;font-size:11pt}nav{display:none}"
	"pre{white-space:pre-wrap;overflow:visible;border:1px solid var(--line);background:none}"
	"a{color:inherit;text-decoration:none}.block,.run,.experiment{break-inside:avoid}}\n";

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

static void built_line(struct sb *out, const struct provenance *p)
{
	const char *k = provenance_get(p, "kernel"), *d = provenance_get(p, "date");
	sb_adds(out, "<p class=\"built\">Built on Linux ");
	html_escapes(out, k ? k : "(unknown kernel)");
	sb_adds(out, " on ");
	html_escapes(out, d ? d : "(unknown date)");
	sb_adds(out, "</p>\n");
}

static void footer(struct sb *out, const struct provenance *p)
{
	sb_adds(out, "<footer>\n");
	built_line(out, p);
	if (p->n) {
		sb_adds(out, "<table class=\"provenance\">\n");
		for (size_t i = 0; i < p->n; i++) {
			sb_adds(out, "<tr><th>");
			html_escapes(out, p->keys[i]);
			sb_adds(out, "</th><td>");
			html_escapes(out, p->vals[i]);
			sb_adds(out, "</td></tr>\n");
		}
		sb_adds(out, "</table>\n");
	}
	sb_adds(out, "</footer>\n");
}

static void page_start(struct sb *out, const char *title)
{
	sb_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>");
	html_escapes(out, title);
	sb_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", CSS);
}

/* ---- anchors and names ------------------------------------------------ */

static void block_anchor(struct sb *out, const struct chapter *ch, int bi)
{
	const struct block *b = &ch->blocks[bi];
	if (b->chunk >= 0)
		html_anchor(out, "chunk-", ch->chunks[b->chunk].name,
			    ch->chunks[b->chunk].namelen, b->nth);
	else if (b->file >= 0)
		html_anchor(out, "file-", ch->files[b->file].name,
			    strlen(ch->files[b->file].name), b->nth);
	else if (b->kind == BLOCK_EXPERIMENT && b->experiment >= 0)
		html_anchor(out, "experiment-", ch->exps[b->experiment].name,
			    strlen(ch->exps[b->experiment].name), 1);
	else
		sb_addf(out, "block-%d", bi + 1);
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

static void block_link(struct sb *out, const struct chapter *ch, int bi)
{
	sb_adds(out, "<a href=\"#");
	block_anchor(out, ch, bi);
	sb_adds(out, "\">");
	block_label(out, ch, bi);
	sb_adds(out, "</a>");
}

/* ---- code ------------------------------------------------------------- */

/*
 * The one function that turns code into HTML. A syntax highlighter would
 * plug in here, per line or per block, keyed on lang. With links set, lines
 * that hold only <<NAME>> become links to the chunk's first block.
 */
static void render_code(struct sb *out, const struct chapter *ch, const char *lang,
			const char *text, size_t len, int links)
{
	sb_adds(out, "<pre><code");
	if (lang && *lang) {
		sb_adds(out, " class=\"language-");
		html_escapes(out, lang);
		sb_adds(out, "\"");
	}
	sb_adds(out, ">");
	for (const char *p = text, *end = text + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		size_t indent, nl;
		const char *name;
		int c;

		if (links && chapter_line_ref(p, n, &indent, &name, &nl)) {
			html_escape(out, p, indent);
			c = chapter_chunk(ch, name, nl);
			if (c >= 0) {
				sb_adds(out, "<a class=\"ref\" href=\"#");
				html_anchor(out, "chunk-", name, nl, 1);
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
		} else {
			html_escape(out, p, n);
		}
		sb_addc(out, '\n');
		p += n + 1;
	}
	sb_adds(out, "</code></pre>\n");
}

static void code_block(struct sb *out, const struct chapter *ch, int bi,
		       const struct weave_opts *o)
{
	const struct block *b = &ch->blocks[bi];
	sb_adds(out, "<div class=\"block\" id=\"");
	block_anchor(out, ch, bi);
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
	render_code(out, ch, b->lang, b->text, b->len, 1);

	/* Cross-references, as noweb prints them under a chunk. */
	int first = b->chunk >= 0 ? ch->chunks[b->chunk].first : ch->files[b->file].first;
	struct sb x = SB_INIT;
	if (b->nth == 1) {
		if (b->chunk >= 0) {
			const struct chunk *k = &ch->chunks[b->chunk];
			if (!k->nusers)
				sb_adds(&x, "Not used anywhere.");
			else
				sb_adds(&x, "Used in ");
			for (size_t i = 0; i < k->nusers; i++) {
				if (i)
					sb_adds(&x, ", ");
				block_link(&x, ch, k->users[i]);
			}
			if (k->nusers)
				sb_adds(&x, ".");
		}
		if (b->next >= 0) {
			sb_adds(&x, b->chunk >= 0 ? " Continued in " : "Continued in ");
			for (int n = b->next; n >= 0; n = ch->blocks[n].next) {
				if (n != b->next)
					sb_adds(&x, ", ");
				block_link(&x, ch, n);
			}
			sb_adds(&x, ".");
		}
	} else {
		sb_adds(&x, "Continues ");
		block_link(&x, ch, first);
		sb_adds(&x, ".");
	}
	if (x.len)
		sb_addf(out, "<div class=\"xref\">%s</div>\n", x.buf);
	sb_release(&x);
	sb_adds(out, "</div>\n");
}

static void experiment_block(struct sb *out, const struct chapter *ch, int bi)
{
	const struct block *b = &ch->blocks[bi];
	if (b->experiment < 0) {
		render_code(out, ch, "", b->text, b->len, 0);
		return;
	}
	const struct experiment *e = &ch->exps[b->experiment];
	sb_adds(out, "<div class=\"experiment\" id=\"");
	block_anchor(out, ch, bi);
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
			html_anchor(out, "file-", ro->program, strlen(ro->program), 1);
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

static void file_link(struct sb *out, const struct weave_opts *o, const char *path,
		      const char *label)
{
	char *rel = html_relative_path(o->outdir, path);
	sb_adds(out, "<a href=\"");
	html_url_path(out, rel ? rel : path);
	sb_adds(out, "\">");
	html_escapes(out, label);
	sb_adds(out, "</a>");
	free(rel);
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
		html_escape(out, s.buf, s.len);
		sb_adds(out, "</pre>\n");
		if (total > (long long)s.len) {
			const char *base = strrchr(path, '/');
			sb_addf(out, "<p class=\"more\">(%lld bytes more, see ", total - (long long)s.len);
			file_link(out, o, path, base ? base + 1 : path);
			sb_adds(out, ")</p>\n");
		}
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

static void trace_block(struct sb *out, const struct chapter *ch, int bi,
			const struct weave_opts *o)
{
	const struct block *b = &ch->blocks[bi];
	struct sb p = SB_INIT;

	if (!b->exp_name || b->experiment < 0) {
		missing(out, b, NULL, "this placeholder names no experiment of the chapter");
		return;
	}
	if (!o->rundir) {
		missing(out, b, b->exp_name, NULL);
		return;
	}
	run_path(&p, o, b->exp_name, "trace.txt");
	struct sb body = SB_INIT;
	if (show_file(&body, o, p.buf, "trace", NULL, 0) < 0) {
		missing(out, b, b->exp_name, NULL);
	} else {
		sb_adds(out, "<div class=\"run trace\">\n<div class=\"head\">packet trace of experiment <a href=\"#");
		html_anchor(out, "experiment-", b->exp_name, strlen(b->exp_name), 1);
		sb_adds(out, "\">");
		html_escapes(out, b->exp_name);
		sb_adds(out, "</a>");
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

static void output_block(struct sb *out, const struct chapter *ch, int bi,
			 const struct weave_opts *o)
{
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
		sb_adds(&body, "<p class=\"status\">");
		html_escape(&body, st.buf, n);
		sb_adds(&body, "</p>\n");
	}
	if (!found) {
		missing(out, b, b->exp_name, NULL);
	} else {
		sb_adds(out, "<div class=\"run output\">\n<div class=\"head\">output of <b>");
		html_escapes(out, b->role_name);
		sb_adds(out, "</b> in experiment <a href=\"#");
		html_anchor(out, "experiment-", b->exp_name, strlen(b->exp_name), 1);
		sb_adds(out, "\">");
		html_escapes(out, b->exp_name);
		sb_adds(out, "</a></div>\n");
		sb_add(out, body.buf, body.len);
		sb_adds(out, "</div>\n");
	}
	sb_release(&p);
	sb_release(&body);
	sb_release(&st);
}

/* ---- the page --------------------------------------------------------- */

static void nav(struct sb *out, const struct weave_opts *o)
{
	if (!o->prev_url && !o->next_url && !o->index_url)
		return;
	sb_adds(out, "<nav>");
	sb_adds(out, "<span>");
	if (o->prev_url) {
		sb_adds(out, "\xe2\x86\x90 <a rel=\"prev\" href=\"");
		html_escapes(out, o->prev_url);
		sb_adds(out, "\">");
		html_escapes(out, o->prev_title ? o->prev_title : o->prev_url);
		sb_adds(out, "</a>");
	}
	sb_adds(out, "</span><span>");
	if (o->index_url) {
		sb_adds(out, "<a href=\"");
		html_escapes(out, o->index_url);
		sb_adds(out, "\">Contents</a>");
	}
	sb_adds(out, "</span><span>");
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

void render_chapter(const struct chapter *ch, const struct weave_opts *o,
		    struct sb *out)
{
	cmark_node **old = xcalloc(ch->nblocks + 1, sizeof *old);
	cmark_node **made = xcalloc(ch->nblocks + 1, sizeof *made);
	struct sb html = SB_INIT;

	page_start(out, ch->title && *ch->title ? ch->title : ch->path);
	built_line(out, o->prov);
	nav(out, o);
	problems(out, ch, o);
	sb_adds(out, "<main>\n");

	/* Each code block becomes a custom block holding our HTML; cmark
	 * renders the rest (raw HTML in the chapter stays suppressed). */
	for (size_t i = 0; i < ch->nblocks; i++) {
		const struct block *b = &ch->blocks[i];
		sb_reset(&html);
		switch (b->kind) {
		case BLOCK_CODE:
			code_block(&html, ch, (int)i, o);
			break;
		case BLOCK_EXPERIMENT:
			experiment_block(&html, ch, (int)i);
			break;
		case BLOCK_TRACE:
			trace_block(&html, ch, (int)i, o);
			break;
		case BLOCK_OUTPUT:
			output_block(&html, ch, (int)i, o);
			break;
		case BLOCK_PLAIN:
			render_code(&html, ch, b->lang, b->text, b->len, 0);
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
	sb_adds(out, "</main>\n");
	nav(out, o);
	footer(out, o->prov);
	sb_adds(out, "</body>\n</html>\n");

	/* Put the code blocks back, so the chapter is as it was. */
	for (size_t i = 0; i < ch->nblocks; i++) {
		if (!cmark_node_replace(made[i], old[i]))
			BUG("cannot restore a code block");
		cmark_node_free(made[i]);
	}
	free(made);
	free(old);
	sb_release(&html);
}

void render_index(const struct index_entry *e, size_t n,
		  const struct provenance *prov, struct sb *out)
{
	page_start(out, "Linux TCP, by experiment");
	built_line(out, prov);
	sb_adds(out, "<main>\n<h1>Linux TCP, by experiment</h1>\n<ol class=\"chapters\">\n");
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
	sb_adds(out, "</ol>\n</main>\n");
	footer(out, prov);
	sb_adds(out, "</body>\n</html>\n");
}
