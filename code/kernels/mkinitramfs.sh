#!/usr/bin/env bash
# code/kernels/mkinitramfs.sh VERSION OUT: writes the guest's initramfs (a newc
# cpio archive) for the kernel cached by code/kernels/fetch.sh VERSION.
#
# It holds busybox (static), code/kernels/init as /init, the book exactly as the
# host built it (/book/bin/harness, /book/prog/STEM/, /book/tangle/STEM/
# experiments, the same files as $BUILD/...), code/kernels/run-book.sh, every
# shared library those programs load (from ldd) with the loader, the
# modules of code/kernels/modules the kernel has (fetch.sh chose them),
# code/kernels/features for the guest's check, and /etc/os-release.
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
r=$tmp/root
mkdir -p "$r/bin" "$r/book/bin" "$r/book/prog" "$r/book/tangle" "$r/lib/tcpbook-modules" "$r/etc" "$r/tmp"
cp "$bb" "$r/bin/busybox"
cp "$HERE/init" "$r/init"
cp "$HERE/run-book.sh" "$r/book/run-book.sh"
chmod 755 "$r/init" "$r/bin/busybox"
cp "$K/modules/order" "$K/modules/builtin" "$r/lib/tcpbook-modules/"
[ -s "$K/modules/order" ] && cp "$K/modules/"*.ko "$r/lib/tcpbook-modules/"
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

# What build-info says about how the book was run.
{
	echo "compiler=$(${CC:-cc} --version 2>/dev/null | head -n 1)"
	echo "guest=qemu $(cat "$K/package")"
} >"$r/book/info"

(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT.tmp" || die "cpio failed"
mv "$OUT.tmp" "$OUT"
