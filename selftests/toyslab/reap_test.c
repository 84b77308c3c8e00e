// SPDX-License-Identifier: GPL-2.0
/*
 * Giving memory back: 'drain' (this CPU's array), 'reap' (one pass of
 * cache_reap() on this CPU) and 'shrink' (everything free).
 *
 * A 64-byte cache (limit 120, batchcount 60) with the periodic reaper
 * stopped, so that only the test's own passes run; one test starts it
 * and changes its period.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE	"reap64"

TS_CACHE64_FIXTURE

TEST_F(cache64, drain_gives_this_cpus_array_back)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(0, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	/* The 15 spare objects are back: only the held one is out. */
	EXPECT_EQ(63, n.free_objects);
	EXPECT_EQ(1, ts_stat(CACHE, "active_objs"));
}

TEST_F(cache64, reap_spares_a_touched_array_once_then_drains_a_fifth)
{
	struct node_row n;
	struct cpu_row c;

	/* 17 allocs leave 47 in the array and the slab full (refill_test). */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 17"));
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/* Used since the last pass: only 'touched' is cleared. */
	EXPECT_EQ(0, c.touched);
	EXPECT_EQ(47, c.avail);

	/* Idle: a fifth of the limit, (120 + 4) / 5 = 24, goes back. */
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(47 - 24, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(24, n.free_objects);

	/*
	 * Never more than there is: of the 23 left, fewer than 24, half
	 * rounded up, (23 + 1) / 2 = 12, go.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(23 - 12, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(24 + 12, n.free_objects);
}

TEST_F(cache64, reap_frees_free_slabs_only_when_untouched)
{
	struct node_row n;

	/*
	 * Two refills from lists (alloc 17) mark the node's free list as
	 * touched: the second refill looked for a free slab.  Then give
	 * everything back, with no shared array, so that the slab is free.
	 */
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 120 60 0"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 17"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	ASSERT_EQ(1, n.free);

	/* First pass: free_touched is set, so it is only cleared. */
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1, n.free);
	EXPECT_EQ(0, ts_stat(CACHE, "reaped"));

	/*
	 * Second pass: drain_freelist() of (free_limit + 5 * num - 1) /
	 * (5 * num) slabs; free_limit is at most 8 * 60 + 64 = 544 on up to
	 * 8 CPUs, which gives 1 or 2: the one free slab goes.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(0, n.free);
	EXPECT_EQ(1, ts_stat(CACHE, "reaped"));
	EXPECT_EQ(0, ts_pages());
}

TEST_F(cache64, reap_drains_an_idle_shared_array)
{
	struct node_row n;

	/* 121 allocs and frees put 60 objects in the shared array. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 121"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	ASSERT_EQ(60, n.shared_avail);
	/* Nobody refilled from it, so it is untouched: (480 + 4) / 5 = 96
	 * is more than its 60, so half of them, 30, go back.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(30, n.shared_avail);
}

TEST_F(cache64, shrink_returns_every_free_slab)
{
	struct node_row n;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 200"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free 199"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	/* Every array emptied; only the slab of the held object stays. */
	EXPECT_EQ(0, n.shared_avail);
	EXPECT_EQ(0, n.free);
	EXPECT_EQ(1, n.partial);
	EXPECT_EQ(63, n.free_objects);
	EXPECT_EQ(1, ts_stat(CACHE, "num_slabs"));
	EXPECT_EQ(1, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(1, ts_pages());
}

/*
 * Poll active_objs every 100 ms for up to @ms while the periodic reaper
 * runs on its own clock: true once it reads the last of @path, false if
 * it reads a value that is not still ahead on @path, or on timeout.  A
 * poll may miss counts that one pass leaves and the next changes (a
 * period rounded to whole seconds can be a jiffy long), so later counts
 * of @path may come first.  'stats' takes no lock the reaper tries, so
 * the polling cannot make a pass skip.
 */
static bool active_objs_walk(const long *path, int len, int ms)
{
	int waited, i = 0;

	for (waited = 0; waited <= ms; waited += 100) {
		long active = ts_stat(CACHE, "active_objs");

		while (i < len && path[i] != active)
			i++;
		if (i == len)
			return false;
		if (i == len - 1)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* True if active_objs reads @want at every poll for @ms. */
static bool active_objs_stay(long want, int ms)
{
	int waited;

	for (waited = 0; waited <= ms; waited += 100) {
		if (ts_stat(CACHE, "active_objs") != want)
			return false;
		usleep(100 * 1000);
	}
	return true;
}

TEST_F(cache64, reap_interval_starts_reschedules_and_stops_the_reaper)
{
	/*
	 * 15 spare objects in CPU 0's array, made idle by one pass: each
	 * later pass drains a fifth of the limit, 24, or half of what is
	 * left, rounded up, whichever is less: 8, then 4, 2 and 1, leaving
	 * active_objs at 8, 4, 2 and 1 (the object held).
	 */
	static const long first_pass[] = { 16, 8 };
	static const long next_passes[] = { 8, 4, 2, 1 };

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_ctl(CACHE, "reap"));
	ASSERT_EQ(16, ts_stat(CACHE, "active_objs"));

	/* Stopped: nothing moves. */
	EXPECT_TRUE(active_objs_stay(16, 2500));
	/*
	 * Started at SLAB's period, 2 s, not at an hour: a pass that finds
	 * toyslab_mutex taken (CPU 1's pass, due in the same second, may
	 * hold it) does nothing and comes back one period later.  CPU 0's
	 * first pass is due 0.75 to 1.75 s on (a second, rounded to a whole
	 * one), a retry 1.75 to 3 s after (rounded, plus the timer's slack):
	 * 12 s covers the first pass and three retries.  The pass after the
	 * first comes at least 1.75 s later, so the walk reads 8, and the
	 * next write lands before that pass.
	 */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "2000"));
	ASSERT_TRUE(active_objs_walk(first_pass, 2, 12000));
	/*
	 * A longer period takes effect at once: the pass due at most 3 s
	 * after the first moves an hour on.
	 */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "3600000"));
	EXPECT_TRUE(active_objs_stay(8, 3500));
	/*
	 * A shorter period takes effect at once, not after the hour: passes
	 * at most about a second apart empty the array, within 8 s even if
	 * a few find toyslab_mutex taken.
	 */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "200"));
	EXPECT_TRUE(active_objs_walk(next_passes, 4, 8000));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "0"));
}

TS_HARNESS_MAIN
