#!/usr/bin/env bash
# code/kernels/accel.sh VMLINUZ: prints the qemu accelerator to boot guests
# with, "kvm" or "tcg", and caches the answer in $BUILD/kernels/accel.
#
# KERNELS_ACCEL=kvm or =tcg decides without asking. Otherwise KVM is used
# when /dev/kvm can be opened and a guest really boots with it: a /dev/kvm
# that opens can still fail on the first instruction (nested
# virtualisation without the features qemu needs: "KVM internal error"),
# so the probe boots VMLINUZ with a tiny initramfs, for at most 6 s.
set -u
VMLINUZ=${1:?usage: code/kernels/accel.sh VMLINUZ}
BUILD=${BUILD:-build}
cache=$BUILD/kernels/accel
case ${KERNELS_ACCEL:-} in
kvm | tcg) echo "$KERNELS_ACCEL"; exit 0 ;;
'') ;;
*) echo "code/kernels/accel.sh: KERNELS_ACCEL must be kvm or tcg, not '$KERNELS_ACCEL'" >&2; exit 1 ;;
esac
if [ -f "$cache" ]; then cat "$cache"; exit 0; fi
mkdir -p "$BUILD/kernels"
answer=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && command -v qemu-system-x86_64 >/dev/null && command -v busybox >/dev/null; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-accel.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/root/bin"
	cp "$(command -v busybox)" "$tmp/root/bin/busybox"
	printf '#!/bin/busybox sh\n/bin/busybox echo tcpbook-probe-ok\n/bin/busybox poweroff -f\n' >"$tmp/root/init"
	chmod 755 "$tmp/root/init"
	(cd "$tmp/root" && find . | cpio -o -H newc --quiet) >"$tmp/initrd"
	timeout 8 qemu-system-x86_64 -accel kvm -m 256 -nodefaults -display none -no-reboot \
		-kernel "$VMLINUZ" -initrd "$tmp/initrd" -append "console=ttyS0 panic=-1 quiet" \
		-serial "file:$tmp/console" >"$tmp/qemu.log" 2>&1 &
	pid=$!
	for _ in $(seq 60); do
		if grep -q tcpbook-probe-ok "$tmp/console" 2>/dev/null; then answer=kvm; break; fi
		grep -q -i 'error' "$tmp/qemu.log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $answer = kvm ] || echo "code/kernels/accel.sh: /dev/kvm is there but a guest does not boot with it; using software emulation (tcg)" >&2
fi
echo "$answer" >"$cache"
echo "$answer"
