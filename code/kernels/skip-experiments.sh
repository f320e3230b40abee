#!/bin/sh
# code/kernels/skip-experiments.sh FEATURES EXPERIMENTS OUTDIR: leaves out
# the experiments that need a feature the kernel lacks.
#
# FEATURES is a feature check, one line a feature: "FEATURE ok", or
# "FEATURE missing CONFIG...|NEEDED BY[|CAUSE]" (code/kernels/features
# says what NEEDED BY is: "*" for every experiment, else the experiment
# directives that need it, the first word of one of the experiment's
# lines or the wire's key of a "wire LINE KEY ..." line; CAUSE, when there
# is one, is what the probe saw). The guest's init writes one
# (code/kernels/init), and so does code/kernels/host-features.sh for the
# host's build.
#
# Prints EXPERIMENTS without the blocks of the experiments that need a
# missing feature, and writes OUTDIR/EXP/meta for each of those:
#   status skipped
#   skipped needs FEATURE (CONFIG...)
#   skipped cause CAUSE              (when the check gave one)
# which the claims checker reads (the claims show as not run, not as
# confirmed) and weave shows on the page ("skipped: this kernel lacks
# FEATURE"). Exit status 0, or 1 when every experiment was left out.
#
# POSIX sh and awk: the guest's busybox runs it too.
FEATURES=${1:?usage: skip-experiments.sh FEATURES EXPERIMENTS OUTDIR}
X=${2:?usage: skip-experiments.sh FEATURES EXPERIMENTS OUTDIR}
OUTDIR=${3:?usage: skip-experiments.sh FEATURES EXPERIMENTS OUTDIR}
mkdir -p "$OUTDIR" || exit 2
list=$OUTDIR/.skipped.$$
awk -v skips="$list" '
	FNR == NR {
		if ($2 != "missing") next
		line = $0; sub(/^[^ ]* missing /, "", line)
		np = split(line, p, "|")
		nm++; feat[nm] = $1; cfg[nm] = p[1]; need[nm] = " " p[2] " "; cause[nm] = np > 2 ? p[3] : ""
		next
	}
	$1 == "experiment" { inblock = 1; name = $2; n = 0; words = " " }
	inblock { buf[++n] = $0; words = words $1 " " ($1 == "wire" ? $3 " " : "") }
	!inblock { print }
	inblock && $1 == "end" {
		inblock = 0; why = 0
		for (i = 1; i <= nm && !why; i++) {
			if (need[i] == " * ") { why = i; break }
			k = split(substr(need[i], 2), w, " ")
			for (j = 1; j <= k; j++) if (index(words, " " w[j] " ")) { why = i; break }
		}
		if (why) { print name "|" feat[why] " (" cfg[why] ")|" cause[why] >skips; nskip++ }
		else { for (i = 1; i <= n; i++) print buf[i]; nkept++ }
	}
	END { if (nskip && !nkept) exit 1 }' "$FEATURES" "$X"
rc=$?
if [ -f "$list" ]; then
	while IFS='|' read -r name why cause; do
		mkdir -p "$OUTDIR/$name"
		{
			echo "status skipped"
			echo "skipped needs $why"
			[ -n "$cause" ] && echo "skipped cause $cause"
		} >"$OUTDIR/$name/meta"
	done <"$list"
	rm -f "$list"
fi
exit $rc
