/*
 * track.h - the tracker: IKE SAs by cookie/SPI pair, their exchanges and
 * messages, retransmissions, each side's state, phase 2 / CHILD SAs, ESP
 * flows.  It reads dissected packets and keeps a model; diagnosis, text,
 * JSON, report and TUI read the model.  Memory is O(live SAs): messages per
 * SA and SAs per run are capped, and SAs idle past a timeout are closed
 * (reported and freed).
 */
#ifndef IKELENS_TRACK_H
#define IKELENS_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/ike.h"
#include "src/addr.h"
#include "src/capture/capture.h"

/* ---- time: microseconds since the epoch ---- */
typedef int64_t tk_time;

static inline tk_time
tk_time_of(const struct cap_frame *f)
{
	return f->ts_sec * 1000000 + (tk_time)f->ts_usec;
}

struct tk_flow;

/* A frame reference: input file and 1-based frame number. */
struct tk_ref {
	unsigned file;
	uint64_t frame;
	tk_time t;
};

/* ---- message labels: a message's place in its exchange ---- */
enum tk_label {
	TL_UNKNOWN = 0,
	/* IKEv1 */
	TL_MM1,
	TL_MM2,
	TL_MM3,
	TL_MM4,
	TL_MM5,
	TL_MM6,
	TL_AM1,
	TL_AM2,
	TL_AM3,
	TL_QM1,
	TL_QM2,
	TL_QM3,
	TL_QM4,
	TL_INFO,     /* IKEv1 informational (one-way) */
	TL_CFG,	     /* transaction (mode-config / XAUTH) */
	TL_NGM,	     /* new group mode */
	TL_V1_OTHER, /* base, auth-only, unknown exchange */
	/* IKEv2 (request / response) */
	TL_SA_INIT_REQ,
	TL_SA_INIT_RESP,
	TL_INTER_REQ,
	TL_INTER_RESP,
	TL_AUTH_REQ,
	TL_AUTH_RESP,
	TL_CHILD_REQ,
	TL_CHILD_RESP,
	TL_INFO_REQ,
	TL_INFO_RESP,
	TL_FOLLOWUP_REQ,
	TL_FOLLOWUP_RESP,
	TL_V2_OTHER_REQ,
	TL_V2_OTHER_RESP,
	TL_COUNT
};
const char *tk_label_name(enum tk_label l);  /* "MM1", "QM2", "IKE_AUTH req" ... */
const char *tk_label_short(enum tk_label l); /* "MM1", "AUTH>", ... for tight columns */

enum tk_side { TK_I = 0, TK_R = 1, TK_UNKNOWN_SIDE = 2 };

/* What a message said, kept after the packet bytes are gone. */
#define TK_MAX_PTYPES 16
#define TK_MAX_NOTIFY 6
#define TK_MAX_RETX 12

struct tk_msg {
	struct tk_ref ref; /* first transmission */
	enum tk_label label;
	uint8_t from; /* enum tk_side: who sent it */
	uint8_t exch;
	uint32_t msgid;
	uint8_t flags;
	bool response; /* IKEv2 R flag; IKEv1: a reply by position */
	bool encrypted, decrypted;
	bool ip_fragmented; /* arrived as IP fragments */
	bool ip_incomplete; /* only its first IP fragment arrived: the rest was lost */
	bool ike_fragment;  /* SKF / IKEv1 fragment payload */
	uint16_t frag_num, frag_total;
	uint32_t length; /* IKE length */
	uint16_t sport, dport;
	uint8_t first_payload; /* header next-payload, or SK's first inner */
	uint32_t sk_len;       /* IKEv2: bytes in the SK/SKF payload (IV, ciphertext, ICV) */
	uint8_t nptypes;
	uint8_t ptypes[TK_MAX_PTYPES]; /* cleartext (or decrypted) payload types */
	uint8_t nnotify;
	uint16_t notify[TK_MAX_NOTIFY];
	uint64_t hash; /* of the message bytes, for retransmissions */
	/* retransmissions of this message (same bytes or same place) */
	uint16_t nretx; /* count (may exceed TK_MAX_RETX) */
	struct tk_ref retx[TK_MAX_RETX];
	uint16_t ndup;	     /* capture duplicates (same IP id) */
	uint32_t last_ip_id; /* of the latest transmission, to tell duplicates */
	tk_time last_t;	     /* time of the latest transmission */
};

/* A negotiated (or offered) transform set, in config words. */
struct tk_xform {
	bool set;
	bool v2;
	int32_t encr, key_len, integ, prf, hash, group, auth_method; /* -1 = absent */
	int32_t esn, encap_mode;
	int64_t life_seconds, life_kilobytes;
	uint8_t proto;	    /* proposal protocol id */
	uint16_t transform; /* IKEv1 phase 2 transform id (ESP_AES ...) */
	int32_t addke[7];
};
/* "AES-CBC-256 SHA2-256 MODP2048 PSK 86400s" */
char *tk_xform_text(const struct tk_xform *x, char *buf, size_t len);

enum tk_status {
	TS_IN_PROGRESS = 0,
	TS_ESTABLISHED,
	TS_FAILED,
	TS_STALLED,
	TS_DELETED,
	TS_REKEYED,
	TS_ESTABLISHED_BEFORE,
	TS_REJECTED, /* phase 2 only */
	TS_COUNT
};
const char *tk_status_name(enum tk_status s); /* "established", ... as CONTRACT.md */

enum tk_mode { TM_UNKNOWN = 0, TM_MAIN, TM_AGGRESSIVE, TM_IKEV2 };
const char *tk_mode_name(enum tk_mode m);

#define TK_MAX_P2_FRAMES 8
struct tk_p2 {
	uint32_t msgid;
	uint8_t initiator; /* enum tk_side (of the IKE SA) that started it */
	uint8_t exch;
	enum tk_status status;
	const char *state; /* QM_WAIT_MSG2 ... / IKEv2 child state */
	bool spi_known[2];
	uint8_t spi[2]
		   [4]; /* [0] chosen by the initiator side (inbound to it), [1] by the responder */
	uint8_t proto;
	struct tk_xform proposal; /* chosen, when visible */
	uint8_t nframes;
	struct tk_ref frames[TK_MAX_P2_FRAMES];
	uint16_t nretx;
	uint16_t error_notify; /* the notify that refused it, if visible */
	bool pfs[2];	       /* KE payload seen from side (decrypted) */
	bool answered_by_info; /* IKEv1: an informational came back instead */
	uint8_t seen;	       /* IKEv1 quick mode: bit n = QM(n+1) seen; IKEv2: 1 req, 2 resp */
	bool commit;	       /* IKEv1 commit bit (QM4 expected) */
	uint8_t resp_inner;
	uint32_t resp_sk_len, req_sk_len;
	bool by_size; /* rejected judged from the response's size (keyless) */
	bool rekey;   /* CREATE_CHILD_SA with REKEY_SA */
	/* decrypted content */
	bool content;	      /* something of it was decrypted */
	int32_t pfs_group[2]; /* KE group each side sent (-1: none seen) */
	char offer_text[200]; /* the requester's first proposal */
	char ts[2][100]; /* proxy IDs / traffic selectors: local and remote as the requester sent
			    them */
	bool ike_rekey;	 /* CREATE_CHILD_SA that rekeys the IKE SA */
	bool new_spi_known[2];
	uint8_t new_spi[2][8]; /* the new IKE SA's SPIs: [0] the requester's, [1] the other's */
};

/* A deletion or liveness event, for the ladder and diagnosis. */
struct tk_event {
	struct tk_ref ref;
	uint8_t from;
	uint8_t kind; /* TE_DELETE, TE_DPD, TE_DPD_ACK, TE_NOTIFY */
	uint8_t proto;
	uint16_t notify;
	uint32_t seq;
	uint8_t nspi;
	uint8_t spi[4][8];
	uint8_t spi_size;
};
enum { TE_DELETE = 1, TE_DPD, TE_DPD_ACK, TE_NOTIFY, TE_LIVENESS };

#define TK_MAX_VENDORS 12
struct tk_side_info {
	bool spoke;
	struct addr addr;
	uint16_t port;	      /* last port seen */
	bool floated;	      /* moved to 4500 */
	uint32_t vid_flags;   /* enum vid_flag */
	uint8_t natt_version; /* highest NAT-T flavour announced (vendor.h) */
	uint32_t natt_drafts; /* bit n: draft-ietf-ipsec-nat-t-ike-(n-1) announced */
	uint8_t nvendors;
	const char
	    *vendors[TK_MAX_VENDORS]; /* names (static strings from the table, or interned) */
	const char *family;	      /* implementation family from VIDs */
	int8_t nat;		      /* behind NAT: 1, 0, -1 unknown */
	bool frag_supported;	      /* IKEv2 IKEV2_FRAGMENTATION_SUPPORTED / IKEv1 frag VID */
	bool inter_supported;	      /* IKEv2 INTERMEDIATE_EXCHANGE_SUPPORTED (RFC 9242) */
	struct tk_ref nat_ref;	      /* the message whose NAT-D showed the translation */
	uint16_t last_sport;
};

struct tk_attempt { /* IKEv2 IKE_SA_INIT restarts */
	struct tk_ref ref;
	uint16_t reason;       /* notify that caused the restart: COOKIE or INVALID_KE_PAYLOAD */
	int32_t group;	       /* group asked for (INVALID_KE) */
	int32_t offered_group; /* group the initiator had sent */
};

#define TK_MAX_MSGS 256
#define TK_MAX_P2 32
#define TK_MAX_EVENTS 32
#define TK_MAX_ATTEMPTS 8
#define TK_MAX_OFFER 8

struct tk_sa {
	struct tk_sa *next_hash; /* tracker's tables */
	struct tk_sa *next_all, *prev_all;
	struct tk_peer *peer;
	struct tk_sa *peer_next, *peer_prev; /* the peer's SAs, in order of creation */
	struct tk_flow *flows;		     /* flows linked to this SA (fl->sa) */
	unsigned id;			     /* 1-based, in order of creation */

	uint8_t version; /* 1 or 2 */
	uint8_t ispi[8], rspi[8];
	bool rspi_known;
	enum tk_mode mode;
	bool role_known;	/* initiator identified */
	const char *role_basis; /* "i_flag", "first_message", "unknown" */
	struct tk_side_info side[2];

	struct tk_ref first, last;
	enum tk_status status;
	bool closed;	/* reported; no more messages expected */
	bool finalized; /* status computed */

	/* negotiation */
	uint8_t noffer;
	struct tk_xform offer[TK_MAX_OFFER]; /* what the initiator offered (first SA payload) */
	char offer_text[TK_MAX_OFFER][320];  /* the same in config words */
	uint8_t noffer_total;		     /* proposals/transforms in the offer, before the cap */
	struct tk_xform chosen;		     /* what the responder accepted */
	int32_t auth_method;		     /* IKEv1 from the SA; IKEv2 from AUTH (decrypted) */
	int32_t ke_group[2];		     /* group of the KE each side sent */
	bool natd_seen[2];
	bool natd_checked;
	uint8_t step[2];	  /* exchange-table step reached by each side */
	bool p1_done;		  /* phase 1 / IKE_AUTH completed */
	bool p1_done_by_evidence; /* inferred (QM seen) rather than seen */
	bool active_before;	  /* first seen already established */
	struct tk_origin *origin; /* the initiator's, for an SA seen from its first message */
	bool progressed;	  /* the initiator sent its second set-up message */
	/* IKEv2: the initiator refused the responder's IKE_AUTH answer with an
	 * INFORMATIONAL (RFC 7296 2.21.2), read decrypted or judged from its
	 * shape; the frame of that INFORMATIONAL */
	bool auth_refused_by_i;
	struct tk_ref auth_refusal;

	uint16_t nmsgs;
	uint32_t nmsgs_total; /* incl. those dropped by the cap */
	struct tk_msg *msgs;  /* nmsgs, capacity TK_MAX_MSGS */

	uint8_t np2, cap2;
	struct tk_p2 *p2; /* np2 of them, at most TK_MAX_P2 */
	uint8_t nevents;
	struct tk_event events[TK_MAX_EVENTS];
	uint8_t nattempts;
	struct tk_attempt attempts[TK_MAX_ATTEMPTS];

	/* ESP/AH seen between the peers (packets sent by each side) */
	uint64_t esp_pkts[2];
	struct tk_ref esp_first;
	/* liveness */
	uint16_t dpd_sent[2], dpd_acked[2];
	tk_time last_heard[2];

	/* IKE SA rekey: the SA this one replaced / was replaced by */
	struct tk_sa *rekeyed_from, *rekeyed_to;

	/* findings raised on this SA (ids) */
	uint8_t nfindings;
	unsigned findings[16];

	/* what decryption showed (src/decrypt) */
	int8_t decrypts[2]; /* messages from this side decrypt with the keys: 1 yes, 0 no, -1
			       untried */
	struct tk_ref decrypt_fail_ref[2];
	int8_t hash_ok[2]; /* this side's HASH_I/HASH_R or AUTH verified with a PSK: 1, 0 (with
			      every candidate), -1 */
	struct tk_ref hash_ref[2];
	char psk_note[2][128]; /* which PSK verified this side's hash (never the secret) */
	int8_t
	    psk_own_ok[2]; /* this side's hash checked with the PSK configured on it for its peer */
	int8_t psk_peer_ok[2]; /* ... and with the PSK its peer is configured with for it */
	char psk_own_src[2][64], psk_peer_src[2][64]; /* where those PSKs came from (file:line) */
	char id_text[2][160];			      /* each side's identity, when visible */
	char id_wanted[160];	/* IKEv2: the IDr an initiator asked for in IKE_AUTH */
	const char *nokeys_why; /* why this SA could not be decrypted */

	/* IKEv1 fragmentation (payload 132): the fragments of the message being
	 * reassembled (RFC-less Cisco/strongSwan scheme: each fragment carries a
	 * piece of the whole ISAKMP message, header included) */
	struct tk_frag1 *frag1;

	/* decryption state (owned by src/decrypt) */
	void *kx;
};

/* Peers: the story of everything between two addresses. */
struct tk_peer {
	struct tk_peer *next;
	struct addr a, b; /* a < b */
	unsigned nsas, nsas_established, nsas_failed;
	unsigned short_lived; /* established and deleted within two minutes */
	tk_time first, last;
	uint64_t frames_a_to_b, frames_b_to_a;
	uint64_t icmp_unreach; /* ICMP errors about IKE between them */
	uint64_t icmp_reasm;   /* ICMP "fragment reassembly time exceeded" about IKE */
	struct tk_ref icmp_reasm_ref;
	struct tk_ref icmp_ref;
	uint8_t icmp_type, icmp_code;
	struct addr icmp_from; /* who sent that ICMP error (the peer, or a router) */
	bool icmp_v6;
	struct tk_sa *sa_first, *sa_last; /* live SAs between them */
	/* findings on this peer not yet handed out (diag.c merges into them) */
	uint8_t nfids;
	unsigned fids[8];
};

/* An address that starts IKE SAs: how many, with how many responders, and
 * in how many it went past its first message (a scanner never does). */
struct tk_origin {
	struct tk_origin *next;
	struct addr a;
	unsigned nsas, npeers, nprogressed;
	tk_time first, last;
};

/* ESP / AH flows per (destination, SPI). */
struct tk_flow {
	struct tk_flow *next_hash, *next_all, *prev_all;
	uint32_t spi;
	uint8_t proto; /* 50 ESP, 51 AH */
	struct addr src, dst;
	uint16_t sport, dport; /* UDP encapsulation */
	bool udp_encap;
	struct tk_ref first, last;
	uint64_t packets, bytes;
	uint32_t seq_first, seq_max;
	uint64_t seq_unique;
	uint64_t replays, reordered;
	uint64_t bitmap[32];		   /* window of 2048 sequence numbers below seq_max */
	struct tk_sa *sa;		   /* the IKE SA it belongs to while that SA is live */
	struct tk_flow *sa_next, *sa_prev; /* that SA's flows */
	unsigned sa_id;			   /* the same, kept after the SA is gone (0 = none) */
	uint8_t sa_ispi[8], sa_rspi[8];
	const char *sa_basis; /* "spi" (negotiated here), "peers" (same addresses) */
	bool after_delete;    /* seen after its SA's delete */
	uint64_t decrypted, decrypt_failed;
	void *kx; /* crypto state */
	bool reported;
};

/* What the tracker says about one frame (for its packet line / record). */
struct tk_info {
	struct tk_sa *sa;
	struct tk_flow *flow;
	const struct tk_msg *msg; /* the message (first transmission) */
	enum tk_label label;
	uint8_t from; /* enum tk_side */
	bool retransmission;
	uint16_t retx_n; /* which retransmission (1-based) */
	struct tk_ref retx_of;
	bool duplicate; /* capture duplicate of retx_of */
	bool new_sa;
	bool p2_index_valid;
	uint8_t p2_index;
};

/* Events for the consumers (text, JSON, TUI). */
struct tk_events {
	void (*sa_closed)(void *ctx, struct tk_sa *sa); /* final record; sa freed afterwards */
	void (*flow_closed)(void *ctx, struct tk_flow *f);
	void (*state_changed)(void *ctx, struct tk_sa *sa); /* live updates (TUI) */
	void *ctx;
};

struct tk_limits {
	unsigned max_sas;   /* default 65536 live IKE SAs */
	unsigned max_flows; /* default 65536 */
	unsigned
	    idle_timeout_s; /* close SAs idle this long in capture time (default 3600; live: 600) */
};

struct tracker;
struct kx_store;

struct tracker *tk_new(const struct tk_limits *lim, const struct tk_events *ev);
void tk_free(struct tracker *tk);
/* Key material for decryption (may be NULL). */
void tk_set_keys(struct tracker *tk, struct kx_store *ks);

/*
 * Before parsing: options that depend on the conversation (payload 15 is a
 * draft NAT-D when the SA's peers exchanged a pre-03 NAT-T draft VID).
 */
void tk_parse_opts(struct tracker *tk, const struct cap_frame *f, const uint8_t *ike, size_t len,
		   struct ike_parse_opts *o);

/*
 * One IKE message.  May decrypt it (then m->decrypted and the chain/SK inner
 * chains are filled from `ar`).  Fills *info for the packet line.
 */
void tk_ike(struct tracker *tk, const struct cap_frame *f, struct ike_msg *m, struct arena *ar,
	    struct tk_info *info);
/* One ESP or AH packet (spi, seq from the header). */
void tk_esp(struct tracker *tk, const struct cap_frame *f, uint8_t proto, uint32_t spi,
	    uint32_t seq, struct tk_info *info);
/* An ICMP error quoting an IKE datagram. */
void tk_icmp(struct tracker *tk, const struct cap_frame *f, struct tk_info *info);
/* Advance the clock: close SAs and flows idle past the timeout. */
void tk_tick(struct tracker *tk, tk_time now);
/* End of all input: close everything (sa_closed/flow_closed for each). */
void tk_finish(struct tracker *tk);

/* Iteration over live SAs / flows (for the TUI and live reports). */
struct tk_sa *tk_first_sa(struct tracker *tk);
struct tk_sa *tk_next_sa(struct tk_sa *sa);
struct tk_flow *tk_first_flow(struct tracker *tk);
struct tk_flow *tk_next_flow(struct tk_flow *f);

/* Vantage: which directions of the conversation the capture holds. */
bool tk_sees_both_directions(const struct tk_sa *sa);

/* The first error notify (type < 16384) a message carries (cleartext or
 * decrypted), or 0; whether it carries a payload type. */
uint16_t tk_msg_error_notify(const struct tk_msg *m);
bool tk_msg_has_ptype(const struct tk_msg *m, uint8_t type);

/* FNV-1a 64 of bytes: the identity of a message for retransmissions. */
uint64_t tk_hash_bytes(const uint8_t *p, size_t n);

/* Advance the exchange-table step of the message's sender (used to replay a ladder). */
void tk_update_steps(struct tk_sa *sa, const struct tk_msg *msg);

/* States of each side (CONTRACT.md "States"); NULL for a side that never spoke. */
const char *tk_state_asa(const struct tk_sa *sa, enum tk_side s);
const char *tk_state_ios(const struct tk_sa *sa, enum tk_side s);

/*
 * The ladder: each side's state (ASA names) after each kept message,
 * replaying the exchange-table steps on scratch (overwritten with a copy of
 * sa).  Once the last set-up message is in, or at the last message, the
 * SA's own verdict applies.  st[i][TK_I] and st[i][TK_R] describe the sides
 * after msgs[i]: static strings, or NULL for a side that has not spoken.
 */
void tk_ladder_states(const struct tk_sa *sa, struct tk_sa *scratch, const char *(*st)[2]);

#endif
