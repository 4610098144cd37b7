/* emit.c - the JSON and tree backends of emit.h. */
#include "src/output/emit.h"

#include <inttypes.h>
#include <string.h>

/* ---- JSON (RFC 8259), compact, one record per line ---- */

void
json_put_str(FILE *out, const char *s)
{
	static const char hx[] = "0123456789abcdef";
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char ch = *p;
		switch (ch) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (ch < 0x20 || ch == 0x7f) {
				fputs("\\u00", out);
				putc(hx[ch >> 4], out);
				putc(hx[ch & 15], out);
			} else if (ch >= 0x80) {
				/* Our strings are ASCII (wire text is escaped before it
				 * gets here); anything else is shown, not passed through. */
				fputs("\\u00", out);
				putc(hx[ch >> 4], out);
				putc(hx[ch & 15], out);
			} else {
				putc(ch, out);
			}
		}
	}
	putc('"', out);
}

static void
j_sep(struct emit *e, const char *key)
{
	int d = e->depth < 31 ? e->depth : 31;
	if (!e->first[d])
		putc(',', e->out);
	e->first[d] = false;
	if (key) {
		json_put_str(e->out, key);
		putc(':', e->out);
	}
}

static void
j_push(struct emit *e)
{
	e->depth++;
	if (e->depth < 32)
		e->first[e->depth] = true;
}

static void
j_obj_begin(struct emit *e, const char *key)
{
	j_sep(e, key);
	putc('{', e->out);
	j_push(e);
}

static void
j_obj_end(struct emit *e)
{
	e->depth--;
	putc('}', e->out);
}

static void
j_arr_begin(struct emit *e, const char *key)
{
	j_sep(e, key);
	putc('[', e->out);
	j_push(e);
}

static void
j_arr_end(struct emit *e)
{
	e->depth--;
	putc(']', e->out);
}

static void
j_str(struct emit *e, const char *key, const char *v)
{
	j_sep(e, key);
	json_put_str(e->out, v);
}

static void
j_u64(struct emit *e, const char *key, uint64_t v)
{
	j_sep(e, key);
	fprintf(e->out, "%" PRIu64, v);
}

static void
j_i64(struct emit *e, const char *key, int64_t v)
{
	j_sep(e, key);
	fprintf(e->out, "%" PRId64, v);
}

static void
j_dbl(struct emit *e, const char *key, double v, int decimals)
{
	j_sep(e, key);
	fprintf(e->out, "%.*f", decimals, v);
}

static void
j_bool(struct emit *e, const char *key, bool v)
{
	j_sep(e, key);
	fputs(v ? "true" : "false", e->out);
}

static void
j_null(struct emit *e, const char *key)
{
	j_sep(e, key);
	fputs("null", e->out);
}

static void
put_hex(FILE *out, const uint8_t *p, size_t n, unsigned max)
{
	static const char hx[] = "0123456789abcdef";
	size_t lim = (max && n > max) ? max : n;
	for (size_t i = 0; i < lim; i++) {
		putc(hx[p[i] >> 4], out);
		putc(hx[p[i] & 15], out);
	}
	if (lim < n)
		fputs("...", out);
}

static void
j_hex(struct emit *e, const char *key, const uint8_t *p, size_t n)
{
	j_sep(e, key);
	putc('"', e->out);
	put_hex(e->out, p, n, e->hex_max);
	putc('"', e->out);
}

static void
j_enm(struct emit *e, const char *key, const char *name, uint64_t code)
{
	char ck[64];
	j_sep(e, key);
	if (name)
		json_put_str(e->out, name);
	else
		fprintf(e->out, "%" PRIu64, code);
	snprintf(ck, sizeof ck, "%s_code", key ? key : "value");
	j_sep(e, ck);
	fprintf(e->out, "%" PRIu64, code);
}

static void
j_enm_null(struct emit *e, const char *key)
{
	char ck[64];
	j_null(e, key);
	snprintf(ck, sizeof ck, "%s_code", key ? key : "value");
	j_null(e, ck);
}

static const struct emit_ops json_ops = {
    j_obj_begin, j_obj_end, j_arr_begin, j_arr_end, j_str, j_u64,      j_i64,
    j_dbl,	 j_bool,    j_null,	 j_hex,	    j_enm, j_enm_null,
};

void
emit_json_init(struct emit *e, FILE *out)
{
	memset(e, 0, sizeof *e);
	e->ops = &json_ops;
	e->out = out;
	e->first[0] = true;
}

void
emit_json_newline(struct emit *e)
{
	putc('\n', e->out);
	e->depth = 0;
	e->first[0] = true;
}

/* ---- tree (-V): "key: value" lines, indented by depth ---- */

/* An object inside an array has no key: its first line gets a "- " mark. */
static void
t_indent(struct emit *e)
{
	for (int i = 0; i < e->depth; i++) {
		int d = i + 1 < 32 ? i + 1 : 31;
		if (i + 1 == e->depth && e->first[d]) {
			fputs("  - ", e->out);
			e->first[d] = false;
		} else {
			fputs("    ", e->out);
		}
	}
}

static void
t_key(struct emit *e, const char *key)
{
	t_indent(e);
	if (key)
		fprintf(e->out, "%s: ", key);
}

static void
t_obj_begin(struct emit *e, const char *key)
{
	if (key) {
		t_indent(e);
		fprintf(e->out, "%s:\n", key);
	}
	e->depth++;
	if (e->depth < 32)
		e->first[e->depth] = key == NULL;
}

static void
t_obj_end(struct emit *e)
{
	e->depth--;
}

static void
t_str(struct emit *e, const char *key, const char *v)
{
	t_key(e, key);
	/* already terminal-safe: wire strings are escaped upstream */
	fprintf(e->out, "%s\n", v);
}

static void
t_u64(struct emit *e, const char *key, uint64_t v)
{
	t_key(e, key);
	fprintf(e->out, "%" PRIu64 "\n", v);
}

static void
t_i64(struct emit *e, const char *key, int64_t v)
{
	t_key(e, key);
	fprintf(e->out, "%" PRId64 "\n", v);
}

static void
t_dbl(struct emit *e, const char *key, double v, int decimals)
{
	t_key(e, key);
	fprintf(e->out, "%.*f\n", decimals, v);
}

static void
t_bool(struct emit *e, const char *key, bool v)
{
	t_key(e, key);
	fputs(v ? "yes\n" : "no\n", e->out);
}

static void
t_null(struct emit *e, const char *key)
{
	(void)e;
	(void)key; /* absent values are not worth a line in the tree */
}

static void
t_hex(struct emit *e, const char *key, const uint8_t *p, size_t n)
{
	t_key(e, key);
	put_hex(e->out, p, n, e->hex_max ? e->hex_max : 64);
	fprintf(e->out, " (%zu bytes)\n", n);
}

static void
t_enm(struct emit *e, const char *key, const char *name, uint64_t code)
{
	t_key(e, key);
	if (name)
		fprintf(e->out, "%s (%" PRIu64 ")\n", name, code);
	else
		fprintf(e->out, "%" PRIu64 "\n", code);
}

static void
t_enm_null(struct emit *e, const char *key)
{
	t_null(e, key);
}

static const struct emit_ops tree_ops = {
    t_obj_begin, t_obj_end, t_obj_begin, t_obj_end, t_str, t_u64,      t_i64,
    t_dbl,	 t_bool,    t_null,	 t_hex,	    t_enm, t_enm_null,
};

void
emit_tree_init(struct emit *e, FILE *out, int indent)
{
	memset(e, 0, sizeof *e);
	e->ops = &tree_ops;
	e->out = out;
	e->depth = indent;
}
