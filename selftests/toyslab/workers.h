/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests that fork random workers share (stress_test, chaos_test):
 * a clock, a seeded generator, and the way a worker tells its parent what
 * went wrong.  Each worker reports in memory that it shares with the
 * parent (mmap MAP_SHARED before fork()).
 */
#ifndef _TOYSLAB_WORKERS_H
#define _TOYSLAB_WORKERS_H

#include <stdint.h>
#include <time.h>

#include "util.h"

/* Results no operation may give: how many, and the first. */
struct ts_wrong {
	long count;
	char first[256];
};

static inline double ts_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64*: the same seed gives the same run of choices. */
static inline uint64_t ts_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline unsigned int ts_below(uint64_t *s, unsigned int n)
{
	return ts_next(s) % n;
}

static inline void ts_wrong(struct ts_wrong *w, const char *what, int ret)
{
	if (!w->count++)
		snprintf(w->first, sizeof(w->first), "%.200s gave %d", what,
			 ret);
}

/* Run on @cpu, or on CPU 0 while @cpu is offline. */
static inline void ts_move_to(int cpu)
{
	if (ts_pin(cpu))
		ts_pin(0);
}

/* Seconds from the environment variable @name, in 1..@max, else @def. */
static inline unsigned int ts_seconds(const char *name, unsigned int def,
				      unsigned int max)
{
	const char *env = getenv(name);
	long s = env ? strtol(env, NULL, 10) : def;

	if (s < 1)
		return def;
	return s > max ? max : s;
}

#endif /* _TOYSLAB_WORKERS_H */
