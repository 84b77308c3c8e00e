#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the shell tests that read the kernel log: what it said since a
# point of theirs.  Not a count of dmesg's lines: once the log buffer is
# full (a whole make check fills it), that count stays put while the
# oldest lines go, and "the lines after the Nth" would be none.

# kmsg_mark: write a line of its own to the kernel log, and print it.
kmsg_mark() {
	kmsg_m="toyslab selftest mark $(cat /proc/sys/kernel/random/uuid)"
	echo "$kmsg_m" > /dev/kmsg
	echo "$kmsg_m"
}

# kmsg_since MARK: the kernel log after MARK, without timestamps.
kmsg_since() {
	dmesg | sed 's/^\[[ 0-9.]*\] //' | awk -v m="$1" 'f; $0 == m { f = 1 }'
}

# kmsg_reports MARK: kernel and toyslab reports in the log after MARK.
kmsg_reports() {
	kmsg_since "$1" | grep -E 'WARNING:|BUG:|Oops|Kernel panic|soft lockup|hard LOCKUP|rcu: INFO: .* stall|KASAN:|circular locking|recursive locking|inconsistent lock state|list_(add|del) corruption|Call Trace:|toyslab:'
}
