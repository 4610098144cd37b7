/*
 * ikev1_crypt.c - IKEv1 CBC decryption with IV chaining.
 */
#include <string.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/ikev1_crypt.h"
#include "src/crypto/prim.h"

int
ck_v1_decrypt(uint32_t encr, const uint8_t *ka, size_t kalen, const uint8_t *iv, size_t ivlen,
	      const uint8_t *ct, size_t ctlen, uint8_t *out, uint8_t *next_iv, size_t next_iv_sz)
{
	const struct ck_encr_desc *d = ck_encr_desc(encr);
	uint8_t last[16];
	size_t b;
	int rc;

	if (d == NULL || d->mode != CK_MODE_CBC)
		return CK_EUNSUPPORTED;
	b = d->block;
	if (ct == NULL || out == NULL || ctlen == 0 || ctlen % b != 0)
		return CK_EINPUT;
	if (next_iv != NULL && next_iv_sz < b)
		return CK_EBUFFER;
	/* keep the last block before an in-place decryption overwrites it */
	memcpy(last, ct + ctlen - b, b);
	rc = ck_decrypt(encr, ka, kalen, iv, ivlen, ct, ctlen, out);
	if (rc == CK_OK && next_iv != NULL)
		memcpy(next_iv, last, b);
	return rc;
}
