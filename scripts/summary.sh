#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/summary.sh STATUS LOG [COMPARE-STATUS COMPARE-RESULT]
#
# make check's last line, from the test cases the guest counted in the VM
# console log LOG ("toyslab-vm: tests pass=N fail=N skip=N") and the exit
# STATUS of scripts/vm.sh: a VM that failed with no failed case (console
# findings, a hang, a crash) is one failed case more.
#   N passed, N failed, N skipped
#
# When make check also played compare/'s scenarios, COMPARE-STATUS is
# compare/compare.sh's exit status and COMPARE-RESULT the file of its
# result line, which it printed last, just above this one; if it stopped
# before that line (its kernel did not build, say), a line here says so.
# Exits non-zero if the tests or the comparison failed.
set -euo pipefail
status=$1 log=$2 compare_status=${3:-} compare_result=${4:-}

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
if [[ -n $compare_status && ! -s $compare_result ]]; then
	echo "compare: FAIL: stopped with status $compare_status before its result (see above)"
fi
echo "$pass passed, $fail failed, $skip skipped"
((!fail && !${compare_status:-0}))
