// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for what userspace cannot see or do to toyslab: the
 * freelist index arithmetic, the layout fields, colouring, the
 * object-to-slab lookup; the detectors of the debugging options (debug.c),
 * each fed one fault from inside the kernel, with the report, the
 * 'errors' count, the quarantine and the node lists checked after it; the
 * bulk calls counted on one CPU, failing whole, and running every object
 * through the checks; toyslab_cache_alloc_lru() with a real list_lru; and
 * KASAN catching a use-after-free of a toyslab object.  Everything else
 * (counters, paths) the selftests and compare/ check from debugfs, the
 * detectors too, through the provocations of debugfs 'ctl'.
 *
 * Built against a kernel with CONFIG_KUNIT=y (build/kernel/debug):
 *   make -C build/kernel/debug M=$PWD/kunit KBUILD_EXTRA_SYMBOLS=$PWD/Module.symvers
 * and loaded after toyslab.ko; the results are in dmesg and in
 * /sys/kernel/debug/kunit/toyslab/results.
 *
 * Every expected layout is derived by hand from __kmem_cache_create() of
 * Linux 6.1 on x86_64 (64-byte cache lines, 4 KiB pages, slab_max_order 1
 * on a machine with more than 32 MiB), in the comment beside it.
 */
/* pr_debug() marks how far log_read() has read: KERN_DEBUG, not compiled out. */
#define DEBUG

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kmsg_dump.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <trace/events/error_report.h>

#include "../internal.h"

struct layout_case {
	const char *desc;
	unsigned int object_size;
	unsigned int align;
	slab_flags_t flags;
	bool ctor;
	/* expectations */
	unsigned int size;
	unsigned int num;
	unsigned int gfporder;
	enum toyslab_freelist freelist;
	size_t colour;
	unsigned int colour_off;
};

static void dummy_ctor(void *obj)
{
}

static const struct layout_case layout_cases[] = {
	/*
	 * 64 bytes, no flags: 64 per page, nothing left over; 64 one-byte
	 * indexes fit in one 64-byte object, so the freelist lives there.
	 */
	{ "64", 64, 0, 0, false, 64, 64, 0, FREELIST_OBJ, 0, 64 },
	/*
	 * 1 byte: rounded up to a word (8), then to SLAB_OBJ_MIN_SIZE (16).
	 * 256 per page would overflow a byte index, and neither objfreelist
	 * nor off-slab can avoid that; on-slab costs 17 bytes an object:
	 * 4096 / 17 = 240, 16 left over, less than one 64-byte colour.
	 */
	{ "1", 1, 0, 0, false, 16, 240, 0, FREELIST_ON_SLAB, 0, 64 },
	/*
	 * 20 bytes, align=32, hwcache_align: the cache-line alignment halves
	 * to 32 for a 20-byte object, so size 32.  128 per page: objfreelist
	 * needs 128 index bytes in a 20-byte object, off-slab a 128-byte
	 * kmalloc for a 20-byte object; so on-slab, 33 bytes an object:
	 * 124 per page, 4 left over, no colour.
	 */
	{ "20 align=32 hwcache", 20, 32, SLAB_HWCACHE_ALIGN, false,
	  32, 124, 0, FREELIST_ON_SLAB, 0, 64 },
	/*
	 * 128 bytes with a constructor: no objfreelist.  Off-slab: 32 per
	 * page, 0 left over; the 32-byte kmalloc freelist is at most half an
	 * object and does not fit the left-over, so it stays off-slab.
	 */
	{ "128 ctor", 128, 0, 0, true, 128, 32, 0, FREELIST_OFF_SLAB, 0, 64 },
	/*
	 * 192 bytes, hwcache_align: 21 per page, 64 left over (1/64 of the
	 * page, acceptable at order 0): one colour of 64 bytes.
	 */
	{ "192 hwcache", 192, 0, SLAB_HWCACHE_ALIGN, false,
	  192, 21, 0, FREELIST_OBJ, 1, 64 },
	/*
	 * 1500 bytes: 1504.  Order 0 holds 2 and wastes 1088 bytes, over an
	 * eighth of the page; order 1 (slab_max_order) holds 5 and leaves
	 * 672 bytes: 10 colours of 64.
	 */
	{ "1500", 1500, 0, 0, false, 1504, 5, 1, FREELIST_OBJ, 10, 64 },
	/*
	 * 4096, SLAB_RECLAIM_ACCOUNT: the first order that holds one object
	 * is taken at once.
	 */
	{ "4096 reclaim", 4096, 0, SLAB_RECLAIM_ACCOUNT, false,
	  4096, 1, 0, FREELIST_OBJ, 0, 64 },
	/*
	 * 5000 bytes: nothing at order 0; order 1 holds one and leaves
	 * 3192 bytes, 49 colours of 64.
	 */
	{ "5000", 5000, 0, 0, false, 5000, 1, 1, FREELIST_OBJ, 49, 64 },
	/*
	 * align=256: the colour step grows to the alignment.  256 bytes,
	 * 16 per page, nothing left over.
	 */
	{ "200 align=256", 200, 256, 0, false, 256, 16, 0, FREELIST_OBJ, 0, 256 },
};

static struct toyslab_cache *make_cache(struct kunit *test, const char *name,
					unsigned int size, unsigned int align,
					slab_flags_t flags, bool ctor)
{
	struct toyslab_cache *c;

	c = toyslab_cache_create(name, size, align, flags,
				 ctor ? dummy_ctor : NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	return c;
}

static void layout_case_desc(const struct layout_case *lc, char *desc)
{
	strscpy(desc, lc->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(layout, layout_cases, layout_case_desc);

/* One case of layout_cases, named by its desc in the results. */
static void layout_matches_slab(struct kunit *test)
{
	const struct layout_case *lc = test->param_value;
	struct toyslab_cache *c;

	c = make_cache(test, "kunit_layout", lc->object_size, lc->align,
		       lc->flags, lc->ctor);
	KUNIT_EXPECT_EQ(test, c->size, lc->size);
	KUNIT_EXPECT_EQ(test, c->num, lc->num);
	KUNIT_EXPECT_EQ(test, c->gfporder, lc->gfporder);
	KUNIT_EXPECT_EQ(test, c->freelist_type, lc->freelist);
	KUNIT_EXPECT_EQ(test, c->colour, lc->colour);
	KUNIT_EXPECT_EQ(test, c->colour_off, lc->colour_off);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * For every object of a real slab: index_to_obj() and obj_to_index()
 * invert each other, and a pointer to an object's last byte still gives
 * its index (the reciprocal division rounds down).
 */
static void obj_index_round_trips_for_every_object(struct kunit *test)
{
	static const unsigned int sizes[] = { 16, 24, 96, 192, 1500, 5000 };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct toyslab_cache *c;
		struct toyslab_slab *slab;
		unsigned int idx;
		void *obj;

		c = make_cache(test, "kunit_index", sizes[i], 0, 0, false);
		obj = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		slab = virt_to_slab(obj);

		for (idx = 0; idx < c->num; idx++) {
			void *p = index_to_obj(c, slab, idx);

			KUNIT_EXPECT_EQ_MSG(test, obj_to_index(c, slab, p), idx,
					    "size %u", sizes[i]);
			KUNIT_EXPECT_EQ_MSG(test,
					    obj_to_index(c, slab, p + c->size - 1),
					    idx, "size %u", sizes[i]);
		}
		toyslab_cache_free(c, obj);
		KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
	}
}

/*
 * Every object handed out maps back to a slab of its own cache, lies on
 * an object boundary inside that slab, and objects of one slab share it.
 */
static void objects_map_back_to_their_slab(struct kunit *test)
{
	/* Two slabs and a bit of 21 objects each (192 hwcache, see above). */
	enum { NR = 50 };
	struct toyslab_cache *c;
	void **objs;
	int i;

	objs = kunit_kcalloc(test, NR, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	c = make_cache(test, "kunit_lookup", 192, 0, SLAB_HWCACHE_ALIGN, false);

	for (i = 0; i < NR; i++) {
		struct toyslab_slab *slab;
		unsigned int idx;

		objs[i] = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		slab = virt_to_slab(objs[i]);
		KUNIT_ASSERT_NOT_NULL(test, slab);
		KUNIT_EXPECT_EQ(test, slab->cache_id, c->id);
		KUNIT_EXPECT_PTR_EQ(test, toyslab_cache_of(slab), c);
		idx = obj_to_index(c, slab, objs[i]);
		KUNIT_EXPECT_LT(test, idx, c->num);
		KUNIT_EXPECT_PTR_EQ(test, index_to_obj(c, slab, idx), objs[i]);
	}
	for (i = 0; i < NR; i++)
		toyslab_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * Each new slab on a node starts one colour further in: colour_next is
 * bumped before use, so the first slab gets colour 1, then 2, ..., wrapping
 * to 0 after colour - 1.  1500-byte objects have 10 colours of 64 bytes,
 * and every refill of 12 (limit 24) takes all 5 objects of a new slab, so
 * the slabs appear in the order they were grown.
 */
static void slab_colour_cycles_through_every_offset(struct kunit *test)
{
	enum { SLABS = 12, NR = SLABS * 5 };
	struct toyslab_slab *seen[SLABS];
	struct toyslab_cache *c;
	void **objs;
	int i, nseen = 0;

	objs = kunit_kcalloc(test, NR, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	c = make_cache(test, "kunit_colour", 1500, 0, 0, false);
	KUNIT_ASSERT_EQ(test, c->colour, 10);

	for (i = 0; i < NR; i++) {
		struct toyslab_slab *slab;
		int j;

		objs[i] = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		slab = virt_to_slab(objs[i]);
		for (j = 0; j < nseen && seen[j] != slab; j++)
			;
		if (j == nseen && nseen < SLABS)
			seen[nseen++] = slab;
	}

	KUNIT_EXPECT_EQ(test, nseen, SLABS);
	for (i = 0; i < nseen; i++) {
		size_t want = ((i + 1) % c->colour) * c->colour_off;

		KUNIT_EXPECT_EQ_MSG(test,
				    (size_t)(slab_s_mem(c, seen[i]) -
					     page_address(slab_page(seen[i]))),
				    want, "slab %d", i);
	}

	for (i = 0; i < NR; i++)
		toyslab_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * The detectors of debug.c, each fed one fault straight through the API.
 *
 * After each fault: the cache's 'errors' rises by
 * exactly one; exactly one report "toyslab: NAME: <what> at
 * <object>+<offset>, last user <caller>" is logged, by that cache and no
 * other (its dump and stack lines start "toyslab:   "); a suspect object
 * is quarantined and never handed out again; the other objects are
 * untouched; the node lists and counters still add up; and the cache is
 * destroyed without another report.
 *
 * The reports are read back from the kernel's log buffer, where printk()
 * has stored them before the call that provoked them returns, with the
 * kmsg_dump iterator; the selftests count the same lines in /dev/kmsg.
 * Nothing is added to the module for these tests.
 *
 * Every debug cache here is 64 bytes with poison, red zones and the last
 * user, as debugfs's "64 flags=poison,red_zone,store_user": a buffer is
 * red zone 1 (8 bytes), the object (64), red zone 2 (8) and the user word
 * (8), 88 bytes, 46 to a page (4048 of 4096 bytes); the object is at +8,
 * so its red zone 2 starts at object + 64.
 */
#define DEBUG3		(SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER)
#define OBJ_SIZE	64
#define HELD		4
#define LOG_LINE	1024

struct report_log {
	struct kmsg_dump_iter iter;
	char *line;
};

/* toyslab's lines in the log since the last read. */
struct reports {
	bool complete;		/* read up to our own line */
	int all;		/* "toyslab: " lines, not "toyslab:  " */
	int these;		/* "toyslab: NAME: " lines */
	char first[256];	/* the first of these */
};

/*
 * Start reading the log at its end: only what follows counts.  A report
 * names its object with %p, which prints "(____ptrval____)" for every
 * pointer until the random pointer key is ready: the object's name in
 * the report would prove nothing, so that fails here (kunit.sh boots with
 * no_hash_pointers; a crng seeded at boot would do too).
 */
static void log_mark(struct kunit *test, struct report_log *log)
{
	char a[24], b[24];

	if (!IS_ENABLED(CONFIG_PRINTK))
		kunit_skip(test, "needs CONFIG_PRINTK to read reports back");
	snprintf(a, sizeof(a), "%p", log);
	snprintf(b, sizeof(b), "%p", &log->line);
	KUNIT_ASSERT_STRNEQ_MSG(test, a, b,
				"%%p does not tell pointers apart yet");
	log->line = kunit_kzalloc(test, LOG_LINE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log->line);
	kmsg_dump_rewind(&log->iter);
	log->iter.cur_seq = log->iter.next_seq;
}

/* The text of a log line after its "[time]" and "[caller]" prefixes. */
static const char *line_text(const char *line)
{
	while (*line == '[' && strchr(line, ']'))
		line = strchr(line, ']') + 1;
	return *line == ' ' ? line + 1 : line;
}

/*
 * Read the log from the mark up to a line of our own, printed now, and
 * move the mark past it.  Reading "to the end" would not do: a record
 * that another CPU has reserved but not yet committed stops the reader
 * (prb_read_valid()), and the end is then before it, so reports printed
 * after it would be missed.  Everything before our line is in the buffer
 * by the time we find it.  It is a KERN_DEBUG line: in dmesg, not on the
 * console.
 */
static void log_read(struct report_log *log, const char *cache,
		     struct reports *r)
{
	static atomic_t reads = ATOMIC_INIT(0);
	char prefix[48], mark[40];
	int tries = 0;
	size_t len;

	memset(r, 0, sizeof(*r));
	snprintf(prefix, sizeof(prefix), "toyslab: %s: ", cache);
	snprintf(mark, sizeof(mark), "toyslab_kunit: log read %d",
		 atomic_inc_return(&reads));
	pr_debug("%s\n", mark);
	while (!r->complete) {
		char *line, *next;

		if (!kmsg_dump_get_line(&log->iter, false, log->line,
					LOG_LINE - 1, &len)) {
			/* Our line is committed: wait for the one before. */
			if (++tries > 2000)
				break;
			usleep_range(500, 1000);
			continue;
		}
		log->line[len] = '\0';
		for (line = log->line; line && *line; line = next) {
			const char *text;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			text = line_text(line);
			if (!strcmp(text, mark))
				r->complete = true;
			if (!str_has_prefix(text, "toyslab: ") ||
			    str_has_prefix(text, "toyslab:  "))
				continue;
			r->all++;
			if (str_has_prefix(text, prefix) && !r->these++)
				strscpy(r->first, text, sizeof(r->first));
		}
	}
}

/* What a fault may change, the per-CPU counters summed. */
struct snap {
	long errors;
	unsigned long quarantined;
	long active;		/* SLAB's num_active: objects out of slabs */
	unsigned long allocs;	/* allochit + allocmiss */
	unsigned long frees;	/* freehit + freemiss */
};

static void snap(struct toyslab_cache *c, struct snap *s)
{
	struct toyslab_cpu_stats cpu;

	toyslab_cpu_stats_sum(c, &cpu);
	s->errors = atomic_long_read(&c->stats.errors);
	s->quarantined = READ_ONCE(c->nr_quarantined);
	s->active = atomic_long_read(&c->stats.num_active);
	s->allocs = cpu.allochit + cpu.allocmiss;
	s->frees = cpu.freehit + cpu.freemiss;
}

/*
 * Since the last read: exactly one report, by @c, "WHAT at OBJ+", and
 * none by any other cache; and one more error on @c.  %p prints @obj as
 * it did in the report.  The report is left in @r.
 */
static void expect_one_report(struct kunit *test, struct report_log *log,
			      struct toyslab_cache *c, const struct snap *before,
			      const char *what, const void *obj,
			      struct reports *r)
{
	char want[128];

	log_read(log, c->name, r);
	KUNIT_EXPECT_TRUE(test, r->complete);
	snprintf(want, sizeof(want), "toyslab: %s: %s at %p+", c->name, what,
		 obj);
	KUNIT_EXPECT_EQ_MSG(test, r->these, 1, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r->all, 1, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(r->first, want),
			      "wanted [%s...], got [%s]", want, r->first);
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&c->stats.errors),
			    before->errors + 1, "%s", what);
}

/* The report goes on with @tail, e.g. "+0x40, last user FN+". */
static void expect_report_has(struct kunit *test, const struct reports *r,
			      const char *tail)
{
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(r->first, tail),
				  "wanted [%s] in [%s]", tail, r->first);
}

/*
 * ... and names @fn as the last user, after the offset @off: "FN+0x..."
 * from %pS, or "FN.constprop.0+0x..." should the compiler clone it.
 */
static void expect_offset_and_user(struct kunit *test, const struct reports *r,
				   unsigned long off, const char *fn)
{
	char tail[96];
	const char *at;

	snprintf(tail, sizeof(tail), "+%#lx, last user %s", off, fn);
	at = strstr(r->first, tail);
	KUNIT_EXPECT_TRUE_MSG(test, at && at[strlen(tail)] &&
			      strchr("+.", at[strlen(tail)]),
			      "wanted [%s+] in [%s]", tail, r->first);
}

/* @x is quarantined: its bit is set in its slab. */
static void expect_quarantined(struct kunit *test, struct toyslab_cache *c,
			       void *x)
{
	struct toyslab_slab *slab = virt_to_slab(x);
	unsigned int idx = obj_to_index(c, slab, x - c->obj_offset);

	KUNIT_EXPECT_TRUE_MSG(test, test_bit(idx, slab->ext->quarantined),
			      "%s: object %u", c->name, idx);
}

/* No line of toyslab's since the last read. */
static void expect_no_report(struct kunit *test, struct report_log *log)
{
	struct reports r;

	log_read(log, "", &r);
	KUNIT_EXPECT_TRUE(test, r.complete);
	KUNIT_EXPECT_EQ(test, r.all, 0);
}

/*
 * Change one byte where the user must not write: a red zone, or a free
 * object.  KASAN would rightly report the write first (toyslab tells it
 * those bytes are off limits); the fault is meant for toyslab's own
 * detectors, so KASAN looks away, as it does for toyslab's dump.
 */
static void scribble(void *p)
{
	kasan_disable_current();
	WRITE_ONCE(*(u8 *)p, READ_ONCE(*(u8 *)p) ^ 0xff);
	kasan_enable_current();
}

static struct toyslab_cache *make_debug_cache(struct kunit *test,
					      const char *name)
{
	struct toyslab_cache *c;

	c = make_cache(test, name, OBJ_SIZE, 0, DEBUG3, false);
	/* The layout the offsets above are derived from. */
	KUNIT_ASSERT_EQ(test, c->obj_offset, 8);
	KUNIT_ASSERT_EQ(test, c->size, 88);
	KUNIT_ASSERT_EQ(test, c->num, 46);
	return c;
}

/* Objects the test holds, each filled with a byte of its own. */
static void hold(struct kunit *test, struct toyslab_cache *c, void **objs)
{
	int i;

	for (i = 0; i < HELD; i++) {
		objs[i] = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], 0xa0 + i, c->object_size);
	}
}

/*
 * After a shrink (every array empty, no free slab left): every slab is on
 * the list its 'active' says, the node's counts agree with its lists, and
 * the objects out of the slabs are @active, counted slab by slab, by
 * slabinfo's formula and by SLAB's num_active.  The quarantine bits of
 * all slabs add up to 'quarantined' (a cache without debugging options
 * has neither).  The lists are read under list_lock and checked after it: a
 * failed expectation allocates.
 */
/* Only the slab extensions of debug caches have the bitmap. */
static unsigned long quarantine_bits(struct toyslab_cache *c,
				     struct toyslab_slab *slab)
{
	return cache_debug(c) ?
	       bitmap_weight(slab->ext->quarantined, SLAB_OBJ_MAX_NUM) : 0;
}

static void expect_lists_consistent(struct kunit *test,
				    struct toyslab_cache *c, long active)
{
	long in_slabs = 0, by_formula = 0;
	unsigned long bits = 0;
	int node;

	for (node = 0; node < nr_node_ids; node++) {
		unsigned long slabs = 0, free_slabs = 0, free_objs = 0;
		unsigned long total, nfree, nfree_objs, shared = 0;
		struct toyslab_node *n = get_node(c, node);
		struct toyslab_slab *slab;
		int misplaced = 0;

		if (!n)
			continue;
		spin_lock_irq(&n->list_lock);
		list_for_each_entry(slab, &n->slabs_full, slab_list) {
			misplaced += slab->active != c->num;
			slabs++;
			in_slabs += slab->active;
			bits += quarantine_bits(c, slab);
		}
		list_for_each_entry(slab, &n->slabs_partial, slab_list) {
			misplaced += !slab->active || slab->active >= c->num;
			slabs++;
			in_slabs += slab->active;
			free_objs += c->num - slab->active;
			bits += quarantine_bits(c, slab);
		}
		list_for_each_entry(slab, &n->slabs_free, slab_list) {
			misplaced += slab->active != 0;
			slabs++;
			free_slabs++;
			free_objs += c->num;
			bits += quarantine_bits(c, slab);
		}
		total = n->total_slabs;
		nfree = n->free_slabs;
		nfree_objs = n->free_objects;
		if (n->shared)
			shared = n->shared->avail;
		spin_unlock_irq(&n->list_lock);

		KUNIT_EXPECT_EQ_MSG(test, misplaced, 0, "node %d", node);
		KUNIT_EXPECT_EQ_MSG(test, total, slabs, "node %d", node);
		KUNIT_EXPECT_EQ_MSG(test, nfree, free_slabs, "node %d", node);
		KUNIT_EXPECT_EQ_MSG(test, nfree_objs, free_objs, "node %d", node);
		KUNIT_EXPECT_EQ_MSG(test, shared, 0, "node %d", node);
		by_formula += total * c->num - nfree_objs;
	}
	KUNIT_EXPECT_EQ(test, in_slabs, active);
	KUNIT_EXPECT_EQ(test, by_formula, active);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.num_active), active);
	KUNIT_EXPECT_EQ(test, bits, READ_ONCE(c->nr_quarantined));
}

/* Free objects in slabs, on every node. */
static unsigned long free_objects(struct toyslab_cache *c)
{
	unsigned long nr = 0;
	int node;

	for (node = 0; node < nr_node_ids; node++)
		if (get_node(c, node))
			nr += READ_ONCE(get_node(c, node)->free_objects);
	return nr;
}

/*
 * Allocate every free object of @c, count how often @obj is among them,
 * and free them again.  After a shrink the arrays are empty and every
 * free object sits in a slab in use, so the nodes' free_objects is how
 * many allocations take them all without growing the cache; quarantined
 * objects never went back to a slab and are not among them.  Interrupts
 * stay off meanwhile, so that every refill lands in this CPU's array and
 * those allocations empty it again: no migration, no reaper drain, no
 * batch left behind on another CPU.  Each allocation also checks its
 * object's poison and red zones: the rest of the cache is still sound.
 */
static int take_every_free_object(struct kunit *test, struct toyslab_cache *c,
				  const void *obj)
{
	unsigned long flags, nr, i = 0;
	int node, seen = 0;
	long grown;
	void **objs;

	toyslab_cache_shrink(c);
	grown = atomic_long_read(&c->stats.grown);
	nr = free_objects(c);
	objs = kunit_kcalloc(test, nr + 1, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	local_irq_save(flags);
	for (node = 0; node < nr_node_ids; node++) {
		unsigned long todo;

		if (!get_node(c, node))
			continue;
		todo = READ_ONCE(get_node(c, node)->free_objects);
		for (; todo && i < nr; todo--, i++) {
			objs[i] = toyslab_cache_alloc_node(c, GFP_ATOMIC |
							   __GFP_NOWARN, node);
			if (!objs[i])
				break;
		}
	}
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ(test, i, nr);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.grown), grown);
	KUNIT_EXPECT_EQ(test, free_objects(c), 0);
	for (i = 0; i < nr; i++) {
		if (objs[i] == obj)
			seen++;
		toyslab_cache_free(c, objs[i]);
	}
	return seen;
}

/*
 * The end of every detector case: the held objects still hold their
 * bytes and free without a report; then only the @quarantined objects
 * keep slabs in use; and the cache is destroyed, which gives the
 * quarantine back to the slabs with their debug state reset, without a
 * report.
 */
static void finish(struct kunit *test, struct report_log *log,
		   struct toyslab_cache *c, void **objs,
		   unsigned long quarantined)
{
	struct snap s;
	int i;

	for (i = 0; i < HELD; i++) {
		if (!objs[i])
			continue;
		KUNIT_EXPECT_NULL_MSG(test,
				      memchr_inv(objs[i], 0xa0 + i,
						 c->object_size),
				      "%s: held object %d", c->name, i);
		toyslab_cache_free(c, objs[i]);
	}
	toyslab_cache_shrink(c);
	snap(c, &s);
	KUNIT_EXPECT_EQ(test, s.quarantined, quarantined);
	expect_lists_consistent(test, c, quarantined);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
	expect_no_report(test, log);
}

/*
 * Wait for a reaper pass or a shrinker scan in flight: both hold
 * toyslab_mutex throughout, and creating a cache takes it.  One that
 * started before the caller's shrink may be the one that destroyed (and
 * checked) a slab the shrink then did not find.
 */
static void wait_for_reaper(struct kunit *test)
{
	struct toyslab_cache *c;

	c = make_cache(test, "kunit_reaper_barrier", OBJ_SIZE, 0, 0, false);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * A double free anywhere: the first free set both red zones to
 * REDZONE_INACTIVE, and the second finds them so, as
 * verify_redzone_free() of 6.1 does ("double free detected"; it then
 * frees the object again).  toyslab drops the second free before the
 * array.  A free in between keeps the object off the top of the array,
 * where the hardened check would see it too.
 */
static void double_free_is_caught_by_the_red_zones(struct kunit *test)
{
	struct snap before, after;
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *x;
	struct reports r;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_double_free");
	hold(test, c, objs);
	x = objs[0];
	objs[0] = NULL;
	toyslab_cache_free(c, x);
	toyslab_cache_free(c, objs[1]);
	objs[1] = NULL;
	expect_no_report(test, &log);

	snap(c, &before);
	toyslab_cache_free(c, x);
	expect_one_report(test, &log, c, &before, "double free", x, &r);
	/* STORE_USER recorded the first free, this function's. */
	expect_offset_and_user(test, &r, 0, __func__);
	snap(c, &after);
	/* Dropped before the array: not counted, nothing quarantined. */
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active, before.active);
	KUNIT_EXPECT_EQ(test, after.quarantined, 0);

	/* The first free stands: the object comes back once, not twice. */
	KUNIT_EXPECT_EQ(test, take_every_free_object(test, c, x), 1);
	toyslab_cache_shrink(c);
	expect_lists_consistent(test, c, HELD - 2);
	finish(test, &log, c, objs, 0);
}

/*
 * A double free on top of this CPU's array, which 6.1 catches in
 * __free_one() under CONFIG_SLAB_FREELIST_HARDENED (a WARN_ON_ONCE): the
 * one detector a cache without red zones has, debug flags or none.  Both
 * frees count as hits before the check, as in ___cache_free() of 6.1,
 * and the check has no buffer to read a last user from.  Interrupts off:
 * a drain (by IPI, or the reaper) between the two frees would take the
 * object off the top, and the second free would get through.
 */
static void double_free_on_top_of_the_array_is_caught_in_any_cache(struct kunit *test)
{
	static const struct {
		const char *name;
		slab_flags_t flags;
	} caches[] = {
		{ "kunit_double_free_plain", 0 },
		{ "kunit_double_free_poison", SLAB_POISON },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		struct snap before, after;
		struct report_log log;
		struct toyslab_cache *c;
		unsigned long flags;
		struct reports r;
		void *objs[HELD];
		void *x;

		log_mark(test, &log);
		c = make_cache(test, caches[i].name, OBJ_SIZE, 0,
			       caches[i].flags, false);
		hold(test, c, objs);

		snap(c, &before);
		local_irq_save(flags);
		x = toyslab_cache_alloc(c, GFP_ATOMIC | __GFP_NOWARN);
		toyslab_cache_free(c, x);
		toyslab_cache_free(c, x);
		local_irq_restore(flags);
		KUNIT_ASSERT_NOT_NULL(test, x);

		expect_one_report(test, &log, c, &before, "double free", x, &r);
		expect_report_has(test, &r, "+0x0, last user unknown");
		snap(c, &after);
		KUNIT_EXPECT_EQ(test, after.allocs - before.allocs, 1);
		KUNIT_EXPECT_EQ(test, after.frees - before.frees, 2);
		KUNIT_EXPECT_EQ(test, after.quarantined, 0);

		KUNIT_EXPECT_EQ_MSG(test, take_every_free_object(test, c, x), 1,
				    "%s", c->name);
		toyslab_cache_shrink(c);
		expect_lists_consistent(test, c, HELD);
		finish(test, &log, c, objs, 0);
	}
}

/*
 * A plain cache keeps no in-use bits (it is not tracked, see
 * struct toyslab_slab_ext): toyslab_kfree() finds its cache from the
 * pointer and frees the object as toyslab_cache_free() would, one free
 * counted.  toyslab_ksize() cannot tell a freed object from a live one:
 * the object's size.  A second toyslab_kfree() is caught only where 6.1's
 * kfree() catches it, on top of this CPU's array: interrupts stay off
 * throughout, as in the case above.
 */
static void kfree_of_an_untracked_cache_object_is_6_1_kfree(struct kunit *test)
{
	struct snap before, after;
	struct report_log log;
	struct toyslab_cache *c;
	unsigned long flags;
	struct reports r;
	void *objs[HELD];
	size_t size;
	void *x;

	log_mark(test, &log);
	c = make_cache(test, "kunit_kfree_plain", OBJ_SIZE, 0, 0, false);
	KUNIT_ASSERT_FALSE(test, c->tracked);
	hold(test, c, objs);

	snap(c, &before);
	local_irq_save(flags);
	x = toyslab_cache_alloc(c, GFP_ATOMIC | __GFP_NOWARN);
	toyslab_kfree(x);
	size = toyslab_ksize(x);
	toyslab_kfree(x);
	local_irq_restore(flags);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, size, OBJ_SIZE);

	expect_one_report(test, &log, c, &before, "double free", x, &r);
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.allocs - before.allocs, 1);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 2);

	KUNIT_EXPECT_EQ(test, take_every_free_object(test, c, x), 1);
	toyslab_cache_shrink(c);
	expect_lists_consistent(test, c, HELD);
	finish(test, &log, c, objs, 0);
}

/*
 * Free @ptr into @c, which must refuse it: exactly one report, "@what at
 * @ptr+0x0, last user unknown" (no buffer of it is trusted to hold a last
 * user), one more error, and nothing else changes: no free counted,
 * nothing out of a slab, nothing quarantined.
 */
static void expect_free_refused(struct kunit *test, struct report_log *log,
				struct toyslab_cache *c, void *ptr,
				const char *what)
{
	struct snap before, after;
	struct reports r;

	snap(c, &before);
	toyslab_cache_free(c, ptr);
	expect_one_report(test, log, c, &before, what, ptr, &r);
	expect_report_has(test, &r, "+0x0, last user unknown");
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active, before.active);
	KUNIT_EXPECT_EQ(test, after.quarantined, 0);
}

/*
 * Frees a debug cache must refuse without touching the memory: the
 * pointer is on no page slabmap.c has marked as toyslab's.  6.1 with
 * DEBUG BUGs in cache_free_debugcheck() (BUG_ON(virt_to_cache(objp) !=
 * cachep)).  Two kinds: a kmalloc() buffer, which is SLUB's, and a
 * vmalloc() one, outside the direct map (virt_addr_valid() fails).  A
 * third, an object of a toyslab cache without debug flags, is toyslab's,
 * of another cache.  No buffer is trusted: the report has no last user.
 */
static void free_of_a_pointer_toyslab_never_handed_out_is_refused(struct kunit *test)
{
	struct toyslab_cache *c, *plain;
	void *objs[HELD], *ptrs[3];
	struct report_log log;
	int i;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_foreign");
	plain = make_cache(test, "kunit_foreign_plain", OBJ_SIZE, 0, 0, false);
	hold(test, c, objs);
	ptrs[0] = kunit_kmalloc(test, OBJ_SIZE, GFP_KERNEL);
	ptrs[1] = vmalloc(PAGE_SIZE);
	ptrs[2] = toyslab_cache_alloc(plain, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		KUNIT_ASSERT_NOT_NULL(test, ptrs[i]);
		memset(ptrs[i], 0x5c, OBJ_SIZE);
	}

	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		expect_free_refused(test, &log, c, ptrs[i],
				    i < 2 ? "free of a pointer toyslab never handed out" :
				    "free of another cache's object");
		/* Not a byte written: no poison, no red zone, no link. */
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(ptrs[i], 0x5c, OBJ_SIZE),
				      "pointer %d", i);
	}

	vfree(ptrs[1]);
	toyslab_cache_free(plain, ptrs[2]);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(plain), 0);
	finish(test, &log, c, objs, 0);
}

/*
 * An object of one debug cache freed into another: the slab is found but
 * belongs to the other cache.  The cache the free was called on reports
 * and counts it; the object's own cache sees nothing, and the object stays
 * allocated, red zones active, so its owner frees it later without a
 * report.  6.1 WARNs in cache_from_obj() ("Wrong slab cache") under
 * CONFIG_SLAB_FREELIST_HARDENED and frees into the right cache, or BUGs in
 * cache_free_debugcheck() with DEBUG.
 */
static void free_into_the_wrong_cache_is_refused_by_that_cache(struct kunit *test)
{
	void *objs[HELD], *others[HELD];
	struct toyslab_cache *c, *other;
	struct snap after, owner;
	struct report_log log;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_wrong_cache");
	other = make_debug_cache(test, "kunit_wrong_cache_owner");
	hold(test, c, objs);
	hold(test, other, others);

	snap(other, &owner);
	expect_free_refused(test, &log, c, others[0],
			    "free of another cache's object");
	snap(other, &after);
	KUNIT_EXPECT_EQ(test, after.errors, owner.errors);
	KUNIT_EXPECT_EQ(test, after.frees, owner.frees);
	KUNIT_EXPECT_EQ(test, after.quarantined, 0);

	finish(test, &log, other, others, 0);
	finish(test, &log, c, objs, 0);
}

/*
 * A pointer into the right slab of the right cache that is not where an
 * object starts: obj_to_index() and index_to_obj() do not give it back.
 * 6.1 BUGs there (BUG_ON(objp != index_to_obj(...)) in
 * cache_free_debugcheck()).  Three: one byte in, a word-aligned one half
 * way in, and the last byte of the red zone 1 of the slab's first buffer,
 * whose buffer would start before s_mem.  The object is left allocated,
 * untouched, and its owner frees it later without a report.
 */
static void free_of_a_pointer_inside_an_object_is_refused(struct kunit *test)
{
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *ptrs[3];
	int i;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_inside");
	hold(test, c, objs);
	ptrs[0] = objs[0] + 1;
	ptrs[1] = objs[0] + OBJ_SIZE / 2;
	ptrs[2] = slab_s_mem(c, virt_to_slab(objs[0])) + c->obj_offset - 1;

	for (i = 0; i < ARRAY_SIZE(ptrs); i++)
		expect_free_refused(test, &log, c, ptrs[i],
				    "free of a pointer inside an object");
	finish(test, &log, c, objs, 0);
}

/*
 * Change the byte at @at (a red zone of the allocated object @x), free @x:
 * one report at @offset naming @user, who allocated @x; @x quarantined,
 * no free counted, nothing leaves the slab.
 */
static void free_after_write_past(struct kunit *test, struct report_log *log,
				  struct toyslab_cache *c, void *x, void *at,
				  unsigned long offset, const char *user)
{
	struct snap before, after;
	struct reports r;

	snap(c, &before);
	scribble(at);
	toyslab_cache_free(c, x);
	expect_one_report(test, log, c, &before, "write past the object", x,
			  &r);
	expect_offset_and_user(test, &r, offset, user);
	expect_quarantined(test, c, x);
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.quarantined, before.quarantined + 1);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active, before.active);
}

/*
 * Red zone 2 (one byte past the end, object + 64) and red zone 1 (the byte
 * before the object) of allocated objects, found changed at free: 6.1's
 * verify_redzone_free() says "memory outside object was overwritten" and
 * frees the object anyway; toyslab quarantines it.  STORE_USER still holds
 * the allocating caller, this function.  Red zone 1 is reported at offset
 * -8, which %#lx prints as 0xfffffffffffffff8.  The object never reaches
 * the array, so no free is counted, and it stays out of its slab.
 */
static void write_past_the_object_is_caught_at_free_and_quarantined(struct kunit *test)
{
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *a, *b;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_write_past");
	hold(test, c, objs);
	a = toyslab_cache_alloc(c, GFP_KERNEL);
	b = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	free_after_write_past(test, &log, c, a, a + OBJ_SIZE, OBJ_SIZE,
			      __func__);
	free_after_write_past(test, &log, c, b, b - 1, -8UL, __func__);

	KUNIT_EXPECT_EQ(test, take_every_free_object(test, c, a), 0);
	KUNIT_EXPECT_EQ(test, take_every_free_object(test, c, b), 0);
	toyslab_cache_shrink(c);
	expect_lists_consistent(test, c, HELD + 2);
	finish(test, &log, c, objs, 2);
}

/*
 * Free an object, change the byte at @offset of its buffer, allocate:
 * LIFO hands the same object back first, its check at allocation finds
 * the change, quarantines it and takes the next object.  Interrupts off
 * keep the object on top of this CPU's array until then: a drain would
 * put it back in its slab, where it could come to hold the freelist.
 * Not inlined: the report names it as the last user, the freeing caller.
 */
static noinline void *free_scribble_alloc(struct toyslab_cache *c, void *x,
					  long offset)
{
	unsigned long flags;
	void *got;

	local_irq_save(flags);
	toyslab_cache_free(c, x);
	scribble(x + offset);
	got = toyslab_cache_alloc(c, GFP_ATOMIC | __GFP_NOWARN);
	local_irq_restore(flags);
	return got;
}

/*
 * A write to a free object's buffer, found when LIFO hands the object
 * out again: the object is quarantined and the allocation takes the next
 * one, and both pops count as allocations, the free before them as one
 * free.  The report names the write's offset and the last user, the
 * freeing free_scribble_alloc().
 */
struct free_write {
	const char *cache;
	long offset;
	const char *what;
};

static const struct free_write free_writes[] = {
	/*
	 * Byte 10 of the object: the poison check finds the first byte that
	 * is not POISON_FREE (or POISON_END, last), as check_poison_obj()
	 * of 6.1 does ("Slab corruption"; it then hands the object out
	 * anyway).
	 */
	{ "kunit_write_free", 10, "write to a free object" },
	/*
	 * Red zone 2 (object + 64): the poison is intact, the red zone no
	 * longer REDZONE_INACTIVE.  6.1's cache_alloc_debugcheck_after()
	 * says "double free, or memory outside object was overwritten" and
	 * hands it out; toyslab quarantines it.
	 */
	{ "kunit_write_outside", OBJ_SIZE, "write outside a free object" },
};

static void free_write_desc(const struct free_write *w, char *desc)
{
	strscpy(desc, w->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(free_write, free_writes, free_write_desc);

static void write_to_a_free_buffer_is_caught_at_its_next_alloc(struct kunit *test)
{
	const struct free_write *w = test->param_value;
	struct snap before, after;
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *x, *got;
	struct reports r;

	log_mark(test, &log);
	c = make_debug_cache(test, w->cache);
	hold(test, c, objs);
	x = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);

	snap(c, &before);
	got = free_scribble_alloc(c, x, w->offset);
	expect_one_report(test, &log, c, &before, w->what, x, &r);
	expect_offset_and_user(test, &r, w->offset, "free_scribble_alloc");
	expect_quarantined(test, c, x);
	KUNIT_EXPECT_NOT_NULL(test, got);
	KUNIT_EXPECT_PTR_NE(test, got, x);
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.quarantined, before.quarantined + 1);
	KUNIT_EXPECT_EQ(test, after.allocs - before.allocs, 2);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 1);

	KUNIT_EXPECT_EQ(test, take_every_free_object(test, c, x), 0);
	toyslab_cache_shrink(c);
	expect_lists_consistent(test, c, HELD + 2);
	toyslab_cache_free(c, got);
	finish(test, &log, c, objs, 1);
}

/*
 * The whole buffer of @x, red zones and user word included, to show
 * later that a refused free wrote nothing into it.  KASAN looks away:
 * the buffer of a free object is off limits to it.
 */
static void *copy_buffer(struct kunit *test, struct toyslab_cache *c, void *x)
{
	void *copy = kunit_kmalloc(test, c->size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, copy);
	kasan_disable_current();
	memcpy(copy, x - c->obj_offset, c->size);
	kasan_enable_current();
	return copy;
}

static void expect_buffer_unchanged(struct kunit *test,
				    struct toyslab_cache *c, void *x,
				    const void *copy)
{
	int diff;

	kasan_disable_current();
	diff = memcmp(copy, x - c->obj_offset, c->size);
	kasan_enable_current();
	KUNIT_EXPECT_EQ_MSG(test, diff, 0, "%s: buffer of %p written",
			    c->name, x);
}

/*
 * The caller that wrote past its object frees it once more.  The first
 * free found red zone 2 changed and quarantined the object; to the
 * caller it is freed, so the second free is a double free, and the
 * quarantine says so before the red zones are read (they still show the
 * first fault, which must not be reported again).  STORE_USER still holds
 * the allocating caller, this function: the first free did not record
 * itself in an object it refused.  Dropped like any refused free: no free
 * counted, nothing written into the buffer, the object quarantined once,
 * still out of its slab, and never handed out.
 */
static void free_of_an_object_quarantined_at_free_is_a_double_free(struct kunit *test)
{
	struct snap before, after;
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *x, *copy;
	struct reports r;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_requarantine_free");
	hold(test, c, objs);
	x = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	scribble(x + OBJ_SIZE);
	snap(c, &before);
	toyslab_cache_free(c, x);
	expect_one_report(test, &log, c, &before, "write past the object", x,
			  &r);
	expect_quarantined(test, c, x);

	copy = copy_buffer(test, c, x);
	snap(c, &before);
	toyslab_cache_free(c, x);
	expect_one_report(test, &log, c, &before,
			  "double free of a quarantined object", x, &r);
	expect_offset_and_user(test, &r, 0, __func__);
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.quarantined, before.quarantined);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active, before.active);
	expect_buffer_unchanged(test, c, x, copy);
	expect_quarantined(test, c, x);

	/* The held objects and the quarantined one keep their slab. */
	KUNIT_EXPECT_EQ(test, take_every_free_object(test, c, x), 0);
	toyslab_cache_shrink(c);
	expect_lists_consistent(test, c, HELD + 1);
	finish(test, &log, c, objs, 1);
}

/*
 * The caller that wrote to its object after freeing it frees it again.
 * The allocation in between found the write and quarantined the object
 * instead of handing it out, so to the caller this is its second free:
 * a double free, reported as such, whatever the object's bytes say.  Two
 * caches: poison alone, where no red zone could tell a free object from
 * an allocated one and nothing but the quarantine catches this, and
 * poison with red zones and the last user (the report names the first
 * free, free_scribble_alloc(); without STORE_USER it is "unknown").
 * The poison-only cache is 64 bytes a buffer, 64 to a slab, the object
 * at +0.  Dropped: nothing counted but the error, nothing written, the
 * object handed out neither now nor later.
 */
static void free_of_an_object_quarantined_at_alloc_is_a_double_free(struct kunit *test)
{
	static const struct {
		const char *name;
		slab_flags_t flags;
		unsigned int size, num;
	} caches[] = {
		{ "kunit_requarantine_poison", SLAB_POISON, 64, 64 },
		{ "kunit_requarantine_alloc", DEBUG3, 88, 46 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		struct snap before, after;
		struct report_log log;
		struct toyslab_cache *c;
		void *objs[HELD], *x, *got, *copy;
		struct reports r;

		log_mark(test, &log);
		c = make_cache(test, caches[i].name, OBJ_SIZE, 0,
			       caches[i].flags, false);
		KUNIT_ASSERT_EQ(test, c->size, caches[i].size);
		KUNIT_ASSERT_EQ(test, c->num, caches[i].num);
		hold(test, c, objs);
		x = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x);

		snap(c, &before);
		got = free_scribble_alloc(c, x, 10);
		expect_one_report(test, &log, c, &before,
				  "write to a free object", x, &r);
		expect_quarantined(test, c, x);
		KUNIT_ASSERT_NOT_NULL(test, got);
		KUNIT_EXPECT_PTR_NE(test, got, x);

		copy = copy_buffer(test, c, x);
		snap(c, &before);
		toyslab_cache_free(c, x);
		expect_one_report(test, &log, c, &before,
				  "double free of a quarantined object", x, &r);
		if (c->flags & SLAB_STORE_USER)
			expect_offset_and_user(test, &r, 0,
					       "free_scribble_alloc");
		else
			expect_report_has(test, &r, "+0x0, last user unknown");
		snap(c, &after);
		KUNIT_EXPECT_EQ(test, after.quarantined, before.quarantined);
		KUNIT_EXPECT_EQ(test, after.frees, before.frees);
		KUNIT_EXPECT_EQ(test, after.active, before.active);
		expect_buffer_unchanged(test, c, x, copy);
		expect_quarantined(test, c, x);

		/* Held: HELD, got; out of circulation: x. */
		KUNIT_EXPECT_EQ_MSG(test, take_every_free_object(test, c, x), 0,
				    "%s", c->name);
		toyslab_cache_shrink(c);
		expect_lists_consistent(test, c, HELD + 2);
		toyslab_cache_free(c, got);
		finish(test, &log, c, objs, 1);
	}
}

/* Slabs on the full lists, on every node. */
static unsigned long full_slabs(struct toyslab_cache *c)
{
	struct toyslab_slab *slab;
	unsigned long nr = 0;
	int node;

	for (node = 0; node < nr_node_ids; node++) {
		struct toyslab_node *n = get_node(c, node);

		if (!n)
			continue;
		spin_lock_irq(&n->list_lock);
		list_for_each_entry(slab, &n->slabs_full, slab_list)
			nr++;
		spin_unlock_irq(&n->list_lock);
	}
	return nr;
}

/*
 * Destroy finds quarantined objects slab by slab, in full and partial
 * slabs, and a slab moves between lists as they go back.  97 objects of
 * a new cache are the first 97 of its slabs (refills take from the
 * partial slab first, and grow only when there is none): all 46 of two
 * slabs and 5 of a third.  Each is freed with red zone 2 changed:
 * quarantined, 97 reports.  After a shrink, the first two slabs are full
 * of quarantined objects and the third holds 5 of them.  A slab the
 * destroy missed would keep objects active, and the destroy would fail
 * with -EBUSY; one it reset badly would be reported when it goes.
 */
static void quarantined_objects_of_full_and_partial_slabs_go_back_at_destroy(struct kunit *test)
{
	enum { NR = 2 * 46 + 5 };
	struct report_log log;
	struct toyslab_cache *c;
	struct reports r;
	struct snap s;
	void **objs;
	int i;

	objs = kunit_kcalloc(test, NR, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_quarantine_many");
	for (i = 0; i < NR; i++) {
		objs[i] = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < NR; i++) {
		scribble(objs[i] + OBJ_SIZE);
		toyslab_cache_free(c, objs[i]);
	}

	log_read(&log, c->name, &r);
	KUNIT_EXPECT_TRUE(test, r.complete);
	KUNIT_EXPECT_EQ(test, r.these, NR);
	KUNIT_EXPECT_EQ(test, r.all, NR);
	snap(c, &s);
	KUNIT_EXPECT_EQ(test, s.errors, NR);
	KUNIT_EXPECT_EQ(test, s.quarantined, NR);
	toyslab_cache_shrink(c);
	expect_lists_consistent(test, c, NR);
	KUNIT_EXPECT_EQ(test, full_slabs(c), 2);

	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
	expect_no_report(test, &log);
}

/*
 * Writes to free objects that sit in their slab are found when the slab
 * is destroyed, as slab_destroy_debugcheck() of 6.1 finds them.  In a new
 * cache, the first refill moves objects 0 to 15 of a new slab into the
 * array (an untouched array takes BATCHREFILL_LIMIT), and the two
 * allocations pop 15 and 14: the slab's freelist stays in object 45,
 * away from them.  The object is freed, a shrink puts it back in its
 * slab (the other keeps the slab in use), the byte is changed, and the
 * other object's free and a second shrink destroy the slab.  One fault a
 * slab, one report: byte 10 of the object, then red zone 2 (object + 64).
 * No quarantine: the slab goes with its objects.
 */
static void write_to_a_free_object_in_a_slab_is_caught_when_it_goes(struct kunit *test)
{
	static const struct {
		long offset;
		const char *what;
	} faults[] = {
		{ 10, "write to a free object" },
		{ OBJ_SIZE, "write outside a free object" },
	};
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD] = {};
	int i;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_write_in_slab");
	for (i = 0; i < ARRAY_SIZE(faults); i++) {
		struct snap before, after;
		struct reports r;
		void *x, *keep;

		x = toyslab_cache_alloc(c, GFP_KERNEL);
		keep = toyslab_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x);
		KUNIT_ASSERT_NOT_NULL(test, keep);
		KUNIT_EXPECT_PTR_EQ(test, virt_to_slab(x), virt_to_slab(keep));
		toyslab_cache_free(c, x);
		toyslab_cache_shrink(c);
		expect_lists_consistent(test, c, 1);

		scribble(x + faults[i].offset);
		snap(c, &before);
		toyslab_cache_free(c, keep);
		toyslab_cache_shrink(c);
		wait_for_reaper(test);
		expect_one_report(test, &log, c, &before, faults[i].what, x, &r);
		/* The free stored its caller, this function. */
		expect_offset_and_user(test, &r, faults[i].offset, __func__);
		snap(c, &after);
		KUNIT_EXPECT_EQ(test, after.quarantined, 0);
		expect_lists_consistent(test, c, 0);
	}
	finish(test, &log, c, objs, 0);
}

/* The first error report seen while a test listened, and how many. */
struct report_seen {
	int reports;
	enum error_detector detector;
	unsigned long addr;
};

static void probe_error_report_end(void *data, enum error_detector detector,
				   unsigned long id)
{
	struct report_seen *seen = data;

	if (!seen->reports++) {
		seen->detector = detector;
		seen->addr = id;
	}
}

/*
 * toyslab poisons a freed object for KASAN, so reading it is a
 * use-after-free that KASAN reports at the object's own address; the last
 * byte of a 100-byte object, in a partial 8-byte granule, is readable
 * while allocated.  KASAN reports only once a boot, taints the kernel
 * and turns lockdep off: this case runs last, and kunit.sh expects its
 * one report on the console.
 */
static void use_after_free_is_caught_by_kasan(struct kunit *test)
{
	struct report_seen seen = {};
	struct toyslab_cache *c;
	char *obj;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs CONFIG_KASAN_GENERIC");
	c = make_cache(test, "kunit_uaf", 100, 0, 0, false);
	obj = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_EQ(test, register_trace_error_report_end(probe_error_report_end,
							      &seen), 0);

	WRITE_ONCE(obj[99], 1);
	KUNIT_EXPECT_EQ(test, seen.reports, 0);
	toyslab_cache_free(c, obj);
	(void)READ_ONCE(obj[0]);

	unregister_trace_error_report_end(probe_error_report_end, &seen);
	tracepoint_synchronize_unregister();
	KUNIT_EXPECT_EQ(test, seen.reports, 1);
	KUNIT_EXPECT_EQ(test, seen.detector, ERROR_DETECTOR_KASAN);
	KUNIT_EXPECT_EQ(test, seen.addr, (unsigned long)obj);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * Who may have an object of a pfmemalloc slab: gfp_pfmemalloc_allowed()
 * of Linux 6.1 (__gfp_pfmemalloc_flags()), row by row.
 */
struct reserve_case {
	const char *what;
	gfp_t flags;
	struct reserve_ctx ctx;
	bool allowed;
};

static const struct reserve_case reserve_cases[] = {
	/* No reason at all. */
	{ "plain task", GFP_KERNEL, {}, false },
	/* __GFP_MEMALLOC: ALLOC_NO_WATERMARKS, in any context. */
	{ "memalloc in irq", GFP_ATOMIC | __GFP_MEMALLOC,
	  { .in_interrupt = true }, true },
	/* __GFP_NOMEMALLOC wins over everything, even __GFP_MEMALLOC. */
	{ "nomemalloc", GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOMEMALLOC,
	  { .memalloc_task = true, .oom_victim = true }, false },
	/* PF_MEMALLOC counts in task context and while serving a softirq. */
	{ "PF_MEMALLOC task", GFP_KERNEL, { .memalloc_task = true }, true },
	{ "PF_MEMALLOC softirq", GFP_ATOMIC,
	  { .in_interrupt = true, .serving_softirq = true,
	    .memalloc_task = true }, true },
	/* ... but not in a hard interrupt that hit such a task. */
	{ "PF_MEMALLOC hardirq", GFP_ATOMIC,
	  { .in_interrupt = true, .memalloc_task = true }, false },
	/* An OOM victim gets ALLOC_OOM in task context (4.x: TIF_MEMDIE). */
	{ "OOM victim task", GFP_KERNEL, { .oom_victim = true }, true },
	/* Not from an interrupt, not even a softirq: 6.1 tests !in_interrupt(). */
	{ "OOM victim softirq", GFP_ATOMIC,
	  { .in_interrupt = true, .serving_softirq = true,
	    .oom_victim = true }, false },
};

static void reserves_go_to_whom_gfp_pfmemalloc_allowed_says(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reserve_cases); i++) {
		const struct reserve_case *rc = &reserve_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, reserves_allowed(rc->flags, &rc->ctx),
				    rc->allowed, "%s", rc->what);
	}
}

/*
 * A bit above __GFP_BITS_MASK is no gfp flag.  6.1 masks the caller's
 * flags with gfp_allowed_mask first, which drops it, so the grow never
 * sees it and never reports it as unexpected.
 */
static void stray_gfp_bits_are_masked_before_the_cache_grows(struct kunit *test)
{
	const gfp_t stray = (__force gfp_t)BIT(__GFP_BITS_SHIFT);
	struct report_log log;
	struct toyslab_cache *c;
	struct reports r;
	void *obj;

	c = make_cache(test, "kunit_gfp_mask", OBJ_SIZE, 0, 0, false);
	log_mark(test, &log);
	/* The cache is empty: this allocation grows it. */
	obj = toyslab_cache_alloc(c, GFP_KERNEL | stray);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	log_read(&log, c->name, &r);
	KUNIT_EXPECT_TRUE(test, r.complete);
	KUNIT_EXPECT_EQ_MSG(test, r.these, 0, "%s", r.first);
	toyslab_cache_free(c, obj);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * The bulk calls.  Each case runs on one CPU (migrate_disable(): a grow
 * that may sleep may otherwise move the task between two calls, and the
 * counters below are one array's), on a 64-byte cache with SLAB's
 * tunables: 64 objects a slab, limit 120, batchcount 60, a shared array
 * of 480 on a machine with more than one CPU (kunit.sh boots two).
 */
static struct toyslab_cpu_stats *this_cpu_stats(struct toyslab_cache *c)
{
	return per_cpu_ptr(c->cpu_stats, smp_processor_id());
}

static unsigned int this_cpu_avail(struct toyslab_cache *c)
{
	return per_cpu_ptr(c->cpu_cache, smp_processor_id())->avail;
}

/*
 * alloc_bulk(121) counts as 121 single allocations: a miss refills 16
 * (BATCHREFILL_LIMIT, the array untouched) from a new slab S1, 15 hits;
 * a miss refills S1's other 48, 47 hits; a miss grows S2 and takes 60,
 * 56 hits: 3 left in the array.  free_bulk() of the 121: 117 hits fill
 * the array to 120, a miss flushes the oldest 60 to the shared array, 3
 * hits: 64.
 */
static void bulk_calls_count_as_single_calls(struct kunit *test)
{
	struct toyslab_cpu_stats *st;
	struct toyslab_cache *c;
	void **p;

	if (num_possible_cpus() < 2)
		kunit_skip(test, "needs a shared array: two possible CPUs");
	p = kunit_kcalloc(test, 121, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	c = make_cache(test, "kunit_bulk", OBJ_SIZE, 0, 0, false);

	migrate_disable();
	st = this_cpu_stats(c);
	KUNIT_EXPECT_EQ(test, toyslab_cache_alloc_bulk(c, GFP_KERNEL, 121, p),
			121);
	KUNIT_EXPECT_EQ(test, st->allocmiss, 3);
	KUNIT_EXPECT_EQ(test, st->allochit, 15 + 47 + 56);
	KUNIT_EXPECT_EQ(test, this_cpu_avail(c), 3);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.grown), 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.num_active), 124);

	toyslab_cache_free_bulk(c, 121, p);
	KUNIT_EXPECT_EQ(test, st->freehit, 117 + 3);
	KUNIT_EXPECT_EQ(test, st->freemiss, 1);
	KUNIT_EXPECT_EQ(test, this_cpu_avail(c), 64);
	KUNIT_EXPECT_EQ(test, get_node(c, numa_mem_id())->shared->avail, 60);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

static int fail_knob(struct kunit *test, const char *name)
{
	const char *knob;
	unsigned int i;

	for (i = 0; (knob = toyslab_fail_knob_name(i)); i++)
		if (!strcmp(knob, name))
			return i;
	KUNIT_FAIL(test, "no fault injection knob %s", name);
	return 0;
}

/* Set the knob @name to @val for this test's cache only. */
static void fail_set(struct kunit *test, struct toyslab_cache *c,
		     const char *name, int val)
{
	toyslab_fail_cache_set(val ? c->name : "");
	KUNIT_ASSERT_EQ(test, toyslab_fail_knob_set(fail_knob(test, name), val),
			0);
}

/*
 * All or nothing.  Fault injection fails the call before any object is
 * taken (6.1 asks slab_pre_alloc_hook() once): one error, no counter
 * moved.  Then a grow fails midway: after one single allocation (S1
 * grown, 15 in the array, 48 in S1), the bulk takes those 15 and S1's
 * 48, and the 64th finds nothing and cannot grow.  The 63 are freed as
 * toyslab_cache_free_bulk() frees them, 63 hits into the empty array,
 * and 0 comes back.  The destroy at the end succeeds only if no object
 * stayed out.
 */
static void failed_bulk_alloc_hands_out_nothing(struct kunit *test)
{
	struct toyslab_cpu_stats *st;
	struct toyslab_cache *c;
	void **p, *one;

	p = kunit_kcalloc(test, 100, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	c = make_cache(test, "kunit_bulk_fail", OBJ_SIZE, 0, 0, false);

	fail_set(test, c, "probability", 100);
	KUNIT_EXPECT_EQ(test, toyslab_cache_alloc_bulk(c, GFP_KERNEL, 10, p),
			0);
	fail_set(test, c, "probability", 0);
	/* 'times' counted the failure down from its default, 1: back to it. */
	KUNIT_ASSERT_EQ(test,
			toyslab_fail_knob_set(fail_knob(test, "times"), 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.errors), 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.num_active), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.grown), 0);

	migrate_disable();
	st = this_cpu_stats(c);
	one = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, one);
	fail_set(test, c, "page-probability", 100);
	KUNIT_EXPECT_EQ(test, toyslab_cache_alloc_bulk(c, GFP_KERNEL, 100, p),
			0);
	fail_set(test, c, "page-probability", 0);
	KUNIT_EXPECT_EQ(test, st->allochit, 15 + 47);
	KUNIT_EXPECT_EQ(test, st->allocmiss, 1 + 2);
	KUNIT_EXPECT_EQ(test, st->freehit, 63);
	KUNIT_EXPECT_EQ(test, st->freemiss, 0);
	KUNIT_EXPECT_EQ(test, this_cpu_avail(c), 63);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.errors), 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.grown), 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->stats.num_active), 64);

	toyslab_cache_free(c, one);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * A write to a free object, found by a bulk allocation: the object is
 * quarantined and the bulk takes the next one in its place, as a single
 * allocation does.  Interrupts off from the free to the bulk keep the
 * object on top of this CPU's array.
 */
static void bulk_alloc_replaces_an_object_its_check_quarantines(struct kunit *test)
{
	struct snap before, after;
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *x, *p[3];
	unsigned long flags;
	struct reports r;
	int got;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_bulk_check");
	hold(test, c, objs);
	x = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);

	snap(c, &before);
	local_irq_save(flags);
	toyslab_cache_free(c, x);
	scribble(x + 10);
	got = toyslab_cache_alloc_bulk(c, GFP_ATOMIC | __GFP_NOWARN, 3, p);
	local_irq_restore(flags);
	expect_one_report(test, &log, c, &before, "write to a free object", x,
			  &r);
	expect_quarantined(test, c, x);
	KUNIT_ASSERT_EQ(test, got, 3);
	KUNIT_EXPECT_PTR_NE(test, p[0], x);
	KUNIT_EXPECT_PTR_NE(test, p[1], x);
	KUNIT_EXPECT_PTR_NE(test, p[2], x);
	snap(c, &after);
	/* Four pops for three objects; the free of x counted once. */
	KUNIT_EXPECT_EQ(test, after.allocs - before.allocs, 4);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 1);
	KUNIT_EXPECT_EQ(test, after.quarantined, before.quarantined + 1);

	toyslab_cache_free_bulk(c, 3, p);
	finish(test, &log, c, objs, 1);
}

/*
 * A bulk free runs every object through the checks of a single free:
 * the one whose red zone 2 was written is reported and quarantined, the
 * two others go back to the array, counted as frees.
 */
static void bulk_free_checks_every_object(struct kunit *test)
{
	struct snap before, after;
	struct report_log log;
	struct toyslab_cache *c;
	void *objs[HELD], *p[3];
	struct reports r;

	log_mark(test, &log);
	c = make_debug_cache(test, "kunit_bulk_free_check");
	hold(test, c, objs);
	KUNIT_ASSERT_EQ(test, toyslab_cache_alloc_bulk(c, GFP_KERNEL, 3, p), 3);

	snap(c, &before);
	scribble(p[1] + OBJ_SIZE);
	toyslab_cache_free_bulk(c, 3, p);
	expect_one_report(test, &log, c, &before, "write past the object", p[1],
			  &r);
	expect_offset_and_user(test, &r, OBJ_SIZE, __func__);
	expect_quarantined(test, c, p[1]);
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 2);
	KUNIT_EXPECT_EQ(test, after.quarantined, before.quarantined + 1);
	finish(test, &log, c, objs, 1);
}

/*
 * __GFP_ZERO zeroes every object of a bulk allocation, and the object of
 * toyslab_cache_zalloc().  A SLAB_POISON cache, where init_on_alloc
 * zeroes only on __GFP_ZERO: without it, each object comes out filled
 * with POISON_INUSE.
 */
static void gfp_zero_zeroes_bulk_and_zalloc_objects(struct kunit *test)
{
	struct toyslab_cache *c;
	void *p[3], *z;
	int i;

	c = make_cache(test, "kunit_bulk_zero", OBJ_SIZE, 0, SLAB_POISON, false);
	KUNIT_ASSERT_EQ(test, toyslab_cache_alloc_bulk(c, GFP_KERNEL, 3, p), 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, memchr_inv(p[i], 0x5a, OBJ_SIZE - 1));
	toyslab_cache_free_bulk(c, 3, p);

	KUNIT_ASSERT_EQ(test, toyslab_cache_alloc_bulk(c, GFP_KERNEL | __GFP_ZERO,
						       3, p), 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, memchr_inv(p[i], 0, OBJ_SIZE));
	z = toyslab_cache_zalloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, OBJ_SIZE));
	toyslab_cache_free(c, z);
	toyslab_cache_free_bulk(c, 3, p);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * toyslab_cache_alloc_lru(), as alloc_inode_sb() calls it, with a
 * memcg-aware list_lru, __GFP_ACCOUNT and SLAB_ACCOUNT: the object's page
 * has no memory cgroup, so list_lru_add() puts it on the lru's own list
 * of its node.  (On a kernel without CONFIG_MEMCG, every page has none.)
 * toyslab_cache_size() is the size asked for, not the buffer's.
 */
static void alloc_lru_objects_go_on_their_nodes_list(struct kunit *test)
{
	struct toyslab_cache *c;
	struct list_head *obj;
	struct list_lru lru;
	int nid;

	KUNIT_ASSERT_EQ(test, list_lru_init_memcg(&lru, NULL), 0);
	c = make_cache(test, "kunit_lru", 20, 0, SLAB_ACCOUNT, false);
	KUNIT_EXPECT_EQ(test, toyslab_cache_size(c), 20);
	KUNIT_EXPECT_EQ(test, c->size, 24);

	obj = toyslab_cache_alloc_lru(c, &lru, GFP_KERNEL | __GFP_ACCOUNT);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_NULL(test, page_memcg_check(virt_to_head_page(obj)));
	nid = page_to_nid(virt_to_page(obj));
	INIT_LIST_HEAD(obj);
	KUNIT_EXPECT_TRUE(test, list_lru_add(&lru, obj));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(&lru, nid, NULL), 1);
	KUNIT_EXPECT_TRUE(test, list_lru_del(&lru, obj));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(&lru, nid, NULL), 0);

	toyslab_cache_free(c, obj);
	list_lru_destroy(&lru);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

/*
 * The kmalloc classes (kmalloc.c), checked against Linux 6.1's rules for
 * SLAB on x86_64, written out by hand: kmalloc_slab() takes size_index[]
 * for sizes up to 192, as setup_kmalloc_cache_index_table() leaves it
 * with KMALLOC_MIN_SIZE 32 (1..32 -> index 5, 33..64 -> 6, 65..96 -> 1,
 * 97..128 -> 7, 129..192 -> 2), and fls(size - 1) above (193..256 -> 8,
 * up to 4097..8192 -> 13, KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1);
 * kmalloc_info[] names each index.  Above 8192, kmalloc_large(): whole
 * pages, 2^get_order(size) of them, up to KMALLOC_MAX_SIZE, order
 * MAX_ORDER - 1 = 10, 4 MiB.  ksize() under SLAB is the class's
 * object_size: 96 for kmalloc-96, whose objects are 128 bytes apart.
 */
static const struct {
	size_t max;		/* the largest size the class takes */
	const char *suffix;	/* kmalloc_info[]'s short size */
} kmalloc_classes_61[] = {
	{ 32, "32" }, { 64, "64" }, { 96, "96" }, { 128, "128" },
	{ 192, "192" }, { 256, "256" }, { 512, "512" }, { 1024, "1k" },
	{ 2048, "2k" }, { 4096, "4k" }, { 8192, "8k" },
};

/* The class 6.1 picks for @size bytes, 1 to 8192. */
static int class_61(size_t size)
{
	int i = 0;

	while (kmalloc_classes_61[i].max < size)
		i++;
	return i;
}

/* toyslab_kmalloc(@size, @gfp) lands in the class named @prefix + 6.1's. */
static void expect_class(struct kunit *test, size_t size, gfp_t gfp,
			 const char *prefix)
{
	int i = class_61(size);
	char want[32];
	void *p;

	snprintf(want, sizeof(want), "%s%s", prefix,
		 kmalloc_classes_61[i].suffix);
	p = toyslab_kmalloc(size, gfp);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_STREQ_MSG(test, toyslab_cache_of(virt_to_slab(p))->name, want,
			       "size %zu gfp %pGg", size, &gfp);
	KUNIT_EXPECT_EQ_MSG(test, toyslab_ksize(p), kmalloc_classes_61[i].max,
			    "size %zu", size);
	toyslab_kfree(p);
}

static void every_size_maps_to_the_class_slab_picks(struct kunit *test)
{
	const char *cg = COMPAT_KMALLOC_CGROUP ? "kmalloc-cg-" : "kmalloc-";
	const char *dma = IS_ENABLED(CONFIG_ZONE_DMA) ? "dma-kmalloc-" :
			  "kmalloc-";
	size_t size;
	int i;

	KUNIT_EXPECT_PTR_EQ(test, toyslab_kmalloc(0, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	for (size = 1; size <= 8192; size++)
		expect_class(test, size, GFP_KERNEL, "kmalloc-");

	/*
	 * The types, at each class's edges: __GFP_DMA before
	 * __GFP_RECLAIMABLE before __GFP_ACCOUNT (kmalloc_type()); a type
	 * this kernel lacks is the normal one.
	 */
	for (i = 0; i < ARRAY_SIZE(kmalloc_classes_61); i++) {
		size = kmalloc_classes_61[i].max;
		expect_class(test, size, GFP_KERNEL | __GFP_RECLAIMABLE,
			     "kmalloc-rcl-");
		expect_class(test, size, GFP_KERNEL_ACCOUNT, cg);
		expect_class(test, size, GFP_KERNEL | GFP_DMA, dma);
		expect_class(test, size - 1,
			     GFP_KERNEL_ACCOUNT | __GFP_RECLAIMABLE,
			     "kmalloc-rcl-");
		expect_class(test, size - 1,
			     GFP_KERNEL | GFP_DMA | __GFP_RECLAIMABLE, dma);
	}
}

/* Above 8 KiB, whole pages from the page allocator: ksize is theirs. */
static void above_8k_kmalloc_takes_whole_pages(struct kunit *test)
{
	static const struct {
		size_t size, ksize;
	} cases[] = {
		{ 8193, 4 * PAGE_SIZE },	/* get_order(8193) = 2 */
		{ 16384, 4 * PAGE_SIZE },
		{ 16385, 8 * PAGE_SIZE },
		{ 100000, 32 * PAGE_SIZE },
		{ 4 << 20, 4 << 20 },		/* order 10, the largest */
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		void *p = toyslab_kmalloc(cases[i].size, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", cases[i].size);
		KUNIT_EXPECT_EQ(test, offset_in_page(p), 0);
		KUNIT_EXPECT_EQ_MSG(test, toyslab_ksize(p), cases[i].ksize,
				    "size %zu", cases[i].size);
		toyslab_kfree(p);
	}
	/* One byte more than KMALLOC_MAX_SIZE: nothing, and quietly so. */
	KUNIT_EXPECT_NULL(test, toyslab_kmalloc((4 << 20) + 1,
						GFP_KERNEL | __GFP_NOWARN));
}

/*
 * @fn refused @ptr with exactly one line, "toyslab: FN: PTR WHAT, from
 * CALLER", and no other toyslab line since the last read.
 */
static void expect_refusal(struct kunit *test, struct report_log *log,
			   const char *fn, const void *ptr, const char *what)
{
	struct reports r;
	char want[160];

	log_read(log, fn, &r);
	snprintf(want, sizeof(want), "toyslab: %s: %p %s, from ", fn, ptr,
		 what);
	KUNIT_EXPECT_TRUE(test, r.complete);
	KUNIT_EXPECT_EQ_MSG(test, r.these, 1, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r.all, 1, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(r.first, want),
			      "wanted [%s...], got [%s]", want, r.first);
}

/*
 * One of the pointers toyslab_kfree(), toyslab_ksize() and the rest must
 * refuse, the class its report names (NULL: none), and what it says.
 */
struct bad_pointer {
	const char *desc;
	const void *ptr;
	struct toyslab_cache *cache;
	char what[64];
};

/*
 * Six kinds: a SLUB object from the kernel's kmalloc(); a stack address;
 * a byte inside a live kmalloc-64 object; the end of a kmalloc-32 slab,
 * past its 124 objects of 32 bytes (3968 bytes), where its on-slab
 * freelist is; a kmalloc-64 object already freed; a page inside a large
 * allocation.  @live and @large are held by the caller.
 */
static void bad_pointers(struct kunit *test, struct bad_pointer *bad,
			 void *live, void *small, void *large, void *slub,
			 void *stack)
{
	struct toyslab_cache *c64 = toyslab_cache_of(virt_to_slab(live));
	struct toyslab_cache *c32 = toyslab_cache_of(virt_to_slab(small));
	void *freed;

	KUNIT_ASSERT_STREQ(test, c64->name, "kmalloc-64");
	KUNIT_ASSERT_STREQ(test, c32->name, "kmalloc-32");
	KUNIT_ASSERT_EQ(test, c32->num, 124);
	freed = toyslab_kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, freed);
	toyslab_kfree(freed);

	bad[0] = (struct bad_pointer){ "slub", slub, NULL,
				       "not toyslab memory" };
	bad[1] = (struct bad_pointer){ "stack", stack, NULL,
				       "not toyslab memory" };
	bad[2] = (struct bad_pointer){ "inside", live + 8, c64,
				       "inside an object of kmalloc-64" };
	bad[3] = (struct bad_pointer){ "between",
				       slab_s_mem(c32, virt_to_slab(small)) +
				       124 * 32,
				       c32,
				       "between the objects of a kmalloc-32 slab" };
	bad[4] = (struct bad_pointer){ "freed", freed, c64,
				       "an object of kmalloc-64, already free" };
	bad[5] = (struct bad_pointer){ "large", large + PAGE_SIZE, NULL,
				       "inside a large allocation" };
}

/*
 * Each bad pointer, to each function: one report, one more error on the
 * class it names, and nothing else moves: no allocation and no free in
 * kmalloc-32 and kmalloc-64 (their 'active' is left out: the reaper may
 * drain an array meanwhile, as it may at any time).  The live memory
 * stays live (toyslab_ksize() still tells its size).  6.1's kfree() and
 * ksize() would believe the page of each and free or read whatever its
 * struct slab said.
 */
static void kfree_and_ksize_refuse_what_toyslab_did_not_hand_out(struct kunit *test)
{
	void *live, *small, *large, *slub;
	struct bad_pointer bad[6];
	struct report_log log;
	unsigned long stack;
	int i, f;

	log_mark(test, &log);
	live = toyslab_kmalloc(64, GFP_KERNEL);
	small = toyslab_kmalloc(32, GFP_KERNEL);
	large = toyslab_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	slub = kunit_kmalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, large);
	KUNIT_ASSERT_NOT_NULL(test, slub);
	bad_pointers(test, bad, live, small, large, slub, &stack);

	for (f = 0; f < 4; f++) {
		static const char * const fns[] = {
			"toyslab_kfree", "toyslab_ksize", "toyslab_krealloc",
			"toyslab_kfree_sensitive",
		};

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			struct snap before[2], after[2];
			long errors = 0;
			int k;

			snap(toyslab_cache_of(virt_to_slab(live)), &before[0]);
			snap(toyslab_cache_of(virt_to_slab(small)), &before[1]);
			if (bad[i].cache)
				errors = atomic_long_read(&bad[i].cache->stats.errors);
			if (f == 0)
				toyslab_kfree(bad[i].ptr);
			else if (f == 1)
				KUNIT_EXPECT_EQ(test, toyslab_ksize(bad[i].ptr), 0);
			else if (f == 2)
				KUNIT_EXPECT_NULL(test,
						  toyslab_krealloc(bad[i].ptr, 4096,
								   GFP_KERNEL));
			else
				toyslab_kfree_sensitive(bad[i].ptr);
			expect_refusal(test, &log, fns[f], bad[i].ptr,
				       bad[i].what);
			snap(toyslab_cache_of(virt_to_slab(live)), &after[0]);
			snap(toyslab_cache_of(virt_to_slab(small)), &after[1]);
			for (k = 0; k < 2; k++) {
				KUNIT_EXPECT_EQ_MSG(test, after[k].allocs,
						    before[k].allocs, "%s %s",
						    fns[f], bad[i].desc);
				KUNIT_EXPECT_EQ_MSG(test, after[k].frees,
						    before[k].frees, "%s %s",
						    fns[f], bad[i].desc);
			}
			if (bad[i].cache)
				KUNIT_EXPECT_EQ_MSG(test,
						    atomic_long_read(&bad[i].cache->stats.errors),
						    errors + 1, "%s %s", fns[f],
						    bad[i].desc);
		}
	}
	KUNIT_EXPECT_EQ(test, toyslab_ksize(live), 64);
	KUNIT_EXPECT_EQ(test, toyslab_ksize(large), 4 * PAGE_SIZE);
	toyslab_kfree(live);
	toyslab_kfree(small);
	toyslab_kfree(large);
	expect_no_report(test, &log);
	/* NULL and ZERO_SIZE_PTR are nothing, silently, as in 6.1. */
	toyslab_kfree(NULL);
	toyslab_kfree(ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, toyslab_ksize(NULL), 0);
	KUNIT_EXPECT_EQ(test, toyslab_ksize(ZERO_SIZE_PTR), 0);
	expect_no_report(test, &log);
}

/*
 * 6.1's krealloc(): in place while ksize() holds the new size, zeroing
 * the bytes past it under init_on_alloc or __GFP_ZERO; else a new
 * allocation with the old contents, the old freed; 0 bytes frees and
 * returns ZERO_SIZE_PTR; NULL allocates.
 */
static void krealloc_stays_in_place_while_ksize_holds(struct kunit *test)
{
	struct toyslab_cache *c64, *c96;
	struct snap before, after;
	u8 *p, *q;

	p = toyslab_kmalloc(50, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xab, 64);
	c64 = toyslab_cache_of(virt_to_slab(p));
	KUNIT_ASSERT_STREQ(test, c64->name, "kmalloc-64");

	/* ksize 64: 64 and 10 stay put; 10 with __GFP_ZERO clears 10..63. */
	KUNIT_EXPECT_PTR_EQ(test, toyslab_krealloc(p, 64, GFP_KERNEL), p);
	KUNIT_EXPECT_PTR_EQ(test,
			    toyslab_krealloc(p, 10, GFP_KERNEL | __GFP_ZERO),
			    p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xab, 10));
	KUNIT_EXPECT_NULL(test, memchr_inv(p + 10, 0, 54));

	/* 65 bytes: kmalloc-96, the first 64 bytes copied, p freed. */
	memset(p, 0xcd, 64);
	snap(c64, &before);
	q = toyslab_krealloc(p, 65, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	c96 = toyslab_cache_of(virt_to_slab(q));
	KUNIT_EXPECT_STREQ(test, c96->name, "kmalloc-96");
	KUNIT_EXPECT_EQ(test, toyslab_ksize(q), 96);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0xcd, 64));
	snap(c64, &after);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 1);

	/* 0 bytes: freed, ZERO_SIZE_PTR back. */
	snap(c96, &before);
	KUNIT_EXPECT_PTR_EQ(test, toyslab_krealloc(q, 0, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	snap(c96, &after);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 1);

	/* From NULL or ZERO_SIZE_PTR: a plain kmalloc. */
	p = toyslab_krealloc(NULL, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_STREQ(test, toyslab_cache_of(virt_to_slab(p))->name, "kmalloc-128");
	toyslab_kfree(p);
	p = toyslab_krealloc(ZERO_SIZE_PTR, 20, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_STREQ(test, toyslab_cache_of(virt_to_slab(p))->name, "kmalloc-32");

	/*
	 * Large: 10000 bytes take 4 pages (16384): in place up to that, a
	 * new 8-page allocation past it, from a class the copy starts in.
	 */
	memset(p, 0xef, 32);
	q = toyslab_krealloc(p, 10000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, toyslab_ksize(q), 4 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0xef, 32));
	KUNIT_EXPECT_PTR_EQ(test, toyslab_krealloc(q, 16384, GFP_KERNEL), q);
	p = toyslab_krealloc(q, 16385, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, toyslab_ksize(p), 8 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xef, 32));
	toyslab_kfree(p);
}

/*
 * kfree_sensitive() zeroes the whole ksize(), 64 bytes of a 50-byte
 * request, before the free; the freed object stays on top of this CPU's
 * array (interrupts off: no drain), and is read back there.
 */
static void kfree_sensitive_zeroes_the_whole_ksize(struct kunit *test)
{
	unsigned long flags;
	u8 copy[64];
	u8 *p;

	local_irq_save(flags);
	p = toyslab_kmalloc(50, GFP_ATOMIC);
	if (p) {
		memset(p, 0x77, 64);
		toyslab_kfree_sensitive(p);
		kasan_disable_current();
		memcpy(copy, p, sizeof(copy));
		kasan_enable_current();
	}
	local_irq_restore(flags);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* objfreelist: a free object in an array holds no link. */
	KUNIT_EXPECT_NULL(test, memchr_inv(copy, 0, sizeof(copy)));
}

struct rcu_small {
	char pad[24];
	struct rcu_head rcu;	/* at 24: not at the object's start */
};

struct rcu_large {
	char pad[5000];
	struct rcu_head rcu;	/* in the allocation's second page */
	char tail[5000];
};

/*
 * toyslab_kfree_rcu() frees the object around the rcu_head once a grace
 * period is over: a kmalloc-64 object (40 bytes), and a large allocation
 * (10016 bytes, 4 pages), whose page is then no longer toyslab's.
 */
static void kfree_rcu_frees_the_object_around_its_rcu_head(struct kunit *test)
{
	struct rcu_small *small = toyslab_kmalloc(sizeof(*small), GFP_KERNEL);
	struct rcu_large *large = toyslab_kmalloc(sizeof(*large), GFP_KERNEL);
	struct snap before, after;
	struct toyslab_cache *c;
	struct report_log log;

	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, large);
	log_mark(test, &log);
	c = toyslab_cache_of(virt_to_slab(small));
	KUNIT_EXPECT_STREQ(test, c->name, "kmalloc-64");
	KUNIT_EXPECT_EQ(test, toyslab_ksize(large), 4 * PAGE_SIZE);

	snap(c, &before);
	toyslab_kfree_rcu(small, rcu);
	toyslab_kfree_rcu(large, rcu);
	rcu_barrier();
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 1);
	expect_no_report(test, &log);

	KUNIT_EXPECT_EQ(test, toyslab_ksize(large), 0);
	expect_refusal(test, &log, "toyslab_ksize", large,
		       "not toyslab memory");
}

/* An object of any toyslab cache, not only a kmalloc class, kfree()s. */
static void kfree_takes_an_object_of_any_cache(struct kunit *test)
{
	struct toyslab_cache *c = make_cache(test, "kunit_kfree_any", 200, 0,
					     0, false);
	struct snap before, after;
	void *x;

	x = toyslab_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, toyslab_ksize(x), 200);
	snap(c, &before);
	toyslab_kfree(x);
	snap(c, &after);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 1);
	KUNIT_EXPECT_EQ(test, toyslab_cache_destroy(c), 0);
}

static struct kunit_case toyslab_test_cases[] = {
	KUNIT_CASE_PARAM(layout_matches_slab, layout_gen_params),
	KUNIT_CASE(obj_index_round_trips_for_every_object),
	KUNIT_CASE(objects_map_back_to_their_slab),
	KUNIT_CASE(slab_colour_cycles_through_every_offset),
	KUNIT_CASE(double_free_is_caught_by_the_red_zones),
	KUNIT_CASE(double_free_on_top_of_the_array_is_caught_in_any_cache),
	KUNIT_CASE(kfree_of_an_untracked_cache_object_is_6_1_kfree),
	KUNIT_CASE(free_of_a_pointer_toyslab_never_handed_out_is_refused),
	KUNIT_CASE(free_into_the_wrong_cache_is_refused_by_that_cache),
	KUNIT_CASE(free_of_a_pointer_inside_an_object_is_refused),
	KUNIT_CASE(write_past_the_object_is_caught_at_free_and_quarantined),
	KUNIT_CASE_PARAM(write_to_a_free_buffer_is_caught_at_its_next_alloc, free_write_gen_params),
	KUNIT_CASE(free_of_an_object_quarantined_at_free_is_a_double_free),
	KUNIT_CASE(free_of_an_object_quarantined_at_alloc_is_a_double_free),
	KUNIT_CASE(quarantined_objects_of_full_and_partial_slabs_go_back_at_destroy),
	KUNIT_CASE(write_to_a_free_object_in_a_slab_is_caught_when_it_goes),
	KUNIT_CASE(reserves_go_to_whom_gfp_pfmemalloc_allowed_says),
	KUNIT_CASE(stray_gfp_bits_are_masked_before_the_cache_grows),
	KUNIT_CASE(bulk_calls_count_as_single_calls),
	KUNIT_CASE(failed_bulk_alloc_hands_out_nothing),
	KUNIT_CASE(bulk_alloc_replaces_an_object_its_check_quarantines),
	KUNIT_CASE(bulk_free_checks_every_object),
	KUNIT_CASE(gfp_zero_zeroes_bulk_and_zalloc_objects),
	KUNIT_CASE(alloc_lru_objects_go_on_their_nodes_list),
	KUNIT_CASE(every_size_maps_to_the_class_slab_picks),
	KUNIT_CASE(above_8k_kmalloc_takes_whole_pages),
	KUNIT_CASE(kfree_and_ksize_refuse_what_toyslab_did_not_hand_out),
	KUNIT_CASE(krealloc_stays_in_place_while_ksize_holds),
	KUNIT_CASE(kfree_sensitive_zeroes_the_whole_ksize),
	KUNIT_CASE(kfree_rcu_frees_the_object_around_its_rcu_head),
	KUNIT_CASE(kfree_takes_an_object_of_any_cache),
	/* Last: see above. */
	KUNIT_CASE(use_after_free_is_caught_by_kasan),
	{}
};

static struct kunit_suite toyslab_test_suite = {
	.name = "toyslab",
	.test_cases = toyslab_test_cases,
};

kunit_test_suite(toyslab_test_suite);

MODULE_IMPORT_NS(TOYSLAB_KUNIT);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of toyslab's layout and index arithmetic");
