#!/usr/bin/env bash
# code/kernels/fetch.sh KERNEL: fetches one kernel and caches what a guest
# needs from it; prints the cache directory on success.
# code/kernels/fetch.sh --label KERNEL prints the name the kernel's
# directories take under $BUILD/kernels/ (and does nothing else).
#
#   KERNEL    a Debian series: 5.10, 6.1, 6.12, 7.x (the newest cloud
#             kernel of that series the package lists have: 7.x is the
#             newest 7.anything), or an exact release such as
#             6.1.0-56-cloud-amd64; or a kernel of your own, by path: a
#             bzImage (with KERNEL_MODULES, its modules directory
#             lib/modules/RELEASE or a .deb holding it, when the book's
#             modules are not built in; KERNEL_CONFIG its .config, if you
#             want the options checked before boot), or a .deb of a
#             Debian-style kernel package (boot/vmlinuz-RELEASE and
#             lib/modules/RELEASE/)
#
# Debian's packages come through a private apt configuration under
# $BUILD/kernels/apt/ (code/kernels/apt.sh: no root needed) into
# $BUILD/kernels/cache/debs/, and are unpacked once into
# $BUILD/kernels/cache/LABEL/:
#
#   vmlinuz        the kernel
#   modules/       the modules of code/kernels/modules this kernel has as
#                  modules, decompressed, with those they depend on;
#                  "order" lists them in the order to insmod, "missing"
#                  those the kernel has neither built in nor as modules,
#                  "builtin" the kernel's modules.builtin
#   config         the kernel's .config, when the package or KERNEL_CONFIG
#                  has one
#   release        the kernel's release (its uname -r)
#   package        where it came from (Debian package and version, or path)
#
# Since Debian's 7.x packages, linux-image-RELEASE is a small package
# depending on linux-binary-RELEASE (the kernel) and linux-modules-RELEASE
# (the modules, and the kernel itself at lib/modules/RELEASE/vmlinuz)
# with linux-base-RELEASE (modules.builtin, config); those are fetched too.
#
# A cached kernel is used as it is (a kernel of your own is unpacked again
# when its files change; every kernel's modules again when
# code/kernels/modules changes); `rm -rf $BUILD/kernels/cache/LABEL`
# fetches it again. Fails with one line on stderr naming the kernel and
# what went wrong.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --label ]; then
	V=${2:?usage: code/kernels/fetch.sh --label KERNEL}
	case $V in
	*/* | *.deb) b=$(basename "$V" .deb); echo "own-$(printf '%s' "$b" | tr -c 'A-Za-z0-9.+_-' '_')" ;;
	*) echo "$V" ;;
	esac
	exit 0
fi
V=${1:?usage: code/kernels/fetch.sh KERNEL}
BUILD=${BUILD:-build}
# apt.sh runs from the download directory: it needs BUILD absolute.
mkdir -p "$BUILD" && BUILD=$(cd "$BUILD" && pwd) || exit 1
export BUILD
CACHE=$BUILD/kernels/cache
LABEL=$("$0" --label "$V")
OUT=$CACHE/$LABEL
progname="code/kernels/fetch.sh"
die() { echo "$progname: kernel '$V': $*" >&2; exit 1; }

own=0
case $V in
*/* | *.deb) own=1 ;;
*[!A-Za-z0-9.+_-]* | '' | .*) die "not a kernel (5.10, 6.1, 6.12, 7.x, a release like 6.1.0-56-cloud-amd64, or a path to a bzImage or .deb)" ;;
esac

modlist=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$HERE/modules" | awk 'NF { print $1 }')
stamp=$(
	echo "$modlist"
	if [ $own -eq 1 ]; then
		for f in "$V" "${KERNEL_MODULES:-}" "${KERNEL_CONFIG:-}"; do
			[ -n "$f" ] && [ -e "$f" ] && stat -L -c '%n %s %Y' "$f"
		done
	fi
)
if [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/release" ] && [ -f "$OUT/modules/order" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$OUT"
	exit 0
fi

mkdir -p "$CACHE/debs" || die "cannot create '$CACHE/debs'"
debs=$(cd "$CACHE/debs" && pwd)
tmp=$(mktemp -d "$CACHE/.unpack.XXXXXX") || die "cannot create a directory in '$CACHE'"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/x" "$tmp/out/modules"

updated=0
apt_update() {
	[ $updated -eq 1 ] && return 0
	BUILD=$BUILD "$HERE/apt.sh" update || die "no package lists (the line above says why)"
	updated=1
}
# get_deb PACKAGE: the cached .deb of PACKAGE (downloaded when missing).
get_deb() {
	local pkg=$1 deb
	deb=$(ls "$debs/${pkg}_"*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		apt_update
		BUILD=$BUILD "$HERE/apt.sh" cache show "$pkg" >/dev/null 2>&1 ||
			die "package '$pkg' is not in the package lists ($BUILD/kernels/apt/sources.list)"
		echo "  FETCH   $pkg" >&2
		if ! (cd "$debs" && timeout 600 "$HERE/apt.sh" get download "$pkg" >"$debs/$pkg.log" 2>&1); then
			tail -n 3 "$debs/$pkg.log" >&2
			die "cannot download '$pkg' (see $debs/$pkg.log)"
		fi
		deb=$(ls "$debs/${pkg}_"*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || die "apt-get download of '$pkg' left no .deb"
		rm -f "$debs/$pkg.log"
	fi
	echo "$deb"
}
unpack() { dpkg-deb -x "$1" "$tmp/x" || die "cannot unpack '$1'"; }
# moddir ROOT: ROOT's lib/modules/RELEASE (or usr/lib/modules/RELEASE).
moddir() { ls -d "$1"/lib/modules/*/ "$1"/usr/lib/modules/*/ 2>/dev/null | head -n 1; }

command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
mdir=
kernel=
if [ $own -eq 0 ]; then
	# A kernel fetched before keeps its release: only its modules are new.
	release=
	[ -f "$OUT/release" ] && [ -f "$OUT/package" ] && release=$(cat "$OUT/release")
	case $V in
	*-*) release=$V ;;
	*)
		if [ -z "$release" ]; then
			# The newest release of the series the lists have, by name:
			# linux-image-SERIES.N...-cloud-amd64 ("7.x": any 7.N).
			apt_update
			series=${V%.x}
			pat="^linux-image-$(printf '%s' "$series" | sed 's/\./\\./g')[.-][0-9][^ ]*-cloud-amd64\$"
			release=$(BUILD=$BUILD "$HERE/apt.sh" cache search --names-only "$pat" 2>/dev/null | awk '{ print $1 }' |
				grep -v -e '-unsigned$' -e '-dbg$' | sed 's/^linux-image-//' | sort -V | tail -n 1)
			[ -n "$release" ] || die "no Debian cloud kernel of series $series in the package lists ($BUILD/kernels/apt/sources.list)"
		fi
		;;
	esac
	pkg=linux-image-$release
	deb=$(get_deb "$pkg") || exit 1
	unpack "$deb"
	version=$(dpkg-deb -f "$deb" Version)
	# The split packages of 7.x: the kernel and the modules on their own.
	for part in $(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' | grep -Fx -e "linux-binary-$release" -e "linux-modules-$release" -e "linux-base-$release"); do
		d=$(get_deb "$part") || exit 1
		unpack "$d"
	done
	echo "$pkg $version" >"$tmp/out/package"
	mdir=$(moddir "$tmp/x")
	[ -n "$mdir" ] || die "'$pkg' holds no lib/modules/RELEASE"
	release=$(basename "$mdir")
	kernel=$tmp/x/boot/vmlinuz-$release
	[ -f "$kernel" ] || kernel=${mdir}vmlinuz
	[ -f "$kernel" ] || die "'$pkg' holds no boot/vmlinuz-$release nor lib/modules/$release/vmlinuz"
	for c in "$tmp/x/boot/config-$release" "${mdir}config"; do
		[ -f "$c" ] && cp "$c" "$tmp/out/config" && break
	done
else
	[ -f "$V" ] || die "no such file"
	case $V in
	*.deb)
		unpack "$V"
		mdir=$(moddir "$tmp/x")
		kernel=$(ls "$tmp"/x/boot/vmlinuz-* 2>/dev/null | head -n 1)
		[ -n "$kernel" ] || die "the package holds no boot/vmlinuz-RELEASE"
		release=${kernel##*/vmlinuz-}
		cfg=$tmp/x/boot/config-$release
		[ -f "$cfg" ] && cp "$cfg" "$tmp/out/config"
		;;
	*)
		kernel=$V
		# The release from the bzImage's own header (Documentation/arch/
		# x86/boot.rst: "HdrS" at 0x202, the version string's offset - 0x200
		# at 0x20e), when it is one.
		release=
		if [ "$(dd if="$V" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ]; then
			off=$(od -An -tu2 -j 526 -N 2 "$V" | tr -d ' ')
			release=$(dd if="$V" bs=1 skip=$((off + 512)) count=200 2>/dev/null | tr '\0' '\n' | head -n 1 | awk '{ print $1 }')
		else
			die "not a bzImage (no HdrS boot header) nor a .deb"
		fi
		m=${KERNEL_MODULES:-}
		if [ -n "$m" ]; then
			if [ -d "$m" ]; then
				if [ -f "$m/modules.builtin" ] || [ -d "$m/kernel" ]; then mdir=$m/; else mdir=$(moddir "$m"); [ -n "$mdir" ] || mdir=$(ls -d "$m"/*/ 2>/dev/null | head -n 1); fi
			elif [ -f "$m" ]; then
				mkdir -p "$tmp/m" && dpkg-deb -x "$m" "$tmp/m" || die "cannot unpack KERNEL_MODULES '$m'"
				mdir=$(moddir "$tmp/m")
			fi
			[ -n "$mdir" ] && [ -d "$mdir" ] || die "KERNEL_MODULES '$m' is not a modules directory (lib/modules/RELEASE) nor a .deb holding one"
			[ -n "$release" ] || release=$(basename "$mdir")
		fi
		[ -n "$release" ] || release=unknown
		if [ -n "${KERNEL_CONFIG:-}" ]; then
			[ -f "$KERNEL_CONFIG" ] || die "KERNEL_CONFIG '$KERNEL_CONFIG' is not a file"
			cp "$KERNEL_CONFIG" "$tmp/out/config"
		fi
		;;
	esac
	echo "$(cd "$(dirname "$V")" && pwd)/$(basename "$V")${KERNEL_MODULES:+ with modules $KERNEL_MODULES}" >"$tmp/out/package"
fi
cp "$kernel" "$tmp/out/vmlinuz" || die "cannot copy the kernel"
echo "$release" >"$tmp/out/release"

# The modules, dependencies first. One built into this kernel (in
# modules.builtin) needs nothing; one in neither place is listed in
# "missing" and the guest's feature check decides what that costs.
: >"$tmp/out/modules/order"
: >"$tmp/out/modules/missing"
: >"$tmp/out/modules/builtin"
[ -n "$mdir" ] && [ -f "$mdir/modules.builtin" ] && sed 's|.*/||; s|\.ko$||' "$mdir/modules.builtin" | tr - _ >"$tmp/out/modules/builtin"
add_module() {
	local name=$1 f dep
	grep -qx "$name" "$tmp/out/modules/order" && return 0
	grep -qx "$name" "$tmp/out/modules/builtin" && return 0
	f=
	[ -n "$mdir" ] && f=$(find "$mdir" \( -name "$name.ko" -o -name "$name.ko.xz" -o -name "$name.ko.zst" -o -name "$name.ko.gz" \) 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		# module files may spell _ as -
		[ -n "$mdir" ] && f=$(find "$mdir" \( -name "${name//_/-}.ko" -o -name "${name//_/-}.ko.*" \) 2>/dev/null | head -n 1)
	fi
	if [ -z "$f" ]; then
		grep -qx "$name" "$tmp/out/modules/missing" || echo "$name" >>"$tmp/out/modules/missing"
		return 0
	fi
	case $f in
	*.xz) xz -dc "$f" >"$tmp/out/modules/$name.ko" || die "cannot decompress '$f'" ;;
	*.zst) zstd -qdc "$f" >"$tmp/out/modules/$name.ko" || die "cannot decompress '$f' (zstd installed?)" ;;
	*.gz) gzip -dc "$f" >"$tmp/out/modules/$name.ko" || die "cannot decompress '$f'" ;;
	*) cp "$f" "$tmp/out/modules/$name.ko" ;;
	esac
	for dep in $(tr '\0' '\n' <"$tmp/out/modules/$name.ko" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '); do
		add_module "$(echo "$dep" | tr - _)"
	done
	echo "$name" >>"$tmp/out/modules/order"
}
for m in $modlist; do add_module "$m"; done
echo "$stamp" >"$tmp/out/stamp"

rm -rf "$OUT"
mv "$tmp/out" "$OUT" || die "cannot create '$OUT'"
echo "$OUT"
