/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log since a mark, for tests that provoke toyslab's reports,
 * or must provoke no report at all.
 *
 * kmsg_mark() opens /dev/kmsg at its end; kmsg_read() then collects the
 * text of every record printed since, one record per line, without the
 * "prio,seq,time,flags;" prefix.  Counting lines by prefix or substring
 * tells how many reports a provocation gave.  /dev/kmsg rather than
 * klogctl(): its sequence numbers make "since the mark" exact even when
 * the ring buffer wraps, and a lost record is counted, not missed.
 */
#ifndef _TOYSLAB_KMSG_H
#define _TOYSLAB_KMSG_H

#include "util.h"

#include <stdlib.h>

/* Enough for every record a test prints; more is kept out and counted. */
#define KMSG_TEXT_MAX	(1024 * 1024)

struct kmsg {
	int fd;
	char *text;		/* the records since the mark, one per line */
	size_t len;
	long lost;		/* overwritten before read, or beyond KMSG_TEXT_MAX */
};

static inline void kmsg_close(struct kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->text);
	k->fd = -1;
	k->text = NULL;
	k->len = 0;
}

/* Start (or restart) collecting at the end of the log; 0 or -errno. */
static inline int kmsg_mark(struct kmsg *k)
{
	if (k->text)
		kmsg_close(k);
	k->len = 0;
	k->lost = 0;
	k->text = calloc(1, KMSG_TEXT_MAX);
	if (!k->text)
		return -ENOMEM;
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	return lseek(k->fd, 0, SEEK_END) < 0 ? -errno : 0;
}

/* Append the records printed since the last read; 0 or -errno. */
static inline int kmsg_read(struct kmsg *k)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(k->fd, rec, sizeof(rec) - 1);
		char *text, *end;
		size_t len;

		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0 && errno == EPIPE) {
			k->lost++;
			continue;
		}
		if (n < 0)
			return -errno;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;text\n" then " KEY=value" lines */
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		end = strchr(text, '\n');
		len = end ? (size_t)(end - text) : strlen(text);
		if (k->len + len + 2 > KMSG_TEXT_MAX) {
			k->lost++;
			continue;
		}
		memcpy(k->text + k->len, text, len);
		k->len += len;
		k->text[k->len++] = '\n';
		k->text[k->len] = '\0';
	}
}

/* Lines since the mark that start with @prefix (@anywhere: contain it). */
static inline int kmsg_count(const struct kmsg *k, const char *needle,
			     bool anywhere)
{
	const char *line = k->text;
	size_t nlen = strlen(needle);
	int count = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (anywhere ? !!memmem(line, len, needle, nlen) :
		    len >= nlen && !memcmp(line, needle, nlen))
			count++;
		line = end ? end + 1 : NULL;
	}
	return count;
}

/*
 * toyslab's report lines, "toyslab: NAME: ...", without the hex dump and
 * stack lines of each report, which are indented ("toyslab:   ...").
 */
static inline int kmsg_toyslab_reports(const struct kmsg *k)
{
	return kmsg_count(k, "toyslab: ", false) -
	       kmsg_count(k, "toyslab:  ", false);
}

/*
 * Lines that show the kernel itself in trouble, in the words
 * scripts/console-scan.sh looks for; toyslab's reports never use them.
 */
static inline int kmsg_trouble(const struct kmsg *k)
{
	static const char * const words[] = {
		"BUG:", "WARNING:", "Oops", "Call Trace:", "Kernel panic",
		"soft lockup", "hard LOCKUP", "rcu: INFO:", "KASAN",
		"Out of memory", "oom-kill",
	};
	unsigned int i;
	int count = 0;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		count += kmsg_count(k, words[i], true);
	return count;
}

/* The collected lines, for a failure message. */
static inline void kmsg_dump(const struct kmsg *k, FILE *out)
{
	fprintf(out, "# kernel log since the mark (%ld lost):\n", k->lost);
	if (k->text && *k->text) {
		const char *line = k->text;

		while (*line) {
			const char *end = strchr(line, '\n');
			int len = end ? (int)(end - line) : (int)strlen(line);

			fprintf(out, "#   %.*s\n", len, line);
			if (!end)
				break;
			line = end + 1;
		}
	}
}

#endif /* _TOYSLAB_KMSG_H */
