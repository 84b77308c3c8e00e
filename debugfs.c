// SPDX-License-Identifier: GPL-2.0
/*
 * toyslab's debugfs interface: /sys/kernel/debug/toyslab/.
 */
#include <linux/debugfs.h>

#include "internal.h"

static struct dentry *toyslab_root;

int toyslab_debugfs_init(void)
{
	toyslab_root = debugfs_create_dir("toyslab", NULL);
	return PTR_ERR_OR_ZERO(toyslab_root);
}

void toyslab_debugfs_exit(void)
{
	debugfs_remove(toyslab_root);
}
