/*
 * prf.c - the IKE pseudo-random functions: HMAC with MD5/SHA-1/SHA-2 (RFC
 * 2104, RFC 4868), AES-XCBC-PRF-128 (RFC 4434) and AES-CMAC-PRF-128 (RFC
 * 4615), prf+ (RFC 7296 2.13) and the plain hashes IKEv1 needs for IVs.
 */
#include <string.h>

#include <openssl/evp.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/prim.h"

/* The PRFs as MAC descriptors: full output, any key length (the key rule
 * of the AES PRFs is applied before keying). */
static const struct ck_integ_desc prf_table[] = {
    {CK_PRF_HMAC_MD5, CK_MAC_HMAC, "MD5", 0, 16},
    {CK_PRF_HMAC_SHA1, CK_MAC_HMAC, "SHA1", 0, 20},
    {CK_PRF_AES128_XCBC, CK_MAC_XCBC, NULL, 16, 16},
    {CK_PRF_HMAC_SHA2_256, CK_MAC_HMAC, "SHA256", 0, 32},
    {CK_PRF_HMAC_SHA2_384, CK_MAC_HMAC, "SHA384", 0, 48},
    {CK_PRF_HMAC_SHA2_512, CK_MAC_HMAC, "SHA512", 0, 64},
    {CK_PRF_AES128_CMAC, CK_MAC_CMAC, NULL, 16, 16},
};

static const struct ck_integ_desc *
prf_desc(uint32_t prf)
{
	for (size_t i = 0; i < sizeof(prf_table) / sizeof(prf_table[0]); i++)
		if (prf_table[i].id == prf)
			return &prf_table[i];
	return NULL;
}

/*
 * Key a PRF.  RFC 4434 section 2 (AES-XCBC-PRF-128): a key shorter than 128
 * bits is padded with zero bits on the right, a longer one is replaced by
 * AES-XCBC-PRF-128 of it under the all-zero key.  RFC 4615 section 3
 * (AES-CMAC-PRF-128): any key that is not 128 bits is replaced by AES-CMAC
 * of it under the all-zero key.
 */
static int
prf_init(struct ck_mac *m, uint32_t prf, const uint8_t *key, size_t klen)
{
	static const uint8_t zero[16];
	const struct ck_integ_desc *d = prf_desc(prf);
	uint8_t k16[16];
	int rc;

	if (d == NULL)
		return CK_EUNSUPPORTED;
	if (d->kind == CK_MAC_HMAC) {
		/* EVP_MAC wants a non-NULL key even when it is empty. */
		return ck_mac_init(m, d, klen > 0 ? key : zero, klen);
	}
	if (klen == 16) {
		memcpy(k16, key, 16);
	} else if (d->kind == CK_MAC_XCBC && klen < 16) {
		memset(k16, 0, sizeof(k16));
		if (klen > 0)
			memcpy(k16, key, klen);
	} else {
		struct ck_mac z;
		struct ck_iov v = {key, klen};
		rc = ck_mac_init(&z, d, zero, sizeof(zero));
		if (rc == CK_OK)
			rc = ck_mac_compute(&z, NULL, 0, &v, 1, k16, sizeof(k16));
		ck_mac_free(&z);
		if (rc != CK_OK)
			return rc;
	}
	rc = ck_mac_init(m, d, k16, sizeof(k16));
	ck_wipe(k16, sizeof(k16));
	return rc;
}

int
ck_prf(uint32_t prf, const uint8_t *key, size_t klen, const struct ck_iov *in, size_t nin,
       uint8_t *out, size_t outsz, size_t *outlen)
{
	size_t n = ck_prf_len(prf);
	struct ck_mac m;
	int rc;

	if (n == 0)
		return CK_EUNSUPPORTED;
	if (outsz < n)
		return CK_EBUFFER;
	if (key == NULL && klen > 0)
		return CK_EINPUT;
	rc = prf_init(&m, prf, key, klen);
	if (rc == CK_OK)
		rc = ck_mac_compute(&m, NULL, 0, in, nin, out, n);
	ck_mac_free(&m);
	if (rc == CK_OK && outlen != NULL)
		*outlen = n;
	return rc;
}

int
ck_prf_plus(uint32_t prf, const uint8_t *key, size_t klen, const uint8_t *seed, size_t seedlen,
	    uint8_t *out, size_t outlen)
{
	struct ck_iov s = {seed, seedlen};
	return ck_prf_plus_iov(prf, key, klen, &s, 1, out, outlen);
}

int
ck_prf_plus_iov(uint32_t prf, const uint8_t *key, size_t klen, const struct ck_iov *seed,
		size_t nseed, uint8_t *out, size_t outlen)
{
	size_t n = ck_prf_len(prf);
	uint8_t t[CK_MAX_PRF_OUT];
	struct ck_mac m;
	size_t done = 0;
	uint8_t counter = 1;
	int rc;

	if (n == 0)
		return CK_EUNSUPPORTED;
	/* The counter is one octet: at most 255 blocks (RFC 7296 2.13). */
	if (outlen > 255 * n || nseed > 30)
		return CK_EINPUT;
	rc = prf_init(&m, prf, key, klen);
	while (rc == CK_OK && done < outlen) {
		/* T1 = prf(K, S | 0x01); Tn = prf(K, Tn-1 | S | n) */
		struct ck_iov v[32];
		size_t nv = 0;
		v[nv++] = (struct ck_iov){t, counter == 1 ? 0 : n};
		for (size_t i = 0; i < nseed; i++)
			v[nv++] = seed[i];
		v[nv++] = (struct ck_iov){&counter, 1};
		rc = ck_mac_compute(&m, NULL, 0, v, nv, t, n);
		if (rc != CK_OK)
			break;
		size_t take = outlen - done < n ? outlen - done : n;
		memcpy(out + done, t, take);
		done += take;
		counter++;
	}
	ck_mac_free(&m);
	ck_wipe(t, sizeof(t));
	if (rc != CK_OK)
		ck_wipe(out, outlen);
	return rc;
}

int
ck_hash(uint32_t prf, const struct ck_iov *in, size_t nin, uint8_t *out, size_t outsz,
	size_t *outlen)
{
	const char *name = ck_prf_digest(prf);
	EVP_MD *md;
	EVP_MD_CTX *c;
	unsigned int ol = 0;
	int rc = CK_OK;

	if (name == NULL)
		return CK_EUNSUPPORTED;
	if (outsz < ck_prf_len(prf))
		return CK_EBUFFER;
	md = EVP_MD_fetch(NULL, name, NULL);
	c = EVP_MD_CTX_new();
	if (md == NULL || c == NULL || EVP_DigestInit_ex2(c, md, NULL) != 1) {
		rc = ck_ossl_fail();
		goto out;
	}
	for (size_t i = 0; i < nin; i++)
		if (in[i].n > 0 && EVP_DigestUpdate(c, in[i].p, in[i].n) != 1) {
			rc = ck_ossl_fail();
			goto out;
		}
	if (EVP_DigestFinal_ex(c, out, &ol) != 1) {
		rc = ck_ossl_fail();
		goto out;
	}
	if (outlen != NULL)
		*outlen = ol;
out:
	EVP_MD_CTX_free(c);
	EVP_MD_free(md);
	return rc;
}
