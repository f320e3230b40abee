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
 * - "state before" is the TCP state of the caller's sockets as lab.h read
 *   them with TCP_INFO before the call. A listening socket is left out when
 *   the program also has a connection (the call is then on the connection),
 *   except for accept() and listen(); "-" means no TCP socket.
 * - results are folded: a count or descriptor above 0 becomes "> 0"; an
 *   errno's explanation in parentheses is dropped ("-1 EPIPE").
 * - "packets" is "none" when the call made none.
 * - identical rows from several experiments are one row, "seen in" listing
 *   STEM/EXP of each, in file-name order. Rows are sorted bytewise (C
 *   locale), so the table is the same on every machine for the same calls.
 */
#ifndef TANGLE_CALLTABLE_H
#define TANGLE_CALLTABLE_H

#include <stddef.h>

#include "util.h"

/* Appends the table of the chapters stems[0..n-1] (their runs under
 * runroot; a chapter without runs adds nothing) to out. */
void calltable_make(const char *runroot, char *const *stems, size_t n, struct sb *out);

#endif
