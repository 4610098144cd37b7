/*
 * prim.c - error strings, secret wiping, the algorithm tables (key, salt, IV,
 * block and ICV sizes by IKEv2 transform id) and the OpenSSL fetch helpers
 * the other files of src/crypto/ share.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/provider.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/prim.h"

const char *
ck_strerror(int err)
{
	switch (err) {
	case CK_OK:
		return "success";
	case CK_EUNSUPPORTED:
		return "algorithm or group not supported";
	case CK_EKEYLEN:
		return "key of the wrong length for the algorithm";
	case CK_EINPUT:
		return "bad input length";
	case CK_EAUTH:
		return "integrity check failed";
	case CK_EINTERNAL:
		return "crypto library failure";
	case CK_EBUFFER:
		return "output buffer too small";
	default:
		return "unknown crypto error";
	}
}

void
ck_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}

int
ck_verify(const void *a, const void *b, size_t n)
{
	if (n == 0)
		return CK_EINPUT;
	return CRYPTO_memcmp(a, b, n) == 0 ? CK_OK : CK_EAUTH;
}

/*
 * ENCR transforms.  Sizes: RFC 2405 (DES), RFC 2451 (3DES), RFC 3602
 * (AES-CBC), RFC 3686 + RFC 5930 (AES-CTR: 4-byte nonce after the key, 8-byte
 * IV, 4-byte alignment), RFC 4106 / RFC 5282 (GCM: 4-byte salt), RFC 4309 /
 * RFC 5282 (CCM: 3-byte salt), RFC 4543 (GMAC: 4-byte salt), RFC 7634
 * (ChaCha20-Poly1305: 32-byte key, 4-byte salt).  The padding unit of the
 * stream-like modes is the 4-byte ESP alignment (RFC 4303 2.4).
 */
static const struct ck_encr_desc encr_table[] = {
    {CK_ENCR_DES, CK_MODE_CBC, 8, 0, 8, 8, 0},
    {CK_ENCR_3DES, CK_MODE_CBC, 24, 0, 8, 8, 0},
    {CK_ENCR_NULL, CK_MODE_NULL, 0, 0, 4, 0, 0},
    {CK_ENCR_AES_CBC, CK_MODE_CBC, 0, 0, 16, 16, 0},
    {CK_ENCR_AES_CTR, CK_MODE_CTR, 0, 4, 4, 8, 0},
    {CK_ENCR_AES_CCM_8, CK_MODE_CCM, 0, 3, 4, 8, 8},
    {CK_ENCR_AES_CCM_12, CK_MODE_CCM, 0, 3, 4, 8, 12},
    {CK_ENCR_AES_CCM_16, CK_MODE_CCM, 0, 3, 4, 8, 16},
    {CK_ENCR_AES_GCM_8, CK_MODE_GCM, 0, 4, 4, 8, 8},
    {CK_ENCR_AES_GCM_12, CK_MODE_GCM, 0, 4, 4, 8, 12},
    {CK_ENCR_AES_GCM_16, CK_MODE_GCM, 0, 4, 4, 8, 16},
    {CK_ENCR_NULL_AUTH_AES_GMAC, CK_MODE_GMAC, 0, 4, 4, 8, 16},
    {CK_ENCR_CHACHA20_POLY1305, CK_MODE_CHACHA, 32, 4, 4, 8, 16},
};

const struct ck_encr_desc *
ck_encr_desc(uint32_t encr)
{
	for (size_t i = 0; i < sizeof(encr_table) / sizeof(encr_table[0]); i++)
		if (encr_table[i].id == encr)
			return &encr_table[i];
	return NULL;
}

/*
 * INTEG transforms: RFC 2403 (HMAC-MD5-96), RFC 2404 (HMAC-SHA1-96), RFC 3566
 * (AES-XCBC-96), RFC 4494 (AES-CMAC-96), RFC 4543 (AES-GMAC, key + 4-byte
 * salt), RFC 4595 (HMAC-SHA1-160), RFC 4868 (HMAC-SHA-256-128, -384-192,
 * -512-256; key = hash output length), HMAC-MD5-128 (RFC 4595 for FC).
 */
static const struct ck_integ_desc integ_table[] = {
    {CK_INTEG_HMAC_MD5_96, CK_MAC_HMAC, "MD5", 16, 12},
    {CK_INTEG_HMAC_SHA1_96, CK_MAC_HMAC, "SHA1", 20, 12},
    {CK_INTEG_AES_XCBC_96, CK_MAC_XCBC, NULL, 16, 12},
    {CK_INTEG_HMAC_MD5_128, CK_MAC_HMAC, "MD5", 16, 16},
    {CK_INTEG_HMAC_SHA1_160, CK_MAC_HMAC, "SHA1", 20, 20},
    {CK_INTEG_AES_CMAC_96, CK_MAC_CMAC, NULL, 16, 12},
    {CK_INTEG_AES_128_GMAC, CK_MAC_GMAC, NULL, 20, 16},
    {CK_INTEG_AES_192_GMAC, CK_MAC_GMAC, NULL, 28, 16},
    {CK_INTEG_AES_256_GMAC, CK_MAC_GMAC, NULL, 36, 16},
    {CK_INTEG_HMAC_SHA2_256_128, CK_MAC_HMAC, "SHA256", 32, 16},
    {CK_INTEG_HMAC_SHA2_384_192, CK_MAC_HMAC, "SHA384", 48, 24},
    {CK_INTEG_HMAC_SHA2_512_256, CK_MAC_HMAC, "SHA512", 64, 32},
};

const struct ck_integ_desc *
ck_integ_desc(uint32_t integ)
{
	for (size_t i = 0; i < sizeof(integ_table) / sizeof(integ_table[0]); i++)
		if (integ_table[i].id == integ)
			return &integ_table[i];
	return NULL;
}

const char *
ck_prf_digest(uint32_t prf)
{
	switch (prf) {
	case CK_PRF_HMAC_MD5:
		return "MD5";
	case CK_PRF_HMAC_SHA1:
		return "SHA1";
	case CK_PRF_HMAC_SHA2_256:
		return "SHA256";
	case CK_PRF_HMAC_SHA2_384:
		return "SHA384";
	case CK_PRF_HMAC_SHA2_512:
		return "SHA512";
	default:
		return NULL;
	}
}

size_t
ck_prf_len(uint32_t prf)
{
	switch (prf) {
	case CK_PRF_HMAC_MD5:
	case CK_PRF_AES128_XCBC:
	case CK_PRF_AES128_CMAC:
		return 16;
	case CK_PRF_HMAC_SHA1:
		return 20;
	case CK_PRF_HMAC_SHA2_256:
		return 32;
	case CK_PRF_HMAC_SHA2_384:
		return 48;
	case CK_PRF_HMAC_SHA2_512:
		return 64;
	default:
		return 0;
	}
}

size_t
ck_prf_key_len(uint32_t prf)
{
	/* RFC 7296 2.13/2.14: the preferred key size is the output size; AES-XCBC
	 * and AES-CMAC PRFs take 128-bit keys (RFC 4434, RFC 4615). */
	return ck_prf_len(prf);
}

size_t
ck_encr_key_len(uint32_t encr, unsigned key_bits)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	if (d == NULL)
		return 0;
	if (d->mode == CK_MODE_NULL)
		return 0;
	if (d->fixed_key != 0) {
		/* A fixed-size cipher accepts an absent KEY_LENGTH or its own size. */
		if (key_bits != 0 && key_bits != 8u * d->fixed_key)
			return 0;
		return d->fixed_key;
	}
	/* AES in every mode: RFC 7296 3.3.5 requires KEY_LENGTH. */
	if (key_bits == 128 || key_bits == 192 || key_bits == 256)
		return key_bits / 8;
	return 0;
}

size_t
ck_encr_salt_len(uint32_t encr)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	return d != NULL ? d->salt : 0;
}

size_t
ck_encr_block_len(uint32_t encr)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	return d != NULL ? d->block : 0;
}

size_t
ck_encr_iv_len(uint32_t encr)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	return d != NULL ? d->iv : 0;
}

size_t
ck_encr_icv_len(uint32_t encr)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	return d != NULL ? d->icv : 0;
}

bool
ck_encr_is_aead(uint32_t encr)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	return d != NULL && d->icv != 0;
}

size_t
ck_integ_icv_len(uint32_t integ)
{
	const struct ck_integ_desc *d = ck_integ_desc(integ);
	return d != NULL ? d->icv : 0;
}

size_t
ck_integ_key_len(uint32_t integ)
{
	const struct ck_integ_desc *d = ck_integ_desc(integ);
	return d != NULL ? d->key : 0;
}

/* ---- OpenSSL fetching ---- */

int
ck_ossl_fail(void)
{
	ERR_clear_error();
	return CK_EINTERNAL;
}

/*
 * Single DES sits in OpenSSL 3's legacy provider.  It is loaded into the
 * default library context the first time DES is asked for, keeping the
 * fallback to the default provider (so nothing else changes), and released
 * at exit (our handler runs before OpenSSL's own cleanup, which was
 * registered first).  This is the one piece of process-wide state in
 * src/crypto/: set once, never changed.
 */
static CRYPTO_ONCE legacy_once = CRYPTO_ONCE_STATIC_INIT;
static OSSL_PROVIDER *legacy;

static void
unload_legacy(void)
{
	if (legacy != NULL)
		(void)OSSL_PROVIDER_unload(legacy);
	legacy = NULL;
}

static void
load_legacy(void)
{
	legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	if (legacy == NULL)
		ERR_clear_error(); /* not installed: DES stays unsupported */
	else if (atexit(unload_legacy) != 0)
		legacy = NULL; /* keep it loaded for the life of the process */
}

EVP_CIPHER *
ck_fetch_cipher(const char *name)
{
	EVP_CIPHER *c;
	if (name == NULL)
		return NULL;
	if (strcmp(name, "DES-CBC") == 0 && !CRYPTO_THREAD_run_once(&legacy_once, load_legacy))
		return NULL;
	c = EVP_CIPHER_fetch(NULL, name, NULL);
	if (c == NULL)
		ERR_clear_error();
	return c;
}

const char *
ck_cipher_name(const struct ck_encr_desc *d, size_t keylen)
{
	static const char *const cbc[] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
	static const char *const ctr[] = {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
	static const char *const gcm[] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};
	static const char *const ccm[] = {"AES-128-CCM", "AES-192-CCM", "AES-256-CCM"};
	size_t k;

	if (d == NULL)
		return NULL;
	switch (d->id) {
	case CK_ENCR_DES:
		return keylen == 8 ? "DES-CBC" : NULL;
	case CK_ENCR_3DES:
		return keylen == 24 ? "DES-EDE3-CBC" : NULL;
	case CK_ENCR_CHACHA20_POLY1305:
		return keylen == 32 ? "ChaCha20-Poly1305" : NULL;
	default:
		break;
	}
	if (keylen == 16)
		k = 0;
	else if (keylen == 24)
		k = 1;
	else if (keylen == 32)
		k = 2;
	else
		return NULL;
	switch (d->mode) {
	case CK_MODE_CBC:
		return cbc[k];
	case CK_MODE_CTR:
		return ctr[k];
	case CK_MODE_GCM:
	case CK_MODE_GMAC:
		return gcm[k];
	case CK_MODE_CCM:
		return ccm[k];
	default:
		return NULL;
	}
}
