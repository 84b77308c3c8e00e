// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab-top (tools/toyslab-top), run from here: its batch mode frame by
 * frame, and its keys fed through a pipe.
 *
 * The program is $TOYSLAB_TOP, default /usr/bin/toyslab-top (where the
 * project's VM puts it); without it the tests skip.  The cache is 64
 * bytes with SLAB's default tunables: 64 objects per slab, limit 120,
 * batchcount 60.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE		"top64"
#define OUT_MAX		(1024 * 1024)

static char out[OUT_MAX];

static const char *top_path(void)
{
	const char *path = getenv("TOYSLAB_TOP");

	return path && *path ? path : "/usr/bin/toyslab-top";
}

/* Run @cmd through sh; its output in out[], or -1 if it failed. */
static long run_cmd(const char *cmd)
{
	size_t len = 0, n;
	FILE *f = popen(cmd, "r");

	if (!f)
		return -1;
	while ((n = fread(out + len, 1, sizeof(out) - 1 - len, f)) > 0)
		len += n;
	out[len] = '\0';
	return pclose(f) ? -1 : (long)len;
}

/* Run toyslab-top with @args; its output in out[], or -1. */
static long run_top(const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s %s", top_path(), args);
	return run_cmd(cmd);
}

/* Lines of out[] that start with @prefix and contain @part. */
static int count_lines(const char *prefix, const char *part)
{
	size_t plen = strlen(prefix);
	char *p, *end;
	int nr = 0;

	for (p = out; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (!strncmp(p, prefix, plen) &&
		    memmem(p, end - p, part, strlen(part)))
			nr++;
	}
	return nr;
}

/* One row of a frame: the cache's counters, as toyslab-top prints them. */
struct row {
	char objects[32], slabs[32], rate[8];
	long refills, flushes, reaps;
};

/* The @nth (from 0) row of cache @name in out[]; 0 or -ENOENT. */
static int find_row(const char *name, int nth, struct row *r)
{
	char *p, *end, cache[64], mark;

	for (p = out; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (sscanf(p, "%c %63s %31s %31s %7s %ld %ld %ld", &mark, cache,
			   r->objects, r->slabs, r->rate, &r->refills,
			   &r->flushes, &r->reaps) == 8 &&
		    !strcmp(cache, name) && !nth--)
			return 0;
	}
	return -ENOENT;
}

FIXTURE(top) {
	char unused;
};

FIXTURE_SETUP(top)
{
	if (access(top_path(), X_OK))
		SKIP(return, "no toyslab-top at %s ($TOYSLAB_TOP)", top_path());
	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_pin(0));
}

FIXTURE_TEARDOWN(top)
{
	ts_pin(0);
	ts_cache_destroy(CACHE);
}

TEST_F(top, batch_mode_prints_n_frames_with_the_chosen_caches_views)
{
	char want[512];
	struct row r;
	int i;

	/* A skip in the setup does not stop the test. */
	if (ts_skipped(_metadata))
		return;
	/*
	 * The first alloc refills 16 (BATCHREFILL_LIMIT) from a new slab
	 * and hands one out: 16 objects of 64 active, one slab of one.
	 */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1"));
	ASSERT_LT(0, run_top("-n 2 -d 0.2 -c " CACHE));
	EXPECT_EQ(2, count_lines("toyslab-top: ", ", by name"));
	EXPECT_EQ(2, count_lines("> " CACHE " ", ""));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, find_row(CACHE, i, &r));
		EXPECT_STREQ("16/64", r.objects);
		EXPECT_STREQ("1/1", r.slabs);
		/* Nothing happened between the frames: no allocs, no rate. */
		EXPECT_STREQ("-", r.rate);
		EXPECT_EQ(0, r.refills);
		EXPECT_EQ(0, r.flushes);
		EXPECT_EQ(0, r.reaps);
	}
	/* The arrays: 15 objects of slab 0 on CPU 0, 0..14 bottom to top. */
	EXPECT_EQ(2, count_lines(CACHE ": arrays", ""));
	EXPECT_EQ(2, count_lines("cpu 0 avail 15 limit 120 batchcount 60 touched 1: 0:0 0:1 ",
				 " 0:14"));
	/* The map: 0..14 in the array, 15 allocated, 48 free. */
	EXPECT_EQ(2, count_lines(CACHE ": map", ""));
	snprintf(want, sizeof(want), "slab 0 node 0 partial %.15s%c%.48s",
		 "ccccccccccccccc", 'A',
		 "................................................");
	EXPECT_EQ(2, count_lines(want, ""));
}

TEST_F(top, frames_count_what_happened_since_the_last_one)
{
	long refills = 0, flushes = 0;
	char line[256];
	struct row r;
	FILE *f;
	int i;

	/* A skip in the setup does not stop the test. */
	if (ts_skipped(_metadata))
		return;
	/*
	 * Start it, wait for its first sample ("sampling" is printed right
	 * after), then allocate 16: one miss that refills 16, 15 hits.
	 * Whichever frames the allocations fall in, they count one refill
	 * in all, and no flush.
	 */
	snprintf(line, sizeof(line), "%s -n 2 -d 1 -c %s", top_path(), CACHE);
	f = popen(line, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_EQ(0, strncmp(line, "toyslab-top: sampling", 21));
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc 16"));
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	EXPECT_EQ(0, pclose(f));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, find_row(CACHE, i, &r));
		refills += r.refills;
		flushes += r.flushes;
	}
	EXPECT_EQ(1, refills);
	EXPECT_EQ(0, flushes);
	/* The last frame sees the 16 in the cache: one out, 15 in the array. */
	EXPECT_STREQ("16/64", r.objects);
}

TEST_F(top, keys_sort_and_quit)
{
	char cmd[256];

	/* A skip in the setup does not stop the test. */
	if (ts_skipped(_metadata))
		return;
	/*
	 * Keys from a pipe: the first frame is by name, 's' redraws it by
	 * objects, 'q' quits at once, well before the 10 s refresh.
	 */
	snprintf(cmd, sizeof(cmd), "(printf s; sleep 1; printf q) | %s -d 10",
		 top_path());
	ASSERT_LT(0, run_cmd(cmd));
	EXPECT_EQ(1, count_lines("\033[H\033[2Jtoyslab-top: ", "by name"));
	EXPECT_EQ(1, count_lines("\033[H\033[2Jtoyslab-top: ", "by objects"));
}

TS_HARNESS_MAIN
