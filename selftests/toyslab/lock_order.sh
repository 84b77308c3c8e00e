#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: lock_order.sh SLAB_C ARCHITECTURE_RST
#
# Compares the lock order at the top of slab.c (its comment from "Lock
# order and context" on) with the copy that architecture.rst quotes in a
# literal block, and prints the differences as a diff (page, then code).
# Fails if they differ or if either is missing.  make htmldocs and
# docs_test.sh both check the quote with it.
set -eu

slab_c=$1
rst=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The comment's lines without their " * " (or " *").
awk '/^ \* Lock order and context$/ { on = 1 }
     on && /^ \*\/$/ { exit }
     on { sub(/^ \* ?/, ""); print }' "$slab_c" > "$tmp/code"

# The literal block's lines without their indent, up to the next line at
# column 0, without the blank lines at its end.
awk '/^   Lock order and context$/ { on = 1 }
     on && /^[^ ]/ { exit }
     on { sub(/^   /, ""); line[++n] = $0 }
     END {
	while (n > 0 && line[n] == "")
		n--
	for (i = 1; i <= n; i++)
		print line[i]
     }' "$rst" > "$tmp/doc"

if [ ! -s "$tmp/code" ]; then
	echo "$slab_c: no comment starting \"Lock order and context\""
	exit 1
fi
if [ ! -s "$tmp/doc" ]; then
	echo "$rst: no literal block starting \"Lock order and context\""
	exit 1
fi
diff "$tmp/doc" "$tmp/code"
