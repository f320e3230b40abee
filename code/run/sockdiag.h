/*
 * sockdiag.h: every TCP socket of the current network namespace, read
 * through netlink sock_diag (what `ss -tan` uses).
 *
 * Unlike getsockopt(TCP_INFO), sock_diag also sees sockets that no process
 * holds any more: orphans after close() (FIN_WAIT1, FIN_WAIT2, LAST_ACK,
 * CLOSING) and TIME_WAIT, which is where most of this book's story happens.
 */
#ifndef SOCKDIAG_H
#define SOCKDIAG_H

#include <stddef.h>
#include <time.h>

struct sockdiag_entry {
	int family;			/* AF_INET or AF_INET6 */
	char local[64], remote[64];	/* "127.0.0.1:9999", "[::1]:9999" */
	int state;			/* TCP_ESTABLISHED ... (netinet/tcp.h) */
	unsigned rqueue, wqueue;	/* bytes; for LISTEN: backlog in use/max */
	int timer;			/* 0 none, 1 retransmit, 2 keepalive,
					 * 3 TIME_WAIT, 4 zero-window probe */
	unsigned expires_ms;		/* when the timer fires, from read_at */
	struct timespec read_at;	/* CLOCK_REALTIME when the kernel wrote
					 * this entry: the middle of the send()
					 * or recv() in which it did (a dump's
					 * batches are filled in those calls) */
	long read_err_us;		/* half that call's length: read_at is
					 * right to within it */
	int orphan;			/* closed by its program, alive in the kernel */
	int unaccepted;			/* in a listener's accept queue */
	/* The raw endpoints, for matching a socket with captured packets. */
	unsigned char laddr[16], raddr[16];	/* IPv4 in the first 4 bytes */
	unsigned lport, rport;
	/* From tcp_info (INET_DIAG_INFO), for full sockets only: timewait and
	 * request sockets have none. */
	int has_info;
	unsigned segs_in;		/* tcpi_segs_in: segments the socket was given */
};

/*
 * Reads all TCP sockets, IPv4 then IPv6, sorted by local then remote
 * address. Returns the count (at most max) or -1 with errno set; msg gets a
 * reason such as "socket(NETLINK_SOCK_DIAG): Protocol not supported".
 */
int sockdiag_read(struct sockdiag_entry *out, int max, char *msg, size_t msglen);

/* "ESTABLISHED", "FIN_WAIT2", ...: a static string. */
const char *sockdiag_state_name(int state);

/*
 * One line for an entry, such as
 * "127.0.0.1:9999 > 127.0.0.1:40000 FIN_WAIT2 orphan timer 60 s".
 * The remote is left out for LISTEN, which shows its accept queue instead:
 * "127.0.0.1:9999 LISTEN accept-q 1 backlog 1" (connections waiting for
 * accept(), and the most it holds: listen()'s backlog, capped by
 * net.core.somaxconn). Another socket shows "recv-q N send-q M" only when
 * either is not 0. Returns buf.
 */
char *sockdiag_format(const struct sockdiag_entry *e, char *buf, size_t len);

#endif
