/*
 * ikev2_kdf.c - IKEv2 keys: SKEYSEED, the seven IKE SA keys, rekeying and
 * RFC 9370 additional key exchanges, child SA KEYMAT and the PSK AUTH
 * value.  All of it is prf and prf+ (prf.c) over the right concatenations.
 */
#include <string.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/ikev2_kdf.h"
#include "src/crypto/prim.h"

int
ck_v2_key_lens(uint32_t prf, uint32_t encr, unsigned key_bits, uint32_t integ,
	       struct ck_v2_lens *out)
{
	size_t d = ck_prf_key_len(prf), k;

	memset(out, 0, sizeof(*out));
	if (d == 0)
		return CK_EUNSUPPORTED;
	if (ck_encr_block_len(encr) == 0)
		return CK_EUNSUPPORTED; /* unknown ENCR id */
	k = ck_encr_key_len(encr, key_bits);
	if (k == 0 && encr != CK_ENCR_NULL)
		return CK_EKEYLEN;
	if (ck_encr_is_aead(encr)) {
		/* RFC 5282 8: no integrity transform with a combined mode */
		if (integ != CK_INTEG_NONE)
			return CK_EINPUT;
	} else if (integ != CK_INTEG_NONE && ck_integ_key_len(integ) == 0) {
		return CK_EUNSUPPORTED;
	}
	out->d = d;
	out->a = integ == CK_INTEG_NONE ? 0 : ck_integ_key_len(integ);
	out->e = k + ck_encr_salt_len(encr);
	return CK_OK;
}

void
ck_v2_keys_wipe(struct ck_v2_keys *k)
{
	ck_wipe(k, sizeof(*k));
}

void
ck_v2_child_keys_wipe(struct ck_v2_child_keys *k)
{
	ck_wipe(k, sizeof(*k));
}

int
ck_v2_skeyseed(uint32_t prf, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
	       const uint8_t *gir, size_t girlen, uint8_t *out, size_t outsz, size_t *outlen)
{
	uint8_t key[2 * 512];
	size_t kl;
	struct ck_iov v = {gir, girlen};
	int rc;

	if (ni == NULL || nr == NULL || gir == NULL)
		return CK_EINPUT;
	if (prf == CK_PRF_AES128_XCBC || prf == CK_PRF_AES128_CMAC) {
		/* 2.14: only the first 64 bits of Ni and of Nr */
		if (nilen > 8)
			nilen = 8;
		if (nrlen > 8)
			nrlen = 8;
	}
	if (nilen + nrlen > sizeof(key))
		return CK_EINPUT; /* nonces are at most 256 bytes (3.9) */
	memcpy(key, ni, nilen);
	memcpy(key + nilen, nr, nrlen);
	kl = nilen + nrlen;
	rc = ck_prf(prf, key, kl, &v, 1, out, outsz, outlen);
	ck_wipe(key, kl);
	return rc;
}

int
ck_v2_skeyseed_from_d(uint32_t prf, const uint8_t *sk_d, size_t dlen, const struct ck_iov *ke,
		      size_t nke, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		      uint8_t *out, size_t outsz, size_t *outlen)
{
	struct ck_iov v[2 + 16];
	size_t n = 0;

	if (nke == 0 || nke > 15 || ke == NULL)
		return CK_EINPUT; /* RFC 9370 allows 7 additional exchanges */
	/* SK(0) | Ni | Nr | SK(1) | ... | SK(n) */
	v[n++] = ke[0];
	v[n++] = (struct ck_iov){ni, nilen};
	v[n++] = (struct ck_iov){nr, nrlen};
	for (size_t i = 1; i < nke; i++)
		v[n++] = ke[i];
	return ck_prf(prf, sk_d, dlen, v, n, out, outsz, outlen);
}

/* The next n bytes of keying material. */
static void
take(uint8_t *dst, const uint8_t *km, size_t *off, size_t n)
{
	if (n > 0)
		memcpy(dst, km + *off, n);
	*off += n;
}

int
ck_v2_sa_keys(uint32_t prf, const uint8_t *skeyseed, size_t slen, const uint8_t *ni, size_t nilen,
	      const uint8_t *nr, size_t nrlen, const uint8_t spii[8], const uint8_t spir[8],
	      const struct ck_v2_lens *lens, struct ck_v2_keys *out)
{
	uint8_t km[2 * CK_V2_MAX_ENC + 5 * CK_V2_MAX_KEY];
	struct ck_iov v[4] = {{ni, nilen}, {nr, nrlen}, {spii, 8}, {spir, 8}};
	size_t total, off = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (lens->d == 0 || lens->d > CK_V2_MAX_KEY || lens->a > CK_V2_MAX_KEY ||
	    lens->e > CK_V2_MAX_ENC || spii == NULL || spir == NULL)
		return CK_EINPUT;
	total = 3 * lens->d + 2 * lens->a + 2 * lens->e;
	rc = ck_prf_plus_iov(prf, skeyseed, slen, v, 4, km, total);
	if (rc == CK_OK) {
		out->len = *lens;
		/* taken in order: SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr */
		take(out->d, km, &off, lens->d);
		take(out->ai, km, &off, lens->a);
		take(out->ar, km, &off, lens->a);
		take(out->ei, km, &off, lens->e);
		take(out->er, km, &off, lens->e);
		take(out->pi, km, &off, lens->d);
		take(out->pr, km, &off, lens->d);
	}
	ck_wipe(km, sizeof(km));
	return rc;
}

int
ck_v2_derive(uint32_t prf, uint32_t encr, unsigned key_bits, uint32_t integ, const uint8_t *ni,
	     size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen,
	     const uint8_t spii[8], const uint8_t spir[8], struct ck_v2_keys *out)
{
	struct ck_v2_lens lens;
	uint8_t seed[CK_MAX_PRF_OUT];
	size_t sl = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ck_v2_key_lens(prf, encr, key_bits, integ, &lens);
	if (rc == CK_OK)
		rc =
		    ck_v2_skeyseed(prf, ni, nilen, nr, nrlen, gir, girlen, seed, sizeof(seed), &sl);
	if (rc == CK_OK)
		rc = ck_v2_sa_keys(prf, seed, sl, ni, nilen, nr, nrlen, spii, spir, &lens, out);
	ck_wipe(seed, sizeof(seed));
	return rc;
}

int
ck_v2_keymat(uint32_t prf, const uint8_t *sk_d, size_t dlen, const struct ck_iov *ke, size_t nke,
	     const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen, uint8_t *out,
	     size_t outlen)
{
	struct ck_iov v[2 + 16];
	size_t n = 0;

	if (nke > 15 || (nke > 0 && ke == NULL))
		return CK_EINPUT;
	/* [SK(0) |] Ni | Nr [| SK(1) | ... ] */
	if (nke > 0)
		v[n++] = ke[0];
	v[n++] = (struct ck_iov){ni, nilen};
	v[n++] = (struct ck_iov){nr, nrlen};
	for (size_t i = 1; i < nke; i++)
		v[n++] = ke[i];
	return ck_prf_plus_iov(prf, sk_d, dlen, v, n, out, outlen);
}

int
ck_v2_child_keys(uint32_t prf, const uint8_t *sk_d, size_t dlen, const struct ck_iov *ke,
		 size_t nke, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		 uint32_t encr, unsigned key_bits, uint32_t integ, struct ck_v2_child_keys *out)
{
	uint8_t km[2 * (CK_V2_MAX_ENC + CK_V2_MAX_KEY)];
	struct ck_v2_lens lens;
	size_t off = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ck_v2_key_lens(prf, encr, key_bits, integ, &lens);
	if (rc != CK_OK)
		return rc;
	rc =
	    ck_v2_keymat(prf, sk_d, dlen, ke, nke, ni, nilen, nr, nrlen, km, 2 * (lens.e + lens.a));
	if (rc == CK_OK) {
		out->elen = lens.e;
		out->alen = lens.a;
		take(out->ei, km, &off, lens.e);
		take(out->ai, km, &off, lens.a);
		take(out->er, km, &off, lens.e);
		take(out->ar, km, &off, lens.a);
	}
	ck_wipe(km, sizeof(km));
	return rc;
}

int
ck_v2_psk_auth(uint32_t prf, const uint8_t *psk, size_t psklen, const uint8_t *real_msg,
	       size_t msglen, const uint8_t *nonce, size_t noncelen, const uint8_t *sk_p,
	       size_t splen, const uint8_t *id_body, size_t idlen, uint8_t *out, size_t outsz,
	       size_t *outlen)
{
	static const char pad[] = "Key Pad for IKEv2"; /* 17 octets, no NUL (2.15) */
	uint8_t kp[CK_MAX_PRF_OUT], macid[CK_MAX_PRF_OUT];
	size_t kl = 0, ml = 0;
	struct ck_iov v1 = {(const uint8_t *)pad, sizeof(pad) - 1};
	struct ck_iov v2 = {id_body, idlen};
	int rc;

	if (psk == NULL || real_msg == NULL || nonce == NULL || sk_p == NULL || id_body == NULL)
		return CK_EINPUT;
	rc = ck_prf(prf, psk, psklen, &v1, 1, kp, sizeof(kp), &kl);
	if (rc == CK_OK)
		rc = ck_prf(prf, sk_p, splen, &v2, 1, macid, sizeof(macid), &ml);
	if (rc == CK_OK) {
		struct ck_iov v3[3] = {{real_msg, msglen}, {nonce, noncelen}, {macid, ml}};
		rc = ck_prf(prf, kp, kl, v3, 3, out, outsz, outlen);
	}
	ck_wipe(kp, sizeof(kp));
	ck_wipe(macid, sizeof(macid));
	return rc;
}

int
ck_v2_psk_auth_verify(uint32_t prf, const uint8_t *psk, size_t psklen, const uint8_t *real_msg,
		      size_t msglen, const uint8_t *nonce, size_t noncelen, const uint8_t *sk_p,
		      size_t splen, const uint8_t *id_body, size_t idlen, const uint8_t *auth,
		      size_t authlen)
{
	uint8_t mine[CK_MAX_PRF_OUT];
	size_t n = 0;
	int rc = ck_v2_psk_auth(prf, psk, psklen, real_msg, msglen, nonce, noncelen, sk_p, splen,
				id_body, idlen, mine, sizeof(mine), &n);
	if (rc == CK_OK)
		rc = n == authlen ? ck_verify(mine, auth, n) : CK_EAUTH;
	ck_wipe(mine, sizeof(mine));
	return rc;
}
