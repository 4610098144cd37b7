/*
 * net.h - the headers below IKE: link layers, IPv4, IPv6 and its extension
 * headers, UDP, ICMP/ICMPv6 errors.  Bytes in, plain structs out.
 *
 * No policy (which ports are IKE), no reassembly, no I/O, no allocation:
 * src/capture/ decides what a frame is and keeps the fragment store.  Every
 * read goes through struct cur.  Addresses are raw bytes here (this folder
 * must not include src/); src/capture turns them into struct addr.
 *
 * Each decoder reads from the cursor it is given and leaves it after what it
 * decoded.  It returns NET_OK, or says why it stopped:
 *   NET_SHORT      the captured bytes end inside a header (snap length),
 *   NET_MALFORMED  a field contradicts the header or the frame,
 *   NET_OTHER      well formed, but not something these decoders follow
 *                  (ARP, LLDP, an unknown address family ...).
 * On NET_SHORT and NET_MALFORMED, err names the problem in plain words and
 * err_off is the offset (from the cursor's base) of the header that failed.
 */
#ifndef IKELENS_NET_H
#define IKELENS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/cursor.h"

enum net_status {
	NET_OK = 0,
	NET_SHORT,
	NET_MALFORMED,
	NET_OTHER,
};

/*
 * The link layers ikelens reads.  DLT numbers differ across platforms (DLT_RAW
 * is 12 or 14, DLT_LOOP 108 or 12), so src/capture maps libpcap's value to
 * one of these and the decoder never sees a DLT number.
 */
enum net_link {
	NET_LINK_ETHER, /* DLT_EN10MB: Ethernet II or 802.3+SNAP, any number of VLAN tags */
	NET_LINK_SLL,	/* DLT_LINUX_SLL: Linux "cooked" header, 16 bytes */
	NET_LINK_SLL2,	/* DLT_LINUX_SLL2: Linux "cooked" header v2, 20 bytes */
	NET_LINK_RAW,	/* DLT_RAW, DLT_IPV4, DLT_IPV6: the IP header first */
	NET_LINK_NULL,	/* DLT_NULL: 4-byte address family in the capturing host's order */
	NET_LINK_LOOP,	/* DLT_LOOP: 4-byte address family in network order */
};

#define NET_ETHERTYPE_IPV4 0x0800u
#define NET_ETHERTYPE_IPV6 0x86ddu

/* IP protocol numbers the decoders and their callers care about. */
#define NET_PROTO_HOPOPTS 0u
#define NET_PROTO_ICMP 1u
#define NET_PROTO_UDP 17u
#define NET_PROTO_ROUTING 43u
#define NET_PROTO_FRAGMENT 44u
#define NET_PROTO_ESP 50u
#define NET_PROTO_AH 51u
#define NET_PROTO_ICMPV6 58u
#define NET_PROTO_NONE 59u
#define NET_PROTO_DSTOPTS 60u

struct net_link_hdr {
	uint8_t ipver;	    /* 4 or 6 when the payload is IP, else 0 */
	uint16_t ethertype; /* what the link says follows (EtherType / SLL protocol), 0 if none */
	uint32_t family;    /* NULL/LOOP: the address family, byte order resolved */
	uint8_t nvlan;	    /* 802.1Q / 802.1ad tags passed */
	uint16_t vlan;	    /* VLAN id of the outermost tag, 0 when untagged */
	size_t len;	    /* link header bytes, tags included */
	const char *err;
	size_t err_off;
};

/* Decodes the link header at c and leaves c at the network header. */
enum net_status net_link_decode(enum net_link link, struct cur *c, struct net_link_hdr *h);

/* What the IPv6 extension-header walk found (RFC 8200 section 4). */
struct net_ip6_ext {
	uint8_t proto;	   /* where the walk stopped: an upper layer, 50 ESP, 51 AH, 59 none, or
			    * 44 when a fragment header (not atomic) ends the unfragmentable part */
	size_t len;	   /* extension-header bytes walked */
	unsigned count;	   /* extension headers walked */
	bool has_frag;	   /* a fragment header was seen (an atomic one included) */
	bool frag;	   /* ... and it is a real fragment: offset != 0 or M set */
	bool frag_more;	   /* M flag */
	uint32_t frag_off; /* bytes */
	uint32_t frag_id;
	uint8_t frag_nh; /* the fragment header's Next Header */
	const char *err;
	size_t err_off;
};

#define NET_IP6_MAX_EXT 32 /* more extension headers than this is an attack, not a packet */

/*
 * Walks IPv6 extension headers starting with Next Header value nh: hop-by-hop
 * options, routing, destination options and atomic fragments (RFC 6946) are
 * stepped over; the walk stops at anything else, at ESP and AH (AH is reported,
 * not skipped), and after a fragment header that makes a real fragment (what
 * follows it is fragment data).  c is left after the headers walked.
 * NET_SHORT when the headers run past the cursor's end.
 */
enum net_status net_ip6_walk(struct cur *c, uint8_t nh, struct net_ip6_ext *w);

struct net_ip {
	uint8_t version; /* 4 or 6 */
	uint8_t src[16]; /* IPv4: the first 4 bytes, the rest zero */
	uint8_t dst[16];
	uint8_t ttl;	   /* TTL / hop limit */
	uint8_t proto;	   /* IPv4: the protocol field; IPv6: where the extension walk stopped */
	uint32_t id;	   /* IPv4 identification; IPv6 fragment identification (0 without one) */
	size_t hdr_len;	   /* IPv4: IHL * 4; IPv6: 40 + the extension headers walked */
	size_t total_len;  /* the datagram length the header claims (IPv6: 40 + payload length) */
	bool beyond_frame; /* total_len exceeds the bytes on the wire: payload clamped to them */
	bool frag;	   /* a fragment: MF/M set or offset != 0 */
	bool frag_more;
	uint32_t frag_off;	/* bytes */
	uint8_t frag_nh;	/* IPv6 fragment: the fragment header's Next Header */
	struct net_ip6_ext ext; /* IPv6: the extension walk */
	struct cur payload;	/* captured bytes after hdr_len, up to what the header claims */
	size_t payload_len;	/* payload bytes by the header (payload holds at most this) */
	const char *err;
	size_t err_off;
};

/*
 * Decodes an IPv4 (RFC 791) or IPv6 (RFC 8200) header at c.  wire_left is the
 * number of bytes the frame had on the wire from c on (SIZE_MAX when unknown,
 * e.g. inside an ICMP quote): a total length beyond it is a lie, flagged in
 * beyond_frame, while one beyond the captured bytes only is the snap length.
 * Options are skipped; the IPv4 header checksum is not checked.  On NET_OK,
 * ip->payload covers the captured payload and c is left after the datagram.
 */
enum net_status net_ip_decode(struct cur *c, size_t wire_left, struct net_ip *ip);

struct net_udp {
	uint16_t sport, dport;
	uint16_t len; /* header + data (RFC 768) */
	uint16_t sum;
};

/* Decodes 8 bytes of UDP header.  NET_MALFORMED (fields filled) if the length is under 8. */
enum net_status net_udp_decode(struct cur *c, struct net_udp *u);

struct net_icmp {
	uint8_t type, code;
	uint32_t rest;	     /* the 4 bytes after the checksum: MTU, pointer, unused */
	bool error;	     /* a type that quotes the invoking datagram */
	bool quote_ip;	     /* the quoted IP header could be read */
	struct net_ip inner; /* the quoted datagram's header (its payload as quoted) */
	bool quote_udp;	     /* the quote reaches a UDP header's ports */
	struct net_udp udp;  /* the quoted UDP header (len/sum 0 if the quote ends before) */
	struct cur quote;    /* the quoted UDP payload, as much as was quoted */
	const char *err;
	size_t err_off;
};

/*
 * Decodes an ICMP (RFC 792) or ICMPv6 (RFC 4443) message at c.  For the error
 * types that carry the invoking packet (ICMP 3 destination unreachable, 11
 * time exceeded, 12 parameter problem; ICMPv6 1 destination unreachable, 2
 * packet too big, 3 time exceeded, 4 parameter problem), decodes the quoted
 * IP header and, when the quote is of a first fragment or an unfragmented
 * datagram, its UDP header.  A quote that is cut short is normal, not an error.
 */
enum net_status net_icmp_decode(struct cur *c, bool v6, struct net_icmp *m);

/* The name of a link type for messages: "EN10MB", "LINUX_SLL", ... */
const char *net_link_name(enum net_link link);

#endif
