/*
 * mac.c - integrity transforms: HMAC (RFC 2104) and AES-CMAC (RFC 4493) over
 * EVP_MAC, AES-XCBC-MAC (RFC 3566, which OpenSSL lacks) over AES-128-ECB, and
 * AES-GMAC (RFC 4543) over AES-GCM with no plaintext.  A struct ck_mac is
 * keyed once and reused; that is what struct ck_ctx holds per SA.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/prim.h"

/* ---- AES-XCBC-MAC-96 / AES-XCBC-PRF-128 core (RFC 3566 section 4) ---- */

static int
aes_block(EVP_CIPHER_CTX *ecb, const uint8_t in[16], uint8_t out[16])
{
	int outl = 0;
	if (EVP_EncryptUpdate(ecb, out, &outl, in, 16) != 1 || outl != 16)
		return ck_ossl_fail();
	return CK_OK;
}

int
ck_xcbc_init(struct ck_xcbc *x, const uint8_t key[16])
{
	uint8_t c[16], k1[16];
	EVP_CIPHER_CTX *k = NULL;
	int rc = CK_EINTERNAL;

	memset(x, 0, sizeof(*x));
	k = EVP_CIPHER_CTX_new();
	x->ecb = EVP_CIPHER_CTX_new();
	if (k == NULL || x->ecb == NULL)
		goto out;
	if (EVP_EncryptInit_ex2(k, EVP_aes_128_ecb(), key, NULL, NULL) != 1)
		goto out;
	EVP_CIPHER_CTX_set_padding(k, 0);
	/* K1 = E(K, 0x01..01), K2 = E(K, 0x02..02), K3 = E(K, 0x03..03). */
	memset(c, 0x01, sizeof(c));
	if (aes_block(k, c, k1) != CK_OK)
		goto wipe;
	memset(c, 0x02, sizeof(c));
	if (aes_block(k, c, x->k2) != CK_OK)
		goto wipe;
	memset(c, 0x03, sizeof(c));
	if (aes_block(k, c, x->k3) != CK_OK)
		goto wipe;
	if (EVP_EncryptInit_ex2(x->ecb, EVP_aes_128_ecb(), k1, NULL, NULL) != 1)
		goto wipe;
	EVP_CIPHER_CTX_set_padding(x->ecb, 0);
	rc = CK_OK;
wipe:
	ck_wipe(k1, sizeof(k1));
out:
	EVP_CIPHER_CTX_free(k);
	if (rc != CK_OK) {
		ck_xcbc_free(x);
		if (rc == CK_EINTERNAL)
			(void)ck_ossl_fail();
	}
	return rc;
}

void
ck_xcbc_reset(struct ck_xcbc *x)
{
	ck_wipe(x->e, sizeof(x->e));
	ck_wipe(x->buf, sizeof(x->buf));
	x->buflen = 0;
}

/* E[i] = E(K1, M[i] ^ E[i-1]) */
static int
xcbc_block(struct ck_xcbc *x, const uint8_t m[16])
{
	uint8_t t[16];
	int rc;
	for (size_t i = 0; i < 16; i++)
		t[i] = (uint8_t)(m[i] ^ x->e[i]);
	rc = aes_block(x->ecb, t, x->e);
	ck_wipe(t, sizeof(t));
	return rc;
}

int
ck_xcbc_update(struct ck_xcbc *x, const uint8_t *p, size_t n)
{
	/* The last block is treated specially, so a full buffer is only
	 * processed once more input shows it was not the last. */
	while (n > 0) {
		if (x->buflen == 16) {
			int rc = xcbc_block(x, x->buf);
			if (rc != CK_OK)
				return rc;
			x->buflen = 0;
		}
		size_t take = 16 - x->buflen;
		if (take > n)
			take = n;
		memcpy(x->buf + x->buflen, p, take);
		x->buflen += take;
		p += take;
		n -= take;
	}
	return CK_OK;
}

int
ck_xcbc_final(struct ck_xcbc *x, uint8_t out[16])
{
	uint8_t m[16];
	int rc;
	if (x->buflen == 16) {
		/* Complete last block: XOR K2 (RFC 3566 4, step 3a). */
		for (size_t i = 0; i < 16; i++)
			m[i] = (uint8_t)(x->buf[i] ^ x->k2[i]);
	} else {
		/* Incomplete (or empty): pad 10*, XOR K3 (step 3b). */
		memset(m, 0, sizeof(m));
		memcpy(m, x->buf, x->buflen);
		m[x->buflen] = 0x80;
		for (size_t i = 0; i < 16; i++)
			m[i] ^= x->k3[i];
	}
	rc = xcbc_block(x, m);
	ck_wipe(m, sizeof(m));
	if (rc == CK_OK)
		memcpy(out, x->e, 16);
	ck_xcbc_reset(x);
	return rc;
}

void
ck_xcbc_free(struct ck_xcbc *x)
{
	EVP_CIPHER_CTX_free(x->ecb);
	x->ecb = NULL;
	ck_wipe(x->k2, sizeof(x->k2));
	ck_wipe(x->k3, sizeof(x->k3));
	ck_xcbc_reset(x);
}

/* ---- struct ck_mac ---- */

static EVP_MAC_CTX *
evp_mac_new(const char *alg, const char *pname, const char *pval, const uint8_t *key, size_t klen)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, alg, NULL);
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];

	if (mac == NULL)
		return NULL;
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (ctx == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(pname, (char *)pval, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, klen, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* A keyed HMAC or CMAC context (exposed to prf.c through ck_mac too). */
int
ck_mac_init(struct ck_mac *m, const struct ck_integ_desc *d, const uint8_t *key, size_t klen)
{
	memset(m, 0, sizeof(*m));
	m->d = d;
	switch (d->kind) {
	case CK_MAC_HMAC:
		m->mac =
		    evp_mac_new(OSSL_MAC_NAME_HMAC, OSSL_MAC_PARAM_DIGEST, d->digest, key, klen);
		return m->mac != NULL ? CK_OK : ck_ossl_fail();
	case CK_MAC_CMAC:
		if (klen != 16)
			return CK_EKEYLEN;
		m->mac = evp_mac_new(OSSL_MAC_NAME_CMAC, OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", key,
				     klen);
		return m->mac != NULL ? CK_OK : ck_ossl_fail();
	case CK_MAC_XCBC:
		if (klen != 16)
			return CK_EKEYLEN;
		return ck_xcbc_init(&m->xcbc, key);
	case CK_MAC_GMAC: {
		/* RFC 4543 3.2: the key material is the AES key followed by a
		 * 4-byte salt. */
		static const struct ck_encr_desc gmac = {0, CK_MODE_GCM, 0, 4, 4, 8, 16};
		int err = CK_OK;
		if (klen != 20 && klen != 28 && klen != 36)
			return CK_EKEYLEN;
		m->gcm = ck_aead_ctx_new(&gmac, key, klen - 4, true, &err);
		if (m->gcm == NULL)
			return err;
		memcpy(m->salt, key + klen - 4, 4);
		return CK_OK;
	}
	default:
		return CK_EUNSUPPORTED;
	}
}

void
ck_mac_free(struct ck_mac *m)
{
	if (m == NULL)
		return;
	EVP_MAC_CTX_free(m->mac);
	EVP_CIPHER_CTX_free(m->gcm);
	if (m->d != NULL && m->d->kind == CK_MAC_XCBC)
		ck_xcbc_free(&m->xcbc);
	ck_wipe(m->salt, sizeof(m->salt));
	memset(m, 0, sizeof(*m));
}

int
ck_mac_compute(struct ck_mac *m, const uint8_t *iv, size_t ivlen, const struct ck_iov *in,
	       size_t nin, uint8_t *out, size_t outlen)
{
	uint8_t full[EVP_MAX_MD_SIZE];
	size_t fl = 0;
	int rc = CK_OK;

	if (outlen == 0 || outlen > m->d->icv)
		return CK_EINPUT;
	switch (m->d->kind) {
	case CK_MAC_HMAC:
	case CK_MAC_CMAC:
		/* A NULL key restarts the MAC with the key already set. */
		if (EVP_MAC_init(m->mac, NULL, 0, NULL) != 1)
			return ck_ossl_fail();
		for (size_t i = 0; i < nin; i++)
			if (in[i].n > 0 && EVP_MAC_update(m->mac, in[i].p, in[i].n) != 1)
				return ck_ossl_fail();
		if (EVP_MAC_final(m->mac, full, &fl, sizeof(full)) != 1)
			return ck_ossl_fail();
		break;
	case CK_MAC_XCBC:
		ck_xcbc_reset(&m->xcbc);
		for (size_t i = 0; i < nin && rc == CK_OK; i++)
			rc = ck_xcbc_update(&m->xcbc, in[i].p, in[i].n);
		if (rc == CK_OK)
			rc = ck_xcbc_final(&m->xcbc, full);
		fl = 16;
		break;
	case CK_MAC_GMAC: {
		static const struct ck_encr_desc gmac = {0, CK_MODE_GCM, 0, 4, 4, 8, 16};
		if (iv == NULL || ivlen != 8)
			return CK_EINPUT;
		rc = ck_aead_ctx_seal(m->gcm, &gmac, m->salt, iv, in, nin, NULL, 0, NULL, full, 16);
		fl = 16;
		break;
	}
	default:
		return CK_EUNSUPPORTED;
	}
	if (rc == CK_OK) {
		if (fl < outlen)
			rc = CK_EINTERNAL;
		else
			memcpy(out, full, outlen);
	}
	ck_wipe(full, sizeof(full));
	return rc;
}

/* ---- public one-shot integrity functions ---- */

static int
integ_oneshot(uint32_t integ, const uint8_t *key, size_t klen, const struct ck_iov *in, size_t nin,
	      uint8_t *icv, size_t icvlen)
{
	const struct ck_integ_desc *d = ck_integ_desc(integ);
	struct ck_mac m;
	int rc;

	if (d == NULL || d->kind == CK_MAC_GMAC)
		return CK_EUNSUPPORTED;
	if (klen != d->key)
		return CK_EKEYLEN;
	if (icvlen == 0 || icvlen > d->icv)
		return CK_EINPUT;
	rc = ck_mac_init(&m, d, key, klen);
	if (rc == CK_OK)
		rc = ck_mac_compute(&m, NULL, 0, in, nin, icv, icvlen);
	ck_mac_free(&m);
	return rc;
}

int
ck_integ_mac(uint32_t integ, const uint8_t *key, size_t klen, const struct ck_iov *in, size_t nin,
	     uint8_t *icv, size_t icvlen)
{
	return integ_oneshot(integ, key, klen, in, nin, icv, icvlen);
}

int
ck_integ_verify(uint32_t integ, const uint8_t *key, size_t klen, const struct ck_iov *in,
		size_t nin, const uint8_t *icv, size_t icvlen)
{
	uint8_t mine[64];
	int rc;
	if (icvlen > sizeof(mine))
		return CK_EINPUT;
	rc = integ_oneshot(integ, key, klen, in, nin, mine, icvlen);
	if (rc == CK_OK)
		rc = ck_verify(mine, icv, icvlen);
	ck_wipe(mine, sizeof(mine));
	return rc;
}

int
ck_gmac(const uint8_t *key, size_t klen, const uint8_t *iv, size_t ivlen, const struct ck_iov *in,
	size_t nin, uint8_t *tag, size_t taglen)
{
	static const struct ck_integ_desc gmac = {CK_INTEG_AES_128_GMAC, CK_MAC_GMAC, NULL, 20, 16};
	struct ck_mac m;
	int rc;
	if (taglen == 0 || taglen > 16)
		return CK_EINPUT;
	rc = ck_mac_init(&m, &gmac, key, klen);
	if (rc == CK_OK)
		rc = ck_mac_compute(&m, iv, ivlen, in, nin, tag, taglen);
	ck_mac_free(&m);
	return rc;
}
