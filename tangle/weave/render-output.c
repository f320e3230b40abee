/* render-output.c: the run's output: traces, timelines, outputs, diagrams, tables (see render.h). */
#include "render-parts.h"

/* ---- run output ------------------------------------------------------- */

/* Reads at most SHOW_MAX bytes of path into s; *total is the file's size.
 * Returns 0 or -1 if the file cannot be read. */
int read_capped(const char *path, struct sb *s, long long *total)
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

void run_path(struct sb *p, const struct weave_opts *o, const char *exp,
		     const char *file)
{
	sb_reset(p);
	sb_addf(p, "%s/%s/%s", o->rundir, exp, file);
}

void file_url(struct sb *out, const struct weave_opts *o, const char *path)
{
	char *rel = html_relative_path(o->outdir, path);
	html_url_path(out, rel ? rel : path);
	free(rel);
}

void file_link(struct sb *out, const struct weave_opts *o, const char *path,
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
int is_bad_line(const char *s, size_t n)
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
void trace_lines(struct sb *out, const char *s, size_t len)
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
void timeline_line(struct sb *out, const char *p, size_t n)
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

void more_note(struct sb *out, const struct weave_opts *o, const char *path,
		      long long more)
{
	const char *base = strrchr(path, '/');
	sb_addf(out, "<p class=\"more\">(%lld bytes more, see ", more);
	file_link(out, o, path, base ? base + 1 : path);
	sb_adds(out, ")</p>\n");
}

/* Shows one output file; returns 0, or -1 if it does not exist. */
int show_file(struct sb *out, const struct weave_opts *o, const char *path,
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

void missing(struct sb *out, const struct block *b, const char *exp,
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

int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Returns 1 if the placeholder b can be filled: it names an experiment of
 * the chapter and there is a run directory; else shows why not. */
int placeholder_ok(struct sb *out, const struct ctx *x, const struct block *b)
{
	if (!b->exp_name || b->experiment < 0) {
		missing(out, b, NULL, "this placeholder names no experiment of the chapter");
		return 0;
	}
	if (!x->o->rundir) {
		missing(out, b, b->exp_name, NULL);
		return 0;
	}
	/* An experiment skipped because the kernel lacks a feature it needs
	 * (code/kernels/skip-experiments.sh: its meta says "status skipped",
	 * "skipped needs FEATURE (CONFIG...)", perhaps "skipped cause TEXT"). */
	struct sb p = SB_INIT, meta = SB_INIT;
	int skipped = 0;
	run_path(&p, x->o, b->exp_name, "meta");
	if (read_file(p.buf, &meta) == 0 && meta.buf && !strncmp(meta.buf, "status skipped\n", 15)) {
		struct sb why = SB_INIT;
		const char *needs = strstr(meta.buf, "\nskipped needs "), *cause = strstr(meta.buf, "\nskipped cause ");
		sb_adds(&why, "skipped: this kernel lacks ");
		if (needs) {
			needs += 15;
			sb_add(&why, needs, strcspn(needs, "\n"));
		} else
			sb_adds(&why, "a feature the experiment needs");
		if (cause) {
			cause += 15;
			sb_adds(&why, ": ");
			sb_add(&why, cause, strcspn(cause, "\n"));
		}
		missing(out, b, b->exp_name, why.buf);
		sb_release(&why);
		skipped = 1;
	}
	sb_release(&meta);
	sb_release(&p);
	return !skipped;
}

void run_head(struct sb *out, const struct ctx *x, const char *cls,
		     const char *what, const char *exp)
{
	sb_addf(out, "<div class=\"run %s\">\n<div class=\"head\">%s ", cls, what);
	experiment_link(out, x->o, exp);
}

void trace_block(struct sb *out, const struct ctx *x, int bi)
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

void timeline_block(struct sb *out, const struct ctx *x, int bi)
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
void table_block(struct sb *out, const struct ctx *x, int bi)
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

/* The figure of experiment exp's ladder.svg (code/draw/svg.h), with its
 * size from the SVG's own width and height, so that a narrow screen can
 * keep it legible and scroll (book.css). */
static void diagram_figure(struct sb *out, const struct weave_opts *o, const char *exp, const char *svg)
{
	char head[1024];
	unsigned w = 0, h = 0;
	FILE *f = fopen(svg, "r");

	if (f) {
		size_t n = fread(head, 1, sizeof head - 1, f);
		const char *p;
		head[n] = '\0';
		fclose(f);
		if ((p = strstr(head, "<svg ")) && (p = strstr(p, " width=\"")))
			w = (unsigned)strtoul(p + 8, NULL, 10);
		if ((p = strstr(head, "<svg ")) && (p = strstr(p, " height=\"")))
			h = (unsigned)strtoul(p + 9, NULL, 10);
	}
	sb_adds(out, "<figure class=\"diagram\">\n<div class=\"scroll\"><img src=\"");
	file_url(out, o, svg);
	sb_adds(out, "\" alt=\"ladder diagram of ");
	html_escapes(out, exp);
	sb_adds(out, "\"");
	if (w && h && w < 100000 && h < 10000000)
		sb_addf(out, " width=\"%u\" height=\"%u\" style=\"--w: %upx\"", w, h, w);
	sb_adds(out, "></div>\n<figcaption>Ladder diagram of experiment ");
	experiment_link(out, o, exp);
	sb_adds(out, ": a lifeline per program, each packet an arrow (a reset in red, a segment "
		"the wire dropped crossed out, one it injected dashed), each call a box where it "
		"happened (a failure in red, one the author expected in blue), the sockets' states "
		"at each step in grey; on the left each packet's time in seconds, and a break "
		"where time passed.</figcaption>\n</figure>\n");
}

void diagram_block(struct sb *out, const struct ctx *x, int bi)
{
	const struct weave_opts *o = x->o;
	const struct block *b = &x->ch->blocks[bi];
	struct sb p = SB_INIT;

	if (!placeholder_ok(out, x, b))
		return;
	run_path(&p, o, b->exp_name, "ladder.svg");
	if (!exists(p.buf))
		missing(out, b, b->exp_name, NULL);
	else
		diagram_figure(out, o, b->exp_name, p.buf);
	sb_release(&p);
}

void diagram_auto(struct sb *out, const struct ctx *x, int bi)
{
	const struct chapter *ch = x->ch;
	const struct block *b = &ch->blocks[bi];
	struct sb p = SB_INIT;

	if ((b->kind != BLOCK_TRACE && b->kind != BLOCK_TIMELINE && b->kind != BLOCK_OUTPUT) ||
	    b->experiment < 0 || !b->exp_name || !x->o->rundir)
		return;
	for (size_t i = 0; i < ch->nblocks; i++) {
		const struct block *c = &ch->blocks[i];
		if (c->experiment != b->experiment)
			continue;
		if (c->kind == BLOCK_DIAGRAM)
			return;		/* the author placed it */
		if (i < (size_t)bi && (c->kind == BLOCK_TRACE || c->kind == BLOCK_TIMELINE ||
				       c->kind == BLOCK_OUTPUT))
			return;		/* it follows the first of these */
	}
	run_path(&p, x->o, b->exp_name, "ladder.svg");
	if (exists(p.buf))
		diagram_figure(out, x->o, b->exp_name, p.buf);
	sb_release(&p);
}

void output_block(struct sb *out, const struct ctx *x, int bi)
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
