#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: [VAR=value...] scripts/vm.sh shell|demo|check|grade|realfs
#
# Boots the VM's stock kernel (build/kernel-$KERNEL) in QEMU on a fresh
# busybox initramfs holding toyslab.ko, the selftests installed in
# build/kselftest and scripts/guest/ (and make realfs's kernel code and
# tools, from build/realfs-KERNEL/root, once scripts/realfs-build.sh has
# laid them out), and runs scripts/guest/MODE.sh there;
# scripts/qemu-lib.sh builds the guest and boots it, as it does those of
# compare/ and kunit/.
# The exit status is the guest's, or 1 if the console shows kernel trouble
# (scripts/console-scan.sh) or the guest hangs; the console is kept in
# build/vm.log.  Before: make all selftests (make vm/demo/check do).
#
#   KERNEL=       the VM's kernel series; default the Makefile's
#   VMKERNEL=     boot build/kernel/VMKERNEL instead, a kernel that
#                 scripts/build-kernel.sh built (make bench's real SLAB)
#   KO=toyslab.ko the toyslab.ko for the guest, built for that kernel (make
#                 grade EX= gives a student's)
#   CPUS=2        virtual CPUs
#   MEM=1G        memory (M or G)
#   NODES=1       NUMA nodes, sharing MEM and CPUS as evenly as they go
#   APPEND=       more kernel command line
#   TOUR_LANG=    demo mode: zh_CN for the tour in Chinese (toyslab_lang=)
#   EXTRA=        more files or directories, copied to the guest's /root
#   ICOUNT=0      1: deterministic -icount shift=0, booting one CPU (QEMU 7.2
#                 hangs starting the others under icount); init onlines them
#   ACCEL=tcg     kvm where /dev/kvm works
#   TESTS=        check mode: only these selftest programs (comma-separated)
#   TIMEOUT=      seconds before the watchdog kills the guest (0: never);
#                 default 0 for shell, 300 for demo, grade and realfs,
#                 1800 for check
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?usage: scripts/vm.sh shell|demo|check|grade|realfs}
[[ -e scripts/guest/$mode.sh ]] || { echo "vm.sh: no mode $mode" >&2; exit 2; }
KERNEL=${KERNEL:-$(sed -n 's/^KERNEL ?= *//p' Makefile)}
CPUS=${CPUS:-2} MEM=${MEM:-1G} NODES=${NODES:-1}
APPEND=${APPEND:-}${TOUR_LANG:+ toyslab_lang=$TOUR_LANG} TESTS=${TESTS:-} EXTRA=${EXTRA:-} ICOUNT=${ICOUNT:-0} ACCEL=${ACCEL:-tcg}
VMKERNEL=${VMKERNEL:-} KO=${KO:-toyslab.ko}
case $mode in
shell) TIMEOUT=${TIMEOUT:-0} ;;
demo | grade | realfs) TIMEOUT=${TIMEOUT:-300} ;;
*) TIMEOUT=${TIMEOUT:-1800} ;;
esac

if [[ -n $VMKERNEL ]]; then
	release=$(cat "build/kernel/$VMKERNEL/release")
	image=build/kernel/$VMKERNEL/arch/x86/boot/bzImage
else
	release=$(cat "build/kernel-$KERNEL/release")
	image=build/kernel-$KERNEL/boot/vmlinuz-$release
fi
vermagic=$(modinfo -F vermagic "$KO")
if [[ $vermagic != "$release "* ]]; then
	echo "vm.sh: $KO is for ${vermagic%% *}, the VM runs $release: make it without KDIR" >&2
	exit 2
fi

# shellcheck source=scripts/qemu-lib.sh
. scripts/qemu-lib.sh
machine=$(qemu_machine "$CPUS" "$NODES" "$MEM") || exit 2
mapfile -t machine <<< "$machine"

# The initramfs: busybox (whose applets init links), toyslab, the tests,
# toyslab-top (make top) and make realfs's files if built.
root=build/initramfs
qemu_root "$root"
mkdir -p "$root"/{sbin,usr/bin,usr/sbin,root,lib/toyslab}
cp scripts/guest/init "$root/init"
cp scripts/guest/timeout "$root/usr/bin/"
cp scripts/guest/*.sh "$root/lib/toyslab/"
cp "$KO" "$root/lib/toyslab/toyslab.ko"
cp -r build/kselftest "$root/kselftest"
[[ ! -e build/toyslab-top ]] || cp build/toyslab-top "$root/usr/bin/"
[[ ! -d build/realfs-$KERNEL/root ]] || cp -a "build/realfs-$KERNEL/root/." "$root/"
for extra in $EXTRA; do
	cp -r "$extra" "$root/root/"
done
qemu_pack "$root" build/initramfs.cpio

[[ -z $TESTS ]] || APPEND+=" toyslab_tests=$TESTS"
# A test run must end: a soft lockup panics the guest at once (panic=-1
# then stops QEMU) instead of leaving the watchdog to kill it much later.
# It counts after 60 s, not 20: on a host with more guests than cores, a
# TCG CPU can be starved that long while booting (seen in the jitter
# entropy's self-test), and a real lockup lasts for good.
[[ $mode != check && $mode != realfs ]] ||
	APPEND+=" softlockup_panic=1 softlockup_all_cpu_backtrace=1 watchdog_thresh=30"
accel=(-accel "$ACCEL")
if ((ICOUNT)); then
	accel+=(-icount shift=0)
	APPEND+=" maxcpus=1"
elif [[ $ACCEL == tcg ]]; then
	accel=(-accel "tcg,thread=multi")
fi

# random.trust_cpu=on: RDRAND seeds the RNG at once, so that %p hashes
# (which 'held' shows) work from the start even on a kernel, like the debug
# one, that would otherwise wait for entropy a TCG guest hardly has.
# no_timer_check: on a busy host, TCG can be too slow for the kernel's
# check that the IO-APIC timer ticks, and it panics at boot.
log=build/vm.log
qemu=("${accel[@]}" -cpu max "${machine[@]}"
      -kernel "$image" -initrd build/initramfs.cpio
      -append "console=ttyS0 panic=-1 random.trust_cpu=on no_timer_check toyslab_mode=$mode $APPEND")
mib=$(qemu_mib "$MEM")
echo "  VM      $mode: $release, $CPUS CPUs, $((mib / NODES * NODES))M, $NODES node(s), console in $log"

# The shell has the terminal; the other modes show only what the guest
# does after boot.
status=0
if [[ $mode == shell ]]; then
	qemu_run_interactive "$log" "$TIMEOUT" "${qemu[@]}" || status=$?
else
	qemu_run "$log" "$TIMEOUT" toyslab-vm "${qemu[@]}" || status=$?
fi

end=$(qemu_guest_rc "$log" toyslab-vm)
if [[ -z $end ]]; then
	qemu_no_end vm "$log" "$status" "$TIMEOUT" "the guest"
	status=1
else
	status=$end
	((status == 0)) || echo "vm: FAIL: the guest's $mode exited $status"
fi
scripts/console-scan.sh "$log" || status=1
((status == 0)) || echo "vm: full console log: $log"
exit "$status"
