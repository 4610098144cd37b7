/*
 * kf_wireshark.c - Wireshark's key tables (UAT files) as tshark 4.x reads
 * them: ikev1_decryption_table, ikev2_decryption_table and esp_sa.
 *
 * A UAT record is one line of comma-separated fields.  A field is empty, a
 * run of hex digits (the byte fields), or a double-quoted string in which
 * \xNN stands for a byte and a backslash keeps the next character.  Blanks
 * around fields are ignored; '#' starts a comment line.  tshark wants the
 * byte fields unquoted; we also take them quoted (hand-written files do
 * that), and say so nowhere because it loses nothing.
 *
 * Algorithm strings are looked up in names.h (nt_ws_*), the one table shared
 * with any exporter.  Lengths are checked the way tshark checks them (SPIs
 * and cookies 8 bytes, SK_e* as long as the cipher's key plus salt, SK_a*
 * as long as the integrity key), so a file tshark refuses is refused here
 * with a line number.
 */
#include <string.h>

#include "dissect/names.h"
#include "src/keys/keys_int.h"

#define UAT_MAX_FIELDS 9

struct uf {
	const char *p;
	size_t n;
	bool quoted;
};

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

/* Splits one record.  Quoted fields are unescaped into scratch when it is
 * given.  Returns the field count (at most max + 1, to detect "too many"),
 * or -1 with *why set. */
static int
uat_split(const char *l, size_t n, struct uf *f, int max, char *scratch, const char **why)
{
	size_t i = 0, so = 0;
	int nf = 0;
	for (;;) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (nf > max) {
			*why = "more fields than expected";
			return -1;
		}
		struct uf cur = {l + i, 0, false};
		if (i < n && l[i] == '"') {
			i++;
			size_t start = so;
			const char *raw = l + i;
			while (i < n && l[i] != '"') {
				char c = l[i];
				if (c == '\\' && i + 1 < n) {
					if (l[i + 1] == 'x' && i + 3 < n && hexv(l[i + 2]) >= 0 &&
					    hexv(l[i + 3]) >= 0) {
						c = (char)(hexv(l[i + 2]) << 4 | hexv(l[i + 3]));
						i += 3;
					} else {
						c = l[i + 1];
						i++;
					}
				}
				if (scratch)
					scratch[so++] = c;
				i++;
			}
			if (i >= n) {
				*why = "a quoted field is not closed";
				return -1;
			}
			cur.quoted = true;
			if (scratch) {
				cur.p = scratch + start;
				cur.n = so - start;
				scratch[so++] = '\0';
			} else {
				cur.p = raw;
				cur.n = (size_t)(l + i - raw);
			}
			i++; /* the closing quote */
		} else {
			while (i < n && l[i] != ',' && l[i] != ' ' && l[i] != '\t' && l[i] != '"')
				i++;
			cur.n = (size_t)(l + i - cur.p);
		}
		if (nf < max + 1)
			f[nf] = cur;
		nf++;
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i >= n)
			return nf;
		if (l[i] != ',') {
			*why = "a field is followed by something other than a comma";
			return -1;
		}
		i++;
	}
}

static bool
is_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hexv(p[i]) < 0)
			return false;
	return n > 0;
}

enum kf_format
kf_looks_wireshark(const char *line, size_t n)
{
	struct uf f[UAT_MAX_FIELDS + 1];
	const char *why;
	int nf = uat_split(line, n, f, UAT_MAX_FIELDS, NULL, &why);
	/* the shape of the first fields decides; a row with a field too many
	 * or too few is then reported by the parser, with its line */
	if (nf < 0) {
		/* a quote left open or junk after a field: still say which table */
		if (n > 18 && is_hex(line, 16) && line[16] == ',')
			return memchr(line + 17, ',', n - 17) ? KF_WS_IKEV2 : KF_WS_IKEV1;
		return KF_UNKNOWN;
	}
	if (nf >= 2 && f[0].quoted &&
	    (kf_tok_eq(f[0].p, f[0].n, "IPv4") || kf_tok_eq(f[0].p, f[0].n, "IPv6") ||
	     kf_tok_eq(f[0].p, f[0].n, "Any")))
		return KF_WS_ESP;
	if (f[0].n != 16 || !is_hex(f[0].p, f[0].n))
		return KF_UNKNOWN;
	if (nf == 2)
		return KF_WS_IKEV1;
	if (nf >= 3 && f[1].n == 16 && is_hex(f[1].p, f[1].n))
		return KF_WS_IKEV2;
	return KF_UNKNOWN;
}

static int
row_ikev1(struct kf_src *s, struct uf *f)
{
	struct kx_ike1 e;
	memset(&e, 0, sizeof e);
	int rc = -1;
	if (kf_spi8(s, "the initiator cookie", f[0].p, f[0].n, e.icookie) < 0)
		goto out;
	if (f[1].n == 0) {
		kf_fail(s, "the encryption key is empty (expected Ka in hex)");
		goto out;
	}
	if (kf_hex_bytes(s, "the encryption key", f[1].p, f[1].n, &e.ka) < 0)
		goto out;
	rc = kf_add_ike1(s, s->lineno, &e);
out:
	kf_wipe(&e, sizeof e);
	return rc;
}

/* One SK_e or SK_a column: hex, empty allowed when want is 0. */
static int
sk_col(struct kf_src *s, const char *what, const struct uf *f, size_t want, const char *alg,
       struct kx_bytes *out)
{
	if (kf_hex_bytes(s, what, f->p, f->n, out) < 0)
		return -1;
	if (out->n != want)
		return kf_fail(s, "%s is %u bytes (expected %zu for %s)", what, out->n, want, alg);
	return 0;
}

static int
row_ikev2(struct kf_src *s, struct uf *f)
{
	struct kx_ike2 e;
	char sh[64];
	memset(&e, 0, sizeof e);
	int rc = -1;
	if (kf_spi8(s, "SPIi", f[0].p, f[0].n, e.spii) < 0 ||
	    kf_spi8(s, "SPIr", f[1].p, f[1].n, e.spir) < 0)
		goto out;
	e.have_spir = !kf_all_zero(e.spir, 8);

	char alg[128];
	if (f[4].n >= sizeof alg || (memcpy(alg, f[4].p, f[4].n), alg[f[4].n] = '\0', 0) ||
	    !nt_ws_ikev2_encr(alg, &e.encr, &e.key_bits)) {
		kf_fail(s,
			"unknown encryption algorithm \"%s\" (expected a Wireshark IKEv2 name such "
			"as \"AES-CBC-256 [RFC3602]\")",
			kf_show(f[4].p, f[4].n, sh, sizeof sh));
		goto out;
	}
	struct nt_encr_info fi;
	memset(&fi, 0, sizeof fi);
	nt_v2_encr_info(e.encr, &fi);
	if (e.key_bits == 0)
		e.key_bits = fi.fixed_key_bits;
	size_t ekl = e.encr == 11 ? 0 : (size_t)e.key_bits / 8 + fi.salt_len;
	if (sk_col(s, "SK_ei", &f[2], ekl, alg, &e.sk_ei) < 0 ||
	    sk_col(s, "SK_er", &f[3], ekl, alg, &e.sk_er) < 0)
		goto out;

	if (f[7].n >= sizeof alg || (memcpy(alg, f[7].p, f[7].n), alg[f[7].n] = '\0', 0) ||
	    !nt_ws_ikev2_integ(alg, &e.integ)) {
		kf_fail(s,
			"unknown integrity algorithm \"%s\" (expected a Wireshark IKEv2 name such "
			"as \"HMAC_SHA2_256_128 [RFC4868]\")",
			kf_show(f[7].p, f[7].n, sh, sizeof sh));
		goto out;
	}
	uint16_t icv = 0, akl = 0;
	nt_v2_integ_info(e.integ, &icv, &akl);
	if (sk_col(s, "SK_ai", &f[5], akl, alg, &e.sk_ai) < 0 ||
	    sk_col(s, "SK_ar", &f[6], akl, alg, &e.sk_ar) < 0)
		goto out;
	e.algs_known = true;
	rc = kf_add_ike2(s, s->lineno, &e);
out:
	kf_wipe(&e, sizeof e);
	return rc;
}

/* An esp_sa key: "0x" and hex, "" or "0x" for none, else the text itself
 * (tshark takes a key without 0x as its ASCII bytes). */
static int
esp_key(struct kf_src *s, const char *what, const struct uf *f, struct kx_bytes *out)
{
	memset(out, 0, sizeof *out);
	if (f->n >= 2 && f->p[0] == '0' && (f->p[1] == 'x' || f->p[1] == 'X'))
		return kf_hex_bytes(s, what, f->p, f->n, out);
	if (f->n > sizeof out->b)
		return kf_fail(s, "%s is %zu bytes long (expected at most %zu)", what, f->n,
			       sizeof out->b);
	memcpy(out->b, f->p, f->n);
	out->n = (uint16_t)f->n;
	return 0;
}

static int
esp_addr(struct kf_src *s, const char *what, const struct uf *f, uint8_t af, struct addr *a)
{
	char sh[64];
	memset(a, 0, sizeof *a);
	if (kf_tok_eq(f->p, f->n, "*"))
		return 0;
	if (memchr(f->p, '*', f->n) != NULL)
		return kf_fail(s,
			       "the %s address \"%s\" has a partial wildcard (expected an "
			       "address or \"*\")",
			       what, kf_show(f->p, f->n, sh, sizeof sh));
	if (!kf_addr(f->p, f->n, a))
		return kf_fail(s,
			       "the %s address \"%s\" is not an IP address (expected an "
			       "address or \"*\")",
			       what, kf_show(f->p, f->n, sh, sizeof sh));
	if (af && a->af != af)
		return kf_fail(s, "the %s address \"%s\" is not IPv%u like the first field says",
			       what, kf_show(f->p, f->n, sh, sizeof sh), af);
	return 0;
}

static int
row_esp(struct kf_src *s, struct uf *f)
{
	struct kx_esp e;
	char sh[64], alg[128];
	memset(&e, 0, sizeof e);
	e.proto = 50;
	int rc = -1;
	uint8_t af = 0;
	if (kf_tok_eq(f[0].p, f[0].n, "IPv4"))
		af = 4;
	else if (kf_tok_eq(f[0].p, f[0].n, "IPv6"))
		af = 6;
	else if (!kf_tok_eq(f[0].p, f[0].n, "Any")) {
		kf_fail(s, "unknown protocol \"%s\" (expected \"IPv4\" or \"IPv6\")",
			kf_show(f[0].p, f[0].n, sh, sizeof sh));
		goto out;
	}
	if (esp_addr(s, "source", &f[1], af, &e.src) < 0 ||
	    esp_addr(s, "destination", &f[2], af, &e.dst) < 0)
		goto out;
	if (memchr(f[3].p, '*', f[3].n) != NULL) {
		kf_fail(s, "SPI wildcards are not supported (expected 0x and 8 hex digits)");
		goto out;
	}
	if (!kf_spi32(f[3].p, f[3].n, &e.spi)) {
		kf_fail(s, "the SPI \"%s\" is not a 32-bit number (expected 0x and 8 hex digits)",
			kf_show(f[3].p, f[3].n, sh, sizeof sh));
		goto out;
	}
	uint16_t bits = 0;
	if (f[4].n >= sizeof alg || (memcpy(alg, f[4].p, f[4].n), alg[f[4].n] = '\0', 0) ||
	    !nt_ws_esp_encr(alg, &e.encr, &bits)) {
		kf_fail(
		    s,
		    "unknown encryption algorithm \"%s\" (expected a Wireshark ESP name such as "
		    "\"AES-CBC [RFC3602]\")",
		    kf_show(f[4].p, f[4].n, sh, sizeof sh));
		goto out;
	}
	bool gcm_any = strcmp(alg, "AES-GCM [RFC4106]") == 0;
	if (esp_key(s, "the encryption key", &f[5], &e.ekey) < 0)
		goto out;
	char msg[200];
	if (!kf_check_ekey(e.encr, bits, e.ekey.n, &e.key_bits, msg, sizeof msg)) {
		kf_fail(s, "%s", msg);
		goto out;
	}
	if (f[6].n >= sizeof alg || (memcpy(alg, f[6].p, f[6].n), alg[f[6].n] = '\0', 0) ||
	    !nt_ws_esp_integ(alg, &e.integ)) {
		kf_fail(
		    s,
		    "unknown authentication algorithm \"%s\" (expected a Wireshark ESP name such "
		    "as \"HMAC-SHA-1-96 [RFC2404]\")",
		    kf_show(f[6].p, f[6].n, sh, sizeof sh));
		goto out;
	}
	if (esp_key(s, "the authentication key", &f[7], &e.akey) < 0)
		goto out;
	struct nt_encr_info fi;
	memset(&fi, 0, sizeof fi);
	nt_v2_encr_info(e.encr, &fi);
	bool any = e.integ > NT_INTEG_ANY_BASE && e.integ <= NT_INTEG_ANY(512);
	uint16_t icv = 0, akl = 0;
	nt_v2_integ_info(e.integ, &icv, &akl);
	if (fi.aead) {
		/* strongSwan's save-keys writes every GCM as "AES-GCM [RFC4106]" and
		 * the ICV length as "ANY n bit authentication" */
		if (any) {
			e.icv_len = icv;
			if (gcm_any) {
				if (icv == 8)
					e.encr = 18;
				else if (icv == 12)
					e.encr = 19;
				else if (icv == 16)
					e.encr = 20;
				else {
					kf_fail(s,
						"AES-GCM with a %u-byte ICV (expected 8, 12 or 16)",
						icv);
					goto out;
				}
			} else if (icv != fi.icv_len) {
				kf_fail(s,
					"the cipher's ICV is %u bytes, the authentication column "
					"says %u",
					fi.icv_len, icv);
				goto out;
			}
		} else if (e.integ != 0) {
			kf_fail(s, "an AEAD cipher with an authentication algorithm (expected "
				   "\"NULL\" or \"ANY n bit authentication [no checking]\")");
			goto out;
		} else {
			e.icv_len = fi.icv_len;
		}
		e.integ = 0;
		memset(&e.akey, 0, sizeof e.akey);
	} else {
		e.icv_len = icv;
		if (any || e.integ == 0)
			memset(&e.akey, 0, sizeof e.akey);
		else if (e.akey.n == 0) {
			kf_fail(s, "the authentication key is empty (expected a key for \"%s\")",
				alg);
			goto out;
		}
	}
	rc = kf_add_esp(s, s->lineno, &e);
out:
	kf_wipe(&e, sizeof e);
	return rc;
}

int
kf_parse_wireshark(struct kf_src *s, enum kf_format fmt)
{
	int r;
	int want = fmt == KF_WS_IKEV1 ? 2 : 8;
	const char *cols = fmt == KF_WS_IKEV1 ? "icookie,Ka"
			   : fmt == KF_WS_IKEV2
			       ? "SPIi,SPIr,SK_ei,SK_er,\"encryption\",SK_ai,SK_ar,\"integrity\""
			       : "\"IPv4\",\"src\",\"dst\",\"0xSPI\",\"encryption\",\"0xkey\","
				 "\"authentication\",\"0xkey\"";
	while ((r = kf_next_line(s)) > 0) {
		size_t i = 0;
		while (i < s->n && (s->line[i] == ' ' || s->line[i] == '\t'))
			i++;
		if (i == s->n || s->line[i] == '#')
			continue;
		struct uf f[UAT_MAX_FIELDS + 1];
		const char *why = "";
		int nf = uat_split(s->line, s->n, f, UAT_MAX_FIELDS, s->scratch, &why);
		if (nf < 0)
			r = kf_fail(s, "%s (expected %d comma-separated fields: %s)", why, want,
				    cols);
		else if (nf != want)
			r = kf_fail(s, "%d fields (expected %d: %s)", nf, want, cols);
		else if (fmt == KF_WS_IKEV1)
			r = row_ikev1(s, f);
		else if (fmt == KF_WS_IKEV2)
			r = row_ikev2(s, f);
		else
			r = row_esp(s, f);
		kf_wipe(s->scratch, sizeof s->scratch);
		if (r < 0)
			return -1;
	}
	return r;
}
