/*
 * report.c - the report for a support ticket (--report md|html, UX.md
 * "Report"): one document written at the end of the run.
 *
 * In order: a title that is the verdict in one line; the capture's facts
 * (inputs by base name, first and last packet, span, frame counts, which
 * directions the capture holds per peer pair, live or file, kernel drops);
 * the key material used (counts, never a secret); a table of every IKE SA;
 * then, for each SA that failed (or carries an error finding), its ladder,
 * the stall line, phase 2 and every finding with its confidence,
 * alternatives, frames, proof and fix per vendor; findings tied to no IKE SA
 * (ESP); the other findings; the ESP/AH flows.
 *
 * The tracker frees an SA once its callback returns, so what the report
 * needs is copied then, bounded: a summary row per SA (up to R_MAX_SAS), the
 * ladder only for failed SAs (up to R_MAX_DETAIL), flows and findings up to
 * their caps.  The report says when a cap was hit.  Nothing is allocated per
 * packet: the packet callback only counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dissect/ike.h"
#include "dissect/names.h"
#include "src/cli.h"
#include "src/diag/diag.h"
#include "src/output/ladder.h"
#include "src/output/out.h"
#include "src/output/report_doc.h"
#include "src/output/report_redact.h"
#include "src/output/sbuf.h"

#define R_MAX_SAS 10000 /* summary rows */
#define R_MAX_DETAIL 32 /* SAs shown with ladder and findings */
#define R_MAX_FLOWS 2000
#define R_MAX_FINDINGS 1000
#define R_MAX_PAIRS 256
#define R_PAIR_SLOTS 512  /* power of two, > R_MAX_PAIRS */
#define R_MAX_P2 8	  /* phase 2 exchanges shown per failed SA */
#define R_FRAMES_SHOWN 24 /* frames listed per finding */
#define R_ID_CACHE 64	  /* SAs whose cleartext identities are remembered */

/* ---- what is kept ---- */

struct r_row { /* one ladder line */
	struct tk_ref ref;
	const char *label;
	uint8_t from;
	const char *si, *sr;
	char what[200];
	uint16_t nretx, ndup;
	uint8_t nretx_kept;
	struct tk_ref retx[TK_MAX_RETX];
};

struct r_p2 {
	uint32_t msgid;
	uint8_t initiator;
	enum tk_status status;
	const char *state;
	uint16_t error_notify;
	bool rekey, ike_rekey;
	char proposal[200];
	char offer[200];
	char ts[2][100];
	uint8_t nframes;
	struct tk_ref frames[TK_MAX_P2_FRAMES];
};

struct r_detail {
	char id_text[2][160];
	char vendors[2][400];
	uint8_t noffer, noffer_total;
	char offer[4][320];
	char chosen[200];
	int8_t nat[2];
	bool floated[2];
	uint16_t nrows;
	struct r_row *rows;
	uint32_t nmsgs_total;
	int stall; /* row of the last step forward, -1 */
	uint64_t esp_pkts[2];
	struct tk_ref esp_first;
	uint8_t np2, np2_total;
	struct r_p2 p2[R_MAX_P2];
	int8_t decrypts[2], hash_ok[2], psk_own_ok[2], psk_peer_ok[2];
	struct tk_ref hash_ref[2];
	char psk_note[2][128];
	char psk_own_src[2][64], psk_peer_src[2][64];
	const char *nokeys_why;
};

struct r_sa {
	unsigned id;
	uint8_t version;
	enum tk_mode mode;
	bool role_known;
	struct addr addr[2];
	uint8_t ispi[8], rspi[8];
	bool rspi_known;
	enum tk_status status;
	const char *st[2], *ios[2];
	struct tk_ref first, last;
	bool both;
	bool failed;  /* the SA, or one of its phase 2, failed, stalled or was rejected */
	bool errfind; /* carries a finding of severity error */
	uint8_t np2, np2_bad, np2_ok;
	enum tk_status p2_worst;
	char family[2][40];
	uint8_t nfind;
	unsigned find[16];
	struct r_detail *d;
};

struct r_flow {
	uint32_t spi;
	uint8_t proto;
	struct addr src, dst;
	uint16_t sport, dport;
	bool udp_encap;
	struct tk_ref first, last;
	uint64_t packets, bytes, gaps, replays, reordered, decrypted, decrypt_failed;
	uint32_t seq_first, seq_max;
	unsigned sa_id;
	bool after_delete;
};

struct r_pair {
	bool used;
	struct addr a, b;	 /* a < b */
	uint64_t ike[2], esp[2]; /* [0] a -> b, [1] b -> a */
	unsigned order;
};

/* Identities an SA showed in clear (aggressive mode), for SAs the key
 * material did not cover (tk_sa.id_text is filled by decryption). */
struct r_idc {
	unsigned sa_id;
	char id[2][160];
};

struct rctx {
	enum rd_fmt fmt;

	struct r_sa *sas;
	unsigned nsas, cap_sas;
	unsigned sas_total, sas_dropped, failed_total;
	unsigned status_count[TS_COUNT];
	unsigned ndetail, detail_dropped;
	struct tk_sa *scratch; /* for replaying a ladder's states */

	struct r_flow *flows;
	unsigned nflows, cap_flows, flows_total, flows_dropped;

	struct finding *fds;
	unsigned nfds, cap_fds, fds_total, fds_dropped;

	struct r_pair *pairs;
	unsigned npairs;
	uint64_t pairs_other;

	uint64_t ike_enc, ike_dec, esp_seen, esp_tried, esp_dec, esp_icv_bad;

	struct r_idc *idc; /* R_ID_CACHE entries, reused in turn */
	unsigned idc_next;

	/* placeholders: every SA's peers and identities are known to it as the
	 * SA closes, so text about any SA is redacted, shown in detail or not */
	struct rr *rr;
};

static bool
status_bad(enum tk_status s)
{
	return s == TS_FAILED || s == TS_STALLED || s == TS_REJECTED;
}

static bool
grow(void **arr, unsigned *cap, unsigned need, unsigned max, size_t size)
{
	if (need <= *cap)
		return true;
	if (need > max)
		return false;
	unsigned nc = *cap ? *cap * 2 : 16;
	if (nc > max)
		nc = max;
	void *n = realloc(*arr, (size_t)nc * size);
	if (!n)
		return false;
	*arr = n;
	*cap = nc;
	return true;
}

/* ---- packets: counters only ---- */

static struct r_pair *
pair_of(struct rctx *r, const struct addr *x, const struct addr *y, int *dir)
{
	if (!r->pairs)
		return NULL;
	bool swap = addr_cmp(x, y) > 0;
	const struct addr *a = swap ? y : x, *b = swap ? x : y;
	*dir = swap ? 1 : 0;
	uint32_t h = (addr_hash(a) * 31u + addr_hash(b)) & (R_PAIR_SLOTS - 1);
	for (unsigned k = 0; k < R_PAIR_SLOTS; k++) {
		struct r_pair *p = &r->pairs[(h + k) & (R_PAIR_SLOTS - 1)];
		if (!p->used) {
			if (r->npairs >= R_MAX_PAIRS)
				return NULL;
			p->used = true;
			p->a = *a;
			p->b = *b;
			p->order = r->npairs++;
			return p;
		}
		if (addr_eq(&p->a, a) && addr_eq(&p->b, b))
			return p;
	}
	return NULL;
}

static struct r_idc *
idc_find(struct rctx *r, unsigned sa_id)
{
	for (unsigned i = 0; r->idc && i < R_ID_CACHE; i++)
		if (r->idc[i].sa_id == sa_id)
			return &r->idc[i];
	return NULL;
}

static void
remember_id(struct rctx *r, unsigned sa_id, uint8_t from, const struct ike_msg *m)
{
	if (!r->idc || m->v2 || (m->encrypted && !m->decrypted))
		return;
	const struct ike_pld *p = ike_find(&m->chain, IKE1_ID);
	if (!p || !p->known)
		return;
	struct r_idc *c = idc_find(r, sa_id);
	if (!c) {
		c = &r->idc[r->idc_next];
		r->idc_next = (r->idc_next + 1) % R_ID_CACHE;
		memset(c, 0, sizeof *c);
		c->sa_id = sa_id;
	}
	ike_id_text(false, p->u.id.type, p->u.id.data, p->u.id.len, c->id[from],
		    sizeof c->id[from]);
}

static void
r_packet(struct out *o, const struct pkt_view *pv)
{
	struct rctx *r = o->ctx;
	const struct cap_frame *f = pv->f;
	bool ike = f->kind == CAP_IKE, esp = f->kind == CAP_ESP || f->kind == CAP_AH;
	if (ike && pv->ike && pv->ike->encrypted) {
		r->ike_enc++;
		if (pv->ike->decrypted)
			r->ike_dec++;
	}
	if (f->kind == CAP_ESP) {
		r->esp_seen++;
		r->esp_tried += pv->esp_tried;
		r->esp_dec += pv->esp_decrypted;
		r->esp_icv_bad += pv->esp_icv_checked && !pv->esp_icv_ok;
	}
	const struct tk_info *ti = pv->ti;
	if (ike && pv->ike && ti && ti->sa && !ti->retransmission && !ti->duplicate &&
	    (ti->label == TL_AM1 || ti->label == TL_AM2) && ti->from < 2)
		remember_id(r, ti->sa->id, ti->from, pv->ike);
	if ((ike || esp) && f->src.af && f->dst.af) {
		int dir;
		struct r_pair *p = pair_of(r, &f->src, &f->dst, &dir);
		if (!p)
			r->pairs_other++;
		else if (ike)
			p->ike[dir]++;
		else
			p->esp[dir]++;
	}
}

/* ---- an SA: its row, and for a failed one the ladder ---- */

/* What a message carried, in the ladder's words (as the text output). */
static void
msg_what(const struct tk_sa *sa, const struct tk_msg *m, char *buf, size_t len)
{
	ladder_what(sa, m, buf, len);
	struct sbuf s = {buf, strlen(buf), len};
	if (m->decrypted)
		sb_printf(&s, " (decrypted)");
	if (m->ip_fragmented)
		sb_printf(&s, ", IP-fragmented");
}

/* The ladder: each side's state after each message, replaying the
 * exchange-table steps on a copy of the SA (as the text output does). */
static void
ladder(struct rctx *r, const struct tk_sa *sa, struct r_detail *d)
{
	d->stall = -1;
	if (sa->nmsgs == 0)
		return;
	d->rows = calloc(sa->nmsgs, sizeof *d->rows);
	if (!d->rows)
		return;
	if (!r->scratch && !(r->scratch = malloc(sizeof *r->scratch)))
		return;
	const char *(*st)[2] = malloc(sa->nmsgs * sizeof *st);
	if (!st)
		return;
	tk_ladder_states(sa, r->scratch, st);
	const char *psi = NULL, *psr = NULL;
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		struct r_row *w = &d->rows[d->nrows++];
		w->ref = m->ref;
		w->label = tk_label_name(m->label);
		w->from = m->from;
		w->si = st[i][TK_I];
		w->sr = st[i][TK_R];
		msg_what(sa, m, w->what, sizeof w->what);
		w->nretx = m->nretx;
		w->ndup = m->ndup;
		w->nretx_kept = (uint8_t)(m->nretx < TK_MAX_RETX ? m->nretx : TK_MAX_RETX);
		memcpy(w->retx, m->retx, w->nretx_kept * sizeof w->retx[0]);
		if (i == 0 || w->si != psi || w->sr != psr)
			d->stall = (int)i;
		psi = w->si;
		psr = w->sr;
	}
	free(st);
}

static void
join_vendors(const struct tk_side_info *si, char *buf, size_t len)
{
	struct sbuf s = {buf, 0, len};
	buf[0] = '\0';
	for (unsigned i = 0; i < si->nvendors && i < TK_MAX_VENDORS; i++)
		if (si->vendors[i])
			sb_printf(&s, "%s%s", i ? ", " : "", si->vendors[i]);
}

static struct r_detail *
detail_new(struct rctx *r, const struct tk_sa *sa)
{
	struct r_detail *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	const struct r_idc *c = idc_find(r, sa->id);
	for (int s = 0; s < 2; s++) {
		snprintf(d->id_text[s], sizeof d->id_text[s], "%s",
			 sa->id_text[s][0] || !c ? sa->id_text[s] : c->id[s]);
		join_vendors(&sa->side[s], d->vendors[s], sizeof d->vendors[s]);
		d->nat[s] = sa->side[s].nat;
		d->floated[s] = sa->side[s].floated;
		d->decrypts[s] = sa->decrypts[s];
		d->hash_ok[s] = sa->hash_ok[s];
		d->hash_ref[s] = sa->hash_ref[s];
		d->psk_own_ok[s] = sa->psk_own_ok[s];
		d->psk_peer_ok[s] = sa->psk_peer_ok[s];
		snprintf(d->psk_note[s], sizeof d->psk_note[s], "%s", sa->psk_note[s]);
		snprintf(d->psk_own_src[s], sizeof d->psk_own_src[s], "%s", sa->psk_own_src[s]);
		snprintf(d->psk_peer_src[s], sizeof d->psk_peer_src[s], "%s", sa->psk_peer_src[s]);
		d->esp_pkts[s] = sa->esp_pkts[s];
	}
	d->nokeys_why = sa->nokeys_why;
	d->esp_first = sa->esp_first;
	d->noffer_total = sa->noffer_total;
	for (unsigned i = 0; i < sa->noffer && i < 4; i++)
		snprintf(d->offer[d->noffer++], sizeof d->offer[0], "%s", sa->offer_text[i]);
	if (sa->chosen.set)
		tk_xform_text(&sa->chosen, d->chosen, sizeof d->chosen);
	d->nmsgs_total = sa->nmsgs_total;
	d->np2_total = sa->np2;
	/* the failing exchanges first: they are why the SA is here */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < sa->np2 && d->np2 < R_MAX_P2; i++) {
			const struct tk_p2 *p = &sa->p2[i];
			if (status_bad(p->status) != (pass == 0))
				continue;
			struct r_p2 *q = &d->p2[d->np2++];
			q->msgid = p->msgid;
			q->initiator = p->initiator;
			q->status = p->status;
			q->state = p->state;
			q->error_notify = p->error_notify;
			q->rekey = p->rekey;
			q->ike_rekey = p->ike_rekey;
			if (p->proposal.set)
				tk_xform_text(&p->proposal, q->proposal, sizeof q->proposal);
			snprintf(q->offer, sizeof q->offer, "%s", p->offer_text);
			snprintf(q->ts[0], sizeof q->ts[0], "%s", p->ts[0]);
			snprintf(q->ts[1], sizeof q->ts[1], "%s", p->ts[1]);
			q->nframes = p->nframes < TK_MAX_P2_FRAMES ? p->nframes : TK_MAX_P2_FRAMES;
			memcpy(q->frames, p->frames, q->nframes * sizeof q->frames[0]);
		}
	ladder(r, sa, d);
	return d;
}

static void
detail_free(struct r_detail *d)
{
	if (!d)
		return;
	free(d->rows);
	free(d);
}

static void
r_sa(struct out *o, const struct tk_sa *sa)
{
	struct rctx *r = o->ctx;
	bool failed = status_bad(sa->status);
	for (unsigned i = 0; i < sa->np2; i++)
		failed = failed || status_bad(sa->p2[i].status);
	bool errfind = false;
	for (unsigned i = 0; i < sa->nfindings && i < 16 && o->dg; i++) {
		const struct finding *fd = diag_get(o->dg, sa->findings[i]);
		errfind = errfind || (fd && fd->severity == SEV_ERROR);
	}
	r->sas_total++;
	r->failed_total += failed;
	const struct r_idc *c = idc_find(r, sa->id);
	for (int s = 0; s < 2; s++) {
		rr_peer(r->rr, &sa->side[s].addr);
		rr_identity(r->rr, sa->id_text[s]);
		if (c)
			rr_identity(r->rr, c->id[s]);
	}
	if (sa->status < TS_COUNT)
		r->status_count[sa->status]++;
	if (!grow((void **)&r->sas, &r->cap_sas, r->nsas + 1, R_MAX_SAS, sizeof *r->sas)) {
		r->sas_dropped++;
		return;
	}
	struct r_sa *w = &r->sas[r->nsas++];
	memset(w, 0, sizeof *w);
	w->id = sa->id;
	w->version = sa->version;
	w->mode = sa->mode;
	w->role_known = sa->role_known;
	for (int s = 0; s < 2; s++) {
		w->addr[s] = sa->side[s].addr;
		w->st[s] = tk_state_asa(sa, (enum tk_side)s);
		w->ios[s] = tk_state_ios(sa, (enum tk_side)s);
		snprintf(w->family[s], sizeof w->family[s], "%s",
			 sa->side[s].family ? sa->side[s].family : "");
	}
	memcpy(w->ispi, sa->ispi, 8);
	memcpy(w->rspi, sa->rspi, 8);
	w->rspi_known = sa->rspi_known;
	w->status = sa->status;
	w->first = sa->first;
	w->last = sa->last;
	w->both = tk_sees_both_directions(sa);
	w->failed = failed;
	w->errfind = errfind;
	w->np2 = sa->np2;
	w->p2_worst = TS_ESTABLISHED;
	for (unsigned i = 0; i < sa->np2; i++) {
		enum tk_status ps = sa->p2[i].status;
		if (status_bad(ps)) {
			w->np2_bad++;
			if (!status_bad(w->p2_worst))
				w->p2_worst = ps;
		} else if (ps == TS_ESTABLISHED || ps == TS_REKEYED || ps == TS_DELETED) {
			w->np2_ok++;
		}
	}
	w->nfind = sa->nfindings < 16 ? sa->nfindings : 16;
	memcpy(w->find, sa->findings, w->nfind * sizeof w->find[0]);
	if (failed || errfind) {
		if (r->ndetail < R_MAX_DETAIL) {
			w->d = detail_new(r, sa);
			r->ndetail += w->d != NULL;
		} else {
			r->detail_dropped++;
		}
	}
}

static void
r_flow(struct out *o, const struct tk_flow *fl)
{
	struct rctx *r = o->ctx;
	r->flows_total++;
	rr_peer(r->rr, &fl->src);
	rr_peer(r->rr, &fl->dst);
	if (!grow((void **)&r->flows, &r->cap_flows, r->nflows + 1, R_MAX_FLOWS,
		  sizeof *r->flows)) {
		r->flows_dropped++;
		return;
	}
	struct r_flow *w = &r->flows[r->nflows++];
	memset(w, 0, sizeof *w);
	w->spi = fl->spi;
	w->proto = fl->proto;
	w->src = fl->src;
	w->dst = fl->dst;
	w->sport = fl->sport;
	w->dport = fl->dport;
	w->udp_encap = fl->udp_encap;
	w->first = fl->first;
	w->last = fl->last;
	w->packets = fl->packets;
	w->bytes = fl->bytes;
	uint64_t span = fl->packets ? (uint64_t)(fl->seq_max - fl->seq_first) + 1 : 0;
	w->gaps = span > fl->seq_unique ? span - fl->seq_unique : 0;
	w->replays = fl->replays;
	w->reordered = fl->reordered;
	w->decrypted = fl->decrypted;
	w->decrypt_failed = fl->decrypt_failed;
	w->seq_first = fl->seq_first;
	w->seq_max = fl->seq_max;
	w->sa_id = fl->sa_id;
	w->after_delete = fl->after_delete;
}

static void
r_finding(struct out *o, const struct finding *fd)
{
	struct rctx *r = o->ctx;
	r->fds_total++;
	if (!grow((void **)&r->fds, &r->cap_fds, r->nfds + 1, R_MAX_FINDINGS, sizeof *r->fds)) {
		r->fds_dropped++;
		return;
	}
	r->fds[r->nfds++] = *fd;
	r->fds[r->nfds - 1].peer = NULL; /* not ours to keep */
}

/* ---- rendering helpers ---- */

struct rend {
	struct out *o;
	struct rctx *r;
	struct rdoc d;
	const struct run_info *ri;
	bool keys_given;
};

static const struct finding *
finding_by_id(const struct rctx *r, unsigned id)
{
	/* findings arrive in id order */
	unsigned lo = 0, hi = r->nfds;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (r->fds[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nfds && r->fds[lo].id == id)
		return &r->fds[lo];
	for (unsigned i = 0; i < r->nfds; i++)
		if (r->fds[i].id == id)
			return &r->fds[i];
	return NULL;
}

/* The finding that explains an SA best: most severe, then most confident. */
static const struct finding *
top_finding(const struct rctx *r, const struct r_sa *w)
{
	const struct finding *best = NULL;
	for (unsigned i = 0; i < w->nfind; i++) {
		const struct finding *f = finding_by_id(r, w->find[i]);
		if (!f)
			continue;
		if (!best || f->severity < best->severity ||
		    (f->severity == best->severity && f->confidence < best->confidence))
			best = f;
	}
	return best;
}

static const char *
sev_class(enum diag_sev s)
{
	return s == SEV_ERROR ? "bad" : s == SEV_WARNING ? "warn" : "info";
}

static const char *
status_class(enum tk_status s)
{
	switch (s) {
	case TS_FAILED:
	case TS_STALLED:
	case TS_REJECTED:
		return "bad";
	case TS_ESTABLISHED:
	case TS_ESTABLISHED_BEFORE:
	case TS_REKEYED:
		return "ok";
	case TS_DELETED:
		return "info";
	default:
		return "warn";
	}
}

static const char *
mode_text(uint8_t version, enum tk_mode mode)
{
	return version == 2	       ? "IKEv2"
	       : mode == TM_MAIN       ? "IKEv1 main mode"
	       : mode == TM_AGGRESSIVE ? "IKEv1 aggressive mode"
				       : "IKEv1";
}

static const char *
frame_text(const struct rend *R, const struct tk_ref *ref, char *buf, size_t len)
{
	if (R->o->multi_file)
		snprintf(buf, len, "%u:%llu", ref->file + 1, (unsigned long long)ref->frame);
	else
		snprintf(buf, len, "%llu", (unsigned long long)ref->frame);
	return buf;
}

static double
rel(const struct rend *R, tk_time t)
{
	return (double)(t - R->ri->first) / 1e6;
}

static void
span_text(tk_time us, char *buf, size_t len)
{
	double s = (double)us / 1e6;
	if (s < 120)
		snprintf(buf, len, "%.3f s", s);
	else if (s < 7200)
		snprintf(buf, len, "%.1f s (%.1f min)", s, s / 60);
	else
		snprintf(buf, len, "%.0f s (%.1f h)", s, s / 3600);
}

static void
addr_out(struct rend *R, const struct addr *a)
{
	char b[ADDR_STRLEN + 16];
	rd_txt(&R->d, rr_addr(R->d.rr, a, b, sizeof b));
}

static const char *
side_word(uint8_t s)
{
	return s == TK_I ? "initiator" : s == TK_R ? "responder" : "unknown side";
}

/* A list of frames, at most `max`, then how many more. */
static void
frames_out(struct rend *R, const struct tk_ref *refs, unsigned n, unsigned max)
{
	char fb[32];
	unsigned shown = n < max ? n : max;
	for (unsigned i = 0; i < shown; i++) {
		if (i)
			rd_txt(&R->d, ", ");
		rd_txt(&R->d, frame_text(R, &refs[i], fb, sizeof fb));
	}
	if (n > shown)
		rd_txtf(&R->d, " and %u more", n - shown);
}

/* psk_note: "the PSK for NAME (ORIGIN)": NAME is an address or identity. */
static void
psk_note_out(struct rend *R, const char *note)
{
	static const char pre[] = "the PSK for ";
	const char *open = strrchr(note, '(');
	if (strncmp(note, pre, sizeof pre - 1) == 0 && open && open > note + sizeof pre) {
		char name[128];
		size_t n = (size_t)(open - 1 - (note + sizeof pre - 1));
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, note + sizeof pre - 1, n);
		name[n] = '\0';
		char idb[200];
		rd_txt(&R->d, pre);
		rd_txt(&R->d, rr_id(R->d.rr, name, idb, sizeof idb));
		rd_txt(&R->d, " ");
		rd_wire(&R->d, open);
		return;
	}
	rd_wire(&R->d, note);
}

/* ---- sections ---- */

/* "2 established, 1 failed" */
static void
status_counts(const struct rctx *r, char *buf, size_t len)
{
	struct sbuf s = {buf, 0, len};
	buf[0] = '\0';
	bool first = true;
	for (int st = 0; st < TS_COUNT; st++) {
		if (!r->status_count[st])
			continue;
		sb_printf(&s, "%s%u %s", first ? "" : ", ", r->status_count[st],
			  tk_status_name((enum tk_status)st));
		first = false;
	}
}

static void
verdict(const struct rend *R, char *buf, size_t len)
{
	const struct rctx *r = R->r;
	struct sbuf s = {buf, 0, len};
	buf[0] = '\0';
	/* distinct causes already named, so "also" does not repeat them */
	const struct finding *named[32];
	unsigned nnamed = 0, nocause = 0;
	if (r->sas_total == 0) {
		sb_printf(&s, "No IKE SA in the capture");
		if (r->flows_total)
			sb_printf(&s, " (%u ESP/AH flow%s)", r->flows_total,
				  r->flows_total == 1 ? "" : "s");
	} else if (r->failed_total == 0) {
		char counts[256];
		status_counts(r, counts, sizeof counts);
		sb_printf(&s, "No IKE SA failed: %u IKE SA%s (%s)", r->sas_total,
			  r->sas_total == 1 ? "" : "s", counts);
	} else {
		sb_printf(&s, "%u of %u IKE SA%s failed", r->failed_total, r->sas_total,
			  r->sas_total == 1 ? "" : "s");
		unsigned shown = 0;
		for (unsigned i = 0; i < r->nsas; i++) {
			const struct r_sa *w = &r->sas[i];
			if (!w->failed)
				continue;
			const struct finding *f = top_finding(r, w);
			if (!f) {
				nocause++;
				continue;
			}
			bool dup = false;
			for (unsigned k = 0; k < nnamed; k++)
				dup = dup || (strcmp(named[k]->cause, f->cause) == 0 &&
					      named[k]->confidence == f->confidence);
			if (dup || nnamed >= 32)
				continue;
			named[nnamed++] = f;
			if (shown < 6)
				sb_printf(&s, "%s%s (%s)", shown ? ", " : ": ", f->cause,
					  diag_conf_name(f->confidence));
			else if (shown == 6)
				sb_printf(&s, ", ...");
			shown++;
		}
		if (nocause && !shown)
			sb_printf(&s, " (no cause found)");
	}
	/* errors elsewhere (ESP, an established SA's dead peer) */
	unsigned also = 0;
	for (unsigned i = 0; i < r->nfds && also < 4; i++) {
		const struct finding *f = &r->fds[i];
		if (f->severity != SEV_ERROR)
			continue;
		bool dup = false;
		for (unsigned k = 0; k < nnamed; k++)
			dup = dup || strcmp(named[k]->cause, f->cause) == 0;
		if (dup)
			continue;
		if (nnamed < 32)
			named[nnamed++] = f;
		sb_printf(&s, "%s%s (%s)", also ? ", " : "; also ", f->cause,
			  diag_conf_name(f->confidence));
		also++;
	}
}

static void
kv_row(struct rend *R, const char *k)
{
	rd_tr(&R->d, NULL);
	rd_cell_txt(&R->d, k);
	rd_td(&R->d);
}

static void
kv_end(struct rend *R)
{
	rd_td_end(&R->d);
	rd_tr_end(&R->d);
}

static void
capture_section(struct rend *R)
{
	const struct run_info *ri = R->ri;
	const struct cli *c = R->o->cli;
	struct rdoc *d = &R->d;
	char tb[48], tb2[48], sp[64];

	rd_h(d, 2, "capture");
	rd_txt(d, "Capture");
	rd_h_end(d, 2);
	static const char *const heads[] = {"Fact", "Value"};
	rd_table(d, 2, heads, "kv");
	if (ri->live) {
		kv_row(R, "Input");
		rd_txt(d, "live capture on interface ");
		rd_code(d, c->iface ? c->iface : "?");
		kv_end(R);
	} else {
		kv_row(R, ri->nfiles == 1 ? "Input file" : "Input files");
		for (unsigned i = 0; i < ri->nfiles && ri->files; i++) {
			if (i)
				rd_txt(d, ", ");
			if (ri->nfiles > 1)
				rd_txtf(d, "%u: ", i + 1);
			const char *f = ri->files[i];
			rd_code(d, strcmp(f, "-") == 0 ? "(standard input)" : rr_basename(f));
		}
		if (ri->nfiles > 1)
			rd_txt(d, " (frames are written file:frame)");
		kv_end(R);
	}
	kv_row(R, "Source");
	rd_txt(d, ri->live ? "live capture" : "saved capture file");
	kv_end(R);
	bool any = ri->matched > 0;
	kv_row(R, "First packet (UTC)");
	rd_txt(d, any ? out_time_rfc3339(ri->first, tb, sizeof tb) : "-");
	kv_end(R);
	kv_row(R, "Last packet (UTC)");
	rd_txt(d, any ? out_time_rfc3339(ri->last, tb2, sizeof tb2) : "-");
	kv_end(R);
	span_text(any ? ri->last - ri->first : 0, sp, sizeof sp);
	kv_row(R, "Span");
	rd_txt(d, sp);
	kv_end(R);
	kv_row(R, "Frames");
	rd_txtf(
	    d,
	    "%llu read, %llu of them IKE/ESP/AH-related: %llu IKE, %llu ESP, %llu AH, %llu NAT keepalives, "
	    "%llu ICMP errors about IKE, %llu IP fragments",
	    (unsigned long long)ri->frames, (unsigned long long)ri->matched,
	    (unsigned long long)ri->ike, (unsigned long long)ri->esp, (unsigned long long)ri->ah,
	    (unsigned long long)ri->keepalives, (unsigned long long)ri->icmp,
	    (unsigned long long)ri->fragments);
	kv_end(R);
	kv_row(R, "Malformed");
	rd_txtf(d, "%llu anomal%s", (unsigned long long)ri->anomalies,
		ri->anomalies == 1 ? "y" : "ies");
	kv_end(R);
	kv_row(R, "Kernel drops");
	if (ri->live)
		rd_txtf(d, "%llu%s", (unsigned long long)ri->ps_drop,
			ri->ps_drop ? " (the capture is incomplete)" : "");
	else
		rd_txt(d, "not applicable (file)");
	kv_end(R);
	kv_row(R, "IKE SAs");
	char counts[256];
	status_counts(R->r, counts, sizeof counts);
	rd_txtf(d, "%u%s%s%s", R->r->sas_total, counts[0] ? " (" : "", counts,
		counts[0] ? ")" : "");
	kv_end(R);
	kv_row(R, "ESP/AH flows");
	rd_txtf(d, "%u", R->r->flows_total);
	kv_end(R);
	unsigned sev[3] = {0, 0, 0};
	for (unsigned i = 0; i < R->r->nfds; i++)
		if (R->r->fds[i].severity <= SEV_INFO)
			sev[R->r->fds[i].severity]++;
	kv_row(R, "Findings");
	rd_txtf(d, "%u (%u error, %u warning, %u info)", R->r->fds_total, sev[0], sev[1], sev[2]);
	kv_end(R);
	kv_row(R, "Exit status");
	rd_txtf(d, "%d (%s)", ri->exit_status,
		ri->exit_status ? "a negotiation failed or a finding is an error"
				: "no failure, no error");
	kv_end(R);
	rd_table_end(d);

	/* vantage: which directions the capture holds, per pair of addresses */
	rd_h(d, 3, "vantage");
	rd_txt(d, "Vantage");
	rd_h_end(d, 3);
	struct rctx *r = R->r;
	if (r->npairs == 0) {
		rd_p(d);
		rd_txt(d, "No IKE, ESP or AH packet between two addresses.");
		rd_p_end(d);
		return;
	}
	rd_p(d);
	rd_txt(d, "Packets the capture holds between each pair of addresses, per direction. "
		  "One direction only means the capture point sees one way (or the other side "
		  "never answers).");
	rd_p_end(d);
	static const char *const vh[] = {"Address A",  "Address B",  "IKE A→B",	       "IKE B→A",
					 "ESP/AH A→B", "ESP/AH B→A", "Both directions"};
	rd_table(d, 7, vh, NULL);
	for (unsigned ord = 0; ord < r->npairs; ord++) {
		const struct r_pair *p = NULL;
		for (unsigned k = 0; k < R_PAIR_SLOTS && !p; k++)
			if (r->pairs[k].used && r->pairs[k].order == ord)
				p = &r->pairs[k];
		if (!p)
			continue;
		bool ab = p->ike[0] + p->esp[0] > 0, ba = p->ike[1] + p->esp[1] > 0;
		rd_tr(d, ab && ba ? "ok" : "warn");
		rd_td(d);
		addr_out(R, &p->a);
		rd_td_end(d);
		rd_td(d);
		addr_out(R, &p->b);
		rd_td_end(d);
		for (int k = 0; k < 4; k++) {
			uint64_t v = k == 0   ? p->ike[0]
				     : k == 1 ? p->ike[1]
				     : k == 2 ? p->esp[0]
					      : p->esp[1];
			rd_td(d);
			rd_txtf(d, "%llu", (unsigned long long)v);
			rd_td_end(d);
		}
		rd_td(d);
		rd_txt(d, ab && ba ? "yes" : ab ? "no: only A → B" : "no: only B → A");
		rd_td_end(d);
		rd_tr_end(d);
	}
	rd_table_end(d);
	if (r->pairs_other) {
		rd_note(d);
		rd_txtf(
		    d,
		    "More than %u address pairs: %llu packets of further pairs are not in this table.",
		    R_MAX_PAIRS, (unsigned long long)r->pairs_other);
		rd_note_end(d);
	}
}

static void
keys_section(struct rend *R)
{
	const struct cli *c = R->o->cli;
	struct rctx *r = R->r;
	struct rdoc *d = &R->d;
	rd_h(d, 2, "keys");
	rd_txt(d, "Key material");
	rd_h_end(d, 2);
	if (!R->keys_given) {
		rd_p(d);
		rd_txtf(
		    d,
		    "None given. Encrypted payloads stay encrypted (%llu encrypted IKE frame%s); "
		    "a finding that only keys could prove is at most \"likely\".",
		    (unsigned long long)r->ike_enc, r->ike_enc == 1 ? "" : "s");
		rd_p_end(d);
		return;
	}
	rd_ul(d);
	rd_li(d);
	unsigned npsk = (c->psk ? 1u : 0u) + (c->psk_file ? 1u : 0u);
	rd_txtf(d, "%u key file%s", c->nkeys, c->nkeys == 1 ? "" : "s");
	if (c->psk)
		rd_txt(d, ", 1 pre-shared key on the command line");
	if (c->psk_file)
		rd_txt(d, ", 1 pre-shared-key file");
	if (!npsk)
		rd_txt(d, ", no pre-shared key");
	rd_txt(d, ".");
	rd_li_end(d);
	rd_li(d);
	rd_txtf(d,
		"%llu of %llu encrypted IKE frames decrypted; %llu of %llu ESP packets decrypted",
		(unsigned long long)r->ike_dec, (unsigned long long)r->ike_enc,
		(unsigned long long)r->esp_dec, (unsigned long long)r->esp_seen);
	if (r->esp_tried > r->esp_dec)
		rd_txtf(d, " (%llu had a key and did not decrypt)",
			(unsigned long long)(r->esp_tried - r->esp_dec));
	if (r->esp_icv_bad)
		rd_txtf(d, ", %llu with a bad ICV", (unsigned long long)r->esp_icv_bad);
	rd_txt(d, ".");
	rd_li_end(d);
	rd_li(d);
	rd_txt(d, "Secrets, keys and key-file contents are never written into this report; key "
		  "origins appear as file:line.");
	rd_li_end(d);
	rd_ul_end(d);
}

static void
peer_cell(struct rend *R, const struct r_sa *w, int s)
{
	rd_td(&R->d);
	if (w->addr[s].af)
		addr_out(R, &w->addr[s]);
	else
		rd_txt(&R->d, "-");
	if (w->family[s][0]) {
		rd_txt(&R->d, " (");
		rd_wire(&R->d, w->family[s]);
		rd_txt(&R->d, ")");
	}
	rd_td_end(&R->d);
}

static void
tunnels_section(struct rend *R)
{
	struct rctx *r = R->r;
	struct rdoc *d = &R->d;
	rd_h(d, 2, "tunnels");
	rd_txt(d, "IKE SAs");
	rd_h_end(d, 2);
	if (r->nsas == 0) {
		rd_p(d);
		rd_txt(d, "The capture holds no IKE negotiation.");
		rd_p_end(d);
		return;
	}
	static const char *const heads[] = {
	    "SA",     "Initiator",	 "Responder",	    "IKE",
	    "Status", "Initiator state", "Responder state", "Top cause",
	    "Frames"};
	rd_table(d, 9, heads, "sas");
	char fb[32], fb2[32], anchor[24], num[16];
	for (unsigned i = 0; i < r->nsas; i++) {
		const struct r_sa *w = &r->sas[i];
		const char *cls = w->failed ? "bad" : w->errfind ? "warn" : status_class(w->status);
		rd_tr(d, cls);
		rd_td(d);
		snprintf(num, sizeof num, "%u", w->id);
		if (w->d) {
			snprintf(anchor, sizeof anchor, "sa-%u", w->id);
			rd_link(d, anchor, num);
		} else {
			rd_txt(d, num);
		}
		rd_td_end(d);
		peer_cell(R, w, TK_I);
		peer_cell(R, w, TK_R);
		rd_cell_txt(d, mode_text(w->version, w->mode));
		rd_td(d);
		rd_status(d, tk_status_name(w->status), status_class(w->status));
		if (!w->role_known)
			rd_txt(d, " (roles unknown)");
		if (w->np2) {
			rd_txtf(d, "; %s: ", w->version == 2 ? "CHILD SAs" : "phase 2");
			if (w->np2_bad)
				rd_status(d, tk_status_name(w->p2_worst), "bad");
			if (w->np2_bad && w->np2_bad < w->np2)
				rd_txtf(d, " %u of %u", w->np2_bad, w->np2);
			if (!w->np2_bad)
				rd_txtf(d, "%u of %u up", w->np2_ok, w->np2);
		}
		rd_td_end(d);
		rd_cell_code(d, w->st[TK_I] ? w->st[TK_I] : "-");
		rd_cell_code(d, w->st[TK_R] ? w->st[TK_R] : "-");
		rd_td(d);
		const struct finding *f = top_finding(r, w);
		if (f && (f->severity != SEV_INFO || w->failed)) {
			rd_code(d, f->cause);
			rd_txtf(d, " (%s)", diag_conf_name(f->confidence));
		} else if (f) {
			rd_txt(d, "none (advisory: ");
			rd_code(d, f->cause);
			rd_txt(d, ")");
		} else {
			rd_txt(d, w->failed ? "not found" : "none");
		}
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%s–%s", frame_text(R, &w->first, fb, sizeof fb),
			frame_text(R, &w->last, fb2, sizeof fb2));
		rd_td_end(d);
		rd_tr_end(d);
	}
	rd_table_end(d);
	if (r->sas_dropped) {
		rd_note(d);
		rd_txtf(d,
			"The table stops at %u IKE SAs: %u more are counted above but not listed.",
			R_MAX_SAS, r->sas_dropped);
		rd_note_end(d);
	}
}

static void
finding_block(struct rend *R, const struct finding *f, int level)
{
	struct rdoc *d = &R->d;
	rd_box(d, sev_class(f->severity));
	rd_h(d, level, NULL);
	rd_txt(d, f->severity == SEV_ERROR ? "✗ " : f->severity == SEV_WARNING ? "! " : "i ");
	rd_code(d, f->cause);
	rd_txtf(d, " — %s, %s", diag_sev_name(f->severity), diag_conf_name(f->confidence));
	rd_h_end(d, level);
	if (f->nalt) {
		rd_p(d);
		rd_txt(d, "Could also be: ");
		for (unsigned k = 0; k < f->nalt && k < DIAG_MAX_ALT; k++) {
			if (k)
				rd_txt(d, ", ");
			rd_code(d, f->alternatives[k]);
		}
		rd_txt(d, ".");
		rd_p_end(d);
	}
	rd_p(d);
	rd_wire(d, f->summary);
	rd_p_end(d);
	if (f->nsa > 1 || f->has_esp) {
		rd_p(d);
		if (f->nsa > 1) {
			rd_txt(d, "IKE SAs: ");
			for (unsigned k = 0; k < f->nsa && k < DIAG_MAX_SAS; k++)
				rd_txtf(d, "%s%u", k ? ", " : "", f->sa_ids[k]);
			rd_txt(d, f->has_esp ? ". " : ".");
		}
		if (f->has_esp) {
			rd_txt(d, "ESP SPI ");
			char spi[12];
			snprintf(spi, sizeof spi, "%08x", f->esp_spi);
			rd_code(d, spi);
			rd_txt(d, " to ");
			addr_out(R, &f->esp_dst);
			rd_txt(d, ".");
		}
		rd_p_end(d);
	}
	if (f->nframes) {
		rd_p(d);
		rd_strong(d, "Frames:");
		rd_txt(d, " ");
		frames_out(R, f->frames,
			   f->nframes < DIAG_MAX_FRAMES ? f->nframes : DIAG_MAX_FRAMES,
			   R_FRAMES_SHOWN);
		rd_txt(d, ".");
		rd_p_end(d);
	}
	if (f->proof[0]) {
		rd_p(d);
		rd_strong(d, "Proof:");
		rd_txt(d, " ");
		rd_wire(d, f->proof);
		rd_p_end(d);
	}
	if (f->nremedy) {
		rd_p(d);
		rd_strong(d, "Fix:");
		rd_p_end(d);
		static const char *const heads[] = {"Vendor", "Configuration"};
		rd_table(d, 2, heads, "fix");
		for (unsigned k = 0; k < f->nremedy && k < DIAG_MAX_REMEDY; k++) {
			rd_tr(d, NULL);
			rd_cell_wire(d, f->remedy[k].vendor);
			rd_cell_wire(d, f->remedy[k].text);
			rd_tr_end(d);
		}
		rd_table_end(d);
	}
	rd_box_end(d);
}

static const char *
tri(int8_t v, const char *yes, const char *no, const char *unknown)
{
	return v > 0 ? yes : v == 0 ? no : unknown;
}

static void
sa_facts(struct rend *R, const struct r_sa *w)
{
	const struct r_detail *x = w->d;
	struct rdoc *d = &R->d;
	char c1[20], c2[20], fb[32], fb2[32], idb[200];
	static const char *const heads[] = {"Fact", "Value"};
	rd_table(d, 2, heads, "kv");
	kv_row(R, w->version == 2 ? "SPIs" : "Cookies");
	rd_code(d, ike_hex(w->ispi, 8, c1, sizeof c1));
	rd_txt(d, " / ");
	if (w->rspi_known)
		rd_code(d, ike_hex(w->rspi, 8, c2, sizeof c2));
	else
		rd_txt(d, "(none yet)");
	kv_end(R);
	kv_row(R, "Exchange");
	rd_txt(d, mode_text(w->version, w->mode));
	if (!w->role_known)
		rd_txt(d, "; roles unknown (first seen mid-negotiation)");
	kv_end(R);
	kv_row(R, "Frames");
	rd_txtf(d, "%s–%s, %.3f–%.3f s, %u message%s", frame_text(R, &w->first, fb, sizeof fb),
		frame_text(R, &w->last, fb2, sizeof fb2), rel(R, w->first.t), rel(R, w->last.t),
		x->nmsgs_total, x->nmsgs_total == 1 ? "" : "s");
	kv_end(R);
	if (x->noffer) {
		kv_row(R, "Offered");
		for (unsigned i = 0; i < x->noffer; i++) {
			if (i)
				rd_txt(d, "; ");
			rd_wire(d, x->offer[i]);
		}
		if (x->noffer_total > x->noffer)
			rd_txtf(d, " (+%u more)", x->noffer_total - x->noffer);
		kv_end(R);
	}
	if (x->chosen[0]) {
		kv_row(R, "Accepted");
		rd_wire(d, x->chosen);
		kv_end(R);
	}
	if (x->nat[0] >= 0 || x->nat[1] >= 0) {
		kv_row(R, "NAT");
		rd_txtf(d, "initiator %s, responder %s%s",
			tri(x->nat[0], "behind NAT", "no NAT", "unknown"),
			tri(x->nat[1], "behind NAT", "no NAT", "unknown"),
			x->floated[0] || x->floated[1] ? " (moved to UDP 4500)" : "");
		kv_end(R);
	}
	if (x->id_text[0][0] || x->id_text[1][0]) {
		kv_row(R, "Identities");
		for (int s = 0; s < 2; s++) {
			if (!x->id_text[s][0])
				continue;
			if (s && x->id_text[0][0])
				rd_txt(d, "; ");
			rd_txtf(d, "%s ", side_word((uint8_t)s));
			rd_txt(d, rr_id(d->rr, x->id_text[s], idb, sizeof idb));
		}
		kv_end(R);
	}
	if (x->vendors[0][0] || x->vendors[1][0]) {
		kv_row(R, "Vendor IDs");
		for (int s = 0; s < 2; s++) {
			if (s)
				rd_txt(d, "; ");
			rd_txtf(d, "%s: ", side_word((uint8_t)s));
			if (x->vendors[s][0])
				rd_wire(d, x->vendors[s]);
			else
				rd_txt(d, "none");
		}
		kv_end(R);
	}
	if (R->keys_given) {
		kv_row(R, "Decryption");
		for (int s = 0; s < 2; s++) {
			if (s)
				rd_txt(d, "; ");
			rd_txtf(d, "%s's messages %s", side_word((uint8_t)s),
				tri(x->decrypts[s], "decrypt", "do not decrypt", "not tried"));
		}
		if (x->nokeys_why && x->decrypts[0] < 1 && x->decrypts[1] < 1) {
			rd_txt(d, " (");
			rd_txt(d, x->nokeys_why);
			rd_txt(d, ")");
		}
		rd_txt(d, ".");
		for (int s = 0; s < 2; s++) {
			const char *what = w->version == 2 ? "AUTH" : s ? "HASH_R" : "HASH_I";
			if (x->hash_ok[s] >= 0) {
				rd_txtf(d, " The %s's %s %s", side_word((uint8_t)s), what,
					x->hash_ok[s] ? "verifies"
						      : "does not verify with any PSK given");
				if (x->hash_ok[s] && x->psk_note[s][0]) {
					rd_txt(d, " with ");
					psk_note_out(R, x->psk_note[s]);
				}
				rd_txtf(d, " (frame %s).",
					frame_text(R, &x->hash_ref[s], fb, sizeof fb));
			}
			if (x->psk_own_ok[s] >= 0) {
				rd_txtf(d, " With the PSK configured on the %s (",
					side_word((uint8_t)s));
				rd_wire(d, x->psk_own_src[s]);
				rd_txtf(d, ") it %s.",
					x->psk_own_ok[s] ? "verifies" : "does not verify");
			}
			if (x->psk_peer_ok[s] >= 0) {
				rd_txtf(d, " With the PSK configured on the %s (",
					side_word((uint8_t)(s ^ 1)));
				rd_wire(d, x->psk_peer_src[s]);
				rd_txtf(d, ") it %s.",
					x->psk_peer_ok[s] ? "verifies" : "does not verify");
			}
		}
		kv_end(R);
	}
	rd_table_end(d);
}

static void
ladder_table(struct rend *R, const struct r_sa *w)
{
	const struct r_detail *x = w->d;
	struct rdoc *d = &R->d;
	char fb[32];
	rd_h(d, 3, NULL);
	rd_txt(d, "Ladder");
	rd_h_end(d, 3);
	if (!x->nrows) {
		rd_p(d);
		rd_txt(d, "No message kept.");
		rd_p_end(d);
		return;
	}
	static const char *const heads[] = {"Frame", "Time (s)",  "Message",  "Direction",
					    "What",  "Initiator", "Responder"};
	rd_table(d, 7, heads, "ladder");
	for (unsigned i = 0; i < x->nrows; i++) {
		const struct r_row *row = &x->rows[i];
		rd_tr(d, (int)i == x->stall && w->failed && status_bad(w->status) ? "bad" : NULL);
		rd_cell_txt(d, frame_text(R, &row->ref, fb, sizeof fb));
		rd_td(d);
		rd_txtf(d, "%.3f", rel(R, row->ref.t));
		rd_td_end(d);
		rd_cell_code(d, row->label);
		rd_cell_txt(d, row->from == TK_I ? "I → R" : row->from == TK_R ? "I ← R" : "?");
		rd_td(d);
		rd_txt(d, row->what);
		if (row->nretx) {
			rd_txtf(d, "; sent %u times: frames ", row->nretx + 1u);
			rd_txt(d, frame_text(R, &row->ref, fb, sizeof fb));
			for (unsigned k = 0; k < row->nretx_kept; k++) {
				rd_txt(d, ", ");
				rd_txt(d, frame_text(R, &row->retx[k], fb, sizeof fb));
			}
			if (row->nretx > row->nretx_kept)
				rd_txt(d, ", ...");
			if (row->nretx_kept)
				rd_txtf(d, " (last at %.3f s)",
					rel(R, row->retx[row->nretx_kept - 1].t));
		}
		if (row->ndup)
			rd_txtf(d, "; %u capture duplicate%s", row->ndup,
				row->ndup == 1 ? "" : "s");
		rd_td_end(d);
		rd_cell_code(d, row->si ? row->si : "-");
		rd_cell_code(d, row->sr ? row->sr : "-");
		rd_tr_end(d);
	}
	rd_table_end(d);
	if (x->nmsgs_total > x->nrows) {
		rd_note(d);
		rd_txtf(d, "%u more messages of this SA were not kept by the tracker.",
			x->nmsgs_total - x->nrows);
		rd_note_end(d);
	}
	if (x->esp_pkts[0] + x->esp_pkts[1]) {
		rd_p(d);
		rd_txtf(
		    d,
		    "ESP/AH between the peers from frame %s (%.3f s): %llu packets I → R, %llu I ← R.",
		    frame_text(R, &x->esp_first, fb, sizeof fb), rel(R, x->esp_first.t),
		    (unsigned long long)x->esp_pkts[0], (unsigned long long)x->esp_pkts[1]);
		rd_p_end(d);
	}
}

static void
stall_line(struct rend *R, const struct r_sa *w)
{
	const struct r_detail *x = w->d;
	struct rdoc *d = &R->d;
	char fb[32];
	rd_p(d);
	if (status_bad(w->status)) {
		rd_strong(d, w->status == TS_FAILED ? "Failed:" : "Stalled:");
		rd_txt(d, " initiator ");
		rd_code(d, w->st[TK_I] ? w->st[TK_I] : "-");
		rd_txt(d, ", responder ");
		if (w->st[TK_R])
			rd_code(d, w->st[TK_R]);
		else
			rd_txt(d, "never answered");
		if (w->ios[TK_I] || w->ios[TK_R]) {
			rd_txt(d, " (IOS: ");
			if (w->ios[TK_I] && w->ios[TK_R] &&
			    strcmp(w->ios[TK_I], w->ios[TK_R]) == 0) {
				rd_code(d, w->ios[TK_I]);
				rd_txt(d, " on both");
			} else {
				rd_code(d, w->ios[TK_I] ? w->ios[TK_I] : "-");
				rd_txt(d, " / ");
				rd_code(d, w->ios[TK_R] ? w->ios[TK_R] : "-");
			}
			rd_txt(d, ")");
		}
		rd_txt(d, ".");
		if (x->stall >= 0 && (unsigned)x->stall < x->nrows) {
			const struct r_row *row = &x->rows[x->stall];
			rd_txtf(d, " The negotiation got no further than frame %s (",
				frame_text(R, &row->ref, fb, sizeof fb));
			rd_code(d, row->label);
			rd_txtf(d, " from the %s)", side_word(row->from));
			if (row->nretx) {
				rd_txtf(d, ", sent %u times: frames ", row->nretx + 1u);
				rd_txt(d, frame_text(R, &row->ref, fb, sizeof fb));
				for (unsigned k = 0; k < row->nretx_kept; k++) {
					rd_txt(d, ", ");
					rd_txt(d, frame_text(R, &row->retx[k], fb, sizeof fb));
				}
				if (row->nretx > row->nretx_kept)
					rd_txt(d, ", ...");
			}
			rd_txtf(d, "; the SA's last frame is %s.",
				frame_text(R, &w->last, fb, sizeof fb));
		}
	} else {
		rd_strong(d, "States:");
		rd_txt(d, " initiator ");
		rd_code(d, w->st[TK_I] ? w->st[TK_I] : "-");
		rd_txt(d, ", responder ");
		rd_code(d, w->st[TK_R] ? w->st[TK_R] : "-");
		rd_txt(d, ".");
	}
	for (unsigned i = 0; i < x->np2; i++) {
		const struct r_p2 *p = &x->p2[i];
		if (!status_bad(p->status))
			continue;
		rd_txtf(d, " %s (msgid %u, started by the %s) ",
			w->version == 2 ? (p->ike_rekey ? "IKE SA rekey" : "CHILD SA")
					: "Quick mode",
			p->msgid, side_word(p->initiator));
		rd_status(d, tk_status_name(p->status), "bad");
		if (p->state) {
			rd_txt(d, " at ");
			rd_code(d, p->state);
		}
		if (p->nframes) {
			rd_txt(d, p->nframes == 1 ? ", frame " : ", frames ");
			frames_out(R, p->frames, p->nframes, TK_MAX_P2_FRAMES);
		}
		rd_txt(d, ".");
	}
	if (!w->both)
		rd_txt(d, " The capture shows only one direction of this SA.");
	rd_p_end(d);
}

static void
p2_table(struct rend *R, const struct r_sa *w)
{
	const struct r_detail *x = w->d;
	struct rdoc *d = &R->d;
	if (!x->np2)
		return;
	rd_h(d, 3, NULL);
	rd_txt(d, w->version == 2 ? "CHILD SAs" : "Phase 2 (quick mode)");
	rd_h_end(d, 3);
	static const char *const heads[] = {"Msgid", "Started by", "Status",	"State",
					    "Error", "Proposal",   "Selectors", "Frames"};
	rd_table(d, 8, heads, "p2");
	char nb[16];
	for (unsigned i = 0; i < x->np2; i++) {
		const struct r_p2 *p = &x->p2[i];
		rd_tr(d, status_class(p->status));
		rd_td(d);
		rd_txtf(d, "%u", p->msgid);
		if (p->rekey)
			rd_txt(d, " (rekey)");
		rd_td_end(d);
		rd_cell_txt(d, side_word(p->initiator));
		rd_td(d);
		rd_status(d, tk_status_name(p->status), status_class(p->status));
		rd_td_end(d);
		rd_cell_code(d, p->state ? p->state : "-");
		rd_td(d);
		if (p->error_notify) {
			const char *n = nt_short(w->version == 2 ? NT_V2_NOTIFY : NT_V1_NOTIFY,
						 p->error_notify);
			if (!n) {
				snprintf(nb, sizeof nb, "%u", p->error_notify);
				n = nb;
			}
			rd_code(d, n);
		} else {
			rd_txt(d, "-");
		}
		rd_td_end(d);
		rd_td(d);
		if (p->proposal[0]) {
			rd_txt(d, "accepted ");
			rd_wire(d, p->proposal);
		} else if (p->offer[0]) {
			rd_txt(d, "offered ");
			rd_wire(d, p->offer);
		} else {
			rd_txt(d, "-");
		}
		rd_td_end(d);
		rd_td(d);
		if (p->ts[0][0] || p->ts[1][0]) {
			rd_wire(d, p->ts[0][0] ? p->ts[0] : "?");
			rd_txt(d, " ↔ ");
			rd_wire(d, p->ts[1][0] ? p->ts[1] : "?");
		} else {
			rd_txt(d, "-");
		}
		rd_td_end(d);
		rd_td(d);
		frames_out(R, p->frames, p->nframes, TK_MAX_P2_FRAMES);
		rd_td_end(d);
		rd_tr_end(d);
	}
	rd_table_end(d);
	if (x->np2_total > x->np2) {
		rd_note(d);
		rd_txtf(d, "%u more phase-2 exchanges of this SA are not listed.",
			x->np2_total - x->np2);
		rd_note_end(d);
	}
}

static void
detail_section(struct rend *R, const struct r_sa *w)
{
	struct rdoc *d = &R->d;
	char anchor[24];
	snprintf(anchor, sizeof anchor, "sa-%u", w->id);
	rd_h(d, 2, anchor);
	rd_txtf(d, "IKE SA %u: ", w->id);
	addr_out(R, &w->addr[TK_I]);
	rd_txt(d, w->role_known ? " → " : " ↔ ");
	addr_out(R, &w->addr[TK_R]);
	rd_txt(d, " — ");
	rd_txt(d, tk_status_name(w->status));
	if (!status_bad(w->status) && w->np2_bad)
		rd_txtf(d, ", %s %s", w->version == 2 ? "CHILD SA" : "phase 2",
			tk_status_name(w->p2_worst));
	rd_h_end(d, 2);
	sa_facts(R, w);
	ladder_table(R, w);
	stall_line(R, w);
	p2_table(R, w);
	rd_h(d, 3, NULL);
	rd_txt(d, "Findings");
	rd_h_end(d, 3);
	unsigned shown = 0;
	/* most severe first */
	for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++)
		for (unsigned i = 0; i < w->nfind; i++) {
			const struct finding *f = finding_by_id(R->r, w->find[i]);
			if (f && (int)f->severity == sev) {
				finding_block(R, f, 4);
				shown++;
			}
		}
	if (!shown) {
		rd_p(d);
		rd_txt(d, "No finding explains this SA: the capture does not show why it failed.");
		rd_p_end(d);
	}
}

static bool
sa_detailed(const struct rctx *r, unsigned id)
{
	for (unsigned i = 0; i < r->nsas; i++)
		if (r->sas[i].id == id)
			return r->sas[i].d != NULL;
	return false;
}

static void
other_findings(struct rend *R)
{
	struct rctx *r = R->r;
	struct rdoc *d = &R->d;
	/* findings tied to no IKE SA (ESP flows, peer stories) */
	unsigned n = 0;
	for (unsigned i = 0; i < r->nfds; i++)
		n += r->fds[i].nsa == 0;
	if (n) {
		rd_h(d, 2, "esp-findings");
		rd_txt(d, "Findings not tied to an IKE SA");
		rd_h_end(d, 2);
		for (unsigned i = 0; i < r->nfds; i++)
			if (r->fds[i].nsa == 0)
				finding_block(R, &r->fds[i], 3);
	}
	/* findings on SAs that are not shown in detail */
	n = 0;
	for (unsigned i = 0; i < r->nfds; i++) {
		const struct finding *f = &r->fds[i];
		bool shown = false;
		for (unsigned k = 0; k < f->nsa && k < DIAG_MAX_SAS; k++)
			shown = shown || sa_detailed(r, f->sa_ids[k]);
		if (f->nsa == 0 || shown)
			continue;
		if (n++ == 0) {
			rd_h(d, 2, "other-findings");
			rd_txt(d, "Other findings");
			rd_h_end(d, 2);
			static const char *const heads[] = {"Cause",   "Severity", "Confidence",
							    "IKE SAs", "Summary",  "Frames"};
			rd_table(d, 6, heads, "findings");
		}
		rd_tr(d, sev_class(f->severity));
		rd_cell_code(d, f->cause);
		rd_cell_txt(d, diag_sev_name(f->severity));
		rd_cell_txt(d, diag_conf_name(f->confidence));
		rd_td(d);
		for (unsigned k = 0; k < f->nsa && k < DIAG_MAX_SAS; k++)
			rd_txtf(d, "%s%u", k ? ", " : "", f->sa_ids[k]);
		rd_td_end(d);
		rd_cell_wire(d, f->summary);
		rd_td(d);
		frames_out(R, f->frames,
			   f->nframes < DIAG_MAX_FRAMES ? f->nframes : DIAG_MAX_FRAMES, 8);
		rd_td_end(d);
		rd_tr_end(d);
	}
	if (n)
		rd_table_end(d);
	if (r->fds_dropped) {
		rd_note(d);
		rd_txtf(d, "The report keeps %u findings: %u more were raised and are not shown.",
			R_MAX_FINDINGS, r->fds_dropped);
		rd_note_end(d);
	}
}

static void
flows_section(struct rend *R)
{
	struct rctx *r = R->r;
	struct rdoc *d = &R->d;
	rd_h(d, 2, "flows");
	rd_txt(d, "ESP and AH flows");
	rd_h_end(d, 2);
	if (!r->nflows) {
		rd_p(d);
		rd_txt(d, "No ESP or AH packet in the capture.");
		rd_p_end(d);
		return;
	}
	static const char *const heads[] = {
	    "SPI",     "Protocol", "Source",	"Destination", "Packets", "Bytes",     "Sequence",
	    "Missing", "Replayed", "Reordered", "Decrypted",   "IKE SA",  "First (s)", "Last (s)"};
	rd_table(d, 14, heads, "flows");
	char spi[12];
	for (unsigned i = 0; i < r->nflows; i++) {
		const struct r_flow *fl = &r->flows[i];
		rd_tr(d, fl->gaps || fl->replays || fl->decrypt_failed ? "warn" : NULL);
		snprintf(spi, sizeof spi, "%08x", fl->spi);
		rd_cell_code(d, spi);
		rd_td(d);
		rd_txt(d, fl->proto == 51 ? "AH" : "ESP");
		if (fl->udp_encap)
			rd_txtf(d, " in UDP %u→%u", fl->sport, fl->dport);
		rd_td_end(d);
		rd_td(d);
		addr_out(R, &fl->src);
		rd_td_end(d);
		rd_td(d);
		addr_out(R, &fl->dst);
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%llu", (unsigned long long)fl->packets);
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%llu", (unsigned long long)fl->bytes);
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%u–%u", fl->seq_first, fl->seq_max);
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%llu", (unsigned long long)fl->gaps);
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%llu", (unsigned long long)fl->replays);
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%llu", (unsigned long long)fl->reordered);
		rd_td_end(d);
		rd_td(d);
		if (fl->decrypted || fl->decrypt_failed)
			rd_txtf(d, "%llu%s", (unsigned long long)fl->decrypted,
				fl->decrypt_failed ? " (some failed)" : "");
		else
			rd_txt(d, "-");
		rd_td_end(d);
		rd_td(d);
		if (fl->sa_id)
			rd_txtf(d, "%u%s", fl->sa_id,
				fl->after_delete ? " (after its delete)" : "");
		else
			rd_txt(d, "none");
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%.3f", rel(R, fl->first.t));
		rd_td_end(d);
		rd_td(d);
		rd_txtf(d, "%.3f", rel(R, fl->last.t));
		rd_td_end(d);
		rd_tr_end(d);
	}
	rd_table_end(d);
	if (r->flows_dropped) {
		rd_note(d);
		rd_txtf(d, "The table stops at %u flows: %u more are not listed.", R_MAX_FLOWS,
			r->flows_dropped);
		rd_note_end(d);
	}
}

static int
sa_by_id(const void *x, const void *y)
{
	const struct r_sa *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Addresses seen only in packets (no SA, no flow) are peers too. */
static void
prepare_redaction(struct rend *R)
{
	struct rctx *r = R->r;
	for (unsigned k = 0; r->pairs && k < R_PAIR_SLOTS; k++)
		if (r->pairs[k].used) {
			rr_peer(r->rr, &r->pairs[k].a);
			rr_peer(r->rr, &r->pairs[k].b);
		}
}

static void
r_end(struct out *o, const struct run_info *ri)
{
	struct rctx *r = o->ctx;
	const struct cli *c = o->cli;
	struct rend R;
	memset(&R, 0, sizeof R);
	R.o = o;
	R.r = r;
	R.ri = ri;
	R.keys_given = c->nkeys || c->psk || c->psk_file;
	R.d.fp = o->fp;
	R.d.fmt = r->fmt;
	R.d.rr = r->rr;
	if (r->nsas > 1)
		qsort(r->sas, r->nsas, sizeof *r->sas, sa_by_id);
	prepare_redaction(&R);

	char v[600], title[700];
	verdict(&R, v, sizeof v);
	snprintf(title, sizeof title, "ikelens report: %s", v);
	struct rdoc *d = &R.d;
	rd_begin(d, title);
	rd_h(d, 1, NULL);
	rd_txt(d, title);
	rd_h_end(d, 1);
	rd_p(d);
	rd_txt(d, "Written by ikelens " IKELENS_VERSION ". Times are UTC; frame numbers are as "
		  "Wireshark and tshark count them; states are the names Cisco ASA prints (IOS "
		  "names in the stall lines).");
	rd_p_end(d);
	if (c->redact) {
		rd_note(d);
		rd_strong(d, "Redacted.");
		rd_txt(d,
		       " Every IP address is replaced consistently within this report: IKE and "
		       "ESP peers by peer-A, peer-B, ..., other addresses (traffic selectors, "
		       "addresses quoted in findings) by addr-1, addr-2, ...; identities by id-1, "
		       "id-2, ...  Placeholders are assigned in order of appearance. SPIs and "
		       "cookies are kept: they are random and match the gateways' logs.");
		rd_note_end(d);
	}
	if (rr_incomplete(r->rr)) {
		rd_note(d);
		rd_strong(d, "Redaction incomplete:");
		rd_txt(d, " the capture holds more identities than the report can track; check the "
			  "findings' text before sharing.");
		rd_note_end(d);
	}
	capture_section(&R);
	keys_section(&R);
	tunnels_section(&R);
	if (r->detail_dropped) {
		rd_note(d);
		rd_txtf(
		    d,
		    "The report shows the ladder of the first %u failed IKE SAs; %u more are only "
		    "in the table above.",
		    R_MAX_DETAIL, r->detail_dropped);
		rd_note_end(d);
	}
	for (unsigned i = 0; i < r->nsas; i++)
		if (r->sas[i].d)
			detail_section(&R, &r->sas[i]);
	other_findings(&R);
	flows_section(&R);
	rd_end(d);
	fflush(o->fp);
}

static void
r_free(struct out *o)
{
	struct rctx *r = o->ctx;
	if (r) {
		for (unsigned i = 0; i < r->nsas; i++)
			detail_free(r->sas[i].d);
		free(r->sas);
		free(r->flows);
		free(r->fds);
		free(r->pairs);
		free(r->scratch);
		free(r->idc);
		rr_free(r->rr);
		free(r);
	}
	free(o);
}

/* anomalies are counted in run_info; a report cites findings, not every bad byte */
static const struct out_ops report_ops = {r_packet, NULL, r_sa, r_flow, r_finding, r_end, r_free};

struct out *
out_report_new(FILE *fp, const struct cli *c)
{
	struct out *o = calloc(1, sizeof *o);
	struct rctx *r = calloc(1, sizeof *r);
	struct r_pair *pairs = calloc(R_PAIR_SLOTS, sizeof *pairs);
	struct r_idc *idc = calloc(R_ID_CACHE, sizeof *idc);
	struct rr *rr = rr_new(c->redact);
	if (!o || !r || !pairs || !idc || !rr) {
		free(o);
		free(r);
		free(pairs);
		free(idc);
		rr_free(rr);
		return NULL;
	}
	r->idc = idc;
	r->rr = rr;
	/* local paths appear by their base names (key origins are file:line) */
	for (unsigned i = 0; i < c->nfiles && i < CLI_MAX_FILES; i++)
		rr_path(rr, c->files[i]);
	for (unsigned i = 0; i < c->nkeys && i < CLI_MAX_KEYS; i++)
		rr_path(rr, c->keys[i]);
	rr_path(rr, c->psk_file);
	r->fmt = c->mode == OUT_REPORT_HTML ? RD_HTML : RD_MD;
	r->pairs = pairs;
	o->ops = &report_ops;
	o->ctx = r;
	o->fp = fp;
	o->cli = c;
	return o;
}
