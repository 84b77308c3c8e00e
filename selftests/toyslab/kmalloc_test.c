// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab's kmalloc classes and the kmalloc family, driven through debugfs
 * 'kmalloc' and read back from slabinfo and the classes' own files.
 *
 * Every expected figure is derived from Linux 6.1's SLAB on x86_64
 * (4 KiB pages, 64-byte cache lines, slab_max_order 1 with more than
 * 32 MiB): the classes create_kmalloc_caches() makes, the layout
 * __kmem_cache_create() gives each, and the tunables enable_cpucache()
 * gives them once the kernel is up.  Each test starts from a freshly
 * loaded toyslab, so that the classes hold nothing, with the reaper
 * stopped, on CPU 0.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#define KMALLOC		TOYSLAB_DIR "/kmalloc"

/*
 * The classes of one type, smallest first, and what slabinfo shows of
 * each.  Every class is SLAB_HWCACHE_ALIGN, and a power of two is
 * aligned to itself (create_boot_cache()); 96 to a cache line, so its
 * objects take 128 bytes.  Objects per slab: kmalloc-32 cannot keep its
 * 128 one-byte indexes in a 32-byte object, nor pay for a 128-byte
 * off-slab buffer with objects of 32: on-slab, 33 bytes an object, 124
 * in 4096 (4 left); every other class keeps its freelist in an object,
 * PAGE_SIZE / size of them, and 8192 needs an order-1 slab.  Limits by
 * object size (enable_cpucache()): 120 up to 256 bytes, 54 up to 1024,
 * 24 up to a page, 8 above; batchcount (limit + 1) / 2.
 */
static const struct kmalloc_class {
	const char *suffix;
	long max;		/* largest request it takes, and its ksize */
	long objsize, objperslab, pagesperslab, limit, batchcount;
} classes[] = {
	{ "32",   32,   32,   124, 1, 120, 60 },
	{ "64",   64,   64,   64,  1, 120, 60 },
	{ "96",   96,   128,  32,  1, 120, 60 },
	{ "128",  128,  128,  32,  1, 120, 60 },
	{ "192",  192,  192,  21,  1, 120, 60 },
	{ "256",  256,  256,  16,  1, 120, 60 },
	{ "512",  512,  512,  8,   1, 54,  27 },
	{ "1k",   1024, 1024, 4,   1, 54,  27 },
	{ "2k",   2048, 2048, 2,   1, 24,  12 },
	{ "4k",   4096, 4096, 1,   1, 24,  12 },
	{ "8k",   8192, 8192, 1,   2, 8,   4 },
};

/* The numbers of @cache's slabinfo line, after its name; how many, or -errno. */
static int slabinfo_numbers(const char *cache, long *vals, int max)
{
	static char buf[65536];
	char *line, *tok, *save;
	int n = 0;

	if (ts_read(TOYSLAB_DIR "/slabinfo", buf, sizeof(buf)) < 0)
		return -EIO;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(cache);

		if (strncmp(line, cache, len) || line[len] != ' ')
			continue;
		for (tok = strtok(line + len, " "); tok && n < max;
		     tok = strtok(NULL, " "))
			if (*tok >= '0' && *tok <= '9')
				vals[n++] = strtol(tok, NULL, 10);
		return n;
	}
	return -ENOENT;
}

/* Lines of slabinfo naming a kmalloc class. */
static int kmalloc_lines(void)
{
	static char buf[65536];
	char *line, *save;
	int n = 0;

	if (ts_read(TOYSLAB_DIR "/slabinfo", buf, sizeof(buf)) < 0)
		return -EIO;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "kmalloc-", 8) ||
		    !strncmp(line, "dma-kmalloc-", 12))
			n++;
	return n;
}

/* Does @file hold a line that starts with @prefix? */
static bool file_has(const char *file, const char *prefix)
{
	static char buf[65536];
	char *line, *save;

	if (ts_read(file, buf, sizeof(buf)) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ')
			line++;
		if (!strncmp(line, prefix, strlen(prefix)))
			return true;
	}
	return false;
}

/*
 * The types this kernel has, as 6.1 makes them: -cg- with kernel memory
 * accounting (the memory controller is in /proc/cgroups), dma- with
 * ZONE_DMA (a DMA zone in /proc/zoneinfo).
 */
static bool have_cgroup(void)
{
	return file_has("/proc/cgroups", "memory\t");
}

static bool have_dma(void)
{
	/* "zone %8s": DMA32 has two spaces fewer. */
	return file_has("/proc/zoneinfo", "Node 0, zone      DMA");
}

/* CPUs the kernel may ever run: SLAB's num_possible_cpus(). */
static int possible_cpus(void)
{
	char buf[64];
	int lo, hi;

	if (ts_read("/sys/devices/system/cpu/possible", buf, sizeof(buf)) < 0)
		return -EIO;
	if (sscanf(buf, "%d-%d", &lo, &hi) == 2)
		return hi - lo + 1;
	return 1;
}

/* caches/@cache/cpus row 0: allocations and frees on CPU 0. */
static long cpu0_allocs(const char *cache)
{
	struct cpu_row r;

	return ts_cpu(cache, 0, &r) ? -1 : r.allochit + r.allocmiss;
}

static long cpu0_frees(const char *cache)
{
	struct cpu_row r;

	return ts_cpu(cache, 0, &r) ? -1 : r.freehit + r.freemiss;
}

/* The last line of 'kmalloc': the newest held memory and its ksize. */
static int newest(char *obj, size_t size, long *ksize)
{
	static char buf[1 << 16];
	char *line, *last = NULL, *save;
	char o[64];

	if (ts_read(KMALLOC, buf, sizeof(buf)) < 0)
		return -EIO;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		last = line;
	if (!last || sscanf(last, "%*d %63s %ld", o, ksize) != 2)
		return -ENOENT;
	snprintf(obj, size, "%s", o);
	return 0;
}

static long read_number(const char *path)
{
	char buf[64];

	if (ts_read(path, buf, sizeof(buf)) < 0)
		return -EIO;
	return strtol(buf, NULL, 10);
}

FIXTURE(kmalloc) {
	struct kmsg log;
};

/* A fresh toyslab: the classes hold nothing, no counter has moved. */
FIXTURE_SETUP(kmalloc)
{
	self->log.fd = -1;
	ASSERT_EQ(0, ts_pin(0));
	if (ts_loaded())
		ASSERT_EQ(0, ts_unload());
	ASSERT_EQ(0, ts_load(""));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "0"));
	ASSERT_EQ(0, kmsg_mark(&self->log));
}

FIXTURE_TEARDOWN(kmalloc)
{
	ts_pin(0);
	ts_write(KMALLOC, "kfree-all");
	EXPECT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
	kmsg_close(&self->log);
}

TEST_F(kmalloc, slabinfo_shows_every_class_of_every_type_as_slab_makes_it)
{
	static const char * const types[] = {
		"kmalloc-", "kmalloc-rcl-", "kmalloc-cg-", "dma-kmalloc-",
	};
	bool present[] = { true, true, have_cgroup(), have_dma() };
	int cpus = possible_cpus(), expected = 0;
	unsigned int t, i;

	ASSERT_LT(0, cpus);
	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (i = 0; i < ARRAY_SIZE(classes); i++) {
			const struct kmalloc_class *c = &classes[i];
			char name[32];
			long v[16];
			int n;

			snprintf(name, sizeof(name), "%s%s", types[t], c->suffix);
			n = slabinfo_numbers(name, v, 16);
			if (!present[t]) {
				EXPECT_EQ(-ENOENT, n) TH_LOG("%s", name);
				continue;
			}
			ASSERT_LE(9, n) TH_LOG("%s", name);
			expected++;
			/* Nothing allocated yet: no slab. */
			EXPECT_EQ(0, v[0]) TH_LOG("%s", name);
			EXPECT_EQ(0, v[1]) TH_LOG("%s", name);
			EXPECT_EQ(c->objsize, v[2]) TH_LOG("%s", name);
			EXPECT_EQ(c->objperslab, v[3]) TH_LOG("%s", name);
			EXPECT_EQ(c->pagesperslab, v[4]) TH_LOG("%s", name);
			EXPECT_EQ(c->limit, v[5]) TH_LOG("%s", name);
			EXPECT_EQ(c->batchcount, v[6]) TH_LOG("%s", name);
			/* A shared array up to a page, with two CPUs or more. */
			EXPECT_EQ(c->objsize <= 4096 && cpus > 1 ? 8 : 0, v[7])
				TH_LOG("%s", name);
		}
	}
	EXPECT_EQ(expected, kmalloc_lines());
}

/*
 * Each class takes sizes up to its own and no more, as 6.1's
 * size_index[] (up to 192) and fls(size - 1) (above) decide.
 */
TEST_F(kmalloc, each_size_goes_to_the_smallest_class_that_holds_it)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		long lo = i ? classes[i - 1].max + 1 : 1;
		long sizes[] = { lo, classes[i].max };

		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			char name[32], obj[64];
			long before, ksize;

			snprintf(name, sizeof(name), "kmalloc-%s",
				 classes[i].suffix);
			before = cpu0_allocs(name);
			ASSERT_EQ(0, ts_writef(KMALLOC, "kmalloc %ld 1",
					       sizes[j]));
			EXPECT_EQ(before + 1, cpu0_allocs(name))
				TH_LOG("%ld bytes", sizes[j]);
			ASSERT_EQ(0, newest(obj, sizeof(obj), &ksize));
			/* ksize is the class's object_size: 96, not 128. */
			EXPECT_EQ(classes[i].max, ksize)
				TH_LOG("%ld bytes", sizes[j]);
		}
	}
}

/* __GFP_DMA first, then __GFP_RECLAIMABLE, then __GFP_ACCOUNT. */
TEST_F(kmalloc, gfp_flags_choose_the_type)
{
	const struct {
		const char *gfp, *cache;
		bool present;
	} cases[] = {
		{ "kernel", "kmalloc-64", true },
		{ "kernel,reclaimable", "kmalloc-rcl-64", true },
		{ "kernel,account", "kmalloc-cg-64", have_cgroup() },
		{ "kernel,dma", "dma-kmalloc-64", have_dma() },
		{ "kernel,reclaimable,account", "kmalloc-rcl-64", true },
		{ "kernel,dma,reclaimable", "dma-kmalloc-64", have_dma() },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *cache = "kmalloc-64";
		long before;

		if (cases[i].present)
			cache = cases[i].cache;
		before = cpu0_allocs(cache);

		ASSERT_EQ(0, ts_writef(KMALLOC, "kmalloc 50 1 gfp=%s",
				       cases[i].gfp));
		EXPECT_EQ(before + 1, cpu0_allocs(cache))
			TH_LOG("gfp=%s", cases[i].gfp);
	}
}

/*
 * The first kmalloc of 100 bytes: kmalloc-128, an untouched array, so a
 * refill of BATCHREFILL_LIMIT = 16 from a new slab of 32; one handed
 * out, 15 left in the array.  slabinfo counts the array's objects as
 * active: 16 of 32.  The free goes back onto the array: a hit.
 */
TEST_F(kmalloc, first_kmalloc_refills_16_from_one_new_slab)
{
	struct cpu_row r;
	long v[16];

	ASSERT_EQ(0, ts_write(KMALLOC, "kmalloc 100 1"));
	ASSERT_LE(11, slabinfo_numbers("kmalloc-128", v, 16));
	EXPECT_EQ(16, v[0]);	/* active_objs */
	EXPECT_EQ(32, v[1]);	/* num_objs */
	EXPECT_EQ(1, v[8]);	/* active_slabs */
	EXPECT_EQ(1, v[9]);	/* num_slabs */
	EXPECT_EQ(1, ts_stat("kmalloc-128", "grown"));
	ASSERT_EQ(0, ts_cpu("kmalloc-128", 0, &r));
	EXPECT_EQ(15, r.avail);
	EXPECT_EQ(1, r.allocmiss);

	ASSERT_EQ(0, ts_write(KMALLOC, "kfree 1"));
	ASSERT_EQ(0, ts_cpu("kmalloc-128", 0, &r));
	EXPECT_EQ(16, r.avail);
	EXPECT_EQ(1, r.freehit);
	EXPECT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(0, kmsg_toyslab_reports(&self->log));
}

/*
 * Above 8 KiB the page allocator serves whole pages, 2^get_order(size):
 * 10000 bytes take 4 pages, ksize 16384; no class and no slab page.
 */
TEST_F(kmalloc, above_8k_takes_whole_pages_outside_every_slab)
{
	long pages = ts_pages(), ksize;
	char obj[64];

	ASSERT_EQ(0, ts_write(KMALLOC, "kmalloc 10000 1"));
	ASSERT_EQ(0, newest(obj, sizeof(obj), &ksize));
	EXPECT_EQ(16384, ksize);
	EXPECT_EQ(4, read_number(TOYSLAB_DIR "/large_pages"));
	EXPECT_EQ(pages, ts_pages());
	/* More than KMALLOC_MAX_SIZE, 4 MiB: nothing. */
	EXPECT_EQ(-ENOMEM, ts_writef(KMALLOC, "kmalloc %d 1 gfp=kernel,nowarn",
				     (4 << 20) + 1));
	ASSERT_EQ(0, ts_write(KMALLOC, "kfree 1"));
	EXPECT_EQ(0, read_number(TOYSLAB_DIR "/large_pages"));
}

/*
 * krealloc keeps the memory while its ksize holds the new size: 50
 * bytes in kmalloc-64 grow to 64 in place; to 65 they move to kmalloc-96
 * and kmalloc-64 gets its object back.
 */
TEST_F(kmalloc, krealloc_moves_only_past_the_ksize)
{
	char first[64], obj[64];
	long ksize, frees;

	ASSERT_EQ(0, ts_write(KMALLOC, "kmalloc 50 1"));
	ASSERT_EQ(0, newest(first, sizeof(first), &ksize));
	EXPECT_EQ(64, ksize);
	ASSERT_EQ(0, ts_write(KMALLOC, "krealloc 64"));
	ASSERT_EQ(0, newest(obj, sizeof(obj), &ksize));
	EXPECT_STREQ(first, obj);
	frees = cpu0_frees("kmalloc-64");
	EXPECT_EQ(0, frees);

	ASSERT_EQ(0, ts_write(KMALLOC, "krealloc 65"));
	ASSERT_EQ(0, newest(obj, sizeof(obj), &ksize));
	EXPECT_STRNE(first, obj);
	EXPECT_EQ(96, ksize);
	EXPECT_EQ(frees + 1, cpu0_frees("kmalloc-64"));
	EXPECT_EQ(1, cpu0_allocs("kmalloc-96"));
}

/*
 * Four pointers toyslab_kfree() must refuse: one report each, naming the
 * kind, one more in bad_pointers (and in the class's errors where the
 * pointer is in a class), and no free counted.  'freed' allocates and
 * frees one kmalloc-64 object first, then frees it again.
 */
TEST_F(kmalloc, kfree_refuses_foreign_inside_and_freed_pointers)
{
	const struct {
		const char *kind, *what;
		long errors, allocs;
	} cases[] = {
		{ "slub", "not toyslab memory", 0, 0 },
		{ "stack", "not toyslab memory", 0, 0 },
		{ "inside", "inside an object of kmalloc-64", 1, 0 },
		{ "freed", "an object of kmalloc-64, already free", 1, 1 },
	};
	char obj[64];
	unsigned int i;
	long ksize;

	ASSERT_EQ(0, ts_write(KMALLOC, "kmalloc 64 1"));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		long bad = read_number(TOYSLAB_DIR "/bad_pointers");
		long errors = ts_stat("kmalloc-64", "errors");
		long allocs = cpu0_allocs("kmalloc-64");
		long frees = cpu0_frees("kmalloc-64");
		int all, these;

		ASSERT_EQ(0, kmsg_read(&self->log));
		all = kmsg_toyslab_reports(&self->log);
		these = kmsg_count(&self->log, cases[i].what, true);

		ASSERT_EQ(0, ts_writef(KMALLOC, "kfree-bad %s", cases[i].kind));

		ASSERT_EQ(0, kmsg_read(&self->log));
		EXPECT_EQ(all + 1, kmsg_toyslab_reports(&self->log))
			TH_LOG("%s", cases[i].kind);
		EXPECT_EQ(these + 1,
			  kmsg_count(&self->log, cases[i].what, true))
			TH_LOG("%s", cases[i].kind);
		EXPECT_EQ(bad + 1, read_number(TOYSLAB_DIR "/bad_pointers"));
		EXPECT_EQ(errors + cases[i].errors,
			  ts_stat("kmalloc-64", "errors"))
			TH_LOG("%s", cases[i].kind);
		EXPECT_EQ(allocs + cases[i].allocs, cpu0_allocs("kmalloc-64"));
		EXPECT_EQ(frees + cases[i].allocs, cpu0_frees("kmalloc-64"));
	}
	/* The held object is still live: its ksize is still 64. */
	ASSERT_EQ(0, newest(obj, sizeof(obj), &ksize));
	EXPECT_EQ(64, ksize);
	ASSERT_EQ(0, ts_write(KMALLOC, "kfree 1"));
	ASSERT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(ARRAY_SIZE(cases), kmsg_toyslab_reports(&self->log));
}

/* Malformed 'kmalloc' commands: -EINVAL, and nothing allocated or freed. */
TEST_F(kmalloc, malformed_kmalloc_commands_change_nothing)
{
	static const char * const cmds[] = {
		"kmalloc", "kmalloc 64", "kmalloc x 1", "kmalloc 64 0",
		"kmalloc 64 1000001", "kmalloc 64 1 gfp=bogus",
		"kmalloc 64 1 node=99", "kmalloc 64 1 gfp=kernel gfp=kernel",
		"krealloc 10", "kfree 1", "kfree 0", "kfree-all now",
		"kfree-bad", "kfree-bad inside", "kfree-bad nope", "kfree-bad slub x",
		"free 1", "alloc 1", "KMALLOC 64 1",
	};
	long allocs = cpu0_allocs("kmalloc-64");
	unsigned int i;
	char buf[256];

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		const char *cmd = cmds[i];

		EXPECT_EQ(-EINVAL, ts_write(KMALLOC, cmd))
			TH_LOG("'%s'", cmd);
	}
	EXPECT_EQ(allocs, cpu0_allocs("kmalloc-64"));
	/* Nothing held: the header line alone. */
	ASSERT_LT(0, ts_read(KMALLOC, buf, sizeof(buf)));
	EXPECT_STREQ("index object ksize\n", buf);
	EXPECT_EQ(0, read_number(TOYSLAB_DIR "/bad_pointers"));
}

/* The classes are toyslab's own: debugfs may neither destroy nor shadow them. */
TEST_F(kmalloc, control_refuses_to_destroy_or_recreate_a_class)
{
	long v[16];

	EXPECT_EQ(-EPERM, ts_control("destroy kmalloc-64"));
	EXPECT_EQ(-EEXIST, ts_control("create kmalloc-64 64"));
	EXPECT_LE(9, slabinfo_numbers("kmalloc-64", v, 16));
}

/*
 * A constructor forbids an objfreelist slab; 128-byte objects then keep
 * their 32 one-byte indexes off the slab, in a kmalloc-32 object (no more
 * than half an object), as SLAB's freelist_cache: growing the cache
 * allocates one from kmalloc-32, an untouched array, so a refill of 16
 * from its first slab (124 objects).  Destroying the cache gives it back.
 */
TEST_F(kmalloc, off_slab_freelists_come_from_kmalloc_32)
{
	char freelist[32];

	ASSERT_EQ(0, ts_cache_create("kmoff128", "128 flags=ctor"));
	ASSERT_EQ(0, ts_layout_str("kmoff128", "freelist", freelist,
				   sizeof(freelist)));
	EXPECT_STREQ("off-slab", freelist);
	EXPECT_EQ(0, ts_stat("kmalloc-32", "active_objs"));

	ASSERT_EQ(0, ts_ctl("kmoff128", "alloc 1"));
	EXPECT_EQ(1, cpu0_allocs("kmalloc-32"));
	EXPECT_EQ(16, ts_stat("kmalloc-32", "active_objs"));
	EXPECT_EQ(124, ts_stat("kmalloc-32", "num_objs"));

	ASSERT_EQ(0, ts_cache_destroy("kmoff128"));
	EXPECT_EQ(1, cpu0_frees("kmalloc-32"));
}

/* Unloading frees, with one line, what 'kmalloc' still holds. */
TEST_F(kmalloc, unload_frees_what_debugfs_kmalloc_holds)
{
	ASSERT_EQ(0, ts_write(KMALLOC, "kmalloc 40 3"));
	ASSERT_EQ(0, ts_write(KMALLOC, "kmalloc 20000 1"));
	ASSERT_EQ(0, ts_unload());
	ASSERT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(1, kmsg_count(&self->log,
				"toyslab: freeing 4 allocations that debugfs kmalloc still held",
				false));
	/* Nothing left over: no class or large allocation reports a leak. */
	EXPECT_EQ(1, kmsg_toyslab_reports(&self->log));
	ASSERT_EQ(0, ts_load(""));
}

TS_HARNESS_MAIN
