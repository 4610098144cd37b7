/*
 * kf_psk.c - pre-shared keys (--psk-file), one per line:
 *
 *   SECRET                 a candidate for any peer
 *   ADDRESS SECRET         for the peer with that IP address
 *   ID SECRET              for the peer with that IKE identity (FQDN,
 *                          user@fqdn, a DN in quotes); "@host" is the
 *                          FQDN "host", as strongSwan writes it
 *   ID... : PSK SECRET     the ipsec.secrets form, one entry per ID
 *
 * A token may be double-quoted (no escapes inside), which is how a secret
 * or a DN holding blanks is written.  An unquoted secret starting with 0x
 * is hexadecimal and one starting with 0s is base64, as in ipsec.secrets;
 * quoted, it is taken as the text it is.  '#' outside quotes starts a
 * comment.  The secret is never part of a message.
 */
#include <string.h>

#include <openssl/evp.h>

#include "src/keys/keys_int.h"

int
kf_split_quoted(struct kf_src *s, const char *p, size_t n, const char **tok, size_t *tlen,
		bool *quoted, int max)
{
	size_t i = 0;
	int nt = 0;
	for (;;) {
		while (i < n && kf_is_space(p[i]))
			i++;
		if (i >= n || p[i] == '#')
			return nt;
		if (nt == max)
			return nt + 1; /* too many; the caller says what it expected */
		if (p[i] == '"') {
			const char *q = memchr(p + i + 1, '"', n - i - 1);
			if (q == NULL)
				return kf_fail(s, "a quote is not closed (expected \"...\")");
			tok[nt] = p + i + 1;
			tlen[nt] = (size_t)(q - (p + i + 1));
			quoted[nt] = true;
			i = (size_t)(q - p) + 1;
			if (i < n && !kf_is_space(p[i]))
				return kf_fail(s, "text right after a closing quote (expected a "
						  "blank)");
		} else {
			size_t b = i;
			while (i < n && !kf_is_space(p[i]))
				i++;
			tok[nt] = p + b;
			tlen[nt] = i - b;
			quoted[nt] = false;
		}
		nt++;
	}
}

int
kf_psk_secret(struct kf_src *s, const char *p, size_t n, bool quoted, struct kx_psk *e)
{
	size_t k = 0;
	if (!quoted && n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (kf_hex(s, "the secret", p + 2, n - 2, e->secret, sizeof e->secret, &k) < 0)
			return -1;
	} else if (!quoted && n >= 2 && p[0] == '0' && (p[1] == 's' || p[1] == 'S')) {
		/* base64: at most 3/4 of the text, checked before decoding */
		size_t b64 = n - 2;
		if (b64 == 0 || b64 % 4 || b64 / 4 * 3 > sizeof e->secret)
			return kf_fail(s,
				       "the base64 secret is %zu characters (expected a multiple "
				       "of 4, at most %zu)",
				       b64, sizeof e->secret / 3 * 4);
		uint8_t tmp[sizeof e->secret + 4];
		int r = EVP_DecodeBlock(tmp, (const unsigned char *)p + 2, (int)b64);
		if (r < 0) {
			kf_wipe(tmp, sizeof tmp);
			return kf_fail(s, "the base64 secret has a character that is not base64 "
					  "(expected 0s and base64)");
		}
		k = (size_t)r;
		if (p[n - 1] == '=')
			k--;
		if (p[n - 2] == '=')
			k--;
		memcpy(e->secret, tmp, k);
		kf_wipe(tmp, sizeof tmp);
	} else {
		if (n > sizeof e->secret)
			return kf_fail(s, "the secret is %zu bytes long (expected at most %zu)", n,
				       sizeof e->secret);
		memcpy(e->secret, p, n);
		k = n;
	}
	if (k == 0)
		return kf_fail(s, "the secret is empty (expected a pre-shared key)");
	e->len = (uint16_t)k;
	return 0;
}

/* An address, "any"/"*"/"%any", or an identity. */
static int
psk_who(struct kf_src *s, const char *p, size_t n, bool quoted, struct kx_psk *e)
{
	if (!quoted &&
	    (kf_tok_eq(p, n, "*") || kf_tok_ieq(p, n, "any") || kf_tok_ieq(p, n, "%any") ||
	     kf_tok_eq(p, n, "0.0.0.0") || kf_tok_eq(p, n, "::")))
		return 0;
	if (!quoted && kf_addr(p, n, &e->peer))
		return 0;
	if (!quoted && n > 1 && p[0] == '@') {
		p++;
		n--;
	}
	if (n == 0 || n >= sizeof e->id)
		return kf_fail(s, "the identity is %zu characters (expected 1 to %zu)", n,
			       sizeof e->id - 1);
	memcpy(e->id, p, n);
	e->id[n] = '\0';
	return 0;
}

#define PSK_TOKS 12

int
kf_parse_psk(struct kf_src *s)
{
	int r;
	while ((r = kf_next_line(s)) > 0) {
		const char *t[PSK_TOKS];
		size_t tl[PSK_TOKS];
		bool q[PSK_TOKS];
		int nt = kf_split_quoted(s, s->line, s->n, t, tl, q, PSK_TOKS);
		if (nt < 0)
			return -1;
		if (nt == 0)
			continue;
		struct kx_psk e;
		memset(&e, 0, sizeof e);
		int rc = 0;
		/* ipsec.secrets: ID... : PSK SECRET */
		int colon = -1;
		for (int i = 0; i < nt && i < PSK_TOKS; i++)
			if (!q[i] && kf_tok_eq(t[i], tl[i], ":"))
				colon = i;
		if (colon >= 0) {
			if (nt != colon + 3 || q[colon + 1] ||
			    !kf_tok_ieq(t[colon + 1], tl[colon + 1], "PSK")) {
				kf_wipe(&e, sizeof e);
				return kf_fail(s,
					       "only PSK entries are read from ipsec.secrets lines "
					       "(expected ID... : PSK SECRET)");
			}
			if (kf_psk_secret(s, t[colon + 2], tl[colon + 2], q[colon + 2], &e) < 0) {
				kf_wipe(&e, sizeof e);
				return -1;
			}
			for (int i = 0; i < colon && rc == 0; i++) {
				struct kx_psk one = e;
				memset(&one.peer, 0, sizeof one.peer);
				one.id[0] = '\0';
				rc = psk_who(s, t[i], tl[i], q[i], &one);
				if (rc == 0)
					rc = kf_add_psk(s, s->lineno, &one);
				kf_wipe(&one, sizeof one);
			}
			if (colon == 0 && rc == 0)
				rc = kf_add_psk(s, s->lineno, &e);
		} else if (nt == 1) {
			rc = kf_psk_secret(s, t[0], tl[0], q[0], &e);
			if (rc == 0)
				rc = kf_add_psk(s, s->lineno, &e);
		} else if (nt == 2) {
			rc = psk_who(s, t[0], tl[0], q[0], &e);
			if (rc == 0)
				rc = kf_psk_secret(s, t[1], tl[1], q[1], &e);
			if (rc == 0)
				rc = kf_add_psk(s, s->lineno, &e);
		} else {
			rc = kf_fail(s,
				     "%s%d fields (expected SECRET, ADDRESS SECRET or ID SECRET; "
				     "quote a secret or an identity that holds blanks)",
				     nt > PSK_TOKS ? "more than " : "",
				     nt > PSK_TOKS ? PSK_TOKS : nt);
		}
		kf_wipe(&e, sizeof e);
		if (rc < 0)
			return -1;
	}
	return r;
}
