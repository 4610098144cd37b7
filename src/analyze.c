/*
 * analyze.c - the packet's way: capture -> dissect -> track (-> crypto) ->
 * diag -> outputs.  One code path for files and live captures.
 *
 * Records leave in capture order.  The one complication is an IP fragment:
 * its record names the frame that completes its datagram, which comes later.
 * While such a fragment is pending, later records are held (rendered into
 * memory) and released in order once the datagram completes or expires.
 */
#include "src/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/arena.h"
#include "dissect/cursor.h"
#include "dissect/ike.h"
#include "src/cli.h"
#include "src/diag/diag.h"
#include "src/decrypt/kx.h"
#include "src/track/track.h"

#include <pcap/pcap.h>

#define MAX_OUTS 4
#define HOLD_MAX 4096

struct hold {
	bool frag; /* a fragment record waiting for its datagram */
	bool resolved;
	struct cap_frame f; /* fragment: a copy without data pointers */
	uint64_t reassembled_in;
	/* the first fragment of a UDP 500/4500 datagram: its bytes (UDP header
	 * on), read as a cut IKE message if the datagram never completes */
	uint8_t *first;
	size_t first_len;
	char *buf[MAX_OUTS]; /* rendered records */
	size_t len[MAX_OUTS];
};

struct analysis {
	const struct cli *cli;
	struct out *outs[MAX_OUTS];
	unsigned nouts;
	FILE *real_fp[MAX_OUTS];
	struct arena ar;
	struct tracker *tk;
	struct diag *dg;
	struct cap_handler h;
	struct run_info ri;
	bool have_t0;
	tk_time t0;
	bool failed; /* an SA or phase 2 failed or stalled */

	struct hold *hold;
	unsigned nhold, hold_cap;
	bool holding;

	struct kx_store *ks;
	pcap_t *dec_pcap; /* --write-decrypted */
	pcap_dumper_t *dec_dump;
};

static void process_frame(struct analysis *an, const struct cap_frame *f);

/* ---- output plumbing and the hold queue ---- */

static void
hold_begin_record(struct analysis *an, FILE **mem, char **buf, size_t *len)
{
	for (unsigned i = 0; i < an->nouts; i++) {
		buf[i] = NULL;
		len[i] = 0;
		mem[i] = NULL;
		if (an->holding) {
			mem[i] = open_memstream(&buf[i], &len[i]);
			an->outs[i]->fp = mem[i] ? mem[i] : an->real_fp[i];
		}
	}
}

static struct hold *
hold_push(struct analysis *an)
{
	if (an->nhold == an->hold_cap) {
		unsigned nc = an->hold_cap ? an->hold_cap * 2 : 16;
		struct hold *nh = realloc(an->hold, nc * sizeof *nh);
		if (!nh)
			return NULL;
		an->hold = nh;
		an->hold_cap = nc;
	}
	struct hold *h = &an->hold[an->nhold++];
	memset(h, 0, sizeof *h);
	return h;
}

static void
hold_end_record(struct analysis *an, FILE **mem, char **buf, size_t *len)
{
	if (!an->holding)
		return;
	struct hold *h = hold_push(an);
	for (unsigned i = 0; i < an->nouts; i++) {
		if (mem[i])
			fclose(mem[i]);
		an->outs[i]->fp = an->real_fp[i];
		if (h) {
			h->buf[i] = buf[i];
			h->len[i] = len[i];
		} else {
			/* out of memory: write it now rather than lose it */
			if (buf[i])
				fwrite(buf[i], 1, len[i], an->real_fp[i]);
			free(buf[i]);
		}
	}
	if (h)
		h->resolved = true;
}

static bool
frag_interesting(const struct cap_frame *f)
{
	/* worth a record even if it never completes: it belongs to IKE, ESP or AH */
	return f->ip_proto == 50 || f->ip_proto == 51 || f->frag_sport == 500 ||
	       f->frag_dport == 500 || f->frag_sport == 4500 || f->frag_dport == 4500;
}

static void
emit_fragment(struct analysis *an, struct hold *h)
{
	struct pkt_view pv;
	memset(&pv, 0, sizeof pv);
	pv.f = &h->f;
	pv.t0 = an->t0;
	pv.reassembled_in = h->reassembled_in;
	for (unsigned i = 0; i < an->nouts; i++)
		if (an->outs[i]->ops->packet)
			an->outs[i]->ops->packet(an->outs[i], &pv);
}

/* Release held records from the head while they are ready. */
static void
hold_flush(struct analysis *an, bool force)
{
	unsigned k = 0;
	for (; k < an->nhold; k++) {
		struct hold *h = &an->hold[k];
		if (!h->resolved && !force && an->nhold <= HOLD_MAX)
			break;
		if (h->frag && !h->reassembled_in && h->first && h->first_len > 8) {
			/*
			 * The datagram never completed, but its first fragment was
			 * seen: what it holds of the IKE message (header, SPIs,
			 * exchange) is evidence a request went out and its other
			 * fragments were lost before the capture point.
			 */
			struct cap_frame pf = h->f;
			struct cur u = cur_make(h->first, h->first_len);
			pf.sport = cur_be16(&u);
			pf.dport = cur_be16(&u);
			uint16_t ulen = cur_be16(&u);
			cur_skip(&u, 2);
			pf.kind = CAP_IKE;
			pf.data = u.p;
			pf.len = cur_left(&u);
			pf.wire_len = ulen > 8 ? (size_t)ulen - 8 : pf.len;
			if ((pf.sport == 4500 || pf.dport == 4500) && pf.len >= 4 &&
			    cur_be32(&u) == 0) {
				pf.non_esp_marker = true;
				pf.data += 4;
				pf.len -= 4;
				pf.wire_len = pf.wire_len >= 4 ? pf.wire_len - 4 : 0;
			}
			if (pf.wire_len < pf.len)
				pf.wire_len = pf.len;
			pf.truncated = true;
			pf.frag_more = true;
			pf.frag_offset = 0;
			bool was = an->holding;
			an->holding = false; /* this record goes out now, in its place */
			process_frame(an, &pf);
			an->holding = was;
		} else if (h->frag) {
			if (h->reassembled_in || frag_interesting(&h->f))
				emit_fragment(an, h);
		} else {
			for (unsigned i = 0; i < an->nouts; i++) {
				if (h->buf[i])
					fwrite(h->buf[i], 1, h->len[i], an->real_fp[i]);
				free(h->buf[i]);
			}
		}
	}
	for (unsigned i = 0; i < k; i++)
		free(an->hold[i].first);
	if (k > 0) {
		memmove(an->hold, an->hold + k, (an->nhold - k) * sizeof *an->hold);
		an->nhold -= k;
	}
	an->holding = an->nhold > 0;
}

static void
hold_resolve(struct analysis *an, unsigned file, const uint64_t *frames, unsigned n,
	     uint64_t done_in)
{
	for (unsigned k = 0; k < an->nhold; k++) {
		struct hold *h = &an->hold[k];
		if (!h->frag || h->resolved || h->f.file != file)
			continue;
		for (unsigned j = 0; j < n; j++)
			if (frames[j] == h->f.num) {
				h->resolved = true;
				h->reassembled_in = done_in;
				break;
			}
	}
}

static void
out_anomaly(struct analysis *an, unsigned file, uint64_t frame, size_t off, const char *layer,
	    const char *payload, const char *what)
{
	an->ri.anomalies++;
	for (unsigned i = 0; i < an->nouts; i++)
		if (an->outs[i]->ops->anomaly)
			an->outs[i]->ops->anomaly(an->outs[i], file, frame, off, layer, payload,
						  what);
}

static void
out_packet(struct analysis *an, const struct pkt_view *pv)
{
	for (unsigned i = 0; i < an->nouts; i++)
		if (an->outs[i]->ops->packet)
			an->outs[i]->ops->packet(an->outs[i], pv);
}

/* ---- tracker events ---- */

static bool
status_fails(enum tk_status s)
{
	return s == TS_FAILED || s == TS_STALLED || s == TS_REJECTED;
}

static void
ev_sa_closed(void *ctx, struct tk_sa *sa)
{
	struct analysis *an = ctx;
	diag_set_esp_seen(an->dg, an->ri.esp + an->ri.ah);
	diag_sa(an->dg, sa);
	if (status_fails(sa->status))
		an->failed = true;
	for (unsigned i = 0; i < sa->np2; i++)
		if (status_fails(sa->p2[i].status))
			an->failed = true;
	an->ri.sas++;
	/* SA records wait for nothing, but must not overtake held packets */
	FILE *mem[MAX_OUTS];
	char *buf[MAX_OUTS];
	size_t len[MAX_OUTS];
	hold_begin_record(an, mem, buf, len);
	for (unsigned i = 0; i < an->nouts; i++)
		if (an->outs[i]->ops->sa)
			an->outs[i]->ops->sa(an->outs[i], sa);
	hold_end_record(an, mem, buf, len);
}

static void
ev_flow_closed(void *ctx, struct tk_flow *fl)
{
	struct analysis *an = ctx;
	diag_flow(an->dg, fl);
	an->ri.flows++;
	FILE *mem[MAX_OUTS];
	char *buf[MAX_OUTS];
	size_t len[MAX_OUTS];
	hold_begin_record(an, mem, buf, len);
	for (unsigned i = 0; i < an->nouts; i++)
		if (an->outs[i]->ops->flow)
			an->outs[i]->ops->flow(an->outs[i], fl);
	hold_end_record(an, mem, buf, len);
}

/* ---- frames ---- */

static void
ike_anomalies(struct analysis *an, const struct cap_frame *f, const struct ike_msg *m)
{
	/* layer "ike": offsets count from the start of the ISAKMP header */
	for (unsigned i = 0; i < m->nanom; i++) {
		const struct ike_anomaly *a = &m->anom[i];
		char nb[16];
		const char *pn = a->payload >= 0 ? ike_pld_name(m->v2, (uint8_t)a->payload,
								m->pld15_is_natd, nb, sizeof nb)
						 : NULL;
		out_anomaly(an, f->file, f->num, a->off, "ike", pn, a->what);
	}
}

static void
on_frame(void *ctx, const struct cap_frame *f)
{
	struct analysis *an = ctx;
	tk_time now = tk_time_of(f);

	if (!an->have_t0) {
		an->t0 = now;
		an->have_t0 = true;
		an->ri.first = now;
	}
	an->ri.last = now;
	an->ri.matched++;
	tk_tick(an->tk, now);

	if (f->kind == CAP_FRAGMENT) {
		an->ri.fragments++;
		struct hold *h = hold_push(an);
		if (h) {
			h->frag = true;
			h->f = *f;
			h->f.data = NULL;
			h->f.len = 0;
			h->f.frag_frames = NULL;
			h->f.icmp_quote = NULL;
			bool ike = f->frag_sport == 500 || f->frag_dport == 500 ||
				   f->frag_sport == 4500 || f->frag_dport == 4500;
			if (f->frag_offset == 0 && ike && f->ip_proto == 17 && f->data &&
			    f->len > 8 && f->len <= 65535) {
				h->first = malloc(f->len);
				if (h->first) {
					memcpy(h->first, f->data, f->len);
					h->first_len = f->len;
				}
			}
			an->holding = true;
		}
		return;
	}
	process_frame(an, f);
}

/* A frame that is not a pending fragment: dissect, track, report. */
static void
process_frame(struct analysis *an, const struct cap_frame *f)
{
	struct pkt_view pv;
	struct tk_info ti;
	struct ike_msg msg;

	memset(&pv, 0, sizeof pv);
	memset(&ti, 0, sizeof ti);
	pv.f = f;
	pv.t0 = an->t0;
	pv.ti = &ti;
	arena_reset(&an->ar);

	if (f->reassembled && f->nfrag_frames)
		hold_resolve(an, f->file, f->frag_frames, f->nfrag_frames, f->num);

	const struct ike_msg *m = NULL;
	switch (f->kind) {
	case CAP_IKE: {
		struct ike_parse_opts o;
		memset(&o, 0, sizeof o);
		tk_parse_opts(an->tk, f, f->data, f->len, &o);
		o.truncated = f->truncated;
		o.wire_len = (uint32_t)f->wire_len;
		an->ri.ike++;
		if (ike_parse(&an->ar, f->data, f->len, &o, &msg)) {
			if (msg.maj == 1 || msg.maj == 2)
				tk_ike(an->tk, f, &msg, &an->ar, &ti);
			m = &msg;
			pv.ike = m;
		} else {
			pv.short_hdr = true;
		}
		break;
	}
	case CAP_ESP:
	case CAP_AH: {
		struct cur c = cur_make(f->data, f->len);
		uint8_t proto = f->kind == CAP_ESP ? 50 : 51;
		if (f->kind == CAP_AH) {
			/* RFC 4302 2: Next Header | Payload Len | RESERVED (2) | SPI | Seq */
			pv.ah_next = cur_u8(&c);
			cur_skip(&c, 3);
			an->ri.ah++;
		} else {
			an->ri.esp++;
		}
		/* RFC 4303 2: SPI | Sequence Number */
		pv.spi = cur_be32(&c);
		bool have_spi = cur_ok(&c);
		pv.seq = cur_be32(&c);
		if (!cur_ok(&c)) {
			/* a capture cut after the SPI still names the SA */
			pv.short_hdr = true;
			pv.spi_only = have_spi && f->truncated;
			break;
		}
		tk_esp(an->tk, f, proto, pv.spi, pv.seq, &ti);
		if (an->ks && f->kind == CAP_ESP && ti.flow) {
			struct kx_esp_result r;
			kx_esp(an->ks, ti.flow, f, &r);
			pv.esp_tried = r.tried;
			pv.esp_decrypted = r.decrypted;
			pv.esp_icv_checked = r.icv_checked;
			pv.esp_icv_ok = r.icv_ok;
			pv.esp_error = r.error;
			if (r.decrypted) {
				/* the summary lives in the arena until the next frame; only
				 * what shows packets needs it */
				if (!an->cli->sa_only || an->cli->mode != OUT_TEXT) {
					char inner[160];
					kx_esp_summary(&r, inner, sizeof inner);
					pv.esp_inner = arena_dup(&an->ar, inner, strlen(inner) + 1);
				}
				if (an->dec_dump && (r.next_header == 4 || r.next_header == 41)) {
					struct pcap_pkthdr h;
					h.ts.tv_sec = (time_t)f->ts_sec;
					h.ts.tv_usec = (suseconds_t)f->ts_usec;
					h.caplen = h.len = (bpf_u_int32)r.plain_len;
					pcap_dump((u_char *)an->dec_dump, &h, r.plain);
				}
			}
		}
		if (f->kind == CAP_AH && pv.ah_next == 50) {
			/* AH then ESP (transport AH over ESP): the AH header is
			 * (Payload Len + 2) 32-bit words long (RFC 4302 2.2) */
			struct cur e = cur_make(f->data, f->len);
			cur_u8(&e);
			size_t ahlen = ((size_t)cur_u8(&e) + 2) * 4;
			e = cur_make(f->data, f->len);
			if (cur_skip(&e, ahlen)) {
				pv.esp_spi = cur_be32(&e);
				pv.esp_seq = cur_be32(&e);
				if (cur_ok(&e)) {
					pv.esp_in_ah = true;
					tk_esp(an->tk, f, 50, pv.esp_spi, pv.esp_seq, NULL);
				}
			}
		}
		break;
	}
	case CAP_ICMP:
		an->ri.icmp++;
		tk_icmp(an->tk, f, &ti);
		break;
	case CAP_NATT_KEEPALIVE:
		an->ri.keepalives++;
		break;
	default:
		break;
	}

	FILE *mem[MAX_OUTS];
	char *buf[MAX_OUTS];
	size_t len[MAX_OUTS];
	hold_begin_record(an, mem, buf, len);
	out_packet(an, &pv);
	if (pv.short_hdr) {
		const char *what = f->kind == CAP_IKE ? "too short for an ISAKMP header (28 bytes)"
				   : f->kind == CAP_ESP ? "too short for an ESP header (8 bytes)"
							: "too short for an AH header (12 bytes)";
		if (!f->truncated)
			out_anomaly(an, f->file, f->num, 0,
				    f->kind == CAP_IKE	 ? "ike"
				    : f->kind == CAP_ESP ? "esp"
							 : "ah",
				    NULL, what);
	}
	if (m)
		ike_anomalies(an, f, m);
	hold_end_record(an, mem, buf, len);
	if (an->holding)
		hold_flush(an, false);
}

static void
on_anomaly(void *ctx, const struct cap_anomaly *a)
{
	struct analysis *an = ctx;
	FILE *mem[MAX_OUTS];
	char *buf[MAX_OUTS];
	size_t len[MAX_OUTS];
	hold_begin_record(an, mem, buf, len);
	out_anomaly(an, a->file, a->num, a->offset, a->layer, NULL, a->what);
	hold_end_record(an, mem, buf, len);
}

static void
on_frag_expired(void *ctx, unsigned file, const uint64_t *frames, unsigned n)
{
	struct analysis *an = ctx;
	hold_resolve(an, file, frames, n, 0);
	hold_flush(an, false);
}

static void
on_input_end(void *ctx, unsigned file)
{
	struct analysis *an = ctx;
	(void)file;
	hold_flush(an, true);
	for (unsigned i = 0; i < an->nouts; i++)
		fflush(an->real_fp[i]);
}

/* ---- life cycle ---- */

struct analysis *
an_new(const struct cli *c, struct out **outs, unsigned nouts)
{
	struct analysis *an = calloc(1, sizeof *an);
	if (!an)
		return NULL;
	an->cli = c;
	an->nouts = nouts > MAX_OUTS ? MAX_OUTS : nouts;
	for (unsigned i = 0; i < an->nouts; i++) {
		an->outs[i] = outs[i];
		an->real_fp[i] = outs[i]->fp;
		outs[i]->multi_file = c->nfiles > 1;
	}
	arena_init(&an->ar, 0);
	struct tk_limits lim = {0, 0, c->idle_timeout};
	struct tk_events ev = {ev_sa_closed, ev_flow_closed, NULL, an};
	an->tk = tk_new(&lim, &ev);
	an->dg = diag_new();
	if (!an->tk || !an->dg) {
		an_free(an);
		return NULL;
	}
	for (unsigned i = 0; i < an->nouts; i++)
		an->outs[i]->dg = an->dg;
	an->h.frame = on_frame;
	an->h.anomaly = on_anomaly;
	an->h.frag_expired = on_frag_expired;
	an->h.input_end = on_input_end;
	an->h.ctx = an;
	an->ri.nfiles = c->nfiles;
	an->ri.files = c->files;
	return an;
}

void
an_set_keys(struct analysis *an, struct kx_store *ks)
{
	an->ks = ks;
	tk_set_keys(an->tk, ks);
}

int
an_write_decrypted(struct analysis *an, const char *path, char *err, size_t errlen)
{
	/* raw IP (LINKTYPE_RAW): the inner packets of tunnel-mode ESP */
	an->dec_pcap = pcap_open_dead(DLT_RAW, 65535);
	if (!an->dec_pcap) {
		snprintf(err, errlen, "%s: cannot prepare a pcap writer", path);
		return -1;
	}
	an->dec_dump = pcap_dump_open(an->dec_pcap, path);
	if (!an->dec_dump) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(an->dec_pcap));
		pcap_close(an->dec_pcap);
		an->dec_pcap = NULL;
		return -1;
	}
	return 0;
}

const struct cap_handler *
an_handler(struct analysis *an)
{
	return &an->h;
}

void
an_add_stats(struct analysis *an, const struct cap_stats *st)
{
	an->ri.frames += st->frames;
	an->ri.ps_drop += st->ps_drop;
}

void
an_set_live(struct analysis *an, bool live)
{
	an->ri.live = live;
}

struct tracker *
an_tracker(struct analysis *an)
{
	return an->tk;
}

struct diag *
an_diag(struct analysis *an)
{
	return an->dg;
}

int
an_finish(struct analysis *an)
{
	hold_flush(an, true);
	tk_finish(an->tk);
	diag_finish(an->dg);
	const struct finding *fd;
	while ((fd = diag_next_unemitted(an->dg)) != NULL) {
		an->ri.findings++;
		for (unsigned i = 0; i < an->nouts; i++)
			if (an->outs[i]->ops->finding)
				an->outs[i]->ops->finding(an->outs[i], fd);
	}
	int status = (an->failed || diag_worst(an->dg) == SEV_ERROR) ? 1 : 0;
	an->ri.exit_status = status;
	for (unsigned i = 0; i < an->nouts; i++) {
		if (an->outs[i]->ops->end)
			an->outs[i]->ops->end(an->outs[i], &an->ri);
		fflush(an->real_fp[i]);
	}
	return status;
}

void
an_free(struct analysis *an)
{
	if (!an)
		return;
	for (unsigned k = 0; k < an->nhold; k++) {
		for (unsigned i = 0; i < an->nouts; i++)
			free(an->hold[k].buf[i]);
		free(an->hold[k].first);
	}
	free(an->hold);
	if (an->dec_dump)
		pcap_dump_close(an->dec_dump);
	if (an->dec_pcap)
		pcap_close(an->dec_pcap);
	tk_free(an->tk);
	diag_free(an->dg);
	arena_free(&an->ar);
	free(an);
}
