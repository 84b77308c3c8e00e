#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: . labs.sh - the grammar of a lab, for labs_test.sh and lab_grade.sh
#
# A lab (Documentation/labs/NN-NAME.rst) is reStructuredText with shell
# sessions and predictions in it.  A session is a literal block whose
# first line starts with "$ ".  In it:
#
#   $ COMMAND     a command, run by sh as if typed at make vm's shell
#   > MORE        the command goes on (a loop, say)
#   anything else what the command before prints, stdout and stderr
#
# A prediction is a directive at column 0, before the session that shows
# its answer (Documentation/sphinx/predict.py renders it):
#
#   .. predict:: ID
#      :command: COMMAND
#      :key: WORD
#      :column: NAME
#
#      The question, as the answers file and the page show it.
#
# Its true value is in what the first COMMAND after it prints (COMMAND as
# typed after "$ "): with :key:, the first line whose first word is WORD,
# without that word, or only its field under NAME in the output's first
# line (a header) with :column: NAME, or its Nth word with :column: N;
# with :words: PREFIX instead, every word of the output that starts with
# PREFIX, without it, in order; with neither, the output, one line.  ID
# is lower case: letters, digits and "-".

# extract LAB.rst SCRIPT EXPECTED CMDS [PREDS]: the sessions of the lab:
# the script to run (markers and commands) into SCRIPT, what it must print
# into EXPECTED, the first line of each command into CMDS as "N<tab>TEXT";
# with PREDS, its predictions into PREDS, one a line:
#   ID<tab>N<tab>KEY<tab>COLUMN<tab>WORDS<tab>QUESTION<tab>COMMAND<tab>BAD<tab>SECTION
# N is the command that shows the answer, 0 if none matches COMMAND; BAD
# lists the options the directive has but should not; SECTION is the
# title of the section it is in.
# Prints the number of commands and of wildcards.  SCRIPT and EXPECTED
# mark each command's output with a line "@@lab-command-N", and their end
# with "@@lab-end".
extract() {
	awk -v script="$2" -v expected="$3" -v cmds="$4" -v preds="${5:-}" '
	function indent(s) { return match(s, /[^ ]/) - 1 }
	function block_line(s) {
		if (nlines++ == 0)
			session = substr(s, 1, 2) == "$ "
		if (!session)
			return
		if (substr(s, 1, 2) == "$ ") {
			ncmd++
			cmd[ncmd] = substr(s, 3)
			printf "echo @@lab-command-%d\n%s\n", ncmd, substr(s, 3) > script
			printf "@@lab-command-%d\n", ncmd > expected
			printf "%d\t%s\n", ncmd, substr(s, 3) > cmds
			incmd = 1
		} else if (incmd && substr(s, 1, 2) == "> ") {
			print substr(s, 3) > script
		} else {
			print s > expected
			incmd = 0
			nwild += gsub(/\[\.\.\.\]/, "&", s)
		}
	}
	# A line of a predict directive: an option, or the question.
	function pred_line(s,    name) {
		if (s ~ /^:[a-z]+:/ && !pq[np]) {
			name = substr(s, 2, index(substr(s, 2), ":") - 1)
			s = substr(s, length(name) + 3)
			sub(/^ +/, "", s)
			popt[np, name] = s
			if (name !~ /^(command|key|column|words)$/)
				pbad[np] = pbad[np] " :" name ":"
		} else {
			pq[np] = pq[np] (pq[np] ? " " : "") s
		}
	}
	{
		line = $0
		sub(/[ \t\r]+$/, "", line)
		if (inblock) {
			if (line == "") {
				blanks++
				next
			}
			if (indent(line) >= bindent) {
				for (; blanks > 0; blanks--)
					block_line("")
				block_line(substr(line, bindent + 1))
				next
			}
			inblock = 0
		}
		if (inpred) {
			if (line == "")
				next
			if (indent(line) > 0) {
				pred_line(substr(line, indent(line) + 1))
				next
			}
			inpred = 0
		}
		# The title of a section, the line its underline follows.
		if (line ~ /^(=+|-+)$/ && prev != "" && length(line) >= length(prev))
			title = prev
		prev = line
		if (line ~ /^\.\. predict:: /) {
			np++
			pid[np] = substr(line, 14)
			pafter[np] = ncmd
			ptitle[np] = title
			inpred = 1
			pending = 0
			next
		}
		if (pending && line == "")
			next
		if (pending && indent(line) > pindent) {
			pending = 0
			inblock = 1
			bindent = indent(line)
			nlines = blanks = incmd = 0
			block_line(substr(line, bindent + 1))
			next
		}
		pending = 0
		if (line ~ /::$/) {
			pending = 1
			pindent = indent(line)
		}
	}
	END {
		print "echo @@lab-end" > script
		print "@@lab-end" > expected
		for (i = 1; preds != "" && i <= np; i++) {
			at = 0
			for (k = pafter[i] + 1; !at && k <= ncmd; k++)
				if (cmd[k] == popt[i, "command"])
					at = k
			printf "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", pid[i], at,
			       popt[i, "key"], popt[i, "column"], popt[i, "words"],
			       pq[i], popt[i, "command"], pbad[i], ptitle[i] > preds
		}
		if (preds != "")
			printf "" > preds
		printf "%d %d\n", ncmd, nwild
	}' "$1"
}
