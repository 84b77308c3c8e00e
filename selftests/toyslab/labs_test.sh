#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: labs_test.sh [DOCS]
#
# The labs of Documentation/labs/ are tested documentation: every shell
# session in a lab is run here, command by command, and what each command
# prints must be what the lab says it prints.  A lab that drifts from the
# module fails.
#
# DOCS is a copy of Documentation/ (default: docs/ beside this program,
# where make selftests installs it).  The labs are the ones labs/index.rst
# lists, in its order.  labs.sh says how a lab writes its sessions
# (commands, and what each prints) and its predictions.
#
# The output must match line for line, except that trailing blanks are
# ignored (reStructuredText cannot keep them) and "[...]" in an expected
# line stands for any text within that line: hashed pointers, timestamps
# and code offsets, which change from boot to boot or build to build.
#
# Each lab runs in one sh process, from make vm's starting point: toyslab
# loaded, tracing idle, every CPU online, in /root.  The lab itself then
# reloads toyslab, pins the shell to CPU 0 and stops the reaper, as a
# student does, and must end with no cache left.  The labs are written
# for make vm's machine (2 CPUs, one node); elsewhere they are skipped.
# Each zh_CN translation must hold exactly the sessions of its English
# lab, so that both teach the same commands and numbers.
#
# Each lab's predictions are graded as make grade grades them
# (lab_grade.sh): they must be sound, the answers its own text gives must
# score full marks against what the lab printed here, and the same
# answers all made wrong must score 0.
#
# KTAP: one case per lab and per translation, the index included.
# With LABS_OUT=DIR, what each lab printed is kept in DIR/LAB.out;
# LABS_ONLY=LAB runs that lab only (make grade does), without the index
# and the translations.
set -u

here=$(cd "$(dirname "$0")" && pwd)
docs=${1:-$here/docs}
labs=$docs/labs
zh_labs=$docs/translations/zh_CN/labs
tracing=/sys/kernel/tracing
toyslab=/sys/kernel/debug/toyslab
ko=${TOYSLAB_KO:-/lib/toyslab/toyslab.ko}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/toyslab/labs.sh
. "$here/labs.sh"

# Compare what a lab printed ($2) with what it says ($1), command by
# command ($3: their first lines); print the differences as KTAP
# diagnostics, at most 40 lines.  Fails on any difference.
compare() {
	awk -v exp_file="$1" -v act_file="$2" -v cmd_file="$3" '
	# Does line s match pattern p, where "[...]" is any text?
	function matches(p, s,    n, i, part, pos, at, tail) {
		n = 0
		while ((i = index(p, "[...]")) > 0) {
			part[++n] = substr(p, 1, i - 1)
			p = substr(p, i + 5)
		}
		part[++n] = p
		if (n == 1)
			return s == p
		if (substr(s, 1, length(part[1])) != part[1])
			return 0
		pos = length(part[1]) + 1
		for (i = 2; i < n; i++) {
			at = index(substr(s, pos), part[i])
			if (!at)
				return 0
			pos += at - 1 + length(part[i])
		}
		tail = length(s) - length(part[n]) + 1
		return tail >= pos && substr(s, tail) == part[n]
	}
	# Lines of file by section: 0 before the first marker, then the
	# command number, then "end".
	function load(file, lines, count,    sec, line) {
		sec = 0
		while ((getline line < file) > 0) {
			sub(/[ \t]+$/, "", line)
			if (line ~ /^@@lab-command-[0-9]+$/) {
				sec = substr(line, 15) + 0
				continue
			}
			if (line == "@@lab-end") {
				sec = "end"
				count[sec] += 0
				continue
			}
			lines[sec, ++count[sec]] = line
		}
	}
	function say(s) {
		if (said++ < 40)
			print "# " s
	}
	BEGIN {
		while ((getline line < cmd_file) > 0) {
			tab = index(line, "\t")
			cmd[substr(line, 1, tab - 1) + 0] = substr(line, tab + 1)
			ncmd++
		}
		load(exp_file, e, ne)
		load(act_file, a, na)
		for (k = 0; k <= ncmd; k++) {
			same = ne[k] == na[k]
			for (j = 1; same && j <= ne[k]; j++)
				same = matches(e[k, j], a[k, j])
			if (same)
				continue
			bad++
			say(k ? "command " k ": $ " cmd[k] : "before the first command:")
			for (j = 1; j <= ne[k] || j <= na[k]; j++) {
				if (j <= ne[k] && j <= na[k] && matches(e[k, j], a[k, j]))
					continue
				if (j <= ne[k])
					say("  expected: " e[k, j])
				if (j <= na[k])
					say("  printed:  " a[k, j])
			}
		}
		if (!("end" in na)) {
			bad++
			say("the lab did not run to its end")
		} else if (na["end"]) {
			bad++
			say("printed after the last command: " a["end", 1])
		}
		if (said > 40)
			print "# (" said - 40 " more lines)"
		exit bad > 0
	}'
}

# make vm's starting point: toyslab loaded, every CPU online, tracing
# idle (no event, trigger or filter; default options; empty buffer).
reset() {
	for online in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ "$(cat "$online")" = 1 ] || echo 1 > "$online"
	done
	[ -d $toyslab ] || insmod "$ko"
	[ -d $tracing/events/toyslab ] || return 0
	echo 0 > $tracing/events/enable
	for event in "$tracing"/events/toyslab/*/; do
		grep -v '^#' "$event/trigger" | while read -r trigger; do
			echo "!${trigger%% *}" > "$event/trigger"
		done
		echo 0 > "$event/filter"
	done
	echo context-info > $tracing/trace_options
	echo > $tracing/trace
}

nr=0 pass=0 fail=0 skip=0
result() {
	nr=$((nr + 1))
	case $1 in
	ok) pass=$((pass + 1)); echo "ok $nr $2" ;;
	skip) skip=$((skip + 1)); echo "ok $nr $2 # SKIP $3" ;;
	*) fail=$((fail + 1)); echo "not ok $nr $2" ;;
	esac
}

# Grade lab $1's predictions with what it printed ($2): its own answers
# must score all, the same made wrong none.  The index has none.
grade_lab() {
	[ "$1" != index ] || return 0
	"$here/lab_grade.sh" check "$labs/$1.rst" | sed 's/^/# /' || return 1
	"$here/lab_grade.sh" key "$labs/$1.rst" > "$tmp/right"
	sed 's/=.*/= wrong/' "$tmp/right" > "$tmp/wrong"
	m=$(grep -c . "$tmp/right")
	"$here/lab_grade.sh" grade "$labs/$1.rst" "$tmp/right" "$2" > "$tmp/graded" &&
		"$here/lab_grade.sh" grade "$labs/$1.rst" "$tmp/wrong" "$2" >> "$tmp/graded" ||
		return 1
	if [ "$(grep '^grade: ' "$tmp/graded" | tr '\n' ' ')" != "grade: $m of $m grade: 0 of $m " ]; then
		echo "# labs/$1: its own answers do not grade $m of $m, or wrong ones 0:"
		grep -v '^  right ' "$tmp/graded" | sed -n '1,20s/^/# /p'
		return 1
	fi
	echo "# labs/$1: $m predictions, graded"
}

# Run lab $1 (a file name without .rst); its verdict.
run_lab() {
	n=$(extract "$labs/$1.rst" "$tmp/script" "$tmp/expected" "$tmp/cmds")
	echo "# labs/$1: ${n% *} commands, ${n#* } wildcards"
	if [ "${n% *}" = 0 ]; then
		echo "# labs/$1 has no session"
		return 1
	fi
	reset
	(cd /root 2>/dev/null || cd /; timeout 240 sh -s < "$tmp/script" > "$tmp/actual" 2>&1)
	[ -z "${LABS_OUT:-}" ] || cp "$tmp/actual" "$LABS_OUT/$1.out"
	verdict=0
	compare "$tmp/expected" "$tmp/actual" "$tmp/cmds" || verdict=1
	grade_lab "$1" "$tmp/actual" || verdict=1
	# toyslab's own kmalloc classes stay, and only they.
	left=
	for c in "$toyslab"/caches/*; do
		[ -e "$c" ] || continue
		case ${c##*/} in
		kmalloc-[0-9]* | kmalloc-cg-[0-9]* | kmalloc-rcl-[0-9]* | \
		dma-kmalloc-[0-9]*) ;;
		*) left="$left ${c##*/}" ;;
		esac
	done
	if [ -n "$left" ]; then
		echo "# labs/$1 left caches behind: $left"
		verdict=1
	fi
	return $verdict
}

echo "TAP version 13"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 4
fi
if ! grep -q '^[^ ]* /sys/kernel/debug debugfs ' /proc/mounts; then
	echo "1..0 # SKIP needs debugfs at /sys/kernel/debug"
	exit 4
fi
if [ ! -r "$labs/index.rst" ]; then
	echo "1..0 # SKIP no labs at $labs (make selftests installs them)"
	exit 4
fi
if [ ! -d $toyslab ] && [ ! -r "$ko" ]; then
	echo "1..0 # SKIP needs toyslab loaded, or \$TOYSLAB_KO (default $ko)"
	exit 4
fi

# The labs, as the index's toctree lists them.
lab_list=$(awk '
	/^\.\. toctree::/ { toc = 1; next }
	toc && /^[^ ]/ { toc = 0 }
	toc && /^ +[^ :][^ ]*$/ { sub(/^ +/, ""); print }' "$labs/index.rst")
if [ -n "${LABS_ONLY:-}" ]; then
	if ! echo "$lab_list" | grep -qx "$LABS_ONLY"; then
		echo "1..0 # SKIP labs/index.rst does not list $LABS_ONLY"
		exit 4
	fi
	lab_list=$LABS_ONLY
fi
nlabs=$(echo "$lab_list" | grep -c .)
if [ -n "${LABS_ONLY:-}" ]; then
	echo "1..1"
else
	echo "1..$((2 * nlabs + 2))"
fi

# The machine of make vm: the labs' numbers depend on it.
machine=
[ "$(cat /sys/devices/system/cpu/possible)" = 0-1 ] || machine="2 possible CPUs"
[ "$(cat /sys/devices/system/node/possible 2>/dev/null || echo 0)" = 0 ] ||
	machine="${machine:+$machine and }one node"

# The index: its own sessions, and every lab listed, so that none
# escapes the test.
unlisted=
for file in "$labs"/*.rst; do
	name=$(basename "$file" .rst)
	[ "$name" = index ] || echo "$lab_list" | grep -qx "$name" ||
		unlisted="$unlisted $name"
done
if [ -n "${LABS_ONLY:-}" ]; then
	:
elif [ -n "$unlisted" ]; then
	echo "# labs/index.rst does not list:$unlisted"
	result fail "labs/index"
elif [ -n "$machine" ]; then
	result skip "labs/index" "the labs need make vm's machine: $machine"
elif run_lab index; then
	result ok "labs/index"
else
	result fail "labs/index"
fi

for lab in $lab_list; do
	if [ -n "$machine" ]; then
		result skip "labs/$lab" "the labs need make vm's machine: $machine"
	elif [ ! -r "$labs/$lab.rst" ]; then
		echo "# labs/index.rst lists $lab, which does not exist"
		result fail "labs/$lab"
	elif run_lab "$lab"; then
		result ok "labs/$lab"
	else
		result fail "labs/$lab"
	fi
done

# A translation teaches the same sessions: same commands, same output;
# and the same predictions, if it has them yet (their questions in its
# own words).
[ -z "${LABS_ONLY:-}" ] || lab_list=
for lab in ${lab_list:+index} $lab_list; do
	if [ ! -r "$zh_labs/$lab.rst" ]; then
		echo "# translations/zh_CN/labs/$lab.rst is missing"
		result fail "zh_CN/labs/$lab"
		continue
	fi
	extract "$labs/$lab.rst" "$tmp/en.sh" "$tmp/en.out" "$tmp/en.cmds" "$tmp/en.p" >/dev/null
	extract "$zh_labs/$lab.rst" "$tmp/zh.sh" "$tmp/zh.out" "$tmp/zh.cmds" "$tmp/zh.p" >/dev/null
	cut -f 1-5,7 "$tmp/en.p" > "$tmp/en.preds"
	cut -f 1-5,7 "$tmp/zh.p" > "$tmp/zh.preds"
	if [ -s "$tmp/zh.preds" ] && ! cmp -s "$tmp/en.preds" "$tmp/zh.preds"; then
		echo "# zh_CN/labs/$lab.rst: its predictions differ from the English lab's:"
		diff "$tmp/en.preds" "$tmp/zh.preds" | sed -n '1,10s/^/# /p'
		result fail "zh_CN/labs/$lab"
	elif cmp -s "$tmp/en.sh" "$tmp/zh.sh" && cmp -s "$tmp/en.out" "$tmp/zh.out"; then
		result ok "zh_CN/labs/$lab"
	else
		echo "# zh_CN/labs/$lab.rst: its sessions differ from the English lab's:"
		diff "$tmp/en.sh" "$tmp/zh.sh" | sed -n '1,10s/^/# /p'
		diff "$tmp/en.out" "$tmp/zh.out" | sed -n '1,10s/^/# /p'
		result fail "zh_CN/labs/$lab"
	fi
done

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" = 0 ] || exit 1
[ "$pass" != 0 ] || exit 4
exit 0
