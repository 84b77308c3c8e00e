// SPDX-License-Identifier: GPL-2.0
/*
 * Slab layout: how big a slab is, how many objects it holds, where its
 * freelist lives and how much room is left for colouring.
 *
 * This is __kmem_cache_create() of mm/slab.c with what it calls: the same
 * decisions in the same order, so that objperslab and pagesperslab equal
 * SLAB's for every size, alignment and flag.
 */
#include <linux/slab.h>

#include "internal.h"

/* Objects and left-over bytes for one slab of 2^gfporder pages. */
static unsigned int cache_estimate(unsigned long gfporder, size_t buffer_size,
				   enum toyslab_freelist type, size_t *left_over)
{
	size_t slab_size = PAGE_SIZE << gfporder;
	size_t per_obj = buffer_size;

	/* On-slab, every object also costs one freelist index at the end. */
	if (type == FREELIST_ON_SLAB)
		per_obj += sizeof(u8);

	*left_over = slab_size % per_obj;
	return slab_size / per_obj;
}

/*
 * Is an off-slab freelist of @num indexes worth it?  Only from a kmalloc
 * class that exists (toyslab's come up one by one at load, in SLAB's boot
 * order), is not off-slab itself (growing it could then loop), and is no
 * bigger than half an object.  SLAB compares against cachep->size before
 * the final alignment, i.e. the requested object size.
 */
static bool off_slab_freelist_pays(struct toyslab_cache *cachep,
				   unsigned int num)
{
	struct toyslab_cache *freelist_cache;

	freelist_cache = toyslab_kmalloc_slab(num * sizeof(u8), 0);
	return freelist_cache &&
	       freelist_cache->freelist_type != FREELIST_OFF_SLAB &&
	       freelist_cache->size <= cachep->object_size / 2;
}

/*
 * Find the smallest acceptable order: enough objects, little waste, not
 * above slab_max_order unless nothing fits.  Returns the left-over bytes.
 */
static size_t calculate_slab_order(struct toyslab_cache *cachep, size_t size,
				   enum toyslab_freelist type,
				   slab_flags_t flags)
{
	size_t left_over = 0;
	unsigned int gfporder;

	for (gfporder = 0; gfporder <= TOYSLAB_MAX_ORDER; gfporder++) {
		unsigned int num;
		size_t remainder;

		num = cache_estimate(gfporder, size, type, &remainder);
		if (!num)
			continue;

		/* A byte-sized freelist index cannot count further. */
		if (num > SLAB_OBJ_MAX_NUM)
			break;

		if (type == FREELIST_OFF_SLAB &&
		    !off_slab_freelist_pays(cachep, num))
			continue;

		cachep->num = num;
		cachep->gfporder = gfporder;
		left_over = remainder;

		/* Reclaimable caches are often allocated with GFP_NOFS. */
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;

		if (gfporder >= toyslab_slab_max_order)
			break;

		/* Is the internal fragmentation acceptable? */
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

static bool set_objfreelist_slab_cache(struct toyslab_cache *cachep,
				       size_t size, slab_flags_t flags)
{
	size_t left;

	cachep->num = 0;

	/* Zeroing objects on free would wipe a freelist kept in one. */
	if (slab_want_init_on_free(cachep))
		return false;

	/* A constructed or RCU-visible object cannot hold the freelist. */
	if (cachep->ctor || flags & SLAB_TYPESAFE_BY_RCU)
		return false;

	left = calculate_slab_order(cachep, size, FREELIST_OBJ, flags);
	if (!cachep->num)
		return false;

	if (cachep->num * sizeof(u8) > cachep->object_size)
		return false;

	cachep->colour = left / cachep->colour_off;
	return true;
}

static bool set_off_slab_cache(struct toyslab_cache *cachep,
			       size_t size, slab_flags_t flags)
{
	size_t left;

	cachep->num = 0;

	/* SLAB keeps these on-slab to avoid recursing into kmemleak. */
	if (flags & SLAB_NOLEAKTRACE)
		return false;

	left = calculate_slab_order(cachep, size, FREELIST_OFF_SLAB, flags);
	if (!cachep->num)
		return false;

	/* If the freelist fits in the left-over, keep it on the slab. */
	if (left >= cachep->num * sizeof(u8))
		return false;

	cachep->colour = left / cachep->colour_off;
	cachep->freelist_cache = toyslab_kmalloc_slab(cachep->num * sizeof(u8),
						      0);
	return true;
}

static bool set_on_slab_cache(struct toyslab_cache *cachep,
			      size_t size, slab_flags_t flags)
{
	size_t left;

	cachep->num = 0;

	left = calculate_slab_order(cachep, size, FREELIST_ON_SLAB, flags);
	if (!cachep->num)
		return false;

	cachep->colour = left / cachep->colour_off;
	return true;
}

/* kmem_cache_create()'s alignment rule, from mm/slab_common.c. */
static unsigned int calculate_alignment(slab_flags_t flags,
					unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}

	align = max_t(unsigned int, align, __alignof__(unsigned long long));
	return ALIGN(align, sizeof(void *));
}

/**
 * toyslab_compute_layout - size, alignment, order and freelist placement
 * @cachep: cache with object_size, align and ctor filled in
 * @flags: SLAB_* flags the cache was created with
 *
 * Return: 0, or -E2BIG when no slab order can hold even one object.
 */
int toyslab_compute_layout(struct toyslab_cache *cachep, slab_flags_t flags)
{
	unsigned int size = cachep->object_size;
	unsigned int ralign;

	cachep->align = calculate_alignment(flags, cachep->align, size);

	/* Word-sized objects keep on-slab freelists aligned. */
	size = ALIGN(size, BYTES_PER_WORD);
	ralign = toyslab_debug_align(flags, &size);

	if (ralign < cachep->align)
		ralign = cachep->align;
	/* Red zones are words: a larger alignment would misplace them. */
	if (ralign > __alignof__(unsigned long long))
		flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	cachep->align = ralign;
	/* Read by the choice of freelist placement below. */
	cachep->flags = flags;
	cachep->colour_off = cache_line_size();
	/* A colour step must keep objects aligned. */
	if (cachep->colour_off < cachep->align)
		cachep->colour_off = cachep->align;

	toyslab_debug_layout(cachep, &size, &flags);
	cachep->flags = flags;

	size = ALIGN(size, cachep->align);
	/* Keep num within a byte-sized freelist index. */
	if (size < TOYSLAB_OBJ_MIN_SIZE)
		size = ALIGN(TOYSLAB_OBJ_MIN_SIZE, cachep->align);

	if (set_objfreelist_slab_cache(cachep, size, flags))
		cachep->freelist_type = FREELIST_OBJ;
	else if (set_off_slab_cache(cachep, size, flags))
		cachep->freelist_type = FREELIST_OFF_SLAB;
	else if (set_on_slab_cache(cachep, size, flags))
		cachep->freelist_type = FREELIST_ON_SLAB;
	else
		return -E2BIG;

	cachep->freelist_size = cachep->num * sizeof(u8);
	cachep->flags = flags;
	cachep->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		cachep->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		cachep->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		cachep->allocflags |= __GFP_RECLAIMABLE;
	cachep->size = size;
	cachep->reciprocal_buffer_size = reciprocal_value(size);
	return 0;
}

const char *toyslab_freelist_name(const struct toyslab_cache *cachep)
{
	static const char * const names[] = {
		[FREELIST_OBJ] = "objfreelist",
		[FREELIST_ON_SLAB] = "on-slab",
		[FREELIST_OFF_SLAB] = "off-slab",
	};

	return names[cachep->freelist_type];
}
