#!/usr/bin/env bash
# tests/bench/gen-chunks.sh [N] [OUTDIR]: writes a generated chapter with N
# chunks (default 20000, about 2 MB) as OUTDIR/chunks.md (our syntax) and the
# same program as OUTDIR/chunks.nw (noweb), to time tangle against notangle:
#
#   tests/bench/gen-chunks.sh 20000 /tmp/bench
#   time build/bin/tangle -o /tmp/bench/out /tmp/bench/chunks.md
#   time notangle -L -Rmain.c /tmp/bench/chunks.nw >/tmp/bench/main-nw.c
#
# The chunks form a binary tree (chunk i includes 2i+1 and 2i+2, indented),
# so expansion is deep as well as wide; each has prose and a few lines.
set -eu
n=${1:-20000}
out=${2:-.}
mkdir -p "$out"
LC_ALL=C awk -v n="$n" -v md="$out/chunks.md" -v nw="$out/chunks.nw" '
function body(i, f,   c) {
	printf "int v%d = %d;\n", i, i >f
	printf "if (v%d > 0) {\n", i >f
	for (c = 2 * i + 1; c <= 2 * i + 2; c++)
		if (c < n) printf "    <<chunk %d>>\n", c >f
	printf "}\n" >f
}
BEGIN {
	print "# A generated chapter\n" >md
	print "@ A generated chapter." >nw
	print "```c file=main.c\nint main(void)\n{\n    <<chunk 0>>\n    return 0;\n}\n```\n" >md
	print "<<main.c>>=\nint main(void)\n{\n    <<chunk 0>>\n    return 0;\n}\n@" >nw
	for (i = 0; i < n; i++) {
		printf "Chunk %d adds a line.\n\n", i >md
		printf "```c chunk=\"chunk %d\"\n", i >md
		body(i, md)
		print "```\n" >md
		printf "@ Chunk %d adds a line.\n", i >nw
		printf "<<chunk %d>>=\n", i >nw
		body(i, nw)
		print "@" >nw
	}
}'
