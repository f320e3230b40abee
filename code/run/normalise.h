/*
 * normalise.h: the parts of an observation that change on every run, made
 * symbolic, so that two runs on the same kernel compare equal and runs on
 * two kernels differ only where the kernels do.
 *
 * What changes on every run: ephemeral ports (chosen at random by connect()),
 * initial sequence numbers (RFC 9293 3.4.1) and TCP timestamp values (RFC
 * 7323; Linux offsets them per connection). Ports from 32768 up (the start of
 * Linux's default ip_local_port_range) become <p1>, <p2>, ... in order of
 * first appearance; a sequence or acknowledgement number the printer marked
 * absolute ("seq #N", tcpprint's mark_absolute) becomes <isn1> or <isn1>+N;
 * `TS val X ecr Y` becomes `TS val <ts> ecr <ts>` (an ecr of 0 stays 0: it
 * means "nothing to echo yet").
 */
#ifndef NORMALISE_H
#define NORMALISE_H

#include <stddef.h>

#define NORMALISE_MAX 64

/* The symbols given so far; zero-initialise, one per experiment. */
struct normaliser {
	unsigned ports[NORMALISE_MAX];
	int nports;
	unsigned long long isns[NORMALISE_MAX];
	int nisns;
};

/* Normalises one line: a tcpdump -n -t line printed with mark_absolute
 * (`packet` 1) or any other line
 * (socket states, program output: ports only). Writes at most len bytes,
 * always NUL-terminated. */
void normalise_line(struct normaliser *n, int packet, const char *in, char *out, size_t len);

#endif
