// SPDX-License-Identifier: GPL-2.0
/*
 * The module's own life: loading creates toyslab's debugfs root, unloading
 * removes it, and a hundred rounds of both leave nothing behind.
 *
 * Each test starts with toyslab unloaded and, if it was loaded before,
 * loads it again at the end for the tests that follow.
 */
#include "../kselftest_harness.h"
#include "util.h"

/* SLUB, the kernel's allocator, lists every kmem_cache here. */
#define SLUB_SYSFS_DIR	"/sys/kernel/slab"

FIXTURE(module) {
	bool was_loaded;
};

FIXTURE_SETUP(module)
{
	if (access(ts_module_path(), R_OK))
		SKIP(return, "no module file at %s", ts_module_path());
	self->was_loaded = ts_loaded();
	if (self->was_loaded)
		ASSERT_EQ(0, ts_unload());
}

FIXTURE_TEARDOWN(module)
{
	if (self->was_loaded && !ts_loaded())
		EXPECT_EQ(0, ts_load(""));
}

TEST_F(module, debugfs_root_appears_on_load_and_disappears_on_unload)
{
	ASSERT_NE(0, access(TOYSLAB_DIR, F_OK));
	ASSERT_EQ(0, ts_load(""));
	EXPECT_EQ(0, access(TOYSLAB_DIR, F_OK));
	ASSERT_EQ(0, ts_unload());
	EXPECT_NE(0, access(TOYSLAB_DIR, F_OK));
}

/* About 10 s on Debian's kernel; minutes on the debug kernel. */
TEST_F_TIMEOUT(module, load_unload_100_times_leaks_nothing, 280)
{
	long free_kb, unreclaimable_kb;
	int debugfs_entries, caches;
	int i;

	/*
	 * A first round, so that what the kernel sets up once for a module
	 * of that name is not counted.
	 */
	ASSERT_EQ(0, ts_load(""));
	ASSERT_EQ(0, ts_unload());
	debugfs_entries = ts_count_entries(DEBUGFS_DIR);
	caches = ts_count_entries(SLUB_SYSFS_DIR);
	ASSERT_EQ(0, ts_settle());
	free_kb = ts_free_kb();
	unreclaimable_kb = ts_meminfo_kb("SUnreclaim");

	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, ts_load(""));
		ASSERT_EQ(0, ts_unload());
	}

	ASSERT_EQ(0, ts_settle());
	/* No debugfs file, and no kmem_cache (each has its sysfs entry)... */
	EXPECT_EQ(debugfs_entries, ts_count_entries(DEBUGFS_DIR));
	EXPECT_EQ(caches, ts_count_entries(SLUB_SYSFS_DIR));
	/*
	 * ...and no memory.  Measured in the VM after ts_settle(), 100
	 * rounds moved SUnreclaim by at most 16 kB and free memory (with
	 * the per-CPU lists: MemFree alone moved by 3.5 MB) by at most
	 * 40 kB.  These bounds, 8 and 25 times that, catch 1.3 kB of slab
	 * objects or 3 pages (the module's own image, a cache's slabs) kept
	 * per round.  Under KASAN, whose quarantine holds freed memory back,
	 * the kmemleak scan after the run stands in for them.
	 */
	if (ts_kasan()) {
		TH_LOG("KASAN's quarantine keeps freed memory: no bound on it");
		return;
	}
	EXPECT_GT(128, ts_meminfo_kb("SUnreclaim") - unreclaimable_kb);
	EXPECT_GT(1024, free_kb - ts_free_kb());
}

TS_HARNESS_MAIN
