#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/lint.sh KDIR TREE
#
# Fails on any finding of: checkpatch --strict (from the kernel-tree
# skeleton TREE) on the C files of the module (the top level), of its
# KUnit suite (kunit/), of the benchmark (bench/), of the comparison's
# slab_ctl (compare/), of selftests/toyslab and of tools/toyslab-top;
# every shell script's shellcheck; a Python file that does not compile,
# or a failing case of scripts/slabpic-test.py; a file in git without its
# SPDX-License-Identifier line; a build of the module and of slab_ctl
# against KDIR with W=1 and sparse on every file (C=2), where any warning
# counts; and the teacher's kit: every lab's predictions and their
# grading (scripts/lab-grade-test.sh), every exercise's blanking and stub
# (scripts/exercise-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
kdir=$1 tree=$2
status=0

echo "  LINT    checkpatch --strict"
checkpatch=(perl "$tree/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types -f)
mapfile -t module < <(find . kunit bench compare -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' ! -name compat.h ! -name toyslab_dropin.h | sort)
"${checkpatch[@]}" "${module[@]}" || status=1
# compat.h is the one place that compares kernel versions, as a module
# built for 6.1 and 6.12 must, and its macros keep one signature for both,
# so that one kernel's expansion drops an argument.
if [[ -e compat.h ]]; then
	"${checkpatch[@]}" --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED \
		compat.h || status=1
fi
# toyslab_dropin.h redefines the kernel's macros as the kernel writes
# them: KMEM_CACHE()'s struct and kfree_rcu()'s rcu_head field are names,
# used twice each, with nothing to evaluate.
"${checkpatch[@]}" --ignore MACRO_ARG_REUSE toyslab_dropin.h || status=1
# The selftests are user space, where some rules do not hold: the
# harness's ASSERT_*() and EXPECT_*() are two statements each (the check,
# then a for() that logs and bails out), so a loop around a single one
# needs the braces BRACES calls unnecessary; there are no u64 types and no
# attribute macros; volatile is how a test keeps the compiler from eliding
# the memory it touches; strings are test data, trailing blanks included.
# cache_util.h's TS_CACHE_FIXTURE() defines a whole fixture, as the
# harness's FIXTURE() does: declarations and functions, which checkpatch
# takes for statements, and which name the fixture and its cache more
# than once.
selftest_ignore=BRACES,PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO
selftest_ignore+=,VOLATILE,QUOTED_WHITESPACE_BEFORE_NEWLINE
mapfile -t selftests < <(find selftests/toyslab -maxdepth 1 -name '*.[ch]' ! -name cache_util.h | sort)
"${checkpatch[@]}" --ignore "$selftest_ignore" "${selftests[@]}" || status=1
"${checkpatch[@]}" --ignore "$selftest_ignore,MULTISTATEMENT_MACRO_USE_DO_WHILE,MACRO_ARG_REUSE" \
	selftests/toyslab/cache_util.h || status=1

# toyslab-top is user space too.
"${checkpatch[@]}" --ignore PREFER_KERNEL_TYPES tools/toyslab-top/*.c || status=1

echo "  LINT    shellcheck"
mapfile -t scripts < <(find . -path ./build -prune -o -name '*.sh' -print | sort)
shellcheck "${scripts[@]}" scripts/guest/* .ci/run || status=1

# The host-side Python: it must compile, and the picture renderer's tests
# (fast, no VM) must pass.
echo "  LINT    python"
mapfile -t python < <(git ls-files -- '*.py')
python3 -c 'import sys
for f in sys.argv[1:]:
    compile(open(f).read(), f, "exec")' "${python[@]}" || status=1
scripts/slabpic-test.py || status=1

# Every file says its license in its first lines, but for the charts
# (PNG) and the kernel patches, which, like the kernel's own, are under
# the license of the files they patch.
echo "  LINT    SPDX"
while read -r f; do
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0' ||
		{ echo "$f: no SPDX-License-Identifier: GPL-2.0 line"; status=1; }
done < <(git ls-files -- ':!*.png' ':!*.patch')

# slab_ctl is meant for the comparison kernel, but builds against any:
# it looks up the one function only that kernel has at run time.
echo "  LINT    W=1 C=2 build"
for dir in "$PWD" "$PWD/compare"; do
	out=$(make -C "$kdir" M="$dir" W=1 C=2 modules 2>&1) || { echo "$out"; exit 1; }
	if grep -iE 'warning:|error:' <<< "$out"; then
		status=1
	fi
done
# The teacher's kit: each lab's predictions and the grader, on the host;
# each exercise still applies to the code, and its stub builds W=1 clean.
echo "  LINT    labs' predictions, exercises"
scripts/lab-grade-test.sh || status=1
scripts/exercise-test.sh "$kdir" || status=1
exit $status
