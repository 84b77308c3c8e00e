// SPDX-License-Identifier: GPL-2.0
/*
 * Everything at once, and above all what switches toyslab's hooks and
 * trace events on and off while every CPU allocates: the mix that once
 * hung a CPU for good.  Flipping the hooks used to rewrite the fast paths'
 * code under the CPUs running them, and under QEMU's multi-threaded TCG
 * a CPU could keep the rewrite's int3 in its translation and trap on it
 * forever (slab.c, toyslab_hooks_users; trace.c).
 *
 * Forked children, until the end:
 *
 *   a worker per CPU  allocs (some gfp=zero node=0), frees, their bulk
 *                     forms, free-all, shrink, drain and reap on three
 *                     plain caches (64, 1000 and 4096 bytes), and moves
 *                     to other CPUs;
 *   a tuner           retunes two of them with random valid tunables,
 *                     and sets reap_interval_ms to random values below 50;
 *   a hotplugger      takes the last CPU offline and online, once a second;
 *   three switchers   turn on and off fault injection (probability 10,
 *                     times -1) 25 times a second, memalloc_socks and
 *                     every toyslab trace event 5 times a second;
 *   a cycler          creates a poison, red_zone, store_user cache, uses
 *                     it and destroys it, and a plain cache by name too;
 *   a reader          reads every readable file under toyslab/.
 *
 * The guest must get to the end: a lockup panics it (make check boots it
 * with softlockup_panic=1), and the watchdog of scripts/vm.sh kills one
 * that stops.  Then every child must have done its work and seen no
 * result its operations may not give; every allocation the plain caches
 * counted must be held or freed; and, once all is freed and destroyed,
 * every page must be back and the log hold no report and no trouble.
 *
 * The kernel rewrites its own code too, and under the same QEMU the same
 * can happen to it, which no change to toyslab can prevent: above all,
 * ftrace hooks the scheduler's sched_switch and sched_wakeup events when
 * the first event is enabled, to record task names, and unhooks them
 * when the last is disabled; their call sites run on every wakeup (seen:
 * an "Oops: int3" in ttwu_do_activate(), at trace_sched_wakeup()'s site,
 * which held its 2-byte nop again).  So the test turns that recording
 * off (options/record-cmd and record-tgid) while it switches events.
 *
 * TOYSLAB_CHAOS_SECONDS sets the length (default 45, at most 600);
 * make check-debug runs it longer, on four CPUs.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"
#include "workers.h"

#include <sys/mman.h>
#include <sys/wait.h>

#define DEFAULT_SECONDS	45
#define MAX_SECONDS	600
#define seconds()	\
	ts_seconds("TOYSLAB_CHAOS_SECONDS", DEFAULT_SECONDS, MAX_SECONDS)
#define MAX_CPUS	64
#define CPU_ONLINE	"/sys/devices/system/cpu/cpu%d/online"
#define TRACING		"/sys/kernel/tracing"
#define EVENTS		TRACING "/events/toyslab/enable"
#define NODE1		"/sys/devices/system/node/node1"
#define DEBUG_CACHE	"chaosdbg"
#define NAMED_CACHE	"chaosnamed"

static const char * const caches[] = { "chaos64", "chaos1000", "chaos4096" };
static const char * const sizes[] = { "64", "1000", "4096" };
#define NR_CACHES	ARRAY_SIZE(caches)
/* The tuner retunes the first two, and leaves chaos4096 as it was made. */
#define NR_TUNED	2

enum role {
	TUNER, HOTPLUGGER, INJECTOR, MEMALLOC, TRACER, CYCLER, READER, NR_ROLES
};

static const char * const role_names[] = {
	"tuner", "hotplugger", "injector", "memalloc", "tracer", "cycler",
	"reader",
};

/* What one child did, in shared memory: workers first, then the roles. */
struct report {
	long ops;		/* operations done */
	long nomem;		/* of which: an 'alloc' that ended in ENOMEM */
	struct ts_wrong wrong;
};

/* ftrace's options that hook the scheduler's events, and their values. */
static const char * const record_options[] = {
	TRACING "/options/record-cmd", TRACING "/options/record-tgid",
};

#define NR_RECORD	ARRAY_SIZE(record_options)

struct chaos {
	int ncpus, last_cpu;
	long pages;
	char reap_interval[32];
	char record[NR_RECORD][8];
	struct kmsg log;
	struct report *reports;	/* MAX_CPUS workers, then NR_ROLES */
};

static struct report *role_report(struct chaos *ch, enum role job)
{
	return &ch->reports[MAX_CPUS + job];
}

static void check(struct report *r, const char *what, int ret, bool ok)
{
	r->ops++;
	if (!ok)
		ts_wrong(&r->wrong, what, ret);
}

/*
 * An allocation of a worker, one in three a bulk one.  Fault injection
 * may fail it: ENOMEM, with the objects before the failed one held, or
 * for a bulk, none.
 */
static void worker_alloc(uint64_t *s, const char *c, struct report *r)
{
	const char *verb = ts_below(s, 3) ? "alloc" : "alloc-bulk";
	bool plain = ts_below(s, 4);
	const char *opts = plain ? "" : !strcmp(verb, "alloc") ?
			   " gfp=zero node=0" : " gfp=zero";
	unsigned int n = 1 + ts_below(s, 40);
	char what[96];
	int ret;

	snprintf(what, sizeof(what), "%s: %s %u%s", c, verb, n, opts);
	ret = ts_ctl(c, "%s %u%s", verb, n, opts);
	r->nomem += ret == -ENOMEM;
	check(r, what, ret, !ret || ret == -ENOMEM);
}

/* Anything else a worker does with a cache: only 'free N' may fail. */
static void worker_other(uint64_t *s, const char *c, struct report *r)
{
	static const char * const verbs[] = { "free-all", "shrink", "drain",
					      "reap" };
	unsigned int n = 1 + ts_below(s, 40);
	char what[96];
	int ret;

	if (ts_below(s, 5)) {
		const char *verb = ts_below(s, 3) ? "free" : "free-bulk";

		/* EINVAL: fewer than n held just now. */
		snprintf(what, sizeof(what), "%s: %s %u", c, verb, n);
		ret = ts_ctl(c, "%s %u", verb, n);
		check(r, what, ret, !ret || ret == -EINVAL);
	} else {
		const char *verb = verbs[ts_below(s, ARRAY_SIZE(verbs))];

		snprintf(what, sizeof(what), "%s: %s", c, verb);
		ret = ts_ctl(c, "%s", verb);
		check(r, what, ret, !ret);
	}
}

/* Half the time an allocation, and now and then a move to another CPU. */
static void worker_op(uint64_t *s, int ncpus, struct report *r)
{
	const char *c = caches[ts_below(s, NR_CACHES)];
	unsigned int op = ts_below(s, 100);

	if (op < 45) {
		worker_alloc(s, c, r);
	} else if (op < 95) {
		worker_other(s, c, r);
	} else {
		ts_move_to(ts_below(s, ncpus));
		r->ops++;
	}
}

static void worker(int cpu, int ncpus, double end, struct report *r)
{
	uint64_t s = 0xc4a05000ULL + cpu;

	ts_move_to(cpu);
	while (ts_now() < end) {
		/* The hotplugger may have moved us off our CPU: go back. */
		if (!ts_below(&s, 16))
			ts_move_to(cpu);
		worker_op(&s, ncpus, r);
	}
}

static void tuner(double end, struct report *r)
{
	uint64_t s = 0x7a4e7000ULL;
	char what[96];
	int ret;

	while (ts_now() < end) {
		const char *c = caches[ts_below(&s, NR_TUNED)];
		/* Valid tunables: limit 1..256, batch 1..limit, shared 0..8 */
		unsigned int limit = 1 + ts_below(&s, 256);
		unsigned int batch = 1 + ts_below(&s, limit);
		unsigned int shared = ts_below(&s, 9);
		unsigned int ms = ts_below(&s, 50);

		snprintf(what, sizeof(what), "slabinfo %s %u %u %u", c, limit,
			 batch, shared);
		ret = ts_writef(TOYSLAB_DIR "/slabinfo", "%s %u %u %u", c,
				limit, batch, shared);
		check(r, what, ret, !ret);
		snprintf(what, sizeof(what), "reap_interval_ms %u", ms);
		ret = ts_writef(TOYSLAB_DIR "/reap_interval_ms", "%u", ms);
		check(r, what, ret, !ret);
	}
}

static void hotplugger(int cpu, double end, struct report *r)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), CPU_ONLINE, cpu);
	while (ts_now() < end) {
		ret = ts_write(path, "0");
		check(r, "offline", ret, !ret);
		usleep(500000);
		ret = ts_write(path, "1");
		check(r, "online", ret, !ret);
		usleep(500000);
	}
}

/*
 * The switches the roles INJECTOR to TRACER turn on and off, and how long
 * each stays on, then off.  Fault injection switches the hooks, which
 * once rewrote the code every allocation runs: 25 times a second.
 */
static const struct {
	const char *path, *on, *off;
	useconds_t us;
} switches[] = {
	{ TOYSLAB_DIR "/fail/probability", "10", "0", 20000 },
	{ TOYSLAB_DIR "/memalloc_socks", "1", "0", 200000 },
	{ EVENTS, "1", "0", 200000 },
};

/* One switch on, then off, until @end. */
static void switcher(unsigned int i, double end, struct report *r)
{
	int ret;

	while (ts_now() < end) {
		ret = ts_write(switches[i].path, switches[i].on);
		check(r, switches[i].path, ret, !ret);
		usleep(switches[i].us);
		ret = ts_write(switches[i].path, switches[i].off);
		check(r, switches[i].path, ret, !ret);
		usleep(switches[i].us);
	}
}

/*
 * A debug cache's life holds the hooks from its creation to its
 * destruction.  Its allocations may fail under fault injection; nothing
 * else may.
 */
static void cycler(double end, struct report *r)
{
	uint64_t s = 0xc7c1e000ULL;
	int ret;

	while (ts_now() < end) {
		ret = ts_cache_create(DEBUG_CACHE,
				      "200 flags=poison,red_zone,store_user");
		check(r, "create " DEBUG_CACHE, ret, !ret);
		ret = ts_ctl(DEBUG_CACHE, "alloc %u", 1 + ts_below(&s, 40));
		check(r, DEBUG_CACHE ": alloc", ret, !ret || ret == -ENOMEM);
		ret = ts_ctl(DEBUG_CACHE, "free-all");
		check(r, DEBUG_CACHE ": free-all", ret, !ret);
		ret = ts_cache_destroy(DEBUG_CACHE);
		check(r, "destroy " DEBUG_CACHE, ret, !ret);

		ret = ts_cache_create(NAMED_CACHE, "128");
		check(r, "create " NAMED_CACHE, ret, !ret);
		ret = ts_cache_destroy(NAMED_CACHE);
		check(r, "destroy " NAMED_CACHE, ret, !ret);
	}
}

/* Read every regular file under @dir that can be read; caches come and go. */
static void read_tree(const char *dir, struct report *r)
{
	char path[512], buf[16384];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			read_tree(path, r);
		} else if (!access(path, R_OK)) {
			long len = ts_read(path, buf, sizeof(buf));

			/* A cache destroyed meanwhile takes its files along. */
			check(r, path, len, len >= 0 || len == -ENOENT);
		}
	}
	closedir(d);
}

static void reader(double end, struct report *r)
{
	while (ts_now() < end)
		read_tree(TOYSLAB_DIR, r);
}

static void run_role(struct chaos *ch, enum role job, double end)
{
	struct report *r = role_report(ch, job);

	switch (job) {
	case TUNER:
		tuner(end, r);
		break;
	case HOTPLUGGER:
		hotplugger(ch->last_cpu, end, r);
		break;
	case INJECTOR:
	case MEMALLOC:
	case TRACER:
		switcher(job - INJECTOR, end, r);
		break;
	case CYCLER:
		cycler(end, r);
		break;
	default:
		reader(end, r);
		break;
	}
}

/* Chaos on one CPU would leave out half of it: skip the whole program. */
static void __attribute__((constructor)) skip_unless_smp(void)
{
	if (ts_online_cpus() < 2)
		ksft_exit_skip("needs two CPUs or more\n");
}

FIXTURE(chaos) {
	struct chaos ch;
};

FIXTURE_SETUP(chaos)
{
	struct chaos *ch = &self->ch;
	char path[64];
	unsigned int i;

	ch->log.fd = -1;
	ch->ncpus = ts_online_cpus();
	ASSERT_GE(MAX_CPUS, ch->ncpus);
	ch->last_cpu = ch->ncpus - 1;
	snprintf(path, sizeof(path), CPU_ONLINE, ch->last_cpu);
	if (access(path, W_OK))
		SKIP(return, "CPU %d cannot be taken offline here",
		     ch->last_cpu);
	if (access(EVENTS, W_OK))
		SKIP(return, "no tracefs at " TRACING);
	ch->reports = mmap(NULL, (MAX_CPUS + NR_ROLES) * sizeof(struct report),
			   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);
	ASSERT_NE(MAP_FAILED, ch->reports);
	ASSERT_LT(0, ts_read(TOYSLAB_DIR "/reap_interval_ms",
			     ch->reap_interval, sizeof(ch->reap_interval)));
	ASSERT_EQ(0, ts_pin(0));
	for (i = 0; i < NR_RECORD; i++) {
		ASSERT_LT(0, ts_read(record_options[i], ch->record[i],
				     sizeof(ch->record[i])));
		ASSERT_EQ(0, ts_write(record_options[i], "0"));
	}
	ch->pages = ts_pages();
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/times", "-1"));
	for (i = 0; i < NR_CACHES; i++) {
		ts_cache_destroy(caches[i]);
		ASSERT_EQ(0, ts_cache_create(caches[i], sizes[i]));
	}
	ASSERT_EQ(0, kmsg_mark(&ch->log));
}

/* Whatever the test left switched on goes off, whatever it made goes. */
FIXTURE_TEARDOWN(chaos)
{
	struct chaos *ch = &self->ch;
	char path[64];
	unsigned int i;

	if (!ch->reports)
		return;
	snprintf(path, sizeof(path), CPU_ONLINE, ch->last_cpu);
	ts_write(path, "1");
	ts_write(TOYSLAB_DIR "/fail/probability", "0");
	ts_write(TOYSLAB_DIR "/fail/times", "1");
	ts_write(TOYSLAB_DIR "/memalloc_socks", "0");
	ts_write(EVENTS, "0");
	for (i = 0; i < NR_RECORD; i++)
		ts_write(record_options[i], ch->record[i]);
	ts_write(TOYSLAB_DIR "/reap_interval_ms", ch->reap_interval);
	ts_pin(0);
	for (i = 0; i < NR_CACHES; i++) {
		ts_ctl(caches[i], "free-all");
		EXPECT_EQ(0, ts_cache_destroy(caches[i])) {
			TH_LOG("%s", caches[i]);
		}
	}
	ts_cache_destroy(DEBUG_CACHE);
	ts_cache_destroy(NAMED_CACHE);
	EXPECT_EQ(ch->pages, ts_pages());
	kmsg_close(&ch->log);
	munmap(ch->reports, (MAX_CPUS + NR_ROLES) * sizeof(struct report));
}

/* Fork every worker and role, and wait for all of them to end. */
static void run_all(struct __test_metadata *_metadata, struct chaos *ch)
{
	double end = ts_now() + seconds();
	int i, status, children = 0;
	pid_t pid;

	for (i = 0; i < ch->ncpus + NR_ROLES; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			if (i < ch->ncpus)
				worker(i, ch->ncpus, end, &ch->reports[i]);
			else
				run_role(ch, i - ch->ncpus, end);
			_exit(0);
		}
		children++;
	}
	while (children--) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
}

static void expect_did_its_work(struct __test_metadata *_metadata,
				const char *who, int i, struct report *r)
{
	TH_LOG("%s %d: %ld operations, %ld ENOMEM", who, i, r->ops, r->nomem);
	EXPECT_LT(0, r->ops);
	EXPECT_EQ(0, r->wrong.count) {
		TH_LOG("%s %d: %ld wrong, the first: %s", who, i,
		       r->wrong.count, r->wrong.first);
	}
}

TEST_F_TIMEOUT(chaos, everything_at_once_ends_and_leaves_no_trace,
	       MAX_SECONDS + 180)
{
	struct chaos *ch = &self->ch;
	long out = 0, back = 0, held = 0, nomem = 0;
	unsigned int c;
	int i;

	/* A skip in the setup does not stop the test. */
	if (ts_skipped(_metadata))
		return;
	TH_LOG("%u s on %d CPUs, CPU %d going off and on", seconds(),
	       ch->ncpus, ch->last_cpu);
	run_all(_metadata, ch);

	for (i = 0; i < ch->ncpus; i++) {
		expect_did_its_work(_metadata, "worker", i, &ch->reports[i]);
		nomem += ch->reports[i].nomem;
	}
	for (i = 0; i < NR_ROLES; i++)
		expect_did_its_work(_metadata, role_names[i], 0,
				    role_report(ch, i));

	/* Quiet from here: nothing switched on, every CPU back. */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/probability", "0"));
	ASSERT_EQ(0, ts_write(EVENTS, "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms", "0"));
	ASSERT_EQ(ch->ncpus, ts_online_cpus());

	/*
	 * Every allocation the plain caches counted, a hit or a miss, is
	 * held or was freed: an injected failure returns before either is
	 * counted, and on one node no free goes to an alien cache
	 * (node_frees, counted for two).  A failed 'alloc N' stops there and
	 * keeps what it had, and a failed 'alloc-bulk N' frees what it had,
	 * counted as frees: ENOMEM adds nothing.
	 */
	for (c = 0; c < NR_CACHES; c++) {
		out += ts_stat(caches[c], "allochit") +
		       ts_stat(caches[c], "allocmiss");
		back += ts_stat(caches[c], "freehit") +
			ts_stat(caches[c], "freemiss") +
			ts_stat(caches[c], "node_frees");
		held += ts_held(caches[c]);
	}
	TH_LOG("%ld allocations counted, %ld frees, %ld held, %ld ENOMEM",
	       out, back, held, nomem);
	if (!access(NODE1, F_OK)) {
		TH_LOG("two nodes: node=0 allocations on node 1 count no hit");
	} else {
		EXPECT_EQ(out - back, held);
	}

	for (c = 0; c < NR_CACHES; c++) {
		const char *name = caches[c];

		EXPECT_EQ(0, ts_ctl(name, "free-all"));
		EXPECT_EQ(0, ts_ctl(name, "shrink"));
		EXPECT_EQ(0, ts_stat(name, "active_objs")) {
			TH_LOG("%s", name);
		}
		EXPECT_EQ(0, ts_stat(name, "num_slabs")) {
			TH_LOG("%s", name);
		}
	}

	ASSERT_EQ(0, kmsg_read(&ch->log));
	/* Injected failures are silent (fail/verbose 0): no report at all. */
	EXPECT_EQ(0, kmsg_toyslab_reports(&ch->log));
	EXPECT_EQ(0, kmsg_trouble(&ch->log));
	if (!ts_passed(_metadata))
		kmsg_dump(&ch->log, stderr);
}

TS_HARNESS_MAIN
