/*
 * wire.h: the experiment's network, made imperfect on purpose.
 *
 * What an experiment's wire lines ask for (wirespec.h, AUTHORING.md "The
 * wire"), done inside the experiment's own namespaces, by init:
 *
 * - sysctls, written to /proc/sys in the experiment's network namespaces
 *   (every net.* sysctl is per namespace); the host's are never touched;
 * - a link: the roles on the right of `link:` run in a second network
 *   namespace, joined to the first by a veth pair (each end "eth0",
 *   192.0.2.1 on the left, 192.0.2.2 on the right: RFC 5737's documentation
 *   range, so no address of a real host), with the round-trip time `rtt:`
 *   sets (10 ms by default), all of it added on the right side, so that the
 *   capture on the left end sees what a tcpdump on the left host would;
 * - faults: every TCP packet an experiment sends is queued to the harness
 *   through NFQUEUE (an iptables-nft rule in the namespace; netfilter's
 *   queue, not netem, which not every kernel has), printed as the trace
 *   prints it, matched against the faults' patterns and then accepted,
 *   dropped or held back. Injected segments are built from the connection's
 *   state as the wire saw it and sent through a raw socket.
 *
 * What the trace shows: a dropped packet is still a line of trace.txt, the
 * timeline and observations.txt, at the time it was dropped (one from the
 * link's right side when it would have reached the left end, so that the
 * trace keeps the order the right side sent them in), with
 * " [dropped by the wire]" at its end; an injected one ends in
 * " [injected by the wire]" and one a delay: line held back in
 * " [delayed N ms by the wire]" (N as the author wrote it, in ms). trace.pcap
 * holds only what was really on the wire. A dropped packet reaches the
 * trace through capture_record() with dump 0, and only then: it never
 * reached a socket, so nothing that waits for sockets to process what the
 * capture saw may count it.
 *
 * The link's right side is another network namespace: its sockets are read
 * with wire_peer_sockets(), and a packet the capture shows toward it is
 * still on its way there for up to half the round trip (rtt: is added on
 * the right side). lab_wait_packet() is answered when the packet is in the
 * capture, that is when it leaves or reaches the left side; chapters 13
 * and 19 rely on that to place a step inside a round trip.
 *
 * Nothing outlives the experiment: the rules, the veth pair and the second
 * namespace belong to the experiment's namespaces and go with them.
 *
 * Memory: the struct wire belongs to the struct run (r->wire); wire_free()
 * frees it. Strings returned by wire_capture_device() and wire_mark() are
 * the wire's own.
 */
#ifndef WIRE_H
#define WIRE_H

#include <poll.h>
#include <stddef.h>
#include <sys/types.h>
#include "sockdiag.h"

struct run;
struct wire;

/* Makes the wire the experiment asks for; r->wire stays NULL when it asks
 * for nothing. Returns 0, or -1 with a message in msg. */
int wire_setup(struct run *r, char *msg, size_t len);

/* The interface the capture listens on: "lo", or the link's left end. */
const char *wire_capture_device(const struct wire *w);

/* The lab.h control socket of the right side's namespace (an abstract
 * socket exists only in its own namespace), or -1 when there is none. */
int wire_peer_listener(struct wire *w);

/* In a role's process before exec: enters the right side's network
 * namespace when the role is there. Returns 0, or -1 with errno set. */
int wire_enter_role(const struct wire *w, const char *role);

/* Adds the wire's descriptors to p (at most max); returns how many. */
int wire_pollfds(const struct wire *w, struct pollfd *p, int max);
/* Milliseconds until a held packet is due, or -1 when none is held. */
int wire_timeout_ms(const struct wire *w);
/* How long the wire may take to deliver a packet it was given, in ms: the
 * round trip plus the longest delay; 0 without a wire. */
int wire_linger_ms(const struct wire *w);
/* Reads the queues, gives their verdicts, releases what is due. */
void wire_service(struct run *r);
/* A program announced step: blackholes begin or end, injections go out. */
void wire_step(struct run *r, const char *step);
/* The mark to put after a captured packet's line ("" if none): bytes are
 * the packet from its IP header on. *queued becomes the time the harness
 * read the packet from the queue it entered first, which is before the
 * call that sent it is over (labproto.h, LAB_ENV_SYNC); left as it was
 * when the wire did not queue the packet. */
const char *wire_mark(struct wire *w, const unsigned char *ip, size_t len, struct timespec *queued);
/* The sockets of the right side's namespace, as sockdiag_read(). */
int wire_peer_sockets(struct wire *w, struct sockdiag_entry *out, int max, char *msg, size_t len);
/* The end of the run: releases what is still held, writes RUNDIR/wire. */
void wire_finish(struct run *r);
void wire_free(struct wire *w);

#endif
