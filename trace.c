// SPDX-License-Identifier: GPL-2.0
/*
 * The one place where toyslab's trace events (toyslab_trace.h) are
 * instantiated, and where each event's gate opens and closes.
 *
 * Attaching the first probe to an event makes the kernel rewrite the
 * event's call sites (its static key and static call); detaching the last
 * one rewrites them back.  A CPU that runs through a site while it is
 * being rewritten can hang under QEMU's multi-threaded TCG (see
 * toyslab_hooks_users in slab.c), and toyslab's sites are on its busiest
 * paths.  So every site sits behind a gate, toyslab_trace(), that is open
 * only while the site is patched in for good:
 *
 *   - the kernel calls the event's reg function below before it patches
 *     the site in, and sets the count of the event's key to 1 (with a
 *     release) only once it is done; while it patches, the count is -1,
 *     which static_key_enabled() already counts as enabled, so the gate
 *     reads the count itself and wants both;
 *   - it calls the unreg function before it patches the site out: that
 *     closes the gate and waits, with synchronize_rcu(), for every CPU
 *     inside (toyslab_trace() runs with preemption off) to leave.
 *
 * A second probe on an event (say perf beside ftrace) still rewrites the
 * site's static call with the gate open; the kernel's own tracepoints
 * live with the same.
 */
#define CREATE_TRACE_POINTS
#include "toyslab_trace.h"

/* No hooks to hold: the events that do not fire from the hooks. */
static void no_hooks(void)
{
}

/*
 * toyslab_alloc and toyslab_free fire from the fast paths' hooks, so their
 * probes hold the hooks on: @get and @put are toyslab_hooks_get() and
 * toyslab_hooks_put() for them, no_hooks() for the others.
 */
#define TOYSLAB_EVENT_GATE(event, get, put)				\
bool toyslab_tracing_##event __read_mostly;				\
									\
int toyslab_##event##_reg(void)						\
{									\
	get();								\
	WRITE_ONCE(toyslab_tracing_##event, true);			\
	return 0;							\
}									\
									\
void toyslab_##event##_unreg(void)					\
{									\
	WRITE_ONCE(toyslab_tracing_##event, false);			\
	synchronize_rcu();						\
	put();								\
}

TOYSLAB_EVENT_GATE(alloc, toyslab_hooks_get, toyslab_hooks_put)
TOYSLAB_EVENT_GATE(free, toyslab_hooks_get, toyslab_hooks_put)
TOYSLAB_EVENT_GATE(refill, no_hooks, no_hooks)
TOYSLAB_EVENT_GATE(flush, no_hooks, no_hooks)
TOYSLAB_EVENT_GATE(grow, no_hooks, no_hooks)
TOYSLAB_EVENT_GATE(reap, no_hooks, no_hooks)
