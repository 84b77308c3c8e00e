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
# or 'kmalloc' alone: then every kmalloc class of toyslab's slabinfo is
# compared with the real one of the same name, in the columns that its
# making decides (objsize objperslab pagesperslab limit batchcount
# sharedfactor), and the two must have the same classes; the real ones
# serve the whole kernel, so their counters are not compared.
# Otherwise every other line is 'CPU COMMAND':
#   CPU alloc N [node=N] | free N | free-all | shrink | reap   ctl verbs
#   CPU alloc-bulk N | free-bulk N                    ctl's bulk verbs
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

# Steps run from this shell, moved to the step's CPU first, and write with
# its built-in echo: a TCG guest takes tens of milliseconds to start a
# program, so a step starts none but for a move (one taskset, and only
# when the CPU changes) and show()'s one awk.  on_cpu is where the shell
# is pinned now, empty when it may run anywhere.
on_cpu=
pin() {
	[ "$1" = "$on_cpu" ] && return
	taskset -p -c "$1" $$ > /dev/null
	on_cpu=$1
}

# Every CPU: the kernel keeps those it has of the mask.
unpin() {
	taskset -p ffffffff $$ > /dev/null
	on_cpu=
}

step=0
diffs=0
expected_diffs=0
failed=0
counts=/tmp/counts.$$

# Print both lines of NAME's numbers (the real one from /proc/slabinfo,
# toyslab's), a marker under each differing column; count them.
show() {
	awk -v n="$name" -v cols="$columns" -v short="$short" -v allowed="$allowed" \
		-v counts="$counts" '
	# The numbers of the line of the cache, without the labels.
	$1 == n {
		side = FILENAME == ARGV[1] ? "real" : "toy"
		k = 0
		for (i = 2; i <= NF; i++)
			if ($i ~ /^[0-9]+$/)
				v[side, ++k] = $i
		nr[side] = k
	}
	END {
		if (!nr["real"] || !nr["toy"]) {
			print (nr["real"] ? "toy" : "real") > counts
			exit
		}
		split(cols, c, " "); split(short, s, " ")
		hdr = "      "; rl = "real  "; tl = "toy   "; ml = "      "
		bad = 0; ok = 0; names = ""
		for (i = 1; i <= nr["real"]; i++) {
			r = v["real", i]; t = v["toy", i]
			hdr = hdr sprintf(" %6s", s[i])
			rl = rl sprintf(" %6s", r); tl = tl sprintf(" %6s", t)
			if (r == t) {
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
		print bad, ok > counts
	}' /proc/slabinfo "$toy_dir/slabinfo"
	read -r bad ok < "$counts"
	case $bad in
	real) echo "run-scenario: $name is not in /proc/slabinfo (merged?)" >&2; exit 2 ;;
	toy) echo "run-scenario: $name is not in toyslab's slabinfo" >&2; exit 2 ;;
	esac
	diffs=$((diffs + bad))
	expected_diffs=$((expected_diffs + ok))
}

# The kmalloc classes, side by side: a line per class, a marker under
# each differing column; a class only one side has counts as a
# difference.  Columns 3 to 8 of a line's numbers are its making's.
compare_kmalloc() {
	echo "=== $base: the kmalloc classes"
	awk -v counts="$counts" '
	$1 ~ /^(dma-)?kmalloc-/ {
		side = FILENAME == ARGV[1] ? "real" : "toy"
		k = 0
		for (i = 2; i <= NF && k < 8; i++)
			if ($i ~ /^[0-9]+$/)
				v[side, $1, ++k] = $i
		seen[$1] = seen[$1] " " side
		if (side == "toy")
			order[++n] = $1
	}
	END {
		bad = 0
		printf "%-17s %-5s %5s %5s %5s %5s %5s %5s\n", "class", "", "osz", "ops", "pps", "lim", "bat", "shf"
		for (j = 1; j <= n; j++) {
			c = order[j]
			if (seen[c] !~ /real/) {
				print c ": only in toyslab"
				bad++
				continue
			}
			rl = sprintf("%-17s real ", c); tl = sprintf("%-17s toy  ", ""); ml = ""
			diff = 0
			for (k = 3; k <= 8; k++) {
				rl = rl sprintf(" %5s", v["real", c, k])
				tl = tl sprintf(" %5s", v["toy", c, k])
				if (v["real", c, k] != v["toy", c, k]) {
					ml = ml "    <>"
					diff++
				} else {
					ml = ml "      "
				}
			}
			print rl; print tl
			if (diff) {
				print sprintf("%-23s", "") ml
				bad += diff
			}
		}
		for (c in seen)
			if (seen[c] !~ /toy/) {
				print c ": only in the real SLAB"
				bad++
			}
		print bad, n > counts
	}' /proc/slabinfo "$toy_dir/slabinfo"
	read -r bad classes < "$counts"
	rm -f "$counts"
	echo "=== $base: $classes classes, $bad differing column(s)"
	[ "$bad" = 0 ] && [ "$classes" -gt 0 ]
}

# The header line.
header=$(grep -v '^[[:space:]]*#' "$scn" | grep -v '^[[:space:]]*$' | head -n 1)
if [ "$header" = kmalloc ]; then
	# Under CONFIG_DEBUG_SLAB the real classes carry red zones and
	# poison, which toyslab's do not.
	if [ -n "$extra_flags" ]; then
		echo "=== $base: skipped: the real classes have $extra_flags"
		exit 0
	fi
	compare_kmalloc
	exit
fi
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
		pin "$cpu"
		echo "$name $2 $3 $4" > /proc/slabinfo || rc_real=1
		echo "$name $2 $3 $4" > "$toy_dir/slabinfo" || rc_toy=1
		;;
	offline | online)
		# One event that both allocators see: the status counts once.
		# Written from anywhere, as the shell may be on that very CPU.
		unpin
		v=0
		[ "$cmd" = offline ] || v=1
		if ! echo "$v" > "/sys/devices/system/cpu/cpu$cpu/online"; then
			rc_real=1 rc_toy=1
		fi
		;;
	drop-caches)
		pin "$cpu"
		if ! echo 2 > /proc/sys/vm/drop_caches; then
			rc_real=1 rc_toy=1
		fi
		;;
	*)
		pin "$cpu"
		echo "$cmd" > "$real_dir/caches/$name/ctl" || rc_real=1
		echo "$cmd" > "$toy_dir/caches/$name/ctl" || rc_toy=1
		;;
	esac
	if [ "$rc_real" != 0 ] || [ "$rc_toy" != 0 ]; then
		echo "  FAILED: real rc=$rc_real, toyslab rc=$rc_toy"
		failed=$((failed + 1))
	fi
	show
done < /tmp/scenario.$$
rm -f /tmp/scenario.$$ "$counts"

echo "=== $base: $step steps, $diffs differing column(s), $expected_diffs expected, $failed failed command(s)"
[ "$diffs" = 0 ] && [ "$failed" = 0 ]
