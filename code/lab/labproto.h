/*
 * labproto.h: the protocol between lab.h (in a chapter's program) and the
 * harness (code/run/labserver.c). Both include this header, so a verb or a
 * name cannot drift between them. Header only, plain C, nothing to link.
 *
 * The harness listens on an abstract unix socket named LAB_CTL_NAME in the
 * experiment's network namespace (abstract names are per namespace, so two
 * experiments never meet), SOCK_SEQPACKET: one message is one event. It
 * passes the name to each program in the environment variable LAB_ENV_CTL,
 * and the role's name in LAB_ENV_ROLE.
 *
 * A message is "SEC.NSEC\tVERB\tTEXT": the time (CLOCK_REALTIME, the clock
 * of pcap's timestamps), a verb below, and its text (no newline: the
 * harness turns CR and LF into blanks, one event is one timeline line).
 * The harness answers LAB_VERB_STEP, LAB_VERB_WAIT, LAB_VERB_PACKET and
 * LAB_VERB_PACKETS with
 * one message LAB_REPLY_GO once the step is recorded or the wait holds; a
 * program blocks until then. Where the harness sets LAB_ENV_SYNC (an
 * experiment with a wire, whose packets reach the capture only once the
 * harness has given their verdict), it answers LAB_VERB_CALL,
 * LAB_VERB_SHOW and LAB_VERB_EXPECT too, each once it has read every
 * packet queued so far, and the program waits for that before the call
 * and before its next step: so every packet the call sent is read after
 * the harness saw the call begin and before it saw the call end.
 *
 *   hello   TEXT: the role ("client"); the first message of a connection.
 *           A forked child opens its own connection and says
 *           "PARENT/N PID" (N counts its parent's forks from 1) or, after
 *           lab_name(), "PARENT/NAME PID"
 *   name    TEXT: a child's new role, "PARENT/NAME" (lab_name): its section
 *           and output files take that name
 *   state   TEXT: the program's TCP sockets just before a call, LAB_STATES
 *   call    TEXT: a call about to be made, as written (SHOW's argument)
 *   fd      TEXT: the descriptor the call acts on ("4"), or "-1" for
 *           socket(), which makes one: sent when the call's arguments have
 *           been evaluated, for the socket functions lab.h follows (LAB_ON_FD_
 *           in lab.h); for any other call none is sent
 *   after   TEXT: the sockets just after it returned, LAB_STATES
 *   show    TEXT: the call and its result as strace prints it
 *   expect  TEXT: like show, for a call whose failure the program expects
 *           (SHOW_FAILS): drawn as expected, not as an error
 *   step    TEXT: the step's name; answered when the sockets are recorded
 *   wait    TEXT: a step's name; answered once some program announced it
 *   packet  TEXT: text of a trace line; answered once a captured packet's
 *           line contains it and the receiving socket has processed it
 *   packets "N TEXT": the same once N captured packets' lines contain TEXT
 *           (N from 1 to LAB_PACKETS_MAX)
 *
 * LAB_STATES: "fd3=LISTEN@9999 fd4=ESTABLISHED@9999", one word per TCP
 * socket of the program, fd number, state (include/net/tcp_states.h names)
 * and local port; "" when it has none.
 */
#ifndef LABPROTO_H
#define LABPROTO_H

#define LAB_CTL_NAME "tcpbook-lab"
#define LAB_ENV_CTL "LAB_CTL"
#define LAB_ENV_ROLE "LAB_ROLE"
#define LAB_ENV_SYNC "LAB_SYNC"

#define LAB_VERB_HELLO "hello"
#define LAB_VERB_NAME "name"
#define LAB_VERB_STATE "state"
#define LAB_VERB_CALL "call"
#define LAB_VERB_FD "fd"
#define LAB_VERB_AFTER "after"
#define LAB_VERB_SHOW "show"
#define LAB_VERB_EXPECT "expect"
#define LAB_VERB_STEP "step"
#define LAB_VERB_WAIT "wait"
#define LAB_VERB_PACKET "packet"
#define LAB_VERB_PACKETS "packets"

#define LAB_REPLY_GO "go"

/* The most packets lab_wait_packets() may wait for. */
#define LAB_PACKETS_MAX 1000

/* The largest message either side sends or reads. */
#define LAB_MSG_MAX 4096

/* The fd lab.h moves its control socket to, out of the program's way: the
 * program's own first socket is fd 3, as a reader running it by hand sees. */
#define LAB_CTL_FD_MIN 500

#endif
