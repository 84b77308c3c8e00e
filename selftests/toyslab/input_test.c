// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed writes to every writable debugfs file: each gets its errno
 * and changes nothing.
 */
#include "../kselftest_harness.h"
#include "cache_util.h"

#define CACHE	"input64"

struct bad_write {
	const char *text;
	int err;
};

/* Snapshot of everything a bad write could change. */
static void snapshot(char *buf, size_t size)
{
	char path[256];
	long len;

	len = ts_read(TOYSLAB_DIR "/slabinfo", buf, size);
	ts_cache_path(path, sizeof(path), CACHE, "cpus");
	ts_read(path, buf + len, size - len);
}

static int write_all(const char *path, const struct bad_write *t, int nr,
		     struct __test_metadata *_metadata)
{
	int i, failures = 0;

	for (i = 0; i < nr; i++) {
		int ret = ts_write(path, t[i].text);

		if (ret != t[i].err) {
			TH_LOG("%s: '%s' gave %d, not %d", path, t[i].text,
			       ret, t[i].err);
			failures++;
		}
	}
	return failures;
}

FIXTURE(cache64) {
	char before[32768], after[32768];
};

FIXTURE_SETUP(cache64)
{
	ts_cache_destroy(CACHE);
	ASSERT_EQ(0, ts_cache_create(CACHE, "64"));
	ASSERT_EQ(0, ts_pin(0));
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 5"));
	snapshot(self->before, sizeof(self->before));
}

FIXTURE_TEARDOWN(cache64)
{
	EXPECT_EQ(0, ts_cache_destroy(CACHE));
}

TEST_F(cache64, malformed_control_writes_are_refused)
{
	static const struct bad_write t[] = {
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "create", -EINVAL },
		{ "create x", -EINVAL },
		{ "create x 0", -EINVAL },
		{ "create x -1", -EINVAL },
		{ "create x 4194305", -EINVAL },
		{ "create x 99999999999999999999", -EINVAL },
		{ "create x 0x40", -EINVAL },
		{ "create x 64 align=3", -EINVAL },
		{ "create x 64 align=8192", -EINVAL },
		{ "create x 64 align=8 align=8", -EINVAL },
		{ "create x 64 flags=bogus", -EINVAL },
		{ "create x 64 flags=ctor,ctor", -EINVAL },
		{ "create x 4 flags=ctor", -EINVAL },
		{ "create x 64 flags=", -EINVAL },
		{ "create x 64 extra", -EINVAL },
		{ "create bad/name 64", -EINVAL },
		{ "create bad.name 64", -EINVAL },
		{ "create aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 64", -EINVAL },
		/* Latin-1 letters and blanks are not the grammar's ASCII. */
		{ "create caf\xe9 64", -EINVAL },
		{ "destroy\xa0" CACHE, -EINVAL },
		{ "create " CACHE " 64", -EEXIST },
		{ "destroy", -EINVAL },
		{ "destroy nosuch", -ENOENT },
		{ "destroy " CACHE " now", -EINVAL },
		{ "destroy " CACHE, -EBUSY },
		{ "CREATE x 64", -EINVAL },
		{ "create\tx\t64\x01", -EINVAL },
	};

	EXPECT_EQ(0, write_all(TOYSLAB_DIR "/control", t,
			       ARRAY_SIZE(t), _metadata));
	EXPECT_NE(0, access(TOYSLAB_DIR "/caches/x", F_OK));
	EXPECT_NE(0, access(TOYSLAB_DIR "/caches/caf\xe9", F_OK));
	snapshot(self->after, sizeof(self->after));
	EXPECT_STREQ(self->before, self->after);
}

TEST_F(cache64, malformed_ctl_writes_are_refused)
{
	static const struct bad_write t[] = {
		{ "", -EINVAL },
		{ "alloc", -EINVAL },
		{ "alloc 0", -EINVAL },
		{ "alloc -1", -EINVAL },
		{ "alloc 1000001", -EINVAL },
		{ "alloc 1 gfp=bogus", -EINVAL },
		{ "alloc 1 gfp=atomic,kernel", -EINVAL },
		{ "alloc 1 gfp=zero,zero", -EINVAL },
		{ "alloc 1 node=4096", -EINVAL },
		{ "alloc 1 node=-1", -EINVAL },
		{ "alloc 1 node=0 node=0", -EINVAL },
		{ "free", -EINVAL },
		{ "free 0", -EINVAL },
		{ "free 6", -EINVAL },		/* only 5 are held */
		{ "free 1 2", -EINVAL },
		{ "free-all now", -EINVAL },
		{ "shrink 1", -EINVAL },
		{ "drain x", -EINVAL },
		{ "reap 2", -EINVAL },
		{ "explode", -EINVAL },
		{ "alloc\xa0 1", -EINVAL },
		{ "alloc-bulk", -EINVAL },
		{ "alloc-bulk 0", -EINVAL },
		{ "alloc-bulk -1", -EINVAL },
		{ "alloc-bulk 1025", -EINVAL },	/* CMD_BULK_MAX is 1024 */
		{ "alloc-bulk 1 node=0", -EINVAL },	/* bulk takes no node */
		{ "alloc-bulk 1 gfp=bogus", -EINVAL },
		{ "alloc-bulk 1 gfp=kernel gfp=kernel", -EINVAL },
		{ "free-bulk", -EINVAL },
		{ "free-bulk 0", -EINVAL },
		{ "free-bulk 6", -EINVAL },	/* only 5 are held */
		{ "free-bulk 1 2", -EINVAL },
		{ "ALLOC-BULK 1", -EINVAL },
	};

	EXPECT_EQ(0, write_all(TOYSLAB_DIR "/caches/" CACHE "/ctl", t,
			       ARRAY_SIZE(t), _metadata));
	snapshot(self->after, sizeof(self->after));
	EXPECT_STREQ(self->before, self->after);
}

TEST_F(cache64, a_bulk_command_moves_at_most_1024_objects)
{
	/* 1025 held: only the bulk limit, CMD_BULK_MAX, refuses. */
	ASSERT_EQ(0, ts_ctl(CACHE, "alloc 1020"));
	ASSERT_EQ(1025, ts_held(CACHE));
	snapshot(self->before, sizeof(self->before));
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "free-bulk 1025"));
	EXPECT_EQ(-EINVAL, ts_ctl(CACHE, "alloc-bulk 1025"));
	snapshot(self->after, sizeof(self->after));
	EXPECT_STREQ(self->before, self->after);
	EXPECT_EQ(0, ts_ctl(CACHE, "free-bulk 1024"));
	EXPECT_EQ(1, ts_held(CACHE));
	EXPECT_EQ(0, ts_ctl(CACHE, "alloc-bulk 1024"));
	EXPECT_EQ(1025, ts_held(CACHE));
}

TEST_F(cache64, malformed_knob_writes_are_refused)
{
	static const struct bad_write interval[] = {
		{ "", -EINVAL }, { "-1", -EINVAL }, { "1e3", -EINVAL },
		{ "3600001", -EINVAL }, { "4294967296", -EINVAL },
		{ "1 2", -EINVAL },
	};
	static const struct bad_write memalloc[] = {
		{ "2", -EINVAL }, { "on", -EINVAL }, { "", -EINVAL },
	};
	char buf[64];

	EXPECT_EQ(0, write_all(TOYSLAB_DIR "/reap_interval_ms", interval,
			       ARRAY_SIZE(interval),
			       _metadata));
	EXPECT_EQ(0, write_all(TOYSLAB_DIR "/memalloc_socks", memalloc,
			       ARRAY_SIZE(memalloc),
			       _metadata));
	ASSERT_LT(0, ts_read(TOYSLAB_DIR "/reap_interval_ms", buf,
			     sizeof(buf)));
	EXPECT_STREQ("0\n", buf);
	ASSERT_LT(0, ts_read(TOYSLAB_DIR "/memalloc_socks", buf, sizeof(buf)));
	EXPECT_STREQ("0\n", buf);
}

TEST_F(cache64, overlong_and_nul_writes_are_refused)
{
	char big[4096];
	char path[256];
	int fd;

	memset(big, 'a', sizeof(big));
	fd = open(TOYSLAB_DIR "/control", O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, big, sizeof(big)));
	EXPECT_EQ(EINVAL, errno);
	/* An embedded NUL is not the end of the command. */
	EXPECT_EQ(-1, write(fd, "destroy " CACHE "\0x", 16));
	EXPECT_EQ(EINVAL, errno);
	close(fd);

	ts_cache_path(path, sizeof(path), CACHE, "ctl");
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "alloc 1\0", 8));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	snapshot(self->after, sizeof(self->after));
	EXPECT_STREQ(self->before, self->after);
}

/*
 * A command as long as the grammar allows: a 31-character name, a 7-digit
 * size, an option and every flag.  (Cache-line alignment drops the red
 * zone and the last user, which would not fit the 4 MiB slab: it is a
 * valid cache.)
 */
TEST(the_longest_valid_create_is_accepted)
{
	static const char name[] = "n234567890123456789012345678901";
	char cmd[256];

	ts_cache_destroy(name);
	snprintf(cmd, sizeof(cmd),
		 "create %s 4194280 align=8 flags=hwcache_align,reclaim_account,typesafe_by_rcu,poison,red_zone,store_user,ctor\n",
		 name);
	ASSERT_EQ(139, strlen(cmd));
	EXPECT_EQ(0, ts_control("%s", cmd));
	EXPECT_EQ(0, ts_control("destroy %s", name));
}

TS_HARNESS_MAIN
