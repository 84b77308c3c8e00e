// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug: a CPU going offline gives its array back to its node,
 * and one coming online allocates at once.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE	"hot64"
#define CPU1	"/sys/devices/system/cpu/cpu1/online"

TEST(offline_cpu_gives_its_array_back_and_online_cpu_works)
{
	struct node_row n;
	struct cpu_row c;
	long free_before;
	int ncpus;

	ncpus = ts_online_cpus();
	if (ncpus < 2 || access(CPU1, W_OK))
		SKIP(return, "CPU 1 cannot be taken offline here");

	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_pin(1));
	/* CPU 1 keeps 15 spare objects of its first refill. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	free_before = n.free_objects;
	ASSERT_EQ(0, ts_pin(0));

	ASSERT_EQ(0, ts_write(CPU1, "0"));
	ASSERT_EQ(0, ts_cpu(CACHE, 1, &c));
	EXPECT_EQ(0, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(free_before + 15, n.free_objects);
	/* The dead CPU's batch no longer counts in free_limit. */
	EXPECT_EQ(ncpus * 60 + 64, n.free_limit);

	ASSERT_EQ(0, ts_write(CPU1, "1"));
	/*
	 * The prepare callback refreshed free_limit before CPU 1 joined
	 * its node's mask, so it counts the other CPUs only, as in SLAB.
	 */
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(ncpus * 60 + 64, n.free_limit);
	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 1, &c));
	/*
	 * Dying only emptied the array; it is still marked touched, so the
	 * refill moves a full batchcount of 60 from the slab's 63.
	 */
	EXPECT_EQ(59, c.avail);
	EXPECT_EQ(2, c.allocmiss);
	ts_pin(0);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
}

TS_HARNESS_MAIN
