/*
 * keys.h - key material from the user, in every form users have it, as one
 * store the decryption layer reads.
 *
 * Formats (recognised from content, not from file names; one file may not
 * mix formats, but --keys may be given many times):
 *  - Wireshark UAT files, exactly as tshark 4.x reads them:
 *      ikev1_decryption_table  icookie_hex,Ka_hex
 *      ikev2_decryption_table  SPIi,SPIr,SK_ei,SK_er,"ENCR alg",SK_ai,SK_ar,"INTEG alg"
 *      esp_sa                  "IPv4","src","dst","0xSPI","ENC alg","0xkey","AUTH alg","0xkey"
 *    (strongSwan's save-keys plugin writes these too, with its own spellings)
 *  - strongSwan charon logs at level 4 (text, and the filelog "json = yes" form)
 *  - libreswan's tcpdump-style IKEv2 key lines (ikev2 I|R 0xSPIi 0xSPIr prf:0x.. enc:0x..)
 *  - tcpdump -E ESP secrets (0xSPI@addr alg:0xkey[:0xauthkey])
 *  - `ip xfrm state` output
 *  - PSK files (--psk-file): "SECRET", or "ADDRESS SECRET", or "ID SECRET" per line
 *  - the native file (ikelens-keys): what the others cannot say
 *      ikev1 ICOOKIE RCOOKIE dh-secret 0xHEX
 *      ikev1 ICOOKIE RCOOKIE last-block 0xHEX    (last CBC block of phase 1, for quick mode)
 *      ikev2 SPII SPIR dh-secret 0xHEX
 *      dh-private ADDRESS GROUP 0xHEX           (one side's DH private value)
 *      psk ADDRESS|ID SECRET
 *
 * Secrets live only here, in memory: never printed, never logged, wiped by
 * keys_free().  A key file readable by group or others earns a warning.
 */
#ifndef IKELENS_KEYS_H
#define IKELENS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/addr.h"

struct cli;

#define KX_MAX_KEY 128 /* bytes: any cipher/MAC/prf key or SKEYID */
#define KX_MAX_DH 1024 /* bytes: MODP 8192 shared secret */

struct kx_bytes {
	uint8_t b[KX_MAX_KEY];
	uint16_t n; /* 0 = absent */
};

/* IKEv1 SA: from the Wireshark table (icookie + Ka), charon logs (cookies,
 * g^xy, SKEYID..., Ka), the native file (g^xy, last block). */
struct kx_ike1 {
	uint8_t icookie[8], rcookie[8];
	bool have_rcookie;
	struct kx_bytes ka; /* the cipher key (not SKEYID_e) */
	struct kx_bytes skeyid, skeyid_d, skeyid_a, skeyid_e;
	uint8_t gxy[KX_MAX_DH];
	uint16_t gxy_len;
	struct kx_bytes last_block; /* last CBC block of phase 1 (native) */
	struct kx_bytes iv;	    /* an explicit IV (charon logs print them) */
	const char *origin;	    /* "file:line", for messages (no secret in it) */
};

/* IKEv2 SA: Wireshark table (SK_e/SK_a + algorithms), charon logs (all SK_*,
 * g^ir), libreswan key lines, native file (g^ir). */
struct kx_ike2 {
	uint8_t spii[8], spir[8];
	bool have_spir;
	uint32_t encr; /* IKEv2 ENCR id, 0 = unknown */
	uint16_t key_bits;
	uint32_t integ; /* IKEv2 INTEG id (0 = none/AEAD), or unknown */
	bool algs_known;
	struct kx_bytes sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
	uint8_t gir[KX_MAX_DH];
	uint16_t gir_len;
	const char *origin;
	/* keys of an IKE SA made by rekeying another (a charon log names it
	 * only by the old SA's context): index of that SA's entry, and whether
	 * this entry still waits for its own SPIs (keys_ike2_rekeyed) */
	int rekey_parent; /* with rekey_pending */
	bool rekey_pending;
};

/* One ESP (or AH) SA direction. */
struct kx_esp {
	uint32_t spi;
	struct addr src, dst; /* af 0 = any */
	uint8_t proto;	      /* 50 ESP, 51 AH */
	uint32_t encr;	      /* IKEv2 ENCR id (ENCR_NULL 11), 0 = unknown */
	uint16_t key_bits;
	struct kx_bytes ekey; /* cipher key followed by the salt where the mode has one */
	uint32_t integ;	      /* IKEv2 INTEG id or a private NT_INTEG_* id; 0 = none */
	struct kx_bytes akey;
	uint16_t icv_len; /* bytes of ICV on the wire (0 = from integ) */
	bool esn;
	bool udp_encap;
	uint16_t sport, dport;
	const char *origin;
};

/* A pre-shared key, for a peer address, an identity, or any peer. */
struct kx_psk {
	struct addr peer; /* af 0 = not by address */
	char id[256];	  /* "" = not by identity */
	uint8_t secret[256];
	uint16_t len;
	const char *origin;
};

/* One side's DH private value (native), matched to a KE payload later. */
struct kx_dhpriv {
	struct addr addr;
	uint16_t group;
	uint8_t priv[KX_MAX_DH];
	uint16_t len;
	const char *origin;
};

struct kx_store {
	struct kx_ike1 *ike1;
	unsigned nike1, capike1;
	struct kx_ike2 *ike2;
	unsigned nike2, capike2;
	struct kx_esp *esp;
	unsigned nesp, capesp;
	struct kx_psk *psk;
	unsigned npsk, cappsk;
	struct kx_dhpriv *dhpriv;
	unsigned ndhpriv, capdhpriv;
	/* origins ("file:line") live here */
	char **strings;
	unsigned nstrings, capstrings;
	unsigned files; /* files loaded */
	void *runtime;	/* the decryption layer's own state */
};

/* Loads every --keys file, --psk and --psk-file of c.  Returns NULL with
 * one line in err (file, line, what is wrong, what was expected) on an
 * unreadable or unrecognised file.  Warnings (group/world-readable key
 * file, --psk on the command line, ignored lines) go to stderr. */
struct kx_store *keys_load(const struct cli *c, char *err, size_t errlen);

/* The same for one file, into an existing store (tests, the TUI). */
int keys_load_file(struct kx_store *ks, const char *path, char *err, size_t errlen);
/* Parse a whole buffer as if it were a file named `name`. */
int keys_load_buffer(struct kx_store *ks, const char *name, const char *buf, size_t len, char *err,
		     size_t errlen);
struct kx_store *keys_new(void);
/* Wipes every secret and frees the store. */
void keys_free(struct kx_store *ks);

/* Lookups (NULL when absent).  A rcookie/spir of all zero bytes matches any. */
const struct kx_ike1 *keys_ike1(const struct kx_store *ks, const uint8_t icookie[8],
				const uint8_t rcookie[8]);
/* An IKE SA (old SPIs) was rekeyed to new SPIs: the keys logged for the
 * rekey, waiting without SPIs, take the new ones.  True when there were
 * such keys. */
bool keys_ike2_rekeyed(struct kx_store *ks, const uint8_t old_i[8], const uint8_t old_r[8],
		       const uint8_t new_i[8], const uint8_t new_r[8]);
const struct kx_ike2 *keys_ike2(const struct kx_store *ks, const uint8_t spii[8],
				const uint8_t spir[8]);
const struct kx_esp *keys_esp(const struct kx_store *ks, uint32_t spi, const struct addr *src,
			      const struct addr *dst);
/* PSK for a peer: by identity first, then address, then a key for any peer.
 * `nth` walks the candidates (0, 1, ...) for trying each. */
const struct kx_psk *keys_psk(const struct kx_store *ks, const struct addr *peer, const char *id,
			      unsigned nth);
const struct kx_dhpriv *keys_dhpriv(const struct kx_store *ks, const struct addr *a, uint16_t group,
				    unsigned nth);

/* Short description of what was loaded, without any secret: "2 IKEv1 SAs,
 * 3 IKEv2 SAs, 4 ESP SAs, 1 PSK from 2 files". */
void keys_summary(const struct kx_store *ks, char *buf, size_t len);

#endif
