/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels toyslab builds for (6.1 and 6.12
 * LTS), in one place: everything else is written for both.
 */
#ifndef _TOYSLAB_COMPAT_H
#define _TOYSLAB_COMPAT_H

#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/version.h>

/*
 * struct_size_t() came with 6.5 and reached 6.1 in a stable release later
 * than Debian 12's point release ships (6.1.176 has none): asked of a type,
 * it is struct_size() asked of a pointer of that type, never dereferenced.
 */
#ifndef struct_size_t
#define struct_size_t(type, member, count) \
	struct_size((type *)NULL, member, count)
#endif

/* 6.3 removed __GFP_ATOMIC: high-priority atomic requests no longer carry it. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define COMPAT_GFP_ATOMIC	__GFP_ATOMIC
#else
#define COMPAT_GFP_ATOMIC	0
#endif

/*
 * SLAB_MEM_SPREAD, which only SLAB ever honoured, became a no-op in 6.9 and
 * is gone by 6.12: defined where missing, the kernels between keep theirs.
 */
#ifndef SLAB_MEM_SPREAD
#define SLAB_MEM_SPREAD		0
#endif

/* 6.4 wrapped reclaim_state->reclaimed_slab in mm_account_reclaimed_pages(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
static inline void mm_account_reclaimed_pages(unsigned long pages)
{
	if (current->reclaim_state)
		current->reclaim_state->reclaimed_slab += pages;
}
#endif

/* 6.10 dropped __assign_str()'s source: it is the one __string() named. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define compat_assign_str(dst, src)	__assign_str(dst)
#else
#define compat_assign_str(dst, src)	__assign_str(dst, src)
#endif

/* 6.12 dropped kvrealloc()'s old size. */
static inline void *compat_kvrealloc(void *p, size_t oldsize, size_t newsize,
				     gfp_t gfp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return kvrealloc(p, newsize, gfp);
#else
	return kvrealloc(p, oldsize, newsize, gfp);
#endif
}

/* 6.7 replaced register_shrinker() by shrinker_alloc() + _register(). */
static inline struct shrinker *
compat_shrinker_create(unsigned long (*count)(struct shrinker *,
					      struct shrink_control *),
		       unsigned long (*scan)(struct shrinker *,
					     struct shrink_control *),
		       const char *name)
{
	struct shrinker *s;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	s = shrinker_alloc(0, "%s", name);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	shrinker_register(s);
#else
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (register_shrinker(s, "%s", name)) {
		kfree(s);
		return NULL;
	}
#endif
	return s;
}

/* 6.7's shrinker_free() unregisters and frees what shrinker_alloc() made. */
static inline void compat_shrinker_destroy(struct shrinker *s)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(s);
#endif
}

/*
 * 6.10 folded CONFIG_MEMCG_KMEM into CONFIG_MEMCG: the kmalloc-cg-*
 * classes exist where either is set.
 */
#if IS_ENABLED(CONFIG_MEMCG_KMEM) || \
	(IS_ENABLED(CONFIG_MEMCG) && \
	 LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0))
#define COMPAT_KMALLOC_CGROUP	1
#else
#define COMPAT_KMALLOC_CGROUP	0
#endif

/*
 * Generic KASAN's shadow writer: mm/kasan/shadow.c exports kasan_poison()
 * but declares it in mm/'s private kasan.h.  Checked on 6.1 only (later
 * series export it to KUnit alone), so elsewhere toyslab's objects stay
 * invisible to KASAN, as they were before these hooks.
 */
#if IS_ENABLED(CONFIG_KASAN_GENERIC) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
void kasan_poison(const void *addr, size_t size, u8 value, bool init);

static inline void compat_kasan_poison(const void *addr, size_t size, u8 value)
{
	kasan_poison(addr, size, value, false);
}
#else
static inline void compat_kasan_poison(const void *addr, size_t size, u8 value)
{
}
#endif

#endif /* _TOYSLAB_COMPAT_H */
