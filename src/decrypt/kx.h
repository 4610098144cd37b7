/*
 * kx.h - decryption as the tracker sees it: a key store loaded from the
 * user's key material, asked to decrypt each IKE message and ESP packet of
 * the SAs it has keys for.  Per-SA crypto state hangs off tk_sa.kx and
 * tk_flow.kx and is freed with them.
 */
#ifndef IKELENS_KX_H
#define IKELENS_KX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/arena.h"
#include "dissect/ike.h"
#include "src/capture/capture.h"

struct kx_store;
struct tk_sa;
struct tk_flow;

/* Decrypt what can be decrypted in m (IKEv1 body, IKEv2 SK/SKF inner
 * chains), parsing the plaintext into `ar`.  Never fails loudly: an SA without
 * keys is left alone. */
void kx_ike(struct kx_store *ks, struct tk_sa *sa, const struct cap_frame *f, struct ike_msg *m,
	    struct arena *ar);
void kx_sa_free(void *kx);

#endif
