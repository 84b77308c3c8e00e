#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/slabpic.py SNAPSHOT [OUT.svg]

Draws one toyslab cache as an SVG picture from a snapshot of its debugfs
views: the per-CPU, shared and alien arrays as stacks (top, the next
object out, at the top), then each node's full, partial and free lists
with every slab a row of object cells coloured by state, its colour
offset and its freelist where they lie in the slab's pages.

SNAPSHOT is a directory holding copies of caches/NAME/'s files (layout,
stats, cpus, nodes, arrays, slabs, map; any may be missing), or a text
bundle of them, each after a line "==> PATH <==" (as head prints several
files; only PATH's last component counts), or - for a bundle on stdin.
Writes the SVG to OUT.svg, or to stdout.  Python's standard library only.
"""

import os
import re
import sys
from html import escape

# One colour per object state, as the map view's letters name them.
STATES = [
    ('A', 'allocated', '#d1495b'),
    ('c', 'in a per-CPU array', '#2e86ab'),
    ('s', 'in a shared array', '#3f9e62'),
    ('a', 'in an alien cache', '#e8a33d'),
    ('q', 'quarantined', '#7a5195'),
    ('.', 'free in its slab', '#f4f1ea'),
]
STATE_FILL = {s: fill for s, _, fill in STATES}
STATE_NAME = {s: name for s, name, _ in STATES}
ARRAY_STATE = {'cpu': 'c', 'shared': 's', 'alien': 'a'}
LISTS = ('full', 'partial', 'free')
VIEWS = ('layout', 'stats', 'cpus', 'nodes', 'arrays', 'slabs', 'map')

FONT = 'font-family="DejaVu Sans Mono, monospace"'
ROW_W = 768		# a slab's pages, whatever their size
CELL_H = 18
STACK_W = 84
STACK_COL = 160		# from one array's gauge to the next one's
STACK_CELL_H = 16
STACK_SHOWN = 12	# entries drawn before the middle is cut
PAGE_SIZE = 4096


class Snapshot:
    """The parsed views of one cache; absent views stay empty."""

    def __init__(self, name, files):
        self.name = name
        self.layout = parse_pairs(files.get('layout', ''))
        self.stats = parse_pairs(files.get('stats', ''))
        self.cpus = parse_table(files.get('cpus', ''))
        self.nodes = parse_table(files.get('nodes', ''))
        self.arrays, notes_a = parse_arrays(files.get('arrays', ''))
        self.slabs, notes_s = parse_slabs(files.get('slabs', ''))
        self.map, notes_m = parse_map(files.get('map', ''))
        self.notes = list(dict.fromkeys(notes_a + notes_s + notes_m))

    def states(self, slab):
        """The slab's object states: the map's, else derived."""
        if slab['id'] in self.map:
            return self.map[slab['id']]
        num = slab['num']
        states = ['A'] * num
        for i in slab['free']:
            if 0 <= i < num:
                states[i] = '.'
        for arr in self.arrays:
            for sid, idx, _ in arr['entries']:
                if sid == slab['id'] and 0 <= idx < num:
                    states[idx] = ARRAY_STATE[arr['kind']]
        return ''.join(states)


def parse_pairs(text):
    """'name value' lines (layout, stats) as a dict of strings."""
    pairs = {}
    for line in text.splitlines():
        words = line.split(None, 1)
        if len(words) == 2:
            pairs[words[0]] = words[1].strip()
    return pairs


def parse_table(text):
    """A header line, then rows of numbers (cpus, nodes)."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    head = lines[0]
    return [dict(zip(head, (int(w) for w in row)))
            for row in lines[1:] if len(row) == len(head) and
            all(w.isdigit() for w in row)]


ARRAY_RE = re.compile(r'^(cpu|shared|alien) (\S+) avail (\d+) limit (\d+) '
                      r'batchcount (\d+) touched (\d+):(.*)$')
ENTRY_RE = re.compile(r'^(\d+):(\d+)(p?)$')


def parse_arrays(text):
    arrays, notes = [], []
    for line in text.splitlines():
        m = ARRAY_RE.match(line.strip())
        if not m:
            if line.strip():
                notes.append(line.strip())
            continue
        entries = []
        for word in m.group(7).split():
            e = ENTRY_RE.match(word)
            if e:
                entries.append((int(e.group(1)), int(e.group(2)),
                                e.group(3) == 'p'))
        arrays.append({'kind': m.group(1), 'id': m.group(2),
                       'avail': int(m.group(3)), 'limit': int(m.group(4)),
                       'batchcount': int(m.group(5)),
                       'touched': int(m.group(6)), 'entries': entries})
    return arrays, notes


SLAB_KEYS = ('slab', 'node', 'list', 'colour', 'freelist', 'active',
             'pfmemalloc')


def parse_slabs(text):
    slabs, notes = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith('slab '):
            if line:
                notes.append(line)
            continue
        head, _, free = line.partition('free:')
        fields, key = {}, None
        for word in head.split():
            if word in SLAB_KEYS and word not in fields:
                key = word
                fields[key] = []
            elif key:
                fields[key].append(word)
        try:
            active, num = (int(x) for x in fields['active'][0].split('/'))
            slabs.append({
                'id': int(fields['slab'][0]),
                'node': int(fields['node'][0]),
                'list': fields['list'][0],
                'colour': int(fields.get('colour', ['0'])[0]),
                'freelist': ' '.join(fields.get('freelist', [])),
                'active': active, 'num': num,
                'pfmemalloc': fields.get('pfmemalloc', ['0'])[0] == '1',
                'free': [int(w) for w in free.split() if w.isdigit()],
            })
        except (KeyError, IndexError, ValueError):
            notes.append(line)
    return slabs, notes


MAP_RE = re.compile(r'^slab (\d+) node (\d+) (\w+) ([Acsaq.]+)$')


def parse_map(text):
    rows, notes = {}, []
    for line in text.splitlines():
        line = line.strip()
        m = MAP_RE.match(line)
        if m:
            rows[int(m.group(1))] = m.group(4)
        elif line and 'left out' in line:
            notes.append(line)
    return rows, notes


BUNDLE_RE = re.compile(r'^==> (.*) <==$')


def split_bundle(text):
    """A bundle's files by their last path component."""
    files, name = {}, None
    for line in text.splitlines():
        m = BUNDLE_RE.match(line)
        if m:
            name = os.path.basename(m.group(1).rstrip('/'))
            files[name] = ''
        elif name is not None:
            files[name] += line + '\n'
    return files


def load(path):
    """A Snapshot from a directory, a bundle file, or - (stdin)."""
    if path == '-':
        return Snapshot('', split_bundle(sys.stdin.read()))
    if os.path.isdir(path):
        files = {}
        for view in VIEWS:
            try:
                with open(os.path.join(path, view)) as f:
                    files[view] = f.read()
            except FileNotFoundError:
                pass
        return Snapshot(os.path.basename(os.path.abspath(path)), files)
    with open(path) as f:
        return Snapshot(os.path.splitext(os.path.basename(path))[0],
                        split_bundle(f.read()))


class Canvas:
    """SVG elements laid out top to bottom."""

    def __init__(self, row_w):
        self.row_w = row_w
        self.parts = []
        self.width = 0
        self.height = 0

    def add(self, element, right, bottom):
        self.parts.append(element)
        self.width = max(self.width, right)
        self.height = max(self.height, bottom)

    def text(self, x, y, s, size=12, cls='', weight='normal',
             anchor='start', fill='#222'):
        c = ' class="%s"' % cls if cls else ''
        self.add('<text x="%g" y="%g" font-size="%d" font-weight="%s" '
                 'text-anchor="%s" fill="%s"%s>%s</text>'
                 % (x, y, size, weight, anchor, fill, c, escape(s)),
                 x + (len(s) * size * 0.62 if anchor == 'start' else 0), y + 4)

    def rect(self, x, y, w, h, fill, cls='', title='', stroke='#555',
             extra=''):
        c = ' class="%s"' % cls if cls else ''
        t = '<title>%s</title>' % escape(title) if title else ''
        close = '>%s</rect>' % t if t else '/>'
        self.add('<rect x="%g" y="%g" width="%g" height="%g" fill="%s" '
                 'stroke="%s" stroke-width="0.6"%s%s%s'
                 % (x, y, w, h, fill, stroke, c, extra, close),
                 x + w, y + h)


def layout_int(snap, key, default=0):
    try:
        return int(snap.layout.get(key, default))
    except ValueError:
        return default


def draw_title(cv, snap, y):
    name = snap.name or 'cache'
    cv.text(10, y + 16, 'toyslab cache %s' % name, 16, 'title', 'bold')
    lay = snap.layout
    if lay:
        cv.text(10, y + 36, 'size %s (object %s)  num %s  order %s  '
                'colour %s x %s B  freelist %s'
                % (lay.get('size', '?'), lay.get('object_size', '?'),
                   lay.get('num', '?'), lay.get('gfporder', '?'),
                   lay.get('colour', '?'), lay.get('colour_off', '?'),
                   lay.get('freelist', '?')), 12, 'layout')
    keys = ('allochit', 'allocmiss', 'freehit', 'freemiss', 'allocs',
            'grown', 'reaped', 'active_objs', 'num_objs', 'num_slabs')
    shown = ['%s %s' % (k, snap.stats[k]) for k in keys if k in snap.stats]
    # As many counters a line as fit the width of a slab row and label.
    lines, line = [], ''
    for item in shown:
        if line and (len(line) + 2 + len(item)) * 6.9 > cv.row_w + 200:
            lines.append(line)
            line = ''
        line = line + '  ' + item if line else item
    if line:
        lines.append(line)
    for i, line in enumerate(lines):
        cv.text(10, y + 54 + 15 * i, line, 11, 'stats', fill='#444')
    return y + 66 + 15 * max(len(lines) - 1, 0)


def draw_legend(cv, y):
    """The swatches, wrapped to the width of a slab row and its label."""
    items = [(STATE_FILL[st], 'legend legend-' + state_class(st), name)
             for st, name, _ in STATES]
    items += [('url(#hatch)', 'legend', 'colour offset'),
              ('#3b3b3b', 'legend', 'freelist'),
              ('#dcdcdc', 'legend', 'left over')]
    x = 10
    for fill, cls, name in items:
        width = 24 + len(name) * 7
        if x + width > cv.row_w + 120:
            x, y = 10, y + 20
        cv.rect(x, y, 14, 14, fill, cls)
        cv.text(x + 19, y + 11, name, 11)
        x += width
    return y + 26


def state_class(state):
    return 'free' if state == '.' else state


def array_label(arr):
    if arr['kind'] == 'cpu':
        return 'CPU %s' % arr['id']
    if arr['kind'] == 'shared':
        return 'shared, node %s' % arr['id']
    return 'alien %s' % arr['id'].replace('>', ' > ')


def arrays_from_tables(snap):
    """Without the arrays view: the cpus and nodes tables' counts."""
    arrays = [{'kind': 'cpu', 'id': str(r['cpu']), 'avail': r['avail'],
               'limit': r['limit'], 'batchcount': r['batchcount'],
               'touched': r['touched'], 'entries': None}
              for r in snap.cpus if 'cpu' in r]
    arrays += [{'kind': 'shared', 'id': str(r['node']),
                'avail': r['shared_avail'], 'limit': r['shared_limit'],
                'batchcount': None, 'touched': None, 'entries': None}
               for r in snap.nodes if r.get('shared_limit')]
    return arrays


def draw_stack(cv, x, y, arr):
    """One array: a gauge of avail/limit beside its top entries."""
    state = ARRAY_STATE[arr['kind']]
    fill = STATE_FILL[state]
    cv.text(x, y + 12, array_label(arr), 12, 'array-title', 'bold')
    info = 'avail %d/%d' % (arr['avail'], arr['limit'])
    cv.text(x, y + 26, info, 10, fill='#444')
    # An alien cache's batchcount is SLAB's 0xbaadf00d: unused.
    batch = arr['batchcount']
    if batch is not None and batch > arr['limit']:
        batch = None
    if arr['touched'] is not None:
        cv.text(x, y + 38, 'batch %s touched %d'
                % ('-' if batch is None else batch, arr['touched']), 10,
                fill='#444')
    top = y + 48
    height = (STACK_SHOWN + 1) * STACK_CELL_H
    # The gauge: how full the array is, with batchcount marked.
    cv.rect(x, top, 10, height, '#ffffff', 'gauge')
    if arr['limit']:
        h = height * min(arr['avail'], arr['limit']) / arr['limit']
        cv.rect(x, top + height - h, 10, h, fill, 'gauge-fill')
        if batch:
            by = top + height - height * batch / arr['limit']
            cv.add('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#000" '
                   'stroke-dasharray="2,1"/>' % (x - 3, by, x + 13, by),
                   x + 13, by)
    sx = x + 16
    entries = arr['entries']
    if entries is None:
        cv.text(sx, top + 14, '(no arrays view)', 9, fill='#888')
        return x + STACK_COL, top + height
    cv.rect(sx, top, STACK_W, height, 'none', 'stack', stroke='#999')
    # Top of the stack first: entry[avail - 1] leaves next.
    shown = list(reversed(entries))
    cut = None
    if len(shown) > STACK_SHOWN:
        cut = len(shown) - (STACK_SHOWN - 1)
        shown = shown[:STACK_SHOWN - 4] + [None] + shown[-3:]
    cy = top
    for entry in shown:
        if entry is None:
            cv.rect(sx, cy, STACK_W, STACK_CELL_H, '#ffffff', 'stack-cut',
                    stroke='#999')
            cv.text(sx + STACK_W / 2, cy + 12, '... %d more' % cut, 10,
                    anchor='middle', fill='#555')
        else:
            sid, idx, pf = entry
            label = '%d:%d%s' % (sid, idx, 'p' if pf else '')
            cv.rect(sx, cy, STACK_W, STACK_CELL_H, fill,
                    'entry entry-' + state, 'slab %d object %d%s' %
                    (sid, idx, ', pfmemalloc' if pf else ''),
                    stroke='#d1495b' if pf else '#fff',
                    extra=' data-slab="%d" data-index="%d"' % (sid, idx))
            cv.text(sx + STACK_W / 2, cy + 12, label, 10, anchor='middle',
                    fill='#fff')
        cy += STACK_CELL_H
    if entries:
        cv.text(sx + STACK_W + 3, top + 11, '< top', 9, fill='#555')
    else:
        cv.text(sx + STACK_W / 2, top + 14, 'empty', 10, anchor='middle',
                fill='#888')
    if len(entries) != arr['avail']:
        cv.text(sx, top + height + 12, '%d of %d listed'
                % (len(entries), arr['avail']), 9, fill='#a00')
    return x + STACK_COL, top + height + 14


def draw_arrays(cv, snap, y):
    arrays = snap.arrays or arrays_from_tables(snap)
    if not arrays:
        return y
    cv.text(10, y + 14, 'Arrays (entries as SLAB:INDEX)', 13, 'section',
            'bold')
    x, bottom, y0 = 10, y + 20, y + 22
    for arr in arrays:
        if x + STACK_COL > cv.row_w + 240:
            x, y0 = 10, bottom + 10
        x, b = draw_stack(cv, x, y0, arr)
        bottom = max(bottom, b)
    return bottom + 10


def slab_geometry(snap, num):
    """Bytes of the slab's pages, of an object, of an on-slab freelist."""
    size = layout_int(snap, 'size')
    order = layout_int(snap, 'gfporder')
    total = PAGE_SIZE << order
    if not size or size * num > total:
        return num, 1, 0	# unknown layout: equal cells, nothing else
    freelist = num if snap.layout.get('freelist') == 'on-slab' else 0
    return total, size, freelist


def freelist_object(slab):
    """The object an objfreelist slab keeps its freelist in, or None.

    A free object holds it, the one handed out last: the last of the
    free indexes (a full slab needs none).  The views say "obj".
    """
    if slab['freelist'].startswith('obj') and slab['free']:
        return slab['free'][-1]
    return None


def draw_slab(cv, snap, x, y, slab):
    states = snap.states(slab)
    num = len(states)
    total, size, fl_bytes = slab_geometry(snap, num)
    scale = cv.row_w / total
    label = 'slab %d' % slab['id']
    cv.text(x, y + 13, label, 11, 'slab-label', 'bold')
    cv.text(x + 64, y + 13, '%d/%d' % (slab['active'], num), 10,
            fill='#444')
    bx = x + 110
    # The whole of the slab's pages first, as left over.
    cv.rect(bx, y, cv.row_w, CELL_H, '#dcdcdc', 'slab', stroke='#888',
            extra=' data-slab="%d" data-list="%s"'
            % (slab['id'], slab['list']))
    colour = slab['colour'] if size > 1 else 0
    if colour:
        cv.rect(bx, y, colour * scale, CELL_H, 'url(#hatch)', 'colour',
                'colour offset %d bytes' % colour)
    fl_where = slab['freelist'] or snap.layout.get('freelist', '')
    if fl_bytes and fl_where.startswith('on'):
        fx = bx + (total - fl_bytes) * scale
        cv.rect(fx, y, fl_bytes * scale, CELL_H, '#3b3b3b', 'freelist',
                'on-slab freelist, %d bytes at the end' % fl_bytes)
    fl_obj = freelist_object(slab)
    ox = bx + colour * scale
    w = size * scale
    for i, state in enumerate(states):
        cls = 'obj obj-' + state_class(state)
        cv.rect(ox + i * w, y, w, CELL_H, STATE_FILL[state], cls,
                'slab %d object %d: %s' % (slab['id'], i, STATE_NAME[state]),
                stroke='#666' if w >= 3 else 'none',
                extra=' data-index="%d"' % i)
        if fl_obj == i:
            cv.rect(ox + i * w + w * 0.25, y + 4, w * 0.5, CELL_H - 8,
                    '#3b3b3b', 'freelist', 'objfreelist: the freelist is '
                    'in object %d' % i)
    note = ['colour %d' % colour] if colour else []
    if fl_where.startswith('off'):
        note.append('freelist off-slab')
    if slab['pfmemalloc']:
        note.append('pfmemalloc')
    if note:
        cv.text(bx + cv.row_w + 6, y + 13, ', '.join(note), 10, fill='#444')
    return y + CELL_H + 4


def draw_lists_from_tables(cv, snap, y):
    for row in snap.nodes:
        cv.text(10, y + 14, 'Node %d: %d full, %d partial, %d free slabs, '
                '%d free objects in them (no slabs view)'
                % (row['node'], row['full'], row['partial'], row['free'],
                   row['free_objects']), 12, 'section')
        y += 22
    return y


def draw_lists(cv, snap, y):
    if not snap.slabs:
        return draw_lists_from_tables(cv, snap, y)
    for node in sorted({s['node'] for s in snap.slabs}):
        cv.text(10, y + 14, 'Node %d' % node, 13, 'section', 'bold')
        y += 22
        for lst in LISTS:
            slabs = [s for s in snap.slabs
                     if s['node'] == node and s['list'] == lst]
            cv.text(20, y + 12, 'slabs_%s (%d)' % (lst, len(slabs)), 12,
                    'list-title', 'bold')
            y += 18
            for slab in slabs:
                y = draw_slab(cv, snap, 20, y, slab)
            y += 4
    for s in snap.slabs:
        if s['list'] not in LISTS:
            y = draw_slab(cv, snap, 20, y, s)
    return y


def render(snap, uid='', row_w=ROW_W, arrays=True):
    """The SVG picture of a Snapshot, as a string.

    uid makes its ids unique among several pictures in one page; row_w is
    the width of a slab's row; arrays=False leaves the arrays out.
    """
    cv = Canvas(row_w)
    y = draw_title(cv, snap, 0)
    y = draw_legend(cv, y)
    if arrays:
        y = draw_arrays(cv, snap, y)
    y = draw_lists(cv, snap, y)
    for note in snap.notes:
        cv.text(10, y + 14, note, 11, 'note', fill='#a00')
        y += 16
    width = int(max(cv.width, row_w + 140)) + 10
    height = int(cv.height) + 10
    hatch = 'hatch' + uid
    defs = ('<defs><pattern id="%s" width="6" height="6" '
            'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#999" '
            'stroke-width="2"/></pattern></defs>' % hatch)
    return ('<svg xmlns="http://www.w3.org/2000/svg" class="slabpic" '
            'width="%d" height="%d" viewBox="0 0 %d %d" %s>\n'
            '<rect width="100%%" height="100%%" fill="#ffffff"/>\n%s\n%s\n'
            '</svg>\n' % (width, height, width, height, FONT, defs,
                          '\n'.join(cv.parts).replace('url(#hatch)', 'url(#%s)' % hatch)))


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ('-h', '--help'):
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    svg = render(load(argv[1]))
    if len(argv) == 3:
        with open(argv[2], 'w') as f:
            f.write(svg)
    else:
        sys.stdout.write(svg)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
