// SPDX-License-Identifier: GPL-2.0
/*
 * Slab layout: for each size, alignment and flags, the buffer size,
 * objects per slab, order, freelist placement and colour must be what
 * SLAB's __kmem_cache_create() of Linux 6.1 computes on x86_64 (64-byte
 * cache lines, 4 KiB pages, slab_max_order 1).
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

struct layout {
	const char *args;		/* SIZE [align=] [flags=] */
	long size, num, gfporder, colour;
	const char *freelist;
};

/*
 * How each line is derived (see layout.c):
 * - size: the object size rounded to a word, then to the alignment, and
 *   to at least 16 so that 256 objects never need a freelist index.
 * - objfreelist (the freelist in a free object) is tried first, and only
 *   needs num <= object size; then off-slab, if its kmalloc buffer is at
 *   most half an object and the left-over cannot hold it; then on-slab,
 *   which costs one index byte per object.
 * - order: the first that fits, stopping at 1 (slab_max_order) or at
 *   once when the waste is at most 1/8 of the slab.
 * - colour: left-over bytes / 64.
 */
static const struct layout table[] = {
	/* 8 -> 16: 256 per page exceeds 255 indexes; on-slab 4096/17 = 240 */
	{ "8", 16, 240, 0, 0, "on-slab" },
	/* 32: objfreelist needs 128 <= 32, no; off-slab buffer 128 > 16 */
	{ "32", 32, 124, 0, 0, "on-slab" },
	{ "64", 64, 64, 0, 0, "objfreelist" },
	/* 100 -> 104: 39 objects, 40 bytes left */
	{ "100", 104, 39, 0, 0, "objfreelist" },
	{ "128", 128, 32, 0, 0, "objfreelist" },
	{ "256", 256, 16, 0, 0, "objfreelist" },
	{ "512", 512, 8, 0, 0, "objfreelist" },
	/* 1000: 4 objects, 96 bytes left: one colour step */
	{ "1000", 1000, 4, 0, 1, "objfreelist" },
	{ "1024", 1024, 4, 0, 0, "objfreelist" },
	{ "2048", 2048, 2, 0, 0, "objfreelist" },
	{ "4096", 4096, 1, 0, 0, "objfreelist" },
	/* Too big for a page: the first order that holds one object. */
	{ "8192", 8192, 1, 1, 0, "objfreelist" },
	{ "32768", 32768, 1, 3, 0, "objfreelist" },
	{ "131072", 131072, 1, 5, 0, "objfreelist" },
	/* hwcache_align: cache-line alignment halved while size fits */
	{ "8 flags=hwcache_align", 16, 240, 0, 0, "on-slab" },
	{ "32 flags=hwcache_align", 32, 124, 0, 0, "on-slab" },
	{ "64 flags=hwcache_align", 64, 64, 0, 0, "objfreelist" },
	{ "100 flags=hwcache_align", 128, 32, 0, 0, "objfreelist" },
	{ "1000 flags=hwcache_align", 1024, 4, 0, 0, "objfreelist" },
	{ "131072 flags=hwcache_align", 131072, 1, 5, 0, "objfreelist" },
	/* A constructed object cannot hold the freelist. */
	{ "256 flags=ctor", 256, 16, 0, 0, "off-slab" },
	{ "1024 flags=ctor", 1024, 4, 0, 0, "off-slab" },
	/* 100 + ctor: off-slab never pays (64 > 50); on-slab 4096/105 */
	{ "100 flags=ctor", 104, 39, 0, 0, "on-slab" },
	/* align=512 on 100 bytes: 8 per page, 0 left */
	{ "100 align=512", 512, 8, 0, 0, "objfreelist" },
	/* 3000: order 0 wastes 1096 > 512, order 1 holds 2 wasting 2192 */
	{ "3000", 3000, 2, 1, 34, "objfreelist" },
	/* reclaim_account stops at the first order that fits */
	{ "3000 flags=reclaim_account", 3000, 1, 0, 17, "objfreelist" },
};

TEST(layout_matches_slab_for_every_size_and_flag)
{
	char freelist[32];
	int i;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		const struct layout *l = &table[i];

		ts_cache_destroy("layout");
		ASSERT_EQ(0, ts_cache_create("layout", l->args));
		EXPECT_EQ(l->size, ts_keyed("layout", "layout", "size"))
			TH_LOG("%s: size", l->args);
		EXPECT_EQ(l->num, ts_keyed("layout", "layout", "num"))
			TH_LOG("%s: num", l->args);
		EXPECT_EQ(l->gfporder, ts_keyed("layout", "layout", "gfporder"))
			TH_LOG("%s: gfporder", l->args);
		EXPECT_EQ(l->colour, ts_keyed("layout", "layout", "colour"))
			TH_LOG("%s: colour", l->args);
		ASSERT_EQ(0, ts_layout_str("layout", "freelist", freelist,
					   sizeof(freelist)));
		EXPECT_STREQ(l->freelist, freelist)
			TH_LOG("%s: freelist", l->args);
		ASSERT_EQ(0, ts_cache_destroy("layout"));
	}
}

TEST(colour_cycles_through_the_slack_of_each_slab)
{
	char path[256], buf[8192], *line;
	long offsets[3];
	int i = 0;

	/*
	 * 3000-byte objects: two per order-1 slab, 2192 bytes left, so 34
	 * colours of 64 bytes.  Each new slab of the node takes the next
	 * colour, starting from colour_next + 1 = 1: offsets 64, 128, 192.
	 * With limit and batchcount 1, every other alloc grows a slab.
	 */
	ts_cache_destroy("colour");
	ASSERT_EQ(0, ts_cache_create("colour", "3000"));
	ASSERT_EQ(0, ts_pin(0));
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", "colour 1 1 0"));
	ASSERT_EQ(0, ts_ctl("colour", "alloc 6"));
	ts_cache_path(path, sizeof(path), "colour", "held");
	ASSERT_LT(0, ts_read(path, buf, sizeof(buf)));
	/* Rows 0, 2 and 4 are the first objects of slabs 1, 2 and 3. */
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		long idx, off;
		char addr[64];

		if (sscanf(line, "%ld %63s 0x%lx", &idx, addr, &off) == 3 &&
		    idx % 2 == 0 && i < 3)
			offsets[i++] = off;
	}
	ASSERT_EQ(3, i);
	EXPECT_EQ(64, offsets[0]);
	EXPECT_EQ(128, offsets[1]);
	EXPECT_EQ(192, offsets[2]);
	EXPECT_EQ(3, ts_stat("colour", "grown"));
	ASSERT_EQ(0, ts_cache_destroy("colour"));
}

TS_HARNESS_MAIN
