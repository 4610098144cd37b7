/*
 * emit.h - one description of a record, several renderings.
 *
 * The describers (describe.c and the record writers) say what a record holds
 * through these calls; a backend renders it: compact JSON for --json, an
 * indented tree for -V.  So the JSON fields and the -V tree cannot drift.
 */
#ifndef IKELENS_EMIT_H
#define IKELENS_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dissect/names.h"

struct emit;

struct emit_ops {
	void (*obj_begin)(struct emit *e, const char *key);
	void (*obj_end)(struct emit *e);
	void (*arr_begin)(struct emit *e, const char *key);
	void (*arr_end)(struct emit *e);
	/* Values: key is NULL inside an array. */
	void (*str)(struct emit *e, const char *key, const char *val);
	void (*u64)(struct emit *e, const char *key, uint64_t v);
	void (*i64)(struct emit *e, const char *key, int64_t v);
	void (*dbl)(struct emit *e, const char *key, double v, int decimals);
	void (*boolean)(struct emit *e, const char *key, bool v);
	void (*null)(struct emit *e, const char *key);
	void (*hex)(struct emit *e, const char *key, const uint8_t *p, size_t n);
	/* An enumerated value: JSON writes key (name, or the number when
	 * unnamed) and key_code; the tree writes "key: NAME (n)". */
	void (*enm)(struct emit *e, const char *key, const char *name, uint64_t code);
	/* An enumerated value that is absent: JSON writes key and key_code as null. */
	void (*enm_null)(struct emit *e, const char *key);
};

struct emit {
	const struct emit_ops *ops;
	FILE *out;
	int depth;
	bool first[32];	  /* JSON: no comma needed at this depth yet */
	unsigned hex_max; /* longest byte run written in full (0 = all) */
};

static inline void
emit_obj(struct emit *e, const char *k)
{
	e->ops->obj_begin(e, k);
}
static inline void
emit_end(struct emit *e)
{
	e->ops->obj_end(e);
}
static inline void
emit_arr(struct emit *e, const char *k)
{
	e->ops->arr_begin(e, k);
}
static inline void
emit_arr_end(struct emit *e)
{
	e->ops->arr_end(e);
}
static inline void
emit_str(struct emit *e, const char *k, const char *v)
{
	if (v)
		e->ops->str(e, k, v);
	else
		e->ops->null(e, k);
}
static inline void
emit_u64(struct emit *e, const char *k, uint64_t v)
{
	e->ops->u64(e, k, v);
}
static inline void
emit_i64(struct emit *e, const char *k, int64_t v)
{
	e->ops->i64(e, k, v);
}
static inline void
emit_bool(struct emit *e, const char *k, bool v)
{
	e->ops->boolean(e, k, v);
}
static inline void
emit_null(struct emit *e, const char *k)
{
	e->ops->null(e, k);
}
static inline void
emit_hex(struct emit *e, const char *k, const uint8_t *p, size_t n)
{
	e->ops->hex(e, k, p, n);
}
static inline void
emit_dbl(struct emit *e, const char *k, double v, int decimals)
{
	e->ops->dbl(e, k, v, decimals);
}
/* An enumerated value named from a table. */
static inline void
emit_enum(struct emit *e, const char *k, enum nt table, uint32_t v)
{
	e->ops->enm(e, k, nt_name(table, v), v);
}
/* An optional number: null when negative. */
static inline void
emit_opt(struct emit *e, const char *k, int64_t v)
{
	if (v < 0)
		e->ops->null(e, k);
	else
		e->ops->i64(e, k, v);
}
/* An optional enumerated value: null (and a null twin) when negative. */
static inline void
emit_opt_enum(struct emit *e, const char *k, enum nt table, int64_t v)
{
	if (v < 0)
		e->ops->enm_null(e, k);
	else
		emit_enum(e, k, table, (uint32_t)v);
}

/* Backends.  The JSON backend writes one compact object per record; the
 * caller writes the newline (emit_json_newline). */
void emit_json_init(struct emit *e, FILE *out);
void emit_json_newline(struct emit *e);
void emit_tree_init(struct emit *e, FILE *out, int indent);

/* JSON string escaping (RFC 8259), also used by the other writers. */
void json_put_str(FILE *out, const char *s);

#endif
