#!/usr/bin/env bash
# code/kernels/run-kernel.sh KERNEL: rebuilds the book's observations on one
# kernel, without rebooting: every chapter's experiments, with the same
# harness and programs as the host build ($BUILD/bin, $BUILD/prog,
# $BUILD/tangle), run inside a qemu guest booted on that kernel.
#
#   KERNEL    5.10, 6.1, 6.12, 7.x, an exact Debian release, or the path of
#             a bzImage or .deb of your own (see code/kernels/fetch.sh);
#             "host" runs the same on the running kernel, without a guest
#
# Writes $BUILD/kernels/LABEL/ (LABEL is KERNEL, or own-NAME for a path:
# code/kernels/fetch.sh --label):
#
#   run/STEM/EXP/   as $BUILD/run/STEM/EXP/ (observations.txt, trace.txt,
#                   ladder.msc and ladder.svg drawn on the host, ...); an
#                   experiment the kernel cannot run has only meta, with
#                   "status skipped" and what it needs
#   run/features    the guest's check of code/kernels/features
#   run/STEM/build-info, run/STEM/claims.txt (when the build has bin/claims)
#   summary         "kernel RELEASE", "accel kvm|tcg", "boot SECONDS",
#                   "seconds SECONDS", "status ok|failed", "error TEXT"
#   console.log, initramfs.cpio, payload.b64   the guest's, for diagnosis
#
# A kernel that cannot be fetched, booted or run leaves no run/ (an older
# one is removed, so it is never taken for this one's), a summary with
# "status failed" and the reason, one line on stderr naming the kernel,
# and exit status 1.
#
# Environment: BUILD (default build); KERNELS_TIMEOUT, seconds before the
# guest is killed (default 300); KERNELS_MEM, the guest's memory in MiB
# (default 4608: tcp_init() in net/ipv4/tcp.c caps tcp_rmem[2] at 1/128 of
# free memory, so reaching the 32 MB default of recent kernels takes more
# than 4 GiB; with less, the window scale would be a finding about the
# guest, not the kernel. qemu only gives the guest the pages it touches);
# KERNELS_ACCEL (see code/kernels/accel.sh).
set -u
V=${1:?usage: code/kernels/run-kernel.sh KERNEL}
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${KERNELS_TIMEOUT:-300}
MEM=${KERNELS_MEM:-4608}
progname="code/kernels/run-kernel.sh"
start=$(date +%s.%N)

case $V in
*/* | *.deb) ;;
*[!A-Za-z0-9.+_-]* | '' | .*) echo "$progname: '$V' is not a kernel (5.10, 6.1, 6.12, 7.x, host, a Debian release or the path of a bzImage or .deb)" >&2; exit 2 ;;
esac
L=$("$HERE/fetch.sh" --label "$V")
D=$BUILD/kernels/$L
mkdir -p "$D" || exit 1
rm -rf "$D/run" "$D/run.tmp" "$D/run.tmp.x" "$D/summary"
summary=$D/summary.tmp
: >"$summary"

elapsed() { echo "$(date +%s.%N) $start" | awk '{ printf "%.2f", $1 - $2 }'; }
fail() {
	echo "$progname: kernel '$V': $*" >&2
	{ echo "status failed"; echo "error $*"; echo "seconds $(elapsed)"; } >>"$summary"
	mv "$summary" "$D/summary"
	exit 1
}

# The programs' claims are judged on the host, from the observations, with
# the build's own tool when it has one: they do not depend on the kernel
# that ran the experiments.
judge_claims() {
	local run=$1 c stem
	[ -x "$BUILD/bin/claims" ] || return 0
	for c in "$BUILD"/tangle/*/claims; do
		[ -f "$c" ] || continue
		stem=$(basename "$(dirname "$c")")
		[ -d "$run/$stem" ] || continue
		"$BUILD/bin/claims" -c "${CHAPTER_DIR:-chapters}/$stem.md" -o "$run/$stem" "$c" 2>>"$run/$stem/claims.log"
	done
}

# Ladder diagrams of the guest's experiments, drawn on the host as the
# build draws them (code/scripts/step.sh, step draw), so that a reader can
# compare the pictures too.
draw_ladders() {
	local run=$1 d
	[ -x "$BUILD/bin/ladder" ] || return 0
	for d in "$run"/*/*/; do
		[ -f "$d/timeline.txt" ] || continue
		"$BUILD/bin/ladder" -o "$d/ladder.svg" "$d/timeline.txt" 2>/dev/null || rm -f "$d/ladder.svg"
	done
}

# check_config CONFIG: the options of code/kernels/features a kernel's
# .config lacks, as "config FEATURE CONFIG_X..." lines, before it boots.
check_config() {
	local feat cfg how needed o miss
	while IFS='|' read -r feat cfg how needed; do
		case $feat in '' | '#'*) continue ;; esac
		miss=
		for o in $cfg; do grep -Eq "^$o=(y|m)\$" "$1" || miss="$miss $o"; done
		[ -n "$miss" ] && echo "config $feat lacks$miss"
	done <"$HERE/features"
}

[ -x "$BUILD/bin/harness" ] || fail "'$BUILD/bin/harness' is missing: build the book first (make)"

if [ "$V" = host ]; then
	info=$D/info
	echo "compiler=$(${CC:-cc} --version 2>/dev/null | head -n 1)" >"$info"
	echo "kernel $(uname -r)" >>"$summary"
	echo "accel none" >>"$summary"
	sh "$HERE/run-book.sh" "$BUILD" "$D/run.tmp" "$info" >"$D/run-book.log" 2>&1 ||
		fail "running the experiments failed (see $D/run-book.log)"
else
	command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 not found (Debian package qemu-system-x86)"
	K=$("$HERE/fetch.sh" "$V") || fail "cannot be fetched (the line above says why)"
	echo "kernel $(cat "$K/release")" >>"$summary"
	echo "package $(cat "$K/package")" >>"$summary"
	if [ -f "$K/config" ]; then
		check_config "$K/config" >"$D/config-check"
		sed "s|^|$progname: kernel '$L': |; s|\$| (its experiments that need it are skipped)|" "$D/config-check" >&2
		cat "$D/config-check" >>"$summary"
	fi
	BUILD=$BUILD "$HERE/mkinitramfs.sh" "$L" "$D/initramfs.cpio" || fail "cannot build its initramfs"
	accel=$(BUILD=$BUILD "$HERE/accel.sh" "$K/vmlinuz") || fail "no accelerator"
	echo "accel $accel" >>"$summary"
	echo "  BOOT    $L ($(cat "$K/release"), $accel)" >&2
	rm -f "$D/console.log" "$D/payload.b64"
	# ttyS0 is the console, ttyS1 brings the runs back (see code/kernels/init).
	# The guest needs no PCI device (both serial ports are ISA) and runs
	# nothing but the experiments: pci=off and mitigations=off make a
	# software-emulated boot and run about a second faster, and change
	# nothing TCP does. no_timer_check: on a loaded machine an emulated
	# guest can be too slow for the kernel's IO-APIC timer test, which then
	# panics ("IO-APIC + timer doesn't work", seen on 7.2 with four guests
	# at a load of 11). KERNELS_APPEND adds to the kernel's command line.
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel "$accel" -m "$MEM" -smp 1 \
		-nodefaults -display none -no-reboot \
		-kernel "$K/vmlinuz" -initrd "$D/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 quiet mitigations=off pci=off no_timer_check ${KERNELS_APPEND:-}" \
		-serial "file:$D/console.log" -serial "file:$D/payload.b64" \
		</dev/null >"$D/qemu.log" 2>&1
	rc=$?
	last=$(tail -n 5 "$D/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/    /')
	[ -n "$last" ] || last="    (none: the console is empty)"
	[ $rc -eq 124 ] || [ $rc -eq 137 ] && fail "the guest did not finish in ${TIMEOUT} s (KERNELS_TIMEOUT); last console lines:
$last"
	[ $rc -eq 0 ] || fail "qemu failed (exit status $rc): $(head -n 3 "$D/qemu.log")"
	grep -q '^tcpbook: booted' "$D/console.log" || fail "did not boot; last console lines (all in $D/console.log):
$last"
	boot=$(sed -n 's/^tcpbook: booted .* in \([0-9.]*\) s.*/\1/p' "$D/console.log" | tr -d '\r')
	echo "boot $boot" >>"$summary"
	grep '^tcpbook: error' "$D/console.log" | tr -d '\r' | sed 's/^tcpbook: /guest /' >>"$summary"
	grep -q '^tcpbook-payload-end' "$D/payload.b64" ||
		fail "the guest sent back no complete result; last console lines:
$last"
	mkdir -p "$D/run.tmp.x"
	sed -n '/^tcpbook-payload-begin/,/^tcpbook-payload-end/p' "$D/payload.b64" | sed '1d;$d' | tr -d '\r' |
		base64 -d | tar xzmf - -C "$D/run.tmp.x" || fail "the guest's result is damaged ($D/payload.b64)"
	mv "$D/run.tmp.x/run" "$D/run.tmp" && mv "$D/run.tmp.x/run-book.log" "$D/run-book.log"
	rm -rf "$D/run.tmp.x"
	draw_ladders "$D/run.tmp"
fi

judge_claims "$D/run.tmp"
mv "$D/run.tmp" "$D/run"
bad=$(awk '$2 != 0 { printf "%s%s", sep, $1; sep = ", " }' "$D/run/status")
nskip=$(grep -l '^status skipped' "$D"/run/*/*/meta 2>/dev/null | wc -l)
{
	[ "$nskip" -gt 0 ] && echo "skipped $nskip experiments: the kernel lacks what they need (run/features)"
	if [ -n "$bad" ]; then echo "status failed"; echo "error experiments failed in: $bad"; else echo "status ok"; fi
	echo "seconds $(elapsed)"
} >>"$summary"
mv "$summary" "$D/summary"
if [ -n "$bad" ]; then
	echo "$progname: kernel '$V': experiments failed in $bad (see $D/run/STEM/errors.txt)" >&2
	exit 1
fi
n=$(ls -d "$D"/run/*/*/ 2>/dev/null | wc -l)
[ "$nskip" -gt 0 ] && echo "$progname: kernel '$L': $nskip of the $n experiments skipped: $(grep ' missing ' "$D/run/features" | cut -d' ' -f1 | tr '\n' ' ')missing (see $D/summary)" >&2
echo "  KERNEL  $L ($(sed -n 's/^kernel //p' "$D/summary")): $n experiments in $(sed -n 's/^seconds //p' "$D/summary") s: $D/run/" >&2
exit 0
