/* track_int.h - shared by the tracker's files only. */
#ifndef IKELENS_TRACK_INT_H
#define IKELENS_TRACK_INT_H

#include "src/track/track.h"

struct tracker {
	struct tk_limits lim;
	struct tk_events ev;

	struct tk_sa **sa_hash; /* by initiator SPI */
	unsigned sa_hash_mask;
	struct tk_sa *sa_first, *sa_last; /* live SAs, in creation order */
	unsigned nsas;
	unsigned next_sa_id;

	struct tk_flow **fl_hash; /* by (dst, spi) */
	unsigned fl_hash_mask;
	struct tk_flow *fl_first, *fl_last;
	unsigned nflows;

	struct tk_peer **peer_hash;
	unsigned peer_hash_mask;
	struct tk_peer *peers; /* all peers (small; kept for the run) */
	unsigned npeers;

	struct tk_origin **origin_hash; /* by initiator address, kept for the run */
	unsigned origin_hash_mask;

	tk_time now;
	tk_time next_sweep;
	struct kx_store *ks;
	bool finishing;
};

/* exchange.c */
enum tk_label tk_v1_label(struct tk_sa *sa, uint8_t from, const struct ike_msg *m,
			  bool *is_retx_candidate);
enum tk_label tk_v2_label(const struct ike_msg *m);
void tk_finalize(struct tracker *tk, struct tk_sa *sa);
struct tk_p2 *tk_p2_get(struct tk_sa *sa, uint32_t msgid, uint8_t from, uint8_t exch, bool create);
void tk_p2_message(struct tk_sa *sa, struct tk_p2 *p, const struct tk_msg *msg, bool retx);

/* natd.c */
void tk_natd_check(struct tk_sa *sa, uint8_t from, const struct cap_frame *f,
		   const struct ike_msg *m);

/* flow.c */
void tk_flows_sweep(struct tracker *tk, tk_time now, bool all);
void tk_flows_free(struct tracker *tk);

/* track.c */
struct tk_peer *tk_peer_get(struct tracker *tk, const struct addr *x, const struct addr *y);
struct tk_peer *tk_peer_find(struct tracker *tk, const struct addr *x, const struct addr *y);

#endif
