#!/bin/sh
# code/kernels/run-book.sh BOOK OUT [INFO]: runs every chapter's
# experiments with the book's own harness and programs, as the build does,
# and writes OUT/STEM/ exactly as the build writes build/run/STEM/.
#
# BOOK is laid out as the build directory: BOOK/bin/harness,
# BOOK/prog/STEM/ (the compiled programs), BOOK/tangle/STEM/experiments.
# A chapter without compiled programs is skipped, as the build skips it.
# Each line KEY=VALUE of the file INFO goes to the harness as
# `-i KEY=VALUE` (into build-info).
# Writes OUT/status: one line "STEM EXIT-STATUS SECONDS" per chapter run.
#
# The same script runs on the host and as the guest's /init's work: it is
# POSIX sh so that busybox runs it.
BOOK=${1:?usage: run-book.sh BOOK OUT [INFO]}
OUT=${2:?usage: run-book.sh BOOK OUT [INFO]}
INFO=${3:-}
mkdir -p "$OUT" || exit 1
: >"$OUT/status"
for x in "$BOOK"/tangle/*/experiments; do
	[ -f "$x" ] || continue
	stem=$(basename "$(dirname "$x")")
	[ -d "$BOOK/prog/$stem" ] || continue
	mkdir -p "$OUT/$stem"
	set -- -p "$BOOK/prog/$stem" -o "$OUT/$stem" -c "chapters/$stem.md"
	if [ -n "$INFO" ]; then
		while IFS= read -r kv; do
			[ -n "$kv" ] && set -- "$@" -i "$kv"
		done <"$INFO"
	fi
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$BOOK/bin/harness" "$@" "$x" 2>"$OUT/$stem/errors.txt"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	[ -s "$OUT/$stem/errors.txt" ] || rm -f "$OUT/$stem/errors.txt"
	echo "$stem $rc $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')" >>"$OUT/status"
done
