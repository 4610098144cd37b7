/*
 * ikev1_kdf.h - IKEv1 keys, IVs and hashes (RFC 2409 section 5 and Appendix
 * B).  The prf is HMAC with the negotiated hash, named by its IKEv2 PRF id
 * (CK_PRF_HMAC_MD5, CK_PRF_HMAC_SHA1, CK_PRF_HMAC_SHA2_*; map the phase-1
 * hash attribute with nt_v1_hash_to_v2_prf).  "_b" values are payload bodies
 * without their generic header, as RFC 2409 defines them.  Returns as in
 * prim.h: 0 or a negative CK_E*.
 */
#ifndef IKELENS_CRYPTO_IKEV1_KDF_H
#define IKELENS_CRYPTO_IKEV1_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "src/crypto/prim.h"

/* Which SKEYID formula an authentication method uses (RFC 2409 5). */
enum ck_v1_auth_class {
	CK_V1_AUTH_UNKNOWN = 0,
	CK_V1_AUTH_SIG, /* SKEYID = prf(Ni_b | Nr_b, g^xy) */
	CK_V1_AUTH_PKE, /* SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) */
	CK_V1_AUTH_PSK, /* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
};

/*
 * The class of a phase-1 Authentication Method attribute value: RFC 2409
 * Appendix A (1 PSK, 2 DSS, 3 RSA signatures, 4 RSA encryption, 5 revised
 * RSA encryption), RFC 4754 (9-11 ECDSA), the XAUTH draft values
 * 65001-65010 (draft-beaulieu-ike-xauth: the PSK, signature or encryption
 * formula of the method they extend) and the hybrid values 64221-64224
 * (draft-ietf-ipsec-isakmp-hybrid-auth: no PSK, the gateway signs, so the
 * signature formula, as racoon and strongSwan compute it).
 */
enum ck_v1_auth_class ck_v1_auth_class(uint32_t auth_method);

int ck_v1_skeyid_sig(uint32_t prf, const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b,
		     size_t nrlen, const uint8_t *gxy, size_t gxylen, uint8_t *out, size_t outsz,
		     size_t *outlen);
int ck_v1_skeyid_pke(uint32_t prf, const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b,
		     size_t nrlen, const uint8_t cky_i[8], const uint8_t cky_r[8], uint8_t *out,
		     size_t outsz, size_t *outlen);
int ck_v1_skeyid_psk(uint32_t prf, const uint8_t *psk, size_t psklen, const uint8_t *ni_b,
		     size_t nilen, const uint8_t *nr_b, size_t nrlen, uint8_t *out, size_t outsz,
		     size_t *outlen);

/* SKEYID and what RFC 2409 5 derives from it; len is the prf output length. */
struct ck_v1_keys {
	size_t len;
	uint8_t skeyid[CK_MAX_PRF_OUT];
	uint8_t skeyid_d[CK_MAX_PRF_OUT]; /* prf(SKEYID, g^xy | CKY-I | CKY-R | 0) */
	uint8_t skeyid_a[CK_MAX_PRF_OUT]; /* prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1) */
	uint8_t skeyid_e[CK_MAX_PRF_OUT]; /* prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) */
};
void ck_v1_keys_wipe(struct ck_v1_keys *k);

/* SKEYID_d, _a, _e from a known SKEYID (copied into out->skeyid). */
int ck_v1_skeyid_dae(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gxy,
		     size_t gxylen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		     struct ck_v1_keys *out);

/*
 * All of it for a phase-1 SA: SKEYID by the formula of auth_method (psk is
 * only read for the PSK class and may be NULL otherwise), then _d, _a, _e.
 * CK_EUNSUPPORTED for an unknown method.
 */
int ck_v1_derive(uint32_t prf, uint32_t auth_method, const uint8_t *psk, size_t psklen,
		 const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen,
		 const uint8_t *gxy, size_t gxylen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		 struct ck_v1_keys *out);

/*
 * The phase-1 encryption key Ka (Appendix B): the first keylen bytes of
 * SKEYID_e if it is long enough, else of K1 | K2 | ... with
 * K1 = prf(SKEYID_e, 0) (one zero octet) and Kn = prf(SKEYID_e, Kn-1).
 */
int ck_v1_enc_key(uint32_t prf, const uint8_t *skeyid_e, size_t elen, size_t keylen, uint8_t *ka,
		  size_t kasz);

/*
 * IVs (Appendix B), truncated to the cipher's block size (ck_encr_block_len):
 *  - phase 1: hash(g^xi | g^xr), the KE data of the initiator then the
 *    responder as on the wire;
 *  - each later exchange (quick mode, informational): hash(last CBC block of
 *    phase 1 | M-ID), the block being the last ciphertext block of MM6/AM3.
 */
int ck_v1_iv_phase1(uint32_t prf, const uint8_t *gxi, size_t gxilen, const uint8_t *gxr,
		    size_t gxrlen, size_t blocklen, uint8_t *iv, size_t ivsz);
int ck_v1_iv_phase2(uint32_t prf, const uint8_t *last_block, size_t lblen, const uint8_t mid[4],
		    size_t blocklen, uint8_t *iv, size_t ivsz);

/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * (RFC 2409 5: keyed with SKEYID, not SKEYID_a.)  Both take the values by
 * name in the same order and arrange them themselves; sai_b is the body of
 * the initiator's SA payload, id_b the body of the signer's ID payload.
 */
int ck_v1_hash_i(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gxi,
		 size_t gxilen, const uint8_t *gxr, size_t gxrlen, const uint8_t cky_i[8],
		 const uint8_t cky_r[8], const uint8_t *sai_b, size_t salen, const uint8_t *idii_b,
		 size_t idlen, uint8_t *out, size_t outsz, size_t *outlen);
int ck_v1_hash_r(uint32_t prf, const uint8_t *skeyid, size_t slen, const uint8_t *gxi,
		 size_t gxilen, const uint8_t *gxr, size_t gxrlen, const uint8_t cky_i[8],
		 const uint8_t cky_r[8], const uint8_t *sai_b, size_t salen, const uint8_t *idir_b,
		 size_t idlen, uint8_t *out, size_t outsz, size_t *outlen);

/*
 * Quick mode (RFC 2409 5.5) and informational (5.7) hashes, keyed with
 * SKEYID_a.  `rest` is the message after the HASH payload: every following
 * payload with its generic header, as sent (without padding).
 *   HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr])   = M-ID | rest
 *   HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [| KE] [| IDs])    = M-ID | Ni_b | rest
 *   HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
 *   informational HASH(1) = prf(SKEYID_a, M-ID | N/D)                = M-ID | rest
 */
int ck_v1_qm_hash1(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
		   const uint8_t *rest, size_t restlen, uint8_t *out, size_t outsz, size_t *outlen);
int ck_v1_qm_hash2(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
		   const uint8_t *ni_b, size_t nilen, const uint8_t *rest, size_t restlen,
		   uint8_t *out, size_t outsz, size_t *outlen);
int ck_v1_qm_hash3(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
		   const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen,
		   uint8_t *out, size_t outsz, size_t *outlen);
int ck_v1_info_hash(uint32_t prf, const uint8_t *skeyid_a, size_t alen, const uint8_t mid[4],
		    const uint8_t *rest, size_t restlen, uint8_t *out, size_t outsz,
		    size_t *outlen);

/*
 * IPsec SA keying material (RFC 2409 5.5), expanded as it describes:
 *   K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 *   Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 * gqm is NULL (gqmlen 0) without PFS; protocol is the proposal's protocol id
 * (2 AH, 3 ESP, 4 IPCOMP); spi is the SPI of this direction as chosen by
 * its receiver (4 bytes; 2 for an IPCOMP CPI); Ni_b, Nr_b are the quick
 * mode nonces.
 */
int ck_v1_keymat(uint32_t prf, const uint8_t *skeyid_d, size_t dlen, const uint8_t *gqm,
		 size_t gqmlen, uint8_t protocol, const uint8_t *spi, size_t spilen,
		 const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen, uint8_t *out,
		 size_t outlen);

/* The keys of one IPsec SA direction: encryption key (with salt) first,
 * then the integrity key (PROTOCOL-NOTES "IKEv1 ESP keys"). */
struct ck_v1_sa_keys {
	size_t elen, alen;
	uint8_t e[36];
	uint8_t a[64];
};
int ck_v1_sa_keys(uint32_t prf, const uint8_t *skeyid_d, size_t dlen, const uint8_t *gqm,
		  size_t gqmlen, uint8_t protocol, const uint8_t *spi, size_t spilen,
		  const uint8_t *ni_b, size_t nilen, const uint8_t *nr_b, size_t nrlen,
		  uint32_t encr, unsigned key_bits, uint32_t integ, struct ck_v1_sa_keys *out);

#endif
