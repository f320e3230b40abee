/* claimfile.c: reading claims.txt and the claims blocks (see claimfile.h). */
#include "claimfile.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static struct claim *add(struct claims *c, int line)
{
	grow(&c->v, &c->cap, c->n + 1, sizeof *c->v);
	struct claim *k = &c->v[c->n++];
	memset(k, 0, sizeof *k);
	k->line = line;
	return k;
}

static void add_str(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	grow(v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

/* If line starts with word and a blank, returns what follows, else NULL. */
static const char *field(const char *line, size_t n, const char *word, size_t *rest)
{
	size_t w = strlen(word);
	if (n < w || memcmp(line, word, w) != 0 || (n > w && line[w] != ' '))
		return NULL;
	size_t skip = n > w ? w + 1 : w;
	*rest = n - skip;
	return line + skip;
}

int claims_read(const char *path, struct claims *c)
{
	struct sb s = SB_INIT;
	struct claim *k = NULL;

	if (read_file(path, &s) < 0)
		return -1;
	for (char *l = s.buf, *end = s.buf + s.len; l < end;) {
		char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
		const char *v;
		size_t vn;

		while (n && l[n - 1] == '\r')
			n--;
		if ((v = field(l, n, "claim", &vn))) {
			char *sp = memchr(v, ' ', vn);
			if (sp) {
				k = add(c, atoi(v));
				k->result = xstrndup(sp + 1, vn - (size_t)(sp + 1 - v));
			}
		} else if (!k) {
			/* outside a record */
		} else if ((v = field(l, n, "experiment", &vn))) {
			free(k->experiment);
			k->experiment = xstrndup(v, vn);
		} else if ((v = field(l, n, "text", &vn))) {
			free(k->text);
			k->text = xstrndup(v, vn);
		} else if ((v = field(l, n, "varies", &vn))) {
			k->varies = vn && v[0] == '1';
		} else if ((v = field(l, n, "check", &vn))) {
			add_str(&k->checks, &k->ncheck, &k->capcheck, v, vn);
		} else if ((v = field(l, n, "observed", &vn))) {
			add_str(&k->observed, &k->nobserved, &k->capobserved, v, vn);
		} else if ((v = field(l, n, "reason", &vn))) {
			free(k->reason);
			k->reason = xstrndup(v, vn);
		} else if (n == 3 && !memcmp(l, "end", 3)) {
			k = NULL;
		}
		l = nl ? nl + 1 : end;
	}
	sb_release(&s);
	return 0;
}

int block_content_lines(const struct block *b)
{
	int n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += b->text[i] == '\n';
	if (b->len && b->text[b->len - 1] != '\n')
		n++;
	return n;
}

void claims_from_block(const struct chapter *ch, const struct block *b,
		       struct claims *c)
{
	(void)ch;
	for (size_t i = 0; i < b->claims.n; i++) {
		const struct claim_item *it = &b->claims.v[i];
		struct claim *k = add(c, it->line);
		k->text = xstrdup(it->text);
		k->varies = it->varies;
		for (size_t j = 0; j < it->nchecks; j++)
			add_str(&k->checks, &k->ncheck, &k->capcheck, it->checks[j].text,
				strlen(it->checks[j].text));
	}
}

const struct claim *claims_find(const struct claims *c, int line)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].line == line)
			return &c->v[i];
	return NULL;
}

void claims_release(struct claims *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct claim *k = &c->v[i];
		free(k->result);
		free(k->experiment);
		free(k->text);
		free(k->reason);
		for (size_t j = 0; j < k->ncheck; j++)
			free(k->checks[j]);
		for (size_t j = 0; j < k->nobserved; j++)
			free(k->observed[j]);
		free(k->checks);
		free(k->observed);
	}
	free(c->v);
	*c = (struct claims)CLAIMS_INIT;
}
