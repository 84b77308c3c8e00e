// SPDX-License-Identifier: GPL-2.0
/*
 * A cache's life: creation, tuning of its arrays (enable_cpucache and
 * do_tune_cpucache), CPU hotplug, and destruction.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"
#include "internal.h"

/* Protects the cache list, tunables and node arrays; see slab.c. */
DEFINE_MUTEX(toyslab_mutex);
LIST_HEAD(toyslab_caches);

/*
 * Every cache by its id, which its slabs keep in their head page: ids
 * from 1, as a page whose id is 0 is a large kmalloc allocation.
 */
DEFINE_XARRAY_ALLOC1(toyslab_cache_ids);
/* For toyslab_cache_of() in the KUnit suite, which is no part of the API. */
EXPORT_SYMBOL_NS_GPL(toyslab_cache_ids, TOYSLAB_KUNIT);

/*
 * Held from the start to the end of every creation and destruction, so
 * that the two never interleave: a cache is found by name only once its
 * hooks and debugfs directory exist, and its name is free again only once
 * that directory is gone.  Outside toyslab_mutex, which debugfs readers
 * take while debugfs_remove() waits for them.
 */
static DEFINE_MUTEX(cache_lifecycle_mutex);

static void kmem_cache_node_init(struct toyslab_node *n)
{
	INIT_LIST_HEAD(&n->slabs_full);
	INIT_LIST_HEAD(&n->slabs_partial);
	INIT_LIST_HEAD(&n->slabs_free);
	n->total_slabs = 0;
	n->free_slabs = 0;
	n->shared = NULL;
	n->alien = NULL;
	n->colour_next = 0;
	spin_lock_init(&n->list_lock);
	n->free_objects = 0;
	n->free_touched = 0;
}

/* Free objects a node keeps in its slabs before giving slabs back. */
static unsigned int node_free_limit(struct toyslab_cache *cachep, int node)
{
	return (1 + nr_cpus_node(node)) * cachep->batchcount + cachep->num;
}

/* Make sure @node has its toyslab_node; refresh its free_limit. */
static int init_cache_node(struct toyslab_cache *cachep, int node, gfp_t gfp)
{
	struct toyslab_node *n = get_node(cachep, node);

	if (n) {
		spin_lock_irq(&n->list_lock);
		n->free_limit = node_free_limit(cachep, node);
		spin_unlock_irq(&n->list_lock);
		return 0;
	}

	n = kmalloc_node(sizeof(*n), gfp, node);
	if (!n)
		return -ENOMEM;

	kmem_cache_node_init(n);
	/* Spread the caches' node reaps over one period. */
	n->next_reap = jiffies + toyslab_reaptimeout_node() +
		       ((unsigned long)cachep) % toyslab_reaptimeout_node();
	n->free_limit = node_free_limit(cachep, node);
	cachep->node[node] = n;
	return 0;
}

static struct array_cache *alloc_arraycache(int node, int entries, gfp_t gfp)
{
	struct array_cache *ac;

	ac = kmalloc_node(struct_size(ac, entry, entries), gfp, node);
	if (!ac)
		return NULL;

	/* Its stale pointers must not keep freed objects alive for kmemleak. */
	kmemleak_no_scan(ac);
	ac->avail = 0;
	ac->limit = entries;
	ac->batchcount = BATCHCOUNT_UNUSED;
	ac->touched = 0;
	return ac;
}

/*
 * Give @node its shared and alien arrays.  With @force_change the shared
 * array is replaced (retuning); otherwise only a missing one is added.
 */
static int setup_kmem_cache_node(struct toyslab_cache *cachep, int node,
				 gfp_t gfp, bool force_change)
{
	struct array_cache *old_shared = NULL, *new_shared = NULL;
	struct alien_cache **new_alien = NULL;
	struct toyslab_node *n;
	LIST_HEAD(list);
	int ret = -ENOMEM;

	if (toyslab_use_alien_caches) {
		new_alien = alloc_alien_cache(node, cachep->limit, gfp);
		if (!new_alien)
			goto fail;
	}

	if (cachep->shared) {
		new_shared = alloc_arraycache(node,
					      cachep->shared * cachep->batchcount,
					      gfp);
		if (!new_shared)
			goto fail;
	}

	ret = init_cache_node(cachep, node, gfp);
	if (ret)
		goto fail;

	n = get_node(cachep, node);
	spin_lock_irq(&n->list_lock);
	if (n->shared && force_change) {
		free_block(cachep, n->shared->entry, n->shared->avail, node,
			   &list);
		n->shared->avail = 0;
	}

	if (!n->shared || force_change) {
		old_shared = n->shared;
		n->shared = new_shared;
		new_shared = NULL;
	}

	if (!n->alien) {
		n->alien = new_alien;
		new_alien = NULL;
	}
	spin_unlock_irq(&n->list_lock);
	slabs_destroy(cachep, &list);

	/*
	 * cache_alloc_refill() peeks at n->shared with interrupts off and no
	 * lock: wait until every such peek at the old array is over.
	 */
	if (old_shared && force_change)
		synchronize_rcu();

fail:
	kfree(old_shared);
	kfree(new_shared);
	free_alien_cache(new_alien);
	return ret;
}

static int setup_kmem_cache_nodes(struct toyslab_cache *cachep, gfp_t gfp)
{
	int node, ret;

	for_each_online_node(node) {
		ret = setup_kmem_cache_node(cachep, node, gfp, true);
		if (ret)
			return ret;
	}
	return 0;
}

static struct array_cache __percpu *alloc_kmem_cache_cpus(int entries,
							  int batchcount)
{
	struct array_cache __percpu *cpu_cache;
	int cpu;

	cpu_cache = __alloc_percpu(struct_size_t(struct array_cache, entry,
						 entries),
				   sizeof(void *));
	if (!cpu_cache)
		return NULL;

	for_each_possible_cpu(cpu) {
		struct array_cache *ac = per_cpu_ptr(cpu_cache, cpu);

		ac->avail = 0;
		ac->limit = entries;
		ac->batchcount = batchcount;
		ac->touched = 0;
	}
	return cpu_cache;
}

/**
 * do_tune_cpucache - give a cache new per-CPU and shared arrays
 * @cachep: the cache
 * @limit: objects per CPU array
 * @batchcount: objects moved per refill or flush
 * @shared: shared array size, in batches
 * @gfp: allocation flags
 *
 * Safe against allocations and frees on every CPU: the fast paths read
 * cachep->cpu_cache with interrupts off, and kick_all_cpus_sync() waits
 * until every CPU has left such a section before the old arrays are
 * emptied.
 *
 * Context: cpus_read_lock() and toyslab_mutex held.
 * Return: 0 or -ENOMEM.
 */
int do_tune_cpucache(struct toyslab_cache *cachep, int limit, int batchcount,
		     int shared, gfp_t gfp)
{
	struct array_cache __percpu *cpu_cache, *prev;
	int cpu;

	lockdep_assert_held(&toyslab_mutex);
	cpu_cache = alloc_kmem_cache_cpus(limit, batchcount);
	if (!cpu_cache)
		return -ENOMEM;

	prev = cachep->cpu_cache;
	cachep->cpu_cache = cpu_cache;
	if (prev)
		kick_all_cpus_sync();

	cachep->batchcount = batchcount;
	cachep->limit = limit;
	cachep->shared = shared;

	if (!prev)
		goto setup_node;

	/*
	 * Offline CPUs' arrays were emptied when they died.  An empty array
	 * still goes through free_block(): its free_limit trim, with the
	 * node's limit from before this retune, is SLAB's too.
	 */
	for_each_online_cpu(cpu) {
		struct array_cache *ac = per_cpu_ptr(prev, cpu);
		int node = cpu_to_mem(cpu);
		struct toyslab_node *n;
		LIST_HEAD(list);

		n = get_node(cachep, node);
		spin_lock_irq(&n->list_lock);
		free_block(cachep, ac->entry, ac->avail, node, &list);
		spin_unlock_irq(&n->list_lock);
		slabs_destroy(cachep, &list);
	}
	free_percpu(prev);

setup_node:
	return setup_kmem_cache_nodes(cachep, gfp);
}

/* SLAB's default tunables, from the object size alone. */
static int enable_cpucache(struct toyslab_cache *cachep, gfp_t gfp)
{
	int limit, shared = 0;

	if (cachep->size > 131072)
		limit = 1;
	else if (cachep->size > PAGE_SIZE)
		limit = 8;
	else if (cachep->size > 1024)
		limit = 24;
	else if (cachep->size > 256)
		limit = 54;
	else
		limit = 120;

	/* A shared array passes objects between CPUs; useless on UP. */
	if (cachep->size <= PAGE_SIZE && num_possible_cpus() > 1)
		shared = 8;

	/* Debug checks run with interrupts off: keep batches short. */
	if (cache_debug(cachep) && limit > TOYSLAB_DEBUG_LIMIT)
		limit = TOYSLAB_DEBUG_LIMIT;

	return do_tune_cpucache(cachep, limit, (limit + 1) / 2, shared, gfp);
}

static void release_cache(struct toyslab_cache *cachep)
{
	struct toyslab_node *n;
	int node;

	free_percpu(cachep->cpu_cache);
	free_percpu(cachep->cpu_stats);
	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		kfree(n->shared);
		free_alien_cache(n->alien);
		kfree(n);
	}
	toyslab_ctl_exit(cachep);
	if (cachep->id)
		xa_erase(&toyslab_cache_ids, cachep->id);
	kfree_const(cachep->name);
	kfree(cachep);
}

/* Find a cache by name.  Context: toyslab_mutex held. */
struct toyslab_cache *toyslab_find_cache(const char *name)
{
	struct toyslab_cache *cachep;

	lockdep_assert_held(&toyslab_mutex);
	list_for_each_entry(cachep, &toyslab_caches, list)
		if (!strcmp(cachep->name, name))
			return cachep;
	return NULL;
}

#define TOYSLAB_CREATE_FLAGS (SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | \
			      SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
			      SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | \
			      SLAB_PANIC | SLAB_ACCOUNT | SLAB_MEM_SPREAD | \
			      TOYSLAB_DEBUG_FLAGS)

/**
 * toyslab_valid_name - 1 to TOYSLAB_NAME_MAX letters, digits, "_" or "-"
 * @name: a cache name
 *
 * Every cache is reachable by name from debugfs, so API and debugfs
 * accept the same names.
 *
 * Return: whether @name is one.
 */
bool toyslab_valid_name(const char *name)
{
	BUILD_BUG_ON(TOYSLAB_NAME_MAX != CMD_NAME_MAX);
	return name && cmd_valid_name(name);
}

static bool valid_create_args(const char *name, unsigned int size,
			      unsigned int align, slab_flags_t flags)
{
	return toyslab_valid_name(name) &&
	       size >= 1 && size <= TOYSLAB_MAX_SIZE &&
	       (!align || (is_power_of_2(align) && align <= PAGE_SIZE)) &&
	       !(flags & ~TOYSLAB_CREATE_FLAGS);
}

static struct toyslab_cache *create_cache(const char *name, unsigned int size,
					  unsigned int align,
					  slab_flags_t flags,
					  void (*ctor)(void *))
{
	struct toyslab_cache *cachep;
	int err = -ENOMEM;
	u32 id;

	cachep = kzalloc(struct_size(cachep, node, nr_node_ids), GFP_KERNEL);
	if (!cachep)
		return ERR_PTR(-ENOMEM);
	err = xa_alloc(&toyslab_cache_ids, &id, cachep,
		       XA_LIMIT(1, U16_MAX), GFP_KERNEL);
	if (err) {
		/* -EBUSY: 65535 caches exist already. */
		kfree(cachep);
		return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
	}
	cachep->id = id;
	err = -ENOMEM;

	cachep->name = kstrdup_const(name, GFP_KERNEL);
	cachep->cpu_stats = alloc_percpu(struct toyslab_cpu_stats);
	if (!cachep->name || !cachep->cpu_stats)
		goto fail;
	cachep->object_size = size;
	cachep->align = align;
	cachep->ctor = ctor;
	toyslab_ctl_init(cachep);
	spin_lock_init(&cachep->quarantine_lock);

	err = toyslab_compute_layout(cachep, flags & ~SLAB_PANIC);
	if (err)
		goto fail;

	err = enable_cpucache(cachep, GFP_KERNEL);
	if (err)
		goto fail;
	return cachep;

fail:
	release_cache(cachep);
	return ERR_PTR(err);
}

/* Who created a cache: a kernel user, debugfs 'control', or toyslab. */
enum cache_origin {
	ORIGIN_API,
	ORIGIN_CONTROL,
	ORIGIN_KMALLOC,
};

/* Create a cache, list it and show it in debugfs. */
static struct toyslab_cache *add_cache(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *),
				       enum cache_origin origin)
{
	struct toyslab_cache *cachep;

	mutex_lock(&cache_lifecycle_mutex);
	cpus_read_lock();
	mutex_lock(&toyslab_mutex);
	if (toyslab_find_cache(name)) {
		cachep = ERR_PTR(-EEXIST);
	} else {
		cachep = create_cache(name, size, align, flags, ctor);
		if (!IS_ERR(cachep)) {
			cachep->user = origin == ORIGIN_CONTROL;
			cachep->kmalloc = origin == ORIGIN_KMALLOC;
			cachep->tracked = cachep->kmalloc ||
					  cache_debug(cachep);
			list_add(&cachep->list, &toyslab_caches);
		}
	}
	mutex_unlock(&toyslab_mutex);
	cpus_read_unlock();

	if (!IS_ERR(cachep)) {
		/* Its checks are hooks: on before its first allocation. */
		if (cache_debug(cachep))
			toyslab_hooks_get();
		toyslab_debugfs_add_cache(cachep);
	}
	mutex_unlock(&cache_lifecycle_mutex);
	return cachep;
}

/**
 * toyslab_cache_create - create a cache
 * @name: a unique name of 1 to 31 letters, digits, "_" or "-"; copied
 * @size: object size, 1 to 4 MiB
 * @align: required alignment, 0 or a power of two up to PAGE_SIZE
 * @flags: SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA,
 *	   SLAB_CACHE_DMA32, SLAB_TYPESAFE_BY_RCU, SLAB_NOLEAKTRACE, SLAB_PANIC,
 *	   SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER; SLAB_ACCOUNT and
 *	   SLAB_MEM_SPREAD are accepted and ignored (no memcg, no cpusets)
 * @ctor: constructor, run on each object when its slab is built (with
 *	  SLAB_POISON, at each allocation)
 *
 * Unlike kmem_cache_create(), names must be unique and debugfs-friendly:
 * debugfs finds caches by name.
 *
 * Context: process context; may sleep.
 * Return: the cache, or NULL.
 */
struct toyslab_cache *toyslab_cache_create(const char *name, unsigned int size,
					   unsigned int align,
					   slab_flags_t flags,
					   void (*ctor)(void *))
{
	struct toyslab_cache *cachep;

	if (valid_create_args(name, size, align, flags))
		cachep = add_cache(name, size, align, flags, ctor, ORIGIN_API);
	else
		cachep = ERR_PTR(-EINVAL);
	if (IS_ERR(cachep)) {
		if (flags & SLAB_PANIC)
			panic("toyslab: cannot create cache %s: %pe\n",
			      name, cachep);
		return NULL;
	}
	return cachep;
}
EXPORT_SYMBOL_GPL(toyslab_cache_create);

/**
 * toyslab_create_user_cache - debugfs 'control': create NAME SIZE ...
 * @name: see toyslab_cache_create()
 * @size: see toyslab_cache_create()
 * @align: see toyslab_cache_create()
 * @flags: see toyslab_cache_create()
 * @ctor: see toyslab_cache_create()
 *
 * Return: 0, -EINVAL, -EEXIST or -ENOMEM.
 */
int toyslab_create_user_cache(const char *name, unsigned int size,
			      unsigned int align, slab_flags_t flags,
			      void (*ctor)(void *))
{
	if (!valid_create_args(name, size, align, flags))
		return -EINVAL;
	return PTR_ERR_OR_ZERO(add_cache(name, size, align, flags, ctor,
					 ORIGIN_CONTROL));
}

/**
 * toyslab_create_kmalloc_cache - one kmalloc class, at load
 * @name: its name, kmalloc_info[]'s in 6.1
 * @size: its size
 * @flags: SLAB_HWCACHE_ALIGN and the flags of its type
 *
 * Aligned as 6.1's create_boot_cache() aligns a kmalloc cache: to at
 * least ARCH_KMALLOC_MINALIGN (8 bytes on x86_64), and a power of two
 * to its own size, beyond the PAGE_SIZE any other cache may ask for.
 *
 * Context: module init.
 * Return: the cache, or an ERR_PTR().
 */
struct toyslab_cache *toyslab_create_kmalloc_cache(const char *name,
						   unsigned int size,
						   slab_flags_t flags)
{
	unsigned int align = __alignof__(unsigned long long);

	if (is_power_of_2(size))
		align = max(align, size);
	return add_cache(name, size, align, flags, NULL, ORIGIN_KMALLOC);
}

/*
 * Give @slab's quarantined objects back to it.  free_block() may move
 * @slab to another list and free slabs to @list, but no other full or
 * partial slab: the caller's walk can go on from the slab it saved as
 * next.  Context: list_lock of @node held, interrupts off.
 */
static unsigned long release_slab_quarantine(struct toyslab_cache *cachep,
					     struct toyslab_slab *slab,
					     int node, struct list_head *list)
{
	unsigned long released = 0;
	void *buf;

	while ((buf = toyslab_unquarantine(cachep, slab))) {
		free_block(cachep, &buf, 1, node, list);
		released++;
	}
	return released;
}

/*
 * Before a cache is destroyed, give the objects debug.c quarantined back
 * to their slabs, so that the slabs can go.  A quarantined object is
 * active in its slab, so only full and partial slabs are looked at; a
 * slab that free_block() moves from the full list to the partial one is
 * met again there, with nothing left in quarantine.
 */
static void release_quarantine(struct toyslab_cache *cachep)
{
	struct toyslab_slab *slab, *next;
	unsigned long released = 0;
	int node;

	/* Only debug caches quarantine; the others' slabs have no such bits. */
	if (!cache_debug(cachep))
		return;

	for (node = 0; node < nr_node_ids; node++) {
		struct toyslab_node *n = get_node(cachep, node);
		LIST_HEAD(list);

		if (!n)
			continue;
		spin_lock_irq(&n->list_lock);
		list_for_each_entry_safe(slab, next, &n->slabs_full, slab_list)
			released += release_slab_quarantine(cachep, slab, node,
							    &list);
		list_for_each_entry_safe(slab, next, &n->slabs_partial,
					 slab_list)
			released += release_slab_quarantine(cachep, slab, node,
							    &list);
		spin_unlock_irq(&n->list_lock);
		slabs_destroy(cachep, &list);
	}
	toyslab_quarantine_released(cachep, released);
}

/* Objects still out of the cache's slabs after a full shrink, if any. */
static unsigned long cache_live_objects(struct toyslab_cache *cachep)
{
	struct toyslab_node *n;
	unsigned long live = 0;
	int node;

	release_quarantine(cachep);
	__cache_shrink(cachep);
	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		spin_lock_irq(&n->list_lock);
		live += n->total_slabs * cachep->num - n->free_objects;
		spin_unlock_irq(&n->list_lock);
	}
	return live;
}

/*
 * Take @cachep off the list if it holds no objects.  Context: cpus read
 * lock and toyslab_mutex held.
 */
/* Slabs whose page lost a reference, as TOYSLAB_SLAB_PAGE_REFS says. */
static unsigned long slabs_put_by_kernel(struct toyslab_cache *cachep)
{
	struct toyslab_slab *slab;
	struct toyslab_node *n;
	unsigned long put = 0;
	int node;

	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		spin_lock_irq(&n->list_lock);
		list_for_each_entry(slab, &n->slabs_full, slab_list)
			put += page_ref_count(slab_page(slab)) < TOYSLAB_SLAB_PAGE_REFS;
		list_for_each_entry(slab, &n->slabs_partial, slab_list)
			put += page_ref_count(slab_page(slab)) < TOYSLAB_SLAB_PAGE_REFS;
		spin_unlock_irq(&n->list_lock);
	}
	return put;
}

/*
 * A cache that cannot be destroyed may hold objects its user believes
 * freed, with the kernel's kfree(): say so if its slabs show it.
 */
static void report_slabs_put_by_kernel(struct toyslab_cache *cachep)
{
	unsigned long put = slabs_put_by_kernel(cachep);

	if (put)
		pr_err("toyslab: %s: %lu of its slabs lost a page reference: objects freed with the kernel's kfree(), not toyslab's\n",
		       cachep->name, put);
}

static int unlink_empty_cache(struct toyslab_cache *cachep)
{
	unsigned long live = cache_live_objects(cachep);

	if (live) {
		pr_err("toyslab: %s: not destroyed: %lu objects still allocated\n",
		       cachep->name, live);
		report_slabs_put_by_kernel(cachep);
		return -EBUSY;
	}
	list_del(&cachep->list);
	return 0;
}

/* Free an unlinked cache once nothing can reach it. */
static void free_cache(struct toyslab_cache *cachep)
{
	bool debug = cache_debug(cachep);

	toyslab_debugfs_remove_cache(cachep);
	/* SLAB_TYPESAFE_BY_RCU slabs may still wait for their grace period. */
	if (cachep->flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	release_cache(cachep);
	if (debug)
		toyslab_hooks_put();
}

/* toyslab_cache_destroy() under cache_lifecycle_mutex */
static int destroy_cache(struct toyslab_cache *cachep)
{
	int err;

	lockdep_assert_held(&cache_lifecycle_mutex);
	err = toyslab_ctl_stop(cachep);
	if (err) {
		report_slabs_put_by_kernel(cachep);
		return err;
	}

	cpus_read_lock();
	mutex_lock(&toyslab_mutex);
	err = unlink_empty_cache(cachep);
	mutex_unlock(&toyslab_mutex);
	cpus_read_unlock();

	if (err) {
		toyslab_ctl_restart(cachep);
		return err;
	}
	free_cache(cachep);
	return 0;
}

/**
 * toyslab_cache_destroy - destroy a cache that holds no objects
 * @cachep: the cache, or NULL
 *
 * Refuses, with a message and nothing freed, while objects are allocated:
 * kmem_cache_destroy() would leak them.  The caller must stop allocating
 * first, as with kmem_cache_destroy().
 *
 * Context: process context; may sleep.
 * Return: 0, or -EBUSY if objects are still allocated.
 */
int toyslab_cache_destroy(struct toyslab_cache *cachep)
{
	int err;

	if (!cachep)
		return 0;

	mutex_lock(&cache_lifecycle_mutex);
	err = destroy_cache(cachep);
	mutex_unlock(&cache_lifecycle_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(toyslab_cache_destroy);

/**
 * toyslab_cache_size - the size of the cache's objects
 * @cachep: the cache
 *
 * Like kmem_cache_size(): the size its creator asked for, not the
 * buffer's, which debugging, alignment and padding may make larger.
 *
 * Context: any context.
 * Return: the object size.
 */
unsigned int toyslab_cache_size(struct toyslab_cache *cachep)
{
	return cachep->object_size;
}
EXPORT_SYMBOL_GPL(toyslab_cache_size);

/**
 * toyslab_destroy_user_cache - debugfs 'control': destroy NAME
 * @name: the cache
 *
 * Return: 0, -ENOENT, -EPERM (a kernel user's cache or a kmalloc class)
 * or -EBUSY.
 */
int toyslab_destroy_user_cache(const char *name)
{
	struct toyslab_cache *cachep;
	int ret;

	/* Two writers must not both find, then both destroy, one cache. */
	mutex_lock(&cache_lifecycle_mutex);
	mutex_lock(&toyslab_mutex);
	cachep = toyslab_find_cache(name);
	/* Only control's own caches: a module's would dangle under it. */
	if (cachep && !cachep->user)
		cachep = ERR_PTR(-EPERM);
	mutex_unlock(&toyslab_mutex);

	if (!cachep)
		ret = -ENOENT;
	else if (IS_ERR(cachep))
		ret = PTR_ERR(cachep);
	else
		ret = destroy_cache(cachep);
	mutex_unlock(&cache_lifecycle_mutex);
	return ret;
}

/* Destroy every empty cache that is (or is not) a kmalloc class. */
static void destroy_caches(bool kmalloc)
{
	struct toyslab_cache *cachep, *next;
	LIST_HEAD(dead);

	cpus_read_lock();
	mutex_lock(&toyslab_mutex);
	list_for_each_entry_safe(cachep, next, &toyslab_caches, list)
		if (cachep->kmalloc == kmalloc && !unlink_empty_cache(cachep))
			list_add(&cachep->list, &dead);
	mutex_unlock(&toyslab_mutex);
	cpus_read_unlock();

	list_for_each_entry_safe(cachep, next, &dead, list)
		free_cache(cachep);
}

/**
 * toyslab_destroy_all - module unload: free what debugfs left behind
 *
 * Kernel users' caches cannot exist here: their modules depend on ours.
 * Objects that debugfs 'ctl' still holds are reported, then freed.  The
 * kmalloc classes go last: the other caches' off-slab freelists are
 * theirs.  A cache that still holds objects is reported and left.
 *
 * Context: module exit; no toyslab_kfree_rcu() callback is pending.
 */
void toyslab_destroy_all(void)
{
	struct toyslab_cache *cachep;

	list_for_each_entry(cachep, &toyslab_caches, list)
		toyslab_ctl_release(cachep);

	destroy_caches(false);
	destroy_caches(true);
}

/**
 * toyslab_get_slabinfo - the figures /proc/slabinfo would print
 * @cachep: the cache
 * @info: filled in
 *
 * Objects in per-CPU, shared and alien arrays count as active, as in SLAB:
 * only objects free inside slabs are free.
 */
void toyslab_get_slabinfo(struct toyslab_cache *cachep,
			  struct toyslab_slabinfo *info)
{
	unsigned long total_slabs = 0, free_slabs = 0, free_objs = 0;
	struct toyslab_node *n;
	int node;

	memset(info, 0, sizeof(*info));
	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		spin_lock_irq(&n->list_lock);
		total_slabs += n->total_slabs;
		free_slabs += n->free_slabs;
		free_objs += n->free_objects;
		if (n->shared)
			info->shared_avail += n->shared->avail;
		spin_unlock_irq(&n->list_lock);
	}
	info->num_objs = total_slabs * cachep->num;
	info->active_slabs = total_slabs - free_slabs;
	info->active_objs = info->num_objs - free_objs;
	info->num_slabs = total_slabs;
}

/**
 * toyslab_tune - debugfs 'slabinfo' write: NAME LIMIT BATCHCOUNT SHARED
 * @name: the cache
 * @limit: per-CPU array size, 1..TOYSLAB_MAX_LIMIT
 * @batchcount: 1..@limit
 * @shared: shared array size in batches, 0..TOYSLAB_MAX_SHARED
 *
 * Return: 0, -EINVAL (SLAB's validity rules), -ENOENT or -ENOMEM.
 */
int toyslab_tune(const char *name, int limit, int batchcount, int shared)
{
	struct toyslab_cache *cachep;
	int ret = -ENOENT;

	if (limit < 1 || limit > TOYSLAB_MAX_LIMIT || batchcount < 1 ||
	    batchcount > limit || shared < 0 || shared > TOYSLAB_MAX_SHARED)
		return -EINVAL;

	cpus_read_lock();
	mutex_lock(&toyslab_mutex);
	cachep = toyslab_find_cache(name);
	if (cachep)
		ret = do_tune_cpucache(cachep, limit, batchcount, shared,
				       GFP_KERNEL);
	mutex_unlock(&toyslab_mutex);
	cpus_read_unlock();
	return ret;
}

/* A CPU is coming up: its node needs lists and arrays in every cache. */
static int toyslab_prepare_cpu(unsigned int cpu)
{
	struct toyslab_cache *cachep;
	int node = cpu_to_mem(cpu);
	int err = 0;

	mutex_lock(&toyslab_mutex);
	list_for_each_entry(cachep, &toyslab_caches, list) {
		err = setup_kmem_cache_node(cachep, node, GFP_KERNEL, false);
		if (err)
			break;
	}
	mutex_unlock(&toyslab_mutex);
	return err;
}

/*
 * A CPU is dead (or failed to come up): give its array back to its node.
 * If it was the node's last CPU, the node's shared and alien arrays go
 * too.  The node itself stays, as in SLAB: other CPUs may still allocate
 * from its memory.
 */
static void cpu_dead_cache(struct toyslab_cache *cachep, unsigned int cpu)
{
	int node = cpu_to_mem(cpu);
	struct toyslab_node *n = get_node(cachep, node);
	struct array_cache *nc, *shared;
	struct alien_cache **alien;
	LIST_HEAD(list);

	if (!n)
		return;

	spin_lock_irq(&n->list_lock);
	n->free_limit -= cachep->batchcount;

	nc = per_cpu_ptr(cachep->cpu_cache, cpu);
	free_block(cachep, nc->entry, nc->avail, node, &list);
	nc->avail = 0;

	if (!cpumask_empty(cpumask_of_node(node))) {
		spin_unlock_irq(&n->list_lock);
		goto free_slab;
	}

	shared = n->shared;
	if (shared) {
		free_block(cachep, shared->entry, shared->avail, node, &list);
		n->shared = NULL;
	}
	alien = n->alien;
	n->alien = NULL;
	spin_unlock_irq(&n->list_lock);

	/* No CPU is left on this node to peek at n->shared locklessly. */
	kfree(shared);
	if (alien) {
		drain_alien_cache(cachep, alien);
		free_alien_cache(alien);
	}
free_slab:
	slabs_destroy(cachep, &list);
}

static int toyslab_dead_cpu(unsigned int cpu)
{
	struct toyslab_cache *cachep;
	int node = cpu_to_mem(cpu);

	mutex_lock(&toyslab_mutex);
	list_for_each_entry(cachep, &toyslab_caches, list)
		cpu_dead_cache(cachep, cpu);
	/* Now that every object is back in its slab, trim the free slabs. */
	list_for_each_entry(cachep, &toyslab_caches, list)
		if (get_node(cachep, node))
			drain_freelist(cachep, get_node(cachep, node), INT_MAX);
	mutex_unlock(&toyslab_mutex);
	return 0;
}

static enum cpuhp_state prepare_state;
static enum cpuhp_state online_state;

int toyslab_cpuhp_init(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "toyslab:prepare",
				toyslab_prepare_cpu, toyslab_dead_cpu);
	if (ret < 0)
		return ret;
	prepare_state = ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "toyslab:online",
				toyslab_reaper_online_cpu,
				toyslab_reaper_offline_cpu);
	if (ret < 0) {
		cpuhp_remove_state(prepare_state);
		return ret;
	}
	online_state = ret;
	return 0;
}

void toyslab_cpuhp_exit(void)
{
	cpuhp_remove_state(online_state);
	/* No cache is left, so the teardown would have nothing to do. */
	cpuhp_remove_state_nocalls(prepare_state);
}
