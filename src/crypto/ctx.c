/*
 * ctx.c - struct ck_ctx: the cipher and MAC state of one direction of one SA
 * (an ESP SA, or the SK_e/SK_a pair of one IKEv2 sender), keyed once so that
 * opening a packet only sets an IV and runs the data through: no allocation,
 * no key schedule per packet.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/prim.h"

static EVP_CIPHER_CTX *
keyed_cipher(const struct ck_encr_desc *d, const uint8_t *key, size_t keylen, int enc, int *err)
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
	if (c == NULL || EVP_CipherInit_ex2(c, cipher, key, NULL, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(c, 0) != 1) {
		EVP_CIPHER_CTX_free(c);
		c = NULL;
		*err = ck_ossl_fail();
	}
	EVP_CIPHER_free(cipher);
	return c;
}

struct ck_ctx *
ck_ctx_new(uint32_t encr, const uint8_t *ekey, size_t eklen, uint32_t integ, const uint8_t *akey,
	   size_t aklen, int *err)
{
	const struct ck_encr_desc *ed = ck_encr_desc(encr);
	const struct ck_integ_desc *id = NULL;
	struct ck_ctx *ctx;
	int e = CK_OK, dummy;

	if (err == NULL)
		err = &dummy;
	if (ed == NULL) {
		*err = CK_EUNSUPPORTED;
		return NULL;
	}
	if (integ != CK_INTEG_NONE) {
		/* RFC 7296 3.3.3 / RFC 4303 3.2: a combined mode has no INTEG. */
		if (ed->icv != 0) {
			*err = CK_EINPUT;
			return NULL;
		}
		id = ck_integ_desc(integ);
		if (id == NULL) {
			*err = CK_EUNSUPPORTED;
			return NULL;
		}
		/* No integrity key at all: the ICV length is known, it cannot
		 * be checked ("no checking" entries of key files). */
		if ((akey != NULL || aklen != 0) && (akey == NULL || aklen != id->key)) {
			*err = CK_EKEYLEN;
			return NULL;
		}
	}
	if (eklen < ed->salt || (eklen > 0 && ekey == NULL)) {
		*err = CK_EKEYLEN;
		return NULL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		*err = CK_EINTERNAL;
		return NULL;
	}
	ctx->ed = ed;
	ctx->id = id;
	ctx->keylen = eklen - ed->salt;
	if (ed->salt > 0)
		memcpy(ctx->salt, ekey + ctx->keylen, ed->salt);

	switch (ed->mode) {
	case CK_MODE_NULL:
		if (eklen != 0)
			e = CK_EKEYLEN;
		break;
	case CK_MODE_CBC:
		ctx->cipher = keyed_cipher(ed, ekey, ctx->keylen, 0, &e);
		break;
	case CK_MODE_CTR:
		/* CTR runs the same way in both directions. */
		ctx->cipher = keyed_cipher(ed, ekey, ctx->keylen, 1, &e);
		break;
	case CK_MODE_CCM: {
		static const struct ck_encr_desc ctr = {
		    CK_ENCR_AES_CTR, CK_MODE_CTR, 0, 4, 4, 8, 0};
		ctx->cipher = ck_aead_ctx_new(ed, ekey, ctx->keylen, false, &e);
		if (ctx->cipher != NULL)
			ctx->ccm_ctr = keyed_cipher(&ctr, ekey, ctx->keylen, 1, &e);
		break;
	}
	case CK_MODE_GCM:
	case CK_MODE_GMAC:
	case CK_MODE_CHACHA:
		ctx->cipher = ck_aead_ctx_new(ed, ekey, ctx->keylen, false, &e);
		break;
	default:
		e = CK_EUNSUPPORTED;
		break;
	}
	if (e == CK_OK && id != NULL && akey != NULL) {
		e = ck_mac_init(&ctx->mac, id, akey, aklen);
		ctx->have_mac = e == CK_OK;
	}
	if (e != CK_OK) {
		ck_ctx_free(ctx);
		*err = e;
		return NULL;
	}
	*err = CK_OK;
	return ctx;
}

void
ck_ctx_free(struct ck_ctx *ctx)
{
	if (ctx == NULL)
		return;
	/* EVP_CIPHER_CTX_free cleanses the key schedules. */
	EVP_CIPHER_CTX_free(ctx->cipher);
	EVP_CIPHER_CTX_free(ctx->ccm_ctr);
	if (ctx->have_mac)
		ck_mac_free(&ctx->mac);
	ck_wipe(ctx, sizeof(*ctx));
	free(ctx);
}

size_t
ck_ctx_iv_len(const struct ck_ctx *ctx)
{
	if (ctx->ed->mode == CK_MODE_NULL && ctx->id != NULL && ctx->id->kind == CK_MAC_GMAC)
		return 8;
	return ctx->ed->iv;
}

size_t
ck_ctx_icv_len(const struct ck_ctx *ctx)
{
	if (ctx->ed->icv != 0)
		return ctx->ed->icv;
	return ctx->id != NULL ? ctx->id->icv : 0;
}

size_t
ck_ctx_block_len(const struct ck_ctx *ctx)
{
	return ctx->ed->block;
}

int
ck_ctx_open_tail(struct ck_ctx *ctx, const uint8_t *aad, size_t aadlen, const uint8_t *iv,
		 size_t ivlen, const uint8_t *ct, size_t ctlen, const uint8_t *tail, size_t taillen,
		 const uint8_t *icv, size_t icvlen, bool verify_icv, uint8_t *out)
{
	const struct ck_encr_desc *ed;
	int ol = 0, rc;

	if (ctx == NULL)
		return CK_EINPUT;
	ed = ctx->ed;
	if (ivlen != ck_ctx_iv_len(ctx) || (ivlen > 0 && iv == NULL))
		return CK_EINPUT;
	if (!ck_len_ok(ctlen) || (ctlen > 0 && (ct == NULL || out == NULL)))
		return CK_EINPUT;

	if (ed->icv != 0) {
		/* AEAD: RFC 4106 5 / RFC 5282 5.1 give the AAD; the IV is not
		 * part of it except for GMAC, handled below. */
		struct ck_iov a = {aad, aadlen};
		if (verify_icv && (icv == NULL || icvlen != ed->icv))
			return CK_EINPUT;
		rc = ck_aead_ctx_open(ctx->cipher, ed, ctx->salt, iv, &a, 1, ct, ctlen, icv, icvlen,
				      verify_icv, out, ctx->ccm_ctr);
		if (rc != CK_OK && ctlen > 0)
			ck_wipe(out, ctlen);
		return rc;
	}

	/* Encrypt-then-MAC (RFC 4303 3.4.4, RFC 7296 3.14): check first. */
	if (verify_icv && icvlen > 0) {
		uint8_t mine[64];
		if (!ctx->have_mac)
			return ctx->id != NULL ? CK_EKEYLEN : CK_EINPUT;
		if (icv == NULL || icvlen != ctx->id->icv)
			return CK_EINPUT;
		if (ctx->id->kind == CK_MAC_GMAC) {
			struct ck_iov v[3] = {{aad, aadlen}, {ct, ctlen}, {tail, taillen}};
			rc = ck_mac_compute(&ctx->mac, iv, ivlen, v, 3, mine, icvlen);
		} else {
			struct ck_iov v[4] = {
			    {aad, aadlen}, {iv, ivlen}, {ct, ctlen}, {tail, taillen}};
			rc = ck_mac_compute(&ctx->mac, NULL, 0, v, 4, mine, icvlen);
		}
		if (rc == CK_OK)
			rc = ck_verify(mine, icv, icvlen);
		ck_wipe(mine, sizeof(mine));
		if (rc != CK_OK)
			return rc;
	} else if (verify_icv && ctx->have_mac) {
		return CK_EINPUT; /* an ICV was expected */
	}

	switch (ed->mode) {
	case CK_MODE_NULL:
		if (ctlen > 0)
			memmove(out, ct, ctlen);
		return CK_OK;
	case CK_MODE_CBC:
		if (ctlen % ed->block != 0)
			return CK_EINPUT;
		if (EVP_DecryptInit_ex2(ctx->cipher, NULL, NULL, iv, NULL) != 1)
			return ck_ossl_fail();
		break;
	case CK_MODE_CTR: {
		/* RFC 3686 4: nonce | IV | 00000001 */
		uint8_t blk[16];
		memcpy(blk, ctx->salt, 4);
		memcpy(blk + 4, iv, 8);
		memset(blk + 12, 0, 3);
		blk[15] = 1;
		rc = EVP_EncryptInit_ex2(ctx->cipher, NULL, NULL, blk, NULL) == 1 ? CK_OK
										  : ck_ossl_fail();
		ck_wipe(blk, sizeof(blk));
		if (rc != CK_OK)
			return rc;
		break;
	}
	default:
		return CK_EUNSUPPORTED;
	}
	if (ctlen > 0 &&
	    (EVP_CipherUpdate(ctx->cipher, out, &ol, ct, (int)ctlen) != 1 || (size_t)ol != ctlen))
		return ck_ossl_fail();
	return CK_OK;
}

int
ck_ctx_open(struct ck_ctx *ctx, const uint8_t *aad, size_t aadlen, const uint8_t *iv, size_t ivlen,
	    const uint8_t *ct, size_t ctlen, const uint8_t *icv, size_t icvlen, bool verify_icv,
	    uint8_t *out)
{
	return ck_ctx_open_tail(ctx, aad, aadlen, iv, ivlen, ct, ctlen, NULL, 0, icv, icvlen,
				verify_icv, out);
}
