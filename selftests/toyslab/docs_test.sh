#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: docs_test.sh [DOCS]
#
# The reference pages, checked against what the module creates, so that
# they cannot go stale.  DOCS is a copy of Documentation/ (default: docs/
# beside this program, where make selftests installs it).
#
# debugfs.rst: its definition-list terms in the sections "Top-level
# files", "Fault injection" and "One directory per cache" are the files
# under /sys/kernel/debug/toyslab (caches/NAME/ for a cache's directory);
# "Module parameters" lists /sys/module/toyslab/parameters.  Checked:
#   - the documented files are exactly the files toyslab creates;
#   - "Read-only." and "Write-only." in an entry's first paragraph are
#     modes 0444 and 0200, every other file is 0644;
#   - "default N" (or "N at load") is what a freshly loaded toyslab reads;
#   - a readable file's first literal block is its first lines (header);
#   - the bullets of caches/NAME/stats are its counters, in order, and
#     every key and flag name that layout prints appears in its entry.
# trace-events.rst: one section per event, named after it, whose terms
# are the event's fields as its format file declares them, in order, and
# whose first literal block is its print format.  Checked: the events
# are exactly those under events/toyslab/, with those fields and formats.
# testing.rst: the terms of its section "The selftest programs" are
# exactly the test programs beside this one.
# architecture.rst: its quote of slab.c's lock order is word for word the
# comment in slab.c, which make selftests copies into DOCS for this check
# (in a source tree, DOCS/../slab.c); lock_order.sh compares them.
#
# KTAP, one case per check.  toyslab is reloaded to read its defaults.
set -u

here=$(cd "$(dirname "$0")" && pwd)
docs=${1:-$here/docs}
toyslab=/sys/kernel/debug/toyslab
events=/sys/kernel/tracing/events/toyslab
params=/sys/module/toyslab/parameters
ko=${TOYSLAB_KO:-/lib/toyslab/toyslab.ko}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An .rst file ($1) as records, one per line, tab-separated:
#   section  TITLE
#   term     TERM           (a definition-list term: ``...`` alone at column 0)
#   text     LINE           (the term's definition, without its indent)
#   para     LINE           (text outside any definition)
#   literal  N  LINE        (a line of the Nth literal block since the last
#                           section or term)
rst_records() {
	awk '
	function indent(s) { return match(s, /[^ ]/) - 1 }
	{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			s = line[i]
			sub(/[ \t]+$/, "", s)
			u = line[i + 1]
			if (s != "" && s !~ /^ / && u ~ /^(=+|-+)$/ &&
			    length(u) >= length(s)) {
				print "section\t" s
				interm = inlit = pending = nlit = 0
				i++
				continue
			}
			if (s ~ /^``[^`]+``$/) {
				print "term\t" substr(s, 3, length(s) - 4)
				interm = 1
				inlit = pending = nlit = 0
				continue
			}
			if (s != "" && indent(s) == 0)
				interm = 0
			if (inlit && s != "" && indent(s) < litindent)
				inlit = 0
			if (inlit) {
				if (s != "")
					print "literal\t" nlit "\t" substr(s, litindent + 1)
				continue
			}
			if (pending && s != "") {
				pending = 0
				if (indent(s) > pindent) {
					inlit = 1
					litindent = indent(s)
					nlit++
					print "literal\t" nlit "\t" substr(s, litindent + 1)
					continue
				}
			}
			if (s ~ /::$/) {
				pending = 1
				pindent = indent(s)
			}
			sub(/^ +/, "", s)
			print (interm ? "text" : "para") "\t" s
		}
	}' "$1"
}

nr=0 pass=0 fail=0
result() {
	nr=$((nr + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1))
		echo "ok $nr $2"
	else
		fail=$((fail + 1))
		echo "not ok $nr $2"
	fi
}

# The lines that differ between what the page says ($1) and what the
# module does ($2), labelled with $3.
differ() {
	cmp -s "$1" "$2" && return 0
	diff "$1" "$2" | sed -n "/^---/d; /^+++/d; s|^-|$3page:   |p; s|^+|$3module: |p"
}

# Print "# " diagnostics for the lines of $1 and fail if any.
report() {
	if [ -s "$1" ]; then
		sed -n '1,20s/^/# /p' "$1"
		return 1
	fi
	return 0
}

echo "TAP version 13"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 4
fi
if [ ! -r "$docs/debugfs.rst" ] || [ ! -r "$docs/trace-events.rst" ] ||
   [ ! -r "$docs/testing.rst" ]; then
	echo "1..0 # SKIP no documentation at $docs (make selftests installs it)"
	exit 4
fi
if ! grep -q '^[^ ]* /sys/kernel/debug debugfs ' /proc/mounts; then
	echo "1..0 # SKIP needs debugfs at /sys/kernel/debug"
	exit 4
fi
if [ -d $toyslab ]; then
	rmmod toyslab || { echo "1..0 # SKIP toyslab cannot be reloaded"; exit 4; }
fi
if ! insmod "$ko"; then
	echo "1..0 # SKIP cannot load $ko"
	exit 4
fi
echo "1..11"

# --- debugfs.rst ---------------------------------------------------------

for f in doc_files doc_params doc_stats doc_layout doc_headers doc_events \
	doc_fields doc_formats; do
	: > "$tmp/$f"
done

# Per documented file: "path kind default" (kind ro, wo or rw; default
# "-" if none), its literal blocks, its text.  Per parameter: "name
# default".
rst_records "$docs/debugfs.rst" | awk -F '\t' -v dir="$tmp" '
	function entry_end() {
		if (term == "")
			return
		kind = first ~ /^ Write-only/ ? "wo" : first ~ /^ Read-only/ ? "ro" : "rw"
		def = "-"
		if (match(body, /default (-?[0-9]+|on|off)/))
			def = substr(body, RSTART + 8, RLENGTH - 8)
		else if (match(body, /-?[0-9]+ at load/))
			def = substr(body, RSTART, RLENGTH - 8)
		if (what == "file")
			print term, kind, def > (dir "/doc_files")
		else
			print term, def > (dir "/doc_params")
		term = ""
	}
	$1 == "section" {
		entry_end()
		what = ""
		if ($2 ~ /^(Top-level files|Fault injection|One directory per cache)/)
			what = "file"
		else if ($2 ~ /^Module parameters/)
			what = "param"
		next
	}
	$1 == "term" {
		entry_end()
		if (what == "")
			next
		term = $2
		first = body = ""
		para = 1
		next
	}
	$1 == "para" { entry_end() }
	term == "" { next }
	$1 == "text" {
		if ($2 == "")
			para = 0
		if (para)
			first = first " " $2
		body = body " " $2
		if (term == "caches/NAME/stats" && $2 ~ /^- ``[a-z_]+``/) {
			s = $2
			sub(/^- ``/, "", s)
			sub(/``.*/, "", s)
			print s > (dir "/doc_stats")
		}
		if (term == "caches/NAME/layout")
			print $2 > (dir "/doc_layout")
	}
	$1 == "literal" && $2 == 1 { print term "\t" $3 > (dir "/doc_headers") }
	END { entry_end() }'

# What toyslab creates, with one cache of each kind of flag, so that
# layout shows every flag name.  The kmalloc classes are caches too: each
# directory has the files of caches/NAME/, and the list holds each once.
ctl=$toyslab/control
echo 'create docs 64' > $ctl
echo 'create docs-rz 64 flags=reclaim_account,typesafe_by_rcu,poison,red_zone,store_user,ctor' > $ctl
echo 'create docs-hw 64 flags=hwcache_align,account,cache_dma' > $ctl
(cd $toyslab && find . ! -type d) |
	sed -E 's|^\./||; s#^caches/(docs|(dma-)?kmalloc-[^/]*)/#caches/NAME/#' |
	grep -v '^caches/docs-' | sort -u > "$tmp/files"

echo "# debugfs.rst: $(wc -l < "$tmp/doc_files") files, $(grep -vc ' - *$' "$tmp/doc_files") defaults, $(cut -f1 "$tmp/doc_headers" | uniq | wc -l) headers, $(wc -l < "$tmp/doc_stats") counters, $(wc -l < "$tmp/doc_params") parameters"

# 1. The files, both ways.
cut -d' ' -f1 "$tmp/doc_files" | sort > "$tmp/doc_names"
differ "$tmp/doc_names" "$tmp/files" "" > "$tmp/out"
report "$tmp/out"
result $? "debugfs.rst documents exactly the files toyslab creates"

# 2. Modes.
: > "$tmp/out"
while read -r name kind _; do
	path=$toyslab/$(echo "$name" | sed 's|^caches/NAME/|caches/docs/|')
	[ -e "$path" ] || continue
	mode=$(stat -c %a "$path")
	case $kind in
	ro) want=444 ;;
	wo) want=200 ;;
	*) want=644 ;;
	esac
	[ "$mode" = "$want" ] ||
		echo "$name: mode $mode, but the page says $kind ($want)" >> "$tmp/out"
done < "$tmp/doc_files"
report "$tmp/out"
result $? "debugfs.rst: read-only, write-only and read-write files have their modes"

# 3. Defaults, read from the freshly loaded module.
: > "$tmp/out"
grep -q ' [^ -]*$' "$tmp/doc_files" || echo "no default found in the page" > "$tmp/out"
while read -r name _ def; do
	[ "$def" = - ] && continue
	value=$(cat "$toyslab/$name" 2>&1)
	[ "$value" = "$def" ] ||
		echo "$name: reads $value, but the page says default $def" >> "$tmp/out"
done < "$tmp/doc_files"
report "$tmp/out"
result $? "debugfs.rst: the documented defaults are what toyslab reads at load"

# 4. Headers: a readable file's first literal block is its first lines.
: > "$tmp/out"
[ -s "$tmp/doc_headers" ] || echo "no header found in the page" > "$tmp/out"
for name in $(cut -f1 "$tmp/doc_headers" 2>/dev/null | uniq); do
	grep -qE "^$name (ro|rw) " "$tmp/doc_files" || continue
	path=$toyslab/$(echo "$name" | sed 's|^caches/NAME/|caches/docs/|')
	awk -F '\t' -v n="$name" '$1 == n { print $2 }' "$tmp/doc_headers" > "$tmp/want"
	head -n "$(wc -l < "$tmp/want")" "$path" | sed 's/[ \t]*$//' > "$tmp/got"
	differ "$tmp/want" "$tmp/got" "$name: " >> "$tmp/out"
done
report "$tmp/out"
result $? "debugfs.rst: the headers shown are the files' first lines"

# 5. stats counters, in order; layout keys and flag names.
cut -d' ' -f1 $toyslab/caches/docs/stats > "$tmp/stats"
differ "$tmp/doc_stats" "$tmp/stats" "stats: " > "$tmp/out"
for c in docs docs-rz docs-hw; do
	cut -d' ' -f1 "$toyslab/caches/$c/layout"
	sed -n 's/^flags //p; s/^freelist //p' "$toyslab/caches/$c/layout" | tr , '\n'
done | sort -u > "$tmp/layout"
while read -r key; do
	grep -q "\`\`$key\`\`" "$tmp/doc_layout" ||
		echo "layout: $key is printed, not documented" >> "$tmp/out"
done < "$tmp/layout"
report "$tmp/out"
result $? "debugfs.rst: the stats counters in order, every layout key and flag"

# 6. Module parameters and their defaults.
: > "$tmp/out"
find $params -mindepth 1 -exec basename {} \; | sort > "$tmp/params"
cut -d' ' -f1 "$tmp/doc_params" | sort > "$tmp/doc_param_names"
differ "$tmp/doc_param_names" "$tmp/params" "" >> "$tmp/out"
while read -r name def; do
	[ -r "$params/$name" ] || continue
	case $def in
	on) def=Y ;;
	off) def=N ;;
	esac
	value=$(cat "$params/$name")
	[ "$value" = "$def" ] ||
		echo "$name: reads $value, but the page says default $def" >> "$tmp/out"
done < "$tmp/doc_params"
report "$tmp/out"
result $? "debugfs.rst: the module parameters and their defaults"

for c in docs docs-rz docs-hw; do
	echo "destroy $c" > $ctl
done

# --- trace-events.rst ----------------------------------------------------

# Per event section: its fields ("event<TAB>field") and print format.
rst_records "$docs/trace-events.rst" | awk -F '\t' -v dir="$tmp" '
	$1 == "section" {
		event = $2 ~ /^toyslab_[a-z_]+$/ ? $2 : ""
		if (event != "")
			print event > (dir "/doc_events")
		next
	}
	event == "" { next }
	$1 == "term" { print event "\t" $2 > (dir "/doc_fields") }
	$1 == "literal" && !(event in fmt) {
		fmt[event] = $3
		print event "\t" $3 > (dir "/doc_formats")
	}'

# 7. The events, both ways.
sort "$tmp/doc_events" > "$tmp/doc_event_names"
find $events -mindepth 1 -maxdepth 1 -type d -exec basename {} \; | sort > "$tmp/events"
echo "# trace-events.rst: $(wc -l < "$tmp/doc_events") events, $(wc -l < "$tmp/doc_fields") fields, $(wc -l < "$tmp/doc_formats") formats"
differ "$tmp/doc_event_names" "$tmp/events" "" > "$tmp/out"
report "$tmp/out"
result $? "trace-events.rst documents exactly the events toyslab defines"

# 8. Each event's own fields (after the common_ ones), in order.
: > "$tmp/out"
while read -r event; do
	sed -n 's/^[[:space:]]*field:\([^;]*\);.*/\1/p' "$events/$event/format" |
		grep -v ' common_' > "$tmp/got"
	awk -F '\t' -v e="$event" '$1 == e { print $2 }' "$tmp/doc_fields" > "$tmp/want"
	differ "$tmp/want" "$tmp/got" "$event: " >> "$tmp/out"
done < "$tmp/events"
report "$tmp/out"
result $? "trace-events.rst: every event's fields, in order"

# 9. Each event's print format.
: > "$tmp/out"
while read -r event; do
	got=$(sed -n 's/^print fmt: "\([^"]*\)".*/\1/p' "$events/$event/format")
	want=$(awk -F '\t' -v e="$event" '$1 == e { print $2 }' "$tmp/doc_formats")
	[ "$got" = "$want" ] || {
		echo "$event: documented: $want"
		echo "$event: defined:    $got"
	} >> "$tmp/out"
done < "$tmp/events"
report "$tmp/out"
result $? "trace-events.rst: every event's output format"

# --- testing.rst ---------------------------------------------------------

# 10. The selftest programs, both ways: those installed here (NAME_test,
# NAME_test.sh), or, in a source tree, their sources (NAME_test.c).
rst_records "$docs/testing.rst" 2>/dev/null | awk -F '\t' '
	$1 == "section" { progs = $2 == "The selftest programs"; next }
	progs && $1 == "term" { print $2 }' | sort > "$tmp/doc_progs"
for f in "$here"/*_test "$here"/*_test.sh "$here"/*_test.c; do
	[ -f "$f" ] && basename "$f" .c
done | sort -u > "$tmp/progs"
echo "# testing.rst: $(wc -l < "$tmp/doc_progs") programs"
differ "$tmp/doc_progs" "$tmp/progs" "" > "$tmp/out"
report "$tmp/out"
result $? "testing.rst lists exactly the selftest programs"

# --- architecture.rst ----------------------------------------------------

# 11. The lock order, as slab.c states it.
slab_c=$docs/slab.c
[ -r "$slab_c" ] || slab_c=$docs/../slab.c
"$here/lock_order.sh" "$slab_c" "$docs/architecture.rst" > "$tmp/out" 2>&1
rc=$?
sed -n '1,20s/^/# /p' "$tmp/out"
result $rc "architecture.rst quotes slab.c's lock order as it reads"

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
