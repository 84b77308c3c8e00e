/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toyslab's trace events: /sys/kernel/tracing/events/toyslab/.
 *
 * toyslab_alloc and toyslab_free carry the fields of kmem:kmem_cache_alloc
 * and kmem:kmem_cache_free, plus the CPU and whether the per-CPU array
 * hit.  The others show the moves between arrays, slabs and pages.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM toyslab

#if !defined(_TOYSLAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TOYSLAB_TRACE_H

#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>

#include "internal.h"

/*
 * Every event fires through toyslab_trace(), below, and has the reg and
 * unreg functions of its gate (trace.c).  The two events of the fast
 * paths fire from their hooks (slab.c), which run only while something
 * holds them: a probe does, from the first to the last one attached.
 */
TRACE_EVENT_FN(toyslab_alloc,
	       TP_PROTO(struct toyslab_cache *cachep, unsigned long call_site,
			const void *ptr, gfp_t gfp_flags, bool hit),
	       TP_ARGS(cachep, call_site, ptr, gfp_flags, hit),

	       TP_STRUCT__entry(__string(name, cachep->name)
				__field(unsigned long, call_site)
				__field(const void *, ptr)
				__field(size_t, bytes_req)
				__field(size_t, bytes_alloc)
				__field(unsigned long, gfp_flags)
				__field(int, cpu)
				__field(bool, hit)
	       ),

	       TP_fast_assign(compat_assign_str(name, cachep->name);
			      __entry->call_site = call_site;
			      __entry->ptr = ptr;
			      __entry->bytes_req = cachep->object_size;
			      __entry->bytes_alloc = cachep->size;
			      __entry->gfp_flags = (__force unsigned long)gfp_flags;
			      __entry->cpu = raw_smp_processor_id();
			      __entry->hit = hit;
	       ),

	       TP_printk("cache=%s call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s cpu=%d %s",
			 __get_str(name), (void *)__entry->call_site, __entry->ptr,
			 __entry->bytes_req, __entry->bytes_alloc,
			 show_gfp_flags(__entry->gfp_flags), __entry->cpu,
			 __entry->hit ? "hit" : "miss"),

	       toyslab_alloc_reg, toyslab_alloc_unreg
);

TRACE_EVENT_FN(toyslab_free,
	       TP_PROTO(struct toyslab_cache *cachep, unsigned long call_site,
			const void *ptr, bool hit),
	       TP_ARGS(cachep, call_site, ptr, hit),

	       TP_STRUCT__entry(__string(name, cachep->name)
				__field(unsigned long, call_site)
				__field(const void *, ptr)
				__field(int, cpu)
				__field(bool, hit)
	       ),

	       TP_fast_assign(compat_assign_str(name, cachep->name);
			      __entry->call_site = call_site;
			      __entry->ptr = ptr;
			      __entry->cpu = raw_smp_processor_id();
			      __entry->hit = hit;
	       ),

	       TP_printk("cache=%s call_site=%pS ptr=%p cpu=%d %s",
			 __get_str(name), (void *)__entry->call_site, __entry->ptr,
			 __entry->cpu, __entry->hit ? "hit" : "miss"),

	       toyslab_free_reg, toyslab_free_unreg
);

/* @source: "shared", "partial", "free" or "grow" */
TRACE_EVENT_FN(toyslab_refill,
	       TP_PROTO(struct toyslab_cache *cachep, const char *source,
			unsigned int count),
	       TP_ARGS(cachep, source, count),

	       TP_STRUCT__entry(__string(name, cachep->name)
				__string(source, source)
				__field(int, cpu)
				__field(unsigned int, count)
	       ),

	       TP_fast_assign(compat_assign_str(name, cachep->name);
			      compat_assign_str(source, source);
			      __entry->cpu = raw_smp_processor_id();
			      __entry->count = count;
	       ),

	       TP_printk("cache=%s cpu=%d source=%s count=%u", __get_str(name),
			 __entry->cpu, __get_str(source), __entry->count),

	       toyslab_refill_reg, toyslab_refill_unreg
);

TRACE_EVENT_FN(toyslab_flush,
	       TP_PROTO(struct toyslab_cache *cachep, bool to_shared,
			unsigned int count),
	       TP_ARGS(cachep, to_shared, count),

	       TP_STRUCT__entry(__string(name, cachep->name)
				__field(int, cpu)
				__field(bool, to_shared)
				__field(unsigned int, count)
	       ),

	       TP_fast_assign(compat_assign_str(name, cachep->name);
			      __entry->cpu = raw_smp_processor_id();
			      __entry->to_shared = to_shared;
			      __entry->count = count;
	       ),

	       TP_printk("cache=%s cpu=%d to=%s count=%u", __get_str(name),
			 __entry->cpu, __entry->to_shared ? "shared" : "lists",
			 __entry->count),

	       toyslab_flush_reg, toyslab_flush_unreg
);

TRACE_EVENT_FN(toyslab_grow,
	       TP_PROTO(struct toyslab_cache *cachep, int node),
	       TP_ARGS(cachep, node),

	       TP_STRUCT__entry(__string(name, cachep->name)
				__field(int, node)
				__field(unsigned int, order)
				__field(unsigned int, objects)
	       ),

	       TP_fast_assign(compat_assign_str(name, cachep->name);
			      __entry->node = node;
			      __entry->order = cachep->gfporder;
			      __entry->objects = cachep->num;
	       ),

	       TP_printk("cache=%s node=%d order=%u objects=%u", __get_str(name),
			 __entry->node, __entry->order, __entry->objects),

	       toyslab_grow_reg, toyslab_grow_unreg
);

TRACE_EVENT_FN(toyslab_reap,
	       TP_PROTO(struct toyslab_cache *cachep, unsigned int drained,
			unsigned int slabs_freed),
	       TP_ARGS(cachep, drained, slabs_freed),

	       TP_STRUCT__entry(__string(name, cachep->name)
				__field(int, cpu)
				__field(unsigned int, drained)
				__field(unsigned int, slabs_freed)
	       ),

	       TP_fast_assign(compat_assign_str(name, cachep->name);
			      __entry->cpu = raw_smp_processor_id();
			      __entry->drained = drained;
			      __entry->slabs_freed = slabs_freed;
	       ),

	       TP_printk("cache=%s cpu=%d drained=%u slabs_freed=%u",
			 __get_str(name), __entry->cpu, __entry->drained,
			 __entry->slabs_freed),

	       toyslab_reap_reg, toyslab_reap_unreg
);

#endif /* _TOYSLAB_TRACE_H */

#ifndef _TOYSLAB_TRACE_GATE
#define _TOYSLAB_TRACE_GATE
/*
 * toyslab_trace(EVENT, args...) fires toyslab_EVENT only while its gate is
 * open (trace.c), with preemption off so that closing it can wait for the
 * CPUs inside.  The key's count, not static_key_enabled(): that says yes
 * from the start of the patching (the count is -1 then), and the count
 * reads 1 only once the kernel is done.
 */
#ifdef NOTRACE
/* make bench's build without trace events: trace_* do nothing. */
#define toyslab_trace(event, ...) trace_toyslab_##event(__VA_ARGS__)
#else
#define toyslab_trace(event, ...)					\
do {									\
	preempt_disable();						\
	if (unlikely(READ_ONCE(toyslab_tracing_##event)) &&		\
	    atomic_read_acquire(&__tracepoint_toyslab_##event.key.enabled) > 0) \
		trace_toyslab_##event(__VA_ARGS__);			\
	preempt_enable();						\
} while (0)
#endif
#endif

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE toyslab_trace
#include <trace/define_trace.h>
