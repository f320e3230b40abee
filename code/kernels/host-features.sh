#!/usr/bin/env bash
# code/kernels/host-features.sh: the host's feature check, for the build's
# run step (run by the Makefile's rule for BUILD/kernels/host-features.key,
# or by code/scripts/step.sh when it has no HOST_FEATURES): prints the path
# of a file in the format code/kernels/init writes in a guest and
# code/kernels/skip-experiments.sh reads, one line a feature:
#   FEATURE ok
#   FEATURE missing CONFIG...|NEEDED BY|CAUSE
#
# Only what an experiment may need beyond the basics is probed: the wire's
# packet queue (nfqueue) and a real link (veth) of code/kernels/features.
# Without namespaces, packet sockets or sock_diag no experiment runs, and
# the harness says so for every one. The probe is the harness itself, on
# two experiments made here that ask for a drop fault and for a link, with
# /usr/bin/true as their programs: whatever the chapters' experiments would
# need for those (the kernel's NFQUEUE, nf_tables and veth, iptables-nft in
# PATH, the rights in a user namespace) is exercised the same way, as the
# same user. CAUSE is the harness's message. A feature whose probe failed
# for a missing feature it depends on is not probed (veth needs nfqueue:
# a link's round trip is the wire's).
#
# The answer is kept in $BUILD/kernels/host-features, reused while the
# kernel, its boot, the user, PATH and the harness are the same.
#
# Test hook: TCPBOOK_HOST_FEATURES=FILE makes FILE the answer, without
# probing (tests/kernels.sh simulates a kernel that lacks a feature so).
#
# Exit status 0; 1 (and nothing printed) when the probe cannot run at all
# (no harness): the run step then runs every experiment, as before.
set -u
B=${BUILD:-build}
if [ -n "${TCPBOOK_HOST_FEATURES:-}" ]; then
	[ -f "$TCPBOOK_HOST_FEATURES" ] || { echo "code/kernels/host-features.sh: TCPBOOK_HOST_FEATURES: no file '$TCPBOOK_HOST_FEATURES'" >&2; exit 1; }
	echo "$TCPBOOK_HOST_FEATURES"
	exit 0
fi
H=$B/bin/harness
[ -x "$H" ] || exit 1
out=$B/kernels/host-features
# The key, read with builtins only (a dozen processes here cost about
# 18 ms). The Makefile reads the same key itself and runs this script only
# when it no longer holds (a no-op make starts no process for it), having
# removed the key file so that it probes. A harness newer than the key is a
# new harness.
rel= boot= old=
read -r rel </proc/sys/kernel/osrelease 2>/dev/null
read -r boot </proc/sys/kernel/random/boot_id 2>/dev/null
# the user namespace's uid map: root on the host and root mapped in
# `unshare --user --map-root-user` both have EUID 0 but not the same powers
uidmap=()
read -r -d '' -a uidmap </proc/self/uid_map 2>/dev/null
key="$rel $boot $EUID ${uidmap[*]} $PATH"
cached() {
	[ -f "$out" ] && [ -f "$out.key" ] && [ ! "$H" -nt "$out.key" ] &&
		read -r old <"$out.key" 2>/dev/null && [ "$old" = "$key" ]
}
if cached; then
	echo "$out"
	exit 0
fi
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$B/kernels" || exit 1
exec 9>"$out.lock"
flock 9 2>/dev/null || true
if cached; then	# another make probed while this one waited for the lock
	echo "$out"
	exit 0
fi
true=$(command -v true)
case $true in /*) ;; *) true=/usr/bin/true ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-features.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/experiments" <<EOX
experiment nfqueue
line 1
capture tcp port 9
timeout 3
wire 1 drop #1 Flags [S]
role client ${true##*/}.c
end
experiment veth
line 2
capture tcp port 9
timeout 3
wire 2 link server | client
role server ${true##*/}.c
role client ${true##*/}.c
end
EOX
"$H" -p "$(dirname "$true")" -o "$tmp/run" -c "the host's feature probe" "$tmp/experiments" >/dev/null 2>&1
# probed FEATURE: "ok", or the harness's first error (without its prefix)
probed() {
	local m=$tmp/run/$1/meta
	if grep -qx 'status ok' "$m" 2>/dev/null; then echo ok; return; fi
	local e
	e=$(sed -n "/^error /{s/^error //;s/^.*: error: experiment '$1': //;p;q}" "$m" 2>/dev/null)
	echo "${e:-the probe did not run}" | tr '|' '/'
}
{
	nq=$(probed nfqueue)
	while IFS='|' read -r feat cfg how needed; do
		case $feat in
		nfqueue) r=$nq ;;
		veth) if [ "$nq" = ok ]; then r=$(probed veth); else continue; fi ;;
		*) continue ;;
		esac
		if [ "$r" = ok ]; then echo "$feat ok"; else echo "$feat missing $cfg|$needed|$r"; fi
	done < <(grep -v '^#' "$HERE/features")
} >"$out.tmp"
# rewritten only when the answer changes: the Makefile's run steps depend
# on the file, so that a feature gained or lost re-runs the experiments
if cmp -s "$out.tmp" "$out"; then rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
printf '%s\n' "$key" >"$out.key"
echo "$out"
