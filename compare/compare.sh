#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: compare/compare.sh [SCENARIO.scn...]
#
# Plays compare/scenarios/*.scn (or the ones named) on the real SLAB and
# on toyslab, in one QEMU guest per NUMA topology running the comparison
# kernel, and exits non-zero if any slabinfo counter differs in a way that
# compare/expected-differences does not list, or if a guest shows kernel
# trouble on its console (scripts/console-scan.sh, as make check's VM).
# The guests run at once; each one's transcript, step by step with both
# lines side by side, is printed whole when it ends, and kept in
# build/compare/console-Nnode.log.  The last line, also kept in
# build/compare/result, counts the scenario runs:
#   compare: N passed, N failed, N skipped (...)
#
#   VARIANT=slab-stats  the kernel (scripts/build-kernel.sh VARIANT);
#                       slab-debug runs the DEBUG_SLAB kernel instead, and
#                       gives both caches poison,red_zone,store_user (what
#                       DEBUG_SLAB forces on the real one)
#   CPUS=2              virtual CPUs (the scenarios use CPUs 0 and 1)
#   NODES="1 2"         NUMA topologies to run every scenario on, one guest
#                       each, its nodes sharing CPUS as the VM's do
#                       (scripts/qemu-lib.sh): with 2, CPU 0 is on node 0
#                       and CPU 1 on node 1, so cross-CPU frees go through
#                       alien caches
#   MEM=1024            guest memory, in MiB (or with M or G)
#   TIMEOUT=900         seconds before each guest is killed
#   SERIAL=             1: one guest after the other, not all at once
#   SRC=.               the toyslab sources to build (make grade EX=
#                       gives a student's copy of the tree)
#   OUT=build/compare   where the modules, guest and logs go, under the
#                       tree's top
#
# Needs: what scripts/build-kernel.sh needs, qemu-system-x86, busybox-static,
# cpio.  toyslab.ko and slab_ctl.ko are built for the comparison kernel in
# build/compare/, leaving the tree's own toyslab.ko alone.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

VARIANT=${VARIANT:-slab-stats} CPUS=${CPUS:-2} MEM=${MEM:-1024}
TIMEOUT=${TIMEOUT:-900} NODES=${NODES:-1 2}
src=${SRC:-.}
out=${OUT:-build/compare}
kdir=build/kernel/$VARIANT
rm -f "$out/result"

scenarios=("$@")
if ((${#scenarios[@]} == 0)); then
	scenarios=(compare/scenarios/*.scn)
fi
for s in "${scenarios[@]}"; do
	[[ -f $s ]] || { echo "compare: no scenario $s" >&2; exit 2; }
done

# shellcheck source=scripts/qemu-lib.sh
. scripts/qemu-lib.sh
read -r -a topologies <<< "$NODES"
for nodes in "${topologies[@]}"; do
	qemu_machine "$CPUS" "$nodes" "$MEM" > /dev/null || exit 2
done

scripts/build-kernel.sh "$VARIANT"

# Both modules, built out of the source tree against the comparison kernel.
rm -rf "$out"
mkdir -p "$out/toyslab" "$out/slab_ctl" "$out/root"
cp "$src"/Kbuild "$src"/*.c "$src"/*.h "$out/toyslab/"
cp compare/Kbuild compare/slab_ctl.c cmd.h "$out/slab_ctl/"
for m in toyslab slab_ctl; do
	echo "  CC [M]  $out/$m ($VARIANT)"
	make -s -C "$kdir" M="$top/$out/$m" modules > "$out/$m.log" 2>&1 ||
		{ cat "$out/$m.log" >&2; exit 1; }
done

# The guest: busybox, the two modules, the runner and the scenarios.
root=$out/root
qemu_root "$root"
mkdir -p "$root/cmp/scenarios"
cp "$out/toyslab/toyslab.ko" "$out/slab_ctl/slab_ctl.ko" compare/run-scenario.sh \
	compare/expected-differences "$root/cmp/"
cp "${scenarios[@]}" "$root/cmp/scenarios/"
runner_args=
if [[ $VARIANT == slab-debug ]]; then
	runner_args="-f poison,red_zone,store_user"
fi
qemu_init "$root"
cat >> "$root/init" <<EOF
runner_args="$runner_args"
EOF
cat >> "$root/init" <<'EOF'
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
qemu_pack "$root" "$out/initramfs.cpio"

# One guest per topology.  Its console goes to its log only: report()
# prints the transcript whole once the guest has ended, so that two guests
# running at once never interleave their lines.
boot() {
	local nodes=$1 machine rc=0 start=$SECONDS

	machine=$(qemu_machine "$CPUS" "$nodes" "$MEM")
	mapfile -t machine <<< "$machine"
	qemu_run "$out/console-${nodes}node.log" "$TIMEOUT" "" \
		-accel tcg,thread=multi -cpu max "${machine[@]}" \
		-kernel "$kdir/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 no_timer_check softlockup_panic=1 watchdog_thresh=30 slab_nomerge" || rc=$?
	echo "$((SECONDS - start)) $rc" > "$out/status-${nodes}node"
}

# Print the transcript of the guest that ran on NODES node(s), add its
# counts to the totals, and fail if it did.
report() {
	local nodes=$1 log=$out/console-$1node.log secs rc end p f s trouble=0
	sed -n '/^compare: up /,/^compare: end /p' "$log"
	read -r secs rc < "$out/status-${nodes}node"
	echo "  VM      the $nodes-node guest took $secs s"
	end=$(qemu_guest_rc "$log" compare)
	if [[ -z $end ]]; then
		qemu_no_end compare "$log" "$rc" "$TIMEOUT" "the $nodes-node guest"
		failed=$((failed + 1))
		return 1
	fi
	# The guest counts a scenario it skips (too few nodes) as passed.
	read -r p f < <(sed -n 's/^compare: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log") || true
	s=$(grep -c '^=== [^ ]*: skipped: ' "$log" || true)
	p=${p:-0} f=${f:-0}
	passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
	# The kernel trouble make check looks for on its own VM's console,
	# and any taint beyond O (out-of-tree module) and E (unsigned).
	scripts/console-scan.sh "$log" || trouble=1
	# A failed guest with no failed scenario (setup, trouble) is one more.
	if (((end || trouble) && !f)); then
		failed=$((failed + 1))
	fi
	((!end && !trouble))
}

for nodes in "${topologies[@]}"; do
	echo "  VM      $VARIANT, $CPUS CPUs, $nodes node(s), ${#scenarios[@]} scenario(s), console in $out/console-${nodes}node.log"
done
status=0 passed=0 failed=0 skipped=0
if ((${SERIAL:-0})); then
	for nodes in "${topologies[@]}"; do
		boot "$nodes"
		report "$nodes" || status=1
	done
else
	# All guests at once: a scenario's step runs on one vCPU while the
	# other idles, so a guest keeps about one host core busy and two share
	# two cores well (compare/README.md, Run time).  Transcripts in NODES
	# order, each as soon as its guest is done.
	pids=()
	for nodes in "${topologies[@]}"; do
		boot "$nodes" &
		pids+=($!)
	done
	for i in "${!topologies[@]}"; do
		wait "${pids[i]}" || true
		report "${topologies[i]}" || status=1
	done
fi
result="compare: $passed passed, $failed failed, $skipped skipped"
result+=" (${#scenarios[@]} scenario(s), NODES=\"$NODES\", $VARIANT)"
echo "$result" | tee "$out/result"
exit "$status"
