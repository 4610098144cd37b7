/*
 * ikev1_crypt.h - IKEv1 message encryption (RFC 2409 Appendix B, RFC 2408
 * 3.1/5.2): CBC over everything after the ISAKMP header, no integrity, IVs
 * chained from message to message.  Decrypting one message gives its
 * plaintext and the last ciphertext block, which is the IV of the next
 * message in the same exchange (and, for the last phase-1 message, the
 * input of every phase-2 IV: ck_v1_iv_phase2).
 */
#ifndef IKELENS_CRYPTO_IKEV1_CRYPT_H
#define IKELENS_CRYPTO_IKEV1_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "src/crypto/prim.h"

/*
 * encr: a CBC transform (CK_ENCR_DES, CK_ENCR_3DES, CK_ENCR_AES_CBC); ka the
 * phase-1 encryption key (ck_v1_enc_key); iv one block; ct the message body
 * after the 28-byte header, a whole number of blocks.  out (may be ct
 * itself) receives the plaintext, padding included: IKEv1 has no pad-length
 * octet everyone agrees on, the payload chain says where the data ends.
 * next_iv (block-sized) receives the last ciphertext block.
 */
int ck_v1_decrypt(uint32_t encr, const uint8_t *ka, size_t kalen, const uint8_t *iv, size_t ivlen,
		  const uint8_t *ct, size_t ctlen, uint8_t *out, uint8_t *next_iv,
		  size_t next_iv_sz);

#endif
