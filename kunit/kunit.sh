#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: kunit/kunit.sh
#
# Runs kunit/toyslab_kunit.ko in QEMU on the debug kernel (SLUB, KASAN,
# lockdep, kmemleak, KUnit: scripts/build-kernel.sh debug), with
# toyslab.ko built for that kernel in build/kunit/ (the tree's own
# toyslab.ko is left alone).  Prints the KTAP results and exits non-zero
# unless the suite passed with no kernel warning; the console is kept in
# build/kunit/console.log.
#
#   CPUS=2        virtual CPUs
#   MEM=1024      memory, in MiB (or with M or G)
#   NODES=1       NUMA nodes, sharing MEM and CPUS as the VM's do
#                 (scripts/qemu-lib.sh)
#   TIMEOUT=600   seconds before the watchdog kills the guest
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

CPUS=${CPUS:-2} MEM=${MEM:-1024} NODES=${NODES:-1} TIMEOUT=${TIMEOUT:-600}
out=build/kunit
kdir=build/kernel/debug

# shellcheck source=scripts/qemu-lib.sh
. scripts/qemu-lib.sh
machine=$(qemu_machine "$CPUS" "$NODES" "$MEM") || exit 2
mapfile -t machine <<< "$machine"

scripts/build-kernel.sh debug

rm -rf "$out"
mkdir -p "$out/toyslab/kunit"
cp Kbuild ./*.c ./*.h "$out/toyslab/"
cp kunit/Kbuild kunit/toyslab_kunit.c "$out/toyslab/kunit/"
echo "  CC [M]  $out/toyslab (debug)"
make -s -C "$kdir" M="$top/$out/toyslab" modules > "$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }
make -s -C "$kdir" M="$top/$out/toyslab/kunit" \
	KBUILD_EXTRA_SYMBOLS="$top/$out/toyslab/Module.symvers" modules \
	>> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }

root=$out/root
qemu_root "$root"
cp "$out/toyslab/toyslab.ko" "$out/toyslab/kunit/toyslab_kunit.ko" "$root/"
qemu_init "$root"
cat >> "$root/init" <<'EOF'
echo "kunit: up in $(cut -d' ' -f1 /proc/uptime) s, $(uname -r)"
insmod /toyslab.ko && insmod /toyslab_kunit.ko
rc=$?
cat /sys/kernel/debug/kunit/toyslab/results
echo scan > /sys/kernel/debug/kmemleak
echo "kunit: kmemleak: $(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)"
echo "kunit: end rc=$rc tainted=$(cat /proc/sys/kernel/tainted)"
poweroff -f
EOF
qemu_pack "$root" "$out/initramfs.cpio"

# no_hash_pointers: the detector cases check that a report names the
# object they fed it, which toyslab prints with %p; this kernel's crng is
# not seeded before they run (no RANDOM_TRUST_CPU), and until it is, %p
# prints "(____ptrval____)" for every pointer.
log=$out/console.log
echo "  VM      debug, $CPUS CPUs, $NODES node(s), console in $log"
status=0
qemu_run "$log" "$TIMEOUT" kunit -accel tcg,thread=multi -cpu max "${machine[@]}" \
	-kernel "$kdir/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio" \
	-append "console=ttyS0 panic=-1 no_timer_check softlockup_panic=1 watchdog_thresh=30 no_hash_pointers" || status=$?
end=$(qemu_guest_rc "$log" kunit)
if [[ -z $end ]]; then
	qemu_no_end kunit "$log" "$status" "$TIMEOUT" "the guest" >&2
	exit 1
fi
((end == 0)) || { echo "kunit: FAIL: the modules did not load" >&2; exit 1; }

# Pass: the suite's KTAP line says ok, and nothing went wrong in the kernel
# but the one KASAN report use_after_free_is_caught_by_kasan provokes: its
# block, from the '=' line before its BUG line to the '=' line after, is
# cut out before the console is scanned like make check's.  The reports of
# toyslab's detectors that the detector cases provoke stay in: every line
# of theirs starts "toyslab:" and none uses the kernel's words for trouble
# ("BUG:", "WARNING:", "Call Trace:", ...), so the scan passes them, and
# still fails on any real WARN, BUG, KASAN or lockdep report among them.
# The kernel may be tainted O (out-of-tree module), E (unsigned module),
# N (a KUnit test ran) and B (KASAN's report), and nothing else.
grep -q '^ok [0-9]* toyslab$' "$log" ||
	{ echo "kunit: FAIL: the toyslab suite did not pass" >&2; exit 1; }
provoked='^BUG: KASAN: use-after-free in use_after_free_is_caught_by_kasan'
[[ $(grep -c "$provoked" "$log") == 1 ]] ||
	{ echo "kunit: FAIL: not exactly one KASAN report of the provoked use-after-free" >&2; exit 1; }
awk -v bug="$provoked" '
	/^=+$/ && !cut { if (held != "") print held; held = $0; next }
	held != "" && $0 ~ bug { cut = 1; held = ""; next }
	held != "" { print held; held = "" }
	cut && /^=+$/ { cut = 0; next }
	!cut
	END { if (held != "") print held }' "$log" > "$out/console-rest.log"
scripts/console-scan.sh -t OENB "$out/console-rest.log" ||
	{ echo "kunit: FAIL: kernel trouble on the console ($log)" >&2; exit 1; }
grep -q '^kunit: kmemleak: 0$' "$log" ||
	{ echo "kunit: FAIL: kmemleak found leaks" >&2; exit 1; }
grep -q '^kunit: end .*tainted=0$' "$log" ||
	echo "kunit: note: tainted, as expected: O (out-of-tree module), N (KUnit test), B (the KASAN report)"
echo "kunit: PASS"
