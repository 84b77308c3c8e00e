// SPDX-License-Identifier: GPL-2.0
/*
 * The shrinker: SLAB kept free slabs up to free_limit until its reaper
 * came by; toyslab also lets reclaim take them, here through
 * "echo 2 > /proc/sys/vm/drop_caches".  Only slabs with no object in use
 * go: objects held, and objects waiting in a per-CPU array, stay.
 *
 * The cache: 64-byte objects, 64 per slab, limit 120, batchcount 60, no
 * shared array (so that flushes and drains go straight to the slabs); on
 * CPU 0.  free_limit is (1 + CPUs) * 60 + 64, at least 184.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE		"shrink64"
#define OTHER		"shrink1000"
#define DROP_CACHES	"/proc/sys/vm/drop_caches"

static void log_nodes(struct __test_metadata *_metadata, const char *cache,
		      const char *when)
{
	char path[256], buf[1024];

	ts_cache_path(path, sizeof(path), cache, "nodes");
	ts_read(path, buf, sizeof(buf));
	TH_LOG("%s, pages %ld, %s/nodes:\n%s", when, ts_pages(), cache, buf);
}

FIXTURE(shrinker) {
	long pages;
};

FIXTURE_SETUP(shrinker)
{
	ASSERT_EQ(0, access(DROP_CACHES, W_OK));
	ASSERT_EQ(0, ts_pin(0));
	self->pages = ts_pages();
	ts_cache_destroy(CACHE);
	ts_cache_destroy(OTHER);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 120 60 0"));
}

FIXTURE_TEARDOWN(shrinker)
{
	ts_pin(0);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
	ts_cache_destroy(OTHER);
	EXPECT_EQ(self->pages, ts_pages());
}

TEST_F(shrinker, drop_caches_takes_free_slabs_and_leaves_objects_in_use)
{
	struct node_row n;
	struct cpu_row c;

	/*
	 * 256 allocs fill four slabs S1..S4 and leave the array empty (each
	 * slab after the first: a 60 refill from a new slab, 59 hits, a
	 * refill of its last 4, 3 hits).
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 256"));
	ASSERT_EQ(4, ts_stat(CACHE, "grown"));
	/*
	 * Free the newest 128 (S4's and S3's): 120 hits fill the array, the
	 * 121st flushes its oldest 60 into the slabs, 7 more hits: 68; the
	 * drain puts those back too.  S3 and S4 are free, and their 128
	 * free objects are within free_limit: both slabs stay.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "free 128"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));
	/* 32 more of S2's go into the (drained) array and wait there. */
	ASSERT_EQ(0, ts_ctl(CACHE, "free 32"));

	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	log_nodes(_metadata, CACHE, "before drop_caches");
	ASSERT_EQ(2, n.free);
	ASSERT_EQ(2, n.full);
	ASSERT_EQ(0, n.partial);
	ASSERT_EQ(128, n.free_objects);
	ASSERT_EQ(self->pages + 4, ts_pages());

	ASSERT_EQ(0, ts_write(DROP_CACHES, "2"));

	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	log_nodes(_metadata, CACHE, "after drop_caches");
	/* The two free slabs went back to the page allocator... */
	EXPECT_EQ(0, n.free);
	EXPECT_EQ(0, n.free_objects);
	EXPECT_EQ(self->pages + 2, ts_pages());
	EXPECT_EQ(2, ts_stat(CACHE, "num_slabs"));
	/* ...and S1, S2 stay full: 96 held, 32 in CPU 0's array. */
	EXPECT_EQ(2, n.full);
	EXPECT_EQ(0, n.partial);
	EXPECT_EQ(128, ts_stat(CACHE, "active_objs"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(32, c.avail);

	/* Every object is still good: all of them free, and all slabs go. */
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
}

TEST_F(shrinker, drop_caches_takes_free_slabs_of_every_cache)
{
	struct node_row n;

	/*
	 * A 1000-byte cache: 4 per slab, limit 54, batchcount 27, shared
	 * off.  A refill from a new slab gets its 4 objects, however many
	 * it wants: 12 allocs are three rounds of a growing miss and 3
	 * hits, three slabs, the array empty.
	 */
	ASSERT_EQ(0, ts_cache_create(OTHER, "1000"));
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", OTHER " 54 27 0"));
	ASSERT_EQ(0, ts_ctl(OTHER, "alloc 12"));
	ASSERT_EQ(3, ts_stat(OTHER, "grown"));
	/*
	 * 12 frees are hits; the drain empties the three slabs, and 12
	 * free objects are far below free_limit ((1 + CPUs) * 27 + 4).
	 */
	ASSERT_EQ(0, ts_ctl(OTHER, "free-all"));
	ASSERT_EQ(0, ts_ctl(OTHER, "drain"));
	/* And one free slab of CACHE: 64 allocs, free, drain. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 64"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));

	ASSERT_EQ(0, ts_node(OTHER, 0, &n));
	log_nodes(_metadata, OTHER, "before drop_caches");
	ASSERT_EQ(3, n.free);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	ASSERT_EQ(1, n.free);
	ASSERT_EQ(self->pages + 3 + 1, ts_pages());

	ASSERT_EQ(0, ts_write(DROP_CACHES, "2"));

	log_nodes(_metadata, OTHER, "after drop_caches");
	ASSERT_EQ(0, ts_node(OTHER, 0, &n));
	EXPECT_EQ(0, n.free);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(0, n.free);
	EXPECT_EQ(self->pages, ts_pages());
}

TEST_F(shrinker, drop_caches_without_free_slabs_changes_nothing)
{
	struct node_row before, after;

	/* 16 out of a new slab, 1 held: one partial slab, no free one. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &before));
	ASSERT_EQ(0, before.free);
	ASSERT_EQ(0, ts_write(DROP_CACHES, "2"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	EXPECT_EQ(self->pages + 1, ts_pages());
	EXPECT_EQ(16, ts_stat(CACHE, "active_objs"));
}

TS_HARNESS_MAIN
