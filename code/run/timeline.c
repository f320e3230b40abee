/* timeline.c: the merged timeline, observations.txt and calls.txt. */
#include "run.h"

/* --- the timeline ------------------------------------------------------------ */

struct event *add_event(struct run *r, const struct timespec *t, const char *who, const char *text)
{
	struct event *e;

	if (r->nevents == r->events_cap) {
		r->events_cap = r->events_cap ? r->events_cap * 2 : 256;
		r->events = xrealloc(r->events, r->events_cap * sizeof *r->events);
	}
	e = &r->events[r->nevents++];
	e->t = *t;
	snprintf(e->who, sizeof e->who, "%s", who);
	e->text = xstrdup(text);
	e->seq = r->seq++;
	e->has_end = 0;
	e->fate = 0;
	return e;
}

void add_call(struct run *r, struct conn *c, const char *text, size_t call_len,
		     const struct timespec *end)
{
	struct callrec *k;

	if (r->ncalls == r->calls_cap) {
		r->calls_cap = r->calls_cap ? r->calls_cap * 2 : 64;
		r->calls = xrealloc(r->calls, r->calls_cap * sizeof *r->calls);
	}
	k = &r->calls[r->ncalls++];
	memset(k, 0, sizeof *k);
	snprintf(k->role, sizeof k->role, "%s", c->role);
	k->state = xstrdup(c->state ? c->state : "");
	k->after = xstrdup(end && c->after ? c->after : "");
	k->text = xstrdup(text);
	k->call_len = call_len;
	k->begin = c->call_t;
	if (end) {
		k->end = *end;
		k->returned = 1;
	}
}

/* Records every TCP socket of the namespace as timeline entries. */
void snapshot_sockets(struct run *r, const char *why)
{
	struct sockdiag_entry es[64];
	char msg[256], line[256];
	struct timespec now;
	int n = sockdiag_read(es, 64, msg, sizeof msg);

	if (n >= 0 && r->wire) {	/* the link's right side (wire.h) */
		int k = wire_peer_sockets(r->wire, es + n, 64 - n, msg, sizeof msg);
		n = k < 0 ? k : n + k;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	if (n < 0) {
		add_event(r, &now, "sockets", msg);
		return;
	}
	snprintf(line, sizeof line, "(%s) %d TCP socket%s", why, n, n == 1 ? "" : "s");
	add_event(r, &now, "sockets", line);
	for (int i = 0; i < n; i++)
		add_event(r, &now, "socket", sockdiag_format(&es[i], line, sizeof line));
}

int by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->t.tv_sec != y->t.tv_sec)
		return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
	if (x->t.tv_nsec != y->t.tv_nsec)
		return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * observations.txt: what happened, without times and with the values that
 * change on every run made symbolic (normalise.h). Grouped by source so that
 * two processes racing each other do not reorder it: the packets in wire
 * order, each program's calls and fate in its own order, and the socket
 * states at each step. Two runs on one kernel give the same file; the tests
 * and the kernel comparison rely on that.
 */
void write_observations(struct run *r)
{
	struct normaliser n;
	char path[PATH_MAX], line[4096];
	FILE *f;

	memset(&n, 0, sizeof n);
	snprintf(path, sizeof path, "%s/observations.txt", r->dir);
	f = fopen(path, "w");
	if (!f) {
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
		return;
	}
	fprintf(f, "packets\n");
	for (size_t i = 0; i < r->npackets; i++) {
		normalise_line(&n, 1, r->marked[i], line, sizeof line);
		fprintf(f, "  %s\n", line);
	}
	for (int k = 0; k < r->x->nroles; k++) {
		const char *role = r->x->roles[k].name;
		fprintf(f, "role %s\n", role);
		for (size_t i = 0; i < r->nevents; i++) {
			const struct event *e = &r->events[i];
			if (strcmp(e->who, role) || !strncmp(e->text, "started ", 8))
				continue;
			normalise_line(&n, 0, e->text, line, sizeof line);
			fprintf(f, "  %s\n", line);
		}
	}
	for (size_t i = 0; i < r->nevents; i++) {
		const struct event *e = &r->events[i];
		if (!strcmp(e->who, "sockets")) {
			const char *close = strchr(e->text, ')');
			fprintf(f, "sockets at %.*s\n", close ? (int)(close - e->text + 1) : 0, e->text);
		} else if (!strcmp(e->who, "socket")) {
			normalise_line(&n, 0, e->text, line, sizeof line);
			fprintf(f, "  %s\n", line);
		}
	}
	fclose(f);
}

/* The local ports a role's sockets had at any call: which packets it sent. */
int role_has_port(const struct run *r, const char *role, unsigned port)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		if (strcmp(r->calls[i].role, role))
			continue;
		for (int k = 0; k < 2; k++) {
			const char *p = k ? r->calls[i].after : r->calls[i].state;
			while ((p = strchr(p, '@'))) {
				if ((unsigned)strtoul(p + 1, NULL, 10) == port)
					return 1;
				p++;
			}
		}
	}
	return 0;
}

/* The source port of a tcpdump line, 0 if it has none. */
unsigned src_port(const char *line)
{
	const char *gt = strstr(line, " > "), *p;
	if (!gt)
		return 0;
	for (p = gt; p > line && p[-1] != '.' && p[-1] != ' '; p--)
		;
	return p > line && p[-1] == '.' ? (unsigned)strtoul(p, NULL, 10) : 0;
}

/*
 * calls.txt: one line per SHOWn call, for the book's table of what each call
 * does in each state: ROLE, the states of its sockets just before the call
 * (fd numbers and ports dropped), the call, its result, and the packets on
 * the wire while it ran, "> [F.]" sent by this role, "< [.]" received.
 * A call that never returned has as result how the program ended.
 */
void write_calls(struct run *r)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/calls.txt", r->dir);
	f = fopen(path, "w");
	if (!f)
		return;
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct callrec *k = &r->calls[i];
		const char *res = k->text + k->call_len, *p;
		char fate[160] = "";
		int first = 1;

		fprintf(f, "%s\t", k->role);
		/* "fd3=LISTEN@9999 fd4=CLOSE_WAIT@9999" -> "LISTEN CLOSE_WAIT".
		 * For close() the socket it closed is known: the one missing
		 * from the program's sockets at its next call. */
		const char *next = NULL;
		if (!strncmp(k->text, "close(", 6))
			for (size_t j = i + 1; j < r->ncalls && !next; j++)
				if (!strcmp(r->calls[j].role, k->role))
					next = r->calls[j].state;
		for (p = k->state; (p = strchr(p, '=')); p++) {
			const char *at = strchr(p, '@'), *fd = p;
			size_t n = at ? (size_t)(at - p - 1) : strlen(p + 1);
			while (fd > k->state && fd[-1] != ' ')
				fd--;
			if (next) {
				/* keep it only if "fdN=" is gone from the next state */
				char key[32];
				snprintf(key, sizeof key, "%.*s", (int)(p - fd + 1), fd);
				const char *q = next;
				int gone = 1;
				while ((q = strstr(q, key))) {
					if (q == next || q[-1] == ' ')
						gone = 0;
					q++;
				}
				if (!gone)
					continue;
			}
			fprintf(f, "%s%.*s", first ? "" : " ", (int)n, p + 1);
			first = 0;
		}
		if (first)
			fputs("-", f);
		if (!strncmp(res, " = ", 3))
			res += 3;
		if (!k->returned) {
			for (int j = 0; j < r->x->nroles; j++)
				if (!strcmp(r->x->roles[j].name, k->role))
					describe_fate(r->x, &r->x->roles[j], fate, sizeof fate);
			res = fate[0] ? fate : "?";
		}
		fprintf(f, "\t%.*s\t%s\t", (int)k->call_len, k->text, res);
		/* The packets that count end where another program starts a call
		 * of its own: from then on it may be their cause (the server's
		 * close() sending a FIN while the client's send() had not yet
		 * been seen to return). */
		struct timespec until = k->end;
		int bounded = k->returned;
		for (size_t j = 0; j < r->ncalls; j++) {
			const struct callrec *o = &r->calls[j];
			if (!strcmp(o->role, k->role) || by_time(&(struct event){ .t = o->begin }, &(struct event){ .t = k->begin }) <= 0)
				continue;
			if (!bounded || by_time(&(struct event){ .t = o->begin }, &(struct event){ .t = until }) < 0) {
				until = o->begin;
				bounded = 1;
			}
		}
		first = 1;
		for (size_t j = 0; j < r->nevents; j++) {
			const struct event *e = &r->events[j];
			const char *fl;
			if (strcmp(e->who, "wire") || by_time(e, &(struct event){ .t = k->begin }) < 0)
				continue;
			if (bounded && by_time(e, &(struct event){ .t = until, .seq = ~0u }) > 0)
				break;
			fl = strstr(e->text, "Flags [");
			if (!fl)
				continue;
			fprintf(f, "%s%c %.*s", first ? "" : " ",
				role_has_port(r, k->role, src_port(e->text)) ? '>' : '<',
				(int)(strchr(fl, ']') ? strchr(fl, ']') - (fl + 6) + 1 : 0), fl + 6);
			first = 0;
		}
		fputs("\n", f);
	}
	fclose(f);
}

void write_timeline(struct run *r)
{
	char path[PATH_MAX];
	FILE *f;

	struct event *out;
	size_t n = 0;

	if (r->nevents)
		qsort(r->events, r->nevents, sizeof *r->events, by_time);
	/* A call during which anything else happened is shown in two parts,
	 * as strace shows an interrupted call: "recv(...) <unfinished ...>"
	 * when it started and "<... recv resumed> = 0" when it returned. */
	out = xrealloc(NULL, (2 * r->nevents + 1) * sizeof *out);
	for (size_t i = 0; i < r->nevents; i++) {
		const struct event *e = &r->events[i];
		int split = 0;
		out[n++] = *e;
		if (!e->has_end)
			continue;
		for (size_t j = i + 1; j < r->nevents && by_time(&(struct event){ .t = e->end, .seq = ~0u }, &r->events[j]) > 0; j++)
			if (strcmp(r->events[j].who, e->who) || !r->events[j].has_end) {
				split = 1;
				break;
			}
		if (split) {
			const char *paren = memchr(e->text, '(', e->call_len);
			char *a = xrealloc(NULL, e->call_len + 32), *b;
			size_t bl = strlen(e->text) + 64;
			snprintf(a, e->call_len + 32, "%.*s <unfinished ...>", (int)e->call_len, e->text);
			b = xrealloc(NULL, bl);
			snprintf(b, bl, "<... %.*s resumed>%s", paren ? (int)(paren - e->text) : 0, e->text,
				 e->text + e->call_len);
			out[n - 1].text = a;
			out[n] = *e;
			out[n].t = e->end;
			out[n].text = b;
			n++;
		}
	}
	if (n)
		qsort(out, n, sizeof *out, by_time);
	snprintf(path, sizeof path, "%s/timeline.txt", r->dir);
	f = fopen(path, "w");
	if (!f) {
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
		free(out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%10.6f  %-8s %s\n", seconds_since(&r->t0, &out[i].t), out[i].who, out[i].text);
	fclose(f);
	free(out);
}
