# SPDX-License-Identifier: GPL-2.0
#
# cache_alloc_refill() (slab.c): the allocation slow path.  Graded by the
# selftests that count refills: refill_test (BATCHREFILL_LIMIT, the
# shared array first, partial before free slabs, growing), views_test
# (which objects a first refill puts in the array, in which order) and
# trace_test (each refill's source and count against the algorithm); and
# by the scenarios whose every step is a refill from somewhere: the first
# capped refill, partial then free slabs, an untouched CPU refilling from
# the shared array, and a CPU taking back what another flushed.
function cache_alloc_refill
selftests refill_test views_test trace_test
scenarios 01-first-alloc 02-refill-partial-and-free 05-other-cpu-refills-from-shared 06-cross-cpu-free
nodes 1
todo
Refill this CPU's array and hand out one object.

____cache_alloc() calls this with interrupts off when this CPU's
array, cpu_cache_get(cachep), is empty; or, with @force_refill, when
it holds only reserve objects this caller may not have.  Return one
object, popped with ac_get_obj(cachep, ac, flags, force_refill), or
NULL.

- Mask @flags with gfp_allowed().  Work on this CPU's node,
  numa_mem_id(), and its lists, get_node(cachep, node).
- Want ac->batchcount objects, but no more than BATCHREFILL_LIMIT
  while the array is not 'touched' (unused since the reaper last
  looked).
- Unless @force_refill, and unless the node has neither free objects
  in its slabs (n->free_objects) nor any in its shared array, take
  n->list_lock (interrupts are off already) and:
  - first move up to that many from the shared array with
    transfer_objects(); if any came, mark the shared array touched,
    call toyslab_trace(refill, cachep, "shared", ac->avail), and look
    at no slab;
  - else take slabs with get_first_slab() while objects are wanted:
    alloc_block(cachep, ac, slab, wanted, false) moves them and
    returns how many are still wanted, and fixup_slab_list(cachep, n,
    slab, &list) puts the slab on its list; then take what the array
    got off n->free_objects.
  Unlock, then toyslab_fixup_objfreelist_debug(cachep, &list).
- If the array is still empty, or with @force_refill: grow.
  cache_grow_begin(cachep, gfp_exact_node(flags), node) may turn
  interrupts on and return on another CPU, or after a retune: read
  the array again, and want no more than its batchcount.  If the
  array is still empty and a slab came, alloc_block(..., true) from
  it; in any case end with cache_grow_end(cachep, slab).  Return NULL
  if the array is still empty, or if @force_refill got no slab.
- Mark the array touched and return the popped object.
