/*
 * text.c - the default output: one line per IKE/ESP packet, the decisive
 * detail last; then one block per tunnel with the ladder (each side's state
 * after each message, retransmissions folded into one line), the stall
 * point, the findings and the fixes (UX.md).
 */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissect/names.h"
#include "dissect/vendor.h"
#include "src/cli.h"
#include "src/diag/diag.h"
#include "src/output/describe.h"
#include "src/output/ladder.h"
#include "src/output/emit.h"
#include "src/output/out.h"
#include "src/output/sbuf.h"

struct tctx {
	bool color;
	bool utf8;
	const char *arrow, *larrow, *ellipsis, *dash, *cross, *bang, *times;
	bool any_packet;
	bool have_t0;
	tk_time t0;
	bool blocks_started;
	unsigned nsas;
	unsigned nfailed;
	struct tk_sa *scratch; /* for replaying a ladder's states */
	const char *(*st)[2];  /* each side's state after each message */
};

/* ---- small helpers ---- */

#define C_RED "\033[31m"
#define C_YEL "\033[33m"
#define C_GRN "\033[32m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

static const char *
col(const struct tctx *t, const char *c)
{
	return t->color ? c : "";
}

static const char *
hostport(const struct addr *a, uint16_t port, bool ports, char *buf, size_t len)
{
	char ab[ADDR_STRLEN];
	addr_str(a, ab, sizeof ab);
	if (!ports)
		snprintf(buf, len, "%s", ab);
	else if (a->af == 6)
		snprintf(buf, len, "[%s]:%u", ab, port);
	else
		snprintf(buf, len, "%s:%u", ab, port);
	return buf;
}

/* Columns a UTF-8 string takes (our strings: ASCII and a few one-column signs). */
static size_t
display_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if ((*s & 0xc0) != 0x80)
			w++;
	return w;
}

static double
secs(tk_time t)
{
	return (double)t / 1e6;
}

static const char *
name_or_num(enum nt tab, uint32_t v, char *buf, size_t len)
{
	const char *n = nt_short(tab, v);
	if (n)
		return n;
	snprintf(buf, len, "%u", v);
	return buf;
}

/* ---- what an IKE message says, in one line ---- */

static void
sa_summary(struct sbuf *s, const struct ike_msg *m, const struct ike_sa *sa, bool response)
{
	unsigned ntr = 0;
	for (unsigned i = 0; i < sa->nprop; i++)
		ntr += m->v2 ? 1 : sa->p[i].ntrans;
	sb_printf(s, "SA(");
	if (response)
		sb_printf(s, "accepted: ");
	else if (ntr > 1)
		sb_printf(s, "%u %s: ", ntr, m->v2 ? "proposals" : "transforms");
	unsigned shown = 0;
	for (unsigned i = 0; i < sa->nprop && shown < 3; i++) {
		const struct ike_proposal *p = &sa->p[i];
		struct tk_xform x;
		char txt[200];
		memset(&x, 0, sizeof x);
		if (m->v2) {
			/* every alternative of the proposal */
			size_t o = 0;
			txt[0] = '\0';
			for (uint8_t type = 1; type <= 12 && o < sizeof txt - 1; type++) {
				bool first = true;
				for (unsigned j = 0; j < p->ntrans; j++) {
					const struct ike_transform *t = &p->t[j];
					if (t->type != type || (type == 5 && t->id == 0))
						continue;
					enum nt tab = type == 1	  ? NT_V2_ENCR
						      : type == 2 ? NT_V2_PRF
						      : type == 3 ? NT_V2_INTEG
						      : type == 5 ? NT_V2_ESN
								  : NT_GROUP;
					char nb[16];
					const char *nm = name_or_num(tab, t->id, nb, sizeof nb);
					unsigned kl = type == 1 ? ike_v2_key_len(t) : 0;
					int w = snprintf(txt + o, sizeof txt - o, "%s%s%s",
							 first ? (o ? " " : "") : "/",
							 type == 2 ? "PRF-" : "", nm);
					if (w > 0 && (size_t)w < sizeof txt - o)
						o += (size_t)w;
					if (kl) {
						w = snprintf(txt + o, sizeof txt - o, "-%u", kl);
						if (w > 0 && (size_t)w < sizeof txt - o)
							o += (size_t)w;
					}
					first = false;
				}
			}
			if (p->proto != 1) {
				char nb[16];
				sb_printf(s, "%s%s %s", shown ? ", " : "",
					  name_or_num(NT_V2_PROTO, p->proto, nb, sizeof nb), txt);
			} else {
				sb_printf(s, "%s%s", shown ? ", " : "", txt);
			}
			shown++;
			continue;
		}
		for (unsigned j = 0; j < p->ntrans && shown < 3; j++) {
			struct ike_v1_xform d;
			ike_v1_xform_decode(&p->t[j], p->proto == 1, &d);
			x.set = true;
			x.proto = p->proto;
			x.transform = p->t[j].id;
			x.encr = d.encr;
			x.key_len = d.key_len;
			x.hash = d.hash;
			x.integ = d.integ;
			x.auth_method = d.auth_method;
			x.group = p->proto == 1 ? d.group : d.pfs_group;
			x.encap_mode = d.encap_mode;
			x.life_seconds = d.life_seconds;
			x.life_kilobytes = d.life_kilobytes;
			x.esn = d.esn;
			x.prf = d.prf;
			sb_printf(s, "%s%s", shown ? ", " : "", tk_xform_text(&x, txt, sizeof txt));
			shown++;
		}
	}
	if (ntr > shown)
		sb_printf(s, ", +%u", ntr - shown);
	sb_printf(s, ")");
}

static void
chain_summary(struct sbuf *s, const struct ike_msg *m, const struct ike_chain *c, bool response,
	      const struct tctx *t)
{
	for (unsigned i = 0; i < c->n; i++) {
		const struct ike_pld *p = &c->p[i];
		char nb[16], b2[256];
		const char *pn = ike_pld_name(m->v2, p->type, m->pld15_is_natd, nb, sizeof nb);
		if (i)
			sb_printf(s, " ");
		if (!p->known) {
			sb_printf(s, "%s%s", pn,
				  p->status == IKE_PLD_MALFORMED   ? "(malformed)"
				  : p->status == IKE_PLD_TRUNCATED ? "[truncated]"
								   : "");
			continue;
		}
		switch (p->type) {
		case IKE1_SA:
		case IKE2_SA:
			if ((p->type == IKE1_SA) != m->v2) {
				sa_summary(s, m, &p->u.sa, response);
				continue;
			}
			break;
		case IKE2_KE:
			if (m->v2) {
				sb_printf(s, "KE(%s)",
					  name_or_num(NT_GROUP, p->u.ke.group, nb, sizeof nb));
				continue;
			}
			break;
		case IKE1_ID:
		case IKE2_IDI:
		case IKE2_IDR:
			if (p->type == IKE1_ID ? !m->v2 : m->v2) {
				ike_id_text(m->v2, p->u.id.type, p->u.id.data, p->u.id.len, b2, 96);
				sb_printf(s, "%s(%s)", pn, b2);
				continue;
			}
			break;
		case IKE1_N:
		case IKE2_N:
			if ((p->type == IKE1_N) != m->v2) {
				const struct ike_notify *n = &p->u.n;
				const char *nn =
				    nt_short(m->v2 ? NT_V2_NOTIFY : NT_V1_NOTIFY, n->type);
				bool err = nt_notify_is_error(n->type);
				sb_printf(s, "%sN(%s", err ? col(t, C_RED) : "",
					  nn ? nn : (snprintf(nb, sizeof nb, "%u", n->type), nb));
				if (m->v2 && n->type == 17) {
					int g = ike_notify_group(n);
					if (g >= 0)
						sb_printf(s, ": wants %s",
							  name_or_num(NT_GROUP, (uint32_t)g, nb,
								      sizeof nb));
				}
				if ((n->type == 36136 || n->type == 36137) && !m->v2 && n->len == 4)
					sb_printf(s, " #%u",
						  (unsigned)n->data[0] << 24 |
						      (unsigned)n->data[1] << 16 |
						      (unsigned)n->data[2] << 8 | n->data[3]);
				sb_printf(s, ")%s", err ? col(t, C_OFF) : "");
				continue;
			}
			break;
		case IKE1_VID:
		case IKE2_V:
			if ((p->type == IKE1_VID) != m->v2) {
				/* consecutive vendor IDs fold into one VID(a,b,c) */
				sb_printf(s, "%s(", pn);
				unsigned j = i;
				for (; j < c->n && c->p[j].type == p->type; j++) {
					char vt[96];
					const struct vid_info *vi = vid_lookup(
					    c->p[j].body, c->p[j].body_len, vt, sizeof vt);
					if (!vi)
						ike_hex(c->p[j].body,
							c->p[j].body_len > 8 ? 8 : c->p[j].body_len,
							vt, sizeof vt);
					sb_printf(s, "%s%s%s", j > i ? "," : "", vt,
						  !vi && c->p[j].body_len > 8 ? "..." : "");
				}
				sb_printf(s, ")");
				i = j - 1;
				continue;
			}
			break;
		case IKE1_D:
		case IKE2_D:
			if ((p->type == IKE1_D) != m->v2) {
				sb_printf(s, "D(%s",
					  name_or_num(m->v2 ? NT_V2_PROTO : NT_V1_PROTO,
						      p->u.d.proto, nb, sizeof nb));
				for (unsigned k = 0; k < p->u.d.nspi && k < 2 && p->u.d.spis; k++)
					sb_printf(s, " %s",
						  ike_hex(p->u.d.spis + (size_t)k * p->u.d.spi_size,
							  p->u.d.spi_size, b2, 40));
				if (p->u.d.nspi > 2)
					sb_printf(s, " +%u", p->u.d.nspi - 2u);
				sb_printf(s, ")");
				continue;
			}
			break;
		case IKE2_TSI:
		case IKE2_TSR:
			if (m->v2) {
				sb_printf(s, "%s(", pn);
				for (unsigned k = 0; k < p->u.ts.nts && k < 2; k++) {
					const struct ike_ts *x = &p->u.ts.ts[k];
					char a1[48], a2[48];
					if (!x->alen)
						continue;
					ike_addr_str(x->start, x->alen, a1, sizeof a1);
					ike_addr_str(x->end, x->alen, a2, sizeof a2);
					sb_printf(s, "%s%s-%s", k ? "," : "", a1, a2);
				}
				sb_printf(s, ")");
				continue;
			}
			break;
		case IKE2_AUTH:
			if (m->v2) {
				sb_printf(s, "AUTH(%s)",
					  name_or_num(NT_V2_AUTH, p->u.auth.method, nb, sizeof nb));
				continue;
			}
			break;
		case IKE2_SK:
		case IKE2_SKF:
			if (m->v2) {
				const struct ike_sk *k = &p->u.sk;
				if (p->type == IKE2_SKF)
					sb_printf(s, "SKF(%u/%u)", k->frag_num, k->frag_total);
				if (k->inner) {
					sb_printf(s, "%s{", p->type == IKE2_SKF ? "" : "SK");
					chain_summary(s, m, k->inner, response, t);
					sb_printf(s, "}");
				} else {
					char fb[16];
					const char *fi = ike_pld_name(true, k->first_inner, false,
								      fb, sizeof fb);
					if (k->first_inner || p->type == IKE2_SK)
						sb_printf(s, "%s[encrypted %u B, first payload %s]",
							  p->type == IKE2_SKF ? " " : "", k->len,
							  k->first_inner ? fi : "none");
					else
						sb_printf(s, " [encrypted %u B]", k->len);
					if (m->decrypt_error)
						sb_printf(s, " %snot decrypted: %s%s",
							  col(t, C_YEL), m->decrypt_error,
							  col(t, C_OFF));
				}
				continue;
			}
			break;
		case IKE1_FRAG:
			if (!m->v2) {
				sb_printf(s, "FRAG(#%u%s)", p->u.frag.num,
					  p->u.frag.last ? ", last" : "");
				if (p->u.frag.inner && p->u.frag.inner_decrypted) {
					sb_printf(s, " reassembled: ");
					chain_summary(s, m, p->u.frag.inner, response, t);
				} else if (p->u.frag.inner) {
					sb_printf(s, " reassembled");
				}
				continue;
			}
			break;
		default:
			break;
		}
		sb_printf(s, "%s", pn);
	}
}

static void
ike_line(struct tctx *t, struct sbuf *s, const struct pkt_view *pv)
{
	const struct ike_msg *m = pv->ike;
	const struct tk_info *ti = pv->ti;
	char nb[16];
	sb_printf(s, "v%u ", m->maj);
	if (ti && ti->label != TL_UNKNOWN) {
		sb_printf(s, "%s",
			  m->v2
			      ? nt_short(NT_V2_EXCH, m->exch) ? nt_short(NT_V2_EXCH, m->exch) : "?"
			      : tk_label_name(ti->label));
	} else {
		sb_printf(s, "%s",
			  name_or_num(m->v2 ? NT_V2_EXCH : NT_V1_EXCH, m->exch, nb, sizeof nb));
	}
	if (m->v2)
		sb_printf(s, " %s", (m->flags & IKE_V2_FLAG_R) ? "resp" : "req");
	if (m->msgid && (!m->v2 || m->exch != IKE2_EXCH_SA_INIT))
		sb_printf(s, " #%u", m->msgid);
	if (ti && ti->sa && ti->sa->role_known)
		sb_printf(s, " %s", ti->from == TK_I ? "I" : "R");
	sb_printf(s, "  ");
	if (ti && ti->duplicate) {
		sb_printf(s, "%sduplicate of frame %llu (same IP packet)%s", col(t, C_DIM),
			  (unsigned long long)ti->retx_of.frame, col(t, C_OFF));
		return;
	}
	if (ti && ti->retransmission) {
		sb_printf(s, "%sretransmission #%u of frame %llu (+%.1f s)%s", col(t, C_YEL),
			  ti->retx_n, (unsigned long long)ti->retx_of.frame,
			  secs(tk_time_of(pv->f) - ti->retx_of.t), col(t, C_OFF));
		return;
	}
	if (m->maj != 1 && m->maj != 2) {
		sb_printf(s, "unknown ISAKMP version %u.%u", m->maj, m->min);
		return;
	}
	if (!m->v2 && m->encrypted && !m->decrypted) {
		char fb[16];
		sb_printf(s, "[encrypted %u B, first payload %s]", m->enc_len,
			  ike_pld_name(false, m->np, false, fb, sizeof fb));
		if (m->decrypt_error)
			sb_printf(s, " %snot decrypted: %s%s", col(t, C_YEL), m->decrypt_error,
				  col(t, C_OFF));
		return;
	}
	if (m->decrypted && !m->v2 && m->encrypted)
		sb_printf(s, "[decrypted] ");
	bool response = m->v2 ? (m->flags & IKE_V2_FLAG_R) != 0
			      : (ti && (ti->label == TL_MM2 || ti->label == TL_AM2));
	chain_summary(s, m, &m->chain, response, t);
	if (m->icv_bad)
		sb_printf(s, " %s(ICV BAD: wrong integrity key?)%s", col(t, C_YEL), col(t, C_OFF));
	if (m->truncated && pv->f->frag_more && pv->f->frag_offset == 0)
		sb_printf(s, " %s[first IP fragment only: the rest never arrived]%s", col(t, C_YEL),
			  col(t, C_OFF));
	else if (m->truncated)
		sb_printf(s, " [truncated]");
	if (m->nanom)
		sb_printf(s, " %s[malformed: %s]%s", col(t, C_RED), m->anom[0].what, col(t, C_OFF));
}

static void
t_packet(struct out *o, const struct pkt_view *pv)
{
	struct tctx *t = o->ctx;
	if (!t->have_t0) {
		t->t0 = pv->t0;
		t->have_t0 = true;
	}
	if (o->cli->sa_only)
		return;
	const struct cap_frame *f = pv->f;
	char line[4096], a1[80], a2[80];
	struct sbuf s = {line, 0, sizeof line};
	bool ports = f->kind == CAP_IKE || f->kind == CAP_NATT_KEEPALIVE || f->udp_encap ||
		     f->kind == CAP_OTHER_UDP4500;
	t->any_packet = true;
	if (o->cli->absolute_time) {
		char tb[40];
		out_time_rfc3339(tk_time_of(f), tb, sizeof tb);
		sb_printf(&s, "%5llu %s ", (unsigned long long)f->num, tb);
	} else {
		sb_printf(&s, "%5llu %10.6f ", (unsigned long long)f->num,
			  secs(tk_time_of(f) - pv->t0));
	}
	if (o->multi_file)
		sb_printf(&s, "[%u] ", f->file);
	sb_printf(&s, "%s %s %s  ", hostport(&f->src, f->sport, ports, a1, sizeof a1), t->arrow,
		  hostport(&f->dst, f->dport, ports, a2, sizeof a2));
	switch (f->kind) {
	case CAP_IKE:
		if (pv->ike)
			ike_line(t, &s, pv);
		else
			sb_printf(&s, "ISAKMP %s[too short for a header: %zu B]%s", col(t, C_RED),
				  f->len, col(t, C_OFF));
		break;
	case CAP_ESP:
		if (pv->spi_only)
			sb_printf(&s, "ESP spi %08x [truncated]", pv->spi);
		else if (pv->short_hdr)
			sb_printf(&s, "ESP [too short]");
		else
			sb_printf(&s, "ESP spi %08x seq %u%s, %zu B", pv->spi, pv->seq,
				  f->udp_encap ? " (UDP-encapsulated)" : "", f->wire_len);
		if (pv->ti && pv->ti->flow && pv->ti->flow->packets == 1)
			sb_printf(&s, "  first of this SPI");
		if (pv->esp_inner)
			sb_printf(&s, "  %s %s%s", t->arrow, pv->esp_inner,
				  pv->esp_icv_checked
				      ? (pv->esp_icv_ok ? " (ICV ok)" : " (ICV BAD)")
				      : "");
		else if (pv->esp_error)
			sb_printf(&s, "  %snot decrypted: %s%s", col(t, C_YEL), pv->esp_error,
				  col(t, C_OFF));
		break;
	case CAP_AH:
		if (pv->short_hdr)
			sb_printf(&s, "AH [too short]");
		else
			sb_printf(&s, "AH spi %08x seq %u, %zu B", pv->spi, pv->seq, f->wire_len);
		if (pv->esp_in_ah)
			sb_printf(&s, " + ESP spi %08x seq %u", pv->esp_spi, pv->esp_seq);
		break;
	case CAP_NATT_KEEPALIVE:
		sb_printf(&s, "NAT-keepalive");
		break;
	case CAP_ICMP: {
		char q1[80], q2[80];
		const char *what =
		    (f->src.af == 4 && f->icmp_type == 3 && f->icmp_code == 3) ||
			    (f->src.af == 6 && f->icmp_type == 1 && f->icmp_code == 4)
			? "port unreachable"
		    : (f->src.af == 4 && f->icmp_type == 3) || (f->src.af == 6 && f->icmp_type == 1)
			? "destination unreachable"
		    : (f->src.af == 4 && f->icmp_type == 11) ||
			    (f->src.af == 6 && f->icmp_type == 3)
			? "time exceeded"
		    : (f->src.af == 6 && f->icmp_type == 2) ? "packet too big"
							    : "error";
		sb_printf(&s, "%sICMP%s %s (type %u code %u) about %s %s %s%s", col(t, C_RED),
			  f->src.af == 6 ? "v6" : "", what, f->icmp_type, f->icmp_code,
			  hostport(&f->icmp_src, f->icmp_sport, true, q1, sizeof q1), t->arrow,
			  hostport(&f->icmp_dst, f->icmp_dport, true, q2, sizeof q2),
			  col(t, C_OFF));
		break;
	}
	case CAP_FRAGMENT:
		sb_printf(&s, "IP fragment, offset %u%s", f->frag_offset,
			  f->frag_more ? ", more follow" : ", last");
		if (pv->reassembled_in)
			sb_printf(&s, ", reassembled in frame %llu",
				  (unsigned long long)pv->reassembled_in);
		else
			sb_printf(&s, ", %snever completed%s", col(t, C_YEL), col(t, C_OFF));
		break;
	case CAP_OTHER_UDP4500:
		sb_printf(&s, "UDP 4500, %zu B (neither IKE, ESP nor a keepalive)", f->wire_len);
		break;
	}
	if (f->reassembled && f->nfrag_frames > 1)
		sb_printf(&s, "  (IP-reassembled from %u fragments)", f->nfrag_frames);
	fprintf(o->fp, "%s\n", line);
	if (o->cli->verbose && pv->ike) {
		struct emit e;
		emit_tree_init(&e, o->fp, 1);
		e.hex_max = 48;
		describe_ike(&e, pv->ike);
	}
}

static void
t_anomaly(struct out *o, unsigned file, uint64_t frame, size_t offset, const char *layer,
	  const char *payload, const char *what)
{
	struct tctx *t = o->ctx;
	(void)file;
	if (o->cli->sa_only)
		return;
	fprintf(o->fp, "%5s %s! frame %llu, %s%s%s at offset %zu: %s%s\n", "", col(t, C_RED),
		(unsigned long long)frame, layer, payload ? " payload " : "",
		payload ? payload : "", offset, what, col(t, C_OFF));
}

/* ---- the tunnel block ---- */

static const char *
status_word(enum tk_status s)
{
	switch (s) {
	case TS_ESTABLISHED:
		return "ESTABLISHED";
	case TS_FAILED:
		return "FAILED";
	case TS_STALLED:
		return "STALLED";
	case TS_DELETED:
		return "DELETED";
	case TS_REKEYED:
		return "REKEYED";
	case TS_ESTABLISHED_BEFORE:
		return "UP (established before the capture)";
	case TS_REJECTED:
		return "REJECTED";
	default:
		return "IN PROGRESS";
	}
}

static const char *
status_color(enum tk_status s)
{
	switch (s) {
	case TS_FAILED:
	case TS_STALLED:
	case TS_REJECTED:
		return C_RED;
	case TS_ESTABLISHED:
	case TS_ESTABLISHED_BEFORE:
		return C_GRN;
	default:
		return C_YEL;
	}
}

static void
block(struct out *o, const struct tk_sa *sa)
{
	struct tctx *t = o->ctx;
	FILE *fp = o->fp;
	char a1[ADDR_STRLEN], a2[ADDR_STRLEN], c1[20], c2[20];
	const struct tk_side_info *I = &sa->side[TK_I], *R = &sa->side[TK_R];

	if (!t->blocks_started && t->any_packet && !o->cli->sa_only)
		fputc('\n', fp);
	t->blocks_started = true;

	const char *mode = sa->version == 2	       ? "IKEv2"
			   : sa->mode == TM_MAIN       ? "IKEv1 main mode"
			   : sa->mode == TM_AGGRESSIVE ? "IKEv1 aggressive mode"
						       : "IKEv1";
	fprintf(fp, "%s%s%s  %s (%s%s%s) %s %s (%s%s%s)\n", col(t, C_BOLD), mode, col(t, C_OFF),
		addr_str(&I->addr, a1, sizeof a1), sa->role_known ? "initiator" : "peer",
		I->family ? ", " : "", I->family ? I->family : "", t->arrow,
		addr_str(&R->addr, a2, sizeof a2), sa->role_known ? "responder" : "peer",
		R->family ? ", " : "", R->family ? R->family : "");
	ike_hex(sa->ispi, 8, c1, sizeof c1);
	ike_hex(sa->rspi, 8, c2, sizeof c2);
	char where[64] = "";
	if (sa->status == TS_FAILED || sa->status == TS_STALLED || sa->status == TS_IN_PROGRESS) {
		const char *si = tk_state_asa(sa, TK_I), *sr = tk_state_asa(sa, TK_R);
		snprintf(where, sizeof where, " at %s/%s", si ? si : "-", sr ? sr : "-");
	}
	fprintf(fp, "%s %s / %s    %s%s%s%s    frames %llu%s%llu, %.1f%s%.1f s\n",
		sa->version == 2 ? "SPIs" : "cookies", c1, sa->rspi_known ? c2 : "(none yet)",
		col(t, status_color(sa->status)), status_word(sa->status), where, col(t, C_OFF),
		(unsigned long long)sa->first.frame, t->dash, (unsigned long long)sa->last.frame,
		secs(sa->first.t - t->t0), t->dash, secs(sa->last.t - t->t0));
	if (sa->noffer) {
		/* one line per proposal, long ones cut: the JSON has them whole */
		unsigned shown = sa->noffer < 4 ? sa->noffer : 4;
		for (unsigned i = 0; i < shown; i++) {
			const char *ot = sa->offer_text[i];
			int w = (int)strlen(ot);
			fprintf(fp, "  %s %.*s%s\n", i == 0 ? "offered:" : "         ",
				w > 96 ? 96 : w, ot, w > 96 ? t->ellipsis : "");
		}
		if (sa->noffer_total > shown)
			fprintf(fp, "           (+%u more)\n", sa->noffer_total - shown);
	}
	if (sa->chosen.set) {
		char x[200];
		fprintf(fp, "  accepted: %s\n", tk_xform_text(&sa->chosen, x, sizeof x));
	}
	if (I->nat >= 0 || R->nat >= 0)
		fprintf(fp, "  NAT: initiator %s, responder %s%s\n",
			I->nat > 0    ? "behind NAT"
			: I->nat == 0 ? "no NAT"
				      : "unknown",
			R->nat > 0    ? "behind NAT"
			: R->nat == 0 ? "no NAT"
				      : "unknown",
			(I->floated || R->floated) ? " (moved to UDP 4500)" : "");

	/* the ladder */
	fprintf(fp, "\n  %6s %8s  %-6s %-4s %-44s %-14s %s\n", "frame", "time", "msg", "dir",
		"what", "initiator", "responder");
	if (!t->scratch)
		t->scratch = malloc(sizeof *t->scratch);
	if (!t->st)
		t->st = malloc(TK_MAX_MSGS * sizeof *t->st);
	bool states = t->scratch && t->st && sa->nmsgs <= TK_MAX_MSGS;
	if (states)
		tk_ladder_states(sa, t->scratch, t->st);
	/* the arrows are one column wide but may be three bytes: pad by hand */
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		char what[400];
		ladder_what(sa, m, what, sizeof what);
		struct sbuf s = {what, strlen(what), sizeof what};
		if (m->nretx) {
			sb_printf(&s, " %s%u at %.1f", t->times, m->nretx + 1u,
				  secs(m->ref.t - t->t0));
			unsigned n = m->nretx < TK_MAX_RETX ? m->nretx : TK_MAX_RETX;
			for (unsigned k = 0; k < n; k++)
				sb_printf(&s, " %.1f", secs(m->retx[k].t - t->t0));
			if (m->nretx > TK_MAX_RETX)
				sb_printf(&s, " %s", t->ellipsis);
		}
		/* keep the columns: a long payload list is cut (the JSON has it all) */
		if (s.n > 44) {
			size_t cut = 43;
			while (cut > 0 && (what[cut] & 0xc0) == 0x80)
				cut--;
			snprintf(what + cut, sizeof what - cut, "%s", t->ellipsis);
		}
		const char *si = states ? t->st[i][TK_I] : NULL;
		const char *sr = states ? t->st[i][TK_R] : NULL;
		const char *dir = m->from == TK_I ? t->arrow : m->from == TK_R ? t->larrow : "?";
		int pad = 44 - (int)display_width(what);
		fprintf(fp, "  %6llu %8.3f  %-6s %s    %s%*s %-14s %s\n",
			(unsigned long long)m->ref.frame, secs(m->ref.t - t->t0),
			sa->version == 2 ? tk_label_short(m->label) : tk_label_name(m->label), dir,
			what, pad > 0 ? pad : 0, "", si ? si : "-", sr ? sr : "-");
	}
	if (sa->nmsgs_total > sa->nmsgs)
		fprintf(fp, "  %6s (%u more messages not kept)\n", "", sa->nmsgs_total - sa->nmsgs);
	if (sa->esp_pkts[0] + sa->esp_pkts[1])
		fprintf(fp, "  %6llu %8.3f  ESP         %llu packets %s, %llu %s\n",
			(unsigned long long)sa->esp_first.frame, secs(sa->esp_first.t - t->t0),
			(unsigned long long)sa->esp_pkts[TK_I], t->arrow,
			(unsigned long long)sa->esp_pkts[TK_R], t->larrow);

	/* phase 2 */
	unsigned nchild = 0;
	for (unsigned i = 0; i < sa->np2; i++) {
		const struct tk_p2 *p = &sa->p2[i];
		if (p->ike_rekey) {
			/* RFC 7296 1.3.2: this CREATE_CHILD_SA made a new IKE SA */
			char a[20], b[20];
			fprintf(fp, "  IKE SA rekey (msgid %u, started by the %s): %s%s%s",
				p->msgid, p->initiator == TK_I ? "initiator" : "responder",
				col(t, status_color(p->status)), tk_status_name(p->status),
				col(t, C_OFF));
			if (p->new_spi_known[0] && p->new_spi_known[1])
				fprintf(fp, ", new SPIs %s / %s",
					ike_hex(p->new_spi[0], 8, a, sizeof a),
					ike_hex(p->new_spi[1], 8, b, sizeof b));
			fputc('\n', fp);
			continue;
		}
		nchild++;
		fprintf(fp, "  %s %u (msgid %u, started by the %s): %s%s%s%s%s%s\n",
			sa->version == 2 ? "CHILD SA" : "quick mode", nchild, p->msgid,
			p->initiator == TK_I ? "initiator" : "responder",
			col(t, status_color(p->status)), tk_status_name(p->status), col(t, C_OFF),
			p->state ? " (" : "", p->state ? p->state : "", p->state ? ")" : "");
	}

	/* the stall line */
	const char *si = tk_state_asa(sa, TK_I), *sr = tk_state_asa(sa, TK_R);
	const char *ii = tk_state_ios(sa, TK_I), *ir = tk_state_ios(sa, TK_R);
	if (sa->status == TS_FAILED || sa->status == TS_STALLED) {
		fprintf(fp, "\n  %s%s%s: initiator %s, responder %s", col(t, C_BOLD),
			sa->status == TS_FAILED ? "Failed" : "Stalled", col(t, C_OFF),
			si ? si : "-", sr ? sr : "(never answered)");
		if (ii || ir) {
			if (ii && ir && strcmp(ii, ir) == 0)
				fprintf(fp, " (IOS: %s on both)", ii);
			else
				fprintf(fp, " (IOS: %s / %s)", ii ? ii : "-", ir ? ir : "-");
		}
		fputs(".\n", fp);
	} else {
		fprintf(fp, "\n  States: initiator %s, responder %s.\n", si ? si : "-",
			sr ? sr : "-");
	}
	if (!tk_sees_both_directions(sa))
		fprintf(fp, "  The capture shows only one direction of this SA.\n");

	/* findings */
	for (unsigned i = 0; i < sa->nfindings; i++) {
		const struct finding *fd = o->dg ? diag_get(o->dg, sa->findings[i]) : NULL;
		if (!fd)
			continue;
		const char *mark = fd->severity == SEV_ERROR	 ? t->cross
				   : fd->severity == SEV_WARNING ? t->bang
								 : "i";
		const char *c = fd->severity == SEV_ERROR     ? C_RED
				: fd->severity == SEV_WARNING ? C_YEL
							      : C_DIM;
		fprintf(fp, "\n  %s%s %s%s  (%s", col(t, c), mark, fd->cause, col(t, C_OFF),
			diag_conf_name(fd->confidence));
		if (fd->severity == SEV_INFO)
			fprintf(fp, ", info");
		if (fd->nalt) {
			fprintf(fp, "; could also be: ");
			for (unsigned k = 0; k < fd->nalt; k++)
				fprintf(fp, "%s%s", k ? ", " : "", fd->alternatives[k]);
		}
		fprintf(fp, ")\n    %s", fd->summary);
		if (fd->nframes) {
			fprintf(fp, " Frames %llu", (unsigned long long)fd->frames[0].frame);
			unsigned shown = 1;
			for (unsigned k = 1; k < fd->nframes && shown < 8; k++, shown++)
				fprintf(fp, ", %llu", (unsigned long long)fd->frames[k].frame);
			if (fd->nframes > shown)
				fprintf(fp, " %s", t->ellipsis);
			fputc('.', fp);
		}
		fputc('\n', fp);
		if (fd->proof[0])
			fprintf(fp, "    Proof: %s\n", fd->proof);
		if (fd->nremedy) {
			fprintf(fp, "    Fix:\n");
			for (unsigned k = 0; k < fd->nremedy; k++)
				fprintf(fp, "      %-11s %s\n", fd->remedy[k].vendor,
					fd->remedy[k].text);
		}
	}
	fputc('\n', fp);
}

static void
t_sa(struct out *o, const struct tk_sa *sa)
{
	struct tctx *t = o->ctx;
	t->nsas++;
	if (sa->status == TS_FAILED || sa->status == TS_STALLED)
		t->nfailed++;
	block(o, sa);
}

static void
t_flow(struct out *o, const struct tk_flow *fl)
{
	struct tctx *t = o->ctx;
	char a1[ADDR_STRLEN], a2[ADDR_STRLEN];
	uint64_t span = fl->packets ? (uint64_t)(fl->seq_max - fl->seq_first) + 1 : 0;
	uint64_t gaps = span > fl->seq_unique ? span - fl->seq_unique : 0;
	if (!t->blocks_started && t->any_packet && !o->cli->sa_only)
		fputc('\n', o->fp);
	t->blocks_started = true;
	fprintf(o->fp, "%s %08x  %s %s %s%s  %llu packets, %llu B, seq %u%s%u",
		fl->proto == 51 ? "AH " : "ESP", fl->spi, addr_str(&fl->src, a1, sizeof a1),
		t->arrow, addr_str(&fl->dst, a2, sizeof a2), fl->udp_encap ? " (UDP 4500)" : "",
		(unsigned long long)fl->packets, (unsigned long long)fl->bytes, fl->seq_first,
		t->dash, fl->seq_max);
	if (gaps)
		fprintf(o->fp, ", %llu missing", (unsigned long long)gaps);
	if (fl->replays)
		fprintf(o->fp, ", %llu replayed", (unsigned long long)fl->replays);
	if (fl->reordered)
		fprintf(o->fp, ", %llu reordered", (unsigned long long)fl->reordered);
	if (fl->sa_id)
		fprintf(o->fp, "  (IKE SA %u)", fl->sa_id);
	fputc('\n', o->fp);
}

static void
t_finding(struct out *o, const struct finding *fd)
{
	/* findings attached to an SA were shown in its block; the others here */
	struct tctx *t = o->ctx;
	if (fd->nsa > 0)
		return;
	const char *mark = fd->severity == SEV_ERROR	 ? t->cross
			   : fd->severity == SEV_WARNING ? t->bang
							 : "i";
	fprintf(o->fp, "\n%s %s  (%s)\n  %s\n", mark, fd->cause, diag_conf_name(fd->confidence),
		fd->summary);
	for (unsigned k = 0; k < fd->nremedy; k++)
		fprintf(o->fp, "    %-11s %s\n", fd->remedy[k].vendor, fd->remedy[k].text);
}

static void
t_end(struct out *o, const struct run_info *ri)
{
	struct tctx *t = o->ctx;
	fprintf(o->fp, "%s%llu frames: %llu IKE, %llu ESP, %llu AH", t->blocks_started ? "" : "\n",
		(unsigned long long)ri->frames, (unsigned long long)ri->ike,
		(unsigned long long)ri->esp, (unsigned long long)ri->ah);
	if (ri->keepalives)
		fprintf(o->fp, ", %llu NAT keepalives", (unsigned long long)ri->keepalives);
	if (ri->icmp)
		fprintf(o->fp, ", %llu ICMP about IKE", (unsigned long long)ri->icmp);
	fprintf(o->fp, "; %u IKE SA%s (%u failed or stalled), %u finding%s", ri->sas,
		ri->sas == 1 ? "" : "s", t->nfailed, ri->findings, ri->findings == 1 ? "" : "s");
	if (ri->anomalies)
		fprintf(o->fp, ", %llu malformed", (unsigned long long)ri->anomalies);
	if (ri->ps_drop)
		fprintf(o->fp, "; %llu dropped by the kernel", (unsigned long long)ri->ps_drop);
	fputs(".\n", o->fp);
	fflush(o->fp);
}

static void
t_free(struct out *o)
{
	struct tctx *t = o->ctx;
	if (t) {
		free(t->scratch);
		free(t->st);
	}
	free(o->ctx);
	free(o);
}

static const struct out_ops text_ops = {t_packet,  t_anomaly, t_sa,  t_flow,
					t_finding, t_end,     t_free};

struct out *
out_text_new(FILE *fp, const struct cli *c)
{
	struct out *o = calloc(1, sizeof *o);
	struct tctx *t = calloc(1, sizeof *t);
	if (!o || !t) {
		free(o);
		free(t);
		return NULL;
	}
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	t->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	t->arrow = t->utf8 ? "→" : "->";
	t->larrow = t->utf8 ? "←" : "<-";
	t->ellipsis = t->utf8 ? "…" : "...";
	t->dash = t->utf8 ? "–" : "-";
	t->cross = t->utf8 ? "✗" : "x";
	t->bang = "!";
	t->times = t->utf8 ? "×" : "x";
	t->color = c->color == COLOR_ALWAYS ||
		   (c->color == COLOR_AUTO && isatty(fileno(fp)) && getenv("NO_COLOR") == NULL);
	o->ops = &text_ops;
	o->ctx = t;
	o->fp = fp;
	o->cli = c;
	return o;
}
