/* capture.c: libpcap capture on the experiment's loopback. */
#include "run.h"

#include <linux/if_packet.h>
#include <linux/net_tstamp.h>

/* --- capture ------------------------------------------------------------------ */

void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct run *r = (struct run *)user;
	const char *mark = "";
	struct timespec at = { h->ts.tv_sec, h->ts.tv_usec };	/* ns: opened with nano precision */

	/* What the wire did to this packet (wire.h); the link is Ethernet,
	 * lo's too, so the IP header is 14 bytes in. */
	if (r->wire && pcap_datalink(r->pcap) == DLT_EN10MB && h->caplen > 14)
		mark = wire_mark(r->wire, bytes + 14, h->caplen - 14, &at);
	capture_record(r, h, bytes, mark, 1, &at);
}

/* One packet into the trace, the timeline and the observations, with the
 * wire's mark after it ("" for none); dumped to trace.pcap when dump. */
void capture_record(struct run *r, const struct pcap_pkthdr *h, const u_char *bytes,
		    const char *mark, int dump, const struct timespec *at)
{
	char line[2048];
	struct timespec t = { h->ts.tv_sec, h->ts.tv_usec };	/* ns: opened with nano precision */
	size_t ml = strlen(mark);

	if (dump)
		pcap_dump((u_char *)r->dumper, h, bytes);
	tcpprint_packet(r->tp_trace, h, bytes, line, sizeof line - ml);
	strcat(line, mark);
	fprintf(r->trace, "%s\n", line);
	if (r->npackets == r->packets_cap) {
		r->packets_cap = r->packets_cap ? r->packets_cap * 2 : 64;
		r->packets = xrealloc(r->packets, r->packets_cap * sizeof *r->packets);
		r->marked = xrealloc(r->marked, r->packets_cap * sizeof *r->marked);
		r->ptimes = xrealloc(r->ptimes, r->packets_cap * sizeof *r->ptimes);
	}
	r->ptimes[r->npackets] = t;
	if (dump)	/* a packet the wire dropped never reaches a socket */
		settle_packet(&r->settle, r->dlt, bytes, h->caplen);
	tcpprint_packet(r->tp_marked, h, bytes, line, sizeof line - ml);
	strcat(line, mark);
	r->marked[r->npackets] = xstrdup(line);
	tcpprint_packet(r->tp_plain, h, bytes, line, sizeof line - ml);
	strcat(line, mark);
	r->packets[r->npackets++] = xstrdup(line);
	add_event(r, &t, "wire", line)->at = at ? *at : t;
}

int capture_open(struct run *r, char *msg, size_t len)
{
	char err[PCAP_ERRBUF_SIZE], path[PATH_MAX];
	struct bpf_program prog;
	struct tcpprint_opts o1 = { .time = TCPPRINT_TIME_SINCE_FIRST }, o2 = { .time = TCPPRINT_TIME_NONE };
	int dlt;

	const char *dev = wire_capture_device(r->wire);

	r->pcap = pcap_create(dev, err);
	if (!r->pcap) {
		snprintf(msg, len, "pcap_create %s: %s", dev, err);
		return -1;
	}
	pcap_set_snaplen(r->pcap, 262144);
	pcap_set_immediate_mode(r->pcap, 1);
	pcap_set_buffer_size(r->pcap, 8 << 20);
	pcap_set_tstamp_precision(r->pcap, PCAP_TSTAMP_PRECISION_NANO);
	if (pcap_activate(r->pcap) < 0) {
		snprintf(msg, len, "pcap_activate %s: %s", dev, pcap_geterr(r->pcap));
		return -1;
	}
	/*
	 * Each packet's time is when its sender gave it to the network, not
	 * when the receive path reached the packet tap: on lo that path may
	 * run later, in ksoftirqd, after the call that sent the packet has
	 * returned, and calls.txt gives a packet to the call running when it
	 * was sent. loopback_xmit() hands the packet to __netif_rx(), which
	 * stamps it there and then (net_timestamp_check() with
	 * net.core.netdev_tstamp_prequeue, 1 by default), in the sending
	 * call's own context, once any socket has asked for time stamps
	 * (SO_TIMESTAMPNS: net_enable_timestamp()); PACKET_TIMESTAMP with
	 * SOF_TIMESTAMPING_SOFTWARE makes the capture report that stamp
	 * (tpacket_get_timestamp()). Where there is none (a mono-clock stamp,
	 * a kernel without these), the time is the tap's own.
	 */
	{
		int fd = pcap_fileno(r->pcap), on = 1, sw = SOF_TIMESTAMPING_SOFTWARE;
		if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0 ||
		    setsockopt(fd, SOL_PACKET, PACKET_TIMESTAMP, &sw, sizeof sw) < 0) {
			/* not fatal: the times are the tap's */
		}
	}
	if (pcap_compile(r->pcap, &prog, r->x->capture, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(msg, len, "capture filter '%s': %s", r->x->capture, pcap_geterr(r->pcap));
		return -1;
	}
	r->filter = prog;
	r->have_filter = 1;
	if (pcap_setfilter(r->pcap, &prog) < 0) {
		snprintf(msg, len, "pcap_setfilter: %s", pcap_geterr(r->pcap));
		return -1;
	}
	if (pcap_setnonblock(r->pcap, 1, err) < 0) {
		snprintf(msg, len, "pcap_setnonblock: %s", err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/trace.pcap", r->dir);
	r->dumper = pcap_dump_open(r->pcap, path);
	if (!r->dumper) {
		snprintf(msg, len, "pcap_dump_open '%s': %s", path, pcap_geterr(r->pcap));
		return -1;
	}
	snprintf(path, sizeof path, "%s/trace.txt", r->dir);
	r->trace = fopen(path, "w");
	if (!r->trace) {
		snprintf(msg, len, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	dlt = pcap_datalink(r->pcap);
	r->dlt = dlt;
	r->tp_trace = tcpprint_new(dlt, 1, &o1);
	r->tp_plain = tcpprint_new(dlt, 1, &o2);
	o2.mark_absolute = 1;
	r->tp_marked = tcpprint_new(dlt, 1, &o2);
	if (!r->tp_trace || !r->tp_plain || !r->tp_marked) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	return 0;
}

/* Reads what is waiting; returns the number of packets. */
int capture_read(struct run *r)
{
	int n = pcap_dispatch(r->pcap, -1, on_packet, (u_char *)r);
	if (n < 0) {
		add_error(r, "pcap_dispatch: %s", pcap_geterr(r->pcap));
		return 0;
	}
	return n;
}

/*
 * Waits for the wire to fall quiet after the last program ended: the last
 * segments (a FIN's ACK, an RST) are sent by the kernel, not the programs.
 * Quiet means no packet for QUIET_MS; the wait is bounded by DRAIN_MS. This
 * is not a fixed sleep: on an idle wire it ends after QUIET_MS.
 */
#define QUIET_MS 10
#define DRAIN_MS 500
void capture_drain(struct run *r)
{
	struct timespec deadline;
	/* With a wire, an answer can be a round trip or a delay away, and
	 * held packets must come out first (wire_linger_ms). */
	int linger = wire_linger_ms(r->wire), quiet = QUIET_MS + linger;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += (DRAIN_MS + 2L * linger) * 1000000L;
	deadline.tv_sec += deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	capture_read(r);
	while (ms_until(&deadline) > 0) {
		struct pollfd p[3] = { { .fd = pcap_get_selectable_fd(r->pcap), .events = POLLIN } };
		int np = 1 + wire_pollfds(r->wire, p + 1, 2), wt = wire_timeout_ms(r->wire);
		int k = poll(p, (nfds_t)np, wt >= 0 && wt < quiet ? wt : quiet);
		wire_service(r);
		if (k <= 0 && wt < 0)
			break;
		capture_read(r);
	}
}

/* Everything but closing the capture itself (see run_init). */
void capture_finish(struct run *r)
{
	struct pcap_stat st;

	if (r->pcap && pcap_stats(r->pcap, &st) == 0 && (st.ps_drop || st.ps_ifdrop))
		add_error(r, "the capture dropped %u packet%s (pcap_stats: drop %u, ifdrop %u): the trace is incomplete",
			  st.ps_drop + st.ps_ifdrop, st.ps_drop + st.ps_ifdrop == 1 ? "" : "s",
			  st.ps_drop, st.ps_ifdrop);
	if (r->have_filter)
		pcap_freecode(&r->filter);
	r->have_filter = 0;
	if (r->dumper)
		pcap_dump_close(r->dumper);
	if (r->trace)
		fclose(r->trace);
	tcpprint_free(r->tp_trace);
	tcpprint_free(r->tp_plain);
	tcpprint_free(r->tp_marked);
}
