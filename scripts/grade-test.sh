#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/grade-test.sh
#
# make check's test of make grade, end to end, with its VMs: it must be
# able to give full marks and to withhold them.
#   - Lab 2, answered from its own text with the first answer wrong:
#     "grade: M-1 of M", that answer wrong with the true value.  (Every
#     lab's full marks against the VM are labs_test.sh's.)
#   - Exercise drain_array: this tree, the reference solution, scores M
#     of M; the blanked copy make exercise writes scores less.  Every
#     exercise's checks are selftests and scenarios that make check runs
#     on this tree too, and scripts/exercise-test.sh (make lint) checks
#     that each exercise still applies and builds.
# Before: make all selftests (make check does).  About two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/grade-test
rm -rf "$out"
mkdir -p "$out"
status=0
fail() {
	echo "grade-test: $*"
	status=1
}

# The last line of what $1 printed, kept in $out/$2.
last() {
	tail -n 1 "$out/$1"
}

rst=Documentation/labs/02-counters.rst
selftests/toyslab/lab_grade.sh key "$rst" > "$out/right"
m=$(grep -c . "$out/right")
first=$(head -n 1 "$out/right")
sed '1s/=.*/= 999/' "$out/right" > "$out/answers"
scripts/grade-lab.sh grade 2 "$out/answers" > "$out/lab.out" 2>&1 || true
if [[ $(last lab.out) != "grade: $((m - 1)) of $m" ]] ||
	! grep -q "^  wrong  ${first%% =*} .*yours: 999   true: ${first#* = }\$" "$out/lab.out"; then
	fail "make grade LAB=2 did not grade one wrong answer of $m:"
	cat "$out/lab.out"
fi
echo "grade-test: make grade LAB=2: $(last lab.out), as it should"

scripts/grade-exercise.sh drain_array . > "$out/reference.out" 2>&1 || true
total=$(sed -n 's/^grade: [0-9]* of //p' "$out/reference.out")
if [[ -z $total || $(last reference.out) != "grade: $total of $total" ]]; then
	fail "the reference solution of drain_array does not score full marks:"
	cat "$out/reference.out"
fi
echo "grade-test: make grade EX=drain_array DIR=.: $(last reference.out), as it should"

scripts/exercise.py make drain_array "$out/drain_array" > /dev/null
scripts/grade-exercise.sh drain_array "$out/drain_array" > "$out/stub.out" 2>&1 || true
score=$(sed -n 's/^grade: \([0-9]*\) of [0-9]*$/\1/p' "$out/stub.out")
if [[ -z $score || -z $total ]] || ((score >= total)); then
	fail "the blanked drain_array is not graded below full marks:"
	cat "$out/stub.out"
fi
echo "grade-test: make grade EX=drain_array, blanked: $(last stub.out), as it should"
exit $status
