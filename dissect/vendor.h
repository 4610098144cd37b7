/*
 * vendor.h - naming IKE vendor ID payloads.
 *
 * A vendor ID is opaque bytes, usually an MD5 hash of a string, sometimes
 * followed by version bytes (Cisco Unity, strongSwan, Check Point,
 * Microsoft).  vid_lookup() matches the known IDs exactly or by prefix and
 * says what the ID means for the analysis (DPD support, NAT-T flavour, IKE
 * fragmentation, the implementation behind it).
 */
#ifndef IKELENS_VENDOR_H
#define IKELENS_VENDOR_H

#include <stddef.h>
#include <stdint.h>

/* What a vendor ID announces (bit set in vid_info.flags). */
enum vid_flag {
	VIDF_DPD = 1u << 0,	      /* RFC 3706 dead peer detection */
	VIDF_NATT = 1u << 1,	      /* some NAT-T flavour, see natt_version */
	VIDF_XAUTH = 1u << 2,	      /* draft-ietf-ipsra-isakmp-xauth */
	VIDF_UNITY = 1u << 3,	      /* Cisco Unity (mode-config client) */
	VIDF_FRAG = 1u << 4,	      /* IKEv1 fragmentation (Cisco/strongSwan payload 132) */
	VIDF_IKEV2_CAPABLE = 1u << 5, /* says the sender speaks IKEv2 too */
	VIDF_HEARTBEAT = 1u << 6,     /* Heartbeat notify */
	VIDF_GSS = 1u << 7,	      /* MS GSS-API / Kerberos */
};

/*
 * NAT-T flavour: 0 none; draft-ietf-ipsec-nat-t-ike-NN is NN + 1 (so 1 is
 * draft 00, 3 is draft 02, and the "-02\n" variant is 3 too); 100 is RFC 3947.
 * The flavour decides how the dissector reads payload 15: NAT-D when a pre-03
 * draft ID was exchanged, else SAK (CONTRACT.md).
 */
enum { VID_NATT_RFC3947 = 100 };

struct vid_info {
	const char *name;     /* "Cisco Unity", "RFC 3706 DPD", "strongSwan" */
	const char *family;   /* implementation family for "who is this peer":
				 "Cisco", "strongSwan", "libreswan", "Microsoft",
				 ...; NULL when the ID is a capability only (DPD, NAT-T) */
	uint32_t flags;	      /* enum vid_flag */
	uint8_t natt_version; /* see above; 0 when not a NAT-T ID */
};

/*
 * Look the ID up.  Returns NULL if unknown.  When the ID carries a version
 * (or a match needed a prefix), `text` receives the full display name, e.g.
 * "Cisco Unity 1.0", "strongSwan 5.9.8", "Check Point (build 123)"; otherwise
 * `text` receives info->name.  `text` is always NUL-terminated when textlen > 0,
 * and holds only printable ASCII.
 */
const struct vid_info *vid_lookup(const uint8_t *vid, size_t len, char *text, size_t textlen);

/* How many IDs the table knows (for tests and --version). */
size_t vid_count(void);

#endif
