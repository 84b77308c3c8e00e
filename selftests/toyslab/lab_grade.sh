#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: lab_grade.sh check LAB.rst
#        lab_grade.sh template LAB.rst
#        lab_grade.sh key LAB.rst [OUTPUT]
#        lab_grade.sh grade LAB.rst ANSWERS [OUTPUT]
#
# A lab's predictions (its ".. predict::" directives, see labs.sh) as a
# student's exercise: make answers-template and make grade run it on the
# host, labs_test.sh and make grade's guest in the VM (busybox sh and awk).
#
#   check     the predictions are sound: at least one, unique ids, each
#             answered by a command of the lab whose printed output (as
#             the lab shows it) holds the value, without "[...]"
#   template  the answers file to fill in: each prediction's question and
#             command as comments, then "ID =" and a blank
#   key       the answers file filled in right: what a replay printed
#             (OUTPUT, the file LABS_OUT=DIR keeps as DIR/LAB.out), or
#             without OUTPUT what the lab itself shows
#   grade     ANSWERS against the true values (OUTPUT, or the lab's own
#             text): per prediction "right", "wrong" or "blank" with the
#             true value, then "grade: N of M"
#
# An answers file has one "ID = VALUE" a line ("ID: VALUE" too); blank
# lines, lines starting with "#" and a " #" comment after a value are
# ignored, as are case, blanks around and between words, and a CR at a
# line's end.  A value is compared word by word, commas counting as
# blanks; a number may be written in decimal or as 0x hex.  An id the lab
# does not have, an id twice, or a line that is neither is an error: exit
# 2, every such line named, nothing graded.  A missing id counts as blank.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/toyslab/labs.sh
. "$here/labs.sh"

usage() {
	echo "usage: lab_grade.sh check|template LAB.rst" >&2
	echo "       lab_grade.sh key LAB.rst [OUTPUT]" >&2
	echo "       lab_grade.sh grade LAB.rst ANSWERS [OUTPUT]" >&2
	exit 2
}

mode=${1:-}
lab=${2:-}
[ -n "$lab" ] || usage
[ -r "$lab" ] || { echo "lab_grade.sh: no lab $lab" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
extract "$lab" "$tmp/script" "$tmp/expected" "$tmp/cmds" "$tmp/preds" >/dev/null

# The true value of each prediction in the output $1 (sectioned as
# extract's EXPECTED), in the lab's order: "ID<tab>ok<tab>VALUE", or
# "ID<tab>missing<tab>WHY".
values() {
	awk -F'\t' -v out="$1" '
	function rest(s) {
		sub(/^[ \t]*[^ \t]+[ \t]*/, "", s)
		return s
	}
	BEGIN {
		sec = 0
		while ((getline line < out) > 0) {
			sub(/[ \t\r]+$/, "", line)
			if (line ~ /^@@lab-command-[0-9]+$/)
				sec = substr(line, 15) + 0
			else if (line == "@@lab-end")
				sec = "end"
			else
				lines[sec, ++n[sec]] = line
		}
	}
	function found(v) { print $1 "\tok\t" v }
	function missing(why) { print $1 "\tmissing\t" why }
	{
		k = $2; key = $3; col = $4; words = $5
		if (!k) {
			missing("no command \"" $7 "\" after the prediction")
			next
		}
		if (words != "") {
			v = ""
			for (j = 1; j <= n[k]; j++) {
				nw = split(lines[k, j], w, " ")
				for (i = 1; i <= nw; i++)
					if (index(w[i], words) == 1)
						v = v (v == "" ? "" : " ") substr(w[i], length(words) + 1)
			}
			if (v == "")
				missing("no word starting with \"" words "\"")
			else
				found(v)
			next
		}
		if (key == "") {
			if (n[k] == 1)
				found(lines[k, 1])
			else
				missing("the output has " n[k] + 0 " lines, not one")
			next
		}
		for (j = 1; j <= n[k]; j++) {
			split(lines[k, j], w, " ")
			if (w[1] == key)
				break
		}
		if (j > n[k]) {
			missing("no line starting with \"" key "\"")
			next
		}
		if (col == "") {
			found(rest(lines[k, j]))
			next
		}
		nw = split(lines[k, j], w, " ")
		at = col
		if (col !~ /^[0-9]+$/) {
			nh = split(lines[k, 1], h, " ")
			for (at = 1; at <= nh && h[at] != col; at++)
				;
		}
		if (at + 0 > nw)
			missing("no column \"" col "\"")
		else
			found(w[at])
	}' "$tmp/preds"
}

case $mode in
check)
	[ $# = 2 ] || usage
	values "$tmp/expected" > "$tmp/values"
	awk -F'\t' -v values="$tmp/values" -v lab="$lab" '
	function bad(s) { print lab ": prediction " $1 ": " s; nbad++ }
	BEGIN {
		while ((getline line < values) > 0) {
			split(line, f, "\t")
			status[f[1]] = f[2]
			value[f[1]] = f[3]
		}
	}
	{
		np++
		if ($1 !~ /^[a-z0-9][a-z0-9-]*$/)
			bad("an id is lower case letters, digits and \"-\"")
		if (seen[$1]++)
			bad("its id is used twice")
		if ($8 != "")
			bad("unknown option" $8)
		if ($3 != "" && $5 != "")
			bad(":key: and :words: exclude each other")
		if ($4 != "" && $3 == "")
			bad(":column: needs :key:")
		if ($6 == "")
			bad("no question")
		if ($7 == "")
			bad("no :command:")
		else if (status[$1] != "ok")
			bad(value[$1])
		else if (index(value[$1], "[...]"))
			bad("its value \"" value[$1] "\" has a [...]")
	}
	END {
		if (!np) {
			print lab ": no prediction"
			nbad++
		}
		exit nbad > 0
	}' "$tmp/preds"
	;;
template)
	[ $# = 2 ] || usage
	awk -F'\t' -v lab="$lab" '
	function plain(s) {
		gsub(/``/, "", s)
		gsub(/\\/, "", s)
		return s
	}
	# Words of s as comment lines of at most 72 characters.
	function comment(s,    n, w, i, line) {
		n = split(s, w, " ")
		line = "#"
		for (i = 1; i <= n; i++) {
			if (length(line) + 1 + length(w[i]) > 72 && line != "#") {
				print line
				line = "#"
			}
			line = line " " w[i]
		}
		print line
	}
	BEGIN {
		# The title, between its two rules of "=".
		while (title == "" && (getline line < lab) > 0)
			if (line ~ /^=+$/)
				rules++
			else if (rules == 1)
				title = line
		name = lab
		sub(/.*\//, "", name)
		sub(/\.rst$/, "", name)
		print "# " title " (" name ")"
		print "#"
		print "# Your predictions: write each one after its \"=\", before you run the"
		print "# commands, then have them graded (make grade LAB=" name + 0 " ANSWERS=FILE)."
		print "# Numbers in decimal or 0x hex; several values in the order asked,"
		print "# separated by blanks or commas.  Case and extra blanks do not matter;"
		print "# lines starting with # are comments."
	}
	{
		print ""
		comment(($9 == "" ? "" : "[" $9 "] ") plain($6))
		print "#   $ " $7
		print $1 " ="
	}' "$tmp/preds"
	;;
key)
	[ $# -le 3 ] || usage
	values "${3:-$tmp/expected}" |
		awk -F'\t' '{ print $1 " = " ($2 == "ok" ? $3 : "") }'
	;;
grade)
	case $# in 3 | 4) ;; *) usage ;; esac
	answers=$3
	[ -r "$answers" ] || { echo "lab_grade.sh: cannot read $answers" >&2; exit 2; }
	values "${4:-$tmp/expected}" > "$tmp/values"
	awk -v values="$tmp/values" -v file="$answers" '
	function trim(s) {
		sub(/^[ \t]+/, "", s)
		sub(/[ \t]+$/, "", s)
		return s
	}
	# A hex number small enough for awk as decimal, else as it is.
	function hex(s,    v, i) {
		if (length(s) > 15)
			return s
		v = 0
		for (i = 3; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return sprintf("%.0f", v)
	}
	# s, word by word, in one form: lower case, one blank between words,
	# numbers in decimal without leading zeros.
	function norm(s,    n, w, i, out) {
		s = tolower(s)
		gsub(/,/, " ", s)
		n = split(s, w, " ")
		out = ""
		for (i = 1; i <= n; i++) {
			if (w[i] ~ /^0x0*[0-9a-f]+$/) {
				sub(/^0x0*/, "0x", w[i])
				w[i] = hex(w[i])
			} else if (w[i] ~ /^[0-9]+$/) {
				sub(/^0+/, "", w[i])
				if (w[i] == "")
					w[i] = "0"
			}
			out = out (i > 1 ? " " : "") w[i]
		}
		return out
	}
	function error(s) {
		print "grade: " file ":" FNR ": " s > "/dev/stderr"
		nerr++
	}
	BEGIN {
		while ((getline line < values) > 0) {
			split(line, f, "\t")
			ids[++np] = f[1]
			status[f[1]] = f[2]
			truth[f[1]] = f[3]
			known = known (np > 1 ? ", " : "") f[1]
		}
	}
	{
		line = $0
		sub(/\r$/, "", line)
		line = trim(line)
		if (line == "" || substr(line, 1, 1) == "#")
			next
		eq = index(line, "=")
		colon = index(line, ":")
		at = eq && (!colon || eq < colon) ? eq : colon
		if (!at) {
			error("not \"ID = VALUE\": " line)
			next
		}
		id = tolower(trim(substr(line, 1, at - 1)))
		value = substr(line, at + 1)
		sub(/[ \t]#.*/, "", value)
		if (!(id in status)) {
			error("no prediction \"" id "\" in this lab (it has: " known ")")
			next
		}
		if (id in answer) {
			error("\"" id "\" answered twice")
			next
		}
		answer[id] = trim(value)
	}
	END {
		if (nerr) {
			print "grade: " nerr " bad line(s) in " file ", nothing graded" > "/dev/stderr"
			exit 2
		}
		for (i = 1; i <= np; i++) {
			id = ids[i]
			t = status[id] == "ok" ? truth[id] : "(none: " truth[id] ")"
			if (answer[id] == "") {
				printf "  blank  %-20s true: %s\n", id, t
			} else if (status[id] == "ok" && norm(answer[id]) == norm(t)) {
				printf "  right  %-20s %s\n", id, t
				right++
			} else {
				printf "  wrong  %-20s yours: %s   true: %s\n", id, answer[id], t
			}
		}
		printf "grade: %d of %d\n", right, np
	}' "$answers"
	;;
*)
	usage
	;;
esac
