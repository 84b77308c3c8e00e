#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/tour.py VM.LOG OUT.html

Writes make tour's page: the console of a make demo run booted with
toyslab_tour=1 (scripts/guest/demo.sh then dumps the cache's views before
each step, between "toyslab-tour: views" and "toyslab-tour: end"), cut
into its steps, each with its text, its commands and their output, the
counters before and after, and the cache's picture (scripts/slabpic.py)
before and after.  One offline page: inline SVG and CSS, no script, no
external asset.  Fails if the log holds no step.
"""

import os
import re
import sys
from html import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slabpic  # noqa: E402

KERNEL_LINE = re.compile(r'^\[\s*\d+\.\d+\]')
ROW_WIDTH = 520		# two pictures side by side on a wide screen

CSS = '''
body { font-family: sans-serif; margin: 0 auto; max-width: 1900px;
       padding: 0 1em 3em; color: #222; background: #fff; }
h1 { margin: 0.6em 0 0.2em; }
nav { position: sticky; top: 0; background: #fff; padding: 0.4em 0;
      border-bottom: 1px solid #ccc; z-index: 1; }
nav a { margin-right: 0.6em; }
section.step { border-top: 2px solid #888; margin-top: 1.2em; }
p.text { white-space: pre-line; font-size: 1.05em; max-width: 60em; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto;
      font-size: 0.85em; }
pre .cmd { color: #2e5e1a; font-weight: bold; }
table.counters { border-collapse: collapse; font-size: 0.85em;
                 flex: none; }
table.counters td, table.counters th { border: 1px solid #ccc;
      padding: 1px 6px; text-align: right; }
table.counters tr.changed { background: #fff1bf; font-weight: bold; }
.pictures { display: flex; gap: 1em; align-items: flex-start; }
figure { margin: 0; flex: 1 1 0; min-width: 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-weight: bold; margin: 0.3em 0; }
.none { color: #888; font-style: italic; }
/* #step-N shows that step alone; the nav's "all" shows every step. */
body:has(section.step:target) section.step:not(:target) { display: none; }
'''


def console_lines(text):
    """The guest's part of the console: after its 'up', before its 'end'."""
    lines = text.replace('\r', '').splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.startswith('toyslab-vm: up ')), None)
    if start is None:
        return []
    out = []
    for line in lines[start + 1:]:
        if line.startswith('toyslab-vm: end '):
            break
        out.append(line)
    return out


def cut_steps(lines):
    """Steps as dicts: title, text, output lines, views before and after."""
    steps, views, pending = [], None, None
    for line in lines:
        if views is not None:
            if line == 'toyslab-tour: end':
                pending, views = '\n'.join(views) + '\n', None
                if steps:
                    steps[-1]['after'] = pending
            elif not KERNEL_LINE.match(line):
                views.append(line)
            continue
        if line == 'toyslab-tour: views':
            views = []
        elif line.startswith('=== '):
            steps.append({'title': line[4:], 'text': [], 'out': [],
                          'before': pending, 'after': None})
            pending = None
        elif steps:
            step = steps[-1]
            if (not step['out'] and line.startswith('    ') and
                    not line.startswith('     ')):
                step['text'].append(line.strip())
            elif line or step['out']:
                step['out'].append(line)
    return steps


def picture(bundle, uid):
    if bundle is None:
        return '<p class="none">no cache</p>'
    snap = slabpic.Snapshot('demo64', slabpic.split_bundle(bundle))
    return slabpic.render(snap, uid, ROW_WIDTH)


def counters(step):
    """Rows of the stats that either side has, changed ones marked."""
    before = slabpic.parse_pairs(slabpic.split_bundle(
        step['before'] or '').get('stats', ''))
    after = slabpic.parse_pairs(slabpic.split_bundle(
        step['after'] or '').get('stats', ''))
    names = list(before) + [n for n in after if n not in before]
    if not names:
        return ''
    rows = ['<tr><th>counter</th><th>before</th><th>after</th></tr>']
    for name in names:
        b, a = before.get(name, ''), after.get(name, '')
        cls = ' class="changed"' if b != a else ''
        rows.append('<tr%s><th>%s</th><td>%s</td><td>%s</td></tr>'
                    % (cls, escape(name), escape(b), escape(a)))
    return '<table class="counters">%s</table>' % ''.join(rows)


def output(lines):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    html = []
    for line in lines:
        if line.startswith('  # '):
            html.append('<span class="cmd">%s</span>' % escape(line))
        else:
            html.append(escape(line))
    return '<pre>%s</pre>' % '\n'.join(html) if html else ''


def page(steps):
    nav = ['<a href="#">all</a>'] + ['<a href="#step-%d">%d</a>' % (i, i)
                                     for i in range(1, len(steps) + 1)]
    body = []
    for i, step in enumerate(steps, 1):
        body.append(
            '<section class="step" id="step-%d">\n<h2>%d. %s</h2>\n'
            '<p class="text">%s</p>\n%s\n<div class="pictures">\n%s\n'
            '<figure class="before"><figcaption>before</figcaption>%s'
            '</figure>\n<figure class="after"><figcaption>after'
            '</figcaption>%s</figure>\n</div>\n</section>'
            % (i, i, escape(step['title']),
               escape('\n'.join(step['text'])), output(step['out']),
               counters(step), picture(step['before'], '-%db' % i),
               picture(step['after'], '-%da' % i)))
    return ('<!DOCTYPE html>\n<!-- SPDX-License-Identifier: GPL-2.0 -->\n'
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<title>toyslab: the tour of make demo</title>\n'
            '<style>%s</style>\n</head>\n<body>\n'
            '<h1>toyslab: the tour of <code>make demo</code></h1>\n'
            '<p>One 64-byte cache along the kmem_cache_alloc() walkthrough, '
            'step by step: what each step does, the commands, the counters '
            'and the cache before and after it.</p>\n'
            '<nav>Steps: %s</nav>\n%s\n</body>\n</html>\n'
            % (CSS, ' '.join(nav), '\n'.join(body)))


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    with open(argv[1], errors='replace') as f:
        steps = cut_steps(console_lines(f.read()))
    if not steps:
        print('tour.py: no step in %s' % argv[1], file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(argv[2])), exist_ok=True)
    with open(argv[2], 'w') as f:
        f.write(page(steps))
    print('  TOUR    %d steps -> %s' % (len(steps), argv[2]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
