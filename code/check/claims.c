/*
 * claims.c: checks a chapter's claims against what its experiments observed.
 *
 * usage: claims -c CHAPTER.md -o RUNDIR CLAIMS
 *
 * CLAIMS is the file tangle writes from the chapter's ```claims EXP``` blocks
 * ("claims EXP LINE", the block's lines each after a tab, "end"). The syntax
 * of a block is in AUTHORING.md, section 4. Each claim is checked against
 * RUNDIR/EXP/observations.txt and the result written to RUNDIR/claims.txt,
 * one record per claim, for weave and the tests:
 *
 *   claim LINE RESULT        confirmed, differs, varies, unchecked or invalid
 *   experiment EXP
 *   text SENTENCE
 *   varies 0|1
 *   check CHECK              one or more
 *   observed LINE            what was seen instead (for differs and varies)
 *   reason TEXT              why unchecked or invalid
 *   end
 *
 * A claim that does not hold is "differs", or "varies" when its sentence
 * starts with "(varies)": the chapter expects it to depend on the kernel.
 * Malformed claims are reported as `CHAPTER:LINE: error: ...` on stderr and
 * make the exit status 1; a claim that does not hold is not an error of the
 * build (the page shows it), but `make test` fails on "differs".
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHECKS 16
#define MAX_OBSERVED 40

static const char *progname = "claims";

/* --- observations.txt -------------------------------------------------------- */

struct section {
	char *name;		/* "packets", "role client", "sockets at (step)" */
	char **lines;
	size_t n, cap;
};

struct observations {
	struct section *s;
	size_t n, cap;
	int loaded;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Returns 0, or -1 when the file cannot be read. */
static int load_observations(const char *path, struct observations *o)
{
	FILE *f = fopen(path, "r");
	char buf[8192];

	memset(o, 0, sizeof *o);
	if (!f)
		return -1;
	while (fgets(buf, sizeof buf, f)) {
		chomp(buf);
		if (buf[0] != ' ') {
			if (o->n == o->cap) {
				o->cap = o->cap ? 2 * o->cap : 16;
				o->s = xrealloc(o->s, o->cap * sizeof *o->s);
			}
			memset(&o->s[o->n], 0, sizeof o->s[0]);
			o->s[o->n++].name = xstrdup(buf);
		} else if (o->n) {
			struct section *s = &o->s[o->n - 1];
			if (s->n == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 32;
				s->lines = xrealloc(s->lines, s->cap * sizeof *s->lines);
			}
			s->lines[s->n++] = xstrdup(buf + 2);
		}
	}
	fclose(f);
	o->loaded = 1;
	return 0;
}

static const struct section *find_section(const struct observations *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->s[i].name, name))
			return &o->s[i];
	return NULL;
}

static void free_observations(struct observations *o)
{
	for (size_t i = 0; i < o->n; i++) {
		for (size_t k = 0; k < o->s[i].n; k++)
			free(o->s[i].lines[k]);
		free(o->s[i].lines);
		free(o->s[i].name);
	}
	free(o->s);
	memset(o, 0, sizeof *o);
}

/* --- patterns ------------------------------------------------------------------- */

/* Does text start with pat, where '*' in pat stands for any run of text? */
static int match_here(const char *text, const char *pat)
{
	/* Iterative glob with one backtrack point: linear in practice. */
	const char *star = NULL, *resume = NULL;

	while (*pat) {
		if (*pat == '*') {
			star = ++pat;
			resume = text;
			continue;
		}
		if (*text && *text == *pat) {
			text++;
			pat++;
			continue;
		}
		if (star && *resume) {
			pat = star;
			text = ++resume;
			continue;
		}
		return 0;
	}
	return 1;
}

/* A line matches a pattern when it contains it. */
static int line_matches(const char *line, const char *pat)
{
	for (const char *p = line;; p++) {
		if (match_here(p, pat))
			return 1;
		if (!*p)
			return 0;
	}
}

/* Are there lines matching pats[0..n) in that order? */
static int sequence_holds(const struct section *s, char **pats, int n)
{
	int k = 0;

	if (!s)
		return 0;
	for (size_t i = 0; i < s->n && k < n; i++)
		if (line_matches(s->lines[i], pats[k]))
			k++;
	return k == n;
}

/* --- claims ---------------------------------------------------------------------------- */

struct check {
	char *text;		/* as written, for the report */
	int negated;
	char section[600];	/* the observations section it reads */
	int fate;		/* "ROLE ends:": only the last line */
	char *pattern;		/* after the colon */
};

struct claim {
	int line;
	int varies;
	char *text;
	struct check checks[MAX_CHECKS];
	int nchecks;
	char reason[512];
};

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * Parses "KIND: PATTERN" into c, given the experiment's roles (the role
 * sections of its observations). Returns 0, or -1 if the line is not a check
 * (it is then part of the claim's sentence).
 */
static int parse_check(char *line, const struct observations *o, struct check *c)
{
	char *colon = strchr(line, ':'), kind[600];
	char *k;

	if (!colon || colon == line || (size_t)(colon - line) >= sizeof kind || colon[1] != ' ')
		return -1;
	memcpy(kind, line, (size_t)(colon - line));
	kind[colon - line] = '\0';
	k = kind;
	memset(c, 0, sizeof *c);
	if (!strncmp(k, "no ", 3)) {
		c->negated = 1;
		k += 3;
	}
	if (!strcmp(k, "packet")) {
		strcpy(c->section, "packets");
	} else if (!strncmp(k, "sockets at ", 11)) {
		snprintf(c->section, sizeof c->section, "sockets at (%s)", k + 11);
	} else {
		size_t n = strlen(k);
		int fate = n > 5 && !strcmp(k + n - 5, " ends");
		if (fate) {
			if (c->negated)
				return -1;
			k[n - 5] = '\0';
		}
		for (const char *p = k; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
				return -1;
		snprintf(c->section, sizeof c->section, "role %s", k);
		/* Without observations any role name is taken on trust. */
		if (o->loaded && !find_section(o, c->section))
			return -1;
		c->fate = fate;
	}
	c->text = xstrdup(line);
	c->pattern = xstrdup(trim(colon + 1));
	return 0;
}

/* Splits "P1 ; P2" in place; returns the count. */
static int split_sequence(char *pat, char **out, int max)
{
	int n = 0;
	char *p = pat;

	while (n < max) {
		char *sep = strstr(p, " ; ");
		out[n++] = trim(p);
		if (!sep)
			break;
		*sep = '\0';
		p = sep + 3;
	}
	return n;
}

static int check_holds(const struct check *c, const struct observations *o)
{
	const struct section *s = find_section(o, c->section);
	char *pats[32], *copy = xstrdup(c->pattern);
	int n = split_sequence(copy, pats, 32), holds;

	if (c->fate) {
		holds = s && s->n && line_matches(s->lines[s->n - 1], c->pattern);
	} else {
		holds = sequence_holds(s, pats, n);
		if (c->negated)
			holds = !holds;
	}
	free(copy);
	return holds;
}

static void put_record(FILE *f, const char *exp, const struct claim *cl, const char *result,
		       const struct observations *o, int failed_check)
{
	fprintf(f, "claim %d %s\nexperiment %s\ntext %s\nvaries %d\n", cl->line, result, exp,
		cl->text ? cl->text : "", cl->varies);
	for (int i = 0; i < cl->nchecks; i++)
		fprintf(f, "check %s\n", cl->checks[i].text);
	if (failed_check >= 0) {
		const struct check *c = &cl->checks[failed_check];
		const struct section *s = find_section(o, c->section);
		if (!s) {
			fprintf(f, "observed (nothing: no '%s' in the observations)\n", c->section);
		} else if (c->fate) {
			fprintf(f, "observed %s\n", s->n ? s->lines[s->n - 1] : "(no end recorded)");
		} else {
			size_t from = 0;
			if (s->n > MAX_OBSERVED)
				from = s->n - MAX_OBSERVED;
			if (from)
				fprintf(f, "observed ... (%zu lines before)\n", from);
			for (size_t i = from; i < s->n; i++)
				fprintf(f, "observed %s\n", s->lines[i]);
		}
	}
	if (cl->reason[0])
		fprintf(f, "reason %s\n", cl->reason);
	fputs("end\n", f);
}

/* Reads one experiment's status from RUNDIR/EXP/meta: 1 ok, 0 failed,
 * -1 no such run. */
static int run_status(const char *rundir, const char *exp, char *why, size_t len)
{
	char path[PATH_MAX], buf[1024];
	FILE *f;
	int ok = -1;

	snprintf(path, sizeof path, "%s/%s/meta", rundir, exp);
	f = fopen(path, "r");
	if (!f)
		return -1;
	why[0] = '\0';
	while (fgets(buf, sizeof buf, f)) {
		chomp(buf);
		if (!strcmp(buf, "status ok"))
			ok = 1;
		else if (!strcmp(buf, "status failed"))
			ok = 0;
		else if (!strncmp(buf, "error ", 6) && !why[0])
			snprintf(why, len, "%s", buf + 6);
	}
	fclose(f);
	return ok;
}

/* Checks one block; returns the number of malformed claims. */
static int check_block(FILE *out, const char *chapter, const char *rundir, const char *exp,
		       int line0, char **lines, int nlines)
{
	struct observations o;
	char path[PATH_MAX], why[512] = "";
	int status = run_status(rundir, exp, why, sizeof why), bad = 0;
	struct claim *cls = NULL;
	int ncl = 0;

	snprintf(path, sizeof path, "%s/%s/observations.txt", rundir, exp);
	load_observations(path, &o);

	/* Items: "- sentence" at the block's left edge; indented lines are
	 * checks, or more of the sentence when they are not. */
	for (int i = 0; i < nlines; i++) {
		char *l = lines[i], *t = trim(l);
		if (!*t)
			continue;
		if ((l[0] == '-' || l[0] == '*') && l[1] == ' ') {
			cls = xrealloc(cls, (size_t)(ncl + 1) * sizeof *cls);
			memset(&cls[ncl], 0, sizeof cls[0]);
			cls[ncl].line = line0 + i;
			t = trim(l + 2);
			if (!strncmp(t, "(varies)", 8)) {
				cls[ncl].varies = 1;
				t = trim(t + 8);
			}
			cls[ncl].text = xstrdup(t);
			ncl++;
		} else if (!ncl) {
			fprintf(stderr, "%s:%d: error: a claim starts with '- ' and a sentence\n", chapter, line0 + i);
			bad++;
		} else {
			struct claim *cl = &cls[ncl - 1];
			struct check c;
			char *copy = xstrdup(t);
			if (parse_check(copy, &o, &c) == 0) {
				if (cl->nchecks < MAX_CHECKS) {
					cl->checks[cl->nchecks++] = c;
				} else {
					free(c.text);
					free(c.pattern);
				}
			} else if (cl->nchecks) {
				/* Text after the checks is a check gone wrong. */
				fprintf(stderr, "%s:%d: error: not a check: '%s' (checks are 'packet:', "
					"'no packet:', 'ROLE:', 'ROLE ends:', 'sockets at STEP:'; "
					"is the role or step named right?)\n", chapter, line0 + i, t);
				snprintf(cl->reason, sizeof cl->reason, "not a check: %s", t);
				bad++;
			} else {
				size_t n = strlen(cl->text) + strlen(t) + 2;
				cl->text = xrealloc(cl->text, n);
				strcat(cl->text, " ");
				strcat(cl->text, t);
			}
			free(copy);
		}
	}
	for (int i = 0; i < ncl; i++) {
		struct claim *cl = &cls[i];
		int failed = -1;
		if (!cl->nchecks) {
			if (!cl->reason[0]) {
				fprintf(stderr, "%s:%d: error: claim has no check (a line such as "
					"'packet: Flags [F.]' under it; is the role or step named right?)\n",
					chapter, cl->line);
				snprintf(cl->reason, sizeof cl->reason, "the claim has no check");
				bad++;
			}
			put_record(out, exp, cl, "invalid", &o, -1);
			continue;
		}
		if (cl->reason[0]) {
			put_record(out, exp, cl, "invalid", &o, -1);
			continue;
		}
		if (status != 1 || !o.loaded) {
			snprintf(cl->reason, sizeof cl->reason, "%s",
				 status < 0 || !o.loaded ? "the experiment did not run in this build"
							 : (why[0] ? why : "the experiment failed"));
			put_record(out, exp, cl, "unchecked", &o, -1);
			continue;
		}
		/* A check on a step that was never recorded would hold for "no"
		 * and fail for the others, both for the wrong reason: a misspelt
		 * step name. That is a mistake in the claim, not a finding. */
		for (int k = 0; k < cl->nchecks; k++) {
			const char *sec = cl->checks[k].section;
			if (!find_section(&o, sec)) {
				fprintf(stderr, "%s:%d: error: no '%s' in experiment '%s' (steps are named as in lab_step())\n",
					chapter, cl->line, sec, exp);
				snprintf(cl->reason, sizeof cl->reason, "no '%s' in the observations", sec);
				bad++;
				break;
			}
		}
		if (cl->reason[0]) {
			put_record(out, exp, cl, "invalid", &o, -1);
			continue;
		}
		for (int k = 0; k < cl->nchecks && failed < 0; k++)
			if (!check_holds(&cl->checks[k], &o))
				failed = k;
		put_record(out, exp, cl, failed < 0 ? "confirmed" : cl->varies ? "varies" : "differs", &o, failed);
	}
	for (int i = 0; i < ncl; i++) {
		for (int k = 0; k < cls[i].nchecks; k++) {
			free(cls[i].checks[k].text);
			free(cls[i].checks[k].pattern);
		}
		free(cls[i].text);
	}
	free(cls);
	free_observations(&o);
	return bad;
}

int main(int argc, char **argv)
{
	const char *chapter = "chapter", *rundir = NULL;
	char path[PATH_MAX], tmp[PATH_MAX], buf[8192], exp[256] = "";
	char **lines = NULL;
	int nlines = 0, line0 = 0, bad = 0, opt, in_block = 0;
	FILE *in, *out;

	while ((opt = getopt(argc, argv, "c:o:")) != -1) {
		if (opt == 'c')
			chapter = optarg;
		else if (opt == 'o')
			rundir = optarg;
		else
			goto usage;
	}
	if (!rundir || optind != argc - 1)
		goto usage;
	in = fopen(argv[optind], "r");
	if (!in && errno != ENOENT) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, argv[optind], strerror(errno));
		return 2;
	}
	snprintf(path, sizeof path, "%s/claims.txt", rundir);
	snprintf(tmp, sizeof tmp, "%s/.claims.txt.tmp", rundir);
	out = fopen(tmp, "w");
	if (!out) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, tmp, strerror(errno));
		return 2;
	}
	while (in && fgets(buf, sizeof buf, in)) {
		chomp(buf);
		if (!in_block && !strncmp(buf, "claims ", 7)) {
			if (sscanf(buf + 7, "%255s %d", exp, &line0) != 2) {
				fprintf(stderr, "%s: '%s': bad line '%s'\n", progname, argv[optind], buf);
				return 2;
			}
			in_block = 1;
			nlines = 0;
		} else if (in_block && !strcmp(buf, "end")) {
			bad += check_block(out, chapter, rundir, exp, line0, lines, nlines);
			for (int i = 0; i < nlines; i++)
				free(lines[i]);
			in_block = 0;
		} else if (in_block && buf[0] == '\t') {
			lines = xrealloc(lines, (size_t)(nlines + 1) * sizeof *lines);
			lines[nlines++] = xstrdup(buf + 1);
		}
	}
	if (in)
		fclose(in);
	free(lines);
	if (fclose(out) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, path, strerror(errno));
		return 2;
	}
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: %s -c CHAPTER.md -o RUNDIR CLAIMS\n", progname);
	return 2;
}
