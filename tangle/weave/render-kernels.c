/* render-kernels.c: the kernels page and each chapter's claims on every
 * kernel (see render-kernels.h). */
#include "render-kernels.h"

#include "claimfile.h"
#include "publish.h"
#include "render-parts.h"

#define MAXF 8
#define MAXK 16

/* A file of tab-separated records, split in place. */
struct recs {
	struct sb buf;
	char *(*f)[MAXF];
	int *nf;
	size_t n;
};

static int recs_read(const char *path, struct recs *r)
{
	memset(r, 0, sizeof *r);
	if (read_file(path, &r->buf) < 0 || !r->buf.buf)
		return -1;
	size_t cap = 0, capn = 0;
	for (char *q = r->buf.buf; *q;) {
		char *e = strchr(q, '\n');
		if (e)
			*e = '\0';
		grow(&r->f, &cap, r->n + 1, sizeof *r->f);
		grow(&r->nf, &capn, r->n + 1, sizeof *r->nf);
		int k = 0;
		for (char *p = q; p && k < MAXF; k++) {
			r->f[r->n][k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		for (int j = k; j < MAXF; j++)
			r->f[r->n][j] = (char *)"";
		r->nf[r->n++] = k;
		if (!e)
			break;
		q = e + 1;
	}
	return 0;
}

static void recs_release(struct recs *r)
{
	sb_release(&r->buf);
	free(r->f);
	free(r->nf);
}

static char *path2(const char *a, const char *b)
{
	struct sb p = SB_INIT;
	sb_addf(&p, "%s/%s", a, b);
	return sb_detach(&p);
}

/* The matrix: its kernels and date; 0, or -1 when there is none. */
struct matrix {
	struct recs r;
	const char *label[MAXK];
	int n;
	const char *date;
};

static int matrix_read(const char *kdir, struct matrix *m)
{
	memset(m, 0, sizeof *m);
	char *p = path2(kdir, "matrix");
	int rc = recs_read(p, &m->r);
	free(p);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < m->r.n; i++) {
		if (!strcmp(m->r.f[i][0], "kernels"))
			for (int k = 1; k < m->r.nf[i] && m->n < MAXK; k++)
				m->label[m->n++] = m->r.f[i][k];
		else if (!strcmp(m->r.f[i][0], "date"))
			m->date = m->r.f[i][1];
	}
	if (!m->n) {
		recs_release(&m->r);
		return -1;
	}
	return 0;
}

/* The first field after key in LABEL/summary ("" if none). */
static const char *summary_field(const struct recs *s, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->f[i][0], key, kl) && s->f[i][0][kl] == ' ')
			return s->f[i][0] + kl + 1;
	return "";
}

/* Summaries are "KEY VALUE" lines: no tabs, so one field each. */
static void summary_read(const char *kdir, const char *label, struct recs *s)
{
	struct sb p = SB_INIT;
	sb_addf(&p, "%s/%s/summary", kdir, label);
	if (recs_read(p.buf, s) < 0)
		memset(s, 0, sizeof *s);
	sb_release(&p);
}

static void claims_of(const char *kdir, const char *label, const char *stem, struct claims *c)
{
	struct sb p = SB_INIT;
	sb_addf(&p, "%s/%s/run/%s/claims.txt", kdir, label, stem);
	*c = (struct claims)CLAIMS_INIT;
	claims_read(p.buf, c);
	sb_release(&p);
}

static const char *result_class(const char *r)
{
	if (!r)
		return "notrun";
	if (!strcmp(r, "confirmed") || !strcmp(r, "differs") || !strcmp(r, "varies") || !strcmp(r, "unchecked") ||
	    !strcmp(r, "invalid"))
		return r;
	return "unknown";
}

/* "skipped needs ..." when the guest skipped the experiment (its meta),
 * else NULL; the caller frees it. */
static char *skipped_why(const char *kdir, const char *label, const char *stem, const char *exp)
{
	struct sb p = SB_INIT, meta = SB_INIT;
	char *why = NULL;
	sb_addf(&p, "%s/%s/run/%s/%s/meta", kdir, label, stem, exp);
	if (read_file(p.buf, &meta) == 0 && meta.buf && !strncmp(meta.buf, "status skipped", 14)) {
		char *w = strstr(meta.buf, "\nskipped ");
		if (w) {
			w++;
			char *e = strchr(w, '\n');
			why = xstrndup(w, e ? (size_t)(e - w) : strlen(w));
		} else
			why = xstrdup("skipped");
	}
	sb_release(&p);
	sb_release(&meta);
	return why;
}

static void exp_anchor(struct sb *out, const char *stem, const char *exp)
{
	struct sb id = SB_INIT;
	sb_addf(&id, "%s/%s", stem, exp);
	html_anchor(out, "exp-", id.buf, id.len, 1);
	sb_release(&id);
}

/* One table: a row per claim of stem, a column per kernel; the experiment
 * links to page#exp-STEM/EXP ("" page: this page). */
static void claims_table(struct sb *out, const char *kdir, const struct matrix *m, const char *stem, const char *page,
			 int with_stem)
{
	struct claims c[MAXK];
	int lines[512], nl = 0;
	for (int k = 0; k < m->n; k++) {
		claims_of(kdir, m->label[k], stem, &c[k]);
		for (size_t i = 0; i < c[k].n && nl < 512; i++) {
			int seen = 0;
			for (int j = 0; j < nl; j++)
				seen |= lines[j] == c[k].v[i].line;
			if (!seen)
				lines[nl++] = c[k].v[i].line;
		}
	}
	for (int i = 1; i < nl; i++)	/* by line */
		for (int j = i; j > 0 && lines[j - 1] > lines[j]; j--) {
			int t = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = t;
		}
	for (int i = 0; i < nl; i++) {
		const struct claim *any = NULL, *r[MAXK];
		int differ = 0;
		for (int k = 0; k < m->n; k++) {
			r[k] = claims_find(&c[k], lines[i]);
			if (r[k] && !any)
				any = r[k];
		}
		for (int k = 1; k < m->n; k++) {
			const char *a = r[0] && r[0]->result ? r[0]->result : "", *b = r[k] && r[k]->result ? r[k]->result : "";
			differ |= strcmp(a, b) != 0;
		}
		sb_addf(out, "<tr%s>", differ ? " class=\"kdiff\"" : "");
		if (with_stem) {
			sb_adds(out, "<td>");
			html_escapes(out, stem);
			sb_adds(out, "</td>");
		}
		sb_addf(out, "<td>%d</td><td>", lines[i]);
		html_escapes(out, any && any->text ? any->text : "");
		if (any && any->experiment) {
			sb_adds(out, " <a class=\"kexp\" href=\"");
			html_url_path(out, page);
			sb_addc(out, '#');
			exp_anchor(out, stem, any->experiment);
			sb_adds(out, "\">");
			html_escapes(out, any->experiment);
			sb_adds(out, "</a>");
		}
		sb_adds(out, "</td>");
		for (int k = 0; k < m->n; k++) {
			const char *res = r[k] ? r[k]->result : NULL;
			char *why = any && any->experiment ? skipped_why(kdir, m->label[k], stem, any->experiment) : NULL;
			if (why) {
				sb_adds(out, "<td class=\"kres notrun\" title=\"");
				html_escapes(out, why);
				sb_adds(out, "\">skipped</td>");
				free(why);
				continue;
			}
			sb_addf(out, "<td class=\"kres %s\">", result_class(res));
			html_escapes(out, res ? res : "not run");
			sb_adds(out, "</td>");
		}
		sb_adds(out, "</tr>\n");
	}
	if (!nl) {
		sb_addf(out, "<tr><td colspan=\"%d\" class=\"note\">No claims were checked on any kernel.</td></tr>\n",
			m->n + 2 + with_stem);
	}
	for (int k = 0; k < m->n; k++)
		claims_release(&c[k]);
}

static void claims_head(struct sb *out, const struct matrix *m, int with_stem)
{
	sb_adds(out, "<table class=\"kernels\">\n<tr>");
	if (with_stem)
		sb_adds(out, "<th>chapter</th>");
	sb_adds(out, "<th>line</th><th>claim (experiment)</th>");
	for (int k = 0; k < m->n; k++) {
		sb_adds(out, "<th>");
		html_escapes(out, m->label[k]);
		sb_adds(out, "</th>");
	}
	sb_adds(out, "</tr>\n");
}

/* --- the POSIX cksum (the CRC of cksum(1), then the length) ------------------ */

static unsigned crc_step(unsigned crc, unsigned char b)
{
	crc ^= (unsigned)b << 24;
	for (int i = 0; i < 8; i++)
		crc = crc & 0x80000000u ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
	return crc;
}

void posix_cksum(struct sb *out, const char *s, size_t n)
{
	unsigned crc = 0;
	for (size_t i = 0; i < n; i++)
		crc = crc_step(crc, (unsigned char)s[i]);
	for (size_t len = n; len; len >>= 8)
		crc = crc_step(crc, (unsigned char)(len & 0xff));
	sb_addf(out, "%u %zu", ~crc & 0xffffffffu, n);
}

/* --- a chapter's claims on every kernel ---------------------------------------- */

void kernel_claims(struct sb *out, const struct chapter *ch, const struct weave_opts *o)
{
	struct matrix m;
	if (!o->kernels || matrix_read(o->kernels, &m) < 0)
		return;
	const char *b = strrchr(ch->path, '/');
	b = b ? b + 1 : ch->path;
	size_t bl = strlen(b);
	char *stem = xstrndup(b, bl > 3 && !strcmp(b + bl - 3, ".md") ? bl - 3 : bl);
	struct sb sum = SB_INIT;
	posix_cksum(&sum, ch->src, ch->srclen);
	const char *ran = NULL;
	for (size_t i = 0; i < m.r.n; i++)
		if (!strcmp(m.r.f[i][0], "chapter") && !strcmp(m.r.f[i][1], stem))
			ran = m.r.f[i][2];
	sb_adds(out, "<section class=\"kernel-claims\">\n<h2 id=\"on-other-kernels\">This chapter&rsquo;s claims on other kernels</h2>\n");
	if (!ran || strcmp(ran, sum.buf)) {
		sb_adds(out, "<p class=\"note\">The last <code>make matrix</code> ran ");
		sb_adds(out, ran ? "an earlier version of this chapter" : "without this chapter");
		sb_adds(out, ": its results on other kernels are not shown. Run <code>make matrix</code> again.</p>\n");
	} else {
		sb_adds(out, "<p>Each claim checked against each kernel&rsquo;s observations (");
		if (m.date) {
			sb_adds(out, "<code>make matrix</code> of ");
			html_escapes(out, m.date);
			sb_adds(out, "; ");
		}
		sb_adds(out, "rows whose result is not the same everywhere are shaded). The experiment links to its "
			     "differences on <a href=\"kernels.html\">What changed between kernels</a>.</p>\n");
		claims_head(out, &m, 0);
		claims_table(out, o->kernels, &m, stem, "kernels.html", 0);
		sb_adds(out, "</table>\n");
	}
	sb_adds(out, "</section>\n");
	sb_release(&sum);
	free(stem);
	recs_release(&m.r);
}

/* --- the kernels page ------------------------------------------------------------ */

static void kernels_table(struct sb *out, const char *kdir, const struct matrix *m)
{
	sb_adds(out, "<h2 id=\"kernels\">Kernels</h2>\n<table class=\"kernels\">\n<tr><th>kernel</th><th>release</th>"
		     "<th>ran on</th><th>boot (s)</th><th>run (s)</th><th>status</th></tr>\n");
	for (int k = 0; k < m->n; k++) {
		struct recs s;
		summary_read(kdir, m->label[k], &s);
		const char *accel = summary_field(&s, "accel"), *status = summary_field(&s, "status");
		if (!s.n)
			status = "failed";
		sb_adds(out, "<tr><td>");
		html_escapes(out, m->label[k]);
		sb_adds(out, "</td><td>");
		html_escapes(out, summary_field(&s, "kernel"));
		sb_adds(out, "</td><td>");
		if (!strcmp(accel, "none"))
			sb_adds(out, "the host");
		else if (*accel) {
			sb_adds(out, "qemu, ");
			html_escapes(out, accel);
			sb_adds(out, "; ");
			html_escapes(out, summary_field(&s, "package"));
		}
		sb_adds(out, "</td><td>");
		html_escapes(out, summary_field(&s, "boot"));
		sb_adds(out, "</td><td>");
		html_escapes(out, summary_field(&s, "seconds"));
		sb_addf(out, "</td><td class=\"%s\">", !strcmp(status, "ok") ? "kok" : "kfailed");
		html_escapes(out, status);
		if (!s.n)
			sb_adds(out, ": never run");
		for (size_t i = 0; i < s.n; i++) {
			const char *l = s.f[i][0];
			if (!strncmp(l, "error ", 6) || !strncmp(l, "guest ", 6) || !strncmp(l, "config ", 7) || !strncmp(l, "skipped ", 8)) {
				sb_adds(out, "<br>");
				html_escapes(out, l);
			}
		}
		sb_adds(out, "</td></tr>\n");
		recs_release(&s);
	}
	sb_adds(out, "</table>\n");
}

static void item_anchor(struct sb *out, const char *id)
{
	html_anchor(out, "cause-", id, strlen(id), 1);
}

static void exp_link(struct sb *out, const char *id)
{
	const char *slash = strchr(id, '/');
	sb_adds(out, "<a href=\"#");
	if (slash) {
		char *stem = xstrndup(id, (size_t)(slash - id));
		exp_anchor(out, stem, slash + 1);
		free(stem);
	}
	sb_adds(out, "\"><code>");
	html_escapes(out, id);
	sb_adds(out, "</code></a>");
}

/* The item with id and its children, from the drift records. */
static void drift_item(struct sb *out, const struct recs *d, size_t at)
{
	const char *id = d->f[at][1], *cls = d->f[at][3];
	sb_adds(out, "<li class=\"cause ");
	html_escapes(out, cls);
	sb_adds(out, "\" id=\"");
	item_anchor(out, id);
	sb_adds(out, "\"><span class=\"what\">");
	html_escapes(out, d->f[at][4]);
	sb_adds(out, "</span>");
	if (strcmp(cls, "setting")) {
		int n = atoi(d->f[at][5]);
		sb_addf(out, " <span class=\"count\">%d experiment%s</span>", n, n == 1 ? "" : "s");
	}
	int semantic = !strcmp(cls, "semantic");
	/* sides */
	sb_adds(out, "\n<table class=\"sides\">\n");
	for (size_t i = at + 1; i < d->n && strcmp(d->f[i][0], "item"); i++)
		if (!strcmp(d->f[i][0], "side") && !strcmp(d->f[i][1], id)) {
			sb_adds(out, "<tr><th>");
			html_escapes(out, d->f[i][2]);
			sb_adds(out, "</th>");
			if (!semantic) {
				sb_adds(out, "<td><code>");
				html_escapes(out, d->f[i][3]);
				sb_adds(out, "</code></td>");
			}
			sb_adds(out, "</tr>\n");
		}
	sb_adds(out, "</table>\n");
	for (size_t i = at + 1; i < d->n && strcmp(d->f[i][0], "item"); i++)
		if (!strcmp(d->f[i][0], "note") && !strcmp(d->f[i][1], id)) {
			sb_adds(out, "<p class=\"knote\">");
			html_escapes(out, d->f[i][2]);
			sb_adds(out, "</p>\n");
		}
	int nexp = 0;
	for (size_t i = at + 1; i < d->n && strcmp(d->f[i][0], "item"); i++)
		if (!strcmp(d->f[i][0], "exp") && !strcmp(d->f[i][1], id)) {
			sb_adds(out, nexp++ ? ", " : "<p class=\"kexps\">In ");
			exp_link(out, d->f[i][2]);
		}
	if (nexp)
		sb_adds(out, ".</p>\n");
	int nline = 0;
	const char *sec = NULL;
	for (size_t i = at + 1; i < d->n && strcmp(d->f[i][0], "item"); i++)
		if (!strcmp(d->f[i][0], "line") && !strcmp(d->f[i][1], id)) {
			if (!nline++)
				sb_adds(out, "<table class=\"klines\">\n<tr><th>section</th><th>kernels</th><th>line</th></tr>\n");
			sb_adds(out, "<tr><td class=\"sec\">");
			if (!sec || strcmp(sec, d->f[i][3]))
				html_escapes(out, d->f[i][3]);
			sec = d->f[i][3];
			sb_adds(out, "</td><td>");
			html_escapes(out, d->f[i][2]);
			sb_adds(out, "</td><td><code>");
			html_escapes(out, d->f[i][4]);
			sb_adds(out, "</code></td></tr>\n");
		}
	if (nline)
		sb_adds(out, "</table>\n");
	/* children */
	int nchild = 0;
	for (size_t i = at + 1; i < d->n; i++)
		if (!strcmp(d->f[i][0], "item") && !strcmp(d->f[i][2], id)) {
			if (!nchild++)
				sb_adds(out, "<ul class=\"causes\">\n");
			drift_item(out, d, i);
		}
	if (nchild)
		sb_adds(out, "</ul>\n");
	sb_adds(out, "</li>\n");
}

static void drift_section(struct sb *out, const struct recs *d)
{
	static const char *heads[][2] = {
		{ "semantic", "Different behaviour: packet flags and order, sequence arithmetic, call results, how programs end, socket states" },
		{ "setting", "Different settings, and the differences they explain" },
		{ "value", "Different values with no known cause: windows, options, timers" },
	};
	sb_adds(out, "<h2 id=\"by-cause\">What changed, by cause</h2>\n"
		     "<p>Each difference once, with what it differs between (the kernels on each side); a difference "
		     "that another one explains is shown under it, with why. A difference between the host alone and "
		     "every guest can come from the machine rather than the kernel: the host has several CPUs, a "
		     "guest one.</p>\n");
	int any = 0;
	for (int h = 0; h < 3; h++) {
		int n = 0;
		for (size_t i = 0; i < d->n; i++)
			if (!strcmp(d->f[i][0], "item") && !strcmp(d->f[i][2], "0") && !strcmp(d->f[i][3], heads[h][0])) {
				if (!n++) {
					sb_adds(out, "<h3>");
					html_escapes(out, heads[h][1]);
					sb_adds(out, "</h3>\n<ul class=\"causes\">\n");
				}
				drift_item(out, d, i);
				any = 1;
			}
		if (n)
			sb_adds(out, "</ul>\n");
	}
	if (!any)
		sb_adds(out, "<p>No difference: every experiment observed the same on every kernel.</p>\n");
}

/* Per experiment: an anchor, what differs there, the ladder diagrams. */
static void experiments_section(struct sb *out, const char *outdir, const struct matrix *m, const struct recs *d)
{
	/* every experiment named in the records, in order of first mention */
	struct sb seen = SB_INIT;
	sb_adds(&seen, "\n");
	sb_adds(out, "<h2 id=\"experiments\">Experiments</h2>\n");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->n; i++) {
			const char *kind = d->f[i][0];
			const char *x = !strcmp(kind, "exp") ? d->f[i][2] : (!strcmp(kind, "same") || !strcmp(kind, "absent")) ? d->f[i][1] : NULL;
			if (!x || (pass == 0) != !strcmp(kind, "exp"))
				continue;
			struct sb needle = SB_INIT;
			sb_addf(&needle, "\n%s\n", x);
			int dup = strstr(seen.buf, needle.buf) != NULL;
			if (!dup)
				sb_adds(&seen, needle.buf + 1);
			sb_release(&needle);
			if (dup)
				continue;
			const char *slash = strchr(x, '/');
			char *stem = xstrndup(x, slash ? (size_t)(slash - x) : strlen(x));
			const char *exp = slash ? slash + 1 : "";
			sb_adds(out, "<section class=\"kexperiment\" id=\"");
			exp_anchor(out, stem, exp);
			sb_adds(out, "\">\n<h3><code>");
			html_escapes(out, x);
			sb_adds(out, "</code></h3>\n");
			int causes = 0;
			for (size_t j = 0; j < d->n; j++) {
				if (strcmp(d->f[j][0], "exp") || strcmp(d->f[j][2], x))
					continue;
				const char *id = d->f[j][1];
				for (size_t t = 0; t < d->n; t++)
					if (!strcmp(d->f[t][0], "item") && !strcmp(d->f[t][1], id)) {
						sb_adds(out, causes++ ? ", " : "<p>Differs: ");
						sb_adds(out, "<a href=\"#");
						item_anchor(out, id);
						sb_adds(out, "\">");
						html_escapes(out, d->f[t][4]);
						sb_adds(out, "</a>");
					}
			}
			if (causes)
				sb_adds(out, ".</p>\n");
			for (size_t j = 0; j < d->n; j++)
				if (!strcmp(d->f[j][0], "same") && !strcmp(d->f[j][1], x))
					sb_adds(out, "<p class=\"kok\">The same on every kernel.</p>\n");
			for (size_t j = 0; j < d->n; j++)
				if (!strcmp(d->f[j][0], "absent") && !strcmp(d->f[j][1], x)) {
					sb_adds(out, "<p class=\"kfailed\">No observations on ");
					html_escapes(out, d->f[j][2]);
					sb_adds(out, ": ");
					html_escapes(out, d->f[j][3]);
					sb_adds(out, ".</p>\n");
				}
			/* the ladder diagrams, copied under OUTDIR/kernels/ by the matrix */
			int nl = 0;
			for (int k = 0; k < m->n; k++) {
				struct sb rel = SB_INIT, full = SB_INIT;
				sb_addf(&rel, "kernels/%s/%s/ladder.svg", m->label[k], x);
				sb_addf(&full, "%s/%s", outdir, rel.buf);
				if (exists(full.buf)) {
					sb_adds(out, nl++ ? ", " : "<p class=\"kladders\">Ladder diagrams: ");
					sb_adds(out, "<a href=\"");
					html_url_path(out, rel.buf);
					sb_adds(out, "\">");
					html_escapes(out, m->label[k]);
					sb_adds(out, "</a>");
				}
				sb_release(&rel);
				sb_release(&full);
			}
			if (nl)
				sb_adds(out, ".</p>\n");
			sb_adds(out, "</section>\n");
			free(stem);
		}
	sb_release(&seen);
}

int render_kernels(const char *kdir, const char *outdir, struct sb *out)
{
	struct matrix m;
	if (matrix_read(kdir, &m) < 0) {
		fprintf(stderr, "%s: '%s/matrix' is missing or names no kernel: run make matrix\n", progname, kdir);
		return -1;
	}
	page_start(out, "What changed between kernels \xe2\x80\x94 " BOOK_TITLE, "kernels appendix");
	sb_adds(out, "<header>\n<nav class=\"top\"><a href=\"index.html\">Contents</a></nav>\n</header>\n<main>\n"
		     "<h1>What changed between kernels</h1>\n"
		     "<p class=\"lead\">Every chapter&rsquo;s experiments, run with the same harness and the same programs "
		     "on each kernel below: on the host as it is, and on the others in a qemu guest booted on that "
		     "kernel. Observations are compared as normalised (ports, sequence numbers and timestamps replaced "
		     "by symbols), so what differs is the kernel&rsquo;s behaviour, or its settings. Rebuild with "
		     "<code>make matrix</code>");
	if (m.date) {
		sb_adds(out, "; this one ran on ");
		html_escapes(out, m.date);
	}
	sb_adds(out, ".</p>\n");
	kernels_table(out, kdir, &m);

	struct recs d;
	char *dp = path2(kdir, "drift");
	int have = recs_read(dp, &d) == 0;
	free(dp);
	if (have)
		drift_section(out, &d);
	else
		sb_adds(out, "<p class=\"missing\">No comparison: the matrix wrote no <code>drift</code> file.</p>\n");

	sb_adds(out, "<h2 id=\"claims\">Claims on each kernel</h2>\n<p>Each claim of each chapter, checked against "
		     "each kernel&rsquo;s observations; rows whose result is not the same everywhere are shaded.</p>\n");
	claims_head(out, &m, 1);
	for (size_t i = 0; i < m.r.n; i++)
		if (!strcmp(m.r.f[i][0], "chapter"))
			claims_table(out, kdir, &m, m.r.f[i][1], "", 1);
	sb_adds(out, "</table>\n");
	if (have) {
		experiments_section(out, outdir, &m, &d);
		recs_release(&d);
	}
	sb_adds(out, "</main>\n</body>\n</html>\n");
	recs_release(&m.r);
	return 0;
}

int kernels_site(const char *kdir, const char *html, struct outset *made, struct sb *page)
{
	struct matrix m;
	if (matrix_read(kdir, &m) < 0)
		return 0;
	int rc = 1;
	for (int k = 0; k < m.n && rc > 0; k++) {
		struct sb src = SB_INIT, dst = SB_INIT;
		sb_addf(&src, "%s/%s/run", kdir, m.label[k]);
		sb_addf(&dst, "%s/kernels/%s", html, m.label[k]);
		if (exists(src.buf) && publish_tree(src.buf, dst.buf, made) < 0)
			rc = -1;
		sb_release(&src);
		sb_release(&dst);
	}
	recs_release(&m.r);
	if (rc > 0 && render_kernels(kdir, html, page) < 0)
		rc = -1;
	return rc;
}
