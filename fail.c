// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, after failslab and fail_page_alloc: make allocations
 * fail on purpose, to see that their callers (and toyslab) cope.  Debian's
 * kernel has no CONFIG_FAULT_INJECTION, so toyslab carries its own copy of
 * should_fail()'s rules: fail one call in 'interval', with 'probability'
 * percent, at most 'times' times (-1: no limit), after 'space' bytes of
 * allocations went through.  debugfs fail/ sets the knobs.
 */
#include <linux/random.h>
#include <linux/string.h>

#include "internal.h"

/* The knobs; written by debugfs, read by allocations, hence the atomics. */
struct fault_attr {
	atomic_t probability;		/* percent */
	atomic_t interval;
	atomic_t times;
	atomic_t space;
	atomic_t verbose;
	atomic_t ignore_gfp_wait;
	atomic_t page_probability;	/* percent, for the grow path */
	atomic_t count;			/* calls seen, for 'interval' */
};

static struct fault_attr fault = {
	.interval = ATOMIC_INIT(1),
	.times = ATOMIC_INIT(1),
};

/* Only this cache's allocations fail, when set. */
static char fail_cache[TOYSLAB_NAME_MAX + 1];
static DEFINE_SPINLOCK(fail_cache_lock);

/* Allocations in interrupts ask too: the lock is taken with them off. */
static bool cache_selected(struct toyslab_cache *cachep)
{
	unsigned long flags;
	bool selected;

	spin_lock_irqsave(&fail_cache_lock, flags);
	selected = !fail_cache[0] || !strcmp(fail_cache, cachep->name);
	spin_unlock_irqrestore(&fail_cache_lock, flags);
	return selected;
}

static void fail_dump(struct toyslab_cache *cachep, const char *what)
{
	int verbose = atomic_read(&fault.verbose);

	if (verbose)
		pr_notice("toyslab: %s: injected failure of %s\n",
			  cachep->name, what);
	if (verbose > 1)
		dump_stack();
}

/**
 * toyslab_should_failslab - should this allocation fail on purpose?
 * @cachep: the cache
 * @gfp: the allocation's flags
 *
 * Context: any context.
 * Return: true to make toyslab_cache_alloc() return NULL.
 */
bool toyslab_should_failslab(struct toyslab_cache *cachep, gfp_t gfp)
{
	int interval, times;

	if (!atomic_read(&fault.probability) || gfp & __GFP_NOFAIL)
		return false;
	if (atomic_read(&fault.ignore_gfp_wait) && gfpflags_allow_blocking(gfp))
		return false;
	if (!cache_selected(cachep))
		return false;

	times = atomic_read(&fault.times);
	if (!times)
		return false;
	if (atomic_read(&fault.space) > cachep->object_size) {
		atomic_sub(cachep->object_size, &fault.space);
		return false;
	}
	interval = atomic_read(&fault.interval);
	if (interval > 1 && atomic_inc_return(&fault.count) % interval)
		return false;
	if (atomic_read(&fault.probability) <= get_random_u32_below(100))
		return false;

	if (times != -1)
		atomic_dec_if_positive(&fault.times);
	fail_dump(cachep, "an allocation");
	return true;
}

/**
 * toyslab_should_fail_page - should growing this cache fail on purpose?
 * @cachep: the cache
 *
 * Called only while something holds the hooks, as an armed
 * 'page-probability' does.
 *
 * Context: any context.
 * Return: true to make the page allocation of cache_grow_begin() fail.
 */
bool toyslab_should_fail_page(struct toyslab_cache *cachep)
{
	int probability = atomic_read(&fault.page_probability);

	if (!probability || !cache_selected(cachep) ||
	    probability <= get_random_u32_below(100))
		return false;
	fail_dump(cachep, "a page allocation");
	return true;
}

/*
 * The debugfs knobs, by name; each checks its own range.  The KUnit suite
 * sets them too, through the three functions below exported in the
 * TOYSLAB_KUNIT namespace, which are no part of toyslab's API.
 */
static const struct {
	const char *name;
	atomic_t *val;
	int min, max;
} knobs[] = {
	{ "probability",	&fault.probability,	0, 100 },
	{ "interval",		&fault.interval,		1, INT_MAX },
	{ "times",		&fault.times,		-1, INT_MAX },
	{ "space",		&fault.space,		0, INT_MAX },
	{ "verbose",		&fault.verbose,		0, 2 },
	{ "ignore-gfp-wait",	&fault.ignore_gfp_wait,	0, 1 },
	{ "page-probability",	&fault.page_probability,	0, 100 },
};

/**
 * toyslab_fail_knob_name - the name of knob @i
 * @i: index, from 0
 *
 * Return: the name, or NULL past the last knob.
 */
const char *toyslab_fail_knob_name(unsigned int i)
{
	return i < ARRAY_SIZE(knobs) ? knobs[i].name : NULL;
}
EXPORT_SYMBOL_NS_GPL(toyslab_fail_knob_name, TOYSLAB_KUNIT);

int toyslab_fail_knob_get(unsigned int i)
{
	return atomic_read(knobs[i].val);
}

/* Can either injector fail a call? */
static bool fault_armed(void)
{
	return atomic_read(&fault.probability) ||
	       atomic_read(&fault.page_probability);
}

/**
 * toyslab_fail_knob_set - set knob @i
 * @i: index, from 0
 * @val: the new value
 *
 * Return: 0, or -EINVAL out of the knob's range.
 */
int toyslab_fail_knob_set(unsigned int i, int val)
{
	/* Keeps the two probabilities and the hooks' reference in step. */
	static DEFINE_MUTEX(knob_mutex);
	bool was_armed, armed;

	if (val < knobs[i].min || val > knobs[i].max)
		return -EINVAL;

	mutex_lock(&knob_mutex);
	was_armed = fault_armed();
	atomic_set(knobs[i].val, val);
	armed = fault_armed();
	/*
	 * Both injectors are hooks, called only while armed: one reference
	 * while either probability is above 0.
	 */
	if (armed && !was_armed)
		toyslab_hooks_get();
	else if (!armed && was_armed)
		toyslab_hooks_put();
	mutex_unlock(&knob_mutex);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(toyslab_fail_knob_set, TOYSLAB_KUNIT);

void toyslab_fail_cache_get(char *buf, size_t size)
{
	spin_lock_irq(&fail_cache_lock);
	strscpy(buf, fail_cache, size);
	spin_unlock_irq(&fail_cache_lock);
}

/**
 * toyslab_fail_cache_set - restrict fault injection to one cache
 * @name: a valid cache name, or "" for every cache
 *
 * Context: process context.
 */
void toyslab_fail_cache_set(const char *name)
{
	spin_lock_irq(&fail_cache_lock);
	strscpy(fail_cache, name, sizeof(fail_cache));
	spin_unlock_irq(&fail_cache_lock);
}
EXPORT_SYMBOL_NS_GPL(toyslab_fail_cache_set, TOYSLAB_KUNIT);
