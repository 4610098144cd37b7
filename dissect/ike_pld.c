/*
 * ike_pld.c - payload bodies, IKEv1 (RFC 2407, 2408, 3947) and IKEv2
 * (RFC 7296, 7383, 5685).
 *
 * Each decoder gets a cursor bounded to the payload body (the generic header
 * already validated by the walker) and fills the payload's union member.  A
 * structural problem becomes an anomaly and leaves p->known false (the raw
 * body is still reported); a payload cut by the capture is decoded as far as
 * it goes.
 */
#include "dissect/ike_int.h"

#include <string.h>

#include "dissect/cursor.h"

/* Nesting and counts are bounded by the message size; these caps keep one
 * hostile message from taking more than a few hundred KB of arena. */
#define MAX_PROPOSALS 64
#define MAX_TRANSFORMS 256
#define MAX_ATTRS 256
#define MAX_TS 64

struct dctx {
	struct arena *ar;
	struct ike_msg *m;
	struct ike_pld *p;
	uint32_t base; /* offset of the body in the message */
	bool trunc;    /* the payload is cut by the capture */
};

static uint32_t
at(const struct dctx *d, const struct cur *c, const uint8_t *start)
{
	return d->base + (uint32_t)(c->p - start);
}

#define BAD(d, off, ...) ike_anomalyf((d)->ar, (d)->m, (off), (d)->p->type, __VA_ARGS__)

/* ---- data attributes (RFC 2408 3.3) ----
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 *
 * IKEv2 transform attributes use the same format (RFC 7296 3.3.5).  IKEv2
 * configuration attributes (3.15.1) have a reserved bit instead of AF and are
 * always TLV: `cp` selects that.
 */
static bool
parse_attrs(struct dctx *d, struct cur *c, const uint8_t *start, bool cp, struct ike_attrs *out)
{
	struct cur k = *c;
	unsigned n = 0;
	while (cur_left(&k) >= 4 && n < MAX_ATTRS) {
		uint16_t t = cur_be16(&k);
		uint16_t v = cur_be16(&k);
		n++;
		if (cp || !(t & 0x8000)) {
			if (v > cur_left(&k))
				break;
			cur_skip(&k, v);
		}
	}
	out->n = 0;
	out->a = n ? arena_calloc(d->ar, n, sizeof *out->a) : NULL;
	if (n && !out->a)
		return false;

	bool ok = true;
	while (cur_left(c) > 0) {
		uint32_t off = at(d, c, start);
		if (out->n >= n) {
			if (n >= MAX_ATTRS)
				BAD(d, off, "more than %d attributes; the rest is not decoded",
				    MAX_ATTRS);
			else if (!d->trunc)
				BAD(d, off, "%zu bytes left: too short for an attribute header (4)",
				    cur_left(c));
			ok = false;
			break;
		}
		struct ike_attr *a = &out->a[out->n];
		uint16_t t = cur_be16(c);
		uint16_t v = cur_be16(c);
		a->off = off;
		if (!cp && (t & 0x8000)) {
			a->type = t & 0x7fff;
			a->tv = true;
			a->len = 2;
			a->num = v;
			a->num_ok = true;
		} else {
			a->type = cp ? (t & 0x7fff) : t;
			a->len = v;
			if (v > cur_left(c)) {
				if (!d->trunc)
					BAD(d, off,
					    "attribute %u: length %u runs past the payload (%zu bytes "
					    "left)",
					    a->type, v, cur_left(c));
				ok = false;
				break;
			}
			a->val = cur_bytes(c, v);
			if (v >= 1 && v <= 8) {
				uint64_t x = 0;
				for (unsigned i = 0; i < v; i++)
					x = x << 8 | a->val[i];
				a->num = x;
				a->num_ok = true;
			}
		}
		out->n++;
	}
	return ok;
}

/* ---- IKEv1 SA (RFC 2408 3.4-3.6, RFC 2407 4.6.1) ----
 * SA:        DOI (4) | Situation (4, IPsec DOI) | Proposal payloads
 * Proposal:  generic header | Proposal # | Protocol-Id | SPI Size | # of Transforms | SPI |
 * Transforms Transform: generic header | Transform # | Transform-Id | RESERVED2 (2) | SA Attributes
 */
static bool
v1_transform(struct dctx *d, struct cur *c, const uint8_t *start, struct ike_transform *t)
{
	t->off = at(d, c, start);
	t->num = cur_u8(c);
	t->id = cur_u8(c);
	cur_skip(c, 2);
	if (!cur_ok(c)) {
		if (!d->trunc)
			BAD(d, t->off, "transform too short for its header (8)");
		return false;
	}
	return parse_attrs(d, c, start, false, &t->attrs);
}

static bool
v2_transform(struct dctx *d, struct cur *c, const uint8_t *start, struct ike_transform *t)
{
	/* RFC 7296 3.3.2: Transform Type (1) | RESERVED (1) | Transform ID (2) | attributes */
	t->off = at(d, c, start);
	t->type = cur_u8(c);
	cur_u8(c);
	t->id = cur_be16(c);
	if (!cur_ok(c)) {
		if (!d->trunc)
			BAD(d, t->off, "transform too short for its header (8)");
		return false;
	}
	return parse_attrs(d, c, start, false, &t->attrs);
}

/*
 * A list of substructures with generic-style headers: IKEv1 proposals (next
 * payload 2 = another proposal, 0 = last) and transforms (3 / 0); IKEv2
 * proposals (Last Substruc 2 / 0) and transforms (3 / 0).  Counts first, then
 * fills.  Returns the number parsed; `*ok` false after a structural error.
 */
static unsigned
count_substructs(struct cur c, unsigned max)
{
	unsigned n = 0;
	while (cur_left(&c) >= 4 && n < max) {
		uint8_t more = cur_u8(&c);
		cur_u8(&c);
		uint16_t l = cur_be16(&c);
		n++;
		if (l < 4 || l - 4u > cur_left(&c))
			break;
		cur_skip(&c, l - 4u);
		if (more == 0)
			break;
	}
	return n;
}

static bool
parse_proposals(struct dctx *d, struct cur *c, const uint8_t *start, bool v2, struct ike_sa *sa)
{
	const uint8_t want_p = v2 ? 2 : IKE1_P, want_t = v2 ? 3 : IKE1_T;
	unsigned np = count_substructs(*c, MAX_PROPOSALS);
	sa->p = np ? arena_calloc(d->ar, np, sizeof *sa->p) : NULL;
	sa->nprop = 0;
	if (np && !sa->p)
		return false;
	if (np == 0 && !d->trunc) {
		BAD(d, at(d, c, start), "SA payload without a proposal");
		return false;
	}

	while (sa->nprop < np) {
		uint32_t poff = at(d, c, start);
		uint8_t more = cur_u8(c);
		cur_u8(c);
		uint16_t plen = cur_be16(c);
		if (!cur_ok(c) || plen < 8) {
			if (!d->trunc || cur_ok(c))
				BAD(d, poff, "proposal length %u is shorter than its header (8)",
				    plen);
			return false;
		}
		bool cut = false;
		struct cur pc = cur_sub_upto(c, plen - 4u, &cut);
		if (cut && !d->trunc) {
			BAD(d, poff, "proposal length %u runs past the SA payload", plen);
			return false;
		}
		struct ike_proposal *pr = &sa->p[sa->nprop++];
		pr->off = poff;
		pr->num = cur_u8(&pc);
		pr->proto = cur_u8(&pc);
		pr->spi_size = cur_u8(&pc);
		pr->ntrans_decl = cur_u8(&pc);
		pr->spi = pr->spi_size ? cur_bytes(&pc, pr->spi_size) : NULL;
		if (!cur_ok(&pc)) {
			if (!d->trunc)
				BAD(d, poff, "proposal %u: SPI size %u runs past the proposal",
				    pr->num, pr->spi_size);
			return false;
		}
		unsigned nt = count_substructs(pc, MAX_TRANSFORMS);
		pr->t = nt ? arena_calloc(d->ar, nt, sizeof *pr->t) : NULL;
		if (nt && !pr->t)
			return false;
		uint8_t tmore = want_t;
		while (pr->ntrans < nt && tmore == want_t) {
			uint32_t toff = at(d, &pc, start);
			tmore = cur_u8(&pc);
			cur_u8(&pc);
			uint16_t tlen = cur_be16(&pc);
			if (!cur_ok(&pc) || tlen < 8) {
				if (!d->trunc || cur_ok(&pc))
					BAD(d, toff,
					    "transform length %u is shorter than its header (8)",
					    tlen);
				return false;
			}
			bool tcut = false;
			struct cur tc = cur_sub_upto(&pc, tlen - 4u, &tcut);
			if (tcut && !d->trunc) {
				BAD(d, toff, "transform length %u runs past the proposal", tlen);
				return false;
			}
			struct ike_transform *t = &pr->t[pr->ntrans++];
			bool ok =
			    v2 ? v2_transform(d, &tc, start, t) : v1_transform(d, &tc, start, t);
			t->off = toff;
			if (!ok)
				return false;
			if (tmore != want_t && tmore != 0)
				BAD(d, toff, "transform %u: next-payload %u (expected %u or 0)",
				    pr->ntrans, tmore, want_t);
		}
		if (pr->ntrans != pr->ntrans_decl && !d->trunc)
			BAD(d, poff, "proposal %u says %u transforms but holds %u", pr->num,
			    pr->ntrans_decl, pr->ntrans);
		if (cur_left(&pc) > 0 && !d->trunc)
			BAD(d, at(d, &pc, start),
			    "%zu bytes after the last transform of proposal %u", cur_left(&pc),
			    pr->num);
		if (more == 0)
			break;
		if (more != want_p) {
			BAD(d, poff, "proposal %u: next-payload %u (expected %u or 0)", pr->num,
			    more, want_p);
			break;
		}
	}
	if (cur_left(c) > 0 && !d->trunc)
		BAD(d, at(d, c, start), "%zu bytes after the last proposal", cur_left(c));
	return true;
}

static bool
dec_sa(struct dctx *d, struct cur *c, const uint8_t *start, bool v2)
{
	struct ike_sa *sa = &d->p->u.sa;
	sa->v1 = !v2;
	if (!v2) {
		sa->doi = cur_be32(c);
		if (!cur_ok(c))
			return false;
		/* RFC 2407 4.6.1: the IPsec DOI's situation is 4 bytes; with
		 * SIT_SECRECY or SIT_INTEGRITY labels follow (never seen in
		 * practice: not decoded). */
		if (sa->doi == 1 || sa->doi == 2) {
			sa->situation = cur_be32(c);
			if (!cur_ok(c))
				return false;
			if (sa->doi == 1 && (sa->situation & 0x06))
				BAD(d, d->base + 4,
				    "situation %#x with labelled domains: not decoded",
				    sa->situation);
		} else if (sa->doi != 0) {
			BAD(d, d->base, "DOI %u: the SA body is not decoded", sa->doi);
			return false;
		} else {
			/* DOI 0 (ISAKMP) is only valid in informational exchanges; some
			 * scanners send it in an SA.  Read it like the IPsec DOI. */
			sa->situation = cur_be32(c);
		}
	}
	return parse_proposals(d, c, start, v2, sa);
}

/* ---- the rest of the payload types ---- */

static bool
dec_notify(struct dctx *d, struct cur *c, bool v2)
{
	/* IKEv1 (RFC 2408 3.14): DOI (4) | Protocol-ID | SPI Size | Notify Message Type (2) | SPI |
	 * data IKEv2 (RFC 7296 3.10):           Protocol ID | SPI Size | Notify Message Type (2) |
	 * SPI | data */
	struct ike_notify *n = &d->p->u.n;
	if (!v2)
		n->doi = cur_be32(c);
	n->proto = cur_u8(c);
	n->spi_size = cur_u8(c);
	n->type = cur_be16(c);
	if (!cur_ok(c))
		return false;
	if (n->spi_size) {
		n->spi = cur_bytes(c, n->spi_size);
		if (!n->spi) {
			if (!d->trunc)
				BAD(d, d->base + (v2 ? 0u : 4u), "SPI size %u runs past the notify",
				    n->spi_size);
			return false;
		}
	}
	size_t len;
	n->data = cur_rest(c, &len);
	n->len = (uint32_t)len;
	return true;
}

static bool
dec_delete(struct dctx *d, struct cur *c, bool v2)
{
	/* IKEv1 (RFC 2408 3.15): DOI (4) | Protocol-Id | SPI Size | # of SPIs (2) | SPIs
	 * IKEv2 (RFC 7296 3.11):           Protocol ID | SPI Size | Num of SPIs (2) | SPIs */
	struct ike_delete *x = &d->p->u.d;
	if (!v2)
		x->doi = cur_be32(c);
	x->proto = cur_u8(c);
	x->spi_size = cur_u8(c);
	x->nspi = cur_be16(c);
	if (!cur_ok(c))
		return false;
	size_t need = (size_t)x->spi_size * x->nspi;
	if (need != cur_left(c)) {
		if (need > cur_left(c) && d->trunc) {
			/* as many whole SPIs as were captured */
			size_t have = x->spi_size ? cur_left(c) / x->spi_size : 0;
			x->nspi = (uint16_t)have;
			x->spis = cur_bytes(c, have * x->spi_size);
			return true;
		}
		BAD(d, d->base, "%u SPIs of %u bytes need %zu bytes, the payload holds %zu",
		    x->nspi, x->spi_size, need, cur_left(c));
		if (need > cur_left(c))
			return false;
	}
	x->spis = need ? cur_bytes(c, need) : NULL;
	return true;
}

static bool
dec_id(struct dctx *d, struct cur *c, bool v2)
{
	/* IKEv1 (RFC 2407 4.6.2): ID Type | Protocol ID | Port (2) | data
	 * IKEv2 (RFC 7296 3.5):   ID Type | RESERVED (3)            | data */
	struct ike_id *id = &d->p->u.id;
	id->type = cur_u8(c);
	if (v2) {
		cur_skip(c, 3);
	} else {
		id->proto = cur_u8(c);
		id->port = cur_be16(c);
	}
	if (!cur_ok(c))
		return false;
	size_t len;
	id->data = cur_rest(c, &len);
	id->len = (uint32_t)len;
	return true;
}

static bool
dec_ts(struct dctx *d, struct cur *c, const uint8_t *start)
{
	/* RFC 7296 3.13: Number of TSs | RESERVED (3) | selectors
	 * selector:  TS Type | IP Protocol ID | Selector Length (2) |
	 *            Start Port (2) | End Port (2) | Starting Address | Ending Address */
	struct ike_tsp *t = &d->p->u.ts;
	t->nts_decl = cur_u8(c);
	cur_skip(c, 3);
	if (!cur_ok(c))
		return false;
	unsigned n = t->nts_decl < MAX_TS ? t->nts_decl : MAX_TS;
	t->ts = n ? arena_calloc(d->ar, n, sizeof *t->ts) : NULL;
	if (n && !t->ts)
		return false;
	while (t->nts < n && cur_left(c) > 0) {
		uint32_t off = at(d, c, start);
		struct ike_ts *s = &t->ts[t->nts];
		s->type = cur_u8(c);
		s->ip_proto = cur_u8(c);
		uint16_t sl = cur_be16(c);
		if (!cur_ok(c) || sl < 4) {
			if (!d->trunc || cur_ok(c))
				BAD(d, off, "traffic selector length %u is too short", sl);
			return false;
		}
		bool cut = false;
		struct cur sc = cur_sub_upto(c, sl - 4u, &cut);
		if (cut && !d->trunc) {
			BAD(d, off, "traffic selector length %u runs past the payload", sl);
			return false;
		}
		unsigned alen = s->type == 7 ? 4 : s->type == 8 ? 16 : 0;
		if (alen) {
			if (sl != 8 + 2 * alen && !cut)
				BAD(d, off, "traffic selector type %u with length %u (expected %u)",
				    s->type, sl, 8 + 2 * alen);
			s->sport = cur_be16(&sc);
			s->eport = cur_be16(&sc);
			s->start = cur_bytes(&sc, alen);
			s->end = cur_bytes(&sc, alen);
			s->alen = (uint8_t)alen;
			if (!cur_ok(&sc)) {
				s->start = s->end = NULL;
				s->alen = 0;
				if (!cut)
					return false;
			}
		} else {
			size_t rl;
			s->raw = cur_rest(&sc, &rl);
			s->raw_len = (uint16_t)rl;
		}
		t->nts++;
	}
	if (t->nts != t->nts_decl && !d->trunc)
		BAD(d, d->base, "the payload says %u traffic selectors but holds %u", t->nts_decl,
		    t->nts);
	if (cur_left(c) > 0 && !d->trunc)
		BAD(d, at(d, c, start), "%zu bytes after the last traffic selector", cur_left(c));
	return true;
}

static bool
dec_eap(struct dctx *d, struct cur *c)
{
	/* RFC 3748 4: Code | Identifier | Length (2) | [Type | Type-Data] */
	struct ike_eap *e = &d->p->u.eap;
	e->code = cur_u8(c);
	e->id = cur_u8(c);
	e->len = cur_be16(c);
	if (!cur_ok(c))
		return false;
	if (e->code == 1 || e->code == 2) {
		e->type = cur_u8(c);
		e->has_type = cur_ok(c);
	}
	if (e->len != d->p->body_len && !d->trunc)
		BAD(d, d->base + 2, "EAP length %u but the payload holds %u bytes", e->len,
		    d->p->body_len);
	size_t len;
	e->data = cur_rest(c, &len);
	e->data_len = (uint32_t)len;
	return true;
}

static bool
dec_sk(struct dctx *d, struct cur *c, bool frag)
{
	/* RFC 7296 3.14: IV | encrypted payloads | padding | pad length | ICV
	 * RFC 7383 2.5:  Fragment Number (2) | Total Fragments (2) | then as SK */
	struct ike_sk *s = &d->p->u.sk;
	s->first_inner = d->p->np;
	uint32_t off = d->base;
	if (frag) {
		s->frag_num = cur_be16(c);
		s->frag_total = cur_be16(c);
		if (!cur_ok(c))
			return false;
		off += 4;
		if (s->frag_num == 0 || s->frag_num > s->frag_total)
			BAD(d, d->base, "fragment %u of %u", s->frag_num, s->frag_total);
		/* RFC 7383 2.5: only the first fragment names the first inner payload */
		if (s->frag_num != 1 && d->p->np != 0)
			BAD(d, d->base - 4, "fragment %u has next-payload %u (must be 0)",
			    s->frag_num, d->p->np);
	}
	size_t len;
	s->data = cur_rest(c, &len);
	s->len = (uint32_t)len;
	s->data_off = off;
	return true;
}

static bool
dec_cp(struct dctx *d, struct cur *c, const uint8_t *start, bool v2)
{
	/* IKEv2 (RFC 7296 3.15): CFG Type | RESERVED (3) | attributes
	 * IKEv1 ATTR (draft-dukes-ike-mode-cfg 3.2): Type | RESERVED | Identifier (2) | attributes
	 */
	struct ike_cp *p = &d->p->u.cp;
	p->type = cur_u8(c);
	if (v2) {
		cur_skip(c, 3);
	} else {
		cur_u8(c);
		p->ident = cur_be16(c);
	}
	if (!cur_ok(c))
		return false;
	parse_attrs(d, c, start, v2, &p->attrs);
	return true;
}

void
ike_pld_decode(struct arena *ar, struct ike_msg *m, struct ike_pld *p, uint32_t body_off)
{
	struct dctx d = {ar, m, p, body_off, p->status == IKE_PLD_TRUNCATED};
	struct cur c = cur_make(p->body, p->body_len);
	const uint8_t *start = p->body;
	bool v2 = m->v2;
	bool ok = false;
	uint8_t t = p->type;

	if (!v2) {
		switch (t) {
		case IKE1_SA:
			ok = dec_sa(&d, &c, start, false);
			break;
		case IKE1_KE:
		case IKE1_HASH:
		case IKE1_SIG:
		case IKE1_NONCE:
		case IKE1_VID:
		case IKE1_NATD:
		case IKE1_NATD_DRAFT:
			ok = true; /* the body is the value */
			break;
		case IKE1_SAK:
			ok = m->pld15_is_natd;
			break;
		case IKE1_ID:
			ok = dec_id(&d, &c, false);
			break;
		case IKE1_CERT:
		case IKE1_CR:
			/* RFC 2408 3.9, 3.10: Cert Encoding | data */
			p->u.cert.encoding = cur_u8(&c);
			p->u.cert.data = cur_rest(&c, &(size_t){0});
			p->u.cert.len = p->body_len ? p->body_len - 1 : 0;
			ok = p->body_len >= 1;
			break;
		case IKE1_N:
			ok = dec_notify(&d, &c, false);
			break;
		case IKE1_D:
			ok = dec_delete(&d, &c, false);
			break;
		case IKE1_ATTR:
			ok = dec_cp(&d, &c, start, false);
			break;
		case IKE1_NATOA:
		case IKE1_NATOA_DRAFT: {
			/* RFC 3947 5.2: ID Type | RESERVED (3) | address */
			struct ike_natoa *o = &p->u.natoa;
			o->id_type = cur_u8(&c);
			cur_skip(&c, 3);
			size_t al;
			o->addr = cur_rest(&c, &al);
			o->alen = (uint8_t)(al > 16 ? 16 : al);
			ok = cur_ok(&c);
			if (ok &&
			    !((o->id_type == 1 && al == 4) || (o->id_type == 5 && al == 16))) {
				BAD(&d, body_off, "NAT-OA of ID type %u with %zu address bytes",
				    o->id_type, al);
				ok = false;
			}
			break;
		}
		case IKE1_FRAG: {
			/* Cisco/strongSwan IKEv1 fragment: Fragment ID (2) | Fragment Number |
			 * Flags (1: last) | data */
			struct ike_frag1 *f = &p->u.frag;
			f->id = cur_be16(&c);
			f->num = cur_u8(&c);
			f->last = (cur_u8(&c) & 1) != 0;
			size_t fl;
			f->data = cur_rest(&c, &fl);
			f->len = (uint32_t)fl;
			ok = cur_ok(&c);
			break;
		}
		default:
			ok = false; /* reserved or unknown: reported raw */
			break;
		}
	} else {
		switch (t) {
		case IKE2_SA:
			ok = dec_sa(&d, &c, start, true);
			break;
		case IKE2_KE:
			/* RFC 7296 3.4: DH Group # (2) | RESERVED (2) | data */
			p->u.ke.group = cur_be16(&c);
			cur_skip(&c, 2);
			if (cur_ok(&c)) {
				size_t kl;
				p->u.ke.data = cur_rest(&c, &kl);
				p->u.ke.len = (uint32_t)kl;
				ok = true;
			}
			break;
		case IKE2_IDI:
		case IKE2_IDR:
		case IKE2_IDG:
			ok = dec_id(&d, &c, true);
			break;
		case IKE2_CERT:
		case IKE2_CERTREQ:
			p->u.cert.encoding = cur_u8(&c);
			p->u.cert.data = cur_rest(&c, &(size_t){0});
			p->u.cert.len = p->body_len ? p->body_len - 1 : 0;
			ok = p->body_len >= 1;
			break;
		case IKE2_AUTH:
			/* RFC 7296 3.8: Auth Method | RESERVED (3) | data */
			p->u.auth.method = cur_u8(&c);
			cur_skip(&c, 3);
			if (cur_ok(&c)) {
				size_t al;
				p->u.auth.data = cur_rest(&c, &al);
				p->u.auth.len = (uint32_t)al;
				ok = true;
			}
			break;
		case IKE2_NONCE:
		case IKE2_V:
			ok = true;
			break;
		case IKE2_N:
			ok = dec_notify(&d, &c, true);
			break;
		case IKE2_D:
			ok = dec_delete(&d, &c, true);
			break;
		case IKE2_TSI:
		case IKE2_TSR:
			ok = dec_ts(&d, &c, start);
			break;
		case IKE2_SK:
			ok = dec_sk(&d, &c, false);
			break;
		case IKE2_SKF:
			ok = dec_sk(&d, &c, true);
			break;
		case IKE2_CP:
			ok = dec_cp(&d, &c, start, true);
			break;
		case IKE2_EAP:
			ok = dec_eap(&d, &c);
			break;
		default:
			ok = false;
			/* RFC 7296 2.5: an unknown payload with the critical bit
			 * must make the receiver reject the message. */
			if (p->critical)
				BAD(&d, body_off - 4,
				    "unknown payload type %u marked critical: the receiver must "
				    "answer UNSUPPORTED_CRITICAL_PAYLOAD",
				    t);
			break;
		}
	}
	if (!ok && p->status == IKE_PLD_OK && !cur_ok(&c))
		BAD(&d, body_off, "payload body too short (%u bytes)", p->body_len);
	p->known = ok;
}
