// SPDX-License-Identifier: GPL-2.0
/*
 * The one place where toyslab's trace events (trace.h) are instantiated.
 */
#define CREATE_TRACE_POINTS
#include "toyslab_trace.h"
