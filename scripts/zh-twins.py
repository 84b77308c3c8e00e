#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/zh-twins.py [DOCS]

Checks that the Chinese pages keep up with the English ones; make htmldocs
runs it.  Every page DOCS/PAGE.rst (DOCS defaults to Documentation) must
have a twin, DOCS/translations/zh_CN/PAGE.rst, which holds

- as many section titles as the page,
- the same figures: each graphviz, slabpic, figure or image directive of
  the page has one in the twin that draws the same file,
- every inline literal of the page (``...``, its blanks folded to one),
  since a translation keeps code, commands, files and counters as they
  are.

The teacher's answers, the blocks under ".. only:: teacher", are left out
of the page: the students' pages are what the twins must follow, and
the answers' translation may come later (Documentation/teaching.rst).

New English text almost always names something in a literal, so a twin
that lacks one has missed the text around it.  Prose without a literal,
or a changed number, goes unseen: this finds most drift, not all of it.
Prints what each twin lacks, with the line of the English page, and
fails if any twin lacks anything.
"""

import collections
import glob
import os
import re
import sys

TITLE_LINE = re.compile(r'([=\-~^"\'`#*+])\1+')
FIGURE = re.compile(r'^\s*\.\. (?:graphviz|slabpic|figure|image)::\s*(\S+)',
                    re.M)
# An inline literal: ``, text on one line or on lines that follow each
# other, ``; not a run of three or more backquotes.
LITERAL = re.compile(r'(?<!`)``(?!`)((?:(?!\n\s*\n).)+?)(?<!`)``(?!`)', re.S)


def titles(lines):
    """The section titles: a text line underlined at column 0."""
    return [lines[i - 1] for i in range(1, len(lines))
            if TITLE_LINE.fullmatch(lines[i]) and lines[i - 1].strip()
            and not TITLE_LINE.fullmatch(lines[i - 1])]


def figures(path, text):
    """The files the page's figures draw, as real paths."""
    here = os.path.dirname(path)
    return collections.Counter(
        os.path.realpath(os.path.join(here, target))
        for target in FIGURE.findall(text))


def literals(text):
    """Each inline literal, blanks folded, with the line it starts on."""
    found = {}
    for m in LITERAL.finditer(text):
        found.setdefault(' '.join(m.group(1).split()),
                         text.count('\n', 0, m.start()) + 1)
    return found


def students(text):
    """text with its teacher-only blocks blanked, lines kept."""
    lines = text.split('\n')
    indent = None
    for i, line in enumerate(lines):
        if indent is not None:
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                indent = None
            else:
                lines[i] = ''
                continue
        if line.strip() == '.. only:: teacher':
            indent = len(line) - len(line.lstrip())
            lines[i] = ''
    return '\n'.join(lines)


def check(docs, page, twin):
    """What TWIN lacks of PAGE, one complaint a line."""
    with open(page, encoding='utf-8') as f:
        text = students(f.read())
    with open(twin, encoding='utf-8') as f:
        twin_text = f.read()
    lines, twin_lines = text.split('\n'), twin_text.split('\n')
    out = []
    n, twin_n = len(titles(lines)), len(titles(twin_lines))
    if n != twin_n:
        out.append('%s has %d section titles, %s %d'
                   % (twin, twin_n, page, n))
    ours = figures(twin, twin_text)
    for fig, count in figures(page, text).items():
        if ours[fig] < count:
            out.append('%s lacks the figure of %s (%s)'
                       % (twin, os.path.relpath(fig, docs), page))
    have = literals(twin_text)
    for literal, line in literals(text).items():
        if literal not in have:
            out.append('%s lacks ``%s`` (%s:%d)'
                       % (twin, literal, page, line))
    return out


def main(argv):
    if len(argv) > 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    docs = argv[1] if len(argv) == 2 else 'Documentation'
    zh = os.path.join(docs, 'translations', 'zh_CN')
    complaints = []
    for page in sorted(glob.glob(os.path.join(docs, '*.rst')) +
                       glob.glob(os.path.join(docs, '*', '*.rst'))):
        if page.startswith(os.path.join(docs, 'translations')):
            continue
        twin = os.path.join(zh, os.path.relpath(page, docs))
        if not os.path.exists(twin):
            complaints.append('%s has no twin %s' % (page, twin))
            continue
        complaints += check(docs, page, twin)
    for complaint in complaints:
        print('zh-twins: ' + complaint)
    return 1 if complaints else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
