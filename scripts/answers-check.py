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
tags are gone.  Fails if an answer has no such stretch.  A translated
answer (under DOCDIR/translations/LANG/) is looked for by its longest
stretch of Chinese, and must be present in the build of its language,
HTMLDIR/LANG/; an English answer in the rest of HTMLDIR.  So the English
build cannot stand in for a missing translation, nor the other way
round.  Absent means absent from every file of HTMLDIR.
"""

import html
import os
import re
import sys

MARKUP = re.compile(r'``.*?``|:[a-z]+:`.*?`|`.*?`_?|\*\*?.*?\*\*?|\[\.\.\.\]')
LATIN = re.compile(r'[A-Za-z]+(?: [A-Za-z]+){4,}')
CJK = re.compile(r'[\u4e00-\u9fff]{6,}')


def language(docdir, path):
    """The translation PATH belongs to (its LANG), or None for English."""
    rel = os.path.relpath(path, docdir).split(os.sep)
    return rel[1] if len(rel) > 2 and rel[0] == 'translations' else None


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


def stretch(text, lang):
    """The answer's longest stretch of plain prose (Chinese for a
    translation), or None."""
    plain = MARKUP.sub(' | ', text)
    found = CJK.findall(plain)
    if not lang:
        found += LATIN.findall(plain)
    return max(found, key=len) if found else None


def built_text(htmldir, skip=()):
    """Every built file's text, tags dropped, blanks collapsed; the
    subdirectories named in skip (at the top) left out."""
    texts = []
    for root, dirs, files in os.walk(htmldir):
        dirs[:] = [d for d in dirs if d != '.doctrees' and
                   not (root == htmldir and d in skip)]
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
    found = list(answers(docdir))
    langs = sorted({language(docdir, path) for path, _, _ in found} - {None})
    if mode == 'absent':
        texts = dict.fromkeys([None] + langs, built_text(htmldir))
    else:
        texts = {None: built_text(htmldir, langs)}
        texts.update((lang, built_text(os.path.join(htmldir, lang)))
                     for lang in langs)
    bad = 0
    count = {}
    for path, line, answer in found:
        lang = language(docdir, path)
        count[lang] = count.get(lang, 0) + 1
        words = stretch(answer, lang)
        where = htmldir
        if mode == 'present' and lang:
            where = os.path.join(htmldir, lang)
        if not words:
            print('%s:%d: a teacher block with no stretch of %s to look for'
                  % (path, line, 'six Chinese characters' if lang else
                     'five plain words'))
            bad += 1
        elif (words in texts[lang]) != (mode == 'present'):
            print('%s:%d: the answer is %s %s: "%s"' %
                  (path, line, 'not in' if mode == 'present' else 'in',
                   where, words))
            bad += 1
    if not count:
        print('answers-check: no ".. only:: teacher" block under %s' % docdir)
        bad += 1
    if bad:
        sys.exit(1)
    print('  DOCS    %d teacher answers %s %s%s' % (
        count.get(None, 0), mode, htmldir,
        ''.join(', %d of %s' % (count[lang], lang) for lang in langs)))


if __name__ == '__main__':
    main()
