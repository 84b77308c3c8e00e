/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toyslab - the classic SLAB allocator of Linux 6.1, rebuilt as a module.
 *
 * The public API mirrors kmem_cache_*(): any module can swap one for the
 * other.
 */
#ifndef _TOYSLAB_H
#define _TOYSLAB_H

#endif /* _TOYSLAB_H */
