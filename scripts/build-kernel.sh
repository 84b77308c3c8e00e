#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/build-kernel.sh VARIANT
#
# Builds Debian's linux-source-6.1 for x86_64 as configs/VARIANT.config
# asks, out of tree in build/kernel/VARIANT/:
#
#   arch/x86/boot/bzImage          the kernel QEMU boots
#   (the O= tree itself)           modules_prepare'd, for external modules:
#                                  make -C build/kernel/VARIANT M=$PWD
#   release                        the kernel release, as uname -r says it
#
# The config is allnoconfig + configs/base.config + configs/VARIANT.config;
# every option the two fragments ask for must come out as asked, or the
# build stops.  patches/VARIANT/*.patch, if any, are applied to a private
# copy of the source (build/kernel/src-VARIANT, hard links but for the
# patched files).  A stamp of the source, the fragments and the patches
# lets a second run with nothing changed return at once.
#
#   SRC_TARBALL=/usr/src/linux-source-6.1.tar.xz   the source to build
#   JOBS=$(nproc)                                  make -j
#   FORCE=1                                        rebuild even if stamped
set -euo pipefail

usage() {
	sed -n 's/^# Usage: //p' "$0" >&2
	exit 2
}

(($# == 1)) || usage
variant=$1
[[ $variant =~ ^[a-z0-9][a-z0-9-]*$ && $variant != base ]] || usage

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${SRC_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${JOBS:-$(nproc)}
# Resolved: another checkout may link its build/kernel to this one, and
# the paths recorded below must be the same from both.
cache=$(realpath -m "$top/build/kernel")
base_frag=$top/configs/base.config
frag=$top/configs/$variant.config
patchdir=$top/patches/$variant
out=$cache/$variant

die() {
	echo "build-kernel: $*" >&2
	exit 1
}

[[ -f $frag ]] || die "no configs/$variant.config"
[[ -f $base_frag ]] || die "no configs/base.config"
[[ -f $tarball ]] || die "no $tarball: apt-get install linux-source-6.1"

patches=()
if [[ -d $patchdir ]]; then
	shopt -s nullglob
	patches=("$patchdir"/*.patch)
	shopt -u nullglob
fi

# The tarball's own hash, cached by size and mtime: it is 130 MiB.
tarball_hash() {
	local id hashfile=$cache/.tarball-hash
	id=$(stat -c '%s %Y' "$tarball")
	if [[ -f $hashfile && $(head -n 1 "$hashfile") == "$id" ]]; then
		sed -n 2p "$hashfile"
		return
	fi
	printf '%s\n%s\n' "$id" "$(sha256sum < "$tarball" | cut -d' ' -f1)" > "$hashfile"
	sed -n 2p "$hashfile"
}

mkdir -p "$cache"
src_hash=$(tarball_hash)

# 1. The pristine source, extracted once per tarball.
pristine=$cache/src-6.1
if [[ ! -f $pristine/.toyslab-src || $(cat "$pristine/.toyslab-src") != "$src_hash" ]]; then
	echo "  EXTRACT $tarball -> build/kernel/src-6.1"
	rm -rf "$pristine"
	mkdir -p "$pristine"
	tar -xJf "$tarball" -C "$pristine" --strip-components=1
	echo "$src_hash" > "$pristine/.toyslab-src"
fi

# 2. The variant's source: the pristine one, or a patched copy of it.
src=$pristine
if ((${#patches[@]})); then
	src=$cache/src-$variant
	patch_hash=$(cat "${patches[@]}" | sha256sum | cut -d' ' -f1)
	want="$src_hash $patch_hash"
	if [[ ! -f $src/.toyslab-src || $(cat "$src/.toyslab-src") != "$want" ]]; then
		echo "  PATCH   build/kernel/src-$variant"
		rm -rf "$src"
		cp -al "$pristine" "$src"
		rm "$src/.toyslab-src"
		for p in "${patches[@]}"; do
			# Give the files it touches their own inodes first:
			# patching through a hard link would patch src-6.1 too.
			sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$p" | while read -r f; do
				if [[ -f $src/$f && $(stat -c %h "$src/$f") -gt 1 ]]; then
					cp -p "$src/$f" "$src/$f.toyslab-tmp"
					mv "$src/$f.toyslab-tmp" "$src/$f"
				fi
			done
			echo "          $(basename "$p")"
			patch -s -p1 -d "$src" --no-backup-if-mismatch < "$p" ||
				die "$(basename "$p") does not apply"
		done
		echo "$want" > "$src/.toyslab-src"
		# A new copy of the source: what was built from the old one goes.
		rm -f "$out/.toyslab-stamp"
	fi
fi

# 3. Nothing changed since the last good build: reuse it.
stamp=$(cat "$src/.toyslab-src" "$base_frag" "$frag" "${patches[@]}" | sha256sum | cut -d' ' -f1)
if [[ -z ${FORCE:-} && -f $out/.toyslab-stamp && $(cat "$out/.toyslab-stamp") == "$stamp" &&
      -f $out/arch/x86/boot/bzImage ]]; then
	echo "  KERNEL  build/kernel/$variant is up to date ($(cat "$out/release"))"
	exit 0
fi
rm -f "$out/.toyslab-stamp"
# Objects built from another source directory (patches came or went) would
# all be rebuilt anyway: start clean rather than mix two trees.
if [[ -f $out/.toyslab-srcdir && $(cat "$out/.toyslab-srcdir") != "$src" ]]; then
	echo "  CLEAN   build/kernel/$variant: its source moved to ${src#"$top"/}"
	rm -rf "$out"
fi
mkdir -p "$out"
echo "$src" > "$out/.toyslab-srcdir"

kmake() {
	make -s -C "$src" O="$out" ARCH=x86 "$@"
}

# 4. Configure: allnoconfig with both fragments as the fixed answers.
echo "  CONFIG  build/kernel/$variant: allnoconfig + base + $variant"
cat "$base_frag" "$frag" > "$out/toyslab.config"
kmake KCONFIG_ALLCONFIG="$out/toyslab.config" allnoconfig > "$out/config.log" 2>&1 ||
	{ cat "$out/config.log" >&2; die "allnoconfig failed"; }

# Every option asked for, as asked: a later fragment wins over an earlier.
declare -A asked=()
order=()
while IFS= read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		sym=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
	elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
		sym=${BASH_REMATCH[1]} val=n
	else
		continue
	fi
	[[ -v asked[$sym] ]] || order+=("$sym")
	asked[$sym]=$val
done < "$out/toyslab.config"

declare -A got=()
while IFS= read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		got[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
	fi
done < "$out/.config"

bad=0
for sym in "${order[@]}"; do
	have=${got[$sym]:-n}
	if [[ $have != "${asked[$sym]}" ]]; then
		echo "build-kernel: $sym: asked ${asked[$sym]}, .config has $have" >&2
		bad=1
	fi
done
((bad == 0)) || die "the config is not what configs/ asks (see above; a dependency is missing?)"

# 5. Build: the image, the modules (Module.symvers) and the headers.
release=$(kmake -s kernelrelease)
echo "  MAKE    build/kernel/$variant ($release), -j$jobs, log in build/kernel/$variant/build.log"
start=$SECONDS
kmake -j"$jobs" bzImage modules modules_prepare > "$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; die "the build failed: build/kernel/$variant/build.log"; }
echo "$release" > "$out/release"
echo "$stamp" > "$out/.toyslab-stamp"
echo "  KERNEL  build/kernel/$variant/arch/x86/boot/bzImage ($release) in $((SECONDS - start)) s"
