/*
 * ikev1_kdf.c - IKEv1 SKEYID and its derivatives, Ka, IVs, HASH_I/HASH_R,
 * quick-mode and informational hashes and IPsec KEYMAT (RFC 2409 5, 5.5,
 * 5.7 and Appendix B), as concatenations fed to the prf of prf.c.
 */
#include <string.h>

#include "src/crypto/ikev1_kdf.h"
#include "src/crypto/prim.h"

enum ck_v1_auth_class
ck_v1_auth_class(uint32_t m)
{
	switch (m) {
	case 1:	    /* pre-shared key */
	case 65001: /* XAUTHInitPreShared */
	case 65002: /* XAUTHRespPreShared */
		return CK_V1_AUTH_PSK;
	case 2:	    /* DSS signatures */
	case 3:	    /* RSA signatures */
	case 9:	    /* ECDSA with SHA-256 on P-256 (RFC 4754) */
	case 10:    /* ECDSA with SHA-384 on P-384 */
	case 11:    /* ECDSA with SHA-512 on P-521 */
	case 65003: /* XAUTHInitDSS */
	case 65004: /* XAUTHRespDSS */
	case 65005: /* XAUTHInitRSA */
	case 65006: /* XAUTHRespRSA */
	case 64221: /* HybridInitRSA */
	case 64222: /* HybridRespRSA */
	case 64223: /* HybridInitDSS */
	case 64224: /* HybridRespDSS */
		return CK_V1_AUTH_SIG;
	case 4:	    /* encryption with RSA */
	case 5:	    /* revised encryption with RSA */
	case 65007: /* XAUTHInitRSAEncryption */
	case 65008: /* XAUTHRespRSAEncryption */
	case 65009: /* XAUTHInitRSARevisedEncryption */
	case 65010: /* XAUTHRespRSARevisedEncryption */
		return CK_V1_AUTH_PKE;
	default:
		return CK_V1_AUTH_UNKNOWN;
	}
}

void
ck_v1_keys_wipe(struct ck_v1_keys *k)
{
	ck_wipe(k, sizeof(*k));
}

int
ck_v1_skeyid_sig(uint32_t prf, const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen,
		 const uint8_t *gxy, size_t gxylen, uint8_t *out, size_t outsz, size_t *outlen)
{
	uint8_t key[512];
	struct ck_iov v = {gxy, gxylen};
	int rc;

	/* SKEYID = prf(Ni_b | Nr_b, g^xy): the nonces are the key */
	if (nilen + nrlen > sizeof(key) || ni_b == NULL || nr_b == NULL || gxy == NULL)
		return CK_EINPUT;
	memcpy(key, ni_b, nilen);
	memcpy(key + nilen, nr_b, nrlen);
	rc = ck_prf(prf, key, nilen + nrlen, &v, 1, out, outsz, outlen);
	ck_wipe(key, nilen + nrlen);
	return rc;
}

int
ck_v1_skeyid_pke(uint32_t prf, const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen,
		 const uint8_t cky_i[8], const uint8_t cky_r[8], uint8_t *out, size_t outsz,
		 size_t *outlen)
{
	uint8_t h[CK_MAX_PRF_OUT];
	size_t hl = 0;
	struct ck_iov n[2] = {{ni_b, nilen}, {nr_b, nrlen}};
	struct ck_iov c[2] = {{cky_i, 8}, {cky_r, 8}};
	int rc;

	/* SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) */
	rc = ck_hash(prf, n, 2, h, sizeof(h), &hl);
	if (rc == CK_OK)
		rc = ck_prf(prf, h, hl, c, 2, out, outsz, outlen);
	ck_wipe(h, sizeof(h));
	return rc;
}

int
ck_v1_skeyid_psk(uint32_t prf, const uint8_t *psk, size_t psklen, const uint8_t *ni_b, size_t nilen,
		 const uint8_t *nr_b, size_t nrlen, uint8_t *out, size_t outsz, size_t *outlen)
{
	/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
	struct ck_iov n[2] = {{ni_b, nilen}, {nr_b, nrlen}};
	if (psk == NULL && psklen > 0)
		return CK_EINPUT;
	return ck_prf(prf, psk, psklen, n, 2, out, outsz, outlen);
}

int
ck_v1_skeyid_dae(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gxy,
		 size_t gxylen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		 struct ck_v1_keys *out)
{
	size_t n = ck_prf_len(prf), l = 0;
	uint8_t num;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return CK_EUNSUPPORTED;
	if (slen != n || gxy == NULL)
		return CK_EINPUT;
	memcpy(out->skeyid, skeyid, n);
	out->len = n;
	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) */
	num = 0;
	{
		struct ck_iov v[4] = {{gxy, gxylen}, {cky_i, 8}, {cky_r, 8}, {&num, 1}};
		rc = ck_prf(prf, skeyid, slen, v, 4, out->skeyid_d, sizeof(out->skeyid_d), &l);
	}
	/* SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1) */
	if (rc == CK_OK) {
		struct ck_iov v[5] = {
		    {out->skeyid_d, n}, {gxy, gxylen}, {cky_i, 8}, {cky_r, 8}, {&num, 1}};
		num = 1;
		rc = ck_prf(prf, skeyid, slen, v, 5, out->skeyid_a, sizeof(out->skeyid_a), &l);
	}
	/* SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) */
	if (rc == CK_OK) {
		struct ck_iov v[5] = {
		    {out->skeyid_a, n}, {gxy, gxylen}, {cky_i, 8}, {cky_r, 8}, {&num, 1}};
		num = 2;
		rc = ck_prf(prf, skeyid, slen, v, 5, out->skeyid_e, sizeof(out->skeyid_e), &l);
	}
	if (rc != CK_OK)
		ck_v1_keys_wipe(out);
	return rc;
}

int
ck_v1_derive(uint32_t prf, uint32_t auth_method, const uint8_t *psk, size_t psklen,
	     const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen,
	     const uint8_t *gxy, size_t gxylen, const uint8_t cky_i[8], const uint8_t cky_r[8],
	     struct ck_v1_keys *out)
{
	uint8_t skeyid[CK_MAX_PRF_OUT];
	size_t sl = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	switch (ck_v1_auth_class(auth_method)) {
	case CK_V1_AUTH_SIG:
		rc = ck_v1_skeyid_sig(prf, ni_b, nilen, nr_b, nrlen, gxy, gxylen, skeyid,
				      sizeof(skeyid), &sl);
		break;
	case CK_V1_AUTH_PKE:
		rc = ck_v1_skeyid_pke(prf, ni_b, nilen, nr_b, nrlen, cky_i, cky_r, skeyid,
				      sizeof(skeyid), &sl);
		break;
	case CK_V1_AUTH_PSK:
		rc = ck_v1_skeyid_psk(prf, psk, psklen, ni_b, nilen, nr_b, nrlen, skeyid,
				      sizeof(skeyid), &sl);
		break;
	default:
		return CK_EUNSUPPORTED;
	}
	if (rc == CK_OK)
		rc = ck_v1_skeyid_dae(prf, skeyid, sl, gxy, gxylen, cky_i, cky_r, out);
	ck_wipe(skeyid, sizeof(skeyid));
	return rc;
}

int
ck_v1_enc_key(uint32_t prf, const uint8_t *skeyid_e, size_t elen, size_t keylen, uint8_t *ka,
	      size_t kasz)
{
	uint8_t k[CK_MAX_PRF_OUT];
	size_t n = ck_prf_len(prf), done = 0, kl = 0;
	static const uint8_t zero = 0;
	int rc = CK_OK;

	if (n == 0)
		return CK_EUNSUPPORTED;
	if (kasz < keylen)
		return CK_EBUFFER;
	if (keylen == 0)
		return CK_EINPUT;
	if (elen >= keylen) {
		/* Appendix B: long enough, use the first bits */
		memcpy(ka, skeyid_e, keylen);
		return CK_OK;
	}
	/* K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1), ...; Ka = K1 | K2 | ... */
	while (rc == CK_OK && done < keylen) {
		struct ck_iov v = done == 0 ? (struct ck_iov){&zero, 1} : (struct ck_iov){k, kl};
		rc = ck_prf(prf, skeyid_e, elen, &v, 1, k, sizeof(k), &kl);
		if (rc != CK_OK)
			break;
		size_t take = keylen - done < kl ? keylen - done : kl;
		memcpy(ka + done, k, take);
		done += take;
	}
	ck_wipe(k, sizeof(k));
	if (rc != CK_OK)
		ck_wipe(ka, keylen);
	return rc;
}

static int
iv_from_hash(uint32_t prf, const struct ck_iov *v, size_t nv, size_t blocklen, uint8_t *iv,
	     size_t ivsz)
{
	uint8_t h[CK_MAX_PRF_OUT];
	size_t hl = 0;
	int rc;

	if (blocklen == 0 || ivsz < blocklen)
		return blocklen == 0 ? CK_EINPUT : CK_EBUFFER;
	rc = ck_hash(prf, v, nv, h, sizeof(h), &hl);
	if (rc == CK_OK && hl < blocklen)
		rc = CK_EINPUT; /* e.g. MD5 for a 32-byte block cipher */
	if (rc == CK_OK)
		memcpy(iv, h, blocklen);
	ck_wipe(h, sizeof(h));
	return rc;
}

int
ck_v1_iv_phase1(uint32_t prf, const uint8_t *gxi, size_t gxilen, const uint8_t *gxr, size_t gxrlen,
		size_t blocklen, uint8_t *iv, size_t ivsz)
{
	/* Appendix B: IV = hash(g^xi | g^xr) */
	struct ck_iov v[2] = {{gxi, gxilen}, {gxr, gxrlen}};
	return iv_from_hash(prf, v, 2, blocklen, iv, ivsz);
}

int
ck_v1_iv_phase2(uint32_t prf, const uint8_t *last_block, size_t lblen, const uint8_t mid[4],
		size_t blocklen, uint8_t *iv, size_t ivsz)
{
	/* Appendix B: IV = hash(last phase-1 CBC block | M-ID) */
	struct ck_iov v[2] = {{last_block, lblen}, {mid, 4}};
	return iv_from_hash(prf, v, 2, blocklen, iv, ivsz);
}

static int
hash_ir(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gx_first, size_t l1,
	const uint8_t *gx_second, size_t l2, const uint8_t *cky_first, const uint8_t *cky_second,
	const uint8_t *sai_b, size_t salen, const uint8_t *id_b, size_t idlen, uint8_t *out,
	size_t outsz, size_t *outlen)
{
	struct ck_iov v[6] = {{gx_first, l1},  {gx_second, l2}, {cky_first, 8},
			      {cky_second, 8}, {sai_b, salen},	{id_b, idlen}};
	return ck_prf(prf, skeyid, slen, v, 6, out, outsz, outlen);
}

int
ck_v1_hash_i(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gxi, size_t gxilen,
	     const uint8_t *gxr, size_t gxrlen, const uint8_t cky_i[8], const uint8_t cky_r[8],
	     const uint8_t *sai_b, size_t salen, const uint8_t *idii_b, size_t idlen, uint8_t *out,
	     size_t outsz, size_t *outlen)
{
	return hash_ir(prf, skeyid, slen, gxi, gxilen, gxr, gxrlen, cky_i, cky_r, sai_b, salen,
		       idii_b, idlen, out, outsz, outlen);
}

int
ck_v1_hash_r(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gxi, size_t gxilen,
	     const uint8_t *gxr, size_t gxrlen, const uint8_t cky_i[8], const uint8_t cky_r[8],
	     const uint8_t *sai_b, size_t salen, const uint8_t *idir_b, size_t idlen, uint8_t *out,
	     size_t outsz, size_t *outlen)
{
	return hash_ir(prf, skeyid, slen, gxr, gxrlen, gxi, gxilen, cky_r, cky_i, sai_b, salen,
		       idir_b, idlen, out, outsz, outlen);
}

int
ck_v1_qm_hash1(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
	       const uint8_t *rest, size_t restlen, uint8_t *out, size_t outsz, size_t *outlen)
{
	struct ck_iov v[2] = {{mid, 4}, {rest, restlen}};
	return ck_prf(prf, skeyid_a, alen, v, 2, out, outsz, outlen);
}

int
ck_v1_qm_hash2(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
	       const uint8_t *ni_b, size_t nilen, const uint8_t *rest, size_t restlen, uint8_t *out,
	       size_t outsz, size_t *outlen)
{
	struct ck_iov v[3] = {{mid, 4}, {ni_b, nilen}, {rest, restlen}};
	return ck_prf(prf, skeyid_a, alen, v, 3, out, outsz, outlen);
}

int
ck_v1_qm_hash3(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
	       const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen, uint8_t *out,
	       size_t outsz, size_t *outlen)
{
	static const uint8_t zero = 0;
	struct ck_iov v[4] = {{&zero, 1}, {mid, 4}, {ni_b, nilen}, {nr_b, nrlen}};
	return ck_prf(prf, skeyid_a, alen, v, 4, out, outsz, outlen);
}

int
ck_v1_info_hash(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
		const uint8_t *rest, size_t restlen, uint8_t *out, size_t outsz, size_t *outlen)
{
	/* 5.7: the same shape as HASH(1) */
	return ck_v1_qm_hash1(prf, skeyid_a, alen, mid, rest, restlen, out, outsz, outlen);
}

int
ck_v1_keymat(uint32_t prf, const uint8_t *skeyid_d, size_t dlen, const uint8_t *gqm, size_t gqmlen,
	     uint8_t protocol, const uint8_t *spi, size_t spilen, const uint8_t *ni_b, size_t nilen,
	     const uint8_t *nr_b, size_t nrlen, uint8_t *out, size_t outlen)
{
	uint8_t k[CK_MAX_PRF_OUT];
	size_t kl = 0, done = 0;
	int rc = CK_OK;

	if (ck_prf_len(prf) == 0)
		return CK_EUNSUPPORTED;
	if (spi == NULL || spilen == 0 || ni_b == NULL || nr_b == NULL || (gqmlen > 0 && !gqm))
		return CK_EINPUT;
	while (rc == CK_OK && done < outlen) {
		/* K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
		 * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b) */
		struct ck_iov v[6] = {{k, done == 0 ? 0 : kl}, {gqm, gqmlen}, {&protocol, 1},
				      {spi, spilen},	       {ni_b, nilen}, {nr_b, nrlen}};
		rc = ck_prf(prf, skeyid_d, dlen, v, 6, k, sizeof(k), &kl);
		if (rc != CK_OK)
			break;
		size_t take = outlen - done < kl ? outlen - done : kl;
		memcpy(out + done, k, take);
		done += take;
	}
	ck_wipe(k, sizeof(k));
	if (rc != CK_OK)
		ck_wipe(out, outlen);
	return rc;
}

int
ck_v1_sa_keys(uint32_t prf, const uint8_t *skeyid_d, size_t dlen, const uint8_t *gqm, size_t gqmlen,
	      uint8_t protocol, const uint8_t *spi, size_t spilen, const uint8_t *ni_b,
	      size_t nilen, const uint8_t *nr_b, size_t nrlen, uint32_t encr, unsigned key_bits,
	      uint32_t integ, struct ck_v1_sa_keys *out)
{
	uint8_t km[36 + 64];
	size_t e, a;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ck_encr_block_len(encr) == 0)
		return CK_EUNSUPPORTED;
	e = ck_encr_key_len(encr, key_bits);
	if (e == 0 && encr != CK_ENCR_NULL)
		return CK_EKEYLEN;
	e += ck_encr_salt_len(encr);
	a = integ == CK_INTEG_NONE ? 0 : ck_integ_key_len(integ);
	if (integ != CK_INTEG_NONE && a == 0)
		return CK_EUNSUPPORTED;
	if (e > sizeof(out->e) || a > sizeof(out->a))
		return CK_EINPUT;
	rc = ck_v1_keymat(prf, skeyid_d, dlen, gqm, gqmlen, protocol, spi, spilen, ni_b, nilen,
			  nr_b, nrlen, km, e + a);
	if (rc == CK_OK) {
		out->elen = e;
		out->alen = a;
		memcpy(out->e, km, e);
		memcpy(out->a, km + e, a);
	}
	ck_wipe(km, sizeof(km));
	return rc;
}
