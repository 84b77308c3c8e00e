/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every toyslab selftest needs: read and write files (debugfs, /proc),
 * load and unload toyslab.ko, pin the test to a CPU, read /proc/meminfo
 * once memory has settled.
 *
 * Functions return 0 or a negative errno, or the value they read; the
 * caller's ASSERT on the returned value reports a failure.
 *
 * The module is found at $TOYSLAB_KO, default TS_MODULE_PATH (where the
 * project's VM puts it).  End a test program with TS_HARNESS_MAIN to skip
 * it the kselftest way (exit 4, KSFT_SKIP) where it cannot run.
 */
#ifndef _TOYSLAB_UTIL_H
#define _TOYSLAB_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../kselftest.h"

#define DEBUGFS_DIR	"/sys/kernel/debug"
#define DEBUGFS_MAGIC	0x64626720
#define TOYSLAB_DIR	DEBUGFS_DIR "/toyslab"
#define TS_MODULE_PATH	"/lib/toyslab/toyslab.ko"

/* Write @text to @path in one write(); 0 or -errno. */
static inline int ts_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, text, strlen(text));
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* printf-style ts_write(). */
static inline int ts_writef(const char *path, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ts_write(path, buf);
}

/* Read a whole file into @buf (NUL-terminated); length or -errno. */
static inline long ts_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t ret;

	if (fd < 0)
		return -errno;
	while (len + 1 < size && (ret = read(fd, buf + len, size - 1 - len)) > 0)
		len += ret;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Entries in directory @path, without . and ..; count or -errno. */
static inline int ts_count_entries(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	int count = 0;

	if (!dir)
		return -errno;
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			count++;
	closedir(dir);
	return count;
}

/* Field @name of /proc/meminfo, in kB; -ENOENT if absent. */
static inline long ts_meminfo_kb(const char *name)
{
	char buf[8192], *line;
	size_t len = strlen(name);

	if (ts_read("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, name, len) && line[len] == ':')
			return strtol(line + len + 1, NULL, 10);
	return -ENOENT;
}

/*
 * Free memory in kB, counting the pages on the per-CPU free lists: MemFree
 * leaves those out, and they hold up to pcp high pages per CPU (6928 on
 * the project's 1 GiB VM), so MemFree alone moves by megabytes from one
 * reading to the next.  -1 if a file cannot be read.
 */
static inline long ts_free_kb(void)
{
	char buf[65536], *p = buf;
	long pcp = 0;

	if (ts_read("/proc/zoneinfo", buf, sizeof(buf)) < 0)
		return -1;
	while ((p = strstr(p, "count:"))) {
		p += strlen("count:");
		pcp += strtol(p, &p, 10);
	}
	return ts_meminfo_kb("MemFree") + pcp * (getpagesize() / 1024);
}

/*
 * Whether the kernel has generic KASAN (the debug kernel), whose quarantine
 * holds freed slab memory back, up to 1/32 of RAM: there, free memory
 * does not come back at once and bounds on it do not hold.  That kernel
 * has kmemleak, which scripts/guest/check.sh runs after the tests instead.
 */
static inline bool ts_kasan(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " kasan_quarantine_put\n");
	fclose(f);
	return found;
}

/*
 * Let memory settle before reading /proc/meminfo: drop the kernel's
 * reclaimable caches (dentries, inodes of removed debugfs and sysfs
 * files), give RCU a second to run the frees it deferred, then have
 * every SLUB cache give back its empty slabs.  SLUB keeps some on its
 * per-CPU and node partial lists, up to a cache's min_partial: one
 * kmalloc-4k slab is 32 kB, so those alone move SUnreclaim by more than
 * a leak would.  Without SLUB (no /sys/kernel/slab) there is nothing to
 * shrink.
 */
static inline int ts_settle(void)
{
	int ret = ts_write("/proc/sys/vm/drop_caches", "3");
	DIR *dir;
	struct dirent *d;
	char path[512];

	sleep(1);
	dir = opendir("/sys/kernel/slab");
	if (!dir)
		return ret;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 d->d_name);
		ts_write(path, "1");
	}
	closedir(dir);
	return ret;
}

/* Move this task to @cpu. */
static inline int ts_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* Online CPUs, from /sys/devices/system/cpu/online ("0-3" or "0,2"). */
static inline int ts_online_cpus(void)
{
	char buf[256], *p = buf;
	int count = 0;

	if (ts_read("/sys/devices/system/cpu/online", buf, sizeof(buf)) < 0)
		return -ENOENT;
	while (*p && *p != '\n') {
		long a = strtol(p, &p, 10), b = a;

		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		count += b - a + 1;
		if (*p == ',')
			p++;
	}
	return count;
}

static inline const char *ts_module_path(void)
{
	const char *path = getenv("TOYSLAB_KO");

	return path && *path ? path : TS_MODULE_PATH;
}

static inline bool ts_loaded(void)
{
	return !access("/sys/module/toyslab", F_OK);
}

/* insmod toyslab.ko with @params ("" for none); 0 or -errno. */
static inline int ts_load(const char *params)
{
	int fd = open(ts_module_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* rmmod toyslab; 0 or -errno (-EWOULDBLOCK while a file is open). */
static inline int ts_unload(void)
{
	return syscall(SYS_delete_module, "toyslab", O_NONBLOCK) ? -errno : 0;
}

/* Load toyslab unless it is loaded already; 0 or -errno. */
static inline int ts_ensure_loaded(void)
{
	return ts_loaded() ? 0 : ts_load("");
}

/*
 * Why toyslab's tests cannot run here, or NULL if they can: they need
 * root, debugfs mounted, and toyslab loaded or its file to load.
 */
static inline const char *ts_unmet(void)
{
	struct statfs fs;

	if (geteuid())
		return "needs root";
	if (statfs(DEBUGFS_DIR, &fs) || fs.f_type != DEBUGFS_MAGIC)
		return "needs debugfs at " DEBUGFS_DIR;
	if (!ts_loaded() && access(ts_module_path(), R_OK))
		return "needs toyslab loaded, or $TOYSLAB_KO (default " TS_MODULE_PATH ")";
	return NULL;
}

/*
 * TEST_HARNESS_MAIN that, when ts_unmet(), skips the whole program the
 * kselftest way instead: a KTAP "1..0 # SKIP why" and exit 4 (KSFT_SKIP).
 * Otherwise it loads toyslab if it is not loaded, so that every test
 * starts with it loaded, in the VM (whose check loads it first) as in a
 * kernel tree's run_tests with $TOYSLAB_KO.
 */
#define TS_HARNESS_MAIN							\
	static void __attribute__((constructor)) ts_skip_unless_ready(void) \
	{								\
		const char *why = ts_unmet();				\
		int err;						\
									\
		if (why)						\
			ksft_exit_skip("%s\n", why);			\
		err = ts_ensure_loaded();				\
		if (err)						\
			ksft_exit_fail_msg("cannot load %s: %s\n",	\
					   ts_module_path(), strerror(-err)); \
	}								\
	TEST_HARNESS_MAIN

/*
 * The harness's verdict on the running test so far, for tests that print
 * more when they fail.  Linux 6.9's harness replaced _metadata->passed and
 * ->skip with ->exit_code, and added KSELFTEST_PRIO_XFAIL in the same
 * change.  Include kselftest_harness.h before this file.
 */
#ifdef KSELFTEST_PRIO_XFAIL
#define ts_passed(m)	__test_passed(m)
#define ts_skipped(m)	((m)->exit_code == KSFT_SKIP)
#else
#define ts_passed(m)	((m)->passed)
#define ts_skipped(m)	((m)->skip)
#endif

#endif /* _TOYSLAB_UTIL_H */
