/*
 * prim.h - the narrow door to OpenSSL: every cryptographic primitive ikelens
 * uses, over EVP.  Algorithms are named by their IKEv2 transform ids (IANA
 * "Transform Type 1/2/3/4" registries); IKEv1 values are mapped onto them by
 * nt_v1_*_to_v2() in dissect/names.h.
 *
 * Conventions: functions return 0 on success and a negative CK_E* value on
 * failure; output buffers are caller-owned; lengths are bytes unless the name
 * says bits.  Nothing here prints, logs or keeps a secret after returning.
 */
#ifndef IKELENS_CRYPTO_PRIM_H
#define IKELENS_CRYPTO_PRIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ck_err {
	CK_OK = 0,
	CK_EUNSUPPORTED = -1, /* algorithm or group not implemented */
	CK_EKEYLEN = -2,      /* key of the wrong length for the algorithm */
	CK_EINPUT = -3,	      /* bad lengths (not a block multiple, too short ...) */
	CK_EAUTH = -4,	      /* ICV / tag does not verify */
	CK_EINTERNAL = -5,    /* OpenSSL failed */
	CK_EBUFFER = -6,      /* output buffer too small */
};
const char *ck_strerror(int err);

/* IKEv2 ids used here (the full registries are in dissect/names.c). */
enum {
	CK_ENCR_DES = 2,
	CK_ENCR_3DES = 3,
	CK_ENCR_NULL = 11,
	CK_ENCR_AES_CBC = 12,
	CK_ENCR_AES_CTR = 13,
	CK_ENCR_AES_CCM_8 = 14,
	CK_ENCR_AES_CCM_12 = 15,
	CK_ENCR_AES_CCM_16 = 16,
	CK_ENCR_AES_GCM_8 = 18,
	CK_ENCR_AES_GCM_12 = 19,
	CK_ENCR_AES_GCM_16 = 20,
	CK_ENCR_NULL_AUTH_AES_GMAC = 21,
	CK_ENCR_CHACHA20_POLY1305 = 28,
};
enum {
	CK_PRF_HMAC_MD5 = 1,
	CK_PRF_HMAC_SHA1 = 2,
	CK_PRF_AES128_XCBC = 4,
	CK_PRF_HMAC_SHA2_256 = 5,
	CK_PRF_HMAC_SHA2_384 = 6,
	CK_PRF_HMAC_SHA2_512 = 7,
	CK_PRF_AES128_CMAC = 8,
};
enum {
	CK_INTEG_NONE = 0,
	CK_INTEG_HMAC_MD5_96 = 1,
	CK_INTEG_HMAC_SHA1_96 = 2,
	CK_INTEG_AES_XCBC_96 = 5,
	CK_INTEG_HMAC_MD5_128 = 6,
	CK_INTEG_HMAC_SHA1_160 = 7,
	CK_INTEG_AES_CMAC_96 = 8,
	CK_INTEG_AES_128_GMAC = 9,
	CK_INTEG_AES_192_GMAC = 10,
	CK_INTEG_AES_256_GMAC = 11,
	CK_INTEG_HMAC_SHA2_256_128 = 12,
	CK_INTEG_HMAC_SHA2_384_192 = 13,
	CK_INTEG_HMAC_SHA2_512_256 = 14,
};

#define CK_MAX_PRF_OUT 64     /* largest prf output (SHA-512) */
#define CK_MAX_DH_SECRET 1024 /* MODP 8192 = 1024 bytes */

/* A gather list: prf and hash inputs are usually concatenations. */
struct ck_iov {
	const uint8_t *p;
	size_t n;
};

/* ---- prf, prf+, hashes (RFC 2104, RFC 4434/4615 for AES-XCBC/CMAC-PRF) ---- */

/* Output length of a prf (16 for XCBC/CMAC), 0 if unknown. */
size_t ck_prf_len(uint32_t prf);
/* Preferred key length for a prf (the output length; XCBC/CMAC: 16). */
size_t ck_prf_key_len(uint32_t prf);
int ck_prf(uint32_t prf, const uint8_t *key, size_t klen, const struct ck_iov *in, size_t nin,
	   uint8_t *out, size_t outsz, size_t *outlen);
/* RFC 7296 2.13: T1 = prf(K, S|0x01), Tn = prf(K, Tn-1|S|n); fills outlen bytes. */
int ck_prf_plus(uint32_t prf, const uint8_t *key, size_t klen, const uint8_t *seed, size_t seedlen,
		uint8_t *out, size_t outlen);
/* Plain hash for a prf id's hash (MD5, SHA-1, SHA-2); IKEv1 IVs use it. */
int ck_hash(uint32_t prf, const struct ck_iov *in, size_t nin, uint8_t *out, size_t outsz,
	    size_t *outlen);

/* ---- ciphers ---- */

/*
 * Key length in bytes for an ENCR id and KEY_LENGTH bits (0 = the fixed
 * size), *excluding* salt; 0 when unknown.  ck_encr_salt_len() gives the salt
 * (GCM/CTR/ChaCha20-Poly1305: 4, CCM: 3) that follows the key in IKEv2 and
 * ESP keying material.
 */
size_t ck_encr_key_len(uint32_t encr, unsigned key_bits);
size_t ck_encr_salt_len(uint32_t encr);
size_t ck_encr_block_len(uint32_t encr); /* padding unit */
size_t ck_encr_iv_len(uint32_t encr);	 /* explicit IV on the wire */
size_t ck_encr_icv_len(uint32_t encr);	 /* AEAD tag, 0 if not AEAD */
bool ck_encr_is_aead(uint32_t encr);

/*
 * Raw CBC (DES, 3DES, AES) or CTR (AES; RFC 3686 counter block = salt |
 * iv | 00000001) decryption or encryption, no padding removal.  key is the
 * key followed by the salt where the mode has one.
 */
int ck_decrypt(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	       const uint8_t *in, size_t len, uint8_t *out);
int ck_encrypt(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	       const uint8_t *in, size_t len, uint8_t *out);

/*
 * AEAD (AES-GCM RFC 4106/5282, AES-CCM RFC 4309/5282, ChaCha20-Poly1305
 * RFC 7634, ENCR_NULL_AUTH_AES_GMAC RFC 4543): key = cipher key | salt; the
 * nonce is salt | explicit iv (8 bytes).  ck_aead_open verifies the tag and
 * returns CK_EAUTH on mismatch (out is then unspecified).
 */
int ck_aead_open(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
		 const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen,
		 const uint8_t *tag, size_t taglen, uint8_t *out);
int ck_aead_seal(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
		 const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen, uint8_t *ct,
		 uint8_t *tag, size_t taglen);

/* ---- integrity (IKEv2 SK ICV, ESP ICV) ---- */
/*
 * Key length is exact (HMAC: the hash output, RFC 2104/4868; XCBC/CMAC: 16;
 * GMAC: AES key + 4-byte salt).  icvlen may be at most the transform's ICV
 * length (a shorter value truncates further).  The AES-GMAC ids need an IV:
 * ck_integ_mac/verify return CK_EUNSUPPORTED for them; use ck_gmac or a
 * ck_ctx (whose `iv` argument is then the GMAC IV, RFC 4543 section 4).
 */
size_t ck_integ_icv_len(uint32_t integ);
size_t ck_integ_key_len(uint32_t integ);
int ck_integ_mac(uint32_t integ, const uint8_t *key, size_t klen, const struct ck_iov *in,
		 size_t nin, uint8_t *icv, size_t icvlen);
/* Constant-time compare of a computed ICV with the one on the wire. */
int ck_integ_verify(uint32_t integ, const uint8_t *key, size_t klen, const struct ck_iov *in,
		    size_t nin, const uint8_t *icv, size_t icvlen);
/* AES-GMAC (RFC 4543): key = AES key | 4-byte salt, nonce = salt | 8-byte iv. */
int ck_gmac(const uint8_t *key, size_t klen, const uint8_t *iv, size_t ivlen,
	    const struct ck_iov *in, size_t nin, uint8_t *tag, size_t taglen);
/* Constant-time equality of two byte strings: CK_OK or CK_EAUTH (CK_EINPUT if n is 0). */
int ck_verify(const void *a, const void *b, size_t n);

/*
 * A cached cipher/MAC context for one direction of one SA, so that ESP and
 * SK decryption do not set up OpenSSL state per packet.  ck_ctx_new keys
 * the OpenSSL contexts once (ekey is the cipher key followed by its salt,
 * as in the keying material; integ is CK_INTEG_NONE for AEAD); the caller
 * may wipe its copies afterwards.  ck_ctx_free wipes everything it held.
 * An integ id with akey NULL and aklen 0 makes a context that knows the
 * ICV length but cannot check it (open it with verify_icv false).
 * *err (may be NULL) says why NULL was returned.
 */
struct ck_ctx;
struct ck_ctx *ck_ctx_new(uint32_t encr, const uint8_t *ekey, size_t eklen, uint32_t integ,
			  const uint8_t *akey, size_t aklen, int *err);
void ck_ctx_free(struct ck_ctx *ctx);
/*
 * ESP (RFC 4303) / IKEv2 SK (RFC 7296 3.14) style open; iv, ct and icv as
 * on the wire, `aad` what precedes the IV:
 *  - separate integrity transform: the ICV covers aad | iv | ct (ESP: aad =
 *    SPI | seq, RFC 4303 3.4.4; SK: aad = IKE header .. end of the SK
 *    generic header, RFC 7296 3.14) and is checked first (encrypt-then-MAC);
 *  - AEAD: aad is the AAD of RFC 4106 5 / RFC 4309 5 / RFC 7634 2.1 (ESP:
 *    SPI | seq, or SPI | seq-hi | seq-lo with ESN) or RFC 5282 5.1 (SK: IKE
 *    header .. end of the SK generic header); for ENCR_NULL_AUTH_AES_GMAC
 *    the IV and payload are added to it (RFC 4543 3.3);
 *  - ENCR_NULL with AES-GMAC integrity (AH, RFC 4543 4): iv is the GMAC IV
 *    and the tag covers aad | ct.
 * Returns CK_EAUTH when verify_icv is set and the ICV is wrong (out is then
 * unspecified), CK_EKEYLEN when verification is asked of a context made
 * without an integrity key.  With verify_icv false the ciphertext is
 * decrypted unchecked, AEAD included.  out receives ctlen bytes, padding
 * and trailer included.
 */
int ck_ctx_open(struct ck_ctx *ctx, const uint8_t *aad, size_t aadlen, const uint8_t *iv,
		size_t ivlen, const uint8_t *ct, size_t ctlen, const uint8_t *icv, size_t icvlen,
		bool verify_icv, uint8_t *out);
/*
 * The same with bytes that the ICV covers after the ciphertext but that are
 * not on the wire: ESP with extended sequence numbers and a separate
 * integrity algorithm appends the high 32 bits of the sequence number (RFC
 * 4303 2.2.1).  Ignored for AEAD, whose AAD carries them (RFC 4106 5).
 * out may be ct itself (in-place decryption).
 */
int ck_ctx_open_tail(struct ck_ctx *ctx, const uint8_t *aad, size_t aadlen, const uint8_t *iv,
		     size_t ivlen, const uint8_t *ct, size_t ctlen, const uint8_t *tail,
		     size_t taillen, const uint8_t *icv, size_t icvlen, bool verify_icv,
		     uint8_t *out);
/* What a context was made for (lengths as in ck_encr_*, ck_integ_*). */
size_t ck_ctx_iv_len(const struct ck_ctx *ctx);
size_t ck_ctx_icv_len(const struct ck_ctx *ctx);
size_t ck_ctx_block_len(const struct ck_ctx *ctx);

/* ---- Diffie-Hellman (MODP RFC 2409/3526/5114, ECP RFC 5903/5114, brainpool RFC 6954, X25519/X448
 * RFC 8031) ---- */

/* Length of a group's KE payload data and of its shared secret; 0 if unknown. */
size_t ck_dh_pub_len(uint32_t group);
size_t ck_dh_secret_len(uint32_t group);
/*
 * Shared secret from our private value and the peer's KE data (as on the
 * wire: MODP left-padded big-endian; ECP x|y without 0x04; X25519/X448
 * little-endian u).  MODP secrets are left-padded to the modulus length;
 * ECP secrets are x only (RFC 5903 7).  `priv` is the raw private value as
 * a big-endian integer for MODP/ECP, the raw 32/56-byte scalar for X25519/X448.
 */
int ck_dh_shared(uint32_t group, const uint8_t *priv, size_t privlen, const uint8_t *peer_pub,
		 size_t publen, uint8_t *secret, size_t secsz, size_t *seclen);
/* Public value for a private value (to match a private key to a KE payload). */
int ck_dh_public(uint32_t group, const uint8_t *priv, size_t privlen, uint8_t *pub, size_t pubsz,
		 size_t *publen);

/* Wipe secrets (OPENSSL_cleanse). */
void ck_wipe(void *p, size_t n);

#endif
