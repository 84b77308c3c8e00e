#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/record-figures.sh
#
# make figures: plays scripts/guest/figures.sh in the VM and keeps each
# snapshot it dumps as Documentation/figures/NAME.snap, the bundle of the
# cache's views that make htmldocs draws (scripts/slabpic.py) for the
# labs' pages.  Run it when the labs' steps or the views change, and
# commit the snapshots.  Before: make all selftests (make figures does it).
set -euo pipefail
cd "$(dirname "$0")/.."

out=Documentation/figures
scripts/vm.sh figures > /dev/null || { tail -n 30 build/vm.log; exit 1; }
names=$(tr -d '\r' < build/vm.log | sed -n 's/^toyslab-figure: \([a-z0-9-]*\)$/\1/p' | grep -vx end)
[[ -n $names ]] || { echo "record-figures: no snapshot in build/vm.log" >&2; exit 1; }
for name in $names; do
	{
		echo "# SPDX-License-Identifier: GPL-2.0"
		echo "# Recorded by make figures (scripts/guest/figures.sh): do not edit."
		tr -d '\r' < build/vm.log |
			sed -n "/^toyslab-figure: $name\$/,/^toyslab-figure: end\$/p" |
			sed '1d;$d' | grep -v '^\[ *[0-9]*\.[0-9]*\]'
	} > "$out/$name.snap"
	echo "  FIGURE  $out/$name.snap"
done
