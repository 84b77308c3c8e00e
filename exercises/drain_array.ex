# SPDX-License-Identifier: GPL-2.0
#
# drain_array() (reap.c): the reaper's step for one array.  Graded by
# reap_test (what one reap pass gives back, from CPU arrays and the
# shared array, touched or idle) and trace_test (its scripted reaps,
# counted by the reap event against the algorithm); and by the one
# scenario of reaper passes, 10-reap.
function drain_array
selftests reap_test trace_test
scenarios 10-reap
nodes 1
todo
The reaper's step for one array @ac of node @node (a CPU's array, or
the node's shared one): give part of it back to the slabs.  Return
how many objects went back.

Context: toyslab_mutex held, so the shared array cannot be replaced;
interrupts on.  An absent or empty array gives nothing.  An array
used since the last pass ('touched') is spared once: clear the mark
and give nothing.  Otherwise, under n->list_lock with interrupts off,
give back a part with drain_array_locked(cachep, ac, node, false,
&list); then, with the lock dropped, slabs_destroy(cachep, &list)
frees the slabs that went free.
