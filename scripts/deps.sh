#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/deps.sh [KERNEL]
#
# Installs with apt what toyslab's build, lint, VM and tests need, fetches
# the VM kernel's image into build/kernel-KERNEL/ (never into /boot) and
# extracts the few kernel-tree files the build needs (checkpatch, kselftest)
# into build/linux-KERNEL/.  KERNEL defaults to the Makefile's.  Idempotent,
# and quick when all is there: apt runs only when something is missing.
#
# Whatever the kernel, build/kernel-KERNEL/ ends up with the same three
# things, which is all the Makefile and scripts/vm.sh look at:
#   release                  the kernel release (uname -r)
#   boot/vmlinuz-RELEASE     the image QEMU boots
#   build                    the tree modules are built against (KDIR)
# and, but for KERNEL=debug, modules/: the image's own modules that make
# realfs loads in the VM (scripts/realfs-build.sh).
#
# KERNEL=6.1 follows the 6.1 ABI the apt lists offer on the first run,
# read after an apt-get update (a fresh machine's lists may be old), and
# keeps it: later runs reuse it, offline too, even after the mirror moves
# on.  Should its headers be neither installed nor on the mirror any more,
# deps moves build/kernel-6.1 to the current ABI; rm -rf build/kernel-6.1
# moves it at any time.  KERNEL=6.1.0-N pins one of Debian 12's 6.1 ABIs
# (scripts/abis.sh lists those the mirror has), e.g. the point release's
# beside the security suite's.
#
# KERNEL=debug is Debian's 6.1 source built with lockdep, KASAN, kmemleak
# and KUnit by scripts/build-kernel.sh (about 15 minutes the first time,
# then reused); its kselftest files are 6.1's.  'scripts/deps.sh kbuild'
# installs only what building a kernel takes (make compare builds its own).
set -euo pipefail
cd "$(dirname "$0")/.."
kernel=${1:-$(sed -n 's/^KERNEL ?= *//p' Makefile)}

if [[ $kernel == kbuild || $kernel == debug ]]; then
	"$0" 6.1
	scripts/apt-install.sh deps bc bison flex libelf-dev libssl-dev patch
	[[ $kernel == debug ]] || exit 0
	scripts/build-kernel.sh debug
	release=$(cat build/kernel/debug/release)
	mkdir -p build/kernel-debug/boot
	echo "$release" > build/kernel-debug/release
	ln -sfn ../../kernel/debug/arch/x86/boot/bzImage \
		"build/kernel-debug/boot/vmlinuz-$release"
	ln -sfn ../kernel/debug build/kernel-debug/build
	ln -sfn linux-6.1 build/linux-debug
	exit 0
fi

# Kernel series -> Debian's metapackage of its image.  Its Depends names the
# current ABI, e.g. linux-image-6.1.0-56-amd64; the headers are that ABI's,
# linux-headers-6.1.0-56-amd64, as linux-headers-amd64 would pull in.
# An exact ABI has no metapackage: its series' kernel-tree files serve it.
series=$kernel image_meta=
case $kernel in
6.1)	image_meta=linux-image-amd64 ;;
6.12)	image_meta=linux-image-6.12-amd64 ;;	# in bookworm-security
6.1.0-[0-9]*) series=6.1 ;;
*)	echo "deps.sh: unknown KERNEL=$kernel (known: 6.1, 6.12, debug, 6.1.0-N)" >&2; exit 1 ;;
esac
source_pkg=linux-source-$series
tools=(make gcc libc6-dev perl sparse shellcheck xz-utils rsync kmod
       qemu-system-x86 busybox-static cpio)
cache=build/kernel-$kernel
tree=build/linux-$series
export DEBIAN_FRONTEND=noninteractive

updated=
apt_update() {
	[[ $updated ]] || apt-get update -qq ||
		echo "deps: apt-get update failed; going on with the lists at hand" >&2
	updated=1
}

# The ABI the metapackage's candidate depends on, or the pinned one.
resolve_release() {
	if [[ -z $image_meta ]]; then
		echo "$kernel-amd64"
		return
	fi
	apt-cache show --no-all-versions "$image_meta" 2>/dev/null |
		sed -n 's/^Depends: linux-image-\([^ ,]*\).*/\1/p'
}

headers_installed() {
	[[ $(dpkg-query -W -f='${db:Status-Abbrev}' "linux-headers-$1" 2>/dev/null) == ii* ]]
}

# Installed, or on the mirror as the lists at hand know it.
headers_known() {
	apt-cache show "linux-headers-$1" >/dev/null 2>&1
}

download_image() {
	(cd "$1" && apt-get download -qq -o APT::Sandbox::User=root \
		"linux-image-$release=$version")
}

release=$(cat "$cache/release" 2>/dev/null || true)
if [[ $release ]] && ! headers_installed "$release"; then
	apt_update
	if ! headers_known "$release" && [[ $image_meta ]]; then
		echo "deps: linux-headers-$release is gone from the mirror; moving $cache to the current ABI"
		rm -rf "$cache"
		release=
	fi
fi
if [[ -z $release ]]; then
	apt_update
	release=$(resolve_release)
fi
if [[ -z $release ]] || ! headers_known "$release"; then
	echo "deps.sh: the apt lists have no headers for KERNEL=$kernel${release:+ ($release)}; scripts/abis.sh lists the 6.1 ABIs they have" >&2
	exit 1
fi
headers=linux-headers-$release

scripts/apt-install.sh deps "${tools[@]}" "$headers" "$source_pkg"

# The few modules of the image that make realfs loads in the VM: the RAM
# disk, and the code page and character set that vfat asks for by
# default.  Uncompressed, as busybox's insmod wants them (6.12's are xz).
realfs_modules=(drivers/block/brd fs/nls/nls_cp437 fs/nls/nls_ascii)

# extract_modules DEB: those modules of the image package DEB, into
# $cache/modules.
extract_modules() {
	local dir=$cache/modules top=./lib/modules/$release/kernel mod
	local -a members=()

	for mod in "${realfs_modules[@]}"; do
		members+=("$top/$mod.ko*")
	done
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb --fsys-tarfile "$1" |
		tar -x -C "$dir" --wildcards --transform='s,.*/,,' "${members[@]}"
	for mod in "$dir"/*.ko.xz; do
		[[ ! -e $mod ]] || xz -d "$mod"
	done
	touch "$dir/.extracted"
}

# The image of exactly the headers' version, unpacked here, not installed:
# its kernel, and the modules above.  A cache from before make realfs has
# no modules: the image comes again for them.
if [[ ! -e $cache/boot/vmlinuz-$release || ! -e $cache/modules/.extracted ]]; then
	version=$(dpkg-query -W -f='${Version}' "$headers")
	echo "deps: fetching linux-image-$release $version into $cache"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	download_image "$tmp" || { apt_update && download_image "$tmp"; }
	if [[ ! -e $cache/boot/vmlinuz-$release ]]; then
		rm -rf "$cache"
		mkdir -p "$cache"
		dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$cache" ./boot
		echo "$release" > "$cache/release"
	fi
	extract_modules "$tmp"/*.deb
fi
ln -sfn "/lib/modules/$release/build" "$cache/build"
[[ $series == "$kernel" ]] || ln -sfn "linux-$series" "build/linux-$kernel"

# checkpatch and kselftest's own files, from Debian's kernel source tarball.
if [[ ! -e $tree/.extracted ]]; then
	echo "deps: extracting checkpatch and kselftest from $source_pkg into $tree"
	rm -rf "$tree"
	mkdir -p "$tree"
	top=$source_pkg
	tar -xJf "/usr/src/$source_pkg.tar.xz" -C "$tree" --strip-components=1 \
		"$top"/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} \
		"$top"/scripts/subarch.include \
		"$top"/tools/testing/selftests/{Makefile,lib.mk,run_kselftest.sh} \
		"$top"/tools/testing/selftests/{kselftest.h,kselftest_harness.h} \
		"$top"/tools/testing/selftests/kselftest
	touch "$tree/.extracted"
fi
