// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab-top: a live view of toyslab's caches on a terminal.
 *
 * Usage: toyslab-top [-d SECONDS] [-c CACHE] [-n FRAMES]
 *
 * Every SECONDS (default 1) it reads each cache's debugfs 'stats' and
 * prints one line per cache with what happened since the last refresh,
 * then the per-CPU arrays and the map of one chosen cache (its debugfs
 * 'arrays' and 'map').  Keys: j or down and k or up pick a cache, s
 * changes the order, q quits.  With -n it prints FRAMES frames one
 * after the other, without escape sequences or keys, and exits: a batch
 * mode for scripts and tests.
 *
 * Static, like the selftests: the project's VM has no C library.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CACHES_DIR	"/sys/kernel/debug/toyslab/caches"
#define MAX_CACHES	256
#define NAME_MAX_LEN	32
#define TEXT_MAX	(1024 * 1024)
/* Lines a batch frame may have when it goes to a file or pipe. */
#define BATCH_LINES	4096

/* The counters of caches/NAME/stats that a frame shows. */
struct counters {
	long allochit, allocmiss, freemiss, reaped;
	long active_objs, num_objs, active_slabs, num_slabs;
};

struct cache {
	char name[NAME_MAX_LEN];
	struct counters now, before;
	bool seen_before;
};

enum order { BY_NAME, BY_OBJECTS, BY_REFILLS, BY_FLUSHES, NR_ORDERS };
static const char * const order_names[] = {
	"name", "objects", "refills", "flushes",
};

static struct cache caches[MAX_CACHES];
static int nr_caches;
static enum order order;
static char chosen[NAME_MAX_LEN];
static char text[TEXT_MAX];

/* A whole file into text[]; its length, or -1. */
static long read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f)
		return -1;
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	return len;
}

static long keyed(const char *key)
{
	size_t klen = strlen(key);
	char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtol(p + klen + 1, NULL, 10);
	return 0;
}

static int read_counters(const char *name, struct counters *c)
{
	char path[256];

	snprintf(path, sizeof(path), CACHES_DIR "/%s/stats", name);
	if (read_text(path) < 0)
		return -1;
	c->allochit = keyed("allochit");
	c->allocmiss = keyed("allocmiss");
	c->freemiss = keyed("freemiss");
	c->reaped = keyed("reaped");
	c->active_objs = keyed("active_objs");
	c->num_objs = keyed("num_objs");
	c->active_slabs = keyed("active_slabs");
	c->num_slabs = keyed("num_slabs");
	return 0;
}

static struct cache *find(struct cache *list, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

/*
 * Read every cache anew, keeping each one's previous counters so that a
 * frame shows what changed since the last refresh.  Caches created
 * since then count from zero.
 */
static void sample(void)
{
	static struct cache old[MAX_CACHES];
	int nr_old = nr_caches;
	struct dirent *de;
	DIR *dir;

	memcpy(old, caches, sizeof(old));
	nr_caches = 0;
	dir = opendir(CACHES_DIR);
	if (!dir)
		return;
	while ((de = readdir(dir)) && nr_caches < MAX_CACHES) {
		struct cache *c = &caches[nr_caches], *prev;

		size_t len = strlen(de->d_name);

		/* toyslab's names have at most 31 characters. */
		if (de->d_name[0] == '.' || len >= sizeof(c->name))
			continue;
		memset(c, 0, sizeof(*c));
		memcpy(c->name, de->d_name, len + 1);
		if (read_counters(c->name, &c->now))
			continue;
		prev = find(old, nr_old, c->name);
		if (prev)
			c->before = prev->now;
		nr_caches++;
	}
	closedir(dir);
}

static long refills(const struct cache *c)
{
	return c->now.allocmiss - c->before.allocmiss;
}

static long flushes(const struct cache *c)
{
	return c->now.freemiss - c->before.freemiss;
}

static int compare(const void *a, const void *b)
{
	const struct cache *x = a, *y = b;
	long diff = 0;

	switch (order) {
	case BY_OBJECTS:
		diff = y->now.active_objs - x->now.active_objs;
		break;
	case BY_REFILLS:
		diff = refills(y) - refills(x);
		break;
	case BY_FLUSHES:
		diff = flushes(y) - flushes(x);
		break;
	default:
		break;
	}
	if (diff)
		return diff > 0 ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Keep the chosen cache if it still exists, else take the first. */
static struct cache *chosen_cache(void)
{
	struct cache *c = find(caches, nr_caches, chosen);

	if (!c && nr_caches) {
		c = &caches[0];
		snprintf(chosen, sizeof(chosen), "%s", c->name);
	}
	return c;
}

static void move_choice(int step)
{
	struct cache *c = chosen_cache();
	int i;

	if (!c)
		return;
	i = c - caches + step;
	if (i >= 0 && i < nr_caches)
		snprintf(chosen, sizeof(chosen), "%s", caches[i].name);
}

static void print_cache(const struct cache *c, bool mark)
{
	long hits = c->now.allochit - c->before.allochit;
	long allocs = hits + refills(c);
	char objs[32], slabs[32], rate[8] = "-";

	snprintf(objs, sizeof(objs), "%ld/%ld", c->now.active_objs,
		 c->now.num_objs);
	snprintf(slabs, sizeof(slabs), "%ld/%ld", c->now.active_slabs,
		 c->now.num_slabs);
	if (allocs)
		snprintf(rate, sizeof(rate), "%ld", hits * 100 / allocs);
	printf("%c %-20s %13s %11s %5s %8ld %8ld %6ld\n", mark ? '>' : ' ',
	       c->name, objs, slabs, rate, refills(c), flushes(c),
	       c->now.reaped - c->before.reaped);
}

/* At most @max lines of @file of @cache, each cut to @width columns. */
static int print_view(const char *cache, const char *file, int max,
		      int width)
{
	char path[256], *p, *end;
	int lines = 0;

	snprintf(path, sizeof(path), CACHES_DIR "/%s/%s", cache, file);
	printf("%s: %s\n", cache, file);
	if (read_text(path) < 0) {
		printf("  (cannot read: %s)\n", strerror(errno));
		return 2;
	}
	for (p = text; *p && lines < max; p = end + (*end == '\n')) {
		end = strchrnul(p, '\n');
		printf("%.*s\n", (int)(end - p < width ? end - p : width), p);
		lines++;
	}
	if (*p)
		printf("  ...\n");
	return lines + 1 + !!*p;
}

static void frame(bool batch, int rows, int cols)
{
	struct cache *c;
	int i, left;

	qsort(caches, nr_caches, sizeof(caches[0]), compare);
	c = chosen_cache();
	if (!batch)
		printf("\033[H\033[2J");
	printf("toyslab-top: %d cache%s, by %s%s\n", nr_caches,
	       nr_caches == 1 ? "" : "s", order_names[order],
	       batch ? "" : "   j/k: pick  s: sort  q: quit");
	printf("  %-20s %13s %11s %5s %8s %8s %6s\n", "CACHE", "OBJECTS",
	       "SLABS", "HIT%", "REFILLS", "FLUSHES", "REAPS");
	for (i = 0; i < nr_caches; i++)
		print_cache(&caches[i], &caches[i] == c);
	if (!c)
		return;
	/* Half of what is left for the arrays, the rest for the map. */
	left = rows - nr_caches - 3;
	left -= print_view(c->name, "arrays", left > 8 ? left / 2 - 1 : 4, cols);
	print_view(c->name, "map", left > 5 ? left - 2 : 4, cols);
	fflush(stdout);
}

static struct termios saved;

static void raw_keys(void)
{
	struct termios t;

	if (tcgetattr(0, &saved))
		return;
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
}

static void restore_keys(void)
{
	tcsetattr(0, TCSANOW, &saved);
}

/* Wait up to @ms for a key; false to quit. */
static bool keys(int ms)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char buf[16];
	ssize_t n, i;

	if (poll(&pfd, 1, ms) <= 0)
		return true;
	n = read(0, buf, sizeof(buf));
	if (n <= 0)
		return false;
	for (i = 0; i < n; i++) {
		/* Arrow keys: ESC [ A (up), ESC [ B (down). */
		if (buf[i] == '\033' && i + 2 < n && buf[i + 1] == '[') {
			move_choice(buf[i + 2] == 'A' ? -1 : 1);
			i += 2;
		} else if (buf[i] == 'q') {
			return false;
		} else if (buf[i] == 'j') {
			move_choice(1);
		} else if (buf[i] == 'k') {
			move_choice(-1);
		} else if (buf[i] == 's') {
			order = (order + 1) % NR_ORDERS;
		}
	}
	return true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char usage_line[] =
	"usage: toyslab-top [-d SECONDS] [-c CACHE] [-n FRAMES]\n";

static void usage(void)
{
	fputs(usage_line, stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, frames = 0, rows = 24, cols = 80;
	double delay = 1, next;
	struct winsize ws;

	while ((opt = getopt(argc, argv, "c:d:n:")) != -1) {
		switch (opt) {
		case 'c':
			snprintf(chosen, sizeof(chosen), "%s", optarg);
			break;
		case 'd':
			delay = strtod(optarg, NULL);
			if (delay < 0.1 || delay > 3600)
				usage();
			break;
		case 'n':
			frames = atoi(optarg);
			if (frames < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	if (access(CACHES_DIR, R_OK)) {
		fprintf(stderr, "toyslab-top: %s: %s (is toyslab loaded?)\n",
			CACHES_DIR, strerror(errno));
		return 1;
	}
	if (!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		rows = ws.ws_row;
		cols = ws.ws_col;
	} else if (frames) {
		/* Batch output to a file or pipe: no screen to fit. */
		rows = BATCH_LINES;
		cols = TEXT_MAX;
	}

	/* The first sample is the base the first frame counts from. */
	sample();
	if (frames) {
		printf("toyslab-top: sampling every %g s\n", delay);
		fflush(stdout);
		while (frames--) {
			usleep(delay * 1e6);
			sample();
			frame(true, rows, cols);
			if (frames)
				printf("\n");
		}
		return 0;
	}

	raw_keys();
	next = now() + delay;
	for (;;) {
		double wait = next - now();

		if (wait <= 0) {
			sample();
			next = now() + delay;
			wait = delay;
		}
		frame(false, rows, cols);
		if (!keys(wait * 1000))
			break;
	}
	restore_keys();
	printf("\n");
	return 0;
}
