/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structures and helpers shared by the files of toyslab.ko.
 */
#ifndef _TOYSLAB_INTERNAL_H
#define _TOYSLAB_INTERNAL_H

int toyslab_debugfs_init(void);
void toyslab_debugfs_exit(void);

#endif /* _TOYSLAB_INTERNAL_H */
