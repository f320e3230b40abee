/* wire.c: the experiment's network, made imperfect on purpose (wire.h). */
#include "run.h"
#include "wire.h"
#include "wirespec.h"
#include <arpa/inet.h>
#include <endian.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>

#define LEFT_ADDR "192.0.2.1"	/* RFC 5737 TEST-NET-1: documentation only */
#define RIGHT_ADDR "192.0.2.2"
#define LINK_DEV "eth0"
#define DEFAULT_RTT_US 10000
#define INJECT_MARK 0x77697265u	/* "wire": the wire's own segments */
#define MAX_HELD 4096
#define MAX_FLOWS 64
#define MAX_PENDING 256

/* The queues: left's output (faults), right's output (faults and half the
 * round trip), right's input (the other half). */
enum { Q_LEFT_OUT, Q_RIGHT_OUT, Q_RIGHT_IN, NQUEUES };

struct held {
	int q;
	uint32_t id;
	struct timespec due;
	unsigned char *drop;	/* a copy of a packet to drop when due, or NULL */
	size_t drop_len;
	int drop_family;
	struct timespec queued;	/* when the harness read it (calls.txt) */
	struct timespec read;	/* CLOCK_REALTIME when the harness read it */
	struct timespec since;	/* CLOCK_REALTIME the hold counts from */
	long us;		/* how long it is held */
};

/* A queued packet the capture has still to show: its bytes, its mark
 * ("" for none) and when the harness read it from its first queue. */
struct pending {
	unsigned char *ip;
	size_t len;
	char mark[64];
	struct timespec queued;
};

struct endpoint {
	int family;
	unsigned char addr[16];
	uint16_t port;
	uint32_t nxt;		/* one past the last sequence number it sent */
	uint32_t acked_nxt;	/* the same, of what the wire let through */
	uint16_t win;
	int seen, seen_acked;
};

struct flow {
	struct endpoint a, b;
	unsigned long last;	/* packet count when last seen */
};

struct wire {
	struct wire_rule *rules;
	int nrules;
	long *matched;		/* per rule: matches so far */
	char *blackhole;	/* per rule: active */
	int link;		/* a link: two namespaces */
	char **right_roles;
	size_t nright;
	long rtt_us;
	int queueing;
	int main_ns, peer_ns;	/* namespace descriptors; peer -1 without a link */
	struct mnl_socket *nl[2];	/* queue sockets: left namespace, right */
	unsigned portid[2];
	int peer_lfd;
	int raw[2];		/* raw sockets for injection: left, right */
	int tsfd;		/* keeps the kernel stamping queued packets */
	unsigned long stat_stamped;	/* queued packets with the kernel's time */
	struct tcpprint *tp;	/* prints queued packets (IP, no link header) */
	struct held held[MAX_HELD];
	int nheld;
	struct pending pending[MAX_PENDING];
	int npending;
	struct flow flows[MAX_FLOWS];
	int nflows;
	unsigned long npackets;
	unsigned long stat_queued, stat_dropped, stat_delayed, stat_injected;
	long late_max_us;	/* the latest a held packet was let out */
	double stat_us;		/* time spent deciding, for make bench */
	double setup_us;	/* time wire_setup() took */
	struct sb log;		/* RUNDIR/wire: what the wire was and did */
	char *buf;		/* MNL_SOCKET_BUFFER_SIZE + 64 KiB */
	size_t buflen;
};

/* --- small helpers ------------------------------------------------------------ */

static void ts_add_us(struct timespec *t, long us)
{
	t->tv_sec += us / 1000000;
	t->tv_nsec += (us % 1000000) * 1000;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	} else if (t->tv_nsec < 0) {	/* us < 0: a hold already overdue */
		t->tv_nsec += 1000000000L;
		t->tv_sec--;
	}
}

/* Runs fn(arg) with the calling thread in namespace ns, then goes back. */
static int in_ns(struct wire *w, int ns, int (*fn)(struct wire *, void *), void *arg)
{
	int rc;
	if (ns < 0 || ns == w->main_ns)
		return fn(w, arg);
	if (setns(ns, CLONE_NEWNET) < 0)
		return -1;
	rc = fn(w, arg);
	if (setns(w->main_ns, CLONE_NEWNET) < 0)
		die("setns back to the experiment's namespace: %s", strerror(errno));
	return rc;
}

static int role_on_right(const struct wire *w, const char *role)
{
	for (size_t i = 0; i < w->nright; i++)
		if (!strcmp(w->right_roles[i], role))
			return 1;
	return 0;
}

/* What an operation in a namespace reports, and on which side it is. */
struct nsop { char *msg; size_t len; int rc; };

/* --- sysctls ----------------------------------------------------------------- */

static int set_sysctls(struct wire *w, void *arg)
{
	char *msg = ((struct nsop *)arg)->msg;
	size_t len = ((struct nsop *)arg)->len;
	for (int i = 0; i < w->nrules; i++) {
		struct wire_rule *ru = &w->rules[i];
		char path[PATH_MAX], *p;
		if (ru->kind != WIRE_SYSCTL)
			continue;
		snprintf(path, sizeof path, "/proc/sys/%s", ru->sysctl_name);
		for (p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		if (write_proc(path, ru->sysctl_value) < 0) {
			snprintf(msg, len, "sysctl %s=%s: cannot write '%s': %s%s", ru->sysctl_name,
				 ru->sysctl_value, path, strerror(errno),
				 errno == ENOENT ? " (this kernel has no such sysctl)" : "");
			return -1;
		}
	}
	return 0;
}

/* --- the link: rtnetlink -------------------------------------------------------- */

static int rtnl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, char *msg, size_t len, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned portid = mnl_socket_get_portid(nl);
	ssize_t n;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		snprintf(msg, len, "%s: sendto: %s", what, strerror(errno));
		return -1;
	}
	n = mnl_socket_recvfrom(nl, buf, sizeof buf);
	if (n < 0 || mnl_cb_run(buf, (size_t)n, 1, portid, NULL, NULL) < 0) {
		snprintf(msg, len, "%s: %s%s", what, strerror(errno),
			 errno == EOPNOTSUPP || errno == ENOENT ? " (does this kernel have veth?)" : "");
		return -1;
	}
	return 0;
}

/* The address, the interface up, and lo up, in the current namespace. */
static int link_up_here(struct wire *w, void *arg)
{
	struct nsop *o = arg;
	const char *addr = arg == NULL ? NULL : NULL;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct ifaddrmsg *ifa;
	struct in_addr a;
	unsigned idx;
	int rc = -1;

	(void)addr;
	addr = o->rc ? RIGHT_ADDR : LEFT_ADDR;
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(o->msg, o->len, "rtnetlink socket: %s", strerror(errno));
		goto out;
	}
	if (loopback_up(o->msg, o->len) < 0)
		goto out;
	idx = if_nametoindex(LINK_DEV);
	if (!idx) {
		snprintf(o->msg, o->len, "if_nametoindex %s: %s", LINK_DEV, strerror(errno));
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = idx;
	inet_pton(AF_INET, addr, &a);
	mnl_attr_put(nlh, IFA_LOCAL, 4, &a);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &a);
	if (rtnl_talk(nl, nlh, o->msg, o->len, "RTM_NEWADDR " LINK_DEV) < 0)
		goto out;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
	ifi->ifi_index = (int)idx;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (rtnl_talk(nl, nlh, o->msg, o->len, "RTM_NEWLINK " LINK_DEV " up") < 0)
		goto out;
	rc = 0;
out:
	(void)w;
	if (nl)
		mnl_socket_close(nl);
	return rc;
}

/* Makes the right side's namespace and the veth pair between the two. */
static int make_link(struct wire *w, char *msg, size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *ifi;
	struct nsop o = { msg, len, 0 };

	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(msg, len, "unshare(CLONE_NEWNET) for the link's right side: %s", strerror(errno));
		return -1;
	}
	w->peer_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (w->peer_ns < 0 || setns(w->main_ns, CLONE_NEWNET) < 0) {
		snprintf(msg, len, "the link's right namespace: %s", strerror(errno));
		return -1;
	}
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(msg, len, "rtnetlink socket: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		return -1;
	}
	/* ip link add eth0 type veth peer name eth0 netns RIGHT */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, LINK_DEV);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifi = mnl_nlmsg_get_payload_tail(nlh);
	memset(ifi, 0, sizeof *ifi);
	nlh->nlmsg_len += MNL_ALIGN(sizeof *ifi);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, LINK_DEV);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)w->peer_ns);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	if (rtnl_talk(nl, nlh, msg, len, "RTM_NEWLINK veth") < 0) {
		mnl_socket_close(nl);
		return -1;
	}
	mnl_socket_close(nl);
	o.rc = 0;
	if (link_up_here(w, &o) < 0)
		return -1;
	o.rc = 1;
	if (in_ns(w, w->peer_ns, link_up_here, &o) < 0)
		return -1;
	return 0;
}

/* --- the queues --------------------------------------------------------------- */

static int queue_send(struct wire *w, int s, struct nlmsghdr *nlh)
{
	return mnl_socket_sendto(w->nl[s], nlh, nlh->nlmsg_len) < 0 ? -1 : 0;
}

/* Opens a queue socket in the current namespace and binds queue numbers. */
static int open_queue(struct wire *w, void *arg)
{
	struct nsop *o = arg;
	int s = o->rc;		/* 0: left, 1: right */
	int nums[2], n = 0, rcvbuf = 4 << 20;

	w->nl[s] = mnl_socket_open(NETLINK_NETFILTER);
	if (!w->nl[s] || mnl_socket_bind(w->nl[s], 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(o->msg, o->len, "NETLINK_NETFILTER socket: %s", strerror(errno));
		return -1;
	}
	w->portid[s] = mnl_socket_get_portid(w->nl[s]);
	setsockopt(mnl_socket_get_fd(w->nl[s]), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	if (s == 0) {
		nums[n++] = Q_LEFT_OUT;
	} else {
		nums[n++] = Q_RIGHT_OUT;
		nums[n++] = Q_RIGHT_IN;
	}
	for (int i = 0; i < n; i++) {
		struct nlmsghdr *nlh = nfq_nlmsg_put(w->buf, NFQNL_MSG_CONFIG, nums[i]);
		nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, NFQNL_CFG_CMD_BIND);
		if (queue_send(w, s, nlh) < 0)
			goto err;
		nlh = nfq_nlmsg_put(w->buf, NFQNL_MSG_CONFIG, nums[i]);
		nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
		/* Whole GSO packets, as the capture sees them: without this
		 * flag the kernel would cut them into segments for us. */
		mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(NFQA_CFG_F_GSO));
		mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(NFQA_CFG_F_GSO));
		if (queue_send(w, s, nlh) < 0)
			goto err;
	}
	{
		int one = 1;
		/* A lost message would leave its packet queued for ever: say
		 * so rather than ignore it (ENOBUFS from recv). */
		setsockopt(mnl_socket_get_fd(w->nl[s]), SOL_NETLINK, NETLINK_NO_ENOBUFS, &(int){ 0 }, sizeof(int));
		(void)one;
	}
	if (fcntl(mnl_socket_get_fd(w->nl[s]), F_SETFL, O_NONBLOCK) < 0)
		goto err;
	fcntl(mnl_socket_get_fd(w->nl[s]), F_SETFD, FD_CLOEXEC);
	return 0;
err:
	snprintf(o->msg, o->len, "NFQUEUE bind: %s%s", strerror(errno),
		 errno == EOPNOTSUPP || errno == ENOENT || errno == EINVAL
			 ? " (this kernel has no nfnetlink_queue)" : "");
	return -1;
}

/* Runs iptables-nft-restore (and ip6tables) on rules, in the current
 * namespace. The rules queue TCP packets to the harness; iptables' NFQUEUE
 * target is used because nft's own queue statement needs CONFIG_NFT_QUEUE,
 * which not every kernel has (this one's host among them), while the
 * xt target works through nft_compat. */
static int load_rules(struct wire *w, void *arg)
{
	struct nsop *o = arg;
	const char *tools[2] = { "iptables-nft-restore", "ip6tables-nft-restore" };
	char rules[512];

	(void)w;
	if (!o->rc)
		snprintf(rules, sizeof rules, "*filter\n:OUTPUT ACCEPT [0:0]\n"
			 "-A OUTPUT %s-p tcp -j NFQUEUE --queue-num %d\nCOMMIT\n",
			 w->link ? "-o " LINK_DEV " " : "", Q_LEFT_OUT);
	else
		/* The right side's arriving packets are held at PREROUTING (the
		 * raw table), before the IP layer looks at them, not at INPUT:
		 * by INPUT, ip_rcv_finish_core() has already run early demux,
		 * and tcp_v4_early_demux() ties the packet to the socket that
		 * existed when it arrived. Held there for half the round trip,
		 * a FIN reached a full socket that an ACK released just before
		 * it had turned into a timewait one: tcp_v4_rcv() took the
		 * stale socket (inet_steal_sock()) and tcp_rcv_state_process()
		 * dropped the FIN as TCP_CLOSE. Before early demux, the socket
		 * is looked up when the wire delivers, as on a real link. */
		snprintf(rules, sizeof rules, "*filter\n:OUTPUT ACCEPT [0:0]\n"
			 "-A OUTPUT -o " LINK_DEV " -p tcp -j NFQUEUE --queue-num %d\nCOMMIT\n"
			 "*raw\n:PREROUTING ACCEPT [0:0]\n"
			 "-A PREROUTING -i " LINK_DEV " -p tcp -j NFQUEUE --queue-num %d\nCOMMIT\n",
			 Q_RIGHT_OUT, Q_RIGHT_IN);
	for (int t = 0; t < 2; t++) {
		int in[2], status;
		char errbuf[512] = "";
		int errp[2];
		pid_t pid;
		ssize_t k;
		if (pipe2(in, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
			snprintf(o->msg, o->len, "pipe: %s", strerror(errno));
			return -1;
		}
		pid = fork();
		if (pid == 0) {
			dup2(in[0], 0);
			dup2(errp[1], 2);
			dup2(errp[1], 1);
			execlp(tools[t], tools[t], "-w", (char *)NULL);
			dprintf(2, "cannot run '%s': %s", tools[t], strerror(errno));
			_exit(127);
		}
		close(in[0]);
		close(errp[1]);
		if (write(in[1], rules, strlen(rules)) < 0) {
			/* the tool died first; its status says why */
		}
		close(in[1]);
		k = read(errp[0], errbuf, sizeof errbuf - 1);
		errbuf[k > 0 ? k : 0] = '\0';
		close(errp[0]);
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			snprintf(o->msg, o->len, "%s failed: %s%s", tools[t], strtrim(errbuf),
				 WIFEXITED(status) && WEXITSTATUS(status) == 127
					 ? " (install the Debian package iptables)"
					 : " (does this kernel have nft_compat and xt_NFQUEUE?)");
			return -1;
		}
	}
	return 0;
}

static int open_raw(struct wire *w, void *arg)
{
	int s = ((struct nsop *)arg)->rc;
	unsigned mark = INJECT_MARK;
	w->raw[s] = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (w->raw[s] < 0 || setsockopt(w->raw[s], SOL_SOCKET, SO_MARK, &mark, sizeof mark) < 0) {
		snprintf(((struct nsop *)arg)->msg, ((struct nsop *)arg)->len,
			 "raw socket for injection: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int open_peer_listener(struct wire *w, void *arg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	(void)arg;
	memcpy(a.sun_path + 1, LAB_CTL_NAME, strlen(LAB_CTL_NAME));
	w->peer_lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (w->peer_lfd < 0 ||
	    bind(w->peer_lfd, (struct sockaddr *)&a,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(LAB_CTL_NAME))) < 0 ||
	    listen(w->peer_lfd, 16) < 0)
		return -1;
	return 0;
}

/* --- setup -------------------------------------------------------------------- */

static int setup(struct run *r, char *msg, size_t len);

int wire_setup(struct run *r, char *msg, size_t len)
{
	struct timespec t0, t1;
	int rc;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = setup(r, msg, len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (r->wire)
		r->wire->setup_us = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
	return rc;
}

/* The kernel tells when it queued a packet (NFQA_TIMESTAMP) only for one
 * queued at PREROUTING, INPUT or FORWARD (nfqnl_build_packet_message()),
 * so here only for the right-in queue, and only when the packet has a
 * receive stamp or some socket anywhere wants them (skb_tstamp_cond()). A
 * UDP socket with SO_TIMESTAMP, held for the wire's life, makes sure of
 * the second (sock_enable_timestamp() -> net_enable_timestamp()). Without
 * a stamp a hold counts from when we read the packet. -1: no socket. */
static int keep_stamping(void)
{
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int setup(struct run *r, char *msg, size_t len)
{
	struct experiment *x = r->x;
	struct wire *w;
	struct nsop o = { msg, len, 0 };
	int faults = 0, inject = 0;

	if (!x->nwire)
		return 0;
	w = xcalloc(1, sizeof *w);
	r->wire = w;
	w->rules = x->wire;
	w->nrules = x->nwire;
	w->matched = xcalloc((size_t)w->nrules, sizeof *w->matched);
	w->blackhole = xcalloc((size_t)w->nrules, 1);
	w->peer_ns = w->peer_lfd = -1;
	w->raw[0] = w->raw[1] = -1;
	w->tsfd = keep_stamping();
	w->rtt_us = DEFAULT_RTT_US;
	w->buflen = MNL_SOCKET_BUFFER_SIZE + 0x10000;
	w->buf = xmalloc(w->buflen);
	w->main_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (w->main_ns < 0) {
		snprintf(msg, len, "open /proc/thread-self/ns/net: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < w->nrules; i++) {
		struct wire_rule *ru = &w->rules[i];
		switch (ru->kind) {
		case WIRE_LINK:
			w->link = 1;
			w->right_roles = ru->right;
			w->nright = ru->nright;
			sb_addf(&w->log, "link %s | %s\n", LEFT_ADDR, RIGHT_ADDR);
			break;
		case WIRE_RTT:
			w->rtt_us = ru->delay_us;
			break;
		case WIRE_SYSCTL:
			sb_addf(&w->log, "sysctl %s %s\n", ru->sysctl_name, ru->sysctl_value);
			break;
		case WIRE_INJECT:
			inject = 1;
			faults = 1;
			break;
		default:
			faults = 1;
		}
	}
	if (w->link) {
		sb_addf(&w->log, "rtt %ld us\n", w->rtt_us);
		if (make_link(w, msg, len) < 0)
			return -1;
		if (in_ns(w, w->peer_ns, open_peer_listener, NULL) < 0) {
			snprintf(msg, len, "control socket on the right side: %s", strerror(errno));
			return -1;
		}
	}
	if (set_sysctls(w, &o) < 0 || (w->link && in_ns(w, w->peer_ns, set_sysctls, &o) < 0))
		return -1;
	w->queueing = faults || w->link;
	if (!w->queueing)
		return 0;
	w->tp = tcpprint_new(DLT_RAW, 1, &(struct tcpprint_opts){ .time = TCPPRINT_TIME_NONE });
	o.rc = 0;
	if (open_queue(w, &o) < 0 || load_rules(w, &o) < 0)
		return -1;
	if (w->link) {
		o.rc = 1;
		if (in_ns(w, w->peer_ns, open_queue, &o) < 0 || in_ns(w, w->peer_ns, load_rules, &o) < 0)
			return -1;
	}
	if (inject) {
		o.rc = 0;
		if (open_raw(w, &o) < 0)
			return -1;
		if (w->link) {
			o.rc = 1;
			if (in_ns(w, w->peer_ns, open_raw, &o) < 0)
				return -1;
		}
	}
	for (int i = 0; i < w->nrules; i++) {
		struct wire_rule *ru = &w->rules[i];
		if (ru->kind == WIRE_DROP || ru->kind == WIRE_DELAY) {
			sb_addf(&w->log, "%s", ru->kind == WIRE_DROP ? "drop" : "delay");
			if (ru->kind == WIRE_DELAY)
				sb_addf(&w->log, " %ld us", ru->delay_us);
			if (ru->first != 1 || ru->last != WIRE_EVERY)
				sb_addf(&w->log, ru->last == WIRE_EVERY ? " #%ld+" : ru->last == ru->first ? " #%ld" : " #%ld-%ld",
					ru->first, ru->last);
			if (ru->from_role)
				sb_addf(&w->log, " from %s", ru->from_role);
			sb_addf(&w->log, " %s\n", ru->pattern ? ru->pattern : "*");
		} else if (ru->kind == WIRE_BLACKHOLE) {
			sb_addf(&w->log, "blackhole from '%s'%s%s%s\n", ru->step, ru->until ? " until '" : "",
				ru->until ? ru->until : "", ru->until ? "'" : "");
		} else if (ru->kind == WIRE_INJECT) {
			sb_addf(&w->log, "inject at '%s' to %u flags %s\n", ru->step, ru->to_port, ru->flags);
		}
	}
	return 0;
}

const char *wire_capture_device(const struct wire *w)
{
	return w && w->link ? LINK_DEV : "lo";
}

int wire_peer_listener(struct wire *w)
{
	return w ? w->peer_lfd : -1;
}

int wire_enter_role(const struct wire *w, const char *role)
{
	if (!w || !w->link || !role_on_right(w, role))
		return 0;
	return setns(w->peer_ns, CLONE_NEWNET);
}

int wire_pollfds(const struct wire *w, struct pollfd *p, int max)
{
	int n = 0;
	for (int s = 0; w && s < 2 && n < max; s++)
		if (w->nl[s])
			p[n++] = (struct pollfd){ .fd = mnl_socket_get_fd(w->nl[s]), .events = POLLIN };
	return n;
}

int wire_timeout_ms(const struct wire *w)
{
	long long ms;
	if (!w || !w->nheld)
		return -1;
	ms = ms_until(&w->held[0].due);
	return ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
}

int wire_linger_ms(const struct wire *w)
{
	long us = 0;
	if (!w || !w->queueing)
		return 0;
	for (int i = 0; i < w->nrules; i++)
		if (w->rules[i].kind == WIRE_DELAY && w->rules[i].delay_us > us)
			us = w->rules[i].delay_us;
	if (w->link)
		us += w->rtt_us;
	return (int)((us + 999) / 1000);
}

/* --- packets ------------------------------------------------------------------ */

struct pkt {
	int q;			/* which queue */
	uint32_t id, mark;
	struct timespec stamp;	/* CLOCK_REALTIME it was queued; 0 if unknown */
	const unsigned char *ip;
	size_t len;
	int family;
	const unsigned char *src, *dst;	/* addresses */
	struct tcphdr th;
	size_t payload;
	int ok;			/* a TCP header was found */
};

static void parse_pkt(struct pkt *k)
{
	size_t off;
	k->ok = 0;
	if (k->len >= sizeof(struct iphdr) && (k->ip[0] >> 4) == 4) {
		const struct iphdr *ih = (const void *)k->ip;
		off = (size_t)ih->ihl * 4;
		if (ih->protocol != IPPROTO_TCP || k->len < off + sizeof k->th)
			return;
		k->family = AF_INET;
		k->src = k->ip + 12;
		k->dst = k->ip + 16;
		memcpy(&k->th, k->ip + off, sizeof k->th);
		k->payload = ntohs(ih->tot_len) - off - (size_t)k->th.doff * 4;
		k->ok = 1;
	} else if (k->len >= sizeof(struct ip6_hdr) && (k->ip[0] >> 4) == 6) {
		const struct ip6_hdr *ih = (const void *)k->ip;
		if (ih->ip6_nxt != IPPROTO_TCP || k->len < 40 + sizeof k->th)
			return;
		k->family = AF_INET6;
		k->src = k->ip + 8;
		k->dst = k->ip + 24;
		memcpy(&k->th, k->ip + 40, sizeof k->th);
		k->payload = ntohs(ih->ip6_plen) - (size_t)k->th.doff * 4;
		k->ok = 1;
	}
}

static int ep_is(const struct endpoint *e, int family, const unsigned char *addr, uint16_t port)
{
	return e->family == family && e->port == port && !memcmp(e->addr, addr, family == AF_INET ? 4 : 16);
}

/* Follows the connection: what each side sent, and what got through. */
static void track(struct wire *w, const struct pkt *k, int accepted)
{
	struct flow *f = NULL;
	struct endpoint *from, *to;
	uint16_t sp = ntohs(k->th.source), dp = ntohs(k->th.dest);
	uint32_t end;
	size_t alen = k->family == AF_INET ? 4 : 16;

	for (int i = 0; i < w->nflows && !f; i++) {
		struct flow *g = &w->flows[i];
		if ((ep_is(&g->a, k->family, k->src, sp) && ep_is(&g->b, k->family, k->dst, dp)) ||
		    (ep_is(&g->b, k->family, k->src, sp) && ep_is(&g->a, k->family, k->dst, dp)))
			f = g;
	}
	if (!f) {
		f = w->nflows < MAX_FLOWS ? &w->flows[w->nflows++] : &w->flows[0];
		memset(f, 0, sizeof *f);
		f->a.family = f->b.family = k->family;
		memcpy(f->a.addr, k->src, alen);
		memcpy(f->b.addr, k->dst, alen);
		f->a.port = sp;
		f->b.port = dp;
	}
	f->last = ++w->npackets;
	from = ep_is(&f->a, k->family, k->src, sp) ? &f->a : &f->b;
	to = from == &f->a ? &f->b : &f->a;
	(void)to;
	end = ntohl(k->th.seq) + (uint32_t)k->payload + k->th.syn + k->th.fin;
	if (!from->seen || (int32_t)(end - from->nxt) > 0)
		from->nxt = end;
	from->seen = 1;
	from->win = ntohs(k->th.window);
	if (accepted) {
		if (!from->seen_acked || (int32_t)(end - from->acked_nxt) > 0)
			from->acked_nxt = end;
		from->seen_acked = 1;
	}
}

static void verdict(struct wire *w, int q, uint32_t id, int v)
{
	int s = q == Q_LEFT_OUT ? 0 : 1;
	struct nlmsghdr *nlh = nfq_nlmsg_put(w->buf, NFQNL_MSG_VERDICT, q);
	nfq_nlmsg_verdict_put(nlh, (int)id, v);
	if (queue_send(w, s, nlh) < 0)
		fprintf(stderr, "%s: NFQUEUE verdict: %s\n", progname, strerror(errno));
}

static void add_pending(struct wire *w, const struct pkt *k, const char *mark)
{
	struct pending *p;
	if (w->npending == MAX_PENDING) {
		free(w->pending[0].ip);
		memmove(w->pending, w->pending + 1, sizeof *w->pending * (MAX_PENDING - 1));
		w->npending--;
	}
	p = &w->pending[w->npending++];
	p->ip = xmalloc(k->len);
	memcpy(p->ip, k->ip, k->len);
	p->len = k->len;
	snprintf(p->mark, sizeof p->mark, "%s", mark);
	clock_gettime(CLOCK_REALTIME, &p->queued);
}

const char *wire_mark(struct wire *w, const unsigned char *ip, size_t len, struct timespec *queued)
{
	static char mark[64];
	if (!w)
		return "";
	for (int i = 0; i < w->npending; i++) {
		struct pending *p = &w->pending[i];
		if (p->len == len && !memcmp(p->ip, ip, len)) {
			snprintf(mark, sizeof mark, "%s", p->mark);
			*queued = p->queued;
			free(p->ip);
			memmove(p, p + 1, sizeof *p * (size_t)(w->npending - i - 1));
			w->npending--;
			return mark;
		}
	}
	return "";
}

/* A dropped packet goes into the trace as the capture would have shown it,
 * marked: after what the capture already holds, so in the wire's order. */
static void record_dropped(struct run *r, const struct pkt *k, const struct timespec *queued)
{
	unsigned char frame[14 + 0x10000];
	struct pcap_pkthdr h;
	struct timespec now;
	size_t n = k->len > 0x10000 ? 0x10000 : k->len;

	capture_read(r);
	clock_gettime(CLOCK_REALTIME, &now);
	memset(frame, 0, 14);
	frame[12] = k->family == AF_INET ? 0x08 : 0x86;
	frame[13] = k->family == AF_INET ? 0x00 : 0xdd;
	memcpy(frame + 14, k->ip, n);
	h.ts.tv_sec = now.tv_sec;
	h.ts.tv_usec = now.tv_nsec;	/* nanoseconds: the capture is opened so */
	h.caplen = h.len = (bpf_u_int32)(n + 14);
	/* Only what the capture would have kept: its filter decides. */
	if (r->have_filter && !pcap_offline_filter(&r->filter, &h, frame))
		return;
	capture_record(r, &h, frame, " [dropped by the wire]", 0, queued);
}

/* Is step-dependent blackholing on? */
static int blackholed(const struct wire *w)
{
	for (int i = 0; i < w->nrules; i++)
		if (w->rules[i].kind == WIRE_BLACKHOLE && w->blackhole[i])
			return 1;
	return 0;
}

static int side_of_queue(int q)
{
	return q == Q_LEFT_OUT ? 0 : 1;
}

/* drop: the packet, to be dropped (and recorded so) when due; NULL to
 * let it through then. */
static void hold(struct wire *w, const struct pkt *k, long us, const struct pkt *drop)
{
	struct held *h;
	int q = k->q, i;
	uint32_t id = k->id;
	if (w->nheld == MAX_HELD) {
		verdict(w, q, id, drop ? NF_DROP : NF_ACCEPT);
		return;
	}
	/* The hold counts from when the kernel queued the packet, so a
	 * harness that reads its queue late lets the packet out on time
	 * if it can, and a late release shows as late. Without the
	 * kernel's time (or with one that cannot be right) it counts from
	 * the read. */
	struct timespec due, read, since;
	long behind, wait = us;
	clock_gettime(CLOCK_MONOTONIC, &due);
	clock_gettime(CLOCK_REALTIME, &read);
	since = read;
	behind = (long)((read.tv_sec - k->stamp.tv_sec) * 1000000L +
			(read.tv_nsec - k->stamp.tv_nsec) / 1000);
	if (k->stamp.tv_sec && behind >= 0 && behind < 10 * 1000000L) {
		since = k->stamp;
		wait -= behind;
		w->stat_stamped++;
	}
	ts_add_us(&due, wait);
	for (i = w->nheld; i > 0; i--) {
		struct timespec *d = &w->held[i - 1].due;
		if (d->tv_sec < due.tv_sec || (d->tv_sec == due.tv_sec && d->tv_nsec <= due.tv_nsec))
			break;
	}
	memmove(&w->held[i + 1], &w->held[i], sizeof *w->held * (size_t)(w->nheld - i));
	h = &w->held[i];
	h->q = q;
	h->id = id;
	h->due = due;
	h->read = read;
	h->since = since;
	h->us = us;
	h->drop = NULL;
	if (drop) {
		h->drop = xmalloc(drop->len);
		memcpy(h->drop, drop->ip, drop->len);
		h->drop_len = drop->len;
		h->drop_family = drop->family;
		clock_gettime(CLOCK_REALTIME, &h->queued);
	}
	w->nheld++;
}

/* Gives the first held packet its verdict; one held to be dropped goes
 * into the trace now, marked. */
static void release_held(struct run *r)
{
	static const char *const qname[NQUEUES] = { "left-out", "right-out", "right-in" };
	struct wire *w = r->wire;
	struct held *h = &w->held[0];
	struct timespec now, due = h->since;
	long late;

	/* When it was read, due and let out, in the timeline's seconds:
	 * how late the wire was is a fact of the run, kept with it. */
	clock_gettime(CLOCK_REALTIME, &now);
	ts_add_us(&due, h->us);
	late = (long)((now.tv_sec - due.tv_sec) * 1000000L + (now.tv_nsec - due.tv_nsec) / 1000);
	sb_addf(&w->log, "hold %s read %.6f due %.6f out %.6f late %ld us\n", qname[h->q],
		seconds_since(&r->t0, &h->read), seconds_since(&r->t0, &due),
		seconds_since(&r->t0, &now), late);
	if (late > w->late_max_us)
		w->late_max_us = late;
	if (h->drop) {
		struct pkt k = { .ip = h->drop, .len = h->drop_len, .family = h->drop_family };
		record_dropped(r, &k, &h->queued);
		verdict(w, h->q, h->id, NF_DROP);
		free(h->drop);
	} else {
		verdict(w, h->q, h->id, NF_ACCEPT);
	}
	memmove(w->held, w->held + 1, sizeof *w->held * (size_t)--w->nheld);
}

static void decide(struct run *r, struct pkt *k)
{
	struct wire *w = r->wire;
	char line[2048];
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)k->len, .len = (bpf_u_int32)k->len };
	long delay = 0;
	int drop = 0;

	parse_pkt(k);
	w->stat_queued++;
	if (k->q == Q_RIGHT_IN) {	/* the second half of the round trip */
		hold(w, k, w->rtt_us / 2, NULL);
		return;
	}
	if (k->mark == INJECT_MARK) {
		add_pending(w, k, " [injected by the wire]");
		if (k->ok)
			track(w, k, 1);
		verdict(w, k->q, k->id, NF_ACCEPT);
		return;
	}
	tcpprint_packet(w->tp, &h, k->ip, line, sizeof line);
	if (blackholed(w))
		drop = 1;
	for (int i = 0; i < w->nrules && !drop; i++) {
		struct wire_rule *ru = &w->rules[i];
		if (ru->kind != WIRE_DROP && ru->kind != WIRE_DELAY)
			continue;
		if (ru->from_role && role_on_right(w, ru->from_role) != side_of_queue(k->q))
			continue;
		if (ru->pattern && !wirespec_match(line, ru->pattern))
			continue;
		w->matched[i]++;
		if (w->matched[i] < ru->first || (ru->last != WIRE_EVERY && w->matched[i] > ru->last))
			continue;
		if (ru->kind == WIRE_DROP) {
			drop = 1;
		} else if (!delay) {
			delay = ru->delay_us;
		}
	}
	if (k->ok)
		track(w, k, !drop);
	if (drop) {
		w->stat_dropped++;
		/* The right side's packets reach the capture after their half
		 * of the round trip: one dropped there takes its place among
		 * them then, so the trace keeps the order the right side sent
		 * them in, however late the harness is. */
		if (k->q == Q_RIGHT_OUT) {
			hold(w, k, w->rtt_us - w->rtt_us / 2, k);
			return;
		}
		record_dropped(r, k, NULL);
		verdict(w, k->q, k->id, NF_DROP);
		release_waiters(r);
		return;
	}
	if (delay) {
		char mark[64];
		w->stat_delayed++;
		snprintf(mark, sizeof mark, " [delayed %g ms by the wire]", (double)delay / 1000);
		add_pending(w, k, mark);
	} else {
		add_pending(w, k, "");	/* for when it was queued (calls.txt) */
	}
	if (k->q == Q_RIGHT_OUT)
		delay += w->rtt_us - w->rtt_us / 2;
	if (delay)
		hold(w, k, delay, NULL);
	else
		verdict(w, k->q, k->id, NF_ACCEPT);
}

struct cbdata {
	struct run *r;
	int s;
};

static int queue_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cbdata *d = data;
	struct nlattr *attr[NFQA_MAX + 1] = { 0 };
	struct nfqnl_msg_packet_hdr *ph;
	struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct pkt k;

	if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR])
		return MNL_CB_OK;
	memset(&k, 0, sizeof k);
	ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	k.id = ntohl(ph->packet_id);
	k.q = ntohs(nfg->res_id);
	if (attr[NFQA_MARK])
		k.mark = ntohl(mnl_attr_get_u32(attr[NFQA_MARK]));
	if (attr[NFQA_TIMESTAMP]) {
		struct nfqnl_msg_packet_timestamp *ts = mnl_attr_get_payload(attr[NFQA_TIMESTAMP]);
		k.stamp.tv_sec = (time_t)be64toh(ts->sec);
		k.stamp.tv_nsec = (long)be64toh(ts->usec) * 1000;
	}
	if (attr[NFQA_PAYLOAD]) {
		k.ip = mnl_attr_get_payload(attr[NFQA_PAYLOAD]);
		k.len = mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]);
	}
	decide(d->r, &k);
	return MNL_CB_OK;
}

void wire_service(struct run *r)
{
	struct wire *w = r->wire;
	struct timespec t0, t1, now;

	if (!w || !w->queueing)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int s = 0; s < 2; s++) {
		struct cbdata d = { r, s };
		int guard = 4096;
		if (!w->nl[s])
			continue;
		while (guard-- > 0) {
			ssize_t n = mnl_socket_recvfrom(w->nl[s], w->buf, w->buflen);
			if (n < 0) {
				if (errno == ENOBUFS)
					add_error(r, "the wire lost queued packets (ENOBUFS): the trace is incomplete");
				break;
			}
			mnl_cb_run(w->buf, (size_t)n, 0, w->portid[s], queue_cb, &d);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	while (w->nheld && (w->held[0].due.tv_sec < now.tv_sec ||
			    (w->held[0].due.tv_sec == now.tv_sec && w->held[0].due.tv_nsec <= now.tv_nsec))) {
		int dropped = w->held[0].drop != NULL;
		release_held(r);
		if (dropped)
			release_waiters(r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->stat_us += (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
}

/* --- injection ---------------------------------------------------------------- */

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static uint32_t eval(const struct wire_expr *e, const struct endpoint *target, const struct endpoint *peer)
{
	switch (e->base) {
	case WIRE_RCV_NXT: return peer->acked_nxt + (uint32_t)e->offset;
	case WIRE_SND_NXT: return target->nxt + (uint32_t)e->offset;
	default: return (uint32_t)e->offset;
	}
}

static void inject(struct run *r, struct wire_rule *ru)
{
	struct wire *w = r->wire;
	struct flow *f = NULL;
	struct endpoint *t, *p;
	unsigned char pkt[20 + 20 + 1000];
	struct iphdr *ih = (void *)pkt;
	struct tcphdr *th = (void *)(pkt + 20);
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t len = 40 + ru->data;
	uint32_t sum;
	int s;

	for (int i = 0; i < w->nflows; i++)
		if ((w->flows[i].a.port == ru->to_port || w->flows[i].b.port == ru->to_port) &&
		    (!f || w->flows[i].last > f->last))
			f = &w->flows[i];
	if (!f) {
		add_error(r, "experiment '%s': inject at '%s': no connection to port %u has been seen",
			  r->x->name, ru->step, ru->to_port);
		return;
	}
	t = f->a.port == ru->to_port ? &f->a : &f->b;
	p = t == &f->a ? &f->b : &f->a;
	if (t->family != AF_INET) {
		add_error(r, "experiment '%s': inject at '%s': only IPv4 connections can be injected into",
			  r->x->name, ru->step);
		return;
	}
	memset(pkt, 0, len);
	ih->version = 4;
	ih->ihl = 5;
	ih->tot_len = htons((uint16_t)len);
	ih->id = htons((uint16_t)(0x7700 + w->stat_injected));
	ih->frag_off = htons(IP_DF);
	ih->ttl = 64;
	ih->protocol = IPPROTO_TCP;
	memcpy(&ih->saddr, p->addr, 4);
	memcpy(&ih->daddr, t->addr, 4);
	th->source = htons(p->port);
	th->dest = htons(t->port);
	th->seq = htonl(ru->seq.given ? eval(&ru->seq, t, p) : p->acked_nxt);
	th->doff = 5;
	th->syn = !!strchr(ru->flags, 'S');
	th->fin = !!strchr(ru->flags, 'F');
	th->rst = !!strchr(ru->flags, 'R');
	th->psh = !!strchr(ru->flags, 'P');
	th->ack = !!strchr(ru->flags, '.');
	if (th->ack)
		th->ack_seq = htonl(ru->ack.given ? eval(&ru->ack, t, p) : t->nxt);
	th->window = htons((uint16_t)(ru->win ? ru->win : p->win));
	memset(pkt + 40, 'x', ru->data);
	sum = csum_add(0, &ih->saddr, 8);
	sum += IPPROTO_TCP + (uint32_t)(len - 20);
	sum = csum_add(sum, th, len - 20);
	th->check = htons(csum_fold(sum));
	sum = csum_add(0, ih, 20);
	ih->check = htons(csum_fold(sum));
	/* Sent from the side the segment claims to come from: on a link, the
	 * target's peer's namespace, so that it crosses the link. */
	s = 0;
	if (w->link && !memcmp(t->addr, (unsigned char[]){ 192, 0, 2, 1 }, 4))
		s = 1;
	memcpy(&to.sin_addr, t->addr, 4);
	if (sendto(w->raw[s], pkt, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
		add_error(r, "experiment '%s': inject at '%s': sendto: %s", r->x->name, ru->step, strerror(errno));
	else
		w->stat_injected++;
}

void wire_step(struct run *r, const char *step)
{
	struct wire *w = r->wire;
	if (!w)
		return;
	wire_service(r);	/* what was sent before the step is decided first */
	for (int i = 0; i < w->nrules; i++) {
		struct wire_rule *ru = &w->rules[i];
		if (ru->kind == WIRE_BLACKHOLE) {
			if (!strcmp(ru->step, step))
				w->blackhole[i] = 1;
			if (ru->until && !strcmp(ru->until, step))
				w->blackhole[i] = 0;
		} else if (ru->kind == WIRE_INJECT && !strcmp(ru->step, step)) {
			inject(r, ru);
		}
	}
	/* An injected segment is in the queue already (raw sockets pass
	 * LOCAL_OUT at once); deciding it now puts it before the step's
	 * answer, so the program that waits for its effect can rely on it. */
	wire_service(r);
}

static int peer_sockdiag(struct wire *w, void *arg)
{
	void **a = arg;
	(void)w;
	*(int *)a[4] = sockdiag_read(a[0], *(int *)a[1], a[2], *(size_t *)a[3]);
	return 0;
}

int wire_peer_sockets(struct wire *w, struct sockdiag_entry *out, int max, char *msg, size_t len)
{
	int n = 0;
	void *a[5] = { out, &max, msg, &len, &n };
	if (!w || !w->link || max <= 0)
		return 0;
	if (in_ns(w, w->peer_ns, peer_sockdiag, a) < 0) {
		snprintf(msg, len, "setns to the right side: %s", strerror(errno));
		return -1;
	}
	return n;
}

void wire_finish(struct run *r)
{
	struct wire *w = r->wire;
	if (!w)
		return;
	wire_service(r);
	while (w->nheld)
		release_held(r);
	sb_addf(&w->log, "queued %lu dropped %lu delayed %lu injected %lu\n", w->stat_queued,
		w->stat_dropped, w->stat_delayed, w->stat_injected);
	sb_addf(&w->log, "stamped %lu\n", w->stat_stamped);
	sb_addf(&w->log, "cost %.0f us\n", w->stat_us);
	sb_addf(&w->log, "setup %.0f us\n", w->setup_us);
	write_file(r->dir, "wire", w->log.buf ? w->log.buf : "");
}

void wire_free(struct wire *w)
{
	if (!w)
		return;
	for (int s = 0; s < 2; s++) {
		if (w->nl[s])
			mnl_socket_close(w->nl[s]);
		if (w->raw[s] >= 0)
			close(w->raw[s]);
	}
	if (w->tsfd >= 0)
		close(w->tsfd);
	for (int i = 0; i < w->npending; i++)
		free(w->pending[i].ip);
	if (w->peer_lfd >= 0)
		close(w->peer_lfd);
	if (w->peer_ns >= 0)
		close(w->peer_ns);
	if (w->main_ns >= 0)
		close(w->main_ns);
	tcpprint_free(w->tp);
	sb_release(&w->log);
	free(w->matched);
	free(w->blackhole);
	free(w->buf);
	free(w);
}
