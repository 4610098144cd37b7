/*
 * kf_native.c - the ikelens-keys file: what the other formats cannot say.
 *
 *   # ikelens-keys
 *   ikev1 ICOOKIE RCOOKIE dh-secret 0xHEX     g^xy of an IKEv1 SA
 *   ikev1 ICOOKIE RCOOKIE last-block 0xHEX    last CBC block of phase 1 (MM6/AM3),
 *                                             for quick mode without MM6
 *   ikev1 ICOOKIE RCOOKIE iv 0xHEX            an explicit phase-1 IV
 *   ikev2 SPII SPIR dh-secret 0xHEX           g^ir of an IKEv2 SA
 *   dh-private ADDRESS GROUP 0xHEX            one side's DH private value
 *   psk ADDRESS|ID|* SECRET                   a pre-shared key
 *
 * Cookies and SPIs are 16 hex digits (0x optional); a responder cookie or
 * SPI of "*" or all zeros matches any.  GROUP is the IANA number or a name
 * as ikelens prints it (MODP2048, ECP256, X25519).  SECRET is written as in
 * a PSK file (quotes, 0x, 0s).  Lines about the same SA are merged.
 */
#include <string.h>

#include "dissect/names.h"
#include "src/keys/keys_int.h"

bool
kf_looks_native(const char *line, size_t n)
{
	const char *p = line, *end = line + n, *t, *u;
	size_t tl, ul;
	if (!kf_token(&p, end, &t, &tl))
		return false;
	if (kf_tok_eq(t, tl, "dh-private") || kf_tok_eq(t, tl, "psk"))
		return true;
	if (!kf_tok_eq(t, tl, "ikev1") && !kf_tok_eq(t, tl, "ikev2"))
		return false;
	/* "ikev2 I 0x..." is libreswan's */
	return kf_token(&p, end, &u, &ul) && ul > 1;
}

static int
cookie(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t out[8], bool *have)
{
	if (kf_tok_eq(p, n, "*")) {
		memset(out, 0, 8);
		*have = false;
		return 0;
	}
	if (kf_spi8(s, what, p, n, out) < 0)
		return -1;
	*have = !kf_all_zero(out, 8);
	return 0;
}

static bool
group_id(const char *p, size_t n, uint16_t *g)
{
	unsigned long v;
	if (kf_uint(p, n, 65535, &v) && v > 0) {
		*g = (uint16_t)v;
		return true;
	}
	for (uint32_t i = 1; i < 1100; i++) {
		const char *sn = nt_short(NT_GROUP, i), *nm = nt_name(NT_GROUP, i);
		if ((sn && kf_tok_ieq(p, n, sn)) || (nm && kf_tok_ieq(p, n, nm))) {
			*g = (uint16_t)i;
			return true;
		}
	}
	return false;
}

static int
native_line(struct kf_src *s)
{
	const char *t[6];
	size_t tl[6];
	bool q[6];
	char sh[64];
	int nt = kf_split_quoted(s, s->line, s->n, t, tl, q, 5);
	if (nt < 0)
		return -1;
	if (nt == 0)
		return 0;
	int rc = -1;
	if (kf_tok_eq(t[0], tl[0], "ikev1") || kf_tok_eq(t[0], tl[0], "ikev2")) {
		bool v1 = t[0][4] == '1';
		if (nt != 5)
			return kf_fail(s, "%d fields (expected %s ICOOKIE RCOOKIE %s 0xHEX)", nt,
				       v1 ? "ikev1" : "ikev2",
				       v1 ? "dh-secret|last-block|iv" : "dh-secret");
		if (v1) {
			struct kx_ike1 e;
			memset(&e, 0, sizeof e);
			size_t k = 0;
			if (cookie(s, "the initiator cookie", t[1], tl[1], e.icookie, &(bool){0}) <
				0 ||
			    cookie(s, "the responder cookie", t[2], tl[2], e.rcookie,
				   &e.have_rcookie) < 0)
				goto out1;
			if (kf_tok_eq(t[3], tl[3], "dh-secret")) {
				if (kf_hex0x(s, "the DH secret", t[4], tl[4], e.gxy, sizeof e.gxy,
					     &k) < 0)
					goto out1;
				e.gxy_len = (uint16_t)k;
			} else if (kf_tok_eq(t[3], tl[3], "last-block")) {
				if (kf_hex_bytes(s, "the last block", t[4], tl[4], &e.last_block) <
				    0)
					goto out1;
				if (e.last_block.n != 8 && e.last_block.n != 16) {
					kf_fail(s,
						"the last block is %u bytes (expected 8 or 16, one "
						"cipher block)",
						e.last_block.n);
					goto out1;
				}
			} else if (kf_tok_eq(t[3], tl[3], "iv")) {
				if (kf_hex_bytes(s, "the IV", t[4], tl[4], &e.iv) < 0)
					goto out1;
				if (e.iv.n != 8 && e.iv.n != 16) {
					kf_fail(s, "the IV is %u bytes (expected 8 or 16)", e.iv.n);
					goto out1;
				}
			} else {
				kf_fail(
				    s, "unknown item \"%s\" (expected dh-secret, last-block or iv)",
				    kf_show(t[3], tl[3], sh, sizeof sh));
				goto out1;
			}
			if (k == 0 && kf_tok_eq(t[3], tl[3], "dh-secret")) {
				kf_fail(s, "the DH secret is empty (expected 0xHEX)");
				goto out1;
			}
			rc = kf_add_ike1(s, s->lineno, &e);
		out1:
			kf_wipe(&e, sizeof e);
			return rc;
		}
		struct kx_ike2 e;
		memset(&e, 0, sizeof e);
		size_t k = 0;
		if (cookie(s, "SPIi", t[1], tl[1], e.spii, &(bool){0}) < 0 ||
		    cookie(s, "SPIr", t[2], tl[2], e.spir, &e.have_spir) < 0)
			goto out2;
		if (!kf_tok_eq(t[3], tl[3], "dh-secret")) {
			kf_fail(s, "unknown item \"%s\" (expected dh-secret)",
				kf_show(t[3], tl[3], sh, sizeof sh));
			goto out2;
		}
		if (kf_hex0x(s, "the DH secret", t[4], tl[4], e.gir, sizeof e.gir, &k) < 0)
			goto out2;
		if (k == 0) {
			kf_fail(s, "the DH secret is empty (expected 0xHEX)");
			goto out2;
		}
		e.gir_len = (uint16_t)k;
		rc = kf_add_ike2(s, s->lineno, &e);
	out2:
		kf_wipe(&e, sizeof e);
		return rc;
	}
	if (kf_tok_eq(t[0], tl[0], "dh-private")) {
		if (nt != 4)
			return kf_fail(s, "%d fields (expected dh-private ADDRESS GROUP 0xHEX)",
				       nt);
		struct kx_dhpriv e;
		memset(&e, 0, sizeof e);
		size_t k = 0;
		if (!kf_tok_eq(t[1], tl[1], "*") && !kf_addr(t[1], tl[1], &e.addr)) {
			kf_fail(s,
				"\"%s\" is not an IP address (expected dh-private ADDRESS GROUP "
				"0xHEX)",
				kf_show(t[1], tl[1], sh, sizeof sh));
			goto out3;
		}
		if (!group_id(t[2], tl[2], &e.group)) {
			kf_fail(s,
				"unknown DH group \"%s\" (expected a number such as 14, or a name "
				"such as MODP2048)",
				kf_show(t[2], tl[2], sh, sizeof sh));
			goto out3;
		}
		if (kf_hex0x(s, "the DH private value", t[3], tl[3], e.priv, sizeof e.priv, &k) < 0)
			goto out3;
		if (k == 0) {
			kf_fail(s, "the DH private value is empty (expected 0xHEX)");
			goto out3;
		}
		e.len = (uint16_t)k;
		rc = kf_add_dhpriv(s, s->lineno, &e);
	out3:
		kf_wipe(&e, sizeof e);
		return rc;
	}
	if (kf_tok_eq(t[0], tl[0], "psk")) {
		if (nt != 3)
			return kf_fail(s,
				       "%d fields (expected psk ADDRESS|ID|* SECRET; quote a "
				       "secret that holds blanks)",
				       nt);
		struct kx_psk e;
		memset(&e, 0, sizeof e);
		if (q[1] || !(kf_tok_eq(t[1], tl[1], "*") || kf_tok_ieq(t[1], tl[1], "any"))) {
			if (!q[1] && kf_addr(t[1], tl[1], &e.peer)) {
				/* by address */
			} else {
				const char *id = t[1];
				size_t il = tl[1];
				if (!q[1] && il > 1 && id[0] == '@') {
					id++;
					il--;
				}
				if (il >= sizeof e.id) {
					kf_fail(s,
						"the identity is %zu characters (expected at most "
						"%zu)",
						il, sizeof e.id - 1);
					goto out4;
				}
				memcpy(e.id, id, il);
				e.id[il] = '\0';
			}
		}
		if (kf_psk_secret(s, t[2], tl[2], q[2], &e) < 0)
			goto out4;
		rc = kf_add_psk(s, s->lineno, &e);
	out4:
		kf_wipe(&e, sizeof e);
		return rc;
	}
	/* the first word is shown only when it is plainly a misspelt keyword:
	 * a line may just as well start with a secret pasted in the wrong place */
	if (!q[0] && tl[0] <= 12 &&
	    (kf_starts(t[0], tl[0], "ike") || kf_starts(t[0], tl[0], "dh") ||
	     kf_starts(t[0], tl[0], "psk")))
		return kf_fail(s,
			       "unknown keyword \"%s\" (expected ikev1, ikev2, dh-private or psk)",
			       kf_show(t[0], tl[0], sh, sizeof sh));
	return kf_fail(s, "the line does not start with a keyword (expected ikev1, ikev2, "
			  "dh-private or psk)");
}

int
kf_parse_native(struct kf_src *s)
{
	int r;
	while ((r = kf_next_line(s)) > 0)
		if (native_line(s) < 0)
			return -1;
	return r;
}
