// SPDX-License-Identifier: GPL-2.0
/*
 * A cache's life: destroy refuses while objects are live, and creating
 * and destroying caches over and over leaks nothing.
 */
#include "../kselftest_harness.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "cache_util.h"

TEST(destroy_with_live_objects_is_refused_and_frees_nothing)
{
	ts_cache_destroy("live");
	ASSERT_EQ(0, ts_cache_create("live", "128"));
	ASSERT_EQ(0, ts_ctl("live", "alloc 3"));
	EXPECT_EQ(-EBUSY, ts_control("destroy live"));
	/*
	 * Refused before touching anything: the untouched array's refill
	 * of 16 is still out, 3 held and 13 spare.
	 */
	EXPECT_EQ(16, ts_stat("live", "active_objs"));
	EXPECT_EQ(0, ts_ctl("live", "alloc 1"));
	EXPECT_EQ(0, ts_ctl("live", "free-all"));
	EXPECT_EQ(0, ts_control("destroy live"));
	EXPECT_NE(0, access(TOYSLAB_DIR "/caches/live", F_OK));
}

TEST(control_create_and_destroy_report_their_errors)
{
	ts_cache_destroy("dup");
	ASSERT_EQ(0, ts_cache_create("dup", "64"));
	EXPECT_EQ(-EEXIST, ts_control("create dup 32"));
	EXPECT_EQ(0, ts_control("destroy dup"));
	EXPECT_EQ(-ENOENT, ts_control("destroy dup"));
	EXPECT_EQ(-ENOENT, ts_ctl("dup", "alloc 1"));
}

FIXTURE(cycles) {
};

FIXTURE_SETUP(cycles)
{
}

FIXTURE_TEARDOWN(cycles)
{
}

/* Whether slabinfo has a line for @name. */
static bool listed(const char *name)
{
	char buf[65536], *line;
	size_t len = strlen(name);

	if (ts_read(TOYSLAB_DIR "/slabinfo", buf, sizeof(buf)) < 0)
		return false;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, name, len) && line[len] == ' ')
			return true;
	return false;
}

#define RACE_SECONDS	10

/*
 * One task creates a cache while another, on the other CPU, destroys it,
 * over and over.  Whenever the creator's cache is listed, its directory
 * must exist.  Unserialised, a create between a destroy's unlinking and
 * its directory's removal finds the old directory in the way and leaves
 * its cache without one, and a destroy between a create's listing and
 * its directory's creation frees the cache under the create.
 */
TEST_F_TIMEOUT(cycles, create_racing_destroy_keeps_every_listed_cache_in_debugfs,
	       120)
{
	long creates = 0, orphans = 0;
	time_t end;
	int status;
	pid_t pid;

	if (ts_online_cpus() < 2)
		SKIP(return, "needs two CPUs");
	ts_cache_destroy("race");

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (ts_pin(1))
			_exit(1);
		for (;;)
			ts_control("destroy race");
	}

	ASSERT_EQ(0, ts_pin(0));
	for (end = time(NULL) + RACE_SECONDS; time(NULL) < end;) {
		if (ts_control("create race 64"))
			continue;
		creates++;
		/* The directory first: only this task creates the cache. */
		if (access(TOYSLAB_DIR "/caches/race", F_OK) && listed("race"))
			orphans++;
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	TH_LOG("%ld creates, %ld left without a directory", creates, orphans);
	EXPECT_LT(0, creates);
	EXPECT_EQ(0, orphans);

	ts_control("destroy race");
	EXPECT_FALSE(listed("race"));
	EXPECT_NE(0, access(TOYSLAB_DIR "/caches/race", F_OK));
	EXPECT_EQ(0, ts_pages());
}

/* A few seconds on Debian's kernel; minutes on the debug kernel. */
TEST_F_TIMEOUT(cycles, create_destroy_1000_cycles_leak_nothing, 280)
{
	long before, after;
	int i;

	ASSERT_EQ(0, ts_pages());
	before = ts_meminfo_kb("MemFree");
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, ts_cache_create("cycle", i % 2 ? "64" : "5000"));
		ASSERT_EQ(0, ts_ctl("cycle", "alloc 10"));
		ASSERT_EQ(0, ts_ctl("cycle", "free-all"));
		ASSERT_EQ(0, ts_control("destroy cycle"));
	}
	after = ts_meminfo_kb("MemFree");
	/* Every slab page came back... */
	EXPECT_EQ(0, ts_pages());
	/*
	 * ...and so did the arrays and nodes: a leak of even
	 * one 64-byte object per cycle would cost 64 kB.  The page
	 * allocator's per-CPU lists and the kernel's own caches move
	 * MemFree by a few hundred kB, so allow 1 MB.
	 */
	if (ts_kasan())
		TH_LOG("KASAN's quarantine keeps freed memory: no bound on it");
	else
		EXPECT_GT(1024, before - after);
}

TS_HARNESS_MAIN
