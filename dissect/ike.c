/*
 * ike.c - the ISAKMP header and the payload chain, IKEv1 and IKEv2.
 *
 * Every payload has a generic header (RFC 2408 3.2, RFC 7296 3.2):
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The walker validates the generic header (length at least 4, not past the
 * message) before it hands the body to the payload's decoder; decoders read
 * only through a cursor bounded to the body.  Payload bodies are decoded in
 * ike_pld_v1.c and ike_pld_v2.c.
 */
#include "dissect/ike.h"
#include "dissect/ike_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect/cursor.h"
#include "dissect/names.h"

/* More payloads than this in one message is not a negotiation. */
#define IKE_MAX_PAYLOADS 512
#define IKE_MAX_ANOMALIES 32

void
ike_anomaly(struct arena *ar, struct ike_msg *m, uint32_t off, int payload, const char *what)
{
	if (m->nanom >= IKE_MAX_ANOMALIES)
		return;
	if (m->anom_cap == 0) {
		m->anom = arena_calloc(ar, IKE_MAX_ANOMALIES, sizeof *m->anom);
		if (!m->anom)
			return;
		m->anom_cap = IKE_MAX_ANOMALIES;
	}
	struct ike_anomaly *a = &m->anom[m->nanom++];
	a->off = off;
	a->payload = (int16_t)payload;
	a->what = what;
}

/* Anomaly text built from a format, kept in the arena. */
void
ike_anomalyf(struct arena *ar, struct ike_msg *m, uint32_t off, int payload, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	const char *s = arena_dup(ar, buf, strlen(buf) + 1);
	ike_anomaly(ar, m, off, payload, s ? s : "malformed");
}

const char *
ike_pld_name(bool v2, uint8_t type, bool pld15_is_natd, char *buf, size_t len)
{
	const char *n;
	if (!v2 && type == IKE1_SAK && pld15_is_natd)
		return "NAT-D";
	n = nt_name(v2 ? NT_V2_PAYLOAD : NT_V1_PAYLOAD, type);
	if (n)
		return n;
	snprintf(buf, len, "%u", type);
	return buf;
}

static bool
is_sk(bool v2, uint8_t type)
{
	return v2 && (type == IKE2_SK || type == IKE2_SKF);
}

void
ike_parse_chain(struct arena *ar, struct ike_msg *m, const uint8_t *buf, size_t len, uint8_t first,
		uint32_t base_off, bool padded, struct ike_chain *out)
{
	struct cur c = cur_make(buf, len);
	uint8_t np = first;
	unsigned cap = 0;

	out->n = 0;
	out->p = NULL;
	/* Count the payloads first so the array is allocated once: a walk of
	 * the generic headers only, bounded by the length. */
	{
		struct cur k = cur_make(buf, len);
		uint8_t t = first;
		while (t != 0 && cap < IKE_MAX_PAYLOADS && cur_left(&k) >= 4) {
			uint8_t nx = cur_u8(&k);
			cur_u8(&k);
			uint16_t pl = cur_be16(&k);
			cap++;
			if (pl < 4 || pl - 4u > cur_left(&k) || is_sk(m->v2, t))
				break;
			cur_skip(&k, pl - 4u);
			t = nx;
		}
	}
	if (cap == 0) {
		if (np != 0)
			ike_anomalyf(ar, m, base_off, np,
				     "the header announces payload %u but no bytes follow", np);
		return;
	}
	out->p = arena_calloc(ar, cap, sizeof *out->p);
	if (!out->p) {
		ike_anomaly(ar, m, base_off, -1, "too many payloads to decode");
		return;
	}

	while (np != 0) {
		uint32_t off = base_off + (uint32_t)cur_off(&c);
		if (out->n >= cap) {
			if (out->n >= IKE_MAX_PAYLOADS)
				ike_anomaly(ar, m, off, np,
					    "more than 512 payloads; the rest is not decoded");
			break;
		}
		if (cur_left(&c) == 0) {
			/* the chain names a payload but the message is over
			 * (isakmp-no-none-np in tcpdump's tests) */
			if (!m->truncated)
				ike_anomalyf(ar, m, off, np,
					     "next payload is %u but the message ends here", np);
			break;
		}
		if (cur_left(&c) < 4) {
			if (m->truncated)
				break;
			ike_anomalyf(ar, m, off, np,
				     "%zu bytes left: too short for a generic payload header (4)",
				     cur_left(&c));
			break;
		}
		struct ike_pld *p = &out->p[out->n++];
		p->type = np;
		p->off = off;
		p->np = cur_u8(&c);
		uint8_t fl = cur_u8(&c);
		p->len = cur_be16(&c);
		if (m->v2) {
			p->critical = (fl & 0x80) != 0;
			p->reserved = fl & 0x7f;
		} else {
			p->reserved = fl;
		}
		if (p->len < 4) {
			p->status = IKE_PLD_MALFORMED;
			ike_anomalyf(ar, m, off, np,
				     "payload length %u is shorter than the generic header (4)",
				     p->len);
			break;
		}
		size_t blen = p->len - 4u;
		if (blen > cur_left(&c)) {
			bool trunc = m->truncated;
			p->status = trunc ? IKE_PLD_TRUNCATED : IKE_PLD_MALFORMED;
			if (!trunc)
				ike_anomalyf(
				    ar, m, off, np,
				    "payload length %u runs past the end of the message (%zu "
				    "bytes left)",
				    p->len, cur_left(&c) + 4);
			size_t have;
			p->body = cur_rest(&c, &have);
			p->body_len = (uint32_t)have;
			/* A truncated payload is still decoded as far as it goes;
			 * a malformed one only when it is the SK payload, whose
			 * cleartext header is still meaningful. */
			if (trunc)
				ike_pld_decode(ar, m, p, off + 4);
			break;
		}
		struct cur body = cur_sub(&c, blen);
		p->body = body.p;
		p->body_len = (uint32_t)blen;
		ike_pld_decode(ar, m, p, off + 4);
		if (is_sk(m->v2, np)) {
			/* RFC 7296 3.14: SK is the last payload; its next-payload
			 * field is the first payload inside it. */
			if (cur_left(&c) > 0)
				ike_anomalyf(ar, m, base_off + (uint32_t)cur_off(&c), np,
					     "%zu bytes after the %s payload, which must be last",
					     cur_left(&c), np == IKE2_SK ? "SK" : "SKF");
			return;
		}
		np = p->np;
	}
	if (np == 0 && cur_left(&c) > 0 && !padded)
		ike_anomalyf(ar, m, base_off + (uint32_t)cur_off(&c), -1,
			     "%zu bytes after the last payload", cur_left(&c));
}

bool
ike_parse(struct arena *ar, const uint8_t *buf, size_t len, const struct ike_parse_opts *o,
	  struct ike_msg *m)
{
	static const struct ike_parse_opts none;
	struct cur c = cur_make(buf, len);

	memset(m, 0, sizeof *m);
	if (!o)
		o = &none;
	m->raw = buf;
	m->raw_len = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
	m->pld15_is_natd = o->pld15_is_natd;
	m->truncated = o->truncated;
	if (len < IKE_HDR_LEN)
		return false;

	/*
	 *  ISAKMP header (RFC 2408 3.1, RFC 7296 3.1):
	 *  Initiator SPI (8) | Responder SPI (8) | Next Payload (1) |
	 *  MjVer:4 MnVer:4 | Exchange Type (1) | Flags (1) | Message ID (4) |
	 *  Length (4)
	 */
	cur_copy(&c, m->ispi, IKE_SPI_LEN);
	cur_copy(&c, m->rspi, IKE_SPI_LEN);
	m->np = cur_u8(&c);
	uint8_t ver = cur_u8(&c);
	m->maj = ver >> 4;
	m->min = ver & 0x0f;
	m->exch = cur_u8(&c);
	m->flags = cur_u8(&c);
	m->msgid = cur_be32(&c);
	m->length = cur_be32(&c);
	m->v2 = m->maj == 2;

	size_t end = len;
	if (m->length < IKE_HDR_LEN) {
		ike_anomalyf(ar, m, 24, -1, "length field %u is shorter than the header (28)",
			     m->length);
	} else if (m->length > len) {
		if (!o->truncated || (o->wire_len && m->length > o->wire_len))
			ike_anomalyf(ar, m, 24, -1,
				     "length field %u runs past the datagram (%zu bytes)",
				     m->length, o->truncated ? (size_t)o->wire_len : len);
		if (o->truncated)
			m->truncated = true;
	} else {
		if (m->length < len)
			ike_anomalyf(ar, m, m->length, -1,
				     "%zu bytes after the message (length field %u)",
				     len - m->length, m->length);
		end = m->length;
	}
	m->raw_len = (uint32_t)end;

	if (m->maj != 1 && m->maj != 2) {
		ike_anomalyf(ar, m, 17, -1, "unknown ISAKMP version %u.%u", m->maj, m->min);
		return true;
	}
	m->header_ok = m->length >= IKE_HDR_LEN;

	const uint8_t *body = buf + IKE_HDR_LEN;
	size_t blen = end - IKE_HDR_LEN;
	if (!m->v2 && (m->flags & IKE_V1_FLAG_E)) {
		/* IKEv1: everything after the header is ciphertext; the header's
		 * next-payload names the first encrypted payload. */
		m->encrypted = true;
		m->enc = body;
		m->enc_len = (uint32_t)blen;
		return true;
	}
	ike_parse_chain(ar, m, body, blen, m->np, IKE_HDR_LEN, false, &m->chain);
	if (m->v2 && m->chain.n > 0) {
		const struct ike_pld *last = &m->chain.p[m->chain.n - 1];
		if (last->type == IKE2_SK || last->type == IKE2_SKF)
			m->encrypted = true;
	}
	return true;
}

/* ---- lookups ---- */

static const struct ike_pld *
find_nth(const struct ike_chain *c, uint8_t type, unsigned *n, bool notify, uint16_t ntype)
{
	if (!c)
		return NULL;
	for (unsigned i = 0; i < c->n; i++) {
		const struct ike_pld *p = &c->p[i];
		bool hit;
		if (notify)
			hit = (p->type == IKE1_N || p->type == IKE2_N) && p->known &&
			      p->u.n.type == ntype;
		else
			hit = p->type == type;
		if (hit) {
			if (*n == 0)
				return p;
			(*n)--;
		}
		if ((p->type == IKE2_SK || p->type == IKE2_SKF) && p->known && p->u.sk.inner) {
			const struct ike_pld *q = find_nth(p->u.sk.inner, type, n, notify, ntype);
			if (q)
				return q;
		}
	}
	return NULL;
}

const struct ike_pld *
ike_find_nth(const struct ike_chain *c, uint8_t type, unsigned n)
{
	return find_nth(c, type, &n, false, 0);
}

const struct ike_pld *
ike_find(const struct ike_chain *c, uint8_t type)
{
	return ike_find_nth(c, type, 0);
}

const struct ike_pld *
ike_find_notify(const struct ike_chain *c, uint16_t type)
{
	unsigned n = 0;
	return find_nth(c, 0, &n, true, type);
}

char *
ike_hex(const uint8_t *p, size_t n, char *buf, size_t blen)
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;
	if (blen == 0)
		return buf;
	for (size_t i = 0; i < n; i++) {
		if (o + 2 >= blen) {
			if (blen >= 4) {
				o = blen - 4;
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		buf[o++] = hx[p[i] >> 4];
		buf[o++] = hx[p[i] & 15];
	}
	buf[o] = '\0';
	return buf;
}
