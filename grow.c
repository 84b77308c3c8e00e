// SPDX-License-Identifier: GPL-2.0
/*
 * Growing a cache by one slab, and giving slabs back to the page allocator.
 *
 * cache_grow_begin() may run with interrupts enabled for a while (when the
 * gfp mask allows sleeping), so it builds the slab privately and
 * cache_grow_end() publishes it on the node lists under list_lock.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>

#include "internal.h"
#include "toyslab_trace.h"

/* Pages of every toyslab slab, for leak checks and the shrinker. */
atomic_long_t toyslab_pages = ATOMIC_LONG_INIT(0);

/*
 * The extensions of tracked caches' slabs come from the kernel's own
 * allocator; those of debug caches carry the quarantine bitmap.
 */
struct kmem_cache *toyslab_slab_ext_cache;
struct kmem_cache *toyslab_debug_slab_ext_cache;

static struct kmem_cache *slab_ext_cache(struct toyslab_cache *cachep)
{
	return cache_debug(cachep) ? toyslab_debug_slab_ext_cache :
				     toyslab_slab_ext_cache;
}

static struct page *kmem_getpages(struct toyslab_cache *cachep, gfp_t flags,
				  int nodeid)
{
	struct page *page;

	/* An armed 'page-probability' holds the hooks. */
	if (unlikely(toyslab_hooks_wanted()) &&
	    unlikely(toyslab_should_fail_page(cachep)))
		return NULL;

	flags |= cachep->allocflags;
	page = __alloc_pages_node(nodeid, flags, cachep->gfporder);
	if (!page)
		return NULL;

	/* See TOYSLAB_SLAB_PAGE_REFS. */
	page_ref_inc(page);
	atomic_long_add(1 << cachep->gfporder, &toyslab_pages);
	return page;
}

/*
 * Give back the allocation's reference, and toyslab's own unless the
 * kernel's kfree() took one: whoever holds the last one frees the page.
 * With none left, the page was freed under the slab already: it is not
 * touched again.
 */
static void kmem_freepages(struct toyslab_cache *cachep, struct page *page)
{
	unsigned int order = cachep->gfporder;
	int refs = page_ref_count(page);

	/* The page goes back as it came: the slab's fields cleared. */
	INIT_LIST_HEAD(&page->lru);
	page->index = 0;
	set_page_private(page, 0);
	/* Tell reclaim what a shrinker gave back. */
	mm_account_reclaimed_pages(1 << order);
	atomic_long_sub(1 << order, &toyslab_pages);
	if (unlikely(refs != TOYSLAB_SLAB_PAGE_REFS))
		pr_err("toyslab: %s: a slab's page has %d references, not %d: %s\n",
		       cachep->name, refs, TOYSLAB_SLAB_PAGE_REFS,
		       refs < TOYSLAB_SLAB_PAGE_REFS ?
		       "one of its objects was freed with the kernel's kfree()" :
		       "someone else holds one");
	if (unlikely(refs <= 0))
		return;
	if (likely(refs >= TOYSLAB_SLAB_PAGE_REFS))
		page_ref_dec(page);
	__free_pages(page, order);
}

/* Inlined: slab_destroy() runs it for every slab a cache gives back. */
static __always_inline void free_slabmgmt(struct toyslab_cache *cachep,
					  struct toyslab_slab *slab)
{
	if (cachep->freelist_type == FREELIST_OFF_SLAB)
		toyslab_cache_free(cachep->freelist_cache,
				   *slab_freelist(cachep, slab));
	if (cachep->tracked)
		kmem_cache_free(slab_ext_cache(cachep), slab->ext);
}

/*
 * The slab's management, in its head page: the fields of struct
 * toyslab_slab, a tracked cache's extension, and for off-slab caches
 * the freelist buffer.  On-slab freelists take the last bytes of the
 * slab; an objfreelist slab finds its freelist in cache_init_objs().
 */
static struct toyslab_slab *alloc_slabmgmt(struct toyslab_cache *cachep,
					   struct page *page, void *addr,
					   unsigned int colour,
					   gfp_t local_flags, int nodeid)
{
	struct toyslab_slab *slab = page_slab(page);
	void *freelist = NULL;

	slab->cache_id = cachep->id;
	slab->colour = colour;
	slab->active = 0;
	slab->pfmemalloc = false;
	slab->id = 0;
	if (cachep->tracked) {
		slab->ext = kmem_cache_alloc_node(slab_ext_cache(cachep),
						  local_flags, nodeid);
		if (!slab->ext)
			return NULL;
		/* A recycled extension: no bit may say "in use" by mistake. */
		bitmap_zero(slab->ext->inuse, SLAB_OBJ_MAX_NUM);
		if (cache_debug(cachep))
			bitmap_zero(slab->ext->quarantined, SLAB_OBJ_MAX_NUM);
	}

	switch (cachep->freelist_type) {
	case FREELIST_OBJ:
		break;
	case FREELIST_OFF_SLAB:
		/* As in SLAB, from a kmalloc class that is never off-slab. */
		freelist = toyslab_cache_alloc_node(cachep->freelist_cache,
						    local_flags, nodeid);
		if (!freelist) {
			if (cachep->tracked)
				kmem_cache_free(slab_ext_cache(cachep),
						slab->ext);
			return NULL;
		}
		break;
	case FREELIST_ON_SLAB:
		freelist = addr + (PAGE_SIZE << cachep->gfporder) -
			   cachep->freelist_size;
		break;
	}
	*slab_freelist(cachep, slab) = freelist;
	return slab;
}

/*
 * Index every object into the freelist, in address order; run the ctor.
 * The objects are worked out as index_to_obj() does, from the slab's
 * address at hand, @addr.
 */
static void cache_init_objs(struct toyslab_cache *cachep,
			    struct toyslab_slab *slab, void *addr)
{
	void *s_mem = slab_s_mem_at(cachep, slab, addr);
	bool debug = cache_debug(cachep);
	unsigned int i;

	if (debug)
		toyslab_init_objs_debug(cachep, slab);

	/* The last object holds the freelist until it is handed out itself. */
	if (cachep->freelist_type == FREELIST_OBJ)
		*slab_freelist(cachep, slab) =
			s_mem + cachep->size * (cachep->num - 1) +
			cachep->obj_offset;

	for (i = 0; i < cachep->num; i++) {
		/* Debug caches ran it already, or run it at each alloc. */
		if (cachep->ctor && !debug)
			cachep->ctor(s_mem + cachep->size * i);
		set_free_obj(cachep, slab, i, i);
	}
	/* Constructed, now out of bounds until handed out. */
	toyslab_kasan_poison_slab(slab_page(slab), cachep->gfporder);
}

/* Next colour for a slab on @n: cycles through 0..colour-1. */
static unsigned int next_colour(struct toyslab_cache *cachep,
				struct toyslab_node *n)
{
	n->colour_next++;
	if (n->colour_next >= cachep->colour)
		n->colour_next = 0;
	return n->colour_next;
}

/**
 * cache_grow_begin - build a new slab, not yet on any list
 * @cachep: the cache to grow
 * @flags: gfp mask of the allocation that needs it
 * @nodeid: node to take the pages from
 *
 * Called with interrupts off; turns them on around the page allocation
 * when @flags allow sleeping, so the caller must re-read its per-CPU
 * array afterwards.
 *
 * Return: the slab, or NULL.
 */
struct toyslab_slab *cache_grow_begin(struct toyslab_cache *cachep,
				      gfp_t flags, int nodeid)
{
	struct toyslab_slab *slab;
	struct toyslab_node *n;
	struct page *page;
	gfp_t local_flags;
	unsigned int colour;
	bool pfmemalloc;
	void *addr;

	if (unlikely(flags & GFP_SLAB_BAD_MASK)) {
		pr_warn_ratelimited("toyslab: %s: unexpected gfp %#x (%pGg) ignored\n",
				    cachep->name, flags, &flags);
		flags &= ~GFP_SLAB_BAD_MASK;
	}
	local_flags = flags & (GFP_CONSTRAINT_MASK | GFP_RECLAIM_MASK);

	lockdep_assert_irqs_disabled();
	if (gfpflags_allow_blocking(local_flags))
		local_irq_enable();

	page = kmem_getpages(cachep, local_flags, nodeid);
	if (!page)
		goto failed;

	n = get_node(cachep, page_to_nid(page));
	colour = next_colour(cachep, n);
	/* The page allocator marks it in page->lru, which the slab takes. */
	pfmemalloc = page_is_pfmemalloc(page);

	/* Once: page_address() walks mem_section without a virtual memmap. */
	addr = page_address(page);
	slab = alloc_slabmgmt(cachep, page, addr, colour,
			      local_flags & ~GFP_CONSTRAINT_MASK,
			      page_to_nid(page));
	if (!slab)
		goto opps1;

	if (pfmemalloc || cachep->pfmemalloc_next) {
		cachep->pfmemalloc_next = false;
		slab->pfmemalloc = true;
		toyslab_pfmemalloc_active = true;
	}
	cache_init_objs(cachep, slab, addr);
	/* Last: the bit says the page's fields are a slab, built. */
	if (unlikely(!toyslab_slabmap_set(addr)))
		goto opps2;

	toyslab_trace(grow, cachep, page_to_nid(page));
	if (gfpflags_allow_blocking(local_flags))
		local_irq_disable();
	return slab;

opps2:
	free_slabmgmt(cachep, slab);
opps1:
	kmem_freepages(cachep, page);
failed:
	if (gfpflags_allow_blocking(local_flags))
		local_irq_disable();
	return NULL;
}

/**
 * cache_grow_end - put a slab from cache_grow_begin() on its node's lists
 * @cachep: the cache
 * @slab: the new slab, or NULL if growing failed
 */
void cache_grow_end(struct toyslab_cache *cachep, struct toyslab_slab *slab)
{
	struct toyslab_node *n;
	void *list = NULL;

	lockdep_assert_irqs_disabled();
	if (!slab)
		return;

	INIT_LIST_HEAD(&slab->slab_list);
	n = get_node(cachep, slab_nid(slab));

	spin_lock(&n->list_lock);
	n->total_slabs++;
	if (!slab->active) {
		list_add_tail(&slab->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else {
		fixup_slab_list(cachep, n, slab, &list);
	}
	/* The first slab a cache grows is slab 0 in the debugfs views. */
	slab->id = STATS_INC_GROWN(cachep) - 1;
	n->free_objects += cachep->num - slab->active;
	spin_unlock(&n->list_lock);

	toyslab_fixup_objfreelist_debug(cachep, &list);
}

static void kmem_rcu_free(struct rcu_head *head)
{
	struct toyslab_slab *slab = container_of(head, struct toyslab_slab, rcu);
	struct toyslab_cache *cachep = toyslab_cache_of(slab);

	free_slabmgmt(cachep, slab);
	kmem_freepages(cachep, slab_page(slab));
}

/**
 * slab_destroy - give one slab's pages back to the page allocator
 * @cachep: the cache
 * @slab: a slab already taken off every list
 *
 * SLAB_TYPESAFE_BY_RCU caches wait for a grace period first, so that
 * lockless readers never see the memory change type under them.
 */
void slab_destroy(struct toyslab_cache *cachep, struct toyslab_slab *slab)
{
	/* From here on, a pointer into it is no longer toyslab's object. */
	toyslab_slabmap_clear(slab_page(slab));
	if (cache_debug(cachep))
		toyslab_destroy_debugcheck(cachep, slab);
	if (unlikely(cachep->flags & SLAB_TYPESAFE_BY_RCU)) {
		call_rcu(&slab->rcu, kmem_rcu_free);
		return;
	}
	/* First: the page's fields are the slab's until the page goes. */
	free_slabmgmt(cachep, slab);
	kmem_freepages(cachep, slab_page(slab));
}

/**
 * slabs_destroy - destroy every slab on a private list
 * @cachep: the cache
 * @list: slabs that free_block() and friends detached under list_lock
 *
 * Run after dropping list_lock: page freeing need not hold it.
 */
void slabs_destroy(struct toyslab_cache *cachep, struct list_head *list)
{
	struct toyslab_slab *slab, *next;

	list_for_each_entry_safe(slab, next, list, slab_list) {
		list_del(&slab->slab_list);
		slab_destroy(cachep, slab);
	}
}
