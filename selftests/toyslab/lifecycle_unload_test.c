// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading toyslab while debugfs still has caches and objects: each
 * cache's objects held by 'ctl' are reported once, as the leak of the
 * user who left them, then everything is freed; and a hundred rounds of
 * load, use and unload leave memory as it was.
 *
 * Memory is measured as MemFree plus the per-CPU free page lists, which
 * MemFree leaves out and which move by tens of MiB after a mass free.
 * Each test leaves toyslab loaded if it found it loaded.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#define DBG	"64 flags=poison,red_zone,store_user"

/* Free memory in kB, the per-CPU free lists included (see above). */
static long free_kb(void)
{
	return ts_settle() ? -1 : ts_free_kb();
}

/* Lines "toyslab: NAME: freeing N objects that debugfs ctl still held". */
static int leak_reports(const struct kmsg *k, const char *cache, long n)
{
	char line[128];

	snprintf(line, sizeof(line),
		 "toyslab: %s: freeing %ld objects that debugfs ctl still held",
		 cache, n);
	return kmsg_count(k, line, false);
}

FIXTURE(unload) {
	bool was_loaded;
	struct kmsg log;
};

FIXTURE_SETUP(unload)
{
	self->log.fd = -1;
	if (access(ts_module_path(), R_OK))
		SKIP(return, "no module file at %s", ts_module_path());
	self->was_loaded = ts_loaded();
	ASSERT_EQ(0, ts_ensure_loaded());
}

FIXTURE_TEARDOWN(unload)
{
	kmsg_close(&self->log);
	if (self->was_loaded && !ts_loaded())
		EXPECT_EQ(0, ts_load(""));
}

TEST_F(unload, held_objects_are_reported_once_per_cache_and_freed)
{
	long before, after;

	if (ts_skipped(_metadata))
		return;
	ASSERT_EQ(0, ts_pin(0));
	before = free_kb();

	/* 4096-byte objects, a page each: 8 MiB that must come back. */
	ASSERT_EQ(0, ts_cache_create("ul4096", "4096"));
	ASSERT_EQ(0, ts_ctl("ul4096", "alloc 2000"));
	/* Objects held from two CPUs, and spares in both CPUs' arrays. */
	ASSERT_EQ(0, ts_cache_create("ul64", "64"));
	ASSERT_EQ(0, ts_ctl("ul64", "alloc 100"));
	if (ts_online_cpus() > 1) {
		ASSERT_EQ(0, ts_pin(1));
		ASSERT_EQ(0, ts_ctl("ul64", "alloc 50"));
		ASSERT_EQ(0, ts_pin(0));
	} else {
		ASSERT_EQ(0, ts_ctl("ul64", "alloc 50"));
	}
	/* A debug cache with a quarantined object: 3 allocated, 1 popped. */
	ASSERT_EQ(0, ts_cache_create("uldbg", DBG));
	ASSERT_EQ(0, ts_ctl("uldbg", "alloc 3"));
	ASSERT_EQ(0, ts_ctl("uldbg", "scribble-redzone"));
	/* Objects only in an array, none held: nothing to report. */
	ASSERT_EQ(0, ts_cache_create("ularray", "32"));
	ASSERT_EQ(0, ts_ctl("ularray", "alloc 1"));
	ASSERT_EQ(0, ts_ctl("ularray", "free-all"));
	/* And an empty cache. */
	ASSERT_EQ(0, ts_cache_create("ulempty", "128"));

	ASSERT_EQ(0, kmsg_mark(&self->log));
	ASSERT_EQ(0, ts_unload());
	ASSERT_FALSE(ts_loaded());
	ASSERT_NE(0, access(TOYSLAB_DIR, F_OK));

	ASSERT_EQ(0, kmsg_read(&self->log));
	EXPECT_EQ(1, leak_reports(&self->log, "ul4096", 2000));
	EXPECT_EQ(1, leak_reports(&self->log, "ul64", 150));
	EXPECT_EQ(1, leak_reports(&self->log, "uldbg", 2));
	/* Three caches held objects: three lines, and nothing else. */
	EXPECT_EQ(3, kmsg_count(&self->log, "objects that debugfs ctl still held",
				true));
	EXPECT_EQ(3, kmsg_toyslab_reports(&self->log));
	EXPECT_EQ(0, kmsg_count(&self->log, "not destroyed", true));
	EXPECT_EQ(0, kmsg_trouble(&self->log));

	/* The module's own memory came back too: after >= before, nearly. */
	after = free_kb();
	TH_LOG("free memory with toyslab loaded %ld kB, after unload %ld kB",
	       before, after);
	EXPECT_GT(1024, before - after);
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
}

TEST_F_TIMEOUT(unload, hundred_rounds_of_load_use_unload_leak_nothing, 600)
{
	long before, after, slab_before, slab_after;
	int i;

	if (ts_skipped(_metadata))
		return;
	ASSERT_EQ(0, ts_pin(0));
	/* A first round, so that what the kernel sets up once is not counted. */
	ASSERT_EQ(0, ts_unload());
	ASSERT_EQ(0, ts_load(""));
	ASSERT_EQ(0, ts_unload());
	before = free_kb();
	slab_before = ts_meminfo_kb("SUnreclaim");
	ASSERT_EQ(0, kmsg_mark(&self->log));

	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, ts_load(""));
		ASSERT_EQ(0, ts_cache_create("cy64", "64"));
		ASSERT_EQ(0, ts_cache_create("cydbg", DBG));
		ASSERT_EQ(0, ts_cache_create("cy4096", "4096"));
		/* 50 out, 20 back: 30 held, the rest in arrays and slabs. */
		ASSERT_EQ(0, ts_ctl("cy64", "alloc 50"));
		ASSERT_EQ(0, ts_ctl("cy64", "free 20"));
		ASSERT_EQ(0, ts_ctl("cydbg", "alloc 10"));
		ASSERT_EQ(0, ts_ctl("cydbg", "scribble-redzone"));
		ASSERT_EQ(0, ts_ctl("cy4096", "alloc 100"));
		ASSERT_EQ(0, ts_ctl("cy4096", "free-all"));
		ASSERT_EQ(0, ts_unload());
		/* Before the 128 KiB log buffer wraps. */
		ASSERT_EQ(0, kmsg_read(&self->log));
	}

	after = free_kb();
	slab_after = ts_meminfo_kb("SUnreclaim");
	ASSERT_EQ(0, kmsg_read(&self->log));
	/* Each round: one leak line per cache that held objects. */
	EXPECT_EQ(100, leak_reports(&self->log, "cy64", 30));
	EXPECT_EQ(100, leak_reports(&self->log, "cydbg", 9));
	EXPECT_EQ(0, kmsg_count(&self->log, "toyslab: cy4096:", false));
	/* And the provoked red zone report: 300 report lines in all. */
	EXPECT_EQ(100, kmsg_count(&self->log,
				  "toyslab: cydbg: write past the object at ",
				  false));
	EXPECT_EQ(300, kmsg_toyslab_reports(&self->log));
	EXPECT_EQ(0, kmsg_count(&self->log, "not destroyed", true));
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	EXPECT_EQ(0, self->log.lost);

	/*
	 * A round frees 100 pages of cy4096 and a few of the others, and
	 * the caches' structures, arrays and nodes: a page kept per round
	 * would be 400 kB, a cache's structures per round about as much.
	 * Measured (TCG, 2 CPUs, four runs): free memory 128 to 184 kB
	 * lower, SUnreclaim 16 to 32 kB higher.
	 */
	TH_LOG("free memory %ld -> %ld kB, SUnreclaim %ld -> %ld kB", before,
	       after, slab_before, slab_after);
	if (ts_kasan()) {
		/* Its quarantine holds freed memory; kmemleak checks after. */
		TH_LOG("KASAN's quarantine keeps freed memory: no bound on it");
	} else {
		EXPECT_GT(384, before - after);
		EXPECT_GT(256, slab_after - slab_before);
	}
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
}

TS_HARNESS_MAIN
