/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structures and helpers shared by the files of toyslab.ko.
 *
 * The names follow mm/slab.c and mm/slab.h of Linux 6.1 wherever a student
 * will look for them there: struct array_cache, struct toyslab_node for
 * struct kmem_cache_node, struct toyslab_slab for struct slab.
 */
#ifndef _TOYSLAB_INTERNAL_H
#define _TOYSLAB_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/cache.h>
#include <linux/jump_label.h>
#include <linux/kasan.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reciprocal_div.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "compat.h"
#include "toyslab.h"

/*
 * Constants of SLAB in 6.1 on x86_64.  The module is built against a SLUB
 * kernel, whose <linux/slab.h> gives other values, so they are spelled out.
 */
#define BYTES_PER_WORD		sizeof(void *)
#define BATCHREFILL_LIMIT	16
#define BOOT_CPUCACHE_ENTRIES	1
/* kmalloc's smallest size under SLAB is 32, so SLAB_OBJ_MIN_SIZE is 16. */
#define TOYSLAB_OBJ_MIN_SIZE	16
/*
 * PAGE_SIZE / TOYSLAB_OBJ_MIN_SIZE objects fit a byte-sized index, so a
 * freelist entry (SLAB's freelist_idx_t) is a u8.
 */
#define SLAB_OBJ_MAX_NUM	U8_MAX
/* SLAB's KMALLOC_MAX_ORDER: the largest slab is 4 MiB. */
#define TOYSLAB_MAX_ORDER	10
#define TOYSLAB_MAX_SIZE	(PAGE_SIZE << TOYSLAB_MAX_ORDER)
/* Bounds on retuning through debugfs: a per-CPU array fits a percpu unit. */
#define TOYSLAB_MAX_LIMIT	2048
#define TOYSLAB_MAX_SHARED	64
/* Longest cache name debugfs accepts. */
#define TOYSLAB_NAME_MAX	31
/* The per-cache debugging options; SLAB caps such caches' limit at 32. */
#define TOYSLAB_DEBUG_FLAGS	(SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER)
#define TOYSLAB_DEBUG_LIMIT	32
#define SLAB_MAX_ORDER_HI	1
#define SLAB_MAX_ORDER_LO	0

/* Where a slab keeps its freelist (the CFLGS_* flags of mm/slab.c). */
enum toyslab_freelist {
	FREELIST_OBJ,		/* in one of the slab's own free objects */
	FREELIST_ON_SLAB,	/* at the end of the slab's pages */
	FREELIST_OFF_SLAB,	/* in a separate kmalloc()ed buffer */
};

/* Masks private to mm/, which a module cannot include. */
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
			  __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
			  __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC | \
			  COMPAT_GFP_ATOMIC | __GFP_NOLOCKDEP)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)
/* gfp bits that make no sense for a slab allocator */
#define GFP_SLAB_BAD_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

/*
 * struct array_cache - a LIFO stack of free objects: per CPU, and shared
 * per node.  Exactly SLAB's layout, so the two can be read side by side.
 */
struct array_cache {
	unsigned int avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int touched;
	void *entry[];
};

/*
 * The batchcount of shared and alien arrays, which nothing reads: objects
 * move in and out of a shared array by the batchcount of the per-CPU
 * array on the other side, and an alien array is always emptied whole.
 * SLAB's marker, kept: code that used it by mistake would move some three
 * billion objects, and a dump shows it at a glance.
 */
#define BATCHCOUNT_UNUSED	0xbaadf00d

/* Objects freed on one node that belong to another wait here. */
struct alien_cache {
	spinlock_t lock;		/* protects ac */
	struct array_cache ac;
};

/*
 * struct toyslab_slab - one slab: a run of 2^gfporder pages cut into objects.
 *
 * As 6.1's struct slab, it is the slab's head struct page under other
 * names.  toyslab owns the page only as any caller of alloc_pages() does,
 * so it uses only the fields such an owner may: lru, index and private.
 * flags, _refcount, _mapcount and memcg_data stay the kernel's, and
 * mapping stays NULL, so that the kernel's page walkers see an ordinary
 * page with an owner.  The static_asserts after it hold it to struct page.
 */
struct toyslab_slab {
	unsigned long __page_flags;
	union {				/* page->lru */
		struct list_head slab_list;	/* on slabs_partial, _full or _free */
		struct rcu_head rcu;	/* SLAB_TYPESAFE_BY_RCU: off every list */
	};
	void *__page_mapping;		/* NULL */
	union {				/* page->index */
		void *freelist;		/* u8[num], see above: untracked caches */
		struct toyslab_slab_ext *ext;	/* tracked caches */
	};
	/* page->private: */
	u16 cache_id;			/* toyslab_cache_of() turns it to the cache */
	/*
	 * The objects start colour * colour_off bytes in: colour_off is at
	 * least a cache line, and the colour is less than the largest slab
	 * divided by it (the static_assert below).
	 */
	u16 colour;
	u8 active;			/* objects handed out of this slab */
	bool pfmemalloc;		/* built from the page reserves */
	/*
	 * Its number in the cache's grow order, modulo 65536: only the
	 * debugfs views show it.
	 */
	u16 id;
};

#define SLAB_MATCH(pg, sl)						\
	static_assert(offsetof(struct page, pg) == offsetof(struct toyslab_slab, sl))
SLAB_MATCH(flags, __page_flags);
SLAB_MATCH(lru, slab_list);
SLAB_MATCH(mapping, __page_mapping);
SLAB_MATCH(index, freelist);
SLAB_MATCH(private, cache_id);
#undef SLAB_MATCH
static_assert(offsetofend(struct toyslab_slab, id) <=
	      offsetofend(struct page, private));
/* A slab holds at most 255 objects: 'active' is a byte. */
static_assert(SLAB_OBJ_MAX_NUM <= U8_MAX);
static_assert(TOYSLAB_MAX_SIZE / L1_CACHE_BYTES <= U16_MAX + 1);

/*
 * struct toyslab_slab_ext - what a tracked cache keeps beside each slab.
 *
 * The kmalloc classes and the debug caches are tracked: toyslab_kfree()
 * and toyslab_ksize() must tell a freed object of theirs from a live one,
 * and debug.c quarantines their objects.  That takes a bit per object,
 * which struct page has no room for, so a tracked slab's page->index
 * points here, and its freelist pointer moves here too.  SLAB has no
 * such bits.
 */
struct toyslab_slab_ext {
	void *freelist;			/* as toyslab_slab.freelist */
	/*
	 * A bit per object, set while a user has it: from the allocation
	 * that hands it out to the free that takes it back.  Atomic bit
	 * operations, as two CPUs may hand out two objects of one slab at
	 * once.
	 */
	unsigned long inuse[BITS_TO_LONGS(SLAB_OBJ_MAX_NUM)];
	/*
	 * The objects debug.c quarantined, by index: only in the
	 * extensions of debug caches, which come from a kernel cache of
	 * their own (toyslab_slab_ext_debug), 32 bytes longer.  Not in the
	 * objects themselves, where the user who got them quarantined may
	 * still write; and here, so that no grow has one more allocation to
	 * fail.  SLAB has no quarantine.
	 */
	unsigned long quarantined[];
};

/* struct toyslab_node - SLAB's struct kmem_cache_node */
struct toyslab_node {
	spinlock_t list_lock;		/* guards every field above next_reap */
	struct list_head slabs_partial;	/* some objects out, some free */
	struct list_head slabs_full;	/* every object handed out */
	struct list_head slabs_free;	/* no object handed out */
	unsigned long total_slabs;	/* slabs on the three lists */
	unsigned long free_slabs;	/* of which on slabs_free */
	unsigned long free_objects;	/* free objects on the lists' slabs */
	unsigned int free_limit;	/* above it, free slabs go back */
	unsigned int colour_next;	/* colour of this node's next slab */
	struct array_cache *shared;	/* the node's array, or NULL */
	struct alien_cache **alien;	/* per other node: frees bound there */
	unsigned long next_reap;	/* jiffies; the reaper reads it unlocked */
	int free_touched;		/* a refill looked for a free slab */
};

/* The cpustat counters of /proc/slabinfo, kept per CPU: no shared atomic. */
struct toyslab_cpu_stats {
	unsigned long allochit;
	unsigned long allocmiss;
	unsigned long freehit;
	unsigned long freemiss;
};

/* The globalstat counters, all of them off the fast path. */
struct toyslab_stats {
	atomic_long_t num_active;	/* objects out of the slabs */
	atomic_long_t allocs;		/* SLAB's num_allocations (listallocs) */
	atomic_long_t high_mark;
	atomic_long_t grown;
	atomic_long_t reaped;
	atomic_long_t errors;
	atomic_long_t max_freeable;
	atomic_long_t node_allocs;
	atomic_long_t node_frees;
	atomic_long_t node_overflow;
};

/*
 * What the debugfs 'ctl' file keeps for one cache.  Only ctl.c touches it;
 * the core goes through toyslab_ctl_stop() and its siblings.
 */
struct toyslab_ctl {
	struct mutex mutex;		/* one command at a time; guards the rest */
	bool dying;			/* being destroyed: commands say ENOENT */
	void **objs;			/* the objects it holds, newest last */
	unsigned long nr;
	unsigned long cap;
};

/*
 * struct toyslab_cache - SLAB's struct kmem_cache.
 *
 * Everything up to 'flags' is read by the fast paths.  Each field says what
 * keeps it: "fixed" fields are set while the cache is created, before it
 * is on toyslab_caches or anyone can reach it, and never change after.
 */
struct toyslab_cache {
	/*
	 * Replaced by a retune, under cpus_read_lock() and toyslab_mutex;
	 * the paths read it with interrupts off, which kick_all_cpus_sync()
	 * waits out before the old arrays go.  Each array is its CPU's,
	 * but for the exceptions slab.c's lock order lists.
	 */
	struct array_cache __percpu *cpu_cache;
	/* Fixed; each CPU counts in its own with interrupts off. */
	struct toyslab_cpu_stats __percpu *cpu_stats;

	/* 1) Cache tunables.  Written under toyslab_mutex by a retune. */
	unsigned int batchcount;
	unsigned int limit;
	unsigned int shared;

	/* Fixed, as is each field down to 'align' that says nothing else. */
	unsigned int size;		/* bytes per object, with padding */
	unsigned int obj_offset;	/* of the object in its buffer */
	/*
	 * Fixed: its slabs have a struct toyslab_slab_ext, and its objects
	 * in-use bits (the kmalloc classes and the debug caches).
	 */
	bool tracked;
	struct reciprocal_value reciprocal_buffer_size;
	slab_flags_t flags;
	unsigned int num;		/* objects per slab */
	enum toyslab_freelist freelist_type;
	u16 id;				/* fixed: in toyslab_cache_ids */

	/* 2) Slab growth and shrinking. */
	unsigned int gfporder;
	gfp_t allocflags;		/* added to every page allocation */
	size_t colour;			/* cache colouring range */
	unsigned int colour_off;	/* colour offset */
	unsigned int freelist_size;
	/* Fixed: the kmalloc class off-slab freelists come from. */
	struct toyslab_cache *freelist_cache;
	void (*ctor)(void *obj);

	/* 3) Cache creation and removal. */
	const char *name;
	struct list_head list;		/* on toyslab_caches: toyslab_mutex */
	unsigned int object_size;	/* what the user asked for */
	unsigned int align;
	bool user;			/* fixed: created through 'control' */
	bool kmalloc;			/* fixed: one of the kmalloc classes */
	/*
	 * Mark the next slab as from the reserves: set by 'ctl', cleared
	 * by the grow that takes it.  No lock: a one-shot test request.
	 */
	bool pfmemalloc_next;

	/*
	 * Debug objects found corrupted, back to their slabs at destroy;
	 * each is a bit in its slab extension's 'quarantined'.
	 */
	spinlock_t quarantine_lock;	/* keeps the count in step with them */
	unsigned long nr_quarantined;	/* under quarantine_lock */

	struct toyslab_stats stats;	/* atomics, no lock */

	struct toyslab_ctl ctl;		/* ctl.c's, under its own mutex */
	struct dentry *debugfs;		/* under cache_lifecycle_mutex */

	/*
	 * nr_node_ids entries.  A node's entry is set under toyslab_mutex
	 * and then stays until the cache is freed, so it is read with no
	 * lock; struct toyslab_node says what keeps its fields.
	 */
	struct toyslab_node *node[];
};

extern struct mutex toyslab_mutex;
extern struct list_head toyslab_caches;
extern int toyslab_slab_max_order;
extern bool toyslab_use_alien_caches;
extern atomic_long_t toyslab_pages;
extern struct kmem_cache *toyslab_slab_ext_cache;
extern struct kmem_cache *toyslab_debug_slab_ext_cache;
extern struct xarray toyslab_cache_ids;

static inline struct toyslab_node *get_node(struct toyslab_cache *cachep,
					    int node)
{
	return cachep->node[node];
}

static inline bool cache_debug(const struct toyslab_cache *cachep)
{
	return cachep->flags & TOYSLAB_DEBUG_FLAGS;
}

static inline struct array_cache *cpu_cache_get(struct toyslab_cache *cachep)
{
	return this_cpu_ptr(cachep->cpu_cache);
}

static inline struct toyslab_slab *page_slab(const struct page *page)
{
	return (struct toyslab_slab *)page;
}

static inline struct page *slab_page(const struct toyslab_slab *slab)
{
	return (struct page *)slab;
}

static inline struct toyslab_slab *virt_to_slab(const void *obj)
{
	return page_slab(virt_to_head_page(obj));
}

/*
 * The cache a slab belongs to.  Its id stays in toyslab_cache_ids until
 * the cache is freed, after its last slab, so a slab always finds it.
 */
static inline struct toyslab_cache *toyslab_cache_of(const struct toyslab_slab *slab)
{
	return xa_load(&toyslab_cache_ids, slab->cache_id);
}

/*
 * slabmap.c: which pages are toyslab's.  A bit per page frame, set on the
 * head page of every slab and of every large kmalloc allocation while
 * toyslab has it, so that any pointer can be asked about before anything
 * in its struct page is believed: the slab fields are toyslab's only on a
 * page whose bit is set.  The bits come in chunks of one page each (a
 * chunk covers 128 MiB), found by pfn in an array of chunk pointers.
 * A chunk exists for every page frame that was online when toyslab
 * loaded or came online later, before the page allocator could hand out
 * any of its pages; chunks and arrays are never freed while toyslab is
 * loaded, so the lookups take no lock.
 */
#define SLABMAP_CHUNK_SHIFT	(PAGE_SHIFT + 3)

struct toyslab_slabmap {
	unsigned long nr_chunks;
	struct toyslab_slabmap *retired;	/* the smaller one it replaced */
	unsigned long *chunk[];
};

extern struct toyslab_slabmap *toyslab_slabmap;

static inline unsigned long *slabmap_chunk(unsigned long pfn)
{
	/* Pairs with slabmap_cover()'s release: the copied chunks first. */
	const struct toyslab_slabmap *map = smp_load_acquire(&toyslab_slabmap);
	unsigned long i = pfn >> SLABMAP_CHUNK_SHIFT;

	return i < map->nr_chunks ? READ_ONCE(map->chunk[i]) : NULL;
}

/*
 * Mark the head page at @addr (its page_address()), which the page
 * allocator just gave toyslab, as toyslab's; false if no chunk maps it
 * (then toyslab must give the page back).  Its callers have the address
 * at hand, and the pfn from the direct map costs less than page_to_pfn()
 * on a kernel without a virtual memmap.
 */
static inline bool toyslab_slabmap_set(const void *addr)
{
	unsigned long pfn = PHYS_PFN(__pa(addr));
	unsigned long *chunk = slabmap_chunk(pfn);

	if (unlikely(!chunk))
		return false;
	set_bit(pfn & (BIT(SLABMAP_CHUNK_SHIFT) - 1), chunk);
	return true;
}

/* @head goes back to the page allocator: it is no longer toyslab's. */
static inline void toyslab_slabmap_clear(struct page *head)
{
	unsigned long pfn = page_to_pfn(head);

	clear_bit(pfn & (BIT(SLABMAP_CHUNK_SHIFT) - 1), slabmap_chunk(pfn));
}

struct page *toyslab_owned_page(const void *ptr);
bool toyslab_slabmap_test_and_clear(struct page *head);
int toyslab_slabmap_init(void);
void toyslab_slabmap_exit(void);

static inline int slab_nid(const struct toyslab_slab *slab)
{
	return page_to_nid(slab_page(slab));
}

/* The first object of @slab, whose pages start at @addr. */
static inline void *slab_s_mem_at(const struct toyslab_cache *cache,
				  const struct toyslab_slab *slab, void *addr)
{
	return addr + slab->colour * cache->colour_off;
}

/* The first object, after the colour: SLAB's slab->s_mem. */
static inline void *slab_s_mem(const struct toyslab_cache *cache,
			       const struct toyslab_slab *slab)
{
	return slab_s_mem_at(cache, slab, page_address(slab_page(slab)));
}

static inline void *index_to_obj(const struct toyslab_cache *cache,
				 const struct toyslab_slab *slab,
				 unsigned int idx)
{
	return slab_s_mem(cache, slab) + cache->size * idx;
}

/* offset / cache->size without a division, as SLAB does it */
static inline unsigned int obj_to_index(const struct toyslab_cache *cache,
					const struct toyslab_slab *slab,
					const void *obj)
{
	u32 offset = obj - slab_s_mem(cache, slab);

	return reciprocal_divide(offset, cache->reciprocal_buffer_size);
}

/*
 * A user got @objp (its address as the user sees it: the index is the
 * same as its buffer's); see toyslab_slab_ext.inuse.  Nothing to do in
 * an untracked cache: its fast paths do exactly SLAB's work.
 */
static __always_inline void obj_mark_inuse(struct toyslab_cache *cachep,
					   void *objp)
{
	struct toyslab_slab *slab;

	if (!cachep->tracked)
		return;
	slab = virt_to_slab(objp);
	set_bit(obj_to_index(cachep, slab, objp), slab->ext->inuse);
}

/* A user gave @objp back. */
static __always_inline void obj_mark_free(struct toyslab_cache *cachep,
					  void *objp)
{
	struct toyslab_slab *slab;

	if (!cachep->tracked)
		return;
	slab = virt_to_slab(objp);
	clear_bit(obj_to_index(cachep, slab, objp), slab->ext->inuse);
}

/* Where @slab's freelist pointer is: in the page, or in its extension. */
static inline void **slab_freelist(const struct toyslab_cache *cachep,
				   struct toyslab_slab *slab)
{
	return cachep->tracked ? &slab->ext->freelist : &slab->freelist;
}

static inline u8 get_free_obj(const struct toyslab_cache *cachep,
			      struct toyslab_slab *slab, unsigned int idx)
{
	return ((u8 *)*slab_freelist(cachep, slab))[idx];
}

static inline void set_free_obj(const struct toyslab_cache *cachep,
				struct toyslab_slab *slab, unsigned int idx,
				u8 val)
{
	((u8 *)*slab_freelist(cachep, slab))[idx] = val;
}

/* Hand out the next free object of @slab; the caller holds list_lock. */
static inline void *slab_get_obj(struct toyslab_cache *cachep,
				 struct toyslab_slab *slab)
{
	void *objp = index_to_obj(cachep, slab,
				  get_free_obj(cachep, slab, slab->active));

	slab->active++;
	return objp;
}

/* Take @objp back into @slab's freelist; the caller holds list_lock. */
static inline void slab_put_obj(struct toyslab_cache *cachep,
				struct toyslab_slab *slab, void *objp)
{
	unsigned int objnr = obj_to_index(cachep, slab, objp);
	void **freelist = slab_freelist(cachep, slab);

	slab->active--;
	/* A full objfreelist slab had no freelist: this object becomes it. */
	if (!*freelist)
		*freelist = objp + cachep->obj_offset;
	set_free_obj(cachep, slab, slab->active, objnr);
}

/*
 * Move @slab to the list its fill level says, after objects left it.  A
 * poisoned object that held a full slab's freelist is linked on @list, to
 * be poisoned again once list_lock is dropped.
 */
static inline void fixup_slab_list(struct toyslab_cache *cachep,
				   struct toyslab_node *n,
				   struct toyslab_slab *slab, void **list)
{
	list_del(&slab->slab_list);
	if (slab->active == cachep->num) {
		list_add(&slab->slab_list, &n->slabs_full);
		/* Its freelist was inside an object that is now handed out. */
		if (cachep->freelist_type == FREELIST_OBJ) {
			void **freelist = slab_freelist(cachep, slab);

			if (cachep->flags & SLAB_POISON) {
				void **objp = *freelist;

				*objp = *list;
				*list = objp;
			}
			*freelist = NULL;
		}
	} else {
		list_add(&slab->slab_list, &n->slabs_partial);
	}
}

/* Move up to @max objects from the top of @from to the top of @to. */
static inline int transfer_objects(struct array_cache *to,
				   struct array_cache *from, unsigned int max)
{
	int nr = min3(from->avail, max, to->limit - to->avail);

	if (!nr)
		return 0;

	memcpy(to->entry + to->avail, from->entry + from->avail - nr,
	       sizeof(void *) * nr);
	from->avail -= nr;
	to->avail += nr;
	return nr;
}

/* What SLAB's slab_want_init_on_free() decides. */
static inline bool slab_want_init_on_free(struct toyslab_cache *c)
{
	if (static_branch_maybe(CONFIG_INIT_ON_FREE_DEFAULT_ON, &init_on_free))
		return !(c->ctor ||
			 (c->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
	return false;
}

/*
 * KASAN, as SLAB's kasan hooks tell it: a new slab's pages are all red zone,
 * an object is unpoisoned (object_size bytes exactly) when it is handed out
 * and poisoned as free when it comes back, except in SLAB_TYPESAFE_BY_RCU
 * caches, whose freed objects may still be read.  The allocator's own
 * files are not instrumented (Kbuild), as mm/slab.c is not.  The shadow
 * values are KASAN_SLAB_REDZONE and KASAN_SLAB_FREE of mm/kasan/kasan.h.
 */
#define TOYSLAB_KASAN_REDZONE	0xFC
#define TOYSLAB_KASAN_FREE	0xFB
#ifdef KASAN_SHADOW_SCALE_SHIFT
#define TOYSLAB_KASAN_GRANULE	BIT(KASAN_SHADOW_SCALE_SHIFT)
#else
#define TOYSLAB_KASAN_GRANULE	8UL
#endif

static inline void toyslab_kasan_poison_slab(struct page *page,
					     unsigned int order)
{
	compat_kasan_poison(page_address(page), PAGE_SIZE << order,
			    TOYSLAB_KASAN_REDZONE);
}

static inline void toyslab_kasan_unpoison_object(struct toyslab_cache *c,
						 void *obj)
{
	size_t whole = round_down(c->object_size, TOYSLAB_KASAN_GRANULE);
	size_t tail = c->object_size - whole;

	compat_kasan_poison(obj, whole, 0);
	/* A partial granule's shadow byte says how many bytes are valid. */
	if (tail)
		compat_kasan_poison(obj + whole, TOYSLAB_KASAN_GRANULE, tail);
}

static inline void toyslab_kasan_poison_object(struct toyslab_cache *c,
					       void *obj)
{
	if (c->flags & SLAB_TYPESAFE_BY_RCU)
		return;
	compat_kasan_poison(obj,
			    round_up(c->object_size, TOYSLAB_KASAN_GRANULE),
			    TOYSLAB_KASAN_FREE);
}

/*
 * SLAB's STATS_* macros.  The per-CPU ones run with interrupts off; the
 * rest are atomics because nodes have separate locks.
 */
#define STATS_INC_ALLOCHIT(x)	this_cpu_inc((x)->cpu_stats->allochit)
#define STATS_INC_ALLOCMISS(x)	this_cpu_inc((x)->cpu_stats->allocmiss)
#define STATS_INC_FREEHIT(x)	this_cpu_inc((x)->cpu_stats->freehit)
#define STATS_INC_FREEMISS(x)	this_cpu_inc((x)->cpu_stats->freemiss)
#define STATS_INC_ALLOCED(x)	atomic_long_inc(&(x)->stats.allocs)
#define STATS_INC_GROWN(x)	atomic_long_inc_return(&(x)->stats.grown)
#define STATS_ADD_REAPED(x, y)	atomic_long_add(y, &(x)->stats.reaped)
#define STATS_INC_ERR(x)	atomic_long_inc(&(x)->stats.errors)
#define STATS_INC_NODEALLOCS(x)	atomic_long_inc(&(x)->stats.node_allocs)
#define STATS_INC_NODEFREES(x)	atomic_long_inc(&(x)->stats.node_frees)
#define STATS_INC_ACOVERFLOW(x)	atomic_long_inc(&(x)->stats.node_overflow)
#define STATS_DEC_ACTIVE(x)	atomic_long_dec(&(x)->stats.num_active)

/*
 * SLAB's high marks are unsigned long, and so is the comparison: its
 * num_active can go below zero (see ____cache_alloc_node()), and then
 * STATS_SET_HIGH() records the wrapped value.
 */
static inline void atomic_long_umax(atomic_long_t *v, long val)
{
	long old = atomic_long_read(v);

	while ((unsigned long)old < (unsigned long)val &&
	       !atomic_long_try_cmpxchg(v, &old, val))
		;
}

/* STATS_INC_ACTIVE and STATS_SET_HIGH in one step. */
static inline void stats_inc_active(struct toyslab_cache *cachep)
{
	long active = atomic_long_inc_return(&cachep->stats.num_active);

	atomic_long_umax(&cachep->stats.high_mark, active);
}

#define STATS_SET_FREEABLE(x, i) atomic_long_umax(&(x)->stats.max_freeable, i)

/* The per-CPU counters summed over every possible CPU. */
static inline void toyslab_cpu_stats_sum(struct toyslab_cache *cachep,
					 struct toyslab_cpu_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct toyslab_cpu_stats *st = per_cpu_ptr(cachep->cpu_stats, cpu);

		sum->allochit += READ_ONCE(st->allochit);
		sum->allocmiss += READ_ONCE(st->allocmiss);
		sum->freehit += READ_ONCE(st->freehit);
		sum->freemiss += READ_ONCE(st->freemiss);
	}
}

/* slabinfo's figures for one cache, as get_slabinfo() computes them. */
struct toyslab_slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned long shared_avail;
};

/* debug.c: SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER */
void toyslab_debug_layout(struct toyslab_cache *cachep, unsigned int *size,
			  slab_flags_t *flags);
unsigned int toyslab_debug_align(slab_flags_t flags, unsigned int *size);
void toyslab_init_objs_debug(struct toyslab_cache *cachep,
			     struct toyslab_slab *slab);
void toyslab_destroy_debugcheck(struct toyslab_cache *cachep,
				struct toyslab_slab *slab);
void toyslab_fixup_objfreelist_debug(struct toyslab_cache *cachep,
				     void **list);
void *toyslab_alloc_debugcheck(struct toyslab_cache *cachep, void *buf,
			       unsigned long caller);
void *toyslab_free_debugcheck(struct toyslab_cache *cachep, void *objp,
			      unsigned long caller);
void toyslab_report_double_free(struct toyslab_cache *cachep, void *objp);
void *toyslab_unquarantine(struct toyslab_cache *cachep,
			   struct toyslab_slab *slab);
void toyslab_quarantine_released(struct toyslab_cache *cachep,
				 unsigned long nr);
void toyslab_scribble_redzone(struct toyslab_cache *cachep, void *objp);
void toyslab_scribble_object(void *objp);

/* layout.c */
int toyslab_compute_layout(struct toyslab_cache *cachep, slab_flags_t flags);
const char *toyslab_freelist_name(const struct toyslab_cache *cachep);

/* alien.c: objects freed away from their home node */
struct alien_cache **alloc_alien_cache(int node, int limit, gfp_t gfp);
void free_alien_cache(struct alien_cache **alc_ptr);
void drain_alien_cache(struct toyslab_cache *cachep,
		       struct alien_cache **alien);
void reap_alien(struct toyslab_cache *cachep, struct toyslab_node *n,
		int node);
int cache_free_alien(struct toyslab_cache *cachep, void *objp);

/* slab.c: the allocation and free paths */
void *__toyslab_alloc_node(struct toyslab_cache *cachep, gfp_t flags,
			   int nodeid, unsigned long caller);
void __toyslab_free_checked(struct toyslab_cache *cachep, void *objp,
			    unsigned long caller);
void free_block(struct toyslab_cache *cachep, void **objpp, int nr_objects,
		int node, struct list_head *list);
void toyslab_hooks_get(void);
void toyslab_hooks_put(void);
extern atomic_t toyslab_hooks_users;

/* Does anything hold the hooks?  The one word the paths test first. */
static __always_inline bool toyslab_hooks_wanted(void)
{
	return atomic_read(&toyslab_hooks_users);
}

/*
 * pfmemalloc.c: objects of slabs built from the page reserves, as Linux
 * v3.6-v4.5 kept them.  An object of such a slab sits in an array with bit 0
 * of its pointer set while the 'memalloc_socks' switch is on.
 */
#define SLAB_OBJ_PFMEMALLOC	1

extern bool toyslab_pfmemalloc_active;
extern bool toyslab_memalloc_socks_ever;

/*
 * The stand-in for sk_memalloc_socks(): on once the switch was ever on.
 * A flag, not a static key as in the kernel: see toyslab_hooks_users in
 * slab.c.  The fast paths do not even read it: switching it on holds
 * the hooks, and they test it only in their copy with hooks.
 */
static __always_inline bool memalloc_socks(void)
{
	return READ_ONCE(toyslab_memalloc_socks_ever);
}

static inline bool is_obj_pfmemalloc(void *objp)
{
	return (unsigned long)objp & SLAB_OBJ_PFMEMALLOC;
}

static inline void *clear_obj_pfmemalloc(void *objp)
{
	return (void *)((unsigned long)objp & ~SLAB_OBJ_PFMEMALLOC);
}

/* What decides whether a caller may use the reserves, besides its flags. */
struct reserve_ctx {
	bool in_interrupt;	/* in_interrupt() */
	bool serving_softirq;	/* in_serving_softirq() */
	bool memalloc_task;	/* PF_MEMALLOC: reclaim itself, say */
	bool oom_victim;	/* tsk_is_oom_victim(): killed to free memory */
};

/*
 * gfp_pfmemalloc_allowed() of 6.1 (__gfp_pfmemalloc_flags()), as a pure
 * function of its inputs.  An OOM victim in task context gets ALLOC_OOM
 * there, part of the reserves, which is "allowed" all the same; v3.6-v4.5
 * let in a task with TIF_MEMDIE, its OOM victim mark, the same way.
 */
static inline bool reserves_allowed(gfp_t flags, const struct reserve_ctx *ctx)
{
	if (flags & __GFP_NOMEMALLOC)
		return false;
	if (flags & __GFP_MEMALLOC)
		return true;
	if (ctx->serving_softirq && ctx->memalloc_task)
		return true;
	if (ctx->in_interrupt)
		return false;
	return ctx->memalloc_task || ctx->oom_victim;
}

void *__ac_get_obj(struct toyslab_cache *cachep, struct array_cache *ac,
		   gfp_t flags, bool force_refill);
void *__ac_put_obj(struct toyslab_cache *cachep, struct array_cache *ac,
		   void *objp);
bool toyslab_memalloc_socks(void);
int toyslab_set_memalloc_socks(bool on);

/* Pop from @ac, which is not empty; NULL if nothing in it is for @flags. */
static __always_inline void *ac_get_obj(struct toyslab_cache *cachep,
					struct array_cache *ac, gfp_t flags,
					bool force_refill)
{
	if (unlikely(memalloc_socks()))
		return __ac_get_obj(cachep, ac, flags, force_refill);

	return ac->entry[--ac->avail];
}

/* Push @objp onto @ac, which has room, tagged if need be. */
static __always_inline void ac_put_obj(struct toyslab_cache *cachep,
				       struct array_cache *ac, void *objp)
{
	if (unlikely(memalloc_socks()))
		objp = __ac_put_obj(cachep, ac, objp);

	ac->entry[ac->avail++] = objp;
}

/* trace.c: the trace events' gates, see toyslab_trace() */
extern bool toyslab_tracing_alloc, toyslab_tracing_free;
extern bool toyslab_tracing_refill, toyslab_tracing_flush;
extern bool toyslab_tracing_grow, toyslab_tracing_reap;
int toyslab_alloc_reg(void);
void toyslab_alloc_unreg(void);
int toyslab_free_reg(void);
void toyslab_free_unreg(void);
int toyslab_refill_reg(void);
void toyslab_refill_unreg(void);
int toyslab_flush_reg(void);
void toyslab_flush_unreg(void);
int toyslab_grow_reg(void);
void toyslab_grow_unreg(void);
int toyslab_reap_reg(void);
void toyslab_reap_unreg(void);

/* grow.c: getting slabs from and giving them back to the page allocator */
/*
 * The references a slab's head page has while it is a slab: the page
 * allocator's, and one of toyslab's own.  A module cannot mark its pages
 * PageSlab, so the kernel's kfree(), handed a toyslab object (by code
 * outside a file built with toyslab_dropin.h), takes it for a large
 * kmalloc allocation and puts the page: the extra reference keeps that
 * from freeing a slab still in use, and its loss is what toyslab reports
 * when the cache is destroyed.  SLAB needs no such thing.
 */
#define TOYSLAB_SLAB_PAGE_REFS	2

struct toyslab_slab *cache_grow_begin(struct toyslab_cache *cachep,
				      gfp_t flags, int nodeid);
void cache_grow_end(struct toyslab_cache *cachep, struct toyslab_slab *slab);
void slabs_destroy(struct toyslab_cache *cachep, struct list_head *list);
void slab_destroy(struct toyslab_cache *cachep, struct toyslab_slab *slab);

/* reap.c: draining arrays and reaping free slabs */
unsigned long toyslab_reaptimeout_node(void);
int __cache_shrink(struct toyslab_cache *cachep);
int drain_array_locked(struct toyslab_cache *cachep, struct array_cache *ac,
		       int node, bool free_all, struct list_head *list);
int drain_freelist(struct toyslab_cache *cachep, struct toyslab_node *n,
		   int tofree);
void drain_this_cpu(struct toyslab_cache *cachep);
void drain_cpu_caches(struct toyslab_cache *cachep);
void toyslab_reap_cache_now(struct toyslab_cache *cachep);
unsigned int toyslab_reap_interval(void);
int toyslab_set_reap_interval(unsigned int ms);
int toyslab_reaper_online_cpu(unsigned int cpu);
int toyslab_reaper_offline_cpu(unsigned int cpu);
void toyslab_reaper_init(void);
int toyslab_shrinker_init(void);
void toyslab_shrinker_exit(void);

/* kmalloc.c: the kmalloc classes */
struct toyslab_cache *toyslab_kmalloc_slab(size_t size, gfp_t flags);
int toyslab_kmalloc_init(void);
void toyslab_kmalloc_exit(void);
unsigned long toyslab_kmalloc_large_pages(void);
unsigned long toyslab_bad_pointers(void);

/* cache.c: creation, tuning, hotplug and destruction */
int do_tune_cpucache(struct toyslab_cache *cachep, int limit, int batchcount,
		     int shared, gfp_t gfp);
int toyslab_tune(const char *name, int limit, int batchcount, int shared);
struct toyslab_cache *toyslab_create_kmalloc_cache(const char *name,
						   unsigned int size,
						   slab_flags_t flags);
int toyslab_create_user_cache(const char *name, unsigned int size,
			      unsigned int align, slab_flags_t flags,
			      void (*ctor)(void *));
int toyslab_destroy_user_cache(const char *name);
void toyslab_get_slabinfo(struct toyslab_cache *cachep,
			  struct toyslab_slabinfo *info);
struct toyslab_cache *toyslab_find_cache(const char *name);
bool toyslab_valid_name(const char *name);
int toyslab_cpuhp_init(void);
void toyslab_cpuhp_exit(void);
void toyslab_destroy_all(void);

/* fail.c: fault injection */
bool toyslab_should_failslab(struct toyslab_cache *cachep, gfp_t gfp);
bool toyslab_should_fail_page(struct toyslab_cache *cachep);
const char *toyslab_fail_knob_name(unsigned int i);
int toyslab_fail_knob_get(unsigned int i);
int toyslab_fail_knob_set(unsigned int i, int val);
void toyslab_fail_cache_get(char *buf, size_t size);
void toyslab_fail_cache_set(const char *name);

/* ctl.c: the debugfs commands, and what they keep per cache */
void toyslab_ctl_init(struct toyslab_cache *cachep);
int toyslab_ctl_stop(struct toyslab_cache *cachep);
void toyslab_ctl_restart(struct toyslab_cache *cachep);
void toyslab_ctl_release(struct toyslab_cache *cachep);
void toyslab_ctl_exit(struct toyslab_cache *cachep);
void toyslab_ctl_debugfs_add(struct dentry *dir, struct toyslab_cache *cachep);
void toyslab_ctl_debugfs_init(struct dentry *root);
void toyslab_ctl_kmalloc_release(void);

/* debugfs.c: the views and knobs */
int toyslab_debugfs_init(void);
void toyslab_debugfs_exit(void);
void toyslab_debugfs_add_cache(struct toyslab_cache *cachep);
void toyslab_debugfs_remove_cache(struct toyslab_cache *cachep);

/* views.c: debugfs caches/NAME/arrays, slabs and map */
void toyslab_views_add(struct toyslab_cache *cachep, struct dentry *dir);

#endif /* _TOYSLAB_INTERNAL_H */
