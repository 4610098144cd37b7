/*
 * ikev2_kdf.h - IKEv2 key derivation (RFC 7296 2.13-2.18, RFC 9370 2.2) and
 * the shared-key AUTH value (RFC 7296 2.15).  Everything takes transform ids
 * (prim.h) and byte strings, never an ikelens structure.  Return values as in
 * prim.h: 0 or a negative CK_E*.  Secrets handed back live in caller-owned
 * structs; wipe them with ck_v2_keys_wipe / ck_wipe when done.
 */
#ifndef IKELENS_CRYPTO_IKEV2_KDF_H
#define IKELENS_CRYPTO_IKEV2_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "src/crypto/prim.h"

#define CK_V2_MAX_KEY 64 /* SK_d, SK_a*, SK_p*: up to a SHA-512 prf / integrity key */
#define CK_V2_MAX_ENC 36 /* SK_e*: AES-256 or ChaCha20 key + 4-byte salt */

/* Lengths of the IKE SA keys for the negotiated transforms. */
struct ck_v2_lens {
	size_t d; /* SK_d, and SK_pi/SK_pr: the prf's preferred key length (2.14) */
	size_t a; /* SK_ai/SK_ar: the integrity key length, 0 for AEAD */
	size_t e; /* SK_ei/SK_er: cipher key plus salt (RFC 5282 7, RFC 5930 3) */
};

/*
 * From the negotiated PRF, ENCR (with its KEY_LENGTH attribute in bits, 0
 * if absent) and INTEG (CK_INTEG_NONE with an AEAD cipher).
 */
int ck_v2_key_lens(uint32_t prf, uint32_t encr, unsigned key_bits, uint32_t integ,
		   struct ck_v2_lens *out);

/* The seven IKE SA keys, in prf+ order. */
struct ck_v2_keys {
	struct ck_v2_lens len;
	uint8_t d[CK_V2_MAX_KEY];
	uint8_t ai[CK_V2_MAX_KEY], ar[CK_V2_MAX_KEY];
	uint8_t ei[CK_V2_MAX_ENC], er[CK_V2_MAX_ENC];
	uint8_t pi[CK_V2_MAX_KEY], pr[CK_V2_MAX_KEY];
};
void ck_v2_keys_wipe(struct ck_v2_keys *k);

/*
 * SKEYSEED = prf(Ni | Nr, g^ir) (2.14).  With AES-XCBC-PRF-128 or
 * AES-CMAC-PRF-128 only the first 64 bits of each nonce make the key.
 * g^ir as ck_dh_shared returns it (MODP left-padded, ECP x only).
 */
int ck_v2_skeyseed(uint32_t prf, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		   const uint8_t *gir, size_t girlen, uint8_t *out, size_t outsz, size_t *outlen);

/*
 * SKEYSEED from the SK_d of an existing SA:
 *  - IKE SA rekey (2.18):           prf(SK_d(old), g^ir(new) | Ni | Nr)
 *  - with additional key exchanges (RFC 9370 2.2.4):
 *                                   prf(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n))
 *  - after each IKE_INTERMEDIATE key exchange n (RFC 9370 2.2.2):
 *                                   prf(SK_d(n-1), SK(n) | Ni | Nr)
 * `ke` lists the shared secrets in that order (nke >= 1); the nonces are
 * those of the exchange (the new ones for a rekey, the IKE_SA_INIT ones for
 * IKE_INTERMEDIATE).
 */
int ck_v2_skeyseed_from_d(uint32_t prf, const uint8_t *sk_d, size_t dlen, const struct ck_iov *ke,
			  size_t nke, const uint8_t *ni, size_t nilen, const uint8_t *nr,
			  size_t nrlen, uint8_t *out, size_t outsz, size_t *outlen);

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)            (2.14)
 * SPIs are the 8-byte IKE SPIs of the SA being keyed (for a rekey, the new
 * SA's, RFC 7296 2.18).
 */
int ck_v2_sa_keys(uint32_t prf, const uint8_t *skeyseed, size_t slen, const uint8_t *ni,
		  size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t spii[8],
		  const uint8_t spir[8], const struct ck_v2_lens *lens, struct ck_v2_keys *out);

/* Both steps from g^ir, the usual case; SKEYSEED is wiped. */
int ck_v2_derive(uint32_t prf, uint32_t encr, unsigned key_bits, uint32_t integ, const uint8_t *ni,
		 size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen,
		 const uint8_t spii[8], const uint8_t spir[8], struct ck_v2_keys *out);

/*
 * Child SA KEYMAT = prf+(SK_d, [g^ir(new) |] Ni | Nr)  (2.17), or with
 * several key exchanges prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ...)
 * (RFC 9370 2.2.4).  nke = 0 without PFS.  Ni and Nr are the nonces of the
 * exchange that made the child (the IKE_SA_INIT nonces for the first child,
 * created in IKE_AUTH).  Raw output, for whoever splits it differently.
 */
int ck_v2_keymat(uint32_t prf, const uint8_t *sk_d, size_t dlen, const struct ck_iov *ke,
		 size_t nke, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		 uint8_t *out, size_t outlen);

/*
 * The keys of one child SA, split as 2.17 says: first everything for the
 * initiator-to-responder direction, encryption key (with salt) then
 * integrity key, then the same for responder-to-initiator.  "Initiator" is
 * the initiator of the exchange that created the child.
 */
struct ck_v2_child_keys {
	size_t elen, alen;
	uint8_t ei[CK_V2_MAX_ENC], ai[CK_V2_MAX_KEY]; /* initiator -> responder */
	uint8_t er[CK_V2_MAX_ENC], ar[CK_V2_MAX_KEY]; /* responder -> initiator */
};
int ck_v2_child_keys(uint32_t prf, const uint8_t *sk_d, size_t dlen, const struct ck_iov *ke,
		     size_t nke, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		     uint32_t encr, unsigned key_bits, uint32_t integ,
		     struct ck_v2_child_keys *out);
void ck_v2_child_keys_wipe(struct ck_v2_child_keys *k);

/*
 * Shared-key AUTH (2.15):
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"),
 *              <InitiatorSignedOctets> or <ResponderSignedOctets>)
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI,
 *   MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
 * and the mirror image for the responder (RealMessage2, NonceIData, SK_pr).
 * real_msg is the whole IKE_SA_INIT message the signer sent (after any
 * COOKIE or INVALID_KE retry); nonce is the peer's nonce data; sk_p the
 * signer's SK_p; id_body the signer's ID payload from the ID type on (no
 * generic header).
 */
int ck_v2_psk_auth(uint32_t prf, const uint8_t *psk, size_t psklen, const uint8_t *real_msg,
		   size_t msglen, const uint8_t *nonce, size_t noncelen, const uint8_t *sk_p,
		   size_t splen, const uint8_t *id_body, size_t idlen, uint8_t *out, size_t outsz,
		   size_t *outlen);
/* CK_OK if `auth` (the AUTH payload data after its 4-byte header) matches,
 * CK_EAUTH if not: with the right SK_p this proves a PSK mismatch. */
int ck_v2_psk_auth_verify(uint32_t prf, const uint8_t *psk, size_t psklen, const uint8_t *real_msg,
			  size_t msglen, const uint8_t *nonce, size_t noncelen, const uint8_t *sk_p,
			  size_t splen, const uint8_t *id_body, size_t idlen, const uint8_t *auth,
			  size_t authlen);

#endif
