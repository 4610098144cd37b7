/* arena.c - see arena.h. */
#include "dissect/arena.h"

#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char mem[];
};

enum { ARENA_CHUNK = 64 * 1024, ARENA_DEFAULT_CAP = 16 * 1024 * 1024 };

void
arena_init(struct arena *a, size_t cap)
{
	memset(a, 0, sizeof *a);
	a->cap = cap ? cap : ARENA_DEFAULT_CAP;
}

static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk *c = malloc(sizeof *c + size);
	if (c) {
		c->next = NULL;
		c->size = size;
		c->used = 0;
	}
	return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15u) & ~(size_t)15u;
	if (n == 0)
		n = 16;
	if (n > a->cap || a->used_total + n > a->cap)
		return NULL;
	struct arena_chunk *c = a->head;
	/* reuse the chunks kept from earlier packets before making new ones */
	while (c && c->used + n > c->size) {
		c = c->next;
		if (c)
			c->used = 0;
	}
	if (!c) {
		size_t sz = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = chunk_new(sz);
		if (!c)
			return NULL;
		/* append so the order of reuse stays stable */
		if (!a->first) {
			a->first = c;
		} else {
			struct arena_chunk *t = a->head ? a->head : a->first;
			while (t->next)
				t = t->next;
			t->next = c;
		}
	}
	a->head = c;
	void *p = c->mem + c->used;
	c->used += n;
	a->used_total += n;
	memset(p, 0, n);
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		return NULL;
	return arena_alloc(a, n * sz);
}

void *
arena_dup(struct arena *a, const void *p, size_t n)
{
	void *d = arena_alloc(a, n);
	if (d && n)
		memcpy(d, p, n);
	return d;
}

void
arena_reset(struct arena *a)
{
	a->head = a->first;
	if (a->first)
		a->first->used = 0;
	a->used_total = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c = a->first;
	while (c) {
		struct arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->first = a->head = NULL;
	a->used_total = 0;
}
