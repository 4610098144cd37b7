/*
 * names.h - every enumerated protocol value and its names, in one place.
 *
 * Two names per value:
 *  - nt_name():  the contract name (CONTRACT.md): the IANA registry name,
 *    upper case, hyphens and spaces turned into underscores
 *    ("NO_PROPOSAL_CHOSEN", "ENCR_AES_CBC", "IDENTITY_PROTECTION").  For
 *    payload types it is the short name the contract lists ("SA", "NAT-D",
 *    "IDi", "SK").  NULL when the value has no name.
 *  - nt_short(): a short human form for one-line output ("AES-CBC", "SHA2-256",
 *    "MODP2048", "PSK", "R-U-THERE").  Falls back to nt_name(); NULL when the
 *    value has no name.
 * Callers print an unnamed value as its decimal number (never a blank).
 */
#ifndef IKELENS_NAMES_H
#define IKELENS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nt {
	/* ISAKMP / IKEv1 (RFC 2407, 2408, 2409, 3947, IANA "ISAKMP Identifiers",
	 * "Internet Key Exchange (IKE) Attributes", "IPsec DOI") */
	NT_V1_EXCH,    /* exchange types: IDENTITY_PROTECTION, QUICK_MODE, ... */
	NT_V1_PAYLOAD, /* SA P T KE ID CERT CR HASH SIG NONCE N D VID ATTR SAK NAT-D NAT-OA FRAG */
	NT_V1_NOTIFY,  /* notify message types incl. status 16384.. and R-U-THERE */
	NT_V1_DOI,     /* 0 ISAKMP, 1 IPSEC, 2 GDOI */
	NT_V1_PROTO,   /* protocol IDs: PROTO_ISAKMP, PROTO_IPSEC_AH, ... */
	NT_V1_XFORM_ISAKMP, /* transform IDs for PROTO_ISAKMP: KEY_IKE */
	NT_V1_XFORM_AH,	    /* AH transform IDs */
	NT_V1_XFORM_ESP,    /* ESP transform IDs: ESP_3DES, ESP_AES, ESP_AES_GCM_16 ... */
	NT_V1_XFORM_IPCOMP, /* IPCOMP transform IDs */
	NT_V1_P1_ATTR,	    /* phase-1 attribute classes (RFC 2409 App. A) */
	NT_V1_P1_ENCR,	    /* class 1 values */
	NT_V1_P1_HASH,	    /* class 2 values */
	NT_V1_P1_AUTH,	    /* class 3 values, incl. XAUTH/hybrid 64221.. and 65001.. */
	NT_V1_GROUP_TYPE,   /* class 5 values */
	NT_V1_LIFE_TYPE,    /* class 11 / IPsec attr 1 values: SECONDS, KILOBYTES */
	NT_V1_P2_ATTR,	    /* IPsec DOI SA attributes (RFC 2407 4.5 and later) */
	NT_V1_P2_AUTH,	    /* IPsec attr 5 (authentication algorithm) values */
	NT_V1_ENCAP,	    /* IPsec attr 4 values, incl. RFC 3947 and draft 61443/61444 */
	NT_V1_ID,	    /* IPsec DOI identification types */
	NT_V1_CFG_TYPE,	    /* ISAKMP_CFG_REQUEST/REPLY/SET/ACK */
	NT_V1_CFG_ATTR,	    /* mode-config, XAUTH and Cisco Unity attribute types */
	NT_V1_XAUTH_TYPE,   /* XAUTH-TYPE values */

	/* IKEv2 (RFC 7296 and IANA "Internet Key Exchange Version 2 (IKEv2) Parameters") */
	NT_V2_EXCH,    /* IKE_SA_INIT, IKE_AUTH, ... IKE_INTERMEDIATE, IKE_FOLLOWUP_KE */
	NT_V2_PAYLOAD, /* SA KE IDi IDr CERT CERTREQ AUTH NONCE N D V TSi TSr SK CP EAP GSPM SKF PS
			  ... */
	NT_V2_NOTIFY,  /* every IANA notify type, errors and status */
	NT_V2_PROTO,   /* IKE, AH, ESP, ... */
	NT_V2_XFORM_TYPE, /* ENCR, PRF, INTEG, KE, ESN, ADDKE1..ADDKE7 */
	NT_V2_ENCR,	  /* ENCR_* */
	NT_V2_PRF,	  /* PRF_* */
	NT_V2_INTEG,	  /* AUTH_* (integrity) */
	NT_V2_ESN,	  /* transform type 5 */
	NT_V2_XFORM_ATTR, /* transform attribute types: KEY_LENGTH */
	NT_V2_AUTH,	  /* authentication methods */
	NT_V2_ID,	  /* ID types */
	NT_V2_TS,	  /* traffic selector types */
	NT_V2_CFG_TYPE,	  /* CFG_REQUEST, CFG_REPLY, CFG_SET, CFG_ACK */
	NT_V2_CFG_ATTR,	  /* configuration attribute types */
	NT_V2_HASH,	  /* SIGNATURE_HASH_ALGORITHMS (RFC 7427) */
	NT_V2_GW_ID,	  /* REDIRECT gateway identity types (RFC 5685) */
	NT_V2_IPCOMP,	  /* IPCOMP_SUPPORTED transform IDs */

	/* shared */
	NT_GROUP,    /* DH / KE groups: IKEv1 group description = IKEv2 transform type 4 */
	NT_CERT_ENC, /* certificate encodings (IKEv1 and IKEv2 share the registry) */
	NT_EAP_CODE, /* 1 Request, 2 Response, 3 Success, 4 Failure */
	NT_EAP_TYPE, /* EAP method types */
	NT_IP_PROTO, /* IP protocol numbers in IDs and TS: TCP, UDP, ICMP ... */

	NT_COUNT
};

const char *nt_name(enum nt table, uint32_t value);
const char *nt_short(enum nt table, uint32_t value);

/* The name of a table, for messages ("IKEv2 notify type"). */
const char *nt_table_name(enum nt table);

/*
 * Notify types: IKEv1 and IKEv2 both say 0..16383 are errors and 16384..65535
 * status (IKEv1 RFC 2408 3.14.1; IKEv2 RFC 7296 3.10.1).
 */
static inline bool
nt_notify_is_error(uint32_t type)
{
	return type > 0 && type < 16384;
}

/*
 * Known key lengths and block/IV sizes that name lookups alone cannot say.
 * For IKEv2 ENCR ids: the ICV length of an AEAD (0 if not AEAD), the IV
 * length on the wire, the block size.  Returns false for an unknown id.
 */
struct nt_encr_info {
	uint16_t iv_len;    /* bytes of IV in an SK payload / ESP packet */
	uint16_t block_len; /* the cipher's own block (padding unit); 1 for CTR and the AEAD
			     * modes (GCM, CCM, ChaCha20-Poly1305): callers add ESP's 4-byte
			     * alignment (RFC 4303 2.4) themselves */
	uint16_t icv_len;   /* AEAD ICV bytes, 0 if not AEAD */
	uint16_t
	    salt_len; /* key material bytes beyond the cipher key (GCM/CTR/ChaCha: 4, CCM: 3) */
	uint16_t fixed_key_bits; /* key length when the transform has no KEY_LENGTH attribute (3DES:
				    192), else 0 */
	bool aead;
};
bool nt_v2_encr_info(uint32_t encr_id, struct nt_encr_info *out);

/*
 * IKEv2 INTEG id: ICV length in bytes, key length in bytes; false if unknown.
 * For the GMAC ids (9-11) key_len counts the 4-byte salt that follows the AES
 * key in the keying material (RFC 4543 3.2): 20, 28, 36.
 */
bool nt_v2_integ_info(uint32_t integ_id, uint16_t *icv_len, uint16_t *key_len);

/*
 * Private INTEG ids for integrity algorithms that key files name but the IANA
 * IKEv2 registry has no id for.  They are above 65535, so no wire value can
 * collide with them; nt_name() has no name for them.
 *  - HMAC-SHA-256 truncated to 96 bits (draft-ietf-ipsec-ciph-sha-256-00; what
 *    Linux calls plain "hmac(sha256)" and old KAME stacks sent): 0x10000 + 12,
 *    12 being the id of its RFC 4868 128-bit sibling.
 *  - HMAC-RIPEMD-160-96 (RFC 2857; IKEv1 authentication algorithm 8).
 *  - NT_INTEG_ANY(bits): "some ICV of this many bits, not checked" (Wireshark's
 *    "ANY 96 bit authentication [no checking]"); key length 0.
 */
#define NT_INTEG_HMAC_SHA2_256_96 0x1000Cu
#define NT_INTEG_HMAC_RIPEMD160_96 0x10100u
#define NT_INTEG_ANY_BASE 0x20000u
#define NT_INTEG_ANY(bits) (NT_INTEG_ANY_BASE + (uint32_t)(bits))

/*
 * Wireshark's key-table algorithm strings (tshark 4.x UAT files), beside the
 * ids they stand for, so key importers and exporters cannot drift.
 *  - IKEv2 table, encryption column: "AES-CBC-256 [RFC3602]" -> ENCR id 12, 256
 *  - IKEv2 table, integrity column: "HMAC_SHA2_256_128 [RFC4868]" -> INTEG id 12
 *  - esp_sa, encryption column: "AES-CBC [RFC3602]" -> ENCR id 12 (key length from the key)
 *  - esp_sa, authentication column: "HMAC-SHA-1-96 [RFC2404]" -> INTEG id 2
 * Lookups ignore surrounding quotes/space and are exact otherwise; they return
 * false for an unknown string.  key_bits is 0 when the string does not fix it.
 * The reverse functions give the string for an id (NULL if Wireshark has none).
 */
bool nt_ws_ikev2_encr(const char *s, uint32_t *encr_id, uint16_t *key_bits);
bool nt_ws_ikev2_integ(const char *s, uint32_t *integ_id);
bool nt_ws_esp_encr(const char *s, uint32_t *encr_id, uint16_t *key_bits);
bool nt_ws_esp_integ(const char *s, uint32_t *integ_id);
const char *nt_ws_ikev2_encr_str(uint32_t encr_id, uint16_t key_bits);
const char *nt_ws_ikev2_integ_str(uint32_t integ_id);
const char *nt_ws_esp_encr_str(uint32_t encr_id, uint16_t key_bits);
const char *nt_ws_esp_integ_str(uint32_t integ_id);

/*
 * IKEv1 values mapped onto the IKEv2 ids used by the crypto layer (one
 * enumeration of algorithms for the whole program).  Return false when there
 * is no equivalent.
 *  - phase-1 encryption attribute value (+ key length) -> IKEv2 ENCR id
 *  - phase-1 hash attribute value -> IKEv2 PRF id (HMAC with that hash)
 *  - ESP transform id -> IKEv2 ENCR id
 *  - IPsec authentication algorithm attribute -> IKEv2 INTEG id
 */
bool nt_v1_p1_encr_to_v2(uint32_t v1_encr, uint32_t *encr_id);
bool nt_v1_hash_to_v2_prf(uint32_t v1_hash, uint32_t *prf_id);
bool nt_v1_esp_to_v2_encr(uint32_t esp_transform, uint32_t *encr_id);
bool nt_v1_p2_auth_to_v2_integ(uint32_t v1_auth, uint32_t *integ_id);

#endif
