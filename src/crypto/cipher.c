/*
 * cipher.c - the ENCR transforms over EVP_CIPHER: CBC (DES RFC 2405, 3DES RFC
 * 2451, AES RFC 3602), AES-CTR (RFC 3686), ENCR_NULL (RFC 2410) and the AEAD
 * ones: AES-GCM (RFC 4106, RFC 5282), AES-CCM (RFC 4309, RFC 5282),
 * ChaCha20-Poly1305 (RFC 7634) and ENCR_NULL_AUTH_AES_GMAC (RFC 4543).
 */
#include <string.h>

#include <openssl/evp.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/prim.h"

/* RFC 3686 section 4: counter block = nonce (4) | IV (8) | 00000001. */
static void
ctr_block(const uint8_t nonce[4], const uint8_t iv[8], uint8_t blk[16])
{
	memcpy(blk, nonce, 4);
	memcpy(blk + 4, iv, 8);
	blk[12] = 0;
	blk[13] = 0;
	blk[14] = 0;
	blk[15] = 1;
}

/* One CBC or CTR pass with a fresh context (the one-shot door). */
static int
cbc_ctr_run(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	    const uint8_t *in, size_t len, uint8_t *out, int enc)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	uint8_t blk[16];
	const uint8_t *civ = iv;
	size_t ckeylen;
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *c = NULL;
	int outl = 0, rc = CK_OK;

	if (d == NULL)
		return CK_EUNSUPPORTED;
	if (len > 0 && (in == NULL || out == NULL))
		return CK_EINPUT;
	if (!ck_len_ok(len))
		return CK_EINPUT;
	switch (d->mode) {
	case CK_MODE_NULL:
		if (len > 0)
			memmove(out, in, len);
		return CK_OK;
	case CK_MODE_CBC:
		ckeylen = keylen;
		if (ivlen != d->iv || iv == NULL)
			return CK_EINPUT;
		if (len % d->block != 0)
			return CK_EINPUT;
		break;
	case CK_MODE_CTR:
		if (keylen < 4)
			return CK_EKEYLEN;
		ckeylen = keylen - 4;
		if (ivlen != 8 || iv == NULL)
			return CK_EINPUT;
		ctr_block(key + ckeylen, iv, blk);
		civ = blk;
		break;
	default:
		/* AEAD transforms go through ck_aead_open/seal or a ck_ctx. */
		return CK_EUNSUPPORTED;
	}
	if (ck_cipher_name(d, ckeylen) == NULL)
		return CK_EKEYLEN;
	cipher = ck_fetch_cipher(ck_cipher_name(d, ckeylen));
	if (cipher == NULL)
		return CK_EUNSUPPORTED;
	c = EVP_CIPHER_CTX_new();
	if (c == NULL || EVP_CipherInit_ex2(c, cipher, key, civ, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(c, 0) != 1) {
		rc = ck_ossl_fail();
		goto out;
	}
	if (len > 0 && (EVP_CipherUpdate(c, out, &outl, in, (int)len) != 1 || (size_t)outl != len))
		rc = ck_ossl_fail();
out:
	ck_wipe(blk, sizeof(blk));
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(cipher);
	return rc;
}

int
ck_decrypt(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	   const uint8_t *in, size_t len, uint8_t *out)
{
	return cbc_ctr_run(encr, key, keylen, iv, ivlen, in, len, out, 0);
}

int
ck_encrypt(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	   const uint8_t *in, size_t len, uint8_t *out)
{
	return cbc_ctr_run(encr, key, keylen, iv, ivlen, in, len, out, 1);
}

/* ---- AEAD ---- */

EVP_CIPHER_CTX *
ck_aead_ctx_new(const struct ck_encr_desc *d, const uint8_t *key, size_t keylen, bool enc, int *err)
{
	const char *name = ck_cipher_name(d, keylen);
	EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *c;

	if (name == NULL) {
		*err = CK_EKEYLEN;
		return NULL;
	}
	cipher = ck_fetch_cipher(name);
	if (cipher == NULL) {
		*err = CK_EUNSUPPORTED;
		return NULL;
	}
	c = EVP_CIPHER_CTX_new();
	if (c == NULL || EVP_CipherInit_ex2(c, cipher, NULL, NULL, enc ? 1 : 0, NULL) != 1)
		goto fail;
	if (d->mode == CK_MODE_CCM) {
		/* RFC 4309 section 4: 11-byte nonce (salt 3 | IV 8), so L = 4;
		 * the tag length M is fixed before the key is set. */
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 11, NULL) != 1 ||
		    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, d->icv, NULL) != 1)
			goto fail;
	}
	if (EVP_CipherInit_ex2(c, NULL, key, NULL, enc ? 1 : 0, NULL) != 1)
		goto fail;
	EVP_CIPHER_free(cipher);
	return c;
fail:
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(cipher);
	*err = ck_ossl_fail();
	return NULL;
}

/* nonce = salt | iv: 12 bytes, or 11 for CCM.  Returns its length. */
static size_t
aead_nonce(const struct ck_encr_desc *d, const uint8_t *salt, const uint8_t *iv, uint8_t n[12])
{
	size_t s = d->mode == CK_MODE_CCM ? 3 : 4;
	memcpy(n, salt, s);
	memcpy(n + s, iv, 8);
	return s + 8;
}

static int
aad_feed(EVP_CIPHER_CTX *c, const struct ck_iov *aad, size_t nad)
{
	int ol = 0;
	for (size_t i = 0; i < nad; i++) {
		if (aad[i].n == 0)
			continue;
		if (!ck_len_ok(aad[i].n) ||
		    EVP_CipherUpdate(c, NULL, &ol, aad[i].p, (int)aad[i].n) != 1)
			return ck_ossl_fail();
	}
	return CK_OK;
}

/*
 * CCM without tag check: the payload is AES-CTR with counter blocks
 * A_i = flags (L-1 = 3) | nonce | i, starting at i = 1 (RFC 3610 2.3).
 */
static int
ccm_ctr_decrypt(EVP_CIPHER_CTX *ctr, const uint8_t nonce[11], const uint8_t *ct, size_t ctlen,
		uint8_t *out)
{
	uint8_t a1[16];
	int ol = 0, rc = CK_OK;
	a1[0] = 3;
	memcpy(a1 + 1, nonce, 11);
	a1[12] = 0;
	a1[13] = 0;
	a1[14] = 0;
	a1[15] = 1;
	if (EVP_EncryptInit_ex2(ctr, NULL, NULL, a1, NULL) != 1)
		rc = ck_ossl_fail();
	else if (ctlen > 0 && EVP_EncryptUpdate(ctr, out, &ol, ct, (int)ctlen) != 1)
		rc = ck_ossl_fail();
	ck_wipe(a1, sizeof(a1));
	return rc;
}

int
ck_aead_ctx_open(EVP_CIPHER_CTX *c, const struct ck_encr_desc *d, const uint8_t *salt,
		 const uint8_t *iv, const struct ck_iov *aad, size_t nad, const uint8_t *ct,
		 size_t ctlen, const uint8_t *tag, size_t taglen, bool verify, uint8_t *out,
		 EVP_CIPHER_CTX *ccm_ctr)
{
	uint8_t nonce[12], tmp[16];
	int ol = 0, rc = CK_OK;

	(void)aead_nonce(d, salt, iv, nonce);

	if (!ck_len_ok(ctlen) || (ctlen > 0 && (ct == NULL || out == NULL)))
		return CK_EINPUT;
	if (verify && (tag == NULL || taglen != d->icv))
		return CK_EINPUT;

	if (d->mode == CK_MODE_CCM) {
		size_t total = 0;
		const uint8_t *ap = NULL;
		for (size_t i = 0; i < nad; i++)
			if (aad[i].n > 0) {
				if (ap != NULL)
					return CK_EINPUT; /* OpenSSL CCM wants the AAD in one piece
							   */
				ap = aad[i].p;
				total = aad[i].n;
			}
		if (!verify) {
			if (ccm_ctr == NULL)
				return CK_EUNSUPPORTED;
			return ccm_ctr_decrypt(ccm_ctr, nonce, ct, ctlen, out);
		}
		if (EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1 ||
		    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)taglen, (void *)tag) != 1 ||
		    EVP_DecryptUpdate(c, NULL, &ol, NULL, (int)ctlen) != 1)
			return ck_ossl_fail();
		if (total > 0 &&
		    (!ck_len_ok(total) || EVP_DecryptUpdate(c, NULL, &ol, ap, (int)total) != 1))
			return ck_ossl_fail();
		/* The tag is checked in this call; OpenSSL wants a non-NULL
		 * output even when there is no payload. */
		if (EVP_DecryptUpdate(c, ctlen > 0 ? out : tmp, &ol, ctlen > 0 ? ct : tmp,
				      (int)ctlen) != 1) {
			(void)ck_ossl_fail();
			return CK_EAUTH;
		}
		return CK_OK;
	}

	/* GCM, GMAC, ChaCha20-Poly1305 */
	if (EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1)
		return ck_ossl_fail();
	rc = aad_feed(c, aad, nad);
	if (rc != CK_OK)
		return rc;
	if (d->mode == CK_MODE_GMAC) {
		/* RFC 4543 section 3.3 (ENCR_NULL_AUTH_AES_GMAC): the IV and the
		 * whole payload are AAD; nothing is encrypted. */
		struct ck_iov more[2] = {{iv, 8}, {ct, ctlen}};
		rc = aad_feed(c, more, 2);
		if (rc != CK_OK)
			return rc;
		if (ctlen > 0)
			memmove(out, ct, ctlen);
	} else if (ctlen > 0) {
		if (EVP_DecryptUpdate(c, out, &ol, ct, (int)ctlen) != 1 || (size_t)ol != ctlen)
			return ck_ossl_fail();
	}
	if (!verify)
		return CK_OK;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)taglen, (void *)tag) != 1)
		return ck_ossl_fail();
	if (EVP_DecryptFinal_ex(c, tmp, &ol) != 1) {
		(void)ck_ossl_fail();
		return CK_EAUTH;
	}
	return CK_OK;
}

int
ck_aead_ctx_seal(EVP_CIPHER_CTX *c, const struct ck_encr_desc *d, const uint8_t *salt,
		 const uint8_t *iv, const struct ck_iov *aad, size_t nad, const uint8_t *pt,
		 size_t ptlen, uint8_t *ct, uint8_t *tag, size_t taglen)
{
	uint8_t nonce[12], tmp[16];
	int ol = 0, rc;

	(void)aead_nonce(d, salt, iv, nonce);
	if (!ck_len_ok(ptlen) || (ptlen > 0 && (pt == NULL || ct == NULL)) || tag == NULL)
		return CK_EINPUT;
	if (taglen == 0 || taglen > 16 || (d->mode == CK_MODE_CCM && taglen != d->icv))
		return CK_EINPUT;
	if (EVP_EncryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1)
		return ck_ossl_fail();
	if (d->mode == CK_MODE_CCM) {
		size_t total = 0;
		const uint8_t *ap = NULL;
		for (size_t i = 0; i < nad; i++)
			if (aad[i].n > 0) {
				if (ap != NULL)
					return CK_EINPUT;
				ap = aad[i].p;
				total = aad[i].n;
			}
		if (EVP_EncryptUpdate(c, NULL, &ol, NULL, (int)ptlen) != 1)
			return ck_ossl_fail();
		if (total > 0 &&
		    (!ck_len_ok(total) || EVP_EncryptUpdate(c, NULL, &ol, ap, (int)total) != 1))
			return ck_ossl_fail();
	} else {
		rc = aad_feed(c, aad, nad);
		if (rc != CK_OK)
			return rc;
	}
	if (d->mode == CK_MODE_GMAC) {
		struct ck_iov more[2] = {{iv, 8}, {pt, ptlen}};
		rc = aad_feed(c, more, 2);
		if (rc != CK_OK)
			return rc;
		if (ptlen > 0)
			memmove(ct, pt, ptlen);
	} else if (ptlen > 0 || d->mode == CK_MODE_CCM) {
		if (EVP_EncryptUpdate(c, ptlen > 0 ? ct : tmp, &ol, ptlen > 0 ? pt : tmp,
				      (int)ptlen) != 1)
			return ck_ossl_fail();
	}
	if (EVP_EncryptFinal_ex(c, tmp, &ol) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, (int)taglen, tag) != 1)
		return ck_ossl_fail();
	return CK_OK;
}

/* Validate key | salt and iv for a one-shot AEAD call. */
static const struct ck_encr_desc *
aead_args(uint32_t encr, size_t keylen, size_t ivlen, int *err)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	if (d == NULL || d->icv == 0) {
		*err = CK_EUNSUPPORTED;
		return NULL;
	}
	if (keylen <= d->salt || ck_cipher_name(d, keylen - d->salt) == NULL) {
		*err = CK_EKEYLEN;
		return NULL;
	}
	if (ivlen != 8) {
		*err = CK_EINPUT;
		return NULL;
	}
	return d;
}

int
ck_aead_open(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	     const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen, const uint8_t *tag,
	     size_t taglen, uint8_t *out)
{
	int err = CK_OK;
	const struct ck_encr_desc *d = aead_args(encr, keylen, ivlen, &err);
	struct ck_iov a = {aad, aadlen};
	EVP_CIPHER_CTX *c;

	if (d == NULL)
		return err;
	c = ck_aead_ctx_new(d, key, keylen - d->salt, false, &err);
	if (c == NULL)
		return err;
	err = ck_aead_ctx_open(c, d, key + keylen - d->salt, iv, &a, 1, ct, ctlen, tag, taglen,
			       true, out, NULL);
	EVP_CIPHER_CTX_free(c);
	if (err != CK_OK && ctlen > 0 && out != NULL)
		ck_wipe(out, ctlen);
	return err;
}

int
ck_aead_seal(uint32_t encr, const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
	     const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen, uint8_t *ct,
	     uint8_t *tag, size_t taglen)
{
	int err = CK_OK;
	const struct ck_encr_desc *d = aead_args(encr, keylen, ivlen, &err);
	struct ck_iov a = {aad, aadlen};
	EVP_CIPHER_CTX *c;

	if (d == NULL)
		return err;
	if (taglen != d->icv)
		return CK_EINPUT;
	c = ck_aead_ctx_new(d, key, keylen - d->salt, true, &err);
	if (c == NULL)
		return err;
	err = ck_aead_ctx_seal(c, d, key + keylen - d->salt, iv, &a, 1, pt, ptlen, ct, tag, taglen);
	EVP_CIPHER_CTX_free(c);
	return err;
}

/* ---- generic CCM for the RFC 3610 / SP 800-38C known answers ---- */

static EVP_CIPHER_CTX *
ccm_generic_ctx(const uint8_t *key, size_t keylen, size_t noncelen, size_t taglen,
		const uint8_t *tag, bool enc)
{
	static const struct ck_encr_desc ccm = {CK_ENCR_AES_CCM_16, CK_MODE_CCM, 0, 3, 4, 8, 16};
	const char *name = ck_cipher_name(&ccm, keylen);
	EVP_CIPHER *cipher = name != NULL ? ck_fetch_cipher(name) : NULL;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (cipher == NULL || c == NULL ||
	    EVP_CipherInit_ex2(c, cipher, NULL, NULL, enc ? 1 : 0, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, (int)noncelen, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)taglen, (void *)tag) != 1 ||
	    EVP_CipherInit_ex2(c, NULL, key, NULL, enc ? 1 : 0, NULL) != 1) {
		EVP_CIPHER_CTX_free(c);
		c = NULL;
		(void)ck_ossl_fail();
	}
	EVP_CIPHER_free(cipher);
	return c;
}

int
ck_ccm_open_generic(const uint8_t *key, size_t keylen, const uint8_t *nonce, size_t noncelen,
		    const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen,
		    const uint8_t *tag, size_t taglen, uint8_t *out)
{
	EVP_CIPHER_CTX *c;
	uint8_t tmp[16];
	int ol = 0, rc = CK_OK;

	if (noncelen < 7 || noncelen > 13 || taglen < 4 || taglen > 16 || !ck_len_ok(ctlen) ||
	    !ck_len_ok(aadlen))
		return CK_EINPUT;
	c = ccm_generic_ctx(key, keylen, noncelen, taglen, tag, false);
	if (c == NULL)
		return CK_EINTERNAL;
	if (EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1 ||
	    EVP_DecryptUpdate(c, NULL, &ol, NULL, (int)ctlen) != 1 ||
	    (aadlen > 0 && EVP_DecryptUpdate(c, NULL, &ol, aad, (int)aadlen) != 1))
		rc = ck_ossl_fail();
	else if (EVP_DecryptUpdate(c, ctlen > 0 ? out : tmp, &ol, ctlen > 0 ? ct : tmp,
				   (int)ctlen) != 1) {
		(void)ck_ossl_fail();
		rc = CK_EAUTH;
	}
	EVP_CIPHER_CTX_free(c);
	return rc;
}

int
ck_ccm_seal_generic(const uint8_t *key, size_t keylen, const uint8_t *nonce, size_t noncelen,
		    const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen, uint8_t *ct,
		    uint8_t *tag, size_t taglen)
{
	EVP_CIPHER_CTX *c;
	uint8_t tmp[16];
	int ol = 0, rc = CK_OK;

	if (noncelen < 7 || noncelen > 13 || taglen < 4 || taglen > 16 || !ck_len_ok(ptlen) ||
	    !ck_len_ok(aadlen))
		return CK_EINPUT;
	c = ccm_generic_ctx(key, keylen, noncelen, taglen, NULL, true);
	if (c == NULL)
		return CK_EINTERNAL;
	if (EVP_EncryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &ol, NULL, (int)ptlen) != 1 ||
	    (aadlen > 0 && EVP_EncryptUpdate(c, NULL, &ol, aad, (int)aadlen) != 1) ||
	    EVP_EncryptUpdate(c, ptlen > 0 ? ct : tmp, &ol, ptlen > 0 ? pt : tmp, (int)ptlen) !=
		1 ||
	    EVP_EncryptFinal_ex(c, tmp, &ol) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, (int)taglen, tag) != 1)
		rc = ck_ossl_fail();
	EVP_CIPHER_CTX_free(c);
	return rc;
}
