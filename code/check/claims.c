/*
 * claims.c: checks a chapter's claims against what its experiments observed.
 *
 * usage: claims -c CHAPTER.md -o RUNDIR CLAIMS
 *        claims -c CHAPTER.md -o RUNDIR -r [-a]
 *        claims -r [-a] CHAPTER.md RUNDIR [CHAPTER.md RUNDIR]...
 *        claims -l CLAIMS.TXT
 *        claims -s SECTION EXPDIR
 *
 * CLAIMS is the file tangle writes (claims_write in tangle/model/claims.h):
 * the claims as the chapter model parsed them. This program parses nothing
 * of the author's syntax itself; it evaluates. Each claim is checked against
 * RUNDIR/EXP/observations.txt (times from RUNDIR/EXP/times.txt, for time
 * checks; the states before each call from RUNDIR/EXP/states.txt) and the result written to RUNDIR/claims.txt, one record per
 * claim, read by weave (tangle/model/claimfile.h) and the tests:
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
 *
 * With -r, reads RUNDIR/claims.txt instead and prints the verdict of each
 * claim that failed (differs, invalid, unchecked), or of every claim with
 * -a, as `CHAPTER:LINE: RESULT: SENTENCE`; exit status 1 when one failed.
 * A claim unchecked because its experiment was skipped (RUNDIR/EXP/meta:
 * "status skipped", the kernel lacks a feature it needs; its reason says
 * which) is not a failure: it is shown with -a only.
 * Given pairs of CHAPTER.md RUNDIR, does so for each in turn (one process
 * for the whole book's verdict, code/scripts/verdict.sh).
 *
 * With -l, lists the claims of a claims.txt through the same reader, one a
 * line, for the tests (no test parses claims.txt itself):
 *
 *   RESULT TAB LINE TAB EXPERIMENT TAB SENTENCE TAB DETAIL
 *
 * EXPERIMENT is "-" when the record names none; DETAIL the observed lines
 * and the reason, each after " | " (empty when there are none). A tab in a
 * value is printed as a space.
 *
 * With -s, prints the lines of one section of EXPDIR/observations.txt (or
 * of states.txt beside it), as the checks read them: "packets", "role
 * ROLE", "sockets at (STEP)", "output ROLE", "stderr ROLE", "states ROLE"
 * (see code/FORMATS.md), one a line without their indent; exit status 1
 * when the run has no such section, 2 when it has no observations.
 *
 * Exit status otherwise: 0, or 1 when a check could not be evaluated, 2 on
 * bad usage or an unreadable CLAIMS file.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claimfile.h"
#include "claims.h"
#include "util.h"

#define MAX_OBSERVED 40

/* --- observations.txt and times.txt ----------------------------------------- */

struct obs_line {
	char *text;
	double start, end;	/* seconds since the run began; NAN if unknown */
	double err;		/* a timer's END is right to within this; 0 */
};

struct section {
	char *name;		/* "packets", "role client", "sockets at (step)" */
	struct obs_line *lines;
	size_t n, cap;
};

/* A packet the wire held back (RUNDIR/EXP/wire, "hold" lines): when it
 * was let out and how much later than due, in seconds. */
struct hold {
	double out, late;
};

struct observations {
	struct section *s;
	size_t n, cap;
	int loaded, timed;
	struct hold *holds;
	size_t nholds, holds_cap;
};

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Appends the sections of file (observations.txt, states.txt) and, line
 * for line, times from tfile ("START END" or "-"; see code/run/timeline.c)
 * when there is one. Returns 0, or -1 when file cannot be read. */
static int load_sections(const char *dir, const char *file, const char *tfile, struct observations *o)
{
	char path[PATH_MAX], buf[8192], tbuf[256];
	FILE *f, *t = NULL;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (tfile) {
		snprintf(path, sizeof path, "%s/%s", dir, tfile);
		t = fopen(path, "r");
		o->timed = t != NULL;
	}
	while (fgets(buf, sizeof buf, f)) {
		double a = NAN, b = NAN, err = 0;
		chomp(buf);
		if (t && fgets(tbuf, sizeof tbuf, t)) {
			char *e;
			a = strtod(tbuf, &e);
			if (e == tbuf)
				a = NAN;
			else if (*e == ' ' && e[1] != '-') {
				b = strtod(e + 1, &e);
				if (*e == ' ')	/* a timer's: how well END is known */
					err = strtod(e + 1, NULL);
			}
		} else if (t) {
			o->timed = 0;	/* shorter than the observations: not to be trusted */
		}
		if (buf[0] != ' ') {
			grow(&o->s, &o->cap, o->n + 1, sizeof *o->s);
			memset(&o->s[o->n], 0, sizeof o->s[0]);
			o->s[o->n++].name = xstrdup(buf);
		} else if (o->n) {
			struct section *s = &o->s[o->n - 1];
			grow(&s->lines, &s->cap, s->n + 1, sizeof *s->lines);
			s->lines[s->n++] = (struct obs_line){ xstrdup(buf + 2), a, b, err };
		}
	}
	fclose(f);
	if (t)
		fclose(t);
	return 0;
}

/* The wire's "hold" lines (code/run/wire.c, code/FORMATS.md): "hold QUEUE
 * read T due T out T late N us". An experiment without a wire has none. */
static void load_holds(const char *dir, struct observations *o)
{
	char path[PATH_MAX], buf[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/wire", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(buf, sizeof buf, f)) {
		char q[32];
		double rd, due, out;
		long late;
		if (sscanf(buf, "hold %31s read %lf due %lf out %lf late %ld us", q, &rd, &due, &out,
			   &late) != 5)
			continue;
		grow(&o->holds, &o->holds_cap, o->nholds + 1, sizeof *o->holds);
		o->holds[o->nholds++] = (struct hold){ out, (double)late / 1e6 };
	}
	fclose(f);
}

/* observations.txt with its times, then states.txt (timeline.c), and what
 * the wire held back. */
static int load_observations(const char *dir, struct observations *o)
{
	memset(o, 0, sizeof *o);
	if (load_sections(dir, "observations.txt", "times.txt", o) < 0)
		return -1;
	load_sections(dir, "states.txt", NULL, o);
	load_holds(dir, o);
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
			free(o->s[i].lines[k].text);
		free(o->s[i].lines);
		free(o->s[i].name);
	}
	free(o->s);
	free(o->holds);
	memset(o, 0, sizeof *o);
}

/* --- evaluating one check ------------------------------------------------- */

/* What a check saw, for the record of a claim that does not hold. */
struct seen {
	const struct section *section;	/* print its lines */
	int last_only;			/* only its last line */
	char note[512];			/* or first this */
};

static size_t count_matches(const struct section *s, const char *pat)
{
	size_t n = 0;
	for (size_t i = 0; s && i < s->n; i++)
		n += claim_pattern_matches(s->lines[i].text, pat);
	return n;
}

/* Are there lines matching the sequence, in that order? */
static int sequence_holds(const struct section *s, const char *pattern)
{
	int n, k = 0;
	char **pats = claim_split_sequence(pattern, &n);

	for (size_t i = 0; s && i < s->n && k < n; i++)
		if (claim_pattern_matches(s->lines[i].text, pats[k]))
			k++;
	free(pats[0]);
	free(pats);
	return s && k == n;
}

/* The line an event names, or NULL with a note. */
static const struct obs_line *find_event(const struct observations *o, const struct claim_event *e,
					 char *note, size_t len)
{
	const struct obs_line *hit = NULL;
	int seen = 0;

	if (!e->section) {	/* a step: its line in whichever role announced it */
		char want[600];
		snprintf(want, sizeof want, "step '%s'", e->pattern);
		for (size_t i = 0; i < o->n && !hit; i++)
			if (!strncmp(o->s[i].name, "role ", 5))
				for (size_t k = 0; k < o->s[i].n && !hit; k++)
					if (!strcmp(o->s[i].lines[k].text, want))
						hit = &o->s[i].lines[k];
		if (!hit)
			snprintf(note, len, "step '%s' was not reached", e->pattern);
		return hit;
	}
	const struct section *s = find_section(o, e->section);
	for (size_t k = 0; s && k < s->n; k++)
		if (claim_pattern_matches(s->lines[k].text, e->pattern)) {
			seen++;
			if (e->nth == 0 || seen == e->nth)
				hit = &s->lines[k];
			if (e->nth && hit)
				break;
		}
	if (!hit && e->nth)
		snprintf(note, len, "no match %d for '%s' in %s (%d matched)", e->nth, e->pattern,
			 e->section, seen);
	else if (!hit)
		snprintf(note, len, "nothing matches '%s' in %s", e->pattern, e->section);
	return hit;
}

static void format_duration(double d, char *buf, size_t len)
{
	double a = fabs(d);
	if (a >= 1)
		snprintf(buf, len, "%.3f s", d);
	else if (a >= 1e-3)
		snprintf(buf, len, "%.3f ms", d * 1e3);
	else
		snprintf(buf, len, "%.1f us", d * 1e6);
}

/*
 * A time is the kernel's only if the machine kept the wire's time: a packet
 * that the wire held back (a delay:, the link's rtt:) and let out later
 * than due, between the two events, makes the interval longer by that
 * much, whatever the kernel did (or shorter, when the first event is the
 * late one). On a machine too slow for the wire (an
 * emulated guest under load) that is not the kernel's fault, and a
 * verdict either way would be false: the check is then not checked, and
 * says why. "Too late" is more than the check's tolerance, or, without
 * one, a tenth of its duration. A check against no duration at all
 * (`> 0 ms`) is an order, which a late packet does not falsify: the run's
 * events did happen in the order seen. Returns the lateness found
 * (seconds) and when that packet went out, or 0 when the wire kept time.
 */
static double late_bound(const struct claim_check *c)
{
	if (c->tolerance <= 0 && c->value == 0)
		return INFINITY;	/* an order */
	return c->tolerance > 0 ? c->tolerance : fabs(c->value) / 10;
}

/* The latest a held packet inside [ta, tb] was let out, if more than the
 * check allows (else 0), with when (*at); *sum, every held packet's
 * lateness inside, however small: a packet let out late can make the next
 * one late too, so the interval can be off by their sum. */
static double wire_late(const struct claim_check *c, const struct observations *o, double ta,
			double tb, double *at, double *sum)
{
	double lo = ta < tb ? ta : tb, hi = ta < tb ? tb : ta, worst = 0;
	double bound = late_bound(c);

	*sum = 0;
	for (size_t i = 0; i < o->nholds; i++)
		/* from a little before lo: a packet the wire let out late
		 * may be the first event itself (a dropped one is recorded
		 * when let out, a passed one captured just after) */
		if (o->holds[i].out >= lo - 0.005 && o->holds[i].out <= hi && o->holds[i].late > 0) {
			*sum += o->holds[i].late;
			if (o->holds[i].late > worst) {
				worst = o->holds[i].late;
				*at = o->holds[i].out;
			}
		}
	return worst > bound ? worst : 0;
}

static int time_compare(const struct claim_check *c, double d)
{
	switch (c->op) {
	case CMP_EQ: return fabs(d - c->value) <= c->tolerance;
	case CMP_NE: return fabs(d - c->value) > c->tolerance;
	case CMP_LT: return d < c->value + c->tolerance;
	case CMP_LE: return d <= c->value + c->tolerance;
	case CMP_GT: return d > c->value - c->tolerance;
	case CMP_GE: return d >= c->value - c->tolerance;
	}
	return 0;
}

/* Whether the check gives the same verdict for every duration within
 * slack of d: a wire late by slack, or a timer known to within slack,
 * moves the interval by at most that much, either way. Such a verdict
 * stands however the machine kept time; only one the slack could turn is
 * not judged. `=` and `!=` compare against a band: the whole of
 * [d - slack, d + slack] must be inside it or outside it. */
static int verdict_stands(const struct claim_check *c, double d, double slack)
{
	double lo = d - slack, hi = d + slack;
	double blo = c->value - c->tolerance, bhi = c->value + c->tolerance;

	switch (c->op) {
	case CMP_EQ:
	case CMP_NE:
		return (lo >= blo && hi <= bhi) || hi < blo || lo > bhi;
	default:
		return time_compare(c, lo) == time_compare(c, hi);
	}
}

/* Returns 1 if the check holds, 0 if not, -1 if it cannot be evaluated
 * (a reason in sn->note), 2 if it must not be judged: the machine did not
 * keep the wire's time (wire_late; the reason in sn->note). */
static int check_holds(const struct claim_check *c, const struct observations *o, struct seen *sn)
{
	const struct section *s = c->section ? find_section(o, c->section) : NULL;

	memset(sn, 0, sizeof *sn);
	if (c->kind != CHECK_TIME && !s) {
		snprintf(sn->note, sizeof sn->note, "nothing: no '%s' in this run%s", c->section,
			 !strncmp(c->section, "sockets at (", 12) ? " (the step was not reached)" : "");
		return 0;
	}
	switch (c->kind) {
	case CHECK_LINES: {
		int holds = sequence_holds(s, c->pattern);
		sn->section = s;
		return c->negated ? !holds : holds;
	}
	case CHECK_FATE:
		sn->section = s;
		sn->last_only = 1;
		return s->n && claim_pattern_matches(s->lines[s->n - 1].text, c->pattern);
	case CHECK_COUNT: {
		size_t n = count_matches(s, c->pattern);
		sn->section = s;
		snprintf(sn->note, sizeof sn->note, "%zu line%s match%s", n, n == 1 ? "" : "s",
			 n == 1 ? "es" : "");
		return claim_compare((double)n, c->op, c->value);
	}
	case CHECK_TIME: {
		const struct obs_line *a, *b;
		char da[64], db[64], dd[64];
		double ta, tb, d;
		if (!o->timed) {
			snprintf(sn->note, sizeof sn->note, "this run recorded no times (times.txt)");
			return -1;
		}
		if (!(a = find_event(o, &c->from, sn->note, sizeof sn->note)) ||
		    !(b = find_event(o, &c->to, sn->note, sizeof sn->note)))
			return 0;
		ta = c->from.returns ? a->end : a->start;
		tb = c->to.returns ? b->end : b->start;
		if (isnan(ta) || isnan(tb)) {
			const struct claim_event *ev = isnan(ta) ? &c->from : &c->to;
			snprintf(sn->note, sizeof sn->note, "no %s recorded for '%s'",
				 ev->expires ? "timer" : "time", isnan(ta) ? a->text : b->text);
			return 0;
		}
		d = tb - ta;
		format_duration(d, dd, sizeof dd);
		format_duration(ta, da, sizeof da);
		format_duration(tb, db, sizeof db);
		snprintf(sn->note, sizeof sn->note, "%s between '%s' at %s and '%s' at %s", dd,
			 a->text, da, b->text, db);
		{
			/* A timer's due time is known as well as the moment the
			 * kernel read its jiffies (times.txt's third field): a
			 * sock_diag read that took long, the harness preempted
			 * inside it, leaves it vague. */
			double err = (c->from.expires ? a->err : 0) + (c->to.expires ? b->err : 0);
			if (err > late_bound(c)) {
				char de[64];
				size_t k = strlen(sn->note);
				format_duration(err, de, sizeof de);
				if (!verdict_stands(c, d, err)) {
					snprintf(sn->note + k, sizeof sn->note - k,
						 "; not judged: this machine took so long to read the sockets that the timer's "
						 "due time is known only to within %s, more than the check allows", de);
					return 2;
				}
				snprintf(sn->note + k, sizeof sn->note - k,
					 "; the timer's due time is known only to within %s, but no time that close "
					 "would change the verdict", de);
			}
		}
		{
			/* a timer's due time is the snapshot's reading: what
			 * the wire did after the snapshot cannot change it */
			double at = 0, sum = 0, late = wire_late(c, o, c->from.expires ? a->start : ta,
								 c->to.expires ? b->start : tb, &at, &sum);
			if (late > 0) {
				char dl[64], dt[64], ds[64];
				size_t k = strlen(sn->note);
				format_duration(late, dl, sizeof dl);
				format_duration(at, dt, sizeof dt);
				format_duration(sum, ds, sizeof ds);
				if (!verdict_stands(c, d, sum)) {
					snprintf(sn->note + k, sizeof sn->note - k,
						 "; not judged: this machine let a packet the wire held back out %s late, at %s "
						 "(the experiment's wire file), more than the check allows",
						 dl, dt);
					return 2;
				}
				snprintf(sn->note + k, sizeof sn->note - k,
					 "; the wire let a packet out %s late, at %s (%s in all inside the interval), "
					 "but no time that much shorter or longer would change the verdict",
					 dl, dt, ds);
			}
		}
		return time_compare(c, d);
	}
	}
	return -1;
}

static void put_record(FILE *f, const char *exp, const struct claim_item *cl, const char *result,
		       const struct seen *sn, const char *reason)
{
	const char *text = cl->text;
	if (cl->varies) {	/* the record says it in "varies" */
		text += 8;
		while (*text == ' ')
			text++;
	}
	fprintf(f, "claim %d %s\nexperiment %s\ntext %s\nvaries %d\n", cl->line, result, exp,
		text, cl->varies);
	for (size_t i = 0; i < cl->nchecks; i++)
		fprintf(f, "check %s\n", cl->checks[i].text);
	if (sn && sn->note[0])
		fprintf(f, "observed %s\n", sn->note);
	if (sn && sn->section) {
		const struct section *s = sn->section;
		size_t from = 0;
		if (sn->last_only)
			from = s->n ? s->n - 1 : 0;
		else if (s->n > MAX_OBSERVED)
			from = s->n - MAX_OBSERVED;
		if (from && !sn->last_only)
			fprintf(f, "observed ... (%zu lines before)\n", from);
		if (!s->n)
			fprintf(f, "observed (no lines in '%s')\n", s->name);
		for (size_t i = from; i < s->n; i++)
			fprintf(f, "observed %s\n", s->lines[i].text);
	}
	if (reason && reason[0])
		fprintf(f, "reason %s\n", reason);
	fputs("end\n", f);
}

/* Reads one experiment's status from RUNDIR/EXP/meta: 1 ok, 0 failed,
 * 2 skipped (the kernel lacks a feature it needs: code/kernels/
 * skip-experiments.sh wrote "status skipped", "skipped needs FEATURE ..."
 * and perhaps "skipped cause TEXT"; why becomes "skipped: this kernel
 * lacks FEATURE ...: TEXT"), -1 no such run. */
static int run_status(const char *rundir, const char *exp, char *why, size_t len)
{
	char path[PATH_MAX], buf[1024], needs[512] = "", cause[512] = "";
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
		else if (!strcmp(buf, "status skipped"))
			ok = 2;
		else if (!strncmp(buf, "error ", 6) && !why[0])
			snprintf(why, len, "%s", buf + 6);
		else if (!strncmp(buf, "skipped needs ", 14))
			snprintf(needs, sizeof needs, "%s", buf + 14);
		else if (!strncmp(buf, "skipped cause ", 14))
			snprintf(cause, sizeof cause, "%s", buf + 14);
	}
	fclose(f);
	if (ok == 2)
		snprintf(why, len, "skipped: this kernel lacks %s%s%s", needs[0] ? needs : "a feature it needs",
			 cause[0] ? ": " : "", cause);
	return ok;
}

/* Evaluates one block's claims; returns the number that could not be
 * evaluated. */
static int check_block(FILE *out, const char *chapter, const char *rundir,
		       const struct claim_block *b)
{
	struct observations o;
	char dir[PATH_MAX], why[512] = "";
	int status = run_status(rundir, b->experiment, why, sizeof why), bad = 0;

	snprintf(dir, sizeof dir, "%s/%s", rundir, b->experiment);
	load_observations(dir, &o);
	for (size_t i = 0; i < b->items.n; i++) {
		const struct claim_item *cl = &b->items.v[i];
		struct seen sn;
		int verdict = 1;

		if (status != 1 || !o.loaded) {
			put_record(out, b->experiment, cl, "unchecked", NULL,
				   status == 2 ? why
				   : status < 0 || !o.loaded ? "the experiment did not run in this build"
							   : (why[0] ? why : "the experiment failed"));
			continue;
		}
		for (size_t k = 0; k < cl->nchecks && verdict == 1; k++)
			verdict = check_holds(&cl->checks[k], &o, &sn);
		if (verdict == 2) {
			/* code/scripts/step.sh keys on "claim not checked": the
			 * next make runs the experiments again */
			fprintf(stderr, "%s:%d: warning: claim not checked: %s\n", chapter, cl->line, sn.note);
			put_record(out, b->experiment, cl, "unchecked", NULL, sn.note);
			continue;
		}
		if (verdict < 0) {
			fprintf(stderr, "%s:%d: error: claim cannot be checked: %s\n", chapter, cl->line, sn.note);
			put_record(out, b->experiment, cl, "invalid", NULL, sn.note);
			bad++;
			continue;
		}
		put_record(out, b->experiment, cl,
			   verdict ? "confirmed" : cl->varies ? "varies" : "differs",
			   verdict ? NULL : &sn, NULL);
	}
	free_observations(&o);
	return bad;
}

/* -r: the verdicts of RUNDIR/claims.txt. */
static int report(const char *chapter, const char *rundir, int all)
{
	char path[PATH_MAX];
	struct claims c = CLAIMS_INIT;
	int failed = 0;

	snprintf(path, sizeof path, "%s/claims.txt", rundir);
	if (claims_read(path, &c) < 0) {
		if (errno == ENOENT)
			return 0;	/* a chapter without claims */
		fprintf(stderr, "%s: cannot read '%s': %s\n", progname, path, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < c.n; i++) {
		const struct claim *k = &c.v[i];
		char why[1024];
		int bad = strcmp(k->result, "confirmed") && strcmp(k->result, "varies");
		/* A claim of an experiment skipped for a feature the kernel lacks
		 * is not run, and so not a failure of the build: the verdict
		 * names the skipped experiments (code/scripts/verdict.sh). */
		if (bad && !strcmp(k->result, "unchecked") && k->experiment &&
		    run_status(rundir, k->experiment, why, sizeof why) == 2)
			bad = 0;
		if (bad)
			failed = 1;
		if (!bad && !all)
			continue;
		printf("%s:%d: %s: %s\n", chapter, k->line, k->result, k->text ? k->text : "");
		if (bad)
			for (size_t j = 0; j < k->nobserved && j < 6; j++)
				printf("    observed %s\n", k->observed[j]);
		if (bad && k->reason)
			printf("    %s\n", k->reason);
	}
	claims_release(&c);
	return failed;
}

/* Prints s with every tab and line end as a space. */
static void put_field(const char *s)
{
	for (; s && *s; s++)
		putchar(*s == '\t' || *s == '\n' ? ' ' : *s);
}

/* -l: every claim of path, one a line (see the header). */
static int list(const char *path)
{
	struct claims c = CLAIMS_INIT;

	if (claims_read(path, &c) < 0) {
		fprintf(stderr, "%s: cannot read '%s': %s\n", progname, path, strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < c.n; i++) {
		const struct claim *k = &c.v[i];
		put_field(k->result ? k->result : "-");
		printf("\t%d\t", k->line);
		put_field(k->experiment ? k->experiment : "-");
		putchar('\t');
		put_field(k->text);
		putchar('\t');
		for (size_t j = 0; j < k->nobserved; j++) {
			fputs(j ? " | " : "observed ", stdout);
			put_field(k->observed[j]);
		}
		if (k->reason) {
			fputs(k->nobserved ? " | " : "", stdout);
			put_field(k->reason);
		}
		putchar('\n');
	}
	claims_release(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the list: %s\n", progname, strerror(errno));
		return 2;
	}
	return 0;
}

/* -s: one section of a run's observations (see the header). */
static int section(const char *name, const char *dir)
{
	struct observations o;
	const struct section *sc;

	if (load_observations(dir, &o) < 0) {
		fprintf(stderr, "%s: cannot read '%s/observations.txt': %s\n", progname, dir, strerror(errno));
		return 2;
	}
	sc = find_section(&o, name);
	for (size_t i = 0; sc && i < sc->n; i++)
		printf("%s\n", sc->lines[i].text);
	free_observations(&o);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the section: %s\n", progname, strerror(errno));
		return 2;
	}
	return sc ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *chapter = "chapter", *rundir = NULL;
	char path[PATH_MAX], tmp[PATH_MAX], why[1024] = "";
	struct claim_file cf = CLAIM_FILE_INIT;
	int bad = 0, opt, rmode = 0, all = 0, rc;
	FILE *out;

	progname = "claims";
	if (argc == 3 && !strcmp(argv[1], "-l"))
		return list(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "-s"))
		return section(argv[2], argv[3]);
	while ((opt = getopt(argc, argv, "c:o:ra")) != -1) {
		if (opt == 'c')
			chapter = optarg;
		else if (opt == 'o')
			rundir = optarg;
		else if (opt == 'r')
			rmode = 1;
		else if (opt == 'a')
			all = 1;
		else
			goto usage;
	}
	if (rmode && rundir && optind == argc)
		return report(chapter, rundir, all);
	if (rmode && !rundir && optind < argc && (argc - optind) % 2 == 0) {
		int failed = 0;
		for (int i = optind; i < argc; i += 2)
			failed |= report(argv[i], argv[i + 1], all);
		return failed;
	}
	if (!rundir || optind != argc - 1)
		goto usage;
	rc = claims_load(argv[optind], &cf, why, sizeof why);
	if (rc == -1 && errno != ENOENT) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, argv[optind], strerror(errno));
		return 2;
	}
	if (rc == -2) {
		fprintf(stderr, "%s: %s (not a claims file written by tangle)\n", progname, why);
		return 2;
	}
	snprintf(path, sizeof path, "%s/claims.txt", rundir);
	snprintf(tmp, sizeof tmp, "%s/.claims.txt.tmp", rundir);
	out = fopen(tmp, "w");
	if (!out) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, tmp, strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < cf.n; i++)
		bad += check_block(out, chapter, rundir, &cf.v[i]);
	claim_file_release(&cf);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, tmp, strerror(errno));
		fclose(out);
		unlink(tmp);
		return 2;
	}
	if (fclose(out) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, path, strerror(errno));
		unlink(tmp);
		return 2;
	}
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: %s -c CHAPTER.md -o RUNDIR CLAIMS\n"
		"       %s -c CHAPTER.md -o RUNDIR -r [-a]\n"
		"       %s -r [-a] CHAPTER.md RUNDIR [CHAPTER.md RUNDIR]...\n"
		"       %s -l CLAIMS.TXT\n"
		"       %s -s SECTION EXPDIR\n", progname, progname, progname, progname, progname);
	return 2;
}
