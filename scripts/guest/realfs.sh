#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: realfs.sh - make realfs's mode: load toyslab, run the kernel's
# own filesystems on it (selftests/toyslab/realfs_test.sh: minix and vfat
# under a workload from two CPUs) and the kernel's test modules of the
# slab API (dropin_test.sh), unload toyslab, and say:
#   realfs: PASS                       or  realfs: FAIL (WHAT)
# Fails if either test fails or skips, or toyslab does not unload.
set -u
insmod /lib/toyslab/toyslab.ko
failed=
sh /kselftest/toyslab/realfs_test.sh || failed="filesystems"
sh /kselftest/toyslab/dropin_test.sh || failed="${failed:+$failed, }test modules"
rmmod toyslab || failed="${failed:+$failed, }rmmod toyslab"
if [ -z "$failed" ]; then
	echo "realfs: PASS"
else
	echo "realfs: FAIL ($failed)"
	exit 1
fi
