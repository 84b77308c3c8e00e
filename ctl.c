// SPDX-License-Identifier: GPL-2.0
/*
 * The command side of toyslab's debugfs interface:
 *
 *   control             create and destroy caches
 *   kmalloc             drive toyslab_kmalloc() and its family
 *   caches/NAME/ctl     drive one cache: alloc, free, their bulk forms,
 *                       shrink, drain, reap, and the test-only
 *                       provocations of the debug checks
 *   caches/NAME/held    the objects 'ctl' holds
 *
 * Documentation/debugfs.rst describes the commands; cmd.h holds their
 * grammar, which the comparison's slab_ctl module shares.  Each cache's
 * struct toyslab_ctl is this file's alone: the core stops, restarts and
 * empties it through the toyslab_ctl_*() functions at the end.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "cmd.h"
#include "internal.h"

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct cmd_create args;
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;

	if (!strcmp(cmd.argv[0], "create")) {
		ret = parse_create(&cmd, TOYSLAB_MAX_SIZE, &args);
		if (!ret)
			ret = toyslab_create_user_cache(args.name, args.size,
							args.align, args.flags,
							args.ctor);
	} else if (is_destroy_cmd(&cmd)) {
		ret = toyslab_destroy_user_cache(cmd.argv[1]);
	} else {
		ret = -EINVAL;
	}
	return ret ?: count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
};

/*
 * The objects 'ctl' holds, oldest first: hashed address (equal for the
 * same object), offset in its page (the colour shows there), and its first
 * word (the 'ctor' stamp shows there).
 */
static int held_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *c = m->private;
	struct toyslab_ctl *ctl = &c->ctl;
	unsigned long i;

	seq_puts(m, "index object page_offset first_word\n");
	mutex_lock(&ctl->mutex);
	for (i = 0; i < ctl->nr; i++) {
		void *obj = ctl->objs[i];
		u64 word = 0;

		/* Read no further than the object: its owner may not. */
		memcpy(&word, obj, min_t(size_t, c->object_size, sizeof(word)));
		seq_printf(m, "%lu %p 0x%03lx 0x%016llx\n", i, obj,
			   offset_in_page(obj), word);
	}
	mutex_unlock(&ctl->mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(held);

/* Room for @nr more held objects, so that 'alloc' never fails halfway. */
static int held_reserve(struct toyslab_ctl *ctl, unsigned long nr)
{
	unsigned long cap = ctl->cap ?: 64;
	void **objs;

	if (ctl->nr + nr <= ctl->cap)
		return 0;
	while (cap < ctl->nr + nr)
		cap *= 2;
	objs = compat_kvrealloc(ctl->objs, ctl->cap * sizeof(void *),
				cap * sizeof(void *), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	ctl->objs = objs;
	ctl->cap = cap;
	return 0;
}

static void held_push(struct toyslab_ctl *ctl, void *obj)
{
	ctl->objs[ctl->nr++] = obj;
}

/* The newest held object, taken off the stack. */
static void *held_pop(struct toyslab_ctl *ctl)
{
	return ctl->nr ? ctl->objs[--ctl->nr] : NULL;
}

static void *held_top(struct toyslab_ctl *ctl)
{
	return ctl->objs[ctl->nr - 1];
}

static int ctl_alloc(struct toyslab_cache *c, unsigned long nr, gfp_t gfp,
		     int node)
{
	int ret = held_reserve(&c->ctl, nr);

	while (!ret && nr--) {
		void *obj = toyslab_cache_alloc_node(c, gfp, node);

		if (!obj)
			ret = -ENOMEM;
		else
			held_push(&c->ctl, obj);
	}
	return ret;
}

static void ctl_free(struct toyslab_cache *c, unsigned long nr)
{
	while (nr--)
		toyslab_cache_free(c, held_pop(&c->ctl));
}

/* alloc N [gfp=...] [node=N] */
static int ctl_alloc_cmd(struct toyslab_cache *c, struct cmd *cmd)
{
	unsigned int nr;
	gfp_t gfp;
	int node;

	if (parse_alloc(cmd, &nr, &gfp, &node))
		return -EINVAL;
	return ctl_alloc(c, nr, gfp, node);
}

/*
 * alloc-bulk N [gfp=...]: one toyslab_cache_alloc_bulk() into the top of
 * the held stack, so that the newest held object is its last.  All or
 * nothing: on failure nothing more is held.
 */
static int ctl_alloc_bulk_cmd(struct toyslab_cache *c, struct cmd *cmd)
{
	struct toyslab_ctl *ctl = &c->ctl;
	unsigned int nr;
	gfp_t gfp;
	int ret;

	if (parse_alloc_bulk(cmd, &nr, &gfp))
		return -EINVAL;
	ret = held_reserve(ctl, nr);
	if (ret)
		return ret;
	if (!toyslab_cache_alloc_bulk(c, gfp, nr, &ctl->objs[ctl->nr]))
		return -ENOMEM;
	ctl->nr += nr;
	return 0;
}

/*
 * free-bulk N: one toyslab_cache_free_bulk() of the N newest held
 * objects, which frees them oldest first, in the order they are held.
 */
static int ctl_free_bulk_cmd(struct toyslab_cache *c, struct cmd *cmd)
{
	struct toyslab_ctl *ctl = &c->ctl;
	unsigned int nr;

	if (parse_free_bulk(cmd, ctl->nr, &nr))
		return -EINVAL;
	ctl->nr -= nr;
	toyslab_cache_free_bulk(c, nr, &ctl->objs[ctl->nr]);
	return 0;
}

/* free-wrong-cache OTHER: free OTHER's newest held object into @c. */
static int provoke_wrong_cache(struct toyslab_cache *c, const char *other)
{
	struct toyslab_cache *o;
	int ret = -EINVAL;

	mutex_lock(&toyslab_mutex);
	o = toyslab_find_cache(other);
	/* Another ctl may hold it: never wait for it under our own lock. */
	if (o && o != c && cache_debug(o) && mutex_trylock(&o->ctl.mutex)) {
		if (!o->ctl.dying && o->ctl.nr) {
			toyslab_cache_free(c, held_top(&o->ctl));
			ret = 0;
		}
		mutex_unlock(&o->ctl.mutex);
	} else if (o && o != c && cache_debug(o)) {
		ret = -EBUSY;
	}
	mutex_unlock(&toyslab_mutex);
	return ret;
}

/*
 * Red zones catch a double free anywhere; without them, only the
 * hardened check on the top of this CPU's array does, so the object must
 * not be a remote one that would go to an alien cache instead.
 */
static int provoke_double_free(struct toyslab_cache *c)
{
	void *obj = held_top(&c->ctl);
	unsigned long flags;
	int ret = 0;

	/*
	 * Interrupts off: a drain by IPI between the two frees would take
	 * the object off the top of the array, and the second free would
	 * not be caught but done.
	 */
	local_irq_save(flags);
	if (c->flags & SLAB_RED_ZONE || nr_online_nodes == 1 ||
	    page_to_nid(virt_to_page(obj)) == numa_mem_id()) {
		held_pop(&c->ctl);
		toyslab_cache_free(c, obj);
		toyslab_cache_free(c, obj);
	} else {
		ret = -EINVAL;
	}
	local_irq_restore(flags);
	return ret;
}

/*
 * Free the newest held object, write to it, and allocate again: LIFO hands
 * the same object back, its poison check reports it and quarantines it, and
 * the next object is taken.  All with interrupts off, so that the object
 * stays on top of this CPU's array: drained back to its slab first, it
 * could come to hold the slab's freelist, and the write would corrupt that.
 */
static int provoke_scribble_free(struct toyslab_cache *c)
{
	void *obj = held_pop(&c->ctl);
	unsigned long flags;

	local_irq_save(flags);
	toyslab_cache_free(c, obj);
	toyslab_scribble_object(obj);
	obj = toyslab_cache_alloc(c, GFP_ATOMIC | __GFP_NOWARN);
	local_irq_restore(flags);
	if (!obj)
		return -ENOMEM;
	/* Room for it: one was just popped. */
	held_push(&c->ctl, obj);
	return 0;
}

/*
 * The kernel's kfree() of the newest held object, as code outside a file
 * built with toyslab_dropin.h would free it; 'ctl' keeps holding it, so
 * that free-all gives it back afterwards.  Only in a cache of control's
 * whose slabs are compound pages of order 1 or more: of an order-0 page
 * the kernel's free_large_kmalloc() WARNs, which is its own report.  The
 * page loses a reference (TOYSLAB_SLAB_PAGE_REFS), and destroy says so.
 */
static int provoke_kfree_by_kernel(struct toyslab_cache *c)
{
	if (!c->user || !c->gfporder || !c->ctl.nr)
		return -EINVAL;
	kfree(held_top(&c->ctl));
	return 0;
}

/*
 * The test-only provocations: each hands one detector exactly one case.
 * They need the debug flag whose detector they feed; freeing a foreign
 * pointer into a cache without checks would corrupt it for real.
 */
static int ctl_provoke(struct toyslab_cache *c, struct cmd *cmd)
{
	const char *verb = cmd->argv[0];
	void *obj;

	if (!strcmp(verb, "free-wrong-cache"))
		return cmd->argc == 2 && cache_debug(c) ?
		       provoke_wrong_cache(c, cmd->argv[1]) : -EINVAL;
	if (cmd->argc == 1 && !strcmp(verb, "kfree-by-kernel"))
		return provoke_kfree_by_kernel(c);
	if (cmd->argc != 1 || !cache_debug(c))
		return -EINVAL;

	if (!strcmp(verb, "free-foreign")) {
		obj = kmalloc(c->object_size, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		toyslab_cache_free(c, obj);
		kfree(obj);
		return 0;
	}
	if (!c->ctl.nr)
		return -EINVAL;
	if (!strcmp(verb, "free-misaligned")) {
		toyslab_cache_free(c, held_top(&c->ctl) + 1);
	} else if (!strcmp(verb, "double-free")) {
		return provoke_double_free(c);
	} else if (!strcmp(verb, "scribble-redzone") &&
		   c->flags & SLAB_RED_ZONE) {
		obj = held_pop(&c->ctl);
		toyslab_scribble_redzone(c, obj);
		toyslab_cache_free(c, obj);
	} else if (!strcmp(verb, "scribble-free") && c->flags & SLAB_POISON) {
		return provoke_scribble_free(c);
	} else {
		return -EINVAL;
	}
	return 0;
}

static int ctl_cmd(struct toyslab_cache *c, struct cmd *cmd)
{
	const char *verb = cmd->argv[0];
	unsigned int nr;

	if (!strcmp(verb, "alloc"))
		return ctl_alloc_cmd(c, cmd);
	if (!strcmp(verb, "free")) {
		if (parse_free(cmd, c->ctl.nr, &nr))
			return -EINVAL;
		ctl_free(c, nr);
		return 0;
	}
	if (!strcmp(verb, "alloc-bulk"))
		return ctl_alloc_bulk_cmd(c, cmd);
	if (!strcmp(verb, "free-bulk"))
		return ctl_free_bulk_cmd(c, cmd);
	if (!strcmp(verb, "free-wrong-cache"))
		return ctl_provoke(c, cmd);
	if (cmd->argc != 1)
		return -EINVAL;
	if (!strcmp(verb, "free-all")) {
		ctl_free(c, c->ctl.nr);
	} else if (!strcmp(verb, "shrink")) {
		toyslab_cache_shrink(c);
	} else if (!strcmp(verb, "drain")) {
		local_irq_disable();
		drain_this_cpu(c);
		local_irq_enable();
	} else if (!strcmp(verb, "reap")) {
		toyslab_reap_cache_now(c);
	} else if (!strcmp(verb, "mark-pfmemalloc")) {
		/* The next slab grows as if built from the reserves. */
		WRITE_ONCE(c->pfmemalloc_next, true);
	} else {
		return ctl_provoke(c, cmd);
	}
	return 0;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct toyslab_cache *c = file->private_data;
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;

	mutex_lock(&c->ctl.mutex);
	ret = c->ctl.dying ? -ENOENT : ctl_cmd(c, &cmd);
	mutex_unlock(&c->ctl.mutex);
	return ret ?: count;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ctl_write,
};

/*
 * The 'kmalloc' file: toyslab_kmalloc() and its family driven from
 * debugfs, the memory it holds kept as a cache's 'ctl' keeps objects.
 */
static struct toyslab_ctl kmalloc_ctl = {
	.mutex = __MUTEX_INITIALIZER(kmalloc_ctl.mutex),
};

/* The memory 'kmalloc' holds, oldest first, with its toyslab_ksize(). */
static int kmalloc_show(struct seq_file *m, void *v)
{
	unsigned long i;

	seq_puts(m, "index object ksize\n");
	mutex_lock(&kmalloc_ctl.mutex);
	for (i = 0; i < kmalloc_ctl.nr; i++)
		seq_printf(m, "%lu %p %zu\n", i, kmalloc_ctl.objs[i],
			   toyslab_ksize(kmalloc_ctl.objs[i]));
	mutex_unlock(&kmalloc_ctl.mutex);
	return 0;
}

static int kmalloc_open(struct inode *inode, struct file *file)
{
	return single_open(file, kmalloc_show, NULL);
}

/* kmalloc SIZE N [gfp=...] [node=N] */
static int kmalloc_cmd(struct cmd *cmd)
{
	unsigned int size, nr;
	gfp_t gfp;
	int node, ret;

	if (cmd->argc < 3 || parse_uint(cmd->argv[1], &size) ||
	    parse_count_opts(cmd, 2, &nr, &gfp, &node))
		return -EINVAL;

	ret = held_reserve(&kmalloc_ctl, nr);
	while (!ret && nr--) {
		void *p = toyslab_kmalloc_node(size, gfp, node);

		if (!p)
			ret = -ENOMEM;
		else
			held_push(&kmalloc_ctl, p);
	}
	return ret;
}

/* krealloc SIZE: resize the newest held memory; it stays held. */
static int krealloc_cmd(struct cmd *cmd)
{
	unsigned int size;
	void *p;

	if (cmd->argc != 2 || parse_uint(cmd->argv[1], &size) ||
	    !kmalloc_ctl.nr)
		return -EINVAL;
	p = toyslab_krealloc(held_top(&kmalloc_ctl), size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	kmalloc_ctl.objs[kmalloc_ctl.nr - 1] = p;
	return 0;
}

static void kfree_held(unsigned long nr)
{
	while (nr--)
		toyslab_kfree(held_pop(&kmalloc_ctl));
}

/*
 * kfree-bad KIND: one pointer that toyslab_kfree() must refuse, with one
 * report, changing nothing.  Interrupts stay off around 'freed', so that
 * no drain moves the freed object to where another CPU takes it again.
 */
static int kfree_bad_cmd(const char *kind)
{
	unsigned long flags;
	void *p;

	if (!strcmp(kind, "slub")) {
		p = kmalloc(64, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		toyslab_kfree(p);
		kfree(p);
	} else if (!strcmp(kind, "stack")) {
		toyslab_kfree(&flags);
	} else if (!strcmp(kind, "inside") && kmalloc_ctl.nr &&
		   !ZERO_OR_NULL_PTR(held_top(&kmalloc_ctl))) {
		toyslab_kfree(held_top(&kmalloc_ctl) + 1);
	} else if (!strcmp(kind, "freed")) {
		local_irq_save(flags);
		p = toyslab_kmalloc(64, GFP_ATOMIC | __GFP_NOWARN);
		toyslab_kfree(p);
		if (p)
			toyslab_kfree(p);
		local_irq_restore(flags);
		if (!p)
			return -ENOMEM;
	} else {
		return -EINVAL;
	}
	return 0;
}

/* A command of 'kmalloc'; @op, not 'verb', names the ctl file's verbs. */
static int kmalloc_op(struct cmd *cmd)
{
	const char *op = cmd->argv[0];
	unsigned int nr;

	if (!strcmp(op, "kmalloc"))
		return kmalloc_cmd(cmd);
	if (!strcmp(op, "krealloc"))
		return krealloc_cmd(cmd);
	if (!strcmp(op, "kfree")) {
		if (parse_free(cmd, kmalloc_ctl.nr, &nr))
			return -EINVAL;
		kfree_held(nr);
		return 0;
	}
	if (!strcmp(op, "kfree-bad") && cmd->argc == 2)
		return kfree_bad_cmd(cmd->argv[1]);
	if (!strcmp(op, "kfree-all") && cmd->argc == 1) {
		kfree_held(kmalloc_ctl.nr);
		return 0;
	}
	return -EINVAL;
}

static ssize_t kmalloc_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct cmd cmd;
	int ret;

	ret = read_cmd(&cmd, ubuf, count);
	if (ret)
		return ret;

	mutex_lock(&kmalloc_ctl.mutex);
	ret = kmalloc_op(&cmd);
	mutex_unlock(&kmalloc_ctl.mutex);
	return ret ?: count;
}

static const struct file_operations kmalloc_fops = {
	.owner = THIS_MODULE,
	.open = kmalloc_open,
	.read = seq_read,
	.write = kmalloc_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * toyslab_ctl_kmalloc_release - module unload: free what 'kmalloc' holds
 *
 * Reported once, as a leak of whoever left it there, then freed.
 *
 * Context: no debugfs file is left to run a command.
 */
void toyslab_ctl_kmalloc_release(void)
{
	if (kmalloc_ctl.nr)
		pr_info("toyslab: freeing %lu allocations that debugfs kmalloc still held\n",
			kmalloc_ctl.nr);
	kfree_held(kmalloc_ctl.nr);
	kvfree(kmalloc_ctl.objs);
}

/**
 * toyslab_ctl_init - a new cache's 'ctl': nothing held
 * @cachep: the cache
 */
void toyslab_ctl_init(struct toyslab_cache *cachep)
{
	mutex_init(&cachep->ctl.mutex);
}

/**
 * toyslab_ctl_stop - keep 'ctl' off a cache about to be destroyed
 * @cachep: the cache
 *
 * From now on its commands fail with -ENOENT.
 *
 * Context: process context; may sleep.
 * Return: 0, or -EBUSY (and a message) while 'ctl' holds objects.
 */
int toyslab_ctl_stop(struct toyslab_cache *cachep)
{
	struct toyslab_ctl *ctl = &cachep->ctl;
	unsigned long held;

	mutex_lock(&ctl->mutex);
	held = ctl->nr;
	if (!held)
		ctl->dying = true;
	mutex_unlock(&ctl->mutex);

	if (held) {
		pr_err("toyslab: %s: not destroyed: debugfs ctl holds %lu objects\n",
		       cachep->name, held);
		return -EBUSY;
	}
	return 0;
}

/**
 * toyslab_ctl_restart - undo toyslab_ctl_stop(): the cache lives on
 * @cachep: the cache
 */
void toyslab_ctl_restart(struct toyslab_cache *cachep)
{
	mutex_lock(&cachep->ctl.mutex);
	cachep->ctl.dying = false;
	mutex_unlock(&cachep->ctl.mutex);
}

/**
 * toyslab_ctl_release - module unload: free what 'ctl' still holds
 * @cachep: the cache
 *
 * Each cache's held objects are reported once, as a leak of the user who
 * left them there, then freed.
 *
 * Context: no debugfs file is left to run a command.
 */
void toyslab_ctl_release(struct toyslab_cache *cachep)
{
	if (!cachep->ctl.nr)
		return;
	pr_info("toyslab: %s: freeing %lu objects that debugfs ctl still held\n",
		cachep->name, cachep->ctl.nr);
	ctl_free(cachep, cachep->ctl.nr);
}

/**
 * toyslab_ctl_exit - free what 'ctl' kept for a cache being freed
 * @cachep: the cache, holding no object
 */
void toyslab_ctl_exit(struct toyslab_cache *cachep)
{
	kvfree(cachep->ctl.objs);
}

/**
 * toyslab_ctl_debugfs_add - a cache's 'held' and 'ctl' files
 * @dir: the cache's directory, caches/NAME/
 * @cachep: the cache
 */
void toyslab_ctl_debugfs_add(struct dentry *dir, struct toyslab_cache *cachep)
{
	debugfs_create_file("held", 0444, dir, cachep, &held_fops);
	debugfs_create_file("ctl", 0200, dir, cachep, &ctl_fops);
}

/**
 * toyslab_ctl_debugfs_init - the 'control' file
 * @root: toyslab's debugfs directory
 */
void toyslab_ctl_debugfs_init(struct dentry *root)
{
	debugfs_create_file("control", 0200, root, NULL, &control_fops);
	debugfs_create_file("kmalloc", 0644, root, NULL, &kmalloc_fops);
}
