#!/usr/bin/env bash
# code/kernels/compare.sh KERNEL...: compares the book's observations across
# kernels, from the runs of code/kernels/run-kernel.sh in
# $BUILD/kernels/LABEL/ (LABEL: code/kernels/fetch.sh --label KERNEL).
#
# Writes, in $BUILD/kernels/:
#
#   drift, drift.txt  what changed, by cause ($BUILD/bin/drift: records for
#                     the page, and plain text)
#   matrix            the kernels, the date, and the POSIX cksum of each
#                     chapter as it ran (so that a chapter's page shows its
#                     per-kernel results only while they are current)
#   compare.txt       plain text: the kernels, the drift, each claim's result
#                     per kernel
#
# and $BUILD/html/kernels.html ("What changed between kernels", written by
# weave --kernels; `make matrix` then weaves the site, which writes it again
# with the guests' runs and ladder diagrams under $BUILD/html/kernels/).
#
# A kernel that did not run is shown with its reason and left out of the
# comparisons. Exit status 0 when everything was written.
set -u
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
CHAPTER_DIR=${CHAPTER_DIR:-chapters}
[ $# -gt 0 ] || { echo "usage: code/kernels/compare.sh KERNEL..." >&2; exit 2; }
K=$BUILD/kernels
progname=code/kernels/compare.sh
mkdir -p "$K" "$BUILD/html" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
field() { sed -n "s/^$2 //p" "$1" 2>/dev/null | head -n 1; }
# put TMP DEST: DEST replaced by TMP only when they differ (make stays incremental)
put() { cmp -s "$1" "$2" || { cp "$1" "$2.tmp" && mv "$2.tmp" "$2"; }; }

labels=()
ran=()
args=()
for k in "$@"; do
	l=$("$HERE/fetch.sh" --label "$k")
	labels+=("$l")
	if [ -d "$K/$l/run" ]; then
		ran+=("$l")
		args+=("$l=$K/$l/run")
	fi
done

# --- matrix ---------------------------------------------------------------------
{
	printf 'kernels'
	printf '\t%s' "${labels[@]}"
	printf '\n'
	printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	stems=$(for l in "${ran[@]}"; do ls "$K/$l/run"; done | grep -v '^status$\|^features$\|^sysctls$' | sort -u)
	for stem in $stems; do
		[ -f "$CHAPTER_DIR/$stem.md" ] || continue
		printf 'chapter\t%s\t%s\n' "$stem" "$(cksum <"$CHAPTER_DIR/$stem.md")"
	done
} >"$tmp/matrix"

# --- drift ----------------------------------------------------------------------
if [ ${#args[@]} -gt 0 ]; then
	[ -x "$BUILD/bin/drift" ] || { echo "$progname: '$BUILD/bin/drift' is missing (make $BUILD/bin/drift)" >&2; exit 1; }
	"$BUILD/bin/drift" -o "$tmp/drift" -t "$tmp/drift.txt" "${args[@]}" || exit 1
else
	printf 'kernels\n' >"$tmp/drift"
	echo "no kernel ran: nothing to compare" >"$tmp/drift.txt"
fi

# --- compare.txt ------------------------------------------------------------------
{
	echo "# The book's experiments on several kernels (code/kernels/compare.sh)"
	echo
	echo "kernels"
	for l in "${labels[@]}"; do
		s=$K/$l/summary
		status=$(field "$s" status)
		err=$(sed -n 's/^error //p' "$s" 2>/dev/null | head -n 1)
		[ -f "$s" ] || { status=failed; err="never run (code/kernels/run-kernel.sh $l)"; }
		accel=$(field "$s" accel)
		case $accel in none) where=host ;; '') where=- ;; *) where="qemu, $accel; $(field "$s" package)" ;; esac
		printf '  %s\t%s\t%s\tboot %s s\trun %s s\t%s\n' "$l" "$(field "$s" kernel | grep . || echo -)" "$where" \
			"$(field "$s" boot | grep . || echo -)" "$(field "$s" seconds | grep . || echo -)" "$status${err:+: $err}"
		sed -n 's/^\(guest\|config\|skipped\) /    &/p' "$s" 2>/dev/null
	done
	echo
	cat "$tmp/drift.txt"
	echo
	echo "claims"
	n=0
	for stem in $stems; do
		for l in "${ran[@]}"; do
			f=$K/$l/run/$stem/claims.txt
			[ -f "$f" ] || continue
			awk -v k="$l" -v stem="$stem" '
				$1 == "claim" { line = $2; res = $3; text = "" }
				$1 == "text" { text = substr($0, 6) }
				$1 == "end" { printf "%s\037%s\037%s\037%s\037%s\n", stem, line, text, k, res }' "$f"
		done
	done | sort -t $'\037' -k1,1 -k2,2n -s | awk -F '\037' -v kernels="${ran[*]}" '
		BEGIN { nk = split(kernels, ks, " ") }
		{
			id = $1 ":" $2
			if (!(id in seen)) { seen[id] = 1; order[++n] = id; text[id] = $3 }
			res[id, $4] = $5
		}
		END {
			for (i = 1; i <= n; i++) {
				id = order[i]; out = "  " id
				for (j = 1; j <= nk; j++) out = out " | " ks[j] ": " (((id, ks[j]) in res) ? res[id, ks[j]] : "-")
				print out "   " text[id]
			}
			if (!n) print "  none checked"
		}'
} >"$tmp/compare.txt"

put "$tmp/matrix" "$K/matrix"
put "$tmp/drift" "$K/drift"
put "$tmp/drift.txt" "$K/drift.txt"
put "$tmp/compare.txt" "$K/compare.txt"

# --- the page ----------------------------------------------------------------------
# (weave --site writes it again with the site, and publishes the guests'
# runs, ladder diagrams included, under $BUILD/html/kernels/LABEL/.)
[ -x "$BUILD/bin/weave" ] || { echo "$progname: '$BUILD/bin/weave' is missing (make tools)" >&2; exit 1; }
"$BUILD/bin/weave" --kernels "$K" -o "$BUILD/html/kernels.html" || exit 1
exit 0
