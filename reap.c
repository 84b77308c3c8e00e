// SPDX-License-Identifier: GPL-2.0
/*
 * Draining and reaping: how objects and slabs flow back.
 *
 * Every reap_interval_ms (2 s, SLAB's REAPTIMEOUT_AC) each CPU's reaper
 * visits every cache.  A per-CPU array used since the last visit only
 * loses its 'touched' mark; an idle one gives a fifth of its limit back.
 * Every second visit (REAPTIMEOUT_NODE, 4 s) the node's shared array gets
 * the same treatment, and if nobody took a free slab meanwhile, about a
 * fifth of free_limit worth of free slabs go back to the page allocator.
 */
#include <linux/cpu.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "internal.h"
#include "toyslab_trace.h"

#define DEFAULT_REAP_INTERVAL_MS	2000
#define MAX_REAP_INTERVAL_MS		3600000

/*
 * What an idle array or node gives back each pass, as a fraction of what
 * it may hold: a fifth, SLAB's choice, kept so that compare/ counts the
 * same.  A full array left idle is empty after about five passes, 10 s
 * at the default period (with less than a fifth left, half of what is
 * left goes: drain_array_locked()): a short pause keeps most of a warm
 * array, and an idle cache is empty within seconds.
 */
#define REAP_FRACTION	5

static unsigned int reap_interval_ms = DEFAULT_REAP_INTERVAL_MS;
static DEFINE_MUTEX(reap_interval_mutex);
static DEFINE_PER_CPU(struct delayed_work, reap_work);
/* Which node's alien array this CPU's reaper drains next. */
static DEFINE_PER_CPU(int, slab_reap_node);

static unsigned long reaptimeout_ac(void)
{
	return msecs_to_jiffies(READ_ONCE(reap_interval_ms) ?:
				DEFAULT_REAP_INTERVAL_MS);
}

/* A running reaper's next pass: @ms on, rounded as SLAB rounds its timer. */
static unsigned long next_pass_delay(unsigned int ms)
{
	return round_jiffies_relative(msecs_to_jiffies(ms));
}

/**
 * toyslab_reaptimeout_node - SLAB's REAPTIMEOUT_NODE: two reaper periods
 *
 * Return: the period in jiffies.
 */
unsigned long toyslab_reaptimeout_node(void)
{
	return 2 * reaptimeout_ac();
}

/**
 * drain_array_locked - give objects of an array back to their slabs
 * @cachep: the cache
 * @ac: the array (per-CPU, shared or alien)
 * @node: the node the objects belong to
 * @free_all: all of them, or a fifth of the limit (at most half of them)
 * @list: collects slabs to destroy after unlocking
 *
 * Context: list_lock of @node held.
 * Return: how many objects went back.
 */
int drain_array_locked(struct toyslab_cache *cachep, struct array_cache *ac,
		       int node, bool free_all, struct list_head *list)
{
	int tofree;

	if (!ac || !ac->avail)
		return 0;

	tofree = free_all ? ac->avail : DIV_ROUND_UP(ac->limit, REAP_FRACTION);
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;

	free_block(cachep, ac->entry, tofree, node, list);
	ac->avail -= tofree;
	memmove(ac->entry, &ac->entry[tofree], sizeof(void *) * ac->avail);
	return tofree;
}

/*
 * The reaper's step for one array: spare it once if it was used.
 * Returns how many objects went back.
 */
static int drain_array(struct toyslab_cache *cachep, struct toyslab_node *n,
		       struct array_cache *ac, int node)
{
	LIST_HEAD(list);
	int drained;

	/* The shared array may be replaced unless toyslab_mutex is held. */
	lockdep_assert_held(&toyslab_mutex);

	if (!ac || !ac->avail)
		return 0;

	if (ac->touched) {
		ac->touched = 0;
		return 0;
	}

	spin_lock_irq(&n->list_lock);
	drained = drain_array_locked(cachep, ac, node, false, &list);
	spin_unlock_irq(&n->list_lock);

	slabs_destroy(cachep, &list);
	return drained;
}

/**
 * drain_freelist - give up to @tofree free slabs back to the page allocator
 * @cachep: the cache
 * @n: the node
 * @tofree: how many at most
 *
 * Context: process context, interrupts on.
 * Return: how many were given back.
 */
int drain_freelist(struct toyslab_cache *cachep, struct toyslab_node *n,
		   int tofree)
{
	struct toyslab_slab *slab;
	int nr_freed = 0;

	while (nr_freed < tofree && !list_empty(&n->slabs_free)) {
		spin_lock_irq(&n->list_lock);
		if (list_empty(&n->slabs_free)) {
			spin_unlock_irq(&n->list_lock);
			break;
		}
		slab = list_last_entry(&n->slabs_free, struct toyslab_slab,
				       slab_list);
		list_del(&slab->slab_list);
		n->free_slabs--;
		n->total_slabs--;
		n->free_objects -= cachep->num;
		/* Off every list: the slab can be destroyed unlocked. */
		spin_unlock_irq(&n->list_lock);
		slab_destroy(cachep, slab);
		nr_freed++;
	}
	return nr_freed;
}

/**
 * drain_this_cpu - give this CPU's whole array back to the slabs
 * @cachep: the cache
 *
 * Context: interrupts off (an IPI, or the debugfs 'drain' command).
 */
void drain_this_cpu(struct toyslab_cache *cachep)
{
	struct array_cache *ac = cpu_cache_get(cachep);
	int node = numa_mem_id();
	struct toyslab_node *n;
	LIST_HEAD(list);

	lockdep_assert_irqs_disabled();
	n = get_node(cachep, node);
	spin_lock(&n->list_lock);
	free_block(cachep, ac->entry, ac->avail, node, &list);
	spin_unlock(&n->list_lock);
	ac->avail = 0;
	slabs_destroy(cachep, &list);
}

static void do_drain(void *arg)
{
	drain_this_cpu(arg);
}

/**
 * drain_cpu_caches - empty every per-CPU, alien and shared array
 * @cachep: the cache
 *
 * Context: process context, cpus_read_lock() held.
 */
void drain_cpu_caches(struct toyslab_cache *cachep)
{
	struct toyslab_node *n;
	int node;

	on_each_cpu(do_drain, cachep, 1);

	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (n && n->alien)
			drain_alien_cache(cachep, n->alien);
	}

	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		LIST_HEAD(list);

		spin_lock_irq(&n->list_lock);
		drain_array_locked(cachep, n->shared, node, true, &list);
		spin_unlock_irq(&n->list_lock);
		slabs_destroy(cachep, &list);
	}
}

/**
 * __cache_shrink - drain every array, free every free slab
 * @cachep: the cache
 *
 * Context: process context, cpus_read_lock() held.
 * Return: 0 if no slab is left in use, 1 otherwise.
 */
int __cache_shrink(struct toyslab_cache *cachep)
{
	struct toyslab_node *n;
	int node, ret = 0;

	drain_cpu_caches(cachep);
	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		drain_freelist(cachep, n, INT_MAX);
		ret |= !list_empty(&n->slabs_full) ||
		       !list_empty(&n->slabs_partial);
	}
	return ret;
}

/**
 * toyslab_cache_shrink - give back every free object and free slab
 * @cachep: the cache
 *
 * Empties every per-CPU, shared and alien array, then frees every slab
 * with no object in use.
 *
 * Context: process context; may sleep.
 * Return: 0 if no slab is left in use, 1 otherwise.
 */
int toyslab_cache_shrink(struct toyslab_cache *cachep)
{
	int ret;

	cpus_read_lock();
	ret = __cache_shrink(cachep);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(toyslab_cache_shrink);

/*
 * One cache's share of a reaper pass on this CPU.  The node part runs when
 * its timer expired, or always when @force_node.
 */
static void reap_cache(struct toyslab_cache *cachep, bool force_node)
{
	int node = numa_mem_id();
	struct toyslab_node *n = get_node(cachep, node);
	int drained, freed = 0;

	reap_alien(cachep, n, __this_cpu_read(slab_reap_node));

	drained = drain_array(cachep, n, cpu_cache_get(cachep), node);

	/* Racy, as in SLAB: a check skipped or done twice does no harm. */
	if (!force_node && time_after(n->next_reap, jiffies))
		goto out;

	n->next_reap = jiffies + toyslab_reaptimeout_node();

	drained += drain_array(cachep, n, n->shared, node);

	if (n->free_touched) {
		n->free_touched = 0;
		goto out;
	}
	/* A fifth of free_limit's worth of objects, in whole slabs. */
	freed = drain_freelist(cachep, n, DIV_ROUND_UP(n->free_limit,
						       REAP_FRACTION * cachep->num));
	STATS_ADD_REAPED(cachep, freed);
out:
	toyslab_trace(reap, cachep, drained, freed);
}

/* Point this CPU's reaper at the next online node's alien array. */
static void next_reap_node(void)
{
	int node = __this_cpu_read(slab_reap_node);

	__this_cpu_write(slab_reap_node, next_node_in(node, node_online_map));
}

static void cache_reap(struct work_struct *w)
{
	struct toyslab_cache *cachep;
	unsigned int interval;

	/* Busy?  Then try again next time rather than wait. */
	if (!mutex_trylock(&toyslab_mutex))
		goto out;

	list_for_each_entry(cachep, &toyslab_caches, list) {
		reap_cache(cachep, false);
		cond_resched();
	}
	mutex_unlock(&toyslab_mutex);
	next_reap_node();
out:
	interval = READ_ONCE(reap_interval_ms);
	if (interval)
		schedule_delayed_work_on(smp_processor_id(), to_delayed_work(w),
					 next_pass_delay(interval));
}

/**
 * toyslab_reap_cache_now - debugfs 'reap': one reaper pass on this CPU
 * @cachep: the cache
 *
 * The node part runs whether or not its timer has expired, so that what
 * one pass does can be predicted.
 *
 * Context: process context; takes toyslab_mutex.
 */
void toyslab_reap_cache_now(struct toyslab_cache *cachep)
{
	mutex_lock(&toyslab_mutex);
	/* Stay on this CPU for the per-CPU part. */
	preempt_disable();
	reap_cache(cachep, true);
	preempt_enable();
	mutex_unlock(&toyslab_mutex);
}

static void start_reaper(int cpu)
{
	/* Spread the CPUs' first runs so that they do not go in lockstep. */
	schedule_delayed_work_on(cpu, &per_cpu(reap_work, cpu),
				 __round_jiffies_relative(HZ, cpu));
}

/**
 * toyslab_reaper_online_cpu - cpuhp: start @cpu's reaper
 * @cpu: the CPU coming online
 *
 * Return: 0.
 */
int toyslab_reaper_online_cpu(unsigned int cpu)
{
	per_cpu(slab_reap_node, cpu) = next_node_in(cpu_to_mem(cpu),
						    node_online_map);
	mutex_lock(&reap_interval_mutex);
	if (reap_interval_ms)
		start_reaper(cpu);
	mutex_unlock(&reap_interval_mutex);
	return 0;
}

/**
 * toyslab_reaper_offline_cpu - cpuhp: stop @cpu's reaper
 * @cpu: the CPU going offline
 *
 * Return: 0.
 */
int toyslab_reaper_offline_cpu(unsigned int cpu)
{
	cancel_delayed_work_sync(&per_cpu(reap_work, cpu));
	return 0;
}

unsigned int toyslab_reap_interval(void)
{
	return READ_ONCE(reap_interval_ms);
}

/**
 * toyslab_set_reap_interval - debugfs 'reap_interval_ms'
 * @ms: the new period; 0 stops the reapers, a value after 0 starts them,
 *	and a new value while they run moves their next pass to one new
 *	period from now
 *
 * Return: 0, or -EINVAL above an hour.
 */
int toyslab_set_reap_interval(unsigned int ms)
{
	unsigned int old;
	int cpu;

	if (ms > MAX_REAP_INTERVAL_MS)
		return -EINVAL;

	cpus_read_lock();
	mutex_lock(&reap_interval_mutex);
	old = reap_interval_ms;
	WRITE_ONCE(reap_interval_ms, ms);
	for_each_online_cpu(cpu) {
		struct delayed_work *work = &per_cpu(reap_work, cpu);

		if (!ms)
			cancel_delayed_work_sync(work);
		else if (!old)
			start_reaper(cpu);
		else if (ms != old)
			/* The pending pass was timed by the old period. */
			mod_delayed_work_on(cpu, system_wq, work,
					    next_pass_delay(ms));
	}
	mutex_unlock(&reap_interval_mutex);
	cpus_read_unlock();
	return 0;
}

/*
 * The shrinker.  SLAB gave free slabs back only from its reaper; toyslab
 * also lets memory reclaim (and echo 2 > /proc/sys/vm/drop_caches) take
 * them: the pages of slabs with no object in use.
 */
static unsigned long free_slab_pages(void)
{
	struct toyslab_cache *cachep;
	unsigned long pages = 0;
	int node;

	list_for_each_entry(cachep, &toyslab_caches, list)
		for (node = 0; node < nr_node_ids; node++)
			if (get_node(cachep, node))
				pages += READ_ONCE(get_node(cachep, node)->free_slabs)
					 << cachep->gfporder;
	return pages;
}

static unsigned long toyslab_shrink_count(struct shrinker *s,
					  struct shrink_control *sc)
{
	unsigned long pages;

	if (!mutex_trylock(&toyslab_mutex))
		return 0;
	pages = free_slab_pages();
	mutex_unlock(&toyslab_mutex);
	return pages ?: SHRINK_EMPTY;
}

static unsigned long toyslab_shrink_scan(struct shrinker *s,
					 struct shrink_control *sc)
{
	unsigned long freed = 0, slabs;
	struct toyslab_cache *cachep;
	struct toyslab_node *n;
	int node;

	/* Reclaim must never wait for a cache being created or tuned. */
	if (!mutex_trylock(&toyslab_mutex))
		return SHRINK_STOP;
	list_for_each_entry(cachep, &toyslab_caches, list) {
		for (node = 0; node < nr_node_ids && freed < sc->nr_to_scan;
		     node++) {
			n = get_node(cachep, node);
			if (!n)
				continue;
			slabs = drain_freelist(cachep, n, DIV_ROUND_UP(sc->nr_to_scan - freed,
								       1 << cachep->gfporder));
			freed += slabs << cachep->gfporder;
		}
	}
	mutex_unlock(&toyslab_mutex);
	return freed;
}

static struct shrinker *toyslab_shrinker;

int toyslab_shrinker_init(void)
{
	toyslab_shrinker = compat_shrinker_create(toyslab_shrink_count,
						  toyslab_shrink_scan,
						  "toyslab");
	return toyslab_shrinker ? 0 : -ENOMEM;
}

void toyslab_shrinker_exit(void)
{
	compat_shrinker_destroy(toyslab_shrinker);
}

void toyslab_reaper_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_DEFERRABLE_WORK(&per_cpu(reap_work, cpu), cache_reap);
}
