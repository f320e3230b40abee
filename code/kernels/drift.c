/* drift.c: what changed between kernels, grouped by cause (see drift.h). */
#include "drift.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

enum { CLS_SEMANTIC, CLS_SETTING, CLS_VALUE };
static const char *cls_name[] = { "semantic", "setting", "value" };

/* Semantic categories, in the order they are shown. */
static const char *categories[] = {
	"packet flags and order", "sequence arithmetic", "call results",
	"how programs end", "socket states", "other observations",
};
#define NCAT (sizeof categories / sizeof categories[0])

struct line {
	char *sec;	/* the section header it is under */
	char *text;	/* the line, without its indentation */
	char *mask;	/* with the values (win, mss, wscale, timers) as # */
	char *mask2;	/* mask, with seq and ack too */
};

struct obs {
	struct line *v;
	size_t n;
	int have;
	char *why;	/* when !have */
};

struct item {
	int id, parent, cls, cat;
	char *what, *key, *note;
	int grp[DRIFT_MAXK];	/* each kernel's side, -1 when not compared */
	int ngrp;
	struct sb val[DRIFT_MAXK];	/* per side: distinct values, ", " separated */
	int natoms[DRIFT_MAXK];
	struct sb exps;		/* "STEM/EXP\n" */
	int count;
	struct sb lines;	/* semantic: "SIDE\tSECTION\tTEXT\n" */
};

struct drift {
	int n;
	char *label[DRIFT_MAXK], *run[DRIFT_MAXK];
	struct sb sysctl[DRIFT_MAXK];	/* "NAME VALUE\n" */
	int have_sysctl[DRIFT_MAXK];
	struct item *items;
	size_t nitems, cap;
	struct sb same, absent;	/* "STEM/EXP\n"; "STEM/EXP\tLABEL\tWHY\n" */
};

/* --- reading ---------------------------------------------------------------- */

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every STEM/EXP directory of any run, sorted, unique; *n of them. */
static char **experiments(const struct drift *d, size_t *n)
{
	char **v = NULL;
	size_t cap = 0, used = 0;
	for (int k = 0; k < d->n; k++) {
		DIR *top = opendir(d->run[k]);
		if (!top)
			continue;
		struct dirent *s;
		while ((s = readdir(top))) {
			if (s->d_name[0] == '.')
				continue;
			struct sb p = SB_INIT;
			sb_addf(&p, "%s/%s", d->run[k], s->d_name);
			DIR *sd = is_dir(p.buf) ? opendir(p.buf) : NULL;
			sb_release(&p);
			if (!sd)
				continue;
			struct dirent *e;
			while ((e = readdir(sd))) {
				if (e->d_name[0] == '.')
					continue;
				size_t el = strlen(e->d_name);
				if (el > 4 && !strcmp(e->d_name + el - 4, ".tmp"))
					continue;
				struct sb q = SB_INIT;
				sb_addf(&q, "%s/%s/%s", d->run[k], s->d_name, e->d_name);
				int dir = is_dir(q.buf);
				sb_release(&q);
				if (!dir)
					continue;
				grow(&v, &cap, used + 1, sizeof *v);
				struct sb id = SB_INIT;
				sb_addf(&id, "%s/%s", s->d_name, e->d_name);
				v[used++] = sb_detach(&id);
			}
			closedir(sd);
		}
		closedir(top);
	}
	if (used)
		qsort(v, used, sizeof *v, cmp_str);
	size_t w = 0;
	for (size_t i = 0; i < used; i++) {
		if (w && !strcmp(v[w - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[w++] = v[i];
	}
	*n = w;
	return v;
}

static int has_S_flag(const char *text)
{
	const char *f = strstr(text, "Flags [");
	if (!f)
		return 0;
	for (f += 7; *f && *f != ']'; f++)
		if (*f == 'S')
			return 1;
	return 0;
}

/* The value kinds a line holds, masked: appends the masked line to m, and
 * "KIND\tVALUE\n" for each value to vals (when not NULL). With seq, the
 * seq and ack fields are masked too. */
static void mask_line(const char *sec, const char *t, int seq, struct sb *m, struct sb *vals)
{
	static const char *keys[] = { "win ", "mss ", "wscale ", "timer " };
	static const char *kinds[] = { "win", "mss option", "wscale option", "timer" };
	int packet = !strcmp(sec, "packets");
	size_t i = 0, n = strlen(t);
	while (i < n) {
		int start = i == 0 || t[i - 1] == ' ' || t[i - 1] == ',' || t[i - 1] == '[';
		int done = 0;
		for (size_t k = 0; start && k < 4 && !done; k++) {
			size_t kl = strlen(keys[k]);
			if (strncmp(t + i, keys[k], kl))
				continue;
			size_t j = i + kl, name = j, namelen = 0;
			if (k == 3) {	/* timer NAME N s */
				while (j < n && t[j] != ' ')
					j++;
				namelen = j - name;
				if (j < n)
					j++;
			}
			if (j >= n || !isdigit((unsigned char)t[j]))
				continue;
			size_t v0 = j;
			while (j < n && isdigit((unsigned char)t[j]))
				j++;
			sb_add(m, t + i, v0 - i);
			sb_addc(m, '#');
			if (vals) {
				if (k == 3)
					sb_addf(vals, "timer %.*s", (int)namelen, t + name);
				else if (k == 0 && packet && has_S_flag(t))
					sb_adds(vals, "win in SYN");
				else
					sb_adds(vals, kinds[k]);
				sb_addf(vals, "\t%.*s\n", (int)(j - v0), t + v0);
			}
			i = j;
			done = 1;
		}
		if (!done && seq && start && (!strncmp(t + i, "seq ", 4) || !strncmp(t + i, "ack ", 4))) {
			sb_add(m, t + i, 4);
			sb_addc(m, '#');
			i += 4;
			while (i < n && t[i] != ',')
				i++;
			done = 1;
		}
		if (!done)
			sb_addc(m, t[i++]);
	}
}

static void load_obs(const struct drift *d, int k, const char *exp, struct obs *o)
{
	memset(o, 0, sizeof *o);
	struct sb p = SB_INIT, s = SB_INIT;
	sb_addf(&p, "%s/%s/observations.txt", d->run[k], exp);
	if (read_file(p.buf, &s) < 0) {
		struct sb mp = SB_INIT, meta = SB_INIT;
		sb_addf(&mp, "%s/%s/meta", d->run[k], exp);
		const char *why = "no observations";
		char *w = NULL;
		if (read_file(mp.buf, &meta) == 0 && meta.buf) {
			char *sk = strstr(meta.buf, "skipped ");
			if (sk && (sk == meta.buf || sk[-1] == '\n')) {
				char *e = strchr(sk, '\n');
				w = xstrndup(sk, e ? (size_t)(e - sk) : strlen(sk));
			} else if (strstr(meta.buf, "status failed"))
				why = "the experiment failed";
		}
		o->why = w ? w : xstrdup(why);
		sb_release(&mp);
		sb_release(&meta);
		sb_release(&p);
		return;
	}
	sb_release(&p);
	o->have = 1;
	size_t cap = 0;
	char *sec = xstrdup("");
	char *q = s.buf ? s.buf : (char *)"";
	while (*q) {
		char *e = strchr(q, '\n');
		size_t len = e ? (size_t)(e - q) : strlen(q);
		char *l = xstrndup(q, len);
		q += len + (e ? 1 : 0);
		if (l[0] != ' ') {
			free(sec);
			sec = l;
			l = xstrdup("");	/* the header stands for itself as a line */
		}
		char *t = l;
		while (*t == ' ')
			t++;
		grow(&o->v, &cap, o->n + 1, sizeof *o->v);
		struct line *ln = &o->v[o->n++];
		ln->sec = xstrdup(sec);
		ln->text = xstrdup(t);
		struct sb m = SB_INIT, m2 = SB_INIT;
		mask_line(sec, t, 0, &m, NULL);
		mask_line(sec, t, 1, &m2, NULL);
		ln->mask = m.buf ? sb_detach(&m) : xstrdup("");
		ln->mask2 = m2.buf ? sb_detach(&m2) : xstrdup("");
		free(l);
	}
	free(sec);
	sb_release(&s);
}

static void free_obs(struct obs *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].sec);
		free(o->v[i].text);
		free(o->v[i].mask);
		free(o->v[i].mask2);
	}
	free(o->v);
	free(o->why);
}

static void load_sysctls(struct drift *d, int k)
{
	struct sb p = SB_INIT, s = SB_INIT;
	sb_addf(&p, "%s/sysctls", d->run[k]);
	if (read_file(p.buf, &s) == 0 && s.buf) {
		d->sysctl[k] = s;
		d->have_sysctl[k] = 1;
		sb_release(&p);
		return;
	}
	sb_release(&s);
	sb_release(&p);
	/* else the first chapter's build-info: "sysctl NAME VALUE" */
	size_t n;
	DIR *top = opendir(d->run[k]);
	if (!top)
		return;
	char **stems = NULL;
	size_t cap = 0;
	n = 0;
	struct dirent *e;
	while ((e = readdir(top))) {
		if (e->d_name[0] == '.')
			continue;
		grow(&stems, &cap, n + 1, sizeof *stems);
		stems[n++] = xstrdup(e->d_name);
	}
	closedir(top);
	if (n)
		qsort(stems, n, sizeof *stems, cmp_str);
	for (size_t i = 0; i < n && !d->have_sysctl[k]; i++) {
		struct sb bp = SB_INIT, b = SB_INIT;
		sb_addf(&bp, "%s/%s/build-info", d->run[k], stems[i]);
		if (read_file(bp.buf, &b) == 0 && b.buf) {
			char *q = b.buf;
			while (*q) {
				char *nl = strchr(q, '\n');
				size_t len = nl ? (size_t)(nl - q) : strlen(q);
				if (len > 7 && !strncmp(q, "sysctl ", 7)) {
					sb_add(&d->sysctl[k], q + 7, len - 7);
					sb_addc(&d->sysctl[k], '\n');
				}
				q += len + (nl ? 1 : 0);
			}
			d->have_sysctl[k] = 1;
		}
		sb_release(&bp);
		sb_release(&b);
	}
	for (size_t i = 0; i < n; i++)
		free(stems[i]);
	free(stems);
}

/* The value of sysctl NAME on kernel k (a new string), or NULL. */
static char *sysctl_of(const struct drift *d, int k, const char *name)
{
	const char *q = d->sysctl[k].buf;
	size_t nl = strlen(name);
	while (q && *q) {
		const char *e = strchr(q, '\n');
		size_t len = e ? (size_t)(e - q) : strlen(q);
		if (len > nl && !strncmp(q, name, nl) && q[nl] == ' ')
			return xstrndup(q + nl + 1, len - nl - 1);
		q += len + (e ? 1 : 0);
	}
	return NULL;
}

/* --- items -------------------------------------------------------------------- */

/* Sides from per-kernel strings (NULL: not compared): the first kernel
 * with a new string opens a new side. Returns the number of sides. */
static int partition(const struct drift *d, char **s, int *grp)
{
	int ng = 0;
	for (int k = 0; k < d->n; k++) {
		grp[k] = -1;
		if (!s[k])
			continue;
		for (int j = 0; j < k; j++)
			if (s[j] && !strcmp(s[j], s[k])) {
				grp[k] = grp[j];
				break;
			}
		if (grp[k] < 0)
			grp[k] = ng++;
	}
	return ng;
}

static void part_sig(const struct drift *d, const int *grp, struct sb *out)
{
	for (int k = 0; k < d->n; k++)
		sb_addf(out, "%d,", grp[k]);
}

/* The item with this key, or a new one. */
static struct item *item_for(struct drift *d, int cls, int cat, const char *what, const char *key, const int *grp, int ngrp)
{
	for (size_t i = 0; i < d->nitems; i++)
		if (!strcmp(d->items[i].key, key))
			return &d->items[i];
	grow(&d->items, &d->cap, d->nitems + 1, sizeof *d->items);
	struct item *it = &d->items[d->nitems++];
	memset(it, 0, sizeof *it);
	it->cls = cls;
	it->cat = cat;
	it->what = xstrdup(what);
	it->key = xstrdup(key);
	memcpy(it->grp, grp, sizeof it->grp);
	it->ngrp = ngrp;
	return it;
}

static int has_exp(const struct item *it, const char *exp)
{
	size_t el = strlen(exp);
	for (const char *q = it->exps.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		if ((size_t)(e - q) == el && !strncmp(q, exp, el))
			return 1;
		q = e + 1;
	}
	return 0;
}

static void add_exp(struct item *it, const char *exp)
{
	if (has_exp(it, exp))
		return;
	sb_addf(&it->exps, "%s\n", exp);
	it->count++;
}

static void add_value(struct item *it, int side, const char *v)
{
	if (side < 0)
		return;
	struct sb *s = &it->val[side];
	/* distinct values only, at most 6 then "..." */
	if (s->buf) {
		const char *q = s->buf;
		size_t vl = strlen(v);
		while (*q) {
			const char *e = strstr(q, ", ");
			size_t len = e ? (size_t)(e - q) : strlen(q);
			if (len == vl && !strncmp(q, v, vl))
				return;
			q += len + (e ? 2 : 0);
		}
	}
	if (it->natoms[side] == 6) {
		sb_adds(s, ", ...");
		it->natoms[side]++;
		return;
	}
	if (it->natoms[side] > 6)
		return;
	if (s->len)
		sb_adds(s, ", ");
	sb_adds(s, v);
	it->natoms[side]++;
}

/* A section's lines of one observation set, one string (masked, mask2, or
 * raw when which is 0, 2, 1). */
static char *section_content(const struct obs *o, const char *sec, int which)
{
	struct sb s = SB_INIT;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].sec, sec)) {
			sb_adds(&s, which == 0 ? o->v[i].mask : which == 2 ? o->v[i].mask2 : o->v[i].text);
			sb_addc(&s, '\n');
		}
	return s.buf ? sb_detach(&s) : xstrdup("");
}

/* Lines of a section, as an array of masked strings and raw ones. */
struct seclines {
	const char **m, **t;
	size_t n;
};

static struct seclines sec_lines(const struct obs *o, const char *sec)
{
	struct seclines s = { NULL, NULL, 0 };
	size_t cap = 0, cap2 = 0;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].sec, sec) && o->v[i].text[0]) {
			grow(&s.m, &cap, s.n + 1, sizeof *s.m);
			grow(&s.t, &cap2, s.n + 1, sizeof *s.t);
			s.m[s.n] = o->v[i].mask;
			s.t[s.n++] = o->v[i].text;
		}
	return s;
}

static void kernels_of(const struct drift *d, const int *grp, int side, struct sb *out)
{
	int first = 1;
	for (int k = 0; k < d->n; k++)
		if (grp[k] == side) {
			sb_addf(out, "%s%s", first ? "" : ", ", d->label[k]);
			first = 0;
		}
}

static int has_line(const struct sb *lines, const char *rec)
{
	if (!lines->buf)
		return 0;
	size_t rl = strlen(rec);
	for (const char *q = lines->buf; *q;) {
		const char *e = strchr(q, '\n');
		if ((size_t)(e - q) == rl && !strncmp(q, rec, rl))
			return 1;
		q = e + 1;
	}
	return 0;
}

/* The lines in which side a's and side b's section differ (an LCS of the
 * masked lines), as "SIDE\tSECTION\tTEXT" records. */
static void diff_lines(struct seclines *a, struct seclines *b, int sa, int sb_, const char *sec, struct sb *out)
{
	size_t n = a->n, m = b->n;
	int *L = xcalloc((n + 1) * (m + 1), sizeof *L);
#define AT(i, j) L[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			AT(i, j) = !strcmp(a->m[i], b->m[j]) ? AT(i + 1, j + 1) + 1
				   : (AT(i + 1, j) > AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1));
	size_t i = 0, j = 0;
	struct sb rec = SB_INIT;
	while (i < n || j < m) {
		int side;
		const char *t;
		if (i < n && j < m && !strcmp(a->m[i], b->m[j])) {
			i++, j++;
			continue;
		}
		if (j >= m || (i < n && AT(i + 1, j) >= AT(i, j + 1))) {
			side = sa;
			t = a->t[i++];
		} else {
			side = sb_;
			t = b->t[j++];
		}
		sb_reset(&rec);
		sb_addf(&rec, "%d\t%s\t%s", side, sec, t);
		if (!has_line(out, rec.buf)) {
			sb_add(out, rec.buf, rec.len);
			sb_addc(out, '\n');
		}
	}
#undef AT
	sb_release(&rec);
	free(L);
}

static int is_end_line(const char *t)
{
	return !strncmp(t, "exited", 6) || !strncmp(t, "killed", 6) || strstr(t, "signal") == t || !strncmp(t, "timed out", 9);
}

static void semantic(struct drift *d, const char *exp, struct obs *o, const char *sec)
{
	char *c[DRIFT_MAXK] = { 0 };
	int grp[DRIFT_MAXK];
	for (int k = 0; k < d->n; k++)
		if (o[k].have)
			c[k] = section_content(&o[k], sec, 0);
	int ng = partition(d, c, grp);
	if (ng > 1) {
		int cat = NCAT - 1;
		if (!strcmp(sec, "packets")) {
			char *c2[DRIFT_MAXK] = { 0 };
			int g2[DRIFT_MAXK];
			for (int k = 0; k < d->n; k++)
				if (o[k].have)
					c2[k] = section_content(&o[k], sec, 2);
			cat = partition(d, c2, g2) == 1 ? 1 : 0;
			for (int k = 0; k < d->n; k++)
				free(c2[k]);
		} else if (!strncmp(sec, "role ", 5)) {
			/* the calls without how the program ended */
			char *c2[DRIFT_MAXK] = { 0 };
			int g2[DRIFT_MAXK];
			for (int k = 0; k < d->n; k++) {
				if (!o[k].have)
					continue;
				struct sb s = SB_INIT;
				for (size_t i = 0; i < o[k].n; i++)
					if (!strcmp(o[k].v[i].sec, sec) && !is_end_line(o[k].v[i].text)) {
						sb_adds(&s, o[k].v[i].mask);
						sb_addc(&s, '\n');
					}
				c2[k] = s.buf ? sb_detach(&s) : xstrdup("");
			}
			cat = partition(d, c2, g2) == 1 ? 3 : 2;
			for (int k = 0; k < d->n; k++)
				free(c2[k]);
		} else if (!strncmp(sec, "sockets at", 10))
			cat = 4;
		/* the differing lines, each side against the first */
		int rep[DRIFT_MAXK];
		for (int g = 0; g < ng; g++)
			for (int k = d->n - 1; k >= 0; k--)
				if (grp[k] == g)
					rep[g] = k;
		struct sb lines = SB_INIT;
		struct seclines a = sec_lines(&o[rep[0]], sec);
		for (int g = 1; g < ng; g++) {
			struct seclines b = sec_lines(&o[rep[g]], sec);
			diff_lines(&a, &b, 0, g, sec, &lines);
			free(b.m);
			free(b.t);
		}
		free(a.m);
		free(a.t);
		struct sb key = SB_INIT;
		sb_addf(&key, "semantic\t%d\t", cat);
		part_sig(d, grp, &key);
		sb_addc(&key, '\t');
		if (lines.buf)
			sb_adds(&key, lines.buf);
		struct item *it = item_for(d, CLS_SEMANTIC, cat, categories[cat], key.buf, grp, ng);
		if (!it->lines.buf && lines.buf)
			sb_adds(&it->lines, lines.buf);
		add_exp(it, exp);
		sb_release(&key);
		sb_release(&lines);
	}
	for (int k = 0; k < d->n; k++)
		free(c[k]);
}

static int same_split(const struct drift *d, const int *a, const int *b);

/* The value item of this kind whose split agrees with grp on the kernels
 * both compare (an experiment that one kernel could not match still joins
 * the others'), or a new one; side[g] is the item's side for grp's side g. */
static struct item *value_item(struct drift *d, const char *kind, const int *grp, int ng, int *side)
{
	for (size_t i = 0; i < d->nitems; i++) {
		struct item *it = &d->items[i];
		if (it->cls != CLS_VALUE || strcmp(it->what, kind))
			continue;
		/* agree: where both compare two kernels, both split them alike */
		int ok = 1, common = 0;
		for (int a = 0; a < d->n && ok; a++) {
			if (grp[a] < 0 || it->grp[a] < 0)
				continue;
			common++;
			for (int b = a + 1; b < d->n; b++)
				if (grp[b] >= 0 && it->grp[b] >= 0 && ((grp[a] == grp[b]) != (it->grp[a] == it->grp[b])))
					ok = 0;
		}
		if (!ok || common < 2)
			continue;
		/* map the sides; a side with no kernel in common becomes new */
		for (int g = 0; g < ng; g++) {
			side[g] = -1;
			for (int k = 0; k < d->n && side[g] < 0; k++)
				if (grp[k] == g && it->grp[k] >= 0)
					side[g] = it->grp[k];
			if (side[g] < 0)
				side[g] = it->ngrp++;
		}
		for (int k = 0; k < d->n; k++)
			if (grp[k] >= 0 && it->grp[k] < 0)
				it->grp[k] = side[grp[k]];
		return it;
	}
	struct sb key = SB_INIT;
	sb_addf(&key, "value\t%s\t%zu", kind, d->nitems);
	struct item *it = item_for(d, CLS_VALUE, 0, kind, key.buf, grp, ng);
	sb_release(&key);
	for (int g = 0; g < ng; g++)
		side[g] = g;
	return it;
}

/* Values of the kernels whose section sec has the same shape. */
static void values(struct drift *d, const char *exp, struct obs *o, const char *sec)
{
	char *c[DRIFT_MAXK] = { 0 };
	int shape[DRIFT_MAXK];
	for (int k = 0; k < d->n; k++)
		if (o[k].have)
			c[k] = section_content(&o[k], sec, 0);
	int ns = partition(d, c, shape);
	for (int s = 0; s < ns; s++) {
		/* per kernel of this shape: "KIND\tVALUE\n" of every line */
		struct sb v[DRIFT_MAXK];
		int members = 0;
		for (int k = 0; k < d->n; k++) {
			memset(&v[k], 0, sizeof v[k]);
			if (shape[k] != s)
				continue;
			members++;
			struct sb m = SB_INIT;
			for (size_t i = 0; i < o[k].n; i++)
				if (!strcmp(o[k].v[i].sec, sec))
					mask_line(sec, o[k].v[i].text, 0, &m, &v[k]);
			sb_release(&m);
		}
		if (members < 2)
			goto next;
		/* the kinds, from the first member */
		int first = -1;
		for (int k = 0; k < d->n && first < 0; k++)
			if (shape[k] == s)
				first = k;
		struct sb kinds = SB_INIT;
		for (const char *q = v[first].buf; q && *q;) {
			const char *t = strchr(q, '\t'), *e = strchr(q, '\n');
			struct sb kd = SB_INIT;
			sb_add(&kd, q, (size_t)(t - q));
			if (!has_line(&kinds, kd.buf)) {
				sb_add(&kinds, kd.buf, kd.len);
				sb_addc(&kinds, '\n');
			}
			sb_release(&kd);
			q = e + 1;
		}
		for (const char *q = kinds.buf; q && *q;) {
			const char *e = strchr(q, '\n');
			char *kind = xstrndup(q, (size_t)(e - q));
			q = e + 1;
			char *tuple[DRIFT_MAXK] = { 0 };
			for (int k = 0; k < d->n; k++) {
				if (shape[k] != s)
					continue;
				struct sb t = SB_INIT;
				size_t kl = strlen(kind);
				for (const char *r = v[k].buf; r && *r;) {
					const char *re = strchr(r, '\n');
					if (!strncmp(r, kind, kl) && r[kl] == '\t') {
						if (t.len)
							sb_addc(&t, ',');
						sb_add(&t, r + kl + 1, (size_t)(re - r - kl - 1));
					}
					r = re + 1;
				}
				tuple[k] = t.buf ? sb_detach(&t) : xstrdup("");
			}
			int grp[DRIFT_MAXK];
			int ng = partition(d, tuple, grp);
			if (ng > 1) {
				int side[DRIFT_MAXK];
				struct item *it = value_item(d, kind, grp, ng, side);
				for (int k = 0; k < d->n; k++) {
					if (grp[k] < 0)
						continue;
					char *tv = xstrdup(tuple[k]);
					for (char *sp, *a = strtok_r(tv, ",", &sp); a; a = strtok_r(NULL, ",", &sp))
						add_value(it, side[grp[k]], a);
					free(tv);
				}
				add_exp(it, exp);
			}
			for (int k = 0; k < d->n; k++)
				free(tuple[k]);
			free(kind);
		}
		sb_release(&kinds);
	next:
		for (int k = 0; k < d->n; k++)
			sb_release(&v[k]);
	}
	for (int k = 0; k < d->n; k++)
		free(c[k]);
}

static void experiment(struct drift *d, const char *exp)
{
	struct obs o[DRIFT_MAXK];
	int nhave = 0;
	for (int k = 0; k < d->n; k++) {
		load_obs(d, k, exp, &o[k]);
		if (o[k].have)
			nhave++;
		else
			sb_addf(&d->absent, "%s\t%s\t%s\n", exp, d->label[k], o[k].why);
	}
	/* the sections, in the order they first appear */
	struct sb secs = SB_INIT;
	for (int k = 0; k < d->n; k++)
		for (size_t i = 0; i < o[k].n; i++) {
			struct sb rec = SB_INIT;
			sb_adds(&rec, o[k].v[i].sec);
			if (!has_line(&secs, rec.buf)) {
				sb_add(&secs, rec.buf, rec.len);
				sb_addc(&secs, '\n');
			}
			sb_release(&rec);
		}
	size_t before = d->nitems;
	if (nhave >= 2) {
		for (const char *q = secs.buf; q && *q;) {
			const char *e = strchr(q, '\n');
			char *sec = xstrndup(q, (size_t)(e - q));
			semantic(d, exp, o, sec);
			values(d, exp, o, sec);
			free(sec);
			q = e + 1;
		}
	}
	/* the same on every kernel: no item gained this experiment */
	int gained = d->nitems != before;
	for (size_t i = 0; i < before && !gained; i++)
		gained = has_exp(&d->items[i], exp);
	if (!gained && nhave == d->n && nhave > 0)
		sb_addf(&d->same, "%s\n", exp);
	sb_release(&secs);
	for (int k = 0; k < d->n; k++)
		free_obs(&o[k]);
}

/* --- settings -------------------------------------------------------------------- */

/* Known causes: a sysctl whose default a kernel change moved. */
static const struct {
	const char *name, *note;
} known[] = {
	{ "net.ipv4.tcp_rmem",
	  "tcp_init() (net/ipv4/tcp.c) sets tcp_rmem[2] to the smaller of a cap and 1/128 of free memory; "
	  "the cap was 6 MB and is 32 MB since \"tcp: increase tcp_rmem[2] to 32 MB\" (Eric Dumazet, posted for "
	  "net-next on 13 May 2025: after 6.12, whose cap is 6 MB, and by 6.18, whose cap is 32 MB, as measured "
	  "here; the first release that has it is not confirmed here). A guest needs more than 4 GiB to reach "
	  "32 MB (KERNELS_MEM)" },
	{ "net.ipv4.tcp_syn_linear_timeouts",
	  "new in Linux 6.5 (commit ccce324dabfe, \"tcp: make the first N SYN RTO backoffs linear\"): "
	  "the first 4 SYN retransmissions come 1 s apart, then the backoff doubles" },
	{ "net.ipv4.tcp_congestion_control",
	  "the machine's choice (CONFIG_DEFAULT_TCP_CONG, or a sysctl set at boot), not a difference of TCP itself" },
};
#define NKNOWN (sizeof known / sizeof known[0])

static const char *known_note(const char *name)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (!strcmp(known[i].name, name))
			return known[i].note;
	return NULL;
}

static void settings(struct drift *d)
{
	for (int k = 0; k < d->n; k++)
		load_sysctls(d, k);
	/* every name, in the first kernel's order */
	struct sb names = SB_INIT;
	for (int k = 0; k < d->n; k++)
		for (const char *q = d->sysctl[k].buf; q && *q;) {
			const char *e = strchr(q, '\n');
			size_t len = e ? (size_t)(e - q) : strlen(q);
			const char *sp = memchr(q, ' ', len);
			struct sb nm = SB_INIT;
			sb_add(&nm, q, sp ? (size_t)(sp - q) : len);
			if (!has_line(&names, nm.buf)) {
				sb_add(&names, nm.buf, nm.len);
				sb_addc(&names, '\n');
			}
			sb_release(&nm);
			q += len + (e ? 1 : 0);
		}
	for (const char *q = names.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		char *name = xstrndup(q, (size_t)(e - q));
		q = e + 1;
		char *v[DRIFT_MAXK] = { 0 };
		int absent = 0;
		for (int k = 0; k < d->n; k++) {
			if (!d->have_sysctl[k])
				continue;
			v[k] = sysctl_of(d, k, name);
			if (!v[k]) {
				v[k] = xstrdup("(absent)");
				absent = 1;
			}
		}
		int grp[DRIFT_MAXK];
		int ng = partition(d, v, grp);
		if (ng > 1) {
			const char *note = known_note(name);
			struct sb key = SB_INIT;
			if (absent && !note) {
				/* sysctls that some kernels lack: one item per split */
				char *p[DRIFT_MAXK] = { 0 };
				for (int k = 0; k < d->n; k++)
					if (v[k])
						p[k] = xstrdup(strcmp(v[k], "(absent)") ? "present" : "absent");
				int pg[DRIFT_MAXK];
				int png = partition(d, p, pg);
				sb_adds(&key, "absent\t");
				part_sig(d, pg, &key);
				struct item *it = item_for(d, CLS_SETTING, 1, "sysctls only some kernels have", key.buf, pg, png);
				for (int k = 0; k < d->n; k++)
					if (p[k])
						add_value(it, pg[k], p[k]);
				struct sb nt = SB_INIT;
				if (it->note)
					sb_adds(&nt, it->note);
				sb_addf(&nt, "%s%s", nt.len ? ", " : "", name);
				free(it->note);
				it->note = sb_detach(&nt);
				it->count++;
				for (int k = 0; k < d->n; k++)
					free(p[k]);
			} else {
				sb_addf(&key, "setting\t%s", name);
				struct item *it = item_for(d, CLS_SETTING, note ? 0 : 2, name, key.buf, grp, ng);
				for (int k = 0; k < d->n; k++)
					if (v[k])
						add_value(it, grp[k], v[k]);
				if (note)
					it->note = xstrdup(note);
			}
			sb_release(&key);
		}
		for (int k = 0; k < d->n; k++)
			free(v[k]);
		free(name);
	}
	sb_release(&names);
}

/* --- causes ------------------------------------------------------------------------ */

/* Whether b splits the kernels that a compares exactly as a does. */
static int same_split(const struct drift *d, const int *a, const int *b)
{
	for (int i = 0; i < d->n; i++) {
		if (a[i] < 0)
			continue;
		if (b[i] < 0)
			return 0;
		for (int j = i + 1; j < d->n; j++)
			if (a[j] >= 0 && ((a[i] == a[j]) != (b[i] == b[j])))
				return 0;
	}
	return 1;
}

static struct item *find(struct drift *d, int cls, const char *what, const int *grp)
{
	for (size_t i = 0; i < d->nitems; i++) {
		struct item *it = &d->items[i];
		if (it->cls == cls && !strcmp(it->what, what) && same_split(d, grp, it->grp))
			return it;
	}
	return NULL;
}

/* What may explain what: a difference and the item kinds that cause it. */
static const struct {
	int cls;
	const char *what;	/* the difference (a value kind or category) */
	int ccls;
	const char *cause;	/* the cause's title */
	const char *why;
} rules[] = {
	{ CLS_VALUE, "win", CLS_VALUE, "wscale option",
	  "the window field of a segment after the SYN is the window shifted right by the scale (RFC 7323, section 2.2)" },
	{ CLS_VALUE, "win", CLS_SETTING, "net.ipv4.tcp_rmem", "the window follows the receive buffer" },
	{ CLS_VALUE, "wscale option", CLS_SETTING, "net.ipv4.tcp_rmem",
	  "the scale is the smallest that fits the largest receive buffer (tcp_rmem[2], or rmem_max if larger) "
	  "into 16 bits: tcp_select_initial_window() in net/ipv4/tcp_output.c" },
	{ CLS_VALUE, "wscale option", CLS_SETTING, "net.core.rmem_max", "the scale follows the largest receive buffer" },
	{ CLS_VALUE, "win in SYN", CLS_SETTING, "net.ipv4.tcp_rmem", "the SYN's window is the initial receive window" },
	{ CLS_VALUE, "timer fin-wait-2", CLS_SETTING, "net.ipv4.tcp_fin_timeout", "the FIN_WAIT2 timer is tcp_fin_timeout" },
	{ CLS_SEMANTIC, "packet flags and order", CLS_SETTING, "net.ipv4.tcp_syn_linear_timeouts", NULL },
	{ CLS_SEMANTIC, "packet flags and order", CLS_SETTING, "net.ipv4.tcp_syn_retries", NULL },
	{ CLS_SEMANTIC, "packet flags and order", CLS_SETTING, "net.ipv4.tcp_ecn", NULL },
	{ CLS_SEMANTIC, "packet flags and order", CLS_SETTING, "net.ipv4.tcp_tw_reuse", NULL },
	{ CLS_SEMANTIC, "socket states", CLS_SETTING, "net.ipv4.tcp_fin_timeout", NULL },
	{ CLS_SEMANTIC, "socket states", CLS_SETTING, "net.ipv4.tcp_tw_reuse", NULL },
};
#define NRULES (sizeof rules / sizeof rules[0])

static void explain(struct drift *d)
{
	for (size_t i = 0; i < d->nitems; i++)
		d->items[i].id = (int)i + 1;
	for (size_t i = 0; i < d->nitems; i++) {
		struct item *it = &d->items[i];
		for (size_t r = 0; r < NRULES && !it->parent; r++) {
			if (rules[r].cls != it->cls || strcmp(rules[r].what, it->what))
				continue;
			struct item *c = find(d, rules[r].ccls, rules[r].cause, it->grp);
			if (!c || c == it)
				continue;
			it->parent = c->id;
			free(it->note);
			if (rules[r].why)
				it->note = xstrdup(rules[r].why);
			else {
				struct sb n = SB_INIT;
				sb_addf(&n, "the kernels split exactly as %s does", rules[r].cause);
				it->note = sb_detach(&n);
			}
		}
	}
}

/* Whether every experiment of a is one of b's. */
static int exps_within(const struct item *a, const struct item *b)
{
	for (const char *q = a->exps.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		char *x = xstrndup(q, (size_t)(e - q));
		int in = has_exp(b, x);
		free(x);
		if (!in)
			return 0;
		q = e + 1;
	}
	return 1;
}

/* Calls, endings and socket states that differ in experiments whose
 * packets differ, between the same kernels, follow from the packets. */
static void follow_packets(struct drift *d)
{
	for (size_t i = 0; i < d->nitems; i++) {
		struct item *it = &d->items[i];
		if (it->cls != CLS_SEMANTIC || it->cat < 2 || it->parent)
			continue;
		for (size_t j = 0; j < d->nitems; j++) {
			struct item *p = &d->items[j];
			if (p->cls != CLS_SEMANTIC || p->cat > 1 || !same_split(d, it->grp, p->grp) || !same_split(d, p->grp, it->grp) ||
			    !exps_within(it, p))
				continue;
			it->parent = p->id;
			free(it->note);
			it->note = xstrdup("follows from the packets: the same experiments, the same kernels on each side");
			break;
		}
	}
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->cls != y->cls)
		return x->cls - y->cls;
	if (x->cat != y->cat)
		return x->cat - y->cat;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->what, y->what);
}

/* --- the interface --------------------------------------------------------------- */

struct drift *drift_new(int n, char **labels, char **runs)
{
	if (n < 1 || n > DRIFT_MAXK) {
		fprintf(stderr, "%s: between 1 and %d kernels, not %d\n", progname, DRIFT_MAXK, n);
		return NULL;
	}
	struct drift *d = xcalloc(1, sizeof *d);
	d->n = n;
	for (int k = 0; k < n; k++) {
		d->label[k] = xstrdup(labels[k]);
		d->run[k] = xstrdup(runs[k]);
	}
	return d;
}

void drift_analyse(struct drift *d)
{
	size_t n;
	char **exps = experiments(d, &n);
	for (size_t i = 0; i < n; i++) {
		experiment(d, exps[i]);
		free(exps[i]);
	}
	free(exps);
	settings(d);
	if (d->nitems)
		qsort(d->items, d->nitems, sizeof *d->items, cmp_item);
	explain(d);
	follow_packets(d);
}

static void sides(const struct drift *d, const struct item *it, FILE *f, const char *fmt_sep)
{
	for (int g = 0; g < it->ngrp; g++) {
		struct sb ks = SB_INIT;
		kernels_of(d, it->grp, g, &ks);
		fprintf(f, "%s%s: %s", g ? fmt_sep : "", ks.buf ? ks.buf : "", it->val[g].buf ? it->val[g].buf : "");
		sb_release(&ks);
	}
}

static void write_item(const struct drift *d, const struct item *it, FILE *f)
{
	fprintf(f, "item\t%d\t%d\t%s\t%s\t%d\n", it->id, it->parent, cls_name[it->cls], it->what, it->count);
	for (int g = 0; g < it->ngrp; g++) {
		struct sb ks = SB_INIT;
		kernels_of(d, it->grp, g, &ks);
		fprintf(f, "side\t%d\t%s\t%s\n", it->id, ks.buf ? ks.buf : "", it->val[g].buf ? it->val[g].buf : "");
		sb_release(&ks);
	}
	if (it->note)
		fprintf(f, "note\t%d\t%s\n", it->id, it->note);
	for (const char *q = it->exps.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		fprintf(f, "exp\t%d\t%.*s\n", it->id, (int)(e - q), q);
		q = e + 1;
	}
	for (const char *q = it->lines.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		int side = atoi(q);
		const char *t = strchr(q, '\t') + 1;
		struct sb ks = SB_INIT;
		kernels_of(d, it->grp, side, &ks);
		fprintf(f, "line\t%d\t%s\t%.*s\n", it->id, ks.buf ? ks.buf : "", (int)(e - t), t);
		sb_release(&ks);
		q = e + 1;
	}
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].parent == it->id)
			write_item(d, &d->items[i], f);
}

void drift_write(const struct drift *d, FILE *f)
{
	fprintf(f, "kernels");
	for (int k = 0; k < d->n; k++)
		fprintf(f, "\t%s", d->label[k]);
	fprintf(f, "\n");
	for (size_t i = 0; i < d->nitems; i++)
		if (!d->items[i].parent)
			write_item(d, &d->items[i], f);
	for (const char *q = d->same.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		fprintf(f, "same\t%.*s\n", (int)(e - q), q);
		q = e + 1;
	}
	for (const char *q = d->absent.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		fprintf(f, "absent\t%.*s\n", (int)(e - q), q);
		q = e + 1;
	}
}

static void text_item(const struct drift *d, const struct item *it, FILE *f, int depth)
{
	int ind = 2 * depth;
	fprintf(f, "%*s%s %s", ind, "", depth == 1 ? "*" : "-", it->what);
	if (it->cls != CLS_SETTING)
		fprintf(f, ", %d experiment%s", it->count, it->count == 1 ? "" : "s");
	fprintf(f, ": ");
	if (it->cls == CLS_SEMANTIC) {
		for (int g = 0; g < it->ngrp; g++) {
			struct sb ks = SB_INIT;
			kernels_of(d, it->grp, g, &ks);
			fprintf(f, "%s%s", g ? " | " : "", ks.buf ? ks.buf : "");
			sb_release(&ks);
		}
	} else
		sides(d, it, f, " | ");
	fprintf(f, "\n");
	if (it->note)
		fprintf(f, "%*s%s %s\n", ind + 4, "", it->parent ? "because" : it->cls == CLS_SETTING && it->cat == 1 ? "names:" : "known:",
			it->note);
	if (it->cls == CLS_SEMANTIC) {
		fprintf(f, "%*sin ", ind + 4, "");
		int first = 1;
		for (const char *q = it->exps.buf; q && *q;) {
			const char *e = strchr(q, '\n');
			fprintf(f, "%s%.*s", first ? "" : ", ", (int)(e - q), q);
			first = 0;
			q = e + 1;
		}
		fprintf(f, "\n");
		char *last = NULL;
		for (const char *q = it->lines.buf; q && *q;) {
			const char *e = strchr(q, '\n');
			int side = atoi(q);
			const char *s = strchr(q, '\t') + 1, *t = strchr(s, '\t') + 1;
			if (!last || strncmp(last, s, (size_t)(t - s - 1)) || last[t - s - 1]) {
				free(last);
				last = xstrndup(s, (size_t)(t - s - 1));
				fprintf(f, "%*s%s\n", ind + 6, "", last);
			}
			struct sb ks = SB_INIT;
			kernels_of(d, it->grp, side, &ks);
			fprintf(f, "%*s%s: %.*s\n", ind + 8, "", ks.buf ? ks.buf : "", (int)(e - t), t);
			sb_release(&ks);
			q = e + 1;
		}
		free(last);
	}
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].parent == it->id)
			text_item(d, &d->items[i], f, depth + 1);
}

void drift_text(const struct drift *d, FILE *f)
{
	fprintf(f, "what changed between kernels, by cause (");
	for (int k = 0; k < d->n; k++)
		fprintf(f, "%s%s", k ? " " : "", d->label[k]);
	fprintf(f, ")\n");
	int any = 0;
	for (int cls = 0; cls < 3; cls++) {
		int head = 0;
		for (size_t i = 0; i < d->nitems; i++) {
			const struct item *it = &d->items[i];
			if (it->parent || it->cls != cls)
				continue;
			if (!head)
				fprintf(f, "%s\n", cls == CLS_SEMANTIC ? "semantic differences" : cls == CLS_SETTING ? "settings" : "values");
			head = any = 1;
			text_item(d, it, f, 1);
		}
	}
	if (!any)
		fprintf(f, "no differences\n");
	int nsame = 0;
	for (const char *q = d->same.buf; q && *q; q = strchr(q, '\n') + 1)
		nsame++;
	fprintf(f, "same on every kernel: %d experiment%s\n", nsame, nsame == 1 ? "" : "s");
	for (const char *q = d->absent.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		const char *t1 = memchr(q, '\t', (size_t)(e - q));
		const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(e - t1 - 1)) : NULL;
		if (t2)
			fprintf(f, "no observations: %.*s on %.*s: %.*s\n", (int)(t1 - q), q, (int)(t2 - t1 - 1), t1 + 1,
				(int)(e - t2 - 1), t2 + 1);
		q = e + 1;
	}
}

int drift_roots(const struct drift *d)
{
	int n = 0;
	for (size_t i = 0; i < d->nitems; i++)
		n += !d->items[i].parent;
	return n;
}

void drift_free(struct drift *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nitems; i++) {
		struct item *it = &d->items[i];
		free(it->what);
		free(it->key);
		free(it->note);
		for (int g = 0; g < DRIFT_MAXK; g++)
			sb_release(&it->val[g]);
		sb_release(&it->exps);
		sb_release(&it->lines);
	}
	free(d->items);
	for (int k = 0; k < d->n; k++) {
		free(d->label[k]);
		free(d->run[k]);
		sb_release(&d->sysctl[k]);
	}
	sb_release(&d->same);
	sb_release(&d->absent);
	free(d);
}
