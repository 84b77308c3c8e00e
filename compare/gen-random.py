#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write random compare scenarios, for compare/compare.sh to play.

Usage: compare/gen-random.py [options] OUTDIR

Each scenario gets a random cache (object size from 8 bytes to 4 MiB,
align=, hwcache_align, ctor, reclaim_account, typesafe_by_rcu, explicit
tunables) and a random walk of steps on random CPUs: allocs (node= on two
nodes), frees of a few or of most held objects, free-all, reap, retunes,
shrinks, CPU offline and online, drop-caches after a shrink; with
--bulk, some allocs and frees are alloc-bulk and free-bulk.

Two rules keep the real SLAB's side deterministic (compare/README.md):
a shrink follows a retune to the tunables in force, unless at most one
CPU's array may hold objects (--sticky makes that common); drop-caches
only follows a shrink, when no free slab is left for toyslab's shrinker.

    compare/gen-random.py --seed 1 --count 40 /tmp/rnd
    NODES="1 2" compare/compare.sh /tmp/rnd/*.scn
    compare/gen-random.py --cpus 4 --seed 2 /tmp/rnd4
    CPUS=4 compare/compare.sh /tmp/rnd4/*.scn

Scenarios for --cpus N need a guest of N CPUs.  The same seed and options
always write the same files.
"""
import argparse
import os
import random

PAGE_SIZE = 4096
SIZES = [8, 16, 24, 40, 96, 192, 200, 256, 300, 500, 1000, 1024, 1500,
         2048, 3000, 4096, 5000, 8192, 16384, 32768, 65536, 131072, 140000,
         262144]
EDGE_SIZES = [63, 65, 255, 256, 257, 1023, 1024, 1025, 2049, 4095, 4096,
              4097, 131072, 131073]
HUGE_SIZES = [200000, 262144, 524288, 1048576, 4194304]
HELD_BYTES = 48 << 20
BULK_MAX = 1024         # cmd.h's CMD_BULK_MAX


def cache_size(size, align, hwcache):
    """The object size with SLAB's alignment, as enable_cpucache sees it."""
    align = max(8, align)
    if hwcache:
        line = 64
        while size <= line // 2:
            line //= 2
        align = max(align, line)
    return (size + align - 1) // align * align


def default_tunables(size):
    """enable_cpucache() of 6.1: limit by size, shared 8 up to a page."""
    if size > 131072:
        limit = 1
    elif size > PAGE_SIZE:
        limit = 8
    elif size > 1024:
        limit = 24
    elif size > 256:
        limit = 54
    else:
        limit = 120
    return [limit, (limit + 1) // 2, 8 if size <= PAGE_SIZE else 0]


def random_tunables(rng, limits):
    limit = rng.choice(limits)
    batch = rng.choice([1, 2, (limit + 1) // 2, limit, rng.randint(1, limit)])
    return [limit, min(max(batch, 1), limit), rng.choice([0, 0, 1, 2, 8])]


class Scenario:
    """One random walk; cpu() picks an online CPU for the next step."""

    def __init__(self, rng, opts):
        self.rng, self.opts = rng, opts
        self.steps = []
        self.online = [True] * opts.cpus
        self.dirty = set()	# CPUs whose arrays may hold objects
        self.last = 0
        self.held = 0

    def cpu(self):
        if self.opts.sticky and self.online[self.last] and \
           self.rng.random() < 0.8:
            return self.last
        self.last = self.rng.choice([c for c in range(self.opts.cpus)
                                     if self.online[c]])
        return self.last

    def add(self, cpu, cmd):
        self.steps.append('%d %s' % (cpu, cmd))

    def shrink(self, cpu, tun):
        if len(self.dirty) > 1:
            self.add(cpu, 'tune %d %d %d' % tuple(tun))
        self.add(cpu, 'shrink')
        self.dirty.clear()


def header(rng, opts):
    """The cache line; returns it, the tunables in force, the cache size."""
    if opts.huge and rng.random() < 0.3:
        size = rng.choice(HUGE_SIZES)
    elif opts.edge and rng.random() < 0.5:
        size = rng.choice(EDGE_SIZES)
    else:
        size = rng.choice(SIZES)
    flags = [f for f, p in (('hwcache_align', 0.3), ('ctor', 0.25),
                            ('reclaim_account', 0.1),
                            ('typesafe_by_rcu', 0.1)) if rng.random() < p]
    align = rng.choice([8, 16, 32, 64, 128, 256, 512, 4096]) \
        if rng.random() < 0.25 else 0
    csize = cache_size(size, align, 'hwcache_align' in flags)
    tun = default_tunables(csize)
    line = 'cache %d' % size
    if align:
        line += ' align=%d' % align
    if flags:
        line += ' flags=' + ','.join(flags)
    if rng.random() < 0.35:
        tun = random_tunables(rng, [1, 2, 3, 5, 8, 16, 31, 60, 120, 200])
        line += ' tunables %d %d %d' % tuple(tun)
    numa = rng.random() < opts.numa
    if numa:
        line += ' nodes=2'
    return line, tun, csize, numa


def verb(rng, opts, n, node, single='alloc'):
    """'alloc' or 'free', or with --bulk its bulk form where it may be."""
    if opts.bulk and not node and n <= BULK_MAX and rng.random() < opts.bulk:
        return single + '-bulk'
    return single


def walk(rng, opts, tun, csize, numa):
    s = Scenario(rng, opts)
    per_slab = max(1, PAGE_SIZE // csize)
    max_held = max(4, min(3000, HELD_BYTES // csize))
    length = rng.randint(*opts.steps)
    while len(s.steps) < length:
        r, c = rng.random(), s.cpu()
        if r < 0.34:
            unit = rng.choice([1, per_slab, tun[0], tun[1], 3 * tun[0],
                               5 * per_slab])
            n = min(max(1, int(unit * rng.uniform(0.3, 2.5))),
                    max_held - s.held)
            if n <= 0:
                continue
            node = ' node=%d' % rng.randint(0, 1) \
                if numa and rng.random() < 0.35 else ''
            s.add(c, '%s %d%s' % (verb(rng, opts, n, node), n, node))
            s.held += n
            s.dirty.add(c)
        elif r < 0.62 and s.held:
            n = rng.choice([1, rng.randint(1, s.held), s.held,
                            max(1, s.held // 2), min(s.held, tun[1] + 1)])
            s.add(c, '%s %d' % (verb(rng, opts, n, '', 'free'), n))
            s.held -= n
            s.dirty.add(c)
        elif r < 0.66 and s.held:
            s.add(c, 'free-all')
            s.held = 0
            s.dirty.add(c)
        elif r < 0.76:
            s.add(c, 'reap')
        elif r < 0.82:
            s.shrink(c, tun)
            if rng.random() < 0.2:
                s.add(c, 'drop-caches')
        elif r < 0.89:
            tun = random_tunables(rng, [1, 2, 4, 9, 16, 32, 54, 120, 250])
            s.add(c, 'tune %d %d %d' % tuple(tun))
            s.dirty.clear()
        elif r < 0.95 and opts.cpus > 1:
            victim = rng.randint(1, opts.cpus - 1)
            if not s.online[victim]:
                s.add(victim, 'online')
                s.online[victim] = True
            elif sum(s.online) > 1:
                s.add(victim, 'offline')
                s.online[victim] = False
                s.dirty.discard(victim)
    for victim in range(1, opts.cpus):
        if not s.online[victim]:
            s.add(victim, 'online')
    if s.held and rng.random() < 0.5:
        s.add(s.cpu(), 'free-all')
        s.dirty.add(s.last)
    if rng.random() < 0.5:
        s.shrink(0, tun)
    return s.steps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('outdir')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=40)
    ap.add_argument('--cpus', type=int, default=2)
    ap.add_argument('--numa', type=float, default=0.45,
                    help='share of scenarios that need two nodes')
    ap.add_argument('--edge', action='store_true',
                    help='half the sizes on limit and layout edges')
    ap.add_argument('--huge', action='store_true',
                    help='a third of the sizes from 200000 to 4 MiB')
    ap.add_argument('--long', action='store_true',
                    help='80 to 140 steps rather than 18 to 45')
    ap.add_argument('--sticky', action='store_true',
                    help='mostly the same CPU: shrinks without a retune')
    ap.add_argument('--bulk', type=float, default=0,
                    help='share of allocs and frees made bulk calls')
    opts = ap.parse_args()
    opts.steps = (80, 140) if opts.long else (18, 45)

    rng = random.Random(opts.seed)
    os.makedirs(opts.outdir, exist_ok=True)
    total = 0
    for i in range(opts.count):
        line, tun, csize, numa = header(rng, opts)
        steps = walk(rng, opts, tun, csize, numa)
        name = 'rnd-%d-%03d-%d.scn' % (opts.seed, i, int(line.split()[1]))
        with open(os.path.join(opts.outdir, name), 'w') as f:
            f.write('# gen-random.py --seed %d, scenario %d\n%s\n%s\n' %
                    (opts.seed, i, line, '\n'.join(steps)))
        total += len(steps)
    print('%d scenarios, %d steps, in %s' % (opts.count, total, opts.outdir))


main()
