// SPDX-License-Identifier: GPL-2.0
/*
 * The free path: ac_put_obj() while the array has room (FREEHIT), else
 * cache_flusharray() (FREEMISS) into the shared array or back to slabs.
 *
 * A 64-byte cache: 64 objects per slab, limit 120, batchcount 60, shared
 * array of 8 * 60 = 480; the test runs on CPU 0.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE	"free64"

/* CPU @cpu is on node @node (a VM started with NODES=2). */
static bool cpu_on_node(int cpu, int node)
{
	char path[64];

	/* A kernel without NUMA has no node directories: all on node 0. */
	if (access("/sys/devices/system/node/node0", F_OK))
		return node == 0;
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpu%d",
		 node, cpu);
	return access(path, F_OK) == 0;
}

/* Online CPUs on @node: all of them unless the VM has NODES=2. */
static int cpus_on_node(int node, int ncpus)
{
	int cpu, nr = 0;

	for (cpu = 0; cpu < ncpus; cpu++)
		nr += cpu_on_node(cpu, node);
	return nr;
}

FIXTURE(cache64) {
	int ncpus;
};

FIXTURE_SETUP(cache64)
{
	self->ncpus = ts_online_cpus();
	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_pin(0));
}

FIXTURE_TEARDOWN(cache64)
{
	ts_pin(0);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
	/* What the pfmemalloc test changes, back to the defaults. */
	EXPECT_EQ(0, ts_write(TOYSLAB_DIR "/memalloc_socks", "0"));
	EXPECT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "2000"));
}

TEST_F(cache64, frees_hit_until_the_array_reaches_its_limit)
{
	struct cpu_row c;

	/* 120 allocs leave avail 4 (see refill_test); 116 frees fill it. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 120"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	ASSERT_EQ(4, c.avail);
	ASSERT_EQ(0, ts_ctl(CACHE, "free 116"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(116, c.freehit);
	EXPECT_EQ(0, c.freemiss);
	EXPECT_EQ(120, c.avail);
}

TEST_F(cache64, free_into_a_full_array_flushes_a_batch_to_shared)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 120"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free 117"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/* The 117th free finds 120 of 120: FREEMISS, the oldest 60 go. */
	EXPECT_EQ(116, c.freehit);
	EXPECT_EQ(1, c.freemiss);
	EXPECT_EQ(120 - 60 + 1, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(60, n.shared_avail);
	EXPECT_EQ(480, n.shared_limit);
	/*
	 * The shared array took them all: no object went back to a slab,
	 * whose only free objects are the 4 that the refills of slab 2
	 * never took (they took 60 of its 64).
	 */
	EXPECT_EQ(4, n.free_objects);
	EXPECT_EQ(120 + 4, ts_stat(CACHE, "active_objs"));
}

TEST_F(cache64, flush_without_shared_array_returns_objects_to_slabs)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 120 60 0"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 120"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free 117"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(1, c.freemiss);
	EXPECT_EQ(61, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(0, n.shared_limit);
	/* free_block() put 60 objects back: 4 were already free in slab 2. */
	EXPECT_EQ(60 + 4, n.free_objects);
	/* max_freeable: free slabs on the node after that flush. */
	EXPECT_EQ(n.free, ts_stat(CACHE, "max_freeable"));
}

TEST_F(cache64, free_block_keeps_at_most_free_limit_free_objects)
{
	struct node_row n;

	/*
	 * free_limit = (1 + CPUs on the node) * batchcount + num: with a
	 * batchcount of 1 it is 66 to 73 for 1 to 8 CPUs.  A limit of 1000
	 * lets 640 frees all hit, so one drain returns ten whole slabs in
	 * one free_block(), which then gives back free slabs while more
	 * than free_limit objects are free: 640, 576, ... down to 64.
	 */
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 1000 1 0"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 640"));
	ASSERT_EQ(10, ts_stat(CACHE, "grown"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1 + cpus_on_node(0, self->ncpus) + 64, n.free_limit);
	EXPECT_EQ(64, n.free_objects);
	EXPECT_EQ(1, n.free);
	EXPECT_EQ(0, n.partial + n.full);
	EXPECT_EQ(1, ts_pages());
}

TEST_F(cache64, cross_cpu_frees_land_in_the_freeing_cpus_array)
{
	struct cpu_row c0, c1;

	if (self->ncpus < 2)
		SKIP(return, "needs two CPUs");
	if (!cpu_on_node(1, 0))
		SKIP(return, "needs CPU 1 on node 0");
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 10"));
	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "free 10"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c0));
	ASSERT_EQ(0, ts_cpu(CACHE, 1, &c1));
	/* One node: no alien cache, the object just goes to CPU 1's array. */
	EXPECT_EQ(16 - 10, c0.avail);
	EXPECT_EQ(10, c1.avail);
	EXPECT_EQ(10, c1.freehit);
	EXPECT_EQ(0, c0.freehit);
	EXPECT_EQ(0, ts_stat(CACHE, "node_frees"));
}

TEST_F(cache64, remote_free_keeps_the_pfmemalloc_tag_on_its_way_home)
{
	struct node_row n0;
	struct cpu_row c0;

	if (!cpu_on_node(0, 0) || !cpu_on_node(1, 1))
		SKIP(return, "needs CPU 0 on node 0 and CPU 1 on node 1");
	/* No reaper pass behind the test's back: it drains shared arrays. */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/memalloc_socks", "1"));

	/*
	 * A reserve caller takes 13 objects of a pfmemalloc slab on node 0;
	 * the 3 others of the refill (BATCHREFILL_LIMIT 16) go back home.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "mark-pfmemalloc"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 13 gfp=memalloc"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));

	/*
	 * Freed on node 1, they wait in node 1's alien array for node 0,
	 * which holds 12: the 13th free sends those 12 home, to node 0's
	 * shared array, which has room for 480.
	 */
	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "free 13"));
	ASSERT_EQ(13, ts_stat(CACHE, "node_frees"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n0));
	ASSERT_EQ(12, n0.shared_avail);

	/*
	 * An ordinary allocation on CPU 0 refills those 12 from the shared
	 * array.  They are still tagged, so ac_get_obj() refuses them all
	 * and the object comes straight from node 0's slabs (node_allocs 1),
	 * while the 12 stay in CPU 0's array.  Untagged, the top one would
	 * have been handed out: node_allocs 0, avail 11.
	 */
	ASSERT_EQ(0, ts_pin(0));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c0));
	EXPECT_EQ(1, ts_stat(CACHE, "node_allocs"));
	EXPECT_EQ(12, c0.avail);
}

TS_HARNESS_MAIN
