/*
 * dh.c - Diffie-Hellman shared secrets and public values over EVP_PKEY for
 * the groups of dh_groups.c, with the IKE encodings (RFC 7296 3.4, RFC 5903
 * 7, RFC 8031 2): MODP values big-endian and left-padded to the modulus
 * length, ECP KE data x | y without the 0x04 point-format octet and ECP
 * shared secrets the x coordinate only, X25519/X448 little-endian u.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include "src/crypto/ck_internal.h"
#include "src/crypto/dh_groups.h"
#include "src/crypto/prim.h"

size_t
ck_dh_pub_len(uint32_t group)
{
	const struct ck_dh_group *g = ck_dh_group(group);
	if (g == NULL)
		return 0;
	return g->kind == CK_DH_ECP ? 2 * g->len : g->len;
}

size_t
ck_dh_secret_len(uint32_t group)
{
	const struct ck_dh_group *g = ck_dh_group(group);
	return g != NULL ? g->len : 0;
}

/* A BIGNUM from a hex table entry. */
static BIGNUM *
bn_from_hex(const char *hex)
{
	uint8_t buf[CK_MAX_DH_SECRET];
	size_t n = ck_dh_unhex(hex, buf, sizeof(buf));
	return n > 0 ? BN_bin2bn(buf, (int)n, NULL) : NULL;
}

struct modp {
	BIGNUM *p, *g, *q;
};

static void
modp_free(struct modp *m)
{
	BN_free(m->p);
	BN_free(m->g);
	BN_free(m->q);
}

static int
modp_load(const struct ck_dh_group *grp, struct modp *m)
{
	memset(m, 0, sizeof(*m));
	m->p = bn_from_hex(grp->p);
	m->g = bn_from_hex(grp->g);
	if (grp->q != NULL)
		m->q = bn_from_hex(grp->q);
	if (m->p == NULL || m->g == NULL || (grp->q != NULL && m->q == NULL)) {
		modp_free(m);
		return ck_ossl_fail();
	}
	return CK_OK;
}

/* An EVP_PKEY for a MODP group with a private or a public value. */
static EVP_PKEY *
modp_pkey(const struct modp *m, const BIGNUM *priv, const BIGNUM *pub)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *pk = NULL;

	if (b == NULL || !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_P, m->p) ||
	    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_G, m->g) ||
	    (m->q != NULL && !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_Q, m->q)) ||
	    (priv != NULL && !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, priv)) ||
	    (pub != NULL && !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PUB_KEY, pub)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(b);
	pc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	if (params == NULL || pc == NULL || EVP_PKEY_fromdata_init(pc) != 1 ||
	    EVP_PKEY_fromdata(pc, &pk, priv != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
			      params) != 1)
		pk = NULL;
out:
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params); /* clears the private value (OSSL_PARAM_BLD) */
	OSSL_PARAM_BLD_free(b);
	return pk;
}

/* An EVP_PKEY on a named curve with a private scalar or a 0x04|x|y point. */
static EVP_PKEY *
ec_pkey(const char *curve, const BIGNUM *priv, const uint8_t *point, size_t pointlen)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *pk = NULL;

	if (b == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) ||
	    (priv != NULL && !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, priv)) ||
	    (point != NULL &&
	     !OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point, pointlen)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(b);
	pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (params == NULL || pc == NULL || EVP_PKEY_fromdata_init(pc) != 1 ||
	    EVP_PKEY_fromdata(pc, &pk, priv != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
			      params) != 1)
		pk = NULL;
out:
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	return pk;
}

/* Derive with a validated peer; MODP asks OpenSSL to left-pad. */
static int
derive(EVP_PKEY *mine, EVP_PKEY *peer, bool pad, uint8_t *out, size_t outsz, size_t *outlen)
{
	EVP_PKEY_CTX *dc = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
	size_t n = 0;
	int rc = CK_OK;

	if (dc == NULL || EVP_PKEY_derive_init(dc) != 1 ||
	    (pad && EVP_PKEY_CTX_set_dh_pad(dc, 1) != 1)) {
		rc = ck_ossl_fail();
		goto out;
	}
	/* set_peer checks the peer value (range, subgroup, point on curve). */
	if (EVP_PKEY_derive_set_peer(dc, peer) != 1) {
		(void)ck_ossl_fail();
		rc = CK_EINPUT;
		goto out;
	}
	if (EVP_PKEY_derive(dc, NULL, &n) != 1) {
		rc = ck_ossl_fail();
		goto out;
	}
	if (n > outsz) {
		rc = CK_EBUFFER;
		goto out;
	}
	if (EVP_PKEY_derive(dc, out, &n) != 1) {
		/* e.g. an all-zero X25519 result (RFC 7748 6.1) */
		(void)ck_ossl_fail();
		rc = CK_EINPUT;
		goto out;
	}
	*outlen = n;
out:
	EVP_PKEY_CTX_free(dc);
	return rc;
}

static int
modp_shared(const struct ck_dh_group *grp, const uint8_t *priv, size_t privlen, const uint8_t *peer,
	    size_t publen, uint8_t *secret, size_t secsz, size_t *seclen)
{
	struct modp m;
	BIGNUM *x = NULL, *y = NULL;
	EVP_PKEY *mine = NULL, *theirs = NULL;
	int rc;

	/* RFC 7296 3.4: the KE data is the value left-padded to the modulus
	 * length; accept it unpadded too, but never longer. */
	if (publen == 0 || publen > grp->len || privlen == 0 || privlen > grp->len)
		return CK_EINPUT;
	if (secsz < grp->len)
		return CK_EBUFFER;
	rc = modp_load(grp, &m);
	if (rc != CK_OK)
		return rc;
	x = BN_secure_new();
	y = BN_bin2bn(peer, (int)publen, NULL);
	if (x == NULL || y == NULL || BN_bin2bn(priv, (int)privlen, x) == NULL) {
		rc = ck_ossl_fail();
		goto out;
	}
	mine = modp_pkey(&m, x, NULL);
	theirs = modp_pkey(&m, NULL, y);
	if (mine == NULL) {
		rc = ck_ossl_fail();
		goto out;
	}
	if (theirs == NULL) {
		(void)ck_ossl_fail();
		rc = CK_EINPUT;
		goto out;
	}
	rc = derive(mine, theirs, true, secret, secsz, seclen);
	if (rc == CK_OK && *seclen != grp->len)
		rc = CK_EINTERNAL;
out:
	EVP_PKEY_free(mine);
	EVP_PKEY_free(theirs);
	BN_clear_free(x);
	BN_free(y);
	modp_free(&m);
	return rc;
}

static int
modp_public(const struct ck_dh_group *grp, const uint8_t *priv, size_t privlen, uint8_t *pub,
	    size_t pubsz, size_t *publen)
{
	struct modp m;
	BIGNUM *x = NULL, *y = NULL;
	BN_CTX *bc = NULL;
	int rc;

	if (privlen == 0 || privlen > grp->len)
		return CK_EINPUT;
	if (pubsz < grp->len)
		return CK_EBUFFER;
	rc = modp_load(grp, &m);
	if (rc != CK_OK)
		return rc;
	x = BN_secure_new();
	y = BN_new();
	bc = BN_CTX_secure_new();
	if (x == NULL || y == NULL || bc == NULL || BN_bin2bn(priv, (int)privlen, x) == NULL) {
		rc = ck_ossl_fail();
		goto out;
	}
	BN_set_flags(x, BN_FLG_CONSTTIME);
	/* g^x mod p, written left-padded to the modulus length */
	if (BN_mod_exp_mont_consttime(y, m.g, x, m.p, bc, NULL) != 1 ||
	    BN_bn2binpad(y, pub, (int)grp->len) != (int)grp->len) {
		rc = ck_ossl_fail();
		goto out;
	}
	*publen = grp->len;
out:
	BN_clear_free(x);
	BN_free(y);
	BN_CTX_free(bc);
	modp_free(&m);
	return rc;
}

static int
ecp_shared(const struct ck_dh_group *grp, const uint8_t *priv, size_t privlen, const uint8_t *peer,
	   size_t publen, uint8_t *secret, size_t secsz, size_t *seclen)
{
	uint8_t point[1 + 2 * 66];
	BIGNUM *x = NULL;
	EVP_PKEY *mine = NULL, *theirs = NULL;
	int rc;

	/* RFC 5903 7: KE data is x | y, each field-sized, no 0x04 prefix. */
	if (publen != 2 * grp->len || privlen == 0 || privlen > grp->len)
		return CK_EINPUT;
	if (secsz < grp->len)
		return CK_EBUFFER;
	point[0] = 0x04;
	memcpy(point + 1, peer, publen);
	x = BN_secure_new();
	if (x == NULL || BN_bin2bn(priv, (int)privlen, x) == NULL) {
		rc = ck_ossl_fail();
		goto out;
	}
	mine = ec_pkey(grp->name, x, NULL, 0);
	theirs = ec_pkey(grp->name, NULL, point, 1 + publen);
	if (mine == NULL) {
		rc = ck_ossl_fail();
		goto out;
	}
	if (theirs == NULL) {
		(void)ck_ossl_fail();
		rc = CK_EINPUT;
		goto out;
	}
	/* ECDH yields the x coordinate, padded to the field size (RFC 5903 7). */
	rc = derive(mine, theirs, false, secret, secsz, seclen);
	if (rc == CK_OK && *seclen != grp->len)
		rc = CK_EINTERNAL;
out:
	EVP_PKEY_free(mine);
	EVP_PKEY_free(theirs);
	BN_clear_free(x);
	return rc;
}

static int
ecp_public(const struct ck_dh_group *grp, const uint8_t *priv, size_t privlen, uint8_t *pub,
	   size_t pubsz, size_t *publen)
{
	uint8_t point[1 + 2 * 66];
	int nid = OBJ_sn2nid(grp->name);
	EC_GROUP *eg = NULL;
	EC_POINT *P = NULL;
	BIGNUM *x = NULL;
	BN_CTX *bc = NULL;
	size_t n;
	int rc = CK_OK;

	if (privlen == 0 || privlen > grp->len)
		return CK_EINPUT;
	if (pubsz < 2 * grp->len)
		return CK_EBUFFER;
	if (nid == NID_undef)
		return CK_EUNSUPPORTED;
	eg = EC_GROUP_new_by_curve_name(nid);
	bc = BN_CTX_secure_new();
	x = BN_secure_new();
	if (eg == NULL || bc == NULL || x == NULL || BN_bin2bn(priv, (int)privlen, x) == NULL ||
	    (P = EC_POINT_new(eg)) == NULL || EC_POINT_mul(eg, P, x, NULL, NULL, bc) != 1) {
		rc = ck_ossl_fail();
		goto out;
	}
	n = EC_POINT_point2oct(eg, P, POINT_CONVERSION_UNCOMPRESSED, point, sizeof(point), bc);
	if (n != 1 + 2 * grp->len || point[0] != 0x04) {
		rc = ck_ossl_fail();
		goto out;
	}
	memcpy(pub, point + 1, n - 1);
	*publen = n - 1;
out:
	EC_POINT_free(P);
	EC_GROUP_free(eg);
	BN_clear_free(x);
	BN_CTX_free(bc);
	return rc;
}

static int
mont_type(const struct ck_dh_group *grp)
{
	return grp->len == 32 ? EVP_PKEY_X25519 : EVP_PKEY_X448;
}

static int
mont_shared(const struct ck_dh_group *grp, const uint8_t *priv, size_t privlen, const uint8_t *peer,
	    size_t publen, uint8_t *secret, size_t secsz, size_t *seclen)
{
	EVP_PKEY *mine, *theirs;
	int rc;

	/* RFC 8031 2: the KE data is the 32- or 56-byte u coordinate. */
	if (privlen != grp->len || publen != grp->len)
		return CK_EINPUT;
	if (secsz < grp->len)
		return CK_EBUFFER;
	mine = EVP_PKEY_new_raw_private_key(mont_type(grp), NULL, priv, privlen);
	theirs = EVP_PKEY_new_raw_public_key(mont_type(grp), NULL, peer, publen);
	if (mine == NULL || theirs == NULL)
		rc = ck_ossl_fail();
	else
		rc = derive(mine, theirs, false, secret, secsz, seclen);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(theirs);
	return rc;
}

static int
mont_public(const struct ck_dh_group *grp, const uint8_t *priv, size_t privlen, uint8_t *pub,
	    size_t pubsz, size_t *publen)
{
	EVP_PKEY *mine;
	size_t n = pubsz;
	int rc = CK_OK;

	if (privlen != grp->len)
		return CK_EINPUT;
	if (pubsz < grp->len)
		return CK_EBUFFER;
	mine = EVP_PKEY_new_raw_private_key(mont_type(grp), NULL, priv, privlen);
	if (mine == NULL || EVP_PKEY_get_raw_public_key(mine, pub, &n) != 1)
		rc = ck_ossl_fail();
	else
		*publen = n;
	EVP_PKEY_free(mine);
	return rc;
}

int
ck_dh_shared(uint32_t group, const uint8_t *priv, size_t privlen, const uint8_t *peer_pub,
	     size_t publen, uint8_t *secret, size_t secsz, size_t *seclen)
{
	const struct ck_dh_group *g = ck_dh_group(group);
	size_t dummy;
	int rc;

	if (g == NULL)
		return CK_EUNSUPPORTED;
	if (priv == NULL || peer_pub == NULL || secret == NULL)
		return CK_EINPUT;
	if (seclen == NULL)
		seclen = &dummy;
	switch (g->kind) {
	case CK_DH_MODP:
		rc = modp_shared(g, priv, privlen, peer_pub, publen, secret, secsz, seclen);
		break;
	case CK_DH_ECP:
		rc = ecp_shared(g, priv, privlen, peer_pub, publen, secret, secsz, seclen);
		break;
	case CK_DH_MONT:
		rc = mont_shared(g, priv, privlen, peer_pub, publen, secret, secsz, seclen);
		break;
	default:
		rc = CK_EUNSUPPORTED;
		break;
	}
	if (rc != CK_OK)
		ck_wipe(secret, secsz);
	return rc;
}

int
ck_dh_public(uint32_t group, const uint8_t *priv, size_t privlen, uint8_t *pub, size_t pubsz,
	     size_t *publen)
{
	const struct ck_dh_group *g = ck_dh_group(group);
	size_t dummy;

	if (g == NULL)
		return CK_EUNSUPPORTED;
	if (priv == NULL || pub == NULL)
		return CK_EINPUT;
	if (publen == NULL)
		publen = &dummy;
	switch (g->kind) {
	case CK_DH_MODP:
		return modp_public(g, priv, privlen, pub, pubsz, publen);
	case CK_DH_ECP:
		return ecp_public(g, priv, privlen, pub, pubsz, publen);
	case CK_DH_MONT:
		return mont_public(g, priv, privlen, pub, pubsz, publen);
	default:
		return CK_EUNSUPPORTED;
	}
}
