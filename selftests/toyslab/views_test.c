// SPDX-License-Identifier: GPL-2.0
/*
 * The object-level views, caches/NAME/arrays, slabs and map, line by line
 * after known sequences of allocations and frees.
 *
 * Most tests pin themselves to CPU 0 and use a 64-byte cache with SLAB's
 * default tunables: 64 objects per order-0 slab with the freelist in an
 * object (objfreelist: 64 one-byte indexes fit a 64-byte object), no room
 * left for colour, limit 120, batchcount 60, and on SMP a shared array of
 * 8 batches (480).  A new slab's freelist is 0, 1, ..., 63: it hands its
 * objects out in address order.  Slab ids count the cache's grows from 0.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE		"views64"
#define BIG		"views4k"
#define COLOUR		"views300"
#define VIEW_BUF	(1024 * 1024)
#define LINE_MAX	8192
/* views.c: a snapshot holds at most this many slabs. */
#define VIEW_MAX_SLABS	1024

static char text[VIEW_BUF];

/* caches/@cache/@file, whole, into text[]; its length or -errno. */
static long read_view(const char *cache, const char *file)
{
	char path[256];

	ts_cache_path(path, sizeof(path), cache, file);
	return ts_read(path, text, sizeof(text));
}

/* The line of @cache's @file that starts with @prefix, without its '\n'. */
static int view_line(const char *cache, const char *file, const char *prefix,
		     char *line, size_t size)
{
	size_t plen = strlen(prefix);
	char *p, *end;

	if (read_view(cache, file) < 0)
		return -ENOENT;
	for (p = text; *p; p = end + 1) {
		end = strchrnul(p, '\n');
		if (!strncmp(p, prefix, plen)) {
			snprintf(line, size, "%.*s", (int)(end - p), p);
			return 0;
		}
		if (!*end)
			break;
	}
	return -ENOENT;
}

/* Lines of text[] that start with @prefix. */
static int count_lines(const char *prefix)
{
	size_t plen = strlen(prefix);
	int nr = 0;
	char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, prefix, plen))
			nr++;
	return nr;
}

/* Append printf-style to @s. */
static void cat(char *s, const char *fmt, ...)
{
	size_t len = strlen(s);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s + len, LINE_MAX - len, fmt, ap);
	va_end(ap);
}

/* " SLAB:FIRST ... SLAB:LAST", entries of one slab with rising indexes. */
static void cat_entries(char *s, int slab, int first, int last)
{
	int i;

	for (i = first; i <= last; i++)
		cat(s, " %d:%d", slab, i);
}

/* @n copies of @c. */
static void cat_chars(char *s, char c, int n)
{
	while (n--)
		cat(s, "%c", c);
}

static void layout_is(struct __test_metadata *_metadata, const char *cache,
		      const char *key, const char *want)
{
	char got[64];

	ASSERT_EQ(0, ts_layout_str(cache, key, got, sizeof(got)));
	ASSERT_STREQ(want, got);
}

#define EXPECT_LINE(cache, file, prefix, want) do {			\
	char got_[LINE_MAX];						\
									\
	ASSERT_EQ(0, view_line(cache, file, prefix, got_, sizeof(got_))); \
	EXPECT_STREQ(want, got_);					\
} while (0)

FIXTURE(cache64) {
	int ncpus;
};

FIXTURE_SETUP(cache64)
{
	self->ncpus = ts_online_cpus();
	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_pin(0));
	/* The layout the expectations below are derived from. */
	layout_is(_metadata, CACHE, "num", "64");
	layout_is(_metadata, CACHE, "gfporder", "0");
	layout_is(_metadata, CACHE, "freelist", "objfreelist");
	layout_is(_metadata, CACHE, "colour", "0");
}

FIXTURE_TEARDOWN(cache64)
{
	ts_pin(0);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
}

TEST_F(cache64, new_cache_has_empty_arrays_and_no_slab)
{
	char want[LINE_MAX] = "";

	cat(want, "cpu 0 avail 0 limit 120 batchcount 60 touched 0:");
	EXPECT_LINE(CACHE, "arrays", "cpu 0 ", want);
	/* One line per online CPU, one shared array on SMP, one node. */
	ASSERT_LT(0, read_view(CACHE, "arrays"));
	EXPECT_EQ(self->ncpus, count_lines("cpu "));
	EXPECT_EQ(self->ncpus > 1, count_lines("shared 0 "));
	EXPECT_EQ(0, count_lines("alien "));
	EXPECT_EQ(0, read_view(CACHE, "slabs"));
	/* Only the legend. */
	ASSERT_LT(0, read_view(CACHE, "map"));
	EXPECT_EQ(1, count_lines(""));
	EXPECT_EQ(1, count_lines("# A allocated "));
}

TEST_F(cache64, first_alloc_leaves_15_objects_of_slab_0_in_the_array)
{
	char want[LINE_MAX] = "";
	int i;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	/*
	 * The empty array refills: untouched, so BATCHREFILL_LIMIT, 16
	 * objects, from a new slab 0, which hands out indexes 0..15 in
	 * freelist order; each goes on top, so 15 is on top and is handed
	 * out.  0..14 stay, 0 at the bottom.
	 */
	cat(want, "cpu 0 avail 15 limit 120 batchcount 60 touched 1:");
	cat_entries(want, 0, 0, 14);
	EXPECT_LINE(CACHE, "arrays", "cpu 0 ", want);

	/* 16 out of the slab: it is partial and hands out 16..63 next. */
	want[0] = '\0';
	cat(want, "slab 0 node 0 list partial colour 0 freelist obj ");
	cat(want, "active 16/64 pfmemalloc 0 free:");
	for (i = 16; i < 64; i++)
		cat(want, " %d", i);
	EXPECT_LINE(CACHE, "slabs", "slab 0 ", want);

	/* Objects 0..14 in the array, 15 allocated, 16..63 free. */
	want[0] = '\0';
	cat(want, "slab 0 node 0 partial ");
	cat_chars(want, 'c', 15);
	cat_chars(want, 'A', 1);
	cat_chars(want, '.', 48);
	EXPECT_LINE(CACHE, "map", "slab 0 ", want);
}

TEST_F(cache64, a_free_goes_on_top_of_the_freeing_cpus_array)
{
	char want[LINE_MAX] = "";

	if (self->ncpus < 2)
		SKIP(return, "needs two CPUs");
	/* CPU 0 refills 0..15 and hands out 15, 14, 13: 0..12 stay. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 3"));
	/*
	 * CPU 1 frees them, newest first: 13, 14, 15, each on top of its
	 * own array, untouched and empty until now; 15 ends on top.
	 */
	ASSERT_EQ(0, ts_pin(1));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	cat(want, "cpu 1 avail 3 limit 120 batchcount 60 touched 0: 0:13 0:14 0:15");
	EXPECT_LINE(CACHE, "arrays", "cpu 1 ", want);

	/* The top is the next handed out: 15, a hit that touches the array. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	want[0] = '\0';
	cat(want, "cpu 1 avail 2 limit 120 batchcount 60 touched 1: 0:13 0:14");
	EXPECT_LINE(CACHE, "arrays", "cpu 1 ", want);
	want[0] = '\0';
	cat(want, "cpu 0 avail 13 limit 120 batchcount 60 touched 1:");
	cat_entries(want, 0, 0, 12);
	EXPECT_LINE(CACHE, "arrays", "cpu 0 ", want);

	/* Still 16 out of the slab: 0..12 on CPU 0, 13 and 14 on CPU 1. */
	want[0] = '\0';
	cat(want, "slab 0 node 0 partial ");
	cat_chars(want, 'c', 15);
	cat_chars(want, 'A', 1);
	cat_chars(want, '.', 48);
	EXPECT_LINE(CACHE, "map", "slab 0 ", want);
}

TEST_F(cache64, overflow_flushes_the_oldest_batch_to_the_shared_array)
{
	char want[LINE_MAX] = "";
	int i;

	if (self->ncpus < 2)
		SKIP(return, "needs two CPUs (a shared array)");
	/*
	 * 121 allocs on CPU 0: miss, grow slab 0, refill 0:0..0:15, hand out
	 * 0:15 and 15 hits down to 0:0; miss, refill 0:16..0:63 (the rest of
	 * slab 0), hand out 0:63 and 47 hits down to 0:16; miss, grow slab
	 * 1, refill 60 (1:0..1:59), hand out 1:59 and 56 hits down to 1:3.
	 * Left: 1:0 1:1 1:2.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 121"));
	cat(want, "cpu 0 avail 3 limit 120 batchcount 60 touched 1:");
	cat_entries(want, 1, 0, 2);
	EXPECT_LINE(CACHE, "arrays", "cpu 0 ", want);

	/*
	 * free-all frees newest first: 1:3..1:59, 0:16..0:63, 0:0..0:15.
	 * The array fills to its limit of 120 with 0:11 on top; freeing
	 * 0:12 flushes the bottom batchcount, 60 objects (1:0..1:59), in
	 * order to the empty shared array and pushes 0:12; then 0:13..0:15.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	want[0] = '\0';
	cat(want, "cpu 0 avail 64 limit 120 batchcount 60 touched 1:");
	cat_entries(want, 0, 16, 63);
	cat_entries(want, 0, 0, 15);
	EXPECT_LINE(CACHE, "arrays", "cpu 0 ", want);
	want[0] = '\0';
	/* A shared array's batchcount is unused: SLAB's 0xbaadf00d. */
	cat(want, "shared 0 avail 60 limit 480 batchcount %u touched 0:",
	    0xbaadf00d);
	cat_entries(want, 1, 0, 59);
	EXPECT_LINE(CACHE, "arrays", "shared 0 ", want);

	/*
	 * Every object in an array counts as handed out of its slab: slab 0
	 * is full, slab 1 has 60 out and hands out 60..63 next.  The node
	 * lists are shown full first, then partial.
	 */
	ASSERT_LT(0, read_view(CACHE, "slabs"));
	EXPECT_EQ(2, count_lines("slab "));
	EXPECT_EQ(0, strncmp(text, "slab 0 ", 7));
	EXPECT_LINE(CACHE, "slabs", "slab 0 ",
		    "slab 0 node 0 list full colour 0 freelist obj active 64/64 pfmemalloc 0 free:");
	EXPECT_LINE(CACHE, "slabs", "slab 1 ",
		    "slab 1 node 0 list partial colour 0 freelist obj active 60/64 pfmemalloc 0 free: 60 61 62 63");

	want[0] = '\0';
	cat(want, "slab 0 node 0 full ");
	cat_chars(want, 'c', 64);
	EXPECT_LINE(CACHE, "map", "slab 0 ", want);
	want[0] = '\0';
	cat(want, "slab 1 node 0 partial ");
	cat_chars(want, 's', 60);
	cat_chars(want, '.', 4);
	EXPECT_LINE(CACHE, "map", "slab 1 ", want);

	/* A drain gives CPU 0's 64 back: slab 0 free, in freelist order. */
	ASSERT_EQ(0, ts_ctl(CACHE, "drain"));
	want[0] = '\0';
	cat(want, "slab 0 node 0 list free colour 0 freelist obj active 0/64 pfmemalloc 0 free:");
	/*
	 * free_block() puts each object back at freelist[--active], from
	 * the array's bottom up: 0:16 lands at position 63, ..., 0:15 at
	 * position 0.  So the slab hands out 15, 14, ..., 0, then 63..16.
	 */
	for (i = 15; i >= 0; i--)
		cat(want, " %d", i);
	for (i = 63; i >= 16; i--)
		cat(want, " %d", i);
	EXPECT_LINE(CACHE, "slabs", "slab 0 ", want);
}

FIXTURE(views) {
	char unused;
};

FIXTURE_SETUP(views)
{
	ASSERT_EQ(0, ts_pin(0));
}

FIXTURE_TEARDOWN(views)
{
	ts_cache_destroy(BIG);
	ts_cache_destroy(COLOUR);
}

TEST_F(views, slab_ids_count_grows_and_colours_cycle)
{
	char prefix[32], want[LINE_MAX];
	int id;

	ts_cache_destroy(COLOUR);
	ASSERT_EQ(0, ts_cache_create(COLOUR, "300"));
	/*
	 * 300 bytes, 304 with alignment: 13 objects in a page, 144 bytes
	 * left, two cache lines of colour.  SLAB advances a node's colour
	 * before using it, so slab 0 starts one line in, slab 1 at 0,
	 * slab 2 one line in again.
	 */
	layout_is(_metadata, COLOUR, "num", "13");
	layout_is(_metadata, COLOUR, "colour", "2");
	layout_is(_metadata, COLOUR, "colour_off", "64");
	layout_is(_metadata, COLOUR, "freelist", "objfreelist");
	/*
	 * Every 13 allocations empty the array and find no free object
	 * left: the 1st, 14th and 27th grow slabs 0, 1 and 2 and take
	 * all 13 objects of each.  All three end full, the newest first
	 * on the list.
	 */
	ASSERT_EQ(0, ts_ctl(COLOUR, "alloc 39"));
	ASSERT_EQ(3, ts_stat(COLOUR, "grown"));
	ASSERT_LT(0, read_view(COLOUR, "slabs"));
	EXPECT_EQ(0, strncmp(text, "slab 2 ", 7));
	for (id = 0; id < 3; id++) {
		snprintf(prefix, sizeof(prefix), "slab %d ", id);
		snprintf(want, sizeof(want),
			 "slab %d node 0 list full colour %d freelist obj active 13/13 pfmemalloc 0 free:",
			 id, (id + 1) % 2 * 64);
		EXPECT_LINE(COLOUR, "slabs", prefix, want);
	}
	EXPECT_EQ(0, ts_ctl(COLOUR, "free-all"));
}

TEST_F(views, huge_cache_views_stop_at_1024_slabs)
{
	long total = VIEW_MAX_SLABS + 76;
	char want[64];

	ts_cache_destroy(BIG);
	ASSERT_EQ(0, ts_cache_create(BIG, "4096"));
	/* One object per slab, so every alloc misses and grows a slab. */
	layout_is(_metadata, BIG, "num", "1");
	ASSERT_EQ(0, ts_ctl(BIG, "alloc %ld", total));
	ASSERT_EQ(total, ts_stat(BIG, "grown"));

	snprintf(want, sizeof(want), "# %ld slabs left out\n",
		 total - VIEW_MAX_SLABS);
	ASSERT_LT(0, read_view(BIG, "slabs"));
	EXPECT_EQ(VIEW_MAX_SLABS, count_lines("slab "));
	EXPECT_STREQ(want, strrchr(text, '#'));
	ASSERT_LT(0, read_view(BIG, "map"));
	EXPECT_EQ(VIEW_MAX_SLABS, count_lines("slab "));
	EXPECT_STREQ(want, strrchr(text, '#'));
	EXPECT_EQ(0, ts_ctl(BIG, "free-all"));
}

TS_HARNESS_MAIN
