/*
 * track.c - IKE SAs by cookie/SPI pair, messages, retransmissions.
 *
 * Pairing rules (PROTOCOL-NOTES.md "Roles, pairing, retransmissions"):
 *  - a half-open SA (responder SPI still zero) is keyed by version, SPIi and
 *    the initiator's address, and merges when the first non-zero SPIr shows
 *    up; IKEv2 COOKIE / INVALID_KE_PAYLOAD replies keep SPIr zero and the
 *    retry reuses SPIi, so the restart lands on the same SA as an attempt;
 *  - once both SPIs are known the pair alone identifies the SA, so it is
 *    followed across the NAT-T float to 4500 and across address changes;
 *  - IKEv2 messages say who sent them (I flag); IKEv1 messages do not, so
 *    the sender is found by address;
 *  - a repeat of a message already seen is a retransmission, unless it
 *    repeats the same IP packet within milliseconds (a capture duplicate).
 */
#include "src/track/track_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/names.h"
#include "dissect/vendor.h"
#include "src/decrypt/kx.h"
#include "src/keys/keys.h"

#define DEFAULT_MAX_SAS 65536
#define DEFAULT_MAX_FLOWS 65536
#define DEFAULT_IDLE_S 3600
#define SWEEP_EVERY_US (60 * 1000000LL)
#define DUP_WINDOW_US 100000 /* a repeat of the same IP packet within 100 ms */

uint64_t
tk_hash_bytes(const uint8_t *p, size_t n)
{
	/* FNV-1a 64: fast, and collisions only merge two retransmission
	 * candidates that already agree on SA, direction, exchange and msgid */
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint32_t
spi_hash(const uint8_t *spi)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 8; i++) {
		h ^= spi[i];
		h *= 16777619u;
	}
	return h;
}

static bool
spi_zero(const uint8_t *spi)
{
	static const uint8_t z[8];
	return memcmp(spi, z, 8) == 0;
}

/* ---- peers ---- */

static uint32_t
peer_hash(const struct addr *a, const struct addr *b)
{
	return addr_hash(a) * 31u ^ addr_hash(b);
}

struct tk_peer *
tk_peer_find(struct tracker *tk, const struct addr *x, const struct addr *y)
{
	const struct addr *a = x, *b = y;
	if (addr_cmp(a, b) > 0) {
		a = y;
		b = x;
	}
	uint32_t h = peer_hash(a, b) & tk->peer_hash_mask;
	for (struct tk_peer *p = tk->peer_hash[h]; p; p = p->next)
		if (addr_eq(&p->a, a) && addr_eq(&p->b, b))
			return p;
	return NULL;
}

struct tk_peer *
tk_peer_get(struct tracker *tk, const struct addr *x, const struct addr *y)
{
	struct tk_peer *found = tk_peer_find(tk, x, y);
	if (found)
		return found;
	const struct addr *a = x, *b = y;
	if (addr_cmp(a, b) > 0) {
		a = y;
		b = x;
	}
	uint32_t h = peer_hash(a, b) & tk->peer_hash_mask;
	struct tk_peer *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->a = *a;
	p->b = *b;
	p->next = tk->peer_hash[h];
	tk->peer_hash[h] = p;
	tk->npeers++;
	return p;
}

static struct tk_origin *
origin_get(struct tracker *tk, const struct addr *a)
{
	uint32_t h = addr_hash(a) & tk->origin_hash_mask;
	for (struct tk_origin *o = tk->origin_hash[h]; o; o = o->next)
		if (addr_eq(&o->a, a))
			return o;
	struct tk_origin *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->a = *a;
	o->next = tk->origin_hash[h];
	tk->origin_hash[h] = o;
	return o;
}

/* ---- life cycle ---- */

struct tracker *
tk_new(const struct tk_limits *lim, const struct tk_events *ev)
{
	struct tracker *tk = calloc(1, sizeof *tk);
	if (!tk)
		return NULL;
	if (lim)
		tk->lim = *lim;
	if (!tk->lim.max_sas)
		tk->lim.max_sas = DEFAULT_MAX_SAS;
	if (!tk->lim.max_flows)
		tk->lim.max_flows = DEFAULT_MAX_FLOWS;
	if (!tk->lim.idle_timeout_s)
		tk->lim.idle_timeout_s = DEFAULT_IDLE_S;
	if (ev)
		tk->ev = *ev;
	tk->sa_hash_mask = 65535;
	tk->fl_hash_mask = 65535;
	tk->peer_hash_mask = 65535;
	tk->sa_hash = calloc(tk->sa_hash_mask + 1, sizeof *tk->sa_hash);
	tk->fl_hash = calloc(tk->fl_hash_mask + 1, sizeof *tk->fl_hash);
	tk->peer_hash = calloc(tk->peer_hash_mask + 1, sizeof *tk->peer_hash);
	tk->origin_hash_mask = 4095;
	tk->origin_hash = calloc(tk->origin_hash_mask + 1, sizeof *tk->origin_hash);
	if (!tk->sa_hash || !tk->fl_hash || !tk->peer_hash || !tk->origin_hash) {
		tk_free(tk);
		return NULL;
	}
	return tk;
}

static void
sa_unlink(struct tracker *tk, struct tk_sa *sa)
{
	uint32_t h = spi_hash(sa->ispi) & tk->sa_hash_mask;
	for (struct tk_sa **pp = &tk->sa_hash[h]; *pp; pp = &(*pp)->next_hash)
		if (*pp == sa) {
			*pp = sa->next_hash;
			break;
		}
	if (sa->peer) {
		if (sa->peer_prev)
			sa->peer_prev->peer_next = sa->peer_next;
		else
			sa->peer->sa_first = sa->peer_next;
		if (sa->peer_next)
			sa->peer_next->peer_prev = sa->peer_prev;
		else
			sa->peer->sa_last = sa->peer_prev;
	}
	if (sa->prev_all)
		sa->prev_all->next_all = sa->next_all;
	else
		tk->sa_first = sa->next_all;
	if (sa->next_all)
		sa->next_all->prev_all = sa->prev_all;
	else
		tk->sa_last = sa->prev_all;
	tk->nsas--;
}

#define FRAG1_MAX 32
struct tk_frag1 {
	uint16_t id;
	uint8_t from;
	uint8_t last; /* number of the last fragment, 0 until seen */
	unsigned got;
	size_t total;
	uint8_t *part[FRAG1_MAX + 1];
	uint16_t len[FRAG1_MAX + 1];
};

static void
frag1_reset(struct tk_frag1 *fr)
{
	for (unsigned i = 0; i <= FRAG1_MAX; i++) {
		free(fr->part[i]);
		fr->part[i] = NULL;
		fr->len[i] = 0;
	}
	fr->got = 0;
	fr->last = 0;
	fr->total = 0;
}

/*
 * Store one IKEv1 fragment; when every piece up to the last is in, return
 * the whole message (in the arena) and its length.  Bounded: 32 fragments,
 * 64 KiB.
 */
static const uint8_t *
frag1_add(struct tk_sa *sa, uint8_t from, const struct ike_frag1 *fp, struct arena *ar,
	  size_t *outlen)
{
	if (fp->num == 0 || fp->num > FRAG1_MAX || fp->len > 65535)
		return NULL;
	if (!sa->frag1) {
		sa->frag1 = calloc(1, sizeof *sa->frag1);
		if (!sa->frag1)
			return NULL;
	}
	struct tk_frag1 *fr = sa->frag1;
	if (fr->got && (fr->id != fp->id || fr->from != from))
		frag1_reset(fr);
	fr->id = fp->id;
	fr->from = from;
	if (!fr->part[fp->num]) {
		if (fr->total + fp->len > 65535)
			return NULL;
		fr->part[fp->num] = malloc(fp->len ? fp->len : 1);
		if (!fr->part[fp->num])
			return NULL;
		if (fp->len)
			memcpy(fr->part[fp->num], fp->data, fp->len);
		fr->len[fp->num] = (uint16_t)fp->len;
		fr->total += fp->len;
		fr->got++;
	}
	if (fp->last)
		fr->last = fp->num;
	if (!fr->last || fr->got < fr->last)
		return NULL;
	for (unsigned i = 1; i <= fr->last; i++)
		if (!fr->part[i])
			return NULL;
	uint8_t *all = arena_alloc(ar, fr->total ? fr->total : 1);
	if (!all)
		return NULL;
	size_t o = 0;
	for (unsigned i = 1; i <= fr->last; i++) {
		memcpy(all + o, fr->part[i], fr->len[i]);
		o += fr->len[i];
	}
	*outlen = o;
	frag1_reset(fr);
	return all;
}

static void
sa_free(struct tk_sa *sa)
{
	if (sa->frag1) {
		frag1_reset(sa->frag1);
		free(sa->frag1);
	}
	kx_sa_free(sa->kx);
	free(sa->msgs);
	free(sa->p2);
	free(sa);
}

/* Compute the final status, report, free. */
static void
sa_close(struct tracker *tk, struct tk_sa *sa)
{
	tk_finalize(tk, sa);
	sa->closed = true;
	/* flows keep the SA's identity, not the pointer */
	for (struct tk_flow *f = sa->flows, *n; f; f = n) {
		n = f->sa_next;
		f->sa = NULL;
		f->sa_next = f->sa_prev = NULL;
	}
	sa->flows = NULL;
	if (tk->ev.sa_closed)
		tk->ev.sa_closed(tk->ev.ctx, sa);
	/* a rekeyed pair must not point at freed memory */
	if (sa->rekeyed_from && sa->rekeyed_from->rekeyed_to == sa)
		sa->rekeyed_from->rekeyed_to = NULL;
	if (sa->rekeyed_to && sa->rekeyed_to->rekeyed_from == sa)
		sa->rekeyed_to->rekeyed_from = NULL;
	sa_unlink(tk, sa);
	sa_free(sa);
}

void
tk_free(struct tracker *tk)
{
	if (!tk)
		return;
	struct tk_sa *sa = tk->sa_first;
	while (sa) {
		struct tk_sa *n = sa->next_all;
		sa_free(sa);
		sa = n;
	}
	tk_flows_free(tk);
	struct tk_peer *p;
	for (unsigned i = 0; tk->peer_hash && i <= tk->peer_hash_mask; i++) {
		p = tk->peer_hash[i];
		while (p) {
			struct tk_peer *n = p->next;
			free(p);
			p = n;
		}
	}
	for (unsigned i = 0; tk->origin_hash && i <= tk->origin_hash_mask; i++) {
		struct tk_origin *o = tk->origin_hash[i];
		while (o) {
			struct tk_origin *n = o->next;
			free(o);
			o = n;
		}
	}
	free(tk->origin_hash);
	free(tk->sa_hash);
	free(tk->fl_hash);
	free(tk->peer_hash);
	free(tk);
}

void
tk_set_keys(struct tracker *tk, struct kx_store *ks)
{
	tk->ks = ks;
}

/* ---- finding the SA of a message ---- */

static bool
same_peers(const struct tk_sa *sa, const struct cap_frame *f)
{
	const struct addr *a = &sa->side[TK_I].addr, *b = &sa->side[TK_R].addr;
	return (addr_eq(a, &f->src) && addr_eq(b, &f->dst)) ||
	       (addr_eq(a, &f->dst) && addr_eq(b, &f->src));
}

static struct tk_sa *
sa_find(struct tracker *tk, const struct cap_frame *f, const struct ike_msg *m)
{
	uint32_t h = spi_hash(m->ispi) & tk->sa_hash_mask;
	bool rzero = spi_zero(m->rspi);
	struct tk_sa *half = NULL;
	for (struct tk_sa *sa = tk->sa_hash[h]; sa; sa = sa->next_hash) {
		if (sa->version != (m->v2 ? 2 : 1) || memcmp(sa->ispi, m->ispi, 8) != 0)
			continue;
		if (!rzero && sa->rspi_known) {
			if (memcmp(sa->rspi, m->rspi, 8) == 0)
				return sa; /* the pair: addresses may have changed */
			continue;
		}
		/* half-open on one side or the other: the addresses must agree */
		if (!same_peers(sa, f))
			continue;
		if (rzero)
			return sa; /* MM1 / IKE_SA_INIT (retry) / COOKIE reply */
		if (!sa->rspi_known && !half)
			half = sa;
	}
	return half;
}

static struct tk_sa *
sa_new(struct tracker *tk, const struct cap_frame *f, const struct ike_msg *m)
{
	if (tk->nsas >= tk->lim.max_sas) {
		/* the oldest live SA makes room: memory stays bounded */
		if (tk->sa_first)
			sa_close(tk, tk->sa_first);
	}
	struct tk_sa *sa = calloc(1, sizeof *sa);
	if (!sa)
		return NULL;
	sa->version = m->v2 ? 2 : 1;
	memcpy(sa->ispi, m->ispi, 8);
	sa->id = ++tk->next_sa_id;
	sa->auth_method = -1;
	sa->ke_group[0] = sa->ke_group[1] = -1;
	sa->decrypts[0] = sa->decrypts[1] = -1;
	sa->hash_ok[0] = sa->hash_ok[1] = -1;
	sa->psk_own_ok[0] = sa->psk_own_ok[1] = -1;
	sa->psk_peer_ok[0] = sa->psk_peer_ok[1] = -1;
	for (int s = 0; s < 2; s++)
		sa->side[s].nat = -1;
	sa->chosen.set = false;

	bool rzero = spi_zero(m->rspi);
	uint8_t sender;
	if (m->v2) {
		sender = (m->flags & IKE_V2_FLAG_I) ? TK_I : TK_R;
		sa->role_known = true;
		sa->role_basis = "i_flag";
		sa->mode = TM_IKEV2;
	} else {
		sender = TK_I;
		if (rzero) {
			sa->role_known = true;
			sa->role_basis = "first_message";
		} else {
			sa->role_basis = "unknown";
		}
		sa->mode = m->exch == IKE1_EXCH_MAIN   ? TM_MAIN
			   : m->exch == IKE1_EXCH_AGGR ? TM_AGGRESSIVE
						       : TM_UNKNOWN;
	}
	sa->side[sender].addr = f->src;
	sa->side[sender ^ 1].addr = f->dst;
	sa->side[sender].port = f->sport;
	sa->side[sender ^ 1].port = f->dport;
	if (!rzero) {
		memcpy(sa->rspi, m->rspi, 8);
		sa->rspi_known = true;
	}
	sa->first.file = f->file;
	sa->first.frame = f->num;
	sa->first.t = tk_time_of(f);
	sa->last = sa->first;
	sa->peer = tk_peer_get(tk, &f->src, &f->dst);
	if (sa->peer) {
		sa->peer->nsas++;
		if (!sa->peer->first)
			sa->peer->first = sa->first.t;
		sa->peer_prev = sa->peer->sa_last;
		if (sa->peer->sa_last)
			sa->peer->sa_last->peer_next = sa;
		else
			sa->peer->sa_first = sa;
		sa->peer->sa_last = sa;
	}
	/* seen from the initiator's first message: count it for its origin */
	if (rzero && sender == TK_I && (sa->origin = origin_get(tk, &f->src)) != NULL) {
		struct tk_origin *o = sa->origin;
		if (o->nsas++ == 0)
			o->first = sa->first.t;
		o->last = sa->first.t;
		if (sa->peer && sa->peer->nsas == 1)
			o->npeers++;
	}

	uint32_t h = spi_hash(sa->ispi) & tk->sa_hash_mask;
	sa->next_hash = tk->sa_hash[h];
	tk->sa_hash[h] = sa;
	sa->prev_all = tk->sa_last;
	if (tk->sa_last)
		tk->sa_last->next_all = sa;
	else
		tk->sa_first = sa;
	tk->sa_last = sa;
	tk->nsas++;
	return sa;
}

static uint8_t
sender_of(const struct tk_sa *sa, const struct cap_frame *f, const struct ike_msg *m)
{
	if (m->v2) {
		/* RFC 7296 3.1: the I flag marks the original initiator (of this SA) */
		return (m->flags & IKE_V2_FLAG_I) ? TK_I : TK_R;
	}
	const struct tk_side_info *si = &sa->side[TK_I], *sr = &sa->side[TK_R];
	bool from_i = addr_eq(&f->src, &si->addr), from_r = addr_eq(&f->src, &sr->addr);
	if (from_i && from_r) /* both ends on one address: ports decide */
		return f->sport == sr->port && f->sport != si->port ? TK_R : TK_I;
	if (from_i)
		return TK_I;
	if (from_r)
		return TK_R;
	/* the sender moved: the destination says who it talks to */
	if (addr_eq(&f->dst, &si->addr))
		return TK_R;
	return TK_I;
}

/* ---- what a message says ---- */

static void
add_ptype(struct tk_msg *t, uint8_t type)
{
	if (t->nptypes < TK_MAX_PTYPES)
		t->ptypes[t->nptypes++] = type;
}

static void
summarize_chain(struct tk_msg *t, const struct ike_chain *c, bool pld15_is_natd)
{
	for (unsigned i = 0; i < c->n; i++) {
		const struct ike_pld *p = &c->p[i];
		/* the draft NAT-D numbers read as the RFC 3947 one from here on */
		add_ptype(t, (p->type == IKE1_SAK && pld15_is_natd) || p->type == IKE1_NATD_DRAFT
				 ? IKE1_NATD
				 : p->type);
		if ((p->type == IKE1_N || p->type == IKE2_N) && p->known &&
		    t->nnotify < TK_MAX_NOTIFY)
			t->notify[t->nnotify++] = p->u.n.type;
		if ((p->type == IKE2_SK || p->type == IKE2_SKF) && p->known) {
			t->first_payload = p->u.sk.first_inner;
			t->sk_len = p->u.sk.len;
			if (p->u.sk.inner)
				summarize_chain(t, p->u.sk.inner, false);
		}
	}
}

bool
tk_msg_has_ptype(const struct tk_msg *m, uint8_t type)
{
	for (unsigned i = 0; i < m->nptypes; i++)
		if (m->ptypes[i] == type)
			return true;
	return false;
}

uint16_t
tk_msg_error_notify(const struct tk_msg *m)
{
	for (unsigned i = 0; i < m->nnotify; i++)
		if (nt_notify_is_error(m->notify[i]))
			return m->notify[i];
	return 0;
}

static void
fill_msg(struct tk_msg *t, const struct cap_frame *f, const struct ike_msg *m, uint8_t from)
{
	memset(t, 0, sizeof *t);
	t->ref.file = f->file;
	t->ref.frame = f->num;
	t->ref.t = tk_time_of(f);
	t->last_t = t->ref.t;
	t->last_ip_id = f->ip_id;
	t->from = from;
	t->exch = m->exch;
	t->msgid = m->msgid;
	t->flags = m->flags;
	t->response = m->v2 && (m->flags & IKE_V2_FLAG_R);
	t->encrypted = m->encrypted;
	t->decrypted = m->decrypted;
	/* reassembled here, or only its first IP fragment ever arrived */
	t->ip_fragmented = f->reassembled || (f->truncated && f->frag_more && f->frag_offset == 0);
	t->ip_incomplete = !f->reassembled && t->ip_fragmented;
	t->length = m->length;
	t->sport = f->sport;
	t->dport = f->dport;
	t->first_payload = m->np;
	t->hash = tk_hash_bytes(m->raw, m->raw_len);
	summarize_chain(t, &m->chain, m->pld15_is_natd);
	const struct ike_pld *skf = m->v2 ? ike_find(&m->chain, IKE2_SKF) : NULL;
	if (skf && skf->known) {
		t->ike_fragment = true;
		t->frag_num = skf->u.sk.frag_num;
		t->frag_total = skf->u.sk.frag_total;
	}
	const struct ike_pld *fr = !m->v2 ? ike_find(&m->chain, IKE1_FRAG) : NULL;
	if (fr && fr->known) {
		t->ike_fragment = true;
		t->frag_num = fr->u.frag.num;
		t->frag_total = fr->u.frag.last ? fr->u.frag.num : 0;
	}
}

/* An earlier message this one repeats, or NULL. */
static struct tk_msg *
find_original(struct tk_sa *sa, const struct tk_msg *t)
{
	unsigned lim = sa->nmsgs > 64 ? sa->nmsgs - 64 : 0;
	for (unsigned i = sa->nmsgs; i-- > lim;) {
		struct tk_msg *o = &sa->msgs[i];
		if (o->from != t->from || o->exch != t->exch || o->msgid != t->msgid ||
		    o->response != t->response)
			continue;
		if (o->hash == t->hash && o->length == t->length)
			return o;
		/* IKEv1 phase 1 positions: a repeat of the same place is a
		 * retransmission even if a byte changed (some stacks rebuild the
		 * message); fragments are told apart by their number */
		if (sa->version == 1 && t->label != TL_UNKNOWN && o->label == t->label &&
		    t->label >= TL_MM1 && t->label <= TL_AM3 && !t->ike_fragment &&
		    !o->ike_fragment)
			return o;
		if (t->ike_fragment && o->ike_fragment && o->frag_num == t->frag_num &&
		    o->length == t->length && o->hash == t->hash)
			return o;
	}
	return NULL;
}

static struct tk_msg *
msg_append(struct tk_sa *sa, const struct tk_msg *t)
{
	sa->nmsgs_total++;
	if (!sa->msgs) {
		sa->msgs = calloc(16, sizeof *sa->msgs);
		if (!sa->msgs)
			return NULL;
	} else if (sa->nmsgs >= 16 && (sa->nmsgs & (sa->nmsgs - 1)) == 0 &&
		   sa->nmsgs < TK_MAX_MSGS) {
		struct tk_msg *n = realloc(sa->msgs, 2u * sa->nmsgs * sizeof *n);
		if (!n)
			return NULL;
		sa->msgs = n;
	}
	if (sa->nmsgs >= TK_MAX_MSGS) {
		/* keep the negotiation (the first half) and the latest messages */
		memmove(&sa->msgs[TK_MAX_MSGS / 2], &sa->msgs[TK_MAX_MSGS / 2 + 1],
			(TK_MAX_MSGS / 2 - 1) * sizeof *sa->msgs);
		sa->nmsgs--;
	}
	sa->msgs[sa->nmsgs] = *t;
	return &sa->msgs[sa->nmsgs++];
}

/* ---- content: offers, choices, vendors, notifies ---- */

static void
xform_from_v1(struct tk_xform *x, const struct ike_proposal *p, const struct ike_transform *t)
{
	struct ike_v1_xform d;
	bool p1 = p->proto == 1;
	ike_v1_xform_decode(t, p1, &d);
	memset(x, 0, sizeof *x);
	x->set = true;
	x->proto = p->proto;
	x->transform = t->id;
	x->encr = p1 ? d.encr : -1;
	x->key_len = d.key_len;
	x->hash = d.hash;
	x->prf = d.prf;
	x->integ = d.integ;
	x->auth_method = d.auth_method;
	x->group = p1 ? d.group : d.pfs_group;
	x->esn = d.esn;
	x->encap_mode = d.encap_mode;
	x->life_seconds = d.life_seconds;
	x->life_kilobytes = d.life_kilobytes;
	for (int i = 0; i < 7; i++)
		x->addke[i] = -1;
}

static void
xform_from_v2(struct tk_xform *x, const struct ike_proposal *p)
{
	memset(x, 0, sizeof *x);
	x->set = true;
	x->v2 = true;
	x->proto = p->proto;
	x->encr = x->key_len = x->integ = x->prf = x->hash = x->group = x->auth_method = -1;
	x->esn = x->encap_mode = -1;
	x->life_seconds = x->life_kilobytes = -1;
	for (int i = 0; i < 7; i++)
		x->addke[i] = -1;
	/* the first transform of each type (a response holds exactly one) */
	for (unsigned i = 0; i < p->ntrans; i++) {
		const struct ike_transform *t = &p->t[i];
		switch (t->type) {
		case 1:
			if (x->encr < 0) {
				x->encr = t->id;
				unsigned kl = ike_v2_key_len(t);
				x->key_len = kl ? (int32_t)kl : -1;
			}
			break;
		case 2:
			if (x->prf < 0)
				x->prf = t->id;
			break;
		case 3:
			if (x->integ < 0)
				x->integ = t->id;
			break;
		case 4:
			if (x->group < 0)
				x->group = t->id;
			break;
		case 5:
			if (x->esn < 0)
				x->esn = t->id;
			break;
		default:
			if (t->type >= 6 && t->type <= 12 && x->addke[t->type - 6] < 0)
				x->addke[t->type - 6] = t->id;
			break;
		}
	}
}

/* Text of one IKEv2 proposal with every alternative: "AES-CBC-256/AES-GCM-16 SHA2-256 ..." */
static void
v2_offer_text(const struct ike_proposal *p, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (uint8_t type = 1; type <= 12; type++) {
		bool first = true;
		for (unsigned i = 0; i < p->ntrans; i++) {
			const struct ike_transform *t = &p->t[i];
			if (t->type != type)
				continue;
			if (type == 5 && t->id == 0 && p->ntrans > 0)
				continue; /* "no ESN" is the default: not worth words */
			enum nt tab = type == 1	  ? NT_V2_ENCR
				      : type == 2 ? NT_V2_PRF
				      : type == 3 ? NT_V2_INTEG
				      : type == 5 ? NT_V2_ESN
						  : NT_GROUP;
			const char *n = nt_short(tab, t->id);
			char num[16];
			if (!n) {
				snprintf(num, sizeof num, "%u", t->id);
				n = num;
			}
			unsigned kl = type == 1 ? ike_v2_key_len(t) : 0;
			int w;
			if (kl)
				w = snprintf(buf + o, len - o, "%s%s%s-%u",
					     first ? (o ? " " : "") : "/", type == 2 ? "PRF-" : "",
					     n, kl);
			else
				w = snprintf(buf + o, len - o, "%s%s%s",
					     first ? (o ? " " : "") : "/",
					     type == 2	 ? "PRF-"
					     : type == 5 ? "ESN-"
							 : "",
					     n);
			if (w < 0 || (size_t)w >= len - o)
				return;
			o += (size_t)w;
			first = false;
		}
	}
}

static void
note_offer(struct tk_sa *sa, const struct ike_sa *s, bool v2)
{
	sa->noffer = 0;
	sa->noffer_total = 0;
	for (unsigned i = 0; i < s->nprop; i++) {
		const struct ike_proposal *p = &s->p[i];
		if (v2) {
			sa->noffer_total++;
			if (sa->noffer < TK_MAX_OFFER) {
				xform_from_v2(&sa->offer[sa->noffer], p);
				v2_offer_text(p, sa->offer_text[sa->noffer],
					      sizeof sa->offer_text[sa->noffer]);
				sa->noffer++;
			}
			continue;
		}
		for (unsigned j = 0; j < p->ntrans; j++) {
			sa->noffer_total++;
			if (sa->noffer < TK_MAX_OFFER) {
				xform_from_v1(&sa->offer[sa->noffer], p, &p->t[j]);
				tk_xform_text(&sa->offer[sa->noffer], sa->offer_text[sa->noffer],
					      sizeof sa->offer_text[sa->noffer]);
				sa->noffer++;
			}
		}
	}
	if (!v2 && sa->noffer)
		sa->auth_method = sa->offer[0].auth_method;
}

static void
note_vendor(struct tk_side_info *si, const struct ike_pld *p)
{
	char text[128];
	const struct vid_info *vi = vid_lookup(p->body, p->body_len, text, sizeof text);
	if (!vi)
		return;
	si->vid_flags |= vi->flags;
	if (vi->natt_version > si->natt_version)
		si->natt_version = vi->natt_version;
	if (vi->natt_version >= 1 && vi->natt_version < 32)
		si->natt_drafts |= 1u << vi->natt_version;
	if (vi->family && !si->family)
		si->family = vi->family;
	for (unsigned i = 0; i < si->nvendors; i++)
		if (si->vendors[i] == vi->name)
			return;
	if (si->nvendors < TK_MAX_VENDORS)
		si->vendors[si->nvendors++] = vi->name;
}

static void
add_event(struct tk_sa *sa, const struct tk_msg *t, uint8_t kind, const struct ike_pld *p)
{
	if (sa->nevents >= TK_MAX_EVENTS)
		return;
	struct tk_event *e = &sa->events[sa->nevents++];
	memset(e, 0, sizeof *e);
	e->ref = t->ref;
	e->from = t->from;
	e->kind = kind;
	if (p && (p->type == IKE1_N || p->type == IKE2_N) && p->known) {
		e->notify = p->u.n.type;
		e->proto = p->u.n.proto;
		if ((e->notify == 36136 || e->notify == 36137) && p->u.n.len == 4)
			e->seq = (uint32_t)p->u.n.data[0] << 24 | (uint32_t)p->u.n.data[1] << 16 |
				 (uint32_t)p->u.n.data[2] << 8 | p->u.n.data[3];
	}
	if (p && (p->type == IKE1_D || p->type == IKE2_D) && p->known) {
		e->proto = p->u.d.proto;
		e->spi_size = p->u.d.spi_size;
		/* a delete of the IKE SA itself may carry count > 0 with SPI size 0 */
		for (unsigned i = 0; p->u.d.spis && p->u.d.spi_size > 0 && p->u.d.spi_size <= 8 &&
				     i < p->u.d.nspi && e->nspi < 4;
		     i++) {
			memcpy(e->spi[e->nspi], p->u.d.spis + (size_t)i * p->u.d.spi_size,
			       p->u.d.spi_size);
			e->nspi++;
		}
	}
}

/* Notifies, deletes and vendor IDs of a chain (cleartext or decrypted). */
static void
note_chain(struct tracker *tk, struct tk_sa *sa, const struct tk_msg *t, const struct ike_chain *c,
	   const struct cap_frame *f, const struct ike_msg *m)
{
	struct tk_side_info *si = &sa->side[t->from < 2 ? t->from : 0];
	for (unsigned i = 0; i < c->n; i++) {
		const struct ike_pld *p = &c->p[i];
		if (!p->known)
			continue;
		switch (p->type) {
		case IKE1_VID:
		case IKE2_V:
			if ((p->type == IKE1_VID) != m->v2)
				note_vendor(si, p);
			break;
		case IKE1_N:
		case IKE2_N:
			if ((p->type == IKE1_N) == m->v2)
				break;
			if (m->v2 && p->u.n.type == 16430) /* IKEV2_FRAGMENTATION_SUPPORTED */
				si->frag_supported = true;
			if (m->v2 && p->u.n.type == 16438) /* INTERMEDIATE_EXCHANGE_SUPPORTED */
				si->inter_supported = true;
			if (!m->v2 && (p->u.n.type == 36136 || p->u.n.type == 36137)) {
				add_event(sa, t, p->u.n.type == 36136 ? TE_DPD : TE_DPD_ACK, p);
				if (p->u.n.type == 36136)
					sa->dpd_sent[t->from & 1]++;
				else
					sa->dpd_acked[t->from & 1]++;
			} else if (p->u.n.type != 16388 && p->u.n.type != 16389) {
				add_event(sa, t, TE_NOTIFY, p);
			}
			break;
		case IKE1_D:
		case IKE2_D:
			if ((p->type == IKE1_D) != m->v2)
				add_event(sa, t, TE_DELETE, p);
			break;
		case IKE2_SK:
		case IKE2_SKF:
			if (m->v2 && p->u.sk.inner)
				note_chain(tk, sa, t, p->u.sk.inner, f, m);
			break;
		default:
			break;
		}
	}
	(void)tk;
}

/* IKEv1 vendor ID 132 fragmentation and the IKEv2 notify both count. */
static void
note_frag_support(struct tk_sa *sa)
{
	for (int s = 0; s < 2; s++)
		if (sa->side[s].vid_flags & VIDF_FRAG)
			sa->side[s].frag_supported = true;
}

/* Proxy IDs / traffic selectors as text. */
static void
ts_text(bool v2, const struct ike_pld *p, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!p || !p->known)
		return;
	if (!v2) {
		ike_id_text(false, p->u.id.type, p->u.id.data, p->u.id.len, buf, len);
		if (p->u.id.proto || p->u.id.port) {
			size_t o = strlen(buf);
			snprintf(buf + o, len - o, " proto %u port %u", p->u.id.proto,
				 p->u.id.port);
		}
		return;
	}
	size_t o = 0;
	for (unsigned i = 0; i < p->u.ts.nts && o + 4 < len; i++) {
		const struct ike_ts *t = &p->u.ts.ts[i];
		char a1[48], a2[48];
		if (!t->alen)
			continue;
		ike_addr_str(t->start, t->alen, a1, sizeof a1);
		ike_addr_str(t->end, t->alen, a2, sizeof a2);
		int w = snprintf(buf + o, len - o, "%s%s-%s", i ? ", " : "", a1, a2);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
}

/*
 * What a decrypted quick mode / CREATE_CHILD_SA / IKE_AUTH says about its
 * phase 2: the requester's offer, PFS (a KE payload), the proxy IDs.
 */
static void
note_p2_content(struct tk_sa *sa, const struct ike_msg *m, const struct tk_msg *t)
{
	bool v2 = m->v2;
	bool p2x = (!v2 && t->exch == IKE1_EXCH_QUICK) ||
		   (v2 && (t->exch == IKE2_EXCH_CREATE_CHILD || t->exch == IKE2_EXCH_AUTH));
	if (!p2x)
		return;
	struct tk_p2 *p = tk_p2_get(sa, t->msgid, t->from, t->exch, false);
	if (!p)
		return;
	p->content = true;
	const struct ike_pld *ke = ike_find(&m->chain, v2 ? IKE2_KE : IKE1_KE);
	const struct ike_pld *sap = ike_find(&m->chain, v2 ? IKE2_SA : IKE1_SA);
	bool requester = t->from == p->initiator;
	int side = requester ? 0 : 1;
	if (ke && ke->known)
		p->pfs_group[side] = v2 ? ke->u.ke.group : 0;
	if (sap && sap->known && sap->u.sa.nprop > 0) {
		const struct ike_proposal *pr = &sap->u.sa.p[0];
		struct tk_xform x;
		if (v2) {
			xform_from_v2(&x, pr);
		} else if (pr->ntrans > 0) {
			xform_from_v1(&x, pr, &pr->t[0]);
			if (ke && ke->known && x.group >= 0)
				p->pfs_group[side] = x.group;
		} else {
			x.set = false;
		}
		if (pr->spi && pr->spi_size == 4) {
			memcpy(p->spi[side], pr->spi, 4);
			p->spi_known[side] = true;
		}
		/* RFC 7296 1.3.2: an SA payload for protocol IKE rekeys the IKE SA;
		 * its SPI is the new SA's SPI of that side */
		if (v2 && pr->proto == 1) {
			p->ike_rekey = true;
			if (pr->spi && pr->spi_size == 8) {
				memcpy(p->new_spi[side], pr->spi, 8);
				p->new_spi_known[side] = true;
			}
		}
		p->proto = pr->proto;
		if (requester && x.set && !p->offer_text[0]) {
			if (v2)
				v2_offer_text(pr, p->offer_text, sizeof p->offer_text);
			else
				tk_xform_text(&x, p->offer_text, sizeof p->offer_text);
		}
		if (!requester && x.set)
			p->proposal = x;
	}
	if (requester && !p->ts[0][0]) {
		if (v2) {
			ts_text(true, ike_find(&m->chain, IKE2_TSI), p->ts[0], sizeof p->ts[0]);
			ts_text(true, ike_find(&m->chain, IKE2_TSR), p->ts[1], sizeof p->ts[1]);
		} else {
			ts_text(false, ike_find_nth(&m->chain, IKE1_ID, 0), p->ts[0],
				sizeof p->ts[0]);
			ts_text(false, ike_find_nth(&m->chain, IKE1_ID, 1), p->ts[1],
				sizeof p->ts[1]);
		}
	}
}

/*
 * A decrypted IKE SA rekey (RFC 7296 2.18): the new SA exists from the
 * answer on, with the rekey's requester as its initiator; its traffic will
 * carry the new SPIs.  Keys logged for it without SPIs get them now.
 */
static void
rekey_spawn(struct tracker *tk, struct tk_sa *sa, const struct tk_p2 *p, const struct cap_frame *f)
{
	if (!p || !p->ike_rekey || !p->new_spi_known[0] || !p->new_spi_known[1] ||
	    p->error_notify || sa->rekeyed_to || tk->nsas >= tk->lim.max_sas)
		return; /* (making room would close the oldest SA, maybe this one) */
	struct ike_msg hdr;
	memset(&hdr, 0, sizeof hdr);
	hdr.v2 = true;
	memcpy(hdr.ispi, p->new_spi[0], 8);
	memcpy(hdr.rspi, p->new_spi[1], 8);
	if (sa_find(tk, f, &hdr))
		return;
	/* the answer comes from the rekey's responder: not the new initiator */
	hdr.flags = IKE_V2_FLAG_R;
	hdr.exch = IKE2_EXCH_CREATE_CHILD;
	struct tk_sa *n = sa_new(tk, f, &hdr);
	if (!n)
		return;
	n->rekeyed_from = sa;
	sa->rekeyed_to = n;
	/* the same two gateways: what they announced still holds */
	int ri = p->initiator;
	for (int s = 0; s < 2; s++) {
		const struct tk_side_info *o = &sa->side[s == TK_I ? ri : ri ^ 1];
		struct tk_side_info *d = &n->side[s];
		d->vid_flags = o->vid_flags;
		d->natt_version = o->natt_version;
		d->natt_drafts = o->natt_drafts;
		d->nvendors = o->nvendors;
		memcpy(d->vendors, o->vendors, sizeof d->vendors);
		d->family = o->family;
		d->nat = o->nat;
		d->frag_supported = o->frag_supported;
		memcpy(n->id_text[s], sa->id_text[s == TK_I ? ri : ri ^ 1], sizeof n->id_text[s]);
	}
	n->chosen = p->proposal;
	n->auth_method = sa->auth_method;
	if (tk->ks)
		keys_ike2_rekeyed(tk->ks, sa->ispi, sa->rspi, n->ispi, n->rspi);
}

/* ---- the entry points ---- */

void
tk_parse_opts(struct tracker *tk, const struct cap_frame *f, const uint8_t *ike, size_t len,
	      struct ike_parse_opts *o)
{
	memset(o, 0, sizeof *o);
	if (len < IKE_HDR_LEN || (ike[17] >> 4) != 1)
		return;
	/* payload 15 reads as a draft NAT-D when the SA's peers announced a
	 * NAT-T draft older than 03 (CONTRACT.md) */
	struct ike_msg hdr;
	memset(&hdr, 0, sizeof hdr);
	memcpy(hdr.ispi, ike, 8);
	memcpy(hdr.rspi, ike + 8, 8);
	struct tk_sa *sa = sa_find(tk, f, &hdr);
	if (!sa)
		return;
	/* drafts 00..02 are flavours 1..3 (vendor.h) */
	for (int s = 0; s < 2; s++)
		if (sa->side[s].natt_drafts & 0x0e)
			o->pld15_is_natd = true;
}

void
tk_ike(struct tracker *tk, const struct cap_frame *f, struct ike_msg *m, struct arena *ar,
       struct tk_info *info)
{
	tk->now = tk_time_of(f);
	if (!m->header_ok)
		return;
	struct tk_sa *sa = sa_find(tk, f, m);
	bool created = false;
	if (!sa) {
		sa = sa_new(tk, f, m);
		if (!sa)
			return;
		created = true;
	}
	uint8_t from = sender_of(sa, f, m);
	struct tk_side_info *si = &sa->side[from];

	/* merge a half-open SA when the responder's SPI shows up */
	if (!sa->rspi_known && !spi_zero(m->rspi)) {
		memcpy(sa->rspi, m->rspi, 8);
		sa->rspi_known = true;
	}
	/* IKEv1 mid-life SAs learn their mode when a phase-1 message shows */
	if (sa->mode == TM_UNKNOWN && !m->v2) {
		if (m->exch == IKE1_EXCH_MAIN)
			sa->mode = TM_MAIN;
		else if (m->exch == IKE1_EXCH_AGGR)
			sa->mode = TM_AGGRESSIVE;
	}

	/* addresses and the NAT-T float */
	if (!si->spoke) {
		si->addr = f->src;
		si->spoke = true;
	}
	if (!addr_eq(&si->addr, &f->src))
		si->addr = f->src; /* moved (MOBIKE, NAT rebinding) */
	if (f->sport == 4500 || f->dport == 4500 || f->non_esp_marker)
		si->floated = true;
	si->port = f->sport;
	sa->side[from ^ 1].port = f->dport;

	struct tk_msg t;
	fill_msg(&t, f, m, from);
	bool cand = false;
	t.label = m->v2 ? tk_v2_label(m) : tk_v1_label(sa, from, m, &cand);

	struct tk_msg *orig = find_original(sa, &t);

	/* IKEv1 fragmentation: the completing fragment carries the whole
	 * message, parsed (and decrypted) under its FRAG payload */
	if (!m->v2 && !orig && t.ike_fragment) {
		struct ike_pld *fp = NULL;
		for (unsigned i = 0; i < m->chain.n; i++)
			if (m->chain.p[i].type == IKE1_FRAG && m->chain.p[i].known)
				fp = &m->chain.p[i];
		size_t wl = 0;
		const uint8_t *whole = fp ? frag1_add(sa, from, &fp->u.frag, ar, &wl) : NULL;
		struct ike_msg *wm = whole ? arena_alloc(ar, sizeof *wm) : NULL;
		struct ike_parse_opts wo;
		memset(&wo, 0, sizeof wo);
		wo.pld15_is_natd = m->pld15_is_natd;
		if (wm && ike_parse(ar, whole, wl, &wo, wm) && wm->header_ok && !wm->v2 &&
		    memcmp(wm->ispi, m->ispi, 8) == 0) {
			if (tk->ks)
				kx_ike(tk->ks, sa, f, wm, ar, t.label, false, from);
			struct ike_chain *in = arena_alloc(ar, sizeof *in);
			if (in) {
				*in = wm->chain;
				fp->u.frag.inner = in;
				fp->u.frag.inner_decrypted = wm->decrypted;
			}
			t.encrypted = wm->encrypted;
			t.decrypted = wm->decrypted;
			t.length = wm->length;
			if (wm->decrypted || !wm->encrypted) {
				t.nptypes = 0;
				t.nnotify = 0;
				summarize_chain(&t, &wm->chain, m->pld15_is_natd);
			}
			m->decrypted = wm->decrypted;
			if (wm->encrypted && !wm->decrypted)
				m->decrypt_error = wm->decrypt_error;
		}
	}

	/* decryption, when keys are known: fills the chain or the SK inner
	 * chains; a retransmission decrypts with its original's IV */
	if (tk->ks) {
		kx_ike(tk->ks, sa, f, m, ar, orig ? orig->label : t.label, orig != NULL, from);
		if (m->decrypted && m->encrypted && !orig) {
			/* what the message says now includes what was hidden */
			t.nptypes = 0;
			t.nnotify = 0;
			t.decrypted = true;
			summarize_chain(&t, &m->chain, m->pld15_is_natd);
			/* quick-mode positions can now be read from the content too */
		}
	}
	if (orig) {
		tk_time now = tk_time_of(f);
		bool dup = f->ip_id != 0 && f->ip_id == orig->last_ip_id &&
			   now - orig->last_t < DUP_WINDOW_US && orig->hash == t.hash;
		info->sa = sa;
		info->msg = orig;
		info->label = orig->label;
		info->from = from;
		if (dup) {
			orig->ndup++;
			info->duplicate = true;
			info->retx_of = orig->ref;
		} else {
			if (orig->nretx < TK_MAX_RETX)
				orig->retx[orig->nretx].file = f->file;
			if (orig->nretx < TK_MAX_RETX) {
				orig->retx[orig->nretx].frame = f->num;
				orig->retx[orig->nretx].t = now;
			}
			if (orig->nretx < UINT16_MAX)
				orig->nretx++;
			info->retransmission = true;
			info->retx_n = orig->nretx;
			info->retx_of = orig->ref;
			/* the exchange the message belongs to was retransmitted */
			if (!m->v2 && (t.exch == IKE1_EXCH_QUICK)) {
				struct tk_p2 *p = tk_p2_get(sa, t.msgid, from, t.exch, false);
				if (p)
					tk_p2_message(sa, p, orig, true);
			} else if (m->v2 &&
				   (t.exch == IKE2_EXCH_CREATE_CHILD || t.exch == IKE2_EXCH_AUTH)) {
				struct tk_p2 *p = tk_p2_get(sa, t.msgid, from, t.exch, false);
				if (p)
					tk_p2_message(sa, p, orig, true);
			}
		}
		orig->last_ip_id = f->ip_id;
		orig->last_t = now;
		sa->last.file = f->file;
		sa->last.frame = f->num;
		sa->last.t = now;
		sa->last_heard[from] = now;
		return;
	}

	/* a new message */
	struct tk_msg *nm = msg_append(sa, &t);
	sa->last = t.ref;
	sa->last_heard[from] = t.ref.t;
	if (sa->peer) {
		sa->peer->last = t.ref.t;
		if (addr_eq(&f->src, &sa->peer->a))
			sa->peer->frames_a_to_b++;
		else
			sa->peer->frames_b_to_a++;
	}

	/* what the cleartext (or decrypted) payloads say */
	const struct ike_pld *sap = ike_find(&m->chain, m->v2 ? IKE2_SA : IKE1_SA);
	if (sap && sap->known) {
		bool offer =
		    m->v2 ? (t.label == TL_SA_INIT_REQ) : (t.label == TL_MM1 || t.label == TL_AM1);
		bool choice =
		    m->v2 ? (t.label == TL_SA_INIT_RESP) : (t.label == TL_MM2 || t.label == TL_AM2);
		if (offer)
			note_offer(sa, &sap->u.sa, m->v2);
		if (choice && sap->u.sa.nprop > 0) {
			const struct ike_proposal *p = &sap->u.sa.p[0];
			if (m->v2)
				xform_from_v2(&sa->chosen, p);
			else if (p->ntrans > 0)
				xform_from_v1(&sa->chosen, p, &p->t[0]);
			if (!m->v2 && sa->chosen.auth_method >= 0)
				sa->auth_method = sa->chosen.auth_method;
		}
	}
	const struct ike_pld *ke = ike_find(&m->chain, m->v2 ? IKE2_KE : IKE1_KE);
	if (ke && ke->known && m->v2)
		sa->ke_group[from] = ke->u.ke.group;
	note_chain(tk, sa, &t, &m->chain, f, m);
	note_frag_support(sa);

	/* IKEv2 IKE_SA_INIT restarts (RFC 7296 2.6 COOKIE, 1.2 INVALID_KE_PAYLOAD) */
	if (m->v2 && t.label == TL_SA_INIT_RESP && spi_zero(m->rspi)) {
		const struct ike_pld *n = ike_find_notify(&m->chain, 16390);
		uint16_t reason = n ? 16390 : 0;
		if (!n && (n = ike_find_notify(&m->chain, 17)) != NULL)
			reason = 17;
		if (reason && sa->nattempts < TK_MAX_ATTEMPTS) {
			struct tk_attempt *a = &sa->attempts[sa->nattempts++];
			a->ref = t.ref;
			a->reason = reason;
			a->group = reason == 17 ? ike_notify_group(&n->u.n) : -1;
			a->offered_group = sa->ke_group[TK_I];
		}
	}

	/* NAT detection payloads */
	tk_natd_check(sa, from, f, m);

	/* exchange position, phase 2 */
	if (nm) {
		tk_update_steps(sa, nm);
		/* MM3, AM3, IKE_INTERMEDIATE or IKE_AUTH: past the first message */
		if (!sa->progressed && sa->origin && sa->step[TK_I] >= 3) {
			sa->progressed = true;
			sa->origin->nprogressed++;
		}
		bool p2 = (!m->v2 && t.exch == IKE1_EXCH_QUICK) ||
			  (m->v2 && (t.exch == IKE2_EXCH_CREATE_CHILD || t.exch == IKE2_EXCH_AUTH));
		if (p2) {
			struct tk_p2 *p = tk_p2_get(sa, t.msgid, from, t.exch, true);
			if (p)
				tk_p2_message(sa, p, nm, false);
		}
	}

	if (nm && m->decrypted) {
		note_p2_content(sa, m, nm);
		if (m->v2 && t.exch == IKE2_EXCH_CREATE_CHILD && nm->response)
			rekey_spawn(tk, sa, tk_p2_get(sa, t.msgid, from, t.exch, false), f);
	}

	info->sa = sa;
	info->msg = nm;
	info->label = t.label;
	info->from = from;
	info->new_sa = created;
	if (tk->ev.state_changed)
		tk->ev.state_changed(tk->ev.ctx, sa);
}

void
tk_icmp(struct tracker *tk, const struct cap_frame *f, struct tk_info *info)
{
	(void)info;
	tk->now = tk_time_of(f);
	/* An error about a datagram src->dst quoted inside: it concerns the
	 * peers of that datagram. */
	struct tk_peer *p = tk_peer_get(tk, &f->icmp_src, &f->icmp_dst);
	if (!p)
		return;
	bool unreach =
	    (f->src.af == 4 && f->icmp_type == 3) || (f->src.af == 6 && f->icmp_type == 1);
	/* RFC 792 / RFC 4443 3.3: time exceeded, code 1: fragment reassembly */
	bool reasm = f->icmp_code == 1 && ((f->src.af == 4 && f->icmp_type == 11) ||
					   (f->src.af == 6 && f->icmp_type == 3));
	if (reasm) {
		if (p->icmp_reasm == 0) {
			p->icmp_reasm_ref.file = f->file;
			p->icmp_reasm_ref.frame = f->num;
			p->icmp_reasm_ref.t = tk_time_of(f);
		}
		p->icmp_reasm++;
	}
	if (unreach) {
		if (p->icmp_unreach == 0) {
			p->icmp_ref.file = f->file;
			p->icmp_ref.frame = f->num;
			p->icmp_ref.t = tk_time_of(f);
			p->icmp_type = f->icmp_type;
			p->icmp_code = f->icmp_code;
			p->icmp_from = f->src;
			p->icmp_v6 = f->src.af == 6;
		}
		p->icmp_unreach++;
	}
}

void
tk_tick(struct tracker *tk, tk_time now)
{
	tk->now = now;
	if (now < tk->next_sweep)
		return;
	tk->next_sweep = now + SWEEP_EVERY_US;
	tk_time idle = (tk_time)tk->lim.idle_timeout_s * 1000000;
	struct tk_sa *sa = tk->sa_first;
	while (sa) {
		struct tk_sa *n = sa->next_all;
		if (now - sa->last.t > idle)
			sa_close(tk, sa);
		sa = n;
	}
	tk_flows_sweep(tk, now, false);
}

void
tk_finish(struct tracker *tk)
{
	tk->finishing = true;
	/* statuses first (they read each other: rekeys), then the SAs are
	 * reported in creation order, then the flows */
	for (struct tk_sa *sa = tk->sa_first; sa; sa = sa->next_all)
		tk_finalize(tk, sa);
	while (tk->sa_first)
		sa_close(tk, tk->sa_first);
	tk_flows_sweep(tk, tk->now, true);
	tk->finishing = false;
}

struct tk_sa *
tk_first_sa(struct tracker *tk)
{
	return tk->sa_first;
}

struct tk_sa *
tk_next_sa(struct tk_sa *sa)
{
	return sa->next_all;
}

struct tk_flow *
tk_first_flow(struct tracker *tk)
{
	return tk->fl_first;
}

struct tk_flow *
tk_next_flow(struct tk_flow *f)
{
	return f->next_all;
}

bool
tk_sees_both_directions(const struct tk_sa *sa)
{
	bool s[2] = {false, false};
	for (unsigned i = 0; i < sa->nmsgs; i++)
		s[sa->msgs[i].from & 1] = true;
	return s[0] && s[1];
}
