/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driving one toyslab cache from a selftest: create it, run 'ctl'
 * commands on a chosen CPU, and read its debugfs files back as numbers.
 *
 * Every function returns 0 or a negative errno, or the value it read; a
 * file that cannot be read or parsed is a test failure, reported by the
 * caller's ASSERT on the returned value.
 */
#ifndef _TOYSLAB_CACHE_UTIL_H
#define _TOYSLAB_CACHE_UTIL_H

#include "util.h"

/* One row of caches/NAME/cpus. */
struct cpu_row {
	long cpu, avail, limit, batchcount, touched;
	long allochit, allocmiss, freehit, freemiss;
};

/* One row of caches/NAME/nodes. */
struct node_row {
	long node, partial, full, free, free_objects, free_limit;
	long shared_avail, shared_limit;
};

static inline void ts_cache_path(char *path, size_t size, const char *cache,
				 const char *file)
{
	snprintf(path, size, TOYSLAB_DIR "/caches/%s/%s", cache, file);
}

/* Run one 'ctl' command on @cache from this task's CPU. */
static inline int ts_ctl(const char *cache, const char *fmt, ...)
{
	char path[256], cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ts_cache_path(path, sizeof(path), cache, "ctl");
	return ts_write(path, cmd);
}

static inline int ts_control(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return ts_write(TOYSLAB_DIR "/control", cmd);
}

/* The value of "@key value" in a name/value file; -ENOENT if absent. */
static inline long ts_keyed(const char *cache, const char *file,
			    const char *key)
{
	char path[256], buf[4096], *line;
	size_t klen = strlen(key);

	ts_cache_path(path, sizeof(path), cache, file);
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return strtol(line + klen + 1, NULL, 10);
	return -ENOENT;
}

static inline long ts_stat(const char *cache, const char *name)
{
	return ts_keyed(cache, "stats", name);
}

/* The string value of @key in caches/NAME/layout. */
static inline int ts_layout_str(const char *cache, const char *key,
				char *out, size_t size)
{
	char path[256], buf[4096], *line;
	size_t klen = strlen(key);

	ts_cache_path(path, sizeof(path), cache, "layout");
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			snprintf(out, size, "%s", line + klen + 1);
			return 0;
		}
	}
	return -ENOENT;
}

/* Row @cpu of caches/NAME/cpus. */
static inline int ts_cpu(const char *cache, int cpu, struct cpu_row *r)
{
	char path[256], buf[16384], *line;

	ts_cache_path(path, sizeof(path), cache, "cpus");
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%ld %ld %ld %ld %ld %ld %ld %ld %ld",
			   &r->cpu, &r->avail, &r->limit, &r->batchcount,
			   &r->touched, &r->allochit, &r->allocmiss,
			   &r->freehit, &r->freemiss) == 9 && r->cpu == cpu)
			return 0;
	}
	return -ENOENT;
}

/* Row @node of caches/NAME/nodes. */
static inline int ts_node(const char *cache, int node, struct node_row *r)
{
	char path[256], buf[4096], *line;

	ts_cache_path(path, sizeof(path), cache, "nodes");
	if (ts_read(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%ld %ld %ld %ld %ld %ld %ld %ld",
			   &r->node, &r->partial, &r->full, &r->free,
			   &r->free_objects, &r->free_limit, &r->shared_avail,
			   &r->shared_limit) == 8 && r->node == node)
			return 0;
	}
	return -ENOENT;
}

/* Objects 'ctl' holds for @cache: the lines of 'held' after its header. */
static inline long ts_held(const char *cache)
{
	char path[256], *buf, *p;
	long lines = -1;

	buf = malloc(1 << 20);
	if (!buf)
		return -ENOMEM;
	ts_cache_path(path, sizeof(path), cache, "held");
	if (ts_read(path, buf, 1 << 20) >= 0)
		for (lines = 0, p = buf; (p = strchr(p, '\n')); p++)
			lines++;
	free(buf);
	return lines - 1;
}

/*
 * Pages held by all toyslab slabs (debugfs 'pages'), once toyslab's kmalloc
 * classes have given back what they hold free.  Other tests' caches leave
 * objects in them (off-slab freelists, kmalloc_test), free in their arrays
 * and slabs until the reaper gets round to them: without the shrink, the
 * count would say when it last ran, not what a test left behind.
 */
static inline long ts_pages(void)
{
	/* Room for any directory entry's name, which readdir() may give. */
	char path[sizeof(TOYSLAB_DIR "/caches//ctl") + NAME_MAX], buf[64];
	struct dirent *d;
	DIR *dir;

	dir = opendir(TOYSLAB_DIR "/caches");
	while (dir && (d = readdir(dir))) {
		if (strncmp(d->d_name, "kmalloc-", 8) &&
		    strncmp(d->d_name, "dma-kmalloc-", 12))
			continue;
		ts_cache_path(path, sizeof(path), d->d_name, "ctl");
		ts_write(path, "shrink");
	}
	if (dir)
		closedir(dir);

	if (ts_read(TOYSLAB_DIR "/pages", buf, sizeof(buf)) < 0)
		return -ENOENT;
	return strtol(buf, NULL, 10);
}

/*
 * A test cache: reaper stopped so that counters only move when the test
 * moves them, and its name unique per test.
 */
static inline int ts_cache_create(const char *name, const char *args)
{
	int ret = ts_write(TOYSLAB_DIR "/reap_interval_ms", "0");

	if (ret)
		return ret;
	return ts_control("create %s %s", name, args);
}

/* Free what 'ctl' holds, then destroy; for fixture teardowns. */
static inline int ts_cache_destroy(const char *name)
{
	ts_ctl(name, "free-all");
	return ts_control("destroy %s", name);
}

/*
 * FIXTURE(@fixture), whose every test gets the cache @name fresh from
 * ts_cache_create(@name, @args), the reaper stopped, and runs on CPU 0;
 * self->ncpus is how many CPUs are online.  The teardown goes back to
 * CPU 0 (a test may have moved) and destroys the cache with whatever
 * 'ctl' still holds, also after a failed test.  Include
 * kselftest_harness.h first.
 */
#define TS_CACHE_FIXTURE(fixture, name, args)				\
	FIXTURE(fixture) {						\
		int ncpus;						\
	};								\
									\
	FIXTURE_SETUP(fixture)						\
	{								\
		self->ncpus = ts_online_cpus();				\
		ts_cache_destroy(name);					\
		ASSERT_EQ(0, ts_cache_create(name, args));		\
		ASSERT_EQ(0, ts_pin(0));				\
	}								\
									\
	FIXTURE_TEARDOWN(fixture)					\
	{								\
		ts_pin(0);						\
		EXPECT_EQ(0, ts_cache_destroy(name));			\
	}

/*
 * FIXTURE(cache64), for the programs that count the paths of one 64-byte
 * cache exactly, after #define CACHE "its name": SLAB's tunables for 64
 * bytes, 64 objects an order-0 slab, limit 120, batchcount (120 + 1) / 2
 * = 60, and a shared array of 8 batches, 480 objects.
 */
#define TS_CACHE64_FIXTURE	TS_CACHE_FIXTURE(cache64, CACHE, "64")

#endif /* _TOYSLAB_CACHE_UTIL_H */
