/*
 * kf_text.c - the line reader, errors and warnings, and the token, hex and
 * algorithm-name helpers every key-file parser uses.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "dissect/names.h"
#include "src/keys/keys_int.h"

void
kf_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}

int
kf_next_line(struct kf_src *s)
{
	if (s->pos >= s->len)
		return 0;
	/* a UTF-8 byte order mark (a table saved by a Windows editor) */
	if (s->pos == 0 && s->len >= 3 && memcmp(s->buf, "\xef\xbb\xbf", 3) == 0)
		s->pos = 3;
	const char *b = s->buf + s->pos;
	size_t left = s->len - s->pos;
	const char *nl = memchr(b, '\n', left);
	size_t n = nl ? (size_t)(nl - b) : left;

	s->lineno++;
	s->pos += n + (nl ? 1 : 0);
	if (n > 0 && b[n - 1] == '\r')
		n--;
	if (n > KF_LINE_MAX)
		return kf_fail(s, "line is longer than %u characters (expected a text key file)",
			       KF_LINE_MAX);
	if (memchr(b, '\0', n) != NULL)
		return kf_fail(s, "line holds a NUL byte (expected a text key file)");
	/* wipe what the previous line left beyond this one */
	if (s->n > n)
		kf_wipe(s->line + n, s->n - n);
	memcpy(s->line, b, n);
	s->line[n] = '\0';
	s->n = n;
	return 1;
}

static int
vfail(struct kf_src *s, unsigned line, const char *fmt, va_list ap)
{
	if (s->err == NULL || s->errlen == 0)
		return -1;
	int k = line ? snprintf(s->err, s->errlen, "%s:%u: ", s->name, line)
		     : snprintf(s->err, s->errlen, "%s: ", s->name);
	if (k >= 0 && (size_t)k < s->errlen)
		vsnprintf(s->err + k, s->errlen - (size_t)k, fmt, ap);
	return -1;
}

int
kf_fail(struct kf_src *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(s, s->lineno, fmt, ap);
	va_end(ap);
	return -1;
}

int
kf_fail_at(struct kf_src *s, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(s, line, fmt, ap);
	va_end(ap);
	return -1;
}

static void
vwarn(struct kf_src *s, unsigned line, const char *fmt, va_list ap)
{
	if (s->warnings >= KF_MAX_WARNINGS) {
		s->suppressed++;
		return;
	}
	s->warnings++;
	if (line)
		fprintf(stderr, "ikelens: warning: %s:%u: ", s->name, line);
	else
		fprintf(stderr, "ikelens: warning: %s: ", s->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
kf_warn(struct kf_src *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(s, s->lineno, fmt, ap);
	va_end(ap);
}

void
kf_warn_at(struct kf_src *s, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(s, line, fmt, ap);
	va_end(ap);
}

void
kf_warn_done(struct kf_src *s)
{
	if (s->suppressed)
		fprintf(stderr, "ikelens: warning: %s: %u more warnings not shown\n", s->name,
			s->suppressed);
	s->suppressed = 0;
}

bool
kf_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool
kf_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!kf_is_space(p[i]))
			return false;
	return true;
}

bool
kf_token(const char **p, const char *end, const char **tok, size_t *tlen)
{
	const char *q = *p;
	while (q < end && kf_is_space(*q))
		q++;
	if (q >= end) {
		*p = q;
		return false;
	}
	const char *b = q;
	while (q < end && !kf_is_space(*q))
		q++;
	*tok = b;
	*tlen = (size_t)(q - b);
	*p = q;
	return true;
}

bool
kf_tok_eq(const char *tok, size_t tlen, const char *word)
{
	return strlen(word) == tlen && memcmp(tok, word, tlen) == 0;
}

bool
kf_tok_ieq(const char *tok, size_t tlen, const char *word)
{
	if (strlen(word) != tlen)
		return false;
	for (size_t i = 0; i < tlen; i++)
		if (tolower((unsigned char)tok[i]) != tolower((unsigned char)word[i]))
			return false;
	return true;
}

bool
kf_starts(const char *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(p, prefix, k) == 0;
}

const char *
kf_show(const char *tok, size_t tlen, char *buf, size_t blen)
{
	size_t o = 0;
	if (blen == 0)
		return "";
	for (size_t i = 0; i < tlen && o + 4 < blen; i++) {
		if (i == 48) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		unsigned char c = (unsigned char)tok[i];
		buf[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	buf[o] = '\0';
	return buf;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
kf_hex(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t *out, size_t max,
       size_t *outn)
{
	for (size_t i = 0; i < n; i++)
		if (hexval(p[i]) < 0)
			return kf_fail(s,
				       "%s has a character that is not a hex digit at position %zu "
				       "(expected hex digits only)",
				       what, i + 1);
	if (n % 2)
		return kf_fail(s, "%s has %zu hex digits (expected an even number)", what, n);
	if (n / 2 > max)
		return kf_fail(s, "%s is %zu bytes long (expected at most %zu)", what, n / 2, max);
	for (size_t i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(hexval(p[2 * i]) << 4 | hexval(p[2 * i + 1]));
	*outn = n / 2;
	return 0;
}

int
kf_hex0x(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t *out, size_t max,
	 size_t *outn)
{
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	return kf_hex(s, what, p, n, out, max, outn);
}

int
kf_hex_bytes(struct kf_src *s, const char *what, const char *p, size_t n, struct kx_bytes *out)
{
	size_t k = 0;
	if (kf_hex0x(s, what, p, n, out->b, sizeof out->b, &k) < 0)
		return -1;
	out->n = (uint16_t)k;
	return 0;
}

int
kf_spi8(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t out[8])
{
	size_t k = 0;
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	if (n != 16) {
		for (size_t i = 0; i < n; i++)
			if (hexval(p[i]) < 0)
				return kf_fail(s, "%s is not hexadecimal (expected 16 hex digits)",
					       what);
		return kf_fail(s, "%s has %zu hex digits (expected 16)", what, n);
	}
	return kf_hex(s, what, p, n, out, 8, &k);
}

bool
kf_spi32(const char *p, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (n - 2 > 8)
			return false;
		for (size_t i = 2; i < n; i++) {
			int h = hexval(p[i]);
			if (h < 0)
				return false;
			v = v << 4 | (uint32_t)h;
		}
		*out = v;
		return true;
	}
	unsigned long u;
	if (!kf_uint(p, n, 0xffffffffUL, &u))
		return false;
	*out = (uint32_t)u;
	return true;
}

bool
kf_uint(const char *p, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

bool
kf_addr(const char *p, size_t n, struct addr *a)
{
	char b[64];
	if (n == 0 || n >= sizeof b)
		return false;
	memcpy(b, p, n);
	b[n] = '\0';
	/* IPv6 literals are sometimes bracketed */
	if (n > 2 && b[0] == '[' && b[n - 1] == ']') {
		b[n - 1] = '\0';
		return addr_parse(b + 1, a);
	}
	return addr_parse(b, a);
}

bool
kf_all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* ---- algorithm names ---------------------------------------------------- */

/* Compares tok with a registry name minus its prefix ("ENCR_", "AUTH_"). */
static bool
name_is(const char *tok, size_t n, const char *name, const char *prefix)
{
	if (name == NULL)
		return false;
	size_t k = strlen(prefix);
	if (strncmp(name, prefix, k) != 0)
		return false;
	return kf_tok_ieq(tok, n, name + k);
}

/* strongSwan spells a few transforms unlike the IANA registry. */
static const struct {
	const char *swan;
	uint32_t id;
} swan_encr_alias[] = {
    {"3DES_CBC", 3}, {"DES_CBC", 2},	    {"CAST_CBC", 6},	   {"BLOWFISH_CBC", 7},
    {"NULL", 11},    {"NULL_AES_GMAC", 21}, {"IDEA_CBC", 5},	   {"RC5_CBC", 4},
    {"DES_IV64", 1}, {"DES_IV32", 9},	    {"AES_CCM_8_IIV", 29},
};

static bool
encr_by_name(const char *tok, size_t n, uint32_t *id)
{
	for (size_t i = 0; i < sizeof swan_encr_alias / sizeof swan_encr_alias[0]; i++)
		if (kf_tok_ieq(tok, n, swan_encr_alias[i].swan)) {
			*id = swan_encr_alias[i].id;
			return true;
		}
	for (uint32_t v = 1; v < 64; v++)
		if (name_is(tok, n, nt_name(NT_V2_ENCR, v), "ENCR_")) {
			*id = v;
			return true;
		}
	return false;
}

bool
kf_swan_encr(const char *tok, size_t n, uint32_t *id, uint16_t *bits)
{
	if (encr_by_name(tok, n, id)) {
		*bits = 0;
		return true;
	}
	/* a trailing _BITS */
	size_t k = n;
	while (k > 0 && tok[k - 1] >= '0' && tok[k - 1] <= '9')
		k--;
	if (k == n || k < 2 || tok[k - 1] != '_')
		return false;
	unsigned long b;
	if (!kf_uint(tok + k, n - k, 1024, &b) || b % 8)
		return false;
	if (!encr_by_name(tok, k - 1, id))
		return false;
	*bits = (uint16_t)b;
	return true;
}

bool
kf_swan_integ(const char *tok, size_t n, uint32_t *id)
{
	if (kf_tok_ieq(tok, n, "HMAC_SHA2_256_96")) {
		*id = NT_INTEG_HMAC_SHA2_256_96;
		return true;
	}
	if (kf_tok_ieq(tok, n, "HMAC_RIPEMD160_96") || kf_tok_ieq(tok, n, "HMAC_RIPEMD_160_96")) {
		*id = NT_INTEG_HMAC_RIPEMD160_96;
		return true;
	}
	for (uint32_t v = 1; v < 64; v++)
		if (name_is(tok, n, nt_name(NT_V2_INTEG, v), "AUTH_")) {
			*id = v;
			return true;
		}
	return false;
}

uint16_t
kf_swan_ke_len(const char *tok, size_t n)
{
	unsigned long bits = 0;
	size_t k;
	if (kf_tok_ieq(tok, n, "CURVE_25519"))
		return 32;
	if (kf_tok_ieq(tok, n, "CURVE_448"))
		return 56;
	/* MODP_2048, MODP_1024_160: the public value is as long as the modulus */
	if (kf_starts(tok, n, "MODP_")) {
		for (k = 5; k < n && tok[k] != '_'; k++)
			;
		if (kf_uint(tok + 5, k - 5, 16384, &bits))
			return (uint16_t)(bits / 8);
		return 0;
	}
	/* ECP_256, ECP_256_BP: x and y (RFC 5903 section 7) */
	if (kf_starts(tok, n, "ECP_")) {
		for (k = 4; k < n && tok[k] != '_'; k++)
			;
		if (kf_uint(tok + 4, k - 4, 1024, &bits))
			return (uint16_t)(2 * ((bits + 7) / 8));
	}
	return 0;
}

uint16_t
kf_salt_len(uint32_t encr)
{
	struct nt_encr_info fi;
	if (!nt_v2_encr_info(encr, &fi))
		return 0;
	return fi.salt_len;
}

bool
kf_check_ekey(uint32_t encr, uint16_t want_bits, size_t keylen, uint16_t *key_bits, char *msg,
	      size_t msglen)
{
	struct nt_encr_info fi;
	const char *nm = nt_short(NT_V2_ENCR, encr);
	if (nm == NULL)
		nm = "cipher";
	if (!nt_v2_encr_info(encr, &fi)) {
		/* an id we know nothing of: take the key as it is */
		*key_bits = (uint16_t)(keylen * 8);
		return true;
	}
	if (encr == 11) { /* ENCR_NULL */
		if (keylen != 0) {
			snprintf(msg, msglen, "the NULL cipher takes no key, this one is %zu bytes",
				 keylen);
			return false;
		}
		*key_bits = 0;
		return true;
	}
	if (keylen < fi.salt_len) {
		snprintf(msg, msglen,
			 "the %s key is %zu bytes (expected the key and %u bytes of salt)", nm,
			 keylen, fi.salt_len);
		return false;
	}
	size_t kb = (keylen - fi.salt_len) * 8;
	if (fi.fixed_key_bits) {
		if (kb != fi.fixed_key_bits) {
			snprintf(msg, msglen, "the %s key is %zu bytes (expected %u)", nm, keylen,
				 fi.fixed_key_bits / 8 + fi.salt_len);
			return false;
		}
	} else if (want_bits) {
		if (kb != want_bits) {
			snprintf(msg, msglen,
				 "the %s key is %zu bytes (expected %u for %u-bit keys)", nm,
				 keylen, want_bits / 8 + fi.salt_len, want_bits);
			return false;
		}
	} else if (encr == 12 || encr == 13 || (encr >= 14 && encr <= 21) || encr == 23 ||
		   (encr >= 24 && encr <= 27) || encr == 29 || encr == 30) {
		/* AES and Camellia: 128, 192 or 256 bits */
		if (kb != 128 && kb != 192 && kb != 256) {
			if (fi.salt_len)
				snprintf(msg, msglen,
					 "the %s key is %zu bytes (expected %u, %u or %u: a 128, "
					 "192 or 256-bit key and %u bytes of salt)",
					 nm, keylen, 16 + fi.salt_len, 24 + fi.salt_len,
					 32 + fi.salt_len, fi.salt_len);
			else
				snprintf(msg, msglen,
					 "the %s key is %zu bytes (expected 16, 24 or 32)", nm,
					 keylen);
			return false;
		}
	} else if (kb == 0) {
		snprintf(msg, msglen, "the %s key is empty (expected a key)", nm);
		return false;
	}
	*key_bits = (uint16_t)kb;
	return true;
}
