#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: . scripts/qemu-lib.sh (sourced, from the top of the tree)
#
# How scripts/vm.sh, compare/compare.sh and kunit/kunit.sh boot a guest:
# an initramfs from a root directory, one machine layout (CPUs, memory,
# NUMA nodes), QEMU under a watchdog with its console kept in a log, and
# the verdict on that log (the guest's end line, scripts/console-scan.sh).
# Functions only: sourcing it runs nothing.  Each one's comment gives its
# arguments; a failure is a non-zero return, with the reason on stderr.

# qemu_root DIR: a fresh root directory, busybox as /bin/sh, with the
# mount points of qemu_init's guest.
qemu_root() {
	rm -rf "$1"
	mkdir -p "$1"/{bin,dev,proc,sys,tmp}
	cp /bin/busybox "$1/bin/"
	ln -s busybox "$1/bin/sh"
}

# qemu_init DIR: DIR/init, executable, up to where a guest starts its own
# work: busybox's applets in /bin, /proc, /sys, /dev, debugfs and /tmp
# mounted.  The caller appends the rest, and ends it with poweroff -f.
qemu_init() {
	cat > "$1/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
EOF
	chmod +x "$1/init"
}

# qemu_pack DIR CPIO: DIR as an initramfs, in the file CPIO.
qemu_pack() {
	(cd "$1" && find . | cpio -o -H newc --quiet) > "$2"
}

# qemu_mib MEM: MEM, written 1G, 512M or 512 (MiB), in MiB.
qemu_mib() {
	local mem=${1^^}

	if [[ ! $mem =~ ^[0-9]+[MG]?$ ]]; then
		echo "qemu: MEM=$1 is not memory as 1G, 512M or 512 (MiB)" >&2
		return 2
	fi
	case $mem in
	*G) echo $((${mem%G} * 1024)) ;;
	*) echo $((${mem%M})) ;;
	esac
}

# qemu_machine CPUS NODES MEM: the QEMU arguments, one a line, of the one
# machine layout every guest has: CPUS vCPUs and MEM of memory (see
# qemu_mib) on NODES NUMA nodes.  The nodes share the memory evenly (the
# MiB left over go unused) and take the CPUs in order, as evenly as they
# go: node n has CPUs n * CPUS / NODES up to (n + 1) * CPUS / NODES - 1,
# so with two CPUs on two nodes CPU 0 is alone on node 0 and CPU 1 on
# node 1.  Every CPU is a socket of its own: a node that had part of a
# socket (as QEMU's default, every CPU a core of one socket, would give)
# makes the scheduler's topology check WARN at boot.  Fails if a node
# would have no CPU.
qemu_machine() {
	local cpus=$1 nodes=$2 mib node cpu

	mib=$(qemu_mib "$3") || return 2
	if [[ ! $cpus =~ ^[1-9][0-9]*$ || ! $nodes =~ ^[1-9][0-9]*$ ]]; then
		echo "qemu: CPUS=$cpus and NODES=$nodes must be whole numbers from 1" >&2
		return 2
	fi
	if ((cpus < nodes)); then
		echo "qemu: NODES=$nodes would leave a node without a CPU: CPUS=$cpus" >&2
		return 2
	fi
	echo -smp
	echo "$cpus,sockets=$cpus,cores=1,threads=1"
	echo -m
	echo "$((mib / nodes * nodes))M"
	((nodes > 1)) || return 0
	for ((node = 0; node < nodes; node++)); do
		echo -object
		echo "memory-backend-ram,id=mem$node,size=$((mib / nodes))M"
		echo -numa
		echo "node,nodeid=$node,memdev=mem$node"
		for ((cpu = node * cpus / nodes; cpu < (node + 1) * cpus / nodes; cpu++)); do
			echo -numa
			echo "cpu,node-id=$node,socket-id=$cpu"
		done
	done
}

# qemu_run LOG TIMEOUT SHOW ARG...: qemu-system-x86_64 with ARGs and its
# serial console on stdio, killed by a watchdog after TIMEOUT seconds
# (0: never).  The console, QEMU's own messages included and every \r
# dropped, goes to LOG.  With SHOW a guest's name, its lines from "SHOW:
# up " to "SHOW: end " are printed as they come; with SHOW empty, nothing
# (guests that run side by side).  Returns QEMU's status: 124 if the
# watchdog killed it.
qemu_run() {
	local log=$1 timeout=$2 show=$3 status=0

	shift 3
	if [[ -n $show ]]; then
		timeout -k 10 "$timeout" qemu-system-x86_64 -nodefaults -nographic \
			-no-reboot -serial stdio "$@" < /dev/null 2>&1 |
			sed -u 's/\r//g' | tee "$log" |
			sed -u -n "/^$show: up /,/^$show: end /p" || status=${PIPESTATUS[0]}
	else
		timeout -k 10 "$timeout" qemu-system-x86_64 -nodefaults -nographic \
			-no-reboot -serial stdio "$@" < /dev/null 2>&1 |
			sed 's/\r//g' > "$log" || status=${PIPESTATUS[0]}
	fi
	return "$status"
}

# qemu_run_interactive LOG TIMEOUT ARG...: qemu_run with the terminal on
# the console, and QEMU's monitor behind Ctrl-A C; the console goes to
# LOG as it is, \r and all.
qemu_run_interactive() {
	local log=$1 timeout=$2

	shift 2
	timeout --foreground -k 10 "$timeout" qemu-system-x86_64 -nodefaults \
		-nographic -no-reboot "$@" \
		-chardev "stdio,id=con,mux=on,signal=off,logfile=$log" \
		-serial chardev:con -mon chardev=con
}

# qemu_guest_rc LOG GUEST: the status on the last "GUEST: end rc=N" line
# of LOG, the line each guest's init prints last; nothing if it has none.
qemu_guest_rc() {
	tr -d '\r' < "$1" | sed -n "s/^$2: end rc=\([0-9]*\).*/\1/p" | tail -n 1
}

# qemu_no_end WHO LOG STATUS TIMEOUT WHAT: WHO's failure line for a guest,
# WHAT, that never printed its end line, with the end of its console
# LOG; QEMU's STATUS 124 says the watchdog killed it after TIMEOUT s.
qemu_no_end() {
	local who=$1 log=$2 status=$3 timeout=$4 what=$5

	if ((status == 124)); then
		echo "$who: FAIL: no end after $timeout s, the watchdog killed $what; the console's end:"
	else
		echo "$who: FAIL: $what never reached its end; the console's end:"
	fi
	tr -d '\r' < "$log" | tail -n 40 | sed 's/^/  /'
}
