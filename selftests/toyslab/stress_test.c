// SPDX-License-Identifier: GPL-2.0
/*
 * Every path at once, on every CPU, for a while: one forked worker per
 * CPU drives five poisoned, red-zoned caches (32, 64, 256, 1000 and 4096
 * bytes, with the last user stored) through 'ctl' and 'slabinfo' at
 * random, while the reaper runs every 100 ms:
 *
 *   alloc (GFP_KERNEL; sometimes atomic or nowait, which may fail),
 *   free (the newest held objects, whoever allocated them, wherever:
 *   the held stack is per cache, so most frees are of objects another
 *   CPU allocated), free-all, shrink, drain, reap, retune (valid
 *   tunables only), reading the cache's files, and moving to another CPU.
 *
 * The debug checks see every object on every alloc and free, so any
 * race that corrupts one is reported.  At the end every cache must have
 * 0 errors, the log no toyslab report and no kernel trouble, and after
 * free-all and shrink every cache must be empty, every page given back.
 *
 * Meanwhile a viewer reads every cache's object views (arrays, slabs,
 * map) in a loop; no snapshot may show an object in two arrays at once.
 * The second test also takes CPUs 1..N-1 offline and online again, over
 * and over, meanwhile.  A worker whose CPU is offline runs on CPU 0.
 *
 * TOYSLAB_STRESS_SECONDS sets each test's length (default 60, at most
 * 600): with the teardown, a test takes about that plus 30 s.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"
#include "workers.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define DEFAULT_SECONDS	60
#define MAX_SECONDS	600
#define seconds()	\
	ts_seconds("TOYSLAB_STRESS_SECONDS", DEFAULT_SECONDS, MAX_SECONDS)
#define MAX_WORKERS	64
#define CPU_ONLINE	"/sys/devices/system/cpu/cpu%d/online"
/* The workers' reports, then the hotplugger's, then the viewer's. */
#define HOTPLUGGER	MAX_WORKERS
#define VIEWER		(MAX_WORKERS + 1)
#define NR_REPORTS	(MAX_WORKERS + 2)
#define VIEW_BUF	(1024 * 1024)

static const char * const caches[] = {
	"stress32", "stress64", "stress256", "stress1000", "stress4096",
};

static const char * const sizes[] = { "32", "64", "256", "1000", "4096" };
#define NR_CACHES	ARRAY_SIZE(caches)

/* What one worker (or the hotplug child) did, in shared memory. */
struct report {
	long ops, allocs, frees, nomem, einval, retunes, moves, hotplugs;
	long views, busy;	/* object views read, and refused (EBUSY) */
	struct ts_wrong wrong;
};

/* One random operation on one random cache. */
static void one_op(uint64_t *s, int ncpus, int home, struct report *r)
{
	const char *c = caches[ts_below(s, NR_CACHES)];
	unsigned int op = ts_below(s, 100), n = 1 + ts_below(s, 32);
	char what[96], path[256], buf[8192];
	int ret;

	r->ops++;
	if (op < 30) {
		snprintf(what, sizeof(what), "%s: alloc %u", c, n);
		ret = ts_ctl(c, "alloc %u", n);
		r->allocs++;
		if (ret)
			ts_wrong(&r->wrong, what, ret);
	} else if (op < 35) {
		/*
		 * Without reclaim these may fail for real: ENOMEM is fine,
		 * and so is silence from the page allocator.
		 */
		const char *gfp = ts_below(s, 2) ? "atomic,nowarn" : "nowait,nowarn";

		snprintf(what, sizeof(what), "%s: alloc %u gfp=%s", c, n, gfp);
		ret = ts_ctl(c, "alloc %u gfp=%s", n, gfp);
		r->allocs++;
		if (ret == -ENOMEM)
			r->nomem++;
		else if (ret)
			ts_wrong(&r->wrong, what, ret);
	} else if (op < 65) {
		/* EINVAL: fewer than n held just now. */
		snprintf(what, sizeof(what), "%s: free %u", c, n);
		ret = ts_ctl(c, "free %u", n);
		r->frees++;
		if (ret == -EINVAL)
			r->einval++;
		else if (ret)
			ts_wrong(&r->wrong, what, ret);
	} else if (op < 85) {
		static const char * const verbs[] = {
			"free-all", "shrink", "drain", "reap",
		};
		const char *verb = verbs[(op - 65) / 5];

		snprintf(what, sizeof(what), "%s: %s", c, verb);
		ret = ts_ctl(c, "%s", verb);
		if (ret)
			ts_wrong(&r->wrong, what, ret);
	} else if (op < 90) {
		/* Any valid tunables: limit 1..256, batch 1..limit, shared 0..8 */
		unsigned int limit = 1 + ts_below(s, 256);
		unsigned int batch = 1 + ts_below(s, limit);
		unsigned int shared = ts_below(s, 9);

		snprintf(what, sizeof(what), "slabinfo %s %u %u %u", c, limit,
			 batch, shared);
		ret = ts_writef(TOYSLAB_DIR "/slabinfo", "%s %u %u %u", c,
				limit, batch, shared);
		r->retunes++;
		if (ret)
			ts_wrong(&r->wrong, what, ret);
	} else if (op < 96) {
		static const char * const files[] = {
			"stats", "cpus", "nodes", "held", "layout",
		};
		long len;

		if (op == 95)
			snprintf(path, sizeof(path), TOYSLAB_DIR "/slabinfo");
		else
			ts_cache_path(path, sizeof(path), c,
				      files[ts_below(s, ARRAY_SIZE(files))]);
		len = ts_read(path, buf, sizeof(buf));
		if (len <= 0)
			ts_wrong(&r->wrong, path, len);
	} else {
		/* Allocate here, free elsewhere, or come home. */
		ts_move_to(ts_below(s, 2) ? (int)ts_below(s, ncpus) : home);
		r->moves++;
	}
}

static void worker(int home, int ncpus, double end, bool hotplug,
		   struct report *r)
{
	uint64_t s = 0x5eed0000ULL + home;

	ts_move_to(home);
	while (ts_now() < end) {
		/* CPU hotplug may have moved us off home: go back if it is up. */
		if (hotplug && !ts_below(&s, 16))
			ts_move_to(home);
		one_op(&s, ncpus, home, r);
	}
}

/* Take CPUs 1..ncpus-1 offline and online, each in turn, until @end. */
static void hotplugger(int ncpus, double end, struct report *r)
{
	char path[64];
	int cpu, ret;

	while (ts_now() < end) {
		for (cpu = 1; cpu < ncpus && ts_now() < end; cpu++) {
			snprintf(path, sizeof(path), CPU_ONLINE, cpu);
			ret = ts_write(path, "0");
			if (ret)
				ts_wrong(&r->wrong, "offline", ret);
			usleep(20000);
			ret = ts_write(path, "1");
			if (ret)
				ts_wrong(&r->wrong, "online", ret);
			r->hotplugs++;
			usleep(20000);
		}
	}
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * The SLAB:INDEX entries of an 'arrays' text, as SLAB * 256 + INDEX, into
 * @keys; how many, or -1 if a line does not parse.
 */
static long array_entries(char *text, long *keys, long max)
{
	char *line, *p, *save;
	long nr = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		p = strchr(line, ':');
		if (!p)
			return -1;
		for (p++; *p == ' ' && nr < max; ) {
			char *end;
			long slab = strtol(p + 1, &end, 10), index;

			if (*end != ':')
				return -1;
			index = strtol(end + 1, &p, 10);
			keys[nr++] = slab * 256 + index;
			if (*p == 'p')
				p++;
		}
	}
	return nr;
}

/*
 * One snapshot never has an object in two arrays at once: that would
 * be a torn snapshot (or a double free the checks missed).
 */
static void check_arrays(const char *cache, char *text, struct report *r)
{
	static long keys[VIEW_BUF / 4];
	long nr = array_entries(text, keys, ARRAY_SIZE(keys)), i;
	char what[96];

	snprintf(what, sizeof(what), "%s: arrays", cache);
	if (nr < 0) {
		ts_wrong(&r->wrong, what, -EINVAL);
		return;
	}
	qsort(keys, nr, sizeof(keys[0]), cmp_long);
	for (i = 1; i < nr; i++) {
		if (keys[i] == keys[i - 1]) {
			snprintf(what, sizeof(what), "%s: arrays: %ld:%ld twice",
				 cache, keys[i] / 256, keys[i] % 256);
			ts_wrong(&r->wrong, what, -EEXIST);
			return;
		}
	}
}

/*
 * Read every cache's object views in a loop until @end; each read stops
 * every CPU.  A read may be refused with EBUSY when retunes keep
 * toyslab_mutex busy; anything else is wrong.
 */
static void viewer(double end, struct report *r)
{
	static const char * const files[] = { "arrays", "slabs", "map" };
	static char text[VIEW_BUF];
	char path[256];
	unsigned int c, f;
	long len;

	while (ts_now() < end) {
		for (c = 0; c < NR_CACHES; c++) {
			for (f = 0; f < ARRAY_SIZE(files); f++) {
				ts_cache_path(path, sizeof(path), caches[c],
					      files[f]);
				len = ts_read(path, text, sizeof(text));
				if (len == -EBUSY) {
					r->busy++;
					continue;
				}
				if (len < 0 || (f != 1 && !len)) {
					ts_wrong(&r->wrong, path, len);
					continue;
				}
				r->views++;
				if (f == 0)
					check_arrays(caches[c], text, r);
			}
		}
	}
}

/* Stress on one CPU is no stress: skip the whole program. */
static void __attribute__((constructor)) skip_unless_smp(void)
{
	if (ts_online_cpus() < 2)
		ksft_exit_skip("needs two CPUs or more\n");
}

/* A test's state, shared by its setup, body and teardown. */
struct stress {
	int ncpus, nworkers;
	long pages;
	char reap_interval[32];
	struct kmsg log;
	struct report *reports;	/* workers, hotplugger, viewer */
};

FIXTURE(stress) {
	struct stress st;
};

FIXTURE_SETUP(stress)
{
	struct stress *st = &self->st;
	unsigned int i;

	st->log.fd = -1;
	st->ncpus = ts_online_cpus();
	st->nworkers = st->ncpus < MAX_WORKERS ? st->ncpus : MAX_WORKERS;
	st->reports = mmap(NULL, NR_REPORTS * sizeof(struct report),
			   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);
	ASSERT_NE(MAP_FAILED, st->reports);
	ASSERT_LT(0, ts_read(TOYSLAB_DIR "/reap_interval_ms",
			     st->reap_interval, sizeof(st->reap_interval)));
	ASSERT_EQ(0, ts_pin(0));
	st->pages = ts_pages();
	for (i = 0; i < NR_CACHES; i++) {
		char args[64];

		snprintf(args, sizeof(args),
			 "%s flags=poison,red_zone,store_user", sizes[i]);
		ts_cache_destroy(caches[i]);
		ASSERT_EQ(0, ts_cache_create(caches[i], args));
	}
	/* The reaper too, often, against everything else. */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "100"));
	ASSERT_EQ(0, kmsg_mark(&st->log));
}

FIXTURE_TEARDOWN(stress)
{
	struct stress *st = &self->st;
	char path[64];
	unsigned int i;
	int cpu;

	for (cpu = 1; cpu < st->ncpus; cpu++) {
		snprintf(path, sizeof(path), CPU_ONLINE, cpu);
		if (!access(path, W_OK))
			ts_write(path, "1");
	}
	ts_write(TOYSLAB_DIR "/reap_interval_ms", st->reap_interval);
	ts_pin(0);
	for (i = 0; i < NR_CACHES; i++) {
		EXPECT_EQ(0, ts_cache_destroy(caches[i])) {
			TH_LOG("%s", caches[i]);
		}
	}
	EXPECT_EQ(st->pages, ts_pages());
	kmsg_close(&st->log);
	munmap(st->reports, NR_REPORTS * sizeof(struct report));
}

/* Run the workers (and the hotplugger) to the end, then check it all. */
static void run(struct __test_metadata *_metadata, struct stress *st,
		bool hotplug)
{
	double end = ts_now() + seconds();
	struct report total = { 0 };
	long out = 0, back = 0, held = 0;
	int i, status, children = 0;
	unsigned int c;
	pid_t pid;

	for (i = 0; i < st->nworkers + 1 + hotplug; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			if (i < st->nworkers)
				worker(i, st->ncpus, end, hotplug,
				       &st->reports[i]);
			else if (i == st->nworkers)
				viewer(end, &st->reports[VIEWER]);
			else
				hotplugger(st->ncpus, end,
					   &st->reports[HOTPLUGGER]);
			_exit(0);
		}
		children++;
	}
	while (children--) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}

	for (i = 0; i < st->nworkers; i++) {
		struct report *r = &st->reports[i];

		total.ops += r->ops;
		total.allocs += r->allocs;
		total.frees += r->frees;
		total.nomem += r->nomem;
		total.retunes += r->retunes;
		total.moves += r->moves;
		EXPECT_EQ(0, r->wrong.count) {
			TH_LOG("worker %d: %ld wrong, the first: %s", i,
			       r->wrong.count, r->wrong.first);
		}
		/* Every worker got to run. */
		EXPECT_LT(0, r->ops);
	}
	TH_LOG("%d workers, %ld ops: %ld allocs (%ld ENOMEM), %ld frees, %ld retunes, %ld moves",
	       st->nworkers, total.ops, total.allocs, total.nomem,
	       total.frees, total.retunes, total.moves);
	{
		struct report *r = &st->reports[VIEWER];

		TH_LOG("%ld object views read, %ld refused as busy", r->views,
		       r->busy);
		EXPECT_LT(0, r->views);
		EXPECT_EQ(0, r->wrong.count) {
			TH_LOG("viewer: %s", r->wrong.first);
		}
	}
	if (hotplug) {
		struct report *r = &st->reports[HOTPLUGGER];

		TH_LOG("%ld offline/online rounds", r->hotplugs);
		EXPECT_LT(0, r->hotplugs);
		EXPECT_EQ(0, r->wrong.count) {
			TH_LOG("hotplug: %s", r->wrong.first);
		}
	}

	/*
	 * Every allocation the caches counted (a hit or a miss) is held, was
	 * freed (a free hit or miss, or a free to another node's alien
	 * array, node_frees), or failed: a failed 'alloc N' stops at
	 * its first failure, so there were as many as ENOMEMs.  (No report
	 * means no debug check retried an allocation.)
	 */
	for (c = 0; c < NR_CACHES; c++) {
		out += ts_stat(caches[c], "allochit") +
		       ts_stat(caches[c], "allocmiss");
		back += ts_stat(caches[c], "freehit") +
			ts_stat(caches[c], "freemiss") +
			ts_stat(caches[c], "node_frees");
		held += ts_held(caches[c]);
	}
	TH_LOG("%ld allocations, %ld frees, %ld held", out, back, held);
	EXPECT_EQ(out - back, held + total.nomem);

	/* Quiet now: no reaper, everything freed and shrunk. */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "0"));
	ASSERT_EQ(0, ts_pin(0));
	for (c = 0; c < NR_CACHES; c++) {
		const char *name = caches[c];

		EXPECT_EQ(0, ts_ctl(name, "free-all"));
		EXPECT_EQ(0, ts_ctl(name, "shrink"));
		EXPECT_EQ(0, ts_stat(name, "errors")) {
			TH_LOG("%s", name);
		}
		EXPECT_EQ(0, ts_stat(name, "active_objs")) {
			TH_LOG("%s", name);
		}
		EXPECT_EQ(0, ts_stat(name, "num_slabs")) {
			TH_LOG("%s", name);
		}
	}
	EXPECT_EQ(st->pages, ts_pages());

	ASSERT_EQ(0, kmsg_read(&st->log));
	/* Not one report: every object stayed intact. */
	EXPECT_EQ(0, kmsg_count(&st->log, "toyslab:", false));
	EXPECT_EQ(0, kmsg_trouble(&st->log));
	if (!ts_passed(_metadata))
		kmsg_dump(&st->log, stderr);
}

TEST_F_TIMEOUT(stress, random_ops_on_every_cpu_leave_no_trace, MAX_SECONDS + 120)
{
	TH_LOG("%u s on %d CPUs", seconds(), self->st.ncpus);
	run(_metadata, &self->st, false);
}

TEST_F_TIMEOUT(stress, random_ops_during_cpu_hotplug_leave_no_trace,
	       MAX_SECONDS + 120)
{
	char path[64];

	snprintf(path, sizeof(path), CPU_ONLINE, 1);
	if (access(path, W_OK))
		SKIP(return, "CPU 1 cannot be taken offline here");
	TH_LOG("%u s on %d CPUs, CPUs 1-%d going off and on", seconds(),
	       self->st.ncpus, self->st.ncpus - 1);
	run(_metadata, &self->st, true);
}

TS_HARNESS_MAIN
