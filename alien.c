// SPDX-License-Identifier: GPL-2.0
/*
 * Alien caches: on a NUMA machine, an object freed on one node that lives
 * on another does not go into the local per-CPU array, where the local node
 * would reuse remote memory.  It waits in a small per-node array for its
 * home node and travels there in a batch.
 */
#include <linux/kmemleak.h>
#include <linux/slab.h>

#include "internal.h"

static struct alien_cache *__alloc_alien_cache(int node, int entries,
					       gfp_t gfp)
{
	struct alien_cache *alc;

	alc = kmalloc_node(struct_size(alc, ac.entry, entries), gfp, node);
	if (!alc)
		return NULL;

	/* Its stale pointers must not keep freed objects alive for kmemleak. */
	kmemleak_no_scan(alc);
	alc->ac.avail = 0;
	alc->ac.limit = entries;
	alc->ac.batchcount = BATCHCOUNT_UNUSED;
	alc->ac.touched = 0;
	spin_lock_init(&alc->lock);
	return alc;
}

/**
 * alloc_alien_cache - one alien array per other online node
 * @node: the node that will own the arrays
 * @limit: the cache's per-CPU limit; aliens hold 12 unless it is 1
 * @gfp: allocation flags
 *
 * Return: an array of nr_node_ids pointers, or NULL.
 */
struct alien_cache **alloc_alien_cache(int node, int limit, gfp_t gfp)
{
	struct alien_cache **alc_ptr;
	int i;

	if (limit > 1)
		limit = 12;
	alc_ptr = kcalloc_node(nr_node_ids, sizeof(void *), gfp, node);
	if (!alc_ptr)
		return NULL;

	for_each_node(i) {
		if (i == node || !node_online(i))
			continue;
		alc_ptr[i] = __alloc_alien_cache(node, limit, gfp);
		if (!alc_ptr[i]) {
			free_alien_cache(alc_ptr);
			return NULL;
		}
	}
	return alc_ptr;
}

void free_alien_cache(struct alien_cache **alc_ptr)
{
	int i;

	if (!alc_ptr)
		return;
	for_each_node(i)
		kfree(alc_ptr[i]);
	kfree(alc_ptr);
}

/* Send @ac's objects home to @node: its shared array first, then slabs. */
static void __drain_alien_cache(struct toyslab_cache *cachep,
				struct array_cache *ac, int node,
				struct list_head *list)
{
	struct toyslab_node *n = get_node(cachep, node);

	if (!ac->avail)
		return;

	spin_lock(&n->list_lock);
	if (n->shared)
		transfer_objects(n->shared, ac, ac->limit);

	free_block(cachep, ac->entry, ac->avail, node, list);
	ac->avail = 0;
	spin_unlock(&n->list_lock);
}

/**
 * reap_alien - drain one alien array of @n, if its lock is free
 * @cachep: the cache
 * @n: this CPU's node
 * @node: which alien array; the reaper cycles through the nodes
 *
 * Context: process context, interrupts on.
 */
void reap_alien(struct toyslab_cache *cachep, struct toyslab_node *n,
		int node)
{
	struct alien_cache *alc;
	LIST_HEAD(list);

	if (!n->alien)
		return;

	alc = n->alien[node];
	if (!alc || !alc->ac.avail || !spin_trylock_irq(&alc->lock))
		return;

	__drain_alien_cache(cachep, &alc->ac, node, &list);
	spin_unlock_irq(&alc->lock);
	slabs_destroy(cachep, &list);
}

/**
 * drain_alien_cache - send every alien object home
 * @cachep: the cache
 * @alien: one node's alien arrays
 *
 * Context: process context.
 */
void drain_alien_cache(struct toyslab_cache *cachep,
		       struct alien_cache **alien)
{
	unsigned long flags;
	int i;

	for_each_online_node(i) {
		struct alien_cache *alc = alien[i];
		LIST_HEAD(list);

		if (!alc)
			continue;
		spin_lock_irqsave(&alc->lock, flags);
		__drain_alien_cache(cachep, &alc->ac, i, &list);
		spin_unlock_irqrestore(&alc->lock, flags);
		slabs_destroy(cachep, &list);
	}
}

static int __cache_free_alien(struct toyslab_cache *cachep, void *objp,
			      int node, int slab_node)
{
	struct toyslab_node *n = get_node(cachep, node);
	LIST_HEAD(list);

	STATS_INC_NODEFREES(cachep);
	if (n->alien && n->alien[slab_node]) {
		struct alien_cache *alien = n->alien[slab_node];
		struct array_cache *ac = &alien->ac;

		spin_lock(&alien->lock);
		if (unlikely(ac->avail == ac->limit)) {
			STATS_INC_ACOVERFLOW(cachep);
			__drain_alien_cache(cachep, ac, slab_node, &list);
		}
		/*
		 * SLAB's hardened check, as on the per-CPU array.  The object
		 * goes in tagged, as v3.6-v4.5 pushed it (ac_put_obj()): on its
		 * way home it may land in the shared array, and from there in
		 * any CPU's array.
		 */
		if (unlikely(ac->avail &&
			     clear_obj_pfmemalloc(ac->entry[ac->avail - 1]) ==
			     objp))
			toyslab_report_double_free(cachep, objp);
		else
			ac_put_obj(cachep, ac, objp);
		spin_unlock(&alien->lock);
	} else {
		/* No alien arrays (noaliencache): straight home. */
		n = get_node(cachep, slab_node);
		spin_lock(&n->list_lock);
		free_block(cachep, &objp, 1, slab_node, &list);
		spin_unlock(&n->list_lock);
	}
	slabs_destroy(cachep, &list);
	return 1;
}

/**
 * cache_free_alien - free @objp through an alien array if it is remote
 * @cachep: the cache
 * @objp: the object being freed
 *
 * Context: interrupts off.
 * Return: 1 if the object was taken care of, 0 if it is local.
 */
int cache_free_alien(struct toyslab_cache *cachep, void *objp)
{
	int slab_node = slab_nid(virt_to_slab(objp));
	int node = numa_mem_id();

	if (likely(node == slab_node))
		return 0;

	return __cache_free_alien(cachep, objp, node, slab_node);
}
