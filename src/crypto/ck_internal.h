/*
 * ck_internal.h - what the files of src/crypto/ share and nobody else sees:
 * algorithm descriptors, the OpenSSL fetch helpers, the AES-XCBC state, the
 * layout of struct ck_ctx and the AEAD steps that ck_aead_* and ck_ctx_open
 * have in common.  Not part of the public door (prim.h and the kdf headers).
 */
#ifndef IKELENS_CRYPTO_INTERNAL_H
#define IKELENS_CRYPTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "src/crypto/prim.h"

/* The ways an ENCR transform is driven. */
enum ck_mode {
	CK_MODE_NONE = 0, /* unknown id */
	CK_MODE_NULL,	  /* ENCR_NULL (RFC 2410): copy */
	CK_MODE_CBC,	  /* DES, 3DES, AES-CBC */
	CK_MODE_CTR,	  /* AES-CTR, RFC 3686 */
	CK_MODE_GCM,	  /* AES-GCM, RFC 4106 / RFC 5282 */
	CK_MODE_CCM,	  /* AES-CCM, RFC 4309 / RFC 5282 */
	CK_MODE_CHACHA,	  /* ChaCha20-Poly1305, RFC 7634 */
	CK_MODE_GMAC,	  /* ENCR_NULL_AUTH_AES_GMAC, RFC 4543 */
};

struct ck_encr_desc {
	uint32_t id;
	enum ck_mode mode;
	uint8_t fixed_key; /* key bytes when the transform has no KEY_LENGTH, else 0 */
	uint8_t salt;	   /* key material bytes after the key (nonce salt) */
	uint8_t block;	   /* padding unit */
	uint8_t iv;	   /* explicit IV on the wire */
	uint8_t icv;	   /* AEAD tag, 0 if not AEAD */
};
const struct ck_encr_desc *ck_encr_desc(uint32_t encr);

/* Integrity transforms (RFC 2404, 2403, 3566, 4494, 4543, 4595, 4868). */
enum ck_mac_kind {
	CK_MAC_NONE = 0,
	CK_MAC_HMAC,
	CK_MAC_XCBC,
	CK_MAC_CMAC,
	CK_MAC_GMAC,
};
struct ck_integ_desc {
	uint32_t id;
	enum ck_mac_kind kind;
	const char *digest; /* HMAC digest name */
	uint8_t key;	    /* key bytes (GMAC: AES key + 4 salt) */
	uint8_t icv;	    /* truncated output */
};
const struct ck_integ_desc *ck_integ_desc(uint32_t integ);

/* Digest name of an HMAC prf (NULL for XCBC/CMAC or unknown). */
const char *ck_prf_digest(uint32_t prf);

/*
 * Fetch a cipher by name; DES-CBC lives in OpenSSL's legacy provider, which
 * is loaded on first need (once per process).  NULL if unavailable.
 */
EVP_CIPHER *ck_fetch_cipher(const char *name);
/* The OpenSSL cipher name for a mode and key length, NULL if none. */
const char *ck_cipher_name(const struct ck_encr_desc *d, size_t keylen);

/* Drop OpenSSL's queued errors (we report our own codes) and say so. */
int ck_ossl_fail(void);

/* Check a length fits OpenSSL's int lengths. */
static inline bool
ck_len_ok(size_t n)
{
	return n <= (size_t)0x7fffffff;
}

/* prf+ (RFC 7296 2.13) with the seed as a gather list (at most 30 pieces). */
int ck_prf_plus_iov(uint32_t prf, const uint8_t *key, size_t klen, const struct ck_iov *seed,
		    size_t nseed, uint8_t *out, size_t outlen);

/* ---- AES-XCBC-MAC (RFC 3566) over an AES-128-ECB context ---- */
struct ck_xcbc {
	EVP_CIPHER_CTX *ecb; /* keyed with K1 */
	uint8_t k2[16], k3[16];
	uint8_t e[16];	 /* chaining value */
	uint8_t buf[16]; /* last, not yet processed block */
	size_t buflen;
};
int ck_xcbc_init(struct ck_xcbc *x, const uint8_t key[16]);
void ck_xcbc_reset(struct ck_xcbc *x);
int ck_xcbc_update(struct ck_xcbc *x, const uint8_t *p, size_t n);
int ck_xcbc_final(struct ck_xcbc *x, uint8_t out[16]);
void ck_xcbc_free(struct ck_xcbc *x);

/* ---- a keyed MAC, reusable (HMAC/CMAC via EVP_MAC, XCBC above, GMAC via GCM) ---- */
struct ck_mac {
	const struct ck_integ_desc *d;
	EVP_MAC_CTX *mac;    /* HMAC, CMAC */
	struct ck_xcbc xcbc; /* XCBC */
	EVP_CIPHER_CTX *gcm; /* GMAC: keyed AES-GCM */
	uint8_t salt[4];     /* GMAC nonce salt */
};
int ck_mac_init(struct ck_mac *m, const struct ck_integ_desc *d, const uint8_t *key, size_t klen);
void ck_mac_free(struct ck_mac *m);
/* One MAC over a gather list; GMAC takes the 8-byte IV, others ignore it. */
int ck_mac_compute(struct ck_mac *m, const uint8_t *iv, size_t ivlen, const struct ck_iov *in,
		   size_t nin, uint8_t *out, size_t outlen);

/* ---- AEAD steps on an already keyed EVP_CIPHER_CTX ---- */
/*
 * Build and key a context for an AEAD mode (GCM, CCM, ChaCha20-Poly1305;
 * GMAC uses GCM).  `key` excludes the salt.  For CCM the tag length is fixed
 * at creation (RFC 4309: 8, 12 or 16) and the nonce is 11 bytes (L = 4).
 */
EVP_CIPHER_CTX *ck_aead_ctx_new(const struct ck_encr_desc *d, const uint8_t *key, size_t keylen,
				bool enc, int *err);
/*
 * Decrypt-and-verify (verify true) or decrypt only, with nonce = salt | iv.
 * AAD is a gather list (CCM needs it in one piece: nad must be 1).
 */
int ck_aead_ctx_open(EVP_CIPHER_CTX *c, const struct ck_encr_desc *d, const uint8_t *salt,
		     const uint8_t *iv, const struct ck_iov *aad, size_t nad, const uint8_t *ct,
		     size_t ctlen, const uint8_t *tag, size_t taglen, bool verify, uint8_t *out,
		     EVP_CIPHER_CTX *ccm_ctr);
int ck_aead_ctx_seal(EVP_CIPHER_CTX *c, const struct ck_encr_desc *d, const uint8_t *salt,
		     const uint8_t *iv, const struct ck_iov *aad, size_t nad, const uint8_t *pt,
		     size_t ptlen, uint8_t *ct, uint8_t *tag, size_t taglen);

/*
 * Generic AES-CCM (NIST SP 800-38C) with a nonce of 7..13 bytes, for the
 * RFC 3610 known answers; RFC 4309 is the 11-byte case.  Exposed to the
 * unit test only.
 */
int ck_ccm_open_generic(const uint8_t *key, size_t keylen, const uint8_t *nonce, size_t noncelen,
			const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen,
			const uint8_t *tag, size_t taglen, uint8_t *out);
int ck_ccm_seal_generic(const uint8_t *key, size_t keylen, const uint8_t *nonce, size_t noncelen,
			const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen,
			uint8_t *ct, uint8_t *tag, size_t taglen);

/* ---- struct ck_ctx (ctx.c) ---- */
struct ck_ctx {
	const struct ck_encr_desc *ed;
	const struct ck_integ_desc *id;
	EVP_CIPHER_CTX *cipher;	 /* CBC/CTR: keyed decrypt ctx; AEAD: keyed ctx */
	EVP_CIPHER_CTX *ccm_ctr; /* CCM without verification: AES-CTR on A_i */
	uint8_t salt[4];
	size_t keylen; /* cipher key without salt */
	struct ck_mac mac;
	bool have_mac;
};

#endif
