/*
 * kf_charon.c - keys from strongSwan charon logs at level 4 (ike and chd),
 * as its file logger writes them: text, or one JSON object per entry
 * (filelog "json = yes").
 *
 * Text lines look like
 *   2026-11-23 09:01:06.588 10[IKE] <lab|1> SKEYID_e => 32 bytes @ 0x7faae0001ec0
 *   2026-11-23 09:01:06.588 10[IKE] <lab|1>    0: 7B F4 D0 E7 ...  {...|..>.).,....
 * whatever comes before the "thread[GROUP] " tag (a timestamp, a syslog
 * header).  A JSON entry carries the same message in "msg" (a dump's lines
 * joined with \n) and the SA in "ikesa-uniqueid".
 *
 * How keys are tied to their SA.  "<name|N>" (ike_name = yes) prefixes each
 * line with the IKE SA's unique id N; lines are grouped by N, so SAs that
 * interleave in a busy log stay apart (the name changes from "<1>" to
 * "<lab|1>" once a config is chosen; N does not).  Within one id:
 *  - IKE keys: the DH secret, then SKEYID* / Ka / initial IV (IKEv1) or
 *    Sk_d, Sk_ai ... Sk_pr (IKEv2).  A second DH secret under the same id
 *    starts a new key set (an IKEv2 IKE SA rekey is derived in the old SA's
 *    context).
 *  - The SPIs/cookies are not printed as text.  They are read from dumps of
 *    data that starts with them: the NAT-D input ("natd_chunk": SPIi | SPIr |
 *    address | port, RFC 3947 / RFC 7296 2.23), IKEv1's HASH_I/HASH_R input
 *    (g^xi | g^xr | CKY-I | CKY-R | ..., RFC 2409 5: the cookies sit after
 *    the two KE values, whose length the selected DH group gives), and the
 *    IKEv2 AUTH input ("octets = message + ...": the IKE_SA_INIT message,
 *    whose header starts with the SPIs).  XXX An IKEv2 SA made by an IKE SA
 *    rekey has none of these dumps; its keys are skipped with a warning.
 *  - Algorithms: "selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/...".
 *  - CHILD SAs: "encryption|integrity initiator|responder key" dumps, then
 *    "adding inbound|outbound ESP SA" and "  SPI 0x..., src A dst B", one SA
 *    per direction.  Which key goes with which SPI: IKEv1 says it directly
 *    (the "initiator SA seed" starts with the protocol and the SPI of the
 *    initiator's key, RFC 2409 5.5); IKEv2 by role: the "initiator" keys
 *    protect traffic from the initiator of the exchange that made the SA
 *    (RFC 7296 2.17), and this daemon initiated it when the last message it
 *    parsed in that SA was a response.  UDP encapsulation when charon said
 *    a host is behind NAT, with the IKE ports last used.
 * Without ike_name there is no id: the log is read as one sequence, which
 * is right unless SAs interleave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/names.h"
#include "src/keys/keys_int.h"

#define CTX_MAX 64
#define DUMP_KEEP KX_MAX_DH

enum dump {
	D_NONE = 0,
	D_DH,
	D_SKEYID,
	D_SKEYID_D,
	D_SKEYID_A,
	D_SKEYID_E,
	D_KA,
	D_IV,
	D_SK_D,
	D_SK_AI,
	D_SK_AR,
	D_SK_EI,
	D_SK_ER,
	D_SK_PI,
	D_SK_PR,
	D_NATD,
	D_HASH_I,
	D_HASH_R,
	D_OCTETS,
	D_SEED_I,
	D_SEED_R,
	D_ENC_I,
	D_ENC_R,
	D_INT_I,
	D_INT_R,
};

static const struct {
	const char *label;
	enum dump d;
} labels[] = {
    {"shared Diffie Hellman secret", D_DH},
    {"SKEYID", D_SKEYID},
    {"SKEYID_d", D_SKEYID_D},
    {"SKEYID_a", D_SKEYID_A},
    {"SKEYID_e", D_SKEYID_E},
    {"encryption key Ka", D_KA},
    {"initial IV", D_IV},
    {"Sk_d secret", D_SK_D},
    {"Sk_ai secret", D_SK_AI},
    {"Sk_ar secret", D_SK_AR},
    {"Sk_ei secret", D_SK_EI},
    {"Sk_er secret", D_SK_ER},
    {"Sk_pi secret", D_SK_PI},
    {"Sk_pr secret", D_SK_PR},
    {"natd_chunk", D_NATD},
    {"HASH_I data", D_HASH_I},
    {"HASH_R data", D_HASH_R},
    {"octets = message + nonce + prf(Sk_px, IDx')", D_OCTETS},
    {"initiator SA seed", D_SEED_I},
    {"responder SA seed", D_SEED_R},
    {"encryption initiator key", D_ENC_I},
    {"encryption responder key", D_ENC_R},
    {"integrity initiator key", D_INT_I},
    {"integrity responder key", D_INT_R},
};

struct prop {
	bool known;
	uint32_t encr, integ;
	uint16_t bits, ke_len;
	bool esn;
};

/* The IKE SA being put together. */
struct acc {
	unsigned line; /* first key line */
	bool derived;  /* SKEYID* / Sk_* seen */
	uint8_t spii[8], spir[8];
	bool have_i, have_r;
	uint8_t dh[KX_MAX_DH];
	uint16_t dhlen;
	struct kx_bytes skeyid, skeyid_d, skeyid_a, skeyid_e, ka, iv;
	struct kx_bytes sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
	struct prop prop;
};

struct child {
	struct prop prop;
	struct kx_bytes ei, er, ai, ar;
	bool have_iseed, have_rseed;
	uint32_t iseed, rseed;
	bool used;   /* an SA was made from these keys */
	int pending; /* 1 inbound, 2 outbound: the next "SPI" line */
	uint8_t proto;
	unsigned line;
};

struct ctx {
	bool used;
	unsigned long uid;
	bool has_uid;
	unsigned stamp;
	struct acc a;
	struct prop ike_prop; /* the last "selected proposal: IKE:" */
	struct child c;
	bool we_initiated; /* the last parsed message was a response */
	bool nat;
	uint16_t lport, rport;
	/* the dump being read */
	enum dump d;
	size_t want, got, keep_off, keep_len;
	unsigned dline;
	uint8_t buf[DUMP_KEEP];
	unsigned nospi_warned;
	int entry_plus1; /* the store entry of this SA's own keys, + 1 (0: none yet) */
};

#define REKEY_MAX 64
struct cstate {
	struct ctx ctx[CTX_MAX];
	/* IKE SAs made by a rekey: their uid and the entry of their keys */
	struct {
		unsigned long uid;
		int entry;
	} rk[REKEY_MAX];
	unsigned nrk;
	unsigned stamp;
	unsigned nokeys_children;
};

/* ---- recognising ----------------------------------------------------------- */

/* Offset just past "NN[GRP] ", or 0.  *grp gets the group. */
static size_t
find_tag(const char *l, size_t n, const char **grp)
{
	size_t lim = n < 200 ? n : 200;
	for (size_t i = 1; i + 5 < lim; i++) {
		if (l[i] != '[' || l[i - 1] < '0' || l[i - 1] > '9')
			continue;
		size_t j = i + 1;
		while (j < n && j < i + 5 &&
		       ((l[j] >= 'A' && l[j] <= 'Z') || (l[j] >= '0' && l[j] <= '9')))
			j++;
		if (j - i - 1 < 3 || j + 1 >= n || l[j] != ']' || l[j + 1] != ' ')
			continue;
		*grp = l + i + 1;
		return j + 2;
	}
	return 0;
}

bool
kf_looks_charon(const char *line, size_t n)
{
	const char *g;
	return find_tag(line, n, &g) != 0;
}

bool
kf_looks_charon_json(const char *line, size_t n)
{
	size_t i = 0;
	while (i < n && kf_is_space(line[i]))
		i++;
	if (i >= n || line[i] != '{')
		return false;
	bool grp = false, msg = false;
	for (size_t k = i; k + 7 <= n; k++) {
		if (memcmp(line + k, "\"group\"", 7) == 0)
			grp = true;
		if (k + 5 <= n && memcmp(line + k, "\"msg\"", 5) == 0)
			msg = true;
	}
	return grp && msg;
}

/* ---- contexts -------------------------------------------------------------- */

static void
prop_parse(const char *p, size_t n, struct prop *pr)
{
	memset(pr, 0, sizeof *pr);
	const char *c = memchr(p, ':', n);
	if (c == NULL)
		return;
	size_t i = (size_t)(c - p) + 1;
	bool encr = false;
	while (i < n) {
		size_t b = i;
		while (i < n && p[i] != '/' && !kf_is_space(p[i]))
			i++;
		const char *t = p + b;
		size_t tl = i - b;
		uint32_t id;
		uint16_t bits;
		if (tl == 0) {
			/* nothing */
		} else if (kf_tok_eq(t, tl, "NO_EXT_SEQ")) {
			pr->esn = false;
		} else if (kf_tok_eq(t, tl, "EXT_SEQ")) {
			pr->esn = true;
		} else if (kf_starts(t, tl, "PRF_")) {
			/* the PRF is not stored */
		} else if (kf_swan_integ(t, tl, &id)) {
			pr->integ = id;
		} else if (!encr && kf_swan_encr(t, tl, &id, &bits)) {
			pr->encr = id;
			pr->bits = bits;
			encr = true;
		} else if (kf_swan_ke_len(t, tl)) {
			pr->ke_len = kf_swan_ke_len(t, tl);
		}
		if (i < n && kf_is_space(p[i]))
			break;
		i++;
	}
	pr->known = encr;
}

static void
acc_reset(struct acc *a)
{
	kf_wipe(a, sizeof *a);
}

/*
 * Hands the accumulated key set to the store.  rekey_parent >= 0: the set
 * belongs to an IKE SA made by rekeying the SA of entry rekey_parent (its
 * SPIs are nowhere in the log; the capture gives them); *entry gets the
 * store entry.
 */
static int
acc_commit_as(struct kf_src *s, struct ctx *x, int rekey_parent, int *entry)
{
	struct acc *a = &x->a;
	int rc = 0;
	*entry = -1;
	bool v1 = a->ka.n || a->skeyid.n || a->skeyid_e.n;
	bool v2 = a->sk_d.n || a->sk_ei.n || a->sk_er.n;
	char id[32];
	if (x->has_uid)
		snprintf(id, sizeof id, "IKE SA #%lu", x->uid);
	else
		snprintf(id, sizeof id, "an IKE SA");
	if (!v1 && !v2)
		goto out;
	if (!a->have_i && !(v2 && rekey_parent >= 0)) {
		kf_warn_at(s, a->line,
			   "keys of %s without its %s (the log has no NAT-D, HASH or AUTH dump "
			   "to read them from, as after an IKE SA rekey); skipped",
			   id, v1 ? "cookies" : "SPIs");
		goto out;
	}
	if (v1) {
		struct kx_ike1 e;
		memset(&e, 0, sizeof e);
		memcpy(e.icookie, a->spii, 8);
		memcpy(e.rcookie, a->spir, 8);
		e.have_rcookie = a->have_r;
		e.ka = a->ka;
		e.skeyid = a->skeyid;
		e.skeyid_d = a->skeyid_d;
		e.skeyid_a = a->skeyid_a;
		e.skeyid_e = a->skeyid_e;
		e.iv = a->iv;
		memcpy(e.gxy, a->dh, a->dhlen);
		e.gxy_len = a->dhlen;
		rc = kf_add_ike1(s, a->line, &e);
		kf_wipe(&e, sizeof e);
	} else {
		struct kx_ike2 e;
		memset(&e, 0, sizeof e);
		memcpy(e.spii, a->spii, 8);
		memcpy(e.spir, a->spir, 8);
		e.have_spir = a->have_r;
		const struct prop *pr = a->prop.known ? &a->prop : &x->ike_prop;
		if (pr->known) {
			struct nt_encr_info fi;
			e.encr = pr->encr;
			e.integ = pr->integ;
			e.key_bits = pr->bits;
			if (e.key_bits == 0 && nt_v2_encr_info(e.encr, &fi))
				e.key_bits = fi.fixed_key_bits;
			if (e.key_bits == 0 && a->sk_ei.n)
				e.key_bits = (uint16_t)((a->sk_ei.n - kf_salt_len(e.encr)) * 8);
			e.algs_known = true;
		}
		e.sk_d = a->sk_d;
		e.sk_ai = a->sk_ai;
		e.sk_ar = a->sk_ar;
		e.sk_ei = a->sk_ei;
		e.sk_er = a->sk_er;
		e.sk_pi = a->sk_pi;
		e.sk_pr = a->sk_pr;
		memcpy(e.gir, a->dh, a->dhlen);
		e.gir_len = a->dhlen;
		if (!a->have_i) {
			e.rekey_pending = true;
			e.rekey_parent = rekey_parent;
		}
		rc = kf_add_ike2_at(s, a->line, &e, entry);
		if (rc == 0 && a->have_i && *entry >= 0)
			x->entry_plus1 = *entry + 1;
		kf_wipe(&e, sizeof e);
	}
out:
	acc_reset(a);
	return rc;
}

static int
acc_commit(struct kf_src *s, struct ctx *x)
{
	int entry;
	return acc_commit_as(s, x, -1, &entry);
}

static int
ctx_close(struct kf_src *s, struct ctx *x)
{
	int rc = acc_commit(s, x);
	kf_wipe(x, sizeof *x);
	return rc;
}

static struct ctx *
ctx_get(struct kf_src *s, struct cstate *st, bool has_uid, unsigned long uid, int *rc)
{
	struct ctx *lru = NULL, *fresh = NULL;
	st->stamp++;
	for (unsigned i = 0; i < CTX_MAX; i++) {
		struct ctx *x = &st->ctx[i];
		if (!x->used) {
			if (fresh == NULL)
				fresh = x;
			continue;
		}
		if (x->has_uid == has_uid && x->uid == uid) {
			x->stamp = st->stamp;
			return x;
		}
		if (lru == NULL || x->stamp < lru->stamp)
			lru = x;
	}
	if (fresh == NULL) {
		/* the oldest SA is done with, in any log that has 64 busier ones */
		*rc = ctx_close(s, lru);
		fresh = lru;
	}
	memset(fresh, 0, sizeof *fresh);
	fresh->used = true;
	fresh->has_uid = has_uid;
	fresh->uid = uid;
	fresh->stamp = st->stamp;
	for (unsigned i = 0; has_uid && i < st->nrk; i++)
		if (st->rk[i].uid == uid)
			fresh->entry_plus1 = st->rk[i].entry + 1;
	return fresh;
}

/* ---- dumps ------------------------------------------------------------------ */

static int
store_bytes(struct kf_src *s, struct ctx *x, struct kx_bytes *b, const char *what)
{
	if (x->want > sizeof b->b) {
		kf_warn_at(s, x->dline, "%s is %zu bytes (more than %zu); ignored", what, x->want,
			   sizeof b->b);
		return 0;
	}
	memcpy(b->b, x->buf, x->want);
	b->n = (uint16_t)x->want;
	return 0;
}

static void
child_fresh(struct ctx *x)
{
	if (x->c.used) {
		struct prop keep = x->c.prop;
		kf_wipe(&x->c, sizeof x->c);
		x->c.prop = keep;
	}
}

static int
dump_done(struct kf_src *s, struct ctx *x)
{
	struct acc *a = &x->a;
	size_t k = x->keep_len;
	switch (x->d) {
	case D_DH:
		if (x->want > sizeof a->dh) {
			kf_warn_at(s, x->dline, "a DH secret of %zu bytes (more than %zu); ignored",
				   x->want, sizeof a->dh);
			return 0;
		}
		memcpy(a->dh, x->buf, x->want);
		a->dhlen = (uint16_t)x->want;
		return 0;
	case D_SKEYID:
		return store_bytes(s, x, &a->skeyid, "SKEYID");
	case D_SKEYID_D:
		return store_bytes(s, x, &a->skeyid_d, "SKEYID_d");
	case D_SKEYID_A:
		return store_bytes(s, x, &a->skeyid_a, "SKEYID_a");
	case D_SKEYID_E:
		return store_bytes(s, x, &a->skeyid_e, "SKEYID_e");
	case D_KA:
		return store_bytes(s, x, &a->ka, "Ka");
	case D_IV:
		return store_bytes(s, x, &a->iv, "the initial IV");
	case D_SK_D:
		return store_bytes(s, x, &a->sk_d, "SK_d");
	case D_SK_AI:
		return store_bytes(s, x, &a->sk_ai, "SK_ai");
	case D_SK_AR:
		return store_bytes(s, x, &a->sk_ar, "SK_ar");
	case D_SK_EI:
		return store_bytes(s, x, &a->sk_ei, "SK_ei");
	case D_SK_ER:
		return store_bytes(s, x, &a->sk_er, "SK_er");
	case D_SK_PI:
		return store_bytes(s, x, &a->sk_pi, "SK_pi");
	case D_SK_PR:
		return store_bytes(s, x, &a->sk_pr, "SK_pr");
	case D_NATD:
	case D_OCTETS:
	case D_HASH_I:
	case D_HASH_R: {
		if (k < 16)
			return 0;
		const uint8_t *ci = x->buf, *cr = x->buf + 8;
		if (x->d == D_HASH_R) {
			ci = x->buf + 8;
			cr = x->buf;
		}
		if (kf_all_zero(ci, 8))
			return 0;
		if (!a->have_i) {
			memcpy(a->spii, ci, 8);
			a->have_i = true;
		}
		if (!a->have_r && !kf_all_zero(cr, 8) && memcmp(a->spii, ci, 8) == 0) {
			memcpy(a->spir, cr, 8);
			a->have_r = true;
		}
		return 0;
	}
	case D_SEED_I:
	case D_SEED_R:
		if (k >= 5) {
			uint32_t spi = (uint32_t)x->buf[1] << 24 | (uint32_t)x->buf[2] << 16 |
				       (uint32_t)x->buf[3] << 8 | x->buf[4];
			if (x->d == D_SEED_I) {
				x->c.iseed = spi;
				x->c.have_iseed = true;
			} else {
				x->c.rseed = spi;
				x->c.have_rseed = true;
			}
		}
		return 0;
	case D_ENC_I:
		return store_bytes(s, x, &x->c.ei, "the initiator's encryption key");
	case D_ENC_R:
		return store_bytes(s, x, &x->c.er, "the responder's encryption key");
	case D_INT_I:
		return store_bytes(s, x, &x->c.ai, "the initiator's integrity key");
	case D_INT_R:
		return store_bytes(s, x, &x->c.ar, "the responder's integrity key");
	default:
		return 0;
	}
}

/* "LABEL => N bytes @ 0xADDR" */
static int
dump_start(struct kf_src *s, struct ctx *x, const char *m, size_t n)
{
	const char *arrow = NULL;
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(m + i, " => ", 4) == 0) {
			arrow = m + i;
			break;
		}
	if (arrow == NULL)
		return 0;
	size_t ll = (size_t)(arrow - m);
	const char *p = arrow + 4, *end = m + n, *t, *u;
	size_t tl, ul;
	unsigned long want;
	if (!kf_token(&p, end, &t, &tl) || !kf_uint(t, tl, 1u << 20, &want) ||
	    !kf_token(&p, end, &u, &ul) || !kf_tok_eq(u, ul, "bytes"))
		return 0;
	enum dump d = D_NONE;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (kf_tok_eq(m, ll, labels[i].label))
			d = labels[i].d;
	x->d = d;
	x->want = want;
	x->got = 0;
	x->keep_off = 0;
	x->keep_len = want < DUMP_KEEP ? want : DUMP_KEEP;
	x->dline = s->lineno;
	if (d == D_NONE || want == 0) {
		x->d = D_NONE;
		return 0;
	}
	switch (d) {
	case D_DH:
		/* a new key set under the same id: the previous one is complete */
		if (x->a.derived && acc_commit(s, x) < 0)
			return -1;
		if (!x->a.line)
			x->a.line = s->lineno;
		x->a.prop = x->ike_prop;
		break;
	case D_SKEYID:
	case D_SKEYID_D:
	case D_SKEYID_A:
	case D_SKEYID_E:
	case D_KA:
	case D_SK_D:
	case D_SK_AI:
	case D_SK_AR:
	case D_SK_EI:
	case D_SK_ER:
	case D_SK_PI:
	case D_SK_PR:
		if (!x->a.line)
			x->a.line = s->lineno;
		x->a.derived = true;
		break;
	case D_NATD:
	case D_OCTETS:
		x->keep_len = want >= 16 ? 16 : 0;
		break;
	case D_HASH_I:
	case D_HASH_R: {
		uint16_t ke = x->a.prop.ke_len ? x->a.prop.ke_len : x->ike_prop.ke_len;
		if (ke == 0)
			ke = x->a.dhlen;
		x->keep_off = 2u * ke;
		x->keep_len = ke && want >= x->keep_off + 16 ? 16 : 0;
		break;
	}
	case D_SEED_I:
	case D_SEED_R:
		/* IKEv1: protocol | SPI | Ni | Nr */
		child_fresh(x);
		x->keep_len = want >= 5 ? 5 : 0;
		break;
	case D_ENC_I:
	case D_ENC_R:
	case D_INT_I:
	case D_INT_R:
		child_fresh(x);
		if (!x->c.line)
			x->c.line = s->lineno;
		break;
	default:
		break;
	}
	return 0;
}

static int
hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "   16: C5 43 65 ...  ASCII".  Returns 1 if it was a dump line. */
static int
dump_line(struct kf_src *s, struct ctx *x, const char *m, size_t n)
{
	size_t i = 0;
	while (i < n && m[i] == ' ')
		i++;
	size_t b = i;
	while (i < n && m[i] >= '0' && m[i] <= '9')
		i++;
	if (i == b || i >= n || m[i] != ':')
		return 0;
	unsigned long off;
	if (!kf_uint(m + b, i - b, 1u << 20, &off))
		return 0;
	i++;
	if (x->d == D_NONE && x->want == 0)
		return 1;
	if (off != x->got) {
		/* not the dump we were reading: forget it */
		x->d = D_NONE;
		x->want = x->got = 0;
		return 1;
	}
	size_t take = x->want - x->got < 16 ? x->want - x->got : 16;
	for (size_t k = 0; k < take; k++) {
		if (i + 3 > n || m[i] != ' ' || hexv(m[i + 1]) < 0 || hexv(m[i + 2]) < 0) {
			x->d = D_NONE;
			x->want = x->got = 0;
			return 1;
		}
		uint8_t v = (uint8_t)(hexv(m[i + 1]) << 4 | hexv(m[i + 2]));
		size_t pos = x->got + k;
		if (pos >= x->keep_off && pos < x->keep_off + x->keep_len)
			x->buf[pos - x->keep_off] = v;
		i += 3;
	}
	x->got += take;
	if (x->got == x->want) {
		int rc = x->d != D_NONE ? dump_done(s, x) : 0;
		kf_wipe(x->buf, sizeof x->buf);
		x->d = D_NONE;
		x->want = x->got = 0;
		return rc < 0 ? -1 : 1;
	}
	return 1;
}

/* ---- other messages ------------------------------------------------------------ */

/* "  SPI 0xc6c29fcf, src 203.0.113.20 dst 192.0.2.10" after "adding ... SA" */
static int
child_sa(struct kf_src *s, struct cstate *st, struct ctx *x, const char *m, size_t n)
{
	const char *p = m, *end = m + n, *t;
	size_t tl;
	struct kx_esp e;
	memset(&e, 0, sizeof e);
	int dir = x->c.pending;
	x->c.pending = 0;
	if (!kf_token(&p, end, &t, &tl) || !kf_tok_eq(t, tl, "SPI") || !kf_token(&p, end, &t, &tl))
		return 0;
	if (tl && t[tl - 1] == ',')
		tl--;
	if (!kf_spi32(t, tl, &e.spi))
		return 0;
	while (kf_token(&p, end, &t, &tl)) {
		struct addr *a = kf_tok_eq(t, tl, "src")   ? &e.src
				 : kf_tok_eq(t, tl, "dst") ? &e.dst
							   : NULL;
		if (a == NULL || !kf_token(&p, end, &t, &tl))
			continue;
		const char *br = memchr(t, '[', tl);
		if (br)
			tl = (size_t)(br - t);
		if (tl && t[tl - 1] == ',')
			tl--;
		kf_addr(t, tl, a);
	}
	e.proto = x->c.proto ? x->c.proto : 50;
	/* whose keys: IKEv1 names the SPI in the seed, IKEv2 goes by role */
	bool ikeys;
	if (x->c.have_iseed && e.spi == x->c.iseed)
		ikeys = true;
	else if (x->c.have_rseed && e.spi == x->c.rseed)
		ikeys = false;
	else
		ikeys = (dir == 2) == x->we_initiated;
	const struct kx_bytes *ek = ikeys ? &x->c.ei : &x->c.er, *ak = ikeys ? &x->c.ai : &x->c.ar;
	int rc = 0;
	if (ek->n == 0 && ak->n == 0) {
		st->nokeys_children++;
		goto out;
	}
	e.ekey = *ek;
	e.akey = *ak;
	const struct prop *pr = &x->c.prop;
	if (!pr->known) {
		kf_warn(s,
			"SA 0x%08x: no \"selected proposal\" line before it, the algorithms are "
			"unknown; skipped",
			e.spi);
		goto out;
	}
	e.encr = pr->encr;
	e.integ = pr->integ;
	e.esn = pr->esn;
	char msg[200];
	if (!kf_check_ekey(e.encr, pr->bits, e.ekey.n, &e.key_bits, msg, sizeof msg)) {
		kf_warn(s, "SA 0x%08x: %s; skipped", e.spi, msg);
		goto out;
	}
	struct nt_encr_info fi;
	uint16_t icv = 0, kl = 0;
	if (nt_v2_encr_info(e.encr, &fi) && fi.aead)
		e.icv_len = fi.icv_len;
	else if (nt_v2_integ_info(e.integ, &icv, &kl))
		e.icv_len = icv;
	if (x->nat) {
		e.udp_encap = true;
		e.sport = dir == 2 ? x->lport : x->rport;
		e.dport = dir == 2 ? x->rport : x->lport;
	}
	x->c.used = true;
	rc = kf_add_esp(s, x->c.line ? x->c.line : s->lineno, &e);
out:
	kf_wipe(&e, sizeof e);
	return rc;
}

/* "sending packet: from A[p] to B[q] (N bytes)" */
static void
endpoints(struct ctx *x, const char *m, size_t n, bool sending)
{
	const char *p = m, *end = m + n, *t;
	size_t tl;
	unsigned long port[2] = {0, 0};
	int k = 0;
	while (k < 2 && kf_token(&p, end, &t, &tl)) {
		const char *b = memchr(t, '[', tl);
		if (b == NULL || t[tl - 1] != ']')
			continue;
		if (!kf_uint(b + 1, (size_t)(t + tl - 1 - (b + 1)), 65535, &port[k]))
			return;
		k++;
	}
	if (k != 2)
		return;
	x->lport = (uint16_t)(sending ? port[0] : port[1]);
	x->rport = (uint16_t)(sending ? port[1] : port[0]);
}

static int
message(struct kf_src *s, struct cstate *st, struct ctx *x, const char *m, size_t n)
{
	int r = dump_line(s, x, m, n);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (x->c.pending) {
		int rc = child_sa(s, st, x, m, n);
		if (rc < 0)
			return -1;
		if (kf_starts(m, n, "  SPI"))
			return 0;
	}
	if (kf_starts(m, n, "IKE_SA ") && x->entry_plus1 && x->a.derived && !x->a.have_i) {
		/* "IKE_SA lab[2] rekeyed between ...": the keys just derived in
		 * this (old) SA's context are the new SA's */
		const char *b = memchr(m, '[', n), *rk = NULL;
		for (size_t i = 0; i + 17 <= n && !rk; i++)
			if (memcmp(m + i, "] rekeyed between", 17) == 0)
				rk = m + i;
		if (b && rk && b < rk) {
			unsigned long uid = 0;
			for (const char *p = b + 1; p < rk && *p >= '0' && *p <= '9'; p++)
				uid = uid * 10 + (unsigned long)(*p - '0');
			int entry;
			if (acc_commit_as(s, x, x->entry_plus1 - 1, &entry) < 0)
				return -1;
			if (entry >= 0 && st->nrk < REKEY_MAX) {
				st->rk[st->nrk].uid = uid;
				st->rk[st->nrk].entry = entry;
				st->nrk++;
			}
			return 0;
		}
	}
	if (kf_starts(m, n, "selected proposal: IKE:")) {
		prop_parse(m + 19, n - 19, &x->ike_prop);
		return 0;
	}
	if (kf_starts(m, n, "selected proposal: ESP:") ||
	    kf_starts(m, n, "selected proposal: AH:")) {
		child_fresh(x);
		prop_parse(m + 19, n - 19, &x->c.prop);
		if (kf_starts(m, n, "selected proposal: AH:")) {
			/* AH: integrity only */
			x->c.prop.known = true;
			x->c.prop.encr = 0;
		}
		return 0;
	}
	if (kf_starts(m, n, "adding inbound ") || kf_starts(m, n, "adding outbound ")) {
		x->c.pending = m[7] == 'i' ? 1 : 2;
		x->c.proto =
		    kf_starts(m + (m[7] == 'i' ? 15 : 16), n - (m[7] == 'i' ? 15u : 16u), "AH")
			? 51
			: 50;
		return 0;
	}
	if (kf_starts(m, n, "parsed ")) {
		/* "parsed IKE_AUTH response 1 [ ... ]" */
		const char *p = m + 7, *end = m + n, *t;
		size_t tl;
		if (kf_token(&p, end, &t, &tl) && kf_token(&p, end, &t, &tl)) {
			if (kf_tok_eq(t, tl, "response"))
				x->we_initiated = true;
			else if (kf_tok_eq(t, tl, "request"))
				x->we_initiated = false;
		}
		return 0;
	}
	if (kf_starts(m, n, "sending packet: from ")) {
		endpoints(x, m + 21, n - 21, true);
		return 0;
	}
	if (kf_starts(m, n, "received packet: from ")) {
		endpoints(x, m + 22, n - 22, false);
		return 0;
	}
	if (kf_starts(m, n, "local host is behind NAT") ||
	    kf_starts(m, n, "remote host is behind NAT") ||
	    kf_starts(m, n, "faking NAT situation")) {
		x->nat = true;
		return 0;
	}
	return dump_start(s, x, m, n);
}

/* ---- the two file forms ------------------------------------------------------ */

/* "<lab|1> " at the start of a message: the SA's unique id. */
static const char *
strip_uid(const char *m, size_t n, bool *has, unsigned long *uid)
{
	*has = false;
	if (n < 3 || m[0] != '<')
		return m;
	const char *gt = memchr(m, '>', n);
	if (gt == NULL || (size_t)(gt - m) + 1 >= n || gt[1] != ' ')
		return m;
	const char *b = gt;
	while (b > m + 1 && b[-1] >= '0' && b[-1] <= '9')
		b--;
	if (b == gt || (b != m + 1 && b[-1] != '|'))
		return m;
	if (!kf_uint(b, (size_t)(gt - b), 0xffffffffUL, uid))
		return m;
	*has = true;
	return gt + 2;
}

static int
text_line(struct kf_src *s, struct cstate *st)
{
	const char *g;
	size_t off = find_tag(s->line, s->n, &g);
	if (off == 0)
		return 0;
	bool has;
	unsigned long uid = 0;
	const char *m = strip_uid(s->line + off, s->n - off, &has, &uid);
	int rc = 0;
	struct ctx *x = ctx_get(s, st, has, uid, &rc);
	if (rc < 0)
		return -1;
	return message(s, st, x, m, (size_t)(s->line + s->n - m));
}

/* A JSON string at *p (after the opening quote) decoded into out; returns
 * the length, or -1.  Escapes: \n \t \r \\ \" \/ \b \f and \u00XX. */
static long
json_str(const char **p, const char *end, char *out, size_t cap)
{
	size_t o = 0;
	const char *q = *p;
	while (q < end && *q != '"') {
		char c = *q++;
		if (c == '\\') {
			if (q >= end)
				return -1;
			char e = *q++;
			switch (e) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u':
				if (end - q < 4 || hexv(q[0]) != 0 || hexv(q[1]) != 0 ||
				    hexv(q[2]) < 0 || hexv(q[3]) < 0)
					return -1;
				c = (char)(hexv(q[2]) << 4 | hexv(q[3]));
				q += 4;
				break;
			default:
				c = e;
				break;
			}
		}
		if (out) {
			if (o + 1 >= cap)
				return -1;
			out[o] = c;
		}
		o++;
	}
	if (q >= end)
		return -1;
	*p = q + 1;
	if (out)
		out[o] = '\0';
	return (long)o;
}

static int
json_line(struct kf_src *s, struct cstate *st)
{
	const char *p = s->line, *end = s->line + s->n;
	while (p < end && kf_is_space(*p))
		p++;
	if (p >= end)
		return 0;
	if (*p != '{')
		return kf_fail(s, "not a JSON object (expected one charon log entry per line)");
	p++;
	bool has_uid = false, has_msg = false;
	unsigned long uid = 0;
	long mlen = 0;
	char key[32];
	for (;;) {
		while (p < end && (kf_is_space(*p) || *p == ','))
			p++;
		if (p < end && *p == '}')
			break;
		if (p >= end || *p != '"')
			return kf_fail(
			    s, "a JSON object that is cut or malformed (expected \"key\":value)");
		p++;
		const char *kb = p;
		if (json_str(&p, end, NULL, 0) < 0)
			return kf_fail(s, "a JSON key is not closed");
		size_t kl = (size_t)(p - 1 - kb);
		snprintf(key, sizeof key, "%.*s", (int)(kl < sizeof key ? kl : sizeof key - 1), kb);
		while (p < end && kf_is_space(*p))
			p++;
		if (p >= end || *p != ':')
			return kf_fail(s, "a JSON key without a value");
		p++;
		while (p < end && kf_is_space(*p))
			p++;
		if (p < end && *p == '"') {
			p++;
			if (strcmp(key, "msg") == 0) {
				mlen = json_str(&p, end, s->scratch, sizeof s->scratch);
				if (mlen < 0)
					return kf_fail(s,
						       "the msg string is not closed or too long");
				has_msg = true;
			} else if (strcmp(key, "ikesa-uniqueid") == 0) {
				const char *vb = p;
				if (json_str(&p, end, NULL, 0) < 0)
					return kf_fail(s, "a JSON string is not closed");
				has_uid = kf_uint(vb, (size_t)(p - 1 - vb), 0xffffffffUL, &uid);
			} else if (json_str(&p, end, NULL, 0) < 0) {
				return kf_fail(s, "a JSON string is not closed");
			}
		} else {
			const char *vb = p;
			while (p < end && *p != ',' && *p != '}')
				p++;
			if (strcmp(key, "ikesa-uniqueid") == 0)
				has_uid = kf_uint(vb, (size_t)(p - vb), 0xffffffffUL, &uid);
		}
	}
	if (!has_msg)
		return 0;
	int rc = 0;
	struct ctx *x = ctx_get(s, st, has_uid, uid, &rc);
	if (rc < 0)
		return -1;
	/* one message, one line per \n (a dump) */
	const char *m = s->scratch, *mend = s->scratch + mlen;
	while (m <= mend) {
		const char *nl = memchr(m, '\n', (size_t)(mend - m));
		size_t ln = nl ? (size_t)(nl - m) : (size_t)(mend - m);
		if (message(s, st, x, m, ln) < 0)
			return -1;
		if (nl == NULL)
			break;
		m = nl + 1;
	}
	return 0;
}

int
kf_parse_charon(struct kf_src *s, bool json)
{
	struct cstate *st = calloc(1, sizeof *st);
	if (st == NULL)
		return kf_fail_at(s, 0, "out of memory");
	int r, rc = 0;
	while ((r = kf_next_line(s)) > 0) {
		rc = json ? json_line(s, st) : text_line(s, st);
		kf_wipe(s->scratch, sizeof s->scratch);
		if (rc < 0)
			break;
	}
	if (r < 0)
		rc = -1;
	for (unsigned i = 0; i < CTX_MAX; i++)
		if (st->ctx[i].used) {
			int c = ctx_close(s, &st->ctx[i]);
			if (rc == 0)
				rc = c;
		}
	if (rc == 0 && st->nokeys_children && s->added)
		kf_warn_at(s, 0,
			   "%u CHILD SA directions without key dumps (chd below level 4 when they "
			   "were made?) were skipped",
			   st->nokeys_children);
	kf_wipe(st, sizeof *st);
	free(st);
	return rc;
}
