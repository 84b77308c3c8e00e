#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/docs-search.sh [DIR]
#
# Searches the built Chinese pages as a reader does: headless Chromium
# opens DIR/zh_CN/search.html?q=TERM (DIR defaults to build/htmldocs), so
# that Sphinx's search index and its JavaScript both take part, and the
# pages it lists must include the ones named below for each glossary term.
# Fails too if Chromium is not installed: make htmldocs runs this only when
# it is.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(realpath "${1:-build/htmldocs}")

# TERM, then pages that must be listed: the glossary defines each term,
# and the other pages are about it.
checks=(
	"回收器 glossary.html reaping-tuning-hotplug.html labs/07-reaper.html"
	"着色 glossary.html alloc-path.html labs/08-colour.html"
)

status=0
for check in "${checks[@]}"; do
	read -r term pages <<< "$check"
	found=$(timeout 120 chromium --headless=new --no-sandbox --disable-gpu \
			--virtual-time-budget=10000 --dump-dom \
			"file://$dir/zh_CN/search.html?q=$term" 2>/dev/null |
		grep -o '<li><a href="[^"#]*' | sed 's/.*href="//' | sort -u)
	for page in $pages; do
		if ! grep -qxF "$page" <<< "$found"; then
			echo "docs-search: searching $term does not list $page"
			status=1
		fi
	done
	echo "docs-search: $term: $(wc -l <<< "$found") pages"
done
exit "$status"
