#!/usr/bin/env bash
# code/scripts/calltable.sh RUNROOT: the book's closing table, from what this build
# observed: every call the chapters' programs made, by the state its socket
# was in just before the call, with the result and the packets on the wire
# while it ran. Reads RUNROOT/STEM/EXP/calls.txt (written by the harness),
# prints tab-separated rows with a header line.
#
# "State" is the TCP state of the caller's sockets as lab.h read them with
# TCP_INFO just before the call. A listening socket is left out when the
# program also has a connection (the call is then on the connection), except
# for accept() and listen(); "-" means the program had no TCP socket, as
# after close() (the calls of chapters 3 and 4 on a closed descriptor).
# Results are folded so that rows mean something: a count or descriptor
# above 0 becomes "> 0"; 0, -1 with its errno name, and deaths by signal
# stay as they are.
set -eu
root=${1:?usage: calltable.sh RUNROOT}
for f in "$root"/*/*/calls.txt; do
	[ -f "$f" ] || continue
	exp=$(basename "$(dirname "$f")")
	stem=$(basename "$(dirname "$(dirname "$f")")")
	awk -F'\t' -v where="$stem/$exp" '
	{
		role = $1; state = $2; call = $3; result = $4; packets = $5
		name = call; sub(/\(.*/, "", name)
		flags = ""
		if (call ~ /MSG_NOSIGNAL/) flags = " + MSG_NOSIGNAL"
		n = split(state, s, " "); kept = ""
		for (i = 1; i <= n; i++)
			if (s[i] != "LISTEN" || name == "accept" || name == "listen" || n == 1)
				kept = kept (kept == "" ? "" : " ") s[i]
		if (kept == "") kept = "-"
		if (result ~ /^[1-9][0-9]*$/) result = "> 0"
		sub(/ \(.*\)$/, "", result)	# "-1 EPIPE (Broken pipe)" -> "-1 EPIPE"
		if (packets == "") packets = "none"
		printf "%s%s\t%s\t%s\t%s\t%s\n", name, flags, kept, result, packets, where
	}' "$f"
done | sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 -k4,4 -k5,5 -u |
awk -F'\t' '
BEGIN { print "call\tstate before\tresult\tpackets while it ran\tseen in" }
{
	key = $1 "\t" $2 "\t" $3 "\t" $4
	if (key == last) { where = where ", " $5; next }
	if (last != "") print last "\t" where
	last = key; where = $5
}
END { if (last != "") print last "\t" where }'
