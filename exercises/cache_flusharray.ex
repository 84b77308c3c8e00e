# SPDX-License-Identifier: GPL-2.0
#
# cache_flusharray() (slab.c): what a free does when this CPU's array is
# full.  Graded by free_test (freemiss, and where the batch goes: the
# shared array while it has room, else the slabs), views_test (the
# flushed objects' order in the shared array, and what is left in the
# CPU's array) and trace_test (each flush's destination and count); and
# by the scenarios built on overflowing arrays: frees up to the limit
# into the shared array, flushes with no shared array, frees on another
# CPU, and free_limit trimming on almost every flush.
function cache_flusharray
selftests free_test views_test trace_test
scenarios 03-freehit-to-limit-flush-shared 04-flush-without-shared 06-cross-cpu-free 09-free-limit-trim
nodes 1
todo
This CPU's array @ac is full: make room by moving its oldest
ac->batchcount objects out.

___cache_free() calls this with interrupts off when ac->avail has
reached ac->limit, and pushes its object afterwards.  Under the
list_lock of this CPU's node (get_node(cachep, numa_mem_id())):

- If the node has a shared array with room, copy the oldest objects,
  from ac->entry[0] on and in order, onto its top (from
  shared->entry[shared->avail] on): batchcount of them, or as many as
  fit if that is fewer.  Trace toyslab_trace(flush, cachep, true,
  count).
- Otherwise give the batchcount oldest back to their slabs with
  free_block(cachep, ac->entry, batchcount, node, &list), and trace
  toyslab_trace(flush, cachep, false, batchcount).
- Either way, record stats_set_freeable(cachep, n) before unlocking.

Then take the objects moved out of the array: ac->avail drops by
their count, and the entries left move down to ac->entry[0], in their
order.  Last, with the lock dropped, slabs_destroy(cachep, &list)
frees the slabs free_block() gave up.
