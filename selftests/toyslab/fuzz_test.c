// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed writes, by the ten thousand, to every writable debugfs file:
 * control, slabinfo, reap_interval_ms, memalloc_socks, fail/ and the
 * ctl of a cache.  Each must be refused with EINVAL and change nothing;
 * the kernel log must show no trouble.
 *
 * The writes come from a seeded PRNG, so a failure can be replayed, and
 * from generators that cannot produce a valid command: a random write
 * that happened to be valid could destroy, create or retune something.
 * Each generator says why its output is invalid.  One write is one
 * command (cmd.h: read_cmd()), so a command split over several
 * write()s is several commands: the splits are chosen so that each piece
 * is itself malformed, or "harmless", i.e. sets a knob to the value it
 * already has.
 *
 * The cache: 64 bytes, no debug flag (so that every provocation verb is
 * refused), 5 objects held, the reaper stopped, no free slab for the
 * shrinker to take: nothing moves unless a write moves it.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"
#include "kmsg.h"

#include <limits.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define CACHE		"fuzz64"
#define SEED		0x70b51abULL
/* Writes per file: by one writer, then by each CPU's writer at once. */
#define SERIAL_WRITES	10000
#define PARALLEL_WRITES	2500
#define MAX_PIECES	4
#define BUF_MAX		65536
#define SNAP_MAX	(256 << 10)

enum kind { K_CONTROL, K_SLABINFO, K_KNOB, K_FAILCACHE, K_CTL };

struct target {
	const char *path;	/* under TOYSLAB_DIR */
	enum kind kind;
	long min, max;		/* a knob's valid range */
	const char *now;	/* its value: writing it again is harmless */
};

#define KNOB(p, lo, hi, v) \
	{ .path = p, .kind = K_KNOB, .min = lo, .max = hi, .now = v }

static const struct target targets[] = {
	{ .path = "control", .kind = K_CONTROL },
	{ .path = "slabinfo", .kind = K_SLABINFO },
	KNOB("reap_interval_ms", 0, 3600000, "0"),
	KNOB("memalloc_socks", 0, 1, "0"),
	KNOB("fail/probability", 0, 100, "0"),
	KNOB("fail/interval", 1, INT_MAX, "1"),
	KNOB("fail/times", -1, INT_MAX, "1"),
	KNOB("fail/space", 0, INT_MAX, "0"),
	KNOB("fail/verbose", 0, 2, "0"),
	KNOB("fail/ignore-gfp-wait", 0, 1, "0"),
	KNOB("fail/page-probability", 0, 100, "0"),
	{ .path = "fail/cache", .kind = K_FAILCACHE, .now = "*" },
	{ .path = "caches/" CACHE "/ctl", .kind = K_CTL },
};

#define NR_TARGETS	ARRAY_SIZE(targets)

/* Valid commands, never written whole: cut, NUL-spiked or padded. */
static const char * const valid_ctl[] = {
	"alloc 1", "alloc 1000", "free 1", "free-all", "shrink", "drain",
	"reap", "mark-pfmemalloc", "alloc 2 gfp=atomic,zero node=0",
	"free 5", "alloc 3 gfp=nowait", "alloc-bulk 1024",
	"alloc-bulk 2 gfp=atomic,zero", "free-bulk 5",
};

static const char * const valid_control[] = {
	"create fz 64", "create fz 64 align=8 flags=poison,red_zone",
	"destroy " CACHE, "create fz 4194304", "create fz 8 flags=ctor",
};

static const char * const valid_slabinfo[] = {
	CACHE " 1 1 0", CACHE " 120 60 8", CACHE " 2048 2048 64",
	CACHE " 54 27 0",
};

static const char * const valid_knob[] = { "0", "1", "2", "100", "7\n" };
static const char * const valid_failcache[] = { "*", CACHE, "other_cache" };

/* xorshift64*: small, and the same sequence on every machine. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static unsigned int below(uint64_t *s, unsigned int n)
{
	return next(s) % n;
}

/* One generated command: 1 to MAX_PIECES write()s and what each gets. */
struct gen {
	char buf[BUF_MAX];
	size_t len;
	int nr;
	size_t off[MAX_PIECES], size[MAX_PIECES];
	int expect[MAX_PIECES];
	const char *family;
};

static void put(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(g->buf + g->len, BUF_MAX - g->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		g->len += (size_t)n < BUF_MAX - g->len ? (size_t)n :
			  BUF_MAX - 1 - g->len;
}

/* The whole buffer as one write(), refused. */
static void one(struct gen *g)
{
	g->nr = 1;
	g->off[0] = 0;
	g->size[0] = g->len;
	g->expect[0] = -EINVAL;
}

static void piece(struct gen *g, size_t off, size_t size, int expect)
{
	g->off[g->nr] = off;
	g->size[g->nr] = size;
	g->expect[g->nr] = expect;
	g->nr++;
}

static const char *pick(uint64_t *s, const char * const *list, size_t nr)
{
	return list[below(s, nr)];
}

static const char *valid_for(uint64_t *s, const struct target *t)
{
	switch (t->kind) {
	case K_CONTROL:
		return pick(s, valid_control, ARRAY_SIZE(valid_control));
	case K_SLABINFO:
		return pick(s, valid_slabinfo, ARRAY_SIZE(valid_slabinfo));
	case K_KNOB:
		return pick(s, valid_knob, ARRAY_SIZE(valid_knob));
	case K_FAILCACHE:
		return pick(s, valid_failcache, ARRAY_SIZE(valid_failcache));
	default:
		return pick(s, valid_ctl, ARRAY_SIZE(valid_ctl));
	}
}

/* @n random characters from @set. */
static void put_chars(struct gen *g, uint64_t *s, const char *set, int n)
{
	size_t len = strlen(set);

	while (n-- > 0 && g->len + 1 < BUF_MAX)
		g->buf[g->len++] = set[below(s, len)];
	g->buf[g->len] = '\0';
}

#define DIGITS	"0123456789"
#define LOWER	"abcdefghijklmnopqrstuvwxyz"
#define UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define NAMECH	LOWER UPPER DIGITS "_-"
/* Printable, but never in a cache name. */
#define NONAME	".,/:;!?#%&()[]{}<>@~'\"|\\^`$+"

/* A decimal above INT_MAX: 11 to 40 digits, the first not 0. */
static void put_huge(struct gen *g, uint64_t *s)
{
	put_chars(g, s, "123456789", 1);
	put_chars(g, s, DIGITS, 10 + below(s, 30));
}

/* Not a non-negative decimal, nor "-1": what parse_uint() refuses. */
static void put_not_uint(struct gen *g, uint64_t *s)
{
	switch (below(s, 6)) {
	case 0:		/* "-" then anything but "1" */
		put(g, "-%u", 2 + below(s, 1000000));
		break;
	case 1:
		put(g, "+%u", below(s, 1000));
		break;
	case 2:
		put(g, "0x%x", below(s, 1000));
		break;
	case 3:		/* digits then a letter */
		put(g, "%u", below(s, 1000));
		put_chars(g, s, LOWER UPPER, 1);
		break;
	case 4:
		put(g, "%u.%u", below(s, 100), below(s, 100));
		break;
	default:
		put_chars(g, s, LOWER UPPER NONAME, 1 + below(s, 8));
		break;
	}
}

/* Not a positive decimal at most 1000000 (CMD_ALLOC_MAX), nor <= 5 held. */
static void put_bad_count(struct gen *g, uint64_t *s)
{
	switch (below(s, 3)) {
	case 0:
		put(g, "0");
		break;
	case 1:
		put_chars(g, s, "123456789", 1);	/* >= 10^7 */
		put_chars(g, s, DIGITS, 7 + below(s, 30));
		break;
	default:
		put_not_uint(g, s);
		break;
	}
}

/* Family 0: random bytes, at least one of them a control character. */
static void gen_bytes(struct gen *g, uint64_t *s)
{
	/* Not printable to the kernel's isprint(), and not '\n'. */
	static const unsigned char ctrl[] = {
		0x00, 0x01, 0x07, 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f,
		0x7f, 0x80, 0x85, 0x9b, 0x9f,
	};
	size_t i, len = 1 + below(s, 128);

	for (i = 0; i < len; i++)
		g->buf[i] = next(s) >> 56;
	g->buf[below(s, len)] = ctrl[below(s, sizeof(ctrl))];
	g->len = len;
	g->family = "random bytes";
	one(g);
}

/* Family 1: a valid command padded past CMD_MAX (160). */
static void gen_long(struct gen *g, uint64_t *s, const struct target *t)
{
	size_t len = below(s, 8) ? 161 + below(s, 200) : 161 + below(s, BUF_MAX - 162);

	put(g, "%s", valid_for(s, t));
	while (g->len < len)
		g->buf[g->len++] = below(s, 2) ? ' ' : '0';
	g->buf[g->len] = '\0';
	g->family = "overlong";
	one(g);
}

/* A knob value outside [t->min, t->max], or no number at all. */
static void put_bad_knob(struct gen *g, uint64_t *s, const struct target *t)
{
	unsigned int how = below(s, 4);

	if (how == 0)
		put_huge(g, s);
	else if (how == 1 && t->max < INT_MAX)
		put(g, "%ld", t->max + 1 + below(s, INT_MAX - t->max));
	else if (how == 2 && t->min > 0)
		put(g, "%ld", t->min - 1);
	else
		put_not_uint(g, s);
}

/* Family 2: numbers out of range, negative, huge or not decimal. */
static void gen_number(struct gen *g, uint64_t *s, const struct target *t)
{
	unsigned int field;

	g->family = "bad number";
	switch (t->kind) {
	case K_CONTROL:		/* a bad size, or a bad alignment */
		if (below(s, 2)) {
			put(g, "create fz%u ", below(s, 1000));
			put_bad_count(g, s);	/* 0, or >= 10^7 > 4 MiB */
		} else {
			static const char * const align[] = {
				"3", "6", "12", "100", "8192", "65536", "-8",
				"0x40", "4095",
			};
			put(g, "create fz%u 64 align=%s", below(s, 1000),
			    pick(s, align, ARRAY_SIZE(align)));
		}
		break;
	case K_SLABINFO:	/* one of the three tunables wrong */
		field = below(s, 3);
		put(g, CACHE);
		if (field == 0) {
			put(g, " ");
			if (below(s, 2))
				put(g, "%u", below(s, 2) ? 0 : 2049 + below(s, 100000));
			else
				put_not_uint(g, s);
			put(g, " 1 0");
		} else if (field == 1) {	/* 0, above limit, or junk */
			unsigned int limit = 1 + below(s, 2048);

			put(g, " %u ", limit);
			if (below(s, 2))
				put(g, "%u", below(s, 2) ? 0 : limit + 1 + below(s, 1000));
			else
				put_huge(g, s);
			put(g, " 0");
		} else {
			put(g, " 120 60 ");
			if (below(s, 2))
				put(g, "%u", 65 + below(s, 100000));
			else
				put_not_uint(g, s);
		}
		break;
	case K_KNOB:
		put_bad_knob(g, s, t);
		if (!below(s, 4))
			put(g, "\n");
		break;
	case K_FAILCACHE:	/* a number is a name: make it too long */
		put_chars(g, s, DIGITS, 32 + below(s, 60));
		break;
	default:
		switch (below(s, 6)) {
		case 0:
			put(g, below(s, 2) ? "alloc " : "alloc-bulk ");
			put_bad_count(g, s);
			break;
		case 1:
			put(g, below(s, 2) ? "free " : "free-bulk ");
			put_bad_count(g, s);
			break;
		case 4:		/* above CMD_BULK_MAX, within CMD_ALLOC_MAX */
			put(g, "alloc-bulk %u", 1025 + below(s, 1000000 - 1024));
			break;
		case 5:		/* more than the 5 held */
			put(g, "free-bulk %u", 6 + below(s, 1019));
			break;
		case 2:		/* node: huge or junk, never a node id */
			put(g, "alloc 1 node=");
			if (below(s, 2))
				put_huge(g, s);
			else
				put_not_uint(g, s);
			break;
		default:
			put(g, "alloc %s", below(s, 2) ? "-1" : "4294967296");
			break;
		}
		break;
	}
	one(g);
}

/* Family 3: unknown commands and words. */
static void gen_unknown(struct gen *g, uint64_t *s, const struct target *t)
{
	int args = below(s, 6), i;

	g->family = "unknown command";
	switch (t->kind) {
	case K_SLABINFO:	/* a name no cache may have, or argc != 4 */
		if (below(s, 2)) {
			put_chars(g, s, NAMECH, 1 + below(s, 8));
			put_chars(g, s, NONAME, 1);
			put(g, " 120 60 8");
		} else {
			args = below(s, 2) ? 4 + below(s, 3) : below(s, 3);
			put_chars(g, s, NAMECH, 1 + below(s, 8));
			for (i = 0; i < args; i++)
				put(g, " %u", below(s, 100));
		}
		break;
	case K_KNOB:		/* letters */
		put_chars(g, s, LOWER UPPER NONAME, 1 + below(s, 12));
		break;
	case K_FAILCACHE:	/* a character no name has, or two names */
		put_chars(g, s, NAMECH, below(s, 8));
		put_chars(g, s, NONAME, 1);
		if (below(s, 2)) {
			put(g, " ");
			put_chars(g, s, NAMECH, 1 + below(s, 8));
		}
		break;
	default:		/* every verb is lower case */
		put_chars(g, s, UPPER, 1);
		put_chars(g, s, LOWER "-", below(s, 12));
		for (i = 0; i < args; i++) {
			put(g, " ");
			put_chars(g, s, NAMECH "=,", 1 + below(s, 10));
		}
		break;
	}
	one(g);
}

/* Family 4: arguments missing, or one too many. */
static void gen_missing(struct gen *g, uint64_t *s, const struct target *t)
{
	static const char * const ctl[] = {
		"alloc", "free", "free-wrong-cache", "alloc gfp=atomic",
		"free  ", "alloc node=0", "free-all now", "shrink 1",
		"drain all", "reap 1", "mark-pfmemalloc 1",
		"alloc 1 gfp=kernel node=0 a b c",
		"alloc 1 gfp=kernel gfp=atomic", "alloc 1 node=0 node=0",
		"alloc 1 gfp=", "alloc 1 gfp=kernel,atomic",
		"alloc 1 gfp=zero,zero", "alloc 1 gfp=bogus",
		"alloc-bulk", "free-bulk", "alloc-bulk gfp=atomic",
		"alloc-bulk 1 node=0", "free-bulk 1 2", "free-bulk  ",
		"alloc-bulk 1 gfp=zero,zero", "alloc-bulk 1 gfp=",
	};
	static const char * const control[] = {
		"create", "create fz", "destroy", "create 64",
		"destroy " CACHE " " CACHE, "create fz 64 align=8 align=8",
		"create fz 64 flags=", "create fz 64 flags=,",
		"create fz 64 flags=poison,poison", "create fz 64 flags=bogus",
		"create fz 64 bogus=1", "create fz 4 flags=ctor",
		"create fz 64 flags=ctor,ctor", "create a/b 64",
	};
	static const char * const slabinfo[] = {
		CACHE, CACHE " 1", CACHE " 1 1", CACHE " 1 1 0 0", "",
		"  ",
	};
	static const char * const knob[] = { "", " ", "\n", "  \n", "1 1" };
	static const char * const failcache[] = { "", " ", "\n", "* *" };

	g->family = "missing argument";
	switch (t->kind) {
	case K_CONTROL:
		put(g, "%s", pick(s, control, ARRAY_SIZE(control)));
		break;
	case K_SLABINFO:
		put(g, "%s", pick(s, slabinfo, ARRAY_SIZE(slabinfo)));
		break;
	case K_KNOB:
		put(g, "%s", pick(s, knob, ARRAY_SIZE(knob)));
		break;
	case K_FAILCACHE:
		put(g, "%s", pick(s, failcache, ARRAY_SIZE(failcache)));
		break;
	default:
		put(g, "%s", pick(s, ctl, ARRAY_SIZE(ctl)));
		break;
	}
	if (below(s, 4) == 0 && g->len)
		put(g, "\n");
	one(g);
}

/* Family 5: a valid command with a NUL in it (or after it). */
static void gen_nul(struct gen *g, uint64_t *s, const struct target *t)
{
	size_t at;

	put(g, "%s", valid_for(s, t));
	at = below(s, g->len + 1);
	memmove(g->buf + at + 1, g->buf + at, g->len - at + 1);
	g->buf[at] = '\0';
	g->len++;
	g->family = "embedded NUL";
	one(g);
}

/*
 * Family 6: a valid command split over 2 to 4 write()s, each refused or
 * harmless on its own:
 * - ctl and control: the first cut falls inside the verb, so no piece
 *   starts with a whole verb; the later pieces start with a verb's tail,
 *   an argument or a blank, which no verb is.
 * - slabinfo: the first cut falls between the name and the last word,
 *   so that no piece has all four words.
 * - knobs and fail/cache: the current value, then its newline, or a
 *   blank then the value: writing the value again changes nothing.
 */
static void gen_split(struct gen *g, uint64_t *s, const struct target *t)
{
	size_t first, cuts[MAX_PIECES + 1], verb;
	int n, i;

	g->family = "partial write";
	g->nr = 0;
	if (t->kind == K_KNOB || t->kind == K_FAILCACHE) {
		if (below(s, 2)) {
			put(g, "%s\n", t->now);
			piece(g, 0, g->len - 1, 0);
			piece(g, g->len - 1, 1, -EINVAL);
		} else {
			put(g, " %s", t->now);
			piece(g, 0, 1, -EINVAL);
			piece(g, 1, g->len - 1, 0);
		}
		return;
	}

	if (t->kind == K_CTL)
		put(g, "%s", pick(s, valid_ctl, ARRAY_SIZE(valid_ctl)));
	else if (t->kind == K_CONTROL)
		put(g, "%s", pick(s, valid_control, ARRAY_SIZE(valid_control)));
	else
		put(g, "%s", pick(s, valid_slabinfo, ARRAY_SIZE(valid_slabinfo)));

	verb = strcspn(g->buf, " ");
	if (t->kind == K_SLABINFO) {
		/* After the name, up to the last blank: at most 3 words. */
		size_t last = strrchr(g->buf, ' ') - g->buf;

		first = verb + 1 + below(s, last - verb);
	} else {
		/* Inside the verb. */
		first = 1 + below(s, verb - 1);
	}
	n = 2 + below(s, MAX_PIECES - 1);
	cuts[0] = 0;
	cuts[1] = first;
	for (i = 2; i < n; i++) {
		size_t from = cuts[i - 1] + 1;

		if (from >= g->len)
			break;
		cuts[i] = from + below(s, g->len - from);
	}
	n = i;
	cuts[n] = g->len;
	for (i = 0; i < n; i++)
		if (cuts[i + 1] > cuts[i])
			piece(g, cuts[i], cuts[i + 1] - cuts[i], -EINVAL);
}

#define NR_FAMILIES	7

static void generate(struct gen *g, uint64_t *s, const struct target *t,
		     unsigned int family)
{
	g->len = 0;
	g->buf[0] = '\0';
	switch (family % NR_FAMILIES) {
	case 0:
		gen_bytes(g, s);
		break;
	case 1:
		gen_long(g, s, t);
		break;
	case 2:
		gen_number(g, s, t);
		break;
	case 3:
		gen_unknown(g, s, t);
		break;
	case 4:
		gen_missing(g, s, t);
		break;
	case 5:
		gen_nul(g, s, t);
		break;
	default:
		gen_split(g, s, t);
		break;
	}
}

/* What one writer did to each file. */
struct tally {
	long writes[NR_TARGETS];
	long wrong;		/* writes that did not get what they should */
	char first_wrong[512];	/* the first of those, described */
};

static void describe(char *out, size_t size, const struct target *t,
		     const struct gen *g, int i, long ret)
{
	size_t j, at = 0, n = g->size[i] < 40 ? g->size[i] : 40;

	at += snprintf(out + at, size - at, "%s: %s, piece %d/%d of %zu bytes gave %ld, not %d: \"",
		       t->path, g->family, i + 1, g->nr, g->size[i], ret,
		       g->expect[i]);
	for (j = 0; j < n && at + 8 < size; j++) {
		unsigned char c = g->buf[g->off[i] + j];

		at += snprintf(out + at, size - at,
			       c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
	}
	snprintf(out + at, size - at, "%s\"", n < g->size[i] ? "..." : "");
}

/*
 * Write @per_file generated commands to every file, in turns; each
 * piece's result is checked.  Returns 0, or -errno if a file cannot be
 * opened.
 */
static int fuzz(uint64_t seed, long per_file, struct tally *tally)
{
	static struct gen g;
	int fd[NR_TARGETS];
	uint64_t s = seed;
	unsigned int i, round;
	char path[256];
	int p, ret = 0;

	for (i = 0; i < NR_TARGETS; i++) {
		snprintf(path, sizeof(path), TOYSLAB_DIR "/%s", targets[i].path);
		fd[i] = open(path, O_WRONLY);
		if (fd[i] < 0)
			ret = -errno;
	}
	for (round = 0; !ret; round++) {
		bool done = true;

		for (i = 0; i < NR_TARGETS; i++) {
			if (tally->writes[i] >= per_file)
				continue;
			done = false;
			/* Each family in turn, from a random start. */
			generate(&g, &s, &targets[i], round + i);
			for (p = 0; p < g.nr; p++) {
				ssize_t n = write(fd[i], g.buf + g.off[p],
						  g.size[p]);
				long got = n < 0 ? -errno :
					   (size_t)n == g.size[p] ? 0 : n;

				tally->writes[i]++;
				if (got == g.expect[p])
					continue;
				if (!tally->wrong++)
					describe(tally->first_wrong,
						 sizeof(tally->first_wrong),
						 &targets[i], &g, p, got);
			}
		}
		if (done)
			break;
	}
	for (i = 0; i < NR_TARGETS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return ret;
}

/* Everything a write to these files could change, as text. */
static void snapshot(char *buf, size_t size)
{
	static const char * const files[] = {
		"slabinfo", "reap_interval_ms", "memalloc_socks", "pages",
		"fail/probability", "fail/interval", "fail/times", "fail/space",
		"fail/verbose", "fail/ignore-gfp-wait", "fail/page-probability",
		"fail/cache", "caches/" CACHE "/stats", "caches/" CACHE "/cpus",
		"caches/" CACHE "/nodes", "caches/" CACHE "/layout",
		"caches/" CACHE "/held",
	};
	size_t len = 0, i;
	char path[256];
	long n;

	for (i = 0; i < ARRAY_SIZE(files) && len < size; i++) {
		snprintf(path, sizeof(path), TOYSLAB_DIR "/%s", files[i]);
		len += snprintf(buf + len, size - len, "== %s\n", files[i]);
		n = ts_read(path, buf + len, size - len);
		if (n > 0)
			len += n;
	}
	snprintf(buf + len, size - len, "== caches: %d entries\n",
		 ts_count_entries(TOYSLAB_DIR "/caches"));
}

/* The first line where @a and @b differ, for the failure message. */
static void log_first_difference(struct __test_metadata *_metadata,
				 const char *a, const char *b)
{
	size_t i = 0, start;

	while (a[i] && a[i] == b[i])
		i++;
	for (start = i; start && a[start - 1] != '\n'; start--)
		;
	TH_LOG("before: %.*s", (int)strcspn(a + start, "\n"), a + start);
	TH_LOG("after:  %.*s", (int)strcspn(b + start, "\n"), b + start);
}

FIXTURE(fuzz) {
	char reap_interval[32];
	struct kmsg log;
	char *before, *after;
};

FIXTURE_SETUP(fuzz)
{
	self->log.fd = -1;
	self->before = calloc(1, SNAP_MAX);
	self->after = calloc(1, SNAP_MAX);
	ASSERT_NE(NULL, self->before);
	ASSERT_NE(NULL, self->after);
	ASSERT_LT(0, ts_read(TOYSLAB_DIR "/reap_interval_ms",
			     self->reap_interval, sizeof(self->reap_interval)));
	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_pin(0));
	/* One partial slab, 11 objects in CPU 0's array, none free. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 5"));
	/* The knobs at the values the generators take as current. */
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/memalloc_socks", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/probability", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/interval", "1"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/times", "1"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/space", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/verbose", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/ignore-gfp-wait", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/page-probability", "0"));
	ASSERT_EQ(0, ts_write(TOYSLAB_DIR "/fail/cache", "*"));
	snapshot(self->before, SNAP_MAX);
	ASSERT_EQ(0, kmsg_mark(&self->log));
}

FIXTURE_TEARDOWN(fuzz)
{
	snapshot(self->after, SNAP_MAX);
	EXPECT_EQ(0, strcmp(self->before, self->after)) {
		log_first_difference(_metadata, self->before, self->after);
	}
	EXPECT_EQ(0, kmsg_read(&self->log));
	/* No trouble, and no report: no write reached a detector. */
	EXPECT_EQ(0, kmsg_trouble(&self->log));
	EXPECT_EQ(0, kmsg_count(&self->log, "toyslab:", false));
	if (!ts_passed(_metadata))
		kmsg_dump(&self->log, stderr);
	kmsg_close(&self->log);
	ts_pin(0);
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
	EXPECT_EQ(0, ts_write(TOYSLAB_DIR "/reap_interval_ms",
			      self->reap_interval));
	free(self->before);
	free(self->after);
}

TEST_F_TIMEOUT(fuzz, ten_thousand_malformed_writes_per_file_change_nothing, 600)
{
	static struct tally t;
	unsigned int i;
	long total = 0;

	ASSERT_EQ(0, fuzz(SEED, SERIAL_WRITES, &t));
	for (i = 0; i < NR_TARGETS; i++)
		total += t.writes[i];
	TH_LOG("%ld writes to %zu files", total, NR_TARGETS);
	for (i = 0; i < NR_TARGETS; i++) {
		EXPECT_LE(SERIAL_WRITES, t.writes[i]) {
			TH_LOG("%s", targets[i].path);
		}
	}
	EXPECT_EQ(0, t.wrong) {
		TH_LOG("%ld wrong, the first: %s", t.wrong, t.first_wrong);
	}
}

TEST_F_TIMEOUT(fuzz, one_writer_per_cpu_at_once_changes_nothing, 600)
{
	int ncpus = ts_online_cpus(), cpu, status;
	struct tally *t;
	pid_t pid;

	ASSERT_LT(0, ncpus);
	t = mmap(NULL, ncpus * sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	for (cpu = 0; cpu < ncpus; cpu++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			/* Another seed per writer: different writes at once. */
			_exit(ts_pin(cpu) ||
			      fuzz(SEED + 1 + cpu, PARALLEL_WRITES, &t[cpu]));
		}
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		unsigned int i;

		for (i = 0; i < NR_TARGETS; i++) {
			EXPECT_LE(PARALLEL_WRITES, t[cpu].writes[i]) {
				TH_LOG("cpu %d: %s", cpu, targets[i].path);
			}
		}
		EXPECT_EQ(0, t[cpu].wrong) {
			TH_LOG("cpu %d: %ld wrong, the first: %s", cpu,
			       t[cpu].wrong, t[cpu].first_wrong);
		}
	}
	munmap(t, ncpus * sizeof(*t));
}

TS_HARNESS_MAIN
