// SPDX-License-Identifier: GPL-2.0
/*
 * SLAB's debugging options, per cache: SLAB_POISON, SLAB_RED_ZONE and
 * SLAB_STORE_USER.  SLAB compiles them in with CONFIG_DEBUG_SLAB; toyslab
 * turns them on for the caches created with them.
 *
 * The buffer of a debug object, as SLAB lays it out:
 *
 *   buf                         : red zone 1 (8 bytes, with SLAB_RED_ZONE)
 *   buf + obj_offset            : the object, object_size bytes, padded
 *   buf + size - 16 (or - 8)    : red zone 2 (8 bytes)
 *   buf + size - 8              : last user (with SLAB_STORE_USER)
 *
 * A free object is filled with POISON_FREE and ends with POISON_END; an
 * allocated one is filled with POISON_INUSE.  Red zones hold REDZONE_INACTIVE
 * while the object is free and REDZONE_ACTIVE while it is allocated.
 *
 * Where SLAB would BUG(), toyslab reports in its own words (never the
 * kernel's "BUG:" or "WARNING:", so that test runners can tell a provoked
 * report from a real failure), counts an error and quarantines the
 * object: it is never handed out again, and goes back to its slab only
 * when the cache is destroyed.  The quarantine is a bit per object in the
 * slab's extension, not a word in the object: whoever wrote where it
 * must not may write again, and free the object again, which the bit
 * catches before anything in the buffer is believed.
 */
#include <linux/kmemleak.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/stacktrace.h>

#include "internal.h"

#define REDZONE_ALIGN		max(BYTES_PER_WORD, __alignof__(unsigned long long))
/* SLAB's red zone words; <linux/poison.h> lost them with SLAB in 6.8. */
#define REDZONE_INACTIVE	0x09F911029D74E35BULL
#define REDZONE_ACTIVE		0xD84156C5635688C0ULL
#define REPORT_STACK_DEPTH	16
#define REPORT_DUMP_BYTES	64

static unsigned long long *dbg_redzone1(struct toyslab_cache *cachep,
					void *buf)
{
	return buf + cachep->obj_offset - sizeof(unsigned long long);
}

static unsigned long long *dbg_redzone2(struct toyslab_cache *cachep,
					void *buf)
{
	if (cachep->flags & SLAB_STORE_USER)
		return buf + cachep->size - sizeof(unsigned long long) -
		       REDZONE_ALIGN;
	return buf + cachep->size - sizeof(unsigned long long);
}

static void **dbg_userword(struct toyslab_cache *cachep, void *buf)
{
	return buf + cachep->size - BYTES_PER_WORD;
}

/**
 * toyslab_debug_layout - make room for red zones and the last user
 * @cachep: the cache, its align already final
 * @size: the buffer size so far, word-aligned; grows
 * @flags: the cache's flags; red zone and store user dropped when the
 *	   alignment is too large for them, as SLAB does
 *
 * Sets cachep->obj_offset.
 */
void toyslab_debug_layout(struct toyslab_cache *cachep, unsigned int *size,
			  slab_flags_t *flags)
{
	if (*flags & SLAB_RED_ZONE) {
		cachep->obj_offset += sizeof(unsigned long long);
		*size += 2 * sizeof(unsigned long long);
	}
	if (*flags & SLAB_STORE_USER) {
		/* The second red zone may need 64-bit alignment. */
		if (*flags & SLAB_RED_ZONE)
			*size += REDZONE_ALIGN;
		else
			*size += BYTES_PER_WORD;
	}
}

/**
 * toyslab_debug_align - the alignment red zoning needs
 * @flags: the cache's flags
 * @size: the object size, word-aligned; aligned further for red zones
 *
 * Return: the minimum alignment for the buffer.
 */
unsigned int toyslab_debug_align(slab_flags_t flags, unsigned int *size)
{
	if (!(flags & SLAB_RED_ZONE))
		return BYTES_PER_WORD;
	*size = ALIGN(*size, REDZONE_ALIGN);
	return REDZONE_ALIGN;
}

static void poison_obj(struct toyslab_cache *cachep, void *buf,
		       unsigned char val)
{
	unsigned char *obj = buf + cachep->obj_offset;

	memset(obj, val, cachep->object_size);
	obj[cachep->object_size - 1] = POISON_END;
}

/* The caller stored by SLAB_STORE_USER, or 0. */
static unsigned long last_user(struct toyslab_cache *cachep, void *buf)
{
	if (!buf || !(cachep->flags & SLAB_STORE_USER))
		return 0;
	return (unsigned long)*dbg_userword(cachep, buf);
}

/*
 * One report: "toyslab: <cache>: <what> at <object>+<offset>, last user
 * <caller>", the bytes around, and the stack, all on lines that start
 * with "toyslab:".
 */
static void report(struct toyslab_cache *cachep, const char *what,
		   void *buf, void *obj, long offset)
{
	unsigned long entries[REPORT_STACK_DEPTH];
	unsigned int nr, i;
	unsigned long user = last_user(cachep, buf);

	STATS_INC_ERR(cachep);
	if (user)
		pr_err("toyslab: %s: %s at %p+%#lx, last user %pS\n",
		       cachep->name, what, obj, offset, (void *)user);
	else
		pr_err("toyslab: %s: %s at %p+%#lx, last user unknown\n",
		       cachep->name, what, obj, offset);
	if (buf) {
		/* The dump may show free or red-zone bytes: KASAN, look away. */
		kasan_disable_current();
		print_hex_dump(KERN_ERR, "toyslab:   ", DUMP_PREFIX_OFFSET, 16,
			       1, obj + offset - offset % 16,
			       min_t(size_t, REPORT_DUMP_BYTES,
				     cachep->size - cachep->obj_offset -
				     (offset - offset % 16)), false);
		kasan_enable_current();
	}
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 1);
	for (i = 0; i < nr; i++)
		pr_err("toyslab:   %pS\n", (void *)entries[i]);
}

/*
 * Keep @buf, an object of @slab, out of circulation until the cache is
 * destroyed.  It stays active in its slab, so the slab stays on the full
 * or partial list, where the destroy path (cache.c) finds it.  The bit
 * is set once even if two CPUs find the same object bad at once; the lock
 * keeps nr_quarantined equal to the bits set.
 */
static void quarantine(struct toyslab_cache *cachep,
		       struct toyslab_slab *slab, void *buf)
{
	unsigned int objnr = obj_to_index(cachep, slab, buf);
	unsigned long flags;

	spin_lock_irqsave(&cachep->quarantine_lock, flags);
	if (!test_and_set_bit(objnr, slab->ext->quarantined))
		cachep->nr_quarantined++;
	spin_unlock_irqrestore(&cachep->quarantine_lock, flags);
}

/**
 * toyslab_unquarantine - take one object out of @slab's quarantine
 * @cachep: a debug cache being destroyed
 * @slab: one of its slabs
 *
 * The object's debug state is reset, so that neither slab destruction nor
 * a later allocation reports it again; the caller gives it back to its
 * slab, then counts it with toyslab_quarantine_released().  Resetting
 * poison under list_lock costs nothing that matters: the cache is being
 * destroyed.
 *
 * Context: list_lock of @slab's node held, interrupts off.
 * Return: the object's buffer, or NULL if none of @slab's is quarantined.
 */
void *toyslab_unquarantine(struct toyslab_cache *cachep,
			   struct toyslab_slab *slab)
{
	unsigned int i = find_first_bit(slab->ext->quarantined, cachep->num);
	void *buf;

	if (i >= cachep->num)
		return NULL;
	buf = index_to_obj(cachep, slab, i);
	clear_bit(i, slab->ext->quarantined);
	if (cachep->flags & SLAB_RED_ZONE) {
		*dbg_redzone1(cachep, buf) = REDZONE_INACTIVE;
		*dbg_redzone2(cachep, buf) = REDZONE_INACTIVE;
	}
	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, buf, POISON_FREE);
	return buf;
}

/**
 * toyslab_quarantine_released - count objects out of the quarantine
 * @cachep: the cache
 * @nr: how many toyslab_unquarantine() gave back
 *
 * Context: no list_lock held: quarantine_lock nests in none.
 */
void toyslab_quarantine_released(struct toyslab_cache *cachep,
				 unsigned long nr)
{
	spin_lock_irq(&cachep->quarantine_lock);
	cachep->nr_quarantined -= nr;
	spin_unlock_irq(&cachep->quarantine_lock);
}

/* First byte of @buf's object that is not free poison, or -1. */
static long poison_mismatch(struct toyslab_cache *cachep, void *buf)
{
	unsigned char *obj = buf + cachep->obj_offset;
	unsigned int i;

	for (i = 0; i < cachep->object_size; i++) {
		unsigned char expect = i == cachep->object_size - 1 ?
				       POISON_END : POISON_FREE;

		if (obj[i] != expect)
			return i;
	}
	return -1;
}

/**
 * toyslab_init_objs_debug - debug state of a new slab's objects
 * @cachep: a debug cache
 * @slab: the new slab, not yet published
 */
void toyslab_init_objs_debug(struct toyslab_cache *cachep,
			     struct toyslab_slab *slab)
{
	unsigned int i;

	for (i = 0; i < cachep->num; i++) {
		void *buf = index_to_obj(cachep, slab, i);

		if (cachep->flags & SLAB_STORE_USER)
			*dbg_userword(cachep, buf) = NULL;
		if (cachep->flags & SLAB_RED_ZONE) {
			*dbg_redzone1(cachep, buf) = REDZONE_INACTIVE;
			*dbg_redzone2(cachep, buf) = REDZONE_INACTIVE;
		}
		/* With poisoning, the constructor runs at each allocation. */
		if (cachep->ctor && !(cachep->flags & SLAB_POISON))
			cachep->ctor(buf + cachep->obj_offset);
		if (cachep->flags & SLAB_POISON)
			poison_obj(cachep, buf, POISON_FREE);
	}
}

/**
 * toyslab_destroy_debugcheck - last look at a slab's objects
 * @cachep: a debug cache
 * @slab: a slab about to be destroyed; every object is free
 */
void toyslab_destroy_debugcheck(struct toyslab_cache *cachep,
				struct toyslab_slab *slab)
{
	unsigned int i;

	/* The object holding the freelist holds indexes, not poison. */
	if (cachep->freelist_type == FREELIST_OBJ &&
	    cachep->flags & SLAB_POISON)
		poison_obj(cachep,
			   *slab_freelist(cachep, slab) - cachep->obj_offset,
			   POISON_FREE);

	for (i = 0; i < cachep->num; i++) {
		void *buf = index_to_obj(cachep, slab, i);
		void *obj = buf + cachep->obj_offset;
		long bad;

		if (cachep->flags & SLAB_POISON) {
			bad = poison_mismatch(cachep, buf);
			if (bad >= 0)
				report(cachep, "write to a free object", buf,
				       obj, bad);
		}
		if (cachep->flags & SLAB_RED_ZONE &&
		    (*dbg_redzone1(cachep, buf) != REDZONE_INACTIVE ||
		     *dbg_redzone2(cachep, buf) != REDZONE_INACTIVE))
			report(cachep, "write outside a free object", buf, obj,
			       (void *)dbg_redzone2(cachep, buf) - obj);
	}
}

/**
 * toyslab_fixup_objfreelist_debug - re-poison freelist-holding objects
 * @cachep: the cache
 * @list: objects linked through their first word by fixup_slab_list()
 *
 * A full objfreelist slab's last object held the freelist; it is handed
 * out next, so its poison is restored, outside list_lock.
 */
void toyslab_fixup_objfreelist_debug(struct toyslab_cache *cachep,
				     void **list)
{
	void *next = *list;

	while (next) {
		void *buf = next - cachep->obj_offset;

		next = *(void **)next;
		poison_obj(cachep, buf, POISON_FREE);
	}
}

/*
 * Check an object leaving the cache.  Returns false, with a report, if it
 * was written while free: it is then quarantined, and the caller takes
 * another.
 */
static bool alloc_debugcheck(struct toyslab_cache *cachep, void *buf,
			     unsigned long caller)
{
	void *obj = buf + cachep->obj_offset;

	if (cachep->flags & SLAB_POISON) {
		long bad = poison_mismatch(cachep, buf);

		if (bad >= 0) {
			report(cachep, "write to a free object", buf, obj, bad);
			return false;
		}
	}
	if (cachep->flags & SLAB_RED_ZONE &&
	    (*dbg_redzone1(cachep, buf) != REDZONE_INACTIVE ||
	     *dbg_redzone2(cachep, buf) != REDZONE_INACTIVE)) {
		report(cachep, "write outside a free object", buf, obj,
		       *dbg_redzone1(cachep, buf) != REDZONE_INACTIVE ?
		       -(long)sizeof(unsigned long long) :
		       (void *)dbg_redzone2(cachep, buf) - obj);
		return false;
	}

	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, buf, POISON_INUSE);
	if (cachep->flags & SLAB_STORE_USER)
		*dbg_userword(cachep, buf) = (void *)caller;
	if (cachep->flags & SLAB_RED_ZONE) {
		*dbg_redzone1(cachep, buf) = REDZONE_ACTIVE;
		*dbg_redzone2(cachep, buf) = REDZONE_ACTIVE;
	}
	if (cachep->ctor && cachep->flags & SLAB_POISON)
		cachep->ctor(obj);
	return true;
}

/**
 * toyslab_alloc_debugcheck - vet an object on its way out
 * @cachep: a debug cache
 * @buf: the buffer __do_cache_alloc() returned
 * @caller: the allocating function, for SLAB_STORE_USER
 *
 * Context: interrupts on or off.
 * Return: the object's address for the user, or NULL if it was
 * quarantined.
 */
void *toyslab_alloc_debugcheck(struct toyslab_cache *cachep, void *buf,
			       unsigned long caller)
{
	if (!alloc_debugcheck(cachep, buf, caller)) {
		quarantine(cachep, virt_to_slab(buf), buf);
		return NULL;
	}
	return buf + cachep->obj_offset;
}

/*
 * Find the slab of a pointer handed to free: the page's fields are read
 * only on a page slabmap.c says is toyslab's, so any pointer is safe to
 * ask about.  A large kmalloc allocation is toyslab's but no slab: NULL.
 */
static struct toyslab_slab *lookup_slab(const void *objp)
{
	struct page *head = toyslab_owned_page(objp);

	return head && page_slab(head)->cache_id ? page_slab(head) : NULL;
}

/**
 * toyslab_free_debugcheck - vet a pointer on its way back
 * @cachep: a debug cache
 * @objp: what the user passed to toyslab_cache_free()
 * @caller: the freeing function, for SLAB_STORE_USER
 *
 * Catches pointers that are not toyslab's, belong to another cache or
 * point into the middle of an object, double frees (of quarantined
 * objects too), and writes past the object while it was allocated.
 *
 * Context: interrupts off.
 * Return: the buffer to put in the array, or NULL to drop the free.
 */
void *toyslab_free_debugcheck(struct toyslab_cache *cachep, void *objp,
			      unsigned long caller)
{
	struct toyslab_slab *slab = lookup_slab(objp);
	unsigned long long rz1, rz2;
	void *buf = objp - cachep->obj_offset;
	unsigned int objnr;

	if (!slab) {
		report(cachep, "free of a pointer toyslab never handed out",
		       NULL, objp, 0);
		return NULL;
	}
	if (slab->cache_id != cachep->id) {
		report(cachep, "free of another cache's object", NULL, objp, 0);
		return NULL;
	}
	objnr = obj_to_index(cachep, slab, buf);
	if (buf < slab_s_mem(cachep, slab) || objnr >= cachep->num ||
	    buf != index_to_obj(cachep, slab, objnr)) {
		report(cachep, "free of a pointer inside an object", NULL,
		       objp, 0);
		return NULL;
	}
	/*
	 * Quarantined at a free (a write past it) or at an allocation (a
	 * write while free): either way its owner freed it already and never
	 * got it back.  Before the red zones, which may still show the first
	 * fault; and nothing is written to the buffer.  No lock: the bit
	 * stays set until the cache is destroyed.  A free that races with
	 * the quarantine setting it is a second free of an object that was
	 * free or being freed: the red zones report it, where there are any,
	 * and quarantine() counts the object once.
	 */
	if (test_bit(objnr, slab->ext->quarantined)) {
		report(cachep, "double free of a quarantined object", buf,
		       objp, 0);
		return NULL;
	}

	if (cachep->flags & SLAB_RED_ZONE) {
		rz1 = *dbg_redzone1(cachep, buf);
		rz2 = *dbg_redzone2(cachep, buf);
		if (rz1 == REDZONE_INACTIVE && rz2 == REDZONE_INACTIVE) {
			report(cachep, "double free", buf, objp, 0);
			return NULL;
		}
		if (rz1 != REDZONE_ACTIVE || rz2 != REDZONE_ACTIVE) {
			report(cachep, "write past the object", buf, objp,
			       rz1 != REDZONE_ACTIVE ?
			       -(long)sizeof(unsigned long long) :
			       (void *)dbg_redzone2(cachep, buf) - objp);
			/* Its owner is done with it, though it never returns. */
			kmemleak_free_recursive(objp, cachep->flags);
			quarantine(cachep, slab, buf);
			return NULL;
		}
		*dbg_redzone1(cachep, buf) = REDZONE_INACTIVE;
		*dbg_redzone2(cachep, buf) = REDZONE_INACTIVE;
	}
	if (cachep->flags & SLAB_STORE_USER)
		*dbg_userword(cachep, buf) = (void *)caller;
	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, buf, POISON_FREE);
	return buf;
}

/**
 * toyslab_report_double_free - a free of the object on top of the array
 * @cachep: the cache
 * @objp: the object
 *
 * SLAB checks this with CONFIG_SLAB_FREELIST_HARDENED, which Debian sets,
 * for every cache; it is the only detector a cache without debug flags
 * has.
 */
void toyslab_report_double_free(struct toyslab_cache *cachep, void *objp)
{
	report(cachep, "double free", NULL, objp + cachep->obj_offset, 0);
}

/* debugfs 'ctl': the provocations, each for exactly one detector. */

/**
 * toyslab_scribble_redzone - write one byte into an object's second red zone
 * @cachep: a cache with SLAB_RED_ZONE
 * @objp: an allocated object
 */
void toyslab_scribble_redzone(struct toyslab_cache *cachep, void *objp)
{
	*(u8 *)dbg_redzone2(cachep, objp - cachep->obj_offset) ^= 0xff;
}

/**
 * toyslab_scribble_object - write one byte into a (free) object
 * @objp: the object
 */
void toyslab_scribble_object(void *objp)
{
	*(u8 *)objp ^= 0xff;
}
