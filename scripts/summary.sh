#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/summary.sh STATUS LOG
#
# make check's last line, from the test cases the guest counted in the VM
# console log LOG ("toyslab-vm: tests pass=N fail=N skip=N") and the exit
# STATUS of scripts/vm.sh: a VM that failed with no failed case (console
# findings, a hang, a crash) is one failed case more.
#   N passed, N failed, N skipped
set -euo pipefail
status=$1 log=$2

pass=0 fail=0 skip=0
counts=$(tr -d '\r' < "$log" | sed -n 's/^toyslab-vm: tests //p' | tail -n 1)
for kv in $counts; do
	case $kv in
	pass=* | fail=* | skip=*) declare "$kv" ;;
	esac
done
if ((status && !fail)); then
	fail=1
fi
echo "$pass passed, $fail failed, $skip skipped"
((!fail))
