# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Usage: . demo-zh_CN.sh - sourced by demo.sh for make demo LANG=zh_CN.
#
# The tour's prose in Chinese, in the terms of
# Documentation/translations/zh_CN/glossary.rst.  tour_zh TEXT prints the
# Chinese for one of demo.sh's texts (a step's title, or a closing note),
# found by its English words; it returns 1 for a text it does not know, so
# that a changed English text shows, untranslated, in the Chinese tour.
# Each text keeps the English one's numbers, in the same order:
# scripts/demo-compare.sh checks that.

tour_zh() {
	case $1 in
	"Loading toyslab, and pinning this shell to CPU 0")
		zh_step "加载 toyslab，并把这个 shell 绑定到 CPU 0" \
			"insmod 之后的两行内核消息是意料之中的：内核把自己标为被一个" \
			"在源码树之外构建（O）、且没有签名（E）的模块污染（taint），" \
			"即本次导览最后一行的 tainted=12288（4096 + 8192）。ctl 命令" \
			"在写入它的 shell 所在的 CPU 上执行：taskset 选定这个 CPU。" ;;
	"toyslab is loaded: its debugfs tree")
		zh_step "toyslab 已加载：它的 debugfs 树" \
			"每个缓存都出现在 caches/ 下；control 创建和销毁缓存。" \
			"toyslab 自己的 kmalloc 大小类也是缓存（见 Documentation/kmalloc.rst）：" \
			"导览只统计它们的个数，不逐一列出它们的目录。" ;;
	"kmem_cache_create(): the layout SLAB picks for 64-byte objects")
		zh_step "kmem_cache_create()：SLAB 为 64 字节的对象选择的布局" \
			"64 个对象正好放满一个 order-0 的 slab，没有剩余，所以空闲对象表" \
			"放在一个空闲对象里（objfreelist），也没有空间做着色。" ;;
	"Tunables: enable_cpucache() for a 64-byte object")
		zh_step "可调参数：enable_cpucache() 对 64 字节对象的设置" \
			"每 CPU 的 limit 为 120，batchcount (120+1)/2 = 60，共享数组有 8 批。" ;;
	"kmem_cache_alloc() #1 on CPU 0: ac->avail is 0, so ALLOCMISS")
		zh_step "kmem_cache_alloc() #1，在 CPU 0 上：ac->avail 为 0，所以 ALLOCMISS（未命中）" \
			"cache_alloc_refill()：数组从未被 touched，所以只填充" \
			"BATCHREFILL_LIMIT = 16 个。还没有 slab：cache_grow_begin() 建一个，" \
			"alloc_block() 把其中 16 个对象搬进数组，" \
			"cache_grow_end() 把它连同剩下的 48 个对象放到 slabs_partial 上。" \
			"ac_get_obj() 交出 entry[--avail]：留下 15 个。" ;;
	"15 more: ac->avail > 0, ac->touched = 1, ac_get_obj(): ALLOCHIT x15")
		zh_step "再分配 15 个：ac->avail > 0，ac->touched = 1，ac_get_obj()：ALLOCHIT（命中）x15" ;;
	"One more: the array is empty again, ALLOCMISS")
		zh_step "再分配一个：数组又空了，ALLOCMISS（未命中）" \
			"现在已被 touched，填充要 batchcount = 60 个。部分 slab 还剩" \
			"48 个：SLAB 把它们拿走，不再增长，因为已经拿到了一些。" \
			"avail = 48 - 1 = 47；这个 slab 移到 slabs_full。" ;;
	"104 more (121 held): 47 hits, then a miss that grows slab 2")
		zh_step "再分配 104 个（共持有 121 个）：47 次命中，然后一次未命中，增长出 slab 2" \
			"并搬来它的 60 个对象（完整的一批），然后 56 次命中：avail 3。" ;;
	"kmem_cache_free() all 121: ac_put_obj() while avail < limit: FREEHIT")
		zh_step "kmem_cache_free() 全部 121 个：avail < limit 时 ac_put_obj()：FREEHIT（命中）" \
			"117 次释放之后数组有 120 个 = limit。下一次释放是" \
			"FREEMISS（未命中）：cache_flusharray() 把最旧的 batchcount = 60 个对象" \
			"刷出到节点的共享数组，那里有空间。再 3 次命中：avail 64。" ;;
	"kmem_cache_alloc() on CPU 1: its array is empty and untouched")
		zh_step "CPU 1 上的 kmem_cache_alloc()：它的数组是空的，也没有被 touched" \
			"填充先看共享数组：16 个对象来自那里，" \
			"没有碰任何 slab，也没有增长。" ;;
	"cache_reap() on CPU 0, first pass")
		zh_step "CPU 0 上的 cache_reap()，第一轮" \
			"自上一轮以来用过的数组被放过；这一轮只清除它们的" \
			"'touched'。共享数组（CPU 1 从中取过对象）也同样被放过。" ;;
	"cache_reap() again: now everything is idle")
		zh_step "再一次 cache_reap()：现在一切都闲着" \
			"CPU 0 的数组还回 (limit + 4) / 5 = 24 个对象。共享" \
			"数组的五分之一，(480 + 4) / 5 = 96，比它持有的 44 个多，所以" \
			"它还回一半，向上取整：22 个。没有空闲的 slab：回收器什么也没回收。" ;;
	"kmem_cache_shrink(): drain every array, free every free slab")
		zh_step "kmem_cache_shrink()：排空每个数组，释放每个空闲 slab" ;;
	"kmem_cache_destroy(), and rmmod")
		zh_step "kmem_cache_destroy()，然后 rmmod" ;;
	"toyslab unloaded; its debugfs tree is gone.")
		zh_note "toyslab 已卸载；它的 debugfs 树已经不在了。" ;;
	*)
		return 1 ;;
	esac
}
