/* sbuf.c - see sbuf.h. */
#include "src/output/sbuf.h"

#include <stdarg.h>
#include <stdio.h>

void
sb_printf(struct sbuf *s, const char *fmt, ...)
{
	if (s->cap == 0 || s->n + 1 >= s->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(s->b + s->n, s->cap - s->n, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	s->n += (size_t)w;
	if (s->n >= s->cap)
		s->n = s->cap - 1;
}
