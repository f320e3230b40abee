/* sockdiag.c: TCP socket states through netlink sock_diag (see sockdiag.h). */
#include "sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char *sockdiag_state_name(int state)
{
	/* Numbering of include/net/tcp_states.h. */
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING", "NEW_SYN_RECV",
	};
	if (state < 0 || state >= (int)(sizeof names / sizeof names[0]))
		return "?";
	return names[state];
}

static void format_addr(int family, const __be32 *a, __be16 port, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(family, a, ip, sizeof ip);
	if (family == AF_INET6)
		snprintf(out, len, "[%s]:%u", ip, ntohs(port));
	else
		snprintf(out, len, "%s:%u", ip, ntohs(port));
}

/* One dump for one family; appends to out. Returns the new count or -1. */
static int dump_family(int nl, int family, struct sockdiag_entry *out, int n,
		       int max, char *msg, size_t msglen)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} rq;
	static char buf[32768];
	ssize_t got;
	struct timespec lo, hi, at;
	long err_us;

	memset(&rq, 0, sizeof rq);
	rq.nlh.nlmsg_len = sizeof rq;
	rq.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	rq.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rq.req.sdiag_family = (unsigned char)family;
	rq.req.sdiag_protocol = IPPROTO_TCP;
	rq.req.idiag_states = ~0u;
	rq.req.idiag_ext = 1 << (INET_DIAG_INFO - 1);
	/*
	 * When the kernel wrote what it says of each socket. A dump is filled
	 * in batches: the first inside send() (netlink_dump_start() calls
	 * netlink_dump()), each next one inside the recv() that takes the one
	 * before (netlink_recvmsg()). So each entry is stamped with the middle
	 * of the call that filled it, not with the time the reader got round
	 * to it: on a one-CPU machine the harness can be preempted between
	 * the two, and an entry's timer (idiag_expires, counted from the
	 * kernel's jiffies at that moment) would then look due that much later.
	 */
	clock_gettime(CLOCK_REALTIME, &lo);
	if (send(nl, &rq, sizeof rq, 0) < 0) {
		snprintf(msg, msglen, "sock_diag request: %s", strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_REALTIME, &hi);
	/* A dump ends with NLMSG_DONE; the loop is bounded by the kernel's
	 * finite socket table and by the recv timeout set on nl. */
	for (;;) {
		struct timespec rlo;
		at = lo;
		at.tv_sec += (hi.tv_sec - lo.tv_sec) / 2;
		at.tv_nsec += ((hi.tv_sec - lo.tv_sec) % 2) * 500000000L + (hi.tv_nsec - lo.tv_nsec) / 2;
		while (at.tv_nsec >= 1000000000L) {
			at.tv_nsec -= 1000000000L;
			at.tv_sec++;
		}
		while (at.tv_nsec < 0) {
			at.tv_nsec += 1000000000L;
			at.tv_sec--;
		}
		err_us = ((hi.tv_sec - lo.tv_sec) * 1000000L + (hi.tv_nsec - lo.tv_nsec) / 1000 + 1) / 2;
		clock_gettime(CLOCK_REALTIME, &rlo);
		got = recv(nl, buf, sizeof buf, 0);
		lo = rlo;
		clock_gettime(CLOCK_REALTIME, &hi);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(msg, msglen, "sock_diag recv: %s", strerror(errno));
			return -1;
		}
		if (got == 0)
			return n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)got);
		     h = NLMSG_NEXT(h, got)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return n;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				snprintf(msg, msglen, "sock_diag: %s", strerror(-e->error));
				errno = -e->error;
				return -1;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			struct inet_diag_msg *d = NLMSG_DATA(h);
			if (n >= max)
				continue;
			struct sockdiag_entry *e = &out[n++];
			memset(e, 0, sizeof *e);
			e->family = d->idiag_family;
			format_addr(d->idiag_family, d->id.idiag_src, d->id.idiag_sport,
				    e->local, sizeof e->local);
			format_addr(d->idiag_family, d->id.idiag_dst, d->id.idiag_dport,
				    e->remote, sizeof e->remote);
			e->state = d->idiag_state;
			e->rqueue = d->idiag_rqueue;
			e->wqueue = d->idiag_wqueue;
			e->timer = d->idiag_timer;
			memcpy(e->laddr, d->id.idiag_src, 16);
			memcpy(e->raddr, d->id.idiag_dst, 16);
			e->lport = ntohs(d->id.idiag_sport);
			e->rport = ntohs(d->id.idiag_dport);
			{
				/* INET_DIAG_INFO is a struct tcp_info (<linux/tcp.h>, a
				 * uapi struct that only ever grows at its end), whose
				 * tcpi_segs_in is at byte 140 (since Linux 4.2). */
				struct rtattr *a = (struct rtattr *)((char *)d + NLMSG_ALIGN(sizeof *d));
				int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *d));
				for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
					if (a->rta_type == INET_DIAG_INFO && RTA_PAYLOAD(a) >= 144) {
						memcpy(&e->segs_in, (char *)RTA_DATA(a) + 140, 4);
						e->has_info = 1;
					}
			}
			e->expires_ms = d->idiag_expires;
			e->read_at = at;
			e->read_err_us = err_us;
			/* No inode means no file refers to the socket. After
			 * close() that is an orphan (tcp_close(): FIN_WAIT1 and on);
			 * an ESTABLISHED or CLOSE_WAIT socket without one is still
			 * in a listener's accept queue. TIME_WAIT sockets are
			 * mini-sockets that never have one. */
			if (d->idiag_inode == 0) {
				switch (d->idiag_state) {
				case TCP_ESTABLISHED: case TCP_CLOSE_WAIT: case TCP_SYN_RECV:
					e->unaccepted = 1;
					break;
				case TCP_TIME_WAIT: case TCP_LISTEN:
					break;
				default:
					e->orphan = 1;
				}
			}
		}
	}
}

static int by_address(const void *a, const void *b)
{
	const struct sockdiag_entry *x = a, *y = b;
	int c = strcmp(x->local, y->local);
	return c ? c : strcmp(x->remote, y->remote);
}

int sockdiag_read(struct sockdiag_entry *out, int max, char *msg, size_t msglen)
{
	struct timeval tv = { .tv_sec = 1 };
	int nl, n = 0;

	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0) {
		snprintf(msg, msglen, "socket(NETLINK_SOCK_DIAG): %s", strerror(errno));
		return -1;
	}
	setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	n = dump_family(nl, AF_INET, out, n, max, msg, msglen);
	if (n >= 0)
		n = dump_family(nl, AF_INET6, out, n, max, msg, msglen);
	close(nl);
	if (n > 0)
		qsort(out, (size_t)n, sizeof *out, by_address);
	return n;
}

char *sockdiag_format(const struct sockdiag_entry *e, char *buf, size_t len)
{
	static const char *const timers[] = { "", "retransmit", "keepalive", "time-wait", "probe" };
	size_t k;

	if (e->state == TCP_LISTEN)
		/* inet_diag: a listener's rqueue is its accept queue's length,
		 * wqueue its limit (sk_ack_backlog, sk_max_ack_backlog) */
		k = (size_t)snprintf(buf, len, "%s LISTEN accept-q %u backlog %u", e->local,
				     e->rqueue, e->wqueue);
	else
		k = (size_t)snprintf(buf, len, "%s > %s %s", e->local, e->remote,
				     sockdiag_state_name(e->state));
	if (k < len && e->orphan)
		k += (size_t)snprintf(buf + k, len - k, " orphan");
	if (k < len && e->unaccepted)
		k += (size_t)snprintf(buf + k, len - k, " (not accepted yet)");
	if (k < len && e->state != TCP_LISTEN && (e->rqueue || e->wqueue))
		k += (size_t)snprintf(buf + k, len - k, " recv-q %u send-q %u", e->rqueue, e->wqueue);
	if (k < len && e->timer > 0 && e->timer < 5) {
		/* The name says what the timer is for. An orphan in FIN_WAIT2 is
		 * usually a timewait mini-socket (tcp_close() calls tcp_time_wait(sk,
		 * TCP_FIN_WAIT2, tmo)), so the kernel reports a TIME_WAIT timer:
		 * it is the FIN_WAIT2 timeout. A retransmit timer's remainder
		 * depends on the measured RTT and would make builds differ, so
		 * only the long timers show whole seconds, rounded up. */
		const char *what = timers[e->timer];
		/* In FIN_WAIT2 either timer is the FIN_WAIT2 timeout: a
		 * timewait mini-socket's, or the keepalive timer, which
		 * tcp_rcv_state_process() arms instead when the ACK of the FIN
		 * is processed while a program holds the socket's lock. Which
		 * one depends on timing, not on the kernel's policy. */
		if (e->state == TCP_FIN_WAIT2 && (e->timer == 2 || e->timer == 3))
			what = "fin-wait-2";
		if (e->timer == 1 || e->timer == 4)
			k += (size_t)snprintf(buf + k, len - k, " timer %s", what);
		else
			k += (size_t)snprintf(buf + k, len - k, " timer %s %u s", what,
					      (e->expires_ms + 999) / 1000);
	}
	return buf;
}
