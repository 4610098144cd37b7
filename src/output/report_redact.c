/*
 * report_redact.c - consistent placeholders for addresses and identities,
 * and base names for local paths (report_redact.h).
 *
 * Free text is rewritten in one left-to-right pass: at each position a
 * known path, then a known identity (longest first), then an address is
 * tried.  Addresses are found by their shape, not only from a list, so an
 * address that only a finding's sentence mentions is replaced as well.
 */
#include "src/output/report_redact.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RR_MAX_ADDRS 4096  /* distinct addresses with a placeholder */
#define RR_ADDR_SLOTS 8192 /* hash slots (power of two, > RR_MAX_ADDRS) */
#define RR_MAX_IDS 8192
#define RR_ID_SLOTS 16384 /* hash slots (power of two, > RR_MAX_IDS) */
#define RR_MAX_PATHS 320

struct rr_addr_ent {
	struct addr a;
	bool used;
	bool peer;
	unsigned n; /* placeholder number, 0 = not shown yet */
};

struct rr_id_ent {
	char *s;
	size_t len;
	unsigned n; /* 0 = not shown yet */
};

struct rr_id_key {
	uint8_t first;
	size_t len;
	const char *s;
	unsigned idx; /* into rr.ids */
};

struct rr_path_ent {
	char *full;
	size_t len;
	const char *base;
};

struct rr {
	bool redact;
	struct rr_addr_ent *slots;
	unsigned naddrs;
	unsigned next_peer, next_addr, next_id;
	struct rr_id_ent *ids; /* in order of registration */
	unsigned nids, cap_ids;
	bool ids_full;	    /* an identity was refused: the cap was hit */
	unsigned *id_slots; /* hash of ids (index + 1, 0 = empty) */
	/* for matching in text: ids by first byte, longest first */
	struct rr_id_key *order;
	unsigned first[257];
	bool ids_sorted;
	struct rr_path_ent paths[RR_MAX_PATHS];
	unsigned npaths;
};

struct rr *
rr_new(bool redact)
{
	struct rr *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->redact = redact;
	if (redact) {
		r->slots = calloc(RR_ADDR_SLOTS, sizeof *r->slots);
		r->id_slots = calloc(RR_ID_SLOTS, sizeof *r->id_slots);
		if (!r->slots || !r->id_slots) {
			free(r->slots);
			free(r->id_slots);
			free(r);
			return NULL;
		}
	}
	return r;
}

void
rr_free(struct rr *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->nids; i++)
		free(r->ids[i].s);
	for (unsigned i = 0; i < r->npaths; i++)
		free(r->paths[i].full);
	free(r->ids);
	free(r->id_slots);
	free(r->order);
	free(r->slots);
	free(r);
}

bool
rr_redacting(const struct rr *r)
{
	return r && r->redact;
}

const char *
rr_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

/* ---- addresses ---- */

static struct rr_addr_ent *
addr_slot(struct rr *r, const struct addr *a, bool add)
{
	if (!r->slots)
		return NULL;
	uint32_t h = addr_hash(a) & (RR_ADDR_SLOTS - 1);
	for (unsigned k = 0; k < RR_ADDR_SLOTS; k++) {
		struct rr_addr_ent *e = &r->slots[(h + k) & (RR_ADDR_SLOTS - 1)];
		if (!e->used) {
			if (!add || r->naddrs >= RR_MAX_ADDRS)
				return NULL;
			e->used = true;
			e->a = *a;
			r->naddrs++;
			return e;
		}
		if (addr_eq(&e->a, a))
			return e;
	}
	return NULL;
}

void
rr_peer(struct rr *r, const struct addr *a)
{
	if (!r || !r->redact || !a->af)
		return;
	struct rr_addr_ent *e = addr_slot(r, a, true);
	if (e)
		e->peer = true;
}

/* peer-A ... peer-Z, peer-AA ... (bijective base 26) */
static void
letters(unsigned n, char *buf, size_t len)
{
	char tmp[16];
	size_t k = 0;
	while (n > 0 && k < sizeof tmp) {
		n--;
		tmp[k++] = (char)('A' + n % 26);
		n /= 26;
	}
	size_t o = 0;
	while (k > 0 && o + 1 < len)
		buf[o++] = tmp[--k];
	buf[o] = '\0';
}

/* Not identifying: unspecified, all ones, netmasks. */
static bool
addr_exempt(const struct addr *a)
{
	size_t n = a->af == 4 ? 4 : 16;
	bool zero = true;
	for (size_t i = 0; i < n; i++)
		zero = zero && a->a[i] == 0;
	if (zero)
		return true;
	if (a->af != 4 || a->a[0] != 255)
		return false;
	/* contiguous ones then zeros */
	uint32_t v =
	    (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 | (uint32_t)a->a[2] << 8 | a->a[3];
	uint32_t inv = ~v;
	return (inv & (inv + 1)) == 0;
}

const char *
rr_addr(struct rr *r, const struct addr *a, char *buf, size_t len)
{
	if (!a->af) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!r || !r->redact || addr_exempt(a))
		return addr_str(a, buf, len);
	struct rr_addr_ent *e = addr_slot(r, a, true);
	if (!e) {
		snprintf(buf, len, "addr-?");
		return buf;
	}
	if (!e->n)
		e->n = e->peer ? ++r->next_peer : ++r->next_addr;
	if (e->peer) {
		char l[16];
		letters(e->n, l, sizeof l);
		snprintf(buf, len, "peer-%s", l);
	} else {
		snprintf(buf, len, "addr-%u", e->n);
	}
	return buf;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* A dotted-quad IPv4 address at s: its length, or 0. */
static size_t
ipv4_at(const char *s, struct addr *a)
{
	uint8_t b[4];
	size_t i = 0;
	for (int g = 0; g < 4; g++) {
		if (g) {
			if (s[i] != '.')
				return 0;
			i++;
		}
		unsigned v = 0, nd = 0;
		while (is_digit(s[i]) && nd < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			return 0;
		b[g] = (uint8_t)v;
	}
	/* not a part of a longer dotted number (an OID, a version) */
	if (is_word(s[i]) || (s[i] == '.' && is_digit(s[i + 1])))
		return 0;
	addr_set4(a, b);
	return i;
}

/* An IPv6 address at s: its length, or 0. */
static size_t
ipv6_at(const char *s, struct addr *a)
{
	size_t n = 0, colons = 0;
	bool hex = false;
	while (n < 46 && (is_hex(s[n]) || s[n] == ':' || s[n] == '.')) {
		colons += s[n] == ':';
		hex = hex || is_hex(s[n]);
		n++;
	}
	if (n >= 46 || colons < 2 || !hex)
		return 0;
	while (n > 0 && (s[n - 1] == ':' || s[n - 1] == '.')) {
		/* a trailing "::" is part of the address; one ':' or '.' ends a sentence */
		if (n >= 2 && s[n - 1] == ':' && s[n - 2] == ':')
			break;
		n--;
	}
	if (is_word(s[n]))
		return 0;
	char tmp[48];
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!addr_parse(tmp, a) || a->af != 6)
		return 0;
	return n;
}

/* An address starting at in[i] (where one may start): its length, or 0. */
static size_t
addr_at(const char *in, size_t i, struct addr *a)
{
	if (!is_hex(in[i]) && in[i] != ':')
		return 0;
	char p = i > 0 ? in[i - 1] : ' ';
	/* never from the middle of a number or an address; a letter glued to
	 * the front of a dotted quad does not hide it */
	if (is_digit(p) || p == '.' || p == ':')
		return 0;
	size_t n = ipv4_at(in + i, a);
	if (n)
		return n;
	if (is_word(p))
		return 0;
	return ipv6_at(in + i, a);
}

/* Text made of addresses only ("10.1.0.0/24", "10.0.0.1-10.0.0.9"). */
static bool
only_addresses(const char *s)
{
	bool any = false;
	for (size_t i = 0; s[i];) {
		struct addr a;
		size_t n = addr_at(s, i, &a);
		if (n) {
			any = true;
			i += n;
		} else if (is_digit(s[i]) || s[i] == '/' || s[i] == '-' || s[i] == ' ') {
			i++;
		} else {
			return false;
		}
	}
	return any;
}

/* ---- identities ---- */

static uint32_t
str_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* The entry for an identity; added when `add` and there is room. */
static struct rr_id_ent *
id_lookup(struct rr *r, const char *id, bool add)
{
	if (!r->id_slots)
		return NULL;
	uint32_t h = str_hash(id) & (RR_ID_SLOTS - 1);
	for (unsigned k = 0; k < RR_ID_SLOTS; k++) {
		unsigned *slot = &r->id_slots[(h + k) & (RR_ID_SLOTS - 1)];
		if (*slot && strcmp(r->ids[*slot - 1].s, id) == 0)
			return &r->ids[*slot - 1];
		if (*slot)
			continue;
		if (!add)
			return NULL;
		if (r->nids >= RR_MAX_IDS) {
			r->ids_full = true;
			return NULL;
		}
		if (r->nids == r->cap_ids) {
			unsigned nc = r->cap_ids ? r->cap_ids * 2 : 16;
			struct rr_id_ent *n = realloc(r->ids, nc * sizeof *n);
			if (!n)
				return NULL;
			r->ids = n;
			r->cap_ids = nc;
		}
		char *s = strdup(id);
		if (!s)
			return NULL;
		struct rr_id_ent *e = &r->ids[r->nids++];
		e->s = s;
		e->len = strlen(s);
		e->n = 0;
		*slot = r->nids;
		r->ids_sorted = false;
		return e;
	}
	return NULL;
}

void
rr_identity(struct rr *r, const char *id)
{
	if (!r || !r->redact || !id || !id[0] || only_addresses(id))
		return;
	id_lookup(r, id, true);
}

bool
rr_incomplete(const struct rr *r)
{
	return r && r->ids_full;
}

static int
id_order(const void *x, const void *y)
{
	const struct rr_id_key *a = x, *b = y;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	/* longest first, so an identity is never cut by a shorter one it contains */
	return a->len < b->len ? 1 : a->len > b->len ? -1 : strcmp(a->s, b->s);
}

/* The index for matching identities in text, rebuilt after additions. */
static void
id_index(struct rr *r)
{
	if (r->ids_sorted)
		return;
	free(r->order);
	r->order = r->nids ? malloc(r->nids * sizeof *r->order) : NULL;
	memset(r->first, 0, sizeof r->first);
	if (!r->order)
		return;
	for (unsigned i = 0; i < r->nids; i++) {
		struct rr_id_key *k = &r->order[i];
		k->first = (uint8_t)r->ids[i].s[0];
		k->len = r->ids[i].len;
		k->s = r->ids[i].s;
		k->idx = i;
	}
	qsort(r->order, r->nids, sizeof *r->order, id_order);
	/* first[c] .. first[c + 1]: the ids that start with byte c */
	unsigned k = 0;
	for (unsigned c = 0; c < 256; c++) {
		r->first[c] = k;
		while (k < r->nids && r->order[k].first == c)
			k++;
	}
	r->first[256] = r->nids;
	r->ids_sorted = true;
}

static void
id_placeholder(struct rr *r, struct rr_id_ent *e, char *buf, size_t len)
{
	if (!e->n)
		e->n = ++r->next_id;
	snprintf(buf, len, "id-%u", e->n);
}

const char *
rr_id(struct rr *r, const char *id, char *buf, size_t len)
{
	if (!r || !r->redact) {
		snprintf(buf, len, "%s", id);
		return buf;
	}
	if (only_addresses(id))
		return rr_text(r, id, buf, len);
	struct rr_id_ent *e = id_lookup(r, id, true);
	if (!e) {
		snprintf(buf, len, "id-?");
		return buf;
	}
	id_placeholder(r, e, buf, len);
	return buf;
}

/* ---- paths ---- */

void
rr_path(struct rr *r, const char *path)
{
	if (!r || !path || !strchr(path, '/') || r->npaths >= RR_MAX_PATHS)
		return;
	for (unsigned i = 0; i < r->npaths; i++)
		if (strcmp(r->paths[i].full, path) == 0)
			return;
	char *s = strdup(path);
	if (!s)
		return;
	struct rr_path_ent *e = &r->paths[r->npaths];
	e->full = s;
	e->len = strlen(s);
	e->base = rr_basename(s);
	/* longest first, so a path is never cut by a shorter one it contains */
	unsigned k = r->npaths++;
	while (k > 0 && r->paths[k - 1].len < r->paths[k].len) {
		struct rr_path_ent t = r->paths[k - 1];
		r->paths[k - 1] = r->paths[k];
		r->paths[k] = t;
		k--;
	}
}

/* ---- free text ---- */

struct obuf {
	char *b;
	size_t n, cap;
};

static void
put(struct obuf *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o->n + 1 < o->cap; i++)
		o->b[o->n++] = s[i];
	o->b[o->n] = '\0';
}

char *
rr_text(struct rr *r, const char *in, char *out, size_t outlen)
{
	if (outlen == 0)
		return out;
	struct obuf o = {out, 0, outlen};
	out[0] = '\0';
	if (!in)
		return out;
	if (r && r->redact)
		id_index(r);
	for (size_t i = 0; in[i];) {
		bool done = false;
		for (unsigned k = 0; r && k < r->npaths && !done; k++) {
			const struct rr_path_ent *p = &r->paths[k];
			if (strncmp(in + i, p->full, p->len) == 0) {
				put(&o, p->base, strlen(p->base));
				i += p->len;
				done = true;
			}
		}
		if (done)
			continue;
		if (r && r->redact) {
			uint8_t c = (uint8_t)in[i];
			for (unsigned k = r->first[c]; r->order && k < r->first[c + 1] && !done;
			     k++) {
				struct rr_id_ent *e = &r->ids[r->order[k].idx];
				if (strncmp(in + i, e->s, e->len) != 0)
					continue;
				/* a short identity only as a word of its own */
				if (e->len < 4 &&
				    ((i > 0 && is_word(in[i - 1])) || is_word(in[i + e->len])))
					continue;
				char ph[24];
				id_placeholder(r, e, ph, sizeof ph);
				put(&o, ph, strlen(ph));
				i += e->len;
				done = true;
			}
			if (done)
				continue;
			struct addr a;
			size_t n = addr_at(in, i, &a);
			if (n) {
				char ph[ADDR_STRLEN];
				if (addr_exempt(&a)) {
					put(&o, in + i, n);
				} else {
					rr_addr(r, &a, ph, sizeof ph);
					put(&o, ph, strlen(ph));
				}
				i += n;
				continue;
			}
		}
		put(&o, in + i, 1);
		i++;
	}
	return out;
}
