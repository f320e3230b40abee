/*
 * diagram.h: an experiment's ladder diagram as a model: lifelines and rows,
 * read from the harness's timeline.txt (its format: see code/run/timeline.c,
 * write_timeline). svg.h draws it.
 *
 * Lifelines: one per program (role), in the order the timeline first names
 * them; then one per endpoint no program owns (a port nobody listens on,
 * whose kernel answers with a reset), named by its address.
 *
 * Which program sent a packet is not written in the timeline; it is
 * inferred from what is (see diagram.c, attribute()):
 *   - a SYN without ACK comes from the program whose connect() (or
 *     sendto()/sendmsg(), for TCP Fast Open) was under way when it was
 *     sent: on Linux connect() sends the SYN itself (tcp_v4_connect ->
 *     tcp_connect, tcp_v6_connect likewise), so the SYN lies between the
 *     call's start and its return;
 *   - the other end of that connection is the program that listens on its
 *     port: the LISTEN sockets of the socket snapshots, owned by the program
 *     whose listen() preceded them;
 *   - every later packet of the connection follows its two ends.
 * When two programs' connect() calls overlap, the earlier call is given the
 * earlier SYN and a warning says the choice was a guess.
 *
 * Rows, in time order: a packet (an arrow), a call (a box on its program's
 * lifeline; a call during which something else happened is split into its
 * start and its return, joined by a bar), a step, the socket states at a
 * step (what changed on each lifeline), how a program ended, and a break
 * where more than GAP_MIN seconds pass between two rows.
 *
 * A wait of lab.h ("wait for step 'x'", then "... satisfied") is drawn as
 * a call is, start and end joined by a bar, in the style of a step.
 *
 * Markers the timeline may carry at the end of a line, documented in
 * AUTHORING.md: " [dropped]" and " [injected]" on a packet (what the wire's
 * fault injection did to it), " [expected]" on a call whose failure the
 * author expects.
 */
#ifndef DIAGRAM_H
#define DIAGRAM_H

#include <stddef.h>

#define GAP_MIN 0.02		/* seconds between rows that make a break */
#define MAX_ROWS 4000		/* rows drawn; the rest are counted */
#define MAX_LIFELINES 16

enum row_kind {
	ROW_PACKET,
	ROW_WIRE,		/* a capture line with no TCP ports: a note */
	ROW_CALL,
	ROW_RESUME,		/* "<... connect resumed> = 0" */
	ROW_STEP,
	ROW_STATES,
	ROW_FATE,
	ROW_GAP,
	ROW_NOTE,		/* a line of the harness's own ("not settled ...") */
};

/* row flags */
#define RF_BAD		0x01	/* a failed call, a death by signal, a non-zero exit */
#define RF_EXPECTED	0x02	/* a failure the author marked as expected */
#define RF_RST		0x04
#define RF_DROPPED	0x08
#define RF_INJECTED	0x10
#define RF_UNFINISHED	0x20	/* a call start whose return is a later row */
#define RF_WAIT		0x40	/* a lab.h wait, not a call: drawn as a note */

struct lifeline {
	char *name;		/* the role, or the endpoint ("127.0.0.1:9") */
	int is_role;
	char **endpoints;	/* its local endpoints, "127.0.0.1:9999" */
	size_t nendpoints;
	int fate_row;		/* the row of how it ended, or -1 */
};

/* A connection: two endpoints as tcpdump prints them ("127.0.0.1.9999"). */
struct connection {
	char *a, *b;		/* a: the end that sent the first packet seen */
	int la, lb;		/* their lifelines, -1 while unknown */
	char *tag;		/* ":53750", the client's port: shown only where
				   two lifelines share more than one connection */
};

struct row {
	enum row_kind kind;
	double t;		/* seconds, as the timeline gives them */
	int line;		/* timeline.txt line */
	int from, to;		/* lifelines; a call or step has from == to */
	int conn;		/* packet: its connection, else -1 */
	unsigned flags;
	char *text;		/* the label (packet: flags, seq, ack, win, len) */
	char *detail;		/* packet: the whole trace line; gap: NULL */
	int until;		/* RF_UNFINISHED: the row where it returns, or -1 */
	char **states;		/* ROW_STATES: per lifeline, NULL if unchanged */
};

struct diagram {
	const char *path;	/* the timeline, for messages */
	struct lifeline *life;
	int nlife;
	struct row *rows;
	size_t nrows, rows_cap;
	size_t omitted;		/* rows past MAX_ROWS, not drawn */
	struct connection *conns;
	size_t nconns;
	int tagged;		/* some pair of lifelines shares two connections */
	char **warnings;	/* "timeline.txt:12: warning: ..." */
	size_t nwarnings;
};

/* Reads timeline text (NUL-terminated, len bytes) named path into d, which
 * the caller zeroes first. Returns 0; or -1 after writing one message
 * "path:LINE:COL: error: ..." into err (errlen bytes), leaving d to be
 * released. */
int diagram_read(struct diagram *d, const char *path, const char *text, size_t len,
		 char *err, size_t errlen);

/* The model as plain text, one line a lifeline or row, for the tests.
 * The caller frees the returned string. */
char *diagram_text(const struct diagram *d);

/* Frees everything d holds (d itself is the caller's). */
void diagram_release(struct diagram *d);

#endif
