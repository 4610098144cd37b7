/*
 * kf_tcpdump.c - the secrets tcpdump's -E option reads, and libreswan's
 * IKEv2 key lines in that syntax (also found inside a pluto debug log,
 * behind its "| " prefix).
 *
 * tcpdump's rules (print-esp.c): one secret per line, '#' comments;
 *   SPI@ADDRESS ALGORITHM:SECRET
 * SPI as strtoul reads it (0x hex or decimal), ADDRESS the destination;
 * ALGORITHM an OpenSSL CBC cipher name with "-cbc" optional ("des-cbc",
 * "3des-cbc", "aes128-cbc", "aes256", "blowfish-cbc", "cast128-cbc") and an
 * optional "-hmac96" suffix, which only tells tcpdump to skip a 12-byte ICV:
 * it checks nothing and takes no authentication key, so here it is "any
 * 96-bit ICV, unchecked" (NT_INTEG_ANY(96)), not HMAC-SHA1-96.  SECRET is
 * 0x and hex, or the text itself.
 *   ikev2 I|R 0xSPIi 0xSPIr INTEG:0xKEY ENCR:0xKEY
 * gives the initiator's (I: SK_ai, SK_ei) or the responder's (R: SK_ar,
 * SK_er) keys of an IKEv2 SA.  libreswan writes the names as its
 * "tcpdump names": integrity sha1, md5, sha256, sha384, sha512, aes_xcbc,
 * aes_cmac, none; encryption aes, aes_ctr, aes_gcm (the 8-octet ICV one),
 * aes_gcm_12, aes_gcm_16, aes_ccm_8/12/16, 3des, camellia, cast,
 * chacha20_poly1305, null, with the key length in bits appended ("aes128").
 *
 * keys.h adds ":0xAUTHKEY" after a hex ESP secret of an "-hmac96"
 * algorithm (tcpdump takes none): 16 bytes make it HMAC-MD5-96, 20 bytes
 * HMAC-SHA1-96, the two 96-bit HMACs of tcpdump's era.
 *
 * Refused: a secret without SPI@ADDRESS (tcpdump's default for every SA),
 * "file NAME" indirection.
 */
#include <stdio.h>
#include <string.h>

#include "dissect/names.h"
#include "src/keys/keys_int.h"

struct encr_name {
	const char *name;
	uint32_t id;
};

/* Longest names first: matching is by prefix, the rest being key bits. */
static const struct encr_name encr_names[] = {
    {"null_auth_aes_gmac", 21},
    {"chacha20_poly1305", 28},
    {"aes_gcm_12", 19},
    {"aes_gcm_16", 20},
    {"aes_ccm_12", 15},
    {"aes_ccm_16", 16},
    {"aes_gcm_8", 18},
    {"aes_ccm_8", 14},
    {"camellia", 23},
    {"blowfish", 7},
    {"des-ede3", 3},
    {"aes_ctr", 13},
    {"aes_gcm", 18},
    {"aes_ccm", 16},
    {"cast128", 6},
    {"cast5", 6},
    {"3des", 3},
    {"cast", 6},
    {"null", 11},
    {"none", 11},
    {"aes", 12},
    {"des", 2},
    {"bf", 7},
};

static const struct {
	const char *name;
	uint32_t id;
} integ_names[] = {
    {"sha1", 2},     {"md5", 1},       {"sha256", 12}, {"sha2_256", 12},
    {"sha384", 13},  {"sha2_384", 13}, {"sha512", 14}, {"sha2_512", 14},
    {"aes_xcbc", 5}, {"aes_cmac", 8},  {"none", 0},    {"ripemd", NT_INTEG_HMAC_RIPEMD160_96},
};

/* "aes128", "aes_gcm_16256", "aes256-cbc", "3des": id and key bits. */
static bool
encr_lookup(const char *t, size_t n, uint32_t *id, uint16_t *bits)
{
	if (n > 4 && kf_tok_ieq(t + n - 4, 4, "-cbc"))
		n -= 4;
	for (size_t i = 0; i < sizeof encr_names / sizeof encr_names[0]; i++) {
		size_t k = strlen(encr_names[i].name);
		if (n < k || !kf_tok_ieq(t, k, encr_names[i].name))
			continue;
		unsigned long b = 0;
		if (n > k &&
		    (!kf_uint(t + k, n - k, 1024, &b) || (b != 128 && b != 192 && b != 256)))
			continue;
		*id = encr_names[i].id;
		*bits = (uint16_t)b;
		return true;
	}
	return false;
}

bool
kf_looks_tcpdump(const char *line, size_t n)
{
	const char *p = line, *end = line + n, *t;
	size_t tl;
	if (!kf_token(&p, end, &t, &tl))
		return false;
	if (kf_tok_eq(t, tl, "ikev2")) {
		const char *u;
		size_t ul;
		return kf_token(&p, end, &u, &ul) && ul == 1 && (u[0] == 'I' || u[0] == 'R');
	}
	const char *at = memchr(t, '@', tl);
	uint32_t spi;
	return at != NULL && kf_spi32(t, (size_t)(at - t), &spi);
}

bool
kf_looks_pluto(const char *line, size_t n)
{
	if (kf_starts(line, n, "| "))
		return true;
	for (size_t i = 0; i + 5 <= n; i++)
		if (kf_tok_ieq(line + i, 5, "pluto"))
			return true;
	return false;
}

/* "name:0xHEX" */
static bool
split_alg(const char *t, size_t tl, const char **name, size_t *nl, const char **key, size_t *kl)
{
	const char *c = memchr(t, ':', tl);
	if (c == NULL)
		return false;
	*name = t;
	*nl = (size_t)(c - t);
	*key = c + 1;
	*kl = tl - *nl - 1;
	return true;
}

static int
ikev2_line(struct kf_src *s, const char *p, const char *end)
{
	const char *t[5];
	size_t tl[5];
	int nt = 0;
	char sh[64];
	while (nt < 5 && kf_token(&p, end, &t[nt], &tl[nt]))
		nt++;
	if (nt < 5)
		return kf_fail(s,
			       "an ikev2 line with %d fields after \"ikev2\" (expected ikev2 I|R "
			       "0xSPIi 0xSPIr integrity:0xKEY encryption:0xKEY)",
			       nt);
	const char *x;
	size_t xl;
	if (kf_token(&p, end, &x, &xl))
		return kf_fail(s, "text after the encryption key (expected ikev2 I|R 0xSPIi 0xSPIr "
				  "integrity:0xKEY encryption:0xKEY)");
	if (tl[0] != 1 || (t[0][0] != 'I' && t[0][0] != 'R'))
		return kf_fail(s, "\"%s\" is not I or R (expected ikev2 I|R ...)",
			       kf_show(t[0], tl[0], sh, sizeof sh));
	bool init = t[0][0] == 'I';

	struct kx_ike2 e;
	memset(&e, 0, sizeof e);
	int rc = -1;
	const char *an, *ak, *en, *ek;
	size_t anl, akl, enl, ekl;
	if (kf_spi8(s, "SPIi", t[1], tl[1], e.spii) < 0 ||
	    kf_spi8(s, "SPIr", t[2], tl[2], e.spir) < 0)
		goto out;
	e.have_spir = !kf_all_zero(e.spir, 8);
	if (!split_alg(t[3], tl[3], &an, &anl, &ak, &akl) ||
	    !split_alg(t[4], tl[4], &en, &enl, &ek, &ekl)) {
		kf_fail(s,
			"a key without its algorithm (expected integrity:0xKEY encryption:0xKEY)");
		goto out;
	}
	bool found = false;
	for (size_t i = 0; i < sizeof integ_names / sizeof integ_names[0]; i++)
		if (kf_tok_ieq(an, anl, integ_names[i].name)) {
			e.integ = integ_names[i].id;
			found = true;
		}
	if (!found) {
		kf_fail(s,
			"unknown integrity algorithm \"%s\" (expected sha1, md5, sha256, sha384, "
			"sha512, aes_xcbc, aes_cmac or none)",
			kf_show(an, anl, sh, sizeof sh));
		goto out;
	}
	uint16_t bits = 0;
	if (!encr_lookup(en, enl, &e.encr, &bits)) {
		kf_fail(s,
			"unknown encryption algorithm \"%s\" (expected aes128, aes256, aes_ctr128, "
			"aes_gcm_16256, 3des, chacha20_poly1305 ...)",
			kf_show(en, enl, sh, sizeof sh));
		goto out;
	}
	struct kx_bytes *sa = init ? &e.sk_ai : &e.sk_ar, *se = init ? &e.sk_ei : &e.sk_er;
	if (kf_hex_bytes(s, init ? "SK_ai" : "SK_ar", ak, akl, sa) < 0 ||
	    kf_hex_bytes(s, init ? "SK_ei" : "SK_er", ek, ekl, se) < 0)
		goto out;
	char msg[200];
	if (!kf_check_ekey(e.encr, bits, se->n, &e.key_bits, msg, sizeof msg)) {
		kf_fail(s, "%s", msg);
		goto out;
	}
	uint16_t icv = 0, want = 0;
	nt_v2_integ_info(e.integ, &icv, &want);
	if (sa->n != want) {
		kf_fail(s, "%s is %u bytes (expected %u for %s)", init ? "SK_ai" : "SK_ar", sa->n,
			want, kf_show(an, anl, sh, sizeof sh));
		goto out;
	}
	e.algs_known = true;
	rc = kf_add_ike2(s, s->lineno, &e);
out:
	kf_wipe(&e, sizeof e);
	return rc;
}

static int
esp_line(struct kf_src *s, const char *p, const char *end)
{
	const char *t, *u, *x;
	size_t tl, ul, xl;
	char sh[64];
	if (!kf_token(&p, end, &t, &tl))
		return 0;
	if (kf_tok_ieq(t, tl, "file"))
		return kf_fail(s, "\"file\" lines are not followed (expected SPI@address "
				  "algorithm:secret; give the other file with --keys)");
	if (!kf_token(&p, end, &u, &ul))
		return kf_fail(s, "a secret for every SA (no SPI@address) is not supported "
				  "(expected SPI@address algorithm:secret)");
	if (kf_token(&p, end, &x, &xl))
		return kf_fail(s, "more than two fields (expected SPI@address algorithm:secret)");
	const char *at = memchr(t, '@', tl);
	struct kx_esp e;
	memset(&e, 0, sizeof e);
	e.proto = 50;
	int rc = -1;
	if (at == NULL) {
		/* not shown: it may be a secret in the wrong place */
		kf_fail(s, "the first field is not SPI@address (expected SPI@address "
			   "algorithm:secret, e.g. 0x12345678@192.0.2.1 aes128-cbc:0x...)");
		goto out;
	}
	if (!kf_spi32(t, (size_t)(at - t), &e.spi)) {
		kf_fail(s, "\"%s\" is not SPI@address (expected e.g. 0x12345678@192.0.2.1)",
			kf_show(t, tl, sh, sizeof sh));
		goto out;
	}
	size_t al = tl - (size_t)(at + 1 - t);
	if (!kf_addr(at + 1, al, &e.dst)) {
		kf_fail(s, "\"%s\" is not an IP address (expected SPI@address)",
			kf_show(at + 1, al, sh, sizeof sh));
		goto out;
	}
	const char *an, *key;
	size_t anl, kl;
	if (!split_alg(u, ul, &an, &anl, &key, &kl)) {
		kf_fail(s, "the secret has no algorithm (expected algorithm:secret, e.g. "
			   "aes128-cbc:0x...)");
		goto out;
	}
	if (anl > 7 && kf_tok_ieq(an + anl - 7, 7, "-hmac96")) {
		anl -= 7;
		e.integ = NT_INTEG_ANY(96);
		e.icv_len = 12;
	}
	uint16_t bits = 0;
	if (!encr_lookup(an, anl, &e.encr, &bits) ||
	    (e.encr != 2 && e.encr != 3 && e.encr != 6 && e.encr != 7 && e.encr != 11 &&
	     e.encr != 12)) {
		kf_fail(s,
			"unknown ESP algorithm \"%s\" (expected des-cbc, 3des-cbc, aes128-cbc, "
			"aes192-cbc, aes256-cbc, blowfish-cbc, cast128-cbc or none, optionally "
			"with -hmac96)",
			kf_show(an, anl, sh, sizeof sh));
		goto out;
	}
	if (kl >= 2 && key[0] == '0' && (key[1] == 'x' || key[1] == 'X')) {
		const char *c2 = memchr(key, ':', kl);
		size_t ekl = c2 ? (size_t)(c2 - key) : kl;
		if (kf_hex_bytes(s, "the secret", key, ekl, &e.ekey) < 0)
			goto out;
		if (c2 != NULL) {
			/* ":0xAUTHKEY" is ikelens's (keys.h): tcpdump takes no
			 * authentication key.  With -hmac96 its length says which
			 * HMAC it is (RFC 2403 / RFC 2404). */
			const char *ak = c2 + 1;
			size_t akl = kl - ekl - 1;
			if (e.integ != NT_INTEG_ANY(96)) {
				kf_fail(s, "an authentication key without -hmac96 on the algorithm "
					   "(expected e.g. aes128-cbc-hmac96:0xKEY:0xAUTHKEY)");
				goto out;
			}
			if (!(akl >= 2 && ak[0] == '0' && (ak[1] == 'x' || ak[1] == 'X'))) {
				kf_fail(s, "the authentication key is not 0x and hex");
				goto out;
			}
			if (kf_hex_bytes(s, "the authentication key", ak, akl, &e.akey) < 0)
				goto out;
			if (e.akey.n == 16)
				e.integ = 1; /* AUTH_HMAC_MD5_96 */
			else if (e.akey.n == 20)
				e.integ = 2; /* AUTH_HMAC_SHA1_96 */
			else {
				kf_fail(s,
					"the authentication key is %u bytes (expected 16 for "
					"HMAC-MD5-96 or 20 for HMAC-SHA1-96)",
					e.akey.n);
				goto out;
			}
		}
	} else {
		if (kl > sizeof e.ekey.b) {
			kf_fail(s, "the secret is %zu bytes long (expected at most %zu)", kl,
				sizeof e.ekey.b);
			goto out;
		}
		memcpy(e.ekey.b, key, kl);
		e.ekey.n = (uint16_t)kl;
	}
	char msg[200];
	if (!kf_check_ekey(e.encr, bits, e.ekey.n, &e.key_bits, msg, sizeof msg)) {
		kf_fail(s, "%s", msg);
		goto out;
	}
	rc = kf_add_esp(s, s->lineno, &e);
out:
	kf_wipe(&e, sizeof e);
	return rc;
}

/* In a pluto log: "ikev2 I|R 0x" at the start or after a blank or '|'. */
static const char *
find_ikev2(const char *l, size_t n)
{
	for (size_t i = 0; i + 11 <= n; i++) {
		if (memcmp(l + i, "ikev2 ", 6) != 0 || (l[i + 6] != 'I' && l[i + 6] != 'R') ||
		    l[i + 7] != ' ' || l[i + 8] != '0' || l[i + 9] != 'x')
			continue;
		if (i == 0 || l[i - 1] == ' ' || l[i - 1] == '|' || l[i - 1] == '\t')
			return l + i;
	}
	return NULL;
}

int
kf_parse_tcpdump(struct kf_src *s, bool pluto_log)
{
	int r;
	while ((r = kf_next_line(s)) > 0) {
		const char *end = s->line + s->n;
		if (pluto_log) {
			/* in a log, a line that only looks like a key line is
			 * passed over, with what was wrong with it */
			const char *k = find_ikev2(s->line, s->n);
			if (k != NULL && ikev2_line(s, k + 5, end) < 0) {
				char pre[600];
				int pl = snprintf(pre, sizeof pre, "%s:%u: ", s->name, s->lineno);
				const char *why = s->err;
				if (pl > 0 && strncmp(s->err, pre, (size_t)pl) == 0)
					why += pl;
				kf_warn(s, "skipped: %s", why);
				s->err[0] = '\0';
			}
			continue;
		}
		const char *p = s->line, *t;
		size_t tl;
		if (!kf_token(&p, end, &t, &tl) || t[0] == '#')
			continue;
		if (kf_tok_eq(t, tl, "ikev2"))
			r = ikev2_line(s, p, end);
		else
			r = esp_line(s, s->line, end);
		if (r < 0)
			return -1;
	}
	return r;
}
