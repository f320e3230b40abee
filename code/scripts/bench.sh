#!/usr/bin/env bash
# code/scripts/bench.sh: the figures `make bench` reports. Builds a copy of the book
# in a scratch directory (the tree is not touched), times each kind of
# rebuild, the harness's own overhead and tangle against noweb's notangle,
# and prints one table. It measures; it never passes or fails on a time.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
MAKE=${MAKE:-make}
work=$(mktemp -d /tmp/tcpbook-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
B=$work/build
SRC=$work/chapters
cp -rL chapters "$SRC"	# -L: a chapter may be a link (99 is AUTHORING.md)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
row() { printf '%-46s %10s %s\n' "$1" "$2" "${3:-}"; }
quiet() { "$@" >/dev/null 2>&1; }

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# mk TARGET...: make in the scratch copy; a failed build stops the bench,
# since its times would mean nothing.
mk() {
	if ! $MAKE --no-print-directory -j"$(nproc)" BUILD="$B" CHAPTER_DIR="$SRC" "$@" >"$work/make.log" 2>&1; then
		echo "bench: 'make $*' failed:" >&2
		tail -n 20 "$work/make.log" >&2
		exit 1
	fi
}

echo "tcpbook bench on $(uname -r), $(nproc) cores (make -j$(nproc)), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "chapters: $(ls "$SRC"/*.md | wc -l), experiments: $(cat "$SRC"/*.md | grep -c '^```experiment')"
echo
row "what" "seconds" "(target)"

# The tools are built first and kept: these figures are about the book.
# A clean build removes everything else the book's build makes (the
# precompiled lab.h and the host's feature check too), as make clean would.
mk tools
for pdf in 0 1; do
	rm -rf "$B/run" "$B/tangle" "$B/prog" "$B/html" "$B/print" "$B/stamp" "$B/errors" \
		"$B/pch" "$B/kernels" "$B/book.pdf" 2>/dev/null
	t0=$(now)
	if [ $pdf -eq 1 ]; then mk all; else mk html; fi
	t1=$(now)
	if [ $pdf -eq 1 ]; then row "full clean build, with PDF" "$(elapsed "$t0" "$t1")" "(<= 10 s)"
	else row "full clean build, HTML only" "$(elapsed "$t0" "$t1")"; fi
done

t0=$(now); mk all; t1=$(now)
row "no-op rebuild" "$(elapsed "$t0" "$t1")" "(<= 0.2 s)"

# A prose edit: one sentence added to the first chapter's first paragraph.
first=$(ls "$SRC"/*.md | head -n 1)
stem=$(basename "$first" .md)
sed -i '0,/^$/s//\nA sentence added by the bench.\n/' "$first"
t0=$(now); mk html; t1=$(now)
row "prose edit of one chapter, HTML" "$(elapsed "$t0" "$t1")" "(<= 1 s)"
t0=$(now); mk all; t1=$(now)
row "  the same edit, then the PDF" "$(elapsed "$t0" "$t1")"

# A code edit: a comment added inside the first program block.
awk '!done && /^```c file=/ { print; print "/* edited by the bench */"; done = 1; next } { print }' \
	"$first" >"$work/edit.md" && mv "$work/edit.md" "$first"
t0=$(now); mk html; t1=$(now)
row "code edit of one chapter (tangle, cc, run), HTML" "$(elapsed "$t0" "$t1")"

# The harness's own cost: an experiment whose program exits at once.
mkdir -p "$work/h/prog"
printf 'int main(void) { return 0; }\n' >"$work/h/true.c"
cc -O1 -o "$work/h/prog/true" "$work/h/true.c"
printf 'experiment noop\nline 1\ncapture tcp\ntimeout 5\nrole a true.c\nend\n' >"$work/h/x"
for i in $(seq 30); do
	t0=$(now)
	"$B/bin/harness" -p "$work/h/prog" -o "$work/h/run" "$work/h/x" >/dev/null 2>&1
	t1=$(now)
	elapsed "$t0" "$t1"; echo
done | median | { read -r m; row "harness, one experiment per call (median of 30)" "$m" "(<= 0.050 s)"; }
# As the build runs them: a chapter's experiments in one call, the teardown
# of one overlapping the start of the next.
for i in $(seq 30); do sed "s/^experiment noop$/experiment noop$i/" "$work/h/x"; done >"$work/h/x30"
t0=$(now)
"$B/bin/harness" -p "$work/h/prog" -o "$work/h/run30" "$work/h/x30" >/dev/null 2>&1
t1=$(now)
row "harness, per experiment, 30 in one call" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 30 }')" "(<= 0.050 s)"

# The wire (code/run/wire.c): what its queue and rules add to an experiment,
# what its link adds, and what deciding costs per packet, from the cost the
# harness records in every wire experiment of the book (RUNDIR/E/wire).
wire_median() { # wire_median FILE: the median time of 15 calls
	for i in $(seq 15); do
		t0=$(now)
		"$B/bin/harness" -p "$work/h/prog" -o "$work/h/wrun" "$1" >/dev/null 2>&1
		t1=$(now)
		elapsed "$t0" "$t1"; echo
	done | median
}
printf 'experiment q\nline 1\ncapture tcp\ntimeout 5\nwire 2 drop #1 Flags [S]\nrole a true.c\nend\n' >"$work/h/xq"
printf 'experiment l\nline 1\ncapture tcp\ntimeout 5\nwire 2 link a | b\nrole a true.c\nrole b true.c\nend\n' >"$work/h/xl"
base=$(wire_median "$work/h/x")
q=$(wire_median "$work/h/xq")
l=$(wire_median "$work/h/xl")
row "wire, the queue and its rules, per experiment" "$(awk -v a="$base" -v b="$q" 'BEGIN { printf "%.3f", b - a }')"
row "wire, a link (second namespace, veth, queues), per experiment" "$(awk -v a="$base" -v b="$l" 'BEGIN { printf "%.3f", b - a }')"
cat "$B"/run/*/*/wire 2>/dev/null | awk '/^queued / { n += $2 } /^cost / { us += $2 }
	END { if (n) printf "%.1f\n", us / n; else print "-" }' |
	{ read -r c; row "wire, its time per packet queued (us, the book's wire experiments)" "$c"; }

# tangle against notangle on a generated 2 MB document of 20,000 chunks.
tests/bench/gen-chunks.sh 20000 "$work/gen" >/dev/null
size=$(du -k "$work/gen/chunks.md" | cut -f1)
best() { # best of 3 runs of a command, in seconds
	for i in 1 2 3; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); elapsed "$t0" "$t1"; echo
	done | sort -n | head -n 1
}
row "tangle, ${size} KB / 20000 chunks (best of 3)" "$(best "$B/bin/tangle" -o "$work/gen/out" "$work/gen/chunks.md")"
# notangle is Debian's noweb, which pulls in TeX: the bench alone needs it.
if ! command -v notangle >/dev/null && [ "$(id -u)" -eq 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq noweb >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq noweb >/dev/null 2>&1; }
fi
if command -v notangle >/dev/null; then
	row "notangle -L, the same document (best of 3)" "$(best notangle -L -Rmain.c "$work/gen/chunks.nw")"
else
	row "notangle (Debian package noweb)" "missing"
fi

# The kernel matrix, on the real build (its kernels are cached there).
if [ -z "${BENCH_NO_MATRIX:-}" ]; then
	echo
	$MAKE --no-print-directory bench-kernels || row "kernel matrix" "failed" "(see above)"
fi
