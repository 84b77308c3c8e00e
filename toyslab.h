/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toyslab - the classic SLAB allocator of Linux 6.1, rebuilt as a module.
 *
 * The API mirrors the kernel's slab API, so a module can swap one for the
 * other (toyslab_dropin.h does it for a whole file):
 *
 *	kmem_cache_create()	toyslab_cache_create()
 *	kmem_cache_alloc()	toyslab_cache_alloc()
 *	kmem_cache_alloc_node()	toyslab_cache_alloc_node()
 *	kmem_cache_alloc_lru()	toyslab_cache_alloc_lru()
 *	kmem_cache_zalloc()	toyslab_cache_zalloc()
 *	kmem_cache_alloc_bulk()	toyslab_cache_alloc_bulk()
 *	kmem_cache_free()	toyslab_cache_free()
 *	kmem_cache_free_bulk()	toyslab_cache_free_bulk()
 *	kmem_cache_shrink()	toyslab_cache_shrink()
 *	kmem_cache_destroy()	toyslab_cache_destroy()
 *	kmalloc()		toyslab_kmalloc()	(and _node, kzalloc,
 *	kfree()			toyslab_kfree()		 kcalloc, kmalloc_array,
 *	ksize()			toyslab_ksize()		 krealloc,
 *	kfree_rcu()		toyslab_kfree_rcu()	 kfree_sensitive)
 *	kmem_valid_obj()	toyslab_valid_obj()
 */
#ifndef _TOYSLAB_H
#define _TOYSLAB_H

#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/types.h>

struct list_lru;
struct toyslab_cache;

struct toyslab_cache *toyslab_cache_create(const char *name, unsigned int size,
					   unsigned int align,
					   slab_flags_t flags,
					   void (*ctor)(void *));
void *toyslab_cache_alloc(struct toyslab_cache *cachep, gfp_t flags);
void *toyslab_cache_alloc_node(struct toyslab_cache *cachep, gfp_t flags,
			       int nodeid);
void *toyslab_cache_alloc_lru(struct toyslab_cache *cachep,
			      struct list_lru *lru, gfp_t flags);
int toyslab_cache_alloc_bulk(struct toyslab_cache *cachep, gfp_t flags,
			     size_t nr, void **p);
void toyslab_cache_free(struct toyslab_cache *cachep, void *objp);
void toyslab_cache_free_bulk(struct toyslab_cache *cachep, size_t nr,
			     void **p);
int toyslab_cache_shrink(struct toyslab_cache *cachep);
int toyslab_cache_destroy(struct toyslab_cache *cachep);
unsigned int toyslab_cache_size(struct toyslab_cache *cachep);

void *toyslab_kmalloc(size_t size, gfp_t flags);
void *toyslab_kmalloc_node(size_t size, gfp_t flags, int node);
void *toyslab_krealloc(const void *objp, size_t new_size, gfp_t flags);
void toyslab_kfree(const void *objp);
void toyslab_kfree_sensitive(const void *objp);
size_t toyslab_ksize(const void *objp);
void toyslab_kfree_rcu_cb(struct rcu_head *head);
bool toyslab_valid_obj(const void *ptr);

/**
 * toyslab_cache_zalloc - allocate a zeroed object from a toyslab cache
 * @cachep: the cache
 * @flags: GFP flags, as for toyslab_cache_alloc()
 *
 * Return: the object, zeroed, or %NULL.
 */
static inline void *toyslab_cache_zalloc(struct toyslab_cache *cachep,
					 gfp_t flags)
{
	return toyslab_cache_alloc(cachep, flags | __GFP_ZERO);
}

/**
 * toyslab_kzalloc - allocate zeroed memory from toyslab's kmalloc caches
 * @size: bytes wanted
 * @flags: GFP flags, as for toyslab_kmalloc()
 *
 * Return: the memory, zeroed, %ZERO_SIZE_PTR for @size 0, or %NULL.
 */
static inline void *toyslab_kzalloc(size_t size, gfp_t flags)
{
	return toyslab_kmalloc(size, flags | __GFP_ZERO);
}

/**
 * toyslab_kmalloc_array - allocate memory for an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags, as for toyslab_kmalloc()
 *
 * Return: the memory, or %NULL if @n * @size overflows or the allocation
 * fails.
 */
static inline void *toyslab_kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return toyslab_kmalloc(bytes, flags);
}

/**
 * toyslab_kcalloc - allocate zeroed memory for an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags, as for toyslab_kmalloc()
 *
 * Return: the memory, zeroed, or %NULL on overflow or failure.
 */
static inline void *toyslab_kcalloc(size_t n, size_t size, gfp_t flags)
{
	return toyslab_kmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline void __toyslab_kfree_rcu(void *objp, size_t head_offset)
{
	if (objp)
		call_rcu(objp + head_offset, toyslab_kfree_rcu_cb);
}

/**
 * toyslab_kfree_rcu - free toyslab memory after an RCU grace period
 * @ptr: memory from any toyslab cache or kmalloc class, or %NULL
 * @rhf: the name of the &struct rcu_head field in *@ptr
 *
 * Like kfree_rcu(): the object is handed to toyslab_kfree() once every
 * reader that could see it has finished.  toyslab_kfree_rcu_cb() finds
 * the object from the rcu_head inside it, so any field will do.
 */
#define toyslab_kfree_rcu(ptr, rhf)					\
	do {								\
		typeof(ptr) ___p = (ptr);				\
									\
		__toyslab_kfree_rcu(___p, offsetof(typeof(*___p), rhf)); \
	} while (0)

#endif /* _TOYSLAB_H */
