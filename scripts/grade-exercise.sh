#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/grade-exercise.sh NAME DIR
#
# make grade EX=NAME [DIR=...]: grades the student's tree DIR, which make
# exercise EX=NAME wrote with one function blanked (exercises/NAME.ex,
# scripts/exercise.py), by the checks the exercise names:
#   - each selftest program, run in the VM (scripts/vm.sh check) on the
#     student's toyslab.ko, with this tree's selftests;
#   - each comparison scenario, played on the real SLAB and on the
#     student's toyslab (compare/compare.sh, on NODES of the exercise);
#   - for each of the two VMs, no kernel trouble on its console
#     (scripts/console-scan.sh), and an end within 4 minutes.
# Prints "pass" or "fail" per check, then "grade: N of M".  If the tree
# does not build, every check fails.  The modules, logs and consoles go
# to build/grade/NAME/.  Exits 2 on a bad NAME or DIR, else 0, whatever
# the score.  Before: make selftests (make grade does).
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:?usage: scripts/grade-exercise.sh NAME DIR}
dir=${2:?usage: scripts/grade-exercise.sh NAME DIR}
spec=$(scripts/exercise.py show "$name") || exit 2
field() { sed -n "s/^$1 //p" <<< "$spec"; }
read -r -a selftests <<< "$(field selftests)"
read -r -a scenarios <<< "$(field scenarios)"
file=$(field file) func=$(field function) nodes=$(field nodes)
if [[ ! -e $dir/$file ]]; then
	echo "grade: $dir has no $file: make exercise EX=$name DIR=$dir writes it" >&2
	exit 2
fi
dir=$(cd "$dir" && pwd)
out=build/grade/$name
# Each VM's watchdog: the reference's take well under a minute, and a
# student's code that hangs must not hold the grade for long.
timeout=240
rm -rf "$out"
mkdir -p "$out"
scripts/deps.sh 6.1 > /dev/null
scripts/deps.sh kbuild > /dev/null

pass=0 total=0
check() {
	local verdict=$1 what=$2 why=$3

	total=$((total + 1))
	if [[ $verdict == pass ]]; then
		pass=$((pass + 1))
	fi
	printf '  %-4s  %-34s %s\n' "$verdict" "$what" "$why"
}

echo "grade: exercise $name: $func() in $dir/$file"

# The student's module, for the VM's kernel, beside its sources.
built=1
if ! make -C build/kernel-6.1/build M="$dir" modules > "$out/build.log" 2>&1; then
	built=0
	grep -E 'error' "$out/build.log" | head -n 20 | sed 's/^/  /'
	echo "grade: $dir does not build ($out/build.log): every check fails"
fi

# The selftests, in the VM: each program's own KTAP verdict.
start=$SECONDS
if ((built)); then
	tests=$(IFS=,; echo "${selftests[*]}")
	KERNEL=6.1 CPUS=2 NODES=1 MEM=1G KO="$dir/toyslab.ko" TESTS=$tests \
		TIMEOUT=$timeout scripts/vm.sh check > "$out/vm.out" 2>&1 || true
	cp build/vm.log "$out/vm.log"
fi
for t in "${selftests[@]}"; do
	if ((built)) && grep -Eq "^ok [0-9]+ selftests: toyslab: $t(\\.sh)?$" "$out/vm.log"; then
		check pass "$t" "selftest"
	else
		check fail "$t" "selftest (see $out/vm.log)"
	fi
done
if ((built)) && scripts/console-scan.sh "$out/vm.log" > "$out/vm-scan.txt" 2>&1 &&
	grep -q '^toyslab-vm: end ' "$out/vm.log"; then
	check pass "console of the selftests' VM" "no kernel trouble"
else
	check fail "console of the selftests' VM" "kernel trouble, or it did not end ($out/vm-scan.txt)"
fi
echo "grade: the selftests took $((SECONDS - start)) s"

# The scenarios, beside the real SLAB: "=== NAME: N steps, D differing
# column(s), E expected, F failed command(s)" must say 0 and 0.
start=$SECONDS
paths=()
for s in "${scenarios[@]}"; do
	paths+=("compare/scenarios/$s.scn")
done
log=$out/compare/console-${nodes}node.log
if ((built)); then
	(unset VARIANT CPUS MEM SERIAL
	 SRC="$dir" OUT="$out/compare" NODES=$nodes TIMEOUT=$timeout \
		compare/compare.sh "${paths[@]}") \
		> "$out/compare.out" 2>&1 || true
fi
for s in "${scenarios[@]}"; do
	if ((built)) && [[ -e $log ]] &&
		grep -Eq "^=== $s: [0-9]+ steps, 0 differing column\\(s\\), [0-9]+ expected, 0 failed command\\(s\\)$" "$log"; then
		check pass "$s" "scenario: the real SLAB's counters"
	else
		check fail "$s" "scenario (see $out/compare.out)"
	fi
done
if ((built)) && [[ -e $log ]] && scripts/console-scan.sh "$log" > "$out/compare-scan.txt" 2>&1 &&
	grep -q '^compare: end ' "$log"; then
	check pass "console of the comparison's VM" "no kernel trouble"
else
	check fail "console of the comparison's VM" "kernel trouble, or it did not end ($out/compare-scan.txt)"
fi
echo "grade: the comparison took $((SECONDS - start)) s"
echo "grade: $pass of $total"
