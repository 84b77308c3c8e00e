// SPDX-License-Identifier: GPL-2.0
/*
 * Object-level views of one cache, debugfs caches/NAME/arrays, slabs and
 * map: which objects sit in which array, in what order, and which index
 * each slab hands out next.  Documentation/debugfs.rst gives the formats.
 *
 * A view is one snapshot of the whole cache, taken when the file is
 * opened and printed from memory afterwards.  The per-CPU arrays change
 * under no lock at all, only with their CPU's interrupts off, so no lock
 * and no IPI can freeze them together with the node lists: an object seen
 * in CPU 0's array could be back in its slab by the time the lists are
 * walked, and show up twice.  stop_machine() holds every online CPU with
 * interrupts off, outside any of toyslab's spinlocked sections, while one
 * of them copies what it needs; the alloc and free paths pay nothing for
 * it.  It also keeps CPU hotplug out, and take_snapshot() says how
 * retuning is kept out.
 *
 * A snapshot is bounded (VIEW_MAX_SLABS, VIEW_MAX_ENTRIES): its memory is
 * allocated before the machine stops, and the files end with a line
 * saying how much was left out.
 */
#include <linux/bsearch.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>

#include "internal.h"

#define VIEW_MAX_SLABS		1024
#define VIEW_MAX_ENTRIES	16384
/*
 * Room for slabs grown between sizing the snapshot and taking it, which
 * may be a while when CPU hotplug holds stop_machine() back: half as many
 * again, and at least 64.
 */
#define VIEW_SLAB_SLACK(slabs)	max((slabs) / 2, 64U)
/* Snapshots tried before giving up with -EBUSY. */
#define VIEW_TRIES		100

/* What a snapshot copies: the arrays, and the slabs' free indexes or map. */
#define VIEW_WANT_ARRAYS	BIT(0)
#define VIEW_WANT_FREE	BIT(1)
#define VIEW_WANT_MAP	BIT(2)

enum view_kind { VIEW_CPU, VIEW_SHARED, VIEW_ALIEN };
enum view_list { VIEW_LIST_FULL, VIEW_LIST_PARTIAL, VIEW_LIST_FREE };

static const char * const list_names[] = { "full", "partial", "free" };
static const char * const freelist_names[] = {
	[FREELIST_OBJ] = "obj",
	[FREELIST_ON_SLAB] = "on",
	[FREELIST_OFF_SLAB] = "off",
};

/* The map's character for an object in each kind of array. */
static const char array_marks[] = { 'c', 's', 'a' };

struct view_entry {
	/* Only compared, to find the entry's slab in the snapshot. */
	const struct toyslab_slab *slab;
	unsigned int id;
	u8 index;
	bool pfmemalloc;
};

struct view_array {
	enum view_kind kind;
	int where;			/* CPU, or node */
	int to;				/* an alien cache's home node */
	unsigned int avail, limit, batchcount, touched;
	unsigned int first, nr;		/* its entries in view->entries */
};

struct view_slab {
	const struct toyslab_slab *slab;
	unsigned int id;
	int node;
	enum view_list list;
	unsigned int colour;
	unsigned int active;
	bool pfmemalloc;
	u8 *objs;	/* num bytes: the freelist, or the map's characters */
};

struct view {
	struct toyslab_cache *cachep;	/* only while taking the snapshot */
	unsigned int what;
	unsigned int num;
	enum toyslab_freelist freelist_type;

	struct view_array *arrays;
	unsigned int nr_arrays, max_arrays;
	struct view_entry *entries;
	unsigned int nr_entries, max_entries;
	unsigned long entries_left_out;

	struct view_slab *slabs;
	unsigned int nr_slabs, max_slabs;
	unsigned long slabs_left_out;
	u8 *bytes;			/* max_slabs * num */
};

/* --- sizing ------------------------------------------------------- */

struct view_size {
	unsigned int arrays, entries, slabs;
};

static void add_array_room(struct view_size *sz, struct array_cache *ac)
{
	sz->arrays++;
	sz->entries += ac->limit;
}

/*
 * What a snapshot of @c may need now: room for every possible CPU, so
 * that a CPU coming online between sizing and snapshot needs no retry.
 * Context: toyslab_mutex held.
 */
static void size_view(struct toyslab_cache *c, struct view_size *sz)
{
	unsigned long slabs = 0;
	int cpu, node, to;

	memset(sz, 0, sizeof(*sz));
	for_each_possible_cpu(cpu)
		add_array_room(sz, per_cpu_ptr(c->cpu_cache, cpu));
	for (node = 0; node < nr_node_ids; node++) {
		struct toyslab_node *n = get_node(c, node);

		if (!n)
			continue;
		slabs += READ_ONCE(n->total_slabs);
		if (n->shared)
			add_array_room(sz, n->shared);
		for (to = 0; n->alien && to < nr_node_ids; to++)
			if (n->alien[to])
				add_array_room(sz, &n->alien[to]->ac);
	}
	sz->entries = min(sz->entries, VIEW_MAX_ENTRIES);
	sz->slabs = min_t(unsigned long, slabs, VIEW_MAX_SLABS);
}

/* Whether the memory allocated for @v holds a snapshot of size @sz. */
static bool view_fits(const struct view *v, const struct view_size *sz)
{
	if ((v->what & VIEW_WANT_ARRAYS) &&
	    (sz->arrays > v->max_arrays || sz->entries > v->max_entries))
		return false;
	if ((v->what & (VIEW_WANT_FREE | VIEW_WANT_MAP)) &&
	    sz->slabs > v->max_slabs)
		return false;
	return true;
}

static void free_view_memory(struct view *v)
{
	kvfree(v->arrays);
	kvfree(v->entries);
	kvfree(v->slabs);
	kvfree(v->bytes);
	v->arrays = NULL;
	v->entries = NULL;
	v->slabs = NULL;
	v->bytes = NULL;
}

static void view_free(struct view *v)
{
	if (!v)
		return;
	free_view_memory(v);
	kfree(v);
}

/*
 * Memory for a snapshot of size @sz, with room for a few slabs grown
 * before the machine stops.
 */
static int alloc_view(struct view *v, const struct view_size *sz)
{
	free_view_memory(v);
	v->max_arrays = sz->arrays;
	v->max_entries = sz->entries;
	v->max_slabs = min(sz->slabs + VIEW_SLAB_SLACK(sz->slabs),
			   VIEW_MAX_SLABS);
	if (v->what & VIEW_WANT_ARRAYS) {
		v->arrays = kvcalloc(v->max_arrays, sizeof(*v->arrays),
				     GFP_KERNEL);
		v->entries = kvcalloc(v->max_entries ?: 1, sizeof(*v->entries),
				      GFP_KERNEL);
		if (!v->arrays || !v->entries)
			return -ENOMEM;
	}
	if (v->what & (VIEW_WANT_FREE | VIEW_WANT_MAP)) {
		v->slabs = kvcalloc(v->max_slabs, sizeof(*v->slabs), GFP_KERNEL);
		v->bytes = kvcalloc(v->max_slabs, v->num, GFP_KERNEL);
		if (!v->slabs || !v->bytes)
			return -ENOMEM;
	}
	return 0;
}

/* --- the snapshot, every CPU stopped -------------------------------- */

/* An array entry: an object pointer, maybe tagged SLAB_OBJ_PFMEMALLOC. */
static void copy_entry(struct view *v, void *entry)
{
	struct view_entry *e = &v->entries[v->nr_entries++];
	void *objp = clear_obj_pfmemalloc(entry);
	struct toyslab_slab *slab = virt_to_slab(objp);

	e->slab = slab;
	e->id = slab->id;
	e->index = obj_to_index(v->cachep, slab, objp);
	e->pfmemalloc = is_obj_pfmemalloc(entry);
}

static void copy_array(struct view *v, struct array_cache *ac,
		       enum view_kind kind, int where, int to)
{
	struct view_array *a;
	unsigned int i;

	if (WARN_ON_ONCE(v->nr_arrays == v->max_arrays))
		return;
	a = &v->arrays[v->nr_arrays++];
	a->kind = kind;
	a->where = where;
	a->to = to;
	a->avail = ac->avail;
	a->limit = ac->limit;
	a->batchcount = ac->batchcount;
	a->touched = ac->touched;
	a->first = v->nr_entries;
	for (i = 0; i < ac->avail; i++) {
		if (v->nr_entries == v->max_entries) {
			v->entries_left_out += ac->avail - i;
			break;
		}
		copy_entry(v, ac->entry[i]);
	}
	a->nr = v->nr_entries - a->first;
}

static void copy_arrays(struct view *v)
{
	struct toyslab_cache *c = v->cachep;
	int cpu, node, to;

	for_each_online_cpu(cpu)
		copy_array(v, per_cpu_ptr(c->cpu_cache, cpu), VIEW_CPU, cpu, 0);
	for (node = 0; node < nr_node_ids; node++) {
		struct toyslab_node *n = get_node(c, node);

		if (!n)
			continue;
		if (n->shared)
			copy_array(v, n->shared, VIEW_SHARED, node, 0);
		for (to = 0; n->alien && to < nr_node_ids; to++)
			if (n->alien[to])
				copy_array(v, &n->alien[to]->ac, VIEW_ALIEN,
					   node, to);
	}
}

/* freelist[active .. num - 1]: the order the slab hands them out. */
static void copy_free(struct view *v, struct toyslab_slab *slab, u8 *objs)
{
	unsigned int i;

	for (i = slab->active; i < v->num; i++)
		objs[i] = get_free_obj(v->cachep, slab, i);
}

/* Objects in arrays are marked later: here they still look allocated. */
static void draw_slab(struct view *v, struct toyslab_slab *slab, u8 *objs)
{
	unsigned int i;

	memset(objs, 'A', v->num);
	for (i = slab->active; i < v->num; i++)
		objs[get_free_obj(v->cachep, slab, i)] = '.';
	if (cache_debug(v->cachep))
		for_each_set_bit(i, slab->ext->quarantined, v->num)
			objs[i] = 'q';
}

static void copy_slab(struct view *v, struct toyslab_slab *slab, int node,
		      enum view_list list)
{
	struct view_slab *s = &v->slabs[v->nr_slabs];

	s->slab = slab;
	s->id = slab->id;
	s->node = node;
	s->list = list;
	s->colour = slab->colour * v->cachep->colour_off;
	s->active = slab->active;
	s->pfmemalloc = slab->pfmemalloc;
	s->objs = v->bytes + (size_t)v->nr_slabs * v->num;
	if (v->what & VIEW_WANT_FREE)
		copy_free(v, slab, s->objs);
	else
		draw_slab(v, slab, s->objs);
	v->nr_slabs++;
}

static void copy_list(struct view *v, struct list_head *head, int node,
		      enum view_list list)
{
	struct toyslab_slab *slab;

	list_for_each_entry(slab, head, slab_list) {
		if (v->nr_slabs == v->max_slabs)
			return;
		copy_slab(v, slab, node, list);
	}
}

static void copy_slabs(struct view *v)
{
	struct toyslab_cache *c = v->cachep;
	unsigned long total = 0;
	int node;

	for (node = 0; node < nr_node_ids; node++) {
		struct toyslab_node *n = get_node(c, node);

		if (!n)
			continue;
		total += n->total_slabs;
		copy_list(v, &n->slabs_full, node, VIEW_LIST_FULL);
		copy_list(v, &n->slabs_partial, node, VIEW_LIST_PARTIAL);
		copy_list(v, &n->slabs_free, node, VIEW_LIST_FREE);
	}
	v->slabs_left_out = total - v->nr_slabs;
}

/*
 * Runs on one CPU while the others spin with interrupts off.  No CPU can
 * be inside a list_lock or an alien lock (held only with interrupts off),
 * nor in the middle of an array update, so nothing here takes those
 * locks.  toyslab_mutex is different: a retune holds it while the objects
 * of the old arrays are on their way back to the slabs, in no array the
 * snapshot could see; so the snapshot is taken only when the mutex is
 * free, and holds it to make sure.  The memory allocated beforehand must
 * still be enough.
 */
static int take_snapshot(void *data)
{
	struct view *v = data;
	struct view_size sz;
	int err = 0;

	if (!mutex_trylock(&toyslab_mutex))
		return -EAGAIN;
	size_view(v->cachep, &sz);
	if (!view_fits(v, &sz)) {
		err = -ENOSPC;
		goto out;
	}
	if (v->what & VIEW_WANT_ARRAYS)
		copy_arrays(v);
	if (v->what & (VIEW_WANT_FREE | VIEW_WANT_MAP))
		copy_slabs(v);
out:
	mutex_unlock(&toyslab_mutex);
	return err;
}

/* --- after the snapshot --------------------------------------------- */

static int cmp_slab_ptr(const void *a, const void *b)
{
	const struct view_slab *x = a, *y = b;

	if (x->slab == y->slab)
		return 0;
	return (unsigned long)x->slab < (unsigned long)y->slab ? -1 : 1;
}

static int cmp_entry_slab(const void *key, const void *elt)
{
	const struct view_slab *s = elt;
	const struct toyslab_slab *slab = key;

	if (slab == s->slab)
		return 0;
	return (unsigned long)slab < (unsigned long)s->slab ? -1 : 1;
}

/*
 * Put each array entry on its slab's map.  The slabs are sorted by the
 * address of their head page for the search and then put back in list
 * order.
 */
static int mark_arrays(struct view *v)
{
	struct view_slab *sorted;
	unsigned int i, j;

	sorted = kvmalloc_array(v->nr_slabs ?: 1, sizeof(*sorted), GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, v->slabs, v->nr_slabs * sizeof(*sorted));
	sort(sorted, v->nr_slabs, sizeof(*sorted), cmp_slab_ptr, NULL);

	for (i = 0; i < v->nr_arrays; i++) {
		struct view_array *a = &v->arrays[i];

		for (j = a->first; j < a->first + a->nr; j++) {
			struct view_entry *e = &v->entries[j];
			struct view_slab *s;

			s = bsearch(e->slab, sorted, v->nr_slabs,
				    sizeof(*sorted), cmp_entry_slab);
			/* Its slab may be one of those left out. */
			if (s)
				s->objs[e->index] = array_marks[a->kind];
		}
	}
	kvfree(sorted);
	return 0;
}

/* Size @v's memory for @cachep as it is now. */
static int resize_view(struct view *v, struct toyslab_cache *cachep)
{
	struct view_size sz;

	mutex_lock(&toyslab_mutex);
	size_view(cachep, &sz);
	mutex_unlock(&toyslab_mutex);
	return alloc_view(v, &sz);
}

/*
 * Stop the machine until it stops at a moment when toyslab_mutex is free
 * and the memory is enough.  stop_machine() takes cpus_read_lock(), which
 * comes before toyslab_mutex: neither may be held here.
 */
static int snapshot_view(struct view *v, struct toyslab_cache *cachep)
{
	int tries, err;

	for (tries = 0; tries < VIEW_TRIES; tries++) {
		err = resize_view(v, cachep);
		if (err)
			return err;
		err = stop_machine(take_snapshot, v, NULL);
		if (err != -EAGAIN && err != -ENOSPC)
			return err;
		if (err == -EAGAIN) {
			/* Wait for the holder to finish. */
			mutex_lock(&toyslab_mutex);
			mutex_unlock(&toyslab_mutex);
		}
	}
	return -EBUSY;
}

/* Take the snapshot @what asks for. */
static struct view *view_take(struct toyslab_cache *cachep, unsigned int what)
{
	struct view *v;
	int err;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	v->cachep = cachep;
	v->what = what;
	v->num = cachep->num;
	v->freelist_type = cachep->freelist_type;

	err = snapshot_view(v, cachep);
	if (!err && (what & VIEW_WANT_MAP))
		err = mark_arrays(v);
	v->cachep = NULL;
	if (err) {
		view_free(v);
		return ERR_PTR(err);
	}
	return v;
}

/* --- printing ------------------------------------------------------- */

static void show_array_name(struct seq_file *m, const struct view_array *a)
{
	switch (a->kind) {
	case VIEW_CPU:
		seq_printf(m, "cpu %d", a->where);
		break;
	case VIEW_SHARED:
		seq_printf(m, "shared %d", a->where);
		break;
	case VIEW_ALIEN:
		seq_printf(m, "alien %d>%d", a->where, a->to);
		break;
	}
}

static int arrays_show(struct seq_file *m, void *unused)
{
	struct view *v = m->private;
	unsigned int i, j;

	for (i = 0; i < v->nr_arrays; i++) {
		struct view_array *a = &v->arrays[i];

		show_array_name(m, a);
		seq_printf(m, " avail %u limit %u batchcount %u touched %u:",
			   a->avail, a->limit, a->batchcount, a->touched);
		for (j = a->first; j < a->first + a->nr; j++) {
			struct view_entry *e = &v->entries[j];

			seq_printf(m, " %u:%u%s", e->id, e->index,
				   e->pfmemalloc ? "p" : "");
		}
		seq_putc(m, '\n');
	}
	if (v->entries_left_out)
		seq_printf(m, "# %lu entries left out\n", v->entries_left_out);
	return 0;
}

static void show_slabs_left_out(struct seq_file *m, struct view *v)
{
	if (v->slabs_left_out)
		seq_printf(m, "# %lu slabs left out\n", v->slabs_left_out);
}

static int slabs_show(struct seq_file *m, void *unused)
{
	struct view *v = m->private;
	unsigned int i, j;

	for (i = 0; i < v->nr_slabs; i++) {
		struct view_slab *s = &v->slabs[i];

		seq_printf(m, "slab %u node %d list %s colour %u freelist %s active %u/%u pfmemalloc %d free:",
			   s->id, s->node, list_names[s->list], s->colour,
			   freelist_names[v->freelist_type], s->active, v->num,
			   s->pfmemalloc);
		for (j = s->active; j < v->num; j++)
			seq_printf(m, " %u", s->objs[j]);
		seq_putc(m, '\n');
	}
	show_slabs_left_out(m, v);
	return 0;
}

static int map_show(struct seq_file *m, void *unused)
{
	struct view *v = m->private;
	unsigned int i;

	seq_puts(m, "# A allocated  . free in its slab  c in a per-CPU array  s in a shared array  a in an alien cache  q quarantined\n");
	for (i = 0; i < v->nr_slabs; i++) {
		struct view_slab *s = &v->slabs[i];

		seq_printf(m, "slab %u node %d %s ", s->id, s->node,
			   list_names[s->list]);
		seq_write(m, s->objs, v->num);
		seq_putc(m, '\n');
	}
	show_slabs_left_out(m, v);
	return 0;
}

static int view_open(struct inode *inode, struct file *file,
		     unsigned int what, int (*show)(struct seq_file *, void *))
{
	struct view *v = view_take(inode->i_private, what);
	int err;

	if (IS_ERR(v))
		return PTR_ERR(v);
	err = single_open(file, show, v);
	if (err)
		view_free(v);
	return err;
}

static int view_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	view_free(m->private);
	return single_release(inode, file);
}

static int arrays_open(struct inode *inode, struct file *file)
{
	return view_open(inode, file, VIEW_WANT_ARRAYS, arrays_show);
}

static int slabs_open(struct inode *inode, struct file *file)
{
	return view_open(inode, file, VIEW_WANT_FREE, slabs_show);
}

static int map_open(struct inode *inode, struct file *file)
{
	return view_open(inode, file, VIEW_WANT_ARRAYS | VIEW_WANT_MAP, map_show);
}

#define VIEW_FOPS(name)						\
static const struct file_operations name##_fops = {		\
	.owner = THIS_MODULE,					\
	.open = name##_open,					\
	.read = seq_read,					\
	.llseek = seq_lseek,					\
	.release = view_release,				\
}

VIEW_FOPS(arrays);
VIEW_FOPS(slabs);
VIEW_FOPS(map);

/**
 * toyslab_views_add - create the object views in a cache's directory
 * @cachep: the cache
 * @dir: its debugfs directory, caches/NAME/
 */
void toyslab_views_add(struct toyslab_cache *cachep, struct dentry *dir)
{
	debugfs_create_file("arrays", 0444, dir, cachep, &arrays_fops);
	debugfs_create_file("slabs", 0444, dir, cachep, &slabs_fops);
	debugfs_create_file("map", 0444, dir, cachep, &map_fops);
}
