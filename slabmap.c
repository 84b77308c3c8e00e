// SPDX-License-Identifier: GPL-2.0
/*
 * Which pages are toyslab's: a bit per page frame (internal.h says why).
 *
 * 6.1 asks the page itself: PageSlab, and the struct slab laid over it.
 * A module must not mark its pages as the kernel's slab pages, and the
 * fields of struct page where toyslab keeps its slab (lru, index and
 * private) belong to whoever owns the page: SLUB, the page cache, a
 * driver.  So before toyslab_kfree() or toyslab_ksize() believe them,
 * they ask here, in a few loads and without a lock, from any context.
 *
 * One chunk of bits (a page) covers 2^SLABMAP_CHUNK_SHIFT page frames.
 * Chunks are made at load for every frame up to the end of the last
 * online node, and when memory comes online later (hot-add), before the
 * page allocator may hand out its pages; a missing chunk therefore means
 * a frame toyslab never had.  Chunks are never freed, nor the arrays of
 * chunk pointers: a larger array replaces the current one for the
 * readers, and the smaller stays, linked to it, until unload.
 */
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/notifier.h>
#include <linux/slab.h>

#include "internal.h"

struct toyslab_slabmap *toyslab_slabmap;

/* Changes to the map: adding chunks, replacing the array. */
static DEFINE_MUTEX(slabmap_mutex);

static struct toyslab_slabmap *slabmap_alloc(unsigned long nr_chunks,
					     const struct toyslab_slabmap *old)
{
	struct toyslab_slabmap *map;

	map = kvzalloc(struct_size(map, chunk, nr_chunks), GFP_KERNEL);
	if (!map)
		return NULL;
	map->nr_chunks = nr_chunks;
	if (old) {
		memcpy(map->chunk, old->chunk,
		       old->nr_chunks * sizeof(map->chunk[0]));
		map->retired = (struct toyslab_slabmap *)old;
	}
	return map;
}

/* Chunks for the page frames [@start, @end).  Context: slabmap_mutex. */
static int slabmap_cover(unsigned long start, unsigned long end)
{
	unsigned long first = start >> SLABMAP_CHUNK_SHIFT;
	unsigned long last = (end - 1) >> SLABMAP_CHUNK_SHIFT;
	struct toyslab_slabmap *map = toyslab_slabmap;
	unsigned long i;

	lockdep_assert_held(&slabmap_mutex);
	if (!map || last >= map->nr_chunks) {
		map = slabmap_alloc(last + 1, map);
		if (!map)
			return -ENOMEM;
		/* The readers see the chunk pointers copied before the array. */
		smp_store_release(&toyslab_slabmap, map);
	}

	for (i = first; i <= last; i++) {
		unsigned long *chunk;

		if (map->chunk[i])
			continue;
		chunk = bitmap_zalloc(BIT(SLABMAP_CHUNK_SHIFT), GFP_KERNEL);
		if (!chunk)
			return -ENOMEM;
		WRITE_ONCE(map->chunk[i], chunk);
	}
	return 0;
}

/* Memory coming online gets its chunks before any of its pages is used. */
static int slabmap_memory_callback(struct notifier_block *nb,
				   unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;
	int err;

	if (action != MEM_GOING_ONLINE)
		return NOTIFY_OK;

	mutex_lock(&slabmap_mutex);
	err = slabmap_cover(mn->start_pfn, mn->start_pfn + mn->nr_pages);
	mutex_unlock(&slabmap_mutex);
	/* Without its chunks, toyslab could not tell its pages there. */
	return notifier_from_errno(err);
}

static struct notifier_block slabmap_memory_nb = {
	.notifier_call = slabmap_memory_callback,
};

/**
 * toyslab_owned_page - the head page of toyslab memory at @ptr
 * @ptr: any pointer
 *
 * Context: any context.
 * Return: the head page of the slab or large kmalloc allocation that
 * holds @ptr, or NULL if @ptr is not in memory toyslab has now.
 */
struct page *toyslab_owned_page(const void *ptr)
{
	struct page *head;
	unsigned long pfn;
	unsigned long *chunk;

	/* vmalloc, vmapped stacks, modules and user addresses stop here. */
	if (!virt_addr_valid(ptr))
		return NULL;
	head = virt_to_head_page(ptr);
	pfn = page_to_pfn(head);
	chunk = slabmap_chunk(pfn);
	if (!chunk || !test_bit(pfn & (BIT(SLABMAP_CHUNK_SHIFT) - 1), chunk))
		return NULL;
	return head;
}

/**
 * toyslab_valid_obj - is @ptr in memory toyslab holds?
 * @ptr: any pointer
 *
 * toyslab's kmem_valid_obj(): true for a pointer into a slab of a toyslab
 * cache or into a large kmalloc allocation of toyslab's, false for
 * anything else, %NULL and %ZERO_SIZE_PTR included.  It says where the
 * memory is, not that an object there is allocated.  toyslab_dropin.h
 * asks it to send memory the file got from the kernel (kstrdup(), say)
 * to the kernel's kfree().
 *
 * Context: any context.
 * Return: whether toyslab holds the memory at @ptr.
 */
bool toyslab_valid_obj(const void *ptr)
{
	return toyslab_owned_page(ptr);
}
EXPORT_SYMBOL_GPL(toyslab_valid_obj);

/**
 * toyslab_slabmap_test_and_clear - take @head back from toyslab, once
 * @head: a page toyslab_owned_page() returned
 *
 * Of two CPUs that race to give the same page back, one wins.
 *
 * Context: any context.
 * Return: whether @head was toyslab's until now.
 */
bool toyslab_slabmap_test_and_clear(struct page *head)
{
	unsigned long pfn = page_to_pfn(head);

	return test_and_clear_bit(pfn & (BIT(SLABMAP_CHUNK_SHIFT) - 1),
				  slabmap_chunk(pfn));
}

/* The page frame after the last one of every online node. */
static unsigned long online_end_pfn(void)
{
	unsigned long end = 0;
	int nid;

	for_each_online_node(nid)
		end = max(end, node_end_pfn(nid));
	return end;
}

/**
 * toyslab_slabmap_init - chunks for the memory online at load
 *
 * The notifier goes first, so that memory coming online meanwhile gets
 * its chunks either way.
 *
 * Return: 0 or -ENOMEM.
 */
int toyslab_slabmap_init(void)
{
	int err;

	err = register_memory_notifier(&slabmap_memory_nb);
	if (err)
		return err;

	mutex_lock(&slabmap_mutex);
	err = slabmap_cover(0, online_end_pfn());
	mutex_unlock(&slabmap_mutex);
	if (err)
		toyslab_slabmap_exit();
	return err;
}

/**
 * toyslab_slabmap_exit - free the map; no toyslab page is left
 */
void toyslab_slabmap_exit(void)
{
	struct toyslab_slabmap *map = toyslab_slabmap, *older;
	unsigned long i;

	unregister_memory_notifier(&slabmap_memory_nb);
	if (!map)
		return;
	/* Every chunk is in the newest array; the older hold copies. */
	for (i = 0; i < map->nr_chunks; i++)
		bitmap_free(map->chunk[i]);
	for (; map; map = older) {
		older = map->retired;
		kvfree(map);
	}
	toyslab_slabmap = NULL;
}
