// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab's debugfs interface, /sys/kernel/debug/toyslab/:
 *
 *   control            create and destroy caches
 *   slabinfo           /proc/slabinfo 2.1 with statistics; write to retune
 *   reap_interval_ms   the reaper's period, 0 to stop it
 *   memalloc_socks     the stand-in for sk_memalloc_socks()
 *   pages              pages held by every toyslab slab
 *   fail/              fault injection knobs, after failslab
 *   caches/NAME/       stats, cpus, nodes, layout, held, and ctl to drive it
 *
 * Documentation/debugfs.rst describes every file.  This file holds no
 * allocator logic: it parses, calls the API in toyslab.h or the few hooks
 * made for it (drain, reap, the debug provocations), and prints.
 */
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/*
 * Longest command any file accepts, newline included: room for the longest
 * valid one, a 'create' with a 31-character name, a 7-digit size and
 * every option and flag, 142 bytes.  (SLAB's slabinfo takes 128.)
 */
#define CMD_MAX		160
#define CMD_MAX_ARGS	6
/* Most objects one 'alloc' may ask for. */
#define CTL_ALLOC_MAX	1000000

static struct dentry *toyslab_root;
static struct dentry *caches_dir;

/* A user command split into words; 'buf' owns the text. */
struct cmd {
	char buf[CMD_MAX + 1];
	char *argv[CMD_MAX_ARGS];
	int argc;
};

/*
 * Copy one command from userspace and split it at blanks.  A command is
 * printable ASCII with at most one trailing newline, and one write() is one
 * command: no NULs, no control characters, no more than CMD_MAX bytes.
 * ASCII, because the kernel's ctype takes Latin-1 too: 0xa0 for a blank,
 * 0xe9 for a letter.
 */
static int read_cmd(struct cmd *cmd, const char __user *ubuf, size_t count)
{
	char *p;
	size_t i;

	if (!count || count > CMD_MAX)
		return -EINVAL;
	if (copy_from_user(cmd->buf, ubuf, count))
		return -EFAULT;
	cmd->buf[count] = '\0';
	if (cmd->buf[count - 1] == '\n')
		cmd->buf[--count] = '\0';

	for (i = 0; i < count; i++)
		if (!isascii(cmd->buf[i]) || !isprint(cmd->buf[i]))
			return -EINVAL;

	cmd->argc = 0;
	p = cmd->buf;
	for (;;) {
		p = skip_spaces(p);
		if (!*p)
			break;
		if (cmd->argc == CMD_MAX_ARGS)
			return -EINVAL;
		cmd->argv[cmd->argc++] = p;
		while (*p && !isspace(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return cmd->argc ? 0 : -EINVAL;
}

/* Decimal only: "0x10", "+5", "-1" and overflow are all malformed. */
static int parse_uint(const char *s, unsigned int *val)
{
	if (!isdigit(*s))
		return -EINVAL;
	return kstrtouint(s, 10, val) ? -EINVAL : 0;
}

static int parse_int(const char *s, int *val)
{
	unsigned int v;

	if (parse_uint(s, &v) || v > INT_MAX)
		return -EINVAL;
	*val = v;
	return 0;
}

/* If @arg is "@key=value", point @value at the value. */
static bool option(const char *arg, const char *key, const char **value)
{
	size_t len = strlen(key);

	if (strncmp(arg, key, len) || arg[len] != '=')
		return false;
	*value = arg + len + 1;
	return true;
}

/*
 * The constructor of 'flags=ctor': it stamps the first word of every new
 * object with a magic and a serial number, so that 'held' shows which
 * objects were constructed when.  'create' only accepts it for objects of
 * a word or more.
 */
#define CTOR_MAGIC	0xc7c7c7c7UL
static atomic_t ctor_serial = ATOMIC_INIT(0);

static void toyslab_builtin_ctor(void *obj)
{
	*(unsigned long *)obj = CTOR_MAGIC << 32 |
				(u32)atomic_inc_return(&ctor_serial);
}

static const struct {
	const char *name;
	slab_flags_t flag;
} flag_names[] = {
	{ "hwcache_align",	SLAB_HWCACHE_ALIGN },
	{ "reclaim_account",	SLAB_RECLAIM_ACCOUNT },
	{ "typesafe_by_rcu",	SLAB_TYPESAFE_BY_RCU },
	{ "poison",		SLAB_POISON },
	{ "red_zone",		SLAB_RED_ZONE },
	{ "store_user",		SLAB_STORE_USER },
};

/* "flags=a,b,c": SLAB flags plus 'ctor'; each name at most once. */
static int parse_flags(char *list, slab_flags_t *flags, bool *ctor)
{
	char *name;
	int i;

	while ((name = strsep(&list, ","))) {
		if (!strcmp(name, "ctor") && !*ctor) {
			*ctor = true;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(flag_names); i++)
			if (!strcmp(name, flag_names[i].name) &&
			    !(*flags & flag_names[i].flag))
				break;
		if (i == ARRAY_SIZE(flag_names))
			return -EINVAL;
		*flags |= flag_names[i].flag;
	}
	return 0;
}

/* create NAME SIZE [align=N] [flags=F,...] */
static int control_create(struct cmd *cmd)
{
	unsigned int size, align = 0;
	slab_flags_t flags = 0;
	bool have_align = false, have_flags = false, ctor = false;
	const char *value;
	int i;

	if (cmd->argc < 3 || !toyslab_valid_name(cmd->argv[1]) ||
	    parse_uint(cmd->argv[2], &size) || !size || size > TOYSLAB_MAX_SIZE)
		return -EINVAL;

	for (i = 3; i < cmd->argc; i++) {
		if (!have_align && option(cmd->argv[i], "align", &value)) {
			have_align = true;
			if (parse_uint(value, &align) ||
			    (align && (!is_power_of_2(align) || align > PAGE_SIZE)))
				return -EINVAL;
		} else if (!have_flags && option(cmd->argv[i], "flags", &value)) {
			have_flags = true;
			if (parse_flags(cmd->argv[i] + strlen("flags="), &flags,
					&ctor))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}

	/* The built-in constructor stamps a whole word. */
	if (ctor && size < sizeof(unsigned long))
		return -EINVAL;

	return toyslab_create_user_cache(cmd->argv[1], size, align, flags,
					 ctor ? toyslab_builtin_ctor : NULL);
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
	else if (!strcmp(cmd.argv[0], "destroy") && cmd.argc == 2 &&
		 toyslab_valid_name(cmd.argv[1]))
		ret = toyslab_destroy_user_cache(cmd.argv[1]);
	else
		ret = -EINVAL;

	return ret ?: count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
};

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
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (c->flags & flag_names[i].flag) {
			seq_printf(m, "%s%s", sep, flag_names[i].name);
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

/*
 * The objects 'ctl' holds, oldest first: hashed address (equal for the
 * same object), offset in its page (the colour shows there), and its first
 * word (the 'ctor' stamp shows there).
 */
static int held_show(struct seq_file *m, void *v)
{
	struct toyslab_cache *c = m->private;
	unsigned long i;

	seq_puts(m, "index object page_offset first_word\n");
	mutex_lock(&c->ctl_mutex);
	for (i = 0; i < c->held.nr; i++) {
		void *obj = c->held.objs[i];
		u64 word = 0;

		/* Read no further than the object: its owner may not. */
		memcpy(&word, obj, min_t(size_t, c->object_size, sizeof(word)));
		seq_printf(m, "%lu %p 0x%03lx 0x%016llx\n", i, obj,
			   offset_in_page(obj), word);
	}
	mutex_unlock(&c->ctl_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(held);

/* Room for @nr more held objects, so that 'alloc' never fails halfway. */
static int held_reserve(struct toyslab_held *held, unsigned long nr)
{
	unsigned long cap = held->cap ?: 64;
	void **objs;

	if (held->nr + nr <= held->cap)
		return 0;
	while (cap < held->nr + nr)
		cap *= 2;
	objs = compat_kvrealloc(held->objs, held->cap * sizeof(void *),
				cap * sizeof(void *), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	held->objs = objs;
	held->cap = cap;
	return 0;
}

static int ctl_alloc(struct toyslab_cache *c, unsigned long nr, gfp_t gfp,
		     int node)
{
	int ret = held_reserve(&c->held, nr);

	while (!ret && nr--) {
		void *obj = toyslab_cache_alloc_node(c, gfp, node);

		if (!obj)
			ret = -ENOMEM;
		else
			c->held.objs[c->held.nr++] = obj;
	}
	return ret;
}

static void ctl_free(struct toyslab_cache *c, unsigned long nr)
{
	while (nr--)
		toyslab_cache_free(c, c->held.objs[--c->held.nr]);
}

/**
 * toyslab_ctl_release - module unload: free what 'ctl' still holds
 * @cachep: the cache
 *
 * Each cache's held objects are reported once, as a leak of the user who
 * left them there, then freed.
 */
void toyslab_ctl_release(struct toyslab_cache *cachep)
{
	if (!cachep->held.nr)
		return;
	pr_info("toyslab: %s: freeing %lu objects that debugfs ctl still held\n",
		cachep->name, cachep->held.nr);
	ctl_free(cachep, cachep->held.nr);
}

static const struct {
	const char *name;
	gfp_t gfp;
} gfp_names[] = {
	{ "kernel",	GFP_KERNEL },
	{ "atomic",	GFP_ATOMIC },
	{ "nowait",	GFP_NOWAIT },
	{ "nowarn",	__GFP_NOWARN },
	{ "memalloc",	__GFP_MEMALLOC },
	{ "nomemalloc",	__GFP_NOMEMALLOC },
	{ "zero",	__GFP_ZERO },
	{ "thisnode",	__GFP_THISNODE },
};

/* "gfp=a,b": one base (kernel, atomic or nowait; default kernel) + extras */
static int parse_gfp(char *list, gfp_t *gfp)
{
	bool have_base = false;
	gfp_t extra = 0;
	char *name;
	int i;

	*gfp = GFP_KERNEL;
	while ((name = strsep(&list, ","))) {
		for (i = 0; i < ARRAY_SIZE(gfp_names); i++)
			if (!strcmp(name, gfp_names[i].name))
				break;
		if (i == ARRAY_SIZE(gfp_names))
			return -EINVAL;
		if (i < 3) {
			if (have_base)
				return -EINVAL;
			have_base = true;
			*gfp = gfp_names[i].gfp;
		} else {
			if (extra & gfp_names[i].gfp)
				return -EINVAL;
			extra |= gfp_names[i].gfp;
		}
	}
	*gfp |= extra;
	return 0;
}

/* alloc N [gfp=...] [node=N] */
static int ctl_alloc_cmd(struct toyslab_cache *c, struct cmd *cmd)
{
	bool have_gfp = false, have_node = false;
	unsigned int nr, node_arg;
	int node = NUMA_NO_NODE;
	gfp_t gfp = GFP_KERNEL;
	const char *value;
	int i;

	if (cmd->argc < 2 || parse_uint(cmd->argv[1], &nr) || !nr ||
	    nr > CTL_ALLOC_MAX)
		return -EINVAL;

	for (i = 2; i < cmd->argc; i++) {
		if (!have_gfp && option(cmd->argv[i], "gfp", &value)) {
			have_gfp = true;
			if (parse_gfp(cmd->argv[i] + strlen("gfp="), &gfp))
				return -EINVAL;
		} else if (!have_node && option(cmd->argv[i], "node", &value)) {
			have_node = true;
			if (parse_uint(value, &node_arg) ||
			    node_arg >= nr_node_ids || !node_online(node_arg))
				return -EINVAL;
			node = node_arg;
		} else {
			return -EINVAL;
		}
	}
	return ctl_alloc(c, nr, gfp, node);
}

/* The newest held object, taken off the stack. */
static void *held_pop(struct toyslab_cache *c)
{
	return c->held.nr ? c->held.objs[--c->held.nr] : NULL;
}

/* free-wrong-cache OTHER: free OTHER's newest held object into @c. */
static int provoke_wrong_cache(struct toyslab_cache *c, const char *other)
{
	struct toyslab_cache *o;
	int ret = -EINVAL;

	mutex_lock(&toyslab_mutex);
	o = toyslab_find_cache(other);
	/* Another ctl may hold it: never wait for it under our own lock. */
	if (o && o != c && cache_debug(o) && mutex_trylock(&o->ctl_mutex)) {
		if (!o->dying && o->held.nr) {
			toyslab_cache_free(c, o->held.objs[o->held.nr - 1]);
			ret = 0;
		}
		mutex_unlock(&o->ctl_mutex);
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
	void *obj = c->held.objs[c->held.nr - 1];
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
		held_pop(c);
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
	void *obj = held_pop(c);
	unsigned long flags;

	local_irq_save(flags);
	toyslab_cache_free(c, obj);
	toyslab_scribble_object(obj);
	obj = toyslab_cache_alloc(c, GFP_ATOMIC | __GFP_NOWARN);
	local_irq_restore(flags);
	if (!obj)
		return -ENOMEM;
	/* Room for it: one was just popped. */
	c->held.objs[c->held.nr++] = obj;
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
	if (!c->held.nr)
		return -EINVAL;
	if (!strcmp(verb, "free-misaligned")) {
		toyslab_cache_free(c, c->held.objs[c->held.nr - 1] + 1);
	} else if (!strcmp(verb, "double-free")) {
		return provoke_double_free(c);
	} else if (!strcmp(verb, "scribble-redzone") &&
		   c->flags & SLAB_RED_ZONE) {
		obj = held_pop(c);
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
		if (cmd->argc != 2 || parse_uint(cmd->argv[1], &nr) || !nr ||
		    nr > c->held.nr)
			return -EINVAL;
		ctl_free(c, nr);
		return 0;
	}
	if (!strcmp(verb, "free-wrong-cache"))
		return ctl_provoke(c, cmd);
	if (cmd->argc != 1)
		return -EINVAL;
	if (!strcmp(verb, "free-all")) {
		ctl_free(c, c->held.nr);
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

	mutex_lock(&c->ctl_mutex);
	ret = c->dying ? -ENOENT : ctl_cmd(c, &cmd);
	mutex_unlock(&c->ctl_mutex);
	return ret ?: count;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ctl_write,
};

/**
 * toyslab_debugfs_add_cache - show a new cache under caches/NAME/
 * @cachep: the cache
 *
 * A cache whose name debugfs refuses simply has no directory.
 */
void toyslab_debugfs_add_cache(struct toyslab_cache *cachep)
{
	struct dentry *dir = debugfs_create_dir(cachep->name, caches_dir);

	cachep->debugfs = dir;
	if (IS_ERR(dir))
		return;
	debugfs_create_file("stats", 0444, dir, cachep, &stats_fops);
	debugfs_create_file("cpus", 0444, dir, cachep, &cpus_fops);
	debugfs_create_file("nodes", 0444, dir, cachep, &nodes_fops);
	debugfs_create_file("layout", 0444, dir, cachep, &layout_fops);
	debugfs_create_file("held", 0444, dir, cachep, &held_fops);
	debugfs_create_file("ctl", 0200, dir, cachep, &ctl_fops);
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
	debugfs_remove(cachep->debugfs);
}

int toyslab_debugfs_init(void)
{
	toyslab_root = debugfs_create_dir("toyslab", NULL);
	if (IS_ERR(toyslab_root))
		return PTR_ERR(toyslab_root);

	caches_dir = debugfs_create_dir("caches", toyslab_root);
	debugfs_create_file("control", 0200, toyslab_root, NULL, &control_fops);
	debugfs_create_file("slabinfo", 0644, toyslab_root, NULL,
			    &slabinfo_fops);
	debugfs_create_file("reap_interval_ms", 0644, toyslab_root,
			    (void *)&reap_interval_knob, &knob_fops);
	debugfs_create_file("memalloc_socks", 0644, toyslab_root,
			    (void *)&memalloc_socks_knob, &knob_fops);
	debugfs_create_file("pages", 0444, toyslab_root, NULL, &pages_fops);
	fail_debugfs_init();
	return 0;
}

void toyslab_debugfs_exit(void)
{
	debugfs_remove(toyslab_root);
}
