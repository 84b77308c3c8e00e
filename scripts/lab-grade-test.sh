#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/lab-grade-test.sh
#
# make lint's test of the labs' grading, on the host, with no VM: every
# lab's predictions are sound (lab_grade.sh check), and lab_grade.sh
# grades as Documentation/teaching.rst says, with each lab's own text as
# the true values:
#   - the answers the lab gives score M of M, also written forgivingly
#     (upper case, ":" for "=", blanks, comments, CRLF, numbers in hex);
#   - the blank template scores 0 of M, every line "blank";
#   - one wrong answer scores M - 1 and names the true value;
#   - a bad file (an unknown id, an id twice, a line that is neither)
#     exits 2, names each bad line, and grades nothing.
# make check grades the labs against the VM (labs_test.sh) and runs
# make grade once (scripts/grade-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

grader=selftests/toyslab/lab_grade.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
	echo "lab-grade-test: $*"
	status=1
}

# The score line of grading $2 for lab $1.
score() {
	"$grader" grade "$1" "$2" | tail -n 1
}

labs=(Documentation/labs/[0-9]*-*.rst)
for rst in "${labs[@]}"; do
	lab=$(basename "$rst" .rst)
	if ! "$grader" check "$rst"; then
		fail "$lab: its predictions are not sound"
		continue
	fi
	"$grader" key "$rst" > "$tmp/right"
	m=$(grep -c . "$tmp/right")
	[[ $(score "$rst" "$tmp/right") == "grade: $m of $m" ]] ||
		fail "$lab: its own answers do not score $m of $m"

	# The same, written as a student might: "ID: value", upper case,
	# blanks, comments, CRLF, and every plain number in hex.
	awk '{
		split($0, kv, " = ")
		v = kv[2]
		if (v ~ /^[0-9]+$/)
			v = sprintf("0x%x", v)
		printf "  # a comment\r\n%s :  %s   # sure\r\n\r\n", toupper(kv[1]), v
	}' "$tmp/right" > "$tmp/forgiving"
	[[ $(score "$rst" "$tmp/forgiving") == "grade: $m of $m" ]] ||
		fail "$lab: its own answers, written forgivingly, do not score $m of $m"

	"$grader" template "$rst" > "$tmp/template"
	[[ $(grep -c ' =$' "$tmp/template") == "$m" ]] ||
		fail "$lab: the template does not have $m blanks"
	"$grader" grade "$rst" "$tmp/template" > "$tmp/graded"
	[[ $(tail -n 1 "$tmp/graded") == "grade: 0 of $m" &&
	   $(grep -c '^  blank ' "$tmp/graded") == "$m" ]] ||
		fail "$lab: the blank template does not score 0 of $m, all blank"

	# The first answer made wrong.
	first=$(head -n 1 "$tmp/right")
	sed '1s/=.*/= 12345 wrong/' "$tmp/right" > "$tmp/wrong"
	"$grader" grade "$rst" "$tmp/wrong" > "$tmp/graded"
	if [[ $(tail -n 1 "$tmp/graded") != "grade: $((m - 1)) of $m" ]] ||
		! grep -q "^  wrong  ${first%% =*} .*yours: 12345 wrong   true: ${first#* = }\$" "$tmp/graded"; then
		fail "$lab: one wrong answer does not score $((m - 1)) of $m with the true value"
	fi

	# A bad file: three bad lines, each named, nothing graded.
	{
		head -n 1 "$tmp/right"
		echo "no-such-prediction = 1"
		head -n 1 "$tmp/right"
		echo "just words"
	} > "$tmp/bad"
	if "$grader" grade "$rst" "$tmp/bad" > "$tmp/graded" 2> "$tmp/errors"; then
		fail "$lab: a bad answers file was graded"
	elif [[ $? != 2 || -s $tmp/graded ]] ||
		! grep -q "bad:2: no prediction \"no-such-prediction\"" "$tmp/errors" ||
		! grep -q "bad:3: \"${first%% =*}\" answered twice" "$tmp/errors" ||
		! grep -q 'bad:4: not "ID = VALUE": just words' "$tmp/errors"; then
		fail "$lab: a bad answers file does not exit 2 naming its three bad lines:"
		cat "$tmp/errors"
	fi
done
if [[ $status == 0 ]]; then
	echo "lab-grade-test: ${#labs[@]} labs graded as documented"
fi
exit $status
