#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/exercise-test.sh KDIR
#
# make lint's test of the coding exercises (exercises/*.ex), on the host:
# for each, make exercise still applies (scripts/exercise.py finds the
# function, once, and blanks its body), the copy's blanked file compiles
# against KDIR with W=1 and not one warning, and every selftest and
# scenario the exercise is graded by exists.  So an edit that moves,
# renames or duplicates an exercise's function, or a test it names, fails
# lint.  make check grades one exercise end to end (scripts/grade-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
kdir=${1:?usage: scripts/exercise-test.sh KDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
	echo "exercise-test: $*"
	status=1
}

mapfile -t exercises < <(scripts/exercise.py list)
((${#exercises[@]})) || fail "no exercise in exercises/"
for name in "${exercises[@]}"; do
	if ! spec=$(scripts/exercise.py show "$name") ||
		! scripts/exercise.py make "$name" "$tmp/$name" > /dev/null; then
		fail "$name: make exercise does not apply"
		continue
	fi
	file=$(sed -n 's/^file //p' <<< "$spec")
	cmp -s "$file" "$tmp/$name/$file" && fail "$name: $file was not changed"
	grep -q "TODO (make exercise EX=$name)" "$tmp/$name/$file" ||
		fail "$name: $file has no TODO"
	if ! out=$(make -C "$kdir" M="$tmp/$name" W=1 "${file%.c}.o" 2>&1) ||
		grep -iE 'warning:|error:' <<< "$out"; then
		fail "$name: the blanked $file does not build W=1 clean"
	fi
	read -r -a selftests <<< "$(sed -n 's/^selftests //p' <<< "$spec")"
	read -r -a scenarios <<< "$(sed -n 's/^scenarios //p' <<< "$spec")"
	for t in "${selftests[@]}"; do
		[[ -e selftests/toyslab/$t.c || -e selftests/toyslab/$t.sh ]] ||
			fail "$name: no selftest $t"
	done
	for s in "${scenarios[@]}"; do
		[[ -e compare/scenarios/$s.scn ]] || fail "$name: no scenario $s"
	done
done
if ((status == 0)); then
	echo "exercise-test: ${#exercises[@]} exercises apply and build W=1 clean"
fi
exit $status
