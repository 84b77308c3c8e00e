#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: check.sh - make check's mode: load toyslab, run every installed
# selftest through kselftest's run_kselftest.sh (KTAP on the console),
# unload toyslab, and count the test cases for scripts/summary.sh:
#   toyslab-vm: tests pass=N fail=N skip=N
# Fails if a case failed, none ran, or toyslab does not unload.
# toyslab_tests=NAME[,NAME...] on the kernel command line (make check
# TESTS=...) runs only those programs, e.g. stress_test.
set -eu
insmod /lib/toyslab/toyslab.ko
only=
for t in $(echo "${toyslab_tests:-}" | tr , ' '); do
	# Shell programs keep their .sh: labs_test finds labs_test.sh.
	[ -e "/kselftest/toyslab/$t" ] || [ ! -e "/kselftest/toyslab/$t.sh" ] ||
		t=$t.sh
	only="$only -t toyslab:$t"
done
# shellcheck disable=SC2086 # one word per option
/kselftest/run_kselftest.sh $only 2>&1 | tee /tmp/ktap

# A harness program counts its own cases ("# # Totals:", indented by the
# runner); any other program is one case.  A program that failed after
# its cases passed (crash, timeout) is one failure more.
counts=$(awk '
	/^# # Totals: / {
		for (i = 4; i <= NF; i++) { split($i, kv, ":"); t[kv[1]] = kv[2] }
		p = t["pass"] + t["xfail"]; f = t["fail"] + t["xpass"] + t["error"]
		s = t["skip"]; totals = 1
	}
	/^(not )?ok [0-9]+ selftests: / {
		bad = /^not ok/; skipped = / # SKIP/
		if (totals) { pass += p; fail += f; skip += s; if (bad && !f) fail++ }
		else if (bad) fail++; else if (skipped) skip++; else pass++
		totals = 0; ran++
	}
	/^1\.\.[0-9]+$/ { planned = substr($0, 4) }
	END {
		if (ran < planned) fail += planned - ran
		printf "pass=%d fail=%d skip=%d", pass, fail, skip
	}' /tmp/ktap)

rc=0
rmmod toyslab || { echo "check: toyslab did not unload"; rc=1; }

# On a kernel with kmemleak (KERNEL=debug): what the run left unreferenced.
# Objects younger than 5 s are not reported yet; the tests take minutes.
leaks=/sys/kernel/debug/kmemleak
if [ -e $leaks ]; then
	echo scan > $leaks
	n=$(grep -c '^unreferenced object' $leaks || true)
	echo "check: kmemleak: $n unreferenced objects"
	[ "$n" = 0 ] || { head -n 60 $leaks; rc=1; }
fi
echo "toyslab-vm: tests $counts"
case $counts in
*" fail=0 "*) ;;
*) rc=1 ;;
esac
case $counts in
"pass=0 fail=0 "*) echo "check: no test ran"; rc=1 ;;
esac
exit $rc
