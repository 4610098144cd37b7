/*
 * ike.h - ISAKMP / IKEv1 / IKEv2 messages as plain structs.
 *
 * ike_parse() validates the ISAKMP header and walks the payload chain of one
 * message; each payload is checked for structure first (lengths, counts,
 * nesting) and only then given meaning.  A payload that lies about a length
 * becomes an anomaly with its offset; the walk goes on where it safely can.
 *
 * Everything points into the caller's message bytes or into an arena the
 * caller resets per packet: no allocation per packet once the arena has grown
 * to the largest message seen, nothing kept after the packet is done.
 */
#ifndef IKELENS_IKE_H
#define IKELENS_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/arena.h"

#define IKE_HDR_LEN 28
#define IKE_SPI_LEN 8

/* Header flags (RFC 2408 3.1, RFC 7296 3.1). */
enum {
	IKE_V1_FLAG_E = 0x01, /* encryption */
	IKE_V1_FLAG_C = 0x02, /* commit */
	IKE_V1_FLAG_A = 0x04, /* authentication only */
	IKE_V2_FLAG_I = 0x08, /* initiator (of the IKE SA) */
	IKE_V2_FLAG_V = 0x10, /* version: can speak a higher major version */
	IKE_V2_FLAG_R = 0x20, /* response */
};

/* IKEv1 payload types (RFC 2408 3.1, RFC 3947, draft NAT-T, vendor). */
enum {
	IKE1_NONE = 0,
	IKE1_SA = 1,
	IKE1_P = 2,
	IKE1_T = 3,
	IKE1_KE = 4,
	IKE1_ID = 5,
	IKE1_CERT = 6,
	IKE1_CR = 7,
	IKE1_HASH = 8,
	IKE1_SIG = 9,
	IKE1_NONCE = 10,
	IKE1_N = 11,
	IKE1_D = 12,
	IKE1_VID = 13,
	IKE1_ATTR = 14,
	IKE1_SAK = 15,
	IKE1_SAT = 16,
	IKE1_KD = 17,
	IKE1_SEQ = 18,
	IKE1_POP = 19,
	IKE1_NATD = 20,
	IKE1_NATOA = 21,
	IKE1_GAP = 22,
	IKE1_NATD_DRAFT = 130,
	IKE1_NATOA_DRAFT = 131,
	IKE1_FRAG = 132,
};

/* IKEv2 payload types (RFC 7296 3.2, RFC 7383, IANA). */
enum {
	IKE2_NONE = 0,
	IKE2_SA = 33,
	IKE2_KE = 34,
	IKE2_IDI = 35,
	IKE2_IDR = 36,
	IKE2_CERT = 37,
	IKE2_CERTREQ = 38,
	IKE2_AUTH = 39,
	IKE2_NONCE = 40,
	IKE2_N = 41,
	IKE2_D = 42,
	IKE2_V = 43,
	IKE2_TSI = 44,
	IKE2_TSR = 45,
	IKE2_SK = 46,
	IKE2_CP = 47,
	IKE2_EAP = 48,
	IKE2_GSPM = 49,
	IKE2_IDG = 50,
	IKE2_GSA = 51,
	IKE2_KD = 52,
	IKE2_SKF = 53,
	IKE2_PS = 54,
};

/* Exchange types used by the rest of the program. */
enum {
	IKE1_EXCH_BASE = 1,
	IKE1_EXCH_MAIN = 2,
	IKE1_EXCH_AUTH_ONLY = 3,
	IKE1_EXCH_AGGR = 4,
	IKE1_EXCH_INFO = 5,
	IKE1_EXCH_TRANSACTION = 6,
	IKE1_EXCH_QUICK = 32,
	IKE1_EXCH_NEW_GROUP = 33,
	IKE2_EXCH_SA_INIT = 34,
	IKE2_EXCH_AUTH = 35,
	IKE2_EXCH_CREATE_CHILD = 36,
	IKE2_EXCH_INFORMATIONAL = 37,
	IKE2_EXCH_SESSION_RESUME = 38,
	IKE2_EXCH_INTERMEDIATE = 43,
	IKE2_EXCH_FOLLOWUP_KE = 44,
};

/* A data attribute: IKEv1 SA/transaction attributes, IKEv2 transform and CP attributes. */
struct ike_attr {
	uint16_t type;	    /* without the AF bit */
	bool tv;	    /* AF set: the value is the 16-bit field itself */
	uint16_t len;	    /* TLV: value length; TV: 2 */
	const uint8_t *val; /* TLV value (NULL for TV) */
	uint64_t num;	    /* TV value, or a TLV value of 1..8 bytes as a number */
	bool num_ok;	    /* num is meaningful */
	uint32_t off;	    /* offset in the message */
};

struct ike_attrs {
	uint16_t n;
	struct ike_attr *a;
};

struct ike_transform {
	uint8_t num;  /* IKEv1 transform number (0 in IKEv2) */
	uint8_t type; /* IKEv2 transform type (0 in IKEv1) */
	uint16_t id;  /* transform ID */
	struct ike_attrs attrs;
	uint32_t off;
};

struct ike_proposal {
	uint8_t num;
	uint8_t proto; /* protocol id */
	uint8_t spi_size;
	uint8_t ntrans_decl; /* what the header says */
	const uint8_t *spi;  /* spi_size bytes, or NULL */
	uint16_t ntrans;     /* what was parsed */
	struct ike_transform *t;
	uint32_t off;
};

struct ike_sa {
	bool v1;
	uint32_t doi;	    /* IKEv1 */
	uint32_t situation; /* IKEv1 (IPsec DOI: 32 bits) */
	uint16_t nprop;
	struct ike_proposal *p;
};

struct ike_ke {
	uint16_t group; /* IKEv2 only (IKEv1's group is in the SA) */
	const uint8_t *data;
	uint32_t len;
};

struct ike_id {
	uint8_t type;
	uint8_t proto; /* IKEv1 IPsec DOI: protocol, port (0 in IKEv2) */
	uint16_t port;
	const uint8_t *data;
	uint32_t len;
};

struct ike_cert {
	uint8_t encoding;
	const uint8_t *data;
	uint32_t len;
};

struct ike_auth {
	uint8_t method; /* IKEv2 AUTH */
	const uint8_t *data;
	uint32_t len;
};

struct ike_notify {
	uint32_t doi; /* IKEv1 */
	uint8_t proto;
	uint8_t spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	uint32_t len;
};

struct ike_delete {
	uint32_t doi; /* IKEv1 */
	uint8_t proto;
	uint8_t spi_size;
	uint16_t nspi;	     /* declared count */
	const uint8_t *spis; /* nspi * spi_size bytes (validated) */
};

struct ike_ts {
	uint8_t type; /* TS_IPV4_ADDR_RANGE 7, TS_IPV6_ADDR_RANGE 8, ... */
	uint8_t ip_proto;
	uint16_t sport, eport;
	const uint8_t *start, *end; /* addresses; alen bytes each */
	uint8_t alen;
	const uint8_t *raw; /* selector body for unknown types */
	uint16_t raw_len;
};

struct ike_tsp {
	uint8_t nts_decl;
	uint16_t nts;
	struct ike_ts *ts;
};

struct ike_cp {
	uint8_t type;	/* IKEv2 CFG type / IKEv1 ATTR type */
	uint16_t ident; /* IKEv1 identifier */
	struct ike_attrs attrs;
};

struct ike_eap {
	uint8_t code, id;
	uint16_t len;
	uint8_t type; /* for Request/Response */
	bool has_type;
	const uint8_t *data;
	uint32_t data_len;
};

struct ike_natoa {
	uint8_t id_type; /* IKEv1 RFC 3947: ID_IPV4_ADDR / ID_IPV6_ADDR */
	const uint8_t *addr;
	uint8_t alen;
};

/* IKEv1 fragment payload (Cisco/strongSwan, type 132). */
struct ike_chain;

struct ike_frag1 {
	uint16_t id;
	uint8_t num;
	bool last;
	const uint8_t *data;
	uint32_t len;
	/* set by the caller on the fragment that completes a message: the
	 * payloads of the reassembled (and decrypted) message */
	struct ike_chain *inner;
	bool inner_decrypted;
};

/* IKEv2 SK / SKF: the cleartext parts. */
struct ike_sk {
	uint8_t first_inner;	       /* the SK header's next-payload */
	uint16_t frag_num, frag_total; /* SKF only */
	const uint8_t *data; /* IV | ciphertext | ICV (lengths need the SA's transforms) */
	uint32_t len;
	uint32_t data_off;	 /* offset of data in the message */
	struct ike_chain *inner; /* filled after decryption, NULL before */
};

enum ike_pld_status {
	IKE_PLD_OK = 0,
	IKE_PLD_TRUNCATED, /* the capture cut it short (snap length) */
	IKE_PLD_MALFORMED, /* the bytes contradict themselves */
};

struct ike_pld {
	uint8_t type;	     /* payload type code as on the wire */
	uint8_t np;	     /* its next-payload field */
	bool critical;	     /* IKEv2 C bit */
	uint8_t reserved;    /* the byte after next-payload, less the C bit */
	uint16_t len;	     /* declared length, generic header included */
	uint32_t off;	     /* offset of the generic header in the message */
	uint8_t status;	     /* enum ike_pld_status */
	bool known;	     /* the type was decoded (else only raw body) */
	const uint8_t *body; /* after the generic header (captured part) */
	uint32_t body_len;
	union {
		struct ike_sa sa;
		struct ike_ke ke;
		struct ike_id id;
		struct ike_cert cert; /* CERT and CR/CERTREQ */
		struct ike_auth auth;
		struct ike_notify n;
		struct ike_delete d;
		struct ike_tsp ts;
		struct ike_cp cp;
		struct ike_eap eap;
		struct ike_natoa natoa;
		struct ike_frag1 frag;
		struct ike_sk sk;
		/* HASH, SIG, NONCE, VID, NAT-D, unknown: body/body_len only */
	} u;
};

struct ike_chain {
	uint16_t n;
	struct ike_pld *p;
};

struct ike_anomaly {
	uint32_t off;	  /* offset in the message */
	int16_t payload;  /* payload type involved, -1 if none */
	const char *what; /* static text, or text in the arena */
};

/* How to read payloads whose meaning depends on the conversation. */
struct ike_parse_opts {
	bool pld15_is_natd; /* a pre-03 NAT-T draft VID was exchanged (CONTRACT.md) */
	bool truncated;	    /* the capture cut the datagram (snap length) */
	uint32_t wire_len;  /* datagram length on the wire if truncated */
};

struct ike_msg {
	uint8_t ispi[IKE_SPI_LEN], rspi[IKE_SPI_LEN];
	uint8_t np;	  /* header next-payload */
	uint8_t maj, min; /* version */
	uint8_t exch;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length; /* header length field */

	bool v2;		   /* major version 2 */
	bool encrypted;		   /* IKEv1: E flag; IKEv2: the chain holds SK/SKF */
	bool decrypted;		   /* payloads came from decryption (set by the caller) */
	const char *decrypt_error; /* why an encrypted message was not decrypted (static text) */
	bool icv_bad;		   /* decrypted, but its ICV does not verify with the key given */
	bool truncated;		   /* the capture cut the message */
	bool header_ok;		   /* the 28-byte header was read and is sane */
	bool pld15_is_natd;	   /* from ike_parse_opts */

	const uint8_t *raw; /* the whole message as captured */
	uint32_t raw_len;   /* captured bytes (<= length) */

	/* IKEv1 with E set: the ciphertext after the header; the chain is empty
	 * until decryption fills it. */
	const uint8_t *enc;
	uint32_t enc_len;

	struct ike_chain chain;

	uint16_t nanom;
	struct ike_anomaly *anom;
	uint16_t anom_cap;
};

/*
 * Parse one ISAKMP message (from the header on).  Returns false when the bytes
 * are not an ISAKMP message at all (shorter than a header); otherwise true,
 * with problems recorded as anomalies.  `len` is the captured length.
 */
bool ike_parse(struct arena *ar, const uint8_t *buf, size_t len, const struct ike_parse_opts *o,
	       struct ike_msg *m);

/*
 * Parse a payload chain starting with payload type `first` (a decrypted IKEv1
 * body, or the plaintext inside an IKEv2 SK payload).  `base_off` is added to
 * payload offsets so anomalies point into the right place.  Trailing bytes
 * after the last payload are accepted silently when `padded` (IKEv1 CBC
 * padding).
 */
void ike_parse_chain(struct arena *ar, struct ike_msg *m, const uint8_t *buf, size_t len,
		     uint8_t first, uint32_t base_off, bool padded, struct ike_chain *out);

/* Add an anomaly to the message (bounded; extra ones are counted into the last). */
void ike_anomaly(struct arena *ar, struct ike_msg *m, uint32_t off, int payload, const char *what);

/* ---- helpers that give payload data its meaning ---- */

/* The first payload of a type in a chain (searching SK inner chains too), or NULL. */
const struct ike_pld *ike_find(const struct ike_chain *c, uint8_t type);
/* The n-th (0-based) payload of a type. */
const struct ike_pld *ike_find_nth(const struct ike_chain *c, uint8_t type, unsigned n);
/* Whether the chain holds a notify of this type (searching SK inner chains). */
const struct ike_pld *ike_find_notify(const struct ike_chain *c, uint16_t type);

/* Short payload name for a type in this version (never NULL: "#<n>" in buf). */
const char *ike_pld_name(bool v2, uint8_t type, bool pld15_is_natd, char *buf, size_t len);

/*
 * An identification payload's data as text: addresses, subnets
 * ("192.0.2.0/24"), ranges ("192.0.2.1-192.0.2.9"), FQDN and USER_FQDN
 * (escaped), DER DN ("C=CH, O=example, CN=gw"), KEY_ID (hex).  Returns false
 * (with a hex rendering in buf) when the data does not fit the type.
 * `v2` selects the IKEv2 ID type numbering.
 */
bool ike_id_text(bool v2, uint8_t type, const uint8_t *data, size_t len, char *buf, size_t blen);

/* Decoded values of common IKEv1 SA attributes, from a transform. */
struct ike_v1_xform {
	/* phase 1 (RFC 2409 App. A) */
	int32_t encr, hash, auth_method, group, prf, group_type;
	int32_t key_len; /* bits */
	int64_t life_seconds, life_kilobytes;
	/* phase 2 (RFC 2407 4.5) */
	int32_t integ, encap_mode, pfs_group, esn;
};
/* Reads the attributes of an IKEv1 transform; -1 where absent.  `phase1`
 * selects the RFC 2409 attribute numbering (proto ISAKMP), else IPsec DOI. */
void ike_v1_xform_decode(const struct ike_transform *t, bool phase1, struct ike_v1_xform *x);

/* IKEv2 transform key length attribute (bits), or 0. */
unsigned ike_v2_key_len(const struct ike_transform *t);

/* The data of an INVALID_KE_PAYLOAD notify: the group wanted, or -1. */
int ike_notify_group(const struct ike_notify *n);

/* Wire bytes as terminal-safe text: printable ASCII kept, a backslash
 * doubled, anything else as \xNN.  Always NUL-terminated. */
void ike_escape(const uint8_t *p, size_t n, char *buf, size_t blen);

/* 4 or 16 address bytes as text (RFC 5952 for IPv6). */
char *ike_addr_str(const uint8_t *b, size_t n, char *dst, size_t len);

/* Hex rendering (lower case) into buf, truncated with "..." if needed. */
char *ike_hex(const uint8_t *p, size_t n, char *buf, size_t blen);

#endif
