/*
 * records.c - the fields of each record type (CONTRACT.md), for any emit
 * backend.
 */
#include "src/output/records.h"

#include <stdio.h>
#include <string.h>

#include "dissect/names.h"
#include "src/output/describe.h"

static void
emit_addr(struct emit *e, const char *k, const struct addr *a)
{
	char b[ADDR_STRLEN];
	if (a->af)
		emit_str(e, k, addr_str(a, b, sizeof b));
	else
		emit_null(e, k);
}

static void
emit_spi8(struct emit *e, const char *k, const uint8_t *spi)
{
	char b[20];
	emit_str(e, k, ike_hex(spi, 8, b, sizeof b));
}

static void
emit_spi4(struct emit *e, const char *k, uint32_t spi)
{
	char b[12];
	snprintf(b, sizeof b, "%08x", spi);
	emit_str(e, k, b);
}

static void
emit_time(struct emit *e, const char *k, tk_time t)
{
	char b[40];
	emit_str(e, k, out_time_rfc3339(t, b, sizeof b));
}

static const char *
side_name(uint8_t s)
{
	return s == TK_I ? "initiator" : s == TK_R ? "responder" : NULL;
}

void
rec_packet_fields(struct emit *e, const struct pkt_view *pv)
{
	const struct cap_frame *f = pv->f;
	emit_u64(e, "frame", f->num);
	emit_time(e, "time", tk_time_of(f));
	emit_addr(e, "src", &f->src);
	bool ports = f->kind == CAP_IKE || f->kind == CAP_NATT_KEEPALIVE || f->udp_encap ||
		     f->kind == CAP_OTHER_UDP4500 ||
		     (f->kind == CAP_FRAGMENT && (f->frag_sport || f->frag_dport));
	uint16_t sp = f->kind == CAP_FRAGMENT ? f->frag_sport : f->sport;
	uint16_t dp = f->kind == CAP_FRAGMENT ? f->frag_dport : f->dport;
	if (ports)
		emit_u64(e, "sport", sp);
	else
		emit_null(e, "sport");
	emit_addr(e, "dst", &f->dst);
	if (ports)
		emit_u64(e, "dport", dp);
	else
		emit_null(e, "dport");
	if (f->truncated)
		emit_bool(e, "truncated", true);
	if (f->reassembled && f->nfrag_frames > 0) {
		emit_arr(e, "reassembled_from");
		for (unsigned i = 0; i < f->nfrag_frames; i++)
			emit_u64(e, NULL, f->frag_frames[i]);
		emit_arr_end(e);
	}

	switch (f->kind) {
	case CAP_IKE:
		if (pv->ike)
			describe_ike(e, pv->ike);
		else
			emit_str(e, "ike_error", "too short for an ISAKMP header (28 bytes)");
		break;
	case CAP_ESP:
		emit_obj(e, "esp");
		if (pv->spi_only) {
			emit_spi4(e, "spi", pv->spi);
			emit_null(e, "seq");
		} else if (pv->short_hdr) {
			emit_null(e, "spi");
			emit_null(e, "seq");
		} else {
			emit_spi4(e, "spi", pv->spi);
			emit_u64(e, "seq", pv->seq);
		}
		emit_bool(e, "udp_encap", f->udp_encap);
		emit_u64(e, "length", f->wire_len);
		if (pv->esp_tried) {
			emit_bool(e, "decrypted", pv->esp_decrypted);
			if (pv->esp_icv_checked)
				emit_str(e, "icv", pv->esp_icv_ok ? "ok" : "bad");
			if (pv->esp_inner)
				emit_str(e, "inner", pv->esp_inner);
			if (pv->esp_error)
				emit_str(e, "decrypt_error", pv->esp_error);
		}
		emit_end(e);
		break;
	case CAP_AH:
		emit_obj(e, "ah");
		if (pv->short_hdr) {
			emit_null(e, "spi");
			emit_null(e, "seq");
		} else {
			emit_spi4(e, "spi", pv->spi);
			emit_u64(e, "seq", pv->seq);
			emit_enum(e, "next_header", NT_IP_PROTO, pv->ah_next);
		}
		emit_u64(e, "length", f->wire_len);
		emit_end(e);
		if (pv->esp_in_ah) {
			emit_obj(e, "esp");
			emit_spi4(e, "spi", pv->esp_spi);
			emit_u64(e, "seq", pv->esp_seq);
			emit_bool(e, "udp_encap", false);
			emit_bool(e, "in_ah", true);
			emit_end(e);
		}
		break;
	case CAP_NATT_KEEPALIVE:
		emit_bool(e, "nat_keepalive", true);
		break;
	case CAP_ICMP: {
		emit_obj(e, "icmp");
		emit_u64(e, "type", f->icmp_type);
		emit_u64(e, "code", f->icmp_code);
		emit_obj(e, "quoted");
		emit_addr(e, "src", &f->icmp_src);
		emit_u64(e, "sport", f->icmp_sport);
		emit_addr(e, "dst", &f->icmp_dst);
		emit_u64(e, "dport", f->icmp_dport);
		emit_end(e);
		emit_end(e);
		break;
	}
	case CAP_FRAGMENT:
		emit_obj(e, "ip_fragment");
		emit_u64(e, "offset", f->frag_offset);
		emit_bool(e, "more", f->frag_more);
		if (pv->reassembled_in)
			emit_u64(e, "reassembled_in", pv->reassembled_in);
		else
			emit_null(e, "reassembled_in");
		emit_end(e);
		break;
	case CAP_OTHER_UDP4500:
		emit_obj(e, "udp4500");
		emit_u64(e, "length", f->wire_len);
		emit_end(e);
		break;
	}

	const struct tk_info *ti = pv->ti;
	if (ti && (ti->sa || ti->flow)) {
		emit_obj(e, "track");
		if (ti->sa) {
			emit_u64(e, "ike_sa", ti->sa->id);
			if (ti->label != TL_UNKNOWN)
				emit_str(e, "message", tk_label_name(ti->label));
			emit_str(e, "from", side_name(ti->from));
		}
		if (ti->duplicate) {
			emit_u64(e, "duplicate_of", ti->retx_of.frame);
		} else if (ti->retransmission) {
			emit_u64(e, "retransmission_of", ti->retx_of.frame);
			emit_u64(e, "retransmission", ti->retx_n);
		}
		if (ti->msg && ti->msg->ike_fragment) {
			emit_obj(e, "fragment");
			emit_u64(e, "number", ti->msg->frag_num);
			if (ti->msg->frag_total)
				emit_u64(e, "total", ti->msg->frag_total);
			else
				emit_null(e, "total"); /* IKEv1: known from the last fragment */
			emit_end(e);
		}
		emit_end(e);
	}
}

/* ---- ike_sa ---- */

static void
emit_xform(struct emit *e, const char *key, const struct tk_xform *x)
{
	if (!x->set) {
		emit_null(e, key);
		return;
	}
	emit_obj(e, key);
	if (x->v2) {
		emit_opt_enum(e, "encr", NT_V2_ENCR, x->encr);
		emit_opt(e, "key_len", x->key_len);
		emit_opt_enum(e, "prf", NT_V2_PRF, x->prf);
		emit_opt_enum(e, "integ", NT_V2_INTEG, x->integ);
		emit_opt_enum(e, "ke", NT_GROUP, x->group);
		for (int i = 0; i < 7; i++) {
			char k[8];
			snprintf(k, sizeof k, "addke%d", i + 1);
			if (x->addke[i] >= 0)
				emit_enum(e, k, NT_GROUP, (uint32_t)x->addke[i]);
		}
		emit_opt(e, "esn", x->esn);
	} else if (x->proto == 1) {
		emit_opt_enum(e, "encr", NT_V1_P1_ENCR, x->encr);
		emit_opt(e, "key_len", x->key_len);
		emit_opt_enum(e, "hash", NT_V1_P1_HASH, x->hash);
		if (x->prf < 0)
			e->ops->enm_null(e, "prf");
		else
			e->ops->enm(e, "prf", NULL, (uint64_t)x->prf);
		emit_opt_enum(e, "auth_method", NT_V1_P1_AUTH, x->auth_method);
		emit_opt_enum(e, "group", NT_GROUP, x->group);
		emit_opt(e, "life_seconds", x->life_seconds);
		emit_opt(e, "life_kilobytes", x->life_kilobytes);
	} else {
		enum nt xt = x->proto == 2   ? NT_V1_XFORM_AH
			     : x->proto == 4 ? NT_V1_XFORM_IPCOMP
					     : NT_V1_XFORM_ESP;
		emit_enum(e, "transform", xt, x->transform);
		emit_opt(e, "key_len", x->key_len);
		emit_opt_enum(e, "integ", NT_V1_P2_AUTH, x->integ);
		emit_opt_enum(e, "encap_mode", NT_V1_ENCAP, x->encap_mode);
		emit_opt_enum(e, "pfs_group", NT_GROUP, x->group);
		emit_opt(e, "esn", x->esn);
		emit_opt(e, "life_seconds", x->life_seconds);
		emit_opt(e, "life_kilobytes", x->life_kilobytes);
	}
	emit_end(e);
}

static void
emit_side_obj(struct emit *e, const char *key, const struct tk_sa *sa, int what)
{
	emit_obj(e, key);
	for (int s = 0; s < 2; s++) {
		const char *k = s == 0 ? "initiator" : "responder";
		const struct tk_side_info *si = &sa->side[s];
		if (what == 0) { /* vendors */
			emit_arr(e, k);
			for (unsigned i = 0; i < si->nvendors; i++)
				emit_str(e, NULL, si->vendors[i]);
			emit_arr_end(e);
		} else { /* nat */
			if (si->nat < 0)
				emit_null(e, k);
			else
				emit_bool(e, k, si->nat > 0);
		}
	}
	emit_end(e);
}

void
rec_sa_fields(struct emit *e, const struct tk_sa *sa)
{
	char b[ADDR_STRLEN];
	emit_u64(e, "id", sa->id);
	emit_u64(e, "version", sa->version);
	emit_spi8(e, "ispi", sa->ispi);
	if (sa->rspi_known)
		emit_spi8(e, "rspi", sa->rspi);
	else
		emit_str(e, "rspi", "0000000000000000");
	int ini = sa->role_known ? TK_I : -1;
	if (ini >= 0) {
		emit_str(e, "initiator", addr_str(&sa->side[TK_I].addr, b, sizeof b));
		emit_str(e, "responder", addr_str(&sa->side[TK_R].addr, b, sizeof b));
	} else {
		emit_null(e, "initiator");
		emit_null(e, "responder");
		emit_obj(e, "peers");
		emit_addr(e, "a", &sa->side[TK_I].addr);
		emit_addr(e, "b", &sa->side[TK_R].addr);
		emit_end(e);
	}
	emit_str(e, "role_basis", sa->role_basis ? sa->role_basis : "unknown");
	emit_str(e, "mode", tk_mode_name(sa->mode));
	emit_str(e, "status", tk_status_name(sa->status));
	emit_str(e, "state_initiator", tk_state_asa(sa, TK_I));
	emit_str(e, "state_responder", tk_state_asa(sa, TK_R));
	emit_str(e, "ios_state_initiator", tk_state_ios(sa, TK_I));
	emit_str(e, "ios_state_responder", tk_state_ios(sa, TK_R));
	emit_u64(e, "first_frame", sa->first.frame);
	emit_u64(e, "last_frame", sa->last.frame);
	emit_time(e, "first_time", sa->first.t);
	emit_time(e, "last_time", sa->last.t);
	emit_u64(e, "messages", sa->nmsgs_total);
	emit_bool(e, "both_directions", tk_sees_both_directions(sa));
	emit_xform(e, "proposal", &sa->chosen);
	emit_side_obj(e, "vendors", sa, 0);
	emit_side_obj(e, "nat", sa, 1);
	if (sa->nattempts) {
		emit_arr(e, "attempts");
		for (unsigned i = 0; i < sa->nattempts; i++) {
			const struct tk_attempt *a = &sa->attempts[i];
			emit_obj(e, NULL);
			emit_u64(e, "frame", a->ref.frame);
			emit_enum(e, "reason", NT_V2_NOTIFY, a->reason);
			if (a->group >= 0)
				emit_enum(e, "accepted_group", NT_GROUP, (uint32_t)a->group);
			if (a->offered_group >= 0)
				emit_enum(e, "offered_group", NT_GROUP, (uint32_t)a->offered_group);
			emit_end(e);
		}
		emit_arr_end(e);
	}
	emit_arr(e, "phase2");
	for (unsigned i = 0; i < sa->np2; i++) {
		const struct tk_p2 *p = &sa->p2[i];
		if (p->ike_rekey)
			continue; /* an IKE SA, with its own ike_sa record */
		emit_obj(e, NULL);
		emit_u64(e, "msgid", p->msgid);
		emit_str(e, "initiator", side_name(p->initiator));
		emit_str(e, "status", tk_status_name(p->status));
		emit_str(e, "state", p->state);
		emit_arr(e, "spis");
		for (int s = 0; s < 2; s++)
			if (p->spi_known[s]) {
				char sb[12];
				emit_str(e, NULL, ike_hex(p->spi[s], 4, sb, sizeof sb));
			}
		emit_arr_end(e);
		emit_xform(e, "proposal", &p->proposal);
		if (p->error_notify)
			emit_enum(e, "error", sa->version == 2 ? NT_V2_NOTIFY : NT_V1_NOTIFY,
				  p->error_notify);
		emit_arr(e, "frames");
		for (unsigned k = 0; k < p->nframes; k++)
			emit_u64(e, NULL, p->frames[k].frame);
		emit_arr_end(e);
		emit_end(e);
	}
	emit_arr_end(e);
	emit_arr(e, "findings");
	for (unsigned i = 0; i < sa->nfindings; i++)
		emit_u64(e, NULL, sa->findings[i]);
	emit_arr_end(e);
}

/* ---- esp_flow ---- */

void
rec_flow_fields(struct emit *e, const struct tk_flow *fl)
{
	emit_spi4(e, "spi", fl->spi);
	emit_str(e, "protocol", fl->proto == 51 ? "AH" : "ESP");
	emit_addr(e, "src", &fl->src);
	emit_addr(e, "dst", &fl->dst);
	if (fl->udp_encap) {
		emit_u64(e, "sport", fl->sport);
		emit_u64(e, "dport", fl->dport);
	} else {
		emit_null(e, "sport");
		emit_null(e, "dport");
	}
	if (fl->sa_id) {
		emit_obj(e, "ike_sa");
		emit_spi8(e, "ispi", fl->sa_ispi);
		emit_spi8(e, "rspi", fl->sa_rspi);
		emit_u64(e, "id", fl->sa_id);
		emit_str(e, "basis", fl->sa_basis);
		emit_end(e);
	} else {
		emit_null(e, "ike_sa");
	}
	emit_time(e, "first_time", fl->first.t);
	emit_time(e, "last_time", fl->last.t);
	emit_u64(e, "first_frame", fl->first.frame);
	emit_u64(e, "last_frame", fl->last.frame);
	emit_u64(e, "packets", fl->packets);
	emit_u64(e, "bytes", fl->bytes);
	uint64_t span = fl->packets ? (uint64_t)(fl->seq_max - fl->seq_first) + 1 : 0;
	emit_u64(e, "seq_first", fl->seq_first);
	emit_u64(e, "seq_last", fl->seq_max);
	emit_u64(e, "seq_gaps", span > fl->seq_unique ? span - fl->seq_unique : 0);
	emit_u64(e, "reordered", fl->reordered);
	emit_u64(e, "replays", fl->replays);
	emit_u64(e, "decrypted", fl->decrypted);
}

/* ---- finding ---- */

void
rec_finding_fields(struct emit *e, const struct finding *fd)
{
	emit_u64(e, "id", fd->id);
	emit_str(e, "cause", fd->cause);
	emit_str(e, "severity", diag_sev_name(fd->severity));
	emit_str(e, "confidence", diag_conf_name(fd->confidence));
	emit_arr(e, "alternatives");
	for (unsigned i = 0; i < fd->nalt; i++)
		emit_str(e, NULL, fd->alternatives[i]);
	emit_arr_end(e);
	if (fd->nsa == 0) {
		emit_null(e, "ike_sa");
	} else if (fd->nsa == 1) {
		emit_obj(e, "ike_sa");
		emit_spi8(e, "ispi", fd->sa_ispi[0]);
		emit_spi8(e, "rspi", fd->sa_rspi[0]);
		emit_end(e);
	} else {
		emit_arr(e, "ike_sa");
		for (unsigned i = 0; i < fd->nsa; i++) {
			emit_obj(e, NULL);
			emit_spi8(e, "ispi", fd->sa_ispi[i]);
			emit_spi8(e, "rspi", fd->sa_rspi[i]);
			emit_end(e);
		}
		emit_arr_end(e);
	}
	if (fd->has_esp) {
		emit_obj(e, "esp");
		emit_spi4(e, "spi", fd->esp_spi);
		emit_addr(e, "dst", &fd->esp_dst);
		emit_end(e);
	} else {
		emit_null(e, "esp");
	}
	emit_arr(e, "frames");
	for (unsigned i = 0; i < fd->nframes; i++)
		emit_u64(e, NULL, fd->frames[i].frame);
	emit_arr_end(e);
	emit_str(e, "summary", fd->summary);
	if (fd->proof[0])
		emit_str(e, "proof", fd->proof);
	emit_obj(e, "remedy");
	for (unsigned i = 0; i < fd->nremedy; i++)
		emit_str(e, fd->remedy[i].vendor, fd->remedy[i].text);
	emit_end(e);
}
