/*
 * dh_groups.h - the Diffie-Hellman groups IKE negotiates, by their IANA
 * "Transform Type 4" number: MODP groups as the published primes (a table
 * of facts in dh_groups.c), elliptic curves by their OpenSSL names.
 */
#ifndef IKELENS_CRYPTO_DH_GROUPS_H
#define IKELENS_CRYPTO_DH_GROUPS_H

#include <stddef.h>
#include <stdint.h>

enum ck_dh_kind {
	CK_DH_MODP = 1, /* RFC 2409, RFC 3526, RFC 5114 */
	CK_DH_ECP,	/* RFC 5903, RFC 5114, RFC 6954 (brainpool) */
	CK_DH_MONT,	/* Curve25519, Curve448 (RFC 8031) */
};

struct ck_dh_group {
	uint32_t id;
	enum ck_dh_kind kind;
	size_t len;	  /* modulus or field size in bytes */
	const char *name; /* OpenSSL curve name (ECP, MONT); NULL for MODP */
	const char *p;	  /* MODP prime, hex with spaces as printed in the RFC */
	const char *g;	  /* MODP generator, hex */
	const char *q;	  /* MODP subgroup order (RFC 5114 groups), else NULL */
	const char *rfc;  /* where the group is defined */
};

/* The group for an IKE DH id, NULL if not supported. */
const struct ck_dh_group *ck_dh_group(uint32_t id);

/*
 * Hex (spaces and other separators ignored) to big-endian bytes; returns the
 * byte count, 0 on an odd digit count or if out is too small.
 */
size_t ck_dh_unhex(const char *hex, uint8_t *out, size_t outsz);

#endif
