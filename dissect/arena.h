/*
 * arena.h - per-packet memory.  Parsers allocate their structs here; the
 * caller resets the arena when the packet is done.  Memory is kept between
 * packets, so once the arena has grown to the largest packet there is no
 * allocation per packet.  A hard cap bounds what one packet can take.
 */
#ifndef IKELENS_ARENA_H
#define IKELENS_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;  /* chunk being filled */
	struct arena_chunk *first; /* list of all chunks */
	size_t used_total;	   /* bytes handed out since the last reset */
	size_t cap;		   /* hard cap per reset (0 = 16 MiB) */
};

void arena_init(struct arena *a, size_t cap);
/* Zeroed memory, aligned for any struct; NULL when the cap is reached. */
void *arena_alloc(struct arena *a, size_t n);
/* n elements of size sz, with overflow checks. */
void *arena_calloc(struct arena *a, size_t n, size_t sz);
/* Copy of bytes (NULL on failure). */
void *arena_dup(struct arena *a, const void *p, size_t n);
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
