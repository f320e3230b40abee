/*
 * wirespec.h: the wire's lines of an experiment block, parsed.
 *
 * An experiment may say what its network does besides carrying packets
 * (AUTHORING.md, "The wire"): drop, delay, blackhole and inject faults, a
 * real link between two namespaces with its round-trip time, and sysctls.
 * This module only parses those lines; tangle uses it to report mistakes at
 * the chapter's line, the harness (wire.c) to run them. It makes no system
 * call and keeps no state.
 *
 * Every string in a struct wire_rule is owned by it: wirespec_free() frees
 * them, and tolerates a zeroed rule.
 */
#ifndef WIRESPEC_H
#define WIRESPEC_H

#include <stddef.h>

enum wire_kind {
	WIRE_DROP,		/* drop: [#N|#N-M|#N+] [from ROLE] [PATTERN] */
	WIRE_DELAY,		/* delay: DURATION [#...] [from ROLE] [PATTERN] */
	WIRE_BLACKHOLE,		/* blackhole: from STEP [until STEP] */
	WIRE_INJECT,		/* inject: at STEP to PORT flags F [seq E] [ack E] [win N] [data N] */
	WIRE_LINK,		/* link: ROLE... | ROLE... */
	WIRE_RTT,		/* rtt: DURATION */
	WIRE_SYSCTL,		/* sysctl: net.x.y=VALUE */
};

/* A sequence or acknowledgement number of an injected segment: a number,
 * or the target's rcv_nxt or snd_nxt as the wire saw them, plus an offset. */
enum wire_base { WIRE_NUM, WIRE_RCV_NXT, WIRE_SND_NXT };
struct wire_expr {
	enum wire_base base;
	long long offset;
	int given;
};

#define WIRE_EVERY (-1L)	/* last: no upper bound */

struct wire_rule {
	enum wire_kind kind;
	long first, last;	/* drop, delay: which matches, 1-based; last WIRE_EVERY */
	long delay_us;		/* delay, rtt */
	char *from_role;	/* drop, delay: only packets this role's side sent */
	char *pattern;		/* drop, delay: a claims pattern; NULL matches all */
	char *step, *until;	/* blackhole: from, until (NULL: to the end); inject: at */
	unsigned to_port;	/* inject: the endpoint the segment is sent to */
	char flags[8];		/* inject: tcpdump's letters: S F R P . */
	struct wire_expr seq, ack;
	unsigned win;		/* inject: window, 0 = the peer's last one */
	unsigned data;		/* inject: bytes of payload */
	char *sysctl_name, *sysctl_value;	/* "net.ipv4.tcp_fin_timeout", "2" */
	char **left, **right;	/* link: the roles on each side */
	size_t nleft, nright;
};

/* Is key one of the wire's keys (drop, delay, ...)? */
int wirespec_is_key(const char *key);

/*
 * Parses the value of one wire line. Returns 0 and fills *out, or -1 with
 * a message in err (lowercase, no full stop) and in *col the 0-based offset
 * in value where the mistake is.
 */
int wirespec_parse(const char *key, const char *value, struct wire_rule *out,
		   char *err, size_t errlen, int *col);

/* Frees what *r owns and zeroes it. */
void wirespec_free(struct wire_rule *r);

/* Does line contain pat, where '*' in pat stands for any text? The claims'
 * pattern language (code/check/claims.c), for one line. */
int wirespec_match(const char *line, const char *pat);

#endif
