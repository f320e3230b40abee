/* calltable.c: the book's closing table (see calltable.h). */
#include "calltable.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

struct row {
	char *key;	/* call, state, result, packets: tab-separated */
	char *where;	/* STEM/EXP */
};

static int by_key_where(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->where, y->where);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits line at tabs into at most n fields (in place). Returns the count. */
static size_t fields(char *line, char **f, size_t n)
{
	size_t k = 0;
	while (k < n) {
		f[k++] = line;
		char *tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return k;
}

/* How much of a SHOW'n text names the row: for a call "NAME(...)", whose
 * parentheses close at the end of the text, the name alone; for anything
 * else the whole text, so that "p.revents == (POLLIN | POLLHUP)" and
 * "state_of(fd) == TCP_CLOSE" keep what they compared and two different
 * comparisons never share a row. */
static size_t call_name_len(const char *call)
{
	size_t n = strcspn(call, "(");
	size_t len = strlen(call);
	if (!n || !call[n])
		return len;
	for (size_t i = 0; i < n; i++)
		if (!(call[i] == '_' || (call[i] >= 'a' && call[i] <= 'z') ||
		      (call[i] >= 'A' && call[i] <= 'Z') || (call[i] >= '0' && call[i] <= '9')))
			return len;
	int depth = 0;
	for (size_t i = n; i < len; i++) {
		if (call[i] == '(')
			depth++;
		else if (call[i] == ')' && --depth == 0)
			return i == len - 1 ? n : len;
	}
	return len;
}

/* One line of calls.txt as the table's key: "NAME[ + MSG_NOSIGNAL]\tSTATE\tRESULT\tPACKETS";
 * PACKETS is "not captured" when the experiment's capture saw only some of
 * its packets (whole == 0). */
static char *row_key(char *line, int whole)
{
	char *f[5] = { "", "", "", "", "" };
	struct sb k = SB_INIT;

	fields(line, f, 5);
	const char *call = f[2];
	size_t namelen = call_name_len(call);
	sb_add(&k, call, namelen);
	if (strstr(call, "MSG_NOSIGNAL"))
		sb_adds(&k, " + MSG_NOSIGNAL");
	sb_addc(&k, '\t');

	int keep_listen = (namelen == 6 && !strncmp(call, "accept", 6)) ||
			  (namelen == 6 && !strncmp(call, "listen", 6));
	size_t words = 0;
	for (const char *p = f[1]; *p;) {
		p += strspn(p, " ");
		if (*p) {
			words++;
			p += strcspn(p, " ");
		}
	}
	int first = 1;
	for (const char *p = f[1]; *p;) {
		p += strspn(p, " ");
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		if (!(n == 6 && !strncmp(p, "LISTEN", 6)) || keep_listen || words == 1) {
			if (!first)
				sb_addc(&k, ' ');
			sb_add(&k, p, n);
			first = 0;
		}
		p += n;
	}
	if (first)
		sb_addc(&k, '-');
	sb_addc(&k, '\t');

	const char *res = f[3];
	size_t rn = strlen(res);
	if (rn && res[0] >= '1' && res[0] <= '9' && strspn(res, "0123456789") == rn) {
		sb_adds(&k, "> 0");
	} else {
		/* "-1 EPIPE (Broken pipe)" -> "-1 EPIPE" */
		const char *paren = strstr(res, " (");
		if (paren && rn && res[rn - 1] == ')')
			rn = (size_t)(paren - res);
		sb_add(&k, res, rn);
	}
	sb_addc(&k, '\t');
	size_t pn = strcspn(f[4], "\r\n");
	if (!whole)
		sb_adds(&k, "not captured");
	else if (pn)
		sb_add(&k, f[4], pn);
	else
		sb_adds(&k, "none");
	return sb_detach(&k);
}

/* What the table needs of an experiment's block (BUILD/tangle/STEM/experiments,
 * code/FORMATS.md). */
struct expinfo {
	char *name;
	int racy;	/* "deterministic no" */
	int whole;	/* its capture sees every packet of its ports */
};

/* Whether a capture filter sees every packet of the connections it names:
 * only "tcp", "port N", "tcp port N" joined by "or" ("tcp port 9999 or tcp
 * port 9998"; an empty filter is everything). Any other word ("and",
 * "tcp[tcpflags]", "host") may leave some of a connection's packets out,
 * and a call's "none" would then mean "not captured". */
static int whole_capture(const char *filter)
{
	for (const char *p = filter; *p;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (!n)
			break;
		int ok = (n == 3 && !strncmp(p, "tcp", 3)) || (n == 4 && !strncmp(p, "port", 4)) ||
			 (n == 2 && !strncmp(p, "or", 2)) || strspn(p, "0123456789") == n;
		if (!ok)
			return 0;
		p += n;
	}
	return 1;
}

/* The experiments listed in path; *n of them. A missing file lists none. */
static struct expinfo *read_expinfo(const char *path, size_t *n)
{
	struct sb text = SB_INIT;
	struct expinfo *xs = NULL;
	size_t cap = 0;

	*n = 0;
	if (read_file(path, &text) != 0) {
		sb_release(&text);
		return NULL;
	}
	for (char *l = text.buf; l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(l, "experiment ", 11)) {
			grow((void **)&xs, &cap, *n + 1, sizeof *xs);
			xs[*n].name = xstrdup(l + 11);
			xs[*n].racy = 0;
			xs[*n].whole = 1;
			(*n)++;
		} else if (*n && !strncmp(l, "capture", 7) && (l[7] == ' ' || !l[7])) {
			xs[*n - 1].whole = whole_capture(l + 7);
		} else if (*n && !strcmp(l, "deterministic no")) {
			xs[*n - 1].racy = 1;
		}
		l = nl ? nl + 1 : NULL;
	}
	sb_release(&text);
	return xs;
}

/* The experiments of runroot/stem (directories holding calls.txt), sorted. */
static size_t experiments(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		grow((void **)out, &cap, n + 1, sizeof **out);
		(*out)[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(*out, n, sizeof **out, by_name);
	return n;
}

void calltable_make(const char *runroot, const char *tangleroot, char *const *stems, size_t n,
		    struct sb *out)
{
	struct row *rows = NULL;
	size_t nrows = 0, cap = 0;

	for (size_t i = 0; i < n; i++) {
		struct sb dir = SB_INIT, xpath = SB_INIT;
		char **exps;
		size_t nx;
		sb_addf(&dir, "%s/%s", runroot, stems[i]);
		sb_addf(&xpath, "%s/%s/experiments", tangleroot, stems[i]);
		struct expinfo *xs = read_expinfo(xpath.buf, &nx);
		sb_release(&xpath);
		size_t ne = experiments(dir.buf, &exps);
		for (size_t j = 0; j < ne; j++) {
			struct sb path = SB_INIT, text = SB_INIT;
			const struct expinfo *x = NULL;
			for (size_t m = 0; m < nx && !x; m++)
				if (!strcmp(xs[m].name, exps[j]))
					x = &xs[m];
			sb_addf(&path, "%s/%s/calls.txt", dir.buf, exps[j]);
			/* an experiment declared deterministic: no gives rows
			 * that may change from run to run: not in the table */
			if ((!x || !x->racy) && read_file(path.buf, &text) == 0) {
				for (char *l = text.buf; l && *l;) {
					char *nl = strchr(l, '\n');
					if (nl)
						*nl = '\0';
					if (*l) {
						grow((void **)&rows, &cap, nrows + 1, sizeof *rows);
						struct sb w = SB_INIT;
						sb_addf(&w, "%s/%s", stems[i], exps[j]);
						rows[nrows].key = row_key(l, !x || x->whole);
						rows[nrows].where = sb_detach(&w);
						nrows++;
					}
					l = nl ? nl + 1 : NULL;
				}
			}
			sb_release(&path);
			sb_release(&text);
			free(exps[j]);
		}
		free(exps);
		for (size_t m = 0; m < nx; m++)
			free(xs[m].name);
		free(xs);
		sb_release(&dir);
	}
	qsort(rows, nrows, sizeof *rows, by_key_where);
	sb_adds(out, "call\tstate before\tresult\tpackets while it ran\tseen in\n");
	for (size_t i = 0; i < nrows;) {
		size_t j = i;
		sb_adds(out, rows[i].key);
		sb_addc(out, '\t');
		for (; j < nrows && !strcmp(rows[j].key, rows[i].key); j++)
			if (j == i || strcmp(rows[j].where, rows[j - 1].where))
				sb_addf(out, "%s%s", j == i ? "" : ", ", rows[j].where);
		sb_addc(out, '\n');
		i = j;
	}
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].key);
		free(rows[i].where);
	}
	free(rows);
}
