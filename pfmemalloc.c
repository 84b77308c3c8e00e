// SPDX-License-Identifier: GPL-2.0
/*
 * The pfmemalloc model of Linux v3.6-v4.5, which the walkthrough follows.
 *
 * Slabs built from the page reserves are kept for callers that may use the
 * reserves (swap over the network, say): their objects sit in arrays with
 * bit 0 of the pointer set, and ac_get_obj() hands them out only to such
 * callers.  sk_memalloc_socks() told SLAB whether any socket used the
 * reserves; toyslab's debugfs switch 'memalloc_socks' stands in for it.
 *
 * Only the slow paths live here.  ac_get_obj() and ac_put_obj(), which
 * the alloc and free fast paths run, are inline in internal.h and cost
 * one patched-out jump while the switch has never been on.
 */
#include <linux/interrupt.h>
#include <linux/oom.h>
#include <linux/sched.h>

#include "internal.h"

/*
 * MEMALLOC_WAS_ON: switched off again.  No object gets tagged any more,
 * but tagged ones may still sit in arrays, moving between per-CPU and
 * shared arrays faster than they could all be found; so ac_get_obj()
 * keeps taking its careful path, which clears tags as it meets them,
 * until the module is reloaded.
 */
enum { MEMALLOC_OFF, MEMALLOC_ON, MEMALLOC_WAS_ON };
static int memalloc_socks_state = MEMALLOC_OFF;
bool toyslab_pfmemalloc_active __read_mostly;

/*
 * memalloc_socks(): on from the first time the switch is turned on, since
 * MEMALLOC_WAS_ON still takes the careful path.
 */
bool toyslab_memalloc_socks_ever __read_mostly;

/* gfp_pfmemalloc_allowed() of mm/page_alloc.c, which is not exported. */
static bool pfmemalloc_allowed(gfp_t flags)
{
	struct reserve_ctx ctx = {
		.in_interrupt = in_interrupt(),
		.serving_softirq = in_serving_softirq(),
		.memalloc_task = current->flags & PF_MEMALLOC,
		/* Cheap, and only read on this slow path. */
		.oom_victim = tsk_is_oom_victim(current),
	};

	return reserves_allowed(flags, &ctx);
}

/* Clear the global hint once this node has no pfmemalloc slab left. */
static void recheck_pfmemalloc_active(struct toyslab_cache *cachep)
{
	struct toyslab_node *n = get_node(cachep, numa_mem_id());
	struct list_head *lists[] = {
		&n->slabs_full, &n->slabs_partial, &n->slabs_free,
	};
	struct toyslab_slab *slab;
	unsigned long flags;
	int i;

	if (!toyslab_pfmemalloc_active)
		return;

	spin_lock_irqsave(&n->list_lock, flags);
	for (i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(slab, lists[i], slab_list)
			if (slab->pfmemalloc)
				goto out;
	toyslab_pfmemalloc_active = false;
out:
	spin_unlock_irqrestore(&n->list_lock, flags);
}

/**
 * __ac_get_obj - pop an object the caller is allowed to have
 * @cachep: the cache
 * @ac: this CPU's array, not empty
 * @flags: the caller's gfp flags
 * @force_refill: the refill has just grown a slab for this caller
 *
 * Context: interrupts off.
 * Return: the object, untagged, or NULL with @ac as it was.
 */
void *__ac_get_obj(struct toyslab_cache *cachep, struct array_cache *ac,
		   gfp_t flags, bool force_refill)
{
	void *objp = ac->entry[--ac->avail];
	struct toyslab_node *n;
	unsigned int i;

	if (likely(!is_obj_pfmemalloc(objp)))
		return objp;

	if (pfmemalloc_allowed(flags))
		return clear_obj_pfmemalloc(objp);

	/* Swap in the oldest object that is not from the reserves. */
	for (i = 0; i < ac->avail; i++) {
		if (!is_obj_pfmemalloc(ac->entry[i])) {
			void *other = ac->entry[i];

			ac->entry[i] = ac->entry[ac->avail];
			ac->entry[ac->avail] = other;
			return other;
		}
	}

	/*
	 * A refill just grew a slab on the free list, so the reserves are no
	 * longer needed: take this slab out of them.
	 */
	n = get_node(cachep, numa_mem_id());
	if (!list_empty(&n->slabs_free) && force_refill) {
		objp = clear_obj_pfmemalloc(objp);
		WRITE_ONCE(virt_to_slab(objp)->pfmemalloc, false);
		recheck_pfmemalloc_active(cachep);
		return objp;
	}

	/* Nothing this caller may have: put it back. */
	ac->avail++;
	return NULL;
}

/**
 * __ac_put_obj - tag @objp if it comes from a reserve slab
 * @cachep: the cache
 * @ac: the array it is about to be pushed onto
 * @objp: the object
 *
 * Return: @objp, with bit 0 set if its slab is marked pfmemalloc.
 */
noinline void *__ac_put_obj(struct toyslab_cache *cachep,
			    struct array_cache *ac, void *objp)
{
	if (unlikely(toyslab_pfmemalloc_active) &&
	    READ_ONCE(memalloc_socks_state) == MEMALLOC_ON &&
	    READ_ONCE(virt_to_slab(objp)->pfmemalloc))
		objp = (void *)((unsigned long)objp | SLAB_OBJ_PFMEMALLOC);

	return objp;
}

bool toyslab_memalloc_socks(void)
{
	return READ_ONCE(memalloc_socks_state) == MEMALLOC_ON;
}

/**
 * toyslab_set_memalloc_socks - flip the stand-in for sk_memalloc_socks()
 * @on: whether callers may be using the page reserves
 *
 * The first time it is turned on, it takes a reference on the hooks for
 * good: only the alloc and free paths with hooks look for reserve objects.
 *
 * Context: process context; may sleep.
 * Return: 0.
 */
int toyslab_set_memalloc_socks(bool on)
{
	mutex_lock(&toyslab_mutex);
	if (on && !memalloc_socks()) {
		toyslab_hooks_get();
		WRITE_ONCE(toyslab_memalloc_socks_ever, true);
	}
	if (on)
		WRITE_ONCE(memalloc_socks_state, MEMALLOC_ON);
	else if (memalloc_socks())
		WRITE_ONCE(memalloc_socks_state, MEMALLOC_WAS_ON);
	mutex_unlock(&toyslab_mutex);
	return 0;
}
