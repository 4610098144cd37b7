/* der.c - see der.h.  Reads only through the cursor; no recursion. */
#include "dissect/der.h"

#include <stdio.h>
#include <string.h>

#include "dissect/cursor.h"
#include "dissect/ike.h"

/* One TLV: tag and a sub-cursor over the value. */
static bool
der_tlv(struct cur *c, uint8_t *tag, struct cur *val)
{
	*tag = cur_u8(c);
	uint8_t l = cur_u8(c);
	if (!cur_ok(c) || (*tag & 0x1f) == 0x1f)
		return false; /* high tag numbers never appear in a Name */
	size_t len = l;
	if (l & 0x80) {
		unsigned nb = l & 0x7f;
		if (nb == 0 || nb > 3)
			return false; /* indefinite or absurd lengths */
		len = 0;
		for (unsigned i = 0; i < nb; i++)
			len = len << 8 | cur_u8(c);
	}
	*val = cur_sub(c, len);
	return cur_ok(c);
}

static const struct {
	const char *oid; /* dotted */
	const char *name;
} attr_names[] = {
    {"2.5.4.3", "CN"},
    {"2.5.4.4", "SN"},
    {"2.5.4.5", "serialNumber"},
    {"2.5.4.6", "C"},
    {"2.5.4.7", "L"},
    {"2.5.4.8", "ST"},
    {"2.5.4.9", "street"},
    {"2.5.4.10", "O"},
    {"2.5.4.11", "OU"},
    {"2.5.4.12", "title"},
    {"2.5.4.13", "description"},
    {"2.5.4.17", "postalCode"},
    {"2.5.4.42", "GN"},
    {"2.5.4.43", "initials"},
    {"2.5.4.46", "dnQualifier"},
    {"2.5.4.65", "pseudonym"},
    {"1.2.840.113549.1.9.1", "E"},
    {"1.2.840.113549.1.9.2", "unstructuredName"},
    {"0.9.2342.19200300.100.1.1", "UID"},
    {"0.9.2342.19200300.100.1.25", "DC"},
};

static bool
oid_text(struct cur *v, char *buf, size_t blen)
{
	size_t o = 0;
	uint64_t acc = 0;
	bool first = true;
	unsigned digits = 0;
	if (cur_left(v) == 0 || cur_left(v) > 32)
		return false;
	while (cur_left(v) > 0) {
		uint8_t b = cur_u8(v);
		if (++digits > 9)
			return false;
		acc = acc << 7 | (b & 0x7f);
		if (b & 0x80)
			continue;
		int w;
		if (first) {
			unsigned x = acc < 40 ? 0 : acc < 80 ? 1 : 2;
			w = snprintf(buf + o, blen - o, "%u.%llu", x,
				     (unsigned long long)(acc - 40u * x));
			first = false;
		} else {
			w = snprintf(buf + o, blen - o, ".%llu", (unsigned long long)acc);
		}
		if (w < 0 || (size_t)w >= blen - o)
			return false;
		o += (size_t)w;
		acc = 0;
		digits = 0;
	}
	return digits == 0;
}

static void
append(char *buf, size_t blen, size_t *o, const char *s)
{
	size_t n = strlen(s);
	if (*o + n >= blen)
		n = blen - *o - 1;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
}

bool
der_dn_text(const uint8_t *p, size_t n, char *buf, size_t blen)
{
	struct cur c = cur_make(p, n), name, rdn, atv, val;
	uint8_t tag;
	size_t o = 0;
	if (blen < 2)
		return false;
	buf[0] = '\0';
	if (!der_tlv(&c, &tag, &name) || tag != 0x30 || cur_left(&c) != 0)
		return false;
	bool firstrdn = true;
	while (cur_left(&name) > 0) {
		if (!der_tlv(&name, &tag, &rdn) || tag != 0x31)
			return false;
		bool firstatv = true;
		while (cur_left(&rdn) > 0) {
			struct cur oid;
			uint8_t ot, vt;
			char on[64], vs[256];
			if (!der_tlv(&rdn, &tag, &atv) || tag != 0x30)
				return false;
			if (!der_tlv(&atv, &ot, &oid) || ot != 0x06 ||
			    !oid_text(&oid, on, sizeof on))
				return false;
			if (!der_tlv(&atv, &vt, &val))
				return false;
			const char *an = on;
			for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
				if (strcmp(attr_names[i].oid, on) == 0)
					an = attr_names[i].name;
			size_t vl;
			const uint8_t *vp = cur_rest(&val, &vl);
			if (vt == 0x1e) {
				/* BMPString: UCS-2; keep the ASCII range */
				uint8_t tmp[128];
				size_t k = 0;
				for (size_t i = 0; i + 1 < vl && k < sizeof tmp; i += 2)
					tmp[k++] = vp[i] == 0 ? vp[i + 1] : '?';
				ike_escape(tmp, k, vs, sizeof vs);
			} else {
				ike_escape(vp, vl, vs, sizeof vs);
			}
			append(buf, blen, &o, firstrdn ? "" : firstatv ? ", " : " + ");
			append(buf, blen, &o, an);
			append(buf, blen, &o, "=");
			append(buf, blen, &o, vs);
			firstrdn = false;
			firstatv = false;
		}
	}
	return true;
}
