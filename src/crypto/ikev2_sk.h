/*
 * ikev2_sk.h - opening an IKEv2 Encrypted payload (SK, RFC 7296 3.14) or
 * Encrypted Fragment payload (SKF, RFC 7383 2.5) inside a whole IKE message.
 *
 *   SK:   | next | C | len    | IV | ciphertext (payloads | padding | pad len) | ICV |
 *   SKF:  | next | C | len    | frag number | total | IV | ciphertext ... | ICV |
 *
 * Integrity: for a separate INTEG transform the ICV covers the message from
 * the IKE header to the end of the ciphertext (3.14); for an AEAD cipher
 * the AAD is the IKE header through the end of the SK (or SKF, with its
 * number and total) payload header, the IV excluded (RFC 5282 5.1, RFC 7383
 * 2.5).  The ICV is checked before anything is decrypted.
 */
#ifndef IKELENS_CRYPTO_IKEV2_SK_H
#define IKELENS_CRYPTO_IKEV2_SK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/crypto/prim.h"

struct ck_sk_plain {
	size_t len;	      /* bytes of inner payloads at the start of `out` */
	uint8_t pad_len;      /* the Pad Length octet */
	uint8_t next_payload; /* from the SK/SKF header: the first inner payload (or 0 for a
				 non-first fragment, RFC 7383 2.5) */
	uint16_t frag_num;    /* SKF only (0 for SK) */
	uint16_t frag_total;  /* SKF only (0 for SK) */
};

/*
 * msg/msglen: the whole IKE message as received (IKE header first);
 * sk_off/sk_len: where the SK payload starts and its length, generic header
 * included (the header's own length field must agree).  ctx: the sender's
 * direction (SK_ei/SK_ai for messages from the original initiator, SK_er/
 * SK_ar otherwise).  out receives the plaintext; outsz must hold the whole
 * ciphertext.  verify_icv false decrypts without checking (a key file that
 * lacks the integrity key).  Errors: CK_EAUTH (ICV), CK_EINPUT (lengths,
 * or a pad length longer than the plaintext), CK_EBUFFER.
 */
int ck_v2_sk_open(struct ck_ctx *ctx, const uint8_t *msg, size_t msglen, size_t sk_off,
		  size_t sk_len, bool verify_icv, uint8_t *out, size_t outsz,
		  struct ck_sk_plain *res);
int ck_v2_skf_open(struct ck_ctx *ctx, const uint8_t *msg, size_t msglen, size_t skf_off,
		   size_t skf_len, bool verify_icv, uint8_t *out, size_t outsz,
		   struct ck_sk_plain *res);

/*
 * The same from transform ids and keys, for a one-off message: ekey is
 * SK_e (cipher key | salt), akey is SK_a (NULL/0 with an AEAD cipher).
 * Always verifies.  skf selects the SKF layout.
 */
int ck_v2_sk_open_keys(uint32_t encr, const uint8_t *ekey, size_t eklen, uint32_t integ,
		       const uint8_t *akey, size_t aklen, const uint8_t *msg, size_t msglen,
		       size_t sk_off, size_t sk_len, bool skf, uint8_t *out, size_t outsz,
		       struct ck_sk_plain *res);

#endif
