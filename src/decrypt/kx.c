/*
 * kx.c - IKE decryption and what it proves.
 *
 * IKEv1 (RFC 2409 5, App. B; PROTOCOL-NOTES.md "IKEv1 keys"):
 *  - keys: Ka (and SKEYID_*) from a key file, or SKEYID from a PSK (or the
 *    DH secret, for signatures) and g^xy, then SKEYID_d/a/e and Ka;
 *  - IVs: phase-1 IV = hash(g^xi | g^xr) chained through MM5, MM6 (AM3);
 *    every later exchange starts from hash(last phase-1 CBC block | M-ID)
 *    and chains within itself; a retransmission reuses its original's IV;
 *  - CBC has no integrity: a decryption counts only when the plaintext
 *    parses as the payload chain the header announces;
 *  - HASH_I / HASH_R are keyed with SKEYID, so a candidate PSK can be
 *    checked against them (AM2's HASH_R in clear: the PSK alone proves it).
 * IKEv2 (RFC 7296 2.13-2.18, 3.14; RFC 7383):
 *  - SK_* from a key file or derived from g^ir; the I flag picks the keys;
 *  - SKF fragments are decrypted one by one and reassembled;
 *  - PSK AUTH is checked with SK_p and the IKE_SA_INIT messages.
 * Both: the keys of the IPsec SAs negotiated in the capture are derived
 * (KEYMAT) so their ESP decrypts too.
 */
#include "src/decrypt/kx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/names.h"
#include "src/crypto/dh_groups.h"
#include "src/crypto/ikev1_crypt.h"
#include "src/crypto/ikev1_kdf.h"
#include "src/crypto/ikev2_kdf.h"
#include "src/crypto/ikev2_sk.h"
#include "src/crypto/prim.h"
#include "src/decrypt/kx_int.h"
#include "src/keys/keys.h"
#include "src/track/track.h"

/* ---- small buffers that own their bytes ---- */

static void
blob_free(struct kx_blob *b)
{
	if (b->p) {
		ck_wipe(b->p, b->n);
		free(b->p);
	}
	b->p = NULL;
	b->n = 0;
}

static void
blob_set(struct kx_blob *b, const uint8_t *p, size_t n)
{
	blob_free(b);
	if (!p || n == 0 || n > 65536)
		return;
	b->p = malloc(n);
	if (b->p) {
		memcpy(b->p, p, n);
		b->n = n;
	}
}

/* ---- the runtime part of the store: derived ESP keys, counters ---- */

struct kx_rt *
kx_rt_get(struct kx_store *ks)
{
	if (!ks->runtime)
		ks->runtime = calloc(1, sizeof(struct kx_rt));
	return ks->runtime;
}

void
kx_rt_add_esp(struct kx_store *ks, const struct kx_esp *e)
{
	struct kx_rt *rt = kx_rt_get(ks);
	if (!rt)
		return;
	for (unsigned i = 0; i < rt->nesp; i++)
		if (rt->esp[i].spi == e->spi && addr_eq(&rt->esp[i].dst, &e->dst)) {
			ck_wipe(&rt->esp[i], sizeof rt->esp[i]);
			rt->esp[i] = *e;
			return;
		}
	if (rt->nesp == rt->capesp) {
		unsigned nc = rt->capesp ? rt->capesp * 2 : 16;
		if (nc > 65536)
			return;
		struct kx_esp *n = realloc(rt->esp, nc * sizeof *n);
		if (!n)
			return;
		rt->esp = n;
		rt->capesp = nc;
	}
	rt->esp[rt->nesp++] = *e;
	rt->st.esp_derived_keys++;
}

void
kx_get_stats(const struct kx_store *ks, struct kx_stats *st)
{
	memset(st, 0, sizeof *st);
	if (ks && ks->runtime)
		*st = ((const struct kx_rt *)ks->runtime)->st;
}

uint32_t
kx_integ_for_crypto(uint32_t integ, bool *check)
{
	*check = true;
	if (integ < NT_INTEG_ANY_BASE)
		return integ;
	*check = false;
	switch (integ - NT_INTEG_ANY_BASE) {
	case 96:
		return CK_INTEG_HMAC_SHA1_96;
	case 128:
		return CK_INTEG_HMAC_SHA2_256_128;
	case 160:
		return CK_INTEG_HMAC_SHA1_160;
	case 192:
		return CK_INTEG_HMAC_SHA2_384_192;
	case 256:
		return CK_INTEG_HMAC_SHA2_512_256;
	default:
		return 0;
	}
}

/* ---- per-SA state ---- */

static struct kx_sa *
kx_of(struct tk_sa *sa)
{
	if (!sa->kx) {
		struct kx_sa *k = calloc(1, sizeof *k);
		if (!k)
			return NULL;
		k->version = sa->version;
		sa->kx = k;
	}
	return sa->kx;
}

void
kx_sa_free(void *p)
{
	struct kx_sa *k = p;
	if (!k)
		return;
	struct kx_blob *bl[] = {&k->sai_b,     &k->gxi,		 &k->gxr,   &k->ni,
				&k->nr,	       &k->idi_b,	 &k->idr_b, &k->init_req,
				&k->init_resp, &k->hash_r_clear, &k->gxy};
	for (size_t i = 0; i < sizeof bl / sizeof bl[0]; i++)
		blob_free(bl[i]);
	for (unsigned i = 0; i < KX_MAX_QM; i++) {
		blob_free(&k->qm[i].ni);
		blob_free(&k->qm[i].nr);
	}
	for (unsigned i = 0; i < KX_MAX_CHILD; i++) {
		blob_free(&k->child[i].own_ni);
		blob_free(&k->child[i].own_nr);
	}
	for (unsigned d = 0; d < 2; d++) {
		for (unsigned i = 0; i < KX_MAX_FRAGS; i++)
			blob_free(&k->frag[d].part[i]);
		ck_ctx_free(k->ctx[d]);
	}
	ck_v1_keys_wipe(&k->v1);
	ck_v2_keys_wipe(&k->v2);
	ck_wipe(k, sizeof *k);
	free(k);
}

/* ---- helpers ---- */

static const struct ike_pld *
find(const struct ike_chain *c, uint8_t type)
{
	for (unsigned i = 0; c && i < c->n; i++)
		if (c->p[i].type == type)
			return &c->p[i];
	return NULL;
}

/* The identity a side is known by, for PSK lookups by identity. */
static const char *
peer_id(const struct tk_sa *sa, int side)
{
	return sa->id_text[side][0] ? sa->id_text[side] : NULL;
}

/*
 * The PSK candidates for the pair: the key for the other side's address or
 * identity first (that is what each side looks up), then keys for any peer.
 */
static const struct kx_psk *
psk_nth(const struct kx_store *ks, const struct tk_sa *sa, unsigned nth)
{
	/* walk both sides' lookups, skipping duplicates */
	const struct kx_psk *seen[64];
	unsigned nseen = 0, k = 0;
	for (int s = 0; s < 2; s++) {
		for (unsigned i = 0;; i++) {
			const struct kx_psk *p = keys_psk(ks, &sa->side[s].addr, peer_id(sa, s), i);
			if (!p)
				break;
			bool dup = false;
			for (unsigned j = 0; j < nseen; j++)
				dup = dup || seen[j] == p;
			if (dup)
				continue;
			if (nseen < 64)
				seen[nseen++] = p;
			if (k++ == nth)
				return p;
		}
	}
	return NULL;
}

static void
psk_note(struct tk_sa *sa, int side, const struct kx_psk *p)
{
	char a[ADDR_STRLEN];
	if (p->id[0])
		snprintf(sa->psk_note[side], sizeof sa->psk_note[side], "the PSK for %.60s (%.50s)",
			 p->id, p->origin ? p->origin : "command line");
	else if (p->peer.af)
		snprintf(sa->psk_note[side], sizeof sa->psk_note[side], "the PSK for %s (%.60s)",
			 addr_str(&p->peer, a, sizeof a), p->origin ? p->origin : "command line");
	else
		snprintf(sa->psk_note[side], sizeof sa->psk_note[side], "the PSK from %.90s",
			 p->origin ? p->origin : "the command line");
}

/*
 * The PSK a side is configured with for its peer, when the key material
 * names it by the peer's address or identity (a key "for any peer" cannot
 * tell the two configurations apart).  Side `holder` looks its key up by the
 * other side's address or identity.
 */
static const struct kx_psk *
psk_configured(const struct kx_store *ks, const struct tk_sa *sa, int holder)
{
	const struct kx_psk *p =
	    keys_psk(ks, &sa->side[holder ^ 1].addr, peer_id(sa, holder ^ 1), 0);
	return p && (p->peer.af || p->id[0]) ? p : NULL;
}

/* Check a signer's hash/AUTH with each side's configured PSK: verify(p) is
 * 1, 0 or -1 (cannot tell). */
static void
psk_two_sides(const struct kx_store *ks, struct tk_sa *sa, int signer,
	      int (*verify)(const struct kx_psk *p, void *ctx), void *ctx)
{
	const struct kx_psk *own = psk_configured(ks, sa, signer);
	const struct kx_psk *peer = psk_configured(ks, sa, signer ^ 1);
	if (own) {
		int r = verify(own, ctx);
		if (r >= 0) {
			sa->psk_own_ok[signer] = (int8_t)r;
			snprintf(sa->psk_own_src[signer], sizeof sa->psk_own_src[signer], "%.60s",
				 own->origin ? own->origin : "the command line");
		}
	}
	if (peer && peer != own) {
		int r = verify(peer, ctx);
		if (r >= 0) {
			sa->psk_peer_ok[signer] = (int8_t)r;
			snprintf(sa->psk_peer_src[signer], sizeof sa->psk_peer_src[signer], "%.60s",
				 peer->origin ? peer->origin : "the command line");
		}
	}
}

static void
ref_of(struct tk_ref *r, const struct cap_frame *f)
{
	r->file = f->file;
	r->frame = f->num;
	r->t = tk_time_of(f);
}

static bool
is_psk_auth(int32_t a)
{
	return a == 1 || a == 65001 || a == 65002;
}

/* ---- IKEv1 ---- */

/* Negotiated algorithms, from the tracker's chosen transform. */
static bool
v1_algs(struct kx_sa *k, const struct tk_sa *sa)
{
	if (k->algs)
		return true;
	const struct tk_xform *x = sa->chosen.set    ? &sa->chosen
				   : sa->noffer == 1 ? &sa->offer[0]
						     : NULL;
	if (!x || x->encr < 0 || x->hash < 0)
		return false;
	uint32_t encr, prf;
	if (!nt_v1_p1_encr_to_v2((uint32_t)x->encr, &encr) ||
	    !nt_v1_hash_to_v2_prf((uint32_t)x->hash, &prf))
		return false;
	k->encr = encr;
	k->prf = prf;
	k->key_bits = x->key_len > 0 ? (unsigned)x->key_len : 0;
	k->keylen = ck_encr_key_len(encr, k->key_bits);
	k->block = ck_encr_block_len(encr);
	k->auth_method = x->auth_method;
	k->group = x->group;
	k->algs = k->keylen > 0 && k->block > 0 && k->block <= 16;
	return k->algs;
}

/*
 * The DH shared secret from one side's private value (native key file):
 * the value must be the one behind that side's KE in the capture; the
 * other side's KE completes it.
 */
static bool
gxy_from_dhpriv(struct kx_sa *k, const struct kx_store *ks, const struct tk_sa *sa)
{
	if (k->group < 0 || !k->gxi.n || !k->gxr.n)
		return false;
	for (int s = 0; s < 2; s++) {
		const struct kx_blob *mine = s == TK_I ? &k->gxi : &k->gxr;
		const struct kx_blob *theirs = s == TK_I ? &k->gxr : &k->gxi;
		for (unsigned i = 0;; i++) {
			const struct kx_dhpriv *d =
			    keys_dhpriv(ks, &sa->side[s].addr, (uint16_t)k->group, i);
			if (!d)
				break;
			uint8_t pub[KX_MAX_DH], sec[KX_MAX_DH];
			size_t publen = 0, seclen = 0;
			if (ck_dh_public((uint32_t)k->group, d->priv, d->len, pub, sizeof pub,
					 &publen) != 0 ||
			    publen != mine->n || memcmp(pub, mine->p, publen) != 0)
				continue;
			int rc = ck_dh_shared((uint32_t)k->group, d->priv, d->len, theirs->p,
					      theirs->n, sec, sizeof sec, &seclen);
			if (rc == 0)
				blob_set(&k->gxy, sec, seclen);
			ck_wipe(sec, sizeof sec);
			if (rc == 0)
				return k->gxy.n > 0;
		}
	}
	return false;
}

/* g^xy from the key store, or from one side's private value and the other's KE. */
static bool
v1_gxy(struct kx_sa *k, const struct kx_store *ks, const struct tk_sa *sa)
{
	if (k->gxy.n)
		return true;
	const struct kx_ike1 *t = keys_ike1(ks, sa->ispi, sa->rspi);
	if (t && t->gxy_len) {
		blob_set(&k->gxy, t->gxy, t->gxy_len);
		return k->gxy.n > 0;
	}
	return gxy_from_dhpriv(k, ks, sa);
}

/* Keys from SKEYID: the rest of the chain and Ka. */
static bool
v1_from_keys(struct kx_sa *k, const struct ck_v1_keys *v)
{
	k->v1 = *v;
	k->have_skeyid = k->have_d = k->have_a = true;
	if (ck_v1_enc_key(k->prf, v->skeyid_e, v->len, k->keylen, k->ka, sizeof k->ka) != 0)
		return false;
	k->ka_len = k->keylen;
	return true;
}

/* Set up Ka (and SKEYID_*) once, from whatever the store holds. */
static void
v1_keys(struct kx_sa *k, const struct kx_store *ks, struct tk_sa *sa)
{
	if (k->keys_tried)
		return;
	if (!v1_algs(k, sa)) {
		sa->nokeys_why =
		    "the phase-1 proposal (MM1/MM2) is not in the capture or not supported";
		return;
	}
	k->keys_tried = true;
	const struct kx_ike1 *t = keys_ike1(ks, sa->ispi, sa->rspi);
	if (t) {
		if (t->skeyid.n && t->skeyid.n <= CK_MAX_PRF_OUT) {
			memcpy(k->v1.skeyid, t->skeyid.b, t->skeyid.n);
			k->v1.len = t->skeyid.n;
			k->have_skeyid = true;
		}
		if (t->skeyid_d.n && t->skeyid_d.n <= CK_MAX_PRF_OUT) {
			memcpy(k->v1.skeyid_d, t->skeyid_d.b, t->skeyid_d.n);
			k->v1.len = t->skeyid_d.n;
			k->have_d = true;
		}
		if (t->skeyid_a.n && t->skeyid_a.n <= CK_MAX_PRF_OUT) {
			memcpy(k->v1.skeyid_a, t->skeyid_a.b, t->skeyid_a.n);
			k->have_a = true;
		}
		if (t->ka.n) {
			if (t->ka.n != k->keylen) {
				sa->nokeys_why =
				    "the key file's Ka has the wrong length for the negotiated cipher";
				return;
			}
			memcpy(k->ka, t->ka.b, t->ka.n);
			k->ka_len = t->ka.n;
		} else if (t->skeyid_e.n && t->skeyid_e.n <= CK_MAX_PRF_OUT) {
			if (ck_v1_enc_key(k->prf, t->skeyid_e.b, t->skeyid_e.n, k->keylen, k->ka,
					  sizeof k->ka) == 0)
				k->ka_len = k->keylen;
		}
		if (t->iv.n && t->iv.n == k->block) {
			memcpy(k->p1_iv, t->iv.b, t->iv.n);
			k->have_p1_iv = true;
		}
		if (t->last_block.n && t->last_block.n == k->block) {
			memcpy(k->last_p1, t->last_block.b, t->last_block.n);
			k->have_last_p1 = true;
		}
	}
	if (!k->ka_len) {
		/* derive: the DH secret, and the PSK for PSK methods */
		if (!k->ni.n || !k->nr.n) {
			sa->nokeys_why = "the nonces (MM3/MM4) are not in the capture";
			return;
		}
		if (!v1_gxy(k, ks, sa)) {
			sa->nokeys_why = t ? "the key file has no Ka for this SA and no DH secret"
					   : "no key for this SA (and no DH secret to derive one)";
			return;
		}
		enum ck_v1_auth_class cls = ck_v1_auth_class((uint32_t)k->auth_method);
		if (cls == CK_V1_AUTH_PSK) {
			/* the PSK chosen later, by which one decrypts MM5 */
			k->derive_psk = true;
		} else {
			struct ck_v1_keys v;
			if (ck_v1_derive(k->prf, (uint32_t)k->auth_method, NULL, 0, k->ni.p,
					 k->ni.n, k->nr.p, k->nr.n, k->gxy.p, k->gxy.n, sa->ispi,
					 sa->rspi, &v) == 0)
				v1_from_keys(k, &v);
			ck_v1_keys_wipe(&v);
		}
	}
	if (!k->have_p1_iv && k->gxi.n && k->gxr.n)
		k->have_p1_iv = ck_v1_iv_phase1(k->prf, k->gxi.p, k->gxi.n, k->gxr.p, k->gxr.n,
						k->block, k->p1_iv, sizeof k->p1_iv) == 0;
	k->have_keys = k->ka_len > 0 || k->derive_psk;
}

/* The IV a message starts from, or false (with the reason). */
static bool
v1_iv(struct kx_sa *k, const struct ike_msg *m, enum tk_label label, uint64_t hash, bool retx,
      uint8_t *iv, const char **why)
{
	if (retx)
		for (unsigned i = 0; i < KX_MAX_SENT; i++)
			if (k->sent[i].hash == hash && k->sent[i].used) {
				memcpy(iv, k->sent[i].iv, k->block);
				return true;
			}
	bool p1 = m->exch == IKE1_EXCH_MAIN || m->exch == IKE1_EXCH_AGGR ||
		  m->exch == IKE1_EXCH_AUTH_ONLY;
	if (p1) {
		if (label == TL_MM6 && k->have_mm_iv) {
			memcpy(iv, k->mm_iv, k->block);
			return true;
		}
		if (!k->have_p1_iv) {
			*why = "the KE messages (MM3/MM4) are not in the capture: no phase-1 IV";
			return false;
		}
		memcpy(iv, k->have_mm_iv ? k->mm_iv : k->p1_iv, k->block);
		return true;
	}
	for (unsigned i = 0; i < KX_MAX_MID; i++)
		if (k->mid[i].used && k->mid[i].msgid == m->msgid) {
			memcpy(iv, k->mid[i].iv, k->block);
			return true;
		}
	/* RFC 2409 App. B: hash(last phase-1 CBC output block | M-ID).  Before
	 * phase 1 is over (an informational refusing MM5, or answering AM2) that
	 * block is where phase 1's CBC stands: the last block of MM5, or the
	 * phase-1 IV when nothing was encrypted yet.  Not remembered: phase 1
	 * may still move on. */
	const uint8_t *lastblk = k->have_last_p1 ? k->last_p1 : NULL;
	if (!lastblk && k->have_mm_iv)
		lastblk = k->mm_iv;
	if (!lastblk && k->have_p1_iv && (k->phase1_clear || !k->have_mm_iv))
		lastblk = k->p1_iv;
	if (!lastblk) {
		{
			*why =
			    "the last phase-1 message (MM6/AM3) is not in the capture: no IV for this "
			    "exchange (give the last CBC block in a native key file)";
			return false;
		}
	}
	uint8_t mid[4] = {(uint8_t)(m->msgid >> 24), (uint8_t)(m->msgid >> 16),
			  (uint8_t)(m->msgid >> 8), (uint8_t)m->msgid};
	if (ck_v1_iv_phase2(k->prf, lastblk, k->block, mid, k->block, iv, 16) != 0) {
		*why = "the phase-2 IV could not be computed";
		return false;
	}
	return true;
}

static void
v1_note_iv(struct kx_sa *k, const struct ike_msg *m, enum tk_label label, uint64_t hash,
	   const uint8_t *used, const uint8_t *next, bool retx)
{
	if (!retx) {
		struct kx_sent *s = &k->sent[k->nsent++ % KX_MAX_SENT];
		s->used = true;
		s->hash = hash;
		memcpy(s->iv, used, k->block);
	}
	bool p1 = m->exch == IKE1_EXCH_MAIN || m->exch == IKE1_EXCH_AGGR ||
		  m->exch == IKE1_EXCH_AUTH_ONLY;
	if (retx)
		return; /* a repeat moves no chain */
	if (p1) {
		memcpy(k->mm_iv, next, k->block);
		k->have_mm_iv = true;
		if (label == TL_MM6 || label == TL_AM3) {
			memcpy(k->last_p1, next, k->block);
			k->have_last_p1 = true;
		}
		return;
	}
	unsigned slot = KX_MAX_MID;
	for (unsigned i = 0; i < KX_MAX_MID; i++)
		if (k->mid[i].used && k->mid[i].msgid == m->msgid)
			slot = i;
	if (slot == KX_MAX_MID)
		slot = k->nmid++ % KX_MAX_MID;
	k->mid[slot].used = true;
	k->mid[slot].msgid = m->msgid;
	memcpy(k->mid[slot].iv, next, k->block);
}

/* Try to decrypt with one Ka; the plaintext must parse as the announced chain. */
static bool
v1_try(struct kx_sa *k, struct ike_msg *m, struct arena *ar, const uint8_t *ka, const uint8_t *iv,
       uint8_t *next)
{
	if (m->enc_len == 0 || m->enc_len % k->block)
		return false;
	uint8_t *pt = arena_alloc(ar, m->enc_len);
	if (!pt)
		return false;
	if (ck_v1_decrypt(k->encr, ka, k->keylen, iv, k->block, m->enc, m->enc_len, pt, next, 16) !=
	    0)
		return false;
	uint16_t before = m->nanom;
	struct ike_chain c;
	ike_parse_chain(ar, m, pt, m->enc_len, m->np, IKE_HDR_LEN, true, &c);
	if (m->nanom != before || c.n == 0) {
		m->nanom = before;
		return false;
	}
	m->chain = c;
	return true;
}

/* HASH_I / HASH_R (RFC 2409 5) with a given SKEYID. */
static int
v1_check_hash(const struct kx_sa *k, const struct tk_sa *sa, int side, const uint8_t *skeyid,
	      size_t slen, const uint8_t *hash, size_t hlen)
{
	uint8_t out[CK_MAX_PRF_OUT];
	size_t olen = 0;
	const struct kx_blob *id = side == TK_I ? &k->idi_b : &k->idr_b;
	if (!k->sai_b.n || !id->n || !k->gxi.n || !k->gxr.n)
		return -1;
	int rc = side == TK_I ? ck_v1_hash_i(k->prf, skeyid, slen, k->gxi.p, k->gxi.n, k->gxr.p,
					     k->gxr.n, sa->ispi, sa->rspi, k->sai_b.p, k->sai_b.n,
					     id->p, id->n, out, sizeof out, &olen)
			      : ck_v1_hash_r(k->prf, skeyid, slen, k->gxi.p, k->gxi.n, k->gxr.p,
					     k->gxr.n, sa->ispi, sa->rspi, k->sai_b.p, k->sai_b.n,
					     id->p, id->n, out, sizeof out, &olen);
	if (rc != 0)
		return -1;
	int ok = olen == hlen && ck_verify(out, hash, hlen) == 0;
	ck_wipe(out, sizeof out);
	return ok;
}

struct v1_psk_ctx {
	const struct kx_sa *k;
	const struct tk_sa *sa;
	int side;
	const uint8_t *hash;
	size_t hlen;
};

static int
v1_psk_verify(const struct kx_psk *p, void *ctx)
{
	const struct v1_psk_ctx *c = ctx;
	uint8_t sk[CK_MAX_PRF_OUT];
	size_t sl = 0;
	if (ck_v1_skeyid_psk(c->k->prf, p->secret, p->len, c->k->ni.p, c->k->ni.n, c->k->nr.p,
			     c->k->nr.n, sk, sizeof sk, &sl) != 0)
		return -1;
	int r = v1_check_hash(c->k, c->sa, c->side, sk, sl, c->hash, c->hlen);
	ck_wipe(sk, sizeof sk);
	return r;
}

/*
 * Check a side's HASH: with the SKEYID we have, else with each candidate PSK
 * (SKEYID = prf(PSK, Ni_b | Nr_b) needs no DH secret).  Records which PSK
 * the side used, never the PSK.
 */
static void
v1_verify_hash(struct kx_sa *k, const struct kx_store *ks, struct tk_sa *sa, int side,
	       const uint8_t *hash, size_t hlen, const struct cap_frame *f)
{
	struct kx_rt *rt = kx_rt_get((struct kx_store *)ks);
	int ok = -1;
	if (k->have_skeyid) {
		ok = v1_check_hash(k, sa, side, k->v1.skeyid, k->v1.len, hash, hlen);
		if (ok == 1)
			snprintf(sa->psk_note[side], sizeof sa->psk_note[side],
				 "the key file's SKEYID");
	}
	if (ok != 1 && is_psk_auth(k->auth_method) && k->ni.n && k->nr.n) {
		for (unsigned i = 0;; i++) {
			const struct kx_psk *p = psk_nth(ks, sa, i);
			if (!p)
				break;
			uint8_t sk[CK_MAX_PRF_OUT];
			size_t sl = 0;
			if (ck_v1_skeyid_psk(k->prf, p->secret, p->len, k->ni.p, k->ni.n, k->nr.p,
					     k->nr.n, sk, sizeof sk, &sl) != 0)
				continue;
			int r = v1_check_hash(k, sa, side, sk, sl, hash, hlen);
			ck_wipe(sk, sizeof sk);
			if (r == 1) {
				ok = 1;
				psk_note(sa, side, p);
				break;
			}
			if (r == 0)
				ok = 0;
		}
	}
	if (is_psk_auth(k->auth_method) && k->ni.n && k->nr.n) {
		struct v1_psk_ctx c = {k, sa, side, hash, hlen};
		psk_two_sides(ks, sa, side, v1_psk_verify, &c);
	}
	if (ok < 0)
		return;
	sa->hash_ok[side] = (int8_t)ok;
	ref_of(&sa->hash_ref[side], f);
	if (rt) {
		rt->st.hash_checked++;
		if (ok)
			rt->st.hash_ok++;
	}
}

/* With a PSK method and only g^xy: find the PSK that decrypts this message. */
static bool
v1_derive_with_psk(struct kx_sa *k, const struct kx_store *ks, struct tk_sa *sa, struct ike_msg *m,
		   struct arena *ar, const uint8_t *iv, uint8_t *next)
{
	for (unsigned i = 0;; i++) {
		const struct kx_psk *p = psk_nth(ks, sa, i);
		if (!p)
			return false;
		struct ck_v1_keys v;
		if (ck_v1_derive(k->prf, (uint32_t)k->auth_method, p->secret, p->len, k->ni.p,
				 k->ni.n, k->nr.p, k->nr.n, k->gxy.p, k->gxy.n, sa->ispi, sa->rspi,
				 &v) != 0)
			continue;
		uint8_t ka[64];
		if (ck_v1_enc_key(k->prf, v.skeyid_e, v.len, k->keylen, ka, sizeof ka) == 0 &&
		    v1_try(k, m, ar, ka, iv, next)) {
			v1_from_keys(k, &v);
			k->derive_psk = false;
			ck_wipe(ka, sizeof ka);
			ck_v1_keys_wipe(&v);
			return true;
		}
		ck_wipe(ka, sizeof ka);
		ck_v1_keys_wipe(&v);
	}
}

/* Quick mode: nonces, SPIs and the chosen transform; then ESP keys. */
static struct kx_qm *
qm_get(struct kx_sa *k, uint32_t msgid)
{
	for (unsigned i = 0; i < KX_MAX_QM; i++)
		if (k->qm[i].used && k->qm[i].msgid == msgid)
			return &k->qm[i];
	struct kx_qm *q = &k->qm[k->nqm++ % KX_MAX_QM];
	blob_free(&q->ni);
	blob_free(&q->nr);
	memset(q, 0, sizeof *q);
	q->used = true;
	q->msgid = msgid;
	return q;
}

static void
v1_qm_keys(struct kx_store *ks, struct kx_sa *k, struct tk_sa *sa, struct kx_qm *q)
{
	if (q->keyed || !k->have_d || !q->ni.n || !q->nr.n || !q->have_spi[0] || !q->have_spi[1] ||
	    !q->have_xform)
		return;
	if (q->pfs) {
		q->keyed = true; /* g(qm)^xy never crosses the wire: not derivable */
		return;
	}
	q->keyed = true;
	/* direction d: traffic from side d; its SPI was chosen by the other side */
	for (int d = 0; d < 2; d++) {
		/* the quick mode's initiator is q->init; its SPI (spi[0]) receives
		 * what the responder sends */
		int recv = d == q->init ? 1 : 0; /* index of the receiver's SPI */
		const uint8_t *spi = q->spi[recv];
		struct ck_v1_sa_keys sk;
		if (ck_v1_sa_keys(k->prf, k->v1.skeyid_d, k->v1.len, NULL, 0, q->proto, spi, 4,
				  q->ni.p, q->ni.n, q->nr.p, q->nr.n, q->encr, q->key_bits,
				  q->integ, &sk) != 0)
			continue;
		struct kx_esp e;
		memset(&e, 0, sizeof e);
		e.spi = (uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 |
			spi[3];
		e.src = sa->side[d].addr;
		e.dst = sa->side[d ^ 1].addr;
		e.proto = q->proto == 2 ? 51 : 50;
		e.encr = q->encr;
		e.key_bits = (uint16_t)q->key_bits;
		if (sk.elen <= sizeof e.ekey.b) {
			memcpy(e.ekey.b, sk.e, sk.elen);
			e.ekey.n = (uint16_t)sk.elen;
		}
		e.integ = q->integ;
		if (sk.alen <= sizeof e.akey.b) {
			memcpy(e.akey.b, sk.a, sk.alen);
			e.akey.n = (uint16_t)sk.alen;
		}
		e.origin = "derived from quick mode";
		kx_rt_add_esp(ks, &e);
		ck_wipe(&sk, sizeof sk);
		ck_wipe(&e, sizeof e);
	}
}

static void
v1_after(struct kx_store *ks, struct kx_sa *k, struct tk_sa *sa, const struct ike_msg *m,
	 enum tk_label label, uint8_t from, const struct cap_frame *f)
{
	const struct ike_pld *p;
	if (label == TL_MM5 || label == TL_MM6 || label == TL_AM3) {
		int side = label == TL_MM6 ? TK_R : TK_I;
		if ((p = find(&m->chain, IKE1_ID)) != NULL) {
			blob_set(side == TK_I ? &k->idi_b : &k->idr_b, p->body, p->body_len);
			if (p->known)
				ike_id_text(false, p->u.id.type, p->u.id.data, p->u.id.len,
					    sa->id_text[side], sizeof sa->id_text[side]);
		}
		if ((p = find(&m->chain, IKE1_HASH)) != NULL)
			v1_verify_hash(k, ks, sa, side, p->body, p->body_len, f);
		return;
	}
	if (m->exch != IKE1_EXCH_QUICK)
		return;
	struct kx_qm *q = qm_get(k, m->msgid);
	if (label == TL_QM1)
		q->init = from;
	if ((p = find(&m->chain, IKE1_NONCE)) != NULL)
		blob_set(from == q->init ? &q->ni : &q->nr, p->body, p->body_len);
	if (find(&m->chain, IKE1_KE))
		q->pfs = true;
	if ((p = find(&m->chain, IKE1_SA)) != NULL && p->known && p->u.sa.nprop > 0) {
		const struct ike_proposal *pr = &p->u.sa.p[0];
		int idx = from == q->init ? 0 : 1;
		if (pr->spi && pr->spi_size == 4) {
			memcpy(q->spi[idx], pr->spi, 4);
			q->have_spi[idx] = true;
		}
		q->proto = pr->proto;
		if (label == TL_QM2 && pr->ntrans > 0) {
			struct ike_v1_xform x;
			ike_v1_xform_decode(&pr->t[0], false, &x);
			uint32_t e = 0, i = 0;
			bool ok = nt_v1_esp_to_v2_encr(pr->t[0].id, &e);
			if (x.integ >= 0 && !nt_v1_p2_auth_to_v2_integ((uint32_t)x.integ, &i))
				ok = false;
			if (pr->proto == 2) { /* AH: the transform is the integrity */
				ok = x.integ >= 0;
				e = CK_ENCR_NULL;
			}
			if (ok) {
				q->encr = e;
				q->integ = i;
				q->key_bits = x.key_len > 0 ? (unsigned)x.key_len : 0;
				q->have_xform = true;
			}
		}
	}
	v1_qm_keys(ks, k, sa, q);
}

static void
v1_clear(struct kx_sa *k, struct tk_sa *sa, const struct ike_msg *m, enum tk_label label)
{
	const struct ike_pld *p;
	if ((label == TL_MM1 || label == TL_AM1) && (p = find(&m->chain, IKE1_SA)) != NULL)
		blob_set(&k->sai_b, p->body, p->body_len);
	bool ini = label == TL_MM3 || label == TL_AM1;
	bool res = label == TL_MM4 || label == TL_AM2;
	if (ini || res) {
		if ((p = find(&m->chain, IKE1_KE)) != NULL)
			blob_set(ini ? &k->gxi : &k->gxr, p->body, p->body_len);
		if ((p = find(&m->chain, IKE1_NONCE)) != NULL)
			blob_set(ini ? &k->ni : &k->nr, p->body, p->body_len);
	}
	if (label == TL_AM1 || label == TL_AM2) {
		int side = label == TL_AM1 ? TK_I : TK_R;
		if ((p = find(&m->chain, IKE1_ID)) != NULL) {
			blob_set(side == TK_I ? &k->idi_b : &k->idr_b, p->body, p->body_len);
			if (p->known)
				ike_id_text(false, p->u.id.type, p->u.id.data, p->u.id.len,
					    sa->id_text[side], sizeof sa->id_text[side]);
		}
		if (label == TL_AM2 && (p = find(&m->chain, IKE1_HASH)) != NULL)
			blob_set(&k->hash_r_clear, p->body, p->body_len);
	}
	if (label == TL_AM3 && !m->encrypted)
		k->phase1_clear = true;
}

static void
kx_v1(struct kx_store *ks, struct tk_sa *sa, const struct cap_frame *f, struct ike_msg *m,
      struct arena *ar, enum tk_label label, bool retx, uint8_t from)
{
	struct kx_sa *k = kx_of(sa);
	if (!k)
		return;
	if (!m->encrypted) {
		if (!retx)
			v1_clear(k, sa, m, label);
		/* aggressive mode: HASH_R is in clear, checkable from the PSK alone
		 * (or from SKEYID when a key file has it) */
		if (label == TL_AM2 && k->hash_r_clear.n && v1_algs(k, sa) && !retx) {
			v1_keys(k, ks, sa);
			v1_verify_hash(k, ks, sa, TK_R, k->hash_r_clear.p, k->hash_r_clear.n, f);
		}
		return;
	}
	v1_keys(k, ks, sa);
	if (!k->have_keys) {
		m->decrypt_error = sa->nokeys_why ? sa->nokeys_why : "no key for this SA";
		return;
	}
	uint8_t iv[16], next[16];
	const char *why = NULL;
	uint64_t hash = tk_hash_bytes(m->raw, m->raw_len);
	if (!v1_iv(k, m, label, hash, retx, iv, &why)) {
		m->decrypt_error = why;
		return;
	}
	if (m->enc_len % k->block) {
		m->decrypt_error = "the encrypted body is not a whole number of cipher blocks";
		return;
	}
	bool ok;
	if (k->derive_psk)
		ok = v1_derive_with_psk(k, ks, sa, m, ar, iv, next);
	else
		ok = v1_try(k, m, ar, k->ka, iv, next);
	struct kx_rt *rt = kx_rt_get(ks);
	if (!ok) {
		m->decrypt_error =
		    k->derive_psk
			? "no PSK candidate gives keys that decrypt this message"
			: "does not decrypt with the known key (the payload chain does not parse): "
			  "this side used a different key";
		if (sa->decrypts[from] != 1) {
			sa->decrypts[from] = 0;
			ref_of(&sa->decrypt_fail_ref[from], f);
		}
		if (rt)
			rt->st.ike_failed++;
		return;
	}
	m->decrypted = true;
	sa->decrypts[from] = 1;
	if (rt)
		rt->st.ike_decrypted++;
	v1_note_iv(k, m, label, hash, iv, next, retx);
	if (!retx)
		v1_after(ks, k, sa, m, label, from, f);
}

/* ---- IKEv2 ---- */

static bool
v2_algs(struct kx_sa *k, const struct tk_sa *sa)
{
	if (k->algs)
		return true;
	const struct tk_xform *x = &sa->chosen;
	if (!x->set || x->encr < 0 || x->prf < 0)
		return false;
	k->encr = (uint32_t)x->encr;
	k->prf = (uint32_t)x->prf;
	k->integ = x->integ >= 0 ? (uint32_t)x->integ : 0;
	k->key_bits = x->key_len > 0 ? (unsigned)x->key_len : 0;
	k->group = x->group;
	k->algs = true;
	return true;
}

static bool
v2_gir(struct kx_sa *k, const struct kx_store *ks, const struct tk_sa *sa)
{
	if (k->gxy.n)
		return true;
	const struct kx_ike2 *t = keys_ike2(ks, sa->ispi, sa->rspi);
	if (t && t->gir_len) {
		blob_set(&k->gxy, t->gir, t->gir_len);
		return true;
	}
	return gxy_from_dhpriv(k, ks, sa);
}

static void
v2_keys(struct kx_sa *k, const struct kx_store *ks, struct tk_sa *sa)
{
	if (k->keys_tried)
		return;
	const struct kx_ike2 *t = keys_ike2(ks, sa->ispi, sa->rspi);
	bool algs = v2_algs(k, sa);
	if (t && t->algs_known) {
		k->encr = t->encr;
		k->integ = t->integ;
		k->key_bits = t->key_bits;
		algs = true;
	}
	if (!algs) {
		sa->nokeys_why =
		    "the IKE_SA_INIT response (the chosen transforms) is not in the capture";
		return;
	}
	k->keys_tried = true;
	if (t && t->sk_ei.n && t->sk_er.n) {
		struct ck_v2_keys *v = &k->v2;
		size_t lens[] = {t->sk_ei.n, t->sk_er.n};
		if (t->sk_ei.n > sizeof v->ei || t->sk_er.n > sizeof v->er ||
		    t->sk_ai.n > sizeof v->ai || t->sk_ar.n > sizeof v->ar) {
			sa->nokeys_why = "a key in the key file is longer than any cipher takes";
			return;
		}
		(void)lens;
		memcpy(v->ei, t->sk_ei.b, t->sk_ei.n);
		memcpy(v->er, t->sk_er.b, t->sk_er.n);
		memcpy(v->ai, t->sk_ai.b, t->sk_ai.n);
		memcpy(v->ar, t->sk_ar.b, t->sk_ar.n);
		v->len.e = t->sk_ei.n;
		v->len.a = t->sk_ai.n;
		if (t->sk_d.n && t->sk_d.n <= sizeof v->d) {
			memcpy(v->d, t->sk_d.b, t->sk_d.n);
			v->len.d = t->sk_d.n;
			k->have_d = true;
		}
		if (t->sk_pi.n && t->sk_pi.n <= sizeof v->pi && t->sk_pr.n <= sizeof v->pr) {
			memcpy(v->pi, t->sk_pi.b, t->sk_pi.n);
			memcpy(v->pr, t->sk_pr.b, t->sk_pr.n);
			k->have_p = true;
		}
	} else {
		if (!k->ni.n || !k->nr.n) {
			sa->nokeys_why = "the IKE_SA_INIT nonces are not in the capture";
			return;
		}
		if (!v2_gir(k, ks, sa)) {
			sa->nokeys_why = t ? "the key file has no SK_e for this SA and no DH secret"
					   : "no key for this SA (and no DH secret to derive one)";
			return;
		}
		if (ck_v2_derive(k->prf, k->encr, k->key_bits, k->integ, k->ni.p, k->ni.n, k->nr.p,
				 k->nr.n, k->gxy.p, k->gxy.n, sa->ispi, sa->rspi, &k->v2) != 0) {
			sa->nokeys_why =
			    "the negotiated transforms are not supported for decryption";
			return;
		}
		k->have_d = k->have_p = true;
	}
	int err = 0;
	size_t need = ck_encr_key_len(k->encr, k->key_bits) + ck_encr_salt_len(k->encr);
	if (need && k->key_bits && need != k->v2.len.e) {
		sa->nokeys_why = "SK_e has the wrong length for the negotiated cipher";
		return;
	}
	bool check = true;
	uint32_t integ = kx_integ_for_crypto(k->integ, &check);
	k->check_icv = check && (k->v2.len.a > 0 || ck_encr_is_aead(k->encr));
	size_t alen = check ? k->v2.len.a : 0;
	k->ctx[0] =
	    ck_ctx_new(k->encr, k->v2.ei, k->v2.len.e, integ, alen ? k->v2.ai : NULL, alen, &err);
	k->ctx[1] =
	    ck_ctx_new(k->encr, k->v2.er, k->v2.len.e, integ, alen ? k->v2.ar : NULL, alen, &err);
	if (!k->ctx[0] || !k->ctx[1]) {
		sa->nokeys_why = "the negotiated cipher or integrity algorithm is not supported";
		return;
	}
	k->have_keys = true;
}

struct v2_psk_ctx {
	const struct kx_sa *k;
	const struct kx_blob *real, *nonce, *id;
	const uint8_t *skp;
	const struct ike_pld *auth;
};

static int
v2_psk_verify(const struct kx_psk *p, void *ctx)
{
	const struct v2_psk_ctx *c = ctx;
	int r = ck_v2_psk_auth_verify(c->k->prf, p->secret, p->len, c->real->p, c->real->n,
				      c->nonce->p, c->nonce->n, c->skp, c->k->v2.len.d, c->id->p,
				      c->id->n, c->auth->u.auth.data, c->auth->u.auth.len);
	return r == CK_OK ? 1 : r == CK_EAUTH ? 0 : -1;
}

static void
v2_verify_auth(struct kx_sa *k, const struct kx_store *ks, struct tk_sa *sa, int side,
	       const struct ike_pld *auth, const struct cap_frame *f)
{
	/* RFC 7296 2.15: shared key AUTH (method 2) */
	if (!auth->known || auth->u.auth.method != 2 || !k->have_p)
		return;
	const struct kx_blob *real = side == TK_I ? &k->init_req : &k->init_resp;
	const struct kx_blob *nonce = side == TK_I ? &k->nr : &k->ni;
	const struct kx_blob *id = side == TK_I ? &k->idi_b : &k->idr_b;
	const uint8_t *skp = side == TK_I ? k->v2.pi : k->v2.pr;
	if (!real->n || !nonce->n || !id->n)
		return;
	struct v2_psk_ctx c = {k, real, nonce, id, skp, auth};
	psk_two_sides(ks, sa, side, v2_psk_verify, &c);
	int ok = -1;
	for (unsigned i = 0;; i++) {
		const struct kx_psk *p = psk_nth(ks, sa, i);
		if (!p)
			break;
		int r = ck_v2_psk_auth_verify(k->prf, p->secret, p->len, real->p, real->n, nonce->p,
					      nonce->n, skp, k->v2.len.d, id->p, id->n,
					      auth->u.auth.data, auth->u.auth.len);
		if (r == CK_OK) {
			ok = 1;
			psk_note(sa, side, p);
			break;
		}
		if (r == CK_EAUTH)
			ok = 0;
	}
	if (ok < 0)
		return;
	sa->hash_ok[side] = (int8_t)ok;
	ref_of(&sa->hash_ref[side], f);
	struct kx_rt *rt = kx_rt_get((struct kx_store *)ks);
	if (rt) {
		rt->st.hash_checked++;
		if (ok)
			rt->st.hash_ok++;
	}
}

static void
v2_child_keys(struct kx_store *ks, struct kx_sa *k, struct tk_sa *sa, struct kx_child *c)
{
	if (c->keyed || !k->have_d || !c->have_spi[0] || !c->have_spi[1] || !c->have_xform ||
	    !c->ni.p || !c->nr.p)
		return;
	c->keyed = true;
	if (c->pfs)
		return; /* the new DH secret never crosses the wire */
	struct ck_v2_child_keys ck;
	if (ck_v2_child_keys(k->prf, k->v2.d, k->v2.len.d, NULL, 0, c->ni.p, c->ni.n, c->nr.p,
			     c->nr.n, c->encr, c->key_bits, c->integ, &ck) != 0)
		return;
	/* direction d: from the exchange's initiator (0) or responder (1); the
	 * SPI is the one the receiver chose */
	for (int d = 0; d < 2; d++) {
		int from = d == 0 ? c->init : c->init ^ 1;
		const uint8_t *spi = c->spi[d == 0 ? 1 : 0];
		struct kx_esp e;
		memset(&e, 0, sizeof e);
		e.spi = (uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 |
			spi[3];
		e.src = sa->side[from].addr;
		e.dst = sa->side[from ^ 1].addr;
		e.proto = c->proto == 2 ? 51 : 50;
		e.encr = c->encr;
		e.key_bits = (uint16_t)c->key_bits;
		memcpy(e.ekey.b, d == 0 ? ck.ei : ck.er, ck.elen);
		e.ekey.n = (uint16_t)ck.elen;
		e.integ = c->integ;
		memcpy(e.akey.b, d == 0 ? ck.ai : ck.ar, ck.alen);
		e.akey.n = (uint16_t)ck.alen;
		e.esn = c->esn;
		e.origin = "derived from the CHILD SA negotiation";
		kx_rt_add_esp(ks, &e);
		ck_wipe(&e, sizeof e);
	}
	ck_v2_child_keys_wipe(&ck);
}

static struct kx_child *
child_get(struct kx_sa *k, uint8_t exch, uint32_t msgid)
{
	for (unsigned i = 0; i < KX_MAX_CHILD; i++)
		if (k->child[i].used && k->child[i].exch == exch &&
		    (exch == IKE2_EXCH_AUTH || k->child[i].msgid == msgid))
			return &k->child[i];
	struct kx_child *c = &k->child[k->nchild++ % KX_MAX_CHILD];
	blob_free(&c->own_ni);
	blob_free(&c->own_nr);
	memset(c, 0, sizeof *c);
	c->used = true;
	c->exch = exch;
	c->msgid = msgid;
	return c;
}

static void
v2_after(struct kx_store *ks, struct kx_sa *k, struct tk_sa *sa, const struct ike_chain *in,
	 const struct ike_msg *m, uint8_t from, const struct cap_frame *f)
{
	bool resp = (m->flags & IKE_V2_FLAG_R) != 0;
	const struct ike_pld *p;
	if (m->exch == IKE2_EXCH_AUTH) {
		int side = from;
		uint8_t idt = side == TK_I ? IKE2_IDI : IKE2_IDR;
		if ((p = find(in, idt)) != NULL) {
			blob_set(side == TK_I ? &k->idi_b : &k->idr_b, p->body, p->body_len);
			if (p->known)
				ike_id_text(true, p->u.id.type, p->u.id.data, p->u.id.len,
					    sa->id_text[side], sizeof sa->id_text[side]);
		}
		/* the optional IDr of the request: the responder identity wanted */
		if (side == TK_I && !resp && (p = find(in, IKE2_IDR)) != NULL && p->known)
			ike_id_text(true, p->u.id.type, p->u.id.data, p->u.id.len, sa->id_wanted,
				    sizeof sa->id_wanted);
		if ((p = find(in, IKE2_AUTH)) != NULL) {
			if (p->known && sa->auth_method < 0)
				sa->auth_method =
				    p->u.auth.method == 2 ? 1 : 100 + p->u.auth.method;
			v2_verify_auth(k, ks, sa, side, p, f);
		}
	}
	if (m->exch != IKE2_EXCH_AUTH && m->exch != IKE2_EXCH_CREATE_CHILD)
		return;
	struct kx_child *c = child_get(k, m->exch, m->msgid);
	if (!resp)
		c->init = from;
	if (m->exch == IKE2_EXCH_AUTH) {
		/* the child of IKE_AUTH is keyed with the IKE_SA_INIT nonces */
		c->ni = k->ni;
		c->nr = k->nr;
	} else if ((p = find(in, IKE2_NONCE)) != NULL) {
		struct kx_blob *b = resp ? &c->own_nr : &c->own_ni;
		blob_set(b, p->body, p->body_len);
		c->owns_nonces = true;
		c->ni = c->own_ni;
		c->nr = c->own_nr;
	}
	if (find(in, IKE2_KE))
		c->pfs = true;
	if ((p = find(in, IKE2_SA)) != NULL && p->known && p->u.sa.nprop > 0) {
		const struct ike_proposal *pr = &p->u.sa.p[0];
		if (pr->proto == 2 || pr->proto == 3) {
			int idx = resp ? 1 : 0;
			if (pr->spi && pr->spi_size == 4) {
				memcpy(c->spi[idx], pr->spi, 4);
				c->have_spi[idx] = true;
			}
			c->proto = pr->proto;
			if (resp) {
				struct tk_xform x;
				memset(&x, 0, sizeof x);
				for (unsigned i = 0; i < pr->ntrans; i++) {
					const struct ike_transform *t = &pr->t[i];
					if (t->type == 1) {
						c->encr = t->id;
						c->key_bits = ike_v2_key_len(t);
					} else if (t->type == 3) {
						c->integ = t->id;
					} else if (t->type == 5) {
						c->esn = t->id == 1;
					}
				}
				if (pr->proto == 2)
					c->encr = CK_ENCR_NULL;
				c->have_xform = c->encr != 0;
			}
		}
	}
	v2_child_keys(ks, k, sa, c);
}

/* An SKF fragment: keep its plaintext; when all are in, parse the whole. */
static struct ike_chain *
v2_fragment(struct kx_sa *k, struct ike_msg *m, struct arena *ar, const struct ike_pld *p,
	    const uint8_t *pt, size_t len, int dir)
{
	struct kx_frag *fr = &k->frag[dir];
	const struct ike_sk *s = &p->u.sk;
	if (s->frag_total == 0 || s->frag_total > KX_MAX_FRAGS || s->frag_num == 0 ||
	    s->frag_num > s->frag_total)
		return NULL;
	if (fr->msgid != m->msgid || fr->total != s->frag_total || !fr->active) {
		for (unsigned i = 0; i < KX_MAX_FRAGS; i++)
			blob_free(&fr->part[i]);
		fr->active = true;
		fr->msgid = m->msgid;
		fr->total = s->frag_total;
		fr->got = 0;
		fr->first_inner = 0;
	}
	struct kx_blob *b = &fr->part[s->frag_num - 1];
	if (!b->p) {
		blob_set(b, pt, len);
		if (!b->p && len == 0) {
			/* an empty fragment still counts */
			b->p = malloc(1);
			b->n = 0;
		}
		fr->got++;
	}
	if (s->frag_num == 1)
		fr->first_inner = s->first_inner;
	if (fr->got < fr->total)
		return NULL;
	size_t total = 0;
	for (unsigned i = 0; i < fr->total; i++)
		total += fr->part[i].n;
	uint8_t *all = arena_alloc(ar, total ? total : 1);
	if (!all)
		return NULL;
	size_t o = 0;
	for (unsigned i = 0; i < fr->total; i++) {
		if (fr->part[i].n)
			memcpy(all + o, fr->part[i].p, fr->part[i].n);
		o += fr->part[i].n;
		blob_free(&fr->part[i]);
	}
	fr->active = false;
	struct ike_chain *in = arena_alloc(ar, sizeof *in);
	if (!in)
		return NULL;
	ike_parse_chain(ar, m, all, total, fr->first_inner, 0, false, in);
	return in;
}

static void
v2_clear(struct kx_sa *k, const struct ike_msg *m, uint8_t from, bool retx)
{
	if (m->exch != IKE2_EXCH_SA_INIT || retx)
		return;
	const struct ike_pld *p;
	bool resp = (m->flags & IKE_V2_FLAG_R) != 0;
	/* a COOKIE or INVALID_KE_PAYLOAD reply (SPIr zero) is not the real one */
	static const uint8_t zero[8];
	if (resp && memcmp(m->rspi, zero, 8) == 0)
		return;
	(void)from;
	blob_set(resp ? &k->init_resp : &k->init_req, m->raw, m->raw_len);
	if ((p = find(&m->chain, IKE2_NONCE)) != NULL)
		blob_set(resp ? &k->nr : &k->ni, p->body, p->body_len);
	if ((p = find(&m->chain, IKE2_KE)) != NULL && p->known)
		blob_set(resp ? &k->gxr : &k->gxi, p->u.ke.data, p->u.ke.len);
}

static void
kx_v2(struct kx_store *ks, struct tk_sa *sa, const struct cap_frame *f, struct ike_msg *m,
      struct arena *ar, bool retx, uint8_t from)
{
	struct kx_sa *k = kx_of(sa);
	if (!k)
		return;
	v2_clear(k, m, from, retx);
	if (!m->encrypted)
		return;
	v2_keys(k, ks, sa);
	if (!k->have_keys) {
		m->decrypt_error = sa->nokeys_why ? sa->nokeys_why : "no key for this SA";
		return;
	}
	/* RFC 7296 3.14: the keys of the original initiator when I is set */
	int dir = (m->flags & IKE_V2_FLAG_I) ? 0 : 1;
	struct kx_rt *rt = kx_rt_get(ks);
	for (unsigned i = 0; i < m->chain.n; i++) {
		struct ike_pld *p = &m->chain.p[i];
		if ((p->type != IKE2_SK && p->type != IKE2_SKF) || !p->known)
			continue;
		size_t outsz = p->u.sk.len ? p->u.sk.len : 1;
		uint8_t *pt = arena_alloc(ar, outsz);
		if (!pt)
			return;
		struct ck_sk_plain res;
		bool verify = k->check_icv;
		int rc = p->type == IKE2_SK
			     ? ck_v2_sk_open(k->ctx[dir], m->raw, m->raw_len, p->off, p->len,
					     verify, pt, outsz, &res)
			     : ck_v2_skf_open(k->ctx[dir], m->raw, m->raw_len, p->off, p->len,
					      verify, pt, outsz, &res);
		/* An ICV that fails with CBC or CTR may be a wrong integrity key
		 * alone (a key table with a bad SK_a): decrypt anyway, and keep the
		 * result only if the plaintext is the payload chain it announces. */
		bool icv_bad = false;
		if (rc == CK_EAUTH && !ck_encr_is_aead(k->encr)) {
			int rc2 = p->type == IKE2_SK
				      ? ck_v2_sk_open(k->ctx[dir], m->raw, m->raw_len, p->off,
						      p->len, false, pt, outsz, &res)
				      : ck_v2_skf_open(k->ctx[dir], m->raw, m->raw_len, p->off,
						       p->len, false, pt, outsz, &res);
			if (rc2 == 0 && p->type == IKE2_SK) {
				uint16_t before = m->nanom;
				struct ike_chain probe;
				ike_parse_chain(ar, m, pt, res.len, p->u.sk.first_inner,
						p->u.sk.data_off, false, &probe);
				if (m->nanom == before && probe.n > 0) {
					rc = 0;
					icv_bad = true;
				}
				m->nanom = before;
			}
		}
		if (rc != 0) {
			m->decrypt_error =
			    rc == CK_EAUTH
				? "ICV mismatch: this side used other keys"
				: "the encrypted payload's lengths do not fit the cipher";
			if (sa->decrypts[from] != 1) {
				sa->decrypts[from] = 0;
				ref_of(&sa->decrypt_fail_ref[from], f);
			}
			if (rt)
				rt->st.ike_failed++;
			return;
		}
		m->decrypted = true;
		if (icv_bad) {
			m->icv_bad = true;
			m->decrypt_error =
			    "the ICV does not verify with the integrity key given; the "
			    "payloads decrypted anyway";
		}
		sa->decrypts[from] = 1;
		if (rt)
			rt->st.ike_decrypted++;
		struct ike_chain *in;
		if (p->type == IKE2_SK) {
			in = arena_alloc(ar, sizeof *in);
			if (!in)
				return;
			uint16_t before = m->nanom;
			ike_parse_chain(ar, m, pt, res.len, p->u.sk.first_inner, p->u.sk.data_off,
					false, in);
			(void)before;
		} else {
			in = retx ? NULL : v2_fragment(k, m, ar, p, pt, res.len, dir);
		}
		p->u.sk.inner = in;
		if (in && !retx)
			v2_after(ks, k, sa, in, m, from, f);
	}
}

/* ---- entry point ---- */

void
kx_ike(struct kx_store *ks, struct tk_sa *sa, const struct cap_frame *f, struct ike_msg *m,
       struct arena *ar, enum tk_label label, bool retx, uint8_t from)
{
	if (!ks || !sa || !m->header_ok || from > TK_R)
		return;
	if (m->v2)
		kx_v2(ks, sa, f, m, ar, retx, from);
	else
		kx_v1(ks, sa, f, m, ar, label, retx, from);
}
