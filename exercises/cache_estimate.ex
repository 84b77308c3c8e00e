# SPDX-License-Identifier: GPL-2.0
#
# cache_estimate() (layout.c): how many objects fit in a slab of a given
# order.  Graded by layout_test (size, num, gfporder, freelist and
# colour for each size, alignment and flag, as 6.1 computes them) and
# views_test (slab ids and colours over three grows); and by the
# scenarios of cache shapes: large objects and off-slab candidates, order
# > 0 slabs, alignment and colour, a constructor's off-slab freelist,
# huge objects, and a reclaimable cache.
function cache_estimate
selftests layout_test views_test
scenarios 11-layout-sizes 12-big-objects 13-align-hwcache 14-ctor-offslab 15-huge 20-reclaim-rcu
nodes 1
todo
How many objects of @buffer_size bytes a slab of 2^@gfporder pages
holds; the bytes left over go in *@left_over.

With the freelist on the slab (@type FREELIST_ON_SLAB) every object
also costs one freelist index, a byte, at the slab's end.  With the
freelist in one of the objects (FREELIST_OBJ) or in a buffer of its
own (FREELIST_OFF_SLAB) an object costs its @buffer_size alone.  So:
a page of 32-byte objects on-slab holds 124 and leaves 4 bytes; two
pages of 3000-byte objects with an objfreelist hold 2 and leave 2192.
