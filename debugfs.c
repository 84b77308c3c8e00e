// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab's debugfs interface, /sys/kernel/debug/toyslab/:
 *
 *   control            create and destroy caches (ctl.c)
 *   slabinfo           /proc/slabinfo 2.1 with statistics; write to retune
 *   reap_interval_ms   the reaper's period, 0 to stop it
 *   memalloc_socks     the stand-in for sk_memalloc_socks()
 *   pages              pages held by every toyslab slab
 *   large_pages        pages of large kmalloc allocations
 *   bad_pointers       pointers the kfree family refused
 *   kmalloc            drive toyslab_kmalloc() and its family (ctl.c)
 *   fail/              fault injection knobs, after failslab
 *   caches/NAME/       stats, cpus, nodes, layout; held, and ctl to drive
 *                      the cache (ctl.c); arrays, slabs and map, the
 *                      object-level views (views.c)
 *
 * Documentation/debugfs.rst describes every file.  This file holds the
 * views and the knobs; ctl.c holds the commands that create, destroy and
 * drive caches.  Neither holds allocator logic: they parse (cmd.h), call
 * the API in toyslab.h or the few hooks made for them, and print.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "cmd.h"
#include "internal.h"

static struct dentry *toyslab_root;
static struct dentry *caches_dir;

static void slabinfo_show_cache(struct seq_file *m, struct toyslab_cache *c)
{
	struct toyslab_cpu_stats cpu;
	struct toyslab_slabinfo info;

	toyslab_get_slabinfo(c, &info);
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d",
		   c->name, info.active_objs, info.num_objs, c->size, c->num,
		   1 << c->gfporder);
	seq_printf(m, " : tunables %4u %4u %4u",
		   c->limit, c->batchcount, c->shared);
	seq_printf(m, " : slabdata %6lu %6lu %6lu",
		   info.active_slabs, info.num_slabs, info.shared_avail);
	seq_printf(m, " : globalstat %7lu %6lu %5lu %4lu %4lu %4lu %4lu %4lu %4lu",
		   atomic_long_read(&c->stats.allocs),
		   atomic_long_read(&c->stats.high_mark),
		   atomic_long_read(&c->stats.grown),
		   atomic_long_read(&c->stats.reaped),
		   atomic_long_read(&c->stats.errors),
		   atomic_long_read(&c->stats.max_freeable),
		   atomic_long_read(&c->stats.node_allocs),
		   atomic_long_read(&c->stats.node_frees),
		   atomic_long_read(&c->stats.node_overflow));
	toyslab_cpu_stats_sum(c, &cpu);
	seq_printf(m, " : cpustat %6lu %6lu %6lu %6lu\n",
		   cpu.allochit, cpu.allocmiss, cpu.freehit, cpu.freemiss);
}

static int slabinfo_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *cachep;

	seq_puts(m, "slabinfo - version: 2.1 (statistics)\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	seq_puts(m, " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> <nodeallocs> <remotefrees> <alienoverflow>");
	seq_puts(m, " : cpustat <allochit> <allocmiss> <freehit> <freemiss>\n");

	mutex_lock(&toyslab_mutex);
	/* Oldest first, like /proc/slabinfo. */
	list_for_each_entry_reverse(cachep, &toyslab_caches, list)
		slabinfo_show_cache(m, cachep);
	mutex_unlock(&toyslab_mutex);
	return 0;
}

static int slabinfo_open(struct inode *inode, struct file *file)
{
	return single_open(file, slabinfo_show, NULL);
}

/* NAME LIMIT BATCHCOUNT SHARED */
static ssize_t slabinfo_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	int limit, batchcount, shared;
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;
	if (cmd.argc != 4 || !toyslab_valid_name(cmd.argv[0]) ||
	    parse_int(cmd.argv[1], &limit) ||
	    parse_int(cmd.argv[2], &batchcount) ||
	    parse_int(cmd.argv[3], &shared))
		return -EINVAL;

	ret = toyslab_tune(cmd.argv[0], limit, batchcount, shared);
	return ret ?: count;
}

static const struct file_operations slabinfo_fops = {
	.owner = THIS_MODULE,
	.open = slabinfo_open,
	.read = seq_read,
	.write = slabinfo_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* A file holding one unsigned number, with a setter. */
struct uint_knob {
	unsigned int (*get)(void);
	int (*set)(unsigned int val);
};

static ssize_t knob_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	const struct uint_knob *knob = file->private_data;
	char buf[24];
	int len;

	len = scnprintf(buf, sizeof(buf), "%u\n", knob->get());
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t knob_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	const struct uint_knob *knob = file->private_data;
	unsigned int val;
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;
	if (cmd.argc != 1 || parse_uint(cmd.argv[0], &val))
		return -EINVAL;

	ret = knob->set(val);
	return ret ?: count;
}

static const struct file_operations knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = knob_read,
	.write = knob_write,
	.llseek = default_llseek,
};

static unsigned int memalloc_socks_get(void)
{
	return toyslab_memalloc_socks();
}

static int memalloc_socks_set(unsigned int val)
{
	if (val > 1)
		return -EINVAL;
	return toyslab_set_memalloc_socks(val);
}

static const struct uint_knob reap_interval_knob = {
	.get = toyslab_reap_interval,
	.set = toyslab_set_reap_interval,
};

static const struct uint_knob memalloc_socks_knob = {
	.get = memalloc_socks_get,
	.set = memalloc_socks_set,
};

/* fail/KNOB: one signed number; fail.c checks the range. */
static ssize_t fail_knob_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned int i = (uintptr_t)file->private_data;
	char buf[24];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", toyslab_fail_knob_get(i));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t fail_knob_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	unsigned int i = (uintptr_t)file->private_data;
	struct cmd cmd;
	int val, ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;
	if (cmd.argc != 1)
		return -EINVAL;
	/* Only 'times' takes a negative number: -1, no limit. */
	if (!strcmp(cmd.argv[0], "-1"))
		val = -1;
	else if (parse_int(cmd.argv[0], &val))
		return -EINVAL;

	ret = toyslab_fail_knob_set(i, val);
	return ret ?: count;
}

static const struct file_operations fail_knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fail_knob_read,
	.write = fail_knob_write,
	.llseek = default_llseek,
};

/* fail/cache: the one cache whose allocations fail, or '*' for all. */
static ssize_t fail_cache_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char buf[TOYSLAB_NAME_MAX + 2];

	toyslab_fail_cache_get(buf, sizeof(buf) - 1);
	if (!buf[0])
		strscpy(buf, "*", sizeof(buf));
	strcat(buf, "\n");
	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static ssize_t fail_cache_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;
	if (cmd.argc != 1 ||
	    (strcmp(cmd.argv[0], "*") && !toyslab_valid_name(cmd.argv[0])))
		return -EINVAL;

	toyslab_fail_cache_set(strcmp(cmd.argv[0], "*") ? cmd.argv[0] : "");
	return count;
}

static const struct file_operations fail_cache_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fail_cache_read,
	.write = fail_cache_write,
	.llseek = default_llseek,
};

static void fail_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("fail", toyslab_root);
	const char *name;
	uintptr_t i;

	for (i = 0; (name = toyslab_fail_knob_name(i)); i++)
		debugfs_create_file(name, 0644, dir, (void *)i,
				    &fail_knob_fops);
	debugfs_create_file("cache", 0644, dir, NULL, &fail_cache_fops);
}

static int pages_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%ld\n", atomic_long_read(&toyslab_pages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pages);

static int large_pages_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lu\n", toyslab_kmalloc_large_pages());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(large_pages);

static int bad_pointers_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lu\n", toyslab_bad_pointers());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bad_pointers);

static int stats_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *c = m->private;
	struct toyslab_cpu_stats cpu;
	struct toyslab_slabinfo info;

	toyslab_get_slabinfo(c, &info);
	toyslab_cpu_stats_sum(c, &cpu);
	seq_printf(m, "allochit %lu\n", cpu.allochit);
	seq_printf(m, "allocmiss %lu\n", cpu.allocmiss);
	seq_printf(m, "freehit %lu\n", cpu.freehit);
	seq_printf(m, "freemiss %lu\n", cpu.freemiss);
	seq_printf(m, "allocs %ld\n", atomic_long_read(&c->stats.allocs));
	seq_printf(m, "high_mark %lu\n", atomic_long_read(&c->stats.high_mark));
	seq_printf(m, "grown %ld\n", atomic_long_read(&c->stats.grown));
	seq_printf(m, "reaped %ld\n", atomic_long_read(&c->stats.reaped));
	seq_printf(m, "errors %ld\n", atomic_long_read(&c->stats.errors));
	seq_printf(m, "quarantined %lu\n", READ_ONCE(c->nr_quarantined));
	seq_printf(m, "max_freeable %ld\n",
		   atomic_long_read(&c->stats.max_freeable));
	seq_printf(m, "node_allocs %ld\n",
		   atomic_long_read(&c->stats.node_allocs));
	seq_printf(m, "node_frees %ld\n", atomic_long_read(&c->stats.node_frees));
	seq_printf(m, "node_overflow %ld\n",
		   atomic_long_read(&c->stats.node_overflow));
	seq_printf(m, "active_objs %lu\n", info.active_objs);
	seq_printf(m, "num_objs %lu\n", info.num_objs);
	seq_printf(m, "active_slabs %lu\n", info.active_slabs);
	seq_printf(m, "num_slabs %lu\n", info.num_slabs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int cpus_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *c = m->private;
	int cpu;

	seq_puts(m, "cpu avail limit batchcount touched allochit allocmiss freehit freemiss\n");
	/* Retuning frees the arrays: toyslab_mutex keeps them while we look. */
	mutex_lock(&toyslab_mutex);
	for_each_possible_cpu(cpu) {
		struct array_cache *ac = per_cpu_ptr(c->cpu_cache, cpu);
		struct toyslab_cpu_stats *st = per_cpu_ptr(c->cpu_stats, cpu);

		seq_printf(m, "%d %u %u %u %u %lu %lu %lu %lu\n", cpu,
			   READ_ONCE(ac->avail), ac->limit, ac->batchcount,
			   READ_ONCE(ac->touched), READ_ONCE(st->allochit),
			   READ_ONCE(st->allocmiss), READ_ONCE(st->freehit),
			   READ_ONCE(st->freemiss));
	}
	mutex_unlock(&toyslab_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cpus);

static unsigned long list_length(struct list_head *head)
{
	unsigned long nr = 0;
	struct list_head *pos;

	list_for_each(pos, head)
		nr++;
	return nr;
}

static int nodes_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *c = m->private;
	struct toyslab_node *n;
	int node;

	seq_puts(m, "node partial full free free_objects free_limit shared_avail shared_limit\n");
	/* toyslab_mutex keeps the shared array in place while we look. */
	mutex_lock(&toyslab_mutex);
	for (node = 0; node < nr_node_ids; node++) {
		n = get_node(c, node);
		if (!n)
			continue;
		unsigned long partial, full, free_slabs, free_objects;
		unsigned int shared_avail = 0, shared_limit = 0, free_limit;

		spin_lock_irq(&n->list_lock);
		partial = list_length(&n->slabs_partial);
		full = list_length(&n->slabs_full);
		free_slabs = n->free_slabs;
		free_objects = n->free_objects;
		free_limit = n->free_limit;
		if (n->shared) {
			shared_avail = n->shared->avail;
			shared_limit = n->shared->limit;
		}
		spin_unlock_irq(&n->list_lock);

		seq_printf(m, "%d %lu %lu %lu %lu %u %u %u\n", node, partial,
			   full, free_slabs, free_objects, free_limit,
			   shared_avail, shared_limit);
	}
	mutex_unlock(&toyslab_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nodes);

static void show_flags(struct seq_file *m, struct toyslab_cache *c)
{
	const char *sep = "";
	int i;

	seq_puts(m, "flags ");
	for (i = 0; i < ARRAY_SIZE(cmd_flag_names); i++) {
		if (c->flags & cmd_flag_names[i].flag) {
			seq_printf(m, "%s%s", sep, cmd_flag_names[i].name);
			sep = ",";
		}
	}
	if (c->ctor) {
		seq_printf(m, "%sctor", sep);
		sep = ",";
	}
	seq_printf(m, "%s\n", *sep ? "" : "none");
}

static int layout_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *c = m->private;

	seq_printf(m, "object_size %u\n", c->object_size);
	seq_printf(m, "size %u\n", c->size);
	seq_printf(m, "align %u\n", c->align);
	seq_printf(m, "num %u\n", c->num);
	seq_printf(m, "gfporder %u\n", c->gfporder);
	seq_printf(m, "colour %zu\n", c->colour);
	seq_printf(m, "colour_off %u\n", c->colour_off);
	seq_printf(m, "freelist %s\n", toyslab_freelist_name(c));
	show_flags(m, c);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(layout);

/**
 * toyslab_debugfs_add_cache - show a new cache under caches/NAME/
 * @cachep: the cache
 *
 * A cache whose name debugfs refuses simply has no directory.
 */
void toyslab_debugfs_add_cache(struct toyslab_cache *cachep)
{
	struct dentry *dir;

	/* The kmalloc classes come first: toyslab_debugfs_init() adds them. */
	if (!caches_dir)
		return;
	dir = debugfs_create_dir(cachep->name, caches_dir);

	cachep->debugfs = dir;
	if (IS_ERR(dir))
		return;
	debugfs_create_file("stats", 0444, dir, cachep, &stats_fops);
	debugfs_create_file("cpus", 0444, dir, cachep, &cpus_fops);
	debugfs_create_file("nodes", 0444, dir, cachep, &nodes_fops);
	debugfs_create_file("layout", 0444, dir, cachep, &layout_fops);
	toyslab_ctl_debugfs_add(dir, cachep);
	toyslab_views_add(cachep, dir);
}

/**
 * toyslab_debugfs_remove_cache - remove caches/NAME/
 * @cachep: the cache
 *
 * Waits until no file of the directory is in use.
 */
void toyslab_debugfs_remove_cache(struct toyslab_cache *cachep)
{
	/* After toyslab_debugfs_exit(), the directory went with the rest. */
	if (caches_dir)
		debugfs_remove(cachep->debugfs);
}

/**
 * toyslab_debugfs_init - /sys/kernel/debug/toyslab/, with the caches so far
 *
 * Context: module init, after the kmalloc classes are made.
 * Return: 0, or a negative errno.
 */
int toyslab_debugfs_init(void)
{
	struct toyslab_cache *cachep;

	toyslab_root = debugfs_create_dir("toyslab", NULL);
	if (IS_ERR(toyslab_root))
		return PTR_ERR(toyslab_root);

	caches_dir = debugfs_create_dir("caches", toyslab_root);
	mutex_lock(&toyslab_mutex);
	list_for_each_entry_reverse(cachep, &toyslab_caches, list)
		toyslab_debugfs_add_cache(cachep);
	mutex_unlock(&toyslab_mutex);
	toyslab_ctl_debugfs_init(toyslab_root);
	debugfs_create_file("slabinfo", 0644, toyslab_root, NULL,
			    &slabinfo_fops);
	debugfs_create_file("reap_interval_ms", 0644, toyslab_root,
			    (void *)&reap_interval_knob, &knob_fops);
	debugfs_create_file("memalloc_socks", 0644, toyslab_root,
			    (void *)&memalloc_socks_knob, &knob_fops);
	debugfs_create_file("pages", 0444, toyslab_root, NULL, &pages_fops);
	debugfs_create_file("large_pages", 0444, toyslab_root, NULL,
			    &large_pages_fops);
	debugfs_create_file("bad_pointers", 0444, toyslab_root, NULL,
			    &bad_pointers_fops);
	fail_debugfs_init();
	return 0;
}

void toyslab_debugfs_exit(void)
{
	debugfs_remove(toyslab_root);
	caches_dir = NULL;
}
