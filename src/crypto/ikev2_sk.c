/*
 * ikev2_sk.c - SK and SKF payloads: find IV, ciphertext and ICV inside the
 * message, check the ICV over the right span, decrypt, strip the padding.
 */
#include <string.h>

#include "src/crypto/ikev2_sk.h"
#include "src/crypto/prim.h"

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static int
sk_open(struct ck_ctx *ctx, const uint8_t *msg, size_t msglen, size_t off, size_t len, bool skf,
	bool verify_icv, uint8_t *out, size_t outsz, struct ck_sk_plain *res)
{
	const size_t ike_hdr = 28;	/* RFC 7296 3.1 */
	const size_t hdr = skf ? 8 : 4; /* generic header [+ fragment number, total] */
	size_t ivlen, icvlen, ctlen;
	const uint8_t *p, *iv, *ct, *icv;
	int rc;

	if (ctx == NULL || msg == NULL || res == NULL)
		return CK_EINPUT;
	memset(res, 0, sizeof(*res));
	/* the payload sits after the IKE header and inside the message */
	if (off < ike_hdr || off > msglen || len > msglen - off || len < hdr)
		return CK_EINPUT;
	p = msg + off;
	if (be16(p + 2) != len)
		return CK_EINPUT;
	ivlen = ck_ctx_iv_len(ctx);
	icvlen = ck_ctx_icv_len(ctx);
	if (len - hdr < ivlen + icvlen + 1)
		return CK_EINPUT; /* at least the Pad Length octet */
	ctlen = len - hdr - ivlen - icvlen;
	if (outsz < ctlen)
		return CK_EBUFFER;
	iv = p + hdr;
	ct = iv + ivlen;
	icv = ct + ctlen;

	/* AAD / start of the integrity span: IKE header .. end of this header */
	rc = ck_ctx_open(ctx, msg, off + hdr, iv, ivlen, ct, ctlen, icv, icvlen,
			 verify_icv && icvlen > 0, out);
	if (rc != CK_OK)
		return rc;

	/* RFC 7296 3.14: any pad length that fits is acceptable */
	res->pad_len = out[ctlen - 1];
	if ((size_t)res->pad_len + 1 > ctlen) {
		ck_wipe(out, ctlen);
		memset(res, 0, sizeof(*res));
		return CK_EINPUT;
	}
	res->len = ctlen - 1 - res->pad_len;
	res->next_payload = p[0];
	if (skf) {
		res->frag_num = be16(p + 4);
		res->frag_total = be16(p + 6);
	}
	return CK_OK;
}

int
ck_v2_sk_open(struct ck_ctx *ctx, const uint8_t *msg, size_t msglen, size_t sk_off, size_t sk_len,
	      bool verify_icv, uint8_t *out, size_t outsz, struct ck_sk_plain *res)
{
	return sk_open(ctx, msg, msglen, sk_off, sk_len, false, verify_icv, out, outsz, res);
}

int
ck_v2_skf_open(struct ck_ctx *ctx, const uint8_t *msg, size_t msglen, size_t skf_off,
	       size_t skf_len, bool verify_icv, uint8_t *out, size_t outsz, struct ck_sk_plain *res)
{
	return sk_open(ctx, msg, msglen, skf_off, skf_len, true, verify_icv, out, outsz, res);
}

int
ck_v2_sk_open_keys(uint32_t encr, const uint8_t *ekey, size_t eklen, uint32_t integ,
		   const uint8_t *akey, size_t aklen, const uint8_t *msg, size_t msglen,
		   size_t sk_off, size_t sk_len, bool skf, uint8_t *out, size_t outsz,
		   struct ck_sk_plain *res)
{
	int err = CK_OK;
	struct ck_ctx *ctx = ck_ctx_new(encr, ekey, eklen, integ, akey, aklen, &err);
	if (ctx == NULL)
		return err;
	err = sk_open(ctx, msg, msglen, sk_off, sk_len, skf, true, out, outsz, res);
	ck_ctx_free(ctx);
	return err;
}
