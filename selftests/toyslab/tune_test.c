// SPDX-License-Identifier: GPL-2.0
/*
 * Tunables: enable_cpucache()'s defaults, and retuning through slabinfo
 * with do_tune_cpucache(), also while every CPU allocates and frees.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#define CACHE	"tune64"

TS_CACHE64_FIXTURE

/*
 * enable_cpucache()'s defaults by object size: the limit, a batchcount of
 * (limit + 1) / 2, and a shared array of 8 batches for objects up to a
 * page, none for larger ones (on a machine of more than one CPU).
 */
TEST(default_tunables_follow_the_object_size)
{
	static const struct {
		const char *size;
		long limit, shared;
	} t[] = {
		{ "256", 120, 8 },	/* size <= 256 */
		{ "257", 54, 8 },	/* 256 < size <= 1024 */
		{ "1025", 24, 8 },	/* 1024 < size <= PAGE_SIZE */
		{ "4097", 8, 0 },	/* PAGE_SIZE < size <= 128 KiB */
		{ "131073", 1, 0 },	/* above 128 KiB */
	};
	struct node_row n;
	struct cpu_row c;
	int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ts_cache_destroy("deftune");
		ASSERT_EQ(0, ts_cache_create("deftune", t[i].size));
		ASSERT_EQ(0, ts_cpu("deftune", 0, &c));
		EXPECT_EQ(t[i].limit, c.limit);
		EXPECT_EQ((t[i].limit + 1) / 2, c.batchcount);
		ASSERT_EQ(0, ts_node("deftune", 0, &n));
		EXPECT_EQ(t[i].shared * c.batchcount, n.shared_limit);
		ASSERT_EQ(0, ts_cache_destroy("deftune"));
	}
}

TEST_F(cache64, retune_gives_arrays_back_and_resizes_everything)
{
	struct node_row n;
	struct cpu_row c;

	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 32 16 4"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(32, c.limit);
	EXPECT_EQ(16, c.batchcount);
	/* The old array's 15 objects went back to their slab. */
	EXPECT_EQ(0, c.avail);
	/* Counters survive a retune. */
	EXPECT_EQ(1, c.allocmiss);
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(63, n.free_objects);
	EXPECT_EQ(4 * 16, n.shared_limit);
	EXPECT_EQ((1 + self->ncpus) * 16 + 64, n.free_limit);
}

/*
 * A retune sets the new free_limit only after it emptied the old arrays,
 * and with no shared array to empty nothing frees blocks under the new
 * one: free objects can stay above it.  The next retune trims them,
 * still under that limit, as it puts every online CPU's old array back
 * with free_block(), even an empty one (SLAB's do_tune_cpucache()).
 */
TEST_F(cache64, retune_trims_free_slabs_over_the_limit_of_the_last_one)
{
	struct node_row n;
	struct cpu_row c;

	/* 640 frees all hit an array of 1000: ten slabs' worth. */
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 1000 500 0"));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 640"));
	ASSERT_EQ(0, ts_ctl(CACHE, "free-all"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	ASSERT_EQ(640, c.avail);

	/* Emptied under (1 + CPUs) * 500 + 64: all ten slabs stay. */
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 1 1 0"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(10, n.free);
	EXPECT_EQ(640, n.free_objects);
	EXPECT_EQ(1 + self->ncpus + 64, n.free_limit);

	/*
	 * Only empty arrays now: free slabs go while more free objects stay
	 * than the limit, 66 to 73 for 1 to 8 CPUs.  One slab is left.
	 */
	ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", CACHE " 1 1 0"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(1, n.free);
	EXPECT_EQ(64, n.free_objects);
	EXPECT_EQ(1, ts_stat(CACHE, "num_slabs"));
}

TEST_F(cache64, invalid_tunables_are_refused_and_change_nothing)
{
	static const char * const bad[] = {
		CACHE " 0 1 1",		/* limit < 1 */
		CACHE " 10 0 1",	/* batchcount < 1 */
		CACHE " 10 11 1",	/* batchcount > limit */
		CACHE " 10 5 -1",	/* shared < 0 */
		CACHE " 2049 5 1",	/* more than a percpu unit holds */
		CACHE " 10 5 65",	/* shared array over 64 batches */
		CACHE " 10 5",		/* missing field */
		CACHE " 10 5 1 1",	/* extra field */
		CACHE " ten 5 1",
		CACHE " 0x10 5 1",
	};
	struct cpu_row c;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *cmd = bad[i];

		EXPECT_EQ(-EINVAL, ts_write(TOYSLAB_DIR "/slabinfo", cmd)) {
			TH_LOG("'%s' was accepted", cmd);
		}
	}
	EXPECT_EQ(-ENOENT, ts_write(TOYSLAB_DIR "/slabinfo", "nosuch 10 5 1"));
	ASSERT_EQ(0, ts_cpu(CACHE, 0, &c));
	EXPECT_EQ(120, c.limit);
	EXPECT_EQ(60, c.batchcount);
}

static void stop_workers(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
}

/*
 * One child per CPU (at most 64), each running @work pinned there until
 * killed; returns how many, or -1 (and none left) if a fork failed.
 */
static int start_workers(pid_t *pids, int ncpus, void (*work)(int cpu))
{
	int cpu;

	for (cpu = 0; cpu < ncpus && cpu < 64; cpu++) {
		pids[cpu] = fork();
		if (pids[cpu] < 0) {
			stop_workers(pids, cpu);
			return -1;
		}
		if (!pids[cpu]) {
			/* Never outlive the test, even one killed by timeout. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			work(cpu);
		}
	}
	return cpu;
}

/* Alloc and free on @cpu until killed. */
static void churn(int cpu)
{
	ts_pin(cpu);
	for (;;) {
		ts_ctl(CACHE, "alloc 37");
		ts_ctl(CACHE, "free 20");
		ts_ctl(CACHE, "free-all");
	}
}

/* Free what ctl holds, shrink: every object must come back, every slab go. */
static void expect_everything_back(struct __test_metadata *_metadata,
				   const char *cache)
{
	ASSERT_EQ(0, ts_ctl(cache, "free-all"));
	ASSERT_EQ(0, ts_ctl(cache, "shrink"));
	EXPECT_EQ(0, ts_stat(cache, "active_objs"));
	EXPECT_EQ(0, ts_stat(cache, "num_slabs"));
	EXPECT_EQ(0, ts_stat(cache, "errors"));
}

/* Seconds since @start. */
static long elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec;
}

/* 100 retunes, or as many as 60 s allow (each waits for RCU). */
TEST_F_TIMEOUT(cache64, retune_under_load_loses_no_object, 150)
{
	static const char * const tunes[] = {
		" 8 4 0", " 120 60 8", " 1 1 0", " 64 7 3", " 200 100 2",
	};
	struct timespec start;
	pid_t pids[64];
	int i, workers;

	clock_gettime(CLOCK_MONOTONIC, &start);
	workers = start_workers(pids, self->ncpus, churn);
	ASSERT_LT(0, workers);
	for (i = 0; i < 100 && elapsed(&start) < 60; i++)
		ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", "%s%s", CACHE,
				       tunes[i % 5]));
	stop_workers(pids, workers);
	TH_LOG("%d retunes", i);

	expect_everything_back(_metadata, CACHE);
	EXPECT_EQ(0, ts_pages());
}

#define GROWN	"grown1000"

TS_CACHE_FIXTURE(grown, GROWN, "1000 flags=poison")

/* Alloc a refill's worth, give it all back and shrink, until killed. */
static void grow_and_shrink(int cpu)
{
	ts_pin(cpu);
	for (;;) {
		ts_ctl(GROWN, "alloc 60");
		ts_ctl(GROWN, "free-all");
		ts_ctl(GROWN, "shrink");
	}
}

/*
 * A retune publishes its new arrays before it waits for the other CPUs,
 * so a refill that grows a slab meanwhile finds a new array after the
 * grow, even with interrupts off throughout.  From 120/60 to 1/1, the
 * old batch of 60 would overflow the new one-entry array (SLAB of 6.1
 * would).  Every refill here grows (the cache is shrunk each round), and
 * poisoning makes each grow long (every new object is filled); after
 * every retune no array may hold more than its limit.  A thousand
 * retunes, or as many as 90 s allow (the debug kernel is slow): on
 * Debian's kernel the race shows within a few hundred.
 */
TEST_F_TIMEOUT(grown, retune_while_refills_grow_never_overfills_an_array, 150)
{
	struct timespec start;
	pid_t pids[64];
	int i, cpu, workers;

	clock_gettime(CLOCK_MONOTONIC, &start);
	workers = start_workers(pids, self->ncpus, grow_and_shrink);
	ASSERT_LT(0, workers);
	for (i = 0; i < 1000 && elapsed(&start) < 90; i++) {
		ASSERT_EQ(0, ts_writef(TOYSLAB_DIR "/slabinfo", "%s%s", GROWN,
				       i % 2 ? " 1 1 0" : " 120 60 0"));
		for (cpu = 0; cpu < self->ncpus; cpu++) {
			struct cpu_row c;

			ASSERT_EQ(0, ts_cpu(GROWN, cpu, &c));
			EXPECT_LE(c.avail, c.limit) {
				TH_LOG("retune %d: CPU %d holds %ld of %ld",
				       i, cpu, c.avail, c.limit);
			}
		}
	}
	stop_workers(pids, workers);
	TH_LOG("%d retunes", i);

	expect_everything_back(_metadata, GROWN);
	EXPECT_EQ(0, ts_pages());
}

TS_HARNESS_MAIN
