/*
 * reasm.h - IP fragment reassembly with bounded memory (internal to capture).
 *
 * Datagrams are keyed as the RFCs say: IPv4 by (source, destination,
 * protocol, identification) (RFC 791 3.2), IPv6 by (source, destination,
 * fragment identification) (RFC 8200 4.5).  Holes are tracked per 8-octet
 * block, which is the unit of fragment offsets, with a bitmap (the hole list
 * of RFC 815 in a form that cannot grow): a datagram is complete when every
 * block from 0 to the end given by the fragment without "more fragments" is
 * held.  Where fragments overlap, the bytes that arrived first win, as in most
 * stacks.
 *
 * Memory is bounded by the caller's limits: all buffers together, the number
 * of datagrams, and a timeout in capture time.  When a limit is hit the
 * oldest datagram is given up.  A datagram is allocated when its first
 * fragment arrives and freed when it completes or is given up; nothing is
 * allocated for unfragmented packets.
 *
 * Datagrams the caller decided are not its business (or that turned out
 * invalid) are remembered in a small fixed table for the timeout, so their
 * remaining fragments are not taken for the start of a new datagram.
 */
#ifndef IKELENS_REASM_H
#define IKELENS_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/cursor.h"

struct reasm_key {
	uint8_t version; /* 4 or 6 */
	uint8_t proto;	 /* IPv4 protocol; 0 for IPv6 (not part of its key) */
	uint8_t src[16], dst[16];
	uint32_t id;
};

struct reasm_limits {
	size_t max_bytes;
	unsigned max_dgrams;
	unsigned timeout_s;
};

/* Why a datagram was given up. */
enum reasm_why {
	REASM_TIMEOUT,	  /* its first fragment is older than the timeout */
	REASM_CAP_DGRAMS, /* too many datagrams pending: the oldest goes */
	REASM_CAP_BYTES,  /* the memory cap: the oldest goes */
	REASM_INVALID,	  /* its fragments contradict each other or exceed 65535 bytes */
	REASM_NOT_OURS,	  /* the caller rejected it (reasm_reject) */
	REASM_CUT,	  /* a fragment was cut by the snap length (reasm_abandon) */
	REASM_FLUSH,	  /* the input ended */
};

/* Called for each datagram given up while it holds fragments: their frame
 * numbers in offset order. */
typedef void (*reasm_gone_fn)(void *ctx, const uint64_t *frames, unsigned n, enum reasm_why why);

struct reasm_frag {
	struct reasm_key key;
	uint32_t off;	 /* fragment offset in bytes */
	bool more;	 /* MF / M flag */
	struct cur data; /* the fragment data: all len bytes (cut fragments are abandoned) */
	size_t len;	 /* fragment data length by the IP header */
	size_t hdr_len;	 /* IP header bytes before the fragment data (the 65535 limit) */
	uint64_t frame;
	int64_t ts; /* capture time, seconds */
	uint8_t nh; /* the upper-layer protocol as this fragment names it */
	bool ports; /* the first fragment: sport/dport of its UDP header are known */
	uint16_t sport, dport;
};

enum reasm_status {
	REASM_HELD, /* stored; the datagram is not complete */
	REASM_DONE, /* this fragment completed the datagram: see the result */
	REASM_SKIP, /* a fragment of a datagram the caller rejected: nothing to do */
	REASM_LOST, /* not stored and will never complete: unusable, or its datagram
		     * was given up as invalid (flags say why, unless an earlier
		     * fragment already did) */
};

/* What was odd about a fragment (any status). */
#define REASM_F_OVERLAP 0x01u	 /* overlaps bytes already held with other bytes or bounds */
#define REASM_F_DUP 0x02u	 /* the same offset and length again */
#define REASM_F_TOO_BIG 0x04u	 /* the datagram would exceed 65535 bytes */
#define REASM_F_BAD_END 0x08u	 /* two different ends, or data beyond the end */
#define REASM_F_MISALIGNED 0x10u /* a non-last fragment whose length is not a multiple of 8 */
#define REASM_F_TOO_MANY 0x20u	 /* more fragments than one datagram may have */
#define REASM_F_NOMEM 0x40u	 /* does not fit in the memory cap even alone */

#define REASM_MAX_FRAGS 1024u /* fragments (duplicates included) per datagram */

struct reasm_result {
	unsigned flags;
	/* HELD, DONE, LOST: what is known of the datagram so far */
	bool ports;
	uint16_t sport, dport;
	bool first_seen; /* the fragment at offset 0 arrived */
	uint8_t nh;	 /* the upper-layer protocol named by the first fragment */
	/* DONE: the reassembled payload, valid until reasm_release() */
	const uint8_t *data;
	size_t total;		/* payload length */
	const uint64_t *frames; /* fragment frames in offset order, this one included */
	unsigned nframes;
};

struct reasm;

/* NULL if out of memory.  Zero limits are not accepted: the caller sets defaults. */
struct reasm *reasm_new(const struct reasm_limits *lim, reasm_gone_fn gone, void *ctx);
void reasm_free(struct reasm *r);

/* Gives up the datagrams older than the timeout at capture time now. */
void reasm_expire(struct reasm *r, int64_t now);
/* Gives up everything pending, oldest first (end of input). */
void reasm_flush(struct reasm *r);

enum reasm_status reasm_add(struct reasm *r, const struct reasm_frag *f, struct reasm_result *res);
/* Frees the datagram the last REASM_DONE returned (call after using its data). */
void reasm_release(struct reasm *r);
/* The datagram is not the caller's business: give up what it holds
 * (REASM_NOT_OURS) and skip its fragments until the timeout. */
void reasm_reject(struct reasm *r, const struct reasm_key *k, int64_t now);
/* The datagram can never complete (a fragment was cut by the snap length):
 * give up what it holds (REASM_CUT); its later fragments are REASM_LOST. */
void reasm_abandon(struct reasm *r, const struct reasm_key *k, int64_t now);

/* Datagrams pending and bytes charged, for tests and stats. */
unsigned reasm_pending(const struct reasm *r);
size_t reasm_bytes(const struct reasm *r);

#endif
