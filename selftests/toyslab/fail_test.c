// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, debugfs fail/: should_failslab()'s rules (probability,
 * interval, times, space, the cache filter, ignore-gfp-wait) on the
 * allocation, single or bulk, page-probability on the growth of a cache,
 * and the knobs' own checks.
 *
 * The cache: 64-byte objects, 64 per slab, limit 120, batchcount 60.  An
 * injected allocation failure returns before the per-CPU array is looked
 * at, and counts in 'errors'; a failed growth is an ordinary out of
 * memory, which SLAB never counted as an error.  Every test starts and
 * ends with every knob at its default.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#define CACHE	"fail64"
#define OTHER	"fail64b"
#define FAIL	TOYSLAB_DIR "/fail/"

static const char * const knobs[] = {
	"probability", "interval", "times", "space", "verbose",
	"ignore-gfp-wait", "page-probability",
};

/* Defaults, in the order of knobs[]: what module load sets. */
static const char * const defaults[] = { "0", "1", "1", "0", "0", "0", "0" };

static int knob_set(const char *knob, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), FAIL "%s", knob);
	return ts_write(path, val);
}

/* A knob's value; INT_MIN if it cannot be read. */
static long knob(const char *knob)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), FAIL "%s", knob);
	if (ts_read(path, buf, sizeof(buf)) <= 0)
		return -(1L << 40);
	return strtol(buf, NULL, 10);
}

static void fail_cache(char *buf, size_t size)
{
	if (ts_read(FAIL "cache", buf, size) < 0)
		buf[0] = '\0';
}

static int reset_knobs(void)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		ret = ret ?: knob_set(knobs[i], defaults[i]);
	return ret ?: ts_write(FAIL "cache", "*");
}

/* Objects 'ctl' holds: the lines of 'held' after its header. */
static long held_count(const char *cache)
{
	char path[256], buf[65536], *p;
	long lines = 0;

	ts_cache_path(path, sizeof(path), cache, "held");
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	return lines - 1;
}

FIXTURE(fail) {
	long pages;
	struct kmsg log;
};

FIXTURE_SETUP(fail)
{
	self->log.fd = -1;
	ASSERT_EQ(0, access(FAIL "probability", W_OK));
	ASSERT_EQ(0, reset_knobs());
	ASSERT_EQ(0, ts_pin(0));
	self->pages = ts_pages();
	ts_cache_destroy(CACHE);
	ts_cache_destroy(OTHER);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, kmsg_mark(&self->log));
}

FIXTURE_TEARDOWN(fail)
{
	unsigned int i;
	char buf[64];

	EXPECT_EQ(0, reset_knobs());
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		EXPECT_EQ(strtol(defaults[i], NULL, 10), knob(knobs[i])) {
			TH_LOG("fail/%s", knobs[i]);
		}
	}
	fail_cache(buf, sizeof(buf));
	EXPECT_STREQ("*\n", buf);

	/* Whatever failed, the cache frees everything and gives it back. */
	ts_pin(0);
	EXPECT_EQ(0, ts_ctl(CACHE, "free-all"));
	EXPECT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(0, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
	ts_cache_destroy(OTHER);
	EXPECT_EQ(self->pages, ts_pages());

	EXPECT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
	kmsg_close(&self->log);
}

TEST_F(fail, probability_100_fails_the_first_alloc_and_counts_times_down)
{
	ASSERT_EQ(0, knob_set("times", "3"));
	ASSERT_EQ(0, knob_set("probability", "100"));

	/* 'alloc 10' stops at its first failure: nothing is held. */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 10"));
	EXPECT_EQ(2, knob("times"));
	EXPECT_EQ(1, ts_stat(CACHE, "errors"));
	EXPECT_EQ(0, held_count(CACHE));
	/* Failed before the array was even looked at. */
	EXPECT_EQ(0, ts_stat(CACHE, "allocmiss"));
	EXPECT_EQ(0, ts_stat(CACHE, "allochit"));
	EXPECT_EQ(0, ts_stat(CACHE, "grown"));
}

TEST_F(fail, times_stops_injecting_at_zero_and_minus_one_never_does)
{
	int i;

	ASSERT_EQ(0, knob_set("times", "3"));
	ASSERT_EQ(0, knob_set("probability", "100"));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	}
	EXPECT_EQ(0, knob("times"));
	/* Spent: the next allocation goes through, and times stays 0. */
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(0, knob("times"));
	EXPECT_EQ(3, ts_stat(CACHE, "errors"));

	ASSERT_EQ(0, knob_set("times", "-1"));
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	}
	EXPECT_EQ(-1, knob("times"));
	EXPECT_EQ(3 + 5, ts_stat(CACHE, "errors"));
	EXPECT_EQ(1, held_count(CACHE));
}

TEST_F(fail, interval_fails_exactly_one_call_in_n)
{
	int i, failed = 0, first = -1;

	ASSERT_EQ(0, knob_set("times", "-1"));
	ASSERT_EQ(0, knob_set("interval", "3"));
	ASSERT_EQ(0, knob_set("probability", "100"));
	/*
	 * The call counter is never reset, so where the cycle starts is
	 * unknown; but 9 calls in a row hold exactly 3 multiples of 3,
	 * 3 apart.
	 */
	for (i = 0; i < 9; i++) {
		int ret = ts_ctl(CACHE, "alloc 1");

		if (ret == -ENOMEM) {
			if (first < 0)
				first = i;
			EXPECT_EQ(0, (i - first) % 3);
			failed++;
		} else {
			EXPECT_EQ(0, ret);
		}
	}
	EXPECT_EQ(3, failed);
	EXPECT_GT(3, first);
	EXPECT_EQ(3, ts_stat(CACHE, "errors"));
	EXPECT_EQ(6, held_count(CACHE));
}

TEST_F(fail, space_lets_allocations_through_while_above_the_object_size)
{
	ASSERT_EQ(0, knob_set("space", "640"));
	ASSERT_EQ(0, knob_set("times", "1"));
	ASSERT_EQ(0, knob_set("probability", "100"));
	/*
	 * As should_fail(): while space > 64 an allocation takes 64 from it
	 * and succeeds: 640, 576, ..., 128 are 9 allocations; at 64 the
	 * 10th fails, and space stays 64.
	 */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 20"));
	EXPECT_EQ(9, held_count(CACHE));
	EXPECT_EQ(64, knob("space"));
	EXPECT_EQ(0, knob("times"));
	EXPECT_EQ(1, ts_stat(CACHE, "errors"));
}

TEST_F(fail, cache_filter_restricts_failures_to_that_cache)
{
	char buf[64];

	ASSERT_EQ(0, ts_cache_create(OTHER, "64"));
	ASSERT_EQ(0, knob_set("times", "-1"));
	ASSERT_EQ(0, ts_write(FAIL "cache", OTHER));
	ASSERT_EQ(0, knob_set("probability", "100"));
	fail_cache(buf, sizeof(buf));
	EXPECT_STREQ(OTHER "\n", buf);

	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(-ENOMEM, ts_ctl(OTHER, "alloc 1"));
	EXPECT_EQ(0, ts_stat(CACHE, "errors"));
	EXPECT_EQ(1, ts_stat(OTHER, "errors"));

	/* '*' selects every cache again. */
	ASSERT_EQ(0, ts_write(FAIL "cache", "*"));
	fail_cache(buf, sizeof(buf));
	EXPECT_STREQ("*\n", buf);
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(-ENOMEM, ts_ctl(OTHER, "alloc 1"));
	EXPECT_EQ(1, ts_stat(CACHE, "errors"));
	EXPECT_EQ(2, ts_stat(OTHER, "errors"));
	EXPECT_EQ(1, held_count(CACHE));
	EXPECT_EQ(0, held_count(OTHER));
}

TEST_F(fail, ignore_gfp_wait_spares_allocations_that_may_sleep)
{
	ASSERT_EQ(0, knob_set("times", "-1"));
	ASSERT_EQ(0, knob_set("ignore-gfp-wait", "1"));
	ASSERT_EQ(0, knob_set("probability", "100"));

	/* GFP_KERNEL may direct-reclaim: spared. */
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 1 gfp=kernel"));
	/* GFP_ATOMIC and GFP_NOWAIT may not: failed. */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1 gfp=atomic"));
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1 gfp=nowait"));
	EXPECT_EQ(2, ts_stat(CACHE, "errors"));
	EXPECT_EQ(2, held_count(CACHE));

	/* Without the knob, a sleeping allocation fails too. */
	ASSERT_EQ(0, knob_set("ignore-gfp-wait", "0"));
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1 gfp=kernel"));
	EXPECT_EQ(3, ts_stat(CACHE, "errors"));
}

TEST_F(fail, page_probability_fails_growth_of_an_empty_cache)
{
	long pages = ts_pages();

	ASSERT_EQ(0, knob_set("page-probability", "100"));
	/* The refill, the node allocation and the fallback all grow: fail. */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(0, ts_stat(CACHE, "grown"));
	EXPECT_EQ(1, ts_stat(CACHE, "allocmiss"));
	/* An out-of-memory growth is no injected allocation failure. */
	EXPECT_EQ(0, ts_stat(CACHE, "errors"));
	EXPECT_EQ(pages, ts_pages());
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
}

TEST_F(fail, page_probability_leaves_the_per_cpu_array_working)
{
	struct cpu_row c;

	/* Miss: 16 from a new slab; 15 hits; miss: its other 48: avail 47. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 17"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	ASSERT_EQ(47, c.avail);

	ASSERT_EQ(0, knob_set("page-probability", "100"));
	/* The 47 in the array need no page. */
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 47"));
	/* The slab is full and cannot grow: the next alloc fails. */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(15 + 47, c.allochit);
	EXPECT_EQ(3, c.allocmiss);
	EXPECT_EQ(1, ts_stat(CACHE, "grown"));
	EXPECT_EQ(0, ts_stat(CACHE, "errors"));
	EXPECT_EQ(64, held_count(CACHE));

	/* Pages again: the cache grows as before. */
	ASSERT_EQ(0, knob_set("page-probability", "0"));
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(2, ts_stat(CACHE, "grown"));
}

TEST_F(fail, a_bulk_alloc_asks_once_for_all_its_objects)
{
	struct cpu_row c;

	ASSERT_EQ(0, knob_set("space", "128"));
	ASSERT_EQ(0, knob_set("times", "1"));
	ASSERT_EQ(0, knob_set("probability", "100"));
	/*
	 * As slab_pre_alloc_hook() in 6.1's kmem_cache_alloc_bulk(): one
	 * question for the call, for one object's size.  128 > 64: the
	 * whole bulk goes through and space drops to 64.  Asked per object,
	 * the second would have failed.
	 */
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc-bulk 10"));
	EXPECT_EQ(10, held_count(CACHE));
	EXPECT_EQ(64, knob("space"));
	EXPECT_EQ(1, knob("times"));
	/* Not above 64: this call fails, whole, before the array. */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc-bulk 10"));
	EXPECT_EQ(10, held_count(CACHE));
	EXPECT_EQ(0, knob("times"));
	EXPECT_EQ(1, ts_stat(CACHE, "errors"));
	/* The first call: a miss refills 16, 9 hits; the second, nothing. */
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(1, c.allocmiss);
	EXPECT_EQ(9, c.allochit);
	EXPECT_EQ(6, c.avail);
}

TEST_F(fail, a_bulk_alloc_that_cannot_grow_gives_back_what_it_took)
{
	long pages;
	struct cpu_row c;

	/* Miss: a new slab S1, 16 of it into the array; 15 left, S1 has 48. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	pages = ts_pages();
	ASSERT_EQ(0, knob_set("page-probability", "100"));
	/*
	 * 15 hits empty the array; a miss refills S1's 48 (the touched
	 * array wants 60), 47 hits: 63 objects.  The 64th misses with no
	 * free object anywhere, and the refill's, the node allocation's and
	 * the fallback's grows all fail.  The bulk gives the 63 back as
	 * toyslab_cache_free_bulk() would: 63 hits into the empty array.
	 */
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc-bulk 100"));
	EXPECT_EQ(1, held_count(CACHE));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(15 + 47, c.allochit);
	EXPECT_EQ(1 + 2, c.allocmiss);
	EXPECT_EQ(63, c.freehit);
	EXPECT_EQ(0, c.freemiss);
	EXPECT_EQ(63, c.avail);
	EXPECT_EQ(1, ts_stat(CACHE, "grown"));
	/* An out-of-memory growth is no injected failure. */
	EXPECT_EQ(0, ts_stat(CACHE, "errors"));
	EXPECT_EQ(64, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(pages, ts_pages());
}

TEST_F(fail, verbose_logs_each_injected_failure_once)
{
	ASSERT_EQ(0, knob_set("verbose", "1"));
	ASSERT_EQ(0, knob_set("times", "2"));
	ASSERT_EQ(0, knob_set("probability", "100"));
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, knob_set("probability", "0"));
	/* An empty cache: the refill, the node and the fallback grow. */
	ASSERT_EQ(0, knob_set("page-probability", "100"));
	EXPECT_EQ(-ENOMEM, ts_ctl(CACHE, "alloc 1"));

	ASSERT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(2, kmsg_count(&self->log, "toyslab: " CACHE
				": injected failure of an allocation", false));
	EXPECT_EQ(3, kmsg_count(&self->log, "toyslab: " CACHE
				": injected failure of a page allocation",
				false));
	/* Verbose 1 prints no stack. */
	EXPECT_EQ(0, kmsg_count(&self->log, "Call Trace:", true));
}

TEST_F(fail, errors_count_exactly_the_injected_failures)
{
	int i, failed = 0, ret;

	ASSERT_EQ(0, knob_set("times", "-1"));
	ASSERT_EQ(0, knob_set("probability", "50"));
	for (i = 0; i < 200; i++) {
		ret = ts_ctl(CACHE, "alloc 1");
		if (ret == -ENOMEM) {
			failed++;
			continue;
		}
		ASSERT_EQ(0, ret);
	}
	/* 50%: 200 tries fail 100 times give or take 40 (5 sigma is 35). */
	EXPECT_LT(60, failed);
	EXPECT_GT(140, failed);
	EXPECT_EQ(failed, ts_stat(CACHE, "errors"));
	EXPECT_EQ(200 - failed, held_count(CACHE));
	/* Every object handed out is active; the rest wait in the array. */
	EXPECT_LE(200 - failed, ts_stat(CACHE, "active_objs"));
}

TEST_F(fail, bad_values_are_refused_and_change_nothing)
{
	static const struct {
		const char *knob, *val;
	} bad[] = {
		{ "probability", "101" }, { "probability", "-1" },
		{ "probability", "4294967296" }, { "probability", "abc" },
		{ "probability", "" }, { "probability", "5 5" },
		{ "probability", "0x10" }, { "probability", "+5" },
		{ "probability", "\n" }, { "probability", "5\n\n" },
		{ "interval", "0" }, { "interval", "-1" },
		{ "times", "-2" }, { "times", "2147483648" },
		{ "times", "--1" },
		{ "space", "-1" }, { "space", "2147483648" },
		{ "verbose", "3" }, { "ignore-gfp-wait", "2" },
		{ "page-probability", "101" }, { "page-probability", "-1" },
	};
	static const char * const bad_names[] = {
		"a/b", "fail64 fail64b", "", "**", "a.b",
		"abcdefghijklmnopqrstuvwxyz0123456",	/* 33 > 31 */
	};
	long before[ARRAY_SIZE(knobs)];
	char buf[64];
	unsigned int i;

	/* Away from the defaults, so that a reset would show too. */
	ASSERT_EQ(0, knob_set("interval", "7"));
	ASSERT_EQ(0, knob_set("times", "5"));
	ASSERT_EQ(0, knob_set("space", "100"));
	ASSERT_EQ(0, ts_write(FAIL "cache", CACHE));
	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		before[i] = knob(knobs[i]);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, knob_set(bad[i].knob, bad[i].val)) {
			TH_LOG("fail/%s '%s'", bad[i].knob, bad[i].val);
		}
	}
	for (i = 0; i < ARRAY_SIZE(bad_names); i++) {
		EXPECT_EQ(-EINVAL, ts_write(FAIL "cache", bad_names[i])) {
			TH_LOG("fail/cache '%s'", bad_names[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		EXPECT_EQ(before[i], knob(knobs[i])) {
			TH_LOG("fail/%s", knobs[i]);
		}
	}
	fail_cache(buf, sizeof(buf));
	EXPECT_STREQ(CACHE "\n", buf);

	/* The ends of each range are accepted. */
	EXPECT_EQ(0, knob_set("probability", "100"));
	EXPECT_EQ(0, knob_set("probability", "0"));
	EXPECT_EQ(0, knob_set("interval", "2147483647"));
	EXPECT_EQ(2147483647, knob("interval"));
	EXPECT_EQ(0, knob_set("times", "-1"));
	EXPECT_EQ(0, knob_set("space", "2147483647"));
	EXPECT_EQ(0, knob_set("verbose", "2"));
	EXPECT_EQ(0, knob_set("ignore-gfp-wait", "1"));
	EXPECT_EQ(0, knob_set("page-probability", "100"));
	EXPECT_EQ(0, knob_set("page-probability", "0\n"));
	EXPECT_EQ(0, knob("page-probability"));
}

TS_HARNESS_MAIN
