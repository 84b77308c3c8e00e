#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/slabpic-test.py

Tests scripts/slabpic.py on snapshots: small ones written here, whose
numbers each case derives, and the ones recorded from the VM under
Documentation/figures/, whose cells must match their own views.  The SVG
must parse as XML and hold one cell per object, in the state the views
give it, and one stack entry per array entry shown.  Prints one line per
failed case and a total; exits non-zero if any failed.
"""

import glob
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import slabpic  # noqa: E402

SVG = '{http://www.w3.org/2000/svg}'
failures = 0
cases = 0


def check(name, got, want):
    global failures, cases
    cases += 1
    if got != want:
        failures += 1
        print('slabpic-test: FAIL %s: got %r, want %r' % (name, got, want))


def rects(svg, prefix):
    """The rects whose class starts with prefix, as a list of elements."""
    root = ET.fromstring(svg)
    return [r for r in root.iter(SVG + 'rect')
            if r.get('class', '').startswith(prefix)]


def states(svg):
    """How many object cells each state has."""
    counts = {}
    for r in rects(svg, 'obj '):
        state = r.get('class').split()[1][4:]
        counts[state] = counts.get(state, 0) + 1
    return counts


def bundle(**views):
    return ''.join('==> %s <==\n%s\n' % (k, v.strip('\n'))
                   for k, v in views.items())


def snap(text):
    return slabpic.Snapshot('t', slabpic.split_bundle(text))


def nums(lo, hi):
    return ' '.join(str(i) for i in range(lo, hi))


LAYOUT64 = '''object_size 64
size 64
align 8
num 64
gfporder 0
colour 0
colour_off 64
freelist objfreelist
flags none'''

# Three 64-object slabs.  CPU 0 holds 0:10-0:12 and 1:0-1:1, CPU 1 holds
# 1:2-1:4, the shared array 0:20-0:21; slab 1's others are free, slab 2
# is all free, slab 0's others are allocated.
ARRAYS3 = '''cpu 0 avail 5 limit 120 batchcount 60 touched 1: 0:10 0:11 0:12 1:0 1:1
cpu 1 avail 3 limit 120 batchcount 60 touched 1: 1:2 1:3 1:4p
shared 0 avail 2 limit 480 batchcount 60 touched 0: 0:20 0:21'''
SLABS3 = '''slab 0 node 0 list full colour 0 freelist obj active 64/64 pfmemalloc 0 free:
slab 1 node 0 list partial colour 0 freelist obj active 5/64 pfmemalloc 0 free: %s
slab 2 node 0 list free colour 0 freelist obj active 0/64 pfmemalloc 0 free: %s
''' % (nums(5, 64), nums(0, 64))
MAP3 = '''# A allocated  . free in its slab  c in a per-CPU array  s in a shared array  a in an alien cache  q quarantined
slab 0 node 0 full %s
slab 1 node 0 partial %s
slab 2 node 0 free %s
''' % (''.join('c' if i in (10, 11, 12) else 's' if i in (20, 21) else 'A'
               for i in range(64)), 'ccccc' + '.' * 59, '.' * 64)
# Per-CPU: 3 + 5 = 8 cells, shared 2, allocated 64 - 3 - 2 = 59 of slab 0,
# free 59 of slab 1 and 64 of slab 2 = 123: 192 cells, 3 x 64.
WANT3 = {'A': 59, 'c': 8, 's': 2, 'free': 123}


def map_gives_each_cell_its_state():
    svg = slabpic.render(snap(bundle(layout=LAYOUT64, arrays=ARRAYS3,
                                     slabs=SLABS3, map=MAP3)))
    check('map_gives_each_cell_its_state', states(svg), WANT3)
    # One entry cell per array entry: 5 + 3 + 2.
    check('array_entries_are_stack_cells',
          len(rects(svg, 'entry entry-c')), 8)
    check('shared_entries_are_stack_cells',
          len(rects(svg, 'entry entry-s')), 2)
    # An objfreelist slab's freelist sits in the free object handed out
    # last, 63 in slab 1 and slab 2: a mark in each; slab 0, full, has none.
    check('objfreelist_marks_its_object',
          len(rects(svg, 'freelist')), 2)


def states_derive_from_slabs_and_arrays_without_map():
    svg = slabpic.render(snap(bundle(layout=LAYOUT64, arrays=ARRAYS3,
                                     slabs=SLABS3)))
    check('states_derive_from_slabs_and_arrays_without_map', states(svg),
          WANT3)


# 256-byte objects, on-slab freelist: 15 objects (3840 bytes) and their
# 15 one-byte indices leave 4096 - 3855 = 241 bytes, 3 colours of 64.
LAYOUT256 = '''object_size 256
size 256
align 64
num 15
gfporder 0
colour 3
colour_off 64
freelist on-slab
flags hwcache_align'''
SLABS256 = '''slab 7 node 0 list partial colour 128 freelist on active 4/15 pfmemalloc 0 free: %s
slab 9 node 1 list partial colour 64 freelist on active 3/15 pfmemalloc 1 free: %s
# 2 slabs left out
''' % (nums(4, 15), nums(3, 15))
ARRAYS256 = '''cpu 0 avail 1 limit 54 batchcount 27 touched 1: 7:0
alien 0>1 avail 2 limit 12 batchcount 3131961357 touched 0: 9:0 9:1'''
MAP256 = '''# legend
slab 7 node 0 partial cAAq%s
slab 9 node 1 partial aaA%s
# 2 slabs left out
''' % ('.' * 11, '.' * 12)


def colour_and_on_slab_freelist_lie_where_layout_says():
    svg = slabpic.render(snap(bundle(layout=LAYOUT256, arrays=ARRAYS256,
                                     slabs=SLABS256, map=MAP256)))
    # Slab 7: 1 per-CPU, 2 allocated, 1 quarantined, 11 free; slab 9: 2
    # alien, 1 allocated, 12 free.
    check('alien_and_quarantined_cells', states(svg),
          {'c': 1, 'A': 3, 'q': 1, 'a': 2, 'free': 23})
    scale = slabpic.ROW_W / 4096.0
    slab7 = [r for r in rects(svg, 'slab') if r.get('data-slab') == '7'][0]
    x0 = float(slab7.get('x'))
    cells = [r for r in rects(svg, 'obj ')][:15]
    # Slab 7's first object starts after its 128 colour bytes, each next
    # one 256 bytes on.
    check('first_object_after_colour', round(float(cells[0].get('x')) - x0,
                                             3), round(128 * scale, 3))
    check('objects_size_apart', round(float(cells[1].get('x')) -
                                      float(cells[0].get('x')), 3),
          round(256 * scale, 3))
    colours = rects(svg, 'colour')
    check('colour_offsets', [round(float(r.get('width')), 3)
                             for r in colours],
          [round(128 * scale, 3), round(64 * scale, 3)])
    # The on-slab freelist: the last 15 bytes of the page.
    fl = rects(svg, 'freelist')
    check('on_slab_freelist_at_the_end',
          [round(float(r.get('x')) - x0, 3) for r in fl][:1],
          [round((4096 - 15) * scale, 3)])
    check('bound_note_shown_once', svg.count('# 2 slabs left out'), 1)


def long_array_is_cut_in_the_middle():
    entries = ' '.join('0:%d' % (i % 64) for i in range(120))
    arrays = ('cpu 0 avail 120 limit 120 batchcount 60 touched 1: %s'
              % entries)
    svg = slabpic.render(snap(bundle(layout=LAYOUT64, arrays=arrays)))
    # STACK_SHOWN = 12 rows: the top 8 entries, a cut, the bottom 3;
    # 120 - 11 = 109 are behind the cut.
    check('long_array_shows_11_entries', len(rects(svg, 'entry ')), 11)
    check('long_array_cut_says_109', '... 109 more' in svg, True)


def recorded_snapshots_draw_their_views():
    """Each recorded snapshot: one cell per map character, same state."""
    pattern = os.path.join(HERE, '..', 'Documentation', 'figures', '*.snap')
    for path in sorted(glob.glob(pattern)):
        s = slabpic.load(path)
        want = {}
        for row in s.map.values():
            for ch in row:
                key = 'free' if ch == '.' else ch
                want[key] = want.get(key, 0) + 1
        shown = sum(len(a['entries']) for a in s.arrays)
        svg = slabpic.render(s)
        name = os.path.basename(path)
        check(name + ': cells', states(svg), want)
        entries = len(rects(svg, 'entry '))
        check(name + ': entries', entries <= shown and
              (entries == shown or shown > slabpic.STACK_SHOWN - 1), True)


def main():
    map_gives_each_cell_its_state()
    states_derive_from_slabs_and_arrays_without_map()
    colour_and_on_slab_freelist_lie_where_layout_says()
    long_array_is_cut_in_the_middle()
    recorded_snapshots_draw_their_views()
    print('  TEST    slabpic: %d passed, %d failed' %
          (cases - failures, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
