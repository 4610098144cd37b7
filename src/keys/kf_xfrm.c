/*
 * kf_xfrm.c - `ip xfrm state` (and `ip -s xfrm state`) output.
 *
 *   src 192.0.2.10 dst 203.0.113.20
 *   	proto esp spi 0xc5fa69fd reqid 1 mode tunnel
 *   	replay-window 0 flag af-unspec esn
 *   	auth-trunc hmac(sha256) 0x5ccf...5a 128
 *   	enc cbc(aes) 0xe15c...55
 *   	encap type espinudp sport 4500 dport 4500 addr 0.0.0.0
 *
 * A state starts at an unindented "src A dst B" line; its other lines are
 * indented.  The traps (PROTOCOL-NOTES.md "Key files"): "auth" without
 * "-trunc" means the kernel's default truncation, which for hmac(sha256) is
 * 96 bits (the pre-RFC 4868 draft), not 128; aead keys (rfc4106 GCM,
 * rfc7539esp ChaCha20-Poly1305) end with the 4-byte salt, rfc4309 CCM with
 * 3, and the number after an aead key is the ICV length in bits; "flag esn"
 * is extended sequence numbers.  `ip -s` adds "(N bits)" after keys, skipped.
 * A state without keys (nokeys, or no privileges) or with an algorithm that
 * has no IKEv2 id (cbc(twofish)) is skipped with a warning; IPComp states
 * are skipped silently.
 */
#include <string.h>

#include "dissect/names.h"
#include "src/keys/keys_int.h"

struct xst {
	bool open;
	unsigned line;
	struct kx_esp e;
	bool skip; /* IPComp, or an algorithm already warned about */
	bool have_proto;
	bool have_enc; /* enc or aead seen */
};

static const struct {
	const char *name;
	uint32_t id;
} xfrm_enc[] = {
    {"cbc(aes)", 12},	       {"aes", 12},	    {"cbc(des3_ede)", 3},
    {"des3_ede", 3},	       {"cbc(des)", 2},	    {"des", 2},
    {"rfc3686(ctr(aes))", 13}, {"cbc(cast5)", 6},   {"cast5", 6},
    {"cbc(blowfish)", 7},      {"blowfish", 7},	    {"cbc(camellia)", 23},
    {"ecb(cipher_null)", 11},  {"cipher_null", 11},
};

/* name, ICV bits as given (0: "auth", the kernel's default), IKEv2 id */
static const struct {
	const char *name;
	unsigned bits;
	uint32_t id;
} xfrm_auth[] = {
    {"hmac(md5)", 96, 1},
    {"hmac(md5)", 128, 6},
    {"hmac(sha1)", 96, 2},
    {"hmac(sha1)", 160, 7},
    {"hmac(sha256)", 96, NT_INTEG_HMAC_SHA2_256_96},
    {"hmac(sha256)", 128, 12},
    {"hmac(sha384)", 192, 13},
    {"hmac(sha512)", 256, 14},
    {"xcbc(aes)", 96, 5},
    {"cmac(aes)", 96, 8},
    {"hmac(rmd160)", 96, NT_INTEG_HMAC_RIPEMD160_96},
    {"digest_null", 0, 0},
};

/* Linux's default truncation for plain "auth" (net/xfrm/xfrm_algo.c). */
static unsigned
default_trunc(const char *n, size_t l)
{
	if (kf_tok_eq(n, l, "hmac(sha384)"))
		return 192;
	if (kf_tok_eq(n, l, "hmac(sha512)"))
		return 256;
	if (kf_tok_eq(n, l, "digest_null"))
		return 0;
	return 96;
}

static int
commit(struct kf_src *s, struct xst *x)
{
	int rc = 0;
	if (!x->open)
		return 0;
	if (!x->skip && x->have_proto) {
		if (!x->have_enc && x->e.proto == 50) {
			kf_warn_at(s, x->line,
				   "ESP state SPI 0x%08x without a cipher key (ip xfrm state run "
				   "without privileges, or with nokeys?); skipped",
				   x->e.spi);
		} else if (x->e.integ && x->e.akey.n == 0 && !(x->e.integ > NT_INTEG_ANY_BASE)) {
			kf_warn_at(s, x->line,
				   "state SPI 0x%08x without its integrity key; skipped", x->e.spi);
		} else {
			if (!x->e.icv_len) {
				uint16_t icv = 0, kl = 0;
				nt_v2_integ_info(x->e.integ, &icv, &kl);
				x->e.icv_len = icv;
			}
			rc = kf_add_esp(s, x->line, &x->e);
		}
	}
	kf_wipe(x, sizeof *x);
	return rc;
}

/* The key token after an algorithm name: "0x..." (or absent). */
static int
key_tok(struct kf_src *s, const char **p, const char *end, const char *what, struct kx_bytes *out,
	bool *present)
{
	const char *t;
	size_t tl;
	const char *save = *p;
	*present = false;
	if (!kf_token(p, end, &t, &tl))
		return 0;
	if (!(tl >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))) {
		*p = save;
		return 0;
	}
	*present = true;
	return kf_hex_bytes(s, what, t, tl, out);
}

/* The next token that is not "(N bits)". */
static bool
next_num(const char **p, const char *end, unsigned long *v)
{
	const char *t;
	size_t tl;
	while (kf_token(p, end, &t, &tl)) {
		if (t[0] == '(' || kf_tok_eq(t, tl, "bits)"))
			continue;
		return kf_uint(t, tl, 65535, v);
	}
	return false;
}

static int
state_line(struct kf_src *s, struct xst *x, const char *p, const char *end)
{
	const char *t, *a;
	size_t tl, al;
	char sh[64];
	if (!kf_token(&p, end, &t, &tl))
		return 0;
	if (kf_tok_eq(t, tl, "proto")) {
		if (!kf_token(&p, end, &a, &al))
			return kf_fail(s,
				       "proto without a protocol (expected proto esp spi 0x...)");
		if (kf_tok_eq(a, al, "esp"))
			x->e.proto = 50;
		else if (kf_tok_eq(a, al, "ah"))
			x->e.proto = 51;
		else {
			x->skip = true; /* comp, route2, hao */
			return 0;
		}
		x->have_proto = true;
		while (kf_token(&p, end, &a, &al))
			if (kf_tok_eq(a, al, "spi")) {
				if (!kf_token(&p, end, &a, &al) || !kf_spi32(a, al, &x->e.spi))
					return kf_fail(s, "a bad SPI (expected spi 0x and 8 hex "
							  "digits)");
			}
		return 0;
	}
	if (kf_tok_eq(t, tl, "replay-window") || kf_tok_eq(t, tl, "flag")) {
		while (kf_token(&p, end, &a, &al))
			if (kf_tok_eq(a, al, "esn"))
				x->e.esn = true;
		return 0;
	}
	if (kf_tok_eq(t, tl, "encap")) {
		unsigned long v;
		x->e.udp_encap = true;
		while (kf_token(&p, end, &a, &al)) {
			if (kf_tok_eq(a, al, "sport") && next_num(&p, end, &v) && v < 65536)
				x->e.sport = (uint16_t)v;
			else if (kf_tok_eq(a, al, "dport") && next_num(&p, end, &v) && v < 65536)
				x->e.dport = (uint16_t)v;
		}
		return 0;
	}
	bool enc = kf_tok_eq(t, tl, "enc"), aead = kf_tok_eq(t, tl, "aead");
	bool auth = kf_tok_eq(t, tl, "auth"), trunc = kf_tok_eq(t, tl, "auth-trunc");
	if (!enc && !aead && !auth && !trunc)
		return 0; /* sel, lifetime, stats, anti-replay, output-mark, ... */
	if (x->skip)
		return 0;
	if (!kf_token(&p, end, &a, &al))
		return kf_fail(s, "%.*s without an algorithm (expected %.*s NAME 0xKEY)", (int)tl,
			       t, (int)tl, t);
	bool present = false;
	if (enc || aead) {
		if (key_tok(s, &p, end, "the cipher key", &x->e.ekey, &present) < 0)
			return -1;
		if (!present)
			return 0; /* no key shown: the state is skipped at its end */
		unsigned long icvbits = 0;
		bool found = false;
		if (enc) {
			for (size_t i = 0; i < sizeof xfrm_enc / sizeof xfrm_enc[0]; i++)
				if (kf_tok_eq(a, al, xfrm_enc[i].name)) {
					x->e.encr = xfrm_enc[i].id;
					found = true;
				}
		} else {
			if (!next_num(&p, end, &icvbits))
				return kf_fail(s,
					       "an aead key without its ICV length (expected aead "
					       "NAME 0xKEY ICV_BITS)");
			if (kf_tok_eq(a, al, "rfc4106(gcm(aes))") &&
			    (icvbits == 64 || icvbits == 96 || icvbits == 128)) {
				x->e.encr = icvbits == 64 ? 18u : icvbits == 96 ? 19u : 20u;
				found = true;
			} else if (kf_tok_eq(a, al, "rfc4309(ccm(aes))") &&
				   (icvbits == 64 || icvbits == 96 || icvbits == 128)) {
				x->e.encr = icvbits == 64 ? 14u : icvbits == 96 ? 15u : 16u;
				found = true;
			} else if (kf_tok_eq(a, al, "rfc7539esp(chacha20,poly1305)") &&
				   icvbits == 128) {
				x->e.encr = 28;
				found = true;
			} else if (kf_tok_eq(a, al, "rfc4543(gcm(aes))") && icvbits == 128) {
				x->e.encr = 21;
				found = true;
			}
			x->e.icv_len = (uint16_t)(icvbits / 8);
		}
		if (!found) {
			kf_warn(s,
				"cipher %s%s%s has no IKEv2 id ikelens knows; state SPI 0x%08x "
				"skipped",
				kf_show(a, al, sh, sizeof sh), aead ? " with that ICV length" : "",
				"", x->e.spi);
			x->skip = true;
			return 0;
		}
		char msg[200];
		if (!kf_check_ekey(x->e.encr, 0, x->e.ekey.n, &x->e.key_bits, msg, sizeof msg))
			return kf_fail(s, "%s", msg);
		x->have_enc = true;
		return 0;
	}
	/* auth / auth-trunc */
	if (key_tok(s, &p, end, "the integrity key", &x->e.akey, &present) < 0)
		return -1;
	if (!present)
		return 0;
	unsigned long bits = 0;
	if (trunc) {
		if (!next_num(&p, end, &bits))
			return kf_fail(
			    s, "auth-trunc without its ICV length (expected auth-trunc NAME "
			       "0xKEY BITS)");
	} else {
		bits = default_trunc(a, al);
	}
	for (size_t i = 0; i < sizeof xfrm_auth / sizeof xfrm_auth[0]; i++)
		if (kf_tok_eq(a, al, xfrm_auth[i].name) && xfrm_auth[i].bits == bits) {
			x->e.integ = xfrm_auth[i].id;
			x->e.icv_len = (uint16_t)(bits / 8);
			uint16_t icv = 0, kl = 0;
			if (x->e.integ && nt_v2_integ_info(x->e.integ, &icv, &kl) &&
			    x->e.akey.n != kl)
				return kf_fail(s, "the %s key is %u bytes (expected %u)",
					       kf_show(a, al, sh, sizeof sh), x->e.akey.n, kl);
			return 0;
		}
	kf_warn(s,
		"integrity %s with a %lu-bit ICV has no IKEv2 id ikelens knows; state SPI "
		"0x%08x skipped",
		kf_show(a, al, sh, sizeof sh), bits, x->e.spi);
	x->skip = true;
	return 0;
}

bool
kf_looks_xfrm(const char *line, size_t n)
{
	const char *p = line, *end = line + n, *t, *u;
	size_t tl, ul;
	struct addr a;
	if (n == 0 || kf_is_space(line[0]))
		return false;
	return kf_token(&p, end, &t, &tl) && kf_tok_eq(t, tl, "src") &&
	       kf_token(&p, end, &t, &tl) && kf_addr(t, tl, &a) && kf_token(&p, end, &u, &ul) &&
	       kf_tok_eq(u, ul, "dst");
}

int
kf_parse_xfrm(struct kf_src *s)
{
	struct xst x;
	memset(&x, 0, sizeof x);
	int r, rc = 0;
	char sh[64];
	while ((r = kf_next_line(s)) > 0) {
		const char *p = s->line, *end = s->line + s->n, *t;
		size_t tl;
		if (s->n && !kf_is_space(s->line[0]) && kf_token(&p, end, &t, &tl) &&
		    kf_tok_eq(t, tl, "src")) {
			if (commit(s, &x) < 0) {
				rc = -1;
				break;
			}
			x.open = true;
			x.line = s->lineno;
			const char *a, *d, *b;
			size_t al, dl, bl;
			if (!kf_token(&p, end, &a, &al) || !kf_token(&p, end, &d, &dl) ||
			    !kf_tok_eq(d, dl, "dst") || !kf_token(&p, end, &b, &bl)) {
				rc = kf_fail(s,
					     "a state header without both addresses (expected src "
					     "ADDRESS dst ADDRESS)");
				break;
			}
			if (!kf_addr(a, al, &x.e.src) || !kf_addr(b, bl, &x.e.dst)) {
				rc =
				    kf_fail(s,
					    "\"%s\" is not an IP address (expected src ADDRESS dst "
					    "ADDRESS)",
					    kf_show(a, al, sh, sizeof sh));
				break;
			}
			continue;
		}
		if (!x.open)
			continue; /* text before the first state (a shell prompt, a title) */
		if (state_line(s, &x, s->line, end) < 0) {
			rc = -1;
			break;
		}
	}
	if (r < 0)
		rc = -1;
	if (rc == 0)
		rc = commit(s, &x);
	kf_wipe(&x, sizeof x);
	return rc;
}
