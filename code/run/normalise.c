/* normalise.c: symbolic ports, sequence numbers and timestamps (normalise.h). */
#include "normalise.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPHEMERAL_LOW 32768



struct out {
	char *p;
	size_t left;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->left <= 1)
		return;
	if (n > o->left - 1)
		n = o->left - 1;
	memcpy(o->p, s, n);
	o->p += n;
	o->left -= n;
	*o->p = '\0';
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static int port_symbol(struct normaliser *n, unsigned port)
{
	for (int i = 0; i < n->nports; i++)
		if (n->ports[i] == port)
			return i + 1;
	if (n->nports == NORMALISE_MAX)
		return 0;
	n->ports[n->nports++] = port;
	return n->nports;
}

/*
 * An absolute sequence number as <isnK>+d, K the known base closest below
 * it. A SYN's own seq (fresh) is a new ISN unless it is within 1024 of a
 * base: two random ISNs fall that close once in four million, while a
 * reconnect on the same socket reuses the old ISN plus a few (chapter 12).
 * Other numbers (acks, resets' seqs) are offsets of an ISN, up to 2^24. 0
 * stays 0: a reset answering a SYN has seq 0 (RFC 9293 3.10.7.1), not a
 * random number.
 */
static void isn_symbol(struct normaliser *n, unsigned long long v, int fresh, char *buf, size_t len)
{
	unsigned long long limit = fresh ? 1024 : 1u << 24, best = limit;
	int k = -1;

	if (v == 0) {
		snprintf(buf, len, "0");
		return;
	}
	for (int i = 0; i < n->nisns; i++) {
		unsigned long long d = (v - n->isns[i]) & 0xffffffffULL;
		if (d < best) {
			best = d;
			k = i;
		}
	}
	if (k >= 0) {
		if (best)
			snprintf(buf, len, "<isn%d>+%llu", k + 1, best);
		else
			snprintf(buf, len, "<isn%d>", k + 1);
		return;
	}
	if (n->nisns < NORMALISE_MAX)
		n->isns[n->nisns++] = v;
	snprintf(buf, len, "<isn%d>", n->nisns);
}

/* The flags of a tcpdump line, or NULL. */
static const char *flags_of(const char *line, char *buf, size_t len)
{
	const char *f = strstr(line, "Flags [");
	const char *e;
	if (!f)
		return NULL;
	f += 7;
	e = strchr(f, ']');
	if (!e || (size_t)(e - f) >= len)
		return NULL;
	memcpy(buf, f, (size_t)(e - f));
	buf[e - f] = '\0';
	return buf;
}

/* Is s[i] the start of a port: digits after '.' or ':' that follow an
 * address (a digit, a hex digit or ']' before the separator), and not
 * followed by more of an address? */
static int port_at(const char *s, size_t i, unsigned *port, size_t *plen)
{
	size_t k = i;
	unsigned long v = 0;

	if (i < 2 || (s[i - 1] != '.' && s[i - 1] != ':'))
		return 0;
	if (!(isxdigit((unsigned char)s[i - 2]) || s[i - 2] == ']'))
		return 0;
	while (isdigit((unsigned char)s[k]) && k - i < 6)
		v = v * 10 + (unsigned long)(s[k++] - '0');
	if (k == i || isdigit((unsigned char)s[k]) || s[k] == '.')
		return 0;
	/* an address is followed by ' ', ':', ',' or the end */
	if (s[k] != ' ' && s[k] != ':' && s[k] != ',' && s[k] != '\0' && s[k] != ')')
		return 0;
	if (v < EPHEMERAL_LOW || v > 65535)
		return 0;
	/* "seq 1:40000" is a range, not an address: the part before ':' must
	 * hold a '.' or ':' of its own (127.0.0.1, ::1, [::1]) */
	{
		size_t b = i - 1;
		int dots = 0;
		while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '(')
			if (s[--b] == '.' || s[b] == ':' || s[b] == ']')
				dots++;
		if (dots == 0)
			return 0;
	}
	*port = (unsigned)v;
	*plen = k - i;
	return 1;
}

void normalise_line(struct normaliser *n, int packet, const char *in, char *outbuf, size_t len)
{
	struct out o = { outbuf, len };
	char flags[32], sym[64];
	int syn = 0;
	size_t i = 0;

	if (len)
		outbuf[0] = '\0';
	if (packet && flags_of(in, flags, sizeof flags)) {
		syn = strchr(flags, 'S') != NULL;
	}
	while (in[i]) {
		unsigned port;
		size_t plen;

		if (port_at(in, i, &port, &plen)) {
			snprintf(sym, sizeof sym, "<p%d>", port_symbol(n, port));
			puts_(&o, sym);
			i += plen;
			continue;
		}
		/* The printer marks absolute numbers with '#' (tcpprint's
		 * mark_absolute): "seq #123", "seq #123:#137", "ack #124". */
		if (packet && (!strncmp(in + i, "seq #", 5) || !strncmp(in + i, "ack #", 5)) &&
		    isdigit((unsigned char)in[i + 5])) {
			char *end;
			unsigned long long v = strtoull(in + i + 5, &end, 10);
			/* a SYN's own seq is a new ISN by definition */
			int fresh = syn && in[i] == 's';
			put(&o, in + i, 4);
			isn_symbol(n, v, fresh, sym, sizeof sym);
			puts_(&o, sym);
			i = (size_t)(end - in);
			if (in[i] == ':' && in[i + 1] == '#' && isdigit((unsigned char)in[i + 2])) {
				v = strtoull(in + i + 2, &end, 10);
				puts_(&o, ":");
				isn_symbol(n, v, 0, sym, sizeof sym);
				puts_(&o, sym);
				i = (size_t)(end - in);
			}
			continue;
		}
		if (packet && (!strncmp(in + i, "TS val ", 7) || !strncmp(in + i, " ecr ", 5))) {
			size_t k = in[i] == 'T' ? 7 : 5;
			char *end;
			unsigned long long v;
			put(&o, in + i, k);
			v = strtoull(in + i + k, &end, 10);
			if (end == in + i + k) {
				i += k;
				continue;
			}
			puts_(&o, (in[i] == ' ' && v == 0) ? "0" : "<ts>");
			i = (size_t)(end - in);
			continue;
		}
		put(&o, in + i, 1);
		i++;
	}
}
