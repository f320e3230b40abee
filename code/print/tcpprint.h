/* tcpprint.h: format captured packets as `tcpdump -n` (4.99.3) prints them.
 *
 * The book shows every experiment's packets the way tcpdump prints them, but
 * the harness must produce those lines itself, from the pcap it captured.
 * This module is that printer: give it one packet (the pcap_pkthdr and the
 * captured bytes) and it writes the line tcpdump -n would print, without the
 * trailing newline.
 *
 * What it promises:
 *
 * - Byte-identical to `tcpdump -n` (checked by tests/printer.sh against the
 *   real tcpdump) for TCP over IPv4 and IPv6 on the link types DLT_EN10MB,
 *   DLT_LINUX_SLL2 (`-i any`: "lo    In  IP ..."), DLT_LINUX_SLL, DLT_RAW,
 *   DLT_IPV4, DLT_IPV6 and DLT_NULL/DLT_LOOP: flags, relative sequence
 *   numbers (the same per-conversation state tcpdump keeps, so feed the
 *   packets in file order), options (mss, wscale, sackOK, sack blocks, TS,
 *   md5, tfo, exp-tfo, uto, tcp-ao, scps, echo, cc, unknown-N, "[len N]",
 *   "[bad opt]"), `length`, the bad-header-length messages, and the
 *   `[|tcp]`, `[|ip]`, truncated-ip and `[remaining caplen...]` endings of
 *   packets cut short by the snapshot length or lying about their length.
 * - Identical too for: IP in IP; IPv6 hop-by-hop, destination-options,
 *   fragment and type 0/2 routing headers; plain UDP (`UDP, length N`);
 *   ICMP echo, unreachable, redirect, time exceeded, parameter problem;
 *   ICMPv6 echo, unreachable, packet too big, time exceeded, parameter
 *   problem and neighbour solicitation/advertisement; Ethernet ARP.
 * - Time stamps as tcpdump prints them: local time (TZ is honoured), none,
 *   or since the first packet (" 00:00:00.000123", "-" when a packet is
 *   older than the first, whole days dropped), 6 or 9 fraction digits.
 * - Every read of packet data is bounds-checked against h->caplen; a corrupt
 *   or hostile packet gives a line ending in " [|proto]" or a short
 *   description, never a crash, and always exactly one line.
 *
 * Known differences from tcpdump 4.99.3 (our line is sensible, and equal to
 * tcpdump's up to the point named):
 *
 * - Application payloads are never decoded. tcpdump decodes TCP and UDP
 *   payloads on its well-known ports (TCP 21, 23, 25, 53, 80, 179, 8080, ...;
 *   UDP 53, 67, 123, 161, 514, 5353, ...); there its line goes on after
 *   `length N` (TCP) or names the protocol (UDP), where ours stops at
 *   `length N` / prints `UDP, length N`. Ports used by the book (9999) are
 *   not affected.
 * - Where tcpdump adds a hex dump on further lines (unknown ethertype, LLC,
 *   unknown ICMPv6 type, ARP with an unknown operation, unknown BSD address
 *   family) we print only its first line.
 * - Protocols printed as " ip-proto-N LEN" where tcpdump decodes them:
 *   IGMP, EGP, GRE, ESP, AH, IPComp, OSPF, PIM, VRRP, SCTP, DCCP, RSVP,
 *   PGM, EIGRP, mobility headers, and IPv6 segment routing headers.
 * - MPTCP options print as `mptcp LEN SUBTYPE` without the subtype's
 *   fields, and without tcpdump's per-subtype length checks.
 * - Less common ICMP(v6) types print their name only (ICMP router
 *   advertisement, time stamps, address masks; ICMPv6 MLD, redirect,
 *   router renumbering, ...). Rare ethertype names (802.1Q-9100, ...)
 *   are "Unknown"; VLAN tags, 802.3/LLC frames and radiotap (ARPHRD 803)
 *   in cooked captures are not decoded.
 * - IPv6 jumbograms: the Jumbo Payload option is only detected, its length
 *   is not used.
 */
#ifndef TCPPRINT_H
#define TCPPRINT_H

#include <pcap/pcap.h>
#include <stdio.h>

/** How the line's time stamp is printed. */
enum tcpprint_time {
	TCPPRINT_TIME_ABS,		/* default tcpdump: local HH:MM:SS.uuuuuu */
	TCPPRINT_TIME_NONE,		/* -t: no time stamp */
	TCPPRINT_TIME_SINCE_FIRST	/* -ttttt: 00:00:00.000123 */
};

/** Printing options; a zeroed struct gives tcpdump's defaults. */
struct tcpprint_opts {
	enum tcpprint_time time;
	int nano;	/* print 9 fraction digits like --nano */
	int mark_absolute;	/* not tcpdump's: put '#' before a TCP seq or
				 * ack printed absolute rather than relative
				 * (for normalise.c, which must know which) */
};

/** A printer: the link type, the options, the first packet's time stamp
 * and the relative-sequence state of every TCP conversation seen. */
struct tcpprint;

/** Returns a new printer for packets of link type `dlt` (a DLT_ value, as
 * pcap_datalink() returns it). `ts_precision_nano` is 1 if tv_usec holds
 * nanoseconds (pcap_get_tstamp_precision() == PCAP_TSTAMP_PRECISION_NANO).
 * `opts` may be NULL for the defaults. Returns NULL if out of memory. The
 * caller frees it with tcpprint_free(). */
struct tcpprint *tcpprint_new(int dlt, int ts_precision_nano,
			      const struct tcpprint_opts *opts);

/** Formats one packet as one line, without the trailing newline, into buf.
 * buf is always NUL-terminated (if buflen > 0) and the line is truncated to
 * fit. Returns the length written (excluding the NUL). Never reads outside
 * [bytes, bytes + h->caplen). Packets must be given in capture order: the
 * relative sequence numbers and -ttttt times depend on the ones before. */
size_t tcpprint_packet(struct tcpprint *tp, const struct pcap_pkthdr *h,
		       const unsigned char *bytes, char *buf, size_t buflen);

/** Frees the printer and its conversation state. NULL is fine. */
void tcpprint_free(struct tcpprint *tp);

#endif
