#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: shell.sh - make vm's mode: load toyslab and hand the console to an
# interactive shell; its exit status is the VM's.
set -eu
insmod /lib/toyslab/toyslab.ko
cat <<'BANNER'

toyslab is loaded.  Things to try:
  ls /sys/kernel/debug/toyslab
  echo 'create demo 128' > /sys/kernel/debug/toyslab/control
  cat /sys/kernel/debug/toyslab/slabinfo
  cat /sys/kernel/debug/toyslab/caches/demo/map
  toyslab-top                          live view: j/k pick a cache, s sort, q quit
  /kselftest/run_kselftest.sh          every selftest, as make check runs them
  rmmod toyslab; insmod /lib/toyslab/toyslab.ko
Leave with exit (or Ctrl-D); Ctrl-A X kills the VM.

BANNER
setsid cttyhack sh -l
