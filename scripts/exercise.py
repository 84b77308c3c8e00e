#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/exercise.py list
       scripts/exercise.py show NAME
       scripts/exercise.py make NAME DIR
       scripts/exercise.py blank NAME FILE

The coding exercises of exercises/NAME.ex: a copy of the tree in which
one function's body is a TODO stating its contract, and a stub.

  list   the exercises' names
  show   NAME's function, selftests, scenarios and nodes, one per line as
         "KEY VALUE...", for scripts/grade-exercise.sh
  make   writes the copy: every file git tracks (as it is in the work
         tree) into DIR, which must not exist or be empty, with build/'s
         kernels linked from this tree's, so that make works there; then
         blanks the function
  blank  prints FILE (a C file of the tree) with the function blanked;
         make lint checks with it that every exercise still applies

An exercise file holds "KEY VALUE..." lines (function, selftests,
scenarios, nodes), "#" comments, then a line "todo" and the TODO's text.
The function is found by its name wherever it is defined at the top of
the tree, in kernel style: the line that starts its definition at column
0, its body from a "{" alone on a line to the next "}" alone on a line.
Exactly one definition must match, or the exercise fails with an error:
an exercise cannot silently drift when the code moves or changes.  The
body becomes the TODO as a comment and a stub that compiles: return
NULL, 0 or nothing, as the return type says.  A static function only the
body called is marked __maybe_unused, so that the stub builds W=1 clean.
"""

import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXDIR = os.path.join(TOP, 'exercises')
KEYS = ('function', 'selftests', 'scenarios', 'nodes')
BUILD_LINKS = ('kernel-6.1', 'kernel-6.12', 'linux-6.1', 'linux-6.12',
               'kernel')
QUALIFIERS = {'static', 'inline', '__always_inline', 'noinline',
              '__maybe_unused', 'extern'}


class ExerciseError(Exception):
    pass


def names():
    return sorted(f[:-3] for f in os.listdir(EXDIR) if f.endswith('.ex'))


def load(name):
    """The exercise's keys, and its TODO as a list of lines."""
    path = os.path.join(EXDIR, name + '.ex')
    if not os.path.exists(path):
        raise ExerciseError('no exercise %s (there are: %s)' %
                            (name, ', '.join(names())))
    spec = {}
    todo = None
    with open(path, encoding='utf-8') as f:
        for line in f.read().split('\n'):
            if todo is not None:
                todo.append(line.rstrip())
            elif line.strip() == 'todo':
                todo = []
            elif line.strip() and not line.startswith('#'):
                key, _, value = line.partition(' ')
                if key not in KEYS:
                    raise ExerciseError('%s: unknown key %s' % (path, key))
                spec[key] = value.split()
    for key in KEYS:
        if key not in spec:
            raise ExerciseError('%s: no %s line' % (path, key))
    if len(spec['function']) != 1 or not todo or not any(todo):
        raise ExerciseError('%s: needs one function and a todo' % path)
    if any(len(t) > 69 for t in todo):
        raise ExerciseError('%s: a todo line is longer than 69 characters, '
                            'too long for a comment in the body' % path)
    while todo and not todo[-1]:
        todo.pop()
    return spec, todo


def definition(lines, func):
    """(first, open, close): the line indexes of func's definition, its
    opening brace and its closing brace; None if it is not defined."""
    start = re.compile(r'^[A-Za-z_].*[^A-Za-z0-9_]%s\(' % re.escape(func))
    found = []
    for i, line in enumerate(lines):
        if not start.match(line) or line.rstrip().endswith(';'):
            continue
        j = i
        while j < len(lines) and lines[j] != '{':
            if lines[j].rstrip().endswith(';') or (j > i and
                                                   not lines[j].startswith((' ', '\t'))):
                break
            j += 1
        if j == len(lines) or lines[j] != '{':
            continue
        k = lines.index('}', j)
        found.append((i, j, k))
    if len(found) > 1:
        raise ExerciseError('%s() is defined %d times' % (func, len(found)))
    return found[0] if found else None


def find(func):
    """The C file at the top of the tree that defines func."""
    files = sorted(f for f in os.listdir(TOP) if f.endswith('.c'))
    hits = []
    for name in files:
        with open(os.path.join(TOP, name), encoding='utf-8') as f:
            if definition(f.read().split('\n'), func):
                hits.append(name)
    if len(hits) != 1:
        raise ExerciseError('%s() is defined in %s' %
                            (func, ', '.join(hits) or 'no file of the tree'))
    return hits[0]


def stub_return(signature, func):
    """The stub's return statement, from the signature's return type."""
    rtype = signature[:signature.index(func + '(')]
    words = [w for w in rtype.replace('*', ' * ').split()
             if w not in QUALIFIERS]
    if '*' in words:
        return 'return NULL;'
    if words == ['void']:
        return None
    return 'return 0;'


def uncommented(text):
    """C text without its comments, which name functions they do not call."""
    return re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.S)


def mark_unused(lines):
    """Mark static functions no longer referenced __maybe_unused."""
    defs = re.compile(r'^static (?!inline|__always_inline)([^;(]*?)'
                      r'([A-Za-z_][A-Za-z0-9_]*)\($')
    text = uncommented('\n'.join(lines))
    for i, line in enumerate(lines):
        m = defs.match(line.split('(')[0] + '(')
        if not m or '__maybe_unused' in line:
            continue
        name = m.group(2)
        where = definition(lines, name)
        if not where or where[0] != i:
            continue
        own = uncommented('\n'.join(lines[where[0]:where[2] + 1]))
        uses = len(re.findall(r'\b%s\b' % name, text))
        uses -= len(re.findall(r'\b%s\b' % name, own))
        protos = len(re.findall(r'^static [^\n;{]*\b%s\([^;{]*;' % name,
                                text, re.M))
        if uses - protos == 0:
            lines[i] = line.replace('static ', 'static __maybe_unused ', 1)


def blank(name, text):
    """text (a C file) with the exercise's function blanked."""
    spec, todo = load(name)
    func = spec['function'][0]
    lines = text.split('\n')
    where = definition(lines, func)
    if not where:
        raise ExerciseError('%s() is not defined there' % func)
    first, opening, closing = where
    signature = ' '.join(lines[first:opening])
    body = ['\t/*', '\t * TODO (make exercise EX=%s)' % name, '\t *']
    body += ['\t *' + (' ' + t if t else '') for t in todo]
    body.append('\t */')
    ret = stub_return(signature, func)
    if ret:
        body.append('\t' + ret)
    lines[opening + 1:closing] = body
    mark_unused(lines)
    return '\n'.join(lines)


def copy_tree(dest):
    if os.path.exists(dest) and os.listdir(dest):
        raise ExerciseError('%s exists and is not empty' % dest)
    files = subprocess.run(['git', '-C', TOP, 'ls-files', '-z'], check=True,
                           capture_output=True).stdout.decode().split('\0')
    for rel in filter(None, files):
        src = os.path.join(TOP, rel)
        if not os.path.lexists(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)
    os.makedirs(os.path.join(dest, 'build'), exist_ok=True)
    for link in BUILD_LINKS:
        target = os.path.join(TOP, 'build', link)
        if os.path.exists(target):
            os.symlink(os.path.realpath(target),
                       os.path.join(dest, 'build', link))


def main(argv):
    if len(argv) == 2 and argv[1] == 'list':
        print('\n'.join(names()))
    elif len(argv) == 3 and argv[1] == 'show':
        spec, _ = load(argv[2])
        print('file ' + find(spec['function'][0]))
        for key in KEYS:
            print(' '.join([key] + spec[key]))
    elif len(argv) == 4 and argv[1] == 'blank':
        with open(argv[3], encoding='utf-8') as f:
            sys.stdout.write(blank(argv[2], f.read()))
    elif len(argv) == 4 and argv[1] == 'make':
        name, dest = argv[2], argv[3]
        spec, _ = load(name)
        func = spec['function'][0]
        path = find(func)
        copy_tree(dest)
        target = os.path.join(dest, path)
        with open(target, encoding='utf-8') as f:
            text = blank(name, f.read())
        with open(target, 'w', encoding='utf-8') as f:
            f.write(text)
        print('exercise: %s: %s() in %s is yours to write (make grade '
              'EX=%s DIR=%s)' % (dest, func, path, name, dest))
    else:
        sys.exit(__doc__.split('\n\n')[0])


if __name__ == '__main__':
    try:
        main(sys.argv)
    except ExerciseError as e:
        sys.exit('exercise: %s' % e)
