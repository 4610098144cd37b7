/*
 * rules.c - evidence into findings.
 *
 * Each rule reads one closed IKE SA (or ESP flow) from the tracker's model
 * and, when its pattern is there, raises a finding with the catalog cause,
 * the frames that show it, one plain sentence and the fix.  The rules are
 * written from the protocol, not from any one implementation: "the responder
 * never sent MM4", "the request was IP-fragmented and never answered".
 *
 * Confidence is honest: a cleartext notify or an ICMP error makes a cause
 * certain; a pattern that only keys could prove is at most likely, and
 * names what else it could be (CONTRACT.md).
 */
#include "src/diag/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect/names.h"
#include "dissect/vendor.h"
#include "src/diag/remedy.h"

/* ---- small helpers ---- */

static void say(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct finding *f, const char *fmt, ...)
{
	/* a finding merged from several SAs keeps the sentence of the first */
	if (!f || (f->merged && f->summary[0]))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof f->summary, fmt, ap);
	va_end(ap);
}

/*
 * An initiator that started SAs with many responders and never went past
 * its first message with any of them probes; it does not build tunnels.
 */
static bool
is_scanner(const struct tk_sa *sa)
{
	const struct tk_origin *o = sa->origin;
	return o && o->npeers >= 8 && o->nprogressed == 0;
}

/* Adds the scanner's numbers to a finding's sentence. */
static void
scanner_note(struct finding *f, const struct tk_sa *sa)
{
	if (!f || !is_scanner(sa) || (f->merged && f->summary[0] && strstr(f->summary, "scanner")))
		return;
	char a[ADDR_STRLEN];
	size_t n = strlen(f->summary);
	snprintf(f->summary + n, sizeof f->summary - n,
		 " %s started IKE with %u different responders in %.0f s and never went past its "
		 "first message with any of them: it behaves like a scanner (ike-scan and the "
		 "like), not a gateway building tunnels.",
		 addr_str(&sa->origin->a, a, sizeof a), sa->origin->npeers,
		 (double)(sa->origin->last - sa->origin->first) / 1e6);
}

static void proof(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
proof(struct finding *f, const char *fmt, ...)
{
	if (!f)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->proof, sizeof f->proof, fmt, ap);
	va_end(ap);
}

static void
alt(struct finding *f, const char *cause)
{
	/* a certain cause has no alternatives */
	if (!f || f->nalt >= DIAG_MAX_ALT || strcmp(f->cause, cause) == 0 ||
	    f->confidence == CONF_CERTAIN)
		return;
	for (unsigned i = 0; i < f->nalt; i++)
		if (strcmp(f->alternatives[i], cause) == 0)
			return;
	f->alternatives[f->nalt++] = cause;
}

/* A message and all its retransmissions as evidence. */
static void
frames_of(struct finding *f, const struct tk_msg *m)
{
	if (!f || !m)
		return;
	diag_frame(f, &m->ref);
	unsigned n = m->nretx < TK_MAX_RETX ? m->nretx : TK_MAX_RETX;
	for (unsigned i = 0; i < n; i++)
		diag_frame(f, &m->retx[i]);
}

static const char *
addr_of(const struct tk_sa *sa, int side, char *buf, size_t n)
{
	return addr_str(&sa->side[side].addr, buf, n);
}

static bool
is_psk(int32_t auth)
{
	/* RFC 2409 App. A: 1 pre-shared key; XAUTH 65001/65002 authenticate the
	 * gateways with a pre-shared key too */
	return auth == 1 || auth == 65001 || auth == 65002;
}

static const struct tk_msg *
first_label(const struct tk_sa *sa, enum tk_label l)
{
	for (unsigned i = 0; i < sa->nmsgs; i++)
		if (sa->msgs[i].label == l)
			return &sa->msgs[i];
	return NULL;
}

static const struct tk_msg *
last_label(const struct tk_sa *sa, enum tk_label l)
{
	for (unsigned i = sa->nmsgs; i-- > 0;)
		if (sa->msgs[i].label == l)
			return &sa->msgs[i];
	return NULL;
}

static tk_time
last_tx(const struct tk_msg *m)
{
	unsigned n = m->nretx < TK_MAX_RETX ? m->nretx : TK_MAX_RETX;
	return n ? m->retx[n - 1].t : m->ref.t;
}

static unsigned
sends(const struct tk_msg *m)
{
	return m ? m->nretx + 1u : 0;
}

static bool
side_spoke(const struct tk_sa *sa, int side)
{
	for (unsigned i = 0; i < sa->nmsgs; i++)
		if (sa->msgs[i].from == side)
			return true;
	return false;
}

/* The first cleartext (or decrypted) error notify a side sent, or NULL. */
static const struct tk_msg *
error_from(const struct tk_sa *sa, int side, uint16_t *type)
{
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		if (m->from != side || (m->encrypted && !m->decrypted))
			continue;
		uint16_t e = tk_msg_error_notify(m);
		if (e) {
			*type = e;
			return m;
		}
	}
	return NULL;
}

/* Encrypted informationals a side sent after time t. */
static const struct tk_msg *
enc_info_after(const struct tk_sa *sa, int side, tk_time t)
{
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		if (m->from == side && m->ref.t >= t &&
		    (m->label == TL_INFO || m->label == TL_INFO_REQ) && m->encrypted)
			return m;
	}
	return NULL;
}

static bool
on_4500(const struct tk_msg *m)
{
	return m->sport == 4500 || m->dport == 4500;
}

/* Did a side send anything on UDP 4500? */
static bool
side_on_4500(const struct tk_sa *sa, int side)
{
	for (unsigned i = 0; i < sa->nmsgs; i++)
		if (sa->msgs[i].from == side && on_4500(&sa->msgs[i]))
			return true;
	return false;
}

static const char *
notify_name(const struct tk_sa *sa, uint16_t t, char *buf, size_t n)
{
	const char *s = nt_short(sa->version == 2 ? NT_V2_NOTIFY : NT_V1_NOTIFY, t);
	if (s)
		return s;
	snprintf(buf, n, "%u", t);
	return buf;
}

static void
fill_remedy(struct finding *f, const struct tk_sa *sa, int fix_side)
{
	struct remedy_ctx c;
	if (!f)
		return;
	memset(&c, 0, sizeof c);
	c.version = sa->version;
	/* the side whose configuration names the other: the text shows the
	 * address that side knows its peer by */
	addr_of(sa, fix_side ^ 1, c.peer_addr, sizeof c.peer_addr);
	addr_of(sa, fix_side, c.local_addr, sizeof c.local_addr);
	c.offer = sa->noffer ? &sa->offer[0] : NULL;
	c.wanted_group = -1;
	for (unsigned i = 0; i < sa->nattempts; i++)
		if (sa->attempts[i].reason == 17)
			c.wanted_group = sa->attempts[i].group;
	remedy_fill(f, &c);
}

static struct finding *
raise(struct diag *d, struct tk_sa *sa, const char *cause, enum diag_sev sev, enum diag_conf conf)
{
	struct finding *f = diag_add(d, cause, sev, conf, sa, sa->peer);
	diag_sa_link(sa, f);
	return f;
}

/* Is there any sign, anywhere in the capture, of traffic from this address
 * toward the other one?  Without it a silent peer may just be outside the
 * capture's view. */
static bool
vantage_sees(const struct tk_sa *sa, int side)
{
	if (side_spoke(sa, side))
		return true;
	const struct tk_peer *p = sa->peer;
	if (!p)
		return false;
	bool side_is_a = addr_eq(&sa->side[side].addr, &p->a);
	return side_is_a ? p->frames_a_to_b > 0 : p->frames_b_to_a > 0;
}

static const char *
offer_words(const struct tk_sa *sa, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < sa->noffer && i < 3; i++) {
		int w = snprintf(buf + o, n - o, "%s%s", i ? "; " : "", sa->offer_text[i]);
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
	if (sa->noffer_total > 3 && o + 16 < n)
		snprintf(buf + o, n - o, "; +%u more", sa->noffer_total - 3u);
	return buf;
}

/* ---- phase 1 / IKE_SA_INIT + IKE_AUTH ---- */

/* RFC 792 / RFC 1812 5.2.7.1 and RFC 4443 3.1: destination unreachable codes. */
static const char *
icmp_words(bool v6, unsigned type, unsigned code)
{
	if (!v6 && type == 3) {
		static const char *const w[] = {"net unreachable",
						"host unreachable",
						"protocol unreachable",
						"port unreachable",
						"fragmentation needed",
						"source route failed",
						"net unknown",
						"host unknown",
						"source host isolated",
						"net prohibited",
						"host prohibited",
						"net unreachable for TOS",
						"host unreachable for TOS",
						"administratively prohibited"};
		return code < sizeof w / sizeof w[0] ? w[code] : "unreachable";
	}
	if (v6 && type == 1) {
		static const char *const w[] = {"no route",
						"administratively prohibited",
						"beyond scope of source address",
						"address unreachable",
						"port unreachable",
						"source address failed policy",
						"reject route"};
		return code < sizeof w / sizeof w[0] ? w[code] : "unreachable";
	}
	return "unreachable";
}

static void
rule_unanswered_first(struct diag *d, struct tk_sa *sa, const struct tk_msg *first)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	const struct tk_peer *p = sa->peer;
	bool icmp = p && p->icmp_unreach > 0;
	bool seen = vantage_sees(sa, TK_R);
	enum diag_conf conf = icmp ? CONF_CERTAIN : seen ? CONF_LIKELY : CONF_POSSIBLE;
	/* a responder that answers main mode but not aggressive mode refuses it */
	struct finding *f;
	if (sa->mode == TM_AGGRESSIVE && seen) {
		f = raise(d, sa, "aggressive_mode_refused", SEV_ERROR, CONF_LIKELY);
		say(f,
		    "%s never answered the aggressive-mode offer (%u sends), although it answers other "
		    "IKE traffic from %s in this capture: it does not accept aggressive mode from this "
		    "peer.",
		    addr_of(sa, TK_R, b, sizeof b), sends(first), addr_of(sa, TK_I, a, sizeof a));
		alt(f, "peer_unreachable");
		alt(f, "p1_proposal_mismatch");
	} else {
		f = raise(d, sa, "peer_unreachable", SEV_ERROR, conf);
		if (icmp) {
			char c[ADDR_STRLEN];
			bool from_peer = addr_eq(&p->icmp_from, &sa->side[TK_R].addr);
			bool port = (p->icmp_type == 3 && p->icmp_code == 3) ||
				    (p->icmp_type == 1 && p->icmp_code == 4);
			say(f, "%s sent %s %u time%s and got ICMP %s (type %u code %u) from %s%s.",
			    addr_of(sa, TK_I, a, sizeof a), tk_label_name(first->label),
			    sends(first), sends(first) == 1 ? "" : "s",
			    icmp_words(p->icmp_v6, p->icmp_type, p->icmp_code), p->icmp_type,
			    p->icmp_code, addr_str(&p->icmp_from, c, sizeof c),
			    from_peer && port ? " (the responder itself): nothing listens for IKE "
						"there (IKE not enabled, or the daemon is down)"
			    : from_peer	      ? " (the responder itself): IKE does not reach it"
					      : " (a router on the way): IKE does not reach the "
						"responder");
		} else if (seen)
			say(f,
			    "%s sent %s %u time%s over %.0f s and %s never answered: no route, UDP %u "
			    "filtered, IKE%s not enabled on the responder, or a wrong peer address.",
			    addr_of(sa, TK_I, a, sizeof a), tk_label_name(first->label),
			    sends(first), sends(first) == 1 ? "" : "s",
			    (double)(last_tx(first) - first->ref.t) / 1e6,
			    addr_of(sa, TK_R, b, sizeof b), on_4500(first) ? 4500 : 500,
			    sa->version == 2 ? "v2" : "v1");
		else
			say(f,
			    "%s sent %s %u time%s and the capture holds nothing from %s at all: either the "
			    "responder never answered, or the capture only sees one direction (check "
			    "where it was taken).",
			    addr_of(sa, TK_I, a, sizeof a), tk_label_name(first->label),
			    sends(first), sends(first) == 1 ? "" : "s",
			    addr_of(sa, TK_R, b, sizeof b));
		if (sa->mode == TM_AGGRESSIVE)
			alt(f, "aggressive_mode_refused");
		if (sa->version == 2 || sa->mode == TM_MAIN)
			alt(f, "version_mismatch");
		if (icmp)
			diag_frame(f, &p->icmp_ref);
	}
	frames_of(f, first);
	scanner_note(f, sa);
	fill_remedy(f, sa, TK_R);
}

/* The responder answered and the initiator never sent its next message. */
static void
abandoned(struct diag *d, struct tk_sa *sa, const struct tk_msg *answer, const char *what,
	  const char *next)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	struct finding *f = raise(d, sa, "initiator_abandoned", SEV_WARNING, CONF_LIKELY);
	say(f,
	    "The responder (%s) %s and the initiator (%s) never sent %s: it rejected the answer "
	    "(check its log) or it is a scanner.",
	    addr_of(sa, TK_R, b, sizeof b), what, addr_of(sa, TK_I, a, sizeof a), next);
	scanner_note(f, sa);
	frames_of(f, answer);
	fill_remedy(f, sa, TK_I);
}

/* A cleartext error notify decides phase 1 by its type. */
static bool
rule_p1_notify(struct diag *d, struct tk_sa *sa)
{
	uint16_t t = 0;
	int side = TK_R;
	const struct tk_msg *m = error_from(sa, TK_R, &t);
	if (!m) {
		m = error_from(sa, TK_I, &t);
		side = TK_I;
	}
	if (!m)
		return false;
	char nb[16], a[ADDR_STRLEN], ow[400];
	const char *nn = notify_name(sa, t, nb, sizeof nb);
	const char *who = side == TK_R ? "responder" : "initiator";
	struct finding *f = NULL;
	bool v2 = sa->version == 2;
	/* IKEv1 RFC 2408 3.14.1 and IKEv2 RFC 7296 3.10.1 numbers */
	if (t == 14 || (!v2 && (t == 12 || t == 13 || t == 15 || t == 2 || t == 1))) {
		f = raise(d, sa, "p1_proposal_mismatch", SEV_ERROR, CONF_CERTAIN);
		if (sa->noffer)
			say(f,
			    "The %s (%s) answered %s: it accepts %s offered (%s). Cisco IOS also "
			    "refuses a phase-1 lifetime longer than its own.",
			    who, addr_of(sa, side, a, sizeof a), nn,
			    sa->noffer_total == 1 ? "not the one proposal"
			    : v2		  ? "none of the proposals"
						  : "none of the transforms",
			    offer_words(sa, ow, sizeof ow));
		else
			say(f, "The %s (%s) answered %s: no proposal in common.", who,
			    addr_of(sa, side, a, sizeof a), nn);
	} else if (t == 5) {
		f = raise(d, sa, "version_mismatch", SEV_ERROR, CONF_CERTAIN);
		say(f, "The %s (%s) answered INVALID-MAJOR-VERSION: it does not speak IKEv%u.", who,
		    addr_of(sa, side, a, sizeof a), sa->version);
	} else if (t == 7 && sa->mode == TM_AGGRESSIVE) {
		f = raise(d, sa, "aggressive_mode_refused", SEV_ERROR, CONF_CERTAIN);
		say(f, "The %s (%s) answered %s to the aggressive-mode offer.", who,
		    addr_of(sa, side, a, sizeof a), nn);
	} else if (t == 18 || (v2 && t == 44)) {
		f = raise(d, sa, "id_mismatch", SEV_ERROR, CONF_CERTAIN);
		say(f, "The %s (%s) answered %s: the identity sent is not the one it expects.", who,
		    addr_of(sa, side, a, sizeof a), nn);
	} else if (t == 23 || t == 24 || t == 25 || (v2 && t == 24)) {
		bool psk = is_psk(sa->auth_method);
		f = raise(d, sa, psk ? "psk_mismatch" : "auth_failed", SEV_ERROR, CONF_LIKELY);
		say(f, "The %s (%s) answered %s: it could not verify the other side's %s.", who,
		    addr_of(sa, side, a, sizeof a), nn,
		    psk ? "pre-shared-key hash" : "authentication");
		alt(f, "id_mismatch");
	} else if (v2 && t == 17) {
		/* INVALID_KE_PAYLOAD that never led anywhere */
		f = raise(d, sa, "p1_proposal_mismatch", SEV_ERROR, CONF_LIKELY);
		int g = -1;
		for (unsigned i = 0; i < sa->nattempts; i++)
			if (sa->attempts[i].reason == 17)
				g = sa->attempts[i].group;
		say(f,
		    "The responder (%s) asked for DH group %s (INVALID_KE_PAYLOAD) and the initiator "
		    "never completed a retry with it.",
		    addr_of(sa, TK_R, a, sizeof a),
		    g >= 0 && nt_short(NT_GROUP, (uint32_t)g) ? nt_short(NT_GROUP, (uint32_t)g)
							      : "?");
		alt(f, "invalid_ke_loop");
	} else if (!v2 && (t == 16 || t == 9 || t == 10 || t == 11)) {
		/* INVALID-PAYLOAD-TYPE, INVALID-SPI, INVALID-MESSAGE-ID, INVALID-COOKIE... the
		 * peers disagree on the SA itself */
		f = raise(d, sa, "stale_sa", SEV_ERROR, CONF_LIKELY);
		say(f,
		    "The %s (%s) answered %s: it has no state for this negotiation (a restart, "
		    "or messages of an SA it already dropped).",
		    who, addr_of(sa, side, a, sizeof a), nn);
	} else {
		f = raise(d, sa, v2 ? "auth_failed" : "p1_proposal_mismatch", SEV_ERROR,
			  CONF_POSSIBLE);
		say(f, "The %s (%s) ended the negotiation with %s.", who,
		    addr_of(sa, side, a, sizeof a), nn);
	}
	frames_of(f, m);
	scanner_note(f, sa);
	fill_remedy(f, sa, side);
	return true;
}

static void
rule_v1_main(struct diag *d, struct tk_sa *sa)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	unsigned si = sa->step[TK_I], sr = sa->step[TK_R];
	const struct tk_msg *mm1 = first_label(sa, TL_MM1), *mm3 = last_label(sa, TL_MM3);
	const struct tk_msg *mm4 = last_label(sa, TL_MM4), *mm5 = last_label(sa, TL_MM5);
	const struct tk_msg *mm2 = last_label(sa, TL_MM2);

	if (rule_p1_notify(d, sa))
		return;
	if (sr == 0 && mm1) {
		rule_unanswered_first(d, sa, mm1);
		return;
	}
	if (si <= 1 && sr == 2 && mm2) {
		abandoned(d, sa, mm2, "accepted a proposal in MM2", "MM3");
		return;
	}
	if (si == 3 && sr == 2 && mm3) {
		struct finding *f;
		if (mm3->ip_fragmented) {
			f = raise(d, sa, "fragmentation_loss", SEV_ERROR, CONF_LIKELY);
			say(f, "MM3 was IP-fragmented and never answered.");
		} else {
			f = raise(d, sa, "responder_no_key", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "The responder (%s) answered the SA offer (MM2) but never sent MM4 to %u "
			    "copies of MM3: it has no tunnel-group / pre-shared key / peer entry for %s, "
			    "so it cannot go on with the key exchange.",
			    addr_of(sa, TK_R, b, sizeof b), sends(mm3),
			    addr_of(sa, TK_I, a, sizeof a));
			proof(
			    f,
			    "the responder's log (\"no pre-shared key\", \"no matching tunnel-group\")");
		}
		frames_of(f, mm2);
		frames_of(f, mm3);
		fill_remedy(f, sa, TK_R);
		return;
	}
	if (si == 3 && sr == 4 && mm4) {
		struct finding *f = raise(d, sa, "initiator_abandoned", SEV_WARNING, CONF_LIKELY);
		say(f,
		    "The initiator (%s) received MM4 and never sent MM5: it could not finish the key "
		    "exchange (no key for this responder?) or gave up.",
		    addr_of(sa, TK_I, a, sizeof a));
		alt(f, "responder_no_key");
		frames_of(f, mm4);
		fill_remedy(f, sa, TK_I);
		return;
	}
	if (si >= 5 && mm5 && sr < 6) {
		bool moved = on_4500(mm5) && mm4 && !on_4500(mm4);
		bool r4500 = side_on_4500(sa, TK_R);
		const struct tk_msg *info = enc_info_after(sa, TK_R, mm5->ref.t);
		bool mm4_again = mm4 && mm4->nretx > 0 && last_tx(mm4) > mm5->ref.t;
		struct finding *f;
		if (moved && !r4500 && !info) {
			f = raise(d, sa, "natt_blocked", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "MM1-MM4 went through on UDP 500, then the initiator moved to UDP 4500 for "
			    "MM5 (NAT-T) and sent it %u times; nothing ever came back on 4500.",
			    sends(mm5));
			alt(f, "psk_mismatch");
			frames_of(f, mm5);
			fill_remedy(f, sa, TK_R);
			return;
		}
		if (mm5->ip_fragmented && !info && !mm4_again) {
			bool icmp = sa->peer && sa->peer->icmp_reasm > 0;
			f = raise(d, sa, "fragmentation_loss", SEV_ERROR,
				  icmp ? CONF_CERTAIN : CONF_LIKELY);
			if (icmp)
				diag_frame(f, &sa->peer->icmp_reasm_ref);
			say(f,
			    "MM5 was IP-fragmented (%u bytes) and the responder never reacted to any of "
			    "its %u copies: the fragments are likely dropped on the way.",
			    mm5->length, sends(mm5));
			alt(f, "psk_mismatch");
			frames_of(f, mm5);
			fill_remedy(f, sa, TK_I);
			return;
		}
		bool psk = is_psk(sa->auth_method);
		/* the initiator read the responder's informational (it stopped
		 * sending MM5 at once): they share the keys, so the identity, not
		 * the PSK, was refused */
		if (info && last_tx(mm5) <= info->ref.t) {
			f = raise(d, sa, "id_mismatch", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "The responder answered MM5 with an encrypted informational instead of MM6, "
			    "and the initiator stopped at once: it could decrypt the answer, so both "
			    "sides derived the same keys (same pre-shared key) and the responder refused "
			    "what MM5 carried, most often the identity (INVALID-ID-INFORMATION).");
			alt(f, "auth_failed");
			alt(f, psk ? "psk_mismatch" : "cert_id_mismatch");
			proof(f, "give the keys of either side (--keys) to read the notify");
			frames_of(f, mm5);
			frames_of(f, info);
			fill_remedy(f, sa, TK_R);
			return;
		}
		f = raise(d, sa, psk ? "psk_mismatch" : "auth_failed", SEV_ERROR, CONF_LIKELY);
		if (info)
			say(f,
			    "The responder answers MM5 with an encrypted informational instead of MM6: "
			    "it could not accept the initiator's identity/hash, which is what differing "
			    "pre-shared keys cause.");
		else if (mm4_again)
			say(f,
			    "The responder answers each copy of MM5 by sending MM4 again instead of MM6: "
			    "it could not decrypt or verify MM5, which is what differing pre-shared keys "
			    "cause.");
		else
			say(f,
			    "The initiator sent MM5 %u times and the responder never sent MM6: it did not "
			    "accept the initiator's identity/hash%s.",
			    sends(mm5), psk ? " (differing pre-shared keys do that)" : "");
		if (!psk)
			say(f, "%s Authentication is by %s.", f ? f->summary : "",
			    nt_short(NT_V1_P1_AUTH, (uint32_t)sa->auth_method)
				? nt_short(NT_V1_P1_AUTH, (uint32_t)sa->auth_method)
				: "signatures");
		alt(f, "id_mismatch");
		proof(f, "give the keys of either side (--keys), or the PSK with the DH secret");
		frames_of(f, mm5);
		frames_of(f, info);
		if (mm4_again)
			frames_of(f, mm4);
		fill_remedy(f, sa, TK_R);
		return;
	}
	if (sr >= 6 && !sa->p1_done) {
		const struct tk_msg *mm6 = last_label(sa, TL_MM6);
		struct finding *f = raise(d, sa, "auth_failed", SEV_ERROR, CONF_POSSIBLE);
		say(f,
		    "The responder sent MM6 but the initiator kept sending MM5: MM6 was lost or the "
		    "initiator could not verify the responder.");
		alt(f, "id_mismatch");
		frames_of(f, mm5);
		frames_of(f, mm6);
		fill_remedy(f, sa, TK_I);
	}
}

static void
rule_v1_aggressive(struct diag *d, struct tk_sa *sa)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	const struct tk_msg *am1 = first_label(sa, TL_AM1), *am2 = last_label(sa, TL_AM2);
	const struct tk_msg *am3 = last_label(sa, TL_AM3);
	uint16_t t = 0;
	const struct tk_msg *ierr = error_from(sa, TK_I, &t);

	if (!am2 && rule_p1_notify(d, sa))
		return;
	if (!am2 && am1) {
		rule_unanswered_first(d, sa, am1);
		return;
	}
	if (am2 && !am3) {
		/* PROTOCOL-NOTES.md: in an aggressive-mode PSK mismatch it is the
		 * initiator that fails HASH_R, and stays silent or complains */
		const struct tk_msg *info = enc_info_after(sa, TK_I, am2->ref.t);
		if (!ierr && !info && is_scanner(sa)) {
			/* a scanner collects AM2 (with a PSK, its hash can be attacked
			 * offline) and never sends AM3 */
			abandoned(d, sa, am2, "answered aggressive mode (AM2)", "AM3");
			return;
		}
		bool psk = is_psk(sa->auth_method);
		struct finding *f =
		    raise(d, sa, psk ? "psk_mismatch" : "auth_failed", SEV_ERROR, CONF_LIKELY);
		if (ierr || info) {
			char how[64];
			if (ierr)
				snprintf(how, sizeof how, "N(%s)",
					 nt_short(NT_V1_NOTIFY, t) ? nt_short(NT_V1_NOTIFY, t)
								   : "?");
			else
				snprintf(how, sizeof how, "an encrypted informational");
			say(f,
			    "The initiator (%s) answered AM2 with %s instead of AM3: it could not "
			    "verify the responder's hash, which is what differing pre-shared keys cause.",
			    addr_of(sa, TK_I, a, sizeof a), how);
		} else {
			say(f,
			    "The responder (%s) sent AM2 and the initiator (%s) never sent AM3: it "
			    "could not verify the responder's hash (differing pre-shared keys), or it "
			    "gave up.",
			    addr_of(sa, TK_R, b, sizeof b), addr_of(sa, TK_I, a, sizeof a));
		}
		alt(f, "id_mismatch");
		alt(f, "initiator_abandoned");
		proof(
		    f,
		    "give the PSK (--psk-file): aggressive mode's HASH_R can be checked from the PSK alone");
		frames_of(f, am2);
		frames_of(f, ierr);
		frames_of(f, info);
		fill_remedy(f, sa, TK_I);
		return;
	}
	if (am3 && !sa->p1_done) {
		const struct tk_msg *info = enc_info_after(sa, TK_R, am3->ref.t);
		struct finding *f = raise(d, sa, "psk_mismatch", SEV_ERROR, CONF_POSSIBLE);
		say(f, "The responder %s AM3%s.", info ? "answered" : "did not accept",
		    info ? " with an encrypted informational" : "");
		alt(f, "id_mismatch");
		frames_of(f, am3);
		frames_of(f, info);
		fill_remedy(f, sa, TK_R);
	}
}

/* An IKEv2 authentication refusal read from its shape: the notify inside SK
 * would say which. */
static struct finding *
auth_guess(struct diag *d, struct tk_sa *sa, enum diag_conf c)
{
	struct finding *f = raise(d, sa, "auth_failed", SEV_ERROR, c);
	alt(f, "psk_mismatch");
	alt(f, "id_mismatch");
	proof(f, "give the IKE SA's keys (--keys) to read the notify");
	return f;
}

static void
rule_v2_setup(struct diag *d, struct tk_sa *sa)
{
	char b[ADDR_STRLEN];
	const struct tk_msg *req = first_label(sa, TL_SA_INIT_REQ);
	const struct tk_msg *resp = last_label(sa, TL_SA_INIT_RESP);
	const struct tk_msg *areq = last_label(sa, TL_AUTH_REQ);
	const struct tk_msg *aresp = last_label(sa, TL_AUTH_RESP);

	/* RFC 5685: the responder sent the initiator to another gateway */
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		bool redirect = false;
		for (unsigned k = 0; k < m->nnotify; k++)
			redirect = redirect || m->notify[k] == 16407;
		if (!redirect || m->from != TK_R)
			continue;
		struct finding *f = raise(d, sa, "redirected", SEV_INFO, CONF_CERTAIN);
		say(f,
		    "The responder (%s) redirected the initiator to another gateway (REDIRECT, "
		    "RFC 5685): the negotiation goes on there, under a new SPI.",
		    addr_of(sa, TK_R, b, sizeof b));
		frames_of(f, m);
		return;
	}
	/* a cleartext error in IKE_SA_INIT (COOKIE and INVALID_KE are restarts):
	 * the last response decides; some responders put their SPI in it */
	if (resp && resp->nnotify && !tk_msg_has_ptype(resp, IKE2_SA)) {
		uint16_t e = tk_msg_error_notify(resp);
		if (e && e != 17 && rule_p1_notify(d, sa))
			return;
		if (e == 17 && !areq && rule_p1_notify(d, sa))
			return;
	}
	if (!resp && req) {
		rule_unanswered_first(d, sa, req);
		return;
	}
	if (resp && !areq && sa->rspi_known) {
		abandoned(d, sa, resp, "answered IKE_SA_INIT", "IKE_AUTH");
		return;
	}
	if (areq && !aresp) {
		bool moved = on_4500(areq) && resp && !on_4500(resp);
		bool r4500 = side_on_4500(sa, TK_R);
		bool frag = areq->ip_fragmented;
		unsigned nfrags = 0;
		for (unsigned i = 0; i < sa->nmsgs; i++)
			if (sa->msgs[i].label == TL_AUTH_REQ && sa->msgs[i].ike_fragment)
				nfrags++;
		struct finding *f;
		if (frag) {
			const struct tk_peer *pr = sa->peer;
			bool icmp = pr && pr->icmp_reasm > 0;
			f = raise(d, sa, "fragmentation_loss", SEV_ERROR,
				  icmp ? CONF_CERTAIN : CONF_LIKELY);
			if (icmp)
				diag_frame(f, &pr->icmp_reasm_ref);
			say(f,
			    "The IKE_AUTH request (%u bytes) was IP-fragmented and sent %u times; the "
			    "responder never answered%s. IKE fragmentation (RFC 7383) avoids it; %s.",
			    areq->length, sends(areq),
			    icmp
				? ": its kernel reported that reassembling the datagram timed out (ICMP "
				  "time exceeded, fragment reassembly), so fragments are lost on the way"
			    : areq->ip_incomplete
				? ": only the first IP fragment of each copy reached the capture point, "
				  "the others were lost before it"
				: ": IP fragments are likely dropped on the way",
			    sa->side[TK_I].frag_supported && sa->side[TK_R].frag_supported
				? "both sides announced it, but the initiator did not use it for this "
				  "message"
			    : sa->side[TK_I].frag_supported ? "only the initiator announced it"
			    : sa->side[TK_R].frag_supported ? "only the responder announced it"
							    : "neither side announced it");
			if (moved && !r4500)
				alt(f, "natt_blocked");
			alt(f, "auth_failed");
			fill_remedy(f, sa, TK_I);
		} else if (moved && !r4500) {
			f = raise(d, sa, "natt_blocked", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "IKE_SA_INIT went through on UDP 500, then the initiator moved to UDP 4500 for "
			    "IKE_AUTH (NAT-T) and sent it %u times; nothing ever came back on 4500.",
			    sends(areq));
			alt(f, "fragmentation_loss");
			fill_remedy(f, sa, TK_R);
		} else {
			f = raise(d, sa, "auth_failed", SEV_ERROR, CONF_POSSIBLE);
			say(f,
			    "The responder (%s) answered IKE_SA_INIT but never answered IKE_AUTH (%u "
			    "sends%s): it dropped the request without a word.",
			    addr_of(sa, TK_R, b, sizeof b), sends(areq),
			    nfrags ? ", in IKE fragments" : "");
			alt(f, "responder_no_key");
			alt(f, "fragmentation_loss");
			fill_remedy(f, sa, TK_R);
		}
		for (unsigned i = 0; i < sa->nmsgs; i++)
			if (sa->msgs[i].label == TL_AUTH_REQ)
				frames_of(f, &sa->msgs[i]);
		return;
	}
	if (aresp && sa->auth_refused_by_i) {
		/* RFC 7296 2.21.2: the initiator refused the responder's answer.
		 * Decrypted, the notify is read by rule_keyed_p1; here only its
		 * shape is known. */
		struct finding *f = auth_guess(d, sa, CONF_POSSIBLE);
		say(f,
		    "IKE_AUTH completed on the responder's side, then the initiator (%s) sent at once "
		    "a small INFORMATIONAL holding a single notify and nothing more (no ESP, no other "
		    "exchange): the shape of an initiator refusing the responder's identity or AUTH "
		    "with AUTHENTICATION_FAILED.",
		    addr_of(sa, TK_I, b, sizeof b));
		frames_of(f, aresp);
		diag_frame(f, &sa->auth_refusal);
		fill_remedy(f, sa, TK_I);
		return;
	}
	if (aresp && !sa->p1_done) {
		/* RFC 7296 2.21.2: IKE_AUTH errors travel inside SK */
		struct finding *f;
		uint16_t e = tk_msg_error_notify(aresp);
		if (aresp->decrypted && e == 24 && is_psk(sa->auth_method)) {
			f = raise(d, sa, "psk_mismatch", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "The responder answered IKE_AUTH with AUTHENTICATION_FAILED and the AUTH "
			    "method is a pre-shared key.");
			alt(f, "id_mismatch");
			proof(f, "the PSK with SK_pi/SK_pr (charon log) verifies the AUTH payload");
		} else if (aresp->decrypted && e) {
			char nb[16];
			f = raise(d, sa, e == 44 || e == 18 ? "id_mismatch" : "auth_failed",
				  SEV_ERROR, CONF_CERTAIN);
			say(f, "The responder answered IKE_AUTH with %s.",
			    notify_name(sa, e, nb, sizeof nb));
		} else {
			f = auth_guess(d, sa, CONF_LIKELY);
			say(f,
			    "The responder's IKE_AUTH answer is a bare notification (an encrypted N, too "
			    "short to hold IDr and AUTH): authentication failed, most often "
			    "AUTHENTICATION_FAILED from differing pre-shared keys or an unexpected "
			    "identity.");
		}
		for (unsigned i = 0; i < sa->nmsgs; i++)
			if (sa->msgs[i].label == TL_AUTH_REQ || sa->msgs[i].label == TL_AUTH_RESP)
				frames_of(f, &sa->msgs[i]);
		fill_remedy(f, sa, TK_R);
	}
}

/* ---- phase 2 ---- */

static bool rule_keyed_p2(struct diag *d, struct tk_sa *sa, struct tk_p2 *p);

static void
rule_p2(struct diag *d, struct tk_sa *sa)
{
	char nb[16];
	for (unsigned i = 0; i < sa->np2; i++) {
		struct tk_p2 *p = &sa->p2[i];
		struct finding *f = NULL;
		if (rule_keyed_p2(d, sa, p))
			continue;
		const char *what = sa->version == 2
				       ? (p->exch == IKE2_EXCH_AUTH ? "the CHILD SA of IKE_AUTH"
								    : "CREATE_CHILD_SA")
				       : "quick mode";
		if (p->status == TS_REJECTED) {
			uint16_t e = p->error_notify;
			if (e == 14) {
				f = raise(d, sa, "p2_proposal_mismatch", SEV_ERROR, CONF_CERTAIN);
				say(f,
				    "The peer refused %s (msgid %u) with NO_PROPOSAL_CHOSEN: the phase-2 "
				    "transforms (or PFS) do not overlap.",
				    what, p->msgid);
				alt(f, "pfs_mismatch");
			} else if (e == 18 || e == 38 || e == 39) {
				f = raise(d, sa, "proxy_id_mismatch", SEV_ERROR, CONF_CERTAIN);
				say(f,
				    "The peer refused %s (msgid %u) with %s: the traffic selectors (proxy "
				    "IDs) are not mirror images.",
				    what, p->msgid, notify_name(sa, e, nb, sizeof nb));
			} else if (e == 17) {
				f = raise(d, sa, "pfs_mismatch", SEV_ERROR, CONF_LIKELY);
				say(f,
				    "The peer refused %s (msgid %u) with INVALID_KE_PAYLOAD: PFS groups "
				    "differ, or PFS is on one side only.",
				    what, p->msgid);
			} else if (p->by_size) {
				bool esp = sa->esp_pkts[0] + sa->esp_pkts[1] > 0;
				/* a size is weak evidence: possible, whatever else is seen */
				f = raise(d, sa, "p2_rejected", SEV_ERROR, CONF_POSSIBLE);
				say(f,
				    "The IKE SA came up, but the IKE_AUTH response (%u bytes encrypted) is "
				    "far smaller than the request (%u): it lacks the SA and traffic "
				    "selectors, so the responder refused the CHILD SA with a notify "
				    "(NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE ...)%s.",
				    p->resp_sk_len, p->req_sk_len,
				    esp ? "" : ", and no ESP follows");
				alt(f, "p2_proposal_mismatch");
				alt(f, "proxy_id_mismatch");
				alt(f, "pfs_mismatch");
				proof(f, "give the IKE SA's keys (--keys) to read the notify");
			} else {
				f = raise(d, sa, "p2_rejected", SEV_ERROR, CONF_LIKELY);
				if (sa->version == 1)
					say(f,
					    "Phase 1 is up, but the %s answered quick mode (msgid %u) with an "
					    "encrypted informational instead of QM%s: it refused phase 2. The "
					    "keys would tell which: transforms, PFS or proxy IDs.",
					    p->initiator == TK_I ? "responder" : "initiator",
					    p->msgid, (p->seen & 2) ? "3" : "2");
				else
					say(f,
					    "The peer answered %s (msgid %u) with a bare notification: it "
					    "refused the CHILD SA. The keys would tell which: transforms, "
					    "PFS or traffic selectors.",
					    what, p->msgid);
				alt(f, "p2_proposal_mismatch");
				alt(f, "pfs_mismatch");
				alt(f, "proxy_id_mismatch");
				proof(
				    f,
				    "give the IKE SA's keys (--keys) to read the notify and both offers");
			}
		} else if ((p->status == TS_FAILED || p->status == TS_STALLED) && sa->p1_done) {
			f = raise(d, sa, "p2_no_response", SEV_ERROR,
				  tk_sees_both_directions(sa) ? CONF_LIKELY : CONF_POSSIBLE);
			say(f,
			    "Phase 1 is up, but %s (msgid %u) sent by the %s was never answered (%u "
			    "sends).",
			    what, p->msgid, p->initiator == TK_I ? "initiator" : "responder",
			    p->nretx + 1u);
			alt(f, "p2_proposal_mismatch");
			alt(f, "proxy_id_mismatch");
		}
		if (f) {
			for (unsigned k = 0; k < p->nframes; k++)
				diag_frame(f, &p->frames[k]);
			for (unsigned k = 0; k < sa->nmsgs; k++) {
				const struct tk_msg *m = &sa->msgs[k];
				if (m->msgid == p->msgid && m->exch == p->exch)
					frames_of(f, m);
			}
			/* the informational that refused it */
			if (p->answered_by_info)
				for (unsigned k = 0; k < sa->nmsgs; k++) {
					const struct tk_msg *m = &sa->msgs[k];
					if (m->label == TL_INFO && m->from != p->initiator &&
					    p->nframes && m->ref.t >= p->frames[0].t &&
					    m->ref.t - p->frames[0].t < 30000000LL)
						frames_of(f, m);
				}
			struct remedy_ctx c;
			memset(&c, 0, sizeof c);
			c.version = sa->version;
			addr_of(sa, TK_I, c.peer_addr, sizeof c.peer_addr);
			addr_of(sa, TK_R, c.local_addr, sizeof c.local_addr);
			c.p2_offer = p->proposal.set ? &p->proposal : NULL;
			c.wanted_group = -1;
			remedy_fill(f, &c);
		}
	}
}

/* ---- established SAs: liveness, ESP, restarts, crypto ---- */

static void
rule_invalid_ke(struct diag *d, struct tk_sa *sa)
{
	for (unsigned i = 0; i < sa->nattempts; i++) {
		const struct tk_attempt *a = &sa->attempts[i];
		if (a->reason != 17 || !sa->rspi_known)
			continue;
		const char *want = a->group >= 0 ? nt_short(NT_GROUP, (uint32_t)a->group) : NULL;
		const char *had =
		    a->offered_group >= 0 ? nt_short(NT_GROUP, (uint32_t)a->offered_group) : NULL;
		struct finding *f = raise(d, sa, "invalid_ke_retry", SEV_INFO, CONF_CERTAIN);
		say(f,
		    "The initiator sent its KE for %s, the responder asked for %s "
		    "(INVALID_KE_PAYLOAD), and the retry with %s went through: one round trip lost "
		    "on every new SA. Put %s first in the initiator's proposal.",
		    had ? had : "another group", want ? want : "another group", want ? want : "it",
		    want ? want : "that group");
		diag_frame(f, &a->ref);
		const struct tk_msg *req = first_label(sa, TL_SA_INIT_REQ);
		frames_of(f, req);
		fill_remedy(f, sa, TK_I);
		if (sa->nattempts > 2) {
			struct finding *g =
			    raise(d, sa, "invalid_ke_loop", SEV_WARNING, CONF_LIKELY);
			say(g, "IKE_SA_INIT restarted %u times.", sa->nattempts);
		}
		return;
	}
}

static void
rule_dead_peer(struct diag *d, struct tk_sa *sa)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	if (!sa->p1_done)
		return;
	if (sa->version == 2) {
		/* RFC 7296 1.4: an INFORMATIONAL request with an empty SK is a liveness check */
		const struct tk_msg *last = NULL;
		unsigned n = 0;
		for (unsigned i = 0; i < sa->nmsgs; i++) {
			const struct tk_msg *m = &sa->msgs[i];
			if (m->label != TL_INFO_REQ)
				continue;
			bool answered = false;
			for (unsigned k = i + 1; k < sa->nmsgs; k++)
				if (sa->msgs[k].label == TL_INFO_RESP &&
				    sa->msgs[k].msgid == m->msgid && sa->msgs[k].from != m->from)
					answered = true;
			if (!answered &&
			    (m->nretx > 0 || (m->first_payload == 0 && m->encrypted))) {
				last = m;
				n++;
			}
		}
		if (last && last->nretx >= 1) {
			struct finding *f = raise(d, sa, "dead_peer", SEV_ERROR, CONF_LIKELY);
			say(f, "%s sent %s (%u sends) and %s never answered.",
			    addr_of(sa, last->from, a, sizeof a),
			    last->first_payload == 0 ? "a liveness check (empty INFORMATIONAL)"
						     : "an INFORMATIONAL request",
			    sends(last), addr_of(sa, last->from ^ 1, b, sizeof b));
			frames_of(f, last);
			fill_remedy(f, sa, last->from ^ 1);
		}
		return;
	}
	/* IKEv1: DPD needs both sides' RFC 3706 vendor ID */
	if (!((sa->side[0].vid_flags & VIDF_DPD) && (sa->side[1].vid_flags & VIDF_DPD)))
		return;
	for (int s = 0; s < 2; s++) {
		if (sa->dpd_sent[s] >= 2 && sa->dpd_acked[s ^ 1] == 0) {
			struct finding *f = raise(d, sa, "dead_peer", SEV_ERROR, CONF_CERTAIN);
			say(f, "%s sent %u R-U-THERE and %s never acknowledged.",
			    addr_of(sa, s, a, sizeof a), sa->dpd_sent[s],
			    addr_of(sa, s ^ 1, b, sizeof b));
			fill_remedy(f, sa, s ^ 1);
			return;
		}
	}
	/* keyless: informationals from one side only, after the other fell silent */
	for (int s = 0; s < 2; s++) {
		tk_time other_last = 0;
		for (unsigned i = 0; i < sa->nmsgs; i++)
			if (sa->msgs[i].from == (s ^ 1) && last_tx(&sa->msgs[i]) > other_last)
				other_last = last_tx(&sa->msgs[i]);
		unsigned n = 0;
		const struct tk_msg *first = NULL, *lastm = NULL;
		for (unsigned i = 0; i < sa->nmsgs; i++) {
			const struct tk_msg *m = &sa->msgs[i];
			if (m->from == s && m->label == TL_INFO && m->ref.t > other_last) {
				n++;
				if (!first)
					first = m;
				lastm = m;
			}
		}
		if (n >= 3 && other_last && lastm->ref.t - first->ref.t >= 5000000LL) {
			struct finding *f = raise(d, sa, "dead_peer", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "After %s fell silent, %s sent %u informationals (DPD R-U-THERE, encrypted) "
			    "and got no answer.",
			    addr_of(sa, s ^ 1, b, sizeof b), addr_of(sa, s, a, sizeof a), n);
			for (unsigned i = 0; i < sa->nmsgs; i++)
				if (sa->msgs[i].from == s && sa->msgs[i].label == TL_INFO &&
				    sa->msgs[i].ref.t > other_last)
					frames_of(f, &sa->msgs[i]);
			fill_remedy(f, sa, s ^ 1);
			return;
		}
	}
}

static bool
p2_established(const struct tk_sa *sa)
{
	for (unsigned i = 0; i < sa->np2; i++)
		if (sa->p2[i].status == TS_ESTABLISHED)
			return true;
	return false;
}

static void
rule_esp(struct diag *d, struct tk_sa *sa, tk_time end)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	if (!sa->p1_done || sa->active_before)
		return;
	bool p2 = p2_established(sa);
	uint64_t ei = sa->esp_pkts[TK_I], er = sa->esp_pkts[TK_R];
	if ((ei >= 3 && er == 0) || (er >= 3 && ei == 0)) {
		int s = ei ? TK_I : TK_R;
		if (!tk_sees_both_directions(sa))
			return;
		struct finding *f = raise(d, sa, "esp_one_way", SEV_ERROR, CONF_LIKELY);
		say(f,
		    "%llu ESP packets from %s and none from %s, although the capture sees IKE "
		    "both ways: %s does not send into the tunnel (routing, NAT exemption, or its "
		    "ESP is dropped before the capture point).",
		    (unsigned long long)(ei ? ei : er), addr_of(sa, s, a, sizeof a),
		    addr_of(sa, s ^ 1, b, sizeof b), addr_of(sa, s ^ 1, b, sizeof b));
		diag_frame(f, &sa->esp_first);
		fill_remedy(f, sa, s ^ 1);
	} else if (p2 && ei == 0 && er == 0) {
		/* the last phase 2 set up: did the capture go on long enough? */
		tk_time up = 0;
		for (unsigned i = 0; i < sa->np2; i++)
			if (sa->p2[i].status == TS_ESTABLISHED && sa->p2[i].nframes)
				up = sa->p2[i].frames[sa->p2[i].nframes - 1].t;
		if (up && end - up >= 10000000LL) {
			/* not one ESP/AH packet anywhere: most likely a capture filtered
			 * to IKE, which cannot show blocked ESP */
			bool none = diag_esp_seen(d) == 0;
			struct finding *f = raise(d, sa, "esp_blocked",
						  none ? SEV_WARNING : SEV_ERROR, CONF_POSSIBLE);
			if (none)
				say(f,
				    "Phase 2 came up and the capture holds no ESP or AH at all in the "
				    "%.0f s it goes on: if it was not filtered to IKE (udp port 500 or "
				    "4500 only), nothing sends into the tunnel or ESP is filtered.",
				    (double)(end - up) / 1e6);
			else
				say(f,
				    "Phase 2 came up and no ESP was seen in either direction for the "
				    "%.0f s the capture goes on, while other tunnels' ESP was: nothing "
				    "sends into this one, or its ESP is filtered.",
				    (double)(end - up) / 1e6);
			for (unsigned i = 0; i < sa->np2; i++)
				if (sa->p2[i].status == TS_ESTABLISHED)
					for (unsigned k = 0; k < sa->p2[i].nframes; k++)
						diag_frame(f, &sa->p2[i].frames[k]);
			fill_remedy(f, sa, TK_R);
		}
	}
}

static void
rule_nat(struct diag *d, struct tk_sa *sa)
{
	char a[ADDR_STRLEN];
	if (sa->version != 1)
		return;
	for (int s = 0; s < 2; s++) {
		const struct tk_side_info *si = &sa->side[s];
		if (si->nat != 1 || si->floated || sa->side[s ^ 1].floated)
			continue;
		if (sa->step[TK_I] < 5 && !sa->p1_done)
			continue; /* the float happens at MM5 */
		struct finding *f = raise(d, sa, "natt_mode_mismatch", SEV_ERROR, CONF_LIKELY);
		say(f,
		    "The NAT-D hashes show %s behind NAT, but the SA stayed on UDP 500 instead of "
		    "moving to 4500: ESP will not cross the NAT (one side does not do NAT-T%s).",
		    addr_of(sa, s, a, sizeof a),
		    (sa->side[0].vid_flags & VIDF_NATT) && (sa->side[1].vid_flags & VIDF_NATT)
			? ""
			: ": only one side announced it");
		diag_frame(f, &si->nat_ref);
		fill_remedy(f, sa, s);
		return;
	}
}

static void
rule_weak(struct diag *d, struct tk_sa *sa)
{
	/* a scanner's offer is nobody's configuration; what a responder
	 * accepted from it is */
	if (is_scanner(sa) && !sa->chosen.set)
		return;
	const struct tk_xform *x = sa->chosen.set ? &sa->chosen : sa->noffer ? &sa->offer[0] : NULL;
	char w[300] = "";
	size_t o = 0;
#define ADD(s)                                                                                     \
	do {                                                                                       \
		int n_ = snprintf(w + o, sizeof w - o, "%s%s", o ? ", " : "", (s));                \
		if (n_ > 0 && (size_t)n_ < sizeof w - o)                                           \
			o += (size_t)n_;                                                           \
	} while (0)
	if (x) {
		if (sa->version == 1) {
			if (x->encr == 1)
				ADD("DES");
			if (x->encr == 5)
				ADD("3DES");
			if (x->hash == 1)
				ADD("MD5");
			if (x->hash == 2 && !is_psk(x->auth_method) && x->auth_method >= 2)
				ADD("SHA-1 signatures");
		} else {
			if (x->encr == 2)
				ADD("DES");
			if (x->encr == 3)
				ADD("3DES");
			if (x->encr == 11)
				ADD("ENCR_NULL");
			if (x->integ == 1 || x->integ == 6 || x->prf == 1)
				ADD("MD5");
		}
		if (x->group == 1 || x->group == 2 || x->group == 5 || x->group == 22 ||
		    x->group == 23 || x->group == 24) {
			char g[32];
			snprintf(g, sizeof g, "%s", nt_short(NT_GROUP, (uint32_t)x->group));
			ADD(g);
		}
	}
	for (unsigned i = 0; i < sa->np2; i++) {
		const struct tk_xform *p = &sa->p2[i].proposal;
		if (!p->set)
			continue;
		if (!p->v2 && p->transform == 11)
			ADD("ESP NULL encryption");
		if (!p->v2 && p->integ < 0 && p->proto == 3 &&
		    !(p->transform >= 14 && p->transform <= 20))
			ADD("ESP without integrity");
	}
	if (sa->mode == TM_AGGRESSIVE && is_psk(sa->auth_method))
		ADD("aggressive mode with a pre-shared key (the hash can be cracked offline)");
	if (sa->version == 1)
		ADD("IKEv1 itself (RFC 9395 deprecates it)");
#undef ADD
	if (!o)
		return;
	struct finding *f = raise(d, sa, "weak_crypto", SEV_INFO, CONF_CERTAIN);
	say(f, "Weak or deprecated: %s.", w);
	const struct tk_msg *m = first_label(sa, sa->version == 2 ? TL_SA_INIT_RESP : TL_MM2);
	if (!m)
		m = first_label(sa, TL_AM2);
	if (!m && sa->nmsgs)
		m = &sa->msgs[0];
	if (m)
		diag_frame(f, &m->ref);
	fill_remedy(f, sa, TK_R);
}

/* ---- what decryption proved ---- */

/*
 * With keys, phase-1 failures become exact: a side's hash that does not
 * verify with the PSK given for it, messages from one side that decrypt and
 * from the other that do not (IKEv1 keys depend on the PSK), or the notify
 * itself, read.
 */
static bool
rule_keyed_p1(struct diag *d, struct tk_sa *sa)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], nb[16];
	bool psk = is_psk(sa->auth_method);
	const char *who[2] = {"initiator", "responder"};
	struct finding *f;
	/* keys proven right for a side: its messages decrypt, or its hash verifies */
	bool good[2], bad[2];
	for (int s = 0; s < 2; s++) {
		good[s] = sa->decrypts[s] == 1 || sa->hash_ok[s] == 1;
		bad[s] = sa->decrypts[s] == 0 || sa->hash_ok[s] == 0;
	}

	/* the signer's hash verifies with the PSK it is configured with and not
	 * with the one its peer is configured with: the configurations differ */
	for (int s = 0; s < 2 && psk; s++) {
		if (sa->psk_own_ok[s] != 1 || sa->psk_peer_ok[s] != 0)
			continue;
		f = raise(d, sa, "psk_mismatch", SEV_ERROR, CONF_CERTAIN);
		say(f,
		    "The %s's (%s) %s verifies with the pre-shared key configured on the %s (%s) "
		    "and not with the one configured on the %s (%s): the two keys differ.",
		    who[s], addr_of(sa, s, a, sizeof a),
		    sa->version == 2 ? "AUTH payload"
		    : s		     ? "HASH_R"
				     : "HASH_I",
		    who[s], sa->psk_own_src[s], who[s ^ 1], sa->psk_peer_src[s]);
		diag_frame(f, &sa->hash_ref[s]);
		fill_remedy(f, sa, s ^ 1);
		return true;
	}
	/*
	 * IKEv1 keys (SKEYID, hence Ka and every hash) depend on the PSK: keys
	 * that are right for one side and wrong for the other mean the two
	 * sides hold different pre-shared keys.  (IKEv2 keys do not depend on
	 * the PSK; only its AUTH payload does.)
	 */
	for (int s = 0; s < 2 && psk; s++) {
		if (!good[s] || !bad[s ^ 1] || good[s ^ 1])
			continue;
		if (sa->version == 2 && sa->hash_ok[s ^ 1] != 0)
			continue;
		f = raise(d, sa, "psk_mismatch", SEV_ERROR, CONF_CERTAIN);
		if (sa->hash_ok[s ^ 1] == 0)
			say(f,
			    "The %s's (%s) %s does not verify with the keys that are right for the %s "
			    "(%s): the two gateways hold different pre-shared keys.",
			    who[s ^ 1], addr_of(sa, s ^ 1, b, sizeof b),
			    sa->version == 2 ? "AUTH payload"
			    : s		     ? "HASH_I"
					     : "HASH_R",
			    who[s], addr_of(sa, s, a, sizeof a));
		else
			say(f,
			    "Messages from the %s (%s) decrypt with this SA's keys, messages from the %s "
			    "(%s) do not: the two sides derived different keys, and with pre-shared-key "
			    "authentication the keys differ only when the pre-shared keys do.",
			    who[s], addr_of(sa, s, a, sizeof a), who[s ^ 1],
			    addr_of(sa, s ^ 1, b, sizeof b));
		diag_frame(f, sa->hash_ok[s ^ 1] == 0 ? &sa->hash_ref[s ^ 1]
						      : &sa->decrypt_fail_ref[s ^ 1]);
		fill_remedy(f, sa, s ^ 1);
		return true;
	}
	/* a side's hash fails with every PSK given for it */
	for (int s = 0; s < 2 && psk; s++) {
		if (sa->hash_ok[s] != 0 || good[s])
			continue;
		f = raise(d, sa, "psk_mismatch", SEV_ERROR, CONF_CERTAIN);
		say(f,
		    "The %s's (%s) %s does not verify with the pre-shared key(s) given: it uses "
		    "another PSK.",
		    who[s], addr_of(sa, s, a, sizeof a),
		    sa->version == 2 ? "AUTH payload"
		    : s		     ? "HASH_R"
				     : "HASH_I");
		diag_frame(f, &sa->hash_ref[s]);
		fill_remedy(f, sa, s);
		return true;
	}
	/* a decrypted refusal */
	for (unsigned i = 0; i < sa->nmsgs; i++) {
		const struct tk_msg *m = &sa->msgs[i];
		if (!m->decrypted)
			continue;
		if (m->label != TL_INFO && m->label != TL_AUTH_RESP && m->label != TL_INFO_REQ &&
		    m->label != TL_MM6 && m->label != TL_AM3)
			continue;
		uint16_t e = tk_msg_error_notify(m);
		if (!e)
			continue;
		int refused = m->from ^ 1;
		const char *nn = notify_name(sa, e, nb, sizeof nb);
		/* IKEv1 with a PSK: the refusal decrypted with the keys that are right
		 * for the refused side, so both hold the same PSK: it is the identity
		 * (or the policy for it) that was refused */
		bool same_psk =
		    sa->version == 1 && psk && good[refused] && sa->decrypts[m->from] == 1;
		/* IKEv2: the refused side's AUTH verifies with the key configured
		 * on the refusing side (same_psk), or at least with a PSK given
		 * for no side in particular (key_ok) */
		bool key_ok = false;
		if (sa->version == 2 && psk) {
			same_psk = sa->psk_peer_ok[refused] == 1;
			key_ok =
			    !same_psk && sa->hash_ok[refused] == 1 && sa->psk_peer_ok[refused] != 0;
		}
		if ((sa->version == 1 && e == 18) || (sa->version == 2 && e == 44) ||
		    ((e == 24 || e == 23) && (same_psk || key_ok))) {
			f = raise(d, sa, "id_mismatch", SEV_ERROR,
				  same_psk || e == 18 || e == 44 ? CONF_CERTAIN : CONF_LIKELY);
			char why[160] = "";
			if (same_psk && sa->version == 1)
				snprintf(
				    why, sizeof why,
				    " Both sides hold the same pre-shared key (each decrypts the "
				    "other).");
			else if (same_psk || key_ok)
				snprintf(
				    why, sizeof why,
				    " The %s's AUTH payload verifies with the pre-shared key %s: the "
				    "key is right.",
				    who[refused],
				    same_psk ? "the refusing side is configured with" : "given");
			if (sa->id_text[refused][0] && refused == TK_I && sa->id_wanted[0])
				say(f,
				    "The %s answered %s to %s, which asked for the responder identity "
				    "%s: it has no configuration for that pair of identities.%s",
				    who[m->from], nn, sa->id_text[refused], sa->id_wanted, why);
			else if (sa->id_text[refused][0] && refused == TK_R && sa->version == 2)
				say(f,
				    "The initiator refused the responder's identity %s: right after the "
				    "IKE_AUTH answer it sent %s in an INFORMATIONAL. It expects another "
				    "identity for this peer.%s",
				    sa->id_text[refused], nn, why);
			else if (sa->id_text[refused][0])
				say(f,
				    "The %s answered %s to the identity %s: it has no configuration for "
				    "that identity.%s",
				    who[m->from], nn, sa->id_text[refused], why);
			else
				say(f,
				    "The %s answered %s: the identity sent is not the one it expects.%s",
				    who[m->from], nn, why);
			if (key_ok)
				alt(f, "psk_mismatch");
		} else if (e == 24 || e == 23) {
			f = raise(d, sa, psk ? "psk_mismatch" : "auth_failed", SEV_ERROR,
				  psk ? CONF_LIKELY : CONF_CERTAIN);
			say(f, "The %s refused the %s's authentication (%s).", who[m->from],
			    who[refused], nn);
			alt(f, psk ? "id_mismatch" : "cert_id_mismatch");
			if (psk)
				proof(f, "the PSK of either side (--psk-file) checks the %s's %s",
				      who[refused], sa->version == 2 ? "AUTH payload" : "hash");
		} else {
			continue;
		}
		frames_of(f, m);
		fill_remedy(f, sa, m->from);
		return true;
	}
	return false;
}

/* Phase 2 with keys: the notify and both offers say which of the three. */
static bool
rule_keyed_p2(struct diag *d, struct tk_sa *sa, struct tk_p2 *p)
{
	if (!p->content || p->status != TS_REJECTED || !p->error_notify)
		return false;
	struct finding *f = NULL;
	uint16_t e = p->error_notify;
	bool pfs = p->pfs_group[0] >= 0;
	const char *what = sa->version == 2 ? "the CHILD SA" : "quick mode";
	if (e == 14) {
		if (pfs) {
			f = raise(d, sa, "pfs_mismatch", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "The peer refused %s with NO_PROPOSAL_CHOSEN; the offer (%s) asks for PFS "
			    "(a DH group in phase 2): the peer most likely does not use PFS, or another "
			    "group.",
			    what, p->offer_text[0] ? p->offer_text : "?");
			alt(f, "p2_proposal_mismatch");
		} else {
			f = raise(d, sa, "p2_proposal_mismatch", SEV_ERROR, CONF_LIKELY);
			say(f,
			    "The peer refused %s with NO_PROPOSAL_CHOSEN: none of the offered transforms "
			    "(%s, without PFS) is acceptable to it.",
			    what, p->offer_text[0] ? p->offer_text : "?");
			alt(f, "pfs_mismatch");
		}
	} else if (e == 18 || e == 38 || e == 39) {
		char nb[16];
		f = raise(d, sa, "proxy_id_mismatch", SEV_ERROR, CONF_CERTAIN);
		say(f,
		    "The peer refused %s with %s: it is not configured for %s <-> %s (the proxy IDs "
		    "/ traffic selectors must be mirror images on both ends).",
		    what, notify_name(sa, e, nb, sizeof nb), p->ts[0][0] ? p->ts[0] : "?",
		    p->ts[1][0] ? p->ts[1] : "?");
	} else if (e == 17) {
		f = raise(d, sa, "pfs_mismatch", SEV_ERROR, CONF_CERTAIN);
		say(f,
		    "The peer refused %s with INVALID_KE_PAYLOAD: it wants another DH group for PFS.",
		    what);
	} else {
		return false;
	}
	for (unsigned k = 0; k < p->nframes; k++)
		diag_frame(f, &p->frames[k]);
	struct remedy_ctx c;
	memset(&c, 0, sizeof c);
	c.version = sa->version;
	addr_of(sa, TK_I, c.peer_addr, sizeof c.peer_addr);
	addr_of(sa, TK_R, c.local_addr, sizeof c.local_addr);
	c.p2_offer = p->proposal.set ? &p->proposal : NULL;
	c.wanted_group = -1;
	remedy_fill(f, &c);
	return true;
}

/* ---- entry points ---- */

void
rules_sa(struct diag *d, struct tk_sa *sa)
{
	tk_time end = sa->last.t;
	if (!sa->p1_done &&
	    (sa->status == TS_FAILED || sa->status == TS_STALLED || sa->status == TS_IN_PROGRESS)) {
		bool decided = sa->status != TS_IN_PROGRESS;
		if (rule_keyed_p1(d, sa)) {
			/* decryption made it exact */
		} else if (!decided) {
			/* in progress: only a cleartext refusal is a finding yet */
			if (sa->version == 2 && !sa->rspi_known)
				rule_v2_setup(d, sa);
			else
				rule_p1_notify(d, sa);
		} else if (sa->version == 2) {
			rule_v2_setup(d, sa);
		} else if (sa->mode == TM_MAIN) {
			rule_v1_main(d, sa);
		} else if (sa->mode == TM_AGGRESSIVE) {
			rule_v1_aggressive(d, sa);
		}
	}
	if (sa->version == 2)
		rule_invalid_ke(d, sa);
	rule_p2(d, sa);
	rule_dead_peer(d, sa);
	if (sa->peer && sa->peer->last > end)
		end = sa->peer->last;
	rule_esp(d, sa, end);
	rule_nat(d, sa);
	rule_weak(d, sa);
	/* the same peers building and tearing down SAs again and again (a
	 * lifetime rekey replaces an SA; it is not a teardown) */
	if (sa->peer && sa->p1_done && !sa->active_before && sa->status == TS_DELETED &&
	    sa->last.t - sa->first.t < 120000000LL) {
		sa->peer->short_lived++;
		if (sa->peer->short_lived >= 3) {
			struct finding *f = raise(d, sa, "sa_flapping", SEV_WARNING, CONF_LIKELY);
			char a[ADDR_STRLEN], b[ADDR_STRLEN];
			say(f,
			    "%u IKE SAs between %s and %s came up and were deleted within two minutes "
			    "each.",
			    sa->peer->short_lived, addr_str(&sa->peer->a, a, sizeof a),
			    addr_str(&sa->peer->b, b, sizeof b));
			diag_frame(f, &sa->first);
		}
	}
}

void
rules_flow(struct diag *d, struct tk_flow *fl)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	struct finding *f;
	uint64_t span = fl->packets ? (uint64_t)(fl->seq_max - fl->seq_first) + 1 : 0;
	uint64_t gaps = span > fl->seq_unique ? span - fl->seq_unique : 0;
	if (!fl->sa_id) {
		f = diag_add(d, "esp_unknown_spi", SEV_WARNING, CONF_POSSIBLE, NULL, NULL);
		if (f) {
			say(f,
			    "%s %08x from %s to %s (%llu packets): no IKE negotiation between these "
			    "peers is in the capture (it happened before, or the SA is stale).",
			    fl->proto == 51 ? "AH SPI" : "ESP SPI", fl->spi,
			    addr_str(&fl->src, a, sizeof a), addr_str(&fl->dst, b, sizeof b),
			    (unsigned long long)fl->packets);
			f->has_esp = true;
			f->esp_spi = fl->spi;
			f->esp_dst = fl->dst;
			diag_frame(f, &fl->first);
		}
	}
	if (fl->replays) {
		f = diag_add(d, "esp_replay", SEV_WARNING, CONF_LIKELY, NULL, NULL);
		if (f) {
			say(f,
			    "SPI %08x to %s: %llu packets repeat a sequence number already seen (a "
			    "replay, or the capture saw the same packet twice).",
			    fl->spi, addr_str(&fl->dst, b, sizeof b),
			    (unsigned long long)fl->replays);
			f->has_esp = true;
			f->esp_spi = fl->spi;
			f->esp_dst = fl->dst;
			diag_frame(f, &fl->first);
		}
	}
	if (gaps) {
		f = diag_add(d, "esp_loss", SEV_WARNING, CONF_LIKELY, NULL, NULL);
		if (f) {
			say(f,
			    "SPI %08x to %s: %llu of %llu sequence numbers between %u and %u never showed "
			    "up: packets lost before the capture point (or dropped by the capture).",
			    fl->spi, addr_str(&fl->dst, b, sizeof b), (unsigned long long)gaps,
			    (unsigned long long)span, fl->seq_first, fl->seq_max);
			f->has_esp = true;
			f->esp_spi = fl->spi;
			f->esp_dst = fl->dst;
			diag_frame(f, &fl->first);
			diag_frame(f, &fl->last);
		}
	}
}

void
rules_finish(struct diag *d)
{
	(void)d;
}
