/*
 * model.c - the screen's copy of what the analysis knows.
 *
 * Fed two ways: as an output (packet views, closed SAs, findings, the end),
 * and by tv_refresh_live(), which snapshots the tracker's open SAs between
 * two batches of packets.  Nothing here reads packet bytes: it copies the
 * tracker's model, and renders a packet's tree through the same describer
 * as -V while the packet is being handled.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/names.h"
#include "src/diag/diag.h"
#include "src/output/describe.h"
#include "src/output/emit.h"
#include "src/output/sbuf.h"
#include "tui/tui_int.h"

/* ---- small helpers ---- */

void
tv_fmt(char *dst, size_t len, const char *fmt, ...)
{
	if (len == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(dst, len, fmt, ap);
	va_end(ap);
	if (w < 0) {
		dst[0] = '\0';
		return;
	}
	/* a cut must not leave half a UTF-8 character behind */
	if ((size_t)w >= len) {
		size_t n = len - 1, p = n;
		while (p > 0 && ((unsigned char)dst[p - 1] & 0xc0) == 0x80)
			p--;
		if (p > 0) {
			unsigned char lead = (unsigned char)dst[p - 1];
			size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
			if (p - 1 + need > n)
				dst[p - 1] = '\0';
		}
	}
}

static void
cpy(char *dst, size_t len, const char *src)
{
	tv_fmt(dst, len, "%s", src ? src : "");
}

static void
hex8(const uint8_t *p, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (unsigned i = 0; i < 8; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[16] = '\0';
}

bool
tv_status_fails(enum tk_status s)
{
	return s == TS_FAILED || s == TS_STALLED || s == TS_REJECTED;
}

/* ---- tunnels by id ---- */

static unsigned
lower_bound(const struct tv_model *m, unsigned id)
{
	unsigned lo = 0, hi = m->ntun;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (m->tun[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct tv_tunnel *
tv_find(const struct tv_model *m, unsigned id)
{
	/* packets mostly belong to the newest SA */
	if (m->ntun && m->tun[m->ntun - 1]->id == id)
		return m->tun[m->ntun - 1];
	unsigned i = lower_bound(m, id);
	return i < m->ntun && m->tun[i]->id == id ? m->tun[i] : NULL;
}

static void
tunnel_free(struct tv_tunnel *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->frames);
	free(t);
}

/* Make room: the oldest closed tunnel goes.  False when every one is open. */
static bool
evict_one(struct tv_model *m)
{
	for (unsigned i = 0; i < m->ntun; i++) {
		if (!m->tun[i]->closed)
			continue;
		tunnel_free(m->tun[i]);
		memmove(m->tun + i, m->tun + i + 1, (m->ntun - i - 1) * sizeof *m->tun);
		m->ntun--;
		m->evicted++;
		return true;
	}
	return false;
}

static struct tv_tunnel *
find_or_add(struct tv_model *m, unsigned id)
{
	struct tv_tunnel *t = tv_find(m, id);
	if (t)
		return t;
	if (m->ntun >= TV_MAX_TUNNELS && !evict_one(m))
		return NULL;
	if (m->ntun == m->tun_cap) {
		unsigned nc = m->tun_cap ? m->tun_cap * 2 : 64;
		struct tv_tunnel **nt = realloc(m->tun, nc * sizeof *nt);
		if (!nt)
			return NULL;
		m->tun = nt;
		m->tun_cap = nc;
	}
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->id = id;
	unsigned i = lower_bound(m, id);
	memmove(m->tun + i + 1, m->tun + i, (m->ntun - i) * sizeof *m->tun);
	m->tun[i] = t;
	m->ntun++;
	return t;
}

static void
add_frame(struct tv_tunnel *t, const struct cap_frame *f)
{
	if (t->nframes == TV_MAX_FRAMES) {
		/* keep the newest: the end of a negotiation says more */
		memmove(t->frames, t->frames + 1, (t->nframes - 1) * sizeof *t->frames);
		t->nframes--;
		t->frames_dropped++;
	}
	if (t->nframes == t->frames_cap) {
		unsigned nc = t->frames_cap ? t->frames_cap * 2 : 16;
		struct tk_ref *nf = realloc(t->frames, nc * sizeof *nf);
		if (!nf)
			return;
		t->frames = nf;
		t->frames_cap = nc;
	}
	struct tk_ref *r = &t->frames[t->nframes++];
	r->file = f->file;
	r->frame = f->num;
	r->t = tk_time_of(f);
}

/* ---- what a message said, compactly (narrow panes) ---- */

static void
row_what(const struct tk_sa *sa, const struct tk_msg *msg, char *buf, size_t len)
{
	bool v2 = sa->version == 2;
	struct sbuf s = {buf, 0, len};
	buf[0] = '\0';
	if (msg->ike_fragment && msg->frag_total)
		sb_printf(&s, "frag %u/%u ", msg->frag_num, msg->frag_total);
	else if (msg->ike_fragment)
		sb_printf(&s, "frag %u ", msg->frag_num);
	if (msg->encrypted && !msg->decrypted) {
		const char *first = nt_name(v2 ? NT_V2_PAYLOAD : NT_V1_PAYLOAD, msg->first_payload);
		if (!v2 || (msg->ike_fragment && msg->frag_num > 1))
			sb_printf(&s, "[encrypted]");
		else if (msg->first_payload == 0)
			sb_printf(&s, "[encrypted, empty]");
		else
			sb_printf(&s, "[encrypted, %s first]", first ? first : "?");
		return;
	}
	if (msg->decrypted)
		sb_printf(&s, "(dec) ");
	bool any = false;
	unsigned nvid = 0;
	for (unsigned i = 0; i < msg->nptypes;) {
		uint8_t ty = msg->ptypes[i];
		unsigned k = i + 1;
		while (k < msg->nptypes && msg->ptypes[k] == ty)
			k++;
		unsigned rep = k - i;
		i = k;
		if ((v2 && (ty == IKE2_SK || ty == IKE2_SKF)) || ty == (v2 ? IKE2_N : IKE1_N))
			continue; /* the envelope; notifies are listed by name below */
		if (ty == (v2 ? IKE2_V : IKE1_VID)) {
			nvid += rep;
			continue;
		}
		const char *nm = nt_name(v2 ? NT_V2_PAYLOAD : NT_V1_PAYLOAD, ty);
		if (ty == (v2 ? IKE2_NONCE : IKE1_NONCE))
			nm = msg->from == TK_I ? "Ni" : "Nr";
		char num[8];
		if (!nm) {
			snprintf(num, sizeof num, "%u", ty);
			nm = num;
		}
		sb_printf(&s, "%s%s", any ? " " : "", nm);
		if (rep > 1)
			sb_printf(&s, "x%u", rep);
		any = true;
	}
	bool natd = false;
	for (unsigned i = 0; i < msg->nnotify; i++) {
		uint16_t nt = msg->notify[i];
		if (nt == 16388 || nt == 16389) {
			if (!natd && v2)
				sb_printf(&s, "%sNAT-D", any ? " " : "");
			natd = any = true;
			continue;
		}
		const char *nm = nt_short(v2 ? NT_V2_NOTIFY : NT_V1_NOTIFY, nt);
		if (nm)
			sb_printf(&s, "%sN(%s)", any ? " " : "", nm);
		else
			sb_printf(&s, "%sN(%u)", any ? " " : "", nt);
		any = true;
	}
	if (nvid > 1)
		sb_printf(&s, "%sVIDx%u", any ? " " : "", nvid);
	else if (nvid)
		sb_printf(&s, "%sVID", any ? " " : "");
	else if (!any)
		sb_printf(&s, "-");
}

/* ---- snapshots ---- */

/* The ladder: each message with the state of each side after it
 * (tk_ladder_states, as the text output and the report show it). */
static void
snap_rows(struct tv_tunnel *t, const struct tk_sa *sa, struct tk_sa *tmp)
{
	struct tv_row *rows = t->rows;
	if (sa->nmsgs > t->nrows || !rows) {
		rows = realloc(t->rows, (sa->nmsgs ? sa->nmsgs : 1) * sizeof *rows);
		if (!rows)
			return;
		t->rows = rows;
	}
	t->nrows = sa->nmsgs;
	const char *(*st)[2] = malloc(sa->nmsgs ? sa->nmsgs * sizeof *st : sizeof *st);
	if (!st) {
		t->nrows = 0;
		return;
	}
	tk_ladder_states(sa, tmp, st);
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *msg = &sa->msgs[i];
		struct tv_row *r = &rows[i];
		cpy(r->st[0], sizeof r->st[0], st[i][TK_I]);
		cpy(r->st[1], sizeof r->st[1], st[i][TK_R]);

		r->ref = msg->ref;
		r->from = msg->from;
		r->ntx = msg->nretx + 1u;
		r->error = tk_msg_error_notify(msg) != 0;
		cpy(r->msg, sizeof r->msg,
		    sa->version == 2 ? tk_label_short(msg->label) : tk_label_name(msg->label));
		row_what(sa, msg, r->what, sizeof r->what);
	}
	free(st);
}

static void
snap(struct tv_model *m, struct tv_tunnel *t, const struct tk_sa *sa)
{
	t->snapped = true;
	t->version = sa->version;
	t->mode = sa->mode;
	t->status = sa->status;
	t->role_known = sa->role_known;
	for (int s = 0; s < 2; s++) {
		addr_str(&sa->side[s].addr, t->addr[s], sizeof t->addr[s]);
		cpy(t->family[s], sizeof t->family[s], sa->side[s].family);
		cpy(t->st[s], sizeof t->st[s], tk_state_asa(sa, (enum tk_side)s));
		cpy(t->ios[s], sizeof t->ios[s], tk_state_ios(sa, (enum tk_side)s));
		t->nat[s] = sa->side[s].nat;
		t->esp[s] = sa->esp_pkts[s];
	}
	hex8(sa->ispi, t->spi[0]);
	hex8(sa->rspi, t->spi[1]);
	t->rspi_known = sa->rspi_known;
	t->first = sa->first;
	t->last = sa->last;
	t->nmsgs_total = sa->nmsgs_total;
	t->esp_first = sa->esp_first;
	cpy(t->offer, sizeof t->offer, sa->noffer ? sa->offer_text[0] : "");
	t->noffer_total = sa->noffer_total;
	if (sa->chosen.set)
		tk_xform_text(&sa->chosen, t->chosen, sizeof t->chosen);
	else
		t->chosen[0] = '\0';
	t->floated = sa->side[0].floated || sa->side[1].floated;
	t->one_way = !tk_sees_both_directions(sa);
	t->np2 = sa->np2;
	for (unsigned i = 0; i < sa->np2 && i < TK_MAX_P2; i++) {
		t->p2[i].msgid = sa->p2[i].msgid;
		t->p2[i].initiator = sa->p2[i].initiator;
		t->p2[i].status = sa->p2[i].status;
		t->p2[i].ike_rekey = sa->p2[i].ike_rekey;
		cpy(t->p2[i].state, sizeof t->p2[i].state, sa->p2[i].state);
	}
	for (unsigned i = 0; i < sa->nfindings && i < TV_MAX_FIND; i++) {
		bool have = false;
		for (unsigned k = 0; k < t->nfind; k++)
			have |= t->find[k] == sa->findings[i];
		if (!have && t->nfind < TV_MAX_FIND)
			t->find[t->nfind++] = sa->findings[i];
	}
	if (m->scratch)
		snap_rows(t, sa, m->scratch);

	uint32_t retx = 0;
	for (unsigned i = 0; i < sa->nmsgs; i++)
		retx += sa->msgs[i].nretx + sa->msgs[i].ndup;
	t->sig_last = sa->last.t;
	t->sig_nmsgs = sa->nmsgs_total;
	t->sig_retx = retx;
	t->sig_status = sa->status;
	t->sig_esp = sa->esp_pkts[0] + sa->esp_pkts[1];
	t->sig_np2 = sa->np2;
	t->sig_nev = sa->nevents;
	t->sig_p1 = sa->p1_done;
	m->changes++;
}

static bool
changed(const struct tv_tunnel *t, const struct tk_sa *sa)
{
	return !t->snapped || t->sig_last != sa->last.t || t->sig_nmsgs != sa->nmsgs_total ||
	       t->sig_status != sa->status || t->sig_esp != sa->esp_pkts[0] + sa->esp_pkts[1] ||
	       t->sig_np2 != sa->np2 || t->sig_nev != sa->nevents || t->sig_p1 != sa->p1_done;
}

void
tv_refresh_live(struct tv_model *m, struct tracker *tk)
{
	if (!tk)
		return;
	for (struct tk_sa *sa = tk_first_sa(tk); sa; sa = tk_next_sa(sa)) {
		struct tv_tunnel *t = tv_find(m, sa->id);
		if (t && (t->closed || !changed(t, sa)))
			continue;
		if (!t && !(t = find_or_add(m, sa->id)))
			continue;
		snap(m, t, sa);
	}
}

/* ---- packets: a line and the payload tree ---- */

static void
pkt_line(const struct tv_model *m, const struct pkt_view *pv, char *buf, size_t len)
{
	const struct cap_frame *f = pv->f;
	const struct ike_msg *im = pv->ike;
	const struct tk_info *ti = pv->ti;
	char a1[ADDR_STRLEN], a2[ADDR_STRLEN];
	struct sbuf s = {buf, 0, len};
	const char *arrow = m->utf8 ? "\u2192" : "->";
	sb_printf(&s, "%6llu %9.3f  %s:%u %s %s:%u  ", (unsigned long long)f->num,
		  (double)(tk_time_of(f) - m->t0) / 1e6, addr_str(&f->src, a1, sizeof a1), f->sport,
		  arrow, addr_str(&f->dst, a2, sizeof a2), f->dport);
	if (ti && ti->label != TL_UNKNOWN) {
		sb_printf(&s, "%s", tk_label_name(ti->label));
	} else {
		const char *x = nt_short(im->v2 ? NT_V2_EXCH : NT_V1_EXCH, im->exch);
		if (x)
			sb_printf(&s, "%s", x);
		else
			sb_printf(&s, "exchange %u", im->exch);
	}
	if (ti && ti->sa && ti->sa->role_known && ti->from < 2)
		sb_printf(&s, " %s", ti->from == TK_I ? "I" : "R");
	if (ti && ti->duplicate)
		sb_printf(&s, "  duplicate of frame %llu", (unsigned long long)ti->retx_of.frame);
	else if (ti && ti->retransmission)
		sb_printf(&s, "  retransmission #%u of frame %llu", ti->retx_n,
			  (unsigned long long)ti->retx_of.frame);
	if (im->encrypted)
		sb_printf(&s, "  %s", im->decrypted ? "decrypted" : "encrypted");
	sb_printf(&s, "  %u B", im->length);
}

static char *
pkt_tree(const struct pkt_view *pv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	if (!fp)
		return NULL;
	struct emit e;
	emit_tree_init(&e, fp, 0);
	e.hex_max = 48;
	describe_ike(&e, pv->ike);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	if (buf && len > TV_TREE_MAX) {
		static const char cut[] = "\n(the rest of this tree is not kept)\n";
		size_t k = TV_TREE_MAX - sizeof cut;
		while (k > 0 && buf[k - 1] != '\n')
			k--;
		memcpy(buf + k, cut, sizeof cut);
	}
	return buf;
}

static void
keep_packet(struct tv_model *m, const struct pkt_view *pv, unsigned sa_id)
{
	struct tv_pkt *p = &m->pkts[m->pkt_next];
	free(p->tree);
	memset(p, 0, sizeof *p);
	p->file = pv->f->file;
	p->frame = pv->f->num;
	p->sa_id = sa_id;
	p->t = tk_time_of(pv->f);
	pkt_line(m, pv, p->line, sizeof p->line);
	p->tree = pkt_tree(pv);
	m->pkt_next = (m->pkt_next + 1) % TV_MAX_PKTS;
	if (m->npkts < TV_MAX_PKTS)
		m->npkts++;
}

const struct tv_pkt *
tv_pkt_find(const struct tv_model *m, unsigned file, uint64_t frame)
{
	for (unsigned k = 0; k < m->npkts; k++) {
		/* newest first */
		unsigned i = (m->pkt_next + TV_MAX_PKTS - 1 - k) % TV_MAX_PKTS;
		const struct tv_pkt *p = &m->pkts[i];
		if (p->frame == frame && p->file == file)
			return p;
	}
	return NULL;
}

/* ---- the output ---- */

static void
o_packet(struct out *o, const struct pkt_view *pv)
{
	struct tv_model *m = o->ctx;
	if (!m->have_t0) {
		m->t0 = pv->t0;
		m->have_t0 = true;
	}
	m->frames_seen++;
	if (pv->f->kind == CAP_ESP)
		m->esp++;
	if (!pv->ike)
		return;
	m->ike++;
	m->changes++;
	const struct tk_info *ti = pv->ti;
	if (!ti || !ti->sa)
		return;
	struct tv_tunnel *t = find_or_add(m, ti->sa->id);
	if (!t)
		return;
	add_frame(t, pv->f);
	keep_packet(m, pv, t->id);
}

static void
o_anomaly(struct out *o, unsigned file, uint64_t frame, size_t offset, const char *layer,
	  const char *payload, const char *what)
{
	struct tv_model *m = o->ctx;
	(void)file;
	(void)frame;
	(void)offset;
	(void)layer;
	(void)payload;
	(void)what;
	m->anomalies++;
}

static void
o_sa(struct out *o, const struct tk_sa *sa)
{
	struct tv_model *m = o->ctx;
	struct tv_tunnel *t = find_or_add(m, sa->id);
	if (!t)
		return;
	snap(m, t, sa);
	t->closed = true;
}

static void
o_finding(struct out *o, const struct finding *fd)
{
	struct tv_model *m = o->ctx;
	m->changes++;
	unsigned attached = 0;
	for (unsigned i = 0; i < fd->nsa && i < DIAG_MAX_SAS; i++) {
		struct tv_tunnel *t = tv_find(m, fd->sa_ids[i]);
		if (!t)
			continue;
		attached++;
		bool have = false;
		for (unsigned k = 0; k < t->nfind; k++)
			have |= t->find[k] == fd->id;
		if (!have && t->nfind < TV_MAX_FIND)
			t->find[t->nfind++] = fd->id;
	}
	if (attached)
		return;
	/* about no IKE SA we show (ESP only, a peer's story): a line of its own */
	if (m->ngen == m->gen_cap) {
		unsigned nc = m->gen_cap ? m->gen_cap * 2 : 8;
		unsigned *ng = realloc(m->gen, nc * sizeof *ng);
		if (!ng)
			return;
		m->gen = ng;
		m->gen_cap = nc;
	}
	m->gen[m->ngen++] = fd->id;
}

static void
o_end(struct out *o, const struct run_info *ri)
{
	struct tv_model *m = o->ctx;
	m->ri = *ri;
	m->ended = true;
	m->changes++;
}

static void
o_free(struct out *o)
{
	/* the model belongs to the screen and outlives the analysis */
	free(o);
}

static const struct out_ops tv_ops = {o_packet, o_anomaly, o_sa, NULL, o_finding, o_end, o_free};

struct out *
tv_out_new(struct tv_model *m, FILE *fp, const struct cli *c)
{
	struct out *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->ops = &tv_ops;
	o->ctx = m;
	o->fp = fp;
	o->cli = c;
	return o;
}

/* ---- the model ---- */

struct tv_model *
tv_model_new(bool utf8)
{
	struct tv_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->scratch = malloc(sizeof *m->scratch);
	if (!m->scratch) {
		free(m);
		return NULL;
	}
	m->utf8 = utf8;
	return m;
}

void
tv_model_free(struct tv_model *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->ntun; i++)
		tunnel_free(m->tun[i]);
	free(m->tun);
	free(m->gen);
	free(m->scratch);
	for (unsigned i = 0; i < TV_MAX_PKTS; i++)
		free(m->pkts[i].tree);
	free(m);
}

/* ---- severity and filtering ---- */

enum tv_sev
tv_finding_sev(const struct finding *fd)
{
	return fd->severity == SEV_ERROR     ? TV_ERR
	       : fd->severity == SEV_WARNING ? TV_WARN
					     : TV_NEUTRAL;
}

enum tv_sev
tv_tunnel_sev(const struct tv_model *m, const struct tv_tunnel *t, const struct finding **top)
{
	enum tv_sev sev = TV_NEUTRAL;
	switch (t->status) {
	case TS_FAILED:
	case TS_STALLED:
	case TS_REJECTED:
		sev = TV_ERR;
		break;
	case TS_ESTABLISHED:
	case TS_ESTABLISHED_BEFORE:
	case TS_REKEYED:
		sev = TV_GOOD;
		break;
	case TS_IN_PROGRESS:
		sev = TV_WARN;
		break;
	default:
		break;
	}
	for (unsigned i = 0; i < t->np2 && i < TK_MAX_P2; i++)
		if (tv_status_fails(t->p2[i].status))
			sev = TV_ERR;
	const struct finding *best = NULL;
	for (unsigned i = 0; i < t->nfind; i++) {
		const struct finding *fd = m->dg ? diag_get(m->dg, t->find[i]) : NULL;
		if (fd && (!best || fd->severity < best->severity))
			best = fd;
	}
	if (best) {
		enum tv_sev fs = tv_finding_sev(best);
		if (fs > sev)
			sev = fs;
	}
	if (top)
		*top = best;
	return sev;
}

bool
tv_text_matches(const char *hay, const char *needle)
{
	if (!needle || !needle[0])
		return true;
	if (!hay)
		return false;
	size_t nl = strlen(needle);
	for (; *hay; hay++) {
		size_t k = 0;
		while (k < nl && hay[k] &&
		       tolower((unsigned char)hay[k]) == tolower((unsigned char)needle[k]))
			k++;
		if (k == nl)
			return true;
	}
	return nl == 0;
}

bool
tv_tunnel_matches(const struct tv_model *m, const struct tv_tunnel *t, const char *needle)
{
	if (!needle || !needle[0])
		return true;
	const char *fields[] = {t->addr[0],
				t->addr[1],
				t->st[0],
				t->st[1],
				t->ios[0],
				t->ios[1],
				t->family[0],
				t->family[1],
				t->spi[0],
				t->spi[1],
				tk_status_name(t->status),
				tk_mode_name(t->mode),
				t->version == 2 ? "ikev2 v2" : "ikev1 v1"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (tv_text_matches(fields[i], needle))
			return true;
	for (unsigned i = 0; i < t->np2 && i < TK_MAX_P2; i++)
		if (tv_text_matches(t->p2[i].state, needle) ||
		    tv_text_matches(tk_status_name(t->p2[i].status), needle))
			return true;
	for (unsigned i = 0; i < t->nfind; i++) {
		const struct finding *fd = m->dg ? diag_get(m->dg, t->find[i]) : NULL;
		if (!fd)
			continue;
		if (tv_text_matches(fd->cause, needle))
			return true;
		for (unsigned k = 0; k < fd->nalt && k < DIAG_MAX_ALT; k++)
			if (tv_text_matches(fd->alternatives[k], needle))
				return true;
	}
	return false;
}
