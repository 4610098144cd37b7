/* kx_int.h - the decryption layer's own state (src/decrypt only). */
#ifndef IKELENS_KX_INT_H
#define IKELENS_KX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/crypto/ikev1_kdf.h"
#include "src/crypto/ikev2_kdf.h"
#include "src/decrypt/kx.h"
#include "src/keys/keys.h"

/* Bytes the layer owns (wiped when freed). */
struct kx_blob {
	uint8_t *p;
	size_t n;
};

#define KX_MAX_SENT 32
#define KX_MAX_MID 16
#define KX_MAX_QM 8
#define KX_MAX_CHILD 8
#define KX_MAX_FRAGS 64

struct kx_sent { /* the IV a message was decrypted with */
	bool used;
	uint64_t hash;
	uint8_t iv[16];
};

struct kx_mid { /* the running IV of an IKEv1 exchange */
	bool used;
	uint32_t msgid;
	uint8_t iv[16];
};

struct kx_qm { /* an IKEv1 quick mode */
	bool used, keyed, pfs, have_xform;
	uint32_t msgid;
	uint8_t init; /* tk_side that sent QM1 */
	struct kx_blob ni, nr;
	uint8_t proto;
	uint8_t spi[2][4]; /* [0] chosen by the quick mode's initiator, [1] by its responder */
	bool have_spi[2];
	uint32_t encr, integ;
	unsigned key_bits;
};

struct kx_child { /* an IKEv2 CHILD SA negotiation */
	bool used, keyed, pfs, have_xform, esn;
	uint8_t exch;
	uint32_t msgid;
	uint8_t init;	       /* tk_side that sent the request */
	struct kx_blob ni, nr; /* views (not owned): the nonces that key it */
	struct kx_blob own_ni, own_nr;
	bool owns_nonces;
	uint8_t proto;
	uint8_t spi[2][4]; /* [0] the requester's, [1] the responder's */
	bool have_spi[2];
	uint32_t encr, integ;
	unsigned key_bits;
};

struct kx_frag { /* IKEv2 SKF reassembly, one per direction */
	bool active;
	uint32_t msgid;
	uint16_t total, got;
	uint8_t first_inner;
	struct kx_blob part[KX_MAX_FRAGS];
};

struct kx_sa {
	int version;
	bool algs, keys_tried, have_keys;
	uint32_t encr, prf, integ;
	unsigned key_bits;
	size_t keylen, block;
	int32_t auth_method, group;

	/* cleartext material */
	struct kx_blob sai_b, gxi, gxr, ni, nr, idi_b, idr_b, init_req, init_resp, hash_r_clear;
	struct kx_blob gxy; /* g^xy / g^ir */

	/* IKEv1 */
	struct ck_v1_keys v1;
	bool have_skeyid, have_d, have_a, derive_psk, phase1_clear;
	uint8_t ka[64];
	size_t ka_len;
	uint8_t p1_iv[16], mm_iv[16], last_p1[16];
	bool have_p1_iv, have_mm_iv, have_last_p1;
	struct kx_sent sent[KX_MAX_SENT];
	unsigned nsent;
	struct kx_mid mid[KX_MAX_MID];
	unsigned nmid;
	struct kx_qm qm[KX_MAX_QM];
	unsigned nqm;

	/* IKEv2 */
	struct ck_v2_keys v2;
	bool have_p, check_icv;
	struct ck_ctx *ctx[2]; /* [0] the original initiator's keys, [1] the responder's */
	struct kx_frag frag[2];
	struct kx_child child[KX_MAX_CHILD];
	unsigned nchild;
};

/* The runtime part of a key store: keys derived from the capture, counters. */
struct kx_rt {
	struct kx_esp *esp;
	unsigned nesp, capesp;
	struct kx_stats st;
	uint8_t *buf; /* ESP plaintext */
	size_t bufcap;
};

/*
 * An integrity id from a key file as the crypto layer takes it.  Wireshark's
 * "ANY n bits, no checking" (NT_INTEG_ANY) names no algorithm: a real one of
 * the same ICV length stands in, so the ICV is stepped over and not checked
 * (the context gets no key).  *check is false then.  0 when nothing fits.
 */
uint32_t kx_integ_for_crypto(uint32_t integ, bool *check);

struct kx_rt *kx_rt_get(struct kx_store *ks);
void kx_rt_add_esp(struct kx_store *ks, const struct kx_esp *e);

#endif
