#!/usr/bin/env bash
# code/kernels/run-kernel.sh VERSION: rebuilds the book's observations on one
# kernel, without rebooting: every chapter's experiments, with the same
# harness and programs as the host build ($BUILD/bin, $BUILD/prog,
# $BUILD/tangle), run inside a qemu guest booted on that kernel.
#
#   VERSION   6.1, 6.12 or an exact Debian release (see code/kernels/fetch.sh);
#             "host" runs the same on the running kernel, without a guest
#
# Writes $BUILD/kernels/VERSION/:
#
#   run/STEM/EXP/   as $BUILD/run/STEM/EXP/ (observations.txt, trace.txt, ...)
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
# guest is killed (default 120); KERNELS_MEM, the guest's memory in MiB
# (default 1024: with less, Linux lowers the tcp_rmem/tcp_wmem maxima and
# so the window scale, which would be a finding about the guest, not the
# kernel); KERNELS_ACCEL (see code/kernels/accel.sh).
set -u
V=${1:?usage: code/kernels/run-kernel.sh VERSION}
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${KERNELS_TIMEOUT:-120}
MEM=${KERNELS_MEM:-1024}
D=$BUILD/kernels/$V
progname="code/kernels/run-kernel.sh"
start=$(date +%s.%N)

case $V in
*[!A-Za-z0-9.+_-]* | '' | .*) echo "$progname: '$V' is not a kernel (6.1, 6.12, host or a Debian release)" >&2; exit 2 ;;
esac
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
	BUILD=$BUILD "$HERE/mkinitramfs.sh" "$V" "$D/initramfs.cpio" || fail "cannot build its initramfs"
	accel=$(BUILD=$BUILD "$HERE/accel.sh" "$K/vmlinuz") || fail "no accelerator"
	echo "accel $accel" >>"$summary"
	echo "  BOOT    $V ($(cat "$K/release"), $accel)" >&2
	rm -f "$D/console.log" "$D/payload.b64"
	# ttyS0 is the console, ttyS1 brings the runs back (see code/kernels/init).
	# The guest needs no PCI device (both serial ports are ISA) and runs
	# nothing but the experiments: pci=off and mitigations=off make a
	# software-emulated boot and run about a second faster, and change
	# nothing TCP does. KERNELS_APPEND adds to the kernel's command line.
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel "$accel" -m "$MEM" -smp 1 \
		-nodefaults -display none -no-reboot \
		-kernel "$K/vmlinuz" -initrd "$D/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 quiet mitigations=off pci=off ${KERNELS_APPEND:-}" \
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
fi

judge_claims "$D/run.tmp"
mv "$D/run.tmp" "$D/run"
bad=$(awk '$2 != 0 { printf "%s%s", sep, $1; sep = ", " }' "$D/run/status")
{
	if [ -n "$bad" ]; then echo "status failed"; echo "error experiments failed in: $bad"; else echo "status ok"; fi
	echo "seconds $(elapsed)"
} >>"$summary"
mv "$summary" "$D/summary"
if [ -n "$bad" ]; then
	echo "$progname: kernel '$V': experiments failed in $bad (see $D/run/STEM/errors.txt)" >&2
	exit 1
fi
n=$(ls -d "$D"/run/*/*/ 2>/dev/null | wc -l)
echo "  KERNEL  $V ($(sed -n 's/^kernel //p' "$D/summary")): $n experiments in $(sed -n 's/^seconds //p' "$D/summary") s: $D/run/" >&2
exit 0
