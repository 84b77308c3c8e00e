#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/realfs-build.sh [KERNEL]
#
# make realfs's build: kernel code toyslab's authors did not write, built
# unchanged on toyslab, and what the VM needs to run it.  KERNEL defaults
# to the Makefile's; toyslab.ko must be built for it (make all).
#
# From Debian's linux-source-SERIES (never into git), it copies fs/minix,
# fs/fat and some test modules of lib/ into build/realfs-KERNEL/dropin/
# and builds them there with "-include toyslab_dropin.h", the directories'
# own Makefiles unchanged, against toyslab.ko's symbols; and the test
# modules once more, in build/realfs-KERNEL/native/, as the kernel builds
# them, on its own allocator.  Then it lays out build/realfs-KERNEL/root/,
# which scripts/vm.sh copies into the guest's root:
#
#   lib/toyslab/realfs/fs/      minix.ko fat.ko vfat.ko, on toyslab
#   lib/toyslab/realfs/kernel/  brd.ko, nls_cp437.ko, nls_ascii.ko: the
#                               VM kernel's own (scripts/deps.sh)
#   lib/toyslab/realfs/dropin/  the test modules, on toyslab
#   lib/toyslab/realfs/native/  the same, on the kernel's allocator
#   usr/sbin/mkfs.minix         util-linux's (busybox has none), with the
#                               libraries it loads
#
# It prints, for each module built on toyslab, the kernel slab functions
# the module still calls: the free family (the drop-in gives the kernel
# back memory the file got from it) and names_cachep's (fat's
# __getname()).
set -euo pipefail
cd "$(dirname "$0")/.."
kernel=${1:-$(sed -n 's/^KERNEL ?= *//p' Makefile)}

case $kernel in
6.1 | 6.1.0-[0-9]*) series=6.1 tests=(test_meminit test_memcat_p test_string test_user_copy) ;;
6.12) series=6.12 tests=(test_meminit test_memcat_p) ;;
*) echo "realfs: KERNEL=$kernel has no Debian linux-source with its modules: only 6.1 and 6.12" >&2; exit 2 ;;
esac
kdir=$PWD/build/kernel-$kernel/build
release=$(cat "build/kernel-$kernel/release")
out=build/realfs-$kernel
tarball=/usr/src/linux-source-$series.tar.xz
if [[ $(modinfo -F vermagic toyslab.ko 2>/dev/null) != "$release "* ]]; then
	echo "realfs: toyslab.ko is not built for $release: make KERNEL=$kernel first" >&2
	exit 2
fi

# The kernel's files, once: xz reads the whole tarball for them.
members=(fs/minix fs/fat)
for t in "${tests[@]}"; do
	members+=("lib/$t.c")
done
stamp="$out/src/.extracted ${members[*]}"
if [[ $(cat "$out/src/.extracted" 2>/dev/null) != "$stamp" ]]; then
	echo "  REALFS  extracting ${members[*]} from $tarball"
	rm -rf "$out/src"
	mkdir -p "$out/src"
	tar -xJf "$tarball" -C "$out/src" --strip-components=1 \
		"${members[@]/#/linux-source-$series/}"
	echo "$stamp" > "$out/src/.extracted"
fi

# pr_fmt_flag FILE [OBJECT]: a file that defines pr_fmt() before its includes
# would redefine it, since the header, forced in before its first line,
# has had printk.h give the default.  The same definition on the command
# line comes before both, and the file's then repeats it.
pr_fmt_flag() {
	local def

	def=$(awk '/^#include/ { exit } sub(/^#define pr_fmt\(fmt\)[ \t]+/, "")' "$1")
	[[ -z $def ]] || printf "CFLAGS_%s.o += '-Dpr_fmt(fmt)=%s'\n" "${2:-$(basename "$1" .c)}" "$def"
}

# sync_tree SRC DST: DST gets SRC's files, unchanged, and keeps what the
# build made there, so that make rebuilds only what changed.
sync_tree() {
	mkdir -p "$2"
	rsync -rt "$1/" "$2/"
}

# A test module with no exit function (test_meminit) stays loaded once
# its tests passed.  Linked beside it, this empty one lets the VM unload
# it, and load the other build of the same module.
unload_c() {
	cat <<'EOF'
// SPDX-License-Identifier: GPL-2.0
/* By scripts/realfs-build.sh: an exit, for a test module that has none. */
#include <linux/module.h>

static void __exit realfs_unload(void)
{
}
module_exit(realfs_unload);
EOF
}

# test_kbuild FILE VARIANT: the Kbuild lines of test module FILE.  One
# with no exit function is built from FILE, copied under another name,
# and realfs_unload.c.
test_kbuild() {
	local t

	t=$(basename "$1" .c)
	echo "obj-m += $t.o"
	if ! grep -q '^module_exit(' "$1"; then
		cp -p "$1" "$(dirname "$1")/${t}_main.c"
		echo "$t-y := ${t}_main.o realfs_unload.o"
		t=${t}_main
	fi
	[[ $2 == native ]] || pr_fmt_flag "$1" "$t"
}

# Make's variables, for Kbuild to expand.
# shellcheck disable=SC2016
dropin_flags='ccflags-y += -I$(TOYSLAB) -include $(TOYSLAB)/toyslab_dropin.h'
sync_tree "$out/src/fs" "$out/dropin/fs"
for dir in "$out"/dropin/fs/*/; do
	{
		echo "# The kernel's own Makefile, every file built on toyslab."
		echo "$dropin_flags"
		for f in "$dir"*.c; do
			pr_fmt_flag "$f"
		done
		# shellcheck disable=SC2016
		echo 'include $(src)/Makefile'
	} > "$dir/Kbuild"
done
for variant in dropin native; do
	mkdir -p "$out/$variant/lib"
	for t in "${tests[@]}"; do
		cp -p "$out/src/lib/$t.c" "$out/$variant/lib/"
	done
	unload_c > "$out/$variant/lib/realfs_unload.c"
	{
		[[ $variant == native ]] || echo "$dropin_flags"
		for t in "${tests[@]}"; do
			test_kbuild "$out/$variant/lib/$t.c" "$variant"
		done
	} > "$out/$variant/lib/Kbuild"
done
echo 'obj-m += fs/minix/ fs/fat/ lib/' > "$out/dropin/Kbuild"
echo 'obj-m += lib/' > "$out/native/Kbuild"

echo "  REALFS  building on toyslab: fs/minix fs/fat ${tests[*]}"
kbuild() {
	make -s -C "$kdir" "$@" modules 2>&1 | { grep -v '^Skipping BTF' || true; }
	return "${PIPESTATUS[0]}"
}
kbuild M="$PWD/$out/dropin" TOYSLAB="$PWD" KBUILD_EXTRA_SYMBOLS="$PWD/Module.symvers"
echo "  REALFS  building on the kernel's allocator: ${tests[*]}"
kbuild M="$PWD/$out/native"

# The kernel's slab functions a module built on toyslab still calls:
# the free family's, for memory the file got from the kernel, and any an
# inline function of a header the drop-in includes itself uses.
slab_api='^(kmem_cache_|kmem_buckets|__kmalloc|kmalloc|krealloc|kfree|kvfree|ksize|__ksize)'
for ko in "$out"/dropin/fs/*/*.ko "$out"/dropin/lib/*.ko; do
	calls=$(nm -u "$ko" | awk '{ print $2 }' | grep -E "$slab_api" | sort | xargs || true)
	echo "  REALFS  $(basename "$ko"): the kernel's ${calls:-none}"
done

# The guest's files.
root=$out/root
dest=$root/lib/toyslab/realfs
rm -rf "$root"
mkdir -p "$dest"/{fs,kernel,dropin,native} "$root/usr/sbin"
cp "$out"/dropin/fs/*/*.ko "$dest/fs/"
cp "build/kernel-$kernel"/modules/*.ko "$dest/kernel/"
cp "$out"/dropin/lib/*.ko "$dest/dropin/"
cp "$out"/native/lib/*.ko "$dest/native/"
mkfs=$(command -v mkfs.minix || echo /usr/sbin/mkfs.minix)
cp "$mkfs" "$root/usr/sbin/"
for lib in $(ldd "$mkfs" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
