/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toyslab - the classic SLAB allocator of Linux 6.1, rebuilt as a module.
 *
 * The API mirrors kmem_cache_*(), so a module can swap one for the other:
 *
 *	kmem_cache_create()	toyslab_cache_create()
 *	kmem_cache_alloc()	toyslab_cache_alloc()
 *	kmem_cache_alloc_node()	toyslab_cache_alloc_node()
 *	kmem_cache_free()	toyslab_cache_free()
 *	kmem_cache_shrink()	toyslab_cache_shrink()
 *	kmem_cache_destroy()	toyslab_cache_destroy()
 */
#ifndef _TOYSLAB_H
#define _TOYSLAB_H

#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/types.h>

struct toyslab_cache;

struct toyslab_cache *toyslab_cache_create(const char *name, unsigned int size,
					   unsigned int align,
					   slab_flags_t flags,
					   void (*ctor)(void *));
void *toyslab_cache_alloc(struct toyslab_cache *cachep, gfp_t flags);
void *toyslab_cache_alloc_node(struct toyslab_cache *cachep, gfp_t flags,
			       int nodeid);
void toyslab_cache_free(struct toyslab_cache *cachep, void *objp);
int toyslab_cache_shrink(struct toyslab_cache *cachep);
int toyslab_cache_destroy(struct toyslab_cache *cachep);

#endif /* _TOYSLAB_H */
