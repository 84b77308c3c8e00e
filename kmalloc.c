// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc() on toyslab: the size classes of 6.1's SLAB on x86_64, made at
 * load the way create_kmalloc_caches() makes them at boot, and the
 * kmalloc family on top of them.
 *
 * A request of up to 8 KiB goes to the smallest class that holds it, of
 * the type its gfp flags ask for; a larger one goes whole to the page
 * allocator, as 6.1's kmalloc_large() does, up to 4 MiB.  The classes are
 * caches like any other: in slabinfo, under caches/, with their ctl.
 *
 * 6.1's kfree() believes the page it is handed: its struct slab names
 * the cache.  toyslab_kfree() asks slabmap.c first whether the page is
 * toyslab's, then finds the object's index, then its in-use bit, and
 * refuses with one report whatever is not the start of a live object or
 * large allocation of its own: memory that is not toyslab's, a pointer
 * inside an object or between objects, an object already free.
 */
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/string.h>

#include "internal.h"

/*
 * include/linux/slab.h of 6.1 for CONFIG_SLAB: classes from 2^5 = 32
 * bytes (KMALLOC_SHIFT_LOW) to an order-1 page (KMALLOC_SHIFT_HIGH),
 * with 96 and 192 between; page allocations up to the largest order,
 * MAX_ORDER - 1 = 10: 4 MiB (KMALLOC_MAX_SIZE).
 */
#define KMALLOC_SHIFT_LOW_SLAB	5
#define KMALLOC_SHIFT_HIGH_SLAB	(PAGE_SHIFT + 1)
#define KMALLOC_MAX_CACHE_SIZE_SLAB	BIT(KMALLOC_SHIFT_HIGH_SLAB)
#define KMALLOC_MAX_SIZE_SLAB	TOYSLAB_MAX_SIZE

/*
 * The class types of 6.1, those this kernel has: -cg- for __GFP_ACCOUNT
 * with kernel memory accounting, dma- with ZONE_DMA.  A type the kernel
 * lacks is an alias of the normal one, as in <linux/slab.h>.
 */
enum kmalloc_type {
	KMALLOC_TYPE_NORMAL,
#if COMPAT_KMALLOC_CGROUP
	KMALLOC_TYPE_CGROUP,
#else
	KMALLOC_TYPE_CGROUP = KMALLOC_TYPE_NORMAL,
#endif
	KMALLOC_TYPE_RECLAIM,
#ifdef CONFIG_ZONE_DMA
	KMALLOC_TYPE_DMA,
#else
	KMALLOC_TYPE_DMA = KMALLOC_TYPE_NORMAL,
#endif
	KMALLOC_NR_TYPES
};

/* The gfp bits that take a request away from the normal classes. */
#define KMALLOC_NOT_NORMAL_BITS_SLAB				\
	(__GFP_RECLAIMABLE |					\
	 (IS_ENABLED(CONFIG_ZONE_DMA) ? __GFP_DMA : 0) |	\
	 (COMPAT_KMALLOC_CGROUP ? __GFP_ACCOUNT : 0))

static __always_inline enum kmalloc_type toyslab_kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & KMALLOC_NOT_NORMAL_BITS_SLAB)))
		return KMALLOC_TYPE_NORMAL;
	/* DMA first, then reclaimable, then accounted, as in 6.1. */
	if (IS_ENABLED(CONFIG_ZONE_DMA) && (flags & __GFP_DMA))
		return KMALLOC_TYPE_DMA;
	if (!COMPAT_KMALLOC_CGROUP || (flags & __GFP_RECLAIMABLE))
		return KMALLOC_TYPE_RECLAIM;
	return KMALLOC_TYPE_CGROUP;
}

/*
 * The classes, by type and by 6.1's kmalloc index: 1 is 96 bytes, 2 is
 * 192, n from 5 to 13 is 2^n.  Set while the module loads.
 */
static struct toyslab_cache *
kmalloc_classes[KMALLOC_NR_TYPES][KMALLOC_SHIFT_HIGH_SLAB + 1] __ro_after_init;

/*
 * 6.1's size_index[] for sizes up to 192, by (size - 1) / 8, as
 * setup_kmalloc_cache_index_table() leaves it under SLAB: sizes up to
 * KMALLOC_MIN_SIZE (32) all go to index 5, kmalloc-32.
 */
static const u8 size_index[24] = {
	5, 5, 5, 5,		/*   1 ..  32 */
	6, 6, 6, 6,		/*  33 ..  64 */
	1, 1, 1, 1,		/*  65 ..  96 */
	7, 7, 7, 7,		/*  97 .. 128 */
	2, 2, 2, 2, 2, 2, 2, 2	/* 129 .. 192 */
};

/* The class index of @size, 1 to KMALLOC_MAX_CACHE_SIZE_SLAB bytes. */
static unsigned int kmalloc_class_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	return fls(size - 1);
}

/**
 * toyslab_kmalloc_slab - the kmalloc class for @size bytes of type @flags
 * @size: bytes wanted
 * @flags: gfp flags, which choose the type
 *
 * 6.1's kmalloc_slab().  While the classes are being made at load, a
 * class not made yet is NULL, as in SLAB at boot: layout.c reads that.
 *
 * Return: the class, %ZERO_SIZE_PTR for 0 bytes, NULL above 8 KiB.
 */
struct toyslab_cache *toyslab_kmalloc_slab(size_t size, gfp_t flags)
{
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE_SLAB))
		return NULL;
	return kmalloc_classes[toyslab_kmalloc_type(flags)][kmalloc_class_index(size)];
}

/* Pages of large allocations toyslab holds, for the leak check at unload. */
static atomic_long_t large_pages = ATOMIC_LONG_INIT(0);

/**
 * toyslab_kmalloc_large_pages - pages of live large kmalloc allocations
 *
 * Return: how many.
 */
unsigned long toyslab_kmalloc_large_pages(void)
{
	return atomic_long_read(&large_pages);
}

/* __kmalloc_large_node() of 6.1: whole pages, compound, for more than 8 KiB. */
static void *__kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned int order = get_order(size);
	struct page *page;
	void *ptr;

	/* 6.1's page allocator warns too, of an order it does not have. */
	if (unlikely(size > KMALLOC_MAX_SIZE_SLAB)) {
		if (!(flags & __GFP_NOWARN))
			pr_warn_ratelimited("toyslab: kmalloc of %zu bytes: more than %lu\n",
					    size, KMALLOC_MAX_SIZE_SLAB);
		return NULL;
	}
	if (unlikely(flags & GFP_SLAB_BAD_MASK)) {
		pr_warn_ratelimited("toyslab: kmalloc: unexpected gfp %#x (%pGg) ignored\n",
				    flags, &flags);
		flags &= ~GFP_SLAB_BAD_MASK;
	}

	page = alloc_pages_node(node, flags | __GFP_COMP, order);
	if (!page)
		return NULL;
	/* Cache id 0, no cache's: that is how toyslab_kfree() knows it. */
	page_slab(page)->cache_id = 0;
	ptr = page_address(page);
	if (unlikely(!toyslab_slabmap_set(ptr))) {
		__free_pages(page, order);
		return NULL;
	}
	atomic_long_add(1 << order, &large_pages);

	kmemleak_alloc(ptr, size, 1, flags);
	return ptr;
}

static void kfree_large(struct page *head, const void *ptr)
{
	unsigned int order = compound_order(head);

	kmemleak_free(ptr);
	atomic_long_sub(1 << order, &large_pages);
	__free_pages(head, order);
}

static __always_inline void *do_kmalloc_node(size_t size, gfp_t flags,
					     int node, unsigned long caller)
{
	struct toyslab_cache *cachep;

	if (unlikely(node != NUMA_NO_NODE &&
		     (node < 0 || node >= nr_node_ids)))
		return NULL;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE_SLAB))
		return __kmalloc_large_node(size, flags, node);

	cachep = toyslab_kmalloc_slab(size, flags);
	if (unlikely(ZERO_OR_NULL_PTR(cachep)))
		return cachep;
	return __toyslab_alloc_node(cachep, flags, node, caller);
}

/**
 * toyslab_kmalloc - allocate memory from toyslab's kmalloc classes
 * @size: bytes wanted
 * @flags: gfp flags; __GFP_RECLAIMABLE, __GFP_ACCOUNT and __GFP_DMA choose
 *	   the -rcl-, -cg- and dma- classes, as in 6.1
 *
 * Up to 8 KiB from the smallest class that holds @size (kmalloc-32 to
 * kmalloc-8k, with kmalloc-96 and kmalloc-192), above that whole pages
 * from the page allocator, up to 4 MiB.  The -cg- classes take
 * __GFP_ACCOUNT requests, but toyslab charges no memory cgroup for them
 * (large allocations are charged by the page allocator).
 *
 * Context: any context, as allowed by @flags.
 * Return: the memory, %ZERO_SIZE_PTR for @size 0, or %NULL.
 */
void *toyslab_kmalloc(size_t size, gfp_t flags)
{
	return do_kmalloc_node(size, flags, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_kmalloc);

/**
 * toyslab_kmalloc_node - toyslab_kmalloc() on a given NUMA node
 * @size: bytes wanted
 * @flags: gfp flags, as for toyslab_kmalloc(); __GFP_THISNODE forbids
 *	   falling back to other nodes
 * @node: the node, or NUMA_NO_NODE for the local one
 *
 * Context: any context, as allowed by @flags.
 * Return: the memory, %ZERO_SIZE_PTR for @size 0, or %NULL.
 */
void *toyslab_kmalloc_node(size_t size, gfp_t flags, int node)
{
	return do_kmalloc_node(size, flags, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_kmalloc_node);

/* What a pointer handed to the kfree family turned out to be. */
enum ptr_kind {
	PTR_OBJECT,	/* the start of an object of a toyslab slab */
	PTR_LARGE,	/* the start of a large allocation */
	PTR_FOREIGN,	/* not in memory toyslab has */
	PTR_INSIDE,	/* inside an object or a large allocation */
	PTR_BETWEEN,	/* in a slab, but in no object: colour, freelist */
	PTR_FREE,	/* the start of an object no user has */
};

/* Where the pointer is, as far as classify() found out. */
struct ptr_info {
	struct page *head;		/* the slab's or allocation's page */
	struct toyslab_slab *slab;	/* NULL for a large allocation */
	struct toyslab_cache *cache;	/* the slab's */
	unsigned int idx;		/* the object, in the slab */
};

/* The first word of every report, and the count of all of them. */
static atomic_long_t bad_pointers = ATOMIC_LONG_INIT(0);

/**
 * toyslab_bad_pointers - reports of the kfree family so far
 *
 * Return: how many pointers toyslab_kfree(), toyslab_ksize() and the
 * rest refused.
 */
unsigned long toyslab_bad_pointers(void)
{
	return atomic_long_read(&bad_pointers);
}

/*
 * A buggy caller may refuse pointers in a loop; 32 reports per 5 s keep
 * the log readable, and every one counts in bad_pointers and the cache's
 * errors all the same.
 */
static DEFINE_RATELIMIT_STATE(report_ratelimit, 5 * HZ, 32);

/*
 * One line, "toyslab: FN: PTR WHAT, from CALLER", and one more error,
 * for the cache too where there is one.
 */
static void report(const char *fn, const void *ptr, unsigned long caller,
		   enum ptr_kind kind, const struct ptr_info *info)
{
	const char *name = info->slab ? info->cache->name : NULL;
	char what[64];

	atomic_long_inc(&bad_pointers);
	if (info->slab)
		STATS_INC_ERR(info->cache);
	if (!__ratelimit(&report_ratelimit))
		return;

	switch (kind) {
	case PTR_FOREIGN:
		strscpy(what, "not toyslab memory", sizeof(what));
		break;
	case PTR_INSIDE:
		if (name)
			snprintf(what, sizeof(what), "inside an object of %s",
				 name);
		else
			strscpy(what, "inside a large allocation", sizeof(what));
		break;
	case PTR_BETWEEN:
		snprintf(what, sizeof(what), "between the objects of a %s slab",
			 name);
		break;
	default:
		snprintf(what, sizeof(what), "an object of %s, already free",
			 name);
		break;
	}
	pr_err("toyslab: %s: %p %s, from %pS\n", fn, ptr, what, (void *)caller);
}

/*
 * Find what @ptr is, from the pointer alone.  A live object and a free
 * one are both PTR_OBJECT here: the caller reads the in-use bit, once.
 * No lock: the page's fields are read only on a page toyslab has, and a
 * slab's cache and layout do not change while it exists.  A pointer into
 * a slab that another CPU destroys meanwhile is a use after free, which
 * this cannot catch; no more can 6.1.
 */
static enum ptr_kind classify(const void *ptr, struct ptr_info *info)
{
	struct toyslab_cache *cachep;
	const void *buf;

	info->slab = NULL;
	info->head = toyslab_owned_page(ptr);
	if (!info->head)
		return PTR_FOREIGN;

	if (!page_slab(info->head)->cache_id)
		return ptr == page_address(info->head) ? PTR_LARGE : PTR_INSIDE;

	info->slab = page_slab(info->head);
	cachep = toyslab_cache_of(info->slab);
	info->cache = cachep;
	buf = ptr - cachep->obj_offset;
	if (buf < slab_s_mem(cachep, info->slab))
		return PTR_BETWEEN;
	info->idx = obj_to_index(cachep, info->slab, (void *)buf);
	if (info->idx >= cachep->num)
		return PTR_BETWEEN;
	if (buf != index_to_obj(cachep, info->slab, info->idx))
		return PTR_INSIDE;
	return PTR_OBJECT;
}

/* The free itself, once classify() said @kind; reports any other kind. */
static void kfree_kind(const void *ptr, enum ptr_kind kind,
		       struct ptr_info *info, const char *fn,
		       unsigned long caller)
{
	if (kind == PTR_OBJECT) {
		/*
		 * Of two frees of a tracked cache's object, one finds the bit
		 * set.  An untracked cache has no bits: its object goes back
		 * unasked, as 6.1's kfree() takes any object.
		 */
		if (!info->cache->tracked ||
		    test_and_clear_bit(info->idx, info->slab->ext->inuse)) {
			__toyslab_free_checked(info->cache, (void *)ptr, caller);
			return;
		}
		kind = PTR_FREE;
	} else if (kind == PTR_LARGE) {
		if (toyslab_slabmap_test_and_clear(info->head)) {
			kfree_large(info->head, ptr);
			return;
		}
		/* Freed meanwhile: the page is no longer toyslab's. */
		info->slab = NULL;
		kind = PTR_FOREIGN;
	}
	report(fn, ptr, caller, kind, info);
}

static void kfree_checked(const void *ptr, const char *fn,
			  unsigned long caller)
{
	struct ptr_info info;

	kfree_kind(ptr, classify(ptr, &info), &info, fn, caller);
}

/**
 * toyslab_kfree - free memory from toyslab_kmalloc(), or any toyslab object
 * @objp: the memory; %NULL and %ZERO_SIZE_PTR are ignored
 *
 * Like 6.1's kfree(), it takes an object of any toyslab cache, found from
 * the pointer alone.  Unlike it, it refuses with one report, and changes
 * nothing, a pointer toyslab did not hand out: not toyslab memory, inside
 * an object or between objects; and an object already free, in a tracked
 * cache (a kmalloc class or a debug cache).  Any other cache's freed
 * object is freed again, as 6.1 would, caught only if it is still on top
 * of the array.
 *
 * Context: any context.
 */
void toyslab_kfree(const void *objp)
{
	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return;
	kfree_checked(objp, "toyslab_kfree", _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_kfree);

/* ksize of a live object or allocation at @ptr; 0, reported, if none. */
static size_t ksize_checked(const void *ptr, const char *fn,
			    unsigned long caller)
{
	enum ptr_kind kind;
	struct ptr_info info;

	kind = classify(ptr, &info);
	if (kind == PTR_LARGE)
		return page_size(info.head);
	if (kind == PTR_OBJECT) {
		if (!info.cache->tracked ||
		    test_bit(info.idx, info.slab->ext->inuse))
			return info.cache->object_size;
		kind = PTR_FREE;
	}
	report(fn, ptr, caller, kind, &info);
	return 0;
}

/**
 * toyslab_ksize - the usable size of toyslab memory
 * @objp: memory from toyslab_kmalloc(), or any toyslab object
 *
 * As in 6.1 with SLAB: the object size of the cache, the whole pages of
 * a large allocation.  A pointer toyslab_kfree() would refuse is refused
 * here too, with one report.
 *
 * Context: any context.
 * Return: the size, 0 for %NULL, %ZERO_SIZE_PTR or a refused pointer.
 */
size_t toyslab_ksize(const void *objp)
{
	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return 0;
	return ksize_checked(objp, "toyslab_ksize", _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_ksize);

/**
 * toyslab_krealloc - resize memory from toyslab_kmalloc()
 * @objp: the memory, or %NULL (or %ZERO_SIZE_PTR) to allocate afresh
 * @new_size: bytes wanted; 0 frees @objp and returns %ZERO_SIZE_PTR
 * @flags: gfp flags for a new allocation
 *
 * As 6.1's krealloc(): @objp stays where it is while its ksize holds
 * @new_size (the bytes past @new_size zeroed under init_on_alloc or
 * __GFP_ZERO); otherwise new memory gets the old contents and @objp is
 * freed.  __GFP_ZERO zeroes nothing else.  A pointer toyslab_kfree()
 * would refuse is refused, with one report, and %NULL returned.
 *
 * Context: any context, as allowed by @flags.
 * Return: the memory, %ZERO_SIZE_PTR, or %NULL (and @objp untouched).
 */
void *toyslab_krealloc(const void *objp, size_t new_size, gfp_t flags)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		if (!ZERO_OR_NULL_PTR(objp))
			kfree_checked(objp, "toyslab_krealloc", _RET_IP_);
		return ZERO_SIZE_PTR;
	}

	if (!ZERO_OR_NULL_PTR(objp)) {
		ks = ksize_checked(objp, "toyslab_krealloc", _RET_IP_);
		if (!ks)
			return NULL;
	}
	if (ks >= new_size) {
		if (want_init_on_alloc(flags))
			memset((void *)objp + new_size, 0, ks - new_size);
		return (void *)objp;
	}

	ret = do_kmalloc_node(new_size, flags, NUMA_NO_NODE, _RET_IP_);
	if (ret && ks) {
		memcpy(ret, objp, ks);
		kfree_checked(objp, "toyslab_krealloc", _RET_IP_);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(toyslab_krealloc);

/**
 * toyslab_kfree_sensitive - zero toyslab memory, then free it
 * @objp: the memory; %NULL and %ZERO_SIZE_PTR are ignored
 *
 * Zeroes the whole toyslab_ksize(), as 6.1's kfree_sensitive() does.
 *
 * Context: any context.
 */
void toyslab_kfree_sensitive(const void *objp)
{
	size_t ks;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return;
	ks = ksize_checked(objp, "toyslab_kfree_sensitive", _RET_IP_);
	if (!ks)
		return;
	memzero_explicit((void *)objp, ks);
	kfree_checked(objp, "toyslab_kfree_sensitive", _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_kfree_sensitive);

/**
 * toyslab_kfree_rcu_cb - the RCU callback of toyslab_kfree_rcu()
 * @head: an rcu_head inside toyslab memory
 *
 * Frees the object or large allocation that holds @head, found from
 * @head alone, as toyslab_kfree() would.
 *
 * Context: RCU callback (softirq).
 */
void toyslab_kfree_rcu_cb(struct rcu_head *head)
{
	struct ptr_info info;
	enum ptr_kind kind;
	const void *obj = head;

	kind = classify(head, &info);
	/* An rcu_head past the start: the object it is in. */
	if (kind == PTR_INSIDE && info.slab) {
		obj = index_to_obj(info.cache, info.slab, info.idx) +
		      info.cache->obj_offset;
		kind = PTR_OBJECT;
	} else if (kind == PTR_INSIDE) {
		obj = page_address(info.head);
		kind = PTR_LARGE;
	}
	kfree_kind(obj, kind, &info, "toyslab_kfree_rcu_cb", _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_kfree_rcu_cb);

/* A class of 6.1's kmalloc_info[]: its size, and its name's short size. */
struct kmalloc_info {
	unsigned int size;
	const char *short_size;
};

/* kmalloc_info[], by index: the name is the type's prefix and short_size. */
static const struct kmalloc_info kmalloc_info[] __initconst = {
	[1] = { 96, "96" },
	[2] = { 192, "192" },
	[5] = { 32, "32" },
	[6] = { 64, "64" },
	[7] = { 128, "128" },
	[8] = { 256, "256" },
	[9] = { 512, "512" },
	[10] = { 1024, "1k" },
	[11] = { 2048, "2k" },
	[12] = { 4096, "4k" },
	[13] = { 8192, "8k" },
};

static const char * const kmalloc_prefix[KMALLOC_NR_TYPES] __initconst = {
	[KMALLOC_TYPE_NORMAL] = "kmalloc-",
#if COMPAT_KMALLOC_CGROUP
	[KMALLOC_TYPE_CGROUP] = "kmalloc-cg-",
#endif
	[KMALLOC_TYPE_RECLAIM] = "kmalloc-rcl-",
#ifdef CONFIG_ZONE_DMA
	[KMALLOC_TYPE_DMA] = "dma-kmalloc-",
#endif
};

/*
 * new_kmalloc_cache() of 6.1: every class is SLAB_HWCACHE_ALIGN (SLAB's
 * ARCH_KMALLOC_FLAGS), and its type adds a flag.  6.1 makes a -cg- class
 * an alias of the normal one when booted with cgroup.memory=nokmem; a
 * module cannot read that switch, so toyslab always makes them.
 */
static int __init new_kmalloc_cache(unsigned int idx, enum kmalloc_type type)
{
	slab_flags_t flags = SLAB_HWCACHE_ALIGN;
	struct toyslab_cache *cachep;
	char name[TOYSLAB_NAME_MAX + 1];

	if (type == KMALLOC_TYPE_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (COMPAT_KMALLOC_CGROUP && type == KMALLOC_TYPE_CGROUP)
		flags |= SLAB_ACCOUNT;
	else if (IS_ENABLED(CONFIG_ZONE_DMA) && type == KMALLOC_TYPE_DMA)
		flags |= SLAB_CACHE_DMA;

	snprintf(name, sizeof(name), "%s%s", kmalloc_prefix[type],
		 kmalloc_info[idx].short_size);
	cachep = toyslab_create_kmalloc_cache(name, kmalloc_info[idx].size,
					      flags);
	if (IS_ERR(cachep))
		return PTR_ERR(cachep);
	kmalloc_classes[type][idx] = cachep;
	return 0;
}

/**
 * toyslab_kmalloc_init - make the kmalloc classes, in SLAB's order
 *
 * kmem_cache_init() of 6.1 makes the class of struct kmem_cache_node
 * first (INDEX_NODE: kmalloc-128 on Debian's kernels), then
 * create_kmalloc_caches() the rest, type by type, smallest first, 96
 * after 64 and 192 after 128.  The order decides which classes exist when
 * each one's layout looks for an off-slab freelist's class.  On failure,
 * toyslab_destroy_all() takes back the classes made.
 *
 * Return: 0, or a negative errno.
 */
int __init toyslab_kmalloc_init(void)
{
	enum kmalloc_type type;
	unsigned int i;
	int err;

	err = new_kmalloc_cache(kmalloc_class_index(sizeof(struct toyslab_node)),
				KMALLOC_TYPE_NORMAL);
	for (type = KMALLOC_TYPE_NORMAL; type < KMALLOC_NR_TYPES; type++) {
		for (i = KMALLOC_SHIFT_LOW_SLAB;
		     !err && i <= KMALLOC_SHIFT_HIGH_SLAB; i++) {
			if (!kmalloc_classes[type][i])
				err = new_kmalloc_cache(i, type);
			if (!err && i == 6 && !kmalloc_classes[type][1])
				err = new_kmalloc_cache(1, type);
			if (!err && i == 7 && !kmalloc_classes[type][2])
				err = new_kmalloc_cache(2, type);
		}
	}
	return err;
}

/**
 * toyslab_kmalloc_exit - report large allocations left at unload
 *
 * The classes go with every other cache, in toyslab_destroy_all(); the
 * pages of large allocations nobody freed stay, like a leaked object.
 */
void toyslab_kmalloc_exit(void)
{
	unsigned long left = toyslab_kmalloc_large_pages();

	if (left)
		pr_err("toyslab: %lu pages of large kmalloc allocations never freed\n",
		       left);
}
