#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: grade.sh - make grade LAB='s mode: replay the lab named by
# toyslab_lab= on the kernel command line, as labs_test.sh replays it for
# make check, and grade the answers file /root/answers (vm.sh EXTRA=)
# against what it printed, with lab_grade.sh.  Between the lines
#   grade-lab: begin
#   grade-lab: end
# it prints the grading, and a note if the replay did not print what the
# lab says (the true values are what this VM printed, all the same);
# scripts/grade-lab.sh shows them.  Fails if the lab did not run.
set -eu
lab=${toyslab_lab:?no toyslab_lab= on the kernel command line}
ksft=/kselftest/toyslab
mkdir -p /tmp/labs
insmod /lib/toyslab/toyslab.ko
LABS_ONLY=$lab LABS_OUT=/tmp/labs "$ksft/labs_test.sh" > /tmp/replay 2>&1 || true

echo "grade-lab: begin"
rc=0
if [ ! -s "/tmp/labs/$lab.out" ]; then
	echo "grade: the lab did not run:"
	sed 's/^/  /' /tmp/replay
	rc=1
else
	if ! grep -q "^ok 1 labs/$lab\$" /tmp/replay; then
		echo "grade: note: the VM did not print exactly what the lab says;"
		echo "grade: the true values below are what it printed:"
		sed -n 's/^# /  /p' /tmp/replay | head -n 20
	fi
	"$ksft/lab_grade.sh" grade "$ksft/docs/labs/$lab.rst" /root/answers \
		"/tmp/labs/$lab.out" || rc=$?
fi
echo "grade-lab: end"
exit $rc
