// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for what userspace cannot see of toyslab: the freelist
 * index arithmetic, the layout fields, colouring, the object-to-slab
 * lookup, and KASAN catching a use-after-free of a toyslab object.
 * Everything else (counters, paths) the selftests and compare/ check from
 * debugfs.
 *
 * Built against a kernel with CONFIG_KUNIT=y (build/kernel/debug):
 *   make -C build/kernel/debug M=$PWD/kunit KBUILD_EXTRA_SYMBOLS=$PWD/Module.symvers
 * and loaded after toyslab.ko; the results are in dmesg and in
 * /sys/kernel/debug/kunit/toyslab/results.
 *
 * Every expected layout is derived by hand from __kmem_cache_create() of
 * Linux 6.1 on x86_64 (64-byte cache lines, 4 KiB pages, slab_max_order 1
 * on a machine with more than 32 MiB), in the comment beside it.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <trace/events/error_report.h>

#include "../internal.h"

struct layout_case {
	const char *desc;
	unsigned int object_size;
	unsigned int align;
	slab_flags_t flags;
	bool ctor;
	/* expectations */
	unsigned int size;
	unsigned int num;
	unsigned int gfporder;
	enum toyslab_freelist freelist;
	size_t colour;
	unsigned int colour_off;
};

static void dummy_ctor(void *obj)
{
}

static const struct layout_case layout_cases[] = {
	/*
	 * 64 bytes, no flags: 64 per page, nothing left over; 64 one-byte
	 * indexes fit in one 64-byte object, so the freelist lives there.
	 */
	{ "64", 64, 0, 0, false, 64, 64, 0, FREELIST_OBJ, 0, 64 },
	/*
	 * 1 byte: rounded up to a word (8), then to SLAB_OBJ_MIN_SIZE (16).
	 * 256 per page would overflow a byte index, and neither objfreelist
	 * nor off-slab can avoid that; on-slab costs 17 bytes an object:
	 * 4096 / 17 = 240, 16 left over, less than one 64-byte colour.
	 */
	{ "1", 1, 0, 0, false, 16, 240, 0, FREELIST_ON_SLAB, 0, 64 },
	/*
	 * 20 bytes, align=32, hwcache_align: the cache-line alignment halves
	 * to 32 for a 20-byte object, so size 32.  128 per page: objfreelist
	 * needs 128 index bytes in a 20-byte object, off-slab a 128-byte
	 * kmalloc for a 20-byte object; so on-slab, 33 bytes an object:
	 * 124 per page, 4 left over, no colour.
	 */
	{ "20 align=32 hwcache", 20, 32, SLAB_HWCACHE_ALIGN, false,
	  32, 124, 0, FREELIST_ON_SLAB, 0, 64 },
	/*
	 * 128 bytes with a constructor: no objfreelist.  Off-slab: 32 per
	 * page, 0 left over; the 32-byte kmalloc freelist is at most half an
	 * object and does not fit the left-over, so it stays off-slab.
	 */
	{ "128 ctor", 128, 0, 0, true, 128, 32, 0, FREELIST_OFF_SLAB, 0, 64 },
	/*
	 * 192 bytes, hwcache_align: 21 per page, 64 left over (1/64 of the
	 * page, acceptable at order 0): one colour of 64 bytes.
	 */
	{ "192 hwcache", 192, 0, SLAB_HWCACHE_ALIGN, false,
	  192, 21, 0, FREELIST_OBJ, 1, 64 },
	/*
	 * 1500 bytes: 1504.  Order 0 holds 2 and wastes 1088 bytes, over an
	 * eighth of the page; order 1 (slab_max_order) holds 5 and leaves
	 * 672 bytes: 10 colours of 64.
	 */
	{ "1500", 1500, 0, 0, false, 1504, 5, 1, FREELIST_OBJ, 10, 64 },
	/*
	 * 4096, SLAB_RECLAIM_ACCOUNT: the first order that holds one object
	 * is taken at once.
	 */
	{ "4096 reclaim", 4096, 0, SLAB_RECLAIM_ACCOUNT, false,
	  4096, 1, 0, FREELIST_OBJ, 0, 64 },
	/*
	 * 5000 bytes: nothing at order 0; order 1 holds one and leaves
	 * 3192 bytes, 49 colours of 64.
	 */
	{ "5000", 5000, 0, 0, false, 5000, 1, 1, FREELIST_OBJ, 49, 64 },
	/*
	 * align=256: the colour step grows to the alignment.  256 bytes,
	 * 16 per page, nothing left over.
	 */
	{ "200 align=256", 200, 256, 0, false, 256, 16, 0, FREELIST_OBJ, 0, 256 },
};

static struct toyslab_cache *make_cache(struct kunit *test, const char *name,
					unsigned int size, unsigned int align,
					slab_flags_t flags, bool ctor)
{
	struct toyslab_cache *c;

	c = toyslab_cache_create(name, size, align, flags,
				 ctor ? dummy_ctor : NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	return c;
}

static void layout_matches_slab_in_every_case(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(layout_cases); i++) {
		const struct layout_case *lc = &layout_cases[i];
		struct toyslab_cache *c;

		c = make_cache(test, "kunit_layout", lc->object_size, lc->align,
			       lc->flags, lc->ctor);
		KUNIT_EXPECT_EQ_MSG(test, c->size, lc->size, "%s", lc->desc);
		KUNIT_EXPECT_EQ_MSG(test, c->num, lc->num, "%s", lc->desc);
		KUNIT_EXPECT_EQ_MSG(test, c->gfporder, lc->gfporder, "%s",
				    lc->desc);
		KUNIT_EXPECT_EQ_MSG(test, c->freelist_type, lc->freelist, "%s",
				    lc->desc);
		KUNIT_EXPECT_EQ_MSG(test, c->colour, lc->colour, "%s", lc->desc);
		KUNIT_EXPECT_EQ_MSG(test, c->colour_off, lc->colour_off, "%s",
				    lc->desc);
		KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
	}
}

/*
 * For every object of a real slab: index_to_obj() and obj_to_index()
 * invert each other, and a pointer to an object's last byte still gives
 * its index (the reciprocal division rounds down).
 */
static void obj_index_round_trips_for_every_object(struct kunit *test)
{
	static const unsigned int sizes[] = { 16, 24, 96, 192, 1500, 5000 };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct toyslab_cache *c;
		struct toyslab_slab *slab;
		unsigned int idx;
		void *obj;

		c = make_cache(test, "kunit_index", sizes[i], 0, 0, false);
		obj = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		slab = virt_to_slab(obj);

		for (idx = 0; idx < c->num; idx++) {
			void *p = index_to_obj(c, slab, idx);

			KUNIT_EXPECT_EQ_MSG(test, obj_to_index(c, slab, p), idx,
					    "size %u", sizes[i]);
			KUNIT_EXPECT_EQ_MSG(test,
					    obj_to_index(c, slab, p + c->size - 1),
					    idx, "size %u", sizes[i]);
		}
		toyslab_cache_free(c, obj);
		KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
	}
}

/*
 * Every object handed out maps back to a slab of its own cache, lies on
 * an object boundary inside that slab, and objects of one slab share it.
 */
static void objects_map_back_to_their_slab(struct kunit *test)
{
	/* Two slabs and a bit of 21 objects each (192 hwcache, see above). */
	enum { NR = 50 };
	struct toyslab_cache *c;
	void **objs;
	int i;

	objs = kunit_kcalloc(test, NR, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	c = make_cache(test, "kunit_lookup", 192, 0, SLAB_HWCACHE_ALIGN, false);

	for (i = 0; i < NR; i++) {
		struct toyslab_slab *slab;
		unsigned int idx;

		objs[i] = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		slab = virt_to_slab(objs[i]);
		KUNIT_ASSERT_NOT_NULL(test, slab);
		KUNIT_EXPECT_PTR_EQ(test, slab->cache, c);
		KUNIT_EXPECT_PTR_EQ(test, slab->page, virt_to_head_page(objs[i]));
		idx = obj_to_index(c, slab, objs[i]);
		KUNIT_EXPECT_LT(test, idx, c->num);
		KUNIT_EXPECT_PTR_EQ(test, index_to_obj(c, slab, idx), objs[i]);
	}
	for (i = 0; i < NR; i++)
		toyslab_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * Each new slab on a node starts one colour further in: colour_next is
 * bumped before use, so the first slab gets colour 1, then 2, ..., wrapping
 * to 0 after colour - 1.  1500-byte objects have 10 colours of 64 bytes,
 * and every refill of 12 (limit 24) takes all 5 objects of a new slab, so
 * the slabs appear in the order they were grown.
 */
static void slab_colour_cycles_through_every_offset(struct kunit *test)
{
	enum { SLABS = 12, NR = SLABS * 5 };
	struct toyslab_slab *seen[SLABS];
	struct toyslab_cache *c;
	void **objs;
	int i, nseen = 0;

	objs = kunit_kcalloc(test, NR, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	c = make_cache(test, "kunit_colour", 1500, 0, 0, false);
	KUNIT_ASSERT_EQ(test, c->colour, 10);

	for (i = 0; i < NR; i++) {
		struct toyslab_slab *slab;
		int j;

		objs[i] = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		slab = virt_to_slab(objs[i]);
		for (j = 0; j < nseen && seen[j] != slab; j++)
			;
		if (j == nseen && nseen < SLABS)
			seen[nseen++] = slab;
	}

	KUNIT_EXPECT_EQ(test, nseen, SLABS);
	for (i = 0; i < nseen; i++) {
		size_t want = ((i + 1) % c->colour) * c->colour_off;

		KUNIT_EXPECT_EQ_MSG(test,
				    (size_t)(seen[i]->s_mem -
					     page_address(seen[i]->page)),
				    want, "slab %d", i);
	}

	for (i = 0; i < NR; i++)
		toyslab_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/* The first error report seen while a test listened, and how many. */
struct report_seen {
	int reports;
	enum error_detector detector;
	unsigned long addr;
};

static void probe_error_report_end(void *data, enum error_detector detector,
				   unsigned long id)
{
	struct report_seen *seen = data;

	if (!seen->reports++) {
		seen->detector = detector;
		seen->addr = id;
	}
}

/*
 * toyslab poisons a freed object for KASAN, so reading it is a
 * use-after-free that KASAN reports at the object's own address; the last
 * byte of a 100-byte object, in a partial 8-byte granule, is readable
 * while allocated.  KASAN reports only once a boot, taints the kernel
 * and turns lockdep off: this case runs last, and kunit.sh expects its
 * one report on the console.
 */
static void use_after_free_is_caught_by_kasan(struct kunit *test)
{
	struct report_seen seen = {};
	struct toyslab_cache *c;
	char *obj;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs CONFIG_KASAN_GENERIC");
	c = make_cache(test, "kunit_uaf", 100, 0, 0, false);
	obj = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_EQ(test, register_trace_error_report_end(probe_error_report_end,
							      &seen), 0);

	WRITE_ONCE(obj[99], 1);
	KUNIT_EXPECT_EQ(test, seen.reports, 0);
	toyslab_cache_free(c, obj);
	(void)READ_ONCE(obj[0]);

	unregister_trace_error_report_end(probe_error_report_end, &seen);
	tracepoint_synchronize_unregister();
	KUNIT_EXPECT_EQ(test, seen.reports, 1);
	KUNIT_EXPECT_EQ(test, seen.detector, ERROR_DETECTOR_KASAN);
	KUNIT_EXPECT_EQ(test, seen.addr, (unsigned long)obj);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

static struct kunit_case toyslab_test_cases[] = {
	KUNIT_CASE(layout_matches_slab_in_every_case),
	KUNIT_CASE(obj_index_round_trips_for_every_object),
	KUNIT_CASE(objects_map_back_to_their_slab),
	KUNIT_CASE(slab_colour_cycles_through_every_offset),
	/* Last: see above. */
	KUNIT_CASE(use_after_free_is_caught_by_kasan),
	{}
};

static struct kunit_suite toyslab_test_suite = {
	.name = "toyslab",
	.test_cases = toyslab_test_cases,
};

kunit_test_suite(toyslab_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of toyslab's layout and index arithmetic");
