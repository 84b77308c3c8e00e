// SPDX-License-Identifier: GPL-2.0
/*
 * The trace events of toyslab_trace.h tell the same story as the
 * counters: a scripted sequence on one CPU, with the reaper stopped, is
 * traced, and every event is counted and checked against the algorithm
 * and against the cache's stats.
 *
 * The cache: 64-byte objects, 64 per slab, limit 120, batchcount 60 and
 * a shared array of 8 * 60 = 480 (so the test needs two possible CPUs).
 * The sequence, on CPU 0 (held objects h[0..] in allocation order):
 *
 *   alloc 1    miss: untouched, refill 16 from a new slab S1 (grow), 15 left
 *   alloc 15   15 hits, array empty
 *   alloc 1    miss: touched, wants 60; S1's 48 (partial), 47 left
 *   alloc 104  47 hits; miss: no free object anywhere, 60 from a new
 *              slab S2 (grow), 4 left in S2; 56 hits: array 3 (all S2)
 *   free-all   121 frees: 117 hits fill the array to 120; the 118th
 *              misses and flushes the oldest 60 (S2's 3 + 57) to the
 *              shared array; 3 hits: array 64 (all of S1), shared 60
 *   alloc 65   64 hits empty the array; miss: 60 from shared, 59 left
 *   free-all   65 frees: 61 hits to 120, a miss flushes the oldest 60
 *              (all S2's) to shared, 3 hits: array 64 of S1, shared 60
 *   reap       array touched (by the allocs): spared; shared touched (by
 *              its refill): spared; free_touched (S1's partial refill
 *              found no partial slab next): spared: drained 0, freed 0
 *   reap       array: (120 + 4) / 5 = 24 to S1; shared: 96 > 60, so
 *              (60 + 1) / 2 = 30 to S2; no free slab: drained 54, freed 0
 *   drain      the array's other 40 go back: S1 is free, and its 64
 *              free objects stay under free_limit ((1 + cpus) * 60 + 64)
 *   reap       array empty; shared (30 + 1) / 2 = 15; then free_limit /
 *              (5 * 64) rounded up, at least 1, free slabs: S1 goes:
 *              drained 15, freed 1
 *
 * A second sequence does the first five steps' work with the bulk calls,
 * which fire an event per object too (bulk_script, below).
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE		"trace64"
#define TRACING		"/sys/kernel/tracing"
#define EVENTS		TRACING "/events/toyslab/enable"
#define TRACE_MAX	(8 << 20)
#define PTRS_MAX	512

static const char * const script[] = {
	"alloc 1", "alloc 15", "alloc 1", "alloc 104", "free-all",
	"alloc 65", "free-all", "reap", "reap", "drain", "reap",
};

/* The events of CACHE, counted. */
struct tally {
	long alloc_hit, alloc_miss, free_hit, free_miss;
	long refill_lines, refill_sum, refill_shared;
	long refill_grow, refill_partial, refill_free;
	long grow, flush_shared, flush_lists, flush_sum;
	long reap_lines, reap_drained[8], reap_freed[8], reaped;
	long wrong_cpu;			/* events not on the pinned CPU */
	long lines;			/* events of CACHE, all kinds */
	long buffered, written;		/* the trace header's counts */
	int nr_alloc_ptrs, nr_free_ptrs;
	char alloc_ptrs[PTRS_MAX][24], free_ptrs[PTRS_MAX][24];
};

/* The number after "@key=" in @line, or -1. */
static long field(const char *line, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* The word after "@key=" in @line, into @out. */
static void word(const char *line, const char *key, char *out, size_t size)
{
	char pat[32];
	const char *p;
	size_t len;

	out[0] = '\0';
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return;
	p += strlen(pat);
	len = strcspn(p, " \n");
	snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), p);
}

static bool ends_with(const char *line, const char *suffix)
{
	size_t len = strlen(line), slen = strlen(suffix);

	return len >= slen && !strcmp(line + len - slen, suffix);
}

static void tally_line(struct tally *t, const char *line, int cpu)
{
	const char *ev = strstr(line, ": toyslab_");
	char buf[32];

	if (!ev || !strstr(ev, " cache=" CACHE " "))
		return;
	ev += 2;
	t->lines++;
	if (field(ev, "cpu") >= 0 && field(ev, "cpu") != cpu)
		t->wrong_cpu++;

	if (!strncmp(ev, "toyslab_alloc:", 14)) {
		if (ends_with(ev, " hit"))
			t->alloc_hit++;
		else if (ends_with(ev, " miss"))
			t->alloc_miss++;
		if (t->nr_alloc_ptrs < PTRS_MAX)
			word(ev, "ptr", t->alloc_ptrs[t->nr_alloc_ptrs++], 24);
	} else if (!strncmp(ev, "toyslab_free:", 13)) {
		if (ends_with(ev, " hit"))
			t->free_hit++;
		else if (ends_with(ev, " miss"))
			t->free_miss++;
		if (t->nr_free_ptrs < PTRS_MAX)
			word(ev, "ptr", t->free_ptrs[t->nr_free_ptrs++], 24);
	} else if (!strncmp(ev, "toyslab_refill:", 15)) {
		long count = field(ev, "count");

		t->refill_lines++;
		t->refill_sum += count;
		word(ev, "source", buf, sizeof(buf));
		if (!strcmp(buf, "shared"))
			t->refill_shared += count;
		else if (!strcmp(buf, "grow"))
			t->refill_grow += count;
		else if (!strcmp(buf, "partial"))
			t->refill_partial += count;
		else if (!strcmp(buf, "free"))
			t->refill_free += count;
	} else if (!strncmp(ev, "toyslab_grow:", 13)) {
		t->grow++;
	} else if (!strncmp(ev, "toyslab_flush:", 14)) {
		word(ev, "to", buf, sizeof(buf));
		if (!strcmp(buf, "shared"))
			t->flush_shared++;
		else
			t->flush_lists++;
		t->flush_sum += field(ev, "count");
	} else if (!strncmp(ev, "toyslab_reap:", 13)) {
		if (t->reap_lines < 8) {
			t->reap_drained[t->reap_lines] = field(ev, "drained");
			t->reap_freed[t->reap_lines] = field(ev, "slabs_freed");
		}
		t->reap_lines++;
		t->reaped += field(ev, "slabs_freed");
	}
}

/* Parse the trace: the header's entry counts, then each event line. */
static int tally_trace(struct tally *t, int cpu)
{
	char *buf = malloc(TRACE_MAX), *line, *save;
	const char *p;
	long len;

	if (!buf)
		return -ENOMEM;
	len = ts_read(TRACING "/trace", buf, TRACE_MAX);
	if (len < 0) {
		free(buf);
		return len;
	}
	/* "# entries-in-buffer/entries-written: 372/372   #P:2" */
	p = strstr(buf, "entries-in-buffer/entries-written: ");
	if (p)
		sscanf(p + 35, "%ld/%ld", &t->buffered, &t->written);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#')
			tally_line(t, line, cpu);
	free(buf);
	return 0;
}

/* Empty the trace buffer (writing nothing with O_TRUNC, as "> trace"). */
static int clear_trace(void)
{
	int fd = open(TRACING "/trace", O_WRONLY | O_TRUNC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Whether caches get a shared array: SLAB's num_possible_cpus() > 1. */
static bool possible_cpus_above_one(void)
{
	char buf[64];

	if (ts_read("/sys/devices/system/cpu/possible", buf, sizeof(buf)) < 0)
		return true;
	return strcmp(buf, "0\n") != 0;
}

/* Every test needs the events and a shared array: skip them all at once. */
static void __attribute__((constructor)) skip_unless_traceable(void)
{
	if (access(EVENTS, W_OK))
		ksft_exit_skip("no toyslab events in tracefs at %s\n", TRACING);
	if (!possible_cpus_above_one())
		ksft_exit_skip("one possible CPU: no shared array to trace\n");
}

FIXTURE(traced) {
	struct tally t;
	bool enabled;
};

/*
 * Create CACHE, run the @nr commands of @steps on CPU 0 with every event
 * on, and count the events into @t.  *@enabled: the events are on, for
 * the teardown if this fails halfway.
 */
static void trace_steps(struct __test_metadata *_metadata,
			const char * const *steps, unsigned int nr,
			struct tally *t, bool *enabled)
{
	struct node_row n;
	unsigned int i;

	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	ASSERT_EQ(480, n.shared_limit);
	ASSERT_EQ(0, ts_pin(0));

	ASSERT_EQ(0, ts_write(TRACING "/tracing_on", "1"));
	ASSERT_EQ(0, clear_trace());
	ASSERT_EQ(0, ts_write(EVENTS, "1"));
	*enabled = true;
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, ts_ctl(CACHE, "%s", steps[i])) {
			TH_LOG("step %u: %s", i, steps[i]);
		}
	}
	ASSERT_EQ(0, ts_write(EVENTS, "0"));
	*enabled = false;
	ASSERT_EQ(0, tally_trace(t, 0));
	/* Nothing was overwritten: every event is there to count. */
	ASSERT_EQ(t->written, t->buffered);
	ASSERT_LT(0, t->lines);
}

static void untrace(bool enabled)
{
	if (enabled)
		ts_write(EVENTS, "0");
	clear_trace();
	ts_pin(0);
}

FIXTURE_SETUP(traced)
{
	trace_steps(_metadata, script, ARRAY_SIZE(script), &self->t,
		    &self->enabled);
}

FIXTURE_TEARDOWN(traced)
{
	untrace(self->enabled);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
}

TEST_F(traced, alloc_events_count_the_allochit_and_allocmiss_counters)
{
	/* Hits: 15 + 47 + 56 + 64; misses: the four refills. */
	EXPECT_EQ(182, self->t.alloc_hit);
	EXPECT_EQ(4, self->t.alloc_miss);
	EXPECT_EQ(ts_stat(CACHE, "allochit"), self->t.alloc_hit);
	EXPECT_EQ(ts_stat(CACHE, "allocmiss"), self->t.alloc_miss);
}

TEST_F(traced, free_events_count_the_freehit_and_freemiss_counters)
{
	/* Two free-alls: 117 + 3 and 61 + 3 hits, one flushing miss each. */
	EXPECT_EQ(184, self->t.free_hit);
	EXPECT_EQ(2, self->t.free_miss);
	EXPECT_EQ(ts_stat(CACHE, "freehit"), self->t.free_hit);
	EXPECT_EQ(ts_stat(CACHE, "freemiss"), self->t.free_miss);
}

TEST_F(traced, every_freed_pointer_was_allocated_as_often)
{
	int i, j, allocs, frees;

	ASSERT_EQ(121 + 65, self->t.nr_alloc_ptrs);
	ASSERT_EQ(121 + 65, self->t.nr_free_ptrs);
	for (i = 0; i < self->t.nr_free_ptrs; i++) {
		const char *ptr = self->t.free_ptrs[i];

		allocs = 0;
		frees = 0;
		for (j = 0; j < self->t.nr_alloc_ptrs; j++)
			allocs += !strcmp(ptr, self->t.alloc_ptrs[j]);
		for (j = 0; j < self->t.nr_free_ptrs; j++)
			frees += !strcmp(ptr, self->t.free_ptrs[j]);
		/* S1's 64 objects went out twice, S2's once or twice. */
		EXPECT_EQ(allocs, frees) {
			TH_LOG("ptr=%s", ptr);
		}
		if (allocs != frees)
			break;
	}
}

TEST_F(traced, refill_counts_sum_to_allocs_plus_what_came_from_shared)
{
	/* 16 + 60 from new slabs, 48 from S1 on its partial list, 60 shared */
	EXPECT_EQ(4, self->t.refill_lines);
	EXPECT_EQ(16 + 60, self->t.refill_grow);
	EXPECT_EQ(48, self->t.refill_partial);
	EXPECT_EQ(0, self->t.refill_free);
	EXPECT_EQ(60, self->t.refill_shared);
	/* allocs counts objects leaving slabs; the shared refill is not one. */
	EXPECT_EQ(124, ts_stat(CACHE, "allocs"));
	EXPECT_EQ(ts_stat(CACHE, "allocs") + self->t.refill_shared,
		  self->t.refill_sum);
}

TEST_F(traced, grow_events_count_the_grown_counter)
{
	/* S1 at the first alloc, S2 when alloc 104 found nothing free. */
	EXPECT_EQ(2, self->t.grow);
	EXPECT_EQ(ts_stat(CACHE, "grown"), self->t.grow);
}

TEST_F(traced, each_free_miss_flushes_one_batch_to_the_shared_array)
{
	/* The shared array had room both times: 60 each, none to the lists. */
	EXPECT_EQ(2, self->t.flush_shared);
	EXPECT_EQ(0, self->t.flush_lists);
	EXPECT_EQ(2 * 60, self->t.flush_sum);
	EXPECT_EQ(ts_stat(CACHE, "freemiss"),
		  self->t.flush_shared + self->t.flush_lists);
}

TEST_F(traced, reap_events_show_each_pass_and_sum_to_reaped)
{
	struct node_row n;

	ASSERT_EQ(3, self->t.reap_lines);
	EXPECT_EQ(0, self->t.reap_drained[0]);
	EXPECT_EQ(0, self->t.reap_freed[0]);
	EXPECT_EQ(24 + 30, self->t.reap_drained[1]);
	EXPECT_EQ(0, self->t.reap_freed[1]);
	EXPECT_EQ(15, self->t.reap_drained[2]);
	EXPECT_EQ(1, self->t.reap_freed[2]);
	EXPECT_EQ(1, ts_stat(CACHE, "reaped"));
	EXPECT_EQ(ts_stat(CACHE, "reaped"), self->t.reaped);
	/* Left: S2, with its last 15 objects in the shared array. */
	EXPECT_EQ(1, ts_stat(CACHE, "num_slabs"));
	EXPECT_EQ(15, ts_stat(CACHE, "active_objs"));
	ASSERT_EQ(0, ts_node(CACHE, 0, &n));
	EXPECT_EQ(15, n.shared_avail);
}

TEST_F(traced, every_event_ran_on_the_pinned_cpu)
{
	/* 186 allocs, 186 frees, 4 refills, 2 grows, 2 flushes, 3 reaps */
	EXPECT_EQ(186 + 186 + 4 + 2 + 2 + 3, self->t.lines);
	EXPECT_EQ(0, self->t.wrong_cpu);
}

/*
 * The bulk calls: alloc-bulk 121 walks the allocations of the script's
 * first four steps, free-bulk 121 the frees of its first free-all.
 */
static const char * const bulk_script[] = {
	"alloc-bulk 121", "free-bulk 121",
};

FIXTURE(traced_bulk) {
	struct tally t;
	bool enabled;
};

FIXTURE_SETUP(traced_bulk)
{
	trace_steps(_metadata, bulk_script, ARRAY_SIZE(bulk_script), &self->t,
		    &self->enabled);
}

FIXTURE_TEARDOWN(traced_bulk)
{
	untrace(self->enabled);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
}

TEST_F(traced_bulk, bulk_calls_fire_one_event_per_object)
{
	int i, j, allocs;

	/* Hits 15 + 47 + 56, a miss per refill; 117 + 3 hits, one miss. */
	EXPECT_EQ(118, self->t.alloc_hit);
	EXPECT_EQ(3, self->t.alloc_miss);
	EXPECT_EQ(120, self->t.free_hit);
	EXPECT_EQ(1, self->t.free_miss);
	EXPECT_EQ(ts_stat(CACHE, "allochit"), self->t.alloc_hit);
	EXPECT_EQ(ts_stat(CACHE, "freehit"), self->t.free_hit);
	/* Each of the 121 objects freed once was allocated once. */
	ASSERT_EQ(121, self->t.nr_alloc_ptrs);
	ASSERT_EQ(121, self->t.nr_free_ptrs);
	for (i = 0; i < self->t.nr_free_ptrs; i++) {
		allocs = 0;
		for (j = 0; j < self->t.nr_alloc_ptrs; j++)
			allocs += !strcmp(self->t.free_ptrs[i],
					  self->t.alloc_ptrs[j]);
		EXPECT_EQ(1, allocs) {
			TH_LOG("ptr=%s", self->t.free_ptrs[i]);
		}
	}
}

TEST_F(traced_bulk, bulk_calls_refill_grow_and_flush_as_single_calls)
{
	/* 16 and 60 from new slabs, 48 from S1; one flush of 60 to shared */
	EXPECT_EQ(3, self->t.refill_lines);
	EXPECT_EQ(16 + 60, self->t.refill_grow);
	EXPECT_EQ(48, self->t.refill_partial);
	EXPECT_EQ(2, self->t.grow);
	EXPECT_EQ(1, self->t.flush_shared);
	EXPECT_EQ(60, self->t.flush_sum);
	EXPECT_EQ(121 + 121 + 3 + 2 + 1, self->t.lines);
	EXPECT_EQ(0, self->t.wrong_cpu);
}

TS_HARNESS_MAIN
