// SPDX-License-Identifier: GPL-2.0
/*
 * The one place where toyslab's trace events (toyslab_trace.h) are
 * instantiated.
 */
#define CREATE_TRACE_POINTS
#include "toyslab_trace.h"

/* The first probe on toyslab_alloc or toyslab_free turns the hooks on... */
int toyslab_trace_hooks_reg(void)
{
	toyslab_hooks_get();
	return 0;
}

/* ...and the last one off again. */
void toyslab_trace_hooks_unreg(void)
{
	toyslab_hooks_put();
}
