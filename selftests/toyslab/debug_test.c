// SPDX-License-Identifier: GPL-2.0
/*
 * The debugging options of debug.c: the layout they give a cache, and
 * their detectors, each fed exactly one case by a 'ctl' provocation.
 *
 * A provocation must raise the cache's 'errors' by exactly one and print
 * exactly one report line "toyslab: NAME: <what> at ..." (its hex dump and
 * stack lines start "toyslab:   " and are not counted), never the kernel's
 * own "BUG:", "WARNING:" or "Call Trace:".  Afterwards the cache must
 * still free everything and be destroyed with every page given back.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#define CACHE	"dbg64"
#define OTHER	"dbg64b"
#define DEBUG3	"64 flags=poison,red_zone,store_user"

/* Whether caches get a shared array: SLAB's num_possible_cpus() > 1. */
static bool possible_cpus_above_one(void)
{
	char buf[64];

	if (ts_read("/sys/devices/system/cpu/possible", buf, sizeof(buf)) < 0)
		return true;
	return strcmp(buf, "0\n") != 0;
}

/* Column 2 (the hashed address) of line @index of 'held', or "". */
static void held_object(const char *cache, long index, char *out, size_t size)
{
	char path[256], buf[8192], *line;
	long i;
	char obj[64];

	out[0] = '\0';
	ts_cache_path(path, sizeof(path), cache, "held");
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%ld %63s", &i, obj) == 2 && i == index)
			snprintf(out, size, "%s", obj);
}

/* The last line of the log that starts with @prefix, or "". */
static void last_line(const struct kmsg *k, const char *prefix, char *out,
		      size_t size)
{
	const char *line = k->text, *end;
	size_t plen = strlen(prefix);

	out[0] = '\0';
	while (line && *line) {
		end = strchr(line, '\n');
		if (!strncmp(line, prefix, plen))
			snprintf(out, size, "%.*s",
				 (int)(end ? end - line : (long)strlen(line)),
				 line);
		line = end ? end + 1 : NULL;
	}
}

/* Report lines (not dump or stack lines) of @cache in the log. */
static int reports(const struct kmsg *k, const char *cache)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "toyslab: %s: ", cache);
	return kmsg_count(k, prefix, false);
}

FIXTURE(detect) {
	struct kmsg log;
	long pages;
	const char *caches[8];
	int nr_caches;
	int expected;		/* report lines the test provoked */
};

/*
 * struct _test_data_detect is FIXTURE_DATA(detect) spelled out: checkpatch
 * reads the '*' after the macro as a multiplication.
 */
static void add_cache(struct __test_metadata *_metadata,
		      struct _test_data_detect *self, const char *name,
		      const char *args)
{
	ts_cache_destroy(name);
	ASSERT_EQ(0, ts_cache_create(name, args));
	self->caches[self->nr_caches++] = name;
}

/*
 * Run @cmd on @cache and check it gave exactly one report "what at " and
 * one more error on @cache, and nothing else in the log.
 */
static void provoke(struct __test_metadata *_metadata,
		    struct _test_data_detect *self, const char *cache,
		    const char *cmd, const char *what)
{
	long errors = ts_stat(cache, "errors");
	char prefix[128];
	int all, these;

	snprintf(prefix, sizeof(prefix), "toyslab: %s: %s at ", cache, what);
	ASSERT_EQ(0, kmsg_read(&self->log));
	all = kmsg_toyslab_reports(&self->log);
	these = kmsg_count(&self->log, prefix, false);

	ASSERT_EQ(0, ts_ctl(cache, "%s", cmd));
	self->expected++;

	ASSERT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(these + 1, kmsg_count(&self->log, prefix, false)) {
		kmsg_dump(&self->log, stderr);
	}
	/* And no other report, of any cache. */
	EXPECT_EQ(all + 1, kmsg_toyslab_reports(&self->log));
	EXPECT_EQ(errors + 1, ts_stat(cache, "errors"));
}

FIXTURE_SETUP(detect)
{
	self->log.fd = -1;
	ASSERT_EQ(0, ts_pin(0));
	self->pages = ts_pages();
	ASSERT_LE(0, self->pages);
	add_cache(_metadata, self, CACHE, DEBUG3);
	ASSERT_EQ(0, kmsg_mark(&self->log)) {
		TH_LOG("cannot read /dev/kmsg");
	}
}

FIXTURE_TEARDOWN(detect)
{
	int i, seen = 0;

	ts_pin(0);
	for (i = self->nr_caches - 1; i >= 0; i--) {
		EXPECT_EQ(0, ts_cache_destroy(self->caches[i]));
	}
	/* Quarantined objects went back to their slabs at destroy. */
	EXPECT_EQ(self->pages, ts_pages());

	EXPECT_EQ(0, kmsg_read(&self->log));
	for (i = 0; i < self->nr_caches; i++)
		seen += reports(&self->log, self->caches[i]);
	/* Nothing more at destroy: no slab of ours was left corrupted. */
	EXPECT_EQ(self->expected, seen);
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	EXPECT_EQ(0, self->log.lost);
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
	kmsg_close(&self->log);
}

TEST_F(detect, double_free_is_reported_once_with_the_last_user)
{
	char line[512];

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 2"));
	/* The newest held object is freed twice: both red zones say free. */
	provoke(_metadata, self, CACHE, "double-free", "double free");
	EXPECT_EQ(1, ts_held(CACHE));

	/* STORE_USER recorded the first free, so the report names it. */
	last_line(&self->log, "toyslab: " CACHE ": double free at ", line,
		  sizeof(line));
	EXPECT_NE(NULL, strstr(line, ", last user "));
	EXPECT_EQ(NULL, strstr(line, "last user unknown"));

	/*
	 * The second free was dropped, so the object is in the array once:
	 * after freeing and shrinking, every slab is empty and goes.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(0, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
}

TEST_F(detect, write_past_the_object_is_reported_once_and_quarantined)
{
	char line[512];

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	provoke(_metadata, self, CACHE, "scribble-redzone",
		"write past the object");
	EXPECT_EQ(0, ts_held(CACHE));

	/*
	 * Red zone 2 starts at size - 8 (red zone) - 8 (user word) = 72 of
	 * the 88-byte buffer, and the object at 8: offset 64 = 0x40.
	 */
	last_line(&self->log, "toyslab: " CACHE ": write past the object at ",
		  line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "+0x40, last user "));

	/*
	 * The object never went back: after freeing and shrinking, its slab
	 * stays with that one object active until the cache is destroyed.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(1, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(1, ts_stat(CACHE, "num_slabs"));
}

TEST_F(detect, any_number_of_quarantined_objects_go_back_at_destroy)
{
	int i;

	/*
	 * 40 objects, each freed with a scribbled red zone: 40 reports, 40
	 * objects kept out.  A 64-byte debug object takes 88 bytes, 46 to a
	 * page: free-all and shrink leave the one slab they are all in.
	 * The teardown destroys the cache and finds every page back.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 40"));
	for (i = 0; i < 40; i++)
		provoke(_metadata, self, CACHE, "scribble-redzone",
			"write past the object");
	EXPECT_EQ(40, ts_stat(CACHE, "quarantined"));
	EXPECT_EQ(0, ts_held(CACHE));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(40, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(1, ts_stat(CACHE, "num_slabs"));
}

TEST_F(detect, write_to_a_free_object_is_reported_once_at_its_next_alloc)
{
	char before[64], after[64], line[512];

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	held_object(CACHE, 0, before, sizeof(before));
	ASSERT_NE(0, before[0]);
	/*
	 * Freed, its first byte flipped, and allocated again: LIFO hands the
	 * same object back, the poison check catches byte 0 and quarantines
	 * it, and the alloc takes the next object of the array instead.
	 */
	provoke(_metadata, self, CACHE, "scribble-free",
		"write to a free object");
	EXPECT_EQ(1, ts_held(CACHE));
	held_object(CACHE, 0, after, sizeof(after));
	EXPECT_NE(0, strcmp(before, after));
	last_line(&self->log, "toyslab: " CACHE ": write to a free object at ",
		  line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "+0x0, last user "));

	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	/* Only the quarantined object keeps its slab. */
	EXPECT_EQ(1, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(1, ts_stat(CACHE, "num_slabs"));
}

TEST_F(detect, free_of_a_foreign_pointer_is_reported_once)
{
	/* A kmalloc()ed buffer: no slab of toyslab is registered there. */
	provoke(_metadata, self, CACHE, "free-foreign",
		"free of a pointer toyslab never handed out");
	EXPECT_EQ(0, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
}

TEST_F(detect, free_of_a_pointer_inside_an_object_is_reported_once)
{
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	/* object + 1: the right slab, but not an object's start. */
	provoke(_metadata, self, CACHE, "free-misaligned",
		"free of a pointer inside an object");
	/* The object itself was left alone: still held, and frees cleanly. */
	EXPECT_EQ(1, ts_held(CACHE));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(0, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
}

TEST_F(detect, free_into_the_wrong_cache_is_reported_once_by_that_cache)
{
	add_cache(_metadata, self, OTHER, DEBUG3);
	ASSERT_EQ(0, ts_ctl(OTHER, "alloc 1"));
	/* OTHER's newest object, freed into CACHE: CACHE reports it. */
	provoke(_metadata, self, CACHE, "free-wrong-cache " OTHER,
		"free of another cache's object");
	EXPECT_EQ(0, ts_stat(OTHER, "errors"));
	/* OTHER still holds its object, intact: its free is clean. */
	EXPECT_EQ(1, ts_held(OTHER));
	ASSERT_EQ(0, ts_ctl(OTHER, "free-all"));
	ASSERT_EQ(0, ts_ctl(OTHER, "shrink"));
	EXPECT_EQ(0, ts_stat(OTHER, "active_objs"));
	EXPECT_EQ(0, ts_stat(CACHE, "active_objs"));
}

TEST_F(detect, poison_only_cache_catches_a_double_free_on_top_of_the_array)
{
	char line[512];

	add_cache(_metadata, self, "poi64", "64 flags=poison");
	ASSERT_EQ(0, ts_ctl("poi64", "alloc 1"));
	/*
	 * No red zone says "free": the first free pushes the object on top
	 * of this CPU's array, and the hardened check finds it there again.
	 */
	provoke(_metadata, self, "poi64", "double-free", "double free");
	/* As in SLAB, both frees count as hits before the check. */
	EXPECT_EQ(2, ts_stat("poi64", "freehit"));
	/* That check has no buffer to read a last user from. */
	last_line(&self->log, "toyslab: poi64: double free at ", line,
		  sizeof(line));
	EXPECT_NE(NULL, strstr(line, "last user unknown"));
	ASSERT_EQ(0, ts_ctl("poi64", "shrink"));
	EXPECT_EQ(0, ts_stat("poi64", "active_objs"));
	EXPECT_EQ(0, ts_stat("poi64", "num_slabs"));
}

TEST_F(detect, every_detector_fires_once_per_provocation_three_rounds)
{
	static const struct {
		const char *cmd, *what;
	} steps[] = {
		{ "double-free", "double free" },
		{ "scribble-redzone", "write past the object" },
		{ "scribble-free", "write to a free object" },
		{ "free-foreign", "free of a pointer toyslab never handed out" },
		{ "free-misaligned", "free of a pointer inside an object" },
		{ "free-wrong-cache " OTHER, "free of another cache's object" },
	};
	unsigned int round, i;

	add_cache(_metadata, self, OTHER, DEBUG3);
	ASSERT_EQ(0, ts_ctl(OTHER, "alloc 1"));
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, ts_ctl(CACHE, "alloc 4"));
		for (i = 0; i < ARRAY_SIZE(steps); i++) {
			provoke(_metadata, self, CACHE, steps[i].cmd,
				steps[i].what);
		}
	}
	/* Six errors a round, all on CACHE. */
	EXPECT_EQ(18, ts_stat(CACHE, "errors"));
	EXPECT_EQ(0, ts_stat(OTHER, "errors"));
	/*
	 * Each round quarantines two objects (scribble-redzone, and the
	 * scribbled free one) and double-free and scribble-redzone pop one
	 * held object each: 4 - 2 = 2 held per round.
	 */
	EXPECT_EQ(6, ts_held(CACHE));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(6, ts_stat(CACHE, "active_objs"));
}

TEST_F(detect, provocations_are_refused_without_the_flag_they_need)
{
	static const char * const plain_cmds[] = {
		"double-free", "scribble-redzone", "scribble-free",
		"free-foreign", "free-misaligned", "free-wrong-cache " CACHE,
	};
	int i;

	/* No debug flag: a foreign free would corrupt the cache for real. */
	add_cache(_metadata, self, "plain64", "64");
	/* Red zone dropped by the 64-byte alignment: no debug flag left. */
	add_cache(_metadata, self, "hwrz64", "64 flags=hwcache_align,red_zone");
	add_cache(_metadata, self, "poi64", "64 flags=poison");
	add_cache(_metadata, self, "rz64", "64 flags=red_zone");
	for (i = 0; i < self->nr_caches; i++) {
		ASSERT_EQ(0, ts_ctl(self->caches[i], "alloc 1"));
	}

	for (i = 0; i < (int)ARRAY_SIZE(plain_cmds); i++) {
		EXPECT_EQ(-EINVAL, ts_ctl("plain64", "%s", plain_cmds[i]));
		EXPECT_EQ(-EINVAL, ts_ctl("hwrz64", "%s", plain_cmds[i]));
	}
	/* Each provocation needs the flag whose detector it feeds. */
	EXPECT_EQ(-EINVAL, ts_ctl("poi64", "scribble-redzone"));
	EXPECT_EQ(-EINVAL, ts_ctl("rz64", "scribble-free"));
	/* The wrong cache must be a debug cache too, and not itself. */
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "free-wrong-cache plain64"));
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "free-wrong-cache " CACHE));
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "free-wrong-cache nosuchcache"));
	/* Provocations that need a held object, on an empty stack. */
	ASSERT_EQ(0, ts_ctl("poi64", "free-all"));
	EXPECT_EQ(-EINVAL, ts_ctl("poi64", "double-free"));
	EXPECT_EQ(-EINVAL, ts_ctl("poi64", "scribble-free"));
	EXPECT_EQ(-EINVAL, ts_ctl("poi64", "free-misaligned"));
	/* And no extra words. */
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "double-free now"));
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "free-wrong-cache " OTHER " " OTHER));

	for (i = 0; i < self->nr_caches; i++) {
		EXPECT_EQ(0, ts_stat(self->caches[i], "errors")) {
			TH_LOG("%s", self->caches[i]);
		}
	}
	/* Nothing was freed by a refused provocation. */
	EXPECT_EQ(1, ts_held(CACHE));
	EXPECT_EQ(1, ts_held("plain64"));
	EXPECT_EQ(1, ts_held("hwrz64"));
	EXPECT_EQ(1, ts_held("rz64"));
}

/*
 * The kernel's kfree() of a toyslab object (code outside a file built
 * with toyslab_dropin.h): the slab's page keeps toyslab's own reference,
 * so nothing is freed under the slab; destroy names the cause while the
 * object is still out; once it is back, the slab's page goes with one
 * report and every page is given back.  An 8 KiB cache: one object per
 * slab of order 1 (an order-0 page would make the kernel WARN).
 * kmemleak and KASAN would see the kernel free an object toyslab frees
 * again later, and report it: the test skips on a kernel with either.
 */
#define KK_HELD	"toyslab: kk8k: not destroyed: debugfs ctl holds 1 objects"
#define KK_LOST	"toyslab: kk8k: 1 of its slabs lost a page reference"
#define KK_PUT	"toyslab: kk8k: a slab's page has 1 references, not 2"

TEST(kfree_by_the_kernel_is_reported_at_destroy_and_the_page_comes_back)
{
	struct kmsg log = { .fd = -1 };
	long pages = ts_pages();

	if (ts_kasan() || !access(DEBUGFS_DIR "/kmemleak", F_OK))
		SKIP(return, "KASAN or kmemleak report the kernel's kfree of a toyslab object");
	ASSERT_LE(0, pages);
	ASSERT_EQ(0, ts_pin(0));
	ts_cache_destroy("kk8k");
	ASSERT_EQ(0, ts_cache_create("kk8k", "8192"));
	ASSERT_EQ(1, ts_keyed("kk8k", "layout", "gfporder"));
	ASSERT_EQ(0, ts_ctl("kk8k", "alloc 1"));
	ASSERT_EQ(0, kmsg_mark(&log));

	ASSERT_EQ(0, ts_ctl("kk8k", "kfree-by-kernel"));
	/* 'ctl' still holds it: toyslab never saw it come back. */
	EXPECT_EQ(-EBUSY, ts_control("destroy kk8k"));
	ASSERT_EQ(0, kmsg_read(&log));
	EXPECT_EQ(1, kmsg_count(&log, KK_HELD, false));
	EXPECT_EQ(1, kmsg_count(&log, KK_LOST, false));

	/* Given back, the object empties its slab, whose page has one reference. */
	EXPECT_EQ(0, ts_ctl("kk8k", "free-all"));
	EXPECT_EQ(0, ts_control("destroy kk8k"));
	ASSERT_EQ(0, kmsg_read(&log));
	EXPECT_EQ(1, kmsg_count(&log, KK_PUT, false));
	EXPECT_EQ(3, kmsg_toyslab_reports(&log));
	EXPECT_EQ(0, kmsg_trouble(&log));
	EXPECT_EQ(pages, ts_pages());
	if (!ts_passed(_metadata))
		kmsg_dump(&log, stderr);
	kmsg_close(&log);
}

/* The layout debug flags give a 64-byte (and other) cache. */
FIXTURE(debug_layout) {
	const char *name;
};

FIXTURE_VARIANT(debug_layout) {
	const char *args;
	long size, align, num, gfporder, colour;
	const char *freelist, *flags;
	long limit, batchcount, shared;	/* shared: in batches */
};

/*
 * How each variant is derived (layout.c, debug.c, cache.c):
 * - size: the object rounded to a word; red zones add 8 before and 8
 *   after it; the last user adds one more word (REDZONE_ALIGN, 8 on
 *   x86_64); then rounded to the alignment.
 * - align: 8, the alignment of a red zone word, unless asked for more;
 *   above 8 SLAB drops RED_ZONE and STORE_USER (they would misalign).
 * - num, order, colour, freelist: as in layout_test.c, for that size.
 * - tunables: limit 120 up to 256 bytes, 8 above a page; a debug cache
 *   is capped at 32 (debug checks run with interrupts off); batchcount
 *   (limit + 1) / 2; shared 8 batches up to a page, 0 above.
 */
FIXTURE_VARIANT_ADD(debug_layout, all_three_on_64) {
	/* 8 + 64 + 8 + 8 = 88; 4096 / 88 = 46, 48 left: no colour */
	.args = "64 flags=poison,red_zone,store_user",
	.size = 88, .align = 8, .num = 46, .gfporder = 0, .colour = 0,
	.freelist = "objfreelist", .flags = "poison,red_zone,store_user",
	.limit = 32, .batchcount = 16, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, poison_on_64) {
	/* Poison costs no room: 64 per page, 64 indexes fit one object. */
	.args = "64 flags=poison",
	.size = 64, .align = 8, .num = 64, .gfporder = 0, .colour = 0,
	.freelist = "objfreelist", .flags = "poison",
	.limit = 32, .batchcount = 16, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, red_zone_on_64) {
	/* 8 + 64 + 8 = 80; 4096 / 80 = 51, 16 left */
	.args = "64 flags=red_zone",
	.size = 80, .align = 8, .num = 51, .gfporder = 0, .colour = 0,
	.freelist = "objfreelist", .flags = "red_zone",
	.limit = 32, .batchcount = 16, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, store_user_on_64) {
	/* 64 + 8 = 72; 4096 / 72 = 56, 64 left: one colour step */
	.args = "64 flags=store_user",
	.size = 72, .align = 8, .num = 56, .gfporder = 0, .colour = 1,
	.freelist = "objfreelist", .flags = "store_user",
	.limit = 32, .batchcount = 16, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, hwcache_align_drops_the_red_zone) {
	/* ralign 64 > 8: no red zone, so no debug flag and no cap */
	.args = "64 flags=hwcache_align,red_zone",
	.size = 64, .align = 64, .num = 64, .gfporder = 0, .colour = 0,
	.freelist = "objfreelist", .flags = "hwcache_align",
	.limit = 120, .batchcount = 60, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, hwcache_align_keeps_only_poison) {
	/* Red zone and last user dropped, poison kept: still capped. */
	.args = "64 flags=hwcache_align,poison,red_zone,store_user",
	.size = 64, .align = 64, .num = 64, .gfporder = 0, .colour = 0,
	.freelist = "objfreelist", .flags = "hwcache_align,poison",
	.limit = 32, .batchcount = 16, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, align_16_drops_the_red_zone) {
	/* 100 -> 104 -> 112 at align 16; 4096 / 112 = 36, 64 left */
	.args = "100 align=16 flags=red_zone",
	.size = 112, .align = 16, .num = 36, .gfporder = 0, .colour = 1,
	.freelist = "objfreelist", .flags = "none",
	.limit = 120, .batchcount = 60, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, red_zone_and_user_on_16_go_on_slab) {
	/*
	 * 8 + 16 + 8 + 8 = 40: 102 per page is more indexes than a 16-byte
	 * object holds, an off-slab freelist never pays (128 > 8), so
	 * on-slab: 4096 / 41 = 99, 37 left.
	 */
	.args = "16 flags=red_zone,store_user",
	.size = 40, .align = 8, .num = 99, .gfporder = 0, .colour = 0,
	.freelist = "on-slab", .flags = "red_zone,store_user",
	.limit = 32, .batchcount = 16, .shared = 8,
};

FIXTURE_VARIANT_ADD(debug_layout, all_three_on_4096_take_order_1) {
	/*
	 * 4096 + 24 = 4120 fits no page; order 1 holds one (slab_max_order)
	 * with 4072 left: 63 colour steps.  Above a page: limit 8, no
	 * shared array, under the debug cap.
	 */
	.args = "4096 flags=poison,red_zone,store_user",
	.size = 4120, .align = 8, .num = 1, .gfporder = 1, .colour = 63,
	.freelist = "objfreelist", .flags = "poison,red_zone,store_user",
	.limit = 8, .batchcount = 4, .shared = 0,
};

FIXTURE_SETUP(debug_layout)
{
	self->name = "dbglayout";
	ts_cache_destroy(self->name);
	ASSERT_EQ(0, ts_cache_create(self->name, variant->args));
}

FIXTURE_TEARDOWN(debug_layout)
{
	EXPECT_EQ(0, ts_cache_destroy(self->name));
}

TEST_F(debug_layout, buffer_size_order_and_tunables_are_slabs)
{
	char freelist[32], flags[128];
	struct node_row n;
	struct cpu_row c;
	long shared = possible_cpus_above_one() ? variant->shared : 0;

	EXPECT_EQ(variant->size, ts_keyed(self->name, "layout", "size"));
	EXPECT_EQ(variant->align, ts_keyed(self->name, "layout", "align"));
	EXPECT_EQ(variant->num, ts_keyed(self->name, "layout", "num"));
	EXPECT_EQ(variant->gfporder,
		  ts_keyed(self->name, "layout", "gfporder"));
	EXPECT_EQ(variant->colour, ts_keyed(self->name, "layout", "colour"));
	ASSERT_EQ(0, ts_layout_str(self->name, "freelist", freelist,
				   sizeof(freelist)));
	EXPECT_STREQ(variant->freelist, freelist);
	ASSERT_EQ(0, ts_layout_str(self->name, "flags", flags, sizeof(flags)));
	EXPECT_STREQ(variant->flags, flags);

	ASSERT_EQ(0, ts_cpu(self->name, 0, &c));
	EXPECT_EQ(variant->limit, c.limit);
	EXPECT_EQ(variant->batchcount, c.batchcount);
	ASSERT_EQ(0, ts_node(self->name, 0, &n));
	EXPECT_EQ(shared * variant->batchcount, n.shared_limit);
}

TS_HARNESS_MAIN
