#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: [TEACHER=1] scripts/htmldocs.sh
#
# make htmldocs: Documentation/ as HTML in build/htmldocs/, and its Chinese
# translation (Documentation/translations/zh_CN/, a project of its own) in
# build/htmldocs/zh_CN/; with TEACHER=1 (make htmldocs TEACHER=1), the
# teacher's build, in build/htmldocs-teacher/, which also has the answers
# the pages keep under ".. only:: teacher" (Sphinx's tag "teacher").  The
# students' build must hold no word of them, and the teacher's every one
# (scripts/answers-check.py).  Both are built by Debian's Sphinx
# (python3-sphinx) with every warning an error; Sphinx's Chinese search
# index splits words with python3-jieba.  The figures are drawn at build
# time: Graphviz (Debian's graphviz) turns Documentation/figures/*.dot into
# SVG, and scripts/slabpic.py draws the recorded snapshots of
# Documentation/figures/*.snap.  The API page is generated from the
# kernel-doc comments of the source by the kernel's own scripts/kernel-doc
# and its Sphinx extension (Documentation/sphinx/kerneldoc.py), taken from
# Debian's linux-source-6.1 into build/kernel-doc/ at build time: nothing
# of the kernel is kept in the repository.  Fails, too, if an exported
# function of the module is missing from Documentation/api.rst, or if
# Documentation/testing.rst does not list exactly the KUnit suite's cases,
# or if Documentation/debugfs.rst misses a ctl command of ctl.c or gfp name
# of cmd.h or names one it lacks, or if Documentation/architecture.rst's
# quote of slab.c's lock order, or its Chinese twin's, differs from it, or
# if a line that walkthrough-to-code.rst cites no longer starts the
# function it names, or if the Chinese api.rst does not hold the English
# one's kernel-doc directives, or if a Chinese page lacks a section, figure
# or inline literal of its English page (scripts/zh-twins.py), or, where
# Chromium is installed, if searching the Chinese pages for a glossary term
# does not find them (scripts/docs-search.sh).  Idempotent; apt runs only
# when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source_pkg=linux-source-6.1
kdoc=build/kernel-doc
out=build/htmldocs
tags=()
if [[ ${TEACHER:-0} == 1 ]]; then
	out=build/htmldocs-teacher
	tags=(-t teacher)
fi

scripts/apt-install.sh htmldocs python3-sphinx python3-jieba graphviz "$source_pkg"

# kernel-doc and the extension that runs it, as the 6.1 tree has them.
if [[ ! -e $kdoc/.extracted ]]; then
	echo "htmldocs: extracting kernel-doc from $source_pkg into $kdoc"
	rm -rf "$kdoc"
	mkdir -p "$kdoc"
	tar -xJf "/usr/src/$source_pkg.tar.xz" -C "$kdoc" --strip-components=1 \
		"$source_pkg/scripts/kernel-doc" \
		"$source_pkg/Documentation/sphinx/kerneldoc.py" \
		"$source_pkg/Documentation/sphinx/kernellog.py"
	touch "$kdoc/.extracted"
fi

# kernel-doc reads a copy of the sources in which a word ending in "_"
# inside a kernel-doc comment, which reStructuredText would take for a
# link (as in "[A-Za-z0-9_-]"), has that "_" escaped.  Each such line is
# named here: better written otherwise in the source.
src=$kdoc/src
rm -rf "$src"
mkdir -p "$src"
for file in ./*.[ch]; do
	sed '/^\/\*\*/,/\*\//s/\([[:alnum:]]\)_\([] .,:;!?/)}>-]\|$\)/\1\\_\2/g' \
		"$file" > "$src/$file"
	cmp -s "$file" "$src/$file" ||
		{ diff "$file" "$src/$file" || true; } |
		sed -n "s|^< |htmldocs: escaped a '_' for reST in ${file#./}: |p"
done

# Every exported function has its kernel-doc on the API page.
status=0
while read -r symbol; do
	if ! grep -Eq "^ +:identifiers:.* $symbol( |$)" Documentation/api.rst; then
		echo "htmldocs: Documentation/api.rst lacks the exported $symbol()"
		status=1
	fi
done < <(sed -n 's/^EXPORT_SYMBOL[_GPL]*(\(.*\));$/\1/p' ./*.c | sort)

# testing.rst lists exactly the KUnit suite's cases, as the definition-list
# terms of its section "The KUnit cases".
kunit_diff=$(diff \
	<(sed -n 's/^\tKUNIT_CASE\(_PARAM\)\{0,1\}(\([a-z0-9_]*\).*/\2/p' kunit/toyslab_kunit.c | sort) \
	<(awk '/^=+$/ { title = prev }
	       title == "The KUnit cases" && /^``[a-z0-9_]+``$/ { gsub(/`/, ""); print }
	       { prev = $0 }' Documentation/testing.rst | sort)) || true
if [[ -n $kunit_diff ]]; then
	echo "htmldocs: Documentation/testing.rst and kunit/toyslab_kunit.c list different KUnit cases:"
	echo "$kunit_diff" | sed -n 's/^< /htmldocs:   only in the suite: /p; s/^> /htmldocs:   only on the page: /p'
	status=1
fi

# debugfs.rst documents exactly the verbs a cache's ctl file takes (the
# first words of the terms of its section "The ``ctl`` commands"), and
# every gfp name alloc takes.
ctl_diff=$(diff \
	<(sed -n 's/.*strcmp(verb, "\([a-z-]*\)").*/\1/p' ctl.c | sort -u) \
	<(awk '/^[=-]+$/ { title = prev }
	       title == "The ``ctl`` commands" && /^``[a-z-]+( [^`]*)?``$/ {
		       sub(/^``/, ""); sub(/[ `].*/, ""); print }
	       { prev = $0 }' Documentation/debugfs.rst | sort -u)) || true
if [[ -n $ctl_diff ]]; then
	echo "htmldocs: Documentation/debugfs.rst and ctl.c know different ctl commands:"
	echo "$ctl_diff" | sed -n 's/^< /htmldocs:   only in ctl.c: /p; s/^> /htmldocs:   only on the page: /p'
	status=1
fi
# ... and every command of the 'kmalloc' file, as ``OP ...`` (ctl.c's
# kmalloc_op() names them 'op').
while read -r op; do
	grep -q "\`\`${op}[ \`]" Documentation/debugfs.rst ||
		{ echo "htmldocs: Documentation/debugfs.rst lacks the kmalloc command $op"; status=1; }
done < <(sed -n 's/.*strcmp(op, "\([a-z-]*\)").*/\1/p' ctl.c | sort -u)
while read -r gfp; do
	grep -q "\`\`$gfp\`\`" Documentation/debugfs.rst ||
		{ echo "htmldocs: Documentation/debugfs.rst lacks the gfp name $gfp"; status=1; }
done < <(sed -n '/gfp_names\[\].* = {/,/^};/s/^\t{ "\([a-z]*\)",.*/\1/p' cmd.h)

# architecture.rst and its Chinese twin quote slab.c's lock order word for
# word (docs_test.sh checks the English page too, with the same script).
for arch in Documentation/architecture.rst Documentation/translations/zh_CN/architecture.rst; do
	if ! lock_diff=$(selftests/toyslab/lock_order.sh slab.c "$arch" |
			 sed 's/^/htmldocs:   /'); then
		echo "htmldocs: $arch no longer quotes slab.c's lock order as it reads:"
		echo "$lock_diff"
		status=1
	fi
done

# Each Chinese page keeps up with its English page: its sections, its
# figures and its inline literals.
scripts/zh-twins.py || status=1

# walkthrough-to-code.rst and its Chinese twin cite functions by line, as
# ``FILE:LINE`` ``NAME()``: FILE under mm/ in linux-source-6.1, any other
# in this tree.  Each cited line must still start NAME's definition, and
# the two pages must cite the same lines.
ref=$kdoc/linux-6.1
if [[ ! -e $ref/.extracted ]]; then
	mkdir -p "$ref"
	tar -xJf "/usr/src/$source_pkg.tar.xz" -C "$ref" --strip-components=1 \
		"$source_pkg/mm/slab.c" "$source_pkg/mm/slab.h"
	touch "$ref/.extracted"
fi
# shellcheck disable=SC2016 # the backquotes are reST's, not the shell's
citations() {
	tr '\n' ' ' < "$1" | tr -s ' ' |
		grep -o '``[A-Za-z0-9_./-]*\.[ch]:[0-9]*`` ``[A-Za-z0-9_]*()``' |
		sed 's/``//g; s/()$//' | sort -u
}
w2c=Documentation/walkthrough-to-code.rst
w2c_zh=Documentation/translations/zh_CN/walkthrough-to-code.rst
while read -r cited name; do
	file=${cited%:*}
	line=${cited##*:}
	[[ $file == mm/* ]] && path=$ref/$file || path=$file
	start="^([A-Za-z_].*[^A-Za-z0-9_])?$name\\("
	if ! sed -n "${line}p" "$path" 2>/dev/null | grep -Eq "$start"; then
		now=$({ grep -nE "$start" "$path" 2>/dev/null || true; } |
		      grep -v ';$' | cut -d: -f1 | tr '\n' ' ' || true)
		echo "htmldocs: $w2c: $cited does not start $name() (lines that do: ${now:-none})"
		status=1
	fi
done < <(citations "$w2c")
if [[ -e $w2c_zh ]] && ! diff -q <(citations "$w2c") <(citations "$w2c_zh") > /dev/null; then
	echo "htmldocs: $w2c_zh cites other lines than $w2c"
	status=1
fi

# The Chinese API page generates the same kernel-doc as the English one.
kdoc_directives() {
	awk '/^\.\. kernel-doc::/ { print; on = 1; next }
	     on && /^   :/ { print; next }
	     { on = 0 }' "$1"
}
if ! diff -q <(kdoc_directives Documentation/api.rst) \
	<(kdoc_directives Documentation/translations/zh_CN/api.rst) > /dev/null; then
	echo "htmldocs: Documentation/translations/zh_CN/api.rst lacks kernel-doc directives of Documentation/api.rst"
	status=1
fi
((status == 0)) || exit 1

echo "  DOCS    Documentation -> $out"
# A kernel-doc warning is an error too (kernel-doc then fails, and the
# extension reports that as a Sphinx warning).
export KDOC_WERROR=1 TOYSLAB_KERNELDOC=$PWD/$kdoc TOYSLAB_SRCTREE=$PWD/$src
sphinx-build -W --keep-going -q -b html "${tags[@]}" Documentation "$out"
echo "  DOCS    Documentation/translations/zh_CN -> $out/zh_CN"
sphinx-build -W --keep-going -q -b html "${tags[@]}" Documentation/translations/zh_CN "$out/zh_CN"
if ((${#tags[@]})); then
	scripts/answers-check.py present "$out" Documentation
else
	scripts/answers-check.py absent "$out" Documentation
fi

# A reader's search of the Chinese pages, in a real browser where there is
# one (Debian's chromium is too big to install for this alone).
if command -v chromium > /dev/null; then
	scripts/docs-search.sh "$out"
else
	echo "htmldocs: no chromium, so the Chinese search is not checked (scripts/docs-search.sh)"
fi
