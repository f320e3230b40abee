/* claims.c: the claim syntax, parsed once (see claims.h and AUTHORING.md). */
#include "claims.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The step the harness records itself when every program has ended. */
#define FINAL_STEP "all programs ended"

/* ---- small helpers ----------------------------------------------------- */

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* "client", or a child of one: "client/1", "client/worker". */
static int is_role_name(const char *s, size_t n)
{
	size_t slash = 0;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/') {
			if (i == 0 || i + 1 == n || slash)
				return 0;
			slash = i;
		} else if (!is_name_char(s[i])) {
			return 0;
		}
	}
	return 1;
}

static size_t edit_distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t row[65], prev;
	if (n > 64 || m > 64)
		return 99;
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[m];
}

static void roles_list(const struct claim_scope *sc, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sc->nroles && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s'%s'", i ? ", " : "", sc->roles[i]);
}

/* Is name (n bytes) a role of the scope, or a child of one? */
static int known_role(const struct claim_scope *sc, const char *name, size_t n)
{
	const char *slash = memchr(name, '/', n);
	size_t base = slash ? (size_t)(slash - name) : n;
	if (!sc || !sc->roles)
		return 1;
	for (size_t i = 0; i < sc->nroles; i++)
		if (strlen(sc->roles[i]) == base && !memcmp(sc->roles[i], name, base))
			return 1;
	return 0;
}

static int known_step(const struct claim_scope *sc, const char *name)
{
	if (!sc || !sc->steps_known || !strcmp(name, FINAL_STEP))
		return 1;
	for (size_t i = 0; i < sc->nsteps; i++)
		if (!strcmp(sc->steps[i], name))
			return 1;
	return 0;
}

static void steps_list(const struct claim_scope *sc, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sc->nsteps && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "'%s', ", sc->steps[i]);
	snprintf(buf + k, k < len ? len - k : 0, "'%s'", FINAL_STEP);
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* ---- comparisons and durations ----------------------------------------- */

static const char *const op_names[] = { "=", "!=", "<", "<=", ">", ">=" };

const char *claim_op_name(enum cmp_op op)
{
	return op_names[op];
}

int claim_compare(double a, enum cmp_op op, double b)
{
	switch (op) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	}
	return 0;
}

/* Reads an operator at s; returns its length (0 if none). */
static size_t read_op(const char *s, enum cmp_op *op)
{
	if (s[0] == '!' && s[1] == '=') { *op = CMP_NE; return 2; }
	if (s[0] == '<' && s[1] == '=') { *op = CMP_LE; return 2; }
	if (s[0] == '>' && s[1] == '=') { *op = CMP_GE; return 2; }
	if (s[0] == '=') { *op = CMP_EQ; return 1; }
	if (s[0] == '<') { *op = CMP_LT; return 1; }
	if (s[0] == '>') { *op = CMP_GT; return 1; }
	return 0;
}

/* A number at s, as strtod reads it but without exponents, infinities or
 * hex; returns the end or NULL. */
static const char *read_number(const char *s, double *v)
{
	const char *p = s;
	char *end;
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	char buf[64];
	if ((size_t)(p - s) >= sizeof buf)
		return NULL;
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	*v = strtod(buf, &end);
	return *end ? NULL : p;
}

/* "1 s", "1.5s", "200 ms", "50 us", "50 µs": seconds. Returns the end or
 * NULL. */
static const char *read_duration(const char *s, double *secs)
{
	double v;
	const char *p = read_number(s, &v);
	if (!p || v < 0)
		return NULL;
	p = skip_blanks(p);
	if (!strncmp(p, "ms", 2) && !isalpha((unsigned char)p[2])) {
		*secs = v / 1e3;
		return p + 2;
	}
	if (!strncmp(p, "us", 2) && !isalpha((unsigned char)p[2])) {
		*secs = v / 1e6;
		return p + 2;
	}
	if (!strncmp(p, "\xc2\xb5s", 3)) {
		*secs = v / 1e6;
		return p + 3;
	}
	if (p[0] == 's' && !isalpha((unsigned char)p[1])) {
		*secs = v;
		return p + 1;
	}
	return NULL;
}

/*
 * The comparison that ends a count or time check: " OP N" (count) or
 * " OP D [±T]" (time), found from the right, since the pattern before it
 * may itself hold " = " (`client: connect(* = -1`). Returns the length of
 * the part before it, or -1.
 */
static long trailing_comparison(const char *s, int duration, struct claim_check *c)
{
	for (long i = (long)strlen(s) - 1; i > 0; i--) {
		enum cmp_op op;
		size_t ol;
		const char *p;
		double v, tol = 0;

		if (s[i] != ' ' || !(ol = read_op(s + i + 1, &op)) || s[i + 1 + ol] != ' ')
			continue;
		p = skip_blanks(s + i + 1 + ol);
		if (duration) {
			p = read_duration(p, &v);
			if (!p)
				continue;
			p = skip_blanks(p);
			if (!strncmp(p, "\xc2\xb1", 2) || !strncmp(p, "+-", 2)) {
				double t;
				const char *q = skip_blanks(p + 2), *e;
				if ((e = read_number(q, &t)) && *skip_blanks(e) == '%') {
					tol = v * t / 100;
					p = skip_blanks(e) + 1;
				} else if ((e = read_duration(q, &t))) {
					tol = t;
					p = e;
				} else {
					continue;
				}
				p = skip_blanks(p);
			}
		} else {
			p = read_number(p, &v);
			if (!p || v < 0 || v != (double)(long)v)
				continue;
			p = skip_blanks(p);
		}
		if (*p)
			continue;
		c->op = op;
		c->value = v;
		c->tolerance = tol;
		while (i > 0 && s[i - 1] == ' ')
			i--;
		return i;
	}
	return -1;
}

/* ---- patterns ---------------------------------------------------------- */

/* At p, "{OP N}": returns the length and fills op/v, or 0. */
static size_t number_token(const char *p, enum cmp_op *op, double *v)
{
	size_t ol;
	const char *q;
	if (*p != '{' || !(ol = read_op(p + 1, op)))
		return 0;
	q = skip_blanks(p + 1 + ol);
	q = read_number(q, v);
	if (!q)
		return 0;
	q = skip_blanks(q);
	return *q == '}' ? (size_t)(q + 1 - p) : 0;
}

/* Checks the "{...}" of a pattern: each '{' that starts with an operator
 * must be a whole number token. */
static int pattern_ok(const char *pat, char *why, size_t len)
{
	for (const char *p = pat; (p = strchr(p, '{')); p++) {
		enum cmp_op op;
		double v;
		if (read_op(p + 1, &op) && !number_token(p, &op, &v)) {
			snprintf(why, len, "bad number in pattern at '%.20s'; write it as {OP N}, such as {>=1}", p);
			return 0;
		}
	}
	return 1;
}

/* {OP N}, a glob_token_fn (code/lib/util.h): an integer (not inside a
 * longer number) that compares so. */
static size_t number_at(const char *line, const char *text, const char *pat, const char **end)
{
	enum cmp_op op;
	double want;
	size_t tl = number_token(pat, &op, &want);
	const char *q = text;

	*end = NULL;
	if (!tl)
		return 0;
	if (q == line || !isdigit((unsigned char)q[-1])) {
		long v = 0;
		int neg = *q == '-';
		if (neg)
			q++;
		if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q) && v < 1000000000000L)
				v = v * 10 + (*q++ - '0');
			while (isdigit((unsigned char)*q))
				q++;
			if (claim_compare(neg ? -(double)v : (double)v, op, want))
				*end = q;
		}
	}
	return tl;
}

/* '*' stands for any run of text, {OP N} for an integer that compares so. */
int claim_pattern_matches(const char *line, const char *pat)
{
	return glob_search(line, pat, number_at);
}

char **claim_split_sequence(const char *pattern, int *n)
{
	char *copy = xstrdup(pattern), *p = copy;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	for (;;) {
		char *sep = strstr(p, " ; ");
		if (sep)
			*sep = '\0';
		grow(&v, &cap, (size_t)*n + 1, sizeof *v);
		v[(*n)++] = strtrim(p);
		if (!sep)
			break;
		p = sep + 3;
	}
	if (v[0] != copy) {
		/* keep the allocation reachable through v[0] for the caller */
		memmove(copy, v[0], strlen(v[0]) + 1);
		v[0] = copy;
	}
	return v;
}

/* ---- one check ----------------------------------------------------------- */

/* "KIND" of "KIND: P" into c->section etc. Returns 0 or -1 with why. */
static int parse_kind(const char *kind, size_t kn, const struct claim_scope *sc,
		      struct claim_check *c, int allow_fate, char *why, size_t wl)
{
	static const struct { const char *suffix, *section; } roles[] = {
		{ " ends", "role" }, { " output", "output" }, { " stderr", "stderr" },
		{ " states", "states" }, { "", "role" },
	};
	struct sb s = SB_INIT;

	if (kn == 6 && !memcmp(kind, "packet", 6)) {
		c->section = xstrdup("packets");
		return 0;
	}
	if (kn > 11 && !memcmp(kind, "sockets at ", 11)) {
		char *step = xstrndup(kind + 11, kn - 11);
		if (!known_step(sc, step)) {
			char list[512];
			steps_list(sc, list, sizeof list);
			snprintf(why, wl, "no step '%s' in experiment '%s' (its programs announce %s)", step,
				 sc && sc->experiment ? sc->experiment : "?", list);
			free(step);
			return -1;
		}
		sb_addf(&s, "sockets at (%s)", step);
		free(step);
		c->section = sb_detach(&s);
		return 0;
	}
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		size_t sl = strlen(roles[i].suffix);
		if (kn <= sl || memcmp(kind + kn - sl, roles[i].suffix, sl))
			continue;
		size_t rn = kn - sl;
		if (!is_role_name(kind, rn))
			continue;
		if (!known_role(sc, kind, rn)) {
			char list[512];
			if (!sl && edit_distance(kind, rn, "packet", 6) <= 2) {
				snprintf(why, wl, "unknown check '%.*s:'; did you mean 'packet:'?", (int)rn, kind);
				return -1;
			}
			roles_list(sc, list, sizeof list);
			snprintf(why, wl, "no role '%.*s' in experiment '%s' (its roles are %s)", (int)rn,
				 kind, sc->experiment ? sc->experiment : "?", list);
			return -1;
		}
		if (!strcmp(roles[i].suffix, " ends")) {
			if (!allow_fate) {
				snprintf(why, wl, "'%.*s' cannot be counted or negated: a role ends once",
					 (int)kn, kind);
				return -1;
			}
			if (memchr(kind, '/', rn)) {
				snprintf(why, wl, "'%.*s': a forked child's end is not recorded (its parent reaps it); "
					 "check the parent's waitpid() instead", (int)kn, kind);
				return -1;
			}
			c->kind = CHECK_FATE;
		}
		sb_addf(&s, "%s %.*s", roles[i].section, (int)rn, kind);
		c->section = sb_detach(&s);
		return 0;
	}
	snprintf(why, wl, "unknown check '%.*s:' (checks are 'packet:', 'ROLE:', 'ROLE ends:', "
		 "'ROLE output:', 'ROLE stderr:', 'ROLE states:', 'sockets at STEP:', each may "
		 "start with 'no ' or 'count '; and 'time A -> B')", (int)kn, kind);
	return -1;
}

/* "packet[2]: P", "client[last] returns: P", "sockets at STEP: P" (the
 * snapshot), "sockets at STEP expires: P" (when that socket's timer fires),
 * "step: NAME". */
static int parse_event(const char *s, const struct claim_scope *sc, struct claim_event *e,
		       char *why, size_t wl)
{
	const char *colon = strstr(s, ": ");
	const char *br, *kend;
	size_t kn;
	struct claim_check tmp;

	memset(e, 0, sizeof *e);
	e->nth = 1;
	if (!colon) {
		snprintf(why, wl, "event '%s' needs a colon, as in 'packet[2]: Flags [S]'", s);
		return -1;
	}
	kend = colon;
	if (kend - s > 8 && !memcmp(kend - 8, " returns", 8)) {
		e->returns = 1;
		kend -= 8;
	} else if (kend - s > 8 && !memcmp(kend - 8, " expires", 8)) {
		e->returns = e->expires = 1;
		kend -= 8;
	}
	br = memchr(s, '[', (size_t)(kend - s));
	kn = (size_t)((br ? br : kend) - s);
	if (br) {
		const char *close = memchr(br, ']', (size_t)(kend - br));
		char *end;
		if (!close || close + 1 != kend) {
			snprintf(why, wl, "event '%s': the index goes in brackets before the colon, as in 'packet[2]:'", s);
			return -1;
		}
		if (close - br == 5 && !memcmp(br + 1, "last", 4)) {
			e->nth = 0;
		} else {
			long k = strtol(br + 1, &end, 10);
			if (end != close || k < 1) {
				snprintf(why, wl, "event '%s': the index is 1, 2, ... or 'last'", s);
				return -1;
			}
			e->nth = (int)k;
		}
	}
	const char *pat = skip_blanks(colon + 1);
	if (kn == 4 && !memcmp(s, "step", 4)) {
		if (br || e->returns) {
			snprintf(why, wl, "event '%s': a step happens once; write 'step: NAME'", s);
			return -1;
		}
		if (!known_step(sc, pat)) {
			char list[512];
			steps_list(sc, list, sizeof list);
			snprintf(why, wl, "no step '%s' in experiment '%s' (its programs announce %s)", pat,
				 sc && sc->experiment ? sc->experiment : "?", list);
			return -1;
		}
		e->pattern = xstrdup(pat);
		return 0;
	}
	if (!*pat) {
		snprintf(why, wl, "event '%s' has no pattern after its colon", s);
		return -1;
	}
	memset(&tmp, 0, sizeof tmp);
	if (parse_kind(s, kn, sc, &tmp, 0, why, wl) < 0)
		return -1;
	if (strncmp(tmp.section, "packets", 7) && strncmp(tmp.section, "role ", 5) &&
	    strncmp(tmp.section, "sockets at (", 12)) {
		snprintf(why, wl, "event '%s': an event is a packet, a call of a role, a socket at a step or a step", s);
		free(tmp.section);
		return -1;
	}
	if (e->expires && strncmp(tmp.section, "sockets at (", 12)) {
		snprintf(why, wl, "event '%s': only a socket's timer expires", s);
		free(tmp.section);
		return -1;
	}
	if (e->returns && !e->expires && strncmp(tmp.section, "role ", 5)) {
		snprintf(why, wl, "event '%s': only a call returns", s);
		free(tmp.section);
		return -1;
	}
	if (!pattern_ok(pat, why, wl)) {
		free(tmp.section);
		return -1;
	}
	e->section = tmp.section;
	e->pattern = xstrdup(pat);
	return 0;
}

int claim_check_parse(const char *line, const struct claim_scope *sc,
		      struct claim_check *c, char *why, size_t wl)
{
	const char *s = line, *colon;
	long plen;
	int count = 0;

	memset(c, 0, sizeof *c);
	if (strchr(line, '\t')) {
		snprintf(why, wl, "a tab in a check; patterns are matched literally, use spaces");
		return -1;
	}
	if (!strncmp(s, "time ", 5) && strstr(s, " -> ")) {
		char *body = xstrdup(s + 5), *arrow = strstr(body, " -> ");
		c->kind = CHECK_TIME;
		plen = trailing_comparison(arrow + 4, 1, c);
		if (plen < 0) {
			snprintf(why, wl, "a time check ends with a comparison such as '= 1 s \xc2\xb1" "20%%' or '< 200 ms'");
			free(body);
			return -1;
		}
		if (c->op == CMP_EQ && c->tolerance == 0) {
			snprintf(why, wl, "'= %g s' needs a tolerance, such as '\xc2\xb1" "20%%': no two runs take exactly the same time", c->value);
			free(body);
			return -1;
		}
		arrow[4 + plen] = '\0';
		*arrow = '\0';
		if (parse_event(strtrim(body), sc, &c->from, why, wl) < 0 ||
		    parse_event(strtrim(arrow + 4), sc, &c->to, why, wl) < 0) {
			free(body);
			claim_check_release(c);
			return -1;
		}
		free(body);
		c->text = xstrdup(line);
		return 0;
	}
	if (!strncmp(s, "count ", 6)) {
		count = 1;
		s += 6;
	} else if (!strncmp(s, "no ", 3)) {
		c->negated = 1;
		s += 3;
	}
	colon = strchr(s, ':');
	while (colon && colon[1] && colon[1] != ' ')
		colon = strchr(colon + 1, ':');
	if (!colon || colon == s) {
		snprintf(why, wl, "a check is 'KIND: PATTERN'");
		return -1;
	}
	if (parse_kind(s, (size_t)(colon - s), sc, c, !count && !c->negated, why, wl) < 0)
		return -1;
	char *pat = xstrdup(skip_blanks(colon + 1));
	strtrim(pat);
	if (count) {
		c->kind = CHECK_COUNT;
		plen = trailing_comparison(pat, 0, c);
		if (plen < 0) {
			snprintf(why, wl, "a count ends with a comparison such as '= 3' or '>= 1'");
			goto bad;
		}
		pat[plen] = '\0';
		if (strstr(pat, " ; ")) {
			snprintf(why, wl, "a count takes one pattern, not a sequence");
			goto bad;
		}
	}
	if (!*pat) {
		snprintf(why, wl, "the check has no pattern after its colon");
		goto bad;
	}
	if (!pattern_ok(pat, why, wl))
		goto bad;
	c->pattern = pat;
	c->text = xstrdup(line);
	return 0;
bad:
	free(pat);
	free(c->section);
	c->section = NULL;
	return -1;
}

void claim_check_release(struct claim_check *c)
{
	free(c->text);
	free(c->section);
	free(c->pattern);
	free(c->from.section);
	free(c->from.pattern);
	free(c->to.section);
	free(c->to.pattern);
	memset(c, 0, sizeof *c);
}

/* ---- a block ------------------------------------------------------------- */

/*
 * A line that failed to parse as a check, in a sentence that has no check
 * yet: is it a check gone wrong, or more of the sentence? It is a check
 * when it says so ("no ", "count ", "time ", a known suffix), when its
 * first word is a near miss of a role ("clinet"), or when it follows a
 * finished sentence and holds a pattern's characters. Otherwise (say,
 * "TCP_LINGER2: the timer") it is prose.
 */
static int meant_as_check(const char *t, const char *sentence, const struct claim_scope *sc)
{
	const char *colon = strstr(t, ": ");
	size_t kn, sl = strlen(sentence), tl = strlen(t);
	if (!colon && tl > 1 && t[tl - 1] == ':')
		colon = t + tl - 1;	/* "packet:" with nothing after it */
	if (!colon)
		return 0;
	kn = (size_t)(colon - t);
	{
		/* a kind that parses: only the rest of the check is wrong */
		struct claim_check c;
		char why[512];
		memset(&c, 0, sizeof c);
		if (parse_kind(t, kn, sc, &c, 1, why, sizeof why) == 0) {
			free(c.section);
			return 1;
		}
	}
	if (!strncmp(t, "no ", 3) || !strncmp(t, "count ", 6) || (!strncmp(t, "time ", 5) && strstr(t, " -> ")) ||
	    !strncmp(t, "sockets at ", 11))
		return 1;
	if (!is_role_name(t, kn)) {
		static const char *const suffixes[] = { " ends", " output", " stderr", " states" };
		for (size_t i = 0; i < 4; i++) {
			size_t n = strlen(suffixes[i]);
			if (kn > n && !memcmp(t + kn - n, suffixes[i], n) && is_role_name(t, kn - n))
				return 1;
		}
		return 0;
	}
	for (size_t i = 0; sc && sc->roles && i < sc->nroles; i++) {
		size_t rn = strlen(sc->roles[i]);
		if (edit_distance(t, kn, sc->roles[i], rn) <= (rn < 5 ? 1u : 2u))
			return 1;
	}
	if (kn == 7 && !memcmp(t, "packets", 7))
		return 1;
	return sl && strchr(".!?", sentence[sl - 1]) && strpbrk(colon, "*([;=");
}

static struct claim_item *new_item(struct claim_list *l, int line, int col)
{
	grow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
	struct claim_item *k = &l->v[l->n++];
	memset(k, 0, sizeof *k);
	k->line = line;
	k->col = col;
	return k;
}

static void end_item(struct claim_item *k, int bad, struct diags *d)
{
	if (k && !k->nchecks && !bad && d)
		diag_add(d, DIAG_ERROR, k->line, k->col,
			 "claim has no check (a line such as 'packet: Flags [F.]' under its sentence)");
}

void claims_parse(const char *text, size_t len, int line0, int col0,
		  const struct claim_scope *sc, struct claim_list *out, struct diags *d)
{
	struct claim_item *k = NULL;
	int line = line0, bad = 0;
	char why[1024];

	for (const char *p = text, *end = text + len; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		char *raw = xstrndup(p, n), *t;
		int col;
		p = eol ? eol + 1 : end;
		for (size_t i = 0; raw[i]; i++)
			if (raw[i] == '\r')
				raw[i] = i + 1 == n ? '\0' : ' ';
		t = raw;
		while (*t == ' ' || *t == '\t')
			t++;
		col = col0 + (int)(t - raw);
		strtrim(t);
		if (!*t) {
			free(raw);
			continue;
		}
		if ((t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || !t[1])) {
			end_item(k, bad, d);
			k = new_item(out, line, col);
			bad = 0;
			const char *s = skip_blanks(t + 1);
			k->text = xstrdup(s);
			k->varies = !strncmp(s, "(varies)", 8);
			if (!*skip_blanks(k->varies ? s + 8 : s) && d) {
				diag_add(d, DIAG_ERROR, line, col, "claim has no sentence after its '%c'", t[0]);
				bad = 1;
			}
			free(raw);
			continue;
		}
		if (!k) {
			if (d)
				diag_add(d, DIAG_ERROR, line, col,
					 "a claim starts with '- ' and a sentence; '%s' comes before any", t);
			free(raw);
			continue;
		}
		struct claim_check c;
		if (claim_check_parse(t, sc, &c, why, sizeof why) == 0) {
			c.line = line;
			c.col = col;
			grow(&k->checks, &k->capchecks, k->nchecks + 1, sizeof *k->checks);
			k->checks[k->nchecks++] = c;
		} else if (!k->nchecks && !meant_as_check(t, k->text, sc)) {
			/* the sentence goes on */
			struct sb s = SB_INIT;
			sb_addf(&s, "%s %s", k->text, t);
			free(k->text);
			k->text = sb_detach(&s);
		} else {
			if (d)
				diag_add(d, DIAG_ERROR, line, col, "not a check: '%s': %s", t, why);
			bad = 1;
		}
		free(raw);
	}
	end_item(k, bad, d);
}

void claim_list_release(struct claim_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->v[i].nchecks; j++)
			claim_check_release(&l->v[i].checks[j]);
		free(l->v[i].checks);
		free(l->v[i].text);
	}
	free(l->v);
	*l = (struct claim_list)CLAIM_LIST_INIT;
}

/* ---- the file for the checker ------------------------------------------- */

void claims_write(const char *experiment, const struct claim_list *l, struct sb *out)
{
	sb_addf(out, "claims %s\n", experiment);
	for (size_t i = 0; i < l->n; i++) {
		const struct claim_item *k = &l->v[i];
		sb_addf(out, "item %d %d %d\t%s\n", k->line, k->col, k->varies, k->text);
		for (size_t j = 0; j < k->nchecks; j++)
			sb_addf(out, "check %d %d\t%s\n", k->checks[j].line, k->checks[j].col,
				k->checks[j].text);
	}
	sb_adds(out, "end\n");
}

int claims_load(const char *path, struct claim_file *f, char *why, size_t wl)
{
	struct sb s = SB_INIT;
	struct claim_block *b = NULL;
	struct claim_item *k = NULL;
	int lineno = 0;

	if (read_file(path, &s) < 0)
		return -1;
	for (char *l = s.buf, *nl; l && *l; l = nl) {
		char *tab;
		int a, c, v;
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		lineno++;
		tab = strchr(l, '\t');
		if (!strncmp(l, "claims ", 7) && !b) {
			grow(&f->v, &f->cap, f->n + 1, sizeof *f->v);
			b = &f->v[f->n++];
			memset(b, 0, sizeof *b);
			b->experiment = xstrdup(l + 7);
			k = NULL;
		} else if (b && !strcmp(l, "end")) {
			b = NULL;
		} else if (b && tab && !strncmp(l, "item ", 5) && sscanf(l + 5, "%d %d %d", &a, &c, &v) == 3) {
			k = new_item(&b->items, a, c);
			k->varies = v;
			k->text = xstrdup(tab + 1);
		} else if (k && tab && !strncmp(l, "check ", 6) && sscanf(l + 6, "%d %d", &a, &c) == 2) {
			struct claim_check ck;
			char msg[1024];
			if (claim_check_parse(tab + 1, NULL, &ck, msg, sizeof msg) < 0) {
				snprintf(why, wl, "%s:%d: %s", path, lineno, msg);
				goto bad;
			}
			ck.line = a;
			ck.col = c;
			grow(&k->checks, &k->capchecks, k->nchecks + 1, sizeof *k->checks);
			k->checks[k->nchecks++] = ck;
		} else {
			snprintf(why, wl, "%s:%d: unexpected line '%.60s'", path, lineno, l);
			goto bad;
		}
	}
	if (b) {
		snprintf(why, wl, "%s: the last block has no 'end'", path);
		goto bad;
	}
	sb_release(&s);
	return 0;
bad:
	sb_release(&s);
	return -2;
}

void claim_file_release(struct claim_file *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].experiment);
		claim_list_release(&f->v[i].items);
	}
	free(f->v);
	*f = (struct claim_file)CLAIM_FILE_INIT;
}
