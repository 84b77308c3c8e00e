// SPDX-License-Identifier: GPL-2.0
/*
 * The bulk calls, through debugfs 'ctl': 'alloc-bulk N' is one
 * toyslab_cache_alloc_bulk() of N objects, 'free-bulk N' one
 * toyslab_cache_free_bulk() of the N newest held objects, in the order
 * they are held.  As in SLAB of 6.1, each object takes the path of a
 * single allocation or free, with interrupts off for the whole call: the
 * counters come out as N single calls would leave them.
 *
 * The cache: 64 bytes with SLAB's default tunables, 64 objects per
 * order-0 slab, limit 120, batchcount 60, shared 8 * 60 = 480; the tests
 * run on CPU 0.  (fail_test checks a bulk allocation that fails.)
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#define CACHE	"bulk64"

/* CPU @cpu is on node @node (a VM started with NODES=2). */
static bool cpu_on_node(int cpu, int node)
{
	char path[64];

	if (access("/sys/devices/system/node/node0", F_OK))
		return node == 0;
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpu%d",
		 node, cpu);
	return access(path, F_OK) == 0;
}

/* Columns 2 to 4 of line @index of @cache's 'held', joined by blanks. */
static void held_line(const char *cache, long index, char *out, size_t size)
{
	char path[256], buf[16384], *line;
	char obj[64], off[16], word[32];
	long i;

	out[0] = '\0';
	ts_cache_path(path, sizeof(path), cache, "held");
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%ld %63s %15s %31s", &i, obj, off, word) == 4 &&
		    i == index)
			snprintf(out, size, "%s %s %s", obj, off, word);
}

/* The page offset (column 3) of line @index of 'held', or -1. */
static long held_offset(const char *cache, long index)
{
	char line[128], obj[64];
	unsigned long off;

	held_line(cache, index, line, sizeof(line));
	if (sscanf(line, "%63s %lx", obj, &off) != 2)
		return -1;
	return off;
}

TS_CACHE64_FIXTURE

TEST_F(cache64, bulk_alloc_counts_each_object_as_a_single_alloc)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc-bulk 121"));
	EXPECT_EQ(121, ts_held(CACHE));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/*
	 * As 121 single allocs: a miss on the untouched array refills 16
	 * (BATCHREFILL_LIMIT) from a new slab S1, 15 hits; a miss on the
	 * touched array wants 60 and gets S1's other 48, 47 hits; a miss
	 * finds nothing, grows S2 and takes 60 of it, 56 hits: 3 left.
	 */
	EXPECT_EQ(3, c.allocmiss);
	EXPECT_EQ(15 + 47 + 56, c.allochit);
	EXPECT_EQ(3, c.avail);
	EXPECT_EQ(1, c.touched);
	EXPECT_EQ(2, ts_stat(CACHE, "grown"));
	EXPECT_EQ(16 + 48 + 60, ts_stat(CACHE, "allocs"));
	/* S1 full, S2 partial with the 4 the refill left. */
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1, n.full);
	EXPECT_EQ(1, n.partial);
	EXPECT_EQ(4, n.free_objects);
	EXPECT_EQ(0, ts_stat(CACHE, "errors"));
}

TEST_F(cache64, bulk_free_counts_each_object_as_a_single_free)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc-bulk 121"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-bulk 121"));
	EXPECT_EQ(0, ts_held(CACHE));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/*
	 * 3 in the array: 117 hits fill it to its limit of 120; the 118th
	 * free misses and flushes the oldest 60 to the empty shared array;
	 * 3 more hits: 61 + 3 = 64.
	 */
	EXPECT_EQ(117 + 3, c.freehit);
	EXPECT_EQ(1, c.freemiss);
	EXPECT_EQ(64, c.avail);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(60, n.shared_avail);
	/* Nothing went back to a slab: the 4 of S2 are still its free ones. */
	EXPECT_EQ(4, n.free_objects);
	EXPECT_EQ(124, ts_stat(CACHE, "active_objs"));
}

TEST_F(cache64, bulk_free_frees_in_order_and_bulk_alloc_pops_the_last_first)
{
	/*
	 * The first refill pushes S1's objects 0 to 15 (order-0 slab, no
	 * colour: object i at offset 64 * i); the bulk pops from the top,
	 * 15, 14, 13.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc-bulk 3"));
	EXPECT_EQ(15 * 64, held_offset(CACHE, 0));
	EXPECT_EQ(14 * 64, held_offset(CACHE, 1));
	EXPECT_EQ(13 * 64, held_offset(CACHE, 2));
	/*
	 * free-bulk pushes them in the order held: 15, 14, then 13 on top;
	 * the next bulk pops 13, 14, 15.  ('free 3' would push 13 first
	 * and get them back in the old order.)
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "free-bulk 3"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc-bulk 3"));
	EXPECT_EQ(13 * 64, held_offset(CACHE, 0));
	EXPECT_EQ(14 * 64, held_offset(CACHE, 1));
	EXPECT_EQ(15 * 64, held_offset(CACHE, 2));
}

TEST_F(cache64, bulk_and_single_calls_share_the_held_stack)
{
	struct cpu_row c;

	/* 'free' takes the newest held objects, whichever command got them. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 2"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc-bulk 5"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free 4"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-bulk 3"));
	EXPECT_EQ(0, ts_held(CACHE));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	/* One refill of 16 serves all 7; all 7 come back: 16 again. */
	EXPECT_EQ(1, c.allocmiss);
	EXPECT_EQ(6, c.allochit);
	EXPECT_EQ(7, c.freehit);
	EXPECT_EQ(16, c.avail);
}

TEST_F(cache64, remote_bulk_frees_go_through_the_alien_cache)
{
	struct node_row n0;
	struct cpu_row c1;

	if (!cpu_on_node(0, 0) || !cpu_on_node(1, 1))
		SKIP(return, "needs CPU 0 on node 0 and CPU 1 on node 1");
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc-bulk 13"));
	/*
	 * Freed on node 1, every object is node 0's: a node free each.
	 * Node 1's alien array for node 0 holds 12; the 13th finds it full
	 * (an overflow), sends the 12 home to node 0's shared array, and
	 * waits there alone.  None reaches CPU 1's array.
	 */
	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-bulk 13"));
	EXPECT_EQ(13, ts_stat(CACHE, "node_frees"));
	EXPECT_EQ(1, ts_stat(CACHE, "node_overflow"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n0));
	EXPECT_EQ(12, n0.shared_avail);
	ASSERT_EQ(0, ts_cpu(CACHE, 1, &c1));
	EXPECT_EQ(0, c1.freehit + c1.freemiss);
	EXPECT_EQ(0, c1.avail);
}

/* A cache of its own, destroyed whatever the test did, and a clean log. */
FIXTURE(own) {
	struct kmsg log;
	const char *name;
};

FIXTURE_SETUP(own)
{
	self->log.fd = -1;
	self->name = NULL;
	ASSERT_EQ(0, ts_pin(0));
	ASSERT_EQ(0, kmsg_mark(&self->log));
}

FIXTURE_TEARDOWN(own)
{
	if (self->name)
		EXPECT_EQ(0, ts_cache_destroy(self->name));
	EXPECT_EQ(0, kmsg_read(&self->log));
	/* No report of a debug check, nor any other trouble. */
	EXPECT_EQ(0, kmsg_toyslab_reports(&self->log));
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
	kmsg_close(&self->log);
}

TEST_F(own, bulk_alloc_with_gfp_zero_zeroes_every_object)
{
	long i;

	self->name = "bulkpoison64";
	ts_cache_destroy(self->name);
	ASSERT_EQ(0, ts_cache_create(self->name, "64 flags=poison"));
	/* A poison cache hands its objects out filled with POISON_INUSE. */
	ASSERT_EQ(0, ts_ctl(self->name, "alloc-bulk 3"));
	for (i = 0; i < 3; i++) {
		char line[128];

		held_line(self->name, i, line, sizeof(line));
		EXPECT_NE(NULL, strstr(line, " 0x5a5a5a5a5a5a5a5a")) {
			TH_LOG("held %ld: %s", i, line);
		}
	}
	/* The same three again, zeroed after the poison: __GFP_ZERO. */
	ASSERT_EQ(0, ts_ctl(self->name, "free-bulk 3"));
	ASSERT_EQ(0, ts_ctl(self->name, "alloc-bulk 3 gfp=kernel,zero"));
	for (i = 0; i < 3; i++) {
		char line[128];

		held_line(self->name, i, line, sizeof(line));
		EXPECT_NE(NULL, strstr(line, " 0x0000000000000000")) {
			TH_LOG("held %ld: %s", i, line);
		}
	}
}

TEST_F(own, bulk_calls_run_the_debug_checks_on_every_object)
{
	self->name = "bulkdebug64";
	ts_cache_destroy(self->name);
	ASSERT_EQ(0, ts_cache_create(self->name,
				     "64 flags=poison,red_zone,store_user"));
	/*
	 * A bulk alloc that skipped the check would leave the red zones
	 * inactive, and the free's check would call each free a double
	 * free; a bulk free that skipped it would leave them active and
	 * the object unpoisoned, and the next alloc's check would report a
	 * write.  Two rounds, with no report and no error.
	 */
	ASSERT_EQ(0, ts_ctl(self->name, "alloc-bulk 40"));
	ASSERT_EQ(0, ts_ctl(self->name, "free-bulk 40"));
	ASSERT_EQ(0, ts_ctl(self->name, "alloc-bulk 40"));
	ASSERT_EQ(0, ts_ctl(self->name, "free-bulk 40"));
	EXPECT_EQ(0, ts_stat(self->name, "errors"));
	EXPECT_EQ(0, ts_held(self->name));
}

TS_HARNESS_MAIN
