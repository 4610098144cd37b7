/*
 * describe.c - an IKE message as fields (CONTRACT.md, "packet" record, "ike"
 * object), for every emit backend: --json and -V share this code.
 */
#include "src/output/describe.h"

#include <stdio.h>
#include <string.h>

#include "dissect/ike.h"
#include "dissect/names.h"
#include "dissect/vendor.h"

static void describe_chain(struct emit *e, const struct ike_msg *m, const struct ike_chain *c);

static const char *
v2_xform_key(uint8_t type)
{
	static const char *const k[] = {NULL,	  "encr",   "prf",    "integ",	"ke",
					"esn",	  "addke1", "addke2", "addke3", "addke4",
					"addke5", "addke6", "addke7"};
	return type < sizeof k / sizeof k[0] ? k[type] : NULL;
}

static enum nt
v2_xform_table(uint8_t type)
{
	switch (type) {
	case 1:
		return NT_V2_ENCR;
	case 2:
		return NT_V2_PRF;
	case 3:
		return NT_V2_INTEG;
	case 5:
		return NT_V2_ESN;
	default:
		return NT_GROUP; /* KE and ADDKE1..7 share the KE method registry */
	}
}

static void
other_attrs(struct emit *e, const struct ike_transform *t, enum nt table, const int *known,
	    size_t nknown)
{
	bool any = false;
	for (unsigned i = 0; i < t->attrs.n; i++) {
		const struct ike_attr *a = &t->attrs.a[i];
		bool k = false;
		for (size_t j = 0; j < nknown; j++)
			k = k || a->type == known[j];
		if (k)
			continue;
		if (!any)
			emit_arr(e, "other_attributes");
		any = true;
		emit_obj(e, NULL);
		emit_enum(e, "type", table, a->type);
		if (a->num_ok)
			emit_u64(e, "value", a->num);
		else
			emit_hex(e, "value", a->val, a->len);
		emit_end(e);
	}
	if (any)
		emit_arr_end(e);
}

static void
v1_transform(struct emit *e, const struct ike_proposal *p, const struct ike_transform *t)
{
	struct ike_v1_xform x;
	bool p1 = p->proto == 1;
	ike_v1_xform_decode(t, p1, &x);
	emit_obj(e, NULL);
	emit_u64(e, "number", t->num);
	if (p1) {
		emit_enum(e, "id", NT_V1_XFORM_ISAKMP, t->id);
		emit_opt_enum(e, "encr", NT_V1_P1_ENCR, x.encr);
		emit_opt(e, "key_len", x.key_len);
		emit_opt_enum(e, "hash", NT_V1_P1_HASH, x.hash);
		/* class 13 PRF has no registered values: always a number */
		if (x.prf < 0)
			e->ops->enm_null(e, "prf");
		else
			e->ops->enm(e, "prf", NULL, (uint64_t)x.prf);
		emit_opt_enum(e, "auth_method", NT_V1_P1_AUTH, x.auth_method);
		emit_opt_enum(e, "group", NT_GROUP, x.group);
		emit_opt(e, "life_seconds", x.life_seconds);
		emit_opt(e, "life_kilobytes", x.life_kilobytes);
		static const int known[] = {1, 2, 3, 4, 11, 12, 13, 14};
		other_attrs(e, t, NT_V1_P1_ATTR, known, sizeof known / sizeof known[0]);
	} else {
		enum nt xt = p->proto == 2   ? NT_V1_XFORM_AH
			     : p->proto == 4 ? NT_V1_XFORM_IPCOMP
					     : NT_V1_XFORM_ESP;
		emit_enum(e, "transform", xt, t->id);
		emit_opt(e, "key_len", x.key_len);
		emit_opt_enum(e, "integ", NT_V1_P2_AUTH, x.integ);
		emit_opt_enum(e, "encap_mode", NT_V1_ENCAP, x.encap_mode);
		emit_opt_enum(e, "pfs_group", NT_GROUP, x.pfs_group);
		emit_opt(e, "esn", x.esn);
		emit_opt(e, "life_seconds", x.life_seconds);
		emit_opt(e, "life_kilobytes", x.life_kilobytes);
		static const int known[] = {1, 2, 3, 4, 5, 6, 11};
		other_attrs(e, t, NT_V1_P2_ATTR, known, sizeof known / sizeof known[0]);
	}
	emit_end(e);
}

static void
v2_transform(struct emit *e, const struct ike_transform *t)
{
	const char *k = v2_xform_key(t->type);
	emit_obj(e, NULL);
	if (k) {
		emit_enum(e, k, v2_xform_table(t->type), t->id);
	} else {
		emit_enum(e, "transform_type", NT_V2_XFORM_TYPE, t->type);
		emit_u64(e, "id", t->id);
	}
	if (t->type == 1) {
		unsigned kl = ike_v2_key_len(t);
		if (kl)
			emit_u64(e, "key_len", kl);
		else
			emit_null(e, "key_len");
	}
	static const int known[] = {14};
	other_attrs(e, t, NT_V2_XFORM_ATTR, known, 1);
	emit_end(e);
}

static void
d_sa(struct emit *e, const struct ike_msg *m, const struct ike_sa *sa)
{
	if (!m->v2) {
		emit_enum(e, "doi", NT_V1_DOI, sa->doi);
		emit_u64(e, "situation", sa->situation);
	}
	emit_arr(e, "proposals");
	for (unsigned i = 0; i < sa->nprop; i++) {
		const struct ike_proposal *p = &sa->p[i];
		emit_obj(e, NULL);
		emit_u64(e, "number", p->num);
		emit_enum(e, "protocol", m->v2 ? NT_V2_PROTO : NT_V1_PROTO, p->proto);
		if (p->spi)
			emit_hex(e, "spi", p->spi, p->spi_size);
		emit_u64(e, "transforms_declared", p->ntrans_decl);
		emit_arr(e, "transforms");
		for (unsigned j = 0; j < p->ntrans; j++) {
			if (m->v2)
				v2_transform(e, &p->t[j]);
			else
				v1_transform(e, p, &p->t[j]);
		}
		emit_arr_end(e);
		emit_end(e);
	}
	emit_arr_end(e);
}

static void
d_id(struct emit *e, const struct ike_msg *m, const struct ike_id *id)
{
	char buf[512];
	emit_enum(e, "id_type", m->v2 ? NT_V2_ID : NT_V1_ID, id->type);
	ike_id_text(m->v2, id->type, id->data, id->len, buf, sizeof buf);
	emit_str(e, "id", buf);
	if (!m->v2) {
		emit_enum(e, "protocol", NT_IP_PROTO, id->proto);
		emit_u64(e, "port", id->port);
	}
}

static bool
is_password_attr(bool v2, uint16_t type)
{
	/* XAUTH (draft-beaulieu-ike-xauth-02 6.1): USER-PASSWORD 16522,
	 * PASSCODE 16523, NEXT-PIN 16529, ANSWER 16530.  IKEv2 CP has none. */
	return !v2 && (type == 16522 || type == 16523 || type == 16529 || type == 16530);
}

static bool
is_text_attr(bool v2, uint16_t type)
{
	if (v2) /* RFC 7296 3.15.1 APPLICATION_VERSION, RFC 8598 INTERNAL_DNS_DOMAIN */
		return type == 7 || type == 25;
	/* XAUTH user name, message, challenge, domain, status text; Cisco Unity
	 * banner, default domain, split DNS name, backup servers, FW type? */
	switch (type) {
	case 7:	    /* APPLICATION_VERSION */
	case 16521: /* XAUTH-USER-NAME */
	case 16524: /* XAUTH-MESSAGE */
	case 16525: /* XAUTH-CHALLENGE */
	case 16526: /* XAUTH-DOMAIN */
	case 28672: /* UNITY_BANNER */
	case 28674: /* UNITY_DEF_DOMAIN */
	case 28675: /* UNITY_SPLIT_DNS_NAME */
	case 28678: /* UNITY_BACKUP_SERVERS */
		return true;
	default:
		return false;
	}
}

static bool
is_addr_attr(uint16_t type)
{
	/* INTERNAL_IP4_ADDRESS 1, NETMASK 2, DNS 3, NBNS 4, DHCP 6, IP6 8, DNS6 10,
	 * NBNS6 11 (IKEv1 mode-config and IKEv2 CP share these numbers) */
	return type == 1 || type == 2 || type == 3 || type == 4 || type == 6 || type == 8 ||
	       type == 10 || type == 11;
}

static void
d_cp(struct emit *e, const struct ike_msg *m, const struct ike_cp *cp)
{
	emit_enum(e, "cfg_type", m->v2 ? NT_V2_CFG_TYPE : NT_V1_CFG_TYPE, cp->type);
	if (!m->v2)
		emit_u64(e, "identifier", cp->ident);
	emit_arr(e, "attributes");
	for (unsigned i = 0; i < cp->attrs.n; i++) {
		const struct ike_attr *a = &cp->attrs.a[i];
		char buf[512];
		emit_obj(e, NULL);
		emit_enum(e, "type", m->v2 ? NT_V2_CFG_ATTR : NT_V1_CFG_ATTR, a->type);
		if (is_password_attr(m->v2, a->type)) {
			/* never show a password, not even its length */
			if (a->len || a->tv)
				emit_str(e, "value", "(hidden)");
		} else if (a->tv) {
			emit_u64(e, "value", a->num);
		} else if (a->len == 0) {
			/* a request for the attribute: no value */
		} else if (is_addr_attr(a->type) && (a->len == 4 || a->len == 16 || a->len == 17)) {
			ike_addr_str(a->val, a->len == 4 ? 4 : 16, buf, sizeof buf);
			if (a->len == 17) {
				size_t o = strlen(buf);
				snprintf(buf + o, sizeof buf - o, "/%u", a->val[16]);
			}
			emit_str(e, "value", buf);
		} else if (is_text_attr(m->v2, a->type)) {
			ike_escape(a->val, a->len, buf, sizeof buf);
			emit_str(e, "value", buf);
		} else if (a->num_ok) {
			emit_u64(e, "value", a->num);
		} else {
			emit_hex(e, "value", a->val, a->len);
		}
		emit_end(e);
	}
	emit_arr_end(e);
}

static void
d_notify_data(struct emit *e, const struct ike_msg *m, const struct ike_notify *n)
{
	const uint8_t *d = n->data;
	uint32_t l = n->len;
	char buf[512];
	if (m->v2) {
		switch (n->type) {
		case 17: /* INVALID_KE_PAYLOAD: the group the responder wants */
			if (l == 2)
				emit_enum(e, "accepted_group", NT_GROUP,
					  (uint32_t)(d[0] << 8 | d[1]));
			break;
		case 16390: /* COOKIE */
			emit_hex(e, "cookie", d, l);
			break;
		case 16388: /* NAT_DETECTION_SOURCE_IP */
		case 16389: /* NAT_DETECTION_DESTINATION_IP */
			emit_hex(e, "hash", d, l);
			break;
		case 16385: /* SET_WINDOW_SIZE */
		case 16403: /* AUTH_LIFETIME */
			if (l == 4)
				emit_u64(e, n->type == 16385 ? "window_size" : "auth_lifetime",
					 (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
					     (uint32_t)d[2] << 8 | d[3]);
			break;
		case 16387: /* IPCOMP_SUPPORTED: CPI (2) | Transform ID (1) */
			if (l >= 3) {
				emit_u64(e, "cpi", (uint32_t)(d[0] << 8 | d[1]));
				emit_enum(e, "ipcomp", NT_V2_IPCOMP, d[2]);
			}
			break;
		case 16407: /* REDIRECT: GW Ident Type | GW Ident Len | GW Identity | Nonce */
		case 16408: /* REDIRECTED_FROM */
			if (l >= 2 && (uint32_t)d[1] + 2 <= l) {
				uint8_t gt = d[0], gl = d[1];
				emit_enum(e, "gateway_type", NT_V2_GW_ID, gt);
				if ((gt == 1 && gl == 4) || (gt == 2 && gl == 16))
					ike_addr_str(d + 2, gl, buf, sizeof buf);
				else
					ike_escape(d + 2, gl, buf, sizeof buf);
				emit_str(e, "gateway", buf);
				if (l > (uint32_t)gl + 2)
					emit_hex(e, "redirect_nonce", d + 2 + gl, l - gl - 2u);
			}
			break;
		case 16431: /* SIGNATURE_HASH_ALGORITHMS (RFC 7427 4) */
			emit_arr(e, "hash_algorithms");
			for (uint32_t i = 0; i + 1 < l; i += 2) {
				uint32_t h = (uint32_t)(d[i] << 8 | d[i + 1]);
				const char *nm = nt_name(NT_V2_HASH, h);
				if (nm)
					emit_str(e, NULL, nm);
				else
					emit_u64(e, NULL, h);
			}
			emit_arr_end(e);
			break;
		default:
			break;
		}
	} else {
		switch (n->type) {
		case 24576: /* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): SA attributes */
			for (uint32_t i = 0; i + 4 <= l;) {
				uint16_t t = (uint16_t)(d[i] << 8 | d[i + 1]);
				uint32_t v = (uint32_t)(d[i + 2] << 8 | d[i + 3]);
				i += 4;
				uint64_t val = v;
				if (!(t & 0x8000)) {
					if (v > 8 || i + v > l)
						break;
					val = 0;
					for (uint32_t k = 0; k < v; k++)
						val = val << 8 | d[i + k];
					i += v;
				}
				t &= 0x7fff;
				if (t == 2) /* SA Life Duration: its type came before */
					emit_u64(e, "life_duration", val);
				else if (t == 1)
					emit_str(e, "life_type",
						 val == 1   ? "SECONDS"
						 : val == 2 ? "KILOBYTES"
							    : "?");
			}
			break;
		case 24577: /* REPLAY-STATUS */
		case 36136: /* R-U-THERE (RFC 3706): sequence number */
		case 36137: /* R-U-THERE-ACK */
			if (l == 4)
				emit_u64(e, n->type == 24577 ? "replay_status" : "sequence",
					 (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
					     (uint32_t)d[2] << 8 | d[3]);
			break;
		default:
			break;
		}
	}
	if (l)
		emit_hex(e, "data", d, l);
}

static void
d_notify(struct emit *e, const struct ike_msg *m, const struct ike_notify *n)
{
	emit_enum(e, "notify", m->v2 ? NT_V2_NOTIFY : NT_V1_NOTIFY, n->type);
	if (!m->v2)
		emit_enum(e, "doi", NT_V1_DOI, n->doi);
	emit_enum(e, "protocol", m->v2 ? NT_V2_PROTO : NT_V1_PROTO, n->proto);
	if (n->spi)
		emit_hex(e, "spi", n->spi, n->spi_size);
	else
		emit_null(e, "spi");
	d_notify_data(e, m, n);
}

static void
d_delete(struct emit *e, const struct ike_msg *m, const struct ike_delete *d)
{
	if (!m->v2)
		emit_enum(e, "doi", NT_V1_DOI, d->doi);
	emit_enum(e, "protocol", m->v2 ? NT_V2_PROTO : NT_V1_PROTO, d->proto);
	emit_u64(e, "spi_size", d->spi_size);
	emit_u64(e, "spi_count", d->nspi);
	emit_arr(e, "spis");
	if (d->spis && d->spi_size)
		for (unsigned i = 0; i < d->nspi; i++)
			emit_hex(e, NULL, d->spis + (size_t)i * d->spi_size, d->spi_size);
	emit_arr_end(e);
}

static void
d_ts(struct emit *e, const struct ike_tsp *t)
{
	char a[64];
	emit_u64(e, "count", t->nts_decl);
	emit_arr(e, "selectors");
	for (unsigned i = 0; i < t->nts; i++) {
		const struct ike_ts *s = &t->ts[i];
		emit_obj(e, NULL);
		emit_enum(e, "ts_type", NT_V2_TS, s->type);
		emit_enum(e, "ip_protocol", NT_IP_PROTO, s->ip_proto);
		if (s->alen) {
			emit_u64(e, "start_port", s->sport);
			emit_u64(e, "end_port", s->eport);
			emit_str(e, "start", ike_addr_str(s->start, s->alen, a, sizeof a));
			emit_str(e, "end", ike_addr_str(s->end, s->alen, a, sizeof a));
		} else if (s->raw_len) {
			emit_hex(e, "data", s->raw, s->raw_len);
		}
		emit_end(e);
	}
	emit_arr_end(e);
}

static void
d_vid(struct emit *e, const struct ike_pld *p)
{
	char name[128];
	const struct vid_info *vi = vid_lookup(p->body, p->body_len, name, sizeof name);
	if (vi)
		emit_str(e, "vendor", name);
	emit_hex(e, "vid_hex", p->body, p->body_len);
}

static void
describe_pld(struct emit *e, const struct ike_msg *m, const struct ike_pld *p)
{
	char nb[16];
	emit_obj(e, NULL);
	const char *name = ike_pld_name(m->v2, p->type, m->pld15_is_natd, nb, sizeof nb);
	if (name == nb)
		emit_u64(e, "type", p->type);
	else
		emit_str(e, "type", name);
	emit_u64(e, "type_code", p->type);
	emit_u64(e, "length", p->len);
	if (p->critical)
		emit_bool(e, "critical", true);
	if (p->status == IKE_PLD_TRUNCATED)
		emit_bool(e, "truncated", true);
	else if (p->status == IKE_PLD_MALFORMED)
		emit_bool(e, "malformed", true);

	if (!p->known) {
		if (p->body_len)
			emit_hex(e, "data", p->body, p->body_len);
		emit_end(e);
		return;
	}
	uint8_t t = p->type;
	if (!m->v2) {
		switch (t) {
		case IKE1_SA:
			d_sa(e, m, &p->u.sa);
			break;
		case IKE1_ID:
			d_id(e, m, &p->u.id);
			break;
		case IKE1_CERT:
		case IKE1_CR:
			emit_enum(e, "encoding", NT_CERT_ENC, p->u.cert.encoding);
			emit_u64(e, "data_length", p->u.cert.len);
			if (t == IKE1_CR && p->u.cert.len)
				emit_hex(e, "data", p->u.cert.data, p->u.cert.len);
			break;
		case IKE1_N:
			d_notify(e, m, &p->u.n);
			break;
		case IKE1_D:
			d_delete(e, m, &p->u.d);
			break;
		case IKE1_VID:
			d_vid(e, p);
			break;
		case IKE1_ATTR:
			d_cp(e, m, &p->u.cp);
			break;
		case IKE1_NATOA:
		case IKE1_NATOA_DRAFT: {
			char a[64];
			emit_enum(e, "id_type", NT_V1_ID, p->u.natoa.id_type);
			emit_str(e, "address",
				 ike_addr_str(p->u.natoa.addr, p->u.natoa.alen, a, sizeof a));
			break;
		}
		case IKE1_NATD:
		case IKE1_NATD_DRAFT:
		case IKE1_SAK: /* read as NAT-D (pld15_is_natd) */
			emit_hex(e, "hash", p->body, p->body_len);
			break;
		case IKE1_FRAG:
			emit_u64(e, "fragment_id", p->u.frag.id);
			emit_u64(e, "fragment_number", p->u.frag.num);
			emit_bool(e, "last", p->u.frag.last);
			emit_u64(e, "data_length", p->u.frag.len);
			if (p->u.frag.inner) {
				/* the reassembled message (decrypted when keys allowed) */
				emit_bool(e, "reassembled", true);
				emit_bool(e, "decrypted", p->u.frag.inner_decrypted);
				describe_chain(e, m, p->u.frag.inner);
			}
			break;
		default: /* KE, HASH, SIG, NONCE */
			emit_hex(e, "data", p->body, p->body_len);
			break;
		}
	} else {
		switch (t) {
		case IKE2_SA:
			d_sa(e, m, &p->u.sa);
			break;
		case IKE2_KE:
			emit_enum(e, "group", NT_GROUP, p->u.ke.group);
			emit_hex(e, "data", p->u.ke.data, p->u.ke.len);
			break;
		case IKE2_IDI:
		case IKE2_IDR:
		case IKE2_IDG:
			d_id(e, m, &p->u.id);
			break;
		case IKE2_CERT:
		case IKE2_CERTREQ:
			emit_enum(e, "encoding", NT_CERT_ENC, p->u.cert.encoding);
			emit_u64(e, "data_length", p->u.cert.len);
			if (t == IKE2_CERTREQ && p->u.cert.len)
				emit_hex(e, "data", p->u.cert.data, p->u.cert.len);
			break;
		case IKE2_AUTH:
			emit_enum(e, "method", NT_V2_AUTH, p->u.auth.method);
			emit_hex(e, "data", p->u.auth.data, p->u.auth.len);
			break;
		case IKE2_N:
			d_notify(e, m, &p->u.n);
			break;
		case IKE2_D:
			d_delete(e, m, &p->u.d);
			break;
		case IKE2_V:
			d_vid(e, p);
			break;
		case IKE2_TSI:
		case IKE2_TSR:
			d_ts(e, &p->u.ts);
			break;
		case IKE2_CP:
			d_cp(e, m, &p->u.cp);
			break;
		case IKE2_EAP:
			emit_enum(e, "eap_code", NT_EAP_CODE, p->u.eap.code);
			emit_u64(e, "identifier", p->u.eap.id);
			emit_u64(e, "eap_length", p->u.eap.len);
			if (p->u.eap.has_type)
				emit_enum(e, "eap_type", NT_EAP_TYPE, p->u.eap.type);
			break;
		case IKE2_SK:
		case IKE2_SKF: {
			const struct ike_sk *s = &p->u.sk;
			char fb[16];
			const char *fi = ike_pld_name(true, s->first_inner, false, fb, sizeof fb);
			if (fi == fb)
				emit_u64(e, "first_inner", s->first_inner);
			else
				emit_str(e, "first_inner", fi);
			emit_u64(e, "first_inner_code", s->first_inner);
			if (t == IKE2_SKF) {
				emit_u64(e, "fragment_number", s->frag_num);
				emit_u64(e, "total_fragments", s->frag_total);
			}
			emit_u64(e, "encrypted_length", s->len);
			if (s->inner)
				describe_chain(e, m, s->inner);
			break;
		}
		default: /* NONCE */
			emit_hex(e, "data", p->body, p->body_len);
			break;
		}
	}
	emit_end(e);
}

static void
describe_chain(struct emit *e, const struct ike_msg *m, const struct ike_chain *c)
{
	emit_arr(e, "payloads");
	for (unsigned i = 0; i < c->n; i++)
		describe_pld(e, m, &c->p[i]);
	emit_arr_end(e);
}

void
describe_ike(struct emit *e, const struct ike_msg *m)
{
	char b[20];
	emit_obj(e, "ike");
	emit_u64(e, "version", m->maj);
	if (m->min)
		emit_u64(e, "version_minor", m->min);
	emit_str(e, "ispi", ike_hex(m->ispi, 8, b, sizeof b));
	emit_str(e, "rspi", ike_hex(m->rspi, 8, b, sizeof b));
	emit_enum(e, "exchange", m->v2 ? NT_V2_EXCH : NT_V1_EXCH, m->exch);
	emit_u64(e, "msgid", m->msgid);
	emit_arr(e, "flags");
	if (m->v2) {
		if (m->flags & IKE_V2_FLAG_I)
			emit_str(e, NULL, "I");
		if (m->flags & IKE_V2_FLAG_V)
			emit_str(e, NULL, "V");
		if (m->flags & IKE_V2_FLAG_R)
			emit_str(e, NULL, "R");
	} else {
		if (m->flags & IKE_V1_FLAG_E)
			emit_str(e, NULL, "E");
		if (m->flags & IKE_V1_FLAG_C)
			emit_str(e, NULL, "C");
		if (m->flags & IKE_V1_FLAG_A)
			emit_str(e, NULL, "A");
	}
	emit_arr_end(e);
	emit_u64(e, "length", m->length);
	if (m->truncated)
		emit_bool(e, "truncated", true);
	if (m->maj != 1 && m->maj != 2) {
		emit_end(e);
		return;
	}
	emit_bool(e, "encrypted", m->encrypted);
	emit_bool(e, "decrypted", m->decrypted);
	if (m->encrypted && !m->decrypted && m->decrypt_error)
		emit_str(e, "decrypt_error", m->decrypt_error);
	if (m->decrypted && m->icv_bad)
		emit_str(e, "icv", "bad");
	const char *fp = ike_pld_name(m->v2, m->np, m->pld15_is_natd, b, sizeof b);
	if (fp == b)
		emit_u64(e, "first_payload", m->np);
	else
		emit_str(e, "first_payload", fp);
	emit_u64(e, "first_payload_code", m->np);
	if (!m->v2 && m->encrypted && !m->decrypted)
		emit_u64(e, "encrypted_length", m->enc_len);
	describe_chain(e, m, &m->chain);
	emit_end(e);
}
