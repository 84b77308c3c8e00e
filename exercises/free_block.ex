# SPDX-License-Identifier: GPL-2.0
#
# free_block() (slab.c): objects back into their slabs, and free slabs
# above free_limit given up.  Everything that empties an array ends in
# it: a flush with no room in a shared array (free_test), a drain, a
# reap and a shrink (reap_test), a retune (tune_test) and a CPU going
# offline (hotplug_test).  The scenarios: a flush with no shared array,
# a shrink, a retune, the free_limit trim, and a CPU going offline with
# objects in its array.
function free_block
selftests free_test reap_test tune_test hotplug_test
scenarios 04-flush-without-shared 07-shrink 08-retune 09-free-limit-trim 19-cpu-hotplug
nodes 1
todo
Put the @nr_objects objects of @objpp back into their slabs on @node.

Context: @node's list_lock held, interrupts off.  For each object, in
order: drop its pfmemalloc tag (clear_obj_pfmemalloc()), find its
slab (virt_to_slab()) and put it back there (slab_put_obj()).  A slab
with no object left in use moves to the node's free list, and counts
in n->free_slabs; one still in use moves to the tail of the partial
list, unless it is its last entry already.  Add @nr_objects to
n->free_objects, and take them off cachep->stats.num_active.

Then, while the node holds more than n->free_limit free objects and
has a free slab, detach the last slab of its free list onto @list,
which the caller destroys once unlocked: the slab's cachep->num
objects leave n->free_objects, and the slab leaves n->free_slabs and
n->total_slabs.
