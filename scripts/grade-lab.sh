#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/grade-lab.sh template LAB [ANSWERS]
#        scripts/grade-lab.sh grade LAB ANSWERS
#
# A lab's predictions as a student's exercise (Documentation/teaching.rst).
# LAB is the lab's number (2) or name (02-counters).
#
#   template  make answers-template: writes the lab's predictions with a
#             blank for each to ANSWERS (default
#             build/grade/lab-NN-NAME.answers), which must not exist yet
#   grade     make grade LAB=: checks the answers file (a bad line stops
#             it here, before the VM), replays the lab in the VM
#             (scripts/guest/grade.sh) and prints, per prediction, right,
#             wrong or blank with the true value the VM printed, then
#             "grade: N of M"
#
# The grading itself is selftests/toyslab/lab_grade.sh, which the VM runs
# too.  Exits 2 on a bad lab or answers file, 1 if the VM failed, else 0,
# whatever the score.  Before grade: make all selftests (make grade does).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	echo "usage: scripts/grade-lab.sh template LAB [ANSWERS] | grade LAB ANSWERS" >&2
	exit 2
}
mode=${1:-} lab=${2:-}
[[ -n $lab ]] || usage

# The lab's file: its name, or its number with or without leading zeros.
labs=() all=
for file in Documentation/labs/[0-9]*-*.rst; do
	name=$(basename "$file" .rst)
	all+=" $name"
	if [[ $name == "$lab" ]] || [[ $lab =~ ^[0-9]+$ && $((10#${name%%-*})) == $((10#$lab)) ]]; then
		labs+=("$name")
	fi
done
if ((${#labs[@]} != 1)); then
	echo "grade: no lab $lab (the labs:$all)" >&2
	exit 2
fi
lab=${labs[0]}
rst=Documentation/labs/$lab.rst
grader=selftests/toyslab/lab_grade.sh

case $mode in
template)
	(($# <= 3)) || usage
	answers=${3:-build/grade/lab-$lab.answers}
	if [[ -e $answers ]]; then
		echo "grade: $answers exists: remove it, or give another ANSWERS=" >&2
		exit 2
	fi
	mkdir -p "$(dirname "$answers")"
	"$grader" template "$rst" > "$answers"
	echo "grade: wrote $answers: $(grep -c '^[a-z0-9-]* =' "$answers") predictions to make;"
	echo "grade: then make grade LAB=$((10#${lab%%-*})) ANSWERS=$answers"
	;;
grade)
	(($# == 3)) || usage
	answers=$3
	# A bad answers file is reported now, not after a boot.
	"$grader" grade "$rst" "$answers" > /dev/null
	mkdir -p build/grade
	cp "$answers" build/grade/answers
	# The labs' machine: two CPUs, one node, 1 GiB.
	status=0
	CPUS=2 NODES=1 MEM=1G KO=toyslab.ko APPEND="toyslab_lab=$lab" \
		EXTRA=build/grade/answers scripts/vm.sh grade > build/grade/vm.out 2>&1 ||
		status=$?
	echo "grade: lab $lab, replayed in the VM (console in build/vm.log)"
	# The guest's lines, without the kernel's messages between them.
	sed -n '/^grade-lab: begin$/,/^grade-lab: end$/p' build/vm.log |
		grep -Ev '^grade-lab: |^\[ *[0-9]+\.[0-9]+\] ' || true
	if ((status)); then
		sed -n '/^vm: /p' build/grade/vm.out
		echo "grade: the VM failed (build/grade/vm.out)"
		exit 1
	fi
	;;
*)
	usage
	;;
esac
