/*
 * reasm.c - IP fragment reassembly with bounded memory.  See reasm.h.
 */
#include "src/capture/reasm.h"

#include <stdlib.h>
#include <string.h>

#define UNITS 8192u		 /* 8-octet blocks in 65536 bytes */
#define BITMAP_BYTES (UNITS / 8) /* one bitmap */
#define MAX_PAYLOAD 65535u
#define TOMBS 1024u /* remembered rejected datagrams (a power of 2) */

struct dgram {
	struct reasm_key key;
	struct dgram *hnext;	     /* hash chain */
	struct dgram *older, *newer; /* age list, by first fragment */
	int64_t created;
	bool have_total;
	uint32_t total;	  /* payload length: the end of the last fragment */
	uint32_t hi;	  /* the highest end seen */
	uint32_t covered; /* blocks held */
	bool first_seen;
	uint8_t nh;
	bool ports;
	uint16_t sport, dport;
	/* the bitmap of blocks held (BITMAP_BYTES), then cap data bytes */
	uint8_t *mem;
	size_t cap;
	/* fragments in offset order */
	uint64_t *frames;
	uint32_t *offs, *lens;
	unsigned n, nmax;
	size_t charged;
};

struct tomb {
	struct reasm_key key;
	int64_t ts;
	bool used;
	bool ours; /* given up as invalid (its fragments are lost), not rejected */
};

struct reasm {
	struct reasm_limits lim;
	reasm_gone_fn gone;
	void *ctx;
	struct dgram **buckets;
	size_t nbuckets; /* a power of 2 */
	struct dgram *oldest, *newest;
	unsigned count;
	size_t used;
	struct dgram *done; /* returned by the last REASM_DONE, freed by reasm_release */
	struct tomb tombs[TOMBS];
};

static uint32_t
key_hash(const struct reasm_key *k)
{
	/* FNV-1a over the fields that matter */
	uint32_t h = 2166136261u;
	size_t alen = k->version == 4 ? 4 : 16;
	const uint8_t head[6] = {k->version,
				 k->proto,
				 (uint8_t)(k->id >> 24),
				 (uint8_t)(k->id >> 16),
				 (uint8_t)(k->id >> 8),
				 (uint8_t)k->id};
	for (size_t i = 0; i < sizeof head; i++)
		h = (h ^ head[i]) * 16777619u;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ k->src[i]) * 16777619u;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ k->dst[i]) * 16777619u;
	return h;
}

static bool
key_eq(const struct reasm_key *a, const struct reasm_key *b)
{
	return a->version == b->version && a->proto == b->proto && a->id == b->id &&
	       memcmp(a->src, b->src, 16) == 0 && memcmp(a->dst, b->dst, 16) == 0;
}

struct reasm *
reasm_new(const struct reasm_limits *lim, reasm_gone_fn gone, void *ctx)
{
	struct reasm *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->lim = *lim;
	r->gone = gone;
	r->ctx = ctx;
	r->nbuckets = 16;
	while (r->nbuckets < (size_t)lim->max_dgrams * 2 && r->nbuckets < 65536)
		r->nbuckets *= 2;
	r->buckets = calloc(r->nbuckets, sizeof *r->buckets);
	if (r->buckets == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

static struct dgram **
bucket(struct reasm *r, const struct reasm_key *k)
{
	return &r->buckets[key_hash(k) & (r->nbuckets - 1)];
}

static struct dgram *
find(struct reasm *r, const struct reasm_key *k)
{
	for (struct dgram *d = *bucket(r, k); d != NULL; d = d->hnext)
		if (key_eq(&d->key, k))
			return d;
	return NULL;
}

static void
destroy(struct reasm *r, struct dgram *d)
{
	struct dgram **pp = bucket(r, &d->key);
	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	if (d->older)
		d->older->newer = d->newer;
	else
		r->oldest = d->newer;
	if (d->newer)
		d->newer->older = d->older;
	else
		r->newest = d->older;
	r->count--;
	r->used -= d->charged;
	if (r->done == d)
		r->done = NULL;
	free(d->mem);
	free(d->frames);
	free(d->offs);
	free(d->lens);
	free(d);
}

static const struct tomb *
tomb_find(const struct reasm *r, const struct reasm_key *k, int64_t now)
{
	const struct tomb *t = &r->tombs[key_hash(k) & (TOMBS - 1)];
	if (!t->used || !key_eq(&t->key, k))
		return NULL;
	/* expired when older than the timeout (time going backwards keeps it) */
	if (now > t->ts && (uint64_t)now - (uint64_t)t->ts > r->lim.timeout_s)
		return NULL;
	return t;
}

static void
tomb_add(struct reasm *r, const struct reasm_key *k, int64_t now, bool ours)
{
	struct tomb *t = &r->tombs[key_hash(k) & (TOMBS - 1)];
	t->key = *k;
	t->ts = now;
	t->used = true;
	t->ours = ours;
}

/* Give up a datagram: tell the caller which fragments will never complete. */
static void
give_up(struct reasm *r, struct dgram *d, enum reasm_why why)
{
	if (d->n > 0 && r->gone)
		r->gone(r->ctx, d->frames, d->n, why);
	destroy(r, d);
}

/* Give up the oldest datagram other than keep; false if there is none. */
static bool
evict_oldest(struct reasm *r, const struct dgram *keep, enum reasm_why why)
{
	struct dgram *d = r->oldest;
	if (d == keep)
		d = d->newer;
	if (d == NULL)
		return false;
	give_up(r, d, why);
	return true;
}

/* Account delta more bytes to d, giving up older datagrams to make room. */
static bool
charge(struct reasm *r, struct dgram *d, size_t delta)
{
	while (r->used + delta > r->lim.max_bytes)
		if (!evict_oldest(r, d, REASM_CAP_BYTES))
			return false;
	r->used += delta;
	d->charged += delta;
	return true;
}

static struct dgram *
create(struct reasm *r, const struct reasm_key *k, int64_t now)
{
	while (r->count >= r->lim.max_dgrams)
		if (!evict_oldest(r, NULL, REASM_CAP_DGRAMS))
			break;
	while (r->used + sizeof(struct dgram) > r->lim.max_bytes)
		if (!evict_oldest(r, NULL, REASM_CAP_BYTES))
			return NULL;
	struct dgram *d = calloc(1, sizeof *d);
	if (d == NULL)
		return NULL;
	d->key = *k;
	d->created = now;
	struct dgram **b = bucket(r, k);
	d->hnext = *b;
	*b = d;
	d->older = r->newest;
	if (r->newest)
		r->newest->newer = d;
	else
		r->oldest = d;
	r->newest = d;
	r->count++;
	r->used += sizeof *d;
	d->charged = sizeof *d;
	return d;
}

/* Make room for data up to end (and the bitmaps on first use). */
static bool
grow_data(struct reasm *r, struct dgram *d, size_t end)
{
	if (d->mem != NULL && end <= d->cap)
		return true;
	size_t cap = d->cap ? d->cap : 2048;
	while (cap < end)
		cap *= 2;
	size_t delta = cap - d->cap + (d->mem == NULL ? BITMAP_BYTES : 0);
	if (!charge(r, d, delta))
		return false;
	uint8_t *m = realloc(d->mem, BITMAP_BYTES + cap);
	if (m == NULL) {
		d->charged -= delta;
		r->used -= delta;
		return false;
	}
	if (d->mem == NULL)
		memset(m, 0, BITMAP_BYTES);
	d->mem = m;
	d->cap = cap;
	return true;
}

static bool
grow_frames(struct reasm *r, struct dgram *d)
{
	if (d->n < d->nmax)
		return true;
	unsigned nmax = d->nmax ? d->nmax * 2 : 4;
	size_t per = sizeof(uint64_t) + 2 * sizeof(uint32_t);
	if (!charge(r, d, (size_t)(nmax - d->nmax) * per))
		return false;
	uint64_t *f = realloc(d->frames, nmax * sizeof *f);
	if (f)
		d->frames = f;
	uint32_t *o = realloc(d->offs, nmax * sizeof *o);
	if (o)
		d->offs = o;
	uint32_t *l = realloc(d->lens, nmax * sizeof *l);
	if (l)
		d->lens = l;
	if (f == NULL || o == NULL || l == NULL)
		return false; /* the arrays kept their old size; the caller gives up */
	d->nmax = nmax;
	return true;
}

static bool
bit_get(const uint8_t *map, uint32_t u)
{
	return (map[u / 8] >> (u % 8)) & 1u;
}

static void
bit_set(uint8_t *map, uint32_t u)
{
	map[u / 8] = (uint8_t)(map[u / 8] | 1u << (u % 8));
}

/* What this fragment alone says, for a fragment that is not stored. */
static enum reasm_status
lost(const struct reasm_frag *f, struct reasm_result *res)
{
	if (f->off == 0) {
		res->first_seen = true;
		res->nh = f->nh;
		res->ports = f->ports;
		res->sport = f->sport;
		res->dport = f->dport;
	}
	return REASM_LOST;
}

/* The datagram is invalid: give it up; the rest of its fragments are lost. */
static enum reasm_status
invalid(struct reasm *r, struct dgram *d, const struct reasm_frag *f, struct reasm_result *res,
	unsigned flag)
{
	res->flags |= flag;
	if (d)
		give_up(r, d, REASM_INVALID);
	tomb_add(r, &f->key, f->ts, true);
	return lost(f, res);
}

enum reasm_status
reasm_add(struct reasm *r, const struct reasm_frag *f, struct reasm_result *res)
{
	memset(res, 0, sizeof *res);
	reasm_release(r);
	const struct tomb *t = tomb_find(r, &f->key, f->ts);
	if (t != NULL)
		return t->ours ? lost(f, res) : REASM_SKIP;
	/* RFC 791 3.2 and RFC 8200 4.5: every fragment but the last carries a
	 * multiple of 8 octets.  Such a fragment cannot be placed; stacks drop it. */
	if (f->more && f->len % 8 != 0) {
		res->flags |= REASM_F_MISALIGNED;
		return lost(f, res);
	}
	struct dgram *d = find(r, &f->key);
	size_t end = (size_t)f->off + f->len;
	if (cur_left(&f->data) < f->len) /* the caller abandons cut fragments */
		return invalid(r, d, f, res, 0);
	/* The reassembled datagram may not exceed 65535 bytes (RFC 791 total
	 * length; RFC 8200 4.5 "would exceed 65,535 octets") - the old ping of
	 * death. */
	if (f->hdr_len + end > MAX_PAYLOAD)
		return invalid(r, d, f, res, REASM_F_TOO_BIG);
	if (d == NULL) {
		d = create(r, &f->key, f->ts);
		if (d == NULL) {
			res->flags |= REASM_F_NOMEM;
			return lost(f, res);
		}
	}
	/* One end only: the fragment without "more fragments" fixes it, and no
	 * fragment may reach past it. */
	if (!f->more) {
		if ((d->have_total && d->total != end) || d->hi > end)
			return invalid(r, d, f, res, REASM_F_BAD_END);
		d->have_total = true;
		d->total = (uint32_t)end;
	} else if (d->have_total && end > d->total) {
		return invalid(r, d, f, res, REASM_F_BAD_END);
	}
	if (d->n >= REASM_MAX_FRAGS)
		return invalid(r, d, f, res, REASM_F_TOO_MANY);
	if (!grow_data(r, d, end) || !grow_frames(r, d))
		return invalid(r, d, f, res, REASM_F_NOMEM);

	/* Copy block by block; a block already held keeps its bytes. */
	struct cur dc = f->data;
	const uint8_t *src = cur_bytes(&dc, f->len);
	uint8_t *held = d->mem, *data = d->mem + BITMAP_BYTES;
	bool overlap = false, differs = false;
	for (size_t b = f->off; b < end; b += 8) {
		uint32_t u = (uint32_t)(b / 8);
		size_t be = b + 8 < end ? b + 8 : end;
		if (bit_get(held, u)) {
			overlap = true;
			if (memcmp(data + b, src + (b - f->off), be - b) != 0)
				differs = true;
			continue;
		}
		memcpy(data + b, src + (b - f->off), be - b);
		bit_set(held, u);
		d->covered++;
	}
	if (overlap || f->len == 0) {
		bool same = false;
		for (unsigned i = 0; i < d->n; i++)
			if (d->offs[i] == f->off && d->lens[i] == f->len)
				same = true;
		if (same && !differs)
			res->flags |= REASM_F_DUP;
		else if (overlap)
			res->flags |= REASM_F_OVERLAP;
	}

	/* Record the frame, keeping offset order (arrival order on a tie). */
	unsigned i = d->n;
	while (i > 0 && d->offs[i - 1] > f->off)
		i--;
	memmove(d->frames + i + 1, d->frames + i, (d->n - i) * sizeof *d->frames);
	memmove(d->offs + i + 1, d->offs + i, (d->n - i) * sizeof *d->offs);
	memmove(d->lens + i + 1, d->lens + i, (d->n - i) * sizeof *d->lens);
	d->frames[i] = f->frame;
	d->offs[i] = f->off;
	d->lens[i] = (uint32_t)f->len;
	d->n++;

	if (end > d->hi)
		d->hi = (uint32_t)end;
	if (f->off == 0 && !d->first_seen) {
		d->first_seen = true;
		d->nh = f->nh;
		if (f->ports) {
			d->ports = true;
			d->sport = f->sport;
			d->dport = f->dport;
		}
	}
	res->ports = d->ports;
	res->sport = d->sport;
	res->dport = d->dport;
	res->first_seen = d->first_seen;
	res->nh = d->nh;

	if (!d->have_total || d->covered < (d->total + 7) / 8)
		return REASM_HELD;

	/* Complete. */
	res->data = data;
	res->total = d->total;
	res->frames = d->frames;
	res->nframes = d->n;
	r->done = d;
	return REASM_DONE;
}

void
reasm_release(struct reasm *r)
{
	if (r->done)
		destroy(r, r->done);
}

void
reasm_reject(struct reasm *r, const struct reasm_key *k, int64_t now)
{
	struct dgram *d = find(r, k);
	if (d)
		give_up(r, d, REASM_NOT_OURS);
	tomb_add(r, k, now, false);
}

void
reasm_abandon(struct reasm *r, const struct reasm_key *k, int64_t now)
{
	struct dgram *d = find(r, k);
	if (d)
		give_up(r, d, REASM_CUT);
	tomb_add(r, k, now, true);
}

void
reasm_expire(struct reasm *r, int64_t now)
{
	reasm_release(r);
	while (r->oldest != NULL) {
		int64_t t = r->oldest->created;
		if (!(now > t && (uint64_t)now - (uint64_t)t > r->lim.timeout_s))
			break;
		give_up(r, r->oldest, REASM_TIMEOUT);
	}
}

void
reasm_flush(struct reasm *r)
{
	reasm_release(r);
	while (r->oldest != NULL)
		give_up(r, r->oldest, REASM_FLUSH);
	memset(r->tombs, 0, sizeof r->tombs);
}

void
reasm_free(struct reasm *r)
{
	if (r == NULL)
		return;
	r->gone = NULL;
	while (r->oldest != NULL)
		destroy(r, r->oldest);
	free(r->buckets);
	free(r);
}

unsigned
reasm_pending(const struct reasm *r)
{
	return r->count;
}

size_t
reasm_bytes(const struct reasm *r)
{
	return r->used;
}
