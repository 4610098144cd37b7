/*
 * exchange.c - exchanges as data: the message sequence of main, aggressive
 * and quick mode and of the IKEv2 exchanges, the state each side is in after
 * each step (Cisco ASA and IOS names, CONTRACT.md "States"), and the final
 * status of an SA and of each phase 2.
 *
 * A side's state is read from the table row of the last step it took; the
 * tables are the only place that knows the names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/names.h"
#include "src/track/track_int.h"

/* ---- labels ---- */

static const struct {
	const char *name, *shrt;
} label_names[TL_COUNT] = {
    [TL_UNKNOWN] = {"?", "?"},
    [TL_MM1] = {"MM1", "MM1"},
    [TL_MM2] = {"MM2", "MM2"},
    [TL_MM3] = {"MM3", "MM3"},
    [TL_MM4] = {"MM4", "MM4"},
    [TL_MM5] = {"MM5", "MM5"},
    [TL_MM6] = {"MM6", "MM6"},
    [TL_AM1] = {"AM1", "AM1"},
    [TL_AM2] = {"AM2", "AM2"},
    [TL_AM3] = {"AM3", "AM3"},
    [TL_QM1] = {"QM1", "QM1"},
    [TL_QM2] = {"QM2", "QM2"},
    [TL_QM3] = {"QM3", "QM3"},
    [TL_QM4] = {"QM4", "QM4"},
    [TL_INFO] = {"INFO", "INFO"},
    [TL_CFG] = {"CFG", "CFG"},
    [TL_NGM] = {"NGM", "NGM"},
    [TL_V1_OTHER] = {"OTHER", "OTHER"},
    [TL_SA_INIT_REQ] = {"IKE_SA_INIT request", "INIT>"},
    [TL_SA_INIT_RESP] = {"IKE_SA_INIT response", "INIT<"},
    [TL_INTER_REQ] = {"IKE_INTERMEDIATE request", "INTER>"},
    [TL_INTER_RESP] = {"IKE_INTERMEDIATE response", "INTER<"},
    [TL_AUTH_REQ] = {"IKE_AUTH request", "AUTH>"},
    [TL_AUTH_RESP] = {"IKE_AUTH response", "AUTH<"},
    [TL_CHILD_REQ] = {"CREATE_CHILD_SA request", "CHILD>"},
    [TL_CHILD_RESP] = {"CREATE_CHILD_SA response", "CHILD<"},
    [TL_INFO_REQ] = {"INFORMATIONAL request", "INFO>"},
    [TL_INFO_RESP] = {"INFORMATIONAL response", "INFO<"},
    [TL_FOLLOWUP_REQ] = {"IKE_FOLLOWUP_KE request", "FOLLOW>"},
    [TL_FOLLOWUP_RESP] = {"IKE_FOLLOWUP_KE response", "FOLLOW<"},
    [TL_V2_OTHER_REQ] = {"request", "REQ>"},
    [TL_V2_OTHER_RESP] = {"response", "RESP<"},
};

const char *
tk_label_name(enum tk_label l)
{
	return l < TL_COUNT && label_names[l].name ? label_names[l].name : "?";
}

const char *
tk_label_short(enum tk_label l)
{
	return l < TL_COUNT && label_names[l].shrt ? label_names[l].shrt : "?";
}

const char *
tk_status_name(enum tk_status s)
{
	static const char *const n[TS_COUNT] = {"in_progress",
						"established",
						"failed",
						"stalled",
						"deleted",
						"rekeyed",
						"established_before_capture",
						"rejected"};
	return s < TS_COUNT ? n[s] : "in_progress";
}

const char *
tk_mode_name(enum tk_mode m)
{
	static const char *const n[] = {"unknown", "main", "aggressive", "ikev2"};
	return m <= TM_IKEV2 ? n[m] : "unknown";
}

/* ---- the exchange tables ---- */

struct xstep {
	enum tk_label label;
	uint8_t from;	 /* TK_I / TK_R */
	const char *asa; /* state of the sender after sending it */
	const char *ios;
};

/* RFC 2409 5 main mode; states per CONTRACT.md. */
static const struct xstep main_mode[] = {
    {TL_MM1, TK_I, "MM_WAIT_MSG2", "MM_NO_STATE"}, {TL_MM2, TK_R, "MM_WAIT_MSG3", "MM_SA_SETUP"},
    {TL_MM3, TK_I, "MM_WAIT_MSG4", "MM_SA_SETUP"}, {TL_MM4, TK_R, "MM_WAIT_MSG5", "MM_KEY_EXCH"},
    {TL_MM5, TK_I, "MM_WAIT_MSG6", "MM_KEY_EXCH"}, {TL_MM6, TK_R, "MM_ACTIVE", "QM_IDLE"},
};
/* RFC 2409 5 aggressive mode */
static const struct xstep aggr_mode[] = {
    {TL_AM1, TK_I, "AM_WAIT_MSG2", "AG_NO_STATE"},
    {TL_AM2, TK_R, "AM_WAIT_MSG3", "AG_INIT_EXCH"},
    {TL_AM3, TK_I, "AM_ACTIVE", "QM_IDLE"},
};
/* RFC 7296 1.2, RFC 9242: the IKE SA set-up of IKEv2 */
static const struct xstep ikev2_setup[] = {
    {TL_SA_INIT_REQ, TK_I, "I_WAIT_INIT", "I_WAIT_INIT"},
    {TL_SA_INIT_RESP, TK_R, "R_WAIT_AUTH", "R_WAIT_AUTH"},
    {TL_INTER_REQ, TK_I, "I_WAIT_INTERMEDIATE", "I_WAIT_INTERMEDIATE"},
    {TL_INTER_RESP, TK_R, "R_WAIT_AUTH", "R_WAIT_AUTH"},
    {TL_AUTH_REQ, TK_I, "I_WAIT_AUTH", "I_WAIT_AUTH"},
    {TL_AUTH_RESP, TK_R, "READY", "READY"},
};

struct xtable {
	const struct xstep *s;
	unsigned n;
	const char *done_asa, *done_ios; /* the receiver of the last message, once it accepts it */
};

static const struct xtable tables[] = {
    [TM_UNKNOWN] = {NULL, 0, NULL, NULL},
    [TM_MAIN] = {main_mode, 6, "MM_ACTIVE", "QM_IDLE"},
    [TM_AGGRESSIVE] = {aggr_mode, 3, "AM_ACTIVE", "QM_IDLE"},
    [TM_IKEV2] = {ikev2_setup, 6, "READY", "READY"},
};

/* 1-based position of a label in its table, 0 if it is not a set-up step. */
static unsigned
position(enum tk_mode mode, enum tk_label l)
{
	const struct xtable *t = &tables[mode];
	for (unsigned i = 0; i < t->n; i++)
		if (t->s[i].label == l)
			return i + 1;
	return 0;
}

static bool v2_error_reply(const struct tk_msg *m);

void
tk_update_steps(struct tk_sa *sa, const struct tk_msg *msg)
{
	/* an IKEv2 error reply is not a step forward: the responder that
	 * refused IKE_AUTH never reached READY */
	if (sa->version == 2 && msg->response && v2_error_reply(msg))
		return;
	/* nor is an IKE_SA_INIT answer without an SA payload (COOKIE, REDIRECT):
	 * the responder keeps no state for it (RFC 7296 2.6, RFC 5685) */
	if (msg->label == TL_SA_INIT_RESP && !tk_msg_has_ptype(msg, IKE2_SA) && !msg->encrypted)
		return;
	unsigned p = position(sa->mode, msg->label);
	if (p && msg->from < 2 && p > sa->step[msg->from])
		sa->step[msg->from] = (uint8_t)p;
}

static const char *
state_of(const struct tk_sa *sa, enum tk_side s, bool ios)
{
	if (s > TK_R || !sa->side[s].spoke)
		return NULL;
	if (sa->status == TS_REKEYED && sa->version == 2)
		return "REKEYED";
	if (sa->status == TS_DELETED && sa->version == 2)
		return "DELETED";
	const struct xtable *t = &tables[sa->mode];
	if (sa->p1_done) {
		if (t->n == 0) /* mid-life: main or aggressive is not known */
			return ios ? "QM_IDLE" : NULL;
		return ios ? t->done_ios : t->done_asa;
	}
	unsigned st = sa->step[s];
	if (st == 0 && t->n) {
		/* it spoke, but only to refuse (an error notify before its first
		 * step): it keeps no state for this SA */
		if (sa->mode == TM_MAIN)
			return "MM_NO_STATE";
		if (sa->mode == TM_AGGRESSIVE)
			return "AG_NO_STATE";
		if (sa->mode == TM_IKEV2 && s == TK_R)
			return "DELETED";
	}
	if (st == 0 || st > t->n)
		return NULL;
	const struct xstep *x = &t->s[st - 1];
	/* IKEv2 responder after IKE_SA_INIT waits for IKE_INTERMEDIATE when both
	 * sides announced it (RFC 9242 3) */
	if (sa->mode == TM_IKEV2 && x->label == TL_SA_INIT_RESP && sa->side[TK_I].inter_supported &&
	    sa->side[TK_R].inter_supported)
		return "R_WAIT_INTERMEDIATE";
	return ios ? x->ios : x->asa;
}

const char *
tk_state_asa(const struct tk_sa *sa, enum tk_side s)
{
	return state_of(sa, s, false);
}

const char *
tk_state_ios(const struct tk_sa *sa, enum tk_side s)
{
	return state_of(sa, s, true);
}

void
tk_ladder_states(const struct tk_sa *sa, struct tk_sa *scratch, const char *(*st)[2])
{
	struct tk_sa *tmp = scratch;
	memcpy(tmp, sa, sizeof *tmp);
	tmp->step[0] = tmp->step[1] = 0;
	tmp->side[0].spoke = tmp->side[1].spoke = false;
	tmp->p1_done = false;
	tmp->status = TS_IN_PROGRESS;
	/* an SA first seen established is up from its first row */
	bool set_up = sa->p1_done && sa->step[TK_I] == 0 && sa->step[TK_R] == 0;
	/* IKEv2: DELETED or REKEYED from the exchange that ended it (the last
	 * request) on, READY before */
	unsigned end_from = 0;
	if (sa->version == 2 && (sa->status == TS_DELETED || sa->status == TS_REKEYED))
		for (unsigned i = sa->nmsgs; i-- > 0;)
			if (!sa->msgs[i].response) {
				end_from = i;
				break;
			}
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		tk_update_steps(tmp, m);
		if (m->from < 2)
			tmp->side[m->from].spoke = true;
		set_up =
		    set_up || m->label == TL_MM6 || m->label == TL_AM3 || m->label == TL_AUTH_RESP;
		bool last = i + 1 >= sa->nmsgs;
		if (sa->p1_done ? (set_up || last) : last) {
			tmp->p1_done = sa->p1_done;
			tmp->status = i >= end_from ? sa->status : TS_ESTABLISHED;
		}
		st[i][TK_I] = tk_state_asa(tmp, TK_I);
		st[i][TK_R] = tk_state_asa(tmp, TK_R);
		tmp->p1_done = false;
		tmp->status = TS_IN_PROGRESS;
	}
}

/* ---- labelling a message ---- */

static bool
has(const struct ike_msg *m, uint8_t type)
{
	return ike_find(&m->chain, type) != NULL;
}

static struct tk_p2 *
p2_find(struct tk_sa *sa, uint32_t msgid, uint8_t exch)
{
	for (unsigned i = 0; i < sa->np2; i++)
		if (sa->p2[i].msgid == msgid && sa->p2[i].exch == exch)
			return &sa->p2[i];
	return NULL;
}

enum tk_label
tk_v1_label(struct tk_sa *sa, uint8_t from, const struct ike_msg *m, bool *cand)
{
	*cand = false;
	bool fromi = from == TK_I;
	switch (m->exch) {
	case IKE1_EXCH_MAIN:
	case IKE1_EXCH_AUTH_ONLY:
		*cand = true;
		if (m->encrypted || has(m, IKE1_FRAG) || has(m, IKE1_ID) || has(m, IKE1_HASH) ||
		    has(m, IKE1_SIG))
			return fromi ? TL_MM5 : TL_MM6;
		if (has(m, IKE1_SA))
			return fromi ? TL_MM1 : TL_MM2;
		if (has(m, IKE1_KE) || has(m, IKE1_NONCE))
			return fromi ? TL_MM3 : TL_MM4;
		/* nothing telling: the next step of the sender */
		if (fromi)
			return sa->step[TK_I] < 1 ? TL_MM1 : sa->step[TK_I] < 3 ? TL_MM3 : TL_MM5;
		return sa->step[TK_R] < 2 ? TL_MM2 : sa->step[TK_R] < 4 ? TL_MM4 : TL_MM6;
	case IKE1_EXCH_AGGR:
		*cand = true;
		if (!fromi)
			return TL_AM2;
		return (has(m, IKE1_SA) || has(m, IKE1_KE)) ? TL_AM1 : TL_AM3;
	case IKE1_EXCH_QUICK: {
		/* encrypted: the place in the exchange comes from order and
		 * direction (RFC 2409 5.5: QM1 and QM3 from the initiator of
		 * the quick mode, QM2 from its responder, QM4 CONNECTED after a
		 * commit bit) */
		struct tk_p2 *p = p2_find(sa, m->msgid, m->exch);
		if (!p)
			return TL_QM1;
		if (from == p->initiator)
			return (p->seen & 2) ? TL_QM3 : TL_QM1;
		return (p->seen & 4) ? TL_QM4 : TL_QM2;
	}
	case IKE1_EXCH_INFO:
		return TL_INFO;
	case IKE1_EXCH_TRANSACTION:
		return TL_CFG;
	case IKE1_EXCH_NEW_GROUP:
		return TL_NGM;
	default:
		return TL_V1_OTHER;
	}
}

enum tk_label
tk_v2_label(const struct ike_msg *m)
{
	bool r = (m->flags & IKE_V2_FLAG_R) != 0;
	switch (m->exch) {
	case IKE2_EXCH_SA_INIT:
		return r ? TL_SA_INIT_RESP : TL_SA_INIT_REQ;
	case IKE2_EXCH_INTERMEDIATE:
		return r ? TL_INTER_RESP : TL_INTER_REQ;
	case IKE2_EXCH_AUTH:
		return r ? TL_AUTH_RESP : TL_AUTH_REQ;
	case IKE2_EXCH_CREATE_CHILD:
		return r ? TL_CHILD_RESP : TL_CHILD_REQ;
	case IKE2_EXCH_INFORMATIONAL:
		return r ? TL_INFO_RESP : TL_INFO_REQ;
	case IKE2_EXCH_FOLLOWUP_KE:
		return r ? TL_FOLLOWUP_RESP : TL_FOLLOWUP_REQ;
	default:
		return r ? TL_V2_OTHER_RESP : TL_V2_OTHER_REQ;
	}
}

/* ---- phase 2 ---- */

struct tk_p2 *
tk_p2_get(struct tk_sa *sa, uint32_t msgid, uint8_t from, uint8_t exch, bool create)
{
	/* IKEv2 IKE_AUTH: one child per IKE SA, whatever the message ids of
	 * EAP rounds (RFC 7296 1.2) */
	if (sa->version == 2 && exch == IKE2_EXCH_AUTH) {
		for (unsigned i = 0; i < sa->np2; i++)
			if (sa->p2[i].exch == IKE2_EXCH_AUTH)
				return &sa->p2[i];
	} else {
		struct tk_p2 *p = p2_find(sa, msgid, exch);
		if (p)
			return p;
	}
	if (!create || sa->np2 >= TK_MAX_P2)
		return NULL;
	if (sa->np2 == sa->cap2) {
		unsigned nc = sa->cap2 ? sa->cap2 * 2u : 2u;
		if (nc > TK_MAX_P2)
			nc = TK_MAX_P2;
		struct tk_p2 *n = realloc(sa->p2, nc * sizeof *n);
		if (!n)
			return NULL;
		sa->p2 = n;
		sa->cap2 = (uint8_t)nc;
	}
	struct tk_p2 *p = &sa->p2[sa->np2++];
	memset(p, 0, sizeof *p);
	p->msgid = msgid;
	p->exch = exch;
	/* IKEv1: whoever sends QM1 initiates the quick mode; IKEv2: the requester */
	p->initiator = from;
	p->status = TS_IN_PROGRESS;
	p->proposal.set = false;
	p->pfs_group[0] = p->pfs_group[1] = -1;
	return p;
}

void
tk_p2_message(struct tk_sa *sa, struct tk_p2 *p, const struct tk_msg *msg, bool retx)
{
	if (retx) {
		p->nretx++;
		return;
	}
	if (p->nframes < TK_MAX_P2_FRAMES)
		p->frames[p->nframes++] = msg->ref;
	if (sa->version == 1) {
		switch (msg->label) {
		case TL_QM1:
			p->seen |= 1;
			p->commit = (msg->flags & IKE_V1_FLAG_C) != 0;
			break;
		case TL_QM2:
			p->seen |= 2;
			break;
		case TL_QM3:
			p->seen |= 4;
			break;
		case TL_QM4:
			p->seen |= 8;
			break;
		default:
			break;
		}
	} else {
		if (!msg->response) {
			p->seen |= 1;
			p->msgid = msg->msgid;
			p->initiator = msg->from;
			p->req_sk_len = msg->sk_len;
		} else {
			p->seen |= 2;
			p->resp_inner = msg->first_payload;
			p->resp_sk_len = msg->sk_len;
			uint16_t err = tk_msg_error_notify(msg);
			if (err)
				p->error_notify = err;
		}
	}
}

/* ---- statuses ---- */

/* The latest transmission time of a message. */
static tk_time
last_tx(const struct tk_msg *m)
{
	unsigned n = m->nretx < TK_MAX_RETX ? m->nretx : TK_MAX_RETX;
	return n ? m->retx[n - 1].t : m->ref.t;
}

/*
 * A request left without its answer: still being retransmitted at the end
 * of the capture (stalled), or given up on (failed): the sender went silent
 * for longer than its own retransmission rhythm suggests.
 */
static enum tk_status
unanswered(const struct tk_msg *m, tk_time end)
{
	tk_time last = last_tx(m);
	tk_time quiet = end - last;
	if (m->nretx == 0)
		return quiet > 60000000LL ? TS_FAILED : TS_IN_PROGRESS;
	unsigned n = m->nretx < TK_MAX_RETX ? m->nretx : TK_MAX_RETX;
	tk_time prev = n >= 2 ? m->retx[n - 2].t : m->ref.t;
	tk_time gap = last - prev;
	if (gap < 1000000)
		gap = 1000000;
	/* RFC 7296 2.1 and every stack's timers grow the gap; three times the
	 * last one, and at least 10 s, without a word means the sender gave up */
	tk_time limit = 3 * gap > 10000000LL ? 3 * gap : 10000000LL;
	return quiet > limit ? TS_FAILED : TS_STALLED;
}

/*
 * The responder answered and the initiator never took its turn: a stack
 * answers within a second (a DH computation), so ten seconds of silence
 * while the capture goes on mean the initiator is gone (a scanner, or an
 * initiator that rejected the answer without a word).
 */
static enum tk_status
turn_not_taken(const struct tk_msg *m, tk_time end)
{
	return end - last_tx(m) > 10000000LL ? TS_FAILED : TS_IN_PROGRESS;
}

/* The last new message of a label sent by a side, or NULL. */
static const struct tk_msg *
last_of(const struct tk_sa *sa, enum tk_label l)
{
	for (unsigned i = sa->nmsgs; i-- > 0;)
		if (sa->msgs[i].label == l)
			return &sa->msgs[i];
	return NULL;
}

static bool
any_after(const struct tk_sa *sa, tk_time t, int from, bool (*pred)(const struct tk_msg *))
{
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		if (m->ref.t < t)
			continue;
		if (from >= 0 && m->from != from)
			continue;
		if (!pred || pred(m))
			return true;
	}
	return false;
}

static bool
is_qm(const struct tk_msg *m)
{
	return m->label >= TL_QM1 && m->label <= TL_QM4;
}

static bool
is_v1_cleartext_error(const struct tk_msg *m)
{
	return m->label == TL_INFO && !m->encrypted && tk_msg_error_notify(m) != 0;
}

static bool
is_after_auth(const struct tk_msg *m)
{
	return m->label >= TL_CHILD_REQ && m->label <= TL_V2_OTHER_RESP;
}

/* An IKEv2 response that is only an error notify (PROTOCOL-NOTES.md: an
 * IKE_AUTH response that starts with N and is too short for IDr + AUTH). */
static bool
v2_error_reply(const struct tk_msg *m)
{
	if (m->decrypted)
		return tk_msg_error_notify(m) != 0 && !tk_msg_has_ptype(m, IKE2_AUTH) &&
		       !tk_msg_has_ptype(m, IKE2_SA);
	if (!m->encrypted)
		return tk_msg_error_notify(m) != 0;
	/* IV (8-16) + N header (8) + a few data bytes + pad + ICV (12-32):
	 * an IDr and an AUTH alone need more than 96 bytes */
	return m->first_payload == IKE2_N && m->sk_len <= 96;
}

/*
 * RFC 7296 2.21.2: an initiator that does not accept the responder's
 * authentication (identity, AUTH, certificate) has already received a
 * complete IKE_AUTH response; it tells the responder in a separate
 * INFORMATIONAL request carrying AUTHENTICATION_FAILED and drops the SA.
 * Decrypted, the notify says so.  Without keys the shape does: the
 * initiator's next request, sent within seconds of the IKE_AUTH answer, is
 * an INFORMATIONAL whose SK payload starts with N and is too small for
 * more than one notify with a few bytes of data (MOBIKE's address update
 * carries two NAT_DETECTION payloads besides), and the initiator then
 * sends nothing else (no ESP, no other exchange).
 */
static void
v2_initiator_refusal(struct tk_sa *sa, const struct tk_msg *ar)
{
	const struct tk_msg *req = NULL;
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		if (m->ref.t < ar->ref.t || m->from != TK_I || m->response ||
		    m->label == TL_AUTH_REQ)
			continue;
		if (!req) {
			req = m;
			continue;
		}
		if (m->label != TL_INFO_REQ)
			return; /* the initiator went on with the SA */
	}
	if (!req || req->label != TL_INFO_REQ || req->ref.t - last_tx(ar) > 10000000LL)
		return;
	if (req->decrypted) {
		if (tk_msg_error_notify(req) != 24)
			return;
	} else if (!req->encrypted || req->first_payload != IKE2_N || req->sk_len > 64 ||
		   sa->esp_pkts[TK_I] != 0) {
		return;
	}
	sa->auth_refused_by_i = true;
	sa->auth_refusal = req->ref;
	sa->p1_done = false;
}

static void
finalize_p2(struct tracker *tk, struct tk_sa *sa, struct tk_p2 *p, tk_time end)
{
	(void)tk;
	if (sa->version == 1) {
		if (p->seen & 4) {
			p->status = TS_ESTABLISHED;
			p->state =
			    (p->commit && !(p->seen & 8)) ? "QM_WAIT_CONNECTED" : "QM_ACTIVE";
			return;
		}
		const struct tk_msg *q1 = NULL, *q2 = NULL;
		for (unsigned i = 0; i < sa->nmsgs; i++) {
			const struct tk_msg *m = &sa->msgs[i];
			if (m->exch != IKE1_EXCH_QUICK || m->msgid != p->msgid)
				continue;
			if (m->label == TL_QM1 && !q1)
				q1 = m;
			if (m->label == TL_QM2 && !q2)
				q2 = m;
		}
		if (q2) {
			p->state = "QM_WAIT_MSG3";
			/* the initiator answered the responder's choice with an informational */
			bool refused = false;
			for (unsigned i = 0; i < sa->nmsgs; i++) {
				const struct tk_msg *m = &sa->msgs[i];
				if (m->label == TL_INFO && m->from == p->initiator &&
				    m->ref.t >= q2->ref.t && m->ref.t - last_tx(q2) < 10000000LL)
					refused = true;
			}
			p->status = refused ? TS_REJECTED : unanswered(q2, end);
			return;
		}
		p->state = "QM_WAIT_MSG2";
		if (!q1) {
			p->status = TS_IN_PROGRESS;
			return;
		}
		/* RFC 2409 5.5 has no error reply: a peer that refuses quick mode
		 * sends an informational (NO-PROPOSAL-CHOSEN, INVALID-ID-INFORMATION
		 * ...), encrypted, instead of QM2 */
		for (unsigned i = 0; i < sa->nmsgs; i++) {
			const struct tk_msg *m = &sa->msgs[i];
			if (m->label == TL_INFO && m->from != p->initiator &&
			    m->ref.t >= q1->ref.t && m->ref.t - last_tx(q1) < 10000000LL) {
				p->answered_by_info = true;
				if (!m->encrypted || m->decrypted) {
					uint16_t e = tk_msg_error_notify(m);
					if (e)
						p->error_notify = e;
				}
			}
		}
		p->status = p->answered_by_info ? TS_REJECTED : unanswered(q1, end);
		return;
	}

	/* IKEv2 child SAs */
	if (p->exch == IKE2_EXCH_AUTH) {
		if (sa->p1_done) {
			p->status =
			    p->error_notify && p->error_notify != 24 ? TS_REJECTED : TS_ESTABLISHED;
			/* Keyless: a successful IKE_AUTH response carries the same
			 * kinds of payloads as the request (IDr, AUTH, SA, TSi, TSr,
			 * CERT when the request has one).  One that lacks SA, TSi and
			 * TSr (the CHILD SA refused with a notify, RFC 7296 1.2) is
			 * much smaller than the request. */
			if (p->status == TS_ESTABLISHED && !p->error_notify && p->resp_sk_len &&
			    p->req_sk_len && p->resp_inner == IKE2_IDR &&
			    p->resp_sk_len * 10 < p->req_sk_len * 6) {
				p->status = TS_REJECTED;
				p->by_size = true;
			}
			p->state = p->status == TS_ESTABLISHED ? "READY" : NULL;
		} else {
			p->status = sa->status == TS_IN_PROGRESS ? TS_IN_PROGRESS : TS_FAILED;
			p->state = NULL;
		}
		return;
	}
	const struct tk_msg *req = NULL, *resp = NULL;
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		if (m->exch != p->exch || m->msgid != p->msgid)
			continue;
		if (!m->response && !req)
			req = m;
		if (m->response && !resp)
			resp = m;
	}
	if (resp) {
		if (v2_error_reply(resp)) {
			p->status = TS_REJECTED;
			p->state = NULL;
		} else {
			p->status = TS_ESTABLISHED;
			p->state = "READY";
		}
	} else if (req) {
		p->status = unanswered(req, end);
		p->state = "I_WAIT_CHILD";
	}
}

/*
 * IKEv2 IKE SA rekey seen from outside (RFC 7296 1.3.2, 2.18): a
 * CREATE_CHILD_SA exchange, then at once (within 10 s) an INFORMATIONAL whose
 * SK starts with a Delete and whose answer is empty (the answer to deleting
 * the IKE SA itself; a CHILD SA delete is answered with a Delete), and nothing
 * after it.
 */
static bool
v2_rekey_then_delete(const struct tk_sa *sa)
{
	if (sa->version != 2 || sa->nmsgs < 4)
		return false;
	const struct tk_msg *resp = &sa->msgs[sa->nmsgs - 1];
	const struct tk_msg *req = &sa->msgs[sa->nmsgs - 2];
	if (req->label != TL_INFO_REQ || resp->label != TL_INFO_RESP)
		return false;
	if (req->decrypted ? !tk_msg_has_ptype(req, IKE2_D)
			   : req->first_payload != IKE2_D || resp->first_payload != 0)
		return false;
	for (unsigned i = sa->nmsgs - 2; i-- > 0;) {
		const struct tk_msg *m = &sa->msgs[i];
		if (req->ref.t - m->ref.t > 10000000LL)
			break;
		if (m->label == TL_CHILD_RESP)
			return true;
	}
	return false;
}

static void
detect_rekey(struct tracker *tk, struct tk_sa *sa)
{
	/* A newer SA between the same peers established while this one was up,
	 * after which this one carried nothing but informationals: replaced. */
	if (!sa->p1_done || sa->rekeyed_to || !sa->peer)
		return;
	bool v2_rekeyed = v2_rekey_then_delete(sa);
	for (struct tk_sa *o = sa->peer_next; o; o = o->peer_next) {
		if (o->version != sa->version)
			continue;
		/* first seen already established (its status comes later) */
		bool midlife = o->step[TK_I] == 0 && o->step[TK_R] == 0 && o->nmsgs > 0;
		if (!o->p1_done && !midlife)
			continue;
		/* IKEv2 rekeys in a CREATE_CHILD_SA of the old SA, which it then
		 * deletes: the new SA shows up on the wire only afterwards */
		if (v2_rekeyed && midlife && o->first.t >= sa->first.t &&
		    o->first.t <= sa->last.t + 60000000LL) {
			sa->rekeyed_to = o;
			o->rekeyed_from = sa;
			return;
		}
		if (o->first.t < sa->first.t || o->first.t > sa->last.t)
			continue;
		bool busy = false;
		for (unsigned i = 0; i < sa->nmsgs; i++) {
			const struct tk_msg *m = &sa->msgs[i];
			if (m->ref.t > o->first.t && m->label != TL_INFO &&
			    m->label != TL_INFO_REQ && m->label != TL_INFO_RESP)
				busy = true;
		}
		if (!busy) {
			sa->rekeyed_to = o;
			o->rekeyed_from = sa;
			return;
		}
	}
	(void)tk;
}

static bool
ends_with_delete(const struct tk_sa *sa)
{
	for (unsigned i = sa->nevents; i-- > 0;) {
		const struct tk_event *e = &sa->events[i];
		if (e->kind != TE_DELETE)
			continue;
		/* IKEv1 protocol 1 / IKEv2 protocol 1: the IKE SA itself */
		if (e->proto == 1)
			return true;
	}
	if (sa->version == 2 && sa->nmsgs > 0) {
		/* without keys: an INFORMATIONAL whose SK starts with D is a
		 * delete; the last exchange of the SA being one says it ended */
		const struct tk_msg *m = &sa->msgs[sa->nmsgs - 1];
		const struct tk_msg *q =
		    m->response && sa->nmsgs > 1 ? &sa->msgs[sa->nmsgs - 2] : m;
		if ((q->label == TL_INFO_REQ && q->first_payload == IKE2_D && !q->decrypted))
			return true;
	}
	return false;
}

void
tk_finalize(struct tracker *tk, struct tk_sa *sa)
{
	tk_time end = tk->now;
	if (sa->finalized)
		return;
	sa->finalized = true;

	if (sa->version == 1) {
		/* RFC 3947 / draft NAT-T: did both sides say they can? */
		if (sa->mode == TM_UNKNOWN) {
			/* first seen mid-life: quick modes or informationals only */
			sa->p1_done = true;
			sa->p1_done_by_evidence = true;
			sa->active_before = true;
		} else if (sa->mode == TM_MAIN) {
			const struct tk_msg *m6 = last_of(sa, TL_MM6);
			const struct tk_msg *m5 = last_of(sa, TL_MM5);
			if (m6) {
				/* accepted unless the initiator kept sending MM5 after it */
				bool again = m5 && last_tx(m5) > m6->ref.t;
				sa->p1_done = !again || any_after(sa, m6->ref.t, -1, is_qm);
			}
		} else if (sa->mode == TM_AGGRESSIVE) {
			const struct tk_msg *a3 = last_of(sa, TL_AM3);
			if (a3) {
				/* the responder refusing AM3 answers with an informational
				 * and nothing follows */
				sa->p1_done = true;
			}
		}
		if (!sa->p1_done && sa->mode != TM_UNKNOWN && any_after(sa, 0, -1, is_qm)) {
			/* a quick mode proves phase 1 completed even if its last
			 * message is missing from the capture */
			sa->p1_done = true;
			sa->p1_done_by_evidence = true;
		}
	} else {
		const struct tk_msg *ar = last_of(sa, TL_AUTH_RESP);
		if (sa->step[TK_I] == 0 && sa->step[TK_R] == 0) {
			/* first seen after IKE_AUTH (or after a rekey) */
			sa->p1_done = true;
			sa->p1_done_by_evidence = true;
			sa->active_before = sa->rekeyed_from == NULL;
		} else if (ar) {
			/* EAP takes several IKE_AUTH round trips: the last response
			 * decides, and later exchanges prove success */
			sa->p1_done =
			    !v2_error_reply(ar) || any_after(sa, ar->ref.t, -1, is_after_auth);
		}
		if (sa->p1_done && ar && !sa->p1_done_by_evidence)
			v2_initiator_refusal(sa, ar);
		if (!sa->p1_done && !sa->auth_refused_by_i && any_after(sa, 0, -1, is_after_auth) &&
		    sa->step[TK_R] >= 2) {
			sa->p1_done = true;
			sa->p1_done_by_evidence = true;
		}
	}

	if (sa->p1_done) {
		sa->status = sa->active_before ? TS_ESTABLISHED_BEFORE : TS_ESTABLISHED;
		detect_rekey(tk, sa);
		if (sa->rekeyed_to)
			sa->status = TS_REKEYED;
		else if (ends_with_delete(sa))
			sa->status = TS_DELETED;
		if (sa->peer && !sa->active_before)
			sa->peer->nsas_established++;
	} else {
		/* who is waiting for what: the last step taken */
		sa->status = TS_IN_PROGRESS;
		const struct tk_msg *last = NULL;
		for (unsigned i = sa->nmsgs; i-- > 0;) {
			unsigned p = position(sa->mode, sa->msgs[i].label);
			if (p) {
				last = &sa->msgs[i];
				break;
			}
		}
		/* a fatal notify from the peer ends it, unless the negotiation went on */
		bool fatal = false;
		for (unsigned i = 0; i < sa->nmsgs; i++) {
			const struct tk_msg *m = &sa->msgs[i];
			bool err = sa->version == 1
				       ? is_v1_cleartext_error(m)
				       : (m->response && v2_error_reply(m) &&
					  (m->label == TL_SA_INIT_RESP ||
					   m->label == TL_AUTH_RESP || m->label == TL_INTER_RESP) &&
					  tk_msg_error_notify(m) != 17 &&
					  !(m->label == TL_SA_INIT_RESP && m->nnotify &&
					    m->notify[0] == 16390));
			if (sa->version == 2 && m->response && m->label == TL_AUTH_RESP &&
			    v2_error_reply(m))
				err = true;
			if (err && (!last || m->ref.t >= last->ref.t))
				fatal = true;
			/* IKEv1 phase 1 has no informational of its own: one sent
			 * instead of the next message (an encrypted notify after
			 * MM5 or AM2) refuses the exchange */
			if (sa->version == 1 && last && m->label == TL_INFO &&
			    m->from != last->from && m->ref.t >= last->ref.t)
				fatal = true;
		}
		if (fatal || sa->auth_refused_by_i)
			sa->status = TS_FAILED;
		else if (last && last->from == TK_R && last->nretx == 0)
			sa->status = turn_not_taken(last, end);
		else if (last)
			sa->status = unanswered(last, end);
		if (sa->peer && (sa->status == TS_FAILED || sa->status == TS_STALLED))
			sa->peer->nsas_failed++;
	}

	for (unsigned i = 0; i < sa->np2; i++)
		finalize_p2(tk, sa, &sa->p2[i], end);
}

/* ---- transform text in config words ---- */

static const char *
short_or_num(enum nt tab, int32_t v, char *num, size_t n)
{
	const char *s = nt_short(tab, (uint32_t)v);
	if (s)
		return s;
	snprintf(num, n, "%d", v);
	return num;
}

char *
tk_xform_text(const struct tk_xform *x, char *buf, size_t len)
{
	char n1[16];
	size_t o = 0;
	buf[0] = '\0';
	if (!x->set)
		return buf;
#define PUT(...)                                                                                   \
	do {                                                                                       \
		int w_ = snprintf(buf + o, len - o, __VA_ARGS__);                                  \
		if (w_ < 0 || (size_t)w_ >= len - o)                                               \
			return buf;                                                                \
		o += (size_t)w_;                                                                   \
	} while (0)
	const char *sp = "";
	if (x->v2) {
		if (x->encr >= 0) {
			PUT("%s", short_or_num(NT_V2_ENCR, x->encr, n1, sizeof n1));
			if (x->key_len > 0)
				PUT("-%d", x->key_len);
			sp = " ";
		}
		if (x->integ >= 0 && x->integ != 0) {
			PUT("%s%s", sp, short_or_num(NT_V2_INTEG, x->integ, n1, sizeof n1));
			sp = " ";
		}
		if (x->prf >= 0) {
			PUT("%sPRF-%s", sp, short_or_num(NT_V2_PRF, x->prf, n1, sizeof n1));
			sp = " ";
		}
		if (x->group > 0) {
			PUT("%s%s", sp, short_or_num(NT_GROUP, x->group, n1, sizeof n1));
			sp = " ";
		}
		for (int i = 0; i < 7; i++)
			if (x->addke[i] > 0)
				PUT(" ADDKE%d-%s", i + 1,
				    short_or_num(NT_GROUP, x->addke[i], n1, sizeof n1));
		if (x->esn == 1)
			PUT(" ESN");
		return buf;
	}
	if (x->proto == 1) {
		if (x->encr >= 0) {
			PUT("%s", short_or_num(NT_V1_P1_ENCR, x->encr, n1, sizeof n1));
			if (x->key_len > 0)
				PUT("-%d", x->key_len);
			sp = " ";
		}
		if (x->hash >= 0) {
			PUT("%s%s", sp, short_or_num(NT_V1_P1_HASH, x->hash, n1, sizeof n1));
			sp = " ";
		}
		if (x->group >= 0) {
			PUT("%s%s", sp, short_or_num(NT_GROUP, x->group, n1, sizeof n1));
			sp = " ";
		}
		if (x->auth_method >= 0) {
			PUT("%s%s", sp, short_or_num(NT_V1_P1_AUTH, x->auth_method, n1, sizeof n1));
			sp = " ";
		}
	} else {
		enum nt xt = x->proto == 2   ? NT_V1_XFORM_AH
			     : x->proto == 4 ? NT_V1_XFORM_IPCOMP
					     : NT_V1_XFORM_ESP;
		PUT("%s", short_or_num(xt, x->transform, n1, sizeof n1));
		if (x->key_len > 0)
			PUT("-%d", x->key_len);
		if (x->integ >= 0)
			PUT(" %s", short_or_num(NT_V1_P2_AUTH, x->integ, n1, sizeof n1));
		if (x->group >= 0)
			PUT(" PFS-%s", short_or_num(NT_GROUP, x->group, n1, sizeof n1));
		if (x->encap_mode >= 0)
			PUT(" %s", short_or_num(NT_V1_ENCAP, x->encap_mode, n1, sizeof n1));
		sp = " ";
	}
	if (x->life_seconds >= 0)
		PUT("%s%llds", sp, (long long)x->life_seconds);
	if (x->life_kilobytes >= 0)
		PUT(" %lldKB", (long long)x->life_kilobytes);
#undef PUT
	return buf;
}
