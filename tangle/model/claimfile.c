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

/* Returns 1 if the line (trimmed) is a check of AUTHORING.md section 4:
 * `[no ]packet:`, `[no ]sockets at STEP:`, `[no ]ROLE:` or `ROLE ends:`
 * with ROLE a role of the experiment (any word when it is unknown). */
static int is_check(const struct chapter *ch, const struct block *b,
		    const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	if (!colon || (colon + 1 < s + n && colon[1] != ' '))
		return 0;
	size_t k = (size_t)(colon - s);
	if (k > 3 && !memcmp(s, "no ", 3)) {
		s += 3;
		k -= 3;
	}
	if ((k == 6 && !memcmp(s, "packet", 6)) || (k > 11 && !memcmp(s, "sockets at ", 11)))
		return 1;
	if (k > 5 && !memcmp(s + k - 5, " ends", 5))
		k -= 5;
	const struct experiment *e = b->experiment >= 0 ? &ch->exps[b->experiment] : NULL;
	for (size_t r = 0; e && r < e->nroles; r++)
		if (strlen(e->roles[r].name) == k && !memcmp(e->roles[r].name, s, k))
			return 1;
	if (e)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return k > 0;
}

void claims_from_block(const struct chapter *ch, const struct block *b,
		       struct claims *c)
{
	struct claim *k = NULL;
	int line = b->content_line;

	for (const char *p = b->text, *end = b->text + b->len; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		size_t i = 0;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i + 1 < n && p[i] == '-' && p[i + 1] == ' ') {
			k = add(c, line);
			i += 2;
			while (i < n && p[i] == ' ')
				i++;
			k->text = xstrndup(p + i, n - i);
			k->varies = !strncmp(k->text, "(varies)", 8);
		} else if (k && i < n && !k->ncheck && !is_check(ch, b, p + i, n - i)) {
			/* the sentence goes on */
			struct sb t = SB_INIT;
			sb_addf(&t, "%s %.*s", k->text, (int)(n - i), p + i);
			free(k->text);
			k->text = sb_detach(&t);
		} else if (k && i < n) {
			add_str(&k->checks, &k->ncheck, &k->capcheck, p + i, n - i);
		}
		p = eol ? eol + 1 : end;
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
