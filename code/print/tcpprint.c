/* tcpprint.c: prints one captured packet as the line `tcpdump -n` prints.
 *
 * One printer per protocol, as in tcpdump: each takes the line being built
 * and a pointer to its header, and reads through the bounds-checked getters
 * below. A read past the captured bytes ends the line the way tcpdump ends
 * it, with " [|proto]" naming the protocol being printed: the getter jumps
 * back to tcpprint_packet(), which appends it.
 */
#include "tcpprint.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- state kept between packets ------------------------------------------ */

/* One TCP conversation, both directions. tcpdump picks a direction by port
 * (lower source port first; equal ports: lower source address first) and
 * remembers the first sequence number seen each way, so seq and ack can be
 * printed relative to them (print-tcp.c, struct tcp_seq_hash). */
struct conv {
	struct conv *next;
	int v6;
	uint8_t src[16], dst[16];
	uint32_t ports;		/* sport << 16 | dport, in the chosen order */
	uint32_t seq, ack;
};

struct tcpprint {
	int dlt;
	int ts_nano;			/* tv_usec holds nanoseconds */
	struct tcpprint_opts opts;
	int have_first;
	long long first_sec, first_frac; /* first packet, in output units */
	struct conv **bucket;
	size_t nbucket, nconv;
};

/* --- the line being built ------------------------------------------------- */

struct line {
	struct tcpprint *tp;
	char *buf;
	size_t cap, len;
	const uint8_t *end;	/* first byte we may not read ("snapend") */
	const char *proto;	/* named in " [|proto]" if a read fails */
	jmp_buf trunc;
};

static void emit(struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void emit(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len + 1 >= l->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	l->len += (size_t)n;
	if (l->len >= l->cap)
		l->len = l->cap - 1;
}

/* have: whether n bytes from p were captured (and lie before l->end). */
static int have(const struct line *l, const uint8_t *p, size_t n)
{
	return p <= l->end && (size_t)(l->end - p) >= n;
}

static void need(struct line *l, const uint8_t *p, size_t n)
{
	if (!have(l, p, n))
		longjmp(l->trunc, 1);
}

static unsigned get8(struct line *l, const uint8_t *p)
{
	need(l, p, 1);
	return p[0];
}

static unsigned get16(struct line *l, const uint8_t *p)
{
	need(l, p, 2);
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(struct line *l, const uint8_t *p)
{
	need(l, p, 4);
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Addresses, as tcpdump -n prints them. */
static const char *ip4str(struct line *l, const uint8_t *p, char *s)
{
	need(l, p, 4);
	sprintf(s, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
	return s;
}

static const char *ip6str(struct line *l, const uint8_t *p, char *s)
{
	need(l, p, 16);
	if (!inet_ntop(AF_INET6, p, s, INET6_ADDRSTRLEN))
		strcpy(s, "?");
	return s;
}

static const char *macstr(const uint8_t *p, char *s)
{
	sprintf(s, "%02x:%02x:%02x:%02x:%02x:%02x",
		p[0], p[1], p[2], p[3], p[4], p[5]);
	return s;
}

/* The network-layer header a transport printer was reached from. */
struct ipinfo {
	int v6;
	const uint8_t *src, *dst;	/* 4 or 16 bytes, already checked */
	unsigned nh;			/* IPv4 protocol / IPv6 first next header */
	int fragmented;
};

/* tcpdump prints "addr.port > addr.port: " only when the transport header
 * follows the IP header directly; behind IPv6 extension headers (or when
 * the IPv4 protocol field disagrees) it prints the ports alone. */
static void print_endpoints(struct line *l, const struct ipinfo *ip,
			    unsigned proto, unsigned sport, unsigned dport)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (ip->nh != proto) {
		emit(l, "%u > %u: ", sport, dport);
		return;
	}
	if (ip->v6)
		emit(l, "%s.%u > %s.%u: ", ip6str(l, ip->src, a), sport,
		     ip6str(l, ip->dst, b), dport);
	else
		emit(l, "%s.%u > %s.%u: ", ip4str(l, ip->src, a), sport,
		     ip4str(l, ip->dst, b), dport);
}

static void print_addrs(struct line *l, const struct ipinfo *ip,
			const char *sep)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (ip->v6)
		emit(l, "%s > %s%s", ip6str(l, ip->src, a),
		     ip6str(l, ip->dst, b), sep);
	else
		emit(l, "%s > %s%s", ip4str(l, ip->src, a),
		     ip4str(l, ip->dst, b), sep);
}

/* --- TCP (RFC 9293 section 3.1) ------------------------------------------- */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PUSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

static uint32_t conv_hash(const struct conv *k)
{
	uint32_t h = 2166136261u;
	size_t i, n = k->v6 ? 16 : 4;

	for (i = 0; i < n; i++)
		h = (h ^ k->src[i]) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ k->dst[i]) * 16777619u;
	h = (h ^ k->ports) * 16777619u;
	return h ^ (uint32_t)k->v6;
}

static int conv_same(const struct conv *a, const struct conv *b)
{
	return a->v6 == b->v6 && a->ports == b->ports &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16);
}

static void conv_grow(struct tcpprint *tp)
{
	size_t n = tp->nbucket ? tp->nbucket * 2 : 64, i;
	struct conv **b = calloc(n, sizeof *b), *c, *next;

	if (!b)
		return;		/* keep the old, longer chains */
	for (i = 0; i < tp->nbucket; i++)
		for (c = tp->bucket[i]; c; c = next) {
			next = c->next;
			c->next = b[conv_hash(c) % n];
			b[conv_hash(c) % n] = c;
		}
	free(tp->bucket);
	tp->bucket = b;
	tp->nbucket = n;
}

/* conv_find: the conversation with key k, added (zeroed seq/ack) if new;
 * *isnew says which. NULL only when out of memory. */
static struct conv *conv_find(struct tcpprint *tp, const struct conv *k,
			      int *isnew)
{
	struct conv *c;

	*isnew = 0;
	if (tp->nbucket) {
		for (c = tp->bucket[conv_hash(k) % tp->nbucket]; c; c = c->next)
			if (conv_same(c, k))
				return c;
	}
	if (tp->nconv >= tp->nbucket)
		conv_grow(tp);
	if (!tp->nbucket || !(c = malloc(sizeof *c)))
		return NULL;
	*c = *k;
	c->next = tp->bucket[conv_hash(k) % tp->nbucket];
	tp->bucket[conv_hash(k) % tp->nbucket] = c;
	tp->nconv++;
	*isnew = 1;
	return c;
}

static void print_tfo(struct line *l, const uint8_t *cp, unsigned datalen)
{
	unsigned i;

	if (datalen == 0) {
		emit(l, " cookiereq");
	} else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		emit(l, " (invalid)");
	} else {
		emit(l, " cookie ");
		for (i = 0; i < datalen; i++)
			emit(l, "%02x", get8(l, cp + i));
	}
}

/* MPTCP (RFC 8684 section 3): the subtype names tcpdump prints. */
static const char *const mptcp_subtype[] = {
	"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail",
	"fast-close", "tcprst"
};

static const char *tcp_option_name(unsigned opt, char *s)
{
	switch (opt) {
	case 0: return "eol";
	case 1: return "nop";
	case 2: return "mss";
	case 3: return "wscale";
	case 4: return "sackOK";
	case 5: return "sack";
	case 6: return "echo";
	case 7: return "echoreply";
	case 8: return "TS";
	case 11: return "cc";
	case 12: return "ccnew";
	case 13: return "";
	case 19: return "md5";
	case 20: return "scps";
	case 28: return "uto";
	case 29: return "tcp-ao";
	case 30: return "mptcp";
	case 34: return "tfo";
	case 254: return "exp";
	}
	sprintf(s, "unknown-%u", opt);
	return s;
}

enum { OPT_OK, OPT_BAD, OPT_TRUNC };

/* print_tcp_options: the options part, "[mss 65495,...]". hlen is the
 * option space in bytes, data and payload the segment's data. Returns how
 * the list ended; *ch is the separator to print before the next option. */
static int print_tcp_options(struct line *l, const uint8_t *cp, unsigned hlen,
			     const uint8_t *data, unsigned payload, int rev, uint32_t thseq,
			     uint32_t thack, int *ch)
{
	char name[32];
	unsigned opt, len, datalen, i;

	emit(l, ", options [");
	while (hlen > 0) {
		if (*ch)
			emit(l, "%c", *ch);
		opt = get8(l, cp++);
		if (opt == 0 || opt == 1) {
			len = 1;
		} else {
			len = get8(l, cp++);
			if (len < 2 || len > hlen)
				return OPT_BAD;
			hlen--;
		}
		hlen--;
		datalen = 0;
		emit(l, "%s", tcp_option_name(opt, name));
/* LENCHECK: the option's data must fit its length and the capture */
#define LENCHECK(n) do { \
		if ((n) > hlen) return OPT_BAD; \
		if (!have(l, cp, (n))) return OPT_TRUNC; \
	} while (0)
		switch (opt) {
		case 2:		/* mss */
			datalen = 2;
			LENCHECK(datalen);
			emit(l, " %u", get16(l, cp));
			break;
		case 3:		/* wscale */
			datalen = 1;
			LENCHECK(datalen);
			emit(l, " %u", get8(l, cp));
			break;
		case 5:		/* sack, RFC 2018: blocks relative like ack */
			datalen = len - 2;
			if (datalen % 8 != 0) {
				emit(l, " invalid sack");
			} else {
				uint32_t s, e;

				emit(l, " %u ", datalen / 8);
				for (i = 0; i < datalen; i += 8) {
					LENCHECK(i + 4);
					s = get32(l, cp + i);
					LENCHECK(i + 8);
					e = get32(l, cp + i + 4);
					if (rev) {
						s -= thseq;
						e -= thseq;
					} else {
						s -= thack;
						e -= thack;
					}
					emit(l, "{%u:%u}", s, e);
				}
			}
			break;
		case 6: case 7: case 11: case 12: case 13:
			datalen = 4;
			LENCHECK(datalen);
			emit(l, " %u", get32(l, cp));
			break;
		case 8:		/* timestamps, RFC 7323 section 3 */
			datalen = 8;
			LENCHECK(datalen);
			emit(l, " val %u ecr %u", get32(l, cp), get32(l, cp + 4));
			break;
		case 19:	/* md5 signature, RFC 2385: no secret given */
			datalen = 16;
			LENCHECK(datalen);
			emit(l, " ");
			if (!have(l, data, payload))
				emit(l, "snaplen too short, ");
			else
				emit(l, "shared secret not supplied with -M, ");
			emit(l, "can't check - ");
			for (i = 0; i < 16; i++)
				emit(l, "%02x", get8(l, cp + i));
			break;
		case 20:	/* scps */
			datalen = 2;
			LENCHECK(datalen);
			emit(l, " cap %02x id %u", get8(l, cp), get8(l, cp + 1));
			break;
		case 4:		/* sackOK */
			break;
		case 28: {	/* user timeout, RFC 5482 */
			unsigned uto;

			datalen = 2;
			LENCHECK(datalen);
			uto = get16(l, cp);
			emit(l, " 0x%x", uto);
			emit(l, " %u", uto & 1 ? (uto >> 1) * 60 : uto >> 1);
			break;
		}
		case 29:	/* tcp-ao, RFC 5925 */
			datalen = len - 2;
			if (datalen < 2) {
				emit(l, " (invalid)");
			} else {
				LENCHECK(1);
				emit(l, " keyid %u", get8(l, cp));
				LENCHECK(2);
				emit(l, " rnextkeyid %u", get8(l, cp + 1));
				if (datalen > 2) {
					emit(l, " mac 0x");
					for (i = 2; i < datalen; i++) {
						LENCHECK(i + 1);
						emit(l, "%02x", get8(l, cp + i));
					}
				}
			}
			break;
		case 30: {	/* mptcp: length and subtype (see tcpprint.h) */
			unsigned sub;

			datalen = len - 2;
			LENCHECK(datalen);
			if (datalen < 1)
				return OPT_BAD;
			emit(l, " %u", len);
			sub = get8(l, cp) >> 4;
			if (sub < sizeof mptcp_subtype / sizeof *mptcp_subtype)
				emit(l, " %s", mptcp_subtype[sub]);
			else
				emit(l, " unknown");
			break;
		}
		case 34:	/* fast open, RFC 7413 */
			datalen = len - 2;
			LENCHECK(datalen);
			emit(l, " ");
			print_tfo(l, cp, datalen);
			break;
		case 254: {	/* experimental, RFC 6994 */
			unsigned magic;

			datalen = len - 2;
			LENCHECK(datalen);
			if (datalen < 2)
				return OPT_BAD;
			magic = get16(l, cp);
			emit(l, "-");
			if (magic == 0xf989) {
				emit(l, "tfo");
				print_tfo(l, cp + 2, datalen - 2);
			} else {
				emit(l, "%04x", magic);
			}
			break;
		}
		case 0: case 1:
			break;
		default:
			datalen = len - 2;
			if (datalen)
				emit(l, " 0x");
			for (i = 0; i < datalen; i++) {
				LENCHECK(i + 1);
				emit(l, "%02x", get8(l, cp + i));
			}
			break;
		}
#undef LENCHECK
		cp += datalen;
		hlen -= datalen;
		datalen++;
		if (opt != 0 && opt != 1)
			datalen++;
		if (datalen != len)
			emit(l, "[len %u]", len);
		*ch = ',';
		if (opt == 0)
			break;
	}
	emit(l, "]");
	return OPT_OK;
}

static void tcp(struct line *l, const uint8_t *bp, unsigned length,
		const struct ipinfo *ip)
{
	static const char flagchar[] = "FSRP.UEW";
	char flags[9];
	unsigned sport, dport, hlen, win, urp, f, i, n = 0;
	uint32_t seq, ack, thseq = 0, thack = 0;
	int rev = 0, ch = 0, r;

	l->proto = "tcp";
	if (!have(l, bp + 2, 2)) {
		print_addrs(l, ip, ":");
		longjmp(l->trunc, 1);
	}
	sport = get16(l, bp);
	dport = get16(l, bp + 2);
	print_endpoints(l, ip, 6, sport, dport);
	need(l, bp, 20);
	hlen = (get8(l, bp + 12) >> 4) * 4;
	if (hlen < 20) {
		emit(l, " tcp %u [bad hdr length %u - too short, < 20]",
		     length - hlen, hlen);
		return;
	}
	seq = get32(l, bp + 4);
	ack = get32(l, bp + 8);
	win = get16(l, bp + 14);
	urp = get16(l, bp + 18);
	f = get8(l, bp + 13);
	for (i = 0; i < 8; i++)
		if (f & 1u << i)
			flags[n++] = flagchar[i];
	flags[n] = '\0';
	emit(l, "Flags [%s]", n ? flags : "none");

	/* Numbers printed as they are on the wire, without a relative base:
	 * no ACK flag, a SYN, or the conversation's first ACK-bearing packet. */
	int absolute = !(f & TH_ACK);
	if (f & TH_ACK) {
		struct conv k, *c;
		size_t alen = ip->v6 ? 16 : 4;
		int isnew;

		memset(&k, 0, sizeof k);
		k.v6 = ip->v6;
		if (sport > dport)
			rev = 1;
		else if (sport == dport && memcmp(ip->src, ip->dst, alen) > 0)
			rev = 1;
		memcpy(k.src, rev ? ip->dst : ip->src, alen);
		memcpy(k.dst, rev ? ip->src : ip->dst, alen);
		k.ports = rev ? dport << 16 | sport : sport << 16 | dport;
		c = conv_find(l->tp, &k, &isnew);
		absolute = !c || isnew || (f & TH_SYN);
		/* Not tcpdump's, for normalise.c only (mark_absolute): a reset
		 * with seq 0 answers a SYN (RFC 9293 3.10.7.1, <SEQ=0>
		 * <ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>) and belongs to no
		 * connection's numbering. On a 4-tuple an earlier connection
		 * used, tcpdump prints it relative to that connection's ISNs
		 * ("seq 2995998505, ack 106441"), numbers that differ every
		 * run; the marked printer prints it absolute, so that it
		 * normalises to what the kernel sent ("seq 0, ack <isn3>+1"),
		 * and leaves the conversation's bases alone. */
		int answer = c && !absolute && l->tp->opts.mark_absolute && (f & TH_RST) && seq == 0;
		if (answer)
			absolute = 1;
		if (!c) {
			thseq = thack = 0;
		} else if (answer) {
			/* bases unchanged */
		} else if (isnew || (f & TH_SYN)) {
			if (rev) {
				c->ack = seq;
				c->seq = ack - 1;
			} else {
				c->seq = seq;
				c->ack = ack - 1;
			}
		} else if (rev) {
			seq -= c->ack;
			ack -= c->seq;
		} else {
			seq -= c->seq;
			ack -= c->ack;
		}
		if (c) {
			thseq = c->seq;
			thack = c->ack;
		}
	}
	if (hlen > length) {
		emit(l, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	length -= hlen;
	const char *mark = absolute && l->tp->opts.mark_absolute ? "#" : "";
	if (length > 0 || (f & (TH_SYN | TH_FIN | TH_RST))) {
		emit(l, ", seq %s%u", mark, seq);
		if (length > 0)
			emit(l, ":%s%u", mark, seq + length);
	}
	if (f & TH_ACK)
		emit(l, ", ack %s%u", mark, ack);
	emit(l, ", win %u", win);
	if (f & TH_URG)
		emit(l, ", urg %u", urp);
	if (hlen > 20) {
		r = print_tcp_options(l, bp + 20, hlen - 20, bp + hlen, length,
				      rev, thseq, thack, &ch);
		if (r == OPT_BAD) {
			emit(l, "[bad opt]");
			if (ch)
				emit(l, "]");
			return;
		}
		if (r == OPT_TRUNC) {
			emit(l, " [|tcp]");
			if (ch)
				emit(l, ">");
			return;
		}
	}
	emit(l, ", length %u", length);
	/* tcpdump goes on to the payload only if the whole header was
	 * captured; it says so when it was not */
	if (length > 0 && !have(l, bp, hlen)) {
		emit(l, " [remaining caplen(%u) < header length(%u)]",
		     bp < l->end ? (unsigned)(l->end - bp) : 0, hlen);
		longjmp(l->trunc, 1);
	}
}

/* --- UDP (RFC 768) --------------------------------------------------------- */

static void udp(struct line *l, const uint8_t *bp, unsigned length,
		const struct ipinfo *ip)
{
	unsigned sport, dport, ulen;

	l->proto = "udp";
	if (!have(l, bp + 2, 2)) {
		if (ip->nh == 17)
			print_addrs(l, ip, ": ");
		longjmp(l->trunc, 1);
	}
	sport = get16(l, bp);
	dport = get16(l, bp + 2);
	if (length < 8) {
		print_endpoints(l, ip, 17, sport, dport);
		emit(l, "truncated-udp %u", length);
		return;
	}
	if (!have(l, bp + 4, 2)) {
		print_endpoints(l, ip, 17, sport, dport);
		longjmp(l->trunc, 1);
	}
	ulen = get16(l, bp + 4);
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		print_endpoints(l, ip, 17, sport, dport);
		emit(l, "truncated-udplength %u", ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	print_endpoints(l, ip, 17, sport, dport);
	if (!have(l, bp + 8, 0))
		longjmp(l->trunc, 1);
	if (ulen > length && !ip->fragmented)
		emit(l, "UDP, bad length %u > %u", ulen, length);
	else
		emit(l, "UDP, length %u", ulen);
}

/* --- ICMP (RFC 792) --------------------------------------------------------- */

/* tcpdump reads everything it needs before it prints "ICMP ...", so a
 * short ICMP message prints nothing of it: the text is built in str. */
static void icmp(struct line *l, const uint8_t *bp, unsigned length)
{
	/* RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1 */
	static const char *const unreach[16] = {
		"net %s unreachable", "host %s unreachable", NULL, NULL,
		"%s unreachable - need to frag",
		"%s unreachable - source route failed",
		"net %s unreachable - unknown",
		"host %s unreachable - unknown",
		"%s unreachable - source host isolated",
		"net %s unreachable - admin prohibited",
		"host %s unreachable - admin prohibited",
		"net %s unreachable - tos prohibited",
		"host %s unreachable - tos prohibited",
		"host %s unreachable - admin prohibited filter",
		"host %s unreachable - host precedence violation",
		"host %s unreachable - precedence cutoff"
	};
	unsigned type, code;
	char a[INET6_ADDRSTRLEN], str[128];

	l->proto = "icmp";
	type = get8(l, bp);
	code = get8(l, bp + 1);
	switch (type) {
	case 0:
	case 8:
		snprintf(str, sizeof str, "echo %s, id %u, seq %u",
			 type == 8 ? "request" : "reply", get16(l, bp + 4),
			 get16(l, bp + 6));
		break;
	case 3: {
		const uint8_t *oip = bp + 8;	/* the IP header returned */

		if (code == 2) {
			snprintf(str, sizeof str, "%s protocol %u unreachable",
				 ip4str(l, oip + 16, a), get8(l, oip + 9));
		} else if (code == 3) {
			unsigned proto = get8(l, oip + 9);
			unsigned ohl = (get8(l, oip) & 15) * 4;
			unsigned port = get16(l, oip + ohl + 2);

			ip4str(l, oip + 16, a);
			if (proto == 6)
				snprintf(str, sizeof str,
					 "%s tcp port %u unreachable", a, port);
			else if (proto == 17)
				snprintf(str, sizeof str,
					 "%s udp port %u unreachable", a, port);
			else
				snprintf(str, sizeof str,
					 "%s protocol %u port %u unreachable",
					 a, proto, port);
		} else if (code == 4 && get16(l, bp + 6)) {
			snprintf(str, sizeof str,
				 "%s unreachable - need to frag (mtu %u)",
				 ip4str(l, oip + 16, a), get16(l, bp + 6));
		} else if (code < 16) {
			snprintf(str, sizeof str, unreach[code],
				 ip4str(l, oip + 16, a));
		} else {
			snprintf(str, sizeof str, "%s unreachable - #%u",
				 ip4str(l, oip + 16, a), code);
		}
		break;
	}
	case 11:
		need(l, bp + 24, 4);
		if (code < 2)
			snprintf(str, sizeof str, "%s", code == 0 ?
				 "time exceeded in-transit" :
				 "ip reassembly time exceeded");
		else
			snprintf(str, sizeof str, "time exceeded-#%u", code);
		break;
	case 12:
		if (code)
			snprintf(str, sizeof str, "parameter problem - code %u",
				 code);
		else
			snprintf(str, sizeof str, "parameter problem - octet %u",
				 get8(l, bp + 4));
		break;
	case 5: {
		static const char *const fmt[] = {
			"redirect %s to net %s", "redirect %s to host %s",
			"redirect-tos %s to net %s", "redirect-tos %s to host %s"
		};
		char g[INET6_ADDRSTRLEN];

		ip4str(l, bp + 24, a);
		ip4str(l, bp + 4, g);
		if (code < 4)
			snprintf(str, sizeof str, fmt[code], a, g);
		else
			snprintf(str, sizeof str, "redirect-#%u %s to %s",
				 code, a, g);
		break;
	}
	case 4: snprintf(str, sizeof str, "source quench"); break;
	case 10: snprintf(str, sizeof str, "router solicitation"); break;
	case 13: snprintf(str, sizeof str, "time stamp request"); break;
	case 14: snprintf(str, sizeof str, "time stamp reply"); break;
	case 15: snprintf(str, sizeof str, "information request"); break;
	case 16: snprintf(str, sizeof str, "information reply"); break;
	case 17: snprintf(str, sizeof str, "address mask request"); break;
	default: snprintf(str, sizeof str, "type-#%u", type); break;
	}
	emit(l, "ICMP %s, length %u", str, length);
}

/* --- ICMPv6 (RFC 4443, RFC 4861) ------------------------------------------- */

/* icmp6_unreach: what a destination unreachable message is about, from
 * the start of the packet it returns (RFC 4443 section 3.1). */
static int icmp6_unreach(struct line *l, const uint8_t *bp, unsigned code)
{
	static const char *const name[] = {
		"unreachable route", "unreachable prohibited", "beyond scope",
		"unreachable address", "unreachable port"
	};
	const uint8_t *oip = bp + 8;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	unsigned nh;

	if (code >= 5) {
		emit(l, ", unknown unreach code (%u)", code);
		return 0;	/* and tcpdump prints no length */
	}
	emit(l, ", %s", name[code]);
	switch (code) {
	case 0: case 1: case 3:
		emit(l, " %s", ip6str(l, oip + 24, a));
		break;
	case 2:
		emit(l, " %s, source address %s", ip6str(l, oip + 24, a),
		     ip6str(l, oip + 8, b));
		break;
	case 4:
		nh = get8(l, oip + 6);
		if (nh != 6 && nh != 17)
			longjmp(l->trunc, 1);	/* no port to name */
		emit(l, ", %s %s port %u", ip6str(l, oip + 24, a),
		     nh == 6 ? "tcp" : "udp", get16(l, oip + 42));
		break;
	}
	return 1;
}

static void icmp6(struct line *l, const uint8_t *bp, unsigned length)
{
	unsigned type;
	char a[INET6_ADDRSTRLEN];

	l->proto = "icmp6";
	if (length == 0) {
		emit(l, "ICMP6, length 0 (invalid)");
		return;
	}
	type = get8(l, bp);
	emit(l, "ICMP6, ");
	switch (type) {
	case 128:
	case 129:
		emit(l, "echo %s", type == 128 ? "request" : "reply");
		emit(l, ", id %u, seq %u", get16(l, bp + 4), get16(l, bp + 6));
		break;
	case 133: emit(l, "router solicitation"); break;
	case 134: emit(l, "router advertisement"); break;
	case 135:
		emit(l, "neighbor solicitation");
		emit(l, ", who has %s", ip6str(l, bp + 8, a));
		break;
	case 136:
		emit(l, "neighbor advertisement");
		emit(l, ", tgt is %s", ip6str(l, bp + 8, a));
		break;
	case 1:
		emit(l, "destination unreachable");
		if (!icmp6_unreach(l, bp, get8(l, bp + 1)))
			return;
		break;
	case 2:
		emit(l, "packet too big");
		emit(l, ", mtu %u", get32(l, bp + 4));
		break;
	case 3:
		emit(l, "time exceeded in-transit");
		if (get8(l, bp + 1) == 0)
			emit(l, " for %s", ip6str(l, bp + 8 + 24, a));
		else if (get8(l, bp + 1) == 1)
			emit(l, " (reassembly)");
		else
			emit(l, ", unknown code (%u)", get8(l, bp + 1));
		break;
	case 4:
		emit(l, "parameter problem");
		switch (get8(l, bp + 1)) {
		case 0: emit(l, ", erroneous - octet %u", get32(l, bp + 4));
			break;
		case 1: emit(l, ", next header - octet %u", get32(l, bp + 4));
			break;
		case 2: emit(l, ", option - octet %u", get32(l, bp + 4));
			break;
		default: emit(l, ", code-#%u", get8(l, bp + 1)); break;
		}
		break;
	default: emit(l, "unknown icmp6 type (%u)", type); break;
	}
	emit(l, ", length %u", length);
}

static void ip4(struct line *l, const uint8_t *bp, unsigned length);
static void ip6(struct line *l, const uint8_t *bp, unsigned length);

/* demux: the payload of an IPv4 or IPv6 packet, by protocol number
 * (tcpdump's ip_demux_print). */
static void demux(struct line *l, const uint8_t *cp, unsigned len,
		  const struct ipinfo *ip, unsigned nh)
{
	switch (nh) {
	case 6: tcp(l, cp, len, ip); break;
	case 17: udp(l, cp, len, ip); break;
	case 1:
		if (ip->v6)
			emit(l, "[ICMP requires IPv4] (invalid)");
		else
			icmp(l, cp, len);
		break;
	case 58:
		if (!ip->v6)
			emit(l, "[ICMPv6 requires IPv6] (invalid)");
		else
			icmp6(l, cp, len);
		break;
	case 2:
		if (ip->v6)
			emit(l, "[IGMP requires IPv4] (invalid)");
		else
			emit(l, " ip-proto-%u %u", nh, len);
		break;
	case 4: ip4(l, cp, len); break;		/* IP in IP, RFC 2003 */
	case 41: ip6(l, cp, len); break;	/* IPv6 in IP, RFC 4213 */
	default: emit(l, " ip-proto-%u %u", nh, len); break;
	}
}

/* --- IPv4 (RFC 791) --------------------------------------------------------- */

static void ip4(struct line *l, const uint8_t *bp, unsigned length)
{
	struct ipinfo ip;
	unsigned hlen, len, off, proto;

	l->proto = "ip";
	if (get8(l, bp) >> 4 != 4) {
		if (get8(l, bp) >> 4 == 6)
			emit(l, "IP6, wrong link-layer encapsulation");
		else
			emit(l, "IP%u", get8(l, bp) >> 4);
		emit(l, " (invalid)");
		return;
	}
	emit(l, "IP ");
	need(l, bp, 20);
	hlen = (get8(l, bp) & 15) * 4;
	if (hlen < 20) {
		emit(l, "bad-hlen %u", hlen);
		return;
	}
	len = get16(l, bp + 2);
	if (len > length)
		emit(l, "truncated-ip - %u bytes missing! ", len - length);
	if (len < hlen) {
		emit(l, "bad-len %u", len);
		return;
	}
	/* the IP payload ends the bytes anyone may read */
	if (have(l, bp, len))
		l->end = bp + len;
	len -= hlen;
	off = get16(l, bp + 6);
	proto = get8(l, bp + 9);
	ip.v6 = 0;
	ip.src = bp + 12;
	ip.dst = bp + 16;
	ip.nh = proto;
	ip.fragmented = (off & 0x2000) != 0;
	if ((off & 0x1fff) != 0) {
		/* not the first fragment: no transport header to show */
		print_addrs(l, &ip, ":");
		emit(l, " ip-proto-%u", proto);
		return;
	}
	if (proto != 6 && proto != 17)
		print_addrs(l, &ip, ": ");
	if (!have(l, bp, hlen)) {
		emit(l, " [remaining caplen(%u) < header length(%u)]",
		     (unsigned)(l->end - bp), hlen);
		longjmp(l->trunc, 1);
	}
	demux(l, bp + hlen, len, &ip, proto);
}

/* --- IPv6 (RFC 8200) -------------------------------------------------------- */

/* has_jumbo: whether a hop-by-hop header of n captured bytes holds a Jumbo
 * Payload option (RFC 2675 section 2). */
static int has_jumbo(const uint8_t *p, unsigned n)
{
	unsigned i = 2;

	while (i < n) {
		if (p[i] == 0) {		/* Pad1 */
			i++;
			continue;
		}
		if (i + 2 > n || i + 2 + p[i + 1] > n)
			return 0;
		if (p[i] == 0xc2 && p[i + 1] == 4)
			return 1;
		i += 2 + p[i + 1];
	}
	return 0;
}

/* routing: a routing header (RFC 8200 section 4.4); types 0 and 2 carry
 * addresses. Returns 0 when the line is complete, else the header's size
 * in *adv. */
static int routing(struct line *l, const uint8_t *cp, unsigned *adv)
{
	char a[INET6_ADDRSTRLEN];
	unsigned len, type, i;

	l->proto = "rt6";
	emit(l, "RT6");
	len = get8(l, cp + 1);
	emit(l, " (len=%u", len);
	type = get8(l, cp + 2);
	emit(l, ", type=%u", type);
	if (type == 0)
		emit(l, " [Deprecated]");
	emit(l, ", segleft=%u", get8(l, cp + 3));
	if (type != 0 && type != 2) {
		emit(l, " (unknown type) (invalid)");
		return 0;
	}
	if (get32(l, cp + 4))
		emit(l, ", rsv=0x%0x", get32(l, cp + 4));
	if (len % 2 == 1) {
		emit(l, " [invalid length %u] (invalid)", len);
		return 0;
	}
	for (i = 0; i < len / 2; i++)
		emit(l, ", [%u]%s", i, ip6str(l, cp + 8 + 16 * i, a));
	emit(l, ") ");
	*adv = (len + 1) * 8;
	return 1;
}

static void ip6(struct line *l, const uint8_t *bp, unsigned length)
{
	struct ipinfo ip;
	const uint8_t *cp;
	unsigned plen, len, nh, adv, off;

	l->proto = "ip6";
	need(l, bp, 40);
	if (length < 40) {
		emit(l, "IP6 truncated-ip6 %u", length);
		return;
	}
	emit(l, "IP6 ");
	if (get8(l, bp) >> 4 != 6) {
		emit(l, "version error: %u != 6", get8(l, bp) >> 4);
		return;
	}
	plen = get16(l, bp + 4);
	if (plen != 0) {
		len = plen + 40;
		if (len > length)
			emit(l, "truncated-ip6 - %u bytes missing!",
			     len - length);
	} else if (get8(l, bp + 6) == 0) {
		/* maybe a jumbogram (RFC 2675): the hop-by-hop header says */
		len = length;
	} else {
		len = 40;
	}
	if (have(l, bp, len))
		l->end = bp + len;
	ip.v6 = 1;
	ip.src = bp + 8;
	ip.dst = bp + 24;
	nh = get8(l, bp + 6);
	ip.nh = nh;
	ip.fragmented = 0;
	cp = bp;
	adv = 40;
	/* the extension headers, RFC 8200 section 4 */
	while (cp < l->end && adv > 0) {
		if (len < adv)
			longjmp(l->trunc, 1);
		cp += adv;
		len -= adv;
		if (cp == bp + 40 && nh != 6 && nh != 17)
			print_addrs(l, &ip, ": ");
		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 60:	/* destination options */
			l->proto = nh ? "dstopt" : "hbhopt";
			adv = (get8(l, cp + 1) + 1) * 8;
			need(l, cp, adv);
			emit(l, nh ? "DSTOPT " : "HBH ");
			if (nh == 0 && plen == 0 && !has_jumbo(cp, adv)) {
				emit(l, "[No valid Jumbo Payload Hop-by-Hop "
				     "option found] (invalid)");
				return;
			}
			nh = get8(l, cp);
			break;
		case 43:	/* routing */
			if (!routing(l, cp, &adv))
				return;
			nh = get8(l, cp);
			break;
		case 44:	/* fragment */
			l->proto = "frag6";
			off = get16(l, cp + 2) & 0xfff8;
			emit(l, "frag (%u|%u)", off,
			     40 + plen - (unsigned)(cp - bp) - 8);
			if (off != 0)
				return;
			emit(l, " ");
			if (l->end <= cp + 8)
				return;
			ip.fragmented = 1;
			adv = 8;
			nh = get8(l, cp);
			break;
		case 59:
			emit(l, "no next header");
			return;
		default:
			demux(l, cp, len, &ip, nh);
			return;
		}
		l->proto = "ip6";
	}
}

/* --- link layers ------------------------------------------------------------- */

static const char *ethertype_name(unsigned type);

/* linkaddr: n bytes as colon-separated hex, as tcpdump prints a hardware
 * address of any length (at most 255 bytes: s holds 3 * 255). */
static const char *linkaddr(struct line *l, const uint8_t *p, unsigned n,
			    char *s)
{
	unsigned i;

	need(l, p, n);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		sprintf(s + (i ? 3 * i - 1 : 0), i ? ":%02x" : "%02x", p[i]);
	return s;
}

/* ARP (RFC 826). */
static void arp(struct line *l, const uint8_t *bp, unsigned length)
{
	unsigned hrd, pro, hln, pln, op, i;
	const uint8_t *sha, *spa, *tha, *tpa;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], m[800], n[800];
	const char *hname;

	l->proto = "arp";
	need(l, bp, 8);
	hrd = get16(l, bp);
	pro = get16(l, bp + 2);
	hln = get8(l, bp + 4);
	pln = get8(l, bp + 5);
	op = get16(l, bp + 6);
	sha = bp + 8;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	need(l, tpa, pln);
	emit(l, "ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0) {
		switch (hrd) {
		case 1: hname = "Ethernet"; break;
		case 6: hname = "TokenRing"; break;
		case 7: hname = "ArcNet"; break;
		case 15: hname = "FrameRelay"; break;
		case 23: hname = "Strip"; break;
		case 24: hname = "IEEE 1394"; break;
		default: hname = NULL; break;
		}
		if (hname)
			emit(l, "%s (len %u), ", hname, hln);
		else
			emit(l, "Unknown Hardware (%u) (len %u), ", hrd, hln);
		if (strcmp(ethertype_name(pro), "Unknown"))
			emit(l, "%s (len %u)", ethertype_name(pro), pln);
		else
			emit(l, "Unknown Protocol (0x%04x) (len %u)", pro, pln);
		emit(l, ", length %u", length);
		return;
	}
	switch (op) {
	case 1:
		emit(l, "Request who-has %s", ip4str(l, tpa, a));
		need(l, tha, hln);
		for (i = 0; i < hln && !tha[i]; i++)
			;
		if (i < hln)
			emit(l, " (%s)", linkaddr(l, tha, hln, m));
		emit(l, " tell %s", ip4str(l, spa, a));
		break;
	case 2:
		emit(l, "Reply %s is-at %s", ip4str(l, spa, a),
		     linkaddr(l, sha, hln, m));
		break;
	case 3:
		emit(l, "Reverse Request who-is %s tell %s",
		     linkaddr(l, tha, hln, m), linkaddr(l, sha, hln, n));
		break;
	case 4:
		emit(l, "Reverse Reply %s at %s", linkaddr(l, tha, hln, m),
		     ip4str(l, tpa, b));
		break;
	default:	/* tcpdump goes on with a hex dump (see tcpprint.h) */
		emit(l, "Unknown (%u) ", op);
		return;
	}
	emit(l, ", length %u", length);
}

/* ethertype: prints the payload of a known ethertype; returns 0 if the type
 * is not one we print. */
static int ethertype(struct line *l, unsigned type, const uint8_t *p,
		     unsigned length)
{
	switch (type) {
	case 0x0800: ip4(l, p, length); return 1;
	case 0x86dd: ip6(l, p, length); return 1;
	case 0x0806: arp(l, p, length); return 1;
	}
	return 0;
}

static const char *ethertype_name(unsigned type)
{
	switch (type) {
	case 0x0800: return "IPv4";
	case 0x0806: return "ARP";
	case 0x86dd: return "IPv6";
	case 0x8100: return "802.1Q";
	case 0x88cc: return "LLDP";
	case 0x9000: return "Loopback";
	}
	return "Unknown";
}

static void ether(struct line *l, const uint8_t *p, unsigned length)
{
	char s[20], d[20];
	unsigned type;

	l->proto = "ether";
	if (!have(l, p, 14) || length < 14)
		longjmp(l->trunc, 1);
	type = get16(l, p + 12);
	if (type <= 1500) {
		emit(l, "%s > %s, 802.3, length %u", macstr(p + 6, s),
		     macstr(p, d), type);
		return;
	}
	if (!ethertype(l, type, p + 14, length - 14))
		emit(l, "%s > %s, ethertype %s (0x%04x), length %u: ",
		     macstr(p + 6, s), macstr(p, d), ethertype_name(type),
		     type, length);
}

static const char *sll_pkttype(unsigned t)
{
	static const char *const name[] = { "In", "B", "M", "P", "Out" };

	return t < 5 ? name[t] : "?";
}

/* sll_unknown: the cooked header, printed before tcpdump's hex dump of a
 * payload it does not know (see tcpprint.h). */
static void sll_unknown(struct line *l, unsigned halen, const uint8_t *addr,
			unsigned type, unsigned length)
{
	char m[20];

	if (halen == 6)
		emit(l, "%s ", macstr(addr, m));
	if (type == 1)
		emit(l, "802.3");
	else if (type == 4)
		emit(l, "802.2");
	else
		emit(l, "ethertype %s (0x%04x)", type <= 1500 ? "Unknown" :
		     ethertype_name(type), type);
	emit(l, ", length %u: ", length);
}

/* Linux "cooked" v2 header (-i any): protocol, reserved, ifindex, hatype,
 * pkttype, halen, address[8]. tcpdump names the interface by looking the
 * index up on the machine that prints, and so do we. */
static void sll2(struct line *l, const uint8_t *p, unsigned length)
{
	char ifname[IF_NAMESIZE + 1];
	unsigned type;

	l->proto = "sll2";
	need(l, p, 20);
	if (!if_indextoname(get32(l, p + 4), ifname))
		strcpy(ifname, "?");
	emit(l, "%-5s ", ifname);
	emit(l, "%-3s ", sll_pkttype(get8(l, p + 10)));
	type = get16(l, p);
	if (length < 20)
		return;
	if (type <= 1500)
		return;		/* tcpdump: 802.3/802.2 or a hex dump */
	if (!ethertype(l, type, p + 20, length - 20)) {
		emit(l, "ifindex %u ", get32(l, p + 4));
		sll_unknown(l, get8(l, p + 11), p + 12, type, length);
	}
}

/* Linux "cooked" v1 header: pkttype, hatype, halen, address[8], protocol. */
static void sll(struct line *l, const uint8_t *p, unsigned length)
{
	unsigned type;

	l->proto = "sll";
	need(l, p, 16);
	type = get16(l, p + 14);
	if (length < 16 || type <= 1500)
		return;
	if (!ethertype(l, type, p + 16, length - 16)) {
		emit(l, "%3s ", sll_pkttype(get16(l, p)));
		sll_unknown(l, get16(l, p + 4), p + 6, type, length);
	}
}

static void raw(struct line *l, const uint8_t *p, unsigned length)
{
	l->proto = "raw";
	switch (get8(l, p) >> 4) {
	case 4: ip4(l, p, length); break;
	case 6: ip6(l, p, length); break;
	default: emit(l, "unknown ip %u", get8(l, p) >> 4); break;
	}
}

/* BSD loopback: a 4-byte address family in the capturing host's order. */
static void null(struct line *l, const uint8_t *p, unsigned length)
{
	uint32_t af;

	l->proto = "null";
	need(l, p, 4);
	memcpy(&af, p, 4);
	if (af & 0xffff0000u)
		af = __builtin_bswap32(af);
	switch (af) {
	case 2: ip4(l, p + 4, length - 4); break;
	case 24: case 28: case 30: ip6(l, p + 4, length - 4); break;
	default: emit(l, "AF Unknown (%u), length %u: ", af, length); break;
	}
}

/* --- time stamps -------------------------------------------------------------- */

static void print_time(struct line *l, const struct pcap_pkthdr *h)
{
	struct tcpprint *tp = l->tp;
	long long sec = h->ts.tv_sec, frac = h->ts.tv_usec, unit;
	int digits = tp->opts.nano ? 9 : 6;
	struct tm tm;
	time_t t;

	if (tp->ts_nano && !tp->opts.nano)
		frac /= 1000;
	else if (!tp->ts_nano && tp->opts.nano)
		frac *= 1000;
	unit = tp->opts.nano ? 1000000000 : 1000000;
	switch (tp->opts.time) {
	case TCPPRINT_TIME_NONE:
		return;
	case TCPPRINT_TIME_ABS:
		t = (time_t)sec;
		if (!localtime_r(&t, &tm)) {
			emit(l, "[localtime() fails] ");
			return;
		}
		emit(l, "%02d:%02d:%02d.%0*llu ", tm.tm_hour, tm.tm_min,
		     tm.tm_sec, digits, (unsigned long long)frac);
		return;
	case TCPPRINT_TIME_SINCE_FIRST: {
		long long ds, df;
		int neg = 0;

		if (!tp->have_first) {
			tp->have_first = 1;
			tp->first_sec = sec;
			tp->first_frac = frac;
		}
		if (sec < tp->first_sec ||
		    (sec == tp->first_sec && frac < tp->first_frac)) {
			neg = 1;
			ds = tp->first_sec - sec;
			df = tp->first_frac - frac;
		} else {
			ds = sec - tp->first_sec;
			df = frac - tp->first_frac;
		}
		if (df < 0) {
			df += unit;
			ds--;
		}
		/* tcpdump formats the difference with gmtime(): whole days
		 * vanish from the hours */
		emit(l, "%s%02lld:%02lld:%02lld.%0*llu ", neg ? "-" : " ",
		     ds / 3600 % 24, ds % 3600 / 60, ds % 60, digits,
		     (unsigned long long)df);
		return;
	}
	}
}

/* --- the public functions ------------------------------------------------------ */

struct tcpprint *tcpprint_new(int dlt, int ts_precision_nano,
			      const struct tcpprint_opts *opts)
{
	struct tcpprint *tp = calloc(1, sizeof *tp);

	if (!tp)
		return NULL;
	tp->dlt = dlt;
	tp->ts_nano = ts_precision_nano != 0;
	if (opts)
		tp->opts = *opts;
	return tp;
}

/* print_link: the packet from its link-layer header on. */
static void print_link(struct line *l, const uint8_t *bytes, unsigned length)
{
	switch (l->tp->dlt) {
	case DLT_EN10MB: ether(l, bytes, length); break;
	case DLT_LINUX_SLL2: sll2(l, bytes, length); break;
	case DLT_LINUX_SLL: sll(l, bytes, length); break;
	case DLT_RAW: case DLT_IPV4: case DLT_IPV6: raw(l, bytes, length); break;
	case DLT_NULL: case DLT_LOOP: null(l, bytes, length); break;
	default:
		emit(l, "unsupported link type %d, length %u", l->tp->dlt,
		     length);
		break;
	}
}

size_t tcpprint_packet(struct tcpprint *tp, const struct pcap_pkthdr *h,
		       const unsigned char *bytes, char *buf, size_t buflen)
{
	struct line line;
	char dummy[1];

	memset(&line, 0, sizeof line);
	line.tp = tp;
	line.buf = buflen ? buf : dummy;
	line.cap = buflen ? buflen : 1;
	line.buf[0] = '\0';
	line.end = bytes + h->caplen;
	line.proto = "?";
	print_time(&line, h);
	if (setjmp(line.trunc) == 0)
		print_link(&line, bytes, h->len);
	else
		emit(&line, " [|%s]", line.proto);
	return line.buf == dummy ? 0 : line.len;
}

void tcpprint_free(struct tcpprint *tp)
{
	struct conv *c, *next;
	size_t i;

	if (!tp)
		return;
	for (i = 0; i < tp->nbucket; i++)
		for (c = tp->bucket[i]; c; c = next) {
			next = c->next;
			free(c);
		}
	free(tp->bucket);
	free(tp);
}
