#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: [VAR=value...] scripts/vm.sh shell|demo|check
#
# Boots the VM's stock kernel (build/kernel-$KERNEL) in QEMU on a fresh
# busybox initramfs holding toyslab.ko, the selftests installed in
# build/kselftest and scripts/guest/, and runs scripts/guest/MODE.sh there.
# The exit status is the guest's, or 1 if the console shows kernel trouble
# (scripts/console-scan.sh) or the guest hangs; the console is kept in
# build/vm.log.  Before: make all selftests (make vm/demo/check do).
#
#   KERNEL=       the VM's kernel series; default the Makefile's
#   CPUS=2        virtual CPUs
#   MEM=1G        memory (M or G)
#   NODES=1       NUMA nodes (sockets), sharing MEM and CPUS evenly
#   APPEND=       more kernel command line
#   EXTRA=        more files or directories, copied to the guest's /root
#   ICOUNT=0      1: deterministic -icount shift=0, booting one CPU (QEMU 7.2
#                 hangs starting the others under icount); init onlines them
#   ACCEL=tcg     kvm where /dev/kvm works
#   TESTS=        check mode: only these selftest programs (comma-separated)
#   TIMEOUT=      seconds before the watchdog kills the guest (0: never);
#                 default 0 for shell, 300 for demo, 1800 for check
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?usage: scripts/vm.sh shell|demo|check}
[[ -e scripts/guest/$mode.sh ]] || { echo "vm.sh: no mode $mode" >&2; exit 2; }
KERNEL=${KERNEL:-$(sed -n 's/^KERNEL ?= *//p' Makefile)}
CPUS=${CPUS:-2} MEM=${MEM:-1G} NODES=${NODES:-1}
APPEND=${APPEND:-} TESTS=${TESTS:-} EXTRA=${EXTRA:-} ICOUNT=${ICOUNT:-0} ACCEL=${ACCEL:-tcg}
case $mode in
shell) TIMEOUT=${TIMEOUT:-0} ;;
demo) TIMEOUT=${TIMEOUT:-300} ;;
*) TIMEOUT=${TIMEOUT:-1800} ;;
esac

release=$(cat "build/kernel-$KERNEL/release")
vermagic=$(modinfo -F vermagic toyslab.ko)
if [[ $vermagic != "$release "* ]]; then
	echo "vm.sh: toyslab.ko is for ${vermagic%% *}, the VM runs $release: make it without KDIR" >&2
	exit 2
fi

# The initramfs: busybox (whose applets init links), toyslab, the tests,
# toyslab-top (make top) if built.
root=build/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,lib/toyslab}
cp /bin/busybox "$root/bin/"
ln -s busybox "$root/bin/sh"
cp scripts/guest/init "$root/init"
cp scripts/guest/timeout "$root/usr/bin/"
cp scripts/guest/*.sh toyslab.ko "$root/lib/toyslab/"
cp -r build/kselftest "$root/kselftest"
[[ ! -e build/toyslab-top ]] || cp build/toyslab-top "$root/usr/bin/"
for extra in $EXTRA; do
	cp -r "$extra" "$root/root/"
done
(cd "$root" && find . | cpio -o -H newc --quiet) > build/initramfs.cpio

# Memory in MiB.  NUMA nodes are sockets, each with its share of memory
# and CPUs: a node splitting a socket's cache makes the kernel WARN.
mem=${MEM^^}
case $mem in
*G) mem=$((${mem%G} * 1024)) ;;
*) mem=${mem%M} ;;
esac
if ((CPUS % NODES)); then
	echo "vm.sh: CPUS=$CPUS do not split evenly between NODES=$NODES" >&2
	exit 2
fi
smp=$CPUS,sockets=$NODES,cores=$((CPUS / NODES)),threads=1
numa=()
if ((NODES > 1)); then
	for ((node = 0; node < NODES; node++)); do
		numa+=(-object "memory-backend-ram,id=mem$node,size=$((mem / NODES))M"
		       -numa "node,nodeid=$node,memdev=mem$node"
		       -numa "cpu,node-id=$node,socket-id=$node")
	done
	mem=$((mem / NODES * NODES))
fi

[[ -z $TESTS ]] || APPEND+=" toyslab_tests=$TESTS"
# A test run must end: a soft lockup panics the guest at once (panic=-1
# then stops QEMU) instead of leaving the watchdog to kill it much later.
[[ $mode != check ]] || APPEND+=" softlockup_panic=1 softlockup_all_cpu_backtrace=1"
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
qemu=(qemu-system-x86_64 "${accel[@]}" -cpu max -smp "$smp" -m "${mem}M" "${numa[@]}"
      -kernel "build/kernel-$KERNEL/boot/vmlinuz-$release" -initrd build/initramfs.cpio
      -append "console=ttyS0 panic=-1 random.trust_cpu=on no_timer_check toyslab_mode=$mode $APPEND"
      -nodefaults -nographic -no-reboot)
echo "  VM      $mode: $release, $CPUS CPUs, ${mem}M, $NODES node(s), console in $log"

status=0
if [[ $mode == shell ]]; then
	timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" \
		-chardev "stdio,id=con,mux=on,signal=off,logfile=$log" \
		-serial chardev:con -mon chardev=con || status=$?
else
	# Only what the guest does after boot, without the serial's \r.
	timeout -k 10 "$TIMEOUT" "${qemu[@]}" -chardev "stdio,id=con,logfile=$log" \
		-serial chardev:con < /dev/null |
		sed -u -n 's/\r$//; /^toyslab-vm: up /,/^toyslab-vm: end /p' || status=${PIPESTATUS[0]}
fi

end=$(tr -d '\r' < "$log" | sed -n 's/^toyslab-vm: end rc=\([0-9]*\).*/\1/p' | tail -n 1)
if [[ -z $end ]]; then
	if ((status == 124)); then
		echo "vm: FAIL: no end after $TIMEOUT s, the watchdog killed the guest; the console's end:"
	else
		echo "vm: FAIL: the guest never reached its end; the console's end:"
	fi
	tr -d '\r' < "$log" | tail -n 40 | sed 's/^/  /'
	status=1
else
	status=$end
	((status == 0)) || echo "vm: FAIL: the guest's $mode exited $status"
fi
scripts/console-scan.sh "$log" || status=1
((status == 0)) || echo "vm: full console log: $log"
exit "$status"
