#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/answers-check.py absent|present HTMLDIR DOCDIR

Checks that the teacher's answers, the blocks of DOCDIR's .rst files
(translations included) under ".. only:: teacher", are absent from every
file of the built HTMLDIR (pages, search index, anything but Sphinx's
.doctrees cache), or that each of them is present: make htmldocs checks
the students' build one way, make htmldocs TEACHER=1 the teacher's the
other, which shows that the search can find what it looks for.

An answer is looked for by its longest stretch of plain prose, five
words at least (or six Chinese characters): words that reStructuredText
renders as they are, so that the stretch is in the page's text once its
tags are gone.  Fails if an answer has no such stretch.
"""

import html
import os
import re
import sys

MARKUP = re.compile(r'``.*?``|:[a-z]+:`.*?`|`.*?`_?|\*\*?.*?\*\*?|\[\.\.\.\]')
LATIN = re.compile(r'[A-Za-z]+(?: [A-Za-z]+){4,}')
CJK = re.compile(r'[\u4e00-\u9fff]{6,}')


def answers(docdir):
    """(file, line, text) of every teacher-only block under docdir."""
    for root, _, files in os.walk(docdir):
        for name in sorted(files):
            if not name.endswith('.rst'):
                continue
            path = os.path.join(root, name)
            with open(path, encoding='utf-8') as f:
                lines = f.read().split('\n')
            for i, line in enumerate(lines):
                if line.strip() != '.. only:: teacher':
                    continue
                indent = len(line) - len(line.lstrip())
                body = []
                for nxt in lines[i + 1:]:
                    if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                        break
                    body.append(nxt.strip())
                yield path, i + 1, ' '.join(body)


def stretch(text):
    """The answer's longest stretch of plain prose, or None."""
    plain = MARKUP.sub(' | ', text)
    found = LATIN.findall(plain) + CJK.findall(plain)
    return max(found, key=len) if found else None


def built_text(htmldir):
    """Every built file's text, tags dropped, blanks collapsed."""
    texts = []
    for root, dirs, files in os.walk(htmldir):
        dirs[:] = [d for d in dirs if d != '.doctrees']
        for name in files:
            if not name.endswith(('.html', '.js', '.txt')):
                continue
            with open(os.path.join(root, name), encoding='utf-8',
                      errors='replace') as f:
                text = f.read()
            text = html.unescape(re.sub(r'<[^>]*>', ' ', text))
            texts.append(' '.join(text.split()))
    return '\n'.join(texts)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('absent', 'present'):
        sys.exit(__doc__.split('\n')[0])
    mode, htmldir, docdir = sys.argv[1:]
    text = built_text(htmldir)
    bad = 0
    count = 0
    for path, line, answer in answers(docdir):
        count += 1
        words = stretch(answer)
        if not words:
            print('%s:%d: a teacher block with no stretch of five plain '
                  'words to look for' % (path, line))
            bad += 1
        elif (words in text) != (mode == 'present'):
            print('%s:%d: the answer is %s %s: "%s"' %
                  (path, line, 'not in' if mode == 'present' else 'in',
                   htmldir, words))
            bad += 1
    if not count:
        print('answers-check: no ".. only:: teacher" block under %s' % docdir)
        bad += 1
    if bad:
        sys.exit(1)
    print('  DOCS    %d teacher answers %s %s' % (count, mode, htmldir))


if __name__ == '__main__':
    main()
