/* sbuf.h - appending formatted text to a fixed buffer, cut at its end. */
#ifndef IKELENS_SBUF_H
#define IKELENS_SBUF_H

#include <stddef.h>

struct sbuf {
	char *b;
	size_t n, cap; /* b[n] is the terminating NUL; n < cap when cap > 0 */
};

/* Appends; what does not fit is cut (the buffer stays NUL-terminated). */
void sb_printf(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
