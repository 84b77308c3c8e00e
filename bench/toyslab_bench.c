// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab_bench - toyslab against the kernel's own kmem_cache, in one boot.
 *
 * In the tradition of lib/test_*.c and of the old slab_test module, the
 * work happens at load time: for every workload the module takes a
 * toyslab cache and a kernel kmem_cache of the same size, alignment (0)
 * and flags (none), runs the same loop against each, and prints one CSV
 * line per measurement to the kernel log:
 *
 *	workload,size,param,metric,toyslab,kernel,ratio
 *
 * with the figures in clock ticks per operation (two decimals) and the
 * ratio toyslab/kernel (three).  scripts/bench.sh boots the VM, collects
 * the lines and makes the table, the CSV and the chart.
 *
 * The clock is get_cycles().  Under plain TCG it ticks with the host's
 * TSC.  Under qemu -icount shift=0 guest time counts instructions: the
 * figures are instruction counts (icount=1 says so, and changes how the
 * all-CPU workload is normalised, below).  Every timed stretch runs with
 * interrupts off, as the reference figures the targets were set with do,
 * so allocations use GFP_ATOMIC.  A stretch counts from one get_cycles()
 * to the next, harness included: a loop, a call and a store or two per
 * operation, the same for both allocators.
 *
 * The workloads (Documentation/benchmark.rst), each measured 'reps' times
 * after one warm-up repetition and reported as the median:
 *
 *  pair    alloc then free, 'pairs' times, at every size, on one CPU
 *  batch   N allocations, then the N frees, N in 1 ... 10000, at every
 *          size, on one CPU; allocations and frees are timed apart
 *  cpus    every online CPU doing pairs at once (64 bytes)
 *  remote  CPU a allocates, CPU b frees, through a ring (64 bytes); a and
 *          b take turns, so that no two timed stretches overlap
 *  memory  10000 live 64-byte objects in fresh caches, held until rmmod,
 *          so that the pages each allocator holds for them can be read
 *          from its own accounting (scripts/guest/bench.sh does)
 *
 * Trace events are the guest script's business too: it loads the module
 * again for pairs with them on, and against a toyslab built without them.
 *
 * Under icount QEMU runs the vCPUs in turn on one clock, so a stretch on
 * one CPU also counts what the others execute meanwhile.  The guest
 * script takes the other CPUs offline for the single-CPU workloads;
 * 'remote' takes turns; 'cpus' divides the elapsed instructions by the
 * pairs of all CPUs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timex.h>

#include "toyslab.h"

#define BENCH_GFP		(GFP_ATOMIC | __GFP_NOWARN)
/* Pairs per interrupts-off stretch: a few milliseconds under TCG. */
#define PAIR_CHUNK		10000
#define MAX_REPS		100
#define MAX_SIZES		8
#define MIN_SIZE		8
#define MAX_SIZE		8192
#define HOT_SIZE		64
#define RING_SIZE		256
#define MEMORY_OBJECTS		10000

static const unsigned int batch_ns[] = { 1, 16, 128, 1024, 10000 };
#define MAX_BATCH		10000

static bool icount;
module_param(icount, bool, 0444);
MODULE_PARM_DESC(icount, "the guest runs under qemu -icount: get_cycles() counts the instructions of all vCPUs (default: 0)");

static unsigned int pairs = 1000000;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs, "alloc+free pairs per repetition of pair and cpus, 1000-100000000 (default: 1000000)");

static unsigned int batch_objs = 100000;
module_param(batch_objs, uint, 0444);
MODULE_PARM_DESC(batch_objs, "objects per repetition of batch and remote, 10000-10000000 (default: 100000)");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "measured repetitions, after one warm-up, 1-100; the median is printed (default: 5)");

static unsigned int sizes[MAX_SIZES] = { 8, 64, 256, 1024, 4096, 8192 };
static unsigned int nr_sizes = 6;
module_param_array(sizes, uint, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "object sizes of pair and batch, 8-8192 each (default: 8,64,256,1024,4096,8192)");

static char *workloads = "all";
module_param(workloads, charp, 0444);
MODULE_PARM_DESC(workloads, "comma-separated: pair,batch,cpus,remote,memory, or all (default: all)");

enum workload { W_PAIR, W_BATCH, W_CPUS, W_REMOTE, W_MEMORY, NR_WORKLOADS };

static const char *const workload_names[NR_WORKLOADS] = {
	"pair", "batch", "cpus", "remote", "memory",
};

static unsigned long selected;

/* The two allocators under test. */
enum side { SIDE_TOY, SIDE_KERNEL, NR_SIDES };

struct bench_cache {
	unsigned int size;
	struct toyslab_cache *toy;
	struct kmem_cache *kern;
};

/* The memory workload's caches and the objects they hold until rmmod. */
static struct bench_cache memory_caches;
static void **memory_objs[NR_SIDES];
static unsigned int memory_nr[NR_SIDES];

static void **batch_objs_buf;

static __always_inline void *side_alloc(struct bench_cache *bc, enum side side)
{
	if (side == SIDE_TOY)
		return toyslab_cache_alloc(bc->toy, BENCH_GFP);
	return kmem_cache_alloc(bc->kern, BENCH_GFP);
}

static __always_inline void side_free(struct bench_cache *bc, enum side side,
				      void *obj)
{
	if (side == SIDE_TOY)
		toyslab_cache_free(bc->toy, obj);
	else
		kmem_cache_free(bc->kern, obj);
}

static int cache_pair_create(struct bench_cache *bc, const char *name,
			     unsigned int size)
{
	bc->size = size;
	bc->toy = toyslab_cache_create(name, size, 0, 0, NULL);
	if (!bc->toy)
		return -ENOMEM;
	bc->kern = kmem_cache_create(name, size, 0, 0, NULL);
	if (!bc->kern) {
		toyslab_cache_destroy(bc->toy);
		bc->toy = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Every measurement gets caches of its own, so that what it finds in them
 * is what its own warm-up left: the figures do not depend on the order of
 * the workloads, and under icount not on the state of earlier runs either.
 */
static int fresh_caches(struct bench_cache *bc, unsigned int size)
{
	static unsigned int seq;
	char name[32];

	snprintf(name, sizeof(name), "bench_%u_%u", size, seq++);
	return cache_pair_create(bc, name, size);
}

static void cache_pair_destroy(struct bench_cache *bc)
{
	kmem_cache_destroy(bc->kern);
	/* Every object went back: a refusal here is a leak in the bench. */
	WARN_ON(toyslab_cache_destroy(bc->toy));
	bc->kern = NULL;
	bc->toy = NULL;
}

/*
 * The timed loops.  Each is written once, __always_inline, and
 * instantiated for each side by a switch on a constant, so that the loop
 * calls the allocator directly, with no test of the side inside.
 */
static __always_inline u64 __pair_chunk(struct bench_cache *bc, enum side side,
					unsigned int n, bool *failed)
{
	unsigned long flags;
	cycles_t t0, t1;
	void *obj;

	local_irq_save(flags);
	t0 = get_cycles();
	while (n--) {
		obj = side_alloc(bc, side);
		if (unlikely(!obj)) {
			*failed = true;
			break;
		}
		side_free(bc, side, obj);
	}
	t1 = get_cycles();
	local_irq_restore(flags);
	return t1 - t0;
}

static noinline u64 pair_chunk(struct bench_cache *bc, enum side side,
			       unsigned int n, bool *failed)
{
	if (side == SIDE_TOY)
		return __pair_chunk(bc, SIDE_TOY, n, failed);
	return __pair_chunk(bc, SIDE_KERNEL, n, failed);
}

/* Allocate up to @n into @objs; returns how many, the time in @cycles. */
static __always_inline unsigned int __alloc_many(struct bench_cache *bc,
						 enum side side, void **objs,
						 unsigned int n, u64 *cycles)
{
	unsigned long flags;
	cycles_t t0, t1;
	unsigned int i;

	local_irq_save(flags);
	t0 = get_cycles();
	for (i = 0; i < n; i++) {
		objs[i] = side_alloc(bc, side);
		if (unlikely(!objs[i]))
			break;
	}
	t1 = get_cycles();
	local_irq_restore(flags);
	*cycles = t1 - t0;
	return i;
}

static noinline unsigned int alloc_many(struct bench_cache *bc, enum side side,
					void **objs, unsigned int n,
					u64 *cycles)
{
	if (side == SIDE_TOY)
		return __alloc_many(bc, SIDE_TOY, objs, n, cycles);
	return __alloc_many(bc, SIDE_KERNEL, objs, n, cycles);
}

/* Free @objs[0..n), oldest first, as a batch or a queue would. */
static __always_inline u64 __free_many(struct bench_cache *bc, enum side side,
				       void **objs, unsigned int n)
{
	unsigned long flags;
	cycles_t t0, t1;
	unsigned int i;

	local_irq_save(flags);
	t0 = get_cycles();
	for (i = 0; i < n; i++)
		side_free(bc, side, objs[i]);
	t1 = get_cycles();
	local_irq_restore(flags);
	return t1 - t0;
}

static noinline u64 free_many(struct bench_cache *bc, enum side side,
			      void **objs, unsigned int n)
{
	if (side == SIDE_TOY)
		return __free_many(bc, SIDE_TOY, objs, n);
	return __free_many(bc, SIDE_KERNEL, objs, n);
}

/* @n pairs in interrupts-off chunks; the sum of the chunks' time. */
static int pair_run(struct bench_cache *bc, enum side side, unsigned int n,
		    u64 *cycles)
{
	bool failed = false;
	unsigned int chunk;

	*cycles = 0;
	while (n && !failed) {
		chunk = min_t(unsigned int, n, PAIR_CHUNK);
		*cycles += pair_chunk(bc, side, chunk, &failed);
		n -= chunk;
		cond_resched();
	}
	return failed ? -ENOMEM : 0;
}

/*
 * Threads: every workload runs in kernel threads bound to their CPUs, so
 * that "CPU 0" means CPU 0 and insmod's own task stays out of the timing.
 */
struct bench_run;

struct bench_thread {
	struct bench_run *run;
	struct task_struct *task;
	unsigned int cpu;
	unsigned int index;
	int err;
	/* per repetition: this thread's timed sum, and its first and last tick */
	u64 cycles[MAX_REPS + 1];
	u64 start[MAX_REPS + 1];
	u64 end[MAX_REPS + 1];
};

struct bench_run {
	int (*fn)(struct bench_thread *t);
	void *arg;
	unsigned int nr;
	atomic_t arrived;		/* barrier: threads still to come */
	atomic_t generation;		/* barrier: bumped by the last one */
	atomic_t abort;			/* a thread failed, or insmod was killed */
	atomic_t left;			/* threads still running */
	struct completion done;
	struct bench_thread *threads;
};

/* Spin until @v reads @want; false if the run was aborted meanwhile. */
static bool wait_for_value(struct bench_run *run, atomic_t *v, int want)
{
	while (atomic_read_acquire(v) != want) {
		if (atomic_read(&run->abort))
			return false;
		/* PAUSE also hands the clock to the next vCPU under icount. */
		cpu_relax();
		cond_resched();
	}
	return true;
}

/* All of the run's threads meet here; false if the run was aborted. */
static bool bench_barrier(struct bench_run *run)
{
	int gen = atomic_read_acquire(&run->generation);

	if (atomic_dec_and_test(&run->arrived)) {
		atomic_set(&run->arrived, run->nr);
		atomic_inc_return_release(&run->generation);
		return !atomic_read(&run->abort);
	}
	return wait_for_value(run, &run->generation, gen + 1);
}

static int bench_thread_fn(void *data)
{
	struct bench_thread *t = data;
	struct bench_run *run = t->run;

	t->err = run->fn(t);
	if (t->err)
		atomic_set(&run->abort, 1);
	if (atomic_dec_and_test(&run->left))
		complete(&run->done);
	return 0;
}

/* Run @fn on each of @cpus at once and wait for all of them. */
static int bench_run_on(struct bench_run *run, int (*fn)(struct bench_thread *),
			void *arg, const unsigned int *cpus, unsigned int nr)
{
	unsigned int i, started;
	int err = 0;

	run->threads = kcalloc(nr, sizeof(*run->threads), GFP_KERNEL);
	if (!run->threads)
		return -ENOMEM;
	run->fn = fn;
	run->arg = arg;
	run->nr = nr;
	atomic_set(&run->arrived, nr);
	atomic_set(&run->generation, 0);
	atomic_set(&run->abort, 0);
	atomic_set(&run->left, nr);
	init_completion(&run->done);

	for (started = 0; started < nr; started++) {
		struct bench_thread *t = &run->threads[started];
		struct task_struct *task;

		t->run = run;
		t->cpu = cpus[started];
		t->index = started;
		task = kthread_create_on_cpu(bench_thread_fn, t, t->cpu,
					     "toyslab_bench/%u");
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			goto out_stop;
		}
		/* The thread may exit before kthread_stop() looks at it. */
		get_task_struct(task);
		t->task = task;
	}

	for (i = 0; i < nr; i++)
		wake_up_process(run->threads[i].task);
	/* Killable: a long wait is not a hung task, and ^C still works. */
	if (wait_for_completion_killable(&run->done)) {
		atomic_set(&run->abort, 1);
		wait_for_completion(&run->done);
		err = -EINTR;
	}
	for (i = 0; i < nr && !err; i++)
		err = run->threads[i].err;

out_stop:
	/* A thread never woken is stopped before its function runs. */
	for (i = 0; i < started; i++) {
		kthread_stop(run->threads[i].task);
		put_task_struct(run->threads[i].task);
	}
	return err;
}

static void bench_run_free(struct bench_run *run)
{
	kfree(run->threads);
	run->threads = NULL;
}

/* The first online CPU, and the second for the remote workload. */
static unsigned int nth_online_cpu(unsigned int nth)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (!nth--)
			return cpu;
	return nr_cpu_ids;
}

static int run_on_first_cpu(int (*fn)(struct bench_thread *), void *arg)
{
	struct bench_run run = { };
	unsigned int cpu = nth_online_cpu(0);
	int err;

	err = bench_run_on(&run, fn, arg, &cpu, 1);
	bench_run_free(&run);
	return err;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The median of @v[1..reps]: v[0] is the warm-up. */
static u64 median(u64 *v)
{
	sort(v + 1, reps, sizeof(*v), cmp_u64, NULL);
	return v[1 + reps / 2];
}

/* Ticks per operation, kept in hundredths, rounded. */
static u64 per_op(u64 cycles, u64 ops)
{
	return ops ? div64_u64(cycles * 100 + ops / 2, ops) : 0;
}

static void print_row(const char *workload, unsigned int size,
		      const char *param, const char *metric, u64 toy, u64 kern)
{
	u64 ratio = kern ? div64_u64(toy * 1000 + kern / 2, kern) : 0;

	pr_info("%s,%u,%s,%s,%llu.%02llu,%llu.%02llu,%llu.%03llu\n",
		workload, size, param, metric, toy / 100, toy % 100,
		kern / 100, kern % 100, ratio / 1000, ratio % 1000);
}

/* The figures of one measurement, per repetition, for both sides. */
struct fig {
	u64 a[NR_SIDES][MAX_REPS + 1];	/* pair, or allocation */
	u64 f[NR_SIDES][MAX_REPS + 1];	/* free */
	u64 sum[NR_SIDES][MAX_REPS + 1];
};

static void print_fig(struct fig *fig, const char *workload,
		      unsigned int size, const char *param, bool split)
{
	if (!split) {
		print_row(workload, size, param, "pair",
			  median(fig->a[SIDE_TOY]), median(fig->a[SIDE_KERNEL]));
		return;
	}
	print_row(workload, size, param, "alloc", median(fig->a[SIDE_TOY]),
		  median(fig->a[SIDE_KERNEL]));
	print_row(workload, size, param, "free", median(fig->f[SIDE_TOY]),
		  median(fig->f[SIDE_KERNEL]));
	print_row(workload, size, param, "alloc+free",
		  median(fig->sum[SIDE_TOY]), median(fig->sum[SIDE_KERNEL]));
}

/* pair: one CPU, alloc then free, at every size. */
struct pair_job {
	struct bench_cache bc;
	struct fig fig;
};

static int pair_fn(struct bench_thread *t)
{
	struct pair_job *job = t->run->arg;
	unsigned int rep;
	u64 cycles;
	int s, err;

	/* Sides take turns, so that host noise under TCG hits both alike. */
	for (rep = 0; rep <= reps; rep++) {
		for (s = 0; s < NR_SIDES; s++) {
			err = pair_run(&job->bc, s, pairs, &cycles);
			if (err)
				return err;
			job->fig.a[s][rep] = per_op(cycles, pairs);
		}
	}
	return 0;
}

static int workload_pair(struct pair_job *job)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr_sizes; i++) {
		err = fresh_caches(&job->bc, sizes[i]);
		if (err)
			return err;
		err = run_on_first_cpu(pair_fn, job);
		cache_pair_destroy(&job->bc);
		if (err)
			return err;
		print_fig(&job->fig, "pair", sizes[i], "-", false);
	}
	return 0;
}

/* batch: N allocations, then the N frees, on one CPU. */
struct batch_job {
	struct bench_cache bc;
	unsigned int n;
	struct fig fig;
};

static int batch_rep(struct batch_job *job, enum side side, unsigned int rep)
{
	unsigned int rounds = batch_objs / job->n, got, r;
	u64 alloc = 0, free = 0, cycles;

	for (r = 0; r < rounds; r++) {
		got = alloc_many(&job->bc, side, batch_objs_buf, job->n, &cycles);
		alloc += cycles;
		free += free_many(&job->bc, side, batch_objs_buf, got);
		if (got < job->n)
			return -ENOMEM;
		cond_resched();
	}
	job->fig.a[side][rep] = per_op(alloc, (u64)rounds * job->n);
	job->fig.f[side][rep] = per_op(free, (u64)rounds * job->n);
	job->fig.sum[side][rep] = per_op(alloc + free, (u64)rounds * job->n);
	return 0;
}

static int batch_fn(struct bench_thread *t)
{
	struct batch_job *job = t->run->arg;
	unsigned int rep;
	int s, err;

	for (rep = 0; rep <= reps; rep++) {
		for (s = 0; s < NR_SIDES; s++) {
			err = batch_rep(job, s, rep);
			if (err)
				return err;
		}
	}
	return 0;
}

static int workload_batch(struct batch_job *job)
{
	unsigned int i, j;
	char param[12];
	int err;

	for (i = 0; i < nr_sizes; i++) {
		for (j = 0; j < ARRAY_SIZE(batch_ns); j++) {
			err = fresh_caches(&job->bc, sizes[i]);
			if (err)
				return err;
			job->n = batch_ns[j];
			err = run_on_first_cpu(batch_fn, job);
			cache_pair_destroy(&job->bc);
			if (err)
				return err;
			snprintf(param, sizeof(param), "%u", job->n);
			print_fig(&job->fig, "batch", sizes[i], param, true);
		}
	}
	return 0;
}

/* cpus: pairs on every online CPU at once. */
struct cpus_job {
	struct bench_cache bc;
	enum side side;
};

static int cpus_fn(struct bench_thread *t)
{
	struct cpus_job *job = t->run->arg;
	unsigned int rep;
	int err = 0;

	for (rep = 0; rep <= reps; rep++) {
		/* A thread that failed keeps meeting the others. */
		if (!bench_barrier(t->run))
			return -EINTR;
		t->start[rep] = get_cycles();
		if (!err)
			err = pair_run(&job->bc, job->side, pairs,
				       &t->cycles[rep]);
		t->end[rep] = get_cycles();
	}
	return err;
}

/*
 * Per pair and CPU.  TCG runs the vCPUs in parallel: each thread's own
 * timed sum over its pairs, averaged.  icount runs them in turn on one
 * clock: the whole stretch over the pairs of all of them.
 */
static u64 cpus_figure(struct bench_run *run, unsigned int rep)
{
	u64 first = U64_MAX, last = 0, sum = 0;
	unsigned int i;

	for (i = 0; i < run->nr; i++) {
		struct bench_thread *t = &run->threads[i];

		first = min(first, t->start[rep]);
		last = max(last, t->end[rep]);
		sum += per_op(t->cycles[rep], pairs);
	}
	if (icount)
		return per_op(last - first, (u64)pairs * run->nr);
	return div64_u64(sum, run->nr);
}

static int workload_cpus(struct fig *fig)
{
	unsigned int *cpus, cpu, nr = 0, rep;
	struct cpus_job job;
	char param[12];
	int s, err;

	cpus = kcalloc(nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	if (!cpus)
		return -ENOMEM;
	err = fresh_caches(&job.bc, HOT_SIZE);
	if (err)
		goto out;
	for_each_online_cpu(cpu)
		cpus[nr++] = cpu;

	for (s = 0; s < NR_SIDES && !err; s++) {
		struct bench_run run = { };

		job.side = s;
		err = bench_run_on(&run, cpus_fn, &job, cpus, nr);
		for (rep = 0; rep <= reps && !err; rep++)
			fig->a[s][rep] = cpus_figure(&run, rep);
		bench_run_free(&run);
	}
	cache_pair_destroy(&job.bc);
out:
	kfree(cpus);
	if (err)
		return err;
	snprintf(param, sizeof(param), "%ucpus", nr);
	print_fig(fig, "cpus", HOT_SIZE, param, false);
	return 0;
}

/*
 * remote: the producer allocates a ring's worth, the consumer frees it,
 * in turns: no two timed stretches overlap, and both allocators see the
 * same hand-over of whole batches between CPUs.
 */
enum { TURN_ALLOC, TURN_FREE };

struct remote_job {
	struct bench_cache bc;
	enum side side;
	void *ring[RING_SIZE];
	unsigned int ring_nr;
	atomic_t turn;
	u64 alloc[MAX_REPS + 1];
	u64 free[MAX_REPS + 1];
};

static int remote_fn(struct bench_thread *t)
{
	struct remote_job *job = t->run->arg;
	unsigned int rounds = batch_objs / RING_SIZE, rep, r;
	bool producer = t->index == 0;
	int err = 0;
	u64 cycles;

	for (rep = 0; rep <= reps; rep++) {
		for (r = 0; r < rounds; r++) {
			if (!wait_for_value(t->run, &job->turn,
					    producer ? TURN_ALLOC : TURN_FREE))
				return err ?: -EINTR;
			if (producer) {
				job->ring_nr = alloc_many(&job->bc, job->side,
							  job->ring, RING_SIZE,
							  &cycles);
				job->alloc[rep] += cycles;
				if (job->ring_nr < RING_SIZE)
					err = -ENOMEM;
				atomic_set_release(&job->turn, TURN_FREE);
			} else {
				job->free[rep] += free_many(&job->bc, job->side,
							    job->ring,
							    job->ring_nr);
				job->ring_nr = 0;
				atomic_set_release(&job->turn, TURN_ALLOC);
			}
			/* The consumer has freed a short ring: stop both. */
			if (err)
				return err;
		}
	}
	return 0;
}

static int workload_remote(struct fig *fig, struct remote_job *job)
{
	unsigned int rounds = batch_objs / RING_SIZE, rep, dir, cpus[2];
	u64 objs = (u64)rounds * RING_SIZE;
	char param[24];
	int s, err;

	if (num_online_cpus() < 2) {
		pr_info("remote: skipped, it needs two online CPUs\n");
		return 0;
	}
	for (dir = 0; dir < 2; dir++) {
		cpus[0] = nth_online_cpu(dir);
		cpus[1] = nth_online_cpu(!dir);
		err = fresh_caches(&job->bc, HOT_SIZE);
		if (err)
			return err;
		for (s = 0; s < NR_SIDES && !err; s++) {
			struct bench_run run = { };

			job->side = s;
			job->ring_nr = 0;
			atomic_set(&job->turn, TURN_ALLOC);
			memset(job->alloc, 0, sizeof(job->alloc));
			memset(job->free, 0, sizeof(job->free));
			err = bench_run_on(&run, remote_fn, job, cpus, 2);
			bench_run_free(&run);
			/* An aborted run may leave a ring's worth unfreed. */
			free_many(&job->bc, s, job->ring, job->ring_nr);
			job->ring_nr = 0;
			for (rep = 0; rep <= reps && !err; rep++) {
				fig->a[s][rep] = per_op(job->alloc[rep], objs);
				fig->f[s][rep] = per_op(job->free[rep], objs);
				fig->sum[s][rep] = per_op(job->alloc[rep] +
							  job->free[rep], objs);
			}
		}
		cache_pair_destroy(&job->bc);
		if (err)
			return err;
		snprintf(param, sizeof(param), "cpu%u>cpu%u", cpus[0], cpus[1]);
		print_fig(fig, "remote", HOT_SIZE, param, true);
	}
	return 0;
}

/* memory: MEMORY_OBJECTS live objects in fresh caches, held until rmmod. */
static int memory_fn(struct bench_thread *t)
{
	u64 cycles;
	int s;

	for (s = 0; s < NR_SIDES; s++) {
		memory_nr[s] = alloc_many(&memory_caches, s, memory_objs[s],
					  MEMORY_OBJECTS, &cycles);
		if (memory_nr[s] < MEMORY_OBJECTS)
			return -ENOMEM;
	}
	return 0;
}

static int workload_memory(void)
{
	int s, err;

	for (s = 0; s < NR_SIDES; s++) {
		memory_objs[s] = kvcalloc(MEMORY_OBJECTS, sizeof(void *),
					  GFP_KERNEL);
		if (!memory_objs[s])
			return -ENOMEM;
	}
	err = cache_pair_create(&memory_caches, "bench_memory", HOT_SIZE);
	if (err)
		return err;
	err = run_on_first_cpu(memory_fn, NULL);
	if (err)
		return err;
	pr_info("memory: %u objects of %u bytes held in bench_memory of each allocator until rmmod\n",
		MEMORY_OBJECTS, HOT_SIZE);
	return 0;
}

static void memory_release(void)
{
	int s;

	for (s = 0; s < NR_SIDES; s++) {
		if (memory_objs[s]) {
			if (memory_caches.toy)
				free_many(&memory_caches, s, memory_objs[s],
					  memory_nr[s]);
			kvfree(memory_objs[s]);
		}
		memory_objs[s] = NULL;
		memory_nr[s] = 0;
	}
	if (memory_caches.toy)
		cache_pair_destroy(&memory_caches);
}

static int parse_workloads(void)
{
	char *copy, *rest, *word;
	int i, err = 0;

	copy = kstrdup(workloads ? workloads : "", GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	rest = copy;
	while ((word = strsep(&rest, ",")) != NULL) {
		if (!strcmp(word, "all")) {
			selected |= BIT(NR_WORKLOADS) - 1;
			continue;
		}
		i = match_string(workload_names, NR_WORKLOADS, word);
		if (i < 0) {
			pr_err("workloads: unknown workload '%s' (known: pair,batch,cpus,remote,memory,all)\n",
			       word);
			err = -EINVAL;
			break;
		}
		selected |= BIT(i);
	}
	kfree(copy);
	return err;
}

static int check_params(void)
{
	unsigned int i;

	if (pairs < 1000 || pairs > 100000000) {
		pr_err("pairs=%u is not in 1000..100000000\n", pairs);
		return -EINVAL;
	}
	if (batch_objs < MAX_BATCH || batch_objs > 10000000) {
		pr_err("batch_objs=%u is not in %u..10000000\n", batch_objs,
		       MAX_BATCH);
		return -EINVAL;
	}
	if (reps < 1 || reps > MAX_REPS) {
		pr_err("reps=%u is not in 1..%u\n", reps, MAX_REPS);
		return -EINVAL;
	}
	for (i = 0; i < nr_sizes; i++) {
		if (sizes[i] < MIN_SIZE || sizes[i] > MAX_SIZE) {
			pr_err("sizes: %u is not in %u..%u\n", sizes[i],
			       MIN_SIZE, MAX_SIZE);
			return -EINVAL;
		}
	}
	return parse_workloads();
}

static void release_all(void)
{
	memory_release();
	kvfree(batch_objs_buf);
	batch_objs_buf = NULL;
}

/* The jobs are large (per-repetition figures): allocated, not on stack. */
union bench_jobs {
	struct pair_job pair;
	struct batch_job batch;
	struct fig fig;
};

static int run_workloads(union bench_jobs *jobs, struct remote_job *remote)
{
	int err = 0;

	if (selected & BIT(W_PAIR))
		err = workload_pair(&jobs->pair);
	if (!err && (selected & BIT(W_BATCH)))
		err = workload_batch(&jobs->batch);
	if (!err && (selected & BIT(W_CPUS)))
		err = workload_cpus(&jobs->fig);
	if (!err && (selected & BIT(W_REMOTE)))
		err = workload_remote(&jobs->fig, remote);
	if (!err && (selected & BIT(W_MEMORY)))
		err = workload_memory();
	return err;
}

static int __init toyslab_bench_init(void)
{
	struct remote_job *remote = NULL;
	union bench_jobs *jobs = NULL;
	unsigned long start = jiffies;
	int err;

	err = check_params();
	if (err)
		return err;

	err = -ENOMEM;
	batch_objs_buf = kvcalloc(MAX_BATCH, sizeof(void *), GFP_KERNEL);
	jobs = kvzalloc(sizeof(*jobs), GFP_KERNEL);
	remote = kvzalloc(sizeof(*remote), GFP_KERNEL);
	if (!batch_objs_buf || !jobs || !remote)
		goto out;

	pr_info("clock=%s unit=%s cpus=%u reps=%u pairs=%u batch_objs=%u init_on_alloc=%d\n",
		icount ? "icount" : "tsc",
		icount ? "instructions" : "cycles", num_online_cpus(), reps,
		pairs, batch_objs, want_init_on_alloc(GFP_KERNEL));
	pr_info("workload,size,param,metric,toyslab,kernel,ratio\n");

	err = run_workloads(jobs, remote);
	if (!err)
		pr_info("done in %u s\n", jiffies_to_msecs(jiffies - start) / 1000);
out:
	kvfree(remote);
	kvfree(jobs);
	if (err) {
		pr_err("failed: %d\n", err);
		release_all();
	}
	return err;
}
module_init(toyslab_bench_init);

static void __exit toyslab_bench_exit(void)
{
	release_all();
}
module_exit(toyslab_bench_exit);

MODULE_DESCRIPTION("toyslab against the kernel's kmem_cache, side by side");
MODULE_LICENSE("GPL");
