#!/usr/bin/env bash
# code/kernels/fetch.sh VERSION: fetches one of Debian's cloud kernels and caches
# what a guest needs from it; prints the cache directory on success.
#
#   VERSION   6.1, 6.12 (the newest Debian 12 kernel of that series), or an
#             exact release such as 6.1.0-56-cloud-amd64
#
# The kernel package is downloaded with `apt-get download` (no root needed)
# into $BUILD/kernels/cache/debs/ and unpacked once into
# $BUILD/kernels/cache/VERSION/:
#
#   vmlinuz        the kernel
#   modules/       inet_diag.ko and tcp_diag.ko (sock_diag for TCP; modules in
#                  the cloud kernels), decompressed, with the modules they
#                  depend on; "order" lists them in the order to insmod
#   release        the kernel's release (its uname -r)
#   package        the Debian package and version it came from
#
# A cached kernel is used as it is; `rm -rf $BUILD/kernels/cache/VERSION`
# fetches it again. Fails with one line on stderr naming the kernel and
# what went wrong.
set -u
V=${1:?usage: code/kernels/fetch.sh VERSION}
BUILD=${BUILD:-build}
CACHE=$BUILD/kernels/cache
OUT=$CACHE/$V
progname="code/kernels/fetch.sh"
die() { echo "$progname: kernel '$V': $*" >&2; exit 1; }

case $V in
*[!A-Za-z0-9.+_-]* | '') die "not a kernel version (6.1, 6.12 or a release like 6.1.0-56-cloud-amd64)" ;;
esac
if [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/modules/order" ] && [ -f "$OUT/release" ]; then
	echo "$OUT"
	exit 0
fi

# The package: an exact release names it; a series goes through Debian's
# meta-packages (linux-image-6.12-cloud-amd64, or linux-image-cloud-amd64
# for Debian 12's own 6.1).
command -v apt-cache >/dev/null || die "apt-cache not found: the kernels come from Debian's packages"
depends_of() { apt-cache depends --important "$1" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1; }
pkg=
case $V in
*-*) pkg=linux-image-$V ;;
*)
	for meta in "linux-image-$V-cloud-amd64" linux-image-cloud-amd64; do
		p=$(depends_of "$meta")
		case $p in "linux-image-$V".[0-9]* | "linux-image-$V"-*) pkg=$p; break ;; esac
	done
	;;
esac
[ -n "$pkg" ] || die "no Debian package found (tried linux-image-$V-cloud-amd64 and linux-image-cloud-amd64; after 'apt-get update'?)"
apt-cache show "$pkg" >/dev/null 2>&1 || die "package '$pkg' is not in the package lists (run 'apt-get update'?)"

mkdir -p "$CACHE/debs" || die "cannot create '$CACHE/debs'"
debs=$(cd "$CACHE/debs" && pwd)
deb=$(ls "$debs/${pkg}_"*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	echo "  FETCH   $pkg" >&2
	# apt-get download writes into the current directory; as root, _apt cannot
	# write into ours, which apt only warns about.
	if ! (cd "$debs" && timeout 300 apt-get download -q "$pkg" >"$debs/$pkg.log" 2>&1); then
		tail -n 3 "$debs/$pkg.log" >&2
		die "cannot download '$pkg' (see $debs/$pkg.log)"
	fi
	deb=$(ls "$debs/${pkg}_"*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download of '$pkg' left no .deb"
	rm -f "$debs/$pkg.log"
fi

tmp=$(mktemp -d "$CACHE/.unpack.XXXXXX") || die "cannot create a directory in '$CACHE'"
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/x" || die "cannot unpack '$deb'"
mdir=$(ls -d "$tmp"/x/lib/modules/*/ 2>/dev/null | head -n 1)
[ -n "$mdir" ] || die "'$deb' holds no lib/modules/RELEASE"
release=$(basename "$mdir")
kernel=$tmp/x/boot/vmlinuz-$release
[ -f "$kernel" ] || die "'$deb' holds no boot/vmlinuz-$release"
mkdir -p "$tmp/out/modules"
cp "$kernel" "$tmp/out/vmlinuz"
echo "$release" >"$tmp/out/release"
echo "$(basename "$deb" .deb)" >"$tmp/out/package"

# The modules, dependencies first. A module built into this kernel (in
# modules.builtin) needs nothing; one in neither place is an error.
: >"$tmp/out/modules/order"
add_module() {
	local name=$1 f dep
	grep -qx "$name" "$tmp/out/modules/order" && return 0
	grep -q "/$name\.ko" "$mdir/modules.builtin" 2>/dev/null && return 0
	f=$(find "$mdir/kernel" -name "$name.ko" -o -name "$name.ko.xz" -o -name "$name.ko.zst" | head -n 1)
	[ -n "$f" ] || die "module '$name' is neither built in nor in $(basename "$deb")"
	case $f in
	*.xz) xz -dc "$f" >"$tmp/out/modules/$name.ko" || die "cannot decompress '$f'" ;;
	*.zst) zstd -qdc "$f" >"$tmp/out/modules/$name.ko" || die "cannot decompress '$f' (zstd installed?)" ;;
	*) cp "$f" "$tmp/out/modules/$name.ko" ;;
	esac
	for dep in $(tr '\0' '\n' <"$tmp/out/modules/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_module "$(echo "$dep" | tr - _)"
	done
	echo "$name" >>"$tmp/out/modules/order"
}
for m in inet_diag tcp_diag; do add_module "$m"; done

rm -rf "$OUT"
mv "$tmp/out" "$OUT" || die "cannot create '$OUT'"
echo "$OUT"
