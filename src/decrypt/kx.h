/*
 * kx.h - decryption as the tracker sees it.
 *
 * The tracker hands each IKE message of an SA to kx_ike(); with keys in the
 * store (src/keys) or derivable from them (PSK + DH secret, DH private value
 * + the peer's KE from the capture), kx decrypts it in place (IKEv1 body,
 * IKEv2 SK/SKF inner chains parsed into the per-packet arena), checks what
 * can be checked (IKEv1 HASH_I/HASH_R, IKEv2 PSK AUTH), and derives the
 * keys of the IPsec SAs it sees negotiated.  ESP packets then decrypt with
 * kx_esp().  Per-SA state hangs off tk_sa.kx and tk_flow.kx.
 *
 * Never silent: when a message cannot be decrypted, m->decrypt_error says
 * why (no key for this SA, a KE message missing from the capture, a key of
 * the wrong length, an ICV mismatch, a payload chain that does not parse).
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
enum tk_label;

/* Decrypt what can be decrypted in m.  `label` is the tracker's place of the
 * message; `retx` says it repeats an earlier message (same bytes: same IV). */
void kx_ike(struct kx_store *ks, struct tk_sa *sa, const struct cap_frame *f, struct ike_msg *m,
	    struct arena *ar, enum tk_label label, bool retx, uint8_t from);
void kx_sa_free(void *kx);

/* What decrypting one ESP packet gave. */
struct kx_esp_result {
	bool tried; /* a key was found for the SPI */
	bool decrypted;
	bool icv_checked, icv_ok;
	const char *error;    /* why not, when tried && !decrypted */
	const uint8_t *plain; /* the inner packet (valid until the next call) */
	size_t plain_len;
	uint8_t next_header; /* 4 IPv4, 41 IPv6, ... */
};
void kx_esp(struct kx_store *ks, struct tk_flow *fl, const struct cap_frame *f,
	    struct kx_esp_result *r);
void kx_flow_free(void *kx);
/* The inner packet in one line: "ICMP echo request 10.1.0.1 -> 10.2.0.1 id 5
 * seq 1" (made only where a packet line or record shows it). */
void kx_esp_summary(const struct kx_esp_result *r, char *out, size_t len);
/* Free what decryption derived and counted (the store's runtime part). */
void kx_rt_free(struct kx_store *ks);

/* Counters for the end-of-run summary (no secrets). */
struct kx_stats {
	uint64_t ike_decrypted, ike_failed, esp_decrypted, esp_failed, esp_derived_keys;
	unsigned hash_checked, hash_ok;
};
void kx_get_stats(const struct kx_store *ks, struct kx_stats *st);

#endif
