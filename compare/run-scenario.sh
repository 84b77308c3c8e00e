#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: run-scenario.sh [-x EXPECTED-DIFFERENCES] [-f FLAGS] SCENARIO.scn
#
# Runs INSIDE the comparison guest (busybox sh, the slab-stats kernel booted
# with slab_nomerge, toyslab.ko and slab_ctl.ko loaded, toyslab's reaper
# stopped).  Creates one real kmem_cache (slab_ctl) and one toyslab cache
# of the same size, alignment, flags and tunables, plays the scenario on
# both, each step pinned to its CPU, and after every step prints both
# slabinfo lines' counters side by side, marking each column that differs.
#
# Scenario: '#' comments and blank lines are skipped; the first line is
#   cache SIZE [align=N] [flags=F,...] [tunables LIMIT BATCHCOUNT SHARED]
#          [nodes=N]
# and every other line is 'CPU COMMAND':
#   CPU alloc N [node=N] | free N | free-all | shrink | reap   ctl verbs
#   CPU tune LIMIT BATCHCOUNT SHARED                  a slabinfo write
#   CPU offline | online          CPU hotplug of that CPU, which both see
#   CPU drop-caches               echo 2 > /proc/sys/vm/drop_caches: the
#                                 shrinkers run (toyslab has one, SLAB none)
# nodes=N: the scenario needs N NUMA nodes; with fewer it is skipped.
#
# EXPECTED-DIFFERENCES lines are 'COLUMN SCENARIO-GLOB  reason...': a
# difference in COLUMN is then reported but not counted for scenarios whose
# file name matches the glob.
#
# -f FLAGS adds flags (e.g. poison,red_zone,store_user) to both caches:
# under CONFIG_DEBUG_SLAB the real cache gets them anyway.
#
# Exit status: 0 if every step matched (but for expected differences),
# 1 if a column differed, 2 on a usage or setup error.
set -eu

usage() {
	echo "usage: run-scenario.sh [-x EXPECTED-DIFFERENCES] [-f FLAGS] SCENARIO.scn" >&2
	exit 2
}

expected=
extra_flags=
while [ $# -gt 1 ]; do
	case $1 in
	-x) expected=$2 ;;
	-f) extra_flags=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ $# -eq 1 ] || usage
scn=$1
[ -r "$scn" ] || { echo "run-scenario: cannot read $scn" >&2; exit 2; }

real_dir=/sys/kernel/debug/slab_ctl
toy_dir=/sys/kernel/debug/toyslab
[ -d "$real_dir" ] || { echo "run-scenario: slab_ctl.ko is not loaded" >&2; exit 2; }
[ -d "$toy_dir" ] || { echo "run-scenario: toyslab.ko is not loaded" >&2; exit 2; }
grep -qw slab_nomerge /proc/cmdline ||
	{ echo "run-scenario: boot with slab_nomerge" >&2; exit 2; }

base=$(basename "$scn" .scn)
name=$(echo "cmp_$base" | tr -c 'A-Za-z0-9_\n-' '_' | cut -c1-31)

# The columns of slabinfo 2.1 (statistics), after the name.
columns="active_objs num_objs objsize objperslab pagesperslab limit batchcount sharedfactor active_slabs num_slabs sharedavail listallocs maxobjs grown reaped error maxfreeable nodeallocs remotefrees alienoverflow allochit allocmiss freehit freemiss"
short="act num osz ops pps lim bat shf aslb nslb savl lsta maxo grow reap err mfre nall rfre aovf ahit amis fhit fmis"

# Columns whose difference this scenario expects, as one spaced list.
allowed=" "
if [ -n "$expected" ]; then
	while read -r col glob _; do
		case $col in '#'* | '') continue ;; esac
		# shellcheck disable=SC2254
		case "$base.scn" in $glob) allowed="$allowed$col " ;; esac
	done < "$expected"
fi

# Write one command to a file from a shell pinned to a CPU.
pinned_write() {
	# shellcheck disable=SC2016
	taskset "$(printf %x $((1 << $1)))" sh -c 'echo "$1" > "$2"' sh "$2" "$3"
}

# The numbers of NAME's line in a slabinfo file, without the labels.
counters() {
	awk -v n="$name" '$1 == n {
		out = ""
		for (i = 2; i <= NF; i++)
			if ($i ~ /^[0-9]+$/)
				out = out " " $i
		print substr(out, 2)
	}' "$1"
}

step=0
diffs=0
expected_diffs=0
failed=0

# Print both lines, a marker under each differing column; count them.
show() {
	real=$(counters /proc/slabinfo)
	toy=$(counters "$toy_dir/slabinfo")
	[ -n "$real" ] || { echo "run-scenario: $name is not in /proc/slabinfo (merged?)" >&2; exit 2; }
	[ -n "$toy" ] || { echo "run-scenario: $name is not in toyslab's slabinfo" >&2; exit 2; }
	out=$(echo "$real
$toy" | awk -v cols="$columns" -v short="$short" -v allowed="$allowed" '
	NR == 1 { nr = split($0, r, " ") }
	NR == 2 { split($0, t, " ") }
	END {
		split(cols, c, " "); split(short, s, " ")
		hdr = "      "; rl = "real  "; tl = "toy   "; ml = "      "
		bad = 0; ok = 0; names = ""
		for (i = 1; i <= nr; i++) {
			hdr = hdr sprintf(" %6s", s[i])
			rl = rl sprintf(" %6s", r[i]); tl = tl sprintf(" %6s", t[i])
			if (r[i] == t[i]) {
				ml = ml "       "
			} else if (index(allowed, " " c[i] " ")) {
				ml = ml "      ~"; ok++; names = names " " c[i] "(expected)"
			} else {
				ml = ml "     <>"; bad++; names = names " " c[i]
			}
		}
		print hdr; print rl; print tl
		if (bad + ok) {
			print ml
			print "      differs:" names
		}
		printf "#counts %d %d\n", bad, ok
	}')
	echo "$out" | grep -v '^#counts'
	# shellcheck disable=SC2046
	set -- $(echo "$out" | sed -n 's/^#counts //p')
	diffs=$((diffs + $1))
	expected_diffs=$((expected_diffs + $2))
}

# The header line.
header=$(grep -v '^[[:space:]]*#' "$scn" | grep -v '^[[:space:]]*$' | head -n 1)
# shellcheck disable=SC2086
set -- $header
if [ "${1:-}" != cache ] || [ $# -lt 2 ]; then
	echo "run-scenario: $scn: the first line must be 'cache SIZE ...'" >&2
	exit 2
fi
size=$2
shift 2
opts=
flags=
tunables=
while [ $# -gt 0 ]; do
	case $1 in
	align=*) opts="$opts $1"; shift ;;
	flags=*) flags=${1#flags=}; shift ;;
	nodes=*)
		need=${1#nodes=}
		have=$(find /sys/devices/system/node -maxdepth 1 -name 'node[0-9]*' | wc -l)
		if [ "$have" -lt "$need" ]; then
			echo "=== $base: skipped: needs $need NUMA nodes, the guest has $have"
			exit 0
		fi
		shift
		;;
	tunables)
		[ $# -ge 4 ] || { echo "run-scenario: tunables needs 3 numbers" >&2; exit 2; }
		tunables="$2 $3 $4"
		shift 4
		;;
	*) echo "run-scenario: $scn: unknown '$1' in the cache line" >&2; exit 2 ;;
	esac
done

if [ -n "$extra_flags" ]; then
	flags=${flags:+$flags,}$extra_flags
fi
[ -z "$flags" ] || opts="$opts flags=$flags"

cleanup() {
	echo free-all > "$real_dir/caches/$name/ctl" 2>/dev/null || true
	echo free-all > "$toy_dir/caches/$name/ctl" 2>/dev/null || true
	echo "destroy $name" > "$real_dir/control" 2>/dev/null || true
	echo "destroy $name" > "$toy_dir/control" 2>/dev/null || true
}
trap cleanup EXIT

echo "=== $base: cache $name $size$opts${tunables:+ tunables $tunables}"
echo 0 > "$toy_dir/reap_interval_ms"
echo "create $name $size$opts" > "$real_dir/control" ||
	{ echo "run-scenario: slab_ctl refused: create $name $size$opts" >&2; exit 2; }
echo "create $name $size$opts" > "$toy_dir/control" ||
	{ echo "run-scenario: toyslab refused: create $name $size$opts" >&2; exit 2; }
if [ -n "$tunables" ]; then
	echo "$name $tunables" > /proc/slabinfo
	echo "$name $tunables" > "$toy_dir/slabinfo"
fi
echo "[0] created"
show

grep -v '^[[:space:]]*#' "$scn" | grep -v '^[[:space:]]*$' | tail -n +2 > /tmp/scenario.$$
while read -r cpu cmd; do
	step=$((step + 1))
	echo "[$step] cpu$cpu $cmd"
	rc_real=0 rc_toy=0
	case $cmd in
	tune\ *)
		# shellcheck disable=SC2086
		set -- $cmd
		pinned_write "$cpu" "$name $2 $3 $4" /proc/slabinfo || rc_real=$?
		pinned_write "$cpu" "$name $2 $3 $4" "$toy_dir/slabinfo" || rc_toy=$?
		;;
	offline | online)
		# One event that both allocators see: the status counts once.
		v=0
		[ "$cmd" = offline ] || v=1
		if ! echo "$v" > "/sys/devices/system/cpu/cpu$cpu/online"; then
			rc_real=1 rc_toy=1
		fi
		;;
	drop-caches)
		if ! pinned_write "$cpu" 2 /proc/sys/vm/drop_caches; then
			rc_real=1 rc_toy=1
		fi
		;;
	*)
		pinned_write "$cpu" "$cmd" "$real_dir/caches/$name/ctl" || rc_real=$?
		pinned_write "$cpu" "$cmd" "$toy_dir/caches/$name/ctl" || rc_toy=$?
		;;
	esac
	if [ "$rc_real" != 0 ] || [ "$rc_toy" != 0 ]; then
		echo "  FAILED: real rc=$rc_real, toyslab rc=$rc_toy"
		failed=$((failed + 1))
	fi
	show
done < /tmp/scenario.$$
rm -f /tmp/scenario.$$

echo "=== $base: $step steps, $diffs differing column(s), $expected_diffs expected, $failed failed command(s)"
[ "$diffs" = 0 ] && [ "$failed" = 0 ]
