// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab: the allocation and free paths of the classic SLAB allocator.
 *
 * A cache hands out objects of one size.  It gets memory from the page
 * allocator one slab at a time (2^gfporder pages cut into 'num' objects)
 * and keeps each node's slabs on three lists: full, partial and free.
 * Walking those lists under a lock for every object would be slow, so SLAB
 * puts a small LIFO stack of free objects in front of them on every CPU,
 * the array_cache.  Most allocations pop from it and most frees push onto
 * it, with interrupts off and no lock at all: this is Bonwick's magazine.
 *
 * When a CPU's array runs dry, cache_alloc_refill() moves a batch of
 * objects into it: first from the node's shared array (objects other CPUs
 * flushed), then from partial and free slabs, and only then by growing the
 * cache by one slab.  When it overflows, cache_flusharray() moves the
 * oldest batch out: to the shared array if there is room, else back into
 * their slabs.  A periodic reaper (reap.c) drains arrays that went idle
 * and frees slabs that stayed empty.  Objects freed on the "wrong" NUMA
 * node wait in an alien cache and travel home in batches.
 *
 * The functions keep the names and shape of SLAB's in Linux 6.1, and
 * the fast path (____cache_alloc and ac_get_obj) keeps the shape of the
 * walkthrough toyslab grew from (Linux 3.16), with its
 * force_refill and pfmemalloc handling.  Documentation/ tells the long story.
 *
 * Lock order and context
 *
 *   cache_lifecycle_mutex          one creation or destruction at a time
 *     toyslab_ctl.mutex            a cache's debugfs ctl, held objects
 *       cpu_hotplug_lock           cpus_read_lock(), hotplug callbacks
 *         toyslab_mutex            cache list, tunables, node arrays
 *           alien_cache.lock       frees waiting to go to another node
 *             toyslab_node.list_lock  slab lists and counts, shared array
 *         reap_interval_mutex      the reaper's period, its work items
 *   knob_mutex (fail.c)            the probabilities' hooks reference
 *   slabmap_mutex (slabmap.c)      chunks for memory coming online
 *
 *   leaves, under any of the above but list_lock and alien_cache.lock:
 *     toyslab_cache.quarantine_lock  nr_quarantined, and the bits it counts
 *     fail_cache_lock (fail.c)       the cache named in fail/cache
 *
 *   A lock is taken with some, all or none of the locks above it on its
 *   branch held, and with no other: a node's list_lock is taken under
 *   the lock of an alien cache bound for that node, or under no spinlock.
 *
 *   - No sleeping lock is taken, no IPI sent and no static key changed
 *     from the alloc and free paths, nor while a spinlock is held.  Nor
 *     is their code rewritten while they may run: toyslab has no static
 *     key, and its trace events fire through gates (trace.c).
 *     Reclaim, which a grow that may sleep can enter, may run toyslab's
 *     shrinker: it only trylocks toyslab_mutex.
 *   - Trylocks stand outside the order: the reaper and the shrinker
 *     trylock toyslab_mutex, 'free-wrong-cache' another cache's ctl
 *     mutex under toyslab_mutex, and the reaper the alien locks.
 *   - debugfs_remove() of a cache's directory waits for its files'
 *     users, who take the ctl mutex and toyslab_mutex: it is called
 *     with no lock held but cache_lifecycle_mutex.
 *   - Per-CPU arrays are changed only by their own CPU with interrupts
 *     off, with three exceptions: the reaper reads 'touched' racily, as
 *     SLAB does; a retune empties the old arrays from the tuning CPU once
 *     kick_all_cpus_sync() has shown that no CPU still uses them; and the
 *     hotplug callback empties a dead CPU's array under toyslab_mutex.
 *   - Every spinlock is taken with interrupts off: callers of the alloc
 *     and free paths may run in interrupt context.
 *   - Only cache_grow_begin() may turn interrupts back on, and only when
 *     the gfp mask allows sleeping; everything else here is atomic.
 */
#include <linux/kmemleak.h>
#include <linux/prefetch.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "internal.h"
#include "toyslab_trace.h"

/*
 * What the alloc and free paths do only on request: fault injection, the
 * checks of debug caches, the trace events.  Whatever needs one of them
 * holds a reference here; while nothing does, each path reads this one
 * word, finds 0, and runs a copy of its code that has none of that work.
 *
 * A word, not a static key: switching a key rewrites these paths'
 * instructions while other CPUs run them, and the hooks come and go
 * often (a debug cache, fault injection, a probe).  Under QEMU's
 * multi-threaded TCG, the VM toyslab is taught in, a CPU that translates
 * a path while another rewrites it can keep the rewrite's int3 in its
 * translation after the memory has its final bytes; the kernel then finds
 * no int3 at that address, runs the instruction again, and the CPU loops
 * there for good (Documentation/testing.rst, the chaos test).  The load
 * costs two instructions an allocation or free.
 */
atomic_t toyslab_hooks_users __read_mostly;

/**
 * toyslab_hooks_get - have the alloc and free paths run their hooks
 *
 * Every allocation and free that starts after the caller's next release
 * of a lock (or any other publication of what it did) takes the hooked
 * path; calls already under way finish without their hooks.
 *
 * Context: any context.
 */
void toyslab_hooks_get(void)
{
	atomic_inc(&toyslab_hooks_users);
}

/**
 * toyslab_hooks_put - drop a reference taken by toyslab_hooks_get()
 *
 * Context: any context.
 */
void toyslab_hooks_put(void)
{
	atomic_dec(&toyslab_hooks_users);
}

/*
 * SLAB masks the caller's flags with gfp_allowed_mask before anything else
 * (v4.0 and v4.4 did too).  A module cannot read that variable: neither 6.1 nor 6.12
 * exports it.  From the time modules load it allows every gfp bit, except
 * while the system suspends or hibernates, when pm_restrict_gfp_mask()
 * takes __GFP_IO and __GFP_FS out of it; at boot it also held back
 * reclaim.  toyslab applies the running system's value, which drops only
 * bits no gfp flag uses, and alloc_pages() applies the real mask to every
 * slab toyslab grows.  It applies it where the flags leave the fast path:
 * before that, might_alloc(), failslab, kmemleak and the __GFP_ZERO test
 * read only named bits, and masking there would cost the fast path
 * instructions.
 */
static inline gfp_t gfp_allowed(gfp_t flags)
{
	return flags & __GFP_BITS_MASK;
}

/* What SLAB's slab_want_init_on_alloc() decides. */
static inline bool slab_want_init_on_alloc(gfp_t flags,
					   struct toyslab_cache *c)
{
	if (static_branch_maybe(CONFIG_INIT_ON_ALLOC_DEFAULT_ON,
				&init_on_alloc)) {
		if (c->ctor)
			return false;
		if (c->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return flags & __GFP_ZERO;
		return true;
	}
	return flags & __GFP_ZERO;
}

/* Allocate on this node only, without reclaim and without a warning. */
static inline gfp_t gfp_exact_node(gfp_t flags)
{
	return (flags | __GFP_THISNODE | __GFP_NOWARN) &
		~(__GFP_RECLAIM | __GFP_NOFAIL);
}

/* Partial slabs first, then free ones; NULL when both lists are empty. */
static struct toyslab_slab *get_first_slab(struct toyslab_node *n)
{
	struct toyslab_slab *slab;

	lockdep_assert_held(&n->list_lock);
	slab = list_first_entry_or_null(&n->slabs_partial, struct toyslab_slab,
					slab_list);
	if (!slab) {
		n->free_touched = 1;
		slab = list_first_entry_or_null(&n->slabs_free,
						struct toyslab_slab, slab_list);
		if (slab)
			n->free_slabs--;
	}
	return slab;
}

/*
 * Account objects that left the slabs for an array (SLAB's STATS).  SLAB
 * counts them one by one, setting the high mark after each; in one step,
 * the mark must still see the highest of those counts, compared unsigned:
 * from below zero that is the last one under zero, -1 at most.
 */
static void stats_objects_out(struct toyslab_cache *cachep, long nr)
{
	long active = atomic_long_add_return(nr, &cachep->stats.num_active);
	long first = active - nr + 1;

	atomic_long_add(nr, &cachep->stats.allocs);
	atomic_long_umax(&cachep->stats.high_mark,
			 first < 0 ? min(active, -1L) : active);
}

/*
 * Move the next @nr objects of @slab to the top of @ac, in freelist
 * order, as @nr times ac_put_obj(cachep, ac, slab_get_obj(cachep, slab))
 * would.  The slab's first object, its freelist and the object size are
 * looked up once, and each object worked out from them as index_to_obj()
 * and get_free_obj() do; both counts stay in registers, written back
 * once.  A store into the array could alias any of them, so that calling
 * the two helpers per object would load them all again.
 */
static __always_inline void slab_to_ac(struct toyslab_cache *cachep,
				       struct array_cache *ac,
				       struct toyslab_slab *slab,
				       unsigned int nr)
{
	const u8 *freelist = *slab_freelist(cachep, slab);
	void *s_mem = slab_s_mem(cachep, slab);
	unsigned int size = cachep->size;
	void **dst = &ac->entry[ac->avail];
	unsigned int active = slab->active;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dst[i] = s_mem + size * freelist[active + i];
	slab->active = active + nr;
	ac->avail += nr;

	/* The tags ac_put_obj() would have given reserve objects. */
	if (unlikely(memalloc_socks())) {
		for (i = 0; i < nr; i++)
			dst[i] = __ac_put_obj(cachep, ac, dst[i]);
	}
}

/*
 * Move up to @batchcount objects of @slab into @ac.  Returns how many more
 * the caller wants; the caller fixes the slab's list.  @grown: the slab is
 * new, rather than from the node's partial or free list.
 */
static __always_inline int alloc_block(struct toyslab_cache *cachep,
				       struct array_cache *ac,
				       struct toyslab_slab *slab,
				       int batchcount, bool grown)
{
	unsigned int before = slab->active;
	unsigned int nr = min_t(unsigned int, batchcount, cachep->num - before);
	int left = batchcount - nr;

	/*
	 * The batch always fits the array (see the grow step of
	 * cache_alloc_refill()); if it ever did not, fill the array and no
	 * more, rather than write past its end.
	 */
	if (WARN_ON_ONCE(nr > ac->limit - ac->avail)) {
		nr = ac->limit - ac->avail;
		left = 0;
	}
	slab_to_ac(cachep, ac, slab, nr);

	stats_objects_out(cachep, nr);
	toyslab_trace(refill, cachep,
		      grown ? "grow" : before ? "partial" : "free", nr);
	return left;
}

/*
 * The slow path of ____cache_alloc(): this CPU's array is empty (or, with
 * @force_refill, holds only reserve objects the caller may not have).
 */
static void *cache_alloc_refill(struct toyslab_cache *cachep, gfp_t flags,
				bool force_refill)
{
	struct array_cache *ac, *shared;
	struct toyslab_slab *slab;
	struct toyslab_node *n;
	void *list = NULL;
	int batchcount;
	int node;

	lockdep_assert_irqs_disabled();
	flags = gfp_allowed(flags);
	node = numa_mem_id();

	ac = cpu_cache_get(cachep);
	batchcount = ac->batchcount;
	/* Little recent activity here: refill a little, to avoid bouncing. */
	if (!ac->touched && batchcount > BATCHREFILL_LIMIT)
		batchcount = BATCHREFILL_LIMIT;
	n = get_node(cachep, node);

	if (unlikely(force_refill))
		goto direct_grow;

	shared = READ_ONCE(n->shared);
	if (!n->free_objects && (!shared || !shared->avail))
		goto direct_grow;

	spin_lock(&n->list_lock);
	shared = READ_ONCE(n->shared);

	/* Objects other CPUs flushed are the cheapest to take. */
	if (shared && transfer_objects(ac, shared, batchcount)) {
		shared->touched = 1;
		toyslab_trace(refill, cachep, "shared", ac->avail);
		goto alloc_done;
	}

	while (batchcount > 0) {
		slab = get_first_slab(n);
		if (!slab)
			break;

		batchcount = alloc_block(cachep, ac, slab, batchcount, false);
		fixup_slab_list(cachep, n, slab, &list);
	}
	n->free_objects -= ac->avail;
alloc_done:
	spin_unlock(&n->list_lock);
	toyslab_fixup_objfreelist_debug(cachep, &list);

direct_grow:
	if (unlikely(!ac->avail || force_refill)) {
		slab = cache_grow_begin(cachep, gfp_exact_node(flags), node);

		/*
		 * Interrupts may have been on: we may even be on another CPU.
		 * And even with them off, a retune may have published new
		 * arrays meanwhile (it empties the old ones only once every
		 * CPU has had interrupts on).  So take the array afresh, and
		 * a batch that fits it: SLAB of 6.1 kept the batch it read
		 * from the old array, which overflows a new, smaller one.
		 */
		ac = cpu_cache_get(cachep);
		batchcount = min_t(int, batchcount, ac->batchcount);
		if (!ac->avail && slab)
			alloc_block(cachep, ac, slab, batchcount, true);
		cache_grow_end(cachep, slab);

		if (!ac->avail || (force_refill && !slab))
			return NULL;
	}
	ac->touched = 1;

	return ac_get_obj(cachep, ac, flags, force_refill);
}

/*
 * ____cache_alloc()'s miss: count it, refill this CPU's array and take an
 * object from it (NULL if that failed).
 */
static __always_inline void *cache_alloc_miss(struct toyslab_cache *cachep,
					      gfp_t flags, bool force_refill)
{
	struct array_cache *ac;
	void *objp;

	STATS_INC_ALLOCMISS(cachep);
	objp = cache_alloc_refill(cachep, flags, force_refill);
	/* The refill may have moved us: kmemleak_erase() needs the new ac. */
	ac = cpu_cache_get(cachep);
	/* The stale array slot must not make kmemleak think objp is used. */
	if (objp)
		kmemleak_erase(&ac->entry[ac->avail]);
	return objp;
}

/*
 * The fast path: pop from this CPU's array, refill it when it is empty.
 * @hit tells the trace event which of the two happened.  Objects of
 * reserve slabs exist only while the hooks are on (pfmemalloc.c), so
 * without @hooks the pop needs no ac_get_obj() to look for them.
 */
static __always_inline void *____cache_alloc(struct toyslab_cache *cachep,
					     gfp_t flags, bool *hit,
					     const bool hooks)
{
	bool force_refill = false;
	struct array_cache *ac;
	void *objp;

	lockdep_assert_irqs_disabled();

	ac = cpu_cache_get(cachep);
	if (likely(ac->avail)) {
		ac->touched = 1;
		if (hooks)
			objp = ac_get_obj(cachep, ac, flags, false);
		else
			objp = ac->entry[--ac->avail];

		/* All avail objects may be reserves the caller may not have. */
		if (objp) {
			STATS_INC_ALLOCHIT(cachep);
			*hit = true;
			/* As in cache_alloc_miss(): the slot is stale now. */
			kmemleak_erase(&ac->entry[ac->avail]);
			return objp;
		}
		force_refill = true;
	}

	*hit = false;
	return cache_alloc_miss(cachep, flags, force_refill);
}

static void *fallback_alloc(struct toyslab_cache *cachep, gfp_t flags);

/* Take one object straight from @nodeid's slabs, growing them if empty. */
static void *____cache_alloc_node(struct toyslab_cache *cachep, gfp_t flags,
				  int nodeid)
{
	struct toyslab_slab *slab;
	struct toyslab_node *n;
	void *list = NULL;
	void *obj = NULL;

	flags = gfp_allowed(flags);
	n = get_node(cachep, nodeid);

	lockdep_assert_irqs_disabled();
	spin_lock(&n->list_lock);
	slab = get_first_slab(n);
	if (!slab)
		goto must_grow;

	STATS_INC_NODEALLOCS(cachep);
	stats_inc_active(cachep);

	obj = slab_get_obj(cachep, slab);
	n->free_objects--;

	fixup_slab_list(cachep, n, slab, &list);

	spin_unlock(&n->list_lock);
	toyslab_fixup_objfreelist_debug(cachep, &list);
	return obj;

must_grow:
	spin_unlock(&n->list_lock);
	slab = cache_grow_begin(cachep, gfp_exact_node(flags), nodeid);
	/* Like 6.1, this object counts neither in node_allocs nor active. */
	if (slab)
		obj = slab_get_obj(cachep, slab);
	cache_grow_end(cachep, slab);

	return obj ? obj : fallback_alloc(cachep, flags);
}

/*
 * No object on the wanted node: try every node that has free objects,
 * nearest first, then let the page allocator pick a node for a new slab.
 * SLAB walks the zonelist under the cpuset's rules; toyslab has neither
 * and walks the online nodes from the local one.
 */
static void *fallback_alloc(struct toyslab_cache *cachep, gfp_t flags)
{
	int local = numa_mem_id();
	struct toyslab_slab *slab;
	void *obj;
	int i, nid;

	flags = gfp_allowed(flags);
	if (flags & __GFP_THISNODE)
		return NULL;

	for (;;) {
		for (i = 0; i < nr_node_ids; i++) {
			nid = (local + i) % nr_node_ids;
			if (!node_online(nid) || !get_node(cachep, nid) ||
			    !get_node(cachep, nid)->free_objects)
				continue;
			obj = ____cache_alloc_node(cachep, gfp_exact_node(flags),
						   nid);
			if (obj)
				return obj;
		}

		slab = cache_grow_begin(cachep, flags, numa_mem_id());
		if (!slab)
			return NULL;
		nid = slab_nid(slab);
		cache_grow_end(cachep, slab);

		/* Another CPU may take the new slab's objects before us. */
		obj = ____cache_alloc_node(cachep, gfp_exact_node(flags), nid);
		if (obj)
			return obj;
	}
}

static __always_inline void *__do_cache_alloc(struct toyslab_cache *cachep,
					      gfp_t flags, int nodeid,
					      bool *hit, const bool hooks)
{
	int slab_node = numa_mem_id();
	void *objp = NULL;

	*hit = false;
	if (nodeid == NUMA_NO_NODE) {
		objp = ____cache_alloc(cachep, flags, hit, hooks);
		nodeid = slab_node;
	} else if (nodeid == slab_node) {
		objp = ____cache_alloc(cachep, flags, hit, hooks);
	} else if (!get_node(cachep, nodeid)) {
		/* Not an online node of this cache. */
		return fallback_alloc(cachep, flags);
	}

	/* The local node may just have run out of memory. */
	if (!objp)
		objp = ____cache_alloc_node(cachep, flags, nodeid);
	return objp;
}

/* What an object gets on its way out, with interrupts on again. */
static __always_inline void slab_post_alloc(struct toyslab_cache *cachep,
					    gfp_t flags, void *objp)
{
	obj_mark_inuse(cachep, objp);
	toyslab_kasan_unpoison_object(cachep, objp);
	if (unlikely(slab_want_init_on_alloc(flags, cachep)))
		memset(objp, 0, cachep->object_size);
	kmemleak_alloc_recursive(objp, cachep->object_size, 1, cachep->flags,
				 flags);
}

/*
 * An allocation, with the hooks or without: @hooks is a constant in each
 * caller, so the compiler builds two copies.  slab_alloc_node() tries a
 * hit of its own before the copy without them.
 */
static __always_inline void *do_slab_alloc(struct toyslab_cache *cachep,
					   gfp_t flags, int nodeid,
					   unsigned long caller,
					   const bool hooks)
{
	unsigned long save_flags;
	bool hit;
	void *objp;

	if (hooks && unlikely(toyslab_should_failslab(cachep, flags))) {
		STATS_INC_ERR(cachep);
		return NULL;
	}

	do {
		local_irq_save(save_flags);
		objp = __do_cache_alloc(cachep, flags, nodeid, &hit, hooks);
		local_irq_restore(save_flags);
		/* Only debug caches check, and they hold the hooks on. */
		if (likely(!hooks || !objp || !cache_debug(cachep)))
			break;
		/* A corrupted object is quarantined: take another. */
		objp = toyslab_alloc_debugcheck(cachep, objp, caller);
	} while (!objp);

	prefetchw(objp);
	if (likely(objp))
		slab_post_alloc(cachep, flags, objp);
	if (hooks)
		toyslab_trace(alloc, cachep, caller, objp, flags, hit);
	return objp;
}

static noinline void *slab_alloc_node_hooked(struct toyslab_cache *cachep,
					     gfp_t flags, int nodeid,
					     unsigned long caller)
{
	might_alloc(flags);
	return do_slab_alloc(cachep, flags, nodeid, caller, true);
}

/* Without hooks nothing reads the caller (no check, no event): 0. */
static noinline void *slab_alloc_node_slow(struct toyslab_cache *cachep,
					   gfp_t flags, int nodeid)
{
	return do_slab_alloc(cachep, flags, nodeid, 0, false);
}

/*
 * What do_slab_alloc() does without hooks, from the pop on, for
 * slab_alloc_hit(): the array was empty, and interrupts are still off,
 * saved in @save_flags.  That is __do_cache_alloc() on no particular
 * node with ____cache_alloc()'s test of the array already made: the
 * miss, then the local node's slabs if the refill failed.
 */
static noinline void *slab_alloc_miss(struct toyslab_cache *cachep,
				      gfp_t flags, unsigned long save_flags)
{
	int slab_node = numa_mem_id();
	void *objp;

	objp = cache_alloc_miss(cachep, flags, false);
	if (!objp)
		objp = ____cache_alloc_node(cachep, flags, slab_node);
	local_irq_restore(save_flags);

	prefetchw(objp);
	if (likely(objp))
		slab_post_alloc(cachep, flags, objp);
	return objp;
}

/*
 * An allocation without hooks on no particular node.  With interrupts
 * off, the hit as ____cache_alloc() has it, the pop and its counts, and
 * nothing else; an empty array is a tail call to slab_alloc_miss(),
 * interrupts still off.  The slow path's calls all sit behind that one
 * tail call, so that the hit saves no register for them.
 */
static __always_inline void *slab_alloc_hit(struct toyslab_cache *cachep,
					    gfp_t flags)
{
	unsigned long save_flags;
	struct array_cache *ac;
	void *objp;

	local_irq_save(save_flags);
	ac = cpu_cache_get(cachep);
	if (unlikely(!ac->avail))
		return slab_alloc_miss(cachep, flags, save_flags);
	ac->touched = 1;
	objp = ac->entry[--ac->avail];
	STATS_INC_ALLOCHIT(cachep);
	kmemleak_erase(&ac->entry[ac->avail]);
	local_irq_restore(save_flags);

	prefetchw(objp);
	slab_post_alloc(cachep, flags, objp);
	return objp;
}

/*
 * The copy without hooks: slab_alloc_hit(), or, for a node asked for,
 * the slow path, which runs do_slab_alloc() from the top.
 */
static __always_inline void *slab_alloc_node_nohooks(struct toyslab_cache *cachep,
						     gfp_t flags, int nodeid)
{
	if (nodeid == NUMA_NO_NODE)
		return slab_alloc_hit(cachep, flags);
	return slab_alloc_node_slow(cachep, flags, nodeid);
}

/*
 * might_alloc() calls into the scheduler when the caller may sleep
 * (might_resched()): the registers kept across that call would cost
 * atomic allocations too, so a caller that may sleep has a copy apart.
 */
static noinline void *slab_alloc_node_may_sleep(struct toyslab_cache *cachep,
						gfp_t flags, int nodeid)
{
	might_alloc(flags);
	return slab_alloc_node_nohooks(cachep, flags, nodeid);
}

static __always_inline void *slab_alloc_node(struct toyslab_cache *cachep,
					     gfp_t flags, int nodeid,
					     unsigned long caller)
{
	if (unlikely(toyslab_hooks_wanted()))
		return slab_alloc_node_hooked(cachep, flags, nodeid, caller);
	if (gfpflags_allow_blocking(flags))
		return slab_alloc_node_may_sleep(cachep, flags, nodeid);
	might_alloc(flags);
	return slab_alloc_node_nohooks(cachep, flags, nodeid);
}

static __always_inline void *slab_alloc(struct toyslab_cache *cachep,
					gfp_t flags, unsigned long caller)
{
	return slab_alloc_node(cachep, flags, NUMA_NO_NODE, caller);
}

/**
 * __toyslab_alloc_node - toyslab_cache_alloc_node() for kmalloc.c
 * @cachep: the cache
 * @flags: gfp flags
 * @nodeid: the node, or NUMA_NO_NODE
 * @caller: whom SLAB_STORE_USER and the trace event name
 *
 * Context: any context, as allowed by @flags.
 * Return: the object, or NULL.
 */
void *__toyslab_alloc_node(struct toyslab_cache *cachep, gfp_t flags,
			   int nodeid, unsigned long caller)
{
	return slab_alloc_node(cachep, flags, nodeid, caller);
}

/**
 * toyslab_cache_alloc - allocate an object
 * @cachep: the cache to allocate from
 * @flags: gfp flags; they matter only when the cache must grow
 *
 * Context: any context, as allowed by @flags.
 * Return: the object, or NULL.
 */
void *toyslab_cache_alloc(struct toyslab_cache *cachep, gfp_t flags)
{
	return slab_alloc(cachep, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_cache_alloc);

/**
 * toyslab_cache_alloc_node - allocate an object on a given NUMA node
 * @cachep: the cache to allocate from
 * @flags: gfp flags; __GFP_THISNODE forbids falling back to other nodes
 * @nodeid: the node, or NUMA_NO_NODE for the local one
 *
 * Context: any context, as allowed by @flags.
 * Return: the object, or NULL.
 */
void *toyslab_cache_alloc_node(struct toyslab_cache *cachep, gfp_t flags,
			       int nodeid)
{
	if (unlikely(nodeid != NUMA_NO_NODE &&
		     (nodeid < 0 || nodeid >= nr_node_ids)))
		return NULL;
	return slab_alloc_node(cachep, flags, nodeid, _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_cache_alloc_node);

/**
 * free_block - put objects back into their slabs
 * @cachep: the cache
 * @objpp: the objects
 * @nr_objects: how many
 * @node: the node all of them belong to
 * @list: collects free slabs above free_limit, to be destroyed unlocked
 *
 * Context: list_lock of @node held, interrupts off.
 */
void free_block(struct toyslab_cache *cachep, void **objpp, int nr_objects,
		int node, struct list_head *list)
{
	struct toyslab_node *n = get_node(cachep, node);
	struct toyslab_slab *slab;
	int i;

	lockdep_assert_held(&n->list_lock);
	n->free_objects += nr_objects;

	for (i = 0; i < nr_objects; i++) {
		void *objp = clear_obj_pfmemalloc(objpp[i]);

		slab = virt_to_slab(objp);
		slab_put_obj(cachep, slab, objp);

		if (slab->active == 0) {
			list_move(&slab->slab_list, &n->slabs_free);
			n->free_slabs++;
		} else if (!list_is_last(&slab->slab_list, &n->slabs_partial)) {
			/*
			 * The tail of the partial list: the slab's other
			 * objects get the longest time to come back too.
			 * SLAB moves it there for every object; a batch
			 * often frees several of one slab in a row, and
			 * then the slab is there already.
			 */
			list_move_tail(&slab->slab_list, &n->slabs_partial);
		}
	}
	atomic_long_sub(nr_objects, &cachep->stats.num_active);

	/* Keep at most free_limit free objects in slabs on this node. */
	while (n->free_objects > n->free_limit && !list_empty(&n->slabs_free)) {
		n->free_objects -= cachep->num;

		slab = list_last_entry(&n->slabs_free, struct toyslab_slab,
				       slab_list);
		list_move(&slab->slab_list, list);
		n->free_slabs--;
		n->total_slabs--;
	}
}

/*
 * max_freeable: the most free slabs a node had after a flush.  SLAB
 * counts them on the list; free_slabs is the same count, kept in step
 * with the list wherever list_lock is dropped.
 */
static void stats_set_freeable(struct toyslab_cache *cachep,
			       struct toyslab_node *n)
{
	lockdep_assert_held(&n->list_lock);
	STATS_SET_FREEABLE(cachep, n->free_slabs);
}

/*
 * This CPU's array is full: move its oldest batch out of the way.  Out of
 * line, so that its list head and locals cost the free fast path no stack
 * frame.
 */
static noinline void cache_flusharray(struct toyslab_cache *cachep,
				      struct array_cache *ac)
{
	int batchcount = ac->batchcount;
	int node = numa_mem_id();
	struct toyslab_node *n;
	LIST_HEAD(list);

	lockdep_assert_irqs_disabled();
	n = get_node(cachep, node);
	spin_lock(&n->list_lock);
	if (n->shared) {
		struct array_cache *shared_array = n->shared;
		int max = shared_array->limit - shared_array->avail;

		if (max) {
			if (batchcount > max)
				batchcount = max;
			memcpy(&shared_array->entry[shared_array->avail],
			       ac->entry, sizeof(void *) * batchcount);
			shared_array->avail += batchcount;
			toyslab_trace(flush, cachep, true, batchcount);
			goto free_done;
		}
	}

	free_block(cachep, ac->entry, batchcount, node, &list);
	toyslab_trace(flush, cachep, false, batchcount);
free_done:
	stats_set_freeable(cachep, n);
	spin_unlock(&n->list_lock);
	ac->avail -= batchcount;
	memmove(ac->entry, &ac->entry[batchcount], sizeof(void *) * ac->avail);
	slabs_destroy(cachep, &list);
}

/* @objp is on top of @ac already. */
static __always_inline bool obj_on_top(struct array_cache *ac, void *objp)
{
	return ac->avail &&
	       clear_obj_pfmemalloc(ac->entry[ac->avail - 1]) == objp;
}

/*
 * A trivial double free: @objp is already on top of this array.  SLAB
 * checks this under CONFIG_SLAB_FREELIST_HARDENED, which Debian sets.
 */
static __always_inline bool double_free_on_top(struct toyslab_cache *cachep,
					       struct array_cache *ac,
					       void *objp)
{
	if (likely(!obj_on_top(ac, objp)))
		return false;

	toyslab_report_double_free(cachep, objp);
	return true;
}

/*
 * Put @buf, the buffer of the user's @objp, into this CPU's array; with
 * @hooks, as in do_slab_alloc(), report it to the trace event.
 */
static __always_inline void ___cache_free(struct toyslab_cache *cachep,
					  void *buf, void *objp,
					  unsigned long caller,
					  const bool hooks)
{
	struct array_cache *ac = cpu_cache_get(cachep);
	bool hit;

	lockdep_assert_irqs_disabled();

	/*
	 * Only a NUMA machine can free an object on the wrong node, and a
	 * global is cheaper to test than the object's page.
	 */
	if (nr_online_nodes > 1 && cache_free_alien(cachep, buf))
		return;

	hit = ac->avail < ac->limit;
	if (hit) {
		STATS_INC_FREEHIT(cachep);
	} else {
		STATS_INC_FREEMISS(cachep);
		cache_flusharray(cachep, ac);
	}

	/* Like SLAB, after counting: a flush keeps the top of the array. */
	if (unlikely(double_free_on_top(cachep, ac, buf)))
		return;

	/* As in ____cache_alloc(): no reserve objects without the hooks. */
	if (hooks)
		ac_put_obj(cachep, ac, buf);
	else
		ac->entry[ac->avail++] = buf;
	if (hooks)
		toyslab_trace(free, cachep, caller, objp, hit);
}

/*
 * What @objp goes through before it is pushed: the checks of a debug
 * cache (with @hooks), its in-use bit, zeroing, kmemleak and KASAN.
 * @checked: toyslab_kfree() found @objp in use and cleared its bit
 * already; toyslab_cache_free() trusts its caller, as SLAB does.
 * Returns the buffer to push, or NULL if @objp failed the checks.
 */
static __always_inline void *cache_free_prepare(struct toyslab_cache *cachep,
						void *objp,
						unsigned long caller,
						const bool hooks,
						const bool checked)
{
	void *buf = objp;

	/* A pointer that fails the checks must not be touched, nor tracked. */
	if (hooks && cache_debug(cachep)) {
		buf = toyslab_free_debugcheck(cachep, objp, caller);
		if (!buf)
			return NULL;
	}
	if (!checked)
		obj_mark_free(cachep, objp);

	if (unlikely(slab_want_init_on_free(cachep)))
		memset(objp, 0, cachep->object_size);
	kmemleak_free_recursive(objp, cachep->flags);
	toyslab_kasan_poison_object(cachep, objp);
	return buf;
}

static __always_inline void __cache_free(struct toyslab_cache *cachep,
					 void *objp, unsigned long caller,
					 const bool hooks, const bool checked)
{
	void *buf = cache_free_prepare(cachep, objp, caller, hooks, checked);

	if (buf)
		___cache_free(cachep, buf, objp, caller, hooks);
}

/* The free with hooks; cache_free() is the one without. */
static noinline void cache_free_hooked(struct toyslab_cache *cachep,
				       void *objp, unsigned long caller,
				       const bool checked)
{
	unsigned long flags;

	local_irq_save(flags);
	/* debug_check_no_obj_freed() is not exported: debugobjects cannot help. */
	debug_check_no_locks_freed(objp, cachep->object_size);
	__cache_free(cachep, objp, caller, true, checked);
	local_irq_restore(flags);
}

/*
 * The rest of ___cache_free() without hooks, for cache_free(): @objp is
 * prepared, and interrupts are off, saved in @flags.
 */
static noinline void cache_free_slow(struct toyslab_cache *cachep, void *objp,
				     unsigned long flags)
{
	___cache_free(cachep, objp, objp, 0, false);
	local_irq_restore(flags);
}

/*
 * The free without hooks, shaped as slab_alloc_hit() shapes the
 * allocation: @objp prepared with interrupts on; with them off, the push
 * onto this CPU's array and its count, if that is all ___cache_free()
 * would do (one online node, room in the array, @objp not on top
 * already), and nothing else.  Anything else is a tail call to
 * cache_free_slow(), interrupts still off.
 */
static __always_inline void cache_free(struct toyslab_cache *cachep,
				       void *objp, const bool checked)
{
	struct array_cache *ac;
	unsigned long flags;

	debug_check_no_locks_freed(objp, cachep->object_size);
	cache_free_prepare(cachep, objp, 0, false, checked);

	local_irq_save(flags);
	ac = cpu_cache_get(cachep);
	if (unlikely(nr_online_nodes > 1 || ac->avail >= ac->limit ||
		     obj_on_top(ac, objp)))
		return cache_free_slow(cachep, objp, flags);
	ac->entry[ac->avail++] = objp;
	STATS_INC_FREEHIT(cachep);
	local_irq_restore(flags);
}

/**
 * toyslab_cache_free - give an object back to its cache
 * @cachep: the cache it was allocated from
 * @objp: the object; NULL is ignored
 *
 * Context: any context.
 */
void toyslab_cache_free(struct toyslab_cache *cachep, void *objp)
{
	if (unlikely(!objp))
		return;

	if (unlikely(toyslab_hooks_wanted()))
		cache_free_hooked(cachep, objp, _RET_IP_, false);
	else
		cache_free(cachep, objp, false);
}
EXPORT_SYMBOL_GPL(toyslab_cache_free);

/**
 * toyslab_cache_alloc_lru - allocate an object that will go on a list_lru
 * @cachep: the cache to allocate from
 * @lru: the list_lru the caller will add the object to, or NULL
 * @flags: gfp flags, as for toyslab_cache_alloc()
 *
 * SLAB hands @lru to its memcg hook: for a caller charged to a memory
 * cgroup, it makes sure @lru has that cgroup's list before the object
 * exists.  toyslab charges no cgroup: the pages of its slabs are
 * allocated without __GFP_ACCOUNT, and a module cannot mark them as slab
 * pages, so the kernel finds no cgroup for their objects.  list_lru_add()
 * of 6.1 and list_lru_add_obj() of 6.12 then use @lru's list of the
 * object's node, which exists from list_lru_init() on: there is nothing
 * to prepare, and @lru is not used.
 *
 * Context: any context, as allowed by @flags.
 * Return: the object, or NULL.
 */
void *toyslab_cache_alloc_lru(struct toyslab_cache *cachep,
			      struct list_lru *lru, gfp_t flags)
{
	return slab_alloc(cachep, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_cache_alloc_lru);

/*
 * The bulk calls take every object through the paths of the single ones,
 * in their copy with hooks, whatever toyslab_hooks_users says: a bulk call
 * is long, the hooks may come on while it runs, and the careful pop and
 * push of ac_get_obj() and ac_put_obj() must then see reserve objects.
 * Each hook still runs only on its own condition: the checks in debug
 * caches, the trace events while their gates are open.
 */

/* Free @nr objects of @p, in order, with interrupts off throughout. */
static void do_free_bulk(struct toyslab_cache *cachep, size_t nr, void **p,
			 unsigned long caller)
{
	unsigned long flags;
	size_t i;

	local_irq_save(flags);
	for (i = 0; i < nr; i++) {
		/* A NULL entry is skipped, as toyslab_cache_free() skips it. */
		if (unlikely(!p[i]))
			continue;
		debug_check_no_locks_freed(p[i], cachep->object_size);
		__cache_free(cachep, p[i], caller, true, false);
	}
	local_irq_restore(flags);
}

/*
 * One object for a bulk allocation, interrupts off.  A debug cache's
 * check quarantines a corrupted object, and the next one is taken, as
 * do_slab_alloc() does.  SLAB of 6.1 checks all the objects once
 * interrupts are back on; it has no quarantine, and keeps what it found.
 */
static void *bulk_alloc_one(struct toyslab_cache *cachep, gfp_t flags,
			    unsigned long caller)
{
	bool hit;
	void *objp;

	do {
		objp = __do_cache_alloc(cachep, flags, NUMA_NO_NODE, &hit, true);
		if (likely(!objp || !cache_debug(cachep)))
			break;
		objp = toyslab_alloc_debugcheck(cachep, objp, caller);
	} while (!objp);

	if (objp)
		obj_mark_inuse(cachep, objp);
	toyslab_trace(alloc, cachep, caller, objp, flags, hit);
	return objp;
}

/*
 * What slab_post_alloc_hook() does for each object, with interrupts on:
 * KASAN and kmemleak learn of it, and @init zeroes it.
 */
static void bulk_post_alloc(struct toyslab_cache *cachep, gfp_t flags,
			    size_t nr, void **p, bool init)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		toyslab_kasan_unpoison_object(cachep, p[i]);
		if (init)
			memset(p[i], 0, cachep->object_size);
		kmemleak_alloc_recursive(p[i], cachep->object_size, 1,
					 cachep->flags, flags);
	}
}

/**
 * toyslab_cache_alloc_bulk - allocate several objects at once
 * @cachep: the cache to allocate from
 * @flags: gfp flags, as for toyslab_cache_alloc()
 * @nr: how many objects
 * @p: an array of @nr pointers, to receive them
 *
 * Like kmem_cache_alloc_bulk() of SLAB in 6.1: fault injection asks once
 * for the whole call, then every object comes from __do_cache_alloc()
 * with interrupts off throughout, so each is counted as a single
 * allocation would be (ALLOCHIT or ALLOCMISS, refills, grows).  If one
 * cannot be had, those taken are freed again, as toyslab_cache_free_bulk()
 * frees them, and nothing is handed out.  Zeroing (__GFP_ZERO,
 * init_on_alloc) follows for all of them, with interrupts on.  Unlike
 * 6.1, which disables and enables interrupts, toyslab saves and restores
 * them, so a caller may have them off, with @flags that do not sleep.
 *
 * Context: any context, as allowed by @flags.
 * Return: @nr, with the objects in @p[0] to @p[@nr - 1]; or 0, with
 * nothing allocated.
 */
int toyslab_cache_alloc_bulk(struct toyslab_cache *cachep, gfp_t flags,
			     size_t nr, void **p)
{
	unsigned long save_flags;
	size_t i;

	might_alloc(flags);
	if (unlikely(toyslab_hooks_wanted()) &&
	    unlikely(toyslab_should_failslab(cachep, flags))) {
		STATS_INC_ERR(cachep);
		return 0;
	}

	local_irq_save(save_flags);
	for (i = 0; i < nr; i++) {
		p[i] = bulk_alloc_one(cachep, flags, _RET_IP_);
		if (unlikely(!p[i]))
			goto error;
	}
	local_irq_restore(save_flags);

	bulk_post_alloc(cachep, flags, nr, p,
			slab_want_init_on_alloc(flags, cachep));
	return nr;

error:
	local_irq_restore(save_flags);
	bulk_post_alloc(cachep, flags, i, p, false);
	do_free_bulk(cachep, i, p, _RET_IP_);
	return 0;
}
EXPORT_SYMBOL_GPL(toyslab_cache_alloc_bulk);

/**
 * toyslab_cache_free_bulk - give several objects back to their cache
 * @cachep: the cache they were allocated from
 * @nr: how many objects
 * @p: the objects; NULL entries are skipped
 *
 * Like kmem_cache_free_bulk() of SLAB in 6.1: interrupts off throughout,
 * and every object, in the order of @p, takes the path of
 * toyslab_cache_free() (the checks of a debug cache, FREEHIT or
 * FREEMISS, flushes, the alien cache of its node on a NUMA machine).
 *
 * Context: any context.
 */
void toyslab_cache_free_bulk(struct toyslab_cache *cachep, size_t nr,
			     void **p)
{
	do_free_bulk(cachep, nr, p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(toyslab_cache_free_bulk);

/**
 * __toyslab_free_checked - free an object toyslab_kfree() vetted
 * @cachep: its cache
 * @objp: the object: of a tracked cache, found in use and marked free;
 *	of an untracked one, found to be an object
 * @caller: whom SLAB_STORE_USER and the trace event name
 *
 * Context: any context.
 */
void __toyslab_free_checked(struct toyslab_cache *cachep, void *objp,
			    unsigned long caller)
{
	if (unlikely(toyslab_hooks_wanted()))
		cache_free_hooked(cachep, objp, caller, true);
	else
		cache_free(cachep, objp, true);
}
