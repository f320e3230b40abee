/* settle.c: waiting until the sockets have processed what the capture saw
 * (see settle.h). */
#include "settle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/dlt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sockdiag.h"
#include "util.h"

#define TCP_STATE_FIN_WAIT2 5	/* include/net/tcp_states.h */
#define TCP_STATE_TIME_WAIT 6

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* The flow toward local:lport from remote:rport, made (counting nothing,
 * taken as active) when it is new. */
static struct settle_flow *find_flow(struct settle *s, int family, const unsigned char *local,
				     unsigned lport, const unsigned char *remote, unsigned rport,
				     size_t alen)
{
	for (size_t i = 0; i < s->n; i++) {
		struct settle_flow *g = &s->v[i];
		if (g->family == family && g->lport == lport && g->rport == rport &&
		    !memcmp(g->laddr, local, alen) && !memcmp(g->raddr, remote, alen))
			return g;
	}
	grow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
	struct settle_flow *f = &s->v[s->n++];
	memset(f, 0, sizeof *f);
	f->family = family;
	memcpy(f->laddr, local, alen);
	memcpy(f->raddr, remote, alen);
	f->lport = lport;
	f->rport = rport;
	f->born = 1;
	return f;
}

void settle_packet(struct settle *s, int dlt, const unsigned char *p, size_t n)
{
	size_t off;
	unsigned proto;
	int family;
	const unsigned char *src, *dst, *tcp;
	size_t alen;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14)
			return;
		proto = get16(p + 12);
		off = 14;
		break;
	case DLT_LINUX_SLL:
		if (n < 16)
			return;
		proto = get16(p + 14);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (n < 20)
			return;
		proto = get16(p);
		off = 20;
		break;
	case DLT_RAW:
		if (n < 1)
			return;
		proto = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		off = 0;
		break;
	case DLT_NULL:
		if (n < 4)
			return;
		proto = p[0] == 2 || p[3] == 2 ? 0x0800 : 0x86dd;	/* AF_INET in host order */
		off = 4;
		break;
	default:
		return;
	}
	p += off;
	n -= off;
	if (proto == 0x0800) {
		size_t ihl;
		if (n < 20 || (p[0] >> 4) != 4 || p[9] != IPPROTO_TCP)
			return;
		ihl = (size_t)(p[0] & 15) * 4;
		if (ihl < 20 || n < ihl + 20)
			return;
		family = AF_INET;
		src = p + 12;
		dst = p + 16;
		alen = 4;
		tcp = p + ihl;
	} else if (proto == 0x86dd) {
		/* Extension headers are not followed: this book's segments
		 * carry none. */
		if (n < 60 || (p[0] >> 4) != 6 || p[6] != IPPROTO_TCP)
			return;
		family = AF_INET6;
		src = p + 8;
		dst = p + 24;
		alen = 16;
		tcp = p + 40;
	} else {
		return;
	}

	unsigned sport = get16(tcp), dport = get16(tcp + 2), flags = tcp[13];
	int syn = flags & 0x02, ack = flags & 0x10, fin = flags & 0x01;
	struct settle_flow *f = find_flow(s, family, dst, dport, src, sport, alen);

	if (syn && !ack) {
		/* A connection begins (again: a port can be reused, a SYN can
		 * reopen TIME_WAIT): both directions count from nothing. */
		struct settle_flow *back = find_flow(s, family, src, sport, dst, dport, alen);
		f = find_flow(s, family, dst, dport, src, sport, alen);	/* back may have moved it */
		*f = (struct settle_flow){ .family = family, .lport = dport, .rport = sport, .passive = 1 };
		memcpy(f->laddr, dst, alen);
		memcpy(f->raddr, src, alen);
		*back = (struct settle_flow){ .family = family, .lport = sport, .rport = dport, .born = 1 };
		memcpy(back->laddr, src, alen);
		memcpy(back->raddr, dst, alen);
	} else if (syn && !f->passive) {
		f->expect = 0;		/* the active side starts with the SYN-ACK */
		f->fin = 0;
	}
	f->seen++;
	if (fin)
		f->fin = 1;
	if (!f->passive) {
		f->expect++;
	} else if (!f->born) {
		/* the SYN goes to the listener; the segment that completes the
		 * handshake makes the socket, which starts at 1 */
		if (!syn && ack) {
			f->born = 1;
			f->expect = 1;
		}
	} else {
		f->expect++;
	}
}

static const struct settle_flow *flow_of(const struct settle *s, const struct sockdiag_entry *e)
{
	size_t alen = e->family == AF_INET6 ? 16 : 4;
	for (size_t i = 0; i < s->n; i++) {
		const struct settle_flow *f = &s->v[i];
		if (f->family == e->family && f->lport == e->lport && f->rport == e->rport &&
		    !memcmp(f->laddr, e->laddr, alen) && !memcmp(f->raddr, e->raddr, alen))
			return f;
	}
	return NULL;
}

int settle_wait(const struct settle *s, int max_ms, char *msg, size_t len)
{
	struct sockdiag_entry es[64];
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int n = sockdiag_read(es, 64, msg, len), pending = -1;
		if (n < 0)
			return -1;
		for (int i = 0; i < n && pending < 0; i++) {
			const struct settle_flow *f = flow_of(s, &es[i]);
			if (!f)
				continue;
			if (es[i].has_info && es[i].segs_in < f->expect)
				pending = i;
			else if (!es[i].has_info && es[i].state == TCP_STATE_FIN_WAIT2 && f->fin)
				pending = i;
		}
		if (pending < 0)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= max_ms) {
			const struct settle_flow *f = flow_of(s, &es[pending]);
			char line[256];
			if (es[pending].has_info)
				snprintf(msg, len, "not settled after %d ms: %s has been given %u of the %u segments captured toward it",
					 max_ms, sockdiag_format(&es[pending], line, sizeof line),
					 es[pending].segs_in, f->expect);
			else
				snprintf(msg, len, "not settled after %d ms: %s, though a FIN was captured toward it",
					 max_ms, sockdiag_format(&es[pending], line, sizeof line));
			return 1;
		}
		poll(NULL, 0, 1);
	}
}

void settle_release(struct settle *s)
{
	free(s->v);
	*s = (struct settle)SETTLE_INIT;
}
