// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry points of toyslab.ko.
 */
#include <linux/module.h>

#include "internal.h"

static int __init toyslab_init(void)
{
	return toyslab_debugfs_init();
}
module_init(toyslab_init);

static void __exit toyslab_exit(void)
{
	toyslab_debugfs_exit();
}
module_exit(toyslab_exit);

MODULE_DESCRIPTION("The classic SLAB allocator, rebuilt as a module to learn from");
MODULE_LICENSE("GPL");
