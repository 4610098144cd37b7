/*
 * natd.c - NAT detection payloads checked against the packet as captured.
 *
 * IKEv1 (RFC 3947 3.2): HASH(CKY-I | CKY-R | IP | Port) with the negotiated
 * hash; the first NAT-D is the address the sender sends to, the others its
 * own.  IKEv2 (RFC 7296 2.23): SHA-1(SPIi | SPIr | IP | Port) in
 * NAT_DETECTION_SOURCE_IP / _DESTINATION_IP, SPIr zero in the request.
 * A hash that does not match the address of the same packet as captured
 * means a translation between that sender and the capture point: a source
 * mismatch puts the sender behind NAT, a destination mismatch its peer.
 */
#include <string.h>

#include "dissect/names.h"
#include "src/crypto/prim.h"
#include "src/track/track_int.h"

static size_t
addr_bytes(const struct addr *a, uint8_t *b)
{
	size_t n = a->af == 4 ? 4 : 16;
	memcpy(b, a->a, n);
	return n;
}

/* Does hash h match HASH(spi_i | spi_r | ip | port) for any plausible prf? */
static int
natd_match(const uint8_t *h, size_t hlen, const uint8_t *spii, const uint8_t *spir,
	   const struct addr *a, uint16_t port, const uint32_t *prfs, size_t nprfs)
{
	uint8_t ip[16], pt[2] = {(uint8_t)(port >> 8), (uint8_t)port};
	size_t iplen = addr_bytes(a, ip);
	struct ck_iov in[4] = {{spii, 8}, {spir, 8}, {ip, iplen}, {pt, 2}};
	bool tried = false;
	for (size_t i = 0; i < nprfs; i++) {
		uint8_t out[CK_MAX_PRF_OUT];
		size_t olen = 0;
		if (ck_hash(prfs[i], in, 4, out, sizeof out, &olen) != 0 || olen != hlen)
			continue;
		tried = true;
		if (memcmp(out, h, hlen) == 0)
			return 1;
	}
	return tried ? 0 : -1;
}

static void
mark(struct tk_sa *sa, uint8_t side, bool nat, const struct cap_frame *f)
{
	struct tk_side_info *si = &sa->side[side];
	if (nat) {
		if (si->nat != 1) {
			si->nat_ref.file = f->file;
			si->nat_ref.frame = f->num;
			si->nat_ref.t = tk_time_of(f);
		}
		si->nat = 1;
	} else if (si->nat < 0) {
		si->nat = 0;
	}
}

void
tk_natd_check(struct tk_sa *sa, uint8_t from, const struct cap_frame *f, const struct ike_msg *m)
{
	if (from > TK_R)
		return;
	if (m->v2) {
		static const uint32_t sha1[] = {CK_PRF_HMAC_SHA1};
		int src_ok = -2, dst_ok = -2; /* -2: no such payload */
		for (unsigned i = 0; i < m->chain.n; i++) {
			const struct ike_pld *p = &m->chain.p[i];
			if (p->type != IKE2_N || !p->known)
				continue;
			uint16_t t = p->u.n.type;
			if (t != 16388 && t != 16389)
				continue;
			sa->natd_seen[from] = true;
			bool src = t == 16388;
			int r =
			    natd_match(p->u.n.data, p->u.n.len, m->ispi, m->rspi,
				       src ? &f->src : &f->dst, src ? f->sport : f->dport, sha1, 1);
			if (src)
				src_ok = src_ok == 1 ? 1 : r; /* several sources: any may match */
			else
				dst_ok = r;
		}
		if (src_ok == 0 || src_ok == 1)
			mark(sa, from, src_ok == 0, f);
		if (dst_ok == 0 || dst_ok == 1)
			mark(sa, from ^ 1, dst_ok == 0, f);
		return;
	}

	/* IKEv1: the negotiated hash, else any that fits the length */
	uint32_t prfs[5];
	size_t nprfs = 0;
	uint32_t prf;
	if (sa->chosen.set && sa->chosen.hash >= 0 &&
	    nt_v1_hash_to_v2_prf((uint32_t)sa->chosen.hash, &prf))
		prfs[nprfs++] = prf;
	if (nprfs == 0) {
		static const uint32_t all[] = {CK_PRF_HMAC_SHA1, CK_PRF_HMAC_MD5,
					       CK_PRF_HMAC_SHA2_256, CK_PRF_HMAC_SHA2_384,
					       CK_PRF_HMAC_SHA2_512};
		memcpy(prfs, all, sizeof all);
		nprfs = 5;
	}
	unsigned k = 0;
	int src_ok = -2;
	for (unsigned i = 0; i < m->chain.n; i++) {
		const struct ike_pld *p = &m->chain.p[i];
		bool natd = p->type == IKE1_NATD || p->type == IKE1_NATD_DRAFT ||
			    (p->type == IKE1_SAK && m->pld15_is_natd);
		if (!natd || p->body_len == 0)
			continue;
		sa->natd_seen[from] = true;
		if (k == 0) {
			int r = natd_match(p->body, p->body_len, m->ispi, m->rspi, &f->dst,
					   f->dport, prfs, nprfs);
			if (r >= 0)
				mark(sa, from ^ 1, r == 0, f);
		} else {
			int r = natd_match(p->body, p->body_len, m->ispi, m->rspi, &f->src,
					   f->sport, prfs, nprfs);
			if (r == 1 || src_ok < 0)
				src_ok = r;
		}
		k++;
	}
	if (src_ok == 0 || src_ok == 1)
		mark(sa, from, src_ok == 0, f);
}
