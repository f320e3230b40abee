/* wirespec.c: parses the wire's lines of an experiment block (wirespec.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "wirespec.h"

static const char *const keys[] = { "drop", "delay", "blackhole", "inject", "link", "rtt", "sysctl" };

int wirespec_is_key(const char *key)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(key, keys[i]))
			return 1;
	return 0;
}

/* The parser's position and its first error. */
struct cur {
	const char *s, *p;
	char *err;
	size_t errlen;
	int *col;
	int failed;
};

static int fail(struct cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cur *c, const char *fmt, ...)
{
	va_list ap;
	if (c->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	*c->col = (int)(c->p - c->s);
	c->failed = 1;
	return -1;
}

static void skip(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

/* The next word: up to a blank. Returns its length (0 at the end). */
static size_t word(struct cur *c, const char **w)
{
	size_t n = 0;
	skip(c);
	*w = c->p;
	while (c->p[n] && c->p[n] != ' ' && c->p[n] != '\t')
		n++;
	return n;
}

static int is_word(struct cur *c, const char *kw)
{
	const char *w;
	size_t n = word(c, &w);
	if (n == strlen(kw) && !strncmp(w, kw, n)) {
		c->p += n;
		return 1;
	}
	return 0;
}

static int is_role_name(const char *w, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)w[i]) || w[i] == '_' || w[i] == '-'))
			return 0;
	return 1;
}

/* DURATION: a number and a unit, "200 ms", "1.5s", "500us". */
static int duration(struct cur *c, long *us)
{
	char *end;
	double v;
	const char *unit;
	skip(c);
	if (!isdigit((unsigned char)*c->p))
		return fail(c, "expected a duration such as '200 ms' or '1 s'");
	v = strtod(c->p, &end);
	c->p = end;
	skip(c);
	unit = c->p;
	if (!strncmp(unit, "ms", 2))
		v *= 1e3, c->p += 2;
	else if (!strncmp(unit, "us", 2))
		c->p += 2;
	else if (unit[0] == 's' && (!unit[1] || unit[1] == ' ' || unit[1] == '\t'))
		v *= 1e6, c->p += 1;
	else
		return fail(c, "a duration needs a unit: 's', 'ms' or 'us'");
	if (*c->p && *c->p != ' ' && *c->p != '\t')
		return fail(c, "a duration needs a unit: 's', 'ms' or 'us'");
	if (v < 0 || v > 60e6)
		return fail(c, "duration out of range: at most 60 s");
	*us = (long)(v + 0.5);
	return 0;
}

/* STEP: 'quoted', "quoted", or one word. */
static char *step_name(struct cur *c)
{
	skip(c);
	if (*c->p == '\'' || *c->p == '"') {
		const char *q = strchr(c->p + 1, *c->p);
		char *s;
		if (!q) {
			fail(c, "unterminated step name");
			return NULL;
		}
		if (q == c->p + 1) {
			fail(c, "empty step name");
			return NULL;
		}
		s = xstrndup(c->p + 1, (size_t)(q - c->p - 1));
		c->p = q + 1;
		return s;
	} else {
		const char *w;
		size_t n = word(c, &w);
		if (!n) {
			fail(c, "expected a step name (quote it if it has spaces)");
			return NULL;
		}
		c->p += n;
		return xstrndup(w, n);
	}
}

/* [#N | #N-M | #N+] */
static int which(struct cur *c, struct wire_rule *r)
{
	char *end;
	r->first = 1;
	r->last = WIRE_EVERY;
	skip(c);
	if (*c->p != '#')
		return 0;
	c->p++;
	if (!isdigit((unsigned char)*c->p))
		return fail(c, "expected a number after '#': '#1', '#2-3' or '#2+'");
	r->first = strtol(c->p, &end, 10);
	c->p = end;
	if (*c->p == '-') {
		c->p++;
		if (!isdigit((unsigned char)*c->p))
			return fail(c, "expected a number after '-'");
		r->last = strtol(c->p, &end, 10);
		c->p = end;
	} else if (*c->p == '+') {
		c->p++;
	} else {
		r->last = r->first;
	}
	if (r->first < 1 || (r->last != WIRE_EVERY && r->last < r->first))
		return fail(c, "matches are counted from #1, and a range must not run backwards");
	if (*c->p && *c->p != ' ' && *c->p != '\t')
		return fail(c, "expected a blank after the match number");
	return 0;
}

/* [from ROLE] [PATTERN] */
static int selector(struct cur *c, struct wire_rule *r)
{
	const char *save = c->p, *w;
	size_t n;
	if (is_word(c, "from")) {
		n = word(c, &w);
		if (!is_role_name(w, n))
			return fail(c, "expected a role name after 'from'");
		r->from_role = xstrndup(w, n);
		c->p += n;
	} else {
		c->p = save;
	}
	skip(c);
	if (*c->p) {
		size_t len = strlen(c->p);
		while (len && (c->p[len - 1] == ' ' || c->p[len - 1] == '\t'))
			len--;
		r->pattern = xstrndup(c->p, len);
		c->p += strlen(c->p);
	}
	return 0;
}

static int expr(struct cur *c, struct wire_expr *e)
{
	char *end;
	skip(c);
	e->given = 1;
	if (!strncmp(c->p, "rcv_nxt", 7)) {
		e->base = WIRE_RCV_NXT;
		c->p += 7;
	} else if (!strncmp(c->p, "snd_nxt", 7)) {
		e->base = WIRE_SND_NXT;
		c->p += 7;
	} else if (isdigit((unsigned char)*c->p)) {
		e->base = WIRE_NUM;
		e->offset = strtoll(c->p, &end, 10);
		c->p = end;
		return 0;
	} else {
		return fail(c, "expected a number, 'rcv_nxt' or 'snd_nxt', with '+N' or '-N'");
	}
	if (*c->p == '+' || *c->p == '-') {
		int neg = *c->p == '-';
		c->p++;
		if (!isdigit((unsigned char)*c->p))
			return fail(c, "expected a number after '%c'", neg ? '-' : '+');
		e->offset = strtoll(c->p, &end, 10);
		if (neg)
			e->offset = -e->offset;
		c->p = end;
	}
	if (*c->p && *c->p != ' ' && *c->p != '\t')
		return fail(c, "unexpected text after the number");
	return 0;
}

static int number(struct cur *c, unsigned *v, unsigned max, const char *what)
{
	char *end;
	unsigned long n;
	skip(c);
	if (!isdigit((unsigned char)*c->p))
		return fail(c, "expected %s", what);
	n = strtoul(c->p, &end, 10);
	if (n > max)
		return fail(c, "%s out of range: at most %u", what, max);
	c->p = end;
	*v = (unsigned)n;
	return 0;
}

static int parse_inject(struct cur *c, struct wire_rule *r)
{
	while (!c->failed) {
		const char *w;
		size_t n = word(c, &w);
		if (!n)
			break;
		c->p += n;
		if (n == 2 && !strncmp(w, "at", 2)) {
			free(r->step);
			r->step = step_name(c);
		} else if (n == 2 && !strncmp(w, "to", 2)) {
			number(c, &r->to_port, 65535, "a port number after 'to'");
		} else if (n == 5 && !strncmp(w, "flags", 5)) {
			size_t k = word(c, &w);
			if (!k || k >= sizeof r->flags)
				return fail(c, "expected flags such as 'R', 'S', 'F.' or 'P.'");
			for (size_t i = 0; i < k; i++)
				if (!strchr("SFRP.", w[i]))
					return fail(c, "unknown flag '%c': use S, F, R, P and '.' (ACK)", w[i]);
			memcpy(r->flags, w, k);
			r->flags[k] = '\0';
			c->p += k;
		} else if (n == 3 && !strncmp(w, "seq", 3)) {
			expr(c, &r->seq);
		} else if (n == 3 && !strncmp(w, "ack", 3)) {
			expr(c, &r->ack);
		} else if (n == 3 && !strncmp(w, "win", 3)) {
			number(c, &r->win, 65535, "a window after 'win'");
		} else if (n == 4 && !strncmp(w, "data", 4)) {
			number(c, &r->data, 1000, "a byte count after 'data'");
		} else {
			c->p -= n;
			return fail(c, "unexpected '%.*s'; expected at, to, flags, seq, ack, win or data",
				    (int)n, w);
		}
	}
	if (c->failed)
		return -1;
	if (!r->step)
		return fail(c, "an injection needs 'at STEP'");
	if (!r->to_port)
		return fail(c, "an injection needs 'to PORT' (the endpoint it is sent to)");
	if (!r->flags[0])
		return fail(c, "an injection needs 'flags F'");
	return 0;
}

static int parse_link(struct cur *c, struct wire_rule *r)
{
	int side = 0;
	for (;;) {
		const char *w;
		size_t n = word(c, &w);
		if (!n)
			break;
		if (n == 1 && *w == '|') {
			if (side)
				return fail(c, "a link has two sides: one '|'");
			side = 1;
			c->p++;
			continue;
		}
		if (!is_role_name(w, n))
			return fail(c, "expected a role name or '|'");
		if (side) {
			r->right = xrealloc(r->right, (r->nright + 1) * sizeof *r->right);
			r->right[r->nright++] = xstrndup(w, n);
		} else {
			r->left = xrealloc(r->left, (r->nleft + 1) * sizeof *r->left);
			r->left[r->nleft++] = xstrndup(w, n);
		}
		c->p += n;
	}
	if (!r->nleft || !r->nright)
		return fail(c, "expected 'link: ROLE... | ROLE...', the roles on each side");
	return 0;
}

static int parse_sysctl(struct cur *c, struct wire_rule *r)
{
	const char *eq, *v;
	skip(c);
	eq = strchr(c->p, '=');
	if (!eq)
		return fail(c, "expected 'sysctl: net.NAME=VALUE'");
	if (strncmp(c->p, "net.", 4))
		return fail(c, "only net.* sysctls can be set: they are the experiment's own namespace's");
	const char *ne = eq;
	while (ne > c->p && (ne[-1] == ' ' || ne[-1] == '\t'))
		ne--;
	for (const char *q = c->p; q < ne; q++)
		if (!(islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_' || *q == '.') ||
		    (*q == '.' && (q[1] == '.' || q + 1 == ne))) {
			c->p = q;
			return fail(c, "bad sysctl name: lowercase letters, digits, '_' and single dots");
		}
	r->sysctl_name = xstrndup(c->p, (size_t)(ne - c->p));
	v = eq + 1;
	while (*v == ' ')
		v++;
	if (!*v) {
		c->p = v;
		return fail(c, "no value for sysctl '%s'", r->sysctl_name);
	}
	for (const char *q = v; *q; q++)
		if (!(isalnum((unsigned char)*q) || *q == ' ' || *q == '_' || *q == '-')) {
			c->p = q;
			return fail(c, "bad sysctl value: letters, digits, '-', '_' and blanks");
		}
	{
		char *t = xstrdup(v);
		r->sysctl_value = xstrdup(strtrim(t));
		free(t);
	}
	c->p += strlen(c->p);
	return 0;
}

int wirespec_parse(const char *key, const char *value, struct wire_rule *out,
		   char *err, size_t errlen, int *col)
{
	struct cur c = { value, value, err, errlen, col, 0 };
	int rc = 0;

	memset(out, 0, sizeof *out);
	*col = 0;
	if (!strcmp(key, "drop")) {
		out->kind = WIRE_DROP;
		rc = which(&c, out) < 0 ? -1 : selector(&c, out);
	} else if (!strcmp(key, "delay")) {
		out->kind = WIRE_DELAY;
		rc = duration(&c, &out->delay_us) < 0 || which(&c, out) < 0 ? -1 : selector(&c, out);
	} else if (!strcmp(key, "blackhole")) {
		out->kind = WIRE_BLACKHOLE;
		if (!is_word(&c, "from"))
			rc = fail(&c, "expected 'blackhole: from STEP [until STEP]'");
		else if (!(out->step = step_name(&c)))
			rc = -1;
		else if (word(&c, &(const char *){ NULL }) && !is_word(&c, "until"))
			rc = fail(&c, "expected 'until STEP' or the end of the line");
		else if (*c.p && !(out->until = step_name(&c)))
			rc = -1;
	} else if (!strcmp(key, "inject")) {
		out->kind = WIRE_INJECT;
		rc = parse_inject(&c, out);
	} else if (!strcmp(key, "link")) {
		out->kind = WIRE_LINK;
		rc = parse_link(&c, out);
	} else if (!strcmp(key, "rtt")) {
		out->kind = WIRE_RTT;
		rc = duration(&c, &out->delay_us);
	} else if (!strcmp(key, "sysctl")) {
		out->kind = WIRE_SYSCTL;
		rc = parse_sysctl(&c, out);
	} else {
		rc = fail(&c, "'%s' is not a key of the wire", key);
	}
	if (!rc && !c.failed) {
		skip(&c);
		if (*c.p)
			rc = fail(&c, "unexpected '%s' at the end of the line", c.p);
	}
	if (rc || c.failed) {
		wirespec_free(out);
		return -1;
	}
	return 0;
}

void wirespec_free(struct wire_rule *r)
{
	free(r->from_role);
	free(r->pattern);
	free(r->step);
	free(r->until);
	free(r->sysctl_name);
	free(r->sysctl_value);
	for (size_t i = 0; i < r->nleft; i++)
		free(r->left[i]);
	for (size_t i = 0; i < r->nright; i++)
		free(r->right[i]);
	free(r->left);
	free(r->right);
	memset(r, 0, sizeof *r);
}

/* '*' and literal text only (code/lib/util.h, glob_search) */
int wirespec_match(const char *line, const char *pat)
{
	return glob_search(line, pat, NULL);
}
