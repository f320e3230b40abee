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
	e->at = *t;
	snprintf(e->who, sizeof e->who, "%s", who);
	e->text = xstrdup(text);
	e->seq = r->seq++;
	e->has_end = 0;
	e->has_expiry = 0;
	e->expiry_err_us = 0;
	e->fate = 0;
	e->wait = 0;
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
	k->has_on = c->has_on;
	k->on_fd = c->on_fd;
	k->begin = c->call_t;
	k->from = c->call_h;
	if (end) {
		k->end = k->until = *end;
		k->returned = 1;
	}
}

/* Records every TCP socket of the namespace as timeline entries; note (may
 * be NULL) goes on the header line, for the timeline only. */
void snapshot_sockets(struct run *r, const char *why, const char *note)
{
	struct sockdiag_entry es[64];
	char msg[256], line[1400];
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
	snprintf(line, sizeof line, "(%s) %d TCP socket%s%s", why, n, n == 1 ? "" : "s", note ? note : "");
	add_event(r, &now, "sockets", line);
	for (int i = 0; i < n; i++) {
		struct event *e = add_event(r, &now, "socket", sockdiag_format(&es[i], line, sizeof line));
		/* When its timer fires, from sock_diag's idiag_expires (ms; the
		 * kernel's jiffies_delta_to_msecs()): for times.txt only, so that
		 * a claim can time a timer without its milliseconds entering the
		 * observations. */
		if (es[i].timer > 0) {
			/* from when the kernel read its jiffies, not from when
			 * the harness finished reading both namespaces */
			e->expiry = es[i].read_at;
			e->expiry_err_us = es[i].read_err_us;
			e->expiry.tv_sec += es[i].expires_ms / 1000;
			e->expiry.tv_nsec += (long)(es[i].expires_ms % 1000) * 1000000L;
			if (e->expiry.tv_nsec >= 1000000000L) {
				e->expiry.tv_sec++;
				e->expiry.tv_nsec -= 1000000000L;
			}
			e->has_expiry = 1;
		}
	}
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

/* observations.txt and times.txt, written line for line together. */
struct obsout {
	FILE *f, *t;
	struct normaliser n;
	const struct timespec *t0;
};

static void obs_section(struct obsout *o, const char *fmt, const char *name)
{
	fprintf(o->f, fmt, name);
	fputc('\n', o->f);
	fputs("-\n", o->t);
}

/* One line; packet 1 for a trace line. start and end may be NULL. */
static void obs_line(struct obsout *o, int packet, const char *text,
		     const struct timespec *start, const struct timespec *end)
{
	char line[4096];
	normalise_line(&o->n, packet, text, line, sizeof line);
	fprintf(o->f, "  %s\n", line);
	if (start)
		fprintf(o->t, "%.6f ", seconds_since(o->t0, start));
	else
		fputs("- ", o->t);
	if (end)
		fprintf(o->t, "%.6f\n", seconds_since(o->t0, end));
	else
		fputs("-\n", o->t);
}

/* A normalised socket line and the event it came from. */
struct sockline {
	char text[1400];
	const struct event *e;
};

static int by_normalised(const void *a, const void *b)
{
	const struct sockline *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	return c ? c : (x->e->seq < y->e->seq ? -1 : x->e->seq > y->e->seq);
}

/*
 * The n socket lines of one snapshot, in the order of their normalised text.
 * sockdiag_read() sorts by address, real ports and all; when three clients'
 * connect()s interleave, which client got the lowest port varies from run to
 * run, and so would the order of the lines. Sorted by the names a reader
 * sees (<p1>, <p2>, ... given in the order the packets show them), the order
 * is a function of the normalised observation alone. The lines are
 * normalised in the order sock_diag gave them, so a port that no packet
 * showed before still gets its symbol where it did.
 */
static void obs_snapshot(struct obsout *o, const struct event *es, size_t n)
{
	struct sockline *l = xmalloc((n ? n : 1) * sizeof *l);

	for (size_t i = 0; i < n; i++) {
		normalise_line(&o->n, 0, es[i].text, l[i].text, sizeof l[i].text);
		l[i].e = &es[i];
	}
	qsort(l, n, sizeof *l, by_normalised);
	for (size_t i = 0; i < n; i++) {
		const struct event *e = l[i].e;
		fprintf(o->f, "  %s\n", l[i].text);
		fprintf(o->t, "%.6f ", seconds_since(o->t0, &e->t));
		if (e->has_expiry)
			fprintf(o->t, "%.6f %.6f\n", seconds_since(o->t0, &e->expiry),
				(double)e->expiry_err_us / 1e6);
		else
			fputs("-\n", o->t);
	}
	free(l);
}

#define OUTPUT_LINES 2000	/* lines of a program's output in its section */

/* A program's output file as a section: control characters as '?', at
 * most OUTPUT_LINES lines. */
static void obs_output(struct obsout *o, struct run *r, const char *role, const char *ext)
{
	char name[160], path[PATH_MAX], head[200], buf[4096];
	FILE *in;
	int lines = 0;

	snprintf(head, sizeof head, "%s %s", !strcmp(ext, "stdout") ? "output" : "stderr", role);
	obs_section(o, "%s", head);
	role_file(role, ext, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", r->dir, name);
	in = fopen(path, "r");
	if (!in)
		return;
	while (fgets(buf, sizeof buf, in)) {
		size_t k = strlen(buf);
		if (k && buf[k - 1] == '\n')
			buf[--k] = '\0';
		for (char *p = buf; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		if (++lines > OUTPUT_LINES) {
			obs_line(o, 0, "... (more lines not kept)", NULL, NULL);
			break;
		}
		obs_line(o, 0, buf, NULL, NULL);
	}
	fclose(in);
}

/* "fd3=LISTEN@9999 fd4=CLOSE_WAIT@9999" -> "fd3=LISTEN fd4=CLOSE_WAIT". */
static void states_without_ports(const char *in, char *out, size_t len)
{
	size_t k = 0;
	for (const char *p = in; *p && k + 1 < len; p++) {
		if (*p == '@') {
			while (p[1] && p[1] != ' ')
				p++;
			continue;
		}
		out[k++] = *p;
	}
	out[k] = '\0';
	if (!k)
		snprintf(out, len, "-");
}

/*
 * observations.txt: what happened, without times and with the values that
 * change on every run made symbolic (normalise.h). Grouped by source so that
 * two processes racing each other do not reorder it: the packets in wire
 * order, each program's calls and fate in its own order (then each forked
 * child's, in the order they said hello), the socket states at each step,
 * then each program's output and error lines. Two runs on one kernel give
 * the same file; the tests and the kernel comparison rely on that.
 *
 * states.txt: in the same form, "states ROLE" sections: the states of a
 * program's sockets as it entered each call ("fd3=LISTEN | accept(...) =
 * 4"). Not part of the observations: a call that blocks until a segment
 * arrives (recv() waiting for the FIN) enters before or after the segment
 * by timing, so two runs may differ. Claims read it ("ROLE states:").
 *
 * times.txt: for each line of observations.txt, the same line's times, in
 * seconds since the first program started: "START END" for a call that
 * returned or a socket whose timer runs (END: when the timer fires, the
 * snapshot's time plus sock_diag's idiag_expires), "START -" for any other
 * line that has a time (a packet, a step, a fate, a socket without a
 * timer), "- -" for a line without one and "-" for a section's name. Only time checks read it (code/check/claims.c), so times never
 * enter the comparison of two runs.
 */
void write_observations(struct run *r)
{
	struct obsout o;
	char path[PATH_MAX], tpath[PATH_MAX];

	memset(&o, 0, sizeof o);
	o.t0 = &r->t0;
	snprintf(path, sizeof path, "%s/observations.txt", r->dir);
	snprintf(tpath, sizeof tpath, "%s/times.txt", r->dir);
	o.f = fopen(path, "w");
	o.t = fopen(tpath, "w");
	if (!o.f || !o.t) {
		add_error(r, "cannot write '%s': %s", o.f ? tpath : path, strerror(errno));
		if (o.f)
			fclose(o.f);
		if (o.t)
			fclose(o.t);
		return;
	}
	/* children in name order, not in the order they happened to say hello */
	qsort(r->children, (size_t)r->nchildren, sizeof r->children[0],
	      (int (*)(const void *, const void *))strcmp);
	obs_section(&o, "%s", "packets");
	for (size_t i = 0; i < r->npackets; i++)
		obs_line(&o, 1, r->marked[i], &r->ptimes[i], NULL);
	int nroles = r->x->nroles + r->nchildren;
	for (int k = 0; k < nroles; k++) {
		const char *role = k < r->x->nroles ? r->x->roles[k].name : r->children[k - r->x->nroles];
		obs_section(&o, "role %s", role);
		for (size_t i = 0; i < r->nevents; i++) {
			const struct event *e = &r->events[i];
			if (strcmp(e->who, role) || e->wait || !strncmp(e->text, "started ", 8))
				continue;
			obs_line(&o, 0, e->text, &e->t, e->has_end ? &e->end : NULL);
		}
	}
	for (size_t i = 0; i < r->nevents; i++) {
		const struct event *e = &r->events[i];
		if (!strcmp(e->who, "sockets")) {
			const char *close = strchr(e->text, ')');
			char head[700];
			snprintf(head, sizeof head, "%.*s", close ? (int)(close - e->text + 1) : 0, e->text);
			obs_section(&o, "sockets at %s", head);
		} else if (!strcmp(e->who, "socket")) {
			size_t j = i;
			while (j < r->nevents && !strcmp(r->events[j].who, "socket"))
				j++;
			obs_snapshot(&o, r->events + i, j - i);
			i = j - 1;
		}
	}
	for (int k = 0; k < nroles; k++) {
		const char *role = k < r->x->nroles ? r->x->roles[k].name : r->children[k - r->x->nroles];
		obs_output(&o, r, role, "stdout");
		obs_output(&o, r, role, "stderr");
	}
	if (fclose(o.f) != 0)
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
	if (fclose(o.t) != 0)
		add_error(r, "cannot write '%s': %s", tpath, strerror(errno));
	snprintf(path, sizeof path, "%s/states.txt", r->dir);
	o.f = fopen(path, "w");
	o.t = fopen("/dev/null", "w");
	if (!o.f || !o.t) {
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
		if (o.f)
			fclose(o.f);
		if (o.t)
			fclose(o.t);
		return;
	}
	for (int k = 0; k < nroles; k++) {
		const char *role = k < r->x->nroles ? r->x->roles[k].name : r->children[k - r->x->nroles];
		obs_section(&o, "states %s", role);
		for (size_t i = 0; i < r->ncalls; i++) {
			const struct callrec *c = &r->calls[i];
			char st[1024], line[4200];
			if (strcmp(c->role, role))
				continue;
			states_without_ports(c->state, st, sizeof st);
			snprintf(line, sizeof line, "%s | %s", st, c->text);
			obs_line(&o, 0, line, NULL, NULL);
		}
	}
	if (fclose(o.f) != 0)
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
	fclose(o.t);
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
/* The endpoints of a tcpdump line "IP A.p > B.q: ...": src and dst as
 * text (at most n-1 bytes each). Returns 0, or -1 if the line has none. */
static int endpoints(const char *line, char *src, char *dst, size_t n)
{
	const char *ip = strstr(line, "IP "), *gt, *colon;
	size_t skip = 3;
	if (!ip && (ip = strstr(line, "IP6 ")))
		skip = 4;
	/* an IPv6 address has colons of its own: the port ends at ": " */
	if (!ip || !(gt = strstr(ip, " > ")) || !(colon = strstr(gt + 3, ": ")))
		return -1;
	snprintf(src, n, "%.*s", (int)(gt - ip - skip), ip + skip);
	snprintf(dst, n, "%.*s", (int)(colon - gt - 3), gt + 3);
	return 0;
}

/* Whether a tcpdump line is a pure acknowledgement: flags "." and no data. */
static int pure_ack(const char *line)
{
	const char *len = strstr(line, ", length ");
	return strstr(line, "Flags [.],") && len && len[9] == '0' &&
	       !(len[10] >= '0' && len[10] <= '9');
}

/* Whether the program of call k, which never returned, had ended (its
 * fate recorded) before event e. */
static int fate_before(const struct run *r, const struct callrec *k, const struct event *e)
{
	for (size_t j = 0; j < r->nevents; j++) {
		const struct event *x = &r->events[j];
		if (x->fate && !strcmp(x->who, k->role) && by_time(x, e) < 0)
			return 1;
	}
	return 0;
}

/*
 * Which packet the pure acknowledgement events[j] answers: looking back on
 * its connection, the last segment the other way that carried a SYN, a
 * FIN, data or a reset, or that was itself a probe (probe[], see below),
 * provided it came after the acknowledgement's sender's own previous
 * segment. Returns its index, or -1 when there is none: the ACK then
 * answers nothing (a keep-alive or window probe, tcp_xmit_probe_skb(),
 * which repeats snd_una - 1 and acknowledges nothing new; a window update)
 * and the caller files it by its send time, like a SYN or data.
 */
static size_t answered(const struct run *r, size_t j, const unsigned char *probe)
{
	char src[128], dst[128], s2[128], d2[128];

	if (endpoints(r->events[j].text, src, dst, sizeof src) < 0)
		return (size_t)-1;
	for (size_t q = j; q-- > 0;) {
		const struct event *o = &r->events[q];
		if (strcmp(o->who, "wire") || !strstr(o->text, "Flags [") ||
		    endpoints(o->text, s2, d2, sizeof s2) < 0)
			continue;
		if (!strcmp(s2, src) && !strcmp(d2, dst))
			return (size_t)-1;	/* its sender spoke since */
		if (strcmp(s2, dst) || strcmp(d2, src))
			continue;	/* another connection */
		if (strstr(o->text, "[dropped by the wire]"))
			continue;	/* never reached the sender */
		if (!pure_ack(o->text) || probe[q])
			return q;
	}
	return (size_t)-1;
}

/* calls.txt's state for a call lab.h did not say the descriptor of (poll()
 * on several, fcntl(), a function of the chapter's own): the states of all
 * the program's sockets before it, each state once, in descriptor order
 * ("fd3=LISTEN@9999 fd4=CLOSE_WAIT@9999" -> "LISTEN CLOSE_WAIT"); for
 * close() only the socket it closed, the one missing from the program's
 * sockets at its next call. */
static void print_states(FILE *f, const struct run *r, size_t i)
{
	const struct callrec *k = &r->calls[i];
	const char *p;
	int first = 1;
	char seen[1024] = " ";

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
		char word[64];
		snprintf(word, sizeof word, " %.*s ", (int)n, p + 1);
		if (strstr(seen, word))
			continue;	/* each state once */
		if (strlen(seen) + strlen(word) < sizeof seen)
			strcat(seen, word + 1);
		fprintf(f, "%s%.*s", first ? "" : " ", (int)n, p + 1);
		first = 0;
	}
	if (first)
		fputs("-", f);
}

void write_calls(struct run *r)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/calls.txt", r->dir);
	f = fopen(path, "w");
	if (!f)
		return;
	/*
	 * Each packet belongs to at most one call, decided by what the run
	 * records the same way every time, not by how two programs' calls
	 * happened to overlap:
	 *
	 * - a SYN, a FIN, data or a reset goes to the call of its sender (the
	 *   role whose sockets had its source port) that was running when the
	 *   sender gave it to the network (its time "at", capture.c and
	 *   wire.h): a call that sends a segment sends it before it returns,
	 *   so the packet falls inside the call whatever the scheduler did
	 *   after; with a wire the call runs until the harness has read what
	 *   it queued (labproto.h, LAB_ENV_SYNC). A call that never returned
	 *   runs until its program ended;
	 * - a SYN-ACK answers the SYN before it, a bare acknowledgement the
	 *   last segment the other way that carried a SYN, a FIN, data or a
	 *   reset (or was a probe, below) and came in after the ACK's
	 *   sender's own previous segment, and a reset sent while no call of
	 *   its sender ran, or inside one but after a segment the other way
	 *   that came in while the call ran, answers the last segment the
	 *   other way (its sender's kernel's reply to it: tcp_v4_send_reset()):
	 *   each goes with the packet it answers, whether the kernel sent it
	 *   at once, from the socket's backlog when the owner released it
	 *   (release_sock()), after the delayed-ACK timer, or from ksoftirqd.
	 *   Which of these it was depends on scheduling, not on the programs;
	 * - a bare acknowledgement with nothing to answer (answered(): a
	 *   keep-alive or window probe, tcp_xmit_probe_skb(), which repeats
	 *   snd_una - 1 and acknowledges nothing new) is filed by its send
	 *   time, like a SYN or data; the peer's ACK of it answers it;
	 * - a packet the wire dropped never reached the other side: it goes
	 *   to its sender's call or to none, never to a call of the side
	 *   that would have received it;
	 * - anything else (a timer's retransmission while no call of its
	 *   sender ran, a segment the wire injected) belongs to none.
	 *
	 * So a call blocked in recv() or accept() is not credited with what
	 * the other program's calls sent.
	 */
	size_t *owner = xmalloc((r->nevents + 1) * sizeof *owner);
	unsigned char *probe = xmalloc(r->nevents + 1);
	for (size_t j = 0; j < r->nevents; j++) {
		const struct event *e = &r->events[j];
		char src[128], dst[128];
		const char *fl;
		int ack = 0, synack = 0, rst = 0, done = 0;
		unsigned sport;

		owner[j] = (size_t)-1;
		probe[j] = 0;
		if (strcmp(e->who, "wire") || !(fl = strstr(e->text, "Flags [")))
			continue;
		if (strstr(e->text, "[injected by the wire]"))
			continue;
		ack = pure_ack(e->text);
		synack = !strncmp(fl, "Flags [S.]", 10);
		rst = fl[7] == 'R';
		sport = src_port(e->text);
		if (ack) {
			size_t q = answered(r, j, probe);
			if (q != (size_t)-1) {
				owner[j] = owner[q];
				done = 1;
			} else {
				probe[j] = 1;	/* answers nothing: by its time */
			}
		}
		if (!done && !synack) {
			const struct event at = { .t = e->at, .seq = e->seq };
			for (size_t i = 0; i < r->ncalls; i++) {
				const struct callrec *k = &r->calls[i];
				if (!role_has_port(r, k->role, sport))
					continue;
				if (by_time(&(struct event){ .t = k->from }, &at) > 0)
					continue;	/* not begun yet */
				if (k->returned && by_time(&(struct event){ .t = k->until, .seq = ~0u }, &at) < 0)
					continue;	/* returned before it */
				if (!k->returned && fate_before(r, k, e))
					continue;	/* its program had ended */
				if (owner[j] == (size_t)-1 ||
				    by_time(&(struct event){ .t = r->calls[owner[j]].from }, &(struct event){ .t = k->from }) <= 0)
					owner[j] = i;
			}
			/* A reset that follows, inside the call, a segment the
			 * other way that arrived after the call began answers
			 * that segment (the kernel's reply to it), not the call. */
			if (owner[j] != (size_t)-1 && rst && endpoints(e->text, src, dst, sizeof src) == 0) {
				for (size_t q = j; q-- > 0;) {
					const struct event *o = &r->events[q];
					char s2[128], d2[128];
					if (strcmp(o->who, "wire") || !strstr(o->text, "Flags [") ||
					    endpoints(o->text, s2, d2, sizeof s2) < 0 || strcmp(s2, dst) || strcmp(d2, src))
						continue;
					if (by_time(&(struct event){ .t = o->at, .seq = o->seq },
						    &(struct event){ .t = r->calls[owner[j]].from }) >= 0)
						owner[j] = (size_t)-1;
					break;
				}
			}
			done = owner[j] != (size_t)-1 || !rst;
		}
		/* a SYN-ACK, or a reset no call sent: the packet it answers,
		 * the last one the other way (for a SYN-ACK, the SYN) */
		if (!done && endpoints(e->text, src, dst, sizeof src) == 0) {
			for (size_t q = j; q-- > 0;) {
				const struct event *o = &r->events[q];
				const char *ofl;
				char s2[128], d2[128];
				if (strcmp(o->who, "wire") || !(ofl = strstr(o->text, "Flags [")) ||
				    endpoints(o->text, s2, d2, sizeof s2) < 0 || strcmp(s2, dst) || strcmp(d2, src))
					continue;
				if (synack && strncmp(ofl, "Flags [S]", 9))
					continue;
				owner[j] = owner[q];
				break;
			}
		}
		/* A packet the wire dropped was sent, not received: it may
		 * be its sender's call's ("> [.]"), never the other side's. */
		if (owner[j] != (size_t)-1 && strstr(e->text, "[dropped by the wire]") &&
		    !role_has_port(r, r->calls[owner[j]].role, sport))
			owner[j] = (size_t)-1;
	}
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct callrec *k = &r->calls[i];
		const char *res = k->text + k->call_len;
		char fate[160] = "";
		int first = 1;

		fprintf(f, "%s\t", k->role);
		if (k->has_on) {
			/* the socket the call acts on (lab.h said which): its
			 * word "fdN=STATE@PORT" before the call; "-" for
			 * socket() (-1) and for a descriptor that was no TCP
			 * socket (closed, say) */
			char key[32];
			const char *w = NULL, *q = k->state;
			snprintf(key, sizeof key, "fd%d=", k->on_fd);
			while (k->on_fd >= 0 && !w && (q = strstr(q, key))) {
				if (q == k->state || q[-1] == ' ')
					w = q + strlen(key);
				q++;
			}
			if (w)
				fprintf(f, "%.*s", (int)strcspn(w, "@ "), w);
			else
				fputs("-", f);
		} else
			print_states(f, r, i);
		if (!strncmp(res, " = ", 3))
			res += 3;
		if (!k->returned) {
			for (int j = 0; j < r->x->nroles; j++)
				if (!strcmp(r->x->roles[j].name, k->role))
					describe_fate(r->x, &r->x->roles[j], fate, sizeof fate);
			res = fate[0] ? fate : "?";
		}
		fprintf(f, "\t%.*s\t%s\t", (int)k->call_len, k->text, res);
		first = 1;
		for (size_t j = 0; j < r->nevents; j++) {
			const struct event *e = &r->events[j];
			const char *fl;
			if (strcmp(e->who, "wire") || owner[j] != i)
				continue;
			fl = strstr(e->text, "Flags [");
			fprintf(f, "%s%c %.*s", first ? "" : " ",
				role_has_port(r, k->role, src_port(e->text)) ? '>' : '<',
				(int)(strchr(fl, ']') ? strchr(fl, ']') - (fl + 6) + 1 : 0), fl + 6);
			first = 0;
		}
		fputs("\n", f);
	}
	free(owner);
	free(probe);
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
