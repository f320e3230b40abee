/*
 * calltable.h: the book's closing table, from what this build observed:
 * every call the chapters' programs made, by the state its socket was in
 * just before the call, with the result and the packets the call made (see
 * write_calls in code/run/timeline.c for which packets those are: the same
 * in every run of a deterministic experiment, which tests/harness.sh and
 * tests/wire.sh check). Read
 * from RUNROOT/STEM/EXP/calls.txt (code/FORMATS.md), written as
 * tab-separated rows after a header line, for weave's ```table calls```
 * placeholder (render-output.c, table_block).
 *
 * How rows are made (this was code/scripts/calltable.sh):
 * - "state before" is calls.txt's: the TCP state of the socket the call
 *   acted on, as lab.h read it with TCP_INFO before the call ("-" for
 *   socket(), or a descriptor that was no TCP socket), or, for a call
 *   lab.h did not follow to one descriptor, the states of the caller's
 *   sockets; of these a listening socket is left out when the program
 *   also has a connection, except for accept() and listen().
 * - the row's name is a call's name ("connect" for "connect(fd, ...)",
 *   with " + MSG_NOSIGNAL" when the text has it) when the text is one call
 *   whose parentheses close at its end; any other text (a comparison the
 *   program printed, "p.revents == (POLLIN | POLLHUP)") is the name whole.
 * - results are folded: any value above 0 (a count, a descriptor, a
 *   comparison that held) becomes "> 0"; an
 *   errno's explanation in parentheses is dropped ("-1 EPIPE").
 * - "packets" is "none" when the call made none, and "not captured" for
 *   every call of an experiment whose capture filter may leave some of
 *   its packets out (anything but "tcp", "port N", "tcp port N" joined by
 *   "or": chapter 24's SYN-only capture, say), read from
 *   TANGLEROOT/STEM/experiments.
 * - an experiment declared `deterministic: no` gives no rows: its calls
 *   may differ from run to run, and the table must not.
 * - identical rows from several experiments are one row, "seen in" listing
 *   STEM/EXP of each, in file-name order. Rows are sorted bytewise (C
 *   locale), so the table is the same on every machine for the same calls.
 */
#ifndef TANGLE_CALLTABLE_H
#define TANGLE_CALLTABLE_H

#include <stddef.h>

#include "util.h"

/* Appends the table of the chapters stems[0..n-1] (their runs under
 * runroot, their experiment lists under tangleroot; a chapter without runs
 * adds nothing) to out. */
void calltable_make(const char *runroot, const char *tangleroot, char *const *stems, size_t n,
		    struct sb *out);

#endif
