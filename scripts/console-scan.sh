#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/console-scan.sh [-t LETTERS] LOG
#
# Fails, printing what it found, if the guest's console log LOG shows the
# kernel in trouble: a line matching a pattern below, or a taint on the
# guest's end line ("GUEST: end ... tainted=N", which the init of every
# guest of scripts/qemu-lib.sh prints last) other than LETTERS, by
# default OE (O: out-of-tree module, E: unsigned module).  toyslab's own
# reports of a caller's mistakes never use these words.
set -euo pipefail
allowed=OE
if [[ ${1:-} == -t ]]; then
	allowed=$2
	shift 2
fi
log=${1:?usage: scripts/console-scan.sh [-t LETTERS] LOG}

patterns=(
	'WARNING:'			# WARN_ON() and friends
	'BUG:'				# BUG_ON(), sleeping in atomic, bad page...
	'Oops'
	'Kernel panic'
	'soft lockup|hard LOCKUP'
	'rcu: INFO: .* stall'
	'KASAN:'				# its reports (BUG: KASAN: ...) and the GPF hint
	# lockdep's reports, each also under a WARNING: or BUG: headline
	# (lockdep alone would match the debug kernel's boot line "RCU
	# lockdep checking is enabled")
	'possible circular locking|possible recursive locking|inconsistent lock state'
	'suspected memory leak'		# kmemleak's scan (the debug kernel)
	'list_(add|del) corruption'	# DEBUG_LIST
	'Call Trace:'
)
regex=$(IFS='|'; echo "${patterns[*]}")
found=0

hits=$(tr -d '\r' < "$log" | grep -nE "$regex" || true)
if [[ $hits ]]; then
	echo "console: the kernel reported trouble (first lines, with line numbers):"
	head -n 20 <<< "$hits" | sed 's/^/  /'
	found=1
fi

# Taint flags by bit, as in Documentation/admin-guide/tainted-kernels.rst.
flags=PFSRMBUDAWCIOELKXTN
mask=0
for ((bit = 0; bit < ${#flags}; bit++)); do
	if [[ $allowed == *${flags:bit:1}* ]]; then
		mask=$((mask | 1 << bit))
	fi
done
tainted=$(tr -d '\r' < "$log" | sed -n 's/^[a-z-]*: end .*tainted=\([0-9]*\)$/\1/p' | tail -n 1)
bad=$((${tainted:-0} & ~mask))
if ((bad)); then
	letters=
	for ((bit = 0; bit < ${#flags}; bit++)); do
		if ((bad & (1 << bit))); then
			letters+=${flags:bit:1}
		fi
	done
	echo "console: kernel tainted $tainted: $letters, beyond $allowed"
	found=1
fi
exit $found
