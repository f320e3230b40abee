#!/bin/sh
# code/kernels/run-book.sh BOOK OUT [INFO [FEATURES]]: runs every chapter's
# experiments with the book's own harness and programs, as the build does,
# and writes OUT/STEM/ exactly as the build writes build/run/STEM/.
#
# BOOK is laid out as the build directory: BOOK/bin/harness,
# BOOK/prog/STEM/ (the compiled programs), BOOK/tangle/STEM/experiments.
# A chapter without compiled programs is skipped, as the build skips it.
# Each line KEY=VALUE of the file INFO goes to the harness as
# `-i KEY=VALUE` (into build-info).
# FEATURES is the guest's feature check (code/kernels/init): its lines
# "FEATURE missing CONFIG...|DIRECTIVES" name what the kernel lacks and
# which experiments need it ("*": every one; else those with one of the
# DIRECTIVES: the first word of one of its lines, or the wire's key of a
# "wire LINE KEY ..." line). Such an experiment is not run: OUT/STEM/EXP/meta says
# "status skipped" and "skipped FEATURE (CONFIG...)"; the others run.
# Writes OUT/status: one line "STEM EXIT-STATUS SECONDS" per chapter run.
#
# The same script runs on the host and as the guest's /init's work: it is
# POSIX sh so that busybox runs it.
BOOK=${1:?usage: run-book.sh BOOK OUT [INFO]}
OUT=${2:?usage: run-book.sh BOOK OUT [INFO]}
INFO=${3:-}
FEATURES=${4:-}
mkdir -p "$OUT" || exit 1
: >"$OUT/status"

# OUT/sysctls: the kernel's TCP sysctls ("NAME VALUE"), as a fresh network
# namespace sees them (the experiments' view; as root, or through a user
# namespace otherwise; the current namespace if neither works), for the
# comparison of kernels. Keys are left out: they differ on every boot.
dump='for f in /proc/sys/net/ipv4/tcp_* /proc/sys/net/core/rmem_max /proc/sys/net/core/wmem_max /proc/sys/net/core/rmem_default /proc/sys/net/core/wmem_default /proc/sys/net/core/somaxconn; do
	case $f in *_key) continue ;; esac
	v=$(cat "$f" 2>/dev/null | tr "\t" " ")
	[ -n "$v" ] || continue
	n=${f#/proc/sys/}
	echo "$(echo "$n" | tr / .) $v"
done'
unshare -n sh -c "$dump" >"$OUT/sysctls" 2>/dev/null || unshare -rn sh -c "$dump" >"$OUT/sysctls" 2>/dev/null ||
	sh -c "$dump" >"$OUT/sysctls"
for x in "$BOOK"/tangle/*/experiments; do
	[ -f "$x" ] || continue
	stem=$(basename "$(dirname "$x")")
	[ -d "$BOOK/prog/$stem" ] || continue
	mkdir -p "$OUT/$stem"
	if [ -n "$FEATURES" ] && grep -q '^[^ ]* missing ' "$FEATURES"; then
		# Leave out the experiments that need what the kernel lacks.
		awk -v skips="$OUT/$stem/.skipped" '
			FNR == NR {
				if ($2 != "missing") next
				line = $0; sub(/^[^ ]* missing /, "", line)
				split(line, p, "|")
				nm++; feat[nm] = $1; cfg[nm] = p[1]; need[nm] = " " p[2] " "
				next
			}
			$1 == "experiment" { inblock = 1; name = $2; n = 0; words = " " }
			inblock { buf[++n] = $0; words = words $1 " " ($1 == "wire" ? $3 " " : "") }
			!inblock { print }
			inblock && $1 == "end" {
				inblock = 0; why = ""
				for (i = 1; i <= nm; i++) {
					if (need[i] == " * ") { why = feat[i] " (" cfg[i] ")"; break }
					split(substr(need[i], 2), w, " ")
					for (j in w) if (index(words, " " w[j] " ")) { why = feat[i] " (" cfg[i] ")"; break }
					if (why != "") break
				}
				if (why != "") print name "|" why >skips
				else for (i = 1; i <= n; i++) print buf[i]
			}' "$FEATURES" "$x" >"$OUT/$stem/.experiments"
		if [ -f "$OUT/$stem/.skipped" ]; then
			while IFS='|' read -r name why; do
				mkdir -p "$OUT/$stem/$name"
				printf 'status skipped\nskipped needs %s\n' "$why" >"$OUT/$stem/$name/meta"
			done <"$OUT/$stem/.skipped"
			rm -f "$OUT/$stem/.skipped"
		fi
		x=$OUT/$stem/.experiments
		if ! grep -q '^experiment ' "$x"; then
			rm -f "$x"
			echo "$stem 0 0.00 skipped" >>"$OUT/status"
			continue
		fi
	fi
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
	rm -f "$OUT/$stem/.experiments"
	echo "$stem $rc $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')" >>"$OUT/status"
done
