/* diagram.c: a timeline.txt read into lifelines and rows (see diagram.h). */
#include "diagram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* One line of the timeline: "  0.008953  wire     IP 127.0.0.1..." */
struct entry {
	double t;
	int line;
	char *who;		/* points into the parser's copy of the text */
	char *text;
};

/* A LISTEN socket of a snapshot: who owns it is inferred (owner). */
struct listener {
	char addr[64];
	unsigned port;
	double first_seen, seen_before;	/* its first snapshot, the one before */
	int owner;
};

/* A call that may send a SYN (connect, sendto and sendmsg for Fast Open). */
struct opener {
	int role;
	double start, end;	/* end: when it returned, or a huge time */
	int used;
	int line;
};

/* What the reader carries between its passes: no globals. */
struct reader {
	struct diagram *d;
	struct entry *e;
	size_t ne;
	struct listener *ls;
	size_t nls, ls_cap;
	struct opener *op;
	size_t nop, op_cap;
	char **owner_keys;	/* endpoint (tcpdump form) -> lifeline */
	int *owner_vals;
	size_t nowners, owners_cap;
	struct map owners;	/* the same, hashed (keys: owner_keys) */
	struct map conn_ids;	/* "A B", A < B -> connection (keys: conn_keys) */
	char **conn_keys;
	size_t conn_keys_cap, conns_cap;
	char **last_states;	/* per lifeline: the states last drawn */
};

/* ---- small parsers --------------------------------------------------------- */

static int is_infra(const char *who)
{
	return !strcmp(who, "wire") || !strcmp(who, "sockets") || !strcmp(who, "socket") ||
	       !strcmp(who, "harness");
}

/* Removes a trailing " [MARK]" from s; returns 1 if it was there. */
static int strip_marker(char *s, const char *mark)
{
	size_t n = strlen(s), m = strlen(mark);
	if (n > m + 2 && s[n - m - 3] == ' ' && s[n - m - 2] == '[' && s[n - 1] == ']' &&
	    !memcmp(s + n - m - 1, mark, m)) {
		s[n - m - 3] = '\0';
		return 1;
	}
	return 0;
}

/* What the wire did to a packet, from the marker at the end of its line
 * (removed): " [dropped]" or " [dropped by the wire]", " [injected]" or
 * " [injected by the wire]", " [delayed 200 ms by the wire]" (the delay
 * copied to delay). Returns RF_ flags. */
static unsigned wire_marker(char *s, char *delay, size_t len)
{
	unsigned fl = 0;
	delay[0] = '\0';
	for (;;) {
		size_t n = strlen(s);
		char *open = n ? strrchr(s, '[') : NULL, *what;
		if (!open || open == s || open[-1] != ' ' || s[n - 1] != ']')
			return fl;
		what = open + 1;
		s[n - 1] = '\0';
		if (strlen(what) > 12 && !strcmp(what + strlen(what) - 12, " by the wire"))
			what[strlen(what) - 12] = '\0';
		if (!strcmp(what, "dropped"))
			fl |= RF_DROPPED;
		else if (!strcmp(what, "injected"))
			fl |= RF_INJECTED;
		else if (!strncmp(what, "delayed ", 8))
			snprintf(delay, len, "%s", what);
		else {
			s[n - 1] = ']';	/* not ours: a part of the line */
			return fl;
		}
		open[-1] = '\0';
	}
}

/* "IP 127.0.0.1.53726 > 127.0.0.1.9999: Flags ..." -> the two endpoints as
 * tcpdump prints them. Both must end in ".PORT". Returns 0 or -1. */
static int packet_ends(const char *pkt, char *src, char *dst, size_t len)
{
	const char *p = strchr(pkt, ' '), *gt, *colon, *dot;

	if (!p)
		return -1;
	p++;
	gt = strstr(p, " > ");
	if (!gt)
		return -1;
	colon = strstr(gt + 3, ": ");
	if (!colon || (size_t)(gt - p) >= len || (size_t)(colon - gt - 3) >= len)
		return -1;
	memcpy(src, p, (size_t)(gt - p));
	src[gt - p] = '\0';
	memcpy(dst, gt + 3, (size_t)(colon - gt - 3));
	dst[colon - gt - 3] = '\0';
	for (int k = 0; k < 2; k++) {
		const char *s = k ? dst : src;
		dot = strrchr(s, '.');
		size_t dots = 0;
		for (const char *c = s; *c; c++)
			dots += *c == '.';
		/* "a.b.c.d.PORT" or "IPV6.PORT": a bare address has no port */
		if (!dot || !dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1) ||
		    strchr(s, ' ') || (!strchr(s, ':') && dots != 4))
			return -1;
	}
	if (!strstr(colon, ": Flags ["))
		return -1;	/* not TCP */
	return 0;
}

/* "127.0.0.1.9999" -> "127.0.0.1" and 9999; "::1.9999" -> "::1". */
static void split_tcpdump(const char *ep, char *addr, size_t len, unsigned *port)
{
	const char *dot = strrchr(ep, '.');
	size_t n = dot ? (size_t)(dot - ep) : strlen(ep);
	snprintf(addr, len, "%.*s", (int)n, ep);
	*port = dot ? (unsigned)strtoul(dot + 1, NULL, 10) : 0;
}

/* The socket-line form ("127.0.0.1:9999", "[::1]:9999") of a tcpdump one. */
static void socket_form(const char *ep, char *out, size_t len)
{
	char addr[80];
	unsigned port;
	split_tcpdump(ep, addr, sizeof addr, &port);
	snprintf(out, len, strchr(addr, ':') ? "[%s]:%u" : "%s:%u", addr, port);
}

/* "127.0.0.1:9999" or "[::1]:9999" -> address and port. Returns 0 or -1. */
static int split_socket(const char *s, size_t n, char *addr, size_t len, unsigned *port)
{
	const char *colon;
	char buf[96];

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	colon = strrchr(buf, ':');
	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -1;
	*port = (unsigned)strtoul(colon + 1, NULL, 10);
	if (buf[0] == '[' && colon > buf + 1 && colon[-1] == ']')
		snprintf(addr, len, "%.*s", (int)(colon - buf - 2), buf + 1);
	else
		snprintf(addr, len, "%.*s", (int)(colon - buf), buf);
	return 0;
}

static int wildcard(const char *addr)
{
	return !strcmp(addr, "0.0.0.0") || !strcmp(addr, "::") || !strcmp(addr, "*");
}

/* The value after `key` up to the next comma or ']', or "". */
static void field(const char *pkt, const char *key, char *out, size_t len)
{
	const char *p = strstr(pkt, key);
	size_t n = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	while (p[n] && p[n] != ',' && p[n] != ']' && n + 1 < len)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The arrow's label: "[S.] seq 0 ack 1 win 65483", "len N" when N > 0. */
static char *packet_label(const char *pkt, char *flags, size_t flen)
{
	char seq[64], ack[32], win[16], length[16];
	struct sb sb = SB_INIT;

	field(pkt, "Flags [", flags, flen);
	field(pkt, ", seq ", seq, sizeof seq);
	field(pkt, ", ack ", ack, sizeof ack);
	field(pkt, ", win ", win, sizeof win);
	field(pkt, ", length ", length, sizeof length);
	sb_addf(&sb, "[%s]", flags);
	if (seq[0])
		sb_addf(&sb, " seq %s", seq);
	if (ack[0])
		sb_addf(&sb, " ack %s", ack);
	if (win[0])
		sb_addf(&sb, " win %s", win);
	if (length[0] && strcmp(length, "0"))
		sb_addf(&sb, " len %s", length);
	return sb_detach(&sb);
}

/* A call's result failed: its last " = " is followed by -1. */
static int call_failed(const char *text)
{
	const char *p = NULL, *q = text;
	while ((q = strstr(q, " = ")))
		p = q++;
	return p && !strncmp(p + 3, "-1", 2) && (p[5] == '\0' || p[5] == ' ');
}

static void warn(struct diagram *d, int line, const char *fmt, const char *a, const char *b)
{
	struct sb sb = SB_INIT;
	sb_addf(&sb, "%s:%d: warning: ", d->path, line);
	sb_addf(&sb, fmt, a, b);
	d->warnings = xrealloc(d->warnings, (d->nwarnings + 1) * sizeof *d->warnings);
	d->warnings[d->nwarnings++] = sb_detach(&sb);
}

/* ---- lifelines and owners ---------------------------------------------------- */

static int find_life(const struct diagram *d, const char *name, int is_role)
{
	for (int i = 0; i < d->nlife; i++)
		if (d->life[i].is_role == is_role && !strcmp(d->life[i].name, name))
			return i;
	return -1;
}

static int add_life(struct diagram *d, const char *name, int is_role)
{
	struct lifeline *l;

	d->life = xrealloc(d->life, (size_t)(d->nlife + 1) * sizeof *d->life);
	l = &d->life[d->nlife];
	memset(l, 0, sizeof *l);
	l->name = xstrdup(name);
	l->is_role = is_role;
	l->fate_row = -1;
	return d->nlife++;
}

static void add_endpoint(struct lifeline *l, const char *ep)
{
	char s[96];
	socket_form(ep, s, sizeof s);
	for (size_t i = 0; i < l->nendpoints; i++)
		if (!strcmp(l->endpoints[i], s))
			return;
	l->endpoints = xrealloc(l->endpoints, (l->nendpoints + 1) * sizeof *l->endpoints);
	l->endpoints[l->nendpoints++] = xstrdup(s);
}

static int owner(const struct reader *r, const char *ep)
{
	int i = map_get(&r->owners, ep, strlen(ep));
	return i < 0 ? -1 : r->owner_vals[i];
}

static void set_owner(struct reader *r, const char *ep, int life)
{
	if (owner(r, ep) >= 0 || life < 0)
		return;
	grow(&r->owner_keys, &r->owners_cap, r->nowners + 1, sizeof *r->owner_keys);
	r->owner_vals = xrealloc(r->owner_vals, r->owners_cap * sizeof *r->owner_vals);
	r->owner_keys[r->nowners] = xstrdup(ep);
	r->owner_vals[r->nowners] = life;
	map_put(&r->owners, r->owner_keys[r->nowners], strlen(ep), (int)r->nowners);
	r->nowners++;
	add_endpoint(&r->d->life[life], ep);
}

/* The lifeline of a listening socket that would take a SYN to dst. */
static int listener_of(const struct reader *r, const char *dst)
{
	char addr[80];
	unsigned port;
	split_tcpdump(dst, addr, sizeof addr, &port);
	for (size_t i = 0; i < r->nls; i++)
		if (r->ls[i].port == port && r->ls[i].owner >= 0 &&
		    (!strcmp(r->ls[i].addr, addr) || wildcard(r->ls[i].addr)))
			return r->ls[i].owner;
	return -1;
}

/* ---- reading the lines ------------------------------------------------------ */

static int parse_lines(struct reader *r, char *text, size_t len, char *err, size_t errlen)
{
	char *p = text, *end = text + len;
	int line = 0;
	size_t cap = 0;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *q, *num_end, *start;
		struct entry *e;
		double t;

		line++;
		if (nl)
			*nl = '\0';
		q = start = p;
		p = nl ? nl + 1 : end;
		if (strlen(q) != (size_t)((nl ? nl : end) - q)) {
			snprintf(err, errlen, "%s:%d:%zu: error: a NUL byte in the timeline",
				 r->d->path, line, strlen(q) + 1);
			return -1;
		}
		while (*q == ' ')
			q++;
		if (!*q)
			continue;
		t = strtod(q, &num_end);
		if (num_end == q || *num_end != ' ' || !(t >= 0) || t > 1e9) {
			snprintf(err, errlen, "%s:%d:%zu: error: expected the time in seconds",
				 r->d->path, line, (size_t)(q - start) + 1);
			return -1;
		}
		q = num_end;
		while (*q == ' ')
			q++;
		if (!*q) {
			snprintf(err, errlen, "%s:%d:%zu: error: expected who after the time",
				 r->d->path, line, (size_t)(q - start) + 1);
			return -1;
		}
		grow(&r->e, &cap, r->ne + 1, sizeof *r->e);
		e = &r->e[r->ne++];
		e->t = t;
		e->line = line;
		e->who = q;
		q = strchr(q, ' ');
		if (q) {
			*q++ = '\0';
			while (*q == ' ')
				q++;
		}
		e->text = q ? q : e->who + strlen(e->who);
		{
			/* no trailing blanks or a CR from a copied file */
			size_t n = strlen(e->text);
			while (n && (e->text[n - 1] == ' ' || e->text[n - 1] == '\r'))
				e->text[--n] = '\0';
		}
	}
	return 0;
}

/* ---- who owns what ------------------------------------------------------------ */

/* The roles, in order of first appearance. */
static void find_roles(struct reader *r)
{
	for (size_t i = 0; i < r->ne; i++)
		if (!is_infra(r->e[i].who) && find_life(r->d, r->e[i].who, 1) < 0)
			add_life(r->d, r->e[i].who, 1);
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The calls that can send a SYN, with when they ran. */
static void find_openers(struct reader *r)
{
	for (size_t i = 0; i < r->ne; i++) {
		const struct entry *e = &r->e[i];
		struct opener *o;
		size_t n;
		if (is_infra(e->who) || !(starts_with(e->text, "connect(") || starts_with(e->text, "sendto(") ||
					  starts_with(e->text, "sendmsg(")))
			continue;
		grow(&r->op, &r->op_cap, r->nop + 1, sizeof *r->op);
		o = &r->op[r->nop++];
		o->role = find_life(r->d, e->who, 1);
		o->start = o->end = e->t;
		o->used = 0;
		o->line = e->line;
		n = strlen(e->text);
		if (n > 16 && strstr(e->text, " <unfinished ...>")) {
			/* returns at this role's next "<... NAME resumed>" */
			const char *paren = strchr(e->text, '(');
			char want[80];
			snprintf(want, sizeof want, "<... %.*s resumed>", (int)(paren - e->text), e->text);
			o->end = 1e18;
			for (size_t j = i + 1; j < r->ne; j++)
				if (!strcmp(r->e[j].who, e->who) && starts_with(r->e[j].text, want)) {
					o->end = r->e[j].t;
					break;
				}
		}
	}
}

/* The LISTEN sockets of the snapshots, and whose listen() made each. */
static void find_listeners(struct reader *r)
{
	double prev_snap = -1, snap = -1;

	for (size_t i = 0; i < r->ne; i++) {
		const struct entry *e = &r->e[i];
		char addr[64];
		unsigned port;
		const char *sp;
		size_t k;
		if (!strcmp(e->who, "sockets")) {
			prev_snap = snap;
			snap = e->t;
			continue;
		}
		if (strcmp(e->who, "socket") || !(sp = strchr(e->text, ' ')) || !starts_with(sp, " LISTEN") ||
		    split_socket(e->text, (size_t)(sp - e->text), addr, sizeof addr, &port) < 0)
			continue;
		for (k = 0; k < r->nls; k++)
			if (r->ls[k].port == port && !strcmp(r->ls[k].addr, addr))
				break;
		if (k < r->nls)
			continue;
		grow(&r->ls, &r->ls_cap, r->nls + 1, sizeof *r->ls);
		snprintf(r->ls[k].addr, sizeof r->ls[k].addr, "%s", addr);
		r->ls[k].port = port;
		r->ls[k].first_seen = e->t;
		r->ls[k].seen_before = prev_snap;
		r->ls[k].owner = -1;
		r->nls++;
	}
	/* Its owner called listen() after the snapshot before the one that
	 * first shows it, and before that one. */
	for (size_t k = 0; k < r->nls; k++) {
		int who = -1, several = 0;
		for (size_t i = 0; i < r->ne; i++) {
			const struct entry *e = &r->e[i];
			int l;
			if (is_infra(e->who) || e->t > r->ls[k].first_seen || e->t <= r->ls[k].seen_before ||
			    !starts_with(e->text, "listen(") || call_failed(e->text))
				continue;
			l = find_life(r->d, e->who, 1);
			if (who >= 0 && l != who)
				several = 1;
			if (who < 0)
				who = l;
		}
		if (who < 0) {
			/* listen() not shown: the one program that accept()s */
			for (size_t i = 0; i < r->ne; i++) {
				const struct entry *e = &r->e[i];
				int l;
				if (is_infra(e->who) || !starts_with(e->text, "accept"))
					continue;
				l = find_life(r->d, e->who, 1);
				if (who >= 0 && l != who)
					several = 1;
				if (who < 0)
					who = l;
			}
		}
		if (several) {
			char port[16];
			snprintf(port, sizeof port, "%u", r->ls[k].port);
			warn(r->d, 1, "more than one program may listen on port %s; %s is shown as its owner",
			     port, r->d->life[who].name);
		}
		r->ls[k].owner = who;
	}
}

/* Gives each end of a handshake its program (see diagram.h). */
static void attribute(struct reader *r)
{
	int listening = -1;	/* whose listen() came so far: -1 none, -2 several */

	for (size_t i = 0; i < r->ne; i++) {
		const struct entry *e = &r->e[i];
		char src[96], dst[96], flags[16];
		int best = -1, roles = 0;
		if (!is_infra(e->who) && starts_with(e->text, "listen(") && !call_failed(e->text)) {
			int m = find_life(r->d, e->who, 1);
			listening = (listening == -1 || listening == m) ? m : -2;
		}
		if (strcmp(e->who, "wire") || packet_ends(e->text, src, dst, sizeof src) < 0)
			continue;
		field(e->text, "Flags [", flags, sizeof flags);
		if (!strchr(flags, 'S') || strchr(flags, '.') || owner(r, src) >= 0 ||
		    strstr(e->text, " [injected"))
			continue;
		for (size_t k = 0; k < r->nop; k++) {
			const struct opener *o = &r->op[k];
			if (o->used || o->start > e->t || o->end < e->t)
				continue;
			if (best < 0) {
				best = (int)k;
				roles = 1;
			} else if (o->role != r->op[best].role) {
				roles++;
			}
		}
		if (best >= 0) {
			r->op[best].used = 1;
			if (roles > 1) {
				char ep[96];
				socket_form(src, ep, sizeof ep);
				warn(r->d, e->line, "the SYN from %s is given to %s, whose connect() began first; "
				     "another program's connect() was under way too", ep,
				     r->d->life[r->op[best].role].name);
			}
			set_owner(r, src, r->op[best].role);
		}
		if (owner(r, dst) < 0) {
			int l = listener_of(r, dst);
			if (l < 0)
				l = listening;	/* no snapshot showed it: the one
						   program whose listen() came before */
			if (l >= 0)
				set_owner(r, dst, l);
		}
	}
}

/* The lifeline of endpoint ep: its owner, or one of its own. */
static int life_of(struct reader *r, const char *ep)
{
	char s[96];
	int l = owner(r, ep);

	if (l >= 0)
		return l;
	socket_form(ep, s, sizeof s);
	l = find_life(r->d, s, 0);
	if (l < 0) {
		if (r->d->nlife >= MAX_LIFELINES) {
			l = find_life(r->d, "other endpoints", 0);
			return l >= 0 ? l : add_life(r->d, "other endpoints", 0);
		}
		l = add_life(r->d, s, 0);
		add_endpoint(&r->d->life[l], ep);
	}
	return l;
}

static int connection(struct reader *r, const char *src, const char *dst)
{
	struct diagram *d = r->d;
	struct sb key = SB_INIT;
	int c;

	/* hashed: a flood of connections must not make this quadratic */
	sb_addf(&key, "%s %s", strcmp(src, dst) < 0 ? src : dst, strcmp(src, dst) < 0 ? dst : src);
	c = map_get(&r->conn_ids, key.buf, key.len);
	if (c >= 0) {
		sb_release(&key);
		return c;
	}
	grow(&r->conn_keys, &r->conn_keys_cap, d->nconns + 1, sizeof *r->conn_keys);
	r->conn_keys[d->nconns] = sb_detach(&key);
	map_put(&r->conn_ids, r->conn_keys[d->nconns], strlen(r->conn_keys[d->nconns]), (int)d->nconns);
	grow(&d->conns, &r->conns_cap, d->nconns + 1, sizeof *d->conns);
	d->conns[d->nconns].a = xstrdup(src);
	d->conns[d->nconns].b = xstrdup(dst);
	d->conns[d->nconns].la = life_of(r, src);
	d->conns[d->nconns].lb = life_of(r, dst);
	d->conns[d->nconns].tag = NULL;
	return (int)d->nconns++;
}

/* ---- rows ------------------------------------------------------------------------ */

static struct row *add_row(struct diagram *d, enum row_kind kind, const struct entry *e, int from, int to)
{
	struct row *w;

	if (d->nrows >= MAX_ROWS) {
		d->omitted++;
		return NULL;
	}
	grow(&d->rows, &d->rows_cap, d->nrows + 1, sizeof *d->rows);
	w = &d->rows[d->nrows++];
	memset(w, 0, sizeof *w);
	w->kind = kind;
	w->t = e->t;
	w->line = e->line;
	w->from = from;
	w->to = to;
	w->conn = -1;
	w->until = -1;
	return w;
}

static void gap_label(double g, char *out, size_t len)
{
	if (g < 1)
		snprintf(out, len, g < 0.1 ? "+%.1f ms" : "+%.0f ms", g * 1000);
	else
		snprintf(out, len, g < 10 ? "+%.2f s" : g < 100 ? "+%.1f s" : "+%.0f s", g);
}

/* A snapshot (the "sockets" entry i and its "socket" lines): what changed. */
static size_t states_row(struct reader *r, size_t i)
{
	struct diagram *d = r->d;
	struct sb *now = xcalloc((size_t)d->nlife, sizeof *now);
	size_t j;
	int changed = 0;
	struct row *w;

	for (j = i + 1; j < r->ne && !strcmp(r->e[j].who, "socket"); j++) {
		const char *s = r->e[j].text, *sp = strchr(s, ' '), *st;
		char addr[64], local[96], desc[96];
		unsigned port;
		int l = -1;
		if (!sp || split_socket(s, (size_t)(sp - s), addr, sizeof addr, &port) < 0)
			continue;
		snprintf(local, sizeof local, "%s.%u", addr, port);
		st = sp + 1;
		if (starts_with(st, "> ")) {
			st = strchr(st + 2, ' ');
			if (!st)
				continue;
			st++;
			l = owner(r, local);
		} else {
			for (size_t k = 0; k < r->nls; k++)
				if (r->ls[k].port == port && !strcmp(r->ls[k].addr, addr))
					l = r->ls[k].owner;
		}
		if (l < 0)
			continue;
		/* a LISTEN socket's queue when it holds any: "accept-q 1 backlog 8" */
		const char *queued = strstr(st, " accept-q ");
		queued = queued && strncmp(queued, " accept-q 0 ", 12) ? queued + 1 : NULL;
		snprintf(desc, sizeof desc, "%.*s%s%s%s%.*s", (int)strcspn(st, " "), st,
			 strstr(st, " orphan") ? " orphan" : "",
			 strstr(st, "(not accepted yet)") ? " (not accepted yet)" : "",
			 queued ? " " : "", queued ? (int)strlen(queued) : 0, queued ? queued : "");
		/* "2× STATE" for repeats, in order of first appearance */
		{
			struct sb *b = &now[l];
			char *lines = b->len ? xstrdup(b->buf) : xstrdup(""), *p = lines, *nl;
			int found = 0;
			sb_reset(b);
			while (*p) {
				char *name;
				int count = 1;
				nl = strchr(p, '\n');
				if (nl)
					*nl = '\0';
				name = p;
				if (strstr(p, "\xc3\x97 ")) {	/* "N× " */
					count = atoi(p);
					name = strstr(p, "\xc3\x97 ") + 3;
				}
				if (!strcmp(name, desc)) {
					count++;
					found = 1;
				}
				if (b->len)
					sb_addc(b, '\n');
				if (count > 1)
					sb_addf(b, "%d\xc3\x97 %s", count, name);
				else
					sb_adds(b, name);
				p = nl ? nl + 1 : p + strlen(p);
			}
			if (!found) {
				if (b->len)
					sb_addc(b, '\n');
				sb_adds(b, desc);
			}
			free(lines);
		}
	}
	w = NULL;
	for (int l = 0; l < d->nlife; l++) {
		const char *s = now[l].len ? now[l].buf : "";
		const char *last = r->last_states[l] ? r->last_states[l] : "";
		if (!strcmp(s, last))
			continue;
		if (!w) {
			const char *close = strchr(r->e[i].text, ')');
			w = add_row(d, ROW_STATES, &r->e[i], -1, -1);
			if (!w)
				break;
			w->text = xstrndup(r->e[i].text, close ? (size_t)(close - r->e[i].text + 1) : strlen(r->e[i].text));
			w->states = xcalloc((size_t)d->nlife, sizeof *w->states);
		}
		w->states[l] = xstrdup(*s ? s : "no sockets");
		free(r->last_states[l]);
		r->last_states[l] = xstrdup(s);
		changed = 1;
	}
	(void)changed;
	for (int l = 0; l < d->nlife; l++)
		sb_release(&now[l]);
	free(now);
	return j - 1;
}

static void build_rows(struct reader *r)
{
	struct diagram *d = r->d;
	double prev = -1;

	/* every endpoint that will need a lifeline of its own gets it now,
	 * so that the snapshots know every lifeline */
	for (size_t i = 0; i < r->ne; i++) {
		char src[96], dst[96];
		if (!strcmp(r->e[i].who, "wire") && packet_ends(r->e[i].text, src, dst, sizeof src) == 0)
			connection(r, src, dst);
	}
	r->last_states = xcalloc((size_t)d->nlife + 1, sizeof *r->last_states);
	for (size_t i = 0; i < r->ne; i++) {
		struct entry *e = &r->e[i];
		struct row *w = NULL;
		int l;

		if (prev >= 0 && e->t - prev >= GAP_MIN && strcmp(e->who, "socket") &&
		    !(!is_infra(e->who) && starts_with(e->text, "started "))) {
			char g[32];
			gap_label(e->t - prev, g, sizeof g);
			w = add_row(d, ROW_GAP, e, -1, -1);
			if (w)
				w->text = xstrdup(g);
		}
		if (!strcmp(e->who, "wire")) {
			char src[96], dst[96], flags[16], delay[64];
			unsigned fl = wire_marker(e->text, delay, sizeof delay);
			if (packet_ends(e->text, src, dst, sizeof src) < 0) {
				w = add_row(d, ROW_WIRE, e, -1, -1);
				if (w) {
					w->text = xstrdup(e->text);
					w->flags = fl;
				}
			} else {
				int c = connection(r, src, dst);
				w = add_row(d, ROW_PACKET, e, life_of(r, src), life_of(r, dst));
				if (w) {
					w->conn = c;
					w->text = packet_label(e->text, flags, sizeof flags);
					if (delay[0]) {
						char *t = xrealloc(NULL, strlen(w->text) + strlen(delay) + 4);
						sprintf(t, "%s (%s)", w->text, delay);
						free(w->text);
						w->text = t;
					}
					w->detail = xstrdup(e->text);
					w->flags = fl | (strchr(flags, 'R') ? RF_RST : 0);
				}
			}
		} else if (!strcmp(e->who, "harness")) {
			w = add_row(d, ROW_NOTE, e, -1, -1);
			if (w)
				w->text = xstrdup(e->text);
		} else if (!strcmp(e->who, "sockets")) {
			i = states_row(r, i);
			w = d->nrows ? &d->rows[d->nrows - 1] : NULL;
		} else if (!strcmp(e->who, "socket")) {
			continue;	/* a snapshot without its head line */
		} else if ((l = find_life(d, e->who, 1)) >= 0) {
			const char *t = e->text;
			unsigned fl = strip_marker(e->text, "expected") ? RF_EXPECTED : 0;
			if (starts_with(t, "started "))
				continue;
			if (starts_with(t, "exited ") || starts_with(t, "killed") || starts_with(t, "did not start")) {
				w = add_row(d, ROW_FATE, e, l, l);
				if (w) {
					w->flags = strcmp(t, "exited 0") ? RF_BAD : 0;
					d->life[l].fate_row = (int)(w - d->rows);
				}
			} else if (starts_with(t, "step ")) {
				w = add_row(d, ROW_STEP, e, l, l);
			} else if (starts_with(t, "<... ") ||
				   (starts_with(t, "wait for ") && strstr(t, "' satisfied") && !strstr(t, "' satisfied")[11])) {
				/* what it ends: "<... NAME resumed>" a call NAME(...),
				 * "wait for X satisfied" the wait "wait for X" */
				char name[96];
				int wait = starts_with(t, "wait for ");
				if (wait)
					snprintf(name, sizeof name, "%.*s", (int)(strlen(t) - 10), t);
				else
					snprintf(name, sizeof name, "%.*s(", (int)strcspn(t + 5, " >"), t + 5);
				w = add_row(d, ROW_RESUME, e, l, l);
				if (w) {
					if (wait)
						fl |= RF_WAIT;
					for (size_t k = d->nrows - 1; k-- > 0;)
						if (d->rows[k].kind == ROW_CALL && d->rows[k].from == l &&
						    (d->rows[k].flags & RF_UNFINISHED) && d->rows[k].until < 0 &&
						    (wait ? !strcmp(d->rows[k].text, name) : starts_with(d->rows[k].text, name))) {
							d->rows[k].until = (int)(d->nrows - 1);
							fl |= d->rows[k].flags & RF_EXPECTED;
							d->rows[k].flags |= fl & RF_EXPECTED;
							break;
						}
				}
			} else {
				w = add_row(d, ROW_CALL, e, l, l);
				if (w) {
					char *u = strstr(e->text, " <unfinished ...>");
					if (u && !u[17]) {
						*u = '\0';
						fl |= RF_UNFINISHED;
					}
					if (starts_with(t, "wait for "))
						fl |= RF_WAIT | RF_UNFINISHED;
					if (strlen(t) > 15 && !strcmp(t + strlen(t) - 15, " at the timeout"))
						fl |= RF_BAD;	/* still waiting when killed */
				}
			}
			if (w) {
				if (!w->text)
					w->text = xstrdup(t);
				if (w->kind != ROW_FATE && call_failed(t))
					fl |= RF_BAD;
				if (fl & RF_EXPECTED)
					fl &= ~(unsigned)RF_BAD;
				w->flags |= fl;
			}
		} else {
			continue;
		}
		if (d->nrows)
			prev = e->t;
	}
	for (int l = 0; l <= d->nlife; l++)
		free(r->last_states[l]);
	free(r->last_states);
}

/* Where two lifelines share more than one connection, each is tagged. */
static void tag_connections(struct diagram *d)
{
	size_t n = (size_t)d->nlife;
	int *count = xcalloc(n * n + 1, sizeof *count);

	for (size_t i = 0; i < d->nconns; i++) {
		size_t a = (size_t)d->conns[i].la, b = (size_t)d->conns[i].lb;
		count[(a < b ? a : b) * n + (a < b ? b : a)]++;
	}
	for (size_t i = 0; i < d->nconns; i++) {
		size_t a = (size_t)d->conns[i].la, b = (size_t)d->conns[i].lb;
		char addr[80];
		unsigned port;
		if (count[(a < b ? a : b) * n + (a < b ? b : a)] < 2)
			continue;
		split_tcpdump(d->conns[i].a, addr, sizeof addr, &port);
		d->conns[i].tag = xrealloc(NULL, 16);
		snprintf(d->conns[i].tag, 16, ":%u", port);
		d->tagged = 1;
	}
	free(count);
}

int diagram_read(struct diagram *d, const char *path, const char *text, size_t len,
		 char *err, size_t errlen)
{
	struct reader r;
	char *copy = xmalloc(len + 1);
	int rc;

	memset(&r, 0, sizeof r);
	r.d = d;
	d->path = path;
	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = parse_lines(&r, copy, len, err, errlen);
	if (rc == 0) {
		find_roles(&r);
		find_openers(&r);
		find_listeners(&r);
		attribute(&r);
		build_rows(&r);
		tag_connections(d);
	}
	for (size_t i = 0; i < r.nowners; i++)
		free(r.owner_keys[i]);
	free(r.owner_keys);
	free(r.owner_vals);
	map_release(&r.owners);
	map_release(&r.conn_ids);
	for (size_t i = 0; i < d->nconns; i++)
		free(r.conn_keys[i]);
	free(r.conn_keys);
	free(r.ls);
	free(r.op);
	free(r.e);
	free(copy);
	return rc;
}

/* ---- the text form ------------------------------------------------------------- */

static const char *const kind_name[] = { "packet", "wire", "call", "resume", "step", "states", "fate", "gap", "note" };

char *diagram_text(const struct diagram *d)
{
	struct sb sb = SB_INIT;

	for (int l = 0; l < d->nlife; l++) {
		sb_addf(&sb, "lifeline %s%s", d->life[l].name, d->life[l].is_role ? "" : " (no program)");
		for (size_t k = 0; k < d->life[l].nendpoints; k++)
			sb_addf(&sb, " %s", d->life[l].endpoints[k]);
		sb_adds(&sb, "\n");
	}
	for (size_t i = 0; i < d->nconns; i++)
		sb_addf(&sb, "connection %s %s - %s %s%s%s\n", d->conns[i].a, d->life[d->conns[i].la].name,
			d->conns[i].b, d->life[d->conns[i].lb].name, d->conns[i].tag ? " tag " : "",
			d->conns[i].tag ? d->conns[i].tag : "");
	for (size_t i = 0; i < d->nrows; i++) {
		const struct row *w = &d->rows[i];
		sb_addf(&sb, "%.6f %s", w->t, kind_name[w->kind]);
		if (w->kind == ROW_PACKET)
			sb_addf(&sb, " %s > %s", d->life[w->from].name, d->life[w->to].name);
		else if (w->from >= 0)
			sb_addf(&sb, " %s", d->life[w->from].name);
		if (w->conn >= 0 && d->conns[w->conn].tag)
			sb_addf(&sb, " %s", d->conns[w->conn].tag);
		if (w->text)
			sb_addf(&sb, " %s", w->text);
		if (w->kind == ROW_STATES)
			for (int l = 0; l < d->nlife; l++)
				if (w->states[l]) {
					sb_addf(&sb, " | %s: ", d->life[l].name);
					for (const char *p = w->states[l]; *p; p++)
						sb_add(&sb, *p == '\n' ? ", " : p, *p == '\n' ? 2 : 1);
				}
		if (w->flags & RF_UNFINISHED)
			sb_addf(&sb, " (until %.6f)", w->until >= 0 ? d->rows[w->until].t : -1.0);
		sb_addf(&sb, "%s%s%s%s%s\n", w->flags & RF_BAD ? " [bad]" : "",
			w->flags & RF_EXPECTED ? " [expected]" : "", w->flags & RF_RST ? " [rst]" : "",
			w->flags & RF_DROPPED ? " [dropped]" : "", w->flags & RF_INJECTED ? " [injected]" : "");
	}
	if (d->omitted)
		sb_addf(&sb, "omitted %zu\n", d->omitted);
	for (size_t i = 0; i < d->nwarnings; i++)
		sb_addf(&sb, "%s\n", d->warnings[i]);
	return sb_detach(&sb);
}

void diagram_release(struct diagram *d)
{
	for (int l = 0; l < d->nlife; l++) {
		free(d->life[l].name);
		for (size_t k = 0; k < d->life[l].nendpoints; k++)
			free(d->life[l].endpoints[k]);
		free(d->life[l].endpoints);
	}
	free(d->life);
	for (size_t i = 0; i < d->nrows; i++) {
		struct row *w = &d->rows[i];
		free(w->text);
		free(w->detail);
		if (w->states)
			for (int l = 0; l < d->nlife; l++)
				free(w->states[l]);
		free(w->states);
	}
	free(d->rows);
	for (size_t i = 0; i < d->nconns; i++) {
		free(d->conns[i].a);
		free(d->conns[i].b);
		free(d->conns[i].tag);
	}
	free(d->conns);
	for (size_t i = 0; i < d->nwarnings; i++)
		free(d->warnings[i]);
	free(d->warnings);
	memset(d, 0, sizeof *d);
}
