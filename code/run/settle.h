/*
 * settle.h: a snapshot consistent with the capture.
 *
 * libpcap sees a segment on lo in the receive path just before TCP does
 * (the packet tap runs in __netif_receive_skb_core, then ip_rcv and
 * tcp_v4_rcv), and the harness may read the capture before the receiving
 * socket has processed it, more so when the softirq runs in ksoftirqd on a
 * loaded machine. A socket snapshot taken then shows the socket as it was
 * before the segment the trace already shows (a FIN_WAIT1 orphan whose FIN
 * the trace shows acknowledged). So before a snapshot, and before a program
 * waiting for a packet is released, the harness waits until every socket
 * has been given every segment the capture saw toward it, bounded.
 *
 * "Given" is tcp_info's tcpi_segs_in, which tcp_v4_rcv and tcp_v6_rcv count
 * under the socket's lock before processing the segment (or putting it on
 * the backlog of a socket a program holds locked, which is processed when
 * the program releases it). A passive socket is born counting 1 for the SYN
 * (tcp_create_openreq_child sets segs_in = 1) from the segment that
 * completes the handshake, which it does not count. Timewait and request
 * sockets have no tcp_info: a timewait socket in FIN_WAIT2 is unsettled
 * while the capture shows a FIN toward it (it must become TIME_WAIT);
 * request sockets are taken as they are.
 */
#ifndef SETTLE_H
#define SETTLE_H

#include <stddef.h>

/* One direction of one connection: the segments toward an endpoint. */
struct settle_flow {
	int family;
	unsigned char laddr[16], raddr[16];	/* the receiver is "local" */
	unsigned lport, rport;
	unsigned seen;		/* segments captured toward it */
	unsigned expect;	/* what its tcpi_segs_in must reach */
	int passive, born;	/* its first segment was a SYN; the socket exists */
	int fin;		/* a FIN was captured toward it */
};

struct settle {
	struct settle_flow *v;
	size_t n, cap;
};
#define SETTLE_INIT { NULL, 0, 0 }

/* Records one captured frame of link type dlt (DLT_EN10MB, DLT_LINUX_SLL,
 * DLT_LINUX_SLL2, DLT_RAW, DLT_NULL); anything but TCP is ignored. */
void settle_packet(struct settle *s, int dlt, const unsigned char *p, size_t caplen);

/*
 * Waits at most max_ms until every TCP socket of the namespace has been
 * given the segments captured toward it. Returns 0 when they have, 1 when
 * the bound was reached (msg names a socket and its count), -1 when
 * sock_diag failed (msg says why).
 */
int settle_wait(const struct settle *s, int max_ms, char *msg, size_t len);

void settle_release(struct settle *s);

#endif
