/*
 * cursor.h - the one way to read packet bytes.
 *
 * Every read of packet data in ikelens goes through a struct cur: a window
 * [p, end) over a buffer plus a sticky error flag.  A read that would run past
 * the end sets the flag, consumes nothing more and returns zero (or NULL for
 * byte runs), so parsers can read a whole fixed header and check the flag once
 * instead of testing every field.  Nothing else indexes a raw packet buffer.
 *
 * The cursor never owns memory; it points into the caller's buffer, which must
 * outlive it.
 */
#ifndef IKELENS_CURSOR_H
#define IKELENS_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cur {
	const uint8_t *p;    /* next unread byte */
	const uint8_t *end;  /* one past the last readable byte */
	const uint8_t *base; /* start of the outermost buffer, for offsets */
	bool err;	     /* a read went past end (sticky) */
};

static inline struct cur
cur_make(const uint8_t *buf, size_t len)
{
	/* no arithmetic on a null pointer, not even + 0 */
	if (buf == NULL) {
		const uint8_t *e = (const uint8_t *)"";
		struct cur c = {e, e, e, false};
		return c;
	}
	struct cur c = {buf, buf + len, buf, false};
	return c;
}

static inline size_t
cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

/* Offset of the next byte from the start of the outermost buffer. */
static inline size_t
cur_off(const struct cur *c)
{
	return (size_t)(c->p - c->base);
}

static inline bool
cur_ok(const struct cur *c)
{
	return !c->err;
}

/* Check that n bytes remain; on failure set the error and drain. */
static inline bool
cur_need(struct cur *c, size_t n)
{
	if (c->err || cur_left(c) < n) {
		c->err = true;
		c->p = c->end;
		return false;
	}
	return true;
}

static inline uint8_t
cur_u8(struct cur *c)
{
	if (!cur_need(c, 1))
		return 0;
	return *c->p++;
}

static inline uint16_t
cur_be16(struct cur *c)
{
	if (!cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static inline uint16_t
cur_le16(struct cur *c)
{
	if (!cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)((unsigned)c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return v;
}

static inline uint32_t
cur_be24(struct cur *c)
{
	if (!cur_need(c, 3))
		return 0;
	uint32_t v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	c->p += 3;
	return v;
}

static inline uint32_t
cur_be32(struct cur *c)
{
	if (!cur_need(c, 4))
		return 0;
	uint32_t v =
	    (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

static inline uint32_t
cur_le32(struct cur *c)
{
	if (!cur_need(c, 4))
		return 0;
	uint32_t v =
	    (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 | (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return v;
}

static inline uint64_t
cur_be64(struct cur *c)
{
	uint64_t hi = cur_be32(c);
	uint64_t lo = cur_be32(c);
	return hi << 32 | lo;
}

/* A run of n bytes: a pointer into the buffer, or NULL (error set). */
static inline const uint8_t *
cur_bytes(struct cur *c, size_t n)
{
	if (!cur_need(c, n))
		return NULL;
	const uint8_t *b = c->p;
	c->p += n;
	return b;
}

/* Copy n bytes out; zero-fills on a short read. */
static inline bool
cur_copy(struct cur *c, void *dst, size_t n)
{
	const uint8_t *b = cur_bytes(c, n);
	unsigned char *d = dst;
	for (size_t i = 0; i < n; i++)
		d[i] = b ? b[i] : 0;
	return b != NULL;
}

static inline bool
cur_skip(struct cur *c, size_t n)
{
	return cur_bytes(c, n) != NULL || n == 0;
}

/* Everything that is left, consumed. */
static inline const uint8_t *
cur_rest(struct cur *c, size_t *n)
{
	*n = cur_left(c);
	const uint8_t *b = c->p;
	c->p = c->end;
	return b;
}

/*
 * A sub-cursor over the next n bytes, which the parent consumes.  If fewer
 * than n bytes remain, the parent's error is set and the sub-cursor is empty
 * with its own error set.
 */
static inline struct cur
cur_sub(struct cur *c, size_t n)
{
	struct cur s = {c->p, c->p, c->base, true};
	if (cur_need(c, n)) {
		s.end = c->p + n;
		s.err = false;
		c->p += n;
	}
	return s;
}

/*
 * Like cur_sub, but for data cut short by the capture (snaplen): takes what
 * is there, up to n, and says whether it was short.  The parent is never put
 * in error by this.
 */
static inline struct cur
cur_sub_upto(struct cur *c, size_t n, bool *short_read)
{
	size_t have = cur_left(c);
	size_t take = n < have ? n : have;
	struct cur s = {c->p, c->p + take, c->base, c->err};
	c->p += take;
	if (short_read)
		*short_read = take < n;
	return s;
}

static inline uint8_t
cur_peek_u8(const struct cur *c, size_t at)
{
	if (c->err || cur_left(c) <= at)
		return 0;
	return c->p[at];
}

#endif
