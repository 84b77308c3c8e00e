// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry points of toyslab.ko, and its parameters.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/slab.h>

#include "internal.h"

/*
 * SLAB's slab_max_order= boot option: slabs stay at or below this order
 * unless an object does not fit.  -1 picks SLAB's default, 1 on machines
 * with more than 32 MiB.
 */
static int slab_max_order = -1;
module_param(slab_max_order, int, 0444);
MODULE_PARM_DESC(slab_max_order, "highest preferred slab order, 0-10 (default: -1, SLAB's choice)");

/* SLAB's noaliencache boot option, inverted. */
static bool alien_caches = true;
module_param(alien_caches, bool, 0444);
MODULE_PARM_DESC(alien_caches, "stage frees of remote objects in alien caches (default: on where there are several nodes)");

int toyslab_slab_max_order;
bool toyslab_use_alien_caches;

static int __init check_params(void)
{
	if (slab_max_order < -1 || slab_max_order > TOYSLAB_MAX_ORDER) {
		pr_err("toyslab: slab_max_order=%d is not in -1..%d\n",
		       slab_max_order, TOYSLAB_MAX_ORDER);
		return -EINVAL;
	}

	if (slab_max_order >= 0)
		toyslab_slab_max_order = slab_max_order;
	else if (totalram_pages() > (32 << 20) >> PAGE_SHIFT)
		toyslab_slab_max_order = SLAB_MAX_ORDER_HI;
	else
		toyslab_slab_max_order = SLAB_MAX_ORDER_LO;

	toyslab_use_alien_caches = alien_caches && num_possible_nodes() > 1;
	return 0;
}

static int __init toyslab_init(void)
{
	int err;

	err = check_params();
	if (err)
		return err;

	toyslab_slab_ext_cache = KMEM_CACHE(toyslab_slab_ext, 0);
	if (!toyslab_slab_ext_cache)
		return -ENOMEM;
	toyslab_debug_slab_ext_cache =
		kmem_cache_create("toyslab_slab_ext_debug",
				  sizeof(struct toyslab_slab_ext) +
				  BITS_TO_LONGS(SLAB_OBJ_MAX_NUM) *
				  sizeof(unsigned long),
				  __alignof__(struct toyslab_slab_ext), 0, NULL);
	if (!toyslab_debug_slab_ext_cache) {
		err = -ENOMEM;
		goto out_desc;
	}

	err = toyslab_slabmap_init();
	if (err)
		goto out_debug_desc;

	toyslab_reaper_init();
	/* Before debugfs, which could otherwise reach them half made. */
	err = toyslab_kmalloc_init();
	if (err)
		goto out_kmalloc;

	err = toyslab_debugfs_init();
	if (err)
		goto out_kmalloc;

	err = toyslab_cpuhp_init();
	if (err)
		goto out_debugfs;

	err = toyslab_shrinker_init();
	if (err)
		goto out_cpuhp;
	return 0;

out_cpuhp:
	toyslab_cpuhp_exit();
out_debugfs:
	toyslab_debugfs_exit();
out_kmalloc:
	toyslab_destroy_all();
	toyslab_slabmap_exit();
out_debug_desc:
	kmem_cache_destroy(toyslab_debug_slab_ext_cache);
out_desc:
	kmem_cache_destroy(toyslab_slab_ext_cache);
	return err;
}
module_init(toyslab_init);

static void __exit toyslab_exit(void)
{
	toyslab_shrinker_exit();
	/* toyslab_kfree_rcu() callbacks free into caches that must be there. */
	rcu_barrier();
	toyslab_ctl_kmalloc_release();
	toyslab_destroy_all();
	toyslab_kmalloc_exit();
	toyslab_cpuhp_exit();
	toyslab_debugfs_exit();
	/* SLAB_TYPESAFE_BY_RCU slabs may still be on their way out. */
	rcu_barrier();
	kmem_cache_destroy(toyslab_debug_slab_ext_cache);
	kmem_cache_destroy(toyslab_slab_ext_cache);
	toyslab_slabmap_exit();
}
module_exit(toyslab_exit);

MODULE_DESCRIPTION("The classic SLAB allocator of Linux 6.1, rebuilt as a module to learn from");
MODULE_LICENSE("GPL");
