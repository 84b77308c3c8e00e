// SPDX-License-Identifier: GPL-2.0
/*
 * Running out of memory for real: a cache of 4096-byte objects (one per
 * order-0 slab, so every object costs a page) is filled with
 * "alloc 1024 gfp=nowait,thisnode" until the page allocator says no.
 *
 * Why those flags: GFP_NOWAIT neither reclaims nor calls the OOM killer,
 * so the failure comes at the min watermark and hurts nobody; and with
 * __GFP_THISNODE every grow attempt of the alloc path is __GFP_NOWARN
 * (gfp_exact_node()) and fallback_alloc() gives up at once, so the
 * failure is silent.  (Without it, fallback_alloc() grows with the
 * caller's own flags, as SLAB does, and the page allocator prints its
 * "page allocation failure" with a stack.)
 *
 * The failure must be clean: ENOMEM, no OOM kill, no kernel warning, the
 * cache's figures consistent; and after free-all and shrink every page
 * must come back: the pages file to its start, MemFree close to it.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#include <sys/mman.h>

#define CACHE	"press4096"
#define CHUNK	1024
/* Given back first after ENOMEM, before anything else is done: 64 MiB. */
#define RELIEF	16384

/* Grow the stack now, so that no later call of ours faults a page in. */
static void prefault_stack(void)
{
	char pad[256 << 10];

	memset(pad, 0, sizeof(pad));
	/* A memset of a dead array would be dropped. */
	asm volatile("" : : "r" (pad) : "memory");
}

FIXTURE(pressure) {
	long pages, mem_free, mem_total;
	struct kmsg log;
};

FIXTURE_SETUP(pressure)
{
	self->log.fd = -1;
	ASSERT_EQ(0, ts_pin(0));
	ts_cache_destroy(CACHE);
	/* Settle what earlier tests freed before taking free memory. */
	ASSERT_EQ(0, ts_settle());
	self->pages = ts_pages();
	self->mem_free = ts_free_kb();
	self->mem_total = ts_meminfo_kb("MemTotal");
	ASSERT_LT(0, self->mem_free);
	ASSERT_EQ(0, ts_cache_create(CACHE, "4096"));
	ASSERT_EQ(1, ts_keyed(CACHE, "layout", "num"));
	ASSERT_EQ(0, ts_keyed(CACHE, "layout", "gfporder"));
	ASSERT_EQ(0, kmsg_mark(&self->log));
}

FIXTURE_TEARDOWN(pressure)
{
	ts_pin(0);
	ts_ctl(CACHE, "free-all");
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
	kmsg_close(&self->log);
}

TEST_F_TIMEOUT(pressure, nowait_allocs_until_enomem_fail_cleanly_and_give_all_back,
	       600)
{
	/* Every object is a page: MemTotal's worth is the most there can be. */
	long max_chunks = self->mem_total / 4 / CHUNK + 8, chunk;
	long slabs, grown, mem_free, pages_out;
	char path[256];
	ssize_t ret = 0, relief;
	int fd, saved_errno;

	/*
	 * While memory is out, whoever needs a page calls the OOM killer,
	 * which cannot help (toyslab's pages belong to no process) and ends
	 * in a panic.  So until enough is given back this process must not
	 * need one: every page locked in and written (mlockall() breaks
	 * copy-on-write with the harness), the stack grown, one file open,
	 * and nothing printed (the runner's tee would need a page).
	 */
	ts_cache_path(path, sizeof(path), CACHE, "ctl");
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	prefault_stack();
	ASSERT_EQ(0, mlockall(MCL_CURRENT | MCL_FUTURE));
	errno = 0;
	for (chunk = 0; chunk < max_chunks; chunk++) {
		static const char cmd[] = "alloc 1024 gfp=nowait,thisnode";

		ret = write(fd, cmd, strlen(cmd));
		if (ret < 0)
			break;
	}
	saved_errno = errno;
	/*
	 * Give 64 MiB back at once, on the same file: what gets past the
	 * arrays (24 per CPU, 96 shared) finds its slab free and above
	 * free_limit, and the page goes.
	 */
	relief = write(fd, "free 16384", 10);
	close(fd);
	munlockall();
	ASSERT_GT(0, ret) {
		TH_LOG("%ld chunks of %d pages and no ENOMEM", chunk, CHUNK);
	}
	EXPECT_EQ(ENOMEM, saved_errno);
	ASSERT_EQ(10, relief);

	grown = ts_stat(CACHE, "grown");
	slabs = ts_stat(CACHE, "num_slabs");
	pages_out = ts_pages() - self->pages;
	TH_LOG("ENOMEM after %ld chunks of %d: %ld slabs grown (%ld MiB) of %ld MiB free",
	       chunk, CHUNK, grown, grown / 256, self->mem_free / 1024);
	/* Nothing was reaped or shrunk meanwhile: grown is the peak. */
	EXPECT_LE(chunk * CHUNK, grown);
	/* The memory really ran out: most of what was free went to slabs. */
	EXPECT_LT(self->mem_free / 4 * 3 / 4, grown);
	/* One object per slab and one slab per page, exactly. */
	EXPECT_EQ(slabs, pages_out);
	EXPECT_LT(grown - RELIEF - 1, slabs);
	/* A real out of memory is not an injected failure. */
	EXPECT_EQ(0, ts_stat(CACHE, "errors"));

	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	/* All freed: only the per-CPU and shared arrays hold objects now. */
	EXPECT_GE(24 * ts_online_cpus() + 96, ts_stat(CACHE, "active_objs"));
	ASSERT_EQ(0, ts_ctl(CACHE, "shrink"));
	EXPECT_EQ(0, ts_stat(CACHE, "active_objs"));
	EXPECT_EQ(0, ts_stat(CACHE, "num_slabs"));
	EXPECT_EQ(self->pages, ts_pages());

	/*
	 * And the pages are the page allocator's again.  toyslab keeps
	 * nothing beside a plain cache's pages: its slab is the fields of
	 * the head page, so a leaked slab is a leaked page, 4 kB each; what
	 * the kernel itself keeps back (its caches, regrown meanwhile) is
	 * a few hundred kB.
	 */
	ASSERT_EQ(0, ts_control("destroy " CACHE));
	ASSERT_EQ(0, ts_settle());
	mem_free = ts_free_kb();
	TH_LOG("free memory before %ld kB, after %ld kB", self->mem_free,
	       mem_free);
	if (ts_kasan())
		TH_LOG("KASAN's quarantine keeps freed memory: no bound on it");
	else
		EXPECT_GT(4 * 1024, self->mem_free - mem_free);

	ASSERT_EQ(0, kmsg_read(&self->log));
	/* Silent: no allocation failure splat, no OOM killer, no warning. */
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	EXPECT_EQ(0, kmsg_count(&self->log, "page allocation failure", true));
	EXPECT_EQ(0, kmsg_count(&self->log, "toyslab:", false));
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);

	/* The cache is gone; let the teardown not try again. */
	ASSERT_EQ(0, ts_cache_create(CACHE, "4096"));
}

TS_HARNESS_MAIN
