/*
 * ike_id.c - identities as text (IKEv1 RFC 2407 4.6.2.1, IKEv2 RFC 7296
 * 3.5) and the small helpers that give attribute values their meaning.
 *
 * Strings from the wire are hostile: everything but printable ASCII becomes
 * \xNN (and a backslash \\), so the text is safe for a terminal; JSON and HTML
 * writers escape their own metacharacters on top.
 */
#include <stdio.h>
#include <string.h>

#include "dissect/cursor.h"
#include "dissect/der.h"
#include "dissect/ike.h"

struct sbuf {
	char *b;
	size_t len, cap;
};

static void
sb_put(struct sbuf *s, const char *t)
{
	while (*t && s->len + 1 < s->cap)
		s->b[s->len++] = *t++;
	s->b[s->len] = '\0';
}

void
ike_escape(const uint8_t *p, size_t n, char *buf, size_t blen)
{
	struct sbuf s = {buf, 0, blen};
	if (blen == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n && s.len + 1 < s.cap; i++) {
		char t[5];
		uint8_t ch = p[i];
		if (ch == '\\') {
			sb_put(&s, "\\\\");
		} else if (ch >= 0x20 && ch < 0x7f) {
			t[0] = (char)ch;
			t[1] = '\0';
			sb_put(&s, t);
		} else {
			snprintf(t, sizeof t, "\\x%02x", ch);
			sb_put(&s, t);
		}
	}
}

static int
prefix_len(const uint8_t *mask, size_t n)
{
	int bits = 0;
	size_t i = 0;
	for (; i < n && mask[i] == 0xff; i++)
		bits += 8;
	if (i < n) {
		uint8_t b = mask[i];
		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b != 0)
			return -1;
		for (i++; i < n; i++)
			if (mask[i] != 0)
				return -1;
	}
	return bits;
}

/* Shared numbering of the IKEv1 IPsec DOI and IKEv2 ID types. */
enum {
	ID_IPV4_ADDR = 1,
	ID_FQDN = 2,
	ID_USER_FQDN = 3,
	ID_IPV4_ADDR_SUBNET = 4,
	ID_IPV6_ADDR = 5,
	ID_IPV6_ADDR_SUBNET = 6,
	ID_IPV4_ADDR_RANGE = 7,
	ID_IPV6_ADDR_RANGE = 8,
	ID_DER_ASN1_DN = 9,
	ID_DER_ASN1_GN = 10,
	ID_KEY_ID = 11,
	ID_FC_NAME = 12,
	ID_NULL = 13,
};

bool
ike_id_text(bool v2, uint8_t type, const uint8_t *data, size_t len, char *buf, size_t blen)
{
	char a1[48], a2[48];
	if (blen == 0)
		return false;
	buf[0] = '\0';
	/* IKEv2 has no subnet or range types (4, 6, 7, 8 are unassigned there). */
	if (v2 && (type == ID_IPV4_ADDR_SUBNET || type == ID_IPV6_ADDR_SUBNET ||
		   type == ID_IPV4_ADDR_RANGE || type == ID_IPV6_ADDR_RANGE))
		goto raw;
	switch (type) {
	case ID_IPV4_ADDR:
	case ID_IPV6_ADDR: {
		size_t al = type == ID_IPV4_ADDR ? 4 : 16;
		if (len != al)
			goto raw;
		ike_addr_str(data, al, buf, blen);
		return true;
	}
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV6_ADDR_SUBNET: {
		size_t al = type == ID_IPV4_ADDR_SUBNET ? 4 : 16;
		if (len != 2 * al)
			goto raw;
		ike_addr_str(data, al, a1, sizeof a1);
		int pl = prefix_len(data + al, al);
		if (pl >= 0) {
			snprintf(buf, blen, "%s/%d", a1, pl);
		} else {
			ike_addr_str(data + al, al, a2, sizeof a2);
			snprintf(buf, blen, "%s/%s", a1, a2);
		}
		return true;
	}
	case ID_IPV4_ADDR_RANGE:
	case ID_IPV6_ADDR_RANGE: {
		size_t al = type == ID_IPV4_ADDR_RANGE ? 4 : 16;
		if (len != 2 * al)
			goto raw;
		ike_addr_str(data, al, a1, sizeof a1);
		ike_addr_str(data + al, al, a2, sizeof a2);
		snprintf(buf, blen, "%s-%s", a1, a2);
		return true;
	}
	case ID_FQDN:
	case ID_USER_FQDN:
	case ID_FC_NAME:
		ike_escape(data, len, buf, blen);
		return true;
	case ID_DER_ASN1_DN:
		if (der_dn_text(data, len, buf, blen))
			return true;
		goto raw;
	case ID_NULL:
		if (v2 && len == 0)
			return true;
		goto raw;
	case ID_KEY_ID:
	default:
		goto raw;
	}
raw:
	ike_hex(data, len, buf, blen);
	return type == ID_KEY_ID || type == ID_DER_ASN1_GN;
}

char *
ike_addr_str(const uint8_t *b, size_t n, char *dst, size_t len)
{
	if (n == 4) {
		snprintf(dst, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		return dst;
	}
	if (n != 16) {
		ike_hex(b, n, dst, len);
		return dst;
	}
	/* RFC 5952: longest run (>= 2) of zero groups compressed, leftmost on a tie */
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i >= 2 && j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	char t[48];
	size_t o = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			o += (size_t)snprintf(t + o, sizeof t - o, "::");
			i += bestlen - 1;
			continue;
		}
		if (o > 0 && t[o - 1] != ':')
			t[o++] = ':';
		o += (size_t)snprintf(t + o, sizeof t - o, "%x", g[i]);
	}
	t[o] = '\0';
	snprintf(dst, len, "%s", t);
	return dst;
}

/* ---- attribute meaning ---- */

void
ike_v1_xform_decode(const struct ike_transform *t, bool phase1, struct ike_v1_xform *x)
{
	x->encr = x->hash = x->auth_method = x->group = x->prf = x->group_type = -1;
	x->key_len = -1;
	x->life_seconds = x->life_kilobytes = -1;
	x->integ = x->encap_mode = x->pfs_group = x->esn = -1;
	/* Life type and duration come in pairs (RFC 2409 App. A class 11/12,
	 * RFC 2407 4.5 attributes 1/2): a duration applies to the type before it. */
	int life_type = 1; /* seconds when no type precedes it */
	for (unsigned i = 0; i < t->attrs.n; i++) {
		const struct ike_attr *a = &t->attrs.a[i];
		if (!a->num_ok)
			continue;
		int32_t v = a->num > INT32_MAX ? INT32_MAX : (int32_t)a->num;
		if (phase1) {
			switch (a->type) {
			case 1:
				x->encr = v;
				break;
			case 2:
				x->hash = v;
				break;
			case 3:
				x->auth_method = v;
				break;
			case 4:
				x->group = v;
				break;
			case 5:
				x->group_type = v;
				break;
			case 11:
				life_type = v;
				break;
			case 12:
				if (life_type == 1)
					x->life_seconds = (int64_t)a->num;
				else if (life_type == 2)
					x->life_kilobytes = (int64_t)a->num;
				break;
			case 13:
				x->prf = v;
				break;
			case 14:
				x->key_len = v;
				break;
			default:
				break;
			}
		} else {
			switch (a->type) {
			case 1:
				life_type = v;
				break;
			case 2:
				if (life_type == 1)
					x->life_seconds = (int64_t)a->num;
				else if (life_type == 2)
					x->life_kilobytes = (int64_t)a->num;
				break;
			case 3:
				x->pfs_group = v;
				break;
			case 4:
				x->encap_mode = v;
				break;
			case 5:
				x->integ = v;
				break;
			case 6:
				x->key_len = v;
				break;
			case 11:
				x->esn = v;
				break;
			default:
				break;
			}
		}
	}
}

unsigned
ike_v2_key_len(const struct ike_transform *t)
{
	/* RFC 7296 3.3.5: attribute type 14 Key Length, TV, in bits */
	for (unsigned i = 0; i < t->attrs.n; i++)
		if (t->attrs.a[i].type == 14 && t->attrs.a[i].num_ok)
			return (unsigned)t->attrs.a[i].num;
	return 0;
}

int
ike_notify_group(const struct ike_notify *n)
{
	/* RFC 7296 3.10.1: INVALID_KE_PAYLOAD data is the 2-octet group number */
	if (n->len < 2)
		return -1;
	return n->data[0] << 8 | n->data[1];
}
