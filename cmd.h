/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grammar of the commands written to toyslab's debugfs files, in one
 * place for the two modules that read them: toyslab itself, and
 * compare/slab_ctl.c, which drives a real kmem_cache with the same
 * commands so that the two can be compared step by step.
 *
 * One write() is one command: printable ASCII, at most one trailing
 * newline, at most CMD_MAX bytes, split at blanks into at most
 * CMD_MAX_ARGS words.  Numbers are decimal, options are "key=value" and
 * each may be given once, names are 1 to CMD_NAME_MAX characters of
 * [A-Za-z0-9_-].  Anything else is -EINVAL, before anything changes.
 *
 * Only kernel headers here: the comparison builds slab_ctl.ko from a
 * copy of this file, apart from toyslab's tree.
 */
#ifndef _TOYSLAB_CMD_H
#define _TOYSLAB_CMD_H

#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/*
 * Longest command any file accepts, newline included: room for the longest
 * valid one, a 'create' with a 31-character name, a 7-digit size and
 * every option and flag, 142 bytes.  (SLAB's slabinfo takes 128.)
 */
#define CMD_MAX		160
#define CMD_MAX_ARGS	6
/* Longest cache name. */
#define CMD_NAME_MAX	31
/* Most objects one 'alloc' may ask for. */
#define CMD_ALLOC_MAX	1000000
/*
 * Most objects one 'alloc-bulk' or 'free-bulk' may move: a bulk call
 * keeps interrupts off from its first object to its last.
 */
#define CMD_BULK_MAX	1024

/* A user command split into words; 'buf' owns the text. */
struct cmd {
	char buf[CMD_MAX + 1];
	char *argv[CMD_MAX_ARGS];
	int argc;
};

/* Split @cmd->buf, @count bytes of printable text, at blanks. */
static inline int split_cmd(struct cmd *cmd, size_t count)
{
	char *p;
	size_t i;

	/* ASCII, because the kernel's ctype takes Latin-1 too: 0xa0 is a blank. */
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

/* Copy one command from userspace and split it into words. */
static inline int read_cmd(struct cmd *cmd, const char __user *ubuf,
			   size_t count)
{
	if (!count || count > CMD_MAX)
		return -EINVAL;
	if (copy_from_user(cmd->buf, ubuf, count))
		return -EFAULT;
	cmd->buf[count] = '\0';
	if (cmd->buf[count - 1] == '\n')
		cmd->buf[--count] = '\0';
	return split_cmd(cmd, count);
}

/* Decimal only: "0x10", "+5", "-1" and overflow are all malformed. */
static inline int parse_uint(const char *s, unsigned int *val)
{
	if (!isdigit(*s))
		return -EINVAL;
	return kstrtouint(s, 10, val) ? -EINVAL : 0;
}

static inline int parse_int(const char *s, int *val)
{
	unsigned int v;

	if (parse_uint(s, &v) || v > INT_MAX)
		return -EINVAL;
	*val = v;
	return 0;
}

/* If @arg is "@key=value", point @value at the value. */
static inline bool option(const char *arg, const char *key,
			  const char **value)
{
	size_t len = strlen(key);

	if (strncmp(arg, key, len) || arg[len] != '=')
		return false;
	*value = arg + len + 1;
	return true;
}

/* 1 to CMD_NAME_MAX ASCII letters, digits, "_" or "-". */
static inline bool cmd_valid_name(const char *name)
{
	size_t len = strlen(name), i;

	if (!len || len > CMD_NAME_MAX)
		return false;
	/* The kernel's isalnum() also takes Latin-1 letters: ASCII only. */
	for (i = 0; i < len; i++)
		if (!isascii(name[i]) ||
		    (!isalnum(name[i]) && name[i] != '_' && name[i] != '-'))
			return false;
	return true;
}

/* The names of 'flags=', as 'layout' prints them too. */
static const struct {
	const char *name;
	slab_flags_t flag;
} cmd_flag_names[] __maybe_unused = {
	{ "hwcache_align",	SLAB_HWCACHE_ALIGN },
	{ "reclaim_account",	SLAB_RECLAIM_ACCOUNT },
	{ "account",		SLAB_ACCOUNT },
	{ "cache_dma",		SLAB_CACHE_DMA },
	{ "typesafe_by_rcu",	SLAB_TYPESAFE_BY_RCU },
	{ "poison",		SLAB_POISON },
	{ "red_zone",		SLAB_RED_ZONE },
	{ "store_user",		SLAB_STORE_USER },
};

/* "flags=a,b,c": SLAB flags plus 'ctor'; each name at most once. */
static inline int parse_flags(char *list, slab_flags_t *flags, bool *ctor)
{
	char *name;
	int i;

	while ((name = strsep(&list, ","))) {
		if (!strcmp(name, "ctor") && !*ctor) {
			*ctor = true;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(cmd_flag_names); i++)
			if (!strcmp(name, cmd_flag_names[i].name) &&
			    !(*flags & cmd_flag_names[i].flag))
				break;
		if (i == ARRAY_SIZE(cmd_flag_names))
			return -EINVAL;
		*flags |= cmd_flag_names[i].flag;
	}
	return 0;
}

/*
 * The constructor of 'flags=ctor': it stamps the first word of every new
 * object with a magic and a serial number, so that 'held' shows which
 * objects were constructed when.  'create' only accepts it for objects of
 * a word or more.
 */
#define CTOR_MAGIC	0xc7c7c7c7UL

static inline void cmd_stamp_ctor(void *obj)
{
	static atomic_t serial = ATOMIC_INIT(0);

	*(unsigned long *)obj = CTOR_MAGIC << 32 |
				(u32)atomic_inc_return(&serial);
}

/* What 'create' asks for; 'name' points into the command. */
struct cmd_create {
	const char *name;
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	void (*ctor)(void *obj);
};

/* create NAME SIZE [align=N] [flags=F,...], SIZE at most @max_size */
static inline int parse_create(struct cmd *cmd, unsigned int max_size,
			       struct cmd_create *args)
{
	bool have_align = false, have_flags = false, ctor = false;
	const char *value;
	int i;

	memset(args, 0, sizeof(*args));
	if (cmd->argc < 3 || !cmd_valid_name(cmd->argv[1]) ||
	    parse_uint(cmd->argv[2], &args->size) || !args->size ||
	    args->size > max_size)
		return -EINVAL;
	args->name = cmd->argv[1];

	for (i = 3; i < cmd->argc; i++) {
		if (!have_align && option(cmd->argv[i], "align", &value)) {
			have_align = true;
			if (parse_uint(value, &args->align) ||
			    (args->align && (!is_power_of_2(args->align) ||
					     args->align > PAGE_SIZE)))
				return -EINVAL;
		} else if (!have_flags && option(cmd->argv[i], "flags", &value)) {
			have_flags = true;
			if (parse_flags(cmd->argv[i] + strlen("flags="),
					&args->flags, &ctor))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}

	/* The constructor stamps a whole word. */
	if (ctor && args->size < sizeof(unsigned long))
		return -EINVAL;
	if (ctor)
		args->ctor = cmd_stamp_ctor;
	return 0;
}

/* destroy NAME */
static inline bool is_destroy_cmd(const struct cmd *cmd)
{
	return !strcmp(cmd->argv[0], "destroy") && cmd->argc == 2 &&
	       cmd_valid_name(cmd->argv[1]);
}

static const struct {
	const char *name;
	gfp_t gfp;
} cmd_gfp_names[] __maybe_unused = {
	{ "kernel",	GFP_KERNEL },
	{ "atomic",	GFP_ATOMIC },
	{ "nowait",	GFP_NOWAIT },
	{ "nowarn",	__GFP_NOWARN },
	{ "memalloc",	__GFP_MEMALLOC },
	{ "nomemalloc",	__GFP_NOMEMALLOC },
	{ "zero",	__GFP_ZERO },
	{ "thisnode",	__GFP_THISNODE },
	{ "reclaimable", __GFP_RECLAIMABLE },
	{ "account",	__GFP_ACCOUNT },
	{ "dma",	__GFP_DMA },
};

/* The first three names of cmd_gfp_names[] are bases; the rest extras. */
#define CMD_GFP_BASES	3

/* "gfp=a,b": one base (kernel, atomic or nowait; default kernel) + extras */
static inline int parse_gfp(char *list, gfp_t *gfp)
{
	bool have_base = false;
	gfp_t extra = 0;
	char *name;
	int i;

	*gfp = GFP_KERNEL;
	while ((name = strsep(&list, ","))) {
		for (i = 0; i < ARRAY_SIZE(cmd_gfp_names); i++)
			if (!strcmp(name, cmd_gfp_names[i].name))
				break;
		if (i == ARRAY_SIZE(cmd_gfp_names))
			return -EINVAL;
		if (i < CMD_GFP_BASES) {
			if (have_base)
				return -EINVAL;
			have_base = true;
			*gfp = cmd_gfp_names[i].gfp;
		} else {
			if (extra & cmd_gfp_names[i].gfp)
				return -EINVAL;
			extra |= cmd_gfp_names[i].gfp;
		}
	}
	*gfp |= extra;
	return 0;
}

/*
 * "N [gfp=...] [node=N]" from argv[@first]; a NULL @gfp refuses 'gfp='
 * (slab_ctl has only GFP_KERNEL).  @node is NUMA_NO_NODE without 'node='.
 */
static inline int parse_count_opts(struct cmd *cmd, int first,
				   unsigned int *nr, gfp_t *gfp, int *node)
{
	bool have_gfp = false, have_node = false;
	unsigned int node_arg;
	const char *value;
	int i;

	*node = NUMA_NO_NODE;
	if (gfp)
		*gfp = GFP_KERNEL;
	if (cmd->argc <= first || parse_uint(cmd->argv[first], nr) || !*nr ||
	    *nr > CMD_ALLOC_MAX)
		return -EINVAL;

	for (i = first + 1; i < cmd->argc; i++) {
		if (gfp && !have_gfp && option(cmd->argv[i], "gfp", &value)) {
			have_gfp = true;
			if (parse_gfp(cmd->argv[i] + strlen("gfp="), gfp))
				return -EINVAL;
		} else if (!have_node && option(cmd->argv[i], "node", &value)) {
			have_node = true;
			if (parse_uint(value, &node_arg) ||
			    node_arg >= nr_node_ids || !node_online(node_arg))
				return -EINVAL;
			*node = node_arg;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* alloc N [gfp=...] [node=N] */
static inline int parse_alloc(struct cmd *cmd, unsigned int *nr, gfp_t *gfp,
			      int *node)
{
	return parse_count_opts(cmd, 1, nr, gfp, node);
}

/* free N: 1 to @held of the newest held objects */
static inline int parse_free(const struct cmd *cmd, unsigned long held,
			     unsigned int *nr)
{
	if (cmd->argc != 2 || parse_uint(cmd->argv[1], nr) || !*nr ||
	    *nr > held)
		return -EINVAL;
	return 0;
}

/*
 * alloc-bulk N [gfp=...]: 'alloc' for one bulk call of N, at most
 * CMD_BULK_MAX; no 'node=', which the bulk calls do not take.
 */
static inline int parse_alloc_bulk(struct cmd *cmd, unsigned int *nr,
				   gfp_t *gfp)
{
	int node;

	if (parse_alloc(cmd, nr, gfp, &node) || *nr > CMD_BULK_MAX ||
	    node != NUMA_NO_NODE)
		return -EINVAL;
	return 0;
}

/* free-bulk N: 'free' for one bulk call of N, at most CMD_BULK_MAX */
static inline int parse_free_bulk(const struct cmd *cmd, unsigned long held,
				  unsigned int *nr)
{
	if (parse_free(cmd, held, nr) || *nr > CMD_BULK_MAX)
		return -EINVAL;
	return 0;
}

#endif /* _TOYSLAB_CMD_H */
