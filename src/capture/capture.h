/*
 * capture.h - from libpcap to "this frame carries an IKE message / ESP packet
 * / NAT keepalive / ICMP error about IKE", with IP reassembly.
 *
 * The capture layer opens files (pcap, pcapng, several in one run, "-" for
 * stdin) or a live interface, decodes the link layer, IPv4/IPv6 (extension
 * headers), reassembles IP fragments (bounded), and classifies the transport:
 *   UDP 500            -> IKE
 *   UDP 4500           -> 4 zero bytes (non-ESP marker) + IKE; a single 0xFF
 *                         byte -> NAT keepalive (RFC 3948 2.3); otherwise ESP
 *                         in UDP (RFC 3948 2.1)
 *   IP proto 50 / 51   -> ESP / AH
 *   ICMP / ICMPv6 error quoting a UDP 500/4500 datagram -> ICMP about IKE
 * Everything else is counted and skipped.
 *
 * It hands each interesting frame to the analysis through one callback with a
 * struct cap_frame that points into libpcap's buffer (or the reassembly
 * buffer): valid only during the callback.  It never allocates per packet on
 * the normal path (reassembly keeps bounded buffers).
 */
#ifndef IKELENS_CAPTURE_H
#define IKELENS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/addr.h"

enum cap_kind {
	CAP_IKE,	    /* data = ISAKMP header onwards (marker removed) */
	CAP_ESP,	    /* data = ESP header (SPI) onwards; udp_encap says how */
	CAP_AH,		    /* data = AH header onwards */
	CAP_NATT_KEEPALIVE, /* data = the 0xFF byte */
	CAP_ICMP,	    /* an ICMP/ICMPv6 error quoting a UDP 500/4500 datagram */
	CAP_FRAGMENT,	    /* an IP fragment that does not (yet) complete a datagram;
			     * data = the fragment data (after the IP/fragment header) */
	CAP_OTHER_UDP4500,  /* UDP 4500 payload that is none of the above (e.g. 0-3 bytes) */
};

struct cap_frame {
	/* where */
	unsigned file;	/* index of the input (0-based) */
	uint64_t num;	/* frame number, 1-based per input file, as tshark counts */
	int64_t ts_sec; /* capture time, UTC */
	uint32_t ts_usec;
	uint32_t caplen, wirelen;
	int linktype; /* DLT_* of the input */

	/* IP */
	struct addr src, dst;
	uint8_t ip_proto; /* 17 UDP, 50 ESP, 51 AH, 1/58 ICMP */
	uint32_t ip_id;	  /* IPv4 identification or IPv6 fragment id (0 if none) */
	uint8_t ttl;	  /* IPv4 TTL / IPv6 hop limit */
	uint16_t vlan;	  /* outermost 802.1Q VLAN id, 0 if none */

	/* UDP (CAP_IKE, CAP_NATT_KEEPALIVE, CAP_ESP when udp_encap) */
	uint16_t sport, dport;
	bool udp_encap;	     /* ESP inside UDP (RFC 3948) */
	bool non_esp_marker; /* the IKE message came after the 4-byte marker on 4500 */

	enum cap_kind kind;
	const uint8_t *data; /* see enum cap_kind */
	size_t len;	     /* captured bytes available at data */
	size_t wire_len;     /* bytes the headers say should be there (>= len) */
	bool truncated;	     /* len < wire_len because of the snap length */

	/* IP reassembly: set on the frame that completes a datagram.  As in
	 * tshark, a fragment cut by the snap length is not reassembled: a cut
	 * first fragment is classified on its own (truncated, frag_more set,
	 * wire_len from the UDP length); a cut later one is a CAP_FRAGMENT
	 * closed at once through frag_expired. */
	bool reassembled;
	const uint64_t
	    *frag_frames; /* frame numbers of all fragments, in offset order, incl. this one */
	unsigned nfrag_frames;

	/* CAP_FRAGMENT: the datagram this fragment belongs to (for "reassembled in") */
	uint32_t frag_offset; /* bytes */
	bool frag_more;
	uint16_t frag_sport, frag_dport; /* when the first fragment carried a UDP header, else 0 */

	/* CAP_ICMP: what the error says and the quoted datagram */
	uint8_t icmp_type, icmp_code;
	struct addr icmp_src, icmp_dst; /* the quoted datagram's addresses */
	uint16_t icmp_sport, icmp_dport;
	const uint8_t *icmp_quote; /* the quoted UDP payload (may be short) */
	size_t icmp_quote_len;
};

/* Something malformed below IKE (bad IP header length, UDP length lies ...). */
struct cap_anomaly {
	unsigned file;
	uint64_t num;
	size_t offset;	   /* from the start of the frame (in a reassembled datagram:
			    * where the completing fragment's data starts) */
	const char *layer; /* "ip", "ipv6", "udp", "esp", "link", "reassembly" */
	const char *what;  /* plain words */
};

struct cap_handler {
	void (*frame)(void *ctx, const struct cap_frame *f);
	void (*anomaly)(void *ctx, const struct cap_anomaly *a);
	/* Reassembly gave up on a datagram: its fragments will never complete.
	 * frames[] lists the fragment frames seen, in offset order.  Every frame
	 * handed over as CAP_FRAGMENT is listed exactly once: in a completing
	 * frame's frag_frames or here - here also when the datagram turns out
	 * not to be IKE/ESP/AH (its first fragment, arriving late, shows other
	 * ports) and, at once, for a fragment that can never be reassembled
	 * (with an anomaly saying why). */
	void (*frag_expired)(void *ctx, unsigned file, const uint64_t *frames, unsigned n);
	/* Called when an input ends (file index) - lets the caller flush. */
	void (*input_end)(void *ctx, unsigned file);
	void *ctx;
};

/* A zero field means its default. */
struct cap_limits {
	size_t reasm_max_bytes;	   /* all datagrams under reassembly together (default 4 MiB) */
	unsigned reasm_max_dgrams; /* default 256 */
	unsigned reasm_timeout_s;  /* capture-time seconds (default 30) */
};

struct cap_stats {
	uint64_t frames;  /* all frames read */
	uint64_t matched; /* frames handed to the callback */
	uint64_t skipped; /* not IKE/ESP/AH/keepalive/ICMP-about-IKE */
	uint64_t reasm_done, reasm_dropped;
	uint64_t unsupported;	     /* frames of link types we cannot read (should be 0) */
	uint64_t ps_drop, ps_ifdrop; /* live: kernel drops */
};

struct cap;

/*
 * Open an input.  path "-" is stdin.  On failure returns NULL and writes one
 * line into err (what and where, and the fix: e.g. "capture.pcap: link type
 * 147 (USER0) is not supported; supported: EN10MB, LINUX_SLL, LINUX_SLL2,
 * RAW, NULL, LOOP, IPV4, IPV6").
 */
struct cap *cap_open_file(const char *path, unsigned file_index, const struct cap_limits *lim,
			  char *err, size_t errlen);
/* Live capture on an interface with an optional BPF filter (NULL = the
 * default filter CAP_DEFAULT_FILTER, combined with the caller's filter if
 * given: "(default) and (user)").  The default passes IP fragments too: a BPF
 * port test never matches a non-first fragment, and IKE_AUTH messages are
 * often fragmented.  On Ethernet it is repeated behind one VLAN tag.
 * snaplen <= 0 means 262144.  Promiscuous, immediate mode. */
#define CAP_DEFAULT_FILTER                                                                         \
	"udp port 500 or udp port 4500 or esp or ah or icmp or icmp6"                              \
	" or (ip[6:2] & 0x1fff != 0) or (ip6 and ip6[6] == 44)"

struct cap *cap_open_live(const char *iface, const char *bpf, int snaplen,
			  const struct cap_limits *lim, char *err, size_t errlen);
/*
 * Read frames and call h->frame for each interesting one.  max_frames 0 = all;
 * reaching max_frames ends the input as its end does.  When the input ends
 * (also after a read error) pending fragments are given up through
 * h->frag_expired, then h->input_end is called, once.
 * Returns 0 at the end of the input, 1 when interrupted by cap_break(), -1 on
 * a read error (message in err; for a gzip-compressed file, gzip's complaint).
 */
int cap_loop(struct cap *c, const struct cap_handler *h, uint64_t max_frames, char *err,
	     size_t errlen);
void cap_break(struct cap *c); /* async-signal-safe */
/* The pollable fd for live captures (-1 for files), for the TUI's event loop. */
int cap_fd(struct cap *c);
/* Process what is ready without blocking (live, with the TUI). Returns frames handled, -1 on error.
 * "Handled" counts frames read, interesting or not.  A file is read a batch
 * per call, so there 0 means the file has ended (input_end was called); on a
 * live capture 0 means nothing was ready. */
int cap_dispatch(struct cap *c, const struct cap_handler *h, char *err, size_t errlen);
void cap_stats(const struct cap *c, struct cap_stats *st);
int cap_linktype(const struct cap *c);
const char *cap_linktype_name(const struct cap *c);
/* Write matched frames as they were read (-w); the pcap dumper uses the input's link type. */
int cap_dump_open(struct cap *c, const char *path, char *err, size_t errlen);
void cap_dump_current(struct cap *c); /* dump the frame being handled (call from the callback) */
void cap_close(struct cap *c);

/*
 * Frames from elsewhere (tests, fuzzers, another reader): a capture object
 * without an input.  linktype is a DLT value; unlike cap_open_file any value
 * is accepted, and frames of a type that cannot be decoded are counted in
 * stats.unsupported with one anomaly.  cap_dump_open works on it.
 * cap_feed_frame processes one frame exactly as if libpcap had read it
 * (frame numbers from 1, reassembly, callbacks); cap_feed_end ends the input
 * (pending fragments given up, input_end).
 */
struct cap *cap_open_null(int linktype, unsigned file_index, const struct cap_limits *lim,
			  char *err, size_t errlen);
void cap_feed_frame(struct cap *c, const struct cap_handler *h, int64_t ts_sec, uint32_t ts_usec,
		    const uint8_t *data, uint32_t caplen, uint32_t wirelen);
void cap_feed_end(struct cap *c, const struct cap_handler *h);

#endif
