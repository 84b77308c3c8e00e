/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The drop-in header: one kernel .c file's slab calls, sent to toyslab.
 *
 * Included after a file's own includes, or before them all with gcc's
 * -include (make realfs does that to unchanged kernel files), it sends
 * the file's kmem_cache_*(), KMEM_CACHE(), kmalloc family, kfree_rcu()
 * and alloc_inode_sb() to toyslab.  The file keeps struct kmem_cache *
 * as its type for a cache: the pointer it holds is a struct
 * toyslab_cache *, which the wrappers below cast back.  Each name is
 * redefined as a plain name wherever the signature allows (kfree is
 * toyslab_dropin_kfree), so that a function pointer the file takes is
 * toyslab's too.
 *
 * The file's kfree() and the rest of the free family take memory the
 * file got from the kernel as well, and give it back to the kernel
 * (toyslab_valid_obj() tells).  What stays the kernel's: kvmalloc() and
 * its family, names_cachep (__getname(), __putname()), and whatever code
 * outside the file allocates or frees.  What no header can cover is
 * toyslab memory that leaves the file and is freed with the kernel's
 * kfree(); Documentation/dropin.rst says what toyslab does then.
 */
#ifndef _TOYSLAB_DROPIN_H
#define _TOYSLAB_DROPIN_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "toyslab.h"

/*
 * fs.h's __getname() and __putname() expand in the file, into the slab
 * calls redefined below, on the kernel's names_cachep: they keep the
 * kernel's allocator, taken here before the redefinitions.
 */
static inline void *toyslab_dropin_getname(void)
{
	return __getname();
}

static inline void toyslab_dropin_putname(const void *name)
{
	__putname(name);
}

#undef __getname
#define __getname()		toyslab_dropin_getname()
#undef __putname
#define __putname(name)		toyslab_dropin_putname(name)

static inline struct toyslab_cache *toyslab_dropin_cache(struct kmem_cache *s)
{
	return (struct toyslab_cache *)s;
}

/* kmem_cache_create(), 6.1's five arguments */
static inline struct kmem_cache *
toyslab_dropin_create(const char *name, unsigned int size, unsigned int align,
		      slab_flags_t flags, void (*ctor)(void *))
{
	return (struct kmem_cache *)toyslab_cache_create(name, size, align,
							 flags, ctor);
}

/* The usercopy region is not kept: toyslab's pages are not PageSlab. */
static inline struct kmem_cache *
toyslab_dropin_create_usercopy(const char *name, unsigned int size,
			       unsigned int align, slab_flags_t flags,
			       unsigned int useroffset, unsigned int usersize,
			       void (*ctor)(void *))
{
	return toyslab_dropin_create(name, size, align, flags, ctor);
}

#undef kmem_cache_create_usercopy
#define kmem_cache_create_usercopy	toyslab_dropin_create_usercopy

/*
 * 6.12 made kmem_cache_create() a macro: by its third argument, _Generic()
 * picks one of three functions, which take the old five arguments or four
 * with a struct kmem_cache_args.  Its expansion in the file names them,
 * so they are the ones redirected.  Of the arguments only align and ctor
 * mean anything to toyslab: it keeps freelists outside the objects
 * (freeptr_offset) and no usercopy region (useroffset, usersize).
 */
#ifdef kmem_cache_create
static inline struct kmem_cache *
toyslab_dropin_create_args(const char *name, unsigned int size,
			   struct kmem_cache_args *args, slab_flags_t flags)
{
	return toyslab_dropin_create(name, size, args->align, flags,
				     args->ctor);
}

static inline struct kmem_cache *
toyslab_dropin_create_default(const char *name, unsigned int size,
			      struct kmem_cache_args *args, slab_flags_t flags)
{
	return toyslab_dropin_create(name, size, 0, flags, NULL);
}

#define __kmem_cache_create_args	toyslab_dropin_create_args
#define __kmem_cache_default_args	toyslab_dropin_create_default
#define __kmem_cache_create		toyslab_dropin_create
#else
#define kmem_cache_create		toyslab_dropin_create
#endif

#undef KMEM_CACHE
#define KMEM_CACHE(__struct, __flags)					\
	toyslab_dropin_create(#__struct, sizeof(struct __struct),	\
			      __alignof__(struct __struct), (__flags), NULL)

#undef KMEM_CACHE_USERCOPY
#define KMEM_CACHE_USERCOPY(__struct, __flags, __field)		\
	((void)sizeof_field(struct __struct, __field),			\
	 KMEM_CACHE(__struct, __flags))

/* toyslab refuses to destroy a cache with objects, and says so. */
static inline void toyslab_dropin_destroy(struct kmem_cache *s)
{
	toyslab_cache_destroy(toyslab_dropin_cache(s));
}

static inline int toyslab_dropin_shrink(struct kmem_cache *s)
{
	return toyslab_cache_shrink(toyslab_dropin_cache(s));
}

static inline unsigned int toyslab_dropin_size(struct kmem_cache *s)
{
	return toyslab_cache_size(toyslab_dropin_cache(s));
}

static inline void *toyslab_dropin_alloc(struct kmem_cache *s, gfp_t flags)
{
	return toyslab_cache_alloc(toyslab_dropin_cache(s), flags);
}

static inline void *toyslab_dropin_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return toyslab_cache_zalloc(toyslab_dropin_cache(s), flags);
}

static inline void *toyslab_dropin_alloc_node(struct kmem_cache *s,
					      gfp_t flags, int node)
{
	return toyslab_cache_alloc_node(toyslab_dropin_cache(s), flags, node);
}

static inline void *toyslab_dropin_alloc_lru(struct kmem_cache *s,
					     struct list_lru *lru, gfp_t flags)
{
	return toyslab_cache_alloc_lru(toyslab_dropin_cache(s), lru, flags);
}

static inline int toyslab_dropin_alloc_bulk(struct kmem_cache *s, gfp_t flags,
					    size_t nr, void **p)
{
	return toyslab_cache_alloc_bulk(toyslab_dropin_cache(s), flags, nr, p);
}

static inline void toyslab_dropin_free(struct kmem_cache *s, void *objp)
{
	toyslab_cache_free(toyslab_dropin_cache(s), objp);
}

static inline void toyslab_dropin_free_bulk(struct kmem_cache *s, size_t nr,
					    void **p)
{
	toyslab_cache_free_bulk(toyslab_dropin_cache(s), nr, p);
}

#undef kmem_cache_destroy
#define kmem_cache_destroy	toyslab_dropin_destroy
#undef kmem_cache_shrink
#define kmem_cache_shrink	toyslab_dropin_shrink
#undef kmem_cache_size
#define kmem_cache_size		toyslab_dropin_size
#undef kmem_cache_alloc
#define kmem_cache_alloc	toyslab_dropin_alloc
#undef kmem_cache_zalloc
#define kmem_cache_zalloc	toyslab_dropin_zalloc
#undef kmem_cache_alloc_node
#define kmem_cache_alloc_node	toyslab_dropin_alloc_node
#undef kmem_cache_alloc_lru
#define kmem_cache_alloc_lru	toyslab_dropin_alloc_lru
#undef kmem_cache_alloc_bulk
#define kmem_cache_alloc_bulk	toyslab_dropin_alloc_bulk
#undef kmem_cache_free
#define kmem_cache_free		toyslab_dropin_free
#undef kmem_cache_free_bulk
#define kmem_cache_free_bulk	toyslab_dropin_free_bulk

/* An inode of @sb's filesystem, on @sb's inode LRU, as fs.h's does it. */
#undef alloc_inode_sb
#define alloc_inode_sb(sb, cache, gfp)					\
	toyslab_dropin_alloc_lru(cache, &(sb)->s_inode_lru, gfp)

/*
 * The free family takes memory the file got from the kernel as well
 * (kstrdup(), match_strdup(), a buffer a kernel function kmalloc'd), as
 * the kernel's does: each pointer goes to whoever holds its memory.
 * These come before the redefinitions, to reach the kernel's functions.
 */
static inline void toyslab_dropin_kfree(const void *objp)
{
	if (toyslab_valid_obj(objp))
		toyslab_kfree(objp);
	else
		kfree(objp);
}

static inline void toyslab_dropin_kfree_sensitive(const void *objp)
{
	if (toyslab_valid_obj(objp))
		toyslab_kfree_sensitive(objp);
	else
		kfree_sensitive(objp);
}

static inline size_t toyslab_dropin_ksize(const void *objp)
{
	return toyslab_valid_obj(objp) ? toyslab_ksize(objp) : ksize(objp);
}

/* New memory comes from toyslab; the kernel's grows in the kernel. */
static inline void *toyslab_dropin_krealloc(const void *objp, size_t new_size,
					    gfp_t flags)
{
	if (ZERO_OR_NULL_PTR(objp) || toyslab_valid_obj(objp))
		return toyslab_krealloc(objp, new_size, flags);
	return krealloc(objp, new_size, flags);
}

/* kvmalloc() stays the kernel's; kvfree() takes toyslab's kmalloc too. */
static inline void toyslab_dropin_kvfree(const void *addr)
{
	if (toyslab_valid_obj(addr))
		toyslab_kfree(addr);
	else
		kvfree(addr);
}

static inline void toyslab_dropin_kvfree_sensitive(const void *addr,
						   size_t len)
{
	if (toyslab_valid_obj(addr)) {
		memzero_explicit((void *)addr, len);
		toyslab_kfree(addr);
	} else {
		kvfree_sensitive(addr, len);
	}
}

/*
 * The one-argument kfree_rcu() of 6.1, kfree_rcu_mightsleep() of 6.12:
 * toyslab's memory waits for its grace period here, as the kernel's own
 * does when it has no memory to queue the pointer.
 */
static inline void toyslab_dropin_kfree_rcu_mightsleep(const void *objp)
{
	void *p = (void *)objp;

	if (toyslab_valid_obj(p)) {
		might_sleep();
		synchronize_rcu();
		toyslab_kfree(p);
	} else {
		kvfree_rcu_arg_1(p);
	}
}

/* kfree_rcu(ptr, rhf): through the rcu_head at ptr->rhf. */
#define toyslab_dropin_kfree_rcu(ptr, rhf)				\
	do {								\
		typeof(ptr) ___q = (ptr);				\
									\
		if (toyslab_valid_obj(___q))				\
			toyslab_kfree_rcu(___q, rhf);			\
		else							\
			kvfree_rcu_arg_2(___q, rhf);			\
	} while (0)

static inline void toyslab_dropin_kfree_bulk(size_t nr, void **p)
{
	size_t i;

	for (i = 0; i < nr; i++)
		toyslab_dropin_kfree(p[i]);
}

/*
 * 6.5's scope-based cleanup: __free(kfree) pastes its argument into the
 * name of slab.h's cleanup function, which calls the kernel's kfree().
 */
static inline void toyslab_dropin_free_kfree(void *p)
{
	void *objp = *(void **)p;

	if (!IS_ERR_OR_NULL(objp))
		toyslab_dropin_kfree(objp);
}

static inline void toyslab_dropin_free_kvfree(void *p)
{
	void *addr = *(void **)p;

	if (!IS_ERR_OR_NULL(addr))
		toyslab_dropin_kvfree(addr);
}

#define __free_kfree		toyslab_dropin_free_kfree
#define __free_kvfree		toyslab_dropin_free_kvfree

/* The kmalloc family, with the kernel's signatures. */
static inline void *toyslab_dropin_kzalloc_node(size_t size, gfp_t flags,
						int node)
{
	return toyslab_kmalloc_node(size, flags | __GFP_ZERO, node);
}

static inline void *toyslab_dropin_kmalloc_array_node(size_t n, size_t size,
						      gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return toyslab_kmalloc_node(bytes, flags, node);
}

static inline void *toyslab_dropin_kcalloc_node(size_t n, size_t size,
						gfp_t flags, int node)
{
	return toyslab_dropin_kmalloc_array_node(n, size, flags | __GFP_ZERO,
						 node);
}

static inline void *toyslab_dropin_krealloc_array(void *p, size_t n,
						  size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return toyslab_dropin_krealloc(p, bytes, flags);
}

#undef kmalloc
#define kmalloc			toyslab_kmalloc
#undef kmalloc_node
#define kmalloc_node		toyslab_kmalloc_node
#undef kzalloc
#define kzalloc			toyslab_kzalloc
#undef kzalloc_node
#define kzalloc_node		toyslab_dropin_kzalloc_node
#undef kmalloc_array
#define kmalloc_array		toyslab_kmalloc_array
#undef kmalloc_array_node
#define kmalloc_array_node	toyslab_dropin_kmalloc_array_node
#undef kcalloc
#define kcalloc			toyslab_kcalloc
#undef kcalloc_node
#define kcalloc_node		toyslab_dropin_kcalloc_node
#undef krealloc
#define krealloc		toyslab_dropin_krealloc
#undef krealloc_array
#define krealloc_array		toyslab_dropin_krealloc_array
#undef kfree
#define kfree			toyslab_dropin_kfree
#undef kfree_sensitive
#define kfree_sensitive		toyslab_dropin_kfree_sensitive
#undef ksize
#define ksize			toyslab_dropin_ksize
#undef kfree_bulk
#define kfree_bulk		toyslab_dropin_kfree_bulk
#undef kvfree
#define kvfree			toyslab_dropin_kvfree
#undef kvfree_sensitive
#define kvfree_sensitive	toyslab_dropin_kvfree_sensitive

/* The caller they record is the wrapper's, not the file's. */
#undef kmalloc_track_caller
#define kmalloc_track_caller(size, flags)	toyslab_kmalloc(size, flags)
#undef kmalloc_node_track_caller
#define kmalloc_node_track_caller(size, flags, node)			\
	toyslab_kmalloc_node(size, flags, node)

/* One argument or two, as 6.1's kfree_rcu() and kvfree_rcu() take. */
#define toyslab_dropin_kfree_rcu_1	toyslab_dropin_kfree_rcu_mightsleep
#define toyslab_dropin_kfree_rcu_2	toyslab_dropin_kfree_rcu
#undef kfree_rcu
#define kfree_rcu(...)							\
	CONCATENATE(toyslab_dropin_kfree_rcu_, COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)
#undef kvfree_rcu
#define kvfree_rcu		kfree_rcu
#undef kfree_rcu_mightsleep
#define kfree_rcu_mightsleep	toyslab_dropin_kfree_rcu_mightsleep
#undef kvfree_rcu_mightsleep
#define kvfree_rcu_mightsleep	toyslab_dropin_kfree_rcu_mightsleep

#endif /* _TOYSLAB_DROPIN_H */
