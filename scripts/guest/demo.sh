#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: demo.sh - the tour make demo shows: each command, then its output.
set -eu

run() {
	echo "\$ $*"
	"$@"
}

run insmod /lib/toyslab/toyslab.ko
run find /sys/kernel/debug/toyslab
run rmmod toyslab
run test ! -e /sys/kernel/debug/toyslab
