// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation fast path and cache_alloc_refill(), counted exactly.
 *
 * Every test pins itself to a CPU and uses a 64-byte cache with SLAB's
 * default tunables: size 64, 64 objects per order-0 slab, limit 120,
 * batchcount (120 + 1) / 2 = 60, shared 8 (480 objects).
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE	"refill64"

TS_CACHE64_FIXTURE

TEST_F(cache64, first_alloc_on_untouched_cpu_refills_16)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/* Empty array: one ALLOCMISS and no hit. */
	EXPECT_EQ(1, c.allocmiss);
	EXPECT_EQ(0, c.allochit);
	/*
	 * BATCHREFILL_LIMIT: an untouched array refills 16, not its
	 * batchcount of 60; it hands one out and keeps 15.
	 */
	EXPECT_EQ(15, c.avail);
	EXPECT_EQ(1, c.touched);
	/* No slab yet, so the refill grew one: 16 of its 64 objects left. */
	EXPECT_EQ(1, ts_stat(CACHE, "grown"));
	EXPECT_EQ(16, ts_stat(CACHE, "allocs"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1, n.partial);
	EXPECT_EQ(64 - 16, n.free_objects);
	/* Objects in arrays count as active, as in /proc/slabinfo. */
	EXPECT_EQ(16, ts_stat(CACHE, "active_objs"));
}

TEST_F(cache64, next_15_allocs_are_hits)
{
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 16"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/* The first misses and refills 16; the other 15 pop from the array. */
	EXPECT_EQ(15, c.allochit);
	EXPECT_EQ(1, c.allocmiss);
	EXPECT_EQ(0, c.avail);
	EXPECT_EQ(1, ts_stat(CACHE, "grown"));
}

TEST_F(cache64, touched_refill_stops_at_what_the_lists_hold)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 17"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/*
	 * The 17th alloc misses on a touched array, so it wants batchcount
	 * 60; the partial slab has 64 - 16 = 48, and a refill that got
	 * something does not grow: avail 48 - 1 = 47.
	 */
	EXPECT_EQ(2, c.allocmiss);
	EXPECT_EQ(15, c.allochit);
	EXPECT_EQ(47, c.avail);
	EXPECT_EQ(1, ts_stat(CACHE, "grown"));
	EXPECT_EQ(64, ts_stat(CACHE, "allocs"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1, n.full);
	EXPECT_EQ(0, n.free_objects);
}

TEST_F(cache64, touched_refill_moves_a_full_batchcount)
{
	struct node_row n;
	struct cpu_row c;

	if (self->ncpus < 2)
		SKIP(return, "needs two CPUs");
	/* No shared array, so CPU 1's frees go back into slabs. */
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 120 60 0"));
	/*
	 * CPU 1 takes 128 objects (two full slabs), gives them back and
	 * drains: both slabs are free, and 128 <= free_limit keeps them.
	 */
	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 128"));
	ASSERT_EQ(2, ts_stat(CACHE, "grown"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	ASSERT_EQ(2, n.free);
	ASSERT_EQ(128, n.free_objects);

	ASSERT_EQ(0, ts_pin(0));
	/* Untouched: 16 from the first free slab, one handed out. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 16"));
	/* Touched: 48 from the now partial slab plus 12 from the free one. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(60 - 1, c.avail);
	EXPECT_EQ(2, c.allocmiss);
	EXPECT_EQ(2, ts_stat(CACHE, "grown"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1, n.full);
	EXPECT_EQ(1, n.partial);
	EXPECT_EQ(0, n.free);
	EXPECT_EQ(128 - 16 - 60, n.free_objects);
	/* Every object taken out of a slab counts in allocs (listallocs). */
	EXPECT_EQ(128 + 16 + 60, ts_stat(CACHE, "allocs"));
}

TEST_F(cache64, other_cpu_refills_from_the_shared_array_without_growing)
{
	struct node_row n;
	struct cpu_row c;

	if (self->ncpus < 2)
		SKIP(return, "needs two CPUs");
	/*
	 * 121 allocs on CPU 0: miss (grow, 16), 15 hits, miss (48 from the
	 * partial slab), 47 hits, miss (grow, 60), 56 hits: avail 3.
	 * Freeing all 121: 117 hits fill the array to 120, the next free
	 * misses and flushes the oldest 60 into the empty shared array,
	 * then 3 more hits: avail 64, shared 60.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 121"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	ASSERT_EQ(60, n.shared_avail);

	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 1, &c));
	/* Untouched CPU 1 takes 16 from the shared array, keeps 15. */
	EXPECT_EQ(15, c.avail);
	EXPECT_EQ(1, c.allocmiss);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(60 - 16, n.shared_avail);
	/* Nothing grew, and no object left a slab. */
	EXPECT_EQ(2, ts_stat(CACHE, "grown"));
	EXPECT_EQ(64 + 60, ts_stat(CACHE, "allocs"));
}

TEST_F(cache64, zeroing_alloc_returns_zeroed_objects_and_counts_the_same)
{
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 2 gfp=kernel,zero"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(1, c.allocmiss);
	EXPECT_EQ(1, c.allochit);
	EXPECT_EQ(14, c.avail);
}

TS_HARNESS_MAIN
