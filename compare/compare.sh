#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: compare/compare.sh [SCENARIO.scn...]
#
# Plays compare/scenarios/*.scn (or the ones named) on the real SLAB and
# on toyslab, in one QEMU guest running the comparison kernel, and exits
# non-zero if any slabinfo counter differs in a way that
# compare/expected-differences does not list.  The transcript, step by
# step with both lines side by side, is printed and kept in
# build/compare/console-Nnode.log.
#
#   VARIANT=slab-stats  the kernel (scripts/build-kernel.sh VARIANT);
#                       slab-debug runs the DEBUG_SLAB kernel instead, and
#                       gives both caches poison,red_zone,store_user (what
#                       DEBUG_SLAB forces on the real one)
#   CPUS=2              virtual CPUs (the scenarios use CPUs 0 and 1)
#   NODES="1 2"         NUMA topologies to run every scenario on, one guest
#                       each: with 2, CPU 0 is on node 0 and CPU 1 on node
#                       1, so cross-CPU frees go through alien caches
#   MEM=1024            guest memory in MiB
#   TIMEOUT=900         seconds before each guest is killed
#
# Needs: what scripts/build-kernel.sh needs, qemu-system-x86, busybox-static,
# cpio.  toyslab.ko and slab_ctl.ko are built for the comparison kernel in
# build/compare/, leaving the tree's own toyslab.ko alone.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

VARIANT=${VARIANT:-slab-stats} CPUS=${CPUS:-2} MEM=${MEM:-1024}
TIMEOUT=${TIMEOUT:-900} NODES=${NODES:-1 2}
out=build/compare
kdir=build/kernel/$VARIANT

scenarios=("$@")
if ((${#scenarios[@]} == 0)); then
	scenarios=(compare/scenarios/*.scn)
fi
for s in "${scenarios[@]}"; do
	[[ -f $s ]] || { echo "compare: no scenario $s" >&2; exit 2; }
done

scripts/build-kernel.sh "$VARIANT"

# Both modules, built out of the source tree against the comparison kernel.
rm -rf "$out"
mkdir -p "$out/toyslab" "$out/slab_ctl" "$out/root"
cp Kbuild ./*.c ./*.h "$out/toyslab/"
cp compare/Kbuild compare/slab_ctl.c "$out/slab_ctl/"
for m in toyslab slab_ctl; do
	echo "  CC [M]  $out/$m ($VARIANT)"
	make -s -C "$kdir" M="$top/$out/$m" modules > "$out/$m.log" 2>&1 ||
		{ cat "$out/$m.log" >&2; exit 1; }
done

# The guest: busybox, the two modules, the runner and the scenarios.
root=$out/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,cmp/scenarios}
cp /bin/busybox "$root/bin/"
ln -s busybox "$root/bin/sh"
cp "$out/toyslab/toyslab.ko" "$out/slab_ctl/slab_ctl.ko" compare/run-scenario.sh \
	compare/expected-differences "$root/cmp/"
cp "${scenarios[@]}" "$root/cmp/scenarios/"
runner_args=
if [[ $VARIANT == slab-debug ]]; then
	runner_args="-f poison,red_zone,store_user"
fi
cat > "$root/init" <<EOF
#!/bin/sh
runner_args="$runner_args"
EOF
cat >> "$root/init" <<'EOF'
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
cd /cmp
insmod toyslab.ko && insmod slab_ctl.ko || { echo "compare: end rc=2"; poweroff -f; }
echo "compare: up in $(cut -d' ' -f1 /proc/uptime) s, $(uname -r)"
rc=0 pass=0 fail=0
for s in scenarios/*.scn; do
	# shellcheck disable=SC2086
	if sh run-scenario.sh -x expected-differences $runner_args "$s"; then
		pass=$((pass + 1))
	else
		rc=1 fail=$((fail + 1))
	fi
done
echo "compare: $pass passed, $fail failed"
echo "compare: end rc=$rc tainted=$(cat /proc/sys/kernel/tainted)"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out/initramfs.cpio"

# One guest per topology; the exit status is the worst of them.
boot() {
	local nodes=$1 log=$out/console-$1node.log numa=() node first next
	if ((nodes > 1)); then
		for ((node = 0; node < nodes; node++)); do
			first=$((node * CPUS / nodes)) next=$(((node + 1) * CPUS / nodes))
			numa+=(-object "memory-backend-ram,id=mem$node,size=$((MEM / nodes))M"
			       -numa "node,nodeid=$node,memdev=mem$node,cpus=$first-$((next - 1))")
		done
	fi
	# One CPU per socket: CPUs of one socket on two nodes (QEMU's
	# default) make the scheduler's topology check WARN at boot.
	echo "  VM      $VARIANT, $CPUS CPUs, $nodes node(s), ${#scenarios[@]} scenario(s), console in $log"
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi -cpu max \
		-smp "$CPUS,sockets=$CPUS" -m "$((MEM / nodes * nodes))M" "${numa[@]}" \
		-kernel "$kdir/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 slab_nomerge" \
		-nodefaults -nographic -no-reboot -serial stdio < /dev/null |
		tr -d '\r' | tee "$log" | sed -u -n '/^compare: up /,/^compare: end /p' || true
	end=$(sed -n 's/^compare: end rc=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	if [[ -z $end ]]; then
		echo "compare: FAIL: the $nodes-node guest never finished, see $log" >&2
		return 1
	fi
	return "$end"
}

status=0
for nodes in $NODES; do
	boot "$nodes" || status=1
done
exit "$status"
