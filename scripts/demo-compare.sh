#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: [KERNEL=6.1|6.12] scripts/demo-compare.sh [EN.log ZH.log]
#
# The Chinese tour (make demo LANG=zh_CN) must show what the English one
# shows.  Runs the tour in the VM in both languages (scripts/vm.sh demo,
# the second with TOUR_LANG=zh_CN), keeping the outputs in
# build/tour-en.log and build/tour-zh_CN.log, or compares two such outputs
# given as arguments.  Every line but the prose must be the same: the
# commands, the files they show, their figures.  The prose (a step's
# "=== " title and its text, the lines indented by exactly four spaces)
# must hold the same numbers in the same order in both, and the Chinese
# no "[untranslated]" text.  Before: make all selftests.
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# == 2)); then
	en=$1 zh=$2
else
	en=build/tour-en.log zh=build/tour-zh_CN.log
	scripts/vm.sh demo > "$en"
	TOUR_LANG=zh_CN scripts/vm.sh demo > "$zh"
fi

prose='^(=== |    [^ ])'
# Not prose, nor what differs from boot to boot: the kernel's messages,
# stamped with the time since boot, and the line "toyslab-vm: up in
# SECONDS s".
rest() { grep -Ev "$prose|^\[ *[0-9]+\.[0-9]+\] |^toyslab-vm: up in " "$1"; }
numbers() { grep -E "$prose" "$1" | grep -o '[0-9]\+'; }

status=0
if ! diff -u <(rest "$en") <(rest "$zh"); then
	echo "demo-compare: the tours' commands or figures differ (above: - English, + Chinese)"
	status=1
fi
if ! diff -u <(numbers "$en") <(numbers "$zh") > /dev/null; then
	diff <(numbers "$en" | tr '\n' ' '; echo) <(numbers "$zh" | tr '\n' ' '; echo) || true
	echo "demo-compare: the tours' prose gives different numbers (< English, > Chinese)"
	status=1
fi
if grep -n 'untranslated' "$zh"; then
	echo "demo-compare: the Chinese tour lacks these texts: add them to scripts/guest/demo-zh_CN.sh"
	status=1
fi
steps_en=$(grep -c '^=== ' "$en" || true)
steps_zh=$(grep -c '^=== ' "$zh" || true)
if ((steps_en == 0 || steps_en != steps_zh)); then
	echo "demo-compare: $steps_en English steps, $steps_zh Chinese ones"
	status=1
fi
((status == 0)) && echo "demo-compare: the two tours agree: $steps_en steps, $(numbers "$en" | wc -l) numbers in the prose, $(rest "$en" | wc -l) other lines"
exit "$status"
