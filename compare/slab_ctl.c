// SPDX-License-Identifier: GPL-2.0
/*
 * slab_ctl - drive a real kmem_cache the way toyslab's debugfs drives its
 * caches, so that compare/run-scenario.sh can set the real SLAB's
 * /proc/slabinfo line beside toyslab's, step by step.
 *
 *   /sys/kernel/debug/slab_ctl/control
 *	create NAME SIZE [align=N] [flags=F,...]
 *	destroy NAME
 *   /sys/kernel/debug/slab_ctl/caches/NAME/ctl
 *	alloc N [node=N]
 *	             kmem_cache_alloc() (or _node()) N objects, held on a
 *	             LIFO stack
 *	free N       kmem_cache_free() the N newest held objects
 *	free-all     all of them
 *	alloc-bulk N one kmem_cache_alloc_bulk() of N objects, held in its
 *	             order; on failure none
 *	free-bulk N  one kmem_cache_free_bulk() of the N newest held objects,
 *	             in the order they are held
 *	shrink       kmem_cache_shrink()
 *	reap         kmem_cache_reap_local(): one reaper pass over this
 *	             cache on this CPU, the node part forced (the comparison
 *	             kernel's patches/slab-stats/0002 exports it)
 *	drain        EOPNOTSUPP: SLAB drains one CPU's array only inside
 *	             kmem_cache_shrink(), which drains every CPU
 *   /sys/kernel/debug/slab_ctl/caches/NAME/held
 *	how many objects ctl holds
 *
 * The grammar is toyslab's own, from its cmd.h: one write is one command,
 * decimal numbers only, each option at most once, names of 1 to 31
 * characters of [A-Za-z0-9_-].  Each command runs in the writer's
 * context, so on the CPU it is pinned to (taskset).  The flag names are
 * toyslab's too; the running kernel refuses those it does not support
 * (poison, red_zone and store_user need CONFIG_DEBUG_SLAB).
 *
 * Boot with slab_nomerge: a cache merged into another one would count
 * that cache's traffic, and /proc/slabinfo would show it under the other
 * cache's name (struct kmem_cache is private to mm/, so this module
 * cannot tell; run-scenario.sh checks that the name is there).
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"

/*
 * kmem_cache_reap_local(), exported by patches/slab-stats/0002 and
 * declared in slab_def.h, which only mm/ sees: looked up by name at run
 * time, so that the module loads on any kernel, with 'reap' failing where
 * the function is missing.
 */
#define REAP_LOCAL	"kmem_cache_reap_local"

struct ctl_cache {
	struct list_head list;
	char name[CMD_NAME_MAX + 1];
	unsigned int object_size;
	struct kmem_cache *cache;
	struct dentry *dir;
	struct mutex lock;		/* protects held, and 'dying' */
	bool dying;
	void **held;
	unsigned long nr, cap;
};

static DEFINE_MUTEX(caches_mutex);	/* protects caches */
static LIST_HEAD(caches);
static struct dentry *root, *caches_dir;

/* Context: caches_mutex held. */
static struct ctl_cache *find_cache(const char *name)
{
	struct ctl_cache *c;

	list_for_each_entry(c, &caches, list)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int held_reserve(struct ctl_cache *c, unsigned long nr)
{
	unsigned long cap = c->cap ?: 64;
	void **objs;

	if (c->nr + nr <= c->cap)
		return 0;
	while (cap < c->nr + nr)
		cap *= 2;
	objs = kvmalloc_array(cap, sizeof(void *), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	if (c->nr)
		memcpy(objs, c->held, c->nr * sizeof(void *));
	kvfree(c->held);
	c->held = objs;
	c->cap = cap;
	return 0;
}

static void ctl_free(struct ctl_cache *c, unsigned long nr)
{
	while (nr--)
		kmem_cache_free(c->cache, c->held[--c->nr]);
}

static int ctl_alloc(struct ctl_cache *c, unsigned long nr, int node)
{
	int ret = held_reserve(c, nr);

	while (!ret && nr--) {
		void *obj = node == NUMA_NO_NODE ?
			    kmem_cache_alloc(c->cache, GFP_KERNEL) :
			    kmem_cache_alloc_node(c->cache, GFP_KERNEL, node);

		if (!obj)
			ret = -ENOMEM;
		else
			c->held[c->nr++] = obj;
	}
	return ret;
}

/* alloc N [node=N]: toyslab's, but for gfp=, which slab_ctl refuses */
static int ctl_alloc_cmd(struct ctl_cache *c, struct cmd *cmd)
{
	unsigned int nr;
	int node;

	if (parse_alloc(cmd, &nr, NULL, &node))
		return -EINVAL;
	return ctl_alloc(c, nr, node);
}

/* alloc-bulk N: toyslab's, but for gfp=, which slab_ctl refuses */
static int ctl_alloc_bulk_cmd(struct ctl_cache *c, struct cmd *cmd)
{
	unsigned int nr;
	int ret;

	if (parse_alloc_bulk(cmd, &nr, NULL))
		return -EINVAL;
	ret = held_reserve(c, nr);
	if (ret)
		return ret;
	if (!kmem_cache_alloc_bulk(c->cache, GFP_KERNEL, nr, &c->held[c->nr]))
		return -ENOMEM;
	c->nr += nr;
	return 0;
}

/* free-bulk N */
static int ctl_free_bulk_cmd(struct ctl_cache *c, struct cmd *cmd)
{
	unsigned int nr;

	if (parse_free_bulk(cmd, c->nr, &nr))
		return -EINVAL;
	c->nr -= nr;
	kmem_cache_free_bulk(c->cache, nr, &c->held[c->nr]);
	return 0;
}

static int ctl_reap(struct ctl_cache *c)
{
	void (*reap)(struct kmem_cache *cachep) = __symbol_get(REAP_LOCAL);

	if (!reap)
		return -EOPNOTSUPP;
	reap(c->cache);
	__symbol_put(REAP_LOCAL);
	return 0;
}

static int ctl_cmd(struct ctl_cache *c, struct cmd *cmd)
{
	const char *verb = cmd->argv[0];
	unsigned int nr;

	if (!strcmp(verb, "alloc"))
		return ctl_alloc_cmd(c, cmd);
	if (!strcmp(verb, "free")) {
		if (parse_free(cmd, c->nr, &nr))
			return -EINVAL;
		ctl_free(c, nr);
		return 0;
	}
	if (!strcmp(verb, "alloc-bulk"))
		return ctl_alloc_bulk_cmd(c, cmd);
	if (!strcmp(verb, "free-bulk"))
		return ctl_free_bulk_cmd(c, cmd);
	if (cmd->argc != 1)
		return -EINVAL;
	if (!strcmp(verb, "free-all")) {
		ctl_free(c, c->nr);
		return 0;
	}
	if (!strcmp(verb, "shrink")) {
		kmem_cache_shrink(c->cache);
		return 0;
	}
	if (!strcmp(verb, "reap"))
		return ctl_reap(c);
	if (!strcmp(verb, "drain"))
		return -EOPNOTSUPP;
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct ctl_cache *c = file->private_data;
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;

	mutex_lock(&c->lock);
	ret = c->dying ? -ENOENT : ctl_cmd(c, &cmd);
	mutex_unlock(&c->lock);
	return ret ?: count;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ctl_write,
};

static int held_show(struct seq_file *m, void *v)
{
	struct ctl_cache *c = m->private;

	mutex_lock(&c->lock);
	seq_printf(m, "%lu\n", c->nr);
	mutex_unlock(&c->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(held);

/* create NAME SIZE [align=N] [flags=F,...] */
static int control_create(struct cmd *cmd)
{
	struct cmd_create args;
	struct ctl_cache *c;
	int ret;

	if (parse_create(cmd, KMALLOC_MAX_SIZE, &args))
		return -EINVAL;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	strscpy(c->name, args.name, sizeof(c->name));
	c->object_size = args.size;
	mutex_init(&c->lock);

	mutex_lock(&caches_mutex);
	ret = -EEXIST;
	if (find_cache(c->name))
		goto fail;

	ret = -EINVAL;
	c->cache = kmem_cache_create(c->name, args.size, args.align,
				     args.flags, args.ctor);
	if (!c->cache)
		goto fail;
	c->dir = debugfs_create_dir(c->name, caches_dir);
	debugfs_create_file("ctl", 0200, c->dir, c, &ctl_fops);
	debugfs_create_file("held", 0444, c->dir, c, &held_fops);
	list_add_tail(&c->list, &caches);
	mutex_unlock(&caches_mutex);
	return 0;

fail:
	mutex_unlock(&caches_mutex);
	kfree(c);
	return ret;
}

/* Context: caches_mutex held; @c is off the list and 'dying'. */
static void destroy_cache(struct ctl_cache *c)
{
	debugfs_remove(c->dir);
	ctl_free(c, c->nr);
	kmem_cache_destroy(c->cache);
	kvfree(c->held);
	kfree(c);
}

static int control_destroy(const char *name)
{
	struct ctl_cache *c;

	mutex_lock(&caches_mutex);
	c = find_cache(name);
	if (!c) {
		mutex_unlock(&caches_mutex);
		return -ENOENT;
	}
	mutex_lock(&c->lock);
	c->dying = true;
	mutex_unlock(&c->lock);
	list_del(&c->list);
	destroy_cache(c);
	mutex_unlock(&caches_mutex);
	return 0;
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;

	if (!strcmp(cmd.argv[0], "create"))
		ret = control_create(&cmd);
	else if (is_destroy_cmd(&cmd))
		ret = control_destroy(cmd.argv[1]);
	else
		ret = -EINVAL;

	return ret ?: count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
};

static int __init slab_ctl_init(void)
{
	root = debugfs_create_dir("slab_ctl", NULL);
	if (IS_ERR(root))
		return PTR_ERR(root);
	caches_dir = debugfs_create_dir("caches", root);
	debugfs_create_file("control", 0200, root, NULL, &control_fops);
	return 0;
}

static void __exit slab_ctl_exit(void)
{
	struct ctl_cache *c, *next;

	/* Each cache's directory first: debugfs_remove() waits for writers. */
	mutex_lock(&caches_mutex);
	list_for_each_entry_safe(c, next, &caches, list) {
		list_del(&c->list);
		destroy_cache(c);
	}
	mutex_unlock(&caches_mutex);
	debugfs_remove(root);
}

module_init(slab_ctl_init);
module_exit(slab_ctl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Drive a real kmem_cache like toyslab's debugfs ctl, for comparisons");
