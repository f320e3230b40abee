#!/usr/bin/env bash
# code/kernels/mkinitramfs.sh VERSION OUT: writes the guest's initramfs (a newc
# cpio archive) for the kernel cached by code/kernels/fetch.sh VERSION.
#
# It holds busybox (static), code/kernels/init as /init, the book exactly as the
# host built it (/book/bin/harness, /book/prog/STEM/, /book/tangle/STEM/
# experiments, the same files as $BUILD/...), code/kernels/run-book.sh, every
# shared library those programs load (from ldd) with the loader, the
# modules of code/kernels/modules the kernel has (fetch.sh chose them),
# code/kernels/features for the guest's check, skip-experiments.sh, and
# /etc/os-release. The book's part is made once for every kernel (see
# below).
set -u
V=${1:?usage: code/kernels/mkinitramfs.sh VERSION OUT}
OUT=${2:?usage: code/kernels/mkinitramfs.sh VERSION OUT}
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
K=$BUILD/kernels/cache/$V
progname="code/kernels/mkinitramfs.sh"
die() { echo "$progname: kernel '$V': $*" >&2; exit 1; }

bb=$(command -v busybox) || die "busybox not found (Debian package busybox-static)"
ldd "$bb" >/dev/null 2>&1 && die "'$bb' is dynamically linked: install busybox-static"
command -v cpio >/dev/null || die "cpio not found (Debian package cpio)"
[ -x "$BUILD/bin/harness" ] || die "'$BUILD/bin/harness' is missing: build the book first (make)"
[ -f "$K/modules/order" ] || die "'$K' is not fetched (code/kernels/fetch.sh $V)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-initramfs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The archive is two newc archives end to end, which the kernel unpacks in
# turn (Documentation/driver-api/early-userspace/buffer-format.rst): the
# book's part, the same for every kernel, made once and kept in
# $BUILD/kernels/initramfs-book.cpio while what goes into it is unchanged
# (a matrix boots four kernels at once: four copies of the same 16 MB made
# side by side cost each guest seconds of CPU), and the kernel's own part:
# its modules and the line of build-info that names it.
common=$BUILD/kernels/initramfs-book.cpio
# What the book's part is made of, by name, size and time: the programs,
# the scripts, busybox, the wire's tool, and the package database (the
# shared libraries come from packages).
key=$( { printf '%s\n' "$bb" "$(command -v xtables-nft-multi 2>/dev/null)" "${CC:-cc}"
	ls -lL --time-style=+%s "$HERE/init" "$HERE/run-book.sh" "$HERE/skip-experiments.sh" "$HERE/features" "$HERE/mkinitramfs.sh" \
		"$bb" "$BUILD/bin/harness" /var/lib/dpkg/status /etc/os-release 2>/dev/null
	ls -lL --time-style=+%s "$BUILD"/tangle/*/experiments "$BUILD"/prog/*/* 2>/dev/null; } | sha256sum | cut -d' ' -f1)
mkdir -p "$BUILD/kernels" || exit 1
exec 9>"$common.lock"
flock 9 2>/dev/null || true
if [ ! -f "$common" ] || [ "$(cat "$common.key" 2>/dev/null)" != "$key" ]; then
r=$tmp/root
mkdir -p "$r/bin" "$r/book/bin" "$r/book/prog" "$r/book/tangle" "$r/etc" "$r/tmp"
cp "$bb" "$r/bin/busybox"
cp "$HERE/init" "$r/init"
cp "$HERE/run-book.sh" "$HERE/skip-experiments.sh" "$r/book/"
chmod 755 "$r/init" "$r/bin/busybox"
cp "$HERE/features" "$r/book/features"
[ -f /etc/os-release ] && cp -L /etc/os-release "$r/etc/os-release"

elfs=("$BUILD/bin/harness")
cp "$BUILD/bin/harness" "$r/book/bin/"
for x in "$BUILD"/tangle/*/experiments; do
	[ -f "$x" ] || continue
	stem=$(basename "$(dirname "$x")")
	[ -d "$BUILD/prog/$stem" ] || continue
	mkdir -p "$r/book/tangle/$stem" "$r/book/prog/$stem"
	cp "$x" "$r/book/tangle/$stem/"
	for p in "$BUILD/prog/$stem"/*; do
		case $p in *.d | *.err | *.log | *.tmp) continue ;; esac
		[ -f "$p" ] && [ -x "$p" ] || continue
		cp "$p" "$r/book/prog/$stem/"
		elfs+=("$p")
	done
done

# The wire's tool (code/run/wire.c runs iptables-nft-restore and
# ip6tables-nft-restore from PATH): the multi-call binary, its names and
# its extensions, when the machine has them (Debian package iptables).
xt=$(command -v xtables-nft-multi 2>/dev/null || ls /usr/sbin/xtables-nft-multi 2>/dev/null)
if [ -n "$xt" ]; then
	mkdir -p "$r/usr/sbin"
	cp -L "$xt" "$r/usr/sbin/xtables-nft-multi"
	for n in iptables-nft-restore ip6tables-nft-restore; do ln -s xtables-nft-multi "$r/usr/sbin/$n"; done
	elfs+=("$xt")
	for d in /usr/lib/x86_64-linux-gnu/xtables /usr/lib/xtables; do
		[ -d "$d" ] || continue
		mkdir -p "$r$d"
		cp -L "$d"/*.so "$r$d/"
		elfs+=("$d"/*.so)
	done
fi

# The shared libraries, at the paths the loader looks for them.
for lib in $(ldd "${elfs[@]}" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u); do
	mkdir -p "$r$(dirname "$lib")"
	cp -L "$lib" "$r$lib"
done

(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$common.tmp" || die "cpio failed"
mv "$common.tmp" "$common"
printf '%s\n' "$key" >"$common.key"
fi

# The kernel's part: its modules, and what build-info says about how the
# book was run.
k=$tmp/kernel
mkdir -p "$k/lib/tcpbook-modules" "$k/book"
cp "$K/modules/order" "$K/modules/builtin" "$k/lib/tcpbook-modules/"
[ -s "$K/modules/order" ] && cp "$K/modules/"*.ko "$k/lib/tcpbook-modules/"
{
	echo "compiler=$(${CC:-cc} --version 2>/dev/null | head -n 1)"
	echo "guest=qemu $(cat "$K/package")"
} >"$k/book/info"
(cd "$k" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$tmp/kernel.cpio" || die "cpio failed"
cat "$common" "$tmp/kernel.cpio" >"$OUT.tmp" || die "cannot write '$OUT.tmp'"
exec 9>&-
mv "$OUT.tmp" "$OUT"
