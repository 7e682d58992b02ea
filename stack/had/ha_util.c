/*
 * stack/had/ha_util.c - see ha_util.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "stack/had/ha_util.h"

void
ha_ops_log(const struct ha_ops *ops, int prio, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (ops->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ops->log(ops->ctx, prio, msg);
}
